// A deliberately bad case, to show that the fuzz harness catches what it claims to: "hang" loops
// forever after its first heartbeat, "allocate" grows memory without bound.
import { parentPort, workerData } from "node:worker_threads"

parentPort!.postMessage({ type: "case", n: 0, probe: workerData })
if (workerData === "hang") {
  for (;;) {
    // never ends
  }
} else {
  const hoard: Array<Array<number>> = []
  for (;;) hoard.push(new Array(1_000_000).fill(1))
}
