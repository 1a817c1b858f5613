/**
 * The data the in-memory engine keeps: schemas, records, table and database versions, and the
 * process-wide store of databases by path.
 *
 * A database's committed state is one {@link DbVersion}. A transaction reads a snapshot (the
 * committed version at its level-0 begin) and writes into a private clone of it. Cloning a version
 * copies its table map only; a table is copied before the version's first change to it
 * ({@link ownTable}), and that copy is cheap too because every index is a copy-on-write
 * {@link SortedIndex}: blocks are shared until either side writes to one.
 *
 * @module
 */
import type { Rec } from "./record.ts"
import { SortedIndex } from "./tree.ts"

/** A column of a table's schema. */
export interface ColumnDef {
  readonly id: number
  name: string
  readonly coltyp: number
  readonly cbMax: number
  readonly grbit: number
  readonly cp: number
  defaultValue: Uint8Array | null
}

/** One key segment of an index. */
export interface SegmentDef {
  readonly columnId: number
  readonly descending: boolean
}

/** An index of a table's schema. */
export interface IndexDef {
  readonly name: string
  readonly grbit: number
  readonly segments: ReadonlyArray<SegmentDef>
  readonly cbKeyMost: number
  readonly primary: boolean
  readonly lcid: number
  readonly szKey: string
  /**
   * `JET_CONDITIONALCOLUMN`s: a record has entries in the index only when each listed column is
   * NULL (`mustBeNull`) or not NULL, as asked.
   */
  readonly conditions?: ReadonlyArray<{ readonly columnId: number; readonly mustBeNull: boolean }>
}

/** A table's columns and indexes. Copied before every change, so versions never share one. */
export interface Schema {
  readonly columns: Map<number, ColumnDef>
  readonly byName: Map<string, ColumnDef>
  readonly indexes: Map<string, IndexDef>
  primary: IndexDef | undefined
  nextFixed: number
  nextVar: number
  nextTagged: number
}

export { Rec } from "./record.ts"

/** What belongs to a table whatever the version: counters and write locks. */
export interface TableShared {
  readonly id: number
  autoinc: number
  dbk: number
  /**
   * Write locks of open transactions that are not (yet) a written version: deletes, replaces being
   * prepared, `JetGetLock`; bookmark (latin1) → session id. A written version locks by itself.
   */
  readonly locks: Map<string, bigint>
  /** Read locks (`JetGetLock` with `JET_bitReadLock`) of open transactions: bookmark → sessions. */
  readonly readLocks: Map<string, Set<bigint>>
  /** When records were deleted by committed transactions: bookmark (latin1) → commit time. */
  readonly deleted: Map<string, number>
}

/** One version of a table. */
export interface TableVersion {
  readonly shared: TableShared
  name: string
  schema: Schema
  readonly primary: SortedIndex<Rec>
  readonly secondaries: Map<string, SortedIndex<null>>
  readonly created: number
}

/** One version of a database: its tables by id and by (case-folded) name. */
export interface DbVersion {
  readonly tables: Map<number, TableVersion>
  readonly names: Map<string, number>
  /** Some transaction reads this version: writers must clone it first. */
  shared: boolean
  /**
   * The tables this version may change in place: made or copied for it. The others are shared
   * with the version it was cloned from and are copied on their first change ({@link ownTable}).
   * Absent: none yet.
   */
  owned?: Set<number>
}

/** A database file of the store. */
export interface Database {
  readonly path: string
  committed: DbVersion
  /** The instance it is attached to, if any. */
  attachedTo: bigint | undefined
}

/**
 * Where databases live, keyed by path: they survive detach/attach and instance termination, not
 * the process.
 */
export interface MemoryStore {
  readonly databases: Map<string, Database>
}

/** A fresh, empty store. */
export const makeMemoryStore = (): MemoryStore => ({ databases: new Map() })

/** The store used when none is given: one per process. */
export const defaultStore: MemoryStore = makeMemoryStore()

/** The store's key of a path: Windows paths are case-insensitive and take either slash. */
export const pathKey = (path: string): string => path.replaceAll("\\", "/").toLowerCase()

/** The case-folded form under which names are looked up. */
export const nameKey = (name: string): string => name.toLowerCase()

/** An empty schema. */
export const emptySchema = (): Schema => ({
  columns: new Map(),
  byName: new Map(),
  indexes: new Map(),
  primary: undefined,
  nextFixed: 1,
  nextVar: 128,
  nextTagged: 256
})

/** A copy of a schema that can be changed without touching the original. */
export const copySchema = (s: Schema): Schema => {
  const columns = new Map<number, ColumnDef>()
  const byName = new Map<string, ColumnDef>()
  for (const [id, c] of s.columns) {
    const copy = { ...c }
    columns.set(id, copy)
    byName.set(nameKey(c.name), copy)
  }
  return {
    columns,
    byName,
    indexes: new Map(s.indexes),
    primary: s.primary,
    nextFixed: s.nextFixed,
    nextVar: s.nextVar,
    nextTagged: s.nextTagged
  }
}

let tableIds = 1

/** A new, empty table version with fresh shared state. */
export const newTable = (name: string): TableVersion => ({
  shared: { id: tableIds++, autoinc: 0, dbk: 0, locks: new Map(), readLocks: new Map(), deleted: new Map() },
  name,
  schema: emptySchema(),
  primary: new SortedIndex<Rec>(),
  secondaries: new Map(),
  created: Date.now()
})

/** A table version sharing everything with the original until either side writes. */
export const cloneTable = (t: TableVersion): TableVersion => {
  const secondaries = new Map<string, SortedIndex<null>>()
  for (const [k, v] of t.secondaries) secondaries.set(k, v.clone())
  return {
    shared: t.shared,
    name: t.name,
    schema: t.schema,
    primary: t.primary.clone(),
    secondaries,
    created: t.created
  }
}

/**
 * A database version sharing every table with the original until either side changes it: O(tables),
 * whatever their size. Neither side owns a table afterwards; each copies a table before its first
 * change ({@link ownTable}), so a transaction pays for the tables it writes, not for every table.
 */
export const cloneDb = (v: DbVersion): DbVersion => {
  v.owned?.clear()
  return { tables: new Map(v.tables), names: new Map(v.names), shared: false, owned: new Set() }
}

/** A table of a version, ready to be changed in place: copied first if the version shares it. */
export const ownTable = (v: DbVersion, tid: number): TableVersion | undefined => {
  const t = v.tables.get(tid)
  const owned = v.owned ??= new Set()
  if (t === undefined || owned.has(tid)) return t
  const copy = cloneTable(t)
  v.tables.set(tid, copy)
  owned.add(tid)
  return copy
}

/** An empty database version. */
export const emptyDb = (): DbVersion => ({
  tables: new Map(),
  names: new Map(),
  shared: false,
  owned: new Set()
})
