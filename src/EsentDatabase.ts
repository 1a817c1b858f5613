/**
 * One database in the context, as effect's `SqlClient` is: a layer attaches (or creates) the
 * database file and keeps a pool of sessions that have it open. Table and cursor operations, and
 * `Transaction.withTransaction(effect)`, find the session of the current transaction in the fiber,
 * or borrow one from the pool for as long as they run; nobody passes a session by hand.
 *
 * ESENT's rules still hold underneath: a cursor belongs to its session, and a transaction never
 * moves between sessions, so everything a transaction does runs on the session it began on.
 *
 * @module
 */
import { Context, Effect, Exit, Layer, Scope } from "effect"
import * as Cursor from "./Cursor.ts"
import * as Database from "./Database.ts"
import { type HandleClosedError, type HandleError, SessionLimitError } from "./Errors.ts"
import { Esent, type EsentInstance } from "./Esent.ts"
import { check } from "./internal/call.ts"
import { acquire, makeLock, release, tryAcquire } from "./internal/lock.ts"
import { JET_bitDbOverwriteExisting, JET_bitDbReadOnly, JET_bitRollbackAll } from "./jet/constants.ts"
import { jetErrorByValue, jetErrorCodes } from "./jet/errors.generated.ts"
import { JET_SESID } from "./jet/handles.ts"
import { jetSystemParameters } from "./jet/params.ts"
import type { JetError } from "./JetError.ts"
import * as Session from "./Session.ts"
import { CurrentTransactions, inTransaction } from "./Session.ts"

/** How {@link EsentDatabase.layer} finds its database. */
export interface EsentDatabaseOptions {
  /** The database file. */
  readonly path: string
  /**
   * What to do when the file does not exist: `"create"` it (the default), or fail (`"attach"`, with
   * `JET_errFileNotFound`).
   */
  readonly ifMissing?: "create" | "fail"
  /**
   * Start from an empty database: an existing file is replaced (`JET_bitDbOverwriteExisting`).
   * For demonstrations and scratch data.
   */
  readonly overwrite?: boolean
  /** Open it read-only: every update fails with `JET_errPermissionDenied`. */
  readonly readOnly?: boolean
  /**
   * Most sessions borrowed at once (default 4). It must not be more than the instance's
   * `maxSessions` (ESENT's default is 16): the layer fails with a `SessionLimitError` otherwise.
   */
  readonly sessions?: number
}

/**
 * A session of the pool with the database open on it, and the cursors it keeps open between uses.
 * A connection is used by one fiber at a time (the one that borrowed it, or the transaction that
 * holds it).
 */
export interface Connection {
  readonly session: Session.Session
  readonly database: Database.Database
  /**
   * @internal Cursors kept open per table name. Only cursors opened outside any transaction are
   * kept: ESENT closes a cursor opened inside a transaction when that transaction rolls back.
   */
  readonly cursors: Map<string, unknown>
  /** @internal Tables used inside a transaction before a cursor was kept for them. */
  readonly wanted: Set<string>
  /** @internal The kept cursors' scope: closed with the connection, or when they are forgotten. */
  cursorScope: Scope.Closeable
  /** @internal How many times the connection went back to the pool: see {@link heldConnection}. */
  lease: number
  /** @internal Lives as long as the connection: closing it ends the session. */
  readonly scope: Scope.Closeable
}

