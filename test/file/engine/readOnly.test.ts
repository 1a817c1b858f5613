// The file engine at JET level: read-only attach, every write refused with the read-only code and
// the file's bytes unchanged, damaged pages reported as error codes, unclean files read and
// reported, and seeks on Unicode text indexes through Windows sort keys.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Logger } from "effect"
import { createHash } from "node:crypto"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll } from "vitest"
import { legacyChecksum } from "../../../src/file/checksum.ts"
import { makeFileEngine } from "../../../src/file/engine/index.ts"
import { Database, Esent, Jet, Session } from "../../../src/index.ts"
import type { JetApi } from "../../../src/jet/api.ts"
import * as C from "../../../src/jet/constants.ts"
import { jetErrorCodes as E } from "../../../src/jet/errors.generated.ts"
import type { JET_DBID, JET_SESID, JET_TABLEID } from "../../../src/jet/handles.ts"
import { JET_COLUMNID } from "../../../src/jet/handles.ts"
import { unpackFixtures } from "../fixtures.ts"

const fixtures = unpackFixtures(["index.edb"])
afterAll(() => fixtures.cleanup())

const sha256 = (path: string): string => createHash("sha256").update(readFileSync(path)).digest("hex")

/** A copy of index.edb under another name, changed by `edit` (header checksums made right again). */
const variant = (name: string, edit: (bytes: Uint8Array) => void): string => {
  const bytes = new Uint8Array(readFileSync(fixtures.path("index.edb")))
  edit(bytes)
  const path = join(fixtures.dir, name)
  writeFileSync(path, bytes)
  return path
}

const resealHeaders = (bytes: Uint8Array): void => {
  const view = new DataView(bytes.buffer, bytes.byteOffset)
  for (const offset of [0, 4096]) {
    view.setUint32(offset, legacyChecksum(bytes, offset, 4096), true)
  }
}

interface Opened {
  readonly api: JetApi
  readonly sesid: JET_SESID
  readonly dbid: JET_DBID
  readonly tableid: JET_TABLEID
  readonly close: () => void
}

const openIndexTable = (path: string): Opened => {
  const api = makeFileEngine({ cacheBytes: 64 * 1024 })
  const { instance } = api.JetCreateInstance2("readonly-test", null, 0)
  expect(api.JetInit3(instance, 0).err).toBe(0)
  const { sesid } = api.JetBeginSession(instance, null, null)
  expect(api.JetAttachDatabase2(sesid, path, 0, C.JET_bitDbReadOnly).err).toBe(0)
  const { dbid, err } = api.JetOpenDatabase(sesid, path, null, C.JET_bitDbReadOnly)
  expect(err).toBe(0)
  const opened = api.JetOpenTable(sesid, dbid, "index", C.JET_bitTableReadOnly)
  expect(opened.err).toBe(0)
  return {
    api,
    sesid,
    dbid,
    tableid: opened.tableid,
    close: () => {
      api.JetCloseTable(sesid, opened.tableid)
      api.JetCloseDatabase(sesid, dbid, 0)
      api.JetDetachDatabase2(sesid, path, 0)
      api.JetEndSession(sesid, 0)
      expect(api.JetTerm(instance).err).toBe(0)
      expect(api.attachedFiles()).toEqual([])
    }
  }
}

const columnId = (o: Opened, name: string): JET_COLUMNID => {
  const buffer = new Uint8Array(1024)
  const r = o.api.JetGetTableColumnInfo(o.sesid, o.tableid, name, buffer, buffer.byteLength, C.JET_ColInfo)
  expect(r.err).toBe(0)
  // JET_COLUMNDEF: cbStruct, then columnid.
  return JET_COLUMNID(new DataView(buffer.buffer).getUint32(4, true))
}

describe("file engine: attach", () => {
  it("an attach without JET_bitDbReadOnly fails with JET_errDatabaseFileReadOnly; a missing file with JET_errFileNotFound", () => {
    const api = makeFileEngine()
    const { instance } = api.JetCreateInstance2("attach-test", null, 0)
    api.JetInit3(instance, 0)
    const { sesid } = api.JetBeginSession(instance, null, null)
    expect(api.JetAttachDatabase2(sesid, fixtures.path("index.edb"), 0, 0).err).toBe(
      E.JET_errDatabaseFileReadOnly
    )
    expect(api.JetAttachDatabase2(sesid, join(fixtures.dir, "absent.edb"), 0, C.JET_bitDbReadOnly).err)
      .toBe(E.JET_errFileNotFound)
    expect(api.JetCreateDatabase2(sesid, join(fixtures.dir, "new.edb"), 0, 0).err).toBe(
      E.JET_errPermissionDenied
    )
    expect(api.attachedFiles()).toEqual([])
    api.JetEndSession(sesid, 0)
    api.JetTerm(instance)
  })
})

