import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  JET_bitFullColumnEndLimit,
  JET_bitFullColumnStartLimit,
  JET_bitKeyDataZeroLength,
  JET_bitPartialColumnEndLimit,
  JET_bitPartialColumnStartLimit,
  JET_bitStrLimit,
  JET_bitSubStrLimit,
  JET_cbKeyMost,
  JET_cbKeyMost4KBytePage,
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
  JET_coltypNil,
  JET_coltypShort,
  JET_coltypText,
  JET_coltypUnsignedByte,
  JET_coltypUnsignedLong,
  JET_coltypUnsignedLongLong,
  JET_coltypUnsignedShort
} from "../../src/jet/constants.ts"
import { jetErrorCodes } from "../../src/jet/errors.generated.ts"
import {
  appendKeySegment,
  applyKeyLimit,
  buildKey,
  cbSegmentMost,
  checkMakeKeyGrbit,
  compareKeys,
  foldCodePoint,
  makeIndexKey,
  normalizeSegment,
  padFixedText,
  parseIndexKey,
  type SearchKey,
  type SegmentSpec
} from "../../src/memory/keys.ts"

// Values as JetSetColumn stores them: little-endian, text as cp-1252 bytes or UTF-16LE.
const fixed = (size: number, write: (view: DataView) => void): Uint8Array => {
  const b = new Uint8Array(size)
  write(new DataView(b.buffer))
  return b
}
const i16 = (n: number) => fixed(2, (v) => v.setInt16(0, n, true))
const u16 = (n: number) => fixed(2, (v) => v.setUint16(0, n, true))
const i32 = (n: number) => fixed(4, (v) => v.setInt32(0, n, true))
const u32 = (n: number) => fixed(4, (v) => v.setUint32(0, n, true))
const i64 = (n: bigint) => fixed(8, (v) => v.setBigInt64(0, n, true))
const u64 = (n: bigint) => fixed(8, (v) => v.setBigUint64(0, n, true))
const f32 = (n: number) => fixed(4, (v) => v.setFloat32(0, n, true))
const f64 = (n: number) => fixed(8, (v) => v.setFloat64(0, n, true))
const f32bits = (bits: number) => u32(bits)
const f64bits = (bits: bigint) => u64(bits)
/** One byte per UTF-16 unit: for cp-1252 text made of characters below U+0100. */
const ansi = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0))
const unicode = (s: string): Uint8Array => {
  const b = new Uint8Array(s.length * 2)
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i)
    b[2 * i] = u & 0xff
    b[2 * i + 1] = u >> 8
  }
  return b
}
/** A GUID string in the layout Windows stores: Data1, Data2 and Data3 little-endian. */
const guid = (s: string): Uint8Array => {
  const h = s.replaceAll("-", "")
  const be = Uint8Array.from({ length: 16 }, (_, i) => parseInt(h.slice(2 * i, 2 * i + 2), 16))
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15]
  return Uint8Array.from(order, (i) => be[i] as number)
}
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex")
const spec = (coltyp: number, extra: Partial<SegmentSpec> = {}): SegmentSpec => ({
  coltyp,
  cp: 1252,
  descending: false,
  nullsHigh: false,
  ...extra
})

const norm = (s: SegmentSpec, v: Uint8Array | null): string => hex(normalizeSegment(s, v))
const bytes = (...b: Array<number>): Uint8Array => Uint8Array.from(b)
const repeat = (byte: number, n: number): Uint8Array => new Uint8Array(n).fill(byte)
const ff = (n: number): string => "ff".repeat(n)

const searchKey = (r: SearchKey | number): SearchKey => {
  if (typeof r === "number") throw new Error(`unexpected error ${r}`)
  return r
}

describe("segment headers", () => {
  it("§4 NULL is the single header byte 0x00", () => {
    for (
      const coltyp of [JET_coltypBit, JET_coltypLong, JET_coltypIEEEDouble, JET_coltypGUID, JET_coltypText]
    ) {
      expect(norm(spec(coltyp), null)).toBe("00")
    }
    expect(norm(spec(JET_coltypBinary), null)).toBe("00")
  })

  it("§4 NULL is 0xC0 with JET_bitIndexSortNullsHigh", () => {
    expect(norm(spec(JET_coltypLong, { nullsHigh: true }), null)).toBe("c0")
    expect(norm(spec(JET_coltypText, { nullsHigh: true }), null)).toBe("c0")
  })

  it("§4 a zero-length Text or Binary value is the single header byte 0x40", () => {
    for (const coltyp of [JET_coltypText, JET_coltypLongText, JET_coltypBinary, JET_coltypLongBinary]) {
      expect(norm(spec(coltyp), new Uint8Array(0))).toBe("40")
      expect(norm(spec(coltyp, { nullsHigh: true }), new Uint8Array(0))).toBe("40")
    }
    expect(norm(spec(JET_coltypText, { cp: 1200 }), new Uint8Array(0))).toBe("40")
  })

  it("§4 a zero-length value of a fixed-size type normalizes as NULL (FLDNormalizeNullSegment)", () => {
    expect(norm(spec(JET_coltypLong), new Uint8Array(0))).toBe("00")
    expect(norm(spec(JET_coltypLong, { nullsHigh: true }), new Uint8Array(0))).toBe("c0")
  })

  it("§4 data has the header 0x7F", () => {
    expect(norm(spec(JET_coltypUnsignedByte), bytes(0))).toBe("7f00")
  })
})

