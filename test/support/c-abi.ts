/**
 * C source derived from the function table, for test libraries that export the JET ABI on Linux:
 * typedefs with the Windows widths of `ctypes.ts`, and a prototype per function.
 */
import { execFile, spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { promisify } from "node:util"
import { scalarTypes } from "../../src/jet/ctypes.ts"
import type { JetFunction } from "../../src/jet/functions.ts"

const fixedWidth = (size: number, signed: boolean, float: boolean): string =>
  float ? "double" : `${signed ? "int" : "uint"}${size * 8}_t`

/**
 * The prelude: one typedef per scalar type with its Windows width (so `long` is 32-bit here too),
 * WCHAR as a 16-bit unit, and every other pointed-to type opaque.
 */
export const cPrelude = (): string => {
  const lines = ["#include <stdint.h>", "#include <stddef.h>", "typedef uint16_t WCHAR;"]
  for (const [name, type] of Object.entries(scalarTypes)) {
    if (name.includes(" ") || name === "char" || name === "long") continue
    lines.push(`typedef ${fixedWidth(type.size, type.signed, "float" in type)} ${name};`)
  }
  lines.push("typedef const WCHAR* JET_PCWSTR;", "typedef WCHAR* JET_PWSTR;")
  lines.push("typedef void* JET_PFNSTATUS;", "typedef void* JET_CALLBACK;", "typedef void* JET_PFNREALLOC;")
  return lines.join("\n") + "\n"
}

const preludeNames = new Set([
  "WCHAR",
  "JET_PCWSTR",
  "JET_PWSTR",
  "JET_PFNSTATUS",
  "JET_CALLBACK",
  "JET_PFNREALLOC",
  "char",
  "void"
])
const lp64Rewrites: Readonly<Record<string, string>> = {
  "unsigned long": "uint32_t",
  "long": "int32_t",
  "unsigned short": "uint16_t",
  "unsigned char": "uint8_t"
}

/**
 * Rewrites a C spelling of the table for the LP64 compiler: Windows `long` becomes a 32-bit type, and
 * pointers to structs become `void*` (their bytes are laid out by `structLayout`, not by C here).
 */
export const linuxSpelling = (c: string): string => {
  const match = /^(const )?([\w ]+?)(\**)$/.exec(c)
  if (match === null) throw new Error(`unexpected C spelling ${c}`)
  const [, constness = "", base = "", stars = ""] = match
  const mapped = lp64Rewrites[base]
    ?? (Object.hasOwn(scalarTypes, base) || preludeNames.has(base) ? base : "void")
  return `${constness}${mapped}${stars}`
}

/** The C declaration of a table function, e.g. `JET_ERR JetEndSession(JET_SESID sesid, JET_GRBIT grbit)`. */
export const cPrototype = (fn: JetFunction): string =>
  `JET_ERR ${fn.name}(${fn.params.map(([name, c]) => `${linuxSpelling(c)} ${name}`).join(", ")})`

const run = promisify(execFile)

/**
 * Where built libraries are kept: a git-ignored folder of the project rather than the system's
 * temporary folder, which the tests must leave as they found it.
 */
export const libraryCache = join(import.meta.dirname, "..", "..", ".vitest-cache", "native")

/**
 * Compiles C source into a shared library; returns its path. The library is named by a hash of its
 * source, so parallel test workers and later runs compile it once between them and nothing piles up.
 */
export const buildSharedLibrary = async (source: string, name = "libjettest.so"): Promise<string> => {
  const hash = createHash("sha256").update(source).update(process.arch).digest("hex").slice(0, 16)
  const target = join(libraryCache, name.replace(/\.so$/, `-${hash}.so`))
  if (existsSync(target)) return target
  mkdirSync(libraryCache, { recursive: true })
  const dir = mkdtempSync(join(libraryCache, "build-"))
  try {
    const file = join(dir, "lib.c")
    writeFileSync(file, source)
    const output = join(dir, name)
    // Windows code is position-independent already, and mingw's gcc may warn about -fPIC (an error here).
    const pic = process.platform === "win32" ? [] : ["-fPIC"]
    await run("gcc", ["-shared", ...pic, "-O1", "-Wall", "-Werror", "-o", output, file])
    // A rename is atomic: a worker that loses the race replaces the file with an identical one.
    renameSync(output, target)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return target
}

/**
 * Why the tests that build C libraries with `gcc` are skipped here, or undefined when they run.
 * They run wherever `gcc` is on PATH. On Linux they always run, so that a missing `gcc` fails
 * there (and in Linux CI) instead of hiding the native binding's tests; on macOS and Windows a
 * machine without it skips them with this message.
 */
export const compilerSkipReason = (platform: NodeJS.Platform, hasGcc: boolean): string | undefined =>
  hasGcc || platform === "linux"
    ? undefined
    : `gcc is not on PATH, so the tests through a C library built with it are skipped on ${platform}`

/** Whether `gcc` runs here. */
const gccRuns = (): boolean => {
  const result = spawnSync("gcc", ["--version"], { stdio: "ignore", shell: false })
  return result.error === undefined && result.status === 0
}

/** {@link compilerSkipReason} for this machine. */
export const cCompilerMissing: string | undefined = compilerSkipReason(process.platform, gccRuns())
if (cCompilerMissing !== undefined) console.warn(`Skipping: ${cCompilerMissing}`)
