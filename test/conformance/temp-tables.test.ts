import { describe, expect, it } from "vitest"
import {
  JET_bitColumnTTDescending,
  JET_bitColumnTTKey,
  JET_bitSeekEQ,
  JET_bitSeekGE,
  JET_bitTTErrorOnDuplicateInsertion,
  JET_bitTTIndexed,
  JET_bitTTScrollable,
  JET_bitTTUnique,
  JET_bitTTUpdatable,
  JET_coltypLong,
  JET_coltypText,
  JET_MoveFirst,
  JET_MoveLast,
  JET_MovePrevious,
  JET_prepInsert
} from "../../src/jet/constants.ts"
import {
  codes,
  dec,
  enc,
  expectErr,
  forEachEngine,
  insert,
  insertRow,
  makeKey,
  must,
  ok,
  openEnv,
  retrieve,
  shuffled,
  walk
} from "./harness.ts"

forEachEngine((engine) => {
  describe("temporary tables [D/jetopentemptable3-function]", () => {
    const open = (keyGrbit: number, grbit: number) => {
      const env = openEnv(engine)
      const r = ok(env.api.JetOpenTempTable3(
        env.sesid,
        [
          { coltyp: JET_coltypLong, grbit: JET_bitColumnTTKey | keyGrbit },
          { coltyp: JET_coltypText, cbMax: 50 }
        ],
        null,
        grbit
      ))
      expect(r.columnids).toHaveLength(2)
      const [key, val] = r.columnids
      return { env, api: env.api, sesid: env.sesid, c: r.tableid, key: must(key), val: must(val) }
    }

    it("columnids come back in the order of the column definitions, distinct", () => {
      const x = open(0, JET_bitTTIndexed)
      expect(x.key).not.toBe(x.val)
    })

    it("rows come back sorted by the key columns", () => {
      const x = open(0, JET_bitTTIndexed | JET_bitTTScrollable)
      for (const k of shuffled([5, -3, 9, 0, 2])) {
        insert(x.api, x.sesid, x.c, [[x.key, enc.i32(k)], [x.val, enc.ascii(`v${k}`)]])
      }
      expect(walk(x.api, x.sesid, x.c, x.key).map((v) => dec.i32(must(v)))).toEqual([-3, 0, 2, 5, 9])
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveLast, 0))
      expect(dec.i32(must(retrieve(x.api, x.sesid, x.c, x.key)))).toBe(9)
      ok(x.api.JetMove(x.sesid, x.c, JET_MovePrevious, 0))
      expect(dec.i32(must(retrieve(x.api, x.sesid, x.c, x.key)))).toBe(5)
    })

    it("JET_bitColumnTTDescending sorts the key descending", () => {
      const x = open(JET_bitColumnTTDescending, JET_bitTTIndexed)
      for (const k of shuffled([5, -3, 9, 0, 2])) insert(x.api, x.sesid, x.c, [[x.key, enc.i32(k)]])
      expect(walk(x.api, x.sesid, x.c, x.key).map((v) => dec.i32(must(v)))).toEqual([9, 5, 2, 0, -3])
    })

    it("an indexed temporary table can seek", () => {
      const x = open(0, JET_bitTTIndexed)
      for (const k of [10, 20, 30]) {
        insert(x.api, x.sesid, x.c, [[x.key, enc.i32(k)], [x.val, enc.ascii(`v${k}`)]])
      }
      makeKey(x.api, x.sesid, x.c, enc.i32(20))
      ok(x.api.JetSeek(x.sesid, x.c, JET_bitSeekEQ))
      expect(dec.ascii(must(retrieve(x.api, x.sesid, x.c, x.val)))).toBe("v20")
      makeKey(x.api, x.sesid, x.c, enc.i32(25))
      expectErr(x.api.JetSeek(x.sesid, x.c, JET_bitSeekGE), codes.JET_wrnSeekNotEqual)
      expect(dec.ascii(must(retrieve(x.api, x.sesid, x.c, x.val)))).toBe("v30")
    })

    it("JET_bitTTUnique with JET_bitTTErrorOnDuplicateInsertion: a duplicate key fails with JET_errKeyDuplicate", () => {
      const x = open(0, JET_bitTTIndexed | JET_bitTTUnique | JET_bitTTErrorOnDuplicateInsertion)
      insert(x.api, x.sesid, x.c, [[x.key, enc.i32(1)]])
      expectErr(insertRow(x.api, x.sesid, x.c, [[x.key, enc.i32(1)]]), codes.JET_errKeyDuplicate)
    })

    it("an empty temporary table: JetMove gives JET_errNoCurrentRecord", () => {
      const x = open(0, JET_bitTTIndexed)
      expectErr(x.api.JetMove(x.sesid, x.c, JET_MoveFirst, 0), codes.JET_errNoCurrentRecord)
    })

    it("an updatable temporary table accepts a replace", () => {
      const x = open(0, JET_bitTTIndexed | JET_bitTTUpdatable)
      insert(x.api, x.sesid, x.c, [[x.key, enc.i32(1)], [x.val, enc.ascii("a")]])
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveFirst, 0))
      ok(x.api.JetPrepareUpdate(x.sesid, x.c, 2))
      ok(x.api.JetSetColumn(x.sesid, x.c, x.val, enc.ascii("b"), 1, 0, null))
      ok(x.api.JetUpdate(x.sesid, x.c, null, 0))
      expect(dec.ascii(must(retrieve(x.api, x.sesid, x.c, x.val)))).toBe("b")
    })

    it("JetOpenTemporaryTable: the same as JetOpenTempTable3", () => {
      const env = openEnv(engine)
      const r = ok(env.api.JetOpenTemporaryTable(env.sesid, {
        prgcolumndef: [{ coltyp: JET_coltypLong, grbit: JET_bitColumnTTKey }],
        grbit: JET_bitTTIndexed
      }))
      const key = must(r.columnids[0])
      for (const k of [3, 1, 2]) insert(env.api, env.sesid, r.tableid, [[key, enc.i32(k)]])
      expect(walk(env.api, env.sesid, r.tableid, key).map((v) => dec.i32(must(v)))).toEqual([1, 2, 3])
    })

    it("a temporary table is closed with JetCloseTable", () => {
      const x = open(0, JET_bitTTIndexed)
      ok(x.api.JetPrepareUpdate(x.sesid, x.c, JET_prepInsert))
      ok(x.api.JetPrepareUpdate(x.sesid, x.c, 3))
      ok(x.api.JetCloseTable(x.sesid, x.c))
    })
  })
})
