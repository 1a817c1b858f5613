/**
 * Lists the engine returns as temporary tables (`JET_ColInfoList`, `JET_IdxInfoList`): reading
 * their rows, and the list struct's fields.
 */
import type { JetApi, JetResult } from "../jet/api.ts"
import * as C from "../jet/constants.ts"
import { jetErrorCodes } from "../jet/errors.generated.ts"
import { JET_COLUMNID, type JET_SESID, JET_TABLEID } from "../jet/handles.ts"
import { structLayout } from "../jet/structs.ts"

/** UTF-16LE text of `length` bytes, trailing NULs dropped. */
export const decodeUtf16 = (bytes: Uint8Array, length: number): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, length).toString("utf16le").replace(/\0+$/, "")

/** One row of an engine list table, read column by column; a failed read fails the whole list. */
export interface ListRow {
  readonly u32: (columnid: number) => number
  readonly u16: (columnid: number) => number
  readonly text: (columnid: number) => string
}

/**
 * Reads every row of a list the engine returned as a temporary table (`JET_ColInfoList`,
 * `JET_IdxInfoList`), then closes it. A read that fails fails the whole list: a value read as
 * NULL would pass for a column without a name, or of id, type or size 0.
 */
const readList = <A>(
  api: JetApi,
  sesid: JET_SESID,
  tableid: JET_TABLEID,
  row: (read: ListRow) => A
): { readonly err: number; readonly rows: ReadonlyArray<A> } => {
  const buffer = new Uint8Array(512)
  const view = new DataView(buffer.buffer)
  let failed = 0
  const retrieve = (columnid: number, cbMax: number): number => {
    const r = api.JetRetrieveColumn(sesid, tableid, JET_COLUMNID(columnid), buffer, cbMax, 0, null)
    if (r.err < 0 && failed === 0) failed = r.err
    return r.err < 0 ? 0 : r.cbActual
  }
  const read: ListRow = {
    u32: (columnid) => retrieve(columnid, 4) === 0 ? 0 : view.getUint32(0, true),
    u16: (columnid) => retrieve(columnid, 2) === 0 ? 0 : view.getUint16(0, true),
    text: (columnid) =>
      decodeUtf16(buffer, Math.min(retrieve(columnid, buffer.byteLength), buffer.byteLength))
  }
  const rows: Array<A> = []
  try {
    let moved = api.JetMove(sesid, tableid, C.JET_MoveFirst, 0)
    while (moved.err >= 0) {
      const value = row(read)
      if (failed < 0) return { err: failed, rows }
      rows.push(value)
      moved = api.JetMove(sesid, tableid, C.JET_MoveNext, 0)
    }
    return { err: moved.err === jetErrorCodes.JET_errNoCurrentRecord ? 0 : moved.err, rows }
  } finally {
    api.JetCloseTable(sesid, tableid)
  }
}

/**
 * Asks the engine for a list (`fill` writes the list struct into the buffer it is given), then
 * reads every row of the temporary table the struct names. `field` gives the list table's column
 * id for a field of the struct, e.g. `field("columnidcolumnname")`.
 */
export const readInfoList = <A>(
  api: JetApi,
  sesid: JET_SESID,
  struct: "JET_COLUMNLIST" | "JET_INDEXLIST",
  fill: (pvResult: Uint8Array, cbMax: number) => JetResult,
  row: (read: ListRow, field: (name: string) => number) => A
): { readonly err: number; readonly rows: ReadonlyArray<A> } => {
  const layout = structLayout(struct)
  const bytes = new Uint8Array(layout.size)
  const view = new DataView(bytes.buffer)
  const filled = fill(bytes, layout.size)
  if (filled.err < 0) return { err: filled.err, rows: [] }
  const field = (name: string): number => view.getUint32(layout.byName.get(name)!.offset, true)
  const tableid = JET_TABLEID(view.getBigUint64(layout.byName.get("tableid")!.offset, true))
  return readList(api, sesid, tableid, (read) => row(read, field))
}
