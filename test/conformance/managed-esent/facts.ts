/**
 * Counting the facts of the ManagedEsent section. Each test file of `test/conformance/managed-esent`
 * restates assertions of one ManagedEsent interop test file (`microsoft/ManagedEsent`,
 * `EsentInteropTests/`), which ran against the real esent.dll: those assertions are facts about
 * ESENT, checked here on every engine of the conformance suite.
 *
 * Every check of such a fact goes through {@link fact} or {@link factErr}, which count it. A file
 * declares how many facts it checks per engine with {@link declareFacts}; the count is verified
 * after the file's tests ran, so the number in a file's header cannot drift from what runs.
 *
 * @module
 */
import { afterAll, beforeEach, expect } from "vitest"
import type { JetResult } from "../../../src/jet/api.ts"
import { codeName } from "../harness.ts"

const counts = new Map<string, number>()
let currentEngine = ""

/** Marks which engine the following facts are checked on (called by each file's `forEachEngine`). */
export const onEngine = (engine: string): void => {
  beforeEach(() => {
    currentEngine = engine
  })
}

const count = (): void => {
  counts.set(currentEngine, (counts.get(currentEngine) ?? 0) + 1)
}

/** Checks one ManagedEsent fact: `actual` equals `expected`. */
export const fact = <A>(actual: A, expected: A, what?: string): void => {
  count()
  expect(actual, what).toEqual(expected)
}

/** Checks one ManagedEsent fact about a JET code: the call returned `code`. */
export const factErr = (result: JetResult | number, code: number, what?: string): void => {
  count()
  const err = typeof result === "number" ? result : result.err
  expect(codeName(err), what ?? "JET code").toBe(codeName(code))
}

/**
 * Declares how many facts the file checks on each engine; after the file ran, every engine that
 * ran must have checked exactly that many (a skipped test would show as a shortfall).
 */
export const declareFacts = (file: string, perEngine: number): void => {
  afterAll(() => {
    const checked = Object.fromEntries(counts)
    console.info(`ManagedEsent ${file}: facts checked per engine ${JSON.stringify(checked)}`)
    expect(checked, `facts of ${file} checked per engine`).toEqual(
      Object.fromEntries([...counts.keys()].map((engine) => [engine, perEngine]))
    )
  })
}
