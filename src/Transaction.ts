/**
 * Transactions: `withTransaction` begins one, commits when the effect succeeds, and rolls back when
 * it fails, dies or is interrupted. Nested calls open the next level (ESENT's savepoints, at most 7).
 * The open transaction travels in the fiber's context, as in effect's own `SqlClient`.
 *
 * @module
 */
import { Effect, Exit, type Schedule } from "effect"
import { HandleClosedError } from "./Errors.ts"
import { sessionLongCall } from "./internal/sessionOffThread.ts"
import {
  JET_bitCommitLazyFlush,
  JET_bitRollbackAll,
  JET_bitTransactionReadOnly,
  JET_bitWaitLastLevel0Commit
} from "./jet/constants.ts"
import { jetErrorCodes } from "./jet/errors.generated.ts"
import { isWriteConflict, type JetError, jetError } from "./JetError.ts"
import { call, CurrentTransactions, type Session } from "./Session.ts"

/** How a transaction begins and commits. */
export interface TransactionOptions {
  /** Begin with `JET_bitTransactionReadOnly`: any update fails with `JET_errTransReadOnly`. */
  readonly readOnly?: boolean
  /**
   * Commit the outermost level with `JET_bitCommitLazyFlush`: the commit returns before the log
   * reaches disk, and is lost if the process crashes first. Await {@link flush} to make it durable.
   */
  readonly lazy?: boolean
}

/** The most nested levels ESENT allows. */
export const maxLevels = 7

/**
 * Runs `effect` inside a transaction of `session`: the next level when the fiber is already inside
 * one of this session's transactions, else a new outermost one holding the session exclusively
 * until it ends. Commits on success; rolls back this level on failure, defect or interruption. A
 * failed commit rolls back and fails with the commit's error. When a level cannot be rolled back,
 * every level is, and each enclosing level fails with that `JetRollback` error instead of
 * committing. A session ended meanwhile fails the commit with {@link HandleClosedError}.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Transaction } from "effect-esent"
 *
 * declare const session: import("effect-esent").Session.Session
 * const both = Transaction.withTransaction(session, Effect.all([Effect.void, Effect.void]))
 * ```
 */
export const withTransaction = <A, E, R>(
  session: Session,
  effect: Effect.Effect<A, E, R>,
  options: TransactionOptions = {}
): Effect.Effect<A, E | JetError | HandleClosedError, R> =>
  Effect.flatMap(Effect.service(CurrentTransactions), (transactions) => {
    const level = (transactions.get(session) ?? 0) + 1
    const outermost = level === 1
    if (level > maxLevels) {
      return Effect.fail(
        jetError(jetErrorCodes.JET_errTransTooDeep, "JetBeginTransaction2", `level ${level}`)
      )
    }
    const inner = new Map(transactions).set(session, level)
    const run = Effect.uninterruptibleMask((restore) =>
      Effect.gen(function*() {
        // The session is held by this transaction, so its own calls run as the owner.
        const owned = Effect.provideService(CurrentTransactions, inner)
        yield* call(
          session,
          "JetBeginTransaction2",
          (api, sesid) =>
            api.JetBeginTransaction2(sesid, options.readOnly === true ? JET_bitTransactionReadOnly : 0)
        ).pipe(owned)
        const exit = yield* Effect.exit(restore(Effect.provideService(effect, CurrentTransactions, inner)))
        if (Exit.isSuccess(exit)) {
          // A level inside this one could not be rolled back, so every level was: this one holds
          // none of its work any more, and committing it would claim a commit that never happens.
          const unwoundBy = unwound.get(session)
          if (unwoundBy !== undefined) {
            yield* rollbackLevel(session, level)
            return yield* Effect.fail(unwoundBy)
          }
          // Ending the session rolled the transaction back; there is nothing left to commit.
          if (!session.node.open) {
            return yield* Effect.fail(
              new HandleClosedError({ handle: "session", operation: "JetCommitTransaction" })
            )
          }
          const grbit = outermost && options.lazy === true ? JET_bitCommitLazyFlush : 0
          const committed = session.api.JetCommitTransaction(session.sesid, grbit)
          if (committed.err >= 0) return exit.value
          yield* rollbackLevel(session, level)
          return yield* Effect.fail(jetError(committed.err, "JetCommitTransaction"))
        }
        yield* rollbackLevel(session, level)
        return yield* exit
      })
    )
    return outermost
      ? session.lock.withPermit(run.pipe(Effect.ensuring(Effect.sync(() => unwound.delete(session)))))
      : run
  })

