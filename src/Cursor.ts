/**
 * Cursors: scoped open tables. Navigate, seek by key values on the current index, set index ranges,
 * and insert, replace, remove and read records given as objects of column name → value. A cursor
 * on a table described with `Table.make` reads and writes typed rows.
 *
 * Open one on the database in the context (`Cursor.open(People)`: on the current transaction's
 * session, or a session borrowed for the cursor's scope), or on an explicit database handle
 * (`Cursor.open(db, People)`). Every function taking a cursor also has a data-last form for `pipe`.
 *
 * @module
 */
import { Context, Effect, Option, Stream } from "effect"
import { dual } from "effect/Function"
import type * as Scope from "effect/Scope"
import { type CodecFailure, decodeColumnValue, encodeColumnValue, isCodecFailure } from "./Codec.ts"
import * as Database from "./Database.ts"
import {
  ColumnValueError,
  HandleClosedError,
  type HandleError,
  SessionMismatchError,
  UnknownColumnError
} from "./Errors.ts"
import { currentConnection, EsentDatabase, type EsentDatabaseError } from "./EsentDatabase.ts"
import { closeTree, type HandleNode, makeNode } from "./internal/handles.ts"
import { readInfoList } from "./internal/list.ts"
import { type CursorContext, ok, onCursor, retrieved, retrieveInto, SyncFailure } from "./internal/sync.ts"
import * as C from "./jet/constants.ts"
import { jetErrorCodes } from "./jet/errors.generated.ts"
import { JET_TABLEID } from "./jet/handles.ts"
import { type JetError, jetError } from "./JetError.ts"
import * as Table from "./Table.ts"

const {
  JET_errNoCurrentRecord,
  JET_errRecordNotFound,
  JET_wrnBufferTruncated,
  JET_wrnColumnNull,
  JET_wrnSeekNotEqual
} = jetErrorCodes

/** A record as an object: column name → value (`null` for NULL, an array for multi-valued columns). */
export type Row = Readonly<Record<string, unknown>>

/**
 * An open cursor on a table. Use it only inside the scope that opened it. `T` is the table's
 * description (any table when opened by name), `I` the index whose keys {@link seek} takes.
 */
export interface Cursor<T extends Table.TableDefinition = Table.TableDefinition, I = Table.IndexName<T>> {
  readonly database: Database.Database
  readonly table: string
  readonly tableid: JET_TABLEID
  /** The table's columns by name. */
  readonly columns: ReadonlyMap<string, Table.ColumnInfo>
  /** @internal */
  readonly node: HandleNode
  /** @internal Segment columns of each index, read on first use. */
  readonly indexKeys: Map<string, ReadonlyArray<Table.ColumnInfo>>
  /** @internal The current index's name ("" for the clustered index before any choice). */
  currentIndex: string | null
  /** @internal The autoincrement column, whose value an insert answers. */
  readonly autoincrement: Table.ColumnInfo | undefined
  /**
   * @internal Opened on a session borrowed through the context: using it inside a transaction of
   * another session is refused, since its work would not belong to that transaction.
   */
  readonly borrowed: boolean
  /** @internal The session's engine and handles, as every synchronous step uses them. */
  readonly context: CursorContext
  /** @internal See `internal/sync.ts`. */
  outsideTransactions: unknown
  /** Type-level only: the table's description and the index in use. */
  readonly "~types"?: { readonly table: T; readonly index: I }
}

/**
 * The errors a cursor operation can fail with. Every one names the table: the JET errors in their
 * `table` field and message, the others in theirs.
 */
export type CursorError =
  | JetError
  | HandleClosedError
  | ColumnValueError
  | UnknownColumnError
  | SessionMismatchError

/** Whether `u` is an open or closed cursor (what the data-first forms take first). */
export const isCursor = (u: unknown): u is Cursor =>
  typeof u === "object" && u !== null && "tableid" in u && "node" in u && "columns" in u

/** Options of {@link open}. */
export interface OpenOptions {
  readonly readOnly?: boolean
}

/**
 * Opens a cursor on a table; the scope's end closes it. The cursor starts on the clustered index,
 * before the first record.
 *
 * With the database in the context (`Cursor.open(People)`), the cursor opens on the current
 * transaction's session, or on a session borrowed from the pool until the scope ends. With a
 * database handle first (`Cursor.open(db, People)`), on that handle's session.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Cursor, Table } from "effect-esent"
 *
 * const People = Table.make({
 *   name: "people",
 *   columns: { id: { type: "Long", autoincrement: true }, name: { type: "Text" } },
 *   indexes: [{ name: "by_id", key: ["id"], primary: true }]
 * })
 * const first = Effect.scoped(Effect.gen(function*() {
 *   const people = yield* Cursor.open(People)
 *   return (yield* Cursor.moveFirst(people)) ? yield* Cursor.read(people) : undefined
 * }))
 * ```
 */