describe("file engine: writes", () => {
  it("every write call fails with JET_errPermissionDenied and the file's bytes stay the same", () => {
    const path = fixtures.path("index.edb")
    const before = sha256(path)
    const o = openIndexTable(path)
    const { api, dbid, sesid, tableid } = o
    expect(api.JetMove(sesid, tableid, C.JET_MoveFirst, 0).err).toBe(0)
    const id = columnId(o, "Long")
    const four = new Uint8Array(4)
    const inTransaction = (f: () => number): number => {
      expect(api.JetBeginTransaction(sesid).err).toBe(0)
      const code = f()
      expect(api.JetRollback(sesid, 0).err).toBe(0)
      return code
    }
    const codes: Record<string, number> = {
      JetPrepareUpdateInsert: api.JetPrepareUpdate(sesid, tableid, C.JET_prepInsert).err,
      JetPrepareUpdateReplace: api.JetPrepareUpdate(sesid, tableid, C.JET_prepReplace).err,
      JetDelete: api.JetDelete(sesid, tableid).err,
      JetGetLock: inTransaction(() => api.JetGetLock(sesid, tableid, C.JET_bitWriteLock).err),
      JetEscrowUpdate: api.JetEscrowUpdate(sesid, tableid, id, four, 4, null, 0, 0).err,
      JetCreateTableColumnIndex2: api.JetCreateTableColumnIndex2(sesid, dbid, {
        szTableName: "t",
        rgcolumncreate: [],
        rgindexcreate: []
      }).err,
      JetDeleteTable: api.JetDeleteTable(sesid, dbid, "index").err,
      JetRenameTable: api.JetRenameTable(sesid, dbid, "index", "other").err,
      JetAddColumn: api.JetAddColumn(sesid, tableid, "c", { coltyp: C.JET_coltypLong }, null, 0).err,
      JetDeleteColumn2: api.JetDeleteColumn2(sesid, tableid, "Long", 0).err,
      JetRenameColumn: api.JetRenameColumn(sesid, tableid, "Long", "L", 0).err,
      JetSetColumnDefaultValue: api.JetSetColumnDefaultValue(sesid, dbid, "index", "Long", four, 4, 0).err,
      JetCreateIndex2:
        api.JetCreateIndex2(sesid, tableid, [{ szIndexName: "ix", szKey: "+Long\0\0", cbKey: 14 }]).err,
      JetDeleteIndex: api.JetDeleteIndex(sesid, tableid, "IxLong").err,
      JetCompact: api.JetCompact(sesid, path, join(fixtures.dir, "compact.edb"), 0).err
    }
    for (const [call, code] of Object.entries(codes)) {
      expect({ call, code }).toEqual({ call, code: E.JET_errPermissionDenied })
    }
    // With no update prepared, a set column fails as it does everywhere: nothing to set.
    expect(api.JetSetColumn(sesid, tableid, id, four, 4, 0, null).err).toBe(E.JET_errUpdateNotPrepared)
    expect(api.JetUpdate(sesid, tableid, null, 0).err).toBe(E.JET_errUpdateNotPrepared)
    // Still there, unchanged.
    const out = new Uint8Array(4)
    expect(api.JetRetrieveColumn(sesid, tableid, id, out, 4, 0, null).err).toBe(0)
    expect(new DataView(out.buffer).getInt32(0, true)).toBe(-13371337)
    o.close()
    expect(sha256(path)).toBe(before)
  })
})

