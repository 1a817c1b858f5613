/**
 * The README's code compiles against the API and its whole programs run, so the README cannot
 * drift from the API unnoticed. The convention a block follows is in readme-check.ts (and in a
 * comment in the README). The last tests show the check failing on broken blocks.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { codeBlocks, programProblem, typeCheckBlocks } from "./readme-check.ts"

const readme = readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8")
const blocks = codeBlocks(readme)
const programs = blocks.filter((block) => block.preamble === undefined)

describe("README code blocks", () => {
  it("are there, programs and fragments", () => {
    expect(programs.length).toBeGreaterThan(0)
    expect(blocks.length).toBeGreaterThan(programs.length)
  })

  it("type-check, each as a module importing effect-esent", () => {
    expect(typeCheckBlocks(blocks)).toEqual([])
  }, 120_000)

  // Off Windows the programs' Jet.layerAuto() is the in-memory engine; on Windows it is esent.dll,
  // writing where the program says, so the programs are only type-checked there.
  describe.skipIf(process.platform === "win32")("whole programs run on the in-memory engine", () => {
    for (const block of programs) {
      it(`README.md:${block.line} runs to exit code 0 and prints what it did`, async () => {
        expect(await programProblem(block)).toBeUndefined()
      }, 60_000)
    }
  })
})

describe("the README check bites", () => {
  const broken = [
    "# Broken",
    "",
    "<!-- readme-check: fragment",
    'import { Schedule } from "effect"',
    "-->",
    "",
    "```ts",
    'const retries = Schedule.exponential("5 millis").pipe(Schedule.take(10))',
    "```",
    "",
    "```ts",
    'import { Jet } from "effect-esent"',
    "const engine: string = Jet.layerMemory()",
    "```",
    "",
    "```ts",
    "const withoutPreamble = session",
    "```",
    "",
    "```ts",
    'import { Effect } from "effect"',
    'await Effect.runPromise(Effect.fail("a program that type-checks and fails"))',
    "```",
    "",
    "```ts",
    "export const definedOnly = 1",
    "```",
    ""
  ].join("\n")
  const brokenBlocks = codeBlocks(broken)

  it("reads fragments with their preamble and programs without", () => {
    expect(brokenBlocks.map((block) => [block.line, block.preamble])).toEqual([
      [8, 'import { Schedule } from "effect"\n'],
      [12, undefined],
      [17, undefined],
      [21, undefined],
      [26, undefined]
    ])
  })

  it("reports a removed combinator, a wrong type and a missing name at their README lines", () => {
    const problems = typeCheckBlocks(brokenBlocks)
    expect(problems.map((problem) => problem.line)).toEqual([8, 13, 17])
    expect(problems[0]?.message).toMatch(/Property 'take' does not exist/)
    expect(problems[1]?.message).toMatch(/is not assignable to type 'string'/)
    expect(problems[2]?.message).toMatch(/Cannot find name 'session'/)
  }, 120_000)

  it("fails a program that exits with an error, and one that prints nothing", async () => {
    expect(await programProblem(brokenBlocks[3]!)).toMatch(
      /^README\.md:21: exit code 1\n[\s\S]*a program that type-checks and fails/
    )
    expect(await programProblem(brokenBlocks[4]!)).toBe(
      "README.md:26: printed nothing; a block that only defines things is a fragment"
    )
  }, 60_000)
})
