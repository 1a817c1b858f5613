/**
 * Column value codecs: JavaScript values to and from the bytes ESENT stores, which are the bytes
 * `JetSetColumn` takes, `JetRetrieveColumn` returns and `JetMakeKey` takes for a key segment. Both
 * engines share them, so a value written through one reads back identically through the other.
 *
 * | coltyp | JS value | bytes |
 * |---|---|---|
 * | Bit | `boolean` | 1: `0x00` or `0xFF` |
 * | UnsignedByte, Short, Long, UnsignedShort, UnsignedLong | `number` | 1, 2, 4, 2, 4, little-endian |
 * | IEEESingle, IEEEDouble | `number` | 4, 8, little-endian IEEE 754 |
 * | Currency, LongLong, UnsignedLongLong | `bigint` | 8, little-endian |
 * | DateTime | `Date` | 8: an OLE Automation date (a double) |
 * | Binary, LongBinary | `Uint8Array` | as is |
 * | Text, LongText | `string` | Windows-1252 or UTF-16LE, by the column's code page |
 * | GUID | `string` | 16, in Windows `GUID` order |
 *
 * Nothing here throws on bad input: every codec returns a {@link CodecFailure} instead, naming the
 * column type and the reason, for the Effect layer to turn into a typed error.
 *
 * Decisions worth knowing:
 * - DateTime is precise to the millisecond, as `Date` is. An OLE date is a count of days since
 *   1899-12-30 00:00 whose fractional part is the time of day, and that fraction counts forward from
 *   midnight even when the count is negative: -1.25 is 1899-12-29 06:00, not 1899-12-28 18:00. The
 *   wall-clock time is read and written as UTC, since an OLE date carries no time zone. Decoding
 *   rounds to the nearest millisecond, which is exact for every value this module encodes: at the
 *   far end of the range a double still resolves about 40 microseconds.
 * - IEEESingle accepts any number and stores the nearest float32 (ties to even, overflow to an
 *   infinity), so a value reads back as `Math.fround` of what was written.
 * - Text with code page 0 is Windows-1252, because ESENT turns a text column's code page 0 into
 *   1252 when the column is created; any code page other than 0, 1252 and 1200 is refused, as
 *   ESENT refuses it with `JET_errInvalidCodePage`.
 * - Windows-1252 here is the 256-entry table Windows uses (`MultiByteToWideChar`): the five bytes the
 *   code page leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) stand for the control characters of
 *   the same number, so every byte string decodes, and re-encodes to the same bytes. A character
 *   outside the table is a failure, never a silent `?`.
 * - UTF-16 text is stored code unit by code unit, lone surrogates included: ESENT does not validate
 *   it, and a string reads back exactly as written.
 * - Encoding Binary returns the caller's array itself (the engine copies it anyway); decoding
 *   Binary returns a copy, so the retrieve buffer can be reused for the next row.
 *
 * @example
 * ```ts
 * import * as Codec from "./Codec.ts"
 * import { JET_coltypLong } from "./jet/constants.ts"
 *
 * const bytes = Codec.encodeColumnValue(JET_coltypLong, 5) // Uint8Array [5, 0, 0, 0]
 * const value = Codec.decodeColumnValue(JET_coltypLong, new Uint8Array([5, 0, 0, 0])) // 5
 * ```
 *
 * @module
 */
import { Buffer } from "node:buffer"
import {
  JET_cbColumnMost,
  JET_coltypBinary,
  JET_coltypBit,
  JET_coltypCurrency,
  JET_coltypDateTime,
  JET_coltypGUID,
  JET_coltypIEEEDouble,
  JET_coltypIEEESingle,
  JET_coltypLong,
  JET_coltypLongBinary,
  JET_coltypLongLong,
  JET_coltypLongText,
  JET_coltypShort,
  JET_coltypText,
  JET_coltypUnsignedByte,
  JET_coltypUnsignedLong,
  JET_coltypUnsignedLongLong,
  JET_coltypUnsignedShort
} from "./jet/constants.ts"

// ---------------------------------------------------------------------------------------------
// Types

/**
 * A column type that holds values: every `JET_coltyp*` but Nil and the obsolete SLV.
 *
 * @example
 * ```ts
 * const coltyp: Coltyp = JET_coltypText
 * ```
 */
export type Coltyp =
  | typeof JET_coltypBit
  | typeof JET_coltypUnsignedByte
  | typeof JET_coltypShort
  | typeof JET_coltypLong
  | typeof JET_coltypCurrency
  | typeof JET_coltypIEEESingle
  | typeof JET_coltypIEEEDouble
  | typeof JET_coltypDateTime
  | typeof JET_coltypBinary
  | typeof JET_coltypText
  | typeof JET_coltypLongBinary
  | typeof JET_coltypLongText
  | typeof JET_coltypUnsignedLong
  | typeof JET_coltypLongLong
  | typeof JET_coltypGUID
  | typeof JET_coltypUnsignedShort
  | typeof JET_coltypUnsignedLongLong

/**
 * The JavaScript type of each column type's values, indexed by coltyp.
 *
 * @example
 * ```ts
 * const when: ColumnValues[typeof JET_coltypDateTime] = new Date()
 * ```
 */
export interface ColumnValues {
  readonly [JET_coltypBit]: boolean
  readonly [JET_coltypUnsignedByte]: number
  readonly [JET_coltypShort]: number
  readonly [JET_coltypLong]: number
  readonly [JET_coltypCurrency]: bigint
  readonly [JET_coltypIEEESingle]: number
  readonly [JET_coltypIEEEDouble]: number
  readonly [JET_coltypDateTime]: Date
  readonly [JET_coltypBinary]: Uint8Array
  readonly [JET_coltypText]: string
  readonly [JET_coltypLongBinary]: Uint8Array
  readonly [JET_coltypLongText]: string
  readonly [JET_coltypUnsignedLong]: number
  readonly [JET_coltypLongLong]: bigint
  readonly [JET_coltypGUID]: string
  readonly [JET_coltypUnsignedShort]: number
  readonly [JET_coltypUnsignedLongLong]: bigint
}

