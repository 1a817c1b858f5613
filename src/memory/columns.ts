/**
 * Column values: reading one value of the current record (in place from the packed record, from the
 * index key, or from a prepared update) and setting one value into a prepared update, with ESENT's
 * rules for defaults, fixed-size padding, multi-valued columns and long values.
 *
 * @module
 */
import type { JetRetrieveColumnResult } from "../jet/api.ts"
import { jetErrorCodes as E } from "../jet/errors.generated.ts"
import { JET_COLUMNID } from "../jet/handles.ts"
import {
  bitColumnAutoincrement,
  bitColumnFixed,
  bitColumnMultiValued,
  bitColumnNotNULL,
  bitColumnVersion,
  bitRetrieveCopy,
  bitRetrieveFromIndex,
  bitRetrieveFromPrimaryBookmark,
  bitRetrieveIgnoreDefault,
  bitSetAppendLV,
  bitSetOverwriteLV,
  bitSetRevertToDefaultValue,
  bitSetSizeLV,
  bitSetUniqueMultiValues,
  bitSetUniqueNormalizedMultiValues,
  bitSetZeroLength,
  coltypBinary,
  coltypBit,
  coltypText,
  prepInsertMustSetAutoIncrement
} from "./constants.ts"
import { currentRecord, cursorIndex } from "./cursors.ts"
import { effectiveValues, indexSpecs, primaryKeyOf, recordKeys } from "./entries.ts"
import type { SegmentSpec } from "./keys.ts"
import { columnFromKey, padFixedText } from "./keys.ts"
import type { ColumnDef, IndexDef, Schema, TableVersion } from "./model.ts"
import { noColumn, Rec } from "./record.ts"
import { empty, fail } from "./results.ts"
import type { Cursor } from "./state.ts"
import { compareBytes, fromKey } from "./tree.ts"
import { copyBytes, copyOut, fixedSize, isLongType, isTextType } from "./util.ts"

export const columnMax = (col: ColumnDef): number => {
  if (isLongType(col.coltyp)) return col.cbMax === 0 ? 0x7fffffff : col.cbMax
  const f = fixedSize(col.coltyp)
  if (f !== 0) return f
  return col.cbMax === 0 ? 255 : Math.min(col.cbMax, 255)
}

/**
 * The bytes a fixed column stores for a value, after the engine's ErrRECISetIFixedColumn: a fixed
 * Text or Binary column always holds its full size, a shorter value padded (Binary with zeros, Text
 * with spaces, U+0020 in cp 1200); a Bit holds 0x00 or 0xFF, whatever non-zero byte it was given.
 */
export const fixedStored = (col: ColumnDef, value: Uint8Array): Uint8Array => {
  if ((col.grbit & bitColumnFixed) === 0 || value.length === 0) return value
  if (col.coltyp === coltypBit) return Uint8Array.of(value[0] === 0 ? 0x00 : 0xff)
  if (col.coltyp !== coltypText && col.coltyp !== coltypBinary) return value
  const size = columnMax(col)
  if (value.length >= size) return value
  if (col.coltyp === coltypText) return padFixedText(value, size, col.cp)
  const out = new Uint8Array(size)
  out.set(value, 0)
  return out
}

export const valuesOf = (
  c: Cursor,
  t: TableVersion,
  copy: boolean
): Map<number, Array<Uint8Array>> | number => {
  if (copy && c.prep !== undefined) return c.prep.values
  const rec = currentRecord(c, t)
  return typeof rec === "number" ? rec : rec.values
}

/** Which value of a multi-valued column made the current entry of a secondary index. */
export const entryItag = (
  t: TableVersion,
  idx: IndexDef,
  columnid: number,
  rec: Rec,
  key: string
): number => {
  const col = t.schema.columns.get(columnid)
  const vs = col === undefined ? undefined : effectiveValues(col, rec.values)
  if (col === undefined || vs === undefined || vs.length < 2 || (col.grbit & bitColumnMultiValued) === 0) {
    return 1
  }
  for (let j = 0; j < vs.length; j++) {
    const values = new Map(rec.values)
    values.set(columnid, [vs[j] as Uint8Array])
    const ks = recordKeys(t.schema, idx, values)
    if (typeof ks !== "number" && ks.includes(key)) return j + 1
  }
  return 1
}