describe("fixed-size types: exact bytes", () => {
  it("§4 Bit: 0x00 for false, 0xFF for any non-zero byte", () => {
    expect(norm(spec(JET_coltypBit), bytes(0))).toBe("7f00")
    expect(norm(spec(JET_coltypBit), bytes(1))).toBe("7fff")
    expect(norm(spec(JET_coltypBit), bytes(0x80))).toBe("7fff")
    expect(norm(spec(JET_coltypBit), bytes(0xff))).toBe("7fff")
  })

  it("§4 UnsignedByte: the byte as is", () => {
    expect(norm(spec(JET_coltypUnsignedByte), bytes(0xab))).toBe("7fab")
    expect(norm(spec(JET_coltypUnsignedByte), bytes(0xff))).toBe("7fff")
  })

  it("§4 signed integers: big-endian with the sign bit flipped", () => {
    expect(norm(spec(JET_coltypShort), i16(1))).toBe("7f8001")
    expect(norm(spec(JET_coltypShort), i16(-2))).toBe("7f7ffe")
    expect(norm(spec(JET_coltypShort), i16(-32768))).toBe("7f0000")
    expect(norm(spec(JET_coltypLong), i32(0x12345678))).toBe("7f92345678")
    expect(norm(spec(JET_coltypLong), i32(-1))).toBe("7f7fffffff")
    expect(norm(spec(JET_coltypLong), i32(0))).toBe("7f80000000")
    expect(norm(spec(JET_coltypLongLong), i64(0x0102030405060708n))).toBe("7f8102030405060708")
    expect(norm(spec(JET_coltypLongLong), i64(-2n))).toBe("7f7ffffffffffffffe")
    expect(norm(spec(JET_coltypCurrency), i64(-(2n ** 63n)))).toBe("7f0000000000000000")
    expect(norm(spec(JET_coltypCurrency), i64(10000n))).toBe("7f8000000000002710")
  })

  it("§4 unsigned integers: big-endian", () => {
    expect(norm(spec(JET_coltypUnsignedShort), u16(0x1234))).toBe("7f1234")
    expect(norm(spec(JET_coltypUnsignedShort), u16(0xffff))).toBe("7fffff")
    expect(norm(spec(JET_coltypUnsignedLong), u32(0x89abcdef))).toBe("7f89abcdef")
    expect(norm(spec(JET_coltypUnsignedLongLong), u64(0x0102030405060708n))).toBe("7f0102030405060708")
    expect(norm(spec(JET_coltypUnsignedLongLong), u64(2n ** 64n - 1n))).toBe("7fffffffffffffffff")
  })

  it("§4 IEEESingle: big-endian, all bits inverted when negative, else the sign bit flipped", () => {
    expect(norm(spec(JET_coltypIEEESingle), f32(1))).toBe("7fbf800000")
    expect(norm(spec(JET_coltypIEEESingle), f32(-1))).toBe("7f407fffff")
    expect(norm(spec(JET_coltypIEEESingle), f32(0))).toBe("7f80000000")
    expect(norm(spec(JET_coltypIEEESingle), f32(-0))).toBe("7f7fffffff")
  })

  it("§4 IEEEDouble and DateTime: big-endian, all bits inverted when negative, else the sign bit flipped", () => {
    for (const coltyp of [JET_coltypIEEEDouble, JET_coltypDateTime]) {
      expect(norm(spec(coltyp), f64(1))).toBe("7fbff0000000000000")
      expect(norm(spec(coltyp), f64(-1))).toBe("7f400fffffffffffff")
      expect(norm(spec(coltyp), f64(0))).toBe("7f8000000000000000")
      expect(norm(spec(coltyp), f64(Infinity))).toBe("7ffff0000000000000")
      expect(norm(spec(coltyp), f64(-Infinity))).toBe("7f000fffffffffffff")
    }
  })

  it("§4 choice: -0 follows its bit pattern, a different key just below +0", () => {
    expect(norm(spec(JET_coltypIEEEDouble), f64(-0))).toBe("7f7fffffffffffffff")
    expect(
      compareKeys(
        normalizeSegment(spec(JET_coltypIEEEDouble), f64(-0)),
        normalizeSegment(spec(JET_coltypIEEEDouble), f64(0))
      )
    )
      .toBeLessThan(0)
  })

  it("§4 choice: NaN follows its bit pattern, above +Infinity or below -Infinity by its sign bit", () => {
    expect(norm(spec(JET_coltypIEEEDouble), f64bits(0x7ff8000000000000n))).toBe("7ffff8000000000000")
    expect(norm(spec(JET_coltypIEEEDouble), f64bits(0xfff8000000000000n))).toBe("7f0007ffffffffffff")
    expect(norm(spec(JET_coltypIEEESingle), f32bits(0x7fc00000))).toBe("7fffc00000")
    expect(norm(spec(JET_coltypIEEESingle), f32bits(0xffc00000))).toBe("7f003fffff")
    // Two NaN payloads are two keys.
    expect(norm(spec(JET_coltypIEEEDouble), f64bits(0x7ff0000000000001n))).toBe("7ffff0000000000001")
  })

  it("§4 GUID: bytes reordered [10-15, 8, 9, 6, 7, 4, 5, 0-3]", () => {
    const v = Uint8Array.from({ length: 16 }, (_, i) => i)
    expect(norm(spec(JET_coltypGUID), v)).toBe("7f" + "0a0b0c0d0e0f" + "0809" + "0607" + "0405" + "00010203")
    // The stored layout of "00112233-4455-6677-8899-aabbccddeeff" is little-endian in its first three fields.
    expect(norm(spec(JET_coltypGUID), guid("00112233-4455-6677-8899-aabbccddeeff")))
      .toBe("7f" + "aabbccddeeff" + "8899" + "7766" + "5544" + "33221100")
  })

  it("§4 GUID with JET_bitIndexDotNetGuid: [3, 2, 1, 0, 5, 4, 7, 6, 8-15], the string order", () => {
    expect(norm(spec(JET_coltypGUID, { dotNetGuid: true }), guid("00112233-4455-6677-8899-aabbccddeeff")))
      .toBe("7f00112233445566778899aabbccddeeff")
  })

  it("§5 a fixed-size value of the wrong size, or a type without keys, is refused", () => {
    expect(() => normalizeSegment(spec(JET_coltypLong), bytes(1, 2))).toThrow(RangeError)
    expect(() => normalizeSegment(spec(JET_coltypGUID), new Uint8Array(15))).toThrow(RangeError)
    expect(() => normalizeSegment(spec(JET_coltypNil), bytes(1))).toThrow(RangeError)
  })
})

describe("text: exact bytes", () => {
  it("§4 ASCII text: uppercased (C locale), then a 0x00 terminator", () => {
    expect(norm(spec(JET_coltypText), ansi("abc"))).toBe("7f41424300")
    expect(norm(spec(JET_coltypText), ansi("AbC"))).toBe("7f41424300")
    expect(norm(spec(JET_coltypLongText), ansi("xyz"))).toBe("7f58595a00")
  })

  it("§4 ASCII text: only a-z change case; punctuation and bytes >= 0x80 stay", () => {
    expect(norm(spec(JET_coltypText), ansi("[`{@"))).toBe("7f5b607b4000")
    expect(norm(spec(JET_coltypText), bytes(0xe9, 0xc9, 0xff))).toBe("7fe9c9ff00")
  })

  it("§4 ASCII text: cut at the first NUL", () => {
    expect(norm(spec(JET_coltypText), ansi("ab\0cd"))).toBe("7f414200")
    expect(norm(spec(JET_coltypText), ansi("\0cd"))).toBe("7f00")
  })

  it("§4 Unicode text: uppercased code points as ordered big-endian UTF-16, then 00 00", () => {
    const u = spec(JET_coltypText, { cp: 1200 })
    expect(norm(u, unicode("aB"))).toBe("7f0041004200" + "00")
    expect(norm(u, unicode("é"))).toBe("7f00c90000")
    expect(norm(u, unicode("ω"))).toBe("7f03a90000")
    expect(norm(spec(JET_coltypLongText, { cp: 1200 }), unicode("z"))).toBe("7f005a0000")
  })

  it("§4 Unicode text: units E000-FFFF move down by 0x800 and surrogates up by 0x2000", () => {
    const u = spec(JET_coltypText, { cp: 1200 })
    expect(norm(u, unicode("\ud7ff"))).toBe("7fd7ff0000")
    expect(norm(u, unicode("\ue000"))).toBe("7fd8000000")
    // Fullwidth "ａ" folds to "Ａ" (FF21).
    expect(norm(u, unicode("ａ"))).toBe("7ff7210000")
    // U+1F600 is D83D DE00.
    expect(norm(u, unicode("😀"))).toBe("7ff83dfe000000")
    // An unpaired surrogate is written as its own unit.
    expect(norm(u, unicode("\udc00"))).toBe("7ffc000000")
  })

  it("§4 Unicode text: simple uppercase mapping only, one code point for one", () => {
    expect(foldCodePoint(0x61)).toBe(0x41)
    expect(foldCodePoint(0xe9)).toBe(0xc9)
    expect(foldCodePoint(0x3c2)).toBe(0x3a3) // final sigma
    expect(foldCodePoint(0x131)).toBe(0x49) // dotless i
    expect(foldCodePoint(0x17f)).toBe(0x53) // long s
    expect(foldCodePoint(0xdf)).toBe(0xdf) // ß would become "SS": left alone
    expect(foldCodePoint(0xfb00)).toBe(0xfb00) // ligature ff: left alone
    expect(foldCodePoint(0x10428)).toBe(0x10400) // Deseret
    expect(foldCodePoint(0xd800)).toBe(0xd800)
  })

  it("§4 Unicode text: cut at the first U+0000, an odd trailing byte ignored", () => {
    const u = spec(JET_coltypText, { cp: 1200 })
    expect(norm(u, unicode("a\0b"))).toBe("7f00410000")
    expect(norm(u, unicode("\0b"))).toBe("7f0000")
    expect(norm(u, bytes(0x61, 0x00, 0x62))).toBe("7f00410000")
  })
})

