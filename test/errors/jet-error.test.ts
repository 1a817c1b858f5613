import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import { Effect, Exit, Ref } from "effect"
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import {
  describeErrorClassDrift,
  errorClassEntries,
  errorClassesModulePath,
  generateErrorClassesModule,
  renderErrorClassesModule
} from "../../scripts/generate-error-classes.ts"
import {
  formatTypeScript,
  parseCatalogue,
  projectRoot,
  readDataFiles
} from "../../scripts/generate-errors.ts"
import { type JetErrorCategory, jetErrorCodes, jetErrors } from "../../src/jet/errors.generated.ts"
import * as JetError from "../../src/JetError.ts"
import {
  isJetError,
  isJetErrorInCategory,
  isRetryableJetError,
  isWriteConflict,
  JET_errInvalidParameter,
  JET_errOutOfMemory,
  JET_errSessionWriteConflict,
  JET_errWriteConflict,
  JET_errWriteConflictPrimaryIndex,
  jetError,
  JetUnknownError,
  type JetUsageError,
  retryableJetErrorTags
} from "../../src/JetError.ts"

const data = readDataFiles()
const catalogue = parseCatalogue(data.errorsTsv, data.aliasesTsv, data.messagesTsv)

/** The catalogue's errors, read from the catalogue module rather than from the generator. */
const catalogueErrors = jetErrors.filter((info) => info.kind === "err" && info.value < 0)

/** Replaces the first occurrence of `from` in `text`, failing the test if there is none. */
const edit = (text: string, from: string, to: string): string => {
  expect(text).toContain(from)
  return text.replace(from, to)
}

const classes: Readonly<Record<string, unknown>> = JetError

describe("JetErrors.generated.ts and its generator", () => {
  it("the committed module is exactly what the generator makes from data/", () => {
    const committed = readFileSync(new URL(`../../${errorClassesModulePath}`, import.meta.url), "utf8")
    const generated = generateErrorClassesModule()
    expect(describeErrorClassDrift(committed, generated)).toBeUndefined()
    expect(generated).toBe(committed)
  })

  it("`node scripts/generate-error-classes.ts --check` passes on the committed tree", () => {
    const output = execFileSync(process.execPath, ["scripts/generate-error-classes.ts", "--check"], {
      cwd: projectRoot,
      encoding: "utf8"
    })
    expect(output).toContain("up to date")
  })

  it("rejects an unknown argument", () => {
    expect(() =>
      execFileSync(process.execPath, ["scripts/generate-error-classes.ts", "--frobnicate"], {
        cwd: projectRoot,
        stdio: "pipe"
      })
    ).toThrow(/unknown argument --frobnicate/)
  })

  it("makes a class for every error of the catalogue and for nothing else", () => {
    expect(errorClassEntries(catalogue).map((entry) => entry.name)).toEqual(
      catalogueErrors.map((info) => info.name)
    )
    expect(catalogueErrors).toHaveLength(432)
    expect(classes["JET_errSuccess"]).toBeUndefined()
    expect(classes["JET_wrnNyi"]).toBeUndefined()
    expect(classes["JET_wrnBufferTruncated"]).toBeUndefined()
  })

  const render = (changes: { errors?: string; messages?: string }) =>
    renderErrorClassesModule(
      changes.errors ?? data.errorsTsv,
      data.aliasesTsv,
      changes.messages ?? data.messagesTsv
    )

  it.each([
    {
      what: "a changed category",
      errors: edit(
        data.errorsTsv,
        "external\tState\tJET_errWriteConflict",
        "external\tUsage\tJET_errWriteConflict"
      ),
      name: "JET_errWriteConflict"
    },
    {
      what: "a changed value",
      errors: edit(data.errorsTsv, "-1069\terr", "-1068\terr"),
      name: "JET_errVersionStoreOutOfMemory"
    },
    {
      what: "a new error",
      errors: `${data.errorsTsv}-12345\terr\texternal\tState\tJET_errBrandNew\tno\n`,
      messages: `${data.messagesTsv}JET_errBrandNew\tA code that does not exist yet.\n`,
      name: "JET_errBrandNew"
    },
    {
      what: "a warning turned into an error",
      errors: edit(
        data.errorsTsv,
        "1006\twrn\texternal\tState\tJET_wrnBufferTruncated",
        "-1006\terr\texternal\tState\tJET_errBufferTruncated"
      ),
      messages: edit(data.messagesTsv, "JET_wrnBufferTruncated\t", "JET_errBufferTruncated\t"),
      name: "JET_errBufferTruncated"
    }
  ])("$what makes the module differ, and the drift names the error", ({ errors, messages, name }) => {
    const drift = describeErrorClassDrift(
      render({}),
      render({ errors, ...(messages === undefined ? {} : { messages }) })
    )
    expect(drift).toMatch(new RegExp(`^line \\d+ differs \\(in ${name}\\)`))
  })

  it("names the error when the formatted module drifts too", () => {
    const changed = render({
      errors: edit(
        data.errorsTsv,
        "external\tUsage\tJET_errIndexTuplesTextBinaryColumnsOnly",
        "external\tState\tJET_errIndexTuplesTextBinaryColumnsOnly"
      )
    })
    const drift = describeErrorClassDrift(
      formatTypeScript(render({}), errorClassesModulePath),
      formatTypeScript(changed, errorClassesModulePath)
    )
    expect(drift).toMatch(/\(in JET_errIndexTuplesTextBinaryColumnsOnly\)/)
  })
})

