/**
 * Compiler messages about the error channel name the library's error aliases instead of listing the
 * 400-odd JET error classes (`... 432 more ...`): each public operation's error type is one named
 * alias. Checked by compiling a program that puts each operation where no error is allowed.
 */
import { describe, expect, it } from "vitest"
import { type CodeBlock, typeCheckBlocks } from "../package/readme-check.ts"

const preamble = `
import { Effect, Stream } from "effect"
import { Cursor, Database, EsentDatabase, Table, Transaction, TypedTable } from "effect-esent"
import { Schema } from "effect"
const People = Table.make({
  name: "people",
  columns: { id: { type: "Long", autoincrement: true }, name: { type: "Text" } },
  indexes: [{ name: "by_id", key: ["id"], primary: true }]
})
const Typed = TypedTable.make({ name: "typed", schema: Schema.Struct({ id: Schema.Int }), primaryKey: ["id"] })
declare const cursor: Cursor.Cursor<typeof People>
declare const db: Database.Database
declare const pinned: Effect.Effect<number, never, EsentDatabase>
const noErrors = <A, R>(effect: Effect.Effect<A, never, R>): Effect.Effect<A, never, R> => effect
`

const operations: ReadonlyArray<readonly [string, string]> = [
  ["Table.insert in the context", `noErrors(Table.insert(People, { name: "Ada" }))`],
  ["Table.get in the context", `noErrors(Table.get(People, [1]))`],
  ["Cursor.read", `noErrors(Cursor.read(cursor))`],
  ["Cursor.moveNext", `noErrors(Cursor.moveNext(cursor))`],
  ["Cursor.open in the context", `noErrors(Effect.scoped(Cursor.open(People)))`],
  ["Table.columns on a handle", `noErrors(Table.columns(db, "people"))`],
  ["Transaction.withTransaction", `noErrors(Transaction.withTransaction(pinned))`],
  ["a typed insert in the context", `noErrors(Typed.insert({ id: 1 }))`],
  ["a typed get in the context", `noErrors(Typed.get(1))`],
  ["a stream's run", `noErrors(Stream.runCollect(Cursor.stream(People)))`]
]

const blocks: ReadonlyArray<CodeBlock> = operations.map(([, code], index) => ({
  line: index + 1,
  code,
  preamble
}))

describe("compiler messages about errors", () => {
  const problems = typeCheckBlocks(blocks)

  it("report every operation that puts errors where none are allowed", () => {
    expect(problems.map((problem) => problem.line).sort((a, b) => a - b)).toEqual(
      operations.map((_, index) => index + 1)
    )
  }, 120_000)

  for (const [index, [name]] of operations.entries()) {
    it(`${name}: the error type has a name, not a list of JET errors`, () => {
      const message = problems.find((problem) => problem.line === index + 1)?.message ?? ""
      expect(message).not.toBe("")
      expect(message).not.toMatch(/\d+ more/)
      expect(message).not.toMatch(/JET_err\w+ \|/)
    })
  }

  it("bites: a union of two aliases is listed member by member", () => {
    const [problem] = typeCheckBlocks([{
      line: 1,
      code: `declare const both: Effect.Effect<void, Cursor.CursorError | EsentDatabaseError>
noErrors(both)`,
      preamble: `${preamble}\nimport type { EsentDatabaseError } from "effect-esent"\n`
    }])
    expect(problem?.message).toMatch(/\d+ more/)
  }, 120_000)
})
