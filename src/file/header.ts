/**
 * The database header: the first page of the file, with a shadow copy in the second. It holds the
 * signature (0x89ABCDEF at byte 4), the format version and revision, the page size, the shutdown
 * state, times and the engine version that last attached the file. Its checksum is the legacy XOR
 * over the whole 4 KiB header block, not just the fields a reader knows about.
 *
 * @module
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs"
import { type DatabaseState as JetDatabaseState, databaseStateOf } from "../jet/dbstate.ts"
import { legacyChecksum } from "./checksum.ts"
import { EseFileError } from "./errors.ts"

/** The signature at byte offset 4 of every ESE database and its shadow header. */
export const headerSignature = 0x89abcdef
/** The bytes the header checksum covers. */
export const headerChecksumBytes = 4096

/** The header's `dbstate`: how the file was left, or `"Unknown"` for a number ESE does not define. */
export type DatabaseState = JetDatabaseState | "Unknown"

/** A log position: generation, sector and byte offset in the transaction log. */
export interface LogPosition {
  readonly generation: number
  readonly sector: number
  readonly offset: number
}

/** What the database header says. */
export interface DatabaseHeader {
  /** Which copy was used: the primary (page 0) or, when that one failed its checksum, the shadow. */
  readonly copy: "primary" | "shadow"
  /** The format version (`ulVersion`), 0x620 for every database since Windows XP. */
  readonly formatVersion: number
  /** The format revision (`ulDaeUpdateMajor`); from 110 on, long-value ids are 8 bytes. */
  readonly formatRevision: number
  /** The minor format update (`ulDaeUpdateMinor`). */
  readonly formatUpdateMinor: number
  /** Bytes per page: 4096, 8192, 16384 or 32768. */
  readonly pageSize: number
  /** How the database was left; a dirty database is still read, as it is on disk. */
  readonly state: DatabaseState
  /** True when the header says the database was not shut down cleanly. */
  readonly dirty: boolean
  /** The database time (`dbtimeDirtied`), a 64-bit counter of changes. */
  readonly databaseTime: bigint
  /** When the database was created (from its signature), or undefined when unset. */
  readonly created: Date | undefined
  /** The last clean shutdown's time, or undefined. */
  readonly consistentTime: Date | undefined
  /** The last attach's time, or undefined. */
  readonly attachTime: Date | undefined
  /** The last detach's time, or undefined. */
  readonly detachTime: Date | undefined
  /** The log position of the last clean state. */
  readonly consistentPosition: LogPosition
  /** The signature of the log files this database belongs with, as hex (28 bytes). */
  readonly logSignature: string
  /** The database's own signature, as hex (28 bytes). */
  readonly databaseSignature: string
  /** The OS version that last wrote the header: major.minor.build.servicePack. */
  readonly engineVersion: string
  /** The engine format version that last attached the file (`efvMaxBinAttachDiagnostic`), 0 if unset. */
  readonly engineFormatVersion: number
  /** The highest object id used. */
  readonly lastObjectId: number
  /** The number of times the database was repaired. */
  readonly repairCount: number
}

/** Decodes an ESE `LOGTIME` (8 bytes: seconds, minutes, hours, day, month, year-1900, ms). */
export const decodeLogTime = (bytes: Uint8Array, at: number): Date | undefined => {
  const [s = 0, m = 0, h = 0, day = 0, month = 0, year = 0, b6 = 0, b7 = 0] = bytes.subarray(at, at + 8)
  if (day === 0 && month === 0 && year === 0) return undefined
  const ms = (b6 >> 1) | (((b7 >> 1) & 7) << 7)
  return new Date(Date.UTC(1900 + year, month - 1, day, h, m, s, ms))
}

const hexOf = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex")

/**
 * Decodes a header block (at least 4 KiB). Throws `JET_errFileInvalidType` when the signature is not
 * ESE's and `JET_errReadVerifyFailure` when the checksum does not match.
 */
