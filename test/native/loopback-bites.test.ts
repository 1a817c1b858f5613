/**
 * The loopback has teeth: a binding that marshals one thing wrongly (a declaration from a mutated
 * copy of the function table, or a declared function wrapped to pass or read a value wrongly) gets
 * wrong results or codes back through it, while the faithful binding gets the right ones. Each bite
 * runs the same calls twice, against the same small engine, and names the function it breaks.
 */
import type { LibraryHandle } from "koffi"
import { describe, expect, it } from "vitest"
import type { JetApi } from "../../src/jet/api.ts"
import { jetErrorCodes } from "../../src/jet/errors.generated.ts"
import { type JetFunction, jetFunctions, type JetParam } from "../../src/jet/functions.ts"
import {
  JET_DBID,
  JET_INSTANCE,
  JET_SESID,
  type JET_SESID as Sesid,
  JET_TABLEID,
  type JET_TABLEID as Tableid
} from "../../src/jet/handles.ts"
import { koffiTypeOf } from "../../src/native/declarations.ts"
import { cCompilerMissing } from "../support/c-abi.ts"
import { LoopbackError, type LoopbackOptions, prepareLoopback } from "../support/loopback.ts"

const { JET_errInvalidInstance, JET_errInvalidSesid, JET_errInvalidTableId, JET_wrnBufferTruncated } =
  jetErrorCodes

type Declared = (...args: ReadonlyArray<unknown>) => number

/**
 * A library handle that declares every function from `table` instead of the real one, and lets
 * `around` wrap what a declaration returns.
 */
const declaredWith = (
  table: ReadonlyArray<JetFunction>,
  options: {
    readonly result?: (name: string) => string
    readonly around?: Readonly<Record<string, (declared: Declared) => Declared>>
  } = {}
): LoopbackOptions => ({
  library: (library: LibraryHandle): LibraryHandle => {
    const func = (...args: ReadonlyArray<unknown>): Declared => {
      const [name] = args.filter((a) => typeof a === "string" && a.startsWith("Jet")) as Array<string>
      const fn = table.find((f) => f.name === name)
      if (fn === undefined) throw new Error(`${String(name)} is not in the table`)
      const result = options.result?.(fn.name) ?? "int32_t"
      const declared = library.func(fn.name, result, fn.params.map(([, c]) => koffiTypeOf(c))) as Declared
      return options.around?.[fn.name]?.(declared) ?? declared
    }
    return { func } as unknown as LibraryHandle
  }
})

/** A copy of the function table with every parameter of C type `from` declared as `to`. */
const retyped = (from: string, to: string): ReadonlyArray<JetFunction> =>
  jetFunctions.map((fn) => ({
    ...fn,
    params: fn.params.map(([name, c, direction]): JetParam =>
      direction === undefined ? [name, c === from ? to : c] : [name, c === from ? to : c, direction]
    )
  }))

/** A small engine with real handles above 2^32, so that any narrowing shows as a wrong handle. */
const makeEngine = () => {
  const sesid = JET_SESID(0x1_0000_0005n)
  const tableid = JET_TABLEID(0x1_2345_6789n)
  const indexName = "ByCustomerAndDate"
  const received: Array<bigint> = []
  const engine = {
    JetBeginSession: (instance: bigint) =>
      instance === 1n ? { err: 0, sesid } : { err: JET_errInvalidInstance, sesid: JET_SESID(0n) },
    JetBeginTransaction: (s: Sesid) => {
      received.push(s)
      return { err: s === sesid ? 0 : JET_errInvalidSesid }
    },
    JetOpenTable: () => ({ err: 0, tableid }),
    JetCloseTable: (_: Sesid, t: Tableid) => ({ err: t === tableid ? 0 : JET_errInvalidTableId }),
    // Writes the NUL-terminated UTF-16 name, truncated to the byte count it is given.
    JetGetCurrentIndex: (_s: Sesid, _t: Tableid, buffer: Uint8Array, cb: number) => {
      const bytes = Buffer.from(`${indexName}\0`, "utf16le")
      buffer.set(bytes.subarray(0, Math.min(cb, bytes.byteLength)))
      return { err: cb < bytes.byteLength ? JET_wrnBufferTruncated : 0 }
    }
  }
  return { api: engine as unknown as JetApi, sesid, tableid, indexName, received }
}

const nameIn = (buffer: Uint8Array): string => {
  const text = Buffer.from(buffer).toString("utf16le")
  const end = text.indexOf("\0")
  return end < 0 ? text : text.slice(0, end)
}

