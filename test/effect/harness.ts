/**
 * What the Effect API acceptance tests share: an in-memory engine behind a recording `JetApi`, so
 * that a test can count the engine calls made for one handle and see what the engine still holds.
 */
import { Effect, Layer, Logger, type LogLevel, References, type Scope, Stream } from "effect"
import {
  type ColumnValueError,
  Cursor,
  Database,
  Esent,
  type EsentConfig,
  type HandleClosedError,
  Jet,
  type JetError,
  Session,
  Table
} from "../../src/index.ts"
import type { JetApi, JetApiMethod, JetResult } from "../../src/jet/api.ts"
import {
  makeMemoryEngine,
  makeMemoryStore,
  type MemoryEngine,
  type MemoryStore
} from "../../src/memory/index.ts"
import { prepareLoopback } from "../support/loopback.ts"

/** One engine call as the Effect API made it. */
export interface CallRecord {
  readonly method: JetApiMethod
  readonly args: ReadonlyArray<unknown>
  readonly err: number
  readonly result: JetResult
}

/** Called after every engine call with its 1-based number; may interrupt, signal, or count. */
export type CallHook = (call: number, record: CallRecord) => void

export interface Harness {
  readonly store: MemoryStore
  readonly engine: MemoryEngine
  /** The engine as the Effect API sees it: every call is recorded, then passed to the hook. */
  readonly api: JetApi
  readonly calls: Array<CallRecord>
  /** Calls of `method` whose leading arguments equal `args` (e.g. a sesid, or a sesid and a tableid). */
  readonly count: (method: JetApiMethod, ...args: ReadonlyArray<unknown>) => number
  readonly setHook: (hook: CallHook | undefined) => void
  /** An instance layer over this engine. */
  readonly layer: (config?: Partial<EsentConfig>) => Layer.Layer<Esent, JetError>
  /** Every session the engine has open, in any instance. */
  readonly openSessions: () => ReadonlyArray<OpenSession>
  /** Every cursor the engine has open, in any session. */
  readonly openCursors: () => ReadonlyArray<bigint>
}

export type OpenSession = MemoryEngine extends { inspect: () => { instances: ReadonlyArray<infer I> } }
  ? I extends { sessions: ReadonlyArray<infer S> } ? S : never
  : never

const hookNames = new Set([
  "inspect",
  "injectFault",
  "clearFaults",
  "callCount",
  "simulateThread",
  "holdCall",
  "releaseCall",
  "simulateInstanceCondition"
])

/**
 * Which engine the Effect API runs on: the in-memory engine directly, or the real native binding
 * through koffi over a C library that forwards each call to it (`EFFECT_ESENT_TEST_ENGINE`, set per
 * vitest project). Either way the recording proxy sees each call as the engine received it.
 */
export const engineName = process.env["EFFECT_ESENT_TEST_ENGINE"] ?? "memory"
const loopback = engineName === "native-through-koffi" ? await prepareLoopback() : undefined

/** A fresh engine (on `store`, or a new one) and its recording proxy. */
export const makeHarness = (store: MemoryStore = makeMemoryStore()): Harness => {
  const engine = makeMemoryEngine({ store })
  const calls: Array<CallRecord> = []
  let hook: CallHook | undefined
  const target = engine as unknown as Record<string, (...args: Array<unknown>) => JetResult>
  const proxy: Record<string, (...args: Array<unknown>) => JetResult> = {}
  for (const name of Object.keys(target)) {
    if (hookNames.has(name)) continue
    const method = target[name]!
    proxy[name] = (...args) => {
      const result = method(...args)
      const record: CallRecord = { method: name as JetApiMethod, args, err: result.err, result }
      calls.push(record)
      hook?.(calls.length, record)
      return result
    }
  }
  const openSessions = () => engine.inspect().instances.flatMap((instance) => instance.sessions)
  const api = loopback === undefined ? proxy as unknown as JetApi : loopback(proxy as unknown as JetApi)
  return {
    store,
    engine,
    api,
    calls,
    count: (method, ...args) =>
      calls.filter((call) => call.method === method && args.every((arg, i) => call.args[i] === arg)).length,
    setHook: (next) => {
      hook = next
    },
    layer: (config = {}) =>
      Esent.layer({ instanceName: "acceptance", ...config }).pipe(
        Layer.provide(Jet.layerApi(api))
      ),
    openSessions,
    openCursors: () => openSessions().flatMap((session) => session.cursors)
  }
}

