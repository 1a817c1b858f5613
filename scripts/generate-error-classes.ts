/**
 * Generates `src/JetErrors.generated.ts`, the Effect-level JET errors: one `Data.TaggedError` class
 * per `JET_err` code of the catalogue, their union, and a `switch` from code to error.
 *
 * The data is the catalogue's (`data/jet-errors.tsv` and its companions), read and validated by
 * `scripts/generate-errors.ts`, so both generated modules always agree on names, values and
 * categories. Which codes get a class:
 *
 * - every row of kind `err` with a negative value, whatever its visibility: an obsolete code can
 *   still come back from an old engine, and the client range markers
 *   (`JET_errClientSpaceBegin`/`End`) are codes an application's callback may return;
 * - not `JET_errSuccess` (0), which is no failure, and no warning (warnings are values; the
 *   catalogue's kind decides, so `JET_wrnNyi`, -1, is not an error class either).
 *
 * Usage:
 *
 * - `node scripts/generate-error-classes.ts` writes the module;
 * - `node scripts/generate-error-classes.ts --check` writes nothing and exits 1, naming the first
 *   differing line and the error it belongs to, when the committed module is not what the data gives.
 *
 * @module
 */
import { resolve } from "node:path"
import { fileURLToPath } from "node:url"
import {
  type Catalogue,
  type CatalogueEntry,
  dataFiles,
  formatTypeScript,
  parseCatalogue,
  projectRoot,
  readDataFiles,
  runGeneratorCommand
} from "./generate-errors.ts"

/** Where the generated module lives, relative to the project root. */
export const errorClassesModulePath = "src/JetErrors.generated.ts"

/**
 * The catalogue entries that become error classes, in data order: errors (by the data's kind) with
 * a negative value.
 */
export const errorClassEntries = (catalogue: Catalogue): ReadonlyArray<CatalogueEntry> =>
  catalogue.entries.filter((entry) => entry.kind === "err" && entry.value < 0)

const str = (text: string): string => JSON.stringify(text)

