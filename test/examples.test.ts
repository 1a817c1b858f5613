/**
 * Every example runs to completion: each file in examples/ is run by the Node running the tests,
 * as a user would run it, and must exit with 0 after printing what it did.
 */
import { execFile } from "node:child_process"
import { readdirSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"

const root = join(import.meta.dirname, "..")
const examples = readdirSync(join(root, "examples")).filter((file) => file.endsWith(".ts")).sort()

const run = (file: string) =>
  new Promise<{ readonly code: number | null; readonly stdout: string; readonly stderr: string }>(
    (resolve) => {
      execFile(
        process.execPath,
        ["--conditions=effect-esent-source", join("examples", file)],
        { cwd: root, timeout: 60_000, env: { ...process.env, NO_COLOR: "1" } },
        (error, stdout, stderr) =>
          resolve({
            code: error === null ? 0 : typeof error.code === "number" ? error.code : null,
            stdout,
            stderr
          })
      )
    }
  )

describe.concurrent("examples", () => {
  it("there are examples to run", () => {
    expect(examples).toContain("quickstart.ts")
  })

  for (const file of examples) {
    it(`examples/${file} exits with 0 and prints what it did`, async () => {
      const { code, stderr, stdout } = await run(file)
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" })
      expect(stdout.trim()).not.toBe("")
    })
  }
})
