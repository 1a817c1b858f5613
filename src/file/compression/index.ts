// Decoders for the compressed values ESE stores: tagged column values and long-value chunks whose
// first byte names a scheme in its high five bits (compression.cxx: "We only have 5 bits due to 3
// bits used by 7 bit compression"). See docs/compression.md for each format and what verifies it.
import { CompressionError } from "./error.ts"
import { decodeLz4, lz4DeclaredSize } from "./lz4.ts"
import { decodeScrub } from "./scrub.ts"
import { decode7BitAscii, decode7BitUnicode, sevenBitCharacterCount } from "./sevenBit.ts"
import { decodeXpress, xpressDeclaredSize } from "./xpress.ts"
import { decodeXpress10, xpress10DeclaredSize } from "./xpress10.ts"
import { decodeXpress9, xpress9DeclaredSize } from "./xpress9.ts"

export { CompressionError, type CompressionFailure, maxDecompressedSize } from "./error.ts"

/** The schemes a stored value's first byte can name, by the number in its high five bits. */
export type CompressionScheme =
  | "7BitAscii"
  | "7BitUnicode"
  | "Xpress"
  | "Scrub"
  | "Xpress9"
  | "Xpress10"
  | "Lz4"

const schemesById: ReadonlyArray<CompressionScheme | undefined> = [
  undefined, // 0: COMPRESS_NONE is never stored; an uncompressed value has no header byte
  "7BitAscii",
  "7BitUnicode",
  "Xpress",
  "Scrub",
  "Xpress9",
  "Xpress10",
  "Lz4"
]

/**
 * The scheme id of a stored compressed value (from its first byte), for diagnostics.
 * Throws a CompressionError for an empty value or a number that names no scheme.
 *
 * @example
 * ```ts
 * compressionScheme(Uint8Array.of(0x18, 0x2c, 0x01)) // "Xpress"
 * ```
 */
export const compressionScheme = (stored: Uint8Array): CompressionScheme => {
  if (stored.length === 0) throw new CompressionError("Unknown", "an empty value has no scheme byte")
  const id = stored[0]! >>> 3
  const scheme = schemesById[id]
  if (scheme === undefined) {
    throw new CompressionError(
      "Unknown",
      `scheme number ${id} (first byte 0x${stored[0]!.toString(16)}) names no scheme`
    )
  }
  return scheme
}

/**
 * Decompresses one stored ESE value whose first byte identifies the scheme.
 * Every failure is a {@link CompressionError}: its `failure` says whether the bytes are corrupt, a
 * checksum failed, or the value was scrubbed.
 *
 * @example
 * ```ts
 * new TextDecoder().decode(decompress(Uint8Array.of(0x0d, 0x41, 0x31))) // "Ab"
 * ```
 */
export const decompress = (stored: Uint8Array): Uint8Array => {
  switch (compressionScheme(stored)) {
    case "7BitAscii":
      return decode7BitAscii(stored)
    case "7BitUnicode":
      return decode7BitUnicode(stored)
    case "Xpress":
      return decodeXpress(stored)
    case "Scrub":
      return decodeScrub(stored)
    case "Xpress9":
      return decodeXpress9(stored)
    case "Xpress10":
      return decodeXpress10(stored)
    case "Lz4":
      return decodeLz4(stored)
  }
}

/**
 * The uncompressed size the value declares, where the scheme declares one (for structural checks):
 * the 7-bit schemes through their length, XPRESS, XPRESS10 and LZ4 in their header, XPRESS9 in its
 * block headers. `undefined` for scrubbed values. Throws a CompressionError when the
 * value is too short for its header or its length is impossible for its scheme.
 */
export const declaredSize = (stored: Uint8Array): number | undefined => {
  const scheme = compressionScheme(stored)
  switch (scheme) {
    case "7BitAscii":
      return sevenBitCharacterCount(scheme, stored)
    case "7BitUnicode":
      return sevenBitCharacterCount(scheme, stored) * 2
    case "Xpress":
      return xpressDeclaredSize(stored)
    case "Xpress10":
      return xpress10DeclaredSize(stored)
    case "Lz4":
      return lz4DeclaredSize(stored)
    case "Xpress9":
      return xpress9DeclaredSize(stored)
    case "Scrub":
      return undefined
  }
}
