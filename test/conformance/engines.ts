/**
 * The engines the conformance suite runs against. This list is the one place to add an engine: every
 * test file runs its tests once per entry.
 *
 * @module
 */
import type { JetApi } from "../../src/jet/api.ts"
import type { JET_INSTANCE } from "../../src/jet/handles.ts"
import { JET_SESID } from "../../src/jet/handles.ts"
import { jetSystemParameters } from "../../src/jet/params.ts"
import { makeMemoryEngine, makeMemoryStore, type MemoryEngine } from "../../src/memory/index.ts"
import { loadNativeJetApi } from "../../src/native/index.ts"
import { cCompilerMissing } from "../support/c-abi.ts"
import { prepareLoopback } from "../support/loopback.ts"

/** One engine under test. */
export interface Engine {
  /** Shown in the test names. */
  readonly name: string
  /** A fresh engine. Called once per test, so that tests do not share state. */
  readonly make: () => JetApi
  /** When set, the engine's tests are skipped and this says why. */
  readonly skip?: string
  /**
   * Called between `JetCreateInstance2` and `JetInit3` with a fresh directory of the test's own,
   * e.g. to point the system, log and temp paths of a native engine there.
   */
  readonly configure?: (api: JetApi, instance: JET_INSTANCE, dir: string) => void
}

// The real native binding, loading a library built from C that forwards every call to a fresh
// in-memory engine: every marshalling path of src/native runs on every test run.
const loopback = cCompilerMissing === undefined ? await prepareLoopback() : undefined

const esent = process.platform === "win32" ? loadNativeJetApi() : undefined

/** Points an instance's files into the test's own folder. */
const configurePaths = (api: JetApi, instance: JET_INSTANCE, dir: string): void => {
  const folder = dir.endsWith("\\") || dir.endsWith("/") ? dir : `${dir}/`
  for (const name of ["JET_paramSystemPath", "JET_paramLogFilePath", "JET_paramTempPath"] as const) {
    api.JetSetSystemParameter(instance, JET_SESID(0n), jetSystemParameters[name].id, 0n, folder)
  }
}

const behind = new WeakMap<JetApi, MemoryEngine>()

/**
 * The in-memory engine that answers an engine's calls (itself, or the one behind the loopback
 * library), for tests that put it in a state no call sequence reaches (fault injection, a term in
 * progress on another thread); `undefined` for esent.dll.
 */
export const memoryBehind = (api: JetApi): MemoryEngine | undefined => behind.get(api)

const remember = (api: JetApi, memory: MemoryEngine): JetApi => {
  behind.set(api, memory)
  return api
}

export const engines: ReadonlyArray<Engine> = [
  {
    name: "memory",
    make: () => {
      const memory = makeMemoryEngine({ store: makeMemoryStore() })
      return remember(memory, memory)
    }
  },
  loopback !== undefined
    ? {
      name: "native-through-koffi",
      make: () => {
        const memory = makeMemoryEngine({ store: makeMemoryStore() })
        return remember(loopback(memory), memory)
      }
    }
    : {
      name: "native-through-koffi",
      make: () => {
        throw new Error("the loopback library could not be built")
      },
      skip: cCompilerMissing ?? "no C compiler"
    },
  esent?._tag === "Loaded"
    ? { name: "esent.dll", make: () => esent.api, configure: configurePaths }
    : {
      name: "esent.dll",
      make: () => {
        throw new Error("esent.dll is not available")
      },
      skip: process.platform === "win32"
        ? `esent.dll could not be loaded: ${esent?._tag === "Failed" ? esent.error.message : "unknown"}`
        : `esent.dll exists only on Windows (this is ${process.platform})`
    }
]
