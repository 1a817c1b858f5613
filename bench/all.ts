/**
 * Runs every benchmark in turn, one process each, passing the arguments on (`--json` for JSON lines).
 *
 * Run: `npm run bench` (or `npm run bench -- --json`).
 *
 * @module
 */
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"

const benchmarks = ["memory-vs-sqlite.ts", "typed-vs-raw.ts", "native-overhead.ts", "effect-api.ts"]

let failed = 0
for (const file of benchmarks) {
  const path = fileURLToPath(new URL(file, import.meta.url))
  const run = spawnSync(process.execPath, [path, ...process.argv.slice(2)], { stdio: "inherit" })
  if (run.status !== 0) {
    console.error(`${file} failed (${run.status ?? run.signal})`)
    failed++
  }
}
process.exitCode = failed === 0 ? 0 : 1
