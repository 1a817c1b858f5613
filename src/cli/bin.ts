/**
 * The process entry of `effect-esent`: runs {@link main} on the process's arguments and exits with
 * its code.
 *
 * @module
 */
import { Effect } from "effect"
import { main } from "./main.ts"

// Help text goes through process.stdout: a reader that left early (`| head`) is not an error.
const quietOnEpipe = (error: NodeJS.ErrnoException): void => {
  if (error.code === "EPIPE") process.exit(0)
  throw error
}
process.stdout.on("error", quietOnEpipe)
process.stderr.on("error", quietOnEpipe)

Effect.runPromise(main(process.argv.slice(2))).then((code) => {
  process.exitCode = code
})
