/**
 * Type-level tests: tsc checks this file (it runs over test/), so every `@ts-expect-error` line
 * must be an error and every `expectTypeOf` must hold for the type check to pass.
 */
import { describe, it } from "@effect/vitest"
import type { Effect, Option, Stream } from "effect"
import { Schema } from "effect"
import { expectTypeOf } from "vitest"
import * as TypedTable from "../../src/TypedTable.ts"
import { People, Person } from "./support.ts"

type PeopleHandle = TypedTable.HandleOf<typeof People>
type PersonType = typeof Person.Type

const Events = TypedTable.make({
  name: "events",
  schema: Schema.Struct({
    source: Schema.String,
    at: Schema.Date,
    seq: Schema.BigInt,
    level: Schema.Literals(["info", "warn"]),
    note: Schema.optional(Schema.String),
    owner: Schema.NullOr(Schema.Int),
    parsed: Schema.NumberFromString
  }),
  primaryKey: ["source", "-at", "seq"],
  indexes: { byLevel: { key: ["level", "-at"], unique: false }, byOwner: ["owner"], byParsed: ["parsed"] }
})
type EventsHandle = TypedTable.HandleOf<typeof Events>

/** Never called: the calls below only need to type-check (or fail to). */
const checks = (people: PeopleHandle, events: EventsHandle) => {
  // Records go in and come out as the schema's Type.
  expectTypeOf(people.insert).parameter(0).toEqualTypeOf<PersonType>()
  expectTypeOf(people.get(1)).toEqualTypeOf<Effect.Effect<Option.Option<PersonType>, TypedTable.ReadError>>()
  expectTypeOf(people.query("byName")).toEqualTypeOf<Stream.Stream<PersonType, TypedTable.ReadError>>()
  expectTypeOf<TypedTable.Type<typeof People>>().toEqualTypeOf<PersonType>()

  // A one-field primary key takes the value or a one-element tuple.
  expectTypeOf(people.get).parameter(0).toEqualTypeOf<number | readonly [number]>()
  people.get([1])
  // @ts-expect-error a string where the primary key is a number
  people.get("1")
  // @ts-expect-error too many primary key values
  people.get([1, 2])

  // Key parts are the indexed fields' types, in index order, prefixes allowed.
  people.query("byAgeName", { prefix: [30] })
  people.query("byAgeName", { prefix: [30, "Ada"] })
  people.query("byAgeName", { from: [40], to: [30, "Bob"], toExclusive: true, reverse: true })
  people.query("byAgeName", { prefix: [] })
  people.query("primary", { from: [10] })
  people.query("byTag", { prefix: ["t1"] }) // an array field is keyed by its element type
  // @ts-expect-error a string where the index's first field is a number
  people.query("byAgeName", { prefix: ["thirty"] })
  // @ts-expect-error the second key part is a string
  people.query("byAgeName", { from: [30, 1] })
  // @ts-expect-error too many key parts
  people.query("byAgeName", { prefix: [30, "Ada", 1] })
  // @ts-expect-error an index the table does not have
  people.query("byAge")
  // @ts-expect-error prefix and range together
  people.query("byName", { prefix: ["A"], from: ["B"] })
  // @ts-expect-error an array where the element type is wanted
  people.query("byTag", { prefix: [["t1"]] })

  // A record must match the schema.
  // @ts-expect-error age is a number
  people.insert({ id: 1, name: "Ada", age: "36", tags: [], nick: null })
  // @ts-expect-error nick is required (it may be null, not absent)
  people.insert({ id: 1, name: "Ada", age: 36, tags: [] })

  // A composite primary key with a descending segment; literal, Date, bigint and nullable keys.
  expectTypeOf(events.get).parameter(0).toEqualTypeOf<readonly [string, Date, bigint]>()
  events.remove(["api", new Date(), 1n])
  events.query("primary", { prefix: ["api", new Date()] })
  events.query("byLevel", { prefix: ["warn"] })
  events.query("byOwner", { prefix: [null] })
  events.query("byOwner", { prefix: [7] })
  events.query("byParsed", { prefix: [1.5] }) // the Type side of a transformation
  // @ts-expect-error not one of the literals
  events.query("byLevel", { prefix: ["error"] })
  // @ts-expect-error a number where the key is a bigint
  events.remove(["api", new Date(), 1])
  // @ts-expect-error a one-field value is not enough for a three-field key
  events.get("api")
  // @ts-expect-error parsed's Type is a number, not its encoded string
  events.query("byParsed", { prefix: ["1.5"] })
}

describe("types", () => {
  it("index keys are typed by the indexed fields", () => {
    expectTypeOf(checks).toBeFunction()
    expectTypeOf<TypedTable.KeyPrefix<readonly [number, string]>>().toEqualTypeOf<
      readonly [number, string] | readonly [number] | readonly []
    >()
    expectTypeOf<TypedTable.IndexName<typeof People.indexes>>().toEqualTypeOf<
      "primary" | "byName" | "byAgeName" | "byTag"
    >()
  })

  it("make only accepts key segments naming the schema's fields", () => {
    const schema = Schema.Struct({ id: Schema.Int, name: Schema.String })
    expectTypeOf(TypedTable.make({ name: "t", schema, primaryKey: ["-id"] }).primaryKey).toEqualTypeOf<
      readonly ["-id"]
    >()
    // Never called: make throws on these at run time too.
    const wrong = () => {
      // @ts-expect-error no field "nope"
      TypedTable.make({ name: "t", schema, primaryKey: ["nope"] })
      // @ts-expect-error no field "nope" in a secondary index
      TypedTable.make({ name: "t", schema, primaryKey: ["id"], indexes: { byNope: ["+nope"] } })
      // @ts-expect-error an index needs at least one segment
      TypedTable.make({ name: "t", schema, primaryKey: [] })
    }
    expectTypeOf(wrong).toBeFunction()
  })
})
