import { Persistence } from "effect/persistence"
import { esentBacking, esentPersistence } from "./layers.ts"
import { backingSuite, persistenceSuite } from "./suite.ts"

backingSuite("effect's layerBackingMemory", () => Persistence.layerBackingMemory)
backingSuite("ESENT, in-memory engine", () => esentBacking())
persistenceSuite("effect's layerMemory", () => Persistence.layerMemory)
persistenceSuite("ESENT, in-memory engine", () => esentPersistence({ table: "cache" }))
