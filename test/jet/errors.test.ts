import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import {
  describeDrift,
  ErrorDataError,
  formatTypeScript,
  generatedModulePath,
  parseCatalogue,
  projectRoot,
  readDataFiles,
  renderErrorsModule
} from "../../scripts/generate-errors.ts"
import {
  jetErrorAliases,
  jetErrorByValue,
  jetErrorCategories,
  jetErrorCodes,
  type JetErrorInfo,
  jetErrors
} from "../../src/jet/errors.generated.ts"

const data = readDataFiles()

/** A TSV parsed without the generator's code: header, then rows of cells. */
const parseTsvIndependently = (text: string): ReadonlyArray<ReadonlyArray<string>> =>
  text.trimEnd().split("\n").slice(1).map((line) => line.split("\t"))

const errorRows = parseTsvIndependently(data.errorsTsv)
const aliasRows = parseTsvIndependently(data.aliasesTsv)
const messageRows = parseTsvIndependently(data.messagesTsv)

/** Replaces the first occurrence of `from` in `text`, failing the test if there is none. */
const edit = (text: string, from: string, to: string): string => {
  expect(text).toContain(from)
  return text.replace(from, to)
}

describe("errors.generated.ts and its generator", () => {
  it("the committed module is exactly what the generator makes from data/", () => {
    const committed = readFileSync(new URL(`../../${generatedModulePath}`, import.meta.url), "utf8")
    const rendered = renderErrorsModule(data.errorsTsv, data.aliasesTsv, data.messagesTsv)
    const generated = formatTypeScript(rendered)
    expect(describeDrift(committed, generated)).toBeUndefined()
    expect(generated).toBe(committed)
    // The renderer already lays the text out as dprint does.
    expect(rendered).toBe(generated)
  })

  it("`node scripts/generate-errors.ts --check` passes on the committed tree", () => {
    const output = execFileSync(process.execPath, ["scripts/generate-errors.ts", "--check"], {
      cwd: projectRoot,
      encoding: "utf8"
    })
    expect(output).toContain("up to date")
  })

  it("rejects an unknown argument", () => {
    expect(() =>
      execFileSync(process.execPath, ["scripts/generate-errors.ts", "--frobnicate"], {
        cwd: projectRoot,
        stdio: "pipe"
      })
    ).toThrow(/unknown argument --frobnicate/)
  })
})

describe("the catalogue", () => {
  it("has 433 errors, 54 warnings and 6 aliases", () => {
    expect(jetErrors).toHaveLength(487)
    expect(jetErrors.filter((info) => info.kind === "err")).toHaveLength(433)
    expect(jetErrors.filter((info) => info.kind === "wrn")).toHaveLength(54)
    expect(Object.keys(jetErrorAliases)).toHaveLength(6)
    expect(Object.keys(jetErrorCodes)).toHaveLength(487 + 6)
    expect(jetErrorCategories).toHaveLength(16)
  })

  it("has unique names, and every message is a real sentence", () => {
    const names = jetErrors.map((info) => info.name)
    expect(new Set(names).size).toBe(names.length)
    for (const alias of Object.keys(jetErrorAliases)) expect(names).not.toContain(alias)
    const messages = new Set<string>()
    for (const info of jetErrors) {
      expect(info.message.trim(), info.name).not.toBe("")
      expect(info.message, info.name).not.toBe(info.name)
      expect(info.message, info.name).toMatch(/^[A-Z].*\.$/)
      expect(info.message.includes("\t") || info.message.includes("\n"), info.name).toBe(false)
      messages.add(info.message)
    }
    // No two codes share a message, so a message always tells which code it was.
    expect(messages.size).toBe(jetErrors.length)
  })

  it("matches every row of data/jet-errors.tsv, in order", () => {
    expect(errorRows).toHaveLength(jetErrors.length)
    errorRows.forEach((row, index) => {
      const [value, kind, visibility, category, name, mingw] = row
      const info: JetErrorInfo | undefined = jetErrors[index]
      expect(info, name).toBeDefined()
      expect(info?.name).toBe(name)
      expect(info?.value, name).toBe(Number(value))
      expect(info?.kind, name).toBe(kind)
      expect(info?.visibility, name).toBe(visibility)
      expect(info?.category, name).toBe(category)
      expect(info?.inMingwHeader, name).toBe(mingw === "yes")
      expect(jetErrorCodes[name as keyof typeof jetErrorCodes], name).toBe(Number(value))
    })
  })

  it("carries every message of data/jet-error-messages.tsv", () => {
    expect(messageRows).toHaveLength(jetErrors.length)
    const byName = new Map<string, string>(jetErrors.map((info) => [info.name, info.message]))
    for (const [name, message] of messageRows) expect(byName.get(name ?? ""), name).toBe(message)
  })

  it("maps aliases to their targets, with the target's value in jetErrorCodes", () => {
    expect(aliasRows).toHaveLength(6)
    for (const [alias, target] of aliasRows) {
      const key = alias as keyof typeof jetErrorAliases
      expect(jetErrorAliases[key], alias).toBe(target)
      expect(jetErrorCodes[key], alias).toBe(jetErrorCodes[target as keyof typeof jetErrorCodes])
    }
    expect(jetErrorAliases.JET_wrnRecordFoundGreater).toBe("JET_wrnSeekNotEqual")
    expect(jetErrorCodes.JET_errColumnIllegalNull).toBe(-1504)
  })

  it("knows the codes a user meets most", () => {
    expect(jetErrorCodes.JET_errWriteConflict).toBe(-1102)
    expect(jetErrorCodes.JET_errSessionSharingViolation).toBe(-1910)
    expect(jetErrorCodes.JET_wrnSeekNotEqual).toBe(1039)
    expect(jetErrorCodes.JET_wrnColumnNull).toBe(1004)
    expect(jetErrorCodes.JET_wrnBufferTruncated).toBe(1006)
    expect(jetErrorCodes.JET_errSuccess).toBe(0)
    expect(jetErrorByValue(-1102)).toMatchObject({
      name: "JET_errWriteConflict",
      kind: "err",
      category: "State"
    })
    expect(jetErrorByValue(1006)).toMatchObject({ name: "JET_wrnBufferTruncated", kind: "wrn" })
    expect(jetErrorByValue(0)?.name).toBe("JET_errSuccess")
  })

  it("takes the kind from the data, not the sign: JET_wrnNyi is -1 and a warning", () => {
    expect(jetErrorByValue(-1)).toMatchObject({ name: "JET_wrnNyi", value: -1, kind: "wrn" })
  })

  it("looks every value up, never answering with an alias", () => {
    for (const info of jetErrors) expect(jetErrorByValue(info.value), info.name).toBe(info)
    expect(jetErrorByValue(1039)?.name).toBe("JET_wrnSeekNotEqual")
    expect(jetErrorByValue(-550)?.name).toBe("JET_errDatabaseDirtyShutdown")
    expect(jetErrorByValue(-123456)).toBeUndefined()
    expect(jetErrorByValue(0.5)).toBeUndefined()
  })

  it("has no value shared by two canonical names in the current data", () => {
    expect(parseCatalogue(data.errorsTsv, data.aliasesTsv, data.messagesTsv).sharedValues).toEqual([])
  })
})

