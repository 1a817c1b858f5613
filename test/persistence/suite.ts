/**
 * What effect's own persistence layers do, written once and run against each layer: the
 * expectations come from effect's tests of `layerBackingMemory`, `layerBackingSql` and
 * `PersistedCache`, and hold for both.
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Exit, type Layer, Schema } from "effect"
import { Persistable, PersistedCache, Persistence } from "effect/persistence"
import type * as Scope from "effect/Scope"
import { TestClock } from "effect/testing"

type Backing = Persistence.BackingPersistence["Service"]

/** Every test gets a new layer, so tests see nothing of each other. */
export const backingSuite = (
  name: string,
  makeLayer: () => Layer.Layer<Persistence.BackingPersistence, unknown>
) =>
  describe(`BackingPersistence (${name})`, () => {
    const test = (title: string, body: (backing: Backing) => Effect.Effect<void, unknown, Scope.Scope>) =>
      it.effect(
        title,
        () =>
          Effect.flatMap(Effect.service(Persistence.BackingPersistence), body).pipe(
            Effect.scoped,
            Effect.provide(makeLayer())
          )
      )

    test("set + get; setting again replaces", (backing) =>
      Effect.gen(function*() {
        const store = yield* backing.make("test_store")
        expect(yield* store.get("key1")).toBeUndefined()
        yield* store.set("key1", { name: "Alice" }, undefined)
        expect(yield* store.get("key1")).toEqual({ name: "Alice" })
        yield* store.set("key1", { name: "Alice", age: 36 }, undefined)
        expect(yield* store.get("key1")).toEqual({ name: "Alice", age: 36 })
      }))

    test("setMany + getMany, in order, a missing key undefined", (backing) =>
      Effect.gen(function*() {
        const store = yield* backing.make("test_store_2")
        yield* store.setMany([
          ["key1", { name: "Alice" }, undefined],
          ["key2", { name: "Bob" }, undefined],
          ["key3", { name: "Charlie" }, undefined]
        ])
        expect(yield* store.getMany(["key3", "key4", "key1", "key2"])).toEqual([
          { name: "Charlie" },
          undefined,
          { name: "Alice" },
          { name: "Bob" }
        ])
      }))

    test("remove", (backing) =>
      Effect.gen(function*() {
        const store = yield* backing.make("test_store_2")
        yield* store.setMany([
          ["key1", { name: "Alice" }, undefined],
          ["key2", { name: "Bob" }, undefined],
          ["key3", { name: "Charlie" }, undefined]
        ])
        yield* store.remove("key2")
        yield* store.remove("missing")
        expect(yield* store.getMany(["key1", "key2", "key3"])).toEqual([{ name: "Alice" }, undefined, {
          name: "Charlie"
        }])
      }))

    test("stores are apart: one key in two stores, clear of one store", (backing) =>
      Effect.gen(function*() {
        const users = yield* backing.make("users")
        const orders = yield* backing.make("orders")
        const colon = yield* backing.make("users:x")
        yield* users.set("1", { store: "users" }, undefined)
        yield* users.set("x:1", { store: "users", key: "x:1" }, undefined)
        yield* orders.set("1", { store: "orders" }, undefined)
        yield* colon.set("1", { store: "users:x" }, undefined)
        expect(yield* users.get("1")).toEqual({ store: "users" })
        expect(yield* orders.get("1")).toEqual({ store: "orders" })
        expect(yield* colon.get("1")).toEqual({ store: "users:x" })
        yield* users.clear
        expect(yield* users.getMany(["1", "x:1"])).toEqual([undefined, undefined])
        expect(yield* orders.get("1")).toEqual({ store: "orders" })
        expect(yield* colon.get("1")).toEqual({ store: "users:x" })
        // The same store id made again sees the same entries.
        expect(yield* (yield* backing.make("orders")).get("1")).toEqual({ store: "orders" })
      }))

    test("JSON values round-trip", (backing) =>
      Effect.gen(function*() {
        const store = yield* backing.make("json")
        const value = {
          text: "héllo 键 🔑 \u0000 \uFEFF",
          lone: "\uD800",
          numbers: [0, -1, 1.5, 1e300],
          nested: { deep: { deeper: [true, false, null] } },
          empty: {},
          list: []
        }
        yield* store.set("v", value, undefined)
        expect(yield* store.get("v")).toEqual(value)
        yield* store.set("array", [1, 2, 3], undefined)
        expect(yield* store.get("array")).toEqual([1, 2, 3])
      }))

    test("long and unicode keys and store ids are exact", (backing) =>
      Effect.gen(function*() {
        const shared = "s".repeat(300)
        const a = yield* backing.make(`${shared}a`)
        const b = yield* backing.make(`${shared}b`)
        const keys = ["k".repeat(400), `${"k".repeat(400)}1`, "a", "A", "é", "e\u0301", "", "🔑"]
        for (const [i, key] of keys.entries()) {
          yield* a.set(key, { i, store: "a" }, undefined)
          yield* b.set(key, { i, store: "b" }, undefined)
        }
        for (const [i, key] of keys.entries()) {
          expect(yield* a.get(key)).toEqual({ i, store: "a" })
          expect(yield* b.get(key)).toEqual({ i, store: "b" })
        }
        yield* a.clear
        expect(yield* b.getMany(keys as [string, ...Array<string>])).toEqual(
          keys.map((_, i) => ({ i, store: "b" }))
        )
      }))

    test("expires: an entry is gone once its TTL has passed on the clock", (backing) =>
      Effect.gen(function*() {
        const store = yield* backing.make("test_store_3")
        yield* store.setMany([
          ["key1", { name: "Alice" }, undefined],
          ["key2", { name: "Bob" }, undefined],
          ["key3", { name: "Charlie" }, Duration.seconds(10)]
        ])
        yield* store.set("key4", { name: "Dan" }, Duration.millis(1))
        let values = yield* store.getMany(["key1", "key2", "key3"])
        expect(values).toEqual([{ name: "Alice" }, { name: "Bob" }, { name: "Charlie" }])
        expect(yield* store.get("key4")).toEqual({ name: "Dan" })
        yield* TestClock.adjust(Duration.millis(1))
        expect(yield* store.get("key4")).toBeUndefined()
        yield* TestClock.adjust(Duration.millis(4999))
        values = yield* store.getMany(["key1", "key2", "key3"])
        expect(values).toEqual([{ name: "Alice" }, { name: "Bob" }, { name: "Charlie" }])
        yield* TestClock.adjust(Duration.seconds(5))
        values = yield* store.getMany(["key1", "key2", "key3"])
        expect(values).toEqual([{ name: "Alice" }, { name: "Bob" }, undefined])
        expect(yield* store.get("key3")).toBeUndefined()
      }))

    test("setting again without a TTL keeps the entry for good; with one, from now", (backing) =>
      Effect.gen(function*() {
        const store = yield* backing.make("ttl")
        yield* store.set("forever", { v: 1 }, Duration.seconds(1))
        yield* store.set("forever", { v: 2 }, undefined)
        yield* store.set("later", { v: 1 }, Duration.seconds(1))
        yield* TestClock.adjust(Duration.millis(500))
        yield* store.set("later", { v: 2 }, Duration.seconds(1))
        yield* TestClock.adjust(Duration.millis(600))
        expect(yield* store.get("later")).toEqual({ v: 2 })
        yield* TestClock.adjust(Duration.hours(1))
        expect(yield* store.get("forever")).toEqual({ v: 2 })
        expect(yield* store.get("later")).toBeUndefined()
        // An expired key can be set again.
        yield* store.set("later", { v: 3 }, undefined)
        expect(yield* store.get("later")).toEqual({ v: 3 })
      }))
  })

