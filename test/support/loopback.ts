/**
 * The "native-through-koffi" test engine: the real native binding of `src/native`, loaded over a C
 * library generated from the function table, whose every export forwards its raw arguments to one
 * JavaScript dispatcher registered through koffi. The dispatcher decodes them the way ESENT would
 * read them (UTF-16 strings, structs at `structLayout` offsets, caller buffers as views over the
 * native memory), calls an inner `JetApi`, and writes the outputs back through the pointers. So
 * every marshalling path of the binding runs for real on Linux, against any engine.
 *
 * The generated C, one function per table entry:
 *
 * ```c
 * JET_ERR JetMove(JET_SESID sesid, JET_TABLEID tableid, int32_t cRow, JET_GRBIT grbit) {
 *   if (dispatcher == 0) return -107;
 *   args[0] = (uint64_t)sesid;
 *   args[1] = (uint64_t)tableid;
 *   args[2] = (uint64_t)(int64_t)cRow;
 *   args[3] = (uint64_t)grbit;
 *   return dispatcher(39, args);
 * }
 * ```
 *
 * The dispatcher, `int32_t dispatch(int32_t index, uint64_t* args)`, narrows each slot back by the
 * table's C type and hands the call to a per-function decoder compiled from the same table: generic
 * rules by C type (scalars, `JET_PCWSTR` strings, caller buffers followed by their byte count,
 * scalar out-pointers, flat input structs) and explicit rules only where a struct array, a count or
 * a union needs them.
 *
 * @module
 */
