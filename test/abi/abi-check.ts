/**
 * Checks our JET declarations against mingw-w64's esent.h by compiling one C translation unit of
 * `_Static_assert`s with the Windows cross compiler. Nothing here runs on Windows: the compiler
 * evaluates every `sizeof`, `offsetof` and type comparison under the Windows x64 ABI, so a wrong
 * width, offset, spelling or value becomes a named compile failure.
 *
 * Everything is a pure function of its inputs (the declarations and the header's text) except
 * {@link compile} and the compiler probes, so tests can feed deliberately wrong declarations.
 *
 * @module
 */
import { execFile, spawnSync } from "node:child_process"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import * as jetConstants from "../../src/jet/constants.ts"
import { isPointerType, type ScalarType, scalarTypes } from "../../src/jet/ctypes.ts"
import { jetErrorAliases, jetErrors } from "../../src/jet/errors.generated.ts"
import { type JetFunction, jetFunctions } from "../../src/jet/functions.ts"
import { jetSystemParameters } from "../../src/jet/params.ts"
import { type JetStructName, jetStructs, type StructField, structLayout } from "../../src/jet/structs.ts"

/** The Windows x64 cross compiler (Debian package `gcc-mingw-w64-x86-64-win32`). */
export const compilerCommand = "x86_64-w64-mingw32-gcc"

/** The Debian package that provides {@link compilerCommand}. */
export const compilerPackage = "gcc-mingw-w64-x86-64-win32"

const pointerSize = 8

/** GCC's `__builtin_classify_type` answers (typeclass.h); enums classify as integers in C. */
const typeClass = { integer: 1, real: 8, pointer: 5 } as const

/** The size and field offsets the generator asserts for one struct. */
export interface LayoutLike {
  readonly size: number
  readonly fields: ReadonlyArray<
    { readonly name: string; readonly c: string; readonly offset: number; readonly size: number }
  >
}

/** Everything the generated C is derived from. */
export interface AbiInputs {
  readonly functions: ReadonlyArray<JetFunction>
  readonly structs: Readonly<Record<string, ReadonlyArray<StructField>>>
  /** The layout whose `sizeof`/`offsetof` the header must reproduce. */
  readonly layout: (name: string) => LayoutLike
  /** Numeric constants by C name. */
  readonly constants: Readonly<Record<string, number>>
  /** System parameter ids by C name. */
  readonly parameters: Readonly<Record<string, number>>
  /** Error and warning codes by C name, aliases included. */
  readonly errors: Readonly<Record<string, number>>
  /** The width table: size and signedness of every scalar C spelling. */
  readonly ctypes: Readonly<Record<string, ScalarType>>
  /** The text of esent.h, used to tell which names the header declares. */
  readonly header: string
}

/**
 * A place where mingw-w64's esent.h disagrees with the Windows SDK's, so the header cannot confirm
 * our (SDK-conforming) declaration. The listed checks are not made; instead the generator asserts
 * that the defect is still there, so that a fixed header makes the entry fail and get removed.
 */
export interface HeaderDefect {
  /** A struct (`JET_X`) or struct field (`JET_X.field`). */
  readonly item: string
  readonly checks: ReadonlyArray<"size" | "type">
  readonly reason: string
}

/**
 * Our declarations follow the Windows SDK's esent.h (and the engine's own header) where mingw-w64
 * departs from it; each entry says how.
 */
