import { Layer } from "effect"
import { Esent, EsentKeyValueStore, Jet } from "../../src/index.ts"
import {
  makeMemoryEngine,
  makeMemoryStore,
  type MemoryEngine,
  type MemoryStore
} from "../../src/memory/index.ts"

/** The ESENT instance on an in-memory engine over `store` (a new one when not given). */
export const esentOnMemory = (
  options: { readonly store?: MemoryStore; readonly engine?: MemoryEngine } = {}
) =>
  Esent.layer({ instanceName: "kvs-test" }).pipe(
    Layer.provide(
      Jet.layerApi(options.engine ?? makeMemoryEngine({ store: options.store ?? makeMemoryStore() }))
    )
  )

/** Our store on a fresh in-memory engine. */
export const esentKeyValueStore = (options: Partial<EsentKeyValueStore.Options> = {}) =>
  EsentKeyValueStore.layer({ database: "kvs.edb", ...options }).pipe(Layer.provide(esentOnMemory()))
