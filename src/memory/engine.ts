/**
 * The in-memory JET engine: `JetApi` implemented in TypeScript, rule for rule as
 * docs/ESENT-SEMANTICS.md describes ESENT.
 *
 * Design: each database's committed state is a {@link DbVersion} of copy-on-write sorted indexes.
 * A transaction keeps a snapshot (the committed version at its level-0 begin) and, from its first
 * write, a private clone where its changes go; nested levels save the private version so that a
 * rollback restores it. Each change is also logged as an operation: at the level-0 commit the
 * private version simply becomes the committed one when nobody committed meanwhile, otherwise the
 * operations are replayed onto the committed version. Write conflicts come from per-record locks
 * held by open transactions and from the commit time stamped on each record.
 *
 * @module
 */
import type {
  JetApi,
  JetColumnCreate,
  JetColumnDef,
  JetEnumColumn,
  JetEnumColumnValue,
  JetIndexCreate,
  JetResult,
  JetRetrieveColumnResult,
  JetTableCreate
} from "../jet/api.ts"
import { jetErrorCodes as E } from "../jet/errors.generated.ts"
import { JET_COLUMNID, JET_DBID, JET_INSTANCE, JET_SESID, JET_TABLEID } from "../jet/handles.ts"
import { structLayout } from "../jet/structs.ts"
import type { SegmentSpec } from "./keys.ts"
import { appendKeySegment, columnFromKey, makeIndexKey, padFixedText, parseIndexKey } from "./keys.ts"
import type { ColumnDef, Database, DbVersion, IndexDef, MemoryStore, Schema, TableVersion } from "./model.ts"
import { cloneDb, copySchema, emptyDb, nameKey, newTable, pathKey } from "./model.ts"
import { noColumn, Rec } from "./record.ts"
import type { TreePos } from "./tree.ts"
import { compareBytes, fromKey, SortedIndex, toKey } from "./tree.ts"
import {
  beUint32,
  copyBytes,
  copyOut,
  fixedSize,
  isLongType,
  isTextType,
  leBytes,
  readLe,
  utf16z,
  validColtyp,
  writeStruct
} from "./util.ts"

// ---------------------------------------------------------------------------------------------
// Constants (values from esent.h; kept local so the hot paths read plain numbers)

const bitColumnFixed = 1
const bitColumnTagged = 2
const bitColumnNotNULL = 4
const bitColumnVersion = 8
const bitColumnAutoincrement = 0x10
const bitColumnTTKey = 0x40
const bitColumnTTDescending = 0x80
const bitColumnMultiValued = 0x400
const bitColumnEscrowUpdate = 0x800

const bitIndexUnique = 1
const bitIndexPrimary = 2
const bitIndexDisallowNull = 4
const bitIndexIgnoreNull = 8
const bitIndexIgnoreAnyNull = 0x20
const bitIndexIgnoreFirstNull = 0x40
const bitIndexSortNullsHigh = 0x400
const bitIndexUnicode = 0x800
const bitIndexKeyMost = 0x8000
const bitIndexDisallowTruncation = 0x10000
const bitIndexDotNetGuid = 0x40000

const bitTTUnique = 2
const bitTTSortNullsHigh = 0x10
const bitTTErrorOnDuplicateInsertion = 0x20

const bitTableDenyWrite = 1
const bitTableDenyRead = 2
const bitTableReadOnly = 4

const bitTermDirty = 8
const bitDbOverwriteExisting = 0x200
const bitDbReadOnly = 1

const bitTransactionReadOnly = 1
const bitCommitLazyFlush = 1
const bitWaitLastLevel0Commit = 2
const bitWaitAllLevel0Commit = 8
const bitForceNewLog = 0x10
const bitRollbackAll = 1

const moveFirst = -0x80000000
const moveLast = 0x7fffffff
const bitMoveKeyNE = 1

const bitNewKey = 1
const bitStrLimit = 2
const bitSubStrLimit = 4
const bitNormalizedKey = 8
const bitFullColumnStartLimit = 0x100
const bitFullColumnEndLimit = 0x200
const bitPartialColumnStartLimit = 0x400
const bitPartialColumnEndLimit = 0x800
const limitBits = bitStrLimit | bitSubStrLimit | bitFullColumnStartLimit | bitFullColumnEndLimit
  | bitPartialColumnStartLimit | bitPartialColumnEndLimit

const bitSeekEQ = 1
const bitSeekLT = 2
const bitSeekLE = 4
const bitSeekGE = 8
const bitSeekGT = 0x10
const bitSetIndexRange = 0x20
const bitCheckUniqueness = 0x40

const bitRangeInclusive = 1
const bitRangeUpperLimit = 2
const bitRangeInstantDuration = 4
const bitRangeRemove = 8

const bitNoMove = 2

const prepInsert = 0
const prepReplace = 2
const prepCancel = 3
const prepReplaceNoLock = 4
const prepInsertCopy = 5
const prepInsertCopyDeleteOriginal = 7
const prepInsertCopyReplaceOriginal = 9
const prepInsertMustSetAutoIncrement = 10

const validPreps: ReadonlySet<number> = new Set([
  prepInsert,
  prepReplace,
  prepReplaceNoLock,
  prepInsertCopy,
  prepInsertCopyDeleteOriginal,
  prepInsertCopyReplaceOriginal,
  prepInsertMustSetAutoIncrement
])

const bitSetAppendLV = 1
const bitSetOverwriteLV = 4
const bitSetSizeLV = 8
const bitSetZeroLength = 0x20
const bitSetUniqueMultiValues = 0x80
const bitSetUniqueNormalizedMultiValues = 0x100
const bitSetRevertToDefaultValue = 0x200

const bitRetrieveCopy = 1
const bitRetrieveFromIndex = 2
const bitRetrieveFromPrimaryBookmark = 4
const bitRetrieveIgnoreDefault = 0x20

const bitEnumerateCopy = 1
const bitEnumerateIgnoreDefault = 0x20
const bitEnumeratePresenceOnly = 0x20000
const bitEnumerateTaggedOnly = 0x40000

const coltypBit = 1
const coltypLong = 4
const coltypCurrency = 5
const coltypBinary = 9
const coltypText = 10
const coltypLongText = 12
const coltypLongLong = 15

const paramMaxSessions = 5
const paramMaxOpenTables = 6
const paramMaxCursors = 8
const paramMaxVerPages = 9
const paramMaxTemporaryTables = 10

/** Parameters that cannot change once the instance is initialized. */
const fixedAfterInit = new Set([0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 17, 19, 64, 81, 102, 104, 128, 134])

const defaultParams: ReadonlyMap<number, bigint> = new Map([
  [paramMaxSessions, 16n],
  [paramMaxOpenTables, 300n],
  [paramMaxCursors, 1024n],
  [paramMaxVerPages, 64n],
  [paramMaxTemporaryTables, 20n],
  [64, 8192n],
  [134, 255n]
])

const maxDatabasesPerInstance = 6
const maxLevel = 7

// ---------------------------------------------------------------------------------------------
// State

interface Attachment {
  readonly dbid: number
  readonly db: Database
  readonly path: string
  readonly readOnly: boolean
}

/**
 * What stops an initialized instance's sessions from working, besides JetStopServiceInstance
 * ("stopped"): another thread inside JetTerm ("terminating"), a restore running on it
 * ("restoring"), or a fatal error that revoked access to its data ("unavailable").
 */
export type InstanceCondition = "terminating" | "restoring" | "unavailable"

interface Instance {
  readonly id: bigint
  readonly name: string
  state: "created" | "running" | "stopped"
  condition: InstanceCondition | undefined
  readonly params: Map<number, bigint | string>
  readonly sessions: Set<Session>
  readonly attached: Map<string, Attachment>
  cursorCount: number
}

type Op = (v: DbVersion) => void

interface Tx {
  readonly db: Database
  readonly snap: DbVersion
  priv: DbVersion | undefined
  frozen: boolean
  ops: Array<Op>
  readonly saves: Array<{ readonly priv: DbVersion | undefined; readonly opsLen: number }>
}

interface Lock {
  readonly map: Map<string, bigint>
  readonly key: string
  level: number
  /** Set for a read lock: the table's read locks, from which the session is removed on release. */
  readonly readers?: Map<string, Set<bigint>>
}

const releaseLock = (l: Lock, sesid: bigint): void => {
  if (l.readers !== undefined) {
    const set = l.readers.get(l.key)
    set?.delete(sesid)
    if (set?.size === 0) l.readers.delete(l.key)
  } else if (l.map.get(l.key) === sesid) l.map.delete(l.key)
}

interface Session {
  readonly id: bigint
  readonly inst: Instance
  level: number
  readOnly: boolean
  trxOwner: string
  context: bigint | null
  contextThread: number
  inFlight: boolean
  readonly openDbs: Map<number, number>
  readonly cursors: Set<Cursor>
  beginTs: number
  readonly txs: Map<Database, Tx>
  locks: Array<Lock>
  written: Array<Rec>
  deletes: Array<{ readonly map: Map<string, number>; readonly key: string; level: number }>
  versions: number
}

interface TempTable {
  readonly tv: TableVersion
  readonly unique: boolean
  readonly errorOnDuplicate: boolean
  readonly keyed: boolean
  seq: number
}

/**
 * 0: before the first entry; 1: on an entry; 2: after the last; 3: just before an entry; 4: a
 * deferred move to the first entry (ESE's `RECDeferMoveFirst`): a cursor that JetOpenTable,
 * JetCreateTable or JetDupCursor returned, or whose index JetSetCurrentIndex changed, stands on
 * the first entry as it is when the cursor is next used.
 */
type CursorState = 0 | 1 | 2 | 3 | 4

interface SearchKey {
  readonly key: Uint8Array
  readonly count: number
  readonly limit: boolean
}

interface Range {
  readonly key: string
  readonly inclusive: boolean
  readonly upper: boolean
}

interface Prep {
  readonly mode: number
  readonly values: Map<number, Array<Uint8Array>>
  readonly bm: string | undefined
  readonly orig: Rec | undefined
  readonly level: number
}

interface Cursor {
  readonly id: bigint
  readonly s: Session
  readonly dbid: number
  readonly db: Database | undefined
  readonly tid: number
  readonly temp: TempTable | undefined
  indexName: string | undefined
  state: CursorState
  key: string
  bm: string
  hintTree: SortedIndex<unknown> | undefined
  hintMods: number
  hintPos: TreePos | undefined
  search: SearchKey | undefined
  range: Range | undefined
  prep: Prep | undefined
  openedLevel: number
  indexLevel: number
  readonly readOnly: boolean
  readonly grbit: number
}

const empty = new Uint8Array(0)
let clock = 0

// Most calls succeed with nothing else to report: they share one result object.
const success: JetResult = Object.freeze({ err: 0 })

const err = (code: number): JetResult => code === 0 ? success : { err: code }

const fail = (e: number): JetRetrieveColumnResult => ({
  err: e,
  cbActual: 0,
  columnidNextTagged: JET_COLUMNID(0)
})

// ---------------------------------------------------------------------------------------------
// Keys of records

const effectiveValues = (
  col: ColumnDef,
  values: Map<number, Array<Uint8Array>>
): Array<Uint8Array> | undefined => {
  const v = values.get(col.id)
  if (v !== undefined && v.length > 0) return v
  return col.defaultValue === null ? undefined : [col.defaultValue]
}

const specsCache = new WeakMap<IndexDef, ReadonlyArray<SegmentSpec>>()

const indexSpecs = (schema: Schema, idx: IndexDef): ReadonlyArray<SegmentSpec> => {
  let specs = specsCache.get(idx)
  if (specs === undefined) {
    specs = idx.segments.map((seg) => {
      const col = schema.columns.get(seg.columnId)
      return {
        coltyp: col?.coltyp ?? coltypBinary,
        cp: col?.cp ?? 0,
        descending: seg.descending,
        nullsHigh: (idx.grbit & bitIndexSortNullsHigh) !== 0,
        fixed: col !== undefined && (col.grbit & bitColumnFixed) !== 0,
        dotNetGuid: (idx.grbit & bitIndexDotNetGuid) !== 0,
        ...(col !== undefined && col.cbMax !== 0 ? { cbMax: col.cbMax } : {})
      }
    })
    specsCache.set(idx, specs)
  }
  return specs
}

/** The keys a record has in an index (none when the index ignores its NULLs), or an error code. */
const recordKeys = (
  schema: Schema,
  idx: IndexDef,
  values: Map<number, Array<Uint8Array>>
): Array<string> | number => {
  const specs = indexSpecs(schema, idx)
  const n = idx.segments.length
  const segVals: Array<Array<Uint8Array> | undefined> = new Array(n)
  let anyNull = false
  let allNull = true
  let mv = -1
  for (let i = 0; i < n; i++) {
    const seg = idx.segments[i] as IndexDef["segments"][number]
    const col = schema.columns.get(seg.columnId)
    const v = col === undefined ? undefined : effectiveValues(col, values)
    segVals[i] = v
    if (v === undefined) anyNull = true
    else allNull = false
    if (v !== undefined && v.length > 1 && mv < 0) mv = i
  }
  const g = idx.grbit
  // A conditional index leaves out the records whose condition columns are not as asked.
  for (const c of idx.conditions ?? []) {
    const col = schema.columns.get(c.columnId)
    const isNull = col === undefined || effectiveValues(col, values) === undefined
    if (isNull !== c.mustBeNull) return []
  }
  if (anyNull && (g & bitIndexDisallowNull) !== 0) return E.JET_errNullKeyDisallowed
  if (anyNull && (g & bitIndexIgnoreAnyNull) !== 0) return []
  if (segVals[0] === undefined && (g & bitIndexIgnoreFirstNull) !== 0) return []
  if (allNull && (g & bitIndexIgnoreNull) !== 0) return []
  const chosen: Array<Uint8Array | null> = new Array(n)
  const build = (choice: number): string | number => {
    for (let i = 0; i < n; i++) {
      const v = segVals[i]
      chosen[i] = v === undefined ? null : (v[i === mv ? choice : 0] as Uint8Array)
    }
    const k = makeIndexKey(specs, chosen, idx.cbKeyMost)
    if (k.truncated && (g & bitIndexDisallowTruncation) !== 0) return E.JET_errKeyTruncated
    return toKey(k.key)
  }
  if (mv < 0) {
    const k = build(0)
    return typeof k === "number" ? k : [k]
  }
  const keys: Array<string> = []
  const count = (segVals[mv] as Array<Uint8Array>).length
  for (let j = 0; j < count; j++) {
    const k = build(j)
    if (typeof k === "number") return k
    if (!keys.includes(k)) keys.push(k)
  }
  return keys
}

const primaryKeyOf = (t: TableVersion, bm: string): string => t.shared.dbk < 0 ? bm.slice(0, -4) : bm

const getRecord = (t: TableVersion, bm: string): Rec | undefined => t.primary.get(primaryKeyOf(t, bm), bm)

/**
 * Writes a record (or removes it, `rec` undefined) with all its index entries. `newKeys` may hand
 * in the secondary keys already computed for `rec`.
 */
const putRecord = (
  t: TableVersion,
  bm: string,
  rec: Rec | undefined,
  newKeys?: Map<string, Array<string>>,
  fresh = false
): void => {
  const pk = primaryKeyOf(t, bm)
  const old = fresh ? undefined : t.primary.get(pk, bm)
  const schema = t.schema
  // Unpacked once for all the indexes rather than once per index.
  const oldValues = old === undefined || t.secondaries.size === 0 ? undefined : old.values
  let newValues: Map<number, Array<Uint8Array>> | undefined
  for (const [name, tree] of t.secondaries) {
    const idx = schema.indexes.get(name)
    if (idx === undefined) continue
    if (oldValues !== undefined) {
      const ks = recordKeys(schema, idx, oldValues)
      if (typeof ks !== "number") { for (const k of ks) tree.remove(k, bm) }
    }
    if (rec !== undefined) {
      const ks = newKeys?.get(name) ?? recordKeys(schema, idx, newValues ??= rec.values)
      if (typeof ks !== "number") { for (const k of ks) tree.insert(k, bm, null) }
    }
  }
  if (rec === undefined) t.primary.remove(pk, bm)
  else if (old !== undefined) t.primary.set(pk, bm, rec)
  else t.primary.insert(pk, bm, rec)
}

