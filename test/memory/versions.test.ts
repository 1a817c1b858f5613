/**
 * The memory engine's version store: a transaction copies a table before its first change to it,
 * and only that table, so other sessions keep reading the committed version of every table.
 */
import { describe, expect, it } from "vitest"
import { JET_bitIndexPrimary, JET_coltypLong } from "../../src/jet/constants.ts"
import type { JET_SESID, JET_TABLEID } from "../../src/jet/handles.ts"
import { makeMemoryEngine, makeMemoryStore } from "../../src/memory/index.ts"
import type { Engine } from "../conformance/engines.ts"
import { countRows, createTable, enc, insert, ok, openEnv, openSession } from "../conformance/harness.ts"

const memory: Engine = { name: "memory", make: () => makeMemoryEngine({ store: makeMemoryStore() }) }

/** Tables `a` and `b` (id Long primary, v Long with an index `byV`), rows 1..3 each, two sessions. */
const setup = () => {
  const env = openEnv(memory)
  const spec = { id: { coltyp: JET_coltypLong }, v: { coltyp: JET_coltypLong } }
  const indexes = [{ name: "pk", key: "+id", grbit: JET_bitIndexPrimary }, { name: "byV", key: "+v" }]
  const a = createTable(env, "a", spec, indexes)
  const b = createTable(env, "b", spec, indexes)
  for (const t of [a, b]) {
    for (let id = 1; id <= 3; id++) {
      insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(id)], [t.col.v, enc.i32(10 * id)]])
    }
  }
  const other = openSession(env)
  const open = (sesid: JET_SESID, dbid: typeof env.dbid, name: string): JET_TABLEID =>
    ok(env.api.JetOpenTable(sesid, dbid, name, 0)).tableid
  return {
    api: env.api,
    s1: env.sesid,
    a,
    b,
    b1: b.tableid,
    s2: other.sesid,
    a2: open(other.sesid, other.dbid, "a"),
    b2: open(other.sesid, other.dbid, "b")
  }
}

describe("memory engine versions", () => {
  it("a transaction's writes to one table stay out of other sessions' views of every table", () => {
    const { api, s1, a, b, b1, s2, a2, b2 } = setup()
    ok(api.JetBeginTransaction(s1))
    insert(api, s1, a.tableid, [[a.col.id, enc.i32(4)], [a.col.v, enc.i32(40)]])
    // Another session writes the other table and commits meanwhile.
    insert(api, s2, b2, [[b.col.id, enc.i32(4)], [b.col.v, enc.i32(40)]])
    expect(countRows(api, s2, a2)).toBe(3)
    expect(countRows(api, s1, a.tableid)).toBe(4)
    // The transaction reads the other table as of its begin.
    expect(countRows(api, s1, b1)).toBe(3)
    ok(api.JetCommitTransaction(s1, 0))
    expect(countRows(api, s2, a2)).toBe(4)
    expect(countRows(api, s2, b2)).toBe(4)
    expect(countRows(api, s1, b1)).toBe(4)
  })

  it("a schema change, then an insert, in a transaction: other sessions' secondary index is unchanged", () => {
    const { api, s1, a, s2, a2 } = setup()
    ok(api.JetBeginTransaction(s1))
    ok(api.JetAddColumn(s1, a.tableid, "w", { coltyp: JET_coltypLong }, null, 0))
    insert(api, s1, a.tableid, [[a.col.id, enc.i32(4)], [a.col.v, enc.i32(40)]])
    ok(api.JetSetCurrentIndex4(s2, a2, "byV", 0, 0))
    expect(countRows(api, s2, a2)).toBe(3)
    ok(api.JetSetCurrentIndex4(s1, a.tableid, "byV", 0, 0))
    expect(countRows(api, s1, a.tableid)).toBe(4)
    ok(api.JetCommitTransaction(s1, 0))
    expect(countRows(api, s2, a2)).toBe(4)
  })
})
