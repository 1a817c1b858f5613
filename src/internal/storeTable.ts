/**
 * The operations of a store kept in one table (effect's `KeyValueStore` and `BackingPersistence`
 * over ESENT): each runs on the connection of the fiber's transaction, or on one borrowed from the
 * pool for that operation alone, so that a store holds no session between operations and its
 * writes belong to the caller's `Transaction.withTransaction`.
 *
 * @internal
 */
import { Context, Effect, type Scope } from "effect"
import * as Cursor from "../Cursor.ts"
import { HandleClosedError } from "../Errors.ts"
import {
  currentConnection,
  EsentDatabase,
  type EsentDatabaseService,
  withConnection,
  withCursorOnIndex
} from "../EsentDatabase.ts"
import { isJetError, isWriteConflict } from "../JetError.ts"
import { CurrentTransactions, inTransaction } from "../Session.ts"
import * as Transaction from "../Transaction.ts"

/** How one operation runs. */
export interface OperationOptions {
  /** The operation's name, given to the error when the store's scope has ended. */
  readonly operation: string
  /** Only reads: its own transaction is read-only (a level inside the caller's is not). */
  readonly readOnly?: boolean
  /** The index the cursor is on for the operation; the clustered index when not given. */
  readonly index?: string
}

/** Runs one operation on a cursor of the store's table, inside a transaction level of its own. */
export type RunOperation = <A, E>(
  options: OperationOptions,
  f: (cursor: Cursor.Cursor) => Effect.Effect<A, E>
) => Effect.Effect<A, E | Cursor.CursorError>

/**
 * How many times an operation that is its own transaction runs before a write conflict or a
 * duplicate key is reported. Either means another session changed the same record after this
 * transaction began; that session's operation is short, so a fresh transaction after it has run
 * succeeds. Inside the caller's transaction nothing is retried: its snapshot cannot move.
 */
const maxAttempts = 100

const isRetryable = (error: unknown): boolean =>
  isWriteConflict(error) || (isJetError(error) && error._tag === "JET_errKeyDuplicate")

/** Runs `attempt` again, after letting the other fibers run, while it meets another session's change. */
const retryingConflicts = <A, E>(attempt: Effect.Effect<A, E>): Effect.Effect<A, E> => {
  const from = (done: number): Effect.Effect<A, E> =>
    Effect.catchIf(
      attempt,
      (error) => done + 1 < maxAttempts && isRetryable(error),
      () => Effect.andThen(Effect.yieldNow, from(done + 1))
    )
  return from(0)
}

/**
 * The operations of a store on `table` of `database`, for the current scope: once the scope has
 * ended, every operation fails with a `HandleClosedError` naming the table, so that a store used
 * past its lifetime is an error whatever the pool still has open.
 *
 * An operation runs on the connection the fiber holds for the database (inside
 * `Transaction.withTransaction` it is the next level of that transaction, committed or rolled back
 * with it), or else on a connection borrowed for the operation alone, in a transaction of its own
 * (read-only for reads) that a write conflict restarts.
 */
export const storeTable = (
  database: EsentDatabaseService,
  table: string
): Effect.Effect<RunOperation, never, Scope.Scope> =>
  Effect.map(
    Effect.acquireRelease(Effect.sync(() => ({ open: true })), (state) =>
      Effect.sync(() => {
        state.open = false
      })),
    (state): RunOperation => (options, f) =>
      Effect.contextWith((context: Context.Context<never>) => {
        if (!state.open) {
          return Effect.fail(new HandleClosedError({ handle: "cursor", operation: options.operation, table }))
        }
        const held = currentConnection(context, database)
        const nested = held !== undefined
          && inTransaction(Context.get(context, CurrentTransactions), held.session)
        const body = withConnection((connection) =>
          withCursorOnIndex(connection, table, options.index ?? null, f)
        )
        const attempt = Effect.provideService(
          Transaction.withTransaction(body, { readOnly: options.readOnly === true && !nested }),
          EsentDatabase,
          database
        )
        return nested || options.readOnly === true ? attempt : retryingConflicts(attempt)
      })
  )
