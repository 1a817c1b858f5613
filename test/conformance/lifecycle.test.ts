import { join } from "node:path"
import { describe, expect, it } from "vitest"
import {
  JET_bitDbOverwriteExisting,
  JET_bitTermComplete,
  JET_bitTermDirty,
  JET_coltypLong,
  JET_coltypText,
  JET_MoveFirst,
  JET_MoveNext,
  JET_prepCancel,
  JET_prepInsert
} from "../../src/jet/constants.ts"
import { JET_sesidNil } from "../../src/jet/handles.ts"
import { jetSystemParameters } from "../../src/jet/params.ts"
import {
  codes,
  countRows,
  createTable,
  currentKey,
  dec,
  enc,
  expectErr,
  forEachEngine,
  insert,
  must,
  ok,
  openEnv,
  openInstance,
  openSession,
  retrieve,
  unique
} from "./harness.ts"

forEachEngine((engine) => {
  describe("§1 instance", () => {
    it("§1 a created but never initialized instance is ended with JetTerm [D/jetcreateinstance2-function]", () => {
      const api = engine.make()
      const { instance } = ok(api.JetCreateInstance2(`lifecycle-${unique()}`, null, 0))
      expectErr(api.JetTerm(instance), 0)
    })

    it("§1 JetCreateInstance2 with a name in use: JET_errInstanceNameInUse [D/jetcreateinstance2-function]", () => {
      const api = engine.make()
      const name = `lifecycle-${unique()}`
      const first = ok(api.JetCreateInstance2(name, null, 0))
      try {
        expectErr(api.JetCreateInstance2(name, null, 0), codes.JET_errInstanceNameInUse)
      } finally {
        api.JetTerm(first.instance)
      }
    })

    it("§1 JetSetSystemParameter after init for an init-time parameter: JET_errAlreadyInitialized [D/jetsetsystemparameter-function]", () => {
      const { api, instance } = openInstance(engine)
      expectErr(
        api.JetSetSystemParameter(
          instance,
          JET_sesidNil,
          jetSystemParameters.JET_paramMaxSessions.id,
          4n,
          null
        ),
        codes.JET_errAlreadyInitialized
      )
    })

    it("§1 JetTerm2(Complete) with an open transaction: JET_errTooManyActiveUsers, the instance stays up [sysinit.cxx:597]", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { id: { coltyp: JET_coltypLong } })
      ok(env.api.JetBeginTransaction(env.sesid))
      insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(1)]])
      expectErr(env.api.JetTerm2(env.instance, JET_bitTermComplete), codes.JET_errTooManyActiveUsers)
      // still usable
      ok(env.api.JetCommitTransaction(env.sesid, 0))
      ok(env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0))
      expect(dec.i32(must(retrieve(env.api, env.sesid, t.tableid, t.col.id)))).toBe(1)
    })

    it("§1 JetTerm (abrupt) with an open transaction: JET_errTooManyActiveUsers [sysinit.cxx:597-606, verify]", () => {
      const env = openEnv(engine)
      ok(env.api.JetBeginTransaction(env.sesid))
      expectErr(env.api.JetTerm(env.instance), codes.JET_errTooManyActiveUsers)
      ok(env.api.JetRollback(env.sesid, 0))
    })

    it("§1 JetTerm2(Dirty) with an open transaction shuts down with JET_errDirtyShutdown", () => {
      const env = openEnv(engine)
      ok(env.api.JetBeginTransaction(env.sesid))
      expectErr(env.api.JetTerm2(env.instance, JET_bitTermDirty), codes.JET_errDirtyShutdown)
    })

    it("§1 JetTerm with no transaction succeeds", () => {
      const env = openEnv(engine)
      expectErr(env.api.JetTerm(env.instance), 0)
    })
  })

  describe("§1 session", () => {
    it("§1 JetBeginSession past JET_paramMaxSessions: JET_errOutOfSessions", () => {
      const { api, instance } = openInstance(engine, (a, i) => {
        ok(a.JetSetSystemParameter(i, JET_sesidNil, jetSystemParameters.JET_paramMaxSessions.id, 2n, null))
      })
      ok(api.JetBeginSession(instance, null, null))
      ok(api.JetBeginSession(instance, null, null))
      expectErr(api.JetBeginSession(instance, null, null), codes.JET_errOutOfSessions)
    })

    it("§1 ending a session frees its slot for a new one", () => {
      const { api, instance } = openInstance(engine, (a, i) => {
        ok(a.JetSetSystemParameter(i, JET_sesidNil, jetSystemParameters.JET_paramMaxSessions.id, 1n, null))
      })
      const { sesid } = ok(api.JetBeginSession(instance, null, null))
      expectErr(api.JetBeginSession(instance, null, null), codes.JET_errOutOfSessions)
      ok(api.JetEndSession(sesid, 0))
      ok(api.JetBeginSession(instance, null, null))
    })
  })

  describe("§1 database", () => {
    it("§1 JetCreateDatabase on an existing file: JET_errDatabaseDuplicate, unless JET_bitDbOverwriteExisting", () => {
      const env = openEnv(engine)
      ok(env.api.JetCloseDatabase(env.sesid, env.dbid, 0))
      ok(env.api.JetDetachDatabase2(env.sesid, env.dbPath, 0))
      expectErr(env.api.JetCreateDatabase2(env.sesid, env.dbPath, 0, 0), codes.JET_errDatabaseDuplicate)
      ok(env.api.JetCreateDatabase2(env.sesid, env.dbPath, 0, JET_bitDbOverwriteExisting))
    })

    it("§1 JetCreateDatabase inside a transaction: JET_errInTransaction", () => {
      const env = openEnv(engine)
      ok(env.api.JetBeginTransaction(env.sesid))
      expectErr(
        env.api.JetCreateDatabase2(env.sesid, join(env.dir, "second.edb"), 0, 0),
        codes.JET_errInTransaction
      )
      ok(env.api.JetRollback(env.sesid, 0))
    })

    it("§1 JetAttachDatabase of an attached database: JET_wrnDatabaseAttached", () => {
      const env = openEnv(engine)
      expectErr(env.api.JetAttachDatabase2(env.sesid, env.dbPath, 0, 0), codes.JET_wrnDatabaseAttached)
    })

    it("§1 JetOpenDatabase of a database not attached: JET_errDatabaseNotFound", () => {
      const env = openEnv(engine)
      expectErr(
        env.api.JetOpenDatabase(env.sesid, join(env.dir, "missing.edb"), null, 0),
        codes.JET_errDatabaseNotFound
      )
    })

    it("§1 JetOpenDatabase may repeat, per session", () => {
      const env = openEnv(engine)
      ok(env.api.JetOpenDatabase(env.sesid, env.dbPath, null, 0))
      const other = openSession(env)
      ok(env.api.JetOpenDatabase(other.sesid, env.dbPath, null, 0))
    })

    it("§1 the data of a database survives detach and attach", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { id: { coltyp: JET_coltypLong } })
      insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(42)]])
      ok(env.api.JetCloseTable(env.sesid, t.tableid))
      ok(env.api.JetCloseDatabase(env.sesid, env.dbid, 0))
      ok(env.api.JetDetachDatabase2(env.sesid, env.dbPath, 0))
      ok(env.api.JetAttachDatabase2(env.sesid, env.dbPath, 0, 0))
      const { dbid } = ok(env.api.JetOpenDatabase(env.sesid, env.dbPath, null, 0))
      const { tableid } = ok(env.api.JetOpenTable(env.sesid, dbid, "t", 0))
      ok(env.api.JetMove(env.sesid, tableid, JET_MoveFirst, 0))
      expect(dec.i32(must(retrieve(env.api, env.sesid, tableid, t.col.id)))).toBe(42)
    })

    it("§1 JetDetachDatabase while the database is open: JET_errDatabaseInUse", () => {
      const env = openEnv(engine)
      expectErr(env.api.JetDetachDatabase2(env.sesid, env.dbPath, 0), codes.JET_errDatabaseInUse)
    })

    it("§1 JetDetachDatabase inside a transaction: JET_errInTransaction", () => {
      const env = openEnv(engine)
      ok(env.api.JetCloseDatabase(env.sesid, env.dbid, 0))
      ok(env.api.JetBeginTransaction(env.sesid))
      expectErr(env.api.JetDetachDatabase2(env.sesid, env.dbPath, 0), codes.JET_errInTransaction)
      ok(env.api.JetRollback(env.sesid, 0))
    })

    it("§1 JetDetachDatabase with a NULL name detaches all", () => {
      const env = openEnv(engine)
      ok(env.api.JetCloseDatabase(env.sesid, env.dbid, 0))
      ok(env.api.JetDetachDatabase2(env.sesid, null, 0))
      expectErr(env.api.JetOpenDatabase(env.sesid, env.dbPath, null, 0), codes.JET_errDatabaseNotFound)
    })

    it("§1 JetCloseDatabase: the session's last close of a dbid closes its table cursors [db.cxx:6394]", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { id: { coltyp: JET_coltypLong } })
      ok(env.api.JetCloseTable(env.sesid, t.tableid))
      // an exclusive cursor keeps other sessions out while it is open
      ok(env.api.JetOpenTable(env.sesid, env.dbid, "t", 2 /* JET_bitTableDenyRead */))
      const other = openSession(env)
      expectErr(env.api.JetOpenTable(other.sesid, other.dbid, "t", 0), codes.JET_errTableLocked)
      ok(env.api.JetCloseDatabase(env.sesid, env.dbid, 0))
      ok(env.api.JetOpenTable(other.sesid, other.dbid, "t", 0))
    })
  })

  describe("§1 table cursors", () => {
    it("§1 JetOpenTable of a missing table: JET_errObjectNotFound", () => {
      const env = openEnv(engine)
      expectErr(env.api.JetOpenTable(env.sesid, env.dbid, "missing", 0), codes.JET_errObjectNotFound)
    })

    it("§1 a cursor opened inside a transaction that rolls back is closed; closing it again is an error", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { id: { coltyp: JET_coltypLong } })
      ok(env.api.JetCloseTable(env.sesid, t.tableid))
      ok(env.api.JetBeginTransaction(env.sesid))
      const { tableid } = ok(env.api.JetOpenTable(env.sesid, env.dbid, "t", 0))
      ok(env.api.JetRollback(env.sesid, 0))
      expect(env.api.JetCloseTable(env.sesid, tableid).err).toBeLessThan(0)
    })

    it("§1 a cursor opened before the transaction survives its rollback", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { id: { coltyp: JET_coltypLong } })
      insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(1)]])
      ok(env.api.JetBeginTransaction(env.sesid))
      ok(env.api.JetRollback(env.sesid, 0))
      ok(env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0))
      ok(env.api.JetCloseTable(env.sesid, t.tableid))
    })

    it("§1 a new cursor stands on the first record, found when the cursor is first used [fileopen.cxx:58]", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { id: { coltyp: JET_coltypLong } }, [
        { name: "pk", key: "+id", grbit: 2 /* Primary */ }
      ])
      const { tableid } = ok(env.api.JetOpenTable(env.sesid, env.dbid, "t", 0))
      // empty: no current record, and the move stays deferred
      expectErr(
        env.api.JetRetrieveColumn(env.sesid, tableid, t.col.id, new Uint8Array(4), 4, 0, null),
        codes.JET_errNoCurrentRecord
      )
      insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(7)]])
      insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(3)]])
      expect(dec.i32(must(retrieve(env.api, env.sesid, tableid, t.col.id)))).toBe(3)
      // once found, the cursor stays on that record: a smaller key inserted later does not move it
      insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(1)]])
      expect(dec.i32(must(retrieve(env.api, env.sesid, tableid, t.col.id)))).toBe(3)
      // a fresh cursor's first move forward lands on the first record
      const fresh = ok(env.api.JetOpenTable(env.sesid, env.dbid, "t", 0)).tableid
      ok(env.api.JetMove(env.sesid, fresh, JET_MoveNext, 0))
      expect(dec.i32(must(retrieve(env.api, env.sesid, fresh, t.col.id)))).toBe(1)
      // and a delete on a fresh cursor deletes the first record
      const other = ok(env.api.JetOpenTable(env.sesid, env.dbid, "t", 0)).tableid
      ok(env.api.JetDelete(env.sesid, other))
      expect(countRows(env.api, env.sesid, tableid)).toBe(2)
    })

    it("§1 JetDupCursor: on the clustered index, on its first record; position, key and update not copied [fileopen.cxx:58]", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", {
        id: { coltyp: JET_coltypLong },
        name: { coltyp: JET_coltypText, cbMax: 50 }
      }, [
        { name: "pk", key: "+id", grbit: 2 /* Primary */ },
        { name: "byName", key: "+name" }
      ])
      insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(1)], [t.col.name, enc.ascii("b")]])
      insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(2)], [t.col.name, enc.ascii("a")]])
      ok(env.api.JetSetCurrentIndex4(env.sesid, t.tableid, "byName", 0, 1))
      ok(env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0))
      ok(env.api.JetMakeKey(env.sesid, t.tableid, enc.ascii("a"), 1, 1))
      ok(env.api.JetPrepareUpdate(env.sesid, t.tableid, 2))
      const dup = ok(env.api.JetDupCursor(env.sesid, t.tableid, 0)).tableid
      const name = new Uint8Array(256)
      ok(env.api.JetGetCurrentIndex(env.sesid, dup, name, 128))
      expect(dec.wsz(name)).toBe("pk")
      expectErr(env.api.JetSeek(env.sesid, dup, 1), codes.JET_errKeyNotMade)
      expectErr(env.api.JetPrepareUpdate(env.sesid, dup, JET_prepCancel), codes.JET_errUpdateNotPrepared)
      // not the original's position (id 2, first by name): the clustered index's first record
      expect(dec.i32(must(retrieve(env.api, env.sesid, dup, t.col.id)))).toBe(1)
      expect(currentKey(env.api, env.sesid, dup).byteLength).toBeGreaterThan(0)
      ok(env.api.JetCloseTable(env.sesid, dup))
      // the original cursor kept its state
      ok(env.api.JetPrepareUpdate(env.sesid, t.tableid, JET_prepCancel))
    })

    it("§1 closing a table cursor with a prepared update cancels it; the table is unchanged", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { id: { coltyp: JET_coltypLong } })
      ok(env.api.JetPrepareUpdate(env.sesid, t.tableid, JET_prepInsert))
      ok(env.api.JetSetColumn(env.sesid, t.tableid, t.col.id, enc.i32(1), 4, 0, null))
      ok(env.api.JetCloseTable(env.sesid, t.tableid))
      const { tableid } = ok(env.api.JetOpenTable(env.sesid, env.dbid, "t", 0))
      expectErr(env.api.JetMove(env.sesid, tableid, JET_MoveFirst, 0), codes.JET_errNoCurrentRecord)
    })
  })
})
