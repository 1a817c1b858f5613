import { describe, expect, it } from "vitest"
import type { JetApi } from "../../src/jet/api.ts"
import {
  JET_bitCommitLazyFlush,
  JET_bitIndexPrimary,
  JET_bitRollbackAll,
  JET_bitTransactionReadOnly,
  JET_bitWaitAllLevel0Commit,
  JET_bitWaitLastLevel0Commit,
  JET_coltypLong,
  JET_coltypText,
  JET_prepCancel,
  JET_prepInsert,
  JET_prepReplace,
  JET_prepReplaceNoLock
} from "../../src/jet/constants.ts"
import type { JET_COLUMNID, JET_SESID, JET_TABLEID } from "../../src/jet/handles.ts"
import { JET_sesidNil } from "../../src/jet/handles.ts"
import { jetSystemParameters } from "../../src/jet/params.ts"
import type { Engine } from "./engines.ts"
import {
  codes,
  countRows,
  createTable,
  dec,
  enc,
  expectErr,
  forEachEngine,
  insert,
  makeKey,
  must,
  ok,
  openEnv,
  openSession,
  retrieve
} from "./harness.ts"

/** A table `t` (id Long primary, v Long) with rows id 1..n (v = 10 * id), and a second session. */
const setup = (engine: Engine, n = 3) => {
  const env = openEnv(engine)
  const t = createTable(env, "t", { id: { coltyp: JET_coltypLong }, v: { coltyp: JET_coltypLong } }, [
    { name: "pk", key: "+id", grbit: JET_bitIndexPrimary }
  ])
  for (let id = 1; id <= n; id++) {
    insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(id)], [t.col.v, enc.i32(10 * id)]])
  }
  const s2 = openSession(env)
  const t2 = ok(env.api.JetOpenTable(s2.sesid, s2.dbid, "t", 0)).tableid
  return { env, api: env.api, t, s1: env.sesid, c1: t.tableid, s2: s2.sesid, c2: t2 }
}

/** Positions the cursor on row `id` of the primary index. */
const seekId = (api: JetApi, sesid: JET_SESID, tableid: JET_TABLEID, id: number): number => {
  makeKey(api, sesid, tableid, enc.i32(id))
  return api.JetSeek(sesid, tableid, 1).err
}

/** The `v` of row `id`, or `null` when the session does not see the row. */
const readV = (
  api: JetApi,
  sesid: JET_SESID,
  tableid: JET_TABLEID,
  v: JET_COLUMNID,
  id: number
): number | null => {
  const err = seekId(api, sesid, tableid, id)
  if (err === codes.JET_errRecordNotFound) return null
  expectErr(err, 0)
  return dec.i32(must(retrieve(api, sesid, tableid, v)))
}

/** Replaces `v` of the current record, prepared with `prep`; returns the first failing code, or 0. */
const replaceV = (
  api: JetApi,
  sesid: JET_SESID,
  tableid: JET_TABLEID,
  col: JET_COLUMNID,
  value: number,
  prep = JET_prepReplace
): { readonly at: string; readonly err: number } => {
  const p = api.JetPrepareUpdate(sesid, tableid, prep).err
  if (p < 0) return { at: "JetPrepareUpdate", err: p }
  ok(api.JetSetColumn(sesid, tableid, col, enc.i32(value), 4, 0, null))
  const u = api.JetUpdate(sesid, tableid, null, 0).err
  if (u < 0) {
    api.JetPrepareUpdate(sesid, tableid, JET_prepCancel)
    return { at: "JetUpdate", err: u }
  }
  return { at: "", err: 0 }
}

