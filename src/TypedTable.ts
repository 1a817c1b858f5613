/**
 * Typed tables: a table defined once by an effect `Schema.Struct`. The schema's fields become the
 * table's columns, with each column type inferred from the field's schema; records go in as the
 * schema's `Type` (encoded through the schema) and come out decoded, and the key values an index
 * accepts are typed by the indexed fields, in index order.
 *
 * What each field becomes (the encoded side of the field's schema decides):
 *
 * | field schema | column |
 * |---|---|
 * | `Schema.Number` | IEEEDouble |
 * | `Schema.Int` (any number with the `isInt` check) | Long |
 * | `Schema.BigInt` | LongLong |
 * | `Schema.Boolean` | Bit |
 * | `Schema.String` | LongText, UTF-16 |
 * | `Schema.String` checked to at most 127 characters (`isMaxLength`, `isBetweenLength`) | Text, UTF-16, that size |
 * | string literals, `Schema.Literals`, string `Schema.Enum` | Text, UTF-16 (LongText past 127 characters) |
 * | integer literals (32-bit) / other number literals / boolean / bigint literals | Long / IEEEDouble / Bit / LongLong |
 * | `Schema.Date` | DateTime |
 * | `Schema.Uint8Array` | LongBinary |
 * | `Schema.Array(X)` | X's column, multi-valued |
 * | `Schema.optional(X)`, `Schema.optionalKey(X)`, `Schema.NullOr(X)`, `Schema.UndefinedOr(X)` | X's column, nullable |
 * | a transformation (`Schema.NumberFromString`, `Schema.DateFromString`, ...) | the column of its encoded side |
 *
 * A field that is neither optional nor nullable gets `NOT NULL` where ESENT allows it (fixed and
 * variable columns; ESENT refuses it on long-value and multi-valued columns). Annotate a field
 * with {@link column} to choose another column type of the same JavaScript type, a column name or
 * a size.
 *
 * Reading: a NULL column reads as `null` when the field accepts `null`, else as an absent key (or
 * `undefined` for a required key that accepts it). A multi-valued column with no values reads as
 * `[]`, or as absent / `null` for an optional / nullable array field.
 *
 * Keys: text keys compare case-insensitively, as ESENT's do, so `get("ada")` finds `"Ada"`. A key
 * longer than the index's 255 bytes fails with `JET_errKeyTruncated` on the primary key and on
 * unique indexes (where a cut key would merge distinct records); other indexes cut it, as ESENT
 * does by default. Index options can change both.
 *
 * @example
 * ```ts
 * import { Effect, Schema, Stream } from "effect"
 * import { TypedTable } from "effect-esent"
 *
 * const People = TypedTable.make({
 *   name: "people",
 *   schema: Schema.Struct({ id: Schema.Int, name: Schema.String, age: Schema.Int }),
 *   primaryKey: ["id"],
 *   indexes: { byAgeName: ["-age", "name"] }
 * })
 *
 * // Needs EsentDatabase in the context, like the untyped Table functions.
 * const program = Effect.gen(function*() {
 *   yield* People.create()
 *   yield* People.insert({ id: 1, name: "Ada", age: 36 })
 *   const ada = yield* People.get(1) // Option<{ id: number; name: string; age: number }>
 *   const forties = People.query("byAgeName", { from: [49], to: [40] }) // Stream of records
 *   return yield* Stream.runCollect(forties)
 * })
 * ```
 *
 * For code that juggles sessions, `People.create(db)` and `People.open(db)` take a database handle
 * and answer a {@link Handle} with the same operations on that handle's session.
 *
 * @module
 */
import { Data, Effect, Option, Result, Schema, SchemaAST, SchemaIssue, SchemaParser, Stream } from "effect"
import type * as Scope from "effect/Scope"
import { codecOf, type CodecOptions, type Coltyp, type ColumnCodec, isCodecFailure } from "./Codec.ts"
import * as Cursor from "./Cursor.ts"
import * as Database from "./Database.ts"
import { ColumnValueError, HandleClosedError, type HandleError } from "./Errors.ts"
import { EsentDatabase, type EsentDatabaseError, withConnection, withCursor } from "./EsentDatabase.ts"
import {
  attempt,
  type CursorContext,
  ok,
  onCursor,
  retrieved,
  retrieveInto,
  SyncFailure
} from "./internal/sync.ts"
import * as C from "./jet/constants.ts"
import { jetErrorCodes } from "./jet/errors.generated.ts"
import { JET_COLUMNID, JET_TABLEID } from "./jet/handles.ts"
import { structLayout } from "./jet/structs.ts"
import { type JetError, jetError } from "./JetError.ts"
import * as Table from "./Table.ts"
import * as Transaction from "./Transaction.ts"

// ---------------------------------------------------------------------------------------------
// Errors

/**
 * The table in the database does not match the definition: a column or index is missing, or has
 * another type, another key, or other options. Raised by `create` on an existing table and by
 * `open`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 *
 * declare const created: Effect.Effect<void, TypedTable.SchemaMismatchError>
 * created.pipe(Effect.catchTag("SchemaMismatchError", (e) => Effect.logError(e.message)))
 * // "people.age: the table has IEEEDouble, the schema wants Long"
 * ```
 */
export class SchemaMismatchError extends Data.TaggedError("SchemaMismatchError")<{
  readonly table: string
  /** The column that differs, if a column does. */
  readonly column: string | undefined
  /** The index that differs, if an index does. */
  readonly index: string | undefined
  /** What differs, in words. */
  readonly reason: string
}> {
  override get message(): string {
    const where = this.column !== undefined
      ? `${this.table}.${this.column}`
      : this.index !== undefined
      ? `${this.table} index ${this.index}`
      : this.table
    return `${where}: ${this.reason}`
  }
}

/**
 * A record or key value given to a typed table was rejected by the table's schema. Raised before
 * anything is written.
 *
 * @example
 * ```ts
 * declare const error: TypedTable.RecordEncodeError
 * error.column // "age"
 * error.message // "people.age: Expected a value greater than or equal to 0, got -1"
 * ```
 */
export class RecordEncodeError extends Data.TaggedError("RecordEncodeError")<{
  readonly table: string
  /** The column of the field the schema rejected; `undefined` when the record as a whole was. */
  readonly column: string | undefined
  readonly reason: string
  readonly issue: SchemaIssue.Issue | undefined
}> {
  override get message(): string {
    return `${this.table}${this.column === undefined ? "" : `.${this.column}`}: ${this.reason}`
  }
}

/**
 * A stored record does not decode with the table's schema (written by other code, or by an older
 * schema). Names the record by its primary key, as stored, and the column that failed.
 *
 * @example
 * ```ts
 * declare const error: TypedTable.RecordDecodeError
 * error.key // [7]
 * error.column // "age"
 * ```
 */
export class RecordDecodeError extends Data.TaggedError("RecordDecodeError")<{
  readonly table: string
  /** The column whose value failed; `undefined` when the record as a whole did. */
  readonly column: string | undefined
  /** The record's primary key values as stored. */
  readonly key: ReadonlyArray<unknown>
  readonly reason: string
  readonly issue: SchemaIssue.Issue | undefined
}> {
  override get message(): string {
    const column = this.column === undefined ? "" : `, column ${this.column}`
    return `${this.table} record ${formatKey(this.key)}${column}: ${this.reason}`
  }
}

/**
 * What a write (`insert`, `upsert`, `remove`) can fail with.
 *
 * @example
 * ```ts
 * type E = TypedTable.WriteError // JetError | HandleClosedError | ColumnValueError | RecordEncodeError
 * ```
 */
export type WriteError = JetError | HandleClosedError | ColumnValueError | RecordEncodeError

/**
 * What a read (`get`, `query`) can fail with.
 *
 * @example
 * ```ts
 * type E = TypedTable.ReadError // WriteError | RecordDecodeError
 * ```
 */
export type ReadError = WriteError | RecordDecodeError

const formatValue = (value: unknown): string => {
  if (typeof value === "bigint") return `${value}n`
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString()
  if (value instanceof Uint8Array) return `<${Buffer.from(value).toString("hex")}>`
  if (typeof value === "string") return JSON.stringify(value)
  return String(value)
}

const formatKey = (key: ReadonlyArray<unknown>): string => `[${key.map(formatValue).join(", ")}]`

const formatIssue = SchemaIssue.makeFormatterDefault()

/** The struct field an issue is about: the first key of its path. */
const issueField = (issue: SchemaIssue.Issue): string | undefined => {
  switch (issue._tag) {
    case "Pointer": {
      const first = issue.path[0]
      return typeof first === "string" ? first : undefined
    }
    case "Composite":
      for (const inner of issue.issues) {
        const field = issueField(inner)
        if (field !== undefined) return field
      }
      return undefined
    case "Encoding":
    case "Filter":
      return issueField(issue.issue)
    default:
      return undefined
  }
}

// ---------------------------------------------------------------------------------------------
// Column annotation

/**
 * The key annotation {@link column} writes, holding the field's {@link ColumnOptions}.
 *
 * @example
 * ```ts
 * const field = Schema.Int.pipe(TypedTable.column({ type: "Short" }))
 * Schema.resolveAnnotationsKey(field)?.[TypedTable.columnAnnotationKey] // { type: "Short" }
 * ```
 */
