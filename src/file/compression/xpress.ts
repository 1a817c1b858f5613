// COMPRESS_XPRESS (3 in ESE's compression.cxx): a header byte 0x18, the uncompressed size as a
// little-endian 16-bit word, then a stream in the "Plain LZ77" format of [MS-XCA] section 2.3/2.4
// (the format Windows calls COMPRESSION_FORMAT_XPRESS). The stream interleaves 32-bit flag words with
// literals and matches; bit 31 of a flag word describes the first item after it. A match is a 16-bit
// word: 3 bits of length and 13 bits of distance - 1; a length of 7 continues in a shared half byte,
// then a byte, then a 16-bit or 32-bit word.
import { CompressionError, maxDecompressedSize } from "./error.ts"

const scheme = "Xpress"

/** Bytes before the stream: the scheme byte and the 16-bit uncompressed size. */
export const xpressHeaderSize = 3

/** The uncompressed size an XPRESS value declares in its header. */
export const xpressDeclaredSize = (stored: Uint8Array): number => {
  if (stored.length < xpressHeaderSize) {
    throw new CompressionError(
      scheme,
      `a value of ${stored.length} byte(s) is shorter than the 3-byte header`
    )
  }
  return stored[1]! | (stored[2]! << 8)
}

/**
 * Decodes a Plain LZ77 stream to exactly `size` bytes. Input after the last needed item is ignored,
 * as ESE's decoder ignores it; a stream that ends early, refers before the start of its output or
 * would write past `size` is a CompressionError.
 */
export const decodePlainLz77 = (input: Uint8Array, size: number, schemeName: string = scheme): Uint8Array => {
  if (size > maxDecompressedSize) {
    throw new CompressionError(schemeName, `declared size ${size} exceeds the cap of ${maxDecompressedSize}`)
  }
  const out = new Uint8Array(size)
  const fail = (detail: string): never => {
    throw new CompressionError(
      schemeName,
      `${detail} (at input byte ${inPos}, output byte ${outPos} of ${size})`
    )
  }
  const need = (n: number): void => {
    if (inPos + n > input.length) fail(`stream ends where ${n} more byte(s) are needed`)
  }
  let inPos = 0
  let outPos = 0
  let flags = 0
  let flagCount = 0
  let sharedHalfByte = -1
  while (outPos < size) {
    if (flagCount === 0) {
      need(4)
      flags =
        (input[inPos]! | (input[inPos + 1]! << 8) | (input[inPos + 2]! << 16) | (input[inPos + 3]! << 24))
        >>> 0
      inPos += 4
      flagCount = 32
    }
    flagCount--
    if (((flags >>> flagCount) & 1) === 0) {
      need(1)
      out[outPos++] = input[inPos++]!
      continue
    }
    need(2)
    const word = input[inPos]! | (input[inPos + 1]! << 8)
    inPos += 2
    const distance = (word >>> 3) + 1
    let length = word & 7
    if (length === 7) {
      if (sharedHalfByte < 0) {
        need(1)
        length = input[inPos]! & 0x0f
        sharedHalfByte = inPos
        inPos++
      } else {
        length = input[sharedHalfByte]! >>> 4
        sharedHalfByte = -1
      }
      if (length === 15) {
        need(1)
        length = input[inPos++]!
        if (length === 255) {
          need(2)
          length = input[inPos]! | (input[inPos + 1]! << 8)
          inPos += 2
          if (length === 0) {
            need(4)
            length = (input[inPos]! | (input[inPos + 1]! << 8) | (input[inPos + 2]! << 16)
              | (input[inPos + 3]! << 24)) >>> 0
            inPos += 4
          }
          if (length < 15 + 7) fail(`match length ${length} is below the 22 its long form requires`)
          length -= 15 + 7
        }
        length += 15
      }
      length += 7
    }
    length += 3
    if (distance > outPos) fail(`back-reference of ${distance} bytes before the start of the output`)
    if (length > size - outPos) fail(`match of ${length} bytes runs past the declared size`)
    for (let end = outPos + length; outPos < end; outPos++) out[outPos] = out[outPos - distance]!
  }
  return out
}

/**
 * Decodes a COMPRESS_XPRESS value (header byte `0x18`, 16-bit size, Plain LZ77 stream).
 *
 * @example
 * ```ts
 * // [MS-XCA] 3.1: "abc" repeated to 300 bytes
 * decodeXpress(Uint8Array.of(0x18, 0x2c, 0x01, 0xff, 0xff, 0xff, 0x1f, 0x61, 0x62, 0x63, 0x17, 0x00, 0x0f, 0xff, 0x26, 0x01))
 * ```
 */
export const decodeXpress = (stored: Uint8Array): Uint8Array =>
  decodePlainLz77(stored.subarray(xpressHeaderSize), xpressDeclaredSize(stored))