describe("binary: exact bytes", () => {
  const bin = spec(JET_coltypBinary)
  it("§4 variable binary: a short last chunk is zero-padded and followed by its byte count", () => {
    expect(norm(bin, bytes(1, 2, 3))).toBe("7f" + "010203" + "0000000000" + "03")
    expect(norm(bin, bytes(0))).toBe("7f" + "00".repeat(8) + "01")
  })

  it("§4 variable binary: an exact multiple of 8 ends with the marker 8", () => {
    expect(norm(bin, bytes(1, 2, 3, 4, 5, 6, 7, 8))).toBe("7f" + "0102030405060708" + "08")
    expect(norm(bin, repeat(0xaa, 16))).toBe("7f" + "aa".repeat(8) + "09" + "aa".repeat(8) + "08")
  })

  it("§4 variable binary: every chunk before the last is followed by 9", () => {
    expect(norm(bin, bytes(1, 2, 3, 4, 5, 6, 7, 8, 9))).toBe(
      "7f" + "0102030405060708" + "09" + "09" + "00".repeat(7) + "01"
    )
    expect(norm(spec(JET_coltypLongBinary), repeat(0x11, 17)))
      .toBe("7f" + "11".repeat(8) + "09" + "11".repeat(8) + "09" + "11" + "00".repeat(7) + "01")
  })

  it("§4 fixed binary (JET_bitColumnFixed): the bytes as they are", () => {
    expect(norm(spec(JET_coltypBinary, { fixed: true }), bytes(1, 2, 3))).toBe("7f010203")
  })

  it("§4 a long value is normalized only as far as a key can use", () => {
    const s = normalizeSegment(spec(JET_coltypLongBinary), repeat(7, 1_000_000))
    expect(s.length).toBe(cbSegmentMost)
    expect(cbSegmentMost).toBe(JET_cbKeyMost8KBytePage + 1)
  })
})

describe("descending segments", () => {
  it("§4 every byte of a descending segment, header included, is XOR 0xFF", () => {
    const d = { descending: true }
    expect(norm(spec(JET_coltypLong, d), i32(1))).toBe("807ffffffe")
    expect(norm(spec(JET_coltypText, d), ansi("ab"))).toBe("80bebdff")
    expect(norm(spec(JET_coltypBinary, d), bytes(1))).toBe("80fe" + ff(7) + "fe")
  })

  it("§4 descending NULL is 0xFF, 0x3F with nulls high; descending zero-length is 0xBF", () => {
    expect(norm(spec(JET_coltypLong, { descending: true }), null)).toBe("ff")
    expect(norm(spec(JET_coltypLong, { descending: true, nullsHigh: true }), null)).toBe("3f")
    expect(norm(spec(JET_coltypText, { descending: true }), new Uint8Array(0))).toBe("bf")
  })
})

describe("key length and truncation", () => {
  const bin = spec(JET_coltypBinary)

  it("§4 compareKeys is memcmp with a prefix first", () => {
    expect(compareKeys(bytes(1, 2), bytes(1, 2))).toBe(0)
    expect(compareKeys(bytes(1, 2), bytes(1, 3))).toBeLessThan(0)
    expect(compareKeys(bytes(1, 2, 0), bytes(1, 2))).toBeGreaterThan(0)
    expect(compareKeys(bytes(), bytes(0))).toBeLessThan(0)
    expect(compareKeys(bytes(0xff), bytes(0x00, 0xff))).toBeGreaterThan(0)
  })

  it("§4 buildKey joins segments and keeps a key of at most 255 bytes whole", () => {
    const a = normalizeSegment(spec(JET_coltypLong), i32(5))
    const b = normalizeSegment(spec(JET_coltypText), ansi("x"))
    const r = buildKey([a, b], JET_cbKeyMost)
    expect(hex(r.key)).toBe("7f80000005" + "7f5800")
    expect(r.truncated).toBe(false)
    const exact = buildKey([repeat(1, 200), repeat(2, 55)], JET_cbKeyMost)
    expect(exact.key.length).toBe(255)
    expect(exact.truncated).toBe(false)
  })

  it("§4 buildKey cuts a key longer than 255 bytes (the default maximum) and says so", () => {
    const s = normalizeSegment(bin, repeat(9, 300))
    const r = buildKey([s])
    expect(r.key.length).toBe(JET_cbKeyMost)
    expect(r.truncated).toBe(true)
    expect(hex(r.key)).toBe(hex(s.subarray(0, 255)))
  })

  it("§4 buildKey honours a custom cbKeyMost", () => {
    const s = normalizeSegment(bin, repeat(9, 1000))
    expect(buildKey([s], JET_cbKeyMost4KBytePage).key.length).toBe(1000)
    expect(buildKey([s], JET_cbKeyMost4KBytePage).truncated).toBe(true)
    expect(buildKey([s], JET_cbKeyMost8KBytePage).key.length).toBe(s.length)
    expect(buildKey([s], JET_cbKeyMost8KBytePage).truncated).toBe(false)
  })

  it("§4 makeIndexKey equals the joined segments when the key fits", () => {
    const specs = [spec(JET_coltypLong), spec(JET_coltypText, { descending: true }), bin]
    const values = [i32(-7), ansi("Hello"), bytes(1, 2)]
    const joined = buildKey(specs.map((s, i) => normalizeSegment(s, values[i] ?? null)))
    const made = makeIndexKey(specs, values)
    expect(hex(made.key)).toBe(hex(joined.key))
    expect(made.truncated).toBe(false)
  })

  it("§4 makeIndexKey cuts binary and Unicode text at the maximum like a plain cut", () => {
    for (const cbKeyMost of [JET_cbKeyMost, JET_cbKeyMost4KBytePage]) {
      const b = makeIndexKey([bin], [repeat(3, 2000)], cbKeyMost)
      expect(hex(b.key)).toBe(hex(normalizeSegment(bin, repeat(3, 2000)).subarray(0, cbKeyMost)))
      expect(b.truncated).toBe(true)
      const u = spec(JET_coltypText, { cp: 1200, descending: true })
      const text = unicode("Ünïcödé😀".repeat(100))
      const t = makeIndexKey([spec(JET_coltypLong), u], [i32(1), text], cbKeyMost)
      expect(hex(t.key)).toBe(
        hex(
          buildKey([normalizeSegment(spec(JET_coltypLong), i32(1)), normalizeSegment(u, text)], cbKeyMost).key
        )
      )
      expect(t.truncated).toBe(true)
    }
  })

  it("§4 a segment cut at the room left, or with no room at all (even a NULL one), truncates the key", () => {
    const first = repeat(1, 224) // 28 chunks: 253 bytes
    const r = makeIndexKey([bin, spec(JET_coltypShort), spec(JET_coltypLong)], [first, i16(1), null])
    expect(r.key.length).toBe(255)
    expect(r.truncated).toBe(true)
    const full = makeIndexKey([bin, spec(JET_coltypBit), spec(JET_coltypLong)], [first, bytes(1), null])
    expect(full.key.length).toBe(255)
    expect(full.truncated).toBe(true)
  })

  it("§4 a cut cp-1252 text segment ends with the byte minus 0x20 (the engine's _toupper)", () => {
    const t = spec(JET_coltypText)
    // 253 characters and the terminator fill 255 bytes exactly.
    expect(makeIndexKey([t], [ansi("a".repeat(253))]).truncated).toBe(false)
    expect(hex(makeIndexKey([t], [ansi("a".repeat(253))]).key)).toBe("7f" + "41".repeat(253) + "00")
    const lower = makeIndexKey([t], [ansi("a".repeat(254))])
    expect(lower.truncated).toBe(true)
    expect(hex(lower.key)).toBe("7f" + "41".repeat(254))
    const upper = makeIndexKey([t], [ansi("A".repeat(300))])
    expect(hex(upper.key)).toBe("7f" + "41".repeat(253) + "21")
    const digits = makeIndexKey([t], [ansi("0".repeat(300))])
    expect(hex(digits.key.subarray(252))).toBe("303010")
    const space = makeIndexKey([t], [ansi("b".repeat(253) + " ")])
    expect(hex(space.key.subarray(253))).toBe("4200")
    expect(space.truncated).toBe(true)
    // A NUL right where the room ends makes the text fit after all.
    expect(makeIndexKey([t], [ansi("b".repeat(253) + "\0zzz")]).truncated).toBe(false)
  })

  it("§4 a cp-1252 text segment with one byte of room keeps its header and is not counted as cut", () => {
    const first = repeat(1, 224) // 253 bytes
    const r = makeIndexKey([bin, spec(JET_coltypLong), spec(JET_coltypText)], [first, null, ansi("abc")])
    expect(hex(r.key.subarray(253))).toBe("007f")
    expect(r.truncated).toBe(false)
    const more = makeIndexKey([bin, spec(JET_coltypLong), spec(JET_coltypText), spec(JET_coltypLong)], [
      first,
      null,
      ansi("abc"),
      null
    ])
    expect(more.truncated).toBe(true)
  })

  it("§4 a cut descending segment is the XOR of the cut bytes", () => {
    const d = spec(JET_coltypBinary, { descending: true })
    const r = makeIndexKey([d], [repeat(0x0f, 400)])
    expect(hex(r.key)).toBe(hex(normalizeSegment(d, repeat(0x0f, 400)).subarray(0, 255)))
    const t = makeIndexKey([spec(JET_coltypText, { descending: true })], [ansi("A".repeat(300))])
    expect(hex(t.key)).toBe("80" + "be".repeat(253) + "de")
  })

  it("§4 fixed-size and fixed binary segments are cut at the room left", () => {
    const first = repeat(1, 224) // 253 bytes
    const r = makeIndexKey([bin, spec(JET_coltypLong)], [first, i32(0x01020304)])
    expect(hex(r.key.subarray(253))).toBe("7f81")
    expect(r.truncated).toBe(true)
    const f = makeIndexKey([bin, spec(JET_coltypBinary, { fixed: true })], [first, bytes(9, 8, 7)])
    expect(hex(f.key.subarray(253))).toBe("7f09")
    expect(f.truncated).toBe(true)
  })
})