// The body would build the C library, so it must not run where the compiler is missing.
describe.skipIf(cCompilerMissing !== undefined)(
  "loopback bites: wrong marshalling in the binding gives wrong results",
  async () => {
    if (cCompilerMissing !== undefined) return
    const loopback = await prepareLoopback()

    it("JetBeginTransaction: a JET_SESID declared 32-bit (mutated table) loses the handle's high half", () => {
      const faithful = makeEngine()
      const good = loopback(faithful.api)
      const { sesid } = good.JetBeginSession(JET_INSTANCE(1n), null, null)
      expect(good.JetBeginTransaction(sesid).err).toBe(0)

      const narrowed = makeEngine()
      const bad = loopback(narrowed.api, declaredWith(retyped("JET_SESID", "unsigned long")))
      const begun = bad.JetBeginSession(JET_INSTANCE(1n), null, null)
      expect(begun.sesid).toBe(narrowed.sesid)
      expect(bad.JetBeginTransaction(begun.sesid).err).toBe(JET_errInvalidSesid)
      expect(narrowed.received).toEqual([5n])
    })

    it("JetOpenTable: a JET_TABLEID out-parameter read at 32 bits gives a cursor the engine does not know", () => {
      const good = loopback(makeEngine().api)
      const opened = good.JetOpenTable(JET_SESID(1n), JET_DBID(1), "Orders", 0)
      expect(opened.tableid).toBe(0x1_2345_6789n)
      expect(good.JetCloseTable(JET_SESID(1n), opened.tableid).err).toBe(0)

      const bad = loopback(
        makeEngine().api,
        declaredWith(jetFunctions, {
          around: {
            JetOpenTableW: (declared) => (...args) => {
              const out = args[6] as BigUint64Array
              const narrow = new Uint32Array(2)
              const err = declared(...args.slice(0, 6), narrow)
              out[0] = BigInt(narrow[0]!)
              return err
            }
          }
        })
      )
      const wrong = bad.JetOpenTable(JET_SESID(1n), JET_DBID(1), "Orders", 0)
      expect(wrong.tableid).toBe(0x2345_6789n)
      expect(bad.JetCloseTable(JET_SESID(1n), wrong.tableid).err).toBe(JET_errInvalidTableId)
    })

    it("JetGetCurrentIndexW: a buffer size passed in characters instead of bytes truncates the name", () => {
      const buffer = new Uint8Array(48)
      const good = loopback(makeEngine().api)
      expect(good.JetGetCurrentIndex(JET_SESID(1n), JET_TABLEID(1n), buffer, 48).err).toBe(0)
      expect(nameIn(buffer)).toBe("ByCustomerAndDate")

      const bad = loopback(
        makeEngine().api,
        declaredWith(jetFunctions, {
          around: {
            JetGetCurrentIndexW: (declared) => (sesid, tableid, name, cb) =>
              declared(sesid, tableid, name, Number(cb) / 2)
          }
        })
      )
      buffer.fill(0)
      expect(bad.JetGetCurrentIndex(JET_SESID(1n), JET_TABLEID(1n), buffer, 48).err).toBe(
        JET_wrnBufferTruncated
      )
      expect(nameIn(buffer)).toBe("ByCustomerAn")
    })

    it("JetBeginSessionW: a JET_ERR return declared unsigned turns an error into a warning", () => {
      const good = loopback(makeEngine().api)
      expect(good.JetBeginSession(JET_INSTANCE(2n), null, null).err).toBe(JET_errInvalidInstance)

      const bad = loopback(makeEngine().api, declaredWith(jetFunctions, { result: () => "uint32_t" }))
      const err = bad.JetBeginSession(JET_INSTANCE(2n), null, null).err
      expect(err).toBe(2 ** 32 + JET_errInvalidInstance)
      expect(err).toBeGreaterThan(0)
    })

    it("JetOpenTableW: an argument the JetApi cannot express (pvParameters) is refused by name", () => {
      const bad = loopback(
        makeEngine().api,
        declaredWith(jetFunctions, {
          around: {
            JetOpenTableW: (declared) => (...args) =>
              declared(args[0], args[1], args[2], new Uint8Array(8), 8, args[5], args[6])
          }
        })
      )
      expect(() => bad.JetOpenTable(JET_SESID(1n), JET_DBID(1), "Orders", 0)).toThrow(LoopbackError)
      expect(() => bad.JetOpenTable(JET_SESID(1n), JET_DBID(1), "Orders", 0)).toThrow(
        /JetOpenTableW: pvParameters/
      )
    })
  }
)
