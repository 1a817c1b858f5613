/**
 * `JetApi`: the JET C API at C level, one method per C function, implemented by the native binding
 * (koffi over esent.dll) and by the in-memory engine. No exceptions and no Effect: every method
 * returns the raw `JET_ERR` in `err` (negative: error, positive: warning, 0: success) together with
 * its outputs. Outputs are meaningful only when `err >= 0`.
 *
 * Conventions, the same in both engines:
 * - Strings are JavaScript strings; the native binding passes them as UTF-16 (`W` entry points).
 * - Caller buffers are `Uint8Array`s with an explicit byte count, as in C. A count larger than the
 *   buffer is refused with `JET_errInvalidParameter` before anything runs.
 * - Pointer arrays of structs are JavaScript arrays; their C counts are taken from the array length.
 *
 * @module
 */
import type { JET_COLUMNID, JET_DBID, JET_INSTANCE, JET_SESID, JET_TABLEID } from "./handles.ts"

/** The raw result of a JET call: the `JET_ERR` it returned. */
export interface JetResult {
  /** The `JET_ERR`: 0 on success, negative for an error, positive for a warning. */
  readonly err: number
}

/** A JET call's result together with its outputs. */
export type JetOutput<A> = JetResult & A

/** `JET_COLUMNDEF` as an input (`cbStruct` is filled in by the binding). */
export interface JetColumnDef {
  readonly columnid?: number
  readonly coltyp: number
  readonly wCountry?: number
  readonly langid?: number
  readonly cp?: number
  readonly wCollate?: number
  readonly cbMax?: number
  readonly grbit?: number
}

/** `JET_COLUMNDEF` as returned by an info call. */
export interface JetColumnDefInfo {
  readonly columnid: JET_COLUMNID
  readonly coltyp: number
  readonly wCountry: number
  readonly langid: number
  readonly cp: number
  readonly wCollate: number
  readonly cbMax: number
  readonly grbit: number
}

/** `JET_COLUMNCREATE` of a table creation. */
export interface JetColumnCreate {
  readonly szColumnName: string
  readonly coltyp: number
  readonly cbMax?: number
  readonly grbit?: number
  /** The default value's bytes, or `null` for no default. */
  readonly pvDefault?: Uint8Array | null
  /** The default value's length in bytes; at most `pvDefault.byteLength`. */
  readonly cbDefault?: number
  readonly cp?: number
}

/** `JET_UNICODEINDEX`: the locale and `LCMapString` flags of a Unicode index. */
export interface JetUnicodeIndex {
  readonly lcid: number
  readonly dwMapFlags: number
}

/** `JET_TUPLELIMITS` of a tuple index. */
export interface JetTupleLimits {
  readonly chLengthMin: number
  readonly chLengthMax: number
  readonly chToIndexMax: number
  readonly cchIncrement: number
  readonly ichStart: number
}

/** `JET_CONDITIONALCOLUMN`: an index includes only records where the column is (not) NULL. */
export interface JetConditionalColumn {
  readonly szColumnName: string
  readonly grbit: number
}

/** `JET_INDEXCREATE` of an index or table creation. */
export interface JetIndexCreate {
  readonly szIndexName: string
  /**
   * The key description: each segment `+name` or `-name` followed by a NUL, the whole ended by an
   * extra NUL, e.g. `"+id\0-date\0\0"`.
   */
  readonly szKey: string
  /** The length of `szKey` in bytes of UTF-16, both terminating NULs included. */
  readonly cbKey: number
  readonly grbit?: number
  readonly ulDensity?: number
  readonly pidxunicode?: JetUnicodeIndex | null
  readonly ptuplelimits?: JetTupleLimits | null
  readonly rgconditionalcolumn?: ReadonlyArray<JetConditionalColumn>
  readonly cbKeyMost?: number
}

/** `JET_TABLECREATE2` of `JetCreateTableColumnIndex2`. */
export interface JetTableCreate {
  readonly szTableName: string
  readonly szTemplateTableName?: string | null
  readonly ulPages?: number
  readonly ulDensity?: number
  readonly rgcolumncreate: ReadonlyArray<JetColumnCreate>
  readonly rgindexcreate: ReadonlyArray<JetIndexCreate>
  readonly szCallback?: string | null
  readonly cbtyp?: number
  readonly grbit?: number
}

