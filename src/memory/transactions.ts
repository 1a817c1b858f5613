/**
 * Transactions and the version store. A transaction reads a snapshot (the committed version at its
 * level-0 begin) and writes into a private copy-on-write clone from its first write, which copies
 * each table only before its first change (model.ts, `ownTable`); a nested level
 * saves the private version so that its rollback can restore it. Every change is also logged as an
 * operation: at the level-0 commit the private version becomes the committed one when nobody
 * committed meanwhile, otherwise the operations are replayed onto the committed version. Write
 * conflicts come from per-record locks held by open transactions and from the commit time stamped
 * on each record.
 *
 * @module
 */
import { jetErrorCodes as E } from "../jet/errors.generated.ts"
import { getRecord, putRecord } from "./entries.ts"
import type { Database, DbVersion, TableVersion } from "./model.ts"
import { cloneDb, nameKey, ownTable } from "./model.ts"
import { Rec } from "./record.ts"
import type { Cursor, EngineState, Lock, Op, Session } from "./state.ts"
import { closeCursor, maxVersions } from "./state.ts"

// The engine's logical clock: commit times and transaction begin times.
let clock = 0

/** The current time of the logical clock. */
export const now = (): number => clock

/** Advances the logical clock and returns the new time. */
export const tick = (): number => ++clock

export const releaseLock = (l: Lock, sesid: bigint): void => {
  if (l.readers !== undefined) {
    const set = l.readers.get(l.key)
    set?.delete(sesid)
    if (set?.size === 0) l.readers.delete(l.key)
  } else if (l.map.get(l.key) === sesid) l.map.delete(l.key)
}

export const readView = (s: Session, db: Database): DbVersion => {
  if (s.level === 0) return db.committed
  const tx = s.txs.get(db)
  if (tx === undefined) return db.committed
  return tx.priv ?? tx.snap
}

export const writeView = (s: Session, db: Database): DbVersion => {
  const tx = s.level === 0 ? undefined : s.txs.get(db)
  if (tx === undefined) {
    if (db.committed.shared) db.committed = cloneDb(db.committed)
    return db.committed
  }
  if (tx.priv === undefined) {
    tx.priv = cloneDb(tx.snap)
    tx.frozen = false
  } else if (tx.frozen) {
    tx.priv = cloneDb(tx.priv)
    tx.frozen = false
  }
  return tx.priv
}

/** Applies a logged change to a version. */
const replay = (v: DbVersion, op: Op): void => {
  if (typeof op === "function") return op(v)
  const t = ownTable(v, op.tid)
  if (t === undefined) return
  if (op.deleted !== undefined) putRecord(t, op.deleted, undefined)
  putRecord(t, op.bm, op.rec)
}

export const logOp = (s: Session, db: Database, op: Op): void => {
  if (s.level === 0) return
  s.txs.get(db)?.ops.push(op)
}

export const readTable = (c: Cursor): TableVersion | undefined => {
  if (c.temp !== undefined) return c.temp.tv
  return readView(c.s, c.db as Database).tables.get(c.tid)
}

export const writeTable = (c: Cursor): TableVersion | undefined => {
  if (c.temp !== undefined) return c.temp.tv
  return ownTable(writeView(c.s, c.db as Database), c.tid)
}

export const findTable = (v: DbVersion, name: string): TableVersion | undefined => {
  const id = v.names.get(nameKey(name))
  return id === undefined ? undefined : v.tables.get(id)
}

// --- transactions ------------------------------------------------------------------------

export const beginLevel0 = (s: Session): void => {
  s.beginTs = now()
  s.txs.clear()
  for (const a of s.inst.attached.values()) {
    a.db.committed.shared = true
    s.txs.set(a.db, { db: a.db, snap: a.db.committed, priv: undefined, frozen: false, ops: [], saves: [] })
  }
}

export const endLevel0 = (s: Session): void => {
  for (const l of s.locks) releaseLock(l, s.id)
  s.locks = []
  s.written = []
  s.deletes = []
  s.versions = 0
  s.txs.clear()
  s.readOnly = false
}

export const commitLevel0 = (s: Session): void => {
  const ts = tick()
  for (const tx of s.txs.values()) {
    if (tx.ops.length === 0) continue
    if (tx.db.committed === tx.snap && tx.priv !== undefined) {
      tx.db.committed = tx.priv
    } else {
      if (tx.db.committed.shared) tx.db.committed = cloneDb(tx.db.committed)
      for (const op of tx.ops) replay(tx.db.committed, op)
    }
  }
  for (const r of s.written) r.commitTs = ts
  for (const d of s.deletes) d.map.set(d.key, ts)
  endLevel0(s)
}

/** Undoes the innermost level; `level` is the level being rolled back (1-based). */
export const rollbackLevel = (st: EngineState, s: Session): void => {
  const level = s.level
  if (level === 1) {
    endLevel0(s)
  } else {
    for (const tx of s.txs.values()) {
      const save = tx.saves.pop()
      if (save === undefined) continue
      tx.priv = save.priv
      tx.frozen = true
      tx.ops.length = save.opsLen
    }
    const keep: Array<Lock> = []
    for (const l of s.locks) {
      if (l.level >= level) releaseLock(l, s.id)
      else keep.push(l)
    }
    s.locks = keep
    s.deletes = s.deletes.filter((d) => d.level < level)
  }
  for (const c of [...s.cursors]) {
    if (c.openedLevel >= level) {
      closeCursor(st, c)
      continue
    }
    if (c.prep !== undefined && c.prep.level >= level) c.prep = undefined
    if (c.indexLevel >= level && c.indexName !== undefined) {
      c.indexName = undefined
      c.indexLevel = 0
      c.state = 0
      c.range = undefined
      c.search = undefined
    }
  }
  s.level = level - 1
}

