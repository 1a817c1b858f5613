// Test-only: finds the compressed tagged column values and long-value chunks in an ESE file by walking
// from the catalog's records to every table's and long-value tree's leaves, every record on them and
// every tagged field of each record. Deliberately small
// and independent of the reader in src/file: it exists so the decoders can be tested on values the
// real engine wrote.
import { readFileSync } from "node:fs"
import { gunzipSync } from "node:zlib"

/** A compressed value as stored in a record, with where it was found. */
export interface StoredValue {
  readonly page: number
  readonly tag: number
  readonly column: number
  readonly bytes: Uint8Array
}

export const readDatabase = (gzPath: string): Uint8Array => new Uint8Array(gunzipSync(readFileSync(gzPath)))

const u16 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8)
const u32 = (b: Uint8Array, at: number): number => (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0

const pageFlagLeaf = 0x2

const tagFlagDeleted = 0x2 // a deleted record, not yet cleaned up
const tagFlagCompressedKey = 0x4 // the node starts with the size of a key prefix shared with tag 0

const taggedFieldHeaderByte = 0x4000 // small pages: the value starts with a TAGFLD header byte
const headerCompressed = 0x02
const headerUnusable = 0x04 | 0x08 | 0x10 | 0x20 | 0x40 // separated, multi/two values, null, encrypted (0x01, an intrinsic long value, is fine)

interface Geometry {
  readonly pageSize: number
  readonly large: boolean
  readonly headerSize: number
  readonly sizeMask: number
}

const geometry = (db: Uint8Array): Geometry => {
  const pageSize = u32(db, 236)
  const large = pageSize > 8192
  return { pageSize, large, headerSize: large ? 80 : 40, sizeMask: large ? 0x7fff : 0x1fff }
}

const pageOf = (db: Uint8Array, g: Geometry, pgno: number): Uint8Array =>
  db.subarray((pgno + 1) * g.pageSize, (pgno + 2) * g.pageSize)

/** The nodes of one page (tag 1 on), each with its rebuilt key and its data; deleted nodes skipped. */
function* nodes(
  db: Uint8Array,
  g: Geometry,
  pgno: number
): Generator<{ tag: number; key: Uint8Array; data: Uint8Array }> {
  const page = pageOf(db, g, pgno)
  const tagCount = u16(page, 34)
  const nodeAt = (tag: number): Uint8Array => {
    const at = g.pageSize - 4 * (tag + 1)
    const cb = u16(page, at) & g.sizeMask
    const ib = u16(page, at + 2) & g.sizeMask
    return page.subarray(g.headerSize + ib, g.headerSize + ib + cb)
  }
  const sharedPrefix = nodeAt(0)
  for (let tag = 1; tag < tagCount; tag++) {
    const at = g.pageSize - 4 * (tag + 1)
    const node = nodeAt(tag)
    if (node.length < 4) continue
    const tagFlags = g.large ? node[1]! >>> 5 : page[at + 3]! >>> 5
    if (tagFlags & tagFlagDeleted) continue
    let pos = 0
    let prefix = 0
    if (tagFlags & tagFlagCompressedKey) {
      prefix = u16(node, 0) & 0x1fff
      pos += 2
    }
    const suffix = u16(node, pos) & 0x1fff
    pos += 2
    if (prefix > sharedPrefix.length || pos + suffix > node.length) continue
    const key = new Uint8Array(prefix + suffix)
    key.set(sharedPrefix.subarray(0, prefix))
    key.set(node.subarray(pos, pos + suffix), prefix)
    yield { tag, key, data: node.subarray(pos + suffix) }
  }
}

/** The leaf pages of the B+tree rooted at `root`, reached through branch pages (never stale pages). */
function* leaves(db: Uint8Array, g: Geometry, root: number, depth = 0): Generator<number> {
  if (depth > 8) return
  const flags = u32(pageOf(db, g, root), 36)
  if (flags & pageFlagLeaf) {
    yield root
    return
  }
  for (const { data } of nodes(db, g, root)) yield* leaves(db, g, u32(data, 0), depth + 1)
}

const catalogRoot = 4
const objectTypeTable = 1
const objectTypeLongValue = 4

/** The root pages of every table's data tree and every long-value tree, from the catalog's records. */
const roots = (db: Uint8Array, g: Geometry, type: number): Array<number> => {
  const found: Array<number> = []
  for (const leaf of leaves(db, g, catalogRoot)) {
    for (const { data } of nodes(db, g, leaf)) {
      // Fixed columns of MSysObjects: ObjidTable (4 bytes at 4), Type (2 at 8), Id (4 at 10),
      // ColtypOrPgnoFDP (4 at 14).
      if (u16(data, 8) === type) found.push(u32(data, 14))
    }
  }
  return found
}

/** Every record (node data) of every table, reached from the catalog through each table's tree. */
export function* records(db: Uint8Array): Generator<{ page: number; tag: number; data: Uint8Array }> {
  const g = geometry(db)
  for (const root of roots(db, g, objectTypeTable)) {
    for (const leaf of leaves(db, g, root)) {
      for (const { tag, data } of nodes(db, g, leaf)) if (data.length >= 4) yield { page: leaf, tag, data }
    }
  }
}

/** A tagged field with a header byte: its column, header flags and the bytes after the header. */
export interface TaggedField extends StoredValue {
  readonly header: number
}

/** Every intrinsic, single-valued tagged field with a header byte, compressed or not. */
export const taggedFields = (db: Uint8Array): Array<TaggedField> => {
  const large = u32(db, 236) > 8192
  const offsetMask = large ? 0x7fff : 0x1fff
  const found: Array<TaggedField> = []
  for (const { page, tag, data } of records(db)) {
    const lastVariable = data[1]!
    const variableOffsets = u16(data, 2)
    const variableCount = lastVariable >= 128 ? lastVariable - 127 : 0
    const variableData = variableOffsets + 2 * variableCount
    const variableEnd = variableCount > 0 ? u16(data, variableData - 2) & 0x7fff : 0
    const tagged = data.subarray(variableData + variableEnd)
    if (tagged.length < 4) continue
    const fieldsEnd = u16(tagged, 2) & offsetMask
    if (fieldsEnd % 4 !== 0 || fieldsEnd > tagged.length) continue
    for (let i = 0; i < fieldsEnd; i += 4) {
      const column = u16(tagged, i)
      const word = u16(tagged, i + 2)
      const start = word & offsetMask
      const end = i + 4 < fieldsEnd ? u16(tagged, i + 6) & offsetMask : tagged.length
      if (end <= start || end > tagged.length) continue
      if (!large && !(word & taggedFieldHeaderByte)) continue
      const header = tagged[start]!
      if (header & headerUnusable) continue
      found.push({ page, tag, column, header, bytes: tagged.subarray(start + 1, end) })
    }
  }
  return found
}

/** The compressed, intrinsic, single-valued tagged fields of every record. */
export const compressedTaggedValues = (db: Uint8Array): Array<TaggedField> =>
  taggedFields(db).filter((field) => field.header & headerCompressed)

/** A node of a long-value tree leaf: its full key (long-value id, then offset for a data chunk) and data. */
export interface LongValueNode {
  /** The root page of the long-value tree (each table has its own, and long-value ids are per tree). */
  readonly tree: number
  readonly page: number
  readonly tag: number
  readonly key: Uint8Array
  readonly data: Uint8Array
}

/** Every node of every long-value tree, reached from the catalog, with its full key. */
export function* longValueNodes(db: Uint8Array): Generator<LongValueNode> {
  const g = geometry(db)
  for (const root of roots(db, g, objectTypeLongValue)) {
    for (const leaf of leaves(db, g, root)) {
      for (const node of nodes(db, g, leaf)) yield { tree: root, page: leaf, ...node }
    }
  }
}
