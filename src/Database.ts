/**
 * Databases as scoped resources: created, attached or opened by a session, and closed or detached
 * when the scope ends.
 *
 * @module
 */
import { Effect } from "effect"
import type * as Scope from "effect/Scope"
import { HandleClosedError, type HandleError } from "./Errors.ts"
import type { EsentInstance } from "./Esent.ts"
import { check } from "./internal/call.ts"
import { closeTree, type HandleNode, makeNode } from "./internal/handles.ts"
import { sessionLongCall } from "./internal/sessionOffThread.ts"
import {
  JET_bitDbOverwriteExisting,
  JET_bitDbReadOnly,
  JET_DbInfoFilesize,
  JET_DbInfoMisc,
  JET_DbInfoPageSize
} from "./jet/constants.ts"
import { type DatabaseState as JetDatabaseState, databaseStateOf } from "./jet/dbstate.ts"
import type { JET_DBID } from "./jet/handles.ts"
import type { JetErrorPlace } from "./JetError.ts"
import * as Session from "./Session.ts"

/** An open database of a session. Use it only inside the scope that opened it. */
export interface Database {
  readonly session: Session.Session
  readonly dbid: JET_DBID
  readonly path: string
  /** @internal Open state of the database and of its cursors. */
  readonly node: HandleNode
}

/** Whether `u` is a database handle (what the explicit-handle forms take first). */
export const isDatabase = (u: unknown): u is Database =>
  typeof u === "object" && u !== null && "dbid" in u && "session" in u && "node" in u

/** Options of {@link create}. */
export interface CreateOptions {
  /** Replace an existing file instead of failing with `JET_errDatabaseDuplicate`. */
  readonly overwrite?: boolean
  /** Largest size in pages; 0 for no limit. */
  readonly maxPages?: number
}

/** Options of {@link attach} and {@link open}. */
export interface OpenOptions {
  readonly readOnly?: boolean
  readonly maxPages?: number
}

/**
 * How many open handles of each instance attached each database (by create or attach). Only the
 * last one to close detaches it: an earlier detach would fail while the others have it open, or
 * pull it from under a handle about to open it.
 */
const attachments = new WeakMap<EsentInstance, Map<string, number>>()
/** The handles counted in {@link attachments}, until they close. */
const attaching = new WeakSet<Database>()

const countAttachment = (session: Session.Session, path: string, delta: 1 | -1): number => {
  let paths = attachments.get(session.esent)
  if (paths === undefined) attachments.set(session.esent, paths = new Map())
  const count = (paths.get(path) ?? 0) + delta
  if (count > 0) paths.set(path, count)
  else paths.delete(path)
  return count
}

const closeDatabase = (database: Database): Effect.Effect<void> =>
  Effect.suspend(() => {
    const { session } = database
    const detach = attaching.delete(database) && countAttachment(session, database.path, -1) === 0
    if (!session.node.open || !database.node.open) return Effect.void
    closeTree(database.node)
    const closed = session.api.JetCloseDatabase(session.sesid, database.dbid, 0)
    const detached = detach ? session.api.JetDetachDatabase2(session.sesid, database.path, 0) : { err: 0 }
    return Effect.all([
      closed.err < 0 ? logFailure("JetCloseDatabase", database.path, closed.err) : Effect.void,
      detached.err < 0 ? logFailure("JetDetachDatabase2", database.path, detached.err) : Effect.void
    ], { discard: true })
  })

/** A handle that attached its database: counted until it closes. */
const attachedBy = (database: Database): Database => {
  attaching.add(database)
  countAttachment(database.session, database.path, 1)
  return database
}

const logFailure = (operation: string, path: string, code: number) =>
  Effect.logError(`${operation} failed for ${path}`).pipe(Effect.annotateLogs({ code }))

/** How a database file was left, as its header says (`JET_DBINFOMISC.dbstate`). */
export type DatabaseState = JetDatabaseState

/** The header's state, when the engine reports `JET_DbInfoMisc` (the in-memory engine does not). */
const readState = (session: Session.Session, dbid: JET_DBID): DatabaseState | undefined => {
  // JET_DBINFOMISC up to cbPageSize: 216 bytes, dbstate at offset 36.
  const buffer = new Uint8Array(216)
  const r = session.api.JetGetDatabaseInfo(session.sesid, dbid, buffer, buffer.byteLength, JET_DbInfoMisc)
  return r.err < 0 ? undefined : databaseStateOf(new DataView(buffer.buffer).getUint32(36, true))
}

/** The databases whose unclean state was already reported, per instance: one warning each. */
const warnedUnclean = new WeakMap<EsentInstance, Set<string>>()

const warnIfUnclean = (session: Session.Session, dbid: JET_DBID, path: string): Effect.Effect<void> =>
  Effect.suspend(() => {
    const state = readState(session, dbid)
    if (state === undefined || state === "CleanShutdown") return Effect.void
    let paths = warnedUnclean.get(session.esent)
    if (paths === undefined) warnedUnclean.set(session.esent, paths = new Set())
    if (paths.has(path)) return Effect.void
    paths.add(path)
    return Effect.logWarning(`${path} was not shut down cleanly (${state}): read as it is on disk`).pipe(
      Effect.annotateLogs({ state })
    )
  })

