/**
 * How every benchmark reports a figure. Without flags a benchmark prints its tables for people;
 * with `--json` it prints one JSON object per line and figure on stdout, so runs can be compared
 * run after run, and its tables go to stderr.
 *
 * A figure compares our side with an anchor (raw koffi, the raw `JetApi`, SQLite, the untyped
 * Effect API) in the figure's unit; `ratio` is oriented so that higher is better for us (anchor
 * time over our time, or our rate over the anchor's), `target` is the least ratio the project aims
 * for (`null` when the figure has none) and `met` says whether the run reached it.
 *
 * ```json
 * {"name":"native/JetMove","ours":52.1,"anchor":51.3,"unit":"ns/call","ratio":0.985,"target":0.833,"met":true}
 * ```
 *
 * @module
 */

/** One benchmark figure, as printed with `--json`. */
export interface Figure {
  readonly name: string
  readonly ours: number
  readonly anchor: number
  readonly unit: string
  readonly ratio: number
  readonly target: number | null
  readonly met: boolean | null
}

/** Whether this run prints JSON lines (`--json` among the arguments). */
export const json = process.argv.includes("--json")

/** The arguments other than flags, for benchmarks that take sizes on the command line. */
export const positionalArguments: ReadonlyArray<string> = process.argv.slice(2).filter((a) =>
  !a.startsWith("--")
)

/** Prints text meant for people: on stdout, or on stderr when stdout carries JSON lines. */
export const say = (text = ""): void => {
  if (json) console.error(text)
  else console.log(text)
}

const rounded = (n: number): number => Number(n.toPrecision(4))

/**
 * A figure from two measurements. `better` says which way the unit goes: `"lower"` for times
 * (ns per call), `"higher"` for rates (operations per second). `target` is given as the
 * project states it, in the same orientation: for `"lower"` the most our time may be as a multiple
 * of the anchor's (1.2 for "at most 1.2× raw"), for `"higher"` the least our rate must be as a
 * multiple of the anchor's (1.5 for "at least 1.5× SQLite").
 */
export const figure = (options: {
  readonly name: string
  readonly ours: number
  readonly anchor: number
  readonly unit: string
  readonly better: "lower" | "higher"
  readonly target?: number
}): Figure => {
  const { anchor, better, name, ours, target, unit } = options
  const ratio = better === "lower" ? anchor / ours : ours / anchor
  const oriented = target === undefined ? null : better === "lower" ? 1 / target : target
  return {
    name,
    ours: rounded(ours),
    anchor: rounded(anchor),
    unit,
    ratio: rounded(ratio),
    target: oriented === null ? null : rounded(oriented),
    met: oriented === null ? null : ratio >= oriented
  }
}

/** Prints the figures as JSON lines when `--json` is given; otherwise nothing (the tables say it). */
export const emit = (figures: ReadonlyArray<Figure>): void => {
  if (!json) return
  for (const f of figures) console.log(JSON.stringify(f))
}

/** Nanoseconds since `start` (a `process.hrtime.bigint()`). */
export const nsSince = (start: bigint): number => Number(process.hrtime.bigint() - start)

/** `n` with `digits` decimals. */
export const fixed = (n: number, digits = 1): string => n.toFixed(digits)

/** A table for people: the first column left-aligned, the others right-aligned. */
export const formatTable = (
  header: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string>>
): string => {
  const all = [header, ...rows]
  const widths = header.map((_, c) => Math.max(...all.map((row) => row[c]!.length)))
  return all
    .map((row) =>
      row.map((cell, c) => c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)).join("  ")
    )
    .join("\n")
}