/**
 * `JET_bitRetrieveFromIndex` / `JET_bitRetrieveFromPrimaryBookmark`, after the engine's
 * `ErrRECIRetrieveFromIndex`: the value read back from the current entry's key (the primary key
 * for the bookmark bit, or on the primary index). Where the key cannot give it (Text, a Unicode
 * Text segment before it, a key that may be truncated, a table without primary index, a temporary
 * table) the record is read instead, at the itag of the value that made the entry.
 *
 * @returns the value (`null` for NULL), `{ itag }` to read the record, or an error code.
 */
export const fromIndexEntry = (
  c: Cursor,
  t: TableVersion,
  columnid: number,
  grbit: number
): { readonly value: Uint8Array | null } | { readonly itag: number } | number => {
  if ((grbit & bitRetrieveFromIndex) !== 0 && (grbit & bitRetrieveFromPrimaryBookmark) !== 0) {
    return E.JET_errInvalidGrbit
  }
  if (columnid === 0) return E.JET_errBadColumnId
  const secondary = c.indexName === undefined ? undefined : cursorIndex(c, t)
  let idx: IndexDef | undefined
  if (secondary === undefined) {
    if (c.temp !== undefined || c.state !== 1 || t.schema.primary === undefined) return { itag: 1 }
    idx = t.schema.primary
  } else {
    idx = (grbit & bitRetrieveFromPrimaryBookmark) !== 0 ? t.schema.primary : secondary
    if (idx === undefined) return E.JET_errColumnNotFound
  }
  const seg = idx.segments.findIndex((x) => x.columnId === columnid)
  if (seg < 0) return E.JET_errColumnNotFound
  const rec = currentRecord(c, t)
  if (typeof rec === "number") return rec
  const key = idx === secondary ? c.key : primaryKeyOf(t, c.bm)
  const fallback = { itag: idx === secondary ? entryItag(t, idx, columnid, rec, key) : 1 }
  if (c.temp !== undefined) return fallback
  const specs = indexSpecs(t.schema, idx)
  for (let i = 0; i < seg; i++) {
    const spec = specs[i] as SegmentSpec
    if (isTextType(spec.coltyp) && spec.cp === 1200) return fallback
  }
  if (isTextType((specs[seg] as SegmentSpec).coltyp)) return fallback
  if (key.length === idx.cbKeyMost && idx.cbKeyMost >= 255) return fallback
  const value = columnFromKey(specs, fromKey(key), seg)
  return value === undefined ? fallback : { value }
}

/**
 * {@link retrieveOne} of one column of the current record (not of a prepared update): reads the
 * packed record in place, without unpacking its values.
 */
export const retrieveFromRecord = (
  c: Cursor,
  t: TableVersion,
  columnid: number,
  pv: Uint8Array | null,
  cb: number,
  grbit: number,
  ib: number,
  itag: number
): JetRetrieveColumnResult => {
  const rec = currentRecord(c, t)
  if (typeof rec === "number") return fail(rec)
  const col = t.schema.columns.get(columnid)
  if (col === undefined) return fail(E.JET_errColumnNotFound)
  if (itag === 0) return fail(E.JET_errBadItagSequence)
  const next = JET_COLUMNID(col.id)
  const at = rec.locate(columnid, itag)
  if (at < 0) {
    // A column with no value at all reads as its default, which has one value.
    if (
      at !== noColumn || itag !== 1 || (grbit & bitRetrieveIgnoreDefault) !== 0 || col.defaultValue === null
    ) {
      return { err: E.JET_wrnColumnNull, cbActual: 0, columnidNextTagged: next }
    }
    const v = col.defaultValue
    const data = ib > 0 ? v.subarray(Math.min(ib, v.length)) : v
    copyOut(pv, cb, data)
    return {
      err: cb < data.length ? E.JET_wrnBufferTruncated : 0,
      cbActual: data.length,
      columnidNextTagged: next
    }
  }
  const skip = ib > 0 ? Math.min(ib, Rec.foundLength) : 0
  const length = Rec.foundLength - skip
  if (pv !== null && cb > 0) rec.copyTo(pv, at + skip, Math.min(cb, length, pv.byteLength))
  return { err: cb < length ? E.JET_wrnBufferTruncated : 0, cbActual: length, columnidNextTagged: next }
}

