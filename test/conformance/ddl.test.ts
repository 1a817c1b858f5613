import { describe, expect, it } from "vitest"
import type { JetApi } from "../../src/jet/api.ts"
import {
  JET_bitColumnAutoincrement,
  JET_bitColumnEscrowUpdate,
  JET_bitColumnFixed,
  JET_bitColumnMultiValued,
  JET_bitColumnNotNULL,
  JET_bitColumnTagged,
  JET_bitColumnVersion,
  JET_bitIndexPrimary,
  JET_bitRetrieveIgnoreDefault,
  JET_bitSetAppendLV,
  JET_bitSetOverwriteLV,
  JET_ColInfo,
  JET_ColInfoByColid,
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
  JET_coltypUnsignedShort,
  JET_MoveFirst,
  JET_prepInsert,
  JET_prepReplace
} from "../../src/jet/constants.ts"
import type { JET_COLUMNID } from "../../src/jet/handles.ts"
import type { JET_SESID, JET_TABLEID } from "../../src/jet/handles.ts"
import { structLayout } from "../../src/jet/structs.ts"
import {
  codes,
  columnCreate,
  createTable,
  dec,
  enc,
  expectErr,
  forEachEngine,
  hex,
  indexCreate,
  insert,
  insertRow,
  must,
  ok,
  openEnv,
  replaceRow,
  retrieve
} from "./harness.ts"

const columnDef = structLayout("JET_COLUMNDEF")

/** Reads a `JET_COLUMNDEF` out of an info buffer. */
const decodeColumnDef = (b: Uint8Array): Record<string, number> => {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const out: Record<string, number> = {}
  for (const f of columnDef.fields) {
    out[f.name] = f.size === 2 ? view.getUint16(f.offset, true) : view.getUint32(f.offset, true)
  }
  return out
}

const colInfo = (
  api: JetApi,
  sesid: JET_SESID,
  tableid: JET_TABLEID,
  column: string | JET_COLUMNID,
  level = JET_ColInfo
): Record<string, number> => {
  const buffer = new Uint8Array(columnDef.size)
  ok(api.JetGetTableColumnInfo(sesid, tableid, column, buffer, buffer.byteLength, level))
  return decodeColumnDef(buffer)
}

/** Every column type with its fixed size (0: variable). */
const types = [
  ["bit", JET_coltypBit, 1],
  ["ubyte", JET_coltypUnsignedByte, 1],
  ["short", JET_coltypShort, 2],
  ["long", JET_coltypLong, 4],
  ["currency", JET_coltypCurrency, 8],
  ["single", JET_coltypIEEESingle, 4],
  ["double", JET_coltypIEEEDouble, 8],
  ["datetime", JET_coltypDateTime, 8],
  ["ulong", JET_coltypUnsignedLong, 4],
  ["longlong", JET_coltypLongLong, 8],
  ["guid", JET_coltypGUID, 16],
  ["ushort", JET_coltypUnsignedShort, 2]
] as const

