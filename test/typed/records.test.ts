import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Option, Schema, Stream } from "effect"
import { Cursor, Transaction } from "../../src/index.ts"
import * as TypedTable from "../../src/TypedTable.ts"
import { collect, People, person, withDatabase } from "./support.ts"

/** One field of each inferred type, plus arrays, optional and nullable fields and annotations. */
const Everything = Schema.Struct({
  id: Schema.Int,
  double: Schema.Number,
  big: Schema.BigInt,
  flag: Schema.Boolean,
  text: Schema.String,
  short: Schema.String.check(Schema.isMaxLength(20)),
  when: Schema.Date,
  bytes: Schema.Uint8Array,
  color: Schema.Literals(["red", "green"]),
  level: Schema.Literals([1, 2, 3]),
  tags: Schema.Array(Schema.String),
  scores: Schema.Array(Schema.Int),
  days: Schema.Array(Schema.Date),
  maybe: Schema.optional(Schema.String),
  maybeKey: Schema.optionalKey(Schema.BigInt),
  nullable: Schema.NullOr(Schema.Number),
  optionalTags: Schema.optional(Schema.Array(Schema.String)),
  port: Schema.Int.pipe(TypedTable.column({ type: "UnsignedShort" })),
  guid: Schema.String.pipe(TypedTable.column({ type: "GUID", name: "guid_col" }))
})

const EverythingTable = TypedTable.make({
  name: "everything",
  schema: Everything,
  primaryKey: ["id"],
  indexes: { byBig: ["big"], byWhen: ["-when"] }
})

/** The same fields through transformations: the table takes the schema's slow path. */
const Transformed = Schema.Struct({
  id: Schema.NumberFromString.pipe(Schema.decodeTo(Schema.Int)),
  day: Schema.DateFromString,
  count: Schema.optional(Schema.NumberFromString),
  note: Schema.NullOr(Schema.String)
})

const TransformedTable = TypedTable.make({
  name: "transformed",
  schema: Transformed,
  primaryKey: ["id"],
  indexes: { byDay: ["day"] }
})

const sample = (id: number, overrides: Partial<typeof Everything.Type> = {}): typeof Everything.Type => ({
  id,
  double: -0.5,
  big: -(2n ** 63n),
  flag: true,
  text: "héllo € 😀",
  short: "",
  when: new Date("1850-06-15T12:34:56.789Z"),
  bytes: new Uint8Array([0, 1, 254, 255]),
  color: "green",
  level: 3,
  tags: ["b", "a", ""],
  scores: [-1, 0, 2 ** 31 - 1],
  days: [new Date("0100-01-01T00:00:00.000Z"), new Date("9999-12-31T23:59:59.999Z")],
  maybe: "present",
  maybeKey: 2n ** 63n - 1n,
  nullable: null,
  optionalTags: ["x"],
  port: 65535,
  guid: "00112233-4455-6677-8899-aabbccddeeff",
  ...overrides
})

