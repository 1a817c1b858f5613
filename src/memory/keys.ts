/**
 * Index key normalization: the byte strings that ESENT sorts index entries by, built rule for rule
 * after the engine's `fldnorm.cxx` (ESENT-SEMANTICS §4). Keys compare with memcmp, a prefix first.
 *
 * Each key segment is a header byte and a payload:
 * - header 0x7F for data, 0x00 for NULL (0xC0 with `JET_bitIndexSortNullsHigh`), 0x40 for a
 *   zero-length Text or Binary value; a zero-length value of a fixed-size type is NULL;
 * - Bit → 0x00 / 0xFF (any non-zero byte is true); UnsignedByte raw; Short, Long, LongLong and
 *   Currency big-endian with the sign bit flipped; UnsignedShort, UnsignedLong and UnsignedLongLong
 *   big-endian; IEEESingle, IEEEDouble and DateTime big-endian, every bit inverted when the sign bit
 *   is set, else the sign bit flipped; GUID bytes reordered [10-15, 8, 9, 6, 7, 4, 5, 0-3]
 *   (`JET_bitIndexDotNetGuid`: [3, 2, 1, 0, 5, 4, 7, 6, 8-15], the order of .NET's Guid);
 * - Text in code page 1252 (any code page but 1200): cut at the first NUL, ASCII a-z uppercased,
 *   then a 0x00 terminator;
 * - Binary and LongBinary: 8-byte chunks, each followed by 9 when more follow, the last one
 *   zero-padded and followed by the count of bytes it holds (8 for a length that is a multiple of 8);
 *   a fixed Binary column (`JET_bitColumnFixed`) raw;
 * - a descending segment has every byte, header included, XOR 0xFF.
 *
 * Choices and deviations, each tested in `test/memory/keys.test.ts`:
 * - Floating point keys follow the bit pattern, as the engine does: -0 is a different key from +0
 *   and sorts just before it; a NaN with the sign bit clear sorts above +Infinity, one with the sign
 *   bit set below -Infinity; NaNs with different payloads are different keys.
 * - DateTime sorts as its double. OLE dates before 1899-12-30 are negative with a positive time of
 *   day, so among them the double order is not the chronological order (-1.75, 1899-12-29 18:00,
 *   sorts before -1.25, 1899-12-29 06:00), exactly as on Windows.
 * - Unicode text (code page 1200) is the documented deviation. Windows stores an `LCMapString` sort
 *   key (linguistic, ignoring case, kana type and width), which depends on the Windows NLS tables. Here
 *   the text is cut at the first U+0000 (an odd trailing byte is ignored), each code point is
 *   replaced by its simple uppercase mapping (`String.prototype.toUpperCase` of that code point alone
 *   when the result is one code point, so "ß" stays "ß" while "ı" and "ſ" become "I" and "S"; no
 *   locale, no canonical or width equivalence; the mapping is the running ICU's Unicode version), and
 *   written as big-endian UTF-16 code units remapped so that byte order is code-point order
 *   (E000-FFFF → D800-F7FF, surrogates D800-DFFF → F800-FFFF; an unpaired surrogate sorts by its own
 *   value among the supplementary characters), then a 00 00 terminator that sorts before any
 *   character. Two bytes per BMP character keeps the key capacity close to Windows' sort keys.
 * - Truncation follows the engine: a key longer than its maximum is cut there. When a cp-1252 text
 *   segment is cut, the engine writes its last byte as `byte - 0x20` whatever the byte is (the old
 *   C runtime's `_toupper`), and a text segment that finds a single byte of room left keeps only its
 *   header without counting as truncated; {@link makeIndexKey} and {@link appendKeySegment} do the
 *   same. {@link buildKey} only cuts the joined segments.
 * - `JetMakeKey` limit keys follow the engine's `ErrFLDNormalizeSegment` (see {@link applyKeyLimit}).
 *   {@link checkMakeKeyGrbit} also refuses `JET_bitStrLimit` or `SubStrLimit` together with a
 *   Full/Partial limit bit, as §4 says; the engine's ISAM layer on its own lets the Full/Partial bit
 *   win.
 *
 * The engine builds an index entry's key with {@link makeIndexKey} and a search key with one
 * {@link appendKeySegment} per `JetMakeKey`; {@link normalizeSegment}, {@link buildKey} and
 * {@link applyKeyLimit} are the same rules one step at a time.
 *
 * @module
 */
import {
  JET_bitFullColumnEndLimit,
  JET_bitFullColumnStartLimit,
  JET_bitKeyDataZeroLength,
  JET_bitPartialColumnEndLimit,
  JET_bitPartialColumnStartLimit,
  JET_bitStrLimit,
  JET_bitSubStrLimit,
  JET_cbKeyMost,
  JET_cbKeyMost8KBytePage,
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
} from "../jet/constants.ts"
import { jetErrorCodes } from "../jet/errors.generated.ts"
import { copyPrefix } from "./util.ts"

