/**
 * Facts from ManagedEsent's `EsentInteropTests/ConditionalIndexFixture.cs` (class
 * `ConditionalIndexFixture`): indexes with conditional columns hold only the records whose
 * condition columns are NULL or not NULL as each `JET_CONDITIONALCOLUMN` asks.
 *
 * Facts checked per engine: 9 (see `declareFacts` at the end).
 */
import { describe, it } from "vitest"
import type { JetIndexCreate } from "../../../src/jet/api.ts"
import {
  JET_bitIndexPrimary,
  JET_bitTableDenyRead,
  JET_coltypBit,
  JET_coltypLong,
  JET_coltypLongText,
  JET_MoveFirst,
  JET_MoveNext,
  JET_MovePrevious,
  JET_prepInsert
} from "../../../src/jet/constants.ts"
import type { JET_COLUMNID } from "../../../src/jet/handles.ts"
import { codes, createTable, dec, enc, forEachEngine, keyString, ok, openEnv, retrieve } from "../harness.ts"
import { declareFacts, fact, onEngine } from "./facts.ts"

/** `JET_bitIndexColumnMustBeNull` and `JET_bitIndexColumnMustBeNonNull`. */
const mustBeNull = 0x1
const mustBeNonNull = 0x2

/** The source's `GetIndexCreate`: an index on "+key" with the given conditions. */
const indexCreate = (
  name: string,
  nonNull: ReadonlyArray<string>,
  isNull: ReadonlyArray<string>
): JetIndexCreate => {
  const szKey = keyString("+key")
  return {
    szIndexName: name,
    szKey,
    cbKey: szKey.length * 2,
    grbit: 0,
    ulDensity: 100,
    rgconditionalcolumn: [
      ...nonNull.map((szColumnName) => ({ szColumnName, grbit: mustBeNonNull })),
      ...isNull.map((szColumnName) => ({ szColumnName, grbit: mustBeNull }))
    ]
  }
}

forEachEngine((engine) => {
  onEngine(engine.name)

  describe("ConditionalIndexFixture.cs", () => {
    it("JetCreateIndex2ConditionalColumns: each index holds the records its conditions let in", () => {
      const env = openEnv(engine)
      ok(env.api.JetBeginTransaction(env.sesid))
      const t = createTable(env, "table", {
        key: { coltyp: JET_coltypLong },
        data: { coltyp: JET_coltypLongText, cp: 1200 },
        condition1: { coltyp: JET_coltypBit },
        condition2: { coltyp: JET_coltypBit }
      }, [{ name: "primary", key: "+key", grbit: JET_bitIndexPrimary }])
      ok(env.api.JetCloseTable(env.sesid, t.tableid))
      ok(env.api.JetCommitTransaction(env.sesid, 1))
      const { tableid } = ok(env.api.JetOpenTable(env.sesid, env.dbid, "table", JET_bitTableDenyRead))

      const { indexErrs } = ok(env.api.JetCreateIndex2(env.sesid, tableid, [
        indexCreate("c1", ["condition1"], []),
        indexCreate("c2", ["condition2"], []),
        indexCreate("c3", ["condition1", "condition2"], []),
        indexCreate("c4", ["condition1"], ["condition2"]),
        indexCreate("c5", ["condition2"], ["condition1"]),
        indexCreate("c6", [], ["condition1"]),
        indexCreate("c7", [], ["condition2"]),
        indexCreate("c8", [], ["condition1", "condition2"])
      ]))
      if (indexErrs.some((e) => e !== 0)) throw new Error(`JetCreateIndex2: ${indexErrs.join(",")}`)

      const set = (col: JET_COLUMNID, data: Uint8Array | null) =>
        ok(env.api.JetSetColumn(env.sesid, tableid, col, data, data?.byteLength ?? 0, 0, null))
      ok(env.api.JetBeginTransaction(env.sesid))
      for (
        const [key, data, c1, c2] of [[0, "foo", false, false], [1, "bar", false, true], [
          2,
          "baz",
          true,
          false
        ], [3, "qux", true, true]] as const
      ) {
        ok(env.api.JetPrepareUpdate(env.sesid, tableid, JET_prepInsert))
        set(t.col.key, enc.i32(key))
        set(t.col.data, enc.utf16(data))
        set(t.col.condition1, c1 ? Uint8Array.of(1) : null)
        set(t.col.condition2, c2 ? Uint8Array.of(1) : null)
        ok(env.api.JetUpdate(env.sesid, tableid, null, 0))
      }
      ok(env.api.JetCommitTransaction(env.sesid, 1))

      /** The source's `GetIndexKeys`: before the first entry, then every Next. */
      const keysOf = (index: string): Array<number> => {
        ok(env.api.JetSetCurrentIndex4(env.sesid, tableid, index, 0, 1))
        env.api.JetMove(env.sesid, tableid, JET_MoveFirst, 0)
        env.api.JetMove(env.sesid, tableid, JET_MovePrevious, 0)
        const out: Array<number> = []
        for (;;) {
          const { err } = env.api.JetMove(env.sesid, tableid, JET_MoveNext, 0)
          if (err === codes.JET_errNoCurrentRecord) return out
          ok({ err })
          out.push(dec.i32(retrieve(env.api, env.sesid, tableid, t.col.key) as Uint8Array))
        }
      }
      fact(keysOf("primary"), [0, 1, 2, 3], "primary")
      fact(keysOf("c1"), [2, 3], "c1")
      fact(keysOf("c2"), [1, 3], "c2")
      fact(keysOf("c3"), [3], "c3")
      fact(keysOf("c4"), [2], "c4")
      fact(keysOf("c5"), [1], "c5")
      fact(keysOf("c6"), [0, 1], "c6")
      fact(keysOf("c7"), [0, 2], "c7")
      fact(keysOf("c8"), [0], "c8")
    })
  })
})

declareFacts("ConditionalIndexFixture.cs", 9)