export const knownHeaderDefects: ReadonlyArray<HeaderDefect> = [
  {
    item: "JET_ENUMCOLUMN",
    checks: ["size"],
    reason: "mingw-w64 declares rgEnumColumnValue as a JET_ENUMCOLUMNVALUE by value instead of a pointer "
      + "(Windows SDK: JET_ENUMCOLUMNVALUE*; the by-value form is a slip in the code block of Microsoft's "
      + "JET_ENUMCOLUMN page), which makes the struct 40 bytes instead of 24"
  },
  {
    item: "JET_ENUMCOLUMN.rgEnumColumnValue",
    checks: ["size", "type"],
    reason: "mingw-w64 declares it as a JET_ENUMCOLUMNVALUE by value (24 bytes) instead of a pointer; "
      + "its offset (16) is still checked"
  },
  {
    item: "JET_INDEXCREATE_W.rgconditionalcolumn",
    checks: ["type"],
    reason: "mingw-w64 types the wide struct's field as JET_CONDITIONALCOLUMN*, which without UNICODE is the "
      + "narrow JET_CONDITIONALCOLUMN_A*; a pointer either way, so its size and offset are still checked"
  }
]

/**
 * Fields that mingw-w64 reaches by another member designator than the Windows SDK. These are fully
 * checked, through the header's spelling.
 */
export const headerMemberNames: ReadonlyArray<
  { readonly item: string; readonly member: string; readonly reason: string }
> = [
  {
    item: "JET_ENUMCOLUMN.cEnumColumnValue",
    member: "DUMMYNIONNAME1.cEnumColumnValue",
    reason: "the union is misspelled DUMMYNIONNAME1, which no macro erases, so it is a named member"
  },
  {
    item: "JET_ENUMCOLUMN.rgEnumColumnValue",
    member: "DUMMYNIONNAME1.rgEnumColumnValue",
    reason: "the union is misspelled DUMMYNIONNAME1, which no macro erases, so it is a named member"
  },
  {
    item: "JET_CONVERT_W.szOldDll",
    member: "SzOldDll",
    reason: "mingw-w64 capitalizes the field name; the Windows SDK spells it szOldDll"
  }
]

/**
 * Functions whose exported name mingw-w64 also `#define`s to something else. The prototype under
 * the real name comes before the macro, so the generated unit `#undef`s the macro and checks it.
 * Any other function name that is a macro fails the check, since it would compare another function.
 */
export const headerFunctionMacros: ReadonlyArray<{ readonly item: string; readonly reason: string }> = [
  {
    item: "JetGetTableColumnInfoW",
    reason: "mingw-w64 defines it as __MINGW_NAME_AW(JetGetTableColumnInfo), which without UNICODE names "
      + "JetGetTableColumnInfoA; its own W prototype is checked after an #undef"
  }
]

/** Why an item could not be verified against the header. */
export type UnverifiedReason = "not in header" | "header defect"

/** Which declaration table an item comes from. */
export type ItemSource = "constant" | "system parameter" | "error code" | "struct"

export interface Unverified {
  /** The name, or for a defect the check, e.g. `JET_ENUMCOLUMN.rgEnumColumnValue: size`. */
  readonly item: string
  readonly source: ItemSource
  readonly reason: UnverifiedReason
  /** The value we declare (constants, parameters, error codes) or the defect's explanation. */
  readonly detail: string
}

/** The generated translation unit and what it covers. */
export interface Generated {
  readonly source: string
  /** Names of the items that have assertions in {@link source}, by table. */
  readonly checked: {
    readonly functions: ReadonlyArray<string>
    readonly structs: ReadonlyArray<string>
    readonly constants: ReadonlyArray<string>
    readonly parameters: ReadonlyArray<string>
    readonly errors: ReadonlyArray<string>
    readonly ctypes: ReadonlyArray<string>
  }
  readonly assertions: number
  readonly unverified: ReadonlyArray<Unverified>
  /** Failures found before compiling, e.g. a function the header does not declare. */
  readonly problems: ReadonlyArray<string>
}

/** What compiling a {@link Generated} unit found. */
export interface CompileResult {
  /** Messages of the failed static assertions. */
  readonly failures: ReadonlyArray<string>
  /** Every other compiler error, verbatim (with the item when the line holds an assertion). */
  readonly errors: ReadonlyArray<string>
}

/** A full run: the generated unit and its compile result, with pre-compile problems as failures. */
export interface AbiResult extends CompileResult {
  readonly generated: Generated
}

