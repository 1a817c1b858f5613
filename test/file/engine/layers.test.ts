// One Effect program (open, list tables and columns, seek on an index, stream a range) on the
// in-memory engine and on the file engine reading real files, with the same results.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Stream } from "effect"
import { afterAll } from "vitest"
import { EseFile } from "../../../src/file/index.ts"
import type { Database as Db } from "../../../src/index.ts"
import { Cursor, Database, Esent, Jet, Session, Table } from "../../../src/index.ts"
import { makeMemoryEngine, makeMemoryStore } from "../../../src/memory/index.ts"
import { unpackFixtures } from "../fixtures.ts"
import { tableNames } from "./objectList.ts"

const fixtures = unpackFixtures(["index.edb", "large.edb"])
afterAll(() => fixtures.cleanup())

const memoryLayer = () =>
  Esent.layer({ instanceName: "layers-memory" }).pipe(
    Layer.provide(Jet.layerApi(makeMemoryEngine({ store: makeMemoryStore() })))
  )
const fileLayer = (cacheBytes?: number) =>
  Esent.layer({ instanceName: "layers-file" }).pipe(
    Layer.provide(Jet.layerFile(cacheBytes === undefined ? {} : { cacheBytes }))
  )

/** The columns both sides have: index.edb's table holds more, each of another type. */
const indexColumns = ["Id", "Long", "ASCII", "GUID", "DateTime", "IEEEDouble", "Binary", "UnsignedShort"]

/** The program under test: the same on both engines. */
const survey = (db: Db.Database, largeDb: Db.Database) =>
  Effect.gen(function*() {
    const tables = [...new Set([...(yield* tableNames(db)), ...(yield* tableNames(largeDb))])]
    const columns = (yield* Table.columns(db, "index")).filter((c) => indexColumns.includes(c.name))
    const cursor = yield* Cursor.open(db, "index")
    yield* Cursor.setIndex(cursor, "IxLong")
    const seek = yield* Cursor.seek(cursor, [-13371337])
    const found = yield* Cursor.read(cursor, ["Id", "ASCII"])
    const missing = yield* Cursor.seek(cursor, [5])
    const range = yield* Stream.runCollect(
      Cursor.stream(largeDb, "large", {
        index: "IxId",
        from: [3],
        to: [7],
        columns: ["Id", "Column8192", "Column16384"]
      })
    )
    const last = yield* Cursor.open(largeDb, "large")
    yield* Cursor.moveLast(last)
    const tail = [yield* Cursor.read(last, ["Id"])]
    yield* Cursor.movePrevious(last)
    tail.push(yield* Cursor.read(last, ["Id"]))
    const row = yield* Stream.runCollect(Cursor.stream(db, "index", { index: "IxId", columns: indexColumns }))
    return {
      tables: tables.sort(),
      columns: columns.map((c) => `${c.name}:${c.type}:${c.cp}`).sort(),
      seek,
      found,
      missing,
      range: range.map((r) => [r["Id"], r["Column8192"], r["Column16384"]]),
      tail: tail.map((r) => r["Id"]),
      row: row.map((r) => ({ ...r, Binary: Buffer.from(r["Binary"] as Uint8Array).toString("hex") }))
    }
  })

/** Reads through the file engine what the memory side must hold: index.edb's row and large.edb's ids. */
const fileRows = Effect.gen(function*() {
  const session = yield* Session.begin
  const index = yield* Database.attach(session, fixtures.path("index.edb"), { readOnly: true })
  const indexRow = yield* Stream.runCollect(Cursor.stream(index, "index", { columns: indexColumns }))
  // large.edb's table has 64,994 columns: its rows are read with the reader directly, faster.
  const file = EseFile.open(fixtures.path("large.edb"))
  const table = file.table("large")
  const largeRows = [...file.records(table)].map((record) =>
    Object.fromEntries(
      ["Id", "Column8192", "Column16384"].map((name) => [name, record.value(file.column(table, name))])
    )
  )
  file.close()
  return { indexRow: indexRow[0]!, largeRows }
}).pipe(Effect.scoped, Effect.provide(fileLayer()))

describe("one Effect program on Jet.layerMemory() and Jet.layerFile()", () => {
  it.effect("lists, seeks and streams the same on both", () =>
    Effect.gen(function*() {
      const { indexRow, largeRows } = yield* fileRows
      const onFile = yield* Effect.gen(function*() {
        const session = yield* Session.begin
        // Both files attached; the program reads both tables through the database that holds each.
        const index = yield* Database.attach(session, fixtures.path("index.edb"), { readOnly: true })
        const large = yield* Database.attach(session, fixtures.path("large.edb"), { readOnly: true })
        return yield* survey(index, large)
      }).pipe(Effect.scoped, Effect.provide(fileLayer()))

      const onMemory = yield* Effect.gen(function*() {
        const session = yield* Session.begin
        const db = yield* Database.create(session, "layers.edb")
        yield* Table.create(db, {
          name: "index",
          columns: {
            Id: { type: "Long" },
            Long: { type: "Long" },
            ASCII: { type: "Text", ascii: true },
            GUID: { type: "GUID" },
            DateTime: { type: "DateTime" },
            IEEEDouble: { type: "IEEEDouble" },
            Binary: { type: "Binary" },
            UnsignedShort: { type: "UnsignedShort" }
          },
          indexes: [{ name: "IxId", key: ["Id"], primary: true }, { name: "IxLong", key: ["Long"] }]
        })
        yield* Table.create(db, {
          name: "large",
          columns: {
            Id: { type: "Long" },
            Column8192: { type: "UnsignedShort" },
            Column16384: { type: "UnsignedShort" }
          },
          indexes: [{ name: "IxId", key: ["Id"], primary: true }]
        })
        const index = yield* Cursor.open(db, "index")
        yield* Cursor.insert(index, indexRow)
        const large = yield* Cursor.open(db, "large")
        for (const row of largeRows) yield* Cursor.insert(large, row)
        return yield* survey(db, db)
      }).pipe(Effect.scoped, Effect.provide(memoryLayer()))

      expect(onFile).toEqual(onMemory)
      // What both read, stated: a wrong seek, range or decode on either side fails here.
      expect(onFile.tables).toEqual(["index", "large"])
      expect(onFile.seek).toBe("found")
      expect(onFile.found).toEqual({ Id: 1, ASCII: "Simple ASCII text" })
      expect(onFile.missing).toBe("notFound")
      // Record k of large.edb holds Column((k-1)*4096) .. Column(k*4096-1), each equal to its number.
      expect(onFile.range).toEqual([[3, 8192, null], [4, null, null], [5, null, 16384], [6, null, null], [
        7,
        null,
        null
      ]])
      expect(onFile.tail).toEqual([16, 15])
      expect(onFile.row[0]).toMatchObject({ Id: 1, Long: -13371337, UnsignedShort: 1337 })
      expect(onFile.columns).toContain("ASCII:Text:1252")
    }))
})
