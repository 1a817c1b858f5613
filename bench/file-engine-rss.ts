/**
 * Peak memory of reading whole real databases through the file engine (`makeFileEngine`, raw
 * `JetApi`): every record of every table, each value enumerated (`JetEnumerateColumns`), with the
 * page cache at its default (32 MiB) and at a tenth of it. Each run is its own Node process, so its
 * peak RSS (`process.resourceUsage().maxRSS`) is its own; the report prints one line per run and
 * the ratio between the two cache sizes.
 *
 *   node bench/file-engine-rss.ts
 */
import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gunzipSync } from "node:zlib"
import { makeFileEngine } from "../src/file/engine/index.ts"
import * as C from "../src/jet/constants.ts"
import { JET_TABLEID } from "../src/jet/handles.ts"
import { structLayout } from "../src/jet/structs.ts"

const defaultCache = 32 * 1024 * 1024

/** Reads every value of every table of `path`; prints records, values and bytes as JSON. */
const readAll = (path: string, cacheBytes: number): void => {
  const api = makeFileEngine({ cacheBytes })
  const { instance } = api.JetCreateInstance2("rss", null, 0)
  api.JetInit3(instance, 0)
  const { sesid } = api.JetBeginSession(instance, null, null)
  api.JetAttachDatabase2(sesid, path, 0, C.JET_bitDbReadOnly)
  const { dbid } = api.JetOpenDatabase(sesid, path, null, C.JET_bitDbReadOnly)
  const layout = structLayout("JET_OBJECTLIST")
  const list = new Uint8Array(layout.size)
  api.JetGetObjectInfo(
    sesid,
    dbid,
    C.JET_objtypTable,
    null,
    null,
    list,
    layout.size,
    C.JET_ObjInfoListNoStats
  )
  const view = new DataView(list.buffer)
  const listTable = JET_TABLEID(view.getBigUint64(layout.byName.get("tableid")!.offset, true))
  const nameColumn = view.getUint32(layout.byName.get("columnidobjectname")!.offset, true)
  const names: Array<string> = []
  const buffer = new Uint8Array(512)
  for (
    let m = api.JetMove(sesid, listTable, C.JET_MoveFirst, 0);
    m.err >= 0;
    m = api.JetMove(sesid, listTable, 1, 0)
  ) {
    const got = api.JetRetrieveColumn(sesid, listTable, nameColumn as never, buffer, 512, 0, null)
    names.push(Buffer.from(buffer.subarray(0, got.cbActual)).toString("utf16le"))
  }
  api.JetCloseTable(sesid, listTable)
  let records = 0
  let values = 0
  let bytes = 0
  for (const name of names) {
    const { tableid } = api.JetOpenTable(sesid, dbid, name, C.JET_bitTableReadOnly)
    for (
      let m = api.JetMove(sesid, tableid, C.JET_MoveFirst, 0);
      m.err >= 0;
      m = api.JetMove(sesid, tableid, 1, 0)
    ) {
      records++
      const enumerated = api.JetEnumerateColumns(sesid, tableid, [], 0x7fffffff, 0)
      if (enumerated.err < 0) throw new Error(`${name}: JetEnumerateColumns ${enumerated.err}`)
      for (const column of enumerated.columns) {
        for (const value of column.values) {
          values++
          bytes += value.data.byteLength
        }
      }
    }
    api.JetCloseTable(sesid, tableid)
  }
  api.JetEndSession(sesid, 0)
  api.JetTerm(instance)
  process.stdout.write(JSON.stringify({ records, values, bytes, maxRssKiB: process.resourceUsage().maxRSS }))
}

if (process.argv[2] === "--child") {
  readAll(process.argv[3]!, Number(process.argv[4]))
} else {
  const folder = mkdtempSync(join(tmpdir(), "file-engine-rss-"))
  try {
    for (const name of ["large.edb", "museum-Win10-clean-Windows.edb"]) {
      const path = join(folder, name)
      const packed = join(import.meta.dirname, "..", "test", "fixtures", "real-edb", `${name}.gz`)
      writeFileSync(path, gunzipSync(readFileSync(packed)))
      const peaks: Array<number> = []
      for (const cacheBytes of [defaultCache, defaultCache / 10]) {
        const out = execFileSync(process.execPath, [
          import.meta.filename,
          "--child",
          path,
          String(cacheBytes)
        ], {
          encoding: "utf8",
          maxBuffer: 1 << 20
        })
        const result = JSON.parse(out) as {
          records: number
          values: number
          bytes: number
          maxRssKiB: number
        }
        peaks.push(result.maxRssKiB)
        console.log(
          `${name}: cache ${
            (cacheBytes / 1048576).toFixed(1)
          } MiB: ${result.records} records, ${result.values} values, ${
            (result.bytes / 1048576).toFixed(1)
          } MiB of values, peak RSS ${(result.maxRssKiB / 1024).toFixed(1)} MiB`
        )
      }
      console.log(
        `${name}: peak RSS at a tenth of the cache / at the default: ${(peaks[1]! / peaks[0]!).toFixed(2)}`
      )
      rmSync(path)
    }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}
