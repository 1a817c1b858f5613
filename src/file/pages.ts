/**
 * Pages read on demand. Database page `pgno` lives at file offset `(pgno + 1) * pageSize` (the two
 * header copies come first). Each page is read with one positioned read when first asked for,
 * checked against its checksum, parsed, and kept in a cache bounded in bytes; the least recently
 * used pages leave first. The whole file is never in memory.
 *
 * @module
 */
import { fstatSync, readSync } from "node:fs"
import { verifyPageChecksum } from "./checksum.ts"
import { EseFileError } from "./errors.ts"
import { Page } from "./page.ts"

/** The page cache's default bound: 32 MiB. */
export const defaultCacheBytes = 32 * 1024 * 1024

/** Settings of a {@link PageSource}. */
export interface PageSourceOptions {
  /** The cache's bound in bytes (at least one page is always kept). Default {@link defaultCacheBytes}. */
  readonly cacheBytes?: number
  /** Verify each page's checksum when it is read. Default true. */
  readonly verifyChecksums?: boolean
}

/** Counters of a {@link PageSource}, for tests and benchmarks. */
export interface PageSourceStats {
  /** Pages read from the file. */
  readonly reads: number
  /** Requests answered from the cache. */
  readonly hits: number
  /** Pages in the cache now. */
  readonly cachedPages: number
  /** The most pages the cache ever held at once. */
  readonly peakCachedPages: number
}

/** The database pages of one open file, read on demand through a bounded LRU cache. */
export class PageSource {
  /** The number of database pages the file holds (page numbers 1..pageCount). */
  readonly pageCount: number
  private readonly cache = new Map<number, Page>()
  private readonly capacity: number
  private readonly verify: boolean
  private reads = 0
  private hits = 0
  private peak = 0
  private readonly fd: number
  /** Bytes per page. */
  readonly pageSize: number

  constructor(fd: number, pageSize: number, options: PageSourceOptions = {}) {
    this.fd = fd
    this.pageSize = pageSize
    const fileSize = fstatSync(fd).size
    this.pageCount = Math.max(0, Math.floor(fileSize / pageSize) - 2)
    this.capacity = Math.max(1, Math.floor((options.cacheBytes ?? defaultCacheBytes) / pageSize))
    this.verify = options.verifyChecksums ?? true
  }

  /** Page `pgno`, from the cache or the file. Throws a typed error for a bad number, a short read or a bad checksum. */
  page(pgno: number): Page {
    const cached = this.cache.get(pgno)
    if (cached !== undefined) {
      this.hits++
      // Re-insert to mark it most recently used (a Map iterates in insertion order).
      this.cache.delete(pgno)
      this.cache.set(pgno, cached)
      return cached
    }
    const page = this.load(pgno)
    this.cache.set(pgno, page)
    if (this.cache.size > this.capacity) {
      const oldest = this.cache.keys().next()
      if (!oldest.done) this.cache.delete(oldest.value)
    }
    if (this.cache.size > this.peak) this.peak = this.cache.size
    return page
  }

  /** Reads page `pgno` from the file without the cache. */
  private load(pgno: number): Page {
    if (!Number.isInteger(pgno) || pgno < 1 || pgno > this.pageCount) {
      throw new EseFileError(
        "JET_errFileIOBeyondEOF",
        `page ${pgno} is outside the file's ${this.pageCount} pages`,
        pgno
      )
    }
    const bytes = new Uint8Array(this.pageSize)
    let read: number
    try {
      read = readSync(this.fd, bytes, 0, this.pageSize, (pgno + 1) * this.pageSize)
    } catch (error) {
      throw new EseFileError("JET_errDiskIO", `reading failed: ${String(error)}`, pgno)
    }
    this.reads++
    if (read !== this.pageSize) {
      throw new EseFileError(
        "JET_errFileIOBeyondEOF",
        `only ${read} of ${this.pageSize} bytes could be read`,
        pgno
      )
    }
    if (this.verify) {
      const result = verifyPageChecksum(bytes, pgno)
      if (!result.ok) {
        throw new EseFileError(
          "JET_errReadVerifyFailure",
          `${result.format} checksum mismatch (${result.reason})`,
          pgno
        )
      }
    }
    return new Page(pgno, bytes)
  }

  /** Drops every cached page. */
  clear(): void {
    this.cache.clear()
  }

  /** Read and cache counters. */
  stats(): PageSourceStats {
    return { reads: this.reads, hits: this.hits, cachedPages: this.cache.size, peakCachedPages: this.peak }
  }
}
