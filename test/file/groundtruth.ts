// Compares every record and column value of a database with esedbexport's output, and sorts each
// difference into a known disagreement (decided from the bytes, see docs/file-format.md) or a failure.
import type { ColumnInfo, EseFile, EseRecord, TableInfo } from "../../src/file/index.ts"
import { Coltyp, FieldFlag } from "../../src/file/index.ts"
import type { ExportedTable } from "./esedbexport.ts"
import { formatCell } from "./esedbexport.ts"

/** Why esedbexport (libesedb 20181229) and this reader print a cell differently. */
export type Disagreement =
  | "null-bit-ignored"
  | "ieee-single-zero"
  | "utf16-surrogates"
  | "long-value-empty"
  | "multi-value-non-text-empty"
  | "separated-multi-value-id"
  | "fixed-unicode-truncated"
  | "ansi-column-stops-at-zero"
  | "windows-search-date"
  | "seven-bit-unicode-in-binary"
  | "compressed-value-misdecoded"

/** One cell that differs. */
export interface Difference {
  readonly table: string
  readonly column: string
  readonly row: number
  readonly ours: string
  readonly theirs: string
  readonly reason: Disagreement | "unexplained"
}

const astral = /[\u{10000}-\u{10FFFF}]/gu

const nullBitSet = (record: EseRecord, column: ColumnInfo): boolean => {
  const bytes = record.data.bytes
  const lastFixed = bytes[0]!
  if (column.id > lastFixed) return false
  const fixedEnd = bytes[2]! | (bytes[3]! << 8)
  const bitmap = fixedEnd - ((lastFixed + 7) >> 3)
  return (bytes[bitmap + ((column.id - 1) >> 3)]! & (1 << ((column.id - 1) & 7))) !== 0
}

const classify = (
  record: EseRecord,
  column: ColumnInfo,
  ours: string,
  theirs: string
): Disagreement | "unexplained" => {
  const values = record.values(column)
  if (values?.some((v) => v.compressed)) return "unexplained"
  if (column.id < 128 && values === undefined && nullBitSet(record, column)) return "null-bit-ignored"
  if (column.coltyp === Coltyp.IEEESingle && theirs.split("; ").every((v) => v === "0.000000")) {
    return "ieee-single-zero"
  }
  const isText = column.coltyp === Coltyp.Text || column.coltyp === Coltyp.LongText
  if (isText && ours.replace(astral, "") === theirs.replace(astral, "") && astral.test(ours)) {
    return "utf16-surrogates"
  }
  const multi = (column.flags & FieldFlag.Multivalued) !== 0
  if (multi && theirs === "" && !isText) return "multi-value-non-text-empty"
  if (multi && values?.some((v) => v.separated) && theirs.split("; ").every((v) => v.length <= 2)) {
    return "separated-multi-value-id"
  }
  const isLong = column.coltyp === Coltyp.LongText || column.coltyp === Coltyp.LongBinary
  if (isLong && theirs === "" && ours !== "") return "long-value-empty"
  const compressedColumn = (column.flags & FieldFlag.Compressed) !== 0
  const storedCompressed = record.stored(column)?.some((v) => v.compressed || v.separated) ?? false
  if (compressedColumn && storedCompressed && !isText && ours.replace(/(..)00/g, "$1") === theirs) {
    return "seven-bit-unicode-in-binary"
  }
  if (compressedColumn && storedCompressed) return "compressed-value-misdecoded"
  if (
    isText && column.id < 128 && column.codepage === 1200 && theirs.length <= 2 && ours.startsWith(theirs)
  ) {
    return "fixed-unicode-truncated"
  }
  if (isText && column.codepage !== 1200 && ours.split("\0")[0] === theirs) return "ansi-column-stops-at-zero"
  if (column.coltyp === Coltyp.Binary && /^[A-Z][a-z]{2} \d\d, \d{4} \d\d:\d\d:\d\d/.test(theirs)) {
    return "windows-search-date"
  }
  return "unexplained"
}

/** Compares one table; returns the differing cells and the number of records read. */
export const compareTable = (
  db: EseFile,
  table: TableInfo,
  exported: ExportedTable
): { readonly records: number; readonly differences: ReadonlyArray<Difference> } => {
  const differences: Array<Difference> = []
  const columnIndex = table.columns.map((c) => exported.header.indexOf(c.name))
  let row = 0
  for (const record of db.records(table)) {
    const theirsRow = exported.rows[row] ?? []
    table.columns.forEach((column, i) => {
      const ours = formatCell(column, record.values(column))
      const theirs = theirsRow[columnIndex[i]!] ?? ""
      if (ours !== theirs) {
        differences.push({
          table: table.name,
          column: column.name,
          row,
          ours,
          theirs,
          reason: classify(record, column, ours, theirs)
        })
      }
    })
    row++
  }
  return { records: row, differences }
}
