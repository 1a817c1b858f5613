/**
 * Facts from ManagedEsent's `EsentInteropTests/DMLCurrencyTests.cs` (class `DmlCurrencyTests`):
 * navigation, seeks, index ranges, bookmarks, update preparation and where a cursor stands after
 * inserts, deletes and updates, on a table of four Long columns (key, data1, data2, autoincrement)
 * with a clustered index on the key and two secondary indexes.
 *
 * Facts checked per engine: 419 (see `declareFacts` at the end; each `fact`/`factErr` is one).
 *
 * Conventions of the source file kept here: `insert(k)` stores data1 = 10·k and data2 = 10·data1;
 * `insert(k, d1)` stores data2 = 10·d1; every test runs inside a transaction begun by its setup.
 * A move or seek that ManagedEsent expects to succeed is checked with `ok` (not counted); the facts
 * are the records read back, the warnings of seeks and the error codes the source expects.
 */
import { describe, it } from "vitest"
import type { JetApi } from "../../../src/jet/api.ts"
import {
  JET_bitColumnAutoincrement,
  JET_bitIndexPrimary,
  JET_bitMoveKeyNE,
  JET_bitNewKey,
  JET_bitRangeInclusive,
  JET_bitRangeInstantDuration,
  JET_bitRangeRemove,
  JET_bitRangeUpperLimit,
  JET_bitSeekEQ,
  JET_bitSeekGE,
  JET_bitSeekGT,
  JET_bitSeekLE,
  JET_bitSeekLT,
  JET_bitSetIndexRange,
  JET_coltypLong,
  JET_MoveFirst,
  JET_MoveLast,
  JET_MoveNext,
  JET_MovePrevious,
  JET_prepCancel,
  JET_prepInsert,
  JET_prepInsertCopy,
  JET_prepInsertCopyDeleteOriginal,
  JET_prepReplace,
  JET_prepReplaceNoLock
} from "../../../src/jet/constants.ts"
import type { JET_COLUMNID, JET_DBID, JET_SESID, JET_TABLEID } from "../../../src/jet/handles.ts"
import type { Engine } from "../engines.ts"
import { codes, createTable, dec, enc, expectErr, forEachEngine, ok, openEnv } from "../harness.ts"
import { declareFacts, fact, factErr, onEngine } from "./facts.ts"

const E = codes
const { JET_wrnSeekNotEqual: SeekNotEqual } = codes

/** The source's `CreateTable`: its column and index names, kept. */
interface Dml {
  readonly api: JetApi
  readonly sesid: JET_SESID
  readonly dbid: JET_DBID
  readonly dbPath: string
  readonly instance: bigint
  readonly tableid: JET_TABLEID
  readonly key: JET_COLUMNID
  readonly data1: JET_COLUMNID
  readonly data2: JET_COLUMNID
  readonly autoinc: JET_COLUMNID
}

const secWithPrimary = "secondarywithprimary"
const secWithoutPrimary = "secondarywithoutprimary"

const setup = (engine: Engine): Dml => {
  const env = openEnv(engine)
  ok(env.api.JetBeginTransaction(env.sesid))
  const t = createTable(env, "table", {
    columnkey: { coltyp: JET_coltypLong },
    columndata1: { coltyp: JET_coltypLong },
    columndata2: { coltyp: JET_coltypLong },
    columnautoinc: { coltyp: JET_coltypLong, grbit: JET_bitColumnAutoincrement }
  }, [
    { name: "clustered", key: "+columnkey", grbit: JET_bitIndexPrimary },
    { name: secWithPrimary, key: "+columndata1-columnkey" },
    { name: secWithoutPrimary, key: "+columndata1+columndata2" }
  ])
  return {
    api: env.api,
    sesid: env.sesid,
    dbid: env.dbid,
    dbPath: env.dbPath,
    instance: env.instance,
    tableid: t.tableid,
    key: t.col.columnkey,
    data1: t.col.columndata1,
    data2: t.col.columndata2,
    autoinc: t.col.columnautoinc
  }
}

/** `InsertRecord`: inserts and returns the bookmark `JetUpdate` wrote. */
const insert = (
  x: Dml,
  tableid: JET_TABLEID,
  key: number,
  data1 = key * 10,
  data2 = data1 * 10
): Uint8Array => {
  ok(x.api.JetPrepareUpdate(x.sesid, tableid, JET_prepInsert))
  for (const [col, v] of [[x.key, key], [x.data1, data1], [x.data2, data2]] as const) {
    ok(x.api.JetSetColumn(x.sesid, tableid, col, enc.i32(v), 4, 0, null))
  }
  const bookmark = new Uint8Array(5)
  ok(x.api.JetUpdate(x.sesid, tableid, bookmark, bookmark.byteLength))
  return bookmark
}

const move = (x: Dml, tableid: JET_TABLEID, cRow: number, expected = 0, grbit = 0): void => {
  const r = x.api.JetMove(x.sesid, tableid, cRow, grbit)
  if (expected === 0) ok(r)
  else factErr(r, expected, "JetMove")
}

const makeKey = (x: Dml, tableid: JET_TABLEID, ...values: ReadonlyArray<number>): void => {
  values.forEach((v, i) => ok(x.api.JetMakeKey(x.sesid, tableid, enc.i32(v), 4, i === 0 ? JET_bitNewKey : 0)))
}

/** `SeekToRecordClustered`/`SecondarY`: the seek's code is a fact unless it must plainly succeed. */
const seek = (
  x: Dml,
  tableid: JET_TABLEID,
  key: ReadonlyArray<number>,
  grbit: number,
  expected: number
): void => {
  makeKey(x, tableid, ...key)
  factErr(x.api.JetSeek(x.sesid, tableid, grbit), expected, `JetSeek ${key.join(",")}`)
}

/** A plain seek-EQ the source expects to succeed (its helper without a fact). */
const seekTo = (x: Dml, tableid: JET_TABLEID, ...key: ReadonlyArray<number>): void => {
  makeKey(x, tableid, ...key)
  ok(x.api.JetSeek(x.sesid, tableid, JET_bitSeekEQ))
}

const setRange = (
  x: Dml,
  tableid: JET_TABLEID,
  key: ReadonlyArray<number>,
  grbit: number,
  expected = 0
): void => {
  makeKey(x, tableid, ...key)
  const r = x.api.JetSetIndexRange(x.sesid, tableid, grbit)
  if (expected === 0) ok(r)
  else factErr(r, expected, "JetSetIndexRange")
}

/**
 * `VerifyCurrentRecord`: reads the four columns with `JetRetrieveColumns`; either the error the
 * source expects, or key, data1 and data2 (4 bytes each) and, when given, the autoincrement value.
 */
const verify = (
  x: Dml,
  tableid: JET_TABLEID,
  expected: { key: number; data1?: number; data2?: number; autoinc?: number } | number
): void => {
  const buffers = [0, 1, 2, 3].map(() => new Uint8Array(4))
  const cols = [x.key, x.data1, x.data2, x.autoinc]
  const r = x.api.JetRetrieveColumns(
    x.sesid,
    tableid,
    cols.map((columnid, i) => ({ columnid, pvData: buffers[i] as Uint8Array, cbData: 4, itagSequence: 1 }))
  )
  if (typeof expected === "number") {
    factErr(r, expected, "JetRetrieveColumns")
    return
  }
  expectErr(r, 0)
  const data1 = expected.data1 ?? expected.key * 10
  const data2 = expected.data2 ?? data1 * 10
  const got = buffers.map((b) => dec.i32(b))
  fact(
    { key: got[0], data1: got[1], data2: got[2], sizes: r.columns.map((c) => c.cbActual) },
    { key: expected.key, data1, data2, sizes: [4, 4, 4, 4] },
    "current record"
  )
  if (expected.autoinc !== undefined) fact(got[3], expected.autoinc, "autoincrement")
}