/**
 * The JavaScript type of a column type's values.
 *
 * @example
 * ```ts
 * const count: ColumnValue<typeof JET_coltypLong> = 42
 * const id: ColumnValue<typeof JET_coltypGUID> = "00112233-4455-6677-8899-aabbccddeeff"
 * ```
 */
export type ColumnValue<C extends Coltyp> = ColumnValues[C]

/**
 * What {@link encodeColumnValue} accepts for a coltyp: the column type's value for a literal
 * {@link Coltyp}, anything for a coltyp known only at run time (checked when called), nothing for a
 * literal that is not a column type with values.
 *
 * @example
 * ```ts
 * const a: ColumnValueOf<typeof JET_coltypLong> = 5 // number
 * const b: ColumnValueOf<number> = "anything" // unknown
 * ```
 */
export type ColumnValueOf<N extends number> = number extends N ? unknown
  : N extends Coltyp ? ColumnValues[N]
  : never

/**
 * What {@link decodeColumnValue} returns for a coltyp: the column type's value for a literal
 * {@link Coltyp}, any column value for a coltyp known only at run time.
 *
 * @example
 * ```ts
 * const a: DecodedColumnValue<typeof JET_coltypText> = "x" // string
 * const b: DecodedColumnValue<number> = 1n // boolean | number | bigint | Date | Uint8Array | string
 * ```
 */
export type DecodedColumnValue<N extends number> = number extends N ? ColumnValues[Coltyp]
  : N extends Coltyp ? ColumnValues[N]
  : never

/**
 * Why a value could not be encoded or decoded. A plain tagged object, not an exception: the codecs
 * never throw on bad input.
 *
 * @example
 * ```ts
 * const result = encodeColumnValue(JET_coltypShort, 40000)
 * if (isCodecFailure(result)) console.log(result.reason) // "40000 is outside -32768..32767"
 * ```
 */
export interface CodecFailure {
  readonly _tag: "CodecFailure"
  /** The column type being encoded or decoded (any number: an unknown coltyp fails too). */
  readonly coltyp: number
  /** What was wrong, in words. */
  readonly reason: string
}

/**
 * Options that depend on the column's definition rather than on its type.
 *
 * @example
 * ```ts
 * const options: CodecOptions = { cp: 1200, cbMax: 64 }
 * ```
 */
export interface CodecOptions {
  /**
   * Text and LongText: the column's code page, 1252 (Windows-1252) or 1200 (UTF-16LE). 0 or absent
   * means 1252, as in ESENT. Ignored by other types.
   */
  readonly cp?: number | undefined
  /**
   * Binary, Text, LongBinary, LongText: the column's `cbMax`, the most bytes a value may take. 0 or
   * absent means the type's own limit (255 for Binary and Text, 2^31 - 1 for the long types); a
   * larger value is capped at that limit, as ESENT caps it. Ignored by fixed-size types.
   */
  readonly cbMax?: number | undefined
}

/**
 * The codec of one column type.
 *
 * @example
 * ```ts
 * const bytes = long.encode(5) // Uint8Array [5, 0, 0, 0]
 * const five = long.decode(new Uint8Array([5, 0, 0, 0]))
 * ```
 */
export interface ColumnCodec<C extends Coltyp> {
  /** The column type. */
  readonly coltyp: C
  /** The exact byte count of a value of a fixed-size type; `undefined` for a variable-size one. */
  readonly size: number | undefined
  /** The bytes ESENT stores for `value`, or why it cannot be stored. */
  encode(value: ColumnValue<C>, options?: CodecOptions): Uint8Array | CodecFailure
  /**
   * The value stored as the first `length` bytes of `bytes` (all of them by default), or why those
   * bytes are not a value of this type.
   */
  decode(bytes: Uint8Array, length?: number, options?: CodecOptions): ColumnValue<C> | CodecFailure
}

/**
 * Makes a {@link CodecFailure}.
 *
 * @example
 * ```ts
 * const failure = codecFailure(JET_coltypLong, "1.5 is not an integer")
 * ```
 */
export const codecFailure = (coltyp: number, reason: string): CodecFailure => ({
  _tag: "CodecFailure",
  coltyp,
  reason
})

/**
 * Whether a codec result is a {@link CodecFailure}.
 *
 * @example
 * ```ts
 * const result = decodeColumnValue(JET_coltypLong, new Uint8Array(3))
 * if (isCodecFailure(result)) console.log(result.reason) // "expected 4 bytes, got 3"
 * ```
 */
export const isCodecFailure = (u: unknown): u is CodecFailure =>
  typeof u === "object" && u !== null && (u as { readonly _tag?: unknown })._tag === "CodecFailure"

const coltypNames: ReadonlyArray<string | undefined> = [
  "JET_coltypNil",
  "JET_coltypBit",
  "JET_coltypUnsignedByte",
  "JET_coltypShort",
  "JET_coltypLong",
  "JET_coltypCurrency",
  "JET_coltypIEEESingle",
  "JET_coltypIEEEDouble",
  "JET_coltypDateTime",
  "JET_coltypBinary",
  "JET_coltypText",
  "JET_coltypLongBinary",
  "JET_coltypLongText",
  "JET_coltypSLV",
  "JET_coltypUnsignedLong",
  "JET_coltypLongLong",
  "JET_coltypGUID",
  "JET_coltypUnsignedShort",
  "JET_coltypUnsignedLongLong"
]

