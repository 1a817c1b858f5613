/**
 * A sorted multiset of index entries `(key, bookmark) → value`: a list of sorted blocks, each block
 * at most {@link blockMost} entries, giving O(log n) seeks and inserts without moving every entry.
 * Blocks are copy-on-write: {@link SortedIndex.clone} is O(number of blocks) and the clone and the
 * original share blocks until either writes to one, which is how transaction snapshots stay cheap.
 *
 * @module
 */

const blockMost = 256

/** How a probe compares when its key ties with an entry's key. */
export type ProbeMode =
  /** Compare the bookmark too: an exact entry. */
  | 0
  /** The probe sorts before every entry with the same key: finds the first entry of a key. */
  | -1
  /** The probe sorts after every entry that starts with its key: finds the end of a prefix. */
  | 1

/** Compares two byte strings as memcmp, a prefix sorting first. */
export const compareBytes = (a: Uint8Array, b: Uint8Array): number => {
  const n = a.length < b.length ? a.length : b.length
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number)
    if (d !== 0) return d
  }
  return a.length - b.length
}

/**
 * A key's bytes as a latin1 string. Index keys are held as such strings: V8 compares one-byte
 * strings natively in memcmp order (a prefix first), several times faster than comparing
 * `Uint8Array`s element by element, and a string keeps its bytes inline.
 */
export const toKey = (b: Uint8Array): string => {
  const n = b.length
  if (n <= 12) {
    // Appending one character at a time is the fastest way to a short string, and below 13
    // characters V8 makes each step a flat string rather than a rope.
    let s = ""
    for (let i = 0; i < n; i++) s += String.fromCharCode(b[i] as number)
    return s
  }
  if (n <= 4096) return String.fromCharCode.apply(null, b as unknown as Array<number>)
  let s = ""
  for (let i = 0; i < b.length; i += 4096) {
    s += String.fromCharCode.apply(null, b.subarray(i, i + 4096) as unknown as Array<number>)
  }
  return s
}

/** The bytes of a key string made by {@link toKey}. */
export const fromKey = (s: string): Uint8Array => {
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i)
  return out
}

const compareProbe = (key: string, bm: string, pKey: string, pBm: string, mode: ProbeMode): number => {
  if (mode === 1) {
    if (key.startsWith(pKey)) return -1
    return key < pKey ? -1 : 1
  }
  if (key !== pKey) return key < pKey ? -1 : 1
  if (mode === -1) return 1
  return bm === pBm ? 0 : bm < pBm ? -1 : 1
}

/**
 * The first six bytes of a key as a number, missing bytes read as `pad`: keys whose prefixes differ
 * compare as their prefixes do, so a search compares numbers in unboxed arrays and reads a key
 * string only on a tie. Padding with 0 gives the least key that starts with those bytes, with 0xff
 * the greatest (what a probe of mode 1 stands for).
 */
export const prefixOf = (key: string, pad: number): number => {
  const n = key.length
  return ((((((n > 0 ? key.charCodeAt(0) : pad) * 256 + (n > 1 ? key.charCodeAt(1) : pad)) * 256
            + (n > 2 ? key.charCodeAt(2) : pad)) * 256 + (n > 3 ? key.charCodeAt(3) : pad)) * 256
    + (n > 4 ? key.charCodeAt(4) : pad)) * 256) + (n > 5 ? key.charCodeAt(5) : pad)
}

/**
 * A run of entries in sorted order, one array per field. A primary index's bookmark is usually its
 * key and a secondary index's value is always `null`: such a column is left out (`null`) until an
 * entry differs, which spares a quarter of the moves on every insert and remove.
 */
class Block<V> {
  owner: number
  /** Each key's {@link prefixOf} (padded with 0), beside the keys. */
  pres: Array<number>
  keys: Array<string>
  /** `null`: every entry's bookmark is its key. */
  bms: Array<string> | null
  /** `null`: every entry's value is `null`. */
  vals: Array<V> | null
  constructor(
    owner: number,
    pres: Array<number>,
    keys: Array<string>,
    bms: Array<string> | null,
    vals: Array<V> | null
  ) {
    this.owner = owner
    this.pres = pres
    this.keys = keys
    this.bms = bms
    this.vals = vals
  }
}

let tokens = 1

/** A position in a {@link SortedIndex}: block and slot. Valid until the index changes. */
export interface TreePos {
  b: number
  i: number
}

const empty = ""

/** The sorted, copy-on-write entry list of one index. */
export class SortedIndex<V> {
  private token: number
  private blocks: Array<Block<V>>
  // Each block's last key and bookmark, side by side: the search over blocks reads only these, not
  // three objects per step.
  private lastPres: Array<number>
  private lastKeys: Array<string>
  private lastBms: Array<string>
  /** How many entries. */
  size: number
  /** Bumped by every change, so that a cached {@link TreePos} can be checked for staleness. */
  mods: number
  // Where the last failed exact lookup would insert: an insert usually follows a lookup that proved
  // the entry absent, and reusing its position spares a second search.
  private missKey: string
  private missBm: string
  private missPos: TreePos | undefined
  private missMods: number

