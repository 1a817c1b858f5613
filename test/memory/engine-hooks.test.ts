import { describe, expect, it } from "vitest"
import { JET_coltypLong, JET_prepInsert } from "../../src/jet/constants.ts"
import { jetErrorCodes as E } from "../../src/jet/errors.generated.ts"
import type { JET_COLUMNID } from "../../src/jet/handles.ts"
import { makeMemoryEngine, makeMemoryStore } from "../../src/memory/index.ts"
import { SortedIndex } from "../../src/memory/tree.ts"

const setup = (maxVersionPages?: number) => {
  const api = makeMemoryEngine({
    store: makeMemoryStore(),
    ...(maxVersionPages === undefined ? {} : { maxVersionPages })
  })
  const { instance } = api.JetCreateInstance2("hooks", null, 0)
  api.JetInit3(instance, 0)
  const { sesid } = api.JetBeginSession(instance, null, null)
  const { dbid } = api.JetCreateDatabase2(sesid, "/hooks.edb", 0, 0)
  const t = api.JetCreateTableColumnIndex2(sesid, dbid, {
    szTableName: "t",
    rgcolumncreate: [{ szColumnName: "id", coltyp: JET_coltypLong }],
    rgindexcreate: [{ szIndexName: "pk", szKey: "+id\0\0", cbKey: 10, grbit: 2 }]
  })
  const insert = (id: number): number => {
    api.JetPrepareUpdate(sesid, t.tableid, JET_prepInsert)
    const b = new Uint8Array(4)
    new DataView(b.buffer).setInt32(0, id, true)
    api.JetSetColumn(sesid, t.tableid, t.columnids[0] as JET_COLUMNID, b, 4, 0, null)
    const r = api.JetUpdate(sesid, t.tableid, null, 0).err
    if (r < 0) api.JetPrepareUpdate(sesid, t.tableid, 3)
    return r
  }
  return { api, instance, sesid, dbid, tableid: t.tableid, insert }
}

describe("memory engine test hooks", () => {
  it("inspect lists instances, sessions, databases and cursors", () => {
    const { api, instance, sesid, dbid, tableid } = setup()
    const res = api.inspect().instances.find((i) => i.instance === instance)
    expect(res?.initialized).toBe(true)
    expect(res?.sessions).toEqual([{ sesid, transactionLevel: 0, databases: [dbid], cursors: [tableid] }])
  })

  it("an injected fault fails the Nth call and changes nothing", () => {
    const { api, sesid, insert } = setup()
    api.injectFault({ method: "JetBeginTransaction", call: 2, err: E.JET_errOutOfMemory })
    expect(api.JetBeginTransaction(sesid).err).toBe(0)
    expect(api.JetBeginTransaction(sesid).err).toBe(E.JET_errOutOfMemory)
    expect(api.inspect().instances[0]?.sessions[0]?.transactionLevel).toBe(1)
    expect(api.JetBeginTransaction(sesid).err).toBe(0)
    api.injectFault({ method: "*", err: E.JET_errDiskFull })
    expect(insert(1)).toBe(E.JET_errDiskFull)
    api.clearFaults()
    expect(insert(1)).toBe(0)
  })

  it("§1 an injected JetInit3 failure frees the instance, as ESENT does (the caller must not JetTerm it)", () => {
    const api = makeMemoryEngine({ store: makeMemoryStore() })
    const { instance } = api.JetCreateInstance2("init-fails", null, 0)
    api.injectFault({ method: "JetInit3", call: 1, err: E.JET_errOutOfMemory })
    expect(api.JetInit3(instance, 0).err).toBe(E.JET_errOutOfMemory)
    expect(api.inspect().instances).toEqual([])
    expect(api.JetCreateInstance2("init-fails", null, 0).err).toBe(0)
  })

  it("counts calls", () => {
    const { api } = setup()
    const before = api.callCount()
    api.JetGetVersion(api.inspect().instances[0]?.sessions[0]?.sesid as never)
    expect(api.callCount()).toBe(before + 1)
  })

  it("a call in flight makes a second call a sharing violation", () => {
    const { api, sesid } = setup()
    api.holdCall(sesid)
    expect(api.JetBeginTransaction(sesid).err).toBe(E.JET_errSessionSharingViolation)
    api.releaseCall(sesid)
    expect(api.JetBeginTransaction(sesid).err).toBe(0)
  })

  it("a transaction belongs to the thread that began it", () => {
    const { api, sesid } = setup()
    api.simulateThread(1)
    expect(api.JetBeginTransaction(sesid).err).toBe(0)
    api.simulateThread(2)
    expect(api.JetCommitTransaction(sesid, 0).err).toBe(E.JET_errSessionSharingViolation)
    api.simulateThread(1)
    expect(api.JetCommitTransaction(sesid, 0).err).toBe(0)
  })

  it("a session context lets another thread continue the transaction", () => {
    const { api, sesid } = setup()
    expect(api.JetSetSessionContext(sesid, 0n).err).toBe(E.JET_errInvalidParameter)
    expect(api.JetSetSessionContext(sesid, 42n).err).toBe(0)
    expect(api.JetSetSessionContext(sesid, 43n).err).toBe(E.JET_errSessionContextAlreadySet)
    expect(api.JetBeginTransaction(sesid).err).toBe(0)
    api.simulateThread(2)
    expect(api.JetCommitTransaction(sesid, 0).err).toBe(0)
    expect(api.JetResetSessionContext(sesid).err).toBe(E.JET_errSessionContextNotSetByThisThread)
    expect(api.JetEndSession(sesid, 0).err).toBe(E.JET_errSessionInUse)
    api.simulateThread(1)
    expect(api.JetResetSessionContext(sesid).err).toBe(0)
    expect(api.JetEndSession(sesid, 0).err).toBe(0)
  })

  it("the version store limit fails the transaction's update past it", () => {
    const { api, sesid, insert } = setup(3)
    api.JetBeginTransaction(sesid)
    expect([insert(1), insert(2), insert(3)]).toEqual([0, 0, 0])
    expect(insert(4)).toBe(E.JET_errVersionStoreOutOfMemory)
    api.JetCommitTransaction(sesid, 0)
    expect(insert(4)).toBe(0)
  })
})

describe("SortedIndex", () => {
  it("keeps entries sorted and clones copy-on-write", () => {
    const t = new SortedIndex<number>()
    const keys = Array.from(
      { length: 2000 },
      (_, i) => String.fromCharCode((i * 7919) % 2000 >> 8, (i * 7919) % 2000 & 255)
    )
    keys.forEach((k, i) => t.insert(k, k, i))
    const c = t.clone()
    c.remove(keys[0] as string, keys[0] as string)
    t.insert("\u00ff\u00ff", "\u00ff\u00ff", -1)
    expect(t.size).toBe(2001)
    expect(c.size).toBe(1999)
    const seen: Array<string> = []
    for (let p = t.first(); p !== undefined; p = t.next(p)) seen.push(t.keyAt(p))
    expect(seen).toEqual([...seen].sort())
    expect(c.get("\u00ff\u00ff", "\u00ff\u00ff")).toBeUndefined()
  })
})