describe("round trips", () => {
  it.effect("every inferred type, arrays, optional and nullable fields, through insert and get", () =>
    withDatabase((_, db) =>
      Effect.gen(function*() {
        yield* EverythingTable.create(db)
        const table = yield* EverythingTable.open(db)
        const full = sample(1)
        const sparse: typeof Everything.Type = {
          id: 2,
          double: Number.NaN,
          big: 0n,
          flag: false,
          text: "x".repeat(100_000),
          short: "a".repeat(20),
          when: new Date("1899-12-29T06:00:00.000Z"),
          bytes: new Uint8Array(0),
          color: "red",
          level: 1,
          tags: [],
          scores: [],
          days: [],
          nullable: Number.POSITIVE_INFINITY,
          port: 0,
          guid: "ffffffff-0000-0000-0000-000000000000"
        }
        const withUndefined = sample(3, { maybe: undefined, optionalTags: [] })
        yield* table.insert(full)
        yield* table.insert(sparse)
        yield* table.insert(withUndefined)
        expect(yield* table.get(1)).toEqual(Option.some(full))
        expect(yield* table.get([2])).toEqual(Option.some(sparse))
        const { maybe: _, optionalTags: __, ...absent } = withUndefined
        // undefined and an empty optional array are stored as nothing, and read back absent.
        const third = Option.getOrThrow(yield* table.get(3))
        expect(third).toStrictEqual(absent)
        expect(Object.is(Option.getOrThrow(yield* table.get(1)).double, -0.5)).toBe(true)
        expect(yield* table.get(4)).toEqual(Option.none())
      })
    ))

  it.effect("bigints and dates before 1900 as keys", () =>
    withDatabase((_, db) =>
      Effect.gen(function*() {
        yield* EverythingTable.create(db)
        const table = yield* EverythingTable.open(db)
        const bigs = [-(2n ** 63n), -1n, 0n, 1n, 2n ** 53n + 1n, 2n ** 63n - 1n]
        const dates = [
          "1601-01-01",
          "1850-06-15T12:00:00Z",
          "1899-12-29T18:00:00Z",
          "1899-12-30",
          "1970-01-01",
          "2024-02-29"
        ]
          .map((d) => new Date(d))
        yield* Effect.forEach(bigs, (big, i) => table.insert(sample(i, { big, when: dates[i]! })))
        const byBig = yield* collect(table.query("byBig", { from: [-1n], to: [2n ** 53n + 1n] }))
        expect(byBig.map((r) => r.big)).toEqual([-1n, 0n, 1n, 2n ** 53n + 1n])
        const byWhen = yield* collect(table.query("byWhen", { to: [new Date("1899-12-29T18:00:00Z")] }))
        expect(byWhen.map((r) => r.when.toISOString())).toEqual([
          "2024-02-29T00:00:00.000Z",
          "1970-01-01T00:00:00.000Z",
          "1899-12-30T00:00:00.000Z",
          "1899-12-29T18:00:00.000Z"
        ])
        const early = yield* collect(table.query("byWhen", { prefix: [new Date("1850-06-15T12:00:00Z")] }))
        expect(early.map((r) => r.id)).toEqual([1])
      })
    ))

  it.effect("a schema with transformations stores the encoded side and decodes it back", () =>
    withDatabase((_, db) =>
      Effect.gen(function*() {
        expect(TransformedTable.definition.columns).toEqual({
          id: { type: "LongText" },
          day: { type: "LongText" },
          count: { type: "LongText" },
          note: { type: "LongText" }
        })
        yield* TransformedTable.create(db)
        const table = yield* TransformedTable.open(db)
        const record = { id: 7, day: new Date("1888-08-08T00:00:00.000Z"), count: 12.5, note: null }
        yield* table.insert(record)
        yield* table.insert({ id: 8, day: new Date("2000-01-01T00:00:00.000Z"), note: "n" })
        expect(yield* table.get(7)).toEqual(Option.some(record))
        const raw = yield* Cursor.open(db, "transformed")
        yield* Cursor.seek(raw, ["7"])
        expect(yield* Cursor.read(raw)).toEqual({
          id: "7",
          day: "1888-08-08T00:00:00.000Z",
          count: "12.5",
          note: null
        })
        const days = yield* collect(table.query("byDay", { from: [new Date("1900-01-01T00:00:00.000Z")] }))
        expect(days.map((r) => r.id)).toEqual([8])
      })
    ))
})

class User extends Schema.Class<User>("User")({ id: Schema.Int, email: Schema.String, since: Schema.Date }) {
  get domain(): string {
    return this.email.slice(this.email.indexOf("@") + 1)
  }
}

const Users = TypedTable.make({
  name: "users",
  schema: User,
  primaryKey: ["id"],
  indexes: { byEmail: { key: ["email"], unique: true } }
})

describe("class schemas", () => {
  it.effect("records come out as instances of the class", () =>
    withDatabase((_, db) =>
      Effect.gen(function*() {
        yield* Users.create(db)
        const users = yield* Users.open(db)
        yield* users.insert(new User({ id: 1, email: "ada@example.org", since: new Date("1843-01-01") }))
        const ada = Option.getOrThrow(yield* users.get(1))
        expect(ada).toBeInstanceOf(User)
        expect(ada.domain).toBe("example.org")
        const byEmail = yield* collect(users.query("byEmail", { prefix: ["ADA@example.org"] }))
        expect(byEmail.map((u) => u.id)).toEqual([1])
        const plain = yield* Effect.flip(users.insert({ id: 2, email: "x", since: new Date() } as User))
        expect(plain._tag).toBe("RecordEncodeError")
      })
    ))
})