export const retrieveOne = (
  c: Cursor,
  t: TableVersion,
  columnid: number,
  pv: Uint8Array | null,
  cb: number,
  grbit: number,
  ib: number,
  itagIn: number
): JetRetrieveColumnResult => {
  if ((grbit & (bitRetrieveFromIndex | bitRetrieveFromPrimaryBookmark)) !== 0) {
    const r = fromIndexEntry(c, t, columnid, grbit)
    if (typeof r === "number") return fail(r)
    if ("value" in r) {
      const next = JET_COLUMNID(columnid)
      if (r.value === null) return { err: E.JET_wrnColumnNull, cbActual: 0, columnidNextTagged: next }
      const long = isLongType(t.schema.columns.get(columnid)?.coltyp ?? 0)
      const data = long && ib > 0 ? r.value.subarray(Math.min(ib, r.value.length)) : r.value
      copyOut(pv, cb, data)
      return {
        err: cb < data.length ? E.JET_wrnBufferTruncated : 0,
        cbActual: data.length,
        columnidNextTagged: next
      }
    }
    return retrieveOne(
      c,
      t,
      columnid,
      pv,
      cb,
      grbit & ~(bitRetrieveFromIndex | bitRetrieveFromPrimaryBookmark),
      ib,
      r.itag
    )
  }
  if (columnid !== 0 && ((grbit & bitRetrieveCopy) === 0 || c.prep === undefined)) {
    return retrieveFromRecord(c, t, columnid, pv, cb, grbit, ib, itagIn)
  }
  const values = valuesOf(c, t, (grbit & bitRetrieveCopy) !== 0)
  if (typeof values === "number") return fail(values)
  const schema = t.schema
  let col: ColumnDef | undefined
  let itag = itagIn
  if (columnid === 0) {
    // Walks every tagged value in column order: the itag counts across columns.
    const tagged = [...schema.columns.values()].filter((x) => x.id >= 256).sort((a, b) => a.id - b.id)
    if (itag === 0) return fail(E.JET_errBadItagSequence)
    let n = itag
    for (const x of tagged) {
      const vs = effectiveValues(x, values)
      if (vs === undefined) continue
      if (n <= vs.length) {
        col = x
        itag = n
        break
      }
      n -= vs.length
    }
    if (col === undefined) {
      return { err: E.JET_wrnColumnNull, cbActual: 0, columnidNextTagged: JET_COLUMNID(0) }
    }
  } else {
    col = schema.columns.get(columnid)
    if (col === undefined) return fail(E.JET_errColumnNotFound)
    if (itag === 0) return fail(E.JET_errBadItagSequence)
  }
  const stored = values.get(col.id)
  const vs = stored !== undefined && stored.length > 0
    ? stored
    : (grbit & bitRetrieveIgnoreDefault) === 0 && col.defaultValue !== null
    ? [col.defaultValue]
    : undefined
  const next = JET_COLUMNID(col.id)
  const v = vs?.[itag - 1]
  if (v === undefined) return { err: E.JET_wrnColumnNull, cbActual: 0, columnidNextTagged: next }
  const data = ib > 0 ? v.subarray(Math.min(ib, v.length)) : v
  copyOut(pv, cb, data)
  return {
    err: cb < data.length ? E.JET_wrnBufferTruncated : 0,
    cbActual: data.length,
    columnidNextTagged: next
  }
}

