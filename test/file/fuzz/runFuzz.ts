// Runs fuzzWorker.ts in a worker with a heap limit, and a watchdog that ends it when one case takes
// longer than the time bound: a hang or an unbounded allocation is reported with its case.
import { Worker } from "node:worker_threads"

/** What a fuzz run found. */
export type FuzzResult =
  | { readonly type: "done"; readonly cases: number; readonly outcomes: Record<string, number> }
  | { readonly type: "failed"; readonly message: string }
  | { readonly type: "hang"; readonly lastCase: unknown }
  | { readonly type: "crash"; readonly message: string; readonly lastCase: unknown }

/** Ends `worker` when a case outlives `caseMs`; resolves with what it reported or how it died. */
const watch = (worker: Worker, caseMs: number, resolve: (result: FuzzResult) => void): void => {
  let lastCase: unknown
  let lastBeat = Date.now()
  let settled = false
  // The first heartbeat waits for the worker to load and prepare its files.
  let started = false
  const finish = (result: FuzzResult) => {
    if (settled) return
    settled = true
    clearInterval(watchdog)
    void worker.terminate()
    resolve(result)
  }
  const watchdog = setInterval(() => {
    if (started && Date.now() - lastBeat > caseMs) finish({ type: "hang", lastCase })
  }, Math.max(50, caseMs / 4))
  worker.on("message", (message: { type: string } & Record<string, unknown>) => {
    if (message.type === "case") {
      started = true
      lastBeat = Date.now()
      lastCase = message
    } else finish(message as FuzzResult)
  })
  worker.on("error", (error) => finish({ type: "crash", message: String(error), lastCase }))
  worker.on("exit", (code) => finish({ type: "crash", message: `worker exited with ${code}`, lastCase }))
}

/** Runs `numRuns` cases over `sources`; each case gets `caseMs` and the worker `heapMiB` of heap. */
export const runFuzz = (options: {
  readonly sources: ReadonlyArray<string>
  readonly scratchDir: string
  readonly seed: number
  readonly numRuns: number
  readonly caseMs: number
  readonly heapMiB: number
}): Promise<FuzzResult> =>
  new Promise((resolve) => {
    const worker = new Worker(new URL("./fuzzWorker.ts", import.meta.url), {
      workerData: {
        sources: options.sources,
        scratchDir: options.scratchDir,
        seed: options.seed,
        numRuns: options.numRuns
      },
      resourceLimits: { maxOldGenerationSizeMb: options.heapMiB, maxYoungGenerationSizeMb: 32 }
    })
    watch(worker, options.caseMs, resolve)
  })

/** Runs a worker that hangs or allocates without bound, under the same watchdog and heap limit. */
export const runFuzzProbe = (probe: "hang" | "allocate", caseMs: number): Promise<FuzzResult> =>
  new Promise((resolve) => {
    const worker = new Worker(new URL("./probeWorker.ts", import.meta.url), {
      workerData: probe,
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 }
    })
    watch(worker, caseMs, resolve)
  })
