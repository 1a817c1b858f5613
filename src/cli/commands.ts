/**
 * What each command of `effect-esent` does, over {@link EseFile}: the reader streams records page
 * by page through its bounded cache, so a dump's memory follows the cache bound, not the table.
 *
 * @module
 */
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import { appendFileKeySegment } from "../file/engine/keySegment.ts"
import type { ColumnInfo, DatabaseHeader, EseRecord, IndexInfo, TableInfo } from "../file/index.ts"
import { Coltyp, columnGrbit, EseFile, EseFileError, indexGrbit } from "../file/index.ts"
import { jetErrorCodes } from "../jet/errors.generated.ts"
import { compareKeys } from "../memory/keys.ts"
import type { Output } from "./output.ts"
import { Progress } from "./output.ts"
import type { JsonValue } from "./values.ts"
import { cellJson, coltypName, csvCell, csvRow } from "./values.ts"

/** A command-line failure that is not the file's fault: a bad option value. */
export class UsageError extends Error {
  override readonly name = "UsageError"
}

/** Settings shared by every command. */
export interface CommonOptions {
  /** The page cache's bound in bytes. */
  readonly cacheBytes?: number | undefined
  /** Draw a progress bar on stderr (only when stderr is a terminal). */
  readonly progress?: boolean | undefined
}

/** Opens `path` read-only; the caller closes it. */
export const openFile = (path: string, options: CommonOptions): EseFile =>
  EseFile.open(path, options.cacheBytes === undefined ? {} : { cacheBytes: options.cacheBytes })

const withFile = <A>(path: string, options: CommonOptions, f: (db: EseFile) => A): A => {
  const db = openFile(path, options)
  try {
    return f(db)
  } finally {
    db.close()
  }
}

const iso = (date: Date | undefined): string => date === undefined ? "(not set)" : date.toISOString()

const stateLine = (header: DatabaseHeader): string =>
  header.dirty
    ? `${header.state}: not shut down cleanly. It is read as it is on disk: changes still in its log files are missing, and a table caught mid-change may read inconsistently.`
    : header.state

/** The header as lines of `name: value`. */
export const infoLines = (header: DatabaseHeader): ReadonlyArray<string> => [
  `page size: ${header.pageSize}`,
  `format version: 0x${header.formatVersion.toString(16)}`,
  `format revision: ${header.formatRevision} (update ${header.formatUpdateMinor})`,
  `state: ${stateLine(header)}`,
  `created: ${iso(header.created)}`,
  `last consistent: ${iso(header.consistentTime)}`,
  `last attach: ${iso(header.attachTime)}`,
  `last detach: ${iso(header.detachTime)}`,
  `log signature: ${header.logSignature}`,
  `database signature: ${header.databaseSignature}`,
  `engine version: ${header.engineVersion}`,
  `engine format version: ${header.engineFormatVersion}`,
  `database time: ${header.databaseTime}`,
  `repair count: ${header.repairCount}`,
  `header copy used: ${header.copy}`
]

/** `effect-esent info FILE`. */
export const info = (path: string, options: CommonOptions, out: Output): void =>
  withFile(path, options, (db) => {
    for (const line of infoLines(db.header)) out.write(line + "\n")
  })

/** `effect-esent tables FILE`: one table name per line, in catalog order. */
export const tables = (path: string, options: CommonOptions, out: Output): void =>
  withFile(path, options, (db) => {
    for (const table of db.tables) out.write(table.name + "\n")
  })

const columnJson = (column: ColumnInfo) => ({
  id: column.id,
  name: column.name,
  type: coltypName(column.coltyp),
  size: column.size,
  codepage: column.codepage,
  grbit: columnGrbit(column),
  flags: column.flags
})

const indexJson = (table: TableInfo, index: IndexInfo) => ({
  name: index.name,
  primary: index.primary,
  unique: index.unique,
  grbit: indexGrbit(index.flags),
  lcid: index.lcid,
  keyMost: index.keyMost,
  segments: index.segments.map((s) => ({
    column: table.columns.find((c) => c.id === s.columnId)?.name ?? `#${s.columnId}`,
    descending: s.descending
  }))
})