/** The database service: which file, and how to borrow a connection to it. */
export interface EsentDatabaseService {
  /** The database file. */
  readonly path: string
  /** The pool's size. */
  readonly sessions: number
  /** The instance the database is attached to. */
  readonly esent: EsentInstance
  /**
   * Borrows a connection for the current scope; when the scope ends, any transaction it left open is
   * rolled back and it goes back to the pool.
   */
  readonly borrow: Effect.Effect<Connection, EsentDatabaseError, Scope.Scope>
  /**
   * Runs `f` with a connection borrowed for as long as it runs; afterwards any transaction it left
   * open is rolled back and the connection goes back to the pool. Cheaper than {@link borrow} for
   * one operation: no scope is made.
   */
  readonly use: <A, E, R>(
    f: (connection: Connection) => Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E | EsentDatabaseError, R>
  /** @internal Every connection of the pool. */
  readonly connections: ReadonlySet<Connection>
  /** @internal The pool's connection of a session, if the session is one of the pool's. */
  readonly connectionOf: (session: Session.Session) => Connection | undefined
}

/** What borrowing a connection or building the layer can fail with. */
export type EsentDatabaseError = JetError | HandleClosedError

/** What building {@link EsentDatabase.layer} can fail with. */
export type EsentDatabaseLayerError = EsentDatabaseError | SessionLimitError

/** A connection as lent to a fiber: the lease is the connection's count of lends at the time. */
export interface ConnectionLease {
  readonly connection: Connection
  readonly lease: number
}

/**
 * The connection the current fiber holds for each database: set by `withTransaction` and
 * {@link withConnection} for the effect they run. Read it with {@link heldConnection}.
 */
export const CurrentConnections = Context.Reference<ReadonlyMap<EsentDatabaseService, ConnectionLease>>(
  "effect-esent/EsentDatabase/CurrentConnections",
  { defaultValue: () => new Map() }
)

/**
 * The connection `connections` holds for `database`, unless it has gone back to the pool since: a
 * fiber forked while holding one may outlive the hold, and must then borrow its own.
 */
export const heldConnection = (
  connections: ReadonlyMap<EsentDatabaseService, ConnectionLease>,
  database: EsentDatabaseService
): Connection | undefined => {
  const held = connections.get(database)
  return held !== undefined && held.lease === held.connection.lease ? held.connection : undefined
}

/**
 * The database in the context.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { Esent, EsentDatabase, Jet } from "effect-esent"
 *
 * const DatabaseLive = EsentDatabase.layer({ path: "app.edb" }).pipe(
 *   Layer.provide(Esent.layer({ instanceName: "app" })),
 *   Layer.provide(Jet.layerMemory())
 * )
 * const path = Effect.runSync(Effect.scoped(Layer.build(DatabaseLive)).pipe(
 *   Effect.map((context) => Context.get(context, EsentDatabase).path)
 * ))
 * ```
 */
export class EsentDatabase extends Context.Service<EsentDatabase, EsentDatabaseService>()(
  "effect-esent/EsentDatabase"
) {
  /**
   * Attaches the database file to the instance (creating it when missing, unless `ifMissing` is
   * `"fail"`) and keeps a pool of `sessions` sessions that have it open; the layer's end ends them
   * and detaches the file. A pool larger than the instance's session maximum fails here, with a
   * {@link SessionLimitError} naming both numbers.
   */
  static readonly layer = (
    options: EsentDatabaseOptions
  ): Layer.Layer<EsentDatabase, EsentDatabaseLayerError, Esent> => Layer.effect(EsentDatabase, make(options))

  /** Runs an effect holding one session throughout; see {@link withSession}. */
  static readonly withSession = <A, E, R>(
    effect: Effect.Effect<A, E, R>
  ): Effect.Effect<A, E | EsentDatabaseError, R | EsentDatabase> => withSession(effect)
}

/** @internal The instance's `JET_paramMaxSessions`: how many sessions it allows at once. */
export const sessionMaximum = (esent: EsentInstance): Effect.Effect<number, JetError> =>
  Effect.map(
    check(
      "JetGetSystemParameter",
      esent.api.JetGetSystemParameter(
        esent.instance,
        JET_SESID(0n),
        jetSystemParameters.JET_paramMaxSessions.id,
        null,
        0
      ),
      { detail: "JET_paramMaxSessions" }
    ),
    (got) => Number(got.lParam)
  )

/**
 * Attaches (or creates) the file with a short-lived session and closes it again: the pool's
 * sessions open it by path. Answers whether this call attached it, so that only then the layer's
 * end detaches it.
 */
const attachFile = (esent: EsentInstance, options: EsentDatabaseOptions): Effect.Effect<boolean, JetError> =>
  Effect.suspend(() => {
    const { api } = esent
    const begun = api.JetBeginSession(esent.instance, null, null)
    if (begun.err < 0) return check("JetBeginSession", begun).pipe(Effect.as(false))
    const { sesid } = begun
    const place = { database: options.path }
    const attached = options.overwrite === true
      ? { err: jetErrorCodes.JET_errFileNotFound }
      : api.JetAttachDatabase2(sesid, options.path, 0, options.readOnly === true ? JET_bitDbReadOnly : 0)
    let result: Effect.Effect<boolean, JetError>
    if (
      attached.err === jetErrorCodes.JET_errFileNotFound
      && (options.ifMissing !== "fail" || options.overwrite === true)
    ) {
      const created = api.JetCreateDatabase2(
        sesid,
        options.path,
        0,
        options.overwrite === true ? JET_bitDbOverwriteExisting : 0
      )
      if (created.err >= 0) api.JetCloseDatabase(sesid, created.dbid, 0)
      result = Effect.as(check("JetCreateDatabase2", created, place), true)
    } else {
      result = Effect.map(
        check("JetAttachDatabase2", attached, place),
        (done) => done.err !== jetErrorCodes.JET_wrnDatabaseAttached
      )
    }
    api.JetEndSession(sesid, 0)
    return result
  })

const detachFile = (esent: EsentInstance, path: string): Effect.Effect<void> =>
  Effect.suspend(() => {
    const { api } = esent
    const begun = api.JetBeginSession(esent.instance, null, null)
    if (begun.err < 0) {
      return Effect.logError(`could not detach ${path}: JetBeginSession failed`).pipe(
        Effect.annotateLogs({ code: begun.err })
      )
    }
    const detached = api.JetDetachDatabase2(begun.sesid, path, 0)
    api.JetEndSession(begun.sesid, 0)
    return detached.err < 0
      ? Effect.logError(`JetDetachDatabase2 failed for ${path}`).pipe(
        Effect.annotateLogs({ code: detached.err })
      )
      : Effect.void
  })

/** Builds the service; see {@link EsentDatabase.layer}. */
export const make = (
  options: EsentDatabaseOptions
): Effect.Effect<EsentDatabaseService, EsentDatabaseLayerError, Esent | Scope.Scope> =>
  Effect.gen(function*() {
    const esent = yield* Esent
    const sessions = options.sessions ?? 4
    const maximum = yield* sessionMaximum(esent)
    if (sessions > maximum) return yield* Effect.fail(new SessionLimitError({ requested: sessions, maximum }))
    yield* Effect.acquireRelease(
      attachFile(esent, options),
      (attached) => attached ? detachFile(esent, options.path) : Effect.void
    )
    const layerScope = yield* Effect.scope
    const connections = new Set<Connection>()
    const bySession = new Map<Session.Session, Connection>()
    // A connection not borrowed right now; sessions are begun lazily, up to `sessions` of them.
    const idle: Array<Connection> = []
    const permits = makeLock(sessions)
    const connect = (scope: Scope.Closeable): Effect.Effect<Connection, EsentDatabaseError> =>
      Effect.gen(function*() {
        const session = yield* Session.begin
        const database = yield* Database.open(session, options.path, { readOnly: options.readOnly === true })
        // The kept cursors close before the database and the session: their scope is forked last.
        const cursorScope = yield* Scope.fork(scope)
        const connection: Connection = {
          session,
          database,
          cursors: new Map(),
          wanted: new Set(),
          cursorScope,
          scope,
          lease: 0
        }
        connections.add(connection)
        bySession.set(session, connection)
        yield* Effect.addFinalizer(() =>
          Effect.sync(() => {
            connections.delete(connection)
            bySession.delete(session)
          })
        )
        return connection
      }).pipe(
        Effect.provideService(Esent, esent),
        Scope.provide(scope),
        Effect.onError((cause) => Scope.close(scope, Exit.failCause(cause)))
      )
    /** An idle connection whose session is still open, or undefined when none is. */
    const idleConnection = (): Connection | undefined => {
      for (let ready = idle.pop(); ready !== undefined; ready = idle.pop()) {
        if (ready.session.node.open) return ready
        // A session ended behind the pool's back is dropped.
        connections.delete(ready)
        bySession.delete(ready.session)
        Effect.runFork(Scope.close(ready.scope, Exit.void))
      }
      return undefined
    }
    const take: Effect.Effect<Connection, EsentDatabaseError> = Effect.suspend(() => {
      const ready = idleConnection()
      return ready !== undefined ? Effect.succeed(ready) : Effect.flatMap(Scope.fork(layerScope), connect)
    })
    // Whatever transaction the borrower left open is rolled back before the connection is lent
    // again. The borrower held the connection alone, so this needs no lock; a connection that
    // cannot be brought back to no transaction is ended rather than lent again.
    const giveBack = (connection: Connection): Effect.Effect<void> => {
      connection.lease++
      const { session } = connection
      if (session.node.open) {
        const rolled = session.api.JetRollback(session.sesid, JET_bitRollbackAll).err
        if (rolled >= 0 || rolled === jetErrorCodes.JET_errNotInTransaction) {
          idle.push(connection)
          return Effect.void
        }
        return Effect.logWarning(
          `a pooled session could not be rolled back and is ended: ${jetErrorByValue(rolled)?.name ?? rolled}`
        ).pipe(Effect.andThen(Scope.close(connection.scope, Exit.void)))
      }
      return Scope.close(connection.scope, Exit.void)
    }
    // One borrow per operation outside a transaction: kept to few effect steps.
    const use = <A, E, R>(
      f: (connection: Connection) => Effect.Effect<A, E, R>
    ): Effect.Effect<A, E | EsentDatabaseError, R> =>
      Effect.uninterruptibleMask((restore) => {
        const lend = (connection: Connection) =>
          Effect.onExit(restore(f(connection)), () => {
            const back = giveBack(connection)
            release(permits)
            return back
          })
        const start = () => {
          const ready = idleConnection()
          return ready !== undefined
            ? lend(ready)
            : Effect.flatMap(Effect.onError(take, () => Effect.sync(() => release(permits))), lend)
        }
        // A free permit is taken at once; only a full pool makes the borrower wait.
        if (tryAcquire(permits)) return start()
        return Effect.andThen(restore(acquire(permits)), Effect.suspend(start))
      })
    const borrow = Effect.acquireRelease(
      Effect.andThen(acquire(permits), Effect.onError(take, () => Effect.sync(() => release(permits)))),
      (connection) =>
        Effect.andThen(Effect.suspend(() => giveBack(connection)), Effect.sync(() => release(permits)))
    )
    return {
      path: options.path,
      sessions,
      esent,
      borrow,
      use,
      connections,
      connectionOf: (session) => bySession.get(session)
    }
  })

/**
 * Runs `f` with the current fiber's connection to the database in the context, or with one borrowed
 * from the pool for as long as `f` runs (and put in the context for it, so that what `f` runs uses
 * the same session). `borrowed` tells `f` which: a connection borrowed for `f` is reachable by
 * nothing but `f`. A fiber inside a transaction of one of the pool's sessions holds that session's
 * connection. With `{ transaction: true }`, `f` begins a transaction on a borrowed connection
 * straight away, which is how what it runs finds the connection.
 */
export const withConnection = <A, E, R>(
  f: (connection: Connection, database: EsentDatabaseService, borrowed: boolean) => Effect.Effect<A, E, R>,
  options?: { readonly transaction: true }
): Effect.Effect<A, E | EsentDatabaseError, R | EsentDatabase> =>
  Effect.contextWith((context: Context.Context<EsentDatabase>) => {
    const database = Context.get(context, EsentDatabase)
    const connections = Context.get(context, CurrentConnections)
    const held = heldConnection(connections, database)
      ?? transactionConnection(Context.get(context, CurrentTransactions), database)
    if (held !== undefined) return f(held, database, false)
    // A transaction marks its session in the fiber itself: the connection needs no mark of its own.
    if (options?.transaction === true) return database.use((connection) => f(connection, database, true))
    return database.use((connection) => {
      const lease = { connection, lease: connection.lease }
      return Effect.provideService(
        f(connection, database, true),
        CurrentConnections,
        connections.size === 0 ? new Map([[database, lease]]) : new Map(connections).set(database, lease)
      )
    })
  })

/**
 * The connection of `database` the fiber holds: the one it was lent, or the one whose open
 * transaction it is inside.
 */
export const currentConnection = (
  context: Context.Context<never>,
  database: EsentDatabaseService
): Connection | undefined =>
  heldConnection(Context.get(context, CurrentConnections), database)
    ?? transactionConnection(Context.get(context, CurrentTransactions), database)

/** The connection of `database` whose open transaction the fiber is inside, if any. */
const transactionConnection = (
  transactions: ReadonlyMap<Session.Session, number>,
  database: EsentDatabaseService
): Connection | undefined => {
  if (transactions.size === 0) return undefined
  for (const session of transactions.keys()) {
    const connection = database.connectionOf(session)
    if (connection !== undefined && inTransaction(transactions, session)) return connection
  }
  return undefined
}

/**
 * Runs `effect` holding one connection throughout, like `SqlClient`'s `reserve`: every operation
 * inside uses the same session, transaction or not. Useful for a cursor kept across several
 * transactions.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { EsentDatabase } from "effect-esent"
 *
 * declare const work: Effect.Effect<void, never, EsentDatabase>
 * const pinned = EsentDatabase.withSession(work)
 * ```
 */
export const withSession = <A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, E | EsentDatabaseError, R | EsentDatabase> => withConnection(() => effect)

/** Closes every cursor a connection keeps, so that their table can be deleted or changed. */
export const forgetCursors = (connection: Connection): Effect.Effect<void> =>
  Effect.suspend(() => {
    connection.cursors.clear()
    const closing = connection.cursorScope
    return Effect.andThen(
      Scope.close(closing, Exit.void),
      Effect.map(Scope.fork(connection.scope), (fresh) => {
        connection.cursorScope = fresh
      })
    )
  })

/**
 * Runs `f` with a cursor on `table` on the connection: the one it keeps, or a new one. A cursor
 * opened outside any transaction is kept for later operations; inside a transaction one is opened
 * for `f` only (a rollback would close it), and the table is remembered so that the next outermost
 * transaction opens and keeps one first.
 */
export const withCursor = <A, E>(
  connection: Connection,
  table: string,
  f: (cursor: Cursor.Cursor) => Effect.Effect<A, E>
): Effect.Effect<A, E | HandleError> => {
  const kept = connection.cursors.get(table) as Cursor.Cursor | undefined
  if (kept !== undefined && kept.node.open) return f(kept)
  return Effect.flatMap(Effect.service(CurrentTransactions), (transactions) => {
    if (inTransaction(transactions, connection.session)) {
      connection.wanted.add(table)
      return Effect.scoped(Effect.flatMap(Cursor.openOn(connection.database, table), f))
    }
    return Effect.flatMap(keepCursor(connection, table), f)
  })
}

/**
 * {@link withCursor}, with the cursor on `index` (`null`: the clustered index) for `f`: a kept
 * cursor left on another index by an earlier operation is moved to it first.
 */
export const withCursorOnIndex = <A, E>(
  connection: Connection,
  table: string,
  index: string | null,
  f: (cursor: Cursor.Cursor) => Effect.Effect<A, E>
): Effect.Effect<A, E | Cursor.CursorError> =>
  withCursor(
    connection,
    table,
    (cursor) =>
      cursor.currentIndex === index || (index === null && cursor.currentIndex === "")
        ? f(cursor)
        : Effect.flatMap(Cursor.setIndex(cursor, index), f)
  )

const keepCursor = (
  connection: Connection,
  table: string
): Effect.Effect<Cursor.Cursor, HandleError> =>
  Effect.tap(
    Scope.provide(Cursor.openOn(connection.database, table), connection.cursorScope),
    (cursor) => Effect.sync(() => connection.cursors.set(table, cursor))
  )

/**
 * Before an outermost transaction, opens and keeps a cursor on each table the connection used
 * inside earlier transactions. A table that cannot be opened (deleted meanwhile) is skipped.
 */
export const keepWantedCursors = (connection: Connection): Effect.Effect<void> =>
  Effect.flatMap(
    Effect.service(CurrentTransactions),
    (transactions) =>
      inTransaction(transactions, connection.session) || connection.wanted.size === 0
        ? Effect.void
        : Effect.suspend(() => {
          const tables = [...connection.wanted]
          connection.wanted.clear()
          return Effect.forEach(
            tables,
            (table) =>
              connection.cursors.has(table) ? Effect.void : Effect.ignore(keepCursor(connection, table)),
            { discard: true }
          )
        })
  )