describe("jetError", () => {
  it("maps every error of the catalogue to its own class, tagged with its C name", () => {
    for (const info of catalogueErrors) {
      const error = jetError(info.value, "JetSomething", "table t")
      const ErrorClass = classes[info.name]
      expect(typeof ErrorClass, info.name).toBe("function")
      expect(error, info.name).toBeInstanceOf(ErrorClass as new(...args: Array<never>) => unknown)
      expect(error, info.name).toBeInstanceOf(Error)
      expect(error._tag, info.name).toBe(info.name)
      expect(error.name, info.name).toBe(info.name)
      expect(error.code, info.name).toBe(info.value)
      expect(error.category, info.name).toBe(info.category)
      expect(error.operation, info.name).toBe("JetSomething")
      expect(error.detail, info.name).toBe("table t")
      expect(error.message, info.name).toBe(
        `JetSomething (table t): ${info.name} (${info.value}): ${info.message}`
      )
      expect(isJetError(error), info.name).toBe(true)
    }
  })

  it("gives every class its own tag", () => {
    const tags = new Set(catalogueErrors.map((info) => jetError(info.value, "JetSomething")._tag))
    expect(tags.size).toBe(catalogueErrors.length)
  })

  it("leaves `detail` out when there is none", () => {
    const error = jetError(jetErrorCodes.JET_errWriteConflict, "JetUpdate")
    expect("detail" in error).toBe(false)
    const sentence = jetErrors.find((info) => info.name === "JET_errWriteConflict")?.message
    expect(error.message).toBe(`JetUpdate: JET_errWriteConflict (-1102): ${sentence}`)
    expect(Object.keys(error).sort()).toEqual(["_tag", "category", "code", "operation"])
    const unknown = jetError(-123456, "JetUpdate")
    expect("detail" in unknown).toBe(false)
  })

  it("is the same as constructing the class", () => {
    const made = new JET_errWriteConflict({ operation: "JetUpdate", detail: "table t" })
    expect(made).toMatchObject({
      _tag: "JET_errWriteConflict",
      code: -1102,
      category: "State",
      operation: "JetUpdate",
      detail: "table t"
    })
    expect(made.message).toBe(jetError(-1102, "JetUpdate", "table t").message)
  })

  it("turns a code the catalogue does not know into a JetUnknownError with its number", () => {
    const error = jetError(-123456, "JetUpdate", "table t")
    expect(error).toBeInstanceOf(JetUnknownError)
    expect(error).toMatchObject({
      _tag: "JetUnknownError",
      code: -123456,
      category: "Unknown",
      operation: "JetUpdate",
      detail: "table t"
    })
    expect(error.message).toBe("JetUpdate (table t): JET error -123456, which this catalogue does not know")
    expect(isJetError(error)).toBe(true)
  })

  it.each([
    { code: 0, name: "JET_errSuccess" },
    { code: 1006, name: "JET_wrnBufferTruncated" },
    { code: -1, name: "JET_wrnNyi" }
  ])("turns $name, which is no error, into a JetUnknownError that says so", ({ code, name }) => {
    const error = jetError(code, "JetRetrieveColumn")
    expect(error).toBeInstanceOf(JetUnknownError)
    expect(error.code).toBe(code)
    expect(error.message).toContain(`JetRetrieveColumn: ${name} (${code}) is not an error`)
  })

  it("also takes numbers that are no JET_ERR at all", () => {
    expect(jetError(0.5, "JetUpdate")).toMatchObject({ _tag: "JetUnknownError", code: 0.5 })
    expect(jetError(Number.NaN, "JetUpdate")._tag).toBe("JetUnknownError")
  })

  it("recognizes JET errors and nothing else", () => {
    expect(isJetError(new Error("boom"))).toBe(false)
    expect(isJetError({ _tag: "JET_errWriteConflict", code: -1102 })).toBe(false)
    expect(isJetError(null)).toBe(false)
    expect(isJetError("JET_errWriteConflict")).toBe(false)
  })

  it("keeps the marker off the error's own properties and its JSON", () => {
    const json = JSON.parse(JSON.stringify(jetError(-1102, "JetUpdate"))) as Record<string, unknown>
    expect(json).toMatchObject({ _tag: "JET_errWriteConflict", code: -1102, operation: "JetUpdate" })
    expect(Object.keys(json).some((key) => key.startsWith("~"))).toBe(false)
  })
})

