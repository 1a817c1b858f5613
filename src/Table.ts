/**
 * Tables from plain descriptions: create a table with its columns and indexes in one call, change
 * them later, and read the schema back.
 *
 * @module
 */
import { Effect } from "effect"
import { type Coltyp, encodeColumnValue, isCodecFailure } from "./Codec.ts"
import * as Database from "./Database.ts"
import { ColumnValueError, type HandleClosedError } from "./Errors.ts"
import { readInfoList } from "./internal/list.ts"
import type { JetApi, JetColumnCreate, JetIndexCreate } from "./jet/api.ts"
import * as C from "./jet/constants.ts"
import { JET_COLUMNID, type JET_SESID, JET_TABLEID } from "./jet/handles.ts"
import { type JetError, jetError } from "./JetError.ts"

/** The column types, by their ESENT names. */
export const columnTypes = {
  Bit: C.JET_coltypBit,
  UnsignedByte: C.JET_coltypUnsignedByte,
  Short: C.JET_coltypShort,
  Long: C.JET_coltypLong,
  Currency: C.JET_coltypCurrency,
  IEEESingle: C.JET_coltypIEEESingle,
  IEEEDouble: C.JET_coltypIEEEDouble,
  DateTime: C.JET_coltypDateTime,
  Binary: C.JET_coltypBinary,
  Text: C.JET_coltypText,
  LongBinary: C.JET_coltypLongBinary,
  LongText: C.JET_coltypLongText,
  UnsignedLong: C.JET_coltypUnsignedLong,
  LongLong: C.JET_coltypLongLong,
  GUID: C.JET_coltypGUID,
  UnsignedShort: C.JET_coltypUnsignedShort,
  UnsignedLongLong: C.JET_coltypUnsignedLongLong
} as const satisfies Record<string, Coltyp>

/** The name of a column type. */
export type ColumnType = keyof typeof columnTypes

const typeNames = new Map<number, ColumnType>(
  Object.entries(columnTypes).map(([name, coltyp]) => [coltyp, name as ColumnType])
)

/** One column of a table definition. */
export interface ColumnDefinition {
  readonly type: ColumnType
  /** Most bytes a value may take (Binary, Text and the long types); 0 for the type's limit. */
  readonly maxLength?: number
  /**
   * Where the value lives in the record: `fixed` always takes its size, `variable` (Binary and Text
   * up to 255 bytes) takes what it needs, `tagged` takes nothing when NULL and may hold several
   * values. Default: fixed for fixed-size types, variable for Binary and Text, tagged for the long
   * types and for multi-valued columns.
   */
  readonly storage?: "fixed" | "variable" | "tagged"
  /** Several values per record (tagged). */
  readonly multiValued?: boolean
  /** Numbered by the engine at insert (Long or Currency). */
  readonly autoincrement?: boolean
  /** Incremented by the engine on every replace (Long). */
  readonly version?: boolean
  /** Updated by deltas without write conflicts (Long or LongLong). */
  readonly escrow?: boolean
  /** NULL is refused with `JET_errNullInvalid`. */
  readonly notNull?: boolean
  /** Text: store as Windows-1252 instead of UTF-16. */
  readonly ascii?: boolean
  /** The value the column has when a record does not set it. */
  readonly default?: unknown
}

/** One index of a table definition. */
export interface IndexDefinition {
  readonly name: string
  /** The key's columns in order, each `"+name"` (ascending, also plain `"name"`) or `"-name"`. */
  readonly key: ReadonlyArray<string>
  /** The clustered index; unique. At most one per table. */
  readonly primary?: boolean
  readonly unique?: boolean
  /** A NULL key segment fails the update with `JET_errNullKeyDisallowed`. */
  readonly disallowNull?: boolean
  /** No index entry when every key segment is NULL. */
  readonly ignoreNull?: boolean
  /** No index entry when any key segment is NULL. */
  readonly ignoreAnyNull?: boolean
  /** NULL segments sort after values. */
  readonly sortNullsHigh?: boolean
  /** Largest key in bytes (default 255). */
  readonly maxKeyLength?: number
  /** A longer key fails with `JET_errKeyTruncated` instead of being cut. */
  readonly disallowTruncation?: boolean
}

/** A table's name, columns and indexes. */
export interface TableDefinition {
  readonly name: string
  readonly columns: Readonly<Record<string, ColumnDefinition>>
  readonly indexes?: ReadonlyArray<IndexDefinition>
}