/**
 * A one-line message for a {@link CodecFailure}: the coltyp's C name, then the reason.
 *
 * @example
 * ```ts
 * formatCodecFailure(codecFailure(JET_coltypShort, "40000 is outside -32768..32767"))
 * // "JET_coltypShort: 40000 is outside -32768..32767"
 * ```
 */
export const formatCodecFailure = (failure: CodecFailure): string =>
  `${
    (Number.isInteger(failure.coltyp) ? coltypNames[failure.coltyp] : undefined) ?? `coltyp ${failure.coltyp}`
  }: ${failure.reason}`

// ---------------------------------------------------------------------------------------------
// Shared helpers

type Encoder = (value: unknown, options: CodecOptions | undefined) => Uint8Array | CodecFailure
type Decoder = (bytes: Uint8Array, length: number, options: CodecOptions | undefined) => unknown

/** Fixed-size values pass through here: one DataView for the whole module, no per-call views. */
const scratch = new Uint8Array(16)
const scratchView = new DataView(scratch.buffer)

/**
 * The `size` bytes just written to the scratch area, as a fresh array (the only allocation). A copy
 * loop, because `slice` costs more than the allocation itself at these sizes.
 */
const fromScratch = (size: number): Uint8Array => {
  const out = new Uint8Array(size)
  for (let i = 0; i < size; i++) out[i] = scratch[i] as number
  return out
}

/** Copies `size` bytes to the scratch area, whatever the alignment of the caller's buffer. */
const toScratch = (bytes: Uint8Array, size: number): void => {
  for (let i = 0; i < size; i++) scratch[i] = bytes[i] as number
}

/** A short description of a value's type for failure messages; never throws, even for symbols. */
const describe = (value: unknown): string => {
  if (value === null) return "null"
  if (typeof value !== "object") return typeof value
  let name: unknown
  try {
    name = (value as { readonly constructor?: { readonly name?: unknown } }).constructor?.name
  } catch {
    // A proxy or a getter may throw; the message is not worth an exception.
  }
  return typeof name === "string" && name !== "" ? name : "an object"
}

const expected = (coltyp: number, what: string, value: unknown): CodecFailure =>
  codecFailure(coltyp, `expected ${what}, got ${describe(value)}`)

// ---------------------------------------------------------------------------------------------
// Integers and floats

const checkInteger = (coltyp: number, value: unknown, min: number, max: number): CodecFailure | undefined => {
  if (typeof value !== "number") return expected(coltyp, "a number", value)
  if (!Number.isInteger(value)) return codecFailure(coltyp, `${value} is not an integer`)
  if (value < min || value > max) return codecFailure(coltyp, `${value} is outside ${min}..${max}`)
  return undefined
}

const encodeBit: Encoder = (value) => {
  if (typeof value !== "boolean") return expected(JET_coltypBit, "a boolean", value)
  // ESENT stores any non-zero byte of a Bit column as 0xFF (ErrRECISetIFixedColumn), so 0xFF is
  // the byte a retrieve returns and a key segment compares, whichever engine wrote it.
  const out = new Uint8Array(1)
  out[0] = value ? 0xFF : 0x00
  return out
}
const decodeBit: Decoder = (bytes) => bytes[0] !== 0

const encodeUnsignedByte: Encoder = (value) => {
  const failure = checkInteger(JET_coltypUnsignedByte, value, 0, 0xFF)
  if (failure !== undefined) return failure
  const out = new Uint8Array(1)
  out[0] = value as number
  return out
}
const decodeUnsignedByte: Decoder = (bytes) => bytes[0]

const encodeShort: Encoder = (value) => {
  const failure = checkInteger(JET_coltypShort, value, -0x8000, 0x7FFF)
  if (failure !== undefined) return failure
  scratchView.setInt16(0, value as number, true)
  return fromScratch(2)
}
const decodeShort: Decoder = (bytes) => {
  toScratch(bytes, 2)
  return scratchView.getInt16(0, true)
}

const encodeUnsignedShort: Encoder = (value) => {
  const failure = checkInteger(JET_coltypUnsignedShort, value, 0, 0xFFFF)
  if (failure !== undefined) return failure
  scratchView.setUint16(0, value as number, true)
  return fromScratch(2)
}
const decodeUnsignedShort: Decoder = (bytes) => {
  toScratch(bytes, 2)
  return scratchView.getUint16(0, true)
}

const encodeLong: Encoder = (value) => {
  const failure = checkInteger(JET_coltypLong, value, -0x80000000, 0x7FFFFFFF)
  if (failure !== undefined) return failure
  scratchView.setInt32(0, value as number, true)
  return fromScratch(4)
}
const decodeLong: Decoder = (bytes) => {
  toScratch(bytes, 4)
  return scratchView.getInt32(0, true)
}

const encodeUnsignedLong: Encoder = (value) => {
  const failure = checkInteger(JET_coltypUnsignedLong, value, 0, 0xFFFFFFFF)
  if (failure !== undefined) return failure
  scratchView.setUint32(0, value as number, true)
  return fromScratch(4)
}
const decodeUnsignedLong: Decoder = (bytes) => {
  toScratch(bytes, 4)
  return scratchView.getUint32(0, true)
}

const int64Min = -(2n ** 63n)
const int64Max = 2n ** 63n - 1n
const uint64Max = 2n ** 64n - 1n

const checkBigInt = (coltyp: number, value: unknown, min: bigint, max: bigint): CodecFailure | undefined => {
  if (typeof value !== "bigint") return expected(coltyp, "a bigint", value)
  if (value < min || value > max) return codecFailure(coltyp, `${value} is outside ${min}..${max}`)
  return undefined
}

