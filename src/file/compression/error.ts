/**
 * What went wrong while decoding a stored value:
 * - `Corrupt`: the bytes do not follow the scheme's format (ESE answers `JET_errDecompressionFailed`);
 * - `IntegrityCheckFailed`: the value decoded, but the checksum stored beside it does not match
 *   (`JET_errCompressionIntegrityCheckFailed`);
 * - `Scrubbed`: the engine overwrote the value on purpose and kept no data (`wrnRECCompressionScrubDetected`).
 */
export type CompressionFailure = "Corrupt" | "IntegrityCheckFailed" | "Scrubbed"

/**
 * A stored value that cannot be decompressed. The message names the scheme and what is wrong with the
 * bytes, e.g. `Xpress: back-reference of 12 bytes before the start of the output (at output byte 3)`.
 *
 * @example
 * ```ts
 * try {
 *   decompress(stored)
 * } catch (e) {
 *   if (e instanceof CompressionError) console.log(e.scheme, e.failure, e.message)
 * }
 * ```
 */
export class CompressionError extends Error {
  /** The scheme the value's first byte names (`"7BitAscii"`, `"Xpress"`, ...), or `"Unknown"`. */
  readonly scheme: string
  /** The kind of failure, for mapping to an ESE error code. */
  readonly failure: CompressionFailure

  constructor(scheme: string, detail: string, failure: CompressionFailure = "Corrupt") {
    super(`${scheme}: ${detail}`)
    this.name = "CompressionError"
    this.scheme = scheme
    this.failure = failure
  }
}

/**
 * The largest output any decoder produces, whatever a value declares. ESE compresses values of at most
 * a page (32 KiB) and long-value chunks of at most a page; the XPRESS, XPRESS10 and LZ4 headers cannot
 * declare more than 65,535 bytes. The cap keeps hostile input from asking for unbounded memory.
 */
export const maxDecompressedSize = 1 << 20
