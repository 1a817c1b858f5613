/**
 * Facts from ManagedEsent's `EsentInteropTests/TempTableFixture.cs` (class `TempTableFixture`):
 * setting and retrieving every basic column type through `JetSetColumns`/`JetRetrieveColumns` on a
 * materialized temporary table with one column of each type.
 *
 * Facts checked per engine: 44 (see `declareFacts` at the end).
 *
 * The source opens the table with `JetOpenTempTable`, not in our `JetApi`; `JetOpenTempTable3` with
 * no `JET_UNICODEINDEX` is the same call. The source's random values (`Any.*`) are fixed here.
 * `TestJetUpdate2` needs `JetUpdate2` (docs/coverage-gaps.md).
 */
import { describe, it } from "vitest"
import type { JetApi, JetColumnDef } from "../../../src/jet/api.ts"
import {
  JET_bitSetZeroLength,
  JET_bitTTForceMaterialization,
  JET_coltypBinary,
  JET_coltypBit,
  JET_coltypCurrency,
  JET_coltypDateTime,
  JET_coltypIEEEDouble,
  JET_coltypIEEESingle,
  JET_coltypLong,
  JET_coltypLongBinary,
  JET_coltypLongText,
  JET_coltypShort,
  JET_coltypText,
  JET_coltypUnsignedByte,
  JET_MoveFirst,
  JET_prepInsert
} from "../../../src/jet/constants.ts"
import type { JET_COLUMNID, JET_SESID, JET_TABLEID } from "../../../src/jet/handles.ts"
import type { Engine } from "../engines.ts"
import { codes, dec, enc, forEachEngine, ok, openEnv, retrieve } from "../harness.ts"
import { declareFacts, fact, factErr, onEngine } from "./facts.ts"

const types = [
  JET_coltypBinary,
  JET_coltypBit,
  JET_coltypCurrency,
  JET_coltypDateTime,
  JET_coltypIEEEDouble,
  JET_coltypIEEESingle,
  JET_coltypLong,
  JET_coltypLongBinary,
  JET_coltypLongText,
  JET_coltypShort,
  JET_coltypText,
  JET_coltypUnsignedByte
] as const

interface Fixture {
  readonly api: JetApi
  readonly sesid: JET_SESID
  readonly tableid: JET_TABLEID
  readonly col: (coltyp: number) => JET_COLUMNID
}

const setup = (engine: Engine): Fixture => {
  const env = openEnv(engine)
  const defs: Array<JetColumnDef> = types.map((coltyp) =>
    coltyp === JET_coltypLongText || coltyp === JET_coltypText ? { coltyp, cp: 1200 } : { coltyp }
  )
  const { columnids, tableid } = ok(
    env.api.JetOpenTempTable3(env.sesid, defs, null, JET_bitTTForceMaterialization)
  )
  const byType = new Map(types.map((t, i) => [t as number, columnids[i] as JET_COLUMNID]))
  return { api: env.api, sesid: env.sesid, tableid, col: (t) => byType.get(t) as JET_COLUMNID }
}

/** Inserts one record with the given columns, in a transaction, and moves to it. */
const insertWith = (
  x: Fixture,
  set: ReadonlyArray<{ coltyp: number; data: Uint8Array | null; grbit?: number }>
): ReadonlyArray<number> => {
  ok(x.api.JetBeginTransaction(x.sesid))
  ok(x.api.JetPrepareUpdate(x.sesid, x.tableid, JET_prepInsert))
  const { errs } = ok(x.api.JetSetColumns(
    x.sesid,
    x.tableid,
    set.map((s) => ({
      columnid: x.col(s.coltyp),
      pvData: s.data,
      cbData: s.data?.byteLength ?? 0,
      grbit: s.grbit ?? 0
    }))
  ))
  ok(x.api.JetUpdate(x.sesid, x.tableid, null, 0))
  ok(x.api.JetCommitTransaction(x.sesid, 0))
  ok(x.api.JetMove(x.sesid, x.tableid, JET_MoveFirst, 0))
  return errs
}

