/**
 * Finding and loading a library that exports the JET ABI: `esent.dll` by default, or any path.
 *
 * @module
 */
import koffi, { type LibraryHandle } from "koffi"

/** Why a JET library could not be loaded: each path tried, with what the loader said. */
export class JetLibraryLoadError extends Error {
  readonly _tag = "JetLibraryLoadError"
  readonly attempts: ReadonlyArray<{ readonly path: string; readonly reason: string }>

  constructor(attempts: ReadonlyArray<{ readonly path: string; readonly reason: string }>) {
    super(
      `No library exporting the JET API could be loaded. Tried: ${
        attempts.map((a) => `${a.path} (${a.reason})`).join("; ")
      }. esent.dll exists only on Windows; elsewhere use the in-memory engine or pass libraryPath.`
    )
    this.name = "JetLibraryLoadError"
    this.attempts = attempts
  }
}

/** The library names tried when no path is given. */
export const defaultLibraryPaths: ReadonlyArray<string> = ["esent.dll"]

/** The outcome of {@link loadJetLibrary}. */
export type LoadedLibrary =
  | { readonly _tag: "Loaded"; readonly path: string; readonly library: LibraryHandle }
  | { readonly _tag: "Failed"; readonly error: JetLibraryLoadError }

/**
 * Loads the first library of `paths` that the platform loader accepts. Never throws: a failure
 * lists every path tried and why it failed.
 */
export const loadJetLibrary = (paths: ReadonlyArray<string> = defaultLibraryPaths): LoadedLibrary => {
  const attempts: Array<{ path: string; reason: string }> = []
  for (const path of paths) {
    try {
      return { _tag: "Loaded", path, library: koffi.load(path) }
    } catch (cause) {
      attempts.push({ path, reason: cause instanceof Error ? cause.message : String(cause) })
    }
  }
  return { _tag: "Failed", error: new JetLibraryLoadError(attempts) }
}