/** A column of an existing table, as read back from the engine. */
export interface ColumnInfo {
  readonly name: string
  readonly columnid: JET_COLUMNID
  readonly coltyp: number
  /** `undefined` for a coltyp this library does not know. */
  readonly type: ColumnType | undefined
  readonly cp: number
  readonly cbMax: number
  readonly grbit: number
  readonly multiValued: boolean
}

const longTypes = new Set<ColumnType>(["LongBinary", "LongText"])
const variableTypes = new Set<ColumnType>(["Binary", "Text"])

/** The `JET_bitColumn*` grbits of a column definition. */
export const columnGrbit = (column: ColumnDefinition): number => {
  const storage = column.storage
    ?? (column.multiValued === true || longTypes.has(column.type)
      ? "tagged"
      : variableTypes.has(column.type)
      ? "variable"
      : "fixed")
  return (storage === "fixed" ? C.JET_bitColumnFixed : 0)
    | (storage === "tagged" ? C.JET_bitColumnTagged : 0)
    | (column.multiValued === true ? C.JET_bitColumnMultiValued : 0)
    | (column.autoincrement === true ? C.JET_bitColumnAutoincrement : 0)
    | (column.version === true ? C.JET_bitColumnVersion : 0)
    | (column.escrow === true ? C.JET_bitColumnEscrowUpdate : 0)
    | (column.notNull === true ? C.JET_bitColumnNotNULL : 0)
}

const codePage = (column: ColumnDefinition): number =>
  column.type === "Text" || column.type === "LongText" ? (column.ascii === true ? 1252 : 1200) : 0

/** The `JET_bitIndex*` grbits of an index definition. */
export const indexGrbit = (index: IndexDefinition): number =>
  (index.primary === true ? C.JET_bitIndexPrimary : 0)
  | (index.unique === true ? C.JET_bitIndexUnique : 0)
  | (index.disallowNull === true ? C.JET_bitIndexDisallowNull : 0)
  | (index.ignoreNull === true ? C.JET_bitIndexIgnoreNull : 0)
  | (index.ignoreAnyNull === true ? C.JET_bitIndexIgnoreAnyNull : 0)
  | (index.sortNullsHigh === true ? C.JET_bitIndexSortNullsHigh : 0)
  | (index.maxKeyLength !== undefined ? C.JET_bitIndexKeyMost : 0)
  | (index.disallowTruncation === true ? C.JET_bitIndexDisallowTruncation : 0)

/** The `JET_INDEXCREATE` of an index definition (its key string, NUL-separated and doubly ended). */
export const indexCreate = (index: IndexDefinition): JetIndexCreate => {
  const szKey = index.key.map((segment) => (/^[+-]/.test(segment) ? segment : `+${segment}`) + "\0").join("")
    + "\0"
  return {
    szIndexName: index.name,
    szKey,
    cbKey: szKey.length * 2,
    grbit: indexGrbit(index),
    ulDensity: 100,
    cbKeyMost: index.maxKeyLength ?? 0
  }
}

const columnCreate = (
  table: string,
  name: string,
  column: ColumnDefinition
): JetColumnCreate | ColumnValueError => {
  const coltyp = columnTypes[column.type]
  const cp = codePage(column)
  let pvDefault: Uint8Array | null = null
  if (column.default !== undefined) {
    const encoded = encodeColumnValue(coltyp, column.default as never, { cp, cbMax: column.maxLength ?? 0 })
    if (isCodecFailure(encoded)) {
      return new ColumnValueError({ table, column: name, reason: `default value: ${encoded.reason}` })
    }
    pvDefault = encoded
  }
  return {
    szColumnName: name,
    coltyp,
    cbMax: column.maxLength ?? 0,
    grbit: columnGrbit(column),
    pvDefault,
    cbDefault: pvDefault?.byteLength ?? 0,
    cp
  }
}

/**
 * Creates a table with its columns and indexes in one call (`JetCreateTableColumnIndex2`). When a
 * column or index is refused, the whole creation fails with that column's or index's error.
 *
 * @example
 * ```ts
 * import { Table } from "effect-esent"
 *
 * declare const db: import("effect-esent").Database.Database
 * const created = Table.create(db, {
 *   name: "people",
 *   columns: { id: { type: "Long", autoincrement: true }, name: { type: "Text" } },
 *   indexes: [{ name: "by_id", key: ["id"], primary: true }]
 * })
 * ```
 */