export const open: {
  <const T extends Table.TableDefinition | string>(
    table: T,
    options?: OpenOptions
  ): Effect.Effect<
    Cursor<TableOf<T>, Table.PrimaryIndexName<TableOf<T>>>,
    EsentDatabaseError,
    EsentDatabase | Scope.Scope
  >
  <const T extends Table.TableDefinition | string>(
    database: Database.Database,
    table: T,
    options?: OpenOptions
  ): Effect.Effect<
    Cursor<TableOf<T>, Table.PrimaryIndexName<TableOf<T>>>,
    HandleError,
    Scope.Scope
  >
} = ((...args: ReadonlyArray<unknown>) =>
  Database.isDatabase(args[0])
    ? openOn(
      args[0],
      nameOf(args[1] as Table.TableDefinition | string),
      args[2] as OpenOptions | undefined,
      false
    )
    : openInContext(
      nameOf(args[0] as Table.TableDefinition | string),
      args[1] as OpenOptions | undefined
    )) as never

/** The description of a table given by description or by name. */
export type TableOf<T> = T extends Table.TableDefinition ? T : Table.TableDefinition

const nameOf = (table: Table.TableDefinition | string): string =>
  typeof table === "string" ? table : table.name

const openInContext = (
  table: string,
  options: OpenOptions | undefined
): Effect.Effect<Cursor, HandleError, EsentDatabase | Scope.Scope> =>
  Effect.contextWith((context: Context.Context<EsentDatabase>) => {
    const database = Context.get(context, EsentDatabase)
    const held = currentConnection(context, database)
    return held !== undefined
      ? openOn(held.database, table, options, false)
      : Effect.flatMap(database.borrow, (connection) => openOn(connection.database, table, options, true))
  })

/** @internal Opens a cursor on an explicit database handle. */
export const openOn = (
  database: Database.Database,
  table: string,
  options: OpenOptions = {},
  borrowed = false
): Effect.Effect<Cursor, HandleError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.gen(function*() {
      const columns = yield* Table.columns(database, table)
      const { tableid } = yield* Database.call(
        database,
        "JetOpenTable",
        (api, sesid, dbid) =>
          api.JetOpenTable(sesid, dbid, table, options.readOnly === true ? C.JET_bitTableReadOnly : 0),
        { table }
      )
      const cursor: Cursor = {
        database,
        table,
        tableid,
        columns: new Map(columns.map((column) => [column.name, column])),
        node: makeNode("cursor", database.node),
        indexKeys: new Map(),
        currentIndex: null,
        autoincrement: columns.find((column) => (column.grbit & C.JET_bitColumnAutoincrement) !== 0),
        borrowed,
        context: { api: database.session.api, sesid: database.session.sesid, tableid },
        outsideTransactions: undefined
      }
      return cursor
    }),
    (cursor) =>
      Effect.suspend(() => {
        if (!cursor.node.open) return Effect.void
        closeTree(cursor.node)
        const { session } = cursor.database
        const closed = session.api.JetCloseTable(session.sesid, cursor.tableid)
        return closed.err < 0
          ? Effect.logError(`JetCloseTable failed on ${cursor.table}`).pipe(
            Effect.annotateLogs({ code: closed.err })
          )
          : Effect.void
      })
  )

type Context = CursorContext

/** Any cursor, whatever its table and index. */
type AnyCursor = Cursor<Table.TableDefinition, unknown>

/** Runs synchronous cursor code as one step with the session held (see `internal/sync.ts`). */
const run = <A>(
  cursor: AnyCursor,
  operation: string,
  body: (context: Context) => A
): Effect.Effect<A, CursorError> => onCursor<A, CursorError>(cursor, operation, body, true)

const columnOf = (cursor: AnyCursor, name: string): Table.ColumnInfo => {
  const column = cursor.columns.get(name)
  if (column === undefined) {
    throw new SyncFailure(new UnknownColumnError({ table: cursor.table, column: name }))
  }
  return column
}

/** A codec's result, or the `ColumnValueError` naming the table and column thrown for its failure. */
const codecResult = <A>(cursor: AnyCursor, column: Table.ColumnInfo, result: A | CodecFailure): A => {
  if (isCodecFailure(result)) {
    throw new SyncFailure(
      new ColumnValueError({ table: cursor.table, column: column.name, reason: result.reason })
    )
  }
  return result
}

// A column's information carries its code page and size limit: it serves as the codec's options.
const encode = (cursor: AnyCursor, column: Table.ColumnInfo, value: unknown): Uint8Array =>
  codecResult(cursor, column, encodeColumnValue(column.coltyp, value as never, column))

