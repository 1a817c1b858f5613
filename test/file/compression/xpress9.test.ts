import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { CompressionError, declaredSize, decompress } from "../../../src/file/compression/index.ts"
import type { Lz77Item } from "./encoders.ts"
import { encodeXpress9, type Xpress9Options } from "./xpress9Encoder.ts"

const text: Array<Lz77Item> = [
  ...Buffer.from("Record "),
  { distance: 1, length: 4 }, // "Record     " (repeat the space)
  { distance: 9, length: 9 },
  0x31,
  { distance: 10, length: 40 }, // long length through the long-length code
  { distance: 10, length: 400 }, // long length with extra bits
  0x32,
  { distance: 1, length: 4 }
]

describe("XPRESS9 (constructed streams)", () => {
  const settings: Array<Xpress9Options> = [
    { storedTables: true },
    {},
    { mtfEntries: 2, mtfMinimum: 2 },
    { mtfEntries: 2, mtfMinimum: 3, pointerMinimum: 4 },
    { mtfEntries: 4, mtfMinimum: 2 },
    { mtfEntries: 4, mtfMinimum: 3, splits: 9 }
  ]

  for (const options of settings) {
    it(`decodes literals, pointers and long lengths with ${JSON.stringify(options)}`, () => {
      const { data, stored } = encodeXpress9([text], options)
      expect(declaredSize(stored)).toBe(data.length)
      expect(decompress(stored)).toEqual(data)
    })
  }

  it("decodes repeated offsets through the move-to-front slots, right after a match and after a literal", () => {
    const items: Array<Lz77Item> = [
      ...Buffer.from("abcdefgh"),
      { distance: 2, length: 2 }, // an initial entry, after a literal
      { distance: 4, length: 4 },
      { distance: 8, length: 3 },
      { distance: 4, length: 3 }, // the entry after the most recent, right after a match
      0x7a,
      { distance: 4, length: 2 }, // the most recent offset, after a literal
      { distance: 1, length: 3 },
      { distance: 8, length: 3 }
    ]
    for (const mtfEntries of [2, 4] as const) {
      const { data, stored } = encodeXpress9([items], { mtfEntries, mtfMinimum: 2 })
      expect(decompress(stored)).toEqual(data)
    }
  })

  it("decodes several blocks of one session, later blocks referring to earlier output", () => {
    const { data, stored } = encodeXpress9([[...Buffer.from("hello ")], [{ distance: 6, length: 12 }, 0x21]])
    expect(Buffer.from(decompress(stored)).toString()).toBe("hello hello hello !")
    expect(declaredSize(stored)).toBe(data.length)
  })

  it("round-trips random items under random settings", () => {
    const item = fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 0, max: 255 }) },
      fc.record({ distance: fc.integer({ min: 1, max: 16 }), length: fc.integer({ min: 4, max: 600 }) })
    )
    fc.assert(
      fc.property(
        fc.array(item, { minLength: 1, maxLength: 60 }),
        fc.constantFrom<Xpress9Options>(...settings),
        (rest, options) => {
          const items: Array<Lz77Item> = [...Buffer.from("0123456789abcdef"), ...rest]
          const { data, stored } = encodeXpress9([items], options)
          expect(decompress(stored)).toEqual(data)
        }
      ),
      { numRuns: 200 }
    )
  })
})

describe("XPRESS9 values that break the format", () => {
  const { stored } = encodeXpress9([text], {})
  const failsWith = (value: Uint8Array, message: RegExp, failure = "Corrupt") => {
    let caught: unknown
    try {
      decompress(value)
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(CompressionError)
    expect((caught as CompressionError).failure).toBe(failure)
    expect((caught as Error).message).toMatch(message)
  }
  const patched = (at: number, value: number) => {
    const copy = stored.slice()
    copy[at] = value
    return copy
  }

  it("a value shorter than its header, or cut anywhere", () => {
    failsWith(stored.subarray(0, 3), /shorter than the 5-byte header/)
    failsWith(stored.subarray(0, 5), /holds no block/)
    for (let cut = 6; cut < stored.length; cut++) {
      expect(() => decompress(stored.subarray(0, cut))).toThrow(CompressionError)
    }
  })

  it("a wrong magic, block number or header CRC", () => {
    failsWith(patched(5, stored[5]! ^ 1), /magic/)
    failsWith(patched(5 + 24, 1), /numbered 1/)
    failsWith(patched(5 + 28, stored[5 + 28]! ^ 1), /header CRC-32C/)
  })

  it("a wrong CRC-32C of the data is an integrity failure", () => {
    failsWith(patched(1, stored[1]! ^ 1), /CRC-32C of the decoded data/, "IntegrityCheckFailed")
  })

  it("a flipped bit anywhere in the coded data never passes as data", () => {
    const codedBits = new DataView(stored.buffer).getUint32(5 + 8, true)
    for (let bit = 32 * 8; bit < codedBits; bit++) {
      const at = 5 + (bit >>> 3)
      expect(() => decompress(patched(at, stored[at]! ^ (1 << (bit & 7))))).toThrow(CompressionError)
    }
  })
})