export const create = (
  database: Database.Database,
  definition: TableDefinition
): Effect.Effect<void, JetError | ColumnValueError | HandleClosedError> =>
  Effect.gen(function*() {
    const columns: Array<JetColumnCreate> = []
    for (const [name, column] of Object.entries(definition.columns)) {
      const created = columnCreate(definition.name, name, column)
      if (created instanceof ColumnValueError) return yield* Effect.fail(created)
      columns.push(created)
    }
    const indexes = (definition.indexes ?? []).map(indexCreate)
    const created = yield* Database.call(database, "JetCreateTableColumnIndex2", (api, sesid, dbid) => {
      const out = api.JetCreateTableColumnIndex2(sesid, dbid, {
        szTableName: definition.name,
        rgcolumncreate: columns,
        rgindexcreate: indexes
      })
      if (out.err >= 0) api.JetCloseTable(sesid, out.tableid)
      return out
    }, definition.name)
    const columnErr = created.columnErrs.findIndex((err) => err < 0)
    if (columnErr >= 0) {
      return yield* Effect.fail(
        jetError(
          created.columnErrs[columnErr]!,
          "JetCreateTableColumnIndex2",
          columns[columnErr]!.szColumnName
        )
      )
    }
  }).pipe(Effect.withSpan("Table.create", { attributes: { table: definition.name } }))

/** Deletes a table and its data. */
export const remove = (
  database: Database.Database,
  table: string
): Effect.Effect<void, JetError | HandleClosedError> =>
  Effect.asVoid(
    Database.call(database, "JetDeleteTable", (api, sesid, dbid) =>
      api.JetDeleteTable(sesid, dbid, table), table)
  )

/** Renames a table. */
export const rename = (
  database: Database.Database,
  table: string,
  newName: string
): Effect.Effect<void, JetError | HandleClosedError> =>
  Effect.asVoid(
    Database.call(database, "JetRenameTable", (api, sesid, dbid) =>
      api.JetRenameTable(sesid, dbid, table, newName), table)
  )

/** Opens a short-lived cursor on the table for a DDL call, closing it whatever happens. */
const withTableCursor = <R extends { readonly err: number }>(
  database: Database.Database,
  table: string,
  operation: string,
  f: (api: JetApi, sesid: JET_SESID, tableid: JET_TABLEID) => R
): Effect.Effect<R, JetError | HandleClosedError> =>
  Effect.acquireUseRelease(
    Database.call(
      database,
      "JetOpenTable",
      (api, sesid, dbid) => api.JetOpenTable(sesid, dbid, table, C.JET_bitTableDenyRead),
      table
    ),
    ({ tableid }) => Database.call(database, operation, (api, sesid) => f(api, sesid, tableid), table),
    ({ tableid }) => Effect.sync(() => database.session.api.JetCloseTable(database.session.sesid, tableid))
  )

/** Adds a column to an existing table; returns its id. */
export const addColumn = (
  database: Database.Database,
  table: string,
  name: string,
  column: ColumnDefinition
): Effect.Effect<JET_COLUMNID, JetError | ColumnValueError | HandleClosedError> =>
  Effect.gen(function*() {
    const created = columnCreate(table, name, column)
    if (created instanceof ColumnValueError) return yield* Effect.fail(created)
    const added = yield* withTableCursor(database, table, "JetAddColumn", (api, sesid, tableid) =>
      api.JetAddColumn(
        sesid,
        tableid,
        name,
        { coltyp: created.coltyp, cbMax: created.cbMax ?? 0, grbit: created.grbit ?? 0, cp: created.cp ?? 0 },
        created.pvDefault ?? null,
        created.cbDefault ?? 0
      ))
    return added.columnid
  })

/** Deletes a column of an existing table. */
export const deleteColumn = (
  database: Database.Database,
  table: string,
  name: string
): Effect.Effect<void, JetError | HandleClosedError> =>
  Effect.asVoid(
    withTableCursor(database, table, "JetDeleteColumn2", (api, sesid, tableid) =>
      api.JetDeleteColumn2(sesid, tableid, name, 0))
  )

