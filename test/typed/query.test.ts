import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Stream } from "effect"
import { Database, Esent, Jet, Session } from "../../src/index.ts"
import { currentTestEngine } from "../support/engines.ts"
import { collect, People, person, withDatabase } from "./support.ts"

const names = ["Ada", "Alan", "Bob", "Carol", "Dan", "Eve", "Grace", "Linus"]
const ages = [20, 30, 30, 40, 40, 40, 50, 30]
const records = names.map((name, i) => person(i + 1, name, ages[i]!))

type Bound = readonly [] | readonly [number] | readonly [number, string]

/** Index order of byAgeName (-age, +name), compared over the bound's prefix only. */
const compare = (record: (typeof records)[number], bound: Bound): number => {
  const [age, name] = bound
  if (age !== undefined && record.age !== age) return record.age > age ? -1 : 1
  if (name !== undefined) {
    const a = record.name.toUpperCase()
    const b = name.toUpperCase()
    if (a !== b) return a < b ? -1 : 1
  }
  return 0
}

interface Range {
  readonly from?: Bound | undefined
  readonly to?: Bound | undefined
  readonly fromExclusive?: boolean
  readonly toExclusive?: boolean
  readonly reverse?: boolean
}

const model = (range: Range): ReadonlyArray<string> => {
  const inIndexOrder = [...records].sort((a, b) =>
    b.age - a.age || (a.name.toUpperCase() < b.name.toUpperCase() ? -1 : 1)
  )
  const selected = inIndexOrder.filter((r) => {
    const from = range.from === undefined ? 1 : compare(r, range.from)
    const to = range.to === undefined ? -1 : compare(r, range.to)
    return (range.fromExclusive === true ? from > 0 : from >= 0)
      && (range.toExclusive === true ? to < 0 : to <= 0)
  })
  return (range.reverse === true ? selected.reverse() : selected).map((r) => `${r.age}/${r.name}`)
}

const label = (r: { readonly age: number; readonly name: string }) => `${r.age}/${r.name}`

describe("query", () => {
  it.effect("by prefix and by range on a descending segment, forwards and in reverse, against a model", () =>
    withDatabase((_, db) =>
      Effect.gen(function*() {
        yield* People.create(db)
        const people = yield* People.open(db)
        yield* Effect.forEach(records, (r) => people.insert(r))
        const bounds: ReadonlyArray<Bound | undefined> = [
          undefined,
          [],
          [50],
          [40],
          [35],
          [30],
          [10],
          [40, "Bob"],
          [40, "Carol"],
          [40, "D"],
          [30, "Alan"],
          [30, "zzz"]
        ]
        let checked = 0
        for (const from of bounds) {
          for (const to of bounds) {
            for (const fromExclusive of [false, true]) {
              for (const toExclusive of [false, true]) {
                for (const reverse of [false, true]) {
                  const range: Range = {
                    ...(from === undefined ? {} : { from }),
                    ...(to === undefined ? {} : { to }),
                    fromExclusive,
                    toExclusive,
                    reverse
                  }
                  const got = yield* collect(people.query("byAgeName", { ...range, batchSize: 3 }))
                  expect({ range, got: got.map(label) }).toEqual({
                    range,
                    got: model({
                      ...range,
                      from: from?.length === 0 ? undefined : from,
                      to: to?.length === 0 ? undefined : to
                    })
                  })
                  checked++
                }
              }
            }
          }
        }
        expect(checked).toBe(bounds.length * bounds.length * 8)
        for (const prefix of [[40], [30], [35], [40, "eve"], []] as const) {
          for (const reverse of [false, true]) {
            const got = yield* collect(people.query("byAgeName", { prefix, reverse }))
            const full = prefix.length === 0 ? undefined : prefix
            expect(got.map(label)).toEqual(
              model({ ...(full === undefined ? {} : { from: full, to: full }), reverse })
            )
          }
        }
      })
    ))

  it.effect("the primary index and a multi-valued index", () =>
    withDatabase((_, db) =>
      Effect.gen(function*() {
        yield* People.create(db)
        const people = yield* People.open(db)
        yield* Effect.forEach(records, (r) => people.insert({ ...r, tags: [`t${r.id % 3}`, "all"] }))
        const ids = yield* collect(people.query("primary", { from: [3], to: [6], toExclusive: true }))
        expect(ids.map((r) => r.id)).toEqual([3, 4, 5])
        const reversed = yield* collect(people.query("primary", { reverse: true }))
        expect(reversed.map((r) => r.id)).toEqual([8, 7, 6, 5, 4, 3, 2, 1])
        const tagged = yield* collect(people.query("byTag", { prefix: ["t1"] }))
        expect(tagged.map((r) => r.id)).toEqual([1, 4, 7])
        const all = yield* collect(people.query("byTag", { prefix: ["all"] }))
        expect(all).toHaveLength(8)
        const byName = yield* collect(people.query("byName", { prefix: ["grace"] }))
        expect(byName.map((r) => r.name)).toEqual(["Grace"])
      })
    ))

  it.effect("closes its cursor when cut short", () =>
    Effect.gen(function*() {
      const { api, memory: engine } = currentTestEngine().make()
      const cursors = () =>
        engine.inspect().instances.flatMap((i) => i.sessions.flatMap((s) => s.cursors)).length
      const program = Effect.gen(function*() {
        const session = yield* Session.begin
        const db = yield* Database.create(session, "typed.edb")
        yield* People.create(db)
        const people = yield* People.open(db)
        yield* Effect.forEach(records, (r) => people.insert(r))
        const before = cursors()
        const two = yield* collect(people.query("byAgeName", { batchSize: 1 }).pipe(Stream.take(2)))
        expect(two.map(label)).toEqual(["50/Grace", "40/Carol"])
        expect(cursors()).toBe(before)
      })
      yield* program.pipe(
        Effect.scoped,
        Effect.provide(Esent.layer({ instanceName: "typed" }).pipe(Layer.provide(Jet.layerApi(api))))
      )
    }))
})