forEachEngine((engine) => {
  describe("§3 nesting and grbits", () => {
    it("§3 nesting to level 7; a begin at level 7: JET_errTransTooDeep", () => {
      const env = openEnv(engine)
      for (let level = 1; level <= 7; level++) ok(env.api.JetBeginTransaction(env.sesid))
      expectErr(env.api.JetBeginTransaction(env.sesid), codes.JET_errTransTooDeep)
      for (let level = 7; level >= 1; level--) ok(env.api.JetCommitTransaction(env.sesid, 0))
      expectErr(env.api.JetCommitTransaction(env.sesid, 0), codes.JET_errNotInTransaction)
    })

    it("§3 commit outside a transaction: JET_errNotInTransaction", () => {
      const env = openEnv(engine)
      expectErr(env.api.JetCommitTransaction(env.sesid, 0), codes.JET_errNotInTransaction)
    })

    it("§3 rollback outside a transaction: JET_errNotInTransaction [D/jetrollback-function]", () => {
      const env = openEnv(engine)
      expectErr(env.api.JetRollback(env.sesid, 0), codes.JET_errNotInTransaction)
    })

    it("§3 JET_bitCommitLazyFlush commits the outermost level", () => {
      const { api, s1, c1, t, s2, c2 } = setup(engine, 0)
      ok(api.JetBeginTransaction(s1))
      insert(api, s1, c1, [[t.col.id, enc.i32(1)]])
      ok(api.JetCommitTransaction(s1, JET_bitCommitLazyFlush))
      expect(countRows(api, s2, c2)).toBe(1)
    })

    it("§3 JET_bitWaitLastLevel0Commit outside a transaction, alone, succeeds", () => {
      const env = openEnv(engine)
      ok(env.api.JetCommitTransaction(env.sesid, JET_bitWaitLastLevel0Commit))
    })

    it("§3 JET_bitWaitLastLevel0Commit combined with JET_bitCommitLazyFlush: JET_errInvalidGrbit", () => {
      const env = openEnv(engine)
      ok(env.api.JetBeginTransaction(env.sesid))
      expectErr(
        env.api.JetCommitTransaction(env.sesid, JET_bitWaitLastLevel0Commit | JET_bitCommitLazyFlush),
        codes.JET_errInvalidGrbit
      )
      ok(env.api.JetRollback(env.sesid, 0))
    })

    it("§3 JET_bitWaitAllLevel0Commit combined with JET_bitWaitLastLevel0Commit: JET_errInvalidGrbit", () => {
      const env = openEnv(engine)
      expectErr(
        env.api.JetCommitTransaction(env.sesid, JET_bitWaitLastLevel0Commit | JET_bitWaitAllLevel0Commit),
        codes.JET_errInvalidGrbit
      )
    })

    it("§3 each level needs its own commit: an inner commit leaves the outer level open", () => {
      const { api, s1, c1, t, s2, c2 } = setup(engine, 0)
      ok(api.JetBeginTransaction(s1))
      ok(api.JetBeginTransaction(s1))
      insert(api, s1, c1, [[t.col.id, enc.i32(1)]])
      ok(api.JetCommitTransaction(s1, 0))
      expect(countRows(api, s2, c2)).toBe(0)
      ok(api.JetCommitTransaction(s1, 0))
      expect(countRows(api, s2, c2)).toBe(1)
    })

    it("§3 rolling back an inner level undoes only its changes", () => {
      const { api, s1, c1, t } = setup(engine, 0)
      ok(api.JetBeginTransaction(s1))
      insert(api, s1, c1, [[t.col.id, enc.i32(1)]])
      ok(api.JetBeginTransaction(s1))
      insert(api, s1, c1, [[t.col.id, enc.i32(2)]])
      ok(api.JetRollback(s1, 0))
      expect(countRows(api, s1, c1)).toBe(1)
      ok(api.JetCommitTransaction(s1, 0))
      expect(countRows(api, s1, c1)).toBe(1)
    })

    it("§3 an inner commit is undone by the outer rollback", () => {
      const { api, s1, c1, t } = setup(engine, 0)
      ok(api.JetBeginTransaction(s1))
      ok(api.JetBeginTransaction(s1))
      insert(api, s1, c1, [[t.col.id, enc.i32(1)]])
      ok(api.JetCommitTransaction(s1, 0))
      ok(api.JetRollback(s1, 0))
      expect(countRows(api, s1, c1)).toBe(0)
    })

    it("§3 JET_bitRollbackAll rolls back every level", () => {
      const { api, s1, c1, t } = setup(engine, 0)
      for (let i = 1; i <= 3; i++) {
        ok(api.JetBeginTransaction(s1))
        insert(api, s1, c1, [[t.col.id, enc.i32(i)]])
      }
      ok(api.JetRollback(s1, JET_bitRollbackAll))
      expectErr(api.JetCommitTransaction(s1, 0), codes.JET_errNotInTransaction)
      expect(countRows(api, s1, c1)).toBe(0)
    })

    it("§3 read-only transaction: an insert fails with JET_errTransReadOnly", () => {
      const { api, s1, c1, t } = setup(engine, 0)
      ok(api.JetBeginTransaction2(s1, JET_bitTransactionReadOnly))
      const prep = api.JetPrepareUpdate(s1, c1, JET_prepInsert).err
      if (prep === 0) {
        ok(api.JetSetColumn(s1, c1, t.col.id, enc.i32(1), 4, 0, null))
        expectErr(api.JetUpdate(s1, c1, null, 0), codes.JET_errTransReadOnly)
        ok(api.JetPrepareUpdate(s1, c1, JET_prepCancel))
      } else {
        expectErr(prep, codes.JET_errTransReadOnly)
      }
      ok(api.JetCommitTransaction(s1, 0))
      expect(countRows(api, s1, c1)).toBe(0)
    })

    it("§3 read-only transaction: JetDelete fails with JET_errTransReadOnly, reads work", () => {
      const { api, s1, c1, t } = setup(engine, 2)
      ok(api.JetBeginTransaction2(s1, JET_bitTransactionReadOnly))
      expect(readV(api, s1, c1, t.col.v, 2)).toBe(20)
      expectErr(api.JetDelete(s1, c1), codes.JET_errTransReadOnly)
      ok(api.JetCommitTransaction(s1, 0))
      expect(countRows(api, s1, c1)).toBe(2)
    })

    it("§3 version store exhausted: JET_errVersionStoreOutOfMemory", () => {
      const env = openEnv(engine, (api, instance) => {
        ok(
          api.JetSetSystemParameter(
            instance,
            JET_sesidNil,
            jetSystemParameters.JET_paramMaxVerPages.id,
            16n,
            null
          )
        )
      })
      const t = createTable(env, "t", {
        id: { coltyp: JET_coltypLong },
        pad: { coltyp: JET_coltypText, cbMax: 255 }
      })
      ok(env.api.JetBeginTransaction(env.sesid))
      let err = 0
      for (let i = 0; i < 50_000 && err >= 0; i++) {
        ok(env.api.JetPrepareUpdate(env.sesid, t.tableid, JET_prepInsert))
        ok(env.api.JetSetColumn(env.sesid, t.tableid, t.col.id, enc.i32(i), 4, 0, null))
        ok(env.api.JetSetColumn(env.sesid, t.tableid, t.col.pad, enc.ascii("x".repeat(255)), 255, 0, null))
        err = env.api.JetUpdate(env.sesid, t.tableid, null, 0).err
      }
      expectErr(err, codes.JET_errVersionStoreOutOfMemory)
      ok(env.api.JetPrepareUpdate(env.sesid, t.tableid, JET_prepCancel))
      ok(env.api.JetRollback(env.sesid, 0))
    })
  })

  describe("§3 snapshot isolation", () => {
    it("§3 a session sees its own uncommitted changes; another does not", () => {
      const { api, s1, c1, t, s2, c2 } = setup(engine)
      ok(api.JetBeginTransaction(s1))
      expectErr(seekId(api, s1, c1, 2), 0)
      expectErr(replaceV(api, s1, c1, t.col.v, 99).err, 0)
      expect(readV(api, s1, c1, t.col.v, 2)).toBe(99)
      expect(readV(api, s2, c2, t.col.v, 2)).toBe(20)
      ok(api.JetCommitTransaction(s1, 0))
      expect(readV(api, s2, c2, t.col.v, 2)).toBe(99)
    })

    it("§3 reads see the database as of the level-0 begin: a later commit is invisible", () => {
      const { api, s1, c1, t, s2, c2 } = setup(engine)
      ok(api.JetBeginTransaction(s2))
      // s1 changes, inserts and deletes, each in its own transaction
      expectErr(seekId(api, s1, c1, 1), 0)
      expectErr(replaceV(api, s1, c1, t.col.v, 11).err, 0)
      insert(api, s1, c1, [[t.col.id, enc.i32(4)], [t.col.v, enc.i32(40)]])
      expectErr(seekId(api, s1, c1, 3), 0)
      ok(api.JetDelete(s1, c1))
      expect(readV(api, s2, c2, t.col.v, 1)).toBe(10)
      expect(readV(api, s2, c2, t.col.v, 4)).toBe(null)
      expect(readV(api, s2, c2, t.col.v, 3)).toBe(30)
      expect(countRows(api, s2, c2)).toBe(3)
      // a nested level keeps the level-0 snapshot
      ok(api.JetBeginTransaction(s2))
      expect(readV(api, s2, c2, t.col.v, 1)).toBe(10)
      ok(api.JetCommitTransaction(s2, 0))
      ok(api.JetCommitTransaction(s2, 0))
      expect(readV(api, s2, c2, t.col.v, 1)).toBe(11)
      expect(readV(api, s2, c2, t.col.v, 4)).toBe(40)
      expect(readV(api, s2, c2, t.col.v, 3)).toBe(null)
    })

    it("§3 outside a transaction each call sees the latest committed state", () => {
      const { api, s1, c1, t, s2, c2 } = setup(engine)
      expect(readV(api, s2, c2, t.col.v, 1)).toBe(10)
      expectErr(seekId(api, s1, c1, 1), 0)
      expectErr(replaceV(api, s1, c1, t.col.v, 12).err, 0)
      expect(readV(api, s2, c2, t.col.v, 1)).toBe(12)
    })

    it("§3 a rolled back change is never seen by another session", () => {
      const { api, s1, c1, t, s2, c2 } = setup(engine)
      ok(api.JetBeginTransaction(s1))
      expectErr(seekId(api, s1, c1, 1), 0)
      ok(api.JetDelete(s1, c1))
      ok(api.JetRollback(s1, 0))
      expect(readV(api, s2, c2, t.col.v, 1)).toBe(10)
      expect(readV(api, s1, c1, t.col.v, 1)).toBe(10)
    })

    it("§3 DDL is transactional: a table created in a rolled back transaction is gone", () => {
      const env = openEnv(engine)
      ok(env.api.JetBeginTransaction(env.sesid))
      const t = createTable(env, "t", { id: { coltyp: JET_coltypLong } })
      ok(env.api.JetCloseTable(env.sesid, t.tableid))
      ok(env.api.JetRollback(env.sesid, 0))
      expectErr(env.api.JetOpenTable(env.sesid, env.dbid, "t", 0), codes.JET_errObjectNotFound)
    })

    it("§3 DDL is transactional: a column added in a rolled back transaction is gone", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { id: { coltyp: JET_coltypLong } })
      ok(env.api.JetBeginTransaction(env.sesid))
      ok(env.api.JetAddColumn(env.sesid, t.tableid, "extra", { coltyp: JET_coltypLong }, null, 0))
      ok(env.api.JetRollback(env.sesid, 0))
      expectErr(
        env.api.JetGetTableColumnInfo(env.sesid, t.tableid, "extra", new Uint8Array(64), 64, 0),
        codes.JET_errColumnNotFound
      )
    })

    it("§3 DDL is transactional: a table deleted in a rolled back transaction is back", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { id: { coltyp: JET_coltypLong } })
      insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(1)]])
      ok(env.api.JetCloseTable(env.sesid, t.tableid))
      ok(env.api.JetBeginTransaction(env.sesid))
      ok(env.api.JetDeleteTable(env.sesid, env.dbid, "t"))
      expectErr(env.api.JetOpenTable(env.sesid, env.dbid, "t", 0), codes.JET_errObjectNotFound)
      ok(env.api.JetRollback(env.sesid, 0))
      const { tableid } = ok(env.api.JetOpenTable(env.sesid, env.dbid, "t", 0))
      expect(countRows(env.api, env.sesid, tableid)).toBe(1)
    })
  })

  describe("§3 write conflicts: first writer wins [ver.cxx:4160-4270]", () => {
    const holdRow2 = (x: ReturnType<typeof setup>): void => {
      ok(x.api.JetBeginTransaction(x.s1))
      expectErr(seekId(x.api, x.s1, x.c1, 2), 0)
      expectErr(replaceV(x.api, x.s1, x.c1, x.t.col.v, 21).err, 0)
    }

    it("§3 in a transaction, JetPrepareUpdate(Replace) fails at once with JET_errWriteConflict [ver.cxx:4160]", () => {
      const x = setup(engine)
      holdRow2(x)
      ok(x.api.JetBeginTransaction(x.s2))
      expectErr(seekId(x.api, x.s2, x.c2, 2), 0)
      expect(replaceV(x.api, x.s2, x.c2, x.t.col.v, 22)).toEqual({
        at: "JetPrepareUpdate",
        err: codes.JET_errWriteConflict
      })
      ok(x.api.JetRollback(x.s2, 0))
    })

    it("§3 JET_prepReplaceNoLock reports the conflict at JetUpdate", () => {
      const x = setup(engine)
      holdRow2(x)
      ok(x.api.JetBeginTransaction(x.s2))
      expectErr(seekId(x.api, x.s2, x.c2, 2), 0)
      expect(replaceV(x.api, x.s2, x.c2, x.t.col.v, 22, JET_prepReplaceNoLock)).toEqual({
        at: "JetUpdate",
        err: codes.JET_errWriteConflict
      })
      ok(x.api.JetRollback(x.s2, 0))
    })

    it("§3 at level 0, Replace acts as ReplaceNoLock: the conflict shows at JetUpdate", () => {
      const x = setup(engine)
      holdRow2(x)
      expectErr(seekId(x.api, x.s2, x.c2, 2), 0)
      expect(replaceV(x.api, x.s2, x.c2, x.t.col.v, 22)).toEqual({
        at: "JetUpdate",
        err: codes.JET_errWriteConflict
      })
    })

    it("§3 JetDelete of a record another session changed: JET_errWriteConflict", () => {
      const x = setup(engine)
      holdRow2(x)
      ok(x.api.JetBeginTransaction(x.s2))
      expectErr(seekId(x.api, x.s2, x.c2, 2), 0)
      expectErr(x.api.JetDelete(x.s2, x.c2), codes.JET_errWriteConflict)
      ok(x.api.JetRollback(x.s2, 0))
    })

    it("§3 a record deleted by another, uncommitted: replace fails with JET_errWriteConflict", () => {
      const x = setup(engine)
      ok(x.api.JetBeginTransaction(x.s1))
      expectErr(seekId(x.api, x.s1, x.c1, 2), 0)
      ok(x.api.JetDelete(x.s1, x.c1))
      ok(x.api.JetBeginTransaction(x.s2))
      expectErr(seekId(x.api, x.s2, x.c2, 2), 0)
      expect(replaceV(x.api, x.s2, x.c2, x.t.col.v, 22)).toEqual({
        at: "JetPrepareUpdate",
        err: codes.JET_errWriteConflict
      })
      ok(x.api.JetRollback(x.s2, 0))
    })

    it("§3 a version committed by another session after the requester's level-0 begin conflicts", () => {
      const x = setup(engine)
      ok(x.api.JetBeginTransaction(x.s2))
      expectErr(seekId(x.api, x.s2, x.c2, 2), 0)
      // s1 replaces row 2 and commits (its own transaction at level 0)
      expectErr(seekId(x.api, x.s1, x.c1, 2), 0)
      expectErr(replaceV(x.api, x.s1, x.c1, x.t.col.v, 21).err, 0)
      expectErr(seekId(x.api, x.s2, x.c2, 2), 0)
      expect(replaceV(x.api, x.s2, x.c2, x.t.col.v, 22)).toEqual({
        at: "JetPrepareUpdate",
        err: codes.JET_errWriteConflict
      })
      ok(x.api.JetRollback(x.s2, 0))
      // a transaction begun after the commit can write
      ok(x.api.JetBeginTransaction(x.s2))
      expectErr(seekId(x.api, x.s2, x.c2, 2), 0)
      expectErr(replaceV(x.api, x.s2, x.c2, x.t.col.v, 22).err, 0)
      ok(x.api.JetCommitTransaction(x.s2, 0))
      expect(readV(x.api, x.s1, x.c1, x.t.col.v, 2)).toBe(22)
    })

    it("§3 the lock is held until the owner commits, even after the requester retries", () => {
      const x = setup(engine)
      holdRow2(x)
      expectErr(seekId(x.api, x.s2, x.c2, 2), 0)
      expect(replaceV(x.api, x.s2, x.c2, x.t.col.v, 22).err).toBe(codes.JET_errWriteConflict)
      ok(x.api.JetCommitTransaction(x.s1, 0))
      expectErr(seekId(x.api, x.s2, x.c2, 2), 0)
      expectErr(replaceV(x.api, x.s2, x.c2, x.t.col.v, 22).err, 0)
      expect(readV(x.api, x.s1, x.c1, x.t.col.v, 2)).toBe(22)
    })

    it("§3 after the owner rolls back, another session can write the record", () => {
      const x = setup(engine)
      holdRow2(x)
      ok(x.api.JetBeginTransaction(x.s2))
      ok(x.api.JetRollback(x.s1, 0))
      expectErr(seekId(x.api, x.s2, x.c2, 2), 0)
      expectErr(replaceV(x.api, x.s2, x.c2, x.t.col.v, 22).err, 0)
      ok(x.api.JetCommitTransaction(x.s2, 0))
      expect(readV(x.api, x.s1, x.c1, x.t.col.v, 2)).toBe(22)
    })

    it("§3 other records are not locked", () => {
      const x = setup(engine)
      holdRow2(x)
      ok(x.api.JetBeginTransaction(x.s2))
      expectErr(seekId(x.api, x.s2, x.c2, 3), 0)
      expectErr(replaceV(x.api, x.s2, x.c2, x.t.col.v, 33).err, 0)
      ok(x.api.JetCommitTransaction(x.s2, 0))
      ok(x.api.JetCommitTransaction(x.s1, 0))
    })

    it("§3 two cursors of one session replacing one record: JET_errSessionWriteConflict", () => {
      const x = setup(engine)
      const other = ok(x.api.JetOpenTable(x.s1, x.env.dbid, "t", 0)).tableid
      ok(x.api.JetBeginTransaction(x.s1))
      expectErr(seekId(x.api, x.s1, x.c1, 2), 0)
      expectErr(seekId(x.api, x.s1, other, 2), 0)
      ok(x.api.JetPrepareUpdate(x.s1, x.c1, JET_prepReplace))
      const second = x.api.JetPrepareUpdate(x.s1, other, JET_prepReplace).err
      if (second < 0) {
        expectErr(second, codes.JET_errSessionWriteConflict)
      } else {
        ok(x.api.JetSetColumn(x.s1, x.c1, x.t.col.v, enc.i32(1), 4, 0, null))
        ok(x.api.JetUpdate(x.s1, x.c1, null, 0))
        ok(x.api.JetSetColumn(x.s1, other, x.t.col.v, enc.i32(2), 4, 0, null))
        expectErr(x.api.JetUpdate(x.s1, other, null, 0), codes.JET_errSessionWriteConflict)
      }
      ok(x.api.JetRollback(x.s1, 0))
    })

    it("§3 one session may change its own record again in the same transaction", () => {
      const x = setup(engine)
      holdRow2(x)
      expectErr(seekId(x.api, x.s1, x.c1, 2), 0)
      expectErr(replaceV(x.api, x.s1, x.c1, x.t.col.v, 23).err, 0)
      ok(x.api.JetCommitTransaction(x.s1, 0))
      expect(readV(x.api, x.s2, x.c2, x.t.col.v, 2)).toBe(23)
    })
  })

  describe("§3 rollback effects [tm.cxx:1884-2010]", () => {
    it("§3 a prepared update begun at the rolled back level is cancelled", () => {
      const { api, s1, c1, t } = setup(engine, 0)
      ok(api.JetBeginTransaction(s1))
      ok(api.JetPrepareUpdate(s1, c1, JET_prepInsert))
      ok(api.JetSetColumn(s1, c1, t.col.id, enc.i32(5), 4, 0, null))
      ok(api.JetRollback(s1, 0))
      expectErr(api.JetUpdate(s1, c1, null, 0), codes.JET_errUpdateNotPrepared)
      expectErr(api.JetPrepareUpdate(s1, c1, JET_prepCancel), codes.JET_errUpdateNotPrepared)
      expect(countRows(api, s1, c1)).toBe(0)
    })

    it("§3 a secondary index selected at the rolled back level reverts to the primary index", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { id: { coltyp: JET_coltypLong }, v: { coltyp: JET_coltypLong } }, [
        { name: "pk", key: "+id", grbit: JET_bitIndexPrimary },
        { name: "byV", key: "+v" }
      ])
      ok(env.api.JetBeginTransaction(env.sesid))
      ok(env.api.JetSetCurrentIndex4(env.sesid, t.tableid, "byV", 0, 1))
      ok(env.api.JetRollback(env.sesid, 0))
      const name = new Uint8Array(256)
      ok(env.api.JetGetCurrentIndex(env.sesid, t.tableid, name, 128))
      expect(dec.wsz(name)).toBe("pk")
    })

    it("§3 a secondary index selected before the transaction stays selected", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { id: { coltyp: JET_coltypLong }, v: { coltyp: JET_coltypLong } }, [
        { name: "pk", key: "+id", grbit: JET_bitIndexPrimary },
        { name: "byV", key: "+v" }
      ])
      ok(env.api.JetSetCurrentIndex4(env.sesid, t.tableid, "byV", 0, 1))
      ok(env.api.JetBeginTransaction(env.sesid))
      ok(env.api.JetRollback(env.sesid, 0))
      const name = new Uint8Array(256)
      ok(env.api.JetGetCurrentIndex(env.sesid, t.tableid, name, 128))
      expect(dec.wsz(name)).toBe("byV")
    })

    it("§3 a cursor opened at the rolled back level is closed", () => {
      const { api, s1, env } = setup(engine, 1)
      ok(api.JetBeginTransaction(s1))
      ok(api.JetBeginTransaction(s1))
      const { tableid } = ok(api.JetOpenTable(s1, env.dbid, "t", 0))
      ok(api.JetRollback(s1, 0))
      expect(api.JetCloseTable(s1, tableid).err).toBeLessThan(0)
      ok(api.JetCommitTransaction(s1, 0))
    })
  })
})
