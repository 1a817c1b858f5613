/**
 * `JetApi` calls on cursors: opening and closing tables and temporary tables, moving, making keys,
 * seeking, index ranges, current index, bookmarks, positions and locks.
 *
 * @module
 */
import type { JetColumnDef } from "../jet/api.ts"
import { jetErrorCodes as E } from "../jet/errors.generated.ts"
import { JET_COLUMNID, JET_TABLEID } from "../jet/handles.ts"
import { addColumnTo, addIndexTo } from "./catalog.ts"
import {
  bitCheckUniqueness,
  bitColumnTTDescending,
  bitColumnTTKey,
  bitFullColumnEndLimit,
  bitFullColumnStartLimit,
  bitIndexPrimary,
  bitIndexSortNullsHigh,
  bitMoveKeyNE,
  bitNewKey,
  bitNoMove,
  bitNormalizedKey,
  bitPartialColumnEndLimit,
  bitPartialColumnStartLimit,
  bitRangeInclusive,
  bitRangeInstantDuration,
  bitRangeRemove,
  bitRangeUpperLimit,
  bitRetrieveCopy,
  bitSeekEQ,
  bitSeekGE,
  bitSeekGT,
  bitSeekLE,
  bitSeekLT,
  bitSetIndexRange,
  bitStrLimit,
  bitSubStrLimit,
  bitTableDenyRead,
  bitTableDenyWrite,
  bitTableReadOnly,
  bitTTErrorOnDuplicateInsertion,
  bitTTSortNullsHigh,
  bitTTUnique,
  limitBits,
  paramMaxCursors
} from "./constants.ts"
import {
  currentPos,
  currentRecord,
  cursorIndex,
  cursorTree,
  entryInRange,
  inRange,
  makeRange,
  move,
  positionOnRecord,
  searchKeyBytes,
  setBetween,
  setOn
} from "./cursors.ts"
import { getRecord, indexSpecs } from "./entries.ts"
import type { SegmentSpec } from "./keys.ts"
import { appendKeySegment } from "./keys.ts"
import { nameKey, newTable } from "./model.ts"
import { empty, err } from "./results.ts"
import type { EngineState, TempTable } from "./state.ts"
import {
  apiPart,
  closeCursor,
  cursorTable,
  getCursor,
  getDb,
  getSession,
  keyMostOf,
  newCursor,
  numParam
} from "./state.ts"
import { findTable, lockRecord, readLock, readTable, readView } from "./transactions.ts"
import type { TreePos } from "./tree.ts"
import { fromKey, toKey } from "./tree.ts"
import { copyBytes, copyOut, utf16z } from "./util.ts"

export const openTemp = (
  st: EngineState,
  sesid: bigint,
  defs: ReadonlyArray<JetColumnDef>,
  grbit: number
): { err: number; tableid: JET_TABLEID; columnids: ReadonlyArray<JET_COLUMNID> } => {
  const fail = (e: number) => ({ err: e, tableid: JET_TABLEID(0n), columnids: [] })
  const s = getSession(st, sesid)
  if (typeof s === "number") return fail(s)
  if (s.inst.cursorCount >= numParam(st, s.inst, paramMaxCursors)) return fail(E.JET_errOutOfCursors)
  const tv = newTable("temp")
  const schema = tv.schema
  const columnids: Array<JET_COLUMNID> = []
  const segs: Array<string> = []
  for (let i = 0; i < defs.length; i++) {
    const d = defs[i] as JetColumnDef
    const g = d.grbit ?? 0
    const id = addColumnTo(
      schema,
      `c${i}`,
      {
        coltyp: d.coltyp,
        cbMax: d.cbMax ?? 0,
        grbit: g & ~(bitColumnTTKey | bitColumnTTDescending | 0x20),
        cp: d.cp ?? 0
      },
      null
    )
    if (id < 0) return fail(id)
    columnids.push(JET_COLUMNID(id))
    if ((g & bitColumnTTKey) !== 0) segs.push(`${(g & bitColumnTTDescending) !== 0 ? "-" : "+"}c${i}\0`)
  }
  const unique = (grbit & bitTTUnique) !== 0
  if (segs.length > 0) {
    const r = addIndexTo(tv, {
      szIndexName: "primary",
      szKey: `${segs.join("")}\0`,
      cbKey: 0,
      grbit: bitIndexPrimary | ((grbit & bitTTSortNullsHigh) !== 0 ? bitIndexSortNullsHigh : 0)
    }, keyMostOf(st, s.inst))
    if (r < 0) return fail(r)
    if (!unique) {
      // Duplicate keys stay apart by a sequence number after the key in the bookmark.
      tv.shared.dbk = -1
    }
  }
  const temp: TempTable = {
    tv,
    unique,
    errorOnDuplicate: (grbit & bitTTErrorOnDuplicateInsertion) !== 0,
    keyed: segs.length > 0,
    seq: 0
  }
  const c = newCursor(st, s, { dbid: 0, db: undefined, tid: tv.shared.id, temp }, 0)
  return { err: 0, tableid: JET_TABLEID(c.id), columnids }
}

