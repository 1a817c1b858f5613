/**
 * The engines the conformance suite runs against. This list is the one place to add an engine: every
 * test file runs its tests once per entry.
 *
 * @module
 */
import type { JetApi } from "../../src/jet/api.ts"
import type { JET_INSTANCE } from "../../src/jet/handles.ts"
import { makeMemoryEngine, makeMemoryStore } from "../../src/memory/index.ts"

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

export const engines: ReadonlyArray<Engine> = [
  {
    name: "memory",
    make: () => makeMemoryEngine({ store: makeMemoryStore() })
  }
]
