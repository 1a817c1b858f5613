/**
 * `JetEndSession`, outcome by outcome: every return code of its reference page
 * (D/jetendsession-function), each produced where ESENT produces it, and what the session and the
 * instance are left with. docs/ESENT-SEMANTICS.md §1 "JetEndSession outcomes" has the table.
 *
 * Outcomes that no sequence of calls reaches on a single thread (another thread inside JetTerm, a
 * restore running, a fatal error, memory or buffer exhaustion, an unexpected parameter) are set up
 * on the in-memory engine behind the engine under test: the test is skipped on esent.dll, which
 * cannot be made to return them on demand.
 */
import { describe, expect, it, type TestContext } from "vitest"
import {
  JET_bitTermAbrupt,
  JET_bitTermDirty,
  JET_coltypLong,
  JET_MoveFirst
} from "../../src/jet/constants.ts"
import type { JET_SESID } from "../../src/jet/handles.ts"
import type { MemoryEngine } from "../../src/memory/index.ts"
import { type Engine, memoryBehind } from "./engines.ts"
import {
  codes,
  countRows,
  createTable,
  enc,
  type Env,
  expectErr,
  forEachEngine,
  insert,
  ok,
  openEnv,
  openSession
} from "./harness.ts"

const E = codes

/** The engine's in-memory core, or skips the test (esent.dll cannot be put in that state). */
const memoryOf = (ctx: TestContext, env: Env): MemoryEngine => {
  const memory = memoryBehind(env.api)
  if (memory === undefined) ctx.skip("esent.dll cannot be made to return this code on demand")
  return memory as MemoryEngine
}

/** How many sessions the instance still has, per the in-memory engine. */
const sessionsOf = (memory: MemoryEngine, instance: bigint): number =>
  memory.inspect().instances.find((i) => i.instance === instance)?.sessions.length ?? -1

/** A second session with an open transaction holding an uncommitted insert into "t". */
const busySession = (env: Env): JET_SESID => {
  const t = createTable(env, "t", { id: { coltyp: JET_coltypLong } })
  ok(env.api.JetCloseTable(env.sesid, t.tableid))
  const s = openSession(env)
  const { tableid } = ok(env.api.JetOpenTable(s.sesid, s.dbid, "t", 0))
  ok(env.api.JetBeginTransaction(s.sesid))
  insert(env.api, s.sesid, tableid, [[t.col.id, enc.i32(1)]])
  return s.sesid
}

/** The first session's view of "t": the busy session's insert is not there while it is open. */
const rowsSeen = (env: Env): number => {
  const { tableid } = ok(env.api.JetOpenTable(env.sesid, env.dbid, "t", 0))
  const n = countRows(env.api, env.sesid, tableid)
  ok(env.api.JetCloseTable(env.sesid, tableid))
  return n
}

/**
 * After a failed JetEndSession: the session was left as it was, its transaction still open (the
 * insert can still commit), and once the cause is gone it ends normally.
 */
const leftUsable = (env: Env, sesid: JET_SESID): void => {
  expect(rowsSeen(env)).toBe(0)
  ok(env.api.JetCommitTransaction(sesid, 0))
  expect(rowsSeen(env)).toBe(1)
  ok(env.api.JetEndSession(sesid, 0))
}