/** What `JetCreateTableColumnIndex2` writes back into its structs. */
export interface JetTableCreated {
  /** An open cursor on the new table (close it with JetCloseTable). */
  readonly tableid: JET_TABLEID
  /** How many objects were created: the table, then each column and index. */
  readonly cCreated: number
  /** `JET_COLUMNCREATE.columnid` of each column, in order. */
  readonly columnids: ReadonlyArray<JET_COLUMNID>
  /** `JET_COLUMNCREATE.err` of each column, in order. */
  readonly columnErrs: ReadonlyArray<number>
  /** `JET_INDEXCREATE.err` of each index, in order. */
  readonly indexErrs: ReadonlyArray<number>
}

/** `JET_RECPOS`: an approximate position of the cursor within its index. */
export interface JetRecPos {
  readonly centriesLT: number
  readonly centriesInRange: number
  readonly centriesTotal: number
}

/** `JET_SETINFO`: where a value goes within a long value or a multi-valued column. */
export interface JetSetInfo {
  readonly ibLongValue: number
  readonly itagSequence: number
}

/** `JET_RETINFO`: which value of a long value or multi-valued column to read. */
export interface JetRetInfo {
  readonly ibLongValue: number
  readonly itagSequence: number
}

/** `JET_SETCOLUMN`: one column of a `JetSetColumns` call. */
export interface JetSetColumn {
  readonly columnid: JET_COLUMNID
  readonly pvData: Uint8Array | null
  readonly cbData: number
  readonly grbit?: number
  readonly ibLongValue?: number
  readonly itagSequence?: number
}

/** `JET_RETRIEVECOLUMN`: one column of a `JetRetrieveColumns` call; `pvData` is filled in place. */
export interface JetRetrieveColumn {
  readonly columnid: JET_COLUMNID
  readonly pvData: Uint8Array | null
  readonly cbData: number
  readonly grbit?: number
  readonly ibLongValue?: number
  readonly itagSequence?: number
}

/** What `JetRetrieveColumns` writes back for each column. */
export interface JetRetrieveColumnResult {
  readonly err: number
  readonly cbActual: number
  readonly columnidNextTagged: JET_COLUMNID
}

/** `JET_ENUMCOLUMNID`: a column to enumerate, optionally only some of its values. */
export interface JetEnumColumnId {
  readonly columnid: JET_COLUMNID
  /** 1-based itags to return; empty for all values. */
  readonly rgtagSequence?: ReadonlyArray<number>
}

/** One value of an enumerated column (`JET_ENUMCOLUMNVALUE`), its bytes copied out. */
export interface JetEnumColumnValue {
  readonly itagSequence: number
  readonly err: number
  readonly data: Uint8Array
}

/** One enumerated column (`JET_ENUMCOLUMN`), its values copied out. */
export interface JetEnumColumn {
  readonly columnid: JET_COLUMNID
  readonly err: number
  readonly values: ReadonlyArray<JetEnumColumnValue>
}

/** `JET_OPENTEMPORARYTABLE` of `JetOpenTemporaryTable`. */
export interface JetOpenTemporaryTable {
  readonly prgcolumndef: ReadonlyArray<JetColumnDef>
  readonly pidxunicode?: JetUnicodeIndex | null
  readonly grbit?: number
  readonly cbKeyMost?: number
  readonly cbVarSegMac?: number
}

/**
 * The calls that can take long (recovery, termination, database files, backup, restore,
 * compaction, defragmentation, waiting for lazy commits to reach the log), in a form that runs
 * off the JavaScript thread and resolves with the same result as the synchronous method. An engine
 * whose calls are all quick (the in-memory one) has none; the native engine runs them on koffi's
 * worker threads.
 *
 * ESENT's thread rules stay with the caller: outside a transaction a session may move between
 * threads one call at a time, so a method taking a session must be called with no transaction open
 * on it, no session context set, and no other call on the session until the promise settles. A
 * transaction never spans threads, which is why `JetCommitTransaction` is here only for waiting on
 * lazy commits (`JET_bitWaitLastLevel0Commit` or `JET_bitWaitAllLevel0Commit`, outside a
 * transaction). The promise resolves with the `JET_ERR` like the synchronous method; it rejects
 * only when the call could not be made at all.
 *
 * @example
 * ```ts
 * const { err } = api.async === undefined
 *   ? api.JetInit3(instance, 0)
 *   : await api.async.JetInit3(instance, 0)
 * ```
 */
