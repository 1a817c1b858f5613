/**
 * JET errors in the typed error channel. Every `JET_err` code of the catalogue is its own
 * `Data.TaggedError` class, named and tagged with its C name as in Microsoft's documentation, so
 * `Effect.catchTag("JET_errWriteConflict", ...)` reads like the docs. A code the catalogue does not
 * know becomes a {@link JetUnknownError} carrying its number. Warnings are never errors: a call that
 * returns one succeeds, and the warning travels with its result.
 *
 * Every error carries `code`, `operation` (the `JetApi` method that returned it), `category` (the
 * engine's `JET_ERRCAT`), a readable `message`, and an optional `detail` given by the caller.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { isJetErrorInCategory, isRetryableJetError, jetError } from "effect-esent"
 *
 * const update = Effect.fail(jetError(-1102, "JetUpdate", "table orders"))
 *
 * // Recover from one code by its C name...
 * const one = update.pipe(Effect.catchTag("JET_errWriteConflict", () => Effect.succeed("retry later")))
 * // ...retry the transient ones...
 * const retried = update.pipe(Effect.retry({ while: isRetryableJetError, times: 3 }))
 * // ...or handle a whole category, the engine's hierarchy included.
 * const bug = update.pipe(Effect.catchIf(isJetErrorInCategory("Usage"), (e) => Effect.die(e)))
 * ```
 *
 * @module
 */
import { Data } from "effect"
import { jetErrorByValue, type JetErrorCategory } from "./jet/errors.generated.ts"
import {
  type JET_errWriteConflict,
  type JET_errWriteConflictPrimaryIndex,
  type JetErrorArgs,
  jetErrorPlaceKeys,
  JetErrorTypeId,
  type JetKnownError,
  jetKnownError
} from "./JetErrors.generated.ts"

export * from "./JetErrors.generated.ts"

const unknownMessage = (code: number, args: JetErrorArgs): string => {
  const parts: Array<string> = []
  for (const key of jetErrorPlaceKeys) {
    const value = args[key]
    if (value !== undefined) parts.push(`${key} ${JSON.stringify(value)}`)
  }
  if (args.detail !== undefined) parts.push(args.detail)
  const where = `${args.operation}${parts.length === 0 ? "" : ` (${parts.join(", ")})`}`
  const known = jetErrorByValue(code)
  if (known === undefined) return `${where}: JET error ${code}, which this catalogue does not know`
  return `${where}: ${known.name} (${code}) is not an error, so it should not have failed the call: ${known.message}`
}

/**
 * A JET code the catalogue does not know as an error: a code newer than the catalogue, or (a bug in
 * the caller) a warning or success code passed to {@link jetError}. It still carries the number, so
 * nothing is lost; its `category` is the engine's `"Unknown"`.
 *
 * @example
 * ```ts
 * const error = jetError(-123456, "JetUpdate")
 * error._tag // "JetUnknownError"
 * error.code // -123456
 * ```
 */
export class JetUnknownError extends Data.TaggedError("JetUnknownError")<{
  /** The `JET_ERR` value. */
  readonly code: number
  /** Always `"Unknown"`: the engine's category for codes it does not classify. */
  readonly category: "Unknown"
  /** The `JetApi` method (the C function) that returned the code. */
  readonly operation: string
  /** Context given by the caller, e.g. a transaction level. */
  readonly detail?: string
  /** The table the call acted on, when known. */
  readonly table?: string
  /** The index the call acted on, when known. */
  readonly index?: string
  /** The column the call acted on, when known. */
  readonly column?: string
  /** The database file the call acted on, when known. */
  readonly database?: string
  /** The operation, what it acted on and the code, and why the code is not a known error. */
  readonly message: string
}> {
  constructor(args: JetErrorArgs & { readonly code: number }) {
    const { code, detail, operation } = args
    const fields: { -readonly [K in keyof JetErrorArgs]: string } & {
      code: number
      category: "Unknown"
      message: string
    } = { code, category: "Unknown", operation, message: unknownMessage(code, args) }
    for (const key of jetErrorPlaceKeys) {
      const value = args[key]
      if (value !== undefined) fields[key] = value
    }
    if (detail !== undefined) fields.detail = detail
    super(fields)
  }
}
Object.defineProperty(JetUnknownError.prototype, JetErrorTypeId, { value: JetErrorTypeId })

/** Any JET error: one of the catalogue's classes, or {@link JetUnknownError}. */
export type JetError = JetKnownError | JetUnknownError

