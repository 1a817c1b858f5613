/**
 * The marshalling proof of the native binding, independent of any engine's behaviour: every JetApi
 * method goes through koffi, the generated C library and the loopback dispatcher to a recording
 * engine, which must receive exactly the arguments given to the binding; the binding must hand back
 * exactly what the engine returned, buffer contents and struct outputs included. Each case runs
 * once per edge: pointer-sized handles at 0, 1, 2^53, 2^64-16 and 2^64-1, 32-bit values at their
 * limits, negative codes and positive warnings, and strings from empty to astral and lone surrogates.
 */
import { describe, expect, it } from "vitest"
import {
  type JetApi,
  type JetApiMethod,
  type JetColumnCreate,
  type JetColumnDef,
  type JetIndexCreate,
  methodNameOf
} from "../../src/jet/api.ts"
import {
  JET_bitIndexUnicode,
  JET_ColInfo,
  JET_ColInfoBaseByColid,
  JET_ColInfoByColid,
  JET_coltypLong,
  JET_coltypLongText,
  JET_coltypText
} from "../../src/jet/constants.ts"
import { jetErrorCodes } from "../../src/jet/errors.generated.ts"
import { jetFunctions } from "../../src/jet/functions.ts"
import { JET_COLUMNID, JET_DBID, JET_INSTANCE, JET_SESID, JET_TABLEID } from "../../src/jet/handles.ts"
import { cCompilerMissing } from "../support/c-abi.ts"
import { makeLoopbackJetApi } from "../support/loopback.ts"

const {
  JET_errColumnNotFound,
  JET_errInvalidSesid,
  JET_wrnBufferTruncated,
  JET_wrnColumnNull,
  JET_wrnColumnPresent,
  JET_wrnColumnSingleValue,
  JET_wrnColumnTruncated
} = jetErrorCodes

// ---------------------------------------------------------------------------------------------
// A recording engine

interface Call {
  readonly method: string
  readonly args: unknown
}

/** A deep copy in which every `Uint8Array` is copied out (the engine's views die with the call). */
const snapshot = (value: unknown): unknown => {
  if (value instanceof Uint8Array) return value.slice()
  if (Array.isArray(value)) return value.map(snapshot)
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, snapshot(v)]))
  }
  return value
}

