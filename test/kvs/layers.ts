import { Deferred, Effect, Fiber, Layer } from "effect"
import type * as Scope from "effect/Scope"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Database, Esent, EsentDatabase, EsentKeyValueStore, Jet } from "../../src/index.ts"
import {
  makeMemoryEngine,
  makeMemoryStore,
  type MemoryEngine,
  type MemoryStore
} from "../../src/memory/index.ts"
import type { Engine } from "../conformance/engines.ts"

/** The ESENT instance on an in-memory engine over `store` (a new one when not given). */
export const esentOnMemory = (
  options: { readonly store?: MemoryStore; readonly engine?: MemoryEngine } = {}
) =>
  Esent.layer({ instanceName: "kvs-test" }).pipe(
    Layer.provide(
      Jet.layerApi(options.engine ?? makeMemoryEngine({ store: options.store ?? makeMemoryStore() }))
    )
  )

/** The database `path` (default `kvs.edb`) in the context, on an in-memory engine as {@link esentOnMemory}. */
export const databaseOnMemory = (
  options: { readonly store?: MemoryStore; readonly engine?: MemoryEngine; readonly path?: string } = {}
) => EsentDatabase.layer({ path: options.path ?? "kvs.edb" }).pipe(Layer.provide(esentOnMemory(options)))

/** Runs `f` on a database handle of a pooled session of `kvs.edb` over `store`. */
export const withDatabaseOn = <A, E>(
  store: MemoryStore,
  f: (database: Database.Database) => Effect.Effect<A, E, Scope.Scope>
) =>
  Effect.flatMap(Effect.service(EsentDatabase), (pool) => Effect.flatMap(pool.borrow, (c) => f(c.database)))
    .pipe(
      Effect.scoped,
      Effect.provide(databaseOnMemory({ store }))
    )

/** Our store on a fresh in-memory engine. */
export const esentKeyValueStore = (options: EsentKeyValueStore.Options = {}) =>
  EsentKeyValueStore.layer(options).pipe(Layer.provide(databaseOnMemory()))

let instances = 0

/**
 * A store layer on a fresh instance of one of the conformance suite's engines, its files in a
 * folder of its own that is removed once the instance has ended: `build` gets the database path.
 */
export const onEngine = <A, E>(
  engine: Engine,
  build: (database: string) => Layer.Layer<A, E, Esent | EsentDatabase>
): Layer.Layer<A, unknown> =>
  Layer.unwrap(
    Effect.map(
      Effect.acquireRelease(
        Effect.sync(() => mkdtempSync(join(tmpdir(), "effect-esent-store-")) + "/"),
        (folder) =>
          Effect.sync(() => {
            try {
              rmSync(folder, { recursive: true, force: true })
            } catch {
              // A file the engine still holds only leaves a folder behind in the temp directory.
            }
          })
      ),
      (folder) =>
        build(join(folder, "store.edb")).pipe(
          Layer.provideMerge(EsentDatabase.layer({ path: join(folder, "store.edb") })),
          Layer.provide(
            Esent.layer({
              instanceName: `store-test-${++instances}`,
              systemPath: folder,
              logFilePath: folder,
              tempPath: folder,
              createPathIfNotExist: true
            })
          ),
          Layer.provide(Layer.suspend(() => Jet.layerApi(engine.make())))
        )
    )
  )

/**
 * Forks `count` fibers that each hold a session of the database's pool (`EsentDatabase.withSession`)
 * until `release`, and lets them run: `held()` answers how many got one.
 */
export const holdSessions = (count: number) =>
  Effect.gen(function*() {
    const release = yield* Deferred.make<void>()
    let held = 0
    const fibers = yield* Effect.forEach(
      Array.from({ length: count }),
      () =>
        Effect.forkChild(EsentDatabase.withSession(Effect.andThen(
          Effect.sync(() => {
            held++
          }),
          Deferred.await(release)
        )))
    )
    for (let i = 0; i < 10 * count; i++) yield* Effect.yieldNow
    return {
      held: () => held,
      release: Effect.andThen(
        Deferred.succeed(release, undefined),
        Effect.forEach(fibers, Fiber.join, { discard: true })
      )
    }
  })