/** A log line the API wrote, with its annotations. */
export interface LogEntry {
  readonly level: LogLevel.LogLevel
  readonly message: string
  readonly annotations: Readonly<Record<string, unknown>>
}

/** A logger layer that keeps what is logged instead of printing it. */
export const captureLogs = (): { readonly entries: Array<LogEntry>; readonly layer: Layer.Layer<never> } => {
  const entries: Array<LogEntry> = []
  const logger = Logger.make((options) => {
    const message = Array.isArray(options.message) ? options.message.join(" ") : String(options.message)
    const annotations: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(options.fiber.getRef(References.CurrentLogAnnotations))) {
      annotations[key] = value
    }
    entries.push({ level: options.logLevel, message, annotations })
  })
  return { entries, layer: Logger.layer([logger]) }
}

/** Runs `effect` with its logs kept out of the test output. */
export const quiet = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.provide(effect, Logger.layer([]))

/** The table most tests use: numbered items. */
export const itemsTable = {
  name: "items",
  columns: { id: { type: "Long" }, name: { type: "Text" }, stock: { type: "Long" } },
  indexes: [{ name: "by_id", key: ["id"], primary: true }]
} as const satisfies Table.TableDefinition

/** The ids of every item the database holds, in key order, as the session sees them now. */
export const itemIds = (db: Database.Database): Effect.Effect<ReadonlyArray<number>, Cursor.CursorError> =>
  Effect.map(
    Stream.runCollect(Cursor.stream(db, itemsTable.name, { columns: ["id"] })),
    (rows) => rows.map((row) => row["id"] as number)
  )

/** A session with the items database open and a cursor on the table. */
export interface Client {
  readonly session: Session.Session
  readonly db: Database.Database
  readonly items: Cursor.Cursor
}

/** A new session that creates the items database (kept attached while its scope lasts). */
export const createItems = (
  path: string
): Effect.Effect<Client, JetError | HandleClosedError | ColumnValueError, Esent | Scope.Scope> =>
  Effect.gen(function*() {
    const session = yield* Session.begin
    const db = yield* Database.create(session, path)
    yield* Table.create(db, itemsTable)
    return { session, db, items: yield* Cursor.open(db, itemsTable.name) }
  })

/** Another session on the items database, which must be attached already. */
export const openItems = (
  path: string
): Effect.Effect<Client, JetError | HandleClosedError, Esent | Scope.Scope> =>
  Effect.gen(function*() {
    const session = yield* Session.begin
    const db = yield* Database.open(session, path)
    return { session, db, items: yield* Cursor.open(db, itemsTable.name) }
  })

/** Reads one item's stock, seeking by id; a missing item is a defect of the test. */
export const stockOf = (client: Client, id: number): Effect.Effect<number, Cursor.CursorError> =>
  Effect.gen(function*() {
    if ((yield* Cursor.seek(client.items, [id])) !== "found") return yield* Effect.die(`no item ${id}`)
    return (yield* Cursor.read(client.items, ["stock"]))["stock"] as number
  })

/** Adds `delta` to an item's stock by read and replace, the way that conflicts with another writer. */
export const addStock = (
  client: Client,
  id: number,
  delta: number
): Effect.Effect<void, Cursor.CursorError> =>
  Effect.gen(function*() {
    const stock = yield* stockOf(client, id)
    yield* Cursor.replace(client.items, { stock: stock + delta })
  })