const makeRecorder = () => {
  const calls: Array<Call> = []
  let respond: (method: string, args: ReadonlyArray<unknown>) => unknown = () => ({ err: 0 })
  const api = Object.fromEntries(jetFunctions.map((fn) => {
    const method = methodNameOf(fn.name)
    return [method, (...args: ReadonlyArray<unknown>) => {
      calls.push({ method, args: snapshot(args) })
      return respond(method, args)
    }]
  })) as unknown as JetApi
  return {
    api,
    calls,
    answer: (next: (method: string, args: ReadonlyArray<unknown>) => unknown) => {
      calls.length = 0
      respond = next
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Edges and cases

interface Edge {
  readonly i: number
  readonly h: bigint
  readonly h2: bigint
  readonly u: number
  readonly u2: number
  readonly s: string
  readonly err: number
  readonly long: number
}

const handles = [0n, 1n, 2n ** 53n, 2n ** 64n - 16n, 2n ** 64n - 1n]
const u32s = [0, 1, 0x8000_0000, 0xffff_ffff, 0x1234_5678]
const strings = ["", "a", "ab\u00e9\u4e2d\ud83d\ude00", "x".repeat(300), "lone \ud800 surrogate"]
const errs = [0, JET_errInvalidSesid, JET_wrnBufferTruncated, -0x8000_0000, 0x7fff_ffff]
const longs = [0, -0x8000_0000, 0x7fff_ffff, -1, 5]
const edges: ReadonlyArray<Edge> = handles.map((h, i) => ({
  i,
  h,
  h2: handles[(i + 1) % handles.length]!,
  u: u32s[i]!,
  u2: u32s[(i + 2) % u32s.length]!,
  s: strings[i]!,
  err: errs[i]!,
  long: longs[i]!
}))

/** Distinct bytes per seed, so a buffer from the wrong place or of the wrong length shows. */
const pattern = (length: number, seed: number): Uint8Array =>
  Uint8Array.from({ length }, (_, k) => (seed * 31 + k * 7 + 1) & 0xff)

const fillFrom = (target: Uint8Array | null, seed: number, length = target?.byteLength ?? 0): void =>
  target?.set(pattern(length, seed))

type Args<M extends JetApiMethod> = Parameters<JetApi[M]>

interface Case<M extends JetApiMethod> {
  readonly args: Args<M>
  readonly result: ReturnType<JetApi[M]>
  /** What the engine writes into the buffers it received; the caller's buffers must show the same. */
  readonly fill?: (args: Args<M>) => void
  /** What the engine receives, when it differs from what the caller passed. */
  readonly engineSees?: (args: Args<M>) => Args<M>
}

type Cases = { readonly [M in JetApiMethod]: (e: Edge) => ReadonlyArray<Case<M>> }

const columnDef = (e: Edge, k: number): Required<JetColumnDef> => ({
  columnid: (e.u2 + k) >>> 0,
  coltyp: k % 2 === 0 ? JET_coltypLong : JET_coltypText,
  wCountry: 1,
  langid: 0x409 + k,
  cp: 1200,
  wCollate: 0xffff,
  cbMax: e.u,
  grbit: (e.u ^ k) >>> 0
})

const indexes = (e: Edge): ReadonlyArray<JetIndexCreate> => {
  const second = `-name${e.s}\0+id\0\0`
  return [
    {
      szIndexName: `primary${e.s}`,
      szKey: "+id\0\0",
      cbKey: 10,
      grbit: JET_bitIndexUnicode,
      ulDensity: 90,
      pidxunicode: { lcid: 0x409, dwMapFlags: e.u },
      ptuplelimits: null,
      rgconditionalcolumn: [{ szColumnName: "name", grbit: e.u2 }, { szColumnName: e.s, grbit: 1 }],
      cbKeyMost: 255
    },
    {
      szIndexName: "byName",
      szKey: second,
      cbKey: second.length * 2,
      grbit: e.u,
      ulDensity: 0,
      pidxunicode: null,
      ptuplelimits: { chLengthMin: 3, chLengthMax: 10, chToIndexMax: e.u, cchIncrement: 1, ichStart: e.u2 },
      rgconditionalcolumn: [],
      cbKeyMost: 0
    }
  ]
}

const columnCreates = (e: Edge): ReadonlyArray<JetColumnCreate> => [
  { szColumnName: "id", coltyp: JET_coltypLong, cbMax: 0, grbit: e.u, pvDefault: null, cbDefault: 0, cp: 0 },
  {
    szColumnName: `name${e.s}`,
    coltyp: JET_coltypLongText,
    cbMax: e.u2,
    grbit: 0x400,
    pvDefault: pattern(6, e.i),
    cbDefault: 6,
    cp: 1200
  }
]

const wideName = (target: Uint8Array, name: string): void => {
  target.set(Buffer.from(`${name}\0`, "utf16le").subarray(0, target.byteLength))
}

const cases: Cases = {
  JetCreateInstance2: (e) => [
    { args: [e.s, null, e.u], result: { err: e.err, instance: JET_INSTANCE(e.h) } },
    { args: ["instance", e.s, e.u2], result: { err: 0, instance: JET_INSTANCE(e.h2) } }
  ],
  JetInit3: (e) => [{ args: [JET_INSTANCE(e.h), e.u], result: { err: e.err, instance: JET_INSTANCE(e.h2) } }],
  JetTerm: (e) => [{ args: [JET_INSTANCE(e.h)], result: { err: e.err } }],
  JetTerm2: (e) => [{ args: [JET_INSTANCE(e.h), e.u], result: { err: e.err } }],
  JetSetSystemParameter: (e) => [
    { args: [JET_INSTANCE(e.h), JET_SESID(e.h2), e.u, e.h2, e.s], result: { err: e.err } },
    { args: [null, JET_SESID(e.h), e.u2, e.h, null], result: { err: 0 } }
  ],
  JetGetSystemParameter: (e) => [
    {
      args: [JET_INSTANCE(e.h), JET_SESID(e.h2), e.u, pattern(24, e.i), 24],
      result: { err: e.err, lParam: e.h2 },
      fill: (args) => wideName(args[3]!, `path${e.i}`)
    },
    { args: [JET_INSTANCE(e.h2), JET_SESID(e.h), e.u2, null, 0], result: { err: 0, lParam: e.h } }
  ],
  JetGetVersion: (e) => [{ args: [JET_SESID(e.h)], result: { err: e.err, version: e.u } }],
  JetStopServiceInstance: (e) => [{ args: [JET_INSTANCE(e.h)], result: { err: e.err } }],
  JetBeginSession: (e) => [
    { args: [JET_INSTANCE(e.h), e.s, null], result: { err: e.err, sesid: JET_SESID(e.h2) } },
    { args: [JET_INSTANCE(e.h2), null, e.s], result: { err: 0, sesid: JET_SESID(e.h) } }
  ],
  JetEndSession: (e) => [{ args: [JET_SESID(e.h), e.u], result: { err: e.err } }],
  JetDupSession: (e) => [{ args: [JET_SESID(e.h)], result: { err: e.err, sesid: JET_SESID(e.h2) } }],
  JetSetSessionContext: (e) => [{ args: [JET_SESID(e.h), e.h2], result: { err: e.err } }],
  JetResetSessionContext: (e) => [{ args: [JET_SESID(e.h)], result: { err: e.err } }],
  JetCreateDatabase2: (e) => [
    { args: [JET_SESID(e.h), `db${e.s}.edb`, e.u, e.u2], result: { err: e.err, dbid: JET_DBID(e.u2) } }
  ],
  JetAttachDatabase2: (e) => [{ args: [JET_SESID(e.h), e.s, e.u, e.u2], result: { err: e.err } }],
  JetDetachDatabase2: (e) => [
    { args: [JET_SESID(e.h), e.s, e.u], result: { err: e.err } },
    { args: [JET_SESID(e.h2), null, e.u2], result: { err: 0 } }
  ],
  JetOpenDatabase: (e) => [
    { args: [JET_SESID(e.h), e.s, null, e.u], result: { err: e.err, dbid: JET_DBID(e.u) } },
    { args: [JET_SESID(e.h2), "a.edb", e.s, e.u2], result: { err: 0, dbid: JET_DBID(e.u2) } }
  ],
  JetCloseDatabase: (e) => [{ args: [JET_SESID(e.h), JET_DBID(e.u), e.u2], result: { err: e.err } }],
  JetGetDatabaseInfo: (e) => [
    {
      args: [JET_SESID(e.h), JET_DBID(e.u), pattern(16, e.i), 16, e.u2],
      result: { err: e.err },
      fill: (args) => fillFrom(args[2], 50 + e.i)
    },
    // An empty buffer must stay an empty buffer, not become NULL on the way.
    { args: [JET_SESID(e.h2), JET_DBID(e.u2), new Uint8Array(0), 0, e.u], result: { err: 0 } }
  ],
  JetCreateTableColumnIndex2: (e) => [
    {
      args: [JET_SESID(e.h), JET_DBID(e.u), {
        szTableName: `table${e.s}`,
        szTemplateTableName: e.i % 2 === 0 ? null : `template${e.s}`,
        ulPages: e.u,
        ulDensity: 80,
        rgcolumncreate: columnCreates(e),
        rgindexcreate: indexes(e),
        szCallback: e.i % 2 === 0 ? `callback${e.s}` : null,
        cbtyp: e.u2,
        grbit: e.u
      }],
      result: {
        err: e.err,
        tableid: JET_TABLEID(e.h2),
        cCreated: e.u2,
        columnids: [JET_COLUMNID(e.u), JET_COLUMNID(e.u2)],
        columnErrs: [e.err, 0],
        indexErrs: [0, e.err]
      }
    },
    {
      args: [JET_SESID(e.h2), JET_DBID(e.u2), {
        szTableName: e.s,
        szTemplateTableName: null,
        ulPages: 0,
        ulDensity: 0,
        rgcolumncreate: [],
        rgindexcreate: [],
        szCallback: null,
        cbtyp: 0,
        grbit: 0
      }],
      result: { err: 0, tableid: JET_TABLEID(e.h), cCreated: 1, columnids: [], columnErrs: [], indexErrs: [] }
    }
  ],
  JetDeleteTable: (e) => [{ args: [JET_SESID(e.h), JET_DBID(e.u), e.s], result: { err: e.err } }],
  JetRenameTable: (
    e
  ) => [{ args: [JET_SESID(e.h), JET_DBID(e.u), e.s, `new${e.s}`], result: { err: e.err } }],
  JetAddColumn: (e) => [
    {
      args: [JET_SESID(e.h), JET_TABLEID(e.h2), e.s, columnDef(e, 0), pattern(5, e.i), 5],
      result: { err: e.err, columnid: JET_COLUMNID(e.u2) }
    },
    {
      args: [JET_SESID(e.h2), JET_TABLEID(e.h), "c", columnDef(e, 1), null, 0],
      result: { err: 0, columnid: JET_COLUMNID(e.u) }
    }
  ],
  JetDeleteColumn2: (e) => [{ args: [JET_SESID(e.h), JET_TABLEID(e.h2), e.s, e.u], result: { err: e.err } }],
  JetRenameColumn: (e) => [
    { args: [JET_SESID(e.h), JET_TABLEID(e.h2), e.s, `renamed${e.s}`, e.u], result: { err: e.err } }
  ],
  JetSetColumnDefaultValue: (e) => [
    { args: [JET_SESID(e.h), JET_DBID(e.u), "t", e.s, pattern(9, e.i), 9, e.u2], result: { err: e.err } },
    { args: [JET_SESID(e.h2), JET_DBID(e.u2), e.s, "c", null, 0, e.u], result: { err: 0 } }
  ],
  JetCreateIndex2: (e) => [
    { args: [JET_SESID(e.h), JET_TABLEID(e.h2), indexes(e)], result: { err: e.err, indexErrs: [e.err, 0] } },
    { args: [JET_SESID(e.h2), JET_TABLEID(e.h), []], result: { err: 0, indexErrs: [] } }
  ],
  JetDeleteIndex: (e) => [{ args: [JET_SESID(e.h), JET_TABLEID(e.h2), e.s], result: { err: e.err } }],
  JetGetTableInfo: (e) => [
    {
      args: [JET_SESID(e.h), JET_TABLEID(e.h2), pattern(40, e.i), 40, e.u],
      result: { err: e.err },
      fill: (args) => fillFrom(args[2], 60 + e.i)
    }
  ],
  JetGetTableColumnInfo: (e) => [
    {
      args: [JET_SESID(e.h), JET_TABLEID(e.h2), e.s, pattern(32, e.i), 32, JET_ColInfo],
      result: { err: e.err },
      fill: (args) => fillFrom(args[3], 70 + e.i)
    },
    {
      args: [JET_SESID(e.h2), JET_TABLEID(e.h), JET_COLUMNID(e.u), pattern(12, e.i), 12, JET_ColInfoByColid],
      result: { err: 0 },
      fill: (args) => fillFrom(args[3], 71 + e.i)
    },
    {
      args: [JET_SESID(e.h), JET_TABLEID(e.h), null, pattern(8, e.i), 8, JET_ColInfo],
      result: { err: e.err }
    }
  ],
  JetGetColumnInfo: (e) => [
    {
      args: [JET_SESID(e.h), JET_DBID(e.u), `t${e.s}`, e.s, pattern(32, e.i), 32, JET_ColInfo],
      result: { err: e.err },
      fill: (args) => fillFrom(args[4], 80 + e.i)
    },
    {
      args: [
        JET_SESID(e.h2),
        JET_DBID(e.u2),
        e.s,
        JET_COLUMNID(e.u2),
        pattern(12, e.i),
        12,
        JET_ColInfoBaseByColid
      ],
      result: { err: 0 },
      fill: (args) => fillFrom(args[4], 81 + e.i)
    }
  ],
  JetGetTableIndexInfo: (e) => [
    {
      args: [JET_SESID(e.h), JET_TABLEID(e.h2), e.s, pattern(20, e.i), 20, e.u],
      result: { err: e.err },
      fill: (args) => fillFrom(args[3], 90 + e.i)
    },
    { args: [JET_SESID(e.h2), JET_TABLEID(e.h), null, pattern(4, e.i), 4, e.u2], result: { err: 0 } }
  ],
  JetGetIndexInfo: (e) => [
    {
      args: [JET_SESID(e.h), JET_DBID(e.u), e.s, `i${e.s}`, pattern(20, e.i), 20, e.u2],
      result: { err: e.err },
      fill: (args) => fillFrom(args[4], 100 + e.i)
    },
    { args: [JET_SESID(e.h2), JET_DBID(e.u2), "t", null, pattern(4, e.i), 4, e.u], result: { err: 0 } }
  ],
  JetGetObjectInfo: (e) => [
    {
      args: [JET_SESID(e.h), JET_DBID(e.u), e.u2, null, e.s, pattern(48, e.i), 48, e.u],
      result: { err: e.err },
      fill: (args) => fillFrom(args[5], 110 + e.i)
    },
    {
      args: [JET_SESID(e.h2), JET_DBID(e.u2), e.u, `c${e.s}`, null, pattern(8, e.i), 8, e.u2],
      result: { err: 0 }
    }
  ],
  JetOpenTable: (e) => [
    { args: [JET_SESID(e.h), JET_DBID(e.u), e.s, e.u2], result: { err: e.err, tableid: JET_TABLEID(e.h2) } }
  ],
  JetCloseTable: (e) => [{ args: [JET_SESID(e.h), JET_TABLEID(e.h2)], result: { err: e.err } }],
  JetDupCursor: (e) => [
    { args: [JET_SESID(e.h), JET_TABLEID(e.h2), e.u], result: { err: e.err, tableid: JET_TABLEID(e.h) } }
  ],
  JetOpenTempTable3: (e) => [
    {
      args: [JET_SESID(e.h), [columnDef(e, 0), columnDef(e, 1), columnDef(e, 2)], {
        lcid: e.u,
        dwMapFlags: e.u2
      }, e.u],
      result: {
        err: e.err,
        tableid: JET_TABLEID(e.h2),
        columnids: [JET_COLUMNID(e.u2), JET_COLUMNID(e.u), JET_COLUMNID(7)]
      }
    },
    { args: [JET_SESID(e.h2), [], null, e.u2], result: { err: 0, tableid: JET_TABLEID(e.h), columnids: [] } }
  ],
  JetOpenTemporaryTable: (e) => [
    {
      args: [JET_SESID(e.h), {
        prgcolumndef: [columnDef(e, 3), columnDef(e, 4)],
        pidxunicode: { lcid: e.u2, dwMapFlags: e.u },
        grbit: e.u,
        cbKeyMost: e.u2,
        cbVarSegMac: 255
      }],
      result: { err: e.err, tableid: JET_TABLEID(e.h2), columnids: [JET_COLUMNID(e.u), JET_COLUMNID(e.u2)] }
    },
    {
      args: [JET_SESID(e.h2), {
        prgcolumndef: [],
        pidxunicode: null,
        grbit: 0,
        cbKeyMost: 0,
        cbVarSegMac: 0
      }],
      result: { err: 0, tableid: JET_TABLEID(e.h), columnids: [] }
    }
  ],
  JetMove: (e) => [{ args: [JET_SESID(e.h), JET_TABLEID(e.h2), e.long, e.u], result: { err: e.err } }],
  JetMakeKey: (e) => [
    { args: [JET_SESID(e.h), JET_TABLEID(e.h2), pattern(7, e.i), 7, e.u], result: { err: e.err } },
    { args: [JET_SESID(e.h2), JET_TABLEID(e.h), null, 0, e.u2], result: { err: 0 } },
    { args: [JET_SESID(e.h), JET_TABLEID(e.h), new Uint8Array(0), 0, e.u2], result: { err: e.err } }
  ],
  JetSeek: (e) => [{ args: [JET_SESID(e.h), JET_TABLEID(e.h2), e.u], result: { err: e.err } }],
  JetSetIndexRange: (e) => [{ args: [JET_SESID(e.h), JET_TABLEID(e.h2), e.u], result: { err: e.err } }],
  JetSetCurrentIndex4: (e) => [
    { args: [JET_SESID(e.h), JET_TABLEID(e.h2), e.s, e.u, e.u2], result: { err: e.err } },
    { args: [JET_SESID(e.h2), JET_TABLEID(e.h), null, e.u2, e.u], result: { err: 0 } }
  ],
  JetGetCurrentIndex: (e) => [
    {
      args: [JET_SESID(e.h), JET_TABLEID(e.h2), pattern(64, e.i), 64],
      result: { err: e.err },
      fill: (args) => wideName(args[2], `index${e.s}`)
    }
  ],
  JetGetBookmark: (e) => [
    {
      args: [JET_SESID(e.h), JET_TABLEID(e.h2), pattern(12, e.i), 12],
      result: { err: e.err, cbActual: e.u },
      fill: (args) => fillFrom(args[2], 120 + e.i)
    },
    { args: [JET_SESID(e.h2), JET_TABLEID(e.h), null, 0], result: { err: 0, cbActual: e.u2 } }
  ],
  JetGotoBookmark: (e) => [
    { args: [JET_SESID(e.h), JET_TABLEID(e.h2), pattern(9, e.i), 9], result: { err: e.err } }
  ],
  JetGetRecordPosition: (e) => [
    {
      args: [JET_SESID(e.h), JET_TABLEID(e.h2)],
      result: { err: e.err, recpos: { centriesLT: e.u, centriesInRange: 1, centriesTotal: e.u2 } }
    }
  ],
  JetGotoPosition: (e) => [
    {
      args: [JET_SESID(e.h), JET_TABLEID(e.h2), { centriesLT: e.u2, centriesInRange: e.u, centriesTotal: 3 }],
      result: { err: e.err }
    }
  ],
  JetIndexRecordCount: (e) => [
    { args: [JET_SESID(e.h), JET_TABLEID(e.h2), e.u], result: { err: e.err, count: e.u2 } }
  ],
  JetRetrieveKey: (e) => [
    {
      args: [JET_SESID(e.h), JET_TABLEID(e.h2), pattern(10, e.i), 10, e.u],
      result: { err: e.err, cbActual: e.u2 },
      fill: (args) => fillFrom(args[2], 130 + e.i)
    },
    { args: [JET_SESID(e.h2), JET_TABLEID(e.h), null, 0, e.u2], result: { err: 0, cbActual: e.u } }
  ],
  JetGetLock: (e) => [{ args: [JET_SESID(e.h), JET_TABLEID(e.h2), e.u], result: { err: e.err } }],
  JetPrepareUpdate: (e) => [{ args: [JET_SESID(e.h), JET_TABLEID(e.h2), e.u], result: { err: e.err } }],
  JetSetColumn: (e) => [
    {
      args: [JET_SESID(e.h), JET_TABLEID(e.h2), JET_COLUMNID(e.u), pattern(11, e.i), 11, e.u2, {
        ibLongValue: e.u,
        itagSequence: e.u2
      }],
      result: { err: e.err }
    },
    { args: [JET_SESID(e.h2), JET_TABLEID(e.h), JET_COLUMNID(e.u2), null, 0, e.u, null], result: { err: 0 } },
    {
      args: [JET_SESID(e.h), JET_TABLEID(e.h), JET_COLUMNID(e.u), new Uint8Array(0), 0, e.u2, null],
      result: { err: e.err }
    }
  ],
  JetSetColumns: (e) => [
    {
      args: [JET_SESID(e.h), JET_TABLEID(e.h2), [
        {
          columnid: JET_COLUMNID(e.u),
          pvData: pattern(5, e.i),
          cbData: 5,
          grbit: e.u2,
          ibLongValue: e.u,
          itagSequence: 2
        },
        {
          columnid: JET_COLUMNID(e.u2),
          pvData: null,
          cbData: 0,
          grbit: 0,
          ibLongValue: 0,
          itagSequence: e.u
        },
        {
          columnid: JET_COLUMNID(3),
          pvData: pattern(300, e.i),
          cbData: 300,
          grbit: 0,
          ibLongValue: 0,
          itagSequence: 0
        }
      ]],
      result: { err: e.err, errs: [0, e.err, JET_wrnColumnNull] }
    },
    { args: [JET_SESID(e.h2), JET_TABLEID(e.h), []], result: { err: 0, errs: [] } }
  ],
  JetRetrieveColumn: (e) => [
    {
      args: [JET_SESID(e.h), JET_TABLEID(e.h2), JET_COLUMNID(e.u), pattern(16, e.i), 16, e.u2, {
        ibLongValue: e.u2,
        itagSequence: e.u
      }],
      result: { err: e.err, cbActual: e.u, columnidNextTagged: JET_COLUMNID(e.u2) },
      fill: (args) => fillFrom(args[3], 140 + e.i)
    },
    {
      args: [JET_SESID(e.h2), JET_TABLEID(e.h), JET_COLUMNID(e.u2), null, 0, e.u, null],
      result: { err: JET_wrnBufferTruncated, cbActual: e.u2, columnidNextTagged: JET_COLUMNID(0) }
    },
    {
      args: [JET_SESID(e.h), JET_TABLEID(e.h), JET_COLUMNID(e.u), new Uint8Array(0), 0, e.u, null],
      result: { err: e.err, cbActual: e.u, columnidNextTagged: JET_COLUMNID(0) }
    }
  ],
  JetRetrieveColumns: (e) => [
    {
      args: [JET_SESID(e.h), JET_TABLEID(e.h2), [
        {
          columnid: JET_COLUMNID(e.u),
          pvData: pattern(8, e.i),
          cbData: 8,
          grbit: e.u2,
          ibLongValue: 1,
          itagSequence: 2
        },
        {
          columnid: JET_COLUMNID(e.u2),
          pvData: null,
          cbData: 0,
          grbit: 0,
          ibLongValue: 0,
          itagSequence: e.u
        },
        {
          columnid: JET_COLUMNID(9),
          pvData: pattern(6, e.i),
          cbData: 6,
          grbit: 0,
          ibLongValue: e.u,
          itagSequence: 0
        }
      ]],
      result: {
        err: e.err,
        columns: [
          { err: JET_wrnBufferTruncated, cbActual: 20, columnidNextTagged: JET_COLUMNID(e.u2) },
          { err: JET_wrnColumnNull, cbActual: 0, columnidNextTagged: JET_COLUMNID(0) },
          { err: e.err, cbActual: 6, columnidNextTagged: JET_COLUMNID(e.u) }
        ]
      },
      fill: (args) => {
        fillFrom(args[2][0]!.pvData, 150 + e.i)
        fillFrom(args[2][2]!.pvData, 151 + e.i)
      },
      // The binding hands ESENT a native block per call, not the caller's buffers, and ESENT only
      // writes them: their old bytes never reach the engine.
      engineSees: ([sesid, tableid, columns]) => [
        sesid,
        tableid,
        columns.map((c) => ({ ...c, pvData: c.pvData === null ? null : new Uint8Array(c.cbData) }))
      ]
    },
    { args: [JET_SESID(e.h2), JET_TABLEID(e.h), []], result: { err: 0, columns: [] } }
  ],
  JetEnumerateColumns: (e) => [
    {
      args: [
        JET_SESID(e.h),
        JET_TABLEID(e.h2),
        [{ columnid: JET_COLUMNID(e.u), rgtagSequence: [1, 3, e.u2] }, {
          columnid: JET_COLUMNID(2),
          rgtagSequence: []
        }],
        e.u,
        e.u2
      ],
      result: {
        err: e.err,
        columns: [
          {
            columnid: JET_COLUMNID(e.u),
            err: 0,
            values: [
              { itagSequence: 1, err: 0, data: pattern(5, e.i) },
              { itagSequence: 3, err: JET_wrnColumnPresent, data: new Uint8Array(0) },
              { itagSequence: e.u2, err: JET_wrnColumnTruncated, data: pattern(300, e.i) }
            ]
          },
          {
            columnid: JET_COLUMNID(2),
            err: JET_wrnColumnSingleValue,
            values: [{ itagSequence: 1, err: 0, data: pattern(4, e.i + 1) }]
          },
          { columnid: JET_COLUMNID(e.u2), err: JET_errColumnNotFound, values: [] },
          {
            columnid: JET_COLUMNID(4),
            err: JET_wrnColumnSingleValue,
            values: [{ itagSequence: 1, err: 0, data: new Uint8Array(0) }]
          }
        ]
      }
    },
    { args: [JET_SESID(e.h2), JET_TABLEID(e.h), null, 0, 0], result: { err: 0, columns: [] } },
    { args: [JET_SESID(e.h2), JET_TABLEID(e.h), [], e.u, e.u], result: { err: e.err, columns: [] } }
  ],
  JetUpdate: (e) => [
    {
      args: [JET_SESID(e.h), JET_TABLEID(e.h2), pattern(14, e.i), 14],
      result: { err: e.err, cbActual: e.u2 },
      fill: (args) => fillFrom(args[2], 160 + e.i)
    },
    { args: [JET_SESID(e.h2), JET_TABLEID(e.h), null, 0], result: { err: 0, cbActual: e.u } },
    { args: [JET_SESID(e.h), JET_TABLEID(e.h), new Uint8Array(0), 0], result: { err: e.err, cbActual: e.u2 } }
  ],
  JetDelete: (e) => [{ args: [JET_SESID(e.h), JET_TABLEID(e.h2)], result: { err: e.err } }],
  JetEscrowUpdate: (e) => [
    {
      args: [
        JET_SESID(e.h),
        JET_TABLEID(e.h2),
        JET_COLUMNID(e.u),
        pattern(4, e.i),
        4,
        pattern(8, e.i + 9),
        8,
        e.u2
      ],
      result: { err: e.err, cbOldActual: 8 },
      fill: (args) => fillFrom(args[5], 170 + e.i)
    },
    {
      args: [JET_SESID(e.h2), JET_TABLEID(e.h), JET_COLUMNID(e.u2), pattern(8, e.i), 8, null, 0, e.u],
      result: { err: 0, cbOldActual: e.u }
    }
  ],
  JetBeginTransaction: (e) => [{ args: [JET_SESID(e.h)], result: { err: e.err } }],
  JetBeginTransaction2: (e) => [{ args: [JET_SESID(e.h), e.u], result: { err: e.err } }],
  JetCommitTransaction: (e) => [{ args: [JET_SESID(e.h), e.u], result: { err: e.err } }],
  JetRollback: (e) => [{ args: [JET_SESID(e.h), e.u], result: { err: e.err } }],
  JetBackupInstance: (e) => [{ args: [JET_INSTANCE(e.h), e.s, e.u], result: { err: e.err } }],
  JetRestoreInstance: (e) => [
    { args: [JET_INSTANCE(e.h), e.s, null], result: { err: e.err } },
    { args: [JET_INSTANCE(e.h2), "src", e.s], result: { err: 0 } }
  ],
  JetCompact: (e) => [{ args: [JET_SESID(e.h), e.s, `dest${e.s}`, e.u], result: { err: e.err } }],
  JetDefragment2: (e) => [
    {
      args: [JET_SESID(e.h), JET_DBID(e.u), e.s, e.u2, e.u, e.u],
      result: { err: e.err, passes: e.u, seconds: e.u2 }
    },
    { args: [JET_SESID(e.h2), JET_DBID(e.u2), null, 0, 0, 0], result: { err: 0, passes: 1, seconds: 2 } }
  ],
  JetFreeBuffer: (e) => [{ args: [null], result: { err: e.err } }]
}

// ---------------------------------------------------------------------------------------------

// The body would build the C library, so it must not run where the compiler is missing.
describe.skipIf(cCompilerMissing !== undefined)(
  "loopback: every JetApi method through koffi, C and back",
  async () => {
    if (cCompilerMissing !== undefined) return
    const recorder = makeRecorder()
    const api = await makeLoopbackJetApi(recorder.api)

    const run = <M extends JetApiMethod>(method: M, c: Case<M>) => {
      const given = snapshot(c.engineSees?.(c.args) ?? c.args)
      const expectedAfter = snapshot(c.args) as Args<M>
      c.fill?.(expectedAfter)
      recorder.answer((_, args) => {
        c.fill?.(args as Args<M>)
        return snapshot(c.result)
      })
      const result = (api[method] as (...args: ReadonlyArray<unknown>) => unknown)(...c.args)
      expect(recorder.calls.map((call) => call.method), "the engine's calls").toEqual([method])
      expect(recorder.calls[0]?.args, "what the engine received").toEqual(given)
      expect(result, "what the caller received").toEqual(c.result)
      expect(snapshot(c.args), "the caller's buffers after the call").toEqual(expectedAfter)
    }

    it("has a case for every function of the table, and every case's method is in the table", () => {
      const methods = jetFunctions.map((fn) => methodNameOf(fn.name))
      expect(Object.keys(cases).sort()).toEqual([...methods].sort())
      for (const method of methods) {
        expect(cases[method](edges[0]!).length, method).toBeGreaterThan(0)
      }
    })

    describe.each(jetFunctions.map((fn) => [fn.name, methodNameOf(fn.name)] as const))("%s", (_, method) => {
      it.each(edges.map((e) => [e.i, e] as const))(
        "edge %i: arguments in, results and buffers out",
        (_, e) => {
          const make = cases[method] as (e: Edge) => ReadonlyArray<Case<typeof method>>
          for (const c of make(e)) run(method, c)
        }
      )
    })

    it("passes a buffer larger than its count as exactly the count, and leaves the rest alone", () => {
      const buffer = pattern(32, 1)
      const before = buffer.slice()
      recorder.answer((_, args) => {
        const view = args[2] as Uint8Array
        expect(view.byteLength).toBe(10)
        view.fill(0xee)
        return { err: 0, cbActual: 10 }
      })
      expect(api.JetRetrieveKey(JET_SESID(1n), JET_TABLEID(2n), buffer, 10, 0)).toEqual({
        err: 0,
        cbActual: 10
      })
      expect(buffer.subarray(0, 10)).toEqual(new Uint8Array(10).fill(0xee))
      expect(buffer.subarray(10)).toEqual(before.subarray(10))
    })

    it("rethrows what the engine throws, after the native call has returned", () => {
      const failure = new Error("engine bug")
      recorder.answer(() => {
        throw failure
      })
      expect(() => api.JetBeginTransaction(JET_SESID(1n))).toThrow(failure)
      recorder.answer(() => ({ err: 0 }))
      expect(api.JetBeginTransaction(JET_SESID(1n))).toEqual({ err: 0 })
    })

    it("forwards each call to the engine of the api it was made on", async () => {
      const other = makeRecorder()
      other.answer(() => ({ err: 7 }))
      recorder.answer(() => ({ err: 5 }))
      const second = await makeLoopbackJetApi(other.api)
      expect(second.JetBeginTransaction(JET_SESID(3n)).err).toBe(7)
      expect(api.JetBeginTransaction(JET_SESID(4n)).err).toBe(5)
      expect(other.calls.map((c) => c.args)).toEqual([[3n]])
      expect(recorder.calls.map((c) => c.args)).toEqual([[4n]])
    })
  }
)
