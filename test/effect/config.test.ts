import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer } from "effect"
import { configuredParameters } from "../../src/Esent.ts"
import { Esent, esentConfig, Jet, Session } from "../../src/index.ts"
import { jetSystemParameters } from "../../src/jet/params.ts"
import { makeMemoryEngine, makeMemoryStore } from "../../src/memory/index.ts"

describe("instance configuration", () => {
  it("configuredParameters maps each field to its system parameter, then the raw ones", () => {
    expect(
      configuredParameters({
        instanceName: "x",
        systemPath: "/db/",
        circularLog: true,
        maxSessions: 4,
        parameters: { JET_paramCacheSizeMin: 64 }
      })
    ).toEqual([
      ["JET_paramSystemPath", "/db/"],
      ["JET_paramCircularLog", true],
      ["JET_paramMaxSessions", 4],
      ["JET_paramCacheSizeMin", 64]
    ])
  })

  it.effect("Esent.layerConfig reads the environment through effect's Config and applies it", () =>
    Effect.gen(function*() {
      const engine = makeMemoryEngine({ store: makeMemoryStore() })
      const env = ConfigProvider.fromEnvRecord({ ESENT_INSTANCE_NAME: "from-env", ESENT_MAX_SESSIONS: "2" })
      const layer = Esent.layerConfig(esentConfig).pipe(
        Layer.provide(Jet.layerApi(engine)),
        Layer.provide(ConfigProvider.layer(env))
      )
      const result = yield* Effect.gen(function*() {
        const esent = yield* Esent
        const maxSessions = engine.JetGetSystemParameter(
          esent.instance,
          0n as never,
          jetSystemParameters.JET_paramMaxSessions.id,
          null,
          0
        )
        yield* Session.begin
        yield* Session.begin
        // The third session passes JET_paramMaxSessions = 2.
        const third = yield* Effect.flip(Session.begin)
        return { name: esent.name, maxSessions: maxSessions.lParam, third: third._tag }
      }).pipe(Effect.scoped, Effect.provide(layer))
      expect(result).toEqual({ name: "from-env", maxSessions: 2n, third: "JET_errOutOfSessions" })
    }))

  it.effect("a malformed value is a ConfigError, and no instance is created", () =>
    Effect.gen(function*() {
      const engine = makeMemoryEngine({ store: makeMemoryStore() })
      const env = ConfigProvider.fromEnvRecord({ ESENT_MAX_SESSIONS: "many" })
      const error = yield* Effect.flip(
        Effect.scoped(Effect.asVoid(Effect.service(Esent))).pipe(
          Effect.provide(
            Esent.layerConfig(esentConfig).pipe(
              Layer.provide(Jet.layerApi(engine)),
              Layer.provide(ConfigProvider.layer(env))
            )
          )
        )
      )
      expect(error._tag).toBe("ConfigError")
      expect(engine.inspect().instances).toEqual([])
    }))
})
