/**
 * A database file's catalog as the in-memory engine's model: each table becomes a table version
 * whose record tree and index trees are the file's own B+trees ({@link FileIndex}), read on demand.
 *
 * @module
 */
import { JET_coltypLongText, JET_coltypText } from "../../jet/constants.ts"
import type { ColumnDef, DbVersion, IndexDef, Schema, TableVersion } from "../../memory/model.ts"
import { Rec } from "../../memory/model.ts"
import { nameKey } from "../../memory/model.ts"
import type { ColumnInfo, IndexInfo, TableInfo } from "../catalog.ts"
import { columnGrbit, indexGrbit } from "../catalog.ts"
import type { EseFile } from "../reader.ts"
import { EseRecord } from "../reader.ts"
import type { TreeEntry } from "../tree.ts"
import { FileIndex } from "./fileIndex.ts"

/** Whether `column` holds Unicode text, whose keys are Windows sort keys. */
export const isUnicodeText = (column: ColumnInfo): boolean =>
  (column.coltyp === JET_coltypText || column.coltyp === JET_coltypLongText) && column.codepage === 1200

/** The `+a\0-b\0\0` key string of an index, as `JetCreateIndex` takes it. */
const keyString = (table: TableInfo, index: IndexInfo): string =>
  index.segments.map((s) => {
    const column = table.columns.find((c) => c.id === s.columnId)
    return `${s.descending ? "-" : "+"}${column?.name ?? `#${s.columnId}`}\0`
  }).join("") + "\0"

const columnDef = (column: ColumnInfo): ColumnDef => ({
  id: column.id,
  name: column.name,
  coltyp: column.coltyp,
  cbMax: column.size,
  grbit: columnGrbit(column),
  cp: column.codepage,
  defaultValue: column.defaultValue ?? null
})

const indexDef = (table: TableInfo, index: IndexInfo): IndexDef => ({
  name: index.name,
  grbit: indexGrbit(index.flags),
  segments: index.segments.map((s) => ({ columnId: s.columnId, descending: s.descending })),
  cbKeyMost: index.keyMost,
  primary: index.primary,
  lcid: index.lcid,
  szKey: keyString(table, index)
})

const schemaOf = (table: TableInfo): Schema => {
  const columns = new Map<number, ColumnDef>()
  const byName = new Map<string, ColumnDef>()
  for (const column of table.columns) {
    const def = columnDef(column)
    columns.set(def.id, def)
    byName.set(nameKey(def.name), def)
  }
  const indexes = new Map<string, IndexDef>()
  let primary: IndexDef | undefined
  for (const index of table.indexes) {
    const def = indexDef(table, index)
    indexes.set(nameKey(def.name), def)
    if (def.primary) primary = def
  }
  const ids = table.columns.map((c) => c.id)
  const next = (lo: number, hi: number) => Math.max(lo - 1, ...ids.filter((id) => id >= lo && id < hi)) + 1
  return {
    columns,
    byName,
    indexes,
    primary,
    nextFixed: next(1, 128),
    nextVar: next(128, 256),
    nextTagged: next(256, Infinity)
  }
}

/** Every value of a record, long values fetched and compressed ones expanded. */
const recordOf = (file: EseFile, table: TableInfo, columns: ColumnsById, entry: TreeEntry): Rec => {
  const record = new EseRecord(file, table, entry)
  const values = new Map<number, Array<Uint8Array>>()
  const add = (column: ColumnInfo | undefined): void => {
    if (column === undefined || values.has(column.id)) return
    const resolved = record.values(column)
    if (resolved !== undefined && resolved.length > 0) values.set(column.id, resolved.map((v) => v.bytes))
  }
  // Fixed and variable columns are few; tagged ones (thousands in some tables) only as stored.
  for (const column of columns.inline) add(column)
  for (const { id } of record.data.taggedColumnIds()) add(columns.byId.get(id))
  return new Rec(values, 0, 0n)
}

interface ColumnsById {
  readonly inline: ReadonlyArray<ColumnInfo>
  readonly byId: ReadonlyMap<number, ColumnInfo>
}

/**
 * A small cache of decoded records by primary key: the engine asks for the record under a cursor
 * several times per row (each retrieve), and decoding it once is enough.
 */
class RecordCache {
  private readonly entries = new Map<string, Rec>()
  private readonly capacity: number
  constructor(capacity: number) {
    this.capacity = capacity
  }
  get(key: string, load: () => Rec): Rec {
    const hit = this.entries.get(key)
    if (hit !== undefined) return hit
    const rec = load()
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!)
    this.entries.set(key, rec)
    return rec
  }
}

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("latin1")

let fileTableIds = 1_000_000

/** The table version of a file table: schema from the catalog, trees read from the file. */
export const tableVersionOf = (file: EseFile, table: TableInfo): TableVersion => {
  const cache = new RecordCache(16)
  const columns: ColumnsById = {
    inline: table.columns.filter((c) => c.id < 256),
    byId: new Map(table.columns.map((c) => [c.id, c]))
  }
  const primary = new FileIndex<Rec>(() => file.cursor(table.rootPage), {
    bookmarkOf: (entry) => entry.key,
    valueOf: (entry) => cache.get(latin1(entry.key), () => recordOf(file, table, columns, entry))
  })
  const secondaries = new Map<string, FileIndex<null>>()
  for (const index of table.indexes) {
    if (index.primary) continue
    secondaries.set(
      nameKey(index.name),
      new FileIndex<null>(() => file.cursor(index.rootPage), {
        bookmarkOf: (entry) => entry.data,
        valueOf: () => null
      })
    )
  }
  return {
    // dbk 0: bookmarks are the file's primary keys as they are (no counter suffix).
    shared: {
      id: fileTableIds++,
      autoinc: 0,
      dbk: 0,
      locks: new Map(),
      readLocks: new Map(),
      deleted: new Map()
    },
    name: table.name,
    schema: schemaOf(table),
    primary,
    secondaries,
    created: Date.now()
  }
}

/** The database version of a file: its user tables (the catalog's own `MSys*` tables left out). */
export const dbVersionOf = (file: EseFile): DbVersion => {
  const tables = new Map<number, TableVersion>()
  const names = new Map<string, number>()
  for (const table of file.tables) {
    if (table.name.startsWith("MSys")) continue
    const version = tableVersionOf(file, table)
    tables.set(version.shared.id, version)
    names.set(nameKey(table.name), version.shared.id)
  }
  // Shared from the start: nothing may change a file's tables in place.
  return { tables, names, shared: true }
}
