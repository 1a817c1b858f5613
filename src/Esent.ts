/**
 * The ESENT instance as a Layer: created, configured and initialized when the layer is built, and
 * terminated (after ending any session still open) when its scope closes.
 *
 * @module
 */
import { Config, Context, Effect, Layer, Option } from "effect"
import { check, jetCall } from "./internal/call.ts"
import { longCall, longCallResult } from "./internal/offThread.ts"
import { Jet } from "./Jet.ts"
import type { JetApi } from "./jet/api.ts"
import { JET_bitTermAbrupt, JET_bitTermComplete } from "./jet/constants.ts"
import { jetErrorByValue } from "./jet/errors.generated.ts"
import { JET_INSTANCE, JET_SESID } from "./jet/handles.ts"
import { jetSystemParameters, type SystemParameterName } from "./jet/params.ts"
import type { JetError } from "./JetError.ts"

/** A value for one system parameter, by its kind. */
export type SystemParameterValue = number | boolean | string

/**
 * How the instance is configured. Every field but the name is optional; unset parameters keep
 * ESENT's defaults.
 */
export interface EsentConfig {
  /** Unique per process. */
  readonly instanceName: string
  readonly displayName?: string
  /** Folder of the checkpoint file (`JET_paramSystemPath`), with a trailing separator. */
  readonly systemPath?: string
  /** Folder of the transaction logs (`JET_paramLogFilePath`). */
  readonly logFilePath?: string
  /** Path of the temporary database (`JET_paramTempPath`). */
  readonly tempPath?: string
  /** Three-character prefix of the log files (`JET_paramBaseName`, default "edb"). */
  readonly baseName?: string
  /** Reuse log files once their contents are in the database (`JET_paramCircularLog`). */
  readonly circularLog?: boolean
  /** Create missing folders (`JET_paramCreatePathIfNotExist`). */
  readonly createPathIfNotExist?: boolean
  /** Most sessions at once (`JET_paramMaxSessions`). */
  readonly maxSessions?: number
  /** Most open cursors (`JET_paramMaxCursors`). */
  readonly maxCursors?: number
  /** Most open tables (`JET_paramMaxOpenTables`). */
  readonly maxOpenTables?: number
  /** Version store size in pages (`JET_paramMaxVerPages`): bounds uncommitted changes. */
  readonly maxVerPages?: number
  /** Largest database cache, in pages (`JET_paramCacheSizeMax`). */
  readonly cacheSizeMax?: number
  /** Any other system parameter by its C name. */
  readonly parameters?: Partial<Record<SystemParameterName, SystemParameterValue>>
  /** `JetTerm2` grbits used at release; default `JET_bitTermComplete`. */
  readonly termGrbit?: number
}

/** A session the instance must end before it terminates. */
export interface LiveSession {
  readonly sesid: JET_SESID
  /** Ends the session now (idempotent), returning the `JetEndSession` code. */
  readonly end: () => number
}

/** A running instance. */
export interface EsentInstance {
  readonly api: JetApi
  readonly instance: JET_INSTANCE
  readonly name: string
  /** Sessions begun on this instance and not yet ended. */
  readonly sessions: Set<LiveSession>
}

const namedParameters: ReadonlyArray<readonly [keyof EsentConfig, SystemParameterName]> = [
  ["systemPath", "JET_paramSystemPath"],
  ["logFilePath", "JET_paramLogFilePath"],
  ["tempPath", "JET_paramTempPath"],
  ["baseName", "JET_paramBaseName"],
  ["circularLog", "JET_paramCircularLog"],
  ["createPathIfNotExist", "JET_paramCreatePathIfNotExist"],
  ["maxSessions", "JET_paramMaxSessions"],
  ["maxCursors", "JET_paramMaxCursors"],
  ["maxOpenTables", "JET_paramMaxOpenTables"],
  ["maxVerPages", "JET_paramMaxVerPages"],
  ["cacheSizeMax", "JET_paramCacheSizeMax"]
]

/** Every system parameter the configuration sets, in the order they are applied. */
export const configuredParameters = (
  config: EsentConfig
): ReadonlyArray<readonly [SystemParameterName, SystemParameterValue]> => {
  const out: Array<readonly [SystemParameterName, SystemParameterValue]> = []
  for (const [field, name] of namedParameters) {
    const value = config[field]
    if (typeof value === "number" || typeof value === "boolean" || typeof value === "string") {
      out.push([name, value])
    }
  }
  for (const [name, value] of Object.entries(config.parameters ?? {})) {
    if (value !== undefined) out.push([name as SystemParameterName, value])
  }
  return out
}

const setParameter = (
  api: JetApi,
  instance: JET_INSTANCE,
  name: SystemParameterName,
  value: SystemParameterValue
): Effect.Effect<void, JetError> => {
  const parameter = jetSystemParameters[name]
  const sesid = JET_SESID(0n)
  const result = typeof value === "string"
    ? api.JetSetSystemParameter(instance, sesid, parameter.id, 0n, value)
    : api.JetSetSystemParameter(
      instance,
      sesid,
      parameter.id,
      BigInt(typeof value === "boolean" ? Number(value) : value),
      null
    )
  return Effect.asVoid(check("JetSetSystemParameter", result, name))
}

