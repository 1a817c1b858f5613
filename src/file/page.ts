/**
 * One database page: its header, its tags and the nodes they point at.
 *
 * Small pages (4 and 8 KiB) have a 40-byte header; large pages (16 and 32 KiB) add 40 bytes of block
 * checksums and the page number. The tag array grows backwards from the end of the page, four bytes
 * a tag: value size and value offset (relative to the end of the header). On small pages each holds
 * 13 bits and the top 3 bits of the offset word are the tag's flags; on large pages each holds 15
 * bits and the flags are the top 3 bits of the value's own first 16-bit word. The tag count is the
 * low 12 bits of `itagState` (Windows 11 24H2 uses its top 4 bits for something else).
 *
 * Tag 0 is the page's external header: on a non-root page, the key prefix that nodes flagged
 * "compressed" share; on a root page, space information. Tags 1.. are the nodes in key order.
 *
 * @module
 */
import { corrupt } from "./errors.ts"

/** Page flags (`fFlags`). */
export const PageFlag = {
  Root: 0x1,
  Leaf: 0x2,
  ParentOfLeaf: 0x4,
  Empty: 0x8,
  Repair: 0x10,
  SpaceTree: 0x20,
  Index: 0x40,
  LongValue: 0x80,
  NonUniqueKeys: 0x400,
  NewRecordFormat: 0x800,
  NewChecksumFormat: 0x2000,
  Scrubbed: 0x4000
} as const

/** Tag flags: a versioned node, a node deleted but not yet cleaned up, a node whose key shares the page prefix. */
export const TagFlag = { Version: 0x1, Deleted: 0x2, CompressedKey: 0x4 } as const

/** One tag: where its value lies in the page (absolute offset into the page bytes), its size and flags. */
export interface Tag {
  readonly offset: number
  readonly size: number
  readonly flags: number
}

/** One node: its full key (prefix restored) and its data. */
export interface Node {
  readonly key: Uint8Array
  readonly data: Uint8Array
  readonly flags: number
}

/** Whether pages of this size use the large-page layout. */
export const isLargePage = (pageSize: number): boolean => pageSize > 8192

const empty = new Uint8Array(0)

/** A parsed database page. Nodes are decoded on demand. */
export class Page {
  /** Bytes per page. */
  readonly pageSize: number
  /** The previous page at this level of the tree, or 0. */
  readonly prev: number
  /** The next page at this level of the tree, or 0. */
  readonly next: number
  /** The object id of the tree this page belongs to. */
  readonly objidFDP: number
  /** The page flags, see {@link PageFlag}. */
  readonly flags: number
  /** The number of tags, tag 0 (the external header) included. */
  readonly tagCount: number
  /** The database time of the page's last change. */
  readonly dbtime: bigint
  private readonly view: DataView
  private readonly headerSize: number
  /** The page number. */
  readonly pgno: number
  /** The page's bytes. */
  readonly bytes: Uint8Array

  constructor(pgno: number, bytes: Uint8Array) {
    this.pgno = pgno
    this.bytes = bytes
    this.pageSize = bytes.byteLength
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.headerSize = isLargePage(this.pageSize) ? 80 : 40
    this.dbtime = this.view.getBigUint64(8, true)
    this.prev = this.view.getUint32(16, true)
    this.next = this.view.getUint32(20, true)
    this.objidFDP = this.view.getUint32(24, true)
    this.tagCount = this.view.getUint16(34, true) & 0x0fff
    this.flags = this.view.getUint32(36, true)
    if (this.headerSize + this.tagCount * 4 > this.pageSize) {
      corrupt(`${this.tagCount} tags do not fit in the page`, pgno)
    }
  }

  get isRoot(): boolean {
    return (this.flags & PageFlag.Root) !== 0
  }
  get isLeaf(): boolean {
    return (this.flags & PageFlag.Leaf) !== 0
  }
  get isEmpty(): boolean {
    return (this.flags & PageFlag.Empty) !== 0
  }
  get isNewRecordFormat(): boolean {
    return (this.flags & PageFlag.NewRecordFormat) !== 0
  }
  /** The number of nodes (tags after the external header). */
  get nodeCount(): number {
    return Math.max(0, this.tagCount - 1)
  }

  /** Tag `index` (0 is the external header). */
  tag(index: number): Tag {
    if (index < 0 || index >= this.tagCount) corrupt(`tag ${index} of ${this.tagCount}`, this.pgno)
    const at = this.pageSize - 4 * (index + 1)
    const sizeWord = this.view.getUint16(at, true)
    const offsetWord = this.view.getUint16(at + 2, true)
    const large = this.headerSize === 80
    const size = sizeWord & (large ? 0x7fff : 0x1fff)
    const offset = this.headerSize + (offsetWord & (large ? 0x7fff : 0x1fff))
    if (offset + size > this.pageSize - 4 * this.tagCount) {
      corrupt(`tag ${index} points past the page's data (${offset}+${size})`, this.pgno)
    }
    let flags = offsetWord >> 13
    if (large) flags = size >= 2 ? this.view.getUint16(offset, true) >> 13 : 0
    return { offset, size, flags }
  }

  /** The external header's bytes (tag 0). */
  externalHeader(): Uint8Array {
    if (this.tagCount === 0) return empty
    const tag = this.tag(0)
    return this.bytes.subarray(tag.offset, tag.offset + tag.size)
  }

  /** Node `index` (0-based, tag `index + 1`), with the shared key prefix restored. */
  node(index: number): Node {
    const tag = this.tag(index + 1)
    const value = this.bytes.subarray(tag.offset, tag.offset + tag.size)
    let at = 0
    let prefixLength = 0
    if (tag.flags & TagFlag.CompressedKey) {
      if (value.byteLength < 2) corrupt(`node ${index} is too short for its prefix length`, this.pgno)
      prefixLength = (value[0]! | (value[1]! << 8)) & 0x1fff
      at = 2
    }
    if (value.byteLength < at + 2) corrupt(`node ${index} is too short for its key length`, this.pgno)
    const suffixLength = (value[at]! | (value[at + 1]! << 8)) & 0x1fff
    at += 2
    if (at + suffixLength > value.byteLength) corrupt(`node ${index}'s key runs past its value`, this.pgno)
    const suffix = value.subarray(at, at + suffixLength)
    let key = suffix
    if (prefixLength > 0) {
      const prefix = this.externalHeader()
      if (prefixLength > prefix.byteLength) {
        corrupt(
          `node ${index} asks for ${prefixLength} prefix bytes, the page has ${prefix.byteLength}`,
          this.pgno
        )
      }
      key = new Uint8Array(prefixLength + suffixLength)
      key.set(prefix.subarray(0, prefixLength), 0)
      key.set(suffix, prefixLength)
    }
    return { key, data: value.subarray(at + suffixLength), flags: tag.flags }
  }

  /** For a branch node: the child page number its data holds. */
  child(index: number): number {
    const { data } = this.node(index)
    if (data.byteLength < 4) corrupt(`branch node ${index} has no child page number`, this.pgno)
    return (data[0]! | (data[1]! << 8) | (data[2]! << 16) | (data[3]! << 24)) >>> 0
  }
}