export interface JetApiAsync {
  /** {@link JetApi.JetInit3} off the JavaScript thread. */
  JetInit3(instance: JET_INSTANCE, grbit: number): Promise<JetOutput<{ readonly instance: JET_INSTANCE }>>
  /** {@link JetApi.JetTerm2} off the JavaScript thread. */
  JetTerm2(instance: JET_INSTANCE, grbit: number): Promise<JetResult>
  /** {@link JetApi.JetCreateDatabase2} off the JavaScript thread; no transaction open on `sesid`. */
  JetCreateDatabase2(
    sesid: JET_SESID,
    filename: string,
    cpgDatabaseSizeMax: number,
    grbit: number
  ): Promise<JetOutput<{ readonly dbid: JET_DBID }>>
  /** {@link JetApi.JetAttachDatabase2} off the JavaScript thread; no transaction open on `sesid`. */
  JetAttachDatabase2(
    sesid: JET_SESID,
    filename: string,
    cpgDatabaseSizeMax: number,
    grbit: number
  ): Promise<JetResult>
  /** {@link JetApi.JetBackupInstance} off the JavaScript thread. */
  JetBackupInstance(instance: JET_INSTANCE, backupPath: string, grbit: number): Promise<JetResult>
  /** {@link JetApi.JetRestoreInstance} off the JavaScript thread. */
  JetRestoreInstance(instance: JET_INSTANCE, source: string, destination: string | null): Promise<JetResult>
  /** {@link JetApi.JetCompact} off the JavaScript thread; no transaction open on `sesid`. */
  JetCompact(sesid: JET_SESID, source: string, destination: string, grbit: number): Promise<JetResult>
  /** {@link JetApi.JetDefragment2} off the JavaScript thread; no transaction open on `sesid`. */
  JetDefragment2(
    sesid: JET_SESID,
    dbid: JET_DBID,
    tableName: string | null,
    passes: number,
    seconds: number,
    grbit: number
  ): Promise<JetOutput<{ readonly passes: number; readonly seconds: number }>>
  /**
   * {@link JetApi.JetCommitTransaction} off the JavaScript thread, for waiting on lazy commits
   * only: call it outside a transaction with a `JET_bitWait*Level0Commit` grbit.
   */
  JetCommitTransaction(sesid: JET_SESID, grbit: number): Promise<JetResult>
}

/** The method names of {@link JetApiAsync}: each has a synchronous twin of the same name in {@link JetApi}. */
export type JetAsyncMethod = keyof JetApiAsync

/**
 * The JET C API, one method per C function. See the module documentation for the conventions.
 *
 * @example
 * ```ts
 * const { err, sesid } = api.JetBeginSession(instance, null, null)
 * if (err < 0) throw new Error(`JetBeginSession failed: ${err}`)
 * api.JetEndSession(sesid, 0)
 * ```
 */
export interface JetApi {
  // Instance

