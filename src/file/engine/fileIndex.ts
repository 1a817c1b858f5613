/**
 * One B+tree of a database file seen through the in-memory engine's sorted-index interface, so that
 * the engine's cursor logic (moves, seeks, ranges, bookmarks, positions) runs unchanged over the
 * file. Entries are read on demand through the file's page cache; nothing is copied into memory
 * beyond the page cache and the record being read.
 *
 * A position carries its entry's key and bookmark, so a position handed back by the engine can be
 * found again even after the cursor walked elsewhere. The tree never changes: the write methods
 * refuse (the engine refuses writes before reaching them).
 *
 * @module
 */
import type { ProbeMode, TreePos } from "../../memory/tree.ts"
import { fromKey, SortedIndex, toKey } from "../../memory/tree.ts"
import type { TreeCursor, TreeEntry } from "../tree.ts"

/** A position in a file tree: page and node, with the entry's key and bookmark as strings. */
export interface FilePos extends TreePos {
  readonly key: string
  readonly bm: string
  readonly entry: TreeEntry
}

/** How an entry of this tree maps to the engine's (key, bookmark, value). */
export interface FileTreeShape<V> {
  /** The entry's bookmark: the record's primary key (the entry key itself in the primary tree). */
  readonly bookmarkOf: (entry: TreeEntry) => Uint8Array
  /** The entry's value: the decoded record (primary tree) or `null` (secondary index). */
  readonly valueOf: (entry: TreeEntry) => V
}

/** The smallest key above every key that starts with `prefix`, or undefined when there is none. */
const prefixEnd = (prefix: Uint8Array): Uint8Array | undefined => {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i]! < 0xff) {
      const end = prefix.slice(0, i + 1)
      end[i]!++
      return end
    }
  }
  return undefined
}

/**
 * A file B+tree answering the calls the in-memory engine makes on a {@link SortedIndex}. Created
 * with a factory of cursors over the tree (each a {@link TreeCursor} on the same root).
 */
export class FileIndex<V> extends SortedIndex<V> {
  private readonly openCursor: () => TreeCursor
  private readonly shape: FileTreeShape<V>
  // The cursor of the last step: a scan moves it one entry at a time instead of seeking again.
  private walker: TreeCursor | undefined
  private walkerAt: FilePos | undefined
  private counted: number | undefined

  constructor(openCursor: () => TreeCursor, shape: FileTreeShape<V>) {
    super()
    this.openCursor = openCursor
    this.shape = shape
    // The entry count is read from the file only when asked for (one walk of the tree, then kept).
    Object.defineProperty(this, "size", { get: () => this.count(), configurable: true })
  }

  private cursor(): TreeCursor {
    if (this.walker === undefined) this.walker = this.openCursor()
    return this.walker
  }

  private here(cursor: TreeCursor): FilePos | undefined {
    const entry = cursor.current
    if (entry === undefined) {
      this.walkerAt = undefined
      return undefined
    }
    const pos: FilePos = {
      b: entry.pgno,
      i: entry.index,
      key: toKey(entry.key),
      bm: toKey(this.shape.bookmarkOf(entry)),
      entry
    }
    this.walkerAt = pos
    return pos
  }

  /** Places the walker on `p` (seeking again only when it stands elsewhere). */
  private placeOn(p: TreePos): TreeCursor {
    const cursor = this.cursor()
    const at = this.walkerAt
    if (at !== undefined && at.b === p.b && at.i === p.i) return cursor
    const pos = p as FilePos
    let found = this.seekFrom(cursor, pos.key, pos.bm, 0)
    while (found !== undefined && (found.key !== pos.key || found.bm !== pos.bm)) {
      found = cursor.next() ? this.here(cursor) : undefined
    }
    return cursor
  }

  /** The first entry not below the probe, from a fresh descent of `cursor`. */
  private seekFrom(cursor: TreeCursor, key: string, bm: string | null, mode: ProbeMode): FilePos | undefined {
    const keyBytes = fromKey(key)
    if (mode === 1) {
      const end = prefixEnd(keyBytes)
      if (end === undefined) {
        cursor.reset()
        this.walkerAt = undefined
        return undefined
      }
      return cursor.seek(end) ? this.here(cursor) : this.here(cursor)
    }
    let p = cursor.seek(keyBytes) ? this.here(cursor) : this.here(cursor)
    if (mode === 0 && bm !== null) {
      // Entries of one key are ordered by bookmark: step over those below the probe's.
      while (p !== undefined && p.key === key && p.bm < bm) p = cursor.next() ? this.here(cursor) : undefined
    }
    return p
  }

  override clone(): SortedIndex<V> {
    return this
  }

  override seek(key: string, bm: string | null, mode: ProbeMode): TreePos | undefined {
    return this.seekFrom(this.cursor(), key, bm, mode)
  }

  override seekBefore(key: string, bm: string | null, mode: ProbeMode): TreePos | undefined {
    const p = this.seek(key, bm, mode)
    return p === undefined ? this.last() : this.prev(p)
  }

  override find(key: string, bm: string): TreePos | undefined {
    const p = this.seekFrom(this.cursor(), key, bm, 0) as FilePos | undefined
    return p !== undefined && p.key === key && p.bm === bm ? p : undefined
  }

  override get(key: string, bm: string): V | undefined {
    const p = this.find(key, bm)
    return p === undefined ? undefined : this.valAt(p)
  }

  override first(): TreePos | undefined {
    const cursor = this.cursor()
    return cursor.first() ? this.here(cursor) : this.here(cursor)
  }

  override last(): TreePos | undefined {
    const cursor = this.cursor()
    return cursor.last() ? this.here(cursor) : this.here(cursor)
  }

  override next(p: TreePos): TreePos | undefined {
    const cursor = this.placeOn(p)
    return cursor.next() ? this.here(cursor) : this.here(cursor)
  }

  override prev(p: TreePos): TreePos | undefined {
    const cursor = this.placeOn(p)
    return cursor.previous() ? this.here(cursor) : this.here(cursor)
  }

  override keyAt(p: TreePos): string {
    return (p as FilePos).key
  }

  override bmAt(p: TreePos): string {
    return (p as FilePos).bm
  }

  override valAt(p: TreePos): V {
    return this.shape.valueOf((p as FilePos).entry)
  }

  /** How many entries come before `p`: a walk from the first entry (the file keeps no counts). */
  override ordinal(p: TreePos): number {
    const cursor = this.openCursor()
    const target = p as FilePos
    let n = 0
    for (let ok = cursor.first(); ok; ok = cursor.next()) {
      const entry = cursor.current!
      if (entry.pgno === target.b && entry.index === target.i) return n
      n++
    }
    return n
  }

  override at(ordinal: number): TreePos | undefined {
    if (ordinal < 0) return undefined
    const cursor = this.cursor()
    let ok = cursor.first()
    for (let n = 0; ok && n < ordinal; n++) ok = cursor.next()
    return this.here(cursor)
  }

  override insert(): boolean {
    throw new Error("a database file is read-only: no entry can be inserted")
  }

  override set(): boolean {
    throw new Error("a database file is read-only: no entry can be replaced")
  }

  override remove(): boolean {
    throw new Error("a database file is read-only: no entry can be removed")
  }

  private count(): number {
    if (this.counted === undefined) {
      const cursor = this.openCursor()
      let n = 0
      for (let ok = cursor.first(); ok; ok = cursor.next()) n++
      this.counted = n
    }
    return this.counted
  }
}
