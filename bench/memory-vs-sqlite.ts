/**
 * Inserts, point seeks and range scans per second on the in-memory engine, beside the same workload
 * on SQLite in `:memory:` through `node:sqlite`. Both sides start from and end with JavaScript values
 * (numbers and strings), so the ESENT side pays for encoding its column buffers just as SQLite pays
 * for binding. Every phase's results are checksummed on both sides and must agree.
 *
 * Targets: the memory engine at least 1.0× SQLite on inserts and range scans, 1.5× on point seeks,
 * at every table size; and at most 300 bytes of JavaScript heap per record at the largest size
 * (measured after commit and a full garbage collection, the empty engine's heap subtracted).
 *
 * Run: `npm run bench:memory` (100,000 records), `npm run bench:memory:scaling` (10,000, 100,000
 * and 1,000,000), or `node bench/memory-vs-sqlite.ts [records...]`; `--json` for JSON lines, see
 * `report.ts`.
 *
 * @module
 */
import { cpus } from "node:os"
import type { DatabaseSync as SqliteDatabase } from "node:sqlite"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import type { JetApi } from "../src/jet/api.ts"
import {
  JET_bitIndexPrimary,
  JET_bitIndexUnique,
  JET_bitNewKey,
  JET_bitRangeInclusive,
  JET_bitRangeUpperLimit,
  JET_bitSeekEQ,
  JET_bitSeekGE,
  JET_coltypLong,
  JET_coltypLongLong,
  JET_coltypText,
  JET_MoveFirst,
  JET_MoveNext,
  JET_prepInsert
} from "../src/jet/constants.ts"
import { jetErrorCodes } from "../src/jet/errors.generated.ts"
import type { JET_COLUMNID, JET_INSTANCE, JET_SESID, JET_TABLEID } from "../src/jet/handles.ts"
import { makeMemoryEngine, makeMemoryStore } from "../src/memory/index.ts"
import type { Figure } from "./report.ts"
import { emit, figure, positionalArguments, say } from "./report.ts"

// node:sqlite announces itself with an ExperimentalWarning on first load; only that one is dropped,
// any other warning still reaches Node's own printer.
const warningListeners = process.listeners("warning")
process.removeAllListeners("warning")
process.on("warning", (warning) => {
  if (warning.name === "ExperimentalWarning" && /sqlite/i.test(warning.message)) return
  for (const listener of warningListeners) listener(warning)
})
const { DatabaseSync } = await import("node:sqlite")

// Garbage is collected by hand around the timed slices (see runPhase). A context made after the flag
// is set gets `gc`.
setFlagsFromString("--expose-gc")
const collectGarbage = runInNewContext("gc") as (options: { readonly type: "major" | "minor" }) => void

/** Table sizes to run, from the command line; 100,000 records when none is given. */
const SIZES: ReadonlyArray<number> = positionalArguments.length === 0
  ? [100_000]
  : positionalArguments.map((a) => {
    const n = Number(a.replaceAll("_", ""))
    if (!Number.isInteger(n) || n < 10_000) {
      throw new Error(`a table size of at least 10000 records, not ${a}`)
    }
    return n
  })
/** The most heap per record of the benchmark's shape, at the largest size. */
const HEAP_BUDGET = 300
const SEEKS = 100_000
const SCANS = 1_000
const SCAN_WIDTH = 100
const ROUNDS = 3
/** Each phase is cut into this many slices, run by the two sides in turn. */
const SLICES = 10
/** Small enough to stay well inside the time budget, large enough for the JIT to settle. */
const WARMUP_RECORDS = 5_000
const WARMUP_SCANS = 50
const SEED = 0x5eed_2024

// ---------------------------------------------------------------------------------------------
// Data

