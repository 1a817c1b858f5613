/**
 * Typed tables: a table of books defined once with effect Schema. The columns come from the
 * schema's fields, records go in and out as the schema's type, and index keys are typed by the
 * indexed fields. The table's operations work on the database in the context (`EsentDatabase`),
 * as `Table`'s do. Runs on Windows with esent.dll and anywhere else with the in-memory engine.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Layer, Option, Schema, Stream } from "effect"
import { Cursor, Esent, EsentDatabase, Jet, Transaction, TypedTable } from "effect-esent"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const folder = mkdtempSync(join(tmpdir(), "effect-esent-typed-")) + "/"
// The folder holds the database files on Windows; it goes when the example ends, whatever the outcome.
process.once("exit", () => rmSync(folder, { recursive: true, force: true }))

const Book = Schema.Struct({
  isbn: Schema.String.check(Schema.isMaxLength(17)),
  title: Schema.String,
  year: Schema.Int.check(Schema.isBetween({ minimum: 1450, maximum: 2100 })),
  published: Schema.Date,
  tags: Schema.Array(Schema.String),
  pages: Schema.optional(Schema.Int.pipe(TypedTable.column({ type: "UnsignedShort" })))
})

const Books = TypedTable.make({
  name: "books",
  schema: Book,
  primaryKey: ["isbn"],
  indexes: { byYear: ["-year", "title"], byTag: ["tags"] }
})

const books: ReadonlyArray<typeof Book.Type> = [
  {
    isbn: "978-0-14-143951-8",
    title: "Pride and Prejudice",
    year: 1813,
    published: new Date("1813-01-28"),
    tags: ["novel"],
    pages: 432
  },
  {
    isbn: "978-0-486-28211-4",
    title: "Frankenstein",
    year: 1818,
    published: new Date("1818-01-01"),
    tags: ["novel"]
  },
  {
    isbn: "978-0-19-953556-9",
    title: "On the Origin of Species",
    year: 1859,
    published: new Date("1859-11-24"),
    tags: ["science"]
  },
  {
    isbn: "978-0-262-03384-8",
    title: "Introduction to Algorithms",
    year: 1990,
    published: new Date("1990-01-01"),
    tags: ["science", "computing"],
    pages: 1312
  },
  {
    isbn: "978-0-201-89683-1",
    title: "The Art of Computer Programming",
    year: 1968,
    published: new Date("1968-01-01"),
    tags: ["computing"]
  }
]

const program = Effect.gen(function*() {
  yield* Books.create()
  yield* Books.create() // an existing table is checked against the definition, not re-created
  const columns = Books.columns.map((c) =>
    `${c.column}: ${c.definition.type}${c.definition.multiValued ? "[]" : ""}`
  )
  yield* Console.log(`created ${Books.name} (${columns.join(", ")})`)

  // One transaction: every book or none.
  yield* Transaction.withTransaction(Effect.forEach(books, Books.insert, { discard: true }))
  yield* Console.log(`inserted ${books.length} books`)

  const found = yield* Books.get("978-0-19-953556-9")
  yield* Console.log(
    `get by ISBN: ${
      Option.match(found, {
        onNone: () => "none",
        onSome: (b) => `${b.title}, ${b.published.toISOString().slice(0, 10)}`
      })
    }`
  )

  const revised = yield* Books.upsert({ ...books[1]!, pages: 280 })
  yield* Console.log(`upsert Frankenstein: ${revised}`)

  const titles = <E, R>(stream: Stream.Stream<typeof Book.Type, E, R>) =>
    Stream.runCollect(stream).pipe(Effect.map((found) => found.map((b) => `${b.year} ${b.title}`).join("; ")))
  yield* Console.log(
    `19th century, newest first: ${yield* titles(Books.query("byYear", { from: [1899], to: [1800] }))}`
  )
  yield* Console.log(
    `same range, oldest first: ${yield* titles(
      Books.query("byYear", { from: [1899], to: [1800], reverse: true })
    )}`
  )
  yield* Console.log(`tagged computing: ${yield* titles(Books.query("byTag", { prefix: ["computing"] }))}`)

  const rejected = yield* Effect.flip(Books.insert({ ...books[0]!, isbn: "978-0-00-000000-0", year: 1066 }))
  yield* Console.log(`a book from 1066 is refused: ${rejected._tag}, ${rejected.message.split("\n")[0]}`)

  // Untyped code can still write rows the schema would refuse; reading one back is a typed error.
  const raw = yield* Cursor.open("books")
  yield* Cursor.insert(raw, {
    isbn: "000-bad",
    title: "Anonymous",
    year: 3000,
    published: new Date(),
    tags: []
  })
  const bad = yield* Effect.flip(Books.get("000-bad"))
  yield* Console.log(`reading a row written around the schema: ${bad.message.split("\n")[0]}`)

  yield* Console.log(`delete Frankenstein: ${yield* Books.remove("978-0-486-28211-4")}`)
})

const EsentLive = Esent.layer({
  instanceName: "typed-tables",
  systemPath: folder,
  logFilePath: folder,
  tempPath: folder,
  createPathIfNotExist: true
}).pipe(Layer.provide(Jet.layerAuto()))

// A fresh database file on every run, attached over a pool of sessions.
const DatabaseLive = EsentDatabase.layer({ path: join(folder, "library.edb"), overwrite: true }).pipe(
  Layer.provide(EsentLive)
)

NodeRuntime.runMain(program.pipe(Effect.scoped, Effect.provide(DatabaseLive)))
