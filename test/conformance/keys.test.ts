import { describe, expect, it } from "vitest"
import {
  JET_bitColumnFixed,
  JET_bitColumnMultiValued,
  JET_bitColumnTagged,
  JET_bitIndexDisallowNull,
  JET_bitIndexDisallowTruncation,
  JET_bitIndexIgnoreAnyNull,
  JET_bitIndexIgnoreFirstNull,
  JET_bitIndexIgnoreNull,
  JET_bitIndexSortNullsHigh,
  JET_bitIndexUnique,
  JET_bitSetZeroLength,
  JET_coltypBinary,
  JET_coltypBit,
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
  JET_coltypUnsignedShort,
  JET_MoveFirst,
  JET_MoveNext,
  JET_prepInsert
} from "../../src/jet/constants.ts"
import type { Engine } from "./engines.ts"
import {
  codes,
  createTable,
  currentKey,
  dec,
  enc,
  expectErr,
  forEachEngine,
  hex,
  insert,
  insertRow,
  must,
  ok,
  openEnv,
  shuffled,
  type Value,
  walk
} from "./harness.ts"

/**
 * The normalized key of one segment, as §4 describes it (fldnorm.cxx). Text here is cp 1252 only:
 * Unicode sort keys are not reproducible off Windows.
 */
export const normalizeSegment = (
  coltyp: number,
  value: Value,
  options: { readonly descending?: boolean; readonly nullsHigh?: boolean; readonly fixed?: boolean } = {}
): Uint8Array => {
  let out: Array<number>
  if (value === null) out = [options.nullsHigh === true ? 0xc0 : 0x00]
  else if (value.byteLength === 0 && (coltyp === JET_coltypText || coltyp === JET_coltypBinary)) out = [0x40]
  else {
    const be = [...value].reverse()
    let payload: Array<number>
    switch (coltyp) {
      case JET_coltypBit:
        payload = [value[0] === 0 ? 0x00 : 0xff]
        break
      case JET_coltypUnsignedByte:
      case JET_coltypUnsignedShort:
      case JET_coltypUnsignedLong:
      case JET_coltypUnsignedLongLong:
        payload = be
        break
      case JET_coltypShort:
      case JET_coltypLong:
      case JET_coltypLongLong:
      case JET_coltypCurrency:
        payload = [be[0]! ^ 0x80, ...be.slice(1)]
        break
      case JET_coltypIEEESingle:
      case JET_coltypIEEEDouble:
      case JET_coltypDateTime:
        payload = (be[0]! & 0x80) !== 0 ? be.map((b) => b ^ 0xff) : [be[0]! ^ 0x80, ...be.slice(1)]
        break
      case JET_coltypGUID:
        payload = [10, 11, 12, 13, 14, 15, 8, 9, 6, 7, 4, 5, 0, 1, 2, 3].map((i) => value[i]!)
        break
      case JET_coltypText: {
        const nul = value.indexOf(0)
        const cut = nul < 0 ? [...value] : [...value.slice(0, nul)]
        payload = [...cut.map((c) => (c >= 0x61 && c <= 0x7a ? c - 0x20 : c)), 0x00]
        break
      }
      case JET_coltypBinary:
        if (options.fixed === true) payload = [...value]
        else {
          payload = []
          for (let i = 0; i < value.byteLength; i += 8) {
            const chunk = [...value.slice(i, i + 8)]
            const last = i + 8 >= value.byteLength
            payload.push(...chunk, ...new Array<number>(8 - chunk.length).fill(0), last ? chunk.length : 9)
          }
        }
        break
      default:
        throw new Error(`no reference normalization for coltyp ${coltyp}`)
    }
    out = [0x7f, ...payload]
  }
  return Uint8Array.from(options.descending === true ? out.map((b) => b ^ 0xff) : out)
}

/** Unsigned byte-wise comparison, a prefix first (memcmp order). */
export const compareBytes = (a: Uint8Array, b: Uint8Array): number => {
  const n = Math.min(a.byteLength, b.byteLength)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return a.byteLength - b.byteLength
}

