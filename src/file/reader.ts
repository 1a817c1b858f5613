/**
 * The public reader: open an ESE database file read-only, list its tables, columns and indexes,
 * and read records, index entries and long values lazily, page by page through a bounded cache.
 * Nothing is ever written to the file.
 *
 * ```ts
 * const db = EseFile.open("Windows.edb", { cacheBytes: 8 * 1024 * 1024 })
 * try {
 *   const table = db.table("SystemIndex_Gthr")
 *   for (const record of db.records(table)) console.log(record.value(table.columns[0]!))
 * } finally {
 *   db.close()
 * }
 * ```
 *
 * @module
 */
import { closeSync, openSync } from "node:fs"
import type { ColumnInfo, IndexInfo, TableInfo } from "./catalog.ts"
import { FieldFlag, readCatalog } from "./catalog.ts"
import { CompressionError, decompress as decompressValue } from "./compression/index.ts"
import { EseFileError } from "./errors.ts"
import type { DatabaseHeader } from "./header.ts"
import { readHeader } from "./header.ts"
import type { Decompress, LongValue } from "./longvalue.ts"
import { LongValueTree } from "./longvalue.ts"
import { isLargePage } from "./page.ts"
import type { PageSourceStats } from "./pages.ts"
import { PageSource } from "./pages.ts"
import type { StoredValue } from "./record.ts"
import { RecordData } from "./record.ts"
import type { TreeEntry } from "./tree.ts"
import { TreeCursor } from "./tree.ts"
import type { ColumnValue } from "./values.ts"
import { decodeValue } from "./values.ts"

/** Settings of {@link EseFile.open}. */
export interface EseFileOptions {
  /** The page cache's bound in bytes. Default 32 MiB. */
  readonly cacheBytes?: number
  /** Verify every page's checksum when read. Default true. */
  readonly verifyChecksums?: boolean
  /**
   * Expands a compressed value (its first byte names the scheme). Default: the decoders of
   * `src/file/compression`. `null` leaves compressed values as stored, marked `compressed` in
   * {@link ResolvedValue}.
   */
  readonly decompress?: Decompress | null
}

/** One value of a column, resolved: separated long values fetched, compressed ones expanded when possible. */
export interface ResolvedValue {
  readonly bytes: Uint8Array
  /** True when the bytes are still compressed (no codec was given, or it failed). */
  readonly compressed: boolean
  /** True when the value lived in the long-value tree. */
  readonly separated: boolean
}

/** One entry of an index: the normalized key bytes it stores and the bookmark (primary key) of its record. */
export interface IndexEntry {
  /** The index key as stored (normalized). */
  readonly key: Uint8Array
  /** The primary key of the record (for the primary index, the same as `key`). */
  readonly primaryKey: Uint8Array
  /** Where the entry is: page and node. */
  readonly pgno: number
  readonly index: number
}

/** A record of a table, decoded lazily column by column. */
export class EseRecord {
  /** The record's primary key (its bookmark). */
  readonly primaryKey: Uint8Array
  /** The record's stored layout. */
  readonly data: RecordData
  private readonly file: EseFile
  /** The table the record belongs to. */
  readonly table: TableInfo

  constructor(file: EseFile, table: TableInfo, entry: TreeEntry) {
    this.file = file
    this.table = table
    this.primaryKey = entry.key
    this.data = new RecordData(entry.data, isLargePage(file.header.pageSize), entry.pgno)
  }

  /** The values of `column` as stored in the record (long-value ids not followed). */
  stored(column: ColumnInfo): ReadonlyArray<StoredValue> | undefined {
    return this.data.values(column)
  }

  /** The values of `column`, resolved; undefined when the column is null. */
  values(column: ColumnInfo): ReadonlyArray<ResolvedValue> | undefined {
    const stored = this.data.values(column)
    return stored?.map((value) => this.file.resolve(this.table, column, value))
  }

  /** The first value of `column`, decoded by its type; null when the column is null. */
  value(column: ColumnInfo): ColumnValue | null {
    const first = this.values(column)?.[0]
    return first === undefined
      ? null
      : first.compressed
      ? first.bytes
      : decodeValue(column.coltyp, column.codepage, first.bytes)
  }

