/**
 * The JET functions this library binds, one row per C export, with each parameter's C type as esent.h
 * spells it. This table is the single source of truth for the koffi declarations (`src/native`), the
 * prototypes the ABI check compiles against the Windows header, and the test library that exports
 * the same ABI on Linux.
 *
 * @module
 */

/**
 * How a pointer parameter is used: `in` is read by the callee, `out` is written by it, `inout` both.
 * Scalars are always `in`.
 */
export type ParamDirection = "in" | "out" | "inout"

/** One parameter: its name in esent.h, its C type, and for pointers how the callee uses it. */
export type JetParam = readonly [name: string, c: string, direction?: ParamDirection]

/** One exported C function. Every JET function returns `JET_ERR`. */
export interface JetFunction {
  /** The exported symbol, e.g. `JetBeginSessionW`. */
  readonly name: string
  readonly params: ReadonlyArray<JetParam>
}

const fn = (name: string, ...params: ReadonlyArray<JetParam>): JetFunction => ({ name, params })

/** Every bound JET function, in the order of the JetApi interface. */
export const jetFunctions: ReadonlyArray<JetFunction> = [
  // Instance
  fn(
    "JetCreateInstance2W",
    ["pinstance", "JET_INSTANCE*", "out"],
    ["szInstanceName", "const WCHAR*"],
    ["szDisplayName", "const WCHAR*"],
    ["grbit", "JET_GRBIT"]
  ),
  fn("JetInit3W", ["pinstance", "JET_INSTANCE*", "inout"], ["prstInfo", "JET_RSTINFO_W*"], [
    "grbit",
    "JET_GRBIT"
  ]),
  fn("JetTerm", ["instance", "JET_INSTANCE"]),
  fn("JetTerm2", ["instance", "JET_INSTANCE"], ["grbit", "JET_GRBIT"]),
  fn(
    "JetSetSystemParameterW",
    ["pinstance", "JET_INSTANCE*", "in"],
    ["sesid", "JET_SESID"],
    ["paramid", "unsigned long"],
    ["lParam", "JET_API_PTR"],
    ["szParam", "JET_PCWSTR"]
  ),
  fn(
    "JetGetSystemParameterW",
    ["instance", "JET_INSTANCE"],
    ["sesid", "JET_SESID"],
    ["paramid", "unsigned long"],
    ["plParam", "JET_API_PTR*", "out"],
    ["szParam", "JET_PWSTR", "out"],
    ["cbMax", "unsigned long"]
  ),
  fn("JetGetVersion", ["sesid", "JET_SESID"], ["pwVersion", "unsigned long*", "out"]),
  fn("JetStopServiceInstance", ["instance", "JET_INSTANCE"]),
  // Sessions
  fn(
    "JetBeginSessionW",
    ["instance", "JET_INSTANCE"],
    ["psesid", "JET_SESID*", "out"],
    ["szUserName", "JET_PCWSTR"],
    ["szPassword", "JET_PCWSTR"]
  ),
  fn("JetEndSession", ["sesid", "JET_SESID"], ["grbit", "JET_GRBIT"]),
  fn("JetDupSession", ["sesid", "JET_SESID"], ["psesid", "JET_SESID*", "out"]),
  fn("JetSetSessionContext", ["sesid", "JET_SESID"], ["ulContext", "JET_API_PTR"]),
  fn("JetResetSessionContext", ["sesid", "JET_SESID"]),
  // Databases
  fn(
    "JetCreateDatabase2W",
    ["sesid", "JET_SESID"],
    ["szFilename", "const WCHAR*"],
    ["cpgDatabaseSizeMax", "unsigned long"],
    ["pdbid", "JET_DBID*", "out"],
    ["grbit", "JET_GRBIT"]
  ),
  fn(
    "JetAttachDatabase2W",
    ["sesid", "JET_SESID"],
    ["szFilename", "const WCHAR*"],
    ["cpgDatabaseSizeMax", "unsigned long"],
    ["grbit", "JET_GRBIT"]
  ),
  fn("JetDetachDatabase2W", ["sesid", "JET_SESID"], ["szFilename", "const WCHAR*"], ["grbit", "JET_GRBIT"]),
  fn(
    "JetOpenDatabaseW",
    ["sesid", "JET_SESID"],
    ["szFilename", "const WCHAR*"],
    ["szConnect", "const WCHAR*"],
    ["pdbid", "JET_DBID*", "out"],
    ["grbit", "JET_GRBIT"]
  ),
  fn("JetCloseDatabase", ["sesid", "JET_SESID"], ["dbid", "JET_DBID"], ["grbit", "JET_GRBIT"]),
  fn(
    "JetGetDatabaseInfoW",
    ["sesid", "JET_SESID"],
    ["dbid", "JET_DBID"],
    ["pvResult", "void*", "out"],
    ["cbMax", "unsigned long"],
    ["InfoLevel", "unsigned long"]
  ),
  // DDL
  fn(
    "JetCreateTableColumnIndex2W",
    ["sesid", "JET_SESID"],
    ["dbid", "JET_DBID"],
    ["ptablecreate", "JET_TABLECREATE2_W*", "inout"]
  ),
  fn("JetDeleteTableW", ["sesid", "JET_SESID"], ["dbid", "JET_DBID"], ["szTableName", "const WCHAR*"]),
  fn(
    "JetRenameTableW",
    ["sesid", "JET_SESID"],
    ["dbid", "JET_DBID"],
    ["szName", "const WCHAR*"],
    ["szNameNew", "const WCHAR*"]
  ),
  fn(
    "JetAddColumnW",
    ["sesid", "JET_SESID"],
    ["tableid", "JET_TABLEID"],
    ["szColumnName", "JET_PCWSTR"],
    ["pcolumndef", "const JET_COLUMNDEF*", "in"],
    ["pvDefault", "const void*", "in"],
    ["cbDefault", "unsigned long"],
    ["pcolumnid", "JET_COLUMNID*", "out"]
  ),
  fn(
    "JetDeleteColumn2W",
    ["sesid", "JET_SESID"],
    ["tableid", "JET_TABLEID"],
    ["szColumnName", "const WCHAR*"],
    ["grbit", "JET_GRBIT"]
  ),
  fn(
    "JetRenameColumnW",
    ["sesid", "JET_SESID"],
    ["tableid", "JET_TABLEID"],
    ["szName", "JET_PCWSTR"],
    ["szNameNew", "JET_PCWSTR"],
    ["grbit", "JET_GRBIT"]
  ),
  fn(
    "JetSetColumnDefaultValueW",
    ["sesid", "JET_SESID"],
    ["dbid", "JET_DBID"],
    ["szTableName", "JET_PCWSTR"],
    ["szColumnName", "JET_PCWSTR"],
    ["pvData", "const void*", "in"],
    ["cbData", "unsigned long"],
    ["grbit", "JET_GRBIT"]
  ),
  fn(
    "JetCreateIndex2W",
    ["sesid", "JET_SESID"],
    ["tableid", "JET_TABLEID"],
    ["pindexcreate", "JET_INDEXCREATE_W*", "inout"],
    ["cIndexCreate", "unsigned long"]
  ),
  fn("JetDeleteIndexW", ["sesid", "JET_SESID"], ["tableid", "JET_TABLEID"], ["szIndexName", "JET_PCWSTR"]),
  // Schema information
  fn(
    "JetGetTableInfoW",
    ["sesid", "JET_SESID"],
    ["tableid", "JET_TABLEID"],
    ["pvResult", "void*", "out"],
    ["cbMax", "unsigned long"],
    ["InfoLevel", "unsigned long"]
  ),
  fn(
    "JetGetTableColumnInfoW",
    ["sesid", "JET_SESID"],
    ["tableid", "JET_TABLEID"],
    ["szColumnName", "const WCHAR*"],
    ["pvResult", "void*", "out"],
    ["cbMax", "unsigned long"],
    ["InfoLevel", "unsigned long"]
  ),
  fn(
    "JetGetColumnInfoW",
    ["sesid", "JET_SESID"],
    ["dbid", "JET_DBID"],
    ["szTableName", "const WCHAR*"],
    ["szColumnName", "const WCHAR*"],
    ["pvResult", "void*", "out"],
    ["cbMax", "unsigned long"],
    ["InfoLevel", "unsigned long"]
  ),
  fn(
    "JetGetTableIndexInfoW",
    ["sesid", "JET_SESID"],
    ["tableid", "JET_TABLEID"],
    ["szIndexName", "const WCHAR*"],
    ["pvResult", "void*", "out"],
    ["cbResult", "unsigned long"],
    ["InfoLevel", "unsigned long"]
  ),
  fn(
    "JetGetIndexInfoW",
    ["sesid", "JET_SESID"],
    ["dbid", "JET_DBID"],
    ["szTableName", "const WCHAR*"],
    ["szIndexName", "const WCHAR*"],
    ["pvResult", "void*", "out"],
    ["cbResult", "unsigned long"],
    ["InfoLevel", "unsigned long"]
  ),
  fn(
    "JetGetObjectInfoW",
    ["sesid", "JET_SESID"],
    ["dbid", "JET_DBID"],
    ["objtyp", "JET_OBJTYP"],
    ["szContainerName", "const WCHAR*"],
    ["szObjectName", "const WCHAR*"],
    ["pvResult", "void*", "out"],
    ["cbMax", "unsigned long"],
    ["InfoLevel", "unsigned long"]
  ),
  // Cursors
  fn(
    "JetOpenTableW",
    ["sesid", "JET_SESID"],
    ["dbid", "JET_DBID"],
    ["szTableName", "const WCHAR*"],
    ["pvParameters", "const void*", "in"],
    ["cbParameters", "unsigned long"],
    ["grbit", "JET_GRBIT"],
    ["ptableid", "JET_TABLEID*", "out"]
  ),
  fn("JetCloseTable", ["sesid", "JET_SESID"], ["tableid", "JET_TABLEID"]),
  fn(
    "JetDupCursor",
    ["sesid", "JET_SESID"],
    ["tableid", "JET_TABLEID"],
    ["ptableid", "JET_TABLEID*", "out"],
    ["grbit", "JET_GRBIT"]
  ),
  fn(
    "JetOpenTempTable3",
    ["sesid", "JET_SESID"],
    ["prgcolumndef", "const JET_COLUMNDEF*", "in"],
    ["ccolumn", "unsigned long"],
    ["pidxunicode", "JET_UNICODEINDEX*", "in"],
    ["grbit", "JET_GRBIT"],
    ["ptableid", "JET_TABLEID*", "out"],
    ["prgcolumnid", "JET_COLUMNID*", "out"]
  ),
  fn(
    "JetOpenTemporaryTable",
    ["sesid", "JET_SESID"],
    ["popentemporarytable", "JET_OPENTEMPORARYTABLE*", "inout"]
  ),
  fn("JetMove", ["sesid", "JET_SESID"], ["tableid", "JET_TABLEID"], ["cRow", "long"], ["grbit", "JET_GRBIT"]),
  fn(
    "JetMakeKey",
    ["sesid", "JET_SESID"],
    ["tableid", "JET_TABLEID"],
    ["pvData", "const void*", "in"],
    ["cbData", "unsigned long"],
    ["grbit", "JET_GRBIT"]
  ),
  fn("JetSeek", ["sesid", "JET_SESID"], ["tableid", "JET_TABLEID"], ["grbit", "JET_GRBIT"]),
  fn("JetSetIndexRange", ["sesid", "JET_SESID"], ["tableidSrc", "JET_TABLEID"], ["grbit", "JET_GRBIT"]),
  fn(
    "JetSetCurrentIndex4W",
    ["sesid", "JET_SESID"],
    ["tableid", "JET_TABLEID"],
    ["szIndexName", "JET_PCWSTR"],
    ["pindexid", "JET_INDEXID*", "in"],
    ["grbit", "JET_GRBIT"],
    ["itagSequence", "unsigned long"]
  ),
  fn(
    "JetGetCurrentIndexW",
    ["sesid", "JET_SESID"],
    ["tableid", "JET_TABLEID"],
    ["szIndexName", "JET_PWSTR", "out"],
    ["cbIndexName", "unsigned long"]
  ),
  fn(
    "JetGetBookmark",
    ["sesid", "JET_SESID"],
    ["tableid", "JET_TABLEID"],
    ["pvBookmark", "void*", "out"],
    ["cbMax", "unsigned long"],
    ["pcbActual", "unsigned long*", "out"]
  ),
  fn(
    "JetGotoBookmark",
    ["sesid", "JET_SESID"],
    ["tableid", "JET_TABLEID"],
    ["pvBookmark", "void*", "in"],
    ["cbBookmark", "unsigned long"]
  ),
  fn(
    "JetGetRecordPosition",
    ["sesid", "JET_SESID"],
    ["tableid", "JET_TABLEID"],
    ["precpos", "JET_RECPOS*", "out"],
    ["cbRecpos", "unsigned long"]
  ),
  fn("JetGotoPosition", ["sesid", "JET_SESID"], ["tableid", "JET_TABLEID"], ["precpos", "JET_RECPOS*", "in"]),
  fn(
    "JetIndexRecordCount",
    ["sesid", "JET_SESID"],
    ["tableid", "JET_TABLEID"],
    ["pcrec", "unsigned long*", "out"],
    ["crecMax", "unsigned long"]
  ),
  fn(
    "JetRetrieveKey",
    ["sesid", "JET_SESID"],
    ["tableid", "JET_TABLEID"],
    ["pvData", "void*", "out"],
    ["cbMax", "unsigned long"],
    ["pcbActual", "unsigned long*", "out"],
    ["grbit", "JET_GRBIT"]
  ),
  fn("JetGetLock", ["sesid", "JET_SESID"], ["tableid", "JET_TABLEID"], ["grbit", "JET_GRBIT"]),
  // Updates
  fn("JetPrepareUpdate", ["sesid", "JET_SESID"], ["tableid", "JET_TABLEID"], ["prep", "unsigned long"]),
  fn(
    "JetSetColumn",
    ["sesid", "JET_SESID"],
    ["tableid", "JET_TABLEID"],
    ["columnid", "JET_COLUMNID"],
    ["pvData", "const void*", "in"],
    ["cbData", "unsigned long"],
    ["grbit", "JET_GRBIT"],
    ["psetinfo", "JET_SETINFO*", "in"]
  ),
  fn(
    "JetSetColumns",
    ["sesid", "JET_SESID"],
    ["tableid", "JET_TABLEID"],
    ["psetcolumn", "JET_SETCOLUMN*", "inout"],
    ["csetcolumn", "unsigned long"]
  ),
  fn(
    "JetRetrieveColumn",
    ["sesid", "JET_SESID"],
    ["tableid", "JET_TABLEID"],
    ["columnid", "JET_COLUMNID"],
    ["pvData", "void*", "out"],
    ["cbData", "unsigned long"],
    ["pcbActual", "unsigned long*", "out"],
    ["grbit", "JET_GRBIT"],
    ["pretinfo", "JET_RETINFO*", "inout"]
  ),
  fn(
    "JetRetrieveColumns",
    ["sesid", "JET_SESID"],
    ["tableid", "JET_TABLEID"],
    ["pretrievecolumn", "JET_RETRIEVECOLUMN*", "inout"],
    ["cretrievecolumn", "unsigned long"]
  ),
  fn(
    "JetEnumerateColumns",
    ["sesid", "JET_SESID"],
    ["tableid", "JET_TABLEID"],
    ["cEnumColumnId", "unsigned long"],
    ["rgEnumColumnId", "JET_ENUMCOLUMNID*", "in"],
    ["pcEnumColumn", "unsigned long*", "out"],
    ["prgEnumColumn", "JET_ENUMCOLUMN**", "out"],
    ["pfnRealloc", "JET_PFNREALLOC"],
    ["pvReallocContext", "void*", "in"],
    ["cbDataMost", "unsigned long"],
    ["grbit", "JET_GRBIT"]
  ),
  fn(
    "JetUpdate",
    ["sesid", "JET_SESID"],
    ["tableid", "JET_TABLEID"],
    ["pvBookmark", "void*", "out"],
    ["cbBookmark", "unsigned long"],
    ["pcbActual", "unsigned long*", "out"]
  ),
  fn("JetDelete", ["sesid", "JET_SESID"], ["tableid", "JET_TABLEID"]),
  fn(
    "JetEscrowUpdate",
    ["sesid", "JET_SESID"],
    ["tableid", "JET_TABLEID"],
    ["columnid", "JET_COLUMNID"],
    ["pv", "void*", "in"],
    ["cbMax", "unsigned long"],
    ["pvOld", "void*", "out"],
    ["cbOldMax", "unsigned long"],
    ["pcbOldActual", "unsigned long*", "out"],
    ["grbit", "JET_GRBIT"]
  ),
  // Transactions
  fn("JetBeginTransaction", ["sesid", "JET_SESID"]),
  fn("JetBeginTransaction2", ["sesid", "JET_SESID"], ["grbit", "JET_GRBIT"]),
  fn("JetCommitTransaction", ["sesid", "JET_SESID"], ["grbit", "JET_GRBIT"]),
  fn("JetRollback", ["sesid", "JET_SESID"], ["grbit", "JET_GRBIT"]),
  // Maintenance
  fn(
    "JetBackupInstanceW",
    ["instance", "JET_INSTANCE"],
    ["szBackupPath", "JET_PCWSTR"],
    ["grbit", "JET_GRBIT"],
    ["pfnStatus", "JET_PFNSTATUS"]
  ),
  fn(
    "JetRestoreInstanceW",
    ["instance", "JET_INSTANCE"],
    ["sz", "JET_PCWSTR"],
    ["szDest", "JET_PCWSTR"],
    ["pfn", "JET_PFNSTATUS"]
  ),
  fn(
    "JetCompactW",
    ["sesid", "JET_SESID"],
    ["szDatabaseSrc", "JET_PCWSTR"],
    ["szDatabaseDest", "JET_PCWSTR"],
    ["pfnStatus", "JET_PFNSTATUS"],
    ["pconvert", "JET_CONVERT_W*", "in"],
    ["grbit", "JET_GRBIT"]
  ),
  fn(
    "JetDefragment2W",
    ["sesid", "JET_SESID"],
    ["dbid", "JET_DBID"],
    ["szTableName", "JET_PCWSTR"],
    ["pcPasses", "unsigned long*", "inout"],
    ["pcSeconds", "unsigned long*", "inout"],
    ["callback", "JET_CALLBACK"],
    ["grbit", "JET_GRBIT"]
  ),
  fn("JetFreeBuffer", ["pbBuf", "char*", "in"])
]

/** The function of {@link jetFunctions} with that exported name. */
export const jetFunction = (name: string): JetFunction | undefined =>
  jetFunctions.find((f) => f.name === name)
