/**
 * The catalog: the `MSysObjects` table, whose tree is rooted at page 4 in every database (its
 * shadow copy, `MSysObjectsShadow`, is a table of the same shape listed in the catalog itself).
 * Its rows, keyed by (table object id, type, id), describe each table (type 1: its tree's root
 * page), then the table's columns (type 2), indexes (type 3), long-value tree (type 4) and callbacks
 * (type 5). Its own columns are fixed by the engine, so it is read with a built-in column list.
 *
 * @module
 */
import { corrupt, EseFileError } from "./errors.ts"
import { isLargePage } from "./page.ts"
import type { PageSource } from "./pages.ts"
import type { RecordColumn } from "./record.ts"
import { fixedSizeOfColtyp, RecordData } from "./record.ts"
import { treeEntries } from "./tree.ts"

/** The root page of `MSysObjects` in every ESE database. */
export const catalogRootPage = 4

/** Catalog row types (`SYSOBJ`). */
export const CatalogType = { Table: 1, Column: 2, Index: 3, LongValue: 4, Callback: 5 } as const

/**
 * Column flags as the catalog stores them: the engine's own `FIELD` flags, not the `JET_bitColumn*`
 * values of the API (see {@link columnGrbit}).
 */
export const FieldFlag = {
  NotNull: 0x1,
  Version: 0x2,
  Autoincrement: 0x4,
  Multivalued: 0x8,
  Default: 0x10,
  EscrowUpdate: 0x20,
  Finalize: 0x40,
  UserDefinedDefault: 0x80,
  DeleteOnZero: 0x200,
  Compressed: 0x1000,
  Encrypted: 0x2000
} as const

/** The `JET_bitColumn*` grbit of a catalog column (fixed/tagged from its id, the rest from its flags). */
export const columnGrbit = (column: { readonly id: number; readonly flags: number }): number => {
  let grbit = column.id < 128 ? 0x1 : column.id >= 256 ? 0x2 : 0
  const map: ReadonlyArray<readonly [number, number]> = [
    [FieldFlag.NotNull, 0x4],
    [FieldFlag.Version, 0x8],
    [FieldFlag.Autoincrement, 0x10],
    [FieldFlag.Multivalued, 0x400],
    [FieldFlag.EscrowUpdate, 0x800],
    [FieldFlag.Finalize, 0x4000],
    [FieldFlag.UserDefinedDefault, 0x8000],
    [FieldFlag.DeleteOnZero, 0x20000],
    [FieldFlag.Compressed, 0x80000]
  ]
  for (const [field, bit] of map) if (column.flags & field) grbit |= bit
  return grbit
}

/**
 * Index flags as the catalog stores them: the engine's `IDB` flags in the low 16 bits, `IDX` flags
 * above (0x10000: key segments are 4-byte `IDXSEG`s). See {@link indexGrbit} for the API's values.
 */
export const IdbFlag = {
  Unique: 0x1,
  AllowAllNulls: 0x2,
  AllowFirstNull: 0x4,
  AllowSomeNulls: 0x8,
  NoNullSeg: 0x10,
  Primary: 0x20,
  LocaleSet: 0x40,
  Multivalued: 0x80,
  TemplateIndex: 0x100,
  DerivedIndex: 0x200,
  LocalizedText: 0x400,
  SortNullsHigh: 0x800,
  ExtendedColumns: 0x10000
} as const

/** The `JET_bitIndex*` grbit of a catalog index. */
export const indexGrbit = (flags: number): number => {
  let grbit = 0
  if (flags & IdbFlag.Unique) grbit |= 0x1
  if (flags & IdbFlag.Primary) grbit |= 0x2
  if (flags & IdbFlag.NoNullSeg) grbit |= 0x4
  else {
    if (!(flags & IdbFlag.AllowAllNulls)) grbit |= 0x8
    if (!(flags & IdbFlag.AllowFirstNull)) grbit |= 0x40
    if (!(flags & IdbFlag.AllowSomeNulls)) grbit |= 0x20
  }
  if (flags & IdbFlag.SortNullsHigh) grbit |= 0x400
  if (flags & IdbFlag.LocalizedText) grbit |= 0x800
  return grbit
}

/** A column as the catalog describes it. */
export interface ColumnInfo extends RecordColumn {
  readonly name: string
  /** `JET_coltyp`. */
  readonly coltyp: number
  /** The catalog's column flags, see {@link FieldFlag} and {@link columnGrbit}. */
  readonly flags: number
  /** The declared maximum size (for fixed columns, their size). */
  readonly size: number
  /** The code page of a text column: 1200 (UTF-16LE), 1252 or 20127; 0 otherwise. */
  readonly codepage: number
  /** The table whose definition the column comes from (differs for columns inherited from a template). */
  readonly tableName: string
}

/** One key segment of an index: the column and its direction. */
export interface KeySegment {
  readonly columnId: number
  readonly descending: boolean
}

