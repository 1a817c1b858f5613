// The JET C constants, named as in esent.h. Values are facts of the ABI; the ABI test checks every one
// that mingw-w64's esent.h declares and lists the rest as unverified.

// Column types (JET_COLTYP)
/** No column type; invalid in a definition. */
export const JET_coltypNil = 0
/** 1-byte boolean: 0 is false, anything else true. */
export const JET_coltypBit = 1
/** 1-byte unsigned integer. */
export const JET_coltypUnsignedByte = 2
/** 2-byte signed integer. */
export const JET_coltypShort = 3
/** 4-byte signed integer. */
export const JET_coltypLong = 4
/** 8-byte signed integer, historically currency in 1/10000 units. */
export const JET_coltypCurrency = 5
/** 4-byte IEEE 754 float. */
export const JET_coltypIEEESingle = 6
/** 8-byte IEEE 754 double. */
export const JET_coltypIEEEDouble = 7
/** 8-byte OLE Automation date (days since 1899-12-30 as a double). */
export const JET_coltypDateTime = 8
/** Binary data of at most 255 bytes. */
export const JET_coltypBinary = 9
/** Text of at most 255 bytes, ASCII (cp 1252) or UTF-16 (cp 1200). */
export const JET_coltypText = 10
/** Binary data of up to 2 GiB - 1 (a long value). */
export const JET_coltypLongBinary = 11
/** Text of up to 2 GiB - 1 (a long value). */
export const JET_coltypLongText = 12
/** Obsolete streaming-file column type. */
export const JET_coltypSLV = 13
/** 4-byte unsigned integer. */
export const JET_coltypUnsignedLong = 14
/** 8-byte signed integer. */
export const JET_coltypLongLong = 15
/** 16-byte GUID. */
export const JET_coltypGUID = 16
/** 2-byte unsigned integer. */
export const JET_coltypUnsignedShort = 17
/** 8-byte unsigned integer (Windows 10 and later). */
export const JET_coltypUnsignedLongLong = 18

// Column definition grbits (JET_COLUMNDEF.grbit, JET_COLUMNCREATE.grbit)
/** Fixed-size column: always takes its full size in the record. */
export const JET_bitColumnFixed = 1
/** Tagged column: takes no space when NULL; may be multi-valued. */
export const JET_bitColumnTagged = 2
/** The column may not be NULL. */
export const JET_bitColumnNotNULL = 4
/** A version column (Long), incremented by every replace. */
export const JET_bitColumnVersion = 8
/** An autoincrement column (Long or Currency), set by the engine on insert. */
export const JET_bitColumnAutoincrement = 0x10
/** Temporary tables: the column can be updated (informational). */
export const JET_bitColumnUpdatable = 0x20
/** Temporary tables: the column is a key segment, in order of appearance. */
export const JET_bitColumnTTKey = 0x40
/** Temporary tables: the key segment sorts descending. */
export const JET_bitColumnTTDescending = 0x80
/** The tagged column can hold several values. */
export const JET_bitColumnMultiValued = 0x400
/** A Long column updated only by JetEscrowUpdate deltas, without write conflicts. */
export const JET_bitColumnEscrowUpdate = 0x800
/** Column added without versioning (not undone by rollback). */
export const JET_bitColumnUnversioned = 0x1000
/** Obsolete. */
export const JET_bitColumnMaybeNull = 0x2000
/** Escrow column: call the finalize callback when the value reaches zero. */
export const JET_bitColumnFinalize = 0x4000
/** The default value is computed by a user callback. */
export const JET_bitColumnUserDefinedDefault = 0x8000
/** Escrow column: delete the record when the value reaches zero. */
export const JET_bitColumnDeleteOnZero = 0x20000
/** Long values of this column may be compressed. */
export const JET_bitColumnCompressed = 0x80000

