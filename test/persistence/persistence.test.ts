import { describe } from "@effect/vitest"
import { Persistence } from "effect/persistence"
import { EsentPersistence } from "../../src/index.ts"
import { engines } from "../conformance/engines.ts"
import { onEngine } from "../kvs/layers.ts"
import { backingSuite, persistenceSuite } from "./suite.ts"

backingSuite("effect's layerBackingMemory", () => Persistence.layerBackingMemory)
persistenceSuite("effect's layerMemory", () => Persistence.layerMemory)

for (const engine of engines) {
  describe.skipIf(engine.skip !== undefined)(`on ${engine.name}`, () => {
    backingSuite(
      `ESENT on ${engine.name}`,
      () => onEngine(engine, () => EsentPersistence.layerBacking())
    )
    persistenceSuite(
      `ESENT on ${engine.name}`,
      () => onEngine(engine, () => EsentPersistence.layer({ table: "cache" }))
    )
  })
}