describe("JetMakeKey limits", () => {
  const text = spec(JET_coltypText)
  const utext = spec(JET_coltypText, { cp: 1200 })
  const bin = spec(JET_coltypBinary)
  const long = spec(JET_coltypLong)
  const make = (
    s: SegmentSpec,
    data: Uint8Array | null,
    grbit: number,
    key: Uint8Array = new Uint8Array(0),
    cbKeyMost = 255
  ) => searchKey(appendKeySegment(key, s, data, grbit, cbKeyMost))

  it("§4 JetMakeKey without limit grbits: the normalized segment, no limit", () => {
    const r = make(text, ansi("abc"), 0)
    expect(hex(r.key)).toBe("7f41424300")
    expect(r.limit).toBe(false)
    expect(r.truncated).toBe(false)
  })

  it("§4 FullColumnStartLimit: the key as it is, marked as a limit", () => {
    const r = make(text, ansi("abc"), JET_bitFullColumnStartLimit)
    expect(hex(r.key)).toBe("7f41424300")
    expect(r.limit).toBe(true)
  })

  it("§4 end limits pad with 0xFF up to cbKeyMost + 1 bytes", () => {
    const r = make(text, ansi("abc"), JET_bitFullColumnEndLimit)
    expect(hex(r.key)).toBe("7f41424300" + ff(256 - 5))
    expect(r.limit).toBe(true)
    const big = make(text, ansi("abc"), JET_bitFullColumnEndLimit, new Uint8Array(0), 1000)
    expect(big.key.length).toBe(1001)
  })

  it("§4 PartialColumnStartLimit on text drops the terminator", () => {
    expect(hex(make(text, ansi("abc"), JET_bitPartialColumnStartLimit).key)).toBe("7f414243")
    expect(hex(make(utext, unicode("ab"), JET_bitPartialColumnStartLimit).key)).toBe("7f00410042")
  })

  it("§4 PartialColumnEndLimit and SubStrLimit on text drop the terminator, then pad with 0xFF", () => {
    for (
      const grbit of [JET_bitPartialColumnEndLimit, JET_bitSubStrLimit, JET_bitSubStrLimit | JET_bitStrLimit]
    ) {
      const r = make(text, ansi("abc"), grbit)
      expect(hex(r.key)).toBe("7f414243" + ff(256 - 4))
      expect(r.limit).toBe(true)
      expect(hex(make(utext, unicode("ab"), grbit).key)).toBe("7f00410042" + ff(256 - 5))
    }
  })

  it("§4 StrLimit on text keeps the terminator, then pads with 0xFF", () => {
    expect(hex(make(text, ansi("abc"), JET_bitStrLimit).key)).toBe("7f41424300" + ff(256 - 5))
    expect(hex(make(utext, unicode("ab"), JET_bitStrLimit).key)).toBe("7f004100420000" + ff(256 - 7))
  })

  it("§4 partial limits on variable binary cut after the data; the end limit fills the segment plus one byte", () => {
    expect(hex(make(bin, bytes(1, 2, 3), JET_bitPartialColumnStartLimit).key)).toBe("7f010203")
    const end = make(bin, bytes(1, 2, 3), JET_bitPartialColumnEndLimit)
    expect(hex(end.key)).toBe("7f010203" + ff(7))
    expect(hex(make(bin, bytes(1, 2, 3), JET_bitStrLimit).key)).toBe("7f010203" + ff(7))
    const eight = make(bin, bytes(1, 2, 3, 4, 5, 6, 7, 8), JET_bitPartialColumnEndLimit)
    expect(hex(eight.key)).toBe("7f0102030405060708" + ff(2))
    const nine = make(bin, bytes(1, 2, 3, 4, 5, 6, 7, 8, 9), JET_bitPartialColumnStartLimit)
    expect(hex(nine.key)).toBe("7f010203040506070809" + "09")
  })

  it("§4 StrLimit on a fixed-size column is the full end limit; SubStrLimit alone makes no limit", () => {
    expect(hex(make(long, i32(1), JET_bitStrLimit).key)).toBe("7f80000001" + ff(256 - 5))
    const r = make(long, i32(1), JET_bitSubStrLimit)
    expect(hex(r.key)).toBe("7f80000001")
    expect(r.limit).toBe(false)
  })

  it("§4 a NULL or zero-length segment gets the full limit", () => {
    expect(hex(make(text, null, JET_bitPartialColumnStartLimit).key)).toBe("00")
    expect(hex(make(text, null, JET_bitPartialColumnEndLimit).key)).toBe("00" + ff(255))
    expect(hex(make(bin, new Uint8Array(0), JET_bitPartialColumnEndLimit | JET_bitKeyDataZeroLength).key))
      .toBe("40" + ff(255))
  })

  it("§4 limits on a descending segment look for the XORed terminator and still pad with 0xFF", () => {
    const d = spec(JET_coltypText, { descending: true })
    expect(hex(make(d, ansi("ab"), JET_bitPartialColumnStartLimit).key)).toBe("80bebd")
    expect(hex(make(d, ansi("ab"), JET_bitSubStrLimit).key)).toBe("80bebd" + ff(256 - 3))
    const ud = spec(JET_coltypText, { cp: 1200, descending: true })
    expect(hex(make(ud, unicode("a"), JET_bitPartialColumnStartLimit).key)).toBe("80ffbe")
    const bd = spec(JET_coltypBinary, { descending: true })
    expect(hex(make(bd, bytes(1), JET_bitPartialColumnStartLimit).key)).toBe("80fe")
  })

  it("§4 a limit on a later segment pads the whole key to cbKeyMost + 1", () => {
    const first = make(long, i32(3), 0)
    const r = make(text, ansi("ab"), JET_bitPartialColumnEndLimit, first.key)
    expect(hex(r.key)).toBe("7f80000003" + "7f4142" + ff(256 - 8))
  })

  it("§4 a limit on a cut segment: start keeps it, end adds one 0xFF", () => {
    const long300 = ansi("q".repeat(300))
    const start = make(text, long300, JET_bitPartialColumnStartLimit)
    expect(start.key.length).toBe(255)
    expect(start.truncated).toBe(true)
    expect(start.key[254]).toBe(0x71 - 0x20)
    const end = make(text, long300, JET_bitPartialColumnEndLimit)
    expect(end.key.length).toBe(256)
    expect(end.key[255]).toBe(0xff)
    const uend = make(utext, unicode("q".repeat(300)), JET_bitSubStrLimit)
    expect(hex(uend.key.subarray(250))).toBe("5100510051ff")
  })

  it("§4 limit keys find exactly the entries that start with the prefix (text, Unicode, binary)", () => {
    const cases: Array<[SegmentSpec, (s: string) => Uint8Array, Array<string>, string]> = [
      [text, ansi, ["a", "aA", "AB", "ab", "abc", "ABD", "abz", "ac", "b", "aB\0x"], "ab"],
      [utext, unicode, ["a", "AB", "ab", "abé", "ab😀", "ac", "aa", "ÀB"], "ab"],
      [bin, (s) => ansi(s), ["a", "ab", "abc", "abcdefghijk", "ac", "aa", "AB"], "ab"]
    ]
    for (const [s, encode, values, prefix] of cases) {
      const lo = make(s, encode(prefix), JET_bitPartialColumnStartLimit).key
      const hi = make(s, encode(prefix), JET_bitPartialColumnEndLimit).key
      for (const v of values) {
        const k = makeIndexKey([s], [encode(v)]).key
        const inRange = compareKeys(lo, k) <= 0 && compareKeys(k, hi) < 0
        const starts = s === bin ? v.startsWith(prefix) : v.toUpperCase().startsWith(prefix.toUpperCase())
        expect([v, inRange]).toEqual([v, starts])
      }
    }
  })

  it("§4 full limits bracket every entry equal on the column, whatever follows", () => {
    const specs = [long, text]
    const lo = make(long, i32(5), JET_bitFullColumnStartLimit).key
    const hi = make(long, i32(5), JET_bitFullColumnEndLimit).key
    for (const [n, s] of [[4, "zzz"], [5, ""], [5, "a"], [5, "\u00ff".repeat(300)], [6, "a"]] as const) {
      const k = makeIndexKey(specs, [i32(n), ansi(s)]).key
      expect([n, s.length, compareKeys(lo, k) <= 0 && compareKeys(k, hi) < 0]).toEqual([n, s.length, n === 5])
    }
  })

  it("§4 JetMakeKey grbits: one Full/Partial bit at most, not with Str/SubStr: JET_errInvalidGrbit", () => {
    const bad = jetErrorCodes.JET_errInvalidGrbit
    expect(checkMakeKeyGrbit(0, text)).toBe(0)
    expect(checkMakeKeyGrbit(JET_bitStrLimit | JET_bitSubStrLimit, long)).toBe(0)
    expect(checkMakeKeyGrbit(JET_bitFullColumnStartLimit | JET_bitFullColumnEndLimit, text)).toBe(bad)
    expect(checkMakeKeyGrbit(JET_bitFullColumnEndLimit | JET_bitPartialColumnEndLimit, text)).toBe(bad)
    expect(checkMakeKeyGrbit(JET_bitFullColumnEndLimit | JET_bitStrLimit, text)).toBe(bad)
    expect(checkMakeKeyGrbit(JET_bitPartialColumnStartLimit | JET_bitSubStrLimit, text)).toBe(bad)
    expect(appendKeySegment(new Uint8Array(0), text, ansi("a"), 0x300)).toBe(bad)
  })

  it("§4 partial limits need a Text or variable Binary column: JET_errInvalidGrbit", () => {
    const bad = jetErrorCodes.JET_errInvalidGrbit
    expect(checkMakeKeyGrbit(JET_bitPartialColumnStartLimit, long)).toBe(bad)
    expect(checkMakeKeyGrbit(JET_bitPartialColumnEndLimit, spec(JET_coltypBinary, { fixed: true }))).toBe(bad)
    expect(checkMakeKeyGrbit(JET_bitPartialColumnEndLimit, spec(JET_coltypLongBinary))).toBe(0)
    expect(checkMakeKeyGrbit(JET_bitPartialColumnEndLimit, spec(JET_coltypText, { fixed: true }))).toBe(0)
    expect(checkMakeKeyGrbit(JET_bitFullColumnEndLimit, long)).toBe(0)
  })

  it("§4 cbData 0 means NULL unless JET_bitKeyDataZeroLength", () => {
    expect(hex(make(text, new Uint8Array(0), 0).key)).toBe("00")
    expect(hex(make(text, null, 0).key)).toBe("00")
    expect(hex(make(text, new Uint8Array(0), JET_bitKeyDataZeroLength).key)).toBe("40")
    expect(hex(make(spec(JET_coltypText, { nullsHigh: true }), new Uint8Array(0), 0).key)).toBe("c0")
  })

  it("§4 KeyDataZeroLength on a fixed or fixed-size column: JET_errInvalidBufferSize", () => {
    const bad = jetErrorCodes.JET_errInvalidBufferSize
    expect(appendKeySegment(new Uint8Array(0), long, null, JET_bitKeyDataZeroLength)).toBe(bad)
    expect(
      appendKeySegment(
        new Uint8Array(0),
        spec(JET_coltypBinary, { fixed: true }),
        null,
        JET_bitKeyDataZeroLength
      )
    )
      .toBe(bad)
  })

  it("§4 data size must match a fixed type: JET_errInvalidBufferSize", () => {
    const bad = jetErrorCodes.JET_errInvalidBufferSize
    expect(appendKeySegment(new Uint8Array(0), long, bytes(1, 2, 3), 0)).toBe(bad)
    expect(appendKeySegment(new Uint8Array(0), spec(JET_coltypGUID), new Uint8Array(8), 0)).toBe(bad)
    expect(
      appendKeySegment(new Uint8Array(0), spec(JET_coltypBinary, { fixed: true, cbMax: 4 }), bytes(1, 2), 0)
    )
      .toBe(bad)
    expect(
      appendKeySegment(new Uint8Array(0), spec(JET_coltypText, { fixed: true, cbMax: 4 }), ansi("abcde"), 0)
    )
      .toBe(bad)
  })

  it("§4 shorter key data for a fixed Text column is padded with spaces", () => {
    expect(hex(make(spec(JET_coltypText, { fixed: true, cbMax: 5 }), ansi("ab"), 0).key)).toBe(
      "7f4142202020" + "00"
    )
    expect(hex(padFixedText(unicode("a"), 6, 1200))).toBe("610020002000")
    expect(hex(make(spec(JET_coltypText, { fixed: true, cbMax: 6, cp: 1200 }), unicode("a"), 0).key))
      .toBe("7f004100200020" + "0000")
  })

  it("§4 with 255-byte keys only the first 255 bytes of key data count", () => {
    const r = make(text, ansi("x".repeat(1000)), JET_bitPartialColumnEndLimit)
    expect(r.key.length).toBe(256)
    expect(r.truncated).toBe(true)
  })

  it("§4 once the key is full a further segment adds nothing and makes no limit", () => {
    const full = make(bin, repeat(1, 300), 0)
    expect(full.key.length).toBe(255)
    expect(full.truncated).toBe(true)
    const next = make(long, i32(1), JET_bitFullColumnEndLimit, full.key)
    expect(next.key).toBe(full.key)
    expect(next.limit).toBe(false)
    expect(applyKeyLimit(full.key, JET_bitFullColumnEndLimit, long, 255)).toBe(full.key)
  })

  it("§4 applyKeyLimit on a built key matches JetMakeKey's limit", () => {
    const grbits = [
      JET_bitFullColumnStartLimit,
      JET_bitFullColumnEndLimit,
      JET_bitPartialColumnStartLimit,
      JET_bitPartialColumnEndLimit,
      JET_bitStrLimit,
      JET_bitSubStrLimit
    ]
    const cases: Array<[SegmentSpec, Uint8Array | null]> = [
      [text, ansi("abc")],
      [utext, unicode("ab😀")],
      [bin, bytes(1, 2, 3, 4, 5, 6, 7, 8, 9)],
      [spec(JET_coltypBinary, { descending: true }), bytes(1, 2)],
      [spec(JET_coltypText, { descending: true }), ansi("q")],
      [long, i32(42)],
      [text, null]
    ]
    const prefix = make(long, i32(1), 0).key
    for (const [s, v] of cases) {
      for (const grbit of grbits) {
        if (checkMakeKeyGrbit(grbit, s) !== 0) continue
        const expected = make(s, v, grbit, prefix).key
        const plain = make(s, v, 0, prefix).key
        expect(hex(applyKeyLimit(plain, grbit, s, prefix.length))).toBe(hex(expected))
      }
    }
    const single = make(text, ansi("abc"), 0).key
    expect(hex(applyKeyLimit(single, JET_bitPartialColumnStartLimit, text))).toBe("7f414243")
    expect(applyKeyLimit(single, 0, text)).toBe(single)
    expect(() => applyKeyLimit(single, 0x300, text)).toThrow(RangeError)
  })
})

