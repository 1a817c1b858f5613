/**
 * Synchronous cursor work inside one Effect step: a body runs with its session held, calls the engine
 * directly, and reports typed failures by throwing {@link SyncFailure}, which the step turns into the
 * effect's failure. Anything else thrown is a defect.
 */
import { Effect } from "effect"
import { HandleClosedError, SessionMismatchError } from "../Errors.ts"
import type { JetApi, JetResult } from "../jet/api.ts"
import { jetErrorCodes } from "../jet/errors.generated.ts"
import type { JET_COLUMNID, JET_SESID, JET_TABLEID } from "../jet/handles.ts"
import { jetError, type JetErrorPlace, withJetErrorPlace } from "../JetError.ts"
import * as Session from "../Session.ts"
import type { HandleNode } from "./handles.ts"

/** A typed failure thrown by synchronous cursor code. */
export class SyncFailure {
  readonly error: unknown
  constructor(error: unknown) {
    this.error = error
  }
}

/** What a synchronous body works with. */
export interface CursorContext {
  readonly api: JetApi
  readonly sesid: JET_SESID
  readonly tableid: JET_TABLEID
}

/** Returns `result`, or throws its code's tagged error when it is an error. */
export const ok = <R extends JetResult>(operation: string, result: R, detail?: string | JetErrorPlace): R => {
  if (result.err < 0) throw new SyncFailure(jetError(result.err, operation, detail))
  return result
}

/** The parts of an open cursor a step needs. */
export interface CursorLike {
  readonly node: HandleNode
  readonly tableid: JET_TABLEID
  /** The table's name: every error of a step names it. */
  readonly table: string
  readonly database: { readonly session: Session.Session; readonly path: string }
  /** The session's engine and the cursor's handles. */
  readonly context: CursorContext
  /** Opened on a session borrowed through the context (see `Cursor.borrowed`). */
  readonly borrowed: boolean
  /** The last fiber context a step of this cursor found outside any transaction. */
  outsideTransactions: unknown
}

/**
 * Runs `body` on the cursor as one step with its session held, so no other fiber's call on the
 * session lands between its engine calls (see `Session.step`, whose rules this follows in one
 * fiber step: a cursor step is the hottest path of the API). `E` is what the body throws as
 * {@link SyncFailure}. With `checkBorrowed`, a cursor opened on a session borrowed through the
 * context fails with `SessionMismatchError` inside another session's transaction: its work would
 * not belong to it.
 */
export const onCursor: {
  <A, E>(
    cursor: CursorLike,
    operation: string,
    body: (context: CursorContext) => A
  ): Effect.Effect<A, E | HandleClosedError>
  <A, E>(
    cursor: CursorLike,
    operation: string,
    body: (context: CursorContext) => A,
    checkBorrowed: boolean
  ): Effect.Effect<A, E | HandleClosedError | SessionMismatchError>
} = <A, E>(
  cursor: CursorLike,
  operation: string,
  body: (context: CursorContext) => A,
  checkBorrowed = false
): Effect.Effect<A, E | HandleClosedError | SessionMismatchError> =>
  Effect.withFiber((fiber): Effect.Effect<A, E | HandleClosedError | SessionMismatchError> => {
    if (!cursor.node.open) return closedCursor(cursor, operation)
    const session = cursor.database.session
    if (!session.node.open) {
      return Effect.fail(new HandleClosedError({ handle: "session", operation }))
    }
    // A loop's steps run in one fiber context: one found outside any transaction is remembered.
    if (checkBorrowed && cursor.borrowed && fiber.context !== cursor.outsideTransactions) {
      const transactions = fiber.getRef(Session.CurrentTransactions)
      if (transactions.size === 0) cursor.outsideTransactions = fiber.context
      else if (!Session.inTransaction(transactions, session)) {
        return Effect.fail(new SessionMismatchError({ table: cursor.table, operation }))
      }
    }
    // The cursor can close while this fiber waits for its session: `stepIn` runs the check again.
    return Session.stepIn(
      fiber,
      session,
      (): Effect.Effect<A, E | HandleClosedError> =>
        cursor.node.open ? runBody<A, E>(cursor, body) : closedCursor(cursor, operation)
    )
  })

const closedCursor = (cursor: CursorLike, operation: string): Effect.Effect<never, HandleClosedError> =>
  Effect.fail(new HandleClosedError({ handle: "cursor", operation, table: cursor.table }))

const succeedTrue = Effect.succeed(true)
const succeedFalse = Effect.succeed(false)

const runBody = <A, E>(cursor: CursorLike, body: (context: CursorContext) => A): Effect.Effect<A, E> => {
  try {
    const result = body(cursor.context)
    // Moves answer booleans on every step of a loop: those effects are made once.
    return (result === true
      ? succeedTrue
      : result === false
      ? succeedFalse
      : Effect.succeed(result)) as Effect.Effect<
        A,
        E
      >
  } catch (thrown) {
    if (thrown instanceof SyncFailure) {
      return Effect.fail(
        withJetErrorPlace(thrown.error as E, { table: cursor.table, database: cursor.database.path })
      )
    }
    throw thrown
  }
}

/** Runs synchronous code, turning a thrown {@link SyncFailure} into the effect's failure. */
export const attempt = <A, E>(f: () => A): Effect.Effect<A, E> =>
  Effect.suspend(() => {
    try {
      return Effect.succeed(f())
    } catch (thrown) {
      if (thrown instanceof SyncFailure) return Effect.fail(thrown.error as E)
      throw thrown
    }
  })

let scratch = new Uint8Array(1024)

/** The buffer {@link retrieveInto} leaves its value in, valid until the next retrieve. */
export const retrieved = (): Uint8Array => scratch

/**
 * Retrieves one value of a column (`itagSequence` 1-based) into {@link retrieved}: when the value
 * did not fit, the buffer grows to the size the engine reported and the read is repeated, so a
 * value is never reported truncated. Answers its length, or -1 for NULL (or past the last value of
 * a multi-valued column).
 */
export const retrieveInto = (
  context: CursorContext,
  columnid: JET_COLUMNID,
  itagSequence: number,
  grbit: number,
  column: string
): number => {
  const retinfo = itagSequence === 1 ? null : { ibLongValue: 0, itagSequence }
  for (;;) {
    const got = context.api.JetRetrieveColumn(
      context.sesid,
      context.tableid,
      columnid,
      scratch,
      scratch.byteLength,
      grbit,
      retinfo
    )
    if (got.err < 0) throw new SyncFailure(jetError(got.err, "JetRetrieveColumn", { column }))
    if (got.err === jetErrorCodes.JET_wrnColumnNull) return -1
    if (got.err === jetErrorCodes.JET_wrnBufferTruncated || got.cbActual > scratch.byteLength) {
      scratch = new Uint8Array(Math.max(got.cbActual, scratch.byteLength * 2))
      continue
    }
    return got.cbActual
  }
}