  /** `JetCreateInstance2W`: allocates a new instance (not initialized yet). */
  JetCreateInstance2(
    instanceName: string,
    displayName: string | null,
    grbit: number
  ): JetOutput<{ readonly instance: JET_INSTANCE }>
  /** `JetInit3W`: initializes the instance, running crash recovery. No restore info is passed. */
  JetInit3(instance: JET_INSTANCE, grbit: number): JetOutput<{ readonly instance: JET_INSTANCE }>
  /** `JetTerm`: terminates the instance (same as `JetTerm2` with `JET_bitTermAbrupt`). */
  JetTerm(instance: JET_INSTANCE): JetResult
  /** `JetTerm2`: terminates the instance with the given `JET_bitTerm*` grbits. */
  JetTerm2(instance: JET_INSTANCE, grbit: number): JetResult
  /**
   * `JetSetSystemParameterW`: sets a parameter of an instance (or the process defaults when
   * `instance` is `null`). Numbers and booleans go in `lParam`, strings in `szParam`.
   */
  JetSetSystemParameter(
    instance: JET_INSTANCE | null,
    sesid: JET_SESID,
    paramid: number,
    lParam: bigint,
    szParam: string | null
  ): JetResult
  /**
   * `JetGetSystemParameterW`: reads a parameter; a string parameter is written into `szParam` as
   * UTF-16 of at most `cbMax` bytes (NUL included).
   */
  JetGetSystemParameter(
    instance: JET_INSTANCE,
    sesid: JET_SESID,
    paramid: number,
    szParam: Uint8Array | null,
    cbMax: number
  ): JetOutput<{ readonly lParam: bigint }>
  /** `JetGetVersion`: the engine's version number. */
  JetGetVersion(sesid: JET_SESID): JetOutput<{ readonly version: number }>
  /** `JetStopServiceInstance`: prepares the instance for termination; later calls fail. */
  JetStopServiceInstance(instance: JET_INSTANCE): JetResult

  // Sessions

  /** `JetBeginSessionW`: begins a session (user name and password are ignored by ESENT). */
  JetBeginSession(
    instance: JET_INSTANCE,
    userName: string | null,
    password: string | null
  ): JetOutput<{ readonly sesid: JET_SESID }>
  /** `JetEndSession`: rolls back, closes the session's databases and cursors, and frees it. */
  JetEndSession(sesid: JET_SESID, grbit: number): JetResult
  /** `JetDupSession`: begins a new, independent session on the same instance. */
  JetDupSession(sesid: JET_SESID): JetOutput<{ readonly sesid: JET_SESID }>
  /** `JetSetSessionContext`: binds the session to a context (not 0 or -1) instead of a thread. */
  JetSetSessionContext(sesid: JET_SESID, context: bigint): JetResult
  /** `JetResetSessionContext`: removes the session's context. */
  JetResetSessionContext(sesid: JET_SESID): JetResult

  // Databases

  /** `JetCreateDatabase2W`: creates, attaches and opens a database file. */
  JetCreateDatabase2(
    sesid: JET_SESID,
    filename: string,
    cpgDatabaseSizeMax: number,
    grbit: number
  ): JetOutput<{ readonly dbid: JET_DBID }>
  /** `JetAttachDatabase2W`: attaches a database file to the instance. */
  JetAttachDatabase2(sesid: JET_SESID, filename: string, cpgDatabaseSizeMax: number, grbit: number): JetResult
  /** `JetDetachDatabase2W`: detaches a database (`null`: all of them). */
  JetDetachDatabase2(sesid: JET_SESID, filename: string | null, grbit: number): JetResult
  /** `JetOpenDatabaseW`: opens an attached database for this session. */
  JetOpenDatabase(
    sesid: JET_SESID,
    filename: string,
    connect: string | null,
    grbit: number
  ): JetOutput<{ readonly dbid: JET_DBID }>
  /** `JetCloseDatabase`: closes the session's open database. */
  JetCloseDatabase(sesid: JET_SESID, dbid: JET_DBID, grbit: number): JetResult
  /** `JetGetDatabaseInfoW`: writes the requested `JET_DbInfo*` level into the caller's buffer. */
  JetGetDatabaseInfo(
    sesid: JET_SESID,
    dbid: JET_DBID,
    pvResult: Uint8Array,
    cbMax: number,
    infoLevel: number
  ): JetResult

  // DDL

