import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Stream } from "effect"
import { Cursor, Database, Esent, Jet, Session, Table, Transaction } from "../../src/index.ts"
import { makeMemoryEngine, makeMemoryStore } from "../../src/memory/index.ts"

const layer = () =>
  Esent.layer({ instanceName: "smoke" }).pipe(
    Layer.provide(Jet.layerApi(makeMemoryEngine({ store: makeMemoryStore() })))
  )

describe("Effect API smoke", () => {
  it.effect("create, insert, read back, stream a range", () =>
    Effect.gen(function*() {
      const session = yield* Session.begin
      const db = yield* Database.create(session, "smoke.edb")
      yield* Table.create(db, {
        name: "people",
        columns: {
          id: { type: "Long" },
          name: { type: "Text" },
          tags: { type: "Text", multiValued: true }
        },
        indexes: [{ name: "by_id", key: ["id"], primary: true }, { name: "by_name", key: ["name"] }]
      })
      const people = yield* Cursor.open(db, "people")
      yield* Transaction.withSessionTransaction(
        session,
        Effect.forEach(
          [3, 1, 2],
          (id) => Cursor.insert(people, { id, name: `p${id}`, tags: [`t${id}`, "x"] })
        )
      )
      expect(yield* Cursor.seek(people, [2])).toBe("found")
      expect(yield* Cursor.read(people)).toEqual({ id: 2, name: "p2", tags: ["t2", "x"] })
      const rows = yield* Stream.runCollect(Cursor.stream(db, "people", { from: [2] }))
      expect(rows.map((r) => r["id"])).toEqual([2, 3])
    }).pipe(Effect.scoped, Effect.provide(layer())))
})

describe("batch retrieval", () => {
  it.effect("readBatch (one JetRetrieveColumns) reads what read reads, NULLs, long values and multi-values included", () =>
    Effect.gen(function*() {
      const session = yield* Session.begin
      const db = yield* Database.create(session, "batch.edb")
      yield* Table.create(db, {
        name: "wide",
        columns: {
          id: { type: "Long" },
          note: { type: "LongText" },
          blob: { type: "LongBinary" },
          when: { type: "DateTime" },
          tags: { type: "Text", multiValued: true },
          empty: { type: "Text" }
        },
        indexes: [{ name: "pk", key: ["id"], primary: true }]
      })
      const wide = yield* Cursor.open(db, "wide")
      const long = "x".repeat(1000)
      yield* Cursor.insert(wide, {
        id: 1,
        note: long,
        blob: new Uint8Array(300).fill(7),
        when: new Date("1850-01-02T03:04:05.006Z"),
        tags: ["a", "b"]
      })
      expect(yield* Cursor.moveFirst(wide)).toBe(true)
      const one = yield* Cursor.read(wide)
      const batch = yield* Cursor.readBatch(wide)
      expect(batch).toEqual(one)
      expect(batch["note"]).toBe(long)
      expect(batch["empty"]).toBeNull()
      expect(Object.keys(yield* Cursor.readBatch(wide, ["tags", "id"]))).toEqual(["tags", "id"])
    }).pipe(Effect.scoped, Effect.provide(layer())))
})

describe("empty key values", () => {
  it.effect("a seek on an empty string finds the zero-length value, not the NULL one (JET_bitKeyDataZeroLength)", () =>
    Effect.gen(function*() {
      const session = yield* Session.begin
      const db = yield* Database.create(session, "empty-keys.edb")
      yield* Table.create(db, {
        name: "t",
        columns: { id: { type: "Long" }, name: { type: "Text" } },
        indexes: [{ name: "pk", key: ["id"], primary: true }, { name: "by_name", key: ["name"] }]
      })
      const t = yield* Cursor.open(db, "t")
      yield* Cursor.insert(t, { id: 1, name: null })
      yield* Cursor.insert(t, { id: 2, name: "" })
      yield* Cursor.setIndex(t, "by_name")
      expect(yield* Cursor.seek(t, [""])).toBe("found")
      expect(yield* Cursor.read(t)).toEqual({ id: 2, name: "" })
      expect(yield* Cursor.seek(t, [null])).toBe("found")
      expect((yield* Cursor.read(t))["id"]).toBe(1)
    }).pipe(Effect.scoped, Effect.provide(layer())))
})

describe("schema read back", () => {
  it.effect("Table.columns and Table.indexes return what Table.create described, after adding and deleting", () =>
    Effect.gen(function*() {
      const session = yield* Session.begin
      const db = yield* Database.create(session, "schema.edb")
      yield* Table.create(db, {
        name: "orders",
        columns: {
          id: { type: "Long", autoincrement: true },
          customer: { type: "Text", ascii: true },
          placed: { type: "DateTime" },
          lines: { type: "Long", multiValued: true }
        },
        indexes: [
          { name: "pk", key: ["id"], primary: true },
          { name: "by_customer_date", key: ["customer", "-placed"], unique: true }
        ]
      })
      yield* Table.addColumn(db, "orders", "note", { type: "LongText" })
      yield* Table.deleteColumn(db, "orders", "lines")
      yield* Table.createIndex(db, "orders", { name: "by_date", key: ["-placed"] })
      yield* Table.deleteIndex(db, "orders", "by_customer_date")
      const columns = yield* Table.columns(db, "orders")
      // The engine lists columns by id: fixed columns first, then variable, then tagged.
      expect(columns.map((c) => [c.name, c.type, c.cp])).toEqual([
        ["id", "Long", 0],
        ["placed", "DateTime", 0],
        ["customer", "Text", 1252],
        ["note", "LongText", 1200]
      ])
      const indexes = yield* Table.indexes(db, "orders")
      expect(indexes.map((i) => [i.name, i.key, i.primary, i.unique]).sort()).toEqual([
        ["by_date", ["-placed"], false, false],
        ["pk", ["+id"], true, true]
      ])
    }).pipe(Effect.scoped, Effect.provide(layer())))
})