describe("the generator refuses malformed data, naming the item", () => {
  const render = (changes: { errors?: string; aliases?: string; messages?: string }) =>
    renderErrorsModule(
      changes.errors ?? data.errorsTsv,
      changes.aliases ?? data.aliasesTsv,
      changes.messages ?? data.messagesTsv
    )

  it("a changed value makes the module differ, and the drift names the entry", () => {
    const committed = render({})
    const changed = render({ errors: edit(data.errorsTsv, "-1102\terr", "-1103\terr") })
    const drift = describeDrift(committed, changed)
    expect(drift).toMatch(/^line \d+ differs \(in JET_errWriteConflict\)/)
    expect(drift).toContain("value: -1102")
    expect(drift).toContain("value: -1103")
  })

  it("a changed message makes the module differ, and the drift names the entry", () => {
    const message = "Another session changed this record after this transaction began"
    const changed = render({ messages: edit(data.messagesTsv, message, "Someone else got there first") })
    expect(describeDrift(render({}), changed)).toMatch(/\(in JET_errWriteConflict\)/)
  })

  it("an alias's doc line that changed is traced to the alias", () => {
    const changed = render({
      aliases: edit(data.aliasesTsv, "\tJET_errNullInvalid", "\tJET_errColumnNotFound")
    })
    expect(describeDrift(render({}), changed)).toMatch(/\(in JET_errColumnIllegalNull\)/)
  })

  it.each([
    {
      what: "a missing message",
      changes: {
        messages: edit(data.messagesTsv, "JET_errWriteConflict\tAnother", "JET_errWriteConflictX\tAnother")
      },
      error: /JET_errWriteConflict has no message/
    },
    {
      what: "a message for an unknown name",
      changes: { messages: `${data.messagesTsv}JET_errNoSuchThing\tA message for nothing.\n` },
      error: /jet-error-messages\.tsv line 489: message for unknown name "JET_errNoSuchThing"/
    },
    {
      what: "an empty message",
      changes: {
        messages: edit(
          data.messagesTsv,
          "JET_errSuccess\tThe call completed successfully.",
          "JET_errSuccess\t"
        )
      },
      error: /message for JET_errSuccess is empty/
    },
    {
      what: "a message that is only the name",
      changes: {
        messages: edit(
          data.messagesTsv,
          "JET_errSuccess\tThe call completed successfully.",
          "JET_errSuccess\tJET_errSuccess"
        )
      },
      error: /message for JET_errSuccess is only its name/
    },
    {
      what: "a second message for a name",
      changes: { messages: `${data.messagesTsv}JET_errSuccess\tAgain.\n` },
      error: /a second message for JET_errSuccess/
    },
    {
      what: "a bad category",
      changes: {
        errors: edit(
          data.errorsTsv,
          "external\tState\tJET_errWriteConflict",
          "external\tStat\tJET_errWriteConflict"
        )
      },
      error: /line \d+ \(JET_errWriteConflict\): unknown category "Stat"/
    },
    {
      what: "a duplicate name",
      changes: { errors: `${data.errorsTsv}-9999\terr\texternal\tUsage\tJET_errWriteConflict\tno\n` },
      error: /jet-errors\.tsv line 489 \(JET_errWriteConflict\): duplicate name JET_errWriteConflict/
    },
    {
      what: "a non-integer value",
      changes: { errors: edit(data.errorsTsv, "-1102\terr", "-11o2\terr") },
      error: /\(JET_errWriteConflict\): value "-11o2" is not an integer/
    },
    {
      what: "a value outside 32 bits",
      changes: { errors: edit(data.errorsTsv, "-1102\terr", "-3000000000\terr") },
      error: /\(JET_errWriteConflict\): value -3000000000 does not fit/
    },
    {
      what: "an unknown kind",
      changes: { errors: edit(data.errorsTsv, "-1102\terr", "-1102\terror") },
      error: /\(JET_errWriteConflict\): unknown kind "error"/
    },
    {
      what: "a kind that contradicts the name",
      changes: { errors: edit(data.errorsTsv, "1039\twrn", "1039\terr") },
      error: /\(JET_wrnSeekNotEqual\): kind err does not match/
    },
    {
      what: "an unknown visibility",
      changes: { errors: edit(data.errorsTsv, "-1102\terr\texternal", "-1102\terr\tpublic") },
      error: /\(JET_errWriteConflict\): unknown visibility "public"/
    },
    {
      what: "a bad in_mingw_header flag",
      changes: { errors: edit(data.errorsTsv, "JET_errWriteConflict\tyes", "JET_errWriteConflict\ttrue") },
      error: /\(JET_errWriteConflict\): in_mingw_header is "true"/
    },
    {
      what: "a row with the wrong column count",
      changes: { errors: edit(data.errorsTsv, "-1102\terr\texternal", "-1102\terr\texternal\textra") },
      error: /jet-errors\.tsv line \d+: expected 6 columns .* found 7: ".*JET_errWriteConflict/
    },
    {
      what: "an empty line in the middle",
      changes: { errors: edit(data.errorsTsv, "-1102\terr", "\n-1102\terr") },
      error: /jet-errors\.tsv line \d+: empty line/
    },
    {
      what: "a wrong header",
      changes: { errors: edit(data.errorsTsv, "value\tkind", "val\tkind") },
      error: /jet-errors\.tsv line 1: expected the header/
    },
    {
      what: "an alias whose target does not exist",
      changes: { aliases: edit(data.aliasesTsv, "\tJET_errNullInvalid", "\tJET_errNullInvalidX") },
      error: /\(JET_errColumnIllegalNull\): target "JET_errNullInvalidX" is not a name/
    },
    {
      what: "an alias that is also a canonical name",
      changes: { aliases: `${data.aliasesTsv}JET_errWriteConflict\tJET_errNullInvalid\n` },
      error: /\(JET_errWriteConflict\): JET_errWriteConflict is already a canonical name/
    },
    {
      what: "a duplicate alias",
      changes: { aliases: `${data.aliasesTsv}JET_errColumnIllegalNull\tJET_errNullInvalid\n` },
      error: /duplicate alias JET_errColumnIllegalNull/
    }
  ])("$what", ({ changes, error }) => {
    expect(() => render(changes)).toThrow(ErrorDataError)
    expect(() => render(changes)).toThrow(error)
  })

  it("accepts CRLF line endings with the same result", () => {
    const crlf = (text: string) => text.replaceAll("\n", "\r\n")
    expect(renderErrorsModule(crlf(data.errorsTsv), crlf(data.aliasesTsv), crlf(data.messagesTsv))).toBe(
      render({})
    )
  })

  it("lets the first of two names sharing a value win, and says so", () => {
    const errors = `${data.errorsTsv}-1102\terr\texternal\tState\tJET_errWriteConflictAgain\tno\n`
    const messages = `${data.messagesTsv}JET_errWriteConflictAgain\tA second name for a write conflict.\n`
    const catalogue = parseCatalogue(errors, data.aliasesTsv, messages)
    expect(catalogue.sharedValues).toEqual([{
      value: -1102,
      names: ["JET_errWriteConflict", "JET_errWriteConflictAgain"]
    }])
    expect(renderErrorsModule(errors, data.aliasesTsv, messages)).toContain(
      " * - -1102: JET_errWriteConflict, JET_errWriteConflictAgain (the first wins)"
    )
  })
})
