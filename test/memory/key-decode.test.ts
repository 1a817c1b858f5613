import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  JET_coltypBinary,
  JET_coltypCurrency,
  JET_coltypDateTime,
  JET_coltypGUID,
  JET_coltypIEEEDouble,
  JET_coltypIEEESingle,
  JET_coltypLong,
  JET_coltypLongLong,
  JET_coltypShort,
  JET_coltypText,
  JET_coltypUnsignedByte,
  JET_coltypUnsignedLong,
  JET_coltypUnsignedLongLong,
  JET_coltypUnsignedShort
} from "../../src/jet/constants.ts"
import type { SegmentSpec } from "../../src/memory/keys.ts"
import { coltypFixedSize, columnFromKey, makeIndexKey } from "../../src/memory/keys.ts"

const lossless = [
  JET_coltypUnsignedByte,
  JET_coltypShort,
  JET_coltypUnsignedShort,
  JET_coltypLong,
  JET_coltypUnsignedLong,
  JET_coltypLongLong,
  JET_coltypUnsignedLongLong,
  JET_coltypCurrency,
  JET_coltypIEEESingle,
  JET_coltypIEEEDouble,
  JET_coltypDateTime,
  JET_coltypGUID,
  JET_coltypBinary
]

const segment = fc.record({
  coltyp: fc.constantFrom(...lossless),
  descending: fc.boolean(),
  nullsHigh: fc.boolean(),
  dotNetGuid: fc.boolean(),
  fixedBinary: fc.boolean()
}).chain((s) => {
  const fixed = s.coltyp === JET_coltypBinary && s.fixedBinary
  const spec: SegmentSpec = {
    coltyp: s.coltyp,
    cp: 0,
    descending: s.descending,
    nullsHigh: s.nullsHigh,
    dotNetGuid: s.dotNetGuid,
    fixed,
    ...(fixed ? { cbMax: 6 } : {})
  }
  const size = s.coltyp === JET_coltypBinary ? (fixed ? 6 : -1) : coltypFixedSize(s.coltyp)
  const bytes = size < 0
    ? fc.uint8Array({ maxLength: 30 })
    : fc.uint8Array({ minLength: size, maxLength: size })
  return fc.tuple(fc.constant(spec), fc.option(bytes, { freq: 5 }))
})

describe("columnFromKey", () => {
  // JET_bitRetrieveFromIndex reads values back out of keys: every lossless type must round-trip,
  // whatever the segments around it.
  it("reads back every segment of a key built from lossless types", () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segs) => {
        const specs = segs.map(([spec]) => spec)
        const values = segs.map((
          [spec, v]
        ) => (v !== null && v.length === 0 && spec.coltyp !== JET_coltypBinary ? null : v))
        const { key, truncated } = makeIndexKey(specs, values, 1000)
        expect(truncated).toBe(false)
        values.forEach((v, i) => {
          const back = columnFromKey(specs, key, i)
          expect(back === null ? null : Array.from(back ?? [-1])).toEqual(v === null ? null : Array.from(v))
        })
      })
    )
  })

  it("gives up on Text, and on a key that ends early", () => {
    const text: SegmentSpec = { coltyp: JET_coltypText, cp: 1252, descending: false, nullsHigh: false }
    const long: SegmentSpec = { coltyp: JET_coltypLong, cp: 0, descending: false, nullsHigh: false }
    const { key } = makeIndexKey([text, long], [Uint8Array.of(0x61, 0x62), Uint8Array.of(1, 0, 0, 0)])
    expect(columnFromKey([text, long], key, 0)).toBeUndefined()
    expect(Array.from(columnFromKey([text, long], key, 1) ?? [])).toEqual([1, 0, 0, 0])
    expect(columnFromKey([text, long], key.subarray(0, key.length - 1), 1)).toBeUndefined()
  })
})
