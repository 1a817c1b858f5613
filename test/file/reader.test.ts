// The reader's structure checks on real files: header copies and states, typed errors for damaged
// bytes, B+tree order in both directions and seeks, index order, long values checked by their own
// structure, and the page cache's bound.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import type { TableInfo } from "../../src/file/index.ts"
import { compareKeys, EseFile, EseFileError, FieldFlag, legacyChecksum } from "../../src/file/index.ts"
import { fixtureNames, unpackFixtures } from "./fixtures.ts"

const files = fixtureNames
const fixtures = unpackFixtures(files)
afterAll(() => fixtures.cleanup())

const withFile = <A>(file: string, f: (db: EseFile) => A, options = {}): A => {
  const db = EseFile.open(fixtures.path(file), options)
  try {
    return f(db)
  } finally {
    db.close()
  }
}

const thrown = (f: () => unknown): EseFileError => {
  try {
    f()
  } catch (error) {
    if (error instanceof EseFileError) return error
    throw error
  }
  throw new Error("expected an EseFileError")
}

/** A copy of a fixture with `edit` applied to its bytes. */
const damaged = (file: string, name: string, edit: (bytes: Buffer) => void): string => {
  const path = join(fixtures.dir, name)
  copyFileSync(fixtures.path(file), path)
  const bytes = readFileSync(path)
  edit(bytes)
  writeFileSync(path, bytes)
  return path
}

describe("header", () => {
  it("reports format, page size and a clean state", () => {
    withFile("museum-Win10-clean-Windows.edb", (db) => {
      expect(db.header).toMatchObject({
        copy: "primary",
        formatVersion: 0x620,
        formatRevision: 110,
        pageSize: 32768,
        state: "CleanShutdown",
        dirty: false,
        engineVersion: "10.0.19044.0"
      })
    })
  })

  it("a dirty database is read anyway and says so", () => {
    const path = damaged("basic.edb", "dirty.edb", (bytes) => {
      for (const at of [0, 4096]) {
        bytes.writeUInt32LE(2, at + 52)
        bytes.writeUInt32LE(legacyChecksum(bytes.subarray(at, at + 4096), 0, 4096), at)
      }
    })
    const db = EseFile.open(path)
    expect(db.header.state).toBe("DirtyShutdown")
    expect(db.header.dirty).toBe(true)
    expect([...db.records(db.table("basic"))].length).toBe(2)
    db.close()
  })

  it("a damaged primary header falls back to the shadow copy; both damaged is JET_errReadVerifyFailure", () => {
    const one = damaged("basic.edb", "primary.edb", (bytes) => void (bytes[300]! ^= 1))
    const db = EseFile.open(one)
    expect(db.header.copy).toBe("shadow")
    db.close()
    const both = damaged("basic.edb", "both.edb", (bytes) => {
      bytes[300]! ^= 1
      bytes[4096 + 300]! ^= 1
    })
    expect(thrown(() => EseFile.open(both)).code).toBe("JET_errReadVerifyFailure")
  })

  it("bytes past the 668 known header bytes count in the checksum (the whole 4 KiB block)", () => {
    const path = damaged("basic.edb", "tail.edb", (bytes) => void (bytes[4000]! ^= 1))
    const db = EseFile.open(path)
    expect(db.header.copy).toBe("shadow")
    db.close()
  })

  it("a file that is not ESE is JET_errFileInvalidType; a missing one JET_errFileNotFound", () => {
    const path = join(fixtures.dir, "not.edb")
    writeFileSync(path, Buffer.alloc(8192, 0x41))
    expect(thrown(() => EseFile.open(path)).code).toBe("JET_errFileInvalidType")
    expect(thrown(() => EseFile.open(join(fixtures.dir, "missing.edb"))).code).toBe("JET_errFileNotFound")
  })
})