/** A table with one column `v` of `coltyp` and an index over it; the cursor is on that index. */
const indexed = (
  engine: Engine,
  coltyp: number,
  options: {
    readonly key?: string
    readonly indexGrbit?: number
    readonly columnGrbit?: number
    readonly cbMax?: number
    readonly cp?: number
    readonly cbKeyMost?: number
  } = {}
) => {
  const env = openEnv(engine)
  const t = createTable(
    env,
    "t",
    {
      v: {
        coltyp,
        ...(options.columnGrbit === undefined ? {} : { grbit: options.columnGrbit }),
        ...(options.cbMax === undefined ? {} : { cbMax: options.cbMax }),
        ...(options.cp === undefined ? {} : { cp: options.cp })
      }
    },
    [{
      name: "iv",
      key: options.key ?? "+v",
      grbit: options.indexGrbit ?? 0,
      ...(options.cbKeyMost === undefined ? {} : { cbKeyMost: options.cbKeyMost })
    }]
  )
  ok(env.api.JetSetCurrentIndex4(env.sesid, t.tableid, "iv", 0, 1))
  const add = (value: Value, grbit = 0): number => {
    ok(env.api.JetPrepareUpdate(env.sesid, t.tableid, JET_prepInsert))
    if (value !== null) {
      ok(env.api.JetSetColumn(env.sesid, t.tableid, t.col.v, value, value.byteLength, grbit, null))
    }
    const { err } = env.api.JetUpdate(env.sesid, t.tableid, null, 0)
    if (err < 0) ok(env.api.JetPrepareUpdate(env.sesid, t.tableid, 3))
    return err
  }
  const values = (): Array<string> => walk(env.api, env.sesid, t.tableid, t.col.v).map(hex)
  const keys = (): Array<string> => {
    const out: Array<string> = []
    let err = env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0).err
    while (err === 0) {
      out.push(hex(currentKey(env.api, env.sesid, t.tableid)))
      err = env.api.JetMove(env.sesid, t.tableid, JET_MoveNext, 0).err
    }
    return out
  }
  return { env, t, add, values, keys }
}

/** Inserts `ascending` shuffled and checks that the index walks it back in this order. */
const checkOrder = (
  engine: Engine,
  coltyp: number,
  ascending: ReadonlyArray<Value>,
  cbMax?: number
): void => {
  const x = indexed(engine, coltyp, cbMax === undefined ? {} : { cbMax })
  for (const v of shuffled(ascending)) {
    expectErr(x.add(v, v !== null && v.byteLength === 0 ? JET_bitSetZeroLength : 0), 0)
  }
  expect(x.values()).toEqual(ascending.map(hex))
  expect(x.keys()).toEqual(ascending.map((v) => hex(normalizeSegment(coltyp, v))))
}

const days = (y: number, m: number, d: number): Date => new Date(Date.UTC(y, m - 1, d))

