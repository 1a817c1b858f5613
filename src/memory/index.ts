/**
 * The in-memory JET engine: the whole `JetApi` in TypeScript, behaving like ESENT as
 * docs/ESENT-SEMANTICS.md describes, so that programs can be tested off Windows. Adds test hooks:
 * resource inspection, fault injection, call counting and simulated threads.
 *
 * @module
 */
import type { JetApi, JetApiMethod, JetResult } from "../jet/api.ts"
import { jetErrorCodes } from "../jet/errors.generated.ts"
import { type EngineResources, type InstanceCondition, makeEngine } from "./engine.ts"
import type { MemoryStore } from "./model.ts"
import { defaultStore } from "./model.ts"

export type { InstanceCondition } from "./engine.ts"
export type { MemoryStore } from "./model.ts"
export { makeMemoryStore } from "./model.ts"

/** Options of {@link makeMemoryEngine}. */
export interface MemoryEngineOptions {
  /** Where databases live, keyed by path; default: one process-wide store. */
  readonly store?: MemoryStore
  /**
   * The version store limit: a transaction whose pending versions (one per insert, replace,
   * delete or escrow update) would pass it fails with `JET_errVersionStoreOutOfMemory`. Also
   * settable through `JET_paramMaxVerPages`, which wins when set. Default: no limit.
   */
  readonly maxVersionPages?: number
}

/** What is open now: instances, their sessions, and each session's databases and cursors. */
export type OpenResources = EngineResources

/** A failure to inject: the call returns `err` and changes nothing. */
export interface Fault {
  /** The method to fail, or `"*"` for any. */
  readonly method: JetApiMethod | "*"
  /**
   * 1-based: fail only the Nth matching call counted from when the fault was set; omitted: every
   * matching call.
   */
  readonly call?: number
  readonly err: number
}

/** `JetApi` plus the test hooks of the in-memory engine. */
export interface MemoryEngine extends JetApi {
  /** What is open now. */
  readonly inspect: () => OpenResources
  /** Makes matching calls fail with the fault's code, without doing anything. */
  readonly injectFault: (fault: Fault) => void
  /** Removes every injected fault. */
  readonly clearFaults: () => void
  /** How many `JetApi` calls were made so far. */
  readonly callCount: () => number
  /**
   * Makes the following calls run on the given simulated thread (initially 1): the transaction
   * and session-context thread rules compare against it.
   */
  readonly simulateThread: (threadId: number) => void
  /** Marks a call on the session as in flight: any other call on it fails until released. */
  readonly holdCall: (sesid: bigint) => void
  /** Ends the in-flight call begun by {@link MemoryEngine.holdCall}. */
  readonly releaseCall: (sesid: bigint) => void
  /**
   * Puts an initialized instance in the state that ESENT reports to its sessions' calls, as if
   * another thread were inside `JetTerm` (`"terminating"`: `JET_errTermInProgress`) or a restore
   * were running on it (`"restoring"`: `JET_errRestoreInProgress`), or as after a fatal error
   * (`"unavailable"`: `JET_errInstanceUnavailable`); `undefined` clears it. `JetTerm` still ends
   * the instance and every session. A synchronous engine cannot be caught half-way through those
   * calls, so tests put it there. Returns false when the instance does not exist.
   *
   * @example
   * ```ts
   * engine.simulateInstanceCondition(instance, "terminating")
   * engine.JetEndSession(sesid, 0).err // JET_errTermInProgress
   * ```
   */
  readonly simulateInstanceCondition: (instance: bigint, condition: InstanceCondition | undefined) => boolean
}

/** Methods whose first argument is not a session. */
const notSessionMethods = new Set<string>([
  "JetCreateInstance2",
  "JetInit3",
  "JetTerm",
  "JetTerm2",
  "JetSetSystemParameter",
  "JetGetSystemParameter",
  "JetGetVersion",
  "JetStopServiceInstance",
  "JetBeginSession",
  "JetBackupInstance",
  "JetRestoreInstance",
  "JetFreeBuffer"
])

