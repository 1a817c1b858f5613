/**
 * Transactions through the Effect API: write conflicts between sessions and their retry, nested
 * levels, the level limit, read-only and lazy transactions, one transaction at a time per session,
 * and what a failed commit or rollback leaves behind.
 */
import { describe, expect, it } from "@effect/vitest"
import { Data, Deferred, Effect, Exit, Fiber, Schedule } from "effect"
import { TestClock } from "effect/testing"
import { Cursor, Transaction } from "../../src/index.ts"
import {
  JET_bitCommitLazyFlush,
  JET_bitTransactionReadOnly,
  JET_bitWaitLastLevel0Commit,
  jetErrorCodes
} from "../../src/jet/index.ts"
import {
  addStock,
  captureLogs,
  type Client,
  createItems,
  type Harness,
  itemIds,
  makeHarness,
  openItems,
  stockOf
} from "./harness.ts"

class Boom extends Data.TaggedError("Boom")<{ readonly level: number }> {}

const path = "transactions.edb"

/** A session that created the items database, holding item 1 with a stock of 10. */
const seeded = Effect.gen(function*() {
  const owner = yield* createItems(path)
  yield* Transaction.withSessionTransaction(
    owner.session,
    Cursor.insert(owner.items, { id: 1, name: "widget", stock: 10 })
  )
  return owner
})

const levelOf = (h: Harness, client: Client) =>
  h.openSessions().find((s) => s.sesid === client.session.sesid)?.transactionLevel

describe("write conflicts", () => {
  it.effect("a second session updating a record the first has changed gets JET_errWriteConflict", () => {
    const h = makeHarness()
    return Effect.gen(function*() {
      const owner = yield* seeded
      const a = yield* openItems(path)
      const b = yield* openItems(path)
      const aWrote = yield* Deferred.make<void>()
      const aMayCommit = yield* Deferred.make<void>()
      const first = yield* Effect.forkChild(
        Transaction.withSessionTransaction(
          a.session,
          addStock(a, 1, 1).pipe(
            Effect.andThen(Deferred.succeed(aWrote, undefined)),
            Effect.andThen(Deferred.await(aMayCommit))
          )
        )
      )
      yield* Deferred.await(aWrote)

      const error = yield* Effect.flip(Transaction.withSessionTransaction(b.session, addStock(b, 1, 5)))
      expect(error._tag).toBe("JET_errWriteConflict")
      expect(error).toMatchObject({ code: jetErrorCodes.JET_errWriteConflict })
      const handled = yield* Transaction.withSessionTransaction(b.session, addStock(b, 1, 5)).pipe(
        Effect.as("written"),
        Effect.catchTag(
          "JET_errWriteConflict",
          (conflict) => Effect.succeed(`conflict in ${conflict.operation}`)
        )
      )
      expect(handled).toMatch(/^conflict in Jet/)
      // The losing transaction was rolled back; the winner's is still open.
      expect(levelOf(h, b)).toBe(0)
      expect(levelOf(h, a)).toBe(1)

      yield* Deferred.succeed(aMayCommit, undefined)
      yield* Fiber.join(first)
      expect(yield* stockOf(owner, 1)).toBe(11)
    }).pipe(Effect.scoped, Effect.provide(h.layer()))
  })

  it.effect("retryOnConflict retries the whole transaction once the other one commits", () => {
    const h = makeHarness()
    return Effect.gen(function*() {
      const owner = yield* seeded
      const a = yield* openItems(path)
      const b = yield* openItems(path)
      const aWrote = yield* Deferred.make<void>()
      const bFailed = yield* Deferred.make<void>()
      const aCommitted = yield* Deferred.make<void>()
      const first = yield* Effect.forkChild(
        Transaction.withSessionTransaction(
          a.session,
          addStock(a, 1, 1).pipe(
            Effect.andThen(Deferred.succeed(aWrote, undefined)),
            Effect.andThen(Deferred.await(bFailed))
          )
        ).pipe(Effect.andThen(Deferred.succeed(aCommitted, undefined)))
      )
      yield* Deferred.await(aWrote)

      let attempts = 0
      const second = yield* Effect.forkChild(
        Transaction.retryOnConflict(
          Transaction.withSessionTransaction(
            b.session,
            Effect.andThen(Effect.sync(() => attempts++), addStock(b, 1, 5))
          ).pipe(Effect.tapError(() => Deferred.succeed(bFailed, undefined))),
          Schedule.spaced("1 second")
        )
      )
      yield* Deferred.await(aCommitted)
      // The retry waits on the test clock: it cannot run before the first transaction committed.
      expect(attempts).toBe(1)
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(second)
      yield* Fiber.join(first)
      expect(attempts).toBe(2)
      expect(yield* stockOf(owner, 1)).toBe(16)
    }).pipe(Effect.scoped, Effect.provide(h.layer()))
  })

  it.effect("retryOnConflict does not retry other failures", () => {
    const h = makeHarness()
    return Effect.gen(function*() {
      const owner = yield* seeded
      let attempts = 0
      const error = yield* Effect.flip(Transaction.retryOnConflict(
        Transaction.withSessionTransaction(
          owner.session,
          Effect.andThen(Effect.sync(() => attempts++), Cursor.insert(owner.items, { id: 1 }))
        ),
        Schedule.recurs(5)
      ))
      expect(error._tag).toBe("JET_errKeyDuplicate")
      expect(attempts).toBe(1)
    }).pipe(Effect.scoped, Effect.provide(h.layer()))
  })
})

