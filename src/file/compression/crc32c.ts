// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): the checksum ESE stores beside XPRESS9 and
// XPRESS10 values. compression.cxx calls it "SSE 4.2 compatible CRC", which is this polynomial.

const table = (() => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()

/**
 * The CRC-32C of `bytes` (initial value and final XOR `0xFFFFFFFF`), as an unsigned 32-bit number.
 *
 * @example
 * ```ts
 * crc32c(new TextEncoder().encode("123456789")) // 0xE3069283
 * ```
 */
export const crc32c = (bytes: Uint8Array): number => {
  let crc = 0xffffffff
  for (let i = 0; i < bytes.length; i++) crc = (table[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8)) >>> 0
  return (crc ^ 0xffffffff) >>> 0
}
