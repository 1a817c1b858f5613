/**
 * How the command line prints column values: as JSON (numbers, booleans, text, ISO dates, base64
 * for binary, arrays for multi-valued columns) and as CSV cells.
 *
 * @module
 */
import type { ColumnInfo, ResolvedValue } from "../file/index.ts"
import { Coltyp, decodeValue, FieldFlag, oleDateToDate } from "../file/index.ts"

/** A value as the JSON output holds it. */
export type JsonValue = null | boolean | number | string | ReadonlyArray<JsonValue>

const guidString = (b: Uint8Array): string => {
  const hex = (from: number, to: number, reverse: boolean): string => {
    const part = Array.from(b.subarray(from, to), (x) => x.toString(16).padStart(2, "0"))
    return (reverse ? part.reverse() : part).join("")
  }
  return `${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${hex(10, 16, false)}`
}

/**
 * One stored value as JSON: 64-bit integers as numbers when they fit a double exactly, otherwise as
 * decimal strings; `DateTime` as an ISO 8601 string (the raw OLE day count when it is no real date);
 * GUIDs in their usual text form; binary, and values still compressed, as base64.
 */
export const jsonOf = (column: ColumnInfo, value: ResolvedValue): JsonValue => {
  if (value.compressed) return Buffer.from(value.bytes).toString("base64")
  if (column.coltyp === Coltyp.GUID && value.bytes.length === 16) return guidString(value.bytes)
  const decoded = decodeValue(column.coltyp, column.codepage, value.bytes)
  if (typeof decoded === "bigint") {
    return decoded >= BigInt(Number.MIN_SAFE_INTEGER) && decoded <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(decoded)
      : decoded.toString()
  }
  if (typeof decoded === "number") {
    if (column.coltyp === Coltyp.DateTime) {
      const date = oleDateToDate(decoded)
      return Number.isFinite(date.getTime()) ? date.toISOString() : decoded
    }
    return Number.isFinite(decoded) ? decoded : String(decoded)
  }
  if (decoded instanceof Uint8Array) return Buffer.from(decoded).toString("base64")
  return decoded
}

/** Whether `column` is multi-valued: its JSON is then always an array. */
export const isMultiValued = (column: ColumnInfo): boolean => (column.flags & FieldFlag.Multivalued) !== 0

/** A column's value in a record as JSON: null, one value, or an array for a multi-valued column. */
export const cellJson = (column: ColumnInfo, values: ReadonlyArray<ResolvedValue> | undefined): JsonValue => {
  if (values === undefined || values.length === 0) return null
  if (isMultiValued(column)) return values.map((v) => jsonOf(column, v))
  return jsonOf(column, values[0]!)
}

const csvQuote = (text: string): string => /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text

/** A cell as CSV (RFC 4180 quoting): empty for null, multi-values as a JSON array. */
export const csvCell = (value: JsonValue): string =>
  value === null ? "" : csvQuote(typeof value === "object" ? JSON.stringify(value) : String(value))

/** A header or data row as one CSV line (CRLF-free: lines end with `\n`). */
export const csvRow = (cells: ReadonlyArray<string>): string => cells.join(",") + "\n"

/** The name of a column type, as `JET_coltyp` spells it without its prefix. */
export const coltypName = (coltyp: number): string =>
  Object.entries(Coltyp).find(([, v]) => v === coltyp)?.[0] ?? `Unknown(${coltyp})`
