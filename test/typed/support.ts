import { Effect, Layer, Schema, Stream } from "effect"
import type * as Scope from "effect/Scope"
import { Database, Esent, Jet, Session } from "../../src/index.ts"
import * as TypedTable from "../../src/TypedTable.ts"
import { currentTestEngine } from "../support/engines.ts"

/**
 * A fresh engine and instance per test, so tests never share a database: the in-memory engine, or
 * the native binding through koffi over it, as the vitest project chooses.
 */
export const memory = () =>
  Esent.layer({ instanceName: "typed" }).pipe(Layer.provide(Jet.layerApi(currentTestEngine().make().api)))

/** Runs `f` with a session and a new database on a fresh in-memory engine. */
export const withDatabase = <A, E>(
  f: (session: Session.Session, db: Database.Database) => Effect.Effect<A, E, Scope.Scope>
) =>
  Effect.gen(function*() {
    const session = yield* Session.begin
    const db = yield* Database.create(session, "typed.edb")
    return yield* f(session, db)
  }).pipe(Effect.scoped, Effect.provide(memory()))

export const Person = Schema.Struct({
  id: Schema.Int,
  name: Schema.String,
  age: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 150 })),
  tags: Schema.Array(Schema.String),
  born: Schema.optional(Schema.Date),
  nick: Schema.NullOr(Schema.String)
})

export const People = TypedTable.make({
  name: "people",
  schema: Person,
  primaryKey: ["id"],
  indexes: { byName: ["name"], byAgeName: ["-age", "name"], byTag: ["tags"] }
})

export const person = (id: number, name: string, age: number): typeof Person.Type => ({
  id,
  name,
  age,
  tags: [`t${id % 3}`],
  nick: null
})

export const collect = <A, E, R>(stream: Stream.Stream<A, E, R>) =>
  Stream.runCollect(stream).pipe(Effect.map((chunk) => Array.from(chunk)))