/** How one key segment is normalized. */
export interface SegmentSpec {
  /** The column's `JET_coltyp*`. */
  readonly coltyp: number
  /** The column's code page for Text and LongText: 1200 is UTF-16LE, anything else single-byte. */
  readonly cp: number
  /** The segment is `-column` in the index key string. */
  readonly descending: boolean
  /** The index has `JET_bitIndexSortNullsHigh`. */
  readonly nullsHigh: boolean
  /** The column is fixed (`JET_bitColumnFixed`): a fixed Binary column is normalized raw. */
  readonly fixed?: boolean
  /** The index has `JET_bitIndexDotNetGuid`: GUIDs sort as .NET's Guid compares them. */
  readonly dotNetGuid?: boolean
  /**
   * The column's fixed length (`JET_COLUMNDEF.cbMax`) for a fixed Text or Binary column:
   * {@link appendKeySegment} then pads shorter text with spaces and rejects other sizes, as
   * `JetMakeKey` does.
   */
  readonly cbMax?: number
}

/** Segment header bytes, before any descending XOR. */
export const KeyPrefix = {
  /** A NULL value, sorting before data. */
  null: 0x00,
  /** A zero-length Text or Binary value. */
  zeroLength: 0x40,
  /** Data. */
  data: 0x7f,
  /** A NULL value with `JET_bitIndexSortNullsHigh`, sorting after data. */
  nullHigh: 0xc0
} as const

/**
 * The most key segments an index may have. The engine has accepted 16 since Windows Vista
 * (`JET_ccolKeyMost` in the engine's header); mingw's older header says 12.
 */
export const ccolKeyMostEngine = 16

/**
 * The longest result of {@link normalizeSegment}: one byte more than the largest key
 * (`JET_cbKeyMost8KBytePage`), so that a segment cut there still makes {@link buildKey} report the
 * truncation, and a long value is never normalized beyond what a key can hold.
 */
export const cbSegmentMost = JET_cbKeyMost8KBytePage + 1

const maskLimitOptions = JET_bitFullColumnStartLimit | JET_bitFullColumnEndLimit
  | JET_bitPartialColumnStartLimit | JET_bitPartialColumnEndLimit

const errInvalidGrbit = jetErrorCodes.JET_errInvalidGrbit
const errInvalidBufferSize = jetErrorCodes.JET_errInvalidBufferSize

/** The stored size of a fixed-size column type, or 0 for Text, Binary and their long forms. */
export const coltypFixedSize = (coltyp: number): number => {
  switch (coltyp) {
    case JET_coltypBit:
    case JET_coltypUnsignedByte:
      return 1
    case JET_coltypShort:
    case JET_coltypUnsignedShort:
      return 2
    case JET_coltypLong:
    case JET_coltypUnsignedLong:
    case JET_coltypIEEESingle:
      return 4
    case JET_coltypCurrency:
    case JET_coltypIEEEDouble:
    case JET_coltypDateTime:
    case JET_coltypLongLong:
    case JET_coltypUnsignedLongLong:
      return 8
    case JET_coltypGUID:
      return 16
    default:
      return 0
  }
}

const isText = (coltyp: number): boolean => coltyp === JET_coltypText || coltyp === JET_coltypLongText

const isBinary = (coltyp: number): boolean => coltyp === JET_coltypBinary || coltyp === JET_coltypLongBinary

// One buffer for every normalization: callers get a single right-sized copy. The slack past the
// largest key lets a fixed-size segment be written whole before it is cut, and a limit add its byte.
let scratch = new Uint8Array(cbSegmentMost + 64)

const scratchFor = (n: number): Uint8Array => {
  if (scratch.length < n + 64) scratch = new Uint8Array(n + 64)
  return scratch
}

// Side results of writeSegment, kept out of its return value so that the hot path allocates nothing.
let segmentTruncated = false
// Offset from the segment's start of the end of a variable Binary value's data, when that end is
// inside the segment; 0 otherwise. Partial-column limits cut or pad from there.
let segmentDelimiter = 0

const writeNull = (spec: SegmentSpec, out: Uint8Array, pos: number): number => {
  out[pos] = spec.nullsHigh ? KeyPrefix.nullHigh : KeyPrefix.null
  return pos + 1
}

// Big-endian copy of a little-endian integer, sign bit optionally flipped.
const writeInteger = (v: Uint8Array, size: number, signed: boolean, out: Uint8Array, pos: number): void => {
  for (let i = 0; i < size; i++) out[pos + i] = v[size - 1 - i] as number
  if (signed) out[pos] = (out[pos] as number) ^ 0x80
}

const writeFloat = (v: Uint8Array, size: number, out: Uint8Array, pos: number): void => {
  if (((v[size - 1] as number) & 0x80) !== 0) {
    for (let i = 0; i < size; i++) out[pos + i] = ~(v[size - 1 - i] as number) & 0xff
  } else {
    writeInteger(v, size, true, out, pos)
  }
}

const guidOrder = [10, 11, 12, 13, 14, 15, 8, 9, 6, 7, 4, 5, 0, 1, 2, 3]
const dotNetGuidOrder = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15]