/** One value of a column, decoded; `null` for NULL or past the last value of a multi-valued column. */
const retrieve = (
  context: Context,
  cursor: AnyCursor,
  column: Table.ColumnInfo,
  itagSequence: number,
  grbit: number
): unknown => {
  const length = retrieveInto(context, column.columnid, itagSequence, grbit, column.name)
  return length < 0
    ? null
    : codecResult(cursor, column, decodeColumnValue(column.coltyp, retrieved(), length, column))
}

const readColumn = (
  context: Context,
  cursor: AnyCursor,
  column: Table.ColumnInfo,
  grbit: number
): unknown => {
  if (!column.multiValued) return retrieve(context, cursor, column, 1, grbit)
  const values: Array<unknown> = []
  for (let itag = 1;; itag++) {
    const value = retrieve(context, cursor, column, itag, grbit)
    if (value === null) return values
    values.push(value)
  }
}

const readRow = (
  context: Context,
  cursor: AnyCursor,
  names: ReadonlyArray<string> | undefined,
  grbit = 0
): Row => {
  const row: Record<string, unknown> = {}
  if (names === undefined) {
    for (const column of cursor.columns.values()) {
      row[column.name] = readColumn(context, cursor, column, grbit)
    }
  } else {
    for (const name of names) row[name] = readColumn(context, cursor, columnOf(cursor, name), grbit)
  }
  return row
}

const setColumn = (
  context: Context,
  column: Table.ColumnInfo,
  bytes: Uint8Array | null,
  grbit: number,
  itagSequence: number
): void => {
  const set = context.api.JetSetColumn(
    context.sesid,
    context.tableid,
    column.columnid,
    bytes,
    bytes?.byteLength ?? 0,
    grbit,
    // Without a JET_SETINFO, ESENT writes itag 1: a multi-valued column needs it explicitly.
    column.multiValued ? { ibLongValue: 0, itagSequence } : null
  )
  if (set.err < 0) throw new SyncFailure(jetError(set.err, "JetSetColumn", { column: column.name }))
}

/** Sets every field of `row` into the prepared update; `null` sets NULL, arrays set multi-values. */
const setRow = (context: Context, cursor: AnyCursor, row: Row, replacing: boolean): void => {
  for (const name of Object.keys(row)) {
    const value = row[name]
    if (value === undefined) continue
    const column = columnOf(cursor, name)
    if (column.multiValued) {
      const values = value === null ? [] : Array.isArray(value) ? value : [value]
      if (replacing) {
        // Clear the old values first: setting NULL at itag 1 removes that value, repeatedly.
        while (retrieve(context, cursor, column, 1, C.JET_bitRetrieveCopy) !== null) {
          setColumn(context, column, null, 0, 1)
        }
      }
      for (const item of values) setColumn(context, column, encode(cursor, column, item), zeroLength(item), 0)
    } else if (value === null) {
      setColumn(context, column, null, 0, 0)
    } else {
      setColumn(context, column, encode(cursor, column, value), zeroLength(value), 0)
    }
  }
}

const zeroLength = (value: unknown): number =>
  (typeof value === "string" && value.length === 0) || (value instanceof Uint8Array && value.byteLength === 0)
    ? C.JET_bitSetZeroLength
    : 0

/** Where {@link update} receives the written record's bookmark. */
const bookmarkScratch = new Uint8Array(C.JET_cbBookmarkMost)

/**
 * Prepares an update, runs `body`, and writes it; any failure cancels the update, so nothing is
 * half-written. Answers the bookmark's length in {@link bookmarkScratch}.
 */
const update = (context: Context, prep: number, body: () => void): number => {
  ok("JetPrepareUpdate", context.api.JetPrepareUpdate(context.sesid, context.tableid, prep))
  try {
    body()
    return ok(
      "JetUpdate",
      context.api.JetUpdate(context.sesid, context.tableid, bookmarkScratch, bookmarkScratch.byteLength)
    ).cbActual
  } catch (thrown) {
    context.api.JetPrepareUpdate(context.sesid, context.tableid, C.JET_prepCancel)
    throw thrown
  }
}

const autoincrementValue = (context: Context, cursor: AnyCursor): unknown =>
  cursor.autoincrement === undefined
    ? undefined
    : retrieve(context, cursor, cursor.autoincrement, 1, C.JET_bitRetrieveCopy)

/** Options of {@link insert}. */
export interface InsertOptions {
  /** Answer the new record's bookmark too: `{ autoincrement, bookmark }`. */
  readonly bookmark?: boolean
}

/** What {@link insert} answers with `{ bookmark: true }`. */
export interface Inserted<T extends Table.TableDefinition> {
  readonly autoincrement: Table.Autoincrement<T>
  readonly bookmark: Uint8Array
}

