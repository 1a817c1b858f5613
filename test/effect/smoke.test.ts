import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Stream } from "effect"
import { Cursor, Database, Esent, Jet, Session, Table, Transaction } from "../../src/index.ts"
import { makeMemoryEngine, makeMemoryStore } from "../../src/memory/index.ts"

const layer = () =>
  Esent.layer({ instanceName: "smoke" }).pipe(
    Layer.provide(Jet.layerApi(makeMemoryEngine({ store: makeMemoryStore() })))
  )

describe("Effect API smoke", () => {
  it.effect("create, insert, read back, stream a range", () =>
    Effect.gen(function*() {
      const session = yield* Session.begin
      const db = yield* Database.create(session, "smoke.edb")
      yield* Table.create(db, {
        name: "people",
        columns: {
          id: { type: "Long" },
          name: { type: "Text" },
          tags: { type: "Text", multiValued: true }
        },
        indexes: [{ name: "by_id", key: ["id"], primary: true }, { name: "by_name", key: ["name"] }]
      })
      const people = yield* Cursor.open(db, "people")
      yield* Transaction.withTransaction(
        session,
        Effect.forEach(
          [3, 1, 2],
          (id) => Cursor.insert(people, { id, name: `p${id}`, tags: [`t${id}`, "x"] })
        )
      )
      expect(yield* Cursor.seek(people, [2])).toBe("found")
      expect(yield* Cursor.read(people)).toEqual({ id: 2, name: "p2", tags: ["t2", "x"] })
      const rows = yield* Stream.runCollect(Cursor.stream(db, "people", { from: [2] }))
      expect(rows.map((r) => r["id"])).toEqual([2, 3])
    }).pipe(Effect.scoped, Effect.provide(layer())))
})
