/**
 * effect's `KeyValueStore` on an ESENT table, so that whatever is written against effect's
 * interface (`KeyValueStore.toSchemaStore`, `Persistence.layerKvs`, ...) keeps its data in ESENT.
 *
 * One table per store, one record per key:
 *
 * | column | type | holds |
 * | --- | --- | --- |
 * | `hash` | Binary (32 bytes) | SHA-256 of the key's UTF-16 code units; the primary, unique index |
 * | `key` | LongText (UTF-16) | the key, exactly as given |
 * | `value` | LongBinary | a string's UTF-8 bytes, or the bytes given |
 * | `value_type` | UnsignedByte | 0: the value was a string; 1: bytes |
 *
 * Why the index is on a digest and not on the key: an ESENT index key holds at most 255 bytes
 * (`JET_cbKeyMost`) and a longer one is cut without a word, so two long keys sharing their first
 * bytes would meet on one index entry; and Unicode text is indexed case-insensitively, so "a" and
 * "A" would meet too. A binary column compares byte for byte, and a 32-byte digest fits every key
 * length. The full key sits beside it and is compared on every read, so a digest collision is
 * reported as an error instead of mixing two keys up.
 *
 * Values are stored as effect's `layerSql` stores them: `get` of bytes returns their base64, and
 * `getUint8Array` of a string returns its UTF-8 bytes. A string is kept as UTF-8, so a lone
 * surrogate in a value reads back as U+FFFD (keys keep theirs: they are stored as UTF-16).
 *
 * The store holds no session, as effect's `layerSql` holds no connection: every operation runs on
 * the session of the fiber's transaction (`Transaction.withTransaction`), as the next level of that
 * transaction, committed or rolled back with it; outside one, it borrows a session of the
 * `EsentDatabase` pool for that operation alone. Either way each operation is one transaction level
 * (a read-only transaction for reads on their own), so `modify` and `clearPrefix` are atomic and a
 * failed operation leaves the table as it was. Operations running at once use different sessions:
 * one that is its own transaction and meets another session's change of the same key (a write
 * conflict) runs again in a fresh transaction, up to a hundred times, so concurrent `modify`s of
 * one key each see the previous one's result (`modify`'s function may then run more than once);
 * inside the caller's transaction the conflict fails the operation, as the snapshot cannot move
 * (retry the whole transaction with `Transaction.retryOnConflict`). Failures are
 * `KeyValueStoreError`s whose `cause` is the JET error. Being one transaction, a `clear` or
 * `clearPrefix` of a very large store needs a version store (`maxVerPages`) that can hold every
 * deletion.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { KeyValueStore } from "effect/persistence"
 * import { Esent, EsentDatabase, EsentKeyValueStore, Jet } from "effect-esent"
 *
 * const program = Effect.gen(function*() {
 *   const kv = yield* KeyValueStore.KeyValueStore
 *   yield* kv.set("greeting", "hello")
 *   return yield* kv.get("greeting") // "hello"
 * })
 *
 * const KvLive = EsentKeyValueStore.layer().pipe(
 *   Layer.provide(EsentDatabase.layer({ path: "app.edb" })),
 *   Layer.provide(Esent.layer({ instanceName: "app" })),
 *   Layer.provide(Jet.layerAuto())
 * )
 * Effect.runPromise(Effect.provide(program, KvLive))
 * ```
 *
 * @module
 */
import { Effect, Layer } from "effect"
import { Base64 } from "effect/encoding"
import { KeyValueStore } from "effect/persistence"
import type * as Scope from "effect/Scope"
import { createHash } from "node:crypto"
import * as Cursor from "./Cursor.ts"
import * as Database from "./Database.ts"
import { ColumnValueError, UnknownColumnError } from "./Errors.ts"
import { EsentDatabase, withConnection } from "./EsentDatabase.ts"
import { type RunOperation, storeTable } from "./internal/storeTable.ts"
import * as Table from "./Table.ts"

/**
 * Options of {@link layer} and {@link make}.
 *
 * @example
 * ```ts
 * import type { EsentKeyValueStore } from "effect-esent"
 *
 * const options: EsentKeyValueStore.Options = { table: "settings" }
 * ```
 */
export interface Options {
  /** The table holding the store, created when missing; default {@link defaultTable}. */
  readonly table?: string
}

/**
 * The table name used when {@link Options.table} is not given.
 *
 * @example
 * ```ts
 * import { EsentKeyValueStore } from "effect-esent"
 *
 * EsentKeyValueStore.defaultTable // "effect_kvs"
 * ```
 */
export const defaultTable = "effect_kvs"