  /** Every value of `column`, decoded by its type (compressed ones left as bytes); [] when null. */
  allValues(column: ColumnInfo): ReadonlyArray<ColumnValue> {
    return (this.values(column) ?? []).map((v) =>
      v.compressed ? v.bytes : decodeValue(column.coltyp, column.codepage, v.bytes)
    )
  }
}

/** An ESE database file opened read-only. */
export class EseFile {
  /** The database header (the primary copy, or the shadow when the primary is damaged). */
  readonly header: DatabaseHeader
  /** Every table in catalog order, the system tables (`MSysObjects`, ...) included. */
  readonly tables: ReadonlyArray<TableInfo>
  private readonly pages: PageSource
  private readonly fd: number
  private readonly decompress: Decompress | undefined
  private readonly lvTrees = new Map<number, LongValueTree>()
  private closed = false

  private constructor(fd: number, options: EseFileOptions) {
    this.fd = fd
    this.header = readHeader(fd)
    this.pages = new PageSource(fd, this.header.pageSize, options)
    this.decompress = options.decompress === null
      ? undefined
      : codecErrorsAsJet(options.decompress ?? decompressValue)
    this.tables = readCatalog(this.pages)
  }

  /**
   * Opens `path` read-only and reads its header and catalog. Throws {@link EseFileError}:
   * `JET_errFileNotFound`, `JET_errFileInvalidType` (not ESE), `JET_errReadVerifyFailure` (checksum),
   * `JET_errDatabaseCorrupted`. A database not shut down cleanly opens; see `header.dirty`.
   */
  static open(path: string, options: EseFileOptions = {}): EseFile {
    let fd: number
    try {
      fd = openSync(path, "r")
    } catch (error) {
      const code = (error as { code?: string }).code
      throw new EseFileError(
        code === "ENOENT" ? "JET_errFileNotFound" : "JET_errDiskIO",
        `cannot open ${path}: ${String(error)}`
      )
    }
    try {
      return new EseFile(fd, options)
    } catch (error) {
      closeSync(fd)
      throw error
    }
  }

  /** Closes the file; later reads throw. Closing twice is harmless. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.pages.clear()
    closeSync(this.fd)
  }

  /** The table named `name` (case-insensitive, as ESE matches names). Throws `JET_errObjectNotFound`. */
  table(name: string): TableInfo {
    const lower = name.toLowerCase()
    const found = this.tables.find((t) => t.name.toLowerCase() === lower)
    if (found === undefined) throw new EseFileError("JET_errObjectNotFound", `no table named "${name}"`)
    return found
  }

  /** The column of `table` named `name` (case-insensitive). Throws `JET_errColumnNotFound`. */
  column(table: TableInfo, name: string): ColumnInfo {
    const lower = name.toLowerCase()
    const found = table.columns.find((c) => c.name.toLowerCase() === lower)
    if (found === undefined) {
      throw new EseFileError("JET_errColumnNotFound", `table "${table.name}" has no column "${name}"`)
    }
    return found
  }

  /** The index of `table` named `name` (case-insensitive). Throws `JET_errIndexNotFound`. */
  index(table: TableInfo, name: string): IndexInfo {
    const lower = name.toLowerCase()
    const found = table.indexes.find((i) => i.name.toLowerCase() === lower)
    if (found === undefined) {
      throw new EseFileError("JET_errIndexNotFound", `table "${table.name}" has no index "${name}"`)
    }
    return found
  }

  /** A cursor over the tree rooted at `rootPage` (a table's records or an index's entries). */
  cursor(rootPage: number): TreeCursor {
    this.check()
    return new TreeCursor(this.pages, rootPage)
  }

  /** The records of `table` in primary-key order (or reverse), read lazily. */
  *records(table: TableInfo, direction: "forward" | "backward" = "forward"): Generator<EseRecord> {
    const cursor = this.cursor(table.rootPage)
    let ok = direction === "forward" ? cursor.first() : cursor.last()
    while (ok) {
      yield new EseRecord(this, table, cursor.current!)
      ok = direction === "forward" ? cursor.next() : cursor.previous()
    }
  }

  /** The record of `table` whose primary key (bookmark) is `primaryKey`, or undefined. */
  recordByKey(table: TableInfo, primaryKey: Uint8Array): EseRecord | undefined {
    const cursor = this.cursor(table.rootPage)
    if (!cursor.seek(primaryKey)) return undefined
    const entry = cursor.current!
    return Buffer.compare(entry.key, primaryKey) === 0 ? new EseRecord(this, table, entry) : undefined
  }