// ---------------------------------------------------------------------------------------------
// Public option and inspection types

/** Options of {@link makeEngine}. */
export interface EngineOptions {
  readonly store: MemoryStore
  readonly maxVersionPages: number | undefined
}

/** What is open now, for tests that check that nothing leaks. */
export interface EngineResources {
  readonly instances: ReadonlyArray<{
    readonly instance: bigint
    readonly initialized: boolean
    readonly sessions: ReadonlyArray<{
      readonly sesid: bigint
      readonly transactionLevel: number
      readonly databases: ReadonlyArray<number>
      readonly cursors: ReadonlyArray<bigint>
    }>
  }>
}

/** The engine's internals the public wrapper needs besides `JetApi`. */
export interface EngineCore {
  readonly api: JetApi
  readonly inspect: () => EngineResources
  /** The session of a handle, for the per-call thread checks. */
  readonly sessionOf: (
    sesid: bigint
  ) => { inFlight: boolean; level: number; trxOwner: string; context: bigint | null } | undefined
  /** The identity calls run under now: the simulated thread. */
  thread: number
  /** Puts an instance in a condition (or back to none); false when there is no such instance. */
  readonly setCondition: (instance: bigint, condition: InstanceCondition | undefined) => boolean
}

// ---------------------------------------------------------------------------------------------
// The engine

