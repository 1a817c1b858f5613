/**
 * The check that the suite leaves nothing in the temporary folder (`test/support/temp-dir.ts`, run
 * as vitest's global setup) reports what is left, and reports nothing for an empty folder.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { leftoverFailure, leftovers } from "./support/temp-dir.ts"

describe("the temporary folder check", () => {
  it("runs: the tests' temporary folder is the suite's own", () => {
    expect(tmpdir()).toMatch(/effect-esent-suite-/)
  })

  it("fails for a folder or file left behind, naming each, and passes for none", () => {
    const folder = mkdtempSync(join(tmpdir(), "temp-dir-check-"))
    try {
      expect(leftoverFailure(leftovers(folder))).toBeUndefined()
      mkdirSync(join(folder, "effect-esent-forgotten"))
      writeFileSync(join(folder, "jet-abi-left.so"), "")
      const failure = leftoverFailure(leftovers(folder))
      expect(failure?.message).toContain("left 2 entries")
      expect(failure?.message).toContain("effect-esent-forgotten, jet-abi-left.so")
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })
})