/** Every identifier of a C header outside comments: macros, enum members, typedefs, functions. */
export const headerIdentifiers = (header: string): ReadonlySet<string> => {
  const code = header.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/\/\/[^\n]*/g, " ")
  return new Set(code.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [])
}

/**
 * The Windows x64 layout of a struct table under a width table. The same rules as
 * `structLayout` of src/jet/structs.ts, which only knows the real tables; a test proves the two
 * agree, so that layouts of deliberately wrong tables are what `structLayout` would compute.
 */
export const layoutFrom = (
  structs: Readonly<Record<string, ReadonlyArray<StructField>>>,
  ctypes: Readonly<Record<string, ScalarType>>
) =>
(name: string): LayoutLike => {
  const table = structs[name]
  if (table === undefined) throw new Error(`no struct ${name}`)
  let offset = 0
  let align = 1
  const fields: Array<LayoutLike["fields"][number]> = []
  for (const [fieldName, c] of table) {
    const { size, align: fieldAlign } = fieldSizeAlign(c, ctypes)
    offset = Math.ceil(offset / fieldAlign) * fieldAlign
    fields.push({ name: fieldName, c, offset, size })
    offset += size
    align = Math.max(align, fieldAlign)
  }
  return { size: Math.ceil(offset / align) * align, fields }
}

const fieldSizeAlign = (
  c: string,
  ctypes: Readonly<Record<string, ScalarType>>
): { readonly size: number; readonly align: number } => {
  const scalar = Object.hasOwn(ctypes, c) ? ctypes[c] : undefined
  if (scalar !== undefined) return { size: scalar.size, align: scalar.size }
  if (isPointerType(c)) return { size: pointerSize, align: pointerSize }
  const array = /^(WCHAR|char)\[(\d+)\]$/.exec(c)
  if (array !== null) {
    const unit = array[1] === "WCHAR" ? 2 : 1
    return { size: unit * Number(array[2]), align: unit }
  }
  throw new Error(`no layout for C type ${c}`)
}

/** The declarations of src/jet, as the generator takes them. */
export const realInputs = (header: string): AbiInputs => {
  const constants: Record<string, number> = {}
  // Sorted because module namespaces list their exports in an order that depends on the loader.
  const exported = Object.entries(jetConstants).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
  for (const [name, value] of exported) {
    if (typeof value === "number") constants[name] = value
  }
  const parameters: Record<string, number> = {}
  for (const [name, { id }] of Object.entries(jetSystemParameters)) parameters[name] = id
  const errors: Record<string, number> = {}
  for (const { name, value } of jetErrors) errors[name] = value
  for (const [alias, target] of Object.entries(jetErrorAliases)) {
    const value = errors[target]
    if (value === undefined) throw new Error(`error alias ${alias} names unknown ${target}`)
    errors[alias] = value
  }
  return {
    functions: jetFunctions,
    structs: jetStructs,
    layout: (name) => {
      if (!Object.hasOwn(jetStructs, name)) throw new Error(`no struct ${name}`)
      return structLayout(name as JetStructName)
    },
    constants,
    parameters,
    errors,
    ctypes: scalarTypes,
    header
  }
}

/** A 32-bit value as the unsigned C literal with the same bit pattern. */
const bits32 = (value: number): string => `0x${(value >>> 0).toString(16).toUpperCase()}u`

const isInt32Pattern = (value: number): boolean =>
  Number.isInteger(value) && value >= -0x8000_0000 && value <= 0xFFFF_FFFF

