import { readFileSync } from "node:fs"
import { beforeAll, describe, expect, it } from "vitest"
import { scalarTypes } from "../../src/jet/ctypes.ts"
import { jetErrors } from "../../src/jet/errors.generated.ts"
import { type JetFunction, jetFunctions } from "../../src/jet/functions.ts"
import { type JetStructName, jetStructs, type StructField, structLayout } from "../../src/jet/structs.ts"
import {
  type AbiInputs,
  type AbiResult,
  compilerAvailable,
  compilerCommand,
  compilerPackage,
  generate,
  headerIdentifiers,
  headerPath,
  layoutFrom,
  parseDiagnostics,
  readmePath,
  realInputs,
  renderReadmeBlock,
  renderUnverified,
  runAbiCheck,
  unverifiedDocPath,
  withReadmeBlock
} from "./abi-check.ts"

const available = compilerAvailable()
const missing = `${compilerCommand} is not on PATH (Debian package ${compilerPackage})`

if (!available) {
  // Linux CI installs the cross compiler (.ci/run), so there its absence is a failure; the macOS and
  // Windows workflows run without it, and skip the check like any machine that lacks it.
  if (process.env["CI"] === "true" && process.platform === "linux") {
    describe("ABI check against mingw-w64 esent.h", () => {
      it("has the Windows cross compiler, which CI must run the check with", () => {
        expect.fail(`${missing}: CI must run the ABI check`)
      })
    })
  } else {
    console.warn(`Skipping the ABI check against esent.h: ${missing}`)
  }
}

describe("the ABI check's own layout rules", () => {
  it("lay out every struct as structLayout does", () => {
    const mirror = layoutFrom(jetStructs, scalarTypes)
    for (const name of Object.keys(jetStructs) as Array<JetStructName>) {
      const { size, fields } = structLayout(name)
      expect(mirror(name), name).toEqual({
        size,
        fields: fields.map(({ name, c, offset, size }) => ({ name, c, offset, size }))
      })
    }
  })

  it("read assertion failures and other errors out of GCC's diagnostics", () => {
    const source = 'int x;\n_Static_assert(y == 1, "JET_y: value 1");\n'
    const stderr = [
      "abi.c:2:16: error: 'y' undeclared here (not in a function)",
      'abi.c:7:1: error: static assertion failed: "JET_x: value 2"',
      'abi.c:8:2: error: #error "JetX: is a macro in esent.h, not the exported function"',
      "abi.c:9:1: note: something"
    ].join("\n")
    expect(parseDiagnostics(stderr, source)).toEqual({
      failures: ["JET_x: value 2", "JetX: is a macro in esent.h, not the exported function"],
      errors: ["JET_y: value 1: 'y' undeclared here (not in a function)"]
    })
  })
})

const replaceParam = (
  functions: ReadonlyArray<JetFunction>,
  name: string,
  edit: (params: ReadonlyArray<JetFunction["params"][number]>) => JetFunction["params"]
): ReadonlyArray<JetFunction> => functions.map((f) => f.name === name ? { name, params: edit(f.params) } : f)

