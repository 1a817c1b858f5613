// Runs Debian's esedbexport (libesedb-utils) on a database and reads back its tab-separated tables,
// and formats our values the way it prints them, so that each cell can be compared.
import { execFileSync } from "node:child_process"
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { ColumnInfo, ResolvedValue } from "../../src/file/index.ts"
import { Coltyp, decodeText } from "../../src/file/index.ts"

/** One exported table: its header cells and its rows of cells. */
export interface ExportedTable {
  readonly header: ReadonlyArray<string>
  readonly rows: ReadonlyArray<ReadonlyArray<string>>
}

/** Exports every table of `file` with esedbexport into a temporary folder, reads it, and removes the folder. */
export const exportTables = (file: string, timeoutMs = 300_000): Map<string, ExportedTable> => {
  const dir = mkdtempSync(join(tmpdir(), "esedbexport-"))
  try {
    const target = join(dir, "out")
    try {
      execFileSync("esedbexport", ["-t", target, file], { stdio: "ignore", timeout: timeoutMs })
    } catch {
      // esedbexport exits non-zero when one table fails; what it wrote before that is still read.
    }
    const tables = new Map<string, ExportedTable>()
    const folder = `${target}.export`
    for (const name of readdirSync(folder)) {
      const text = readFileSync(join(folder, name), "utf8")
      const lines = text.split("\n")
      if (lines.at(-1) === "") lines.pop()
      const [header = "", ...rows] = lines
      tables.set(name.replace(/\.\d+$/, ""), {
        header: header.split("\t"),
        rows: rows.map((row) => row.split("\t"))
      })
    }
    return tables
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex")

const escapeText = (text: string): string =>
  text.replace(/\0+$/, "").replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(
    /\r/g,
    "\\r"
  )

/** One value printed as esedbexport prints it. */
export const formatValue = (column: ColumnInfo, bytes: Uint8Array): string => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  switch (column.coltyp) {
    case Coltyp.Bit:
      return bytes[0] === 0 ? "false" : "true"
    case Coltyp.UnsignedByte:
      return String(bytes[0])
    case Coltyp.Short:
      return String(view.getInt16(0, true))
    case Coltyp.UnsignedShort:
      return String(view.getUint16(0, true))
    case Coltyp.Long:
      return String(view.getInt32(0, true))
    case Coltyp.UnsignedLong:
      return String(view.getUint32(0, true))
    case Coltyp.LongLong:
      return String(view.getBigInt64(0, true))
    case Coltyp.Currency:
      return String(view.getBigUint64(0, true))
    case Coltyp.IEEESingle:
      return view.getFloat32(0, true).toFixed(6)
    case Coltyp.IEEEDouble:
      return view.getFloat64(0, true).toFixed(6)
    case Coltyp.DateTime:
      return `(0x${view.getUint32(4, true).toString(16).padStart(8, "0")} 0x${
        view.getUint32(0, true).toString(16).padStart(8, "0")
      })`
    case Coltyp.Text:
    case Coltyp.LongText:
      return escapeText(decodeText(bytes, column.codepage))
    default:
      return hex(bytes)
  }
}

/** A cell printed as esedbexport prints it: empty for null, values joined by "; ". */
export const formatCell = (column: ColumnInfo, values: ReadonlyArray<ResolvedValue> | undefined): string =>
  values === undefined ? "" : values.map((v) => formatValue(column, v.bytes)).join("; ")
