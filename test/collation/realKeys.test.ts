/**
 * Sort keys against the keys real ESE stored on Windows. Both sides come from the files, read with
 * the file reader's modules: the index's flags and key columns from the catalog, the stored key of
 * each entry from the index tree, and the text from the entry's record.
 *
 * - `museum-Win10-clean-Windows.edb` (Windows 10 search index, NLS sort version 6.3.5 recorded in
 *   its MSysLocales table): table `SystemIndex_Gthr`, primary index `indexUrl` over (ScopeID
 *   UnsignedLong, FileName Unicode text), LCMapFlags 0x410 (LCMAP_SORTKEY | LINGUISTIC_IGNORECASE).
 * - `index.edb` (sort version 6.2.15): table `index`, indexes `IxUnicode` and `IxLongUnicode`,
 *   LCMapFlags 0x30401, over Unicode columns whose one value ends with U+1F98A.
 */
import { describe, expect, it } from "@effect/vitest"
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gunzipSync } from "node:zlib"
import { afterAll, beforeAll } from "vitest"
import { windowsSortKey } from "../../src/collation/sortKey.ts"
import type { IndexInfo, TableInfo } from "../../src/file/catalog.ts"
import { readCatalog } from "../../src/file/catalog.ts"
import { decompress } from "../../src/file/compression/index.ts"
import { PageSource } from "../../src/file/pages.ts"
import { RecordData } from "../../src/file/record.ts"
import { treeEntries } from "../../src/file/tree.ts"

const fixture = (name: string) => new URL(`../fixtures/real-edb/${name}`, import.meta.url)
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex")

let folder: string
const open: Array<number> = []
const openFixture = (name: string, pageSize: number): PageSource => {
  const path = join(folder, name)
  writeFileSync(path, gunzipSync(readFileSync(fixture(`${name}.gz`))))
  const fd = openSync(path, "r")
  open.push(fd)
  return new PageSource(fd, pageSize)
}

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), "esent-sortkeys-"))
})
afterAll(() => {
  for (const fd of open) closeSync(fd)
  rmSync(folder, { recursive: true, force: true })
})

const utf16 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("utf16le")

interface GathererEntry {
  readonly stored: Uint8Array
  readonly scope: number
  readonly fileName: string
}

const table = (catalog: ReadonlyArray<TableInfo>, name: string): TableInfo => {
  const found = catalog.find((t) => t.name === name)
  expect(found).toBeDefined()
  return found!
}
const indexOf = (info: TableInfo, name: string): IndexInfo => {
  const found = info.indexes.find((i) => i.name === name)
  expect(found).toBeDefined()
  return found!
}
const columnNamed = (info: TableInfo, name: string) => {
  const found = info.columns.find((c) => c.name === name)
  expect(found).toBeDefined()
  return found!
}

const gathererEntries = (pages: PageSource): Array<GathererEntry> => {
  const gatherer = table(readCatalog(pages), "SystemIndex_Gthr")
  const indexUrl = indexOf(gatherer, "indexUrl")
  const scopeColumn = columnNamed(gatherer, "ScopeID")
  const nameColumn = columnNamed(gatherer, "FileName")
  // What the test relies on, as the catalog says it.
  expect(indexUrl.primary).toBe(true)
  expect(indexUrl.lcMapFlags).toBe(0x410)
  expect(indexUrl.segments).toEqual([
    { columnId: scopeColumn.id, descending: false },
    { columnId: nameColumn.id, descending: false }
  ])
  expect(nameColumn.codepage).toBe(1200)
  const entries: Array<GathererEntry> = []
  for (const entry of treeEntries(pages, indexUrl.rootPage)) {
    const record = new RecordData(entry.data, true, entry.pgno)
    const scope = record.values(scopeColumn)![0]!
    const name = record.values(nameColumn)![0]!
    expect(name.separated).toBe(false)
    entries.push({
      stored: entry.key,
      scope: new DataView(scope.bytes.buffer, scope.bytes.byteOffset).getUint32(0, true),
      // Most names are stored compressed (ESE's 7-bit scheme for Unicode text).
      fileName: utf16(name.compressed ? decompress(name.bytes) : name.bytes)
    })
  }
  return entries
}

let museumEntries: Array<GathererEntry> | undefined
const museum = (): Array<GathererEntry> =>
  museumEntries ??= gathererEntries(openFixture("museum-Win10-clean-Windows.edb", 32768))

// The key ESE builds for (ScopeID, FileName): a 0x7F header and the big-endian number, then a
// 0x7F header and the sort key.
const gathererKey = (scope: number, fileName: string, flags: number): Uint8Array | undefined => {
  const text = windowsSortKey(fileName, flags)
  if (text === undefined) return undefined
  const key = new Uint8Array(6 + text.byteLength)
  key[0] = 0x7f
  new DataView(key.buffer).setUint32(1, scope, false)
  key[5] = 0x7f
  key.set(text, 6)
  return key
}

