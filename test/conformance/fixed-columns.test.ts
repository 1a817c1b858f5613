import { describe, expect, it } from "vitest"
import {
  JET_bitColumnFixed,
  JET_bitIndexPrimary,
  JET_bitNewKey,
  JET_bitSeekEQ,
  JET_coltypBinary,
  JET_coltypBit,
  JET_coltypLong,
  JET_coltypText,
  JET_MoveFirst,
  JET_MoveNext
} from "../../src/jet/constants.ts"
import type { Env } from "./harness.ts"
import {
  columnCreate,
  createTable,
  enc,
  forEachEngine,
  hex,
  insert,
  must,
  ok,
  openEnv,
  retrieve
} from "./harness.ts"

forEachEngine((engine) => {
  describe("fixed Text and Binary columns", () => {
    const table = (env: Env) =>
      createTable(env, "fixed", {
        id: { coltyp: JET_coltypLong },
        bin: { coltyp: JET_coltypBinary, grbit: JET_bitColumnFixed, cbMax: 6 },
        ansi: { coltyp: JET_coltypText, grbit: JET_bitColumnFixed, cbMax: 5, cp: 1252 },
        wide: { coltyp: JET_coltypText, grbit: JET_bitColumnFixed, cbMax: 8, cp: 1200 }
      }, [{ name: "pk", key: "+id", grbit: JET_bitIndexPrimary }, { name: "byAnsi", key: "+ansi" }])

    it("§4 a shorter value is stored padded to cbMax: Binary with zeros, Text with spaces (U+0020 in cp 1200) [fldmod.cxx ErrRECISetIFixedColumn]", () => {
      const env = openEnv(engine)
      const t = table(env)
      insert(env.api, env.sesid, t.tableid, [
        [t.col.id, enc.i32(1)],
        [t.col.bin, enc.bin(1, 2)],
        [t.col.ansi, enc.ascii("ab")],
        [t.col.wide, enc.utf16("x")]
      ])
      ok(env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0))
      expect(hex(retrieve(env.api, env.sesid, t.tableid, t.col.bin))).toBe("01 02 00 00 00 00")
      expect(hex(retrieve(env.api, env.sesid, t.tableid, t.col.ansi))).toBe(hex(enc.ascii("ab   ")))
      expect(hex(retrieve(env.api, env.sesid, t.tableid, t.col.wide))).toBe(hex(enc.utf16("x   ")))
    })

    it("§4 a value of exactly cbMax is stored as it is", () => {
      const env = openEnv(engine)
      const t = table(env)
      insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(1)], [t.col.ansi, enc.ascii("abcde")]])
      ok(env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0))
      expect(hex(retrieve(env.api, env.sesid, t.tableid, t.col.ansi))).toBe(hex(enc.ascii("abcde")))
    })

    it("§4 JetMakeKey pads a short fixed Text key the same way, so a seek on the short value finds the record", () => {
      const env = openEnv(engine)
      const t = table(env)
      insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(1)], [t.col.ansi, enc.ascii("ab")]])
      ok(env.api.JetSetCurrentIndex4(env.sesid, t.tableid, "byAnsi", 0, 1))
      ok(env.api.JetMakeKey(env.sesid, t.tableid, enc.ascii("ab"), 2, JET_bitNewKey))
      ok(env.api.JetSeek(env.sesid, t.tableid, JET_bitSeekEQ))
      expect(must(retrieve(env.api, env.sesid, t.tableid, t.col.id))).toEqual(enc.i32(1))
    })

    it("§5 a Bit is stored as 0x00 or 0xFF, whatever non-zero byte was set [fldmod.cxx ErrRECISetIFixedColumn]", () => {
      const env = openEnv(engine)
      const t = createTable(
        env,
        "bits",
        { id: { coltyp: JET_coltypLong }, flag: { coltyp: JET_coltypBit } },
        [
          { name: "pk", key: "+id", grbit: JET_bitIndexPrimary }
        ]
      )
      for (const [id, v] of [[1, 0x00], [2, 0x01], [3, 0x7e]] as const) {
        insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(id)], [t.col.flag, enc.u8(v)]])
      }
      ok(env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0))
      const seen: Array<string> = []
      do seen.push(hex(retrieve(env.api, env.sesid, t.tableid, t.col.flag)))
      while (env.api.JetMove(env.sesid, t.tableid, JET_MoveNext, 0).err === 0)
      expect(seen).toEqual(["00", "ff", "ff"])
    })

    it("§4 a default value shorter than cbMax is padded too", () => {
      const env = openEnv(engine)
      const created = ok(env.api.JetCreateTableColumnIndex2(env.sesid, env.dbid, {
        szTableName: "defaults",
        ulPages: 0,
        ulDensity: 100,
        rgcolumncreate: [
          columnCreate("id", { coltyp: JET_coltypLong }),
          columnCreate("bin", {
            coltyp: JET_coltypBinary,
            grbit: JET_bitColumnFixed,
            cbMax: 4,
            defaultValue: enc.bin(9)
          })
        ],
        rgindexcreate: []
      }))
      const [id, bin] = created.columnids
      insert(env.api, env.sesid, created.tableid, [[must(id), enc.i32(1)]])
      ok(env.api.JetMove(env.sesid, created.tableid, JET_MoveFirst, 0))
      expect(hex(retrieve(env.api, env.sesid, created.tableid, must(bin)))).toBe("09 00 00 00")
    })
  })
})
