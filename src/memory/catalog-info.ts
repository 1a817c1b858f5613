/**
 * Schema information in ESENT's shapes: the column, index and object info structs written into
 * caller buffers, and the list levels that answer with a temporary table of rows.
 *
 * @module
 */
import { jetErrorCodes as E } from "../jet/errors.generated.ts"
import { structLayout } from "../jet/structs.ts"
import { addColumnTo } from "./catalog.ts"
import { moveFirst } from "./constants.ts"
import { move } from "./cursors.ts"
import { putRecord } from "./entries.ts"
import type { ColumnDef, DbVersion, IndexDef, TableVersion } from "./model.ts"
import { nameKey, newTable } from "./model.ts"
import { Rec } from "./record.ts"
import type { EngineState, Session, TempTable } from "./state.ts"
import { newCursor } from "./state.ts"
import { toKey } from "./tree.ts"
import { beUint32, fixedSize, leBytes, utf16z, writeStruct } from "./util.ts"

export const columnDefValues = (col: ColumnDef): Record<string, number> => ({
  columnid: col.id,
  coltyp: col.coltyp,
  wCountry: 1,
  langid: 1033,
  cp: col.cp,
  wCollate: 0,
  cbMax: col.cbMax !== 0 ? col.cbMax : fixedSize(col.coltyp) !== 0 ? fixedSize(col.coltyp) : col.cbMax,
  grbit: col.grbit
})

export const writeColumnInfo = (
  st: EngineState,
  t: TableVersion,
  column: string | number | null,
  pv: Uint8Array,
  cb: number,
  level: number,
  s: Session
): number => {
  const lvl = level & 0xffff
  if (lvl === 1 || lvl === 5 || lvl === 7) return writeColumnList(st, t, pv, cb, s)
  let col: ColumnDef | undefined
  if (lvl === 6 || lvl === 8 || typeof column === "number") {
    col = typeof column === "number" ? t.schema.columns.get(column) : undefined
  } else if (typeof column === "string") col = t.schema.byName.get(nameKey(column))
  if (col === undefined) return E.JET_errColumnNotFound
  if (lvl === 0 || lvl === 6) {
    if (cb < 28) return E.JET_errBufferTooSmall
    writeStruct("JET_COLUMNDEF", pv, columnDefValues(col))
    return 0
  }
  if (lvl === 4 || lvl === 8) {
    if (cb < 1056) return E.JET_errBufferTooSmall
    writeStruct("JET_COLUMNBASE_W", pv, {
      ...columnDefValues(col),
      szBaseTableName: t.name,
      szBaseColumnName: col.name
    })
    return 0
  }
  return E.JET_errInvalidParameter
}

/** Opens a temporary table filled with rows, for the list info levels. */
export const listTable = (
  st: EngineState,
  s: Session,
  defs: ReadonlyArray<{ coltyp: number; cbMax?: number }>,
  rows: ReadonlyArray<ReadonlyArray<Uint8Array | null>>
): { tableid: bigint; columnids: Array<number> } => {
  const tv = newTable("list")
  const schema = tv.schema
  const columnids = defs.map((d, i) =>
    addColumnTo(schema, `c${i}`, { coltyp: d.coltyp, cbMax: d.cbMax ?? 0, grbit: 0, cp: 1200 }, null)
  )
  tv.shared.dbk = 0
  for (const row of rows) {
    const values = new Map<number, Array<Uint8Array>>()
    row.forEach((v, i) => {
      if (v !== null) values.set(columnids[i] as number, [v])
    })
    const bm = toKey(beUint32(++tv.shared.dbk))
    putRecord(tv, bm, new Rec(values, 0, s.id))
  }
  const temp: TempTable = { tv, unique: false, errorOnDuplicate: false, keyed: false, seq: 0 }
  const c = newCursor(st, s, { dbid: 0, db: undefined, tid: tv.shared.id, temp }, 0)
  move(c, tv, moveFirst, 0)
  return { tableid: c.id, columnids }
}

