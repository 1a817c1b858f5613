/**
 * The fixture that ManagedEsent's `MoveTests.cs` and `NavigationTests.cs` share: a table "table"
 * with one Long column "Long" under a primary index, holding the records 0..n-1 (committed), and a
 * cursor freshly opened on it. The source picks n at random in 5..19; the facts hold for any such n,
 * so one fixed n is used here.
 *
 * @module
 */
import type { JetApi } from "../../../src/jet/api.ts"
import {
  JET_bitIndexPrimary,
  JET_bitNewKey,
  JET_coltypLong,
  JET_MoveFirst,
  JET_MoveLast,
  JET_MoveNext,
  JET_MovePrevious
} from "../../../src/jet/constants.ts"
import type { JET_COLUMNID, JET_DBID, JET_SESID, JET_TABLEID } from "../../../src/jet/handles.ts"
import type { Engine } from "../engines.ts"
import { createTable, dec, enc, expectErr, insert, ok, openEnv } from "../harness.ts"

export interface Numbered {
  readonly api: JetApi
  readonly sesid: JET_SESID
  readonly dbid: JET_DBID
  readonly tableid: JET_TABLEID
  readonly long: JET_COLUMNID
  readonly numRecords: number
}

export const numbered = (engine: Engine, numRecords = 13): Numbered => {
  const env = openEnv(engine)
  ok(env.api.JetBeginTransaction(env.sesid))
  const t = createTable(env, "table", { Long: { coltyp: JET_coltypLong } }, [
    { name: "primary", key: "+long", grbit: JET_bitIndexPrimary }
  ])
  for (let i = 0; i < numRecords; i++) insert(env.api, env.sesid, t.tableid, [[t.col.Long, enc.i32(i)]])
  ok(env.api.JetCloseTable(env.sesid, t.tableid))
  ok(env.api.JetCommitTransaction(env.sesid, 1))
  const { tableid } = ok(env.api.JetOpenTable(env.sesid, env.dbid, "table", 0))
  return { api: env.api, sesid: env.sesid, dbid: env.dbid, tableid, long: t.col.Long, numRecords }
}

/** The source's `GetLongColumn`: the record's value (its size checked: 4 bytes). */
export const getLong = (x: Numbered): number => {
  const data = new Uint8Array(4)
  const { cbActual } = ok(x.api.JetRetrieveColumn(x.sesid, x.tableid, x.long, data, 4, 0, null))
  if (cbActual !== 4) throw new Error(`Long column of ${cbActual} bytes`)
  return dec.i32(data)
}

export const makeKeyFor = (x: Numbered, id: number): void => {
  ok(x.api.JetMakeKey(x.sesid, x.tableid, enc.i32(id), 4, JET_bitNewKey))
}

/** A move that returns whether it landed on a record (the source's `TryMove*` helpers). */
export const tryMove = (x: Numbered, cRow: number): boolean => {
  const { err } = x.api.JetMove(x.sesid, x.tableid, cRow, 0)
  if (err === 0) return true
  expectErr(err, -1603 /* JET_errNoCurrentRecord */)
  return false
}

/** The source's `MoveBeforeFirst` / `MoveAfterLast` helpers: a move past either end. */
export const moveBeforeFirst = (x: Numbered): void => {
  tryMove(x, JET_MoveFirst)
  tryMove(x, JET_MovePrevious)
}
export const moveAfterLast = (x: Numbered): void => {
  tryMove(x, JET_MoveLast)
  tryMove(x, JET_MoveNext)
}
