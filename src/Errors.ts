/**
 * Errors of the Effect API that are not JET codes: misuse caught before any engine call.
 *
 * @module
 */
import { Data } from "effect"

/**
 * A handle was used after the scope that owned it closed. Raised before any engine call, because
 * esent.dll checks stale handles only on a best-effort basis and may crash instead.
 */
export class HandleClosedError extends Data.TaggedError("HandleClosedError")<{
  readonly handle: "instance" | "session" | "database" | "cursor"
  readonly operation: string
}> {
  override get message(): string {
    return `${this.operation}: the ${this.handle} was already closed (its scope has ended)`
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
