/**
 * The `effect-esent` command line, built with `effect/cli`: `info`, `tables`, `schema`, `dump` and
 * `export` over a database file, read-only. Exit codes say what failed (see {@link ExitCode}).
 *
 * The commands read through {@link EseFile} directly rather than through the Effect API's file
 * layer: a dump is a straight scan, and the reader's record generator streams it page by page with
 * none of the JET call protocol's per-column work (handles, buffers, retrieve calls), which is what
 * a program needs for seeks, ranges and typed tables, not for printing every value.
 *
 * ```sh
 * effect-esent dump SRUDB.dat '{D10CA2FE-6FCF-4F6D-848E-B2E99266FA89}' --limit 10 | jq .
 * ```
 *
 * @module
 */
import { Console, Context, Effect, Layer, Option, Path, Sink, Stdio, Stream, Terminal } from "effect"
import { FileSystem } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { ChildProcessSpawner } from "effect/process"
import { EseFileError } from "../file/index.ts"
import { dump, exportAll, info, schema, tables, UsageError } from "./commands.ts"
import { BrokenPipe, Output } from "./output.ts"

/** The process exit codes of `effect-esent`. */
export const ExitCode = {
  /** Done (also when the reader of a pipe went away early, as `head` does). */
  Ok: 0,
  /** A failure of the program itself (a bug). */
  Internal: 1,
  /** The command line is wrong: an unknown command or flag, a bad value. */
  Usage: 2,
  /** The file cannot be opened or read (missing, no permission, I/O error). */
  CannotOpen: 3,
  /** The file is not an ESE database (or has a page size or format it cannot be). */
  NotEse: 4,
  /** The database is damaged: a checksum failed or a structure is inconsistent. */
  Corrupt: 5,
  /** The table, column or index named is not in the database. */
  NotFound: 6,
  /** The output cannot be written (the export folder or a file in it). */
  OutputFailed: 7
} as const

/** A failed command: its exit code and the message printed on stderr. */
export class CliFailure extends Error {
  override readonly name = "CliFailure"
  readonly exitCode: number
  constructor(exitCode: number, message: string) {
    super(message)
    this.exitCode = exitCode
  }
}

/** The exit code for an error thrown by a command. */
export const exitCodeOf = (error: unknown): number => {
  if (error instanceof UsageError) return ExitCode.Usage
  if (error instanceof EseFileError) {
    switch (error.code) {
      case "JET_errFileNotFound":
      case "JET_errDiskIO":
        return ExitCode.CannotOpen
      case "JET_errFileInvalidType":
      case "JET_errInvalidDatabase":
        return ExitCode.NotEse
      case "JET_errObjectNotFound":
      case "JET_errColumnNotFound":
      case "JET_errIndexNotFound":
        return ExitCode.NotFound
      case "JET_errInvalidParameter":
        return ExitCode.Usage
      default:
        return ExitCode.Corrupt
    }
  }
  return ExitCode.Internal
}

/** Where the commands write: the descriptor of standard output unless a caller chose another. */
const stdoutFd = Context.Reference<number>("effect-esent/cli/stdoutFd", { defaultValue: () => 1 })

/** Runs `work` with stdout; a closed pipe ends it quietly. */
const attempt = (work: (out: Output) => void, fileOutput = false): Effect.Effect<void, CliFailure> =>
  Effect.flatMap(Effect.service(stdoutFd), (fd) => {
    const out = new Output(fd)
    try {
      work(out)
      out.flush()
      return Effect.void
    } catch (error) {
      if (error instanceof BrokenPipe) return Effect.void
      const code = fileOutput && isFsError(error) ? ExitCode.OutputFailed : exitCodeOf(error)
      return Effect.fail(new CliFailure(code, error instanceof Error ? error.message : String(error)))
    }
  })

const isFsError = (error: unknown): boolean =>
  error instanceof Error && typeof (error as { code?: unknown }).code === "string"
  && !(error instanceof EseFileError)

const file = Argument.String("file").pipe(Argument.withDescription("the database file (.edb, .dat, .dit)"))
const cacheMiB = Flag.Int("cache-mib").pipe(
  Flag.withDescription("the page cache's bound in MiB (default 32)"),
  Flag.optional
)
const common = (cache: Option.Option<number>, progress: boolean) => ({
  cacheBytes: Option.isSome(cache) ? cache.value * 1024 * 1024 : undefined,
  progress
})
const stderrIsTty = (): boolean => process.stderr.isTTY === true

const infoCommand = Command.make(
  "info",
  { file, cacheMiB },
  (a) => attempt((out) => info(a.file, common(a.cacheMiB, false), out))
).pipe(Command.withDescription(
  "Print the database header: page size, format, state (clean or dirty shutdown), times, log signature, engine version."
))

const tablesCommand = Command.make(
  "tables",
  { file, cacheMiB },
  (a) => attempt((out) => tables(a.file, common(a.cacheMiB, false), out))
).pipe(Command.withDescription("Print the name of every table, one a line, in catalog order."))

