/**
 * Random sequences of inserts, replaces, deletes, seeks and range scans in two sessions with nested
 * transactions, checked at every step against a small model of §3: snapshot reads as of the level-0
 * begin, a session's own changes visible to it, first writer wins.
 */
import fc from "fast-check"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import type { JetApi } from "../../src/jet/api.ts"
import {
  JET_bitIndexPrimary,
  JET_bitRangeInclusive,
  JET_bitRangeUpperLimit,
  JET_bitSeekEQ,
  JET_bitSeekGE,
  JET_bitTermDirty,
  JET_coltypLong,
  JET_MoveNext,
  JET_prepCancel,
  JET_prepInsert,
  JET_prepReplace
} from "../../src/jet/constants.ts"
import type { JET_COLUMNID, JET_SESID, JET_TABLEID } from "../../src/jet/handles.ts"
import type { Engine } from "./engines.ts"
import { codeName, codes, columnCreate, dec, enc, forEachEngine, indexCreate, unique } from "./harness.ts"

type Op =
  | { readonly kind: "begin" | "commit" | "rollback"; readonly s: number }
  | { readonly kind: "insert"; readonly s: number; readonly k: number; readonly v: number }
  | { readonly kind: "replace"; readonly s: number; readonly k: number; readonly v: number }
  | { readonly kind: "delete"; readonly s: number; readonly k: number }
  | { readonly kind: "seek"; readonly s: number; readonly k: number }
  | { readonly kind: "scan"; readonly s: number; readonly lo: number; readonly hi: number }

const KEYS = 8
const session = fc.integer({ min: 0, max: 1 })
const key = fc.integer({ min: 0, max: KEYS - 1 })
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("begin" as const), s: session }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("commit" as const), s: session }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("rollback" as const), s: session }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant("insert" as const),
      s: session,
      k: key,
      v: fc.integer({ min: -1000, max: 1000 })
    }),
    weight: 4
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("replace" as const),
      s: session,
      k: key,
      v: fc.integer({ min: -1000, max: 1000 })
    }),
    weight: 3
  },
  { arbitrary: fc.record({ kind: fc.constant("delete" as const), s: session, k: key }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("seek" as const), s: session, k: key }), weight: 3 },
  {
    arbitrary: fc.tuple(session, key, key).map(([s, a, b]): Op => ({
      kind: "scan",
      s,
      lo: Math.min(a, b),
      hi: Math.max(a, b)
    })),
    weight: 2
  }
)

/** The model: committed rows, who committed each key last, and each session's transaction. */
class Model {
  committed = new Map<number, number>()
  lastCommit = new Map<number, { readonly seq: number; readonly by: number }>()
  seq = 0
  sessions = [0, 1].map(() => ({
    beginSeq: 0,
    snapshot: new Map<number, number>(),
    overlays: [] as Array<Map<number, number | null>>
  }))

  level(s: number): number {
    return this.ses(s).overlays.length
  }
  ses(s: number) {
    const x = this.sessions[s]
    if (x === undefined) throw new Error("no session")
    return x
  }
  view(s: number): Map<number, number> {
    const x = this.ses(s)
    if (x.overlays.length === 0) return this.committed
    const out = new Map(x.snapshot)
    for (const o of x.overlays) {
      for (const [k, v] of o) {
        if (v === null) out.delete(k)
        else out.set(k, v)
      }
    }
    return out
  }
  locked(s: number, k: number): boolean {
    return this.ses(s).overlays.some((o) => o.has(k))
  }
  /** §3: the newest version is uncommitted by the other session, or committed after our begin. */
  conflict(s: number, k: number): boolean {
    if (this.locked(1 - s, k)) return true
    if (this.level(s) === 0) return false
    const last = this.lastCommit.get(k)
    return last !== undefined && last.by !== s && last.seq > this.ses(s).beginSeq
  }
  write(s: number, k: number, v: number | null): void {
    const x = this.ses(s)
    const top = x.overlays[x.overlays.length - 1]
    if (top !== undefined) top.set(k, v)
    else this.apply(s, new Map([[k, v]]))
  }
  apply(s: number, changes: Map<number, number | null>): void {
    this.seq++
    for (const [k, v] of changes) {
      if (v === null) this.committed.delete(k)
      else this.committed.set(k, v)
      this.lastCommit.set(k, { seq: this.seq, by: s })
    }
  }
  begin(s: number): void {
    const x = this.ses(s)
    if (x.overlays.length === 0) {
      x.beginSeq = this.seq
      x.snapshot = new Map(this.committed)
    }
    x.overlays.push(new Map())
  }
  commit(s: number): void {
    const x = this.ses(s)
    const top = x.overlays.pop()
    if (top === undefined) return
    const below = x.overlays[x.overlays.length - 1]
    if (below !== undefined) { for (const [k, v] of top) below.set(k, v) }
    else this.apply(s, top)
  }
  rollback(s: number): void {
    this.ses(s).overlays.pop()
  }
}