// Index grbits (JET_INDEXCREATE.grbit)
/** Duplicate keys are rejected with JET_errKeyDuplicate. */
export const JET_bitIndexUnique = 1
/** The clustered (primary) index; implies unique. */
export const JET_bitIndexPrimary = 2
/** A NULL key segment is rejected with JET_errNullKeyDisallowed. */
export const JET_bitIndexDisallowNull = 4
/** No entry when every key segment is NULL. */
export const JET_bitIndexIgnoreNull = 8
/** No entry when any key segment is NULL. */
export const JET_bitIndexIgnoreAnyNull = 0x20
/** No entry when the first key segment is NULL. */
export const JET_bitIndexIgnoreFirstNull = 0x40
/** Index updates are not logged eagerly. */
export const JET_bitIndexLazyFlush = 0x80
/** Create the index without building it (the table must be empty of relevant rows). */
export const JET_bitIndexEmpty = 0x100
/** Create the index outside transaction versioning. */
export const JET_bitIndexUnversioned = 0x200
/** NULL segments sort after every value instead of before. */
export const JET_bitIndexSortNullsHigh = 0x400
/** JET_INDEXCREATE.pidxunicode holds the locale and mapping flags. */
export const JET_bitIndexUnicode = 0x800
/** A substring (tuple) index over text or binary. */
export const JET_bitIndexTuples = 0x1000
/** JET_INDEXCREATE.ptuplelimits holds the tuple limits. */
export const JET_bitIndexTupleLimits = 0x2000
/** Multi-valued segments index the cross product of their values. */
export const JET_bitIndexCrossProduct = 0x4000
/** JET_INDEXCREATE.cbKeyMost sets the maximum key length. */
export const JET_bitIndexKeyMost = 0x8000
/** A key longer than the maximum fails with JET_errKeyTruncated instead of being cut. */
export const JET_bitIndexDisallowTruncation = 0x10000
/** Multi-valued segments are indexed pairwise by itag. */
export const JET_bitIndexNestedTable = 0x20000
/** GUID segments sort as .NET's Guid.CompareTo does. */
export const JET_bitIndexDotNetGuid = 0x40000
/** JetCreateIndex writes nothing back into the caller's structures (Windows 10 and later). */
export const JET_bitIndexImmutableStructure = 0x80000

// JetCreateTableColumnIndex grbits (JET_TABLECREATE.grbit)
/** The table's schema can no longer change after creation. */
export const JET_bitTableCreateFixedDDL = 1
/** The table is a template for derived tables (implies fixed DDL). */
export const JET_bitTableCreateTemplateTable = 2
/** Derived tables may not add fixed or variable columns. */
export const JET_bitTableCreateNoFixedVarColumnsInDerivedTables = 4
/** The call writes nothing back into the caller's structures and leaves no table open (Windows 10 and later). */
export const JET_bitTableCreateImmutableStructure = 8

// JetOpenTable grbits
/** No other session may write to the table while this cursor is open. */
export const JET_bitTableDenyWrite = 1
/** No other session may open the table while this cursor is open. */
export const JET_bitTableDenyRead = 2
/** The cursor cannot update the table. */
export const JET_bitTableReadOnly = 4
/** The cursor may update the table (the default). */
export const JET_bitTableUpdatable = 8
/** Allow DDL on a table created with fixed DDL; needs DenyRead. */
export const JET_bitTablePermitDDL = 0x10
/** Do not keep the table's pages in cache. */
export const JET_bitTableNoCache = 0x20
/** The table is likely read sequentially: preread pages. */
export const JET_bitTablePreread = 0x40
/** Read neighbouring pages when it is cheap. */
export const JET_bitTableOpportuneRead = 0x80
/** The table is scanned sequentially: optimize reads for that. */
export const JET_bitTableSequential = 0x8000
/** Mask of the table class bits. */
export const JET_bitTableClassMask = 0xF0000
/** No table class. */
export const JET_bitTableClassNone = 0
/** Table class 1 (see JET_paramTableClass1Name). */
export const JET_bitTableClass1 = 0x10000
/** Table class 2 (see JET_paramTableClass2Name). */
export const JET_bitTableClass2 = 0x20000
/** Table class 3 (see JET_paramTableClass3Name). */
export const JET_bitTableClass3 = 0x30000
/** Table class 4 (see JET_paramTableClass4Name). */
export const JET_bitTableClass4 = 0x40000
/** Table class 5 (see JET_paramTableClass5Name). */
export const JET_bitTableClass5 = 0x50000
/** Table class 6 (see JET_paramTableClass6Name). */
export const JET_bitTableClass6 = 0x60000
/** Table class 7 (see JET_paramTableClass7Name). */
export const JET_bitTableClass7 = 0x70000
/** Table class 8 (see JET_paramTableClass8Name). */
export const JET_bitTableClass8 = 0x80000
/** Table class 9 (see JET_paramTableClass9Name). */
export const JET_bitTableClass9 = 0x90000
/** Table class 10 (see JET_paramTableClass10Name). */
export const JET_bitTableClass10 = 0xA0000
/** Table class 11 (see JET_paramTableClass11Name). */
export const JET_bitTableClass11 = 0xB0000
/** Table class 12 (see JET_paramTableClass12Name). */
export const JET_bitTableClass12 = 0xC0000
/** Table class 13 (see JET_paramTableClass13Name). */
export const JET_bitTableClass13 = 0xD0000
/** Table class 14 (see JET_paramTableClass14Name). */
export const JET_bitTableClass14 = 0xE0000
/** Table class 15 (see JET_paramTableClass15Name). */
export const JET_bitTableClass15 = 0xF0000

