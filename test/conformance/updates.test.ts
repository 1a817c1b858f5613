import { describe, expect, it } from "vitest"
import {
  JET_bitColumnEscrowUpdate,
  JET_bitColumnMultiValued,
  JET_bitColumnTagged,
  JET_bitIndexPrimary,
  JET_bitRetrieveCopy,
  JET_bitSetUniqueMultiValues,
  JET_bitSetZeroLength,
  JET_coltypBinary,
  JET_coltypLong,
  JET_coltypLongBinary,
  JET_coltypText,
  JET_MoveFirst,
  JET_MoveNext,
  JET_prepCancel,
  JET_prepInsert,
  JET_prepInsertCopy,
  JET_prepInsertCopyDeleteOriginal,
  JET_prepReplace
} from "../../src/jet/constants.ts"
import type { Engine } from "./engines.ts"
import {
  codes,
  countRows,
  createTable,
  dec,
  enc,
  expectErr,
  forEachEngine,
  hex,
  insert,
  makeKey,
  must,
  ok,
  okOrWarn,
  openEnv,
  openSession,
  retrieve,
  walk
} from "./harness.ts"

const setup = (engine: Engine) => {
  const env = openEnv(engine)
  const t = createTable(env, "t", {
    id: { coltyp: JET_coltypLong },
    s: { coltyp: JET_coltypText, cbMax: 100 },
    b: { coltyp: JET_coltypBinary, cbMax: 100 },
    mv: { coltyp: JET_coltypLong, grbit: JET_bitColumnTagged | JET_bitColumnMultiValued },
    lv: { coltyp: JET_coltypLongBinary }
  }, [{ name: "pk", key: "+id", grbit: JET_bitIndexPrimary }])
  return { env, api: env.api, sesid: env.sesid, t, c: t.tableid }
}

