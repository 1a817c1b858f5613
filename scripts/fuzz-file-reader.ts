/**
 * The long fuzz run of the file reader: `node scripts/fuzz-file-reader.ts [cases] [seed]` mutates
 * pages of every real fixture (default 100,000 cases, a seed from the clock) in a worker with a
 * 256 MiB heap and a 5 s bound per case, and prints the outcomes; a failure prints its case and
 * exits 1. The test suite runs a few thousand cases of the same harness.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gunzipSync } from "node:zlib"
import { runFuzz } from "../test/file/fuzz/runFuzz.ts"

const cases = Number(process.argv[2] ?? 100_000)
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31)
const fixtures = new URL("../test/fixtures/real-edb/", import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), "fuzz-file-reader-"))
try {
  const sources = readdirSync(fixtures)
    .filter((name) => name.endsWith(".edb.gz") && name !== "large.edb.gz")
    .map((name) => {
      const path = join(dir, name.replace(/\.gz$/, ""))
      writeFileSync(path, gunzipSync(readFileSync(join(fixtures, name))))
      return path
    })
  const started = Date.now()
  const result = await runFuzz({ sources, scratchDir: dir, seed, numRuns: cases, caseMs: 5000, heapMiB: 256 })
  console.log(`seed ${seed}, ${((Date.now() - started) / 1000).toFixed(1)} s`)
  console.log(JSON.stringify(result, null, 2))
  process.exitCode = result.type === "done" ? 0 : 1
} finally {
  rmSync(dir, { recursive: true, force: true })
}