// JetOpenTempTable grbits
/** The temporary table is indexed for seeks. */
export const JET_bitTTIndexed = 1
/** Duplicate keys are removed (or rejected). */
export const JET_bitTTUnique = 2
/** The temporary table can be updated after insertion. */
export const JET_bitTTUpdatable = 4
/** The temporary table can be navigated backwards. */
export const JET_bitTTScrollable = 8
/** NULL key segments sort high. */
export const JET_bitTTSortNullsHigh = 0x10
/** Materialize the sort; detect duplicates at insertion. */
export const JET_bitTTForceMaterialization = 0x20
/** A duplicate key fails at insertion with JET_errKeyDuplicate. */
export const JET_bitTTErrorOnDuplicateInsertion = 0x20
/** Only forward navigation is needed. */
export const JET_bitTTForwardOnly = 0x40
/** Long values are kept in the record. */
export const JET_bitTTIntrinsicLVsOnly = 0x80
/** GUID keys sort as .NET does. */
export const JET_bitTTDotNetGuid = 0x100

// JetCreateDatabase and JetAttachDatabase grbits
/** Attach or open the database read-only. */
export const JET_bitDbReadOnly = 1
/** Open the database for this session only. */
export const JET_bitDbExclusive = 2
/** Create the database without logging: no crash recovery for it. */
export const JET_bitDbRecoveryOff = 8
/** Delete secondary indexes that may be out of date. */
export const JET_bitDbDeleteCorruptIndexes = 0x10
/** Do not keep a shadow copy of the database header. */
export const JET_bitDbShadowingOff = 0x80
/** Upgrade the database format if needed. */
export const JET_bitDbUpgrade = 0x200
/** Create over an existing file instead of failing with JET_errDatabaseDuplicate. */
export const JET_bitDbOverwriteExisting = 0x200
/** Delete indexes over Unicode text (their sort order may have changed). */
export const JET_bitDbDeleteUnicodeIndexes = 0x400
/** Let the engine scan and maintain the database in the background. */
export const JET_bitDbEnableBackgroundMaintenance = 0x800
/** Discard cached pages of the database when attaching. */
export const JET_bitDbPurgeCacheOnAttach = 0x1000
/** Obsolete JetDetachDatabase2 grbit. */
export const JET_bitForceDetach = 1
/** JetDetachDatabase2: close the database's open tables first, then detach (includes JET_bitForceDetach). */
export const JET_bitForceCloseAndDetach = 3

// JetInit3 grbits
/** Recovery skips databases that are missing. */
export const JET_bitReplayIgnoreMissingDB = 4
/** Recovery replays the logs without undoing uncommitted work. */
export const JET_bitRecoveryWithoutUndo = 8
/** Delete the log files after a successful recovery. */
export const JET_bitTruncateLogsAfterRecovery = 0x10
/** Recovery replays databases missing from the restore map. */
export const JET_bitReplayMissingMapEntryDB = 0x20
/** Fail when no log files exist instead of starting new ones. */
export const JET_bitLogStreamMustExist = 0x40
/** Recovery continues past missing trailing log files. */
export const JET_bitReplayIgnoreLostLogs = 0x80
/** Leave databases attached after recovery. */
export const JET_bitKeepDbAttachedAtEndOfRecovery = 0x1000

// JetTerm2 grbits
/** Clean shutdown: flush everything, the databases are consistent. */
export const JET_bitTermComplete = 1
/** Fast shutdown: crash recovery will run at the next init. */
export const JET_bitTermAbrupt = 2
/** Stop a running backup before terminating. */
export const JET_bitTermStopBackup = 4
/** Shut down even with open transactions; returns JET_errDirtyShutdown. */
export const JET_bitTermDirty = 8

