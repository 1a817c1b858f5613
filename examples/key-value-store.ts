/**
 * effect's KeyValueStore and Persistence on ESENT: strings, bytes and long keys in a key-value
 * store, then a PersistedCache whose results outlive the cache and expire with their TTL. Runs on
 * Windows with esent.dll and anywhere else with the in-memory engine.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Console, Duration, Effect, Layer, Schema } from "effect"
import { Esent, EsentDatabase, EsentKeyValueStore, EsentPersistence, Jet } from "effect-esent"
import { KeyValueStore, Persistable, PersistedCache, Persistence } from "effect/persistence"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const folder = mkdtempSync(join(tmpdir(), "effect-esent-kvs-")) + "/"
// The folder holds the database files on Windows; it goes when the example ends, whatever the outcome.
process.once("exit", () => rmSync(folder, { recursive: true, force: true }))
const database = join(folder, "app.edb")

const keyValues = Effect.gen(function*() {
  const kv = yield* KeyValueStore.KeyValueStore
  yield* kv.set("greeting", "hello")
  yield* kv.set("bytes", new Uint8Array([0, 1, 254, 255]))
  const long = "k".repeat(300)
  yield* kv.set(`${long}-a`, "first long key")
  yield* kv.set(`${long}-b`, "second long key")
  yield* Console.log(`get greeting: ${yield* kv.get("greeting")}`)
  yield* Console.log(
    `getUint8Array bytes: [${yield* kv.getUint8Array("bytes")}], get bytes: ${yield* kv.get("bytes")}`
  )
  yield* Console.log(
    `two 304-character keys sharing 300: "${yield* kv.get(`${long}-a`)}", "${yield* kv.get(`${long}-b`)}"`
  )
  yield* kv.set("visits", "0")
  yield* Effect.forEach([1, 2, 3], () => kv.modify("visits", (n) => String(Number(n) + 1)), {
    concurrency: "unbounded"
  })
  yield* Console.log(`visits after three concurrent modifies: ${yield* kv.get("visits")}`)
  yield* kv.clearPrefix("k")
  yield* Console.log(
    `after clearPrefix("k"): ${yield* kv.size} keys: ${[...yield* kv.keys].sort().join(", ")}`
  )
})

class GetUser extends Persistable.Class<{ payload: { id: number } }>()("GetUser", {
  primaryKey: (req) => `user:${req.id}`,
  success: Schema.Struct({ id: Schema.Number, name: Schema.String }),
  error: Schema.Never
}) {}

const cache = Effect.gen(function*() {
  let lookups = 0
  const lookup = (req: GetUser) =>
    Effect.sync(() => {
      lookups++
      return { id: req.id, name: `user ${req.id}` }
    })
  const users = yield* PersistedCache.make(lookup, { storeId: "users", timeToLive: () => "1 hour" })
  yield* users.get(new GetUser({ id: 1 }))
  yield* users.get(new GetUser({ id: 1 }))
  const fresh = yield* PersistedCache.make(lookup, { storeId: "users", timeToLive: () => "1 hour" })
  const user = yield* fresh.get(new GetUser({ id: 1 }))
  yield* Console.log(`PersistedCache: ${user.name}, after three gets from two caches: ${lookups} lookup`)

  const store = yield* (yield* Persistence.Persistence).make({
    storeId: "short-lived",
    timeToLive: () => Duration.millis(200)
  })
  yield* store.set(new GetUser({ id: 2 }), yield* Effect.exit(lookup(new GetUser({ id: 2 }))))
  const before = yield* store.get(new GetUser({ id: 2 }))
  yield* Effect.sleep("250 millis")
  const after = yield* store.get(new GetUser({ id: 2 }))
  yield* Console.log(
    `TTL 200 ms: ${before === undefined ? "missing" : "present"} at once, ${
      after === undefined ? "gone" : "still there"
    } 250 ms later`
  )
})

const EsentLive = Esent.layer({
  instanceName: "key-value-store",
  systemPath: folder,
  logFilePath: folder,
  tempPath: folder,
  createPathIfNotExist: true
}).pipe(Layer.provide(Jet.layerAuto()))

// Both live in one database file, each in its own table, on the database in the context.
const StoresLive = Layer.mergeAll(EsentKeyValueStore.layer(), EsentPersistence.layer()).pipe(
  Layer.provide(EsentDatabase.layer({ path: database })),
  Layer.provide(EsentLive)
)

NodeRuntime.runMain(
  Effect.gen(function*() {
    yield* Console.log(`database: ${database}`)
    yield* keyValues
    yield* cache
  }).pipe(Effect.scoped, Effect.provide(StoresLive))
)