describe("damaged pages", () => {
  it("a flipped bit in a data page is JET_errReadVerifyFailure naming the page", () => {
    const path = damaged("basic.edb", "bitflip.edb", (bytes) => void (bytes[(4 + 1) * 4096 + 2000]! ^= 4))
    const error = thrown(() => EseFile.open(path))
    expect(error.code).toBe("JET_errReadVerifyFailure")
    expect(error.pgno).toBe(4)
  })

  it("a truncated file is JET_errFileIOBeyondEOF when a page past its end is needed", () => {
    const path = damaged("basic.edb", "short.edb", () => undefined)
    writeFileSync(path, readFileSync(path).subarray(0, 4 * 4096))
    expect(thrown(() => EseFile.open(path)).code).toBe("JET_errFileIOBeyondEOF")
  })

  it("a sibling link that loops back is corruption, never a hang", () => {
    const db = EseFile.open(fixtures.path("large.edb"))
    const table = db.table("MSysObjects")
    const cursor = db.cursor(table.rootPage)
    cursor.first()
    const firstLeaf = cursor.current!.pgno
    db.close()
    const pageSize = 32768
    const path = damaged("large.edb", "loop.edb", (bytes) => {
      // the first leaf's next link points at itself
      bytes.writeUInt32LE(firstLeaf, (firstLeaf + 1) * pageSize + 20)
    })
    // MSysObjects is the catalog, so opening reads it and already meets the loop
    const error = thrown(() => EseFile.open(path, { verifyChecksums: false }))
    expect(error.code).toBe("JET_errDatabaseCorrupted")
    expect(error.pgno).toBe(firstLeaf)
  })

  it("a child link outside the file is corruption naming the page", () => {
    const db = EseFile.open(fixtures.path("large.edb"))
    const root = db.table("MSysObjects").rootPage
    db.close()
    const path = damaged("large.edb", "child.edb", (bytes) => {
      const page = bytes.subarray((root + 1) * 32768, (root + 2) * 32768)
      // the first node's child page number is the last 4 bytes of its value: rewrite every branch node's
      const tagCount = page.readUInt16LE(34) & 0xfff
      for (let i = 1; i < tagCount; i++) {
        const at = 32768 - 4 * (i + 1)
        const size = page.readUInt16LE(at) & 0x7fff
        const offset = 80 + (page.readUInt16LE(at + 2) & 0x7fff)
        page.writeUInt32LE(999_999, offset + size - 4)
      }
    })
    const error = thrown(() => EseFile.open(path, { verifyChecksums: false }))
    expect(error.code).toBe("JET_errDatabaseCorrupted")
    expect(error.pgno).toBe(root)
  })
})

describe("B+trees", () => {
  it.each(files)(
    "%s: every index's entries come in non-decreasing key order, each pointing at a record",
    (file) => {
      withFile(file, (db) => {
        let checked = 0
        for (const table of db.tables) {
          for (const index of table.indexes) {
            let previous: Uint8Array | undefined
            let count = 0
            for (const entry of db.indexEntries(table, index)) {
              if (previous !== undefined) expect(compareKeys(previous, entry.key)).toBeLessThanOrEqual(0)
              if (count < 50) expect(db.recordOf(table, entry).primaryKey).toEqual(entry.primaryKey)
              previous = entry.key
              count++
              checked++
            }
          }
        }
        expect(checked).toBeGreaterThan(0)
      })
    }
  )

  it("backward iteration is forward iteration reversed, and seek finds the first key at or after", () => {
    withFile("large.edb", (db) => {
      const table = db.table("MSysObjects")
      const forward = [...db.records(table)].map((r) => Buffer.from(r.primaryKey).toString("hex"))
      const backward = [...db.records(table, "backward")].map((r) =>
        Buffer.from(r.primaryKey).toString("hex")
      )
      expect(forward.length).toBeGreaterThan(60_000)
      expect(backward).toEqual([...forward].reverse())
      const cursor = db.cursor(table.rootPage)
      const middle = Buffer.from(forward[30_000]!, "hex")
      expect(cursor.seek(middle)).toBe(true)
      expect(Buffer.from(cursor.current!.key).toString("hex")).toBe(forward[30_000])
      const justBefore = Buffer.concat([
        middle.subarray(0, middle.length - 1),
        Buffer.from([middle.at(-1)! - 1, 0xff])
      ])
      expect(cursor.seek(justBefore)).toBe(true)
      expect(Buffer.from(cursor.current!.key).toString("hex")).toBe(forward[30_000])
      expect(cursor.seek(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]))).toBe(false)
    })
  })
})