/**
 * Inserts a record and answers the value the engine numbered it with (the autoincrement column's,
 * `undefined` when the table has none), or with `{ bookmark: true }` that value and the record's
 * bookmark. Columns left out take their default (or NULL). On any error the update is cancelled:
 * nothing is written.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Cursor, Table } from "effect-esent"
 *
 * const People = Table.make({
 *   name: "people",
 *   columns: { id: { type: "Long", autoincrement: true }, name: { type: "Text" } },
 *   indexes: [{ name: "by_id", key: ["id"], primary: true }]
 * })
 * const id = Effect.scoped(Effect.flatMap(Cursor.open(People), (people) => Cursor.insert(people, { name: "Ada" })))
 * ```
 */
export const insert: {
  <T extends Table.TableDefinition>(
    row: Table.Insert<T>,
    options: InsertOptions & { readonly bookmark: true }
  ): <I>(cursor: Cursor<T, I>) => Effect.Effect<Inserted<T>, CursorError>
  <T extends Table.TableDefinition>(
    row: Table.Insert<T>,
    options?: InsertOptions
  ): <I>(cursor: Cursor<T, I>) => Effect.Effect<Table.Autoincrement<T>, CursorError>
  <T extends Table.TableDefinition, I>(
    cursor: Cursor<T, I>,
    row: Table.Insert<NoInfer<T>>,
    options: InsertOptions & { readonly bookmark: true }
  ): Effect.Effect<Inserted<T>, CursorError>
  <T extends Table.TableDefinition, I>(
    cursor: Cursor<T, I>,
    row: Table.Insert<NoInfer<T>>,
    options?: InsertOptions
  ): Effect.Effect<Table.Autoincrement<T>, CursorError>
} = dual(
  (args) => isCursor(args[0]),
  (cursor: AnyCursor, row: Row, options?: InsertOptions): Effect.Effect<unknown, CursorError> =>
    run(cursor, "insert", (context) => {
      let numbered: unknown
      const length = update(context, C.JET_prepInsert, () => {
        setRow(context, cursor, row, false)
        numbered = autoincrementValue(context, cursor)
      })
      return options?.bookmark === true
        ? { autoincrement: numbered, bookmark: bookmarkScratch.slice(0, length) }
        : numbered
    })
)

/**
 * Replaces fields of the current record; fields left out keep their values. On any error the
 * update is cancelled: nothing is written.
 */
export const replace: {
  <T extends Table.TableDefinition>(
    row: Table.Changes<T>
  ): <I>(cursor: Cursor<T, I>) => Effect.Effect<void, CursorError>
  <T extends Table.TableDefinition, I>(
    cursor: Cursor<T, I>,
    row: Table.Changes<NoInfer<T>>
  ): Effect.Effect<void, CursorError>
} = dual(
  2,
  (cursor: AnyCursor, row: Row): Effect.Effect<void, CursorError> =>
    run(cursor, "replace", (context) => {
      update(context, C.JET_prepReplace, () => setRow(context, cursor, row, true))
    })
)

/** Removes (deletes) the current record. */
export const remove = <T extends Table.TableDefinition, I>(
  cursor: Cursor<T, I>
): Effect.Effect<void, CursorError> =>
  run(
    cursor,
    "JetDelete",
    (context) => void ok("JetDelete", context.api.JetDelete(context.sesid, context.tableid))
  )

/** Reads the current record (all columns, or only `columns`). */
export const read: {
  <T extends Table.TableDefinition, const K extends keyof Table.Row<T> & string>(
    columns: ReadonlyArray<K>
  ): <I>(cursor: Cursor<T, I>) => Effect.Effect<Pick<Table.Row<T>, K>, CursorError>
  <T extends Table.TableDefinition, I>(cursor: Cursor<T, I>): Effect.Effect<Table.Row<T>, CursorError>
  <T extends Table.TableDefinition, I, const K extends keyof Table.Row<T> & string>(
    cursor: Cursor<T, I>,
    columns: ReadonlyArray<K>
  ): Effect.Effect<Pick<Table.Row<T>, K>, CursorError>
} = dual(
  (args) => isCursor(args[0]),
  (cursor: AnyCursor, columns?: ReadonlyArray<string>): Effect.Effect<Row, CursorError> =>
    run(cursor, "read", (context) => readRow(context, cursor, columns))
)

/**
 * Reads the current record in one engine call (`JetRetrieveColumns`) for its single-valued columns;
 * a value larger than its first buffer, and multi-valued columns, are read again one by one. The
 * same result as {@link read}, with fewer calls into the engine for wide records.
 */
