/**
 * A bounded pool of sessions (effect `Pool`). A session is handed to one borrower at a time; when
 * it comes back, any transaction it still has open is rolled back, and a session that cannot be
 * rolled back is discarded.
 *
 * @module
 */
import { Context, Effect, Layer, Pool } from "effect"
import type * as Scope from "effect/Scope"
import { type HandleError, SessionLimitError } from "./Errors.ts"
import { Esent } from "./Esent.ts"
import { sessionMaximum } from "./EsentDatabase.ts"
import type { JetError } from "./JetError.ts"
import * as Session from "./Session.ts"
import { rollbackAll } from "./Transaction.ts"

/** A pool of sessions of one instance. */
export interface SessionPool {
  /** Borrows a session for the current scope. */
  readonly get: Effect.Effect<Session.Session, HandleError, Scope.Scope>
}

/**
 * The pool as a service.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { SessionPool } from "effect-esent"
 *
 * const borrowed = Effect.scoped(Effect.gen(function*() {
 *   const pool = yield* SessionPool.SessionPool
 *   const session = yield* pool.get
 *   return session.sesid
 * }))
 * ```
 */
export const SessionPool = Context.Service<SessionPool>("effect-esent/SessionPool")

/**
 * Makes a pool of at most `size` sessions, ended when the scope closes. A size larger than the
 * instance's session maximum (`maxSessions`, ESENT's default 16) fails at once with a
 * {@link SessionLimitError} naming both numbers.
 */
export const make = (
  size: number
): Effect.Effect<SessionPool, SessionLimitError | JetError, Esent | Scope.Scope> =>
  Effect.gen(function*() {
    const maximum = yield* sessionMaximum(yield* Esent)
    if (size > maximum) return yield* Effect.fail(new SessionLimitError({ requested: size, maximum }))
    const pool = yield* Pool.make({ acquire: Session.begin, size })
    const get = Effect.flatMap(Pool.get(pool), (session) =>
      Effect.as(
        Effect.addFinalizer(() =>
          rollbackAll(session).pipe(
            Effect.catch((error) =>
              Effect.logWarning(`a pooled session could not be rolled back and is discarded: ${error._tag}`)
                .pipe(
                  Effect.andThen(Pool.invalidate(pool, session))
                )
            )
          )
        ),
        session
      ))
    return { get }
  })

/** The pool as a layer of `size` sessions; see {@link make} for the limit. */
export const layer = (size: number): Layer.Layer<SessionPool, SessionLimitError | JetError, Esent> =>
  Layer.effect(SessionPool, make(size))