describe("index key strings", () => {
  const invalidDef = jetErrorCodes.JET_errIndexInvalidDef

  it('§4 "+a\\0-b\\0\\0" is a ascending then b descending', () => {
    expect(parseIndexKey("+a\0-b\0\0")).toEqual([
      { column: "a", descending: false },
      { column: "b", descending: true }
    ])
    expect(parseIndexKey("-Name\0\0")).toEqual([{ column: "Name", descending: true }])
  })

  it("§4 after the first column the direction may be left out (ascending)", () => {
    expect(parseIndexKey("-a\0b\0+c\0\0")).toEqual([
      { column: "a", descending: true },
      { column: "b", descending: false },
      { column: "c", descending: false }
    ])
  })

  it("§4 an empty string is JET_errInvalidParameter", () => {
    expect(parseIndexKey("")).toBe(jetErrorCodes.JET_errInvalidParameter)
  })

  it("§4 a string that does not start with + or -, or lacks its two final NULs: JET_errIndexInvalidDef", () => {
    expect(parseIndexKey("a\0\0")).toBe(invalidDef)
    expect(parseIndexKey("+a\0")).toBe(invalidDef)
    expect(parseIndexKey("+a")).toBe(invalidDef)
    expect(parseIndexKey("+")).toBe(invalidDef)
    expect(parseIndexKey("+a\0\0x")).toBe(invalidDef)
  })

  it("§4 anything after the empty token that ends the list: JET_errIndexInvalidDef", () => {
    expect(parseIndexKey("+a\0\0\0")).toBe(invalidDef)
    expect(parseIndexKey("+a\0\0b\0\0")).toBe(invalidDef)
  })

  it("§5 at most 16 columns (12 with mingw's JET_ccolKeyMost)", () => {
    const key = (n: number) => Array.from({ length: n }, (_, i) => `+c${i}\0`).join("") + "\0"
    expect(parseIndexKey(key(16))).toHaveLength(16)
    expect(parseIndexKey(key(17))).toBe(invalidDef)
    expect(parseIndexKey(key(12), 12)).toHaveLength(12)
    expect(parseIndexKey(key(13), 12)).toBe(invalidDef)
  })

  it("§4 names are not checked by the parser: an empty one is left for the column lookup", () => {
    expect(parseIndexKey("+\0\0")).toEqual([{ column: "", descending: false }])
    expect(parseIndexKey("+a b\0\0")).toEqual([{ column: "a b", descending: false }])
  })
})