/**
 * The definition of a store's table: the columns and the index described in the module's notes.
 *
 * @example
 * ```ts
 * import { EsentKeyValueStore, Table } from "effect-esent"
 *
 * declare const db: import("effect-esent").Database.Database
 * const created = Table.create(db, EsentKeyValueStore.tableDefinition("settings"))
 * ```
 */
export const tableDefinition = (name: string): Table.TableDefinition => ({
  name,
  columns: {
    hash: { type: "Binary", maxLength: hashLength, notNull: true },
    key: { type: "LongText" },
    value: { type: "LongBinary" },
    value_type: { type: "UnsignedByte", notNull: true }
  },
  indexes: [{ name: "by_hash", key: ["hash"], primary: true, disallowNull: true }]
})

const hashLength = 32

/**
 * The SHA-256 digest of a string's UTF-16LE code units: exact for every JavaScript string, lone
 * surrogates included, and short enough for any ESENT index key.
 *
 * @example
 * ```ts
 * import { EsentKeyValueStore } from "effect-esent"
 *
 * EsentKeyValueStore.keyHash("x".repeat(10_000)).byteLength // 32
 * ```
 */
export const keyHash = (key: string): Uint8Array => {
  const digest = createHash("sha256").update(Buffer.from(key, "utf16le")).digest()
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength)
}

/**
 * @internal A store's table, created or checked on a borrowed session, and its operations for the
 * current scope: `read` in a read-only transaction, `write` in one of its own, `run` with any
 * options (see `storeTable`).
 */
export const storeOperations = (definition: Table.TableDefinition): Effect.Effect<
  {
    readonly run: RunOperation
    readonly read: <A, E>(
      operation: string,
      body: (cursor: Cursor.Cursor) => Effect.Effect<A, E>
    ) => Effect.Effect<
      A,
      E | Cursor.CursorError
    >
    readonly write: <A, E>(
      operation: string,
      body: (cursor: Cursor.Cursor) => Effect.Effect<A, E>
    ) => Effect.Effect<
      A,
      E | Cursor.CursorError
    >
  },
  Cursor.CursorError,
  EsentDatabase | Scope.Scope
> =>
  Effect.gen(function*() {
    yield* withConnection((connection) => Effect.scoped(openTable(connection.database, definition)))
    const run = yield* storeTable(yield* EsentDatabase, definition.name)
    return {
      run,
      read: (operation, body) => run({ operation, readOnly: true }, body),
      write: (operation, body) => run({ operation }, body)
    }
  })

/**
 * Creates the table unless it exists, then opens a cursor on it for the current scope. An existing
 * table must have every column of the definition with the same type, or this fails with
 * `UnknownColumnError` or `ColumnValueError` naming the column.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { EsentKeyValueStore } from "effect-esent"
 *
 * declare const db: import("effect-esent").Database.Database
 * const cursor = Effect.scoped(EsentKeyValueStore.openTable(db, EsentKeyValueStore.tableDefinition("kv")))
 * ```
 */
export const openTable = (
  database: Database.Database,
  definition: Table.TableDefinition
): Effect.Effect<Cursor.Cursor, Cursor.CursorError, Scope.Scope> =>
  Effect.gen(function*() {
    yield* Table.create(database, definition).pipe(
      Effect.catchTag("JET_errTableDuplicate", () => Effect.void)
    )
    const cursor = yield* Cursor.open(database, definition.name)
    for (const [name, column] of Object.entries(definition.columns)) {
      const found = cursor.columns.get(name)
      if (found === undefined) {
        return yield* Effect.fail(new UnknownColumnError({ table: definition.name, column: name }))
      }
      if (found.type !== column.type) {
        return yield* Effect.fail(
          new ColumnValueError({
            table: definition.name,
            column: name,
            reason: `the existing column is ${found.type ?? `coltyp ${found.coltyp}`}, not ${column.type}`
          })
        )
      }
    }
    return cursor
  })

const ValueTypeString = 0
const ValueTypeUint8Array = 1

const encoder = new TextEncoder()
// ignoreBOM keeps a leading U+FEFF that the string really had.
const decoder = new TextDecoder("utf-8", { ignoreBOM: true })

/** A record as read back: its value bytes and what they were given as. */
interface Entry {
  readonly value: Uint8Array
  readonly valueType: number
}

const storeError = (method: string, key: string | undefined, message: string) => (cause: unknown) =>
  cause instanceof KeyValueStore.KeyValueStoreError
    ? cause
    : new KeyValueStore.KeyValueStoreError(
      key === undefined ? { method, message, cause } : { method, key, message, cause }
    )

