/**
 * The engine's live objects (instances, sessions, cursors, attachments, open transactions) and the
 * handles that name them: every JET call starts here, turning its handle arguments into objects or
 * an error code. {@link EngineState} is everything one engine holds.
 *
 * @module
 */
import type { JetApi } from "../jet/api.ts"
import { jetErrorCodes as E } from "../jet/errors.generated.ts"
import { bitTableReadOnly, defaultParams, paramMaxVerPages } from "./constants.ts"
import type { Database, DbVersion, MemoryStore, TableVersion } from "./model.ts"
import { Rec } from "./record.ts"
import { findTable, readTable, readView } from "./transactions.ts"
import type { TreePos } from "./tree.ts"
import { SortedIndex } from "./tree.ts"

export interface Attachment {
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

export interface Instance {
  readonly id: bigint
  readonly name: string
  state: "created" | "running" | "stopped"
  condition: InstanceCondition | undefined
  readonly params: Map<number, bigint | string>
  readonly sessions: Set<Session>
  readonly attached: Map<string, Attachment>
  cursorCount: number
}

/**
 * A change logged by a transaction, replayed onto the committed version when another transaction
 * committed meanwhile: a record write as data (the common case, one small object), anything else
 * as a function.
 */
export type Op = ((v: DbVersion) => void) | RecordWrite

/** A logged record write: the record's new version (or its removal) and the original it replaced. */
export class RecordWrite {
  readonly tid: number
  readonly bm: string
  readonly rec: Rec | undefined
  /** A record removed by the same write (`JET_prepInsertCopyDeleteOriginal`). */
  readonly deleted: string | undefined
  constructor(tid: number, bm: string, rec: Rec | undefined, deleted: string | undefined) {
    this.tid = tid
    this.bm = bm
    this.rec = rec
    this.deleted = deleted
  }
}

export interface Tx {
  readonly db: Database
  readonly snap: DbVersion
  priv: DbVersion | undefined
  frozen: boolean
  ops: Array<Op>
  readonly saves: Array<{ readonly priv: DbVersion | undefined; readonly opsLen: number }>
}

export interface Lock {
  readonly map: Map<string, bigint>
  readonly key: string
  level: number
  /** Set for a read lock: the table's read locks, from which the session is removed on release. */
  readonly readers?: Map<string, Set<bigint>>
}

export interface Session {
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

export interface TempTable {
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
export type CursorState = 0 | 1 | 2 | 3 | 4

export interface SearchKey {
  readonly key: Uint8Array
  readonly count: number
  readonly limit: boolean
}

export interface Range {
  readonly key: string
  readonly inclusive: boolean
  readonly upper: boolean
  /** The key's numeric prefixes padded with 0 and with 0xff (tree.ts): most entries compare by them. */
  readonly lo: number
  readonly hi: number
}

export interface Prep {
  readonly mode: number
  readonly values: Map<number, Array<Uint8Array>>
  readonly bm: string | undefined
  readonly orig: Rec | undefined
  readonly level: number
}

export interface Cursor {
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

/** Everything one engine holds: its store, its live objects and the handles' counter. */
export interface EngineState {
  readonly store: MemoryStore
  readonly options: EngineOptions
  readonly instances: Map<bigint, Instance>
  readonly sessions: Map<bigint, Session>
  readonly cursors: Map<bigint, Cursor>
  readonly processParams: Map<number, bigint | string>
  nextHandle: bigint
  /** The identity calls run under now: the simulated thread. */
  thread: number
  /** The engine's own API, for calls that are defined by another call. */
  api: JetApi
  /**
   * The session and cursor the last call named: calls come in runs on one cursor, and comparing
   * one handle is cheaper than hashing it into a map.
   */
  lastSession: Session | undefined
  lastCursor: Cursor | undefined
}

/** A new handle value, unique within the engine. */
export const handle = (st: EngineState): bigint => (st.nextHandle += 0x10n)

export const ownerNow = (st: EngineState, s: Session): string =>
  s.context !== null ? `c${s.context}` : `t${st.thread}`

export const param = (st: EngineState, inst: Instance, id: number): bigint | string | undefined =>
  inst.params.get(id) ?? st.processParams.get(id) ?? defaultParams.get(id)
export const numParam = (st: EngineState, inst: Instance, id: number): number => {
  const v = param(st, inst, id)
  return typeof v === "bigint" ? Number(v) : 0
}
export const maxVersions = (st: EngineState, inst: Instance): number => {
  if (inst.params.has(paramMaxVerPages) || st.processParams.has(paramMaxVerPages)) {
    return numParam(st, inst, paramMaxVerPages)
  }
  return st.options.maxVersionPages ?? Infinity
}

// --- handles -----------------------------------------------------------------------------

/**
 * The code a call on an instance's sessions fails with because of the instance's state, or 0.
 * ESENT checks these on entry to every session call (D/jetendsession-function lists them).
 */
export const instanceGate = (inst: Instance): number => {
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

/** The session of a handle, or `undefined`. */
export const findSession = (st: EngineState, sesid: bigint): Session | undefined => {
  const last = st.lastSession
  if (last !== undefined && last.id === sesid) return last
  const s = st.sessions.get(sesid)
  if (s !== undefined) st.lastSession = s
  return s
}

export const getSession = (st: EngineState, sesid: bigint): Session | number => {
  const s = findSession(st, sesid)
  if (s === undefined) {
    // With no instance initialized ESENT answers before it looks at the handle at all.
    for (const i of st.instances.values()) if (i.state !== "created") return E.JET_errInvalidSesid
    return E.JET_errNotInitialized
  }
  const gate = instanceGate(s.inst)
  return gate === 0 ? s : gate
}

export const getCursor = (st: EngineState, sesid: bigint, tableid: bigint): Cursor | number => {
  const s = getSession(st, sesid)
  if (typeof s === "number") return s
  const last = st.lastCursor
  const c = last !== undefined && last.id === tableid ? last : st.cursors.get(tableid)
  if (c === undefined || c.s !== s) return E.JET_errInvalidTableId
  st.lastCursor = c
  return c
}

export const getDb = (s: Session, dbid: number): Attachment | number => {
  if (!s.openDbs.has(dbid)) return E.JET_errInvalidDatabaseId
  for (const a of s.inst.attached.values()) if (a.dbid === dbid) return a
  return E.JET_errInvalidDatabaseId
}
/** The session, its attachment and the named table as the session sees it, or the error code. */
export const namedTable = (
  st: EngineState,
  sesid: bigint,
  dbid: number,
  tableName: string
): { readonly s: Session; readonly a: Attachment; readonly t: TableVersion } | number => {
  const s = getSession(st, sesid)
  if (typeof s === "number") return s
  const a = getDb(s, dbid)
  if (typeof a === "number") return a
  const t = findTable(readView(s, a.db), tableName)
  return t === undefined ? E.JET_errObjectNotFound : { s, a, t }
}

/** The cursor and its table as the cursor's session sees it, or the error code. */
export const cursorTable = (
  st: EngineState,
  sesid: bigint,
  tableid: bigint
): { readonly c: Cursor; readonly t: TableVersion } | number => {
  const c = getCursor(st, sesid, tableid)
  if (typeof c === "number") return c
  const t = readTable(c)
  return t === undefined ? E.JET_errObjectNotFound : { c, t }
}

export const closeCursor = (st: EngineState, c: Cursor): void => {
  st.cursors.delete(c.id)
  if (st.lastCursor === c) st.lastCursor = undefined
  c.s.cursors.delete(c)
  c.s.inst.cursorCount--
}

export const newCursor = (
  st: EngineState,
  s: Session,
  a: { dbid: number; db: Database | undefined; tid: number; temp: TempTable | undefined },
  grbit: number
): Cursor => {
  const c: Cursor = {
    id: handle(st),
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
  st.cursors.set(c.id, c)
  s.cursors.add(c)
  s.inst.cursorCount++
  return c
}
export const checkWritable = (c: Cursor): number => {
  if (c.s.level > 0 && c.s.readOnly) return E.JET_errTransReadOnly
  if (c.readOnly) return E.JET_errPermissionDenied
  if (c.temp === undefined) {
    for (const a of c.s.inst.attached.values()) {
      if (a.dbid === c.dbid) return a.readOnly ? E.JET_errPermissionDenied : 0
    }
  }
  return 0
}

export const keyMostOf = (st: EngineState, inst: Instance): number => numParam(st, inst, 134) || 255

export const liveInstance = (st: EngineState, instance: bigint | null): Instance | number => {
  if (instance === null) return E.JET_errInvalidInstance
  const inst = st.instances.get(instance)
  return inst === undefined ? E.JET_errInvalidInstance : inst
}

/**
 * Types a group of `JetApi` methods: the object literal's methods get their parameter types from
 * `JetApi`, and the engine spreads the groups into one `JetApi`.
 */
export const apiPart = <K extends keyof JetApi>(methods: Pick<JetApi, K>): Pick<JetApi, K> => methods
