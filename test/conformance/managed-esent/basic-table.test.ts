/**
 * Facts from ManagedEsent's `EsentInteropTests/BasicTableTests.cs` (class `BasicTableTests`): DDL
 * on a table with one LongText column, inserts, replaces, deletes, record locks and bookmarks.
 *
 * Facts checked per engine: 39 (see `declareFacts` at the end).
 *
 * Left out (the JET function is not in our `JetApi`, see docs/coverage-gaps.md): `JetComputeStats`,
 * `JetGetRecordSizeIntrinsic`/`Separated`, `TestJetGetCursorInfo`/`WithWriteConflict`; the
 * `ColumnStream` tests restate only what the engine does (values by itag), not the .NET stream.
 */
import { describe, it } from "vitest"
import {
  JET_bitColumnMultiValued,
  JET_bitColumnTagged,
  JET_bitReadLock,
  JET_bitWriteLock,
  JET_ColInfo,
  JET_ColInfoByColid,
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
  JET_prepInsert,
  JET_prepReplace
} from "../../../src/jet/constants.ts"
import type { JET_COLUMNID, JET_DBID, JET_SESID, JET_TABLEID } from "../../../src/jet/handles.ts"
import { structLayout } from "../../../src/jet/structs.ts"
import type { Engine } from "../engines.ts"
import { codes, createTable, dec, enc, forEachEngine, keyString, ok, openEnv, retrieve } from "../harness.ts"
import { declareFacts, fact, factErr, onEngine } from "./facts.ts"

const E = codes
const columnDef = structLayout("JET_COLUMNDEF")

interface Basic {
  readonly api: ReturnType<Engine["make"]>
  readonly instance: bigint
  readonly sesid: JET_SESID
  readonly dbid: JET_DBID
  readonly dbPath: string
  readonly tableid: JET_TABLEID
  readonly text: JET_COLUMNID
}

/** The source's `Setup`: a table "table" with the LongText (Unicode) column "TestColumn", reopened. */
const setup = (engine: Engine): Basic => {
  const env = openEnv(engine)
  ok(env.api.JetBeginTransaction(env.sesid))
  const t = createTable(env, "table", { TestColumn: { coltyp: JET_coltypLongText, cp: 1200 } })
  ok(env.api.JetCloseTable(env.sesid, t.tableid))
  ok(env.api.JetCommitTransaction(env.sesid, 1))
  const { tableid } = ok(env.api.JetOpenTable(env.sesid, env.dbid, "table", 0))
  return { ...env, instance: env.instance, tableid, text: t.col.TestColumn }
}

/** Reads the fields of a `JET_COLUMNDEF` the source compares. */
const columnInfo = (b: Uint8Array) => {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const field = (name: string): number => {
    const f = columnDef.fields.find((x) => x.name === name)
    if (f === undefined) throw new Error(name)
    return f.size === 2 ? view.getUint16(f.offset, true) : view.getUint32(f.offset, true)
  }
  return { columnid: field("columnid"), coltyp: field("coltyp"), cp: field("cp"), cbMax: field("cbMax") }
}

const addColumn = (x: Basic, name: string, coltyp: number, cbMax: number, cp: number): JET_COLUMNID => {
  ok(x.api.JetBeginTransaction(x.sesid))
  const { columnid } = ok(x.api.JetAddColumn(x.sesid, x.tableid, name, { coltyp, cbMax, cp }, null, 0))
  ok(x.api.JetCommitTransaction(x.sesid, 1))
  return columnid
}

const setString = (x: Basic, s: string): void => {
  const data = enc.utf16(s)
  ok(x.api.JetSetColumn(x.sesid, x.tableid, x.text, data, data.byteLength, 0, null))
}

/** `UpdateAndGotoBookmark` */
const updateAndGoto = (x: Basic): Uint8Array => {
  const bookmark = new Uint8Array(256)
  const { cbActual } = ok(x.api.JetUpdate(x.sesid, x.tableid, bookmark, bookmark.byteLength))
  ok(x.api.JetGotoBookmark(x.sesid, x.tableid, bookmark, cbActual))
  return bookmark.slice(0, cbActual)
}

const readString = (x: Basic): string | null => {
  const v = retrieve(x.api, x.sesid, x.tableid, x.text)
  return v === null ? null : dec.utf16(v)
}

/** Inserts a record (committed) and returns its bookmark. */
const insertCommitted = (x: Basic, s?: string): Uint8Array => {
  ok(x.api.JetBeginTransaction(x.sesid))
  ok(x.api.JetPrepareUpdate(x.sesid, x.tableid, JET_prepInsert))
  if (s !== undefined) setString(x, s)
  const bookmark = updateAndGoto(x)
  ok(x.api.JetCommitTransaction(x.sesid, 1))
  return bookmark
}

