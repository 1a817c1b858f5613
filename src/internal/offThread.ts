/**
 * The long JET calls (`JetApiAsync`) off the JavaScript thread when the engine offers them, so the
 * event loop keeps running while ESENT recovers, terminates, creates or attaches a database or
 * flushes its log; synchronously on engines whose calls are all quick.
 *
 * @module
 */
import { Effect } from "effect"
import type { JetApi, JetApiAsync, JetAsyncMethod } from "../jet/api.ts"
import type { JetError } from "../JetError.ts"
import { check } from "./call.ts"

/** The result a long call resolves with, the same as its synchronous twin's. */
export type LongCallResult<M extends JetAsyncMethod> = Awaited<ReturnType<JetApiAsync[M]>>

/**
 * Runs one long call and returns its raw result: through `api.async` when the engine has it and
 * `offThread` allows it, else synchronously. Uninterruptible once started: a native call cannot be
 * called back, and its handles must not be used by anything else until it has returned.
 */
export const longCallResult = <M extends JetAsyncMethod>(
  api: JetApi,
  method: M,
  args: Parameters<JetApiAsync[M]>,
  offThread = true
): Effect.Effect<LongCallResult<M>> => {
  const calls = api.async
  if (calls === undefined || !offThread) {
    const sync = api[method] as unknown as (...args: Parameters<JetApiAsync[M]>) => LongCallResult<M>
    return Effect.sync(() => sync.apply(api, args))
  }
  const async = calls[method] as unknown as (
    ...args: Parameters<JetApiAsync[M]>
  ) => Promise<LongCallResult<M>>
  return Effect.uninterruptible(Effect.promise(() => async.apply(calls, args)))
}

/** {@link longCallResult}, checked: a negative code fails with its tagged error. */
export const longCall = <M extends JetAsyncMethod>(
  api: JetApi,
  method: M,
  args: Parameters<JetApiAsync[M]>,
  detail?: string,
  offThread = true
): Effect.Effect<LongCallResult<M>, JetError> =>
  Effect.flatMap(longCallResult(api, method, args, offThread), (result) => check(method, result, detail))
