import { Effect, Layer } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Esent, EsentKeyValueStore, Jet } from "../../src/index.ts"
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

/** Our store on a fresh in-memory engine. */
export const esentKeyValueStore = (options: Partial<EsentKeyValueStore.Options> = {}) =>
  EsentKeyValueStore.layer({ database: "kvs.edb", ...options }).pipe(Layer.provide(esentOnMemory()))

let instances = 0

/**
 * A store layer on a fresh instance of one of the conformance suite's engines, its files in a
 * folder of its own that is removed once the instance has ended: `build` gets the database path.
 */
export const onEngine = <A, E>(
  engine: Engine,
  build: (database: string) => Layer.Layer<A, E, Esent>
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
