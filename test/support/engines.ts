/**
 * The engines the Effect-level tests run on: the in-memory engine itself, and the real native
 * binding through koffi over a C library that forwards to an in-memory engine. Both expose the inner
 * in-memory engine, whose test hooks (inspect, fault injection, call counts) see every call.
 */
import type { JetApi } from "../../src/jet/api.ts"
import {
  makeMemoryEngine,
  makeMemoryStore,
  type MemoryEngine,
  type MemoryEngineOptions
} from "../../src/memory/index.ts"
import { cCompilerMissing } from "./c-abi.ts"
import { prepareLoopback } from "./loopback.ts"

/** One engine for Effect-level tests. */
export interface TestEngine {
  readonly name: string
  /** A fresh engine: the JetApi to provide, and the in-memory engine that does the work. */
  readonly make: (options?: MemoryEngineOptions) => { readonly api: JetApi; readonly memory: MemoryEngine }
}

// Undefined where the C compiler is missing off Linux; vitest.config.ts then leaves out the project
// that runs on this engine.
const loopback = cCompilerMissing === undefined ? await prepareLoopback() : undefined

export const testEngines: ReadonlyArray<TestEngine> = [
  {
    name: "memory",
    make: (options = {}) => {
      const memory = makeMemoryEngine({ store: makeMemoryStore(), ...options })
      return { api: memory, memory }
    }
  },
  {
    name: "native-through-koffi",
    make: (options = {}) => {
      const memory = makeMemoryEngine({ store: makeMemoryStore(), ...options })
      if (loopback === undefined) throw new Error(cCompilerMissing)
      return { api: loopback(memory), memory }
    }
  }
]

/**
 * The engine a test project runs on, named by `EFFECT_ESENT_TEST_ENGINE` (set per vitest project);
 * the in-memory engine when unset.
 */
export const currentTestEngine = (): TestEngine => {
  const name = process.env["EFFECT_ESENT_TEST_ENGINE"] ?? "memory"
  const engine = testEngines.find((e) => e.name === name)
  if (engine === undefined) throw new Error(`unknown test engine ${name}`)
  return engine
}
