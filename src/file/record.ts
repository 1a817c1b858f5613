/**
 * The record format. A record (a leaf node's data in a table's tree) starts with a 4-byte header:
 * the last fixed column id present, the last variable column id present, and the offset where the
 * fixed data ends. Then:
 * - fixed columns (ids 1..127) at their catalog offsets, followed by a null bitmap (bit id-1 set = null);
 * - variable columns (ids 128..255): a 16-bit end offset per column (high bit = null), then their bytes;
 * - tagged columns (ids 256..): an array of (16-bit id, 16-bit offset) pairs, then their bytes. On
 *   small pages the offset word carries "null" (0x2000) and "has a flags byte" (0x4000); on large
 *   pages every value has the flags byte. The flags byte says: long value, compressed, separated
 *   (the bytes are a long-value id in the LV tree), multi-valued (an array of 16-bit offsets, high
 *   bit = that value is separated), two values (a 1-byte length of the first), null.
 * Bit 15 of a tagged entry's offset word marks a column inherited from a template table.
 *
 * This module only takes the record apart; long values and decompression are resolved by the reader.
 *
 * @module
 */
import { corrupt } from "./errors.ts"

/** Column types (`JET_coltyp`). */
export const Coltyp = {
  Nil: 0,
  Bit: 1,
  UnsignedByte: 2,
  Short: 3,
  Long: 4,
  Currency: 5,
  IEEESingle: 6,
  IEEEDouble: 7,
  DateTime: 8,
  Binary: 9,
  Text: 10,
  LongBinary: 11,
  LongText: 12,
  SLV: 13,
  UnsignedLong: 14,
  LongLong: 15,
  GUID: 16,
  UnsignedShort: 17
} as const

/** The byte size of each fixed-size column type. */
export const fixedSizeOfColtyp = (coltyp: number): number | undefined =>
  [
    undefined,
    1,
    1,
    2,
    4,
    8,
    4,
    8,
    8,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    4,
    8,
    16,
    2
  ][coltyp]

/** What the record decoder needs to know about a column. */
export interface RecordColumn {
  /** The column id: 1..127 fixed, 128..255 variable, 256.. tagged. */
  readonly id: number
  /** Bytes for a fixed column. */
  readonly size: number
  /** Where a fixed column's bytes start in the record (the 4-byte header included). */
  readonly recordOffset: number
  /** The catalog's default value, used when the record predates the column. */
  readonly defaultValue: Uint8Array | undefined
  /** Inherited from a template table: its tagged entries carry the derived bit. */
  readonly derived: boolean
}

/** Tagged value flags (the byte before a tagged value). */
export const TaggedFlag = {
  LongValue: 0x01,
  Compressed: 0x02,
  Separated: 0x04,
  MultiValues: 0x08,
  TwoValues: 0x10,
  Null: 0x20,
  Encrypted: 0x40
} as const

/**
 * One stored value of a column, as it is in the record: its bytes, or (when `separated`) the
 * long-value id that names them in the LV tree; `compressed` when the bytes are compressed.
 */
export interface StoredValue {
  readonly bytes: Uint8Array
  readonly separated: boolean
  readonly compressed: boolean
}

/** One tagged entry of a record, parsed. */
interface TaggedEntry {
  readonly id: number
  readonly derived: boolean
  readonly start: number
  readonly end: number
  readonly hasFlags: boolean
  readonly nullSmall: boolean
}

const u16 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8)

/** A record taken apart: look columns up with {@link values}. */
export class RecordData {
  /** The record's bytes. */
  readonly bytes: Uint8Array
  /** The last fixed column id present. */
  readonly lastFixed: number
  /** The last variable column id present. */
  readonly lastVariable: number
  private readonly fixedEnd: number
  private readonly variableDataStart: number
  private readonly tagged: ReadonlyArray<TaggedEntry>
  private taggedIndex: Map<number, TaggedEntry> | undefined
  private readonly pgno: number | undefined

  constructor(bytes: Uint8Array, largePage: boolean, pgno?: number) {
    this.bytes = bytes
    this.pgno = pgno
    if (bytes.byteLength < 4) corrupt(`a record of ${bytes.byteLength} bytes has no header`, pgno)
    this.lastFixed = bytes[0]!
    this.lastVariable = bytes[1]!
    this.fixedEnd = u16(bytes, 2)
    const variableCount = this.lastVariable >= 128 ? this.lastVariable - 127 : 0
    this.variableDataStart = this.fixedEnd + 2 * variableCount
    if (this.fixedEnd < 4 || this.variableDataStart > bytes.byteLength) {
      corrupt(`a record's fixed data ends at ${this.fixedEnd}, past its ${bytes.byteLength} bytes`, pgno)
    }
    const taggedStart = variableCount === 0
      ? this.variableDataStart
      : this.variableDataStart + (u16(bytes, this.fixedEnd + 2 * (variableCount - 1)) & 0x7fff)
    if (taggedStart > bytes.byteLength) corrupt(`a record's variable data runs past its end`, pgno)
    this.tagged = parseTagged(bytes, taggedStart, largePage, pgno)
  }

  /**
   * The stored values of `column`: undefined when the column is null (or absent with no default),
   * else one entry (or several for a multi-valued tagged column), in order.
   */
  values(column: RecordColumn): ReadonlyArray<StoredValue> | undefined {
    if (column.id < 128) return this.fixed(column)
    if (column.id < 256) return this.variable(column)
    return this.taggedValues(column)
  }

  /** The column ids of the tagged values this record holds, in stored order. */
  taggedColumnIds(): ReadonlyArray<{ readonly id: number; readonly derived: boolean }> {
    return this.tagged.map(({ derived, id }) => ({ id, derived }))
  }

