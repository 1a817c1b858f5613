/**
 * The long calls run off the JavaScript thread on the native engine: over the loopback library,
 * whose exports can sleep on their calling thread before forwarding (as ESENT spends its time in a
 * long call), a timer ticking every 10 ms keeps ticking while the Effect API runs them. The same
 * program with the engine's `async` form left out blocks the timer for the whole sleep: that run
 * shows the measurement catches a long call made on the JavaScript thread.
 */
import { Effect, Layer } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import * as Database from "../../src/Database.ts"
import { Esent } from "../../src/Esent.ts"
import { Jet } from "../../src/Jet.ts"
import type { JetApi, JetApiMethod } from "../../src/jet/api.ts"
import { JET_bitWaitLastLevel0Commit } from "../../src/jet/constants.ts"
import { jetErrorCodes } from "../../src/jet/errors.generated.ts"
import { JET_DBID, JET_INSTANCE, JET_SESID } from "../../src/jet/handles.ts"
import { makeMemoryEngine, makeMemoryStore } from "../../src/memory/index.ts"
import * as Session from "../../src/Session.ts"
import * as Transaction from "../../src/Transaction.ts"
import { prepareLoopback, setLoopbackDelay } from "../support/loopback.ts"

const loopback = await prepareLoopback()

const TICK_MS = 10
const DELAY_MS = 200
const LAG_BOUND_MS = 20

/** The Effect API's long calls, each made to sleep in the library. */
const delayed: ReadonlyArray<JetApiMethod> = [
  "JetInit3",
  "JetTerm2",
  "JetCreateDatabase2",
  "JetAttachDatabase2",
  "JetCommitTransaction"
]

const setDelays = (ms: number) => Promise.all(delayed.map((method) => setLoopbackDelay(method, ms)))

afterEach(() => setDelays(0))

/**
 * Runs `run` while a timer ticks every 10 ms. The lag is the most any tick came late, counting the
 * time from the last tick to the end as a tick still waited for.
 */
const measureLag = async (run: () => Promise<unknown>): Promise<{ lag: number; elapsed: number }> => {
  const start = performance.now()
  let last = start
  let lag = 0
  const timer = setInterval(() => {
    const now = performance.now()
    lag = Math.max(lag, now - last - TICK_MS)
    last = now
  }, TICK_MS)
  try {
    await run()
  } finally {
    clearInterval(timer)
  }
  const end = performance.now()
  return { lag: Math.max(lag, end - last - TICK_MS), elapsed: end - start }
}

/**
 * An instance started and ended, a database created, closed and attached again, and the lazy
 * commits flushed: every long call the Effect API makes, each sleeping 200 ms in the library.
 */
const program = (api: JetApi) =>
  Effect.runPromise(
    Effect.scoped(Effect.gen(function*() {
      const session = yield* Session.begin
      yield* Effect.scoped(Database.create(session, "lag.edb"))
      const db = yield* Database.attach(session, "lag.edb")
      yield* Transaction.flush(session)
      return db.dbid
    })).pipe(
      Effect.provide(Esent.layer({ instanceName: "off-thread" }).pipe(Layer.provide(Jet.layerApi(api))))
    )
  )

const memory = () => makeMemoryEngine({ store: makeMemoryStore() })