export const readBatch: {
  <T extends Table.TableDefinition, const K extends keyof Table.Row<T> & string>(
    columns: ReadonlyArray<K>
  ): <I>(cursor: Cursor<T, I>) => Effect.Effect<Pick<Table.Row<T>, K>, CursorError>
  <T extends Table.TableDefinition, I>(cursor: Cursor<T, I>): Effect.Effect<Table.Row<T>, CursorError>
  <T extends Table.TableDefinition, I, const K extends keyof Table.Row<T> & string>(
    cursor: Cursor<T, I>,
    columns: ReadonlyArray<K>
  ): Effect.Effect<Pick<Table.Row<T>, K>, CursorError>
} = dual(
  (args) => isCursor(args[0]),
  (cursor: AnyCursor, columns?: ReadonlyArray<string>): Effect.Effect<Row, CursorError> =>
    run(cursor, "readBatch", (context) => {
      const chosen = columns === undefined
        ? [...cursor.columns.values()]
        : columns.map((name) => columnOf(cursor, name))
      const single = chosen.filter((column) => !column.multiValued)
      const size = 256
      const buffers = single.map(() => new Uint8Array(size))
      const got = ok(
        "JetRetrieveColumns",
        context.api.JetRetrieveColumns(
          context.sesid,
          context.tableid,
          single.map((column, i) => ({ columnid: column.columnid, pvData: buffers[i]!, cbData: size }))
        )
      )
      const row: Record<string, unknown> = {}
      single.forEach((column, i) => {
        const result = got.columns[i]!
        if (result.err < 0) {
          throw new SyncFailure(jetError(result.err, "JetRetrieveColumns", { column: column.name }))
        }
        if (result.err === JET_wrnColumnNull) {
          row[column.name] = null
        } else if (result.err === JET_wrnBufferTruncated || result.cbActual > size) {
          row[column.name] = retrieve(context, cursor, column, 1, 0)
        } else {
          row[column.name] = codecResult(
            cursor,
            column,
            decodeColumnValue(column.coltyp, buffers[i]!, result.cbActual, column)
          )
        }
      })
      for (const column of chosen) {
        if (column.multiValued) row[column.name] = readColumn(context, cursor, column, 0)
      }
      // Keep the caller's column order.
      return Object.fromEntries(chosen.map((column) => [column.name, row[column.name]]))
    })
)

/** Moves by `rows` (negative: backwards); `false` when that passes either end. */
export const move: {
  (
    rows: number
  ): <T extends Table.TableDefinition, I>(cursor: Cursor<T, I>) => Effect.Effect<boolean, CursorError>
  <T extends Table.TableDefinition, I>(
    cursor: Cursor<T, I>,
    rows: number
  ): Effect.Effect<boolean, CursorError>
} = dual(
  2,
  (cursor: AnyCursor, rows: number): Effect.Effect<boolean, CursorError> =>
    run(cursor, "JetMove", (context) => moveSync(context, rows))
)

const moveSync = (context: Context, rows: number): boolean => {
  const moved = context.api.JetMove(context.sesid, context.tableid, rows, 0)
  if (moved.err === JET_errNoCurrentRecord) return false
  ok("JetMove", moved)
  return true
}

const moveBody = (rows: number) => (context: Context): boolean => moveSync(context, rows)
const moveFirstBody = moveBody(C.JET_MoveFirst)
const moveLastBody = moveBody(C.JET_MoveLast)
const moveNextBody = moveBody(C.JET_MoveNext)
const movePreviousBody = moveBody(C.JET_MovePrevious)

/** Moves to the first record of the current index (removing any index range); `false` when empty. */
export const moveFirst = <T extends Table.TableDefinition, I>(
  cursor: Cursor<T, I>
): Effect.Effect<boolean, CursorError> => run(cursor, "JetMove", moveFirstBody)
/** Moves to the last record of the current index (removing any index range); `false` when empty. */
export const moveLast = <T extends Table.TableDefinition, I>(
  cursor: Cursor<T, I>
): Effect.Effect<boolean, CursorError> => run(cursor, "JetMove", moveLastBody)
/** Moves to the next record; `false` past the end (or the range's end). */
export const moveNext = <T extends Table.TableDefinition, I>(
  cursor: Cursor<T, I>
): Effect.Effect<boolean, CursorError> => run(cursor, "JetMove", moveNextBody)
/** Moves to the previous record; `false` before the start. */
export const movePrevious = <T extends Table.TableDefinition, I>(
  cursor: Cursor<T, I>
): Effect.Effect<boolean, CursorError> => run(cursor, "JetMove", movePreviousBody)

/**
 * Selects the current index by name (`null`: the clustered index) and moves to its first entry.
 * Answers the same cursor, typed for that index: {@link seek} and {@link setRange} then take its
 * key values.
 */
