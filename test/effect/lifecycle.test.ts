/**
 * Scoped handles: each finalizer makes its engine call exactly once however the scope ends, the
 * instance cleans up after sessions left open, and a handle whose scope closed fails before
 * reaching the engine.
 */
import { describe, expect, it } from "@effect/vitest"
import { Data, Deferred, Effect, Exit, Fiber, Layer, Scope, Stream } from "effect"
import {
  Cursor,
  Database,
  type Esent,
  HandleClosedError,
  Session,
  Table,
  Transaction
} from "../../src/index.ts"
import { JET_bitTermAbrupt, JET_bitTermComplete } from "../../src/jet/index.ts"
import { captureLogs, type Harness, itemIds, itemsTable, makeHarness } from "./harness.ts"

class Boom extends Data.TaggedError("Boom")<{}> {}

type Ending = "success" | "typed failure" | "defect" | "interruption" | "interruption from another fiber"

const endings: ReadonlyArray<Ending> = [
  "success",
  "typed failure",
  "defect",
  "interruption",
  "interruption from another fiber"
]

/**
 * Acquires in a scope of its own and ends that scope the given way. The other fiber interrupts
 * only once the acquisition is done, so the finalizer always has something to release.
 */
const endScope = <R>(
  ending: Ending,
  acquire: Effect.Effect<unknown, unknown, R | Scope.Scope>
): Effect.Effect<Exit.Exit<unknown, unknown>, never, Exclude<R, Scope.Scope>> => {
  if (ending === "interruption from another fiber") {
    return Effect.gen(function*() {
      const acquired = yield* Deferred.make<void>()
      const fiber = yield* Effect.forkChild(
        Effect.scoped(
          Effect.andThen(acquire, Effect.andThen(Deferred.succeed(acquired, undefined), Effect.never))
        )
      )
      yield* Deferred.await(acquired)
      yield* Fiber.interrupt(fiber)
      return yield* Fiber.await(fiber)
    })
  }
  const end = ending === "success"
    ? Effect.void
    : ending === "typed failure"
    ? Effect.fail(new Boom())
    : ending === "defect"
    ? Effect.die(new Error("defect"))
    : Effect.interrupt
  return Effect.exit(Effect.scoped(Effect.andThen(acquire, end)))
}

const expectEnding = (exit: Exit.Exit<unknown, unknown>, ending: Ending) => {
  switch (ending) {
    case "success":
      return expect(Exit.isSuccess(exit)).toBe(true)
    case "typed failure":
      return expect(exit).toStrictEqual(Exit.fail(new Boom()))
    case "defect":
      return expect(Exit.hasDies(exit)).toBe(true)
    default:
      return expect(Exit.hasInterrupts(exit)).toBe(true)
  }
}

/** Runs `body` on a running instance of the harness's engine, then checks the instance is gone. */
const onInstance = <A, E>(h: Harness, body: Effect.Effect<A, E, Esent>) =>
  Effect.gen(function*() {
    const result = yield* Effect.provide(body, h.layer())
    expect(h.engine.inspect().instances).toEqual([])
    return result
  })

describe("a session's finalizer", () => {
  for (const ending of endings) {
    it.effect(`ends the session exactly once on ${ending}`, () =>
      Effect.gen(function*() {
        const h = makeHarness()
        let sesid: bigint | undefined
        yield* onInstance(
          h,
          Effect.gen(function*() {
            const exit = yield* endScope(
              ending,
              Effect.tap(Session.begin, (session) => Effect.sync(() => (sesid = session.sesid)))
            )
            expectEnding(exit, ending)
            // The instance is still running: only the session's own finalizer can have ended it.
            expect(h.count("JetEndSession", sesid)).toBe(1)
            expect(h.openSessions()).toEqual([])
          })
        )
        // Terminating the instance did not end it a second time.
        expect(h.count("JetEndSession")).toBe(1)
        expect(h.count("JetTerm2")).toBe(1)
      }))
  }
})

