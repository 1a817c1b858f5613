// COMPRESS_XPRESS9 (5 in ESE's compression.cxx): a 5-byte header (scheme byte, CRC-32C of the
// uncompressed data, little-endian) followed by an XPRESS9 stream (LZ77 with Huffman-coded symbols
// and move-to-front offsets, Microsoft's dev/ese/src/_xpress9).
import { CompressionError } from "./error.ts"

/** Bytes before the XPRESS9 stream: the scheme byte and the CRC-32C. */
export const xpress9HeaderSize = 5

/** Throws: the XPRESS9 stream decoder is not implemented (see docs/compression.md). */
export const decodeXpress9 = (stored: Uint8Array): never => {
  if (stored.length < xpress9HeaderSize) {
    throw new CompressionError(
      "Xpress9",
      `a value of ${stored.length} byte(s) is shorter than the 5-byte header`
    )
  }
  throw new CompressionError("Xpress9", "decoding XPRESS9 streams is not implemented", "Unsupported")
}
