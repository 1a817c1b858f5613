/**
 * Helpers for the conformance suite, built only on `JetApi`: open an instance, a session and a
 * database; create a table from a compact description; insert and read rows; encode and decode
 * column values; check JET codes by name.
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, onTestFinished } from "vitest"
import type { JetApi, JetColumnCreate, JetIndexCreate, JetResult } from "../../src/jet/api.ts"
import {
  JET_bitTermDirty,
  JET_MoveFirst,
  JET_MoveNext,
  JET_prepInsert,
  JET_prepReplace
} from "../../src/jet/constants.ts"
import { jetErrorByValue, jetErrorCodes } from "../../src/jet/errors.generated.ts"
import type { JET_COLUMNID, JET_DBID, JET_INSTANCE, JET_SESID, JET_TABLEID } from "../../src/jet/handles.ts"
import { type Engine, engines } from "./engines.ts"

export { jetErrorCodes as codes }

// ---------------------------------------------------------------------------------------------
// Codes

/** `JET_errWriteConflict (-1102)`: a code's name and value, for messages. */
export const codeName = (err: number): string => `${jetErrorByValue(err)?.name ?? "unknown"} (${err})`

/** Checks that a call returned `code`, printing both codes by name on a mismatch. */
export const expectErr = (result: JetResult | number, code: number): void => {
  const err = typeof result === "number" ? result : result.err
  expect(codeName(err), "JET code").toBe(codeName(code))
}

/** Checks that a call returned 0 and hands its result back. */
export const ok = <R extends JetResult>(result: R): R => {
  expectErr(result, 0)
  return result
}

/** Checks that a call succeeded, possibly with a warning, and hands its result back. */
export const okOrWarn = <R extends JetResult>(result: R): R => {
  if (result.err < 0) expect(codeName(result.err), "JET code").toBe("a success or a warning")
  return result
}

// ---------------------------------------------------------------------------------------------
// Engines

/** Runs `body` in a describe block once per engine of `engines.ts`. */
export const forEachEngine = (body: (engine: Engine) => void): void => {
  for (const engine of engines) {
    if (engine.skip !== undefined) {
      // A skipped engine says why, in the test names and once on the console.
      describe.skip(`[${engine.name}] skipped: ${engine.skip}`, () => body(engine))
      reportSkip(engine)
    } else {
      describe(`[${engine.name}]`, () => body(engine))
    }
  }
}

const reported = new Set<string>()
const reportSkip = (engine: Engine): void => {
  if (reported.has(engine.name)) return
  reported.add(engine.name)
  console.warn(`conformance: engine ${engine.name} skipped: ${engine.skip}`)
}

let counter = 0
/** A name no other test uses. */
export const unique = (): string => `${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`

/** An initialized instance with one session and one open database, ended when the test finishes. */
export interface Env {
  readonly api: JetApi
  readonly instance: JET_INSTANCE
  readonly sesid: JET_SESID
  readonly dbid: JET_DBID
  /** The database's file name. */
  readonly dbPath: string
  /** A directory of the test's own. */
  readonly dir: string
}

const makeDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "esent-conformance-"))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** A created and initialized instance (terminated when the test finishes). */
export const openInstance = (
  engine: Engine,
  beforeInit?: (api: JetApi, instance: JET_INSTANCE) => void
): { readonly api: JetApi; readonly instance: JET_INSTANCE; readonly dir: string } => {
  const api = engine.make()
  const dir = makeDir()
  const created = ok(api.JetCreateInstance2(`conformance-${unique()}`, null, 0))
  engine.configure?.(api, created.instance, dir)
  beforeInit?.(api, created.instance)
  const { instance } = ok(api.JetInit3(created.instance, 0))
  onTestFinished(() => {
    api.JetTerm2(instance, JET_bitTermDirty)
  })
  return { api, instance, dir }
}

/** An instance, a session and a new database. */
export const openEnv = (
  engine: Engine,
  beforeInit?: (api: JetApi, instance: JET_INSTANCE) => void
): Env => {
  const { api, dir, instance } = openInstance(engine, beforeInit)
  const { sesid } = ok(api.JetBeginSession(instance, null, null))
  const dbPath = join(dir, `db-${unique()}.edb`)
  const { dbid } = ok(api.JetCreateDatabase2(sesid, dbPath, 0, 0))
  return { api, instance, sesid, dbid, dbPath, dir }
}