  constructor() {
    this.token = tokens++
    this.blocks = []
    this.lastPres = []
    this.lastKeys = []
    this.lastBms = []
    this.size = 0
    this.mods = 0
    this.missKey = empty
    this.missBm = empty
    this.missPos = undefined
    this.missMods = -1
  }

  /** A copy sharing every block with this index until either side writes. */
  clone(): SortedIndex<V> {
    const c = new SortedIndex<V>()
    c.blocks = this.blocks.slice()
    c.lastPres = this.lastPres.slice()
    c.lastKeys = this.lastKeys.slice()
    c.lastBms = this.lastBms.slice()
    c.size = this.size
    // The clone has the same blocks, so a position found in this index holds in the clone too.
    if (this.missMods === this.mods) {
      c.missKey = this.missKey
      c.missBm = this.missBm
      c.missPos = this.missPos
      c.missMods = c.mods
    }
    // Both sides now share blocks: neither owns any of them any more.
    this.token = tokens++
    this.mods++
    return c
  }

  /** The first position whose entry is not below the probe, or `undefined` past the end. */
  seek(key: string, bm: string | null, mode: ProbeMode): TreePos | undefined {
    const blocks = this.blocks
    const pBm = bm ?? empty
    const pre = prefixOf(key, mode === 1 ? 0xff : 0)
    const lastPres = this.lastPres
    let lo = 0
    let hi = blocks.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const lp = lastPres[mid] as number
      if (
        lp < pre
        || (lp === pre
          && compareProbe(this.lastKeys[mid] as string, this.lastBms[mid] as string, key, pBm, mode) < 0)
      ) lo = mid + 1
      else hi = mid
    }
    if (lo === blocks.length) return undefined
    const blk = blocks[lo] as Block<V>
    const pres = blk.pres
    const keys = blk.keys
    const bms = blk.bms ?? keys
    let l = 0
    let h = pres.length
    while (l < h) {
      const m = (l + h) >>> 1
      const ep = pres[m] as number
      if (ep < pre || (ep === pre && compareProbe(keys[m] as string, bms[m] as string, key, pBm, mode) < 0)) {
        l = m + 1
      } else h = m
    }
    return { b: lo, i: l }
  }

  /** The last position whose entry is below the probe, or `undefined`. */
  seekBefore(key: string, bm: string | null, mode: ProbeMode): TreePos | undefined {
    const p = this.seek(key, bm, mode)
    if (p === undefined) return this.last()
    return this.prev(p)
  }

  /** The position of the exact entry, or `undefined`. */
  find(key: string, bm: string): TreePos | undefined {
    const p = this.seek(key, bm, 0)
    if (p !== undefined) {
      const blk = this.blocks[p.b] as Block<V>
      if (blk.keys[p.i] === key && (blk.bms ?? blk.keys)[p.i] === bm) return p
    }
    this.missKey = key
    this.missBm = bm
    this.missPos = p
    this.missMods = this.mods
    return undefined
  }

  /** The value of the exact entry, or `undefined`. */
  get(key: string, bm: string): V | undefined {
    const p = this.find(key, bm)
    return p === undefined ? undefined : this.valAt(p)
  }

  /** The first position, or `undefined` when empty. */
  first(): TreePos | undefined {
    return this.blocks.length === 0 ? undefined : { b: 0, i: 0 }
  }

  /** The last position, or `undefined` when empty. */
  last(): TreePos | undefined {
    const n = this.blocks.length
    return n === 0 ? undefined : { b: n - 1, i: (this.blocks[n - 1] as Block<V>).keys.length - 1 }
  }

  /** The next position, or `undefined` past the end. */
  next(p: TreePos): TreePos | undefined {
    const blk = this.blocks[p.b] as Block<V>
    if (p.i + 1 < blk.keys.length) return { b: p.b, i: p.i + 1 }
    return p.b + 1 < this.blocks.length ? { b: p.b + 1, i: 0 } : undefined
  }

  /** The previous position, or `undefined` before the start. */
  prev(p: TreePos): TreePos | undefined {
    if (p.i > 0) return { b: p.b, i: p.i - 1 }
    if (p.b === 0) return undefined
    return { b: p.b - 1, i: (this.blocks[p.b - 1] as Block<V>).keys.length - 1 }
  }

  /**
   * The numeric prefix of the key at a position ({@link prefixOf}, padded with 0). A subclass that
   * keeps its entries elsewhere (the file engine's index) and answers {@link keyAt} gets the prefix
   * of that key.
   */
  prefixAt(p: TreePos): number {
    const blk = this.blocks[p.b]
    return blk !== undefined && p.i < blk.pres.length ? blk.pres[p.i] as number : prefixOf(this.keyAt(p), 0)
  }

  /** The key at a position. */
  keyAt(p: TreePos): string {
    return (this.blocks[p.b] as Block<V>).keys[p.i] as string
  }

  /** The bookmark at a position. */
  bmAt(p: TreePos): string {
    const blk = this.blocks[p.b] as Block<V>
    return (blk.bms ?? blk.keys)[p.i] as string
  }

  /** The value at a position. */
  valAt(p: TreePos): V {
    const vals = (this.blocks[p.b] as Block<V>).vals
    return (vals === null ? null : vals[p.i]) as V
  }

  /** How many entries come before a position. */
  ordinal(p: TreePos): number {
    let n = p.i
    for (let b = 0; b < p.b; b++) n += (this.blocks[b] as Block<V>).keys.length
    return n
  }

  /** The position of the entry with that many entries before it, or `undefined`. */
  at(ordinal: number): TreePos | undefined {
    if (ordinal < 0 || ordinal >= this.size) return undefined
    let n = ordinal
    for (let b = 0; b < this.blocks.length; b++) {
      const len = (this.blocks[b] as Block<V>).keys.length
      if (n < len) return { b, i: n }
      n -= len
    }
    return undefined
  }

  private writable(b: number): Block<V> {
    const blk = this.blocks[b] as Block<V>
    if (blk.owner === this.token) return blk
    const copy = new Block(
      this.token,
      blk.pres.slice(),
      blk.keys.slice(),
      blk.bms === null ? null : blk.bms.slice(),
      blk.vals === null ? null : blk.vals.slice()
    )
    this.blocks[b] = copy
    return copy
  }

  /** Inserts an entry; `false` when the exact entry already exists. */
  insert(key: string, bm: string, val: V): boolean {
    this.mods++
    if (this.blocks.length === 0) {
      const pre = prefixOf(key, 0)
      this.blocks.push(
        new Block(this.token, [pre], [key], bm === key ? null : [bm], val === null ? null : [val])
      )
      this.lastPres.push(pre)
      this.lastKeys.push(key)
      this.lastBms.push(bm)
      this.size = 1
      return true
    }
    let p: TreePos | undefined
    if (this.missMods === this.mods - 1 && this.missKey === key && this.missBm === bm) {
      p = this.missPos
      this.missMods = -1
    } else {
      p = this.seek(key, bm, 0)
      if (p !== undefined) {
        const blk = this.blocks[p.b] as Block<V>
        if (blk.keys[p.i] === key && (blk.bms ?? blk.keys)[p.i] === bm) return false
      }
    }
    if (p === undefined) {
      const b = this.blocks.length - 1
      p = { b, i: (this.blocks[b] as Block<V>).keys.length }
    }
    const blk = this.writable(p.b)
    const pre = prefixOf(key, 0)
    if (blk.bms === null && bm !== key) blk.bms = blk.keys.slice()
    if (blk.vals === null && val !== null) blk.vals = new Array<V>(blk.keys.length).fill(null as V)
    if (p.i === blk.keys.length) {
      blk.pres.push(pre)
      blk.keys.push(key)
      blk.bms?.push(bm)
      blk.vals?.push(val)
      this.lastPres[p.b] = pre
      this.lastKeys[p.b] = key
      this.lastBms[p.b] = bm
    } else {
      blk.pres.splice(p.i, 0, pre)
      blk.keys.splice(p.i, 0, key)
      blk.bms?.splice(p.i, 0, bm)
      blk.vals?.splice(p.i, 0, val)
    }
    this.size++
    if (blk.keys.length > blockMost) {
      const half = blk.keys.length >>> 1
      const right = new Block(
        this.token,
        blk.pres.splice(half),
        blk.keys.splice(half),
        blk.bms === null ? null : blk.bms.splice(half),
        blk.vals === null ? null : blk.vals.splice(half)
      )
      this.blocks.splice(p.b + 1, 0, right)
      this.lastPres.splice(p.b, 0, blk.pres[half - 1] as number)
      this.lastKeys.splice(p.b, 0, blk.keys[half - 1] as string)
      this.lastBms.splice(p.b, 0, (blk.bms ?? blk.keys)[half - 1] as string)
    }
    return true
  }

  /** Replaces the value of an existing entry; `false` when absent. */
  set(key: string, bm: string, val: V): boolean {
    const p = this.find(key, bm)
    if (p === undefined) return false
    this.mods++
    const blk = this.writable(p.b)
    if (blk.vals === null) {
      if (val === null) return true
      blk.vals = new Array<V>(blk.keys.length).fill(null as V)
    }
    blk.vals[p.i] = val
    return true
  }

  /** Removes an entry; `false` when absent. */
  remove(key: string, bm: string): boolean {
    const p = this.find(key, bm)
    if (p === undefined) return false
    this.mods++
    const blk = this.writable(p.b)
    blk.pres.splice(p.i, 1)
    blk.keys.splice(p.i, 1)
    blk.bms?.splice(p.i, 1)
    blk.vals?.splice(p.i, 1)
    this.size--
    const n = blk.keys.length
    if (n === 0) {
      this.blocks.splice(p.b, 1)
      this.lastPres.splice(p.b, 1)
      this.lastKeys.splice(p.b, 1)
      this.lastBms.splice(p.b, 1)
    } else if (p.i === n) {
      this.lastPres[p.b] = blk.pres[n - 1] as number
      this.lastKeys[p.b] = blk.keys[n - 1] as string
      this.lastBms[p.b] = (blk.bms ?? blk.keys)[n - 1] as string
    }
    return true
  }
}
