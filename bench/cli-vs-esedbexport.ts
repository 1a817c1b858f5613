/**
 * Dumps every table of large.edb three ways in one run: Debian's `esedbexport -t` (libesedb), the
 * `effect-esent export` command line, and the Effect API's file layer (bench/dump-effect-api.ts);
 * each under `/usr/bin/time` for wall time and peak RSS. Then the command line again with its page
 * cache at a tenth of the file, its output compared byte for byte with the default run's. Prints
 * the ratios. `node bench/cli-vs-esedbexport.ts [FILE]` (default: the large.edb fixture).
 */
import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gunzipSync } from "node:zlib"

const root = new URL("..", import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), "bench-cli-"))

interface Run {
  readonly seconds: number
  readonly rssMiB: number
}

/** Runs a command under /usr/bin/time; its stdout is discarded. */
const measure = (label: string, command: string, args: ReadonlyArray<string>): Run => {
  const timing = join(dir, "time.txt")
  const result = spawnSync("/usr/bin/time", ["-f", "%e %M", "-o", timing, command, ...args], {
    stdio: ["ignore", "ignore", "pipe"],
    maxBuffer: 64 * 1024 * 1024
  })
  const [seconds, kb] = readFileSync(timing, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number)
  const run = { seconds: seconds!, rssMiB: kb! / 1024 }
  console.log(
    `${label.padEnd(42)} ${run.seconds.toFixed(2).padStart(7)} s  ${
      run.rssMiB.toFixed(1).padStart(7)
    } MiB peak RSS  (exit ${result.status})`
  )
  return run
}

const digest = (folder: string): string => {
  const hash = createHash("sha256")
  for (const name of readdirSync(folder).sort()) hash.update(name).update(readFileSync(join(folder, name)))
  return hash.digest("hex")
}

try {
  const file = process.argv[2] ?? join(dir, "large.edb")
  if (process.argv[2] === undefined) {
    writeFileSync(file, gunzipSync(readFileSync(join(root, "test/fixtures/real-edb/large.edb.gz"))))
  }
  const size = statSync(file).size
  const node = process.execPath
  const bin = join(root, "bin/effect-esent.js")
  console.log(`${file}: ${(size / 2 ** 20).toFixed(1)} MiB`)
  const floor = measure("node with effect loaded (the floor)", node, ["-e", "await import('effect')"])
  const theirs = measure("esedbexport -t", "esedbexport", ["-t", join(dir, "esedbexport"), file])
  const cli = measure("effect-esent export (cache 32 MiB)", node, [bin, "export", file, join(dir, "cli")])
  const api = measure("Effect API, Jet.layerFile (cache 32 MiB)", node, [
    join(root, "bench/dump-effect-api.ts"),
    file
  ])
  const tenthMiB = Math.max(1, Math.round(size / 10 / 2 ** 20))
  const small = measure(`effect-esent export (cache ${tenthMiB} MiB)`, node, [
    bin,
    "export",
    file,
    join(dir, "cli-small"),
    "--cache-mib",
    String(tenthMiB)
  ])
  const same = digest(join(dir, "cli")) === digest(join(dir, "cli-small"))
  console.log("")
  console.log(
    `CLI vs esedbexport: ${(theirs.seconds / cli.seconds).toFixed(1)}x faster (target >= 5x), peak RSS ${
      (cli.rssMiB / theirs.rssMiB).toFixed(2)
    }x`
  )
  console.log(
    `Effect API vs esedbexport: ${(theirs.seconds / api.seconds).toFixed(1)}x faster, peak RSS ${
      (api.rssMiB / theirs.rssMiB).toFixed(2)
    }x`
  )
  console.log(
    `CLI peak RSS over the node+effect floor: ${
      (cli.rssMiB - floor.rssMiB).toFixed(1)
    } MiB (cache bound 32 MiB)`
  )
  console.log(
    `CLI with cache ${tenthMiB} MiB: RSS over floor ${
      (small.rssMiB - floor.rssMiB).toFixed(1)
    } MiB (bound ${tenthMiB} MiB), ${(small.seconds / cli.seconds).toFixed(2)}x the time, output ${
      same ? "unchanged" : "CHANGED"
    }`
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