describe("sort keys equal the keys Windows stored", () => {
  it("every entry of a Windows 10 search index's (ScopeID, FileName) index, byte for byte", () => {
    const entries = museum()
    expect(entries.length).toBe(1256)
    const mismatches = entries.filter((e) => {
      const ours = gathererKey(e.scope, e.fileName, 0x410)
      return ours === undefined || hex(ours) !== hex(e.stored)
    })
    expect(mismatches.map((e) => e.fileName)).toEqual([])
    // What the file names cover: letters of both cases, digits, space, the word-sort punctuation
    // '-' (special section), and the symbols . _ ( ) { } $ ! +
    const characters = new Set(entries.flatMap((e) => [...e.fileName]))
    for (const ch of "aZ09 -._(){}$!+") expect(characters.has(ch)).toBe(true)
  })

  it("the comparison catches a wrong case rule: case-sensitive keys differ from the stored ones", () => {
    const entries = museum()
    const differing = entries.filter((e) => hex(gathererKey(e.scope, e.fileName, 0x400)!) !== hex(e.stored))
    // Every name with a capital letter gains a case section under flags without LINGUISTIC_IGNORECASE.
    expect(differing.length).toBe(entries.filter((e) => /[A-Z]/.test(e.fileName)).length)
    expect(differing.length).toBeGreaterThan(1000)
  })

  it("index.edb's IxUnicode and IxLongUnicode, byte for byte, a surrogate pair included", () => {
    const pages = openFixture("index.edb", 4096)
    const info = table(readCatalog(pages), "index")
    const ixUnicode = indexOf(info, "IxUnicode")
    const ixLongUnicode = indexOf(info, "IxLongUnicode")
    const unicode = columnNamed(info, "Unicode")
    const longUnicode = columnNamed(info, "LongUnicode")
    expect(ixUnicode.lcMapFlags).toBe(0x30401)
    expect(ixLongUnicode.lcMapFlags).toBe(0x30401)
    expect(ixUnicode.segments).toEqual([{ columnId: unicode.id, descending: false }])
    expect(ixLongUnicode.segments).toEqual([{ columnId: longUnicode.id, descending: false }])
    const records = [...treeEntries(pages, info.rootPage)]
    expect(records.length).toBe(1)
    const record = new RecordData(records[0]!.data, false)
    const text = utf16(record.values(unicode)![0]!.bytes)
    // U+1F98A (libesedb 20181229 prints U+1F58B here; the record's bytes are D83E DD8A).
    expect(text).toBe("Simple Unicode text \u{1F98A}")

    const stored = [...treeEntries(pages, ixUnicode.rootPage)].map((e) => e.key)
    expect(stored.length).toBe(1)
    const ours = windowsSortKey(text, 0x30401)!
    expect(hex(stored[0]!)).toBe(`7f${hex(ours)}`)
    // The surrogates weigh one by one (B0 40, B6 86; diacritics 3F 3F keep the twenty 02 before
    // them), and with both NORM_IGNORECASE and NORM_IGNOREWIDTH there is no case section.
    expect(hex(ours.subarray(40))).toBe(`b040b68601${"02".repeat(20)}3f3f01010100`)
    // Without NORM_IGNOREWIDTH the case section stays, and the surrogates' case weight 3F survives
    // the mask as 07: the key would no longer be the stored one.
    const withCase = windowsSortKey(text, 0x10401)!
    expect(hex(withCase.subarray(40))).toBe(
      `b040b68601${"02".repeat(20)}3f3f01${"02".repeat(20)}0707010100`
    )
    expect(hex(stored[0]!)).not.toBe(`7f${hex(withCase)}`)

    // LongUnicode is a separated long value: an id in the table's LV tree, whose chunks are keyed
    // by (id, offset), both big-endian.
    const longValue = record.values(longUnicode)![0]!
    expect(longValue.separated).toBe(true)
    const lid = hex(longValue.bytes.slice().reverse())
    const chunks = [...treeEntries(pages, info.longValueRootPage!)].filter((e) =>
      e.key.byteLength === 8 && hex(e.key).startsWith(lid)
    )
    const longText = utf16(Buffer.concat(chunks.map((e) => e.data)))
    expect(longText.startsWith("Long Unicode text \u{1F98A} aaaa")).toBe(true)
    const storedLong = [...treeEntries(pages, ixLongUnicode.rootPage)].map((e) => e.key)
    expect(storedLong.length).toBe(1)
    // The key is cut at the index's 255 bytes: the header and the first 254 bytes of the sort key.
    expect(storedLong[0]!.byteLength).toBe(255)
    expect(hex(storedLong[0]!)).toBe(`7f${hex(windowsSortKey(longText, 0x30401)!.subarray(0, 254))}`)
  })
})
