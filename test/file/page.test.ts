// Page layouts and checksums: the 24H2 tag layout, small and large pages, legacy and ECC checksums,
// and a flipped bit failing with a typed error that names the page.
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { EseFileError, legacyChecksum, Page, verifyPageChecksum } from "../../src/file/index.ts"
import { fixtureDir, unpackFixtures } from "./fixtures.ts"

const rawPage = (name: string): Uint8Array => new Uint8Array(readFileSync(join(fixtureDir, "pages", name)))

describe("Windows 11 24H2 tag layout", () => {
  it("catalog_24h2.raw (16 KiB) has 87 tags and every node decodes", () => {
    const page = new Page(4, rawPage("catalog_24h2.raw"))
    expect(page.pageSize).toBe(16384)
    expect(page.tagCount).toBe(87)
    for (let i = 0; i < page.nodeCount; i++) expect(page.node(i).key.byteLength).toBeGreaterThan(0)
  })

  it("edge_catalog_24h2.raw (32 KiB) has 3 tags", () => {
    const page = new Page(4, rawPage("edge_catalog_24h2.raw"))
    expect(page.pageSize).toBe(32768)
    expect(page.tagCount).toBe(3)
  })

  it("the upper 4 bits of itagState are not part of the count (read as 16 bits it would overflow the page)", () => {
    const bytes = rawPage("catalog_24h2.raw")
    const raw = bytes[34]! | (bytes[35]! << 8)
    expect(raw).toBeGreaterThan(0x0fff)
    expect(raw & 0x0fff).toBe(87)
  })
})

describe("page checksums", () => {
  const fixtures = unpackFixtures(["basic.edb", "museum-Win10-clean-Windows.edb"])
  afterAll(() => fixtures.cleanup())
  const pageOf = (file: string, pgno: number): Uint8Array => {
    const bytes = readFileSync(fixtures.path(file))
    const pageSize = bytes.readUInt32LE(236)
    return new Uint8Array(bytes.subarray((pgno + 1) * pageSize, (pgno + 2) * pageSize))
  }

  it("ECC checksums of 4 KiB and 32 KiB pages verify, and a flipped bit in any block fails", () => {
    for (const [file, pgno] of [["basic.edb", 4], ["museum-Win10-clean-Windows.edb", 4]] as const) {
      const page = pageOf(file, pgno)
      expect(verifyPageChecksum(page, pgno)).toEqual({ ok: true, format: "ecc" })
      expect(verifyPageChecksum(page, pgno + 1).ok).toBe(false)
      for (const at of [100, page.byteLength - 7]) {
        const broken = Uint8Array.from(page)
        broken[at]! ^= 0x10
        expect(verifyPageChecksum(broken, pgno).ok).toBe(false)
      }
    }
  })

  it("the legacy XOR format verifies and catches a flipped bit and a wrong page number", () => {
    const page = new Uint8Array(4096)
    page.fill(0x5a, 40)
    new DataView(page.buffer).setUint32(4, 7, true)
    new DataView(page.buffer).setUint32(0, legacyChecksum(page, 0, 4096), true)
    expect(verifyPageChecksum(page, 7)).toEqual({ ok: true, format: "legacy" })
    expect(verifyPageChecksum(page, 8).ok).toBe(false)
    page[1000]! ^= 1
    expect(verifyPageChecksum(page, 7).ok).toBe(false)
  })
})

describe("typed errors", () => {
  it("a tag pointing past the page is JET_errDatabaseCorrupted naming the page", () => {
    const bytes = rawPage("edge_catalog_24h2.raw")
    const broken = Uint8Array.from(bytes)
    // tag 1's offset word: point it past the end of the page
    broken[broken.byteLength - 8 + 2] = 0xff
    broken[broken.byteLength - 8 + 3] = 0x7f
    const page = new Page(9, broken)
    const error = (() => {
      try {
        page.node(0)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(EseFileError)
    expect((error as EseFileError).code).toBe("JET_errDatabaseCorrupted")
    expect((error as EseFileError).pgno).toBe(9)
  })
})