export const columnAnnotationKey = "effect-esent/TypedTable/column"

/**
 * How a field overrides what {@link make} infers for its column.
 *
 * @example
 * ```ts
 * const options: TypedTable.ColumnOptions = { type: "UnsignedShort", name: "port" }
 * ```
 */
export interface ColumnOptions {
  /** A column type holding the same JavaScript type as the field's encoded side. */
  readonly type?: Table.ColumnType
  /** The column's name; default: the field's name. */
  readonly name?: string
  /** Most bytes a value may take (Binary, Text and the long types). */
  readonly maxLength?: number
  /** Text: store as Windows-1252 instead of UTF-16. */
  readonly ascii?: boolean
}

/**
 * Annotates a struct field with {@link ColumnOptions}: a key annotation (`Schema.annotateKey`), so
 * it belongs to the field, not to the value schema.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { TypedTable } from "effect-esent"
 *
 * const Service = Schema.Struct({
 *   host: Schema.String,
 *   port: Schema.Int.pipe(TypedTable.column({ type: "UnsignedShort" }))
 * })
 * ```
 */
export const column = (options: ColumnOptions) => <S extends Schema.Top>(self: S): S["Rebuild"] =>
  Schema.annotateKey<S>({ [columnAnnotationKey]: options })(self)

const columnOptionsOf = (ast: SchemaAST.AST): ColumnOptions | undefined => {
  const options = ast.context?.annotations?.[columnAnnotationKey]
  return typeof options === "object" && options !== null ? options as ColumnOptions : undefined
}

// ---------------------------------------------------------------------------------------------
// Types

/**
 * A schema a typed table accepts: a struct (`Schema.Struct`, or a class built on one) whose
 * decoding and encoding need no services.
 *
 * @example
 * ```ts
 * const schema: TypedTable.StructSchema = Schema.Struct({ id: Schema.Int })
 * ```
 */
export interface StructSchema extends Schema.Top {
  readonly fields: Schema.Struct.Fields
  readonly DecodingServices: never
  readonly EncodingServices: never
}

/**
 * The field names of a struct schema.
 *
 * @example
 * ```ts
 * type F = TypedTable.FieldName<typeof Person> // "id" | "name" | "age"
 * ```
 */
export type FieldName<S extends StructSchema> = Extract<keyof S["fields"], string>

/**
 * One segment of an index key: a field, ascending (`"name"` or `"+name"`) or descending (`"-name"`).
 *
 * @example
 * ```ts
 * const segment: TypedTable.Segment<"age"> = "-age"
 * ```
 */
export type Segment<K extends string> = K | `+${K}` | `-${K}`

/**
 * The segments of an index key, at least one.
 *
 * @example
 * ```ts
 * const key: TypedTable.KeyList<"age" | "name"> = ["-age", "name"]
 * ```
 */
export type KeyList<K extends string> = readonly [Segment<K>, ...Array<Segment<K>>]

/**
 * An index with options; `key` lists its segments.
 *
 * @example
 * ```ts
 * const byEmail: TypedTable.IndexOptions<"email"> = { key: ["email"], unique: true }
 * ```
 */
export interface IndexOptions<K extends string> {
  readonly key: KeyList<K>
  readonly unique?: boolean
  /** A NULL key segment fails the write with `JET_errNullKeyDisallowed`. */
  readonly disallowNull?: boolean
  /** No index entry when every key segment is NULL. */
  readonly ignoreNull?: boolean
  /** No index entry when any key segment is NULL. */
  readonly ignoreAnyNull?: boolean
  /** NULL segments sort after values. */
  readonly sortNullsHigh?: boolean
  /** Largest key in bytes (default 255). */
  readonly maxKeyLength?: number
  /**
   * A longer key fails with `JET_errKeyTruncated` instead of being cut. Default: true for the
   * primary key and unique indexes, false otherwise.
   */
  readonly disallowTruncation?: boolean
}

/**
 * An index: its key segments, or the segments with options.
 *
 * @example
 * ```ts
 * const byName: TypedTable.IndexSpec<"name"> = ["name"]
 * ```
 */
export type IndexSpec<K extends string> = KeyList<K> | IndexOptions<K>

/**
 * The secondary indexes of a table, by name.
 *
 * @example
 * ```ts
 * const indexes: TypedTable.Indexes<"age" | "name"> = { byName: ["name"], byAgeName: ["-age", "name"] }
 * ```
 */
export type Indexes<K extends string> = { readonly [name: string]: IndexSpec<K> }

/**
 * The key segments of an index spec.
 *
 * @example
 * ```ts
 * type L = TypedTable.KeyListOf<{ key: readonly ["name"]; unique: true }> // readonly ["name"]
 * ```
 */
export type KeyListOf<Spec> = Spec extends { readonly key: infer L } ? L : Spec

type FieldOf<Seg> = Seg extends `${"+" | "-"}${infer F}` ? F : Seg
type ElementOf<V> = V extends ReadonlyArray<infer E> ? E : V
type KeyPart<T, F> = F extends keyof T ? ElementOf<Exclude<T[F], undefined>> : never

/**
 * The values of a whole key, one per segment, typed by the segments' fields (an array field
 * contributes its element type: a multi-valued column has an index entry per value).
 *
 * @example
 * ```ts
 * type K = TypedTable.KeyValues<{ age: number; name: string }, readonly ["-age", "name"]>
 * // readonly [number, string]
 * ```
 */
export type KeyValues<T, L> = { readonly [I in keyof L]: KeyPart<T, FieldOf<L[I]>> }

/**
 * A key tuple and each of its prefixes, down to the empty one.
 *
 * @example
 * ```ts
 * type P = TypedTable.KeyPrefix<readonly [number, string]>
 * // readonly [number, string] | readonly [number] | readonly []
 * ```
 */
export type KeyPrefix<K> = K extends readonly [...infer Init, unknown] ? K | KeyPrefix<Readonly<Init>> : K

/**
 * The name of the primary index, usable with `query`.
 *
 * @example
 * ```ts
 * people.query(TypedTable.primaryIndexName, { from: [100] })
 * ```
 */
export const primaryIndexName = "primary"

/**
 * The index names a table's `query` accepts: `"primary"` and the secondary indexes.
 *
 * @example
 * ```ts
 * type N = TypedTable.IndexName<{ byName: readonly ["name"] }> // "primary" | "byName"
 * ```
 */
export type IndexName<Ix> = typeof primaryIndexName | Extract<keyof Ix, string>

/**
 * The full key of an index of a table.
 *
 * @example
 * ```ts
 * type K = TypedTable.IndexKey<Person, readonly ["id"], { byAgeName: readonly ["-age", "name"] }, "byAgeName">
 * // readonly [number, string]
 * ```
 */
export type IndexKey<T, PK, Ix, I> = KeyValues<T, KeyListOf<I extends keyof Ix ? Ix[I] : PK>>

/**
 * What `get` and `remove` take: the primary key's values, or the value alone for a one-field key.
 *
 * @example
 * ```ts
 * type K = TypedTable.PrimaryKey<{ id: number }, readonly ["id"]> // number | readonly [number]
 * ```
 */
export type PrimaryKey<T, PK> =
  | KeyValues<T, KeyListOf<PK>>
  | (KeyListOf<PK> extends readonly [infer Only] ? KeyPart<T, FieldOf<Only>> : never)

/**
 * Which records a query reads, in the index's order: those whose key starts with `prefix`, or
 * those between `from` and `to` (each a key prefix; either may be left out). Bounds follow the
 * index's order, so on a descending segment `from` is the larger value. `reverse` reads the same
 * records from the last to the first.
 *
 * @example
 * ```ts
 * const q1: TypedTable.Query<readonly [number] | readonly []> = { prefix: [30] }
 * const q2: TypedTable.Query<readonly [number] | readonly []> = { from: [49], to: [40], reverse: true }
 * ```
 */
export type Query<K> =
  | {
    readonly prefix: K
    readonly reverse?: boolean | undefined
    /** Records read per pull; default 64. */
    readonly batchSize?: number | undefined
  }
  | {
    readonly prefix?: undefined
    readonly from?: K | undefined
    readonly to?: K | undefined
    readonly fromExclusive?: boolean | undefined
    readonly toExclusive?: boolean | undefined
    readonly reverse?: boolean | undefined
    /** Records read per pull; default 64. */
    readonly batchSize?: number | undefined
  }

/**
 * How one field maps to its column.
 *
 * @example
 * ```ts
 * People.columns[0] // { field: "id", column: "id", definition: { type: "Long", notNull: true }, nullable: false }
 * ```
 */
export interface ColumnMapping {
  readonly field: string
  readonly column: string
  readonly definition: Table.ColumnDefinition
  /** Whether the column may be NULL (the field is optional or nullable). */
  readonly nullable: boolean
}

/**
 * A table defined by a schema: create it, and open it to read and write typed records.
 *
 * @example
 * ```ts
 * declare const db: import("effect-esent").Database
 * const people = Effect.andThen(People.create(db), People.open(db))
 * ```
 */
