import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Codec from "../../src/Codec.ts"
import {
  type CodecFailure,
  type CodecOptions,
  type Coltyp,
  decodeColumnValue,
  encodeColumnValue,
  formatCodecFailure,
  isCodecFailure
} from "../../src/Codec.ts"
import {
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
} from "../../src/jet/constants.ts"

const runs = { numRuns: 500 }

/** Encodes through the untyped entry point and fails the test on a CodecFailure. */
const enc = (coltyp: number, value: unknown, options?: CodecOptions): Uint8Array => {
  const result = encodeColumnValue(coltyp, value, options)
  if (isCodecFailure(result)) throw new Error(`unexpected failure: ${formatCodecFailure(result)}`)
  return result
}

/** Decodes and fails the test on a CodecFailure. */
const dec = (coltyp: number, bytes: Uint8Array, length?: number, options?: CodecOptions): unknown => {
  const result = decodeColumnValue(coltyp, bytes, length, options)
  if (isCodecFailure(result)) throw new Error(`unexpected failure: ${formatCodecFailure(result)}`)
  return result
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ")

const fromHex = (text: string): Uint8Array => new Uint8Array(text.split(" ").map((h) => parseInt(h, 16)))

/** The bytes of a double, little-endian, computed independently of the codec's scratch view. */
const doubleBytes = (value: number): string => hex(new Uint8Array(new Float64Array([value]).buffer))

/** Copies bytes into a larger buffer at an odd offset, with junk around, as a retrieve buffer might be. */
const embedded = (bytes: Uint8Array): Uint8Array => {
  const backing = new Uint8Array(bytes.length + 9).fill(0xA5)
  backing.set(bytes, 3)
  return backing.subarray(3)
}

const utf16: CodecOptions = { cp: 1200 }

const dayMs = 86_400_000
const oleEpoch = Date.UTC(1899, 11, 30)

const fixedSizes: ReadonlyArray<readonly [Coltyp, number]> = [
  [JET_coltypBit, 1],
  [JET_coltypUnsignedByte, 1],
  [JET_coltypShort, 2],
  [JET_coltypUnsignedShort, 2],
  [JET_coltypLong, 4],
  [JET_coltypUnsignedLong, 4],
  [JET_coltypIEEESingle, 4],
  [JET_coltypCurrency, 8],
  [JET_coltypLongLong, 8],
  [JET_coltypUnsignedLongLong, 8],
  [JET_coltypIEEEDouble, 8],
  [JET_coltypDateTime, 8],
  [JET_coltypGUID, 16]
]

describe("exact bytes", () => {
  const cases: ReadonlyArray<readonly [string, Coltyp, unknown, string, CodecOptions?]> = [
    ["Bit true is 0xFF, as ESENT stores it", JET_coltypBit, true, "ff"],
    ["Bit false", JET_coltypBit, false, "00"],
    ["UnsignedByte 0", JET_coltypUnsignedByte, 0, "00"],
    ["UnsignedByte 255", JET_coltypUnsignedByte, 255, "ff"],
    ["Short -2", JET_coltypShort, -2, "fe ff"],
    ["Short 0x1234", JET_coltypShort, 0x1234, "34 12"],
    ["Short min", JET_coltypShort, -32768, "00 80"],
    ["Short max", JET_coltypShort, 32767, "ff 7f"],
    ["UnsignedShort 0x1234", JET_coltypUnsignedShort, 0x1234, "34 12"],
    ["UnsignedShort max", JET_coltypUnsignedShort, 65535, "ff ff"],
    ["Long 0x12345678", JET_coltypLong, 0x12345678, "78 56 34 12"],
    ["Long -1", JET_coltypLong, -1, "ff ff ff ff"],
    ["Long min", JET_coltypLong, -(2 ** 31), "00 00 00 80"],
    ["Long max", JET_coltypLong, 2 ** 31 - 1, "ff ff ff 7f"],
    ["UnsignedLong 0x80000000", JET_coltypUnsignedLong, 0x80000000, "00 00 00 80"],
    ["UnsignedLong max", JET_coltypUnsignedLong, 0xFFFFFFFF, "ff ff ff ff"],
    ["Currency 0x0102030405060708", JET_coltypCurrency, 0x0102030405060708n, "08 07 06 05 04 03 02 01"],
    ["Currency -1", JET_coltypCurrency, -1n, "ff ff ff ff ff ff ff ff"],
    ["LongLong min", JET_coltypLongLong, -(2n ** 63n), "00 00 00 00 00 00 00 80"],
    ["LongLong max", JET_coltypLongLong, 2n ** 63n - 1n, "ff ff ff ff ff ff ff 7f"],
    ["UnsignedLongLong max", JET_coltypUnsignedLongLong, 2n ** 64n - 1n, "ff ff ff ff ff ff ff ff"],
    ["UnsignedLongLong 2^63", JET_coltypUnsignedLongLong, 2n ** 63n, "00 00 00 00 00 00 00 80"],
    ["IEEESingle 1", JET_coltypIEEESingle, 1, "00 00 80 3f"],
    ["IEEESingle -2", JET_coltypIEEESingle, -2, "00 00 00 c0"],
    ["IEEESingle 0.1 rounds to float32", JET_coltypIEEESingle, 0.1, "cd cc cc 3d"],
    ["IEEESingle -0", JET_coltypIEEESingle, -0, "00 00 00 80"],
    ["IEEESingle beyond float32 overflows to infinity", JET_coltypIEEESingle, 1e39, "00 00 80 7f"],
    ["IEEEDouble 1", JET_coltypIEEEDouble, 1, "00 00 00 00 00 00 f0 3f"],
    ["IEEEDouble -0", JET_coltypIEEEDouble, -0, "00 00 00 00 00 00 00 80"],
    ["IEEEDouble -Infinity", JET_coltypIEEEDouble, -Infinity, "00 00 00 00 00 00 f0 ff"],
    [
      "DateTime at the OLE epoch is 0.0",
      JET_coltypDateTime,
      new Date("1899-12-30T00:00:00Z"),
      doubleBytes(0)
    ],
    [
      "DateTime 1900-01-01 12:00 is 2.5",
      JET_coltypDateTime,
      new Date("1900-01-01T12:00:00Z"),
      doubleBytes(2.5)
    ],
    [
      "DateTime 2000-01-01 is 36526",
      JET_coltypDateTime,
      new Date("2000-01-01T00:00:00Z"),
      doubleBytes(36526)
    ],
    [
      "DateTime 1899-12-29 06:00 is -1.25 (the fraction counts forward)",
      JET_coltypDateTime,
      new Date("1899-12-29T06:00:00Z"),
      "00 00 00 00 00 00 f4 bf"
    ],
    [
      "DateTime 1899-12-28 18:00 is -2.75",
      JET_coltypDateTime,
      new Date("1899-12-28T18:00:00Z"),
      doubleBytes(-2.75)
    ],
    [
      "DateTime 1899-12-29 00:00 is -1",
      JET_coltypDateTime,
      new Date("1899-12-29T00:00:00Z"),
      doubleBytes(-1)
    ],
    [
      "DateTime 1899-12-30 06:00 is +0.25",
      JET_coltypDateTime,
      new Date("1899-12-30T06:00:00Z"),
      doubleBytes(0.25)
    ],
    [
      "DateTime 0100-01-01 is -657434",
      JET_coltypDateTime,
      new Date("0100-01-01T00:00:00Z"),
      doubleBytes(-657434)
    ],
    [
      "DateTime 9999-12-31 is 2958465",
      JET_coltypDateTime,
      new Date("9999-12-31T00:00:00Z"),
      doubleBytes(2958465)
    ],
    ["Text cp 1252 (default)", JET_coltypText, "Aé€", "41 e9 80"],
    ["Text cp 0 means 1252", JET_coltypText, "Aé€", "41 e9 80", { cp: 0 }],
    ["Text cp 1252", JET_coltypText, "Aé€", "41 e9 80", { cp: 1252 }],
    ["Text cp 1200", JET_coltypText, "Aé€", "41 00 e9 00 ac 20", { cp: 1200 }],
    ["Text cp 1200 surrogate pair", JET_coltypText, "\u{1F600}", "3d d8 00 de", { cp: 1200 }],
    ["Text cp 1200 lone surrogate kept", JET_coltypText, "\uD800", "00 d8", { cp: 1200 }],
    ["Text NUL is data, not an end", JET_coltypText, "a\0b", "61 00 62"],
    ["LongText cp 1200", JET_coltypLongText, "hi", "68 00 69 00", { cp: 1200 }],
    ["Binary as is", JET_coltypBinary, new Uint8Array([0, 1, 0xFE]), "00 01 fe"],
    ["LongBinary as is", JET_coltypLongBinary, new Uint8Array([7]), "07"],
    [
      "GUID in Windows byte order",
      JET_coltypGUID,
      "00112233-4455-6677-8899-aabbccddeeff",
      "33 22 11 00 55 44 77 66 88 99 aa bb cc dd ee ff"
    ],
    [
      "GUID upper case in",
      JET_coltypGUID,
      "00112233-4455-6677-8899-AABBCCDDEEFF",
      "33 22 11 00 55 44 77 66 88 99 aa bb cc dd ee ff"
    ]
  ]
  for (const [name, coltyp, value, bytes, options] of cases) {
    it(name, () => {
      const encoded = enc(coltyp, value, options)
      expect(hex(encoded)).toBe(bytes)
      const decoded = dec(coltyp, encoded, undefined, options)
      if (coltyp === JET_coltypIEEESingle) expect(decoded).toBe(Math.fround(value as number))
      else if (coltyp === JET_coltypGUID) expect(decoded).toBe((value as string).toLowerCase())
      else expect(decoded).toEqual(value)
    })
  }

  it("empty text and binary are zero bytes", () => {
    for (const coltyp of [JET_coltypText, JET_coltypLongText]) {
      for (const cp of [1252, 1200]) {
        expect(enc(coltyp, "", { cp }).byteLength).toBe(0)
        expect(dec(coltyp, new Uint8Array(0), undefined, { cp })).toBe("")
      }
    }
    for (const coltyp of [JET_coltypBinary, JET_coltypLongBinary]) {
      expect(enc(coltyp, new Uint8Array(0)).byteLength).toBe(0)
      expect(dec(coltyp, new Uint8Array(0))).toEqual(new Uint8Array(0))
    }
  })

  it("Bit decodes any non-zero byte as true", () => {
    expect(dec(JET_coltypBit, fromHex("00"))).toBe(false)
    for (const b of [0x01, 0x80, 0xFF]) expect(dec(JET_coltypBit, new Uint8Array([b]))).toBe(true)
  })

  it("GUID decodes lower case in Windows byte order", () => {
    expect(dec(JET_coltypGUID, fromHex("33 22 11 00 55 44 77 66 88 99 aa bb cc dd ee ff"))).toBe(
      "00112233-4455-6677-8899-aabbccddeeff"
    )
  })

  it("OLE dates written by others: negative fractions count forward, -0.x is the epoch's day", () => {
    const cases: ReadonlyArray<readonly [number, string]> = [
      [-1.25, "1899-12-29T06:00:00.000Z"],
      [-1.5, "1899-12-29T12:00:00.000Z"],
      [-2.75, "1899-12-28T18:00:00.000Z"],
      [-0.25, "1899-12-30T06:00:00.000Z"],
      [-0.5, "1899-12-30T12:00:00.000Z"],
      [-0, "1899-12-30T00:00:00.000Z"],
      [0.5, "1899-12-30T12:00:00.000Z"],
      [-657434.5, "0100-01-01T12:00:00.000Z"],
      [-657434.999999, "0100-01-01T23:59:59.914Z"],
      [2958465.5, "9999-12-31T12:00:00.000Z"],
      // 1 ms before midnight of day -1, written by software keeping more precision than a Date.
      [-1 - (dayMs - 1.2) / dayMs, "1899-12-29T23:59:59.999Z"],
      // Rounds up to the next midnight: in the OLE scheme that is day 0, not day -2.
      [-1 - (dayMs - 0.4) / dayMs, "1899-12-30T00:00:00.000Z"],
      [-2 - (dayMs - 0.4) / dayMs, "1899-12-29T00:00:00.000Z"]
    ]
    for (const [ole, iso] of cases) {
      const decoded = dec(JET_coltypDateTime, new Uint8Array(new Float64Array([ole]).buffer))
      expect(decoded, String(ole)).toEqual(new Date(iso))
    }
  })

  it("decodes the first `length` bytes of a larger buffer at any offset", () => {
    const values: ReadonlyArray<readonly [Coltyp, unknown, CodecOptions?]> = [
      [JET_coltypBit, true],
      [JET_coltypUnsignedByte, 200],
      [JET_coltypShort, -12345],
      [JET_coltypUnsignedShort, 54321],
      [JET_coltypLong, -123456789],
      [JET_coltypUnsignedLong, 3_000_000_000],
      [JET_coltypIEEESingle, 1.5],
      [JET_coltypIEEEDouble, Math.PI],
      [JET_coltypCurrency, -1234567890123n],
      [JET_coltypLongLong, 1234567890123n],
      [JET_coltypUnsignedLongLong, 2n ** 64n - 2n],
      [JET_coltypDateTime, new Date("1850-06-15T13:14:15.678Z")],
      [JET_coltypGUID, "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"],
      [JET_coltypBinary, new Uint8Array([9, 8, 7])],
      [JET_coltypText, "abc"],
      [JET_coltypText, "x".repeat(40)],
      [JET_coltypText, "\u20AC".repeat(40)],
      [JET_coltypText, "abc", { cp: 1200 }],
      [JET_coltypLongText, "\u{1F600}".repeat(40), { cp: 1200 }]
    ]
    for (const [coltyp, value, options] of values) {
      const encoded = enc(coltyp, value, options)
      const buffer = embedded(encoded)
      expect(buffer.byteLength).toBeGreaterThan(encoded.byteLength)
      expect(dec(coltyp, buffer, encoded.byteLength, options), `coltyp ${coltyp}`).toEqual(value)
    }
  })

  it("large text encodings are plain arrays owning exactly their bytes", () => {
    for (
      const [value, options] of [["x".repeat(100), {}], ["\u20AC".repeat(100), {}], [
        "x".repeat(100),
        utf16
      ]] as const
    ) {
      const encoded = enc(JET_coltypLongText, value, options)
      expect(Object.getPrototypeOf(encoded)).toBe(Uint8Array.prototype)
      expect(encoded.byteOffset).toBe(0)
      expect(encoded.buffer.byteLength).toBe(encoded.byteLength)
    }
  })

  it("long Windows-1252 text with bytes 0x80-0x9F decodes through the native path too", () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => i % 2 === 0 ? 0x41 + (i % 26) : 0x80 + (i % 32))
    const expected = new TextDecoder("windows-1252").decode(bytes)
    expect(dec(JET_coltypLongText, bytes)).toBe(expected)
    expect(dec(JET_coltypLongText, embedded(bytes), 300)).toBe(expected)
    expect(enc(JET_coltypLongText, expected)).toEqual(bytes)
  })

  it("Binary encode returns the caller's array; decode returns a copy the buffer can be reused after", () => {
    const value = new Uint8Array([1, 2, 3])
    expect(enc(JET_coltypBinary, value)).toBe(value)
    const buffer = new Uint8Array([1, 2, 3, 4])
    const decoded = dec(JET_coltypBinary, buffer, 3) as Uint8Array
    buffer.fill(0)
    expect(decoded).toEqual(new Uint8Array([1, 2, 3]))
  })

  it("fixed-size encodings have the type's size and are fresh arrays", () => {
    const samples: Record<number, unknown> = {
      [JET_coltypBit]: true,
      [JET_coltypUnsignedByte]: 1,
      [JET_coltypShort]: 1,
      [JET_coltypUnsignedShort]: 1,
      [JET_coltypLong]: 1,
      [JET_coltypUnsignedLong]: 1,
      [JET_coltypIEEESingle]: 1,
      [JET_coltypCurrency]: 1n,
      [JET_coltypLongLong]: 1n,
      [JET_coltypUnsignedLongLong]: 1n,
      [JET_coltypIEEEDouble]: 1,
      [JET_coltypDateTime]: new Date(0),
      [JET_coltypGUID]: "00112233-4455-6677-8899-aabbccddeeff"
    }
    for (const [coltyp, size] of fixedSizes) {
      const a = enc(coltyp, samples[coltyp])
      const b = enc(coltyp, samples[coltyp])
      expect(a.byteLength).toBe(size)
      expect(a.byteOffset).toBe(0)
      expect(a.buffer.byteLength).toBe(size)
      expect(a).not.toBe(b)
      expect(Codec.codecOf(coltyp)?.size).toBe(size)
    }
    for (const coltyp of [JET_coltypBinary, JET_coltypText, JET_coltypLongBinary, JET_coltypLongText]) {
      expect(Codec.codecOf(coltyp)?.size).toBeUndefined()
    }
    expect(Codec.codecOf(0)).toBeUndefined()
    expect(Codec.codecOf(13)).toBeUndefined()
    expect(Codec.codecOf(19)).toBeUndefined()
  })

  it("the per-type codec objects agree with the dispatching functions", () => {
    expect(hex(Codec.long.encode(5) as Uint8Array)).toBe("05 00 00 00")
    expect(Codec.long.decode(fromHex("05 00 00 00"))).toBe(5)
    expect(Codec.short.coltyp).toBe(JET_coltypShort)
    const pairs: ReadonlyArray<readonly [Codec.ColumnCodec<Coltyp>, unknown]> = [
      [Codec.bit, false],
      [Codec.unsignedByte, 7],
      [Codec.short, -7],
      [Codec.unsignedShort, 7],
      [Codec.long, -7],
      [Codec.unsignedLong, 7],
      [Codec.currency, -7n],
      [Codec.longLong, -7n],
      [Codec.unsignedLongLong, 7n],
      [Codec.ieeeSingle, 0.5],
      [Codec.ieeeDouble, 0.1],
      [Codec.dateTime, new Date("2024-02-29T12:34:56.789Z")],
      [Codec.binary, new Uint8Array([1])],
      [Codec.longBinary, new Uint8Array([2])],
      [Codec.text, "t"],
      [Codec.longText, "lt"],
      [Codec.guid, "00112233-4455-6677-8899-aabbccddeeff"]
    ]
    for (const [codec, value] of pairs) {
      expect(Codec.codecOf(codec.coltyp)).toBe(codec)
      const viaCodec = codec.encode(value as never) as Uint8Array
      expect(viaCodec).toEqual(enc(codec.coltyp, value))
      expect(codec.decode(viaCodec)).toEqual(dec(codec.coltyp, viaCodec))
    }
  })
})