  /** The record an index entry points at. Throws `JET_errDatabaseCorrupted` when it is missing. */
  recordOf(table: TableInfo, entry: IndexEntry): EseRecord {
    const record = this.recordByKey(table, entry.primaryKey)
    if (record === undefined) {
      throw new EseFileError(
        "JET_errDatabaseCorrupted",
        `an entry of table "${table.name}"'s index points at a missing record`,
        entry.pgno
      )
    }
    return record
  }

  /**
   * The entries of `index` in the order its B+tree stores them (or reverse), from the first key at
   * or after `from` when given. Each gives the stored normalized key and its record's primary key.
   */
  *indexEntries(
    table: TableInfo,
    index: IndexInfo,
    options: { readonly direction?: "forward" | "backward"; readonly from?: Uint8Array } = {}
  ): Generator<IndexEntry> {
    if (!table.indexes.includes(index)) {
      throw new EseFileError(
        "JET_errIndexNotFound",
        `index "${index.name}" is not an index of table "${table.name}"`
      )
    }
    const cursor = this.cursor(index.rootPage)
    const forward = (options.direction ?? "forward") === "forward"
    let ok = options.from !== undefined ? cursor.seek(options.from) : forward ? cursor.first() : cursor.last()
    while (ok) {
      yield toIndexEntry(index, cursor.current!)
      ok = forward ? cursor.next() : cursor.previous()
    }
  }

  /** The first entry of `index` whose key is at or after `key`, or undefined. */
  seek(index: IndexInfo, key: Uint8Array): IndexEntry | undefined {
    const cursor = this.cursor(index.rootPage)
    return cursor.seek(key) ? toIndexEntry(index, cursor.current!) : undefined
  }

  /** Reads a separated long value of `table` by its id (as the record stores it). */
  longValue(table: TableInfo, lid: Uint8Array, compressedColumn = false): LongValue {
    return this.lvTree(table).read(lid, compressedColumn, this.decompress)
  }

  /** Resolves one stored value: follows a long-value id, expands compressed bytes when a codec is set. */
  resolve(table: TableInfo, column: ColumnInfo, value: StoredValue): ResolvedValue {
    const compressedColumn = (column.flags & FieldFlag.Compressed) !== 0
    if (value.separated) {
      const lv = this.longValue(table, value.bytes, compressedColumn)
      return { bytes: lv.bytes, compressed: lv.stillCompressed, separated: true }
    }
    if (value.compressed) {
      if (this.decompress === undefined) return { bytes: value.bytes, compressed: true, separated: false }
      return { bytes: this.decompress(value.bytes), compressed: false, separated: false }
    }
    return { bytes: value.bytes, compressed: false, separated: false }
  }

  /** Page cache counters. */
  cacheStats(): PageSourceStats {
    return this.pages.stats()
  }

  private lvTree(table: TableInfo): LongValueTree {
    this.check()
    if (table.longValueRootPage === undefined) {
      throw new EseFileError(
        "JET_errDatabaseCorrupted",
        `table "${table.name}" names a long value but has no long-value tree`
      )
    }
    let tree = this.lvTrees.get(table.longValueRootPage)
    if (tree === undefined) {
      tree = new LongValueTree(this.pages, table.longValueRootPage)
      this.lvTrees.set(table.longValueRootPage, tree)
    }
    return tree
  }

  private check(): void {
    if (this.closed) throw new EseFileError("JET_errInvalidParameter", "the file is closed")
  }
}

/** Wraps a codec so that its failures surface as the JET errors ESE gives for them. */
const codecErrorsAsJet = (codec: Decompress): Decompress => (bytes) => {
  try {
    return codec(bytes)
  } catch (error) {
    if (!(error instanceof CompressionError)) throw error
    throw new EseFileError(
      error.failure === "IntegrityCheckFailed"
        ? "JET_errCompressionIntegrityCheckFailed"
        : "JET_errDecompressionFailed",
      error.message
    )
  }
}

const toIndexEntry = (index: IndexInfo, entry: TreeEntry): IndexEntry => ({
  key: entry.key,
  primaryKey: index.primary ? entry.key : entry.data,
  pgno: entry.pgno,
  index: entry.index
})