/** A second session on the same instance, with the database open. */
export const openSession = (env: Env): { readonly sesid: JET_SESID; readonly dbid: JET_DBID } => {
  const { sesid } = ok(env.api.JetBeginSession(env.instance, null, null))
  const { dbid } = ok(env.api.JetOpenDatabase(sesid, env.dbPath, null, 0))
  return { sesid, dbid }
}

// ---------------------------------------------------------------------------------------------
// Tables

/** A column of a table description. */
export interface ColumnSpec {
  readonly coltyp: number
  readonly grbit?: number
  readonly cbMax?: number
  readonly cp?: number
  readonly defaultValue?: Uint8Array
}

/** An index of a table description; `key` is e.g. `"+id-date"` or `["+id", "-date"]`. */
export interface IndexSpec {
  readonly name: string
  readonly key: string | ReadonlyArray<string>
  readonly grbit?: number
  readonly cbKeyMost?: number
}

/** The `szKey` of an index: `"+a-b"` becomes `"+a\0-b\0\0"`. */
export const keyString = (key: string | ReadonlyArray<string>): string => {
  const segments = typeof key === "string" ? key.match(/[+-][^+-]+/g) ?? [] : key
  return segments.map((s) => `${s}\0`).join("") + "\0"
}

/** A `JET_INDEXCREATE` from an index description. */
export const indexCreate = (spec: IndexSpec): JetIndexCreate => {
  const szKey = keyString(spec.key)
  return {
    szIndexName: spec.name,
    szKey,
    cbKey: szKey.length * 2,
    grbit: spec.grbit ?? 0,
    ulDensity: 100,
    ...(spec.cbKeyMost === undefined ? {} : { cbKeyMost: spec.cbKeyMost })
  }
}

/** A `JET_COLUMNCREATE` from a column description. */
export const columnCreate = (name: string, spec: ColumnSpec): JetColumnCreate => ({
  szColumnName: name,
  coltyp: spec.coltyp,
  cbMax: spec.cbMax ?? 0,
  grbit: spec.grbit ?? 0,
  cp: spec.cp ?? 0,
  pvDefault: spec.defaultValue ?? null,
  cbDefault: spec.defaultValue?.byteLength ?? 0
})

/** An open cursor on a created table, with its column ids by name. */
export interface Table<C extends string = string> {
  readonly name: string
  readonly tableid: JET_TABLEID
  readonly col: Readonly<Record<C, JET_COLUMNID>>
}

/** Creates a table (checking that every column and index was created) and returns its cursor. */
export const createTable = <C extends string>(
  env: { readonly api: JetApi; readonly sesid: JET_SESID; readonly dbid: JET_DBID },
  name: string,
  columns: Readonly<Record<C, ColumnSpec>>,
  indexes: ReadonlyArray<IndexSpec> = []
): Table<C> => {
  const names = Object.keys(columns) as Array<C>
  const created = ok(env.api.JetCreateTableColumnIndex2(env.sesid, env.dbid, {
    szTableName: name,
    ulPages: 0,
    ulDensity: 100,
    rgcolumncreate: names.map((n) => columnCreate(n, columns[n])),
    rgindexcreate: indexes.map(indexCreate)
  }))
  expect(created.columnErrs.map(codeName)).toEqual(names.map(() => codeName(0)))
  expect(created.indexErrs.map(codeName)).toEqual(indexes.map(() => codeName(0)))
  expect(created.cCreated).toBe(1 + names.length + indexes.length)
  const col = {} as Record<C, JET_COLUMNID>
  names.forEach((n, i) => {
    const id = created.columnids[i]
    if (id === undefined) throw new Error(`no columnid for ${n}`)
    col[n] = id
  })
  return { name, tableid: created.tableid, col }
}

// ---------------------------------------------------------------------------------------------
// Rows

/** A column value to set: bytes, or `null` for NULL. */
export type Value = Uint8Array | null

/** Sets every column of `values` on the prepared record (each must succeed). */
export const setColumns = (
  api: JetApi,
  sesid: JET_SESID,
  tableid: JET_TABLEID,
  values: ReadonlyArray<readonly [JET_COLUMNID, Value]>
): void => {
  for (const [columnid, value] of values) {
    ok(api.JetSetColumn(sesid, tableid, columnid, value, value?.byteLength ?? 0, 0, null))
  }
}

