/**
 * What typed tables cost over the untyped Effect API, on the in-memory engine.
 *
 * The same records go into two tables with the same definition (the typed table's own): one
 * through `TypedTable` (`insert`, `get`, `query`), one through `Cursor` (`insert`, `seek` +
 * `read`, `stream`). The records' schema encodes to itself, so both sides store the same values:
 * the difference is the typed layer's own work (validating through the schema, decoding records
 * back, typed keys).
 *
 * - insert: µs per record, inserting a fresh table in transactions of 100 records;
 * - get: µs per point lookup by primary key;
 * - query: µs per record of a range over a two-segment secondary index with a descending segment
 *   (about half the table).
 *
 * A third variant, "typed, transforming", has one field behind a (pass-through) transformation: the
 * stored values are the same, but records then go through the schema's interpreter instead of the
 * typed layer's compiled checks, which shows what a schema with transformations costs.
 *
 * Each round runs every variant once, the order rotating between rounds, and the medians of the
 * rounds are reported, with the ratios to raw. The acceptance target is a typed/raw ratio of at
 * most 1.3.
 *
 * Run: `npm run bench:typed` (or `node bench/typed-vs-raw.ts [records] [rounds]`, `--json` for JSON
 * lines, see `report.ts`).
 *
 * @module
 */
import { Effect, Layer, Schema, SchemaTransformation, Stream } from "effect"
import { cpus, platform, release } from "node:os"
import * as Cursor from "../src/Cursor.ts"
import * as Database from "../src/Database.ts"
import { Esent } from "../src/Esent.ts"
import { Jet } from "../src/Jet.ts"
import { makeMemoryStore } from "../src/memory/index.ts"
import * as Session from "../src/Session.ts"
import * as Table from "../src/Table.ts"
import * as Transaction from "../src/Transaction.ts"
import * as TypedTable from "../src/TypedTable.ts"
import { emit, type Figure, figure, positionalArguments, say } from "./report.ts"

const records = Number(positionalArguments[0] ?? 5_000)
const rounds = Number(positionalArguments[1] ?? 9)
const batch = 100
const lookups = 2_000
const target = 1.3

const Person = Schema.Struct({
  id: Schema.Int,
  name: Schema.String,
  age: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 150 })),
  score: Schema.Number,
  born: Schema.Date,
  tags: Schema.Array(Schema.String),
  nick: Schema.optional(Schema.String)
})

const Transforming = Person.mapFields((fields) => ({
  ...fields,
  score: Schema.Number.pipe(Schema.decodeTo(Schema.Number, SchemaTransformation.passthrough()))
}))

const tableOf = (name: string) =>
  TypedTable.make({ name, schema: Person, primaryKey: ["id"], indexes: { byAgeName: ["-age", "name"] } })

const transformingTableOf = (name: string) =>
  TypedTable.make({
    name,
    schema: Transforming,
    primaryKey: ["id"],
    indexes: { byAgeName: ["-age", "name"] }
  })

const data: ReadonlyArray<typeof Person.Type> = Array.from({ length: records }, (_, i) => ({
  id: i,
  name: `name ${(i * 7919) % records}`,
  age: i % 100,
  score: i / 7,
  born: new Date(Date.UTC(1850 + (i % 150), i % 12, 1 + (i % 28))),
  tags: [`t${i % 5}`, `u${i % 3}`],
  ...(i % 2 === 0 ? { nick: `n${i}` } : {})
}))

const range = { from: [69] as const, to: [20] as const }
const lookupIds = Array.from({ length: lookups }, (_, i) => (i * 7919) % records)

const variants = ["raw", "typed", "typed, transforming"] as const
type Variant = (typeof variants)[number]
type Measure = "insert" | "get" | "query"

const median = (xs: ReadonlyArray<number>): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

const timed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const start = performance.now()
    const value = yield* effect
    return { value, ms: performance.now() - start }
  })

const chunks = <A>(xs: ReadonlyArray<A>, size: number): ReadonlyArray<ReadonlyArray<A>> =>
  Array.from({ length: Math.ceil(xs.length / size) }, (_, i) => xs.slice(i * size, (i + 1) * size))