// Fixed code ahead of the classes. It lives in the generated module rather than beside it because
// the classes extend it at load time: were it in `JetError.ts`, which re-exports this module, the
// two would import each other and a class could be defined before its base.
const preamble: ReadonlyArray<string> = [
  `import { type Cause, Data } from "effect"`,
  `import { type JetErrorCategory, jetErrorByValue } from "./jet/errors.generated.ts"`,
  "",
  "/**",
  " * Marks every JET error (the classes below and `JetUnknownError`); `isJetError` looks for it. It",
  " * sits on the prototype, so an error's own properties stay its data.",
  " */",
  `export const JetErrorTypeId = "~effect-esent/JetError" as const`,
  "",
  "/** What the caller knows when a JET call fails: which call, and optionally what it was acting on. */",
  "export interface JetErrorArgs {",
  '  /** The `JetApi` method (the C function) that returned the code, e.g. `"JetUpdate"`. */',
  "  readonly operation: string",
  "  /** Context for a reader, e.g. `level 8`; an `undefined` detail is left out. */",
  "  readonly detail?: string | undefined",
  "  /** The table the call acted on, when known. */",
  "  readonly table?: string | undefined",
  "  /** The index the call acted on, when known. */",
  "  readonly index?: string | undefined",
  "  /** The column the call acted on, when known. */",
  "  readonly column?: string | undefined",
  "  /** The database file the call acted on, when known. */",
  "  readonly database?: string | undefined",
  "}",
  "",
  "/** The names of what a call acted on, in the order a message lists them. */",
  'export const jetErrorPlaceKeys = ["database", "table", "index", "column"] as const',
  "",
  "/** The data every JET error carries. */",
  "export interface JetErrorFields<Tag extends string, Code extends number, Category extends JetErrorCategory> {",
  '  /** The C name, as in Microsoft\'s documentation, e.g. `"JET_errWriteConflict"`. */',
  "  readonly _tag: Tag",
  "  /** The `JET_ERR` value, e.g. -1102. */",
  "  readonly code: Code",
  "  /** The engine's category for the code (its `JET_ERRCAT`). */",
  "  readonly category: Category",
  "  /** The `JetApi` method (the C function) that returned the code. */",
  "  readonly operation: string",
  "  /** Context given by the caller, e.g. a transaction level. */",
  "  readonly detail?: string",
  "  /** The table the call acted on, when known. */",
  "  readonly table?: string",
  "  /** The index the call acted on, when known. */",
  "  readonly index?: string",
  "  /** The column the call acted on, when known. */",
  "  readonly column?: string",
  "  /** The database file the call acted on, when known. */",
  "  readonly database?: string",
  "  /** The operation, what it acted on, the detail, the name, the code and the catalogue's sentence. */",
  "  readonly message: string",
  "}",
  "",
  "/**",
  " * The constructor of one JET error class. The fields come first in the instance type: comparing two",
  " * classes then stops at `_tag` instead of walking the yieldable error's members, which makes",
  " * unions of every class several times cheaper to type-check.",
  " */",
  "export type JetErrorClass<Tag extends string, Code extends number, Category extends JetErrorCategory> = new(",
  "  args: JetErrorArgs",
  ") => JetErrorFields<Tag, Code, Category> & Cause.YieldableError",
  "",
  "/**",
  " * The message of a JET error: `operation (database, table, index, column, detail): name (code): sentence`,",
  " * listing only what is known.",
  " *",
  " * @example",
  " * ```ts",
  ' * formatJetErrorMessage("JET_errTransTooDeep", -1103, "Transactions are nested too deeply.", {',
  ' *   operation: "JetBeginTransaction2",',
  ' *   detail: "level 8"',
  " * })",
  ' * // "JetBeginTransaction2 (level 8): JET_errTransTooDeep (-1103): Transactions are nested too deeply."',
  " * ```",
  " */",
  "export const formatJetErrorMessage = (name: string, code: number, sentence: string, args: JetErrorArgs): string => {",
  "  const where: Array<string> = []",
  "  for (const key of jetErrorPlaceKeys) {",
  "    const value = args[key]",
  "    if (value !== undefined) where.push(`${key} ${JSON.stringify(value)}`)",
  "  }",
  "  if (args.detail !== undefined) where.push(args.detail)",
  '  return `${args.operation}${where.length === 0 ? "" : ` (${where.join(", ")})`}: ${name} (${code}): ${sentence}`',
  "}",
  "",
  "/**",
  " * Makes the base class of one JET error: a `Data.TaggedError` whose tag, code and category are",
  " * fixed, so that its constructor needs only the operation and the detail.",
  " *",
  " * @example",
  " * ```ts",
  ' * class JET_errWriteConflict extends jetErrorClass("JET_errWriteConflict", -1102, "State") {}',
  ' * new JET_errWriteConflict({ operation: "JetUpdate" }).code // -1102',
  " * ```",
  " */",
  "export const jetErrorClass = <Tag extends string, Code extends number, Category extends JetErrorCategory>(",
  "  tag: Tag,",
  "  code: Code,",
  "  category: Category",
  "): JetErrorClass<Tag, Code, Category> => {",
  "  // Looked up once per class, so the sentences exist once, in the catalogue.",
  "  const sentence = jetErrorByValue(code)?.message ?? tag",
  '  class JetErrorBase extends Data.TaggedError(tag)<Omit<JetErrorFields<Tag, Code, Category>, "_tag">> {',
  "    constructor(args: JetErrorArgs) {",
  "      const message = formatJetErrorMessage(tag, code, sentence, args)",
  "      const fields: Record<string, unknown> = { code, category, operation: args.operation }",
  "      // Only what is known: an absent name stays absent rather than an `undefined` field.",
  "      for (const key of jetErrorPlaceKeys) if (args[key] !== undefined) fields[key] = args[key]",
  "      if (args.detail !== undefined) fields.detail = args.detail",
  "      fields.message = message",
  '      super(fields as Omit<JetErrorFields<Tag, Code, Category>, "_tag">)',
  "    }",
  "  }",
  "  Object.defineProperty(JetErrorBase.prototype, JetErrorTypeId, { value: JetErrorTypeId })",
  "  return JetErrorBase",
  "}"
]

