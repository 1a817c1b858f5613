/**
 * A session's lock: one holder at a time across asynchronous boundaries (a transaction, a call run
 * off the JavaScript thread), the others queued in order. Taking a free lock and letting go of it
 * are plain assignments, since a transaction takes it every time it begins; only a holder that
 * has to wait suspends. A released lock passes straight to the first in the queue, so no one
 * barging in between can take it from a woken waiter.
 */
import { Effect, Exit } from "effect"

interface Waiter {
  /** Set once the lock was passed to this waiter. */
  handed: boolean
  resume: ((effect: Effect.Effect<void>) => void) | undefined
}

/** The lock's state: whether someone holds it, and who waits for it. */
export interface SessionLock {
  held: boolean
  readonly waiters: Array<Waiter>
}

/** A free lock. */
export const makeSessionLock = (): SessionLock => ({ held: false, waiters: [] })

/** Lets go of the lock, passing it to the first waiter if there is one. */
const release = (lock: SessionLock): void => {
  const next = lock.waiters.shift()
  if (next === undefined) {
    lock.held = false
    return
  }
  next.handed = true
  next.resume?.(Effect.void)
}

const waitFor = (lock: SessionLock): Effect.Effect<void> => {
  const waiter: Waiter = { handed: false, resume: undefined }
  lock.waiters.push(waiter)
  return Effect.onExit(
    Effect.callback<void>((resume) => {
      if (waiter.handed) return resume(Effect.void)
      waiter.resume = resume
    }),
    (exit) => {
      if (Exit.isSuccess(exit)) return Effect.void
      // Interrupted while waiting: leave the queue, or pass on a lock that arrived meanwhile.
      const at = lock.waiters.indexOf(waiter)
      if (at >= 0) lock.waiters.splice(at, 1)
      if (waiter.handed) release(lock)
      return Effect.void
    }
  )
}

/**
 * Runs `f` holding the lock, waiting for it (interruptibly) when someone else holds it. `f` keeps
 * its own interruptibility; the lock is let go of however `f` ends.
 */
export const withSessionLock = <A, E, R>(
  lock: SessionLock,
  f: Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.uninterruptibleMask((restore) => {
    const run = Effect.onExit(restore(f), () => {
      release(lock)
      return Effect.void
    })
    if (!lock.held) {
      lock.held = true
      return run
    }
    return Effect.andThen(restore(waitFor(lock)), run)
  })