const signedInt64Encoder = (coltyp: number): Encoder => (value) => {
  const failure = checkBigInt(coltyp, value, int64Min, int64Max)
  if (failure !== undefined) return failure
  scratchView.setBigInt64(0, value as bigint, true)
  return fromScratch(8)
}
const decodeSignedInt64: Decoder = (bytes) => {
  toScratch(bytes, 8)
  return scratchView.getBigInt64(0, true)
}

const encodeUnsignedLongLong: Encoder = (value) => {
  const failure = checkBigInt(JET_coltypUnsignedLongLong, value, 0n, uint64Max)
  if (failure !== undefined) return failure
  scratchView.setBigUint64(0, value as bigint, true)
  return fromScratch(8)
}
const decodeUnsignedLongLong: Decoder = (bytes) => {
  toScratch(bytes, 8)
  return scratchView.getBigUint64(0, true)
}

const encodeIEEESingle: Encoder = (value) => {
  if (typeof value !== "number") return expected(JET_coltypIEEESingle, "a number", value)
  scratchView.setFloat32(0, value, true)
  return fromScratch(4)
}
const decodeIEEESingle: Decoder = (bytes) => {
  toScratch(bytes, 4)
  return scratchView.getFloat32(0, true)
}

const encodeIEEEDouble: Encoder = (value) => {
  if (typeof value !== "number") return expected(JET_coltypIEEEDouble, "a number", value)
  scratchView.setFloat64(0, value, true)
  return fromScratch(8)
}
const decodeIEEEDouble: Decoder = (bytes) => {
  toScratch(bytes, 8)
  return scratchView.getFloat64(0, true)
}

// ---------------------------------------------------------------------------------------------
// DateTime: OLE Automation dates

const msPerDay = 86_400_000
/** 1899-12-30T00:00:00Z, day 0 of OLE dates. */
const oleEpochMs = -2_209_161_600_000
/** 0100-01-01, the first day an OLE date can name. */
const oleDayMin = -657_434
/** 9999-12-31, the last day an OLE date can name. */
const oleDayMax = 2_958_465
const dateMsMin = oleEpochMs + oleDayMin * msPerDay
const dateMsMax = oleEpochMs + (oleDayMax + 1) * msPerDay - 1

/**
 * The OLE Automation date of a time in milliseconds since 1970 (UTC).
 *
 * @example
 * ```ts
 * toOleDate(Date.UTC(1899, 11, 29, 6)) // -1.25
 * ```
 */
export const toOleDate = (ms: number): number => {
  const sinceEpoch = ms - oleEpochMs
  const day = Math.floor(sinceEpoch / msPerDay)
  const timeOfDay = (sinceEpoch - day * msPerDay) / msPerDay
  // Before the epoch the whole part counts back while the fraction still counts forward from that
  // day's midnight, so the fraction is subtracted from a negative day.
  return day >= 0 ? day + timeOfDay : day - timeOfDay
}

/**
 * The time in milliseconds since 1970 (UTC) of an OLE Automation date, rounded to the nearest
 * millisecond. Does not check the range.
 *
 * @example
 * ```ts
 * new Date(fromOleDate(-1.25)).toISOString() // "1899-12-29T06:00:00.000Z"
 * ```
 */
export const fromOleDate = (ole: number): number => {
  const day = Math.trunc(ole)
  // The fraction is the time of day whatever the sign of the whole part; -0.25 and 0.25 are both
  // 1899-12-30 06:00.
  const timeOfDay = Math.abs(ole - day)
  return oleEpochMs + day * msPerDay + Math.round(timeOfDay * msPerDay)
}

const encodeDateTime: Encoder = (value) => {
  if (!(value instanceof Date)) return expected(JET_coltypDateTime, "a Date", value)
  const ms = value.getTime()
  if (Number.isNaN(ms)) return codecFailure(JET_coltypDateTime, "the Date is invalid")
  if (ms < dateMsMin || ms > dateMsMax) {
    return codecFailure(
      JET_coltypDateTime,
      `${value.toISOString()} is outside the OLE date range 0100-01-01 .. 9999-12-31`
    )
  }
  scratchView.setFloat64(0, toOleDate(ms), true)
  return fromScratch(8)
}
const decodeDateTime: Decoder = (bytes) => {
  toScratch(bytes, 8)
  const ole = scratchView.getFloat64(0, true)
  if (!(ole > oleDayMin - 1 && ole < oleDayMax + 1)) {
    return codecFailure(
      JET_coltypDateTime,
      `${ole} is not an OLE date (days from ${oleDayMin} to ${oleDayMax}, with a time fraction)`
    )
  }
  const ms = fromOleDate(ole)
  // A fraction within half a millisecond of the next midnight rounds up into year 10000.
  if (ms > dateMsMax) {
    return codecFailure(JET_coltypDateTime, `${ole} rounds to a time after 9999-12-31 23:59:59.999`)
  }
  return new Date(ms)
}

// ---------------------------------------------------------------------------------------------
// Binary and text

const longValueMost = 0x7FFFFFFF

/** The most bytes a value may take, or why the `cbMax` option is unusable. */
const limitOf = (
  coltyp: number,
  typeMost: number,
  options: CodecOptions | undefined
): number | CodecFailure => {
  const cbMax = options?.cbMax
  if (cbMax === undefined || cbMax === 0) return typeMost
  if (typeof cbMax !== "number" || !Number.isInteger(cbMax) || cbMax < 0) {
    return codecFailure(
      coltyp,
      `the cbMax option must be a non-negative integer, got ${describeOption(cbMax)}`
    )
  }
  return cbMax < typeMost ? cbMax : typeMost
}

const describeOption = (value: unknown): string => typeof value === "number" ? String(value) : describe(value)

const tooLong = (coltyp: number, count: number, limit: number): CodecFailure =>
  codecFailure(coltyp, `${count} bytes is more than the column's maximum of ${limit}`)

