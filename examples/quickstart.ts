/**
 * Quickstart: a table of people, a transaction, a seek and a range scan. Runs on Windows with
 * esent.dll and anywhere else with the in-memory engine.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Layer, Stream } from "effect"
import { Cursor, Database, Esent, Jet, Session, Table, Transaction } from "effect-esent"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const folder = mkdtempSync(join(tmpdir(), "effect-esent-quickstart-")) + "/"

const program = Effect.gen(function*() {
  const session = yield* Session.begin
  const db = yield* Database.create(session, join(folder, "people.edb"))
  yield* Table.create(db, {
    name: "people",
    columns: {
      id: { type: "Long", autoincrement: true },
      name: { type: "Text" },
      born: { type: "DateTime" }
    },
    indexes: [{ name: "by_id", key: ["id"], primary: true }, { name: "by_name", key: ["name"] }]
  })
  const people = yield* Cursor.open(db, "people")
  yield* Transaction.withTransaction(
    session,
    Effect.forEach(
      [["Ada", "1815-12-10"], ["Grace", "1906-12-09"], ["Alan", "1912-06-23"]] as const,
      ([name, born]) => Cursor.insert(people, { name, born: new Date(born) })
    )
  )
  yield* Console.log("inserted 3 people")

  yield* Cursor.setIndex(people, "by_name")
  const found = yield* Cursor.seek(people, ["Grace"])
  const grace = yield* Cursor.read(people)
  yield* Console.log(
    `seek "Grace": ${found}, id ${grace["id"]}, born ${(grace["born"] as Date).toISOString().slice(0, 10)}`
  )

  const names = yield* Stream.runCollect(
    Cursor.stream(db, "people", {
      index: "by_name",
      from: ["A"],
      to: ["B"],
      toExclusive: true,
      columns: ["name"]
    })
  )
  yield* Console.log(`names from A to B: ${names.map((row) => row["name"]).join(", ")}`)
})

const EsentLive = Esent.layer({
  instanceName: "quickstart",
  systemPath: folder,
  logFilePath: folder,
  tempPath: folder,
  createPathIfNotExist: true
}).pipe(Layer.provide(Jet.layerAuto()))

NodeRuntime.runMain(program.pipe(Effect.scoped, Effect.provide(EsentLive)))