/** An index as the catalog describes it. */
export interface IndexInfo {
  readonly name: string
  /** The index's object id. */
  readonly objid: number
  /** The root page of the index's tree (for the primary index, the table's own tree). */
  readonly rootPage: number
  /** The catalog's index flags, see {@link IdbFlag} and {@link indexGrbit}. */
  readonly flags: number
  readonly primary: boolean
  readonly unique: boolean
  /** The Windows locale id (LCID) of Unicode text segments. */
  readonly lcid: number
  /** The locale name, when the catalog stores one (newer files). */
  readonly localeName: string | undefined
  /** `LCMapString` flags used for Unicode text segments. */
  readonly lcMapFlags: number
  /** The key length limit in bytes (255 unless the index set its own). */
  readonly keyMost: number
  /** The index's key columns, in order. */
  readonly segments: ReadonlyArray<KeySegment>
  /** The declared density (percent). */
  readonly density: number
}

/** A table as the catalog describes it. */
export interface TableInfo {
  readonly name: string
  readonly objid: number
  /** The root page of the table's record tree. */
  readonly rootPage: number
  /** The root page of its long-value tree, when it has one. */
  readonly longValueRootPage: number | undefined
  /** `JET_bitTable*` flags. */
  readonly flags: number
  /** The declared initial page count. */
  readonly pages: number
  /** The declared density (percent). */
  readonly density: number
  /** The template table it derives from, when any. */
  readonly templateTable: string | undefined
  /** Columns in column-id order, those inherited from a template first. */
  readonly columns: ReadonlyArray<ColumnInfo>
  /** Indexes in catalog order. */
  readonly indexes: ReadonlyArray<IndexInfo>
}

const column = (id: number, size: number, recordOffset = 0): RecordColumn => ({
  id,
  size,
  recordOffset,
  defaultValue: undefined,
  derived: false
})

/** The built-in columns of `MSysObjects`. */
const sys = {
  objidTable: column(1, 4, 4),
  type: column(2, 2, 8),
  id: column(3, 4, 10),
  coltypOrPgnoFDP: column(4, 4, 14),
  spaceUsage: column(5, 4, 18),
  flags: column(6, 4, 22),
  pagesOrLocale: column(7, 4, 26),
  rootFlag: column(8, 1, 30),
  recordOffset: column(9, 2, 31),
  lcMapFlags: column(10, 4, 33),
  keyMost: column(11, 2, 37),
  name: column(128, 0),
  templateTable: column(130, 0),
  defaultValue: column(131, 0),
  keyFldIDs: column(132, 0),
  localeName: column(261, 0)
} as const

/** One `MSysObjects` row, decoded. */
export interface CatalogRow {
  readonly objidTable: number
  readonly type: number
  readonly id: number
  readonly coltypOrPgnoFDP: number
  readonly spaceUsage: number
  readonly flags: number
  readonly pagesOrLocale: number
  readonly recordOffset: number | undefined
  readonly lcMapFlags: number
  readonly keyMost: number
  readonly name: string
  readonly templateTable: string | undefined
  readonly defaultValue: Uint8Array | undefined
  readonly keyFldIDs: Uint8Array | undefined
  readonly localeName: string | undefined
}

const latin1 = new TextDecoder("latin1")
const utf16 = new TextDecoder("utf-16le")

/** Decodes one `MSysObjects` record. */
export const decodeCatalogRow = (bytes: Uint8Array, largePage: boolean, pgno?: number): CatalogRow => {
  const record = new RecordData(bytes, largePage, pgno)
  const one = (c: RecordColumn): Uint8Array | undefined => record.values(c)?.[0]?.bytes
  const int = (c: RecordColumn, signed = true): number => {
    const b = one(c)
    if (b === undefined || b.byteLength === 0) return 0
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
    if (b.byteLength === 1) return v.getUint8(0)
    if (b.byteLength === 2) return signed ? v.getInt16(0, true) : v.getUint16(0, true)
    return signed ? v.getInt32(0, true) : v.getUint32(0, true)
  }
  const text = (c: RecordColumn): string | undefined => {
    const b = one(c)
    return b === undefined ? undefined : latin1.decode(b)
  }
  const nameBytes = one(sys.name)
  if (nameBytes === undefined) corrupt(`a catalog row has no name`, pgno)
  const localeBytes = one(sys.localeName)
  return {
    objidTable: int(sys.objidTable, false),
    type: int(sys.type),
    id: int(sys.id, false),
    coltypOrPgnoFDP: int(sys.coltypOrPgnoFDP, false),
    spaceUsage: int(sys.spaceUsage),
    flags: int(sys.flags, false),
    pagesOrLocale: int(sys.pagesOrLocale, false),
    recordOffset: one(sys.recordOffset) === undefined ? undefined : int(sys.recordOffset, false),
    lcMapFlags: int(sys.lcMapFlags, false),
    keyMost: int(sys.keyMost, false),
    name: latin1.decode(nameBytes!),
    templateTable: text(sys.templateTable),
    defaultValue: one(sys.defaultValue),
    keyFldIDs: one(sys.keyFldIDs),
    localeName: localeBytes === undefined ? undefined : utf16.decode(localeBytes).replace(/\0+$/, "")
  }
}