const writeFixedType = (
  spec: SegmentSpec,
  v: Uint8Array,
  out: Uint8Array,
  pos: number,
  cbAvail: number
): number => {
  const coltyp = spec.coltyp
  const size = coltypFixedSize(coltyp)
  if (size === 0) throw new RangeError(`no key normalization for column type ${coltyp}`)
  if (v.length !== size) {
    throw new RangeError(`a value of column type ${coltyp} has ${size} bytes, not ${v.length}`)
  }
  out[pos] = KeyPrefix.data
  const p = pos + 1
  switch (coltyp) {
    case JET_coltypBit:
      out[p] = v[0] === 0 ? 0x00 : 0xff
      break
    case JET_coltypUnsignedByte:
      out[p] = v[0] as number
      break
    case JET_coltypShort:
    case JET_coltypLong:
    case JET_coltypLongLong:
    case JET_coltypCurrency:
      writeInteger(v, size, true, out, p)
      break
    case JET_coltypUnsignedShort:
    case JET_coltypUnsignedLong:
    case JET_coltypUnsignedLongLong:
      writeInteger(v, size, false, out, p)
      break
    case JET_coltypIEEESingle:
    case JET_coltypIEEEDouble:
    case JET_coltypDateTime:
      writeFloat(v, size, out, p)
      break
    default: {
      const order = spec.dotNetGuid === true ? dotNetGuidOrder : guidOrder
      for (let i = 0; i < 16; i++) out[p + i] = v[order[i] as number] as number
    }
  }
  if (size + 1 > cbAvail) {
    segmentTruncated = true
    return pos + cbAvail
  }
  return p + size
}

const writeAnsiText = (v: Uint8Array, out: Uint8Array, pos: number, cbAvail: number): number => {
  out[pos] = KeyPrefix.data
  let p = pos + 1
  const room = cbAvail - 1
  // Only the first `room` bytes can decide whether the text fits: a long value is not scanned.
  const scan = v.length < room ? v.length : room
  let len = 0
  while (len < scan && v[len] !== 0) len++
  if (len < scan || v.length < room) {
    for (let i = 0; i < len; i++) {
      const c = v[i] as number
      out[p++] = c >= 0x61 && c <= 0x7a ? c - 0x20 : c
    }
    out[p++] = 0x00
    return p
  }
  // The engine reports no truncation when only the header fits.
  if (room === 0) return p
  const n = room - 1
  for (let i = 0; i < n; i++) {
    const c = v[i] as number
    out[p++] = c >= 0x61 && c <= 0x7a ? c - 0x20 : c
  }
  out[p++] = ((v[n] as number) - 0x20) & 0xff
  segmentTruncated = true
  return p
}

// Simple uppercase mappings, filled in as code points are met: 0 means not yet looked up (U+0000
// never is, text being cut there).
let bmpUpper: Uint32Array | undefined
const astralUpper = new Map<number, number>()

const upperOf = (cp: number): number => {
  const s = String.fromCodePoint(cp).toUpperCase()
  const u = s.codePointAt(0) as number
  return s.length === (u > 0xffff ? 2 : 1) ? u : cp
}

/**
 * The case folding of Unicode key text: a code point's simple uppercase mapping (see the module
 * notes). Surrogate code points are left alone.
 */
export const foldCodePoint = (cp: number): number => {
  if (cp < 0x80) return cp >= 0x61 && cp <= 0x7a ? cp - 0x20 : cp
  if (cp >= 0xd800 && cp <= 0xdfff) return cp
  if (cp < 0x10000) {
    const table = bmpUpper ??= new Uint32Array(0x10000)
    let u = table[cp] as number
    if (u === 0) {
      u = upperOf(cp)
      table[cp] = u
    }
    return u
  }
  let u = astralUpper.get(cp)
  if (u === undefined) {
    u = upperOf(cp)
    astralUpper.set(cp, u)
  }
  return u
}

// A UTF-16 code unit moved so that big-endian unit order is code-point order.
const orderedUnit = (u: number): number => u < 0xd800 ? u : u < 0xe000 ? u + 0x2000 : u - 0x800

// A cut segment fills its room: a last free byte takes the high byte of the unit that did not fit.
const cutUnicode = (out: Uint8Array, p: number, end: number, unit: number): number => {
  if (p < end) out[p++] = unit >> 8
  segmentTruncated = true
  return p
}

const writeUnicodeText = (v: Uint8Array, out: Uint8Array, pos: number, cbAvail: number): number => {
  out[pos] = KeyPrefix.data
  let p = pos + 1
  const end = pos + cbAvail
  const n = v.length & ~1
  for (let i = 0; i < n; i += 2) {
    let cp = (v[i] as number) | ((v[i + 1] as number) << 8)
    if (cp === 0) break
    if (cp >= 0xd800 && cp <= 0xdbff && i + 3 < n) {
      const lo = (v[i + 2] as number) | ((v[i + 3] as number) << 8)
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00)
        i += 2
      }
    }
    cp = foldCodePoint(cp)
    let unit: number
    if (cp > 0xffff) {
      const hi = orderedUnit(0xd800 + ((cp - 0x10000) >> 10))
      if (p + 2 > end) return cutUnicode(out, p, end, hi)
      out[p++] = hi >> 8
      out[p++] = hi & 0xff
      unit = orderedUnit(0xdc00 + ((cp - 0x10000) & 0x3ff))
    } else {
      unit = orderedUnit(cp)
    }
    if (p + 2 > end) return cutUnicode(out, p, end, unit)
    out[p++] = unit >> 8
    out[p++] = unit & 0xff
  }
  if (p + 2 > end) return cutUnicode(out, p, end, 0)
  out[p++] = 0x00
  out[p++] = 0x00
  return p
}

