/**
 * Tables from plain descriptions: create a table with its columns and indexes in one call, change
 * them later, and read the schema back.
 *
 * @module
 */
import { Effect, Option, Stream } from "effect"
import { dual } from "effect/Function"
import { type Coltyp, encodeColumnValue, isCodecFailure } from "./Codec.ts"
import * as Cursor from "./Cursor.ts"
import * as Database from "./Database.ts"
import { ColumnValueError, type HandleClosedError, type HandleError } from "./Errors.ts"
import {
  EsentDatabase,
  type EsentDatabaseError,
  forgetCursors,
  withConnection,
  withCursorOnIndex
} from "./EsentDatabase.ts"
import { readInfoList } from "./internal/list.ts"
import type { JetApi, JetColumnCreate, JetIndexCreate } from "./jet/api.ts"
import * as C from "./jet/constants.ts"
import { JET_COLUMNID, type JET_SESID, JET_TABLEID } from "./jet/handles.ts"
import { type JetError, jetError } from "./JetError.ts"
import * as Session from "./Session.ts"

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

/**
 * The JavaScript value of each column type, by its name: what a typed cursor reads and writes.
 *
 * @example
 * ```ts
 * const born: ColumnTypeValues["DateTime"] = new Date()
 * ```
 */
export interface ColumnTypeValues {
  readonly Bit: boolean
  readonly UnsignedByte: number
  readonly Short: number
  readonly Long: number
  readonly Currency: bigint
  readonly IEEESingle: number
  readonly IEEEDouble: number
  readonly DateTime: Date
  readonly Binary: Uint8Array
  readonly Text: string
  readonly LongBinary: Uint8Array
  readonly LongText: string
  readonly UnsignedLong: number
  readonly LongLong: bigint
  readonly GUID: string
  readonly UnsignedShort: number
  readonly UnsignedLongLong: bigint
}