/**
 * A text column's limit is in bytes; the message says it in characters too, since a UTF-16 column
 * (code page 1200) takes two bytes per character and holds half as many characters as its bytes.
 */
const textTooLong = (coltyp: number, characters: number, cp: 1252 | 1200, limit: number): CodecFailure => {
  const each = cp === 1200 ? 2 : 1
  return codecFailure(
    coltyp,
    `${characters * each} bytes is more than the column's maximum of ${limit}: ${characters} characters `
      + `take ${each} byte${each === 1 ? "" : "s"} each in ${cp === 1200 ? "UTF-16" : "Windows-1252"}, `
      + `so at most ${Math.floor(limit / each)} characters fit`
  )
}

/** A Buffer over the caller's bytes (no copy), for Node's native string conversions. */
const bufferOver = (bytes: Uint8Array, length: number): Buffer =>
  Buffer.from(bytes.buffer, bytes.byteOffset, length)

/**
 * Below this many bytes a JavaScript loop beats Node's native conversions, whose fixed cost
 * (a Buffer object, and for a small array moving it off the V8 heap) outweighs the per-byte work.
 */
const nativeThreshold = 64

/**
 * A fresh array of `size` bytes filled by `fill` through a Buffer, for large values: the memory is
 * not zeroed first and not taken from Node's shared pool, so the result owns exactly its bytes.
 */
const nativeFilled = (size: number, fill: (buffer: Buffer) => void): Uint8Array => {
  const buffer = Buffer.allocUnsafeSlow(size)
  fill(buffer)
  return new Uint8Array(buffer.buffer, buffer.byteOffset, size)
}

const binaryEncoder = (coltyp: number, typeMost: number): Encoder => (value, options) => {
  if (!(value instanceof Uint8Array)) return expected(coltyp, "a Uint8Array", value)
  const limit = limitOf(coltyp, typeMost, options)
  if (typeof limit !== "number") return limit
  if (value.byteLength > limit) return tooLong(coltyp, value.byteLength, limit)
  return value
}
const binaryDecoder = (coltyp: number, typeMost: number): Decoder => (bytes, length, options) => {
  const limit = limitOf(coltyp, typeMost, options)
  if (typeof limit !== "number") return limit
  if (length > limit) return tooLong(coltyp, length, limit)
  return bytes.slice(0, length)
}

/** Windows-1252 bytes 0x80-0x9F; the five undefined bytes map to the C1 control of the same number. */
const cp1252High =
  "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F"
  + "\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178"

/** Byte to UTF-16 code unit. */
const cp1252ToUnit = new Uint16Array(256)
/** UTF-16 code unit to byte, -1 where Windows-1252 has no byte; U+2122 is the highest mapped unit. */
const unitToCp1252 = new Int16Array(0x2123).fill(-1)
for (let b = 0; b < 256; b++) {
  const unit = b >= 0x80 && b < 0xA0 ? cp1252High.charCodeAt(b - 0x80) : b
  cp1252ToUnit[b] = unit
  unitToCp1252[unit] = b
}

/** Characters whose Windows-1252 byte is their own code (Latin-1 less 0x80-0x9F). */
const notLatin1Identity = /[^\u0000-\u007F\u00A0-\u00FF]/

/** The bytes 0x80-0x9F as Latin-1 decodes them, to be replaced by their Windows-1252 meaning. */
const c1Controls = /[\u0080-\u009F]/
const c1ControlsGlobal = /[\u0080-\u009F]/g
const fromC1 = (ch: string): string => String.fromCharCode(cp1252ToUnit[ch.charCodeAt(0)] as number)

const encodeCp1252 = (coltyp: number, value: string): Uint8Array | CodecFailure => {
  const n = value.length
  if (n >= nativeThreshold && !notLatin1Identity.test(value)) {
    return nativeFilled(n, (buffer) => buffer.write(value, 0, n, "latin1"))
  }
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const unit = value.charCodeAt(i)
    const b = unit < 0x2123 ? unitToCp1252[unit] as number : -1
    if (b < 0) {
      const codePoint = value.codePointAt(i) as number
      return codecFailure(
        coltyp,
        `character U+${
          codePoint.toString(16).toUpperCase().padStart(4, "0")
        } at index ${i} has no Windows-1252 byte`
      )
    }
    out[i] = b
  }
  return out
}

const decodeCp1252 = (bytes: Uint8Array, length: number): string => {
  if (length >= nativeThreshold) {
    const latin1 = bufferOver(bytes, length).toString("latin1", 0, length)
    return c1Controls.test(latin1) ? latin1.replace(c1ControlsGlobal, fromC1) : latin1
  }
  let s = ""
  for (let i = 0; i < length; i++) s += String.fromCharCode(cp1252ToUnit[bytes[i] as number] as number)
  return s
}

const encodeUtf16 = (value: string): Uint8Array => {
  const size = value.length * 2
  if (size >= nativeThreshold) {
    // Node writes UTF-16 code units as they are, lone surrogates included, little-endian on every host.
    return nativeFilled(size, (buffer) => buffer.write(value, 0, size, "utf16le"))
  }
  const out = new Uint8Array(size)
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i)
    out[2 * i] = unit & 0xFF
    out[2 * i + 1] = unit >>> 8
  }
  return out
}

const decodeUtf16 = (bytes: Uint8Array, length: number): string => {
  if (length >= nativeThreshold) return bufferOver(bytes, length).toString("utf16le", 0, length)
  let s = ""
  for (let i = 0; i < length; i += 2) {
    s += String.fromCharCode((bytes[i] as number) | (bytes[i + 1] as number) << 8)
  }
  return s
}

