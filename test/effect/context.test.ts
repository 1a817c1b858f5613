/**
 * The database in the context: EsentDatabase's layer, operations that find their session in the
 * fiber or borrow one, withTransaction(effect) as in effect/sql, and the pool's session limit.
 */
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Layer, Option, Stream } from "effect"
import { pipe } from "effect/Function"
import { Cursor, EsentDatabase, SessionLimitError, SessionPool, Table, Transaction } from "../../src/index.ts"
import { makeHarness } from "./harness.ts"

const People = Table.make({
  name: "people",
  columns: {
    id: { type: "Long", autoincrement: true },
    name: { type: "Text", notNull: true },
    age: { type: "Long" }
  },
  indexes: [{ name: "by_id", key: ["id"], primary: true }, { name: "by_name", key: ["name"], unique: true }]
})

const setup = (options: { readonly sessions?: number; readonly maxSessions?: number } = {}) => {
  const h = makeHarness()
  const layer = EsentDatabase.layer({
    path: "people.edb",
    ...(options.sessions ? { sessions: options.sessions } : {})
  })
    .pipe(
      Layer.provide(h.layer(options.maxSessions === undefined ? {} : { maxSessions: options.maxSessions }))
    )
  return { h, layer }
}

describe("EsentDatabase", () => {
  it.effect("inserts answer the autoincrement value; get, update, remove and select see the rows", () => {
    const { layer } = setup()
    return Effect.gen(function*() {
      yield* Table.create(People)
      const ada = yield* Table.insert(People, { name: "Ada", age: 36 })
      const alan = yield* pipe(People, Table.insert({ name: "Alan", age: 41 }))
      expect([ada, alan]).toEqual([1, 2])
      expect(yield* Table.get(People, [2])).toEqual(Option.some({ id: 2, name: "Alan", age: 41 }))
      expect(yield* Table.get(People, ["Ada"], { index: "by_name" })).toEqual(
        Option.some({ id: 1, name: "Ada", age: 36 })
      )
      expect(yield* Table.update(People, [1], { age: 37 })).toBe(true)
      expect(yield* Table.update(People, [9], { age: 1 })).toBe(false)
      expect(yield* Table.remove(People, [2])).toBe(true)
      expect(yield* Table.select(People)).toEqual([{ id: 1, name: "Ada", age: 37 }])
    }).pipe(Effect.provide(layer))
  })

  it.effect("withTransaction commits on success and rolls back every insert on failure", () => {
    const { layer } = setup()
    return Effect.gen(function*() {
      yield* Table.create(People)
      yield* Transaction.withTransaction(Effect.all([
        Table.insert(People, { name: "Ada" }),
        Table.insert(People, { name: "Alan" })
      ]))
      const failed = yield* Effect.exit(
        Effect.all([Table.insert(People, { name: "Grace" }), Table.insert(People, { name: "Ada" })]).pipe(
          Transaction.withTransaction()
        )
      )
      expect(Exit.isFailure(failed)).toBe(true)
      const names = (yield* Table.select(People, { index: "by_name" })).map((row) => row.name)
      expect(names).toEqual(["Ada", "Alan"])
      // The failed transaction ran twice on a session's kept cursor: the next one still works.
      yield* Transaction.withTransaction(Table.insert(People, { name: "Grace" }))
      expect((yield* Table.select(People)).length).toBe(3)
    }).pipe(Effect.provide(layer))
  })

  it.effect("a transaction's operations share one session; a nested one is its savepoint", () => {
    const { h, layer } = setup()
    return Effect.gen(function*() {
      yield* Table.create(People)
      const begun = h.count("JetBeginSession")
      yield* Transaction.withTransaction(Effect.gen(function*() {
        yield* Table.insert(People, { name: "Ada" })
        const inner = yield* Effect.exit(Transaction.withTransaction(Effect.gen(function*() {
          yield* Table.insert(People, { name: "Alan" })
          return yield* Effect.fail("undo the inner level")
        })))
        expect(Exit.isFailure(inner)).toBe(true)
        yield* Table.insert(People, { name: "Grace" })
      }))
      // No session begun for the transaction beyond the pool's first, and only the inner level undone.
      expect(h.count("JetBeginSession") - begun).toBeLessThanOrEqual(1)
      const names = (yield* Table.select(People, { index: "by_name" })).map((row) => row.name)
      expect(names).toEqual(["Ada", "Grace"])
    }).pipe(Effect.provide(layer))
  })

  it.effect("a cursor opened in the context reads typed rows and streams them", () => {
    const { layer } = setup()
    return Effect.gen(function*() {
      yield* Table.create(People)
      yield* Effect.forEach(["Cy", "Ada", "Bo"], (name) => Table.insert(People, { name }), { discard: true })
      const ordered = yield* Effect.scoped(Effect.gen(function*() {
        const people = yield* Cursor.open(People).pipe(Effect.flatMap(Cursor.setIndex("by_name")))
        const names: Array<string> = []
        let more = yield* Cursor.moveFirst(people)
        while (more) {
          names.push((yield* Cursor.read(people)).name)
          more = yield* Cursor.moveNext(people)
        }
        return names
      }))
      expect(ordered).toEqual(["Ada", "Bo", "Cy"])
      const fromB = yield* Stream.runCollect(Cursor.stream(People, { index: "by_name", from: ["Bo"] }))
      expect(fromB.map((row) => row.name)).toEqual(["Bo", "Cy"])
    }).pipe(Effect.provide(layer))
  })

  it.effect("a cursor borrowed outside a transaction is refused inside another session's transaction", () => {
    const { layer } = setup()
    return Effect.gen(function*() {
      yield* Table.create(People)
      const error = yield* Effect.scoped(Effect.gen(function*() {
        const people = yield* Cursor.open(People)
        return yield* Effect.flip(Transaction.withTransaction(Cursor.insert(people, { name: "Ada" })))
      }))
      expect(error._tag).toBe("SessionMismatchError")
      expect(error.message).toContain(`table "people"`)
      expect(yield* Table.select(People)).toEqual([])
      // Held with withSession, the same cursor and the transaction share the session.
      yield* EsentDatabase.withSession(Effect.scoped(Effect.gen(function*() {
        const people = yield* Cursor.open(People)
        yield* Transaction.withTransaction(Cursor.insert(people, { name: "Ada" }))
      })))
      expect((yield* Table.select(People)).map((row) => row.name)).toEqual(["Ada"])
    }).pipe(Effect.provide(layer))
  })

  it.effect("a table whose cursors pooled sessions keep can still be dropped", () => {
    const { layer } = setup()
    return Effect.gen(function*() {
      yield* Table.create(People)
      yield* Table.insert(People, { name: "Ada" })
      yield* Table.drop(People)
      const error = yield* Effect.flip(Table.select(People))
      expect(error._tag).toBe("JET_errObjectNotFound")
    }).pipe(Effect.provide(layer))
  })

  it.effect("the database outlives nothing: a second layer over the same store finds the rows", () => {
    const { h, layer } = setup()
    return Effect.gen(function*() {
      yield* Effect.provide(
        Effect.andThen(Table.create(People), Table.insert(People, { name: "Ada" })),
        layer
      )
      const again = EsentDatabase.layer({ path: "people.edb", ifMissing: "fail" }).pipe(
        Layer.provide(h.layer())
      )
      const rows = yield* Effect.provide(Table.select(People), again)
      expect(rows.map((row) => row.name)).toEqual(["Ada"])
      const missing = EsentDatabase.layer({ path: "nowhere.edb", ifMissing: "fail" }).pipe(
        Layer.provide(h.layer())
      )
      const error = yield* Effect.flip(Effect.provide(Table.select(People), missing))
      expect(error).toMatchObject({ _tag: "JET_errFileNotFound", database: "nowhere.edb" })
    })
  })
})

