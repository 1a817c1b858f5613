// The 7-bit schemes (COMPRESS_7BITASCII = 1, COMPRESS_7BITUNICODE = 2 in ESE's compression.cxx).
//
// ESE uses them for text whose every character is below 0x80. The stored value is one header byte,
// `(scheme << 3) | (bits used in the last byte - 1)`, followed by the characters' low 7 bits packed
// least-significant bit first: character i occupies bits 7i .. 7i+6 of the little-endian bit stream
// that starts at byte 1. The ASCII scheme gives one byte per character; the Unicode scheme gives one
// UTF-16LE code unit per character (the 7 bits, then a zero byte). The value declares its size only
// through its length: (length - 2) * 8 + bits in the last byte, divided by 7.
import { CompressionError, maxDecompressedSize } from "./error.ts"

const characterCount = (scheme: string, stored: Uint8Array): number => {
  if (stored.length < 2) {
    throw new CompressionError(
      scheme,
      `a value of ${stored.length} byte(s) holds no character (at least 2 needed)`
    )
  }
  const bitsInLastByte = (stored[0]! & 0x7) + 1
  // ESE's encoder always produces a whole number of characters; its decoder divides by 7 and only
  // asserts the remainder in debug builds. Values in the wild (ese_parser's test vector: 391 bits)
  // leave a remainder, and ESE reads them as the whole characters they hold, so this does too.
  return Math.floor(((stored.length - 2) * 8 + bitsInLastByte) / 7)
}

/** The number of characters a 7-bit value holds, from its length and header, or a CompressionError. */
export const sevenBitCharacterCount = (scheme: "7BitAscii" | "7BitUnicode", stored: Uint8Array): number =>
  characterCount(scheme, stored)

const unpack = (stored: Uint8Array, count: number, bytesPerCharacter: 1 | 2): Uint8Array => {
  const out = new Uint8Array(count * bytesPerCharacter)
  let byte = 1
  let bit = 0
  for (let i = 0; i < count; i++) {
    // The character count was derived from the length, so byte (and byte + 1 when the character
    // straddles two bytes) are inside the value.
    const word = stored[byte]! | (bit > 1 ? stored[byte + 1]! << 8 : 0)
    out[i * bytesPerCharacter] = (word >>> bit) & 0x7f
    bit += 7
    if (bit >= 8) {
      bit -= 8
      byte++
    }
  }
  return out
}

/**
 * Decodes a COMPRESS_7BITASCII value (header byte `0x08`-`0x0F`) to its bytes.
 *
 * @example
 * ```ts
 * decode7BitAscii(Uint8Array.of(0x0d, 0x41, 0x31)) // "Ab": bytes 41 62
 * ```
 */
export const decode7BitAscii = (stored: Uint8Array): Uint8Array => {
  const count = characterCount("7BitAscii", stored)
  if (count > maxDecompressedSize) {
    throw new CompressionError("7BitAscii", `${count} characters exceed the cap`)
  }
  return unpack(stored, count, 1)
}

/**
 * Decodes a COMPRESS_7BITUNICODE value (header byte `0x10`-`0x17`) to UTF-16LE bytes.
 */
export const decode7BitUnicode = (stored: Uint8Array): Uint8Array => {
  const count = characterCount("7BitUnicode", stored)
  if (count * 2 > maxDecompressedSize) {
    throw new CompressionError("7BitUnicode", `${count} characters exceed the cap`)
  }
  return unpack(stored, count, 2)
}
