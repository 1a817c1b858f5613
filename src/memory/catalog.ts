/**
 * The catalog and DDL: adding columns and indexes to a table's schema (building a new index from the
 * table's records) and running a schema change on a table so that a failure leaves nothing behind
 * and a later commit can replay it.
 *
 * @module
 */
import type { JetIndexCreate } from "../jet/api.ts"
import { jetErrorCodes as E } from "../jet/errors.generated.ts"
import { columnMax, fixedStored } from "./columns.ts"
import {
  bitColumnAutoincrement,
  bitColumnEscrowUpdate,
  bitColumnFixed,
  bitColumnMultiValued,
  bitColumnNotNULL,
  bitColumnTagged,
  bitColumnVersion,
  bitIndexKeyMost,
  bitIndexPrimary,
  bitIndexUnicode,
  bitIndexUnique,
  coltypBinary,
  coltypCurrency,
  coltypLong,
  coltypLongLong,
  coltypLongText,
  coltypText
} from "./constants.ts"
import { recordKeys } from "./entries.ts"
import { parseIndexKey } from "./keys.ts"
import type { ColumnDef, Database, IndexDef, Schema, TableVersion } from "./model.ts"
import { copySchema, nameKey, ownTable } from "./model.ts"
import type { Cursor } from "./state.ts"
import { checkWritable } from "./state.ts"
import { logOp, readTable, writeTable } from "./transactions.ts"
import { SortedIndex } from "./tree.ts"
import { fixedSize, isLongType, validColtyp } from "./util.ts"

export const validName = (name: string): boolean =>
  name.length > 0 && name.length <= 64 && !name.startsWith(" ") && !/[\0!.[\]]/.test(name)

/** Adds a column to a schema (already copied); its id or an error code. */
export const addColumnTo = (
  schema: Schema,
  name: string,
  def: { coltyp: number; cbMax: number; grbit: number; cp: number },
  defaultValue: Uint8Array | null
): number => {
  if (!validName(name)) return E.JET_errInvalidName
  if (schema.byName.has(nameKey(name))) return E.JET_errColumnDuplicate
  const { coltyp } = def
  let grbit = def.grbit
  if (!validColtyp(coltyp)) return E.JET_errInvalidColumnType
  if ((grbit & bitColumnAutoincrement) !== 0 && coltyp !== coltypLong && coltyp !== coltypCurrency) {
    return E.JET_errInvalidColumnType
  }
  if ((grbit & bitColumnVersion) !== 0 && coltyp !== coltypLong) return E.JET_errInvalidColumnType
  if ((grbit & bitColumnEscrowUpdate) !== 0 && coltyp !== coltypLong && coltyp !== coltypLongLong) {
    return E.JET_errInvalidColumnType
  }
  if ((grbit & bitColumnMultiValued) !== 0 && (grbit & bitColumnTagged) === 0 && !isLongType(coltyp)) {
    return E.JET_errMultiValuedColumnMustBeTagged
  }
  if ((coltyp === coltypBinary || coltyp === coltypText) && def.cbMax > 255) {
    return E.JET_errInvalidParameter
  }
  const cp = coltyp === coltypText || coltyp === coltypLongText ? (def.cp === 0 ? 1252 : def.cp) : 0
  if (cp !== 0 && cp !== 1252 && cp !== 1200) return E.JET_errInvalidCodePage
  const col0: ColumnDef = { id: 0, name, coltyp, cbMax: def.cbMax, grbit, cp, defaultValue: null }
  if (defaultValue !== null) {
    if (defaultValue.length > (isLongType(coltyp) ? 255 : columnMax(col0))) {
      return E.JET_errDefaultValueTooBig
    }
    const f = fixedSize(coltyp)
    if (f !== 0 && defaultValue.length !== f) return E.JET_errInvalidBufferSize
  }
  let id: number
  if ((grbit & bitColumnTagged) !== 0 || isLongType(coltyp)) {
    id = schema.nextTagged++
    grbit |= bitColumnTagged
  } else if ((grbit & bitColumnFixed) !== 0 || fixedSize(coltyp) !== 0) {
    if (schema.nextFixed > 127) return E.JET_errTooManyColumns
    id = schema.nextFixed++
    grbit |= bitColumnFixed
  } else {
    if (schema.nextVar > 255) return E.JET_errTooManyColumns
    id = schema.nextVar++
  }
  if ((grbit & bitColumnAutoincrement) !== 0) grbit |= bitColumnNotNULL
  const padded = defaultValue === null ? null : fixedStored({ ...col0, grbit }, defaultValue)
  const col: ColumnDef = { ...col0, id, grbit, defaultValue: padded }
  schema.columns.set(id, col)
  schema.byName.set(nameKey(name), col)
  return id
}