/** Creates an index on an existing table. */
export const createIndex = (
  database: Database.Database,
  table: string,
  index: IndexDefinition
): Effect.Effect<void, JetError | HandleClosedError> =>
  Effect.gen(function*() {
    const created = yield* withTableCursor(database, table, "JetCreateIndex2", (api, sesid, tableid) =>
      api.JetCreateIndex2(sesid, tableid, [indexCreate(index)]))
    const err = created.indexErrs[0] ?? 0
    if (err < 0) {
      return yield* Effect.fail(jetError(err, "JetCreateIndex2", index.name))
    }
  })

/** Deletes an index of an existing table. */
export const deleteIndex = (
  database: Database.Database,
  table: string,
  name: string
): Effect.Effect<void, JetError | HandleClosedError> =>
  Effect.asVoid(
    withTableCursor(database, table, "JetDeleteIndex", (api, sesid, tableid) =>
      api.JetDeleteIndex(sesid, tableid, name))
  )

/**
 * Reads a table's columns from the engine (`JET_ColInfoList`): name, id, type, code page, size and
 * grbits of each, in the table's order.
 */
export const columns = (
  database: Database.Database,
  table: string
): Effect.Effect<ReadonlyArray<ColumnInfo>, JetError | HandleClosedError> =>
  Database.call(database, "JetGetColumnInfo", (api, sesid, dbid) =>
    readInfoList(
      api,
      sesid,
      "JET_COLUMNLIST",
      (pv, cb) => api.JetGetColumnInfo(sesid, dbid, table, null, pv, cb, C.JET_ColInfoList),
      (read, field) => {
        const name = read.text(field("columnidcolumnname"))
        const coltyp = read.u32(field("columnidcoltyp"))
        const grbit = read.u32(field("columnidgrbit"))
        return {
          name,
          columnid: JET_COLUMNID(read.u32(field("columnidcolumnid"))),
          coltyp,
          type: typeNames.get(coltyp),
          cp: read.u16(field("columnidCp")),
          cbMax: read.u32(field("columnidcbMax")),
          grbit,
          multiValued: (grbit & C.JET_bitColumnMultiValued) !== 0
        } satisfies ColumnInfo
      }
    ), table).pipe(Effect.map((result) => result.rows))

/** An index of an existing table, as read back from the engine. */
export interface IndexInfo {
  readonly name: string
  /** The key's columns in order, each `"+name"` or `"-name"`. */
  readonly key: ReadonlyArray<string>
  readonly grbit: number
  readonly primary: boolean
  readonly unique: boolean
}

/** Descending key segment, in the `columnidgrbitColumn` of `JET_IdxInfoList` rows. */
const keyDescending = 0x1

/** Reads a table's indexes and their key columns from the engine (`JET_IdxInfoList`). */
export const indexes = (
  database: Database.Database,
  table: string
): Effect.Effect<ReadonlyArray<IndexInfo>, JetError | HandleClosedError> =>
  Database.call(database, "JetGetIndexInfo", (api, sesid, dbid) =>
    // One row per key column of each index.
    readInfoList(
      api,
      sesid,
      "JET_INDEXLIST",
      (pv, cb) => api.JetGetIndexInfo(sesid, dbid, table, null, pv, cb, C.JET_IdxInfoList),
      (read, field) => ({
        index: read.text(field("columnidindexname")),
        grbit: read.u32(field("columnidgrbitIndex")),
        position: read.u32(field("columnidiColumn")),
        column: read.text(field("columnidcolumnname")),
        descending: (read.u32(field("columnidgrbitColumn")) & keyDescending) !== 0
      })
    ), table).pipe(Effect.map((result) => {
      const byName = new Map<
        string,
        { grbit: number; segments: Array<{ position: number; segment: string }> }
      >()
      for (const row of result.rows) {
        const entry = byName.get(row.index) ?? { grbit: row.grbit, segments: [] }
        entry.segments.push({ position: row.position, segment: `${row.descending ? "-" : "+"}${row.column}` })
        byName.set(row.index, entry)
      }
      return [...byName].map(([name, { grbit, segments }]): IndexInfo => ({
        name,
        key: segments.sort((a, b) => a.position - b.position).map((s) => s.segment),
        grbit,
        primary: (grbit & C.JET_bitIndexPrimary) !== 0,
        unique: (grbit & (C.JET_bitIndexUnique | C.JET_bitIndexPrimary)) !== 0
      }))
    }))