const writeVariableBinary = (v: Uint8Array, out: Uint8Array, pos: number, cbAvail: number): number => {
  out[pos] = KeyPrefix.data
  const n = v.length
  const chunks = (n + 7) >>> 3
  const full = 1 + chunks * 9
  const cbSeg = full > cbAvail ? cbAvail : full
  const end = pos + cbSeg
  let p = pos + 1
  for (let i = 0; p < end; i += 8) {
    const last = i + 8 >= n
    for (let k = i; k < i + 8 && p < end; k++) out[p++] = k < n ? v[k] as number : 0
    if (p < end) out[p++] = last ? n - i : 9
  }
  const dataEnd = 1 + (chunks - 1) * 9 + (n - (chunks - 1) * 8)
  segmentDelimiter = dataEnd < cbSeg ? dataEnd : 0
  if (full > cbAvail) segmentTruncated = true
  return end
}

const writeFixedBinary = (v: Uint8Array, out: Uint8Array, pos: number, cbAvail: number): number => {
  out[pos] = KeyPrefix.data
  let n = v.length
  if (n + 1 > cbAvail) {
    n = cbAvail - 1
    segmentTruncated = true
  }
  out.set(n === v.length ? v : v.subarray(0, n), pos + 1)
  return pos + 1 + n
}

// Writes one segment at out[pos], at most cbAvail (>= 1) bytes; returns the end. Sets
// segmentTruncated and segmentDelimiter.
const writeSegment = (
  spec: SegmentSpec,
  value: Uint8Array | null,
  out: Uint8Array,
  pos: number,
  cbAvail: number
): number => {
  segmentTruncated = false
  segmentDelimiter = 0
  const coltyp = spec.coltyp
  let end: number
  if (value === null) {
    end = writeNull(spec, out, pos)
  } else if (value.length === 0) {
    if (isText(coltyp) || isBinary(coltyp)) {
      out[pos] = KeyPrefix.zeroLength
      end = pos + 1
    } else {
      end = writeNull(spec, out, pos)
    }
  } else if (isText(coltyp)) {
    end = spec.cp === 1200
      ? writeUnicodeText(value, out, pos, cbAvail)
      : writeAnsiText(value, out, pos, cbAvail)
  } else if (isBinary(coltyp)) {
    end = spec.fixed === true
      ? writeFixedBinary(value, out, pos, cbAvail)
      : writeVariableBinary(value, out, pos, cbAvail)
  } else {
    end = writeFixedType(spec, value, out, pos, cbAvail)
  }
  if (spec.descending) { for (let i = pos; i < end; i++) out[i] = (out[i] as number) ^ 0xff }
  return end
}

/**
 * Normalizes one key segment from the column's stored bytes (little-endian, as `JetSetColumn`
 * received them).
 *
 * @param value `null` for NULL; a zero-length array for a zero-length value (header 0x40 for Text
 *   and Binary, NULL for fixed-size types).
 * @returns the header byte and payload, every byte XOR 0xFF when the segment is descending; at most
 *   {@link cbSegmentMost} bytes, so a long value is normalized only as far as a key can use.
 * @throws RangeError for a column type without keys, or a fixed-size value of the wrong size (the
 *   engine checks sizes before: `JET_errInvalidBufferSize`).
 */
export const normalizeSegment = (spec: SegmentSpec, value: Uint8Array | null): Uint8Array => {
  const buf = scratchFor(cbSegmentMost)
  const end = writeSegment(spec, value, buf, 0, cbSegmentMost)
  return buf.slice(0, end)
}

/**
 * Compares two keys as memcmp, a prefix sorting first.
 *
 * @returns a negative number, zero or a positive number.
 */
export const compareKeys = (a: Uint8Array, b: Uint8Array): number => {
  const n = a.length < b.length ? a.length : b.length
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number)
    if (d !== 0) return d
  }
  return a.length - b.length
}

/** A key and whether it was cut at the index's maximum key length. */
export interface Key {
  /** The key bytes. */
  readonly key: Uint8Array
  /** The key was cut: with `JET_bitIndexDisallowTruncation` the engine fails with `JET_errKeyTruncated`. */
  readonly truncated: boolean
}

/**
 * Joins normalized segments and cuts the result at `cbKeyMost` bytes. This is a plain cut: for the
 * engine's exact truncation of cp-1252 text use {@link makeIndexKey}.
 *
 * @param cbKeyMost the index's maximum key length, `JET_cbKeyMost` (255) unless
 *   `JET_bitIndexKeyMost` set another.
 */
