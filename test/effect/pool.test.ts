/**
 * The session pool: at most `size` sessions, each lent to one borrower at a time, handed back
 * without any transaction the borrower left open, and ended with the pool.
 */
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Scope } from "effect"
import { Cursor, Database, SessionPool, Transaction } from "../../src/index.ts"
import { jetErrorCodes } from "../../src/jet/index.ts"
import { captureLogs, createItems, type Harness, itemIds, itemsTable, makeHarness } from "./harness.ts"

const path = "pool.edb"

const levelOf = (h: Harness, sesid: bigint) =>
  h.openSessions().find((s) => s.sesid === sesid)?.transactionLevel

describe("the session pool", () => {
  it.effect("lends at most `size` sessions; the next borrower waits for one to come back", () => {
    const h = makeHarness()
    return Effect.gen(function*() {
      const pool = yield* SessionPool.make(2)
      const release = yield* Deferred.make<void>()
      const borrowed: Array<bigint> = []
      const borrow = (name: string) =>
        Effect.scoped(Effect.gen(function*() {
          const session = yield* pool.get
          borrowed.push(session.sesid)
          yield* Deferred.await(release)
          return `${name}: ${session.sesid}`
        }))
      const first = yield* Effect.forkChild(borrow("first"))
      const second = yield* Effect.forkChild(borrow("second"))
      const third = yield* Effect.forkChild(borrow("third"))
      for (let i = 0; i < 5; i++) yield* Effect.yieldNow
      expect(borrowed).toHaveLength(2)
      expect(new Set(borrowed).size).toBe(2)
      expect(third.pollUnsafe()).toBeUndefined()
      expect(h.openSessions()).toHaveLength(2)

      yield* Deferred.succeed(release, undefined)
      yield* Fiber.join(first)
      yield* Fiber.join(second)
      yield* Fiber.join(third)
      expect(borrowed).toHaveLength(3)
      // The third borrower got one of the two sessions back; no third session was begun.
      expect(borrowed.slice(0, 2)).toContain(borrowed[2])
      expect(h.count("JetBeginSession")).toBe(2)
    }).pipe(Effect.scoped, Effect.provide(h.layer()))
  })

  it.effect("a session is lent to one borrower at a time", () => {
    const h = makeHarness()
    return Effect.gen(function*() {
      const pool = yield* SessionPool.make(3)
      const holders = new Map<bigint, number>()
      let overlaps = 0
      yield* Effect.forEach(
        Array.from({ length: 12 }, (_, i) => i),
        () =>
          Effect.scoped(Effect.gen(function*() {
            const session = yield* pool.get
            const now = (holders.get(session.sesid) ?? 0) + 1
            holders.set(session.sesid, now)
            if (now > 1) overlaps++
            yield* Effect.yieldNow
            holders.set(session.sesid, now - 1)
          })),
        { concurrency: "unbounded", discard: true }
      )
      expect(overlaps).toBe(0)
      expect(holders.size).toBe(3)
      expect(h.count("JetBeginSession")).toBe(3)
    }).pipe(Effect.scoped, Effect.provide(h.layer()))
  })

  it.effect("a session returned inside a transaction is rolled back before the next borrower gets it", () => {
    const h = makeHarness()
    return Effect.gen(function*() {
      const owner = yield* createItems(path)
      const pool = yield* SessionPool.make(1)
      const lent = yield* Effect.scoped(Effect.gen(function*() {
        const session = yield* pool.get
        const db = yield* Database.open(session, path)
        const items = yield* Cursor.open(db, itemsTable.name)
        // Begun below the Effect API, as a borrower calling the engine directly would.
        expect(session.api.JetBeginTransaction(session.sesid).err).toBe(0)
        yield* Cursor.insert(items, { id: 1 })
        expect(session.api.JetBeginTransaction(session.sesid).err).toBe(0)
        yield* Cursor.insert(items, { id: 2 })
        expect(levelOf(h, session.sesid)).toBe(2)
        return session.sesid
      }))

      const next = yield* Effect.scoped(Effect.gen(function*() {
        const session = yield* pool.get
        const levelWhenLent = levelOf(h, session.sesid)
        const db = yield* Database.open(session, path)
        return { sesid: session.sesid, levelWhenLent, ids: yield* itemIds(db) }
      }))
      expect(next).toEqual({ sesid: lent, levelWhenLent: 0, ids: [] })
      expect(yield* itemIds(owner.db)).toEqual([])
      expect(h.calls.filter((c) => c.method === "JetRollback" && c.args[0] === lent).map((c) => c.err))
        .toEqual([
          0,
          jetErrorCodes.JET_errNotInTransaction
        ])
    }).pipe(Effect.scoped, Effect.provide(h.layer()))
  })

  it.effect("what a borrower committed stays committed when its session goes back", () => {
    const h = makeHarness()
    return Effect.gen(function*() {
      const owner = yield* createItems(path)
      const pool = yield* SessionPool.make(1)
      yield* Effect.scoped(Effect.gen(function*() {
        const session = yield* pool.get
        const items = yield* Cursor.open(yield* Database.open(session, path), itemsTable.name)
        yield* Transaction.withSessionTransaction(session, Cursor.insert(items, { id: 7 }))
      }))
      expect(yield* itemIds(owner.db)).toEqual([7])
    }).pipe(Effect.scoped, Effect.provide(h.layer()))
  })

  it.effect("a session that cannot be rolled back is discarded and replaced", () => {
    const h = makeHarness()
    const logs = captureLogs()
    return Effect.gen(function*() {
      const pool = yield* SessionPool.make(1)
      const first = yield* Effect.scoped(Effect.gen(function*() {
        const session = yield* pool.get
        expect(session.api.JetBeginTransaction(session.sesid).err).toBe(0)
        h.engine.injectFault({ method: "JetRollback", call: 1, err: jetErrorCodes.JET_errOutOfMemory })
        return session.sesid
      }))
      const second = yield* Effect.scoped(Effect.map(pool.get, (session) => session.sesid))
      expect(second).not.toBe(first)
      expect(h.count("JetEndSession", first)).toBe(1)
      expect(h.openSessions().map((s) => s.sesid)).toEqual([second])
      expect(logs.entries.map((e) => e.message)).toContain(
        "a pooled session could not be rolled back and is discarded: JET_errOutOfMemory"
      )
    }).pipe(Effect.scoped, Effect.provide(h.layer()), Effect.provide(logs.layer))
  })

  it.effect("closing the pool's scope ends every session once", () => {
    const h = makeHarness()
    return Effect.gen(function*() {
      const scope = yield* Scope.make()
      const pool = yield* SessionPool.make(3).pipe(Scope.provide(scope))
      const sesids = yield* Effect.forEach(
        [1, 2, 3],
        () => Effect.scoped(Effect.map(pool.get, (s) => s.sesid)),
        {
          concurrency: "unbounded"
        }
      )
      yield* Scope.close(scope, Exit.void)
      expect(h.openSessions()).toEqual([])
      for (const sesid of new Set(sesids)) expect(h.count("JetEndSession", sesid)).toBe(1)
      expect(h.count("JetEndSession")).toBe(h.count("JetBeginSession"))
    }).pipe(Effect.scoped, Effect.provide(h.layer()))
  })
})
