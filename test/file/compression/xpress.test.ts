import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { CompressionError, declaredSize, decompress } from "../../../src/file/compression/index.ts"
import { ascii, encodeXpressItems, encodeXpressLiterals, type Lz77Item } from "./encoders.ts"

// [MS-XCA] 3.1 (Plain LZ77 examples), behind ESE's 3-byte header.
const abc300 = Uint8Array.of(
  0x18,
  0x2c,
  0x01,
  0xff,
  0xff,
  0xff,
  0x1f,
  0x61,
  0x62,
  0x63,
  0x17,
  0x00,
  0x0f,
  0xff,
  0x26,
  0x01
)
const alphabet = Uint8Array.from([
  0x18,
  26,
  0,
  0x3f,
  0x00,
  0x00,
  0x00,
  ...ascii("abcdefghijklmnopqrstuvwxyz")
])

describe("XPRESS (Plain LZ77)", () => {
  it("decodes the [MS-XCA] examples", () => {
    expect(decompress(alphabet)).toEqual(ascii("abcdefghijklmnopqrstuvwxyz"))
    expect(declaredSize(abc300)).toBe(300)
    expect(decompress(abc300)).toEqual(ascii("abc".repeat(100)))
  })

  it("decodes every length form: in the word, shared half bytes, a byte, a 16-bit and a 32-bit word", () => {
    const lengths = [3, 9, 10, 24, 25, 40, 300, 1000]
    const items: Array<Lz77Item> = [0x61, 0x62]
    for (const length of lengths) items.push({ distance: 2, length }, 0x63)
    const expected = [0x61, 0x62]
    for (const length of lengths) {
      for (let i = 0; i < length; i++) expected.push(expected[expected.length - 2]!)
      expected.push(0x63)
    }
    for (const long32 of [false, true]) {
      expect(decompress(encodeXpressItems(expected.length, items, long32))).toEqual(Uint8Array.from(expected))
    }
  })

  it("round-trips random mixes of literals and matches", () => {
    const item = fc.oneof(
      fc.integer({ min: 0, max: 255 }),
      fc.record({ distance: fc.integer({ min: 1, max: 64 }), length: fc.integer({ min: 3, max: 400 }) })
    )
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        fc.array(item, { maxLength: 100 }),
        (start, rest) => {
          const items: Array<Lz77Item> = [...start, ...rest]
          const expected: Array<number> = []
          for (const it of items) {
            if (typeof it === "number") expected.push(it)
            else for (let i = 0; i < it.length; i++) expected.push(expected[expected.length - it.distance]!)
          }
          fc.pre(expected.length < 0x10000)
          expect(decompress(encodeXpressItems(expected.length, items))).toEqual(Uint8Array.from(expected))
        }
      ),
      { numRuns: 300 }
    )
  })

  it("round-trips literal-only streams of any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (data) => {
        expect(decompress(encodeXpressLiterals(data))).toEqual(data)
      }),
      { numRuns: 300 }
    )
  })
})

describe("XPRESS values that break the format", () => {
  const fails = (stored: Uint8Array, message: RegExp) => {
    let caught: unknown
    try {
      decompress(stored)
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(CompressionError)
    expect((caught as CompressionError).scheme).toBe("Xpress")
    expect((caught as Error).message).toMatch(message)
  }

  it("a value shorter than its header", () => {
    fails(Uint8Array.of(0x18, 0x2c), /shorter than the 3-byte header/)
  })

  it("a stream cut short anywhere", () => {
    for (let cut = 3; cut < abc300.length; cut++) fails(abc300.subarray(0, cut), /stream ends where/)
  })

  it("a declared size larger than the stream produces", () => {
    const stored = abc300.slice()
    stored[1] = 0x2d // 301
    fails(stored, /stream ends where/)
  })

  it("a declared size smaller than a match needs", () => {
    const stored = abc300.slice()
    stored[1] = 0x2b // 299: the 297-byte match would run past it
    fails(stored, /runs past the declared size/)
  })

  it("a back-reference before the start of the output", () => {
    const stored = abc300.slice()
    stored[10] = 0x1f // distance (0x1f >> 3) + 1 = 4 with only 3 bytes written
    fails(stored, /back-reference of 4 bytes before the start/)
  })

  it("a 32-bit match length below the 22 its form requires", () => {
    const stored = encodeXpressItems(40, [0x61, { distance: 1, length: 39 }], true)
    // The 32-bit length (39 - 3 = 36) sits in the last 4 bytes; make it 21 - 3.
    stored[stored.length - 4] = 18
    fails(stored, /below the 22/)
  })
})
