import { describe, expect, it } from "vitest"
import type { JetApi } from "../../src/jet/api.ts"
import {
  JET_coltypLong,
  JET_ObjInfoList,
  JET_ObjInfoListNoStats,
  JET_objtypNil,
  JET_objtypTable
} from "../../src/jet/constants.ts"
import type { JET_DBID, JET_SESID } from "../../src/jet/handles.ts"
import { JET_COLUMNID, JET_TABLEID } from "../../src/jet/handles.ts"
import { structLayout } from "../../src/jet/structs.ts"
import type { Env } from "./harness.ts"
import {
  codes,
  createTable,
  dec,
  enc,
  expectErr,
  forEachEngine,
  insert,
  must,
  ok,
  openEnv,
  retrieve
} from "./harness.ts"

const objectList = structLayout("JET_OBJECTLIST")

/** Reads a `JET_OBJECTLIST` out of an info buffer. */
const decodeObjectList = (b: Uint8Array): Record<string, bigint | number> => {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const out: Record<string, bigint | number> = {}
  for (const f of objectList.fields) {
    out[f.name] = f.size === 8 ? view.getBigUint64(f.offset, true) : view.getUint32(f.offset, true)
  }
  return out
}

interface ObjectRow {
  readonly name: string
  readonly objtyp: number
  readonly flags: number
  readonly cRecord: number
}

// ESENT lists its own catalog tables too, flagged JET_bitObjectSystem
// [D/jet-objectinfo-structure]; the tests look at the user tables only.
const bitObjectSystem = 0x80000000

/** Every row of an object list, read through the columnids it hands back; closes the table. */
const readObjectList = (
  api: JetApi,
  sesid: JET_SESID,
  dbid: JET_DBID,
  level: number
): { readonly cRecord: number; readonly rows: Array<ObjectRow> } => {
  const buffer = new Uint8Array(objectList.size)
  ok(api.JetGetObjectInfo(sesid, dbid, JET_objtypTable, null, null, buffer, buffer.byteLength, level))
  const list = decodeObjectList(buffer)
  expect(list["cbStruct"]).toBe(objectList.size)
  const tableid = JET_TABLEID(list["tableid"] as bigint)
  const col = (name: string): JET_COLUMNID => JET_COLUMNID(list[name] as number)
  const rows: Array<ObjectRow> = []
  let err = api.JetMove(sesid, tableid, -0x80000000, 0).err
  while (err === 0) {
    rows.push({
      name: dec.utf16(must(retrieve(api, sesid, tableid, col("columnidobjectname")))),
      objtyp: dec.i32(must(retrieve(api, sesid, tableid, col("columnidobjtyp")))),
      flags: dec.u32(retrieve(api, sesid, tableid, col("columnidflags")) ?? enc.u32(0)),
      cRecord: dec.u32(retrieve(api, sesid, tableid, col("columnidcRecord")) ?? enc.u32(0))
    })
    err = api.JetMove(sesid, tableid, 1, 0).err
  }
  expectErr(err, codes.JET_errNoCurrentRecord)
  ok(api.JetCloseTable(sesid, tableid))
  return { cRecord: list["cRecord"] as number, rows }
}

const userRows = (rows: ReadonlyArray<ObjectRow>): Array<ObjectRow> =>
  rows.filter((r) => ((r.flags >>> 0) & bitObjectSystem) === 0)

forEachEngine((engine) => {
  describe("object lists", () => {
    const twoTables = (env: Env): void => {
      const a = createTable(env, "Beta", { id: { coltyp: JET_coltypLong } })
      for (const id of [1, 2, 3]) insert(env.api, env.sesid, a.tableid, [[a.col.id, enc.i32(id)]])
      createTable(env, "alpha", { id: { coltyp: JET_coltypLong } })
    }

    it("[D/jetgetobjectinfo-function] JET_ObjInfoList fills a temporary table with one row per table, with its record count", () => {
      const env = openEnv(engine)
      twoTables(env)
      const { cRecord, rows } = readObjectList(env.api, env.sesid, env.dbid, JET_ObjInfoList)
      expect(cRecord).toBe(rows.length)
      const user = userRows(rows)
      expect(user.map((r) => r.name).sort()).toEqual(["Beta", "alpha"])
      for (const r of user) expect(r.objtyp).toBe(JET_objtypTable)
      expect(user.find((r) => r.name === "Beta")?.cRecord).toBe(3)
      expect(user.find((r) => r.name === "alpha")?.cRecord).toBe(0)
    })

    it("[D/jet-objectlist-structure] JET_ObjInfoListNoStats lists the same tables", () => {
      const env = openEnv(engine)
      twoTables(env)
      const { rows } = readObjectList(env.api, env.sesid, env.dbid, JET_ObjInfoListNoStats)
      expect(userRows(rows).map((r) => r.name).sort()).toEqual(["Beta", "alpha"])
    })

    it("[D/jetgetobjectinfo-function] JET_objtypNil lists tables as JET_objtypTable does", () => {
      const env = openEnv(engine)
      twoTables(env)
      const buffer = new Uint8Array(objectList.size)
      ok(
        env.api.JetGetObjectInfo(
          env.sesid,
          env.dbid,
          JET_objtypNil,
          null,
          "",
          buffer,
          buffer.byteLength,
          JET_ObjInfoListNoStats
        )
      )
      const list = decodeObjectList(buffer)
      ok(env.api.JetCloseTable(env.sesid, JET_TABLEID(list["tableid"] as bigint)))
      expect(list["cRecord"]).toBe(
        readObjectList(env.api, env.sesid, env.dbid, JET_ObjInfoListNoStats).cRecord
      )
    })

    it("[D/jetgetobjectinfo-function] a database without tables lists no user table", () => {
      const env = openEnv(engine)
      const { rows } = readObjectList(env.api, env.sesid, env.dbid, JET_ObjInfoList)
      expect(userRows(rows)).toEqual([])
    })

    it("§3 the list shows the transaction's snapshot: a table created inside it is listed, and gone after rollback", () => {
      const env = openEnv(engine)
      ok(env.api.JetBeginTransaction(env.sesid))
      const t = createTable(env, "scratch", { id: { coltyp: JET_coltypLong } })
      expect(
        userRows(readObjectList(env.api, env.sesid, env.dbid, JET_ObjInfoListNoStats).rows).map((r) => r.name)
      )
        .toEqual(["scratch"])
      ok(env.api.JetCloseTable(env.sesid, t.tableid))
      ok(env.api.JetRollback(env.sesid, 0))
      expect(userRows(readObjectList(env.api, env.sesid, env.dbid, JET_ObjInfoListNoStats).rows)).toEqual([])
    })

    it("[D/jetgetobjectinfo-function] a buffer smaller than JET_OBJECTLIST: JET_errBufferTooSmall", () => {
      const env = openEnv(engine)
      const buffer = new Uint8Array(objectList.size - 1)
      expectErr(
        env.api.JetGetObjectInfo(
          env.sesid,
          env.dbid,
          JET_objtypTable,
          null,
          null,
          buffer,
          buffer.byteLength,
          JET_ObjInfoList
        ),
        codes.JET_errBufferTooSmall
      )
    })
  })
})
