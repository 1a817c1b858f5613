/**
 * Facts from ManagedEsent's `EsentInteropTests/DdlRenameTests.cs` (class `DdlRenameTests`):
 * renaming tables and columns, and changing a column's default value, which records that never
 * set the column then read.
 *
 * Facts checked per engine: 4 (see `declareFacts` at the end).
 */
import { describe, it } from "vitest"
import type { JetApi } from "../../../src/jet/api.ts"
import {
  JET_ColInfo,
  JET_coltypLong,
  JET_coltypLongText,
  JET_MoveFirst,
  JET_prepInsert
} from "../../../src/jet/constants.ts"
import type { JET_DBID, JET_SESID, JET_TABLEID } from "../../../src/jet/handles.ts"
import { structLayout } from "../../../src/jet/structs.ts"
import { dec, enc, forEachEngine, ok, openEnv, retrieve } from "../harness.ts"
import { declareFacts, fact, factErr, onEngine } from "./facts.ts"

/** The source's `JetCreateTable(sesid, dbid, "table", 1, 100)`: an empty table, opened. */
const createEmpty = (api: JetApi, sesid: JET_SESID, dbid: JET_DBID): JET_TABLEID =>
  ok(api.JetCreateTableColumnIndex2(sesid, dbid, {
    szTableName: "table",
    ulPages: 1,
    ulDensity: 100,
    rgcolumncreate: [],
    rgindexcreate: []
  })).tableid

forEachEngine((engine) => {
  onEngine(engine.name)

  describe("DdlRenameTests.cs", () => {
    it("TestJetRenameTable: the table opens under its new name", () => {
      const env = openEnv(engine)
      ok(env.api.JetCloseTable(env.sesid, createEmpty(env.api, env.sesid, env.dbid)))
      ok(env.api.JetRenameTable(env.sesid, env.dbid, "table", "newtable"))
      factErr(env.api.JetOpenTable(env.sesid, env.dbid, "newtable", 0), 0)
    })

    it("TestJetRenameColumn: the column is found under its new name, with the same id", () => {
      const env = openEnv(engine)
      const tableid = createEmpty(env.api, env.sesid, env.dbid)
      const { columnid } = ok(
        env.api.JetAddColumn(env.sesid, tableid, "old", { coltyp: JET_coltypLong }, null, 0)
      )
      ok(env.api.JetRenameColumn(env.sesid, tableid, "old", "new", 0))
      const def = structLayout("JET_COLUMNDEF")
      const buffer = new Uint8Array(def.size)
      ok(env.api.JetGetTableColumnInfo(env.sesid, tableid, "new", buffer, buffer.byteLength, JET_ColInfo))
      const at = def.fields.find((f) => f.name === "columnid")?.offset ?? -1
      fact(new DataView(buffer.buffer).getUint32(at, true), columnid)
      ok(env.api.JetCloseTable(env.sesid, tableid))
    })

    it("TestJetSetColumnDefaultValue: a record that never set the column reads the new default", () => {
      const env = openEnv(engine)
      let tableid = createEmpty(env.api, env.sesid, env.dbid)
      const { columnid } = ok(
        env.api.JetAddColumn(
          env.sesid,
          tableid,
          "column",
          { coltyp: JET_coltypLongText, cp: 1200 },
          enc.ascii("default"),
          7
        )
      )
      ok(env.api.JetPrepareUpdate(env.sesid, tableid, JET_prepInsert))
      ok(env.api.JetUpdate(env.sesid, tableid, null, 0))
      const firstAsAscii = (): string => {
        ok(env.api.JetMove(env.sesid, tableid, JET_MoveFirst, 0))
        return dec.ascii(retrieve(env.api, env.sesid, tableid, columnid) as Uint8Array)
      }
      fact(firstAsAscii(), "default", "the default")
      ok(env.api.JetCloseTable(env.sesid, tableid))
      ok(
        env.api.JetSetColumnDefaultValue(env.sesid, env.dbid, "table", "column", enc.ascii("newfault"), 8, 0)
      )
      tableid = ok(env.api.JetOpenTable(env.sesid, env.dbid, "table", 0)).tableid
      fact(firstAsAscii(), "newfault", "the new default")
    })
  })
})

declareFacts("DdlRenameTests.cs", 4)
