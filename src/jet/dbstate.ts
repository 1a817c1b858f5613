/**
 * How a database file was left: the `dbstate` of its header (`JET_DBINFOMISC.dbstate`), which the
 * engines report and the file reader reads.
 *
 * @module
 */

/** A database file's state, by name. */
export type DatabaseState =
  | "JustCreated"
  | "DirtyShutdown"
  | "CleanShutdown"
  | "BeingConverted"
  | "ForceDetach"

/** The states by their `dbstate` number (1 to 5); `undefined` for a number ESE does not define. */
export const databaseStateOf = (dbstate: number): DatabaseState | undefined => databaseStates[dbstate]

const databaseStates: ReadonlyArray<DatabaseState | undefined> = [
  undefined,
  "JustCreated",
  "DirtyShutdown",
  "CleanShutdown",
  "BeingConverted",
  "ForceDetach"
]