export const u32 = (n: number): Uint8Array => leBytes(BigInt(n), 4)
export const u16 = (n: number): Uint8Array => leBytes(BigInt(n), 2)
export const leF64 = (n: number): Uint8Array => {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setFloat64(0, n, true)
  return out
}
export const text = (str: string): Uint8Array => utf16z(str).subarray(0, str.length * 2)

export const writeColumnList = (
  st: EngineState,
  t: TableVersion,
  pv: Uint8Array,
  cb: number,
  s: Session
): number => {
  if (cb < 80) return E.JET_errBufferTooSmall
  const cols = [...t.schema.columns.values()].sort((a, b) => a.id - b.id)
  const rows = cols.map((col, i) => [
    u32(i),
    text(col.name),
    u32(col.id),
    u32(col.coltyp),
    u16(1),
    u16(1033),
    u16(col.cp),
    u16(0),
    u32(col.cbMax),
    u32(col.grbit),
    col.defaultValue,
    text(t.name),
    text(col.name),
    text(col.name)
  ])
  const types = [14, 10, 14, 14, 17, 17, 17, 17, 14, 14, 11, 10, 10, 10]
  const { tableid, columnids } = listTable(st, s, types.map((coltyp) => ({ coltyp })), rows)
  writeStruct("JET_COLUMNLIST", pv, {
    tableid,
    cRecord: cols.length,
    columnidPresentationOrder: columnids[0] ?? 0,
    columnidcolumnname: columnids[1] ?? 0,
    columnidcolumnid: columnids[2] ?? 0,
    columnidcoltyp: columnids[3] ?? 0,
    columnidCountry: columnids[4] ?? 0,
    columnidLangid: columnids[5] ?? 0,
    columnidCp: columnids[6] ?? 0,
    columnidCollate: columnids[7] ?? 0,
    columnidcbMax: columnids[8] ?? 0,
    columnidgrbit: columnids[9] ?? 0,
    columnidDefault: columnids[10] ?? 0,
    columnidBaseTableName: columnids[11] ?? 0,
    columnidBaseColumnName: columnids[12] ?? 0,
    columnidDefinitionName: columnids[13] ?? 0
  })
  return 0
}

export const indexesOf = (t: TableVersion): Array<IndexDef> => {
  const list = [...t.schema.indexes.values()]
  return list.sort((a, b) => (a.primary === b.primary ? a.name.localeCompare(b.name) : a.primary ? -1 : 1))
}

export const writeIndexInfo = (
  st: EngineState,
  t: TableVersion,
  name: string | null,
  pv: Uint8Array,
  cb: number,
  level: number,
  s: Session
): number => {
  const idx = name === null || name === "" ? undefined : t.schema.indexes.get(nameKey(name))
  if (name !== null && name !== "" && idx === undefined) return E.JET_errIndexNotFound
  const view = new DataView(pv.buffer, pv.byteOffset, pv.byteLength)
  switch (level) {
    case 0:
    case 1: {
      if (cb < 80) return E.JET_errBufferTooSmall
      const list = idx === undefined ? indexesOf(t) : [idx]
      const rows: Array<Array<Uint8Array | null>> = []
      for (const x of list) {
        const count = x.primary ? t.primary.size : t.secondaries.get(nameKey(x.name))?.size ?? 0
        x.segments.forEach((seg, i) => {
          const col = t.schema.columns.get(seg.columnId)
          rows.push([
            text(x.name),
            u32(x.grbit),
            u32(count),
            u32(count),
            u32(1),
            u32(x.segments.length),
            u32(i),
            u32(seg.columnId),
            u32(col?.coltyp ?? 0),
            u16(1),
            u16(1033),
            u16(col?.cp ?? 0),
            u16(0),
            u32(seg.descending ? 1 : 0),
            text(col?.name ?? ""),
            u32(0)
          ])
        })
      }
      const types = [10, 14, 14, 14, 14, 14, 14, 14, 14, 17, 17, 17, 17, 14, 10, 14]
      const { tableid, columnids } = listTable(st, s, types.map((coltyp) => ({ coltyp })), rows)
      const names = [
        "columnidindexname",
        "columnidgrbitIndex",
        "columnidcKey",
        "columnidcEntry",
        "columnidcPage",
        "columnidcColumn",
        "columnidiColumn",
        "columnidcolumnid",
        "columnidcoltyp",
        "columnidCountry",
        "columnidLangid",
        "columnidCp",
        "columnidCollate",
        "columnidgrbitColumn",
        "columnidcolumnname",
        "columnidLCMapFlags"
      ]
      const values: Record<string, number | bigint> = { tableid, cRecord: rows.length }
      names.forEach((n, i) => {
        values[n] = columnids[i] ?? 0
      })
      writeStruct("JET_INDEXLIST", pv, values)
      return 0
    }
    case 5:
      if (cb < 4) return E.JET_errBufferTooSmall
      view.setUint32(0, 1, true)
      return 0
    case 6:
      if (cb < 4) return E.JET_errBufferTooSmall
      view.setUint32(0, idx?.lcid ?? 1033, true)
      return 0
    case 7:
      if (cb < 4) return E.JET_errBufferTooSmall
      view.setUint32(0, t.schema.indexes.size, true)
      return 0
    case 8:
      if (cb < 2) return E.JET_errBufferTooSmall
      view.setUint16(0, 255, true)
      return 0
    case 10:
      if (cb < 2) return E.JET_errBufferTooSmall
      view.setUint16(0, idx?.cbKeyMost ?? 255, true)
      return 0
    default:
      return E.JET_errInvalidParameter
  }
}