// JetEndSession grbits
/** Reserved; has no effect. */
export const JET_bitForceSessionClosed = 1

// Transaction grbits (JetBeginTransaction2, JetCommitTransaction, JetRollback)
/** A read-only transaction: updates fail with JET_errTransReadOnly. */
export const JET_bitTransactionReadOnly = 1
/** Commit without waiting for the log to reach disk (outermost level). */
export const JET_bitCommitLazyFlush = 1
/** Wait until this session's lazy commits are on disk. */
export const JET_bitWaitLastLevel0Commit = 2
/** Wait until every session's lazy commits are on disk. */
export const JET_bitWaitAllLevel0Commit = 8
/** Start a new log file at commit. */
export const JET_bitForceNewLog = 0x10
/** Roll back every level of the session's transaction. */
export const JET_bitRollbackAll = 1

// JetMove offsets and grbits
/** Move to the first entry of the index (cancels the index range). The C value is 0x80000000, passed as a 32-bit signed long. */
export const JET_MoveFirst = -0x80000000
/** Move to the previous entry. */
export const JET_MovePrevious = -1
/** Move to the next entry. */
export const JET_MoveNext = 1
/** Move to the last entry of the index (cancels the index range). */
export const JET_MoveLast = 0x7FFFFFFF
/** Move to the next entry whose key differs from the current one. */
export const JET_bitMoveKeyNE = 1

// JetMakeKey grbits
/** Start a new search key with this segment. */
export const JET_bitNewKey = 1
/** Make a limit key: the segment plus everything that extends it as a string. */
export const JET_bitStrLimit = 2
/** Make a limit key for a prefix of the segment. */
export const JET_bitSubStrLimit = 4
/** The data is an already normalized key. */
export const JET_bitNormalizedKey = 8
/** The segment is zero-length rather than NULL. */
export const JET_bitKeyDataZeroLength = 0x10
/** Make a limit key before every entry equal on the previous segments. */
export const JET_bitFullColumnStartLimit = 0x100
/** Make a limit key after every entry equal on the previous segments. */
export const JET_bitFullColumnEndLimit = 0x200
/** Make a limit key before every entry starting with this segment. */
export const JET_bitPartialColumnStartLimit = 0x400
/** Make a limit key after every entry starting with this segment. */
export const JET_bitPartialColumnEndLimit = 0x800

// JetSeek grbits
/** Seek to the first entry equal to the search key. */
export const JET_bitSeekEQ = 1
/** Seek to the last entry less than the search key. */
export const JET_bitSeekLT = 2
/** Seek to the last entry less than or equal to the search key. */
export const JET_bitSeekLE = 4
/** Seek to the first entry greater than or equal to the search key. */
export const JET_bitSeekGE = 8
/** Seek to the first entry greater than the search key. */
export const JET_bitSeekGT = 0x10
/** With JET_bitSeekEQ: also set an inclusive upper range on the key. */
export const JET_bitSetIndexRange = 0x20
/** With JET_bitSeekEQ: report JET_wrnUniqueKey when exactly one entry matches. */
export const JET_bitCheckUniqueness = 0x40

// JetSetIndexRange grbits
/** The limit key itself is inside the range. */
export const JET_bitRangeInclusive = 1
/** The key is an upper limit (moving forward); otherwise a lower limit. */
export const JET_bitRangeUpperLimit = 2
/** Only check that the current entry is in range; set nothing. */
export const JET_bitRangeInstantDuration = 4
/** Remove the cursor's index range. */
export const JET_bitRangeRemove = 8

// JetSetCurrentIndex grbits
/** Position the cursor on the first entry of the new index. */
export const JET_bitMoveFirst = 0
/** Keep the cursor on the same record in the new index. */
export const JET_bitNoMove = 2

// JetGetLock grbits
/** Take a read lock on the current record. */
export const JET_bitReadLock = 1
/** Take a write lock on the current record. */
export const JET_bitWriteLock = 2

