/**
 * `JetApi` over koffi: marshals each method's arguments to the C ABI the function table declares
 * and returns the raw `JET_ERR` with the outputs. Nothing here throws for a JET failure; a caller
 * buffer smaller than its declared size is refused before the native call, since ESENT would write
 * past it.
 *
 * The long calls (`JetApiAsync`) are also offered through `async`, on koffi's worker threads, so
 * that the JavaScript thread keeps running while ESENT recovers, terminates, creates or attaches a
 * database, backs up, restores, compacts, defragments or flushes its log.
 *
 * @module
 */
import koffi, { type LibraryHandle } from "koffi"
import type {
  JetApi,
  JetApiAsync,
  JetColumnCreate,
  JetColumnDef,
  JetEnumColumn,
  JetEnumColumnId,
  JetIndexCreate,
  JetOpenTemporaryTable,
  JetRecPos,
  JetResult,
  JetRetInfo,
  JetRetrieveColumnResult,
  JetSetInfo,
  JetUnicodeIndex
} from "../jet/api.ts"
import { jetErrorCodes } from "../jet/errors.generated.ts"
import { type JetFunction, jetFunctions } from "../jet/functions.ts"
import {
  JET_COLUMNID,
  JET_DBID,
  JET_INSTANCE,
  type JET_INSTANCE as Instance,
  JET_SESID,
  JET_TABLEID
} from "../jet/handles.ts"
import { type JetStructName, structLayout } from "../jet/structs.ts"
import {
  addressAt,
  ArenaPlan,
  type FieldValues,
  freeBlock,
  type NativeBlock,
  readField,
  writeStruct,
  writeWide
} from "./arena.ts"
import { type DeclaredFunction, declareFunction } from "./declarations.ts"
import { defaultLibraryPaths, type JetLibraryLoadError, loadJetLibrary } from "./library.ts"

const { JET_errEntryPointNotFound, JET_errInvalidParameter, JET_wrnColumnSingleValue } = jetErrorCodes

/** Options of the native engine. */
export interface NativeJetApiOptions {
  /**
   * The library (or libraries, tried in order) exporting the JET ABI. Default: `esent.dll`.
   */
  readonly libraryPath?: string | ReadonlyArray<string>
}

/** The outcome of {@link loadNativeJetApi}. */
export type NativeJetApiLoad =
  | { readonly _tag: "Loaded"; readonly path: string; readonly api: JetApi }
  | { readonly _tag: "Failed"; readonly error: JetLibraryLoadError }

/**
 * Loads a library exporting the JET ABI and binds `JetApi` to it. Never throws: when no library
 * loads, the result names every path tried.
 *
 * @example
 * ```ts
 * const loaded = loadNativeJetApi()
 * if (loaded._tag === "Failed") console.error(loaded.error.message)
 * ```
 */
export const loadNativeJetApi = (options: NativeJetApiOptions = {}): NativeJetApiLoad => {
  const paths = options.libraryPath === undefined
    ? defaultLibraryPaths
    : typeof options.libraryPath === "string"
    ? [options.libraryPath]
    : options.libraryPath
  const loaded = loadJetLibrary(paths)
  return loaded._tag === "Failed"
    ? loaded
    : { _tag: "Loaded", path: loaded.path, api: makeNativeJetApi(loaded.library) }
}

/** UTF-16LE with a terminating NUL, as the `W` entry points take strings. */
const wide = (text: string | null | undefined): Uint8Array | null =>
  text == null ? null : Buffer.from(`${text}\0`, "utf16le")

/** `true` when a caller buffer cannot hold the byte count it is declared with. */
const badBuffer = (buffer: Uint8Array | null, cb: number): boolean =>
  !Number.isInteger(cb) || cb < 0 || cb > 0xffff_ffff || (buffer === null ? cb !== 0 : cb > buffer.byteLength)

/** The bytes of a struct that holds no pointers, ready to pass as a `void *` argument. */
const flatStruct = (name: JetStructName, values: FieldValues): Uint8Array => {
  const layout = structLayout(name)
  const bytes = new Uint8Array(layout.size)
  writeStruct({ pointer: null, base: 0n, view: new DataView(bytes.buffer), bytes }, 0, name, values)
  return bytes
}

const flatStructs = (name: JetStructName, items: ReadonlyArray<FieldValues>): Uint8Array => {
  const size = structLayout(name).size
  const bytes = new Uint8Array(Math.max(size * items.length, 1))
  const block = { pointer: null, base: 0n, view: new DataView(bytes.buffer), bytes }
  items.forEach((item, i) => writeStruct(block, i * size, name, item))
  return bytes
}

const columnDefFields = (def: JetColumnDef): FieldValues => ({
  columnid: def.columnid,
  coltyp: def.coltyp,
  wCountry: def.wCountry,
  langid: def.langid,
  cp: def.cp,
  wCollate: def.wCollate,
  cbMax: def.cbMax,
  grbit: def.grbit
})

const unicodeIndexBytes = (index: JetUnicodeIndex | null | undefined): Uint8Array | null =>
  index == null ? null : flatStruct("JET_UNICODEINDEX", { lcid: index.lcid, dwMapFlags: index.dwMapFlags })