/** The code page a text column really uses, 1252 or 1200, or why the option is unusable. */
const codePageOf = (coltyp: number, options: CodecOptions | undefined): 1252 | 1200 | CodecFailure => {
  const cp = options?.cp
  if (cp === undefined || cp === 0 || cp === 1252) return 1252
  if (cp === 1200) return 1200
  return codecFailure(
    coltyp,
    `code page ${describeOption(cp)} is not supported: text columns use 1252 (or 0 for it) or 1200`
  )
}

const textEncoder = (coltyp: number, typeMost: number): Encoder => (value, options) => {
  if (typeof value !== "string") return expected(coltyp, "a string", value)
  const cp = codePageOf(coltyp, options)
  if (typeof cp !== "number") return cp
  const limit = limitOf(coltyp, typeMost, options)
  if (typeof limit !== "number") return limit
  const count = cp === 1200 ? value.length * 2 : value.length
  if (count > limit) return textTooLong(coltyp, value.length, cp, limit)
  return cp === 1200 ? encodeUtf16(value) : encodeCp1252(coltyp, value)
}
const textDecoder = (coltyp: number, typeMost: number): Decoder => (bytes, length, options) => {
  const cp = codePageOf(coltyp, options)
  if (typeof cp !== "number") return cp
  const limit = limitOf(coltyp, typeMost, options)
  if (typeof limit !== "number") return limit
  if (length > limit) return tooLong(coltyp, length, limit)
  if (cp === 1252) return decodeCp1252(bytes, length)
  if (length % 2 !== 0) {
    return codecFailure(coltyp, `${length} bytes is not a whole number of UTF-16 code units`)
  }
  return decodeUtf16(bytes, length)
}

// ---------------------------------------------------------------------------------------------
// GUID

/**
 * For each stored byte, where its two hex digits sit in the string form. Windows stores Data1,
 * Data2 and Data3 little-endian and Data4 as is.
 */
const guidDigitAt = [6, 4, 2, 0, 11, 9, 16, 14, 19, 21, 24, 26, 28, 30, 32, 34] as const

const hexByte: ReadonlyArray<string> = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"))

const hexValue = (unit: number): number => {
  if (unit >= 0x30 && unit <= 0x39) return unit - 0x30
  const lower = unit | 0x20
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10
  return -1
}

const badGuid = (value: string): CodecFailure =>
  codecFailure(
    JET_coltypGUID,
    `${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value)} is not a GUID of the form `
      + "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
  )

const encodeGuid: Encoder = (value) => {
  if (typeof value !== "string") return expected(JET_coltypGUID, "a string", value)
  if (value.length !== 36) return badGuid(value)
  if (
    value.charCodeAt(8) !== 0x2D || value.charCodeAt(13) !== 0x2D || value.charCodeAt(18) !== 0x2D
    || value.charCodeAt(23) !== 0x2D
  ) return badGuid(value)
  const out = new Uint8Array(16)
  for (let i = 0; i < 16; i++) {
    const at = guidDigitAt[i] as number
    const high = hexValue(value.charCodeAt(at))
    const low = hexValue(value.charCodeAt(at + 1))
    if (high < 0 || low < 0) return badGuid(value)
    out[i] = high << 4 | low
  }
  return out
}
const decodeGuid: Decoder = (bytes) => {
  const h = (i: number): string => hexByte[bytes[i] as number] as string
  return `${h(3)}${h(2)}${h(1)}${h(0)}-${h(5)}${h(4)}-${h(7)}${h(6)}-${h(8)}${h(9)}-`
    + `${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`
}

// ---------------------------------------------------------------------------------------------
// Codec objects and dispatch

interface Entry {
  readonly size: number | undefined
  readonly encode: Encoder
  readonly decode: Decoder
}

const entries: ReadonlyArray<Entry | undefined> = (() => {
  const table: Array<Entry | undefined> = []
  const add = (coltyp: Coltyp, size: number | undefined, encode: Encoder, decode: Decoder) => {
    table[coltyp] = { size, encode, decode }
  }
  add(JET_coltypBit, 1, encodeBit, decodeBit)
  add(JET_coltypUnsignedByte, 1, encodeUnsignedByte, decodeUnsignedByte)
  add(JET_coltypShort, 2, encodeShort, decodeShort)
  add(JET_coltypLong, 4, encodeLong, decodeLong)
  add(JET_coltypCurrency, 8, signedInt64Encoder(JET_coltypCurrency), decodeSignedInt64)
  add(JET_coltypIEEESingle, 4, encodeIEEESingle, decodeIEEESingle)
  add(JET_coltypIEEEDouble, 8, encodeIEEEDouble, decodeIEEEDouble)
  add(JET_coltypDateTime, 8, encodeDateTime, decodeDateTime)
  add(
    JET_coltypBinary,
    undefined,
    binaryEncoder(JET_coltypBinary, JET_cbColumnMost),
    binaryDecoder(JET_coltypBinary, JET_cbColumnMost)
  )
  add(
    JET_coltypText,
    undefined,
    textEncoder(JET_coltypText, JET_cbColumnMost),
    textDecoder(JET_coltypText, JET_cbColumnMost)
  )
  add(
    JET_coltypLongBinary,
    undefined,
    binaryEncoder(JET_coltypLongBinary, longValueMost),
    binaryDecoder(JET_coltypLongBinary, longValueMost)
  )
  add(
    JET_coltypLongText,
    undefined,
    textEncoder(JET_coltypLongText, longValueMost),
    textDecoder(JET_coltypLongText, longValueMost)
  )
  add(JET_coltypUnsignedLong, 4, encodeUnsignedLong, decodeUnsignedLong)
  add(JET_coltypLongLong, 8, signedInt64Encoder(JET_coltypLongLong), decodeSignedInt64)
  add(JET_coltypGUID, 16, encodeGuid, decodeGuid)
  add(JET_coltypUnsignedShort, 2, encodeUnsignedShort, decodeUnsignedShort)
  add(JET_coltypUnsignedLongLong, 8, encodeUnsignedLongLong, decodeUnsignedLongLong)
  return table
})()

