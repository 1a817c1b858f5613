/**
 * Errors of the Effect API that are not JET codes: misuse caught before any engine call.
 *
 * @module
 */
import { Data } from "effect"
import type { JetError } from "./JetError.ts"

/**
 * A handle was used after the scope that owned it closed. Raised before any engine call, because
 * esent.dll checks stale handles only on a best-effort basis and may crash instead.
 */
export class HandleClosedError extends Data.TaggedError("HandleClosedError")<{
  readonly handle: "instance" | "session" | "database" | "cursor"
  readonly operation: string
  /** The table of the cursor, when a cursor operation found it closed. */
  readonly table?: string
}> {
  override get message(): string {
    const what = this.table === undefined ? this.handle : `${this.handle} on table "${this.table}"`
    return `${this.operation}: the ${what} was already closed (its scope has ended)`
  }
}

/**
 * A session pool asks for more sessions than the instance allows at once (`JET_paramMaxSessions`,
 * `maxSessions` in the instance's configuration). Raised when the pool's layer is built, rather
 * than as `JET_errOutOfSessions` when the pool happens to grow past the limit under load.
 */
export class SessionLimitError extends Data.TaggedError("SessionLimitError")<{
  /** Sessions the pool asked for. */
  readonly requested: number
  /** Sessions the instance allows at once. */
  readonly maximum: number
}> {
  override get message(): string {
    return `a pool of ${this.requested} sessions is more than the instance's maximum of ${this.maximum} `
      + `sessions at once: set maxSessions (JET_paramMaxSessions) to at least ${this.requested} in the `
      + `instance's configuration, or make the pool smaller`
  }
}

/** A value does not fit its column (wrong JavaScript type, out of range, too long, bad format). */
export class ColumnValueError extends Data.TaggedError("ColumnValueError")<{
  readonly table: string
  readonly column: string
  readonly reason: string
}> {
  override get message(): string {
    return `${this.table}.${this.column}: ${this.reason}`
  }
}

/** A record or key names a column the table does not have. */
export class UnknownColumnError extends Data.TaggedError("UnknownColumnError")<{
  readonly table: string
  readonly column: string
}> {
  override get message(): string {
    return `table ${this.table} has no column ${this.column}`
  }
}

/**
 * A cursor opened on a session borrowed through the context was used inside a transaction of another
 * session. Its work would not belong to the transaction (ESENT never moves a transaction between
 * sessions), so the call is refused: open the cursor inside the transaction, or hold one session
 * for both with `EsentDatabase.withSession`.
 */
export class SessionMismatchError extends Data.TaggedError("SessionMismatchError")<{
  readonly table: string
  readonly operation: string
}> {
  override get message(): string {
    return `${this.operation} on table "${this.table}": the cursor was opened outside the current `
      + `transaction, on another session; open it inside the transaction, or hold one session for both `
      + `with EsentDatabase.withSession`
  }
}

/**
 * What a call through a handle can fail with: the engine's error, or the handle's scope had closed.
 * A named alias keeps hovers and compiler messages short (a JET error alone is over 400 classes).
 */
export type HandleError = JetError | HandleClosedError