/** Builds the raw engine (no fault injection or call counting; see index.ts). */
export const makeEngine = (options: EngineOptions): EngineCore => {
  const store = options.store
  const instances = new Map<bigint, Instance>()
  const sessions = new Map<bigint, Session>()
  const cursors = new Map<bigint, Cursor>()
  const processParams = new Map<number, bigint | string>()
  let nextHandle = 0x10000n
  const handle = (): bigint => (nextHandle += 0x10n)
  const core: EngineCore = {
    api: undefined as unknown as JetApi,
    inspect: () => ({
      instances: [...instances.values()].map((i) => ({
        instance: i.id,
        initialized: i.state !== "created",
        sessions: [...i.sessions].map((s) => ({
          sesid: s.id,
          transactionLevel: s.level,
          databases: [...s.openDbs.keys()],
          cursors: [...s.cursors].map((c) => c.id)
        }))
      }))
    }),
    sessionOf: (sesid) => sessions.get(sesid),
    thread: 1,
    setCondition: (instance, condition) => {
      const inst = instances.get(instance)
      if (inst === undefined) return false
      inst.condition = condition
      return true
    }
  }
  const ownerNow = (s: Session): string => s.context !== null ? `c${s.context}` : `t${core.thread}`

  const param = (inst: Instance, id: number): bigint | string | undefined =>
    inst.params.get(id) ?? processParams.get(id) ?? defaultParams.get(id)
  const numParam = (inst: Instance, id: number): number => {
    const v = param(inst, id)
    return typeof v === "bigint" ? Number(v) : 0
  }
  const maxVersions = (inst: Instance): number => {
    if (inst.params.has(paramMaxVerPages) || processParams.has(paramMaxVerPages)) {
      return numParam(inst, paramMaxVerPages)
    }
    return options.maxVersionPages ?? Infinity
  }

  // --- views -------------------------------------------------------------------------------

  const readView = (s: Session, db: Database): DbVersion => {
    if (s.level === 0) return db.committed
    const tx = s.txs.get(db)
    if (tx === undefined) return db.committed
    return tx.priv ?? tx.snap
  }

  const writeView = (s: Session, db: Database): DbVersion => {
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

  const logOp = (s: Session, db: Database, op: Op): void => {
    if (s.level === 0) return
    s.txs.get(db)?.ops.push(op)
  }

  const readTable = (c: Cursor): TableVersion | undefined => {
    if (c.temp !== undefined) return c.temp.tv
    return readView(c.s, c.db as Database).tables.get(c.tid)
  }

  const writeTable = (c: Cursor): TableVersion | undefined => {
    if (c.temp !== undefined) return c.temp.tv
    return writeView(c.s, c.db as Database).tables.get(c.tid)
  }

  const findTable = (v: DbVersion, name: string): TableVersion | undefined => {
    const id = v.names.get(nameKey(name))
    return id === undefined ? undefined : v.tables.get(id)
  }

  // --- transactions ------------------------------------------------------------------------

  const beginLevel0 = (s: Session): void => {
    s.beginTs = clock
    s.txs.clear()
    for (const a of s.inst.attached.values()) {
      a.db.committed.shared = true
      s.txs.set(a.db, { db: a.db, snap: a.db.committed, priv: undefined, frozen: false, ops: [], saves: [] })
    }
  }

  const endLevel0 = (s: Session): void => {
    for (const l of s.locks) releaseLock(l, s.id)
    s.locks = []
    s.written = []
    s.deletes = []
    s.versions = 0
    s.txs.clear()
    s.readOnly = false
  }

  const commitLevel0 = (s: Session): void => {
    const ts = ++clock
    for (const tx of s.txs.values()) {
      if (tx.ops.length === 0) continue
      if (tx.db.committed === tx.snap && tx.priv !== undefined) {
        tx.db.committed = tx.priv
      } else {
        if (tx.db.committed.shared) tx.db.committed = cloneDb(tx.db.committed)
        for (const op of tx.ops) op(tx.db.committed)
      }
    }
    for (const r of s.written) r.commitTs = ts
    for (const d of s.deletes) d.map.set(d.key, ts)
    endLevel0(s)
  }

  /** Undoes the innermost level; `level` is the level being rolled back (1-based). */
  const rollbackLevel = (s: Session): void => {
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
        closeCursor(c)
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

  const commitLevel = (s: Session): void => {
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

  /** Checks that the session may write the record and, inside a transaction, locks it. */
  const lockRecord = (c: Cursor, bm: string): number => {
    if (c.temp !== undefined) return 0
    const s = c.s
    const db = c.db as Database
    const committed = db.committed.tables.get(c.tid)
    if (committed === undefined) return 0
    const locks = committed.shared.locks
    const readers = committed.shared.readLocks
    if (locks.size === 0 && readers.size === 0 && s.level === 0) return 0
    const key = bm
    const holder = locks.get(key)
    if (holder !== undefined && holder !== s.id) return E.JET_errWriteConflict
    // A read lock of another session keeps writers out until its transaction ends.
    for (const reader of readers.get(key) ?? []) if (reader !== s.id) return E.JET_errWriteConflict
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
      if (holder === undefined) {
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
  const readLock = (c: Cursor, bm: string): number => {
    if (c.temp !== undefined) return 0
    const s = c.s
    const committed = (c.db as Database).committed.tables.get(c.tid)
    if (committed === undefined) return 0
    const holder = committed.shared.locks.get(bm)
    if (holder !== undefined && holder !== s.id) return E.JET_errWriteConflict
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

  const checkVersions = (s: Session): number => {
    if (s.versions + 1 > maxVersions(s.inst)) return E.JET_errVersionStoreOutOfMemory
    return 0
  }

  const stampWrite = (s: Session, rec: Rec): void => {
    if (s.level === 0) rec.commitTs = ++clock
    else {
      s.written.push(rec)
      s.versions++
    }
  }

  // --- handles -----------------------------------------------------------------------------

  /**
   * The code a call on an instance's sessions fails with because of the instance's state, or 0.
   * ESENT checks these on entry to every session call (D/jetendsession-function lists them).
   */
  const instanceGate = (inst: Instance): number => {
    switch (inst.condition) {
      case "terminating":
        return E.JET_errTermInProgress
      case "restoring":
        return E.JET_errRestoreInProgress
      case "unavailable":
        return E.JET_errInstanceUnavailable
    }
    return inst.state === "stopped" ? E.JET_errClientRequestToStopJetService : 0
  }

  const getSession = (sesid: bigint): Session | number => {
    const s = sessions.get(sesid)
    if (s === undefined) {
      // With no instance initialized ESENT answers before it looks at the handle at all.
      for (const i of instances.values()) if (i.state !== "created") return E.JET_errInvalidSesid
      return E.JET_errNotInitialized
    }
    const gate = instanceGate(s.inst)
    return gate === 0 ? s : gate
  }

  const getCursor = (sesid: bigint, tableid: bigint): Cursor | number => {
    const s = getSession(sesid)
    if (typeof s === "number") return s
    const c = cursors.get(tableid)
    if (c === undefined || c.s !== s) return E.JET_errInvalidTableId
    return c
  }

  const getDb = (s: Session, dbid: number): Attachment | number => {
    if (!s.openDbs.has(dbid)) return E.JET_errInvalidDatabaseId
    for (const a of s.inst.attached.values()) if (a.dbid === dbid) return a
    return E.JET_errInvalidDatabaseId
  }
  /** The session, its attachment and the named table as the session sees it, or the error code. */
  const namedTable = (
    sesid: bigint,
    dbid: number,
    tableName: string
  ): { readonly s: Session; readonly a: Attachment; readonly t: TableVersion } | number => {
    const s = getSession(sesid)
    if (typeof s === "number") return s
    const a = getDb(s, dbid)
    if (typeof a === "number") return a
    const t = findTable(readView(s, a.db), tableName)
    return t === undefined ? E.JET_errObjectNotFound : { s, a, t }
  }

  /** The cursor and its table as the cursor's session sees it, or the error code. */
  const cursorTable = (
    sesid: bigint,
    tableid: bigint
  ): { readonly c: Cursor; readonly t: TableVersion } | number => {
    const c = getCursor(sesid, tableid)
    if (typeof c === "number") return c
    const t = readTable(c)
    return t === undefined ? E.JET_errObjectNotFound : { c, t }
  }

  const closeCursor = (c: Cursor): void => {
    cursors.delete(c.id)
    c.s.cursors.delete(c)
    c.s.inst.cursorCount--
  }

  const newCursor = (
    s: Session,
    a: { dbid: number; db: Database | undefined; tid: number; temp: TempTable | undefined },
    grbit: number
  ): Cursor => {
    const c: Cursor = {
      id: handle(),
      s,
      dbid: a.dbid,
      db: a.db,
      tid: a.tid,
      temp: a.temp,
      indexName: undefined,
      state: a.temp === undefined ? 4 : 0,
      key: "",
      bm: "",
      hintTree: undefined,
      hintMods: 0,
      hintPos: undefined,
      search: undefined,
      range: undefined,
      prep: undefined,
      openedLevel: s.level,
      indexLevel: 0,
      readOnly: (grbit & bitTableReadOnly) !== 0,
      grbit
    }
    cursors.set(c.id, c)
    s.cursors.add(c)
    s.inst.cursorCount++
    return c
  }

  const endSession = (s: Session): void => {
    while (s.level > 0) rollbackLevel(s)
    for (const c of [...s.cursors]) closeCursor(c)
    s.inst.sessions.delete(s)
    sessions.delete(s.id)
  }

  const checkWritable = (c: Cursor): number => {
    if (c.s.level > 0 && c.s.readOnly) return E.JET_errTransReadOnly
    if (c.readOnly) return E.JET_errPermissionDenied
    if (c.temp === undefined) {
      for (const a of c.s.inst.attached.values()) {
        if (a.dbid === c.dbid) return a.readOnly ? E.JET_errPermissionDenied : 0
      }
    }
    return 0
  }

  // --- cursor navigation -------------------------------------------------------------------

  const cursorIndex = (c: Cursor, t: TableVersion): IndexDef | undefined =>
    c.indexName === undefined ? t.schema.primary : t.schema.indexes.get(nameKey(c.indexName))

  const cursorTree = (c: Cursor, t: TableVersion): SortedIndex<unknown> => {
    if (c.indexName === undefined) return t.primary as SortedIndex<unknown>
    return (t.secondaries.get(nameKey(c.indexName)) ?? t.primary) as SortedIndex<unknown>
  }

  const setOn = (c: Cursor, tree: SortedIndex<unknown>, p: TreePos): void => {
    c.state = 1
    c.key = tree.keyAt(p)
    c.bm = tree.bmAt(p)
    c.hintTree = tree
    c.hintMods = tree.mods
    c.hintPos = p
  }

  const setBetween = (
    c: Cursor,
    tree: SortedIndex<unknown>,
    p: TreePos | undefined,
    forward: boolean
  ): void => {
    c.hintTree = undefined
    if (p === undefined) {
      c.state = forward ? 2 : 0
      return
    }
    c.state = 3
    c.key = tree.keyAt(p)
    c.bm = tree.bmAt(p)
    if (!forward) {
      // Just after p: "before the entry following p".
      const n = tree.next(p)
      if (n === undefined) c.state = 2
      else {
        c.key = tree.keyAt(n)
        c.bm = tree.bmAt(n)
      }
    }
  }

  const currentPos = (c: Cursor, tree: SortedIndex<unknown>): TreePos | undefined => {
    if (c.state === 4) {
      // The deferred move-first happens now; on an empty index it stays deferred.
      const first = tree.first()
      if (first !== undefined) setOn(c, tree, first)
      return first
    }
    if (c.state !== 1) return undefined
    if (c.hintTree === tree && c.hintMods === tree.mods && c.hintPos !== undefined) return c.hintPos
    const p = tree.find(c.key, c.bm)
    if (p !== undefined) {
      c.hintTree = tree
      c.hintMods = tree.mods
      c.hintPos = p
    }
    return p
  }

  const inRange = (c: Cursor, key: string): boolean => {
    const r = c.range
    if (r === undefined) return true
    if (r.upper) return r.inclusive ? key < r.key || key.startsWith(r.key) : key < r.key
    return r.inclusive ? key >= r.key : key > r.key && !key.startsWith(r.key)
  }

  const stepFrom = (c: Cursor, tree: SortedIndex<unknown>, forward: boolean): TreePos | undefined => {
    if (c.state === 0 || c.state === 4) return forward ? tree.first() : undefined
    if (c.state === 2) return forward ? undefined : tree.last()
    if (c.state === 3) return forward ? tree.seek(c.key, c.bm, 0) : tree.seekBefore(c.key, c.bm, 0)
    const p = currentPos(c, tree)
    if (p !== undefined) return forward ? tree.next(p) : tree.prev(p)
    return forward ? tree.seek(c.key, c.bm, 0) : tree.seekBefore(c.key, c.bm, 0)
  }

  const move = (c: Cursor, t: TableVersion, cRow: number, grbit: number): number => {
    const tree = cursorTree(c, t)
    if (cRow === moveFirst || cRow === moveLast) {
      c.range = undefined
      const p = cRow === moveFirst ? tree.first() : tree.last()
      if (p === undefined) {
        c.state = cRow === moveFirst ? 2 : 0
        c.hintTree = undefined
        return E.JET_errNoCurrentRecord
      }
      setOn(c, tree, p)
      return 0
    }
    if (cRow === 0) return currentPos(c, tree) === undefined ? E.JET_errNoCurrentRecord : 0
    const forward = cRow > 0
    let n = Math.abs(cRow)
    while (n-- > 0) {
      let p: TreePos | undefined
      if ((grbit & bitMoveKeyNE) !== 0 && c.state === 1) {
        p = forward ? tree.seek(c.key, null, 1) : tree.seekBefore(c.key, null, -1)
      } else p = stepFrom(c, tree, forward)
      if (p === undefined) {
        c.state = forward ? 2 : 0
        c.hintTree = undefined
        return E.JET_errNoCurrentRecord
      }
      if (!inRange(c, tree.keyAt(p))) {
        // ESE's ErrDIRICheckIndexRange: leaving the range removes it and puts the cursor after the
        // last entry (an upper limit) or before the first (a lower limit).
        c.state = (c.range as Range).upper ? 2 : 0
        c.range = undefined
        c.hintTree = undefined
        return E.JET_errNoCurrentRecord
      }
      setOn(c, tree, p)
    }
    return 0
  }

  /** The current record, or an error code. */
  const currentRecord = (c: Cursor, t: TableVersion): Rec | number => {
    if (c.state !== 1 && c.state !== 4) return E.JET_errNoCurrentRecord
    const tree = cursorTree(c, t)
    const p = currentPos(c, tree)
    if (p === undefined && c.state === 4) return E.JET_errNoCurrentRecord
    if (p === undefined) {
      // A replace that changed the current entry's key moved the entry, not the record: the
      // cursor still reads its record by bookmark (and moves from where the entry was).
      const moved = tree === t.primary ? undefined : getRecord(t, c.bm)
      return moved ?? E.JET_errRecordDeleted
    }
    if (tree === t.primary) return t.primary.valAt(p)
    const rec = getRecord(t, c.bm)
    return rec === undefined ? E.JET_errRecordDeleted : rec
  }

  const searchKeyBytes = (c: Cursor, _t: TableVersion): string => toKey((c.search as SearchKey).key)

  /** Positions the cursor on a record's entry in its current index. */
  const positionOnRecord = (c: Cursor, t: TableVersion, bm: string, rec: Rec, itag: number): number => {
    const tree = cursorTree(c, t)
    const idx = c.indexName === undefined ? undefined : cursorIndex(c, t)
    let key: string
    if (idx === undefined) key = primaryKeyOf(t, bm)
    else {
      const ks = recordKeys(t.schema, idx, rec.values)
      if (typeof ks === "number" || ks.length === 0) {
        c.state = 0
        return E.JET_errNoCurrentRecord
      }
      key = ks[Math.max(0, Math.min(ks.length - 1, itag - 1))] as string
    }
    const p = tree.find(key, bm)
    if (p === undefined) return E.JET_errNoCurrentRecord
    setOn(c, tree, p)
    return 0
  }

  // --- column values -----------------------------------------------------------------------

  const columnMax = (col: ColumnDef): number => {
    if (isLongType(col.coltyp)) return col.cbMax === 0 ? 0x7fffffff : col.cbMax
    const f = fixedSize(col.coltyp)
    if (f !== 0) return f
    return col.cbMax === 0 ? 255 : Math.min(col.cbMax, 255)
  }

  /**
   * The bytes a fixed column stores for a value, after the engine's ErrRECISetIFixedColumn: a fixed
   * Text or Binary column always holds its full size, a shorter value padded (Binary with zeros, Text
   * with spaces, U+0020 in cp 1200); a Bit holds 0x00 or 0xFF, whatever non-zero byte it was given.
   */
  const fixedStored = (col: ColumnDef, value: Uint8Array): Uint8Array => {
    if ((col.grbit & bitColumnFixed) === 0 || value.length === 0) return value
    if (col.coltyp === coltypBit) return Uint8Array.of(value[0] === 0 ? 0x00 : 0xff)
    if (col.coltyp !== coltypText && col.coltyp !== coltypBinary) return value
    const size = columnMax(col)
    if (value.length >= size) return value
    if (col.coltyp === coltypText) return padFixedText(value, size, col.cp)
    const out = new Uint8Array(size)
    out.set(value, 0)
    return out
  }

  const valuesOf = (c: Cursor, t: TableVersion, copy: boolean): Map<number, Array<Uint8Array>> | number => {
    if (copy && c.prep !== undefined) return c.prep.values
    const rec = currentRecord(c, t)
    return typeof rec === "number" ? rec : rec.values
  }

  /** Which value of a multi-valued column made the current entry of a secondary index. */
  const entryItag = (t: TableVersion, idx: IndexDef, columnid: number, rec: Rec, key: string): number => {
    const col = t.schema.columns.get(columnid)
    const vs = col === undefined ? undefined : effectiveValues(col, rec.values)
    if (col === undefined || vs === undefined || vs.length < 2 || (col.grbit & bitColumnMultiValued) === 0) {
      return 1
    }
    for (let j = 0; j < vs.length; j++) {
      const values = new Map(rec.values)
      values.set(columnid, [vs[j] as Uint8Array])
      const ks = recordKeys(t.schema, idx, values)
      if (typeof ks !== "number" && ks.includes(key)) return j + 1
    }
    return 1
  }

  /**
   * `JET_bitRetrieveFromIndex` / `JET_bitRetrieveFromPrimaryBookmark`, after the engine's
   * `ErrRECIRetrieveFromIndex`: the value read back from the current entry's key (the primary key
   * for the bookmark bit, or on the primary index). Where the key cannot give it (Text, a Unicode
   * Text segment before it, a key that may be truncated, a table without primary index, a temporary
   * table) the record is read instead, at the itag of the value that made the entry.
   *
   * @returns the value (`null` for NULL), `{ itag }` to read the record, or an error code.
   */
  const fromIndexEntry = (
    c: Cursor,
    t: TableVersion,
    columnid: number,
    grbit: number
  ): { readonly value: Uint8Array | null } | { readonly itag: number } | number => {
    if ((grbit & bitRetrieveFromIndex) !== 0 && (grbit & bitRetrieveFromPrimaryBookmark) !== 0) {
      return E.JET_errInvalidGrbit
    }
    if (columnid === 0) return E.JET_errBadColumnId
    const secondary = c.indexName === undefined ? undefined : cursorIndex(c, t)
    let idx: IndexDef | undefined
    if (secondary === undefined) {
      if (c.temp !== undefined || c.state !== 1 || t.schema.primary === undefined) return { itag: 1 }
      idx = t.schema.primary
    } else {
      idx = (grbit & bitRetrieveFromPrimaryBookmark) !== 0 ? t.schema.primary : secondary
      if (idx === undefined) return E.JET_errColumnNotFound
    }
    const seg = idx.segments.findIndex((x) => x.columnId === columnid)
    if (seg < 0) return E.JET_errColumnNotFound
    const rec = currentRecord(c, t)
    if (typeof rec === "number") return rec
    const key = idx === secondary ? c.key : primaryKeyOf(t, c.bm)
    const fallback = { itag: idx === secondary ? entryItag(t, idx, columnid, rec, key) : 1 }
    if (c.temp !== undefined) return fallback
    const specs = indexSpecs(t.schema, idx)
    for (let i = 0; i < seg; i++) {
      const spec = specs[i] as SegmentSpec
      if (isTextType(spec.coltyp) && spec.cp === 1200) return fallback
    }
    if (isTextType((specs[seg] as SegmentSpec).coltyp)) return fallback
    if (key.length === idx.cbKeyMost && idx.cbKeyMost >= 255) return fallback
    const value = columnFromKey(specs, fromKey(key), seg)
    return value === undefined ? fallback : { value }
  }

  /**
   * {@link retrieveOne} of one column of the current record (not of a prepared update): reads the
   * packed record in place, without unpacking its values.
   */
  const retrieveFromRecord = (
    c: Cursor,
    t: TableVersion,
    columnid: number,
    pv: Uint8Array | null,
    cb: number,
    grbit: number,
    ib: number,
    itag: number
  ): JetRetrieveColumnResult => {
    const rec = currentRecord(c, t)
    if (typeof rec === "number") return fail(rec)
    const col = t.schema.columns.get(columnid)
    if (col === undefined) return fail(E.JET_errColumnNotFound)
    if (itag === 0) return fail(E.JET_errBadItagSequence)
    const next = JET_COLUMNID(col.id)
    const at = rec.locate(columnid, itag)
    if (at < 0) {
      // A column with no value at all reads as its default, which has one value.
      if (
        at !== noColumn || itag !== 1 || (grbit & bitRetrieveIgnoreDefault) !== 0 || col.defaultValue === null
      ) {
        return { err: E.JET_wrnColumnNull, cbActual: 0, columnidNextTagged: next }
      }
      const v = col.defaultValue
      const data = ib > 0 ? v.subarray(Math.min(ib, v.length)) : v
      copyOut(pv, cb, data)
      return {
        err: cb < data.length ? E.JET_wrnBufferTruncated : 0,
        cbActual: data.length,
        columnidNextTagged: next
      }
    }
    const skip = ib > 0 ? Math.min(ib, Rec.foundLength) : 0
    const length = Rec.foundLength - skip
    if (pv !== null && cb > 0) rec.copyTo(pv, at + skip, Math.min(cb, length, pv.byteLength))
    return { err: cb < length ? E.JET_wrnBufferTruncated : 0, cbActual: length, columnidNextTagged: next }
  }

  const retrieveOne = (
    c: Cursor,
    t: TableVersion,
    columnid: number,
    pv: Uint8Array | null,
    cb: number,
    grbit: number,
    ib: number,
    itagIn: number
  ): JetRetrieveColumnResult => {
    if ((grbit & (bitRetrieveFromIndex | bitRetrieveFromPrimaryBookmark)) !== 0) {
      const r = fromIndexEntry(c, t, columnid, grbit)
      if (typeof r === "number") return fail(r)
      if ("value" in r) {
        const next = JET_COLUMNID(columnid)
        if (r.value === null) return { err: E.JET_wrnColumnNull, cbActual: 0, columnidNextTagged: next }
        const long = isLongType(t.schema.columns.get(columnid)?.coltyp ?? 0)
        const data = long && ib > 0 ? r.value.subarray(Math.min(ib, r.value.length)) : r.value
        copyOut(pv, cb, data)
        return {
          err: cb < data.length ? E.JET_wrnBufferTruncated : 0,
          cbActual: data.length,
          columnidNextTagged: next
        }
      }
      return retrieveOne(
        c,
        t,
        columnid,
        pv,
        cb,
        grbit & ~(bitRetrieveFromIndex | bitRetrieveFromPrimaryBookmark),
        ib,
        r.itag
      )
    }
    if (columnid !== 0 && ((grbit & bitRetrieveCopy) === 0 || c.prep === undefined)) {
      return retrieveFromRecord(c, t, columnid, pv, cb, grbit, ib, itagIn)
    }
    const values = valuesOf(c, t, (grbit & bitRetrieveCopy) !== 0)
    if (typeof values === "number") return fail(values)
    const schema = t.schema
    let col: ColumnDef | undefined
    let itag = itagIn
    if (columnid === 0) {
      // Walks every tagged value in column order: the itag counts across columns.
      const tagged = [...schema.columns.values()].filter((x) => x.id >= 256).sort((a, b) => a.id - b.id)
      if (itag === 0) return fail(E.JET_errBadItagSequence)
      let n = itag
      for (const x of tagged) {
        const vs = effectiveValues(x, values)
        if (vs === undefined) continue
        if (n <= vs.length) {
          col = x
          itag = n
          break
        }
        n -= vs.length
      }
      if (col === undefined) {
        return { err: E.JET_wrnColumnNull, cbActual: 0, columnidNextTagged: JET_COLUMNID(0) }
      }
    } else {
      col = schema.columns.get(columnid)
      if (col === undefined) return fail(E.JET_errColumnNotFound)
      if (itag === 0) return fail(E.JET_errBadItagSequence)
    }
    const stored = values.get(col.id)
    const vs = stored !== undefined && stored.length > 0
      ? stored
      : (grbit & bitRetrieveIgnoreDefault) === 0 && col.defaultValue !== null
      ? [col.defaultValue]
      : undefined
    const next = JET_COLUMNID(col.id)
    const v = vs?.[itag - 1]
    if (v === undefined) return { err: E.JET_wrnColumnNull, cbActual: 0, columnidNextTagged: next }
    const data = ib > 0 ? v.subarray(Math.min(ib, v.length)) : v
    copyOut(pv, cb, data)
    return {
      err: cb < data.length ? E.JET_wrnBufferTruncated : 0,
      cbActual: data.length,
      columnidNextTagged: next
    }
  }

  /** Sets a value into a prepared update. */
  const setOne = (
    c: Cursor,
    t: TableVersion,
    columnid: number,
    pv: Uint8Array | null,
    cb: number,
    grbit: number,
    ib: number,
    itag: number
  ): number => {
    const prep = c.prep
    if (prep === undefined) return E.JET_errUpdateNotPrepared
    if (pv !== null && cb > pv.byteLength) return E.JET_errInvalidParameter
    const col = t.schema.columns.get(columnid)
    if (col === undefined) return E.JET_errColumnNotFound
    if ((col.grbit & bitColumnAutoincrement) !== 0 && prep.mode !== prepInsertMustSetAutoIncrement) {
      return E.JET_errInvalidColumnType
    }
    if ((col.grbit & bitColumnVersion) !== 0) return E.JET_errInvalidColumnType
    const list = prep.values.get(columnid)
    const current = list === undefined ? [] : list.slice()
    const multi = (col.grbit & bitColumnMultiValued) !== 0
    // Which slot: itag 0 or past the end appends to a multi-valued column; a single-valued column
    // has one slot.
    let slot = multi ? (itag === 0 || itag > current.length ? current.length : itag - 1) : 0
    if ((grbit & bitSetRevertToDefaultValue) !== 0) {
      prep.values.delete(columnid)
      return 0
    }
    const isNull = pv === null || (cb === 0 && (grbit & (bitSetZeroLength | bitSetSizeLV)) === 0)
    if (isNull && (grbit & (bitSetAppendLV | bitSetOverwriteLV)) === 0) {
      if ((col.grbit & bitColumnNotNULL) !== 0) return E.JET_errNullInvalid
      if (slot < current.length) current.splice(slot, 1)
      if (current.length === 0) prep.values.delete(columnid)
      else prep.values.set(columnid, current)
      return 0
    }
    const data = copyBytes(pv, cb)
    let value: Uint8Array
    const long = isLongType(col.coltyp)
    const existing = current[slot]
    if (long && (grbit & bitSetAppendLV) !== 0 && existing !== undefined) {
      value = new Uint8Array(existing.length + data.length)
      value.set(existing, 0)
      value.set(data, existing.length)
    } else if (long && (grbit & bitSetOverwriteLV) !== 0) {
      const base = existing ?? empty
      if (ib > base.length) return E.JET_errInvalidParameter
      value = new Uint8Array(Math.max(base.length, ib + data.length))
      value.set(base, 0)
      value.set(data, ib)
    } else if (long && (grbit & bitSetSizeLV) !== 0) {
      value = new Uint8Array(cb)
      if (existing !== undefined) value.set(existing.subarray(0, Math.min(cb, existing.length)), 0)
    } else {
      value = data
      if (existing === undefined && !multi) slot = 0
    }
    const f = fixedSize(col.coltyp)
    if (f !== 0 && value.length !== f) return E.JET_errInvalidBufferSize
    if (value.length > columnMax(col)) return E.JET_errColumnTooBig
    value = fixedStored(col, value)
    if (multi && (grbit & (bitSetUniqueMultiValues | bitSetUniqueNormalizedMultiValues)) !== 0) {
      for (let i = 0; i < current.length; i++) {
        if (i !== slot && compareBytes(current[i] as Uint8Array, value) === 0) {
          return E.JET_errMultiValuedDuplicate
        }
      }
    }
    current[slot] = value
    prep.values.set(columnid, current)
    return 0
  }

  // --- DDL helpers -------------------------------------------------------------------------

  const validName = (name: string): boolean =>
    name.length > 0 && name.length <= 64 && !name.startsWith(" ") && !/[\0!.[\]]/.test(name)

  /** Adds a column to a schema (already copied); its id or an error code. */
  const addColumnTo = (
    schema: Schema,
    name: string,
    def: { coltyp: number; cbMax: number; grbit: number; cp: number },
    defaultValue: Uint8Array | null
  ): number => {
    if (!validName(name)) return E.JET_errInvalidName
    if (schema.byName.has(nameKey(name))) return E.JET_errColumnDuplicate
    const { coltyp } = def
    let grbit = def.grbit
    if (!validColtyp(coltyp)) return E.JET_errInvalidColumnType
    if ((grbit & bitColumnAutoincrement) !== 0 && coltyp !== coltypLong && coltyp !== coltypCurrency) {
      return E.JET_errInvalidColumnType
    }
    if ((grbit & bitColumnVersion) !== 0 && coltyp !== coltypLong) return E.JET_errInvalidColumnType
    if ((grbit & bitColumnEscrowUpdate) !== 0 && coltyp !== coltypLong && coltyp !== coltypLongLong) {
      return E.JET_errInvalidColumnType
    }
    if ((grbit & bitColumnMultiValued) !== 0 && (grbit & bitColumnTagged) === 0 && !isLongType(coltyp)) {
      return E.JET_errMultiValuedColumnMustBeTagged
    }
    if ((coltyp === coltypBinary || coltyp === coltypText) && def.cbMax > 255) {
      return E.JET_errInvalidParameter
    }
    const cp = coltyp === coltypText || coltyp === coltypLongText ? (def.cp === 0 ? 1252 : def.cp) : 0
    if (cp !== 0 && cp !== 1252 && cp !== 1200) return E.JET_errInvalidCodePage
    const col0: ColumnDef = { id: 0, name, coltyp, cbMax: def.cbMax, grbit, cp, defaultValue: null }
    if (defaultValue !== null) {
      if (defaultValue.length > (isLongType(coltyp) ? 255 : columnMax(col0))) {
        return E.JET_errDefaultValueTooBig
      }
      const f = fixedSize(coltyp)
      if (f !== 0 && defaultValue.length !== f) return E.JET_errInvalidBufferSize
    }
    let id: number
    if ((grbit & bitColumnTagged) !== 0 || isLongType(coltyp)) {
      id = schema.nextTagged++
      grbit |= bitColumnTagged
    } else if ((grbit & bitColumnFixed) !== 0 || fixedSize(coltyp) !== 0) {
      if (schema.nextFixed > 127) return E.JET_errTooManyColumns
      id = schema.nextFixed++
      grbit |= bitColumnFixed
    } else {
      if (schema.nextVar > 255) return E.JET_errTooManyColumns
      id = schema.nextVar++
    }
    if ((grbit & bitColumnAutoincrement) !== 0) grbit |= bitColumnNotNULL
    const padded = defaultValue === null ? null : fixedStored({ ...col0, grbit }, defaultValue)
    const col: ColumnDef = { ...col0, id, grbit, defaultValue: padded }
    schema.columns.set(id, col)
    schema.byName.set(nameKey(name), col)
    return id
  }

  /** Adds an index to a table version (schema already copied), building it; 0 or an error. */
  const addIndexTo = (t: TableVersion, ic: JetIndexCreate, maxKey: number): number => {
    const schema = t.schema
    if (!validName(ic.szIndexName)) return E.JET_errInvalidName
    if (schema.indexes.has(nameKey(ic.szIndexName))) return E.JET_errIndexDuplicate
    const parsed = parseIndexKey(ic.szKey)
    if (typeof parsed === "number") return parsed
    if (parsed.length === 0) return E.JET_errIndexInvalidDef
    const segments = []
    for (const p of parsed) {
      const col = schema.byName.get(nameKey(p.column))
      if (col === undefined) return E.JET_errColumnNotFound
      segments.push({ columnId: col.id, descending: p.descending })
    }
    const grbit = ic.grbit ?? 0
    const primary = (grbit & bitIndexPrimary) !== 0
    const conditions: Array<{ columnId: number; mustBeNull: boolean }> = []
    for (const cc of ic.rgconditionalcolumn ?? []) {
      // JET_bitIndexColumnMustBeNull 0x1, JET_bitIndexColumnMustBeNonNull 0x2: exactly one.
      if (cc.grbit !== 1 && cc.grbit !== 2) return E.JET_errInvalidGrbit
      const col = schema.byName.get(nameKey(cc.szColumnName))
      if (col === undefined) return E.JET_errColumnNotFound
      conditions.push({ columnId: col.id, mustBeNull: cc.grbit === 1 })
    }
    if (primary && conditions.length > 0) return E.JET_errInvalidParameter
    if (primary && schema.primary !== undefined) return E.JET_errIndexHasPrimary
    if (primary && t.primary.size > 0) return E.JET_errTableNotEmpty
    const cbKeyMost = (grbit & bitIndexKeyMost) !== 0 && (ic.cbKeyMost ?? 0) > 0
      ? ic.cbKeyMost ?? maxKey
      : maxKey
    const idx: IndexDef = {
      name: ic.szIndexName,
      grbit: primary ? grbit | bitIndexUnique : grbit,
      segments,
      cbKeyMost,
      primary,
      lcid: (grbit & bitIndexUnicode) !== 0 ? ic.pidxunicode?.lcid ?? 1033 : 1033,
      szKey: ic.szKey,
      ...(conditions.length > 0 ? { conditions } : {})
    }
    if (primary) {
      schema.primary = idx
      schema.indexes.set(nameKey(idx.name), idx)
      return 0
    }
    const tree = new SortedIndex<null>()
    for (let p = t.primary.first(); p !== undefined; p = t.primary.next(p)) {
      const bm = t.primary.bmAt(p)
      const ks = recordKeys(schema, idx, t.primary.valAt(p).values)
      if (typeof ks === "number") return ks === E.JET_errNullKeyDisallowed ? ks : ks
      for (const k of ks) {
        if ((idx.grbit & bitIndexUnique) !== 0) {
          const q = tree.seek(k, null, -1)
          if (q !== undefined && tree.keyAt(q) === k) return E.JET_errKeyDuplicate
        }
        tree.insert(k, bm, null)
      }
    }
    schema.indexes.set(nameKey(idx.name), idx)
    t.secondaries.set(nameKey(idx.name), tree)
    return 0
  }

  /** Runs a DDL change on a table in the session's write view and logs it for replay. */
  const ddlOnTable = (c: Cursor, change: (t: TableVersion) => number): number => {
    const e = checkWritable(c)
    if (e !== 0) return e
    const probe = readTable(c)
    if (probe === undefined) return E.JET_errObjectNotFound
    // Try on a copy first so that a failing change leaves nothing behind.
    const trial: TableVersion = {
      ...probe,
      schema: copySchema(probe.schema),
      secondaries: new Map(probe.secondaries)
    }
    const r = change(trial)
    if (r < 0) return r
    const t = writeTable(c) as TableVersion
    t.schema = trial.schema
    t.secondaries.clear()
    for (const [k, v] of trial.secondaries) t.secondaries.set(k, v)
    if (c.temp === undefined) {
      const tid = c.tid
      logOp(c.s, c.db as Database, (v) => {
        const target = v.tables.get(tid)
        if (target === undefined) return
        const copy: TableVersion = {
          ...target,
          schema: copySchema(target.schema),
          secondaries: new Map(target.secondaries)
        }
        if (change(copy) < 0) return
        target.schema = copy.schema
        target.secondaries.clear()
        for (const [k, x] of copy.secondaries) target.secondaries.set(k, x)
      })
    }
    return r
  }

  const keyMostOf = (inst: Instance): number => numParam(inst, 134) || 255

  // --- struct writers ----------------------------------------------------------------------

  const columnDefValues = (col: ColumnDef): Record<string, number> => ({
    columnid: col.id,
    coltyp: col.coltyp,
    wCountry: 1,
    langid: 1033,
    cp: col.cp,
    wCollate: 0,
    cbMax: col.cbMax !== 0 ? col.cbMax : fixedSize(col.coltyp) !== 0 ? fixedSize(col.coltyp) : col.cbMax,
    grbit: col.grbit
  })

  const writeColumnInfo = (
    t: TableVersion,
    column: string | number | null,
    pv: Uint8Array,
    cb: number,
    level: number,
    s: Session
  ): number => {
    const lvl = level & 0xffff
    if (lvl === 1 || lvl === 5 || lvl === 7) return writeColumnList(t, pv, cb, s)
    let col: ColumnDef | undefined
    if (lvl === 6 || lvl === 8 || typeof column === "number") {
      col = typeof column === "number" ? t.schema.columns.get(column) : undefined
    } else if (typeof column === "string") col = t.schema.byName.get(nameKey(column))
    if (col === undefined) return E.JET_errColumnNotFound
    if (lvl === 0 || lvl === 6) {
      if (cb < 28) return E.JET_errBufferTooSmall
      writeStruct("JET_COLUMNDEF", pv, columnDefValues(col))
      return 0
    }
    if (lvl === 4 || lvl === 8) {
      if (cb < 1056) return E.JET_errBufferTooSmall
      writeStruct("JET_COLUMNBASE_W", pv, {
        ...columnDefValues(col),
        szBaseTableName: t.name,
        szBaseColumnName: col.name
      })
      return 0
    }
    return E.JET_errInvalidParameter
  }

  /** Opens a temporary table filled with rows, for the list info levels. */
  const listTable = (
    s: Session,
    defs: ReadonlyArray<{ coltyp: number; cbMax?: number }>,
    rows: ReadonlyArray<ReadonlyArray<Uint8Array | null>>
  ): { tableid: bigint; columnids: Array<number> } => {
    const tv = newTable("list")
    const schema = tv.schema
    const columnids = defs.map((d, i) =>
      addColumnTo(schema, `c${i}`, { coltyp: d.coltyp, cbMax: d.cbMax ?? 0, grbit: 0, cp: 1200 }, null)
    )
    tv.shared.dbk = 0
    for (const row of rows) {
      const values = new Map<number, Array<Uint8Array>>()
      row.forEach((v, i) => {
        if (v !== null) values.set(columnids[i] as number, [v])
      })
      const bm = toKey(beUint32(++tv.shared.dbk))
      putRecord(tv, bm, new Rec(values, 0, s.id))
    }
    const temp: TempTable = { tv, unique: false, errorOnDuplicate: false, keyed: false, seq: 0 }
    const c = newCursor(s, { dbid: 0, db: undefined, tid: tv.shared.id, temp }, 0)
    move(c, tv, moveFirst, 0)
    return { tableid: c.id, columnids }
  }

  const u32 = (n: number): Uint8Array => leBytes(BigInt(n), 4)
  const u16 = (n: number): Uint8Array => leBytes(BigInt(n), 2)
  const leF64 = (n: number): Uint8Array => {
    const out = new Uint8Array(8)
    new DataView(out.buffer).setFloat64(0, n, true)
    return out
  }
  const text = (str: string): Uint8Array => utf16z(str).subarray(0, str.length * 2)

  const writeColumnList = (t: TableVersion, pv: Uint8Array, cb: number, s: Session): number => {
    if (cb < 80) return E.JET_errBufferTooSmall
    const cols = [...t.schema.columns.values()].sort((a, b) => a.id - b.id)
    const rows = cols.map((col, i) => [
      u32(i),
      text(col.name),
      u32(col.id),
      u32(col.coltyp),
      u16(1),
      u16(1033),
      u16(col.cp),
      u16(0),
      u32(col.cbMax),
      u32(col.grbit),
      col.defaultValue,
      text(t.name),
      text(col.name),
      text(col.name)
    ])
    const types = [14, 10, 14, 14, 17, 17, 17, 17, 14, 14, 11, 10, 10, 10]
    const { tableid, columnids } = listTable(s, types.map((coltyp) => ({ coltyp })), rows)
    writeStruct("JET_COLUMNLIST", pv, {
      tableid,
      cRecord: cols.length,
      columnidPresentationOrder: columnids[0] ?? 0,
      columnidcolumnname: columnids[1] ?? 0,
      columnidcolumnid: columnids[2] ?? 0,
      columnidcoltyp: columnids[3] ?? 0,
      columnidCountry: columnids[4] ?? 0,
      columnidLangid: columnids[5] ?? 0,
      columnidCp: columnids[6] ?? 0,
      columnidCollate: columnids[7] ?? 0,
      columnidcbMax: columnids[8] ?? 0,
      columnidgrbit: columnids[9] ?? 0,
      columnidDefault: columnids[10] ?? 0,
      columnidBaseTableName: columnids[11] ?? 0,
      columnidBaseColumnName: columnids[12] ?? 0,
      columnidDefinitionName: columnids[13] ?? 0
    })
    return 0
  }

  const indexesOf = (t: TableVersion): Array<IndexDef> => {
    const list = [...t.schema.indexes.values()]
    return list.sort((a, b) => (a.primary === b.primary ? a.name.localeCompare(b.name) : a.primary ? -1 : 1))
  }

  const writeIndexInfo = (
    t: TableVersion,
    name: string | null,
    pv: Uint8Array,
    cb: number,
    level: number,
    s: Session
  ): number => {
    const idx = name === null || name === "" ? undefined : t.schema.indexes.get(nameKey(name))
    if (name !== null && name !== "" && idx === undefined) return E.JET_errIndexNotFound
    const view = new DataView(pv.buffer, pv.byteOffset, pv.byteLength)
    switch (level) {
      case 0:
      case 1: {
        if (cb < 80) return E.JET_errBufferTooSmall
        const list = idx === undefined ? indexesOf(t) : [idx]
        const rows: Array<Array<Uint8Array | null>> = []
        for (const x of list) {
          const count = x.primary ? t.primary.size : t.secondaries.get(nameKey(x.name))?.size ?? 0
          x.segments.forEach((seg, i) => {
            const col = t.schema.columns.get(seg.columnId)
            rows.push([
              text(x.name),
              u32(x.grbit),
              u32(count),
              u32(count),
              u32(1),
              u32(x.segments.length),
              u32(i),
              u32(seg.columnId),
              u32(col?.coltyp ?? 0),
              u16(1),
              u16(1033),
              u16(col?.cp ?? 0),
              u16(0),
              u32(seg.descending ? 1 : 0),
              text(col?.name ?? ""),
              u32(0)
            ])
          })
        }
        const types = [10, 14, 14, 14, 14, 14, 14, 14, 14, 17, 17, 17, 17, 14, 10, 14]
        const { tableid, columnids } = listTable(s, types.map((coltyp) => ({ coltyp })), rows)
        const names = [
          "columnidindexname",
          "columnidgrbitIndex",
          "columnidcKey",
          "columnidcEntry",
          "columnidcPage",
          "columnidcColumn",
          "columnidiColumn",
          "columnidcolumnid",
          "columnidcoltyp",
          "columnidCountry",
          "columnidLangid",
          "columnidCp",
          "columnidCollate",
          "columnidgrbitColumn",
          "columnidcolumnname",
          "columnidLCMapFlags"
        ]
        const values: Record<string, number | bigint> = { tableid, cRecord: rows.length }
        names.forEach((n, i) => {
          values[n] = columnids[i] ?? 0
        })
        writeStruct("JET_INDEXLIST", pv, values)
        return 0
      }
      case 5:
        if (cb < 4) return E.JET_errBufferTooSmall
        view.setUint32(0, 1, true)
        return 0
      case 6:
        if (cb < 4) return E.JET_errBufferTooSmall
        view.setUint32(0, idx?.lcid ?? 1033, true)
        return 0
      case 7:
        if (cb < 4) return E.JET_errBufferTooSmall
        view.setUint32(0, t.schema.indexes.size, true)
        return 0
      case 8:
        if (cb < 2) return E.JET_errBufferTooSmall
        view.setUint16(0, 255, true)
        return 0
      case 10:
        if (cb < 2) return E.JET_errBufferTooSmall
        view.setUint16(0, idx?.cbKeyMost ?? 255, true)
        return 0
      default:
        return E.JET_errInvalidParameter
    }
  }

  const writeObjectInfo = (t: TableVersion, pv: Uint8Array, cb: number): number => {
    // sizeof(JET_OBJECTINFO): 40 bytes on both x86 and x64.
    if (cb < structLayout("JET_OBJECTINFO").size) return E.JET_errBufferTooSmall
    const oaDate = t.created / 86_400_000 + 25569
    writeStruct("JET_OBJECTINFO", pv, {
      objtyp: 1,
      dtCreate: oaDate,
      dtUpdate: oaDate,
      grbit: 0,
      flags: 0,
      cRecord: t.primary.size,
      cPage: 1
    })
    return 0
  }

  /**
   * JET_ObjInfoList and JET_ObjInfoListNoStats: a temporary table of the database's tables, one row
   * each, in name order (the catalog's name index; names compare case-insensitively).
   */
  const writeObjectList = (v: DbVersion, stats: boolean, pv: Uint8Array, cb: number, s: Session): number => {
    if (cb < structLayout("JET_OBJECTLIST").size) return E.JET_errBufferTooSmall
    const upper = (t: TableVersion): string => t.name.toUpperCase()
    const tables = [...v.tables.values()].sort((
      a,
      b
    ) => (upper(a) < upper(b) ? -1 : upper(a) > upper(b) ? 1 : 0))
    const rows = tables.map((t) => {
      const oaDate = leF64(t.created / 86_400_000 + 25569)
      return [
        null,
        text(t.name),
        u32(1),
        oaDate,
        oaDate,
        u32(0),
        u32(0),
        u32(stats ? t.primary.size : 0),
        u32(stats ? 1 : 0)
      ]
    })
    const types = [10, 10, 4, 8, 8, 4, 4, 4, 4]
    const { tableid, columnids } = listTable(s, types.map((coltyp) => ({ coltyp })), rows)
    writeStruct("JET_OBJECTLIST", pv, {
      tableid,
      cRecord: tables.length,
      columnidcontainername: columnids[0] ?? 0,
      columnidobjectname: columnids[1] ?? 0,
      columnidobjtyp: columnids[2] ?? 0,
      columniddtCreate: columnids[3] ?? 0,
      columniddtUpdate: columnids[4] ?? 0,
      columnidgrbit: columnids[5] ?? 0,
      columnidflags: columnids[6] ?? 0,
      columnidcRecord: columnids[7] ?? 0,
      columnidcPage: columnids[8] ?? 0
    })
    return 0
  }

  const writeString = (pv: Uint8Array, cb: number, str: string): number => {
    const bytes = utf16z(str)
    if (cb < bytes.length) return E.JET_errBufferTooSmall
    pv.set(bytes, 0)
    return 0
  }

  // --- the API -----------------------------------------------------------------------------

  const liveInstance = (instance: bigint | null): Instance | number => {
    if (instance === null) return E.JET_errInvalidInstance
    const inst = instances.get(instance)
    return inst === undefined ? E.JET_errInvalidInstance : inst
  }

  const term = (instance: bigint, grbit: number): JetResult => {
    const inst = instances.get(instance)
    if (inst === undefined) return err(E.JET_errInvalidInstance)
    if ((grbit & ~0xf) !== 0) return err(E.JET_errInvalidGrbit)
    const dirty = (grbit & bitTermDirty) !== 0
    if (!dirty) { for (const s of inst.sessions) if (s.level > 0) return err(E.JET_errTooManyActiveUsers) }
    for (const s of [...inst.sessions]) endSession(s)
    for (const a of inst.attached.values()) a.db.attachedTo = undefined
    inst.attached.clear()
    instances.delete(instance)
    return err(dirty && inst.state !== "created" ? E.JET_errDirtyShutdown : 0)
  }

  const openTemp = (
    sesid: bigint,
    defs: ReadonlyArray<JetColumnDef>,
    grbit: number
  ): { err: number; tableid: JET_TABLEID; columnids: ReadonlyArray<JET_COLUMNID> } => {
    const fail = (e: number) => ({ err: e, tableid: JET_TABLEID(0n), columnids: [] })
    const s = getSession(sesid)
    if (typeof s === "number") return fail(s)
    if (s.inst.cursorCount >= numParam(s.inst, paramMaxCursors)) return fail(E.JET_errOutOfCursors)
    const tv = newTable("temp")
    const schema = tv.schema
    const columnids: Array<JET_COLUMNID> = []
    const segs: Array<string> = []
    for (let i = 0; i < defs.length; i++) {
      const d = defs[i] as JetColumnDef
      const g = d.grbit ?? 0
      const id = addColumnTo(
        schema,
        `c${i}`,
        {
          coltyp: d.coltyp,
          cbMax: d.cbMax ?? 0,
          grbit: g & ~(bitColumnTTKey | bitColumnTTDescending | 0x20),
          cp: d.cp ?? 0
        },
        null
      )
      if (id < 0) return fail(id)
      columnids.push(JET_COLUMNID(id))
      if ((g & bitColumnTTKey) !== 0) segs.push(`${(g & bitColumnTTDescending) !== 0 ? "-" : "+"}c${i}\0`)
    }
    const unique = (grbit & bitTTUnique) !== 0
    if (segs.length > 0) {
      const r = addIndexTo(tv, {
        szIndexName: "primary",
        szKey: `${segs.join("")}\0`,
        cbKey: 0,
        grbit: bitIndexPrimary | ((grbit & bitTTSortNullsHigh) !== 0 ? bitIndexSortNullsHigh : 0)
      }, keyMostOf(s.inst))
      if (r < 0) return fail(r)
      if (!unique) {
        // Duplicate keys stay apart by a sequence number after the key in the bookmark.
        tv.shared.dbk = -1
      }
    }
    const temp: TempTable = {
      tv,
      unique,
      errorOnDuplicate: (grbit & bitTTErrorOnDuplicateInsertion) !== 0,
      keyed: segs.length > 0,
      seq: 0
    }
    const c = newCursor(s, { dbid: 0, db: undefined, tid: tv.shared.id, temp }, 0)
    return { err: 0, tableid: JET_TABLEID(c.id), columnids }
  }

  const api: JetApi = {
    // Instance

    JetCreateInstance2(instanceName, _displayName, _grbit) {
      for (const i of instances.values()) {
        if (i.name === instanceName) return { err: E.JET_errInstanceNameInUse, instance: JET_INSTANCE(0n) }
      }
      const maxInstances = processParams.get(104)
      if (typeof maxInstances === "bigint" && instances.size >= Number(maxInstances)) {
        return { err: E.JET_errTooManyInstances, instance: JET_INSTANCE(0n) }
      }
      const inst: Instance = {
        id: handle(),
        name: instanceName,
        state: "created",
        condition: undefined,
        params: new Map(),
        sessions: new Set(),
        attached: new Map(),
        cursorCount: 0
      }
      instances.set(inst.id, inst)
      return { err: 0, instance: JET_INSTANCE(inst.id) }
    },

    JetInit3(instance, _grbit) {
      const inst = liveInstance(instance)
      if (typeof inst === "number") return { err: inst, instance }
      if (inst.state !== "created") return { err: E.JET_errAlreadyInitialized, instance }
      inst.state = "running"
      return { err: 0, instance }
    },

    JetTerm(instance) {
      return term(instance, 2)
    },

    JetTerm2(instance, grbit) {
      return term(instance, grbit)
    },

    JetSetSystemParameter(instance, _sesid, paramid, lParam, szParam) {
      const value = szParam ?? lParam
      if (instance === null || instance === 0n) {
        for (const i of instances.values()) {
          if (i.state !== "created" && fixedAfterInit.has(paramid)) return err(E.JET_errAlreadyInitialized)
        }
        processParams.set(paramid, value)
        return err(0)
      }
      const inst = liveInstance(instance)
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
      const inst = instances.get(instance)
      const v = inst !== undefined
        ? param(inst, paramid)
        : processParams.get(paramid) ?? defaultParams.get(paramid)
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
      const inst = liveInstance(instance)
      if (typeof inst === "number") return err(inst)
      if (inst.state === "created") return err(E.JET_errNotInitialized)
      inst.state = "stopped"
      return err(0)
    },

    // Sessions

    JetBeginSession(instance, _user, _password) {
      const inst = liveInstance(instance)
      if (typeof inst === "number") return { err: inst, sesid: JET_SESID(0n) }
      if (inst.state === "created") return { err: E.JET_errNotInitialized, sesid: JET_SESID(0n) }
      const gate = instanceGate(inst)
      if (gate !== 0) return { err: gate, sesid: JET_SESID(0n) }
      if (inst.sessions.size >= numParam(inst, paramMaxSessions)) {
        return { err: E.JET_errOutOfSessions, sesid: JET_SESID(0n) }
      }
      const s: Session = {
        id: handle(),
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
      sessions.set(s.id, s)
      inst.sessions.add(s)
      return { err: 0, sesid: JET_SESID(s.id) }
    },

    JetEndSession(sesid, _grbit) {
      // Unknown handle (NotInitialized when no instance runs), then the instance's state:
      // ClientRequestToStopJetService, TermInProgress, RestoreInProgress, InstanceUnavailable.
      const s = getSession(sesid)
      if (typeof s === "number") return err(s)
      if (s.context !== null) return err(E.JET_errSessionInUse)
      if (s.level > 0 && s.trxOwner !== ownerNow(s)) return err(E.JET_errSessionSharingViolation)
      endSession(s)
      return err(0)
    },

    JetDupSession(sesid) {
      const s = getSession(sesid)
      if (typeof s === "number") return { err: s, sesid: JET_SESID(0n) }
      return api.JetBeginSession(JET_INSTANCE(s.inst.id), null, null)
    },

    JetSetSessionContext(sesid, context) {
      const s = getSession(sesid)
      if (typeof s === "number") return err(s)
      if (context === 0n || context === -1n || context === 0xffff_ffff_ffff_ffffn) {
        return err(E.JET_errInvalidParameter)
      }
      if (s.context !== null) return err(E.JET_errSessionContextAlreadySet)
      s.context = context
      s.contextThread = core.thread
      return err(0)
    },

    JetResetSessionContext(sesid) {
      const s = getSession(sesid)
      if (typeof s === "number") return err(s)
      if (s.context === null || s.contextThread !== core.thread) {
        return err(E.JET_errSessionContextNotSetByThisThread)
      }
      s.context = null
      return err(0)
    },

    // Databases

    JetCreateDatabase2(sesid, filename, _cpgMax, grbit) {
      const fail = (e: number) => ({ err: e, dbid: JET_DBID(0) })
      const s = getSession(sesid)
      if (typeof s === "number") return fail(s)
      if (s.level > 0) return fail(E.JET_errInTransaction)
      if (filename.length === 0) return fail(E.JET_errInvalidPath)
      const key = pathKey(filename)
      const existing = store.databases.get(key)
      if (existing !== undefined) {
        if ((grbit & bitDbOverwriteExisting) === 0) return fail(E.JET_errDatabaseDuplicate)
        if (existing.attachedTo !== undefined) return fail(E.JET_errDatabaseInUse)
      }
      if (s.inst.attached.size >= maxDatabasesPerInstance) return fail(E.JET_errTooManyAttachedDatabases)
      const db: Database = { path: filename, committed: emptyDb(), attachedTo: s.inst.id }
      store.databases.set(key, db)
      const dbid = nextDbid(s.inst)
      s.inst.attached.set(key, { dbid, db, path: filename, readOnly: false })
      s.openDbs.set(dbid, (s.openDbs.get(dbid) ?? 0) + 1)
      return { err: 0, dbid: JET_DBID(dbid) }
    },

    JetAttachDatabase2(sesid, filename, _cpgMax, grbit) {
      const s = getSession(sesid)
      if (typeof s === "number") return err(s)
      if (s.level > 0) return err(E.JET_errInTransaction)
      const key = pathKey(filename)
      const db = store.databases.get(key)
      if (db === undefined) return err(E.JET_errFileNotFound)
      if (s.inst.attached.has(key)) return err(E.JET_wrnDatabaseAttached)
      if (db.attachedTo !== undefined && instances.has(db.attachedTo)) return err(E.JET_errDatabaseInUse)
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
      const s = getSession(sesid)
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
      const s = getSession(sesid)
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
      const s = getSession(sesid)
      if (typeof s === "number") return err(s)
      const n = s.openDbs.get(dbid)
      if (n === undefined) return err(E.JET_errInvalidDatabaseId)
      if (n > 1) s.openDbs.set(dbid, n - 1)
      else {
        s.openDbs.delete(dbid)
        for (const c of [...s.cursors]) if (c.temp === undefined && c.dbid === dbid) closeCursor(c)
      }
      return err(0)
    },

    JetGetDatabaseInfo(sesid, dbid, pvResult, cbMax, infoLevel) {
      if (cbMax > pvResult.byteLength) return err(E.JET_errInvalidParameter)
      const s = getSession(sesid)
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
        17: numParam(s.inst, 64),
        19: 2,
        21: 256
      }
      const v = values[infoLevel]
      if (v === undefined) return err(E.JET_errInvalidParameter)
      view.setUint32(0, v, true)
      return err(0)
    },

    // DDL

    JetCreateTableColumnIndex2(sesid, dbid, tc: JetTableCreate) {
      const fail = (
        e: number,
        columnErrs: Array<number> = [],
        indexErrs: Array<number> = [],
        cCreated = 0
      ) => ({
        err: e,
        tableid: JET_TABLEID(0n),
        cCreated,
        columnids: tc.rgcolumncreate.map(() => JET_COLUMNID(0)),
        columnErrs: tc.rgcolumncreate.map((_, i) => columnErrs[i] ?? 0),
        indexErrs: tc.rgindexcreate.map((_, i) => indexErrs[i] ?? 0)
      })
      const s = getSession(sesid)
      if (typeof s === "number") return fail(s)
      const a = getDb(s, dbid)
      if (typeof a === "number") return fail(a)
      if (s.level > 0 && s.readOnly) return fail(E.JET_errTransReadOnly)
      if (a.readOnly) return fail(E.JET_errPermissionDenied)
      if (!validName(tc.szTableName)) return fail(E.JET_errInvalidName)
      if (s.inst.cursorCount >= numParam(s.inst, paramMaxCursors)) return fail(E.JET_errOutOfCursors)
      const view = readView(s, a.db)
      if (view.names.has(nameKey(tc.szTableName))) return fail(E.JET_errTableDuplicate)
      const tv = newTable(tc.szTableName)
      const columnErrs: Array<number> = []
      const columnids: Array<JET_COLUMNID> = []
      let created = 1
      for (const cc of tc.rgcolumncreate as ReadonlyArray<JetColumnCreate>) {
        if (cc.pvDefault != null && (cc.cbDefault ?? 0) > cc.pvDefault.byteLength) {
          return fail(E.JET_errInvalidParameter, columnErrs, [], created)
        }
        const dflt = cc.pvDefault == null || (cc.cbDefault ?? 0) === 0
          ? null
          : copyBytes(cc.pvDefault, cc.cbDefault ?? 0)
        const id = addColumnTo(
          tv.schema,
          cc.szColumnName,
          { coltyp: cc.coltyp, cbMax: cc.cbMax ?? 0, grbit: cc.grbit ?? 0, cp: cc.cp ?? 0 },
          dflt
        )
        if (id < 0) {
          columnErrs.push(id)
          return fail(id, columnErrs, [], created)
        }
        columnErrs.push(0)
        columnids.push(JET_COLUMNID(id))
        created++
      }
      const indexErrs: Array<number> = []
      for (const ic of tc.rgindexcreate) {
        const r = addIndexTo(tv, ic, keyMostOf(s.inst))
        indexErrs.push(r)
        if (r < 0) return fail(r, columnErrs, indexErrs, created)
        created++
      }
      // The replayed creation must install the table as created, not as later changed.
      const pristine = cloneTableFresh(tv)
      const target = writeView(s, a.db)
      const install = (v: DbVersion): void => {
        if (v.names.has(nameKey(tv.name))) return
        v.tables.set(tv.shared.id, v === target ? tv : cloneTableFresh(pristine))
        v.names.set(nameKey(tv.name), tv.shared.id)
      }
      install(target)
      logOp(s, a.db, install)
      const c = newCursor(s, { dbid, db: a.db, tid: tv.shared.id, temp: undefined }, 0)
      return { err: 0, tableid: JET_TABLEID(c.id), cCreated: created, columnids, columnErrs, indexErrs }
    },

    JetDeleteTable(sesid, dbid, tableName) {
      const s = getSession(sesid)
      if (typeof s === "number") return err(s)
      const a = getDb(s, dbid)
      if (typeof a === "number") return err(a)
      if (s.level > 0 && s.readOnly) return err(E.JET_errTransReadOnly)
      const t = findTable(readView(s, a.db), tableName)
      if (t === undefined) return err(E.JET_errObjectNotFound)
      for (const c of cursors.values()) {
        if (c.db === a.db && c.tid === t.shared.id) return err(E.JET_errTableInUse)
      }
      const id = t.shared.id
      const drop = (v: DbVersion): void => {
        const x = v.tables.get(id)
        if (x === undefined) return
        v.tables.delete(id)
        v.names.delete(nameKey(x.name))
      }
      drop(writeView(s, a.db))
      logOp(s, a.db, drop)
      return err(0)
    },

    JetRenameTable(sesid, dbid, name, newName) {
      const s = getSession(sesid)
      if (typeof s === "number") return err(s)
      const a = getDb(s, dbid)
      if (typeof a === "number") return err(a)
      if (s.level > 0 && s.readOnly) return err(E.JET_errTransReadOnly)
      if (!validName(newName)) return err(E.JET_errInvalidName)
      const view = readView(s, a.db)
      const t = findTable(view, name)
      if (t === undefined) return err(E.JET_errObjectNotFound)
      const other = view.names.get(nameKey(newName))
      if (other !== undefined && other !== t.shared.id) return err(E.JET_errTableDuplicate)
      const id = t.shared.id
      const rename = (v: DbVersion): void => {
        const x = v.tables.get(id)
        if (x === undefined) return
        v.names.delete(nameKey(x.name))
        x.name = newName
        v.names.set(nameKey(newName), id)
      }
      rename(writeView(s, a.db))
      logOp(s, a.db, rename)
      return err(0)
    },

    JetAddColumn(sesid, tableid, columnName, columndef, pvDefault, cbDefault) {
      const fail = (e: number) => ({ err: e, columnid: JET_COLUMNID(0) })
      if (pvDefault !== null && cbDefault > pvDefault.byteLength) return fail(E.JET_errInvalidParameter)
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return fail(c)
      const dflt = pvDefault === null || cbDefault === 0 ? null : copyBytes(pvDefault, cbDefault)
      let id = 0
      const r = ddlOnTable(c, (t) => {
        const x = addColumnTo(
          t.schema,
          columnName,
          {
            coltyp: columndef.coltyp,
            cbMax: columndef.cbMax ?? 0,
            grbit: columndef.grbit ?? 0,
            cp: columndef.cp ?? 0
          },
          dflt
        )
        if (x >= 0) id = x
        return x < 0 ? x : 0
      })
      return { err: r, columnid: JET_COLUMNID(r < 0 ? 0 : id) }
    },

    JetDeleteColumn2(sesid, tableid, columnName, _grbit) {
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return err(c)
      return err(ddlOnTable(c, (t) => {
        const col = t.schema.byName.get(nameKey(columnName))
        if (col === undefined) return E.JET_errColumnNotFound
        for (const idx of t.schema.indexes.values()) {
          if (idx.segments.some((x) => x.columnId === col.id)) return E.JET_errColumnInUse
        }
        t.schema.columns.delete(col.id)
        t.schema.byName.delete(nameKey(columnName))
        return 0
      }))
    },

    JetRenameColumn(sesid, tableid, name, newName, _grbit) {
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return err(c)
      return err(ddlOnTable(c, (t) => {
        const col = t.schema.byName.get(nameKey(name))
        if (col === undefined) return E.JET_errColumnNotFound
        if (!validName(newName)) return E.JET_errInvalidName
        const other = t.schema.byName.get(nameKey(newName))
        if (other !== undefined && other !== col) return E.JET_errColumnDuplicate
        t.schema.byName.delete(nameKey(name))
        col.name = newName
        t.schema.byName.set(nameKey(newName), col)
        return 0
      }))
    },

    JetSetColumnDefaultValue(sesid, dbid, tableName, columnName, pvData, cbData, _grbit) {
      if (pvData !== null && cbData > pvData.byteLength) return err(E.JET_errInvalidParameter)
      const found = namedTable(sesid, dbid, tableName)
      if (typeof found === "number") return err(found)
      const { s, a, t } = found
      const c = newCursor(s, { dbid, db: a.db, tid: t.shared.id, temp: undefined }, 0)
      const value = pvData === null || cbData === 0 ? null : copyBytes(pvData, cbData)
      const r = ddlOnTable(c, (x) => {
        const col = x.schema.byName.get(nameKey(columnName))
        if (col === undefined) return E.JET_errColumnNotFound
        col.defaultValue = value
        return 0
      })
      closeCursor(c)
      return err(r)
    },

    JetCreateIndex2(sesid, tableid, indexcreate) {
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return { err: c, indexErrs: indexcreate.map(() => 0) }
      const indexErrs: Array<number> = indexcreate.map(() => 0)
      for (let i = 0; i < indexcreate.length; i++) {
        const ic = indexcreate[i] as JetIndexCreate
        const r = ddlOnTable(c, (t) => addIndexTo(t, ic, keyMostOf(c.s.inst)))
        indexErrs[i] = r
        if (r < 0) return { err: r, indexErrs }
      }
      return { err: 0, indexErrs }
    },

    JetDeleteIndex(sesid, tableid, indexName) {
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return err(c)
      const t0 = readTable(c)
      if (t0 === undefined) return err(E.JET_errObjectNotFound)
      const idx = t0.schema.indexes.get(nameKey(indexName))
      if (idx === undefined) return err(E.JET_errIndexNotFound)
      if (idx.primary) return err(E.JET_errIndexMustStay)
      for (const x of cursors.values()) {
        if (
          x !== c && x.db === c.db && x.tid === c.tid && x.indexName !== undefined
          && nameKey(x.indexName) === nameKey(indexName)
        ) {
          return err(E.JET_errIndexInUse)
        }
      }
      const r = ddlOnTable(c, (t) => {
        if (!t.schema.indexes.delete(nameKey(indexName))) return E.JET_errIndexNotFound
        t.secondaries.delete(nameKey(indexName))
        return 0
      })
      if (r === 0 && c.indexName !== undefined && nameKey(c.indexName) === nameKey(indexName)) {
        c.indexName = undefined
        c.state = 0
      }
      return err(r)
    },

    // Schema information

    JetGetTableInfo(sesid, tableid, pvResult, cbMax, infoLevel) {
      if (cbMax > pvResult.byteLength) return err(E.JET_errInvalidParameter)
      const found = cursorTable(sesid, tableid)
      if (typeof found === "number") return err(found)
      const { c, t } = found
      const view = new DataView(pvResult.buffer, pvResult.byteOffset, pvResult.byteLength)
      switch (infoLevel) {
        case 0:
          return err(writeObjectInfo(t, pvResult, cbMax))
        case 1:
        case 12:
          return err(writeString(pvResult, cbMax, infoLevel === 1 ? t.name : ""))
        case 2:
          if (cbMax < 4) return err(E.JET_errBufferTooSmall)
          view.setUint32(0, c.dbid, true)
          return err(0)
        case 7:
        case 9:
        case 10:
        case 11: {
          const n = infoLevel === 7 ? 3 : 2
          if (cbMax < 4 * (infoLevel === 9 ? 2 : 1)) return err(E.JET_errBufferTooSmall)
          if (infoLevel === 9) {
            view.setUint32(0, 1, true)
            view.setUint32(4, 100, true)
          } else if (infoLevel === 7) {
            for (let i = 0; i < Math.min(n, cbMax / 4); i++) view.setUint32(i * 4, i === 0 ? 1 : 0, true)
          } else view.setUint32(0, infoLevel === 10 ? 1 : 0, true)
          return err(0)
        }
        default:
          return err(E.JET_errInvalidParameter)
      }
    },

    JetGetTableColumnInfo(sesid, tableid, column, pvResult, cbMax, infoLevel) {
      if (cbMax > pvResult.byteLength) return err(E.JET_errInvalidParameter)
      const found = cursorTable(sesid, tableid)
      if (typeof found === "number") return err(found)
      const { c, t } = found
      return err(writeColumnInfo(t, column, pvResult, cbMax, infoLevel, c.s))
    },

    JetGetColumnInfo(sesid, dbid, tableName, column, pvResult, cbMax, infoLevel) {
      if (cbMax > pvResult.byteLength) return err(E.JET_errInvalidParameter)
      const found = namedTable(sesid, dbid, tableName)
      if (typeof found === "number") return err(found)
      const { s, t } = found
      return err(writeColumnInfo(t, column, pvResult, cbMax, infoLevel, s))
    },

    JetGetTableIndexInfo(sesid, tableid, indexName, pvResult, cbResult, infoLevel) {
      if (cbResult > pvResult.byteLength) return err(E.JET_errInvalidParameter)
      const found = cursorTable(sesid, tableid)
      if (typeof found === "number") return err(found)
      const { c, t } = found
      return err(writeIndexInfo(t, indexName, pvResult, cbResult, infoLevel, c.s))
    },

    JetGetIndexInfo(sesid, dbid, tableName, indexName, pvResult, cbResult, infoLevel) {
      if (cbResult > pvResult.byteLength) return err(E.JET_errInvalidParameter)
      const found = namedTable(sesid, dbid, tableName)
      if (typeof found === "number") return err(found)
      const { s, t } = found
      return err(writeIndexInfo(t, indexName, pvResult, cbResult, infoLevel, s))
    },

    JetGetObjectInfo(sesid, dbid, objtyp, _containerName, objectName, pvResult, cbMax, infoLevel) {
      if (cbMax > pvResult.byteLength) return err(E.JET_errInvalidParameter)
      const s = getSession(sesid)
      if (typeof s === "number") return err(s)
      const a = getDb(s, dbid)
      if (typeof a === "number") return err(a)
      if (infoLevel !== 0 && infoLevel !== 5 && infoLevel !== 1 && infoLevel !== 2) {
        return err(E.JET_errInvalidParameter)
      }
      if (objtyp !== 1 && objtyp !== 0) return err(E.JET_errInvalidParameter)
      if (infoLevel === 1 || infoLevel === 2) {
        return err(writeObjectList(readView(s, a.db), infoLevel === 2, pvResult, cbMax, s))
      }
      if (objectName === null) return err(E.JET_errInvalidParameter)
      const t = findTable(readView(s, a.db), objectName)
      if (t === undefined) return err(E.JET_errObjectNotFound)
      return err(writeObjectInfo(t, pvResult, cbMax))
    },

    // Cursors

    JetOpenTable(sesid, dbid, tableName, grbit) {
      const fail = (e: number) => ({ err: e, tableid: JET_TABLEID(0n) })
      const s = getSession(sesid)
      if (typeof s === "number") return fail(s)
      const a = getDb(s, dbid)
      if (typeof a === "number") return fail(a)
      const t = findTable(readView(s, a.db), tableName)
      if (t === undefined) return fail(E.JET_errObjectNotFound)
      for (const x of cursors.values()) {
        if (x.db !== a.db || x.tid !== t.shared.id || x.s === s) continue
        if ((x.grbit & bitTableDenyRead) !== 0) return fail(E.JET_errTableLocked)
        if ((grbit & bitTableDenyRead) !== 0) return fail(E.JET_errTableInUse)
        if ((x.grbit & bitTableDenyWrite) !== 0 && (grbit & bitTableReadOnly) === 0) {
          return fail(E.JET_errTableLocked)
        }
        if ((grbit & bitTableDenyWrite) !== 0 && !x.readOnly) return fail(E.JET_errTableInUse)
      }
      if (s.inst.cursorCount >= numParam(s.inst, paramMaxCursors)) return fail(E.JET_errOutOfCursors)
      const c = newCursor(s, { dbid, db: a.db, tid: t.shared.id, temp: undefined }, grbit)
      return { err: 0, tableid: JET_TABLEID(c.id) }
    },

    JetCloseTable(sesid, tableid) {
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return err(c)
      closeCursor(c)
      return err(0)
    },

    JetDupCursor(sesid, tableid, _grbit) {
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return { err: c, tableid: JET_TABLEID(0n) }
      if (c.s.inst.cursorCount >= numParam(c.s.inst, paramMaxCursors)) {
        return { err: E.JET_errOutOfCursors, tableid: JET_TABLEID(0n) }
      }
      const d = newCursor(c.s, { dbid: c.dbid, db: c.db, tid: c.tid, temp: c.temp }, c.grbit)
      return { err: 0, tableid: JET_TABLEID(d.id) }
    },

    JetOpenTempTable3(sesid, columndefs, _idxunicode, grbit) {
      return openTemp(sesid, columndefs, grbit)
    },

    JetOpenTemporaryTable(sesid, ott) {
      return openTemp(sesid, ott.prgcolumndef, ott.grbit ?? 0)
    },

    JetMove(sesid, tableid, cRow, grbit) {
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return err(c)
      if ((grbit & ~bitMoveKeyNE) !== 0) return err(E.JET_errInvalidGrbit)
      const t = readTable(c)
      if (t === undefined) return err(E.JET_errObjectNotFound)
      c.prep = undefined
      return err(move(c, t, cRow, grbit))
    },

    JetMakeKey(sesid, tableid, pvData, cbData, grbit) {
      if (pvData !== null && cbData > pvData.byteLength) return err(E.JET_errInvalidParameter)
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return err(c)
      const lim = grbit & limitBits
      const fullPartial = lim & (bitFullColumnStartLimit | bitFullColumnEndLimit | bitPartialColumnStartLimit
        | bitPartialColumnEndLimit)
      const strBits = lim & (bitStrLimit | bitSubStrLimit)
      if ((fullPartial & (fullPartial - 1)) !== 0) return err(E.JET_errInvalidGrbit)
      if (fullPartial !== 0 && strBits !== 0) return err(E.JET_errInvalidGrbit)
      const fresh = (grbit & bitNewKey) !== 0
      if (!fresh && c.search === undefined) return err(E.JET_errKeyNotMade)
      const t = readTable(c)
      if (t === undefined) return err(E.JET_errObjectNotFound)
      if ((grbit & bitNormalizedKey) !== 0) {
        c.search = { key: copyBytes(pvData, cbData), count: Infinity, limit: false }
        return err(0)
      }
      const prev = fresh ? undefined : c.search
      if (prev !== undefined && prev.limit) return err(E.JET_errKeyIsMade)
      const idx = cursorIndex(c, t)
      if (idx === undefined) return err(E.JET_errNoCurrentIndex)
      const count = prev?.count ?? 0
      if (count >= idx.segments.length) return err(E.JET_errKeyIsMade)
      const spec = indexSpecs(t.schema, idx)[count] as SegmentSpec
      const data = pvData === null ? null : pvData.subarray(0, cbData)
      const r = appendKeySegment(prev?.key ?? empty, spec, data, grbit, idx.cbKeyMost)
      if (typeof r === "number") return err(r)
      c.search = { key: r.key, count: count + 1, limit: r.limit }
      return err(0)
    },

    JetSeek(sesid, tableid, grbit) {
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return err(c)
      const kind = grbit & 0x1f
      if (kind === 0 || (kind & (kind - 1)) !== 0) return err(E.JET_errInvalidParameter)
      if ((grbit & bitSetIndexRange) !== 0 && kind !== bitSeekEQ) return err(E.JET_errInvalidGrbit)
      if ((grbit & ~(0x1f | bitSetIndexRange | bitCheckUniqueness)) !== 0) return err(E.JET_errInvalidGrbit)
      if (c.search === undefined) return err(E.JET_errKeyNotMade)
      const t = readTable(c)
      if (t === undefined) return err(E.JET_errObjectNotFound)
      const key = searchKeyBytes(c, t)
      c.search = undefined
      c.prep = undefined
      c.range = undefined
      const tree = cursorTree(c, t)
      let p: TreePos | undefined
      let warn = 0
      switch (kind) {
        case bitSeekEQ:
          p = tree.seek(key, null, -1)
          if (p === undefined || !tree.keyAt(p).startsWith(key)) {
            setBetween(c, tree, p, true)
            return err(E.JET_errRecordNotFound)
          }
          break
        case bitSeekGE:
          p = tree.seek(key, null, -1)
          if (p !== undefined && !tree.keyAt(p).startsWith(key)) warn = E.JET_wrnSeekNotEqual
          break
        case bitSeekGT:
          p = tree.seek(key, null, 1)
          break
        case bitSeekLE:
          // An equal entry wins, the first of its duplicates as for EQ; else the last one before.
          p = tree.seek(key, null, -1)
          if (p === undefined || !tree.keyAt(p).startsWith(key)) {
            p = tree.seekBefore(key, null, 1)
            if (p !== undefined) warn = E.JET_wrnSeekNotEqual
          }
          break
        default:
          p = tree.seekBefore(key, null, -1)
      }
      if (p === undefined) {
        c.state = kind === bitSeekLT || kind === bitSeekLE ? 0 : 2
        c.hintTree = undefined
        return err(E.JET_errRecordNotFound)
      }
      setOn(c, tree, p)
      if ((grbit & bitSetIndexRange) !== 0) c.range = { key, inclusive: true, upper: true }
      if ((grbit & bitCheckUniqueness) !== 0 && kind === bitSeekEQ) {
        const n = tree.next(p)
        if (n === undefined || !tree.keyAt(n).startsWith(key)) return err(E.JET_wrnUniqueKey)
      }
      return err(warn)
    },

    JetSetIndexRange(sesid, tableid, grbit) {
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return err(c)
      if ((grbit & ~0xf) !== 0) return err(E.JET_errInvalidGrbit)
      if ((grbit & bitRangeRemove) !== 0) {
        if (c.range === undefined) return err(E.JET_errInvalidOperation)
        c.range = undefined
        return err(0)
      }
      if (c.search === undefined) return err(E.JET_errKeyNotMade)
      const t = readTable(c)
      if (t === undefined) return err(E.JET_errObjectNotFound)
      const key = searchKeyBytes(c, t)
      c.search = undefined
      const tree = cursorTree(c, t)
      if (currentPos(c, tree) === undefined) return err(E.JET_errNoCurrentRecord)
      const range: Range = {
        key,
        inclusive: (grbit & bitRangeInclusive) !== 0,
        upper: (grbit & bitRangeUpperLimit) !== 0
      }
      const saved = c.range
      c.range = range
      const inside = inRange(c, c.key)
      if (!inside) {
        // As when a move leaves a range: no range, and the cursor past the limit's end.
        c.range = undefined
        c.state = range.upper ? 2 : 0
        c.hintTree = undefined
        return err(E.JET_errNoCurrentRecord)
      }
      if ((grbit & bitRangeInstantDuration) !== 0) c.range = saved
      return err(0)
    },

    JetSetCurrentIndex4(sesid, tableid, indexName, grbit, itagSequence) {
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return err(c)
      if ((grbit & ~bitNoMove) !== 0) return err(E.JET_errInvalidGrbit)
      const t = readTable(c)
      if (t === undefined) return err(E.JET_errObjectNotFound)
      let newName: string | undefined
      if (indexName !== null && indexName !== "") {
        const idx = t.schema.indexes.get(nameKey(indexName))
        if (idx === undefined) return err(E.JET_errIndexNotFound)
        newName = idx.primary ? undefined : idx.name
      }
      const same = (newName === undefined && c.indexName === undefined)
        || (newName !== undefined && c.indexName !== undefined && nameKey(newName) === nameKey(c.indexName))
      if (same) return err(0)
      const rec = (grbit & bitNoMove) !== 0 ? currentRecord(c, t) : undefined
      const bm = c.bm
      c.indexName = newName
      c.indexLevel = newName === undefined ? 0 : c.s.level
      c.range = undefined
      c.search = undefined
      c.hintTree = undefined
      if (rec !== undefined) {
        if (typeof rec === "number") {
          c.state = 0
          return err(rec)
        }
        return err(positionOnRecord(c, t, bm, rec, itagSequence === 0 ? 1 : itagSequence))
      }
      // ESE's ErrIsamSetCurrentIndex defers the move to the new index's first entry.
      c.state = 4
      return err(0)
    },

    JetGetCurrentIndex(sesid, tableid, szIndexName, cbIndexName) {
      if (cbIndexName > szIndexName.byteLength) return err(E.JET_errInvalidParameter)
      const found = cursorTable(sesid, tableid)
      if (typeof found === "number") return err(found)
      const { c, t } = found
      const name = c.indexName ?? t.schema.primary?.name ?? ""
      const bytes = utf16z(name)
      // The size is in bytes (the Windows SDK's cbIndexName); only whole UTF-16 units are written.
      const room = cbIndexName & ~1
      if (bytes.length > room) {
        copyOut(szIndexName, room, bytes)
        if (room >= 2) {
          szIndexName[room - 1] = 0
          szIndexName[room - 2] = 0
        }
        return err(E.JET_wrnBufferTruncated)
      }
      szIndexName.set(bytes, 0)
      return err(0)
    },

    JetGetBookmark(sesid, tableid, pvBookmark, cbMax) {
      if (pvBookmark !== null && cbMax > pvBookmark.byteLength) {
        return { err: E.JET_errInvalidParameter, cbActual: 0 }
      }
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return { err: c, cbActual: 0 }
      const t = readTable(c)
      if (t === undefined) return { err: E.JET_errObjectNotFound, cbActual: 0 }
      const rec = currentRecord(c, t)
      if (typeof rec === "number") return { err: rec, cbActual: 0 }
      copyOut(pvBookmark, cbMax, fromKey(c.bm))
      return { err: cbMax < c.bm.length ? E.JET_errBufferTooSmall : 0, cbActual: c.bm.length }
    },

    JetGotoBookmark(sesid, tableid, pvBookmark, cbBookmark) {
      if (cbBookmark > pvBookmark.byteLength) return err(E.JET_errInvalidParameter)
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return err(c)
      if (cbBookmark === 0) return err(E.JET_errInvalidBookmark)
      const t = readTable(c)
      if (t === undefined) return err(E.JET_errObjectNotFound)
      const bm = toKey(pvBookmark.subarray(0, cbBookmark))
      c.prep = undefined
      c.range = undefined
      c.search = undefined
      const rec = getRecord(t, bm)
      if (rec === undefined) return err(E.JET_errRecordDeleted)
      return err(positionOnRecord(c, t, bm, rec, 1))
    },

    JetGetRecordPosition(sesid, tableid) {
      const zero = { centriesLT: 0, centriesInRange: 0, centriesTotal: 0 }
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return { err: c, recpos: zero }
      const t = readTable(c)
      if (t === undefined) return { err: E.JET_errObjectNotFound, recpos: zero }
      const tree = cursorTree(c, t)
      const p = currentPos(c, tree)
      if (p === undefined) return { err: E.JET_errNoCurrentRecord, recpos: zero }
      return { err: 0, recpos: { centriesLT: tree.ordinal(p), centriesInRange: 1, centriesTotal: tree.size } }
    },

    JetGotoPosition(sesid, tableid, recpos) {
      const found = cursorTable(sesid, tableid)
      if (typeof found === "number") return err(found)
      const { c, t } = found
      if (recpos.centriesTotal === 0 || recpos.centriesLT > recpos.centriesTotal) {
        return err(E.JET_errInvalidParameter)
      }
      const tree = cursorTree(c, t)
      c.prep = undefined
      c.range = undefined
      if (tree.size === 0) {
        c.state = 0
        return err(E.JET_errNoCurrentRecord)
      }
      const ord = Math.min(tree.size - 1, Math.floor((recpos.centriesLT * tree.size) / recpos.centriesTotal))
      const p = tree.at(ord)
      if (p === undefined) return err(E.JET_errNoCurrentRecord)
      setOn(c, tree, p)
      return err(0)
    },

    JetIndexRecordCount(sesid, tableid, crecMax) {
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return { err: c, count: 0 }
      const t = readTable(c)
      if (t === undefined) return { err: E.JET_errObjectNotFound, count: 0 }
      const tree = cursorTree(c, t)
      let p = currentPos(c, tree)
      if (p === undefined) return { err: E.JET_errNoCurrentRecord, count: 0 }
      let n = 0
      const limit = crecMax === 0 ? Infinity : crecMax
      while (p !== undefined && n < limit && inRange(c, tree.keyAt(p))) {
        n++
        p = tree.next(p)
      }
      return { err: 0, count: n }
    },

    JetRetrieveKey(sesid, tableid, pvData, cbMax, grbit) {
      if (pvData !== null && cbMax > pvData.byteLength) return { err: E.JET_errInvalidParameter, cbActual: 0 }
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return { err: c, cbActual: 0 }
      const t = readTable(c)
      if (t === undefined) return { err: E.JET_errObjectNotFound, cbActual: 0 }
      let key: Uint8Array
      if ((grbit & bitRetrieveCopy) !== 0) {
        if (c.search === undefined) return { err: E.JET_errKeyNotMade, cbActual: 0 }
        key = c.search.key
      } else {
        if (currentPos(c, cursorTree(c, t)) === undefined) {
          return { err: E.JET_errNoCurrentRecord, cbActual: 0 }
        }
        key = fromKey(c.key)
      }
      copyOut(pvData, cbMax, key)
      return { err: cbMax < key.length ? E.JET_wrnBufferTruncated : 0, cbActual: key.length }
    },

    JetGetLock(sesid, tableid, grbit) {
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return err(c)
      if (grbit !== 1 && grbit !== 2) return err(E.JET_errInvalidGrbit)
      const t = readTable(c)
      if (t === undefined) return err(E.JET_errObjectNotFound)
      const rec = currentRecord(c, t)
      if (typeof rec === "number") return err(rec)
      if (c.s.level === 0) return err(E.JET_errNotInTransaction)
      if (grbit === 2) {
        if (c.s.readOnly) return err(E.JET_errTransReadOnly)
        return err(lockRecord(c, c.bm))
      }
      return err(readLock(c, c.bm))
    },

    // Updates

    JetPrepareUpdate(sesid, tableid, prep) {
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return err(c)
      if (prep === prepCancel) {
        if (c.prep === undefined) return err(E.JET_errUpdateNotPrepared)
        c.prep = undefined
        return err(0)
      }
      if (!validPreps.has(prep)) return err(E.JET_errInvalidParameter)
      if (c.prep !== undefined) return err(E.JET_errAlreadyPrepared)
      const w = checkWritable(c)
      if (w !== 0) return err(w)
      const t = readTable(c)
      if (t === undefined) return err(E.JET_errObjectNotFound)
      const schema = t.schema
      let values: Map<number, Array<Uint8Array>>
      let bm: string | undefined
      let orig: Rec | undefined
      const assignAutoinc = (): void => {
        for (const col of schema.columns.values()) {
          if ((col.grbit & bitColumnAutoincrement) === 0) continue
          const n = BigInt(++t.shared.autoinc)
          values.set(col.id, [leBytes(n, col.coltyp === coltypCurrency ? 8 : 4)])
        }
      }
      const initVersion = (): void => {
        for (const col of schema.columns.values()) {
          if ((col.grbit & bitColumnVersion) !== 0) values.set(col.id, [leBytes(0n, 4)])
        }
      }
      if (prep === prepInsert || prep === prepInsertMustSetAutoIncrement) {
        values = new Map()
        if (prep === prepInsert) assignAutoinc()
        initVersion()
      } else {
        const rec = currentRecord(c, t)
        if (typeof rec === "number") return err(rec)
        values = new Map()
        for (const [k, v] of rec.values) values.set(k, v.slice())
        orig = rec
        if (prep === prepReplace || prep === prepReplaceNoLock || prep === prepInsertCopyReplaceOriginal) {
          bm = c.bm
          if (prep === prepReplace && c.s.level > 0) {
            const e = lockRecord(c, bm)
            if (e !== 0) return err(e)
          }
        } else if (prep === prepInsertCopyDeleteOriginal) {
          bm = c.bm
          if (c.s.level > 0) {
            const e = lockRecord(c, bm)
            if (e !== 0) return err(e)
          }
          // The copy is a new record: a new autoincrement value, as for JET_prepInsertCopy.
          assignAutoinc()
          initVersion()
        } else {
          assignAutoinc()
          initVersion()
        }
      }
      c.prep = { mode: prep, values, bm, orig, level: c.s.level }
      return err(0)
    },

    JetSetColumn(sesid, tableid, columnid, pvData, cbData, grbit, setinfo) {
      if (pvData !== null && cbData > pvData.byteLength) return err(E.JET_errInvalidParameter)
      const found = cursorTable(sesid, tableid)
      if (typeof found === "number") return err(found)
      const { c, t } = found
      return err(
        // Without a JET_SETINFO the value goes to itag 1 (replacing the first value), not appended.
        setOne(c, t, columnid, pvData, cbData, grbit, setinfo?.ibLongValue ?? 0, setinfo?.itagSequence ?? 1)
      )
    },

    JetSetColumns(sesid, tableid, setcolumns) {
      for (const sc of setcolumns) {
        if (sc.pvData !== null && sc.cbData > sc.pvData.byteLength) {
          return { err: E.JET_errInvalidParameter, errs: setcolumns.map(() => 0) }
        }
      }
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return { err: c, errs: setcolumns.map(() => 0) }
      const t = readTable(c)
      if (t === undefined) return { err: E.JET_errObjectNotFound, errs: setcolumns.map(() => 0) }
      const errs: Array<number> = setcolumns.map(() => 0)
      for (let i = 0; i < setcolumns.length; i++) {
        const sc = setcolumns[i] as (typeof setcolumns)[number]
        const e = setOne(
          c,
          t,
          sc.columnid,
          sc.pvData,
          sc.cbData,
          sc.grbit ?? 0,
          sc.ibLongValue ?? 0,
          sc.itagSequence ?? 0
        )
        errs[i] = e
        if (e < 0) return { err: e, errs }
      }
      return { err: 0, errs }
    },

    JetRetrieveColumn(sesid, tableid, columnid, pvData, cbData, grbit, retinfo) {
      if (pvData !== null && cbData > pvData.byteLength) {
        return { err: E.JET_errInvalidParameter, cbActual: 0, columnidNextTagged: JET_COLUMNID(0) }
      }
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return { err: c, cbActual: 0, columnidNextTagged: JET_COLUMNID(0) }
      const t = readTable(c)
      if (t === undefined) {
        return { err: E.JET_errObjectNotFound, cbActual: 0, columnidNextTagged: JET_COLUMNID(0) }
      }
      return retrieveOne(
        c,
        t,
        columnid,
        pvData,
        cbData,
        grbit,
        retinfo?.ibLongValue ?? 0,
        retinfo?.itagSequence ?? 1
      )
    },

    JetRetrieveColumns(sesid, tableid, retrievecolumns) {
      const blank = (): Array<JetRetrieveColumnResult> =>
        retrievecolumns.map(() => ({ err: 0, cbActual: 0, columnidNextTagged: JET_COLUMNID(0) }))
      for (const rc of retrievecolumns) {
        if (rc.pvData !== null && rc.cbData > rc.pvData.byteLength) {
          return { err: E.JET_errInvalidParameter, columns: blank() }
        }
      }
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return { err: c, columns: blank() }
      const t = readTable(c)
      if (t === undefined) return { err: E.JET_errObjectNotFound, columns: blank() }
      const columns = blank()
      let warn = 0
      for (let i = 0; i < retrievecolumns.length; i++) {
        const rc = retrievecolumns[i] as (typeof retrievecolumns)[number]
        const r = retrieveOne(
          c,
          t,
          rc.columnid,
          rc.pvData,
          rc.cbData,
          rc.grbit ?? 0,
          rc.ibLongValue ?? 0,
          rc.itagSequence ?? 1
        )
        columns[i] = r
        if (r.err < 0) return { err: r.err, columns }
        if (r.err > 0 && warn === 0) warn = r.err
      }
      return { err: warn, columns }
    },

    JetEnumerateColumns(sesid, tableid, columnids, cbDataMost, grbit) {
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return { err: c, columns: [] }
      const t = readTable(c)
      if (t === undefined) return { err: E.JET_errObjectNotFound, columns: [] }
      const values = valuesOf(c, t, (grbit & bitEnumerateCopy) !== 0)
      if (typeof values === "number") return { err: values, columns: [] }
      const ignoreDefault = (grbit & bitEnumerateIgnoreDefault) !== 0
      const presence = (grbit & bitEnumeratePresenceOnly) !== 0
      const valueOf = (col: ColumnDef): Array<Uint8Array> | undefined =>
        ignoreDefault ? values.get(col.id) : effectiveValues(col, values)
      const out = (v: Uint8Array, itag: number): JetEnumColumnValue => {
        if (presence) return { itagSequence: itag, err: E.JET_wrnColumnPresent, data: empty }
        const truncated = cbDataMost > 0 && v.length > cbDataMost
        return {
          itagSequence: itag,
          err: truncated ? E.JET_wrnColumnTruncated : 0,
          data: truncated ? v.slice(0, cbDataMost) : v.slice()
        }
      }
      const columns: Array<JetEnumColumn> = []
      if (columnids === null || columnids.length === 0) {
        const cols = [...t.schema.columns.values()].sort((a, b) => a.id - b.id)
        for (const col of cols) {
          if ((grbit & bitEnumerateTaggedOnly) !== 0 && col.id < 256) continue
          const vs = valueOf(col)
          if (vs === undefined || vs.length === 0) continue
          columns.push({ columnid: JET_COLUMNID(col.id), err: 0, values: vs.map((v, i) => out(v, i + 1)) })
        }
        return { err: 0, columns }
      }
      for (const ec of columnids) {
        const col = t.schema.columns.get(ec.columnid)
        if (col === undefined) {
          columns.push({ columnid: ec.columnid, err: E.JET_errColumnNotFound, values: [] })
          continue
        }
        const vs = valueOf(col) ?? []
        if (ec.rgtagSequence === undefined || ec.rgtagSequence.length === 0) {
          columns.push({
            columnid: ec.columnid,
            err: vs.length === 0 ? E.JET_wrnColumnNull : 0,
            values: vs.map((v, i) => out(v, i + 1))
          })
        } else {
          columns.push({
            columnid: ec.columnid,
            err: 0,
            values: ec.rgtagSequence.map((itag) => {
              const v = vs[itag - 1]
              return v === undefined
                ? { itagSequence: itag, err: E.JET_wrnColumnNull, data: empty }
                : out(v, itag)
            })
          })
        }
      }
      return { err: 0, columns }
    },

    JetUpdate(sesid, tableid, pvBookmark, cbBookmark) {
      if (pvBookmark !== null && cbBookmark > pvBookmark.byteLength) {
        return { err: E.JET_errInvalidParameter, cbActual: 0 }
      }
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return { err: c, cbActual: 0 }
      const prep = c.prep
      if (prep === undefined) return { err: E.JET_errUpdateNotPrepared, cbActual: 0 }
      const s = c.s
      if (s.level > 0 && s.readOnly) return { err: E.JET_errTransReadOnly, cbActual: 0 }
      const t0 = readTable(c)
      if (t0 === undefined) return { err: E.JET_errObjectNotFound, cbActual: 0 }
      const schema = t0.schema
      const fail = (e: number) => ({ err: e, cbActual: 0 })
      const values = prep.values
      for (const col of schema.columns.values()) {
        if ((col.grbit & bitColumnNotNULL) === 0) continue
        const v = values.get(col.id)
        if ((v === undefined || v.length === 0) && col.defaultValue === null) {
          return fail(E.JET_errNullInvalid)
        }
      }
      const replacing = prep.mode === prepReplace || prep.mode === prepReplaceNoLock
        || prep.mode === prepInsertCopyReplaceOriginal
      if (replacing) {
        for (const col of schema.columns.values()) {
          if ((col.grbit & bitColumnVersion) === 0) continue
          const old = values.get(col.id)?.[0]
          const n = old === undefined ? 0n : readLe(old)
          values.set(col.id, [leBytes(n + 1n, 4)])
        }
      }
      const temp = c.temp
      let bm: string
      if (schema.primary !== undefined) {
        const ks = recordKeys(schema, schema.primary, values)
        if (typeof ks === "number") return fail(ks)
        const pk = ks[0] ?? ""
        if (replacing) {
          const orig = prep.bm as string
          if (primaryKeyOf(t0, orig) !== pk) return fail(E.JET_errRecordPrimaryChanged)
          bm = orig
        } else if (t0.shared.dbk < 0 && temp !== undefined) {
          bm = pk + toKey(beUint32(++temp.seq))
        } else {
          bm = pk
          // InsertCopyDeleteOriginal deletes the original first: its own key is no duplicate.
          const ownOriginal = prep.mode === prepInsertCopyDeleteOriginal && prep.bm === bm
          if (!ownOriginal && getRecord(t0, bm) !== undefined) {
            if (temp !== undefined && temp.unique && !temp.errorOnDuplicate) {
              c.prep = undefined
              return { err: 0, cbActual: 0 }
            }
            return fail(E.JET_errKeyDuplicate)
          }
        }
      } else if (replacing) bm = prep.bm as string
      else bm = toKey(beUint32(t0.shared.dbk + 1))
      const newKeys = t0.secondaries.size === 0 ? undefined : new Map<string, Array<string>>()
      for (const [name, idx] of schema.indexes) {
        if (idx.primary) continue
        const ks = recordKeys(schema, idx, values)
        if (typeof ks === "number") return fail(ks)
        if ((idx.grbit & bitIndexUnique) !== 0) {
          const tree = t0.secondaries.get(name)
          if (tree !== undefined) {
            for (const k of ks) {
              const q = tree.seek(k, null, -1)
              const other = q === undefined ? undefined : tree.bmAt(q)
              if (
                q !== undefined && tree.keyAt(q) === k && other !== bm
                && !(prep.mode === prepInsertCopyDeleteOriginal && other === prep.bm)
              ) {
                return fail(E.JET_errKeyDuplicate)
              }
            }
          }
        }
        newKeys?.set(name, ks)
      }
      if (temp === undefined) {
        const v = checkVersions(s)
        if (v !== 0) return fail(v)
        if (replacing) {
          const cur = getRecord(t0, bm)
          if (cur !== prep.orig) {
            if (cur !== undefined && cur.writer === s.id) return fail(E.JET_errSessionWriteConflict)
            return fail(E.JET_errWriteConflict)
          }
        }
        const lk = lockRecord(c, bm)
        if (lk !== 0) return fail(lk)
        if (prep.mode === prepInsertCopyDeleteOriginal && prep.bm !== undefined) {
          const lk2 = lockRecord(c, prep.bm)
          if (lk2 !== 0) return fail(lk2)
        }
      }
      if (schema.primary === undefined && !replacing) t0.shared.dbk++
      const rec = new Rec(values, Infinity, s.id)
      const t = writeTable(c) as TableVersion
      const deleteOrig = prep.mode === prepInsertCopyDeleteOriginal ? prep.bm : undefined
      if (deleteOrig !== undefined && deleteOrig !== bm) putRecord(t, deleteOrig, undefined)
      putRecord(t, bm, rec, newKeys, !replacing && deleteOrig === undefined)
      if (temp === undefined) {
        stampWrite(s, rec)
        const tid = c.tid
        if (deleteOrig !== undefined && deleteOrig !== bm) {
          if (s.level > 0) {
            s.deletes.push({ map: t.shared.deleted, key: deleteOrig, level: s.level })
          } else t.shared.deleted.set(deleteOrig, clock)
        }
        logOp(s, c.db as Database, (target) => {
          const x = target.tables.get(tid)
          if (x === undefined) return
          if (deleteOrig !== undefined && deleteOrig !== bm) {
            putRecord(x, deleteOrig, undefined)
          }
          putRecord(x, bm, rec)
        })
      }
      c.prep = undefined
      if (deleteOrig !== undefined) c.state = 0
      if (pvBookmark !== null) copyOut(pvBookmark, cbBookmark, fromKey(bm))
      return {
        err: pvBookmark !== null && cbBookmark < bm.length ? E.JET_wrnBufferTruncated : 0,
        cbActual: bm.length
      }
    },

    JetDelete(sesid, tableid) {
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return err(c)
      const w = checkWritable(c)
      if (w !== 0) return err(w)
      const t0 = readTable(c)
      if (t0 === undefined) return err(E.JET_errObjectNotFound)
      const rec = currentRecord(c, t0)
      if (typeof rec === "number") return err(rec)
      const s = c.s
      const bm = c.bm
      if (c.temp === undefined) {
        const v = checkVersions(s)
        if (v !== 0) return err(v)
        const lk = lockRecord(c, bm)
        if (lk !== 0) return err(lk)
      }
      c.prep = undefined
      const t = writeTable(c) as TableVersion
      putRecord(t, bm, undefined)
      if (c.temp === undefined) {
        if (s.level > 0) {
          s.versions++
          s.deletes.push({ map: t.shared.deleted, key: bm, level: s.level })
        } else t.shared.deleted.set(bm, ++clock)
        const tid = c.tid
        logOp(s, c.db as Database, (target) => {
          const x = target.tables.get(tid)
          if (x !== undefined) putRecord(x, bm, undefined)
        })
      }
      c.hintTree = undefined
      return err(0)
    },

    JetEscrowUpdate(sesid, tableid, columnid, pv, cbMax, pvOld, cbOldMax, grbit) {
      if (cbMax > pv.byteLength || (pvOld !== null && cbOldMax > pvOld.byteLength)) {
        return { err: E.JET_errInvalidParameter, cbOldActual: 0 }
      }
      const c = getCursor(sesid, tableid)
      if (typeof c === "number") return { err: c, cbOldActual: 0 }
      if ((grbit & ~1) !== 0) return { err: E.JET_errInvalidGrbit, cbOldActual: 0 }
      const w = checkWritable(c)
      if (w !== 0) return { err: w, cbOldActual: 0 }
      const t0 = readTable(c)
      if (t0 === undefined) return { err: E.JET_errObjectNotFound, cbOldActual: 0 }
      const col = t0.schema.columns.get(columnid)
      if (col === undefined) return { err: E.JET_errColumnNotFound, cbOldActual: 0 }
      if ((col.grbit & bitColumnEscrowUpdate) === 0) return { err: E.JET_errInvalidOperation, cbOldActual: 0 }
      const size = fixedSize(col.coltyp)
      if (cbMax !== size) return { err: E.JET_errInvalidBufferSize, cbOldActual: 0 }
      if (c.prep !== undefined) return { err: E.JET_errAlreadyPrepared, cbOldActual: 0 }
      const rec = currentRecord(c, t0)
      if (typeof rec === "number") return { err: rec, cbOldActual: 0 }
      const s = c.s
      const v = checkVersions(s)
      if (v !== 0) return { err: v, cbOldActual: 0 }
      const delta = readLe(pv.subarray(0, size))
      const oldBytes = effectiveValues(col, rec.values)?.[0] ?? new Uint8Array(size)
      copyOut(pvOld, cbOldMax, oldBytes)
      const bm = c.bm
      const apply = (x: TableVersion, r: Rec): Rec => {
        const values = new Map(r.values)
        const old = effectiveValues(col, r.values)?.[0]
        values.set(col.id, [leBytes((old === undefined ? 0n : readLe(old)) + delta, size)])
        const nr = new Rec(values, r.commitTs, r.writer)
        putRecord(x, bm, nr)
        return nr
      }
      const t = writeTable(c) as TableVersion
      const nr = apply(t, rec)
      if (c.temp === undefined) {
        if (s.level === 0) nr.commitTs = ++clock
        else s.versions++
        const tid = c.tid
        logOp(s, c.db as Database, (target) => {
          const x = target.tables.get(tid)
          const r = x === undefined ? undefined : getRecord(x, bm)
          if (x !== undefined && r !== undefined) apply(x, r)
        })
      }
      return { err: 0, cbOldActual: size }
    },

    // Transactions

    JetBeginTransaction(sesid) {
      return api.JetBeginTransaction2(sesid, 0)
    },

    JetBeginTransaction2(sesid, grbit) {
      const s = getSession(sesid)
      if (typeof s === "number") return err(s)
      if ((grbit & ~bitTransactionReadOnly) !== 0) return err(E.JET_errInvalidGrbit)
      if (s.level >= maxLevel) return err(E.JET_errTransTooDeep)
      if (s.level === 0) {
        beginLevel0(s)
        s.trxOwner = ownerNow(s)
        s.readOnly = (grbit & bitTransactionReadOnly) !== 0
      } else {
        for (const tx of s.txs.values()) {
          tx.saves.push({ priv: tx.priv, opsLen: tx.ops.length })
          if (tx.priv !== undefined) tx.frozen = true
        }
      }
      s.level++
      return err(0)
    },

    JetCommitTransaction(sesid, grbit) {
      const s = getSession(sesid)
      if (typeof s === "number") return err(s)
      const known = bitCommitLazyFlush | bitWaitLastLevel0Commit | bitWaitAllLevel0Commit | bitForceNewLog
      if ((grbit & ~known) !== 0) return err(E.JET_errInvalidGrbit)
      const waits = grbit & (bitWaitLastLevel0Commit | bitWaitAllLevel0Commit)
      if (waits !== 0) {
        if (grbit !== bitWaitLastLevel0Commit && grbit !== bitWaitAllLevel0Commit) {
          return err(E.JET_errInvalidGrbit)
        }
        if (s.level > 0) return err(E.JET_errInvalidGrbit)
        return err(0)
      }
      if (s.level === 0) return err(E.JET_errNotInTransaction)
      commitLevel(s)
      return err(0)
    },

    JetRollback(sesid, grbit) {
      const s = getSession(sesid)
      if (typeof s === "number") return err(s)
      if ((grbit & ~bitRollbackAll) !== 0) return err(E.JET_errInvalidGrbit)
      if (s.level === 0) return err(E.JET_errNotInTransaction)
      if ((grbit & bitRollbackAll) !== 0) { while (s.level > 0) rollbackLevel(s) }
      else rollbackLevel(s)
      return err(0)
    },

    // Maintenance

    JetBackupInstance(instance, _backupPath, _grbit) {
      const inst = liveInstance(instance)
      if (typeof inst === "number") return err(inst)
      if (inst.state !== "running") return err(E.JET_errNotInitialized)
      return err(0)
    },

    JetRestoreInstance(instance, _source, _destination) {
      const inst = liveInstance(instance)
      if (typeof inst === "number") return err(inst)
      return err(0)
    },

    JetCompact(sesid, source, destination, _grbit) {
      const s = getSession(sesid)
      if (typeof s === "number") return err(s)
      const db = store.databases.get(pathKey(source))
      if (db === undefined) return err(E.JET_errFileNotFound)
      if (store.databases.has(pathKey(destination))) return err(E.JET_errDatabaseDuplicate)
      store.databases.set(pathKey(destination), {
        path: destination,
        committed: cloneDbFresh(db.committed),
        attachedTo: undefined
      })
      return err(0)
    },

    JetDefragment2(sesid, dbid, _tableName, passes, seconds, _grbit) {
      const s = getSession(sesid)
      if (typeof s === "number") return { err: s, passes, seconds }
      const a = getDb(s, dbid)
      if (typeof a === "number") return { err: a, passes, seconds }
      return { err: 0, passes, seconds }
    },

    JetFreeBuffer(_buffer) {
      return err(0)
    }
  }

  const nextDbid = (inst: Instance): number => {
    const used = new Set([...inst.attached.values()].map((a) => a.dbid))
    let id = 1
    while (used.has(id)) id++
    return id
  }
  ;(core as { api: JetApi }).api = api
  return core
}

/** A deep-enough copy of a table for another version: fresh indexes holding the same records. */
const cloneTableFresh = (t: TableVersion): TableVersion => ({
  shared: t.shared,
  name: t.name,
  schema: t.schema,
  primary: t.primary.clone(),
  secondaries: new Map([...t.secondaries].map(([k, v]) => [k, v.clone()])),
  created: t.created
})

const cloneDbFresh = (v: DbVersion): DbVersion => cloneDb(v)