describe("a cursor's finalizer", () => {
  for (const ending of endings) {
    it.effect(`closes the table exactly once on ${ending}`, () =>
      Effect.gen(function*() {
        const h = makeHarness()
        let tableid: bigint | undefined
        yield* onInstance(
          h,
          Effect.scoped(Effect.gen(function*() {
            const session = yield* Session.begin
            const db = yield* Database.create(session, "cursors.edb")
            yield* Table.create(db, itemsTable)
            const exit = yield* endScope(
              ending,
              Effect.tap(Cursor.open(db, "items"), (cursor) => Effect.sync(() => (tableid = cursor.tableid)))
            )
            expectEnding(exit, ending)
            expect(tableid).toBeDefined()
            expect(h.count("JetCloseTable", session.sesid, tableid)).toBe(1)
            expect(h.openCursors()).toEqual([])
            // The session outlives the cursor and stays usable.
            expect(yield* itemIds(db)).toEqual([])
          }))
        )
        // Ending the session and the instance did not close it again.
        expect(h.calls.filter((c) => c.method === "JetCloseTable" && c.args[1] === tableid)).toHaveLength(1)
      }))
  }
})

describe("a database's finalizer", () => {
  for (const ending of endings) {
    it.effect(`closes and detaches a created database exactly once on ${ending}`, () =>
      Effect.gen(function*() {
        const h = makeHarness()
        yield* onInstance(
          h,
          Effect.scoped(Effect.gen(function*() {
            const session = yield* Session.begin
            let dbid: number | undefined
            const exit = yield* endScope(
              ending,
              Effect.tap(Database.create(session, "created.edb"), (db) => Effect.sync(() => (dbid = db.dbid)))
            )
            expectEnding(exit, ending)
            expect(h.count("JetCloseDatabase", session.sesid, dbid)).toBe(1)
            expect(h.count("JetDetachDatabase2", session.sesid, "created.edb")).toBe(1)
            expect(h.openSessions()[0]?.databases).toEqual([])
          }))
        )
        expect(h.count("JetCloseDatabase")).toBe(1)
      }))

    it.effect(`closes an attached database once and an opened one without detaching on ${ending}`, () =>
      Effect.gen(function*() {
        const h = makeHarness()
        yield* onInstance(
          h,
          Effect.gen(function*() {
            yield* Effect.scoped(Effect.andThen(Session.begin, (s) => Database.create(s, "attached.edb")))
            yield* Effect.scoped(Effect.gen(function*() {
              const session = yield* Session.begin
              const exit = yield* endScope(ending, Database.attach(session, "attached.edb"))
              expectEnding(exit, ending)
              expect(h.count("JetCloseDatabase", session.sesid)).toBe(1)
              expect(h.count("JetDetachDatabase2", session.sesid, "attached.edb")).toBe(1)

              // `open` needs the database attached; a second session keeps it attached.
              const keeper = yield* Session.begin
              yield* Database.attach(keeper, "attached.edb")
              const opened = yield* endScope(ending, Database.open(session, "attached.edb"))
              expectEnding(opened, ending)
              expect(h.count("JetCloseDatabase", session.sesid)).toBe(2)
              expect(h.count("JetDetachDatabase2", session.sesid)).toBe(1)
              expect(h.openSessions().find((s) => s.sesid === session.sesid)?.databases).toEqual([])
            }))
          })
        )
      }))
  }
})

describe("a database attached by several handles", () => {
  it.effect("stays attached until the last of them closes, with no failed detach", () =>
    Effect.gen(function*() {
      const h = makeHarness()
      const logs = captureLogs()
      yield* onInstance(
        h,
        Effect.gen(function*() {
          yield* Effect.scoped(Effect.gen(function*() {
            const db = yield* Database.create(yield* Session.begin, "shared.edb")
            yield* Table.create(db, itemsTable)
          }))
          const first = yield* Scope.make()
          const second = yield* Scope.make()
          const a = yield* Session.begin.pipe(Scope.provide(first))
          const b = yield* Session.begin.pipe(Scope.provide(second))
          yield* Database.attach(a, "shared.edb").pipe(Scope.provide(first))
          const created = yield* Database.create(a, "other.edb").pipe(Scope.provide(first))
          const dbB = yield* Database.attach(b, "shared.edb").pipe(Scope.provide(second))
          const otherB = yield* Database.attach(b, "other.edb").pipe(Scope.provide(second))
          const detaches = h.count("JetDetachDatabase2")

          yield* Scope.close(first, Exit.void)
          expect(h.count("JetDetachDatabase2")).toBe(detaches)
          expect(yield* itemIds(dbB)).toEqual([])
          expect(otherB.path).toBe(created.path)

          yield* Scope.close(second, Exit.void)
          expect(
            h.calls.filter((c) => c.method === "JetDetachDatabase2").slice(detaches).map((
              c
            ) => [c.args[1], c.err])
          )
            .toEqual([["other.edb", 0], ["shared.edb", 0]])
        })
      ).pipe(Effect.provide(logs.layer))
      expect(logs.entries.filter((e) => e.level === "Error")).toEqual([])
    }))
})