const read = (x: Fixture, coltyp: number): Uint8Array | null =>
  retrieve(x.api, x.sesid, x.tableid, x.col(coltyp))

const bytes1023 = Uint8Array.from({ length: 1023 }, (_, i) => (i * 37 + 11) & 0xff)
const text = "Any string, with ünïcödé"

forEachEngine((engine) => {
  onEngine(engine.name)

  describe("TempTableFixture.cs", () => {
    it("JetSetColumns: each type reads back what was set", () => {
      const x = setup(engine)
      insertWith(x, [
        { coltyp: JET_coltypUnsignedByte, data: enc.u8(200) },
        { coltyp: JET_coltypShort, data: enc.i16(-1234) },
        { coltyp: JET_coltypLong, data: enc.i32(-123456789) },
        { coltyp: JET_coltypCurrency, data: enc.i64(-1234567890123n) },
        { coltyp: JET_coltypIEEESingle, data: enc.f32(1.5) },
        { coltyp: JET_coltypIEEEDouble, data: enc.f64(-2.25e300) },
        { coltyp: JET_coltypLongText, data: enc.utf16(text) },
        { coltyp: JET_coltypLongBinary, data: bytes1023 }
      ])
      const r = (t: number) => read(x, t) as Uint8Array
      fact(dec.u8(r(JET_coltypUnsignedByte)), 200, "UnsignedByte")
      fact(dec.i16(r(JET_coltypShort)), -1234, "Short")
      fact(dec.i32(r(JET_coltypLong)), -123456789, "Long")
      fact(dec.i64(r(JET_coltypCurrency)), -1234567890123n, "Currency")
      fact(dec.f32(r(JET_coltypIEEESingle)), 1.5, "IEEESingle")
      fact(dec.f64(r(JET_coltypIEEEDouble)), -2.25e300, "IEEEDouble")
      fact(dec.utf16(r(JET_coltypLongText)), text, "LongText")
      fact([...r(JET_coltypLongBinary)], [...bytes1023], "LongBinary")
    })

    it("JetRetrieveColumns: sizes, per-column codes and values; a NULL column is JET_wrnColumnNull", () => {
      const x = setup(engine)
      insertWith(x, [
        { coltyp: JET_coltypShort, data: enc.i16(321) },
        { coltyp: JET_coltypIEEEDouble, data: enc.f64(0.125) },
        { coltyp: JET_coltypLongText, data: enc.utf16(text) },
        { coltyp: JET_coltypLongBinary, data: null }
      ])
      const buffers = [
        new Uint8Array(2),
        new Uint8Array(8),
        new Uint8Array(text.length * 4),
        new Uint8Array(10)
      ]
      const cols = [JET_coltypShort, JET_coltypIEEEDouble, JET_coltypLongText, JET_coltypLongBinary]
      const { columns } = x.api.JetRetrieveColumns(
        x.sesid,
        x.tableid,
        cols.map((t, i) => ({
          columnid: x.col(t),
          pvData: buffers[i] as Uint8Array,
          cbData: (buffers[i] as Uint8Array).byteLength,
          itagSequence: 1
        }))
      )
      const [short, double, str, nul] = columns
      fact(short?.cbActual, 2, "Short cbActual")
      fact(short?.err, 0, "Short err")
      fact(dec.i16(buffers[0] as Uint8Array), 321, "Short value")
      fact(double?.cbActual, 8, "Double cbActual")
      fact(double?.err, 0, "Double err")
      fact(dec.f64(buffers[1] as Uint8Array), 0.125, "Double value")
      fact(str?.cbActual, text.length * 2, "LongText cbActual")
      fact(str?.err, 0, "LongText err")
      fact(dec.utf16((buffers[2] as Uint8Array).slice(0, str?.cbActual)), text, "LongText value")
      fact(nul?.cbActual, 0, "NULL cbActual")
      fact(nul?.err, codes.JET_wrnColumnNull, "NULL err")
    })

    it("JetRetrieveColumnsNullBuffer: no buffer gives JET_wrnBufferTruncated and the full size", () => {
      const x = setup(engine)
      const data = Uint8Array.from({ length: 77 }, (_, i) => i)
      insertWith(x, [{ coltyp: JET_coltypLongBinary, data }])
      const r = x.api.JetRetrieveColumns(x.sesid, x.tableid, [{
        columnid: x.col(JET_coltypLongBinary),
        pvData: null,
        cbData: 0,
        itagSequence: 1
      }])
      factErr(r, codes.JET_wrnBufferTruncated, "the call's code")
      fact(r.columns[0]?.cbActual, data.byteLength, "cbActual")
      fact(r.columns[0]?.err, codes.JET_wrnBufferTruncated, "the column's code")
    })

    it("SetColumns: Bit, integers, floats, DateTime, LongText and LongBinary read back", () => {
      const x = setup(engine)
      const date = enc.date(new Date(Date.UTC(2014, 6, 30, 12, 34, 56)))
      insertWith(x, [
        { coltyp: JET_coltypBit, data: enc.bit(true) },
        { coltyp: JET_coltypUnsignedByte, data: enc.u8(7) },
        { coltyp: JET_coltypShort, data: enc.i16(32767) },
        { coltyp: JET_coltypLong, data: enc.i32(-2147483648) },
        { coltyp: JET_coltypCurrency, data: enc.i64(9223372036854775807n) },
        { coltyp: JET_coltypIEEESingle, data: enc.f32(-0.5) },
        { coltyp: JET_coltypIEEEDouble, data: enc.f64(Math.PI) },
        { coltyp: JET_coltypDateTime, data: date },
        { coltyp: JET_coltypLongText, data: enc.utf16(text) },
        { coltyp: JET_coltypLongBinary, data: bytes1023 }
      ])
      const r = (t: number) => read(x, t) as Uint8Array
      fact(r(JET_coltypBit)[0] !== 0, true, "Bit")
      fact(dec.u8(r(JET_coltypUnsignedByte)), 7, "UnsignedByte")
      fact(dec.i16(r(JET_coltypShort)), 32767, "Short")
      fact(dec.i32(r(JET_coltypLong)), -2147483648, "Long")
      fact(dec.i64(r(JET_coltypCurrency)), 9223372036854775807n, "Currency")
      fact(dec.f32(r(JET_coltypIEEESingle)), -0.5, "IEEESingle")
      fact(dec.f64(r(JET_coltypIEEEDouble)), Math.PI, "IEEEDouble")
      fact([...r(JET_coltypDateTime)], [...date], "DateTime")
      fact(dec.utf16(r(JET_coltypLongText)), text, "LongText")
      fact([...r(JET_coltypLongBinary)], [...bytes1023], "LongBinary")
    })

    it("SetColumnsWithNullAndZeroLength: no data is NULL; zero-length Text and Binary are empty, not NULL", () => {
      const x = setup(engine)
      const nulls = [
        JET_coltypBit,
        JET_coltypUnsignedByte,
        JET_coltypShort,
        JET_coltypLong,
        JET_coltypCurrency,
        JET_coltypIEEESingle,
        JET_coltypIEEEDouble,
        JET_coltypDateTime,
        JET_coltypLongText,
        JET_coltypLongBinary
      ]
      insertWith(x, [
        ...nulls.map((coltyp) => ({ coltyp, data: null })),
        { coltyp: JET_coltypText, data: new Uint8Array(0), grbit: JET_bitSetZeroLength },
        { coltyp: JET_coltypBinary, data: new Uint8Array(0), grbit: JET_bitSetZeroLength }
      ])
      for (const t of nulls) fact(read(x, t), null, `coltyp ${t} is NULL`)
      fact(read(x, JET_coltypText), new Uint8Array(0), "Text is empty")
      fact(read(x, JET_coltypBinary), new Uint8Array(0), "Binary is empty")
    })
  })
})

declareFacts("TempTableFixture.cs", 44)
