/**
 * Fault and interruption sweeps: a workload that opens a session, a database and a table and runs
 * nested transactions is run once per engine call, failing (then interrupting) exactly that call.
 * Whatever the step, the engine is left with nothing open and the store holds exactly what the
 * committed transactions wrote.
 */
import { describe, expect, it } from "@effect/vitest"
import { Data, Effect, Exit, Fiber, Stream } from "effect"
import { Cursor, Database, Session, Table, Transaction } from "../../src/index.ts"
import { JET_bitRollbackAll, JET_bitWaitLastLevel0Commit, jetErrorCodes } from "../../src/jet/index.ts"
import { type CallRecord, type Harness, itemsTable, makeHarness, quiet } from "./harness.ts"

class Abort extends Data.TaggedError("Abort")<{}> {}

const path = "sweep.edb"

type Row = Cursor.Row
type Rows = Map<number, Row>

/** One outermost transaction of the workload: its body, and what it writes when it commits. */
interface Step {
  readonly name: string
  readonly apply: (rows: Rows) => void
}

/** What the run saw: which transactions the API reported committed, which the engine committed. */
interface Ledger {
  /** The step whose outermost transaction is running, if any. */
  current: Step | undefined
  readonly reported: Array<Step>
  readonly engineCommitted: Array<Step>
  readonly interruptedSteps: Array<Step>
}

const item = (id: number, stock = 0): Row => ({ id, name: `item ${id}`, stock })

/**
 * The workload. Every transaction the API reports as committed is entered in the ledger; any
 * failure of an engine call propagates (only the workload's own `Abort` is ever caught).
 */
const workload = (ledger: Ledger) =>
  Effect.gen(function*() {
    const session = yield* Session.begin
    const db = yield* Database.create(session, path)
    yield* Table.create(db, itemsTable)
    const items = yield* Cursor.open(db, itemsTable.name)
    const insert = (id: number) => Cursor.insert(items, item(id))
    const nested = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      Transaction.withSessionTransaction(session, effect)
    const aborted = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      nested(Effect.andThen(effect, Effect.fail(new Abort()))).pipe(
        Effect.catchTag("Abort", () => Effect.void)
      )

    const outermost = <E, R>(step: Step, body: Effect.Effect<void, E, R>, lazy = false) =>
      Effect.suspend(() => {
        ledger.current = step
        return Transaction.withSessionTransaction(session, body, { lazy })
      }).pipe(
        Effect.onExit((exit) =>
          Effect.sync(() => {
            ledger.current = undefined
            if (Exit.isSuccess(exit)) ledger.reported.push(step)
            else if (Exit.hasInterrupts(exit)) ledger.interruptedSteps.push(step)
          })
        )
      )

    yield* outermost(
      { name: "first", apply: (rows) => [1, 2, 4].forEach((id) => rows.set(id, item(id))) },
      Effect.gen(function*() {
        yield* insert(1)
        yield* nested(insert(2))
        yield* aborted(Effect.andThen(insert(3), nested(insert(30))))
        yield* insert(4)
      })
    )
    yield* outermost(
      { name: "aborted", apply: () => {} },
      Effect.gen(function*() {
        yield* insert(5)
        yield* nested(Effect.andThen(insert(6), nested(insert(7))))
        return yield* Effect.fail(new Abort())
      })
    ).pipe(Effect.catchTag("Abort", () => Effect.void))
    yield* outermost(
      {
        name: "lazy",
        apply: (rows) => {
          rows.set(8, item(8))
          rows.set(1, item(1, 5))
        }
      },
      Effect.gen(function*() {
        yield* insert(8)
        yield* aborted(insert(9))
        if ((yield* Cursor.seek(items, [1])) !== "found") return yield* Effect.die("item 1 is missing")
        yield* nested(Cursor.replace(items, { stock: 5 }))
        // A stream opens and closes a cursor of its own inside the transaction.
        yield* Stream.runDrain(Cursor.stream(db, itemsTable.name, { batchSize: 2 }))
      }),
      true
    )
    yield* Transaction.flush(session)
  }).pipe(Effect.scoped)

const emptyLedger = (): Ledger => ({
  current: undefined,
  reported: [],
  engineCommitted: [],
  interruptedSteps: []
})

/**
 * Follows the session's transaction level through the engine's answers, and enters a step in the
 * ledger when the engine commits its outermost level.
 */
const followCommits = (ledger: Ledger) => {
  let level = 0
  return (record: CallRecord) => {
    if (record.err < 0) return
    switch (record.method) {
      case "JetBeginTransaction2":
        level++
        break
      case "JetCommitTransaction":
        if ((Number(record.args[1]) & JET_bitWaitLastLevel0Commit) !== 0) break
        level--
        if (level === 0 && ledger.current !== undefined) ledger.engineCommitted.push(ledger.current)
        break
      case "JetRollback":
        level = (Number(record.args[1]) & JET_bitRollbackAll) !== 0 ? 0 : level - 1
        break
      case "JetEndSession":
        level = 0
    }
  }
}

/** Every row of the items table, read by a new instance over the same store. */
const readBack = (h: Harness) =>
  Effect.scoped(Effect.gen(function*() {
    const session = yield* Session.begin
    const db = yield* Database.attach(session, path)
    return yield* Stream.runCollect(Cursor.stream(db, itemsTable.name))
  })).pipe(
    Effect.catchTag(["JET_errFileNotFound", "JET_errObjectNotFound"], () => Effect.succeed([])),
    Effect.provide(h.layer({ instanceName: "read-back" }))
  )

