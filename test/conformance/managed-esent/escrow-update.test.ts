/**
 * Facts from ManagedEsent's `EsentInteropTests/EscrowUpdateTests.cs` (class `EscrowUpdateTests`): a
 * Long escrow column with default 0 on a one-record table.
 *
 * Facts checked per engine: 8 (see `declareFacts` at the end).
 */
import { describe, it } from "vitest"
import {
  JET_bitColumnEscrowUpdate,
  JET_ColInfoByColid,
  JET_coltypLong,
  JET_MoveFirst,
  JET_prepInsert
} from "../../../src/jet/constants.ts"
import { structLayout } from "../../../src/jet/structs.ts"
import type { Engine } from "../engines.ts"
import { dec, enc, forEachEngine, ok, openEnv, retrieve } from "../harness.ts"
import { declareFacts, fact, onEngine } from "./facts.ts"

/** The source's `Setup`: the escrow column added with a default of 0, one record inserted. */
const setup = (engine: Engine) => {
  const env = openEnv(engine)
  ok(env.api.JetBeginTransaction(env.sesid))
  const created = ok(env.api.JetCreateTableColumnIndex2(env.sesid, env.dbid, {
    szTableName: "table",
    ulPages: 0,
    ulDensity: 100,
    rgcolumncreate: [],
    rgindexcreate: []
  }))
  const { columnid } = ok(
    env.api.JetAddColumn(
      env.sesid,
      created.tableid,
      "EscrowColumn",
      { coltyp: JET_coltypLong, grbit: JET_bitColumnEscrowUpdate },
      enc.i32(0),
      4
    )
  )
  ok(env.api.JetCloseTable(env.sesid, created.tableid))
  ok(env.api.JetCommitTransaction(env.sesid, 1))
  const { tableid } = ok(env.api.JetOpenTable(env.sesid, env.dbid, "table", 0))
  ok(env.api.JetBeginTransaction(env.sesid))
  ok(env.api.JetPrepareUpdate(env.sesid, tableid, JET_prepInsert))
  ok(env.api.JetUpdate(env.sesid, tableid, null, 0))
  ok(env.api.JetCommitTransaction(env.sesid, 1))
  ok(env.api.JetMove(env.sesid, tableid, JET_MoveFirst, 0))
  const read = (): number | null => {
    const v = retrieve(env.api, env.sesid, tableid, columnid)
    return v === null ? null : dec.i32(v)
  }
  return { ...env, tableid, columnid, read }
}

forEachEngine((engine) => {
  onEngine(engine.name)

  describe("EscrowUpdateTests.cs", () => {
    it("VerifyFixtureSetup: a Long column with the escrow bit, reading 0 (its default)", () => {
      const x = setup(engine)
      const def = structLayout("JET_COLUMNDEF")
      const buffer = new Uint8Array(def.size)
      ok(
        x.api.JetGetTableColumnInfo(
          x.sesid,
          x.tableid,
          x.columnid,
          buffer,
          buffer.byteLength,
          JET_ColInfoByColid
        )
      )
      const field = (name: string) =>
        new DataView(buffer.buffer).getUint32(def.fields.find((f) => f.name === name)?.offset ?? -1, true)
      fact(field("coltyp"), JET_coltypLong, "coltyp")
      fact(field("grbit") & JET_bitColumnEscrowUpdate, JET_bitColumnEscrowUpdate, "escrow bit")
      fact(x.read(), 0, "value")
    })

    it("VerifyJetEscrowUpdateReturnsOldValue", () => {
      const x = setup(engine)
      const previous = new Uint8Array(4)
      ok(x.api.JetBeginTransaction(x.sesid))
      const { cbOldActual } = ok(
        x.api.JetEscrowUpdate(x.sesid, x.tableid, x.columnid, enc.i32(1), 4, previous, 4, 0)
      )
      ok(x.api.JetCommitTransaction(x.sesid, 1))
      fact(cbOldActual, 4, "size of the old value")
      fact(dec.i32(previous), 0, "old value")
    })

    it("VerifyJetEscrowUpdateUpdatesColumn: a negative delta", () => {
      const x = setup(engine)
      ok(x.api.JetBeginTransaction(x.sesid))
      ok(x.api.JetEscrowUpdate(x.sesid, x.tableid, x.columnid, enc.i32(-9), 4, null, 0, 0))
      ok(x.api.JetCommitTransaction(x.sesid, 1))
      fact(x.read(), -9)
    })

    it("VerifyEscrowUpdateReturnsOldValue", () => {
      const x = setup(engine)
      const previous = new Uint8Array(4)
      ok(x.api.JetBeginTransaction(x.sesid))
      ok(x.api.JetEscrowUpdate(x.sesid, x.tableid, x.columnid, enc.i32(1), 4, previous, 4, 0))
      ok(x.api.JetCommitTransaction(x.sesid, 1))
      fact(dec.i32(previous), 0)
    })

    it("VerifyEscrowUpdateUpdatesColumn", () => {
      const x = setup(engine)
      ok(x.api.JetBeginTransaction(x.sesid))
      ok(x.api.JetEscrowUpdate(x.sesid, x.tableid, x.columnid, enc.i32(17), 4, null, 0, 0))
      ok(x.api.JetCommitTransaction(x.sesid, 1))
      fact(x.read(), 17)
    })
  })
})

declareFacts("EscrowUpdateTests.cs", 8)