const run = (engine: Engine): void => {
  describe("§1 JetEndSession outcomes [D/jetendsession-function]", () => {
    it("JET_errSuccess: rolls back, closes, frees; the handle is then invalid", (ctx) => {
      const env = openEnv(engine)
      const sesid = busySession(env)
      expectErr(env.api.JetEndSession(sesid, 0), 0)
      expect(rowsSeen(env)).toBe(0)
      // a stale handle is checked only best effort by ESENT: ask the in-memory engine only
      memoryOf(ctx, env)
      expectErr(env.api.JetBeginTransaction(sesid), E.JET_errInvalidSesid)
    })

    it("JET_errClientRequestToStopJetService: after JetStopServiceInstance; JetTerm still ends the session", (ctx) => {
      const env = openEnv(engine)
      const sesid = busySession(env)
      ok(env.api.JetStopServiceInstance(env.instance))
      expectErr(env.api.JetEndSession(sesid, 0), E.JET_errClientRequestToStopJetService)
      const memory = memoryOf(ctx, env)
      expect(sessionsOf(memory, env.instance)).toBe(2)
      // a transaction is still open: only a dirty term goes through (sysinit.cxx:597-606)
      expectErr(env.api.JetTerm2(env.instance, JET_bitTermDirty), E.JET_errDirtyShutdown)
      expect(memory.inspect().instances).toEqual([])
    })

    it("JET_errInvalidSesid: a handle that is no longer a session, another instance running", (ctx) => {
      const env = openEnv(engine)
      const s = openSession(env)
      ok(env.api.JetEndSession(s.sesid, 0))
      memoryOf(ctx, env)
      expectErr(env.api.JetEndSession(s.sesid, 0), E.JET_errInvalidSesid)
    })

    it("JET_errNotInitialized: a session of an instance that was terminated, none running", (ctx) => {
      const env = openEnv(engine)
      const memory = memoryOf(ctx, env)
      ok(env.api.JetTerm2(env.instance, JET_bitTermAbrupt))
      expect(memory.inspect().instances).toEqual([])
      expectErr(env.api.JetEndSession(env.sesid, 0), E.JET_errNotInitialized)
    })

    it("JET_errSessionInUse: while a session context is set; the session stays usable", () => {
      const env = openEnv(engine)
      const sesid = busySession(env)
      // The transaction began without a context: set one now, as a host thread pool would.
      ok(env.api.JetSetSessionContext(sesid, 0x77n))
      expectErr(env.api.JetEndSession(sesid, 0), E.JET_errSessionInUse)
      ok(env.api.JetResetSessionContext(sesid))
      leftUsable(env, sesid)
    })

    it("JET_errSessionInUse: while another thread is inside a call on the session", (ctx) => {
      const env = openEnv(engine)
      const sesid = busySession(env)
      const memory = memoryOf(ctx, env)
      memory.holdCall(sesid)
      expectErr(env.api.JetEndSession(sesid, 0), E.JET_errSessionInUse)
      memory.releaseCall(sesid)
      leftUsable(env, sesid)
    })

    it("JET_errTermInProgress: while another thread is inside JetTerm; the term then frees everything", (ctx) => {
      const env = openEnv(engine)
      const sesid = busySession(env)
      const memory = memoryOf(ctx, env)
      memory.simulateInstanceCondition(env.instance, "terminating")
      expectErr(env.api.JetEndSession(sesid, 0), E.JET_errTermInProgress)
      expectErr(env.api.JetBeginSession(env.instance, null, null), E.JET_errTermInProgress)
      expect(sessionsOf(memory, env.instance)).toBe(2)
      // a transaction is still open: only a dirty term goes through (sysinit.cxx:597-606)
      expectErr(env.api.JetTerm2(env.instance, JET_bitTermDirty), E.JET_errDirtyShutdown)
      expect(memory.inspect().instances).toEqual([])
    })

    it("JET_errRestoreInProgress: while a restore runs on the instance; usable once it is over", (ctx) => {
      const env = openEnv(engine)
      const sesid = busySession(env)
      const memory = memoryOf(ctx, env)
      memory.simulateInstanceCondition(env.instance, "restoring")
      expectErr(env.api.JetEndSession(sesid, 0), E.JET_errRestoreInProgress)
      expectErr(env.api.JetMove(sesid, 0n as never, JET_MoveFirst, 0), E.JET_errRestoreInProgress)
      memory.simulateInstanceCondition(env.instance, undefined)
      leftUsable(env, sesid)
    })

    it("JET_errInstanceUnavailable: after a fatal error; JetTerm still ends the instance", (ctx) => {
      const env = openEnv(engine)
      const sesid = busySession(env)
      const memory = memoryOf(ctx, env)
      memory.simulateInstanceCondition(env.instance, "unavailable")
      expectErr(env.api.JetEndSession(sesid, 0), E.JET_errInstanceUnavailable)
      expectErr(env.api.JetEndSession(env.sesid, 0), E.JET_errInstanceUnavailable)
      // a transaction is still open: only a dirty term goes through (sysinit.cxx:597-606)
      expectErr(env.api.JetTerm2(env.instance, JET_bitTermDirty), E.JET_errDirtyShutdown)
      expect(memory.inspect().instances).toEqual([])
    })

    for (
      const [code, why] of [
        [E.JET_errOutOfMemory, "memory could not be allocated"],
        [E.JET_errOutOfBuffers, "the cache had no buffer"],
        [E.JET_errInvalidParameter, "a parameter held an unexpected value"]
      ] as const
    ) {
      it(`${code === E.JET_errOutOfMemory ? "JET_errOutOfMemory" : code === E.JET_errOutOfBuffers ? "JET_errOutOfBuffers" : "JET_errInvalidParameter"} (injected: ${why}): nothing is ended, the session stays usable`, (ctx) => {
        const env = openEnv(engine)
        const sesid = busySession(env)
        const memory = memoryOf(ctx, env)
        memory.injectFault({ method: "JetEndSession", call: 1, err: code })
        expectErr(env.api.JetEndSession(sesid, 0), code)
        expect(sessionsOf(memory, env.instance)).toBe(2)
        leftUsable(env, sesid)
      })
    }
  })
}

forEachEngine(run)
