/**
 * The engine service: whichever `JetApi` runs beneath the Effect API. Two layers provide it: the
 * native one (koffi over esent.dll or any library with the JET ABI) and the in-memory one. Nothing
 * above this service knows which runs.
 *
 * @module
 */
import { Context, Data, Effect, Layer } from "effect"
import { type FileEngineOptions, makeFileEngine } from "./file/engine/index.ts"
import type { JetApi } from "./jet/api.ts"
import { makeMemoryEngine, type MemoryEngineOptions } from "./memory/index.ts"
import { loadNativeJetApi, type NativeJetApiOptions } from "./native/index.ts"

/**
 * The JET engine in use.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Jet } from "effect-esent"
 *
 * const version = Effect.map(Jet.asEffect(), (api) => typeof api.JetGetVersion)
 * Effect.runSync(Effect.provide(version, Jet.layerMemory()))
 * ```
 */
export class Jet extends Context.Service<Jet, JetApi>()("effect-esent/Jet") {
  /** The in-memory engine: runs everywhere, follows ESENT's documented semantics. */
  static readonly layerMemory = (options?: MemoryEngineOptions): Layer.Layer<Jet> =>
    Layer.sync(Jet, () => makeMemoryEngine(options))

  /**
   * The read-only file engine: reads ESE database files written by Windows (attach them with
   * `readOnly: true`) on any OS, page by page through a cache of `cacheBytes` (default 32 MiB) per
   * file. Writes fail with `JET_errPermissionDenied`; nothing is ever written to a file.
   *
   * @example
   * ```ts
   * const FileLive = Esent.layer({ instanceName: "reader" }).pipe(Layer.provide(Jet.layerFile()))
   * ```
   */
  static readonly layerFile = (options?: FileEngineOptions): Layer.Layer<Jet> =>
    Layer.sync(Jet, () => makeFileEngine(options))

  /** The native engine: `esent.dll` (Windows) or the library at `libraryPath`. */
  static readonly layerNative = (options?: NativeJetApiOptions): Layer.Layer<Jet, JetLoadError> =>
    Layer.effect(
      Jet,
      Effect.suspend(() => {
        const loaded = loadNativeJetApi(options)
        return loaded._tag === "Loaded"
          ? Effect.succeed(loaded.api)
          : Effect.fail(new JetLoadError({ attempts: loaded.error.attempts, message: loaded.error.message }))
      })
    )

  /**
   * The native engine on Windows, the in-memory engine elsewhere: what the examples use, so that
   * the same program runs on a Windows machine and in Linux CI.
   */
  static readonly layerAuto = (
    options?: NativeJetApiOptions & MemoryEngineOptions
  ): Layer.Layer<Jet, JetLoadError> =>
    process.platform === "win32" ? Jet.layerNative(options) : Jet.layerMemory(options)

  /** Provides a given `JetApi` (a test double, or an engine built elsewhere). */
  static readonly layerApi = (api: JetApi): Layer.Layer<Jet> => Layer.succeed(Jet, api)
}

/** No library exporting the JET API could be loaded; `attempts` lists each path and the loader's reason. */
export class JetLoadError extends Data.TaggedError("JetLoadError")<{
  readonly attempts: ReadonlyArray<{ readonly path: string; readonly reason: string }>
  readonly message: string
}> {}