/** The `_tag` of any {@link JetError}: a `JET_err` C name, or `"JetUnknownError"`. */
export type JetErrorTag = JetError["_tag"]

/**
 * The error for a `JET_ERR` that a call returned: the class of its code, or a
 * {@link JetUnknownError} for a code the catalogue does not know as an error.
 *
 * Only negative codes are errors. A warning or success code (0, positive, or `JET_wrnNyi`, the one
 * negative warning) is a value, and passing one here is a bug in the caller; this never throws, since
 * it runs on failure paths where a throw would replace the real failure with a defect, so it returns a
 * `JetUnknownError` whose message says the code is not an error.
 *
 * @param code the `JET_ERR` the call returned
 * @param operation the `JetApi` method (the C function) that returned it, e.g. `"JetUpdate"`
 * @param detail optional context for a reader, e.g. `table "orders"`
 *
 * @example
 * ```ts
 * const result = api.JetUpdate(sesid, tableid, buffer, buffer.length)
 * if (result.err < 0) return Effect.fail(jetError(result.err, "JetUpdate", "table orders"))
 * ```
 */
export const jetError = (code: number, operation: string, detail?: string | JetErrorPlace): JetError => {
  const args: JetErrorArgs = typeof detail === "object" ? { ...detail, operation } : { operation, detail }
  const known = jetKnownError(code, args)
  // Two returns rather than `??`: the operator would make the checker reduce a union of every class.
  if (known !== undefined) return known
  return new JetUnknownError({ ...args, code })
}

/** What a failed call acted on: any of database, table, index and column, and a free detail. */
export type JetErrorPlace = Omit<JetErrorArgs, "operation">

/**
 * The same error with what it acted on filled in where it was not known yet (the layer that knows the
 * table names it, the layer below knew only the column): a JET error is rebuilt with the added names
 * in its fields and its message; any other value is returned as it is.
 *
 * @example
 * ```ts
 * const error = withJetErrorPlace(jetError(-1605, "JetUpdate"), { table: "people" })
 * error.message // 'JetUpdate (table "people"): JET_errKeyDuplicate (-1605): ...'
 * ```
 */
export const withJetErrorPlace = <E>(error: E, place: JetErrorPlace): E => {
  if (!isJetError(error)) return error
  let missing = false
  for (const key of jetErrorPlaceKeys) {
    if (place[key] !== undefined && error[key] === undefined) missing = true
  }
  if (!missing) return error
  const args: Record<string, string> = {}
  for (const key of jetErrorPlaceKeys) {
    const value = error[key] ?? place[key]
    if (value !== undefined) args[key] = value
  }
  if (error.detail !== undefined) args.detail = error.detail
  return jetError(error.code, error.operation, args) as E
}

/**
 * Whether `u` is a JET error: any class of the catalogue or a {@link JetUnknownError}.
 *
 * @example
 * ```ts
 * isJetError(jetError(-1102, "JetUpdate")) // true
 * isJetError(new Error("boom")) // false
 * ```
 */
export const isJetError = (u: unknown): u is JetError =>
  typeof u === "object" && u !== null && JetErrorTypeId in u

/**
 * Each category with itself and the categories below it, following the engine's `JET_ERRCAT`
 * hierarchy: Operation holds Fatal, IO and Resource; Resource holds Memory, Quota and Disk; Data
 * holds Corruption, Inconsistent and Fragmentation; Api holds Usage, State and Obsolete.
 */
export const jetErrorSubcategories = {
  Operation: ["Operation", "Fatal", "IO", "Resource", "Memory", "Quota", "Disk"],
  Fatal: ["Fatal"],
  IO: ["IO"],
  Resource: ["Resource", "Memory", "Quota", "Disk"],
  Memory: ["Memory"],
  Quota: ["Quota"],
  Disk: ["Disk"],
  Data: ["Data", "Corruption", "Inconsistent", "Fragmentation"],
  Corruption: ["Corruption"],
  Inconsistent: ["Inconsistent"],
  Fragmentation: ["Fragmentation"],
  Api: ["Api", "Usage", "State", "Obsolete"],
  Usage: ["Usage"],
  State: ["State"],
  Obsolete: ["Obsolete"],
  Unknown: ["Unknown"]
} as const satisfies { readonly [C in JetErrorCategory]: readonly [C, ...ReadonlyArray<JetErrorCategory>] }

/** The JET errors in any of `categories`: one `Extract` over every class, computed once per alias. */
type InCategories<Categories extends ReadonlyArray<JetErrorCategory>> = Extract<
  JetError,
  { readonly category: Categories[number] }