describe.skipIf(!available)("ABI check against mingw-w64 esent.h", () => {
  let real: AbiInputs
  const runs = new Map<string, Promise<AbiResult>>()
  const run = (label: string): Promise<AbiResult> => {
    const result = runs.get(label)
    if (result === undefined) throw new Error(`no run ${label}`)
    return result
  }

  const mutations: Record<string, (inputs: AbiInputs) => AbiInputs> = {
    "struct field": (inputs) => {
      const structs: Record<string, ReadonlyArray<StructField>> = {
        ...inputs.structs,
        JET_RETRIEVECOLUMN: jetStructs.JET_RETRIEVECOLUMN.map(([name, c]) =>
          [name, name === "cbData" ? "JET_API_PTR" : c] as const
        )
      }
      return { ...inputs, structs, layout: layoutFrom(structs, inputs.ctypes) }
    },
    "parameter type": (inputs) => ({
      ...inputs,
      functions: replaceParam(
        inputs.functions,
        "JetRetrieveColumn",
        (params) => params.map((p) => p[0] === "cbData" ? ["cbData", "JET_API_PTR"] as const : p)
      )
    }),
    "parameter dropped": (inputs) => ({
      ...inputs,
      functions: replaceParam(inputs.functions, "JetRetrieveColumn", (params) => params.slice(0, -1))
    }),
    "macro name": (inputs) => ({
      ...inputs,
      functions: inputs.functions.map((f) =>
        f.name === "JetBeginSessionW" ? { ...f, name: "JetBeginSession" } : f
      )
    }),
    "enum constant": (inputs) => ({ ...inputs, constants: { ...inputs.constants, JET_coltypLong: 5 } }),
    "macro constant": (inputs) => ({ ...inputs, constants: { ...inputs.constants, JET_bitDbReadOnly: 2 } }),
    "error code": (inputs) => ({ ...inputs, errors: { ...inputs.errors, JET_errWriteConflict: -1103 } }),
    "width table": (inputs) => {
      const ctypes = {
        ...inputs.ctypes,
        "unsigned long": { kind: "scalar", size: 8, signed: false } as const
      }
      return { ...inputs, ctypes, layout: layoutFrom(inputs.structs, ctypes) }
    }
  }

  beforeAll(() => {
    real = realInputs(readFileSync(headerPath(), "utf8"))
    // Every compile starts now and runs concurrently; each test awaits its own.
    runs.set("real", runAbiCheck(real))
    for (const [label, mutate] of Object.entries(mutations)) runs.set(label, runAbiCheck(mutate(real)))
    // Keeps a failed compile from surfacing as an unhandled rejection before its test awaits it.
    for (const result of runs.values()) result.catch(() => undefined)
  })

  it("finds every declaration the header has in agreement with it", async () => {
    const { failures, errors, generated } = await run("real")
    expect(failures).toEqual([])
    expect(errors).toEqual([])
    expect(generated.checked.functions).toEqual(jetFunctions.map((f) => f.name))
    expect(generated.checked.structs).toEqual(Object.keys(jetStructs))
    expect(generated.checked.ctypes).toEqual(Object.keys(scalarTypes))
    const { checked } = generated
    console.log(
      `ABI check: ${checked.functions.length} functions, ${checked.structs.length} structs, `
        + `${checked.ctypes.length} C types, ${checked.constants.length} constants, `
        + `${checked.parameters.length} system parameters, ${checked.errors.length} error codes verified `
        + `(${generated.assertions} assertions)`
    )
    for (const reason of ["header defect", "not in header"] as const) {
      const items = generated.unverified.filter((u) => u.reason === reason)
      console.log(
        `Unverified, ${reason} (${items.length}):\n`
          + items.map((u) => `  ${u.item}${reason === "header defect" ? ` (${u.detail})` : ""}`).join("\n")
      )
    }
  })

  it("agrees with the catalogue on which error codes the header declares", () => {
    const known = headerIdentifiers(real.header)
    const disagreeing = jetErrors.filter((e) => e.inMingwHeader !== known.has(e.name)).map((e) => e.name)
    expect(disagreeing).toEqual([])
  })

  it("reports a function or struct the header lacks instead of skipping it", () => {
    const generated = generate({
      ...real,
      functions: [...real.functions, { name: "JetNoSuchFunction", params: [] }],
      structs: { ...real.structs, JET_NOSUCHSTRUCT: [["cbStruct", "unsigned long"]] },
      layout: layoutFrom({ ...real.structs, JET_NOSUCHSTRUCT: [["cbStruct", "unsigned long"]] }, real.ctypes)
    })
    expect(generated.problems).toEqual([
      "JetNoSuchFunction: not declared in esent.h",
      "JET_NOSUCHSTRUCT: not declared in esent.h"
    ])
  })

  describe("bites on a wrong declaration", () => {
    const failuresOf = async (label: string): Promise<ReadonlyArray<string>> => {
      const { failures, errors } = await run(label)
      expect(errors).toEqual([])
      expect(failures.length).toBeGreaterThan(0)
      return failures
    }

    it("a struct field of the wrong width", async () => {
      const failures = await failuresOf("struct field")
      expect(failures).toContain("JET_RETRIEVECOLUMN.cbData: size 8")
      expect(failures).toContain("JET_RETRIEVECOLUMN.cbData: type JET_API_PTR")
      expect(failures.every((f) => f.startsWith("JET_RETRIEVECOLUMN"))).toBe(true)
    })

    it("a function parameter of the wrong type", async () => {
      const failures = await failuresOf("parameter type")
      expect(failures).toEqual([
        "JetRetrieveColumn: parameter count and types (JET_SESID, JET_TABLEID, JET_COLUMNID, void*, "
        + "JET_API_PTR, unsigned long*, JET_GRBIT, JET_RETINFO*)"
      ])
    })

    it("a function parameter missing", async () => {
      const failures = await failuresOf("parameter dropped")
      expect(failures).toHaveLength(1)
      expect(failures[0]).toMatch(/^JetRetrieveColumn: parameter count and types /)
    })

    it("a function bound by its A/W macro name instead of the exported one", async () => {
      const failures = await failuresOf("macro name")
      expect(failures).toContain("JetBeginSession: is a macro in esent.h, not the exported function")
      expect(failures.every((f) => f.startsWith("JetBeginSession: "))).toBe(true)
    })

    it("a constant value, from an enum or a macro", async () => {
      expect(await failuresOf("enum constant")).toEqual(["JET_coltypLong: value 5"])
      expect(await failuresOf("macro constant")).toEqual(["JET_bitDbReadOnly: value 2"])
    })

    it("an error code value", async () => {
      expect(await failuresOf("error code")).toEqual(["JET_errWriteConflict: value -1103"])
    })

    it("a wrong width table entry", async () => {
      const failures = await failuresOf("width table")
      expect(failures).toContain("C type unsigned long: size 8")
      expect(failures).toContain("JetRetrieveColumn: parameter 5 cbData size 8")
      expect(failures).toContain("JET_RETRIEVECOLUMN.cbData: size 8")
    })
  })

  it("keeps docs/abi-unverified.md current", () => {
    const expected = renderUnverified(generate(real))
    const committed = readFileSync(unverifiedDocPath, "utf8")
    expect(
      committed === expected,
      "docs/abi-unverified.md is stale: run `bash .ci/with-node node test/abi/write-unverified.ts`"
    ).toBe(true)
  })

  it("keeps the README's list of unverified items current", () => {
    const readme = readFileSync(readmePath, "utf8")
    expect(
      withReadmeBlock(readme, renderReadmeBlock(generate(real))) === readme,
      "README.md's abi-unverified block is stale: run `bash .ci/with-node node test/abi/write-unverified.ts`"
    ).toBe(true)
  })
})