  /** `JetCreateTableColumnIndex2W`: creates a table with its columns and indexes, and opens it. */
  JetCreateTableColumnIndex2(
    sesid: JET_SESID,
    dbid: JET_DBID,
    tablecreate: JetTableCreate
  ): JetOutput<JetTableCreated>
  /** `JetDeleteTableW` */
  JetDeleteTable(sesid: JET_SESID, dbid: JET_DBID, tableName: string): JetResult
  /** `JetRenameTableW` */
  JetRenameTable(sesid: JET_SESID, dbid: JET_DBID, name: string, newName: string): JetResult
  /** `JetAddColumnW`: adds a column; `pvDefault` holds its default value, if any. */
  JetAddColumn(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    columnName: string,
    columndef: JetColumnDef,
    pvDefault: Uint8Array | null,
    cbDefault: number
  ): JetOutput<{ readonly columnid: JET_COLUMNID }>
  /** `JetDeleteColumn2W` */
  JetDeleteColumn2(sesid: JET_SESID, tableid: JET_TABLEID, columnName: string, grbit: number): JetResult
  /** `JetRenameColumnW` */
  JetRenameColumn(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    name: string,
    newName: string,
    grbit: number
  ): JetResult
  /** `JetSetColumnDefaultValueW` */
  JetSetColumnDefaultValue(
    sesid: JET_SESID,
    dbid: JET_DBID,
    tableName: string,
    columnName: string,
    pvData: Uint8Array | null,
    cbData: number,
    grbit: number
  ): JetResult
  /** `JetCreateIndex2W`: creates indexes; `indexErrs` holds each `JET_INDEXCREATE.err`. */
  JetCreateIndex2(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    indexcreate: ReadonlyArray<JetIndexCreate>
  ): JetOutput<{ readonly indexErrs: ReadonlyArray<number> }>
  /** `JetDeleteIndexW` */
  JetDeleteIndex(sesid: JET_SESID, tableid: JET_TABLEID, indexName: string): JetResult

  // Schema information (results are C structs or scalars written into the caller's buffer)

  /** `JetGetTableInfoW` */
  JetGetTableInfo(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    pvResult: Uint8Array,
    cbMax: number,
    infoLevel: number
  ): JetResult
  /**
   * `JetGetTableColumnInfoW`. For the `*ByColid` levels, pass `columnid` instead of a name; the
   * binding passes it the way ESENT expects (as the name pointer's target).
   */
  JetGetTableColumnInfo(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    column: string | JET_COLUMNID | null,
    pvResult: Uint8Array,
    cbMax: number,
    infoLevel: number
  ): JetResult
  /** `JetGetColumnInfoW` */
  JetGetColumnInfo(
    sesid: JET_SESID,
    dbid: JET_DBID,
    tableName: string,
    column: string | JET_COLUMNID | null,
    pvResult: Uint8Array,
    cbMax: number,
    infoLevel: number
  ): JetResult
  /** `JetGetTableIndexInfoW` */
  JetGetTableIndexInfo(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    indexName: string | null,
    pvResult: Uint8Array,
    cbResult: number,
    infoLevel: number
  ): JetResult
  /** `JetGetIndexInfoW` */
  JetGetIndexInfo(
    sesid: JET_SESID,
    dbid: JET_DBID,
    tableName: string,
    indexName: string | null,
    pvResult: Uint8Array,
    cbResult: number,
    infoLevel: number
  ): JetResult
  /** `JetGetObjectInfoW` */
  JetGetObjectInfo(
    sesid: JET_SESID,
    dbid: JET_DBID,
    objtyp: number,
    containerName: string | null,
    objectName: string | null,
    pvResult: Uint8Array,
    cbMax: number,
    infoLevel: number
  ): JetResult

  // Cursors

