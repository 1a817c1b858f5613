/**
 * Inventory: concurrent orders take stock from shared products, each order in a session and a
 * transaction of its own. Stock is read and then written back (a plain column, no escrow), so two
 * orders for one product at once collide: the second gets JET_errWriteConflict, and
 * Transaction.retryOnConflict runs its whole transaction again from a fresh snapshot. An order for
 * more than is left fails with a typed error and changes nothing. The tables are described once and
 * every operation works on the database in the context: each order's transaction borrows a session
 * of its pool. Runs on Windows with esent.dll and anywhere else with the in-memory engine.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Console, Data, Effect, Layer, Schedule, Stream } from "effect"
import { Cursor, Esent, EsentDatabase, isWriteConflict, Jet, Table, Transaction } from "effect-esent"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const folder = mkdtempSync(join(tmpdir(), "effect-esent-inventory-")) + "/"
// The folder holds the database files on Windows; it goes when the example ends, whatever the outcome.
process.once("exit", () => rmSync(folder, { recursive: true, force: true }))
const file = join(folder, "inventory.edb")

const Products = Table.make({
  name: "products",
  columns: {
    sku: { type: "Text", maxLength: 32, notNull: true },
    stock: { type: "Long", notNull: true },
    sold: { type: "Long", notNull: true }
  },
  indexes: [{ name: "by_sku", key: ["sku"], primary: true }]
})

const Orders = Table.make({
  name: "orders",
  columns: {
    id: { type: "Long", notNull: true },
    sku: { type: "Text", maxLength: 32, notNull: true },
    quantity: { type: "Long", notNull: true },
    attempts: { type: "Long", notNull: true }
  },
  indexes: [{ name: "by_id", key: ["id"], primary: true }, { name: "by_sku", key: ["sku", "id"] }]
})

class OutOfStock extends Data.TaggedError("OutOfStock")<{
  readonly sku: string
  readonly wanted: number
  readonly left: number
}> {}

const initialStock: ReadonlyArray<readonly [string, number]> = [["apple", 40], ["pear", 25], ["plum", 12]]
const orders = Array.from({ length: 30 }, (_, i) => ({
  id: i + 1,
  sku: initialStock[i % initialStock.length]![0],
  quantity: 1 + (i % 4)
}))

let conflicts = 0

/** Places one order in a transaction of its own; retried as a whole on a write conflict. */
const place = (order: (typeof orders)[number]) =>
  Effect.gen(function*() {
    let attempts = 0
    const transaction = Transaction.withTransaction(
      Effect.gen(function*() {
        attempts++
        const found = yield* Table.get(Products, [order.sku])
        if (found._tag === "None") return yield* Effect.die(`no ${order.sku}`)
        const { stock, sold } = found.value
        if (stock < order.quantity) {
          return yield* new OutOfStock({ sku: order.sku, wanted: order.quantity, left: stock })
        }
        // Other orders run between this read and the write below, as they would in a busy server.
        yield* Effect.yieldNow
        yield* Table.update(Products, [order.sku], {
          stock: stock - order.quantity,
          sold: sold + order.quantity
        })
        yield* Table.insert(Orders, { id: order.id, sku: order.sku, quantity: order.quantity, attempts })
      })
    ).pipe(Effect.tapError((error) => Effect.sync(() => isWriteConflict(error) && conflicts++)))
    yield* Transaction.retryOnConflict(
      transaction,
      Schedule.max([Schedule.jittered(Schedule.exponential("1 millis")), Schedule.recurs(20)])
    )
    return attempts
  })

const program = Effect.gen(function*() {
  yield* Table.create(Products)
  yield* Table.create(Orders)
  yield* Transaction.withTransaction(
    Effect.forEach(initialStock, ([sku, stock]) => Table.insert(Products, { sku, stock, sold: 0 }), {
      discard: true
    })
  )
  yield* Console.log(`stock: ${initialStock.map(([sku, stock]) => `${sku} ${stock}`).join(", ")}`)

  const outcomes = yield* Effect.forEach(
    orders,
    (order) =>
      place(order).pipe(
        Effect.map((attempts) => ({ placed: true, attempts })),
        Effect.catchTag("OutOfStock", (e) =>
          Console.log(`order ${order.id}: ${e.wanted} ${e.sku} wanted, ${e.left} left: rejected`).pipe(
            Effect.as({ placed: false, attempts: 1 })
          ))
      ),
    { concurrency: 8 }
  )
  const placed = outcomes.filter((o) => o.placed).length
  yield* Console.log(
    `${orders.length} orders: ${placed} placed, ${
      orders.length - placed
    } rejected, ${conflicts} write conflicts retried`
  )

  // Every unit is either on the shelf or in exactly one placed order.
  const rows = yield* Table.select(Products)
  for (const { sku, stock, sold } of rows) {
    const ordered = yield* Stream.runFold(
      Cursor.stream(Orders, { index: "by_sku", from: [sku], to: [sku] }),
      () => 0,
      (sum, order) => sum + order.quantity
    )
    const initial = initialStock.find(([name]) => name === sku)![1]
    const consistent = stock + ordered === initial && sold === ordered
    yield* Console.log(`${sku}: ${stock} left, ${ordered} sold${consistent ? "" : "  <- INCONSISTENT"}`)
    if (!consistent) return yield* Effect.die(`the stock of ${sku} does not add up`)
  }
})

const EsentLive = Esent.layer({
  instanceName: "inventory",
  systemPath: folder,
  logFilePath: folder,
  tempPath: folder,
  createPathIfNotExist: true
}).pipe(Layer.provide(Jet.layerAuto()))

// A fresh database file on every run, over a pool as large as the orders running at once.
const DatabaseLive = EsentDatabase.layer({ path: file, overwrite: true, sessions: 8 }).pipe(
  Layer.provide(EsentLive)
)

NodeRuntime.runMain(program.pipe(Effect.provide(DatabaseLive)))
