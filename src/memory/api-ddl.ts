/**
 * `JetApi` calls that create, change and describe tables, columns and indexes.
 *
 * @module
 */
import type { JetColumnCreate, JetIndexCreate, JetTableCreate } from "../jet/api.ts"
import { jetErrorCodes as E } from "../jet/errors.generated.ts"
import { JET_COLUMNID, JET_TABLEID } from "../jet/handles.ts"
import {
  writeColumnInfo,
  writeIndexInfo,
  writeObjectInfo,
  writeObjectList,
  writeString
} from "./catalog-info.ts"
import { addColumnTo, addIndexTo, ddlOnTable, validName } from "./catalog.ts"
import { paramMaxCursors } from "./constants.ts"
import type { DbVersion } from "./model.ts"
import { cloneTable, nameKey, newTable, ownTable } from "./model.ts"
import { err } from "./results.ts"
import type { EngineState } from "./state.ts"
import {
  apiPart,
  closeCursor,
  cursorTable,
  getCursor,
  getDb,
  getSession,
  keyMostOf,
  namedTable,
  newCursor,
  numParam
} from "./state.ts"
import { findTable, logOp, readTable, readView, writeView } from "./transactions.ts"
import { copyBytes } from "./util.ts"

/** The engine's DDL and schema information calls. */
export const ddlApi = (st: EngineState) =>
  apiPart({
    // DDL

    JetCreateTableColumnIndex2(sesid, dbid, tc: JetTableCreate) {
      const fail = (
        e: number,
        columnErrs: Array<number> = [],
        indexErrs: Array<number> = [],
        cCreated = 0
      ) => ({
        err: e,
        tableid: JET_TABLEID(0n),
        cCreated,
        columnids: tc.rgcolumncreate.map(() => JET_COLUMNID(0)),
        columnErrs: tc.rgcolumncreate.map((_, i) => columnErrs[i] ?? 0),
        indexErrs: tc.rgindexcreate.map((_, i) => indexErrs[i] ?? 0)
      })
      const s = getSession(st, sesid)
      if (typeof s === "number") return fail(s)
      const a = getDb(s, dbid)
      if (typeof a === "number") return fail(a)
      if (s.level > 0 && s.readOnly) return fail(E.JET_errTransReadOnly)
      if (a.readOnly) return fail(E.JET_errPermissionDenied)
      if (!validName(tc.szTableName)) return fail(E.JET_errInvalidName)
      if (s.inst.cursorCount >= numParam(st, s.inst, paramMaxCursors)) return fail(E.JET_errOutOfCursors)
      const view = readView(s, a.db)
      if (view.names.has(nameKey(tc.szTableName))) return fail(E.JET_errTableDuplicate)
      const tv = newTable(tc.szTableName)
      const columnErrs: Array<number> = []
      const columnids: Array<JET_COLUMNID> = []
      let created = 1
      for (const cc of tc.rgcolumncreate as ReadonlyArray<JetColumnCreate>) {
        if (cc.pvDefault != null && (cc.cbDefault ?? 0) > cc.pvDefault.byteLength) {
          return fail(E.JET_errInvalidParameter, columnErrs, [], created)
        }
        const dflt = cc.pvDefault == null || (cc.cbDefault ?? 0) === 0
          ? null
          : copyBytes(cc.pvDefault, cc.cbDefault ?? 0)
        const id = addColumnTo(
          tv.schema,
          cc.szColumnName,
          { coltyp: cc.coltyp, cbMax: cc.cbMax ?? 0, grbit: cc.grbit ?? 0, cp: cc.cp ?? 0 },
          dflt
        )
        if (id < 0) {
          columnErrs.push(id)
          return fail(id, columnErrs, [], created)
        }
        columnErrs.push(0)
        columnids.push(JET_COLUMNID(id))
        created++
      }
      const indexErrs: Array<number> = []
      for (const ic of tc.rgindexcreate) {
        const r = addIndexTo(tv, ic, keyMostOf(st, s.inst))
        indexErrs.push(r)
        if (r < 0) return fail(r, columnErrs, indexErrs, created)
        created++
      }
      // The replayed creation must install the table as created, not as later changed.
      const pristine = cloneTable(tv)
      const target = writeView(s, a.db)
      const install = (v: DbVersion): void => {
        if (v.names.has(nameKey(tv.name))) return
        v.tables.set(tv.shared.id, v === target ? tv : cloneTable(pristine))
        if (v.owned === undefined) v.owned = new Set()
        v.owned.add(tv.shared.id)
        v.names.set(nameKey(tv.name), tv.shared.id)
      }
      install(target)
      logOp(s, a.db, install)
      const c = newCursor(st, s, { dbid, db: a.db, tid: tv.shared.id, temp: undefined }, 0)
      return { err: 0, tableid: JET_TABLEID(c.id), cCreated: created, columnids, columnErrs, indexErrs }
    },

    JetDeleteTable(sesid, dbid, tableName) {
      const s = getSession(st, sesid)
      if (typeof s === "number") return err(s)
      const a = getDb(s, dbid)
      if (typeof a === "number") return err(a)
      if (s.level > 0 && s.readOnly) return err(E.JET_errTransReadOnly)
      const t = findTable(readView(s, a.db), tableName)
      if (t === undefined) return err(E.JET_errObjectNotFound)
      for (const c of st.cursors.values()) {
        if (c.db === a.db && c.tid === t.shared.id) return err(E.JET_errTableInUse)
      }
      const id = t.shared.id
      const drop = (v: DbVersion): void => {
        const x = v.tables.get(id)
        if (x === undefined) return
        v.tables.delete(id)
        v.names.delete(nameKey(x.name))
      }
      drop(writeView(s, a.db))
      logOp(s, a.db, drop)
      return err(0)
    },

    JetRenameTable(sesid, dbid, name, newName) {
      const s = getSession(st, sesid)
      if (typeof s === "number") return err(s)
      const a = getDb(s, dbid)
      if (typeof a === "number") return err(a)
      if (s.level > 0 && s.readOnly) return err(E.JET_errTransReadOnly)
      if (!validName(newName)) return err(E.JET_errInvalidName)
      const view = readView(s, a.db)
      const t = findTable(view, name)
      if (t === undefined) return err(E.JET_errObjectNotFound)
      const other = view.names.get(nameKey(newName))
      if (other !== undefined && other !== t.shared.id) return err(E.JET_errTableDuplicate)
      const id = t.shared.id
      const rename = (v: DbVersion): void => {
        const x = ownTable(v, id)
        if (x === undefined) return
        v.names.delete(nameKey(x.name))
        x.name = newName
        v.names.set(nameKey(newName), id)
      }
      rename(writeView(s, a.db))
      logOp(s, a.db, rename)
      return err(0)
    },

    JetAddColumn(sesid, tableid, columnName, columndef, pvDefault, cbDefault) {
      const fail = (e: number) => ({ err: e, columnid: JET_COLUMNID(0) })
      if (pvDefault !== null && cbDefault > pvDefault.byteLength) return fail(E.JET_errInvalidParameter)
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return fail(c)
      const dflt = pvDefault === null || cbDefault === 0 ? null : copyBytes(pvDefault, cbDefault)
      let id = 0
      const r = ddlOnTable(c, (t) => {
        const x = addColumnTo(
          t.schema,
          columnName,
          {
            coltyp: columndef.coltyp,
            cbMax: columndef.cbMax ?? 0,
            grbit: columndef.grbit ?? 0,
            cp: columndef.cp ?? 0
          },
          dflt
        )
        if (x >= 0) id = x
        return x < 0 ? x : 0
      })
      return { err: r, columnid: JET_COLUMNID(r < 0 ? 0 : id) }
    },

    JetDeleteColumn2(sesid, tableid, columnName, _grbit) {
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return err(c)
      return err(ddlOnTable(c, (t) => {
        const col = t.schema.byName.get(nameKey(columnName))
        if (col === undefined) return E.JET_errColumnNotFound
        for (const idx of t.schema.indexes.values()) {
          if (idx.segments.some((x) => x.columnId === col.id)) return E.JET_errColumnInUse
        }
        t.schema.columns.delete(col.id)
        t.schema.byName.delete(nameKey(columnName))
        return 0
      }))
    },

    JetRenameColumn(sesid, tableid, name, newName, _grbit) {
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return err(c)
      return err(ddlOnTable(c, (t) => {
        const col = t.schema.byName.get(nameKey(name))
        if (col === undefined) return E.JET_errColumnNotFound
        if (!validName(newName)) return E.JET_errInvalidName
        const other = t.schema.byName.get(nameKey(newName))
        if (other !== undefined && other !== col) return E.JET_errColumnDuplicate
        t.schema.byName.delete(nameKey(name))
        col.name = newName
        t.schema.byName.set(nameKey(newName), col)
        return 0
      }))
    },

    JetSetColumnDefaultValue(sesid, dbid, tableName, columnName, pvData, cbData, _grbit) {
      if (pvData !== null && cbData > pvData.byteLength) return err(E.JET_errInvalidParameter)
      const found = namedTable(st, sesid, dbid, tableName)
      if (typeof found === "number") return err(found)
      const { s, a, t } = found
      const c = newCursor(st, s, { dbid, db: a.db, tid: t.shared.id, temp: undefined }, 0)
      const value = pvData === null || cbData === 0 ? null : copyBytes(pvData, cbData)
      const r = ddlOnTable(c, (x) => {
        const col = x.schema.byName.get(nameKey(columnName))
        if (col === undefined) return E.JET_errColumnNotFound
        col.defaultValue = value
        return 0
      })
      closeCursor(st, c)
      return err(r)
    },

    JetCreateIndex2(sesid, tableid, indexcreate) {
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return { err: c, indexErrs: indexcreate.map(() => 0) }
      const indexErrs: Array<number> = indexcreate.map(() => 0)
      for (let i = 0; i < indexcreate.length; i++) {
        const ic = indexcreate[i] as JetIndexCreate
        const r = ddlOnTable(c, (t) => addIndexTo(t, ic, keyMostOf(st, c.s.inst)))
        indexErrs[i] = r
        if (r < 0) return { err: r, indexErrs }
      }
      return { err: 0, indexErrs }
    },

    JetDeleteIndex(sesid, tableid, indexName) {
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return err(c)
      const t0 = readTable(c)
      if (t0 === undefined) return err(E.JET_errObjectNotFound)
      const idx = t0.schema.indexes.get(nameKey(indexName))
      if (idx === undefined) return err(E.JET_errIndexNotFound)
      if (idx.primary) return err(E.JET_errIndexMustStay)
      for (const x of st.cursors.values()) {
        if (
          x !== c && x.db === c.db && x.tid === c.tid && x.indexName !== undefined
          && nameKey(x.indexName) === nameKey(indexName)
        ) {
          return err(E.JET_errIndexInUse)
        }
      }
      const r = ddlOnTable(c, (t) => {
        if (!t.schema.indexes.delete(nameKey(indexName))) return E.JET_errIndexNotFound
        t.secondaries.delete(nameKey(indexName))
        return 0
      })
      if (r === 0 && c.indexName !== undefined && nameKey(c.indexName) === nameKey(indexName)) {
        c.indexName = undefined
        c.state = 0
      }
      return err(r)
    },

    // Schema information

    JetGetTableInfo(sesid, tableid, pvResult, cbMax, infoLevel) {
      if (cbMax > pvResult.byteLength) return err(E.JET_errInvalidParameter)
      const found = cursorTable(st, sesid, tableid)
      if (typeof found === "number") return err(found)
      const { c, t } = found
      const view = new DataView(pvResult.buffer, pvResult.byteOffset, pvResult.byteLength)
      switch (infoLevel) {
        case 0:
          return err(writeObjectInfo(t, pvResult, cbMax))
        case 1:
        case 12:
          return err(writeString(pvResult, cbMax, infoLevel === 1 ? t.name : ""))
        case 2:
          if (cbMax < 4) return err(E.JET_errBufferTooSmall)
          view.setUint32(0, c.dbid, true)
          return err(0)
        case 7:
        case 9:
        case 10:
        case 11: {
          const n = infoLevel === 7 ? 3 : 2
          if (cbMax < 4 * (infoLevel === 9 ? 2 : 1)) return err(E.JET_errBufferTooSmall)
          if (infoLevel === 9) {
            view.setUint32(0, 1, true)
            view.setUint32(4, 100, true)
          } else if (infoLevel === 7) {
            for (let i = 0; i < Math.min(n, cbMax / 4); i++) view.setUint32(i * 4, i === 0 ? 1 : 0, true)
          } else view.setUint32(0, infoLevel === 10 ? 1 : 0, true)
          return err(0)
        }
        default:
          return err(E.JET_errInvalidParameter)
      }
    },

    JetGetTableColumnInfo(sesid, tableid, column, pvResult, cbMax, infoLevel) {
      if (cbMax > pvResult.byteLength) return err(E.JET_errInvalidParameter)
      const found = cursorTable(st, sesid, tableid)
      if (typeof found === "number") return err(found)
      const { c, t } = found
      return err(writeColumnInfo(st, t, column, pvResult, cbMax, infoLevel, c.s))
    },

    JetGetColumnInfo(sesid, dbid, tableName, column, pvResult, cbMax, infoLevel) {
      if (cbMax > pvResult.byteLength) return err(E.JET_errInvalidParameter)
      const found = namedTable(st, sesid, dbid, tableName)
      if (typeof found === "number") return err(found)
      const { s, t } = found
      return err(writeColumnInfo(st, t, column, pvResult, cbMax, infoLevel, s))
    },

    JetGetTableIndexInfo(sesid, tableid, indexName, pvResult, cbResult, infoLevel) {
      if (cbResult > pvResult.byteLength) return err(E.JET_errInvalidParameter)
      const found = cursorTable(st, sesid, tableid)
      if (typeof found === "number") return err(found)
      const { c, t } = found
      return err(writeIndexInfo(st, t, indexName, pvResult, cbResult, infoLevel, c.s))
    },

    JetGetIndexInfo(sesid, dbid, tableName, indexName, pvResult, cbResult, infoLevel) {
      if (cbResult > pvResult.byteLength) return err(E.JET_errInvalidParameter)
      const found = namedTable(st, sesid, dbid, tableName)
      if (typeof found === "number") return err(found)
      const { s, t } = found
      return err(writeIndexInfo(st, t, indexName, pvResult, cbResult, infoLevel, s))
    },

    JetGetObjectInfo(sesid, dbid, objtyp, _containerName, objectName, pvResult, cbMax, infoLevel) {
      if (cbMax > pvResult.byteLength) return err(E.JET_errInvalidParameter)
      const s = getSession(st, sesid)
      if (typeof s === "number") return err(s)
      const a = getDb(s, dbid)
      if (typeof a === "number") return err(a)
      if (infoLevel !== 0 && infoLevel !== 5 && infoLevel !== 1 && infoLevel !== 2) {
        return err(E.JET_errInvalidParameter)
      }
      if (objtyp !== 1 && objtyp !== 0) return err(E.JET_errInvalidParameter)
      if (infoLevel === 1 || infoLevel === 2) {
        return err(writeObjectList(st, readView(s, a.db), infoLevel === 2, pvResult, cbMax, s))
      }
      if (objectName === null) return err(E.JET_errInvalidParameter)
      const t = findTable(readView(s, a.db), objectName)
      if (t === undefined) return err(E.JET_errObjectNotFound)
      return err(writeObjectInfo(t, pvResult, cbMax))
    }
  })
