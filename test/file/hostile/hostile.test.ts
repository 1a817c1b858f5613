// Hostile files: each kind of damage ends in a typed EseFileError that names the page where one page
// is at fault (JET_errReadVerifyFailure, JET_errDatabaseCorrupted, JET_errFileInvalidType, ...),
// never a crash, a hang or an unbounded allocation; then fast-check mutates pages of the real files
// by the thousand, each case in a worker with a heap limit and a time bound.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import type { EseFileErrorCode } from "../../../src/file/index.ts"
import { EseFile, EseFileError, legacyChecksum } from "../../../src/file/index.ts"
import { unpackFixtures } from "../fixtures.ts"
import { readEverything } from "../fuzz/fuzzReader.ts"
import { runFuzz, runFuzzProbe } from "../fuzz/runFuzz.ts"

const files = [
  "basic.edb",
  "index.edb",
  "multi.edb",
  "eseparser-decompress_test2.edb",
  "large.edb",
  "museum-Win10-clean-Windows.edb"
]
const fixtures = unpackFixtures(files)
afterAll(() => fixtures.cleanup())

let copies = 0
/** A damaged copy of a fixture. */
const damaged = (file: string, edit: (bytes: Buffer) => Buffer | void): string => {
  const path = join(fixtures.dir, `damaged-${copies++}-${file}`)
  copyFileSync(fixtures.path(file), path)
  const bytes = readFileSync(path)
  writeFileSync(path, edit(bytes) ?? bytes)
  return path
}

/** The EseFileError that reading the whole file throws. */
const failure = (path: string, verifyChecksums = false): EseFileError => {
  try {
    readEverything(path, verifyChecksums)
  } catch (error) {
    if (error instanceof EseFileError) return error
    throw error
  }
  throw new Error("the damaged file read without error")
}

const expectError = (error: EseFileError, code: EseFileErrorCode, pgno?: number) => {
  expect(error.code).toBe(code)
  if (pgno !== undefined) {
    expect(error.pgno).toBe(pgno)
    expect(error.message).toContain(`page ${pgno}`)
  }
}

/** Where a tree entry's data lies in the file: its page's offset plus its place in that page. */
const fileOffsetOf = (bytes: Buffer, pageSize: number, pgno: number, data: Uint8Array): number => {
  const start = (pgno + 1) * pageSize
  const at = bytes.subarray(start, start + pageSize).indexOf(Buffer.from(data))
  expect(at).toBeGreaterThan(0)
  return start + at
}

const firstRecord = (file: string, table: string) => {
  const db = EseFile.open(fixtures.path(file))
  try {
    const info = db.table(table)
    const cursor = db.cursor(info.rootPage)
    cursor.first()
    const entry = cursor.current!
    return { pageSize: db.header.pageSize, info, entry: { ...entry, data: Buffer.from(entry.data) } }
  } finally {
    db.close()
  }
}