// A fixed shuffle, so that a failure reproduces.
const shuffled = <T>(xs: ReadonlyArray<T>, seed: number): Array<T> => {
  const a = xs.slice()
  let state = seed
  for (let i = a.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) & 0x7fffffff
    const j = state % (i + 1)
    const t = a[i] as T
    a[i] = a[j] as T
    a[j] = t
  }
  return a
}

/**
 * Shuffles the keys, sorts them with compareKeys and checks that they come out group by group in
 * the given order, equal within a group and strictly increasing across groups.
 */
const expectKeyOrder = (groups: ReadonlyArray<ReadonlyArray<Uint8Array>>): void => {
  const items = groups.flatMap((g, group) => g.map((key) => ({ group, key })))
  for (const seed of [1, 2, 3]) {
    const sorted = shuffled(items, seed).sort((a, b) => compareKeys(a.key, b.key))
    expect(sorted.map((x) => x.group)).toEqual(items.map((x) => x.group))
    for (let i = 1; i < sorted.length; i++) {
      const a = sorted[i - 1] as (typeof items)[number]
      const b = sorted[i] as (typeof items)[number]
      expect([a.group, b.group, Math.sign(compareKeys(a.key, b.key))])
        .toEqual([a.group, b.group, a.group === b.group ? 0 : -1])
    }
  }
}

/** Checks the order of one segment's values, ascending, then descending in reverse. */
const expectSegmentOrder = (
  s: SegmentSpec,
  groups: ReadonlyArray<ReadonlyArray<Uint8Array | null>>
): void => {
  expectKeyOrder(groups.map((g) => g.map((v) => normalizeSegment(s, v))))
  const d = { ...s, descending: true }
  expectKeyOrder(groups.toReversed().map((g) => g.map((v) => normalizeSegment(d, v))))
}

const each = <T>(xs: ReadonlyArray<T>, f: (x: T) => Uint8Array): Array<Array<Uint8Array | null>> => [
  [null],
  ...xs.map((x) => [f(x)])
]

