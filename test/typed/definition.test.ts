import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { Table } from "../../src/index.ts"
import * as TypedTable from "../../src/TypedTable.ts"
import { People, withDatabase } from "./support.ts"

const Inferred = TypedTable.make({
  name: "inferred",
  schema: Schema.Struct({
    double: Schema.Number,
    finite: Schema.Finite,
    int: Schema.Int,
    big: Schema.BigInt,
    flag: Schema.Boolean,
    text: Schema.String,
    short: Schema.String.check(Schema.isMaxLength(20)),
    between: Schema.String.check(Schema.isBetweenLength(1, 127)),
    long: Schema.String.check(Schema.isMaxLength(128)),
    when: Schema.Date,
    bytes: Schema.Uint8Array,
    color: Schema.Literals(["red", "green"]),
    level: Schema.Literals([1, 2, 3]),
    ratio: Schema.Literals([0.5, 1]),
    yes: Schema.Literal(true),
    huge: Schema.Literal(10n),
    kind: Schema.Enum({ A: "a", B: "b" }),
    tags: Schema.Array(Schema.String),
    scores: Schema.Array(Schema.Int),
    maybe: Schema.optional(Schema.String),
    maybeKey: Schema.optionalKey(Schema.Int),
    nullable: Schema.NullOr(Schema.Boolean),
    undef: Schema.UndefinedOr(Schema.Int),
    parsed: Schema.NumberFromString,
    day: Schema.DateFromString
  }),
  primaryKey: ["int"]
})

const inferredColumns = {
  double: { type: "IEEEDouble", notNull: true },
  finite: { type: "IEEEDouble", notNull: true },
  int: { type: "Long", notNull: true },
  big: { type: "LongLong", notNull: true },
  flag: { type: "Bit", notNull: true },
  text: { type: "LongText" },
  short: { type: "Text", notNull: true, maxLength: 40 },
  between: { type: "Text", notNull: true, maxLength: 254 },
  long: { type: "LongText" },
  when: { type: "DateTime", notNull: true },
  bytes: { type: "LongBinary" },
  color: { type: "Text", notNull: true },
  level: { type: "Long", notNull: true },
  ratio: { type: "IEEEDouble", notNull: true },
  yes: { type: "Bit", notNull: true },
  huge: { type: "LongLong", notNull: true },
  kind: { type: "Text", notNull: true },
  tags: { type: "LongText", multiValued: true },
  scores: { type: "Long", multiValued: true },
  maybe: { type: "LongText" },
  maybeKey: { type: "Long" },
  nullable: { type: "Bit" },
  undef: { type: "Long" },
  parsed: { type: "LongText" },
  day: { type: "LongText" }
}

const Annotated = TypedTable.make({
  name: "annotated",
  schema: Schema.Struct({
    id: Schema.Int,
    port: Schema.Int.pipe(TypedTable.column({ type: "UnsignedShort" })),
    code: Schema.String.pipe(
      TypedTable.column({ type: "Text", ascii: true, maxLength: 8, name: "Code8" })
    ),
    uuid: Schema.optional(Schema.String.pipe(TypedTable.column({ type: "GUID" }))),
    amount: Schema.BigInt.pipe(TypedTable.column({ type: "Currency" }), Schema.optionalKey),
    blob: Schema.Uint8Array.pipe(TypedTable.column({ type: "Binary", maxLength: 16 }))
  }),
  primaryKey: ["id"],
  indexes: { byCode: ["code"] }
})

const columnsOf = (table: { readonly definition: Table.TableDefinition }) => table.definition.columns