/**
 * Sessions whose levels were all rolled back because one of them could not be, with the error that
 * started it; the mark lasts until the outermost level ends.
 */
const unwound = new WeakMap<Session, JetError>()

/**
 * Rolls back the innermost level, the `level`th. When that fails, which levels are still open is
 * unknown, so every level is rolled back and the enclosing ones get fresh, empty levels: their
 * remaining updates then stay inside a transaction and are rolled back with it, where at level 0
 * each would commit at once. If that fails too, the session is ended, which rolls back whatever is
 * left.
 */
const rollbackLevel = (session: Session, level: number): Effect.Effect<void> =>
  Effect.suspend(() => {
    if (!session.node.open) return Effect.void
    const rolled = session.api.JetRollback(session.sesid, 0)
    if (rolled.err >= 0) return Effect.void
    if (level > 1) {
      unwound.set(
        session,
        jetError(rolled.err, "JetRollback", `level ${level} could not be rolled back, so every level was`)
      )
    }
    const failed = Effect.logError(
      `JetRollback failed for session ${session.sesid}; rolling back every level`
    )
      .pipe(Effect.annotateLogs({ code: rolled.err }))
    const all = session.api.JetRollback(session.sesid, JET_bitRollbackAll)
    let err = all.err === jetErrorCodes.JET_errNotInTransaction ? 0 : all.err
    for (let reopened = 1; err >= 0 && reopened < level; reopened++) {
      err = session.api.JetBeginTransaction2(session.sesid, 0).err
    }
    if (err >= 0) return failed
    const ended = session.end()
    return Effect.andThen(
      failed,
      Effect.logError(`Session ${session.sesid} could not be brought back to a known state and was ended`)
        .pipe(Effect.annotateLogs({ code: err, endSessionCode: ended }))
    )
  })

/**
 * Waits until every lazy commit of this session is durable (`JET_bitWaitLastLevel0Commit`).
 * Call it outside any transaction.
 */
export const flush = (session: Session): Effect.Effect<void, JetError | HandleClosedError> =>
  Effect.asVoid(sessionLongCall(session, "JetCommitTransaction", [JET_bitWaitLastLevel0Commit]))

/**
 * Rolls back every level of the session's transaction, if any (`JET_bitRollbackAll`). A session
 * with no transaction is left as it is.
 */
export const rollbackAll = (session: Session): Effect.Effect<void, JetError | HandleClosedError> =>
  Effect.asVoid(
    call(session, "JetRollback", (api, sesid) => {
      const rolled = api.JetRollback(sesid, JET_bitRollbackAll)
      return rolled.err === jetErrorCodes.JET_errNotInTransaction ? { err: 0 } : rolled
    })
  )

/**
 * Retries `effect` while it fails with a write conflict, following `schedule`. Wrap the whole
 * transaction, so that each attempt starts from a fresh snapshot.
 *
 * @example
 * ```ts
 * import { Effect, Schedule } from "effect"
 * import { Transaction } from "effect-esent"
 *
 * declare const transfer: Effect.Effect<void, import("effect-esent").JetError>
 * const resilient = Transaction.retryOnConflict(transfer, Schedule.exponential("5 millis"))
 * ```
 */
export const retryOnConflict = <A, E, R, Out, RS>(
  effect: Effect.Effect<A, E, R>,
  schedule: Schedule.Schedule<Out, NoInfer<E>, never, RS>
): Effect.Effect<A, E, R | RS> => Effect.retry(effect, { schedule, while: (error) => isWriteConflict(error) })