export const setIndex: {
  <T extends Table.TableDefinition, const N extends Table.IndexName<T>>(
    index: N
  ): <I>(cursor: Cursor<T, I>) => Effect.Effect<Cursor<T, N>, CursorError>
  <T extends Table.TableDefinition, I, const N extends Table.IndexName<T>>(
    cursor: Cursor<T, I>,
    index: N | null
  ): Effect.Effect<Cursor<T, N>, CursorError>
} = dual(
  2,
  (cursor: AnyCursor, index: string | null): Effect.Effect<AnyCursor, CursorError> =>
    run(cursor, "JetSetCurrentIndex4", (context) => {
      ok(
        "JetSetCurrentIndex4",
        context.api.JetSetCurrentIndex4(context.sesid, context.tableid, index, 0, 1),
        index === null ? undefined : { index }
      )
      cursor.currentIndex = index
      return cursor
    })
)

/** The index's key columns in order (`JET_IdxInfoList`), cached per cursor. */
const indexKeyColumns = (context: Context, cursor: AnyCursor): ReadonlyArray<Table.ColumnInfo> => {
  const nameBuffer = new Uint8Array(2 * (C.JET_cbNameMost + 1))
  ok(
    "JetGetCurrentIndex",
    context.api.JetGetCurrentIndex(context.sesid, context.tableid, nameBuffer, nameBuffer.byteLength)
  )
  const indexName = Buffer.from(nameBuffer).toString("utf16le").replace(/\0.*$/s, "")
  const cached = cursor.indexKeys.get(indexName)
  if (cached !== undefined) return cached
  // A failed read must fail the seek: a key column list cut short or misnamed would be cached and
  // make every later seek on this index use the wrong key.
  const rows = ok(
    "JetGetTableIndexInfo",
    readInfoList(
      context.api,
      context.sesid,
      "JET_INDEXLIST",
      (pv, cb) =>
        context.api.JetGetTableIndexInfo(
          context.sesid,
          context.tableid,
          indexName,
          pv,
          cb,
          C.JET_IdxInfoList
        ),
      (read, field) => ({
        name: read.text(field("columnidcolumnname")),
        position: read.u32(field("columnidiColumn"))
      })
    ),
    indexName
  )
  const segments = rows.rows.map((row) => ({ position: row.position, column: columnOf(cursor, row.name) }))
  const columns = segments.sort((a, b) => a.position - b.position).map((s) => s.column)
  cursor.indexKeys.set(indexName, columns)
  return columns
}

/** How a limit key extends past the given key values. */
type Limit = "none" | "start" | "end"

const makeKey = (context: Context, cursor: AnyCursor, values: ReadonlyArray<unknown>, limit: Limit): void => {
  const keyColumns = indexKeyColumns(context, cursor)
  if (values.length > keyColumns.length) {
    throw new SyncFailure(
      jetError(
        jetErrorCodes.JET_errKeyIsMade,
        "JetMakeKey",
        { ...indexPlace(cursor), detail: `${values.length} values for ${keyColumns.length} key columns` }
      )
    )
  }
  values.forEach((value, i) => {
    const column = keyColumns[i]!
    const last = i === values.length - 1
    const bytes = value === null ? null : encode(cursor, column, value)
    const limitBit = !last || limit === "none"
      ? 0
      : limit === "start"
      ? C.JET_bitFullColumnStartLimit
      : C.JET_bitFullColumnEndLimit
    ok(
      "JetMakeKey",
      context.api.JetMakeKey(
        context.sesid,
        context.tableid,
        bytes,
        bytes?.byteLength ?? 0,
        (i === 0 ? C.JET_bitNewKey : 0) | (zeroLength(value) === 0 ? 0 : C.JET_bitKeyDataZeroLength)
          | limitBit
      ),
      { column: column.name, ...indexPlace(cursor) }
    )
  })
}

/** Where {@link seek} lands relative to the key. */
export type SeekOperator = "=" | "<" | "<=" | ">=" | ">"

const seekGrbit: Record<SeekOperator, number> = {
  "=": C.JET_bitSeekEQ,
  "<": C.JET_bitSeekLT,
  "<=": C.JET_bitSeekLE,
  ">=": C.JET_bitSeekGE,
  ">": C.JET_bitSeekGT
}

/** What a seek found: no record, a record with an equal key, or the nearest one (`JET_wrnSeekNotEqual`). */
export type SeekResult = "found" | "nearest" | "notFound"

/** The key values a seek or a range bound takes on index `I`: all of the key, or a leading part. */
export type SeekKey<T extends Table.TableDefinition, I> = Table.KeyPrefix<Table.Key<T, I>>