export const buildKey = (segments: ReadonlyArray<Uint8Array>, cbKeyMost: number = JET_cbKeyMost): Key => {
  let total = 0
  for (const s of segments) total += s.length
  const len = total > cbKeyMost ? cbKeyMost : total
  const key = new Uint8Array(len)
  let p = 0
  for (const s of segments) {
    if (p >= len) break
    const take = s.length < len - p ? s.length : len - p
    key.set(take === s.length ? s : s.subarray(0, take), p)
    p += take
  }
  return { key, truncated: total > cbKeyMost }
}

/**
 * Builds the key of an index entry from its column values, as the engine does when it indexes a
 * record: segments are normalized in order into the room left, a segment that does not fit is cut
 * (cp-1252 text the engine's way, see the module notes), and the key is truncated when any segment
 * is cut or does not fit at all. One allocation: the key.
 *
 * @param values one per spec, as {@link normalizeSegment} takes them; missing ones are NULL.
 */
export const makeIndexKey = (
  specs: ReadonlyArray<SegmentSpec>,
  values: ReadonlyArray<Uint8Array | null>,
  cbKeyMost: number = JET_cbKeyMost
): Key => {
  const buf = scratchFor(cbKeyMost)
  let p = 0
  let truncated = false
  const n = specs.length
  for (let i = 0; i < n; i++) {
    if (p >= cbKeyMost) {
      truncated = true
      break
    }
    p = writeSegment(specs[i] as SegmentSpec, values[i] ?? null, buf, p, cbKeyMost - p)
    if (segmentTruncated) {
      truncated = true
      break
    }
  }
  return { key: copyPrefix(buf, p), truncated }
}

/**
 * Checks `JetMakeKey`'s limit grbits for the key column `spec`: at most one of
 * `JET_bitFullColumnStartLimit`, `FullColumnEndLimit`, `PartialColumnStartLimit` and
 * `PartialColumnEndLimit`, none of them with `JET_bitStrLimit` or `SubStrLimit` (§4), and the
 * partial ones only on Text or variable Binary columns (the engine's `ErrIsamMakeKey`).
 *
 * @returns 0, or `JET_errInvalidGrbit`.
 */
export const checkMakeKeyGrbit = (grbit: number, spec: SegmentSpec | undefined): number => {
  const limits = grbit & maskLimitOptions
  if (limits === 0) return 0
  if ((limits & (limits - 1)) !== 0) return errInvalidGrbit
  if ((grbit & (JET_bitStrLimit | JET_bitSubStrLimit)) !== 0) return errInvalidGrbit
  if ((limits & (JET_bitPartialColumnStartLimit | JET_bitPartialColumnEndLimit)) !== 0) {
    const coltyp = spec?.coltyp ?? 0
    if (!isText(coltyp) && !(isBinary(coltyp) && spec?.fixed !== true)) return errInvalidGrbit
  }
  return 0
}

// The engine pads an end limit up to one byte past the maximum key length (JET_cbLimitKeyMost for
// 255-byte keys).
const fullLimit = (buf: Uint8Array, segEnd: number, suffixEnd: number, endLimit: boolean): number => {
  if (!endLimit) return segEnd
  buf.fill(0xff, segEnd, suffixEnd)
  return suffixEnd
}

const textLimit = (
  buf: Uint8Array,
  segStart: number,
  segEnd: number,
  suffixEnd: number,
  spec: SegmentSpec,
  endLimit: boolean
): number => {
  const len = segEnd - segStart
  if (len < 2) return fullLimit(buf, segEnd, suffixEnd, endLimit)
  const terminator = spec.descending ? 0xff : 0x00
  let t = segEnd
  if (spec.cp === 1200) {
    // A complete segment ends with the two-byte terminator at a unit boundary; a cut one has none.
    if (len >= 3 && (len & 1) === 1 && buf[segEnd - 1] === terminator && buf[segEnd - 2] === terminator) {
      t = segEnd - 2
    }
  } else if (buf[segEnd - 1] === terminator) {
    t = segEnd - 1
  }
  if (t > suffixEnd - 1) t = suffixEnd - 1
  if (!endLimit) return t
  buf.fill(0xff, t, suffixEnd)
  return suffixEnd
}

const binaryLimit = (
  buf: Uint8Array,
  segStart: number,
  segEnd: number,
  suffixEnd: number,
  delimiter: number,
  endLimit: boolean
): number => {
  if (delimiter === 0) return fullLimit(buf, segEnd, suffixEnd, endLimit)
  if (!endLimit) return segStart + delimiter
  buf.fill(0xff, segStart + delimiter, segEnd + 1)
  return segEnd + 1
}