const round = (
  session: Session.Session,
  db: Database.Database,
  index: number,
  order: ReadonlyArray<Variant>
) =>
  Effect.gen(function*() {
    const results = new Map<string, number>()
    const typedTable = tableOf(`typed${index}`)
    const transformingTable = transformingTableOf(`transforming${index}`)
    const rawName = `raw${index}`
    yield* typedTable.create(db)
    yield* transformingTable.create(db)
    yield* Table.create(db, { ...typedTable.definition, name: rawName })
    const typed = yield* typedTable.open(db)
    const transforming = yield* transformingTable.open(db)
    const raw = yield* Cursor.open(db, rawName)
    const inserts = (insert: (row: typeof Person.Type) => Effect.Effect<unknown, unknown>) =>
      Effect.forEach(
        chunks(data, batch),
        (rows) => Transaction.withTransaction(session, Effect.forEach(rows, insert, { discard: true })),
        { discard: true }
      ).pipe(Effect.as(records))

    const run: Record<Variant, Record<Measure, Effect.Effect<number, unknown>>> = {
      raw: {
        insert: inserts((row) => Cursor.insert(raw, row)),
        get: Effect.forEach(
          lookupIds,
          (id) => Effect.andThen(Cursor.seek(raw, [id]), Cursor.read(raw)),
          { discard: true }
        ).pipe(Effect.as(lookups)),
        query: Stream.runCount(Cursor.stream(db, rawName, { index: "byAgeName", ...range }))
      },
      typed: {
        insert: inserts(typed.insert),
        get: Effect.forEach(lookupIds, (id) => typed.get(id), { discard: true }).pipe(Effect.as(lookups)),
        query: Stream.runCount(typed.query("byAgeName", range))
      },
      "typed, transforming": {
        insert: inserts(transforming.insert),
        get: Effect.forEach(lookupIds, (id) => transforming.get(id), { discard: true }).pipe(
          Effect.as(lookups)
        ),
        query: Stream.runCount(transforming.query("byAgeName", range))
      }
    }
    for (const measure of ["insert", "get", "query"] as const) {
      const counts: Array<number> = []
      for (const variant of order) {
        const { value, ms } = yield* timed(run[variant][measure])
        counts.push(value)
        results.set(`${variant} ${measure}`, (ms * 1000) / value)
      }
      if (new Set(counts).size !== 1) {
        throw new Error(`${measure}: the variants saw ${counts.join(", ")} records`)
      }
    }
    return results
  }).pipe(Effect.scoped)

const program = Effect.gen(function*() {
  const session = yield* Session.begin
  const db = yield* Database.create(session, "bench.edb")
  const samples = new Map<string, Array<number>>()
  // Round 0 warms the JIT and is not counted.
  for (let i = 0; i <= rounds; i++) {
    const order = variants.map((_, j) => variants[(i + j) % variants.length]!)
    const results = yield* round(session, db, i, order)
    if (i === 0) continue
    for (const [key, value] of results) samples.set(key, [...(samples.get(key) ?? []), value])
  }
  say(`typed tables vs the untyped Effect API, in-memory engine`)
  say(
    `${records} records, ${rounds} rounds (medians), ${lookups} lookups; node ${process.version}, `
      + `${platform()} ${release()}, ${cpus()[0]?.model ?? "unknown cpu"}`
  )
  say("")
  say(
    `${"µs per op".padEnd(10)}${variants.map((v) => v.padStart(21)).join("")}${
      variants.slice(1).map((v) => `${v}/raw`.padStart(25)).join("")
    }`
  )
  let worst = 0
  const figures: Array<Figure> = []
  for (const measure of ["insert", "get", "query"] as const) {
    const medians = variants.map((v) => median(samples.get(`${v} ${measure}`) ?? []))
    const ratios = medians.slice(1).map((m) => m / medians[0]!)
    worst = Math.max(worst, ratios[0]!)
    variants.slice(1).forEach((variant, i) =>
      figures.push(figure({
        name: `${variant === "typed" ? "typed" : "typed-transforming"}/${measure}`,
        ours: medians[i + 1]!,
        anchor: medians[0]!,
        unit: "µs/op",
        better: "lower",
        // Only the plain typed layer has a target; the transforming variant shows a cost.
        ...(variant === "typed" ? { target } : {})
      }))
    )
    say(
      `${measure.padEnd(10)}${medians.map((m) => m.toFixed(2).padStart(21)).join("")}${
        ratios.map((r) => r.toFixed(2).padStart(25)).join("")
      }`
    )
  }
  say("")
  say(
    `worst typed/raw ratio ${worst.toFixed(2)}: ${worst <= target ? "within" : "OVER"} the ${target}x target`
  )
  emit(figures)
})

await Effect.runPromise(
  program.pipe(
    Effect.scoped,
    Effect.provide(
      Esent.layer({ instanceName: "bench-typed" }).pipe(
        Layer.provide(Jet.layerMemory({ store: makeMemoryStore() }))
      )
    )
  )
)
