/**
 * Facts from ManagedEsent's `EsentInteropTests/MoveTests.cs` (class `MoveTests`): seeks, moves,
 * JetGotoPosition, index ranges in both directions and record counts on the records 0..n-1.
 *
 * Facts checked per engine: 47 (see `declareFacts` at the end).
 *
 * Left out: `ScanRecords` calls `JetSetTableSequential`/`JetResetTableSequential`, not in our
 * `JetApi` (docs/coverage-gaps.md); the scan itself is the `MoveNext` facts below.
 */
import { describe, it } from "vitest"
import {
  JET_bitRangeInclusive,
  JET_bitRangeUpperLimit,
  JET_bitSeekEQ,
  JET_bitSeekGE,
  JET_bitSeekGT,
  JET_bitSeekLE,
  JET_bitSeekLT,
  JET_ColInfoByColid,
  JET_coltypLong,
  JET_MoveFirst,
  JET_MoveLast,
  JET_MoveNext,
  JET_MovePrevious
} from "../../../src/jet/constants.ts"
import { structLayout } from "../../../src/jet/structs.ts"
import { codes, forEachEngine, ok } from "../harness.ts"
import { declareFacts, fact, factErr, onEngine } from "./facts.ts"
import {
  getLong,
  makeKeyFor,
  moveAfterLast,
  moveBeforeFirst,
  type Numbered,
  numbered,
  tryMove
} from "./numbered.ts"

const E = codes

/** Walks the range from the cursor with `step`, reading every record, then checks the range ends. */
const walkRange = (x: Numbered, from: number, to: number, step: number): void => {
  const seen: Array<number> = []
  for (let i = from; step > 0 ? i <= to : i >= to; i += step) {
    seen.push(getLong(x))
    if (i !== to) ok(x.api.JetMove(x.sesid, x.tableid, step, 0))
  }
  const expected: Array<number> = []
  for (let i = from; step > 0 ? i <= to : i >= to; i += step) expected.push(i)
  fact(seen, expected, "the range's records in order")
  fact(tryMove(x, step), false, "no move past the range's end")
}