// Applies the limit grbits to the segment buf[segStart, segEnd); returns the new end of the key, or
// -1 when the grbits make no limit key.
const applyLimit = (
  buf: Uint8Array,
  segStart: number,
  segEnd: number,
  grbit: number,
  spec: SegmentSpec | undefined,
  cbKeyMost: number,
  delimiter: number
): number => {
  const suffixEnd = cbKeyMost + 1
  const text = spec !== undefined && isText(spec.coltyp)
  switch (grbit & maskLimitOptions) {
    case JET_bitFullColumnStartLimit:
      return segEnd
    case JET_bitFullColumnEndLimit:
      return fullLimit(buf, segEnd, suffixEnd, true)
    case JET_bitPartialColumnStartLimit:
    case JET_bitPartialColumnEndLimit: {
      const endLimit = (grbit & JET_bitPartialColumnEndLimit) !== 0
      return text
        ? textLimit(buf, segStart, segEnd, suffixEnd, spec, endLimit)
        : binaryLimit(buf, segStart, segEnd, suffixEnd, delimiter, endLimit)
    }
    case 0:
      // SubStrLimit is for text only; StrLimit makes an end limit of any column, cut after the data
      // of a variable Binary value and after the whole segment of anything else (text keeps its
      // terminator, so it matches the string exactly and any later columns).
      if ((grbit & JET_bitSubStrLimit) !== 0 && text) {
        return textLimit(buf, segStart, segEnd, suffixEnd, spec, true)
      }
      if ((grbit & JET_bitStrLimit) !== 0) {
        return binaryLimit(buf, segStart, segEnd, suffixEnd, delimiter, true)
      }
      return -1
    default:
      throw new RangeError(
        `more than one limit grbit in 0x${grbit.toString(16)}: check with checkMakeKeyGrbit`
      )
  }
}

// The end of a variable Binary value's data, from its normalized bytes: the last chunk is the one
// whose marker is a count (1-8) rather than 9. A cut segment shows no such chunk.
const binaryDelimiter = (key: Uint8Array, segStart: number, descending: boolean): number => {
  const mask = descending ? 0xff : 0x00
  for (let c = segStart + 1; c + 9 <= key.length; c += 9) {
    const marker = (key[c + 8] as number) ^ mask
    if (marker >= 1 && marker <= 8) return c - segStart + marker
  }
  return 0
}

/**
 * Applies `JetMakeKey`'s limit grbits to a search key whose last segment, starting at
 * `segmentStart`, is the normalized value of the column `lastSegmentSpec` (the engine's
 * `ErrFLDNormalizeSegment`):
 * - `JET_bitFullColumnStartLimit`: the key as is. `FullColumnEndLimit`: 0xFF up to `cbKeyMost + 1`
 *   bytes, so the key sorts after every entry that extends it.
 * - `PartialColumnStartLimit` / `EndLimit` on text: the segment without its terminator, then for the
 *   end limit 0xFF up to `cbKeyMost + 1`; on variable Binary: the segment cut after the value's last
 *   data byte, then for the end limit 0xFF over the rest of the segment plus one byte. A NULL or
 *   zero-length segment, or a cut one that does not show where its data ends, gets the full limit.
 * - `JET_bitSubStrLimit` on text: the partial end limit. `JET_bitStrLimit` (without SubStrLimit on
 *   text): the partial end limit of Binary for a variable Binary column, the full end limit for
 *   anything else; text keeps its terminator. SubStrLimit alone on a non-text column makes no limit.
 *
 * Bytes are not XORed for a descending segment: the engine pads with 0xFF and looks for the
 * terminator XOR 0xFF. When the key is already full before the segment (`segmentStart >=
 * cbKeyMost`), the engine adds no limit.
 *
 * @param segmentStart where the last segment begins (0 for a one-column key).
 * @param cbKeyMost the index's maximum key length.
 * @returns the limit key, or `key` itself when the grbits make no limit; {@link appendKeySegment}
 *   tells which.
 * @throws RangeError when more than one Full/Partial bit is set ({@link checkMakeKeyGrbit} first).
 */
export const applyKeyLimit = (
  key: Uint8Array,
  grbit: number,
  lastSegmentSpec: SegmentSpec | undefined,
  segmentStart: number = 0,
  cbKeyMost: number = JET_cbKeyMost
): Uint8Array => {
  if (segmentStart >= cbKeyMost || key.length > cbKeyMost) return key
  const buf = scratchFor(cbKeyMost + 1)
  buf.set(key, 0)
  const delimiter =
    lastSegmentSpec !== undefined && isBinary(lastSegmentSpec.coltyp) && lastSegmentSpec.fixed !== true
      ? binaryDelimiter(key, segmentStart, lastSegmentSpec.descending)
      : 0
  const end = applyLimit(buf, segmentStart, key.length, grbit, lastSegmentSpec, cbKeyMost, delimiter)
  return end < 0 ? key : buf.slice(0, end)
}

/** A search key after one more `JetMakeKey` segment. */
export interface SearchKey {
  /** The whole search key so far. */
  readonly key: Uint8Array
  /** The segment did not fit whole (the engine's "key too big" state). */
  readonly truncated: boolean
  /** A limit grbit made this a limit key: a further segment without `JET_bitNewKey` is `JET_errKeyIsMade`. */
  readonly limit: boolean
}

const emptyValue = new Uint8Array(0)

/**
 * Pads a fixed Text column's value to the column's length with spaces (U+0020 for code page 1200),
 * as the engine stores it and as `JetMakeKey` pads shorter key data for such a column.
 */
