/**
 * Rows typed from a table's description (`Table.make`): what reads answer and writes take, checked by
 * the compiler. A wrong column type, an unknown column, or a key of the wrong type does not compile:
 * each `@ts-expect-error` below fails the type check if the line it marks ever compiles.
 */
import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import type { Effect, Option } from "effect"
import { Cursor, type EsentDatabase, type EsentDatabaseError, Table } from "../../src/index.ts"

const People = Table.make({
  name: "people",
  columns: {
    id: { type: "Long", autoincrement: true },
    name: { type: "Text", notNull: true },
    born: { type: "DateTime" },
    balance: { type: "Currency", notNull: true, default: 0n },
    tags: { type: "Text", multiValued: true }
  },
  indexes: [
    { name: "by_id", key: ["id"], primary: true },
    { name: "by_name_born", key: ["+name", "-born"] }
  ]
})

describe("Table.make", () => {
  it("types rows from the description", () => {
    expectTypeOf<Table.Row<typeof People>>().toEqualTypeOf<{
      readonly id: number
      readonly name: string
      readonly born: Date | null
      readonly balance: bigint
      readonly tags: ReadonlyArray<string>
    }>()
    // Only `name` must be given: id is numbered, balance has a default, the rest may be NULL.
    expectTypeOf<Table.Insert<typeof People>>().toEqualTypeOf<{
      readonly name: string
      readonly id?: number | null
      readonly born?: Date | null
      readonly balance?: bigint
      readonly tags?: ReadonlyArray<string> | null
    }>()
    expectTypeOf<Table.Autoincrement<typeof People>>().toEqualTypeOf<number>()
    expectTypeOf<Table.Key<typeof People, "by_name_born">>().toEqualTypeOf<readonly [string, Date]>()
    expectTypeOf<Table.IndexName<typeof People>>().toEqualTypeOf<"by_id" | "by_name_born">()
    // A table known only by its name reads untyped rows.
    expectTypeOf<Table.Row<Table.TableDefinition>>().toEqualTypeOf<Readonly<Record<string, unknown>>>()
  })

  it("types the operations and refuses wrong values at compile time", () => {
    const inserted = Table.insert(People, { name: "Ada", born: new Date(0) })
    expectTypeOf(inserted).toEqualTypeOf<
      Effect.Effect<number, Cursor.CursorError | EsentDatabaseError, EsentDatabase>
    >()
    const found = Table.get(People, ["Ada", new Date(0)], { index: "by_name_born" })
    expectTypeOf(found).toMatchTypeOf<
      Effect.Effect<Option.Option<Table.Row<typeof People>>, unknown, unknown>
    >()
    const cursor = Cursor.open(People)
    expectTypeOf(cursor).toMatchTypeOf<
      Effect.Effect<Cursor.Cursor<typeof People, "by_id">, unknown, unknown>
    >()

    // @ts-expect-error a number is not a Text value
    Table.insert(People, { name: 42 })
    // @ts-expect-error name is NOT NULL without a default: it must be given
    Table.insert(People, { born: new Date(0) })
    // @ts-expect-error the table has no column "age"
    Table.insert(People, { name: "Ada", age: 36 })
    // @ts-expect-error a Currency column takes a bigint
    Table.update(People, [1], { balance: 5 })
    // @ts-expect-error the primary key is a Long, not a string
    Table.get(People, ["Ada"])
    // @ts-expect-error by_name_born's second key column is a DateTime
    Table.get(People, ["Ada", "yesterday"], { index: "by_name_born" })
    // @ts-expect-error there is no index "by_age"
    Table.get(People, [1], { index: "by_age" })
    Table.make({
      name: "broken",
      columns: { a: { type: "Long" } },
      // @ts-expect-error an index key names a column the table does not have
      indexes: [{ name: "by_b", key: ["b"] }]
    })
    expect(People.name).toBe("people")
  })
})
