// Unpacks the real-database fixtures into a scratch folder that the caller removes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gunzipSync } from "node:zlib"

export const realEdbDir = join(import.meta.dirname, "..", "..", "fixtures", "real-edb")

/** A scratch folder holding the named fixtures gunzipped; `cleanup` removes it. */
export const unpackRealEdb = (names: ReadonlyArray<string>) => {
  const dir = mkdtempSync(join(tmpdir(), "real-edb-engine-"))
  const paths = new Map<string, string>()
  for (const name of names) {
    const path = join(dir, name)
    writeFileSync(path, gunzipSync(readFileSync(join(realEdbDir, `${name}.gz`))))
    paths.set(name, path)
  }
  return {
    dir,
    path: (name: string): string => paths.get(name)!,
    cleanup: () => rmSync(dir, { recursive: true, force: true })
  }
}