describe("in the error channel", () => {
  it.effect("a class instance can be yielded to fail the effect", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(
        Effect.gen(function*() {
          return yield* new JET_errWriteConflict({ operation: "JetUpdate" })
        })
      )
      expect(Exit.isFailure(exit)).toBe(true)
      const error = yield* Effect.flip(
        Effect.gen(function*() {
          return yield* new JET_errWriteConflict({ operation: "JetUpdate" })
        })
      )
      expect(error._tag).toBe("JET_errWriteConflict")
    }))

  it.effect("Effect.catchTag catches its own code and only it", () =>
    Effect.gen(function*() {
      const fail = (code: number) => Effect.fail(jetError(code, "JetUpdate"))
      const caught = yield* fail(-1102).pipe(
        Effect.catchTag("JET_errWriteConflict", (e) => Effect.succeed(`caught ${e.code}`))
      )
      expect(caught).toBe("caught -1102")
      for (const code of [-1105, -1111, -1003, -123456]) {
        const passed = yield* Effect.flip(
          fail(code).pipe(Effect.catchTag("JET_errWriteConflict", () => Effect.succeed("caught")))
        )
        expect(passed.code).toBe(code)
      }
    }))

  it.effect("Effect.catchTag takes the unknown-code tag and several tags", () =>
    Effect.gen(function*() {
      const unknown = yield* Effect.fail(jetError(-123456, "JetUpdate")).pipe(
        Effect.catchTag("JetUnknownError", (e) => Effect.succeed(e.code))
      )
      expect(unknown).toBe(-123456)
      const either = yield* Effect.fail(jetError(-1105, "JetUpdate")).pipe(
        Effect.catchTag(["JET_errWriteConflict", "JET_errWriteConflictPrimaryIndex"], (e) =>
          Effect.succeed(e._tag))
      )
      expect(either).toBe("JET_errWriteConflictPrimaryIndex")
    }))

  it.effect("catching by category follows the engine's hierarchy", () =>
    Effect.gen(function*() {
      const caughtBy = (category: JetErrorCategory, code: number) =>
        Effect.fail(jetError(code, "JetCall")).pipe(
          Effect.as(false),
          Effect.catchIf(isJetErrorInCategory(category), () => Effect.succeed(true)),
          Effect.catch(() => Effect.succeed(false))
        )
      expect(yield* caughtBy("Usage", jetErrorCodes.JET_errInvalidParameter)).toBe(true)
      expect(yield* caughtBy("Usage", jetErrorCodes.JET_errWriteConflict)).toBe(false)
      expect(yield* caughtBy("State", jetErrorCodes.JET_errWriteConflict)).toBe(true)
      expect(yield* caughtBy("Api", jetErrorCodes.JET_errWriteConflict)).toBe(true)
      expect(yield* caughtBy("Api", jetErrorCodes.JET_errInvalidParameter)).toBe(true)
      expect(yield* caughtBy("Resource", jetErrorCodes.JET_errOutOfMemory)).toBe(true)
      expect(yield* caughtBy("Resource", jetErrorCodes.JET_errDiskFull)).toBe(true)
      expect(yield* caughtBy("Resource", jetErrorCodes.JET_errVersionStoreOutOfMemory)).toBe(true)
      expect(yield* caughtBy("Operation", jetErrorCodes.JET_errDiskFull)).toBe(true)
      expect(yield* caughtBy("Operation", jetErrorCodes.JET_errInvalidParameter)).toBe(false)
      expect(yield* caughtBy("Data", jetErrorCodes.JET_errDatabaseCorrupted)).toBe(true)
      expect(yield* caughtBy("Memory", jetErrorCodes.JET_errDiskFull)).toBe(false)
      expect(yield* caughtBy("Unknown", -123456)).toBe(true)
      expect(yield* caughtBy("Usage", -123456)).toBe(false)
    }))

  it("every category guard agrees with the catalogue's categories", () => {
    for (const info of catalogueErrors) {
      const error = jetError(info.value, "JetCall")
      for (const [category, below] of Object.entries(JetError.jetErrorSubcategories)) {
        const within = (below as ReadonlyArray<string>).includes(info.category)
        expect(isJetErrorInCategory(category as JetErrorCategory)(error), `${info.name} in ${category}`).toBe(
          within
        )
      }
    }
  })

  it.effect("Effect.retry with isRetryableJetError retries a write conflict", () =>
    Effect.gen(function*() {
      const attempts = yield* Ref.make(0)
      const update = Effect.gen(function*() {
        const attempt = yield* Ref.updateAndGet(attempts, (n) => n + 1)
        if (attempt < 3) return yield* Effect.fail(jetError(jetErrorCodes.JET_errWriteConflict, "JetUpdate"))
        return "committed"
      })
      const result = yield* update.pipe(Effect.retry({ while: isRetryableJetError, times: 3 }))
      expect(result).toBe("committed")
      expect(yield* Ref.get(attempts)).toBe(3)
    }))

  it.effect("Effect.retry with isRetryableJetError gives up after `times`", () =>
    Effect.gen(function*() {
      const attempts = yield* Ref.make(0)
      const update = Effect.gen(function*() {
        yield* Ref.update(attempts, (n) => n + 1)
        return yield* Effect.fail(jetError(jetErrorCodes.JET_errVersionStoreOutOfMemory, "JetUpdate"))
      })
      const error = yield* Effect.flip(update.pipe(Effect.retry({ while: isRetryableJetError, times: 3 })))
      expect(error._tag).toBe("JET_errVersionStoreOutOfMemory")
      expect(yield* Ref.get(attempts)).toBe(4)
    }))

  it.effect("Effect.retry with isRetryableJetError does not retry a usage error", () =>
    Effect.gen(function*() {
      const attempts = yield* Ref.make(0)
      const update = Effect.gen(function*() {
        yield* Ref.update(attempts, (n) => n + 1)
        return yield* Effect.fail(jetError(jetErrorCodes.JET_errInvalidParameter, "JetUpdate"))
      })
      const error = yield* Effect.flip(update.pipe(Effect.retry({ while: isRetryableJetError, times: 3 })))
      expect(error._tag).toBe("JET_errInvalidParameter")
      expect(yield* Ref.get(attempts)).toBe(1)
    }))
})

