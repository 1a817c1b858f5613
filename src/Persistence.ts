/**
 * effect's `Persistence` on ESENT: {@link layerBacking} provides the `BackingPersistence` that
 * effect's `Persistence.layer` stores through, and {@link layer} is that `Persistence` itself, so
 * `PersistedCache`, `PersistedQueue` and friends keep their results in an ESENT database.
 *
 * As effect's `layerBackingSql`, one table (default {@link defaultTable}) holds every store:
 *
 * | column | type | holds |
 * | --- | --- | --- |
 * | `store_hash` | Binary (32 bytes) | SHA-256 of the store id |
 * | `key_hash` | Binary (32 bytes) | SHA-256 of the key |
 * | `store_id` | LongText (UTF-16) | the store id, exactly as given |
 * | `id` | LongText (UTF-16) | the key, exactly as given |
 * | `value` | LongBinary | the value as UTF-8 JSON |
 * | `expires` | LongLong | when the entry expires, in milliseconds of effect's `Clock`; NULL: never |
 *
 * The primary index is (`store_hash`, `key_hash`), so a store's entries sit together and `clear`
 * walks only them; `by_expires` indexes the entries that expire. Digests rather than the strings
 * themselves, because an ESENT index key is cut at 255 bytes and compares Unicode text without case
 * (see the `EsentKeyValueStore` module); the strings are stored beside them and compared on every
 * read.
 *
 * Time to live follows effect's backing stores: a TTL becomes an absolute `expires` through
 * `Persistence.unsafeTtlToExpires` and the `Clock` of the fiber that made the store (a `TestClock`
 * in tests), an entry whose `expires` is at or before the clock's time is absent to `get` and
 * `getMany`, and expired entries are deleted when the layer starts and then every
 * `cleanupInterval` (five minutes unless given), 1000 per transaction.
 *
 * The layer holds no session: as effect's SQL store does with its client, every operation runs on
 * the session of the fiber's transaction (`Transaction.withTransaction`), as the next level of that
 * transaction, committed or rolled back with it; outside one, it borrows a session of the
 * `EsentDatabase` pool for that operation alone. Either way each operation is one transaction level,
 * so `setMany` and `clear` are atomic and a failed operation leaves the table as it was. An
 * operation that is its own transaction and meets another session's change of the same entry (a
 * write conflict) runs again in a fresh transaction, up to a hundred times; inside the caller's
 * transaction the conflict fails the operation, as the snapshot cannot move (retry the whole
 * transaction with `Transaction.retryOnConflict`). Failures are `PersistenceError`s whose `cause`
 * is the JET error.
 *
 * @example
 * ```ts
 * import { Effect, Layer, Schema } from "effect"
 * import { Persistable, PersistedCache } from "effect/persistence"
 * import { Esent, EsentDatabase, EsentPersistence, Jet } from "effect-esent"
 *
 * class GetUser extends Persistable.Class<{ payload: { id: number } }>()("GetUser", {
 *   primaryKey: (req) => `user:${req.id}`,
 *   success: Schema.String,
 *   error: Schema.Never
 * }) {}
 *
 * const program = Effect.gen(function*() {
 *   const users = yield* PersistedCache.make((req: GetUser) => Effect.succeed(`user ${req.id}`), {
 *     storeId: "users",
 *     timeToLive: () => "1 hour"
 *   })
 *   return yield* users.get(new GetUser({ id: 1 }))
 * }).pipe(Effect.scoped)
 *
 * const PersistenceLive = EsentPersistence.layer().pipe(
 *   Layer.provide(EsentDatabase.layer({ path: "app.edb" })),
 *   Layer.provide(Esent.layer({ instanceName: "app" })),
 *   Layer.provide(Jet.layerAuto())
 * )
 * Effect.runPromise(Effect.provide(program, PersistenceLive))
 * ```
 *
 * @module
 */
import { Clock, Duration, Effect, Layer, Schedule } from "effect"
import { Persistence } from "effect/persistence"
import type * as Scope from "effect/Scope"
import * as Cursor from "./Cursor.ts"
import { CurrentConnections, EsentDatabase } from "./EsentDatabase.ts"
import { keyHash, storeOperations } from "./KeyValueStore.ts"
import { CurrentTransactions } from "./Session.ts"
import type * as Table from "./Table.ts"

