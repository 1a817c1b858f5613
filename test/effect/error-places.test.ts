/**
 * Every error a table or cursor operation raises names the table: JET errors in their `table`
 * field and message (with the index or column where one is known), the API's own errors in theirs.
 */
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Layer } from "effect"
import { Cursor, EsentDatabase, Table, Transaction } from "../../src/index.ts"
import { makeHarness } from "./harness.ts"

const People = Table.make({
  name: "people",
  columns: {
    id: { type: "Long", notNull: true },
    name: { type: "Text", notNull: true },
    nick: { type: "Text", maxLength: 10 }
  },
  indexes: [{ name: "by_id", key: ["id"], primary: true }, { name: "by_name", key: ["name"], unique: true }]
})

const layer = () =>
  EsentDatabase.layer({ path: "places.edb" }).pipe(Layer.provide(makeHarness().layer({ maxSessions: 8 })))

/** The error's table field and message both name the table. */
const namesTable = (error: { readonly _tag: string; readonly message: string }, tag: string) => {
  expect(error._tag).toBe(tag)
  expect(error).toMatchObject({ table: "people" })
  expect(error.message).toContain("people")
}

describe("errors name the table", () => {
  it.effect("across the failures of table and cursor operations", () =>
    Effect.gen(function*() {
      yield* Table.create(People)
      yield* Table.insert(People, { id: 1, name: "Ada" })

      const duplicate = yield* Effect.flip(Table.insert(People, { id: 2, name: "Ada" }))
      namesTable(duplicate, "JET_errKeyDuplicate")
      expect(duplicate.message).toMatch(
        /^JetUpdate \(database "places.edb", table "people"\): JET_errKeyDuplicate/
      )

      // A new cursor stands on the first record (ESE's deferred move-first): move past the last one.
      const noCurrent = yield* Effect.flip(Effect.scoped(
        Cursor.open(People).pipe(
          Effect.tap(Cursor.moveLast),
          Effect.tap(Cursor.moveNext),
          Effect.flatMap(Cursor.read)
        )
      ))
      namesTable(noCurrent, "JET_errNoCurrentRecord")

      const noColumn = yield* Effect.flip(Table.deleteColumn(People, "nope"))
      namesTable(noColumn, "JET_errColumnNotFound")

      const unknownColumn = yield* Effect.flip(
        Effect.scoped(
          Effect.flatMap(Cursor.open("people"), (cursor) => Cursor.insert(cursor, { id: 3, nope: 1 }))
        )
      )
      namesTable(unknownColumn, "UnknownColumnError")

      const nullInvalid = yield* Effect.flip(
        Effect.scoped(Effect.flatMap(Cursor.open("people"), (cursor) => Cursor.insert(cursor, { id: 3 })))
      )
      namesTable(nullInvalid, "JET_errNullInvalid")

      const tooLong = yield* Effect.flip(Table.insert(People, { id: 3, name: "Bo", nick: "x".repeat(6) }))
      namesTable(tooLong, "ColumnValueError")
      expect(tooLong.message).toContain("12 bytes is more than the column's maximum of 10")
      expect(tooLong.message).toContain("at most 5 characters fit")

      const badKey = yield* Effect.flip(Table.get(People, ["not a number" as never]))
      namesTable(badKey, "ColumnValueError")

      const closed = yield* Effect.flip(Effect.gen(function*() {
        const cursor = yield* Effect.scoped(Cursor.open(People))
        return yield* Cursor.moveFirst(cursor)
      }))
      namesTable(closed, "HandleClosedError")

      const missingIndex = yield* Effect.flip(
        Effect.scoped(
          Effect.flatMap(Cursor.open("people"), (cursor) => Cursor.setIndex(cursor, "by_nothing"))
        )
      )
      namesTable(missingIndex, "JET_errIndexNotFound")
      expect(missingIndex).toMatchObject({ index: "by_nothing" })

      const readOnly = yield* Effect.flip(
        Transaction.withTransaction(Table.insert(People, { id: 9, name: "Cy" }), { readOnly: true })
      )
      namesTable(readOnly, "JET_errTransReadOnly")
    }).pipe(Effect.provide(layer())))

  it.effect("a write conflict between two transactions names the table", () =>
    Effect.gen(function*() {
      yield* Table.create(People)
      yield* Table.insert(People, { id: 1, name: "Ada" })
      const firstWrote = yield* Deferred.make<void>()
      const secondDone = yield* Deferred.make<void>()
      const first = yield* Effect.forkChild(Transaction.withTransaction(Effect.gen(function*() {
        yield* Table.update(People, [1], { nick: "first" })
        yield* Deferred.succeed(firstWrote, undefined)
        yield* Deferred.await(secondDone)
      })))
      yield* Deferred.await(firstWrote)
      const conflict = yield* Effect.flip(
        Transaction.withTransaction(Table.update(People, [1], { nick: "second" }))
      )
      yield* Deferred.succeed(secondDone, undefined)
      yield* Fiber.join(first)
      namesTable(conflict, "JET_errWriteConflict")
    }).pipe(Effect.provide(layer())))
})

describe("a place the message did not have", () => {
  it("is added to the fields and the message, and what was known stays", async () => {
    const { jetError, withJetErrorPlace } = await import("../../src/JetError.ts")
    const bare = jetError(-1605, "JetUpdate", { column: "name" })
    expect(bare.message).toMatch(/^JetUpdate \(column "name"\): JET_errKeyDuplicate \(-1605\)/)
    const placed = withJetErrorPlace(bare, { table: "people", column: "other" })
    expect(placed).toMatchObject({ _tag: "JET_errKeyDuplicate", table: "people", column: "name" })
    expect(placed.message).toMatch(/^JetUpdate \(table "people", column "name"\): JET_errKeyDuplicate/)
    // An error that is not a JET error is left as it is.
    const other = new Error("boom")
    expect(withJetErrorPlace(other, { table: "people" })).toBe(other)
  })
})