describe("sessions left open", () => {
  it.effect("ending a session rolls back its open transaction", () =>
    Effect.gen(function*() {
      const h = makeHarness()
      yield* onInstance(
        h,
        Effect.scoped(Effect.gen(function*() {
          const owner = yield* Session.begin
          const db = yield* Database.create(owner, "rollback.edb")
          yield* Table.create(db, itemsTable)
          const items = yield* Cursor.open(db, "items")
          yield* Transaction.withSessionTransaction(owner, Cursor.insert(items, { id: 1, name: "committed" }))

          yield* Effect.scoped(Effect.gen(function*() {
            const writer = yield* Session.begin
            const writerDb = yield* Database.open(writer, "rollback.edb")
            const writerItems = yield* Cursor.open(writerDb, "items")
            // A transaction begun below the Effect API, so that only JetEndSession can end it.
            expect(writer.api.JetBeginTransaction(writer.sesid).err).toBe(0)
            yield* Cursor.insert(writerItems, { id: 2, name: "never committed" })
            expect(yield* itemIds(writerDb)).toEqual([1, 2])
            expect(h.openSessions().find((s) => s.sesid === writer.sesid)?.transactionLevel).toBe(1)
          }))

          expect(h.openSessions().map((s) => s.sesid)).toEqual([owner.sesid])
          expect(yield* itemIds(db)).toEqual([1])
        }))
      )
    }))

  it.effect("the instance's finalizer ends sessions still open, then terminates", () =>
    Effect.gen(function*() {
      const h = makeHarness()
      const logs = captureLogs()
      const instanceScope = yield* Scope.make()
      const sessionScope = yield* Scope.make()
      const context = yield* Layer.buildWithScope(h.layer(), instanceScope)
      const session = yield* Session.begin.pipe(Effect.provideContext(context), Scope.provide(sessionScope))
      const db = yield* Database.create(session, "left-open.edb").pipe(Scope.provide(sessionScope))
      yield* Table.create(db, itemsTable)
      const items = yield* Cursor.open(db, "items").pipe(Scope.provide(sessionScope))
      expect(session.api.JetBeginTransaction(session.sesid).err).toBe(0)
      yield* Cursor.insert(items, { id: 1 })

      yield* Scope.close(instanceScope, Exit.void).pipe(Effect.provide(logs.layer))
      expect(h.count("JetEndSession", session.sesid)).toBe(1)
      expect(h.count("JetTerm2")).toBe(1)
      expect(h.engine.inspect().instances).toEqual([])
      expect(logs.entries.map((e) => [e.level, e.message])).toEqual([
        [
          "Warn",
          `ESENT instance acceptance: session ${session.sesid} was still open at termination and was ended`
        ]
      ])

      // The session's own scope closing later finds everything already released.
      const before = h.calls.length
      yield* Scope.close(sessionScope, Exit.void).pipe(Effect.provide(logs.layer))
      expect(h.calls.length).toBe(before)
      expect(logs.entries).toHaveLength(1)
      const late = yield* Effect.flip(Cursor.insert(items, { id: 2 }))
      expect(late).toBeInstanceOf(HandleClosedError)
      expect(h.calls.length).toBe(before)

      // The rolled-back row is not in the store: a new instance over it sees an empty table.
      const fresh = makeHarness(h.store)
      const ids = yield* Effect.scoped(Effect.gen(function*() {
        const reader = yield* Session.begin
        return yield* itemIds(yield* Database.attach(reader, "left-open.edb"))
      })).pipe(Effect.provide(fresh.layer()))
      expect(ids).toEqual([])
    }))

  it.effect("a failing finalizer is logged with its code and does not fail the scope", () =>
    Effect.gen(function*() {
      const h = makeHarness()
      const logs = captureLogs()
      const exit = yield* Effect.exit(
        Effect.scoped(Effect.gen(function*() {
          const session = yield* Session.begin
          h.engine.injectFault({ method: "JetEndSession", call: 1, err: -1914 })
          return session.sesid
        })).pipe(Effect.provide(h.layer()), Effect.provide(logs.layer))
      )
      expect(Exit.isSuccess(exit)).toBe(true)
      const failure = logs.entries.find((e) => e.level === "Error")
      expect(failure?.message).toMatch(/^JetEndSession failed for session/)
      expect(failure?.annotations["code"]).toBe(-1914)
      // The session was not lost: the instance ended it before terminating.
      const sesid = Exit.isSuccess(exit) ? exit.value : undefined
      expect(h.calls.filter((c) => c.method === "JetEndSession").map((c) => [c.args[0], c.err])).toEqual([
        [sesid, -1914],
        [sesid, 0]
      ])
      expect(logs.entries.map((e) => e.message)).toContain(
        `ESENT instance acceptance: session ${sesid} was still open at termination and was ended`
      )
      expect(h.engine.inspect().instances).toEqual([])
    }))

  it.effect("an instance that fails to terminate is terminated abruptly", () =>
    Effect.gen(function*() {
      const h = makeHarness()
      const logs = captureLogs()
      yield* Effect.scoped(Effect.gen(function*() {
        yield* Session.begin
        h.engine.injectFault({ method: "JetTerm2", call: 1, err: -1011 })
      })).pipe(Effect.provide(h.layer()), Effect.provide(logs.layer))
      expect(h.calls.filter((c) => c.method === "JetTerm2").map((c) => [c.args[1], c.err])).toEqual([
        [JET_bitTermComplete, -1011],
        [JET_bitTermAbrupt, 0]
      ])
      expect(logs.entries.map((e) => [e.level, e.message])).toEqual([
        ["Error", "ESENT instance acceptance: JetTerm2 failed"],
        ["Warn", "ESENT instance acceptance: terminated with JET_bitTermAbrupt"]
      ])
      expect(h.engine.inspect().instances).toEqual([])
    }))
})