forEachEngine((engine) => {
  describe("§4 JetPrepareUpdate (H:4934-4953)", () => {
    it("§4 prepare twice: JET_errAlreadyPrepared", () => {
      const x = setup(engine)
      ok(x.api.JetPrepareUpdate(x.sesid, x.c, JET_prepInsert))
      expectErr(x.api.JetPrepareUpdate(x.sesid, x.c, JET_prepInsert), codes.JET_errAlreadyPrepared)
    })

    it("§4 cancel with nothing prepared: JET_errUpdateNotPrepared; JetUpdate too", () => {
      const x = setup(engine)
      expectErr(x.api.JetPrepareUpdate(x.sesid, x.c, JET_prepCancel), codes.JET_errUpdateNotPrepared)
      expectErr(x.api.JetUpdate(x.sesid, x.c, null, 0), codes.JET_errUpdateNotPrepared)
    })

    it("§4 JetSetColumn with nothing prepared: JET_errUpdateNotPrepared [D/jetsetcolumn-function]", () => {
      const x = setup(engine)
      expectErr(
        x.api.JetSetColumn(x.sesid, x.c, x.t.col.id, enc.i32(1), 4, 0, null),
        codes.JET_errUpdateNotPrepared
      )
    })

    it("§4 cancel discards the prepared insert", () => {
      const x = setup(engine)
      ok(x.api.JetPrepareUpdate(x.sesid, x.c, JET_prepInsert))
      ok(x.api.JetSetColumn(x.sesid, x.c, x.t.col.id, enc.i32(1), 4, 0, null))
      ok(x.api.JetPrepareUpdate(x.sesid, x.c, JET_prepCancel))
      expect(countRows(x.api, x.sesid, x.c)).toBe(0)
    })

    it("§4 Replace with no current record: JET_errNoCurrentRecord", () => {
      const x = setup(engine)
      expectErr(x.api.JetPrepareUpdate(x.sesid, x.c, JET_prepReplace), codes.JET_errNoCurrentRecord)
    })

    it("§4 a replace that changes the primary key: JET_errRecordPrimaryChanged at JetUpdate", () => {
      const x = setup(engine)
      insert(x.api, x.sesid, x.c, [[x.t.col.id, enc.i32(1)]])
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveFirst, 0))
      ok(x.api.JetPrepareUpdate(x.sesid, x.c, JET_prepReplace))
      ok(x.api.JetSetColumn(x.sesid, x.c, x.t.col.id, enc.i32(2), 4, 0, null))
      expectErr(x.api.JetUpdate(x.sesid, x.c, null, 0), codes.JET_errRecordPrimaryChanged)
    })

    it("§4 InsertCopy: a new record starting as a copy of the current one", () => {
      const x = setup(engine)
      insert(x.api, x.sesid, x.c, [[x.t.col.id, enc.i32(1)], [x.t.col.s, enc.ascii("copied")]])
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveFirst, 0))
      ok(x.api.JetPrepareUpdate(x.sesid, x.c, JET_prepInsertCopy))
      expect(dec.ascii(must(retrieve(x.api, x.sesid, x.c, x.t.col.s, JET_bitRetrieveCopy)))).toBe("copied")
      ok(x.api.JetSetColumn(x.sesid, x.c, x.t.col.id, enc.i32(2), 4, 0, null))
      ok(x.api.JetUpdate(x.sesid, x.c, null, 0))
      expect(walk(x.api, x.sesid, x.c, x.t.col.s).map((v) => dec.ascii(must(v)))).toEqual([
        "copied",
        "copied"
      ])
    })

    it("§4 InsertCopyDeleteOriginal: changes the primary key (the original is deleted)", () => {
      const x = setup(engine)
      insert(x.api, x.sesid, x.c, [[x.t.col.id, enc.i32(1)], [x.t.col.s, enc.ascii("moved")]])
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveFirst, 0))
      ok(x.api.JetPrepareUpdate(x.sesid, x.c, JET_prepInsertCopyDeleteOriginal))
      ok(x.api.JetSetColumn(x.sesid, x.c, x.t.col.id, enc.i32(5), 4, 0, null))
      ok(x.api.JetUpdate(x.sesid, x.c, null, 0))
      expect(walk(x.api, x.sesid, x.c, x.t.col.id).map((v) => dec.i32(must(v)))).toEqual([5])
    })

    it("§4 JetDelete removes the record; the cursor moves on to the next", () => {
      const x = setup(engine)
      for (const id of [1, 2, 3]) insert(x.api, x.sesid, x.c, [[x.t.col.id, enc.i32(id)]])
      makeKey(x.api, x.sesid, x.c, enc.i32(2))
      ok(x.api.JetSeek(x.sesid, x.c, 1))
      ok(x.api.JetDelete(x.sesid, x.c))
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveNext, 0))
      expect(dec.i32(must(retrieve(x.api, x.sesid, x.c, x.t.col.id)))).toBe(3)
      expect(walk(x.api, x.sesid, x.c, x.t.col.id).map((v) => dec.i32(must(v)))).toEqual([1, 3])
    })

    it("§4 replace keeps unset columns and changes set ones", () => {
      const x = setup(engine)
      insert(x.api, x.sesid, x.c, [[x.t.col.id, enc.i32(1)], [x.t.col.s, enc.ascii("a")], [
        x.t.col.b,
        enc.bin(1)
      ]])
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveFirst, 0))
      ok(x.api.JetPrepareUpdate(x.sesid, x.c, JET_prepReplace))
      ok(x.api.JetSetColumn(x.sesid, x.c, x.t.col.s, enc.ascii("b"), 1, 0, null))
      // §4 RetrieveCopy reads the prepared copy, a plain retrieve the record
      expect(dec.ascii(must(retrieve(x.api, x.sesid, x.c, x.t.col.s, JET_bitRetrieveCopy)))).toBe("b")
      expect(dec.ascii(must(retrieve(x.api, x.sesid, x.c, x.t.col.s)))).toBe("a")
      ok(x.api.JetUpdate(x.sesid, x.c, null, 0))
      expect(dec.ascii(must(retrieve(x.api, x.sesid, x.c, x.t.col.s)))).toBe("b")
      expect(hex(retrieve(x.api, x.sesid, x.c, x.t.col.b))).toBe("01")
    })

    it("§4 setting NULL removes a value", () => {
      const x = setup(engine)
      insert(x.api, x.sesid, x.c, [[x.t.col.id, enc.i32(1)], [x.t.col.s, enc.ascii("a")]])
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveFirst, 0))
      ok(x.api.JetPrepareUpdate(x.sesid, x.c, JET_prepReplace))
      ok(x.api.JetSetColumn(x.sesid, x.c, x.t.col.s, null, 0, 0, null))
      ok(x.api.JetUpdate(x.sesid, x.c, null, 0))
      expect(retrieve(x.api, x.sesid, x.c, x.t.col.s)).toBe(null)
    })
  })

  describe("§4 JetRetrieveColumn buffer contract", () => {
    const withRow = (engine: Engine) => {
      const x = setup(engine)
      insert(x.api, x.sesid, x.c, [[x.t.col.id, enc.i32(1)], [x.t.col.s, enc.ascii("hello")]])
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveFirst, 0))
      return x
    }

    it("§4 a short buffer: copies at most cbData, reports the full size, JET_wrnBufferTruncated", () => {
      const x = withRow(engine)
      const buffer = new Uint8Array(8).fill(0xee)
      const r = x.api.JetRetrieveColumn(x.sesid, x.c, x.t.col.s, buffer, 2, 0, null)
      expectErr(r, codes.JET_wrnBufferTruncated)
      expect(r.cbActual).toBe(5)
      expect(hex(buffer)).toBe(hex(Uint8Array.of(0x68, 0x65, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee)))
    })

    it("§4 a large enough buffer: the value, its size, success; bytes past it untouched", () => {
      const x = withRow(engine)
      const buffer = new Uint8Array(8).fill(0xee)
      const r = x.api.JetRetrieveColumn(x.sesid, x.c, x.t.col.s, buffer, 8, 0, null)
      expectErr(r, 0)
      expect(r.cbActual).toBe(5)
      expect(hex(buffer)).toBe(hex(Uint8Array.of(0x68, 0x65, 0x6c, 0x6c, 0x6f, 0xee, 0xee, 0xee)))
    })

    it("§4 a NULL column: JET_wrnColumnNull with size 0, buffer untouched", () => {
      const x = withRow(engine)
      const buffer = new Uint8Array(4).fill(0xee)
      const r = x.api.JetRetrieveColumn(x.sesid, x.c, x.t.col.b, buffer, 4, 0, null)
      expectErr(r, codes.JET_wrnColumnNull)
      expect(r.cbActual).toBe(0)
      expect(hex(buffer)).toBe("ee ee ee ee")
    })

    it("§4 a null buffer with cbData 0 reports the size", () => {
      const x = withRow(engine)
      const r = x.api.JetRetrieveColumn(x.sesid, x.c, x.t.col.s, null, 0, 0, null)
      expectErr(r, codes.JET_wrnBufferTruncated)
      expect(r.cbActual).toBe(5)
    })

    it("api conventions: cbData larger than the buffer: JET_errInvalidParameter", () => {
      const x = withRow(engine)
      expectErr(
        x.api.JetRetrieveColumn(x.sesid, x.c, x.t.col.s, new Uint8Array(2), 10, 0, null),
        codes.JET_errInvalidParameter
      )
      ok(x.api.JetPrepareUpdate(x.sesid, x.c, JET_prepReplace))
      expectErr(
        x.api.JetSetColumn(x.sesid, x.c, x.t.col.s, new Uint8Array(2), 10, 0, null),
        codes.JET_errInvalidParameter
      )
    })

    it("§4 JET_bitSetZeroLength: an empty value, distinct from NULL", () => {
      const x = setup(engine)
      ok(x.api.JetPrepareUpdate(x.sesid, x.c, JET_prepInsert))
      ok(x.api.JetSetColumn(x.sesid, x.c, x.t.col.id, enc.i32(1), 4, 0, null))
      ok(x.api.JetSetColumn(x.sesid, x.c, x.t.col.s, new Uint8Array(0), 0, JET_bitSetZeroLength, null))
      ok(x.api.JetSetColumn(x.sesid, x.c, x.t.col.b, new Uint8Array(0), 0, 0, null))
      ok(x.api.JetUpdate(x.sesid, x.c, null, 0))
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveFirst, 0))
      const empty = x.api.JetRetrieveColumn(x.sesid, x.c, x.t.col.s, new Uint8Array(4), 4, 0, null)
      expectErr(empty, 0)
      expect(empty.cbActual).toBe(0)
      expectErr(
        x.api.JetRetrieveColumn(x.sesid, x.c, x.t.col.b, new Uint8Array(4), 4, 0, null),
        codes.JET_wrnColumnNull
      )
    })

    it("§4 JetRetrieveColumns fills each buffer and reports each column's code", () => {
      const x = withRow(engine)
      const id = new Uint8Array(4)
      const s = new Uint8Array(2)
      const b = new Uint8Array(4)
      // the call's own code may carry a warning of one of the columns: not checked here
      const { columns } = okOrWarn(x.api.JetRetrieveColumns(x.sesid, x.c, [
        { columnid: x.t.col.id, pvData: id, cbData: 4, itagSequence: 1 },
        { columnid: x.t.col.s, pvData: s, cbData: 2, itagSequence: 1 },
        { columnid: x.t.col.b, pvData: b, cbData: 4, itagSequence: 1 }
      ]))
      expect(columns.map((c) => [c.err, c.cbActual])).toEqual([[0, 4], [codes.JET_wrnBufferTruncated, 5], [
        codes.JET_wrnColumnNull,
        0
      ]])
      expect(dec.i32(id)).toBe(1)
      expect(dec.ascii(s)).toBe("he")
    })

    it("§4 JetSetColumns sets several columns at once", () => {
      const x = setup(engine)
      ok(x.api.JetPrepareUpdate(x.sesid, x.c, JET_prepInsert))
      const { errs } = ok(x.api.JetSetColumns(x.sesid, x.c, [
        { columnid: x.t.col.id, pvData: enc.i32(3), cbData: 4 },
        { columnid: x.t.col.s, pvData: enc.ascii("xy"), cbData: 2 }
      ]))
      expect(errs).toEqual([0, 0])
      ok(x.api.JetUpdate(x.sesid, x.c, null, 0))
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveFirst, 0))
      expect(dec.ascii(must(retrieve(x.api, x.sesid, x.c, x.t.col.s)))).toBe("xy")
    })

    it("§4 JetEnumerateColumns lists the non-NULL columns of the record", () => {
      const x = withRow(engine)
      const { columns } = ok(x.api.JetEnumerateColumns(x.sesid, x.c, null, 0, 0))
      const byId = new Map(columns.map((c) => [c.columnid as number, c]))
      expect(byId.has(x.t.col.b)).toBe(false)
      expect(dec.ascii(must(byId.get(x.t.col.s)?.values[0]?.data))).toBe("hello")
      expect(dec.i32(must(byId.get(x.t.col.id)?.values[0]?.data))).toBe(1)
    })
  })

  describe("§4 multi-valued columns and itags", () => {
    const mvRow = (engine: Engine, values: ReadonlyArray<number>) => {
      const x = setup(engine)
      ok(x.api.JetPrepareUpdate(x.sesid, x.c, JET_prepInsert))
      ok(x.api.JetSetColumn(x.sesid, x.c, x.t.col.id, enc.i32(1), 4, 0, null))
      for (const v of values) {
        ok(
          x.api.JetSetColumn(x.sesid, x.c, x.t.col.mv, enc.i32(v), 4, 0, { ibLongValue: 0, itagSequence: 0 })
        )
      }
      ok(x.api.JetUpdate(x.sesid, x.c, null, 0))
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveFirst, 0))
      const all = (): Array<number> => {
        const out: Array<number> = []
        for (let i = 1;; i++) {
          const v = retrieve(x.api, x.sesid, x.c, x.t.col.mv, 0, i)
          if (v === null) return out
          out.push(dec.i32(v))
        }
      }
      return { ...x, all }
    }

    it("§4 JetSetColumn without a JET_SETINFO sets itag 1: it replaces the first value instead of appending [D/jetsetcolumn-function]", () => {
      const x = mvRow(engine, [1, 2])
      ok(x.api.JetPrepareUpdate(x.sesid, x.c, JET_prepReplace))
      ok(x.api.JetSetColumn(x.sesid, x.c, x.t.col.mv, enc.i32(9), 4, 0, null))
      ok(x.api.JetUpdate(x.sesid, x.c, null, 0))
      expect(x.all()).toEqual([9, 2])
    })

    it("§4 retrieve with itagSequence 0: JET_errBadItagSequence", () => {
      const x = mvRow(engine, [1, 2])
      expectErr(
        x.api.JetRetrieveColumn(x.sesid, x.c, x.t.col.mv, new Uint8Array(4), 4, 0, {
          ibLongValue: 0,
          itagSequence: 0
        }),
        codes.JET_errBadItagSequence
      )
    })

    it("§4 retrieve past the last itag: JET_wrnColumnNull", () => {
      const x = mvRow(engine, [1, 2])
      const r = x.api.JetRetrieveColumn(x.sesid, x.c, x.t.col.mv, new Uint8Array(4), 4, 0, {
        ibLongValue: 0,
        itagSequence: 3
      })
      expectErr(r, codes.JET_wrnColumnNull)
      expect(r.cbActual).toBe(0)
    })

    it("§4 set with itag 0 or past the end appends; set at an existing itag replaces it", () => {
      const x = mvRow(engine, [1, 2])
      ok(x.api.JetPrepareUpdate(x.sesid, x.c, JET_prepReplace))
      ok(x.api.JetSetColumn(x.sesid, x.c, x.t.col.mv, enc.i32(3), 4, 0, { ibLongValue: 0, itagSequence: 10 }))
      ok(x.api.JetSetColumn(x.sesid, x.c, x.t.col.mv, enc.i32(20), 4, 0, { ibLongValue: 0, itagSequence: 2 }))
      ok(x.api.JetUpdate(x.sesid, x.c, null, 0))
      expect(x.all()).toEqual([1, 20, 3])
    })

    it("§4 JET_bitSetUniqueMultiValues with a value already present: JET_errMultiValuedDuplicate", () => {
      const x = mvRow(engine, [1, 2])
      ok(x.api.JetPrepareUpdate(x.sesid, x.c, JET_prepReplace))
      expectErr(
        x.api.JetSetColumn(x.sesid, x.c, x.t.col.mv, enc.i32(2), 4, JET_bitSetUniqueMultiValues, {
          ibLongValue: 0,
          itagSequence: 0
        }),
        codes.JET_errMultiValuedDuplicate
      )
      ok(
        x.api.JetSetColumn(x.sesid, x.c, x.t.col.mv, enc.i32(5), 4, JET_bitSetUniqueMultiValues, {
          ibLongValue: 0,
          itagSequence: 0
        })
      )
      ok(x.api.JetUpdate(x.sesid, x.c, null, 0))
      expect(x.all()).toEqual([1, 2, 5])
    })
  })

  describe("§4 long values", () => {
    it("§4 JetRetrieveColumn at ibLongValue copies from that offset", () => {
      const x = setup(engine)
      const data = Uint8Array.from({ length: 5000 }, (_, i) => i & 0xff)
      insert(x.api, x.sesid, x.c, [[x.t.col.id, enc.i32(1)], [x.t.col.lv, data]])
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveFirst, 0))
      const buffer = new Uint8Array(4)
      const r = x.api.JetRetrieveColumn(x.sesid, x.c, x.t.col.lv, buffer, 4, 0, {
        ibLongValue: 1000,
        itagSequence: 1
      })
      expect(r.err).toBeGreaterThanOrEqual(0)
      expect(hex(buffer)).toBe(hex(data.slice(1000, 1004)))
    })

    it("§4 JET_bitSetAppendLV appends to the long value", () => {
      const x = setup(engine)
      ok(x.api.JetPrepareUpdate(x.sesid, x.c, JET_prepInsert))
      ok(x.api.JetSetColumn(x.sesid, x.c, x.t.col.id, enc.i32(1), 4, 0, null))
      for (let i = 0; i < 4; i++) ok(x.api.JetSetColumn(x.sesid, x.c, x.t.col.lv, enc.bin(i, i), 2, 1, null))
      ok(x.api.JetUpdate(x.sesid, x.c, null, 0))
      ok(x.api.JetMove(x.sesid, x.c, JET_MoveFirst, 0))
      expect(hex(retrieve(x.api, x.sesid, x.c, x.t.col.lv))).toBe("00 00 01 01 02 02 03 03")
    })
  })

  describe("§4 escrow", () => {
    const escrowTable = (engine: Engine) => {
      const env = openEnv(engine)
      const t = createTable(env, "t", {
        id: { coltyp: JET_coltypLong },
        n: { coltyp: JET_coltypLong, grbit: JET_bitColumnEscrowUpdate, defaultValue: enc.i32(0) }
      }, [{ name: "pk", key: "+id", grbit: JET_bitIndexPrimary }])
      insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(1)]])
      return { env, t }
    }

    it("§4 JetEscrowUpdate adds the delta and returns the old value", () => {
      const { env, t } = escrowTable(engine)
      ok(env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0))
      const old = new Uint8Array(4)
      const r = ok(env.api.JetEscrowUpdate(env.sesid, t.tableid, t.col.n, enc.i32(5), 4, old, 4, 0))
      expect(r.cbOldActual).toBe(4)
      expect(dec.i32(old)).toBe(0)
      ok(env.api.JetEscrowUpdate(env.sesid, t.tableid, t.col.n, enc.i32(-2), 4, old, 4, 0))
      expect(dec.i32(old)).toBe(5)
      expect(dec.i32(must(retrieve(env.api, env.sesid, t.tableid, t.col.n)))).toBe(3)
    })

    it("§4 escrow updates from two sessions do not conflict; both deltas count", () => {
      const { env, t } = escrowTable(engine)
      const s2 = openSession(env)
      const c2 = ok(env.api.JetOpenTable(s2.sesid, s2.dbid, "t", 0)).tableid
      ok(env.api.JetBeginTransaction(env.sesid))
      ok(env.api.JetBeginTransaction(s2.sesid))
      ok(env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0))
      ok(env.api.JetMove(s2.sesid, c2, JET_MoveFirst, 0))
      ok(env.api.JetEscrowUpdate(env.sesid, t.tableid, t.col.n, enc.i32(1), 4, null, 0, 0))
      ok(env.api.JetEscrowUpdate(s2.sesid, c2, t.col.n, enc.i32(2), 4, null, 0, 0))
      ok(env.api.JetCommitTransaction(env.sesid, 0))
      ok(env.api.JetCommitTransaction(s2.sesid, 0))
      ok(env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0))
      expect(dec.i32(must(retrieve(env.api, env.sesid, t.tableid, t.col.n)))).toBe(3)
    })

    it("§4 a rolled back escrow delta is undone", () => {
      const { env, t } = escrowTable(engine)
      ok(env.api.JetBeginTransaction(env.sesid))
      ok(env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0))
      ok(env.api.JetEscrowUpdate(env.sesid, t.tableid, t.col.n, enc.i32(7), 4, null, 0, 0))
      ok(env.api.JetRollback(env.sesid, 0))
      ok(env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0))
      expect(dec.i32(must(retrieve(env.api, env.sesid, t.tableid, t.col.n)))).toBe(0)
    })
  })
})
