/**
 * Facts from ManagedEsent's `EsentInteropTests/BasicDDLTests.cs` (class `BasicDDLTests`) that
 * BasicTableTests.cs does not already give: default values, index and table creation in all their
 * forms, the current index's name, key truncation refused, and table information levels.
 *
 * Facts checked per engine: 22 (see `declareFacts` at the end).
 *
 * The tests that repeat BasicTableTests.cs's facts (one column of each type, column info by name,
 * by id and by table name, case-insensitive names, deleting an index, a column, a table) are
 * restated there once. Space hints (`JET_SPACEHINTS`, `JetCreateTableColumnIndex3`) are not in our
 * `JetApi`: the SpaceHints tests are restated without them. `TestDisallowTruncation` runs only on
 * Windows Vista and later in the source: followed, as the newest Windows behaves.
 */
import { describe, it } from "vitest"
import type { JetApi, JetColumnCreate, JetIndexCreate } from "../../../src/jet/api.ts"
import {
  JET_bitIndexDisallowTruncation,
  JET_bitIndexIgnoreAnyNull,
  JET_bitTableCreateTemplateTable,
  JET_bitTableDenyRead,
  JET_coltypLong,
  JET_coltypLongText,
  JET_coltypShort,
  JET_prepInsert,
  JET_TblInfo,
  JET_TblInfoDbid,
  JET_TblInfoName,
  JET_TblInfoSpaceOwned,
  JET_TblInfoSpaceUsage
} from "../../../src/jet/constants.ts"
import type { JET_COLUMNID, JET_DBID, JET_SESID, JET_TABLEID } from "../../../src/jet/handles.ts"
import { structLayout } from "../../../src/jet/structs.ts"
import type { Engine } from "../engines.ts"
import { codes, createTable, dec, enc, forEachEngine, keyString, ok, openEnv, retrieve } from "../harness.ts"
import { declareFacts, fact, factErr, onEngine } from "./facts.ts"

interface Ddl {
  readonly api: JetApi
  readonly sesid: JET_SESID
  readonly dbid: JET_DBID
  readonly tableid: JET_TABLEID
  readonly test: JET_COLUMNID
}

/** The source's `Setup`: table "table" with the Unicode LongText column "TestColumn", reopened. */
const setup = (engine: Engine): Ddl => {
  const env = openEnv(engine)
  ok(env.api.JetBeginTransaction(env.sesid))
  const t = createTable(env, "table", { TestColumn: { coltyp: JET_coltypLongText, cp: 1200 } })
  ok(env.api.JetCloseTable(env.sesid, t.tableid))
  ok(env.api.JetCommitTransaction(env.sesid, 1))
  const { tableid } = ok(env.api.JetOpenTable(env.sesid, env.dbid, "table", 0))
  return { api: env.api, sesid: env.sesid, dbid: env.dbid, tableid, test: t.col.TestColumn }
}

const index = (szIndexName: string, key: string, grbit = 0, ulDensity = 100): JetIndexCreate => {
  const szKey = keyString(key)
  return { szIndexName, szKey, cbKey: szKey.length * 2, grbit, ulDensity }
}

/** The two columns and two indexes the source's `JetCreateTableColumnIndex*` tests create. */
const bigBang = {
  columns: [
    { szColumnName: "col1_short", coltyp: JET_coltypShort, cbMax: 2 },
    { szColumnName: "col2_longtext", coltyp: JET_coltypLongText, cp: 1200 }
  ] satisfies ReadonlyArray<JetColumnCreate>,
  indexes: [
    index("firstIndex", "+col1_short-col2_longtext", 0, 99),
    index("secondIndex", "+col2_longtext-col1_short", 0, 79)
  ]
}

