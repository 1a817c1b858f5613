// The names of a database's tables, from the engine's JET_ObjInfoListNoStats list (the Effect API
// has no call for it yet).
import { Effect } from "effect"
import type { Database as Db } from "../../../src/index.ts"
import { Database } from "../../../src/index.ts"
import {
  JET_MoveFirst,
  JET_MoveNext,
  JET_ObjInfoListNoStats,
  JET_objtypTable
} from "../../../src/jet/constants.ts"
import { JET_COLUMNID, JET_TABLEID } from "../../../src/jet/handles.ts"
import { structLayout } from "../../../src/jet/structs.ts"

export const tableNames = (db: Db.Database) =>
  Database.call(db, "JetGetObjectInfo", (api, sesid, dbid) => {
    const layout = structLayout("JET_OBJECTLIST")
    const struct = new Uint8Array(layout.size)
    const view = new DataView(struct.buffer)
    const r = api.JetGetObjectInfo(
      sesid,
      dbid,
      JET_objtypTable,
      null,
      null,
      struct,
      layout.size,
      JET_ObjInfoListNoStats
    )
    if (r.err < 0) return { err: r.err, names: [] as Array<string> }
    const tableid = JET_TABLEID(view.getBigUint64(layout.byName.get("tableid")!.offset, true))
    const nameColumn = JET_COLUMNID(view.getUint32(layout.byName.get("columnidobjectname")!.offset, true))
    const names: Array<string> = []
    const buffer = new Uint8Array(512)
    for (
      let m = api.JetMove(sesid, tableid, JET_MoveFirst, 0);
      m.err >= 0;
      m = api.JetMove(sesid, tableid, JET_MoveNext, 0)
    ) {
      const got = api.JetRetrieveColumn(sesid, tableid, nameColumn, buffer, buffer.byteLength, 0, null)
      names.push(Buffer.from(buffer.subarray(0, got.cbActual)).toString("utf16le").replace(/\0+$/, ""))
    }
    api.JetCloseTable(sesid, tableid)
    return { err: 0, names }
  }).pipe(Effect.map((r) => r.names))
