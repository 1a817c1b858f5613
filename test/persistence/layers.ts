import { Layer } from "effect"
import { EsentPersistence } from "../../src/index.ts"
import { esentOnMemory } from "../kvs/layers.ts"

/** Our backing store on a fresh in-memory engine. */
export const esentBacking = (options: Partial<EsentPersistence.Options> = {}) =>
  EsentPersistence.layerBacking({ database: "persistence.edb", ...options }).pipe(
    Layer.provide(esentOnMemory())
  )

/** Our `Persistence` on a fresh in-memory engine. */
export const esentPersistence = (options: Partial<EsentPersistence.Options> = {}) =>
  EsentPersistence.layer({ database: "persistence.edb", ...options }).pipe(Layer.provide(esentOnMemory()))