/** Sets a value into a prepared update. */
export const setOne = (
  c: Cursor,
  t: TableVersion,
  columnid: number,
  pv: Uint8Array | null,
  cb: number,
  grbit: number,
  ib: number,
  itag: number
): number => {
  const prep = c.prep
  if (prep === undefined) return E.JET_errUpdateNotPrepared
  if (pv !== null && cb > pv.byteLength) return E.JET_errInvalidParameter
  const col = t.schema.columns.get(columnid)
  if (col === undefined) return E.JET_errColumnNotFound
  if ((col.grbit & bitColumnAutoincrement) !== 0 && prep.mode !== prepInsertMustSetAutoIncrement) {
    return E.JET_errInvalidColumnType
  }
  if ((col.grbit & bitColumnVersion) !== 0) return E.JET_errInvalidColumnType
  const list = prep.values.get(columnid)
  const current = list === undefined ? [] : list.slice()
  const multi = (col.grbit & bitColumnMultiValued) !== 0
  // Which slot: itag 0 or past the end appends to a multi-valued column; a single-valued column
  // has one slot.
  let slot = multi ? (itag === 0 || itag > current.length ? current.length : itag - 1) : 0
  if ((grbit & bitSetRevertToDefaultValue) !== 0) {
    prep.values.delete(columnid)
    return 0
  }
  const isNull = pv === null || (cb === 0 && (grbit & (bitSetZeroLength | bitSetSizeLV)) === 0)
  if (isNull && (grbit & (bitSetAppendLV | bitSetOverwriteLV)) === 0) {
    if ((col.grbit & bitColumnNotNULL) !== 0) return E.JET_errNullInvalid
    if (slot < current.length) current.splice(slot, 1)
    if (current.length === 0) prep.values.delete(columnid)
    else prep.values.set(columnid, current)
    return 0
  }
  const data = copyBytes(pv, cb)
  let value: Uint8Array
  const long = isLongType(col.coltyp)
  const existing = current[slot]
  if (long && (grbit & bitSetAppendLV) !== 0 && existing !== undefined) {
    value = new Uint8Array(existing.length + data.length)
    value.set(existing, 0)
    value.set(data, existing.length)
  } else if (long && (grbit & bitSetOverwriteLV) !== 0) {
    const base = existing ?? empty
    if (ib > base.length) return E.JET_errInvalidParameter
    value = new Uint8Array(Math.max(base.length, ib + data.length))
    value.set(base, 0)
    value.set(data, ib)
  } else if (long && (grbit & bitSetSizeLV) !== 0) {
    value = new Uint8Array(cb)
    if (existing !== undefined) value.set(existing.subarray(0, Math.min(cb, existing.length)), 0)
  } else {
    value = data
    if (existing === undefined && !multi) slot = 0
  }
  const f = fixedSize(col.coltyp)
  if (f !== 0 && value.length !== f) return E.JET_errInvalidBufferSize
  if (value.length > columnMax(col)) return E.JET_errColumnTooBig
  value = fixedStored(col, value)
  if (multi && (grbit & (bitSetUniqueMultiValues | bitSetUniqueNormalizedMultiValues)) !== 0) {
    for (let i = 0; i < current.length; i++) {
      if (i !== slot && compareBytes(current[i] as Uint8Array, value) === 0) {
        return E.JET_errMultiValuedDuplicate
      }
    }
  }
  current[slot] = value
  prep.values.set(columnid, current)
  return 0
}

/** The columns of a schema that every update visits, listed once per schema. */
export interface ColumnLists {
  readonly autoincrement: ReadonlyArray<ColumnDef>
  readonly version: ReadonlyArray<ColumnDef>
  readonly notNull: ReadonlyArray<ColumnDef>
}

const listsCache = new WeakMap<Schema, ColumnLists & { readonly count: number }>()

/**
 * The autoincrement, version and NOT NULL columns of a schema. A schema is copied before every
 * change, so a list made for one stays right; the column count guards a schema still being built.
 */
export const columnLists = (schema: Schema): ColumnLists => {
  const cached = listsCache.get(schema)
  if (cached !== undefined && cached.count === schema.columns.size) return cached
  const autoincrement: Array<ColumnDef> = []
  const version: Array<ColumnDef> = []
  const notNull: Array<ColumnDef> = []
  for (const col of schema.columns.values()) {
    if ((col.grbit & bitColumnAutoincrement) !== 0) autoincrement.push(col)
    if ((col.grbit & bitColumnVersion) !== 0) version.push(col)
    if ((col.grbit & bitColumnNotNULL) !== 0) notNull.push(col)
  }
  const lists = { autoincrement, version, notNull, count: schema.columns.size }
  listsCache.set(schema, lists)
  return lists
}