export interface TypedTable<
  S extends StructSchema,
  PK extends IndexSpec<FieldName<S>>,
  Ix extends Indexes<FieldName<S>>
> {
  readonly name: string
  readonly schema: S
  readonly primaryKey: PK
  readonly indexes: Ix
  /** The plain table definition: what `create` creates. */
  readonly definition: Table.TableDefinition
  /** Each field's column, in the schema's order. */
  readonly columns: ReadonlyArray<ColumnMapping>
  /**
   * Creates the table with its columns and indexes, or checks the existing table against the
   * definition: every column and index must be there, with the same types, keys and options (extra
   * columns and indexes are fine). A difference fails with {@link SchemaMismatchError}. Without an
   * argument it works on the {@link EsentDatabase} in the context; given a database handle, on that.
   */
  create(): Effect.Effect<void, CreateError, EsentDatabase>
  create(database: Database.Database): Effect.Effect<void, CreateError>
  /**
   * Opens the table for typed reads and writes, for code that keeps one cursor across many
   * operations; the scope's end closes it. Without an argument the cursor is on a session of the
   * {@link EsentDatabase} in the context (the current transaction's, or one borrowed until the scope
   * ends); given a database handle, on that handle's session. Fails with
   * {@link SchemaMismatchError} when a column is missing or has another type.
   */
  open(): Effect.Effect<Handle<S, PK, Ix>, OpenError, EsentDatabase | Scope.Scope>
  open(database: Database.Database): Effect.Effect<Handle<S, PK, Ix>, OpenError, Scope.Scope>
  /**
   * Inserts a record into the table of the {@link EsentDatabase} in the context, on the current
   * transaction's session (or a borrowed one): see {@link Handle.insert}.
   */
  insert(record: S["Type"]): Effect.Effect<void, ContextWriteError, EsentDatabase>
  /** Inserts or replaces a record in the context's database: see {@link Handle.upsert}. */
  upsert(
    record: S["Type"]
  ): Effect.Effect<"inserted" | "replaced", ContextWriteError, EsentDatabase>
  /** The record with this primary key in the context's database: see {@link Handle.get}. */
  get(
    key: PrimaryKey<S["Type"], PK>
  ): Effect.Effect<Option.Option<S["Type"]>, ContextReadError, EsentDatabase>
  /** Removes the record with this primary key from the context's database: see {@link Handle.remove}. */
  remove(
    key: PrimaryKey<S["Type"], PK>
  ): Effect.Effect<boolean, ContextWriteError, EsentDatabase>
  /**
   * The records of an index in the context's database, decoded: see {@link Handle.query}. The
   * stream holds its session (the current transaction's, or a borrowed one) until it ends.
   */
  query<I extends IndexName<Ix>>(
    index: I,
    options?: Query<KeyPrefix<IndexKey<S["Type"], PK, Ix, I>>>
  ): Stream.Stream<S["Type"], ContextReadError, EsentDatabase>
}

/** What `create` can fail with, besides the context's {@link EsentDatabaseError}. */
export type CreateError = SchemaMismatchError | JetError | ColumnValueError | HandleClosedError

/** What opening a typed table can fail with (on the database in the context too). */
export type OpenError = SchemaMismatchError | JetError | HandleClosedError

/**
 * What a write on the database in the context can fail with: a {@link WriteError}, or the table
 * not matching its schema when a cursor is first opened on it.
 */
export type ContextWriteError = WriteError | SchemaMismatchError

/**
 * What a read on the database in the context can fail with: a {@link ReadError}, or the table not
 * matching its schema when a cursor is first opened on it.
 */
export type ContextReadError = ReadError | SchemaMismatchError

/**
 * An open typed table. Each operation is one step on the session: no other fiber's call on the
 * session runs between its seek and its read or write.
 *
 * @example
 * ```ts
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const people = yield* People.open(db)
 *   yield* people.upsert({ id: 1, name: "Ada", age: 37 })
 *   return yield* people.get(1)
 * }))
 * ```
 */
export interface Handle<
  S extends StructSchema,
  PK extends IndexSpec<FieldName<S>>,
  Ix extends Indexes<FieldName<S>>
> {
  readonly table: TypedTable<S, PK, Ix>
  /** The cursor underneath, for the untyped API. */
  readonly cursor: Cursor.Cursor
  /**
   * Inserts a record, encoded through the schema. A record the schema rejects fails with
   * {@link RecordEncodeError}; an existing primary key with `JET_errKeyDuplicate`. Nothing is
   * written on failure.
   */
  insert(record: S["Type"]): Effect.Effect<void, WriteError>
  /**
   * Inserts the record, or replaces the record with its primary key (every column, NULL for absent
   * fields), in one transaction.
   */
  upsert(record: S["Type"]): Effect.Effect<"inserted" | "replaced", WriteError>
  /** The record with this primary key, decoded. */
  get(key: PrimaryKey<S["Type"], PK>): Effect.Effect<Option.Option<S["Type"]>, ReadError>
  /** Deletes the record with this primary key, in one transaction; `false` when there was none. */
  remove(key: PrimaryKey<S["Type"], PK>): Effect.Effect<boolean, WriteError>
  /**
   * The records of an index, decoded, by key prefix or range. The stream opens its own cursor and
   * closes it when it completes, is cut short, fails or is interrupted.
   */
  query<I extends IndexName<Ix>>(
    index: I,
    options?: Query<KeyPrefix<IndexKey<S["Type"], PK, Ix, I>>>
  ): Stream.Stream<S["Type"], ReadError>
}

/**
 * The record type of a typed table.
 *
 * @example
 * ```ts
 * type Person = TypedTable.Type<typeof People> // { readonly id: number; readonly name: string; ... }
 * ```
 */
export type Type<T> = T extends { readonly schema: infer S extends Schema.Top } ? S["Type"] : never

/**
 * The handle type of a typed table, for functions that take an open table.
 *
 * @example
 * ```ts
 * const adults = (people: TypedTable.HandleOf<typeof People>) => people.query("byAgeName", { to: [18] })
 * ```
 */
export type HandleOf<T> = T extends TypedTable<infer S, infer PK, infer Ix> ? Handle<S, PK, Ix> : never

/**
 * What {@link make} takes.
 *
 * @example
 * ```ts
 * const options: TypedTable.MakeOptions<typeof Person, readonly ["id"], {}> = {
 *   name: "people",
 *   schema: Person,
 *   primaryKey: ["id"]
 * }
 * ```
 */
export interface MakeOptions<
  S extends StructSchema,
  PK extends IndexSpec<FieldName<S>>,
  Ix extends Indexes<FieldName<S>>
> {
  readonly name: string
  readonly schema: S
  /** The clustered, unique index the records are stored by; `get` and `remove` use it. */
  readonly primaryKey: PK
  /** Secondary indexes by name (`"primary"` is taken by the primary key). */
  readonly indexes?: Ix
}

// ---------------------------------------------------------------------------------------------
// Schema analysis

type Kind = "boolean" | "number" | "bigint" | "string" | "Date" | "Uint8Array"

const kindOfType: Readonly<Record<Table.ColumnType, Kind>> = {
  Bit: "boolean",
  UnsignedByte: "number",
  Short: "number",
  Long: "number",
  Currency: "bigint",
  IEEESingle: "number",
  IEEEDouble: "number",
  DateTime: "Date",
  Binary: "Uint8Array",
  Text: "string",
  LongBinary: "Uint8Array",
  LongText: "string",
  UnsignedLong: "number",
  LongLong: "bigint",
  GUID: "string",
  UnsignedShort: "number",
  UnsignedLongLong: "bigint"
}

interface Inferred {
  readonly kind: Kind
  readonly type: Table.ColumnType
  readonly maxLength?: number
}

type Guard = (value: unknown) => boolean

const parseOptions: SchemaAST.ParseOptions = {}

const filtersOf = (checks: SchemaAST.Checks | undefined): ReadonlyArray<SchemaAST.Filter<unknown>> => {
  if (checks === undefined) return []
  const out: Array<SchemaAST.Filter<unknown>> = []
  const visit = (check: SchemaAST.Check<unknown>): void => {
    if (check._tag === "Filter") out.push(check)
    else check.checks.forEach(visit)
  }
  checks.forEach(visit)
  return out
}

const representationOf = (
  annotations: { readonly [key: string]: unknown } | undefined
): { readonly id?: unknown; readonly payload?: unknown } | undefined => {
  const representation = annotations?.["representation"]
  return typeof representation === "object" && representation !== null ? representation : undefined
}

const hasCheck = (ast: SchemaAST.AST, id: string): boolean =>
  filtersOf(ast.checks).some((filter) => representationOf(filter.annotations)?.id === id)

/** The most characters a string check allows, if one bounds it. */
const maxLengthOf = (ast: SchemaAST.AST): number | undefined => {
  let most: number | undefined
  for (const filter of filtersOf(ast.checks)) {
    const representation = representationOf(filter.annotations)
    const payload = representation?.payload as
      | { readonly maxLength?: unknown; readonly maximum?: unknown }
      | undefined
    const bound = representation?.id === "effect/schema/isMaxLength"
      ? payload?.maxLength
      : representation?.id === "effect/schema/isBetweenLength"
      ? payload?.maximum
      : undefined
    if (typeof bound === "number" && (most === undefined || bound < most)) most = bound
  }
  return most
}