/** Plans and writes an array of `JET_INDEXCREATE_W` with everything it points to. */
const planIndexes = (plan: ArenaPlan, indexes: ReadonlyArray<JetIndexCreate>) => {
  const at = plan.reserveStructs("JET_INDEXCREATE_W", indexes.length)
  const parts = indexes.map((index) => ({
    name: plan.reserveWide(index.szIndexName),
    key: plan.reserve(Math.max(index.cbKey, index.szKey.length * 2 + 2), 2),
    unicode: index.pidxunicode == null ? -1 : plan.reserveStructs("JET_UNICODEINDEX", 1),
    tuples: index.ptuplelimits == null ? -1 : plan.reserveStructs("JET_TUPLELIMITS", 1),
    conditional: plan.reserveStructs("JET_CONDITIONALCOLUMN_W", index.rgconditionalcolumn?.length ?? 0),
    conditionalNames: (index.rgconditionalcolumn ?? []).map((c) => plan.reserveWide(c.szColumnName))
  }))
  const write = (block: NativeBlock): void => {
    const size = structLayout("JET_INDEXCREATE_W").size
    indexes.forEach((index, i) => {
      const part = parts[i]!
      writeWide(block, part.name, index.szIndexName)
      // The key string carries its own NUL separators; copy it code unit by code unit.
      for (let c = 0; c < index.szKey.length; c++) {
        block.view.setUint16(part.key + 2 * c, index.szKey.charCodeAt(c), true)
      }
      if (index.pidxunicode != null) {
        writeStruct(block, part.unicode, "JET_UNICODEINDEX", { ...index.pidxunicode })
      }
      if (index.ptuplelimits != null) {
        writeStruct(block, part.tuples, "JET_TUPLELIMITS", { ...index.ptuplelimits })
      }
      const conditionalSize = structLayout("JET_CONDITIONALCOLUMN_W").size
      ;(index.rgconditionalcolumn ?? []).forEach((c, j) => {
        writeWide(block, part.conditionalNames[j]!, c.szColumnName)
        writeStruct(block, part.conditional + j * conditionalSize, "JET_CONDITIONALCOLUMN_W", {
          szColumnName: addressAt(block, part.conditionalNames[j]!),
          grbit: c.grbit
        })
      })
      writeStruct(block, at + i * size, "JET_INDEXCREATE_W", {
        szIndexName: addressAt(block, part.name),
        szKey: addressAt(block, part.key),
        cbKey: index.cbKey,
        grbit: index.grbit ?? 0,
        ulDensity: index.ulDensity ?? 0,
        pidxunicode: addressAt(block, part.unicode),
        ptuplelimits: addressAt(block, part.tuples),
        rgconditionalcolumn: (index.rgconditionalcolumn?.length ?? 0) === 0
          ? 0n
          : addressAt(block, part.conditional),
        cConditionalColumn: index.rgconditionalcolumn?.length ?? 0,
        cbKeyMost: index.cbKeyMost ?? 0
      })
    })
  }
  const errs = (block: NativeBlock): ReadonlyArray<number> =>
    indexes.map((_, i) =>
      Number(
        readField(block.view, at + i * structLayout("JET_INDEXCREATE_W").size, "JET_INDEXCREATE_W", "err")
      )
    )
  return { at, write, errs }
}

const planColumns = (plan: ArenaPlan, columns: ReadonlyArray<JetColumnCreate>) => {
  const at = plan.reserveStructs("JET_COLUMNCREATE_W", columns.length)
  const parts = columns.map((column) => ({
    name: plan.reserveWide(column.szColumnName),
    defaultValue: column.pvDefault == null ? -1 : plan.reserve(column.pvDefault.byteLength, 1)
  }))
  const size = structLayout("JET_COLUMNCREATE_W").size
  const write = (block: NativeBlock): void =>
    columns.forEach((column, i) => {
      const part = parts[i]!
      writeWide(block, part.name, column.szColumnName)
      if (column.pvDefault != null) block.bytes.set(column.pvDefault, part.defaultValue)
      writeStruct(block, at + i * size, "JET_COLUMNCREATE_W", {
        szColumnName: addressAt(block, part.name),
        coltyp: column.coltyp,
        cbMax: column.cbMax ?? 0,
        grbit: column.grbit ?? 0,
        pvDefault: addressAt(block, part.defaultValue),
        cbDefault: column.cbDefault ?? 0,
        cp: column.cp ?? 0
      })
    })
  const read = (block: NativeBlock, field: "columnid" | "err"): ReadonlyArray<number> =>
    columns.map((_, i) => Number(readField(block.view, at + i * size, "JET_COLUMNCREATE_W", field)))
  return { at, write, read }
}

/**
 * The `JET_PFNREALLOC` that `JetEnumerateColumns` allocates its output with: a JavaScript callback
 * over koffi's allocator, called synchronously by the engine on the calling thread. It records what
 * it hands out, so the binding can free the whole output once it is copied, whatever the engine
 * left in it.
 */
interface Reallocator {
  readonly pointer: bigint
  live: Map<bigint, number> | null
}

let reallocator: Reallocator | undefined

const reallocCallback = (): Reallocator => {
  if (reallocator !== undefined) return reallocator
  const proto = process.arch === "ia32"
    ? koffi.proto("__stdcall", null, "void *", ["void *", "void *", "uint32_t"])
    : koffi.proto("void *", ["void *", "void *", "uint32_t"])
  const state: { pointer: bigint; live: Map<bigint, number> | null } = { pointer: 0n, live: null }
  const release = (live: Map<bigint, number>, address: bigint): void => {
    live.delete(address)
    koffi.free(address)
  }
  const realloc = (_context: unknown, pv: unknown, cb: number): bigint | null => {
    const live = state.live
    if (live === null) return null
    const old = typeof pv === "bigint" && pv !== 0n ? pv : null
    // Only blocks of this call can be resized: their sizes are known, so the copy stays in bounds.
    if (old !== null && !live.has(old)) return null
    if (cb === 0) {
      if (old !== null) release(live, old)
      return null
    }
    const fresh = BigInt(koffi.address(koffi.alloc("uint8_t", cb)))
    if (old !== null) {
      const kept = Math.min(live.get(old)!, cb)
      if (kept > 0) new Uint8Array(koffi.view(fresh, kept)).set(new Uint8Array(koffi.view(old, kept)))
      release(live, old)
    }
    live.set(fresh, cb)
    return fresh
  }
  state.pointer = BigInt(koffi.register(realloc, koffi.pointer(proto)))
  reallocator = state
  return state
}

const copyOut = (address: bigint, size: number): Uint8Array =>
  address === 0n || size === 0 ? new Uint8Array(0) : new Uint8Array(koffi.view(address, size)).slice()

/**
 * Copies the `JET_ENUMCOLUMN` array an engine returned. A column whose `err` is
 * `JET_wrnColumnSingleValue` (`JET_bitEnumerateCompressOutput`) holds its one value in the union as
 * `cbData`/`pvData`; it comes back as a single value with `itagSequence` 1 and `err` 0.
 */
