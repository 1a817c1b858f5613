/**
 * A session pool serving concurrent requests: page-view counters behind a request handler. Each
 * request borrows a session from a pool of four for as long as it runs, so 60 requests arriving
 * together share four sessions, and the pool hands every session back without any transaction the
 * handler left open. Counting a view is a read and a write, retried on a write conflict. Runs on
 * Windows with esent.dll and anywhere else with the in-memory engine.
 *
 * It passes sessions and handles by hand on purpose, to show the explicit API underneath:
 * `SessionPool`, `Transaction.withSessionTransaction` and cursors opened on a given database handle.
 * Most programs let `EsentDatabase` keep the pool instead (see quickstart.ts): `Table` operations
 * and `Transaction.withTransaction` then borrow and pin sessions themselves.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Console, Data, Effect, Layer, Schedule } from "effect"
import { Cursor, Database, Esent, Jet, Session, SessionPool, Table, Transaction } from "effect-esent"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const folder = mkdtempSync(join(tmpdir(), "effect-esent-session-pool-")) + "/"
// The folder holds the database files on Windows; it goes when the example ends, whatever the outcome.
process.once("exit", () => rmSync(folder, { recursive: true, force: true }))
const file = join(folder, "counters.edb")
const poolSize = 4

type Request = { readonly method: "GET" | "POST"; readonly page: string }

class NotFound extends Data.TaggedError("NotFound")<{ readonly page: string }> {}

const Counters = Table.make({
  name: "counters",
  columns: { page: { type: "Text", maxLength: 128, notNull: true }, views: { type: "Long", notNull: true } },
  indexes: [{ name: "by_page", key: ["page"], primary: true }]
})

const pages = ["/", "/about", "/pricing", "/blog"]
const requests: ReadonlyArray<Request> = Array.from({ length: 60 }, (_, i) => ({
  method: i % 5 === 4 ? "GET" : "POST",
  page: i === 59 ? "/missing" : pages[i % pages.length]!
}))

const usedSessions = new Set<bigint>()
let inFlight = 0
let mostInFlight = 0

/** Serves one request on a borrowed session; the session goes back to the pool when it ends. */
const handle = (request: Request) =>
  Effect.scoped(Effect.gen(function*() {
    const pool = yield* SessionPool.SessionPool
    const session = yield* pool.get
    usedSessions.add(session.sesid)
    inFlight++
    mostInFlight = Math.max(mostInFlight, inFlight)
    yield* Effect.addFinalizer(() => Effect.sync(() => inFlight--))
    const counters = yield* Cursor.open(yield* Database.open(session, file), Counters)
    const views = Effect.gen(function*() {
      if ((yield* Cursor.seek(counters, [request.page])) !== "found") {
        return yield* new NotFound({ page: request.page })
      }
      return (yield* Cursor.read(counters)).views
    })
    if (request.method === "GET") return `200 ${request.page}: ${yield* views} views`
    const counted = yield* Transaction.retryOnConflict(
      Transaction.withSessionTransaction(
        session,
        Effect.gen(function*() {
          const now = yield* views
          yield* Effect.yieldNow
          yield* Cursor.replace(counters, { views: now + 1 })
          return now + 1
        })
      ),
      Schedule.max([Schedule.jittered(Schedule.exponential("1 millis")), Schedule.recurs(30)])
    )
    return `201 ${request.page}: view ${counted}`
  })).pipe(Effect.catchTag("NotFound", (e) => Effect.succeed(`404 ${e.page}`)))

const program = Effect.gen(function*() {
  const admin = yield* Session.begin
  const db = yield* Database.create(admin, file)
  yield* Table.create(db, Counters)
  const counters = yield* Cursor.open(db, Counters)
  yield* Transaction.withSessionTransaction(
    admin,
    Effect.forEach(pages, (page) => Cursor.insert(counters, { page, views: 0 }), { discard: true })
  )

  const responses = yield* Effect.forEach(requests, handle, { concurrency: "unbounded" })
  const byStatus = new Map<string, number>()
  for (const response of responses) {
    const status = response.slice(0, 3)
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1)
  }
  yield* Console.log(
    `${requests.length} requests at once: ${[...byStatus].map(([s, n]) => `${n} x ${s}`).join(", ")}`
  )
  yield* Console.log(
    `served by ${usedSessions.size} sessions of a pool of ${poolSize}, at most ${mostInFlight} requests in flight`
  )
  yield* Console.log(`last response: ${responses.at(-1)}`)

  const posts = requests.filter((r) => r.method === "POST" && pages.includes(r.page))
  for (const page of pages) {
    if ((yield* Cursor.seek(counters, [page])) !== "found") return yield* Effect.die(`${page} is missing`)
    const views = (yield* Cursor.read(counters)).views
    const expected = posts.filter((r) => r.page === page).length
    yield* Console.log(`${page}: ${views} views${views === expected ? "" : ` <- expected ${expected}`}`)
    if (views !== expected) return yield* Effect.die(`${page} lost a view`)
  }
  if (usedSessions.size > poolSize) return yield* Effect.die("the pool lent more sessions than its size")
})

const EsentLive = Esent.layer({
  instanceName: "session-pool",
  systemPath: folder,
  logFilePath: folder,
  tempPath: folder,
  createPathIfNotExist: true
}).pipe(Layer.provide(Jet.layerAuto()))

const PoolLive = SessionPool.layer(poolSize).pipe(Layer.provideMerge(EsentLive))

NodeRuntime.runMain(program.pipe(Effect.scoped, Effect.provide(PoolLive)))
