/**
 * `JetApi` calls on records: preparing an update, setting and retrieving columns, enumerating them,
 * writing the update, deleting, and escrow updates.
 *
 * @module
 */
import type { JetEnumColumn, JetEnumColumnValue, JetRetrieveColumnResult } from "../jet/api.ts"
import { jetErrorCodes as E } from "../jet/errors.generated.ts"
import { JET_COLUMNID } from "../jet/handles.ts"
import type { ColumnLists } from "./columns.ts"
import { columnLists, retrieveOne, setOne, valuesOf } from "./columns.ts"
import {
  bitColumnEscrowUpdate,
  bitEnumerateCopy,
  bitEnumerateIgnoreDefault,
  bitEnumeratePresenceOnly,
  bitEnumerateTaggedOnly,
  bitIndexUnique,
  coltypCurrency,
  prepCancel,
  prepInsert,
  prepInsertCopyDeleteOriginal,
  prepInsertCopyReplaceOriginal,
  prepInsertMustSetAutoIncrement,
  prepReplace,
  prepReplaceNoLock,
  validPreps
} from "./constants.ts"
import { currentRecord } from "./cursors.ts"
import { effectiveValues, getRecord, primaryKeyOf, putRecord, recordKeys } from "./entries.ts"
import type { ColumnDef, Database, TableVersion } from "./model.ts"
import { ownTable } from "./model.ts"
import type { ColumnValues } from "./record.ts"
import { Rec } from "./record.ts"
import { empty, err } from "./results.ts"
import type { EngineState } from "./state.ts"
import { apiPart, checkWritable, getCursor, RecordWrite } from "./state.ts"
import {
  checkVersions,
  lockRecord,
  logOp,
  now,
  readTable,
  stampWrite,
  tick,
  writeTable
} from "./transactions.ts"
import { fromKey, toKey } from "./tree.ts"
import { beUint32, copyOut, fixedSize, leBytes, readLe } from "./util.ts"

// JetUpdate's successful results, one per bookmark length: shared and frozen, like `success`.
const updatedResults: Array<{ readonly err: number; readonly cbActual: number }> = []

const updated = (cbActual: number): { readonly err: number; readonly cbActual: number } =>
  updatedResults[cbActual] ??= Object.freeze({ err: 0, cbActual })

const updateFailure = (e: number): { err: number; cbActual: number } => ({ err: e, cbActual: 0 })

/** Sets the next autoincrement value of each autoincrement column into a new record's values. */
const assignAutoinc = (t: TableVersion, lists: ColumnLists, values: ColumnValues): void => {
  for (const col of lists.autoincrement) {
    const n = BigInt(++t.shared.autoinc)
    values.set(col.id, [leBytes(n, col.coltyp === coltypCurrency ? 8 : 4)])
  }
}

/** Sets each version column of a new record to 0. */
const initVersion = (lists: ColumnLists, values: ColumnValues): void => {
  for (const col of lists.version) values.set(col.id, [leBytes(0n, 4)])
}