forEachEngine((engine) => {
  describe("§5 column types", () => {
    it("§5 every fixed-size coltyp: created, its JET_COLUMNDEF reports the type and size [D/jet-columndef-structure]", () => {
      const env = openEnv(engine)
      const columns = Object.fromEntries(types.map(([name, coltyp]) => [name, { coltyp }]))
      const t = createTable(env, "t", columns)
      for (const [name, coltyp, size] of types) {
        const def = colInfo(env.api, env.sesid, t.tableid, name)
        expect({ name, coltyp: def["coltyp"], cbMax: def["cbMax"] }).toEqual({ name, coltyp, cbMax: size })
        expect(def["columnid"]).toBe(t.col[name])
        // §5 fixed column ids are 1-127
        expect(def["columnid"]).toBeGreaterThanOrEqual(1)
        expect(def["columnid"]).toBeLessThanOrEqual(127)
        expect(def["grbit"]! & JET_bitColumnFixed).toBe(JET_bitColumnFixed)
      }
    })

    it("§5 every fixed-size coltyp: a value of its size round-trips", () => {
      const env = openEnv(engine)
      const columns = Object.fromEntries(types.map(([name, coltyp]) => [name, { coltyp }]))
      const t = createTable(env, "t", columns)
      const values = new Map(
        types.map(([name, , size]) => [name, Uint8Array.from({ length: size }, (_, i) => i + 1)])
      )
      insert(
        env.api,
        env.sesid,
        t.tableid,
        types.map(([name]) => [must(t.col[name]), must(values.get(name))] as const)
      )
      ok(env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0))
      for (const [name] of types) {
        // A Bit is stored as 0x00 or 0xFF [fldmod.cxx ErrRECISetIFixedColumn].
        const expected = name === "bit" ? "ff" : hex(must(values.get(name)))
        expect([name, hex(retrieve(env.api, env.sesid, t.tableid, must(t.col[name])))]).toEqual([
          name,
          expected
        ])
      }
    })

    it("§5 variable columns (Text, Binary) get ids 128-255, tagged and long values 256+", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", {
        text: { coltyp: JET_coltypText, cbMax: 100 },
        bin: { coltyp: JET_coltypBinary, cbMax: 50 },
        tagged: { coltyp: JET_coltypLong, grbit: JET_bitColumnTagged },
        ltext: { coltyp: JET_coltypLongText },
        lbin: { coltyp: JET_coltypLongBinary }
      })
      for (const name of ["text", "bin"] as const) {
        expect(t.col[name]).toBeGreaterThanOrEqual(128)
        expect(t.col[name]).toBeLessThanOrEqual(255)
      }
      for (const name of ["tagged", "ltext", "lbin"] as const) expect(t.col[name]).toBeGreaterThanOrEqual(256)
      expect(colInfo(env.api, env.sesid, t.tableid, "text")).toMatchObject({
        coltyp: JET_coltypText,
        cbMax: 100
      })
      expect(colInfo(env.api, env.sesid, t.tableid, "bin")).toMatchObject({
        coltyp: JET_coltypBinary,
        cbMax: 50
      })
      expect(colInfo(env.api, env.sesid, t.tableid, "ltext")["coltyp"]).toBe(JET_coltypLongText)
      expect(colInfo(env.api, env.sesid, t.tableid, "tagged")["grbit"]! & JET_bitColumnTagged).toBe(
        JET_bitColumnTagged
      )
    })

    it("§4 the column grbits are reported back by JET_ColInfo", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", {
        auto: { coltyp: JET_coltypLong, grbit: JET_bitColumnAutoincrement },
        ver: { coltyp: JET_coltypLong, grbit: JET_bitColumnVersion },
        esc: { coltyp: JET_coltypLong, grbit: JET_bitColumnEscrowUpdate, defaultValue: enc.i32(0) },
        nn: { coltyp: JET_coltypLong, grbit: JET_bitColumnNotNULL },
        mv: { coltyp: JET_coltypLong, grbit: JET_bitColumnTagged | JET_bitColumnMultiValued }
      })
      const bits = {
        auto: JET_bitColumnAutoincrement,
        ver: JET_bitColumnVersion,
        esc: JET_bitColumnEscrowUpdate,
        nn: JET_bitColumnNotNULL,
        mv: JET_bitColumnTagged | JET_bitColumnMultiValued
      }
      for (const [name, bit] of Object.entries(bits)) {
        expect([name, colInfo(env.api, env.sesid, t.tableid, name)["grbit"]! & bit]).toEqual([name, bit])
      }
    })

    it("§5 JET_ColInfoByColid returns the same JET_COLUMNDEF as JET_ColInfo by name", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", {
        a: { coltyp: JET_coltypLong },
        b: { coltyp: JET_coltypText, cbMax: 20 }
      })
      for (const name of ["a", "b"] as const) {
        expect(colInfo(env.api, env.sesid, t.tableid, t.col[name], JET_ColInfoByColid)).toEqual(
          colInfo(env.api, env.sesid, t.tableid, name)
        )
      }
    })

    it("§5 JetGetColumnInfo by table name matches JetGetTableColumnInfo", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { a: { coltyp: JET_coltypShort } })
      const buffer = new Uint8Array(columnDef.size)
      ok(env.api.JetGetColumnInfo(env.sesid, env.dbid, "t", "a", buffer, buffer.byteLength, JET_ColInfo))
      expect(decodeColumnDef(buffer)).toEqual(colInfo(env.api, env.sesid, t.tableid, "a"))
    })

    it("§5 column info of an unknown column: JET_errColumnNotFound", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { a: { coltyp: JET_coltypLong } })
      expectErr(
        env.api.JetGetTableColumnInfo(env.sesid, t.tableid, "nope", new Uint8Array(64), 64, JET_ColInfo),
        codes.JET_errColumnNotFound
      )
    })

    it("§5 a fixed column set with the wrong size: JET_errInvalidBufferSize [D/jetsetcolumn-function]", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { a: { coltyp: JET_coltypLong } })
      ok(env.api.JetPrepareUpdate(env.sesid, t.tableid, JET_prepInsert))
      expectErr(
        env.api.JetSetColumn(env.sesid, t.tableid, t.col.a, enc.i16(1), 2, 0, null),
        codes.JET_errInvalidBufferSize
      )
    })

    it("§4 a variable column set past its cbMax: JET_errColumnTooBig", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { a: { coltyp: JET_coltypText, cbMax: 10 } })
      ok(env.api.JetPrepareUpdate(env.sesid, t.tableid, JET_prepInsert))
      ok(env.api.JetSetColumn(env.sesid, t.tableid, t.col.a, enc.ascii("x".repeat(10)), 10, 0, null))
      expectErr(
        env.api.JetSetColumn(env.sesid, t.tableid, t.col.a, enc.ascii("x".repeat(11)), 11, 0, null),
        codes.JET_errColumnTooBig
      )
    })

    it("§5 Binary and Text hold at most JET_cbColumnMost (255) bytes: JET_errColumnTooBig past it", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { a: { coltyp: JET_coltypBinary } })
      ok(env.api.JetPrepareUpdate(env.sesid, t.tableid, JET_prepInsert))
      ok(env.api.JetSetColumn(env.sesid, t.tableid, t.col.a, new Uint8Array(255), 255, 0, null))
      expectErr(
        env.api.JetSetColumn(env.sesid, t.tableid, t.col.a, new Uint8Array(256), 256, 0, null),
        codes.JET_errColumnTooBig
      )
    })
  })

  describe("§1 tables", () => {
    it("§1 a duplicate table name: JET_errTableDuplicate [D/jetcreatetablecolumnindex2-function]", () => {
      const env = openEnv(engine)
      createTable(env, "t", { a: { coltyp: JET_coltypLong } })
      const r = env.api.JetCreateTableColumnIndex2(env.sesid, env.dbid, {
        szTableName: "t",
        rgcolumncreate: [columnCreate("a", { coltyp: JET_coltypLong })],
        rgindexcreate: []
      })
      expectErr(r, codes.JET_errTableDuplicate)
    })

    it("§1 JetDeleteTable, then JetOpenTable: JET_errObjectNotFound; deleting again too", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { a: { coltyp: JET_coltypLong } })
      ok(env.api.JetCloseTable(env.sesid, t.tableid))
      ok(env.api.JetDeleteTable(env.sesid, env.dbid, "t"))
      expectErr(env.api.JetOpenTable(env.sesid, env.dbid, "t", 0), codes.JET_errObjectNotFound)
      expectErr(env.api.JetDeleteTable(env.sesid, env.dbid, "t"), codes.JET_errObjectNotFound)
    })

    it("§1 JetDeleteTable of a table with an open cursor: JET_errTableInUse [D/jetdeletetable-function]", () => {
      const env = openEnv(engine)
      createTable(env, "t", { a: { coltyp: JET_coltypLong } })
      expectErr(env.api.JetDeleteTable(env.sesid, env.dbid, "t"), codes.JET_errTableInUse)
    })

    it("§1 JetRenameTable: the new name opens, the old one is gone, the rows follow", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { a: { coltyp: JET_coltypLong } })
      insert(env.api, env.sesid, t.tableid, [[t.col.a, enc.i32(5)]])
      ok(env.api.JetCloseTable(env.sesid, t.tableid))
      ok(env.api.JetRenameTable(env.sesid, env.dbid, "t", "u"))
      expectErr(env.api.JetOpenTable(env.sesid, env.dbid, "t", 0), codes.JET_errObjectNotFound)
      const { tableid } = ok(env.api.JetOpenTable(env.sesid, env.dbid, "u", 0))
      ok(env.api.JetMove(env.sesid, tableid, JET_MoveFirst, 0))
      expect(dec.i32(must(retrieve(env.api, env.sesid, tableid, t.col.a)))).toBe(5)
    })

    it("§1 JetCreateIndex2 on a missing column: JET_errColumnNotFound; a duplicate name: JET_errIndexDuplicate", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { a: { coltyp: JET_coltypLong } }, [{ name: "ia", key: "+a" }])
      const missing = env.api.JetCreateIndex2(env.sesid, t.tableid, [indexCreate({ name: "ib", key: "+b" })])
      expectErr(missing, codes.JET_errColumnNotFound)
      const dup = env.api.JetCreateIndex2(env.sesid, t.tableid, [indexCreate({ name: "ia", key: "-a" })])
      expectErr(dup, codes.JET_errIndexDuplicate)
    })

    it("§1 an index created over existing rows indexes them; JetDeleteIndex removes it", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { a: { coltyp: JET_coltypLong } })
      for (const a of [3, 1, 2]) insert(env.api, env.sesid, t.tableid, [[t.col.a, enc.i32(a)]])
      ok(env.api.JetCreateIndex2(env.sesid, t.tableid, [indexCreate({ name: "ia", key: "-a" })]))
      ok(env.api.JetSetCurrentIndex4(env.sesid, t.tableid, "ia", 0, 1))
      const seen: Array<number> = []
      let err = env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0).err
      while (err === 0) {
        seen.push(dec.i32(must(retrieve(env.api, env.sesid, t.tableid, t.col.a))))
        err = env.api.JetMove(env.sesid, t.tableid, 1, 0).err
      }
      expect(seen).toEqual([3, 2, 1])
      ok(env.api.JetSetCurrentIndex4(env.sesid, t.tableid, null, 0, 1))
      ok(env.api.JetDeleteIndex(env.sesid, t.tableid, "ia"))
      expectErr(env.api.JetSetCurrentIndex4(env.sesid, t.tableid, "ia", 0, 1), codes.JET_errIndexNotFound)
    })
  })

  describe("§4 column DDL and column kinds", () => {
    it("§1 JetAddColumn with a duplicate name: JET_errColumnDuplicate [D/jetaddcolumn-function]", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { a: { coltyp: JET_coltypLong } })
      expectErr(
        env.api.JetAddColumn(env.sesid, t.tableid, "a", { coltyp: JET_coltypLong }, null, 0),
        codes.JET_errColumnDuplicate
      )
    })

    it("§4 JetAddColumn with a default: existing rows read the default; IgnoreDefault reads NULL", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { a: { coltyp: JET_coltypLong } })
      insert(env.api, env.sesid, t.tableid, [[t.col.a, enc.i32(1)]])
      const { columnid } = ok(
        env.api.JetAddColumn(env.sesid, t.tableid, "d", { coltyp: JET_coltypLong }, enc.i32(77), 4)
      )
      ok(env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0))
      expect(dec.i32(must(retrieve(env.api, env.sesid, t.tableid, columnid)))).toBe(77)
      expect(retrieve(env.api, env.sesid, t.tableid, columnid, JET_bitRetrieveIgnoreDefault)).toBe(null)
    })

    it("§4 a default value is read for a new row that did not set the column", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", {
        a: { coltyp: JET_coltypLong },
        d: { coltyp: JET_coltypText, cbMax: 20, defaultValue: enc.ascii("dflt") }
      })
      insert(env.api, env.sesid, t.tableid, [[t.col.a, enc.i32(1)]])
      ok(env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0))
      expect(dec.ascii(must(retrieve(env.api, env.sesid, t.tableid, t.col.d)))).toBe("dflt")
    })

    it("§1 JetDeleteColumn2 removes the column; JetRenameColumn renames it", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", {
        a: { coltyp: JET_coltypLong },
        b: { coltyp: JET_coltypLong },
        c: { coltyp: JET_coltypLong }
      })
      ok(env.api.JetDeleteColumn2(env.sesid, t.tableid, "b", 0))
      expectErr(
        env.api.JetGetTableColumnInfo(env.sesid, t.tableid, "b", new Uint8Array(64), 64, JET_ColInfo),
        codes.JET_errColumnNotFound
      )
      expectErr(env.api.JetDeleteColumn2(env.sesid, t.tableid, "b", 0), codes.JET_errColumnNotFound)
      ok(env.api.JetRenameColumn(env.sesid, t.tableid, "c", "c2", 0))
      expect(colInfo(env.api, env.sesid, t.tableid, "c2")["columnid"]).toBe(t.col.c)
      expectErr(
        env.api.JetGetTableColumnInfo(env.sesid, t.tableid, "c", new Uint8Array(64), 64, JET_ColInfo),
        codes.JET_errColumnNotFound
      )
    })

    it("§4 autoincrement: set by the engine, unique and increasing; readable with RetrieveCopy before JetUpdate", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", {
        id: { coltyp: JET_coltypLong, grbit: JET_bitColumnAutoincrement },
        v: { coltyp: JET_coltypLong }
      })
      const ids: Array<number> = []
      for (let i = 0; i < 5; i++) {
        ok(env.api.JetPrepareUpdate(env.sesid, t.tableid, JET_prepInsert))
        const copy = must(retrieve(env.api, env.sesid, t.tableid, t.col.id, 1 /* RetrieveCopy */))
        ok(env.api.JetSetColumn(env.sesid, t.tableid, t.col.v, enc.i32(i), 4, 0, null))
        ok(env.api.JetUpdate(env.sesid, t.tableid, null, 0))
        ids.push(dec.i32(copy))
      }
      expect(new Set(ids).size).toBe(5)
      expect([...ids].sort((a, b) => a - b)).toEqual(ids)
    })

    it("§4 autoincrement: setting it: JET_errInvalidColumnType", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { id: { coltyp: JET_coltypLong, grbit: JET_bitColumnAutoincrement } })
      ok(env.api.JetPrepareUpdate(env.sesid, t.tableid, JET_prepInsert))
      expectErr(
        env.api.JetSetColumn(env.sesid, t.tableid, t.col.id, enc.i32(5), 4, 0, null),
        codes.JET_errInvalidColumnType
      )
    })

    it("§4 autoincrement on Currency is allowed", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", {
        id: { coltyp: JET_coltypCurrency, grbit: JET_bitColumnAutoincrement }
      })
      insert(env.api, env.sesid, t.tableid, [])
      insert(env.api, env.sesid, t.tableid, [])
      ok(env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0))
      const a = dec.i64(must(retrieve(env.api, env.sesid, t.tableid, t.col.id)))
      ok(env.api.JetMove(env.sesid, t.tableid, 1, 0))
      const b = dec.i64(must(retrieve(env.api, env.sesid, t.tableid, t.col.id)))
      expect(a).not.toBe(b)
    })

    it("§4 autoincrement on a Text column is refused (Long or Currency only)", () => {
      const env = openEnv(engine)
      const r = env.api.JetCreateTableColumnIndex2(env.sesid, env.dbid, {
        szTableName: "t",
        rgcolumncreate: [
          columnCreate("a", { coltyp: JET_coltypText, cbMax: 10, grbit: JET_bitColumnAutoincrement })
        ],
        rgindexcreate: []
      })
      expect(r.err).toBeLessThan(0)
    })

    it("§4 version column: bumped on every replace", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", {
        ver: { coltyp: JET_coltypLong, grbit: JET_bitColumnVersion },
        v: { coltyp: JET_coltypLong }
      })
      insert(env.api, env.sesid, t.tableid, [[t.col.v, enc.i32(1)]])
      ok(env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0))
      const v0 = dec.i32(must(retrieve(env.api, env.sesid, t.tableid, t.col.ver)))
      expectErr(replaceRow(env.api, env.sesid, t.tableid, [[t.col.v, enc.i32(2)]]), 0)
      const v1 = dec.i32(must(retrieve(env.api, env.sesid, t.tableid, t.col.ver)))
      expectErr(replaceRow(env.api, env.sesid, t.tableid, [[t.col.v, enc.i32(3)]]), 0)
      const v2 = dec.i32(must(retrieve(env.api, env.sesid, t.tableid, t.col.ver)))
      expect(v1).toBe(v0 + 1)
      expect(v2).toBe(v1 + 1)
    })

    it("§4 NotNULL: setting NULL: JET_errNullInvalid", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { a: { coltyp: JET_coltypLong, grbit: JET_bitColumnNotNULL } })
      ok(env.api.JetPrepareUpdate(env.sesid, t.tableid, JET_prepInsert))
      expectErr(
        env.api.JetSetColumn(env.sesid, t.tableid, t.col.a, null, 0, 0, null),
        codes.JET_errNullInvalid
      )
    })

    it("§4 NotNULL never set and no default: JetUpdate fails with JET_errNullInvalid, the update stays prepared", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", {
        a: { coltyp: JET_coltypLong, grbit: JET_bitColumnNotNULL },
        b: { coltyp: JET_coltypLong }
      })
      ok(env.api.JetPrepareUpdate(env.sesid, t.tableid, JET_prepInsert))
      ok(env.api.JetSetColumn(env.sesid, t.tableid, t.col.b, enc.i32(1), 4, 0, null))
      expectErr(env.api.JetUpdate(env.sesid, t.tableid, null, 0), codes.JET_errNullInvalid)
      ok(env.api.JetSetColumn(env.sesid, t.tableid, t.col.a, enc.i32(1), 4, 0, null))
      ok(env.api.JetUpdate(env.sesid, t.tableid, null, 0))
    })

    it("§4 NotNULL with a default: JetUpdate succeeds without setting it", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", {
        a: { coltyp: JET_coltypLong, grbit: JET_bitColumnNotNULL, defaultValue: enc.i32(3) }
      })
      expectErr(insertRow(env.api, env.sesid, t.tableid, []), 0)
    })

    it("§4 tagged multi-valued column: values kept in order, by itag", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", {
        mv: { coltyp: JET_coltypLong, grbit: JET_bitColumnTagged | JET_bitColumnMultiValued }
      })
      ok(env.api.JetPrepareUpdate(env.sesid, t.tableid, JET_prepInsert))
      for (const v of [5, 3, 9]) {
        ok(
          env.api.JetSetColumn(env.sesid, t.tableid, t.col.mv, enc.i32(v), 4, 0, {
            ibLongValue: 0,
            itagSequence: 0
          })
        )
      }
      ok(env.api.JetUpdate(env.sesid, t.tableid, null, 0))
      ok(env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0))
      expect([1, 2, 3, 4].map((i) => {
        const v = retrieve(env.api, env.sesid, t.tableid, t.col.mv, 0, i)
        return v === null ? null : dec.i32(v)
      })).toEqual([5, 3, 9, null])
    })

    it("§4 long values: append and overwrite at an offset", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { lv: { coltyp: JET_coltypLongBinary } })
      const big = Uint8Array.from({ length: 100_000 }, (_, i) => i % 251)
      ok(env.api.JetPrepareUpdate(env.sesid, t.tableid, JET_prepInsert))
      ok(env.api.JetSetColumn(env.sesid, t.tableid, t.col.lv, big, big.byteLength, 0, null))
      ok(env.api.JetSetColumn(env.sesid, t.tableid, t.col.lv, enc.bin(1, 2, 3), 3, JET_bitSetAppendLV, null))
      ok(env.api.JetUpdate(env.sesid, t.tableid, null, 0))
      ok(env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0))
      const all = must(retrieve(env.api, env.sesid, t.tableid, t.col.lv))
      expect(all.byteLength).toBe(100_003)
      expect(hex(all.slice(99_998))).toBe(hex(Uint8Array.of(big[99_998]!, big[99_999]!, 1, 2, 3)))
      ok(env.api.JetPrepareUpdate(env.sesid, t.tableid, JET_prepReplace))
      ok(
        env.api.JetSetColumn(env.sesid, t.tableid, t.col.lv, enc.bin(9, 9), 2, JET_bitSetOverwriteLV, {
          ibLongValue: 10,
          itagSequence: 1
        })
      )
      ok(env.api.JetUpdate(env.sesid, t.tableid, null, 0))
      const after = must(retrieve(env.api, env.sesid, t.tableid, t.col.lv))
      expect(after.byteLength).toBe(100_003)
      expect(hex(after.slice(9, 13))).toBe(hex(Uint8Array.of(big[9]!, 9, 9, big[12]!)))
    })

    it("§4 long text and long binary hold more than 255 bytes", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", {
        lt: { coltyp: JET_coltypLongText, cp: 1200 },
        lb: { coltyp: JET_coltypLongBinary }
      })
      const text = "long text ".repeat(500)
      insert(env.api, env.sesid, t.tableid, [[t.col.lt, enc.utf16(text)], [
        t.col.lb,
        new Uint8Array(1000).fill(7)
      ]])
      ok(env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0))
      expect(dec.utf16(must(retrieve(env.api, env.sesid, t.tableid, t.col.lt)))).toBe(text)
      expect(must(retrieve(env.api, env.sesid, t.tableid, t.col.lb)).byteLength).toBe(1000)
    })

    it("§4 a table with a primary index over two columns", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", {
        a: { coltyp: JET_coltypLong },
        b: { coltyp: JET_coltypText, cbMax: 10 }
      }, [
        { name: "pk", key: "+a-b", grbit: JET_bitIndexPrimary }
      ])
      insert(env.api, env.sesid, t.tableid, [[t.col.a, enc.i32(1)], [t.col.b, enc.ascii("x")]])
      expectErr(
        insertRow(env.api, env.sesid, t.tableid, [[t.col.a, enc.i32(1)], [t.col.b, enc.ascii("X")]]),
        codes.JET_errKeyDuplicate
      )
      insert(env.api, env.sesid, t.tableid, [[t.col.a, enc.i32(1)], [t.col.b, enc.ascii("y")]])
    })
  })
})
