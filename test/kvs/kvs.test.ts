import { KeyValueStore } from "effect/persistence"
import { esentKeyValueStore } from "./layers.ts"
import { keyValueStoreSuite } from "./suite.ts"

keyValueStoreSuite("effect's layerMemory", () => KeyValueStore.layerMemory)
keyValueStoreSuite("ESENT, in-memory engine", () => esentKeyValueStore())
keyValueStoreSuite("ESENT, a named table", () => esentKeyValueStore({ table: "settings" }))
