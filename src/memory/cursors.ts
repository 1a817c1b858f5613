/**
 * Cursor navigation: where a cursor stands in its current index (on an entry, between entries,
 * before the first or after the last), moving and seeking within the index and its range, and the
 * record under the cursor.
 *
 * @module
 */
import { jetErrorCodes as E } from "../jet/errors.generated.ts"
import { bitMoveKeyNE, moveFirst, moveLast } from "./constants.ts"
import { getRecord, primaryKeyOf, recordKeys } from "./entries.ts"
import type { IndexDef, TableVersion } from "./model.ts"
import { nameKey } from "./model.ts"
import { Rec } from "./record.ts"
import type { Cursor, Range, SearchKey } from "./state.ts"
import type { TreePos } from "./tree.ts"
import { prefixOf, SortedIndex, toKey } from "./tree.ts"

export const cursorIndex = (c: Cursor, t: TableVersion): IndexDef | undefined =>
  c.indexName === undefined ? t.schema.primary : t.schema.indexes.get(nameKey(c.indexName))

export const cursorTree = (c: Cursor, t: TableVersion): SortedIndex<unknown> => {
  if (c.indexName === undefined) return t.primary as SortedIndex<unknown>
  return (t.secondaries.get(nameKey(c.indexName)) ?? t.primary) as SortedIndex<unknown>
}

export const setOn = (c: Cursor, tree: SortedIndex<unknown>, p: TreePos): void => {
  c.state = 1
  c.key = tree.keyAt(p)
  c.bm = tree.bmAt(p)
  c.hintTree = tree
  c.hintMods = tree.mods
  c.hintPos = p
}

export const setBetween = (
  c: Cursor,
  tree: SortedIndex<unknown>,
  p: TreePos | undefined,
  forward: boolean
): void => {
  c.hintTree = undefined
  if (p === undefined) {
    c.state = forward ? 2 : 0
    return
  }
  c.state = 3
  c.key = tree.keyAt(p)
  c.bm = tree.bmAt(p)
  if (!forward) {
    // Just after p: "before the entry following p".
    const n = tree.next(p)
    if (n === undefined) c.state = 2
    else {
      c.key = tree.keyAt(n)
      c.bm = tree.bmAt(n)
    }
  }
}

export const currentPos = (c: Cursor, tree: SortedIndex<unknown>): TreePos | undefined => {
  if (c.state === 4) {
    // The deferred move-first happens now; on an empty index it stays deferred.
    const first = tree.first()
    if (first !== undefined) setOn(c, tree, first)
    return first
  }
  if (c.state !== 1) return undefined
  if (c.hintTree === tree && c.hintMods === tree.mods && c.hintPos !== undefined) return c.hintPos
  const p = tree.find(c.key, c.bm)
  if (p !== undefined) {
    c.hintTree = tree
    c.hintMods = tree.mods
    c.hintPos = p
  }
  return p
}

export const inRange = (c: Cursor, key: string): boolean => {
  const r = c.range
  if (r === undefined) return true
  if (r.upper) return r.inclusive ? key < r.key || key.startsWith(r.key) : key < r.key
  return r.inclusive ? key >= r.key : key > r.key && !key.startsWith(r.key)
}

/** A range limit on `key`, with the prefixes {@link entryInRange} compares first. */
export const makeRange = (key: string, inclusive: boolean, upper: boolean): Range => ({
  key,
  inclusive,
  upper,
  lo: prefixOf(key, 0),
  hi: prefixOf(key, 0xff)
})

/**
 * {@link inRange} for the entry at a position: its key's numeric prefix settles most entries
 * without reading the key string (a cache miss per row of a scan).
 */
export const entryInRange = (c: Cursor, tree: SortedIndex<unknown>, p: TreePos): boolean => {
  const r = c.range
  if (r === undefined) return true
  const pre = tree.prefixAt(p)
  if (r.upper) {
    if (pre < r.lo) return true
    if (pre > (r.inclusive ? r.hi : r.lo)) return false
  } else {
    if (pre < r.lo) return false
    if (pre > (r.inclusive ? r.lo : r.hi)) return true
  }
  return inRange(c, tree.keyAt(p))
}

