/**
 * What the Effect API costs per record over the raw `JetApi`, on the in-memory engine, in one run:
 *
 * 1. a scan of 20 000 records of three columns: a `Cursor.moveNext` + `Cursor.read` loop on an
 *    explicit cursor and on one opened in the context, `Cursor.stream`, and a typed table's
 *    `query` over the whole primary index (the database in the context);
 * 2. one-insert transactions: begin, insert one record, commit, on explicit handles
 *    (`withSessionTransaction`) and on the database in the context (`withTransaction` +
 *    `Table.insert`, which borrows a pooled session per transaction).
 *
 * The difference between an explicit variant and its context twin is what the context lookup
 * costs. Each raw variant is what a careful caller of `JetApi` writes (one reused buffer, the same
 * codecs the Effect API uses). Variants are interleaved within each round and the median of the
 * rounds is reported, so a slow spell of the machine hits every variant rather than one. The
 * target is at most 1.3× the raw loop.
 *
 * Run: `npm run bench:api` (or `node bench/effect-api.ts`, `--json` for JSON lines, see
 * `report.ts`).
 *
 * @module
 */
import { Effect, Layer, Schema, Stream } from "effect"
import { cpus, platform, release } from "node:os"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import * as Cursor from "../src/Cursor.ts"
import * as Database from "../src/Database.ts"
import { Esent } from "../src/Esent.ts"
import { EsentDatabase } from "../src/EsentDatabase.ts"
import { Jet } from "../src/Jet.ts"
import type { JetApi } from "../src/jet/api.ts"
import type { JET_COLUMNID, JET_DBID, JET_SESID } from "../src/jet/handles.ts"
import { makeMemoryEngine, makeMemoryStore } from "../src/memory/index.ts"
import * as Session from "../src/Session.ts"
import * as Table from "../src/Table.ts"
import * as Transaction from "../src/Transaction.ts"
import * as TypedTable from "../src/TypedTable.ts"
import {
  check,
  type ColumnIds,
  fail,
  fillScanTable,
  median,
  rawInsertRecord,
  rawScan,
  scanTable
} from "./raw-records.ts"
import { emit, type Figure, figure, fixed, formatTable, nsSince, say } from "./report.ts"

const ROUNDS = 7

// Each sample starts from a collected heap, so that one variant's garbage is not collected on the
// next one's clock. A context made after the flag is set gets `gc`.
setFlagsFromString("--expose-gc")
const collectGarbage = runInNewContext("gc") as (options: { readonly type: "major" | "minor" }) => void
const RECORDS = 20_000
const INSERTS = 5_000
const TARGET = 1.3

const Scan = Table.make({
  name: scanTable,
  columns: { id: { type: "Long" }, name: { type: "Text" }, value: { type: "LongLong" } },
  indexes: [{ name: "primary", key: ["id"], primary: true }]
})
/** The scanned table as a typed table: Long, UTF-16 Text and LongLong columns, as the raw loop reads. */
const TypedScan = TypedTable.make({
  name: scanTable,
  schema: Schema.Struct({
    id: Schema.Int,
    name: Schema.String.check(Schema.isMaxLength(127)),
    value: Schema.BigInt
  }),
  primaryKey: ["id"]
})
const ContextInserts = Table.make({
  name: "inserts_2",
  columns: { id: { type: "Long" }, name: { type: "Text" }, value: { type: "LongLong" } },
  indexes: [{ name: "primary", key: ["id"], primary: true }]
})

/** One table per insert variant, so that each appends at the end of its own tree. */
const insertTable = (variant: number): string => `inserts_${variant}`
const definition = (name: string): Table.TableDefinition => ({
  name,
  columns: { id: { type: "Long" }, name: { type: "Text" }, value: { type: "LongLong" } },
  indexes: [{ name: "primary", key: ["id"], primary: true }]
})

/** The raw one-insert transactions, on a table kept open (as a cursor cache would). */
const rawInserts = (api: JetApi, sesid: JET_SESID, dbid: JET_DBID, ids: ColumnIds, first: number): void => {
  const opened = api.JetOpenTable(sesid, dbid, insertTable(0), 0)
  check("JetOpenTable", opened.err)
  for (let id = first; id < first + INSERTS; id++) {
    check("JetBeginTransaction", api.JetBeginTransaction2(sesid, 0).err)
    rawInsertRecord(api, sesid, opened.tableid, ids, id)
    check("JetCommitTransaction", api.JetCommitTransaction(sesid, 0).err)
  }
  check("JetCloseTable", api.JetCloseTable(sesid, opened.tableid).err)
}

const timed = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<number, E, R> =>
  Effect.suspend(() => {
    const start = process.hrtime.bigint()
    return Effect.map(effect, () => nsSince(start))
  })

interface Variant {
  readonly name: string
  /** The figure's name under `effect/`; none for the raw variant. */
  readonly figure?: string
  readonly per: number
  readonly run: (round: number) => Effect.Effect<unknown, unknown>
}

const report = (title: string, variants: ReadonlyArray<Variant>) =>
  Effect.gen(function*() {
    for (const variant of variants) yield* variant.run(-1)
    const samples = variants.map(() => [] as Array<number>)
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < variants.length; k++) {
        const i = (k + round) % variants.length
        collectGarbage({ type: "major" })
        samples[i]!.push((yield* timed(variants[i]!.run(round))) / variants[i]!.per)
      }
    }
    if (process.env.BENCH_DEBUG) console.log(samples)
    const raw = median(samples[0]!)
    const table = `${title}\n` + formatTable(
      [`ns/record (median of ${ROUNDS})`, "ns", "over raw", "× raw"],
      variants.map((v, i) => {
        const ns = median(samples[i]!)
        return [v.name, fixed(ns), fixed(ns - raw), `${fixed(ns / raw, 2)}×`]
      })
    )
    const figures: Array<Figure> = variants.flatMap((v, i) =>
      v.figure === undefined ? [] : [figure({
        name: `effect/${v.figure}`,
        ours: median(samples[i]!),
        anchor: raw,
        unit: "ns/record",
        better: "lower",
        target: TARGET
      })]
    )
    return { table, figures }
  })