describe("column inference", () => {
  it("maps each schema to its documented column", () => {
    expect(columnsOf(Inferred)).toEqual(inferredColumns)
    expect(Inferred.definition.indexes).toEqual([
      { name: "primary", key: ["+int"], primary: true, disallowTruncation: true }
    ])
  })

  it("takes the column options of an annotation, on the field or inside optional", () => {
    expect(columnsOf(Annotated)).toEqual({
      id: { type: "Long", notNull: true },
      port: { type: "UnsignedShort", notNull: true },
      Code8: { type: "Text", notNull: true, maxLength: 8, ascii: true },
      uuid: { type: "GUID" },
      amount: { type: "Currency" },
      blob: { type: "Binary", notNull: true, maxLength: 16 }
    })
    expect(Annotated.definition.indexes?.[1]).toEqual({ name: "byCode", key: ["+Code8"] })
    expect(Annotated.columns.find((c) => c.field === "code")?.column).toBe("Code8")
  })

  it("builds the indexes: descending segments, options, truncation refused on unique keys", () => {
    expect(People.definition.indexes).toEqual([
      { name: "primary", key: ["+id"], primary: true, disallowTruncation: true },
      { name: "byName", key: ["+name"] },
      { name: "byAgeName", key: ["-age", "+name"] },
      { name: "byTag", key: ["+tags"] }
    ])
    const table = TypedTable.make({
      name: "options",
      schema: Schema.Struct({ id: Schema.String, email: Schema.String }),
      primaryKey: { key: ["id"], maxKeyLength: 1000 },
      indexes: { byEmail: { key: ["+email"], unique: true, sortNullsHigh: true } }
    })
    expect(table.definition.indexes).toEqual([
      { name: "primary", key: ["+id"], primary: true, maxKeyLength: 1000, disallowTruncation: true },
      { name: "byEmail", key: ["+email"], unique: true, sortNullsHigh: true, disallowTruncation: true }
    ])
  })

  it("refuses what has no column, naming the field", () => {
    const make = (schema: TypedTable.StructSchema) => () =>
      TypedTable.make({ name: "bad", schema, primaryKey: ["id"] as never })
    expect(make(Schema.Struct({ id: Schema.Int, x: Schema.Unknown }))).toThrow(
      /field x: no column type for Unknown/
    )
    expect(make(Schema.Struct({ id: Schema.Int, x: Schema.Union([Schema.String, Schema.Number]) }))).toThrow(
      /field x: a union of different types/
    )
    expect(make(Schema.Struct({ id: Schema.Int, x: Schema.Tuple([Schema.Int, Schema.Int]) }))).toThrow(
      /field x: a tuple/
    )
    expect(make(Schema.Struct({ id: Schema.Int, x: Schema.Array(Schema.NullOr(Schema.Int)) }))).toThrow(
      /field x: the values of a multi-valued column cannot be null/
    )
    expect(
      make(Schema.Struct({ id: Schema.Int, x: Schema.String.pipe(TypedTable.column({ type: "Long" })) }))
    )
      .toThrow(/field x: a Long column holds number values, the field encodes to string/)
    expect(make(Schema.Struct({ id: Schema.Array(Schema.Int) }))).toThrow(
      /primary key cannot hold the multi-valued/
    )
    expect(() =>
      TypedTable.make({
        name: "bad",
        schema: Schema.Struct({ id: Schema.Int }),
        primaryKey: ["id"],
        indexes: { primary: ["id"] }
      })
    ).toThrow(/"primary" is the primary key's/)
  })
})

describe("create", () => {
  it.effect("creates the table, then accepts it as it is", () =>
    withDatabase((_, db) =>
      Effect.gen(function*() {
        yield* People.create(db)
        yield* People.create(db)
        const columns = yield* Table.columns(db, "people")
        expect(columns.map((c) => [c.name, c.type, c.multiValued]).sort()).toEqual([
          ["age", "Long", false],
          ["born", "DateTime", false],
          ["id", "Long", false],
          ["name", "LongText", false],
          ["nick", "LongText", false],
          ["tags", "LongText", true]
        ])
        expect(columns.find((c) => c.name === "name")?.cp).toBe(1200)
      })
    ))

  it.effect("accepts what it created for every inferred and annotated column", () =>
    withDatabase((_, db) =>
      Effect.gen(function*() {
        yield* Inferred.create(db)
        yield* Inferred.create(db)
        yield* Effect.scoped(Inferred.open(db))
        yield* Annotated.create(db)
        yield* Annotated.create(db)
        yield* Effect.scoped(Annotated.open(db))
      })
    ))

  it.effect("accepts a table created by other code with the same definition, and extra columns", () =>
    withDatabase((_, db) =>
      Effect.gen(function*() {
        yield* Table.create(db, {
          ...People.definition,
          columns: { ...People.definition.columns, extra: { type: "Long" } }
        })
        yield* People.create(db)
        yield* Effect.scoped(People.open(db))
      })
    ))

  const mismatchOf = (
    definition: Table.TableDefinition
  ) =>
    withDatabase((_, db) =>
      Effect.gen(function*() {
        yield* Table.create(db, definition)
        return { created: yield* Effect.flip(People.create(db)) }
      })
    )

  it.effect("fails with SchemaMismatchError naming a column of another type, on create and on open", () =>
    withDatabase((_, db) =>
      Effect.gen(function*() {
        yield* Table.create(db, {
          ...People.definition,
          columns: { ...People.definition.columns, age: { type: "IEEEDouble", notNull: true } }
        })
        const created = yield* Effect.flip(People.create(db))
        expect(created._tag).toBe("SchemaMismatchError")
        expect(created).toMatchObject({ table: "people", column: "age", index: undefined })
        expect(created.message).toBe("people.age: the table has IEEEDouble, the schema wants Long")
        const opened = yield* Effect.flip(Effect.scoped(People.open(db)))
        expect(opened).toMatchObject({ _tag: "SchemaMismatchError", column: "age" })
      })
    ))

  it.effect("names a missing column, a single-valued array, nullability and a text code page", () =>
    Effect.gen(function*() {
      const { age: _, ...withoutAge } = People.definition.columns
      const missing = yield* mismatchOf({ ...People.definition, columns: withoutAge, indexes: [] })
      expect(missing.created.message).toBe("people.age: the table has no such column")
      const single = yield* mismatchOf({
        ...People.definition,
        columns: { ...People.definition.columns, tags: { type: "LongText" } }
      })
      expect(single.created.message).toBe(
        "people.tags: the table's column holds one value, the schema wants several (an array)"
      )
      const nullable = yield* mismatchOf({
        ...People.definition,
        columns: { ...People.definition.columns, id: { type: "Long" } }
      })
      expect(nullable.created.message).toBe(
        "people.id: the table's column allows NULL, the schema requires a value"
      )
      const ascii = yield* mismatchOf({
        ...People.definition,
        columns: { ...People.definition.columns, nick: { type: "LongText", ascii: true } }
      })
      expect(ascii.created.message).toBe(
        "people.nick: the table's text has code page 1252, the schema wants 1200"
      )
    }))

  it.effect("names an index that is missing or has another key", () =>
    Effect.gen(function*() {
      const indexes = People.definition.indexes ?? []
      const missing = yield* mismatchOf({
        ...People.definition,
        indexes: indexes.filter((i) => i.name !== "byName")
      })
      expect(missing.created).toMatchObject({
        _tag: "SchemaMismatchError",
        index: "byName",
        column: undefined
      })
      expect(missing.created.message).toBe("people index byName: the table has no such index")
      const ascending = yield* mismatchOf({
        ...People.definition,
        indexes: indexes.map((i) => i.name === "byAgeName" ? { ...i, key: ["+age", "+name"] } : i)
      })
      expect(ascending.created.message).toBe(
        "people index byAgeName: the table's key is (+age, +name), the schema wants (-age, +name)"
      )
      const unique = yield* mismatchOf({
        ...People.definition,
        indexes: indexes.map((i) => i.name === "byName" ? { ...i, unique: true } : i)
      })
      expect(unique.created.message).toBe(
        "people index byName: the table's index is unique, the schema's is not"
      )
    }))
})
