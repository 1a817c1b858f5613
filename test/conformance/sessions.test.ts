import { describe, expect, it } from "vitest"
import {
  JET_bitForceSessionClosed,
  JET_bitTableDenyRead,
  JET_coltypLong,
  JET_MoveFirst
} from "../../src/jet/constants.ts"
import {
  codes,
  countRows,
  createTable,
  enc,
  expectErr,
  forEachEngine,
  insert,
  ok,
  openEnv,
  openSession
} from "./harness.ts"

forEachEngine((engine) => {
  describe("§1 JetEndSession [tm.cxx:97-195]", () => {
    it("§1 ending a session rolls back all its transaction levels", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { id: { coltyp: JET_coltypLong } })
      const s = openSession(env)
      const { tableid } = ok(env.api.JetOpenTable(s.sesid, s.dbid, "t", 0))
      ok(env.api.JetBeginTransaction(s.sesid))
      insert(env.api, s.sesid, tableid, [[t.col.id, enc.i32(1)]])
      ok(env.api.JetBeginTransaction(s.sesid))
      insert(env.api, s.sesid, tableid, [[t.col.id, enc.i32(2)]])
      ok(env.api.JetEndSession(s.sesid, 0))
      expect(countRows(env.api, env.sesid, t.tableid)).toBe(0)
    })

    it("§1 ending a session releases its write locks", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { id: { coltyp: JET_coltypLong } })
      insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(1)]])
      const s = openSession(env)
      const { tableid } = ok(env.api.JetOpenTable(s.sesid, s.dbid, "t", 0))
      ok(env.api.JetBeginTransaction(s.sesid))
      ok(env.api.JetMove(s.sesid, tableid, JET_MoveFirst, 0))
      ok(env.api.JetDelete(s.sesid, tableid))
      ok(env.api.JetEndSession(s.sesid, 0))
      ok(env.api.JetBeginTransaction(env.sesid))
      ok(env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0))
      ok(env.api.JetPrepareUpdate(env.sesid, t.tableid, 2))
      ok(env.api.JetSetColumn(env.sesid, t.tableid, t.col.id, enc.i32(5), 4, 0, null))
      ok(env.api.JetUpdate(env.sesid, t.tableid, null, 0))
      ok(env.api.JetCommitTransaction(env.sesid, 0))
    })

    it("§1 ending a session closes its cursors (an exclusive cursor no longer keeps others out)", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { id: { coltyp: JET_coltypLong } })
      ok(env.api.JetCloseTable(env.sesid, t.tableid))
      const s = openSession(env)
      ok(env.api.JetOpenTable(s.sesid, s.dbid, "t", JET_bitTableDenyRead))
      expectErr(env.api.JetOpenTable(env.sesid, env.dbid, "t", 0), codes.JET_errTableLocked)
      ok(env.api.JetEndSession(s.sesid, 0))
      ok(env.api.JetOpenTable(env.sesid, env.dbid, "t", 0))
    })

    it("§1 JET_bitForceSessionClosed is reserved: the session ends as with 0", () => {
      const env = openEnv(engine)
      const s = openSession(env)
      ok(env.api.JetBeginTransaction(s.sesid))
      expectErr(env.api.JetEndSession(s.sesid, JET_bitForceSessionClosed), 0)
    })

    it("§1 JetDupSession begins an independent session: no transaction is shared [jetapi.cxx:12503]", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { id: { coltyp: JET_coltypLong } })
      ok(env.api.JetBeginTransaction(env.sesid))
      insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(1)]])
      const { sesid } = ok(env.api.JetDupSession(env.sesid))
      expectErr(env.api.JetCommitTransaction(sesid, 0), codes.JET_errNotInTransaction)
      const { dbid } = ok(env.api.JetOpenDatabase(sesid, env.dbPath, null, 0))
      const { tableid } = ok(env.api.JetOpenTable(sesid, dbid, "t", 0))
      expect(countRows(env.api, sesid, tableid)).toBe(0)
      ok(env.api.JetCommitTransaction(env.sesid, 0))
      expect(countRows(env.api, sesid, tableid)).toBe(1)
    })
  })

  describe("§2 session context", () => {
    it("§2 JetSetSessionContext with 0 or -1: JET_errInvalidParameter", () => {
      const env = openEnv(engine)
      expectErr(env.api.JetSetSessionContext(env.sesid, 0n), codes.JET_errInvalidParameter)
      expectErr(env.api.JetSetSessionContext(env.sesid, -1n), codes.JET_errInvalidParameter)
    })

    it("§2 JetSetSessionContext twice: JET_errSessionContextAlreadySet", () => {
      const env = openEnv(engine)
      ok(env.api.JetSetSessionContext(env.sesid, 0x1234n))
      expectErr(env.api.JetSetSessionContext(env.sesid, 0x5678n), codes.JET_errSessionContextAlreadySet)
      ok(env.api.JetResetSessionContext(env.sesid))
    })

    it("§2 a context can be set again after a reset", () => {
      const env = openEnv(engine)
      ok(env.api.JetSetSessionContext(env.sesid, 0x1234n))
      ok(env.api.JetResetSessionContext(env.sesid))
      ok(env.api.JetSetSessionContext(env.sesid, 0x5678n))
      ok(env.api.JetResetSessionContext(env.sesid))
    })

    it("§1 JetEndSession while a context is set: JET_errSessionInUse, and the session stays usable", () => {
      const env = openEnv(engine)
      const s = openSession(env)
      ok(env.api.JetSetSessionContext(s.sesid, 0x99n))
      expectErr(env.api.JetEndSession(s.sesid, 0), codes.JET_errSessionInUse)
      ok(env.api.JetBeginTransaction(s.sesid))
      ok(env.api.JetCommitTransaction(s.sesid, 0))
      ok(env.api.JetResetSessionContext(s.sesid))
      ok(env.api.JetEndSession(s.sesid, 0))
    })

    it("§2 a transaction can run under a session context", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { id: { coltyp: JET_coltypLong } })
      ok(env.api.JetSetSessionContext(env.sesid, 0x42n))
      ok(env.api.JetBeginTransaction(env.sesid))
      insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(1)]])
      ok(env.api.JetCommitTransaction(env.sesid, 0))
      ok(env.api.JetResetSessionContext(env.sesid))
      expect(countRows(env.api, env.sesid, t.tableid)).toBe(1)
    })
  })
})
