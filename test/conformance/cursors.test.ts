import { describe, expect, it } from "vitest"
import type { JetApi } from "../../src/jet/api.ts"
import {
  JET_bitFullColumnEndLimit,
  JET_bitFullColumnStartLimit,
  JET_bitIndexPrimary,
  JET_bitKeyDataZeroLength,
  JET_bitNewKey,
  JET_bitNoMove,
  JET_bitPartialColumnEndLimit,
  JET_bitPartialColumnStartLimit,
  JET_bitRangeInclusive,
  JET_bitRangeInstantDuration,
  JET_bitRangeRemove,
  JET_bitRangeUpperLimit,
  JET_bitRetrieveCopy,
  JET_bitSeekEQ,
  JET_bitSeekGE,
  JET_bitSeekGT,
  JET_bitSeekLE,
  JET_bitSeekLT,
  JET_bitSetIndexRange,
  JET_bitStrLimit,
  JET_bitSubStrLimit,
  JET_coltypLong,
  JET_coltypText,
  JET_MoveFirst,
  JET_MoveLast,
  JET_MoveNext,
  JET_MovePrevious,
  JET_prepCancel,
  JET_prepReplace
} from "../../src/jet/constants.ts"
import type { JET_COLUMNID, JET_SESID, JET_TABLEID } from "../../src/jet/handles.ts"
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
  makeKey,
  must,
  ok,
  openEnv,
  retrieve
} from "./harness.ts"

/** Table `t`: id Long primary (1..n step `step`), name Text with an index `byName`. */
const setup = (engine: Engine, ids: ReadonlyArray<number> = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) => {
  const env = openEnv(engine)
  const t = createTable(env, "t", {
    id: { coltyp: JET_coltypLong },
    name: { coltyp: JET_coltypText, cbMax: 50 }
  }, [
    { name: "pk", key: "+id", grbit: JET_bitIndexPrimary },
    { name: "byName", key: "+name" }
  ])
  for (const id of ids) {
    insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(id)], [t.col.name, enc.ascii(`n${id}`)]])
  }
  const { api, sesid } = env
  const c = t.tableid
  const id = (): number => dec.i32(must(retrieve(api, sesid, c, t.col.id)))
  const rest = (direction = JET_MoveNext): Array<number> => {
    const out: Array<number> = []
    let err = 0
    while (err === 0) {
      out.push(id())
      err = api.JetMove(sesid, c, direction, 0).err
    }
    expectErr(err, codes.JET_errNoCurrentRecord)
    return out
  }
  const seek = (value: number, grbit: number): number => {
    ok(api.JetMakeKey(sesid, c, enc.i32(value), 4, JET_bitNewKey))
    return api.JetSeek(sesid, c, grbit).err
  }
  return { env, api, sesid, t, c, id, rest, seek }
}

const namesFrom = (api: JetApi, sesid: JET_SESID, c: JET_TABLEID, col: JET_COLUMNID): Array<string> => {
  const out: Array<string> = []
  let err = 0
  while (err === 0) {
    out.push(dec.ascii(must(retrieve(api, sesid, c, col))))
    err = api.JetMove(sesid, c, JET_MoveNext, 0).err
  }
  return out
}