/** The engine's update, retrieve and delete calls. */
export const recordApi = (st: EngineState) =>
  apiPart({
    // Updates

    JetPrepareUpdate(sesid, tableid, prep) {
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return err(c)
      if (prep === prepCancel) {
        if (c.prep === undefined) return err(E.JET_errUpdateNotPrepared)
        c.prep = undefined
        return err(0)
      }
      if (!validPreps.has(prep)) return err(E.JET_errInvalidParameter)
      if (c.prep !== undefined) return err(E.JET_errAlreadyPrepared)
      const w = checkWritable(c)
      if (w !== 0) return err(w)
      const t = readTable(c)
      if (t === undefined) return err(E.JET_errObjectNotFound)
      const schema = t.schema
      let values: Map<number, Array<Uint8Array>>
      let bm: string | undefined
      let orig: Rec | undefined
      const lists = columnLists(schema)
      if (prep === prepInsert || prep === prepInsertMustSetAutoIncrement) {
        values = new Map()
        if (prep === prepInsert) assignAutoinc(t, lists, values)
        initVersion(lists, values)
      } else {
        const rec = currentRecord(c, t)
        if (typeof rec === "number") return err(rec)
        values = new Map()
        for (const [k, v] of rec.values) values.set(k, v.slice())
        orig = rec
        if (prep === prepReplace || prep === prepReplaceNoLock || prep === prepInsertCopyReplaceOriginal) {
          bm = c.bm
          if (prep === prepReplace && c.s.level > 0) {
            const e = lockRecord(c, bm)
            if (e !== 0) return err(e)
          }
        } else if (prep === prepInsertCopyDeleteOriginal) {
          bm = c.bm
          if (c.s.level > 0) {
            const e = lockRecord(c, bm)
            if (e !== 0) return err(e)
          }
          // The copy is a new record: a new autoincrement value, as for JET_prepInsertCopy.
          assignAutoinc(t, lists, values)
          initVersion(lists, values)
        } else {
          assignAutoinc(t, lists, values)
          initVersion(lists, values)
        }
      }
      c.prep = { mode: prep, values, bm, orig, level: c.s.level }
      return err(0)
    },

    JetSetColumn(sesid, tableid, columnid, pvData, cbData, grbit, setinfo) {
      if (pvData !== null && cbData > pvData.byteLength) return err(E.JET_errInvalidParameter)
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return err(c)
      const t = readTable(c)
      if (t === undefined) return err(E.JET_errObjectNotFound)
      return err(
        // Without a JET_SETINFO the value goes to itag 1 (replacing the first value), not appended.
        setOne(c, t, columnid, pvData, cbData, grbit, setinfo?.ibLongValue ?? 0, setinfo?.itagSequence ?? 1)
      )
    },

    JetSetColumns(sesid, tableid, setcolumns) {
      for (const sc of setcolumns) {
        if (sc.pvData !== null && sc.cbData > sc.pvData.byteLength) {
          return { err: E.JET_errInvalidParameter, errs: setcolumns.map(() => 0) }
        }
      }
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return { err: c, errs: setcolumns.map(() => 0) }
      const t = readTable(c)
      if (t === undefined) return { err: E.JET_errObjectNotFound, errs: setcolumns.map(() => 0) }
      const errs: Array<number> = setcolumns.map(() => 0)
      for (let i = 0; i < setcolumns.length; i++) {
        const sc = setcolumns[i] as (typeof setcolumns)[number]
        const e = setOne(
          c,
          t,
          sc.columnid,
          sc.pvData,
          sc.cbData,
          sc.grbit ?? 0,
          sc.ibLongValue ?? 0,
          sc.itagSequence ?? 0
        )
        errs[i] = e
        if (e < 0) return { err: e, errs }
      }
      return { err: 0, errs }
    },

    JetRetrieveColumn(sesid, tableid, columnid, pvData, cbData, grbit, retinfo) {
      if (pvData !== null && cbData > pvData.byteLength) {
        return { err: E.JET_errInvalidParameter, cbActual: 0, columnidNextTagged: JET_COLUMNID(0) }
      }
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return { err: c, cbActual: 0, columnidNextTagged: JET_COLUMNID(0) }
      const t = readTable(c)
      if (t === undefined) {
        return { err: E.JET_errObjectNotFound, cbActual: 0, columnidNextTagged: JET_COLUMNID(0) }
      }
      return retrieveOne(
        c,
        t,
        columnid,
        pvData,
        cbData,
        grbit,
        retinfo?.ibLongValue ?? 0,
        retinfo?.itagSequence ?? 1
      )
    },

    JetRetrieveColumns(sesid, tableid, retrievecolumns) {
      const blank = (): Array<JetRetrieveColumnResult> =>
        retrievecolumns.map(() => ({ err: 0, cbActual: 0, columnidNextTagged: JET_COLUMNID(0) }))
      for (const rc of retrievecolumns) {
        if (rc.pvData !== null && rc.cbData > rc.pvData.byteLength) {
          return { err: E.JET_errInvalidParameter, columns: blank() }
        }
      }
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return { err: c, columns: blank() }
      const t = readTable(c)
      if (t === undefined) return { err: E.JET_errObjectNotFound, columns: blank() }
      const columns = blank()
      let warn = 0
      for (let i = 0; i < retrievecolumns.length; i++) {
        const rc = retrievecolumns[i] as (typeof retrievecolumns)[number]
        const r = retrieveOne(
          c,
          t,
          rc.columnid,
          rc.pvData,
          rc.cbData,
          rc.grbit ?? 0,
          rc.ibLongValue ?? 0,
          rc.itagSequence ?? 1
        )
        columns[i] = r
        if (r.err < 0) return { err: r.err, columns }
        if (r.err > 0 && warn === 0) warn = r.err
      }
      return { err: warn, columns }
    },

    JetEnumerateColumns(sesid, tableid, columnids, cbDataMost, grbit) {
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return { err: c, columns: [] }
      const t = readTable(c)
      if (t === undefined) return { err: E.JET_errObjectNotFound, columns: [] }
      const values = valuesOf(c, t, (grbit & bitEnumerateCopy) !== 0)
      if (typeof values === "number") return { err: values, columns: [] }
      const ignoreDefault = (grbit & bitEnumerateIgnoreDefault) !== 0
      const presence = (grbit & bitEnumeratePresenceOnly) !== 0
      const valueOf = (col: ColumnDef): Array<Uint8Array> | undefined =>
        ignoreDefault ? values.get(col.id) : effectiveValues(col, values)
      const out = (v: Uint8Array, itag: number): JetEnumColumnValue => {
        if (presence) return { itagSequence: itag, err: E.JET_wrnColumnPresent, data: empty }
        const truncated = cbDataMost > 0 && v.length > cbDataMost
        return {
          itagSequence: itag,
          err: truncated ? E.JET_wrnColumnTruncated : 0,
          data: truncated ? v.slice(0, cbDataMost) : v.slice()
        }
      }
      const columns: Array<JetEnumColumn> = []
      if (columnids === null || columnids.length === 0) {
        const cols = [...t.schema.columns.values()].sort((a, b) => a.id - b.id)
        for (const col of cols) {
          if ((grbit & bitEnumerateTaggedOnly) !== 0 && col.id < 256) continue
          const vs = valueOf(col)
          if (vs === undefined || vs.length === 0) continue
          columns.push({ columnid: JET_COLUMNID(col.id), err: 0, values: vs.map((v, i) => out(v, i + 1)) })
        }
        return { err: 0, columns }
      }
      for (const ec of columnids) {
        const col = t.schema.columns.get(ec.columnid)
        if (col === undefined) {
          columns.push({ columnid: ec.columnid, err: E.JET_errColumnNotFound, values: [] })
          continue
        }
        const vs = valueOf(col) ?? []
        if (ec.rgtagSequence === undefined || ec.rgtagSequence.length === 0) {
          columns.push({
            columnid: ec.columnid,
            err: vs.length === 0 ? E.JET_wrnColumnNull : 0,
            values: vs.map((v, i) => out(v, i + 1))
          })
        } else {
          columns.push({
            columnid: ec.columnid,
            err: 0,
            values: ec.rgtagSequence.map((itag) => {
              const v = vs[itag - 1]
              return v === undefined
                ? { itagSequence: itag, err: E.JET_wrnColumnNull, data: empty }
                : out(v, itag)
            })
          })
        }
      }
      return { err: 0, columns }
    },

    JetUpdate(sesid, tableid, pvBookmark, cbBookmark) {
      if (pvBookmark !== null && cbBookmark > pvBookmark.byteLength) {
        return { err: E.JET_errInvalidParameter, cbActual: 0 }
      }
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return { err: c, cbActual: 0 }
      const prep = c.prep
      if (prep === undefined) return { err: E.JET_errUpdateNotPrepared, cbActual: 0 }
      const s = c.s
      if (s.level > 0 && s.readOnly) return { err: E.JET_errTransReadOnly, cbActual: 0 }
      const t0 = readTable(c)
      if (t0 === undefined) return { err: E.JET_errObjectNotFound, cbActual: 0 }
      const schema = t0.schema
      const values = prep.values
      const lists = columnLists(schema)
      for (const col of lists.notNull) {
        const v = values.get(col.id)
        if ((v === undefined || v.length === 0) && col.defaultValue === null) {
          return updateFailure(E.JET_errNullInvalid)
        }
      }
      const replacing = prep.mode === prepReplace || prep.mode === prepReplaceNoLock
        || prep.mode === prepInsertCopyReplaceOriginal
      if (replacing) {
        for (const col of lists.version) {
          const old = values.get(col.id)?.[0]
          const n = old === undefined ? 0n : readLe(old)
          values.set(col.id, [leBytes(n + 1n, 4)])
        }
      }
      const temp = c.temp
      let bm: string
      if (schema.primary !== undefined) {
        const ks = recordKeys(schema, schema.primary, values)
        if (typeof ks === "number") return updateFailure(ks)
        const pk = ks[0] ?? ""
        if (replacing) {
          const orig = prep.bm as string
          if (primaryKeyOf(t0, orig) !== pk) return updateFailure(E.JET_errRecordPrimaryChanged)
          bm = orig
        } else if (t0.shared.dbk < 0 && temp !== undefined) {
          bm = pk + toKey(beUint32(++temp.seq))
        } else {
          bm = pk
          // InsertCopyDeleteOriginal deletes the original first: its own key is no duplicate.
          const ownOriginal = prep.mode === prepInsertCopyDeleteOriginal && prep.bm === bm
          if (!ownOriginal && getRecord(t0, bm) !== undefined) {
            if (temp !== undefined && temp.unique && !temp.errorOnDuplicate) {
              c.prep = undefined
              return { err: 0, cbActual: 0 }
            }
            return updateFailure(E.JET_errKeyDuplicate)
          }
        }
      } else if (replacing) bm = prep.bm as string
      else bm = toKey(beUint32(t0.shared.dbk + 1))
      const newKeys = t0.secondaries.size === 0 ? undefined : new Map<string, Array<string>>()
      for (const [name, idx] of schema.indexes) {
        if (idx.primary) continue
        const ks = recordKeys(schema, idx, values)
        if (typeof ks === "number") return updateFailure(ks)
        if ((idx.grbit & bitIndexUnique) !== 0) {
          const tree = t0.secondaries.get(name)
          if (tree !== undefined) {
            for (const k of ks) {
              const q = tree.seek(k, null, -1)
              const other = q === undefined ? undefined : tree.bmAt(q)
              if (
                q !== undefined && tree.keyAt(q) === k && other !== bm
                && !(prep.mode === prepInsertCopyDeleteOriginal && other === prep.bm)
              ) {
                return updateFailure(E.JET_errKeyDuplicate)
              }
            }
          }
        }
        newKeys?.set(name, ks)
      }
      if (temp === undefined) {
        const v = checkVersions(st, s)
        if (v !== 0) return updateFailure(v)
        if (replacing) {
          const cur = getRecord(t0, bm)
          if (cur !== prep.orig) {
            if (cur !== undefined && cur.writer === s.id) return updateFailure(E.JET_errSessionWriteConflict)
            return updateFailure(E.JET_errWriteConflict)
          }
        }
        const lk = lockRecord(c, bm, true)
        if (lk !== 0) return updateFailure(lk)
        if (prep.mode === prepInsertCopyDeleteOriginal && prep.bm !== undefined) {
          const lk2 = lockRecord(c, prep.bm)
          if (lk2 !== 0) return updateFailure(lk2)
        }
      }
      if (schema.primary === undefined && !replacing) t0.shared.dbk++
      const rec = new Rec(values, Infinity, s.id)
      const t = writeTable(c) as TableVersion
      const deleteOrig = prep.mode === prepInsertCopyDeleteOriginal ? prep.bm : undefined
      if (deleteOrig !== undefined && deleteOrig !== bm) putRecord(t, deleteOrig, undefined)
      putRecord(t, bm, rec, newKeys, !replacing && deleteOrig === undefined)
      if (temp === undefined) {
        stampWrite(s, rec)
        const tid = c.tid
        if (deleteOrig !== undefined && deleteOrig !== bm) {
          if (s.level > 0) {
            s.deletes.push({ map: t.shared.deleted, key: deleteOrig, level: s.level })
          } else t.shared.deleted.set(deleteOrig, now())
        }
        if (s.level > 0) {
          logOp(
            s,
            c.db as Database,
            new RecordWrite(tid, bm, rec, deleteOrig !== bm ? deleteOrig : undefined)
          )
        }
      }
      c.prep = undefined
      if (deleteOrig !== undefined) c.state = 0
      if (pvBookmark !== null) {
        copyOut(pvBookmark, cbBookmark, fromKey(bm))
        if (cbBookmark < bm.length) return { err: E.JET_wrnBufferTruncated, cbActual: bm.length }
      }
      return updated(bm.length)
    },

    JetDelete(sesid, tableid) {
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return err(c)
      const w = checkWritable(c)
      if (w !== 0) return err(w)
      const t0 = readTable(c)
      if (t0 === undefined) return err(E.JET_errObjectNotFound)
      const rec = currentRecord(c, t0)
      if (typeof rec === "number") return err(rec)
      const s = c.s
      const bm = c.bm
      if (c.temp === undefined) {
        const v = checkVersions(st, s)
        if (v !== 0) return err(v)
        const lk = lockRecord(c, bm)
        if (lk !== 0) return err(lk)
      }
      c.prep = undefined
      const t = writeTable(c) as TableVersion
      putRecord(t, bm, undefined)
      if (c.temp === undefined) {
        if (s.level > 0) {
          s.versions++
          s.deletes.push({ map: t.shared.deleted, key: bm, level: s.level })
        } else t.shared.deleted.set(bm, tick())
        const tid = c.tid
        logOp(s, c.db as Database, (target) => {
          const x = ownTable(target, tid)
          if (x !== undefined) putRecord(x, bm, undefined)
        })
      }
      c.hintTree = undefined
      return err(0)
    },

    JetEscrowUpdate(sesid, tableid, columnid, pv, cbMax, pvOld, cbOldMax, grbit) {
      if (cbMax > pv.byteLength || (pvOld !== null && cbOldMax > pvOld.byteLength)) {
        return { err: E.JET_errInvalidParameter, cbOldActual: 0 }
      }
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return { err: c, cbOldActual: 0 }
      if ((grbit & ~1) !== 0) return { err: E.JET_errInvalidGrbit, cbOldActual: 0 }
      const w = checkWritable(c)
      if (w !== 0) return { err: w, cbOldActual: 0 }
      const t0 = readTable(c)
      if (t0 === undefined) return { err: E.JET_errObjectNotFound, cbOldActual: 0 }
      const col = t0.schema.columns.get(columnid)
      if (col === undefined) return { err: E.JET_errColumnNotFound, cbOldActual: 0 }
      if ((col.grbit & bitColumnEscrowUpdate) === 0) return { err: E.JET_errInvalidOperation, cbOldActual: 0 }
      const size = fixedSize(col.coltyp)
      if (cbMax !== size) return { err: E.JET_errInvalidBufferSize, cbOldActual: 0 }
      if (c.prep !== undefined) return { err: E.JET_errAlreadyPrepared, cbOldActual: 0 }
      const rec = currentRecord(c, t0)
      if (typeof rec === "number") return { err: rec, cbOldActual: 0 }
      const s = c.s
      const v = checkVersions(st, s)
      if (v !== 0) return { err: v, cbOldActual: 0 }
      const delta = readLe(pv.subarray(0, size))
      const oldBytes = effectiveValues(col, rec.values)?.[0] ?? new Uint8Array(size)
      copyOut(pvOld, cbOldMax, oldBytes)
      const bm = c.bm
      const apply = (x: TableVersion, r: Rec): Rec => {
        const values = new Map(r.values)
        const old = effectiveValues(col, r.values)?.[0]
        values.set(col.id, [leBytes((old === undefined ? 0n : readLe(old)) + delta, size)])
        const nr = new Rec(values, r.commitTs, r.writer)
        putRecord(x, bm, nr)
        return nr
      }
      const t = writeTable(c) as TableVersion
      const nr = apply(t, rec)
      if (c.temp === undefined) {
        if (s.level === 0) nr.commitTs = tick()
        else s.versions++
        const tid = c.tid
        logOp(s, c.db as Database, (target) => {
          const x = ownTable(target, tid)
          const r = x === undefined ? undefined : getRecord(x, bm)
          if (x !== undefined && r !== undefined) apply(x, r)
        })
      }
      return { err: 0, cbOldActual: size }
    }
  })
