/**
 * What only the ESENT store has to prove: failures are typed and lose nothing, the data outlives
 * the layer, stores share a database, and the table is checked when it already exists.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Layer, Logger, Scope } from "effect"
import { KeyValueStore } from "effect/persistence"
import { Cursor, EsentKeyValueStore, isJetError } from "../../src/index.ts"
import { jetErrorCodes } from "../../src/jet/errors.generated.ts"
import { makeMemoryEngine, makeMemoryStore, type MemoryStore } from "../../src/memory/index.ts"
import { databaseOnMemory, withDatabaseOn } from "./layers.ts"

const kvOn = (store: MemoryStore, options: EsentKeyValueStore.Options = {}) =>
  EsentKeyValueStore.layer(options).pipe(Layer.provide(databaseOnMemory({ store })))

const useKv = <A, E>(
  layer: Layer.Layer<KeyValueStore.KeyValueStore, unknown>,
  f: (kv: KeyValueStore.KeyValueStore) => Effect.Effect<A, E>
) => Effect.flatMap(Effect.service(KeyValueStore.KeyValueStore), f).pipe(Effect.provide(layer))

/** The failure of an effect that must fail. */
const failureOf = <A, E>(effect: Effect.Effect<A, E>) =>
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
        // The second store gave its session back and closed its cursor; the first keeps working.
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
