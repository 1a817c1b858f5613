// The Effect API's typed tables, cursors and table info read a real file unchanged.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Schema, Stream } from "effect"
import { afterAll } from "vitest"
import { Cursor, Database, Esent, Jet, Session, Table, TypedTable } from "../../../src/index.ts"
import { unpackFixtures } from "../fixtures.ts"

const fixtures = unpackFixtures(["index.edb"])
afterAll(() => fixtures.cleanup())

const Row = Schema.Struct({
  Id: Schema.Int,
  Long: Schema.Int,
  ASCII: Schema.String.pipe(TypedTable.column({ type: "Text", ascii: true })),
  UnsignedShort: Schema.Int.pipe(TypedTable.column({ type: "UnsignedShort" })),
  DateTime: Schema.Date
})

const Rows = TypedTable.make({
  name: "index",
  schema: Row,
  primaryKey: ["Id"],
  indexes: { IxLong: ["Long"] }
})

const live = Esent.layer({ instanceName: "typed-file" }).pipe(Layer.provide(Jet.layerFile()))

describe("Effect API over a real file", () => {
  it.effect("TypedTable get and query, Cursor seek and read, Table info", () =>
    Effect.gen(function*() {
      const session = yield* Session.begin
      const db = yield* Database.attach(session, fixtures.path("index.edb"), { readOnly: true })
      const table = yield* Rows.open(db)
      const got = yield* table.get(1)
      expect(Option.getOrThrow(got)).toEqual({
        Id: 1,
        Long: -13371337,
        ASCII: "Simple ASCII text",
        UnsignedShort: 1337,
        DateTime: new Date("1999-03-01T00:00:00.000Z")
      })
      expect(Option.isNone(yield* table.get(2))).toBe(true)
      const byLong = yield* Stream.runCollect(table.query("IxLong", { from: [-20000000], to: [0] }))
      expect(byLong.map((r) => r.Id)).toEqual([1])
      const none = yield* Stream.runCollect(table.query("IxLong", { from: [0], to: [10] }))
      expect(none).toEqual([])

      const cursor = yield* Cursor.open(db, "index")
      yield* Cursor.setIndex(cursor, "IxGUID")
      expect(yield* Cursor.seek(cursor, ["3f360af1-6766-46dc-9af2-0dacf295c2a1"])).toBe("found")
      expect(yield* Cursor.read(cursor, ["Id", "IEEESingle", "Currency"])).toEqual({
        Id: 1,
        IEEESingle: 1,
        Currency: 1337133713371337n
      })
      const indexes = yield* Table.indexes(db, "index")
      expect(indexes.find((i) => i.name === "IxId")).toMatchObject({ primary: true, key: ["+Id"] })
      expect(indexes).toHaveLength(19)
      // A write through the Effect API fails with the read-only code and changes nothing.
      const refused = yield* Effect.flip(Cursor.insert(cursor, { Id: 2 }))
      expect(refused).toMatchObject({ code: -1809 })
    }).pipe(Effect.scoped, Effect.provide(live)))
})
