/**
 * What only the ESENT store has to prove: failures are typed and lose nothing, the data outlives
 * the layer, stores share a database, and the table is checked when it already exists.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, Deferred, Effect, Exit, Fiber, Layer, Logger, Scope } from "effect"
import { KeyValueStore } from "effect/persistence"
import { Cursor, EsentDatabase, EsentKeyValueStore, isJetError, Transaction } from "../../src/index.ts"
import { jetErrorCodes } from "../../src/jet/errors.generated.ts"
import {
  makeMemoryEngine,
  makeMemoryStore,
  type MemoryEngine,
  type MemoryStore
} from "../../src/memory/index.ts"
import { databaseOnMemory, esentOnMemory, holdSessions, withDatabaseOn } from "./layers.ts"

const kvOn = (store: MemoryStore, options: EsentKeyValueStore.Options = {}) =>
  EsentKeyValueStore.layer(options).pipe(Layer.provide(databaseOnMemory({ store })))

const useKv = <A, E>(
  layer: Layer.Layer<KeyValueStore.KeyValueStore, unknown>,
  f: (kv: KeyValueStore.KeyValueStore) => Effect.Effect<A, E>
) => Effect.flatMap(Effect.service(KeyValueStore.KeyValueStore), f).pipe(Effect.provide(layer))

/** The failure of an effect that must fail. */
const failureOf = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.exit(effect), (exit) => {
    if (Exit.isSuccess(exit)) throw new Error("expected a failure")
    const failure = Cause.findErrorOption(exit.cause)
    if (failure._tag === "None") throw new Error(`expected a typed failure, got ${Cause.pretty(exit.cause)}`)
    return failure.value
  })