>

/**
 * Errors from the environment rather than the program, often temporary: Fatal, IO and Resource
 * (Memory, Quota, Disk) below it. The engine's advice: retry, and tell the operator if it persists.
 */
export type JetOperationError = InCategories<typeof jetErrorSubcategories.Operation>
/** The instance can no longer continue safely: restart it (or the process). */
export type JetFatalError = InCategories<typeof jetErrorSubcategories.Fatal>
/** An I/O error from the operating system; it may be temporary. */
export type JetIOError = InCategories<typeof jetErrorSubcategories.IO>
/** A resource ran out: the Memory, Quota and Disk errors. */
export type JetResourceError = InCategories<typeof jetErrorSubcategories.Resource>
/** The engine ran out of memory or of an in-memory pool (sessions, cursors, buffers...). */
export type JetMemoryError = InCategories<typeof jetErrorSubcategories.Memory>
/** A fixed-size pool ran out; in development often a leak. */
export type JetQuotaError = InCategories<typeof jetErrorSubcategories.Quota>
/** A disk is full. */
export type JetDiskError = InCategories<typeof jetErrorSubcategories.Disk>
/** Something is wrong with the stored data: Corruption, Inconsistent and Fragmentation. */
export type JetDataError = InCategories<typeof jetErrorSubcategories.Data>
/** The database or logs are damaged; permanent without repair or restore. */
export type JetCorruptionError = InCategories<typeof jetErrorSubcategories.Corruption>
/** The database and log files do not match each other. */
export type JetInconsistentError = InCategories<typeof jetErrorSubcategories.Inconsistent>
/** A persistent internal resource (ids, counters) ran out; offline defragmentation fixes it. */
export type JetFragmentationError = InCategories<typeof jetErrorSubcategories.Fragmentation>
/**
 * The program's side of the API: Usage (wrong arguments or call order, a bug) and State (the
 * database's state, e.g. a record not found or a write conflict).
 */
export type JetApiError = InCategories<typeof jetErrorSubcategories.Api>
/** The call was wrong (arguments, order, handles): a bug that a retry repeats. */
export type JetUsageError = InCategories<typeof jetErrorSubcategories.Usage>
/** The call was fine but the database's state refused it, e.g. a missing record. */
export type JetStateError = InCategories<typeof jetErrorSubcategories.State>
/** The engine's Obsolete category, which has no codes in the current catalogue. */
export type JetObsoleteError = InCategories<typeof jetErrorSubcategories.Obsolete>
/**
 * Errors the engine does not classify: retired codes, and every {@link JetUnknownError}.
 */
export type JetUncategorizedError = InCategories<typeof jetErrorSubcategories.Unknown>

/** The JET errors of each category, its subcategories included. */
export interface JetErrorsByCategory {
  readonly Operation: JetOperationError
  readonly Fatal: JetFatalError
  readonly IO: JetIOError
  readonly Resource: JetResourceError
  readonly Memory: JetMemoryError
  readonly Quota: JetQuotaError
  readonly Disk: JetDiskError
  readonly Data: JetDataError
  readonly Corruption: JetCorruptionError
  readonly Inconsistent: JetInconsistentError
  readonly Fragmentation: JetFragmentationError
  readonly Api: JetApiError
  readonly Usage: JetUsageError
  readonly State: JetStateError
  readonly Obsolete: JetObsoleteError
  readonly Unknown: JetUncategorizedError
}

/**
 * The JET errors in category `C` or below it (see {@link jetErrorSubcategories}); for instance
 * `JetErrorInCategory<"Resource">` holds the Memory, Quota and Disk errors too.
 *
 * A lookup in {@link JetErrorsByCategory} rather than an `Extract` on `C`: a guard typed with the
 * generic `Extract` made every `Effect.catchIf` call infer back through all the classes.
 */
export type JetErrorInCategory<C extends JetErrorCategory> = JetErrorsByCategory[C]

/**
 * A guard for the JET errors in `category` or below it, for `Effect.catchIf` and friends.
 *
 * @example
 * ```ts
 * // Resource includes Memory, Quota and Disk.
 * program.pipe(Effect.catchIf(isJetErrorInCategory("Resource"), (e) => Effect.logWarning(e.message)))
 * ```
 */
export const isJetErrorInCategory = <C extends JetErrorCategory>(category: C) => {
  const categories: ReadonlyArray<JetErrorCategory> = jetErrorSubcategories[category]
  return (u: unknown): u is JetErrorInCategory<C> => isJetError(u) && categories.includes(u.category)
}

