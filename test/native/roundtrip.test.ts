import { describe, expect, it } from "vitest"
import { jetErrorCodes } from "../../src/jet/errors.generated.ts"
import { jetFunction } from "../../src/jet/functions.ts"
import { JET_INSTANCE, JET_SESID } from "../../src/jet/handles.ts"
import { loadNativeJetApi } from "../../src/native/index.ts"
import { buildSharedLibrary, cCompilerMissing, cPrelude, cPrototype } from "../support/c-abi.ts"

const prototypeOf = (name: string): string => {
  const fn = jetFunction(name)
  if (fn === undefined) throw new Error(`${name} is not in the function table`)
  return cPrototype(fn)
}

// A library with the JET ABI whose answers are computed from what it received, so the test can
// tell a faithful round trip from a lucky one.
const source = `${cPrelude()}
static JET_SESID lastEnded;
static JET_GRBIT lastGrbit;
JET_SESID TestLastEndedSession(void) { return lastEnded; }
JET_GRBIT TestLastGrbit(void) { return lastGrbit; }

${prototypeOf("JetBeginSessionW")} {
  if (instance == 0x7777) return ${jetErrorCodes.JET_errInvalidInstance};
  *psesid = instance + 1;
  int32_t units = 0;
  if (szUserName) while (szUserName[units]) units++;
  return units;
}
${prototypeOf("JetEndSession")} {
  lastEnded = sesid;
  lastGrbit = grbit;
  return sesid == 0 ? ${jetErrorCodes.JET_errInvalidSesid} : 0;
}
`

// The body would build the C library, so it must not run where the compiler is missing.
describe.skipIf(cCompilerMissing !== undefined)("native binding through koffi on Linux", async () => {
  if (cCompilerMissing !== undefined) return
  const libraryPath = await buildSharedLibrary(source)
  const loaded = loadNativeJetApi({ libraryPath })
  if (loaded._tag === "Failed") throw loaded.error
  const { api } = loaded
  const koffi = (await import("koffi")).default
  const library = koffi.load(libraryPath)
  const lastEnded = library.func("TestLastEndedSession", "uint64_t", [])
  const lastGrbit = library.func("TestLastGrbit", "uint32_t", [])

  it.each([
    ["0", 0n],
    ["2^53", 2n ** 53n],
    ["2^64 - 16", 2n ** 64n - 16n],
    ["2^64 - 1 (wraps to 0)", 2n ** 64n - 1n]
  ])("JetBeginSession/JetEndSession carry a pointer-sized handle of %s exactly", (_, instance) => {
    const begun = api.JetBeginSession(JET_INSTANCE(instance), "ab\u00e9", null)
    expect(begun.err).toBe(3)
    const expected = (instance + 1n) % 2n ** 64n
    expect(begun.sesid).toBe(expected)
    const ended = api.JetEndSession(begun.sesid, 0x5a5a)
    expect(BigInt(lastEnded())).toBe(expected)
    expect(lastGrbit()).toBe(0x5a5a)
    expect(ended.err).toBe(expected === 0n ? jetErrorCodes.JET_errInvalidSesid : 0)
  })

  it("passes the library's negative error codes through unchanged", () => {
    expect(api.JetBeginSession(JET_INSTANCE(0x7777n), null, null).err).toBe(
      jetErrorCodes.JET_errInvalidInstance
    )
  })

  it("a function the library does not export answers JET_errEntryPointNotFound", () => {
    expect(api.JetEndSession(JET_SESID(1n), 0).err).toBe(0)
    expect(api.JetBeginTransaction(JET_SESID(1n)).err).toBe(jetErrorCodes.JET_errEntryPointNotFound)
  })
})

describe("loading", () => {
  it("a missing library is a typed failure naming every path tried", () => {
    const loaded = loadNativeJetApi({ libraryPath: ["/nonexistent/esent.dll", "/also/missing.so"] })
    expect(loaded._tag).toBe("Failed")
    if (loaded._tag !== "Failed") return
    expect(loaded.error._tag).toBe("JetLibraryLoadError")
    expect(loaded.error.attempts.map((a) => a.path)).toEqual(["/nonexistent/esent.dll", "/also/missing.so"])
    expect(loaded.error.message).toContain("/nonexistent/esent.dll")
  })

  it("the default is esent.dll, which Linux does not have", () => {
    const loaded = loadNativeJetApi()
    expect(loaded._tag).toBe("Failed")
    if (loaded._tag === "Failed") expect(loaded.error.attempts[0]?.path).toBe("esent.dll")
  })
})
