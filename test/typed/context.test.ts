/**
 * Typed tables on the database in the context: `create`, `insert`, `upsert`, `get`, `remove` and
 * `query` find the fiber's session (inside `Transaction.withTransaction`) or borrow one from
 * EsentDatabase's pool, as the untyped `Table` functions do.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, Option, Schema, Stream } from "effect"
import { EsentDatabase, Transaction } from "../../src/index.ts"
import * as TypedTable from "../../src/TypedTable.ts"
import { collect, memory, People, person } from "./support.ts"

const database = () =>
  EsentDatabase.layer({ path: "typed-context.edb", sessions: 2 }).pipe(Layer.provide(memory()))

describe("TypedTable on the database in the context", () => {
  it.effect("writes, reads, queries and removes records without a handle", () =>
    Effect.gen(function*() {
      yield* People.create()
      yield* People.insert(person(1, "Ada", 36))
      yield* People.insert(person(2, "Alan", 41))
      expect(yield* People.upsert({ ...person(2, "Alan", 42), nick: "AT" })).toBe("replaced")
      expect(yield* People.upsert(person(3, "Grace", 85))).toBe("inserted")
      const alan = yield* People.get(2)
      expect(Option.map(alan, (p) => [p.age, p.nick])).toEqual(Option.some([42, "AT"]))
      const byAge = yield* collect(People.query("byAgeName"))
      expect(byAge.map((p) => p.name)).toEqual(["Grace", "Alan", "Ada"])
      const named = yield* collect(People.query("byName", { prefix: ["ada"] }))
      expect(named.map((p) => p.id)).toEqual([1])
      expect(yield* People.remove(1)).toBe(true)
      expect(yield* People.remove(1)).toBe(false)
      expect(Option.isNone(yield* People.get(1))).toBe(true)
      // Creating again checks the existing table instead of failing.
      yield* People.create()
    }).pipe(Effect.provide(database())))

  it.effect("a failed transaction undoes the typed writes made inside it", () =>
    Effect.gen(function*() {
      yield* People.create()
      yield* People.insert(person(1, "Ada", 36))
      const failed = yield* Effect.exit(Transaction.withTransaction(Effect.gen(function*() {
        yield* People.insert(person(2, "Alan", 41))
        yield* People.remove(1)
        // Inside the transaction its own writes are visible.
        expect((yield* collect(People.query("primary"))).map((p) => p.id)).toEqual([2])
        return yield* Effect.fail("stop" as const)
      })))
      expect(Exit.isFailure(failed)).toBe(true)
      expect((yield* collect(People.query("primary"))).map((p) => p.id)).toEqual([1])
      yield* Transaction.withTransaction(People.insert(person(2, "Alan", 41)))
      expect((yield* collect(People.query("primary"))).map((p) => p.id)).toEqual([1, 2])
    }).pipe(Effect.provide(database())))

  it.effect("open() gives a handle on a pooled session; a duplicate key fails typed and writes nothing", () =>
    Effect.gen(function*() {
      yield* People.create()
      const handle = yield* People.open()
      yield* handle.insert(person(1, "Ada", 36))
      const duplicate = yield* Effect.flip(People.insert(person(1, "Other", 20)))
      expect(duplicate._tag).toBe("JET_errKeyDuplicate")
      expect(Option.map(yield* People.get(1), (p) => p.name)).toEqual(Option.some("Ada"))
    }).pipe(Effect.scoped, Effect.provide(database())))

  it.effect("a table that differs from the schema fails every context operation with SchemaMismatchError", () =>
    Effect.gen(function*() {
      yield* People.create()
      const Other = TypedTable.make({
        name: "people",
        schema: Schema.Struct({ id: Schema.Int, name: Schema.Number }),
        primaryKey: ["id"]
      })
      const insert = yield* Effect.flip(Other.insert({ id: 9, name: 1 }))
      expect(insert._tag).toBe("SchemaMismatchError")
      const query = yield* Effect.flip(Stream.runDrain(Other.query("primary")))
      expect(query._tag).toBe("SchemaMismatchError")
    }).pipe(Effect.provide(database())))
})