export const stepFrom = (c: Cursor, tree: SortedIndex<unknown>, forward: boolean): TreePos | undefined => {
  if (c.state === 0 || c.state === 4) return forward ? tree.first() : undefined
  if (c.state === 2) return forward ? undefined : tree.last()
  if (c.state === 3) return forward ? tree.seek(c.key, c.bm, 0) : tree.seekBefore(c.key, c.bm, 0)
  const p = currentPos(c, tree)
  if (p !== undefined) return forward ? tree.next(p) : tree.prev(p)
  return forward ? tree.seek(c.key, c.bm, 0) : tree.seekBefore(c.key, c.bm, 0)
}

export const move = (c: Cursor, t: TableVersion, cRow: number, grbit: number): number => {
  const tree = cursorTree(c, t)
  if (cRow === moveFirst || cRow === moveLast) {
    c.range = undefined
    const p = cRow === moveFirst ? tree.first() : tree.last()
    if (p === undefined) {
      c.state = cRow === moveFirst ? 2 : 0
      c.hintTree = undefined
      return E.JET_errNoCurrentRecord
    }
    setOn(c, tree, p)
    return 0
  }
  if (cRow === 0) return currentPos(c, tree) === undefined ? E.JET_errNoCurrentRecord : 0
  const forward = cRow > 0
  let n = Math.abs(cRow)
  while (n-- > 0) {
    let p: TreePos | undefined
    if ((grbit & bitMoveKeyNE) !== 0 && c.state === 1) {
      p = forward ? tree.seek(c.key, null, 1) : tree.seekBefore(c.key, null, -1)
    } else p = stepFrom(c, tree, forward)
    if (p === undefined) {
      c.state = forward ? 2 : 0
      c.hintTree = undefined
      return E.JET_errNoCurrentRecord
    }
    if (!entryInRange(c, tree, p)) {
      // ESE's ErrDIRICheckIndexRange: leaving the range removes it and puts the cursor after the
      // last entry (an upper limit) or before the first (a lower limit).
      c.state = (c.range as Range).upper ? 2 : 0
      c.range = undefined
      c.hintTree = undefined
      return E.JET_errNoCurrentRecord
    }
    setOn(c, tree, p)
  }
  return 0
}

/** The current record, or an error code. */
export const currentRecord = (c: Cursor, t: TableVersion): Rec | number => {
  if (c.state !== 1 && c.state !== 4) return E.JET_errNoCurrentRecord
  const tree = cursorTree(c, t)
  const p = currentPos(c, tree)
  if (p === undefined && c.state === 4) return E.JET_errNoCurrentRecord
  if (p === undefined) {
    // A replace that changed the current entry's key moved the entry, not the record: the
    // cursor still reads its record by bookmark (and moves from where the entry was).
    const moved = tree === t.primary ? undefined : getRecord(t, c.bm)
    return moved ?? E.JET_errRecordDeleted
  }
  if (tree === t.primary) return t.primary.valAt(p)
  const rec = getRecord(t, c.bm)
  return rec === undefined ? E.JET_errRecordDeleted : rec
}

export const searchKeyBytes = (c: Cursor, _t: TableVersion): string => toKey((c.search as SearchKey).key)

/** Positions the cursor on a record's entry in its current index. */
export const positionOnRecord = (c: Cursor, t: TableVersion, bm: string, rec: Rec, itag: number): number => {
  const tree = cursorTree(c, t)
  const idx = c.indexName === undefined ? undefined : cursorIndex(c, t)
  let key: string
  if (idx === undefined) key = primaryKeyOf(t, bm)
  else {
    const ks = recordKeys(t.schema, idx, rec.values)
    if (typeof ks === "number" || ks.length === 0) {
      c.state = 0
      return E.JET_errNoCurrentRecord
    }
    key = ks[Math.max(0, Math.min(ks.length - 1, itag - 1))] as string
  }
  const p = tree.find(key, bm)
  if (p === undefined) return E.JET_errNoCurrentRecord
  setOn(c, tree, p)
  return 0
}