const invalid = (method: string, key: string, message: string) =>
  new KeyValueStore.KeyValueStoreError({ method, key, message })

const asString = (
  method: string,
  key: string,
  entry: Entry
): Effect.Effect<string, KeyValueStore.KeyValueStoreError> =>
  entry.valueType === ValueTypeString
    ? Effect.succeed(decoder.decode(entry.value))
    : entry.valueType === ValueTypeUint8Array
    ? Effect.succeed(Base64.encode(entry.value))
    : Effect.fail(invalid(method, key, `Invalid stored value type for key ${key}: ${entry.valueType}`))

const asBytes = (
  method: string,
  key: string,
  entry: Entry
): Effect.Effect<Uint8Array, KeyValueStore.KeyValueStoreError> =>
  entry.valueType === ValueTypeString || entry.valueType === ValueTypeUint8Array
    ? Effect.succeed(entry.value)
    : Effect.fail(invalid(method, key, `Invalid stored value type for key ${key}: ${entry.valueType}`))

const encodeValue = (value: string | Uint8Array) =>
  typeof value === "string"
    ? { value: encoder.encode(value), value_type: ValueTypeString }
    : { value, value_type: ValueTypeUint8Array }

/**
 * Builds the store on the {@link EsentDatabase} in the context, for the current scope: creates the
 * table unless it exists and checks it, on a connection borrowed for that alone. The store holds no
 * session: each operation borrows one from the pool (or joins the fiber's transaction) and gives it
 * back when done. Once the scope has ended, operations fail.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { EsentKeyValueStore } from "effect-esent"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const kv = yield* EsentKeyValueStore.make({ table: "settings" })
 *   yield* kv.set("theme", "dark")
 *   return yield* kv.size
 * }))
 * ```
 */
export const make = (
  options: Options = {}
): Effect.Effect<
  KeyValueStore.KeyValueStore,
  Cursor.CursorError,
  EsentDatabase | Scope.Scope