/** Ids for each round's inserts, ascending from round to round. */
const insertBase = (round: number): number => 1 + (round + 1) * INSERTS

const bench = Effect.gen(function*() {
  const session = yield* Session.begin
  const db = yield* Database.create(session, "bench.edb")
  yield* TypedScan.create(db)
  yield* Table.create(db, definition(insertTable(0)))
  yield* Table.create(db, definition(insertTable(1)))
  yield* Table.create(db, definition(insertTable(2)))
  const columns = new Map((yield* Table.columns(db, scanTable)).map((c) => [c.name, c.columnid]))
  const id = (name: string): JET_COLUMNID => columns.get(name) ?? fail("no column", name)
  const ids: ColumnIds = { id: id("id"), name: id("name"), value: id("value") }
  const { api, sesid } = session
  fillScanTable(api, sesid, db.dbid, ids, RECORDS)

  const scanCursor = yield* Cursor.open(db, scanTable, { readOnly: true })
  const readLoop = Effect.gen(function*() {
    let records = 0
    let more = yield* Cursor.moveFirst(scanCursor)
    while (more) {
      yield* Cursor.read(scanCursor)
      records++
      more = yield* Cursor.moveNext(scanCursor)
    }
    if (records !== RECORDS) fail("read loop", records)
  })
  const insertCursor = yield* Cursor.open(db, insertTable(1))
  const insertLoop = (first: number) =>
    Effect.gen(function*() {
      for (let id = first; id < first + INSERTS; id++) {
        yield* Transaction.withSessionTransaction(
          session,
          Cursor.insert(insertCursor, { id, name: `record ${id}`, value: BigInt(id) * 1_000_003n })
        )
      }
    })

  // The database in the context, over the same instance and file.
  const context = yield* Layer.build(EsentDatabase.layer({ path: "bench.edb", sessions: 2 }))
  const inContext = <A, E>(effect: Effect.Effect<A, E, EsentDatabase>) =>
    Effect.provideContext(effect, context)
  const contextReadLoop = inContext(Effect.scoped(Effect.gen(function*() {
    const cursor = yield* Cursor.open(Scan, { readOnly: true })
    let records = 0
    let more = yield* Cursor.moveFirst(cursor)
    while (more) {
      yield* Cursor.read(cursor)
      records++
      more = yield* Cursor.moveNext(cursor)
    }
    if (records !== RECORDS) fail("context read loop", records)
  })))
  const streamed = Stream.runCount(Cursor.stream(db, scanTable)).pipe(
    Effect.tap((n) => n === RECORDS ? Effect.void : Effect.sync(() => fail("stream", n)))
  )
  const typedQuery = inContext(Stream.runCount(TypedScan.query(TypedTable.primaryIndexName))).pipe(
    Effect.tap((n) => n === RECORDS ? Effect.void : Effect.sync(() => fail("typed query", n)))
  )
  const contextInserts = (first: number) =>
    inContext(Effect.gen(function*() {
      for (let id = first; id < first + INSERTS; id++) {
        yield* Transaction.withTransaction(
          Table.insert(ContextInserts, { id, name: `record ${id}`, value: BigInt(id) * 1_000_003n })
        )
      }
    }))

  const reads = yield* report(`1. Read loop: ${RECORDS} records, 3 columns`, [
    {
      name: "A raw JetApi loop",
      per: RECORDS,
      run: () => Effect.sync(() => rawScan(api, sesid, db.dbid, ids, RECORDS))
    },
    { name: "B Cursor.moveNext + Cursor.read", figure: "moveNext+read", per: RECORDS, run: () => readLoop },
    {
      name: "C the same, cursor opened in the context",
      figure: "moveNext+read (context)",
      per: RECORDS,
      run: () => contextReadLoop
    },
    { name: "D Cursor.stream", figure: "stream", per: RECORDS, run: () => streamed },
    {
      name: "E TypedTable query in the context",
      figure: "TypedTable.query",
      per: RECORDS,
      run: () => typedQuery
    }
  ])
  const inserts = yield* report(`2. One-insert transactions: ${INSERTS} of them`, [
    {
      name: "A raw JetApi begin/insert/commit",
      per: INSERTS,
      run: (round) => Effect.sync(() => rawInserts(api, sesid, db.dbid, ids, insertBase(round)))
    },
    {
      name: "B withSessionTransaction(session, Cursor.insert)",
      figure: "one-insert transaction",
      per: INSERTS,
      run: (round) => insertLoop(insertBase(round))
    },
    {
      name: "C withTransaction(Table.insert) in the context",
      figure: "one-insert transaction (context)",
      per: INSERTS,
      run: (round) => contextInserts(insertBase(round))
    }
  ])
  return { table: `${reads.table}\n\n${inserts.table}`, figures: [...reads.figures, ...inserts.figures] }
})

const layer = Esent.layer({ instanceName: "bench-api" }).pipe(
  Layer.provide(Jet.layerApi(makeMemoryEngine({ store: makeMemoryStore() })))
)

say(`${platform()} ${release()}, ${cpus()[0]?.model ?? "unknown cpu"} × ${cpus().length}`)
say(`node ${process.version}`)
say("Ratios are from one run on a possibly noisy machine: read them as rough, not exact.\n")
const result = await Effect.runPromise(bench.pipe(Effect.scoped, Effect.provide(layer)))
say(result.table)
emit(result.figures)
