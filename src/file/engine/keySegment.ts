/**
 * One segment of an index key of a real ESE file, as `JetMakeKey` builds it: Unicode text as its
 * Windows sort key (`src/collation`), every other type as the in-memory engine normalizes it.
 * Shared by the file engine's `JetMakeKey` and the `effect-esent` command's `--from`/`--to`.
 */
import { sortKey } from "../../collation/sortKey.ts"
import {
  JET_bitFullColumnEndLimit,
  JET_bitFullColumnStartLimit,
  JET_bitKeyDataZeroLength,
  JET_bitPartialColumnEndLimit,
  JET_bitPartialColumnStartLimit,
  JET_bitStrLimit,
  JET_bitSubStrLimit
} from "../../jet/constants.ts"
import { jetErrorCodes as E } from "../../jet/errors.generated.ts"
import { appendKeySegment, type SegmentSpec } from "../../memory/keys.ts"
import type { ColumnInfo, IndexInfo, KeySegment } from "../catalog.ts"
import { IdbFlag } from "../catalog.ts"
import { isUnicodeText } from "./schema.ts"

const limits = JET_bitStrLimit | JET_bitSubStrLimit | JET_bitFullColumnStartLimit | JET_bitFullColumnEndLimit
  | JET_bitPartialColumnStartLimit | JET_bitPartialColumnEndLimit

/**
 * `key` with the segment for `data` (the column's value bytes, `null` for NULL) appended, cut at
 * the index's key length; or the JET error code that refuses it.
 */
export const appendFileKeySegment = (
  key: Uint8Array,
  index: IndexInfo,
  segment: KeySegment,
  column: ColumnInfo,
  data: Uint8Array | null,
  grbit: number
): Uint8Array | number => {
  if (!isUnicodeText(column)) {
    const spec: SegmentSpec = {
      coltyp: column.coltyp,
      cp: column.codepage,
      descending: segment.descending,
      nullsHigh: (index.flags & IdbFlag.SortNullsHigh) !== 0,
      fixed: column.id < 128,
      ...(column.size !== 0 ? { cbMax: column.size } : {})
    }
    const made = appendKeySegment(key, spec, data, grbit, index.keyMost)
    return typeof made === "number" ? made : made.key
  }
  // Limits cut a Windows sort key at places its sections make meaningful; not built here.
  if ((grbit & limits) !== 0) return E.JET_errUnicodeTranslationFail
  let segmentBytes: Uint8Array
  if (data === null || (data.length === 0 && (grbit & JET_bitKeyDataZeroLength) === 0)) {
    segmentBytes = Uint8Array.of((index.flags & IdbFlag.SortNullsHigh) !== 0 ? 0xc0 : 0x00)
  } else if (data.length === 0) {
    segmentBytes = Uint8Array.of(0x40)
  } else {
    const built = sortKey(Buffer.from(data).toString("utf16le"), index.lcMapFlags)
    if (built._tag === "Refused") return E.JET_errUnicodeTranslationFail
    segmentBytes = new Uint8Array(built.key.length + 1)
    segmentBytes[0] = 0x7f
    segmentBytes.set(built.key, 1)
  }
  if (segment.descending) segmentBytes = segmentBytes.map((b) => b ^ 0xff)
  const joined = new Uint8Array(key.length + segmentBytes.length)
  joined.set(key)
  joined.set(segmentBytes, key.length)
  return joined.subarray(0, Math.min(joined.length, index.keyMost))
}