// JetPrepareUpdate modes (JET_prep)
/** Prepare a new record. */
export const JET_prepInsert = 0
/** Prepare to change the current record, locking it for the transaction. */
export const JET_prepReplace = 2
/** Cancel the prepared update. */
export const JET_prepCancel = 3
/** Prepare to change the current record; conflicts are found at JetUpdate. */
export const JET_prepReplaceNoLock = 4
/** Prepare a new record starting as a copy of the current one. */
export const JET_prepInsertCopy = 5
/** Copy the current record and delete the original at JetUpdate (to change a primary key). */
export const JET_prepInsertCopyDeleteOriginal = 7
/** Copy the current record and replace the original at JetUpdate. */
export const JET_prepInsertCopyReplaceOriginal = 9
/** Prepare a new record whose autoincrement value the caller sets. */
export const JET_prepInsertMustSetAutoIncrement = 10

// JetSetColumn grbits
/** Append the data to the long value. */
export const JET_bitSetAppendLV = 1
/** Overwrite the long value at JET_SETINFO.ibLongValue. */
export const JET_bitSetOverwriteLV = 4
/** Resize the long value to cbData bytes (zero-filled when growing). */
export const JET_bitSetSizeLV = 8
/** Set a zero-length value rather than NULL when cbData is 0. */
export const JET_bitSetZeroLength = 0x20
/** Store the long value outside the record. */
export const JET_bitSetSeparateLV = 0x40
/** Fail with JET_errMultiValuedDuplicate when the value is already present. */
export const JET_bitSetUniqueMultiValues = 0x80
/** As SetUniqueMultiValues, comparing normalized values. */
export const JET_bitSetUniqueNormalizedMultiValues = 0x100
/** Revert the column to its default value. */
export const JET_bitSetRevertToDefaultValue = 0x200
/** Keep the long value inside the record. */
export const JET_bitSetIntrinsicLV = 0x400
/** Do not compress this value. */
export const JET_bitSetUncompressed = 0x10000
/** Try to compress this value. */
export const JET_bitSetCompressed = 0x20000

// JetRetrieveColumn grbits
/** Read the prepared update's copy of the record. */
export const JET_bitRetrieveCopy = 1
/** Read the value from the current index entry, without the record. */
export const JET_bitRetrieveFromIndex = 2
/** Read the value from the primary key. */
export const JET_bitRetrieveFromPrimaryBookmark = 4
/** Retrieve the itag sequence of multi-valued entries. */
export const JET_bitRetrieveTag = 8
/** Only report whether the column is NULL. */
export const JET_bitRetrieveNull = 0x10
/** Do not report the column's default value for an unset column. */
export const JET_bitRetrieveIgnoreDefault = 0x20
/** Read the tuple segment from a tuple index entry. */
export const JET_bitRetrieveTuple = 0x800

// JetEnumerateColumns grbits
/** Enumerate the prepared update's copy of the record. */
export const JET_bitEnumerateCopy = 1
/** Skip columns that only have their default value. */
export const JET_bitEnumerateIgnoreDefault = 0x20
/** Report which columns are present, not their values. */
export const JET_bitEnumeratePresenceOnly = 0x20000
/** Enumerate tagged columns only. */
export const JET_bitEnumerateTaggedOnly = 0x40000
/** Collapse single values into the column entry. */
export const JET_bitEnumerateCompressOutput = 0x80000
/** Skip user-defined defaults. */
export const JET_bitEnumerateIgnoreUserDefinedDefault = 0x100000
/** Enumerate only values stored in the record itself. */
export const JET_bitEnumerateInRecordOnly = 0x200000

// JetEscrowUpdate, JetDeleteColumn2 grbits
/** The escrow delta is not undone by a rollback. */
export const JET_bitEscrowNoRollback = 1
/** Delete a column of a derived table even if its template has the name. */
export const JET_bitDeleteColumnIgnoreTemplateColumns = 1

// JetBackupInstance, JetCompact, JetDefragment2 grbits
/** Back up only the log files since the last full backup. */
export const JET_bitBackupIncremental = 1
/** Obsolete. */
export const JET_bitBackupAtomic = 4
/** Back up with volume snapshot semantics. */
export const JET_bitBackupSnapshot = 0x10
/** Print statistics while compacting. */
export const JET_bitCompactStats = 0x20
/** Obsolete. */
export const JET_bitCompactRepair = 0x40
/** Start online defragmentation. */
export const JET_bitDefragmentBatchStart = 1
/** Stop online defragmentation. */
export const JET_bitDefragmentBatchStop = 2
/** Defragment only the free-space trees. */
export const JET_bitDefragmentAvailSpaceTreesOnly = 0x40
/** Do not merge partially filled pages. */
export const JET_bitDefragmentNoPartialMerges = 0x80
/** Defragment one B-tree. */
export const JET_bitDefragmentBTree = 0x100