/** One column of a table definition. */
export interface ColumnDefinition {
  readonly type: ColumnType
  /**
   * Most bytes a value may take (Binary, Text and the long types); 0 for the type's limit (255 for
   * Binary and Text). The limit is in bytes: Text is UTF-16 unless `ascii`, two bytes per
   * character, so 255 bytes hold 127 characters (255 with `ascii`).
   */
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

/** A key segment naming a column: `"name"`, `"+name"` (ascending) or `"-name"` (descending). */
export type Segment<K extends string> = K | `+${K}` | `-${K}`

/** An index whose key names only the table's columns. */
export interface IndexOf<K extends string> extends IndexDefinition {
  readonly key: ReadonlyArray<Segment<K>>
}

/**
 * Describes a table once: the definition is kept with every literal in it (column types, index
 * names and keys), so that cursors and table operations on it read, write and seek with typed
 * values, and an index key naming a column the table lacks does not compile.
 *
 * @example
 * ```ts
 * import { Table } from "effect-esent"
 *
 * const People = Table.make({
 *   name: "people",
 *   columns: {
 *     id: { type: "Long", autoincrement: true },
 *     name: { type: "Text", notNull: true },
 *     born: { type: "DateTime" }
 *   },
 *   indexes: [{ name: "by_id", key: ["id"], primary: true }, { name: "by_name", key: ["name"] }]
 * })
 * type Person = Table.Row<typeof People> // { id: number; name: string; born: Date | null }
 * ```
 */
export const make = <
  const Name extends string,
  const Columns extends Readonly<Record<string, ColumnDefinition>>,
  const Indexes extends ReadonlyArray<IndexOf<Extract<keyof Columns, string>>> = readonly []
>(definition: {
  readonly name: Name
  readonly columns: Columns
  readonly indexes?: Indexes
}): Described<Name, Columns, Indexes> => definition as Described<Name, Columns, Indexes>

/** A table described by {@link make}: its definition, with every literal kept in its type. */
export interface Described<
  Name extends string,
  Columns extends Readonly<Record<string, ColumnDefinition>>,
  Indexes extends ReadonlyArray<IndexDefinition>
> extends TableDefinition {
  readonly name: Name
  readonly columns: Columns
  readonly indexes?: Indexes
}

/** The value of a column as read: NULL is `null` unless the column can never be NULL. */
export type ReadValue<C extends ColumnDefinition> = C extends { readonly multiValued: true }
  ? ReadonlyArray<ColumnTypeValues[C["type"]]>
  : C extends { readonly notNull: true } | { readonly autoincrement: true } | { readonly version: true }
    ? ColumnTypeValues[C["type"]]
  : ColumnTypeValues[C["type"]] | null

/** The value a write takes for a column: `null` sets NULL; a multi-valued column takes an array. */
export type WriteValue<C extends ColumnDefinition> = C extends { readonly multiValued: true }
  ? ReadonlyArray<ColumnTypeValues[C["type"]]> | null
  : C extends { readonly notNull: true } ? ColumnTypeValues[C["type"]]
  : ColumnTypeValues[C["type"]] | null

/** Whether a definition is described column by column, or only known as some table. */
type IsDescribed<T extends TableDefinition> = string extends keyof T["columns"] ? false : true

/** The columns an insert must set: NOT NULL, with no default, not numbered by the engine. */
type RequiredColumns<Columns> = {
  [K in keyof Columns]: Columns[K] extends { readonly notNull: true }
    ? Columns[K] extends { readonly default: unknown } | { readonly autoincrement: true } ? never : K
    : never
}[keyof Columns]

/**
 * A record of the table as read: column name → value. Untyped (`Record<string, unknown>`) for a
 * table known only by its name.
 */
export type Row<T extends TableDefinition> = IsDescribed<T> extends false ? Readonly<Record<string, unknown>>
  : { readonly [K in keyof T["columns"]]: ReadValue<T["columns"][K]> }

/** What an insert takes: every NOT NULL column without a default; the others may be left out. */
export type Insert<T extends TableDefinition> = IsDescribed<T> extends false
  ? Readonly<Record<string, unknown>>
  : Simplify<
    & { readonly [K in RequiredColumns<T["columns"]>]: WriteValue<T["columns"][K]> }
    & {
      readonly [K in Exclude<keyof T["columns"], RequiredColumns<T["columns"]>>]?: WriteValue<T["columns"][K]>
    }
  >

/** What a replace takes: the columns to change; the others keep their values. */
export type Changes<T extends TableDefinition> = IsDescribed<T> extends false
  ? Readonly<Record<string, unknown>>
  : { readonly [K in keyof T["columns"]]?: WriteValue<T["columns"][K]> }

type Simplify<A> = { [K in keyof A]: A[K] } & {}

/** The value the engine numbers an insert with: the autoincrement column's, or `undefined`. */
export type Autoincrement<T extends TableDefinition> = IsDescribed<T> extends false
  ? number | bigint | undefined
  : {
    [K in keyof T["columns"]]: T["columns"][K] extends { readonly autoincrement: true }
      ? ColumnTypeValues[T["columns"][K]["type"]]
      : never
  }[keyof T["columns"]] extends infer V ? [V] extends [never] ? undefined : V
  : never

type IndexesOf<T extends TableDefinition> = T extends { readonly indexes?: infer I }
  ? I extends ReadonlyArray<IndexDefinition> ? I[number] : never
  : never

/** The names of the table's indexes (`string` for a table known only by its name). */
export type IndexName<T extends TableDefinition> = IsDescribed<T> extends false ? string
  : IndexesOf<T>["name"]

/** The name of the table's primary index, or `never`. */
export type PrimaryIndexName<T extends TableDefinition> = Extract<
  IndexesOf<T>,
  { readonly primary: true }
>["name"]

type ColumnOfSegment<S> = S extends `+${infer N}` | `-${infer N}` ? N : S

/** The key values of index `I`, one per key column, in order. */
export type Key<T extends TableDefinition, I> = IsDescribed<T> extends false ? ReadonlyArray<unknown>
  : [I] extends [never] ? ReadonlyArray<unknown>
  : string extends I ? ReadonlyArray<unknown>
  : I extends IndexName<T> ? KeyValues<T, Extract<IndexesOf<T>, { readonly name: I }>["key"]>
  : never

type KeyValues<T extends TableDefinition, L> = {
  readonly [P in keyof L]: ColumnOfSegment<L[P]> extends keyof T["columns"]
    ? ColumnTypeValues[T["columns"][ColumnOfSegment<L[P]>]["type"]]
    : never
}

/** A key or any leading part of it: what a seek or a range bound takes. */
export type KeyPrefix<K> = K extends ReadonlyArray<unknown> ? number extends K["length"] ? K
  : K extends readonly [...infer Init, unknown] ? K | KeyPrefix<Readonly<Init>>
  : K
  : K

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

/** What a table operation can fail with; every JET error names the table. */
export type TableError = JetError | ColumnValueError | HandleClosedError

/**
 * Creates a table with its columns and indexes in one call (`JetCreateTableColumnIndex2`): in the
 * database in the context (`Table.create(People)`), or in a database handle given first. When a
 * column or index is refused, the whole creation fails with that column's or index's error.
 *
 * @example
 * ```ts
 * import { Table } from "effect-esent"
 *
 * const People = Table.make({
 *   name: "people",
 *   columns: { id: { type: "Long", autoincrement: true }, name: { type: "Text" } },
 *   indexes: [{ name: "by_id", key: ["id"], primary: true }]
 * })
 * const created = Table.create(People)
 * ```
 */
export const create: {
  (definition: TableDefinition): Effect.Effect<void, TableError, EsentDatabase>
  (database: Database.Database, definition: TableDefinition): Effect.Effect<void, TableError>
} = ((...args: ReadonlyArray<unknown>) =>
  Database.isDatabase(args[0])
    ? createOn(args[0], args[1] as TableDefinition)
    : withConnection((connection) => createOn(connection.database, args[0] as TableDefinition))) as never

const createOn = (
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
    }, { table: definition.name })
    const columnErr = created.columnErrs.findIndex((err) => err < 0)
    if (columnErr >= 0) {
      return yield* Effect.fail(
        jetError(
          created.columnErrs[columnErr]!,
          "JetCreateTableColumnIndex2",
          { table: definition.name, column: columns[columnErr]!.szColumnName }
        )
      )
    }
  }).pipe(Effect.withSpan("Table.create", { attributes: { table: definition.name } }))