const readEnumColumns = (count: number, address: bigint): Array<JetEnumColumn> => {
  if (count === 0 || address === 0n) return []
  const size = structLayout("JET_ENUMCOLUMN").size
  const valueSize = structLayout("JET_ENUMCOLUMNVALUE").size
  const view = new DataView(koffi.view(address, count * size))
  return Array.from({ length: count }, (_, i) => {
    const field = (name: string) => readField(view, i * size, "JET_ENUMCOLUMN", name)
    const columnid = JET_COLUMNID(Number(field("columnid")))
    const err = Number(field("err"))
    const union = { count: Number(field("cEnumColumnValue")), address: BigInt(field("rgEnumColumnValue")) }
    if (err === JET_wrnColumnSingleValue) {
      return {
        columnid,
        err,
        values: [{ itagSequence: 1, err: 0, data: copyOut(union.address, union.count) }]
      }
    }
    if (union.count === 0 || union.address === 0n) return { columnid, err, values: [] }
    const values = new DataView(koffi.view(union.address, union.count * valueSize))
    return {
      columnid,
      err,
      values: Array.from({ length: union.count }, (_, j) => {
        const value = (name: string) => Number(readField(values, j * valueSize, "JET_ENUMCOLUMNVALUE", name))
        return {
          itagSequence: value("itagSequence"),
          err: value("err"),
          data: copyOut(
            BigInt(readField(values, j * valueSize, "JET_ENUMCOLUMNVALUE", "pvData")),
            value("cbData")
          )
        }
      })
    }
  })
}

/** Plans and writes the `JET_ENUMCOLUMNID` array of `JetEnumerateColumns`, tags included. */
const planEnumColumnIds = (plan: ArenaPlan, columnids: ReadonlyArray<JetEnumColumnId>) => {
  const at = plan.reserveStructs("JET_ENUMCOLUMNID", columnids.length)
  const tags = columnids.map((c) => plan.reserve(4 * (c.rgtagSequence?.length ?? 0), 4))
  const write = (block: NativeBlock): void => {
    const size = structLayout("JET_ENUMCOLUMNID").size
    columnids.forEach((c, i) => {
      const sequence = c.rgtagSequence ?? []
      sequence.forEach((tag, j) => block.view.setUint32(tags[i]! + 4 * j, tag, true))
      writeStruct(block, at + i * size, "JET_ENUMCOLUMNID", {
        columnid: c.columnid,
        ctagSequence: sequence.length,
        rgtagSequence: sequence.length === 0 ? 0n : addressAt(block, tags[i]!)
      })
    })
  }
  return { at, write }
}

/** Runs `call` with a planned native block, freeing the block whatever happens. */
const withBlock = <A>(plan: ArenaPlan, call: (block: NativeBlock) => A): A => {
  const block = plan.allocate()
  try {
    return call(block)
  } finally {
    freeBlock(block)
  }
}

const invalid = { err: JET_errInvalidParameter } as const

/**
 * koffi passes a zero-length typed array as NULL, which would turn an empty value (a zero-length
 * column value, key segment or result buffer) into a missing one. A placeholder keeps the pointer
 * non-NULL while the count says 0, so nothing is read or written through it.
 */
const emptyBuffer = new Uint8Array(1)
const nonNullEmpty = (arg: unknown): unknown =>
  arg instanceof Uint8Array && arg.byteLength === 0 ? emptyBuffer : arg
/** {@link nonNullEmpty} for an argument known to be a buffer or `null`. */
const nonNullBuffer = (buffer: Uint8Array | null): Uint8Array | null =>
  buffer !== null && buffer.byteLength === 0 ? emptyBuffer : buffer

/** The shared result of a call that returned plain success and has no outputs. */
const success: JetResult = Object.freeze({ err: 0 })
const resultOf = (err: number): JetResult => err === 0 ? success : { err }

/** One JET export of the library, declared on first use; `call` is then koffi's function itself. */
interface JetExport {
  call: (...args: ReadonlyArray<unknown>) => number
  /** The declared function, `null` when the library lacks the export; `undefined` until first use. */
  declared: DeclaredFunction | null | undefined
}

/**
 * Binds `JetApi` to a loaded library. Functions are declared on first use, so a library that
 * lacks some exports still serves the rest; calling a missing one returns
 * `JET_errEntryPointNotFound`.
 *
 * Per-row calls go straight to koffi's function with the arguments in place: no argument arrays,
 * no closures and, for a plain success, no result object (one frozen `{ err: 0 }` is shared).
 */