describe("order of each column type", () => {
  it("§4 Bit: NULL, false, true (every non-zero byte equal)", () => {
    expectSegmentOrder(spec(JET_coltypBit), [[null], [bytes(0)], [bytes(1), bytes(0x80), bytes(0xff)]])
  })

  it("§4 NULL sorts after data with JET_bitIndexSortNullsHigh", () => {
    expectSegmentOrder(spec(JET_coltypBit, { nullsHigh: true }), [[bytes(0)], [bytes(1)], [null]])
    expectSegmentOrder(spec(JET_coltypText, { nullsHigh: true }), [[new Uint8Array(0)], [ansi("a")], [null]])
    expectSegmentOrder(spec(JET_coltypLong, { nullsHigh: true }), [[i32(-1)], [i32(0)], [null]])
  })

  it("§4 UnsignedByte sorts as the number", () => {
    expectSegmentOrder(spec(JET_coltypUnsignedByte), each([0, 1, 0x7f, 0x80, 0xfe, 0xff], (n) => bytes(n)))
  })

  it("§4 signed integers sort as the numbers, negatives first", () => {
    expectSegmentOrder(
      spec(JET_coltypShort),
      each([-32768, -32767, -256, -255, -1, 0, 1, 255, 256, 32767], i16)
    )
    expectSegmentOrder(
      spec(JET_coltypLong),
      each([-(2 ** 31), -(2 ** 31) + 1, -65536, -65535, -256, -1, 0, 1, 255, 256, 65536, 2 ** 31 - 1], i32)
    )
    const wide = [
      -(2n ** 63n),
      -(2n ** 63n) + 1n,
      -(2n ** 32n),
      -256n,
      -1n,
      0n,
      1n,
      256n,
      2n ** 32n,
      2n ** 63n - 1n
    ]
    expectSegmentOrder(spec(JET_coltypLongLong), each(wide, i64))
    expectSegmentOrder(spec(JET_coltypCurrency), each(wide, i64))
  })

  it("§4 unsigned integers sort as the numbers", () => {
    expectSegmentOrder(spec(JET_coltypUnsignedShort), each([0, 1, 255, 256, 0x7fff, 0x8000, 0xffff], u16))
    expectSegmentOrder(
      spec(JET_coltypUnsignedLong),
      each([0, 1, 255, 256, 0x7fffffff, 0x80000000, 0xffffffff], u32)
    )
    expectSegmentOrder(
      spec(JET_coltypUnsignedLongLong),
      each([0n, 1n, 2n ** 32n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n], u64)
    )
  })

  it("§4 IEEESingle: -NaN, -Infinity, negatives, -0, +0, positives, +Infinity, NaN", () => {
    expectSegmentOrder(spec(JET_coltypIEEESingle), [
      [null],
      [f32bits(0xffc00000)],
      [f32(-Infinity)],
      [f32(-3.4028234663852886e38)],
      [f32(-1)],
      [f32(-1.401298464324817e-45)],
      [f32(-0)],
      [f32(0)],
      [f32(1.401298464324817e-45)],
      [f32(1)],
      [f32(3.4028234663852886e38)],
      [f32(Infinity)],
      [f32bits(0x7fc00000)]
    ])
  })

  it("§4 IEEEDouble: -NaN, -Infinity, negatives, -0, +0, positives, +Infinity, NaN", () => {
    const values = [
      -Infinity,
      -Number.MAX_VALUE,
      -1e10,
      -1,
      -0.5,
      -Number.MIN_VALUE,
      -0,
      0,
      Number.MIN_VALUE,
      0.5,
      1,
      1e10,
      Number.MAX_VALUE,
      Infinity
    ]
    expectSegmentOrder(spec(JET_coltypIEEEDouble), [
      [null],
      [f64bits(0xfff8000000000000n)],
      ...values.map((n) => [f64(n)]),
      [f64bits(0x7ff8000000000000n)],
      [f64bits(0x7fffffffffffffffn)]
    ])
  })

  it("§4 DateTime sorts as its OLE date double, dates before 1900 negative", () => {
    // 0100-01-01, 1800-01-01, then 1899-12-29 18:00 (-1.75) before 1899-12-29 06:00 (-1.25): the engine
    // sorts the double, not the instant, and negative OLE dates count their time of day upwards.
    const dates = [-657434, -36522, -1.75, -1.25, -1, 0, 0.25, 1, 2.5, 45000.5, 2958465.99999]
    expectSegmentOrder(spec(JET_coltypDateTime), each(dates, f64))
  })

  it("§4 GUID: node, clock sequence, then Data3, Data2 and Data1 in their stored little-endian bytes", () => {
    expectSegmentOrder(
      spec(JET_coltypGUID),
      each([
        "ffffffff-ffff-ffff-ffff-000000000000",
        "00000000-0000-0000-0000-000000000001",
        "00000000-0000-0000-0001-000000000001",
        "00000000-0000-0000-0100-000000000001",
        "00000000-0000-0100-0100-000000000001",
        "00000000-0000-0001-0100-000000000001",
        "00000000-0100-0001-0100-000000000001",
        "00000000-0001-0001-0100-000000000001",
        "01000000-0001-0001-0100-000000000001",
        "00000001-0001-0001-0100-000000000001",
        "00000000-0000-0000-0000-000000000100"
      ], guid)
    )
  })

  it("§4 GUID with JET_bitIndexDotNetGuid sorts as the lowercase string", () => {
    const strings = [
      "00000000-0000-0000-0000-000000000001",
      "00000000-0000-0000-0100-000000000000",
      "00000000-0000-0001-0000-000000000000",
      "00000000-0000-0100-0000-000000000000",
      "00000000-0001-0000-0000-000000000000",
      "00000001-0000-0000-0000-000000000000",
      "01000000-0000-0000-0000-000000000000",
      "ffffffff-ffff-ffff-ffff-ffffffffffff"
    ]
    expect(strings.toSorted()).toEqual(strings)
    expectSegmentOrder(spec(JET_coltypGUID, { dotNetGuid: true }), each(strings, guid))
  })

  it("§4 variable Binary sorts as its bytes, a prefix first, across chunk boundaries", () => {
    const seq = (n: number, from = 1) => Uint8Array.from({ length: n }, (_, i) => from + i)
    const values: Array<Uint8Array> = [
      repeat(0, 1),
      repeat(0, 2),
      repeat(0, 7),
      repeat(0, 8),
      repeat(0, 9),
      repeat(0, 16),
      repeat(0, 17),
      bytes(0, 1),
      seq(1),
      seq(7),
      seq(8),
      Uint8Array.from([...seq(8), 0]),
      seq(9),
      seq(16),
      seq(17),
      Uint8Array.from([...seq(16), 18]),
      bytes(1, 2, 3, 4, 5, 6, 8),
      bytes(1, 3),
      repeat(0xff, 1),
      repeat(0xff, 8),
      repeat(0xff, 9),
      repeat(0xff, 17)
    ]
    for (const coltyp of [JET_coltypBinary, JET_coltypLongBinary]) {
      expectSegmentOrder(spec(coltyp), [[null], [new Uint8Array(0)], ...values.map((v) => [v])])
    }
  })

  it("§4 fixed Binary sorts as its bytes", () => {
    expectSegmentOrder(
      spec(JET_coltypBinary, { fixed: true }),
      each(
        [bytes(0, 0, 0), bytes(0, 0, 1), bytes(0, 1, 0), bytes(1, 0, 0), bytes(0xff, 0xff, 0xff)],
        (b) => b
      )
    )
  })

  it("§4 cp-1252 text: case-insensitive for a-z only, byte order otherwise, a prefix first", () => {
    const groups: Array<Array<string>> = [
      ["\0", "\0zz"],
      ["\x01"],
      [" "],
      ["!"],
      ["0"],
      ["9"],
      ["@"],
      ["A", "a"],
      ["A\x01"],
      ["A ", "a "],
      ["AB", "ab", "aB", "Ab", "ab\0zz"],
      ["ABC", "abc"],
      ["ABD", "abd"],
      ["B", "b"],
      ["Z", "z"],
      ["["],
      ["\\"],
      ["_"],
      ["`"],
      ["{"],
      ["~"],
      ["\x7f"],
      ["\x80"],
      ["\xc9"],
      ["\xe9"],
      ["\xff"]
    ]
    for (const coltyp of [JET_coltypText, JET_coltypLongText]) {
      expectSegmentOrder(spec(coltyp), [[null], [new Uint8Array(0)], ...groups.map((g) => g.map(ansi))])
    }
  })

  it("§4 Unicode text: case-folded, code-point order, supplementary characters after the whole BMP", () => {
    const groups: Array<Array<string>> = [
      ["\0", "\0x"],
      ["\x01"],
      ["!"],
      ["A", "a"],
      ["A\x01"],
      ["AA", "aa", "Aa"],
      ["AB", "ab", "ab\0zz"],
      ["ABC", "abc"],
      ["I", "i", "\u0131"],
      ["S", "s", "\u017f"],
      ["Z", "z"],
      ["["],
      ["{"],
      ["\x7f"],
      ["\xc9", "\xe9"],
      ["\xdf"],
      ["\u0178", "\xff"],
      ["\u03a3", "\u03c3", "\u03c2"],
      ["\u03a9", "\u03c9"],
      ["\u0416", "\u0436"],
      ["\ud7ff"],
      ["\ue000"],
      ["\uff21", "\uff41"],
      ["\ufffd"],
      ["\uffff"],
      ["\u{10000}"],
      ["\u{10400}", "\u{10428}"],
      ["\u{1f600}"],
      ["\u{1f600}a"],
      ["\u{10ffff}"]
    ]
    for (const coltyp of [JET_coltypText, JET_coltypLongText]) {
      const u = spec(coltyp, { cp: 1200 })
      expectSegmentOrder(u, [[null], [new Uint8Array(0)], ...groups.map((g) => g.map(unicode))])
    }
  })

  it("§4 Unicode text: an unpaired surrogate sorts by its own unit among the supplementary characters", () => {
    const u = spec(JET_coltypText, { cp: 1200 })
    expectSegmentOrder(u, each(["\uffff", "\ud800", "\ud800x", "\u{10000}", "\u{10ffff}", "\udc00"], unicode))
  })
})