const schemaCommand = Command.make(
  "schema",
  {
    file,
    table: Argument.String("table").pipe(Argument.withDescription("only this table"), Argument.optional),
    json: Flag.Boolean("json").pipe(Flag.withDescription("print JSON"), Flag.withDefault(false)),
    cacheMiB
  },
  (a) =>
    attempt((out) =>
      schema(a.file, Option.getOrUndefined(a.table), { ...common(a.cacheMiB, false), json: a.json }, out)
    )
).pipe(Command.withDescription("Print columns (type, size, code page, flags) and indexes (key segments)."))

const format = Flag.Literals("format", ["json", "csv"]).pipe(
  Flag.withDescription(
    "json: one JSON object per record (default); csv: a header row, then one row per record"
  ),
  Flag.withDefault("json" as const)
)

const dumpCommand = Command.make(
  "dump",
  {
    file,
    table: Argument.String("table").pipe(Argument.withDescription("the table to dump")),
    format,
    columns: Flag.String("columns").pipe(
      Flag.withDescription("read only these columns, comma-separated, in this order"),
      Flag.optional
    ),
    index: Flag.String("index").pipe(Flag.withDescription("read in this index's order"), Flag.optional),
    from: Flag.String("from").pipe(
      Flag.withDescription("with --index: start at this value of its first key column"),
      Flag.optional
    ),
    to: Flag.String("to").pipe(
      Flag.withDescription("with --index: stop after this value of its first key column"),
      Flag.optional
    ),
    limit: Flag.Int("limit").pipe(Flag.withDescription("stop after this many records"), Flag.optional),
    cacheMiB
  },
  (a) =>
    attempt((out) => {
      dump(a.file, a.table, {
        ...common(a.cacheMiB, stderrIsTty()),
        format: a.format,
        columns: Option.isSome(a.columns) ? a.columns.value.split(",").map((c) => c.trim()) : undefined,
        index: Option.getOrUndefined(a.index),
        from: Option.getOrUndefined(a.from),
        to: Option.getOrUndefined(a.to),
        limit: Option.getOrUndefined(a.limit)
      }, out)
    })
).pipe(Command.withDescription(
  "Print a table's records: JSON lines (long values included, binary as base64, dates as ISO 8601, multi-valued columns as arrays) or CSV."
))

const exportCommand = Command.make(
  "export",
  {
    file,
    dir: Argument.String("dir").pipe(Argument.withDescription("the folder to write (created when missing)")),
    format,
    cacheMiB
  },
  (a) =>
    attempt((out) => {
      const names = exportAll(
        a.file,
        a.dir,
        { ...common(a.cacheMiB, stderrIsTty()), format: a.format },
        (path) => Output.toFile(path)
      )
      for (const name of names) out.write(name + "\n")
    }, true)
).pipe(
  Command.withDescription(
    "Write every table to DIR, one file each (TABLE.jsonl or TABLE.csv); print their names."
  )
)

/** The `effect-esent` command and its subcommands. */
export const command = Command.make("effect-esent").pipe(
  Command.withDescription(
    "Read ESE (JET Blue) database files: Windows.edb, SRUDB.dat, ntds.dit, WebCacheV01.dat..."
  ),
  Command.withSubcommands([infoCommand, tablesCommand, schemaCommand, dumpCommand, exportCommand])
)

/** What `effect/cli` needs from the platform, from Node directly: nothing here spawns or prompts. */
const environment = (argv: ReadonlyArray<string>) =>
  Layer.mergeAll(
    FileSystem.layerNoop({}),
    Path.layer,
    Layer.succeed(
      Stdio.Stdio,
      Stdio.make({
        args: Effect.succeed(argv),
        stdout: () => Sink.drain,
        stderr: () => Sink.drain,
        stdin: Stream.empty
      })
    ),
    Layer.succeed(
      Terminal.Terminal,
      Terminal.make({
        columns: Effect.sync(() => process.stdout.columns ?? 80),
        rows: Effect.sync(() => process.stdout.rows ?? 24),
        size: Effect.die("no terminal size here"),
        readInput: Effect.die("no terminal input here"),
        readLine: Effect.die("no terminal input here"),
        display: (text) => Effect.sync(() => void process.stdout.write(text))
      })
    ),
    Layer.succeed(
      ChildProcessSpawner.ChildProcessSpawner,
      ChildProcessSpawner.make(() => Effect.die("effect-esent spawns no process"))
    )
  )

/**
 * Runs the command line on `argv` (without node and script) and returns the exit code. Command
 * output goes to `options.stdoutFd` (default 1, standard output).
 */
export const main = (
  argv: ReadonlyArray<string>,
  options: { readonly stdoutFd?: number } = {}
): Effect.Effect<number> =>
  Command.runWith(command, { version: "0.1.0" })(argv).pipe(
    Effect.as(ExitCode.Ok as number),
    Effect.catch((error: unknown) =>
      error instanceof CliFailure
        ? Console.error(`effect-esent: ${error.message}`).pipe(Effect.as(error.exitCode))
        : Effect.succeed(ExitCode.Usage as number)
    ),
    Effect.catchDefect((defect) =>
      Console.error(`effect-esent: internal error: ${String(defect)}`).pipe(
        Effect.as(ExitCode.Internal as number)
      )
    ),
    Effect.provide(environment(argv)),
    Effect.provideService(stdoutFd, options.stdoutFd ?? 1)
  )