/** Renders the module text for a validated catalogue (deterministic; run it through dprint to commit). */
export const renderErrorClasses = (catalogue: Catalogue): string => {
  const entries = errorClassEntries(catalogue)
  const out: Array<string> = []
  const push = (...lines: ReadonlyArray<string>) => {
    out.push(...lines)
  }
  push(
    `// Generated by scripts/generate-error-classes.ts from ${dataFiles.errors} and ${dataFiles.messages}.`,
    "// Do not edit: change the data, then regenerate with `node scripts/generate-error-classes.ts`.",
    "",
    "/**",
    " * One tagged error class per JET error code of the catalogue, named and tagged with the code's C",
    " * name, their union {@link JetKnownError}, and {@link jetKnownError}, a `switch` from code to",
    " * error. Import them through `JetError.ts`, which adds the codes the catalogue does not know,",
    " * category unions and predicates.",
    " *",
    " * @module",
    " */",
    ...preamble,
    ""
  )
  for (const entry of entries) {
    push(
      `/** ${entry.message} (${entry.value}, category ${entry.category}) */`,
      `export class ${entry.name} extends jetErrorClass(${str(entry.name)}, ${entry.value}, ${
        str(entry.category)
      }) {}`,
      ""
    )
  }
  push(
    "/** Every JET error the catalogue knows: a union of the classes above. */",
    "export type JetKnownError =",
    ...entries.map((entry) => `  | ${entry.name}`),
    "",
    "/**",
    " * The error for a code the catalogue knows as an error, or `undefined` for any other number",
    " * (unknown codes, warnings, success). A `switch`, because a typed table of constructors costs",
    " * twice the type-checking time.",
    " *",
    " * @example",
    " * ```ts",
    ' * jetKnownError(-1102, { operation: "JetUpdate" })?._tag // "JET_errWriteConflict"',
    ' * jetKnownError(1006, { operation: "JetRetrieveColumn" }) // undefined: a warning',
    " * ```",
    " */",
    "export function jetKnownError(code: number, args: JetErrorArgs): JetKnownError | undefined {",
    "  switch (code) {"
  )
  const seen = new Set<number>()
  for (const entry of entries) {
    // A value shared by two names maps to the first, as `jetErrorByValue` does.
    if (seen.has(entry.value)) continue
    seen.add(entry.value)
    push(`    case ${entry.value}:`, `      return new ${entry.name}(args)`)
  }
  push(
    "    default:",
    "      return undefined",
    "  }",
    "}",
    ""
  )
  return out.join("\n")
}

/**
 * Renders the module text from the contents of the catalogue's three data files (not yet run
 * through dprint). Throws the catalogue parser's `ErrorDataError` on malformed data.
 */
export const renderErrorClassesModule = (
  errorsTsv: string,
  aliasesTsv: string,
  messagesTsv: string
): string => renderErrorClasses(parseCatalogue(errorsTsv, aliasesTsv, messagesTsv))

/** Renders and formats the module from the project's data files: the exact bytes to commit. */
export const generateErrorClassesModule = (root: string = projectRoot): string => {
  const { aliasesTsv, errorsTsv, messagesTsv } = readDataFiles(root)
  return formatTypeScript(
    renderErrorClassesModule(errorsTsv, aliasesTsv, messagesTsv),
    errorClassesModulePath
  )
}

const jetName = /\bJET_err[A-Za-z0-9]+/

/**
 * Describes the first line where `committed` and `generated` differ, naming the error it belongs
 * to when it can; `undefined` when the texts are equal.
 */
export const describeErrorClassDrift = (committed: string, generated: string): string | undefined => {
  if (committed === generated) return undefined
  const left = committed.split("\n")
  const right = generated.split("\n")
  let index = 0
  while (index < left.length && index < right.length && left[index] === right[index]) index++
  const nameAt = (lines: ReadonlyArray<string>, at: number): string | undefined =>
    jetName.exec(lines[at] ?? "")?.[0]
  // The name is on the differing line itself, except for a class's doc comment (the class follows)
  // and a `case` label or a wrapped class line (the name is on a neighbouring line).
  let entry: string | undefined
  for (const at of [index, index + 1, index - 1, index + 2, index - 2]) {
    entry = nameAt(right, at) ?? nameAt(left, at)
    if (entry !== undefined) break
  }
  const show = (line: string | undefined) => line === undefined ? "(end of file)" : JSON.stringify(line)
  return [
    `line ${index + 1} differs${entry === undefined ? "" : ` (in ${entry})`}:`,
    `  committed: ${show(left[index])}`,
    `  generated: ${show(right[index])}`
  ].join("\n")
}

const invokedPath = process.argv[1]
if (invokedPath !== undefined && resolve(invokedPath) === fileURLToPath(import.meta.url)) {
  process.exitCode = runGeneratorCommand({
    name: "generate-error-classes",
    path: errorClassesModulePath,
    rerun: "node scripts/generate-error-classes.ts",
    generate: () => generateErrorClassesModule(),
    describeDrift: describeErrorClassDrift
  }, process.argv.slice(2))
}
