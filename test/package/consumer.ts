/**
 * The consumer check: the package as a user gets it. Packs a project folder, installs the tarball
 * into a fresh project from the npm registry, runs a plain JavaScript and a TypeScript program
 * importing `effect-esent`, `effect-esent/jet` and `effect-esent/memory`, and type-checks the
 * TypeScript program under `moduleResolution: "nodenext"` and `"bundler"`. A failure names the step.
 */
import { copyFileSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"
import { type CommandResult, runNode, runNpm } from "./npm.ts"

/** The programs and tsconfig files of the fresh project. */
export const consumerAppDir = join(import.meta.dirname, "consumer-app")

/** What both programs print. */
export const expectedOutput = [
  "seek Ada: found, id 2, name Ada",
  "injected fault: JET_errDiskFull",
  "instances open afterwards: 0"
].join("\n")

/** A step of the check that failed; its message names the step and shows what the command said. */
export class ConsumerStepError extends Error {
  override readonly name = "ConsumerStepError"
  readonly step: string
  readonly result: CommandResult
  constructor(step: string, result: CommandResult) {
    super(
      `consumer check failed at step "${step}" (exit ${result.code}):\n${result.stdout}\n${result.stderr}`
    )
    this.step = step
    this.result = result
  }
}

/** The paths in the tarball, from `npm pack --json` (whose output may follow the build's). */
export const packedFiles = (stdout: string): ReadonlyArray<string> => {
  const start = stdout.search(/^\[/m)
  if (start < 0) throw new Error(`npm pack printed no JSON:\n${stdout}`)
  const [entry] = JSON.parse(stdout.slice(start)) as Array<{ files: Array<{ path: string }> }>
  return (entry?.files ?? []).map((file) => file.path)
}

/** How long each step took, in milliseconds, and what the programs printed. */
export interface ConsumerReport {
  readonly tarball: string
  readonly tarballBytes: number
  readonly timings: Readonly<Record<string, number>>
  readonly output: string
  readonly files: ReadonlyArray<string>
}

export interface ConsumerOptions {
  /** The folder to pack (the project, or a copy of it). */
  readonly packageDir: string
  /** An empty folder for the tarball and the fresh project; the caller removes it. */
  readonly workDir: string
  /** Extra `npm pack` arguments, e.g. `--ignore-scripts` for a copy whose dist/ is already built. */
  readonly packArgs?: ReadonlyArray<string>
  /**
   * ESE files to read with the installed `effect-esent` command (`info`, `tables`, a limited `dump`
   * of the first table, `schema --json`, `export` of every table), each with the table names it must
   * list in catalog order.
   */
  readonly cliFiles?: ReadonlyArray<{ readonly path: string; readonly tables: ReadonlyArray<string> }>
}

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")

/** Runs the whole check; rejects with a {@link ConsumerStepError} at the first step that fails. */
export const checkConsumer = async (options: ConsumerOptions): Promise<ConsumerReport> => {
  const timings: Record<string, number> = {}
  const step = async (name: string, run: () => Promise<CommandResult>): Promise<CommandResult> => {
    const started = performance.now()
    const result = await run()
    timings[name] = Math.round(performance.now() - started)
    if (result.code !== 0) throw new ConsumerStepError(name, result)
    return result
  }

  const packed = await step(
    "npm pack",
    () =>
      runNpm(
        ["pack", "--json", "--pack-destination", options.workDir, ...(options.packArgs ?? [])],
        options.packageDir
      )
  )
  const files = packedFiles(packed.stdout)
  const tarball = readdirSync(options.workDir).find((file) => file.endsWith(".tgz"))
  if (tarball === undefined) {
    throw new ConsumerStepError("npm pack", { code: 0, stdout: "", stderr: "no .tgz" })
  }
  const tarballBytes = statSync(join(options.workDir, tarball)).size

  const app = join(options.workDir, "app")
  mkdirSync(app)
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }))
  for (const file of readdirSync(consumerAppDir)) copyFileSync(join(consumerAppDir, file), join(app, file))
  // What the README tells a user to run, plus Node's types for the TypeScript program.
  await step("npm install", () => runNpm(["install", join("..", tarball), "effect", "@types/node"], app))

  const outputs: Array<string> = []
  for (const program of ["app.js", "app.ts"]) {
    const result = await step(`node ${program}`, () => runNode([program], { cwd: app }))
    const output = result.stdout.trim().replaceAll("\r\n", "\n")
    if (output !== expectedOutput) {
      throw new ConsumerStepError(`node ${program}`, {
        ...result,
        stderr: `unexpected output\n${result.stderr}`
      })
    }
    outputs.push(output)
  }

  // The command line as installed: npm links it into node_modules/.bin; its script is run with
  // this Node so that the step is the same on every OS (no .cmd shim).
  const bin = join(app, "node_modules", "effect-esent", "bin", "effect-esent.js")
  for (const file of options.cliFiles ?? []) {
    const name = file.path.split(/[\\/]/).pop()
    await step(`effect-esent info ${name}`, () => runNode([bin, "info", file.path], { cwd: app }))
    const listed = await step(
      `effect-esent tables ${name}`,
      () => runNode([bin, "tables", file.path], { cwd: app })
    )
    const names = listed.stdout.trim().split(/\r?\n/)
    if (names.join("\n") !== file.tables.join("\n")) {
      throw new ConsumerStepError(`effect-esent tables ${name}`, {
        ...listed,
        stderr: `listed ${names.join(", ")}; expected ${file.tables.join(", ")}`
      })
    }
    const table = file.tables[0]!
    const dumped = await step(
      `effect-esent dump ${name} ${table}`,
      () => runNode([bin, "dump", file.path, table, "--limit", "3"], { cwd: app })
    )
    for (const line of dumped.stdout.trim().split(/\r?\n/).filter((l) => l !== "")) JSON.parse(line)
    const schema = await step(
      `effect-esent schema ${name} --json`,
      () => runNode([bin, "schema", file.path, "--json"], { cwd: app })
    )
    JSON.parse(schema.stdout)
    const exportDir = join(options.workDir, `export-${name}`)
    const exported = await step(
      `effect-esent export ${name}`,
      () => runNode([bin, "export", file.path, exportDir], { cwd: app })
    )
    const written = readdirSync(exportDir)
    if (written.length !== file.tables.length) {
      throw new ConsumerStepError(`effect-esent export ${name}`, {
        ...exported,
        stderr: `wrote ${written.length} files for ${file.tables.length} tables`
      })
    }
  }

  // The nodenext run checks our declarations in full (skipLibCheck off); the bundler run checks the
  // program's imports under the other resolution, with skipLibCheck on, to keep the suite quick.
  await Promise.all(
    ["nodenext", "bundler"].map((resolution) =>
      step(
        `tsc (moduleResolution ${resolution})`,
        () => runNode([tsc, "-p", `tsconfig.${resolution}.json`], { cwd: app })
      )
    )
  )
  return { tarball, tarballBytes, timings, output: outputs[0] ?? "", files }
}
