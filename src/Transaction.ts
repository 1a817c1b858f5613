/**
 * Transactions: `withTransaction` begins one, commits when the effect succeeds, and rolls back when
 * it fails, dies or is interrupted. Nested calls open the next level (ESENT's savepoints, at most 7).
 * The open transaction travels in the fiber's context, as in effect's own `SqlClient`:
 * `withTransaction(effect)` runs on the database in the context, on the session the fiber already
 * holds or on one borrowed from the pool for the transaction; `withSessionTransaction(session,
 * effect)` runs on a session given by hand.
 *
 * @module
 */
import { Context, Effect, type Schedule } from "effect"
import { dual } from "effect/Function"
import { HandleClosedError, type HandleError } from "./Errors.ts"
import { EsentDatabase, keepWantedCursors, withConnection } from "./EsentDatabase.ts"
import { check } from "./internal/call.ts"
import { sessionLongCall } from "./internal/sessionOffThread.ts"
import {
  JET_bitCommitLazyFlush,
  JET_bitRollbackAll,
  JET_bitTransactionReadOnly,
  JET_bitWaitLastLevel0Commit
} from "./jet/constants.ts"
import { jetErrorCodes } from "./jet/errors.generated.ts"
import { isWriteConflict, type JetError, jetError } from "./JetError.ts"
import {
  call,
  CurrentTransactions,
  hold,
  isSession,
  levelIn,
  newTransactionId,
  type Session,
  transactionMark
} from "./Session.ts"

/** What beginning, committing or rolling back a transaction can fail with (besides the effect's own errors). */
export type TransactionError = JetError | HandleClosedError

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
 * Runs `effect` inside a transaction on the database in the context, as effect's
 * `SqlClient.withTransaction` does: on the session the fiber already holds for it (inside another
 * transaction this opens the next level), or on a session borrowed from the pool until the
 * transaction ends. Every table and cursor operation inside finds that session in the context.
 * Commits on success; rolls back on failure, defect or interruption (see
 * {@link withSessionTransaction} for the details, which are the same).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Table, Transaction } from "effect-esent"
 *
 * const Accounts = Table.make({
 *   name: "accounts",
 *   columns: { id: { type: "Long", notNull: true }, balance: { type: "LongLong", notNull: true } },
 *   indexes: [{ name: "by_id", key: ["id"], primary: true }]
 * })
 * const open = Effect.all([
 *   Table.insert(Accounts, { id: 1, balance: 100n }),
 *   Table.insert(Accounts, { id: 2, balance: 0n })
 * ]).pipe(Transaction.withTransaction())
 * ```
 */
export const withTransaction: {
  (options?: TransactionOptions): <A, E, R>(
    effect: Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E | TransactionError, R | EsentDatabase>
  <A, E, R>(
    effect: Effect.Effect<A, E, R>,
    options?: TransactionOptions
  ): Effect.Effect<A, E | TransactionError, R | EsentDatabase>
} = dual(
  (args) => Effect.isEffect(args[0]),
  <A, E, R>(effect: Effect.Effect<A, E, R>, options: TransactionOptions = {}) =>
    withConnection((connection, _, borrowed) => {
      const transaction = sessionTransaction(connection.session, effect, options, borrowed)
      return connection.wanted.size === 0
        ? transaction
        : Effect.andThen(keepWantedCursors(connection), transaction)
    }, { transaction: true })
)

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
 * import { Session, Transaction } from "effect-esent"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const session = yield* Session.begin
 *   return yield* Effect.succeed(42).pipe(Transaction.withSessionTransaction(session))
 * }))
 * ```
 */