forEachEngine((engine) => {
  describe("§4 key order by type [fldnorm.cxx]", () => {
    it("§4 Bit: false before true; key 0x00/0xFF", () => {
      checkOrder(engine, JET_coltypBit, [enc.bit(false), enc.bit(true)])
    })

    it("§4 UnsignedByte: raw", () => {
      checkOrder(engine, JET_coltypUnsignedByte, [0, 1, 127, 128, 255].map(enc.u8))
    })

    it("§4 Short: big-endian, sign bit flipped: negatives first", () => {
      checkOrder(engine, JET_coltypShort, [-32768, -256, -1, 0, 1, 255, 256, 32767].map(enc.i16))
    })

    it("§4 UnsignedShort: big-endian", () => {
      checkOrder(engine, JET_coltypUnsignedShort, [0, 1, 255, 256, 0x7fff, 0x8000, 0xffff].map(enc.u16))
    })

    it("§4 Long: big-endian, sign bit flipped", () => {
      checkOrder(
        engine,
        JET_coltypLong,
        [-(2 ** 31), -65536, -1000, -1, 0, 1, 1000, 65536, 2 ** 31 - 1].map(enc.i32)
      )
    })

    it("§4 UnsignedLong: big-endian (values over 2^31 sort last)", () => {
      checkOrder(engine, JET_coltypUnsignedLong, [0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1].map(enc.u32))
    })

    it("§4 LongLong: big-endian, sign bit flipped", () => {
      checkOrder(
        engine,
        JET_coltypLongLong,
        [-(2n ** 63n), -(2n ** 32n), -1n, 0n, 1n, 2n ** 32n, 2n ** 63n - 1n].map(enc.i64)
      )
    })

    it("§4 Currency: as a signed 8-byte integer", () => {
      checkOrder(
        engine,
        JET_coltypCurrency,
        [-(2n ** 63n), -10000n, -1n, 0n, 1n, 10000n, 2n ** 63n - 1n].map(enc.i64)
      )
    })

    it("§5 UnsignedLongLong: big-endian (Windows 10+)", () => {
      checkOrder(
        engine,
        JET_coltypUnsignedLongLong,
        [0n, 1n, 2n ** 32n, 2n ** 63n, 2n ** 64n - 1n].map(enc.u64)
      )
    })

    it("§4 IEEESingle: negatives inverted, -0 before +0, NaN after +Infinity", () => {
      checkOrder(
        engine,
        JET_coltypIEEESingle,
        [-Infinity, -1e30, -1, -1e-30, -0, 0, 1e-30, 1, 1e30, Infinity, NaN].map(enc.f32)
      )
    })

    it("§4 IEEEDouble: negatives inverted; -NaN first, -0 before +0, +NaN last", () => {
      checkOrder(engine, JET_coltypIEEEDouble, [
        enc.f64bits(0xfff8_0000_0000_0000n),
        ...[
          -Infinity,
          -Number.MAX_VALUE,
          -1.5,
          -1,
          -Number.MIN_VALUE,
          -0,
          0,
          Number.MIN_VALUE,
          1,
          1.5,
          Number.MAX_VALUE,
          Infinity
        ]
          .map(enc.f64),
        enc.f64bits(0x7ff8_0000_0000_0000n)
      ])
    })

    it("§4 DateTime: a double; dates before 1900 (negative) sort first", () => {
      checkOrder(
        engine,
        JET_coltypDateTime,
        [
          days(1601, 1, 1),
          days(1800, 1, 1),
          days(1899, 12, 29),
          days(1899, 12, 30),
          days(1900, 1, 1),
          days(1970, 1, 1),
          days(2024, 6, 1)
        ]
          .map(enc.date)
      )
    })

    it("§4 GUID: bytes compared in the order [10-15, 8, 9, 6, 7, 4, 5, 0-3]", () => {
      const guids = [
        "00000000-0000-0000-0000-000000000000",
        "00000001-0000-0000-0000-000000000000",
        "01000000-0000-0000-0000-000000000000",
        "00000000-0001-0000-0000-000000000000",
        "00000000-0000-0001-0000-000000000000",
        "00000000-0000-0000-0001-000000000000",
        "00000000-0000-0000-0100-000000000000",
        "00000000-0000-0000-0000-000000000001",
        "ffffffff-ffff-ffff-ffff-fffffffffffe",
        "00000000-0000-0000-0000-ff0000000000"
      ].map(enc.guid)
      const ascending = [...guids].sort((a, b) =>
        compareBytes(normalizeSegment(JET_coltypGUID, a), normalizeSegment(JET_coltypGUID, b))
      )
      // node 15 outranks Data1 (bytes 0-3), node 10 outranks node 15
      const at = (g: string): number => ascending.findIndex((x) => hex(x) === hex(enc.guid(g)))
      expect(at("00000000-0000-0000-0000-000000000001")).toBeGreaterThan(
        at("01000000-0000-0000-0000-000000000000")
      )
      expect(at("00000000-0000-0000-0000-ff0000000000")).toBeGreaterThan(
        at("00000000-0000-0000-0000-000000000001")
      )
      checkOrder(engine, JET_coltypGUID, ascending)
    })

    it("§4 variable Binary: 8-byte chunks with markers: a prefix first, shared prefixes ordered by the next byte", () => {
      const b = (...v: Array<number>): Uint8Array => Uint8Array.from(v)
      checkOrder(engine, JET_coltypBinary, [
        null,
        b(),
        b(0),
        b(0, 0),
        b(0, 0, 0, 0, 0, 0, 0, 0),
        b(0, 0, 0, 0, 0, 0, 0, 0, 0),
        b(0, 1),
        b(1),
        b(1, 2, 3, 4, 5, 6, 7),
        b(1, 2, 3, 4, 5, 6, 7, 8),
        b(1, 2, 3, 4, 5, 6, 7, 8, 0),
        b(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16),
        b(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17),
        b(1, 2, 3, 4, 5, 6, 7, 9),
        b(255),
        b(255, 255, 255, 255, 255, 255, 255, 255, 255)
      ], 100)
    })

    it("§4 ASCII text: case-insensitive (uppercased), NULL < empty < data, a prefix first", () => {
      checkOrder(
        engine,
        JET_coltypText,
        [null, "", "a", "a b", "AB", "abc", "B", "b0", "z", "_"].map((s) => s === null ? null : enc.ascii(s)),
        100
      )
    })

    it("§4 ASCII text keys are cut at NUL and case-insensitive: a unique index sees duplicates", () => {
      const x = indexed(engine, JET_coltypText, { indexGrbit: JET_bitIndexUnique, cbMax: 50 })
      expectErr(x.add(enc.ascii("abc")), 0)
      expectErr(x.add(enc.ascii("ABC")), codes.JET_errKeyDuplicate)
      expectErr(x.add(enc.ascii("ab")), 0)
      expectErr(x.add(enc.ascii("ab\0zz")), codes.JET_errKeyDuplicate)
    })

    it("§4 Unicode text (cp 1200): case-insensitive order", () => {
      const x = indexed(engine, JET_coltypText, { cp: 1200, cbMax: 100 })
      const words = ["apple", "Banana", "cherry", "Date", "elder"]
      for (const w of shuffled(words)) expectErr(x.add(enc.utf16(w)), 0)
      expect(walk(x.env.api, x.env.sesid, x.t.tableid, x.t.col.v).map((v) => dec.utf16(must(v)))).toEqual(
        words
      )
    })

    it("§4 fixed Binary: raw bytes", () => {
      const x = indexed(engine, JET_coltypBinary, { columnGrbit: JET_bitColumnFixed, cbMax: 4 })
      const values = [enc.bin(0, 0, 0, 1), enc.bin(0, 0, 1, 0), enc.bin(1, 0, 0, 0), enc.bin(0xff, 0, 0, 0)]
      for (const v of shuffled(values)) expectErr(x.add(v), 0)
      expect(x.values()).toEqual(values.map(hex))
    })
  })

  describe("§4 exact normalized keys (JetRetrieveKey) [fldnorm.cxx]", () => {
    const cases: ReadonlyArray<readonly [string, number, Value, string]> = [
      ["Long 1", JET_coltypLong, enc.i32(1), "7f 80 00 00 01"],
      ["Long -1", JET_coltypLong, enc.i32(-1), "7f 7f ff ff ff"],
      ["Short 0x1234", JET_coltypShort, enc.i16(0x1234), "7f 92 34"],
      ["UnsignedLong 0x80000001", JET_coltypUnsignedLong, enc.u32(0x80000001), "7f 80 00 00 01"],
      ["Double 1.0", JET_coltypIEEEDouble, enc.f64(1), "7f bf f0 00 00 00 00 00 00"],
      ["Double -1.0", JET_coltypIEEEDouble, enc.f64(-1), "7f 40 0f ff ff ff ff ff ff"],
      ["Bit true", JET_coltypBit, enc.bit(true), "7f ff"],
      ["NULL", JET_coltypLong, null, "00"],
      ["ASCII 'ab'", JET_coltypText, enc.ascii("ab"), "7f 41 42 00"],
      ["Binary 01 02", JET_coltypBinary, enc.bin(1, 2), "7f 01 02 00 00 00 00 00 00 02"],
      [
        "GUID",
        JET_coltypGUID,
        enc.guid("00112233-4455-6677-8899-aabbccddeeff"),
        "7f aa bb cc dd ee ff 88 99 77 66 55 44 33 22 11 00"
      ]
    ]
    for (const [label, coltyp, value, expected] of cases) {
      it(`§4 key of ${label} is ${expected}`, () => {
        const x = indexed(engine, coltyp, { cbMax: 50 })
        expectErr(x.add(value), 0)
        expect(x.keys()).toEqual([expected])
        expect(hex(normalizeSegment(coltyp, value))).toBe(expected)
      })
    }

    it("§4 a descending segment: every byte XOR 0xFF, header included", () => {
      const x = indexed(engine, JET_coltypLong, { key: "-v" })
      expectErr(x.add(enc.i32(1)), 0)
      expect(x.keys()).toEqual(["80 7f ff ff fe"])
    })

    it("§4 JET_bitIndexSortNullsHigh: a NULL segment's header is 0xC0", () => {
      const x = indexed(engine, JET_coltypLong, { indexGrbit: JET_bitIndexSortNullsHigh })
      expectErr(x.add(null), 0)
      expect(x.keys()).toEqual(["c0"])
    })

    it("§4 zero-length text: header 0x40", () => {
      const x = indexed(engine, JET_coltypText, { cbMax: 10 })
      expectErr(x.add(new Uint8Array(0), JET_bitSetZeroLength), 0)
      expect(x.keys()).toEqual(["40"])
    })

    it("§4 a key of two segments is the concatenation of their keys", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", {
        a: { coltyp: JET_coltypShort },
        b: { coltyp: JET_coltypText, cbMax: 10 }
      }, [
        { name: "ab", key: "+a-b" }
      ])
      ok(env.api.JetSetCurrentIndex4(env.sesid, t.tableid, "ab", 0, 1))
      insert(env.api, env.sesid, t.tableid, [[t.col.a, enc.i16(2)], [t.col.b, enc.ascii("x")]])
      ok(env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0))
      expect(hex(currentKey(env.api, env.sesid, t.tableid))).toBe("7f 80 02 80 a7 ff")
    })
  })

  describe("§4 NULLs, descending segments and multi-column order", () => {
    it("§4 NULL sorts low by default, high with JET_bitIndexSortNullsHigh", () => {
      for (
        const [grbit, expected] of [[0, [null, -1, 1]], [JET_bitIndexSortNullsHigh, [-1, 1, null]]] as const
      ) {
        const x = indexed(engine, JET_coltypLong, { indexGrbit: grbit })
        for (const v of [1, null, -1]) expectErr(x.add(v === null ? null : enc.i32(v)), 0)
        expect(x.values()).toEqual(expected.map((v) => hex(v === null ? null : enc.i32(v))))
      }
    })

    it("§4 descending segment: reverse order, NULL (0x00 XOR 0xFF) last", () => {
      const x = indexed(engine, JET_coltypLong, { key: "-v" })
      for (const v of [1, null, -1, 0]) expectErr(x.add(v === null ? null : enc.i32(v)), 0)
      expect(x.values()).toEqual([1, 0, -1, null].map((v) => hex(v === null ? null : enc.i32(v))))
    })

    it("§4 '+a-b': ascending on a, then descending on b", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", {
        a: { coltyp: JET_coltypLong },
        b: { coltyp: JET_coltypText, cbMax: 10 }
      }, [
        { name: "ab", key: "+a-b" }
      ])
      const rows: Array<readonly [number, string]> = [[1, "x"], [1, "y"], [0, "z"], [2, "a"], [1, "xa"]]
      for (const [a, b] of shuffled(rows)) {
        insert(env.api, env.sesid, t.tableid, [[t.col.a, enc.i32(a)], [t.col.b, enc.ascii(b)]])
      }
      ok(env.api.JetSetCurrentIndex4(env.sesid, t.tableid, "ab", 0, 1))
      expect(walk(env.api, env.sesid, t.tableid, t.col.b).map((v) => dec.ascii(must(v)))).toEqual([
        "z",
        "y",
        "xa",
        "x",
        "a"
      ])
    })
  })

  describe("§4 NULL handling grbits, unique, multi-valued", () => {
    const twoColumns = (grbit: number) => {
      const env = openEnv(engine)
      const t = createTable(env, "t", {
        id: { coltyp: JET_coltypLong },
        a: { coltyp: JET_coltypLong },
        b: { coltyp: JET_coltypLong }
      }, [
        { name: "ab", key: "+a+b", grbit }
      ])
      const rows: Array<readonly [number, number | null, number | null]> = [[1, null, null], [2, null, 5], [
        3,
        5,
        null
      ], [4, 5, 5]]
      for (const [id, a, b] of rows) {
        insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(id)], [
          t.col.a,
          a === null ? null : enc.i32(a)
        ], [t.col.b, b === null ? null : enc.i32(b)]])
      }
      ok(env.api.JetSetCurrentIndex4(env.sesid, t.tableid, "ab", 0, 1))
      return walk(env.api, env.sesid, t.tableid, t.col.id).map((v) => dec.i32(must(v)))
    }

    it("§4 no ignore grbit: every row has an entry", () => {
      expect(twoColumns(0)).toEqual([1, 2, 3, 4])
    })

    it("§4 JET_bitIndexIgnoreNull: no entry when every segment is NULL", () => {
      expect(twoColumns(JET_bitIndexIgnoreNull)).toEqual([2, 3, 4])
    })

    it("§4 JET_bitIndexIgnoreAnyNull: no entry when any segment is NULL", () => {
      expect(twoColumns(JET_bitIndexIgnoreAnyNull)).toEqual([4])
    })

    it("§4 JET_bitIndexIgnoreFirstNull: no entry when the first segment is NULL", () => {
      expect(twoColumns(JET_bitIndexIgnoreFirstNull)).toEqual([3, 4])
    })

    it("§4 JET_bitIndexDisallowNull: a NULL segment fails at JetUpdate with JET_errNullKeyDisallowed", () => {
      const x = indexed(engine, JET_coltypLong, { indexGrbit: JET_bitIndexDisallowNull })
      ok(x.env.api.JetPrepareUpdate(x.env.sesid, x.t.tableid, JET_prepInsert))
      expectErr(x.env.api.JetUpdate(x.env.sesid, x.t.tableid, null, 0), codes.JET_errNullKeyDisallowed)
      // §4 a failed JetUpdate leaves the update prepared
      ok(x.env.api.JetSetColumn(x.env.sesid, x.t.tableid, x.t.col.v, enc.i32(1), 4, 0, null))
      ok(x.env.api.JetUpdate(x.env.sesid, x.t.tableid, null, 0))
      expect(x.values()).toEqual([hex(enc.i32(1))])
    })

    it("§4 JET_bitIndexUnique: a duplicate fails at JetUpdate with JET_errKeyDuplicate; the update stays prepared", () => {
      const x = indexed(engine, JET_coltypLong, { indexGrbit: JET_bitIndexUnique })
      expectErr(x.add(enc.i32(1)), 0)
      ok(x.env.api.JetPrepareUpdate(x.env.sesid, x.t.tableid, JET_prepInsert))
      ok(x.env.api.JetSetColumn(x.env.sesid, x.t.tableid, x.t.col.v, enc.i32(1), 4, 0, null))
      expectErr(x.env.api.JetUpdate(x.env.sesid, x.t.tableid, null, 0), codes.JET_errKeyDuplicate)
      ok(x.env.api.JetSetColumn(x.env.sesid, x.t.tableid, x.t.col.v, enc.i32(2), 4, 0, null))
      ok(x.env.api.JetUpdate(x.env.sesid, x.t.tableid, null, 0))
      expect(x.values()).toEqual([1, 2].map((v) => hex(enc.i32(v))))
    })

    it("§4 a non-unique index keeps duplicates", () => {
      const x = indexed(engine, JET_coltypLong)
      for (let i = 0; i < 3; i++) expectErr(x.add(enc.i32(7)), 0)
      expect(x.values()).toEqual([7, 7, 7].map((v) => hex(enc.i32(v))))
    })

    it("§4 a multi-valued column makes one entry per value", () => {
      const x = indexed(engine, JET_coltypLong, {
        columnGrbit: JET_bitColumnTagged | JET_bitColumnMultiValued
      })
      const { api, sesid } = x.env
      ok(api.JetPrepareUpdate(sesid, x.t.tableid, JET_prepInsert))
      for (const v of [3, 1, 2]) {
        ok(
          api.JetSetColumn(sesid, x.t.tableid, x.t.col.v, enc.i32(v), 4, 0, {
            ibLongValue: 0,
            itagSequence: 0
          })
        )
      }
      ok(api.JetUpdate(sesid, x.t.tableid, null, 0))
      expectErr(x.add(enc.i32(2)), 0)
      expect(x.keys()).toEqual([1, 2, 2, 3].map((v) => hex(normalizeSegment(JET_coltypLong, enc.i32(v)))))
      ok(api.JetMove(sesid, x.t.tableid, JET_MoveFirst, 0))
      expect(ok(api.JetIndexRecordCount(sesid, x.t.tableid, 0)).count).toBe(4)
    })
  })

  describe("§4 key length", () => {
    const long = (last: string): Uint8Array => enc.ascii("k".repeat(254) + last)

    it("§4 keys longer than 255 bytes are truncated silently: JetRetrieveKey gives 255 bytes", () => {
      const x = indexed(engine, JET_coltypText, { cbMax: 255 })
      expectErr(x.add(long("a")), 0)
      const keys = x.keys()
      expect(keys).toHaveLength(1)
      expect(keys[0]).toBe(hex(normalizeSegment(JET_coltypText, long("a")).slice(0, 255)))
    })

    it("§4 truncated keys that agree on 255 bytes collide in a unique index", () => {
      const x = indexed(engine, JET_coltypText, { cbMax: 255, indexGrbit: JET_bitIndexUnique })
      expectErr(x.add(long("a")), 0)
      expectErr(x.add(long("b")), codes.JET_errKeyDuplicate)
      expectErr(x.add(enc.ascii("k".repeat(253) + "ab")), 0)
    })

    it("§4 JET_bitIndexDisallowTruncation: a key too long fails with JET_errKeyTruncated", () => {
      const x = indexed(engine, JET_coltypText, { cbMax: 255, indexGrbit: JET_bitIndexDisallowTruncation })
      expectErr(x.add(long("a")), codes.JET_errKeyTruncated)
      expectErr(x.add(enc.ascii("k".repeat(200))), 0)
    })

    it("§4 DisallowTruncation: a key of exactly 255 bytes fits", () => {
      const x = indexed(engine, JET_coltypText, { cbMax: 255, indexGrbit: JET_bitIndexDisallowTruncation })
      expectErr(x.add(enc.ascii("k".repeat(253))), 0)
      expect(x.keys()[0]?.split(" ")).toHaveLength(255)
    })

    it("§4 insertRow helper sanity: a plain text row", () => {
      const x = indexed(engine, JET_coltypText, { cbMax: 20 })
      expectErr(insertRow(x.env.api, x.env.sesid, x.t.tableid, [[x.t.col.v, enc.ascii("hello")]]), 0)
      expect(x.values()).toEqual([hex(enc.ascii("hello"))])
    })
  })
})