describe("ESENT KeyValueStore: failures", () => {
  const withEngine = () => {
    const engine = makeMemoryEngine({ store: makeMemoryStore() })
    const layer = EsentKeyValueStore.layer().pipe(Layer.provide(databaseOnMemory({ engine })))
    return { engine, layer }
  }

  it.effect("a failed set is a KeyValueStoreError with the JET error as cause, and keeps the old value", () => {
    const { engine, layer } = withEngine()
    return useKv(layer, (kv) =>
      Effect.gen(function*() {
        yield* kv.set("k", "old")
        engine.injectFault({ method: "JetUpdate", err: jetErrorCodes.JET_errDiskFull })
        const error = yield* failureOf(kv.set("k", "new"))
        engine.clearFaults()
        expect(error).toBeInstanceOf(KeyValueStore.KeyValueStoreError)
        expect(error.method).toBe("set")
        expect(error.key).toBe("k")
        expect(isJetError(error.cause)).toBe(true)
        expect((error.cause as { _tag: string })._tag).toBe("JET_errDiskFull")
        expect(yield* kv.get("k")).toBe("old")
        expect(yield* kv.size).toBe(1)
      }))
  })

  it.effect("a failed commit rolls the whole operation back", () => {
    const { engine, layer } = withEngine()
    return useKv(layer, (kv) =>
      Effect.gen(function*() {
        yield* kv.set("a", "1")
        yield* kv.set("b", "2")
        engine.injectFault({ method: "JetCommitTransaction", call: 1, err: jetErrorCodes.JET_errDiskFull })
        const error = yield* failureOf(kv.clear)
        expect(error.method).toBe("clear")
        expect((error.cause as { _tag: string })._tag).toBe("JET_errDiskFull")
        expect([...yield* kv.keys].sort()).toEqual(["a", "b"])

        engine.injectFault({ method: "JetCommitTransaction", call: 1, err: jetErrorCodes.JET_errDiskFull })
        expect((yield* failureOf(kv.modify("a", (v) => `${v}!`))).method).toBe("modify")
        expect(yield* kv.get("a")).toBe("1")

        engine.injectFault({ method: "JetCommitTransaction", call: 1, err: jetErrorCodes.JET_errDiskFull })
        yield* failureOf(kv.set("c", new Uint8Array([3])))
        expect(yield* kv.has("c")).toBe(false)
      }))
  })

  it.effect("a clear failing half-way deletes nothing", () => {
    const { engine, layer } = withEngine()
    return useKv(layer, (kv) =>
      Effect.gen(function*() {
        for (const key of ["a", "b", "c", "d"]) yield* kv.set(key, key)
        engine.injectFault({ method: "JetDelete", call: 3, err: jetErrorCodes.JET_errDiskIO })
        const error = yield* failureOf(kv.clearPrefix(""))
        engine.clearFaults()
        expect((error.cause as { _tag: string })._tag).toBe("JET_errDiskIO")
        expect(yield* kv.size).toBe(4)
      }))
  })

  it.effect("reads fail typed too, naming the method and the key", () => {
    const { engine, layer } = withEngine()
    return useKv(layer, (kv) =>
      Effect.gen(function*() {
        engine.injectFault({ method: "JetSeek", err: jetErrorCodes.JET_errOutOfMemory })
        const error = yield* failureOf(kv.get("missing"))
        expect(error).toMatchObject({ _tag: "KeyValueStoreError", method: "get", key: "missing" })
        expect((error.cause as { _tag: string })._tag).toBe("JET_errOutOfMemory")
        const has = yield* failureOf(kv.has("missing"))
        expect(has.method).toBe("has")
        engine.clearFaults()
        engine.injectFault({ method: "JetIndexRecordCount", err: jetErrorCodes.JET_errOutOfMemory })
        yield* kv.set("x", "y")
        expect((yield* failureOf(kv.size)).method).toBe("size")
      }))
  })

  it.effect("a modify whose function throws changes nothing", () =>
    useKv(
      EsentKeyValueStore.layer().pipe(Layer.provide(databaseOnMemory())),
      (kv) =>
        Effect.gen(function*() {
          yield* kv.set("k", "v")
          const exit = yield* Effect.exit(kv.modify("k", () => {
            throw new Error("boom")
          }))
          expect(Exit.isFailure(exit) && Cause.hasDies(exit.cause)).toBe(true)
          expect(yield* kv.get("k")).toBe("v")
          expect(yield* kv.modify("k", (v) => `${v}2`)).toBe("v2")
        })
    ))

  it.effect("a database that cannot be opened fails the layer with the JET error", () =>
    Effect.gen(function*() {
      const layer = EsentKeyValueStore.layer().pipe(Layer.provide(databaseOnMemory({ path: "" })))
      const error = yield* failureOf(Layer.build(layer).pipe(Effect.scoped))
      expect((error as { _tag: string })._tag).toBe("JET_errInvalidPath")
    }))
})

describe("ESENT KeyValueStore: the table", () => {
  it.effect("the data outlives the layer: a new instance on the same files reads it", () =>
    Effect.gen(function*() {
      const store = makeMemoryStore()
      const bytes = Uint8Array.from({ length: 256 }, (_, i) => i)
      yield* useKv(kvOn(store), (kv) => Effect.all([kv.set("s", "text"), kv.set("b", bytes)]))
      const [s, b, size] = yield* useKv(
        kvOn(store),
        (kv) => Effect.all([kv.get("s"), kv.getUint8Array("b"), kv.size])
      )
      expect(s).toBe("text")
      expect(b).toEqual(bytes)
      expect(size).toBe(2)
    }))

  it.effect("stores with different tables share one database and see only their own keys", () =>
    Effect.gen(function*() {
      const store = makeMemoryStore()
      const engine = makeMemoryEngine({ store })
      const esent = databaseOnMemory({ engine, path: "shared.edb" })
      const first = EsentKeyValueStore.make({ table: "first" })
      const second = EsentKeyValueStore.make({ table: "second" })
      yield* Effect.gen(function*() {
        const a = yield* first
        const b = yield* Effect.scoped(Effect.gen(function*() {
          const b = yield* second
          yield* a.set("k", "from a")
          yield* b.set("k", "from b")
          expect(yield* a.get("k")).toBe("from a")
          expect(yield* b.get("k")).toBe("from b")
          yield* b.clear
          expect(yield* a.get("k")).toBe("from a")
          return b
        }))
        // The second store's scope has ended, so it refuses operations; the first keeps working.
        yield* a.set("k2", "still")
        expect([...yield* a.keys].sort()).toEqual(["k", "k2"])
        expect((yield* failureOf(b.get("k"))).method).toBe("get")
      }).pipe(Effect.scoped, Effect.provide(esent))
      expect(engine.inspect().instances).toEqual([])
    }))

  it.effect("a store may close before another on the same database: the other keeps working, and nothing is logged", () =>
    Effect.gen(function*() {
      const engine = makeMemoryEngine({ store: makeMemoryStore() })
      const logs: Array<string> = []
      const logger = Logger.layer([
        Logger.make(({ logLevel, message }) => logs.push(`${logLevel} ${String(message)}`))
      ])
      yield* Effect.gen(function*() {
        const outer = yield* Scope.make()
        const b = yield* Effect.gen(function*() {
          const a = yield* EsentKeyValueStore.make({ table: "first" })
          const b = yield* EsentKeyValueStore.make({ table: "second" }).pipe(
            Scope.provide(outer)
          )
          yield* a.set("k", "a")
          return b
        }).pipe(Effect.scoped)
        yield* b.set("k", "b")
        expect(yield* b.get("k")).toBe("b")
        yield* Scope.close(outer, Exit.void)
      }).pipe(Effect.provide(databaseOnMemory({ engine, path: "shared.edb" })), Effect.provide(logger))
      expect(logs).toEqual([])
      expect(engine.inspect().instances).toEqual([])
    }))

  it.effect("an existing table without the store's columns fails the layer, naming the column", () =>
    Effect.gen(function*() {
      const store = makeMemoryStore()
      yield* withDatabaseOn(store, (db) =>
        Effect.gen(function*() {
          yield* EsentKeyValueStore.openTable(db, {
            name: "effect_kvs",
            columns: { hash: { type: "Binary" }, key: { type: "LongText" } }
          })
        }))
      const error = yield* failureOf(Layer.build(kvOn(store)).pipe(Effect.scoped))
      expect(error).toMatchObject({ _tag: "UnknownColumnError", table: "effect_kvs", column: "value" })

      yield* withDatabaseOn(store, (db) =>
        Effect.gen(function*() {
          yield* EsentKeyValueStore.openTable(db, {
            name: "typed",
            columns: { hash: { type: "Binary" }, key: { type: "Text" } }
          })
        }))
      const typed = yield* failureOf(Layer.build(kvOn(store, { table: "typed" })).pipe(Effect.scoped))
      expect(typed).toMatchObject({ _tag: "ColumnValueError", table: "typed", column: "key" })
    }))

  it.effect("a record whose key does not match its digest is reported, never returned", () =>
    Effect.gen(function*() {
      const store = makeMemoryStore()
      yield* withDatabaseOn(store, (db) =>
        Effect.gen(function*() {
          const cursor = yield* EsentKeyValueStore.openTable(
            db,
            EsentKeyValueStore.tableDefinition("effect_kvs")
          )
          yield* Cursor.insert(cursor, {
            hash: EsentKeyValueStore.keyHash("a"),
            key: "b",
            value: new Uint8Array([1]),
            value_type: 0
          })
          yield* Cursor.insert(cursor, {
            hash: EsentKeyValueStore.keyHash("t"),
            key: "t",
            value: new Uint8Array([1]),
            value_type: 7
          })
        }))
      yield* useKv(kvOn(store), (kv) =>
        Effect.gen(function*() {
          const error = yield* failureOf(kv.get("a"))
          expect(error.message).toContain("same SHA-256 digest")
          expect((yield* failureOf(kv.set("a", "x"))).method).toBe("set")
          const typed = yield* failureOf(kv.get("t"))
          expect(typed.message).toBe("Invalid stored value type for key t: 7")
        }))
    }))

  it.effect("a lone surrogate in a string value reads back as U+FFFD, as with effect's layerSql", () =>
    useKv(
      EsentKeyValueStore.layer().pipe(Layer.provide(databaseOnMemory())),
      (kv) =>
        Effect.gen(function*() {
          yield* kv.set("k", "a\uD800b")
          expect(yield* kv.get("k")).toBe("a\uFFFDb")
          yield* kv.set("\uDC00", "lone key")
          expect([...yield* kv.keys].sort()).toEqual(["\uDC00", "k"].sort())
        })
    ))
})

