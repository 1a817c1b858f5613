/**
 * The README's code, checked: every ```ts block is type-checked as a module of its own, with
 * `effect-esent`, `effect-esent/jet`, `effect-esent/native` and `effect-esent/memory` resolved to the
 * sources (the `effect-esent-source` condition of package.json), and every whole program among them
 * is run with Node on the in-memory engine.
 *
 * The README's convention (also stated in the README itself, in a comment above its first block):
 * - A ```ts block is a whole program: it type-checks on its own, and `node` runs it to exit code 0
 *   with something printed (so a block that only defines things cannot pass for a run program).
 * - A block right after `<!-- readme-check: fragment ... -->` is a fragment: the comment's lines
 *   after the first are its preamble (imports, and `declare const` for what the fragment assumes);
 *   preamble and block together must type-check, and the fragment is not run.
 *
 * @module
 */
import { join } from "node:path"
import ts from "typescript"
import { type CommandResult, runNode } from "./npm.ts"

/** One ```ts block of a Markdown file. */
export interface CodeBlock {
  /** The 1-based line of the block's first line of code in the Markdown file. */
  readonly line: number
  readonly code: string
  /** The preamble of a fragment; undefined for a whole program. */
  readonly preamble: string | undefined
}

// The last comment before a block, when it opens with the marker; its other lines are the preamble.
const fragmentMarker = /<!--\s*readme-check:\s*fragment\b((?:(?!<!--)[\s\S])*?)-->\s*$/

/** The ```ts blocks of `markdown`, each with its fragment preamble if it has one. */
export const codeBlocks = (markdown: string): ReadonlyArray<CodeBlock> => {
  const lines = markdown.split(/\r?\n/)
  const blocks: Array<CodeBlock> = []
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i] ?? "")) continue
    const end = lines.findIndex((line, j) => j > i && /^```\s*$/.test(line))
    if (end < 0) throw new Error(`README line ${i + 1}: a code block that never closes`)
    const before = lines.slice(0, i).join("\n").trimEnd()
    const marker = fragmentMarker.exec(before)
    blocks.push({
      line: i + 2,
      code: lines.slice(i + 1, end).join("\n") + "\n",
      preamble: marker === null ? undefined : (marker[1] ?? "").replace(/^[^\n]*\n?/, "")
    })
    i = end
  }
  return blocks
}

/** What is wrong with one block: README line and message. */
export interface BlockProblem {
  readonly line: number
  readonly message: string
}

const root = join(import.meta.dirname, "..", "..")

/** The source a block is checked as: the preamble, then the block, blank lines between. */
const sourceOf = (block: CodeBlock): { readonly text: string; readonly offset: number } => {
  const preamble = block.preamble === undefined ? "" : block.preamble.trimEnd() + "\n"
  return { text: preamble + block.code, offset: preamble === "" ? 0 : preamble.split("\n").length - 1 }
}

/**
 * Type-checks every block with the project's compiler options (less the unused-name checks, since
 * examples define what they show), each as a module in the project root; returns every error,
 * located at its README line (or at the block's first line when it is in the preamble).
 */
export const typeCheckBlocks = (blocks: ReadonlyArray<CodeBlock>): ReadonlyArray<BlockProblem> => {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.json"), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"))
    }
  })
  if (config === undefined) throw new Error("tsconfig.json could not be read")
  const options: ts.CompilerOptions = {
    ...config.options,
    noUnusedLocals: false,
    noUnusedParameters: false,
    moduleDetection: ts.ModuleDetectionKind.Force
  }
  const files = new Map(blocks.map((block, index) => [join(root, `README.block-${index + 1}.ts`), block]))
  const host = ts.createCompilerHost(options)
  const { fileExists, readFile } = host
  host.fileExists = (file) => files.has(file) || fileExists(file)
  host.readFile = (file) => {
    const block = files.get(file)
    return block === undefined ? readFile(file) : sourceOf(block).text
  }
  host.getSourceFile = (file, language) => {
    const text = host.readFile(file)
    return text === undefined ? undefined : ts.createSourceFile(file, text, language)
  }
  const program = ts.createProgram([...files.keys()], options, host)
  const problems: Array<BlockProblem> = []
  // The blocks' own diagnostics, and the program's global ones; not those of the sources they import,
  // which `tsc --noEmit` checks.
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...[...files.keys()].flatMap((file) => {
      const source = program.getSourceFile(file)
      return source === undefined
        ? []
        : [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]
    })
  ]
  for (const diagnostic of diagnostics) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")
    const block = diagnostic.file === undefined ? undefined : files.get(diagnostic.file.fileName)
    if (diagnostic.file === undefined || block === undefined || diagnostic.start === undefined) {
      problems.push({ line: 0, message })
      continue
    }
    const at = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line
    const { offset } = sourceOf(block)
    problems.push({ line: at < offset ? block.line : block.line + at - offset, message })
  }
  return problems
}

/**
 * Runs a whole-program block with Node from the project root, its `effect-esent` imports resolved
 * to the sources. The README's programs use `Jet.layerAuto()`, the in-memory engine off Windows.
 */
export const runBlock = (block: CodeBlock): Promise<CommandResult> =>
  runNode(["--conditions=effect-esent-source", "--input-type=module-typescript"], {
    cwd: root,
    input: block.code,
    timeout: 60_000
  })

/**
 * Runs a whole program and says what is wrong with the run, or undefined when it exited with 0,
 * wrote nothing to stderr and printed what it did.
 */
export const programProblem = async (block: CodeBlock): Promise<string | undefined> => {
  const result = await runBlock(block)
  if (result.code !== 0 || result.stderr !== "") {
    return `README.md:${block.line}: exit code ${result.code}\n${result.stderr}`
  }
  if (result.stdout.trim() === "") {
    return `README.md:${block.line}: printed nothing; a block that only defines things is a fragment`
  }
  return undefined
}
