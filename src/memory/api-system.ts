/**
 * `JetApi` calls on instances, system parameters, sessions, databases, and maintenance (backup,
 * restore, compaction, defragmentation).
 *
 * @module
 */
import type { JetResult } from "../jet/api.ts"
import { jetErrorCodes as E } from "../jet/errors.generated.ts"
import { JET_DBID, JET_INSTANCE, JET_SESID } from "../jet/handles.ts"
import { writeString } from "./catalog-info.ts"
import {
  bitDbOverwriteExisting,
  bitDbReadOnly,
  bitTermDirty,
  defaultParams,
  fixedAfterInit,
  maxDatabasesPerInstance,
  maxLevel,
  paramMaxSessions
} from "./constants.ts"
import type { Database } from "./model.ts"
import { cloneDb, emptyDb, pathKey } from "./model.ts"
import { err } from "./results.ts"
import type { EngineState, Instance, Session } from "./state.ts"
import {
  apiPart,
  closeCursor,
  getDb,
  getSession,
  handle,
  instanceGate,
  liveInstance,
  numParam,
  ownerNow,
  param
} from "./state.ts"
import { endSession } from "./transactions.ts"

export const term = (st: EngineState, instance: bigint, grbit: number): JetResult => {
  const inst = st.instances.get(instance)
  if (inst === undefined) return err(E.JET_errInvalidInstance)
  if ((grbit & ~0xf) !== 0) return err(E.JET_errInvalidGrbit)
  const dirty = (grbit & bitTermDirty) !== 0
  if (!dirty) { for (const s of inst.sessions) if (s.level > 0) return err(E.JET_errTooManyActiveUsers) }
  for (const s of [...inst.sessions]) endSession(st, s)
  for (const a of inst.attached.values()) a.db.attachedTo = undefined
  inst.attached.clear()
  st.instances.delete(instance)
  return err(dirty && inst.state !== "created" ? E.JET_errDirtyShutdown : 0)
}

export const nextDbid = (inst: Instance): number => {
  const used = new Set([...inst.attached.values()].map((a) => a.dbid))
  let id = 1
  while (used.has(id)) id++
  return id
}