describe("long values, checked by their own structure", () => {
  const checkAll = (db: EseFile, table: TableInfo) => {
    let separated = 0
    let compressedChunks = 0
    for (const record of db.records(table)) {
      for (const column of table.columns) {
        for (const value of record.stored(column) ?? []) {
          if (!value.separated) continue
          const lv = db.longValue(table, value.bytes, (column.flags & FieldFlag.Compressed) !== 0)
          expect(lv.bytes.byteLength).toBe(lv.declaredSize)
          expect(lv.stillCompressed).toBe(false)
          separated++
          compressedChunks += lv.compressedChunks
        }
      }
    }
    return { separated, compressedChunks }
  }

  it("eseparser-decompress_test2.edb: every long value's root size equals its assembled, decompressed chunks", () => {
    withFile("eseparser-decompress_test2.edb", (db) => {
      const { compressedChunks, separated } = checkAll(db, db.table("test_table"))
      expect(separated).toBe(40)
      expect(compressedChunks).toBeGreaterThan(0)
    })
  })

  it("museum-Win10-clean-Windows.edb (8-byte long-value ids): every long value passes the same check", () => {
    withFile("museum-Win10-clean-Windows.edb", (db) => {
      let separated = 0
      for (const table of db.tables) {
        if (table.longValueRootPage !== undefined) separated += checkAll(db, table).separated
      }
      expect(separated).toBeGreaterThan(0)
    })
  })

  it("a root whose declared size disagrees with its chunks is JET_errDatabaseCorrupted", () => {
    const db = EseFile.open(fixtures.path("eseparser-decompress_test2.edb"))
    const table = db.table("test_table")
    const lvRoot = table.longValueRootPage!
    const cursor = db.cursor(lvRoot)
    cursor.first()
    const root = cursor.current!
    db.close()
    const path = damaged("eseparser-decompress_test2.edb", "lvsize.edb", (bytes) => {
      // the first long value's root: its size field (bytes 4..8 of the node data) grows by one
      const pageStart = (root.pgno + 1) * 8192
      const page = bytes.subarray(pageStart, pageStart + 8192)
      const needle = Buffer.from(root.data.subarray(0, 8))
      const at = page.indexOf(needle)
      page.writeUInt32LE(page.readUInt32LE(at + 4) + 1, at + 4)
    })
    const broken = EseFile.open(path, { verifyChecksums: false })
    const error = thrown(() => {
      for (const record of broken.records(broken.table("test_table"))) {
        for (const column of broken.table("test_table").columns) record.values(column)
      }
    })
    expect(error.code).toBe("JET_errDatabaseCorrupted")
    expect(error.message).toMatch(/declares/)
    broken.close()
  })
})

describe("page cache", () => {
  it("holds at most its bound however much is read", () => {
    withFile("museum-Win10-clean-Windows.edb", (db) => {
      for (const table of db.tables) {
        for (const record of db.records(table)) for (const c of table.columns) record.values(c)
      }
      const stats = db.cacheStats()
      expect(stats.peakCachedPages).toBeLessThanOrEqual(4)
      expect(stats.reads).toBeGreaterThan(stats.peakCachedPages)
    }, { cacheBytes: 4 * 32768 })
  })

  it("a closed file refuses further reads", () => {
    const db = EseFile.open(fixtures.path("basic.edb"))
    const table = db.table("basic")
    db.close()
    expect(thrown(() => [...db.records(table)]).code).toBe("JET_errInvalidParameter")
  })
})