describe("round trips", () => {
  const roundTrip = <A>(coltyp: Coltyp, arb: fc.Arbitrary<A>, options?: CodecOptions) =>
    fc.assert(
      fc.property(arb, (value) => {
        const encoded = enc(coltyp, value, options)
        expect(dec(coltyp, encoded, undefined, options)).toEqual(value)
        expect(dec(coltyp, embedded(encoded), encoded.byteLength, options)).toEqual(value)
      }),
      runs
    )

  const withEdges = <A>(arb: fc.Arbitrary<A>, ...edges: ReadonlyArray<A>): fc.Arbitrary<A> =>
    fc.oneof(arb, fc.constantFrom(...edges))

  it("Bit", () => roundTrip(JET_coltypBit, fc.boolean()))

  const integers: ReadonlyArray<readonly [string, Coltyp, number, number]> = [
    ["UnsignedByte", JET_coltypUnsignedByte, 0, 255],
    ["Short", JET_coltypShort, -32768, 32767],
    ["UnsignedShort", JET_coltypUnsignedShort, 0, 65535],
    ["Long", JET_coltypLong, -(2 ** 31), 2 ** 31 - 1],
    ["UnsignedLong", JET_coltypUnsignedLong, 0, 2 ** 32 - 1]
  ]
  for (const [name, coltyp, min, max] of integers) {
    it(name, () => roundTrip(coltyp, withEdges(fc.integer({ min, max }), min, max, 0, 1)))
    it(`${name}: every byte string is a value and re-encodes to itself`, () => {
      const size = Codec.codecOf(coltyp)?.size as number
      fc.assert(
        fc.property(fc.uint8Array({ minLength: size, maxLength: size }), (bytes) => {
          expect(enc(coltyp, dec(coltyp, bytes))).toEqual(bytes)
        }),
        runs
      )
    })
  }

  it("-0 stores as integer 0", () => {
    expect(hex(enc(JET_coltypLong, -0))).toBe("00 00 00 00")
  })

  const bigints: ReadonlyArray<readonly [string, Coltyp, bigint, bigint]> = [
    ["Currency", JET_coltypCurrency, -(2n ** 63n), 2n ** 63n - 1n],
    ["LongLong", JET_coltypLongLong, -(2n ** 63n), 2n ** 63n - 1n],
    ["UnsignedLongLong", JET_coltypUnsignedLongLong, 0n, 2n ** 64n - 1n]
  ]
  for (const [name, coltyp, min, max] of bigints) {
    it(name, () => roundTrip(coltyp, withEdges(fc.bigInt({ min, max }), min, max, 0n, -1n < min ? 1n : -1n)))
    it(`${name}: every byte string is a value and re-encodes to itself`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), (bytes) => {
          expect(enc(coltyp, dec(coltyp, bytes))).toEqual(bytes)
        }),
        runs
      )
    })
  }

  it("IEEEDouble, -0 and NaN included", () => {
    fc.assert(
      fc.property(
        withEdges(fc.double(), -0, NaN, Infinity, -Infinity, Number.MIN_VALUE, Number.MAX_VALUE),
        (v) => {
          const decoded = dec(JET_coltypIEEEDouble, enc(JET_coltypIEEEDouble, v))
          expect(Object.is(decoded, v)).toBe(true)
        }
      ),
      runs
    )
  })

  it("IEEESingle reads back as Math.fround, -0 and NaN included", () => {
    fc.assert(
      fc.property(
        withEdges(
          fc.double(),
          -0,
          NaN,
          Infinity,
          3.4028234663852886e38,
          3.5e38,
          1e-46,
          1.401298464324817e-45
        ),
        (v) => {
          const decoded = dec(JET_coltypIEEESingle, enc(JET_coltypIEEESingle, v))
          expect(Object.is(decoded, Math.fround(v))).toBe(true)
        }
      ),
      runs
    )
    fc.assert(
      fc.property(fc.float(), (v) => {
        expect(Object.is(dec(JET_coltypIEEESingle, enc(JET_coltypIEEESingle, v)), v)).toBe(true)
      }),
      runs
    )
  })

  const dateMin = new Date("0100-01-01T00:00:00.000Z")
  const dateMax = new Date("9999-12-31T23:59:59.999Z")

  it("DateTime to the millisecond over the whole OLE range", () =>
    roundTrip(
      JET_coltypDateTime,
      withEdges(
        fc.date({ min: dateMin, max: dateMax, noInvalidDate: true }),
        dateMin,
        dateMax,
        new Date("1899-12-30T00:00:00.000Z"),
        new Date("1899-12-29T23:59:59.999Z"),
        new Date("1899-12-30T00:00:00.001Z"),
        new Date("1899-12-29T00:00:00.001Z"),
        new Date("1600-02-29T23:59:59.999Z")
      )
    ))

  it("DateTime before 1900, to the millisecond", () =>
    roundTrip(
      JET_coltypDateTime,
      fc.date({ min: dateMin, max: new Date("1899-12-31T00:00:00Z"), noInvalidDate: true })
    ))

  it("DateTime encodes the OLE definition: whole days from 1899-12-30, time of day as the fraction", () => {
    fc.assert(
      fc.property(fc.date({ min: dateMin, max: dateMax, noInvalidDate: true }), (date) => {
        const encoded = enc(JET_coltypDateTime, date)
        const ole = new Float64Array(encoded.slice().buffer)[0] as number
        const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate())
        // Date.UTC maps years 0-99 to 1900-1999; fix the year explicitly.
        const day = new Date(midnight)
        day.setUTCFullYear(date.getUTCFullYear())
        const wholeDays = Math.round((day.getTime() - oleEpoch) / dayMs)
        const timeOfDay = date.getTime() - day.getTime()
        expect(ole === 0 ? 0 : Math.trunc(ole)).toBe(wholeDays === 0 ? 0 : wholeDays)
        // A double resolves about 40 microseconds at the far end of the range.
        expect(Math.abs((Math.abs(ole - Math.trunc(ole))) * dayMs - timeOfDay)).toBeLessThan(0.05)
        if (wholeDays < 0 && timeOfDay > 0) expect(ole).toBeLessThan(wholeDays)
      }),
      runs
    )
  })

  it("DateTime decoding any in-range OLE double gives a date that survives a second round trip", () => {
    fc.assert(
      fc.property(fc.double({ min: -657434.9999, max: 2958465.9999, noNaN: true }), (ole) => {
        const decoded = dec(JET_coltypDateTime, new Uint8Array(new Float64Array([ole]).buffer)) as Date
        const expectedMs = oleEpoch + Math.trunc(ole) * dayMs + Math.abs(ole - Math.trunc(ole)) * dayMs
        expect(Math.abs(decoded.getTime() - expectedMs)).toBeLessThanOrEqual(0.5)
        expect(dec(JET_coltypDateTime, enc(JET_coltypDateTime, decoded))).toEqual(decoded)
      }),
      runs
    )
  })

  it("Binary and LongBinary", () => {
    roundTrip(JET_coltypBinary, fc.uint8Array({ maxLength: 255 }))
    roundTrip(JET_coltypLongBinary, fc.uint8Array({ maxLength: 5000 }))
  })

  /** Every character Windows-1252 maps, in byte order. */
  const cp1252Chars = new TextDecoder("windows-1252").decode(Uint8Array.from({ length: 256 }, (_, i) => i))

  it("Windows-1252: all 256 bytes decode as Windows does and every mapped character encodes back", () => {
    expect(cp1252Chars.length).toBe(256)
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    // The five bytes Windows-1252 leaves undefined map to the control of the same number.
    for (const b of [0x81, 0x8D, 0x8F, 0x90, 0x9D]) expect(cp1252Chars.charCodeAt(b)).toBe(b)
    expect(dec(JET_coltypLongText, all)).toBe(cp1252Chars)
    expect(enc(JET_coltypLongText, cp1252Chars)).toEqual(all)
    for (let b = 0; b < 256; b++) {
      const ch = cp1252Chars[b] as string
      expect(enc(JET_coltypText, ch)).toEqual(new Uint8Array([b]))
      expect(dec(JET_coltypText, new Uint8Array([b]))).toBe(ch)
    }
  })

  it("Windows-1252: every other UTF-16 code unit is refused", () => {
    const mapped = new Set(cp1252Chars)
    for (let unit = 0; unit < 0x10000; unit++) {
      const ch = String.fromCharCode(unit)
      const result = encodeColumnValue(JET_coltypText, `ab${ch}`)
      if (mapped.has(ch)) expect(isCodecFailure(result)).toBe(false)
      else {
        expect(isCodecFailure(result), `U+${unit.toString(16)}`).toBe(true)
        expect((result as CodecFailure).reason).toContain(`at index 2`)
      }
    }
  })

  const cp1252String = (maxLength: number) => fc.string({ unit: fc.constantFrom(...cp1252Chars), maxLength })

  it("Text and LongText, Windows-1252", () => {
    roundTrip(JET_coltypText, cp1252String(255))
    roundTrip(JET_coltypLongText, cp1252String(3000))
    // Long strings of plain Latin-1 take a different path.
    roundTrip(
      JET_coltypLongText,
      fc.string({ unit: fc.constantFrom("a", "\u00E9", "\u00FF", "\0"), maxLength: 3000 })
    )
  })

  it("Windows-1252: every byte string decodes and re-encodes to itself", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(enc(JET_coltypLongText, dec(JET_coltypLongText, bytes))).toEqual(bytes)
      }),
      runs
    )
  })

  const anyUnit = fc.integer({ min: 0, max: 0xFFFF }).map((u) => String.fromCharCode(u))

  it("Text and LongText, UTF-16: surrogate pairs and lone surrogates", () => {
    roundTrip(JET_coltypText, fc.string({ unit: "binary", maxLength: 63 }), utf16)
    roundTrip(JET_coltypText, fc.string({ unit: anyUnit, maxLength: 127 }), utf16)
    roundTrip(JET_coltypLongText, fc.string({ unit: "binary", maxLength: 2000 }), utf16)
    roundTrip(JET_coltypLongText, fc.string({ unit: anyUnit, maxLength: 2000 }), utf16)
  })

  it("UTF-16: every even-length byte string decodes and re-encodes to itself", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const even = bytes.subarray(0, bytes.length & ~1)
        expect(enc(JET_coltypLongText, dec(JET_coltypLongText, even, undefined, utf16), utf16)).toEqual(even)
      }),
      runs
    )
  })

  it("GUID: any case in, lower case out, and every 16 bytes are a GUID", () => {
    fc.assert(
      fc.property(fc.uuid(), fc.boolean(), (uuid, upper) => {
        const input = upper ? uuid.toUpperCase() : uuid
        expect(dec(JET_coltypGUID, enc(JET_coltypGUID, input))).toBe(uuid.toLowerCase())
      }),
      runs
    )
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        expect(enc(JET_coltypGUID, dec(JET_coltypGUID, bytes))).toEqual(bytes)
      }),
      runs
    )
  })

  it("limits are inclusive", () => {
    expect(enc(JET_coltypText, "x".repeat(255)).byteLength).toBe(255)
    expect(enc(JET_coltypText, "x".repeat(127), utf16).byteLength).toBe(254)
    expect(enc(JET_coltypBinary, new Uint8Array(255)).byteLength).toBe(255)
    expect(enc(JET_coltypBinary, new Uint8Array(10), { cbMax: 10 }).byteLength).toBe(10)
    expect(enc(JET_coltypLongText, "x".repeat(1000), { cbMax: 2000, cp: 1200 }).byteLength).toBe(2000)
    // cbMax above the type's limit is capped at it, as ESENT caps it.
    expect(enc(JET_coltypBinary, new Uint8Array(255), { cbMax: 1000 }).byteLength).toBe(255)
    expect(dec(JET_coltypText, new Uint8Array(255).fill(0x41))).toBe("A".repeat(255))
  })
})

