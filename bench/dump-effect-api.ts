/**
 * Dumps every table of a database through the Effect API's file layer (`Jet.layerFile`): attach
 * read-only, then `Cursor.stream` over each table with all its columns, each row serialized to JSON.
 * Prints the records and bytes produced. Used by bench/cli-vs-esedbexport.ts.
 *
 * `node bench/dump-effect-api.ts FILE [cacheBytes]`
 */
import { Effect, Layer, Stream } from "effect"
import { EseFile } from "../src/file/index.ts"
import { Cursor, Database, Esent, Jet, Session, Table } from "../src/index.ts"

const path = process.argv[2]!
const cacheBytes = process.argv[3] === undefined ? undefined : Number(process.argv[3])
// The table names only (the Effect API has no call listing tables yet). The engine opens user
// tables; the MSys* system tables (the catalog) are not tables a program opens.
const probe = EseFile.open(path)
const names = probe.tables.map((t) => t.name).filter((name) => !name.startsWith("MSys"))
probe.close()

const json = (value: unknown): unknown =>
  value instanceof Uint8Array
    ? Buffer.from(value).toString("base64")
    : typeof value === "bigint"
    ? String(value)
    : value

const program = Effect.gen(function*() {
  const session = yield* Session.begin
  const db = yield* Database.attach(session, path, { readOnly: true })
  let records = 0
  let bytes = 0
  for (const name of names) {
    const columns = (yield* Table.columns(db, name)).map((c) => c.name)
    yield* Stream.runForEach(Cursor.stream(db, name, { columns }), (row) =>
      Effect.sync(() => {
        records++
        bytes += JSON.stringify(row, (_, v) => json(v)).length + 1
      }))
  }
  return { records, bytes }
}).pipe(
  Effect.scoped,
  Effect.provide(
    Esent.layer({ instanceName: "bench-dump" }).pipe(
      Layer.provide(Jet.layerFile(cacheBytes === undefined ? {} : { cacheBytes }))
    )
  )
)

const result = await Effect.runPromise(program)
console.log(JSON.stringify(result))