/** Generates the C translation unit that checks `inputs` against esent.h. */
export const generate = (inputs: AbiInputs): Generated => {
  const known = headerIdentifiers(inputs.header)
  const lines: Array<string> = []
  const problems: Array<string> = []
  const unverified: Array<Unverified> = []
  const checked = {
    functions: [] as Array<string>,
    structs: [] as Array<string>,
    constants: [] as Array<string>,
    parameters: [] as Array<string>,
    errors: [] as Array<string>,
    ctypes: [] as Array<string>
  }
  let assertions = 0
  const assert = (expr: string, message: string): void => {
    assertions++
    lines.push(`_Static_assert(${expr}, "${message.replace(/[\\"]/g, "\\$&")}");`)
  }
  const scalar = (c: string): ScalarType | undefined =>
    Object.hasOwn(inputs.ctypes, c) ? inputs.ctypes[c] : undefined
  const scalarChecks = (c: string, expr: string, what: string, t: ScalarType): void => {
    assert(`sizeof(${expr}) == ${t.size}`, `${what} size ${t.size}`)
    assert(
      `((__typeof__(${expr}))-1 < (__typeof__(${expr}))0) == ${t.signed ? 1 : 0}`,
      `${what} ${t.signed ? "signed" : "unsigned"}`
    )
    const cls = t.float === true ? typeClass.real : typeClass.integer
    assert(
      `__builtin_classify_type((__typeof__(${expr}))0) == ${cls}`,
      `${what} ${t.float === true ? "floating point" : "integer"} (${c})`
    )
  }

  lines.push(
    // esent.h needs only the base types; the rest of windows.h would double the compile time.
    "#define WIN32_LEAN_AND_MEAN",
    "#include <windows.h>",
    // The ids of the session parameters and the newer column types are behind version guards; we
    // bind the Windows 10 API, so pin the version rather than inherit WINVER.
    "#define JET_VERSION 0x0A00",
    "#include <esent.h>",
    "#include <stddef.h>",
    ""
  )

  lines.push("/* The width table, under the header's typedefs */")
  for (const [c, t] of Object.entries(inputs.ctypes)) {
    checked.ctypes.push(c)
    scalarChecks(c, c, `C type ${c}:`, t)
  }
  lines.push("")

  lines.push("/* Functions */")
  const functionMacros = new Set(headerFunctionMacros.map((m) => m.item))
  for (const item of functionMacros) {
    if (!inputs.functions.some((f) => f.name === item)) {
      problems.push(`${item}: listed as a header quirk but not one of our declarations`)
    }
  }
  for (const f of inputs.functions) {
    if (!known.has(f.name)) {
      problems.push(`${f.name}: not declared in esent.h`)
      continue
    }
    checked.functions.push(f.name)
    if (functionMacros.has(f.name)) {
      lines.push(
        `#ifndef ${f.name}`,
        `#error "${f.name}: known header quirk (a macro) is gone, check it again"`,
        "#endif",
        `#undef ${f.name}`
      )
    } else {
      lines.push(
        `#ifdef ${f.name}`,
        `#error "${f.name}: is a macro in esent.h, not the exported function"`,
        "#endif"
      )
    }
    const err = scalar("JET_ERR")
    if (err === undefined) {
      problems.push("C type JET_ERR: missing from the width table")
    } else {
      // An unprototyped function type is compatible with any prototype of the same return type, as
      // long as no parameter is narrower than int (none of the JET API's is), so this isolates it.
      assert(
        `__builtin_types_compatible_p(__typeof__(&${f.name}), JET_ERR (JET_API *)())`,
        `${f.name}: returns JET_ERR`
      )
      assert(`sizeof(JET_ERR) == ${err.size}`, `${f.name}: return type size ${err.size}`)
      assert(`((JET_ERR)-1 < (JET_ERR)0) == ${err.signed ? 1 : 0}`, `${f.name}: return type signed`)
    }
    const params = f.params.length === 0 ? "void" : f.params.map(([, c]) => c).join(", ")
    assert(
      `__builtin_types_compatible_p(__typeof__(&${f.name}), JET_ERR (JET_API *)(${params}))`,
      `${f.name}: parameter count and types (${params})`
    )
    f.params.forEach(([name, c], i) => {
      const what = `${f.name}: parameter ${i + 1} ${name}`
      const t = scalar(c)
      if (t !== undefined) {
        scalarChecks(c, c, what, t)
      } else if (isPointerType(c)) {
        assert(`sizeof(${c}) == ${pointerSize}`, `${what} size ${pointerSize}`)
        assert(`__builtin_classify_type((${c})0) == ${typeClass.pointer}`, `${what} pointer (${c})`)
      } else {
        problems.push(`${what}: C type ${c} is neither in the width table nor a pointer`)
      }
    })
  }
  lines.push("")

  lines.push("/* Structs */")
  const defects = new Map(knownHeaderDefects.map((d) => [d.item, d]))
  const members = new Map(headerMemberNames.map((m) => [m.item, m.member]))
  for (const item of [...defects.keys(), ...members.keys()]) {
    const [struct, field] = item.split(".")
    const fields = struct === undefined ? undefined : inputs.structs[struct]
    if (fields === undefined || (field !== undefined && !fields.some(([n]) => n === field))) {
      problems.push(`${item}: listed as a header quirk but not one of our declarations`)
    }
  }
  const skipped = (item: string, check: "size" | "type", stillWrong: string): boolean => {
    const defect = defects.get(item)
    if (defect === undefined || !defect.checks.includes(check)) return false
    unverified.push({
      item: `${item}: ${check}`,
      source: "struct",
      reason: "header defect",
      detail: defect.reason
    })
    assert(stillWrong, `${item}: known header defect (${check}) is gone, check it again`)
    return true
  }
  for (const name of Object.keys(inputs.structs)) {
    if (!known.has(name)) {
      problems.push(`${name}: not declared in esent.h`)
      continue
    }
    checked.structs.push(name)
    const layout = inputs.layout(name)
    if (!skipped(name, "size", `sizeof(${name}) != ${layout.size}`)) {
      assert(`sizeof(${name}) == ${layout.size}`, `${name}: size ${layout.size}`)
    }
    for (const field of layout.fields) {
      const item = `${name}.${field.name}`
      const member = `((${name}*)0)->${members.get(item) ?? field.name}`
      assert(
        `offsetof(${name}, ${members.get(item) ?? field.name}) == ${field.offset}`,
        `${item}: offset ${field.offset}`
      )
      if (!skipped(item, "size", `sizeof(${member}) != ${field.size}`)) {
        assert(`sizeof(${member}) == ${field.size}`, `${item}: size ${field.size}`)
      }
      const compatible = `__builtin_types_compatible_p(__typeof__(${member}), ${field.c})`
      if (!skipped(item, "type", `!${compatible}`)) assert(compatible, `${item}: type ${field.c}`)
      const t = scalar(field.c)
      if (t !== undefined) {
        assert(
          `((__typeof__(${member}))-1 < (__typeof__(${member}))0) == ${t.signed ? 1 : 0}`,
          `${item}: ${t.signed ? "signed" : "unsigned"}`
        )
      }
    }
  }
  lines.push("")

  const values = (
    title: string,
    table: Readonly<Record<string, number>>,
    source: ItemSource,
    into: Array<string>,
    what: string
  ): void => {
    lines.push(`/* ${title} */`)
    for (const [name, value] of Object.entries(table)) {
      if (!isInt32Pattern(value)) {
        problems.push(`${name}: ${what} ${value} is not a 32-bit integer`)
      } else if (known.has(name)) {
        into.push(name)
        // Compared as 32-bit patterns: C has JET_MoveFirst as 0x80000000, we have it as a signed long.
        assert(`(unsigned int)(${name}) == ${bits32(value)}`, `${name}: ${what} ${value}`)
      } else {
        unverified.push({ item: name, source, reason: "not in header", detail: String(value) })
      }
    }
    lines.push("")
  }
  values("Constants", inputs.constants, "constant", checked.constants, "value")
  values("System parameters", inputs.parameters, "system parameter", checked.parameters, "id")
  values("Error codes", inputs.errors, "error code", checked.errors, "value")

  return { source: lines.join("\n"), checked, assertions, unverified, problems }
}

