/**
 * The lock file works for `npm ci` on every platform: it records each platform's optional binaries
 * (dprint's, rolldown's, lightningcss's, koffi's...), not only this machine's, and `npm ci` into a
 * temporary copy of the project succeeds. A lock that lost one platform's binary fails both checks.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { runNpm } from "./npm.ts"

const root = join(import.meta.dirname, "..", "..")

interface LockPackage {
  readonly version?: string
  readonly optionalDependencies?: Readonly<Record<string, string>>
}
interface Lock {
  readonly packages: Readonly<Record<string, LockPackage>>
}

const readLock = (): Lock => JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as Lock

/** The optional dependencies of locked packages that the lock does not record, as `pkg -> dep`. */
const unrecordedOptionals = (lock: Lock): ReadonlyArray<string> =>
  Object.entries(lock.packages).flatMap(([path, entry]) =>
    Object.keys(entry.optionalDependencies ?? {}).filter((name) => {
      // npm looks a dependency up in the package's own node_modules, then in each folder above.
      const parts = path.split("node_modules/").filter((part) => part !== "")
      for (let depth = parts.length; depth >= 0; depth--) {
        const prefix = parts.slice(0, depth).map((part) => `node_modules/${part.replace(/\/$/, "")}/`).join(
          ""
        )
        if (lock.packages[`${prefix}node_modules/${name}`] !== undefined) return false
      }
      return true
    }).map((name) => `${path} -> ${name}`)
  )

describe("package-lock.json", () => {
  let work = ""
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "effect-esent-npm-ci-"))
  })
  afterAll(() => {
    rmSync(work, { recursive: true, force: true })
  })

  it("records every optional dependency of every locked package, for every platform", () => {
    const lock = readLock()
    expect(unrecordedOptionals(lock)).toEqual([])
    for (
      const binary of [
        "@dprint/win32-x64",
        "@dprint/darwin-arm64",
        "@dprint/darwin-x64",
        "@dprint/linux-x64-glibc"
      ]
    ) {
      expect(lock.packages[`node_modules/${binary}`], binary).toBeDefined()
    }
  })

  it("finds a platform's binary missing", () => {
    const lock = readLock()
    const { ["node_modules/@dprint/darwin-arm64"]: _removed, ...packages } = lock.packages
    expect(unrecordedOptionals({ packages })).toEqual(["node_modules/dprint -> @dprint/darwin-arm64"])
  })

  it("is accepted by npm ci in a temporary copy of the project", async () => {
    for (const file of ["package.json", "package-lock.json"]) {
      copyFileSync(join(root, file), join(work, file))
    }
    const result = await runNpm(["ci"], work)
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" })
    expect(existsSync(join(work, "node_modules", "effect", "package.json"))).toBe(true)
    expect(existsSync(join(work, "node_modules", "dprint", "package.json"))).toBe(true)
  }, 300_000)

  it("is refused by npm ci when a platform's binary is missing from it", async () => {
    const lock = readLock()
    const { ["node_modules/@dprint/darwin-arm64"]: _removed, ...packages } = lock.packages
    writeFileSync(join(work, "package-lock.json"), JSON.stringify({ ...lock, packages }, null, 2))
    const result = await runNpm(["ci"], work)
    expect(result.code).not.toBe(0)
    expect(result.stderr).toMatch(/Missing: @dprint\/darwin-arm64@/)
  }, 300_000)
})