describe("long calls off the JavaScript thread (loopback engine)", () => {
  // On a loaded machine a tick can come late because the process got no CPU, at any moment of the
  // run; retries absorb that. They cannot hide a long call made on the JavaScript thread: that holds
  // the timer back by the whole 200 ms sleep on every run (see the next test).
  it("keep a 10 ms timer ticking while each of them sleeps 200 ms in the library", { retry: 4 }, async () => {
    // A first run compiles the code on the way (the Effect runtime, koffi's worker threads): the
    // measured run is about the long calls, not about that one-off work.
    await program(loopback(memory()))
    await setDelays(DELAY_MS)
    const { lag, elapsed } = await measureLag(() => program(loopback(memory())))
    // Every delayed call ran and slept: the delay is real time on some thread.
    expect(elapsed).toBeGreaterThanOrEqual(delayed.length * DELAY_MS)
    expect(lag).toBeLessThan(LAG_BOUND_MS)
  })

  it("block the timer for the whole sleep when made synchronously (the engine without async)", async () => {
    await setDelays(DELAY_MS)
    const api = loopback(memory(), { offThread: false })
    expect(api.async).toBeUndefined()
    const { lag, elapsed } = await measureLag(() => program(api))
    expect(elapsed).toBeGreaterThanOrEqual(delayed.length * DELAY_MS)
    expect(lag).toBeGreaterThanOrEqual(DELAY_MS - TICK_MS)
  })

  it("resolve with what the synchronous calls return, out-parameters included", async () => {
    const run = async (api: JetApi, offThread: boolean) => {
      const calls = api.async
      if (calls === undefined) throw new Error("the loopback engine has no async form")
      const created = api.JetCreateInstance2("twin", null, 0)
      const instance = JET_INSTANCE(created.instance)
      const results: Array<unknown> = []
      const record = async <A>(sync: () => A, async: () => Promise<A>): Promise<A> => {
        const result = offThread ? await async() : sync()
        results.push(result)
        return result
      }
      await record(() => api.JetInit3(instance, 0), () => calls.JetInit3(instance, 0))
      const { sesid } = api.JetBeginSession(instance, null, null)
      const { dbid } = await record(
        () => api.JetCreateDatabase2(sesid, "twin.edb", 0, 0),
        () => calls.JetCreateDatabase2(sesid, "twin.edb", 0, 0)
      )
      await record(
        () => api.JetAttachDatabase2(sesid, "twin.edb", 0, 0),
        () => calls.JetAttachDatabase2(sesid, "twin.edb", 0, 0)
      )
      await record(
        () => api.JetDefragment2(sesid, dbid, null, 3, 7, 0),
        () => calls.JetDefragment2(sesid, dbid, null, 3, 7, 0)
      )
      // An unknown database: the error comes back through the async path as it does through the other.
      await record(
        () => api.JetDefragment2(sesid, JET_DBID(99), null, 1, 1, 0),
        () => calls.JetDefragment2(sesid, JET_DBID(99), null, 1, 1, 0)
      )
      await record(
        () => api.JetCompact(sesid, "twin.edb", "twin-compacted.edb", 0),
        () => calls.JetCompact(sesid, "twin.edb", "twin-compacted.edb", 0)
      )
      await record(
        () => api.JetCompact(JET_SESID(12345n), "twin.edb", "other.edb", 0),
        () => calls.JetCompact(JET_SESID(12345n), "twin.edb", "other.edb", 0)
      )
      await record(
        () => api.JetCommitTransaction(sesid, JET_bitWaitLastLevel0Commit),
        () => calls.JetCommitTransaction(sesid, JET_bitWaitLastLevel0Commit)
      )
      await record(
        () => api.JetBackupInstance(instance, "backup", 0),
        () => calls.JetBackupInstance(instance, "backup", 0)
      )
      api.JetEndSession(sesid, 0)
      await record(() => api.JetTerm2(instance, 0), () => calls.JetTerm2(instance, 0))
      await record(
        () => api.JetRestoreInstance(instance, "backup", null),
        () => calls.JetRestoreInstance(instance, "backup", null)
      )
      return results
    }
    const sync = await run(loopback(memory()), false)
    const offThread = await run(loopback(memory()), true)
    expect(offThread).toEqual(sync)
    // The comparison is not between two empty or uniform lists: outputs and errors are both in it.
    expect(sync).toContainEqual({ err: 0, passes: 3, seconds: 7 })
    expect(sync).toContainEqual({ err: jetErrorCodes.JET_errInvalidSesid })
    expect((sync[1] as { dbid: number }).dbid).toBeGreaterThan(0)
  })

  it("stay on the JavaScript thread inside one of the session's transactions", async () => {
    const inner = memory()
    const offThread: Array<string> = []
    // An engine whose async form records what went through it and answers as the sync one does.
    const api: JetApi = {
      ...inner,
      async: {
        JetInit3: async (...args) => (offThread.push("JetInit3"), inner.JetInit3(...args)),
        JetTerm2: async (...args) => (offThread.push("JetTerm2"), inner.JetTerm2(...args)),
        JetCreateDatabase2: async (
          ...args
        ) => (offThread.push("JetCreateDatabase2"), inner.JetCreateDatabase2(...args)),
        JetAttachDatabase2: async (
          ...args
        ) => (offThread.push("JetAttachDatabase2"), inner.JetAttachDatabase2(...args)),
        JetBackupInstance: async (...args) => inner.JetBackupInstance(...args),
        JetRestoreInstance: async (...args) => inner.JetRestoreInstance(...args),
        JetCompact: async (...args) => inner.JetCompact(...args),
        JetDefragment2: async (...args) => inner.JetDefragment2(...args),
        JetCommitTransaction: async (
          ...args
        ) => (offThread.push("JetCommitTransaction"), inner.JetCommitTransaction(...args))
      }
    }
    const inTransaction = await Effect.runPromise(
      Effect.scoped(Effect.gen(function*() {
        const session = yield* Session.begin
        const refused = yield* Transaction.withTransaction(
          session,
          Effect.scoped(Database.create(session, "in-transaction.edb"))
        ).pipe(Effect.flip)
        const calledBefore = [...offThread]
        yield* Effect.scoped(Database.create(session, "outside.edb"))
        yield* Transaction.flush(session)
        return { refused: refused._tag, calledBefore }
      })).pipe(
        Effect.provide(Esent.layer({ instanceName: "thread-rule" }).pipe(Layer.provide(Jet.layerApi(api))))
      )
    )
    // Inside the transaction the engine refused the create synchronously, and nothing went off-thread
    // but the instance's start.
    expect(inTransaction.refused).toBe("JET_errInTransaction")
    expect(inTransaction.calledBefore).toEqual(["JetInit3"])
    expect(offThread).toEqual(["JetInit3", "JetCreateDatabase2", "JetCommitTransaction", "JetTerm2"])
  })

  it("rethrow what the inner engine threw during an off-thread call", async () => {
    const inner = memory()
    const failing: JetApi = {
      ...inner,
      JetTerm2: () => {
        throw new Error("inner engine failed")
      }
    }
    const api = loopback(failing)
    const { instance } = api.JetCreateInstance2("failing", null, 0)
    expect(api.JetInit3(instance, 0).err).toBe(0)
    await expect(api.async!.JetTerm2(instance, 0)).rejects.toThrow("inner engine failed")
    expect(inner.JetTerm2(instance, 0).err).toBe(0)
  })
})