export const makeNativeJetApi = (library: LibraryHandle): JetApi => {
  const exports = new Map<string, JetExport>()
  const declare = (fn: JetFunction, entry: JetExport): DeclaredFunction | null => {
    if (entry.declared === undefined) {
      try {
        entry.declared = declareFunction(library, fn)
      } catch {
        entry.declared = null
      }
    }
    return entry.declared
  }
  const exportOf = (name: string): JetExport => {
    const known = exports.get(name)
    if (known !== undefined) return known
    const fn = jetFunctions.find((f) => f.name === name)
    if (fn === undefined) throw new Error(`${name} is not in the function table`)
    const entry: JetExport = {
      declared: undefined,
      call: (...args) => {
        const declared = declare(fn, entry)
        entry.call = declared ?? (() => JET_errEntryPointNotFound)
        return entry.call(...args)
      }
    }
    exports.set(name, entry)
    return entry
  }
  const call = (name: string, ...args: ReadonlyArray<unknown>): number =>
    exportOf(name).call(...args.map(nonNullEmpty))

  /**
   * The same call on one of koffi's worker threads. Its arguments must stay valid until the
   * promise settles: every caller passes buffers made for this call alone.
   */
  const callOffThread = (name: string, ...args: ReadonlyArray<unknown>): Promise<number> =>
    new Promise((resolve, reject) => {
      const fn = jetFunctions.find((f) => f.name === name)!
      const declared = declare(fn, exportOf(name))
      if (declared === null) return resolve(JET_errEntryPointNotFound)
      declared.async(...args.map(nonNullEmpty), (error: unknown, err: number) => {
        if (error == null) resolve(err)
        else reject(error)
      })
    })

  // Out-parameters are written into these; each method copies what it returns before the next call.
  const u32 = new Uint32Array(1)
  const u32b = new Uint32Array(1)
  const u64 = new BigUint64Array(1)
  const noColumn = JET_COLUMNID(0)
  // JET_RETINFO and JET_SETINFO are reused across calls: only their value fields change.
  const retinfoLayout = structLayout("JET_RETINFO")
  const retinfoBytes = new Uint8Array(retinfoLayout.size)
  const retinfoView = new DataView(retinfoBytes.buffer)
  const retinfoAt = (field: string): number => retinfoLayout.byName.get(field)!.offset
  const retinfoOffsets = {
    ibLongValue: retinfoAt("ibLongValue"),
    itagSequence: retinfoAt("itagSequence"),
    columnidNextTagged: retinfoAt("columnidNextTagged")
  }
  retinfoView.setUint32(retinfoAt("cbStruct"), retinfoLayout.size, true)
  const setinfoLayout = structLayout("JET_SETINFO")
  const setinfoBytes = new Uint8Array(setinfoLayout.size)
  const setinfoView = new DataView(setinfoBytes.buffer)
  const setinfoOffsets = {
    ibLongValue: setinfoLayout.byName.get("ibLongValue")!.offset,
    itagSequence: setinfoLayout.byName.get("itagSequence")!.offset
  }
  setinfoView.setUint32(setinfoLayout.byName.get("cbStruct")!.offset, setinfoLayout.size, true)

  const nativeBeginSession = exportOf("JetBeginSessionW")
  const nativeEndSession = exportOf("JetEndSession")
  const nativeMove = exportOf("JetMove")
  const nativeMakeKey = exportOf("JetMakeKey")
  const nativeSeek = exportOf("JetSeek")
  const nativeSetIndexRange = exportOf("JetSetIndexRange")
  const nativeRetrieveColumn = exportOf("JetRetrieveColumn")
  const nativeRetrieveKey = exportOf("JetRetrieveKey")
  const nativeSetColumn = exportOf("JetSetColumn")
  const nativePrepareUpdate = exportOf("JetPrepareUpdate")
  const nativeUpdate = exportOf("JetUpdate")
  const nativeDelete = exportOf("JetDelete")
  const nativeGetBookmark = exportOf("JetGetBookmark")
  const nativeGotoBookmark = exportOf("JetGotoBookmark")
  const nativeBeginTransaction = exportOf("JetBeginTransaction")
  const nativeBeginTransaction2 = exportOf("JetBeginTransaction2")
  const nativeCommitTransaction = exportOf("JetCommitTransaction")
  const nativeRollback = exportOf("JetRollback")
  const nativeCloseTable = exportOf("JetCloseTable")
  const nativeGetLock = exportOf("JetGetLock")

  const outU32 = (name: string, ...args: ReadonlyArray<unknown>): { err: number; value: number } => {
    u32[0] = 0
    const err = call(name, ...args)
    return { err, value: u32[0]! }
  }
  const outU64 = (name: string, ...args: ReadonlyArray<unknown>): { err: number; value: bigint } => {
    u64[0] = 0n
    const err = call(name, ...args)
    return { err, value: u64[0]! }
  }

  const recposBytes = (recpos: JetRecPos): Uint8Array => flatStruct("JET_RECPOS", { ...recpos })
  const infoName = (column: string | number | null): Uint8Array | null =>
    typeof column === "number" ? new Uint8Array(new Uint32Array([column]).buffer) : wide(column)

  const openTemporaryTable = (sesid: bigint, ott: JetOpenTemporaryTable) => {
    const plan = new ArenaPlan()
    const at = plan.reserveStructs("JET_OPENTEMPORARYTABLE", 1)
    const defs = plan.reserveStructs("JET_COLUMNDEF", ott.prgcolumndef.length)
    const unicode = ott.pidxunicode == null ? -1 : plan.reserveStructs("JET_UNICODEINDEX", 1)
    const ids = plan.reserve(4 * Math.max(ott.prgcolumndef.length, 1), 4)
    return withBlock(plan, (block) => {
      const defSize = structLayout("JET_COLUMNDEF").size
      ott.prgcolumndef.forEach((def, i) =>
        writeStruct(block, defs + i * defSize, "JET_COLUMNDEF", columnDefFields(def))
      )
      if (ott.pidxunicode != null) writeStruct(block, unicode, "JET_UNICODEINDEX", { ...ott.pidxunicode })
      writeStruct(block, at, "JET_OPENTEMPORARYTABLE", {
        prgcolumndef: addressAt(block, defs),
        ccolumn: ott.prgcolumndef.length,
        pidxunicode: addressAt(block, unicode),
        grbit: ott.grbit ?? 0,
        prgcolumnid: addressAt(block, ids),
        cbKeyMost: ott.cbKeyMost ?? 0,
        cbVarSegMac: ott.cbVarSegMac ?? 0
      })
      const err = call("JetOpenTemporaryTable", sesid, block.pointer)
      return {
        err,
        tableid: JET_TABLEID(BigInt(readField(block.view, at, "JET_OPENTEMPORARYTABLE", "tableid"))),
        columnids: ott.prgcolumndef.map((_, i) => JET_COLUMNID(block.view.getUint32(ids + 4 * i, true)))
      }
    })
  }

  const api: JetApi = {
    JetCreateInstance2: (instanceName, displayName, grbit) => {
      const { err, value } = outU64("JetCreateInstance2W", u64, wide(instanceName), wide(displayName), grbit)
      return { err, instance: JET_INSTANCE(value) }
    },
    JetInit3: (instance, grbit) => {
      u64[0] = instance
      const err = call("JetInit3W", u64, null, grbit)
      return { err, instance: JET_INSTANCE(u64[0]!) }
    },
    JetTerm: (instance) => ({ err: call("JetTerm", instance) }),
    JetTerm2: (instance, grbit) => ({ err: call("JetTerm2", instance, grbit) }),
    JetSetSystemParameter: (instance: Instance | null, sesid, paramid, lParam, szParam) => {
      const pinstance = instance === null ? null : new BigUint64Array([instance])
      return {
        err: call(
          "JetSetSystemParameterW",
          pinstance,
          sesid,
          paramid,
          BigInt.asUintN(64, lParam),
          wide(szParam)
        )
      }
    },
    JetGetSystemParameter: (instance, sesid, paramid, szParam, cbMax) => {
      if (badBuffer(szParam, cbMax)) return { ...invalid, lParam: 0n }
      const { err, value } = outU64("JetGetSystemParameterW", instance, sesid, paramid, u64, szParam, cbMax)
      return { err, lParam: value }
    },
    JetGetVersion: (sesid) => {
      const { err, value } = outU32("JetGetVersion", sesid, u32)
      return { err, version: value }
    },
    JetStopServiceInstance: (instance) => ({ err: call("JetStopServiceInstance", instance) }),

    JetBeginSession: (instance, userName, password) => {
      u64[0] = 0n
      const err = nativeBeginSession.call(instance, u64, wide(userName), wide(password))
      return { err, sesid: JET_SESID(u64[0]!) }
    },
    JetEndSession: (sesid, grbit) => resultOf(nativeEndSession.call(sesid, grbit)),
    JetDupSession: (sesid) => {
      const { err, value } = outU64("JetDupSession", sesid, u64)
      return { err, sesid: JET_SESID(value) }
    },
    JetSetSessionContext: (sesid, context) => ({
      err: call("JetSetSessionContext", sesid, BigInt.asUintN(64, context))
    }),
    JetResetSessionContext: (sesid) => ({ err: call("JetResetSessionContext", sesid) }),

    JetCreateDatabase2: (sesid, filename, cpgDatabaseSizeMax, grbit) => {
      const { err, value } = outU32(
        "JetCreateDatabase2W",
        sesid,
        wide(filename),
        cpgDatabaseSizeMax,
        u32,
        grbit
      )
      return { err, dbid: JET_DBID(value) }
    },
    JetAttachDatabase2: (sesid, filename, cpgDatabaseSizeMax, grbit) => ({
      err: call("JetAttachDatabase2W", sesid, wide(filename), cpgDatabaseSizeMax, grbit)
    }),
    JetDetachDatabase2: (sesid, filename, grbit) => ({
      err: call("JetDetachDatabase2W", sesid, wide(filename), grbit)
    }),
    JetOpenDatabase: (sesid, filename, connect, grbit) => {
      const { err, value } = outU32("JetOpenDatabaseW", sesid, wide(filename), wide(connect), u32, grbit)
      return { err, dbid: JET_DBID(value) }
    },
    JetCloseDatabase: (sesid, dbid, grbit) => ({ err: call("JetCloseDatabase", sesid, dbid, grbit) }),
    JetGetDatabaseInfo: (sesid, dbid, pvResult, cbMax, infoLevel) =>
      badBuffer(pvResult, cbMax)
        ? invalid
        : { err: call("JetGetDatabaseInfoW", sesid, dbid, pvResult, cbMax, infoLevel) },

    JetCreateTableColumnIndex2: (sesid, dbid, create) => {
      const failed = { tableid: JET_TABLEID(0n), cCreated: 0, columnids: [], columnErrs: [], indexErrs: [] }
      if (create.rgcolumncreate.some((c) => badBuffer(c.pvDefault ?? null, c.cbDefault ?? 0))) {
        return { ...invalid, ...failed }
      }
      const plan = new ArenaPlan()
      const at = plan.reserveStructs("JET_TABLECREATE2_W", 1)
      const names = {
        table: plan.reserveWide(create.szTableName),
        template: plan.reserveWide(create.szTemplateTableName),
        callback: plan.reserveWide(create.szCallback)
      }
      const columns = planColumns(plan, create.rgcolumncreate)
      const indexes = planIndexes(plan, create.rgindexcreate)
      return withBlock(plan, (block) => {
        writeWide(block, names.table, create.szTableName)
        writeWide(block, names.template, create.szTemplateTableName)
        writeWide(block, names.callback, create.szCallback)
        columns.write(block)
        indexes.write(block)
        writeStruct(block, at, "JET_TABLECREATE2_W", {
          szTableName: addressAt(block, names.table),
          szTemplateTableName: addressAt(block, names.template),
          ulPages: create.ulPages ?? 0,
          ulDensity: create.ulDensity ?? 0,
          rgcolumncreate: create.rgcolumncreate.length === 0 ? 0n : addressAt(block, columns.at),
          cColumns: create.rgcolumncreate.length,
          rgindexcreate: create.rgindexcreate.length === 0 ? 0n : addressAt(block, indexes.at),
          cIndexes: create.rgindexcreate.length,
          szCallback: addressAt(block, names.callback),
          cbtyp: create.cbtyp ?? 0,
          grbit: create.grbit ?? 0
        })
        const err = call("JetCreateTableColumnIndex2W", sesid, dbid, block.pointer)
        return {
          err,
          tableid: JET_TABLEID(BigInt(readField(block.view, at, "JET_TABLECREATE2_W", "tableid"))),
          cCreated: Number(readField(block.view, at, "JET_TABLECREATE2_W", "cCreated")),
          columnids: columns.read(block, "columnid").map(JET_COLUMNID),
          columnErrs: columns.read(block, "err"),
          indexErrs: indexes.errs(block)
        }
      })
    },
    JetDeleteTable: (sesid, dbid, tableName) => ({
      err: call("JetDeleteTableW", sesid, dbid, wide(tableName))
    }),
    JetRenameTable: (sesid, dbid, name, newName) => ({
      err: call("JetRenameTableW", sesid, dbid, wide(name), wide(newName))
    }),
    JetAddColumn: (sesid, tableid, columnName, columndef, pvDefault, cbDefault) => {
      if (badBuffer(pvDefault, cbDefault)) return { ...invalid, columnid: JET_COLUMNID(0) }
      const def = flatStruct("JET_COLUMNDEF", columnDefFields(columndef))
      const { err, value } = outU32(
        "JetAddColumnW",
        sesid,
        tableid,
        wide(columnName),
        def,
        pvDefault,
        cbDefault,
        u32
      )
      return { err, columnid: JET_COLUMNID(value) }
    },
    JetDeleteColumn2: (sesid, tableid, columnName, grbit) => ({
      err: call("JetDeleteColumn2W", sesid, tableid, wide(columnName), grbit)
    }),
    JetRenameColumn: (sesid, tableid, name, newName, grbit) => ({
      err: call("JetRenameColumnW", sesid, tableid, wide(name), wide(newName), grbit)
    }),
    JetSetColumnDefaultValue: (sesid, dbid, tableName, columnName, pvData, cbData, grbit) =>
      badBuffer(pvData, cbData)
        ? invalid
        : {
          err: call(
            "JetSetColumnDefaultValueW",
            sesid,
            dbid,
            wide(tableName),
            wide(columnName),
            pvData,
            cbData,
            grbit
          )
        },
    JetCreateIndex2: (sesid, tableid, indexcreate) => {
      const plan = new ArenaPlan()
      const indexes = planIndexes(plan, indexcreate)
      return withBlock(plan, (block) => {
        indexes.write(block)
        const err = call("JetCreateIndex2W", sesid, tableid, block.pointer, indexcreate.length)
        return { err, indexErrs: indexes.errs(block) }
      })
    },
    JetDeleteIndex: (sesid, tableid, indexName) => ({
      err: call("JetDeleteIndexW", sesid, tableid, wide(indexName))
    }),

    JetGetTableInfo: (sesid, tableid, pvResult, cbMax, infoLevel) =>
      badBuffer(pvResult, cbMax)
        ? invalid
        : { err: call("JetGetTableInfoW", sesid, tableid, pvResult, cbMax, infoLevel) },
    JetGetTableColumnInfo: (sesid, tableid, column, pvResult, cbMax, infoLevel) =>
      badBuffer(pvResult, cbMax)
        ? invalid
        : {
          err: call("JetGetTableColumnInfoW", sesid, tableid, infoName(column), pvResult, cbMax, infoLevel)
        },
    JetGetColumnInfo: (sesid, dbid, tableName, column, pvResult, cbMax, infoLevel) =>
      badBuffer(pvResult, cbMax)
        ? invalid
        : {
          err: call(
            "JetGetColumnInfoW",
            sesid,
            dbid,
            wide(tableName),
            infoName(column),
            pvResult,
            cbMax,
            infoLevel
          )
        },
    JetGetTableIndexInfo: (sesid, tableid, indexName, pvResult, cbResult, infoLevel) =>
      badBuffer(pvResult, cbResult)
        ? invalid
        : {
          err: call("JetGetTableIndexInfoW", sesid, tableid, wide(indexName), pvResult, cbResult, infoLevel)
        },
    JetGetIndexInfo: (sesid, dbid, tableName, indexName, pvResult, cbResult, infoLevel) =>
      badBuffer(pvResult, cbResult)
        ? invalid
        : {
          err: call(
            "JetGetIndexInfoW",
            sesid,
            dbid,
            wide(tableName),
            wide(indexName),
            pvResult,
            cbResult,
            infoLevel
          )
        },
    JetGetObjectInfo: (sesid, dbid, objtyp, containerName, objectName, pvResult, cbMax, infoLevel) =>
      badBuffer(pvResult, cbMax)
        ? invalid
        : {
          err: call(
            "JetGetObjectInfoW",
            sesid,
            dbid,
            objtyp,
            wide(containerName),
            wide(objectName),
            pvResult,
            cbMax,
            infoLevel
          )
        },

    JetOpenTable: (sesid, dbid, tableName, grbit) => {
      const { err, value } = outU64("JetOpenTableW", sesid, dbid, wide(tableName), null, 0, grbit, u64)
      return { err, tableid: JET_TABLEID(value) }
    },
    JetCloseTable: (sesid, tableid) => resultOf(nativeCloseTable.call(sesid, tableid)),
    JetDupCursor: (sesid, tableid, grbit) => {
      const { err, value } = outU64("JetDupCursor", sesid, tableid, u64, grbit)
      return { err, tableid: JET_TABLEID(value) }
    },
    JetOpenTempTable3: (sesid, columndefs, idxunicode, grbit) => {
      const defs = flatStructs("JET_COLUMNDEF", columndefs.map(columnDefFields))
      const ids = new Uint32Array(Math.max(columndefs.length, 1))
      const { err, value } = outU64(
        "JetOpenTempTable3",
        sesid,
        defs,
        columndefs.length,
        unicodeIndexBytes(idxunicode),
        grbit,
        u64,
        ids
      )
      return { err, tableid: JET_TABLEID(value), columnids: columndefs.map((_, i) => JET_COLUMNID(ids[i]!)) }
    },
    JetOpenTemporaryTable: openTemporaryTable,
    JetMove: (sesid, tableid, cRow, grbit) => resultOf(nativeMove.call(sesid, tableid, cRow | 0, grbit)),
    JetMakeKey: (sesid, tableid, pvData, cbData, grbit) =>
      badBuffer(pvData, cbData)
        ? invalid
        : resultOf(nativeMakeKey.call(sesid, tableid, nonNullBuffer(pvData), cbData, grbit)),
    JetSeek: (sesid, tableid, grbit) => resultOf(nativeSeek.call(sesid, tableid, grbit)),
    JetSetIndexRange: (sesid, tableid, grbit) => resultOf(nativeSetIndexRange.call(sesid, tableid, grbit)),
    JetSetCurrentIndex4: (sesid, tableid, indexName, grbit, itagSequence) => ({
      err: call("JetSetCurrentIndex4W", sesid, tableid, wide(indexName), null, grbit, itagSequence)
    }),
    JetGetCurrentIndex: (sesid, tableid, szIndexName, cbIndexName) =>
      badBuffer(szIndexName, cbIndexName)
        ? invalid
        : { err: call("JetGetCurrentIndexW", sesid, tableid, szIndexName, cbIndexName) },
    JetGetBookmark: (sesid, tableid, pvBookmark, cbMax) => {
      if (badBuffer(pvBookmark, cbMax)) return { ...invalid, cbActual: 0 }
      u32[0] = 0
      const err = nativeGetBookmark.call(sesid, tableid, nonNullBuffer(pvBookmark), cbMax, u32)
      return { err, cbActual: u32[0]! }
    },
    JetGotoBookmark: (sesid, tableid, pvBookmark, cbBookmark) =>
      badBuffer(pvBookmark, cbBookmark)
        ? invalid
        : resultOf(nativeGotoBookmark.call(sesid, tableid, nonNullBuffer(pvBookmark), cbBookmark)),
    JetGetRecordPosition: (sesid, tableid) => {
      const size = structLayout("JET_RECPOS").size
      const bytes = new Uint8Array(size)
      const err = call("JetGetRecordPosition", sesid, tableid, bytes, size)
      const view = new DataView(bytes.buffer)
      return {
        err,
        recpos: {
          centriesLT: Number(readField(view, 0, "JET_RECPOS", "centriesLT")),
          centriesInRange: Number(readField(view, 0, "JET_RECPOS", "centriesInRange")),
          centriesTotal: Number(readField(view, 0, "JET_RECPOS", "centriesTotal"))
        }
      }
    },
    JetGotoPosition: (sesid, tableid, recpos) => ({
      err: call("JetGotoPosition", sesid, tableid, recposBytes(recpos))
    }),
    JetIndexRecordCount: (sesid, tableid, crecMax) => {
      const { err, value } = outU32("JetIndexRecordCount", sesid, tableid, u32, crecMax)
      return { err, count: value }
    },
    JetRetrieveKey: (sesid, tableid, pvData, cbMax, grbit) => {
      if (badBuffer(pvData, cbMax)) return { ...invalid, cbActual: 0 }
      u32[0] = 0
      const err = nativeRetrieveKey.call(sesid, tableid, nonNullBuffer(pvData), cbMax, u32, grbit)
      return { err, cbActual: u32[0]! }
    },
    JetGetLock: (sesid, tableid, grbit) => resultOf(nativeGetLock.call(sesid, tableid, grbit)),

    JetPrepareUpdate: (sesid, tableid, prep) => resultOf(nativePrepareUpdate.call(sesid, tableid, prep)),
    JetSetColumn: (sesid, tableid, columnid, pvData, cbData, grbit, setinfo: JetSetInfo | null) => {
      if (badBuffer(pvData, cbData)) return invalid
      if (setinfo !== null) {
        setinfoView.setUint32(setinfoOffsets.ibLongValue, setinfo.ibLongValue >>> 0, true)
        setinfoView.setUint32(setinfoOffsets.itagSequence, setinfo.itagSequence >>> 0, true)
      }
      return resultOf(nativeSetColumn.call(
        sesid,
        tableid,
        columnid,
        nonNullBuffer(pvData),
        cbData,
        grbit,
        setinfo === null ? null : setinfoBytes
      ))
    },
    JetSetColumns: (sesid, tableid, setcolumns) => {
      if (setcolumns.some((c) => badBuffer(c.pvData, c.cbData))) return { ...invalid, errs: [] }
      const plan = new ArenaPlan()
      const at = plan.reserveStructs("JET_SETCOLUMN", setcolumns.length)
      const data = setcolumns.map((c) => c.pvData === null ? -1 : plan.reserve(c.cbData, 8))
      const size = structLayout("JET_SETCOLUMN").size
      return withBlock(plan, (block) => {
        setcolumns.forEach((c, i) => {
          if (c.pvData !== null) block.bytes.set(c.pvData.subarray(0, c.cbData), data[i]!)
          writeStruct(block, at + i * size, "JET_SETCOLUMN", {
            columnid: c.columnid,
            pvData: addressAt(block, data[i]!),
            cbData: c.cbData,
            grbit: c.grbit ?? 0,
            ibLongValue: c.ibLongValue ?? 0,
            itagSequence: c.itagSequence ?? 0
          })
        })
        const err = call("JetSetColumns", sesid, tableid, block.pointer, setcolumns.length)
        return {
          err,
          errs: setcolumns.map((_, i) => Number(readField(block.view, at + i * size, "JET_SETCOLUMN", "err")))
        }
      })
    },
    JetRetrieveColumn: (sesid, tableid, columnid, pvData, cbData, grbit, retinfo: JetRetInfo | null) => {
      if (badBuffer(pvData, cbData)) return { ...invalid, cbActual: 0, columnidNextTagged: noColumn }
      u32[0] = 0
      if (retinfo === null) {
        const err = nativeRetrieveColumn.call(
          sesid,
          tableid,
          columnid,
          nonNullBuffer(pvData),
          cbData,
          u32,
          grbit,
          null
        )
        return { err, cbActual: u32[0]!, columnidNextTagged: noColumn }
      }
      retinfoView.setUint32(retinfoOffsets.ibLongValue, retinfo.ibLongValue >>> 0, true)
      retinfoView.setUint32(retinfoOffsets.itagSequence, retinfo.itagSequence >>> 0, true)
      retinfoView.setUint32(retinfoOffsets.columnidNextTagged, 0, true)
      const err = nativeRetrieveColumn.call(
        sesid,
        tableid,
        columnid,
        nonNullBuffer(pvData),
        cbData,
        u32,
        grbit,
        retinfoBytes
      )
      const next = JET_COLUMNID(retinfoView.getUint32(retinfoOffsets.columnidNextTagged, true))
      return { err, cbActual: u32[0]!, columnidNextTagged: next }
    },
    JetRetrieveColumns: (sesid, tableid, retrievecolumns) => {
      if (retrievecolumns.some((c) => badBuffer(c.pvData, c.cbData))) return { ...invalid, columns: [] }
      const plan = new ArenaPlan()
      const at = plan.reserveStructs("JET_RETRIEVECOLUMN", retrievecolumns.length)
      const data = retrievecolumns.map((c) => c.pvData === null ? -1 : plan.reserve(c.cbData, 8))
      const size = structLayout("JET_RETRIEVECOLUMN").size
      return withBlock(plan, (block) => {
        retrievecolumns.forEach((c, i) =>
          writeStruct(block, at + i * size, "JET_RETRIEVECOLUMN", {
            columnid: c.columnid,
            pvData: addressAt(block, data[i]!),
            cbData: c.cbData,
            grbit: c.grbit ?? 0,
            ibLongValue: c.ibLongValue ?? 0,
            itagSequence: c.itagSequence ?? 0
          })
        )
        const err = call("JetRetrieveColumns", sesid, tableid, block.pointer, retrievecolumns.length)
        const columns: Array<JetRetrieveColumnResult> = retrievecolumns.map((c, i) => {
          const read = (field: string) =>
            Number(readField(block.view, at + i * size, "JET_RETRIEVECOLUMN", field))
          const cbActual = read("cbActual")
          if (c.pvData !== null) {
            c.pvData.set(block.bytes.subarray(data[i]!, data[i]! + Math.min(cbActual, c.cbData)))
          }
          return { err: read("err"), cbActual, columnidNextTagged: JET_COLUMNID(read("columnidNextTagged")) }
        })
        return { err, columns }
      })
    },
    JetEnumerateColumns: (sesid, tableid, columnids, cbDataMost, grbit) => {
      const plan = new ArenaPlan()
      const ids = planEnumColumnIds(plan, columnids ?? [])
      const realloc = reallocCallback()
      return withBlock(plan, (block) => {
        ids.write(block)
        const live = new Map<bigint, number>()
        const outer = realloc.live
        realloc.live = live
        try {
          u32[0] = 0
          u64[0] = 0n
          const err = call(
            "JetEnumerateColumns",
            sesid,
            tableid,
            columnids?.length ?? 0,
            columnids === null ? null : addressAt(block, ids.at),
            u32,
            u64,
            realloc.pointer,
            null,
            cbDataMost,
            grbit
          )
          return { err, columns: readEnumColumns(u32[0]!, u64[0]!) }
        } finally {
          realloc.live = outer
          for (const address of live.keys()) koffi.free(address)
        }
      })
    },
    JetUpdate: (sesid, tableid, pvBookmark, cbBookmark) => {
      if (badBuffer(pvBookmark, cbBookmark)) return { ...invalid, cbActual: 0 }
      u32[0] = 0
      const err = nativeUpdate.call(sesid, tableid, nonNullBuffer(pvBookmark), cbBookmark, u32)
      return { err, cbActual: u32[0]! }
    },
    JetDelete: (sesid, tableid) => resultOf(nativeDelete.call(sesid, tableid)),
    JetEscrowUpdate: (sesid, tableid, columnid, pv, cbMax, pvOld, cbOldMax, grbit) => {
      if (badBuffer(pv, cbMax) || badBuffer(pvOld, cbOldMax)) return { ...invalid, cbOldActual: 0 }
      const { err, value } = outU32(
        "JetEscrowUpdate",
        sesid,
        tableid,
        columnid,
        pv,
        cbMax,
        pvOld,
        cbOldMax,
        u32,
        grbit
      )
      return { err, cbOldActual: value }
    },

    JetBeginTransaction: (sesid) => resultOf(nativeBeginTransaction.call(sesid)),
    JetBeginTransaction2: (sesid, grbit) => resultOf(nativeBeginTransaction2.call(sesid, grbit)),
    JetCommitTransaction: (sesid, grbit) => resultOf(nativeCommitTransaction.call(sesid, grbit)),
    JetRollback: (sesid, grbit) => resultOf(nativeRollback.call(sesid, grbit)),

    JetBackupInstance: (instance, backupPath, grbit) => ({
      err: call("JetBackupInstanceW", instance, wide(backupPath), grbit, null)
    }),
    JetRestoreInstance: (instance, source, destination) => ({
      err: call("JetRestoreInstanceW", instance, wide(source), wide(destination), null)
    }),
    JetCompact: (sesid, source, destination, grbit) => ({
      err: call("JetCompactW", sesid, wide(source), wide(destination), null, null, grbit)
    }),
    JetDefragment2: (sesid, dbid, tableName, passes, seconds, grbit) => {
      u32[0] = passes
      u32b[0] = seconds
      const err = call("JetDefragment2W", sesid, dbid, wide(tableName), u32, u32b, null, grbit)
      return { err, passes: u32[0]!, seconds: u32b[0]! }
    },
    JetFreeBuffer: (buffer) => ({ err: call("JetFreeBuffer", buffer) }),
    async: makeOffThreadCalls(callOffThread)
  }
  return api
}