/** mulberry32: tiny, fast, and the same sequence on every machine. */
const random = (seed: number): () => number => {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Data {
  readonly records: number
  /** Keys 1..records in the order they are inserted. */
  readonly insertOrder: Int32Array
  /** `names[id]` and `values[id]`; index 0 is unused. */
  readonly names: ReadonlyArray<string>
  /** Within ±2^52, so that both sides can read them as exact JavaScript numbers. */
  readonly values: Float64Array
  readonly seekKeys: Int32Array
  readonly scanStarts: Int32Array
  /** Keys 1..WARMUP_RECORDS in random order, and scan starts within them, for the warm-up table. */
  readonly warmupOrder: Int32Array
  readonly warmupStarts: Int32Array
}

// Non-ASCII letters make the UTF-16 column carry more than Latin-1 on both sides.
const ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüßéñçøłž"

const makeData = (records: number): Data => {
  const next = random(SEED)
  const int = (n: number): number => Math.floor(next() * n)
  const insertOrder = Int32Array.from({ length: records }, (_, i) => i + 1)
  for (let i = records - 1; i > 0; i--) {
    const j = int(i + 1)
    const tmp = insertOrder[i] as number
    insertOrder[i] = insertOrder[j] as number
    insertOrder[j] = tmp
  }
  const names: Array<string> = [""]
  const values = new Float64Array(records + 1)
  for (let id = 1; id <= records; id++) {
    let name = ""
    const length = 14 + int(5)
    for (let c = 0; c < length; c++) name += ALPHABET[int(ALPHABET.length)]
    names.push(name)
    values[id] = (int(2 ** 26) - 2 ** 25) * 2 ** 27 + int(2 ** 27)
  }
  const seekKeys = Int32Array.from({ length: SEEKS }, () => 1 + int(records))
  const scanStarts = Int32Array.from({ length: SCANS }, () => 1 + int(records - SCAN_WIDTH + 1))
  const warmupOrder = insertOrder.filter((id) => id <= WARMUP_RECORDS)
  const warmupStarts = Int32Array.from(
    { length: WARMUP_SCANS },
    () => 1 + int(WARMUP_RECORDS - SCAN_WIDTH + 1)
  )
  return { records, insertOrder, names, values, seekKeys, scanStarts, warmupOrder, warmupStarts }
}

// ---------------------------------------------------------------------------------------------
// Checksums: order-sensitive, so a scan that returns the right rows in the wrong order fails too

const mix = (h: number, x: number): number => Math.imul(h ^ x, 0x9e3779b1) ^ (h >>> 15)

const mixRow = (h: number, name: string, value: number): number => {
  let n = 0x811c9dc5
  for (let i = 0; i < name.length; i++) n = Math.imul(n ^ name.charCodeAt(i), 16777619)
  return mix(mix(mix(h, n), value >>> 0), Math.floor(value / 4294967296) | 0)
}

// ---------------------------------------------------------------------------------------------
// The two sides

interface Side {
  readonly name: string
  /** A fresh, empty table. */
  readonly open: () => Store
}

/**
 * A table on one side. Work comes in slices `[from, to)` of the input arrays so that the two sides
 * can take turns within a phase; the reads fold their rows into the checksum `h` they are handed.
 */
interface Store {
  readonly begin: () => void
  /** Inserts the keys `order[from..to)`, inside the transaction opened by `begin`. */
  readonly insert: (order: Int32Array, from: number, to: number) => void
  readonly commit: () => void
  /** Every record in key order; untimed, to check that both sides hold the same data. */
  readonly walk: () => number
  readonly seek: (h: number, keys: Int32Array, from: number, to: number) => number
  readonly scan: (h: number, starts: Int32Array, from: number, to: number) => number
  readonly close: () => void
}

const fail = (what: string, err: number | string): never => {
  throw new Error(`${what} failed: ${err}`)
}

const check = (what: string, err: number): void => {
  if (err !== 0) fail(what, err)
}

const memorySide = (data: Data): Side => ({
  name: "memory engine",
  open: () => {
    const api: JetApi = makeMemoryEngine({ store: makeMemoryStore() })
    const created = api.JetCreateInstance2("bench", null, 0)
    check("JetCreateInstance2", created.err)
    const init = api.JetInit3(created.instance, 0)
    check("JetInit3", init.err)
    const instance: JET_INSTANCE = init.instance
    const begun = api.JetBeginSession(instance, null, null)
    check("JetBeginSession", begun.err)
    const sesid: JET_SESID = begun.sesid
    const db = api.JetCreateDatabase2(sesid, "bench.edb", 0, 0)
    check("JetCreateDatabase2", db.err)
    const szKey = "+id\0\0"
    const table = api.JetCreateTableColumnIndex2(sesid, db.dbid, {
      szTableName: "records",
      ulDensity: 100,
      rgcolumncreate: [
        { szColumnName: "id", coltyp: JET_coltypLong },
        { szColumnName: "name", coltyp: JET_coltypText, cp: 1200 },
        { szColumnName: "value", coltyp: JET_coltypLongLong }
      ],
      rgindexcreate: [{
        szIndexName: "primary",
        szKey,
        cbKey: szKey.length * 2,
        grbit: JET_bitIndexPrimary | JET_bitIndexUnique,
        ulDensity: 100
      }]
    })
    check("JetCreateTableColumnIndex2", table.err)
    const tableid: JET_TABLEID = table.tableid
    const column = (i: number): JET_COLUMNID => table.columnids[i] ?? fail("columnid", i)
    const [idColumn, nameColumn, valueColumn] = [column(0), column(1), column(2)]

    // Reused buffers, as a C caller would keep them; the name buffer holds the longest name in UTF-16.
    const keyBytes = new Uint8Array(4)
    const keyView = new DataView(keyBytes.buffer)
    const valueBytes = new Uint8Array(8)
    const valueView = new DataView(valueBytes.buffer)
    const nameBytes = new Uint8Array(64)
    const nameUnits = new Uint16Array(nameBytes.buffer)

    const setKey = (key: number): void => {
      keyView.setInt32(0, key, true)
      check("JetMakeKey", api.JetMakeKey(sesid, tableid, keyBytes, 4, JET_bitNewKey).err)
    }

    // Reads name and value of the current record into the checksum, decoding them to JavaScript
    // values as an application would.
    const readRow = (h: number): number => {
      const name = api.JetRetrieveColumn(sesid, tableid, nameColumn, nameBytes, 64, 0, null)
      check("JetRetrieveColumn(name)", name.err)
      let text = ""
      for (let i = 0; i < name.cbActual >>> 1; i++) text += String.fromCharCode(nameUnits[i] as number)
      const value = api.JetRetrieveColumn(sesid, tableid, valueColumn, valueBytes, 8, 0, null)
      check("JetRetrieveColumn(value)", value.err)
      return mixRow(h, text, valueView.getInt32(4, true) * 4294967296 + valueView.getUint32(0, true))
    }

    return {
      begin: () => check("JetBeginTransaction", api.JetBeginTransaction(sesid).err),
      insert: (order, from, to) => {
        for (let i = from; i < to; i++) {
          const id = order[i] as number
          const name = data.names[id] as string
          const value = data.values[id] as number
          keyView.setInt32(0, id, true)
          for (let c = 0; c < name.length; c++) nameUnits[c] = name.charCodeAt(c)
          const high = Math.floor(value / 4294967296)
          valueView.setUint32(0, value - high * 4294967296, true)
          valueView.setInt32(4, high, true)
          check("JetPrepareUpdate", api.JetPrepareUpdate(sesid, tableid, JET_prepInsert).err)
          check("JetSetColumn(id)", api.JetSetColumn(sesid, tableid, idColumn, keyBytes, 4, 0, null).err)
          check(
            "JetSetColumn(name)",
            api.JetSetColumn(sesid, tableid, nameColumn, nameBytes, name.length * 2, 0, null).err
          )
          check(
            "JetSetColumn(value)",
            api.JetSetColumn(sesid, tableid, valueColumn, valueBytes, 8, 0, null).err
          )
          check("JetUpdate", api.JetUpdate(sesid, tableid, null, 0).err)
        }
      },
      commit: () => check("JetCommitTransaction", api.JetCommitTransaction(sesid, 0).err),
      walk: () => {
        let h = 0
        let err = api.JetMove(sesid, tableid, JET_MoveFirst, 0).err
        while (err === 0) {
          h = readRow(h)
          err = api.JetMove(sesid, tableid, JET_MoveNext, 0).err
        }
        if (err !== jetErrorCodes.JET_errNoCurrentRecord) fail("JetMove", err)
        return h
      },
      seek: (h, keys, from, to) => {
        for (let i = from; i < to; i++) {
          setKey(keys[i] as number)
          check("JetSeek(EQ)", api.JetSeek(sesid, tableid, JET_bitSeekEQ).err)
          h = readRow(h)
        }
        return h
      },
      scan: (h, starts, from, to) => {
        for (let i = from; i < to; i++) {
          const start = starts[i] as number
          setKey(start)
          check("JetSeek(GE)", api.JetSeek(sesid, tableid, JET_bitSeekGE).err)
          setKey(start + SCAN_WIDTH - 1)
          check(
            "JetSetIndexRange",
            api.JetSetIndexRange(sesid, tableid, JET_bitRangeUpperLimit | JET_bitRangeInclusive).err
          )
          let err = 0
          while (err === 0) {
            h = readRow(h)
            err = api.JetMove(sesid, tableid, JET_MoveNext, 0).err
          }
          if (err !== jetErrorCodes.JET_errNoCurrentRecord) fail("JetMove", err)
        }
        return h
      },
      close: () => {
        check("JetCloseTable", api.JetCloseTable(sesid, tableid).err)
        check("JetEndSession", api.JetEndSession(sesid, 0).err)
        check("JetTerm2", api.JetTerm2(instance, 0).err)
      }
    }
  }
})

const sqliteSide = (data: Data): Side => ({
  name: "SQLite",
  open: () => {
    const db: SqliteDatabase = new DatabaseSync(":memory:")
    db.exec("CREATE TABLE records (id INTEGER PRIMARY KEY, name TEXT NOT NULL, value INTEGER NOT NULL)")
    const insert = db.prepare("INSERT INTO records (id, name, value) VALUES (?, ?, ?)")
    const all = db.prepare("SELECT name, value FROM records ORDER BY id")
    const point = db.prepare("SELECT name, value FROM records WHERE id = ?")
    const range = db.prepare("SELECT name, value FROM records WHERE id BETWEEN ? AND ? ORDER BY id")
    // Arrays rather than objects per row: the cheapest shape node:sqlite offers, as the ESENT side
    // reads into reused buffers.
    for (const statement of [all, point, range]) statement.setReturnArrays(true)

    const readRow = (h: number, row: unknown): number => {
      const [name, value] = row as [string, number]
      return mixRow(h, name, value)
    }

    return {
      begin: () => db.exec("BEGIN"),
      insert: (order, from, to) => {
        for (let i = from; i < to; i++) {
          const id = order[i] as number
          insert.run(id, data.names[id] as string, data.values[id] as number)
        }
      },
      commit: () => db.exec("COMMIT"),
      walk: () => {
        let h = 0
        for (const row of all.iterate()) h = readRow(h, row)
        return h
      },
      seek: (h, keys, from, to) => {
        for (let i = from; i < to; i++) {
          const row = point.get(keys[i] as number)
          if (row === undefined) fail("SELECT by id", keys[i] as number)
          h = readRow(h, row)
        }
        return h
      },
      scan: (h, starts, from, to) => {
        for (let i = from; i < to; i++) {
          const start = starts[i] as number
          for (const row of range.iterate(start, start + SCAN_WIDTH - 1)) h = readRow(h, row)
        }
        return h
      },
      close: () => db.close()
    }
  }
})

// ---------------------------------------------------------------------------------------------
// Running

const PHASES = ["insert", "seek", "scan"] as const
type Phase = typeof PHASES[number]

const labels = (records: number): Record<Phase, string> => ({
  insert: `insert (${records.toLocaleString("en-US")}, one transaction)`,
  seek: `point seek (${SEEKS.toLocaleString("en-US")})`,
  scan: `range scan (${SCANS.toLocaleString("en-US")} × ${SCAN_WIDTH} rows)`
})

const ops = (records: number): Record<Phase, number> => ({ insert: records, seek: SEEKS, scan: SCANS })
/** The least memory/SQLite rate each phase aims for. */
const TARGETS: Record<Phase, number> = { insert: 1.0, seek: 1.5, scan: 1.0 }

/** Exercises every path on a throwaway table so that the timed runs meet optimized code. */
const warmUp = (side: Side, data: Data): void => {
  const store = side.open()
  store.begin()
  store.insert(data.warmupOrder, 0, WARMUP_RECORDS)
  store.commit()
  store.seek(0, data.warmupOrder, 0, WARMUP_RECORDS)
  store.scan(0, data.warmupStarts, 0, WARMUP_SCANS)
  store.close()
}

interface PhaseResult {
  seconds: number
  checksum: number
}

/**
 * Times one phase on every store, the stores taking turns slice by slice (the first one changing
 * each slice) so that a burst of load on a busy machine lands on both sides alike.
 */
const runPhase = (phase: Phase, stores: ReadonlyArray<Store>, data: Data): ReadonlyArray<PhaseResult> => {
  const results = stores.map((): PhaseResult => ({ seconds: 0, checksum: 0 }))
  const timed = (i: number, run: (store: Store, h: number) => number | void): void => {
    const store = stores[i] ?? fail("store", i)
    const result = results[i] ?? fail("result", i)
    const start = performance.now()
    const h = run(store, result.checksum)
    // Sweeping the young generation now charges each side for its own garbage; left alone, the
    // memory engine's would mostly be collected during SQLite's turn.
    collectGarbage({ type: "minor" })
    result.seconds += (performance.now() - start) / 1000
    if (h !== undefined) result.checksum = h
  }
  const total = ops(data.records)[phase]
  // Leftovers of the warm-up and of earlier phases belong to neither side's timing.
  collectGarbage({ type: "major" })
  if (phase === "insert") stores.forEach((_, i) => timed(i, (store) => store.begin()))
  for (let slice = 0; slice < SLICES; slice++) {
    const from = Math.floor(slice * total / SLICES)
    const to = Math.floor((slice + 1) * total / SLICES)
    const turns = slice % 2 === 0 ? stores.keys() : [...stores.keys()].reverse()
    for (const i of turns) {
      switch (phase) {
        case "insert":
          timed(i, (store) => store.insert(data.insertOrder, from, to))
          break
        case "seek":
          timed(i, (store, h) => store.seek(h, data.seekKeys, from, to))
          break
        case "scan":
          timed(i, (store, h) => store.scan(h, data.scanStarts, from, to))
      }
    }
  }
  if (phase === "insert") stores.forEach((_, i) => timed(i, (store) => store.commit()))
  return results
}

const median = (xs: ReadonlyArray<number>): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[sorted.length >> 1] as number
}

