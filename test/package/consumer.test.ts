/**
 * The package as a user installs it: `npm pack`, then `npm install` of the tarball into a fresh
 * project, the programs in consumer-app/ run with Node (JavaScript and TypeScript) and type-checked
 * by tsc under both module resolutions a user may pick. And the check bites: a copy of the package
 * with one `exports` entry removed fails it, at the step that imports that entry.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest"
import { EseFile } from "../../src/file/index.ts"
import { fixtureNames, unpackFixtures } from "../file/fixtures.ts"
import { checkConsumer, type ConsumerReport, ConsumerStepError, expectedOutput } from "./consumer.ts"

const root = join(import.meta.dirname, "..", "..")

interface PackageJson {
  readonly exports: Record<string, string | Record<string, string>>
  readonly [key: string]: unknown
}
const packageJson = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as PackageJson

describe("the packed package in a fresh project", () => {
  let work = ""
  let report: ConsumerReport | undefined

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "effect-esent-consumer-"))
  })
  afterAll(() => {
    rmSync(work, { recursive: true, force: true })
  })

  it(
    "installs, runs the JavaScript and TypeScript programs, and type-checks under nodenext and bundler",
    async () => {
      mkdirSync(join(work, "real"))
      // Every real file the project ships as a fixture, read by the installed command line; the
      // table names it must list come from the reader in the sources.
      const fixtures = unpackFixtures(fixtureNames)
      onTestFinished(fixtures.cleanup)
      const cliFiles = fixtureNames.map((name) => fixtures.path(name)).map((path) => {
        const db = EseFile.open(path)
        try {
          return { path, tables: db.tables.map((table) => table.name) }
        } finally {
          db.close()
        }
      })
      report = await checkConsumer({ packageDir: root, workDir: join(work, "real"), cliFiles })
      expect(report.output).toBe(expectedOutput)
      console.log(
        `consumer check: ${report.tarball} is ${report.tarballBytes} bytes; step times (ms): ${
          JSON.stringify(report.timings)
        }\n${report.output}`
      )
    },
    600_000
  )

  it("ships dist/*.js and dist/*.d.ts for every entry point, and no test files", () => {
    expect(report, "the consumer check above packed the package").toBeDefined()
    const files = new Set(report?.files)
    for (const [entry, target] of Object.entries(packageJson.exports)) {
      const paths = typeof target === "string" ? [target] : [target["types"], target["default"]]
      for (const path of paths) {
        expect(files.has(String(path).replace(/^\.\//, "")), `${entry}: ${path}`).toBe(true)
      }
      if (typeof target !== "string") expect(target["default"], entry).toMatch(/^\.\/dist\/.*\.js$/)
    }
    expect([...files].filter((path) => /^test\/|\.test\.ts$/.test(path))).toEqual([])
    expect(files.has("LICENSE") && files.has("NOTICE") && files.has("README.md")).toBe(true)
  })

  it("fails at the step that imports an entry point the exports map lost", async () => {
    // A copy of the built package whose exports no longer list ./memory.
    const copy = join(work, "copy")
    for (const path of ["dist", "src", "README.md", "LICENSE", "NOTICE"]) {
      cpSync(join(root, path), join(copy, path), { recursive: true })
    }
    const { "./memory": _removed, ...exports } = packageJson.exports
    writeFileSync(join(copy, "package.json"), JSON.stringify({ ...packageJson, exports }, null, 2))
    mkdirSync(join(work, "broken"))

    const failure = await checkConsumer({
      packageDir: copy,
      workDir: join(work, "broken"),
      packArgs: ["--ignore-scripts"]
    })
      .then(() => undefined, (error: unknown) => error)
    expect(failure).toBeInstanceOf(ConsumerStepError)
    expect((failure as ConsumerStepError).step).toBe("node app.js")
    expect((failure as ConsumerStepError).message).toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED[\s\S]*\.\/memory/)
  }, 600_000)
})
