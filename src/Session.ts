/**
 * Sessions as scoped resources. Acquiring one calls `JetBeginSession`; its finalizer calls
 * `JetEndSession` exactly once, whatever ends the scope. Calls on one session are serialized, and a
 * transaction holds the session for its whole duration.
 *
 * @module
 */
import { Context, Effect } from "effect"
import type * as Fiber from "effect/Fiber"
import type * as Scope from "effect/Scope"
import { HandleClosedError, type HandleError } from "./Errors.ts"
import { Esent, type EsentInstance } from "./Esent.ts"
import { check } from "./internal/call.ts"
import { closeTree, type HandleNode, makeNode } from "./internal/handles.ts"
import { type Lock, makeLock, withLock } from "./internal/lock.ts"
import type { JetApi, JetResult } from "./jet/api.ts"
import { jetErrorByValue } from "./jet/errors.generated.ts"
import type { JET_SESID } from "./jet/handles.ts"
import type { JetError, JetErrorPlace } from "./JetError.ts"

/** A session of an instance. Use it only inside the scope that acquired it. */
export interface Session {
  readonly sesid: JET_SESID
  readonly api: JetApi
  readonly esent: EsentInstance
  /**
   * @internal Held by one fiber at a time across asynchronous boundaries (a transaction, a call run
   * off the JavaScript thread). While nobody holds it, a call made in one synchronous step cannot
   * interleave with anyone else's and needs no lock.
   */
  readonly lock: Lock
  /**
   * @internal The id of the session's open outermost transaction, 0 when none is open. A fiber's
   * {@link CurrentTransactions} entry counts only while it carries this id: a fiber forked inside a
   * transaction that outlives it is then outside any transaction, as it really is.
   */
  transaction: number
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
 * The sessions whose transaction the current fiber is inside, each with a mark of the transaction
 * and the level (see {@link levelIn}). A `withTransaction` adds its session here for the effect it
 * runs.
 */
export const CurrentTransactions = Context.Reference<ReadonlyMap<Session, number>>(
  "effect-esent/CurrentTransactions",
  { defaultValue: () => new Map() }
)

let lastTransaction = 0

/** @internal A new id for the outermost transaction beginning on `session`. */
export const newTransactionId = (): number => ++lastTransaction

/** @internal The mark of `level` of transaction `id` in {@link CurrentTransactions}. */
export const transactionMark = (id: number, level: number): number => id * 8 + level

/**
 * @internal The level of `session`'s open transaction that `transactions` is inside; 0 when it is
 * inside none, or only inside one that has ended since.
 */
export const levelIn = (transactions: ReadonlyMap<Session, number>, session: Session): number => {
  const mark = transactions.get(session)
  return mark !== undefined && session.transaction !== 0 && Math.floor(mark / 8) === session.transaction
    ? mark % 8
    : 0
}

/** @internal Whether `transactions` is inside a transaction of `session` that is still open. */
export const inTransaction = (transactions: ReadonlyMap<Session, number>, session: Session): boolean =>
  levelIn(transactions, session) > 0

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
            lock: makeLock(),
            transaction: 0,
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

/** Runs `f` holding the session's lock (see {@link Session.lock}), waiting for it if need be. */
export const hold = <A, E, R>(session: Session, f: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  withLock(session.lock, f)

const closedSession = (operation: string): Effect.Effect<never, HandleClosedError> =>
  Effect.fail(new HandleClosedError({ handle: "session", operation }))

/**
 * Runs `f`, which may cross asynchronous boundaries, with exclusive use of the session: directly
 * when the current fiber is inside one of this session's transactions (the transaction already
 * holds it), otherwise holding its lock. Fails with {@link HandleClosedError} before calling
 * anything when the session has ended.
 */
export const use = <A, E, R>(
  session: Session,
  operation: string,
  f: Effect.Effect<A, E, R>
): Effect.Effect<A, E | HandleClosedError, R> =>
  Effect.withFiber((fiber): Effect.Effect<A, E | HandleClosedError, R> => {
    if (!session.node.open) return closedSession(operation)
    if (inTransaction(fiber.getRef(CurrentTransactions), session)) return f
    // The session can end while this fiber waits for the lock: look again once it is held.
    return hold(
      session,
      Effect.suspend((): Effect.Effect<A, E | HandleClosedError, R> =>
        session.node.open ? f : closedSession(operation)
      )
    )
  })

/**
 * Runs `body`, synchronous JET work on the session, in one step of the fiber: at once when nobody
 * holds the session (nothing can interleave with a synchronous step) or when the current fiber's
 * transaction holds it, otherwise once the holder lets go. The effect `body` answers wraps its
 * result; the engine calls happen inside `body` itself.
 */
export const step = <A, E>(
  session: Session,
  operation: string,
  body: () => Effect.Effect<A, E>
): Effect.Effect<A, E | HandleClosedError> =>
  Effect.withFiber((fiber): Effect.Effect<A, E | HandleClosedError> =>
    session.node.open
      ? stepIn(
        fiber,
        session,
        (): Effect.Effect<A, E | HandleClosedError> => session.node.open ? body() : closedSession(operation)
      )
      : closedSession(operation)
  )

/**
 * @internal The rule of {@link step} inside a fiber step already running: `body` at once, or once
 * the holder lets go, so `body` looks again at whatever may have closed while it waited.
 */
export const stepIn = <A, E>(
  fiber: Fiber.Fiber<unknown, unknown>,
  session: Session,
  body: () => Effect.Effect<A, E>
): Effect.Effect<A, E> =>
  session.lock.free > 0 || inTransaction(fiber.getRef(CurrentTransactions), session)
    ? body()
    : hold(session, Effect.suspend(body))

/** One JET call on the session, checked: a negative code fails with its tagged error. */
export const call = <R extends JetResult>(
  session: Session,
  operation: string,
  f: (api: JetApi, sesid: JET_SESID) => R,
  detail?: string | JetErrorPlace
): Effect.Effect<R, HandleError> =>
  step(session, operation, () => check(operation, f(session.api, session.sesid), detail))