const expectedRows = (steps: ReadonlyArray<Step>): ReadonlyArray<Row> => {
  const rows: Rows = new Map()
  for (const step of steps) step.apply(rows)
  return [...rows.entries()].sort(([a], [b]) => a - b).map(([, row]) => row)
}

/** The engine holds no session in any instance (an instance whose JetInit3 failed may remain). */
const expectNothingOpen = (h: Harness, context: string) => {
  for (const instance of h.engine.inspect().instances) {
    expect(instance, `${context}: ${h.calls.map((c) => `${c.method}=${c.err}`).join(" ")}`).toMatchObject({
      initialized: false,
      sessions: []
    })
  }
}

interface Run {
  readonly exit: Exit.Exit<void, unknown>
  readonly ledger: Ledger
  readonly calls: number
  readonly rows: ReadonlyArray<Row>
}

/** Runs the workload on a fresh store, with `prepare` setting up the fault or interruption. */
const runWorkload = (
  prepare: (h: Harness, ledger: Ledger, fiber: () => Fiber.Fiber<unknown, unknown>) => string
) =>
  Effect.gen(function*() {
    const h = makeHarness()
    const ledger = emptyLedger()
    let self: Fiber.Fiber<unknown, unknown> | undefined
    const context = prepare(h, ledger, () => self!)
    // A fiber of its own, so that an interruption stops the workload and not the test.
    const exit = yield* Fiber.await(
      yield* Effect.forkChild(
        Effect.withFiber((fiber) => {
          self = fiber
          return Effect.provide(workload(ledger), h.layer({ circularLog: true }))
        }).pipe(quiet)
      )
    )
    const calls = h.calls.length
    h.setHook(undefined)
    h.engine.clearFaults()
    expectNothingOpen(h, context)
    const rows = yield* quiet(readBack(h))
    return { exit, ledger, calls, rows } satisfies Run
  })

const fault = jetErrorCodes.JET_errOutOfMemory

describe("the fault sweep", () => {
  it.effect("without faults, the workload commits what it should", () =>
    Effect.gen(function*() {
      const run = yield* runWorkload((h, ledger) => {
        const follow = followCommits(ledger)
        h.setHook((_, record) => follow(record))
        return "no fault"
      })
      expect(run.exit).toStrictEqual(Exit.void)
      expect(run.ledger.reported.map((s) => s.name)).toEqual(["first", "lazy"])
      expect(run.ledger.engineCommitted.map((s) => s.name)).toEqual(["first", "lazy"])
      expect(run.rows).toEqual([item(1, 5), item(2), item(4), item(8)])
      expect(run.calls).toBeGreaterThan(50)
    }))

  it.effect("failing any one engine call leaves nothing open and exactly the committed data", () =>
    Effect.gen(function*() {
      const clean = yield* runWorkload(() => "no fault")
      const steps = clean.calls + 1 // one past the end: the run without a fault, again
      const failedAt: Array<number> = []
      for (let n = 1; n <= steps; n++) {
        const run = yield* runWorkload((h, ledger) => {
          const follow = followCommits(ledger)
          h.setHook((_, record) => follow(record))
          h.engine.injectFault({ method: "*", call: n, err: fault })
          return `fault at call ${n}`
        })
        const context = `fault at call ${n}`
        expect(run.rows, context).toEqual(expectedRows(run.ledger.reported))
        expect(run.ledger.engineCommitted.map((s) => s.name), context).toEqual(
          run.ledger.reported.map((s) => s.name)
        )
        if (Exit.isFailure(run.exit)) {
          failedAt.push(n)
          const error = Exit.findErrorOption(run.exit)
          expect(error, `${context}: ${String(error)}`).toMatchObject({ value: { code: fault } })
        }
      }
      // Every call the workload makes matters to it, save the finalizers' (they only log).
      expect(failedAt.length).toBeGreaterThan(clean.calls / 2)
      console.info(`fault sweep: ${steps} steps`)
    }))

  it.effect("interrupting at any engine call leaves nothing open and exactly the committed data", () =>
    Effect.gen(function*() {
      const clean = yield* runWorkload(() => "no fault")
      const steps = clean.calls + 1
      let interrupted = 0
      let committedThenInterrupted = 0
      const interruptedInside = new Set<string>()
      for (let n = 1; n <= steps; n++) {
        const run = yield* runWorkload((h, ledger, fiber) => {
          const follow = followCommits(ledger)
          h.setHook((call, record) => {
            follow(record)
            if (call === n) fiber().interruptUnsafe()
          })
          return `interrupted at call ${n}`
        })
        const context = `interrupted at call ${n}`
        if (Exit.isFailure(run.exit)) {
          interrupted++
          expect(Exit.hasInterrupts(run.exit), context).toBe(true)
        }
        expect(run.rows, context).toEqual(expectedRows(run.ledger.engineCommitted))
        // What the API reports committed is committed; a transaction interrupted right after its
        // commit may be reported interrupted, as any effect interrupted after its last step is.
        const reported = run.ledger.reported.map((s) => s.name)
        const committed = run.ledger.engineCommitted.map((s) => s.name)
        expect(committed.slice(0, reported.length), context).toEqual(reported)
        for (const late of committed.slice(reported.length)) {
          expect(run.ledger.interruptedSteps.map((s) => s.name), context).toContain(late)
          committedThenInterrupted++
        }
        for (const step of run.ledger.interruptedSteps) interruptedInside.add(step.name)
      }
      expect(interrupted).toBeGreaterThan(clean.calls / 2)
      expect([...interruptedInside].sort()).toEqual(["aborted", "first", "lazy"])
      console.info(
        `interruption sweep: ${steps} steps, ${interrupted} interrupted, ${committedThenInterrupted} right after a commit`
      )
    }))
})