const idxsegDescending = 0x40

/**
 * Key segments from `KeyFldIDs`. Old files store 16-bit signed column ids (negative = descending);
 * current ones store 4-byte `IDXSEG`s: a flags byte (0x40 descending, 0x80 template column), a
 * reserved byte, then the 16-bit column id.
 */
export const decodeKeySegments = (
  bytes: Uint8Array,
  format: "idxseg" | "short"
): ReadonlyArray<KeySegment> => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const segments: Array<KeySegment> = []
  if (format === "short") {
    for (let at = 0; at + 2 <= bytes.byteLength; at += 2) {
      const v = view.getInt16(at, true)
      segments.push({ columnId: Math.abs(v), descending: v < 0 })
    }
    return segments
  }
  for (let at = 0; at + 4 <= bytes.byteLength; at += 4) {
    const flags = view.getUint8(at)
    const columnId = view.getUint16(at + 2, true)
    segments.push({ columnId, descending: (flags & idxsegDescending) !== 0 })
  }
  return segments
}

/** Reads the whole catalog: every table with its columns, indexes and long-value tree. */
export const readCatalog = (pages: PageSource): ReadonlyArray<TableInfo> => {
  const largePage = isLargePage(pages.pageSize)
  interface Draft {
    row: CatalogRow
    columns: Array<ColumnInfo>
    indexes: Array<IndexInfo>
    lvRoot: number | undefined
  }
  const drafts: Array<Draft> = []
  let current: Draft | undefined
  for (const entry of treeEntries(pages, catalogRootPage)) {
    const row = decodeCatalogRow(entry.data, largePage, entry.pgno)
    if (row.type === CatalogType.Table) {
      current = { row, columns: [], indexes: [], lvRoot: undefined }
      drafts.push(current)
      continue
    }
    if (current === undefined || current.row.id !== row.objidTable) {
      corrupt(
        `catalog row "${row.name}" (type ${row.type}) belongs to object ${row.objidTable}, whose table row is missing`,
        entry.pgno
      )
    }
    const draft = current!
    if (row.type === CatalogType.Column) {
      const size = row.id < 128
        ? (row.spaceUsage || (fixedSizeOfColtyp(row.coltypOrPgnoFDP) ?? 0))
        : row.spaceUsage
      draft.columns.push({
        id: row.id,
        name: row.name,
        coltyp: row.coltypOrPgnoFDP,
        flags: row.flags,
        size,
        codepage: row.pagesOrLocale,
        defaultValue: row.defaultValue,
        recordOffset: row.recordOffset ?? 0,
        derived: false,
        tableName: draft.row.name
      })
    } else if (row.type === CatalogType.Index) {
      const keys = row.keyFldIDs ?? new Uint8Array(0)
      draft.indexes.push({
        name: row.name,
        objid: row.id,
        rootPage: row.coltypOrPgnoFDP,
        flags: row.flags,
        primary: (row.flags & IdbFlag.Primary) !== 0,
        unique: (row.flags & (IdbFlag.Unique | IdbFlag.Primary)) !== 0,
        lcid: row.pagesOrLocale,
        localeName: row.localeName,
        lcMapFlags: row.lcMapFlags,
        keyMost: row.keyMost || 255,
        segments: decodeKeySegments(keys, row.flags & IdbFlag.ExtendedColumns ? "idxseg" : "short"),
        density: row.spaceUsage
      })
    } else if (row.type === CatalogType.LongValue) {
      draft.lvRoot = row.coltypOrPgnoFDP
    }
  }
  const byName = new Map<string, Draft>(drafts.map((d) => [d.row.name, d]))
  const fixOffsets = (columns: Array<ColumnInfo>): Array<ColumnInfo> => {
    // Fixed columns lie in id order right after the record header. The catalog's RecordOffset is
    // not a reliable position (MSysObjects lists 4 for every one of its own columns).
    let offset = 4
    return columns.sort((a, b) => a.id - b.id).map((c) => {
      if (c.id >= 128) return c
      const placed = { ...c, recordOffset: offset }
      offset += c.size
      return placed
    })
  }
  return drafts.map((draft): TableInfo => {
    let columns = fixOffsets(draft.columns)
    const templateName = draft.row.templateTable
    if (templateName !== undefined && templateName !== "") {
      const template = byName.get(templateName)
      if (template === undefined) {
        throw new EseFileError(
          "JET_errObjectNotFound",
          `table "${draft.row.name}" derives from missing template "${templateName}"`
        )
      }
      const inherited = fixOffsets(template.columns).map((c): ColumnInfo => ({ ...c, derived: true }))
      columns = [...inherited, ...columns]
    }
    return {
      name: draft.row.name,
      objid: draft.row.id,
      rootPage: draft.row.coltypOrPgnoFDP,
      longValueRootPage: draft.lvRoot,
      flags: draft.row.flags,
      pages: draft.row.pagesOrLocale,
      density: draft.row.spaceUsage,
      templateTable: templateName === "" ? undefined : templateName,
      columns,
      indexes: draft.indexes
    }
  })
}
