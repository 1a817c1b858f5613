/**
 * What effect's own `KeyValueStore` layers do, written once and run against each layer: the
 * expectations come from effect's tests of `layerMemory` and `layerSql`, and hold for both.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, type Layer, Option, Schema } from "effect"
import { Base64 } from "effect/encoding"
import { KeyValueStore } from "effect/persistence"

const utf8 = (s: string) => new TextEncoder().encode(s)

/** Every test gets a new layer, so tests see nothing of each other. */
export const keyValueStoreSuite = (
  name: string,
  makeLayer: () => Layer.Layer<KeyValueStore.KeyValueStore, unknown>
) =>
  describe(`KeyValueStore (${name})`, () => {
    const test = (title: string, body: (kv: KeyValueStore.KeyValueStore) => Effect.Effect<void, unknown>) =>
      it.effect(title, () =>
        Effect.flatMap(Effect.service(KeyValueStore.KeyValueStore), body).pipe(Effect.provide(makeLayer())))

    test("a missing key is undefined to get, getUint8Array and has", (kv) =>
      Effect.gen(function*() {
        expect(yield* kv.get("foo")).toBeUndefined()
        expect(yield* kv.getUint8Array("foo")).toBeUndefined()
        expect(yield* kv.has("foo")).toBe(false)
        expect(yield* kv.size).toBe(0)
        expect(yield* kv.isEmpty).toBe(true)
      }))

    test("set + get + size; setting again replaces", (kv) =>
      Effect.gen(function*() {
        yield* kv.set("/foo/bar", "bar")
        expect(yield* kv.get("/foo/bar")).toBe("bar")
        expect(yield* kv.size).toBe(1)
        yield* kv.set("/foo/bar", "bar-2")
        expect(yield* kv.get("/foo/bar")).toBe("bar-2")
        expect(yield* kv.size).toBe(1)
        expect(yield* kv.has("/foo/bar")).toBe(true)
        expect(yield* kv.isEmpty).toBe(false)
      }))

    test("bytes: get gives base64, getUint8Array the bytes", (kv) =>
      Effect.gen(function*() {
        const bytes = new Uint8Array([0, 42, 255, 128])
        yield* kv.set("binary", bytes)
        expect(yield* kv.get("binary")).toBe(Base64.encode(bytes))
        expect(yield* kv.getUint8Array("binary")).toEqual(bytes)
      }))

    test("bytes: all 256 byte values and the empty array round-trip", (kv) =>
      Effect.gen(function*() {
        const all = Uint8Array.from({ length: 256 }, (_, i) =>
          i)
        const reversed = all.slice().reverse()
        yield* kv.set("all", all)
        yield* kv.set("reversed", reversed)
        yield* kv.set("empty", new Uint8Array(0))
        expect(yield* kv.getUint8Array("all")).toEqual(all)
        expect(yield* kv.getUint8Array("reversed")).toEqual(reversed)
        expect(yield* kv.getUint8Array("empty")).toEqual(new Uint8Array(0))
        expect(yield* kv.get("empty")).toBe("")
        expect(yield* kv.has("empty")).toBe(true)
      }))

    test("strings: not decoded as base64; getUint8Array gives UTF-8", (kv) =>
      Effect.gen(function*() {
        yield* kv.set("string", "Zm9v")
        expect(yield* kv.get("string")).toBe("Zm9v")
        expect(yield* kv.getUint8Array("string")).toEqual(utf8("Zm9v"))
      }))

    test("strings: empty, NUL, a leading BOM and non-ASCII text round-trip", (kv) =>
      Effect.gen(function*() {
        const values = [
          "",
          "\u0000",
          "a\u0000b\u0000",
          "\uFEFFbom",
          "héllo wörld",
          "键值",
          "🔑🗝️",
          "x".repeat(100_000)
        ]
        for (const [i, value] of values.entries()) {
          yield* kv.set(`s${i}`, value)
        }
        for (const [i, value] of values.entries()) {
          expect(yield* kv.get(`s${i}`)).toBe(value)
          expect(yield* kv.getUint8Array(`s${i}`)).toEqual(utf8(value))
        }
        expect(yield* kv.size).toBe(values.length)
      }))

    test("a large binary value round-trips", (kv) =>
      Effect.gen(function*() {
        const big = Uint8Array.from({ length: 1 << 18 }, (_, i) =>
          (i * 7919) & 0xFF)
        yield* kv.set("big", big)
        expect(yield* kv.getUint8Array("big")).toEqual(big)
      }))

    test("remove; removing a missing key does nothing", (kv) =>
      Effect.gen(function*() {
        yield* kv.set("foo", "bar")
        yield* kv.set("other", "x")
        yield* kv.remove("foo")
        yield* kv.remove("missing")
        expect(yield* kv.get("foo")).toBeUndefined()
        expect(yield* kv.has("foo")).toBe(false)
        expect(yield* kv.size).toBe(1)
        expect(yield* kv.get("other")).toBe("x")
      }))

    test("clear", (kv) =>
      Effect.gen(function*() {
        yield* kv.set("a", "1")
        yield* kv.set("b", new Uint8Array([2]))
        yield* kv.clear
        expect(yield* kv.size).toBe(0)
        expect(yield* kv.isEmpty).toBe(true)
        expect(yield* kv.get("a")).toBeUndefined()
        expect(yield* kv.get("b")).toBeUndefined()
        yield* kv.clear
        yield* kv.set("a", "again")
        expect(yield* kv.get("a")).toBe("again")
      }))

    test("clearPrefix removes exactly the keys starting with the prefix", (kv) =>
      Effect.gen(function*() {
        for (const key of ["user:1", "user:2", "User:3", "user", "users:4", "session:1", "xuser:5"]) {
          yield* kv.set(key, key)
        }
        yield* kv.clearPrefix("user:")
        expect([...yield* kv.keys].sort()).toEqual(["User:3", "session:1", "user", "users:4", "xuser:5"])
        yield* kv.clearPrefix("")
        expect(yield* kv.size).toBe(0)
      }))

    test("keys is a snapshot of every key", (kv) =>
      Effect.gen(function*() {
        expect(yield* kv.keys).toEqual([])
        for (const key of ["b", "a", "c", ""]) yield* kv.set(key, key)
        expect([...yield* kv.keys].sort()).toEqual(["", "a", "b", "c"])
      }))

    test("modify returns the new value and stores it", (kv) =>
      Effect.gen(function*() {
        yield* kv.set("foo", "bar")
        expect(yield* kv.modify("foo", (v) => v + "bar")).toBe("barbar")
        expect(yield* kv.get("foo")).toBe("barbar")
        expect(yield* kv.size).toBe(1)
      }))

    test("modify of a missing key is undefined and stores nothing", (kv) =>
      Effect.gen(function*() {
        let called = false
        const value = yield* kv.modify("foo", (v) => {
          called = true
          return v + "bar"
        })
        expect(value).toBeUndefined()
        expect(called).toBe(false)
        expect(yield* kv.size).toBe(0)
        expect(yield* kv.modifyUint8Array("foo", (v) => v)).toBeUndefined()
      }))

    test("modify of bytes sees their base64 and stores a string", (kv) =>
      Effect.gen(function*() {
        const bytes = new Uint8Array([1, 2, 3])
        yield* kv.set("bin", bytes)
        const next = yield* kv.modify("bin", (v) => `${v}!`)
        expect(next).toBe(`${Base64.encode(bytes)}!`)
        expect(yield* kv.get("bin")).toBe(next)
        expect(yield* kv.getUint8Array("bin")).toEqual(utf8(`${Base64.encode(bytes)}!`))
      }))

    test("modifyUint8Array sees a string's UTF-8 and stores bytes", (kv) =>
      Effect.gen(function*() {
        yield* kv.set("s", "ab")
        const next = yield* kv.modifyUint8Array("s", (v) => Uint8Array.from([...v, 0, 255]))
        expect(next).toEqual(new Uint8Array([97, 98, 0, 255]))
        expect(yield* kv.getUint8Array("s")).toEqual(new Uint8Array([97, 98, 0, 255]))
        expect(yield* kv.get("s")).toBe(Base64.encode(new Uint8Array([97, 98, 0, 255])))
      }))

    test("concurrent modifies of one key each see the previous one's result", (kv) =>
      Effect.gen(function*() {
        yield* kv.set("counter", "0")
        yield* Effect.forEach(
          Array.from({ length: 25 }),
          () => kv.modify("counter", (v) => String(Number(v) + 1)),
          { concurrency: "unbounded", discard: true }
        )
        expect(yield* kv.get("counter")).toBe("25")
      }))

    test("keys longer than 255 bytes, and keys sharing their first 255 bytes, stay apart", (kv) =>
      Effect.gen(function*() {
        const shared = "p".repeat(300)
        const keys = [
          shared,
          `${shared}a`,
          `${shared}b`,
          "k".repeat(10_000),
          `${"é".repeat(200)}1`,
          `${"é".repeat(200)}2`
        ]
        for (const key of keys) yield* kv.set(key, `value of ${key.length} ${key.at(-1)}`)
        expect(yield* kv.size).toBe(keys.length)
        for (const key of keys) expect(yield* kv.get(key)).toBe(`value of ${key.length} ${key.at(-1)}`)
        yield* kv.remove(`${shared}a`)
        expect(yield* kv.get(`${shared}a`)).toBeUndefined()
        expect(yield* kv.get(`${shared}b`)).toBe(`value of 301 b`)
        expect(yield* kv.get(shared)).toBe(`value of 300 p`)
        expect(yield* kv.modify(`${shared}b`, (v) => `${v}+`)).toBe(`value of 301 b+`)
        expect(yield* kv.get(shared)).toBe(`value of 300 p`)
        expect([...yield* kv.keys].sort()).toEqual(keys.filter((k) => k !== `${shared}a`).sort())
      }))

    test("unicode keys are exact: case, accents, emoji, NUL, the empty key", (kv) =>
      Effect.gen(function*() {
        const keys = ["a", "A", "é", "e\u0301", "ключ", "键", "🔑", "a\u0000", "a\u0000b", "", " ", "\uD800"]
        for (const [i, key] of keys.entries()) yield* kv.set(key, String(i))
        expect(yield* kv.size).toBe(keys.length)
        for (const [i, key] of keys.entries()) expect(yield* kv.get(key)).toBe(String(i))
        expect([...yield* kv.keys].sort()).toEqual([...keys].sort())
        yield* kv.remove("A")
        expect(yield* kv.get("a")).toBe("0")
        expect(yield* kv.has("A")).toBe(false)
      }))

    test("prefix views and schema stores work on top", (kv) =>
      Effect.gen(function*() {
        const prefixed = KeyValueStore.prefix(kv, "prefix/")
        yield* prefixed.set("foo", "bar")
        yield* prefixed.modify("foo", (v) => v + "bar")
        expect(yield* prefixed.get("foo")).toBe("barbar")
        expect(yield* kv.get("prefix/foo")).toBe("barbar")
        yield* kv.set("elsewhere", "x")
        expect(yield* prefixed.keys).toEqual(["foo"])
        yield* prefixed.clear
        expect(yield* kv.keys).toEqual(["elsewhere"])

        class User extends Schema.Class<User>("User")({ name: Schema.String, age: Schema.Number }) {}
        const users = KeyValueStore.toSchemaStore(kv, User)
        yield* users.set("u", new User({ name: "Ada", age: 36 }))
        yield* users.modify("u", (user) => new User({ ...user, age: 37 }))
        const user = yield* users.get("u")
        expect(Option.map(user, (u) => [u.name, u.age])).toEqual(Option.some(["Ada", 37]))
      }))
  })