forEachEngine((engine) => {
  onEngine(engine.name)

  describe("BasicDDLTests.cs", () => {
    it("CreateColumnWithDefaultValue: a new record reads the default", () => {
      const x = setup(engine)
      ok(x.api.JetBeginTransaction(x.sesid))
      const { columnid } = ok(
        x.api.JetAddColumn(
          x.sesid,
          x.tableid,
          "column_with_default",
          { coltyp: JET_coltypLong },
          enc.i32(-4242),
          4
        )
      )
      ok(x.api.JetCommitTransaction(x.sesid, 1))
      ok(x.api.JetBeginTransaction(x.sesid))
      ok(x.api.JetPrepareUpdate(x.sesid, x.tableid, JET_prepInsert))
      const bookmark = new Uint8Array(256)
      const { cbActual } = ok(x.api.JetUpdate(x.sesid, x.tableid, bookmark, bookmark.byteLength))
      ok(x.api.JetGotoBookmark(x.sesid, x.tableid, bookmark, cbActual))
      ok(x.api.JetCommitTransaction(x.sesid, 1))
      fact(dec.i32(retrieve(x.api, x.sesid, x.tableid, columnid) as Uint8Array), -4242)
    })

    for (const test of ["JetCreateIndex2", "JetCreateIndex2SpaceHints"]) {
      it(`${test}: a descending IgnoreAnyNull index on the LongText column`, () => {
        const x = setup(engine)
        ok(x.api.JetBeginTransaction(x.sesid))
        const { indexErrs } = ok(
          x.api.JetCreateIndex2(x.sesid, x.tableid, [
            index("another_index", "-TestColumn", JET_bitIndexIgnoreAnyNull)
          ])
        )
        fact(indexErrs, [0], "JET_INDEXCREATE.err")
        ok(x.api.JetCommitTransaction(x.sesid, 1))
        factErr(x.api.JetSetCurrentIndex4(x.sesid, x.tableid, "another_index", 0, 1), 0)
      })
    }

    it("CreateTwoIndexes: two indexes in one JetCreateIndex2 on an exclusively opened table", () => {
      const x = setup(engine)
      ok(x.api.JetBeginTransaction(x.sesid))
      const t = createTable(x, "tabletoindex", { column: { coltyp: JET_coltypLongText, cp: 1200 } })
      ok(x.api.JetCloseTable(x.sesid, t.tableid))
      ok(x.api.JetCommitTransaction(x.sesid, 1))
      const { tableid } = ok(x.api.JetOpenTable(x.sesid, x.dbid, "tabletoindex", JET_bitTableDenyRead))
      const { indexErrs } = ok(
        x.api.JetCreateIndex2(x.sesid, tableid, [
          index("firstIndex", "-column"),
          index("secondIndex", "+column")
        ])
      )
      fact(indexErrs, [0, 0], "JET_INDEXCREATE.err")
      factErr(x.api.JetSetCurrentIndex4(x.sesid, tableid, "firstIndex", 0, 1), 0, "firstIndex")
      factErr(x.api.JetSetCurrentIndex4(x.sesid, tableid, "secondIndex", 0, 1), 0, "secondIndex")
      factErr(x.api.JetSetCurrentIndex4(x.sesid, tableid, null, 0, 1), 0, "the clustered index")
    })

    for (const test of ["JetCreateTableColumnIndex", "JetCreateTableColumnIndexSpaceHints"]) {
      it(`${test}: 1 table + 2 columns + 2 indexes created, column ids set`, () => {
        const x = setup(engine)
        ok(x.api.JetBeginTransaction(x.sesid))
        const created = ok(x.api.JetCreateTableColumnIndex2(x.sesid, x.dbid, {
          szTableName: "tableBigBang",
          ulPages: 23,
          ulDensity: 75,
          rgcolumncreate: test.endsWith("SpaceHints")
            ? bigBang.columns.map((c, i) => i === 0 ? { ...c, pvDefault: enc.i16(37), cbDefault: 2 } : c)
            : bigBang.columns,
          rgindexcreate: bigBang.indexes
        }))
        fact(created.cCreated, 5, "cCreated")
        fact(created.columnids.map((id) => id !== 0), [true, true], "column ids")
        ok(x.api.JetCloseTable(x.sesid, created.tableid))
        ok(x.api.JetCommitTransaction(x.sesid, 1))
      })
    }

    it("JetCreateTemplateTableColumnIndex: a template table (5 objects), and a table derived from it (1)", () => {
      const x = setup(engine)
      ok(x.api.JetBeginTransaction(x.sesid))
      const template = ok(x.api.JetCreateTableColumnIndex2(x.sesid, x.dbid, {
        szTableName: "tableOld",
        ulPages: 23,
        ulDensity: 75,
        rgcolumncreate: bigBang.columns,
        rgindexcreate: bigBang.indexes,
        grbit: JET_bitTableCreateTemplateTable
      }))
      fact(template.cCreated, 5, "template cCreated")
      const child = ok(x.api.JetCreateTableColumnIndex2(x.sesid, x.dbid, {
        szTableName: "tableNew",
        szTemplateTableName: "tableOld",
        ulPages: 23,
        ulDensity: 75,
        rgcolumncreate: [],
        rgindexcreate: []
      }))
      fact(child.cCreated, 1, "derived cCreated")
      ok(x.api.JetCloseTable(x.sesid, template.tableid))
      ok(x.api.JetCloseTable(x.sesid, child.tableid))
      ok(x.api.JetCommitTransaction(x.sesid, 1))
    })

    it("VerifyJetGetCurrentIndexReturnsIndexName", () => {
      const x = setup(engine)
      ok(x.api.JetBeginTransaction(x.sesid))
      ok(x.api.JetCreateIndex2(x.sesid, x.tableid, [index("myindexname", "+TestColumn")]))
      ok(x.api.JetCommitTransaction(x.sesid, 1))
      ok(x.api.JetSetCurrentIndex4(x.sesid, x.tableid, "myindexname", 0, 1))
      const name = new Uint8Array(256)
      ok(x.api.JetGetCurrentIndex(x.sesid, x.tableid, name, name.byteLength))
      fact(dec.wsz(name), "myindexname")
    })

    it("TestDisallowTruncation: a key longer than the index allows fails the update", () => {
      const x = setup(engine)
      ok(x.api.JetBeginTransaction(x.sesid))
      ok(
        x.api.JetCreateIndex2(x.sesid, x.tableid, [
          index("no_trunacation_index", "+TestColumn", JET_bitIndexDisallowTruncation)
        ])
      )
      ok(x.api.JetCommitTransaction(x.sesid, 1))
      ok(x.api.JetBeginTransaction(x.sesid))
      ok(x.api.JetPrepareUpdate(x.sesid, x.tableid, JET_prepInsert))
      const long = enc.utf16("X".repeat(4096))
      ok(x.api.JetSetColumn(x.sesid, x.tableid, x.test, long, long.byteLength, 0, null))
      factErr(x.api.JetUpdate(x.sesid, x.tableid, null, 0), codes.JET_errKeyTruncated)
      ok(x.api.JetRollback(x.sesid, 0))
    })

    it("TestGetTableInfoObjectinfo: JET_TblInfo's JET_OBJECTINFO has no flags", () => {
      const x = setup(engine)
      const layout = structLayout("JET_OBJECTINFO")
      const buffer = new Uint8Array(layout.size)
      ok(x.api.JetGetTableInfo(x.sesid, x.tableid, buffer, buffer.byteLength, JET_TblInfo))
      const flags = layout.fields.find((f) => f.name === "flags")?.offset ?? -1
      fact(new DataView(buffer.buffer).getUint32(flags, true), 0)
    })

    it("TestGetTableInfoString: JET_TblInfoName is the table's name", () => {
      const x = setup(engine)
      const buffer = new Uint8Array(256)
      ok(x.api.JetGetTableInfo(x.sesid, x.tableid, buffer, buffer.byteLength, JET_TblInfoName))
      fact(dec.wsz(buffer), "table")
    })

    it("TestGetTableInfoDbid: JET_TblInfoDbid is the database's id", () => {
      const x = setup(engine)
      const buffer = new Uint8Array(4)
      ok(x.api.JetGetTableInfo(x.sesid, x.tableid, buffer, 4, JET_TblInfoDbid))
      fact(dec.u32(buffer), x.dbid)
    })

    it("TestGetTableInfoIntArray: JET_TblInfoSpaceUsage's first count is not 0", () => {
      const x = setup(engine)
      const buffer = new Uint8Array(28)
      ok(x.api.JetGetTableInfo(x.sesid, x.tableid, buffer, buffer.byteLength, JET_TblInfoSpaceUsage))
      fact(dec.u32(buffer) !== 0, true)
    })

    it("TestGetTableInfoInt: JET_TblInfoSpaceOwned is not 0", () => {
      const x = setup(engine)
      const buffer = new Uint8Array(4)
      ok(x.api.JetGetTableInfo(x.sesid, x.tableid, buffer, 4, JET_TblInfoSpaceOwned))
      fact(dec.u32(buffer) !== 0, true)
    })
  })
})

declareFacts("BasicDDLTests.cs", 22)
