/**
 * Sort keys against the keys real ESE stored on Windows. Both sides come from the files: the
 * stored index key of each entry, and the text value in the entry's record, decoded with the file
 * reader's page, tree and record modules.
 *
 * - `museum-Win10-clean-Windows.edb` (Windows 10 search index, NLS sort version 6.3.5 recorded in
 *   its MSysLocales table): table `SystemIndex_Gthr`, whose primary index `indexUrl` is (ScopeID
 *   UnsignedLong, FileName Unicode text) with LCMapFlags 0x410 (LCMAP_SORTKEY |
 *   LINGUISTIC_IGNORECASE) and root page 33 (from the catalog, `esedbinfo`/`esedbexport`).
 * - `index.edb` (sort version 6.2.15): table `index` (root page 31), index `IxUnicode` (root page 56,
 *   LCMapFlags 0x30401) over the Unicode column 130, whose one value ends with U+1F58B.
 */
import { describe, expect, it } from "@effect/vitest"
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gunzipSync } from "node:zlib"
import { afterAll, beforeAll } from "vitest"
import { windowsSortKey } from "../../src/collation/sortKey.ts"
import { PageSource } from "../../src/file/pages.ts"
import type { RecordColumn } from "../../src/file/record.ts"
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

const column = (id: number, recordOffset = 0, size = 0): RecordColumn => ({
  id,
  size,
  recordOffset,
  defaultValue: undefined,
  derived: false
})

const utf16 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("utf16le")

// Most file names are stored in ESE's 7-bit scheme for Unicode text: a header byte 0x10-0x17
// (scheme 2 in bits 3-7, bits used in the last byte minus one in bits 0-2), then the characters'
// 7-bit codes packed from the least significant bit up. Enough of it for these values only; the
// reader's own decompression is tested with the reader.
const sevenBitUnicode = (bytes: Uint8Array): string => {
  expect(bytes[0]! >> 3).toBe(2)
  const bits = (bytes.byteLength - 2) * 8 + (bytes[0]! & 7) + 1
  let text = ""
  for (let bit = 0; bit + 7 <= bits; bit += 7) {
    let code = 0
    for (let k = 0; k < 7; k++) {
      const at = bit + k
      code |= ((bytes[1 + (at >> 3)]! >> (at & 7)) & 1) << k
    }
    text += String.fromCharCode(code)
  }
  return text
}

interface GathererEntry {
  readonly stored: Uint8Array
  readonly scope: number
  readonly fileName: string
}

const gathererEntries = (pages: PageSource): Array<GathererEntry> => {
  const entries: Array<GathererEntry> = []
  for (const entry of treeEntries(pages, 33)) {
    const record = new RecordData(entry.data, true, entry.pgno)
    const scope = record.values(column(1, 4, 4))![0]!
    const name = record.values(column(256))![0]!
    expect(name.separated).toBe(false)
    entries.push({
      stored: entry.key,
      scope: new DataView(scope.bytes.buffer, scope.bytes.byteOffset).getUint32(0, true),
      fileName: name.compressed ? sevenBitUnicode(name.bytes) : utf16(name.bytes)
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
    // What the file name characters cover: letters of both cases, digits, space, the word-sort
    // punctuation '-' and '\'', and symbols such as . ( ) _ & + ,
    const characters = new Set(entries.flatMap((e) => [...e.fileName]))
    for (const ch of "aZ09 -.()_") expect(characters.has(ch)).toBe(true)
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
    const records = [...treeEntries(pages, 31)]
    expect(records.length).toBe(1)
    const record = new RecordData(records[0]!.data, false)
    const text = utf16(record.values(column(130))![0]!.bytes)
    // U+1F98A (libesedb 20181229 prints U+1F58B here; the record's bytes are D83E DD8A).
    expect(text).toBe("Simple Unicode text \u{1F98A}")

    const stored = [...treeEntries(pages, 56)].map((e) => e.key)
    expect(stored.length).toBe(1)
    const ours = windowsSortKey(text, 0x30401)!
    expect(hex(stored[0]!)).toBe(`7f${hex(ours)}`)
    // The surrogates weigh one by one (B0 40, B6 86; diacritics 3F 3F keep the twenty 02 before
    // them), and with both NORM_IGNORECASE and NORM_IGNOREWIDTH there is no case section.
    expect(hex(ours.subarray(40))).toBe(`b040b68601${"02".repeat(20)}3f3f01010100`)

    // LongUnicode (tagged column 258) is a separated long value: id 2 in the LV tree (root page 59),
    // whose chunks are keyed by (id, offset), both big-endian.
    const longValue = record.values(column(258))![0]!
    expect(longValue.separated).toBe(true)
    const lid = hex(longValue.bytes.slice().reverse())
    const chunks = [...treeEntries(pages, 59)].filter((e) =>
      e.key.byteLength === 8 && hex(e.key).startsWith(lid)
    )
    const longText = utf16(Buffer.concat(chunks.map((e) => e.data)))
    expect(longText.startsWith("Long Unicode text \u{1F98A} aaaa")).toBe(true)
    const storedLong = [...treeEntries(pages, 58)].map((e) => e.key)
    expect(storedLong.length).toBe(1)
    // The key is cut at the index's 255 bytes: the header and the first 254 bytes of the sort key.
    expect(storedLong[0]!.byteLength).toBe(255)
    expect(hex(storedLong[0]!)).toBe(`7f${hex(windowsSortKey(longText, 0x30401)!.subarray(0, 254))}`)
  })
})
