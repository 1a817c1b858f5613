/**
 * Reading a real ESE database file: `large.edb`, written by ESE on Windows (a table of 64,994
 * columns and 16 records), read on any OS through the same Effect API as every other example, with
 * the read-only file engine. The file is unpacked into a temporary folder that is removed at the
 * end; nothing is ever written to it.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Layer } from "effect"
import { Cursor, Database, Esent, Jet, Session, Table } from "effect-esent"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gunzipSync } from "node:zlib"

const source = join(import.meta.dirname, "..", "test", "fixtures", "real-edb", "large.edb.gz")

/** The gunzipped file in a temporary folder, removed when the scope ends. */
const unpacked = Effect.acquireRelease(
  Effect.sync(() => {
    const folder = mkdtempSync(join(tmpdir(), "effect-esent-real-file-"))
    const path = join(folder, "large.edb")
    writeFileSync(path, gunzipSync(readFileSync(source)))
    return { folder, path }
  }),
  ({ folder }) => Effect.sync(() => rmSync(folder, { recursive: true, force: true }))
)

const program = Effect.gen(function*() {
  const { path } = yield* unpacked
  const session = yield* Session.begin
  const db = yield* Database.attach(session, path, { readOnly: true })
  const info = yield* Database.info(db)
  yield* Console.log(
    `large.edb: ${info.filesizePages} pages of ${info.pageSize} bytes, ${info.state ?? "state unknown"}`
  )

  // Table.columns would list all 64,994 columns; the indexes are few.
  const indexes = yield* Table.indexes(db, "large")
  yield* Console.log(
    `table large: indexes ${indexes.map((i) => `${i.name} (${i.key.join(", ")})`).join("; ")}`
  )

  const cursor = yield* Cursor.open(db, "large")
  yield* Cursor.moveFirst(cursor)
  yield* Console.log(`records: ${yield* Cursor.count(cursor)}`)
  yield* Cursor.setIndex(cursor, "IxId")
  yield* Console.log(`seek Id 9: ${yield* Cursor.seek(cursor, [9])}`)
  // Record k holds Column((k-1)*4096) .. Column(k*4096-1), each equal to its number.
  const nine = yield* Cursor.read(cursor, ["Id", "Column0", "Column32768", "Column36863"])
  yield* Console.log(`record 9: ${JSON.stringify(nine)}`)

  // An index range on the same cursor (each new cursor reads the list of all 64,994 columns).
  const ids: Array<unknown> = []
  let more = yield* Cursor.setRange(cursor, { from: [5], to: [8] })
  while (more) {
    ids.push((yield* Cursor.read(cursor, ["Id"]))["Id"])
    more = yield* Cursor.moveNext(cursor)
  }
  yield* Console.log(`ids 5 to 8 by range: ${ids.join(", ")}`)

  const refused = yield* Effect.flip(Cursor.insert(cursor, { Id: 17 }))
  yield* Console.log(`an insert is refused: ${refused._tag}`)
})

const FileLive = Esent.layer({ instanceName: "read-real-file" }).pipe(Layer.provide(Jet.layerFile()))

NodeRuntime.runMain(program.pipe(Effect.scoped, Effect.provide(FileLive)))
