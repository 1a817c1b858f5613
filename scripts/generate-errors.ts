/**
 * Generates `src/jet/errors.generated.ts`, the JET error catalogue, from three data files:
 *
 * - `data/jet-errors.tsv`: value, kind, visibility, category, name, in_mingw_header (facts about
 *   the engine, copied from the shared data set);
 * - `data/jet-error-aliases.tsv`: alias, target (alternative C names for a canonical code);
 * - `data/jet-error-messages.tsv`: name, message (one readable sentence per code, our own words).
 *
 * Usage:
 *
 * - `node scripts/generate-errors.ts` (or `npm run generate`) writes the module;
 * - `node scripts/generate-errors.ts --check` writes nothing and exits 1, naming the first differing
 *   line, when the committed module is not what the data gives.
 *
 * Malformed data (wrong column count, a non-integer value, an unknown kind, visibility or category,
 * a duplicate name, a code without a message, a message or alias for an unknown name) stops the
 * generator with a non-zero exit and a message that names the file, the line and the row.
 *
 * @module
 */
import { execFileSync } from "node:child_process"
import { readFileSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { resolve } from "node:path"
import { fileURLToPath } from "node:url"

/** The 16 error categories of the engine's JET_ERRCAT hierarchy, in the engine's order. */
export const jetErrorCategoryNames = [
  "Operation",
  "Fatal",
  "IO",
  "Resource",
  "Memory",
  "Quota",
  "Disk",
  "Data",
  "Corruption",
  "Inconsistent",
  "Fragmentation",
  "Api",
  "Usage",
  "State",
  "Obsolete",
  "Unknown"
] as const

/** One of {@link jetErrorCategoryNames}. */
export type CategoryName = (typeof jetErrorCategoryNames)[number]

/** A validated row of the error catalogue, joined with its message. */
export interface CatalogueEntry {
  /** The C name, e.g. `JET_errWriteConflict`. */
  readonly name: string
  /** The signed 32-bit JET_ERR value. */
  readonly value: number
  /** Error or warning, as the data says (not derived from the sign). */
  readonly kind: "err" | "wrn"
  /** Whether the engine publishes, retired or keeps private this code. */
  readonly visibility: "external" | "obsolete" | "internal"
  /** The engine's category for this code. */
  readonly category: CategoryName
  /** Whether mingw-w64's esent.h declares this name. */
  readonly inMingwHeader: boolean
  /** One readable sentence. */
  readonly message: string
}

/** A validated alias row: an alternative C name for a canonical code. */
export interface CatalogueAlias {
  /** The alternative name, e.g. `JET_wrnRecordFoundGreater`. */
  readonly alias: string
  /** The canonical name it stands for. */
  readonly target: string
  /** The target's value. */
  readonly value: number
}

/** The whole validated catalogue, in the order of the data files. */
export interface Catalogue {
  /** Every canonical code, in `jet-errors.tsv` order. */
  readonly entries: ReadonlyArray<CatalogueEntry>
  /** Every alias, in `jet-error-aliases.tsv` order. */
  readonly aliases: ReadonlyArray<CatalogueAlias>
  /**
   * Values held by more than one canonical name, each with its names in data order (the first one
   * wins in `jetErrorByValue`). Empty for the current data.
   */
  readonly sharedValues: ReadonlyArray<{ readonly value: number; readonly names: ReadonlyArray<string> }>
}

/** Thrown when a data file is malformed; the message names the file, the line and the row. */
export class ErrorDataError extends Error {
  override readonly name = "ErrorDataError"
}

/** The data files, as named in error messages and in the generated header. */
export const dataFiles = {
  errors: "data/jet-errors.tsv",
  aliases: "data/jet-error-aliases.tsv",
  messages: "data/jet-error-messages.tsv"
} as const

/** Where the generated module lives, relative to the project root. */
export const generatedModulePath = "src/jet/errors.generated.ts"

const kinds: ReadonlyArray<string> = ["err", "wrn"]
const visibilities: ReadonlyArray<string> = ["external", "obsolete", "internal"]
const categories: ReadonlyArray<string> = jetErrorCategoryNames
const namePattern = /^JET_(err|wrn)[A-Za-z0-9]+$/
const integerPattern = /^-?(0|[1-9][0-9]*)$/
const maxMessageLength = 200

interface Row {
  readonly line: number
  readonly cells: ReadonlyArray<string>
}

/** Splits TSV text into rows after checking the header; tolerates CRLF and one final newline. */
const parseTsv = (file: string, text: string, header: ReadonlyArray<string>): ReadonlyArray<Row> => {
  const lines = text.split("\n").map((line) => line.endsWith("\r") ? line.slice(0, -1) : line)
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop()
  const first = lines[0]
  if (first === undefined) throw new ErrorDataError(`${file}: the file is empty`)
  if (first !== header.join("\t")) {
    throw new ErrorDataError(
      `${file} line 1: expected the header ${JSON.stringify(header.join("\t"))}, found ${
        JSON.stringify(first)
      }`
    )
  }
  const rows: Array<Row> = []
  lines.forEach((text, index) => {
    if (index === 0) return
    const line = index + 1
    if (text.trim() === "") throw new ErrorDataError(`${file} line ${line}: empty line`)
    const cells = text.split("\t")
    if (cells.length !== header.length) {
      throw new ErrorDataError(
        `${file} line ${line}: expected ${header.length} columns (${
          header.join(", ")
        }), found ${cells.length}: ${JSON.stringify(text)}`
      )
    }
    rows.push({ line, cells })
  })
  return rows
}

const cell = (row: Row, index: number): string => row.cells[index] ?? ""

/**
 * Parses and validates the three data files and joins them. Throws {@link ErrorDataError}, naming
 * the file, line and row, on the first problem found.
 */
export const parseCatalogue = (errorsTsv: string, aliasesTsv: string, messagesTsv: string): Catalogue => {
  const errorRows = parseTsv(dataFiles.errors, errorsTsv, [
    "value",
    "kind",
    "visibility",
    "category",
    "name",
    "in_mingw_header"
  ])
  const messageRows = parseTsv(dataFiles.messages, messagesTsv, ["name", "message"])
  const aliasRows = parseTsv(dataFiles.aliases, aliasesTsv, ["alias", "target"])

  const messages = new Map<string, string>()
  for (const row of messageRows) {
    const where = `${dataFiles.messages} line ${row.line}`
    const name = cell(row, 0)
    const message = cell(row, 1)
    if (messages.has(name)) throw new ErrorDataError(`${where}: a second message for ${name}`)
    if (message.trim() === "") throw new ErrorDataError(`${where}: the message for ${name} is empty`)
    if (message !== message.trim()) {
      throw new ErrorDataError(`${where}: the message for ${name} has leading or trailing spaces`)
    }
    if (message === name) throw new ErrorDataError(`${where}: the message for ${name} is only its name`)
    if (message.length > maxMessageLength) {
      throw new ErrorDataError(
        `${where}: the message for ${name} is longer than ${maxMessageLength} characters`
      )
    }
    if (message.includes("*/")) throw new ErrorDataError(`${where}: the message for ${name} contains "*/"`)
    messages.set(name, message)
  }

  const entries: Array<CatalogueEntry> = []
  const byName = new Map<string, CatalogueEntry>()
  const namesByValue = new Map<number, Array<string>>()
  for (const row of errorRows) {
    const name = cell(row, 4)
    const where = `${dataFiles.errors} line ${row.line} (${name === "" ? "no name" : name})`
    const valueText = cell(row, 0)
    const kind = cell(row, 1)
    const visibility = cell(row, 2)
    const category = cell(row, 3)
    const mingw = cell(row, 5)
    if (!namePattern.test(name)) {
      throw new ErrorDataError(`${where}: ${JSON.stringify(name)} is not a JET_err or JET_wrn name`)
    }
    if (byName.has(name)) throw new ErrorDataError(`${where}: duplicate name ${name}`)
    if (!integerPattern.test(valueText)) {
      throw new ErrorDataError(`${where}: value ${JSON.stringify(valueText)} is not an integer`)
    }
    const value = Number(valueText)
    if (value < -(2 ** 31) || value > 2 ** 31 - 1) {
      throw new ErrorDataError(`${where}: value ${valueText} does not fit in a signed 32-bit JET_ERR`)
    }
    if (!kinds.includes(kind)) {
      throw new ErrorDataError(
        `${where}: unknown kind ${JSON.stringify(kind)} (expected ${kinds.join(" or ")})`
      )
    }
    if (!name.startsWith(`JET_${kind}`)) {
      throw new ErrorDataError(`${where}: kind ${kind} does not match the name's JET_err/JET_wrn prefix`)
    }
    if (!visibilities.includes(visibility)) {
      throw new ErrorDataError(
        `${where}: unknown visibility ${JSON.stringify(visibility)} (expected one of ${
          visibilities.join(", ")
        })`
      )
    }
    if (!categories.includes(category)) {
      throw new ErrorDataError(
        `${where}: unknown category ${JSON.stringify(category)} (expected one of ${categories.join(", ")})`
      )
    }
    if (mingw !== "yes" && mingw !== "no") {
      throw new ErrorDataError(`${where}: in_mingw_header is ${JSON.stringify(mingw)}, expected yes or no`)
    }
    const message = messages.get(name)
    if (message === undefined) {
      throw new ErrorDataError(`${where}: ${name} has no message in ${dataFiles.messages}`)
    }
    const entry: CatalogueEntry = {
      name,
      value,
      kind: kind as CatalogueEntry["kind"],
      visibility: visibility as CatalogueEntry["visibility"],
      category: category as CategoryName,
      inMingwHeader: mingw === "yes",
      message
    }
    entries.push(entry)
    byName.set(name, entry)
    const names = namesByValue.get(value)
    if (names === undefined) namesByValue.set(value, [name])
    else names.push(name)
  }

  for (const row of messageRows) {
    const name = cell(row, 0)
    if (!byName.has(name)) {
      throw new ErrorDataError(
        `${dataFiles.messages} line ${row.line}: message for unknown name ${JSON.stringify(name)}`
      )
    }
  }

  const aliases: Array<CatalogueAlias> = []
  const aliasNames = new Set<string>()
  for (const row of aliasRows) {
    const alias = cell(row, 0)
    const target = cell(row, 1)
    const where = `${dataFiles.aliases} line ${row.line} (${alias === "" ? "no name" : alias})`
    if (!namePattern.test(alias)) {
      throw new ErrorDataError(`${where}: ${JSON.stringify(alias)} is not a JET_err or JET_wrn name`)
    }
    if (byName.has(alias)) throw new ErrorDataError(`${where}: ${alias} is already a canonical name`)
    if (aliasNames.has(alias)) throw new ErrorDataError(`${where}: duplicate alias ${alias}`)
    const entry = byName.get(target)
    if (entry === undefined) {
      throw new ErrorDataError(
        `${where}: target ${JSON.stringify(target)} is not a name in ${dataFiles.errors}`
      )
    }
    if (!alias.startsWith(`JET_${entry.kind}`)) {
      throw new ErrorDataError(
        `${where}: alias of ${target}, a ${entry.kind}, must start with JET_${entry.kind}`
      )
    }
    aliasNames.add(alias)
    aliases.push({ alias, target, value: entry.value })
  }

  const sharedValues = [...namesByValue]
    .filter(([, names]) => names.length > 1)
    .map(([value, names]) => ({ value, names }))
  return { entries, aliases, sharedValues }
}

const str = (text: string): string => JSON.stringify(text)

/** dprint's line width for this project (dprint.json `lineWidth`). */
const lineWidth = 110

/** The `message` property, wrapped the way dprint wraps a property too long for one line. */
const messageLines = (message: string): ReadonlyArray<string> => {
  const oneLine = `    message: ${str(message)}`
  return oneLine.length <= lineWidth ? [oneLine] : ["    message:", `      ${str(message)}`]
}

/** Renders the module text for a validated catalogue (deterministic; dprint leaves it as is). */
export const renderCatalogue = (catalogue: Catalogue): string => {
  const { aliases, entries, sharedValues } = catalogue
  const errorCount = entries.filter((entry) => entry.kind === "err").length
  const warningCount = entries.length - errorCount
  const out: Array<string> = []
  const push = (...lines: ReadonlyArray<string>) => {
    out.push(...lines)
  }

  push(
    `// Generated by scripts/generate-errors.ts from ${dataFiles.errors}, ${dataFiles.aliases}`,
    `// and ${dataFiles.messages}. Do not edit: change the data, then regenerate with \`npm run generate\`.`,
    "",
    "/**",
    " * The engine's grouping of error codes (its JET_ERRCAT hierarchy). Some categories have no codes in",
    " * the current data; they are listed so that the union matches the engine's.",
    " */",
    "export type JetErrorCategory =",
    ...jetErrorCategoryNames.map((category) => `  | ${str(category)}`),
    "",
    "/** Every {@link JetErrorCategory}, in the engine's order. */",
    "export const jetErrorCategories = [",
    ...jetErrorCategoryNames.map((category, index) =>
      `  ${str(category)}${index === jetErrorCategoryNames.length - 1 ? "" : ","}`
    ),
    "] as const satisfies ReadonlyArray<JetErrorCategory>",
    "",
    "/** One JET error or warning code: the engine's facts about it and a readable message. */",
    "export interface JetErrorInfo {",
    "  /** The C name, as in esent.h and Microsoft's documentation, e.g. `JET_errWriteConflict`. */",
    "  readonly name: string",
    "  /** The signed 32-bit `JET_ERR` value. */",
    "  readonly value: number",
    "  /**",
    '   * `"err"` for an error, `"wrn"` for a warning. Taken from the data, not from the sign:',
    "   * `JET_wrnNyi` is -1 and a warning.",
    "   */",
    '  readonly kind: "err" | "wrn"',
    "  /**",
    '   * `"external"`: published by the engine; `"obsolete"`: retired, kept for old code;',
    '   * `"internal"`: in the public header but meant for the engine\'s own use.',
    "   */",
    '  readonly visibility: "external" | "obsolete" | "internal"',
    "  /** The engine's category for this code. */",
    "  readonly category: JetErrorCategory",
    "  /** Whether mingw-w64's esent.h declares this name. */",
    "  readonly inMingwHeader: boolean",
    "  /** One sentence telling a user what happened. */",
    "  readonly message: string",
    "}",
    "",
    "/**",
    ` * Every canonical JET code (${errorCount} errors and ${warningCount} warnings), in the order of`,
    ` * \`${dataFiles.errors}\`. Aliases are not entries: see {@link jetErrorAliases}.`,
    " */",
    "export const jetErrors = ["
  )
  entries.forEach((entry, index) => {
    push(
      "  {",
      `    name: ${str(entry.name)},`,
      `    value: ${entry.value},`,
      `    kind: ${str(entry.kind)},`,
      `    visibility: ${str(entry.visibility)},`,
      `    category: ${str(entry.category)},`,
      `    inMingwHeader: ${entry.inMingwHeader},`,
      ...messageLines(entry.message),
      `  }${index === entries.length - 1 ? "" : ","}`
    )
  })
  push(
    "] as const satisfies ReadonlyArray<JetErrorInfo>",
    "",
    "/** The name of a canonical JET error or warning code (aliases excluded). */",
    'export type JetErrorName = (typeof jetErrors)[number]["name"]',
    "",
    "/**",
    " * Alternative C names that esent.h defines as another code, mapped to the canonical name they",
    " * stand for. {@link jetErrorByValue} never answers with an alias.",
    " */",
    "export const jetErrorAliases = {"
  )
  aliases.forEach((alias, index) => {
    push(`  ${alias.alias}: ${str(alias.target)}${index === aliases.length - 1 ? "" : ","}`)
  })
  push(
    "} as const satisfies Record<string, JetErrorName>",
    "",
    "/** An alias name: a key of {@link jetErrorAliases}. */",
    "export type JetErrorAlias = keyof typeof jetErrorAliases",
    "",
    "/**",
    " * Every JET code by C name, e.g. `jetErrorCodes.JET_errWriteConflict` is -1102.",
    " *",
    " * Aliases are included too, with their target's value (`jetErrorCodes.JET_wrnRecordFoundGreater`",
    " * is 1039, like `JET_wrnSeekNotEqual`), so that code written against esent.h reads the same here.",
    " * They can be included because no alias name is also a canonical name: the generator rejects",
    " * the data if one ever is.",
    " */",
    "export const jetErrorCodes = {"
  )
  const codeLines: Array<string> = [
    ...entries.map((entry) => [`  /** ${entry.message} */`, `  ${entry.name}: ${entry.value}`]),
    ...aliases.map((alias) => [`  /** Alias of \`${alias.target}\`. */`, `  ${alias.alias}: ${alias.value}`])
  ].flatMap(([doc, line], index, all) => [doc ?? "", `${line ?? ""}${index === all.length - 1 ? "" : ","}`])
  push(...codeLines)
  push(
    "} as const satisfies Record<JetErrorName | JetErrorAlias, number>",
    "",
    "const byValue: ReadonlyMap<number, JetErrorInfo> = (() => {",
    "  const map = new Map<number, JetErrorInfo>()",
    "  for (const info of jetErrors) {",
    "    if (!map.has(info.value)) map.set(info.value, info)",
    "  }",
    "  return map",
    "})()",
    "",
    "/**",
    " * Looks a `JET_ERR` value up in the catalogue (a Map built once, at module load).",
    " *",
    " * Answers with a canonical entry only, never an alias. Should a value ever belong to more than",
    " * one canonical name, the first in data order wins.",
    " *"
  )
  if (sharedValues.length === 0) {
    push(" * In the current data every value belongs to exactly one canonical name.")
  } else {
    push(" * Values shared in the current data:")
    for (const shared of sharedValues) {
      push(` * - ${shared.value}: ${shared.names.join(", ")} (the first wins)`)
    }
  }
  push(
    " *",
    " * @returns the entry, or `undefined` for a value the catalogue does not know.",
    " */",
    "export function jetErrorByValue(value: number): JetErrorInfo | undefined {",
    "  return byValue.get(value)",
    "}",
    ""
  )
  return out.join("\n")
}

/**
 * Renders the module text from the contents of the three data files. The text is laid out the way
 * dprint would lay it out, but is not run through dprint: {@link formatTypeScript} of it gives the
 * bytes to commit. Throws {@link ErrorDataError} on malformed data.
 */
export const renderErrorsModule = (errorsTsv: string, aliasesTsv: string, messagesTsv: string): string =>
  renderCatalogue(parseCatalogue(errorsTsv, aliasesTsv, messagesTsv))

/** The project root (the parent of `scripts/`). */
export const projectRoot: string = fileURLToPath(new URL("..", import.meta.url))

/** Formats TypeScript text with the project's dprint configuration, as if it were at `path`. */
export const formatTypeScript = (text: string, path: string = generatedModulePath): string => {
  const dprint = createRequire(import.meta.url).resolve("dprint/bin.cjs")
  try {
    return execFileSync(process.execPath, [dprint, "fmt", "--stdin", path], {
      cwd: projectRoot,
      input: text,
      encoding: "utf8",
      stdio: ["pipe", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024
    })
  } catch (cause) {
    const stderr = typeof cause === "object" && cause !== null && "stderr" in cause
      ? String(cause.stderr)
      : ""
    throw new Error(`dprint could not format ${path}: ${stderr || String(cause)}`, { cause })
  }
}

/** Reads the three data files from the project's `data/` directory. */
export const readDataFiles = (root: string = projectRoot): {
  readonly errorsTsv: string
  readonly aliasesTsv: string
  readonly messagesTsv: string
} => ({
  errorsTsv: readFileSync(resolve(root, dataFiles.errors), "utf8"),
  aliasesTsv: readFileSync(resolve(root, dataFiles.aliases), "utf8"),
  messagesTsv: readFileSync(resolve(root, dataFiles.messages), "utf8")
})

/** Renders and formats the module from the project's data files: the exact bytes to commit. */
export const generateErrorsModule = (root: string = projectRoot): string => {
  const { aliasesTsv, errorsTsv, messagesTsv } = readDataFiles(root)
  return formatTypeScript(renderErrorsModule(errorsTsv, aliasesTsv, messagesTsv))
}

/**
 * Describes the first line where `committed` and `generated` differ, naming the catalogue entry it
 * belongs to when it can; `undefined` when the texts are equal.
 */
export const describeDrift = (committed: string, generated: string): string | undefined => {
  if (committed === generated) return undefined
  const left = committed.split("\n")
  const right = generated.split("\n")
  let index = 0
  while (index < left.length && index < right.length && left[index] === right[index]) index++
  const lineAt = (at: number): string => right[at] ?? left[at] ?? ""
  // In `jetErrorCodes` the key is on the differing line or, for its doc comment, on the next one;
  // in `jetErrors` the entry's `name:` is a few lines above.
  const key = (at: number): string | undefined => /^\s*(JET_\w+):/.exec(lineAt(at))?.[1]
  let entry = key(index) ?? (/^\s*\/\*\*/.test(lineAt(index)) ? key(index + 1) : undefined)
  for (let back = index; entry === undefined && back >= 0 && back >= index - 10; back--) {
    entry = /^\s*name: "(JET_\w+)"/.exec(lineAt(back))?.[1]
  }
  const show = (line: string | undefined) => line === undefined ? "(end of file)" : JSON.stringify(line)
  return [
    `line ${index + 1} differs${entry === undefined ? "" : ` (in ${entry})`}:`,
    `  committed: ${show(left[index])}`,
    `  generated: ${show(right[index])}`
  ].join("\n")
}

/** What {@link runGeneratorCommand} needs to know of one generator. */
export interface GeneratorCommand {
  /** The script's name, e.g. `generate-errors`. */
  readonly name: string
  /** The generated file, relative to the project root. */
  readonly path: string
  /** The command that regenerates it, for messages. */
  readonly rerun: string
  readonly generate: () => string
  readonly describeDrift: (committed: string, generated: string) => string | undefined
}

/**
 * A generator's command line: writes the module, or with `--check` reports (exit 1) how the
 * committed module differs from what the data gives. Malformed data exits 1, naming the row.
 */
export const runGeneratorCommand = (command: GeneratorCommand, args: ReadonlyArray<string>): number => {
  const { name, path } = command
  const check = args.includes("--check")
  const unknown = args.filter((arg) => arg !== "--check")
  if (unknown.length > 0) {
    process.stderr.write(`${name}: unknown argument ${unknown[0]}\nusage: ${name}.ts [--check]\n`)
    return 2
  }
  let generated: string
  try {
    generated = command.generate()
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    process.stderr.write(`${name}: ${message}\n`)
    return 1
  }
  const target = resolve(projectRoot, path)
  let committed: string | undefined
  try {
    committed = readFileSync(target, "utf8")
  } catch {
    committed = undefined
  }
  if (check) {
    if (committed === undefined) {
      process.stderr.write(`${name}: ${path} is missing; run ${command.rerun}\n`)
      return 1
    }
    const drift = command.describeDrift(committed, generated)
    if (drift !== undefined) {
      process.stderr.write(`${name}: ${path} is out of date with data/; ${drift}\nRun ${command.rerun}.\n`)
      return 1
    }
    process.stdout.write(`${name}: ${path} is up to date\n`)
    return 0
  }
  if (committed === generated) {
    process.stdout.write(`${name}: ${path} is already up to date\n`)
    return 0
  }
  writeFileSync(target, generated)
  process.stdout.write(`${name}: wrote ${path}\n`)
  return 0
}

const invokedPath = process.argv[1]
if (invokedPath !== undefined && resolve(invokedPath) === fileURLToPath(import.meta.url)) {
  process.exitCode = runGeneratorCommand({
    name: "generate-errors",
    path: generatedModulePath,
    rerun: "npm run generate",
    generate: () => generateErrorsModule(),
    describeDrift
  }, process.argv.slice(2))
}