/**
 * The codes for which running the same transaction again, later, can succeed: the condition clears
 * when other work in the process finishes.
 *
 * - Write conflicts (`JET_errWriteConflict`, `JET_errWriteConflictPrimaryIndex`): first writer wins;
 *   once the other transaction ends, a fresh transaction sees its result. Retry the whole
 *   transaction, never the single call: the failed one still reads its old snapshot.
 * - Version store exhaustion (`JET_errVersionStoreOutOfMemory`,
 *   `JET_errVersionStoreOutOfMemoryAndCleanupTimedOut`): versions are freed once older
 *   transactions end. A single transaction too big for the version store fails every time, so
 *   bound the retries; the fix is smaller transactions or a larger `JET_paramMaxVerPages`.
 * - Exhausted pools that other sessions give back: every Memory-category error (sessions, cursors,
 *   buffers, memory, threads, file handles, sorts, open indexes, memory pool entries; the engine's
 *   advice for the category is "retry after a period of time"), `JET_errTooManyIO` (the engine
 *   says "try again later") and `JET_errTooManyOpenTables`.
 *
 * Deliberately not retryable:
 *
 * - `JET_errSessionWriteConflict`: two cursors of the same session updating one record. Nothing
 *   outside the session changes, so a retry conflicts again: it is a bug in the program.
 * - `JET_errTooManyActiveUsers`: `JetTerm` refused because a session still has a transaction open.
 *   In this library the instance closes after its sessions, so this means a session leaked past
 *   its scope; waiting does not end it.
 * - `JET_errVersionStoreEntryTooBig`, the Usage errors generally, and Quota errors that need an
 *   operator or a design change (`JET_errOutOfDatabaseSpace`, `JET_errTransactionTooLong`,
 *   `JET_errTooManyInstances`, `JET_errCheckpointDepthTooDeep`), Disk, Fatal, Corruption,
 *   Inconsistent and Fragmentation errors.
 */
export const retryableJetErrorTags = [
  "JET_errWriteConflict",
  "JET_errWriteConflictPrimaryIndex",
  "JET_errVersionStoreOutOfMemory",
  "JET_errVersionStoreOutOfMemoryAndCleanupTimedOut",
  "JET_errOutOfSessions",
  "JET_errOutOfCursors",
  "JET_errOutOfMemory",
  "JET_errOutOfBuffers",
  "JET_errOutOfThreads",
  "JET_errOutOfFileHandles",
  "JET_errTooManySorts",
  "JET_errTooManyOpenIndexes",
  "JET_errTooManyMempoolEntries",
  "JET_errTooManyIO",
  "JET_errTooManyOpenTables"
] as const satisfies ReadonlyArray<JetKnownError["_tag"]>

/** The JET errors {@link isRetryableJetError} accepts. */
export type JetRetryableError = Extract<
  JetKnownError,
  { readonly _tag: (typeof retryableJetErrorTags)[number] }
>

const retryableTags: ReadonlySet<string> = new Set(retryableJetErrorTags)

/**
 * Whether `u` is a JET error that a later attempt can get past (see {@link retryableJetErrorTags}),
 * for `Effect.retry({ while })`. Wrap the whole transaction, so that each attempt starts from a
 * fresh snapshot, and bound the retries.
 *
 * @example
 * ```ts
 * const transfer = Transaction.withSessionTransaction(session, move(from, to, amount)).pipe(
 *   Effect.retry({ while: isRetryableJetError, times: 3 })
 * )
 * ```
 */
export const isRetryableJetError = (u: unknown): u is JetRetryableError =>
  isJetError(u) && retryableTags.has(u._tag)

const writeConflictTags: ReadonlySet<string> = new Set([
  "JET_errWriteConflict",
  "JET_errWriteConflictPrimaryIndex"
])

/**
 * Whether `u` is a write conflict with another session (`JET_errWriteConflict`, or
 * `JET_errWriteConflictPrimaryIndex` on a primary index update). Not `JET_errSessionWriteConflict`:
 * a conflict between two cursors of one session is a bug that a retry repeats.
 *
 * @example
 * ```ts
 * program.pipe(Effect.retry({ while: isWriteConflict, schedule: Schedule.exponential("10 millis") }))
 * ```
 */
export const isWriteConflict = (u: unknown): u is JET_errWriteConflict | JET_errWriteConflictPrimaryIndex =>
  isJetError(u) && writeConflictTags.has(u._tag)
