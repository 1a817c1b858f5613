import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  CompressionError,
  compressionScheme,
  declaredSize,
  decompress,
  maxDecompressedSize
} from "../../../src/file/compression/index.ts"
import { encodeXpressItems } from "./encoders.ts"
import { encodeXpress9 } from "./xpress9Encoder.ts"

describe("scheme byte", () => {
  it("names the scheme in its high five bits, as compression.cxx numbers them", () => {
    const names = [1, 2, 3, 4, 5, 6, 7].map((id) => compressionScheme(Uint8Array.of(id << 3, 0, 0)))
    expect(names).toEqual(["7BitAscii", "7BitUnicode", "Xpress", "Scrub", "Xpress9", "Xpress10", "Lz4"])
  })

  it("rejects an empty value and numbers that name no scheme", () => {
    expect(() => compressionScheme(new Uint8Array(0))).toThrow(CompressionError)
    for (const id of [0, 8, 9, 31]) {
      expect(() => decompress(Uint8Array.of(id << 3, 1, 2, 3))).toThrow(/names no scheme/)
    }
  })

  it("a scrubbed value has no data and says so", () => {
    const scrubbed = Uint8Array.of(4 << 3, 0x6c, 0x6c, 0x6c)
    expect(declaredSize(scrubbed)).toBeUndefined()
    expect(() => decompress(scrubbed)).toThrow(
      expect.objectContaining({ failure: "Scrubbed", scheme: "Scrub" })
    )
  })

  it("an XPRESS9 value without a block is corrupt", () => {
    const value = Uint8Array.of(5 << 3, 1, 2, 3, 4, 5, 6, 7)
    expect(() => decompress(value)).toThrow(
      expect.objectContaining({ failure: "Corrupt", scheme: "Xpress9" })
    )
  })
})

describe("hostile input", () => {
  // Every decoder, fed arbitrary bytes behind each scheme byte: each run ends in a value or a
  // CompressionError, never another exception, and no output exceeds the cap.
  const outcome = (stored: Uint8Array): "value" | "error" => {
    try {
      const out = decompress(stored)
      expect(out.length).toBeLessThanOrEqual(maxDecompressedSize)
      const size = declaredSize(stored)
      if (size !== undefined) expect(out.length).toBe(size)
      return "value"
    } catch (e) {
      if (!(e instanceof CompressionError)) throw e
      return "error"
    }
  }

  it("random bytes behind every scheme byte", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 300 }), (first, rest) => {
        outcome(Uint8Array.from([first, ...rest]))
      }),
      { numRuns: 5000 }
    )
  })

  it("random bytes behind XPRESS and LZ4 headers that declare small sizes (so streams often finish)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0x18, 0x38, 0x30),
        fc.integer({ min: 0, max: 64 }),
        fc.uint8Array({ maxLength: 200 }),
        (first, size, rest) => {
          const header = first === 0x30
            ? [first, size, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
            : [first, size, 0]
          outcome(Uint8Array.from([...header, ...rest]))
        }
      ),
      { numRuns: 5000 }
    )
  })

  it("valid XPRESS and XPRESS9 values with random bytes replaced: a value or an error; XPRESS9 only the original", () => {
    const valid: Array<{ data: Uint8Array; stored: Uint8Array }> = [
      encodeXpress9([[...Buffer.from("ESE stores this text "), { distance: 21, length: 60 }, 0x2e]]),
      encodeXpress9([[...Buffer.from("0123456789"), { distance: 10, length: 300 }]], { mtfEntries: 4 })
    ]
    const xpress = encodeXpressItems(303, [0x61, 0x62, 0x63, { distance: 3, length: 300 }])
    valid.push({ data: decompress(xpress), stored: xpress })
    fc.assert(
      fc.property(
        fc.constantFrom(...valid),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        ({ data, stored }, edits) => {
          const copy = stored.slice()
          for (const [at, value] of edits) copy[1 + (at % (copy.length - 1))] = value
          if (outcome(copy) === "value" && copy[0] === 5 << 3) expect(decompress(copy)).toEqual(data)
        }
      ),
      { numRuns: 3000 }
    )
  })
})
