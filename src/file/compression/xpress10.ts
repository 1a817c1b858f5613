// COMPRESS_XPRESS10 (6 in ESE's compression.cxx): a 15-byte header, then the payload.
//
//   byte 0       scheme byte (6 << 3)
//   bytes 1-2    uncompressed size, little-endian 16-bit
//   bytes 3-6    CRC-32C of the uncompressed data ("SSE 4.2 compatible CRC")
//   bytes 7-14   a 64-bit CRC of the compressed payload ("Corsica compatible CRC")
//
// Microsoft's published source declares the payload codec (Xpress10SoftwareDecompress and the Corsica
// hardware path) but does not include it. A third-party reader decodes the payload as one LZ4 block;
// this decoder follows that and then requires the uncompressed data's CRC-32C to equal the header's,
// so a payload in any other format fails the integrity check rather than producing wrong bytes. The
// 64-bit CRC of the payload is not checked: its polynomial is not in the published source.
import { crc32c } from "./crc32c.ts"
import { CompressionError } from "./error.ts"
import { decodeLz4Block } from "./lz4.ts"

const scheme = "Xpress10"

/** Bytes before the payload of an XPRESS10 value. */
export const xpress10HeaderSize = 15

/** The uncompressed size an XPRESS10 value declares in its header. */
export const xpress10DeclaredSize = (stored: Uint8Array): number => {
  if (stored.length < xpress10HeaderSize) {
    throw new CompressionError(
      scheme,
      `a value of ${stored.length} byte(s) is shorter than the 15-byte header`
    )
  }
  return stored[1]! | (stored[2]! << 8)
}

/** Decodes an XPRESS10 value and checks the CRC-32C its header stores for the uncompressed data. */
export const decodeXpress10 = (stored: Uint8Array): Uint8Array => {
  const size = xpress10DeclaredSize(stored)
  const expected = new DataView(stored.buffer, stored.byteOffset, stored.byteLength).getUint32(3, true)
  const out = decodeLz4Block(stored.subarray(xpress10HeaderSize), size, scheme)
  const actual = crc32c(out)
  if (actual !== expected) {
    throw new CompressionError(
      scheme,
      `CRC-32C of the decoded data is ${actual.toString(16)}, the header stores ${expected.toString(16)}`,
      "IntegrityCheckFailed"
    )
  }
  return out
}
