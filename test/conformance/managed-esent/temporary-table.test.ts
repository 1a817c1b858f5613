/**
 * Facts from ManagedEsent's `EsentInteropTests/TemporaryTableTests.cs` (class
 * `TemporaryTableTests`): temporary tables sort their records by the key columns.
 *
 * Facts checked per engine: 2 (see `declareFacts` at the end).
 *
 * Not followed: `SortDataCaseSensitiveWithJetOpenTempTable3` and
 * `SortDataCaseSensitiveWithJetOpenTemporaryTable` sort Unicode text with `LCMapString` flags that
 * keep case ("a" < "A" < "aa" < "b" < "g" < "x" < "X"); the in-memory engine's Unicode keys are
 * the documented deviation (case-folded, code-point order, the `JET_UNICODEINDEX` flags ignored).
 * `SortDataWithJetOpenTempTable`/`…2` use functions not in our `JetApi` (docs/coverage-gaps.md).
 */
import { describe, it } from "vitest"
import type { JetApi } from "../../../src/jet/api.ts"
import {
  JET_bitColumnTTKey,
  JET_bitTTScrollable,
  JET_coltypLong,
  JET_coltypLongText,
  JET_coltypText,
  JET_prepInsert
} from "../../../src/jet/constants.ts"
import type { JET_COLUMNID, JET_SESID, JET_TABLEID } from "../../../src/jet/handles.ts"
import { dec, enc, forEachEngine, ok, openEnv, walk } from "../harness.ts"
import { declareFacts, fact, onEngine } from "./facts.ts"

/** The source's `RetrieveAllRecordsAsString`: every record's column, first to last, as text. */
const allAsString = (api: JetApi, sesid: JET_SESID, tableid: JET_TABLEID, columnid: JET_COLUMNID) =>
  walk(api, sesid, tableid, columnid).map((v) => (v === null ? null : dec.utf16(v)))

const insertAll = (
  api: JetApi,
  sesid: JET_SESID,
  tableid: JET_TABLEID,
  rows: ReadonlyArray<ReadonlyArray<readonly [JET_COLUMNID, Uint8Array]>>
): void => {
  for (const row of rows) {
    ok(api.JetPrepareUpdate(sesid, tableid, JET_prepInsert))
    for (const [col, data] of row) ok(api.JetSetColumn(sesid, tableid, col, data, data.byteLength, 0, null))
    ok(api.JetUpdate(sesid, tableid, null, 0))
  }
}

forEachEngine((engine) => {
  onEngine(engine.name)

  describe("TemporaryTableTests.cs", () => {
    it("SortDataWithJetOpenTempTable3: records come back in key order, whatever the insert order", () => {
      const env = openEnv(engine)
      const { columnids, tableid } = ok(env.api.JetOpenTempTable3(
        env.sesid,
        [
          { coltyp: JET_coltypLong, grbit: JET_bitColumnTTKey },
          { coltyp: JET_coltypText, cp: 1200 }
        ],
        null,
        JET_bitTTScrollable
      ))
      const [key, value] = columnids as [JET_COLUMNID, JET_COLUMNID]
      insertAll(
        env.api,
        env.sesid,
        tableid,
        [5, 4, 3, 2, 1, 0].map((i) => [[key, enc.i32(i)], [value, enc.utf16(`${i}`)]])
      )
      fact(allAsString(env.api, env.sesid, tableid, value), ["0", "1", "2", "3", "4", "5"])
      ok(env.api.JetCloseTable(env.sesid, tableid))
    })

    it("SortLongValueDataWithJetOpenTempTable3: a LongText key of about 2000 characters sorts too", () => {
      const env = openEnv(engine)
      const { columnids, tableid } = ok(env.api.JetOpenTempTable3(
        env.sesid,
        [
          { coltyp: JET_coltypLongText, cp: 1200, grbit: JET_bitColumnTTKey }
        ],
        { lcid: 1041, dwMapFlags: 0 },
        JET_bitTTScrollable
      ))
      const [col] = columnids as [JET_COLUMNID]
      // The source's strings are random; these differ in their first character, so that their
      // order is the same under any collation that ignores nothing but case.
      const data = [1999, 2000, 1999, 2000, 2001, 2000, 1999].map((n, i) => "gcaefdb"[i]!.repeat(n))
      ok(env.api.JetBeginTransaction(env.sesid))
      insertAll(env.api, env.sesid, tableid, data.map((s) => [[col, enc.utf16(s)]]))
      ok(env.api.JetCommitTransaction(env.sesid, 0))
      fact(allAsString(env.api, env.sesid, tableid, col), [...data].sort())
      ok(env.api.JetCloseTable(env.sesid, tableid))
    })
  })
})

declareFacts("TemporaryTableTests.cs", 2)