/** Whether the cross compiler can be started. */
export const compilerAvailable = (): boolean => {
  const probe = spawnSync(compilerCommand, ["--version"], { stdio: "ignore" })
  return probe.error === undefined && probe.status === 0
}

/** The path of the esent.h the cross compiler includes, asked of the compiler itself. */
export const headerPath = (): string => {
  const deps = spawnSync(compilerCommand, ["-x", "c", "-M", "-"], {
    input: "#include <windows.h>\n#include <esent.h>\n",
    encoding: "utf8"
  })
  if (deps.status !== 0) throw new Error(`${compilerCommand} cannot find esent.h: ${deps.stderr}`)
  const path = deps.stdout.split(/[\s\\]+/).find((p) => /[/\\]esent\.h$/i.test(p))
  if (path === undefined) throw new Error(`${compilerCommand} -M did not list esent.h`)
  return path
}

/** Reads the failed assertions and other errors out of GCC's diagnostics. */
export const parseDiagnostics = (stderr: string, source: string): CompileResult => {
  const sourceLines = source.split("\n")
  const failures: Array<string> = []
  const errors: Array<string> = []
  for (const line of stderr.split("\n")) {
    const failed = /: (?:fatal )?error: (?:static assertion failed: |#error )"(.*)"\s*$/.exec(line)
    if (failed?.[1] !== undefined) {
      failures.push(failed[1].replace(/\\(.)/g, "$1"))
      continue
    }
    const error = /^(.*?):(\d+):\d+: (?:fatal )?error: (.*)$/.exec(line)
    if (error === null) continue
    const at = sourceLines[Number(error[2]) - 1]
    const message = at === undefined ? undefined : /, "(.*)"\);$/.exec(at)?.[1]
    errors.push(message === undefined ? line : `${message}: ${error[3]}`)
  }
  return { failures, errors }
}