describe("nested transactions", () => {
  it.effect("an inner failure the outer level catches rolls back only the inner level", () => {
    const h = makeHarness()
    return Effect.gen(function*() {
      const owner = yield* createItems(path)
      const other = yield* openItems(path)
      const { items, session } = owner
      yield* Transaction.withSessionTransaction(
        session,
        Effect.gen(function*() {
          yield* Cursor.insert(items, { id: 1 })
          yield* Transaction.withSessionTransaction(session, Cursor.insert(items, { id: 2 }))
          const inner = yield* Effect.exit(
            Transaction.withSessionTransaction(
              session,
              Effect.andThen(Cursor.insert(items, { id: 3 }), Effect.fail(new Boom({ level: 2 })))
            )
          )
          expect(inner).toStrictEqual(Exit.fail(new Boom({ level: 2 })))
          expect(yield* itemIds(owner.db)).toEqual([1, 2])
          yield* Cursor.insert(items, { id: 4 })
          // Nothing is visible to another session before the outermost level commits.
          expect(yield* itemIds(other.db)).toEqual([])
        })
      )
      expect(yield* itemIds(other.db)).toEqual([1, 2, 4])
      expect(levelOf(h, owner)).toBe(0)
    }).pipe(Effect.scoped, Effect.provide(h.layer()))
  })

  it.effect("a failure, defect or interruption of the outermost level rolls everything back", () => {
    const h = makeHarness()
    return Effect.gen(function*() {
      const owner = yield* createItems(path)
      const { items, session } = owner
      const nested = (end: Effect.Effect<never, Boom>) =>
        Transaction.withSessionTransaction(
          session,
          Effect.andThen(
            Cursor.insert(items, { id: 1 }),
            Transaction.withSessionTransaction(session, Effect.andThen(Cursor.insert(items, { id: 2 }), end))
          )
        )
      expect(Exit.hasFails(yield* Effect.exit(nested(Effect.fail(new Boom({ level: 2 })))))).toBe(true)
      expect(Exit.hasDies(yield* Effect.exit(nested(Effect.die("defect"))))).toBe(true)
      expect(Exit.hasInterrupts(yield* Effect.exit(nested(Effect.interrupt)))).toBe(true)

      const inside = yield* Deferred.make<void>()
      const fiber = yield* Effect.forkChild(
        nested(Effect.andThen(Deferred.succeed(inside, undefined), Effect.never))
      )
      yield* Deferred.await(inside)
      expect(levelOf(h, owner)).toBe(2)
      yield* Fiber.interrupt(fiber)

      expect(levelOf(h, owner)).toBe(0)
      expect(yield* itemIds(owner.db)).toEqual([])
      expect(h.count("JetBeginTransaction2")).toBe(8)
      expect(h.count("JetRollback")).toBe(8)
      expect(h.count("JetCommitTransaction")).toBe(0)
    }).pipe(Effect.scoped, Effect.provide(h.layer()))
  })

  it.effect("an eighth level fails with a typed JET_errTransTooDeep, before calling the engine", () => {
    const h = makeHarness()
    return Effect.gen(function*() {
      const owner = yield* createItems(path)
      const { items, session } = owner
      const nest = (level: number): Effect.Effect<string, unknown> =>
        Transaction.withSessionTransaction(
          session,
          Effect.andThen(
            Cursor.insert(items, { id: level }),
            level === 7
              ? Transaction.withSessionTransaction(session, Effect.succeed("eighth")).pipe(
                Effect.catchTag("JET_errTransTooDeep", (error) => Effect.succeed(error._tag))
              )
              : nest(level + 1)
          )
        )
      const begins = h.count("JetBeginTransaction2")
      expect(yield* nest(1)).toBe("JET_errTransTooDeep")
      expect(h.count("JetBeginTransaction2") - begins).toBe(7)
      expect(h.calls.filter((c) => c.method === "JetBeginTransaction2").every((c) => c.err === 0)).toBe(true)
      expect(yield* itemIds(owner.db)).toEqual([1, 2, 3, 4, 5, 6, 7])

      const uncaught = yield* Effect.flip(
        Transaction.withSessionTransaction(session, nestTo(session, Transaction.maxLevels))
      )
      expect((uncaught as { readonly _tag: string })._tag).toBe("JET_errTransTooDeep")
      expect(levelOf(h, owner)).toBe(0)
    }).pipe(Effect.scoped, Effect.provide(h.layer()))
  })

  it.effect("a read-only transaction reads but refuses an insert with JET_errTransReadOnly", () => {
    const h = makeHarness()
    return Effect.gen(function*() {
      const owner = yield* seeded
      const seen = yield* Transaction.withSessionTransaction(owner.session, stockOf(owner, 1), {
        readOnly: true
      })
      expect(seen).toBe(10)
      const error = yield* Effect.flip(
        Transaction.withSessionTransaction(owner.session, Cursor.insert(owner.items, { id: 2 }), {
          readOnly: true
        })
      )
      expect(error._tag).toBe("JET_errTransReadOnly")
      expect(h.calls.filter((c) => c.method === "JetBeginTransaction2").at(-1)?.args[1]).toBe(
        JET_bitTransactionReadOnly
      )
      expect(yield* itemIds(owner.db)).toEqual([1])
      expect(levelOf(h, owner)).toBe(0)
    }).pipe(Effect.scoped, Effect.provide(h.layer()))
  })

  it.effect("a lazy commit flushes only the outermost level lazily, and flush waits for it", () => {
    const h = makeHarness()
    return Effect.gen(function*() {
      const owner = yield* createItems(path)
      const other = yield* openItems(path)
      const { items, session } = owner
      yield* Transaction.withSessionTransaction(
        session,
        Effect.andThen(
          Cursor.insert(items, { id: 1 }),
          Transaction.withSessionTransaction(session, Cursor.insert(items, { id: 2 }), { lazy: true })
        ),
        { lazy: true }
      )
      const commits = h.calls.filter((c) => c.method === "JetCommitTransaction").map((c) => c.args[1])
      expect(commits).toEqual([0, JET_bitCommitLazyFlush])
      expect(yield* itemIds(other.db)).toEqual([1, 2])

      yield* Transaction.flush(session)
      const flushed = h.calls.filter((c) => c.method === "JetCommitTransaction").at(-1)
      expect(flushed).toMatchObject({ args: [session.sesid, JET_bitWaitLastLevel0Commit], err: 0 })
    }).pipe(Effect.scoped, Effect.provide(h.layer()))
  })

  it.effect("transactions of two fibers on one session run one after the other", () => {
    const h = makeHarness()
    return Effect.gen(function*() {
      const owner = yield* createItems(path)
      const { items, session } = owner
      const events: Array<string> = []
      const firstInside = yield* Deferred.make<void>()
      const firstMayEnd = yield* Deferred.make<void>()
      const transaction = (name: string, id: number, body: Effect.Effect<void>) =>
        Transaction.withSessionTransaction(
          session,
          Effect.gen(function*() {
            events.push(`${name} begins`)
            yield* Cursor.insert(items, { id })
            yield* body
            yield* Cursor.insert(items, { id: id + 1 })
            events.push(`${name} ends`)
          })
        )
      const first = yield* Effect.forkChild(
        transaction(
          "first",
          1,
          Effect.andThen(Deferred.succeed(firstInside, undefined), Deferred.await(firstMayEnd))
        )
      )
      yield* Deferred.await(firstInside)
      const second = yield* Effect.forkChild(transaction("second", 10, Effect.void))
      // A plain call from a third fiber waits for the session as well.
      const reader = yield* Effect.forkChild(
        Effect.andThen(itemIds(owner.db), (ids) => Effect.sync(() => events.push(`read ${ids}`)))
      )
      yield* Effect.yieldNow
      yield* Effect.yieldNow
      expect(events).toEqual(["first begins"])
      expect(h.count("JetBeginTransaction2")).toBe(1)
      expect(levelOf(h, owner)).toBe(1)

      yield* Deferred.succeed(firstMayEnd, undefined)
      yield* Fiber.join(first)
      yield* Fiber.join(second)
      yield* Fiber.join(reader)
      expect(events.slice(0, 2)).toEqual(["first begins", "first ends"])
      // The reader ran before or after the second transaction, never inside it.
      expect([
        ["read 1,2", "second begins", "second ends"],
        ["second begins", "second ends", "read 1,2,10,11"]
      ]).toContainEqual(events.slice(2))
      expect(yield* itemIds(owner.db)).toEqual([1, 2, 10, 11])
    }).pipe(Effect.scoped, Effect.provide(h.layer()))
  })
})

