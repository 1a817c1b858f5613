// A program as a user of the installed package writes it: the Effect API from "effect-esent", the
// JET contract from "effect-esent/jet", and the in-memory engine with its test hooks from
// "effect-esent/memory". Creates a table, inserts, reads back, prints.
import { Effect, Layer } from "effect"
import { Cursor, Database, Esent, Jet, Session, Table, Transaction } from "effect-esent"
import { jetErrorCodes } from "effect-esent/jet"
import { makeMemoryEngine, type MemoryEngine } from "effect-esent/memory"

const engine: MemoryEngine = makeMemoryEngine()

const program = Effect.gen(function*() {
  const session = yield* Session.begin
  const db = yield* Database.create(session, "people.edb")
  yield* Table.create(db, {
    name: "people",
    columns: { id: { type: "Long", autoincrement: true }, name: { type: "Text" } },
    indexes: [{ name: "by_id", key: ["id"], primary: true }, { name: "by_name", key: ["name"] }]
  })
  const people = yield* Cursor.open(db, "people")
  yield* Transaction.withSessionTransaction(
    session,
    Effect.forEach(["Grace", "Ada"], (name) => Cursor.insert(people, { name }))
  )
  yield* Cursor.setIndex(people, "by_name")
  const found = yield* Cursor.seek(people, ["Ada"])
  const ada = yield* Cursor.read(people)
  console.log(`seek Ada: ${found}, id ${String(ada["id"])}, name ${String(ada["name"])}`)

  engine.injectFault({ method: "JetUpdate", err: jetErrorCodes.JET_errDiskFull })
  const failed = yield* Effect.flip(
    Transaction.withSessionTransaction(session, Cursor.insert(people, { name: "Alan" }))
  )
  console.log(`injected fault: ${failed._tag}`)
  engine.clearFaults()
})

const EsentLive = Esent.layer({ instanceName: "consumer" }).pipe(Layer.provide(Jet.layerApi(engine)))

await Effect.runPromise(program.pipe(Effect.scoped, Effect.provide(EsentLive)))
console.log(`instances open afterwards: ${engine.inspect().instances.length}`)
