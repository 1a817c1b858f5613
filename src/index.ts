/**
 * effect-esent: ESENT, the transactional database engine built into Windows, for Effect programs.
 *
 * @module
 */
export * as Codec from "./Codec.ts"
export * as Cursor from "./Cursor.ts"
export * as Database from "./Database.ts"
export * from "./Errors.ts"
export { Esent, esentConfig } from "./Esent.ts"
export type { EsentConfig, EsentInstance, SystemParameterValue } from "./Esent.ts"
export { EsentDatabase, withConnection, withSession } from "./EsentDatabase.ts"
export type {
  Connection,
  EsentDatabaseError,
  EsentDatabaseLayerError,
  EsentDatabaseOptions,
  EsentDatabaseService
} from "./EsentDatabase.ts"
export { Jet, JetLoadError } from "./Jet.ts"
export * from "./JetError.ts"
export * as EsentKeyValueStore from "./KeyValueStore.ts"
export * as EsentPersistence from "./Persistence.ts"
export * as Session from "./Session.ts"
export * as SessionPool from "./SessionPool.ts"
export * as Table from "./Table.ts"
export * as Transaction from "./Transaction.ts"
export * as TypedTable from "./TypedTable.ts"
