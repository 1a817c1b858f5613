/**
 * The GitHub Actions workflows for Windows and macOS cannot run here, so the suite lints them
 * (action-validator: each file against the workflow schema) and checks what they promise; and the
 * rule that decides when the C-library tests skip off Linux.
 */
import { validateWorkflow } from "@action-validator/core"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { compilerSkipReason } from "../support/c-abi.ts"

const folder = join(import.meta.dirname, "..", "..", ".github", "workflows")
const workflows = readdirSync(folder).filter((file) => /\.ya?ml$/.test(file)).sort()
const read = (file: string) => readFileSync(join(folder, file), "utf8")

describe("GitHub Actions workflows", () => {
  it("are there for Windows and macOS", () => {
    expect(workflows).toEqual(["macos.yml", "windows.yml"])
    expect(read("windows.yml")).toMatch(/runs-on: windows-latest/)
    expect(read("macos.yml")).toMatch(/runs-on: macos-latest/)
  })

  for (const file of workflows) {
    it(`${file} passes the workflow linter and runs npm ci, then npm test`, () => {
      expect(validateWorkflow(read(file)).errors).toEqual([])
      expect(read(file)).toMatch(/- run: npm ci\n\s*- run: npm test\n/)
    })
  }

  it("the linter rejects a misspelt key and broken YAML", () => {
    const misspelt = read("windows.yml").replace("    steps:", "    step:")
    const errors = validateWorkflow(misspelt).errors
    expect(errors.length).toBeGreaterThan(0)
    expect(JSON.stringify(errors)).toMatch(/Additional property 'step' is not allowed/)
    expect(validateWorkflow("jobs: [\n").errors.length).toBeGreaterThan(0)
  })
})

describe("tests that build C libraries", () => {
  it("run wherever gcc is, fail on Linux without it, and skip with a message elsewhere", () => {
    for (const platform of ["linux", "darwin", "win32"] as const) {
      expect(compilerSkipReason(platform, true), platform).toBeUndefined()
    }
    expect(compilerSkipReason("linux", false)).toBeUndefined()
    expect(compilerSkipReason("darwin", false)).toMatch(/gcc is not on PATH.*skipped on darwin/)
    expect(compilerSkipReason("win32", false)).toMatch(/skipped on win32/)
  })
})