/** Adds an index to a table version (schema already copied), building it; 0 or an error. */
export const addIndexTo = (t: TableVersion, ic: JetIndexCreate, maxKey: number): number => {
  const schema = t.schema
  if (!validName(ic.szIndexName)) return E.JET_errInvalidName
  if (schema.indexes.has(nameKey(ic.szIndexName))) return E.JET_errIndexDuplicate
  const parsed = parseIndexKey(ic.szKey)
  if (typeof parsed === "number") return parsed
  if (parsed.length === 0) return E.JET_errIndexInvalidDef
  const segments = []
  for (const p of parsed) {
    const col = schema.byName.get(nameKey(p.column))
    if (col === undefined) return E.JET_errColumnNotFound
    segments.push({ columnId: col.id, descending: p.descending })
  }
  const grbit = ic.grbit ?? 0
  const primary = (grbit & bitIndexPrimary) !== 0
  const conditions: Array<{ columnId: number; mustBeNull: boolean }> = []
  for (const cc of ic.rgconditionalcolumn ?? []) {
    // JET_bitIndexColumnMustBeNull 0x1, JET_bitIndexColumnMustBeNonNull 0x2: exactly one.
    if (cc.grbit !== 1 && cc.grbit !== 2) return E.JET_errInvalidGrbit
    const col = schema.byName.get(nameKey(cc.szColumnName))
    if (col === undefined) return E.JET_errColumnNotFound
    conditions.push({ columnId: col.id, mustBeNull: cc.grbit === 1 })
  }
  if (primary && conditions.length > 0) return E.JET_errInvalidParameter
  if (primary && schema.primary !== undefined) return E.JET_errIndexHasPrimary
  if (primary && t.primary.size > 0) return E.JET_errTableNotEmpty
  const cbKeyMost = (grbit & bitIndexKeyMost) !== 0 && (ic.cbKeyMost ?? 0) > 0
    ? ic.cbKeyMost ?? maxKey
    : maxKey
  const idx: IndexDef = {
    name: ic.szIndexName,
    grbit: primary ? grbit | bitIndexUnique : grbit,
    segments,
    cbKeyMost,
    primary,
    lcid: (grbit & bitIndexUnicode) !== 0 ? ic.pidxunicode?.lcid ?? 1033 : 1033,
    szKey: ic.szKey,
    ...(conditions.length > 0 ? { conditions } : {})
  }
  if (primary) {
    schema.primary = idx
    schema.indexes.set(nameKey(idx.name), idx)
    return 0
  }
  const tree = new SortedIndex<null>()
  for (let p = t.primary.first(); p !== undefined; p = t.primary.next(p)) {
    const bm = t.primary.bmAt(p)
    const ks = recordKeys(schema, idx, t.primary.valAt(p).values)
    if (typeof ks === "number") return ks === E.JET_errNullKeyDisallowed ? ks : ks
    for (const k of ks) {
      if ((idx.grbit & bitIndexUnique) !== 0) {
        const q = tree.seek(k, null, -1)
        if (q !== undefined && tree.keyAt(q) === k) return E.JET_errKeyDuplicate
      }
      tree.insert(k, bm, null)
    }
  }
  schema.indexes.set(nameKey(idx.name), idx)
  t.secondaries.set(nameKey(idx.name), tree)
  return 0
}

/** Runs a DDL change on a table in the session's write view and logs it for replay. */
export const ddlOnTable = (c: Cursor, change: (t: TableVersion) => number): number => {
  const e = checkWritable(c)
  if (e !== 0) return e
  const probe = readTable(c)
  if (probe === undefined) return E.JET_errObjectNotFound
  // Try on a copy first so that a failing change leaves nothing behind.
  const trial: TableVersion = {
    ...probe,
    schema: copySchema(probe.schema),
    secondaries: new Map(probe.secondaries)
  }
  const r = change(trial)
  if (r < 0) return r
  const t = writeTable(c) as TableVersion
  // The trial holds the indexes the change kept as the probe's trees, which another version may
  // share; the write view has its own copies of them.
  const kept = new Map(t.secondaries)
  t.schema = trial.schema
  t.secondaries.clear()
  for (const [k, v] of trial.secondaries) {
    t.secondaries.set(k, v === probe.secondaries.get(k) ? kept.get(k) ?? v : v)
  }
  if (c.temp === undefined) {
    const tid = c.tid
    logOp(c.s, c.db as Database, (v) => {
      const target = ownTable(v, tid)
      if (target === undefined) return
      const copy: TableVersion = {
        ...target,
        schema: copySchema(target.schema),
        secondaries: new Map(target.secondaries)
      }
      if (change(copy) < 0) return
      target.schema = copy.schema
      target.secondaries.clear()
      for (const [k, x] of copy.secondaries) target.secondaries.set(k, x)
    })
  }
  return r
}
