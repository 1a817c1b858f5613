/**
 * Runs npm and Node as child processes for the package tests, the same way on Linux, macOS and
 * Windows: npm's own CLI script under the Node running the tests, so no shell and no `npm.cmd`.
 */
import { execFile } from "node:child_process"
import { existsSync } from "node:fs"
import { dirname, join } from "node:path"

/** What a finished command did. */
export interface CommandResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Where npm's CLI script is: the one running `npm test`, or the one installed beside Node. */
export const npmCli = (): string => {
  const candidates = [
    process.env["npm_execpath"],
    join(dirname(process.execPath), "..", "lib", "node_modules", "npm", "bin", "npm-cli.js"),
    join(dirname(process.execPath), "node_modules", "npm", "bin", "npm-cli.js")
  ]
  const found = candidates.find((path) => path !== undefined && /npm-cli\.js$/.test(path) && existsSync(path))
  if (found === undefined) throw new Error(`npm's CLI script was not found beside ${process.execPath}`)
  return found
}

/** Runs Node with `args` in `cwd`; never rejects: the result says how it ended. */
export const runNode = (
  args: ReadonlyArray<string>,
  options: { readonly cwd: string; readonly input?: string; readonly timeout?: number }
): Promise<CommandResult> =>
  new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [...args],
      {
        cwd: options.cwd,
        timeout: options.timeout ?? 240_000,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: "1" }
      },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === "number" ? error.code : null,
          stdout,
          stderr
        })
    )
    if (options.input !== undefined) child.stdin?.end(options.input)
  })

/** Runs npm with `args` in `cwd`, reusing npm's cache and skipping the audit and funding calls. */
export const runNpm = (args: ReadonlyArray<string>, cwd: string): Promise<CommandResult> =>
  runNode([npmCli(), ...args, "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd })
