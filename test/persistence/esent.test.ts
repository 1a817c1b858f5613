/**
 * What only the ESENT backing store has to prove: expired entries leave the table, failures are
 * typed and lose nothing, and the data outlives the layer.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, Deferred, Duration, Effect, Exit, Fiber, Layer, Schema } from "effect"
import { KeyValueStore, Persistable, Persistence } from "effect/persistence"
import { TestClock } from "effect/testing"
import {
  Cursor,
  EsentDatabase,
  EsentKeyValueStore,
  EsentPersistence,
  isJetError,
  Transaction
} from "../../src/index.ts"
import { jetErrorCodes } from "../../src/jet/errors.generated.ts"
import { makeMemoryEngine, makeMemoryStore, type MemoryStore } from "../../src/memory/index.ts"
import { databaseOnMemory, esentOnMemory, holdSessions } from "../kvs/layers.ts"

const database = "persistence.edb"

/** The backing store and the database it runs on, both in the context. */
const backingOn = (store: MemoryStore, options: EsentPersistence.Options = {}) =>
  EsentPersistence.layerBacking(options).pipe(Layer.provideMerge(databaseOnMemory({ store, path: database })))

/** How many records the table has, read through a session of the pool. */
const countRecords = (table = EsentPersistence.defaultTable) =>
  Effect.scoped(Effect.gen(function*() {
    const cursor = yield* Cursor.open(table)
    return (yield* Cursor.moveFirst(cursor)) ? yield* Cursor.count(cursor) : 0
  }))

/** Lets the layer's cleanup fiber run, then counts. */
const countAfterCleanup = (table?: string) =>
  Effect.gen(function*() {
    for (let i = 0; i < 10; i++) yield* Effect.yieldNow
    return yield* countRecords(table)
  })

const failureOf = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.map(Effect.exit(effect), (exit) => {
    if (Exit.isSuccess(exit)) throw new Error("expected a failure")
    const failure = Cause.findErrorOption(exit.cause)
    if (failure._tag === "None") throw new Error(`expected a typed failure, got ${Cause.pretty(exit.cause)}`)
    return failure.value
  })

describe("ESENT BackingPersistence: expiry", () => {
  it.effect("expired entries are deleted from the table every cleanup interval", () =>
    Effect.gen(function*() {
      const backing = yield* Persistence.BackingPersistence
      const store = yield* backing.make("s")
      yield* store.setMany([
        ["short", { v: 1 }, Duration.seconds(30)],
        ["long", { v: 2 }, Duration.minutes(7)],
        ["never", { v: 3 }, undefined]
      ])
      expect(yield* countRecords()).toBe(3)
      yield* TestClock.adjust(Duration.minutes(1))
      // Expired, so absent, but still stored until the next cleanup.
      expect(yield* store.get("short")).toBeUndefined()
      expect(yield* countRecords()).toBe(3)
      yield* TestClock.adjust(Duration.minutes(4))
      expect(yield* countAfterCleanup()).toBe(2)
      yield* TestClock.adjust(Duration.minutes(5))
      expect(yield* countAfterCleanup()).toBe(1)
      expect(yield* store.get("never")).toEqual({ v: 3 })
    }).pipe(Effect.provide(backingOn(makeMemoryStore()))))

  it.effect("the cleanup interval is an option, and a new layer cleans up when it starts", () =>
    Effect.gen(function*() {
      const files = makeMemoryStore()
      yield* Effect.gen(function*() {
        const store = yield* (yield* Persistence.BackingPersistence).make("s")
        yield* store.set("a", { v: 1 }, Duration.seconds(1))
        yield* store.set("b", { v: 2 }, Duration.seconds(20))
        yield* TestClock.adjust(Duration.seconds(10))
        expect(yield* countAfterCleanup()).toBe(1)
      }).pipe(Effect.provide(backingOn(files, { cleanupInterval: "10 seconds" })))
      yield* TestClock.adjust(Duration.seconds(20))
      yield* Effect.gen(function*() {
        expect(yield* countAfterCleanup()).toBe(0)
      }).pipe(Effect.provide(backingOn(files)))
    }))

  it.effect("entries and their expiry outlive the layer", () =>
    Effect.gen(function*() {
      const files = makeMemoryStore()
      const write = Effect.gen(function*() {
        const store = yield* (yield* Persistence.BackingPersistence).make("s")
        yield* store.set("kept", { v: 1 }, undefined)
        yield* store.set("soon", { v: 2 }, Duration.seconds(5))
      })
      const read = Effect.gen(function*() {
        const store = yield* (yield* Persistence.BackingPersistence).make("s")
        return yield* store.getMany(["kept", "soon"])
      })
      yield* write.pipe(Effect.provide(backingOn(files)))
      expect(yield* read.pipe(Effect.provide(backingOn(files)))).toEqual([{ v: 1 }, { v: 2 }])
      yield* TestClock.adjust(Duration.seconds(5))
      expect(yield* read.pipe(Effect.provide(backingOn(files)))).toEqual([{ v: 1 }, undefined])
    }))
})

describe("ESENT BackingPersistence: failures", () => {
  const withEngine = () => {
    const engine = makeMemoryEngine({ store: makeMemoryStore() })
    const layer = EsentPersistence.layerBacking().pipe(
      Layer.provideMerge(databaseOnMemory({ engine, path: database }))
    )
    return { engine, layer }
  }

  it.effect("a failed set is a PersistenceError with the JET error as cause, and keeps the old value", () => {
    const { engine, layer } = withEngine()
    return Effect.gen(function*() {
      const store = yield* (yield* Persistence.BackingPersistence).make("s")
      yield* store.set("k", { v: "old" }, undefined)
      engine.injectFault({ method: "JetUpdate", err: jetErrorCodes.JET_errDiskFull })
      const error = yield* failureOf(store.set("k", { v: "new" }, Duration.seconds(1)))
      engine.clearFaults()
      expect(error).toBeInstanceOf(Persistence.PersistenceError)
      expect(isJetError(error.cause)).toBe(true)
      expect((error.cause as { _tag: string })._tag).toBe("JET_errDiskFull")
      yield* TestClock.adjust(Duration.seconds(2))
      expect(yield* store.get("k")).toEqual({ v: "old" })
    }).pipe(Effect.provide(layer))
  })

  it.effect("setMany is one transaction: a failure in the middle stores none of it", () => {
    const { engine, layer } = withEngine()
    return Effect.gen(function*() {
      const store = yield* (yield* Persistence.BackingPersistence).make("s")
      yield* store.set("b", { v: "old" }, undefined)
      engine.injectFault({ method: "JetUpdate", call: 3, err: jetErrorCodes.JET_errDiskFull })
      const error = yield* failureOf(store.setMany([
        ["a", { v: 1 }, undefined],
        ["b", { v: 2 }, undefined],
        ["c", { v: 3 }, undefined]
      ]))
      engine.clearFaults()
      expect(error.message).toBe("Failed to setMany in backing store")
      expect(yield* store.getMany(["a", "b", "c"])).toEqual([undefined, { v: "old" }, undefined])
    }).pipe(Effect.provide(layer))
  })

  it.effect("a clear failing half-way removes nothing", () => {
    const { engine, layer } = withEngine()
    return Effect.gen(function*() {
      const store = yield* (yield* Persistence.BackingPersistence).make("s")
      yield* store.setMany([["a", { v: 1 }, undefined], ["b", { v: 2 }, undefined], [
        "c",
        { v: 3 },
        undefined
      ]])
      engine.injectFault({ method: "JetDelete", call: 2, err: jetErrorCodes.JET_errDiskIO })
      const error = yield* failureOf(store.clear)
      engine.clearFaults()
      expect((error.cause as { _tag: string })._tag).toBe("JET_errDiskIO")
      expect(yield* store.getMany(["a", "b", "c"])).toEqual([{ v: 1 }, { v: 2 }, { v: 3 }])
    }).pipe(Effect.provide(layer))
  })

  it.effect("a value JSON cannot encode fails with a PersistenceError and writes nothing", () =>
    Effect.gen(function*() {
      const store = yield* (yield* Persistence.BackingPersistence).make("s")
      const circular: Record<string, unknown> = {}
      circular["self"] = circular
      const error = yield* failureOf(store.set("k", { n: 1n }, undefined))
      expect(error.message).toBe("Failed to serialize value for key k to backing store")
      yield* failureOf(store.setMany([["ok", { v: 1 }, undefined], ["bad", circular, undefined]]))
      expect(yield* store.getMany(["k", "ok", "bad"])).toEqual([undefined, undefined, undefined])
      expect(yield* countRecords()).toBe(0)
    }).pipe(Effect.provide(backingOn(makeMemoryStore()))))

  it.effect("an unreadable record fails get, is a miss to getMany, and a forged digest is reported", () =>
    Effect.gen(function*() {
      const files = makeMemoryStore()
      yield* Effect.gen(function*() {
        const { database: db } = yield* Effect.flatMap(Effect.service(EsentDatabase), (pool) => pool.borrow)
        const cursor = yield* EsentKeyValueStore.openTable(
          db,
          EsentPersistence.tableDefinition("effect_persistence")
        )
        const record = (key: string, id: string, json: string) =>
          Cursor.insert(cursor, {
            store_hash: EsentKeyValueStore.keyHash("s"),
            key_hash: EsentKeyValueStore.keyHash(key),
            store_id: "s",
            id,
            value: new TextEncoder().encode(json),
            expires: null
          })
        yield* record("broken", "broken", "{not json")
        yield* record("forged", "other", "{}")
        yield* record("fine", "fine", '{"ok":true}')
      }).pipe(Effect.scoped, Effect.provide(databaseOnMemory({ store: files, path: database })))
      yield* Effect.gen(function*() {
        const store = yield* (yield* Persistence.BackingPersistence).make("s")
        expect((yield* failureOf(store.get("broken"))).message).toBe(
          "Failed to parse value for key broken from backing store"
        )
        expect(yield* store.getMany(["broken", "fine"])).toEqual([undefined, { ok: true }])
        expect((yield* failureOf(store.get("forged"))).message).toContain("same SHA-256 digests")
      }).pipe(Effect.provide(backingOn(files)))
    }))
})

describe("ESENT Persistence and KeyValueStore on one database", () => {
  it.effect("each keeps its own table; effect's layerKvs also runs on the ESENT KeyValueStore", () =>
    Effect.gen(function*() {
      const files = makeMemoryStore()
      const both = Layer.mergeAll(EsentPersistence.layerBacking(), EsentKeyValueStore.layer()).pipe(
        Layer.provideMerge(databaseOnMemory({ store: files, path: database }))
      )
      yield* Effect.gen(function*() {
        const backing = yield* (yield* Persistence.BackingPersistence).make("s")
        const kv = yield* KeyValueStore.KeyValueStore
        yield* backing.set("k", { from: "persistence" }, undefined)
        yield* kv.set("k", "from kvs")
        expect(yield* backing.get("k")).toEqual({ from: "persistence" })
        expect(yield* kv.get("k")).toBe("from kvs")
        expect(yield* countRecords()).toBe(1)
        expect(yield* countRecords(EsentKeyValueStore.defaultTable)).toBe(1)

        const viaKvs = yield* Effect.provide(
          Effect.flatMap(Effect.service(Persistence.BackingPersistence), (b) => b.make("s")),
          Persistence.layerBackingKvs.pipe(Layer.provide(Layer.succeed(KeyValueStore.KeyValueStore, kv)))
        )
        yield* viaKvs.set("x", { via: "kvs" }, Duration.seconds(1))
        expect(yield* viaKvs.get("x")).toEqual({ via: "kvs" })
        expect(yield* kv.has("s:x")).toBe(true)
        yield* TestClock.adjust(Duration.seconds(1))
        expect(yield* viaKvs.get("x")).toBeUndefined()
      }).pipe(Effect.provide(both))
    }))
})

class CachedName extends Persistable.Class<{ payload: { id: number } }>()("CachedName", {
  primaryKey: (request) => `name:${request.id}`,
  success: Schema.String,
  error: Schema.String
}) {}

describe("ESENT BackingPersistence: sessions and transactions", () => {
  /** The backing store and the key-value store on one database of `sessions` sessions, all in the context. */
  const bothOn = (sessions?: number) =>
    Layer.mergeAll(EsentPersistence.layerBacking(), EsentKeyValueStore.layer()).pipe(
      Layer.provideMerge(
        EsentDatabase.layer(sessions === undefined ? { path: database } : { path: database, sessions }).pipe(
          Layer.provide(esentOnMemory())
        )
      )
    )

  it.effect("neither store holds a session between operations: every session of the pool can be borrowed at once", () => {
    const sessions = 3
    return Effect.gen(function*() {
      const backing = yield* (yield* Persistence.BackingPersistence).make("s")
      const kv = yield* KeyValueStore.KeyValueStore
      yield* backing.set("k", { v: 1 }, undefined)
      yield* kv.set("k", "v")
      // Let the cleanup fiber run too.
      for (let i = 0; i < 10; i++) yield* Effect.yieldNow
      const holders = yield* holdSessions(sessions)
      expect(holders.held()).toBe(sessions)
      yield* holders.release
      expect(yield* backing.get("k")).toEqual({ v: 1 })
    }).pipe(Effect.provide(bothOn(sessions)))
  })

  it.effect("the cleanup borrows a session of its own, never the one its maker held", () =>
    Effect.gen(function*() {
      // Made inside withSession on a pool of one session: the only session, lent afterwards to others.
      const backing = yield* EsentDatabase.withSession(
        EsentPersistence.makeBacking({ cleanupInterval: "10 seconds" })
      )
      const store = yield* backing.make("s")
      yield* store.set("soon", { v: 1 }, Duration.seconds(1))
      yield* store.set("never", { v: 2 }, undefined)
      const adjusted = yield* Deferred.make<void>()
      const counted = yield* Deferred.make<number>()
      const release = yield* Deferred.make<void>()
      const holder = yield* Effect.forkChild(EsentDatabase.withSession(Effect.gen(function*() {
        yield* Deferred.await(adjusted)
        yield* Deferred.succeed(counted, yield* countRecords())
        yield* Deferred.await(release)
      })))
      for (let i = 0; i < 10; i++) yield* Effect.yieldNow
      // The cleanup is due while another fiber holds the only session: it waits for it.
      yield* TestClock.adjust(Duration.seconds(10))
      for (let i = 0; i < 10; i++) yield* Effect.yieldNow
      yield* Deferred.succeed(adjusted, undefined)
      expect(yield* Deferred.await(counted)).toBe(2)
      yield* Deferred.succeed(release, undefined)
      yield* Fiber.join(holder)
      expect(yield* countAfterCleanup()).toBe(1)
    }).pipe(
      Effect.scoped,
      Effect.provide(
        EsentDatabase.layer({ path: database, sessions: 1 }).pipe(Layer.provide(esentOnMemory()))
      )
    ))

  it.effect("set, setMany, remove and clear inside a failing transaction are rolled back; inside a succeeding one they are kept", () =>
    Effect.gen(function*() {
      const store = yield* (yield* Persistence.BackingPersistence).make("s")
      yield* store.setMany([["kept", { v: "before" }, undefined], ["other", { v: 0 }, undefined]])
      const failed = yield* Effect.exit(
        Effect.gen(function*() {
          yield* store.set("new", { v: 1 }, undefined)
          yield* store.setMany([["many", { v: 2 }, undefined]])
          yield* store.remove("kept")
          expect(yield* store.getMany(["new", "many", "kept"])).toEqual([{ v: 1 }, { v: 2 }, undefined])
          yield* store.clear
          expect(yield* store.get("other")).toBeUndefined()
          return yield* Effect.fail("boom" as const)
        }).pipe(Transaction.withTransaction())
      )
      expect(Exit.isFailure(failed)).toBe(true)
      expect(yield* store.getMany(["new", "many", "kept", "other"])).toEqual([
        undefined,
        undefined,
        { v: "before" },
        { v: 0 }
      ])

      yield* Effect.gen(function*() {
        yield* store.set("new", { v: 1 }, undefined)
        yield* store.remove("kept")
      }).pipe(Transaction.withTransaction())
      expect(yield* store.getMany(["new", "kept", "other"])).toEqual([{ v: 1 }, undefined, { v: 0 }])
    }).pipe(Effect.provide(backingOn(makeMemoryStore()))))

  it.effect("effect's Persistence over the backing store joins the caller's transaction too", () =>
    Effect.gen(function*() {
      const persistence = yield* Persistence.Persistence
      const store = yield* persistence.make({ storeId: "users" })
      const key = new CachedName({ id: 1 })
      const failed = yield* Effect.exit(
        Effect.andThen(store.set(key, Exit.succeed("Ada")), Effect.fail("boom" as const)).pipe(
          Transaction.withTransaction()
        )
      )
      expect(Exit.isFailure(failed)).toBe(true)
      expect(yield* store.get(key)).toBeUndefined()
      yield* store.set(key, Exit.succeed("Ada")).pipe(Transaction.withTransaction())
      expect(yield* store.get(key)).toEqual(Exit.succeed("Ada"))
    }).pipe(
      Effect.scoped,
      Effect.provide(
        Persistence.layer.pipe(Layer.provideMerge(backingOn(makeMemoryStore())))
      )
    ))
})
