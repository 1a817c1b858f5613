// Gunzips the real-database fixtures into a temporary folder once per test file, and removes it.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gunzipSync } from "node:zlib"

export const fixtureDir = join(import.meta.dirname, "..", "fixtures", "real-edb")

/** Every real database among the fixtures, by its unpacked name (`basic.edb`...), sorted. */
export const fixtureNames: ReadonlyArray<string> = readdirSync(fixtureDir)
  .filter((file) => file.endsWith(".edb.gz"))
  .map((file) => file.slice(0, -".gz".length))
  .sort()

/** The fixtures that esedbexport exports in seconds: every one but `large.edb` (about a minute). */
export const quickFixtureNames: ReadonlyArray<string> = fixtureNames.filter((name) => name !== "large.edb")

/** A scratch folder holding unpacked fixtures; `cleanup` removes it. */
export const unpackFixtures = (names: ReadonlyArray<string>) => {
  const dir = mkdtempSync(join(tmpdir(), "real-edb-"))
  const paths = new Map<string, string>()
  for (const name of names) {
    const path = join(dir, name)
    writeFileSync(path, gunzipSync(readFileSync(join(fixtureDir, `${name}.gz`))))
    paths.set(name, path)
  }
  return {
    dir,
    path: (name: string): string => paths.get(name)!,
    cleanup: () => rmSync(dir, { recursive: true, force: true })
  }
}
