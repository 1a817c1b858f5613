/**
 * The one error the file reader throws: a JET error name (as `src/jet` spells it), the page it
 * concerns when there is one, and a message that says what was wrong with which bytes.
 *
 * @module
 */
import type { JetErrorName } from "../jet/errors.generated.ts"

/** The JET error names the file reader reports. */
export type EseFileErrorCode = Extract<
  JetErrorName,
  | "JET_errReadVerifyFailure"
  | "JET_errDatabaseCorrupted"
  | "JET_errFileInvalidType"
  | "JET_errDiskIO"
  | "JET_errFileIOBeyondEOF"
  | "JET_errInvalidParameter"
  | "JET_errObjectNotFound"
  | "JET_errIndexNotFound"
  | "JET_errColumnNotFound"
  | "JET_errFileNotFound"
  | "JET_errInvalidDatabase"
  | "JET_errDecompressionFailed"
  | "JET_errCompressionIntegrityCheckFailed"
>

/**
 * A failure reading an ESE database file: corruption, a checksum mismatch, truncation, or a file
 * that is not an ESE database at all. Nothing is ever half-read into the caller's hands: the
 * operation that met the bad bytes throws this instead.
 *
 * @example
 * ```ts
 * try { EseFile.open("x.edb") } catch (e) { if (e instanceof EseFileError) console.log(e.code, e.pgno) }
 * ```
 */
export class EseFileError extends Error {
  override readonly name = "EseFileError"
  /** The JET error name, e.g. `JET_errReadVerifyFailure` for a checksum mismatch. */
  readonly code: EseFileErrorCode
  /** The page the problem was found on, when it concerns one page. */
  readonly pgno: number | undefined

  constructor(code: EseFileErrorCode, message: string, pgno?: number) {
    super(pgno === undefined ? `${code}: ${message}` : `${code}: page ${pgno}: ${message}`)
    this.code = code
    this.pgno = pgno
  }
}

/** Throws a `JET_errDatabaseCorrupted` error naming the page. */
export const corrupt = (message: string, pgno?: number): never => {
  throw new EseFileError("JET_errDatabaseCorrupted", message, pgno)
}