describe("failures are returned, never thrown, and name the coltyp and the reason", () => {
  type Case = readonly [coltyp: number, value: unknown, reason: RegExp, options?: unknown]
  const encodeCases: ReadonlyArray<Case> = [
    [JET_coltypBit, 1, /expected a boolean, got number/],
    [JET_coltypBit, "true", /expected a boolean, got string/],
    [JET_coltypBit, null, /expected a boolean, got null/],
    [JET_coltypBit, undefined, /expected a boolean, got undefined/],
    [JET_coltypBit, Symbol("s"), /expected a boolean, got symbol/],
    [JET_coltypUnsignedByte, -1, /-1 is outside 0\.\.255/],
    [JET_coltypUnsignedByte, 256, /256 is outside 0\.\.255/],
    [JET_coltypUnsignedByte, 1.5, /1\.5 is not an integer/],
    [JET_coltypUnsignedByte, NaN, /NaN is not an integer/],
    [JET_coltypUnsignedByte, "1", /expected a number, got string/],
    [JET_coltypUnsignedByte, 1n, /expected a number, got bigint/],
    [JET_coltypShort, -32769, /-32769 is outside -32768\.\.32767/],
    [JET_coltypShort, 32768, /32768 is outside -32768\.\.32767/],
    [JET_coltypShort, 0.5, /0\.5 is not an integer/],
    [JET_coltypShort, Infinity, /Infinity is not an integer/],
    [JET_coltypUnsignedShort, 65536, /65536 is outside 0\.\.65535/],
    [JET_coltypUnsignedShort, -1, /-1 is outside 0\.\.65535/],
    [JET_coltypLong, 2 ** 31, /2147483648 is outside -2147483648\.\.2147483647/],
    [JET_coltypLong, -(2 ** 31) - 1, /-2147483649 is outside -2147483648\.\.2147483647/],
    [JET_coltypLong, NaN, /NaN is not an integer/],
    [JET_coltypLong, -Infinity, /-Infinity is not an integer/],
    [JET_coltypLong, new Date(0), /expected a number, got Date/],
    [JET_coltypUnsignedLong, 2 ** 32, /4294967296 is outside 0\.\.4294967295/],
    [JET_coltypUnsignedLong, -1, /-1 is outside 0\.\.4294967295/],
    [JET_coltypUnsignedLong, 1.1, /1\.1 is not an integer/],
    [
      JET_coltypCurrency,
      2n ** 63n,
      /9223372036854775808 is outside -9223372036854775808\.\.9223372036854775807/
    ],
    [JET_coltypCurrency, -(2n ** 63n) - 1n, /-9223372036854775809 is outside/],
    [JET_coltypCurrency, 1, /expected a bigint, got number/],
    [JET_coltypLongLong, 2n ** 63n, /is outside -9223372036854775808\.\.9223372036854775807/],
    [JET_coltypLongLong, "1", /expected a bigint, got string/],
    [JET_coltypUnsignedLongLong, -1n, /-1 is outside 0\.\.18446744073709551615/],
    [JET_coltypUnsignedLongLong, 2n ** 64n, /18446744073709551616 is outside 0\.\.18446744073709551615/],
    [JET_coltypUnsignedLongLong, 5, /expected a bigint, got number/],
    [JET_coltypIEEESingle, "1", /expected a number, got string/],
    [JET_coltypIEEESingle, 1n, /expected a number, got bigint/],
    [JET_coltypIEEEDouble, null, /expected a number, got null/],
    [JET_coltypDateTime, new Date(NaN), /the Date is invalid/],
    [JET_coltypDateTime, "2020-01-01", /expected a Date, got string/],
    [JET_coltypDateTime, 0, /expected a Date, got number/],
    [
      JET_coltypDateTime,
      new Date("0099-12-31T23:59:59.999Z"),
      /0099-12-31T23:59:59\.999Z is outside the OLE date range 0100-01-01 \.\. 9999-12-31/
    ],
    [
      JET_coltypDateTime,
      new Date("+010000-01-01T00:00:00Z"),
      /\+010000-01-01T00:00:00\.000Z is outside the OLE/
    ],
    [JET_coltypBinary, new Uint8Array(256), /256 bytes is more than the column's maximum of 255/],
    [JET_coltypBinary, new Uint8Array(4), /4 bytes is more than the column's maximum of 3/, { cbMax: 3 }],
    [JET_coltypBinary, "abc", /expected a Uint8Array, got string/],
    [JET_coltypBinary, [1, 2], /expected a Uint8Array, got Array/],
    [JET_coltypBinary, new ArrayBuffer(2), /expected a Uint8Array, got ArrayBuffer/],
    [JET_coltypBinary, new Uint16Array(2), /expected a Uint8Array, got Uint16Array/],
    [JET_coltypBinary, Object.create(null), /expected a Uint8Array, got an object/],
    [JET_coltypBinary, new Uint8Array(1), /cbMax option must be a non-negative integer, got -1/, {
      cbMax: -1
    }],
    [JET_coltypBinary, new Uint8Array(1), /cbMax option must be a non-negative integer, got 1\.5/, {
      cbMax: 1.5
    }],
    [JET_coltypBinary, new Uint8Array(1), /cbMax option must be a non-negative integer, got string/, {
      cbMax: "3"
    }],
    [JET_coltypLongBinary, new Uint8Array(11), /11 bytes is more than the column's maximum of 10/, {
      cbMax: 10
    }],
    [JET_coltypText, "x", /code page 437 is not supported/, { cp: 437 }],
    [JET_coltypText, "x", /code page 65001 is not supported/, { cp: 65001 }],
    [JET_coltypText, "x", /code page string is not supported/, { cp: "1200" }],
    [JET_coltypText, "x".repeat(256), /256 bytes is more than the column's maximum of 255/],
    [JET_coltypText, "x".repeat(128), /256 bytes is more than the column's maximum of 255/, { cp: 1200 }],
    [JET_coltypText, "abc", /3 bytes is more than the column's maximum of 2/, { cbMax: 2 }],
    [JET_coltypText, "a\u0100", /character U\+0100 at index 1 has no Windows-1252 byte/],
    [JET_coltypText, "\u{1F600}", /character U\+1F600 at index 0 has no Windows-1252 byte/],
    [JET_coltypText, "\uD800", /character U\+D800 at index 0 has no Windows-1252 byte/],
    [JET_coltypText, "\u0080", /character U\+0080 at index 0 has no Windows-1252 byte/],
    [JET_coltypText, `${"a".repeat(40)}\u0100`, /character U\+0100 at index 40 has no Windows-1252 byte/],
    [JET_coltypText, 42, /expected a string, got number/],
    [JET_coltypLongText, "abcd", /8 bytes is more than the column's maximum of 6/, { cp: 1200, cbMax: 6 }],
    [JET_coltypLongText, "x", /code page 1201 is not supported/, { cp: 1201 }],
    [JET_coltypGUID, "00112233-4455-6677-8899-aabbccddeef", /is not a GUID of the form/],
    [JET_coltypGUID, "00112233445566778899aabbccddeeff", /is not a GUID/],
    [JET_coltypGUID, "00112233-4455-6677-8899_aabbccddeeff", /is not a GUID/],
    [
      JET_coltypGUID,
      "0011223g-4455-6677-8899-aabbccddeeff",
      /"0011223g-4455-6677-8899-aabbccddeeff" is not a GUID/
    ],
    [JET_coltypGUID, "{00112233-4455-6677-8899-aabbccddeeff}", /is not a GUID/],
    [JET_coltypGUID, "00112233-4455-6677-8899-aabbccddeefz", /is not a GUID/],
    [JET_coltypGUID, " 0112233-4455-6677-8899-aabbccddeeff", /is not a GUID/],
    [JET_coltypGUID, 42, /expected a string, got number/],
    [0, 1, /0 is not a column type with values/],
    [13, 1, /13 is not a column type with values/],
    [19, 1, /19 is not a column type with values/],
    [-1, 1, /-1 is not a column type with values/],
    [1.5, 1, /1\.5 is not a column type with values/],
    [NaN, 1, /NaN is not a column type with values/],
    [JET_coltypLong, 1, /expected an options object, got string/, "x"],
    [JET_coltypLong, 1, /expected an options object, got null/, null]
  ]
  for (const [coltyp, value, reason, options] of encodeCases) {
    it(`encode ${String(coltyp)}: ${reason.source}`, () => {
      const result = encodeColumnValue(coltyp, value, options as CodecOptions)
      expect(isCodecFailure(result)).toBe(true)
      const failure = result as CodecFailure
      expect(failure._tag).toBe("CodecFailure")
      expect(Object.is(failure.coltyp, coltyp)).toBe(true)
      expect(failure.reason).toMatch(reason)
      expect(formatCodecFailure(failure)).toMatch(/^(JET_coltyp\w+|coltyp \S+): /)
    })
  }

  const decodeCases: ReadonlyArray<readonly [number, unknown, unknown, RegExp, unknown?]> = [
    ...fixedSizes.flatMap(([coltyp, size]): ReadonlyArray<readonly [number, unknown, unknown, RegExp]> => [
      [coltyp, new Uint8Array(size - 1), undefined, new RegExp(`^expected ${size} bytes, got ${size - 1}$`)],
      [coltyp, new Uint8Array(size + 1), undefined, new RegExp(`^expected ${size} bytes, got ${size + 1}$`)],
      [coltyp, new Uint8Array(size + 5), size + 2, new RegExp(`^expected ${size} bytes, got ${size + 2}$`)],
      [coltyp, new Uint8Array(0), undefined, new RegExp(`^expected ${size} bytes, got 0$`)]
    ]),
    [JET_coltypLong, new Uint8Array(4), 5, /the length 5 is not a byte count within the 4-byte buffer/],
    [JET_coltypLong, new Uint8Array(4), -1, /the length -1 is not a byte count/],
    [JET_coltypLong, new Uint8Array(4), 3.5, /the length 3\.5 is not a byte count/],
    [JET_coltypLong, new Uint8Array(4), "4", /the length string is not a byte count/],
    [JET_coltypLong, new ArrayBuffer(4), undefined, /expected a Uint8Array, got ArrayBuffer/],
    [JET_coltypLong, [1, 0, 0, 0], undefined, /expected a Uint8Array, got Array/],
    [JET_coltypLong, null, undefined, /expected a Uint8Array, got null/],
    [JET_coltypDateTime, new Uint8Array(new Float64Array([NaN]).buffer), undefined, /NaN is not an OLE date/],
    [
      JET_coltypDateTime,
      new Uint8Array(new Float64Array([Infinity]).buffer),
      undefined,
      /Infinity is not an OLE/
    ],
    [
      JET_coltypDateTime,
      new Uint8Array(new Float64Array([-657435]).buffer),
      undefined,
      /-657435 is not an OLE/
    ],
    [
      JET_coltypDateTime,
      new Uint8Array(new Float64Array([2958466]).buffer),
      undefined,
      /2958466 is not an OLE/
    ],
    [
      JET_coltypDateTime,
      new Uint8Array(new Float64Array([1e300]).buffer),
      undefined,
      /1e\+300 is not an OLE/
    ],
    [
      JET_coltypDateTime,
      new Uint8Array(new Float64Array([2958465 + (dayMs - 0.2) / dayMs]).buffer),
      undefined,
      /rounds to a time after 9999-12-31 23:59:59\.999/
    ],
    [JET_coltypText, new Uint8Array(3), undefined, /3 bytes is not a whole number of UTF-16 code units/, {
      cp: 1200
    }],
    [JET_coltypLongText, new Uint8Array(1), undefined, /1 bytes is not a whole number of UTF-16/, {
      cp: 1200
    }],
    [JET_coltypText, new Uint8Array(256), undefined, /256 bytes is more than the column's maximum of 255/],
    [JET_coltypText, new Uint8Array(5), undefined, /5 bytes is more than the column's maximum of 4/, {
      cbMax: 4
    }],
    [JET_coltypText, new Uint8Array(2), undefined, /code page 850 is not supported/, { cp: 850 }],
    [JET_coltypBinary, new Uint8Array(256), undefined, /256 bytes is more than the column's maximum of 255/],
    [JET_coltypLongBinary, new Uint8Array(9), undefined, /9 bytes is more than the column's maximum of 8/, {
      cbMax: 8
    }],
    [JET_coltypBinary, new Uint8Array(2), undefined, /cbMax option must be a non-negative integer/, {
      cbMax: -3
    }],
    [JET_coltypLong, new Uint8Array(4), undefined, /expected an options object, got number/, 7],
    [0, new Uint8Array(4), undefined, /0 is not a column type with values/],
    [13, new Uint8Array(4), undefined, /13 is not a column type with values/]
  ]
  for (const [coltyp, bytes, length, reason, options] of decodeCases) {
    it(`decode ${coltyp}: ${reason.source}`, () => {
      const result = decodeColumnValue(coltyp, bytes as Uint8Array, length as number, options as CodecOptions)
      expect(isCodecFailure(result)).toBe(true)
      const failure = result as CodecFailure
      expect(failure.coltyp).toBe(coltyp)
      expect(failure.reason).toMatch(reason)
    })
  }

  it("formatCodecFailure names the coltyp", () => {
    expect(formatCodecFailure(encodeColumnValue(JET_coltypShort, 40000) as CodecFailure)).toBe(
      "JET_coltypShort: 40000 is outside -32768..32767"
    )
    expect(formatCodecFailure(Codec.codecFailure(99, "x"))).toBe("coltyp 99: x")
  })

  it("no input makes a codec throw", () => {
    const coltyps = fc.oneof(fc.integer({ min: -2, max: 20 }), fc.constantFrom(NaN, 1.5))
    const options = fc.option(fc.record({ cp: fc.anything(), cbMax: fc.anything() }, { requiredKeys: [] }), {
      nil: undefined
    })
    fc.assert(
      fc.property(coltyps, fc.anything(), options, (coltyp, value, opts) => {
        const result = encodeColumnValue(coltyp, value, opts as CodecOptions)
        expect(result instanceof Uint8Array || isCodecFailure(result)).toBe(true)
      }),
      { numRuns: 2000 }
    )
    fc.assert(
      fc.property(
        coltyps,
        fc.oneof(fc.uint8Array({ maxLength: 20 }), fc.anything()),
        fc.option(fc.anything(), { nil: undefined }),
        options,
        (coltyp, bytes, length, opts) => {
          decodeColumnValue(coltyp, bytes as Uint8Array, length as number, opts as CodecOptions)
        }
      ),
      { numRuns: 2000 }
    )
  })
})

describe("types", () => {
  it("ColumnValue maps each coltyp to its JavaScript type", () => {
    const long: Codec.ColumnValue<typeof JET_coltypLong> = 1
    const when: Codec.ColumnValue<typeof JET_coltypDateTime> = new Date(0)
    const money: Codec.ColumnValue<typeof JET_coltypCurrency> = 1n
    const typed = encodeColumnValue(JET_coltypLong, long)
    // @ts-expect-error a Long column takes a number, not a string
    encodeColumnValue(JET_coltypLong, "1")
    // @ts-expect-error a Currency column takes a bigint
    Codec.currency.encode(1)
    // @ts-expect-error Nil holds no values
    encodeColumnValue(0, 1)
    const runtimeColtyp: number = JET_coltypLong
    const anyValue = decodeColumnValue(runtimeColtyp, new Uint8Array(4))
    const widened: boolean | number | bigint | Date | Uint8Array | string | CodecFailure = anyValue
    expect(widened).toBe(0)
    const decoded = decodeColumnValue(JET_coltypText, new Uint8Array([0x41]))
    const text: string | CodecFailure = decoded
    expect([typed instanceof Uint8Array, text, when.getTime(), money]).toEqual([true, "A", 0, 1n])
  })
})
