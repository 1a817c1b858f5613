/**
 * The suite leaves nothing in the system's temporary folder. A vitest global setup: before the run
 * it points `TMPDIR` (and so `os.tmpdir()` in every worker and every example it starts) at a fresh
 * folder of its own; after the run it fails the run, naming them, if anything is left in it, then
 * removes it. Other programs using the machine's temporary folder at the same time cannot disturb
 * the check, and a test that forgets to clean up cannot hide.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

/** What is left in `folder`: every entry, sorted. */
export const leftovers = (folder: string): ReadonlyArray<string> => readdirSync(folder).sort()

/** The failure for what a run left behind, or `undefined` when it left nothing. */
export const leftoverFailure = (left: ReadonlyArray<string>): Error | undefined =>
  left.length === 0
    ? undefined
    : new Error(
      `the tests left ${left.length} entr${left.length === 1 ? "y" : "ies"} in the temporary folder: `
        + `${left.join(", ")}. Remove every temporary folder a test or an example makes.`
    )

let folder: string | undefined
let previous: string | undefined

export const setup = (): void => {
  folder = mkdtempSync(join(tmpdir(), "effect-esent-suite-"))
  previous = process.env["TMPDIR"]
  process.env["TMPDIR"] = folder
  // tsc turns on Node's module compile cache, kept in the temporary folder; the package tests run
  // tsc, and the cache would outlive the run.
  process.env["NODE_DISABLE_COMPILE_CACHE"] = "1"
}

export const teardown = (): void => {
  if (folder === undefined) return
  const left = leftovers(folder)
  rmSync(folder, { recursive: true, force: true })
  if (previous === undefined) delete process.env["TMPDIR"]
  else process.env["TMPDIR"] = previous
  const failure = leftoverFailure(left)
  if (failure !== undefined) throw failure
}