/** A table's schema as a JSON-ready object. */
export const schemaJson = (table: TableInfo) => ({
  name: table.name,
  template: table.templateTable ?? null,
  columns: table.columns.map(columnJson),
  indexes: table.indexes.map((i) => indexJson(table, i))
})

/** `effect-esent schema FILE [TABLE]`: columns with types and flags, indexes with key segments. */
export const schema = (
  path: string,
  tableName: string | undefined,
  options: CommonOptions & { readonly json: boolean },
  out: Output
): void =>
  withFile(path, options, (db) => {
    const chosen = tableName === undefined ? db.tables : [db.table(tableName)]
    if (options.json) {
      const all = chosen.map(schemaJson)
      out.write(JSON.stringify(tableName === undefined ? all : all[0], null, 2) + "\n")
      return
    }
    for (const table of chosen) {
      const s = schemaJson(table)
      out.write(`table ${s.name}${s.template === null ? "" : ` (template ${s.template})`}\n`)
      for (const c of s.columns) {
        out.write(
          `  column ${c.id} ${c.name}: ${c.type} size ${c.size}${
            c.codepage ? ` cp ${c.codepage}` : ""
          } grbit 0x${c.grbit.toString(16)}\n`
        )
      }
      for (const i of s.indexes) {
        const key = i.segments.map((seg) => `${seg.descending ? "-" : "+"}${seg.column}`).join(" ")
        out.write(`  index ${i.name}${i.primary ? " (primary)" : ""}${i.unique ? " (unique)" : ""}: ${key}\n`)
      }
    }
  })

/** Options of `dump`. */
export interface DumpOptions extends CommonOptions {
  readonly format: "json" | "csv"
  readonly columns?: ReadonlyArray<string> | undefined
  readonly index?: string | undefined
  readonly from?: string | undefined
  readonly to?: string | undefined
  readonly limit?: number | undefined
}

const valueBytes = (column: ColumnInfo, text: string): Uint8Array => {
  const b = Buffer.alloc(8)
  const number = (): number => {
    const n = Number(text)
    if (!Number.isFinite(n)) throw new UsageError(`"${text}" is not a number (column ${column.name})`)
    return n
  }
  switch (column.coltyp) {
    case Coltyp.Bit:
      return Uint8Array.of(text === "true" || text === "1" ? 0xff : 0)
    case Coltyp.UnsignedByte:
      return Uint8Array.of(number())
    case Coltyp.Short:
      b.writeInt16LE(number())
      return b.subarray(0, 2)
    case Coltyp.UnsignedShort:
      b.writeUInt16LE(number())
      return b.subarray(0, 2)
    case Coltyp.Long:
      b.writeInt32LE(number())
      return b.subarray(0, 4)
    case Coltyp.UnsignedLong:
      b.writeUInt32LE(number())
      return b.subarray(0, 4)
    case Coltyp.LongLong:
    case Coltyp.Currency:
      b.writeBigInt64LE(BigInt(text))
      return b
    case Coltyp.IEEESingle:
      b.writeFloatLE(number())
      return b.subarray(0, 4)
    case Coltyp.IEEEDouble:
      b.writeDoubleLE(number())
      return b
    case Coltyp.DateTime: {
      const ms = Date.parse(text)
      if (Number.isNaN(ms)) throw new UsageError(`"${text}" is not a date (column ${column.name})`)
      b.writeDoubleLE(ms / 86400000 + 25569)
      return b
    }
    case Coltyp.Text:
    case Coltyp.LongText:
      return Buffer.from(text, column.codepage === 1200 ? "utf16le" : "latin1")
    default:
      return Buffer.from(text, /^([0-9a-f]{2})*$/i.test(text) ? "hex" : "base64")
  }
}

/** The normalized key of `text` as a value of the index's first key column. */
export const firstSegmentKey = (table: TableInfo, index: IndexInfo, text: string): Uint8Array => {
  const segment = index.segments[0]
  if (segment === undefined) throw new UsageError(`index ${index.name} has no key columns`)
  const column = table.columns.find((c) => c.id === segment.columnId)!
  const key = appendFileKeySegment(new Uint8Array(0), index, segment, column, valueBytes(column, text), 0)
  if (key === jetErrorCodes.JET_errUnicodeTranslationFail) {
    throw new UsageError(`cannot build the Windows sort key of "${text}" for index ${index.name}`)
  }
  if (typeof key === "number") {
    throw new UsageError(`"${text}" does not fit column ${column.name} of index ${index.name}`)
  }
  return key
}

