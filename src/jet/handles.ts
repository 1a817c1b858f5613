declare const handleBrand: unique symbol

/**
 * A value of type `T` that the type checker keeps apart from other values of `T`, so that a table id
 * cannot be passed where a session id goes.
 */
export type Branded<T, Name extends string> = T & { readonly [handleBrand]: Name }

/** An ESENT instance handle (`JET_INSTANCE`, pointer-sized). */
export type JET_INSTANCE = Branded<bigint, "JET_INSTANCE">
/** A session handle (`JET_SESID`, pointer-sized). */
export type JET_SESID = Branded<bigint, "JET_SESID">
/** A cursor handle on a table or temporary table (`JET_TABLEID`, pointer-sized). */
export type JET_TABLEID = Branded<bigint, "JET_TABLEID">
/** A database id, valid within the session that opened it (`JET_DBID`, unsigned 32-bit). */
export type JET_DBID = Branded<number, "JET_DBID">
/** A column id within its table (`JET_COLUMNID`, unsigned 32-bit). */
export type JET_COLUMNID = Branded<number, "JET_COLUMNID">

/** Brands a pointer-sized integer as an instance handle. */
export const JET_INSTANCE = (value: bigint): JET_INSTANCE => value as JET_INSTANCE
/** Brands a pointer-sized integer as a session handle. */
export const JET_SESID = (value: bigint): JET_SESID => value as JET_SESID
/** Brands a pointer-sized integer as a table cursor handle. */
export const JET_TABLEID = (value: bigint): JET_TABLEID => value as JET_TABLEID
/** Brands an unsigned 32-bit integer as a database id. */
export const JET_DBID = (value: number): JET_DBID => value as JET_DBID
/** Brands an unsigned 32-bit integer as a column id. */
export const JET_COLUMNID = (value: number): JET_COLUMNID => value as JET_COLUMNID

/** `JET_instanceNil`: all bits set. */
export const JET_instanceNil = JET_INSTANCE(0xffff_ffff_ffff_ffffn)
/** `JET_sesidNil`: all bits set. */
export const JET_sesidNil = JET_SESID(0xffff_ffff_ffff_ffffn)
/** `JET_tableidNil`: all bits set. */
export const JET_tableidNil = JET_TABLEID(0xffff_ffff_ffff_ffffn)

/**
 * Normalizes a pointer-sized value from the native boundary to an unsigned 64-bit bigint. koffi hands
 * back a `number` when the value fits in 2^53 and a `bigint` otherwise, and in callbacks may even
 * hand a negative number for a large unsigned value.
 */
export const pointerSized = (value: number | bigint): bigint =>
  BigInt.asUintN(64, typeof value === "bigint" ? value : BigInt(value))
