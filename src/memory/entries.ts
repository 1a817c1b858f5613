/**
 * Records and their index entries: the keys a record has in each index (NULL handling, multi-valued
 * columns, conditional indexes, truncation), and writing or removing a record together with all of
 * its entries in a table version's sorted indexes (see tree.ts for the indexes, record.ts for the
 * packed record).
 *
 * @module
 */
import { jetErrorCodes as E } from "../jet/errors.generated.ts"
import {
  bitColumnFixed,
  bitIndexDisallowNull,
  bitIndexDisallowTruncation,
  bitIndexDotNetGuid,
  bitIndexIgnoreAnyNull,
  bitIndexIgnoreFirstNull,
  bitIndexIgnoreNull,
  bitIndexSortNullsHigh,
  coltypBinary
} from "./constants.ts"
import type { SegmentSpec } from "./keys.ts"
import { makeIndexKey } from "./keys.ts"
import type { ColumnDef, IndexDef, Schema, TableVersion } from "./model.ts"
import { Rec } from "./record.ts"
import { toKey } from "./tree.ts"

export const effectiveValues = (
  col: ColumnDef,
  values: Map<number, Array<Uint8Array>>
): Array<Uint8Array> | undefined => {
  const v = values.get(col.id)
  if (v !== undefined && v.length > 0) return v
  return col.defaultValue === null ? undefined : [col.defaultValue]
}

export const specsCache = new WeakMap<IndexDef, ReadonlyArray<SegmentSpec>>()

export const indexSpecs = (schema: Schema, idx: IndexDef): ReadonlyArray<SegmentSpec> => {
  let specs = specsCache.get(idx)
  if (specs === undefined) {
    specs = idx.segments.map((seg) => {
      const col = schema.columns.get(seg.columnId)
      return {
        coltyp: col?.coltyp ?? coltypBinary,
        cp: col?.cp ?? 0,
        descending: seg.descending,
        nullsHigh: (idx.grbit & bitIndexSortNullsHigh) !== 0,
        fixed: col !== undefined && (col.grbit & bitColumnFixed) !== 0,
        dotNetGuid: (idx.grbit & bitIndexDotNetGuid) !== 0,
        ...(col !== undefined && col.cbMax !== 0 ? { cbMax: col.cbMax } : {})
      }
    })
    specsCache.set(idx, specs)
  }
  return specs
}

/** The keys a record has in an index (none when the index ignores its NULLs), or an error code. */
export const recordKeys = (
  schema: Schema,
  idx: IndexDef,
  values: Map<number, Array<Uint8Array>>
): Array<string> | number => {
  const specs = indexSpecs(schema, idx)
  const n = idx.segments.length
  const segVals: Array<Array<Uint8Array> | undefined> = new Array(n)
  let anyNull = false
  let allNull = true
  let mv = -1
  for (let i = 0; i < n; i++) {
    const seg = idx.segments[i] as IndexDef["segments"][number]
    const col = schema.columns.get(seg.columnId)
    const v = col === undefined ? undefined : effectiveValues(col, values)
    segVals[i] = v
    if (v === undefined) anyNull = true
    else allNull = false
    if (v !== undefined && v.length > 1 && mv < 0) mv = i
  }
  const g = idx.grbit
  // A conditional index leaves out the records whose condition columns are not as asked.
  for (const c of idx.conditions ?? []) {
    const col = schema.columns.get(c.columnId)
    const isNull = col === undefined || effectiveValues(col, values) === undefined
    if (isNull !== c.mustBeNull) return []
  }
  if (anyNull && (g & bitIndexDisallowNull) !== 0) return E.JET_errNullKeyDisallowed
  if (anyNull && (g & bitIndexIgnoreAnyNull) !== 0) return []
  if (segVals[0] === undefined && (g & bitIndexIgnoreFirstNull) !== 0) return []
  if (allNull && (g & bitIndexIgnoreNull) !== 0) return []
  if (mv < 0) {
    const k = entryKey(specs, segVals, n, mv, 0, idx.cbKeyMost, g)
    return typeof k === "number" ? k : [k]
  }
  const keys: Array<string> = []
  const count = (segVals[mv] as Array<Uint8Array>).length
  for (let j = 0; j < count; j++) {
    const k = entryKey(specs, segVals, n, mv, j, idx.cbKeyMost, g)
    if (typeof k === "number") return k
    if (!keys.includes(k)) keys.push(k)
  }
  return keys
}

// The segment values of the key being built; makeIndexKey reads them before it returns.
const chosen: Array<Uint8Array | null> = []

/** One key of a record: value `choice` of the multi-valued segment `mv`, the first of the others. */
const entryKey = (
  specs: ReadonlyArray<SegmentSpec>,
  segVals: ReadonlyArray<Array<Uint8Array> | undefined>,
  n: number,
  mv: number,
  choice: number,
  cbKeyMost: number,
  grbit: number
): string | number => {
  for (let i = 0; i < n; i++) {
    const v = segVals[i]
    chosen[i] = v === undefined ? null : (v[i === mv ? choice : 0] as Uint8Array)
  }
  const k = makeIndexKey(specs, chosen, cbKeyMost)
  chosen.fill(null)
  if (k.truncated && (grbit & bitIndexDisallowTruncation) !== 0) return E.JET_errKeyTruncated
  return toKey(k.key)
}

export const primaryKeyOf = (t: TableVersion, bm: string): string => t.shared.dbk < 0 ? bm.slice(0, -4) : bm

export const getRecord = (t: TableVersion, bm: string): Rec | undefined =>
  t.primary.get(primaryKeyOf(t, bm), bm)

/**
 * Writes a record (or removes it, `rec` undefined) with all its index entries. `newKeys` may hand
 * in the secondary keys already computed for `rec`.
 */
export const putRecord = (
  t: TableVersion,
  bm: string,
  rec: Rec | undefined,
  newKeys?: Map<string, Array<string>>,
  fresh = false
): void => {
  const pk = primaryKeyOf(t, bm)
  const old = fresh ? undefined : t.primary.get(pk, bm)
  const schema = t.schema
  // Unpacked once for all the indexes rather than once per index.
  const oldValues = old === undefined || t.secondaries.size === 0 ? undefined : old.values
  let newValues: Map<number, Array<Uint8Array>> | undefined
  for (const [name, tree] of t.secondaries) {
    const idx = schema.indexes.get(name)
    if (idx === undefined) continue
    if (oldValues !== undefined) {
      const ks = recordKeys(schema, idx, oldValues)
      if (typeof ks !== "number") { for (const k of ks) tree.remove(k, bm) }
    }
    if (rec !== undefined) {
      const ks = newKeys?.get(name) ?? recordKeys(schema, idx, newValues ??= rec.values)
      if (typeof ks !== "number") { for (const k of ks) tree.insert(k, bm, null) }
    }
  }
  if (rec === undefined) t.primary.remove(pk, bm)
  else if (old !== undefined) t.primary.set(pk, bm, rec)
  else t.primary.insert(pk, bm, rec)
}