/** The engine's cursor, key and navigation calls. */
export const cursorApi = (st: EngineState) =>
  apiPart({
    // Cursors

    JetOpenTable(sesid, dbid, tableName, grbit) {
      const fail = (e: number) => ({ err: e, tableid: JET_TABLEID(0n) })
      const s = getSession(st, sesid)
      if (typeof s === "number") return fail(s)
      const a = getDb(s, dbid)
      if (typeof a === "number") return fail(a)
      const t = findTable(readView(s, a.db), tableName)
      if (t === undefined) return fail(E.JET_errObjectNotFound)
      for (const x of st.cursors.values()) {
        if (x.db !== a.db || x.tid !== t.shared.id || x.s === s) continue
        if ((x.grbit & bitTableDenyRead) !== 0) return fail(E.JET_errTableLocked)
        if ((grbit & bitTableDenyRead) !== 0) return fail(E.JET_errTableInUse)
        if ((x.grbit & bitTableDenyWrite) !== 0 && (grbit & bitTableReadOnly) === 0) {
          return fail(E.JET_errTableLocked)
        }
        if ((grbit & bitTableDenyWrite) !== 0 && !x.readOnly) return fail(E.JET_errTableInUse)
      }
      if (s.inst.cursorCount >= numParam(st, s.inst, paramMaxCursors)) return fail(E.JET_errOutOfCursors)
      const c = newCursor(st, s, { dbid, db: a.db, tid: t.shared.id, temp: undefined }, grbit)
      return { err: 0, tableid: JET_TABLEID(c.id) }
    },

    JetCloseTable(sesid, tableid) {
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return err(c)
      closeCursor(st, c)
      return err(0)
    },

    JetDupCursor(sesid, tableid, _grbit) {
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return { err: c, tableid: JET_TABLEID(0n) }
      if (c.s.inst.cursorCount >= numParam(st, c.s.inst, paramMaxCursors)) {
        return { err: E.JET_errOutOfCursors, tableid: JET_TABLEID(0n) }
      }
      const d = newCursor(st, c.s, { dbid: c.dbid, db: c.db, tid: c.tid, temp: c.temp }, c.grbit)
      return { err: 0, tableid: JET_TABLEID(d.id) }
    },

    JetOpenTempTable3(sesid, columndefs, _idxunicode, grbit) {
      return openTemp(st, sesid, columndefs, grbit)
    },

    JetOpenTemporaryTable(sesid, ott) {
      return openTemp(st, sesid, ott.prgcolumndef, ott.grbit ?? 0)
    },

    JetMove(sesid, tableid, cRow, grbit) {
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return err(c)
      if ((grbit & ~bitMoveKeyNE) !== 0) return err(E.JET_errInvalidGrbit)
      const t = readTable(c)
      if (t === undefined) return err(E.JET_errObjectNotFound)
      c.prep = undefined
      return err(move(c, t, cRow, grbit))
    },

    JetMakeKey(sesid, tableid, pvData, cbData, grbit) {
      if (pvData !== null && cbData > pvData.byteLength) return err(E.JET_errInvalidParameter)
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return err(c)
      const lim = grbit & limitBits
      const fullPartial = lim & (bitFullColumnStartLimit | bitFullColumnEndLimit | bitPartialColumnStartLimit
        | bitPartialColumnEndLimit)
      const strBits = lim & (bitStrLimit | bitSubStrLimit)
      if ((fullPartial & (fullPartial - 1)) !== 0) return err(E.JET_errInvalidGrbit)
      if (fullPartial !== 0 && strBits !== 0) return err(E.JET_errInvalidGrbit)
      const fresh = (grbit & bitNewKey) !== 0
      if (!fresh && c.search === undefined) return err(E.JET_errKeyNotMade)
      const t = readTable(c)
      if (t === undefined) return err(E.JET_errObjectNotFound)
      if ((grbit & bitNormalizedKey) !== 0) {
        c.search = { key: copyBytes(pvData, cbData), count: Infinity, limit: false }
        return err(0)
      }
      const prev = fresh ? undefined : c.search
      if (prev !== undefined && prev.limit) return err(E.JET_errKeyIsMade)
      const idx = cursorIndex(c, t)
      if (idx === undefined) return err(E.JET_errNoCurrentIndex)
      const count = prev?.count ?? 0
      if (count >= idx.segments.length) return err(E.JET_errKeyIsMade)
      const spec = indexSpecs(t.schema, idx)[count] as SegmentSpec
      const data = pvData === null ? null : cbData === pvData.length ? pvData : pvData.subarray(0, cbData)
      const r = appendKeySegment(prev?.key ?? empty, spec, data, grbit, idx.cbKeyMost)
      if (typeof r === "number") return err(r)
      c.search = { key: r.key, count: count + 1, limit: r.limit }
      return err(0)
    },

    JetSeek(sesid, tableid, grbit) {
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return err(c)
      const kind = grbit & 0x1f
      if (kind === 0 || (kind & (kind - 1)) !== 0) return err(E.JET_errInvalidParameter)
      if ((grbit & bitSetIndexRange) !== 0 && kind !== bitSeekEQ) return err(E.JET_errInvalidGrbit)
      if ((grbit & ~(0x1f | bitSetIndexRange | bitCheckUniqueness)) !== 0) return err(E.JET_errInvalidGrbit)
      if (c.search === undefined) return err(E.JET_errKeyNotMade)
      const t = readTable(c)
      if (t === undefined) return err(E.JET_errObjectNotFound)
      const key = searchKeyBytes(c, t)
      c.search = undefined
      c.prep = undefined
      c.range = undefined
      const tree = cursorTree(c, t)
      let p: TreePos | undefined
      let warn = 0
      switch (kind) {
        case bitSeekEQ:
          p = tree.seek(key, null, -1)
          if (p === undefined || !tree.keyAt(p).startsWith(key)) {
            setBetween(c, tree, p, true)
            return err(E.JET_errRecordNotFound)
          }
          break
        case bitSeekGE:
          p = tree.seek(key, null, -1)
          if (p !== undefined && !tree.keyAt(p).startsWith(key)) warn = E.JET_wrnSeekNotEqual
          break
        case bitSeekGT:
          p = tree.seek(key, null, 1)
          break
        case bitSeekLE:
          // An equal entry wins, the first of its duplicates as for EQ; else the last one before.
          p = tree.seek(key, null, -1)
          if (p === undefined || !tree.keyAt(p).startsWith(key)) {
            p = tree.seekBefore(key, null, 1)
            if (p !== undefined) warn = E.JET_wrnSeekNotEqual
          }
          break
        default:
          p = tree.seekBefore(key, null, -1)
      }
      if (p === undefined) {
        c.state = kind === bitSeekLT || kind === bitSeekLE ? 0 : 2
        c.hintTree = undefined
        return err(E.JET_errRecordNotFound)
      }
      setOn(c, tree, p)
      if ((grbit & bitSetIndexRange) !== 0) c.range = makeRange(key, true, true)
      if ((grbit & bitCheckUniqueness) !== 0 && kind === bitSeekEQ) {
        const n = tree.next(p)
        if (n === undefined || !tree.keyAt(n).startsWith(key)) return err(E.JET_wrnUniqueKey)
      }
      return err(warn)
    },

    JetSetIndexRange(sesid, tableid, grbit) {
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return err(c)
      if ((grbit & ~0xf) !== 0) return err(E.JET_errInvalidGrbit)
      if ((grbit & bitRangeRemove) !== 0) {
        if (c.range === undefined) return err(E.JET_errInvalidOperation)
        c.range = undefined
        return err(0)
      }
      if (c.search === undefined) return err(E.JET_errKeyNotMade)
      const t = readTable(c)
      if (t === undefined) return err(E.JET_errObjectNotFound)
      const key = searchKeyBytes(c, t)
      c.search = undefined
      const tree = cursorTree(c, t)
      if (currentPos(c, tree) === undefined) return err(E.JET_errNoCurrentRecord)
      const range = makeRange(key, (grbit & bitRangeInclusive) !== 0, (grbit & bitRangeUpperLimit) !== 0)
      const saved = c.range
      c.range = range
      const inside = inRange(c, c.key)
      if (!inside) {
        // As when a move leaves a range: no range, and the cursor past the limit's end.
        c.range = undefined
        c.state = range.upper ? 2 : 0
        c.hintTree = undefined
        return err(E.JET_errNoCurrentRecord)
      }
      if ((grbit & bitRangeInstantDuration) !== 0) c.range = saved
      return err(0)
    },

    JetSetCurrentIndex4(sesid, tableid, indexName, grbit, itagSequence) {
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return err(c)
      if ((grbit & ~bitNoMove) !== 0) return err(E.JET_errInvalidGrbit)
      const t = readTable(c)
      if (t === undefined) return err(E.JET_errObjectNotFound)
      let newName: string | undefined
      if (indexName !== null && indexName !== "") {
        const idx = t.schema.indexes.get(nameKey(indexName))
        if (idx === undefined) return err(E.JET_errIndexNotFound)
        newName = idx.primary ? undefined : idx.name
      }
      const same = (newName === undefined && c.indexName === undefined)
        || (newName !== undefined && c.indexName !== undefined && nameKey(newName) === nameKey(c.indexName))
      if (same) return err(0)
      const rec = (grbit & bitNoMove) !== 0 ? currentRecord(c, t) : undefined
      const bm = c.bm
      c.indexName = newName
      c.indexLevel = newName === undefined ? 0 : c.s.level
      c.range = undefined
      c.search = undefined
      c.hintTree = undefined
      if (rec !== undefined) {
        if (typeof rec === "number") {
          c.state = 0
          return err(rec)
        }
        return err(positionOnRecord(c, t, bm, rec, itagSequence === 0 ? 1 : itagSequence))
      }
      // ESE's ErrIsamSetCurrentIndex defers the move to the new index's first entry.
      c.state = 4
      return err(0)
    },

    JetGetCurrentIndex(sesid, tableid, szIndexName, cbIndexName) {
      if (cbIndexName > szIndexName.byteLength) return err(E.JET_errInvalidParameter)
      const found = cursorTable(st, sesid, tableid)
      if (typeof found === "number") return err(found)
      const { c, t } = found
      const name = c.indexName ?? t.schema.primary?.name ?? ""
      const bytes = utf16z(name)
      // The size is in bytes (the Windows SDK's cbIndexName); only whole UTF-16 units are written.
      const room = cbIndexName & ~1
      if (bytes.length > room) {
        copyOut(szIndexName, room, bytes)
        if (room >= 2) {
          szIndexName[room - 1] = 0
          szIndexName[room - 2] = 0
        }
        return err(E.JET_wrnBufferTruncated)
      }
      szIndexName.set(bytes, 0)
      return err(0)
    },

    JetGetBookmark(sesid, tableid, pvBookmark, cbMax) {
      if (pvBookmark !== null && cbMax > pvBookmark.byteLength) {
        return { err: E.JET_errInvalidParameter, cbActual: 0 }
      }
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return { err: c, cbActual: 0 }
      const t = readTable(c)
      if (t === undefined) return { err: E.JET_errObjectNotFound, cbActual: 0 }
      const rec = currentRecord(c, t)
      if (typeof rec === "number") return { err: rec, cbActual: 0 }
      copyOut(pvBookmark, cbMax, fromKey(c.bm))
      return { err: cbMax < c.bm.length ? E.JET_errBufferTooSmall : 0, cbActual: c.bm.length }
    },

    JetGotoBookmark(sesid, tableid, pvBookmark, cbBookmark) {
      if (cbBookmark > pvBookmark.byteLength) return err(E.JET_errInvalidParameter)
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return err(c)
      if (cbBookmark === 0) return err(E.JET_errInvalidBookmark)
      const t = readTable(c)
      if (t === undefined) return err(E.JET_errObjectNotFound)
      const bm = toKey(pvBookmark.subarray(0, cbBookmark))
      c.prep = undefined
      c.range = undefined
      c.search = undefined
      const rec = getRecord(t, bm)
      if (rec === undefined) return err(E.JET_errRecordDeleted)
      return err(positionOnRecord(c, t, bm, rec, 1))
    },

    JetGetRecordPosition(sesid, tableid) {
      const zero = { centriesLT: 0, centriesInRange: 0, centriesTotal: 0 }
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return { err: c, recpos: zero }
      const t = readTable(c)
      if (t === undefined) return { err: E.JET_errObjectNotFound, recpos: zero }
      const tree = cursorTree(c, t)
      const p = currentPos(c, tree)
      if (p === undefined) return { err: E.JET_errNoCurrentRecord, recpos: zero }
      return { err: 0, recpos: { centriesLT: tree.ordinal(p), centriesInRange: 1, centriesTotal: tree.size } }
    },

    JetGotoPosition(sesid, tableid, recpos) {
      const found = cursorTable(st, sesid, tableid)
      if (typeof found === "number") return err(found)
      const { c, t } = found
      if (recpos.centriesTotal === 0 || recpos.centriesLT > recpos.centriesTotal) {
        return err(E.JET_errInvalidParameter)
      }
      const tree = cursorTree(c, t)
      c.prep = undefined
      c.range = undefined
      if (tree.size === 0) {
        c.state = 0
        return err(E.JET_errNoCurrentRecord)
      }
      const ord = Math.min(tree.size - 1, Math.floor((recpos.centriesLT * tree.size) / recpos.centriesTotal))
      const p = tree.at(ord)
      if (p === undefined) return err(E.JET_errNoCurrentRecord)
      setOn(c, tree, p)
      return err(0)
    },

    JetIndexRecordCount(sesid, tableid, crecMax) {
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return { err: c, count: 0 }
      const t = readTable(c)
      if (t === undefined) return { err: E.JET_errObjectNotFound, count: 0 }
      const tree = cursorTree(c, t)
      let p = currentPos(c, tree)
      if (p === undefined) return { err: E.JET_errNoCurrentRecord, count: 0 }
      let n = 0
      const limit = crecMax === 0 ? Infinity : crecMax
      while (p !== undefined && n < limit && entryInRange(c, tree, p)) {
        n++
        p = tree.next(p)
      }
      return { err: 0, count: n }
    },

    JetRetrieveKey(sesid, tableid, pvData, cbMax, grbit) {
      if (pvData !== null && cbMax > pvData.byteLength) return { err: E.JET_errInvalidParameter, cbActual: 0 }
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return { err: c, cbActual: 0 }
      const t = readTable(c)
      if (t === undefined) return { err: E.JET_errObjectNotFound, cbActual: 0 }
      let key: Uint8Array
      if ((grbit & bitRetrieveCopy) !== 0) {
        if (c.search === undefined) return { err: E.JET_errKeyNotMade, cbActual: 0 }
        key = c.search.key
      } else {
        if (currentPos(c, cursorTree(c, t)) === undefined) {
          return { err: E.JET_errNoCurrentRecord, cbActual: 0 }
        }
        key = fromKey(c.key)
      }
      copyOut(pvData, cbMax, key)
      return { err: cbMax < key.length ? E.JET_wrnBufferTruncated : 0, cbActual: key.length }
    },

    JetGetLock(sesid, tableid, grbit) {
      const c = getCursor(st, sesid, tableid)
      if (typeof c === "number") return err(c)
      if (grbit !== 1 && grbit !== 2) return err(E.JET_errInvalidGrbit)
      const t = readTable(c)
      if (t === undefined) return err(E.JET_errObjectNotFound)
      const rec = currentRecord(c, t)
      if (typeof rec === "number") return err(rec)
      if (c.s.level === 0) return err(E.JET_errNotInTransaction)
      if (grbit === 2) {
        if (c.s.readOnly) return err(E.JET_errTransReadOnly)
        return err(lockRecord(c, c.bm))
      }
      return err(readLock(c, c.bm))
    }
  })