const int32 = (n: number): boolean => Number.isInteger(n) && n >= -0x80000000 && n <= 0x7FFFFFFF

/** Text holds 255 bytes: 127 UTF-16 code units. */
const textMostChars = 127

const literalsColumn = (values: ReadonlyArray<unknown>): Inferred | string => {
  if (values.every((v): v is string => typeof v === "string")) {
    const most = values.reduce((m, v) => Math.max(m, v.length), 0)
    return { kind: "string", type: most <= textMostChars ? "Text" : "LongText" }
  }
  if (values.every((v) => typeof v === "boolean")) return { kind: "boolean", type: "Bit" }
  if (values.every((v): v is number => typeof v === "number")) {
    return { kind: "number", type: values.every(int32) ? "Long" : "IEEEDouble" }
  }
  if (values.every((v) => typeof v === "bigint")) return { kind: "bigint", type: "LongLong" }
  return "its literals are of different types"
}

const inferScalar = (members: ReadonlyArray<SchemaAST.AST>): Inferred | string => {
  if (members.length > 1) {
    return members.every(SchemaAST.isLiteral)
      ? literalsColumn(members.map((m) => m.literal))
      : "a union of different types has no column type"
  }
  const ast = members[0]
  if (ast === undefined) return "a field that is only null or undefined has no column type"
  switch (ast._tag) {
    case "String": {
      const most = maxLengthOf(ast)
      return most !== undefined && most <= textMostChars
        ? { kind: "string", type: "Text", maxLength: Math.max(1, most * 2) }
        : { kind: "string", type: "LongText" }
    }
    case "Number":
      return { kind: "number", type: hasCheck(ast, "effect/schema/isInt") ? "Long" : "IEEEDouble" }
    case "Boolean":
      return { kind: "boolean", type: "Bit" }
    case "BigInt":
      return { kind: "bigint", type: "LongLong" }
    case "Literal":
      return literalsColumn([ast.literal])
    case "Enum":
      return literalsColumn(ast.enums.map(([, value]) => value))
    case "Union":
      return inferScalar(ast.types)
    case "Declaration": {
      const id = representationOf(ast.annotations)?.id
      if (id === "effect/schema/Date") return { kind: "Date", type: "DateTime" }
      if (id === "effect/schema/Uint8Array") return { kind: "Uint8Array", type: "LongBinary" }
      return `no column type for the declaration ${String(ast)}`
    }
    default:
      return `no column type for ${ast._tag}`
  }
}

/** The members of a union other than `null` and `undefined`, and whether those were there. */
const splitNullish = (ast: SchemaAST.AST) => {
  if (ast._tag !== "Union") return { members: [ast], acceptsNull: false, acceptsUndefined: false }
  let acceptsNull = false
  let acceptsUndefined = false
  const members: Array<SchemaAST.AST> = []
  for (const member of ast.types) {
    if (member._tag === "Null") acceptsNull = true
    else if (member._tag === "Undefined" || member._tag === "Void") acceptsUndefined = true
    else members.push(member)
  }
  return { members, acceptsNull, acceptsUndefined }
}

/**
 * A predicate equal to the schema's own validation for an AST that encodes to itself, or
 * `undefined` when the AST transforms or is not one we can check here. Used only as a fast path:
 * a value it rejects goes through the schema, which decides.
 */
const compileGuard = (ast: SchemaAST.AST): Guard | undefined => {
  if (ast.encoding !== undefined) return undefined
  let base: Guard | undefined
  switch (ast._tag) {
    case "String":
      base = (u) => typeof u === "string"
      break
    case "Number":
      base = (u) => typeof u === "number"
      break
    case "Boolean":
      base = (u) => typeof u === "boolean"
      break
    case "BigInt":
      base = (u) => typeof u === "bigint"
      break
    case "Null":
      base = (u) => u === null
      break
    case "Undefined":
      base = (u) => u === undefined
      break
    case "Literal": {
      const literal = ast.literal
      base = (u) => u === literal
      break
    }
    case "Enum": {
      const values = new Set<unknown>(ast.enums.map(([, value]) => value))
      base = (u) => values.has(u)
      break
    }
    case "Union": {
      const guards = ast.types.map(compileGuard)
      if (!guards.every((g): g is Guard => g !== undefined)) return undefined
      base = (u) => guards.some((g) => g(u))
      break
    }
    case "Arrays": {
      const element = ast.rest[0]
      if (ast.elements.length !== 0 || ast.rest.length !== 1 || element === undefined) return undefined
      if (ast.encodingChecks !== undefined) return undefined
      const guard = compileGuard(element)
      if (guard === undefined) return undefined
      base = (u) => Array.isArray(u) && u.every(guard)
      break
    }
    case "Declaration": {
      if (ast.typeParameters.length !== 0 || ast.encodingChecks !== undefined) return undefined
      const id = representationOf(ast.annotations)?.id
      if (id === "effect/schema/Date") base = (u) => u instanceof Date && !Number.isNaN(u.getTime())
      else if (id === "effect/schema/Uint8Array") base = (u) => u instanceof Uint8Array
      else return undefined
      break
    }
    default:
      return undefined
  }
  const filters = filtersOf(ast.checks)
  if (filters.length === 0) return base
  const guard = base
  return (u) => {
    if (!guard(u)) return false
    for (const filter of filters) if (filter.run(u, ast, parseOptions) !== undefined) return false
    return true
  }
}

/** A key value of one field, encoded: through a guard when the field encodes to itself. */
type KeyEncoder = (value: unknown) => Result.Result<unknown, SchemaIssue.Issue>

const keyEncoderOf = (ast: SchemaAST.AST): KeyEncoder | undefined => {
  let scalar = ast
  if (scalar._tag === "Union") {
    if (scalar.encoding !== undefined) return undefined
    const { members } = splitNullish(scalar)
    if (members.length === 1) scalar = members[0]!
  }
  if (scalar._tag === "Arrays") {
    if (scalar.encoding !== undefined || scalar.elements.length !== 0 || scalar.rest.length !== 1) {
      return undefined
    }
    scalar = scalar.rest[0]!
  }
  const slow = SchemaParser.encodeUnknownResult(Schema.make<Schema.Codec<unknown, unknown>>(scalar))
  const guard = compileGuard(scalar)
  return guard === undefined ? slow : (value) => guard(value) ? Result.succeed(value) : slow(value)
}

interface FieldPlan {
  readonly field: string
  readonly column: string
  readonly type: Table.ColumnType
  readonly definition: Table.ColumnDefinition
  readonly multiValued: boolean
  /** The key may be absent from the record. */
  readonly optionalKey: boolean
  readonly acceptsNull: boolean
  readonly acceptsUndefined: boolean
  readonly nullable: boolean
  /** The schema's own validation when the field encodes to itself. */
  readonly guard: Guard | undefined
  readonly keyEncoder: KeyEncoder | undefined
}

const longTypes: ReadonlySet<Table.ColumnType> = new Set(["LongText", "LongBinary"])

const planField = (table: string, field: string, schema: Schema.Top): FieldPlan => {
  const fail = (reason: string): never => {
    throw new Error(`TypedTable ${table}: field ${field}: ${reason}`)
  }
  const ast = schema.ast
  const encoded = SchemaAST.toEncoded(ast)
  const nullish = splitNullish(encoded)
  let members = nullish.members
  let multiValued = false
  const only = members[0]
  if (members.length === 1 && only !== undefined && only._tag === "Arrays") {
    const element = only.rest[0]
    if (only.elements.length !== 0 || only.rest.length !== 1 || element === undefined) {
      return fail("a tuple has no column type; use Schema.Array for a multi-valued column")
    }
    const inner = splitNullish(element)
    if (inner.acceptsNull || inner.acceptsUndefined) {
      return fail("the values of a multi-valued column cannot be null or undefined")
    }
    members = inner.members
    multiValued = true
  }
  // The annotation may sit on the field, or on the value inside Schema.optional / Schema.NullOr.
  const options: ColumnOptions = {
    ...(ast._tag === "Union" ? Object.assign({}, ...ast.types.map(columnOptionsOf)) : {}),
    ...columnOptionsOf(ast)
  }
  const inferred = inferScalar(members)
  let type: Table.ColumnType
  let maxLength = options.maxLength
  if (options.type !== undefined) {
    if (!(options.type in kindOfType)) fail(`${String(options.type)} is not a column type`)
    if (typeof inferred !== "string" && kindOfType[options.type] !== inferred.kind) {
      fail(
        `a ${options.type} column holds ${
          kindOfType[options.type]
        } values, the field encodes to ${inferred.kind}`
      )
    }
    type = options.type
    if (typeof inferred !== "string" && inferred.type === type) maxLength ??= inferred.maxLength
  } else if (typeof inferred === "string") {
    return fail(`${inferred}; annotate it with TypedTable.column({ type }) or encode it to a supported type`)
  } else {
    type = inferred.type
    maxLength ??= inferred.maxLength
  }
  const optionalKey = SchemaAST.isOptional(encoded)
  const nullable = optionalKey || nullish.acceptsNull || nullish.acceptsUndefined
  // ESENT refuses NOT NULL on tagged columns (long values and multi-valued ones).
  const notNull = !nullable && !multiValued && !longTypes.has(type)
  const definition: Table.ColumnDefinition = {
    type,
    ...(multiValued ? { multiValued: true } : {}),
    ...(notNull ? { notNull: true } : {}),
    ...(maxLength !== undefined && maxLength > 0 ? { maxLength } : {}),
    ...(options.ascii === true ? { ascii: true } : {})
  }
  return {
    field,
    column: options.name ?? field,
    type,
    definition,
    multiValued,
    optionalKey,
    acceptsNull: nullish.acceptsNull,
    acceptsUndefined: nullish.acceptsUndefined,
    nullable,
    guard: compileGuard(ast),
    keyEncoder: keyEncoderOf(ast)
  }
}