describe("hostile files", () => {
  it("an empty file is JET_errFileInvalidType", () => {
    const path = damaged("basic.edb", () => Buffer.alloc(0))
    expectError(failure(path), "JET_errFileInvalidType")
  })

  it("a file that is not ESE is JET_errFileInvalidType", () => {
    const path = damaged("basic.edb", (b) => Buffer.from("PK\u0003\u0004 a zip, say ".repeat(b.length / 20)))
    expectError(failure(path), "JET_errFileInvalidType")
  })

  it("a zero-filled file is JET_errFileInvalidType", () => {
    const path = damaged("basic.edb", (b) => Buffer.alloc(b.length))
    expectError(failure(path), "JET_errFileInvalidType")
  })

  it("a truncated file is JET_errFileIOBeyondEOF naming the page past the end", () => {
    const path = damaged("basic.edb", (b) => b.subarray(0, 5 * 4096))
    const error = failure(path)
    expect(error.code).toBe("JET_errFileIOBeyondEOF")
    expect(error.pgno).toBeGreaterThanOrEqual(4)
  })

  it("a zero-filled page inside a tree is an error naming that page", () => {
    const { entry, pageSize } = firstRecord("basic.edb", "basic")
    const path = damaged(
      "basic.edb",
      (b) => void b.fill(0, (entry.pgno + 1) * pageSize, (entry.pgno + 2) * pageSize)
    )
    const error = failure(path, true)
    expect(["JET_errReadVerifyFailure", "JET_errDatabaseCorrupted"]).toContain(error.code)
    expect(error.pgno).toBe(entry.pgno)
  })

  it("a flipped byte in a page is JET_errReadVerifyFailure naming the page", () => {
    const { entry, pageSize } = firstRecord("basic.edb", "basic")
    const path = damaged("basic.edb", (b) => void (b[(entry.pgno + 1) * pageSize + 100]! ^= 0x10))
    expectError(failure(path, true), "JET_errReadVerifyFailure", entry.pgno)
  })

  it("a wrong page size in the header (checksum made valid) is an error, not a misread", () => {
    const path = damaged("basic.edb", (b) => {
      for (const at of [0, 4096]) {
        b.writeUInt32LE(8192, at + 236)
        b.writeUInt32LE(legacyChecksum(b, at, 4096), at)
      }
    })
    const error = failure(path, true)
    expect(["JET_errReadVerifyFailure", "JET_errDatabaseCorrupted", "JET_errFileInvalidType"]).toContain(
      error.code
    )
    expect(error.code === "JET_errFileInvalidType" || error.pgno !== undefined).toBe(true)
  })

  it("a page size the format does not have is JET_errFileInvalidType", () => {
    const path = damaged("basic.edb", (b) => {
      for (const at of [0, 4096]) {
        b.writeUInt32LE(5000, at + 236)
        b.writeUInt32LE(legacyChecksum(b, at, 4096), at)
      }
    })
    expect(failure(path, true).code).toMatch(/JET_errFileInvalidType|JET_errDatabaseCorrupted/)
  })

  it("a cycle in sibling links (a leaf's next is itself) is JET_errDatabaseCorrupted naming the page", () => {
    const { info, pageSize } = firstRecord("large.edb", "MSysObjects")
    const db = EseFile.open(fixtures.path("large.edb"))
    const cursor = db.cursor(info.rootPage)
    cursor.first()
    const leaf = cursor.current!.pgno
    db.close()
    const path = damaged("large.edb", (b) => void b.writeUInt32LE(leaf, (leaf + 1) * pageSize + 20))
    expectError(failure(path), "JET_errDatabaseCorrupted", leaf)
  })

  it("a branch pointing at itself is JET_errDatabaseCorrupted naming the page, never a hang", () => {
    const { info, pageSize } = firstRecord("large.edb", "MSysObjects")
    const root = info.rootPage
    const path = damaged("large.edb", (b) => {
      const page = b.subarray((root + 1) * pageSize, (root + 2) * pageSize)
      const tags = page.readUInt16LE(34) & 0xfff
      for (let i = 1; i < tags; i++) {
        const at = pageSize - 4 * (i + 1)
        const size = page.readUInt16LE(at) & 0x7fff
        const offset = 80 + (page.readUInt16LE(at + 2) & 0x7fff)
        page.writeUInt32LE(root, offset + size - 4)
      }
    })
    expectError(failure(path), "JET_errDatabaseCorrupted", root)
  })

  it("a tag pointing past the page is JET_errDatabaseCorrupted naming the page", () => {
    const { entry, pageSize } = firstRecord("basic.edb", "basic")
    const path = damaged("basic.edb", (b) => {
      const page = b.subarray((entry.pgno + 1) * pageSize, (entry.pgno + 2) * pageSize)
      const at = pageSize - 4 * 2 // tag 1, the first node
      page.writeUInt16LE(0x0fff, at + 2)
      page.writeUInt16LE(0x0200, at)
    })
    expectError(failure(path), "JET_errDatabaseCorrupted", entry.pgno)
  })

  it("a record whose offsets point outside it is JET_errDatabaseCorrupted naming the page", () => {
    const { entry, pageSize } = firstRecord("basic.edb", "basic")
    const path = damaged("basic.edb", (b) => {
      const at = fileOffsetOf(b, pageSize, entry.pgno, entry.data)
      b.writeUInt16LE(0x7ff0, at + 2) // where the variable data starts
    })
    expectError(failure(path), "JET_errDatabaseCorrupted", entry.pgno)
  })

  it("a long value whose chunks overlap is JET_errDatabaseCorrupted naming the page", () => {
    const file = "museum-Win10-clean-Windows.edb"
    const db = EseFile.open(fixtures.path(file))
    const pageSize = db.header.pageSize
    let target: { pgno: number; data: Buffer } | undefined
    for (const table of db.tables) {
      if (table.longValueRootPage === undefined || target !== undefined) continue
      const cursor = db.cursor(table.longValueRootPage)
      for (let ok = cursor.first(); ok && target === undefined; ok = cursor.next()) {
        const { key, data, pgno } = cursor.current!
        // a chunk after the first: an 8-byte LID then a big-endian offset whose low byte is not 0
        if (key.length === 12 && key[11] !== 0 && data.length > 16) target = { pgno, data: Buffer.from(data) }
      }
    }
    db.close()
    expect(target).toBeDefined()
    const path = damaged(file, (b) => {
      const at = fileOffsetOf(b, pageSize, target!.pgno, target!.data)
      // the byte before the data is the low byte of the chunk's offset: one less overlaps the chunk before
      b[at - 1] = (b[at - 1]! - 1) & 0xff
    })
    expectError(failure(path), "JET_errDatabaseCorrupted", target!.pgno)
  })

  it("a catalog naming a missing tree (a root page past the file) is an error naming that page", () => {
    const db = EseFile.open(fixtures.path("basic.edb"))
    const catalog = db.table("MSysObjects")
    const cursor = db.cursor(catalog.rootPage)
    let found: { pgno: number; data: Buffer } | undefined
    for (let ok = cursor.first(); ok; ok = cursor.next()) {
      const { data, pgno } = cursor.current!
      const view = Buffer.from(data)
      // a table row (type 1) whose root page is the basic table's
      if (view.readUInt16LE(8) === 1 && view.readUInt32LE(14) === db.table("basic").rootPage) {
        found = { pgno, data: view }
      }
    }
    const pageSize = db.header.pageSize
    db.close()
    expect(found).toBeDefined()
    const path = damaged("basic.edb", (b) => {
      const at = fileOffsetOf(b, pageSize, found!.pgno, found!.data)
      b.writeUInt32LE(90_000, at + 14)
    })
    const error = failure(path)
    expect(["JET_errFileIOBeyondEOF", "JET_errDatabaseCorrupted"]).toContain(error.code)
    expect(error.pgno).toBe(90_000)
  })
})

