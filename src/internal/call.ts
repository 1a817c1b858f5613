import { Effect } from "effect"
import type { JetResult } from "../jet/api.ts"
import { jetErrorByValue } from "../jet/errors.generated.ts"
import { type JetError, jetError, type JetErrorPlace } from "../JetError.ts"

/**
 * A JET result as an Effect: a negative code fails with its tagged error; a warning stays in the
 * result for the caller and is logged at debug level, so that it is never lost unseen.
 */
export const check = <R extends JetResult>(
  operation: string,
  result: R,
  detail?: string | JetErrorPlace
): Effect.Effect<R, JetError> =>
  result.err < 0
    ? Effect.fail(jetError(result.err, operation, detail))
    : result.err > 0
    ? Effect.as(
      Effect.logDebug(`${operation}: ${jetErrorByValue(result.err)?.name ?? "warning"} (${result.err})`).pipe(
        Effect.annotateLogs(
          detail === undefined ? { code: result.err } : { code: result.err, detail: JSON.stringify(detail) }
        )
      ),
      result
    )
    : Effect.succeed(result)

/** Runs a JET call lazily and checks its result. */
export const jetCall = <R extends JetResult>(
  operation: string,
  call: () => R,
  detail?: string | JetErrorPlace
): Effect.Effect<R, JetError> => Effect.suspend(() => check(operation, call(), detail))