const agree = (what: string, sums: ReadonlyArray<number>): void => {
  if (sums.some((s) => s !== sums[0])) {
    throw new Error(`${what}: the engines disagree (checksums ${sums.join(" vs ")})`)
  }
}

/**
 * One round on fresh tables, each phase run for every side in `order`. A function of its own so
 * that the round's tables are unreachable once it returns and never weigh on a later round's
 * garbage collections.
 */
const runRound = (
  round: number,
  order: ReadonlyArray<Side>,
  data: Data,
  record: (side: Side, phase: Phase, seconds: number) => void
): void => {
  for (const side of order) warmUp(side, data)
  const stores = order.map((side) => side.open())
  for (const phase of PHASES) {
    const results = runPhase(phase, stores, data)
    order.forEach((side, i) => record(side, phase, results[i]?.seconds ?? fail("result", i)))
    const sums = phase === "insert" ? stores.map((store) => store.walk()) : results.map((r) => r.checksum)
    agree(`round ${round + 1}, ${phase}`, sums)
  }
  for (const store of stores) store.close()
}

/**
 * The JavaScript heap one record of the memory engine takes once committed: the heap after a full
 * collection with the table filled, less the heap with the engine open and its table empty.
 */
const heapPerRecord = (data: Data): number => {
  const side = memorySide(data)
  const store = side.open()
  collectGarbage({ type: "major" })
  const before = process.memoryUsage().heapUsed
  store.begin()
  store.insert(data.insertOrder, 0, data.records)
  store.commit()
  collectGarbage({ type: "major" })
  const after = process.memoryUsage().heapUsed
  store.close()
  return (after - before) / data.records
}

