/**
 * Event log: an append-only table of account events, numbered by the engine (an autoincrement
 * column) and indexed by account then number. Each batch of events is appended in one
 * transaction, so a batch that breaks a rule leaves no trace. Readers stream one account's history
 * by index range, or every event after a checkpoint, without loading the table into memory. The
 * table is described once and every operation works on the database in the context. Runs on
 * Windows with esent.dll and anywhere else with the in-memory engine.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Console, Data, Effect, Layer, Stream } from "effect"
import { Cursor, Esent, EsentDatabase, Jet, Table, Transaction } from "effect-esent"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const folder = mkdtempSync(join(tmpdir(), "effect-esent-event-log-")) + "/"
// The folder holds the database files on Windows; it goes when the example ends, whatever the outcome.
process.once("exit", () => rmSync(folder, { recursive: true, force: true }))

type Event = {
  readonly account: string
  readonly kind: "opened" | "deposited" | "withdrew"
  readonly amount: number
}

class Overdrawn
  extends Data.TaggedError("Overdrawn")<{ readonly account: string; readonly balance: number }>
{}

const batches: ReadonlyArray<ReadonlyArray<Event>> = [
  [
    { account: "alice", kind: "opened", amount: 0 },
    { account: "bob", kind: "opened", amount: 0 },
    { account: "alice", kind: "deposited", amount: 100 },
    { account: "bob", kind: "deposited", amount: 30 }
  ],
  [
    { account: "alice", kind: "withdrew", amount: 40 },
    { account: "carol", kind: "opened", amount: 0 },
    { account: "carol", kind: "deposited", amount: 500 }
  ],
  // Bob cannot take out 80: the whole batch is rolled back, carol's withdrawal with it.
  [
    { account: "carol", kind: "withdrew", amount: 200 },
    { account: "bob", kind: "withdrew", amount: 80 }
  ],
  [
    { account: "bob", kind: "deposited", amount: 15 },
    { account: "alice", kind: "deposited", amount: 5 }
  ]
]

const Events = Table.make({
  name: "events",
  columns: {
    seq: { type: "Long", autoincrement: true },
    account: { type: "Text", maxLength: 128, notNull: true },
    kind: { type: "Text", maxLength: 32, notNull: true },
    amount: { type: "Long", notNull: true },
    at: { type: "DateTime" }
  },
  indexes: [{ name: "by_seq", key: ["seq"], primary: true }, { name: "by_account", key: ["account", "seq"] }]
})

const signed = (event: Table.Row<typeof Events>): number =>
  event.kind === "withdrew" ? -event.amount : event.amount

const program = Effect.gen(function*() {
  yield* Table.create(Events)

  /** One account's history, oldest first: a range on the account's prefix of the index. */
  const history = (account: string) =>
    Cursor.stream(Events, { index: "by_account", from: [account], to: [account] })
  const balance = (account: string) => Stream.runFold(history(account), () => 0, (sum, e) => sum + signed(e))

  const append = (batch: ReadonlyArray<Event>) =>
    Transaction.withTransaction(
      Effect.forEach(batch, (event) =>
        Effect.gen(function*() {
          yield* Table.insert(Events, { ...event, at: new Date() })
          // Reads inside the transaction see the batch's own events.
          const now = yield* balance(event.account)
          if (now < 0) return yield* new Overdrawn({ account: event.account, balance: now })
        }), { discard: true })
    )

  let checkpoint = 0
  for (const [i, batch] of batches.entries()) {
    yield* append(batch).pipe(
      Effect.andThen(Console.log(`batch ${i + 1}: appended ${batch.length} events`)),
      Effect.catchTag(
        "Overdrawn",
        (e) => Console.log(`batch ${i + 1}: rolled back, ${e.account} would be overdrawn (${e.balance})`)
      )
    )
    // A reader remembers how far it got after the second batch.
    if (i === 1) {
      const last = yield* Stream.runLast(Cursor.stream(Events))
      checkpoint = last._tag === "Some" ? last.value.seq : 0
    }
  }

  const total = yield* Stream.runCount(Cursor.stream(Events))
  yield* Console.log(`the log holds ${total} events`)
  for (const account of ["alice", "bob", "carol"]) {
    const kinds = yield* Stream.runCollect(
      history(account).pipe(Stream.map((e) => `${e.kind} ${e.amount}`))
    )
    yield* Console.log(`${account}: ${kinds.join(", ")} -> balance ${yield* balance(account)}`)
  }
  // Numbers the rolled-back batch took are not given out again: the log has gaps, never reuse.
  const since = yield* Stream.runCollect(
    Cursor.stream(Events, { from: [checkpoint], fromExclusive: true }).pipe(
      Stream.map((e) => `#${e.seq} ${e.account} ${e.kind} ${e.amount}`)
    )
  )
  yield* Console.log(`after checkpoint #${checkpoint}: ${since.join("; ")}`)
})

const EsentLive = Esent.layer({
  instanceName: "event-log",
  systemPath: folder,
  logFilePath: folder,
  tempPath: folder,
  createPathIfNotExist: true
}).pipe(Layer.provide(Jet.layerAuto()))

// A fresh database file on every run, attached over a pool of sessions.
const DatabaseLive = EsentDatabase.layer({ path: join(folder, "events.edb"), overwrite: true }).pipe(
  Layer.provide(EsentLive)
)

NodeRuntime.runMain(program.pipe(Effect.provide(DatabaseLive)))