describe("ESENT KeyValueStore: sessions and transactions", () => {
  /** The store and its database both in the context, on a pool of `sessions` sessions. */
  const kvWithDatabase = (engine: MemoryEngine, sessions?: number) =>
    EsentKeyValueStore.layer().pipe(
      Layer.provideMerge(
        EsentDatabase.layer(sessions === undefined ? { path: "kvs.edb" } : { path: "kvs.edb", sessions })
          .pipe(
            Layer.provide(esentOnMemory({ engine }))
          )
      )
    )

  it.effect("the store holds no session between operations: every session of the pool can be borrowed at once", () => {
    const engine = makeMemoryEngine({ store: makeMemoryStore() })
    const sessions = 2
    return Effect.gen(function*() {
      const kv = yield* KeyValueStore.KeyValueStore
      yield* kv.set("k", "v")
      const holders = yield* holdSessions(sessions)
      expect(holders.held()).toBe(sessions)
      // With every session lent, an operation waits for one instead of failing or running on a held one.
      const waiting = yield* Effect.forkChild(kv.set("k", "later"))
      for (let i = 0; i < 10; i++) yield* Effect.yieldNow
      expect(waiting.pollUnsafe()).toBeUndefined()
      yield* holders.release
      yield* Fiber.join(waiting)
      expect(yield* kv.get("k")).toBe("later")
    }).pipe(Effect.provide(kvWithDatabase(engine, sessions)))
  })

  it.effect("a set inside a transaction that fails is rolled back with it; inside one that succeeds it is kept", () => {
    const engine = makeMemoryEngine({ store: makeMemoryStore() })
    return Effect.gen(function*() {
      const kv = yield* KeyValueStore.KeyValueStore
      yield* kv.set("kept", "before")
      const failed = yield* Effect.exit(
        Effect.gen(function*() {
          yield* kv.set("k", "v")
          yield* kv.set("kept", "changed")
          yield* kv.remove("gone")
          // The transaction sees its own writes.
          expect(yield* kv.get("k")).toBe("v")
          expect(yield* kv.get("kept")).toBe("changed")
          return yield* Effect.fail("boom" as const)
        }).pipe(Transaction.withTransaction())
      )
      expect(Exit.isFailure(failed)).toBe(true)
      expect(yield* kv.has("k")).toBe(false)
      expect(yield* kv.get("kept")).toBe("before")

      yield* Effect.gen(function*() {
        yield* kv.set("k", "v")
        yield* kv.modify("kept", (v) => `${v}!`)
      }).pipe(Transaction.withTransaction())
      expect(yield* kv.get("k")).toBe("v")
      expect(yield* kv.get("kept")).toBe("before!")
    }).pipe(Effect.provide(kvWithDatabase(engine)))
  })

  it.effect("inside a transaction, the store runs on the transaction's session as a nested level", () => {
    const engine = makeMemoryEngine({ store: makeMemoryStore() })
    return Effect.gen(function*() {
      const kv = yield* KeyValueStore.KeyValueStore
      yield* kv.set("a", "1")
      // A pool of one session: were the store to borrow a session of its own inside the
      // transaction, it would wait for ever for the one the transaction holds.
      yield* Effect.gen(function*() {
        yield* kv.set("b", "2")
        // A failed operation rolls back its own level only; the transaction goes on.
        engine.injectFault({ method: "JetUpdate", call: 1, err: jetErrorCodes.JET_errDiskFull })
        const error = yield* failureOf(kv.set("c", "3"))
        expect((error.cause as { _tag: string })._tag).toBe("JET_errDiskFull")
        expect(yield* kv.has("c")).toBe(false)
        expect(yield* kv.get("b")).toBe("2")
      }).pipe(Transaction.withTransaction())
      expect([...yield* kv.keys].sort()).toEqual(["a", "b"])
    }).pipe(Effect.provide(kvWithDatabase(engine, 1)))
  })

  it.effect("a write that is its own transaction runs again after a write conflict; inside the caller's transaction it does not", () => {
    const engine = makeMemoryEngine({ store: makeMemoryStore() })
    return Effect.gen(function*() {
      const kv = yield* KeyValueStore.KeyValueStore
      yield* kv.set("k", "0")
      engine.injectFault({ method: "JetUpdate", call: 1, err: jetErrorCodes.JET_errWriteConflict })
      yield* kv.set("k", "1")
      expect(yield* kv.get("k")).toBe("1")

      engine.injectFault({ method: "JetUpdate", call: 1, err: jetErrorCodes.JET_errWriteConflict })
      const error = yield* failureOf(kv.set("k", "2").pipe(Transaction.withTransaction()))
      expect((error as { cause: { _tag: string } }).cause._tag).toBe("JET_errWriteConflict")
      engine.clearFaults()
      expect(yield* kv.get("k")).toBe("1")
    }).pipe(Effect.provide(kvWithDatabase(engine)))
  })

  it.effect("a write meeting another session's open transaction waits for its commit, or fails once it has tried enough", () => {
    const engine = makeMemoryEngine({ store: makeMemoryStore() })
    return Effect.gen(function*() {
      const kv = yield* KeyValueStore.KeyValueStore
      yield* kv.set("k", "0")
      const written = yield* Deferred.make<void>()
      const commit = yield* Deferred.make<void>()
      const holdK = (value: string) =>
        Effect.gen(function*() {
          yield* kv.set("k", value)
          yield* Deferred.succeed(written, undefined)
          yield* Deferred.await(commit)
        }).pipe(Transaction.withTransaction())

      // The other transaction stays open: the write gives up with the conflict, changing nothing.
      const first = yield* Effect.forkChild(holdK("a"))
      yield* Deferred.await(written)
      const error = yield* failureOf(kv.set("k", "b"))
      expect(error.method).toBe("set")
      expect((error.cause as { _tag: string })._tag).toBe("JET_errWriteConflict")
      yield* Deferred.succeed(commit, undefined)
      yield* Fiber.join(first)
      expect(yield* kv.get("k")).toBe("a")

      // The other transaction commits while the write is retrying: the write then succeeds.
      const written2 = yield* Deferred.make<void>()
      const commit2 = yield* Deferred.make<void>()
      const second = yield* Effect.forkChild(
        Effect.gen(function*() {
          yield* kv.set("k", "c")
          yield* Deferred.succeed(written2, undefined)
          yield* Deferred.await(commit2)
        }).pipe(Transaction.withTransaction())
      )
      yield* Deferred.await(written2)
      const modify = yield* Effect.forkChild(kv.modify("k", (v) => `${v}+d`))
      for (let i = 0; i < 5; i++) yield* Effect.yieldNow
      expect(modify.pollUnsafe()).toBeUndefined()
      yield* Deferred.succeed(commit2, undefined)
      yield* Fiber.join(second)
      expect(yield* Fiber.join(modify)).toBe("c+d")
      expect(yield* kv.get("k")).toBe("c+d")
    }).pipe(Effect.provide(kvWithDatabase(engine)))
  })
})