/** A record given by key and data1 (data2 = 10·data1), as the source's two-argument verify. */
const r2 = (key: number, data1: number) => ({ key, data1 })
/** A record given by its three values. */
const r3 = (key: number, data1: number, data2: number) => ({ key, data1, data2 })

forEachEngine((engine) => {
  onEngine(engine.name)

  describe("DMLCurrencyTests.cs: navigation", () => {
    it("CreateTable helper: 1 table + 4 columns + 3 indexes created", () => {
      const env = openEnv(engine)
      const t = createTable(env, "table", {
        columnkey: { coltyp: JET_coltypLong },
        columndata1: { coltyp: JET_coltypLong },
        columndata2: { coltyp: JET_coltypLong },
        columnautoinc: { coltyp: JET_coltypLong, grbit: JET_bitColumnAutoincrement }
      }, [
        { name: "clustered", key: "+columnkey", grbit: JET_bitIndexPrimary },
        { name: secWithPrimary, key: "+columndata1-columnkey" },
        { name: secWithoutPrimary, key: "+columndata1+columndata2" }
      ])
      // createTable itself checks cCreated; the fact restated: distinct column ids.
      fact(new Set(Object.values(t.col)).size, 4, "distinct column ids")
    })

    it("InsertRecord helper: a Long primary key's bookmark is 5 bytes", () => {
      const x = setup(engine)
      ok(x.api.JetPrepareUpdate(x.sesid, x.tableid, JET_prepInsert))
      ok(x.api.JetSetColumn(x.sesid, x.tableid, x.key, enc.i32(1), 4, 0, null))
      const bookmark = new Uint8Array(256)
      fact(
        ok(x.api.JetUpdate(x.sesid, x.tableid, bookmark, bookmark.byteLength)).cbActual,
        5,
        "bookmark size"
      )
    })

    it("NavigationMoveFirstClustered", () => {
      const x = setup(engine)
      for (const k of [2, 1, 3]) insert(x, x.tableid, k)
      move(x, x.tableid, JET_MoveFirst)
      verify(x, x.tableid, { key: 1 })
    })

    it("NavigationMoveLastClustered", () => {
      const x = setup(engine)
      for (const k of [2, 3, 1]) insert(x, x.tableid, k)
      move(x, x.tableid, JET_MoveLast)
      verify(x, x.tableid, { key: 3 })
    })

    it("NavigationMoveNextClustered", () => {
      const x = setup(engine)
      for (const k of [2, 1, 3]) insert(x, x.tableid, k)
      move(x, x.tableid, JET_MoveFirst)
      move(x, x.tableid, JET_MoveNext)
      verify(x, x.tableid, { key: 2 })
    })

    it("NavigationMovePreviousClustered", () => {
      const x = setup(engine)
      for (const k of [2, 3, 1]) insert(x, x.tableid, k)
      move(x, x.tableid, JET_MoveLast)
      move(x, x.tableid, JET_MovePrevious)
      verify(x, x.tableid, { key: 2 })
    })

    it("NavigationMoveFirstSecondary", () => {
      const x = setup(engine)
      insert(x, x.tableid, 1, 10)
      insert(x, x.tableid, 2, 10)
      insert(x, x.tableid, -3, 30)
      ok(x.api.JetSetCurrentIndex4(x.sesid, x.tableid, secWithPrimary, 0, 1))
      move(x, x.tableid, JET_MoveFirst)
      verify(x, x.tableid, r2(2, 10))
    })

    it("NavigationMoveLastSecondary", () => {
      const x = setup(engine)
      insert(x, x.tableid, -2, 30)
      insert(x, x.tableid, -3, 30)
      insert(x, x.tableid, 1, 10)
      ok(x.api.JetSetCurrentIndex4(x.sesid, x.tableid, secWithPrimary, 0, 1))
      move(x, x.tableid, JET_MoveLast)
      verify(x, x.tableid, r2(-3, 30))
    })

    it("NavigationMoveNextSecondary", () => {
      const x = setup(engine)
      insert(x, x.tableid, 1, 10)
      insert(x, x.tableid, 2, 10)
      insert(x, x.tableid, -3, 30)
      ok(x.api.JetSetCurrentIndex4(x.sesid, x.tableid, secWithPrimary, 0, 1))
      move(x, x.tableid, JET_MoveFirst)
      move(x, x.tableid, JET_MoveNext)
      verify(x, x.tableid, r2(1, 10))
    })

    it("NavigationMovePreviousSecondary", () => {
      const x = setup(engine)
      insert(x, x.tableid, -2, 30)
      insert(x, x.tableid, -3, 30)
      insert(x, x.tableid, 1, 10)
      ok(x.api.JetSetCurrentIndex4(x.sesid, x.tableid, secWithPrimary, 0, 1))
      move(x, x.tableid, JET_MoveLast)
      move(x, x.tableid, JET_MovePrevious)
      verify(x, x.tableid, r2(-2, 30))
    })

    it("NavigationEmptyTableClustered", () => {
      const x = setup(engine)
      for (const m of [JET_MoveFirst, JET_MoveLast, JET_MovePrevious, JET_MoveNext]) {
        move(x, x.tableid, m, E.JET_errNoCurrentRecord)
      }
      for (const g of [JET_bitSeekEQ, JET_bitSeekGE, JET_bitSeekGT, JET_bitSeekLT, JET_bitSeekLE]) {
        seek(x, x.tableid, [1], g, E.JET_errRecordNotFound)
      }
      seek(x, x.tableid, [1], JET_bitSeekEQ | JET_bitSetIndexRange, E.JET_errRecordNotFound)
      setRange(x, x.tableid, [1], 0, E.JET_errNoCurrentRecord)
    })

    it("NavigationEmptyTableSecondary", () => {
      const x = setup(engine)
      ok(x.api.JetSetCurrentIndex4(x.sesid, x.tableid, secWithoutPrimary, 0, 1))
      for (const m of [JET_MoveFirst, JET_MoveLast, JET_MovePrevious, JET_MoveNext]) {
        move(x, x.tableid, m, E.JET_errNoCurrentRecord)
      }
      for (const g of [JET_bitSeekEQ, JET_bitSeekGE, JET_bitSeekGT, JET_bitSeekLT, JET_bitSeekLE]) {
        seek(x, x.tableid, [10, 100], g, E.JET_errRecordNotFound)
      }
      seek(x, x.tableid, [10, 100], JET_bitSeekEQ | JET_bitSetIndexRange, E.JET_errRecordNotFound)
      setRange(x, x.tableid, [10, 100], 0, E.JET_errNoCurrentRecord)
    })
  })

  describe("DMLCurrencyTests.cs: seeks on the clustered index", () => {
    it("NavigationSeekEqClustered", () => {
      const x = setup(engine)
      seek(x, x.tableid, [1], JET_bitSeekEQ, E.JET_errRecordNotFound)
      insert(x, x.tableid, 1)
      seek(x, x.tableid, [1], JET_bitSeekEQ, 0)
      verify(x, x.tableid, { key: 1 })
      insert(x, x.tableid, 3)
      seek(x, x.tableid, [0], JET_bitSeekEQ, E.JET_errRecordNotFound)
      seek(x, x.tableid, [1], JET_bitSeekEQ, 0)
      verify(x, x.tableid, { key: 1 })
      seek(x, x.tableid, [2], JET_bitSeekEQ, E.JET_errRecordNotFound)
      seek(x, x.tableid, [3], JET_bitSeekEQ, 0)
      verify(x, x.tableid, { key: 3 })
      seek(x, x.tableid, [4], JET_bitSeekEQ, E.JET_errRecordNotFound)
    })

    it("NavigationSeekLtClustered", () => {
      const x = setup(engine)
      seek(x, x.tableid, [1], JET_bitSeekLT, E.JET_errRecordNotFound)
      insert(x, x.tableid, 1)
      seek(x, x.tableid, [1], JET_bitSeekLT, E.JET_errRecordNotFound)
      insert(x, x.tableid, 3)
      seek(x, x.tableid, [0], JET_bitSeekLT, E.JET_errRecordNotFound)
      seek(x, x.tableid, [1], JET_bitSeekLT, E.JET_errRecordNotFound)
      for (const [k, expected] of [[2, 1], [3, 1], [4, 3], [5, 3]] as const) {
        seek(x, x.tableid, [k], JET_bitSeekLT, 0)
        verify(x, x.tableid, { key: expected })
      }
    })

    it("NavigationSeekLeClustered", () => {
      const x = setup(engine)
      seek(x, x.tableid, [1], JET_bitSeekLE, E.JET_errRecordNotFound)
      insert(x, x.tableid, 1)
      seek(x, x.tableid, [1], JET_bitSeekLE, 0)
      verify(x, x.tableid, { key: 1 })
      insert(x, x.tableid, 3)
      seek(x, x.tableid, [0], JET_bitSeekLE, E.JET_errRecordNotFound)
      for (
        const [k, warn, expected] of [[1, 0, 1], [2, SeekNotEqual, 1], [3, 0, 3], [4, SeekNotEqual, 3], [
          5,
          SeekNotEqual,
          3
        ]] as const
      ) {
        seek(x, x.tableid, [k], JET_bitSeekLE, warn)
        verify(x, x.tableid, { key: expected })
      }
    })

    it("NavigationSeekGtClustered", () => {
      const x = setup(engine)
      seek(x, x.tableid, [1], JET_bitSeekGT, E.JET_errRecordNotFound)
      insert(x, x.tableid, 1)
      seek(x, x.tableid, [1], JET_bitSeekGT, E.JET_errRecordNotFound)
      insert(x, x.tableid, 3)
      for (const [k, expected] of [[0, 1], [1, 3], [2, 3]] as const) {
        seek(x, x.tableid, [k], JET_bitSeekGT, 0)
        verify(x, x.tableid, { key: expected })
      }
      seek(x, x.tableid, [3], JET_bitSeekGT, E.JET_errRecordNotFound)
      seek(x, x.tableid, [4], JET_bitSeekGT, E.JET_errRecordNotFound)
    })

    it("NavigationSeekGeClustered", () => {
      const x = setup(engine)
      seek(x, x.tableid, [1], JET_bitSeekGE, E.JET_errRecordNotFound)
      insert(x, x.tableid, 1)
      seek(x, x.tableid, [1], JET_bitSeekGE, 0)
      verify(x, x.tableid, { key: 1 })
      insert(x, x.tableid, 3)
      for (
        const [k, warn, expected] of [[0, SeekNotEqual, 1], [1, 0, 1], [2, SeekNotEqual, 3], [
          3,
          0,
          3
        ]] as const
      ) {
        seek(x, x.tableid, [k], JET_bitSeekGE, warn)
        verify(x, x.tableid, { key: expected })
      }
      seek(x, x.tableid, [4], JET_bitSeekGE, E.JET_errRecordNotFound)
      seek(x, x.tableid, [5], JET_bitSeekGE, E.JET_errRecordNotFound)
    })

    it("NavigationSeekSetIndexRangeClustered: leaving the range removes it, after the last entry", () => {
      const x = setup(engine)
      for (const k of [1, 2, 3]) insert(x, x.tableid, k)
      seek(x, x.tableid, [2], JET_bitSeekEQ | JET_bitSetIndexRange, 0)
      verify(x, x.tableid, { key: 2 })
      move(x, x.tableid, JET_MoveNext, E.JET_errNoCurrentRecord)
      verify(x, x.tableid, E.JET_errNoCurrentRecord)
      move(x, x.tableid, JET_MoveNext, E.JET_errNoCurrentRecord)
      verify(x, x.tableid, E.JET_errNoCurrentRecord)
      move(x, x.tableid, JET_MovePrevious)
      verify(x, x.tableid, { key: 3 })
      move(x, x.tableid, JET_MovePrevious)
      verify(x, x.tableid, { key: 2 })
      move(x, x.tableid, JET_MoveNext)
      verify(x, x.tableid, { key: 3 })
    })
  })

  describe("DMLCurrencyTests.cs: seeks on a secondary index", () => {
    /** The five records the secondary seek tests insert, in their order. */
    const fill = (x: Dml): void => {
      insert(x, x.tableid, 3, 30, 200)
      insert(x, x.tableid, 1, 10, 100)
      insert(x, x.tableid, 4, 20, 201)
    }
    const begin = (x: Dml): void => {
      ok(x.api.JetSetCurrentIndex4(x.sesid, x.tableid, secWithoutPrimary, 0, 1))
    }

    it("NavigationSeekEqSecondary", () => {
      const x = setup(engine)
      begin(x)
      seek(x, x.tableid, [10, 100], JET_bitSeekEQ, E.JET_errRecordNotFound)
      insert(x, x.tableid, 5, 20, 200)
      insert(x, x.tableid, 2, 20, 200)
      seek(x, x.tableid, [20, 200], JET_bitSeekEQ, 0)
      verify(x, x.tableid, r3(2, 20, 200))
      fill(x)
      seek(x, x.tableid, [20, 100], JET_bitSeekEQ, E.JET_errRecordNotFound)
      seek(x, x.tableid, [20, 200], JET_bitSeekEQ, 0)
      verify(x, x.tableid, r3(2, 20, 200))
      move(x, x.tableid, JET_MoveNext)
      verify(x, x.tableid, r3(5, 20, 200))
      seek(x, x.tableid, [20, 300], JET_bitSeekEQ, E.JET_errRecordNotFound)
      verify(x, x.tableid, E.JET_errNoCurrentRecord)
    })

    it("NavigationSeekLtSecondary", () => {
      const x = setup(engine)
      begin(x)
      seek(x, x.tableid, [10, 100], JET_bitSeekLT, E.JET_errRecordNotFound)
      insert(x, x.tableid, 5, 20, 200)
      insert(x, x.tableid, 2, 20, 200)
      seek(x, x.tableid, [20, 200], JET_bitSeekLT, E.JET_errRecordNotFound)
      verify(x, x.tableid, E.JET_errNoCurrentRecord)
      fill(x)
      seek(x, x.tableid, [9, 100], JET_bitSeekLT, E.JET_errRecordNotFound)
      verify(x, x.tableid, E.JET_errNoCurrentRecord)
      for (
        const [k, expected] of [
          [[20, 100], r3(1, 10, 100)],
          [[20, 200], r3(1, 10, 100)],
          [[20, 201], r3(5, 20, 200)],
          [[20, 300], r3(4, 20, 201)],
          [[40, 100], r3(3, 30, 200)]
        ] as const
      ) {
        seek(x, x.tableid, k, JET_bitSeekLT, 0)
        verify(x, x.tableid, expected)
      }
    })

    it("NavigationSeekLeSecondary", () => {
      const x = setup(engine)
      begin(x)
      seek(x, x.tableid, [10, 100], JET_bitSeekLE, E.JET_errRecordNotFound)
      insert(x, x.tableid, 5, 20, 200)
      insert(x, x.tableid, 2, 20, 200)
      seek(x, x.tableid, [20, 200], JET_bitSeekLE, 0)
      verify(x, x.tableid, r3(2, 20, 200))
      fill(x)
      seek(x, x.tableid, [9, 100], JET_bitSeekLE, E.JET_errRecordNotFound)
      verify(x, x.tableid, E.JET_errNoCurrentRecord)
      for (
        const [k, warn, expected] of [
          [[20, 100], SeekNotEqual, r3(1, 10, 100)],
          [[20, 200], 0, r3(2, 20, 200)],
          [[20, 201], 0, r3(4, 20, 201)],
          [[20, 300], SeekNotEqual, r3(4, 20, 201)],
          [[40, 100], SeekNotEqual, r3(3, 30, 200)]
        ] as const
      ) {
        seek(x, x.tableid, k, JET_bitSeekLE, warn)
        verify(x, x.tableid, expected)
      }
    })

    it("NavigationSeekGtSecondary", () => {
      const x = setup(engine)
      begin(x)
      seek(x, x.tableid, [10, 100], JET_bitSeekGT, E.JET_errRecordNotFound)
      insert(x, x.tableid, 5, 20, 200)
      insert(x, x.tableid, 2, 20, 200)
      seek(x, x.tableid, [20, 200], JET_bitSeekGT, E.JET_errRecordNotFound)
      verify(x, x.tableid, E.JET_errNoCurrentRecord)
      fill(x)
      for (
        const [k, expected] of [
          [[9, 100], r3(1, 10, 100)],
          [[20, 100], r3(2, 20, 200)],
          [[20, 200], r3(4, 20, 201)],
          [[20, 201], r3(3, 30, 200)],
          [[20, 300], r3(3, 30, 200)]
        ] as const
      ) {
        seek(x, x.tableid, k, JET_bitSeekGT, 0)
        verify(x, x.tableid, expected)
      }
      seek(x, x.tableid, [40, 100], JET_bitSeekGT, E.JET_errRecordNotFound)
      verify(x, x.tableid, E.JET_errNoCurrentRecord)
    })

    it("NavigationSeekGeSecondary", () => {
      const x = setup(engine)
      begin(x)
      seek(x, x.tableid, [10, 100], JET_bitSeekGE, E.JET_errRecordNotFound)
      insert(x, x.tableid, 5, 20, 200)
      insert(x, x.tableid, 2, 20, 200)
      seek(x, x.tableid, [20, 200], JET_bitSeekGE, 0)
      verify(x, x.tableid, r3(2, 20, 200))
      fill(x)
      for (
        const [k, warn, expected] of [
          [[9, 100], SeekNotEqual, r3(1, 10, 100)],
          [[20, 100], SeekNotEqual, r3(2, 20, 200)],
          [[20, 200], 0, r3(2, 20, 200)],
          [[20, 201], 0, r3(4, 20, 201)],
          [[20, 300], SeekNotEqual, r3(3, 30, 200)]
        ] as const
      ) {
        seek(x, x.tableid, k, JET_bitSeekGE, warn)
        verify(x, x.tableid, expected)
      }
      seek(x, x.tableid, [40, 100], JET_bitSeekGE, E.JET_errRecordNotFound)
      verify(x, x.tableid, E.JET_errNoCurrentRecord)
    })

    it("NavigationSeekSetIndexRangeSecondary", () => {
      const x = setup(engine)
      begin(x)
      insert(x, x.tableid, 5, 20, 200)
      insert(x, x.tableid, 2, 20, 200)
      fill(x)
      seek(x, x.tableid, [20, 200], JET_bitSeekEQ | JET_bitSetIndexRange, 0)
      verify(x, x.tableid, r3(2, 20, 200))
      move(x, x.tableid, JET_MoveNext)
      verify(x, x.tableid, r3(5, 20, 200))
      move(x, x.tableid, JET_MoveNext, E.JET_errNoCurrentRecord)
      verify(x, x.tableid, E.JET_errNoCurrentRecord)
      move(x, x.tableid, JET_MoveNext, E.JET_errNoCurrentRecord)
      verify(x, x.tableid, E.JET_errNoCurrentRecord)
      move(x, x.tableid, JET_MovePrevious)
      verify(x, x.tableid, r3(3, 30, 200))
      move(x, x.tableid, JET_MovePrevious)
      verify(x, x.tableid, r3(4, 20, 201))
      move(x, x.tableid, JET_MovePrevious)
      verify(x, x.tableid, r3(5, 20, 200))
      move(x, x.tableid, JET_MoveNext)
      verify(x, x.tableid, r3(4, 20, 201))
    })
  })

  describe("DMLCurrencyTests.cs: bookmarks and MoveKeyNE", () => {
    it("BookmarksClustered", () => {
      const x = setup(engine)
      insert(x, x.tableid, 1)
      const bookmark = insert(x, x.tableid, 2)
      insert(x, x.tableid, 3)
      ok(x.api.JetGotoBookmark(x.sesid, x.tableid, bookmark, bookmark.byteLength))
      verify(x, x.tableid, { key: 2 })
      move(x, x.tableid, JET_MovePrevious)
      verify(x, x.tableid, { key: 1 })
      fact(
        ok(x.api.JetGetBookmark(x.sesid, x.tableid, bookmark, bookmark.byteLength)).cbActual,
        5,
        "bookmark size"
      )
      move(x, x.tableid, JET_MoveLast)
      verify(x, x.tableid, { key: 3 })
      ok(x.api.JetGotoBookmark(x.sesid, x.tableid, bookmark, bookmark.byteLength))
      verify(x, x.tableid, { key: 1 })
    })

    it("BookmarksSecondary", () => {
      const x = setup(engine)
      insert(x, x.tableid, 2, 10)
      const bookmark = insert(x, x.tableid, 1, 10)
      insert(x, x.tableid, -3, 30)
      ok(x.api.JetSetCurrentIndex4(x.sesid, x.tableid, secWithPrimary, 0, 1))
      ok(x.api.JetGotoBookmark(x.sesid, x.tableid, bookmark, bookmark.byteLength))
      verify(x, x.tableid, r2(1, 10))
      move(x, x.tableid, JET_MovePrevious)
      verify(x, x.tableid, r2(2, 10))
      fact(
        ok(x.api.JetGetBookmark(x.sesid, x.tableid, bookmark, bookmark.byteLength)).cbActual,
        5,
        "bookmark size"
      )
      move(x, x.tableid, JET_MoveLast)
      verify(x, x.tableid, r2(-3, 30))
      ok(x.api.JetGotoBookmark(x.sesid, x.tableid, bookmark, bookmark.byteLength))
      verify(x, x.tableid, r2(2, 10))
    })

    it("JetMoveWithMoveKeyNeClustered: a new cursor reads the first record", () => {
      const x = setup(engine)
      for (const k of [1, 2, 3]) insert(x, x.tableid, k)
      verify(x, x.tableid, { key: 1 })
      move(x, x.tableid, JET_MoveNext, 0, JET_bitMoveKeyNE)
      verify(x, x.tableid, { key: 2 })
      move(x, x.tableid, JET_MoveNext, 0, JET_bitMoveKeyNE)
      verify(x, x.tableid, { key: 3 })
      for (let i = 0; i < 2; i++) {
        move(x, x.tableid, JET_MoveNext, E.JET_errNoCurrentRecord, JET_bitMoveKeyNE)
        verify(x, x.tableid, E.JET_errNoCurrentRecord)
      }
      for (const k of [3, 2, 1]) {
        move(x, x.tableid, JET_MovePrevious, 0, JET_bitMoveKeyNE)
        verify(x, x.tableid, { key: k })
      }
      for (let i = 0; i < 2; i++) {
        move(x, x.tableid, JET_MovePrevious, E.JET_errNoCurrentRecord, JET_bitMoveKeyNE)
        verify(x, x.tableid, E.JET_errNoCurrentRecord)
      }
      move(x, x.tableid, JET_MoveNext, 0, JET_bitMoveKeyNE)
      verify(x, x.tableid, { key: 1 })
    })

    it("JetMoveWithMoveKeyNeSecondary: JetSetCurrentIndex puts the cursor on the index's first entry", () => {
      const x = setup(engine)
      for (
        const [k, d1, d2] of [[3, 30, 300], [6, 20, 200], [2, 10, 100], [4, 20, 200], [1, 20, 200], [
          5,
          30,
          300
        ]]
      ) {
        insert(x, x.tableid, k as number, d1, d2)
      }
      verify(x, x.tableid, r3(1, 20, 200))
      ok(x.api.JetSetCurrentIndex4(x.sesid, x.tableid, secWithoutPrimary, 0, 1))
      verify(x, x.tableid, r3(2, 10, 100))
      move(x, x.tableid, JET_MoveNext, 0, JET_bitMoveKeyNE)
      verify(x, x.tableid, r3(1, 20, 200))
      move(x, x.tableid, JET_MoveNext)
      verify(x, x.tableid, r3(4, 20, 200))
      move(x, x.tableid, JET_MoveNext, 0, JET_bitMoveKeyNE)
      verify(x, x.tableid, r3(3, 30, 300))
      for (let i = 0; i < 2; i++) {
        move(x, x.tableid, JET_MoveNext, E.JET_errNoCurrentRecord, JET_bitMoveKeyNE)
        verify(x, x.tableid, E.JET_errNoCurrentRecord)
      }
      move(x, x.tableid, JET_MovePrevious, 0, JET_bitMoveKeyNE)
      verify(x, x.tableid, r3(5, 30, 300))
      move(x, x.tableid, JET_MovePrevious)
      verify(x, x.tableid, r3(3, 30, 300))
      move(x, x.tableid, JET_MovePrevious, 0, JET_bitMoveKeyNE)
      verify(x, x.tableid, r3(6, 20, 200))
      move(x, x.tableid, JET_MovePrevious, 0, JET_bitMoveKeyNE)
      verify(x, x.tableid, r3(2, 10, 100))
      for (let i = 0; i < 2; i++) {
        move(x, x.tableid, JET_MovePrevious, E.JET_errNoCurrentRecord, JET_bitMoveKeyNE)
        verify(x, x.tableid, E.JET_errNoCurrentRecord)
      }
      move(x, x.tableid, JET_MoveNext, 0, JET_bitMoveKeyNE)
      verify(x, x.tableid, r3(2, 10, 100))
    })
  })

  describe("DMLCurrencyTests.cs: update preparation", () => {
    it("JetSetColumnWithoutJetPrepareUpdateExpectEsentUpdateNotPreparedException", () => {
      const x = setup(engine)
      factErr(
        x.api.JetSetColumn(x.sesid, x.tableid, x.data1, enc.i32(10), 4, 0, null),
        E.JET_errUpdateNotPrepared
      )
    })

    it("JetUpdateWithoutJetPrepareUpdateExpectEsentUpdateNotPreparedException", () => {
      const x = setup(engine)
      factErr(x.api.JetUpdate(x.sesid, x.tableid, null, 0), E.JET_errUpdateNotPrepared)
    })

    it("JetPrepareUpdateFlagsInsert: the first autoincrement value is 1", () => {
      const x = setup(engine)
      const bookmark = insert(x, x.tableid, 10, 100, 1000)
      ok(x.api.JetGotoBookmark(x.sesid, x.tableid, bookmark, bookmark.byteLength))
      verify(x, x.tableid, { key: 10, data1: 100, data2: 1000, autoinc: 1 })
    })

    /** Commits the setup's table, reopens it, and opens a second session on the record. */
    const twoSessions = (x: Dml, bookmark: Uint8Array) => {
      ok(x.api.JetCloseTable(x.sesid, x.tableid))
      ok(x.api.JetCommitTransaction(x.sesid, 0))
      ok(x.api.JetBeginTransaction(x.sesid))
      const t1 = ok(x.api.JetOpenTable(x.sesid, x.dbid, "table", 0)).tableid
      const s2 = ok(x.api.JetBeginSession(x.instance as never, null, null)).sesid
      const db2 = ok(x.api.JetOpenDatabase(s2, x.dbPath, null, 0)).dbid
      ok(x.api.JetBeginTransaction(s2))
      const t2 = ok(x.api.JetOpenTable(s2, db2, "table", 0)).tableid
      ok(x.api.JetGotoBookmark(s2, t2, bookmark, bookmark.byteLength))
      ok(x.api.JetGotoBookmark(x.sesid, t1, bookmark, bookmark.byteLength))
      return { t1, s2, t2 }
    }

    it("JetPrepareUpdateFlagsReplace: the second session's Replace conflicts at JetPrepareUpdate", () => {
      const x = setup(engine)
      const bookmark = insert(x, x.tableid, 10, 100, 1000)
      const { s2, t1, t2 } = twoSessions(x, bookmark)
      ok(x.api.JetPrepareUpdate(x.sesid, t1, JET_prepReplace))
      factErr(x.api.JetPrepareUpdate(s2, t2, JET_prepReplace), E.JET_errWriteConflict)
      ok(x.api.JetSetColumn(x.sesid, t1, x.data1, enc.i32(200), 4, 0, null))
      ok(x.api.JetSetColumn(x.sesid, t1, x.data2, enc.i32(2000), 4, 0, null))
      ok(x.api.JetUpdate(x.sesid, t1, null, 0))
      verify(x, t1, { key: 10, data1: 200, data2: 2000, autoinc: 1 })
      ok(x.api.JetRollback(s2, 0))
      ok(x.api.JetEndSession(s2, 0))
    })

    it("JetPrepareUpdateFlagsReplaceNoLock: the later JetUpdate conflicts, the first one's values stay", () => {
      const x = setup(engine)
      const bookmark = insert(x, x.tableid, 10, 100, 1000)
      const { s2, t1, t2 } = twoSessions(x, bookmark)
      ok(x.api.JetPrepareUpdate(x.sesid, t1, JET_prepReplaceNoLock))
      ok(x.api.JetPrepareUpdate(s2, t2, JET_prepReplaceNoLock))
      ok(x.api.JetSetColumn(s2, t2, x.data1, enc.i32(300), 4, 0, null))
      ok(x.api.JetSetColumn(s2, t2, x.data2, enc.i32(3000), 4, 0, null))
      ok(x.api.JetSetColumn(x.sesid, t1, x.data1, enc.i32(200), 4, 0, null))
      ok(x.api.JetSetColumn(x.sesid, t1, x.data2, enc.i32(2000), 4, 0, null))
      ok(x.api.JetUpdate(s2, t2, null, 0))
      factErr(x.api.JetUpdate(x.sesid, t1, null, 0), E.JET_errWriteConflict)
      ok(x.api.JetCommitTransaction(x.sesid, 0))
      ok(x.api.JetCommitTransaction(s2, 0))
      ok(x.api.JetBeginTransaction(x.sesid))
      verify(x, t1, { key: 10, data1: 300, data2: 3000, autoinc: 1 })
      ok(x.api.JetEndSession(s2, 0))
    })

    it("JetPrepareUpdateFlagsInsertCopy: the copy gets the next autoincrement value", () => {
      const x = setup(engine)
      const bookmark = insert(x, x.tableid, 10, 100, 1000)
      ok(x.api.JetGotoBookmark(x.sesid, x.tableid, bookmark, bookmark.byteLength))
      ok(x.api.JetPrepareUpdate(x.sesid, x.tableid, JET_prepInsertCopy))
      ok(x.api.JetSetColumn(x.sesid, x.tableid, x.key, enc.i32(20), 4, 0, null))
      ok(x.api.JetSetColumn(x.sesid, x.tableid, x.data2, enc.i32(2000), 4, 0, null))
      ok(x.api.JetUpdate(x.sesid, x.tableid, null, 0))
      move(x, x.tableid, JET_MoveFirst)
      verify(x, x.tableid, { key: 10, data1: 100, data2: 1000, autoinc: 1 })
      move(x, x.tableid, JET_MoveNext)
      verify(x, x.tableid, { key: 20, data1: 100, data2: 2000, autoinc: 2 })
    })

    it("JetPrepareUpdateFlagsInsertCopyWithoutPrimaryKeyThrowsEsentKeyDuplicateException", () => {
      const x = setup(engine)
      const bookmark = insert(x, x.tableid, 10, 100, 1000)
      ok(x.api.JetGotoBookmark(x.sesid, x.tableid, bookmark, bookmark.byteLength))
      ok(x.api.JetPrepareUpdate(x.sesid, x.tableid, JET_prepInsertCopy))
      ok(x.api.JetSetColumn(x.sesid, x.tableid, x.data2, enc.i32(2000), 4, 0, null))
      factErr(x.api.JetUpdate(x.sesid, x.tableid, null, 0), E.JET_errKeyDuplicate)
      ok(x.api.JetPrepareUpdate(x.sesid, x.tableid, JET_prepCancel))
      move(x, x.tableid, JET_MoveFirst)
      verify(x, x.tableid, { key: 10, data1: 100, data2: 1000, autoinc: 1 })
      move(x, x.tableid, JET_MoveNext, E.JET_errNoCurrentRecord)
    })

    it("JetPrepareUpdateFlagsInsertCopyDeleteOriginal: the copy has a new autoincrement value", () => {
      const x = setup(engine)
      const bookmark = insert(x, x.tableid, 10, 100, 1000)
      ok(x.api.JetGotoBookmark(x.sesid, x.tableid, bookmark, bookmark.byteLength))
      ok(x.api.JetPrepareUpdate(x.sesid, x.tableid, JET_prepInsertCopyDeleteOriginal))
      ok(x.api.JetSetColumn(x.sesid, x.tableid, x.key, enc.i32(20), 4, 0, null))
      ok(x.api.JetSetColumn(x.sesid, x.tableid, x.data2, enc.i32(2000), 4, 0, null))
      ok(x.api.JetUpdate(x.sesid, x.tableid, null, 0))
      move(x, x.tableid, JET_MoveFirst)
      verify(x, x.tableid, { key: 20, data1: 100, data2: 2000, autoinc: 2 })
      move(x, x.tableid, JET_MoveNext, E.JET_errNoCurrentRecord)
    })

    it("JetPrepareUpdateFlagsInsertCopyDeleteOriginalWithoutPrimaryKeyWorks", () => {
      const x = setup(engine)
      const bookmark = insert(x, x.tableid, 10, 100, 1000)
      ok(x.api.JetGotoBookmark(x.sesid, x.tableid, bookmark, bookmark.byteLength))
      ok(x.api.JetPrepareUpdate(x.sesid, x.tableid, JET_prepInsertCopyDeleteOriginal))
      ok(x.api.JetSetColumn(x.sesid, x.tableid, x.data2, enc.i32(2000), 4, 0, null))
      factErr(x.api.JetUpdate(x.sesid, x.tableid, null, 0), 0, "JetUpdate with the key unchanged")
      move(x, x.tableid, JET_MoveFirst)
      verify(x, x.tableid, { key: 10, data1: 100, data2: 2000, autoinc: 2 })
      move(x, x.tableid, JET_MoveNext, E.JET_errNoCurrentRecord)
    })

    it("JetPrepareUpdateFlagsCancel: a cancelled update leaves the record and no update prepared", () => {
      const x = setup(engine)
      const bookmark = insert(x, x.tableid, 10, 100, 1000)
      ok(x.api.JetGotoBookmark(x.sesid, x.tableid, bookmark, bookmark.byteLength))
      ok(x.api.JetPrepareUpdate(x.sesid, x.tableid, JET_prepReplace))
      ok(x.api.JetSetColumn(x.sesid, x.tableid, x.data1, enc.i32(200), 4, 0, null))
      ok(x.api.JetSetColumn(x.sesid, x.tableid, x.data2, enc.i32(2000), 4, 0, null))
      ok(x.api.JetPrepareUpdate(x.sesid, x.tableid, JET_prepCancel))
      factErr(
        x.api.JetSetColumn(x.sesid, x.tableid, x.data2, enc.i32(2000), 4, 0, null),
        E.JET_errUpdateNotPrepared
      )
      verify(x, x.tableid, { key: 10, data1: 100, data2: 1000, autoinc: 1 })
    })
  })

  describe("DMLCurrencyTests.cs: index ranges", () => {
    it("JetSetIndexRangeWithoutKeyExpectEsentKeyNotMadeException", () => {
      const x = setup(engine)
      factErr(x.api.JetSetIndexRange(x.sesid, x.tableid, 0), E.JET_errKeyNotMade)
    })

    it("RemovesNonEstablishedIndexRangeExpectEsentInvalidOperationException", () => {
      const x = setup(engine)
      factErr(x.api.JetSetIndexRange(x.sesid, x.tableid, JET_bitRangeRemove), E.JET_errInvalidOperation)
    })

    /**
     * The four clustered range tests: set the range on an empty table (no current record), fill
     * 1..4, seek `from`, set the range to `limit`, then walk; `path` lists each move and what the
     * cursor then reads (a key or an error).
     */
    const clusteredRange = (
      from: number,
      limit: number,
      grbit: number,
      path: ReadonlyArray<readonly [number, number | { key: number }]>
    ) => {
      const x = setup(engine)
      setRange(x, x.tableid, [limit], grbit, E.JET_errNoCurrentRecord)
      for (const k of [1, 2, 3, 4]) insert(x, x.tableid, k)
      seekTo(x, x.tableid, from)
      setRange(x, x.tableid, [limit], grbit)
      verify(x, x.tableid, { key: from })
      for (const [m, then] of path) {
        move(x, x.tableid, m, typeof then === "number" ? then : 0)
        verify(x, x.tableid, then)
      }
    }
    const NCR = E.JET_errNoCurrentRecord

    it("JetSetIndexRangeExclusiveLowerLimitClustered: leaving the range leaves the cursor before the first", () => {
      clusteredRange(3, 1, 0, [
        [JET_MovePrevious, { key: 2 }],
        [JET_MovePrevious, NCR],
        [JET_MoveNext, { key: 1 }],
        [JET_MoveNext, { key: 2 }],
        [JET_MovePrevious, { key: 1 }]
      ])
    })

    it("JetSetIndexRangeExclusiveUpperLimitClustered: leaving the range leaves the cursor after the last", () => {
      clusteredRange(2, 4, JET_bitRangeUpperLimit, [
        [JET_MoveNext, { key: 3 }],
        [JET_MoveNext, NCR],
        [JET_MovePrevious, { key: 4 }],
        [JET_MovePrevious, { key: 3 }],
        [JET_MoveNext, { key: 4 }]
      ])
    })

    it("JetSetIndexRangeInclusiveLowerLimitClustered", () => {
      clusteredRange(3, 2, JET_bitRangeInclusive, [
        [JET_MovePrevious, { key: 2 }],
        [JET_MovePrevious, NCR],
        [JET_MoveNext, { key: 1 }],
        [JET_MoveNext, { key: 2 }],
        [JET_MovePrevious, { key: 1 }]
      ])
    })

    it("JetSetIndexRangeInclusiveUpperLimitClustered", () => {
      clusteredRange(2, 3, JET_bitRangeInclusive | JET_bitRangeUpperLimit, [
        [JET_MoveNext, { key: 3 }],
        [JET_MoveNext, NCR],
        [JET_MovePrevious, { key: 4 }],
        [JET_MovePrevious, { key: 3 }],
        [JET_MoveNext, { key: 4 }]
      ])
    })

    it("JetSetIndexRangeRemoveIndexRangeClustered", () => {
      const x = setup(engine)
      for (const k of [1, 2, 3, 4]) insert(x, x.tableid, k)
      seekTo(x, x.tableid, 3)
      setRange(x, x.tableid, [1], 0)
      verify(x, x.tableid, { key: 3 })
      move(x, x.tableid, JET_MovePrevious)
      verify(x, x.tableid, { key: 2 })
      ok(x.api.JetSetIndexRange(x.sesid, x.tableid, JET_bitRangeRemove))
      move(x, x.tableid, JET_MovePrevious)
      verify(x, x.tableid, { key: 1 })
      move(x, x.tableid, JET_MoveNext)
      verify(x, x.tableid, { key: 2 })
    })

    it("JetSetIndexRangeRemoveIndexRangeInstantlyClustered", () => {
      const x = setup(engine)
      for (const k of [1, 2, 3, 4]) insert(x, x.tableid, k)
      seekTo(x, x.tableid, 3)
      setRange(x, x.tableid, [1], JET_bitRangeInstantDuration)
      for (
        const [m, k] of [[0, 3], [JET_MovePrevious, 2], [JET_MovePrevious, 1], [JET_MoveNext, 2]] as const
      ) {
        if (m !== 0) move(x, x.tableid, m)
        verify(x, x.tableid, { key: k })
      }
    })

    /** The secondary range tests' five records, inserted after the range failed on the empty table. */
    const secondaryRange = (
      from: readonly [number, number],
      limit: readonly [number, number],
      grbit: number,
      start: { key: number; data1: number; data2: number },
      path: ReadonlyArray<readonly [number, number | { key: number; data1: number; data2: number }]>,
      emptyFirst = true
    ) => {
      const x = setup(engine)
      ok(x.api.JetSetCurrentIndex4(x.sesid, x.tableid, secWithoutPrimary, 0, 1))
      if (emptyFirst) setRange(x, x.tableid, limit, grbit, E.JET_errNoCurrentRecord)
      for (
        const [k, d1, d2] of [[3, 10, 100], [4, 20, 200], [1, 20, 200], [2, 30, 300], [5, 40, 400]] as const
      ) {
        insert(x, x.tableid, k, d1, d2)
      }
      seekTo(x, x.tableid, ...from)
      setRange(x, x.tableid, limit, grbit)
      verify(x, x.tableid, start)
      for (const [m, then] of path) {
        move(x, x.tableid, m, typeof then === "number" ? then : 0)
        verify(x, x.tableid, then)
      }
      return x
    }

    it("JetSetIndexRangeExclusiveLowerLimitSecondary", () => {
      secondaryRange([30, 300], [10, 100], 0, r3(2, 30, 300), [
        [JET_MovePrevious, r3(4, 20, 200)],
        [JET_MovePrevious, r3(1, 20, 200)],
        [JET_MovePrevious, NCR],
        [JET_MoveNext, r3(3, 10, 100)],
        [JET_MoveNext, r3(1, 20, 200)],
        [JET_MovePrevious, r3(3, 10, 100)]
      ])
    })

    it("JetSetIndexRangeExclusiveUpperLimitSecondary", () => {
      secondaryRange([20, 200], [40, 400], JET_bitRangeUpperLimit, r3(1, 20, 200), [
        [JET_MoveNext, r3(4, 20, 200)],
        [JET_MoveNext, r3(2, 30, 300)],
        [JET_MoveNext, NCR],
        [JET_MovePrevious, r3(5, 40, 400)],
        [JET_MovePrevious, r3(2, 30, 300)],
        [JET_MoveNext, r3(5, 40, 400)]
      ])
    })

    it("JetSetIndexRangeInclusiveLowerLimitSecondary", () => {
      secondaryRange([30, 300], [20, 200], JET_bitRangeInclusive, r3(2, 30, 300), [
        [JET_MovePrevious, r3(4, 20, 200)],
        [JET_MovePrevious, r3(1, 20, 200)],
        [JET_MovePrevious, NCR],
        [JET_MoveNext, r3(3, 10, 100)],
        [JET_MoveNext, r3(1, 20, 200)],
        [JET_MovePrevious, r3(3, 10, 100)]
      ])
    })

    it("JetSetIndexRangeInclusiveUpperLimitSecondary", () => {
      secondaryRange([20, 200], [30, 300], JET_bitRangeInclusive | JET_bitRangeUpperLimit, r3(1, 20, 200), [
        [JET_MoveNext, r3(4, 20, 200)],
        [JET_MoveNext, r3(2, 30, 300)],
        [JET_MoveNext, NCR],
        [JET_MovePrevious, r3(5, 40, 400)],
        [JET_MovePrevious, r3(2, 30, 300)],
        [JET_MoveNext, r3(5, 40, 400)]
      ])
    })

    it("JetSetIndexRangeRemoveIndexRangeSecondary", () => {
      const x = secondaryRange([30, 300], [10, 100], 0, r3(2, 30, 300), [
        [JET_MovePrevious, r3(4, 20, 200)],
        [JET_MovePrevious, r3(1, 20, 200)]
      ])
      ok(x.api.JetSetIndexRange(x.sesid, x.tableid, JET_bitRangeRemove))
      for (
        const [m, then] of [[JET_MovePrevious, r3(3, 10, 100)], [JET_MoveNext, r3(1, 20, 200)], [
          JET_MovePrevious,
          r3(3, 10, 100)
        ]] as const
      ) {
        move(x, x.tableid, m)
        verify(x, x.tableid, then)
      }
    })

    it("JetSetIndexRangeRemoveIndexRangeInstantlySecondary", () => {
      secondaryRange([30, 300], [10, 100], JET_bitRangeInstantDuration, r3(2, 30, 300), [
        [JET_MovePrevious, r3(4, 20, 200)],
        [JET_MovePrevious, r3(1, 20, 200)],
        [JET_MovePrevious, r3(3, 10, 100)],
        [JET_MoveNext, r3(1, 20, 200)],
        [JET_MovePrevious, r3(3, 10, 100)]
      ])
    })
  })

  describe("DMLCurrencyTests.cs: cursor position after inserts, deletes and updates", () => {
    it("CursorPositionAfterInsertClustered: a new cursor is on the first record; an insert does not move it", () => {
      const x = setup(engine)
      for (const k of [3, 1, 2]) insert(x, x.tableid, k)
      verify(x, x.tableid, { key: 1 })
      insert(x, x.tableid, 0)
      verify(x, x.tableid, { key: 1 })
    })

    it("CursorPositionAfterDeleteClustered", () => {
      const x = setup(engine)
      for (const k of [3, 1, 2]) insert(x, x.tableid, k)
      const del = () => ok(x.api.JetDelete(x.sesid, x.tableid))
      const NCR = E.JET_errNoCurrentRecord
      // deleting the first record
      seekTo(x, x.tableid, 1)
      del()
      verify(x, x.tableid, E.JET_errRecordDeleted)
      insert(x, x.tableid, 1)
      verify(x, x.tableid, { key: 1 })
      del()
      move(x, x.tableid, JET_MovePrevious, NCR)
      verify(x, x.tableid, NCR)
      insert(x, x.tableid, 1)
      move(x, x.tableid, JET_MoveNext)
      verify(x, x.tableid, { key: 1 })
      del()
      move(x, x.tableid, JET_MovePrevious, NCR)
      move(x, x.tableid, JET_MoveNext)
      verify(x, x.tableid, { key: 2 })
      insert(x, x.tableid, 1)
      // deleting a middle record
      seekTo(x, x.tableid, 2)
      del()
      verify(x, x.tableid, E.JET_errRecordDeleted)
      insert(x, x.tableid, 2)
      verify(x, x.tableid, { key: 2 })
      del()
      move(x, x.tableid, JET_MovePrevious)
      verify(x, x.tableid, { key: 1 })
      insert(x, x.tableid, 2)
      move(x, x.tableid, JET_MoveNext)
      verify(x, x.tableid, { key: 2 })
      del()
      move(x, x.tableid, JET_MovePrevious)
      move(x, x.tableid, JET_MoveNext)
      verify(x, x.tableid, { key: 3 })
      insert(x, x.tableid, 2)
      // deleting the last record
      seekTo(x, x.tableid, 3)
      del()
      verify(x, x.tableid, E.JET_errRecordDeleted)
      insert(x, x.tableid, 3)
      verify(x, x.tableid, { key: 3 })
      del()
      move(x, x.tableid, JET_MoveNext, NCR)
      verify(x, x.tableid, NCR)
      insert(x, x.tableid, 3)
      move(x, x.tableid, JET_MovePrevious)
      verify(x, x.tableid, { key: 3 })
      del()
      move(x, x.tableid, JET_MoveNext, NCR)
      move(x, x.tableid, JET_MovePrevious)
      verify(x, x.tableid, { key: 2 })
      insert(x, x.tableid, 3)
    })

    it("CursorPositionAfterUpdateClustered", () => {
      const x = setup(engine)
      insert(x, x.tableid, 3, 300)
      insert(x, x.tableid, 1, 100)
      insert(x, x.tableid, 2, 200)
      for (const k of [1, 2, 3]) {
        seekTo(x, x.tableid, k)
        verify(x, x.tableid, r2(k, k * 100))
        update(x, k * 100 + 1)
        verify(x, x.tableid, r2(k, k * 100 + 1))
      }
    })

    /** `UpdateCurrentRecord`: a Replace of data1 and data2. */
    const update = (x: Dml, data1: number, data2 = data1 * 10): void => {
      ok(x.api.JetPrepareUpdate(x.sesid, x.tableid, JET_prepReplace))
      ok(x.api.JetSetColumn(x.sesid, x.tableid, x.data1, enc.i32(data1), 4, 0, null))
      ok(x.api.JetSetColumn(x.sesid, x.tableid, x.data2, enc.i32(data2), 4, 0, null))
      ok(x.api.JetUpdate(x.sesid, x.tableid, null, 0))
    }

    const secondaryFour = (x: Dml): void => {
      ok(x.api.JetSetCurrentIndex4(x.sesid, x.tableid, secWithoutPrimary, 0, 1))
      for (const [k, d1, d2] of [[1, 20, 200], [3, 10, 100], [2, 10, 100], [4, 40, 400]] as const) {
        insert(x, x.tableid, k, d1, d2)
      }
    }

    it("CursorPositionAfterInsertSecondary", () => {
      const x = setup(engine)
      secondaryFour(x)
      verify(x, x.tableid, r3(2, 10, 100))
      insert(x, x.tableid, 0, 0, 0)
      verify(x, x.tableid, r3(2, 10, 100))
    })

    it("CursorPositionAfterDeleteSecondary", () => {
      const x = setup(engine)
      secondaryFour(x)
      const del = () => ok(x.api.JetDelete(x.sesid, x.tableid))
      const NCR = E.JET_errNoCurrentRecord
      seekTo(x, x.tableid, 10, 100)
      del()
      verify(x, x.tableid, E.JET_errRecordDeleted)
      insert(x, x.tableid, 2, 10, 100)
      verify(x, x.tableid, r3(2, 10, 100))
      del()
      move(x, x.tableid, JET_MovePrevious, NCR)
      verify(x, x.tableid, NCR)
      insert(x, x.tableid, 2, 10, 100)
      move(x, x.tableid, JET_MoveNext)
      verify(x, x.tableid, r3(2, 10, 100))
      del()
      move(x, x.tableid, JET_MovePrevious, NCR)
      move(x, x.tableid, JET_MoveNext)
      verify(x, x.tableid, r3(3, 10, 100))
      insert(x, x.tableid, 2, 10, 100)

      seekTo(x, x.tableid, 20, 200)
      del()
      verify(x, x.tableid, E.JET_errRecordDeleted)
      insert(x, x.tableid, 1, 20, 200)
      verify(x, x.tableid, r3(1, 20, 200))
      del()
      move(x, x.tableid, JET_MovePrevious)
      verify(x, x.tableid, r3(3, 10, 100))
      insert(x, x.tableid, 1, 20, 200)
      move(x, x.tableid, JET_MoveNext)
      verify(x, x.tableid, r3(1, 20, 200))
      del()
      move(x, x.tableid, JET_MovePrevious)
      move(x, x.tableid, JET_MoveNext)
      verify(x, x.tableid, r3(4, 40, 400))
      insert(x, x.tableid, 1, 20, 200)

      seekTo(x, x.tableid, 40, 400)
      del()
      verify(x, x.tableid, E.JET_errRecordDeleted)
      insert(x, x.tableid, 4, 40, 400)
      verify(x, x.tableid, r3(4, 40, 400))
      del()
      move(x, x.tableid, JET_MoveNext, NCR)
      verify(x, x.tableid, NCR)
      insert(x, x.tableid, 4, 40, 400)
      move(x, x.tableid, JET_MovePrevious)
      verify(x, x.tableid, r3(4, 40, 400))
      del()
      move(x, x.tableid, JET_MoveNext, NCR)
      move(x, x.tableid, JET_MovePrevious)
      verify(x, x.tableid, r3(1, 20, 200))
      insert(x, x.tableid, 4, 40, 400)
    })

    it("CursorPositionAfterUpdateSecondary: the cursor follows the updated entry to its new place", () => {
      const x = setup(engine)
      secondaryFour(x)
      const NCR = E.JET_errNoCurrentRecord
      seekTo(x, x.tableid, 10, 100)
      verify(x, x.tableid, r3(2, 10, 100))
      update(x, -10, -100)
      verify(x, x.tableid, r3(2, -10, -100))
      move(x, x.tableid, JET_MovePrevious)
      verify(x, x.tableid, r3(2, -10, -100))
      move(x, x.tableid, JET_MoveNext)
      verify(x, x.tableid, r3(3, 10, 100))
      seekTo(x, x.tableid, -10, -100)
      verify(x, x.tableid, r3(2, -10, -100))
      update(x, 10, 100)

      seekTo(x, x.tableid, 10, 100)
      verify(x, x.tableid, r3(2, 10, 100))
      update(x, 30, 300)
      verify(x, x.tableid, r3(2, 30, 300))
      move(x, x.tableid, JET_MoveNext)
      verify(x, x.tableid, r3(3, 10, 100))
      move(x, x.tableid, JET_MovePrevious, NCR)
      move(x, x.tableid, JET_MoveNext)
      move(x, x.tableid, JET_MoveNext)
      move(x, x.tableid, JET_MoveNext)
      verify(x, x.tableid, r3(2, 30, 300))
      seekTo(x, x.tableid, 30, 300)
      verify(x, x.tableid, r3(2, 30, 300))
      update(x, 10, 100)

      seekTo(x, x.tableid, 20, 200)
      verify(x, x.tableid, r3(1, 20, 200))
      update(x, 40, 400)
      verify(x, x.tableid, r3(1, 40, 400))
      move(x, x.tableid, JET_MoveNext)
      verify(x, x.tableid, r3(1, 40, 400))
      move(x, x.tableid, JET_MovePrevious)
      verify(x, x.tableid, r3(3, 10, 100))
      move(x, x.tableid, JET_MoveNext)
      verify(x, x.tableid, r3(1, 40, 400))
      seekTo(x, x.tableid, 40, 400)
      verify(x, x.tableid, r3(1, 40, 400))
      update(x, 20, 200)

      seekTo(x, x.tableid, 40, 400)
      verify(x, x.tableid, r3(4, 40, 400))
      update(x, 50, 500)
      verify(x, x.tableid, r3(4, 50, 500))
      move(x, x.tableid, JET_MoveNext)
      verify(x, x.tableid, r3(4, 50, 500))
      move(x, x.tableid, JET_MovePrevious)
      verify(x, x.tableid, r3(1, 20, 200))
      seekTo(x, x.tableid, 50, 500)
      verify(x, x.tableid, r3(4, 50, 500))
      update(x, 40, 400)

      seekTo(x, x.tableid, 40, 400)
      verify(x, x.tableid, r3(4, 40, 400))
      update(x, 10, 100)
      verify(x, x.tableid, r3(4, 10, 100))
      move(x, x.tableid, JET_MovePrevious)
      verify(x, x.tableid, r3(1, 20, 200))
      move(x, x.tableid, JET_MoveNext, NCR)
      move(x, x.tableid, JET_MovePrevious)
      move(x, x.tableid, JET_MovePrevious)
      verify(x, x.tableid, r3(4, 10, 100))
      seekTo(x, x.tableid, 10, 100)
      move(x, x.tableid, JET_MoveNext)
      move(x, x.tableid, JET_MoveNext)
      verify(x, x.tableid, r3(4, 10, 100))
      update(x, 40, 400)
    })
  })
})

declareFacts("DMLCurrencyTests.cs", 419)
