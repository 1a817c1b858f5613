// Fuzzing the file reader: fast-check mutates bytes of one page of a real database, and the whole
// file is then read (catalog, every record and value, long values, every index). Each case must end
// in success or an EseFileError; any other throw is a bug. Run in a worker thread (fuzzWorker.ts)
// so that a hang is stopped by the watchdog and an unbounded allocation by the worker's heap limit.
import fc from "fast-check"
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs"
import { EseFile, EseFileError } from "../../../src/file/index.ts"

/** One database prepared for mutation: its bytes, page size and the pages that hold data. */
export interface Target {
  readonly path: string
  readonly bytes: Buffer
  readonly pageSize: number
  readonly usedPages: ReadonlyArray<number>
}

/** Copies `source` to `scratch` and lists its non-empty pages (the header's two pages excluded). */
export const prepare = (source: string, scratch: string): Target => {
  const bytes = readFileSync(source)
  writeFileSync(scratch, bytes)
  const db = EseFile.open(scratch)
  const pageSize = db.header.pageSize
  db.close()
  const usedPages: Array<number> = []
  for (let pgno = 1; (pgno + 1) * pageSize <= bytes.length; pgno++) {
    const page = bytes.subarray((pgno + 1) * pageSize, (pgno + 2) * pageSize)
    if (page.some((b) => b !== 0)) usedPages.push(pgno)
  }
  return { path: scratch, bytes, pageSize, usedPages }
}

/** A mutation of one page: bytes overwritten at offsets, or 2/4-byte fields set to extreme values. */
export interface Mutation {
  readonly page: number
  readonly edits: ReadonlyArray<
    { readonly offset: number; readonly width: 1 | 2 | 4; readonly value: number }
  >
  readonly verifyChecksums: boolean
}

const extremes = [0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0xffffffff]

/** Mutations of `target`'s used pages. Offsets lean on the page header and the tag array at the end. */
export const mutation = (target: Target): fc.Arbitrary<Mutation> => {
  const size = target.pageSize
  const offset = fc.oneof(
    fc.integer({ min: 0, max: 80 }),
    fc.integer({ min: size - 64, max: size - 4 }),
    fc.integer({ min: 0, max: size - 4 })
  )
  const edit = fc.record({
    offset,
    width: fc.constantFrom(1 as const, 2 as const, 4 as const),
    value: fc.oneof(
      fc.constantFrom(...extremes),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.integer({ min: 0, max: 64 })
    )
  })
  return fc.record({
    page: fc.constantFrom(...target.usedPages),
    edits: fc.array(edit, { minLength: 1, maxLength: 6 }),
    // Mostly unchecked, so that damaged bytes reach the structure code instead of the checksum.
    verifyChecksums: fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, {
      arbitrary: fc.constant(true),
      weight: 1
    })
  })
}

const pageOf = (target: Target, pgno: number): Buffer =>
  Buffer.from(target.bytes.subarray((pgno + 1) * target.pageSize, (pgno + 2) * target.pageSize))

const writePage = (target: Target, pgno: number, page: Uint8Array): void => {
  const fd = openSync(target.path, "r+")
  try {
    writeSync(fd, page, 0, page.length, (pgno + 1) * target.pageSize)
  } finally {
    closeSync(fd)
  }
}

/** Reads everything in the file: every table's records and values, long values, index entries. */
export const readEverything = (path: string, verifyChecksums: boolean): number => {
  const db = EseFile.open(path, { verifyChecksums, cacheBytes: 1024 * 1024 })
  let values = 0
  try {
    for (const table of db.tables) {
      for (const record of db.records(table)) {
        for (const column of table.columns) values += record.allValues(column).length
      }
      for (const index of table.indexes) {
        for (const entry of db.indexEntries(table, index)) values += entry.key.length > 0 ? 1 : 0
      }
    }
  } finally {
    db.close()
  }
  return values
}

/** Applies `m`, reads the file, restores the page. Returns the outcome: "ok" or the error's code. */
export const runCase = (target: Target, m: Mutation): string => {
  const original = pageOf(target, m.page)
  const page = Buffer.from(original)
  for (const e of m.edits) {
    const at = Math.min(e.offset, target.pageSize - e.width)
    if (e.width === 1) page.writeUInt8(e.value & 0xff, at)
    else if (e.width === 2) page.writeUInt16LE(e.value & 0xffff, at)
    else page.writeUInt32LE(e.value >>> 0, at)
  }
  writePage(target, m.page, page)
  try {
    readEverything(target.path, m.verifyChecksums)
    return "ok"
  } catch (error) {
    if (error instanceof EseFileError) return error.code
    throw error
  } finally {
    writePage(target, m.page, original)
  }
}