// JetGetDatabaseInfo levels
/** The database's file name (string). */
export const JET_DbInfoFilename = 0
/** Obsolete. */
export const JET_DbInfoConnect = 1
/** The database's country code. */
export const JET_DbInfoCountry = 2
/** The database's locale id. */
export const JET_DbInfoLCID = 3
/** The database's language id (same level as LCID). */
export const JET_DbInfoLangid = 3
/** The database's code page. */
export const JET_DbInfoCp = 4
/** Obsolete. */
export const JET_DbInfoCollate = 5
/** The grbits the database was opened with. */
export const JET_DbInfoOptions = 6
/** The maximum transaction level. */
export const JET_DbInfoTransactions = 7
/** The database's format version. */
export const JET_DbInfoVersion = 8
/** Obsolete. */
export const JET_DbInfoIsam = 9
/** The file size, in pages. */
export const JET_DbInfoFilesize = 10
/** The space owned by the database, in pages. */
export const JET_DbInfoSpaceOwned = 11
/** The free space, in pages. */
export const JET_DbInfoSpaceAvailable = 12
/** Upgrade state (JET_DBINFOUPGRADE). */
export const JET_DbInfoUpgrade = 13
/** Header information (JET_DBINFOMISC). */
export const JET_DbInfoMisc = 14
/** Whether the database is in use. */
export const JET_DbInfoDBInUse = 15
/** The page size, in bytes. */
export const JET_DbInfoPageSize = 17
/** The file type. */
export const JET_DbInfoFileType = 19
/** The size the file takes on disk, in pages. */
export const JET_DbInfoFilesizeOnDisk = 21

// JetGetTableInfo levels
/** JET_OBJECTINFO of the table. */
export const JET_TblInfo = 0
/** The table's name (string). */
export const JET_TblInfoName = 1
/** The dbid the table belongs to. */
export const JET_TblInfoDbid = 2
/** Obsolete. */
export const JET_TblInfoMostMany = 3
/** Obsolete. */
export const JET_TblInfoRvt = 4
/** Online compaction information. */
export const JET_TblInfoOLC = 5
/** Reset online compaction information. */
export const JET_TblInfoResetOLC = 6
/** Space usage figures. */
export const JET_TblInfoSpaceUsage = 7
/** Internal. */
export const JET_TblInfoDumpTable = 8
/** Initial page count and density. */
export const JET_TblInfoSpaceAlloc = 9
/** Pages owned by the table. */
export const JET_TblInfoSpaceOwned = 10
/** Free pages of the table. */
export const JET_TblInfoSpaceAvailable = 11
/** The name of the table's template (string). */
export const JET_TblInfoTemplateTableName = 12

// JetGetColumnInfo levels and grbits
/** JET_COLUMNDEF of a column named by name. */
export const JET_ColInfo = 0
/** JET_COLUMNLIST: a temporary table of every column. */
export const JET_ColInfoList = 1
/** Obsolete. */
export const JET_ColInfoSysTabCursor = 3
/** JET_COLUMNBASE of a column named by name. */
export const JET_ColInfoBase = 4
/** JET_COLUMNLIST without default values and base names. */
export const JET_ColInfoListCompact = 5
/** JET_COLUMNDEF of a column named by its JET_COLUMNID (passed as the name buffer). */
export const JET_ColInfoByColid = 6
/** JET_COLUMNLIST sorted by columnid. */
export const JET_ColInfoListSortColumnid = 7
/** JET_COLUMNBASE of a column named by its JET_COLUMNID. */
export const JET_ColInfoBaseByColid = 8
/** Only the table's own columns, not its template's. */
export const JET_ColInfoGrbitNonDerivedColumnsOnly = 0x80000000
/** Only names and ids. */
export const JET_ColInfoGrbitMinimalInfo = 0x40000000
/** Sort the list by columnid. */
export const JET_ColInfoGrbitSortByColumnid = 0x20000000