describe("fuzzing: mutated pages of the real files", () => {
  it(
    "thousands of cases, each ending in success or an EseFileError within 5 s and a 256 MiB heap",
    async () => {
      const result = await runFuzz({
        sources: ["basic.edb", "index.edb", "multi.edb", "eseparser-decompress_test2.edb"].map((f) =>
          fixtures.path(f)
        ),
        scratchDir: fixtures.dir,
        seed: 20261204,
        numRuns: 3000,
        caseMs: 5000,
        heapMiB: 256
      })
      expect(result.type, JSON.stringify(result).slice(0, 2000)).toBe("done")
      if (result.type !== "done") return
      expect(result.cases).toBe(3000)
      // The mutations reach the structure code, not only the happy path.
      expect(result.outcomes["JET_errDatabaseCorrupted"] ?? 0).toBeGreaterThan(50)
    },
    240_000
  )

  it(
    "the watchdog catches a case that never ends, and the heap limit one that allocates without bound",
    async () => {
      expect((await runFuzzProbe("hang", 500)).type).toBe("hang")
      // A long bound here: the heap limit, not the watchdog, must be what ends it.
      const allocate = await runFuzzProbe("allocate", 30_000)
      expect(allocate.type).toBe("crash")
      expect(JSON.stringify(allocate)).toMatch(/ERR_WORKER_OUT_OF_MEMORY|out of memory|exited/i)
    },
    60_000
  )
})