/**
 * The ESENT instance.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { Esent, Jet } from "effect-esent"
 *
 * const EsentLive = Esent.layer({ instanceName: "app", systemPath: "./db/", logFilePath: "./db/" })
 *   .pipe(Layer.provide(Jet.layerMemory()))
 * ```
 */
export class Esent extends Context.Service<Esent, EsentInstance>()("effect-esent/Esent") {
  /**
   * Creates, configures and initializes an instance; terminates it when the layer's scope closes,
   * after ending every session of the instance that is still open.
   */
  static readonly layer = (config: EsentConfig): Layer.Layer<Esent, JetError, Jet> =>
    Layer.effect(
      Esent,
      Effect.gen(function*() {
        const api = yield* Jet
        return yield* Effect.acquireRelease(start(api, config), (esent) => stop(esent, config.termGrbit))
      })
    )

  /** As {@link Esent.layer}, reading the configuration from effect's `Config` (see {@link esentConfig}). */
  static readonly layerConfig = (
    config: Config.Config<EsentConfig>
  ): Layer.Layer<Esent, JetError | Config.ConfigError, Jet> => Layer.unwrap(Effect.map(config, Esent.layer))
}

const start = (api: JetApi, config: EsentConfig): Effect.Effect<EsentInstance, JetError> =>
  Effect.uninterruptible(Effect.gen(function*() {
    const created = yield* jetCall(
      "JetCreateInstance2",
      () => api.JetCreateInstance2(config.instanceName, config.displayName ?? null, 0)
    )
    const instance = created.instance
    // A created instance that is never initialized still has to be ended with JetTerm; an instance
    // whose JetInit3 failed must not be.
    yield* Effect.forEach(
      configuredParameters(config),
      ([name, value]) => setParameter(api, instance, name, value),
      {
        discard: true
      }
    ).pipe(Effect.onError(() => Effect.sync(() => api.JetTerm(instance))))
    const initialized = yield* longCall(api, "JetInit3", [instance, 0])
    return {
      api,
      instance: JET_INSTANCE(initialized.instance),
      name: config.instanceName,
      sessions: new Set()
    }
  }))

const stop = (esent: EsentInstance, termGrbit = JET_bitTermComplete): Effect.Effect<void> =>
  Effect.gen(function*() {
    for (const session of [...esent.sessions]) {
      const err = session.end()
      const still = `ESENT instance ${esent.name}: session ${session.sesid} was still open at termination`
      yield* (err < 0
        ? Effect.logError(`${still} and could not be ended`)
        : Effect.logWarning(`${still} and was ended`))
        .pipe(Effect.annotateLogs({ code: err, error: jetErrorByValue(err)?.name ?? "unknown" }))
    }
    const term = yield* longCallResult(esent.api, "JetTerm2", [esent.instance, termGrbit])
    if (term.err < 0) {
      yield* Effect.logError(`ESENT instance ${esent.name}: JetTerm2 failed`).pipe(
        Effect.annotateLogs({ code: term.err })
      )
      // A running instance keeps its name taken and its files open until the process exits; an
      // abrupt termination is what is left (the next JetInit replays the logs if it has to).
      if (termGrbit !== JET_bitTermAbrupt) {
        const abrupt = yield* longCallResult(esent.api, "JetTerm2", [esent.instance, JET_bitTermAbrupt])
        yield* abrupt.err < 0
          ? Effect.logError(`ESENT instance ${esent.name}: JetTerm2 failed again, with JET_bitTermAbrupt`)
            .pipe(
              Effect.annotateLogs({ code: abrupt.err })
            )
          : Effect.logWarning(`ESENT instance ${esent.name}: terminated with JET_bitTermAbrupt`)
      }
    }
  })

/**
 * Reads an {@link EsentConfig} from effect's `Config`: `ESENT_INSTANCE_NAME` (default "effect-esent"),
 * `ESENT_SYSTEM_PATH`, `ESENT_LOG_FILE_PATH`, `ESENT_TEMP_PATH`, `ESENT_CIRCULAR_LOG`,
 * `ESENT_MAX_SESSIONS`, `ESENT_MAX_CURSORS`, `ESENT_MAX_VER_PAGES`, `ESENT_CACHE_SIZE_MAX`.
 */
export const esentConfig: Config.Config<EsentConfig> = Config.all({
  instanceName: Config.String("ESENT_INSTANCE_NAME").pipe(Config.withDefault("effect-esent")),
  systemPath: Config.option(Config.String("ESENT_SYSTEM_PATH")),
  logFilePath: Config.option(Config.String("ESENT_LOG_FILE_PATH")),
  tempPath: Config.option(Config.String("ESENT_TEMP_PATH")),
  circularLog: Config.option(Config.Boolean("ESENT_CIRCULAR_LOG")),
  maxSessions: Config.option(Config.Int("ESENT_MAX_SESSIONS")),
  maxCursors: Config.option(Config.Int("ESENT_MAX_CURSORS")),
  maxVerPages: Config.option(Config.Int("ESENT_MAX_VER_PAGES")),
  cacheSizeMax: Config.option(Config.Int("ESENT_CACHE_SIZE_MAX"))
}).pipe(Config.map(({ instanceName, ...optional }) => {
  const present: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(optional) as ReadonlyArray<[string, Option.Option<unknown>]>) {
    if (Option.isSome(value)) present[key] = value.value
  }
  return { ...present, instanceName } as EsentConfig
}))