const size = (records: number): string =>
  records % 1_000_000 === 0
    ? `${records / 1_000_000}M`
    : records % 1000 === 0
    ? `${records / 1000}k`
    : `${records}`

const runSize = (records: number): ReadonlyArray<Figure> => {
  const data = makeData(records)
  const OPS = ops(records)
  const LABELS = labels(records)
  const sides = [memorySide(data), sqliteSide(data)] as const
  const rates = new Map<string, Array<number>>()
  const record = (side: Side, phase: Phase, seconds: number): void => {
    const key = `${side.name}/${phase}`
    rates.set(key, [...(rates.get(key) ?? []), OPS[phase] / seconds])
  }

  const began = performance.now()
  for (let round = 0; round < ROUNDS; round++) {
    // Alternating who goes first spreads any drift of a noisy machine over both sides.
    runRound(round, round % 2 === 0 ? sides : [sides[1], sides[0]], data, record)
  }
  const elapsed = (performance.now() - began) / 1000

  const rows = PHASES.map((phase) => {
    const memory = median(rates.get(`${sides[0].name}/${phase}`) ?? [])
    const sqlite = median(rates.get(`${sides[1].name}/${phase}`) ?? [])
    return [LABELS[phase], format(memory), format(sqlite), `${(memory / sqlite).toFixed(2)}×`] as const
  })
  const header = ["operation", "ops/s memory engine", "ops/s SQLite", "memory/SQLite"] as const
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)))
  const line = (cells: ReadonlyArray<string>): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ")

  say(
    `workload: ${records.toLocaleString("en-US")} records (int32 key, ~16-char UTF-16 name, int64 value), `
      + `median of ${ROUNDS} interleaved rounds, results checksummed equal on both sides`
  )
  say("")
  say(line(header))
  say(line(widths.map((w) => "-".repeat(w))))
  for (const row of rows) say(line(row))
  say("")
  say(`Ratios are from one run (${elapsed.toFixed(1)} s) on a possibly busy machine; expect some spread.`)
  say("")
  // The default size keeps the figures' earlier names, so that runs compare across versions.
  const suffix = records === 100_000 ? "" : `@${size(records)}`
  return PHASES.map((phase) =>
    figure({
      name: `memory/${phase}${suffix}`,
      ours: median(rates.get(`${sides[0].name}/${phase}`) ?? []),
      anchor: median(rates.get(`${sides[1].name}/${phase}`) ?? []),
      unit: "ops/s",
      better: "higher",
      target: TARGETS[phase]
    })
  )
}

const main = (): void => {
  say(`machine: ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} CPUs, Node ${process.version}`)
  say("")
  const figures: Array<Figure> = []
  for (const records of SIZES) figures.push(...runSize(records))
  const largest = Math.max(...SIZES)
  const heap = heapPerRecord(makeData(largest))
  say(
    `heap per record at ${largest.toLocaleString("en-US")} records, after commit: ${heap.toFixed(0)} B `
      + `(budget ${HEAP_BUDGET} B)`
  )
  figures.push(figure({
    name: `memory/heap-per-record@${size(largest)}`,
    ours: heap,
    anchor: HEAP_BUDGET,
    unit: "B/record",
    better: "lower",
    target: 1
  }))
  emit(figures)
}

const format = (rate: number): string => Math.round(rate).toLocaleString("en-US")

main()
