/**
 * Column values from their stored bytes: integers little-endian, `Currency` and `LongLong` as
 * bigint, `DateTime` as the stored OLE automation date (days since 1899-12-30, a double), text by
 * the column's code page (1200 = UTF-16LE; others as Windows-1252), GUIDs and binary as bytes.
 *
 * @module
 */
import { Coltyp } from "./record.ts"

/** A decoded column value. */
export type ColumnValue = boolean | number | bigint | string | Uint8Array

const utf16 = new TextDecoder("utf-16le")
const windows1252 = new TextDecoder("windows-1252")

/** Decodes text stored with code page `codepage`. */
export const decodeText = (bytes: Uint8Array, codepage: number): string =>
  codepage === 1200
    ? utf16.decode(bytes.byteLength % 2 ? bytes.subarray(0, bytes.byteLength - 1) : bytes)
    : windows1252.decode(bytes)

/** Decodes one stored value of a column of type `coltyp`. Bytes of the wrong size for a fixed type come back as bytes. */
export const decodeValue = (coltyp: number, codepage: number, bytes: Uint8Array): ColumnValue => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const size = bytes.byteLength
  switch (coltyp) {
    case Coltyp.Bit:
      return size === 1 ? bytes[0] !== 0 : bytes
    case Coltyp.UnsignedByte:
      return size === 1 ? bytes[0]! : bytes
    case Coltyp.Short:
      return size === 2 ? view.getInt16(0, true) : bytes
    case Coltyp.UnsignedShort:
      return size === 2 ? view.getUint16(0, true) : bytes
    case Coltyp.Long:
      return size === 4 ? view.getInt32(0, true) : bytes
    case Coltyp.UnsignedLong:
      return size === 4 ? view.getUint32(0, true) : bytes
    case Coltyp.Currency:
    case Coltyp.LongLong:
      return size === 8 ? view.getBigInt64(0, true) : bytes
    case Coltyp.IEEESingle:
      return size === 4 ? view.getFloat32(0, true) : bytes
    case Coltyp.IEEEDouble:
    case Coltyp.DateTime:
      return size === 8 ? view.getFloat64(0, true) : bytes
    case Coltyp.Text:
    case Coltyp.LongText:
      return decodeText(bytes, codepage)
    default:
      return bytes
  }
}

/** An OLE automation date (a `DateTime` column's double) as a JavaScript Date (UTC). */
export const oleDateToDate = (days: number): Date => new Date(Math.round((days - 25569) * 86400000))
