import { describe } from "@effect/vitest"
import { KeyValueStore } from "effect/persistence"
import { EsentKeyValueStore } from "../../src/index.ts"
import { engines } from "../conformance/engines.ts"
import { onEngine } from "./layers.ts"
import { keyValueStoreSuite } from "./suite.ts"

keyValueStoreSuite("effect's layerMemory", () => KeyValueStore.layerMemory)

for (const engine of engines) {
  describe.skipIf(engine.skip !== undefined)(`on ${engine.name}`, () => {
    keyValueStoreSuite(
      `ESENT on ${engine.name}`,
      () => onEngine(engine, () => EsentKeyValueStore.layer())
    )
  })
}

keyValueStoreSuite(
  "ESENT, a named table",
  () => onEngine(engines[0]!, () => EsentKeyValueStore.layer({ table: "settings" }))
)