interface SegmentPlan {
  readonly field: FieldPlan
  readonly descending: boolean
}

interface IndexPlan {
  readonly name: string
  readonly segments: ReadonlyArray<SegmentPlan>
  readonly definition: Table.IndexDefinition
}

const planIndex = (
  table: string,
  name: string,
  spec: IndexSpec<string>,
  fields: ReadonlyMap<string, FieldPlan>,
  primary: boolean
): IndexPlan => {
  const options: IndexOptions<string> = isKeyList(spec) ? { key: spec } : spec
  const segments = options.key.map((segment): SegmentPlan => {
    const descending = segment.startsWith("-")
    const fieldName = segment.startsWith("-") || segment.startsWith("+") ? segment.slice(1) : segment
    const field = fields.get(fieldName)
    if (field === undefined) throw new Error(`TypedTable ${table}: index ${name}: no field ${fieldName}`)
    if (field.keyEncoder === undefined) {
      throw new Error(
        `TypedTable ${table}: index ${name}: field ${fieldName} transforms as a whole, so its key values cannot be encoded`
      )
    }
    if (primary && field.multiValued) {
      throw new Error(`TypedTable ${table}: the primary key cannot hold the multi-valued field ${fieldName}`)
    }
    return { field, descending }
  })
  if (segments.length === 0) throw new Error(`TypedTable ${table}: index ${name} has no key`)
  const unique = primary || options.unique === true
  const definition: Table.IndexDefinition = {
    name,
    key: segments.map((s) => `${s.descending ? "-" : "+"}${s.field.column}`),
    ...(primary ? { primary: true } : options.unique === true ? { unique: true } : {}),
    ...(options.disallowNull === true ? { disallowNull: true } : {}),
    ...(options.ignoreNull === true ? { ignoreNull: true } : {}),
    ...(options.ignoreAnyNull === true ? { ignoreAnyNull: true } : {}),
    ...(options.sortNullsHigh === true ? { sortNullsHigh: true } : {}),
    ...(options.maxKeyLength !== undefined ? { maxKeyLength: options.maxKeyLength } : {}),
    ...((options.disallowTruncation ?? unique) ? { disallowTruncation: true } : {})
  }
  return { name, segments, definition }
}

const isKeyList = (spec: IndexSpec<string>): spec is KeyList<string> => Array.isArray(spec)

// ---------------------------------------------------------------------------------------------
// Record codecs: the schema, with a fast path for schemas that encode to themselves

interface RecordCodec {
  /** The encoded record (its fields read by name), or a thrown {@link SyncFailure}. */
  readonly encode: (record: unknown) => { readonly [field: string]: unknown }
  /** The decoded record from the encoded one, or the issue. */
  readonly decode: (encoded: Record<string, unknown>) => Result.Result<unknown, SchemaIssue.Issue>
}

