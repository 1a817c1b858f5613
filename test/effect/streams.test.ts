/**
 * Cursor streams: each opens a cursor of its own and closes it exactly once, whether the stream
 * completes, is cut short, fails (in the consumer, in decoding, or in the engine) or is interrupted.
 */
import { describe, expect, it } from "@effect/vitest"
import { Data, Deferred, Effect, Exit, Fiber, Stream } from "effect"
import { Cursor, Transaction } from "../../src/index.ts"
import { jetErrorCodes } from "../../src/jet/index.ts"
import { type Client, createItems, type Harness, itemsTable, makeHarness } from "./harness.ts"

class Rejected extends Data.TaggedError("Rejected")<{ readonly id: number }> {}

const path = "streams.edb"

/** The items database with items 1..20 committed. */
const twenty = Effect.gen(function*() {
  const client = yield* createItems(path)
  yield* Transaction.withSessionTransaction(
    client.session,
    Effect.forEach(Array.from({ length: 20 }, (_, i) => i + 1), (id) => Cursor.insert(client.items, { id }), {
      discard: true
    })
  )
  return client
})

/** The cursors each stream opened on the table, with how often each was closed. */
const streamCursors = (h: Harness, client: Client) =>
  h.calls
    .filter((c) => c.method === "JetOpenTable" && c.err >= 0)
    .map((c) => (c.result as unknown as { readonly tableid: bigint }).tableid)
    .filter((tableid) => tableid !== client.items.tableid)
    .map((tableid) => h.count("JetCloseTable", client.session.sesid, tableid))

const ids = (rows: ReadonlyArray<Cursor.Row>) => rows.map((row) => row["id"])

describe("Cursor.stream", () => {
  it.effect("closes its cursor when it completes", () => {
    const h = makeHarness()
    return Effect.gen(function*() {
      const client = yield* twenty
      let openWhileStreaming = 0
      const rows = yield* Stream.runCollect(
        Cursor.stream(client.db, itemsTable.name, { batchSize: 3, from: [5], to: [12], toExclusive: true })
          .pipe(
            Stream.tap(() =>
              Effect.sync(() => (openWhileStreaming = Math.max(openWhileStreaming, h.openCursors().length)))
            )
          )
      )
      expect(ids(rows)).toEqual([5, 6, 7, 8, 9, 10, 11])
      expect(openWhileStreaming).toBe(2)
      expect(h.openCursors()).toEqual([client.items.tableid])
      expect(streamCursors(h, client)).toEqual([1])
    }).pipe(Effect.scoped, Effect.provide(h.layer()))
  })

  it.effect("closes its cursor when cut short by Stream.take, without reading further", () => {
    const h = makeHarness()
    return Effect.gen(function*() {
      const client = yield* twenty
      const moves = h.count("JetMove")
      const rows = yield* Stream.runCollect(
        Cursor.stream(client.db, itemsTable.name, { batchSize: 2 }).pipe(Stream.take(3))
      )
      expect(ids(rows)).toEqual([1, 2, 3])
      expect(h.count("JetMove") - moves).toBeLessThan(10)
      expect(h.openCursors()).toEqual([client.items.tableid])
      expect(streamCursors(h, client)).toEqual([1])
    }).pipe(Effect.scoped, Effect.provide(h.layer()))
  })

  it.effect("closes its cursor when the consumer fails mid-stream", () => {
    const h = makeHarness()
    return Effect.gen(function*() {
      const client = yield* twenty
      const seen: Array<unknown> = []
      const error = yield* Effect.flip(Stream.runDrain(
        Cursor.stream(client.db, itemsTable.name, { batchSize: 4 }).pipe(
          Stream.mapEffect((row) =>
            row["id"] === 6 ? Effect.fail(new Rejected({ id: 6 })) : Effect.sync(() => seen.push(row["id"]))
          )
        )
      ))
      expect(error).toEqual(new Rejected({ id: 6 }))
      expect(seen).toEqual([1, 2, 3, 4, 5])
      expect(h.openCursors()).toEqual([client.items.tableid])
      expect(streamCursors(h, client)).toEqual([1])
    }).pipe(Effect.scoped, Effect.provide(h.layer()))
  })

  it.effect("closes its cursor when reading a record fails", () => {
    const h = makeHarness()
    return Effect.gen(function*() {
      const client = yield* twenty
      const unknown = yield* Effect.flip(
        Stream.runCollect(Cursor.stream(client.db, itemsTable.name, { columns: ["id", "colour"] }))
      )
      expect(unknown._tag).toBe("UnknownColumnError")

      // An engine failure after the first batch: the rows already read arrive, then the failure.
      const seen: Array<unknown> = []
      const failed = yield* Effect.flip(Stream.runDrain(
        Cursor.stream(client.db, itemsTable.name, { batchSize: 2 }).pipe(
          Stream.tap((row) =>
            Effect.sync(() => {
              seen.push(row["id"])
              if (seen.length === 1) {
                h.engine.injectFault({ method: "JetMove", call: 1, err: jetErrorCodes.JET_errDiskIO })
              }
            })
          )
        )
      ))
      expect(failed._tag).toBe("JET_errDiskIO")
      expect(seen).toEqual([1, 2])
      expect(h.openCursors()).toEqual([client.items.tableid])
      expect(streamCursors(h, client)).toEqual([1, 1])
    }).pipe(Effect.scoped, Effect.provide(h.layer()))
  })

  it.effect("closes its cursor when interrupted", () => {
    const h = makeHarness()
    return Effect.gen(function*() {
      const client = yield* twenty
      const first = yield* Deferred.make<void>()
      const fiber = yield* Effect.forkChild(Stream.runDrain(
        Cursor.stream(client.db, itemsTable.name, { batchSize: 5 }).pipe(
          Stream.tap(() => Effect.andThen(Deferred.succeed(first, undefined), Effect.never))
        )
      ))
      yield* Deferred.await(first)
      expect(h.openCursors()).toHaveLength(2)
      const exit = yield* Fiber.interrupt(fiber).pipe(Effect.andThen(Fiber.await(fiber)))
      expect(Exit.hasInterrupts(exit)).toBe(true)
      expect(h.openCursors()).toEqual([client.items.tableid])
      expect(streamCursors(h, client)).toEqual([1])
    }).pipe(Effect.scoped, Effect.provide(h.layer()))
  })

  it.effect("inside a transaction, sees the transaction's own rows and closes before it commits", () => {
    const h = makeHarness()
    return Effect.gen(function*() {
      const client = yield* twenty
      const inside = yield* Transaction.withSessionTransaction(
        client.session,
        Effect.gen(function*() {
          yield* Cursor.insert(client.items, { id: 21 })
          const rows = yield* Stream.runCollect(
            Cursor.stream(client.db, itemsTable.name, { from: [19], columns: ["id"] })
          )
          return { ids: ids(rows), open: h.openCursors().length }
        })
      )
      expect(inside).toEqual({ ids: [19, 20, 21], open: 1 })
    }).pipe(Effect.scoped, Effect.provide(h.layer()))
  })
})
