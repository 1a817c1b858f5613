/**
 * The lock of sessions and of the database pool (`src/internal/lock.ts`): no more holders than
 * permits, waiters served in order, and a waiter that is interrupted neither keeps a permit nor
 * strands the ones behind it.
 */
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber } from "effect"
import { makeLock, withLock } from "../../src/internal/lock.ts"

describe("the lock", () => {
  it.effect("serves waiters one at a time, in the order they came", () =>
    Effect.gen(function*() {
      const lock = makeLock()
      const events: Array<string> = []
      const gate = yield* Deferred.make<void>()
      const holder = yield* Effect.forkChild(withLock(
        lock,
        Effect.andThen(Effect.sync(() => events.push("first in")), Deferred.await(gate)).pipe(
          Effect.andThen(Effect.sync(() => events.push("first out")))
        )
      ))
      yield* Effect.yieldNow
      const waiters = yield* Effect.forEach(["second", "third"], (name) =>
        Effect.forkChild(withLock(
          lock,
          Effect.sync(() => events.push(`${name} in`)).pipe(
            Effect.andThen(Effect.yieldNow),
            Effect.andThen(Effect.sync(() => events.push(`${name} out`)))
          )
        )))
      yield* Effect.yieldNow
      expect(events).toEqual(["first in"])
      expect(lock.waiters.length).toBe(2)
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(holder)
      for (const waiter of waiters) yield* Fiber.join(waiter)
      expect(events).toEqual(["first in", "first out", "second in", "second out", "third in", "third out"])
      expect(lock.free).toBe(1)
    }))

  it.effect("a waiter interrupted while it waits leaves the queue", () =>
    Effect.gen(function*() {
      const lock = makeLock()
      const gate = yield* Deferred.make<void>()
      const holder = yield* Effect.forkChild(withLock(lock, Deferred.await(gate)))
      yield* Effect.yieldNow
      const waiter = yield* Effect.forkChild(withLock(lock, Effect.void))
      yield* Effect.yieldNow
      expect(lock.waiters.length).toBe(1)
      yield* Fiber.interrupt(waiter)
      expect(lock.waiters.length).toBe(0)
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(holder)
      expect(lock.free).toBe(1)
    }))

  it.effect("an interrupted waiter does not strand the ones behind it", () =>
    Effect.gen(function*() {
      const lock = makeLock()
      const gate = yield* Deferred.make<void>()
      const ran: Array<string> = []
      const holder = yield* Effect.forkChild(withLock(lock, Deferred.await(gate)))
      yield* Effect.yieldNow
      const second = yield* Effect.forkChild(withLock(lock, Effect.sync(() => ran.push("second"))))
      const third = yield* Effect.forkChild(withLock(lock, Effect.sync(() => ran.push("third"))))
      yield* Effect.yieldNow
      yield* Fiber.interrupt(second)
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(holder)
      yield* Fiber.join(third)
      expect(ran).toEqual(["third"])
      expect(lock.free).toBe(1)
      expect(lock.waiters.length).toBe(0)
    }))

  it.effect("the holder's failure or interruption lets go of the lock", () =>
    Effect.gen(function*() {
      const lock = makeLock()
      const failed = yield* Effect.flip(withLock(lock, Effect.fail("boom")))
      expect(failed).toBe("boom")
      expect(lock.free).toBe(1)
      const holder = yield* Effect.forkChild(withLock(lock, Effect.never))
      yield* Effect.yieldNow
      expect(lock.free).toBe(0)
      yield* Fiber.interrupt(holder)
      expect(lock.free).toBe(1)
    }))

  it.effect("with several permits, lets that many hold it at once and queues the next", () =>
    Effect.gen(function*() {
      const lock = makeLock(2)
      const gate = yield* Deferred.make<void>()
      const inside: Array<number> = []
      const fibers = yield* Effect.forEach(
        [1, 2, 3],
        (n) =>
          Effect.forkChild(
            withLock(lock, Effect.andThen(Effect.sync(() => inside.push(n)), Deferred.await(gate)))
          )
      )
      yield* Effect.yieldNow
      expect(inside).toEqual([1, 2])
      expect(lock.free).toBe(0)
      expect(lock.waiters.length).toBe(1)
      yield* Deferred.succeed(gate, undefined)
      for (const fiber of fibers) yield* Fiber.join(fiber)
      expect(inside).toEqual([1, 2, 3])
      expect(lock.free).toBe(2)
    }))
})