import koffi, { type LibraryHandle } from "koffi"
import { createHash } from "node:crypto"
import { existsSync, renameSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import type {
  JetApi,
  JetApiAsync,
  JetApiMethod,
  JetAsyncMethod,
  JetEnumColumn,
  JetIndexCreate,
  JetRetrieveColumnResult
} from "../../src/jet/api.ts"
import { methodNameOf } from "../../src/jet/api.ts"
import { JET_ColInfoBaseByColid, JET_ColInfoByColid } from "../../src/jet/constants.ts"
import { isPointerType, type ScalarType, scalarType, wideStringTypes } from "../../src/jet/ctypes.ts"
import { jetErrorCodes } from "../../src/jet/errors.generated.ts"
import { type JetFunction, jetFunctions } from "../../src/jet/functions.ts"
import { pointerSized } from "../../src/jet/handles.ts"
import { type JetStructName, jetStructs, structLayout } from "../../src/jet/structs.ts"
import { readField } from "../../src/native/arena.ts"
import { makeNativeJetApi } from "../../src/native/binding.ts"
import { koffiTypeOf } from "../../src/native/declarations.ts"
import { buildSharedLibrary, cPrelude, cPrototype } from "./c-abi.ts"

const { JET_errInternalError, JET_wrnColumnSingleValue } = jetErrorCodes

/** A call the loopback cannot express faithfully, or an argument the JetApi has no counterpart for. */
export class LoopbackError extends Error {
  override readonly name = "LoopbackError"
}

// ---------------------------------------------------------------------------------------------
// The generated C

/** The C expression that widens one argument to the dispatcher's `uint64_t` slot. */
const widened = (name: string, c: string): string => {
  if (isPointerType(c)) return `(uint64_t)(uintptr_t)${name}`
  const scalar = scalarType(c)
  if (scalar === undefined) throw new Error(`no loopback widening for C type ${c}`)
  if (scalar.float === true) return `loopbackDoubleBits(${name})`
  // Sign extension keeps a negative `long` negative when the dispatcher narrows it back.
  return scalar.signed ? `(uint64_t)(int64_t)${name}` : `(uint64_t)${name}`
}

/**
 * The C source of the loopback library: the prelude and prototypes of `c-abi.ts` with the Windows
 * widths, then one export per table entry that stores its arguments and calls the dispatcher with
 * the entry's index in `functions`.
 */
export const loopbackSource = (functions: ReadonlyArray<JetFunction> = jetFunctions): string => {
  const most = Math.max(1, ...functions.map((fn) => fn.params.length))
  const usesDouble = functions.some((fn) => fn.params.some(([, c]) => scalarType(c)?.float === true))
  const lines = [
    "#define _POSIX_C_SOURCE 200809L",
    "#include <time.h>",
    cPrelude(),
    "typedef int32_t (*LoopbackDispatch)(int32_t index, uint64_t* args);",
    "static LoopbackDispatch dispatcher;",
    // One array per thread: the dispatcher copies it before anything can call back in, and the
    // JavaScript side keeps a view per thread instead of making one per call. A call made through
    // koffi's async form runs on a worker thread and waits there while its dispatch is queued to
    // the JavaScript thread, so it must not share the array with calls made meanwhile.
    `static __thread uint64_t args[${most}];`,
    "void LoopbackSetDispatcher(LoopbackDispatch fn) { dispatcher = fn; }",
    // A delay per export, slept on the calling thread before forwarding: it stands for the time
    // ESENT itself spends in a long call, without calling into JavaScript from a worker thread.
    `static volatile uint32_t delays[${Math.max(1, functions.length)}];`,
    "void LoopbackSetDelay(int32_t index, uint32_t ms) { delays[index] = ms; }",
    "static void loopbackSleep(uint32_t ms) {",
    "  struct timespec t = { ms / 1000, (long)(ms % 1000) * 1000000L };",
    "  while (nanosleep(&t, &t) != 0) {}",
    "}"
  ]
  if (usesDouble) {
    lines.push(
      "#include <string.h>",
      "static uint64_t loopbackDoubleBits(double d) { uint64_t u; memcpy(&u, &d, sizeof u); return u; }"
    )
  }
  functions.forEach((fn, index) => {
    lines.push(
      `${cPrototype(fn)} {`,
      `  if (dispatcher == 0) return ${JET_errInternalError};`,
      `  if (delays[${index}] != 0) loopbackSleep(delays[${index}]);`,
      ...fn.params.map(([name, c], i) => `  args[${i}] = ${widened(name, c)};`),
      `  return dispatcher(${index}, args);`,
      "}"
    )
  })
  return lines.join("\n") + "\n"
}

// ---------------------------------------------------------------------------------------------
// Reading and writing native memory

const viewAt = (address: bigint, size: number): DataView => new DataView(koffi.view(address, size))

/** A NUL-terminated UTF-16 string, or `null` for a NULL pointer. */
const wideAt = (address: bigint): string | null => address === 0n ? null : koffi.decode.string16(address)

/** A copy of input bytes: the native block they live in is freed when the call returns. */
const inBytes = (address: bigint, size: number): Uint8Array | null =>
  address === 0n ? null : size === 0 ? new Uint8Array(0) : new Uint8Array(koffi.view(address, size)).slice()

/** Output bytes as a view over the caller's memory, so the inner engine writes where ESENT would. */
const outBytes = (address: bigint, size: number): Uint8Array | null =>
  address === 0n ? null : size === 0 ? new Uint8Array(0) : new Uint8Array(koffi.view(address, size))

const u32sAt = (address: bigint, count: number): ReadonlyArray<number> =>
  address === 0n || count === 0 ? [] : [...(koffi.decode(address, "uint32_t", count) as Uint32Array)]

const numeric = (value: unknown): number | bigint => {
  if (typeof value === "number" || typeof value === "bigint") return value
  throw new LoopbackError(`expected a number from the inner engine, got ${String(value)}`)
}

/** Narrows a dispatcher slot to the scalar it carries, undoing the C side's widening. */
const fromSlot = (type: ScalarType, slot: bigint): number | bigint => {
  if (type.float === true) return new Float64Array(new BigUint64Array([slot]).buffer)[0]!
  if (type.size === 8) return pointerSized(slot)
  const bits = type.size * 8
  return Number(type.signed ? BigInt.asIntN(bits, slot) : BigInt.asUintN(bits, slot))
}

const readScalarAt = (address: bigint, c: string, type: ScalarType): number | bigint => {
  const value: number | bigint = koffi.decode(address, koffiTypeOf(c))
  return type.size === 8 && type.float !== true ? pointerSized(value) : value
}

const writeScalarAt = (address: bigint, c: string, type: ScalarType, value: number | bigint): void => {
  const encoded = type.float === true
    ? Number(value)
    : type.size === 8
    ? BigInt.asUintN(64, BigInt(value))
    : Number(value)
  koffi.encode(address, koffiTypeOf(c), encoded)
}

/** Writes one struct field at its `structLayout` offset and width. */
const setField = (view: DataView, at: number, name: JetStructName, field: string, value: number | bigint) => {
  const layout = structLayout(name).byName.get(field)
  if (layout === undefined) throw new Error(`${name} has no field ${field}`)
  const offset = at + layout.offset
  const scalar = scalarType(layout.c)
  if (scalar?.float === true) view.setFloat64(offset, Number(value), true)
  else if (layout.size === 8) view.setBigUint64(offset, BigInt.asUintN(64, BigInt(value)), true)
  else if (layout.size === 4) {
    if (scalar?.signed === true) view.setInt32(offset, Number(value), true)
    else view.setUint32(offset, Number(value) >>> 0, true)
  } else if (layout.size === 2) view.setUint16(offset, Number(value), true)
  else throw new Error(`cannot write ${name}.${field}`)
}

/** One struct of an array in native memory, read and written through a shared view. */
interface StructRef {
  readonly num: (field: string) => number
  readonly ptr: (field: string) => bigint
  readonly set: (field: string, value: number | bigint) => void
}

const structsAt = (name: JetStructName, address: bigint, count: number): ReadonlyArray<StructRef> => {
  if (address === 0n || count === 0) return []
  const size = structLayout(name).size
  const view = viewAt(address, size * count)
  return Array.from({ length: count }, (_, i) => ({
    num: (field) => Number(readField(view, i * size, name, field)),
    ptr: (field) => BigInt(readField(view, i * size, name, field)),
    set: (field, value) => setField(view, i * size, name, field, value)
  }))
}

const structAt = (name: JetStructName, address: bigint): StructRef | null =>
  structsAt(name, address, 1)[0] ?? null

/** A struct without pointers as a plain object of its fields, `cbStruct` left out (the binding sets it). */
const flatStructAt = (name: JetStructName, address: bigint): Record<string, number | bigint> | null => {
  if (address === 0n) return null
  const view = viewAt(address, structLayout(name).size)
  const fields: Record<string, number | bigint> = {}
  for (const field of structLayout(name).fields) {
    if (field.name !== "cbStruct") fields[field.name] = readField(view, 0, name, field.name)
  }
  return fields
}

// ---------------------------------------------------------------------------------------------
// Decoding: table-driven, with explicit rules where a struct or a count needs them

/** A raw argument of the current call by its esent.h parameter name. */
type RawArg = (name: string) => bigint

type InnerResult = Readonly<Record<string, unknown>>

/**
 * How one parameter travels when the generic rules by C type do not fit. A parameter with a rule
 * contributes `read` (if any) to the inner call's arguments, in table order, and after the call
 * `write` puts the inner result back through it. `zero`: the JetApi has no counterpart, so the
 * binding must pass 0 (NULL). A rule with neither is consumed by a neighbour's rule (a count).
 */
interface ParamRule {
  readonly read?: (arg: RawArg) => unknown
  readonly write?: (arg: RawArg, result: InnerResult) => void
  readonly zero?: true
}

/** Out-parameters whose JetApi result field is not the parameter name without its leading `p`. */
const outFieldNames: Readonly<Record<string, string>> = {
  pwVersion: "version",
  pcrec: "count",
  pcPasses: "passes",
  pcSeconds: "seconds"
}
const outField = (param: string): string =>
  outFieldNames[param] ?? (param.startsWith("p") ? param.slice(1) : param)

/** Pointer types that, followed by an `unsigned long` count, are a caller buffer and its size. */
const bufferTypes = new Set(["void*", "const void*", "JET_PWSTR"])

const listField = (result: InnerResult, field: string): ReadonlyArray<unknown> => {
  const value = result[field]
  return Array.isArray(value) ? value : []
}

const columnDefs = (address: bigint, count: number) =>
  structsAt("JET_COLUMNDEF", address, count).map((s) => ({
    columnid: s.num("columnid"),
    coltyp: s.num("coltyp"),
    wCountry: s.num("wCountry"),
    langid: s.num("langid"),
    cp: s.num("cp"),
    wCollate: s.num("wCollate"),
    cbMax: s.num("cbMax"),
    grbit: s.num("grbit")
  }))

const indexCreates = (address: bigint, count: number): Array<JetIndexCreate> =>
  structsAt("JET_INDEXCREATE_W", address, count).map((s) => {
    const cbKey = s.num("cbKey")
    const key = s.ptr("szKey")
    return {
      szIndexName: wideAt(s.ptr("szIndexName")) ?? "",
      // The key holds NUL separators: its length comes from cbKey, not from a terminator.
      szKey: key === 0n ? "" : koffi.decode.string16(key, Math.floor(cbKey / 2)),
      cbKey,
      grbit: s.num("grbit"),
      ulDensity: s.num("ulDensity"),
      pidxunicode: unicodeIndexAt(s.ptr("pidxunicode")),
      ptuplelimits: tupleLimitsAt(s.ptr("ptuplelimits")),
      rgconditionalcolumn: structsAt(
        "JET_CONDITIONALCOLUMN_W",
        s.ptr("rgconditionalcolumn"),
        s.num("cConditionalColumn")
      )
        .map((c) => ({ szColumnName: wideAt(c.ptr("szColumnName")) ?? "", grbit: c.num("grbit") })),
      cbKeyMost: s.num("cbKeyMost")
    }
  })

const unicodeIndexAt = (address: bigint) => {
  const s = structAt("JET_UNICODEINDEX", address)
  return s === null ? null : { lcid: s.num("lcid"), dwMapFlags: s.num("dwMapFlags") }
}

const tupleLimitsAt = (address: bigint) => {
  const s = structAt("JET_TUPLELIMITS", address)
  return s === null ? null : {
    chLengthMin: s.num("chLengthMin"),
    chLengthMax: s.num("chLengthMax"),
    chToIndexMax: s.num("chToIndexMax"),
    cchIncrement: s.num("cchIncrement"),
    ichStart: s.num("ichStart")
  }
}

const writeIndexErrs = (address: bigint, count: number, errs: ReadonlyArray<unknown>): void =>
  structsAt("JET_INDEXCREATE_W", address, count).forEach((s, i) => {
    if (i < errs.length) s.set("err", numeric(errs[i]))
  })

/** `ESENT` reads a column by id instead of by name at these info levels. */
const byColumnId = (infoLevel: bigint): boolean => {
  const level = Number(infoLevel & 0x0fff_ffffn)
  return level === JET_ColInfoByColid || level === JET_ColInfoBaseByColid
}

const columnNameOrId: ParamRule = {
  read: (arg) => {
    const at = arg("szColumnName")
    if (!byColumnId(arg("InfoLevel"))) return wideAt(at)
    return at === 0n ? null : Number(koffi.decode(at, "uint32_t"))
  }
}

/** `JET_PFNREALLOC`: `void* (*)(void* pvContext, void* pv, unsigned long cb)`. */
const reallocProto = process.arch === "ia32"
  ? koffi.proto("__stdcall", null, "void *", ["void *", "void *", "uint32_t"])
  : koffi.proto("void *", ["void *", "void *", "uint32_t"])

/** Allocates `data` through the caller's realloc function, as ESENT returns enumerated values. */
const allocateThrough = (pfnRealloc: bigint, context: bigint, size: number): bigint => {
  const address: unknown = koffi.call(pfnRealloc, reallocProto, context === 0n ? null : context, null, size)
  if (typeof address !== "bigint" || address === 0n) {
    throw new LoopbackError(`JetEnumerateColumns: the caller's realloc returned NULL for ${size} bytes`)
  }
  return address
}

const copyInto = (address: bigint, data: Uint8Array): void => {
  if (data.byteLength > 0) new Uint8Array(koffi.view(address, data.byteLength)).set(data)
}

const writeEnumeration = (arg: RawArg, result: InnerResult): void => {
  const columns = listField(result, "columns") as ReadonlyArray<JetEnumColumn>
  const pfnRealloc = arg("pfnRealloc")
  const context = arg("pvReallocContext")
  const alloc = (size: number) => allocateThrough(pfnRealloc, context, size)
  const bytesOf = (data: Uint8Array): bigint => {
    if (data.byteLength === 0) return 0n
    const address = alloc(data.byteLength)
    copyInto(address, data)
    return address
  }
  let array = 0n
  if (columns.length > 0) {
    array = alloc(structLayout("JET_ENUMCOLUMN").size * columns.length)
    structsAt("JET_ENUMCOLUMN", array, columns.length).forEach((s, i) => {
      const column = columns[i]!
      s.set("columnid", column.columnid)
      s.set("err", column.err)
      if (column.err === JET_wrnColumnSingleValue) {
        // The compressed form: the union holds cbData and pvData of the single value.
        const data = column.values[0]?.data ?? new Uint8Array(0)
        s.set("cEnumColumnValue", data.byteLength)
        s.set("rgEnumColumnValue", bytesOf(data))
        return
      }
      let values = 0n
      if (column.values.length > 0) {
        values = alloc(structLayout("JET_ENUMCOLUMNVALUE").size * column.values.length)
        structsAt("JET_ENUMCOLUMNVALUE", values, column.values.length).forEach((v, j) => {
          const value = column.values[j]!
          v.set("itagSequence", value.itagSequence)
          v.set("err", value.err)
          v.set("cbData", value.data.byteLength)
          v.set("pvData", bytesOf(value.data))
        })
      }
      s.set("cEnumColumnValue", column.values.length)
      s.set("rgEnumColumnValue", values)
    })
  }
  const count = arg("pcEnumColumn")
  if (count !== 0n) koffi.encode(count, "uint32_t", columns.length)
  const out = arg("prgEnumColumn")
  if (out !== 0n) koffi.encode(out, "uint64_t", array)
}

/** The explicit rules, by function and parameter; everything else follows the generic rules. */
const rules: Readonly<Record<string, Readonly<Record<string, ParamRule>>>> = {
  JetInit3W: { prstInfo: { zero: true } },
  JetCreateTableColumnIndex2W: {
    ptablecreate: {
      read: (arg) => {
        const t = structAt("JET_TABLECREATE2_W", arg("ptablecreate"))
        if (t === null) return null
        return {
          szTableName: wideAt(t.ptr("szTableName")) ?? "",
          szTemplateTableName: wideAt(t.ptr("szTemplateTableName")),
          ulPages: t.num("ulPages"),
          ulDensity: t.num("ulDensity"),
          rgcolumncreate: structsAt("JET_COLUMNCREATE_W", t.ptr("rgcolumncreate"), t.num("cColumns")).map((
            c
          ) => ({
            szColumnName: wideAt(c.ptr("szColumnName")) ?? "",
            coltyp: c.num("coltyp"),
            cbMax: c.num("cbMax"),
            grbit: c.num("grbit"),
            pvDefault: inBytes(c.ptr("pvDefault"), c.num("cbDefault")),
            cbDefault: c.num("cbDefault"),
            cp: c.num("cp")
          })),
          rgindexcreate: indexCreates(t.ptr("rgindexcreate"), t.num("cIndexes")),
          szCallback: wideAt(t.ptr("szCallback")),
          cbtyp: t.num("cbtyp"),
          grbit: t.num("grbit")
        }
      },
      write: (arg, result) => {
        const t = structAt("JET_TABLECREATE2_W", arg("ptablecreate"))
        if (t === null) return
        if (result["tableid"] !== undefined) t.set("tableid", numeric(result["tableid"]))
        if (result["cCreated"] !== undefined) t.set("cCreated", numeric(result["cCreated"]))
        const columnids = listField(result, "columnids")
        const columnErrs = listField(result, "columnErrs")
        structsAt("JET_COLUMNCREATE_W", t.ptr("rgcolumncreate"), t.num("cColumns")).forEach((c, i) => {
          if (i < columnids.length) c.set("columnid", numeric(columnids[i]))
          if (i < columnErrs.length) c.set("err", numeric(columnErrs[i]))
        })
        writeIndexErrs(t.ptr("rgindexcreate"), t.num("cIndexes"), listField(result, "indexErrs"))
      }
    }
  },
  JetCreateIndex2W: {
    pindexcreate: {
      read: (arg) => indexCreates(arg("pindexcreate"), Number(arg("cIndexCreate"))),
      write: (arg, result) =>
        writeIndexErrs(arg("pindexcreate"), Number(arg("cIndexCreate")), listField(result, "indexErrs"))
    },
    cIndexCreate: {}
  },
  JetGetTableColumnInfoW: { szColumnName: columnNameOrId },
  JetGetColumnInfoW: { szColumnName: columnNameOrId },
  JetOpenTableW: { pvParameters: { zero: true }, cbParameters: { zero: true } },
  JetOpenTempTable3: {
    prgcolumndef: { read: (arg) => columnDefs(arg("prgcolumndef"), Number(arg("ccolumn"))) },
    ccolumn: {},
    prgcolumnid: {
      write: (arg, result) => {
        const at = arg("prgcolumnid")
        const ids = listField(result, "columnids").slice(0, Number(arg("ccolumn")))
        if (at !== 0n && ids.length > 0) koffi.encode(at, "uint32_t", ids.map(numeric), ids.length)
      }
    }
  },
  JetOpenTemporaryTable: {
    popentemporarytable: {
      read: (arg) => {
        const t = structAt("JET_OPENTEMPORARYTABLE", arg("popentemporarytable"))
        if (t === null) return null
        return {
          prgcolumndef: columnDefs(t.ptr("prgcolumndef"), t.num("ccolumn")),
          pidxunicode: unicodeIndexAt(t.ptr("pidxunicode")),
          grbit: t.num("grbit"),
          cbKeyMost: t.num("cbKeyMost"),
          cbVarSegMac: t.num("cbVarSegMac")
        }
      },
      write: (arg, result) => {
        const t = structAt("JET_OPENTEMPORARYTABLE", arg("popentemporarytable"))
        if (t === null) return
        if (result["tableid"] !== undefined) t.set("tableid", numeric(result["tableid"]))
        const at = t.ptr("prgcolumnid")
        const ids = listField(result, "columnids").slice(0, t.num("ccolumn"))
        if (at !== 0n && ids.length > 0) koffi.encode(at, "uint32_t", ids.map(numeric), ids.length)
      }
    }
  },
  JetSetCurrentIndex4W: { pindexid: { zero: true } },
  JetGetRecordPosition: {
    precpos: {
      write: (arg, result) => {
        const recpos = result["recpos"]
        const size = structLayout("JET_RECPOS").size
        if (arg("precpos") === 0n || Number(arg("cbRecpos")) < size) return
        if (typeof recpos !== "object" || recpos === null) return
        const s = structsAt("JET_RECPOS", arg("precpos"), 1)[0]!
        s.set("cbStruct", size)
        for (const field of ["centriesLT", "centriesInRange", "centriesTotal"]) {
          s.set(field, numeric((recpos as Record<string, unknown>)[field]))
        }
      }
    },
    cbRecpos: {}
  },
  JetSetColumns: {
    psetcolumn: {
      read: (arg) =>
        structsAt("JET_SETCOLUMN", arg("psetcolumn"), Number(arg("csetcolumn"))).map((s) => ({
          columnid: s.num("columnid"),
          pvData: inBytes(s.ptr("pvData"), s.num("cbData")),
          cbData: s.num("cbData"),
          grbit: s.num("grbit"),
          ibLongValue: s.num("ibLongValue"),
          itagSequence: s.num("itagSequence")
        })),
      write: (arg, result) => {
        const errs = listField(result, "errs")
        structsAt("JET_SETCOLUMN", arg("psetcolumn"), Number(arg("csetcolumn"))).forEach((s, i) => {
          if (i < errs.length) s.set("err", numeric(errs[i]))
        })
      }
    },
    csetcolumn: {}
  },
  JetRetrieveColumn: {
    pretinfo: {
      read: (arg) => {
        const s = structAt("JET_RETINFO", arg("pretinfo"))
        return s === null ? null : { ibLongValue: s.num("ibLongValue"), itagSequence: s.num("itagSequence") }
      },
      write: (arg, result) => {
        const s = structAt("JET_RETINFO", arg("pretinfo"))
        const next = result["columnidNextTagged"]
        if (s !== null && next !== undefined) s.set("columnidNextTagged", numeric(next))
      }
    }
  },
  JetRetrieveColumns: {
    pretrievecolumn: {
      read: (arg) =>
        structsAt("JET_RETRIEVECOLUMN", arg("pretrievecolumn"), Number(arg("cretrievecolumn"))).map((s) => ({
          columnid: s.num("columnid"),
          pvData: outBytes(s.ptr("pvData"), s.num("cbData")),
          cbData: s.num("cbData"),
          grbit: s.num("grbit"),
          ibLongValue: s.num("ibLongValue"),
          itagSequence: s.num("itagSequence")
        })),
      write: (arg, result) => {
        const columns = listField(result, "columns") as ReadonlyArray<JetRetrieveColumnResult>
        structsAt("JET_RETRIEVECOLUMN", arg("pretrievecolumn"), Number(arg("cretrievecolumn"))).forEach(
          (s, i) => {
            const column = columns[i]
            if (column === undefined) return
            s.set("cbActual", column.cbActual)
            s.set("columnidNextTagged", column.columnidNextTagged)
            s.set("err", column.err)
          }
        )
      }
    },
    cretrievecolumn: {}
  },
  JetEnumerateColumns: {
    cEnumColumnId: {},
    rgEnumColumnId: {
      read: (arg) =>
        arg("rgEnumColumnId") === 0n
          ? null
          : structsAt("JET_ENUMCOLUMNID", arg("rgEnumColumnId"), Number(arg("cEnumColumnId"))).map((s) => ({
            columnid: s.num("columnid"),
            rgtagSequence: u32sAt(s.ptr("rgtagSequence"), s.num("ctagSequence"))
          }))
    },
    pcEnumColumn: {},
    prgEnumColumn: { write: writeEnumeration },
    pfnRealloc: {},
    pvReallocContext: {}
  },
  JetBackupInstanceW: { pfnStatus: { zero: true } },
  JetRestoreInstanceW: { pfn: { zero: true } },
  JetCompactW: { pfnStatus: { zero: true }, pconvert: { zero: true } },
  JetDefragment2W: { callback: { zero: true } },
  JetFreeBuffer: { pbBuf: { zero: true, read: () => null } }
}

/** The generic rule of a parameter from its C type and direction, or `undefined` when none fits. */
const genericRule = (fn: JetFunction, index: number): ParamRule | undefined => {
  const [name, c, direction] = fn.params[index]!
  const scalar = scalarType(c)
  if (scalar !== undefined) return { read: (arg) => fromSlot(scalar, arg(name)) }
  if ((wideStringTypes as ReadonlyArray<string>).includes(c)) return { read: (arg) => wideAt(arg(name)) }
  const next = fn.params[index + 1]
  if (bufferTypes.has(c) && next !== undefined && next[1] === "unsigned long") {
    const bytes = direction === "in" ? inBytes : outBytes
    return { read: (arg) => bytes(arg(name), Number(arg(next[0]))) }
  }
  const pointee = c.endsWith("*") ? c.slice(0, -1).replace(/^const /, "") : ""
  const pointeeScalar = scalarType(pointee)
  if (pointeeScalar !== undefined) {
    const read = (arg: RawArg) => {
      const at = arg(name)
      return at === 0n ? null : readScalarAt(at, pointee, pointeeScalar)
    }
    if (direction === "in") return { read }
    const field = outField(name)
    const write = (arg: RawArg, result: InnerResult) => {
      const at = arg(name)
      const value = result[field]
      if (at !== 0n && value !== undefined) writeScalarAt(at, pointee, pointeeScalar, numeric(value))
    }
    return direction === "inout" ? { read, write } : { write }
  }
  if (direction === "in" && Object.hasOwn(jetStructs, pointee)) {
    return { read: (arg) => flatStructAt(pointee as JetStructName, arg(name)) }
  }
  return undefined
}

/** Turns the raw arguments of one table function into the inner call and writes its outputs back. */
interface Decoder {
  readonly arity: number
  readonly decode: (inner: JetApi, raw: BigUint64Array) => number
}

const compile = (fn: JetFunction): Decoder => {
  const method = methodNameOf(fn.name)
  const explicit = rules[fn.name] ?? {}
  const positions = new Map(fn.params.map(([name], i) => [name, i]))
  const steps = fn.params.map(([name, c], i) => {
    const rule = explicit[name] ?? genericRule(fn, i)
    if (rule === undefined) {
      throw new Error(`${fn.name}: no loopback rule for ${name} (${c}); add one to the explicit rules`)
    }
    return { name, rule }
  })
  for (const name of Object.keys(explicit)) {
    if (!positions.has(name)) throw new Error(`${fn.name} has no parameter ${name}`)
  }
  const reads = steps.flatMap((s) => s.rule.read === undefined ? [] : [s.rule.read])
  const writes = steps.flatMap((s) => s.rule.write === undefined ? [] : [s.rule.write])
  const zeros = steps.filter((s) => s.rule.zero === true).map((s) => s.name)
  return {
    arity: fn.params.length,
    decode: (inner, raw) => {
      const arg: RawArg = (name) => raw[positions.get(name)!]!
      for (const name of zeros) {
        if (arg(name) !== 0n) {
          throw new LoopbackError(
            `${fn.name}: ${name} is 0x${arg(name).toString(16)}, but the JetApi always passes 0`
          )
        }
      }
      const call = inner[method] as (...args: ReadonlyArray<unknown>) => unknown
      const result = call.apply(inner, reads.map((read) => read(arg)))
      if (
        typeof result !== "object" || result === null || typeof (result as InnerResult)["err"] !== "number"
      ) {
        throw new LoopbackError(`${method} of the inner engine returned ${String(result)}, not a JET result`)
      }
      for (const write of writes) write(arg, result as InnerResult)
      return (result as InnerResult)["err"] as number
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The library, built and registered once per process

/** A call made through the binding's `async` form, in flight on one of koffi's worker threads. */
interface OffThreadCall {
  readonly inner: JetApi
  /** What the inner engine threw, rethrown once the call has settled. */
  failure: { readonly cause: unknown } | undefined
}

interface LoopbackState {
  readonly path: string
  readonly library: LibraryHandle
  /** The engine the dispatcher forwards to: set by the outer method for the length of its call. */
  current: JetApi | undefined
  /** What the inner engine threw, rethrown to the caller once the native call has returned. */
  failure: { readonly cause: unknown } | undefined
  /**
   * Calls in flight off the JavaScript thread. Their dispatch is queued to the JavaScript thread
   * and runs from the event loop, never inside a synchronous call, so `current` is unset then.
   */
  readonly offThread: Set<OffThreadCall>
  /** Sets the delay the export at `index` sleeps on its calling thread before forwarding. */
  readonly setDelay: (index: number, ms: number) => void
}

const buildLibrary = async (): Promise<string> => {
  const source = loopbackSource()
  const hash = createHash("sha256").update(source).update(process.arch).digest("hex").slice(0, 16)
  // Keyed by the source, so parallel test workers compile it once between them.
  const target = join(tmpdir(), `effect-esent-loopback-${hash}.so`)
  if (existsSync(target)) return target
  const built = await buildSharedLibrary(source, "libjetloopback.so")
  renameSync(built, target)
  rmSync(dirname(built), { recursive: true, force: true })
  return target
}

const start = async (): Promise<LoopbackState> => {
  const path = await buildLibrary()
  const library = koffi.load(path)
  const setDelay = library.func("LoopbackSetDelay", "void", ["int32_t", "uint32_t"])
  const state: LoopbackState = {
    path,
    library,
    current: undefined,
    failure: undefined,
    offThread: new Set(),
    setDelay: (index, ms) => setDelay(index, ms)
  }
  // In table order: the C side passes the index.
  const decoders = jetFunctions.map(compile)
  const most = Math.max(...decoders.map((d) => d.arity))
  let slotsAddress = 0n
  let slots = new BigUint64Array(0)
  /** The off-thread call a dispatch outside any synchronous call belongs to. */
  const offThreadCall = (): OffThreadCall | undefined => {
    const [first, ...others] = state.offThread
    if (first === undefined) return undefined
    // The C side cannot say which call it serves: calls in flight at once must share one engine.
    if (others.some((other) => other.inner !== first.inner)) {
      const cause = new LoopbackError("off-thread calls over different inner engines are in flight at once")
      for (const call of state.offThread) call.failure ??= { cause }
      return undefined
    }
    return first
  }
  const dispatch = (index: number, address: unknown): number => {
    const decoder = decoders[index]
    const offThread = state.current === undefined ? offThreadCall() : undefined
    const inner = state.current ?? offThread?.inner
    if (decoder === undefined || typeof address !== "bigint" || inner === undefined) {
      return JET_errInternalError
    }
    if (address !== slotsAddress) {
      slotsAddress = address
      slots = new BigUint64Array(koffi.view(address, 8 * most))
    }
    try {
      return decoder.decode(inner, slots.slice(0, decoder.arity))
    } catch (cause) {
      if (offThread === undefined) state.failure ??= { cause }
      else offThread.failure ??= { cause }
      return JET_errInternalError
    }
  }
  const proto = koffi.proto("int32_t", ["int32_t", "void *"])
  library.func("LoopbackSetDispatcher", "void", [koffi.pointer(proto)])(
    koffi.register(dispatch, koffi.pointer(proto))
  )
  return state
}

// Shared through the global object: a test runner that re-evaluates modules in one process would
// otherwise register a second dispatcher over the same loaded library.
const stateKey = Symbol.for("effect-esent/test/loopback")
const loopbackState = (): Promise<LoopbackState> => {
  const holder = globalThis as { [stateKey]?: Promise<LoopbackState> }
  return holder[stateKey] ??= start()
}

// A call, so that the check after a native call is not narrowed by the reset before it.
const failureOf = (state: LoopbackState): LoopbackState["failure"] => state.failure

/** Options of the loopback engine. */
export interface LoopbackOptions {
  /**
   * Replaces the library handle the binding declares its functions on; the bite tests pass one
   * that declares them wrongly, to show the loopback catches it.
   */
  readonly library?: (library: LibraryHandle) => LibraryHandle
  /**
   * Whether the engine offers the binding's `async` form (default `true`). `false` leaves it out,
   * so that the Effect API makes every call synchronously on the JavaScript thread.
   */
  readonly offThread?: boolean
}

/** Makes loopback engines synchronously once the library is built (for `Engine.make`). */
export type LoopbackFactory = (inner: JetApi, options?: LoopbackOptions) => JetApi

/** Builds (once per process) and loads the loopback library; resolves to a synchronous factory. */
export const prepareLoopback = async (): Promise<LoopbackFactory> => {
  const state = await loopbackState()
  return (inner, options = {}) => {
    const native = makeNativeJetApi(options.library?.(state.library) ?? state.library)
    const entries = jetFunctions.map((fn) => {
      const method = methodNameOf(fn.name)
      const call = native[method] as (...args: ReadonlyArray<unknown>) => unknown
      const forward = (...args: ReadonlyArray<unknown>): unknown => {
        const previous = { current: state.current, failure: state.failure }
        state.current = inner
        state.failure = undefined
        try {
          const result = call(...args)
          const failure = failureOf(state)
          if (failure !== undefined) throw failure.cause
          return result
        } finally {
          state.current = previous.current
          state.failure = previous.failure
        }
      }
      return [method, forward] as const
    })
    const api = Object.fromEntries(entries) as unknown as JetApi
    const nativeAsync = native.async
    if (options.offThread === false || nativeAsync === undefined) return api
    const offThreadEntries = asyncMethods.map((method) => {
      const call = nativeAsync[method] as (...args: ReadonlyArray<unknown>) => Promise<unknown>
      const forward = async (...args: ReadonlyArray<unknown>): Promise<unknown> => {
        const inFlight: OffThreadCall = { inner, failure: undefined }
        state.offThread.add(inFlight)
        try {
          const result = await call(...args)
          if (inFlight.failure !== undefined) throw inFlight.failure.cause
          return result
        } finally {
          state.offThread.delete(inFlight)
        }
      }
      return [method, forward] as const
    })
    return { ...api, async: Object.fromEntries(offThreadEntries) as unknown as JetApiAsync }
  }
}

/** The methods of `JetApiAsync`, checked complete against the interface by the type below. */
const asyncMethodSet: { readonly [M in JetAsyncMethod]: true } = {
  JetInit3: true,
  JetTerm2: true,
  JetCreateDatabase2: true,
  JetAttachDatabase2: true,
  JetBackupInstance: true,
  JetRestoreInstance: true,
  JetCompact: true,
  JetDefragment2: true,
  JetCommitTransaction: true
}
const asyncMethods = Object.keys(asyncMethodSet) as ReadonlyArray<JetAsyncMethod>

/**
 * Makes every loopback export bound to `method` sleep `ms` milliseconds on its calling thread
 * before forwarding (0: no delay). The delay is process-wide: reset it when done.
 */
export const setLoopbackDelay = async (method: JetApiMethod, ms: number): Promise<void> => {
  const state = await loopbackState()
  jetFunctions.forEach((fn, index) => {
    if (methodNameOf(fn.name) === method) state.setDelay(index, ms)
  })
}

/**
 * The native binding loaded over the loopback library, forwarding every call to `inner`. The library
 * is built once per process; each engine made here forwards to its own `inner`.
 */
export const makeLoopbackJetApi = async (inner: JetApi, options: LoopbackOptions = {}): Promise<JetApi> =>
  (await prepareLoopback())(inner, options)
