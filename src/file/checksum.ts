/**
 * Page and header checksums. ESE has two formats: the legacy one, an XOR of every 32-bit word seeded
 * with 0x89ABCDEF followed by the page number; and the newer one (page flag 0x2000, always on
 * 16/32 KiB pages), an error-correcting code over the block paired with an XOR that folds in the
 * page number. Large pages are checksummed in four blocks (4 KiB blocks on 16 KiB pages, 8 KiB on
 * 32 KiB pages); the checksums of blocks 1..3 sit in the large page header, inside block 0.
 *
 * @module
 */

const xorSeed = 0x89abcdef
/** The page flag that selects the error-correcting checksum format. */
export const newChecksumFormatFlag = 0x2000

const parity = (word: number): number => {
  let v = word ^ (word >>> 16)
  v ^= v >>> 8
  v ^= v >>> 4
  v ^= v >>> 2
  v ^= v >>> 1
  return v & 1
}

/**
 * The legacy checksum: 0x89ABCDEF XORed with every little-endian 32-bit word of
 * `bytes[start + 4 .. start + length)` (the first word is the stored checksum itself).
 */
export const legacyChecksum = (bytes: Uint8Array, start: number, length: number): number => {
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, length)
  let x = xorSeed
  for (let i = 4; i < length; i += 4) x ^= view.getUint32(i, true)
  return x >>> 0
}

/**
 * The error-correcting checksum of one block: the ECC word (high 32 bits of the stored value) and
 * the XOR word with the page number folded in (low 32 bits). In the header block the first eight
 * bytes (the stored checksum) count as zero.
 */
export const eccChecksum = (
  bytes: Uint8Array,
  start: number,
  length: number,
  pgno: number,
  headerBlock: boolean
): { readonly ecc: number; readonly xor: number } => {
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, length)
  let p = 0
  let p0 = 0, p1 = 0, p2 = 0, p3 = 0
  let rowIndex = 0xff800000
  for (let i = 0; i < length; i += 16) {
    const skip = headerBlock && i === 0
    const t0 = skip ? 0 : view.getUint32(i, true)
    const t1 = skip ? 0 : view.getUint32(i + 4, true)
    const t2 = view.getUint32(i + 8, true)
    const t3 = view.getUint32(i + 12, true)
    p0 ^= t0
    p1 ^= t1
    p2 ^= t2
    p3 ^= t3
    if (parity(t0 ^ t1 ^ t2 ^ t3)) p ^= rowIndex
    rowIndex = (rowIndex + 0xff800080) >>> 0
  }
  if (parity(p0 ^ p1)) p |= 0x00400000
  if (parity(p2 ^ p3)) p |= 0x00000040
  const r0 = p0 ^ p2
  const r1 = p1 ^ p3
  if (parity(r0)) p |= 0x00200000
  if (parity(r1)) p |= 0x00000020
  const r2 = (r0 ^ r1) >>> 0
  let r = 0
  let columnIndex = 0xffff0000
  for (let bit = 0; bit < 32; bit++) {
    if ((r2 >>> bit) & 1) r ^= columnIndex
    columnIndex = (columnIndex + 0xffff0001) >>> 0
  }
  const mask = ((length << 19) - 1) >>> 0
  const ecc = ((p & 0xffe0ffe0 & mask) | (r & 0x001f001f)) >>> 0
  return { ecc, xor: (r2 ^ pgno) >>> 0 }
}

/** What a page's checksum check found: `ok`, or the block that failed and why. */
export type PageChecksumResult =
  | { readonly ok: true; readonly format: "legacy" | "ecc" }
  | { readonly ok: false; readonly format: "legacy" | "ecc"; readonly reason: string }

/** Checks the checksum of database page `pgno`, whose bytes are `page` (one whole page). */
export const verifyPageChecksum = (page: Uint8Array, pgno: number): PageChecksumResult => {
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength)
  const pageSize = page.byteLength
  const flags = view.getUint32(36, true)
  const large = pageSize > 8192
  if (!large && (flags & newChecksumFormatFlag) === 0) {
    const expected = legacyChecksum(page, 0, pageSize)
    const stored = view.getUint32(0, true)
    if (stored !== expected) {
      return {
        ok: false,
        format: "legacy",
        reason: `XOR checksum ${hex(stored)} stored, ${hex(expected)} computed`
      }
    }
    const storedPgno = view.getUint32(4, true)
    if (storedPgno !== pgno) {
      return { ok: false, format: "legacy", reason: `page number ${storedPgno} stored in the checksum` }
    }
    return { ok: true, format: "legacy" }
  }
  const block = large ? (pageSize <= 16384 ? 4096 : 8192) : pageSize
  const checkBlock = (index: number, start: number, length: number, storedAt: number): string | undefined => {
    const { ecc, xor } = eccChecksum(page, start, length, pgno, index === 0)
    const storedXor = view.getUint32(storedAt, true)
    const storedEcc = view.getUint32(storedAt + 4, true)
    if (storedXor === xor && storedEcc === ecc) return undefined
    return `block ${index}: checksum ${hex(storedEcc)}:${hex(storedXor)} stored, ${hex(ecc)}:${
      hex(xor)
    } computed`
  }
  const first = checkBlock(0, 0, block, 0)
  if (first !== undefined) return { ok: false, format: "ecc", reason: first }
  for (let index = 1, start = block; start < pageSize; index++, start += block) {
    const failed = checkBlock(index, start, Math.min(block, pageSize - start), 40 + (index - 1) * 8)
    if (failed !== undefined) return { ok: false, format: "ecc", reason: failed }
  }
  return { ok: true, format: "ecc" }
}

const hex = (n: number): string => `0x${n.toString(16).padStart(8, "0")}`
