/**
 * Facts from ManagedEsent's `EsentInteropTests/MultivalueIndexFixture.cs` (class
 * `MultivalueIndexFixture`): an index over a multi-valued LongText column has one entry per value;
 * changing to it without moving keeps the record, at the entry of the itag asked for.
 *
 * Facts checked per engine: 12 (see `declareFacts` at the end).
 *
 * Left out: `JetGetSecondaryIndexBookmark` and `JetGotoSecondaryIndexBookmark` are not in our
 * `JetApi` (docs/coverage-gaps.md).
 */
import { describe, it } from "vitest"
import type { JetApi } from "../../../src/jet/api.ts"
import {
  JET_bitColumnMultiValued,
  JET_bitColumnTagged,
  JET_bitIndexPrimary,
  JET_bitMoveKeyNE,
  JET_bitNoMove,
  JET_ColInfoByColid,
  JET_coltypLong,
  JET_coltypLongText,
  JET_MoveFirst,
  JET_MoveNext,
  JET_prepInsert
} from "../../../src/jet/constants.ts"
import type { JET_COLUMNID, JET_SESID, JET_TABLEID } from "../../../src/jet/handles.ts"
import { structLayout } from "../../../src/jet/structs.ts"
import type { Engine } from "../engines.ts"
import { codes, createTable, dec, enc, forEachEngine, ok, openEnv, retrieve } from "../harness.ts"
import { declareFacts, fact, onEngine } from "./facts.ts"

interface Mv {
  readonly api: JetApi
  readonly sesid: JET_SESID
  readonly tableid: JET_TABLEID
  readonly key: JET_COLUMNID
  readonly mv: JET_COLUMNID
}

const setup = (engine: Engine): Mv => {
  const env = openEnv(engine)
  ok(env.api.JetBeginTransaction(env.sesid))
  const t = createTable(env, "table", {
    keycolumn: { coltyp: JET_coltypLong },
    mvcolumn: { coltyp: JET_coltypLongText, cp: 1200, grbit: JET_bitColumnTagged | JET_bitColumnMultiValued }
  }, [
    { name: "primary", key: "+keycolumn", grbit: JET_bitIndexPrimary },
    { name: "index", key: "+mvcolumn" }
  ])
  ok(env.api.JetCloseTable(env.sesid, t.tableid))
  ok(env.api.JetCommitTransaction(env.sesid, 1))
  const { tableid } = ok(env.api.JetOpenTable(env.sesid, env.dbid, "table", 0))
  return { api: env.api, sesid: env.sesid, tableid, key: t.col.keycolumn, mv: t.col.mvcolumn }
}

/** The source's `InsertRecord`: each value appended (itag 0), then the cursor on the new record. */
const insertRecord = (x: Mv, key: number, ...values: ReadonlyArray<string>): void => {
  ok(x.api.JetBeginTransaction(x.sesid))
  ok(x.api.JetPrepareUpdate(x.sesid, x.tableid, JET_prepInsert))
  ok(x.api.JetSetColumn(x.sesid, x.tableid, x.key, enc.i32(key), 4, 0, null))
  for (const v of values) {
    const data = enc.utf16(v)
    ok(
      x.api.JetSetColumn(x.sesid, x.tableid, x.mv, data, data.byteLength, 0, {
        ibLongValue: 0,
        itagSequence: 0
      })
    )
  }
  const bookmark = new Uint8Array(256)
  const { cbActual } = ok(x.api.JetUpdate(x.sesid, x.tableid, bookmark, bookmark.byteLength))
  ok(x.api.JetGotoBookmark(x.sesid, x.tableid, bookmark, cbActual))
  ok(x.api.JetCommitTransaction(x.sesid, 0))
}

const keyOf = (x: Mv): number => dec.i32(retrieve(x.api, x.sesid, x.tableid, x.key) as Uint8Array)

const tryMove = (x: Mv, cRow: number, grbit = 0): boolean => {
  const { err } = x.api.JetMove(x.sesid, x.tableid, cRow, grbit)
  if (err !== 0 && err !== codes.JET_errNoCurrentRecord) throw new Error(`JetMove: ${err}`)
  return err === 0
}

forEachEngine((engine) => {
  onEngine(engine.name)

  describe("MultivalueIndexFixture.cs", () => {
    it("VerifyFixtureSetup: the multi-valued column is a LongText", () => {
      const x = setup(engine)
      const def = structLayout("JET_COLUMNDEF")
      const buffer = new Uint8Array(def.size)
      ok(x.api.JetGetTableColumnInfo(x.sesid, x.tableid, x.mv, buffer, buffer.byteLength, JET_ColInfoByColid))
      const coltyp = def.fields.find((f) => f.name === "coltyp")?.offset ?? -1
      fact(new DataView(buffer.buffer).getUint32(coltyp, true), JET_coltypLongText)
    })

    it("JetSetCurrentIndex2: with JET_bitNoMove the cursor stays on its record", () => {
      const x = setup(engine)
      ok(x.api.JetSetCurrentIndex4(x.sesid, x.tableid, null, 0, 1))
      insertRecord(x, 0, "a")
      insertRecord(x, 1, "b")
      insertRecord(x, 2, "c")
      ok(x.api.JetSetCurrentIndex4(x.sesid, x.tableid, "index", JET_bitNoMove, 1))
      fact(keyOf(x), 2, "the same record")
    })

    it("JetSetCurrentIndex3: itag 3 puts the cursor on the record's third entry; Next is the next entry", () => {
      const x = setup(engine)
      ok(x.api.JetSetCurrentIndex4(x.sesid, x.tableid, null, 0, 1))
      insertRecord(x, 0, "a", "b", "c")
      insertRecord(x, 1, "x", "y", "z")
      insertRecord(x, 2, "i", "j", "k")
      ok(x.api.JetSetCurrentIndex4(x.sesid, x.tableid, "index", JET_bitNoMove, 3))
      fact(keyOf(x), 2, "the same record, at entry k")
      fact(tryMove(x, JET_MoveNext), true, "a next entry")
      fact(keyOf(x), 1, "entry x of record 1")
    })

    it("TestTryMove: JET_bitMoveKeyNE steps over the other records' entries with the same value", () => {
      const x = setup(engine)
      for (const key of [0, 1, 2]) insertRecord(x, key, "a", "b", "c")
      ok(x.api.JetSetCurrentIndex4(x.sesid, x.tableid, "index", JET_bitNoMove, 3))
      fact(tryMove(x, JET_MoveFirst), true, "first entry")
      fact(keyOf(x), 0, "record 0 at a")
      fact(tryMove(x, JET_MoveNext, JET_bitMoveKeyNE), true, "to b")
      fact(keyOf(x), 0, "record 0 at b")
      fact(tryMove(x, JET_MoveNext, JET_bitMoveKeyNE), true, "to c")
      fact(keyOf(x), 0, "record 0 at c")
      fact(tryMove(x, JET_MoveNext, JET_bitMoveKeyNE), false, "no key after c")
    })
  })
})

declareFacts("MultivalueIndexFixture.cs", 12)