// JetGetIndexInfo levels
/** JET_INDEXLIST of the index. */
export const JET_IdxInfo = 0
/** JET_INDEXLIST: a temporary table of every index. */
export const JET_IdxInfoList = 1
/** Obsolete. */
export const JET_IdxInfoSysTabCursor = 2
/** Obsolete. */
export const JET_IdxInfoOLC = 3
/** Obsolete. */
export const JET_IdxInfoResetOLC = 4
/** The index's initial page count (unsigned 32-bit). */
export const JET_IdxInfoSpaceAlloc = 5
/** The index's locale id (unsigned 32-bit). */
export const JET_IdxInfoLCID = 6
/** The index's language id (same level as LCID). */
export const JET_IdxInfoLangid = 6
/** The number of indexes of the table (unsigned 32-bit). */
export const JET_IdxInfoCount = 7
/** The maximum size of a variable segment (unsigned 16-bit). */
export const JET_IdxInfoVarSegMac = 8
/** The JET_INDEXID of the index. */
export const JET_IdxInfoIndexId = 9
/** The maximum key length of the index (unsigned 16-bit). */
export const JET_IdxInfoKeyMost = 10
/** The index's JET_INDEXCREATE. */
export const JET_IdxInfoCreateIndex = 11
/** The index's JET_INDEXCREATE2. */
export const JET_IdxInfoCreateIndex2 = 12
/** The index's JET_INDEXCREATE3 (Windows 8 and later). */
export const JET_IdxInfoCreateIndex3 = 13
/** The index's locale name as a UTF-16 string (Windows 8 and later). */
export const JET_IdxInfoLocaleName = 14

// JetGetObjectInfo levels and object types
/** JET_OBJECTINFO of one object. */
export const JET_ObjInfo = 0
/** JET_OBJECTLIST without record and page counts. */
export const JET_ObjInfoListNoStats = 1
/** JET_OBJECTLIST with record and page counts. */
export const JET_ObjInfoList = 2
/** Obsolete. */
export const JET_ObjInfoSysTabCursor = 3
/** Obsolete. */
export const JET_ObjInfoListACM = 4
/** JET_OBJECTINFO without record and page counts. */
export const JET_ObjInfoNoStats = 5
/** Obsolete. */
export const JET_ObjInfoSysTabReadOnly = 6
/** Obsolete. */
export const JET_ObjInfoRulesLoaded = 7
/** No object type. */
export const JET_objtypNil = 0
/** A table. */
export const JET_objtypTable = 1

// Limits
/** Largest bookmark, in bytes. */
export const JET_cbBookmarkMost = 256
/** Longest object name, in ASCII characters. */
export const JET_cbNameMost = 64
/** Longest full path of an object name. */
export const JET_cbFullNameMost = 255
/** Largest non-long column value, in bytes. */
export const JET_cbColumnMost = 255
/** Per-page overhead of a long value. */
export const JET_cbColumnLVPageOverhead = 82
/** Largest default value of a long-value column. */
export const JET_cbLVDefaultValueMost = 255
/** Largest key with the legacy limit, in bytes. */
export const JET_cbKeyMost = 255
/** Smallest maximum key size a page size allows. */
export const JET_cbKeyMostMin = 255
/** Largest key with 2 KiB pages. */
export const JET_cbKeyMost2KBytePage = 500
/** Largest key with 4 KiB pages. */
export const JET_cbKeyMost4KBytePage = 1000
/** Largest key with 8 KiB pages or more. */
export const JET_cbKeyMost8KBytePage = 2000
/** Largest limit key (a key plus one 0xFF byte). */
export const JET_cbLimitKeyMost = 256
/** Legacy largest primary key. */
export const JET_cbPrimaryKeyMost = 255
/** Legacy largest secondary key. */
export const JET_cbSecondaryKeyMost = 255
/** Most key segments in an index (16 on newer engines). */
export const JET_ccolKeyMost = 12
/** Most columns in a table. */
export const JET_ccolMost = 65248
/** Most fixed columns (column ids 1 to 127). */
export const JET_ccolFixedMost = 127
/** Most variable columns (column ids 128 to 255). */
export const JET_ccolVarMost = 128
/** Most tagged columns (column ids 256 and up). */
export const JET_ccolTaggedMost = 64993
/** The invalid database id. */
export const JET_dbidNil = 0xFFFFFFFF
/** No grbit. */
export const JET_bitNil = 0
