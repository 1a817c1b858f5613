// Ground truth for key normalization: the keys the real engine stored in index.edb's indexes
// against the memory engine's normalization (src/memory/keys.ts) of the same record's values.
// docs/ESENT-SEMANTICS.md, "Key normalization checked against real files".
import { afterAll, describe, expect, it } from "@effect/vitest"
import { sortKey } from "../../../src/collation/sortKey.ts"
import type { ColumnInfo, EseFile, IndexInfo, TableInfo } from "../../../src/file/index.ts"
import { EseFile as File, IdbFlag } from "../../../src/file/index.ts"
import { JET_coltypLongText, JET_coltypText } from "../../../src/jet/constants.ts"
import type { SegmentSpec } from "../../../src/memory/keys.ts"
import { makeIndexKey } from "../../../src/memory/keys.ts"
import { unpackFixtures } from "../fixtures.ts"

const fixtures = unpackFixtures(["index.edb"])
const file = File.open(fixtures.path("index.edb"))
afterAll(() => {
  file.close()
  fixtures.cleanup()
})

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex")

const isUnicodeText = (column: ColumnInfo): boolean =>
  (column.coltyp === JET_coltypText || column.coltyp === JET_coltypLongText) && column.codepage === 1200

const specOf = (index: IndexInfo, column: ColumnInfo, descending: boolean): SegmentSpec => ({
  coltyp: column.coltyp,
  cp: column.codepage,
  descending,
  nullsHigh: (index.flags & IdbFlag.SortNullsHigh) !== 0,
  fixed: column.id < 128,
  cbMax: column.size
})

/** Our key of every entry of `index`, side by side with the stored one. */
const keysOf = (db: EseFile, table: TableInfo, index: IndexInfo) => {
  const columns = index.segments.map((s) => table.columns.find((c) => c.id === s.columnId)!)
  const specs = index.segments.map((s, i) => specOf(index, columns[i]!, s.descending))
  return [...db.indexEntries(table, index)].map((entry) => {
    const record = db.recordOf(table, entry)
    const values = columns.map((c) => record.values(c)?.[0]?.bytes ?? null)
    return { stored: entry.key, ours: makeIndexKey(specs, values, index.keyMost).key }
  })
}

const table = file.table("index")
const plainIndexes = table.indexes.filter((ix) =>
  ix.segments.every((s) => !isUnicodeText(table.columns.find((c) => c.id === s.columnId)!))
)
const unicodeIndexes = table.indexes.filter((ix) => !plainIndexes.includes(ix))

describe("index.edb: stored keys against src/memory/keys.ts", () => {
  it("covers every non-Unicode coltyp's index and both Unicode ones", () => {
    expect(plainIndexes.map((ix) => ix.name).sort()).toEqual([
      "IxASCII",
      "IxBinary",
      "IxBit",
      "IxCurrenc",
      "IxDateTime",
      "IxGUID",
      "IxIEEEDouble",
      "IxIEEESingle",
      "IxId",
      "IxLong",
      "IxLongASCII",
      "IxLongBinary",
      "IxLongLong",
      "IxShort",
      "IxUnsignedByte",
      "IxUnsignedLong",
      "IxUnsignedShort"
    ])
    expect(unicodeIndexes.map((ix) => ix.name).sort()).toEqual(["IxLongUnicode", "IxUnicode"])
  })

  for (const index of plainIndexes) {
    it(`${index.name}: every stored key equals ours byte for byte`, () => {
      const pairs = keysOf(file, table, index)
      expect(pairs.length).toBeGreaterThan(0)
      for (const { ours, stored } of pairs) expect(hex(ours)).toBe(hex(stored))
    })
  }

  it("a wrong normalization is caught: a key built as if the column were descending differs", () => {
    const index = plainIndexes.find((ix) => ix.name === "IxLong")!
    const column = table.columns.find((c) => c.id === index.segments[0]!.columnId)!
    const record = file.recordOf(table, file.indexEntries(table, index).next().value!)
    const wrong = makeIndexKey([specOf(index, column, true)], [record.values(column)![0]!.bytes], 255).key
    expect(hex(wrong)).not.toBe(hex(file.indexEntries(table, index).next().value!.key))
  })
})

describe("index.edb: Unicode text keys side by side", () => {
  // ESE stores Windows' LCMapStringEx sort key of Unicode text after the 0x7F data byte; the memory
  // engine's keys.ts upper-cases UTF-16 code units instead, and src/collation rebuilds Windows' key.
  // The stored bytes are the truth; this shows how far each of ours is from them
  // (docs/ESENT-SEMANTICS.md lists the same bytes).
  const expected: Record<string, { stored: string; keysTs: string; covered: string }> = {
    IxUnicode: {
      stored: "7f0e910e320e510e7e0e480e2107020e9f0e700e320e0a0e7c0e1a0e2107020e",
      keysTs: "7f00530049004d0050004c004500200055004e00490043004f00440045002000",
      covered: "Simple Unicode text "
    },
    IxLongUnicode: {
      stored: "7f0e480e7c0e700e2507020e9f0e700e320e0a0e7c0e1a0e2107020e990e210e",
      keysTs: "7f004c004f004e004700200055004e00490043004f0044004500200054004500",
      covered: "Long Unicode text "
    }
  }
  for (const index of unicodeIndexes) {
    it(`${index.name}: stored key, keys.ts's key, and the Windows sort key we can build`, () => {
      const column = table.columns.find((c) => c.id === index.segments[0]!.columnId)!
      const [pair] = keysOf(file, table, index)
      const record = file.recordOf(table, file.indexEntries(table, index).next().value!)
      const text = Buffer.from(record.values(column)![0]!.bytes).toString("utf16le")
      const want = expected[index.name]!
      expect(hex(pair!.stored).slice(0, 64)).toBe(want.stored)
      expect(hex(pair!.ours).slice(0, 64)).toBe(want.keysTs)
      // src/collation builds Windows' sort key: after the 0x7F data byte it is the stored key, cut
      // at the index's key limit like every key.
      const built = sortKey(text, index.lcMapFlags)
      if (built._tag !== "Built") throw new Error(`no sort key: ${JSON.stringify(built.refusal)}`)
      const ours = new Uint8Array([0x7f, ...built.key]).subarray(0, index.keyMost)
      expect(hex(ours)).toBe(hex(pair!.stored))
      expect(text.startsWith(want.covered)).toBe(true)
    })
  }
})