export const commitLevel = (s: Session): void => {
  const level = s.level
  if (level === 1) commitLevel0(s)
  else {
    for (const tx of s.txs.values()) tx.saves.pop()
    // What this level did now belongs to the level below: its rollback must undo it.
    for (const l of s.locks) if (l.level >= level) l.level = level - 1
    for (const d of s.deletes) if (d.level >= level) d.level = level - 1
    for (const c of s.cursors) {
      if (c.openedLevel >= level) c.openedLevel = level - 1
      if (c.indexLevel >= level) c.indexLevel = level - 1
    }
  }
  s.level = level - 1
}
// --- conflicts and locks -----------------------------------------------------------------

/**
 * Whether another session's open transaction has written the record: its private version holds an
 * uncommitted version of the record by that session. Writing a record locks it this way, without a
 * lock entry of its own; the lock goes when the version does (commit, or rollback of its level).
 */
const writtenByOther = (s: Session, db: Database, tid: number, bm: string): boolean => {
  for (const x of s.inst.sessions) {
    if (x === s || x.level === 0) continue
    const priv = x.txs.get(db)?.priv
    const t = priv === undefined ? undefined : priv.tables.get(tid)
    if (t === undefined) continue
    const r = getRecord(t, bm)
    if (r !== undefined && r.commitTs === Infinity && r.writer === x.id) return true
  }
  return false
}

/**
 * Checks that the session may write the record and, inside a transaction, locks it. `writing`: the
 * caller is about to write the record's new version into the session's private version, which is
 * lock enough (see {@link writtenByOther}); otherwise (a delete, `JetPrepareUpdate` of a replace,
 * `JetGetLock`) the lock is an entry in the table's lock map.
 */
export const lockRecord = (c: Cursor, bm: string, writing = false): number => {
  if (c.temp !== undefined) return 0
  const s = c.s
  const db = c.db as Database
  const committed = db.committed.tables.get(c.tid)
  if (committed === undefined) return 0
  const locks = committed.shared.locks
  const readers = committed.shared.readLocks
  const key = bm
  const holder = locks.size === 0 ? undefined : locks.get(key)
  if (holder !== undefined && holder !== s.id) return E.JET_errWriteConflict
  // A read lock of another session keeps writers out until its transaction ends.
  if (readers.size !== 0) {
    for (const reader of readers.get(key) ?? []) if (reader !== s.id) return E.JET_errWriteConflict
  }
  if (writtenByOther(s, db, c.tid, bm)) return E.JET_errWriteConflict
  if (s.level > 0) {
    // While the committed version is still the snapshot, nobody has committed since this
    // transaction began: no record or deletion can be newer than it.
    if (db.committed !== s.txs.get(db)?.snap) {
      const cur = getRecord(committed, bm)
      if (cur !== undefined) {
        if (cur.commitTs !== Infinity && cur.commitTs > s.beginTs && cur.writer !== s.id) {
          return E.JET_errWriteConflict
        }
      } else {
        const del = committed.shared.deleted.get(key)
        if (del !== undefined && del > s.beginTs) return E.JET_errWriteConflict
      }
    }
    if (holder === undefined && !writing) {
      locks.set(key, s.id)
      s.locks.push({ map: locks, key, level: s.level })
    }
  }
  return 0
}

/**
 * `JetGetLock(JET_bitReadLock)`: fails with `WriteConflict` where a write lock would (another
 * session's uncommitted or newer version), else records a read lock that keeps other sessions'
 * writes out until this transaction ends. Read locks of several sessions coexist.
 */
export const readLock = (c: Cursor, bm: string): number => {
  if (c.temp !== undefined) return 0
  const s = c.s
  const committed = (c.db as Database).committed.tables.get(c.tid)
  if (committed === undefined) return 0
  const holder = committed.shared.locks.get(bm)
  if (holder !== undefined && holder !== s.id) return E.JET_errWriteConflict
  if (writtenByOther(s, c.db as Database, c.tid, bm)) return E.JET_errWriteConflict
  const cur = getRecord(committed, bm)
  if (cur !== undefined && cur.commitTs !== Infinity && cur.commitTs > s.beginTs && cur.writer !== s.id) {
    return E.JET_errWriteConflict
  }
  const readers = committed.shared.readLocks
  let set = readers.get(bm)
  if (set === undefined) {
    set = new Set()
    readers.set(bm, set)
  }
  if (!set.has(s.id)) {
    set.add(s.id)
    s.locks.push({ map: committed.shared.locks, key: bm, level: s.level, readers })
  }
  return 0
}

export const checkVersions = (st: EngineState, s: Session): number => {
  if (s.versions + 1 > maxVersions(st, s.inst)) return E.JET_errVersionStoreOutOfMemory
  return 0
}

export const stampWrite = (s: Session, rec: Rec): void => {
  if (s.level === 0) rec.commitTs = tick()
  else {
    s.written.push(rec)
    s.versions++
  }
}
export const endSession = (st: EngineState, s: Session): void => {
  while (s.level > 0) rollbackLevel(st, s)
  for (const c of [...s.cursors]) closeCursor(st, c)
  s.inst.sessions.delete(s)
  st.sessions.delete(s.id)
  if (st.lastSession === s) st.lastSession = undefined
}