export const withSessionTransaction: {
  (session: Session, options?: TransactionOptions): <A, E, R>(
    effect: Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E | TransactionError, R>
  <A, E, R>(
    session: Session,
    effect: Effect.Effect<A, E, R>,
    options?: TransactionOptions
  ): Effect.Effect<A, E | TransactionError, R>
} = dual(
  (args) => isSession(args[0]) && Effect.isEffect(args[1]),
  <A, E, R>(session: Session, effect: Effect.Effect<A, E, R>, options: TransactionOptions = {}) =>
    sessionTransaction(session, effect, options, false)
)

// Written with as few effect steps as possible: a one-insert transaction is a hot path, and each
// step of the fiber's run loop costs about as much as an engine call.
const sessionTransaction = <A, E, R>(
  session: Session,
  effect: Effect.Effect<A, E, R>,
  options: TransactionOptions,
  exclusive: boolean
): Effect.Effect<A, E | HandleError, R> =>
  Effect.contextWith((context: Context.Context<never>) => {
    const transactions = Context.get(context, CurrentTransactions)
    const level = levelIn(transactions, session) + 1
    if (level > maxLevels) {
      return Effect.fail(
        jetError(jetErrorCodes.JET_errTransTooDeep, "JetBeginTransaction2", `level ${level}`)
      )
    }
    // An outermost level gets a new id, which the session carries once the level has begun.
    const id = level === 1 ? newTransactionId() : session.transaction
    const mark = transactionMark(id, level)
    const inner = transactions.size === 0
      ? new Map([[session, mark]])
      : new Map(transactions).set(session, mark)
    const body = Effect.provideService(effect, CurrentTransactions, inner)
    const lazy = level === 1 && options.lazy === true
    const run = Effect.uninterruptibleMask((restore) => {
      if (!session.node.open) {
        return Effect.fail(new HandleClosedError({ handle: "session", operation: "JetBeginTransaction2" }))
      }
      // A mark left by an earlier transaction of this session means nothing to this one.
      if (level === 1) unwound.delete(session)
      const begun = session.api.JetBeginTransaction2(
        session.sesid,
        options.readOnly === true ? JET_bitTransactionReadOnly : 0
      )
      if (begun.err < 0) return Effect.fail(jetError(begun.err, "JetBeginTransaction2"))
      if (level === 1) session.transaction = id
      const ended = Effect.matchCauseEffect(restore(body), {
        onFailure: (cause) => Effect.andThen(rollbackLevel(session, level), Effect.failCause(cause)),
        onSuccess: (value) => commitLevel(session, level, value, lazy)
      })
      return begun.err === 0 ? ended : Effect.andThen(check("JetBeginTransaction2", begun), ended)
    })
    // The outermost level holds the session until it ends; inner levels run inside that hold, and
    // a session borrowed for this transaction alone has nobody to hold it against.
    return level === 1 && !exclusive ? hold(session, run) : run
  })

/** Commits the `level`th level, or rolls it back and fails when that cannot be done. */
const commitLevel = <A>(
  session: Session,
  level: number,
  value: A,
  lazy: boolean
): Effect.Effect<A, HandleError> => {
  // A level inside this one could not be rolled back, so every level was: this one holds none of
  // its work any more, and committing it would claim a commit that never happens.
  const unwoundBy = unwound.get(session)
  if (unwoundBy !== undefined) return Effect.andThen(rollbackLevel(session, level), Effect.fail(unwoundBy))
  // Ending the session rolled the transaction back; there is nothing left to commit.
  if (!session.node.open) {
    if (level === 1) session.transaction = 0
    return Effect.fail(new HandleClosedError({ handle: "session", operation: "JetCommitTransaction" }))
  }
  const committed = session.api.JetCommitTransaction(session.sesid, lazy ? JET_bitCommitLazyFlush : 0)
  if (committed.err >= 0) {
    if (level === 1) session.transaction = 0
    return Effect.succeed(value)
  }
  return Effect.andThen(
    rollbackLevel(session, level),
    Effect.fail(jetError(committed.err, "JetCommitTransaction"))
  )
}

/**
 * Sessions whose levels were all rolled back because one of them could not be, with the error that
 * started it; the mark lasts until the session's next outermost transaction begins.
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
    // Rolled back or not, the outermost level ends here: see `Session.transaction`.
    if (level === 1) session.transaction = 0
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
 * Waits until every lazy commit is durable (`JET_bitWaitLastLevel0Commit`): those of `session`, or
 * with no argument, those of the session the fiber holds for the database in the context (a lazy
 * commit is flushed by the instance's log, so any of its sessions waits for all earlier commits).
 * Call it outside any transaction.
 */
export const flush: {
  (): Effect.Effect<void, TransactionError, EsentDatabase>
  (session: Session): Effect.Effect<void, TransactionError>
} = ((session?: Session) =>
  session === undefined
    ? withConnection((connection) => flushSession(connection.session))
    : flushSession(session)) as never

const flushSession = (session: Session): Effect.Effect<void, HandleError> =>
  Effect.asVoid(
    sessionLongCall(session, "JetCommitTransaction", [JET_bitWaitLastLevel0Commit])
  )

/**
 * Rolls back every level of the session's transaction, if any (`JET_bitRollbackAll`). A session
 * with no transaction is left as it is.
 */
export const rollbackAll = (session: Session): Effect.Effect<void, HandleError> =>
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
export const retryOnConflict: {
  <E, Out, RS>(
    schedule: Schedule.Schedule<Out, NoInfer<E>, never, RS>
  ): <A, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R | RS>
  <A, E, R, Out, RS>(
    effect: Effect.Effect<A, E, R>,
    schedule: Schedule.Schedule<Out, NoInfer<E>, never, RS>
  ): Effect.Effect<A, E, R | RS>
} = dual(
  2,
  <A, E, R, Out, RS>(
    effect: Effect.Effect<A, E, R>,
    schedule: Schedule.Schedule<Out, NoInfer<E>, never, RS>
  ): Effect.Effect<A, E, R | RS> =>
    Effect.retry(effect, { schedule, while: (error) => isWriteConflict(error) })
)
