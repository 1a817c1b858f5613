/**
 * The quickstart: a table described once, rows inserted in a transaction and read back typed, on
 * the database in the context. Runs on the in-memory engine anywhere and on esent.dll on Windows.
 *
 * Run: `npm start` (or `node examples/quickstart.ts`).
 *
 * @module
 */
import { Effect, Layer, Option } from "effect"
import { Esent, EsentDatabase, Jet, Table, Transaction } from "effect-esent"

// The table, described once: every row below is typed from it.
const People = Table.make({
  name: "people",
  columns: {
    id: { type: "Long", autoincrement: true },
    name: { type: "Text", notNull: true },
    born: { type: "Long" }
  },
  indexes: [{ name: "by_id", key: ["id"], primary: true }, { name: "by_name", key: ["name"] }]
})

const program = Effect.gen(function*() {
  yield* Table.create(People)
  // One transaction: both rows or neither. Each insert answers the id the engine gave the row.
  const [ada, alan] = yield* Transaction.withTransaction(Effect.all([
    Table.insert(People, { name: "Ada Lovelace", born: 1815 }),
    Table.insert(People, { name: "Alan Turing", born: 1912 })
  ]))
  const byName = yield* Table.get(People, ["Alan Turing"], { index: "by_name" })
  const everyone = yield* Table.select(People)
  return { ada, alan, found: Option.map(byName, (row) => row.born), everyone }
})

// The database in the context, over a pool of sessions: a fresh file on every run (without
// `overwrite`, an existing file is attached, and created when missing).
const DatabaseLive = EsentDatabase.layer({ path: "quickstart.edb", overwrite: true }).pipe(
  Layer.provide(Esent.layer({ instanceName: "quickstart" })),
  Layer.provide(Jet.layerMemory()) // Jet.layerNative() on Windows, for esent.dll
)

const result = await Effect.runPromise(program.pipe(Effect.provide(DatabaseLive)))
console.log(result)