const opened = (session: Session.Session, dbid: JET_DBID, path: string): Database => ({
  session,
  dbid,
  path,
  node: makeNode("database", session.node)
})

/**
 * Creates a database file (attached to the instance and opened by the session); the scope's end
 * closes and detaches it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Database, Session } from "effect-esent"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const session = yield* Session.begin
 *   const db = yield* Database.create(session, "app.edb", { overwrite: true })
 *   return db.dbid
 * }))
 * ```
 */
export const create = (
  session: Session.Session,
  path: string,
  options: CreateOptions = {}
): Effect.Effect<Database, HandleError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.map(
      sessionLongCall(
        session,
        "JetCreateDatabase2",
        [path, options.maxPages ?? 0, options.overwrite === true ? JET_bitDbOverwriteExisting : 0],
        path
      ),
      ({ dbid }) => attachedBy(opened(session, dbid, path))
    ),
    closeDatabase
  )

/**
 * Attaches an existing database file to the instance and opens it; the scope's end closes and
 * detaches it. Attaching a database that is already attached is fine (`JET_wrnDatabaseAttached`).
 */
export const attach = (
  session: Session.Session,
  path: string,
  options: OpenOptions = {}
): Effect.Effect<Database, HandleError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.gen(function*() {
      const grbit = options.readOnly === true ? JET_bitDbReadOnly : 0
      yield* sessionLongCall(session, "JetAttachDatabase2", [path, options.maxPages ?? 0, grbit], path)
      const { dbid } = yield* Session.call(session, "JetOpenDatabase", (api, sesid) =>
        api.JetOpenDatabase(sesid, path, null, grbit), path).pipe(
          Effect.onError(() =>
            Effect.sync(() => {
              // Detach only what no other handle of the instance still counts on.
              if (!attachments.get(session.esent)?.has(path)) {
                session.api.JetDetachDatabase2(session.sesid, path, 0)
              }
            })
          )
        )
      if (options.readOnly === true) {
        yield* warnIfUnclean(session, dbid, path)
      }
      return attachedBy(opened(session, dbid, path))
    }),
    closeDatabase
  )

/** Opens a database already attached to the instance; the scope's end closes it. */
export const open = (
  session: Session.Session,
  path: string,
  options: Pick<OpenOptions, "readOnly"> = {}
): Effect.Effect<Database, HandleError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.map(
      Session.call(
        session,
        "JetOpenDatabase",
        (api, sesid) =>
          api.JetOpenDatabase(sesid, path, null, options.readOnly === true ? JET_bitDbReadOnly : 0),
        path
      ),
      ({ dbid }) => opened(session, dbid, path)
    ),
    closeDatabase
  )

/** Runs one JET call on the database's session, after checking the database is still open. */
export const call = <R extends { readonly err: number }>(
  database: Database,
  operation: string,
  f: (api: Session.Session["api"], sesid: Session.Session["sesid"], dbid: JET_DBID) => R,
  detail?: string | JetErrorPlace
): Effect.Effect<R, HandleError> => {
  const closed: Effect.Effect<never, HandleClosedError> = Effect.fail(
    new HandleClosedError({ handle: "database", operation })
  )
  if (!database.node.open) return closed
  const { session } = database
  // The database can close while this fiber waits for its session: look again once it is held.
  return Session.use(
    session,
    operation,
    Effect.suspend((): Effect.Effect<R, HandleError> =>
      database.node.open
        ? check(
          operation,
          f(session.api, session.sesid, database.dbid),
          typeof detail === "object" ? { database: database.path, ...detail } : detail
        )
        : closed
    )
  )
}

/** Size facts of a database. */
export interface DatabaseInfo {
  /** File size in pages. */
  readonly filesizePages: number
  /** Page size in bytes. */
  readonly pageSize: number
  /**
   * How the file was left, when the engine reports it (the native and file engines do): a file
   * copied off a running machine is usually `DirtyShutdown`, and the file engine reads it as it is.
   */
  readonly state?: DatabaseState
}

/** Reads the database's file size and page size (`JetGetDatabaseInfo`). */
export const info = (database: Database): Effect.Effect<DatabaseInfo, HandleError> =>
  Effect.gen(function*() {
    const buffer = new Uint8Array(4)
    const view = new DataView(buffer.buffer)
    yield* call(
      database,
      "JetGetDatabaseInfo",
      (api, sesid, dbid) => api.JetGetDatabaseInfo(sesid, dbid, buffer, 4, JET_DbInfoFilesize)
    )
    const filesizePages = view.getUint32(0, true)
    yield* call(
      database,
      "JetGetDatabaseInfo",
      (api, sesid, dbid) => api.JetGetDatabaseInfo(sesid, dbid, buffer, 4, JET_DbInfoPageSize)
    )
    const pageSize = view.getUint32(0, true)
    const state = yield* Session.use(
      database.session,
      "JetGetDatabaseInfo",
      Effect.sync(() => readState(database.session, database.dbid))
    )
    return state === undefined ? { filesizePages, pageSize } : { filesizePages, pageSize, state }
  })
