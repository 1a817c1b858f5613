import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { crc32c } from "../../../src/file/compression/crc32c.ts"
import {
  CompressionError,
  compressionScheme,
  declaredSize,
  decompress
} from "../../../src/file/compression/index.ts"
import { decodeLz4Block } from "../../../src/file/compression/lz4.ts"
import { ascii, encodeLz4Literals } from "./encoders.ts"

// "abcabcabc..." (30 bytes): 3 literals, then a match at offset 3 of 27 bytes (nibble 15 + 8), and
// nothing after it: invalid, since a block must close with a literals-only sequence.
const blockEndingInMatch = Uint8Array.of(0x3f, 0x61, 0x62, 0x63, 0x03, 0x00, 0x08)
// The last sequence must be literals only: one more literal 'x' after the match.
const blockWithTail = Uint8Array.of(0x3f, 0x61, 0x62, 0x63, 0x03, 0x00, 0x08, 0x10, 0x78)
const expected = ascii("abc".repeat(10) + "x")

describe("LZ4 blocks", () => {
  it("decodes literals, an overlapping match with a continued length, and the closing literals", () => {
    expect(decodeLz4Block(blockWithTail, 31)).toEqual(expected)
  })

  it("round-trips literal-only blocks of any length (continued literal counts)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1200 }), (data) => {
        const stored = encodeLz4Literals(data)
        expect(compressionScheme(stored)).toBe("Lz4")
        expect(declaredSize(stored)).toBe(data.length)
        expect(decompress(stored)).toEqual(data)
      }),
      { numRuns: 300 }
    )
  })

  it("rejects a block that ends after a match, a wrong size, offset 0 and a reference before the start", () => {
    const fails = (input: Uint8Array, size: number, message: RegExp) =>
      expect(() => decodeLz4Block(input, size)).toThrow(message)
    fails(blockEndingInMatch, 30, /ends before its last sequence/)
    expect(decodeLz4Block(Uint8Array.from([...blockEndingInMatch, 0x00]), 30)).toEqual(
      expected.subarray(0, 30)
    )
    fails(blockWithTail, 32, /not the declared 32/)
    fails(blockWithTail, 30, /past the declared size/)
    fails(Uint8Array.of(0x10, 0x61, 0x00, 0x00, 0x10, 0x62), 10, /match offset 0/)
    fails(Uint8Array.of(0x10, 0x61, 0x02, 0x00, 0x10, 0x62), 10, /back-reference of 2 bytes before the start/)
    fails(Uint8Array.of(0xf0, 0xff, 0xff), 2000, /ends inside a length/)
    for (let cut = 0; cut < blockWithTail.length; cut++) {
      expect(() => decodeLz4Block(blockWithTail.subarray(0, cut), 31)).toThrow(CompressionError)
    }
  })
})

describe("XPRESS10", () => {
  const xpress10 = (payload: Uint8Array, size: number, crc: number) => {
    const header = new Uint8Array(15)
    const view = new DataView(header.buffer)
    header[0] = 6 << 3
    view.setUint16(1, size, true)
    view.setUint32(3, crc, true)
    return Uint8Array.from([...header, ...payload])
  }

  it("decodes its payload as an LZ4 block and checks the CRC-32C of the result", () => {
    const stored = xpress10(blockWithTail, 31, crc32c(expected))
    expect(compressionScheme(stored)).toBe("Xpress10")
    expect(declaredSize(stored)).toBe(31)
    expect(decompress(stored)).toEqual(expected)
  })

  it("a CRC-32C that does not match is an integrity failure, not wrong bytes", () => {
    let caught: unknown
    try {
      decompress(xpress10(blockWithTail, 31, crc32c(expected) ^ 1))
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(CompressionError)
    expect((caught as CompressionError).failure).toBe("IntegrityCheckFailed")
  })

  it("a value shorter than the 15-byte header", () => {
    expect(() => decompress(Uint8Array.of(0x30, 0x01, 0x00))).toThrow(/shorter than the 15-byte header/)
  })
})

describe("CRC-32C", () => {
  it("gives the check value of the Castagnoli polynomial", () => {
    expect(crc32c(ascii("123456789"))).toBe(0xe3069283)
    expect(crc32c(new Uint8Array(0))).toBe(0)
  })
})
