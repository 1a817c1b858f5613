/**
 * Index ranges whose limit is a prefix of the entries' keys: the memory engine settles most entries
 * by a numeric prefix of their key before it compares key strings, and must agree with the string
 * comparison on the entries that start with the limit.
 */
import { describe, expect, it } from "vitest"
import type { JetApi } from "../../src/jet/api.ts"
import {
  JET_bitIndexPrimary,
  JET_bitNewKey,
  JET_bitNormalizedKey,
  JET_bitRangeInclusive,
  JET_bitRangeUpperLimit,
  JET_bitSeekGE,
  JET_bitSeekLE,
  JET_coltypLong,
  JET_MoveNext,
  JET_MovePrevious
} from "../../src/jet/constants.ts"
import type { JET_COLUMNID, JET_SESID, JET_TABLEID } from "../../src/jet/handles.ts"
import { makeMemoryEngine, makeMemoryStore } from "../../src/memory/index.ts"
import type { Engine } from "../conformance/engines.ts"
import {
  codes,
  createTable,
  dec,
  enc,
  expectErr,
  insert,
  makeKey,
  must,
  ok,
  openEnv,
  retrieve
} from "../conformance/harness.ts"

const memory: Engine = { name: "memory", make: () => makeMemoryEngine({ store: makeMemoryStore() }) }

// A Long key is 0x7f, then the value big-endian with its sign bit flipped: these four bytes start
// the keys of ids 256..511 (0x80 0x00 0x01 0x00 .. 0x80 0x00 0x01 0xff).
const prefixOf256to511 = Uint8Array.of(0x7f, 0x80, 0x00, 0x01)

/** A table of ids 1..1000, its cursor positioned on `start` (seek GE or LE). */
const setup = (start: number, seek: number) => {
  const env = openEnv(memory)
  const t = createTable(env, "t", { id: { coltyp: JET_coltypLong } }, [
    { name: "pk", key: "+id", grbit: JET_bitIndexPrimary }
  ])
  ok(env.api.JetBeginTransaction(env.sesid))
  for (let id = 1; id <= 1000; id++) insert(env.api, env.sesid, t.tableid, [[t.col.id, enc.i32(id)]])
  ok(env.api.JetCommitTransaction(env.sesid, 0))
  makeKey(env.api, env.sesid, t.tableid, enc.i32(start))
  ok(env.api.JetSeek(env.sesid, t.tableid, seek))
  return { api: env.api, sesid: env.sesid, tableid: t.tableid, id: t.col.id }
}

/** The ids met moving in one direction until the range ends. */
const idsUntilRangeEnd = (
  api: JetApi,
  sesid: JET_SESID,
  tableid: JET_TABLEID,
  id: JET_COLUMNID,
  direction: number
): Array<number> => {
  const ids: Array<number> = []
  let err = 0
  while (err === 0) {
    ids.push(dec.i32(must(retrieve(api, sesid, tableid, id))))
    err = api.JetMove(sesid, tableid, direction, 0).err
  }
  expectErr(err, codes.JET_errNoCurrentRecord)
  return ids
}

const setRange = (api: JetApi, sesid: JET_SESID, tableid: JET_TABLEID, key: Uint8Array, grbit: number) => {
  ok(api.JetMakeKey(sesid, tableid, key, key.length, JET_bitNewKey | JET_bitNormalizedKey))
  ok(api.JetSetIndexRange(sesid, tableid, grbit))
}

describe("memory engine: index ranges on a key prefix", () => {
  it("an inclusive upper limit takes every entry that starts with the limit", () => {
    const { api, sesid, tableid, id } = setup(300, JET_bitSeekGE)
    setRange(api, sesid, tableid, prefixOf256to511, JET_bitRangeUpperLimit | JET_bitRangeInclusive)
    const ids = idsUntilRangeEnd(api, sesid, tableid, id, JET_MoveNext)
    expect(ids[0]).toBe(300)
    expect(ids.at(-1)).toBe(511)
    expect(ids.length).toBe(212)
  })

  it("an exclusive upper limit stops before the first entry that starts with the limit", () => {
    const { api, sesid, tableid, id } = setup(200, JET_bitSeekGE)
    setRange(api, sesid, tableid, prefixOf256to511, JET_bitRangeUpperLimit)
    expect(idsUntilRangeEnd(api, sesid, tableid, id, JET_MoveNext).at(-1)).toBe(255)
  })

  it("an exclusive lower limit leaves out every entry that starts with the limit", () => {
    const { api, sesid, tableid, id } = setup(600, JET_bitSeekLE)
    setRange(api, sesid, tableid, prefixOf256to511, 0)
    const ids = idsUntilRangeEnd(api, sesid, tableid, id, JET_MovePrevious)
    expect(ids.at(-1)).toBe(512)
    expect(ids.length).toBe(89)
  })

  it("an inclusive lower limit takes the entries that start with the limit", () => {
    const { api, sesid, tableid, id } = setup(300, JET_bitSeekLE)
    setRange(api, sesid, tableid, prefixOf256to511, JET_bitRangeInclusive)
    expect(idsUntilRangeEnd(api, sesid, tableid, id, JET_MovePrevious).at(-1)).toBe(256)
  })
})
