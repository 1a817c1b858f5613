// Ground truth: every record and column value of every table of the small real databases equals
// what Debian's esedbexport writes, except the disagreements decided from the bytes (named in
// docs/file-format.md and asserted one by one below).
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { EseRecord, TableInfo } from "../../src/file/index.ts"
import { EseFile } from "../../src/file/index.ts"
import type { ExportedTable } from "./esedbexport.ts"
import { exportTables } from "./esedbexport.ts"
import { quickFixtureNames, unpackFixtures } from "./fixtures.ts"
import type { Difference } from "./groundtruth.ts"
import { compareTable } from "./groundtruth.ts"

const files = quickFixtureNames

const fixtures = unpackFixtures(files)

const firstRecord = (db: EseFile, table: TableInfo): EseRecord => {
  for (const record of db.records(table)) return record
  throw new Error(`table ${table.name} is empty`)
}
const exports = new Map<string, Map<string, ExportedTable>>()
const differences = new Map<string, ReadonlyArray<Difference>>()

beforeAll(() => {
  for (const file of files) exports.set(file, exportTables(fixtures.path(file)))
})
afterAll(() => fixtures.cleanup())

describe.each(files)("%s against esedbexport", (file) => {
  it("has every table esedbexport exports, with the same records, each cell equal or a known disagreement", () => {
    const exported = exports.get(file)!
    const db = EseFile.open(fixtures.path(file))
    try {
      expect(db.tables.map((t) => t.name).sort()).toEqual([...exported.keys()].sort())
      const all: Array<Difference> = []
      for (const table of db.tables) {
        const theirs = exported.get(table.name)!
        const { differences: found, records } = compareTable(db, table, theirs)
        expect(records, table.name).toBe(theirs.rows.length)
        all.push(...found)
      }
      differences.set(file, all)
      expect(all.filter((d) => d.reason === "unexplained")).toEqual([])
    } finally {
      db.close()
    }
  })
})

describe("disagreements with esedbexport, decided from the bytes", () => {
  const reasonsOf = (file: string) => new Set((differences.get(file) ?? []).map((d) => d.reason))
  const open = <A>(file: string, f: (db: EseFile) => A): A => {
    const db = EseFile.open(fixtures.path(file))
    try {
      return f(db)
    } finally {
      db.close()
    }
  }

  it("IEEESingle 1.0 is 1.0 (index.edb's IxIEEESingle key 7F BF 80 00 00 is 1.0f), esedbexport prints 0.000000", () => {
    expect(reasonsOf("index.edb").has("ieee-single-zero")).toBe(true)
    open("index.edb", (db) => {
      const table = db.table("index")
      const record = firstRecord(db, table)
      expect(record.value(db.column(table, "IEEESingle"))).toBe(1)
      const entry = db.indexEntries(table, db.index(table, "IxIEEESingle")).next().value!
      expect(Buffer.from(entry.key).toString("hex")).toBe("7fbf800000")
    })
  })

  it("a fixed column whose null bit is set is null; esedbexport prints its 0x2A filler bytes", () => {
    expect(reasonsOf("text.edb").has("null-bit-ignored")).toBe(true)
    open("text.edb", (db) => {
      const table = db.table("text")
      const column = db.column(table, "NullableFixedASCII")
      const record = firstRecord(db, table)
      expect(record.value(column)).toBeNull()
      const stored = record.data.bytes.subarray(column.recordOffset, column.recordOffset + 4)
      expect(Buffer.from(stored).toString("hex")).toBe("2a2a2a2a")
    })
  })

  it("UTF-16 surrogate pairs decode to U+1F98A (bytes 3E D8 8A DD); esedbexport prints U+1F58B", () => {
    expect(reasonsOf("text.edb").has("utf16-surrogates")).toBe(true)
    open("text.edb", (db) => {
      const table = db.table("text")
      const record = firstRecord(db, table)
      const bytes = record.values(db.column(table, "Unicode"))![0]!.bytes
      expect(Buffer.from(bytes).toString("hex")).toContain("3ed88add")
      expect(record.value(db.column(table, "Unicode"))).toBe("Simple Unicode text \u{1F98A}")
    })
  })

  it("long values esedbexport writes empty are read whole", () => {
    expect(reasonsOf("index.edb").has("long-value-empty")).toBe(true)
    expect(reasonsOf("museum-Win10-clean-Windows.edb").has("long-value-empty")).toBe(true)
    open("index.edb", (db) => {
      const table = db.table("index")
      const record = firstRecord(db, table)
      const text = record.value(db.column(table, "LongASCII")) as string
      expect(text.startsWith("Long ASCII text aaaa")).toBe(true)
    })
  })

  it("multi-valued columns of every type are read; esedbexport leaves non-text ones empty", () => {
    expect(reasonsOf("multi.edb").has("multi-value-non-text-empty")).toBe(true)
    open("multi.edb", (db) => {
      const table = db.table("multi")
      const record = firstRecord(db, table)
      expect(record.allValues(db.column(table, "Long"))).toEqual([0, -2147483647, 2147483647])
      expect(record.allValues(db.column(table, "Bit"))).toEqual([false, true])
    })
  })

  it("separated multi-values are fetched from the long-value tree; esedbexport prints their long-value ids", () => {
    expect(reasonsOf("multi.edb").has("separated-multi-value-id")).toBe(true)
    open("multi.edb", (db) => {
      const table = db.table("multi")
      const record = firstRecord(db, table)
      const values = record.values(db.column(table, "LongASCII"))!
      expect(values.every((v) => v.separated)).toBe(true)
      expect(record.stored(db.column(table, "LongASCII"))!.map((v) => v.bytes.byteLength)).toEqual([4, 4, 4])
    })
  })

  it("fixed Unicode text is read as UTF-16; esedbexport stops at its first zero byte", () => {
    expect(reasonsOf("text.edb").has("fixed-unicode-truncated")).toBe(true)
    open("text.edb", (db) => {
      const table = db.table("text")
      const record = firstRecord(db, table)
      expect(
        (record.value(db.column(table, "FixedUnicode")) as string).startsWith("Fixed Unicode text \u{1F98A}")
      ).toBe(true)
    })
  })

  it("compressed values are expanded; esedbexport writes them empty or as undecoded bytes", () => {
    expect(reasonsOf("eseparser-decompress_test2.edb").has("compressed-value-misdecoded")).toBe(true)
    open("eseparser-decompress_test2.edb", (db) => {
      const table = db.table("test_table")
      const record = firstRecord(db, table)
      expect(record.stored(db.column(table, "compressed_ascii"))![0]!.separated).toBe(true)
      expect((record.value(db.column(table, "compressed_ascii")) as string).startsWith("Record ")).toBe(true)
      expect((record.value(db.column(table, "compressed_unicode")) as string).startsWith("Record ")).toBe(
        true
      )
    })
  })

  it("7-bit Unicode in a binary column expands to UTF-16 bytes; esedbexport drops the high bytes", () => {
    expect(reasonsOf("museum-Win10-clean-Windows.edb").has("seven-bit-unicode-in-binary")).toBe(true)
  })
})