/** Session methods that apply the transaction-thread rule themselves, in their own order. */
const ownThreadRule = new Set<string>(["JetEndSession", "JetSetSessionContext", "JetResetSessionContext"])

interface ActiveFault {
  readonly fault: Fault
  seen: number
}

/** A new in-memory engine. */
export const makeMemoryEngine = (options: MemoryEngineOptions = {}): MemoryEngine => {
  const core = makeEngine({ store: options.store ?? defaultStore, maxVersionPages: options.maxVersionPages })
  const impl = core.api as unknown as Record<string, (...args: Array<unknown>) => JetResult>
  let faults: Array<ActiveFault> = []
  let calls = 0
  const out: Record<string, unknown> = {}
  // The owner string of the simulated thread, made once per thread rather than once per call.
  let ownerThread = core.thread
  let threadOwner = `t${ownerThread}`
  const ownerOf = (context: bigint | null): string => {
    if (context !== null) return `c${context}`
    if (core.thread !== ownerThread) {
      ownerThread = core.thread
      threadOwner = `t${ownerThread}`
    }
    return threadOwner
  }
  for (const name of Object.keys(impl)) {
    const fn = impl[name] as (...args: Array<unknown>) => JetResult
    const checkSession = !notSessionMethods.has(name)
    const threadRule = !ownThreadRule.has(name)
    /** The error the call fails with before it reaches the engine (a fault, a thread rule), or 0. */
    const gate = (first: unknown): JetResult | undefined => {
      for (const f of faults) {
        if (f.fault.method !== "*" && f.fault.method !== name) continue
        f.seen++
        if (f.fault.call === undefined || f.fault.call === f.seen) {
          // ESENT frees an instance whose JetInit3 failed (the caller must not JetTerm it), so an
          // injected init failure does the same rather than leave an instance nobody may end.
          if (name === "JetInit3" && f.fault.err < 0 && typeof first === "bigint") impl["JetTerm"]!(first)
          return { err: f.fault.err }
        }
      }
      if (checkSession && typeof first === "bigint") {
        const s = core.sessionOf(first)
        if (s !== undefined) {
          // JetEndSession reports a session busy on another thread as in use (D/jetendsession-function).
          if (s.inFlight) {
            return {
              err: name === "JetEndSession"
                ? jetErrorCodes.JET_errSessionInUse
                : jetErrorCodes.JET_errSessionSharingViolation
            }
          }
          if (threadRule && s.level > 0 && ownerOf(s.context) !== s.trxOwner) {
            return { err: jetErrorCodes.JET_errSessionSharingViolation }
          }
        }
      }
      return undefined
    }
    // Every engine method takes at most eight arguments: a wrapper with fixed parameters passes
    // them on without gathering them into an array on every call. Trailing `undefined`s reach the
    // method as missing arguments would.
    out[name] = fn.length <= 8
      ? (
        a0: unknown,
        a1: unknown,
        a2: unknown,
        a3: unknown,
        a4: unknown,
        a5: unknown,
        a6: unknown,
        a7: unknown
      ) => {
        calls++
        const stop = faults.length === 0 && !checkSession
          ? undefined
          : gate(a0)
        return stop ?? fn(a0, a1, a2, a3, a4, a5, a6, a7)
      }
      : (...args: Array<unknown>): JetResult => {
        calls++
        return gate(args[0]) ?? fn(...args)
      }
  }
  const hooks: Omit<MemoryEngine, keyof JetApi> = {
    inspect: () => core.inspect(),
    injectFault: (fault) => {
      faults.push({ fault, seen: 0 })
    },
    clearFaults: () => {
      faults = []
    },
    callCount: () => calls,
    simulateThread: (threadId) => {
      core.thread = threadId
    },
    holdCall: (sesid) => {
      const s = core.sessionOf(sesid)
      if (s !== undefined) s.inFlight = true
    },
    releaseCall: (sesid) => {
      const s = core.sessionOf(sesid)
      if (s !== undefined) s.inFlight = false
    },
    simulateInstanceCondition: (instance, condition) => core.setCondition(instance, condition)
  }
  return Object.assign(out, hooks) as unknown as MemoryEngine
}