describe("file engine: damaged and unclean files", () => {
  it("a record page with a bad checksum makes the read fail with JET_errReadVerifyFailure, not a crash", () => {
    // index.edb's table `index` keeps its records on page 31 (4 KiB pages; page n at (n + 1) * 4096).
    const path = variant("damaged.edb", (bytes) => {
      bytes[(31 + 1) * 4096 + 200]! ^= 0xff
    })
    const o = openIndexTable(path)
    expect(o.api.JetMove(o.sesid, o.tableid, C.JET_MoveFirst, 0).err).toBe(E.JET_errReadVerifyFailure)
    o.close()
  })

  it.effect("a file not shut down cleanly is read; Database.info says so and attach warns once", () =>
    Effect.gen(function*() {
      // dbstate (offset 52 of each header copy) 2: JET_dbstateDirtyShutdown.
      const path = variant("dirty.edb", (bytes) => {
        const view = new DataView(bytes.buffer, bytes.byteOffset)
        view.setUint32(52, 2, true)
        view.setUint32(4096 + 52, 2, true)
        resealHeaders(bytes)
      })
      const warnings: Array<string> = []
      const logger = Logger.layer([
        Logger.make(({ logLevel, message }) => {
          if (logLevel === "Warn") warnings.push(String(message))
        })
      ])
      const live = Esent.layer({ instanceName: "dirty" }).pipe(Layer.provide(Jet.layerFile()))
      const states = yield* Effect.gen(function*() {
        const session = yield* Session.begin
        const read = (p: string) =>
          Effect.scoped(Effect.flatMap(Database.attach(session, p, { readOnly: true }), Database.info))
        const first = yield* read(path)
        const again = yield* read(path)
        const clean = yield* read(fixtures.path("index.edb"))
        return [first.state, again.state, clean.state, first.pageSize]
      }).pipe(Effect.scoped, Effect.provide(live), Effect.provide(logger))
      expect(states).toEqual(["DirtyShutdown", "DirtyShutdown", "CleanShutdown", 4096])
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toContain("dirty.edb was not shut down cleanly (DirtyShutdown)")
    }))
})

describe("file engine: seeks on a Unicode text index use Windows sort keys", () => {
  const text = (s: string) => new Uint8Array(Buffer.from(s, "utf16le"))

  it("a key src/collation can build seeks; one it cannot fails with JET_errUnicodeTranslationFail", () => {
    const o = openIndexTable(fixtures.path("index.edb"))
    const { api, sesid, tableid } = o
    expect(api.JetSetCurrentIndex4(sesid, tableid, "IxUnicode", 0, 1).err).toBe(0)
    const seek = (value: string, grbit: number) => {
      const bytes = text(value)
      const made = api.JetMakeKey(sesid, tableid, bytes, bytes.length, C.JET_bitNewKey)
      return made.err < 0 ? made.err : api.JetSeek(sesid, tableid, grbit).err
    }
    // The one record's value is "Simple Unicode text 🦊": "simple" sorts before it, case aside.
    expect(seek("simple", C.JET_bitSeekGE)).toBe(E.JET_wrnSeekNotEqual)
    const id = columnId(o, "Id")
    const out = new Uint8Array(4)
    expect(api.JetRetrieveColumn(sesid, tableid, id, out, 4, 0, null).err).toBe(0)
    expect(new DataView(out.buffer).getInt32(0, true)).toBe(1)
    // "z" sorts after the stored "t" of "text" (the emoji at the end sorts after every letter).
    expect(seek("Simple Unicode zzz", C.JET_bitSeekGE)).toBe(E.JET_errRecordNotFound)
    expect(seek("Simple Unicode text zzz", C.JET_bitSeekGE)).toBe(E.JET_wrnSeekNotEqual)
    expect(seek("Simple", C.JET_bitSeekEQ)).toBe(E.JET_errRecordNotFound)
    // The whole value, its supplementary character included: the key built is the stored one.
    expect(seek("Simple Unicode text 🦊", C.JET_bitSeekEQ)).toBe(0)
    // Hangul jamo are outside what src/collation builds: no key, so no seek.
    expect(seek("Simple \u1100", C.JET_bitSeekGE)).toBe(E.JET_errUnicodeTranslationFail)
    // A key limit on a Unicode segment is refused too; moves and scans need no key.
    const bytes = text("Simple")
    expect(
      api.JetMakeKey(sesid, tableid, bytes, bytes.length, C.JET_bitNewKey | C.JET_bitFullColumnEndLimit).err
    )
      .toBe(E.JET_errUnicodeTranslationFail)
    expect(api.JetMove(sesid, tableid, C.JET_MoveFirst, 0).err).toBe(0)
    const key = new Uint8Array(255)
    const stored = api.JetRetrieveKey(sesid, tableid, key, 255, 0)
    expect(stored.err).toBe(0)
    expect(Buffer.from(key.subarray(0, 7)).toString("hex")).toBe("7f0e910e320e51")
    o.close()
  })
})
