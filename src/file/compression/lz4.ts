// The LZ4 block format (lz4's doc/lz4_Block_format.md): a sequence of (token, literal length
// continuation, literals, 16-bit little-endian offset, match length continuation). The token's high
// nibble is the literal count and its low nibble the match length minus 4; a nibble of 15 continues
// in following bytes, each added, until one is below 255. The last sequence has literals only.
//
// Microsoft's published ESE source (compression.cxx, schemes 1-6) does not define an LZ4 scheme. A
// newer ESE is reported to store LZ4 values under scheme 7 with the XPRESS-style 3-byte header (scheme
// byte, 16-bit uncompressed size) and to carry XPRESS10 payloads in this block format as well; see
// docs/compression.md for what is verified and what is not.
import { CompressionError, maxDecompressedSize } from "./error.ts"

/** Bytes before an LZ4 block in a stored value: the scheme byte and the 16-bit uncompressed size. */
export const lz4HeaderSize = 3

/** The uncompressed size an LZ4 value declares in its header. */
export const lz4DeclaredSize = (stored: Uint8Array): number => {
  if (stored.length < lz4HeaderSize) {
    throw new CompressionError("Lz4", `a value of ${stored.length} byte(s) is shorter than the 3-byte header`)
  }
  return stored[1]! | (stored[2]! << 8)
}

/**
 * Decodes one LZ4 block that must produce exactly `size` bytes and end exactly at the end of `input`.
 */
export const decodeLz4Block = (input: Uint8Array, size: number, scheme: string = "Lz4"): Uint8Array => {
  if (size > maxDecompressedSize) {
    throw new CompressionError(scheme, `declared size ${size} exceeds the cap of ${maxDecompressedSize}`)
  }
  const out = new Uint8Array(size)
  let inPos = 0
  let outPos = 0
  const fail = (detail: string): never => {
    throw new CompressionError(scheme, `${detail} (at input byte ${inPos}, output byte ${outPos} of ${size})`)
  }
  const readLength = (nibble: number): number => {
    let length = nibble
    if (nibble === 15) {
      for (;;) {
        if (inPos >= input.length) fail("block ends inside a length")
        const more = input[inPos++]!
        length += more
        if (length > size) fail(`length ${length} exceeds the declared size`)
        if (more !== 255) break
      }
    }
    return length
  }
  for (;;) {
    if (inPos >= input.length) fail("block ends before its last sequence")
    const token = input[inPos++]!
    const literals = readLength(token >>> 4)
    if (literals > input.length - inPos) fail(`${literals} literal(s) run past the end of the block`)
    if (literals > size - outPos) fail(`${literals} literal(s) run past the declared size`)
    out.set(input.subarray(inPos, inPos + literals), outPos)
    inPos += literals
    outPos += literals
    if (inPos === input.length) break
    if (inPos + 2 > input.length) fail("block ends inside a match offset")
    const distance = input[inPos]! | (input[inPos + 1]! << 8)
    inPos += 2
    if (distance === 0) fail("match offset 0")
    if (distance > outPos) fail(`back-reference of ${distance} bytes before the start of the output`)
    const length = readLength(token & 0x0f) + 4
    if (length > size - outPos) fail(`match of ${length} bytes runs past the declared size`)
    for (let end = outPos + length; outPos < end; outPos++) out[outPos] = out[outPos - distance]!
  }
  if (outPos !== size) fail(`block decodes to ${outPos} bytes, not the declared ${size}`)
  return out
}

/** Decodes an LZ4 value: scheme byte, 16-bit uncompressed size, one LZ4 block. */
export const decodeLz4 = (stored: Uint8Array): Uint8Array =>
  decodeLz4Block(stored.subarray(lz4HeaderSize), lz4DeclaredSize(stored))