describe("commit and rollback failures", () => {
  it.effect("a failed commit rolls the level back and fails with the commit's error", () => {
    const h = makeHarness()
    return Effect.gen(function*() {
      const owner = yield* createItems(path)
      h.engine.injectFault({ method: "JetCommitTransaction", call: 1, err: jetErrorCodes.JET_errDiskFull })
      const error = yield* Effect.flip(
        Transaction.withSessionTransaction(owner.session, Cursor.insert(owner.items, { id: 1 }))
      )
      expect(error._tag).toBe("JET_errDiskFull")
      expect(error).toMatchObject({ operation: "JetCommitTransaction" })
      expect(levelOf(h, owner)).toBe(0)
      expect(yield* itemIds(owner.db)).toEqual([])
    }).pipe(Effect.scoped, Effect.provide(h.layer()))
  })

  it.effect("a level whose rollback fails never lets an enclosing level report a commit it did not make", () => {
    const h = makeHarness()
    const logs = captureLogs()
    return Effect.gen(function*() {
      const owner = yield* createItems(path)
      const other = yield* openItems(path)
      const { items, session } = owner
      h.engine.injectFault({ method: "JetRollback", call: 1, err: jetErrorCodes.JET_errOutOfMemory })
      const outer = yield* Effect.exit(Transaction.withSessionTransaction(
        session,
        Effect.gen(function*() {
          yield* Cursor.insert(items, { id: 1 })
          yield* Transaction.withSessionTransaction(
            session,
            Effect.andThen(Cursor.insert(items, { id: 2 }), Effect.fail(new Boom({ level: 2 })))
          ).pipe(Effect.catchTag("Boom", () => Effect.void))
          yield* Cursor.insert(items, { id: 3 })
        })
      ))
      // Every level was rolled back, so the outer level fails rather than report a commit, and
      // the insert it made after the inner failure did not commit on its own either.
      expect(levelOf(h, owner)).toBe(0)
      expect(yield* itemIds(other.db)).toEqual([])
      expect(Exit.isFailure(outer) && Exit.findErrorOption(outer)).toMatchObject({
        value: { _tag: "JET_errOutOfMemory", operation: "JetRollback" }
      })
      expect(
        logs.entries.some((e) =>
          e.level === "Error" && e.annotations["code"] === jetErrorCodes.JET_errOutOfMemory
        )
      )
        .toBe(true)

      // The session is still good for the next transaction, which commits for real.
      yield* Transaction.withSessionTransaction(session, Cursor.insert(items, { id: 9 }))
      expect(levelOf(h, owner)).toBe(0)
      expect(yield* itemIds(other.db)).toContain(9)
    }).pipe(Effect.scoped, Effect.provide(h.layer()), Effect.provide(logs.layer))
  })
})