export const parseHeader = (bytes: Uint8Array, copy: "primary" | "shadow"): DatabaseHeader => {
  if (bytes.byteLength < headerChecksumBytes) {
    throw new EseFileError(
      "JET_errFileIOBeyondEOF",
      `the ${copy} header is cut short at ${bytes.byteLength} bytes`
    )
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const signature = view.getUint32(4, true)
  if (signature !== headerSignature) {
    throw new EseFileError(
      "JET_errFileInvalidType",
      `not an ESE database: the ${copy} header's signature is 0x${signature.toString(16)}, not 0x89abcdef`
    )
  }
  const stored = view.getUint32(0, true)
  const computed = legacyChecksum(bytes, 0, headerChecksumBytes)
  if (stored !== computed) {
    throw new EseFileError(
      "JET_errReadVerifyFailure",
      `the ${copy} header's checksum is 0x${stored.toString(16)}, the 4 KiB header block gives 0x${
        computed.toString(16)
      }`
    )
  }
  const stateCode = view.getUint32(52, true)
  const state = databaseStateOf(stateCode) ?? "Unknown"
  const pageSizeField = view.getUint32(236, true)
  return {
    copy,
    formatVersion: view.getUint32(8, true),
    formatRevision: view.getUint32(232, true),
    formatUpdateMinor: view.getUint32(644, true),
    pageSize: pageSizeField === 0 ? 4096 : pageSizeField,
    state,
    dirty: state !== "CleanShutdown",
    databaseTime: view.getBigUint64(16, true),
    created: decodeLogTime(bytes, 28),
    consistentPosition: {
      offset: view.getUint16(56, true),
      sector: view.getUint16(58, true),
      generation: view.getInt32(60, true)
    },
    consistentTime: decodeLogTime(bytes, 64),
    attachTime: decodeLogTime(bytes, 72),
    detachTime: decodeLogTime(bytes, 88),
    databaseSignature: hexOf(bytes.subarray(24, 52)),
    logSignature: hexOf(bytes.subarray(108, 136)),
    lastObjectId: view.getUint32(212, true),
    engineVersion: [216, 220, 224, 228].map((at) => view.getUint32(at, true)).join("."),
    repairCount: view.getUint32(240, true),
    engineFormatVersion: view.getUint32(648, true)
  }
}

const validPageSizes = new Set([4096, 8192, 16384, 32768])

/**
 * Reads the header of an open file: the primary copy, or the shadow copy (at one page's offset)
 * when the primary fails its checksum. Throws the primary's error when neither copy is good.
 */
export const readHeader = (fd: number): DatabaseHeader => {
  const fileSize = fstatSync(fd).size
  const block = (offset: number): Uint8Array => {
    const buffer = new Uint8Array(headerChecksumBytes)
    const read = readSync(fd, buffer, 0, headerChecksumBytes, offset)
    return buffer.subarray(0, read)
  }
  const primaryBytes = block(0)
  if (primaryBytes.byteLength < 8) {
    throw new EseFileError("JET_errFileInvalidType", `not an ESE database: the file has ${fileSize} bytes`)
  }
  let primaryError: unknown
  try {
    const header = parseHeader(primaryBytes, "primary")
    if (!validPageSizes.has(header.pageSize)) {
      throw new EseFileError(
        "JET_errDatabaseCorrupted",
        `the header declares a page size of ${header.pageSize} bytes`
      )
    }
    return header
  } catch (error) {
    if (!(error instanceof EseFileError) || error.code === "JET_errFileInvalidType") throw error
    primaryError = error
  }
  // The shadow copy is one page further; the page size is unknown when the primary is bad, so try each.
  for (const pageSize of validPageSizes) {
    if (pageSize + headerChecksumBytes > fileSize) continue
    try {
      const header = parseHeader(block(pageSize), "shadow")
      if (header.pageSize === pageSize) return header
    } catch {
      // the next size, or the primary's error
    }
  }
  throw primaryError
}

/** Opens `path`, reads its header and closes it again. */
export const readHeaderOfFile = (path: string): DatabaseHeader => {
  const fd = openSync(path, "r")
  try {
    return readHeader(fd)
  } finally {
    closeSync(fd)
  }
}