describe("the pool's session limit", () => {
  it.effect("a pool larger than the instance's maximum fails when the layer builds, naming both numbers", () => {
    const { layer } = setup({ sessions: 20 })
    return Effect.gen(function*() {
      const error = yield* Effect.flip(Effect.provide(Table.select(People), layer))
      expect(error).toBeInstanceOf(SessionLimitError)
      expect(error).toMatchObject({ requested: 20, maximum: 16 })
      expect(error.message).toContain("20 sessions")
      expect(error.message).toContain("maximum of 16")
    })
  })

  it.effect("raising maxSessions lets the same pool build and hold 20 sessions at once", () => {
    const { h, layer } = setup({ sessions: 20, maxSessions: 24 })
    return Effect.gen(function*() {
      yield* Table.create(People)
      // Twenty fibers each hold a session (a cursor) at the same time, until all twenty do.
      const allOpen = yield* Deferred.make<void>()
      let open = 0
      let most = 0
      yield* Effect.forEach(
        Array.from({ length: 20 }, (_, i) => i),
        () =>
          Effect.scoped(Effect.gen(function*() {
            yield* Cursor.open(People)
            open++
            most = Math.max(most, h.openSessions().length)
            if (open === 20) yield* Deferred.succeed(allOpen, undefined)
            yield* Deferred.await(allOpen)
          })),
        { concurrency: "unbounded", discard: true }
      )
      expect(most).toBeGreaterThanOrEqual(20)
    }).pipe(Effect.provide(layer))
  })

  it.effect("SessionPool.layer checks the same limit", () => {
    const h = makeHarness()
    return Effect.gen(function*() {
      const error = yield* Effect.flip(
        Effect.provide(
          Effect.asVoid(Effect.service(SessionPool.SessionPool)),
          SessionPool.layer(17).pipe(Layer.provide(h.layer()))
        )
      )
      expect(error).toMatchObject({ _tag: "SessionLimitError", requested: 17, maximum: 16 })
    })
  })

  it.effect("a fiber forked inside a transaction that outlives it runs outside it, on a session of its own", () => {
    const { layer } = setup({ sessions: 1 })
    return Effect.gen(function*() {
      yield* Table.create(People)
      const go = yield* Deferred.make<void>()
      const forked = yield* Transaction.withTransaction(
        Effect.forkDetach(Effect.andThen(Deferred.await(go), Table.insert(People, { name: "Forked" })))
      )
      // The only session now runs another transaction, which will fail; the forked fiber's insert
      // must neither land in it nor run on its session meanwhile.
      const inside = yield* Deferred.make<void>()
      const mayFail = yield* Deferred.make<void>()
      const other = yield* Effect.forkChild(Transaction.withTransaction(
        Effect.gen(function*() {
          yield* Table.insert(People, { name: "Rolled back" })
          yield* Deferred.succeed(inside, undefined)
          yield* Deferred.await(mayFail)
          return yield* Effect.fail("abandoned" as const)
        })
      ))
      yield* Deferred.await(inside)
      yield* Deferred.succeed(go, undefined)
      for (let i = 0; i < 5; i++) yield* Effect.yieldNow
      yield* Deferred.succeed(mayFail, undefined)
      expect(yield* Effect.flip(Fiber.join(other))).toBe("abandoned")
      // The rolled-back insert used number 1: ESENT does not give autoincrement values back.
      expect(yield* Fiber.join(forked)).toBe(2)
      expect((yield* Table.select(People)).map((row) => row.name)).toEqual(["Forked"])
    }).pipe(Effect.provide(layer))
  })

  it.effect("a cursor opened inside a transaction uses the transaction's session and belongs to it", () => {
    // One session only: a cursor that borrowed a session of its own would wait for it forever.
    const { layer } = setup({ sessions: 1 })
    return Effect.gen(function*() {
      yield* Table.create(People)
      const insertWithCursor = (name: string) =>
        Effect.scoped(Effect.flatMap(Cursor.open(People), (people) => Cursor.insert(people, { name })))
      yield* Transaction.withTransaction(insertWithCursor("Kept"))
      const failed = yield* Effect.flip(Transaction.withTransaction(
        Effect.andThen(insertWithCursor("Rolled back"), Effect.fail("abandoned" as const))
      ))
      expect(failed).toBe("abandoned")
      expect((yield* Table.select(People)).map((row) => row.name)).toEqual(["Kept"])
    }).pipe(Effect.provide(layer))
  })
})