describe("upsert and delete", () => {
  it.effect("upsert inserts, then replaces every column; delete removes by primary key", () =>
    withDatabase((_, db) =>
      Effect.gen(function*() {
        yield* EverythingTable.create(db)
        const table = yield* EverythingTable.open(db)
        expect(yield* table.upsert(sample(1))).toBe("inserted")
        const replacement = sample(1, {
          tags: ["only"],
          scores: [],
          maybe: undefined,
          nullable: 4.5,
          optionalTags: ["p", "q", "r"]
        })
        expect(yield* table.upsert(replacement)).toBe("replaced")
        const { maybe: _, ...stored } = replacement
        expect(Option.getOrThrow(yield* table.get(1))).toStrictEqual(stored)
        expect(yield* table.remove(1)).toBe(true)
        expect(yield* table.remove(1)).toBe(false)
        expect(yield* table.get(1)).toEqual(Option.none())
      })
    ))

  it.effect("upsert inside a transaction that fails is rolled back", () =>
    withDatabase((session, db) =>
      Effect.gen(function*() {
        yield* People.create(db)
        const people = yield* People.open(db)
        yield* people.insert(person(1, "Ada", 36))
        const exit = yield* Effect.exit(
          Transaction.withSessionTransaction(
            session,
            Effect.andThen(people.upsert(person(1, "Grace", 40)), Effect.fail("abort" as const))
          )
        )
        expect(Exit.isFailure(exit)).toBe(true)
        expect(Option.getOrThrow(yield* people.get(1)).name).toBe("Ada")
      })
    ))

  it.effect("text primary keys compare case-insensitively, as ESENT's keys do", () =>
    withDatabase((_, db) =>
      Effect.gen(function*() {
        const Tags = TypedTable.make({
          name: "tags",
          schema: Schema.Struct({ tag: Schema.String, count: Schema.Int }),
          primaryKey: ["tag"]
        })
        yield* Tags.create(db)
        const tags = yield* Tags.open(db)
        yield* tags.insert({ tag: "Effect", count: 1 })
        expect(yield* tags.get("effect")).toEqual(Option.some({ tag: "Effect", count: 1 }))
        expect(yield* tags.upsert({ tag: "EFFECT", count: 2 })).toBe("replaced")
        expect(yield* tags.get("Effect")).toEqual(Option.some({ tag: "EFFECT", count: 2 }))
      })
    ))

  it.effect("concurrent gets on one handle each read their own record", () =>
    withDatabase((session, db) =>
      Effect.gen(function*() {
        yield* People.create(db)
        const people = yield* People.open(db)
        const ids = Array.from({ length: 50 }, (_, i) => i)
        yield* Effect.forEach(ids, (id) => people.insert(person(id, `p${id}`, id % 90)))
        const read = Effect.forEach(ids, (id) => people.get(id), { concurrency: 8 })
        const outside = yield* read
        const inside = yield* Transaction.withSessionTransaction(session, read)
        for (const got of [outside, inside]) {
          expect(got.map((r) => Option.getOrThrow(r).id)).toEqual(ids)
        }
      })
    ))
})

