/**
 * What the native binding costs: ns per call through `makeNativeJetApi` against the floor, a koffi call
 * of the same C function declared directly with pre-allocated arguments. Both call a "null" library
 * generated from the function table whose exports do nothing but return 0 and fill the scalar
 * outputs the binding reads, so the difference is the binding's own marshalling.
 *
 * The variants are interleaved within each round and the median of 251 rounds of ~2 ms samples is
 * reported, so a slow spell of the machine hits every variant rather than one. Target: the binding
 * at most 1.2× the raw call. What the Effect API costs over the raw `JetApi` is `effect-api.ts`'s.
 *
 * Run: `npm run bench:native` (or `node bench/native-overhead.ts`, `--json` for JSON lines, see
 * `report.ts`). Needs gcc.
 *
 * @module
 */
import koffi, { type LibraryHandle } from "koffi"
import { cpus, platform, release } from "node:os"
import type { JetApi } from "../src/jet/api.ts"
import { JET_MoveNext } from "../src/jet/constants.ts"
import { scalarType } from "../src/jet/ctypes.ts"
import { type JetFunction, jetFunction, jetFunctions } from "../src/jet/functions.ts"
import { JET_COLUMNID, JET_INSTANCE, JET_SESID, JET_TABLEID } from "../src/jet/handles.ts"
import { koffiTypeOf, makeNativeJetApi } from "../src/native/index.ts"
import { buildSharedLibrary, cPrelude, cPrototype } from "../test/support/c-abi.ts"
import { fail, median } from "./raw-records.ts"
import { emit, type Figure, figure, fixed, formatTable, nsSince, say } from "./report.ts"

/**
 * Part 1 takes many short samples: on a machine shared with other work, a sample that the process
 * spent waiting for a CPU is much slower than the rest, and the median over hundreds of samples
 * leaves those out where the median of a few long samples cannot (each long one has some).
 */
const CALL_ROUNDS = 251
/** Long enough per sample that timer resolution stays small against it, short enough to run unpreempted. */
const CALL_SAMPLE_MS = 2
const BINDING_TARGET = 1.2

// ---------------------------------------------------------------------------------------------
// Part 1: the native binding over a null library

/**
 * One export of the null library. Scalar out-pointers get a value the binding can use: a byte
 * count echoes the buffer size before it (as if the value filled the buffer), an element count is
 * 0 (so no array is read back), a handle is 1. Arrays (`prg…`) and structs stay untouched.
 */
const nullFunction = (fn: JetFunction): string => {
  const writes: Array<string> = []
  fn.params.forEach(([name, c, direction], i) => {
    if (direction !== "out" || !c.endsWith("*") || scalarType(c.slice(0, -1)) === undefined) return
    if (name.startsWith("prg")) return
    const size = fn.params.slice(0, i).findLast(([before]) => before.startsWith("cb"))
    const value = name.startsWith("pcb") ? size?.[0] ?? "0" : name.startsWith("pc") ? "0" : "1"
    writes.push(`  if (${name}) *${name} = ${value};`)
  })
  return `${cPrototype(fn)} {\n${writes.map((line) => `${line}\n`).join("")}  return 0;\n}\n`
}

const nullLibrarySource = (): string => `${cPrelude()}\n${jetFunctions.map(nullFunction).join("\n")}`

type RawFunction = (...args: ReadonlyArray<unknown>) => number

/**
 * Declares a function directly with koffi. The parameter types are spelled out here, and checked
 * against what the binding derives from the table, so the floor calls exactly the C signature the
 * binding calls.
 */
const declareRaw = (
  library: LibraryHandle,
  name: string,
  params: ReadonlyArray<string>
): RawFunction => {
  const fn = jetFunction(name) ?? fail("not in the function table", name)
  const derived = fn.params.map(([, c]) => koffiTypeOf(c))
  if (derived.join(",") !== params.join(",")) fail(`${name} declared differently`, derived.join(", "))
  return library.func(name, "int32_t", [...params]) as RawFunction
}

interface CallCase {
  readonly name: string
  /** Each runs `n` calls and returns a checksum of what came back, so no call can be dropped. */
  readonly binding: (n: number) => number
  readonly floor: (n: number) => number
  /** The checksum `n` calls must give on both sides. */
  readonly expected: (n: number) => number
}

