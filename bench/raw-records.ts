/**
 * What the Effect API benchmarks share: the scanned table's raw-API side. Records with keys 1..N
 * written through `JetApi` in one untimed transaction, and the raw read loop a careful caller
 * writes (one reused buffer, the codecs the Effect API decodes with, every value folded into a
 * checksum so that none of the work can be skipped), which the Effect API is measured against.
 */
import { decodeColumnValue, encodeColumnValue, isCodecFailure } from "../src/Codec.ts"
import type { JetApi } from "../src/jet/api.ts"
import {
  JET_bitTableReadOnly,
  JET_coltypLong,
  JET_coltypLongLong,
  JET_coltypText,
  JET_MoveFirst,
  JET_MoveNext,
  JET_prepInsert
} from "../src/jet/constants.ts"
import { jetErrorCodes } from "../src/jet/errors.generated.ts"
import type { JET_COLUMNID, JET_DBID, JET_SESID } from "../src/jet/handles.ts"

/** The median of `values`. */
export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Stops the benchmark: a result it measured would not be worth printing. */
export const fail = (what: string, detail: unknown): never => {
  throw new Error(`${what}: ${String(detail)}`)
}

/** {@link fail} on a JET error code. */
export const check = (what: string, err: number): void => {
  if (err < 0) fail(what, err)
}

const encoded = (coltyp: number, value: unknown, options?: { cp: number }): Uint8Array => {
  const bytes = encodeColumnValue(coltyp, value, options)
  return isCodecFailure(bytes) ? fail("encode", bytes.reason) : bytes
}

/** The scanned table's name; its columns are `id` (Long, the key), `name` (Text), `value` (LongLong). */
export const scanTable = "records"

/** The scanned table's column ids. */
export interface ColumnIds {
  readonly id: JET_COLUMNID
  readonly name: JET_COLUMNID
  readonly value: JET_COLUMNID
}

const bookmark = new Uint8Array(256)

/** Inserts record `id` through the raw API on an open table (outside or inside a transaction). */
export const rawInsertRecord = (
  api: JetApi,
  sesid: JET_SESID,
  tableid: Parameters<JetApi["JetUpdate"]>[1],
  ids: ColumnIds,
  id: number
): void => {
  const key = encoded(JET_coltypLong, id)
  const name = encoded(JET_coltypText, `record ${id}`, { cp: 1200 })
  const value = encoded(JET_coltypLongLong, BigInt(id) * 1_000_003n)
  check("JetPrepareUpdate", api.JetPrepareUpdate(sesid, tableid, JET_prepInsert).err)
  check("JetSetColumn", api.JetSetColumn(sesid, tableid, ids.id, key, key.byteLength, 0, null).err)
  check("JetSetColumn", api.JetSetColumn(sesid, tableid, ids.name, name, name.byteLength, 0, null).err)
  check("JetSetColumn", api.JetSetColumn(sesid, tableid, ids.value, value, value.byteLength, 0, null).err)
  check("JetUpdate", api.JetUpdate(sesid, tableid, bookmark, bookmark.byteLength).err)
}

/** Writes `records` records with keys 1..records into {@link scanTable}, in one transaction. */
export const fillScanTable = (
  api: JetApi,
  sesid: JET_SESID,
  dbid: JET_DBID,
  ids: ColumnIds,
  records: number
): void => {
  const opened = api.JetOpenTable(sesid, dbid, scanTable, 0)
  check("JetOpenTable", opened.err)
  check("JetBeginTransaction", api.JetBeginTransaction(sesid).err)
  for (let id = 1; id <= records; id++) rawInsertRecord(api, sesid, opened.tableid, ids, id)
  check("JetCommitTransaction", api.JetCommitTransaction(sesid, 0).err)
  check("JetCloseTable", api.JetCloseTable(sesid, opened.tableid).err)
}

/** The raw read loop over {@link scanTable}; fails unless it reads `records` records. Returns the checksum. */
export const rawScan = (
  api: JetApi,
  sesid: JET_SESID,
  dbid: JET_DBID,
  ids: ColumnIds,
  records: number
): number => {
  const opened = api.JetOpenTable(sesid, dbid, scanTable, JET_bitTableReadOnly)
  check("JetOpenTable", opened.err)
  const { tableid } = opened
  const buffer = new Uint8Array(1024)
  const read = (columnid: JET_COLUMNID, coltyp: number): unknown => {
    const got = api.JetRetrieveColumn(sesid, tableid, columnid, buffer, buffer.byteLength, 0, null)
    check("JetRetrieveColumn", got.err)
    const value = decodeColumnValue(coltyp, buffer, got.cbActual, { cp: 1200 })
    return isCodecFailure(value) ? fail("decode", value.reason) : value
  }
  let count = 0
  let sum = 0
  let moved = api.JetMove(sesid, tableid, JET_MoveFirst, 0).err
  while (moved >= 0) {
    const id = read(ids.id, JET_coltypLong) as number
    const name = read(ids.name, JET_coltypText) as string
    const value = read(ids.value, JET_coltypLongLong) as bigint
    sum = (sum + id + name.length + Number(value & 0xffffn)) | 0
    count++
    moved = api.JetMove(sesid, tableid, JET_MoveNext, 0).err
  }
  if (moved !== jetErrorCodes.JET_errNoCurrentRecord) fail("JetMove", moved)
  api.JetCloseTable(sesid, tableid)
  if (count !== records) fail("raw scan", `${count} records`)
  return sum
}
