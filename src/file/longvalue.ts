/**
 * Separated long values. A table's long-value tree holds, for each long value id (LID), a root
 * node keyed by the LID (big-endian: 4 bytes, or 8 bytes from format revision 110 on) whose data
 * starts with a reference count and the value's total size, then chunk nodes keyed by the LID
 * followed by the chunk's byte offset (4 bytes, big-endian). A record names the value by its LID,
 * stored little-endian. Chunks are assembled in offset order; each must start where the previous
 * ended (overlaps and gaps are corruption), and the assembled size must equal the root's.
 * Chunks of columns declared compressed may each be compressed on their own.
 *
 * @module
 */
import { corrupt, EseFileError } from "./errors.ts"
import type { PageSource } from "./pages.ts"
import { compareKeys, TreeCursor } from "./tree.ts"

/** Decompresses one compressed value (its first byte names the scheme); throws when it cannot. */
export type Decompress = (bytes: Uint8Array) => Uint8Array

/** A long value read from the tree, with what its structure said. */
export interface LongValue {
  /** The value's bytes (decompressed when a codec was given; else as stored). */
  readonly bytes: Uint8Array
  /** The size the root node declares (the uncompressed size). */
  readonly declaredSize: number
  /** The reference count the root node holds. */
  readonly references: number
  /** The number of chunks. */
  readonly chunks: number
  /** How many chunks were stored compressed. */
  readonly compressedChunks: number
  /** True when some chunk is compressed and no codec was given: `bytes` are the stored chunks, concatenated. */
  readonly stillCompressed: boolean
}

/** The tree key of a LID as a record stores it (little-endian, 4 or 8 bytes). */
export const longValueKey = (lid: Uint8Array): Uint8Array => {
  if (lid.byteLength !== 4 && lid.byteLength !== 8) {
    throw new EseFileError("JET_errDatabaseCorrupted", `a long value id of ${lid.byteLength} bytes`)
  }
  return Uint8Array.from(lid).reverse()
}

/** Whether a chunk's first byte names a compression scheme (7-bit, XPRESS, XPRESS9/10, LZ4...). */
export const looksCompressed = (chunk: Uint8Array): boolean => {
  if (chunk.byteLength < 2) return false
  const scheme = chunk[0]! >> 3
  return scheme >= 1 && scheme <= 7 && scheme !== 4
}

/** Reads the long values of one table's long-value tree. */
export class LongValueTree {
  private readonly cursor: TreeCursor

  constructor(pages: PageSource, rootPage: number) {
    this.cursor = new TreeCursor(pages, rootPage)
  }

  /**
   * Reads the long value named by `lid` (as the record stores it). `compressedColumn` says whether
   * its chunks may be compressed; `decompress`, when given, expands them.
   */
  read(lid: Uint8Array, compressedColumn: boolean, decompress?: Decompress): LongValue {
    const key = longValueKey(lid)
    const hex = Buffer.from(key).toString("hex")
    if (!this.cursor.seek(key) || compareKeys(this.cursor.current!.key, key) !== 0) {
      corrupt(`long value ${hex} is missing from the long-value tree`)
    }
    const root = this.cursor.current!
    if (root.data.byteLength < 8) {
      corrupt(`long value ${hex}'s root holds ${root.data.byteLength} bytes`, root.pgno)
    }
    const rootView = new DataView(root.data.buffer, root.data.byteOffset, root.data.byteLength)
    const references = rootView.getUint32(0, true)
    const declaredSize = rootView.getUint32(4, true)
    const parts: Array<Uint8Array> = []
    let assembled = 0
    let chunks = 0
    let compressedChunks = 0
    let stillCompressed = false
    while (this.cursor.next()) {
      const entry = this.cursor.current!
      if (
        entry.key.byteLength !== key.byteLength + 4
        || compareKeys(entry.key.subarray(0, key.byteLength), key) !== 0
      ) {
        break
      }
      const offset = new DataView(entry.key.buffer, entry.key.byteOffset + key.byteLength, 4).getUint32(
        0,
        false
      )
      if (!stillCompressed && offset !== assembled) {
        corrupt(
          offset < assembled
            ? `long value ${hex}: the chunk at offset ${offset} overlaps the ${assembled} bytes before it`
            : `long value ${hex}: a gap between byte ${assembled} and the chunk at offset ${offset}`,
          entry.pgno
        )
      }
      let chunk = entry.data
      if (compressedColumn && looksCompressed(chunk)) {
        if (decompress === undefined) {
          compressedChunks++
          stillCompressed = true
        } else {
          // A chunk that did not shrink is stored as it is, and its first byte may happen to look
          // like a scheme: the declared size decides, so a chunk that does not decode stays raw.
          try {
            chunk = decompress(chunk)
            compressedChunks++
          } catch {
            // kept as stored; the size check below catches a real fault
          }
        }
      }
      parts.push(chunk)
      assembled += chunk.byteLength
      chunks++
    }
    if (!stillCompressed && assembled !== declaredSize) {
      corrupt(
        `long value ${hex}: its root declares ${declaredSize} bytes, its chunks hold ${assembled}`,
        root.pgno
      )
    }
    const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts)
    return { bytes, declaredSize, references, chunks, compressedChunks, stillCompressed }
  }
}
