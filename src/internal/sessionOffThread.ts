/**
 * A long JET call on a session (create or attach a database, wait for lazy commits), off the
 * JavaScript thread when the engine allows it. Outside a transaction ESENT lets a session move
 * between threads one call at a time; the session's lock keeps every other call off it meanwhile.
 * Inside one of the session's transactions the call stays on the JavaScript thread, since a
 * transaction never spans threads.
 *
 * @module
 */
import { Effect } from "effect"
import type { HandleError } from "../Errors.ts"
import type { JetApiAsync, JetAsyncMethod } from "../jet/api.ts"
import type { JET_SESID } from "../jet/handles.ts"
import { CurrentTransactions, inTransaction, type Session, use } from "../Session.ts"
import { longCall, type LongCallResult } from "./offThread.ts"

/** The arguments of a long call after its session. */
type AfterSession<M extends JetAsyncMethod> = Parameters<JetApiAsync[M]> extends [JET_SESID, ...infer Rest]
  ? Rest
  : never

/** One long call on the session, under its lock and checked, as `Session.call` makes quick ones. */
export const sessionLongCall = <M extends JetAsyncMethod>(
  session: Session,
  method: M,
  args: AfterSession<M>,
  detail?: string
): Effect.Effect<LongCallResult<M>, HandleError> =>
  Effect.flatMap(Effect.service(CurrentTransactions), (transactions) =>
    use(
      session,
      method,
      Effect.suspend(() =>
        longCall(
          session.api,
          method,
          [session.sesid, ...args] as unknown as Parameters<JetApiAsync[M]>,
          detail,
          !inTransaction(transactions, session)
        )
      )
    ))