/**
 * Seeks on the current index with key values (one per key column, in order; fewer for a prefix).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Cursor, Table } from "effect-esent"
 *
 * const People = Table.make({
 *   name: "people",
 *   columns: { id: { type: "Long" }, name: { type: "Text" } },
 *   indexes: [{ name: "by_id", key: ["id"], primary: true }, { name: "by_name", key: ["name"] }]
 * })
 * const found = Effect.scoped(Effect.gen(function*() {
 *   const people = yield* Cursor.open(People).pipe(Effect.flatMap(Cursor.setIndex("by_name")))
 *   return yield* Cursor.seek(people, ["Ada"]) // "found" | "nearest" | "notFound"
 * }))
 * ```
 */
export const seek: {
  <T extends Table.TableDefinition, I>(
    key: SeekKey<T, NoInfer<I>>,
    operator?: SeekOperator
  ): (cursor: Cursor<T, I>) => Effect.Effect<SeekResult, CursorError>
  <T extends Table.TableDefinition, I>(
    cursor: Cursor<T, I>,
    key: SeekKey<T, NoInfer<I>>,
    operator?: SeekOperator
  ): Effect.Effect<SeekResult, CursorError>
} = dual(
  (args) => isCursor(args[0]),
  (cursor: AnyCursor, values: ReadonlyArray<unknown>, operator: SeekOperator = "="): Effect.Effect<
    SeekResult,
    CursorError
  > =>
    run(cursor, "JetSeek", (context) => {
      makeKey(context, cursor, values, "none")
      const sought = context.api.JetSeek(context.sesid, context.tableid, seekGrbit[operator])
      if (sought.err === JET_errRecordNotFound) return "notFound"
      ok("JetSeek", sought, indexPlace(cursor))
      return sought.err === JET_wrnSeekNotEqual ? "nearest" : "found"
    })
)

const indexPlace = (cursor: AnyCursor) =>
  cursor.currentIndex === null ? undefined : { index: cursor.currentIndex }

/** The bounds of an index range: key values (a prefix matches every key that starts with it). */
export interface Range<K = ReadonlyArray<unknown>> {
  /** Lower bound; default: the index's start. */
  readonly from?: K
  /** Upper bound; default: the index's end. */
  readonly to?: K
  /** Exclude the lower bound itself. */
  readonly fromExclusive?: boolean
  /** Exclude the upper bound itself. */
  readonly toExclusive?: boolean
}

/** Positions on the first record of the range and limits later moves to it; `false` when the range is empty. */
const enterRange = (context: Context, cursor: AnyCursor, range: Range): boolean => {
  if (range.from === undefined) {
    if (!moveSync(context, C.JET_MoveFirst)) return false
  } else {
    makeKey(context, cursor, range.from, range.fromExclusive === true ? "end" : "start")
    const sought = context.api.JetSeek(
      context.sesid,
      context.tableid,
      range.fromExclusive === true ? C.JET_bitSeekGT : C.JET_bitSeekGE
    )
    if (sought.err === JET_errRecordNotFound) return false
    ok("JetSeek", sought)
  }
  if (range.to !== undefined) {
    makeKey(context, cursor, range.to, range.toExclusive === true ? "start" : "end")
    const ranged = context.api.JetSetIndexRange(
      context.sesid,
      context.tableid,
      C.JET_bitRangeUpperLimit | (range.toExclusive === true ? 0 : C.JET_bitRangeInclusive)
    )
    if (ranged.err === JET_errNoCurrentRecord) return false
    ok("JetSetIndexRange", ranged)
  }
  return true
}

/** Positions the cursor on the first record of `range` and limits moves to it; `false` when empty. */
export const setRange: {
  <T extends Table.TableDefinition, I>(
    range: Range<SeekKey<T, NoInfer<I>>>
  ): (cursor: Cursor<T, I>) => Effect.Effect<boolean, CursorError>
  <T extends Table.TableDefinition, I>(
    cursor: Cursor<T, I>,
    range: Range<SeekKey<T, NoInfer<I>>>
  ): Effect.Effect<boolean, CursorError>
} = dual(
  2,
  (cursor: AnyCursor, range: Range): Effect.Effect<boolean, CursorError> =>
    run(cursor, "setRange", (context) => enterRange(context, cursor, range))
)

/** The current record's bookmark: pass it to {@link gotoBookmark} later. */
export const bookmark = <T extends Table.TableDefinition, I>(
  cursor: Cursor<T, I>
): Effect.Effect<Uint8Array, CursorError> =>
  run(cursor, "JetGetBookmark", (context) => {
    const buffer = new Uint8Array(C.JET_cbBookmarkMost)
    const got = ok(
      "JetGetBookmark",
      context.api.JetGetBookmark(context.sesid, context.tableid, buffer, buffer.byteLength)
    )
    return buffer.slice(0, got.cbActual)
  })