/** The records of a dump in order: the table's, or an index's between `from` and `to`. */
function* selectRecords(db: EseFile, table: TableInfo, options: DumpOptions): Generator<EseRecord> {
  if (options.index === undefined) {
    if (options.from !== undefined || options.to !== undefined) {
      throw new UsageError("--from and --to need --index")
    }
    yield* db.records(table)
    return
  }
  const index = db.index(table, options.index)
  const from = options.from === undefined ? undefined : firstSegmentKey(table, index, options.from)
  const to = options.to === undefined ? undefined : firstSegmentKey(table, index, options.to)
  for (const entry of db.indexEntries(table, index, from === undefined ? {} : { from })) {
    // Inclusive: an entry whose key starts with the `to` key is still in range.
    if (to !== undefined && compareKeys(entry.key.subarray(0, to.length), to) > 0) return
    yield index.primary ? db.recordByKey(table, entry.primaryKey)! : db.recordOf(table, entry)
  }
}

/** Writes the records of `table` as JSON lines or CSV; returns how many were written. */
export const dumpTable = (db: EseFile, table: TableInfo, options: DumpOptions, out: Output): number => {
  const columns = options.columns === undefined
    ? table.columns
    : options.columns.map((name) => db.column(table, name))
  const limit = options.limit ?? Number.POSITIVE_INFINITY
  if (limit < 0 || !Number.isInteger(limit) && limit !== Number.POSITIVE_INFINITY) {
    throw new UsageError("--limit must be a whole number, 0 or more")
  }
  const names = columns.map((c) => JSON.stringify(c.name))
  if (options.format === "csv") out.write(csvRow(columns.map((c) => csvCell(c.name))))
  const progress = new Progress(`${table.name}:`, { enabled: options.progress === true })
  let written = 0
  if (limit === 0) return 0
  for (const record of selectRecords(db, table, options)) {
    if (options.format === "csv") {
      out.write(csvRow(columns.map((c) => csvCell(cellJson(c, record.values(c))))))
    } else {
      let line = "{"
      for (let i = 0; i < columns.length; i++) {
        const value: JsonValue = cellJson(columns[i]!, record.values(columns[i]!))
        if (value === null) continue
        line += (line.length > 1 ? "," : "") + names[i] + ":" + JSON.stringify(value)
      }
      out.write(line + "}\n")
    }
    written++
    if ((written & 255) === 0) progress.update(written, 0)
    if (written >= limit) break
  }
  progress.done()
  return written
}

/** `effect-esent dump FILE TABLE`. */
export const dump = (path: string, tableName: string, options: DumpOptions, out: Output): number =>
  withFile(path, options, (db) => dumpTable(db, db.table(tableName), options, out))

/** A file name for a table: characters that a file system may refuse become `_`. */
export const exportFileName = (table: string, format: "json" | "csv"): string =>
  `${table.replace(/[^A-Za-z0-9._-]/g, "_")}.${format === "csv" ? "csv" : "jsonl"}`

/** `effect-esent export FILE DIR`: every table, one file each; returns the files written. */
export const exportAll = (
  path: string,
  dir: string,
  options: CommonOptions & { readonly format: "json" | "csv" },
  open: (file: string) => Output
): ReadonlyArray<string> =>
  withFile(path, options, (db) => {
    mkdirSync(dir, { recursive: true })
    const written: Array<string> = []
    const used = new Set<string>()
    const progress = new Progress("export:", { enabled: options.progress === true })
    db.tables.forEach((table, i) => {
      let name = exportFileName(table.name, options.format)
      for (let n = 2; used.has(name.toLowerCase()); n++) {
        name = `${n}-${exportFileName(table.name, options.format)}`
      }
      used.add(name.toLowerCase())
      const out = open(join(dir, name))
      try {
        dumpTable(db, table, { format: options.format }, out)
      } finally {
        out.close()
      }
      written.push(name)
      progress.update(i + 1, db.tables.length)
    })
    progress.done()
    return written
  })

export { EseFileError }