/**
 * Options of {@link layerBacking}, {@link layer} and {@link makeBacking}.
 *
 * @example
 * ```ts
 * import type { EsentPersistence } from "effect-esent"
 *
 * const options: EsentPersistence.Options = { database: "app.edb", cleanupInterval: "1 minute" }
 * ```
 */
export interface Options {
  /** The table holding every store, created when missing; default {@link defaultTable}. */
  readonly table?: string
  /** Time between two deletions of expired entries; default five minutes, as effect's SQL store. */
  readonly cleanupInterval?: Duration.Input
}

/**
 * The table name used when {@link Options.table} is not given: effect's SQL table name.
 *
 * @example
 * ```ts
 * import { EsentPersistence } from "effect-esent"
 *
 * EsentPersistence.defaultTable // "effect_persistence"
 * ```
 */
export const defaultTable = "effect_persistence"

/**
 * The definition of the persistence table: the columns and indexes described in the module's notes.
 *
 * @example
 * ```ts
 * import { EsentPersistence, Table } from "effect-esent"
 *
 * declare const db: import("effect-esent").Database.Database
 * const created = Table.create(db, EsentPersistence.tableDefinition("effect_persistence"))
 * ```
 */
export const tableDefinition = (name: string): Table.TableDefinition => ({
  name,
  columns: {
    store_hash: { type: "Binary", maxLength: 32, notNull: true },
    key_hash: { type: "Binary", maxLength: 32, notNull: true },
    store_id: { type: "LongText" },
    id: { type: "LongText" },
    value: { type: "LongBinary" },
    expires: { type: "LongLong" }
  },
  indexes: [
    { name: "by_key", key: ["store_hash", "key_hash"], primary: true, disallowNull: true },
    { name: "by_expires", key: ["expires"], ignoreNull: true }
  ]
})

const cleanupBatchSize = 1000
const int64Min = -(2n ** 63n)

const encoder = new TextEncoder()
const decoder = new TextDecoder("utf-8", { ignoreBOM: true })

/**
 * The stored form of a TTL: whole milliseconds of the clock, rounded up so that an entry never
 * expires early; `null` (never) without a TTL or with an infinite one.
 */
const expiresOf = (clock: Clock.Clock, ttl: Duration.Duration | undefined): bigint | null => {
  const expires = Persistence.unsafeTtlToExpires(clock, ttl)
  return expires === null || !Number.isFinite(expires) ? null : BigInt(Math.ceil(expires))
}

/** Whole milliseconds of the clock now: an entry has expired when its `expires` is at or before it. */
const nowOf = (clock: Clock.Clock): bigint => BigInt(Math.floor(clock.currentTimeMillisUnsafe()))

const persistenceError = (message: string) => (cause: unknown) =>
  cause instanceof Persistence.PersistenceError ? cause : new Persistence.PersistenceError({ message, cause })

/**
 * Builds the backing persistence on the {@link EsentDatabase} in the context, for the current
 * scope: creates the table unless it exists (on a session borrowed for that alone and given back),
 * and starts deleting expired entries until the scope ends. Every operation borrows a session, or
 * joins the fiber's transaction; once the scope has ended, operations fail.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { EsentPersistence } from "effect-esent"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const backing = yield* EsentPersistence.makeBacking()
 *   const store = yield* backing.make("sessions")
 *   yield* store.set("abc", { user: 1 }, undefined)
 *   return yield* store.get("abc")
 * }))
 * ```
 */
export const makeBacking = (
  options: Options = {}
): Effect.Effect<
  Persistence.BackingPersistence["Service"],
  Cursor.CursorError,
  EsentDatabase | Scope.Scope