forEachEngine((engine) => {
  describe("§4 JetMove", () => {
    it("§4 MoveFirst/MoveLast/Next/Previous walk the index; past either end: JET_errNoCurrentRecord", () => {
      const x = setup(engine, [1, 2, 3])
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveFirst, 0))
      expect(x.rest()).toEqual([1, 2, 3])
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveLast, 0))
      expect(x.rest(JET_MovePrevious)).toEqual([3, 2, 1])
    })

    it("§4 JetMove on an empty table: JET_errNoCurrentRecord", () => {
      const x = setup(engine, [])
      expectErr(x.api.JetMove(x.sesid, x.c, JET_MoveFirst, 0), codes.JET_errNoCurrentRecord)
      expectErr(x.api.JetMove(x.sesid, x.c, JET_MoveLast, 0), codes.JET_errNoCurrentRecord)
      expectErr(x.api.JetMove(x.sesid, x.c, JET_MoveNext, 0), codes.JET_errNoCurrentRecord)
    })

    it("§4 JetMove by a count skips entries; too far: JET_errNoCurrentRecord", () => {
      const x = setup(engine)
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveFirst, 0))
      ok(x.api.JetMove(x.sesid, x.c, 3, 0))
      expect(x.id()).toBe(4)
      ok(x.api.JetMove(x.sesid, x.c, -2, 0))
      expect(x.id()).toBe(2)
      expectErr(x.api.JetMove(x.sesid, x.c, 100, 0), codes.JET_errNoCurrentRecord)
    })

    it("§4 any move cancels a prepared update", () => {
      const x = setup(engine)
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveFirst, 0))
      ok(x.api.JetPrepareUpdate(x.sesid, x.c, JET_prepReplace))
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveNext, 0))
      expectErr(x.api.JetUpdate(x.sesid, x.c, null, 0), codes.JET_errUpdateNotPrepared)
    })
  })

  describe("§4 JetMakeKey (H:4603-4619)", () => {
    it("§4 no key started and no JET_bitNewKey: JET_errKeyNotMade", () => {
      const x = setup(engine)
      expectErr(x.api.JetMakeKey(x.sesid, x.c, enc.i32(1), 4, 0), codes.JET_errKeyNotMade)
    })

    it("§4 JetSeek with no key: JET_errKeyNotMade", () => {
      const x = setup(engine)
      expectErr(x.api.JetSeek(x.sesid, x.c, JET_bitSeekEQ), codes.JET_errKeyNotMade)
    })

    it("§4 more segments than the index has: JET_errKeyIsMade", () => {
      const x = setup(engine)
      ok(x.api.JetMakeKey(x.sesid, x.c, enc.i32(1), 4, JET_bitNewKey))
      expectErr(x.api.JetMakeKey(x.sesid, x.c, enc.i32(2), 4, 0), codes.JET_errKeyIsMade)
    })

    it("§4 two limit grbits together: JET_errInvalidGrbit", () => {
      const x = setup(engine)
      const bad = [
        JET_bitFullColumnStartLimit | JET_bitFullColumnEndLimit,
        JET_bitPartialColumnStartLimit | JET_bitFullColumnEndLimit,
        JET_bitStrLimit | JET_bitFullColumnEndLimit,
        JET_bitSubStrLimit | JET_bitPartialColumnEndLimit
      ]
      for (const grbit of bad) {
        expectErr(
          x.api.JetMakeKey(x.sesid, x.c, enc.i32(1), 4, JET_bitNewKey | grbit),
          codes.JET_errInvalidGrbit
        )
      }
    })

    it("§4 data of the wrong size for a fixed type: JET_errInvalidBufferSize", () => {
      const x = setup(engine)
      expectErr(x.api.JetMakeKey(x.sesid, x.c, enc.i16(1), 2, JET_bitNewKey), codes.JET_errInvalidBufferSize)
    })

    it("§4 cbData 0 is a NULL segment; with KeyDataZeroLength a zero-length one", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { v: { coltyp: JET_coltypText, cbMax: 10 } }, [{
        name: "iv",
        key: "+v"
      }])
      ok(env.api.JetSetCurrentIndex4(env.sesid, t.tableid, "iv", 0, 1))
      insert(env.api, env.sesid, t.tableid, [[t.col.v, null]])
      ok(env.api.JetPrepareUpdate(env.sesid, t.tableid, 0))
      ok(env.api.JetSetColumn(env.sesid, t.tableid, t.col.v, new Uint8Array(0), 0, 0x20, null))
      ok(env.api.JetUpdate(env.sesid, t.tableid, null, 0))
      ok(env.api.JetMakeKey(env.sesid, t.tableid, null, 0, JET_bitNewKey))
      ok(env.api.JetSeek(env.sesid, t.tableid, JET_bitSeekEQ))
      expect(retrieve(env.api, env.sesid, t.tableid, t.col.v)).toBe(null)
      ok(
        env.api.JetMakeKey(
          env.sesid,
          t.tableid,
          new Uint8Array(0),
          0,
          JET_bitNewKey | JET_bitKeyDataZeroLength
        )
      )
      ok(env.api.JetSeek(env.sesid, t.tableid, JET_bitSeekEQ))
      expect(hex(retrieve(env.api, env.sesid, t.tableid, t.col.v))).toBe("")
      // the rule is on cbData: a NULL pvData with cbData 0 and KeyDataZeroLength is zero-length too
      ok(env.api.JetMakeKey(env.sesid, t.tableid, null, 0, JET_bitNewKey | JET_bitKeyDataZeroLength))
      expect(hex(currentKey(env.api, env.sesid, t.tableid, JET_bitRetrieveCopy))).toBe("40")
    })

    it("§4 JetRetrieveKey with JET_bitRetrieveCopy returns the search key being made", () => {
      const x = setup(engine)
      ok(x.api.JetMakeKey(x.sesid, x.c, enc.i32(5), 4, JET_bitNewKey))
      expect(hex(currentKey(x.api, x.sesid, x.c, JET_bitRetrieveCopy))).toBe("7f 80 00 00 05")
    })
  })

  describe("§4 JetSeek (rec.cxx:1224-1900)", () => {
    it("§4 EQ on an existing key: success, on the record", () => {
      const x = setup(engine)
      expectErr(x.seek(4, JET_bitSeekEQ), 0)
      expect(x.id()).toBe(4)
    })

    it("§4 EQ with no equal key: JET_errRecordNotFound", () => {
      const x = setup(engine, [2, 4, 6])
      expectErr(x.seek(3, JET_bitSeekEQ), codes.JET_errRecordNotFound)
    })

    it("§4 GE/LE inexact: JET_wrnSeekNotEqual, on the neighbour", () => {
      const x = setup(engine, [2, 4, 6])
      expectErr(x.seek(3, JET_bitSeekGE), codes.JET_wrnSeekNotEqual)
      expect(x.id()).toBe(4)
      expectErr(x.seek(3, JET_bitSeekLE), codes.JET_wrnSeekNotEqual)
      expect(x.id()).toBe(2)
    })

    it("§4 GE/LE exact: success", () => {
      const x = setup(engine, [2, 4, 6])
      expectErr(x.seek(4, JET_bitSeekGE), 0)
      expect(x.id()).toBe(4)
      expectErr(x.seek(4, JET_bitSeekLE), 0)
      expect(x.id()).toBe(4)
    })

    it("§4 GT and LT skip the equal key", () => {
      const x = setup(engine, [2, 4, 6])
      expect(x.seek(4, JET_bitSeekGT)).toBeGreaterThanOrEqual(0)
      expect(x.id()).toBe(6)
      expect(x.seek(4, JET_bitSeekLT)).toBeGreaterThanOrEqual(0)
      expect(x.id()).toBe(2)
    })

    it("§4 nothing beyond: GT/GE past the end and LT/LE before the start: JET_errRecordNotFound", () => {
      const x = setup(engine, [2, 4, 6])
      expectErr(x.seek(6, JET_bitSeekGT), codes.JET_errRecordNotFound)
      expectErr(x.seek(7, JET_bitSeekGE), codes.JET_errRecordNotFound)
      expectErr(x.seek(2, JET_bitSeekLT), codes.JET_errRecordNotFound)
      expectErr(x.seek(1, JET_bitSeekLE), codes.JET_errRecordNotFound)
    })

    it("§4 no seek grbit, or two: JET_errInvalidParameter", () => {
      const x = setup(engine)
      expectErr(x.seek(1, 0), codes.JET_errInvalidParameter)
      expectErr(x.seek(1, JET_bitSeekEQ | JET_bitSeekGE), codes.JET_errInvalidParameter)
    })

    it("§4 seek discards the search key", () => {
      const x = setup(engine)
      expectErr(x.seek(4, JET_bitSeekEQ), 0)
      expectErr(x.api.JetSeek(x.sesid, x.c, JET_bitSeekEQ), codes.JET_errKeyNotMade)
    })

    it("§4 seek cancels a prepared update", () => {
      const x = setup(engine)
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveFirst, 0))
      ok(x.api.JetPrepareUpdate(x.sesid, x.c, JET_prepReplace))
      expectErr(x.seek(4, JET_bitSeekEQ), 0)
      expectErr(x.api.JetPrepareUpdate(x.sesid, x.c, JET_prepCancel), codes.JET_errUpdateNotPrepared)
    })

    it("§4 among duplicates the first in index order wins", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { id: { coltyp: JET_coltypLong }, v: { coltyp: JET_coltypLong } }, [
        { name: "pk", key: "+id", grbit: JET_bitIndexPrimary },
        { name: "byV", key: "+v" }
      ])
      for (const [id, v] of [[3, 1], [1, 1], [2, 1], [4, 2]] as const) {
        insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(id)], [t.col.v, enc.i32(v)]])
      }
      ok(env.api.JetSetCurrentIndex4(env.sesid, t.tableid, "byV", 0, 1))
      makeKey(env.api, env.sesid, t.tableid, enc.i32(1))
      ok(env.api.JetSeek(env.sesid, t.tableid, JET_bitSeekEQ))
      const first = dec.i32(must(retrieve(env.api, env.sesid, t.tableid, t.col.id)))
      ok(env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0))
      expect(first).toBe(dec.i32(must(retrieve(env.api, env.sesid, t.tableid, t.col.id))))
    })

    it("§4 EQ with JET_bitSetIndexRange sets an inclusive upper range on the key", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { id: { coltyp: JET_coltypLong }, v: { coltyp: JET_coltypLong } }, [
        { name: "pk", key: "+id", grbit: JET_bitIndexPrimary },
        { name: "byV", key: "+v" }
      ])
      for (const [id, v] of [[1, 1], [2, 2], [3, 2], [4, 2], [5, 3]] as const) {
        insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(id)], [t.col.v, enc.i32(v)]])
      }
      ok(env.api.JetSetCurrentIndex4(env.sesid, t.tableid, "byV", 0, 1))
      makeKey(env.api, env.sesid, t.tableid, enc.i32(2))
      ok(env.api.JetSeek(env.sesid, t.tableid, JET_bitSeekEQ | JET_bitSetIndexRange))
      const ids: Array<number> = []
      let err = 0
      while (err === 0) {
        ids.push(dec.i32(must(retrieve(env.api, env.sesid, t.tableid, t.col.id))))
        err = env.api.JetMove(env.sesid, t.tableid, JET_MoveNext, 0).err
      }
      expectErr(err, codes.JET_errNoCurrentRecord)
      expect(ids).toEqual([2, 3, 4])
    })

    it("§4 prefix range on text: PartialColumnEndLimit key as an inclusive upper limit", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { v: { coltyp: JET_coltypText, cbMax: 20 } }, [{
        name: "iv",
        key: "+v"
      }])
      for (const v of ["a", "ab", "abc", "abd", "ac", "b"]) {
        insert(env.api, env.sesid, t.tableid, [[t.col.v, enc.ascii(v)]])
      }
      ok(env.api.JetSetCurrentIndex4(env.sesid, t.tableid, "iv", 0, 1))
      ok(
        env.api.JetMakeKey(
          env.sesid,
          t.tableid,
          enc.ascii("ab"),
          2,
          JET_bitNewKey | JET_bitPartialColumnStartLimit
        )
      )
      expect(env.api.JetSeek(env.sesid, t.tableid, JET_bitSeekGE).err).toBeGreaterThanOrEqual(0)
      ok(
        env.api.JetMakeKey(
          env.sesid,
          t.tableid,
          enc.ascii("ab"),
          2,
          JET_bitNewKey | JET_bitPartialColumnEndLimit
        )
      )
      ok(env.api.JetSetIndexRange(env.sesid, t.tableid, JET_bitRangeInclusive | JET_bitRangeUpperLimit))
      expect(namesFrom(env.api, env.sesid, t.tableid, t.col.v)).toEqual(["ab", "abc", "abd"])
    })

    it("§4 FullColumnEndLimit: the range ends after the equal entries only", () => {
      const env = openEnv(engine)
      const t = createTable(env, "t", { v: { coltyp: JET_coltypText, cbMax: 20 } }, [{
        name: "iv",
        key: "+v"
      }])
      for (const v of ["a", "ab", "abc", "b"]) {
        insert(env.api, env.sesid, t.tableid, [[t.col.v, enc.ascii(v)]])
      }
      ok(env.api.JetSetCurrentIndex4(env.sesid, t.tableid, "iv", 0, 1))
      ok(
        env.api.JetMakeKey(
          env.sesid,
          t.tableid,
          enc.ascii("a"),
          1,
          JET_bitNewKey | JET_bitFullColumnStartLimit
        )
      )
      expect(env.api.JetSeek(env.sesid, t.tableid, JET_bitSeekGE).err).toBeGreaterThanOrEqual(0)
      ok(
        env.api.JetMakeKey(
          env.sesid,
          t.tableid,
          enc.ascii("ab"),
          2,
          JET_bitNewKey | JET_bitFullColumnEndLimit
        )
      )
      ok(env.api.JetSetIndexRange(env.sesid, t.tableid, JET_bitRangeInclusive | JET_bitRangeUpperLimit))
      expect(namesFrom(env.api, env.sesid, t.tableid, t.col.v)).toEqual(["a", "ab"])
    })
  })

  describe("§4 JetSetIndexRange", () => {
    it("§4 inclusive upper limit: the limit key is in the range", () => {
      const x = setup(engine)
      expectErr(x.seek(3, JET_bitSeekGE), 0)
      ok(x.api.JetMakeKey(x.sesid, x.c, enc.i32(6), 4, JET_bitNewKey))
      ok(x.api.JetSetIndexRange(x.sesid, x.c, JET_bitRangeInclusive | JET_bitRangeUpperLimit))
      expect(x.rest()).toEqual([3, 4, 5, 6])
    })

    it("§4 exclusive upper limit: the limit key is out", () => {
      const x = setup(engine)
      expectErr(x.seek(3, JET_bitSeekGE), 0)
      ok(x.api.JetMakeKey(x.sesid, x.c, enc.i32(6), 4, JET_bitNewKey))
      ok(x.api.JetSetIndexRange(x.sesid, x.c, JET_bitRangeUpperLimit))
      expect(x.rest()).toEqual([3, 4, 5])
    })

    it("§4 a lower limit bounds moves backwards", () => {
      const x = setup(engine)
      expectErr(x.seek(6, JET_bitSeekLE), 0)
      ok(x.api.JetMakeKey(x.sesid, x.c, enc.i32(3), 4, JET_bitNewKey))
      ok(x.api.JetSetIndexRange(x.sesid, x.c, JET_bitRangeInclusive))
      expect(x.rest(JET_MovePrevious)).toEqual([6, 5, 4, 3])
    })

    it("§4 the current entry out of the range: JET_errNoCurrentRecord", () => {
      const x = setup(engine)
      expectErr(x.seek(7, JET_bitSeekEQ), 0)
      ok(x.api.JetMakeKey(x.sesid, x.c, enc.i32(5), 4, JET_bitNewKey))
      expectErr(
        x.api.JetSetIndexRange(x.sesid, x.c, JET_bitRangeInclusive | JET_bitRangeUpperLimit),
        codes.JET_errNoCurrentRecord
      )
    })

    it("§4 JET_bitRangeRemove lifts the range; without a range: JET_errInvalidOperation", () => {
      const x = setup(engine)
      expectErr(x.api.JetSetIndexRange(x.sesid, x.c, JET_bitRangeRemove), codes.JET_errInvalidOperation)
      expectErr(x.seek(8, JET_bitSeekGE), 0)
      ok(x.api.JetMakeKey(x.sesid, x.c, enc.i32(8), 4, JET_bitNewKey))
      ok(x.api.JetSetIndexRange(x.sesid, x.c, JET_bitRangeInclusive | JET_bitRangeUpperLimit))
      expectErr(x.api.JetMove(x.sesid, x.c, JET_MoveNext, 0), codes.JET_errNoCurrentRecord)
      expectErr(x.seek(8, JET_bitSeekEQ), 0)
      ok(x.api.JetMakeKey(x.sesid, x.c, enc.i32(8), 4, JET_bitNewKey))
      ok(x.api.JetSetIndexRange(x.sesid, x.c, JET_bitRangeInclusive | JET_bitRangeUpperLimit))
      ok(x.api.JetSetIndexRange(x.sesid, x.c, JET_bitRangeRemove))
      expect(x.rest()).toEqual([8, 9, 10])
    })

    it("§4 JET_bitRangeInstantDuration only checks: no range is left", () => {
      const x = setup(engine)
      expectErr(x.seek(8, JET_bitSeekEQ), 0)
      ok(x.api.JetMakeKey(x.sesid, x.c, enc.i32(8), 4, JET_bitNewKey))
      ok(
        x.api.JetSetIndexRange(
          x.sesid,
          x.c,
          JET_bitRangeInclusive | JET_bitRangeUpperLimit | JET_bitRangeInstantDuration
        )
      )
      expect(x.rest()).toEqual([8, 9, 10])
    })

    it("§4 MoveFirst cancels the range", () => {
      const x = setup(engine, [1, 2, 3, 4])
      expectErr(x.seek(2, JET_bitSeekEQ), 0)
      ok(x.api.JetMakeKey(x.sesid, x.c, enc.i32(3), 4, JET_bitNewKey))
      ok(x.api.JetSetIndexRange(x.sesid, x.c, JET_bitRangeInclusive | JET_bitRangeUpperLimit))
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveFirst, 0))
      expect(x.rest()).toEqual([1, 2, 3, 4])
    })

    it("§4 a seek cancels the range", () => {
      const x = setup(engine, [1, 2, 3, 4])
      expectErr(x.seek(2, JET_bitSeekEQ), 0)
      ok(x.api.JetMakeKey(x.sesid, x.c, enc.i32(2), 4, JET_bitNewKey))
      ok(x.api.JetSetIndexRange(x.sesid, x.c, JET_bitRangeInclusive | JET_bitRangeUpperLimit))
      expectErr(x.seek(3, JET_bitSeekEQ), 0)
      expect(x.rest()).toEqual([3, 4])
    })

    it("§4 JetIndexRecordCount counts from the cursor to the end of the range, at most crecMax", () => {
      const x = setup(engine)
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveFirst, 0))
      expect(ok(x.api.JetIndexRecordCount(x.sesid, x.c, 0)).count).toBe(10)
      expect(ok(x.api.JetIndexRecordCount(x.sesid, x.c, 3)).count).toBe(3)
      expectErr(x.seek(3, JET_bitSeekEQ), 0)
      ok(x.api.JetMakeKey(x.sesid, x.c, enc.i32(6), 4, JET_bitNewKey))
      ok(x.api.JetSetIndexRange(x.sesid, x.c, JET_bitRangeInclusive | JET_bitRangeUpperLimit))
      expect(ok(x.api.JetIndexRecordCount(x.sesid, x.c, 0)).count).toBe(4)
    })
  })

  describe("§4 bookmarks, positions, current index", () => {
    it("§4 JetGetBookmark / JetGotoBookmark return to the record", () => {
      const x = setup(engine)
      expectErr(x.seek(7, JET_bitSeekEQ), 0)
      const buffer = new Uint8Array(256)
      const { cbActual } = ok(x.api.JetGetBookmark(x.sesid, x.c, buffer, buffer.byteLength))
      expect(cbActual).toBeGreaterThan(0)
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveFirst, 0))
      ok(x.api.JetGotoBookmark(x.sesid, x.c, buffer, cbActual))
      expect(x.id()).toBe(7)
    })

    it("§4 a bookmark works from a secondary index and from another cursor", () => {
      const x = setup(engine)
      ok(x.api.JetSetCurrentIndex4(x.sesid, x.c, "byName", 0, 1))
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveLast, 0))
      const last = x.id()
      const buffer = new Uint8Array(256)
      const { cbActual } = ok(x.api.JetGetBookmark(x.sesid, x.c, buffer, buffer.byteLength))
      const other = ok(x.api.JetDupCursor(x.sesid, x.c, 0)).tableid
      ok(x.api.JetGotoBookmark(x.sesid, other, buffer, cbActual))
      expect(dec.i32(must(retrieve(x.api, x.sesid, other, x.t.col.id)))).toBe(last)
    })

    it("§4 JetUpdate of an insert writes the new record's bookmark", () => {
      const x = setup(engine, [1, 2])
      ok(x.api.JetPrepareUpdate(x.sesid, x.c, 0))
      ok(x.api.JetSetColumn(x.sesid, x.c, x.t.col.id, enc.i32(9), 4, 0, null))
      const buffer = new Uint8Array(256)
      const { cbActual } = ok(x.api.JetUpdate(x.sesid, x.c, buffer, buffer.byteLength))
      expect(cbActual).toBeGreaterThan(0)
      ok(x.api.JetGotoBookmark(x.sesid, x.c, buffer, cbActual))
      expect(x.id()).toBe(9)
    })

    it("§4 JetGetBookmark with no current record: JET_errNoCurrentRecord", () => {
      const x = setup(engine, [])
      expectErr(x.api.JetGetBookmark(x.sesid, x.c, new Uint8Array(256), 256), codes.JET_errNoCurrentRecord)
    })

    it("§4 JetGetRecordPosition: centriesLT grows along the index; JetGotoPosition(0) is the first", () => {
      const x = setup(engine)
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveFirst, 0))
      const positions: Array<number> = []
      let err = 0
      while (err === 0) {
        const { recpos } = ok(x.api.JetGetRecordPosition(x.sesid, x.c))
        expect(recpos.centriesLT).toBeLessThanOrEqual(recpos.centriesTotal)
        positions.push(recpos.centriesLT)
        err = x.api.JetMove(x.sesid, x.c, JET_MoveNext, 0).err
      }
      expect([...positions].sort((a, b) => a - b)).toEqual(positions)
      expect(positions[0]).toBe(0)
      ok(x.api.JetGotoPosition(x.sesid, x.c, { centriesLT: 0, centriesInRange: 1, centriesTotal: 10 }))
      expect(x.id()).toBe(1)
    })

    it("§4 JetSetCurrentIndex: unknown name: JET_errIndexNotFound; null selects the primary index", () => {
      const x = setup(engine)
      expectErr(x.api.JetSetCurrentIndex4(x.sesid, x.c, "nope", 0, 1), codes.JET_errIndexNotFound)
      ok(x.api.JetSetCurrentIndex4(x.sesid, x.c, "byName", 0, 1))
      ok(x.api.JetSetCurrentIndex4(x.sesid, x.c, null, 0, 1))
      const name = new Uint8Array(256)
      ok(x.api.JetGetCurrentIndex(x.sesid, x.c, name, 128))
      expect(dec.wsz(name)).toBe("pk")
    })

    it("§4 JetSetCurrentIndex with JET_bitNoMove keeps the current record", () => {
      const x = setup(engine)
      expectErr(x.seek(10, JET_bitSeekEQ), 0)
      ok(x.api.JetSetCurrentIndex4(x.sesid, x.c, "byName", JET_bitNoMove, 1))
      expect(x.id()).toBe(10)
      // n10 sorts after n1 in byName
      ok(x.api.JetMove(x.sesid, x.c, JET_MovePrevious, 0))
      expect(x.id()).toBe(1)
    })

    it("§4 JetRetrieveKey returns the current entry's normalized key", () => {
      const x = setup(engine)
      expectErr(x.seek(5, JET_bitSeekEQ), 0)
      expect(hex(currentKey(x.api, x.sesid, x.c))).toBe("7f 80 00 00 05")
      ok(x.api.JetSetCurrentIndex4(x.sesid, x.c, "byName", JET_bitNoMove, 1))
      expect(hex(currentKey(x.api, x.sesid, x.c))).toBe("7f 4e 35 00")
    })
  })
})
