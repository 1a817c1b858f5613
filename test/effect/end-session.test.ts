/**
 * How the Effect API handles each outcome of `JetEndSession` (D/jetendsession-function): the
 * session's finalizer logs the code, by value and by name, with the session's handle, and never
 * fails the scope; a session it could not end stays with its instance, which tries again before
 * terminating; whatever happened, nothing is left open in the engine afterwards.
 *
 * Each outcome is produced the way the conformance suite produces it (test/conformance/
 * end-session.test.ts): by the engine's state, set through the engine below the Effect API, or by
 * an injected fault where ESENT cannot be made to return the code on demand.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { Esent, Session } from "../../src/index.ts"
import { JET_bitTermAbrupt } from "../../src/jet/constants.ts"
import { jetErrorCodes } from "../../src/jet/errors.generated.ts"
import type { JET_INSTANCE, JET_SESID } from "../../src/jet/handles.ts"
import { captureLogs, type Harness, makeHarness } from "./harness.ts"

const E = jetErrorCodes

interface Outcome {
  readonly name: keyof typeof jetErrorCodes
  /** Makes the session's `JetEndSession` return the code, from inside the session's scope. */
  readonly cause: (h: Harness, instance: JET_INSTANCE, sesid: JET_SESID) => void
  /** Whether the instance's second try, before it terminates, succeeds. */
  readonly secondTry: "ends it" | "fails too"
}

const outcomes: ReadonlyArray<Outcome> = [
  {
    name: "JET_errClientRequestToStopJetService",
    cause: (h, instance) => h.engine.JetStopServiceInstance(instance),
    secondTry: "fails too"
  },
  {
    name: "JET_errInvalidParameter",
    cause: (h) => h.engine.injectFault({ method: "JetEndSession", call: 1, err: E.JET_errInvalidParameter }),
    secondTry: "ends it"
  },
  {
    // Ended below the Effect API: the handle is no session any more.
    name: "JET_errInvalidSesid",
    cause: (h, _instance, sesid) => h.engine.JetEndSession(sesid, 0),
    secondTry: "fails too"
  },
  {
    // The instance terminated below the Effect API, and no other runs.
    name: "JET_errNotInitialized",
    cause: (h, instance) => h.engine.JetTerm2(instance, JET_bitTermAbrupt),
    secondTry: "fails too"
  },
  {
    name: "JET_errOutOfMemory",
    cause: (h) => h.engine.injectFault({ method: "JetEndSession", call: 1, err: E.JET_errOutOfMemory }),
    secondTry: "ends it"
  },
  {
    // A context set by another user of the session (below the Effect API), never reset.
    name: "JET_errSessionInUse",
    cause: (h, _instance, sesid) => h.engine.JetSetSessionContext(sesid, 0x99n),
    secondTry: "fails too"
  },
  {
    name: "JET_errInstanceUnavailable",
    cause: (h, instance) => h.engine.simulateInstanceCondition(instance, "unavailable"),
    secondTry: "fails too"
  },
  {
    name: "JET_errOutOfBuffers",
    cause: (h) => h.engine.injectFault({ method: "JetEndSession", call: 1, err: E.JET_errOutOfBuffers }),
    secondTry: "ends it"
  },
  {
    name: "JET_errRestoreInProgress",
    cause: (h, instance) => h.engine.simulateInstanceCondition(instance, "restoring"),
    secondTry: "fails too"
  },
  {
    name: "JET_errTermInProgress",
    cause: (h, instance) => h.engine.simulateInstanceCondition(instance, "terminating"),
    secondTry: "fails too"
  }
]

describe("JetEndSession outcomes through the Effect API", () => {
  it.effect("JET_errSuccess: the finalizer ends the session once and logs nothing", () =>
    Effect.gen(function*() {
      const h = makeHarness()
      const logs = captureLogs()
      const sesid = yield* Effect.scoped(Effect.map(Session.begin, (s) => s.sesid)).pipe(
        Effect.provide(h.layer()),
        Effect.provide(logs.layer)
      )
      expect(h.calls.filter((c) => c.method === "JetEndSession").map((c) => [c.args[0], c.err])).toEqual([[
        sesid,
        0
      ]])
      expect(logs.entries).toEqual([])
      expect(h.engine.inspect().instances).toEqual([])
    }))

  for (const outcome of outcomes) {
    const code = E[outcome.name]
    it.effect(`${outcome.name}: logged with the session's handle, the scope still succeeds, nothing leaks`, () =>
      Effect.gen(function*() {
        const h = makeHarness()
        const logs = captureLogs()
        const exit = yield* Effect.exit(
          Effect.scoped(Effect.gen(function*() {
            const esent = yield* Esent
            const session = yield* Session.begin
            outcome.cause(h, esent.instance, session.sesid)
            return session.sesid
          })).pipe(Effect.provide(h.layer()), Effect.provide(logs.layer))
        )
        expect(Exit.isSuccess(exit)).toBe(true)
        const sesid = Exit.isSuccess(exit) ? exit.value : undefined

        // The finalizer's own attempt, and what it told the user.
        const ends = h.calls.filter((c) => c.method === "JetEndSession" && c.args[0] === sesid)
        expect(ends[0]?.err).toBe(code)
        const failure = logs.entries.find((e) => e.message.startsWith("JetEndSession failed"))
        expect(failure?.level).toBe("Error")
        expect(failure?.message).toBe(`JetEndSession failed for session ${sesid}: ${outcome.name}`)
        expect(failure?.annotations).toMatchObject({ code, error: outcome.name })

        // The instance tried once more before terminating, and said how that went.
        expect(ends.length).toBe(2)
        const still = `ESENT instance acceptance: session ${sesid} was still open at termination`
        if (outcome.secondTry === "ends it") {
          expect(ends[1]?.err).toBe(0)
          expect(logs.entries.map((e) => e.message)).toContain(`${still} and was ended`)
        } else {
          expect(ends[1]?.err).toBe(code)
          const again = logs.entries.find((e) => e.message === `${still} and could not be ended`)
          expect(again?.level).toBe("Error")
          expect(again?.annotations).toMatchObject({ code, error: outcome.name })
        }

        // Whatever the code, the engine holds nothing afterwards: no instance, so no session.
        expect(h.engine.inspect().instances).toEqual([])
      }))
  }
})