export const padFixedText = (value: Uint8Array, cbMax: number, cp: number): Uint8Array => {
  if (value.length >= cbMax) return value
  const out = new Uint8Array(cbMax)
  out.set(value, 0)
  for (let i = value.length; i < cbMax; i++) out[i] = cp === 1200 && (i & 1) === 1 ? 0x00 : 0x20
  return out
}

/**
 * One `JetMakeKey` call on an index column, after the engine's `ErrIsamMakeKey` and
 * `ErrFLDNormalizeSegment`: appends the normalized `data` to the search key `key` and applies the
 * limit grbits. The caller keeps the key state (`JET_errKeyNotMade`, `JET_errKeyIsMade`, the segment
 * count, `JET_bitNewKey`, `JET_bitNormalizedKey`).
 *
 * - Zero bytes of data are NULL, or zero-length with `JET_bitKeyDataZeroLength` (then
 *   `JET_errInvalidBufferSize` unless the column is variable Text or Binary).
 * - A fixed-size type needs exactly its size (`JET_errInvalidBufferSize`); a fixed Text or Binary
 *   column with `spec.cbMax` needs that size, shorter text being padded with spaces.
 * - With the legacy 255-byte maximum only the first 255 bytes of data count.
 * - When the key is already `cbKeyMost` long the segment adds nothing and makes no limit.
 *
 * @param key the search key so far (empty after `JET_bitNewKey`).
 * @returns the new search key, or `JET_errInvalidGrbit` / `JET_errInvalidBufferSize`.
 */
export const appendKeySegment = (
  key: Uint8Array,
  spec: SegmentSpec,
  data: Uint8Array | null,
  grbit: number,
  cbKeyMost: number = JET_cbKeyMost
): SearchKey | number => {
  const err = checkMakeKeyGrbit(grbit, spec)
  if (err !== 0) return err
  const coltyp = spec.coltyp
  const variable = isText(coltyp) || isBinary(coltyp)
  let value = data
  if (value === null || value.length === 0) {
    if ((grbit & JET_bitKeyDataZeroLength) === 0) {
      value = null
    } else {
      if (spec.fixed === true || !variable) return errInvalidBufferSize
      value = emptyValue
    }
  } else {
    const size = coltypFixedSize(coltyp)
    if (size !== 0 && value.length !== size) return errInvalidBufferSize
    if (variable && spec.fixed === true && spec.cbMax !== undefined && value.length !== spec.cbMax) {
      if (!isText(coltyp) || value.length > spec.cbMax) return errInvalidBufferSize
      value = padFixedText(value, spec.cbMax, spec.cp)
    }
    if (cbKeyMost === JET_cbKeyMost && value.length > JET_cbKeyMost) value = value.subarray(0, JET_cbKeyMost)
  }
  const start = key.length
  if (start >= cbKeyMost) return { key, truncated: true, limit: false }
  const buf = scratchFor(cbKeyMost + 1)
  buf.set(key, 0)
  const segEnd = writeSegment(spec, value, buf, start, cbKeyMost - start)
  const truncated = segmentTruncated
  const end = applyLimit(buf, start, segEnd, grbit, spec, cbKeyMost, segmentDelimiter)
  return { key: copyPrefix(buf, end < 0 ? segEnd : end), truncated, limit: end >= 0 }
}

/** One column of an index key string. */
export interface IndexKeyColumn {
  /** The column name as written (the engine matches names case-insensitively). */
  readonly column: string
  /** Written `-column`. */
  readonly descending: boolean
}

/**
 * Parses an index key string such as `"+a\0-b\0\0"` as the engine's `ErrFILEIValidateCreateIndex`
 * does: the string must start with `+` or `-` and end with two NULs, and nothing may follow the
 * empty token that ends the list; later tokens may omit the direction (ascending). A name is not
 * checked here: an empty or unknown one fails when the engine looks the column up.
 *
 * @param szKey the whole string, both final NULs included (its length is `cbKey`).
 * @param ccolKeyMost the most columns, {@link ccolKeyMostEngine} by default.
 * @returns the columns, or `JET_errInvalidParameter` for an empty string, `JET_errIndexInvalidDef`
 *   for a malformed one or too many columns.
 */
export const parseIndexKey = (
  szKey: string,
  ccolKeyMost: number = ccolKeyMostEngine
): ReadonlyArray<IndexKeyColumn> | number => {
  const n = szKey.length
  if (n === 0) return jetErrorCodes.JET_errInvalidParameter
  const first = szKey.charCodeAt(0)
  if (
    (first !== 0x2b && first !== 0x2d) || n < 2 || szKey.charCodeAt(n - 1) !== 0
    || szKey.charCodeAt(n - 2) !== 0
  ) {
    return jetErrorCodes.JET_errIndexInvalidDef
  }
  const columns: Array<IndexKeyColumn> = []
  let i = 0
  while (szKey.charCodeAt(i) !== 0) {
    if (columns.length >= ccolKeyMost) return jetErrorCodes.JET_errIndexInvalidDef
    const c = szKey.charCodeAt(i)
    const descending = c === 0x2d
    if (descending || c === 0x2b) i++
    const j = szKey.indexOf("\0", i)
    columns.push({ column: szKey.slice(i, j), descending })
    i = j + 1
  }
  // The old key strings carried a language id after the list; the engine rejects them now.
  if (i + 1 < n) return jetErrorCodes.JET_errIndexInvalidDef
  return columns
}