describe("the predicates", () => {
  it("isWriteConflict: conflicts with another session only", () => {
    expect(isWriteConflict(jetError(jetErrorCodes.JET_errWriteConflict, "JetUpdate"))).toBe(true)
    expect(isWriteConflict(jetError(jetErrorCodes.JET_errWriteConflictPrimaryIndex, "JetUpdate"))).toBe(true)
    expect(isWriteConflict(jetError(jetErrorCodes.JET_errSessionWriteConflict, "JetUpdate"))).toBe(false)
    expect(isWriteConflict(jetError(-123456, "JetUpdate"))).toBe(false)
    expect(isWriteConflict({ _tag: "JET_errWriteConflict" })).toBe(false)
  })

  it("isRetryableJetError: exactly the listed codes", () => {
    const retryable = new Set<string>(retryableJetErrorTags)
    expect(retryable.size).toBe(retryableJetErrorTags.length)
    for (const info of catalogueErrors) {
      expect(isRetryableJetError(jetError(info.value, "JetCall")), info.name).toBe(retryable.has(info.name))
    }
    expect(isRetryableJetError(jetError(-123456, "JetCall"))).toBe(false)
    expect(isRetryableJetError(new Error("JET_errWriteConflict"))).toBe(false)
  })

  it("isRetryableJetError: write conflicts, version store, and every Memory error", () => {
    const retryable = (name: keyof typeof jetErrorCodes) =>
      isRetryableJetError(jetError(jetErrorCodes[name], "JetCall"))
    for (
      const name of [
        "JET_errWriteConflict",
        "JET_errWriteConflictPrimaryIndex",
        "JET_errVersionStoreOutOfMemory",
        "JET_errVersionStoreOutOfMemoryAndCleanupTimedOut",
        "JET_errOutOfSessions",
        "JET_errOutOfCursors",
        "JET_errOutOfMemory",
        "JET_errOutOfBuffers",
        "JET_errTooManyIO"
      ] as const
    ) expect(retryable(name), name).toBe(true)
    for (
      const name of [
        "JET_errSessionWriteConflict",
        "JET_errTooManyActiveUsers",
        "JET_errVersionStoreEntryTooBig",
        "JET_errOutOfDatabaseSpace",
        "JET_errDiskFull",
        "JET_errInvalidParameter",
        "JET_errRecordNotFound",
        "JET_errInstanceUnavailable"
      ] as const
    ) expect(retryable(name), name).toBe(false)
    // A new Memory-category code must be a decision, not an accident.
    for (const info of catalogueErrors.filter((info) => info.category === "Memory")) {
      expect(retryableJetErrorTags, info.name).toContain(info.name)
    }
  })
})