describe("a handle whose scope closed", () => {
  const setup = Effect.gen(function*() {
    const session = yield* Session.begin
    const db = yield* Database.create(session, "closed.edb")
    yield* Table.create(db, itemsTable)
    return { session, db }
  })

  /** Each failure is a HandleClosedError naming the handle, and the engine was not called. */
  const expectClosed = (
    h: Harness,
    handle: HandleClosedError["handle"],
    uses: ReadonlyArray<Effect.Effect<unknown, unknown>>
  ) =>
    Effect.gen(function*() {
      for (const use of uses) {
        const before = h.engine.callCount()
        const error = yield* Effect.flip(use)
        expect(error).toBeInstanceOf(HandleClosedError)
        expect((error as HandleClosedError).handle).toBe(handle)
        expect(h.engine.callCount()).toBe(before)
      }
    })

  it.effect("a session fails with HandleClosedError before any engine call", () =>
    Effect.gen(function*() {
      const h = makeHarness()
      yield* Effect.scoped(Effect.gen(function*() {
        const { db, session } = yield* setup
        const closed = yield* Effect.scoped(Session.begin)
        yield* expectClosed(h, "session", [
          Database.create(closed, "x.edb").pipe(Effect.scoped),
          Database.open(closed, "closed.edb").pipe(Effect.scoped),
          Database.attach(closed, "closed.edb").pipe(Effect.scoped),
          Transaction.withSessionTransaction(closed, Effect.void),
          Transaction.flush(closed),
          Transaction.rollbackAll(closed),
          Session.call(closed, "JetGetVersion", (api, sesid) => api.JetGetVersion(sesid))
        ])
        // The open session beside it is unaffected.
        expect(yield* itemIds(db)).toEqual([])
        expect(session.node.open).toBe(true)
      })).pipe(Effect.provide(h.layer()))
    }))

  it.effect("a database fails with HandleClosedError before any engine call", () =>
    Effect.gen(function*() {
      const h = makeHarness()
      yield* Effect.scoped(Effect.gen(function*() {
        const { db, session } = yield* setup
        const closed = yield* Effect.scoped(Database.open(session, "closed.edb"))
        yield* expectClosed(h, "database", [
          Table.create(closed, { ...itemsTable, name: "more" }),
          Table.columns(closed, "items"),
          Table.drop(closed, "items"),
          Cursor.open(closed, "items").pipe(Effect.scoped),
          Stream.runCollect(Cursor.stream(closed, "items")),
          Database.info(closed)
        ])
        expect(yield* itemIds(db)).toEqual([])
      })).pipe(Effect.provide(h.layer()))
    }))

  it.effect("a cursor fails with HandleClosedError before any engine call", () =>
    Effect.gen(function*() {
      const h = makeHarness()
      yield* Effect.scoped(Effect.gen(function*() {
        const { db } = yield* setup
        const closed = yield* Effect.scoped(Cursor.open(db, "items"))
        yield* expectClosed(h, "cursor", [
          Cursor.insert(closed, { id: 1 }),
          Cursor.moveFirst(closed),
          Cursor.read(closed),
          Cursor.seek(closed, [1]),
          Cursor.setIndex(closed, "by_id"),
          Cursor.setRange(closed, { from: [1] }),
          Cursor.count(closed),
          Cursor.bookmark(closed),
          Cursor.remove(closed),
          Cursor.replace(closed, { name: "x" })
        ])
      })).pipe(Effect.provide(h.layer()))
    }))

  it.effect("the handles under an ended session are closed with it", () =>
    Effect.gen(function*() {
      const h = makeHarness()
      const { cursor, db } = yield* Effect.scoped(Effect.gen(function*() {
        const session = yield* Session.begin
        const db = yield* Database.create(session, "tree.edb")
        yield* Table.create(db, itemsTable)
        return { db, cursor: yield* Cursor.open(db, "items") }
      })).pipe(Effect.provide(h.layer()))
      yield* expectClosed(h, "database", [Table.columns(db, "items")])
      yield* expectClosed(h, "cursor", [Cursor.moveFirst(cursor)])
    }))

  it.effect("a call waiting for its session while the session ends never reaches the engine", () =>
    Effect.gen(function*() {
      const h = makeHarness()
      yield* Effect.scoped(Effect.gen(function*() {
        const sessionScope = yield* Scope.make()
        const session = yield* Session.begin.pipe(Scope.provide(sessionScope))
        const db = yield* Database.create(session, "race.edb").pipe(Scope.provide(sessionScope))
        yield* Table.create(db, itemsTable)
        const items = yield* Cursor.open(db, "items").pipe(Scope.provide(sessionScope))

        // One fiber holds the session in a transaction; others queue for it.
        const inside = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const holder = yield* Effect.forkChild(
          Transaction.withSessionTransaction(
            session,
            Effect.andThen(Cursor.insert(items, { id: 1 }), Deferred.succeed(inside, undefined)).pipe(
              Effect.andThen(Deferred.await(release))
            )
          )
        )
        yield* Deferred.await(inside)
        const waiters = yield* Effect.forkChild(
          Effect.all([
            Effect.flip(Cursor.insert(items, { id: 2 })),
            Effect.flip(Table.columns(db, "items")),
            Effect.flip(Transaction.withSessionTransaction(session, Effect.void)),
            Effect.flip(Session.call(session, "JetGetVersion", (api, sesid) => api.JetGetVersion(sesid)))
          ], { concurrency: "unbounded" })
        )
        yield* Effect.yieldNow

        yield* Scope.close(sessionScope, Exit.void)
        const before = h.engine.callCount()
        yield* Deferred.succeed(release, undefined)
        const committed = yield* Effect.flip(Fiber.join(holder))
        const queued = yield* Fiber.join(waiters)
        expect(committed).toBeInstanceOf(HandleClosedError)
        for (const error of queued) expect(error).toBeInstanceOf(HandleClosedError)
        expect(h.engine.callCount()).toBe(before)
      })).pipe(Effect.provide(h.layer()))
    }))
})
