// COMPRESS_SCRUB (4 in ESE's compression.cxx): not a compression. When ESE scrubs an orphaned
// long-value chunk it overwrites the chunk with this header byte followed by a fill character; the
// original data is gone. ESE reports 0 bytes and the warning wrnRECCompressionScrubDetected.
import { CompressionError } from "./error.ts"

/** Always throws: a scrubbed value holds no data to recover. */
export const decodeScrub = (stored: Uint8Array): never => {
  throw new CompressionError(
    "Scrub",
    `the value (${stored.length} bytes) was scrubbed by the engine: its data was overwritten and cannot be recovered`,
    "Scrubbed"
  )
}
