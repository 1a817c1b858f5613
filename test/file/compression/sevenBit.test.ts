import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { CompressionError, declaredSize, decompress } from "../../../src/file/compression/index.ts"
import { ascii, encode7Bit, utf16 } from "./encoders.ts"

describe("7-bit ASCII", () => {
  it("decodes the vector of ese_parser's own test (55 characters in 50 bytes)", () => {
    // Stored value and plaintext as stated by strozfriedberg/ese_parser lib/src/parser/decomp.rs.
    const stored = Uint8Array.from([
      0x0e,
      0xd2,
      0xa2,
      0x0e,
      0x04,
      0x42,
      0xbd,
      0x82,
      0xf2,
      0x31,
      0x3a,
      0x5d,
      0x36,
      0xb7,
      0xc3,
      0x70,
      0x78,
      0xd9,
      0xfd,
      0xb2,
      0x96,
      0xe5,
      0xf7,
      0xb4,
      0x9a,
      0x5c,
      0x96,
      0x93,
      0xcb,
      0xa0,
      0x34,
      0xbd,
      0xdc,
      0x9e,
      0xbf,
      0xac,
      0x65,
      0xb9,
      0xfe,
      0xed,
      0x26,
      0x97,
      0xdd,
      0xa0,
      0x34,
      0xbd,
      0xdc,
      0x9e,
      0xa7,
      0x00
    ])
    expect(declaredSize(stored)).toBe(55)
    expect(Buffer.from(decompress(stored)).toString("latin1")).toBe(
      "RE:  (/Archiefmappen/Verwijderde items/Verzonden items)"
    )
  })

  it("stores 16 characters in 15 bytes, as ESE's own unit test states", () => {
    const stored = encode7Bit("7BitAscii", ascii("1234567890ABCDEF"))
    expect(stored.length).toBe(15)
    expect(stored[0]).toBe(0x0f) // scheme 1, all 8 bits of the last byte used
    expect(decompress(stored)).toEqual(ascii("1234567890ABCDEF"))
  })

  it("round-trips any text below 0x80", () => {
    fc.assert(
      fc.property(fc.uint8Array({ min: 0x00, max: 0x7f, minLength: 1, maxLength: 600 }), (text) => {
        const stored = encode7Bit("7BitAscii", text)
        expect(declaredSize(stored)).toBe(text.length)
        expect(decompress(stored)).toEqual(text)
      }),
      { numRuns: 500 }
    )
  })
})

describe("7-bit Unicode", () => {
  it('stores L"12" in 3 bytes and decodes it to 4 bytes of UTF-16LE, as ESE\'s own unit test states', () => {
    const stored = encode7Bit("7BitUnicode", ascii("12"))
    expect(stored.length).toBe(3)
    expect(declaredSize(stored)).toBe(4)
    expect(decompress(stored)).toEqual(utf16("12"))
  })

  it("round-trips any text below 0x80 as UTF-16LE with zero high bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ min: 0x00, max: 0x7f, minLength: 1, maxLength: 600 }), (text) => {
        const stored = encode7Bit("7BitUnicode", text)
        expect(decompress(stored)).toEqual(utf16(Buffer.from(text).toString("latin1")))
      }),
      { numRuns: 500 }
    )
  })
})

describe("7-bit values that break the format", () => {
  const fails = (stored: Uint8Array, message: RegExp) => {
    expect(() => decompress(stored)).toThrow(CompressionError)
    expect(() => decompress(stored)).toThrow(message)
    expect(() => declaredSize(stored)).toThrow(CompressionError)
  }

  it("a header byte alone holds no character", () => {
    fails(Uint8Array.of(0x0f), /holds no character/)
    fails(Uint8Array.of(0x17), /holds no character/)
  })

  it("reads the whole characters of a bit count that is not a multiple of 7, as ESE's decoder does", () => {
    // 0x0e: 7 bits used in the last of 50 bytes = 391 bits = 55 characters and 6 spare bits (the
    // ese_parser vector above). A value one byte short loses the characters of that byte.
    const stored = encode7Bit("7BitAscii", ascii("Record          0"))
    expect(declaredSize(stored.subarray(0, stored.length - 1))).toBe(15)
    expect(decompress(stored.subarray(0, stored.length - 1))).toEqual(ascii("Record         "))
    expect(decompress(Uint8Array.of(0x0d, 0x41))).toEqual(new Uint8Array(0))
  })
})