const entryOf = (coltyp: number): Entry | CodecFailure => {
  const entry = Number.isInteger(coltyp) ? entries[coltyp] : undefined
  return entry ?? codecFailure(coltyp, `${describeOption(coltyp)} is not a column type with values`)
}

const encodeWith = (coltyp: number, entry: Entry, value: unknown, options: CodecOptions | undefined) => {
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    return expected(coltyp, "an options object", options)
  }
  return entry.encode(value, options)
}

const decodeWith = (
  coltyp: number,
  entry: Entry,
  bytes: unknown,
  length: unknown,
  options: CodecOptions | undefined
): unknown => {
  if (!(bytes instanceof Uint8Array)) return expected(coltyp, "a Uint8Array", bytes)
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    return expected(coltyp, "an options object", options)
  }
  let n: number
  if (length === undefined) n = bytes.byteLength
  else if (
    typeof length === "number" && Number.isInteger(length) && length >= 0 && length <= bytes.byteLength
  ) n = length
  else {
    return codecFailure(
      coltyp,
      `the length ${describeOption(length)} is not a byte count within the ${bytes.byteLength}-byte buffer`
    )
  }
  if (entry.size !== undefined && n !== entry.size) {
    return codecFailure(coltyp, `expected ${entry.size} bytes, got ${n}`)
  }
  return entry.decode(bytes, n, options)
}

const makeCodec = <C extends Coltyp>(coltyp: C): ColumnCodec<C> => {
  const entry = entries[coltyp] as Entry
  return {
    coltyp,
    size: entry.size,
    encode: (value, options) => encodeWith(coltyp, entry, value, options),
    decode: (bytes, length, options) => decodeWith(coltyp, entry, bytes, length, options) as ColumnValue<C>
  }
}

/**
 * The bytes ESENT stores for a value of a column type, or why it cannot be stored.
 *
 * With a literal coltyp the value's JavaScript type is checked at compile time; with a coltyp known
 * only at run time (a plain `number`, say from `JetGetColumnInfo`) any value is accepted and checked
 * when called. Either way a wrong value is a {@link CodecFailure}, not an exception.
 *
 * @example
 * ```ts
 * encodeColumnValue(JET_coltypShort, -2) // Uint8Array [0xFE, 0xFF]
 * encodeColumnValue(JET_coltypText, "hé", { cp: 1200 }) // Uint8Array [0x68, 0, 0xE9, 0]
 * encodeColumnValue(JET_coltypShort, 1e6) // { _tag: "CodecFailure", coltyp: 3, reason: "..." }
 * ```
 */
export const encodeColumnValue = <N extends number>(
  coltyp: N,
  value: ColumnValueOf<N>,
  options?: CodecOptions
): Uint8Array | CodecFailure => {
  const entry = entryOf(coltyp)
  if ("_tag" in entry) return entry
  return encodeWith(coltyp, entry, value, options)
}

/**
 * The value stored as the first `length` bytes of `bytes` (all of them by default), or why those
 * bytes are not a value of the column type. Passing the retrieve buffer with the size
 * `JetRetrieveColumn` reported avoids copying it first.
 *
 * @example
 * ```ts
 * const buffer = new Uint8Array(255)
 * // ... JetRetrieveColumn filled buffer and reported 4 bytes
 * decodeColumnValue(JET_coltypLong, buffer, 4) // number | CodecFailure
 * decodeColumnValue(JET_coltypGUID, guidBytes) // "00112233-4455-6677-8899-aabbccddeeff"
 * ```
 */
export const decodeColumnValue = <N extends number>(
  coltyp: N,
  bytes: Uint8Array,
  length?: number,
  options?: CodecOptions
): DecodedColumnValue<N> | CodecFailure => {
  const entry = entryOf(coltyp)
  if ("_tag" in entry) return entry
  return decodeWith(coltyp, entry, bytes, length, options) as DecodedColumnValue<N> | CodecFailure
}

/**
 * The codec of a column type known only at run time, or `undefined` for Nil, SLV and unknown
 * numbers.
 *
 * @example
 * ```ts
 * const codec = codecOf(info.coltyp)
 * const size = codec?.size // 4 for a Long column
 * ```
 */
export const codecOf = (coltyp: number): ColumnCodec<Coltyp> | undefined =>
  Number.isInteger(coltyp) ? codecs[coltyp] : undefined

/**
 * Bit columns: `boolean`, one byte, `0xFF` for true.
 *
 * @example
 * ```ts
 * bit.encode(true) // Uint8Array [0xFF]
 * ```
 */
export const bit: ColumnCodec<typeof JET_coltypBit> = makeCodec(JET_coltypBit)

/**
 * UnsignedByte columns: an integer 0..255.
 *
 * @example
 * ```ts
 * unsignedByte.encode(200) // Uint8Array [200]
 * ```
 */
export const unsignedByte: ColumnCodec<typeof JET_coltypUnsignedByte> = makeCodec(JET_coltypUnsignedByte)

/**
 * Short columns: an integer -32768..32767, little-endian.
 *
 * @example
 * ```ts
 * short.encode(-2) // Uint8Array [0xFE, 0xFF]
 * ```
 */
export const short: ColumnCodec<typeof JET_coltypShort> = makeCodec(JET_coltypShort)

/**
 * UnsignedShort columns: an integer 0..65535, little-endian.
 *
 * @example
 * ```ts
 * unsignedShort.encode(0x1234) // Uint8Array [0x34, 0x12]
 * ```
 */
export const unsignedShort: ColumnCodec<typeof JET_coltypUnsignedShort> = makeCodec(JET_coltypUnsignedShort)

