/**
 * A lock of a fixed number of permits, held across asynchronous boundaries, its waiters queued in
 * order: a session's lock (one permit: a transaction, a call run off the JavaScript thread) and
 * the database pool's (one permit per session). Taking a free permit and letting go of it are
 * plain assignments, since a transaction takes one every time it begins; only a fiber that has to
 * wait suspends. A released permit passes straight to the first in the queue, so no one barging
 * in between can take it from a woken waiter.
 */
import { Effect, Exit } from "effect"

interface Waiter {
  /** Set once a permit was passed to this waiter. */
  handed: boolean
  resume: ((effect: Effect.Effect<void>) => void) | undefined
}

/** The lock's state: how many permits are free, and who waits for one. */
export interface Lock {
  free: number
  readonly waiters: Array<Waiter>
}

/** A lock with `permits` free permits (one by default). */
export const makeLock = (permits = 1): Lock => ({ free: permits, waiters: [] })

/** Lets go of a permit, passing it to the first waiter if there is one. */
export const release = (lock: Lock): void => {
  const next = lock.waiters.shift()
  if (next === undefined) {
    lock.free++
    return
  }
  next.handed = true
  next.resume?.(Effect.void)
}

const waitFor = (lock: Lock): Effect.Effect<void> => {
  const waiter: Waiter = { handed: false, resume: undefined }
  lock.waiters.push(waiter)
  return Effect.onExit(
    Effect.callback<void>((resume) => {
      if (waiter.handed) return resume(Effect.void)
      waiter.resume = resume
    }),
    (exit) => {
      if (Exit.isSuccess(exit)) return Effect.void
      // Interrupted while waiting: leave the queue, or pass on a permit that arrived meanwhile.
      const at = lock.waiters.indexOf(waiter)
      if (at >= 0) lock.waiters.splice(at, 1)
      if (waiter.handed) release(lock)
      return Effect.void
    }
  )
}

/** Takes a permit if one is free, at once; `false` when none is. */
export const tryAcquire = (lock: Lock): boolean => {
  if (lock.free === 0) return false
  lock.free--
  return true
}

/**
 * Takes a permit, waiting for one when none is free; the taker lets go of it with {@link release}.
 * For holds that do not fit {@link withLock}, e.g. one tied to a scope.
 */
export const acquire = (lock: Lock): Effect.Effect<void> =>
  Effect.suspend(() => {
    if (lock.free > 0) {
      lock.free--
      return Effect.void
    }
    return waitFor(lock)
  })

/**
 * Runs `f` holding a permit, waiting for one (interruptibly) when none is free. `f` keeps its own
 * interruptibility; the permit is let go of however `f` ends.
 */
export const withLock = <A, E, R>(lock: Lock, f: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.uninterruptibleMask((restore) => {
    const run = Effect.onExit(restore(f), () => {
      release(lock)
      return Effect.void
    })
    if (lock.free > 0) {
      lock.free--
      return run
    }
    return Effect.andThen(restore(waitFor(lock)), run)
  })