export const writeObjectInfo = (t: TableVersion, pv: Uint8Array, cb: number): number => {
  // sizeof(JET_OBJECTINFO): 40 bytes on both x86 and x64.
  if (cb < structLayout("JET_OBJECTINFO").size) return E.JET_errBufferTooSmall
  const oaDate = t.created / 86_400_000 + 25569
  writeStruct("JET_OBJECTINFO", pv, {
    objtyp: 1,
    dtCreate: oaDate,
    dtUpdate: oaDate,
    grbit: 0,
    flags: 0,
    cRecord: t.primary.size,
    cPage: 1
  })
  return 0
}

/**
 * JET_ObjInfoList and JET_ObjInfoListNoStats: a temporary table of the database's tables, one row
 * each, in name order (the catalog's name index; names compare case-insensitively).
 */
export const writeObjectList = (
  st: EngineState,
  v: DbVersion,
  stats: boolean,
  pv: Uint8Array,
  cb: number,
  s: Session
): number => {
  if (cb < structLayout("JET_OBJECTLIST").size) return E.JET_errBufferTooSmall
  const upper = (t: TableVersion): string => t.name.toUpperCase()
  const tables = [...v.tables.values()].sort((
    a,
    b
  ) => (upper(a) < upper(b) ? -1 : upper(a) > upper(b) ? 1 : 0))
  const rows = tables.map((t) => {
    const oaDate = leF64(t.created / 86_400_000 + 25569)
    return [
      null,
      text(t.name),
      u32(1),
      oaDate,
      oaDate,
      u32(0),
      u32(0),
      u32(stats ? t.primary.size : 0),
      u32(stats ? 1 : 0)
    ]
  })
  const types = [10, 10, 4, 8, 8, 4, 4, 4, 4]
  const { tableid, columnids } = listTable(st, s, types.map((coltyp) => ({ coltyp })), rows)
  writeStruct("JET_OBJECTLIST", pv, {
    tableid,
    cRecord: tables.length,
    columnidcontainername: columnids[0] ?? 0,
    columnidobjectname: columnids[1] ?? 0,
    columnidobjtyp: columnids[2] ?? 0,
    columniddtCreate: columnids[3] ?? 0,
    columniddtUpdate: columnids[4] ?? 0,
    columnidgrbit: columnids[5] ?? 0,
    columnidflags: columnids[6] ?? 0,
    columnidcRecord: columnids[7] ?? 0,
    columnidcPage: columnids[8] ?? 0
  })
  return 0
}

export const writeString = (pv: Uint8Array, cb: number, str: string): number => {
  const bytes = utf16z(str)
  if (cb < bytes.length) return E.JET_errBufferTooSmall
  pv.set(bytes, 0)
  return 0
}
