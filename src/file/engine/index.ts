/**
 * The read-only file engine: the `JetApi` over ESE database files written by the real engine. A
 * file is attached with `JET_bitDbReadOnly`; its catalog becomes the in-memory engine's model, with
 * every table's record tree and index trees read from the file on demand through a bounded page
 * cache ({@link FileIndex}), so that sessions, transactions, cursors, seeks, ranges, bookmarks,
 * retrieves and the info calls behave exactly as the in-memory engine's (docs/ESENT-SEMANTICS.md).
 *
 * Nothing is ever written to a file: an attach without `JET_bitDbReadOnly` fails with
 * `JET_errDatabaseFileReadOnly`, and every write fails with `JET_errPermissionDenied`.
 *
 * Keys: the index keys the file stores are compared with keys built by `src/memory/keys.ts`, which
 * builds the stored bytes for every non-Unicode column type (checked on a real file). Unicode text
 * keys are Windows sort keys: `JetMakeKey` on an index with a Unicode text segment builds them with
 * `src/collation` and fails with `JET_errUnicodeTranslationFail` where that cannot (a character it
 * refuses, or a key limit option); moves, ranges over made keys of other indexes and
 * scans work on every index.
 *
 * @example
 * ```ts
 * import { makeFileEngine } from "effect-esent/file/engine"
 * const api = makeFileEngine({ cacheBytes: 4 * 1024 * 1024 })
 * ```
 *
 * @module
 */
import { statSync } from "node:fs"
import type { JetApi, JetResult } from "../../jet/api.ts"
import {
  JET_bitDbReadOnly,
  JET_bitNewKey,
  JET_bitNormalizedKey,
  JET_bitReadLock,
  JET_bitWriteLock,
  JET_DbInfoFilesize,
  JET_DbInfoMisc,
  JET_DbInfoPageSize
} from "../../jet/constants.ts"
import { jetErrorCodes as E } from "../../jet/errors.generated.ts"
import type { JET_SESID, JET_TABLEID } from "../../jet/handles.ts"
import type { MemoryEngine } from "../../memory/index.ts"
import { makeMemoryEngine, makeMemoryStore } from "../../memory/index.ts"
import { pathKey } from "../../memory/model.ts"
import type { IndexInfo, TableInfo } from "../catalog.ts"
import { CompressionError } from "../compression/index.ts"
import { EseFileError } from "../errors.ts"
import type { DatabaseHeader } from "../header.ts"
import { EseFile } from "../reader.ts"
import { appendFileKeySegment } from "./keySegment.ts"
import { dbVersionOf, isUnicodeText } from "./schema.ts"

/** Settings of {@link makeFileEngine}. */
export interface FileEngineOptions {
  /** The page cache's bound in bytes, per attached file. Default 32 MiB. */
  readonly cacheBytes?: number
  /** Verify each page's checksum when it is read. Default true. */
  readonly verifyChecksums?: boolean
}

/** What the engine knows of one attached file. */
export interface AttachedFile {
  /** The path the file was attached under. */
  readonly path: string
  /** The file's database header: its `state` says whether it was shut down cleanly. */
  readonly header: DatabaseHeader
  /** Page cache counters. */
  readonly cache: ReturnType<EseFile["cacheStats"]>
}

/** The file engine: `JetApi` plus what it can say about the files it has attached. */
export interface FileEngine extends JetApi {
  /** The files attached now. */
  readonly attachedFiles: () => ReadonlyArray<AttachedFile>
}

/** The methods that change a database: each fails with `JET_errPermissionDenied`. */
const schemaWrites = [
  "JetCreateTableColumnIndex2",
  "JetDeleteTable",
  "JetRenameTable",
  "JetAddColumn",
  "JetDeleteColumn2",
  "JetRenameColumn",
  "JetSetColumnDefaultValue",
  "JetCreateIndex2",
  "JetDeleteIndex",
  "JetDefragment2",
  "JetCompact",
  "JetRestoreInstance"
] as const

/** The `JET_DBINFOMISC` bytes the engine writes: up to and including `cbPageSize`. */
const dbInfoMiscSize = 216

const stateCodes: Record<DatabaseHeader["state"], number> = {
  Unknown: 0,
  JustCreated: 1,
  DirtyShutdown: 2,
  CleanShutdown: 3,
  BeingConverted: 4,
  ForceDetach: 5
}

/** The JET error code of an exception thrown while reading a file. */
const codeOf = (error: unknown): number => {
  if (error instanceof EseFileError) return E[error.code]
  if (error instanceof CompressionError) return E.JET_errDecompressionFailed
  return E.JET_errDatabaseCorrupted
}

/** The cursor's key being made on an index with a Unicode text segment. */
interface UnicodeKey {
  key: Uint8Array
  count: number
}