const execFileAsync = promisify(execFile)

/** Compiles a generated unit (syntax and constant evaluation only) and reports what failed. */
export const compile = async (source: string): Promise<CompileResult> => {
  const dir = await mkdtemp(join(tmpdir(), "abi-check-"))
  try {
    const file = join(dir, "abi.c")
    await writeFile(file, source)
    try {
      await execFileAsync(
        compilerCommand,
        ["-fsyntax-only", "-x", "c", "-std=gnu11", "-fmax-errors=0", "-fno-diagnostics-show-caret", file],
        {
          env: { ...process.env, LC_ALL: "C" },
          maxBuffer: 64 * 1024 * 1024
        }
      )
      return { failures: [], errors: [] }
    } catch (cause) {
      const stderr = (cause as { readonly stderr?: unknown }).stderr
      if (typeof stderr !== "string" || stderr === "") throw cause
      const result = parseDiagnostics(stderr, source)
      if (result.failures.length === 0 && result.errors.length === 0) {
        return { failures: [], errors: [stderr] }
      }
      return result
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Generates and compiles; problems found while generating count as failures. */
export const runAbiCheck = async (inputs: AbiInputs): Promise<AbiResult> => {
  const generated = generate(inputs)
  const result = await compile(generated.source)
  return { generated, failures: [...generated.problems, ...result.failures], errors: result.errors }
}

const sourceTitles: Readonly<Record<ItemSource, string>> = {
  "constant": "Constants (src/jet/constants.ts)",
  "system parameter": "System parameters (src/jet/params.ts)",
  "error code": "Error codes (src/jet/errors.generated.ts)",
  "struct": "Structs (src/jet/structs.ts)"
}

/** The text of docs/abi-unverified.md for a generated unit. */
export const renderUnverified = (generated: Generated): string => {
  const { checked, unverified } = generated
  const out: Array<string> = [
    "# What the Windows header does not verify",
    "",
    "<!-- Written by `bash .ci/with-node node test/abi/write-unverified.ts`; test/abi/abi.test.ts fails when it is stale. -->",
    "",
    "`test/abi` compiles our declarations against mingw-w64's `esent.h` with the Windows x64 cross",
    "compiler: every function's prototype, every struct's size and field offsets, the width and",
    "signedness of every C type we use, and the value of every constant, system parameter and error",
    "code the header declares. The compiler lays the structs out and evaluates the constants exactly as",
    "a Windows build would, so a check that passes there holds against that header.",
    "",
    "What follows escaped that check. mingw-w64 writes its header independently of Microsoft and",
    "leaves out much of the newer API (most grbits, the info levels, many error codes), so those values",
    "rest only on the sources our declarations cite: Microsoft's documentation and the open-source",
    "engine's header. In a few places the header itself disagrees with the Windows SDK; there the check",
    "verifies what it can and asserts that the defect is still present, so that a corrected header",
    "makes the test ask for this list to shrink.",
    "",
    `Checked: ${checked.functions.length} functions, ${checked.structs.length} structs, `
    + `${checked.ctypes.length} C types, ${checked.constants.length} constants, `
    + `${checked.parameters.length} system parameters and ${checked.errors.length} error codes.`,
    ""
  ]
  const reasons: ReadonlyArray<readonly [UnverifiedReason, string]> = [
    ["header defect", "Header defects"],
    ["not in header", "Not declared by the header"]
  ]
  for (const [reason, title] of reasons) {
    const items = unverified.filter((u) => u.reason === reason)
    out.push(`## ${title} (${items.length})`, "")
    if (items.length === 0) out.push("None.", "")
    for (const source of Object.keys(sourceTitles) as Array<ItemSource>) {
      const group = items.filter((u) => u.source === source)
      if (group.length === 0) continue
      out.push(`### ${sourceTitles[source]} (${group.length})`, "")
      for (const u of group) {
        out.push(
          reason === "header defect" ? `- \`${u.item}\`: ${u.detail}.` : `- \`${u.item}\` = ${u.detail}`
        )
      }
      out.push("")
    }
  }
  out.push(
    "## Checked despite a header quirk",
    "",
    "These are verified, but mingw-w64 spells them differently from the Windows SDK, so the check",
    "works around the header:",
    ""
  )
  for (const m of headerFunctionMacros) out.push(`- \`${m.item}\`: ${m.reason}.`)
  for (const m of headerMemberNames) out.push(`- \`${m.item}\`, reached as \`${m.member}\`: ${m.reason}.`)
  out.push("")
  return out.join("\n")
}

/** Where {@link renderUnverified}'s text is committed. */
export const unverifiedDocPath = new URL("../../docs/abi-unverified.md", import.meta.url)

/**
 * The README's block between its abi-unverified markers: how many items the header cannot verify,
 * by reason, and the link to docs/abi-unverified.md, which lists each of them.
 */
export const renderReadmeBlock = (generated: Generated): string => {
  const count = (reason: UnverifiedReason) => generated.unverified.filter((u) => u.reason === reason).length
  return [
    // Blank lines around the sentence, as dprint formats Markdown.
    "<!-- abi-unverified:start -->",
    "",
    `The header cannot verify ${count("not in header")} names it does not declare and ${
      count("header defect")
    } items where it has a defect; [docs/abi-unverified.md](docs/abi-unverified.md) lists each one with its value and the reason.`,
    "",
    "<!-- abi-unverified:end -->"
  ].join("\n")
}

/** The README with its abi-unverified block replaced by `block`. */
export const withReadmeBlock = (readme: string, block: string): string =>
  readme.replace(/<!-- abi-unverified:start -->[\s\S]*<!-- abi-unverified:end -->/, block)

/** Where the README is. */
export const readmePath = new URL("../../README.md", import.meta.url).pathname