describe("commit and rollback failures, continued", () => {
  it.effect("a session whose levels cannot be rolled back at all is ended", () => {
    const h = makeHarness()
    const logs = captureLogs()
    return Effect.gen(function*() {
      const owner = yield* createItems(path)
      const other = yield* openItems(path)
      const { items, session } = owner
      h.engine.injectFault({ method: "JetRollback", err: jetErrorCodes.JET_errOutOfMemory })
      const outer = yield* Effect.exit(Transaction.withSessionTransaction(
        session,
        Effect.andThen(
          Cursor.insert(items, { id: 1 }),
          Transaction.withSessionTransaction(
            session,
            Effect.andThen(Cursor.insert(items, { id: 2 }), Effect.fail(new Boom({ level: 2 })))
          ).pipe(Effect.catchTag("Boom", () => Effect.void))
        )
      ))
      h.engine.clearFaults()
      expect(Exit.isFailure(outer)).toBe(true)
      expect(h.openSessions().map((s) => s.sesid)).toEqual([other.session.sesid])
      expect(yield* itemIds(other.db)).toEqual([])
      expect((yield* Effect.flip(Cursor.insert(items, { id: 3 })))._tag).toBe("HandleClosedError")
      expect(logs.entries.filter((e) => e.level === "Error").map((e) => e.message)).toEqual([
        `JetRollback failed for session ${session.sesid}; rolling back every level`,
        `Session ${session.sesid} could not be brought back to a known state and was ended`
      ])
    }).pipe(Effect.scoped, Effect.provide(h.layer()), Effect.provide(logs.layer))
  })
})

const nestTo = (session: Client["session"], levels: number): Effect.Effect<void, unknown> =>
  levels === 0 ? Effect.void : Transaction.withSessionTransaction(session, nestTo(session, levels - 1))