class User extends Schema.Class<User>("User")({
  id: Schema.Number,
  name: Schema.String
}) {}

class TTLRequest extends Persistable.Class<{ payload: { id: number } }>()("TTLRequest", {
  primaryKey: (req) => `TTLRequest:${req.id}`,
  success: User,
  error: Schema.String
}) {}

/** `PersistedCache` and `Persistence` stores over a `Persistence` layer. */
export const persistenceSuite = (
  name: string,
  makeLayer: () => Layer.Layer<Persistence.Persistence, unknown>
) =>
  describe(`Persistence and PersistedCache (${name})`, () => {
    it.effect("cache lookups hit the store, also from a new cache", () =>
      Effect.gen(function*() {
        const persistence = yield* Persistence.Persistence
        const store = yield* persistence.make({ storeId: "users" })
        let invocations = 0
        const lookup = (req: TTLRequest) =>
          Effect.sync(() => {
            invocations++
            return new User({ id: req.id, name: "John" })
          })
        const cache = yield* PersistedCache.make(lookup, { storeId: "users", timeToLive: () => 5000 })
        expect(yield* cache.get(new TTLRequest({ id: 1 }))).toEqual(new User({ id: 1, name: "John" }))
        expect(yield* store.get(new TTLRequest({ id: 1 }))).toEqual(
          Exit.succeed(new User({ id: 1, name: "John" }))
        )
        expect(invocations).toBe(1)
        expect(yield* cache.get(new TTLRequest({ id: 1 }))).toEqual(new User({ id: 1, name: "John" }))
        expect(invocations).toBe(1)

        // A second cache has nothing in memory: it reads the store.
        const second = yield* PersistedCache.make(lookup, { storeId: "users", timeToLive: () => 5000 })
        expect(yield* second.get(new TTLRequest({ id: 1 }))).toEqual(new User({ id: 1, name: "John" }))
        expect(invocations).toBe(1)

        yield* store.setMany([
          [new TTLRequest({ id: 1 }), Exit.fail("Not found")],
          [new TTLRequest({ id: 2 }), Exit.succeed(new User({ id: 2, name: "Jane" }))]
        ])
        expect(yield* store.getMany([new TTLRequest({ id: 1 }), new TTLRequest({ id: 2 })])).toEqual([
          Exit.fail("Not found"),
          Exit.succeed(new User({ id: 2, name: "Jane" }))
        ])
        const third = yield* PersistedCache.make(lookup, { storeId: "users", timeToLive: () => 5000 })
        expect(yield* Effect.flip(third.get(new TTLRequest({ id: 1 })))).toBe("Not found")
        expect(invocations).toBe(1)
      }).pipe(Effect.scoped, Effect.provide(makeLayer())))

    it.effect("a cached result expires with its time to live", () =>
      Effect.gen(function*() {
        let invocations = 0
        const lookup = (req: TTLRequest) =>
          Effect.sync(() => {
            invocations++
            return new User({ id: req.id, name: `v${invocations}` })
          })
        const make = PersistedCache.make(lookup, {
          storeId: "expiring",
          timeToLive: () => "10 seconds",
          inMemoryTTL: () => 0
        })
        const cache = yield* make
        expect((yield* cache.get(new TTLRequest({ id: 1 }))).name).toBe("v1")
        yield* TestClock.adjust("9 seconds")
        expect((yield* (yield* make).get(new TTLRequest({ id: 1 }))).name).toBe("v1")
        yield* TestClock.adjust("1 second")
        expect((yield* (yield* make).get(new TTLRequest({ id: 1 }))).name).toBe("v2")
        expect(invocations).toBe(2)
      }).pipe(Effect.scoped, Effect.provide(makeLayer())))

    it.effect("an exit whose time to live is zero is not stored; invalidate removes", () =>
      Effect.gen(function*() {
        const persistence = yield* Persistence.Persistence
        const store = yield* persistence.make({
          storeId: "selective",
          timeToLive: (exit) => Exit.isSuccess(exit) ? Duration.infinity : Duration.zero
        })
        yield* store.set(new TTLRequest({ id: 1 }), Exit.succeed(new User({ id: 1, name: "kept" })))
        yield* store.set(new TTLRequest({ id: 2 }), Exit.fail("dropped"))
        expect(yield* store.get(new TTLRequest({ id: 1 }))).toEqual(
          Exit.succeed(new User({ id: 1, name: "kept" }))
        )
        expect(yield* store.get(new TTLRequest({ id: 2 }))).toBeUndefined()
        yield* TestClock.adjust(Duration.hours(2))
        expect(yield* store.get(new TTLRequest({ id: 1 }))).toEqual(
          Exit.succeed(new User({ id: 1, name: "kept" }))
        )

        const cache = yield* PersistedCache.make(
          (req: TTLRequest) => Effect.succeed(new User({ id: req.id, name: "x" })),
          {
            storeId: "selective",
            timeToLive: () => Duration.infinity
          }
        )
        yield* cache.invalidate(new TTLRequest({ id: 1 }))
        expect(yield* store.get(new TTLRequest({ id: 1 }))).toBeUndefined()
        yield* store.clear
      }).pipe(Effect.scoped, Effect.provide(makeLayer())))
  })