/** Inserts a row; returns `JetUpdate`'s code (the update is cancelled when it failed). */
export const insertRow = (
  api: JetApi,
  sesid: JET_SESID,
  tableid: JET_TABLEID,
  values: ReadonlyArray<readonly [JET_COLUMNID, Value]>
): number => {
  ok(api.JetPrepareUpdate(sesid, tableid, JET_prepInsert))
  setColumns(api, sesid, tableid, values)
  const { err } = api.JetUpdate(sesid, tableid, null, 0)
  if (err < 0) api.JetPrepareUpdate(sesid, tableid, 3)
  return err
}

/** Inserts a row that must succeed. */
export const insert = (
  api: JetApi,
  sesid: JET_SESID,
  tableid: JET_TABLEID,
  values: ReadonlyArray<readonly [JET_COLUMNID, Value]>
): void => {
  expectErr(insertRow(api, sesid, tableid, values), 0)
}

/** Replaces columns of the current record; returns `JetUpdate`'s code. */
export const replaceRow = (
  api: JetApi,
  sesid: JET_SESID,
  tableid: JET_TABLEID,
  values: ReadonlyArray<readonly [JET_COLUMNID, Value]>
): number => {
  const prepared = api.JetPrepareUpdate(sesid, tableid, JET_prepReplace)
  if (prepared.err < 0) return prepared.err
  setColumns(api, sesid, tableid, values)
  const { err } = api.JetUpdate(sesid, tableid, null, 0)
  if (err < 0) api.JetPrepareUpdate(sesid, tableid, 3)
  return err
}

/** The current record's value of a column (`null` for NULL), checking the buffer contract. */
export const retrieve = (
  api: JetApi,
  sesid: JET_SESID,
  tableid: JET_TABLEID,
  columnid: JET_COLUMNID,
  grbit = 0,
  itagSequence = 1
): Value => {
  const retinfo = itagSequence === 1 ? null : { ibLongValue: 0, itagSequence }
  const size = api.JetRetrieveColumn(sesid, tableid, columnid, null, 0, grbit, retinfo)
  if (size.err === jetErrorCodes.JET_wrnColumnNull) {
    expect(size.cbActual).toBe(0)
    return null
  }
  if (size.cbActual > 0) expectErr(size, jetErrorCodes.JET_wrnBufferTruncated)
  else expectErr(size, 0)
  const buffer = new Uint8Array(size.cbActual)
  const full = ok(api.JetRetrieveColumn(sesid, tableid, columnid, buffer, buffer.byteLength, grbit, retinfo))
  expect(full.cbActual).toBe(size.cbActual)
  return buffer
}

/** Every record of the current index, first to last, as the value of `columnid`. */
export const walk = (
  api: JetApi,
  sesid: JET_SESID,
  tableid: JET_TABLEID,
  columnid: JET_COLUMNID
): Array<Value> => {
  const out: Array<Value> = []
  let err = api.JetMove(sesid, tableid, JET_MoveFirst, 0).err
  while (err === 0) {
    out.push(retrieve(api, sesid, tableid, columnid))
    err = api.JetMove(sesid, tableid, JET_MoveNext, 0).err
  }
  expectErr(err, jetErrorCodes.JET_errNoCurrentRecord)
  return out
}

/** Counts the records of the current index (from the first, within no range). */
export const countRows = (api: JetApi, sesid: JET_SESID, tableid: JET_TABLEID): number => {
  let n = 0
  let err = api.JetMove(sesid, tableid, JET_MoveFirst, 0).err
  while (err === 0) {
    n++
    err = api.JetMove(sesid, tableid, JET_MoveNext, 0).err
  }
  expectErr(err, jetErrorCodes.JET_errNoCurrentRecord)
  return n
}

/** Makes a key from the given segments (the first with `JET_bitNewKey`). */
export const makeKey = (
  api: JetApi,
  sesid: JET_SESID,
  tableid: JET_TABLEID,
  ...segments: ReadonlyArray<Value>
): void => {
  segments.forEach((s, i) => {
    ok(api.JetMakeKey(sesid, tableid, s, s?.byteLength ?? 0, i === 0 ? 1 : 0))
  })
}

/** The current index entry's normalized key. */
export const currentKey = (api: JetApi, sesid: JET_SESID, tableid: JET_TABLEID, grbit = 0): Uint8Array => {
  const buffer = new Uint8Array(2048)
  const { cbActual } = ok(api.JetRetrieveKey(sesid, tableid, buffer, buffer.byteLength, grbit))
  return buffer.slice(0, cbActual)
}

// ---------------------------------------------------------------------------------------------
// Values (little-endian, as the C types are laid out in memory)