/** The engine's instance, session, database and maintenance calls. */
export const systemApi = (st: EngineState) =>
  apiPart({
    // Instance

    JetCreateInstance2(instanceName, _displayName, _grbit) {
      for (const i of st.instances.values()) {
        if (i.name === instanceName) return { err: E.JET_errInstanceNameInUse, instance: JET_INSTANCE(0n) }
      }
      const maxInstances = st.processParams.get(104)
      if (typeof maxInstances === "bigint" && st.instances.size >= Number(maxInstances)) {
        return { err: E.JET_errTooManyInstances, instance: JET_INSTANCE(0n) }
      }
      const inst: Instance = {
        id: handle(st),
        name: instanceName,
        state: "created",
        condition: undefined,
        params: new Map(),
        sessions: new Set(),
        attached: new Map(),
        cursorCount: 0
      }
      st.instances.set(inst.id, inst)
      return { err: 0, instance: JET_INSTANCE(inst.id) }
    },

    JetInit3(instance, _grbit) {
      const inst = liveInstance(st, instance)
      if (typeof inst === "number") return { err: inst, instance }
      if (inst.state !== "created") return { err: E.JET_errAlreadyInitialized, instance }
      inst.state = "running"
      return { err: 0, instance }
    },

    JetTerm(instance) {
      return term(st, instance, 2)
    },

    JetTerm2(instance, grbit) {
      return term(st, instance, grbit)
    },

    JetSetSystemParameter(instance, _sesid, paramid, lParam, szParam) {
      const value = szParam ?? lParam
      if (instance === null || instance === 0n) {
        for (const i of st.instances.values()) {
          if (i.state !== "created" && fixedAfterInit.has(paramid)) return err(E.JET_errAlreadyInitialized)
        }
        st.processParams.set(paramid, value)
        return err(0)
      }
      const inst = liveInstance(st, instance)
      if (typeof inst === "number") return err(inst)
      if (inst.state !== "created" && fixedAfterInit.has(paramid)) return err(E.JET_errAlreadyInitialized)
      if (paramid < 0 || paramid > 5000) return err(E.JET_errInvalidParameter)
      inst.params.set(paramid, value)
      return err(0)
    },

    JetGetSystemParameter(instance, _sesid, paramid, szParam, cbMax) {
      if (szParam !== null && cbMax > szParam.byteLength) {
        return { err: E.JET_errInvalidParameter, lParam: 0n }
      }
      const inst = st.instances.get(instance)
      const v = inst !== undefined
        ? param(st, inst, paramid)
        : st.processParams.get(paramid) ?? defaultParams.get(paramid)
      if (typeof v === "string") {
        if (szParam === null) return { err: E.JET_errInvalidParameter, lParam: 0n }
        const e = writeString(szParam, cbMax, v)
        return { err: e, lParam: 0n }
      }
      return { err: 0, lParam: v ?? 0n }
    },

    JetGetVersion(_sesid) {
      return { err: 0, version: 0x0a00_5000 }
    },

    JetStopServiceInstance(instance) {
      const inst = liveInstance(st, instance)
      if (typeof inst === "number") return err(inst)
      if (inst.state === "created") return err(E.JET_errNotInitialized)
      inst.state = "stopped"
      return err(0)
    },

    // Sessions

    JetBeginSession(instance, _user, _password) {
      const inst = liveInstance(st, instance)
      if (typeof inst === "number") return { err: inst, sesid: JET_SESID(0n) }
      if (inst.state === "created") return { err: E.JET_errNotInitialized, sesid: JET_SESID(0n) }
      const gate = instanceGate(inst)
      if (gate !== 0) return { err: gate, sesid: JET_SESID(0n) }
      if (inst.sessions.size >= numParam(st, inst, paramMaxSessions)) {
        return { err: E.JET_errOutOfSessions, sesid: JET_SESID(0n) }
      }
      const s: Session = {
        id: handle(st),
        inst,
        level: 0,
        readOnly: false,
        trxOwner: "",
        context: null,
        contextThread: 0,
        inFlight: false,
        openDbs: new Map(),
        cursors: new Set(),
        beginTs: 0,
        txs: new Map(),
        locks: [],
        written: [],
        deletes: [],
        versions: 0
      }
      st.sessions.set(s.id, s)
      inst.sessions.add(s)
      return { err: 0, sesid: JET_SESID(s.id) }
    },

    JetEndSession(sesid, _grbit) {
      // Unknown handle (NotInitialized when no instance runs), then the instance's state:
      // ClientRequestToStopJetService, TermInProgress, RestoreInProgress, InstanceUnavailable.
      const s = getSession(st, sesid)
      if (typeof s === "number") return err(s)
      if (s.context !== null) return err(E.JET_errSessionInUse)
      if (s.level > 0 && s.trxOwner !== ownerNow(st, s)) return err(E.JET_errSessionSharingViolation)
      endSession(st, s)
      return err(0)
    },

    JetDupSession(sesid) {
      const s = getSession(st, sesid)
      if (typeof s === "number") return { err: s, sesid: JET_SESID(0n) }
      return st.api.JetBeginSession(JET_INSTANCE(s.inst.id), null, null)
    },

    JetSetSessionContext(sesid, context) {
      const s = getSession(st, sesid)
      if (typeof s === "number") return err(s)
      if (context === 0n || context === -1n || context === 0xffff_ffff_ffff_ffffn) {
        return err(E.JET_errInvalidParameter)
      }
      if (s.context !== null) return err(E.JET_errSessionContextAlreadySet)
      s.context = context
      s.contextThread = st.thread
      return err(0)
    },

    JetResetSessionContext(sesid) {
      const s = getSession(st, sesid)
      if (typeof s === "number") return err(s)
      if (s.context === null || s.contextThread !== st.thread) {
        return err(E.JET_errSessionContextNotSetByThisThread)
      }
      s.context = null
      return err(0)
    },

    // Databases

    JetCreateDatabase2(sesid, filename, _cpgMax, grbit) {
      const fail = (e: number) => ({ err: e, dbid: JET_DBID(0) })
      const s = getSession(st, sesid)
      if (typeof s === "number") return fail(s)
      if (s.level > 0) return fail(E.JET_errInTransaction)
      if (filename.length === 0) return fail(E.JET_errInvalidPath)
      const key = pathKey(filename)
      const existing = st.store.databases.get(key)
      if (existing !== undefined) {
        if ((grbit & bitDbOverwriteExisting) === 0) return fail(E.JET_errDatabaseDuplicate)
        if (existing.attachedTo !== undefined) return fail(E.JET_errDatabaseInUse)
      }
      if (s.inst.attached.size >= maxDatabasesPerInstance) return fail(E.JET_errTooManyAttachedDatabases)
      const db: Database = { path: filename, committed: emptyDb(), attachedTo: s.inst.id }
      st.store.databases.set(key, db)
      const dbid = nextDbid(s.inst)
      s.inst.attached.set(key, { dbid, db, path: filename, readOnly: false })
      s.openDbs.set(dbid, (s.openDbs.get(dbid) ?? 0) + 1)
      return { err: 0, dbid: JET_DBID(dbid) }
    },

    JetAttachDatabase2(sesid, filename, _cpgMax, grbit) {
      const s = getSession(st, sesid)
      if (typeof s === "number") return err(s)
      if (s.level > 0) return err(E.JET_errInTransaction)
      const key = pathKey(filename)
      const db = st.store.databases.get(key)
      if (db === undefined) return err(E.JET_errFileNotFound)
      if (s.inst.attached.has(key)) return err(E.JET_wrnDatabaseAttached)
      if (db.attachedTo !== undefined && st.instances.has(db.attachedTo)) return err(E.JET_errDatabaseInUse)
      if (s.inst.attached.size >= maxDatabasesPerInstance) return err(E.JET_errTooManyAttachedDatabases)
      db.attachedTo = s.inst.id
      s.inst.attached.set(key, {
        dbid: nextDbid(s.inst),
        db,
        path: filename,
        readOnly: (grbit & bitDbReadOnly) !== 0
      })
      return err(0)
    },

    JetDetachDatabase2(sesid, filename, _grbit) {
      const s = getSession(st, sesid)
      if (typeof s === "number") return err(s)
      if (s.level > 0) return err(E.JET_errInTransaction)
      const targets = filename === null || filename === ""
        ? [...s.inst.attached.entries()]
        : [...s.inst.attached.entries()].filter(([k]) => k === pathKey(filename))
      if (targets.length === 0 && filename !== null && filename !== "") return err(E.JET_errDatabaseNotFound)
      for (const [, a] of targets) {
        for (const x of s.inst.sessions) if (x.openDbs.has(a.dbid)) return err(E.JET_errDatabaseInUse)
      }
      for (const [k, a] of targets) {
        s.inst.attached.delete(k)
        a.db.attachedTo = undefined
      }
      return err(0)
    },

    JetOpenDatabase(sesid, filename, _connect, _grbit) {
      const s = getSession(st, sesid)
      if (typeof s === "number") return { err: s, dbid: JET_DBID(0) }
      const a = s.inst.attached.get(pathKey(filename))
      if (a === undefined) return { err: E.JET_errDatabaseNotFound, dbid: JET_DBID(0) }
      s.openDbs.set(a.dbid, (s.openDbs.get(a.dbid) ?? 0) + 1)
      if (s.level > 0 && !s.txs.has(a.db)) {
        a.db.committed.shared = true
        s.txs.set(a.db, {
          db: a.db,
          snap: a.db.committed,
          priv: undefined,
          frozen: false,
          ops: [],
          saves: []
        })
      }
      return { err: 0, dbid: JET_DBID(a.dbid) }
    },

    JetCloseDatabase(sesid, dbid, _grbit) {
      const s = getSession(st, sesid)
      if (typeof s === "number") return err(s)
      const n = s.openDbs.get(dbid)
      if (n === undefined) return err(E.JET_errInvalidDatabaseId)
      if (n > 1) s.openDbs.set(dbid, n - 1)
      else {
        s.openDbs.delete(dbid)
        for (const c of [...s.cursors]) if (c.temp === undefined && c.dbid === dbid) closeCursor(st, c)
      }
      return err(0)
    },

    JetGetDatabaseInfo(sesid, dbid, pvResult, cbMax, infoLevel) {
      if (cbMax > pvResult.byteLength) return err(E.JET_errInvalidParameter)
      const s = getSession(st, sesid)
      if (typeof s === "number") return err(s)
      const a = getDb(s, dbid)
      if (typeof a === "number") return err(a)
      if (infoLevel === 0) return err(writeString(pvResult, cbMax, a.path))
      if (cbMax < 4) return err(E.JET_errBufferTooSmall)
      const view = new DataView(pvResult.buffer, pvResult.byteOffset, pvResult.byteLength)
      const values: Record<number, number> = {
        2: 1,
        3: 1033,
        4: 1252,
        5: 0,
        6: a.readOnly ? bitDbReadOnly : 0,
        7: maxLevel,
        8: 0x620,
        10: 256,
        11: 256,
        12: 0,
        15: 1,
        17: numParam(st, s.inst, 64),
        19: 2,
        21: 256
      }
      const v = values[infoLevel]
      if (v === undefined) return err(E.JET_errInvalidParameter)
      view.setUint32(0, v, true)
      return err(0)
    },
    // Maintenance

    JetBackupInstance(instance, _backupPath, _grbit) {
      const inst = liveInstance(st, instance)
      if (typeof inst === "number") return err(inst)
      if (inst.state !== "running") return err(E.JET_errNotInitialized)
      return err(0)
    },

    JetRestoreInstance(instance, _source, _destination) {
      const inst = liveInstance(st, instance)
      if (typeof inst === "number") return err(inst)
      return err(0)
    },

    JetCompact(sesid, source, destination, _grbit) {
      const s = getSession(st, sesid)
      if (typeof s === "number") return err(s)
      const db = st.store.databases.get(pathKey(source))
      if (db === undefined) return err(E.JET_errFileNotFound)
      if (st.store.databases.has(pathKey(destination))) return err(E.JET_errDatabaseDuplicate)
      st.store.databases.set(pathKey(destination), {
        path: destination,
        committed: cloneDb(db.committed),
        attachedTo: undefined
      })
      return err(0)
    },

    JetDefragment2(sesid, dbid, _tableName, passes, seconds, _grbit) {
      const s = getSession(st, sesid)
      if (typeof s === "number") return { err: s, passes, seconds }
      const a = getDb(s, dbid)
      if (typeof a === "number") return { err: a, passes, seconds }
      return { err: 0, passes, seconds }
    },

    JetFreeBuffer(_buffer) {
      return err(0)
    }
  })