let steps = 0
let runs = 0
let started = 0

const runSequence = (engine: Engine, ops: ReadonlyArray<Op>): void => {
  const api: JetApi = engine.make()
  const dir = mkdtempSync(join(tmpdir(), "esent-model-"))
  const created = api.JetCreateInstance2(`model-${unique()}`, null, 0)
  engine.configure?.(api, created.instance, dir)
  const { instance } = api.JetInit3(created.instance, 0)
  try {
    const s0 = api.JetBeginSession(instance, null, null).sesid
    const dbPath = join(dir, "model.edb")
    const { dbid } = api.JetCreateDatabase2(s0, dbPath, 0, 0)
    const created2 = api.JetCreateTableColumnIndex2(s0, dbid, {
      szTableName: "t",
      rgcolumncreate: [
        columnCreate("k", { coltyp: JET_coltypLong }),
        columnCreate("v", { coltyp: JET_coltypLong })
      ],
      rgindexcreate: [indexCreate({ name: "pk", key: "+k", grbit: JET_bitIndexPrimary })]
    })
    expect(codeName(created2.err)).toBe(codeName(0))
    const colK = created2.columnids[0] as JET_COLUMNID
    const colV = created2.columnids[1] as JET_COLUMNID
    const s1 = api.JetBeginSession(instance, null, null).sesid
    const dbid1 = api.JetOpenDatabase(s1, dbPath, null, 0).dbid
    const sesids: ReadonlyArray<JET_SESID> = [s0, s1]
    const cursors: ReadonlyArray<JET_TABLEID> = [
      created2.tableid,
      api.JetOpenTable(s1, dbid1, "t", 0).tableid
    ]
    const model = new Model()

    const at = (i: number, op: Op, what: string) => `step ${i} ${JSON.stringify(op)}: ${what}`
    const code = (err: number) => codeName(err)
    const seek = (s: number, k: number): number => {
      const sesid = sesids[s]!
      const c = cursors[s]!
      expect(code(api.JetMakeKey(sesid, c, enc.i32(k), 4, 1).err)).toBe(code(0))
      return api.JetSeek(sesid, c, JET_bitSeekEQ).err
    }
    const readV = (s: number): number => {
      const b = new Uint8Array(4)
      const r = api.JetRetrieveColumn(sesids[s]!, cursors[s]!, colV, b, 4, 0, null)
      expect(code(r.err)).toBe(code(0))
      return dec.i32(b)
    }
    const readK = (s: number): number => {
      const b = new Uint8Array(4)
      const r = api.JetRetrieveColumn(sesids[s]!, cursors[s]!, colK, b, 4, 0, null)
      expect(code(r.err)).toBe(code(0))
      return dec.i32(b)
    }

    ops.forEach((op, i) => {
      steps++
      const { s } = op
      const sesid = sesids[s]!
      const c = cursors[s]!
      switch (op.kind) {
        case "begin": {
          const expected = model.level(s) >= 7 ? codes.JET_errTransTooDeep : 0
          expect(code(api.JetBeginTransaction(sesid).err), at(i, op, "begin")).toBe(code(expected))
          if (expected === 0) model.begin(s)
          break
        }
        case "commit": {
          const expected = model.level(s) === 0 ? codes.JET_errNotInTransaction : 0
          expect(code(api.JetCommitTransaction(sesid, 0).err), at(i, op, "commit")).toBe(code(expected))
          model.commit(s)
          break
        }
        case "rollback": {
          const expected = model.level(s) === 0 ? codes.JET_errNotInTransaction : 0
          expect(code(api.JetRollback(sesid, 0).err), at(i, op, "rollback")).toBe(code(expected))
          model.rollback(s)
          break
        }
        case "insert": {
          expect(code(api.JetPrepareUpdate(sesid, c, JET_prepInsert).err)).toBe(code(0))
          expect(code(api.JetSetColumn(sesid, c, colK, enc.i32(op.k), 4, 0, null).err)).toBe(code(0))
          expect(code(api.JetSetColumn(sesid, c, colV, enc.i32(op.v), 4, 0, null).err)).toBe(code(0))
          const err = api.JetUpdate(sesid, c, null, 0).err
          if (err < 0) api.JetPrepareUpdate(sesid, c, JET_prepCancel)
          if (model.conflict(s, op.k)) {
            // the spec does not say which of the two a hidden or locked duplicate gives
            expect(
              [code(codes.JET_errKeyDuplicate), code(codes.JET_errWriteConflict)],
              at(i, op, "insert over a conflict")
            )
              .toContain(code(err))
          } else if (model.view(s).has(op.k)) {
            expect(code(err), at(i, op, "insert of a visible key")).toBe(code(codes.JET_errKeyDuplicate))
          } else {
            expect(code(err), at(i, op, "insert")).toBe(code(0))
            model.write(s, op.k, op.v)
          }
          break
        }
        case "replace":
        case "delete": {
          const found = seek(s, op.k)
          if (!model.view(s).has(op.k)) {
            expect(code(found), at(i, op, "seek before write")).toBe(code(codes.JET_errRecordNotFound))
            break
          }
          expect(code(found), at(i, op, "seek before write")).toBe(code(0))
          const conflict = model.conflict(s, op.k)
          if (op.kind === "delete") {
            const err = api.JetDelete(sesid, c).err
            expect(code(err), at(i, op, "delete")).toBe(code(conflict ? codes.JET_errWriteConflict : 0))
            if (!conflict) model.write(s, op.k, null)
            break
          }
          const inTransaction = model.level(s) > 0
          const prep = api.JetPrepareUpdate(sesid, c, JET_prepReplace).err
          if (inTransaction && conflict) {
            expect(code(prep), at(i, op, "prepare replace")).toBe(code(codes.JET_errWriteConflict))
            break
          }
          expect(code(prep), at(i, op, "prepare replace")).toBe(code(0))
          expect(code(api.JetSetColumn(sesid, c, colV, enc.i32(op.v), 4, 0, null).err)).toBe(code(0))
          const err = api.JetUpdate(sesid, c, null, 0).err
          if (err < 0) api.JetPrepareUpdate(sesid, c, JET_prepCancel)
          expect(code(err), at(i, op, "update")).toBe(code(conflict ? codes.JET_errWriteConflict : 0))
          if (!conflict) model.write(s, op.k, op.v)
          break
        }
        case "seek": {
          const err = seek(s, op.k)
          const expected = model.view(s).get(op.k)
          if (expected === undefined) {
            expect(code(err), at(i, op, "seek")).toBe(code(codes.JET_errRecordNotFound))
          } else {
            expect(code(err), at(i, op, "seek")).toBe(code(0))
            expect(readV(s), at(i, op, "value")).toBe(expected)
          }
          break
        }
        case "scan": {
          const expected = [...model.view(s)].filter(([k]) => k >= op.lo && k <= op.hi).sort(([a], [b]) =>
            a - b
          )
          const got: Array<[number, number]> = []
          expect(code(api.JetMakeKey(sesid, c, enc.i32(op.lo), 4, 1).err)).toBe(code(0))
          const first = api.JetSeek(sesid, c, JET_bitSeekGE).err
          if (first !== codes.JET_errRecordNotFound) {
            expect(first, at(i, op, "scan seek")).toBeGreaterThanOrEqual(0)
            expect(code(api.JetMakeKey(sesid, c, enc.i32(op.hi), 4, 1).err)).toBe(code(0))
            let err = api.JetSetIndexRange(sesid, c, JET_bitRangeInclusive | JET_bitRangeUpperLimit).err
            while (err === 0) {
              got.push([readK(s), readV(s)])
              err = api.JetMove(sesid, c, JET_MoveNext, 0).err
            }
            expect(code(err), at(i, op, "scan end")).toBe(code(codes.JET_errNoCurrentRecord))
          }
          expect(got, at(i, op, "scan")).toEqual(expected)
          break
        }
      }
    })
  } finally {
    api.JetTerm2(instance, JET_bitTermDirty)
    rmSync(dir, { recursive: true, force: true })
  }
}

forEachEngine((engine) => {
  describe("§3 model: snapshot isolation and first-writer-wins under random operations", () => {
    afterAll(() => {
      console.log(
        `model property: ${steps} steps in ${runs} sequences, ${
          ((performance.now() - started) / 1000).toFixed(1)
        } s`
      )
    })

    it("§3 random sequences in two sessions agree with the model at every read", () => {
      started = performance.now()
      fc.assert(
        fc.property(fc.array(opArb, { minLength: 20, maxLength: 120, size: "max" }), (ops) => {
          runs++
          runSequence(engine, ops)
        }),
        { numRuns: 100 }
      )
    })
  })
})
