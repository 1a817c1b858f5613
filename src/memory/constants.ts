/**
 * The numeric values from esent.h the in-memory engine reads (column, index, table, seek, update and
 * transaction bits, prep codes, parameter ids) and the engine's own limits. Kept as plain numbers so
 * that the hot paths compare integers.
 *
 * @module
 */

export const bitColumnFixed = 1
export const bitColumnTagged = 2
export const bitColumnNotNULL = 4
export const bitColumnVersion = 8
export const bitColumnAutoincrement = 0x10
export const bitColumnTTKey = 0x40
export const bitColumnTTDescending = 0x80
export const bitColumnMultiValued = 0x400
export const bitColumnEscrowUpdate = 0x800

export const bitIndexUnique = 1
export const bitIndexPrimary = 2
export const bitIndexDisallowNull = 4
export const bitIndexIgnoreNull = 8
export const bitIndexIgnoreAnyNull = 0x20
export const bitIndexIgnoreFirstNull = 0x40
export const bitIndexSortNullsHigh = 0x400
export const bitIndexUnicode = 0x800
export const bitIndexKeyMost = 0x8000
export const bitIndexDisallowTruncation = 0x10000
export const bitIndexDotNetGuid = 0x40000

export const bitTTUnique = 2
export const bitTTSortNullsHigh = 0x10
export const bitTTErrorOnDuplicateInsertion = 0x20

export const bitTableDenyWrite = 1
export const bitTableDenyRead = 2
export const bitTableReadOnly = 4

export const bitTermDirty = 8
export const bitDbOverwriteExisting = 0x200
export const bitDbReadOnly = 1

export const bitTransactionReadOnly = 1
export const bitCommitLazyFlush = 1
export const bitWaitLastLevel0Commit = 2
export const bitWaitAllLevel0Commit = 8
export const bitForceNewLog = 0x10
export const bitRollbackAll = 1

export const moveFirst = -0x80000000
export const moveLast = 0x7fffffff
export const bitMoveKeyNE = 1

export const bitNewKey = 1
export const bitStrLimit = 2
export const bitSubStrLimit = 4
export const bitNormalizedKey = 8
export const bitFullColumnStartLimit = 0x100
export const bitFullColumnEndLimit = 0x200
export const bitPartialColumnStartLimit = 0x400
export const bitPartialColumnEndLimit = 0x800
export const limitBits = bitStrLimit | bitSubStrLimit | bitFullColumnStartLimit | bitFullColumnEndLimit
  | bitPartialColumnStartLimit | bitPartialColumnEndLimit

export const bitSeekEQ = 1
export const bitSeekLT = 2
export const bitSeekLE = 4
export const bitSeekGE = 8
export const bitSeekGT = 0x10
export const bitSetIndexRange = 0x20
export const bitCheckUniqueness = 0x40

export const bitRangeInclusive = 1
export const bitRangeUpperLimit = 2
export const bitRangeInstantDuration = 4
export const bitRangeRemove = 8

export const bitNoMove = 2

export const prepInsert = 0
export const prepReplace = 2
export const prepCancel = 3
export const prepReplaceNoLock = 4
export const prepInsertCopy = 5
export const prepInsertCopyDeleteOriginal = 7
export const prepInsertCopyReplaceOriginal = 9
export const prepInsertMustSetAutoIncrement = 10

export const validPreps: ReadonlySet<number> = new Set([
  prepInsert,
  prepReplace,
  prepReplaceNoLock,
  prepInsertCopy,
  prepInsertCopyDeleteOriginal,
  prepInsertCopyReplaceOriginal,
  prepInsertMustSetAutoIncrement
])

export const bitSetAppendLV = 1
export const bitSetOverwriteLV = 4
export const bitSetSizeLV = 8
export const bitSetZeroLength = 0x20
export const bitSetUniqueMultiValues = 0x80
export const bitSetUniqueNormalizedMultiValues = 0x100
export const bitSetRevertToDefaultValue = 0x200

export const bitRetrieveCopy = 1
export const bitRetrieveFromIndex = 2
export const bitRetrieveFromPrimaryBookmark = 4
export const bitRetrieveIgnoreDefault = 0x20

export const bitEnumerateCopy = 1
export const bitEnumerateIgnoreDefault = 0x20
export const bitEnumeratePresenceOnly = 0x20000
export const bitEnumerateTaggedOnly = 0x40000

export const coltypBit = 1
export const coltypLong = 4
export const coltypCurrency = 5
export const coltypBinary = 9
export const coltypText = 10
export const coltypLongText = 12
export const coltypLongLong = 15

export const paramMaxSessions = 5
export const paramMaxOpenTables = 6
export const paramMaxCursors = 8
export const paramMaxVerPages = 9
export const paramMaxTemporaryTables = 10

/** Parameters that cannot change once the instance is initialized. */
export const fixedAfterInit = new Set([
  0,
  1,
  2,
  3,
  5,
  6,
  7,
  8,
  9,
  10,
  11,
  12,
  17,
  19,
  64,
  81,
  102,
  104,
  128,
  134
])

export const defaultParams: ReadonlyMap<number, bigint> = new Map([
  [paramMaxSessions, 16n],
  [paramMaxOpenTables, 300n],
  [paramMaxCursors, 1024n],
  [paramMaxVerPages, 64n],
  [paramMaxTemporaryTables, 20n],
  [64, 8192n],
  [134, 255n]
])

export const maxDatabasesPerInstance = 6
export const maxLevel = 7
