/**
 * Builds the package: ES modules, declarations with declaration maps, and source maps from `src/`
 * into a fresh `dist/`. Run by `npm run build`, and by `npm pack` / `npm publish` through `prepack`.
 */
import { spawnSync } from "node:child_process"
import { rmSync } from "node:fs"
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
// A fresh folder, so that a module deleted from src/ does not linger in the package.
rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true })
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
  cwd: root,
  stdio: "inherit"
})
process.exit(result.status ?? 1)