const makeRecordCodec = (
  table: string,
  schema: StructSchema,
  plans: ReadonlyArray<FieldPlan>
): RecordCodec => {
  const encodeSlow = SchemaParser.encodeUnknownResult(schema)
  const decodeSlow = SchemaParser.decodeUnknownResult(schema)
  const encodeFailure = (issue: SchemaIssue.Issue): never => {
    const field = issueField(issue)
    throw new SyncFailure(
      new RecordEncodeError({
        table,
        column: field === undefined ? undefined : plans.find((p) => p.field === field)?.column ?? field,
        reason: formatIssue(issue),
        issue
      })
    )
  }
  const slow: RecordCodec = {
    encode: (record) => {
      const encoded = encodeSlow(record)
      return Result.isSuccess(encoded)
        ? encoded.success as { readonly [field: string]: unknown }
        : encodeFailure(encoded.failure)
    },
    decode: decodeSlow
  }
  const ast = schema.ast
  const guards = plans.map((p) => p.guard)
  if (
    ast._tag !== "Objects" || ast.encoding !== undefined || ast.encodingChecks !== undefined
    || ast.indexSignatures.length !== 0 || !guards.every((g): g is Guard => g !== undefined)
  ) return slow
  // Every field encodes to itself: a record the guards accept is its own encoding and decoding,
  // so the schema's interpreter only runs to explain a rejection.
  const filters = filtersOf(ast.checks)
  const fields = plans.map((p, i) => ({ name: p.field, optional: p.optionalKey, guard: guards[i]! }))
  const accepts = (record: unknown): record is Record<string, unknown> => {
    if (typeof record !== "object" || record === null || Array.isArray(record)) return false
    for (const field of fields) {
      if (field.name in record) {
        if (!field.guard((record as Record<string, unknown>)[field.name])) return false
      } else if (!field.optional) return false
    }
    return true
  }
  const checked = (record: Record<string, unknown>, own: boolean): Record<string, unknown> | undefined => {
    if (filters.length === 0) return record
    let out = record
    if (!own) {
      out = {}
      for (const field of fields) if (field.name in record) out[field.name] = record[field.name]
    }
    for (const filter of filters) if (filter.run(out, ast, parseOptions) !== undefined) return undefined
    return out
  }
  return {
    encode: (record) => (accepts(record) ? checked(record, false) : undefined) ?? slow.encode(record),
    decode: (encoded) => {
      const out = accepts(encoded) ? checked(encoded, true) : undefined
      return out !== undefined ? Result.succeed(out) : decodeSlow(encoded)
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Synchronous cursor work

type Context = CursorContext

const check = ok

/**
 * Runs synchronous code on the cursor with the session held: one step, so no other fiber's call on
 * the session (not even one inside the same transaction) lands between a seek and its read.
 */
const step = <A>(
  cursor: Cursor.Cursor,
  operation: string,
  body: (context: Context) => A
): Effect.Effect<A, ReadError> => onCursor<A, ReadError>(cursor, operation, body)

interface BoundColumn {
  readonly plan: FieldPlan
  readonly columnid: JET_COLUMNID
  readonly codec: ColumnCodec<Coltyp>
  readonly options: CodecOptions
}

interface Bound {
  readonly columns: ReadonlyArray<BoundColumn>
  readonly primaryColumns: ReadonlyArray<BoundColumn>
  readonly byField: ReadonlyMap<string, BoundColumn>
}

const { JET_errNoCurrentRecord, JET_errRecordNotFound, JET_wrnColumnNull } = jetErrorCodes

/** One value of a column (`itag` 1-based), `null` for NULL or past the last value. */
const retrieve = (context: Context, column: BoundColumn, itag: number): unknown => {
  const length = retrieveInto(context, column.columnid, itag, 0, column.plan.column)
  return length < 0 ? null : column.codec.decode(retrieved(), length, column.options)
}

/** A column's stored value: an array for a multi-valued column, `null` for NULL, or a codec failure. */
const readColumn = (context: Context, column: BoundColumn): unknown => {
  if (!column.plan.multiValued) return retrieve(context, column, 1)
  const values: Array<unknown> = []
  for (let itag = 1;; itag++) {
    const value = retrieve(context, column, itag)
    if (value === null) return values
    if (isCodecFailure(value)) return value
    values.push(value)
  }
}

const storedKey = (context: Context, bound: Bound): ReadonlyArray<unknown> =>
  bound.primaryColumns.map((column) => {
    const value = readColumn(context, column)
    return isCodecFailure(value) ? undefined : value
  })

/** The current record, decoded through the schema. */
const readRecord = (context: Context, table: string, bound: Bound, codec: RecordCodec): unknown => {
  const encoded: Record<string, unknown> = {}
  for (const column of bound.columns) {
    const plan = column.plan
    const value = readColumn(context, column)
    if (isCodecFailure(value)) {
      throw new SyncFailure(
        new RecordDecodeError({
          table,
          column: plan.column,
          key: storedKey(context, bound),
          reason: value.reason,
          issue: undefined
        })
      )
    }
    if (
      value === null || (plan.multiValued && plan.nullable && (value as ReadonlyArray<unknown>).length === 0)
    ) {
      if (plan.acceptsNull) encoded[plan.field] = null
      else if (!plan.optionalKey && plan.acceptsUndefined) encoded[plan.field] = undefined
    } else {
      encoded[plan.field] = value
    }
  }
  const decoded = codec.decode(encoded)
  if (Result.isSuccess(decoded)) return decoded.success
  const field = issueField(decoded.failure)
  throw new SyncFailure(
    new RecordDecodeError({
      table,
      column: field === undefined ? undefined : bound.byField.get(field)?.plan.column ?? field,
      key: storedKey(context, bound),
      reason: formatIssue(decoded.failure),
      issue: decoded.failure
    })
  )
}

const zeroLength = (value: unknown): boolean =>
  (typeof value === "string" && value.length === 0) || (value instanceof Uint8Array && value.byteLength === 0)

const encodeValue = (table: string, column: BoundColumn, value: unknown): Uint8Array => {
  const bytes = column.codec.encode(value as never, column.options)
  if (isCodecFailure(bytes)) {
    throw new SyncFailure(new ColumnValueError({ table, column: column.plan.column, reason: bytes.reason }))
  }
  return bytes
}

const setValue = (
  context: Context,
  table: string,
  column: BoundColumn,
  value: unknown,
  itag: number
): void => {
  const bytes = value === null ? null : encodeValue(table, column, value)
  check(
    "JetSetColumn",
    context.api.JetSetColumn(
      context.sesid,
      context.tableid,
      column.columnid,
      bytes,
      bytes?.byteLength ?? 0,
      zeroLength(value) ? C.JET_bitSetZeroLength : 0,
      // Multi-valued columns get an explicit JET_SETINFO: ESENT reads a NULL one as itagSequence 1,
      // which overwrites the first value instead of appending.
      column.plan.multiValued ? { ibLongValue: 0, itagSequence: itag } : null
    ),
    column.plan.column
  )
}

const emptyBuffer = new Uint8Array(0)

/** Removes every value of a multi-valued column in the prepared update. */
const clearValues = (context: Context, table: string, column: BoundColumn): void => {
  for (;;) {
    const got = context.api.JetRetrieveColumn(
      context.sesid,
      context.tableid,
      column.columnid,
      emptyBuffer,
      0,
      C.JET_bitRetrieveCopy,
      null
    )
    if (got.err === JET_wrnColumnNull) return
    check("JetRetrieveColumn", got, column.plan.column)
    // Setting NULL at itag 1 removes the first value; the others move down.
    setValue(context, table, column, null, 1)
  }
}

/** Writes an encoded record as a prepared insert or replace; any failure cancels the update. */
const write = (
  context: Context,
  table: string,
  bound: Bound,
  encoded: { readonly [field: string]: unknown },
  replacing: boolean
): void => {
  check(
    "JetPrepareUpdate",
    context.api.JetPrepareUpdate(
      context.sesid,
      context.tableid,
      replacing ? C.JET_prepReplace : C.JET_prepInsert
    )
  )
  try {
    for (const column of bound.columns) {
      const value = encoded[column.plan.field]
      if (column.plan.multiValued) {
        if (replacing) clearValues(context, table, column)
        if (value === null || value === undefined) continue
        for (const item of value as ReadonlyArray<unknown>) setValue(context, table, column, item, 0)
      } else if (value === null || value === undefined) {
        if (replacing) setValue(context, table, column, null, 1)
      } else {
        setValue(context, table, column, value, 1)
      }
    }
    check("JetUpdate", context.api.JetUpdate(context.sesid, context.tableid, null, 0))
  } catch (thrown) {
    context.api.JetPrepareUpdate(context.sesid, context.tableid, C.JET_prepCancel)
    throw thrown
  }
}

interface BoundIndex {
  readonly plan: IndexPlan
  readonly columns: ReadonlyArray<BoundColumn>
}

/** Key values typed as the fields' `Type`, encoded through the fields' schemas. */
const encodeKey = (
  table: string,
  index: BoundIndex,
  values: ReadonlyArray<unknown>
): ReadonlyArray<unknown> => {
  if (values.length > index.columns.length) {
    throw new SyncFailure(
      new RecordEncodeError({
        table,
        column: undefined,
        reason:
          `${values.length} key values for the ${index.columns.length} segments of index ${index.plan.name}`,
        issue: undefined
      })
    )
  }
  return values.map((value, i) => {
    if (value === null || value === undefined) return null
    const column = index.columns[i]!
    const encoded = column.plan.keyEncoder!(value)
    if (Result.isSuccess(encoded)) return encoded.success
    throw new SyncFailure(
      new RecordEncodeError({
        table,
        column: column.plan.column,
        reason: `key value: ${formatIssue(encoded.failure)}`,
        issue: encoded.failure
      })
    )
  })
}

type Limit = "none" | "start" | "end"

/** Builds the search key from encoded values (fewer than the segments: a prefix). */
const makeKey = (
  context: Context,
  table: string,
  index: BoundIndex,
  values: ReadonlyArray<unknown>,
  limit: Limit
): void => {
  values.forEach((value, i) => {
    const column = index.columns[i]!
    const bytes = value === null ? null : encodeValue(table, column, value)
    const limitBit = i !== values.length - 1 || limit === "none"
      ? 0
      : limit === "start"
      ? C.JET_bitFullColumnStartLimit
      : C.JET_bitFullColumnEndLimit
    check(
      "JetMakeKey",
      context.api.JetMakeKey(
        context.sesid,
        context.tableid,
        bytes,
        bytes?.byteLength ?? 0,
        (i === 0 ? C.JET_bitNewKey : 0) | (zeroLength(value) ? C.JET_bitKeyDataZeroLength : 0) | limitBit
      ),
      column.plan.column
    )
  })
}

/** Seeks the record with this whole primary key; the cursor must be on the primary index. */
const seekPrimary = (
  context: Context,
  table: string,
  primary: BoundIndex,
  encodedKey: ReadonlyArray<unknown>
): boolean => {
  makeKey(context, table, primary, encodedKey, "none")
  const sought = context.api.JetSeek(context.sesid, context.tableid, C.JET_bitSeekEQ)
  if (sought.err === JET_errRecordNotFound) return false
  check("JetSeek", sought, table)
  return true
}

const move = (context: Context, rows: number): boolean => {
  const moved = context.api.JetMove(context.sesid, context.tableid, rows, 0)
  if (moved.err === JET_errNoCurrentRecord) return false
  check("JetMove", moved)
  return true
}

interface Range {
  readonly from: ReadonlyArray<unknown> | undefined
  readonly to: ReadonlyArray<unknown> | undefined
  readonly fromExclusive: boolean
  readonly toExclusive: boolean
  readonly reverse: boolean
}

/**
 * Positions on the first record of the range in reading order and limits later moves to the
 * range; `false` when it is empty. Reading forward, the cursor seeks the lower bound and the upper
 * bound becomes the index range; reading in reverse, it seeks the upper bound and the lower bound
 * becomes the range. A bound's limit key (start or end of the prefix) makes prefixes inclusive or
 * exclusive as a whole.
 */
const enterRange = (context: Context, table: string, index: BoundIndex, range: Range): boolean => {
  const seekFirst = (
    bound: ReadonlyArray<unknown> | undefined,
    exclusive: boolean,
    forward: boolean
  ): boolean => {
    if (bound === undefined) return move(context, forward ? C.JET_MoveFirst : C.JET_MoveLast)
    makeKey(context, table, index, bound, forward === exclusive ? "end" : "start")
    const grbit = forward
      ? (exclusive ? C.JET_bitSeekGT : C.JET_bitSeekGE)
      : (exclusive ? C.JET_bitSeekLT : C.JET_bitSeekLE)
    const sought = context.api.JetSeek(context.sesid, context.tableid, grbit)
    if (sought.err === JET_errRecordNotFound) return false
    check("JetSeek", sought, index.plan.name)
    return true
  }
  const limit = (bound: ReadonlyArray<unknown> | undefined, exclusive: boolean, upper: boolean): boolean => {
    if (bound === undefined) return true
    makeKey(context, table, index, bound, upper === exclusive ? "start" : "end")
    const ranged = context.api.JetSetIndexRange(
      context.sesid,
      context.tableid,
      (upper ? C.JET_bitRangeUpperLimit : 0) | (exclusive ? 0 : C.JET_bitRangeInclusive)
    )
    if (ranged.err === JET_errNoCurrentRecord) return false
    check("JetSetIndexRange", ranged, index.plan.name)
    return true
  }
  return range.reverse
    ? seekFirst(range.to, range.toExclusive, false) && limit(range.from, range.fromExclusive, false)
    : seekFirst(range.from, range.fromExclusive, true) && limit(range.to, range.toExclusive, true)
}

/** Puts the handle's cursor back on the primary index if the untyped API moved it elsewhere. */
const onPrimary = (context: Context, cursor: Cursor.Cursor): void => {
  if (
    cursor.currentIndex === null || cursor.currentIndex === "" || cursor.currentIndex === primaryIndexName
  ) return
  check("JetSetCurrentIndex4", context.api.JetSetCurrentIndex4(context.sesid, context.tableid, null, 0, 1))
  cursor.currentIndex = null
}

// ---------------------------------------------------------------------------------------------
// Checking an existing table

interface IndexInfo {
  readonly name: string
  readonly grbit: number
  readonly segments: ReadonlyArray<{ readonly column: string; readonly descending: boolean }>
}

const decodeUtf16 = (bytes: Uint8Array, length: number): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, length).toString("utf16le").replace(/\0+$/, "")

/** Reads a table's indexes from the engine (`JET_IdxInfoList`), each with its segments in order. */
const readIndexes = (
  database: Database.Database,
  table: string
): Effect.Effect<ReadonlyArray<IndexInfo>, HandleError> =>
  Database.call(database, "JetGetIndexInfo", (api, sesid, dbid) => {
    const layout = structLayout("JET_INDEXLIST")
    const list = new Uint8Array(layout.size)
    const view = new DataView(list.buffer)
    const got = api.JetGetIndexInfo(sesid, dbid, table, null, list, layout.size, C.JET_IdxInfoList)
    if (got.err < 0) return { err: got.err, indexes: [] }
    const field = (name: string) => JET_COLUMNID(view.getUint32(layout.byName.get(name)!.offset, true))
    const tableid = JET_TABLEID(view.getBigUint64(layout.byName.get("tableid")!.offset, true))
    const buffer = new Uint8Array(2 * (C.JET_cbNameMost + 1))
    const text = (columnid: JET_COLUMNID): string => {
      const r = api.JetRetrieveColumn(sesid, tableid, columnid, buffer, buffer.byteLength, 0, null)
      return r.err < 0 ? "" : decodeUtf16(buffer, Math.min(r.cbActual, buffer.byteLength))
    }
    const u32 = (columnid: JET_COLUMNID): number => {
      const r = api.JetRetrieveColumn(sesid, tableid, columnid, buffer, 4, 0, null)
      return r.err < 0 || r.cbActual === 0 ? 0 : new DataView(buffer.buffer).getUint32(0, true)
    }
    const byName = new Map<
      string,
      { name: string; grbit: number; segments: Array<[number, string, boolean]> }
    >()
    try {
      let moved = api.JetMove(sesid, tableid, C.JET_MoveFirst, 0)
      while (moved.err >= 0) {
        const name = text(field("columnidindexname"))
        const entry = byName.get(name) ?? { name, grbit: u32(field("columnidgrbitIndex")), segments: [] }
        byName.set(name, entry)
        entry.segments.push([
          u32(field("columnidiColumn")),
          text(field("columnidcolumnname")),
          (u32(field("columnidgrbitColumn")) & 1) !== 0
        ])
        moved = api.JetMove(sesid, tableid, C.JET_MoveNext, 0)
      }
    } finally {
      api.JetCloseTable(sesid, tableid)
    }
    const indexes: Array<IndexInfo> = [...byName.values()].map((entry) => ({
      name: entry.name,
      grbit: entry.grbit,
      segments: entry.segments.sort((a, b) => a[0] - b[0]).map(([, column, descending]) => ({
        column,
        descending
      }))
    }))
    return { err: 0, indexes }
  }, table).pipe(Effect.map((result) => result.indexes))

const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase()

const codePageOf = (definition: Table.ColumnDefinition): number | undefined =>
  definition.type === "Text" || definition.type === "LongText"
    ? (definition.ascii === true ? 1252 : 1200)
    : undefined

/** The first way an existing column differs from the plan, in words. */
const columnDifference = (plan: FieldPlan, info: Table.ColumnInfo): string | undefined => {
  const wanted = plan.definition
  if (info.coltyp !== Table.columnTypes[wanted.type]) {
    return `the table has ${info.type ?? `coltyp ${info.coltyp}`}, the schema wants ${wanted.type}`
  }
  if (info.multiValued !== plan.multiValued) {
    return plan.multiValued
      ? "the table's column holds one value, the schema wants several (an array)"
      : "the table's column is multi-valued, the schema wants one value"
  }
  const cp = codePageOf(wanted)
  if (cp !== undefined && info.cp !== cp) {
    return `the table's text has code page ${info.cp}, the schema wants ${cp}`
  }
  const notNull = (info.grbit & C.JET_bitColumnNotNULL) !== 0
  if (notNull !== (wanted.notNull === true)) {
    return notNull
      ? "the table's column is NOT NULL, the schema allows no value"
      : "the table's column allows NULL, the schema requires a value"
  }
  if (wanted.maxLength !== undefined && info.cbMax !== wanted.maxLength) {
    return `the table's column holds at most ${info.cbMax} bytes, the schema wants ${wanted.maxLength}`
  }
  return undefined
}

const indexDifference = (plan: IndexPlan, info: IndexInfo | undefined): string | undefined => {
  if (info === undefined) return "the table has no such index"
  const wanted = plan.definition
  const key = (segments: ReadonlyArray<{ readonly column: string; readonly descending: boolean }>) =>
    segments.map((s) => `${s.descending ? "-" : "+"}${s.column.toLowerCase()}`).join(", ")
  const actualKey = key(info.segments)
  const wantedKey = key(plan.segments.map((s) => ({ column: s.field.column, descending: s.descending })))
  if (actualKey !== wantedKey) return `the table's key is (${actualKey}), the schema wants (${wantedKey})`
  const primary = (info.grbit & C.JET_bitIndexPrimary) !== 0
  if (primary !== (wanted.primary === true)) {
    return primary ? "the table's index is the primary index" : "the table's index is not the primary index"
  }
  const unique = primary || (info.grbit & C.JET_bitIndexUnique) !== 0
  if (unique !== (wanted.primary === true || wanted.unique === true)) {
    return unique ? "the table's index is unique, the schema's is not" : "the table's index is not unique"
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------
// make

/**
 * Defines a typed table from a struct schema: its columns (inferred from the fields, see the
 * module's table), its primary key and its secondary indexes. Key segments name fields, `"-field"`
 * for descending. Throws when a field has no column type or an index names an unknown field: both
 * are mistakes in the definition, found when the module loads.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { TypedTable } from "effect-esent"
 *
 * const People = TypedTable.make({
 *   name: "people",
 *   schema: Schema.Struct({
 *     id: Schema.Int,
 *     name: Schema.String,
 *     age: Schema.Int,
 *     tags: Schema.Array(Schema.String),
 *     born: Schema.optional(Schema.Date)
 *   }),
 *   primaryKey: ["id"],
 *   indexes: { byName: ["name"], byAgeName: ["-age", "name"], byTag: { key: ["tags"] } }
 * })
 * ```
 */
export const make = <
  S extends StructSchema,
  const PK extends IndexSpec<FieldName<S>>,
  const Ix extends Indexes<FieldName<S>> = {}
>(options: MakeOptions<S, PK, Ix>): TypedTable<S, PK, Ix> => {
  const name = options.name
  const schema = options.schema
  const indexes = (options.indexes ?? {}) as Ix
  const plans = Reflect.ownKeys(schema.fields).map((key) => {
    if (typeof key !== "string") throw new Error(`TypedTable ${name}: symbol keys have no column`)
    return planField(name, key, schema.fields[key] as Schema.Top)
  })
  const byField = new Map(plans.map((p) => [p.field, p]))
  const columnNames = new Set<string>()
  for (const plan of plans) {
    const lower = plan.column.toLowerCase()
    if (columnNames.has(lower)) {
      throw new Error(`TypedTable ${name}: two fields use the column ${plan.column}`)
    }
    columnNames.add(lower)
  }
  if (Object.keys(indexes).some((index) => sameName(index, primaryIndexName))) {
    throw new Error(`TypedTable ${name}: the index name "${primaryIndexName}" is the primary key's`)
  }
  const primary = planIndex(name, primaryIndexName, options.primaryKey, byField, true)
  const secondary = Object.entries(indexes).map(([index, spec]) =>
    planIndex(name, index, spec, byField, false)
  )
  const indexPlans = new Map([primary, ...secondary].map((p) => [p.name, p]))
  const codec = makeRecordCodec(name, schema, plans)
  const definition: Table.TableDefinition = {
    name,
    columns: Object.fromEntries(plans.map((p) => [p.column, p.definition])),
    indexes: [...indexPlans.values()].map((p) => p.definition)
  }

  const mismatch = (column: string | undefined, index: string | undefined, reason: string) =>
    new SchemaMismatchError({ table: name, column, index, reason })

  const verify = (
    database: Database.Database,
    columns: ReadonlyArray<Table.ColumnInfo>
  ): Effect.Effect<void, OpenError> =>
    Effect.gen(function*() {
      for (const plan of plans) {
        const info = columns.find((c) => sameName(c.name, plan.column))
        if (info === undefined) {
          return yield* Effect.fail(mismatch(plan.column, undefined, "the table has no such column"))
        }
        const difference = columnDifference(plan, info)
        if (difference !== undefined) return yield* Effect.fail(mismatch(plan.column, undefined, difference))
      }
      const existing = yield* readIndexes(database, name)
      for (const plan of indexPlans.values()) {
        const difference = indexDifference(plan, existing.find((i) => sameName(i.name, plan.name)))
        if (difference !== undefined) return yield* Effect.fail(mismatch(undefined, plan.name, difference))
      }
    })

  const createOn = (database: Database.Database) =>
    Effect.gen(function*() {
      const existing = yield* Table.columns(database, name).pipe(
        Effect.map(Option.some),
        Effect.catchTag("JET_errObjectNotFound", () =>
          Effect.succeed(Option.none<ReadonlyArray<Table.ColumnInfo>>()))
      )
      if (Option.isSome(existing)) {
        return yield* verify(database, existing.value)
      }
      const created = yield* Table.create(database, definition).pipe(
        Effect.as(true),
        Effect.catchTag("JET_errTableDuplicate", () =>
          Effect.succeed(false))
      )
      // Another session created it between our look and our create: check theirs.
      if (!created) yield* verify(database, yield* Table.columns(database, name))
    }).pipe(Effect.withSpan("TypedTable.create", { attributes: { table: name } }))

  const create = (database?: Database.Database) =>
    database === undefined
      ? withConnection((connection) => createOn(connection.database))
      : createOn(database)

  const bind = (cursor: Cursor.Cursor): Bound | SchemaMismatchError => {
    const infos = [...cursor.columns.values()]
    const columns: Array<BoundColumn> = []
    for (const plan of plans) {
      const info = infos.find((c) => sameName(c.name, plan.column))
      if (info === undefined) return mismatch(plan.column, undefined, "the table has no such column")
      if (info.coltyp !== Table.columnTypes[plan.type] || info.multiValued !== plan.multiValued) {
        return mismatch(plan.column, undefined, columnDifference(plan, info) ?? "the column differs")
      }
      columns.push({
        plan,
        columnid: info.columnid,
        codec: codecOf(info.coltyp)!,
        options: { cp: info.cp, cbMax: info.cbMax }
      })
    }
    const byColumnField = new Map(columns.map((c) => [c.plan.field, c]))
    return {
      columns,
      primaryColumns: primary.segments.map((s) => byColumnField.get(s.field.field)!),
      byField: byColumnField
    }
  }

  const handleOf = (cursor: Cursor.Cursor): Effect.Effect<Handle<S, PK, Ix>, SchemaMismatchError> =>
    Effect.suspend(() => {
      const bound = bind(cursor)
      return bound instanceof SchemaMismatchError
        ? Effect.fail(bound)
        : Effect.succeed(makeHandle(table, cursor, bound, indexPlans, codec))
    })

  const open = (database?: Database.Database) =>
    Effect.flatMap(
      database === undefined ? Cursor.open(name) : Cursor.open(database, name),
      handleOf
    ).pipe(Effect.withSpan("TypedTable.open", { attributes: { table: name } }))

  // A typed handle over each cursor a pooled session keeps, so that an operation in the context
  // binds the table's columns once per cursor rather than once per call.
  const kept = new WeakMap<Cursor.Cursor, Handle<S, PK, Ix>>()
  const inContext = <A, E>(
    f: (handle: Handle<S, PK, Ix>) => Effect.Effect<A, E>
  ): Effect.Effect<A, E | OpenError, EsentDatabase> =>
    withConnection((connection) =>
      withCursor(connection, name, (cursor) => {
        const handle = kept.get(cursor)
        if (handle !== undefined) return f(handle)
        return Effect.flatMap(handleOf(cursor), (fresh) => {
          kept.set(cursor, fresh)
          return f(fresh)
        })
      })
    )

  const table: TypedTable<S, PK, Ix> = {
    name,
    schema,
    primaryKey: options.primaryKey,
    indexes,
    definition,
    columns: plans.map((p) => ({
      field: p.field,
      column: p.column,
      definition: p.definition,
      nullable: p.nullable
    })),
    create: create as TypedTable<S, PK, Ix>["create"],
    open: open as TypedTable<S, PK, Ix>["open"],
    insert: (record) => inContext((handle) => handle.insert(record)),
    upsert: (record) => inContext((handle) => handle.upsert(record)),
    get: (key) => inContext((handle) => handle.get(key)),
    remove: (key) => inContext((handle) => handle.remove(key)),
    query: (index, options) =>
      Stream.unwrap(
        Effect.map(Cursor.open(name, { readOnly: true }), (cursor) =>
          Stream.unwrap(Effect.map(handleOf(cursor), (handle) => handle.query(index, options))))
      )
  }
  return table
}

const makeHandle = <
  S extends StructSchema,
  PK extends IndexSpec<FieldName<S>>,
  Ix extends Indexes<FieldName<S>>
>(
  table: TypedTable<S, PK, Ix>,
  cursor: Cursor.Cursor,
  bound: Bound,
  indexPlans: ReadonlyMap<string, IndexPlan>,
  codec: RecordCodec
): Handle<S, PK, Ix> => {
  const name = table.name
  const bindIndex = (plan: IndexPlan): BoundIndex => ({
    plan,
    columns: plan.segments.map((s) => bound.byField.get(s.field.field)!)
  })
  const indexes = new Map([...indexPlans].map(([indexName, plan]) => [indexName, bindIndex(plan)]))
  const primary = indexes.get(primaryIndexName)!
  const session = cursor.database.session

  const primaryKeyOf = (key: unknown): ReadonlyArray<unknown> => {
    const values = primary.columns.length === 1 && !Array.isArray(key) ? [key] : key as ReadonlyArray<unknown>
    if (values.length !== primary.columns.length) {
      throw new SyncFailure(
        new RecordEncodeError({
          table: name,
          column: undefined,
          reason: `the primary key has ${primary.columns.length} values, got ${values.length}`,
          issue: undefined
        })
      )
    }
    return encodeKey(name, primary, values)
  }

  const narrowWrite = <A>(effect: Effect.Effect<A, ReadError>) => effect as Effect.Effect<A, WriteError>

  const query = (index: string, options: Query<ReadonlyArray<unknown>> = {}) =>
    Stream.unwrap(Effect.gen(function*() {
      const target = indexes.get(index)
      if (target === undefined) {
        return yield* Effect.fail(jetError(jetErrorCodes.JET_errIndexNotFound, "JetSetCurrentIndex4", index))
      }
      const bounds = options.prefix !== undefined
        ? { from: options.prefix, to: options.prefix, fromExclusive: false, toExclusive: false }
        : {
          from: options.from,
          to: options.to,
          fromExclusive: options.fromExclusive === true,
          toExclusive: options.toExclusive === true
        }
      // Keys are encoded before the cursor opens, so a bad key fails without touching the engine.
      const range: Range = yield* attempt<Range, ReadError>(() => ({
        ...bounds,
        from: bounds.from === undefined || bounds.from.length === 0
          ? undefined
          : encodeKey(name, target, bounds.from),
        to: bounds.to === undefined || bounds.to.length === 0
          ? undefined
          : encodeKey(name, target, bounds.to),
        reverse: options.reverse === true
      }))
      const reader = yield* Cursor.open(cursor.database, name, { readOnly: true })
      const batchSize = Math.max(1, options.batchSize ?? 64)
      const next = range.reverse ? C.JET_MovePrevious : C.JET_MoveNext
      return Stream.paginate(true, (first: boolean) =>
        step(reader, "TypedTable.query", (context) => {
          let more: boolean
          if (first) {
            check(
              "JetSetCurrentIndex4",
              context.api.JetSetCurrentIndex4(
                context.sesid,
                context.tableid,
                index === primaryIndexName ? null : index,
                0,
                1
              ),
              index
            )
            more = enterRange(context, name, target, range)
          } else {
            more = move(context, next)
          }
          const records: Array<S["Type"]> = []
          while (more) {
            records.push(readRecord(context, name, bound, codec))
            if (records.length >= batchSize) break
            more = move(context, next)
          }
          return [records, more ? Option.some(false) : Option.none()] as const
        }))
    }))

  return {
    table,
    cursor,
    insert: (record) =>
      narrowWrite(step(cursor, "TypedTable.insert", (context) => {
        write(context, name, bound, codec.encode(record), false)
      })),
    upsert: (record) =>
      narrowWrite(Transaction.withSessionTransaction(
        session,
        step(cursor, "TypedTable.upsert", (context): "inserted" | "replaced" => {
          const encoded = codec.encode(record)
          onPrimary(context, cursor)
          const found = seekPrimary(
            context,
            name,
            primary,
            primary.columns.map((c) => encoded[c.plan.field] ?? null)
          )
          write(context, name, bound, encoded, found)
          return found ? "replaced" : "inserted"
        })
      )),
    get: (key) =>
      step(cursor, "TypedTable.get", (context) => {
        const encodedKey = primaryKeyOf(key)
        onPrimary(context, cursor)
        return seekPrimary(context, name, primary, encodedKey)
          ? Option.some(readRecord(context, name, bound, codec) as S["Type"])
          : Option.none()
      }),
    remove: (key) =>
      narrowWrite(Transaction.withSessionTransaction(
        session,
        step(cursor, "TypedTable.remove", (context) => {
          const encodedKey = primaryKeyOf(key)
          onPrimary(context, cursor)
          if (!seekPrimary(context, name, primary, encodedKey)) return false
          check("JetDelete", context.api.JetDelete(context.sesid, context.tableid), name)
          return true
        })
      )),
    query: (index, options) => query(index, options as Query<ReadonlyArray<unknown>> | undefined)
  }
}
