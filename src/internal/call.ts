import { Effect } from "effect"
import type { JetResult } from "../jet/api.ts"
import { type JetError, jetError } from "../JetError.ts"

/** A JET result as an Effect: a negative code fails with its tagged error, anything else succeeds. */
export const check = <R extends JetResult>(
  operation: string,
  result: R,
  detail?: string
): Effect.Effect<R, JetError> =>
  result.err < 0 ? Effect.fail(jetError(result.err, operation, detail)) : Effect.succeed(result)

/** Runs a JET call lazily and checks its result. */
export const jetCall = <R extends JetResult>(
  operation: string,
  call: () => R,
  detail?: string
): Effect.Effect<R, JetError> => Effect.suspend(() => check(operation, call(), detail))