> =>
  Effect.gen(function*() {
    const { read, run, write } = yield* storeOperations(tableDefinition(options.table ?? defaultTable))

    /** Deletes up to a batch of entries that expired at or before `now`; returns how many. */
    const deleteExpiredBatch = (now: bigint) =>
      run({ operation: "cleanup", index: "by_expires" }, (expiring) =>
        Effect.gen(function*() {
          let deleted = 0
          // From the smallest value: NULL (never expires) sorts before it even if the index kept it.
          let more = yield* Cursor.setRange(expiring, { from: [int64Min], to: [now] })
          while (more && deleted < cleanupBatchSize) {
            yield* Cursor.remove(expiring)
            deleted++
            more = yield* Cursor.moveNext(expiring)
          }
          return deleted
        }))

    const deleteExpired = Effect.gen(function*() {
      const now = BigInt(Math.floor(yield* Clock.currentTimeMillis))
      while ((yield* deleteExpiredBatch(now)) === cleanupBatchSize) yield* Effect.yieldNow
    })

    yield* deleteExpired.pipe(
      Effect.catchCause((cause) =>
        Effect.logWarning("Failed to clean up expired persistence entries", cause)
      ),
      Effect.repeat(Schedule.spaced(options.cleanupInterval ?? Duration.minutes(5))),
      // The cleanup outlives whatever connection or transaction the caller of make is in: it
      // borrows its own each time.
      Effect.provideService(CurrentConnections, new Map()),
      Effect.provideService(CurrentTransactions, new Map()),
      Effect.forkScoped
    )

    return Persistence.BackingPersistence.of({
      make: (storeId) =>
        Effect.clockWith((clock) => {
          const storeHash = keyHash(storeId)

          /** Moves to the entry of `key`; `false` when it has none (expired or not). */
          const seekEntry = (cursor: Cursor.Cursor, key: string) =>
            Effect.gen(function*() {
              if ((yield* Cursor.seek(cursor, [storeHash, keyHash(key)])) !== "found") return false
              const row = yield* Cursor.read(cursor, ["store_id", "id"])
              if (row["store_id"] !== storeId || row["id"] !== key) {
                return yield* Effect.fail(
                  new Persistence.PersistenceError({
                    message: `Key ${key} of store ${storeId} has the same SHA-256 digests as key ${
                      String(row["id"])
                    } of store ${String(row["store_id"])}`
                  })
                )
              }
              return true
            })

          /** The JSON of a live entry, or `undefined`. */
          const readJson = (cursor: Cursor.Cursor, key: string, now: bigint) =>
            Effect.gen(function*() {
              if (!(yield* seekEntry(cursor, key))) return undefined
              const row = yield* Cursor.read(cursor, ["value", "expires"])
              const expires = row["expires"]
              if (typeof expires === "bigint" && expires <= now) return undefined
              const value = row["value"]
              return value instanceof Uint8Array ? decoder.decode(value) : undefined
            })

          const upsert = (cursor: Cursor.Cursor, key: string, value: Uint8Array, expires: bigint | null) =>
            Effect.flatMap(seekEntry(cursor, key), (found) =>
              found
                ? Cursor.replace(cursor, { value, expires })
                : Effect.asVoid(Cursor.insert(cursor, {
                  store_hash: storeHash,
                  key_hash: keyHash(key),
                  store_id: storeId,
                  id: key,
                  value,
                  expires
                })))

          const encode = (key: string, value: object) => {
            try {
              return encoder.encode(JSON.stringify(value))
            } catch (cause) {
              return new Persistence.PersistenceError({
                message: `Failed to serialize value for key ${key} to backing store`,
                cause
              })
            }
          }

          const store: Persistence.BackingPersistenceStore = {
            get: (key) =>
              read("get", (cursor) => Effect.suspend(() => readJson(cursor, key, nowOf(clock)))).pipe(
                Effect.mapError(persistenceError(`Failed to get key ${key} from backing store`)),
                Effect.flatMap((json) => {
                  if (json === undefined) return Effect.undefined
                  try {
                    return Effect.succeed(JSON.parse(json) as object)
                  } catch (cause) {
                    return Effect.fail(
                      new Persistence.PersistenceError({
                        message: `Failed to parse value for key ${key} from backing store`,
                        cause
                      })
                    )
                  }
                })
              ),
            getMany: (keys) =>
              read("getMany", (cursor) =>
                Effect.suspend(() => {
                  const now = nowOf(clock)
                  return Effect.forEach(keys, (key) => readJson(cursor, key, now))
                })).pipe(
                  Effect.mapError(persistenceError("Failed to getMany from backing store")),
                  Effect.map((jsons) => {
                    const out = jsons.map((json): object | undefined => {
                      if (json === undefined) return undefined
                      try {
                        return JSON.parse(json) as object
                      } catch {
                        // As effect's SQL store: an unreadable entry is a miss, not a failure of the batch.
                        return undefined
                      }
                    })
                    return out as [object | undefined, ...Array<object | undefined>]
                  })
                ),
            set: (key, value, ttl) =>
              Effect.suspend(() => {
                const encoded = encode(key, value)
                if (encoded instanceof Persistence.PersistenceError) return Effect.fail(encoded)
                const expires = expiresOf(clock, ttl)
                return write("set", (cursor) => upsert(cursor, key, encoded, expires)).pipe(
                  Effect.mapError(persistenceError(`Failed to set key ${key} in backing store`))
                )
              }),
            setMany: (entries) =>
              Effect.suspend(() => {
                const encoded: Array<readonly [string, Uint8Array, bigint | null]> = []
                for (const [key, value, ttl] of entries) {
                  const bytes = encode(key, value)
                  if (bytes instanceof Persistence.PersistenceError) return Effect.fail(bytes)
                  encoded.push([key, bytes, expiresOf(clock, ttl)])
                }
                return write(
                  "setMany",
                  (cursor) =>
                    Effect.forEach(encoded, ([key, bytes, expires]) => upsert(cursor, key, bytes, expires), {
                      discard: true
                    })
                ).pipe(Effect.mapError(persistenceError("Failed to setMany in backing store")))
              }),
            remove: (key) =>
              write(
                "remove",
                (cursor) =>
                  Effect.flatMap(
                    seekEntry(cursor, key),
                    (found) => found ? Cursor.remove(cursor) : Effect.void
                  )
              )
                .pipe(
                  Effect.mapError(persistenceError(`Failed to remove key ${key} from backing store`))
                ),
            clear: write("clear", (cursor) =>
              Effect.gen(function*() {
                let more = yield* Cursor.setRange(cursor, { from: [storeHash], to: [storeHash] })
                while (more) {
                  // Checked so that a store whose id shares the digest keeps its entries.
                  if ((yield* Cursor.read(cursor, ["store_id"]))["store_id"] === storeId) {
                    yield* Cursor.remove(cursor)
                  }
                  more = yield* Cursor.moveNext(cursor)
                }
              })).pipe(Effect.mapError(persistenceError("Failed to clear backing store")))
          }
          return Effect.succeed(store)
        })
    })
  })