const readBigEndian = (key: Uint8Array, p: number, size: number, mask: number, out: Uint8Array): void => {
  for (let i = 0; i < size; i++) out[size - 1 - i] = (key[p + i] as number) ^ mask
}

// Undoes writeFloat on a little-endian value: a set sign bit in the key means a positive number.
const unflipFloat = (out: Uint8Array, size: number): void => {
  if (((out[size - 1] as number) & 0x80) !== 0) out[size - 1] = (out[size - 1] as number) ^ 0x80
  else for (let i = 0; i < size; i++) out[i] = ~(out[i] as number) & 0xff
}

const decodeFixedType = (spec: SegmentSpec, key: Uint8Array, p: number, mask: number): Uint8Array => {
  const coltyp = spec.coltyp
  const size = coltypFixedSize(coltyp)
  const out = new Uint8Array(size)
  switch (coltyp) {
    case JET_coltypBit:
      out[0] = ((key[p] as number) ^ mask) === 0 ? 0x00 : 0xff
      break
    case JET_coltypUnsignedByte:
      out[0] = (key[p] as number) ^ mask
      break
    case JET_coltypShort:
    case JET_coltypLong:
    case JET_coltypLongLong:
    case JET_coltypCurrency:
      readBigEndian(key, p, size, mask, out)
      out[size - 1] = (out[size - 1] as number) ^ 0x80
      break
    case JET_coltypUnsignedShort:
    case JET_coltypUnsignedLong:
    case JET_coltypUnsignedLongLong:
      readBigEndian(key, p, size, mask, out)
      break
    case JET_coltypIEEESingle:
    case JET_coltypIEEEDouble:
    case JET_coltypDateTime:
      readBigEndian(key, p, size, mask, out)
      unflipFloat(out, size)
      break
    default: {
      const order = spec.dotNetGuid === true ? dotNetGuidOrder : guidOrder
      for (let i = 0; i < 16; i++) out[order[i] as number] = (key[p + i] as number) ^ mask
    }
  }
  return out
}

/**
 * Reads a column value back out of an index entry's key, as the engine's
 * `RECIRetrieveColumnFromKey` does for `JET_bitRetrieveFromIndex`: the inverse of
 * {@link makeIndexKey} for the types whose normalization loses nothing. Bit comes back as 0x00 or
 * 0xFF, a fixed Binary column as its `cbMax` bytes.
 *
 * @param index the segment to read; the segments before it are skipped.
 * @returns the value, `null` for NULL, or `undefined` when the key cannot give it: a Text segment
 *   (normalization folds case), a Unicode Text segment before it (its sort key cannot be skipped
 *   reliably), or a key that ends inside the segments read.
 */
export const columnFromKey = (
  specs: ReadonlyArray<SegmentSpec>,
  key: Uint8Array,
  index: number
): Uint8Array | null | undefined => {
  let p = 0
  for (let i = 0; i <= index; i++) {
    const spec = specs[i]
    if (spec === undefined || p >= key.length) return undefined
    const mask = spec.descending ? 0xff : 0x00
    const header = (key[p++] as number) ^ mask
    const target = i === index
    if (header === KeyPrefix.null || header === KeyPrefix.nullHigh) {
      if (target) return null
      continue
    }
    if (header === KeyPrefix.zeroLength) {
      if (target) return emptyValue
      continue
    }
    const coltyp = spec.coltyp
    if (isText(coltyp)) {
      if (target || spec.cp === 1200) return undefined
      while (p < key.length && ((key[p] as number) ^ mask) !== 0) p++
      if (p >= key.length) return undefined
      p++
      continue
    }
    if (isBinary(coltyp) && spec.fixed === true) {
      const n = spec.cbMax ?? JET_cbKeyMost
      if (p + n > key.length) return undefined
      if (target) {
        const out = new Uint8Array(n)
        for (let k = 0; k < n; k++) out[k] = (key[p + k] as number) ^ mask
        return out
      }
      p += n
      continue
    }
    if (isBinary(coltyp)) {
      const bytes: Array<number> = []
      for (;;) {
        if (p + 9 > key.length) return undefined
        const marker = (key[p + 8] as number) ^ mask
        const n = marker === 9 ? 8 : marker
        for (let k = 0; k < n; k++) bytes.push((key[p + k] as number) ^ mask)
        p += 9
        if (marker !== 9) break
      }
      if (target) return Uint8Array.from(bytes)
      continue
    }
    const size = coltypFixedSize(coltyp)
    if (size === 0 || p + size > key.length) return undefined
    if (target) return decodeFixedType(spec, key, p, mask)
    p += size
  }
  return undefined
}