forEachEngine((engine) => {
  onEngine(engine.name)

  describe("MoveTests.cs", () => {
    it("VerifyFixtureSetup: the column is a Long", () => {
      const x = numbered(engine)
      const def = structLayout("JET_COLUMNDEF")
      const buffer = new Uint8Array(def.size)
      ok(
        x.api.JetGetTableColumnInfo(x.sesid, x.tableid, x.long, buffer, buffer.byteLength, JET_ColInfoByColid)
      )
      const coltyp = def.fields.find((f) => f.name === "coltyp")
      fact(new DataView(buffer.buffer).getUint32(coltyp?.offset ?? -1, true), JET_coltypLong, "coltyp")
    })

    for (
      const [test, grbit, keyOffset] of [
        ["SeekLT", JET_bitSeekLT, 1],
        ["SeekLE", JET_bitSeekLE, 0],
        ["SeekEQ", JET_bitSeekEQ, 0],
        ["SeekGE", JET_bitSeekGE, 0],
        ["SeekGT", JET_bitSeekGT, -1]
      ] as const
    ) {
      it(test, () => {
        const x = numbered(engine)
        const expected = Math.floor(x.numRecords / 2)
        makeKeyFor(x, expected + keyOffset)
        ok(x.api.JetSeek(x.sesid, x.tableid, grbit))
        fact(getLong(x), expected)
      })
    }

    it("MoveFirst", () => {
      const x = numbered(engine)
      ok(x.api.JetMove(x.sesid, x.tableid, JET_MoveFirst, 0))
      fact(getLong(x), 0)
    })

    it("MovingBeforeFirstThrowsException", () => {
      const x = numbered(engine)
      ok(x.api.JetMove(x.sesid, x.tableid, JET_MoveFirst, 0))
      factErr(x.api.JetMove(x.sesid, x.tableid, JET_MovePrevious, 0), E.JET_errNoCurrentRecord)
    })

    it("MoveNext", () => {
      const x = numbered(engine)
      ok(x.api.JetMove(x.sesid, x.tableid, JET_MoveFirst, 0))
      ok(x.api.JetMove(x.sesid, x.tableid, JET_MoveNext, 0))
      fact(getLong(x), 1)
    })

    it("MoveForwardSeveralRecords: JetMove with a count of 3", () => {
      const x = numbered(engine)
      ok(x.api.JetMove(x.sesid, x.tableid, JET_MoveFirst, 0))
      ok(x.api.JetMove(x.sesid, x.tableid, 3, 0))
      fact(getLong(x), 3)
    })

    it("MoveLast", () => {
      const x = numbered(engine)
      ok(x.api.JetMove(x.sesid, x.tableid, JET_MoveLast, 0))
      fact(getLong(x), x.numRecords - 1)
    })

    it("MovingAfterLastThrowsException", () => {
      const x = numbered(engine)
      ok(x.api.JetMove(x.sesid, x.tableid, JET_MoveLast, 0))
      factErr(x.api.JetMove(x.sesid, x.tableid, JET_MoveNext, 0), E.JET_errNoCurrentRecord)
    })

    it("MovePrevious", () => {
      const x = numbered(engine)
      ok(x.api.JetMove(x.sesid, x.tableid, JET_MoveLast, 0))
      ok(x.api.JetMove(x.sesid, x.tableid, JET_MovePrevious, 0))
      fact(getLong(x), x.numRecords - 2)
    })

    it("GotoFirstPosition: 0 of 10 is the first record", () => {
      const x = numbered(engine)
      ok(x.api.JetGotoPosition(x.sesid, x.tableid, { centriesLT: 0, centriesInRange: 0, centriesTotal: 10 }))
      fact(getLong(x), 0)
    })

    it("GotoLastPosition: 4 of 4 is the last record", () => {
      const x = numbered(engine)
      ok(x.api.JetGotoPosition(x.sesid, x.tableid, { centriesLT: 4, centriesInRange: 0, centriesTotal: 4 }))
      fact(getLong(x), x.numRecords - 1)
    })

    it("AscendingInclusiveIndexRange", () => {
      const x = numbered(engine)
      makeKeyFor(x, 1)
      ok(x.api.JetSeek(x.sesid, x.tableid, JET_bitSeekEQ))
      makeKeyFor(x, x.numRecords - 1)
      ok(x.api.JetSetIndexRange(x.sesid, x.tableid, JET_bitRangeUpperLimit | JET_bitRangeInclusive))
      walkRange(x, 1, x.numRecords - 1, 1)
    })

    it("AscendingExclusiveIndexRange", () => {
      const x = numbered(engine)
      makeKeyFor(x, 1)
      ok(x.api.JetSeek(x.sesid, x.tableid, JET_bitSeekEQ))
      makeKeyFor(x, x.numRecords - 1)
      ok(x.api.JetSetIndexRange(x.sesid, x.tableid, JET_bitRangeUpperLimit))
      walkRange(x, 1, x.numRecords - 2, 1)
    })

    it("DescendingInclusiveIndexRange", () => {
      const x = numbered(engine)
      makeKeyFor(x, x.numRecords - 1)
      ok(x.api.JetSeek(x.sesid, x.tableid, JET_bitSeekEQ))
      makeKeyFor(x, 1)
      ok(x.api.JetSetIndexRange(x.sesid, x.tableid, JET_bitRangeInclusive))
      walkRange(x, x.numRecords - 1, 1, -1)
    })

    for (const test of ["DescendingExclusiveIndexRange", "TryCreateDescendingExclusiveIndexRange"]) {
      it(test, () => {
        const x = numbered(engine)
        makeKeyFor(x, x.numRecords - 1)
        ok(x.api.JetSeek(x.sesid, x.tableid, JET_bitSeekEQ))
        makeKeyFor(x, 1)
        factErr(x.api.JetSetIndexRange(x.sesid, x.tableid, 0), 0, "the range is set")
        walkRange(x, x.numRecords - 1, 2, -1)
      })
    }

    it("CountIndexRangeRecords: from 2 up to n-2 exclusive", () => {
      const x = numbered(engine)
      makeKeyFor(x, 2)
      ok(x.api.JetSeek(x.sesid, x.tableid, JET_bitSeekEQ))
      makeKeyFor(x, x.numRecords - 2)
      ok(x.api.JetSetIndexRange(x.sesid, x.tableid, JET_bitRangeUpperLimit))
      fact(ok(x.api.JetIndexRecordCount(x.sesid, x.tableid, 0)).count, x.numRecords - 4)
    })

    it("GetIndexRecordCount", () => {
      const x = numbered(engine)
      fact(ok(x.api.JetIndexRecordCount(x.sesid, x.tableid, 0)).count, x.numRecords)
    })

    it("GetIndexRecordCountConstrained: at most crecMax", () => {
      const x = numbered(engine)
      fact(ok(x.api.JetIndexRecordCount(x.sesid, x.tableid, x.numRecords - 1)).count, x.numRecords - 1)
    })

    it("GetRecordPosition: on the last record, centriesLT = centriesTotal - 1", () => {
      const x = numbered(engine)
      ok(x.api.JetMove(x.sesid, x.tableid, JET_MoveLast, 0))
      const { recpos } = ok(x.api.JetGetRecordPosition(x.sesid, x.tableid))
      fact(recpos.centriesLT, recpos.centriesTotal - 1)
    })

    it("TryMoveFirst", () => {
      const x = numbered(engine)
      fact(tryMove(x, JET_MoveFirst), true)
      fact(getLong(x), 0)
    })

    it("TryMovePreviousReturnsFalseWhenOnFirstRecord", () => {
      const x = numbered(engine)
      fact(tryMove(x, JET_MoveFirst), true)
      fact(tryMove(x, JET_MovePrevious), false)
    })

    it("MoveBeforeFirst: then Next is the first record", () => {
      const x = numbered(engine)
      moveBeforeFirst(x)
      ok(x.api.JetMove(x.sesid, x.tableid, JET_MoveNext, 0))
      fact(getLong(x), 0)
    })

    it("MoveAfterLast: then Previous is the last record", () => {
      const x = numbered(engine)
      moveAfterLast(x)
      ok(x.api.JetMove(x.sesid, x.tableid, JET_MovePrevious, 0))
      fact(getLong(x), x.numRecords - 1)
    })

    it("TryMoveNext", () => {
      const x = numbered(engine)
      fact(tryMove(x, JET_MoveFirst), true)
      fact(tryMove(x, JET_MoveNext), true)
      fact(getLong(x), 1)
    })

    it("TryMoveLast", () => {
      const x = numbered(engine)
      fact(tryMove(x, JET_MoveLast), true)
      fact(getLong(x), x.numRecords - 1)
    })

    it("TryMoveNextReturnsFalseWhenOnLastRecord", () => {
      const x = numbered(engine)
      fact(tryMove(x, JET_MoveLast), true)
      fact(tryMove(x, JET_MoveNext), false)
    })

    it("TryMovePrevious", () => {
      const x = numbered(engine)
      fact(tryMove(x, JET_MoveLast), true)
      fact(tryMove(x, JET_MovePrevious), true)
      fact(getLong(x), x.numRecords - 2)
    })
  })
})

declareFacts("MoveTests.cs", 47)
