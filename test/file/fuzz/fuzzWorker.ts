// The fuzz loop, in a worker thread: posts "case" before each case (the watchdog's heartbeat), and
// "done" with the outcome counts, or "failed" with fast-check's report.
import fc from "fast-check"
import { parentPort, workerData } from "node:worker_threads"
import { mutation, prepare, runCase } from "./fuzzReader.ts"

interface Input {
  readonly sources: ReadonlyArray<string>
  readonly scratchDir: string
  readonly seed: number
  readonly numRuns: number
}

const input = workerData as Input
const targets = input.sources.map((source, i) => prepare(source, `${input.scratchDir}/fuzz-${i}.edb`))
const outcomes: Record<string, number> = {}
let n = 0
try {
  for (const target of targets) {
    fc.assert(
      fc.property(mutation(target), (m) => {
        parentPort!.postMessage({ type: "case", n: n++, mutation: m, file: target.path })
        const outcome = runCase(target, m)
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1
      }),
      { seed: input.seed, numRuns: Math.ceil(input.numRuns / targets.length) }
    )
  }
  parentPort!.postMessage({ type: "done", outcomes, cases: n })
} catch (error) {
  parentPort!.postMessage({ type: "failed", message: String(error instanceof Error ? error.message : error) })
}