/**
 * Runs a change of `table`'s definition: on the handle given first, or on the database in the
 * context after closing the cursors its pooled sessions keep on the table (ESENT refuses to delete
 * or change a table another cursor has open).
 */
const ddl = <Args extends ReadonlyArray<unknown>, A, E>(
  f: (database: Database.Database, table: string, ...args: Args) => Effect.Effect<A, E>
): {
  (table: TableDefinition | string, ...args: Args): Effect.Effect<A, E | EsentDatabaseError, EsentDatabase>
  (database: Database.Database, table: TableDefinition | string, ...args: Args): Effect.Effect<A, E>
} =>
  ((...all: ReadonlyArray<unknown>) => {
    if (Database.isDatabase(all[0])) {
      return f(all[0], nameOf(all[1] as TableDefinition | string), ...(all.slice(2) as unknown as Args))
    }
    const table = nameOf(all[0] as TableDefinition | string)
    const rest = all.slice(1) as unknown as Args
    return Effect.andThen(
      forgetTableCursors(table),
      withConnection((connection) => f(connection.database, table, ...rest))
    )
  }) as never

const nameOf = (table: TableDefinition | string): string => typeof table === "string" ? table : table.name

/** Closes the cursors every pooled session keeps on `table`, each with its session held. */
const forgetTableCursors = (table: string): Effect.Effect<void, never, EsentDatabase> =>
  Effect.flatMap(Effect.service(EsentDatabase), (database) =>
    Effect.forEach(
      [...database.connections].filter((connection) => connection.cursors.has(table)),
      (connection) =>
        Effect.ignore(Session.use(connection.session, "JetCloseTable", forgetCursors(connection))),
      { discard: true }
    ))

/** Deletes a table and its data (`JetDeleteTable`). */
export const drop = ddl((database: Database.Database, table: string): Effect.Effect<void, TableError> =>
  Effect.asVoid(
    Database.call(database, "JetDeleteTable", (api, sesid, dbid) => api.JetDeleteTable(sesid, dbid, table), {
      table
    })
  )
)

/** Renames a table. */
export const rename = ddl((
  database: Database.Database,
  table: string,
  newName: string
): Effect.Effect<void, HandleError> =>
  Effect.asVoid(
    Database.call(database, "JetRenameTable", (api, sesid, dbid) =>
      api.JetRenameTable(sesid, dbid, table, newName), { table })
  )
)

