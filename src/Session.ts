/**
 * Sessions as scoped resources. Acquiring one calls `JetBeginSession`; its finalizer calls
 * `JetEndSession` exactly once, whatever ends the scope. Calls on one session are serialized, and a
 * transaction holds the session for its whole duration.
 *
 * @module
 */
import { Context, Effect, Semaphore } from "effect"
import type * as Scope from "effect/Scope"
import { HandleClosedError } from "./Errors.ts"
import { Esent, type EsentInstance } from "./Esent.ts"
import { check } from "./internal/call.ts"
import { closeTree, type HandleNode, makeNode } from "./internal/handles.ts"
import type { JetApi, JetResult } from "./jet/api.ts"
import { jetErrorByValue } from "./jet/errors.generated.ts"
import type { JET_SESID } from "./jet/handles.ts"
import type { JetError, JetErrorPlace } from "./JetError.ts"

/** A session of an instance. Use it only inside the scope that acquired it. */
export interface Session {
  readonly sesid: JET_SESID
  readonly api: JetApi
  readonly esent: EsentInstance
  /** @internal One fiber at a time outside transactions. */
  readonly lock: Semaphore.Semaphore
  /** @internal Open state of the session and of everything opened through it. */
  readonly node: HandleNode
  /**
   * @internal Ends the session now, returning the JET code. Once it has succeeded later calls do
   * nothing; after a failure the session stays in its instance's list, and a later call tries again.
   */
  readonly end: () => number
}

/** Whether `u` is a session (what the explicit-handle forms take first). */
export const isSession = (u: unknown): u is Session =>
  typeof u === "object" && u !== null && "sesid" in u && "lock" in u && "end" in u

/**
 * The sessions whose transaction the current fiber is inside, with the level of each. A
 * `withTransaction` adds its session here for the effect it runs.
 */
export const CurrentTransactions = Context.Reference<ReadonlyMap<Session, number>>(
  "effect-esent/CurrentTransactions",
  { defaultValue: () => new Map() }
)

/**
 * Begins a session; the enclosing scope's finalizer ends it (rolling back any open transaction and
 * closing its databases and cursors, as `JetEndSession` does). A failure to end is logged with its
 * code; it never fails the scope.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Session } from "effect-esent"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const session = yield* Session.begin
 *   return session.sesid
 * }))
 * ```
 */
export const begin: Effect.Effect<Session, JetError, Esent | Scope.Scope> = Effect.gen(function*() {
  const esent = yield* Esent
  return yield* Effect.acquireRelease(
    Effect.suspend(() =>
      Effect.map(
        check("JetBeginSession", esent.api.JetBeginSession(esent.instance, null, null)),
        ({ sesid }) => {
          const node = makeNode("session")
          let ended = false
          const session: Session = {
            sesid,
            api: esent.api,
            esent,
            lock: Semaphore.makeUnsafe(1),
            node,
            end: () => {
              if (ended) return 0
              closeTree(node)
              const err = esent.api.JetEndSession(sesid, 0).err
              // ESENT leaves a session it failed to end usable: it stays listed, so that the instance
              // ends it before terminating instead of leaving it (and any transaction) open.
              if (err >= 0) {
                ended = true
                esent.sessions.delete(session)
              }
              return err
            }
          }
          esent.sessions.add(session)
          return session
        }
      )
    ),
    (session) =>
      Effect.suspend(() => {
        const err = session.end()
        // The code's name says what to do: e.g. TermInProgress or ClientRequestToStopJetService
        // leave the session to the instance's termination, SessionInUse to its other user.
        const error = jetErrorByValue(err)?.name ?? "unknown"
        return err < 0
          ? Effect.logError(`JetEndSession failed for session ${session.sesid}: ${error}`).pipe(
            Effect.annotateLogs({ code: err, error })
          )
          : Effect.void
      })
  )
})

/**
 * Runs `f` with exclusive use of the session: directly when the current fiber is inside one of
 * this session's transactions (the transaction already holds it), otherwise under the session's
 * lock. Fails with {@link HandleClosedError} before calling anything when the session has ended.
 */
export const use = <A, E, R>(
  session: Session,
  operation: string,
  f: Effect.Effect<A, E, R>
): Effect.Effect<A, E | HandleClosedError, R> =>
  Effect.flatMap(
    Effect.service(CurrentTransactions),
    (transactions): Effect.Effect<A, E | HandleClosedError, R> => {
      // Built only when used: an Error captures a stack trace, too costly for every call.
      const closed: Effect.Effect<never, HandleClosedError> = Effect.failSync(
        () => new HandleClosedError({ handle: "session", operation })
      )
      if (!session.node.open) return closed
      if (transactions.has(session)) return f
      // The session can end while this fiber waits for the lock: look again once it is held.
      return session.lock.withPermit(
        Effect.suspend((): Effect.Effect<A, E | HandleClosedError, R> => session.node.open ? f : closed)
      )
    }
  )

/** One JET call on the session, checked: a negative code fails with its tagged error. */
export const call = <R extends JetResult>(
  session: Session,
  operation: string,
  f: (api: JetApi, sesid: JET_SESID) => R,
  detail?: string | JetErrorPlace
): Effect.Effect<R, JetError | HandleClosedError> =>
  use(session, operation, Effect.suspend(() => check(operation, f(session.api, session.sesid), detail)))
