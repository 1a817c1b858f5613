/**
 * A record of the in-memory engine, its column values packed into one string.
 *
 * A record used to be a `Map` of column ids to arrays of `Uint8Array`s: some twenty small heap
 * objects and three backing stores for a three-column row, ~1,500 bytes of heap, and a chain of
 * pointers to follow on every read. Packed, it is two objects (the record and its string), and a
 * column read walks a few bytes of one string. Strings are the compact choice: one-byte strings keep
 * their bytes inline in the heap, need no backing store, and are immutable, as a committed record is.
 *
 * The packed form, in bytes (one character per byte): for every column with values, its id, the
 * number of values and, per value, its length followed by its bytes; ids, counts and lengths are
 * unsigned LEB128 varints. Columns without values are left out.
 *
 * @module
 */

/** Column id → values, the form a prepared update builds and the engine's slower paths read. */
export type ColumnValues = Map<number, Array<Uint8Array>>

// The scratch buffer a record is packed in before it becomes a string; grown as needed.
let scratch = new Uint8Array(256)

const reserve = (at: number, more: number): void => {
  if (at + more <= scratch.length) return
  let size = scratch.length * 2
  while (size < at + more) size *= 2
  const grown = new Uint8Array(size)
  grown.set(scratch.subarray(0, at))
  scratch = grown
}

const putVarint = (at: number, n: number): number => {
  while (n >= 0x80) {
    scratch[at++] = (n & 0x7f) | 0x80
    n = Math.floor(n / 0x80)
  }
  scratch[at++] = n
  return at
}

const CHUNK = 4096

const pack = (values: ReadonlyMap<number, ReadonlyArray<Uint8Array>>): string => {
  let at = 0
  for (const [id, list] of values) {
    if (list.length === 0) continue
    reserve(at, 10)
    at = putVarint(at, id)
    at = putVarint(at, list.length)
    for (const v of list) {
      reserve(at, 5 + v.length)
      at = putVarint(at, v.length)
      scratch.set(v, at)
      at += v.length
    }
  }
  if (at <= CHUNK) return String.fromCharCode.apply(null, scratch.subarray(0, at) as unknown as Array<number>)
  let s = ""
  for (let i = 0; i < at; i += CHUNK) {
    s += String.fromCharCode.apply(
      null,
      scratch.subarray(i, Math.min(at, i + CHUNK)) as unknown as Array<number>
    )
  }
  return s
}

// Where the last varint read by `getVarint` ended: kept here so that reading one allocates nothing.
let cursor = 0

const getVarint = (s: string, at: number): number => {
  let n = 0
  let scale = 1
  for (;;) {
    const b = s.charCodeAt(at++)
    n += (b & 0x7f) * scale
    if (b < 0x80) break
    scale *= 0x80
  }
  cursor = at
  return n
}

/** {@link Rec.locate}'s answer when the record has no value for the column at all. */
export const noColumn = -2
/** {@link Rec.locate}'s answer when the column has values but not as many as asked. */
export const noValue = -1

/**
 * A record: every non-NULL column's values (one for ordinary columns, several for multi-valued
 * ones), packed. Immutable once in an index; a replace makes a new one.
 */
export class Rec {
  private readonly packed: string
  /** When the writing transaction committed; `Infinity` while it has not. */
  commitTs: number
  /** The session id of the writer. */
  readonly writer: bigint
  /** The length of the value {@link locate} found last. */
  static foundLength = 0

  constructor(values: ReadonlyMap<number, ReadonlyArray<Uint8Array>>, commitTs: number, writer: bigint) {
    this.packed = pack(values)
    this.commitTs = commitTs
    this.writer = writer
  }

  /** The values, unpacked into a fresh map that the caller may change. */
  get values(): ColumnValues {
    const s = this.packed
    const out: ColumnValues = new Map()
    let at = 0
    while (at < s.length) {
      const id = getVarint(s, at)
      const count = getVarint(s, cursor)
      at = cursor
      const list: Array<Uint8Array> = new Array(count)
      for (let j = 0; j < count; j++) {
        const length = getVarint(s, at)
        at = cursor
        const v = new Uint8Array(length)
        for (let i = 0; i < length; i++) v[i] = s.charCodeAt(at + i)
        list[j] = v
        at += length
      }
      out.set(id, list)
    }
    return out
  }

  /**
   * Where value `itag` (1-based) of a column starts in the packed string, its length left in
   * {@link Rec.foundLength}; {@link noColumn} when the column has no value, {@link noValue} when it
   * has fewer than `itag`.
   */
  locate(columnid: number, itag: number): number {
    const s = this.packed
    let at = 0
    while (at < s.length) {
      const id = getVarint(s, at)
      const count = getVarint(s, cursor)
      at = cursor
      if (id !== columnid) {
        for (let j = 0; j < count; j++) at = getVarint(s, at) + cursor
        continue
      }
      if (itag > count) return noValue
      for (let j = 1; j < itag; j++) at = getVarint(s, at) + cursor
      Rec.foundLength = getVarint(s, at)
      return cursor
    }
    return noColumn
  }

  /**
   * Copies bytes `[from, from + count)` of the packed form into `dst` from offset 0: a value that
   * {@link locate} found, or its tail.
   */
  copyTo(dst: Uint8Array, from: number, count: number): void {
    const s = this.packed
    for (let i = 0; i < count; i++) dst[i] = s.charCodeAt(from + i)
  }
}