/** A new read-only file engine. */
export const makeFileEngine = (options: FileEngineOptions = {}): FileEngine => {
  const store = makeMemoryStore()
  const inner: MemoryEngine = makeMemoryEngine({ store })
  const files = new Map<string, { readonly file: EseFile; readonly path: string; readonly pages: number }>()
  const cursorTables = new Map<JET_TABLEID, { readonly file: EseFile; readonly table: TableInfo }>()
  const unicodeKeys = new Map<JET_TABLEID, UnicodeKey>()

  const openFile = (path: string): EseFile =>
    EseFile.open(path, {
      ...(options.cacheBytes !== undefined ? { cacheBytes: options.cacheBytes } : {}),
      ...(options.verifyChecksums !== undefined ? { verifyChecksums: options.verifyChecksums } : {})
    })

  /** Closes the files no instance has attached any more. */
  const sweep = (): void => {
    const live = new Set(inner.inspect().instances.map((i) => i.instance))
    for (const [key, entry] of files) {
      const db = store.databases.get(key)
      if (db !== undefined && db.attachedTo !== undefined && live.has(db.attachedTo)) continue
      store.databases.delete(key)
      entry.file.close()
      files.delete(key)
    }
  }

  const fileOfDb = (
    sesid: JET_SESID,
    dbid: number
  ): { readonly file: EseFile; readonly path: string; readonly pages: number } | undefined => {
    const buffer = new Uint8Array(520)
    const r = inner.JetGetDatabaseInfo(sesid, dbid as never, buffer, buffer.byteLength, 0)
    if (r.err < 0) return undefined
    const text = Buffer.from(buffer).toString("utf16le")
    const path = text.slice(0, text.indexOf("\0") < 0 ? text.length : text.indexOf("\0"))
    return files.get(pathKey(path))
  }

  const currentIndex = (sesid: JET_SESID, tableid: JET_TABLEID): IndexInfo | undefined => {
    const known = cursorTables.get(tableid)
    if (known === undefined) return undefined
    const buffer = new Uint8Array(264)
    if (inner.JetGetCurrentIndex(sesid, tableid, buffer, buffer.byteLength).err < 0) return undefined
    const text = Buffer.from(buffer).toString("utf16le")
    const name = text.slice(0, text.indexOf("\0")).toLowerCase()
    return known.table.indexes.find((i) => i.name.toLowerCase() === name)
  }

  const makeUnicodeKey = (
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    table: TableInfo,
    index: IndexInfo,
    pvData: Uint8Array | null,
    cbData: number,
    grbit: number
  ): JetResult => {
    const fresh = (grbit & JET_bitNewKey) !== 0
    const made = fresh ? { key: new Uint8Array(0), count: 0 } : unicodeKeys.get(tableid)
    if (made === undefined) return { err: E.JET_errKeyNotMade }
    if (made.count >= index.segments.length) return { err: E.JET_errKeyIsMade }
    const segment = index.segments[made.count]!
    const column = table.columns.find((c) => c.id === segment.columnId)!
    const data = pvData === null ? null : pvData.subarray(0, cbData)
    const key = appendFileKeySegment(made.key, index, segment, column, data, grbit)
    if (typeof key === "number") return { err: key }
    const r = inner.JetMakeKey(sesid, tableid, key, key.length, JET_bitNewKey | JET_bitNormalizedKey)
    if (r.err < 0) return r
    unicodeKeys.set(tableid, { key, count: made.count + 1 })
    return { err: 0 }
  }

  const overrides: Partial<JetApi> & Pick<FileEngine, "attachedFiles"> = {
    attachedFiles: () =>
      [...files.values()].map(({ file, path }) => ({ path, header: file.header, cache: file.cacheStats() })),

    JetTerm(instance) {
      const r = inner.JetTerm(instance)
      sweep()
      return r
    },

    JetTerm2(instance, grbit) {
      const r = inner.JetTerm2(instance, grbit)
      sweep()
      return r
    },

    JetCreateDatabase2() {
      return { err: E.JET_errPermissionDenied, dbid: 0 as never }
    },

    JetAttachDatabase2(sesid, filename, cpgMax, grbit) {
      // The engine never writes a file: attaching for writing fails as for a read-only file.
      if ((grbit & JET_bitDbReadOnly) === 0) return { err: E.JET_errDatabaseFileReadOnly }
      const key = pathKey(filename)
      if (!files.has(key)) {
        let file: EseFile
        try {
          file = openFile(filename)
        } catch (error) {
          return { err: codeOf(error) }
        }
        try {
          store.databases.set(key, { path: filename, committed: dbVersionOf(file), attachedTo: undefined })
        } catch (error) {
          file.close()
          return { err: codeOf(error) }
        }
        files.set(key, {
          file,
          path: filename,
          pages: Math.floor(statSync(filename).size / file.header.pageSize)
        })
      }
      const r = inner.JetAttachDatabase2(sesid, filename, cpgMax, grbit)
      sweep()
      return r
    },

    JetDetachDatabase2(sesid, filename, grbit) {
      const r = inner.JetDetachDatabase2(sesid, filename, grbit)
      sweep()
      return r
    },

    JetGetDatabaseInfo(sesid, dbid, pvResult, cbMax, infoLevel) {
      const special = infoLevel === JET_DbInfoMisc || infoLevel === JET_DbInfoFilesize
        || infoLevel === JET_DbInfoPageSize
      if (!special || cbMax > pvResult.byteLength) {
        return inner.JetGetDatabaseInfo(sesid, dbid, pvResult, cbMax, infoLevel)
      }
      const attached = fileOfDb(sesid, dbid)
      if (attached === undefined) return inner.JetGetDatabaseInfo(sesid, dbid, pvResult, cbMax, infoLevel)
      const file = attached.file
      const view = new DataView(pvResult.buffer, pvResult.byteOffset, pvResult.byteLength)
      const header = file.header
      if (infoLevel === JET_DbInfoMisc) {
        if (cbMax < dbInfoMiscSize) return { err: E.JET_errBufferTooSmall }
        pvResult.fill(0, 0, dbInfoMiscSize)
        view.setUint32(0, header.formatVersion, true)
        view.setUint32(4, header.formatRevision, true)
        view.setUint32(36, stateCodes[header.state], true)
        view.setUint32(212, header.pageSize, true)
        return { err: 0 }
      }
      if (cbMax < 4) return { err: E.JET_errBufferTooSmall }
      view.setUint32(
        0,
        infoLevel === JET_DbInfoPageSize ? header.pageSize : attached.pages,
        true
      )
      return { err: 0 }
    },

    JetOpenTable(sesid, dbid, tableName, grbit) {
      const r = inner.JetOpenTable(sesid, dbid, tableName, grbit)
      if (r.err >= 0) {
        const file = fileOfDb(sesid, dbid)?.file
        const table = file?.tables.find((t) => t.name.toLowerCase() === tableName.toLowerCase())
        if (file !== undefined && table !== undefined) cursorTables.set(r.tableid, { file, table })
      }
      return r
    },

    JetDupCursor(sesid, tableid, grbit) {
      const r = inner.JetDupCursor(sesid, tableid, grbit)
      const known = cursorTables.get(tableid)
      if (r.err >= 0 && known !== undefined) cursorTables.set(r.tableid, known)
      return r
    },

    JetCloseTable(sesid, tableid) {
      const r = inner.JetCloseTable(sesid, tableid)
      if (r.err >= 0) {
        cursorTables.delete(tableid)
        unicodeKeys.delete(tableid)
      }
      return r
    },

    JetGetLock(sesid, tableid, grbit) {
      if ((grbit & JET_bitWriteLock) === 0 || !cursorTables.has(tableid)) {
        return inner.JetGetLock(sesid, tableid, grbit)
      }
      // The same checks as a read lock (transaction, current record), then the read-only refusal.
      const r = inner.JetGetLock(sesid, tableid, JET_bitReadLock)
      return r.err < 0 ? r : { err: E.JET_errPermissionDenied }
    },

    JetSetCurrentIndex4(sesid, tableid, indexName, grbit, itagSequence) {
      const r = inner.JetSetCurrentIndex4(sesid, tableid, indexName, grbit, itagSequence)
      if (r.err >= 0) unicodeKeys.delete(tableid)
      return r
    },

    JetMakeKey(sesid, tableid, pvData, cbData, grbit) {
      const known = cursorTables.get(tableid)
      if (known !== undefined && (grbit & JET_bitNormalizedKey) === 0) {
        const index = currentIndex(sesid, tableid)
        const unicode = index?.segments.some((s) =>
          isUnicodeText(known.table.columns.find((c) => c.id === s.columnId)!)
        )
        if (index !== undefined && unicode === true) {
          if (pvData !== null && cbData > pvData.byteLength) return { err: E.JET_errInvalidParameter }
          return makeUnicodeKey(sesid, tableid, known.table, index, pvData, cbData, grbit)
        }
      }
      return inner.JetMakeKey(sesid, tableid, pvData, cbData, grbit)
    }
  }
  for (const name of schemaWrites) {
    ;(overrides as Record<string, unknown>)[name] = (): JetResult => ({ err: E.JET_errPermissionDenied })
  }

  // Every call runs under one guard: a damaged page met while reading becomes its JET error code.
  const api: Record<string, unknown> = {}
  for (const name of Object.keys(inner)) {
    const own = (overrides as Record<string, unknown>)[name]
      ?? (inner as unknown as Record<string, unknown>)[name]
    if (typeof own !== "function") continue
    const fn = own as (...args: Array<unknown>) => unknown
    api[name] = (...args: Array<unknown>): unknown => {
      try {
        return fn(...args)
      } catch (error) {
        return { err: codeOf(error) }
      }
    }
  }
  api["attachedFiles"] = overrides.attachedFiles
  return api as unknown as FileEngine
}