/**
 * effect's `BackingPersistence` service on an ESENT table (see the module's notes for the layout
 * and the TTL rules), on the {@link EsentDatabase} in the context; fails to build with the JET
 * error when the table cannot be created or opened, or exists with other columns.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { Persistence } from "effect/persistence"
 * import { Esent, EsentDatabase, EsentPersistence, Jet } from "effect-esent"
 *
 * const PersistenceLive = Persistence.layer.pipe(
 *   Layer.provide(EsentPersistence.layerBacking()),
 *   Layer.provide(EsentDatabase.layer({ path: "C:\\data\\app.edb" })),
 *   Layer.provide(Esent.layer({ instanceName: "app" })),
 *   Layer.provide(Jet.layerNative())
 * )
 * ```
 */
export const layerBacking = (
  options: Options = {}
): Layer.Layer<Persistence.BackingPersistence, Cursor.CursorError, EsentDatabase> =>
  Layer.effect(Persistence.BackingPersistence, makeBacking(options))

/**
 * effect's `Persistence` service stored in ESENT: `Persistence.layer` over {@link layerBacking}.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { Esent, EsentDatabase, EsentPersistence, Jet } from "effect-esent"
 *
 * const PersistenceLive = EsentPersistence.layer({ table: "cache" }).pipe(
 *   Layer.provide(EsentDatabase.layer({ path: "app.edb" })),
 *   Layer.provide(Esent.layer({ instanceName: "app" })),
 *   Layer.provide(Jet.layerAuto())
 * )
 * ```
 */
export const layer = (
  options: Options = {}
): Layer.Layer<Persistence.Persistence, Cursor.CursorError, EsentDatabase> =>
  Persistence.layer.pipe(Layer.provide(layerBacking(options)))