describe("order of multi-column keys", () => {
  const specs = [spec(JET_coltypLong), spec(JET_coltypText, { descending: true }), spec(JET_coltypBinary)]
  type Row = readonly [number | null, string | null, Array<number> | null]
  const key = (r: Row, ss: ReadonlyArray<SegmentSpec> = specs) =>
    makeIndexKey(ss, [
      r[0] === null ? null : i32(r[0]),
      r[1] === null ? null : ansi(r[1]),
      r[2] === null ? null : Uint8Array.from(r[2])
    ]).key

  it("§4 segments compare in turn: +Long, -Text (data, zero-length, NULL), +Binary", () => {
    const rows: Array<Array<Row>> = [
      [[null, "a", null]],
      [[-5, "zz", null]],
      [[-5, "b", null]],
      [[-5, "b", []]],
      [[-5, "b", [1]]],
      [[-5, "B", [2]]],
      [[-5, "ab", null], [-5, "AB", null]],
      [[-5, "a", [0]]],
      [[-5, "", null]],
      [[-5, null, null]],
      [[0, "a", null]],
      [[7, "c", [1]]],
      [[7, "c", [1, 0]]]
    ]
    expectKeyOrder(rows.map((g) => g.map((r) => key(r))))
  })

  it("§4 with nulls high NULL sorts after data ascending, before data descending", () => {
    const high = specs.map((s) => ({ ...s, nullsHigh: true }))
    // Descending text: NULL 0xC0 ^ 0xFF = 0x3F, data 0x80, zero-length 0xBF.
    const rows: Array<Row> = [
      [0, null, null],
      [0, "b", null],
      [0, "a", null],
      [0, "", []],
      [0, "", [1]],
      [0, "", null],
      [null, "a", null]
    ]
    expectKeyOrder(rows.map((r) => [key(r, high)]))
  })

  it("§4 property: (+Long, -Text) keys sort by the number, then by the uppercased text reversed", () => {
    const ascii = fc.string({ unit: fc.constantFrom(..."abcAB0 \x01z".split("")), maxLength: 6 })
    const row = fc.tuple(fc.integer({ min: -1000, max: 1000 }), ascii)
    const two = specs.slice(0, 2)
    fc.assert(
      fc.property(row, row, ([n1, s1], [n2, s2]) => {
        const k1 = makeIndexKey(two, [i32(n1), ansi(s1)]).key
        const k2 = makeIndexKey(two, [i32(n2), ansi(s2)]).key
        const u1 = s1.toUpperCase()
        const u2 = s2.toUpperCase()
        const expected = n1 !== n2 ? Math.sign(n1 - n2) : u1 === u2 ? 0 : u1 < u2 ? 1 : -1
        return Math.sign(compareKeys(k1, k2)) === expected
      })
    )
  })
})

describe("order properties", () => {
  const sign = (n: number | bigint): number => (n > 0 ? 1 : n < 0 ? -1 : 0)
  const expectSameOrder = <T>(
    arb: fc.Arbitrary<T>,
    s: SegmentSpec,
    encode: (x: T) => Uint8Array,
    compare: (a: T, b: T) => number
  ): void => {
    const d = { ...s, descending: true }
    fc.assert(
      fc.property(arb, arb, (a, b) => {
        const want = sign(compare(a, b))
        return sign(compareKeys(normalizeSegment(s, encode(a)), normalizeSegment(s, encode(b)))) === want
          && sign(compareKeys(normalizeSegment(d, encode(a)), normalizeSegment(d, encode(b)))) === -want
      }),
      { numRuns: 500 }
    )
  }
  // A zero-length string (header 0x40) sorts before any data, a NUL included.
  const zeroLengthFirst = (compare: (a: string, b: string) => number) => (a: string, b: string): number =>
    a === "" || b === "" ? (a === b ? 0 : a === "" ? -1 : 1) : compare(a, b)
  const numeric = (a: number, b: number): number => a - b
  const big = (a: bigint, b: bigint): number => sign(a - b)
  // -0 is its own key below +0.
  const ieee = (a: number, b: number): number =>
    a < b ? -1 : a > b ? 1 : Object.is(a, b) ? 0 : Object.is(a, -0) ? -1 : 1

  it("§4 property: Short, Long and their unsigned forms sort as the numbers", () => {
    expectSameOrder(fc.integer({ min: -32768, max: 32767 }), spec(JET_coltypShort), i16, numeric)
    expectSameOrder(fc.integer({ min: 0, max: 65535 }), spec(JET_coltypUnsignedShort), u16, numeric)
    expectSameOrder(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), spec(JET_coltypLong), i32, numeric)
    expectSameOrder(fc.integer({ min: 0, max: 2 ** 32 - 1 }), spec(JET_coltypUnsignedLong), u32, numeric)
  })

  it("§4 property: LongLong, Currency and UnsignedLongLong sort as the numbers", () => {
    const signed = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
    expectSameOrder(signed, spec(JET_coltypLongLong), i64, big)
    expectSameOrder(signed, spec(JET_coltypCurrency), i64, big)
    expectSameOrder(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), spec(JET_coltypUnsignedLongLong), u64, big)
  })

  it("§4 property: IEEESingle, IEEEDouble and DateTime sort as the numbers, -0 before +0", () => {
    expectSameOrder(fc.float({ noNaN: true }), spec(JET_coltypIEEESingle), f32, ieee)
    expectSameOrder(fc.double({ noNaN: true }), spec(JET_coltypIEEEDouble), f64, ieee)
    expectSameOrder(
      fc.double({ noNaN: true, min: -657434, max: 2958466 }),
      spec(JET_coltypDateTime),
      f64,
      ieee
    )
  })

  it("§4 property: variable Binary sorts as memcmp of the raw bytes", () => {
    const arb = fc.uint8Array({ maxLength: 40 }).map((b) => b.map((x) => x % 4))
    expectSameOrder(arb, spec(JET_coltypBinary), (b) => b, (a, b) => Buffer.compare(a, b))
  })

  it("§4 property: cp-1252 text sorts as its bytes cut at NUL with a-z uppercased", () => {
    const arb = fc.string({ unit: fc.constantFrom(..."\0\x01 AaBbZz[`{\x7f".split("")), maxLength: 8 })
    const reference = (s: string) => ansi(s.split("\0")[0]?.replace(/[a-z]/g, (c) => c.toUpperCase()) ?? "")
    expectSameOrder(
      arb,
      spec(JET_coltypText),
      ansi,
      zeroLengthFirst((a, b) => Buffer.compare(reference(a), reference(b)))
    )
  })

  it("§4 property: Unicode text sorts as its folded code points cut at U+0000", () => {
    const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
    const arb = fc.string({ unit: "binary", maxLength: 8 }).filter((s) => !lone.test(s))
    const points = (s: string) =>
      [...(s.split("\0")[0] ?? "")].map((c) => foldCodePoint(c.codePointAt(0) as number))
    const compare = (a: string, b: string): number => {
      const x = points(a)
      const y = points(b)
      for (let i = 0; i < x.length && i < y.length; i++) {
        if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number)
      }
      return x.length - y.length
    }
    expectSameOrder(arb, spec(JET_coltypText, { cp: 1200 }), unicode, zeroLengthFirst(compare))
  })

  it("§4 property: makeIndexKey is the joined segments, cut at cbKeyMost outside cp-1252 text", () => {
    const specs = [
      spec(JET_coltypLong),
      spec(JET_coltypBinary, { descending: true }),
      spec(JET_coltypText, { cp: 1200 })
    ]
    const row = fc.tuple(
      fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
      fc.option(fc.uint8Array({ maxLength: 400 })),
      fc.option(fc.string({ unit: "grapheme", maxLength: 150 }))
    )
    fc.assert(
      fc.property(row, fc.constantFrom(JET_cbKeyMost, JET_cbKeyMost4KBytePage), ([n, b, t], cbKeyMost) => {
        const values = [n === null ? null : i32(n), b, t === null ? null : unicode(t)]
        const made = makeIndexKey(specs, values, cbKeyMost)
        const joined = buildKey(specs.map((s, i) => normalizeSegment(s, values[i] ?? null)), cbKeyMost)
        return hex(made.key) === hex(joined.key) && made.truncated === joined.truncated
      }),
      { numRuns: 300 }
    )
  })
})