  /** `JetOpenTableW`: opens a cursor on a table. */
  JetOpenTable(
    sesid: JET_SESID,
    dbid: JET_DBID,
    tableName: string,
    grbit: number
  ): JetOutput<{ readonly tableid: JET_TABLEID }>
  /** `JetCloseTable` */
  JetCloseTable(sesid: JET_SESID, tableid: JET_TABLEID): JetResult
  /** `JetDupCursor`: a new cursor on the same table, on the clustered index, before the first row. */
  JetDupCursor(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    grbit: number
  ): JetOutput<{ readonly tableid: JET_TABLEID }>
  /** `JetOpenTempTable3`: a temporary table; `columnids` in the order of `columndefs`. */
  JetOpenTempTable3(
    sesid: JET_SESID,
    columndefs: ReadonlyArray<JetColumnDef>,
    idxunicode: JetUnicodeIndex | null,
    grbit: number
  ): JetOutput<{ readonly tableid: JET_TABLEID; readonly columnids: ReadonlyArray<JET_COLUMNID> }>
  /** `JetOpenTemporaryTable` */
  JetOpenTemporaryTable(
    sesid: JET_SESID,
    opentemporarytable: JetOpenTemporaryTable
  ): JetOutput<{ readonly tableid: JET_TABLEID; readonly columnids: ReadonlyArray<JET_COLUMNID> }>
  /** `JetMove`: `cRow` is `JET_MoveFirst`, `JET_MoveLast`, or a signed count of entries. */
  JetMove(sesid: JET_SESID, tableid: JET_TABLEID, cRow: number, grbit: number): JetResult
  /** `JetMakeKey`: adds a key segment from `cbData` bytes of `pvData` (`null`/0: a NULL segment). */
  JetMakeKey(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    pvData: Uint8Array | null,
    cbData: number,
    grbit: number
  ): JetResult
  /** `JetSeek` */
  JetSeek(sesid: JET_SESID, tableid: JET_TABLEID, grbit: number): JetResult
  /** `JetSetIndexRange` */
  JetSetIndexRange(sesid: JET_SESID, tableid: JET_TABLEID, grbit: number): JetResult
  /** `JetSetCurrentIndex4W`: `null` selects the clustered index. */
  JetSetCurrentIndex4(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    indexName: string | null,
    grbit: number,
    itagSequence: number
  ): JetResult
  /**
   * `JetGetCurrentIndexW`: writes the current index's name into `szIndexName` as NUL-terminated
   * UTF-16. `cbIndexName` is the buffer's size in bytes: the Windows SDK names it `cbIndexName` for
   * the `W` entry point, while mingw-w64 and the A-version docs say `cch` (characters, equal to bytes
   * for ASCII).
   */
  JetGetCurrentIndex(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szIndexName: Uint8Array,
    cbIndexName: number
  ): JetResult
  /** `JetGetBookmark`: writes the current record's bookmark; `cbActual` is its full size. */
  JetGetBookmark(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    pvBookmark: Uint8Array | null,
    cbMax: number
  ): JetOutput<{ readonly cbActual: number }>
  /** `JetGotoBookmark` */
  JetGotoBookmark(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    pvBookmark: Uint8Array,
    cbBookmark: number
  ): JetResult
  /** `JetGetRecordPosition` */
  JetGetRecordPosition(sesid: JET_SESID, tableid: JET_TABLEID): JetOutput<{ readonly recpos: JetRecPos }>
  /** `JetGotoPosition`: moves to about `centriesLT / centriesTotal` of the index. */
  JetGotoPosition(sesid: JET_SESID, tableid: JET_TABLEID, recpos: JetRecPos): JetResult
  /** `JetIndexRecordCount`: counts entries from the cursor to the end of the range, at most `crecMax` (0: no limit). */
  JetIndexRecordCount(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    crecMax: number
  ): JetOutput<{ readonly count: number }>
  /** `JetRetrieveKey`: writes the current entry's normalized key (or the search key with `JET_bitRetrieveCopy`). */
  JetRetrieveKey(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    pvData: Uint8Array | null,
    cbMax: number,
    grbit: number
  ): JetOutput<{ readonly cbActual: number }>
  /** `JetGetLock` */
  JetGetLock(sesid: JET_SESID, tableid: JET_TABLEID, grbit: number): JetResult

  // Updates