describe("bad input and bad data", () => {
  it.effect("a record the schema rejects is a RecordEncodeError naming the column, and writes nothing", () =>
    withDatabase((_, db) =>
      Effect.gen(function*() {
        yield* People.create(db)
        const people = yield* People.open(db)
        yield* people.insert(person(1, "Ada", 36))
        const negative = yield* Effect.flip(people.insert(person(2, "Bob", -1)))
        expect(negative).toMatchObject({ _tag: "RecordEncodeError", table: "people", column: "age" })
        expect(negative.message).toContain("people.age: Expected a value between 0 and 150")
        const wrongType = yield* Effect.flip(people.upsert({ ...person(1, "Ada", 36), name: 42 } as never))
        expect(wrongType).toMatchObject({ _tag: "RecordEncodeError", column: "name" })
        const missing = yield* Effect.flip(people.insert({ id: 3 } as never))
        expect(missing._tag).toBe("RecordEncodeError")
        const notAnObject = yield* Effect.flip(people.insert(null as never))
        expect(notAnObject).toMatchObject({ _tag: "RecordEncodeError", column: undefined })
        expect((yield* collect(people.query("primary"))).map((r) => r.name)).toEqual(["Ada"])
      })
    ))

  it.effect("a value the schema accepts but the column cannot hold is a ColumnValueError; the update is cancelled", () =>
    withDatabase((_, db) =>
      Effect.gen(function*() {
        yield* People.create(db)
        const people = yield* People.open(db)
        const tooBig = yield* Effect.flip(people.insert(person(2 ** 40, "Big", 1)))
        expect(tooBig).toMatchObject({ _tag: "ColumnValueError", table: "people", column: "id" })
        yield* people.insert(person(1, "Ada", 36))
        expect((yield* collect(people.query("primary"))).map((r) => r.id)).toEqual([1])
      })
    ))

  it.effect("a key value of the wrong type is a RecordEncodeError naming the column", () =>
    withDatabase((_, db) =>
      Effect.gen(function*() {
        yield* People.create(db)
        const people = yield* People.open(db)
        const error = yield* Effect.flip(people.get("1" as never))
        expect(error).toMatchObject({ _tag: "RecordEncodeError", column: "id" })
        const tooMany = yield* Effect.flip(people.get([1, 2] as never))
        expect(tooMany.message).toBe("people: the primary key has 1 values, got 2")
        const query = yield* Effect.flip(
          Stream.runDrain(people.query("byAgeName", { prefix: ["old"] as never }))
        )
        expect(query).toMatchObject({ _tag: "RecordEncodeError", column: "age" })
      })
    ))

  it.effect("a stored record the schema rejects is a RecordDecodeError naming the column and the record", () =>
    withDatabase((_, db) =>
      Effect.gen(function*() {
        yield* People.create(db)
        const people = yield* People.open(db)
        yield* people.insert(person(1, "Ada", 36))
        const raw = yield* Cursor.open(db, "people")
        yield* Cursor.insert(raw, { id: 7, name: "Old", age: 200, tags: [] })
        yield* Cursor.insert(raw, { id: 8, age: 20, tags: [] })
        const tooOld = yield* Effect.flip(people.get(7))
        expect(tooOld).toMatchObject({ _tag: "RecordDecodeError", table: "people", column: "age", key: [7] })
        expect(tooOld.message).toBe(
          'people record [7], column age: Expected a value between 0 and 150\n  at ["age"]'
        )
        const noName = yield* Effect.flip(people.get(8))
        expect(noName).toMatchObject({ _tag: "RecordDecodeError", column: "name", key: [8] })
        const streamed = yield* Effect.flip(Stream.runDrain(people.query("primary")))
        expect(streamed).toMatchObject({ _tag: "RecordDecodeError", column: "age", key: [7] })
        expect(yield* people.get(1)).toEqual(Option.some(person(1, "Ada", 36)))
      })
    ))

  it.effect("struct-level checks run on writes and reads", () =>
    withDatabase((_, db) =>
      Effect.gen(function*() {
        const Span = TypedTable.make({
          name: "spans",
          schema: Schema.Struct({ id: Schema.Int, low: Schema.Number, high: Schema.Number }).check(
            Schema.makeFilter((s) => s.low <= s.high || "low must not exceed high")
          ),
          primaryKey: ["id"]
        })
        yield* Span.create(db)
        const spans = yield* Span.open(db)
        yield* spans.insert({ id: 1, low: 1, high: 2 })
        const bad = yield* Effect.flip(spans.insert({ id: 2, low: 3, high: 2 }))
        expect(bad).toMatchObject({ _tag: "RecordEncodeError", column: undefined })
        expect(bad.message).toContain("low must not exceed high")
        const raw = yield* Cursor.open(db, "spans")
        yield* Cursor.insert(raw, { id: 3, low: 5, high: 4 })
        const stored = yield* Effect.flip(spans.get(3))
        expect(stored).toMatchObject({ _tag: "RecordDecodeError", column: undefined, key: [3] })
      })
    ))

  it.effect("a closed handle fails with HandleClosedError", () =>
    withDatabase((_, db) =>
      Effect.gen(function*() {
        yield* People.create(db)
        const people = yield* Effect.scoped(People.open(db))
        const error = yield* Effect.flip(people.insert(person(1, "Ada", 36)))
        expect(error._tag).toBe("HandleClosedError")
      })
    ))
})