/**
 * The long calls on koffi's worker threads. Every out-parameter is a buffer of its own call, since
 * several of these can run at once.
 */
const makeOffThreadCalls = (
  callOffThread: (name: string, ...args: ReadonlyArray<unknown>) => Promise<number>
): JetApiAsync => ({
  JetInit3: async (instance, grbit) => {
    const pinstance = new BigUint64Array([instance])
    const err = await callOffThread("JetInit3W", pinstance, null, grbit)
    return { err, instance: JET_INSTANCE(pinstance[0]!) }
  },
  JetTerm2: async (instance, grbit) => resultOf(await callOffThread("JetTerm2", instance, grbit)),
  JetCreateDatabase2: async (sesid, filename, cpgDatabaseSizeMax, grbit) => {
    const dbid = new Uint32Array(1)
    const err = await callOffThread(
      "JetCreateDatabase2W",
      sesid,
      wide(filename),
      cpgDatabaseSizeMax,
      dbid,
      grbit
    )
    return { err, dbid: JET_DBID(dbid[0]!) }
  },
  JetAttachDatabase2: async (sesid, filename, cpgDatabaseSizeMax, grbit) =>
    resultOf(await callOffThread("JetAttachDatabase2W", sesid, wide(filename), cpgDatabaseSizeMax, grbit)),
  JetBackupInstance: async (instance, backupPath, grbit) =>
    resultOf(await callOffThread("JetBackupInstanceW", instance, wide(backupPath), grbit, null)),
  JetRestoreInstance: async (instance, source, destination) =>
    resultOf(await callOffThread("JetRestoreInstanceW", instance, wide(source), wide(destination), null)),
  JetCompact: async (sesid, source, destination, grbit) =>
    resultOf(await callOffThread("JetCompactW", sesid, wide(source), wide(destination), null, null, grbit)),
  JetDefragment2: async (sesid, dbid, tableName, passes, seconds, grbit) => {
    const pcPasses = new Uint32Array([passes])
    const pcSeconds = new Uint32Array([seconds])
    const err = await callOffThread(
      "JetDefragment2W",
      sesid,
      dbid,
      wide(tableName),
      pcPasses,
      pcSeconds,
      null,
      grbit
    )
    return { err, passes: pcPasses[0]!, seconds: pcSeconds[0]! }
  },
  JetCommitTransaction: async (sesid, grbit) =>
    resultOf(await callOffThread("JetCommitTransaction", sesid, grbit))
})