/** Opens a short-lived cursor on the table for a DDL call, closing it whatever happens. */
const withTableCursor = <R extends { readonly err: number }>(
  database: Database.Database,
  table: string,
  operation: string,
  f: (api: JetApi, sesid: JET_SESID, tableid: JET_TABLEID) => R
): Effect.Effect<R, HandleError> =>
  Effect.acquireUseRelease(
    Database.call(
      database,
      "JetOpenTable",
      (api, sesid, dbid) => api.JetOpenTable(sesid, dbid, table, C.JET_bitTableDenyRead),
      { table }
    ),
    ({ tableid }) => Database.call(database, operation, (api, sesid) => f(api, sesid, tableid), { table }),
    ({ tableid }) => Effect.sync(() => database.session.api.JetCloseTable(database.session.sesid, tableid))
  )

/** Adds a column to an existing table; returns its id. */
export const addColumn = ddl((
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
)

/** Deletes a column of an existing table. */
export const deleteColumn = ddl((
  database: Database.Database,
  table: string,
  name: string
): Effect.Effect<void, HandleError> =>
  Effect.asVoid(
    withTableCursor(database, table, "JetDeleteColumn2", (api, sesid, tableid) =>
      api.JetDeleteColumn2(sesid, tableid, name, 0))
  )
)

/** Creates an index on an existing table. */
export const createIndex = ddl((
  database: Database.Database,
  table: string,
  index: IndexDefinition
): Effect.Effect<void, HandleError> =>
  Effect.gen(function*() {
    const created = yield* withTableCursor(database, table, "JetCreateIndex2", (api, sesid, tableid) =>
      api.JetCreateIndex2(sesid, tableid, [indexCreate(index)]))
    const err = created.indexErrs[0] ?? 0
    if (err < 0) {
      return yield* Effect.fail(jetError(err, "JetCreateIndex2", { table, index: index.name }))
    }
  })
)

/** Deletes an index of an existing table. */
export const deleteIndex = ddl((
  database: Database.Database,
  table: string,
  name: string
): Effect.Effect<void, HandleError> =>
  Effect.asVoid(
    withTableCursor(database, table, "JetDeleteIndex", (api, sesid, tableid) =>
      api.JetDeleteIndex(sesid, tableid, name))
  )
)

/**
 * Reads a table's columns from the engine (`JET_ColInfoList`): name, id, type, code page, size and
 * grbits of each, in the table's order.
 */
export const columns = (
  database: Database.Database,
  table: string
): Effect.Effect<ReadonlyArray<ColumnInfo>, HandleError> =>
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
    ), { table }).pipe(Effect.map((result) => result.rows))

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
): Effect.Effect<ReadonlyArray<IndexInfo>, HandleError> =>
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
    ), { table }).pipe(Effect.map((result) => {
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

// ---------------------------------------------------------------------------------------------
// Records of a described table, on the database in the context

/** Whether `u` is a table definition (what the data-first forms take first). */
export const isTableDefinition = (u: unknown): u is TableDefinition =>
  typeof u === "object" && u !== null && "name" in u && "columns" in u && !Database.isDatabase(u)

/** Which index a keyed operation uses: the primary index unless named. */
export interface KeyOptions<N> {
  readonly index?: N
}

/**
 * Runs `f` on a cursor of the table for one operation: the cursor the session of the current
 * transaction (or a borrowed one) keeps for the table, positioned on index `index`.
 */
const onTable = <A, E>(
  table: string,
  index: string | undefined,
  f: (cursor: Cursor.Cursor) => Effect.Effect<A, E>
): Effect.Effect<A, E | Cursor.CursorError, EsentDatabase> =>
  withConnection((connection) => withCursorOnIndex(connection, table, index ?? null, f))

/** Seeks `key` on the index and runs `found` on the record there, or answers `missing`. */
const onKey = <A, B>(
  table: TableDefinition,
  key: ReadonlyArray<unknown>,
  options: KeyOptions<string> | undefined,
  found: (cursor: Cursor.Cursor) => Effect.Effect<A, Cursor.CursorError>,
  missing: Effect.Effect<B>
): Effect.Effect<A | B, Cursor.CursorError, EsentDatabase> =>
  onTable(
    table.name,
    options?.index,
    (cursor) =>
      Effect.flatMap(
        Cursor.seek(cursor, key),
        (at): Effect.Effect<A | B, Cursor.CursorError> => at === "found" ? found(cursor) : missing
      )
  )

/**
 * Inserts a record into the table in the context's database and answers the value the engine
 * numbered it with (the autoincrement column's; `undefined` when the table has none). Inside a
 * transaction it belongs to that transaction; outside, it commits on its own.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Table } from "effect-esent"
 *
 * const People = Table.make({
 *   name: "people",
 *   columns: { id: { type: "Long", autoincrement: true }, name: { type: "Text", notNull: true } },
 *   indexes: [{ name: "by_id", key: ["id"], primary: true }]
 * })
 * const id = Table.insert(People, { name: "Ada" }) // Effect<number, ...>
 * ```
 */
export const insert: {
  <T extends TableDefinition>(
    row: Insert<NoInfer<T>>
  ): (table: T) => Effect.Effect<Autoincrement<T>, Cursor.CursorError, EsentDatabase>
  <const T extends TableDefinition>(
    table: T,
    row: Insert<NoInfer<T>>
  ): Effect.Effect<Autoincrement<T>, Cursor.CursorError, EsentDatabase>
} = dual(
  2,
  (table: TableDefinition, row: Insert<TableDefinition>) =>
    onTable(table.name, undefined, (cursor) => Cursor.insert(cursor, row))
)

/** The record with this key on the index (the primary index unless `options.index` names one). */
export const get: {
  <const T extends TableDefinition, const N extends IndexName<T> = PrimaryIndexName<T>>(
    table: T,
    key: Key<T, NoInfer<N>>,
    options?: KeyOptions<N>
  ): Effect.Effect<Option.Option<Row<T>>, Cursor.CursorError, EsentDatabase>
} = ((table: TableDefinition, key: ReadonlyArray<unknown>, options?: KeyOptions<string>) =>
  onKey(
    table,
    key,
    options,
    (cursor) => Effect.map(Cursor.read(cursor), Option.some),
    Effect.succeedNone
  )) as never

/**
 * Changes the columns given in `changes` of the record with this key; `false` when there is none.
 * The other columns keep their values.
 */
export const update: {
  <const T extends TableDefinition, const N extends IndexName<T> = PrimaryIndexName<T>>(
    table: T,
    key: Key<T, NoInfer<N>>,
    changes: Changes<NoInfer<T>>,
    options?: KeyOptions<N>
  ): Effect.Effect<boolean, Cursor.CursorError, EsentDatabase>
} = ((
  table: TableDefinition,
  key: ReadonlyArray<unknown>,
  changes: Changes<TableDefinition>,
  options?: KeyOptions<string>
) =>
  onKey(
    table,
    key,
    options,
    (cursor) => Effect.as(Cursor.replace(cursor, changes), true),
    Effect.succeed(false)
  )) as never

/** Removes (deletes) the record with this key; `false` when there is none. */
export const remove: {
  <const T extends TableDefinition, const N extends IndexName<T> = PrimaryIndexName<T>>(
    table: T,
    key: Key<T, NoInfer<N>>,
    options?: KeyOptions<N>
  ): Effect.Effect<boolean, Cursor.CursorError, EsentDatabase>
} = ((table: TableDefinition, key: ReadonlyArray<unknown>, options?: KeyOptions<string>) =>
  onKey(
    table,
    key,
    options,
    (cursor) => Effect.as(Cursor.remove(cursor), true),
    Effect.succeed(false)
  )) as never

/**
 * The records of the table in index order, within an optional range of its keys, as an array: what
 * `SELECT` answers. For many records, `Cursor.stream` reads them as they are pulled.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Table } from "effect-esent"
 *
 * const People = Table.make({
 *   name: "people",
 *   columns: { id: { type: "Long", autoincrement: true }, age: { type: "Long", notNull: true } },
 *   indexes: [{ name: "by_id", key: ["id"], primary: true }, { name: "by_age", key: ["age"] }]
 * })
 * const adults = Table.select(People, { index: "by_age", from: [18] })
 * ```
 */
export const select = <const T extends TableDefinition, const N extends IndexName<T>>(
  table: T,
  options?: Cursor.StreamOptions<T, N>
): Effect.Effect<ReadonlyArray<Row<T>>, Cursor.CursorError, EsentDatabase> =>
  Stream.runCollect(
    Cursor.stream(table as TableDefinition, options as never) as Stream.Stream<
      Row<T>,
      Cursor.CursorError,
      EsentDatabase
    >
  )