const bytes = (size: number, write: (view: DataView) => void): Uint8Array => {
  const out = new Uint8Array(size)
  write(new DataView(out.buffer))
  return out
}
const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength)

export const enc = {
  bit: (v: boolean): Uint8Array => Uint8Array.of(v ? 0xff : 0),
  u8: (v: number): Uint8Array => Uint8Array.of(v),
  i16: (v: number): Uint8Array => bytes(2, (d) => d.setInt16(0, v, true)),
  u16: (v: number): Uint8Array => bytes(2, (d) => d.setUint16(0, v, true)),
  i32: (v: number): Uint8Array => bytes(4, (d) => d.setInt32(0, v, true)),
  u32: (v: number): Uint8Array => bytes(4, (d) => d.setUint32(0, v, true)),
  i64: (v: bigint): Uint8Array => bytes(8, (d) => d.setBigInt64(0, v, true)),
  u64: (v: bigint): Uint8Array => bytes(8, (d) => d.setBigUint64(0, v, true)),
  f32: (v: number): Uint8Array => bytes(4, (d) => d.setFloat32(0, v, true)),
  f64: (v: number): Uint8Array => bytes(8, (d) => d.setFloat64(0, v, true)),
  /** A float from its raw bits (for NaNs of either sign). */
  f64bits: (bits: bigint): Uint8Array => bytes(8, (d) => d.setBigUint64(0, bits, true)),
  /** An OLE Automation date: days since 1899-12-30. */
  date: (d: Date): Uint8Array => enc.f64((d.getTime() - Date.UTC(1899, 11, 30)) / 86_400_000),
  /** cp 1252 text: one byte per character (Latin-1 range only). */
  ascii: (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff),
  /** cp 1200 text: UTF-16LE. */
  utf16: (s: string): Uint8Array =>
    bytes(s.length * 2, (d) => {
      for (let i = 0; i < s.length; i++) d.setUint16(i * 2, s.charCodeAt(i), true)
    }),
  /** A GUID in its memory layout (Data1-3 little-endian) from its canonical string. */
  guid: (s: string): Uint8Array => {
    const hex = s.replace(/-/g, "")
    const b = Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16))
    return Uint8Array.of(b[3]!, b[2]!, b[1]!, b[0]!, b[5]!, b[4]!, b[7]!, b[6]!, ...b.slice(8))
  },
  bin: (...v: ReadonlyArray<number>): Uint8Array => Uint8Array.from(v)
}

export const dec = {
  u8: (b: Uint8Array): number => view(b).getUint8(0),
  i16: (b: Uint8Array): number => view(b).getInt16(0, true),
  u16: (b: Uint8Array): number => view(b).getUint16(0, true),
  i32: (b: Uint8Array): number => view(b).getInt32(0, true),
  u32: (b: Uint8Array): number => view(b).getUint32(0, true),
  i64: (b: Uint8Array): bigint => view(b).getBigInt64(0, true),
  u64: (b: Uint8Array): bigint => view(b).getBigUint64(0, true),
  f32: (b: Uint8Array): number => view(b).getFloat32(0, true),
  f64: (b: Uint8Array): number => view(b).getFloat64(0, true),
  ascii: (b: Uint8Array): string => String.fromCharCode(...b),
  utf16: (b: Uint8Array): string => {
    let s = ""
    for (let i = 0; i + 1 < b.byteLength; i += 2) s += String.fromCharCode(view(b).getUint16(i, true))
    return s
  },
  /** A NUL-terminated UTF-16LE string at the start of a buffer. */
  wsz: (b: Uint8Array): string => {
    const s = dec.utf16(b)
    const nul = s.indexOf("\0")
    return nul < 0 ? s : s.slice(0, nul)
  }
}

/** Non-null value of a retrieve, for tests that know the column is set. */
export const must = <A>(value: A | null | undefined): A => {
  expect(value).not.toBeNull()
  expect(value).not.toBeUndefined()
  return value as A
}

/** Hex of a byte string, for readable comparisons. */
export const hex = (b: Uint8Array | null): string =>
  b === null ? "null" : Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ")

/** A deterministic shuffle (a small LCG), so that failures reproduce. */
export const shuffled = <A>(items: ReadonlyArray<A>, seed = 12345): Array<A> => {
  const out = [...items]
  let s = seed >>> 0
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    const j = s % (i + 1)
    const tmp = out[i] as A
    out[i] = out[j] as A
    out[j] = tmp
  }
  return out
}