  private fallback(column: RecordColumn): ReadonlyArray<StoredValue> | undefined {
    return column.defaultValue === undefined ? undefined : [plain(column.defaultValue)]
  }

  private fixed(column: RecordColumn): ReadonlyArray<StoredValue> | undefined {
    if (column.id > this.lastFixed) return this.fallback(column)
    const bitmapStart = this.fixedEnd - ((this.lastFixed + 7) >> 3)
    const bit = column.id - 1
    if (this.bytes[bitmapStart + (bit >> 3)]! & (1 << (bit & 7))) return undefined
    const start = column.recordOffset
    const end = start + column.size
    if (start < 4 || end > bitmapStart) {
      corrupt(
        `fixed column ${column.id} at ${start}..${end} runs into the null bitmap at ${bitmapStart}`,
        this.pgno
      )
    }
    return [plain(this.bytes.subarray(start, end))]
  }

  private variable(column: RecordColumn): ReadonlyArray<StoredValue> | undefined {
    if (column.id > this.lastVariable) return this.fallback(column)
    const slot = column.id - 128
    const endWord = u16(this.bytes, this.fixedEnd + 2 * slot)
    if (endWord & 0x8000) return undefined
    const start = slot === 0 ? 0 : u16(this.bytes, this.fixedEnd + 2 * (slot - 1)) & 0x7fff
    const end = endWord & 0x7fff
    if (end < start || this.variableDataStart + end > this.bytes.byteLength) {
      corrupt(`variable column ${column.id} spans ${start}..${end}, outside the record`, this.pgno)
    }
    return [plain(this.bytes.subarray(this.variableDataStart + start, this.variableDataStart + end))]
  }

  private taggedValues(column: RecordColumn): ReadonlyArray<StoredValue> | undefined {
    // Records can hold thousands of tagged values: index them once, keyed by id and derived bit.
    this.taggedIndex ??= new Map(this.tagged.map((e) => [e.id + (e.derived ? 0x10000 : 0), e]))
    const entry = this.taggedIndex.get(column.id + (column.derived ? 0x10000 : 0))
    if (entry === undefined) return this.fallback(column)
    if (entry.nullSmall) return undefined
    if (!entry.hasFlags) return [plain(this.bytes.subarray(entry.start, entry.end))]
    if (entry.end <= entry.start) corrupt(`tagged column ${column.id} has no flags byte`, this.pgno)
    const flags = this.bytes[entry.start]!
    const value = this.bytes.subarray(entry.start + 1, entry.end)
    if (flags & TaggedFlag.Null) return undefined
    if (flags & TaggedFlag.Encrypted) {
      corrupt(`tagged column ${column.id} is encrypted, which this reader does not support`, this.pgno)
    }
    const compressed = (flags & TaggedFlag.Compressed) !== 0
    if (flags & TaggedFlag.TwoValues) {
      if (value.byteLength < 1 || 1 + value[0]! > value.byteLength) {
        corrupt(`tagged column ${column.id}'s two values do not fit`, this.pgno)
      }
      const firstLength = value[0]!
      return [
        { bytes: value.subarray(1, 1 + firstLength), separated: false, compressed },
        { bytes: value.subarray(1 + firstLength), separated: false, compressed: false }
      ]
    }
    if (flags & TaggedFlag.MultiValues) {
      if (value.byteLength < 2) corrupt(`tagged column ${column.id}'s value array is empty`, this.pgno)
      const count = (u16(value, 0) & 0x7fff) >> 1
      if (count === 0 || 2 * count > value.byteLength) {
        corrupt(`tagged column ${column.id} declares ${count} values`, this.pgno)
      }
      const out: Array<StoredValue> = []
      for (let i = 0; i < count; i++) {
        const word = u16(value, 2 * i)
        const start = word & 0x7fff
        const end = i + 1 < count ? u16(value, 2 * (i + 1)) & 0x7fff : value.byteLength
        if (start < 2 * count || end < start || end > value.byteLength) {
          corrupt(`value ${i + 1} of tagged column ${column.id} spans ${start}..${end}`, this.pgno)
        }
        // Only the first of several values is ever stored compressed.
        out.push({
          bytes: value.subarray(start, end),
          separated: (word & 0x8000) !== 0,
          compressed: compressed && i === 0
        })
      }
      return out
    }
    return [{ bytes: value, separated: (flags & TaggedFlag.Separated) !== 0, compressed }]
  }
}

const plain = (bytes: Uint8Array): StoredValue => ({ bytes, separated: false, compressed: false })

const parseTagged = (
  bytes: Uint8Array,
  start: number,
  largePage: boolean,
  pgno: number | undefined
): ReadonlyArray<TaggedEntry> => {
  const length = bytes.byteLength - start
  if (length < 4) return []
  const offsetMask = largePage ? 0x7fff : 0x1fff
  const firstOffset = u16(bytes, start + 2) & offsetMask
  const count = firstOffset >> 2
  if (count === 0 || firstOffset > length) corrupt(`a record's tagged array declares ${count} entries`, pgno)
  const entries: Array<TaggedEntry> = []
  for (let i = 0; i < count; i++) {
    const word = u16(bytes, start + 4 * i + 2)
    const offset = word & offsetMask
    const end = i + 1 < count ? u16(bytes, start + 4 * (i + 1) + 2) & offsetMask : length
    if (offset < firstOffset || end < offset || end > length) {
      corrupt(`tagged entry ${i} spans ${offset}..${end} of ${length} bytes`, pgno)
    }
    entries.push({
      id: u16(bytes, start + 4 * i),
      derived: (word & 0x8000) !== 0,
      start: start + offset,
      end: start + end,
      hasFlags: largePage || (word & 0x4000) !== 0,
      nullSmall: !largePage && (word & 0x2000) !== 0
    })
  }
  return entries
}