forEachEngine((engine) => {
  onEngine(engine.name)

  describe("BasicTableTests.cs: DDL", () => {
    it("CreateOneColumnOfEachType: JetAddColumn accepts every column type", () => {
      const x = setup(engine)
      ok(x.api.JetBeginTransaction(x.sesid))
      const types = [
        JET_coltypBit,
        JET_coltypUnsignedByte,
        JET_coltypShort,
        JET_coltypLong,
        JET_coltypCurrency,
        JET_coltypIEEESingle,
        JET_coltypIEEEDouble,
        JET_coltypDateTime,
        JET_coltypBinary,
        JET_coltypText,
        JET_coltypLongBinary,
        JET_coltypLongText
      ]
      const results = types.map((coltyp) =>
        x.api.JetAddColumn(x.sesid, x.tableid, `c${coltyp}`, { coltyp }, null, 0)
      )
      fact(results.map((r) => r.err), types.map(() => 0), "JetAddColumn of each type")
      ok(x.api.JetCommitTransaction(x.sesid, 1))
    })

    for (
      const [test, cbMax, cp, byId] of [
        ["JetGetTableColumnInfo", 4096, 1200, false],
        ["JetGetTableColumnInfoByColumnid", 8192, 1252, true]
      ] as const
    ) {
      it(`${test}: cbMax, cp, coltyp and columnid come back as created`, () => {
        const x = setup(engine)
        const columnid = addColumn(x, `column-${cbMax}`, JET_coltypLongText, cbMax, cp)
        const buffer = new Uint8Array(columnDef.size)
        ok(x.api.JetGetTableColumnInfo(
          x.sesid,
          x.tableid,
          byId ? columnid : `column-${cbMax}`,
          buffer,
          buffer.byteLength,
          byId ? JET_ColInfoByColid : JET_ColInfo
        ))
        const info = columnInfo(buffer)
        fact(info.cbMax, cbMax, "cbMax")
        fact(info.cp, cp, "cp")
        fact(info.coltyp, JET_coltypLongText, "coltyp")
        fact(info.columnid, columnid, "columnid")
      })
    }

    it("JetGetColumnInfo: by table name, the same JET_COLUMNDEF", () => {
      const x = setup(engine)
      const columnid = addColumn(x, "column3", JET_coltypLongText, 200, 1252)
      const buffer = new Uint8Array(columnDef.size)
      ok(x.api.JetGetColumnInfo(x.sesid, x.dbid, "table", "column3", buffer, buffer.byteLength, JET_ColInfo))
      const info = columnInfo(buffer)
      fact(info.cbMax, 200, "cbMax")
      fact(info.cp, 1252, "cp")
      fact(info.coltyp, JET_coltypLongText, "coltyp")
      fact(info.columnid, columnid, "columnid")
    })

    it("GetColumnDictionaryIsCaseInsensitive: column names match whatever their case", () => {
      const x = setup(engine)
      const buffer = new Uint8Array(columnDef.size)
      ok(
        x.api.JetGetTableColumnInfo(x.sesid, x.tableid, "tEsTcOLuMn", buffer, buffer.byteLength, JET_ColInfo)
      )
      fact(columnInfo(buffer).columnid, x.text, "columnid by another case")
    })

    it("CreateIndex: an index on the LongText column can be made current", () => {
      const x = setup(engine)
      const szKey = keyString("+TestColumn")
      ok(x.api.JetBeginTransaction(x.sesid))
      ok(
        x.api.JetCreateIndex2(x.sesid, x.tableid, [{
          szIndexName: "new_index",
          szKey,
          cbKey: szKey.length * 2
        }])
      )
      ok(x.api.JetCommitTransaction(x.sesid, 1))
      factErr(x.api.JetSetCurrentIndex4(x.sesid, x.tableid, "new_index", 0, 1), 0)
    })

    it("DeleteIndex: a deleted index cannot be made current", () => {
      const x = setup(engine)
      const szKey = keyString("+TestColumn")
      ok(x.api.JetBeginTransaction(x.sesid))
      ok(
        x.api.JetCreateIndex2(x.sesid, x.tableid, [{
          szIndexName: "index_to_delete",
          szKey,
          cbKey: szKey.length * 2
        }])
      )
      ok(x.api.JetCommitTransaction(x.sesid, 1))
      ok(x.api.JetBeginTransaction(x.sesid))
      ok(x.api.JetDeleteIndex(x.sesid, x.tableid, "index_to_delete"))
      ok(x.api.JetCommitTransaction(x.sesid, 1))
      factErr(x.api.JetSetCurrentIndex4(x.sesid, x.tableid, "index_to_delete", 0, 1), E.JET_errIndexNotFound)
    })

    it("DeleteColumn: a deleted column is no longer found", () => {
      const x = setup(engine)
      addColumn(x, "column_to_delete", JET_coltypLong, 0, 0)
      ok(x.api.JetBeginTransaction(x.sesid))
      ok(x.api.JetDeleteColumn2(x.sesid, x.tableid, "column_to_delete", 0))
      ok(x.api.JetCommitTransaction(x.sesid, 1))
      factErr(
        x.api.JetGetTableColumnInfo(
          x.sesid,
          x.tableid,
          "column_to_delete",
          new Uint8Array(64),
          64,
          JET_ColInfo
        ),
        E.JET_errColumnNotFound
      )
    })

    it("DeleteTable: a deleted table can no longer be opened", () => {
      const x = setup(engine)
      ok(x.api.JetBeginTransaction(x.sesid))
      const created = ok(x.api.JetCreateTableColumnIndex2(x.sesid, x.dbid, {
        szTableName: "table_to_delete",
        ulPages: 16,
        ulDensity: 100,
        rgcolumncreate: [],
        rgindexcreate: []
      }))
      ok(x.api.JetCloseTable(x.sesid, created.tableid))
      ok(x.api.JetCommitTransaction(x.sesid, 1))
      ok(x.api.JetBeginTransaction(x.sesid))
      ok(x.api.JetDeleteTable(x.sesid, x.dbid, "table_to_delete"))
      ok(x.api.JetCommitTransaction(x.sesid, 1))
      factErr(x.api.JetOpenTable(x.sesid, x.dbid, "table_to_delete", 0), E.JET_errObjectNotFound)
    })
  })

  describe("BasicTableTests.cs: DML", () => {
    it("InsertRecord", () => {
      const x = setup(engine)
      insertCommitted(x, "a test string")
      fact(readString(x), "a test string")
    })

    it("ReplaceRecord", () => {
      const x = setup(engine)
      insertCommitted(x, "original")
      ok(x.api.JetBeginTransaction(x.sesid))
      ok(x.api.JetPrepareUpdate(x.sesid, x.tableid, JET_prepReplace))
      setString(x, "new and improved")
      updateAndGoto(x)
      ok(x.api.JetCommitTransaction(x.sesid, 1))
      fact(readString(x), "new and improved")
    })

    it("ReplaceAndRollback", () => {
      const x = setup(engine)
      insertCommitted(x, "original")
      ok(x.api.JetBeginTransaction(x.sesid))
      ok(x.api.JetPrepareUpdate(x.sesid, x.tableid, JET_prepReplace))
      setString(x, "new and improved")
      updateAndGoto(x)
      ok(x.api.JetRollback(x.sesid, 0))
      fact(readString(x), "original")
    })

    it("InsertRecordAndDelete: reading the deleted record gives JET_errRecordDeleted", () => {
      const x = setup(engine)
      insertCommitted(x)
      ok(x.api.JetBeginTransaction(x.sesid))
      ok(x.api.JetDelete(x.sesid, x.tableid))
      ok(x.api.JetCommitTransaction(x.sesid, 1))
      factErr(x.api.JetRetrieveColumn(x.sesid, x.tableid, x.text, null, 0, 0, null), E.JET_errRecordDeleted)
    })

    it("JetGetLock / TestTryGetLock: a read lock, then a write lock, in one session", () => {
      const x = setup(engine)
      insertCommitted(x)
      ok(x.api.JetBeginTransaction(x.sesid))
      factErr(x.api.JetGetLock(x.sesid, x.tableid, JET_bitReadLock), 0, "read lock")
      factErr(x.api.JetGetLock(x.sesid, x.tableid, JET_bitWriteLock), 0, "write lock over own read lock")
      ok(x.api.JetRollback(x.sesid, 0))
      fact(readString(x), null, "the record is still readable")
    })

    /** The second session of the lock tests, on the record of `bookmark`, both in a transaction. */
    const otherSession = (x: Basic, bookmark: Uint8Array) => {
      const other = ok(x.api.JetDupSession(x.sesid)).sesid
      const dbid = ok(x.api.JetOpenDatabase(other, x.dbPath, null, 0)).dbid
      const tableid = ok(x.api.JetOpenTable(other, dbid, "table", 0)).tableid
      ok(x.api.JetGotoBookmark(x.sesid, x.tableid, bookmark, bookmark.byteLength))
      ok(x.api.JetGotoBookmark(other, tableid, bookmark, bookmark.byteLength))
      ok(x.api.JetBeginTransaction(x.sesid))
      ok(x.api.JetBeginTransaction(other))
      return { other, tableid }
    }

    it("VerifyJetGetLockThrowsExceptionOnWriteConflict: another session's read lock keeps a write lock out", () => {
      const x = setup(engine)
      const bookmark = insertCommitted(x)
      const { other, tableid } = otherSession(x, bookmark)
      ok(x.api.JetGetLock(x.sesid, x.tableid, JET_bitReadLock))
      factErr(x.api.JetGetLock(other, tableid, JET_bitWriteLock), E.JET_errWriteConflict)
      ok(x.api.JetRollback(x.sesid, 0))
      ok(x.api.JetRollback(other, 0))
      ok(x.api.JetEndSession(other, 0))
    })

    it("VerifyTryGetLockReturnsFalseOnWriteConflict: the write lock succeeds once the reader rolled back", () => {
      const x = setup(engine)
      const bookmark = insertCommitted(x)
      const { other, tableid } = otherSession(x, bookmark)
      factErr(x.api.JetGetLock(x.sesid, x.tableid, JET_bitReadLock), 0, "read lock")
      factErr(x.api.JetGetLock(other, tableid, JET_bitWriteLock), E.JET_errWriteConflict, "write lock")
      ok(x.api.JetRollback(x.sesid, 0))
      factErr(x.api.JetGetLock(other, tableid, JET_bitWriteLock), 0, "write lock after the rollback")
      ok(x.api.JetRollback(other, 0))
      ok(x.api.JetEndSession(other, 0))
    })
  })

  describe("BasicTableTests.cs: navigation", () => {
    it("JetGetBookmark / GetBookmark: the bookmark JetUpdate wrote is the one JetGetBookmark reads", () => {
      const x = setup(engine)
      const expected = insertCommitted(x)
      const actual = new Uint8Array(256)
      const { cbActual } = ok(x.api.JetGetBookmark(x.sesid, x.tableid, actual, actual.byteLength))
      fact(cbActual, expected.byteLength, "bookmark size")
      fact([...actual.slice(0, cbActual)], [...expected], "bookmark bytes")
    })

    it("RetrieveKey: the key of a just inserted record can be read", () => {
      const x = setup(engine)
      ok(x.api.JetBeginTransaction(x.sesid))
      ok(x.api.JetPrepareUpdate(x.sesid, x.tableid, JET_prepInsert))
      updateAndGoto(x)
      const key = new Uint8Array(256)
      factErr(x.api.JetRetrieveKey(x.sesid, x.tableid, key, key.byteLength, 0), 0)
      ok(x.api.JetCommitTransaction(x.sesid, 1))
    })
  })

  describe("BasicTableTests.cs: column values by itag", () => {
    it("ColumnStream: a LongText value set and read back", () => {
      const x = setup(engine)
      insertCommitted(x, "the string to be inserted")
      fact(readString(x), "the string to be inserted")
    })

    it("ColumnStreamMultiValue: values set at itags 1..6 are read back at the same itags", () => {
      const env = openEnv(engine)
      const t = createTable(env, "mv", {
        TestColumn: {
          coltyp: JET_coltypLongText,
          cp: 1200,
          grbit: JET_bitColumnTagged | JET_bitColumnMultiValued
        }
      })
      const data = ["this", "is", "a", "collection", "of", "multivalues"]
      ok(env.api.JetBeginTransaction(env.sesid))
      ok(env.api.JetPrepareUpdate(env.sesid, t.tableid, JET_prepInsert))
      data.forEach((s, i) => {
        const b = enc.utf16(s)
        ok(env.api.JetSetColumn(env.sesid, t.tableid, t.col.TestColumn, b, b.byteLength, 0, {
          ibLongValue: 0,
          itagSequence: i + 1
        }))
      })
      ok(env.api.JetUpdate(env.sesid, t.tableid, null, 0))
      ok(env.api.JetCommitTransaction(env.sesid, 1))
      ok(env.api.JetMove(env.sesid, t.tableid, JET_MoveFirst, 0))
      data.forEach((s, i) => {
        const v = retrieve(env.api, env.sesid, t.tableid, t.col.TestColumn, 0, i + 1)
        fact(v === null ? null : dec.utf16(v), s, `itag ${i + 1}`)
      })
    })
  })
})

declareFacts("BasicTableTests.cs", 39)