/** Moves to the record of a bookmark. */
export const gotoBookmark: {
  (
    bookmark: Uint8Array
  ): <T extends Table.TableDefinition, I>(cursor: Cursor<T, I>) => Effect.Effect<void, CursorError>
  <T extends Table.TableDefinition, I>(
    cursor: Cursor<T, I>,
    bookmark: Uint8Array
  ): Effect.Effect<void, CursorError>
} = dual(2, (cursor: AnyCursor, bookmark: Uint8Array): Effect.Effect<void, CursorError> =>
  run(
    cursor,
    "JetGotoBookmark",
    (context) =>
      void ok(
        "JetGotoBookmark",
        context.api.JetGotoBookmark(context.sesid, context.tableid, bookmark, bookmark.byteLength)
      )
  ))

/** Counts the records from the current one to the end of the index or range (at most `max`, 0: all). */
export const count: {
  (
    max: number
  ): <T extends Table.TableDefinition, I>(cursor: Cursor<T, I>) => Effect.Effect<number, CursorError>
  <T extends Table.TableDefinition, I>(cursor: Cursor<T, I>, max?: number): Effect.Effect<number, CursorError>
} = dual(
  (args) => isCursor(args[0]),
  (cursor: AnyCursor, max = 0): Effect.Effect<number, CursorError> =>
    run(
      cursor,
      "JetIndexRecordCount",
      (context) =>
        ok("JetIndexRecordCount", context.api.JetIndexRecordCount(context.sesid, context.tableid, max)).count
    )
)

/**
 * Options of {@link stream}: the index to walk (default: the clustered index) and a range of its
 * keys. A table known only by its name may also read only some `columns`; a described table's rows
 * always have every column, as their type says.
 */
export type StreamOptions<T extends Table.TableDefinition = Table.TableDefinition, N = Table.IndexName<T>> =
  & Range<SeekKey<T, N>>
  & {
    /** The index to walk; default: the clustered index. */
    readonly index?: N
    /** Records read per pull. */
    readonly batchSize?: number
  }
  & (string extends keyof T["columns"] ? {
      /** Only these columns; default: all. */
      readonly columns?: ReadonlyArray<string>
    }
    : unknown)

/**
 * A stream of the records of a table in index order, within an optional range. The stream opens
 * its own cursor (on the database in the context, or on a database handle given first) and closes
 * it when it completes, is cut short (`Stream.take`), fails or is interrupted.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { Cursor, Table } from "effect-esent"
 *
 * const People = Table.make({
 *   name: "people",
 *   columns: { id: { type: "Long" }, age: { type: "Long" } },
 *   indexes: [{ name: "by_id", key: ["id"], primary: true }, { name: "by_age", key: ["age"] }]
 * })
 * const adults = Cursor.stream(People, { index: "by_age", from: [18] }).pipe(Stream.take(10))
 * ```
 */
export const stream: {
  <const T extends Table.TableDefinition | string, const N extends Table.IndexName<TableOf<T>>>(
    table: T,
    options?: StreamOptions<TableOf<T>, N>
  ): Stream.Stream<Table.Row<TableOf<T>>, CursorError, EsentDatabase>
  <const T extends Table.TableDefinition | string, const N extends Table.IndexName<TableOf<T>>>(
    database: Database.Database,
    table: T,
    options?: StreamOptions<TableOf<T>, N>
  ): Stream.Stream<Table.Row<TableOf<T>>, CursorError>
} = ((...args: ReadonlyArray<unknown>) =>
  Database.isDatabase(args[0])
    ? streamOn(
      openOn(args[0], nameOf(args[1] as Table.TableDefinition | string), { readOnly: true }),
      (args[2] ?? {}) as StreamOptions
    )
    : streamOn(
      openInContext(nameOf(args[0] as Table.TableDefinition | string), { readOnly: true }),
      (args[1] ?? {}) as StreamOptions
    )) as never

const streamOn = <R>(
  opened: Effect.Effect<Cursor, CursorError, R | Scope.Scope>,
  options: StreamOptions
): Stream.Stream<Row, CursorError, R> =>
  Stream.unwrap(Effect.gen(function*() {
    const cursor = yield* opened
    if (options.index !== undefined) yield* setIndex(cursor as Cursor, options.index)
    const batchSize = Math.max(1, options.batchSize ?? 64)
    return Stream.paginate(true, (first: boolean) =>
      run(cursor, "stream", (context) => {
        const rows: Array<Row> = []
        let more = first ? enterRange(context, cursor, options) : moveSync(context, C.JET_MoveNext)
        while (more) {
          rows.push(readRow(context, cursor, "columns" in options ? options.columns : undefined))
          if (rows.length >= batchSize) break
          more = moveSync(context, C.JET_MoveNext)
        }
        return [rows, more ? Option.some(false) : Option.none()] as const
      }))
  }))