/**
 * Whether `A` and `B` are the same type, by the checker's identity. Cheaper than `toEqualTypeOf` on
 * unions of every error class, whose mismatch reporting walks each member.
 */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false

describe("types", () => {
  const program = Effect.fail(jetError(-1102, "JetUpdate")) as Effect.Effect<number, JetError.JetError>

  it("Effect.catchTag removes the tag from the error channel", () => {
    const caught = program.pipe(Effect.catchTag("JET_errWriteConflict", () => Effect.succeed(0)))
    type E = Effect.Error<typeof caught>
    expectTypeOf<JET_errWriteConflict>().not.toExtend<E>()
    expectTypeOf<JET_errWriteConflictPrimaryIndex>().toExtend<E>()
    expectTypeOf<JetUnknownError>().toExtend<E>()
    expectTypeOf<Equals<E, Exclude<JetError.JetError, JET_errWriteConflict>>>().toEqualTypeOf<true>()
    expectTypeOf<Equals<E, JetError.JetError>>().toEqualTypeOf<false>()
  })

  it("catching a category removes it from the error channel", () => {
    const caught = program.pipe(Effect.catchIf(isJetErrorInCategory("Usage"), () => Effect.succeed(0)))
    type E = Effect.Error<typeof caught>
    expectTypeOf<JET_errInvalidParameter>().not.toExtend<E>()
    expectTypeOf<JET_errSessionWriteConflict>().not.toExtend<E>()
    expectTypeOf<JET_errWriteConflict>().toExtend<E>()
    expectTypeOf<JET_errInvalidParameter>().toExtend<JetUsageError>()
    expectTypeOf<JET_errOutOfMemory>().toExtend<JetError.JetResourceError>()
    expectTypeOf<JetUnknownError>().toExtend<JetError.JetUncategorizedError>()
  })

  it("the fields are typed", () => {
    const error = new JET_errWriteConflict({ operation: "JetUpdate" })
    expectTypeOf(error._tag).toEqualTypeOf<"JET_errWriteConflict">()
    expectTypeOf(error.code).toEqualTypeOf<-1102>()
    expectTypeOf(error.category).toEqualTypeOf<"State">()
    expectTypeOf(error.operation).toEqualTypeOf<string>()
    expectTypeOf(error.detail).toEqualTypeOf<string | undefined>()
    expectTypeOf<Equals<ReturnType<typeof jetError>, JetError.JetError>>().toEqualTypeOf<true>()
    expectTypeOf<JetError.JetRetryableError["_tag"]>().toEqualTypeOf<(typeof retryableJetErrorTags)[number]>()
  })
})