const callCases = (api: JetApi, library: LibraryHandle): ReadonlyArray<CallCase> => {
  const raw = {
    beginSession: declareRaw(library, "JetBeginSessionW", ["uint64_t", "void *", "void *", "void *"]),
    endSession: declareRaw(library, "JetEndSession", ["uint64_t", "uint32_t"]),
    move: declareRaw(library, "JetMove", ["uint64_t", "uint64_t", "int32_t", "uint32_t"]),
    retrieveColumn: declareRaw(library, "JetRetrieveColumn", [
      "uint64_t",
      "uint64_t",
      "uint32_t",
      "void *",
      "uint32_t",
      "void *",
      "uint32_t",
      "void *"
    ]),
    setColumn: declareRaw(library, "JetSetColumn", [
      "uint64_t",
      "uint64_t",
      "uint32_t",
      "void *",
      "uint32_t",
      "uint32_t",
      "void *"
    ])
  }
  const instance = JET_INSTANCE(1n)
  const sesid = JET_SESID(1n)
  const tableid = JET_TABLEID(2n)
  const columnid = JET_COLUMNID(3)
  const small = new Uint8Array(4)
  const large = new Uint8Array(1024)
  const sesidOut = new BigUint64Array(1)
  const cbActual = new Uint32Array(1)

  const retrieve = (buffer: Uint8Array): Pick<CallCase, "binding" | "floor" | "expected"> => {
    const cb = buffer.byteLength
    return {
      binding: (n) => {
        let sum = 0
        for (let i = 0; i < n; i++) {
          sum += api.JetRetrieveColumn(sesid, tableid, columnid, buffer, cb, 0, null).cbActual
        }
        return sum
      },
      floor: (n) => {
        let sum = 0
        for (let i = 0; i < n; i++) {
          raw.retrieveColumn(sesid, tableid, columnid, buffer, cb, cbActual, 0, null)
          sum += cbActual[0]!
        }
        return sum
      },
      expected: (n) => n * cb
    }
  }

  return [
    {
      name: "session round trip",
      binding: (n) => {
        let sum = 0
        for (let i = 0; i < n; i++) {
          const begun = api.JetBeginSession(instance, null, null)
          sum += Number(begun.sesid) + api.JetEndSession(begun.sesid, 0).err
        }
        return sum
      },
      floor: (n) => {
        let sum = 0
        for (let i = 0; i < n; i++) {
          raw.beginSession(instance, sesidOut, null, null)
          const begun = sesidOut[0]!
          sum += Number(begun) + raw.endSession(begun, 0)
        }
        return sum
      },
      expected: (n) => n
    },
    {
      name: "JetMove",
      binding: (n) => {
        let sum = 0
        for (let i = 0; i < n; i++) sum += api.JetMove(sesid, tableid, JET_MoveNext, 0).err
        return sum
      },
      floor: (n) => {
        let sum = 0
        for (let i = 0; i < n; i++) sum += raw.move(sesid, tableid, JET_MoveNext, 0)
        return sum
      },
      expected: () => 0
    },
    { name: "JetRetrieveColumn 4 B", ...retrieve(small) },
    { name: "JetRetrieveColumn 1 KiB", ...retrieve(large) },
    {
      name: "JetSetColumn 4 B",
      binding: (n) => {
        let sum = 0
        for (let i = 0; i < n; i++) sum += api.JetSetColumn(sesid, tableid, columnid, small, 4, 0, null).err
        return sum
      },
      floor: (n) => {
        let sum = 0
        for (let i = 0; i < n; i++) sum += raw.setColumn(sesid, tableid, columnid, small, 4, 0, null)
        return sum
      },
      expected: () => 0
    }
  ]
}

const runCall = (run: (n: number) => number, n: number, expected: number, what: string): number => {
  const start = process.hrtime.bigint()
  const sum = run(n)
  const ns = nsSince(start)
  if (sum !== expected) fail(`${what} checksum`, `${sum}, expected ${expected}`)
  return ns / n
}

const benchCalls = async (): Promise<{ readonly table: string; readonly figures: ReadonlyArray<Figure> }> => {
  const path = await buildSharedLibrary(nullLibrarySource(), "libjetnull.so")
  const library = koffi.load(path)
  const api = makeNativeJetApi(library)
  const cases = callCases(api, library)

  // Warm-up doubles as calibration: one sample size per case, from the slower (binding) side.
  const sizes = cases.map((c) => {
    let n = 1_000
    let ns = 0
    while (ns < 30e6) {
      n *= 2
      const start = process.hrtime.bigint()
      c.binding(n)
      c.floor(n)
      ns = nsSince(start)
    }
    const perCall = ns / (2 * n)
    return Math.max(1_000, Math.round(CALL_SAMPLE_MS * 1e6 / perCall))
  })

  const samples = cases.map(() => ({ binding: [] as Array<number>, floor: [] as Array<number> }))
  for (let round = 0; round < CALL_ROUNDS; round++) {
    cases.forEach((c, i) => {
      const n = sizes[i]!
      const expected = c.expected(n)
      const sample = samples[i]!
      // Alternating which side goes first cancels a trend within the round.
      if (round % 2 === 0) {
        sample.binding.push(runCall(c.binding, n, expected, `${c.name} (binding)`))
        sample.floor.push(runCall(c.floor, n, expected, `${c.name} (floor)`))
      } else {
        sample.floor.push(runCall(c.floor, n, expected, `${c.name} (floor)`))
        sample.binding.push(runCall(c.binding, n, expected, `${c.name} (binding)`))
      }
    })
  }

  const medians = cases.map((c, i) => ({
    name: c.name,
    binding: median(samples[i]!.binding),
    floor: median(samples[i]!.floor)
  }))
  const rows = medians.map(({ binding, floor, name }) => [
    name,
    fixed(binding),
    fixed(floor),
    fixed(binding - floor),
    `${fixed(binding / floor, 2)}×`
  ])
  return {
    table: formatTable(
      [`ns/call (median of ${CALL_ROUNDS})`, "binding", "raw koffi", "difference", "binding/floor"],
      rows
    ),
    figures: medians.map(({ binding, floor, name }) =>
      figure({
        name: `native/${name}`,
        ours: binding,
        anchor: floor,
        unit: "ns/call",
        better: "lower",
        target: BINDING_TARGET
      })
    )
  }
}

// ---------------------------------------------------------------------------------------------

const started = process.hrtime.bigint()
say(`machine: ${cpus()[0]?.model ?? "unknown CPU"} (${cpus().length} threads), ${platform()} ${release()}`)
say(`node ${process.version}, koffi ${koffi.version}`)
say("Ratios are from one run on a possibly noisy machine: read them as rough, not exact.\n")

say("1. Native binding against a raw koffi call (null library: every export returns 0)")
const calls = await benchCalls()
say(calls.table)
emit(calls.figures)
say(`\ntotal ${fixed(nsSince(started) / 1e9)} s`)