  /** `JetPrepareUpdate`: `prep` is one of the `JET_prep*` modes. */
  JetPrepareUpdate(sesid: JET_SESID, tableid: JET_TABLEID, prep: number): JetResult
  /** `JetSetColumn`: sets `cbData` bytes of `pvData` into the prepared record. */
  JetSetColumn(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    columnid: JET_COLUMNID,
    pvData: Uint8Array | null,
    cbData: number,
    grbit: number,
    setinfo: JetSetInfo | null
  ): JetResult
  /** `JetSetColumns`: `errs` holds each `JET_SETCOLUMN.err`. */
  JetSetColumns(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    setcolumns: ReadonlyArray<JetSetColumn>
  ): JetOutput<{ readonly errs: ReadonlyArray<number> }>
  /**
   * `JetRetrieveColumn`: copies at most `cbData` bytes of the value into `pvData` and reports the
   * full size in `cbActual` (`JET_wrnBufferTruncated` when it did not fit, `JET_wrnColumnNull`
   * and 0 for NULL).
   */
  JetRetrieveColumn(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    columnid: JET_COLUMNID,
    pvData: Uint8Array | null,
    cbData: number,
    grbit: number,
    retinfo: JetRetInfo | null
  ): JetOutput<{ readonly cbActual: number; readonly columnidNextTagged: JET_COLUMNID }>
  /** `JetRetrieveColumns`: fills each column's buffer in place; `columns` holds what each got. */
  JetRetrieveColumns(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    retrievecolumns: ReadonlyArray<JetRetrieveColumn>
  ): JetOutput<{ readonly columns: ReadonlyArray<JetRetrieveColumnResult> }>
  /** `JetEnumerateColumns`: every (or the listed) non-NULL column value of the current record. */
  JetEnumerateColumns(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    columnids: ReadonlyArray<JetEnumColumnId> | null,
    cbDataMost: number,
    grbit: number
  ): JetOutput<{ readonly columns: ReadonlyArray<JetEnumColumn> }>
  /** `JetUpdate`: writes the prepared record; the new record's bookmark goes into `pvBookmark`. */
  JetUpdate(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    pvBookmark: Uint8Array | null,
    cbBookmark: number
  ): JetOutput<{ readonly cbActual: number }>
  /** `JetDelete`: deletes the current record. */
  JetDelete(sesid: JET_SESID, tableid: JET_TABLEID): JetResult
  /** `JetEscrowUpdate`: adds a 4- or 8-byte delta to an escrow column; the old value goes to `pvOld`. */
  JetEscrowUpdate(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    columnid: JET_COLUMNID,
    pv: Uint8Array,
    cbMax: number,
    pvOld: Uint8Array | null,
    cbOldMax: number,
    grbit: number
  ): JetOutput<{ readonly cbOldActual: number }>

  // Transactions

  /** `JetBeginTransaction`: opens the next transaction level (at most 7). */
  JetBeginTransaction(sesid: JET_SESID): JetResult
  /** `JetBeginTransaction2`: as `JetBeginTransaction`, with `JET_bitTransactionReadOnly`. */
  JetBeginTransaction2(sesid: JET_SESID, grbit: number): JetResult
  /** `JetCommitTransaction` */
  JetCommitTransaction(sesid: JET_SESID, grbit: number): JetResult
  /** `JetRollback` */
  JetRollback(sesid: JET_SESID, grbit: number): JetResult

  // Maintenance

  /** `JetBackupInstanceW` (no status callback). */
  JetBackupInstance(instance: JET_INSTANCE, backupPath: string, grbit: number): JetResult
  /** `JetRestoreInstanceW` (no status callback). */
  JetRestoreInstance(instance: JET_INSTANCE, source: string, destination: string | null): JetResult
  /** `JetCompactW` (no status callback, no conversion). */
  JetCompact(sesid: JET_SESID, source: string, destination: string, grbit: number): JetResult
  /** `JetDefragment2W`: `passes`/`seconds` are in-out limits; no completion callback. */
  JetDefragment2(
    sesid: JET_SESID,
    dbid: JET_DBID,
    tableName: string | null,
    passes: number,
    seconds: number,
    grbit: number
  ): JetOutput<{ readonly passes: number; readonly seconds: number }>
  /** `JetFreeBuffer`: frees a buffer the engine allocated. Buffers never reach JavaScript, so this is a no-op for `null`. */
  JetFreeBuffer(buffer: null): JetResult

  /**
   * The long calls off the JavaScript thread, when the engine can run them there (see
   * {@link JetApiAsync}); absent when every call of the engine is quick.
   */
  readonly async?: JetApiAsync
}

/** The method names of {@link JetApi}, one per C function. */
export type JetApiMethod = Exclude<keyof JetApi, "async">

/**
 * The JetApi method that binds a C export of the function table: the export's name without the `W`
 * suffix of UTF-16 entry points (no non-wide JET export ends in `W`).
 */
export const methodNameOf = (cName: string): JetApiMethod =>
  (cName.endsWith("W") ? cName.slice(0, -1) : cName) as JetApiMethod
