// Peak memory of reading whole real ESE databases with the file reader: every table, record and
// column value (long values fetched, compressed values expanded), at the page cache's default
// bound and at a tenth of it. Each run is its own Node process, so each peak RSS is its own.
//
//   bash .ci/with-node node bench/file-memory.ts
import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gunzipSync } from "node:zlib"
import { defaultCacheBytes, EseFile } from "../src/file/index.ts"

const readAll = (path: string, cacheBytes: number) => {
  const started = performance.now()
  const db = EseFile.open(path, { cacheBytes })
  let records = 0
  let values = 0
  let bytes = 0
  let peakHeap = 0
  for (const table of db.tables) {
    for (const record of db.records(table)) {
      records++
      for (const column of table.columns) {
        for (const value of record.values(column) ?? []) {
          values++
          bytes += value.bytes.byteLength
        }
      }
      if (records % 256 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)
    }
  }
  const stats = db.cacheStats()
  db.close()
  return {
    records,
    values,
    bytes,
    ms: Math.round(performance.now() - started),
    peakCachedPages: stats.peakCachedPages,
    pageReads: stats.reads,
    peakHeapMiB: +(peakHeap / 2 ** 20).toFixed(1),
    maxRssMiB: +(process.resourceUsage().maxRSS / 1024).toFixed(1)
  }
}

if (process.argv[2] === "--child") {
  process.stdout.write(JSON.stringify(readAll(process.argv[3]!, Number(process.argv[4]))))
} else {
  const dir = mkdtempSync(join(tmpdir(), "file-memory-"))
  try {
    const rows: Array<Record<string, string | number>> = []
    for (const name of ["large.edb", "museum-Win10-clean-Windows.edb"]) {
      const path = join(dir, name)
      const fixture = join(import.meta.dirname, "..", "test", "fixtures", "real-edb", `${name}.gz`)
      writeFileSync(path, gunzipSync(readFileSync(fixture)))
      for (const cacheBytes of [defaultCacheBytes, defaultCacheBytes / 10]) {
        const out = execFileSync(process.execPath, [
          import.meta.filename,
          "--child",
          path,
          String(cacheBytes)
        ], {
          encoding: "utf8"
        })
        rows.push({
          file: name,
          fileMiB: +(statSync(path).size / 2 ** 20).toFixed(1),
          cacheMiB: +(cacheBytes / 2 ** 20).toFixed(1),
          ...JSON.parse(out)
        })
      }
    }
    console.table(rows)
    const [largeDefault, largeTenth, museumDefault, museumTenth] = rows
    console.log(
      `peak RSS, a tenth of the cache vs the default: large.edb ${
        (Number(largeTenth!["maxRssMiB"]) / Number(largeDefault!["maxRssMiB"])).toFixed(2)
      }, museum ${(Number(museumTenth!["maxRssMiB"]) / Number(museumDefault!["maxRssMiB"])).toFixed(2)}`
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
