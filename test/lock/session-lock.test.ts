/**
 * The session lock (`src/internal/sessionLock.ts`): one holder at a time, waiters served in order,
 * and a waiter that is interrupted neither keeps the lock nor strands the ones behind it.
 */
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber } from "effect"
import { makeSessionLock, withSessionLock } from "../../src/internal/sessionLock.ts"

describe("the session lock", () => {
  it.effect("serves waiters one at a time, in the order they came", () =>
    Effect.gen(function*() {
      const lock = makeSessionLock()
      const events: Array<string> = []
      const gate = yield* Deferred.make<void>()
      const holder = yield* Effect.forkChild(withSessionLock(
        lock,
        Effect.andThen(Effect.sync(() => events.push("first in")), Deferred.await(gate)).pipe(
          Effect.andThen(Effect.sync(() => events.push("first out")))
        )
      ))
      yield* Effect.yieldNow
      const waiters = yield* Effect.forEach(["second", "third"], (name) =>
        Effect.forkChild(withSessionLock(
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
      expect(lock.held).toBe(false)
    }))

  it.effect("a waiter interrupted while it waits leaves the queue", () =>
    Effect.gen(function*() {
      const lock = makeSessionLock()
      const gate = yield* Deferred.make<void>()
      const holder = yield* Effect.forkChild(withSessionLock(lock, Deferred.await(gate)))
      yield* Effect.yieldNow
      const waiter = yield* Effect.forkChild(withSessionLock(lock, Effect.void))
      yield* Effect.yieldNow
      expect(lock.waiters.length).toBe(1)
      yield* Fiber.interrupt(waiter)
      expect(lock.waiters.length).toBe(0)
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(holder)
      expect(lock.held).toBe(false)
    }))

  it.effect("an interrupted waiter does not strand the ones behind it", () =>
    Effect.gen(function*() {
      const lock = makeSessionLock()
      const gate = yield* Deferred.make<void>()
      const ran: Array<string> = []
      const holder = yield* Effect.forkChild(withSessionLock(lock, Deferred.await(gate)))
      yield* Effect.yieldNow
      const second = yield* Effect.forkChild(withSessionLock(lock, Effect.sync(() => ran.push("second"))))
      const third = yield* Effect.forkChild(withSessionLock(lock, Effect.sync(() => ran.push("third"))))
      yield* Effect.yieldNow
      yield* Fiber.interrupt(second)
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(holder)
      yield* Fiber.join(third)
      expect(ran).toEqual(["third"])
      expect(lock.held).toBe(false)
      expect(lock.waiters.length).toBe(0)
    }))

  it.effect("the holder's failure or interruption lets go of the lock", () =>
    Effect.gen(function*() {
      const lock = makeSessionLock()
      const failed = yield* Effect.flip(withSessionLock(lock, Effect.fail("boom")))
      expect(failed).toBe("boom")
      expect(lock.held).toBe(false)
      const holder = yield* Effect.forkChild(withSessionLock(lock, Effect.never))
      yield* Effect.yieldNow
      expect(lock.held).toBe(true)
      yield* Fiber.interrupt(holder)
      expect(lock.held).toBe(false)
    }))
})