> =>
  Effect.gen(function*() {
    const { read, write } = yield* storeOperations(tableDefinition(options.table ?? defaultTable))

    /** Moves to the key's record and checks it holds this key; `false` when the key is absent. */
    const seekKey = (cursor: Cursor.Cursor, method: string, key: string) =>
      Effect.gen(function*() {
        if ((yield* Cursor.seek(cursor, [keyHash(key)])) !== "found") return false
        const row = yield* Cursor.read(cursor, ["key"])
        if (row["key"] !== key) {
          return yield* Effect.fail(
            invalid(
              method,
              key,
              `Key ${key} has the same SHA-256 digest as the stored key ${String(row["key"])}`
            )
          )
        }
        return true
      })

    /** The key's record, or `undefined` when the key is absent. */
    const readEntry = (cursor: Cursor.Cursor, method: string, key: string) =>
      Effect.gen(function*() {
        if (!(yield* seekKey(cursor, method, key))) return undefined
        const row = yield* Cursor.read(cursor, ["value", "value_type"])
        const value = row["value"]
        const valueType = row["value_type"]
        if (!(value instanceof Uint8Array) || typeof valueType !== "number") {
          return yield* Effect.fail(invalid(method, key, `Invalid stored value for key ${key}`))
        }
        const entry: Entry = { value, valueType }
        return entry
      })

    /** Replaces the value of the current record, or inserts the key when `found` is false. */
    const store = (cursor: Cursor.Cursor, found: boolean, key: string, value: string | Uint8Array) =>
      found
        ? Cursor.replace(cursor, encodeValue(value))
        : Effect.asVoid(Cursor.insert(cursor, { hash: keyHash(key), key, ...encodeValue(value) }))

    const get = (key: string) =>
      read("get", (cursor) =>
        Effect.flatMap(
          readEntry(cursor, "get", key),
          (entry) => entry === undefined ? Effect.undefined : asString("get", key, entry)
        )).pipe(Effect.mapError(storeError("get", key, `Unable to get item with key ${key}`)))

    const getUint8Array = (key: string) =>
      read("getUint8Array", (cursor) =>
        Effect.flatMap(
          readEntry(cursor, "getUint8Array", key),
          (entry) => entry === undefined ? Effect.undefined : asBytes("getUint8Array", key, entry)
        )).pipe(Effect.mapError(storeError("getUint8Array", key, `Unable to get item with key ${key}`)))

    const set = (key: string, value: string | Uint8Array) =>
      write(
        "set",
        (cursor) => Effect.flatMap(seekKey(cursor, "set", key), (found) => store(cursor, found, key, value))
      ).pipe(Effect.mapError(storeError("set", key, `Unable to set item with key ${key}`)))

    const remove = (key: string) =>
      write(
        "remove",
        (cursor) =>
          Effect.flatMap(
            seekKey(cursor, "remove", key),
            (found) => found ? Cursor.remove(cursor) : Effect.void
          )
      ).pipe(Effect.mapError(storeError("remove", key, `Unable to remove item with key ${key}`)))

    const clear = write("clear", (cursor) =>
      Effect.gen(function*() {
        while (yield* Cursor.moveFirst(cursor)) yield* Cursor.remove(cursor)
      })).pipe(Effect.mapError(storeError("clear", undefined, "Unable to clear storage")))

    const clearPrefix = (prefix: string) =>
      prefix.length === 0
        ? clear
        : write("clearPrefix", (cursor) =>
          Effect.gen(function*() {
            let more = yield* Cursor.moveFirst(cursor)
            while (more) {
              const row = yield* Cursor.read(cursor, ["key"])
              const key = row["key"]
              if (typeof key === "string" && key.startsWith(prefix)) yield* Cursor.remove(cursor)
              more = yield* Cursor.moveNext(cursor)
            }
          })).pipe(
            Effect.mapError(storeError("clearPrefix", prefix, `Unable to clear items with prefix ${prefix}`))
          )

    const size = read("size", (cursor) =>
      Effect.gen(function*() {
        return (yield* Cursor.moveFirst(cursor)) ? yield* Cursor.count(cursor) : 0
      })).pipe(Effect.mapError(storeError("size", undefined, "Unable to get size")))

    const keys = read("keys", (cursor) =>
      Effect.gen(function*() {
        const out: Array<string> = []
        let more = yield* Cursor.moveFirst(cursor)
        while (more) {
          const key = (yield* Cursor.read(cursor, ["key"]))["key"]
          if (typeof key === "string") out.push(key)
          more = yield* Cursor.moveNext(cursor)
        }
        return out as ReadonlyArray<string>
      })).pipe(Effect.mapError(storeError("keys", undefined, "Unable to get keys")))

    const has = (key: string) =>
      read("has", (cursor) => seekKey(cursor, "has", key)).pipe(
        Effect.mapError(storeError("has", key, `Unable to check existence of item with key ${key}`))
      )

    const isEmpty = read("isEmpty", (cursor) => Effect.map(Cursor.moveFirst(cursor), (some) => !some)).pipe(
      Effect.mapError(storeError("isEmpty", undefined, "Unable to check whether the store is empty"))
    )

    const modify = (key: string, f: (value: string) => string) =>
      write("modify", (cursor) =>
        Effect.gen(function*() {
          const entry = yield* readEntry(cursor, "modify", key)
          if (entry === undefined) return undefined
          const next = f(yield* asString("modify", key, entry))
          yield* store(cursor, true, key, next)
          return next
        })).pipe(Effect.mapError(storeError("modify", key, `Unable to modify item with key ${key}`)))

    const modifyUint8Array = (key: string, f: (value: Uint8Array) => Uint8Array) =>
      write("modifyUint8Array", (cursor) =>
        Effect.gen(function*() {
          const entry = yield* readEntry(cursor, "modifyUint8Array", key)
          if (entry === undefined) return undefined
          const next = f(yield* asBytes("modifyUint8Array", key, entry))
          yield* store(cursor, true, key, next)
          return next
        })).pipe(
          Effect.mapError(storeError("modifyUint8Array", key, `Unable to modify item with key ${key}`))
        )

    return KeyValueStore.make({
      get,
      getUint8Array,
      set,
      remove,
      clear,
      clearPrefix,
      size,
      keys,
      has,
      isEmpty,
      modify,
      modifyUint8Array
    })
  })

/**
 * effect's `KeyValueStore` service on a table of the {@link EsentDatabase} in the context (see the
 * module's notes for the layout). Fails to build with the JET error when the table cannot be
 * created or opened, or exists with other columns.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { Esent, EsentDatabase, EsentKeyValueStore, Jet } from "effect-esent"
 *
 * const KvLive = EsentKeyValueStore.layer({ table: "cache" }).pipe(
 *   Layer.provide(EsentDatabase.layer({ path: "C:\\data\\app.edb" })),
 *   Layer.provide(Esent.layer({ instanceName: "app" })),
 *   Layer.provide(Jet.layerNative())
 * )
 * ```
 */
export const layer = (
  options: Options = {}
): Layer.Layer<KeyValueStore.KeyValueStore, Cursor.CursorError, EsentDatabase> =>
  Layer.effect(KeyValueStore.KeyValueStore, make(options))