/**
 * Long columns: an integer -2^31..2^31-1, little-endian.
 *
 * @example
 * ```ts
 * long.encode(5) // Uint8Array [5, 0, 0, 0]
 * ```
 */
export const long: ColumnCodec<typeof JET_coltypLong> = makeCodec(JET_coltypLong)

/**
 * UnsignedLong columns: an integer 0..2^32-1, little-endian.
 *
 * @example
 * ```ts
 * unsignedLong.encode(0xFFFFFFFF) // Uint8Array [0xFF, 0xFF, 0xFF, 0xFF]
 * ```
 */
export const unsignedLong: ColumnCodec<typeof JET_coltypUnsignedLong> = makeCodec(JET_coltypUnsignedLong)

/**
 * Currency columns: a signed 64-bit `bigint`, little-endian. The raw count of 1/10000 units: no
 * scaling is applied.
 *
 * @example
 * ```ts
 * currency.encode(12_3400n) // 12.34 in currency units
 * ```
 */
export const currency: ColumnCodec<typeof JET_coltypCurrency> = makeCodec(JET_coltypCurrency)

/**
 * LongLong columns: a signed 64-bit `bigint`, little-endian.
 *
 * @example
 * ```ts
 * longLong.encode(-1n) // Uint8Array [0xFF x 8]
 * ```
 */
export const longLong: ColumnCodec<typeof JET_coltypLongLong> = makeCodec(JET_coltypLongLong)

/**
 * UnsignedLongLong columns (Windows 10 and later): an unsigned 64-bit `bigint`, little-endian.
 *
 * @example
 * ```ts
 * unsignedLongLong.encode(2n ** 64n - 1n) // Uint8Array [0xFF x 8]
 * ```
 */
export const unsignedLongLong: ColumnCodec<typeof JET_coltypUnsignedLongLong> = makeCodec(
  JET_coltypUnsignedLongLong
)

/**
 * IEEESingle columns: any number, stored as the nearest float32 (so it reads back as
 * `Math.fround(value)`).
 *
 * @example
 * ```ts
 * ieeeSingle.decode(ieeeSingle.encode(0.1) as Uint8Array) // 0.10000000149011612
 * ```
 */
export const ieeeSingle: ColumnCodec<typeof JET_coltypIEEESingle> = makeCodec(JET_coltypIEEESingle)

/**
 * IEEEDouble columns: any number, -0 and NaN included, little-endian.
 *
 * @example
 * ```ts
 * ieeeDouble.encode(1) // Uint8Array [0, 0, 0, 0, 0, 0, 0xF0, 0x3F]
 * ```
 */
export const ieeeDouble: ColumnCodec<typeof JET_coltypIEEEDouble> = makeCodec(JET_coltypIEEEDouble)

/**
 * DateTime columns: a `Date` from 0100-01-01 to 9999-12-31 23:59:59.999 (UTC), stored as an OLE
 * Automation date, precise to the millisecond.
 *
 * @example
 * ```ts
 * dateTime.encode(new Date("1899-12-29T06:00:00Z")) // the double -1.25
 * ```
 */
export const dateTime: ColumnCodec<typeof JET_coltypDateTime> = makeCodec(JET_coltypDateTime)

/**
 * Binary columns: at most 255 bytes (or the `cbMax` option). Encoding returns the array itself.
 *
 * @example
 * ```ts
 * binary.encode(new Uint8Array([1, 2, 3]), { cbMax: 16 })
 * ```
 */
export const binary: ColumnCodec<typeof JET_coltypBinary> = makeCodec(JET_coltypBinary)

/**
 * LongBinary columns: at most 2^31 - 1 bytes (or the `cbMax` option). Encoding returns the array
 * itself.
 *
 * @example
 * ```ts
 * longBinary.encode(new Uint8Array(100_000))
 * ```
 */
export const longBinary: ColumnCodec<typeof JET_coltypLongBinary> = makeCodec(JET_coltypLongBinary)

/**
 * Text columns: a string of at most 255 bytes (or the `cbMax` option) in the column's code page,
 * Windows-1252 by default or UTF-16LE with `cp: 1200`.
 *
 * @example
 * ```ts
 * text.encode("€") // Uint8Array [0x80]
 * text.encode("€", { cp: 1200 }) // Uint8Array [0xAC, 0x20]
 * ```
 */
export const text: ColumnCodec<typeof JET_coltypText> = makeCodec(JET_coltypText)

/**
 * LongText columns: as {@link text}, up to 2^31 - 1 bytes.
 *
 * @example
 * ```ts
 * longText.encode("a long document", { cp: 1200 })
 * ```
 */
export const longText: ColumnCodec<typeof JET_coltypLongText> = makeCodec(JET_coltypLongText)

/**
 * GUID columns: `"xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"`, either case in, lowercase out, stored in
 * Windows `GUID` byte order (Data1, Data2 and Data3 little-endian, Data4 as is).
 *
 * @example
 * ```ts
 * guid.encode("00112233-4455-6677-8899-aabbccddeeff")
 * // Uint8Array [0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xAA, ..., 0xFF]
 * ```
 */
export const guid: ColumnCodec<typeof JET_coltypGUID> = makeCodec(JET_coltypGUID)

const codecs: ReadonlyArray<ColumnCodec<Coltyp> | undefined> = (() => {
  const table: Array<ColumnCodec<Coltyp> | undefined> = []
  for (
    const codec of [
      bit,
      unsignedByte,
      short,
      unsignedShort,
      long,
      unsignedLong,
      currency,
      longLong,
      unsignedLongLong,
      ieeeSingle,
      ieeeDouble,
      dateTime,
      binary,
      longBinary,
      text,
      longText,
      guid
    ]
  ) table[codec.coltyp] = codec
  return table
})()
