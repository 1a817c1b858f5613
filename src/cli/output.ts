/**
 * Output for the command line: a buffered writer on a file descriptor that ends quietly when the
 * reader of a pipe goes away (EPIPE, as when piped into `head`), and a progress bar on stderr that
 * appears only when stderr is a terminal and the work has lasted more than a second.
 *
 * @module
 */
import { closeSync, openSync, writeSync } from "node:fs"

/** Thrown by {@link Output.write} when the reader of the output has gone away (EPIPE). */
export class BrokenPipe extends Error {
  override readonly name = "BrokenPipe"
}

const flushAt = 64 * 1024

/** A buffered, synchronous writer: text is gathered and written in blocks of about 64 KiB. */
export class Output {
  private chunks: Array<string> = []
  private size = 0
  private readonly fd: number
  private readonly ownsFd: boolean

  constructor(fd: number, ownsFd = false) {
    this.fd = fd
    this.ownsFd = ownsFd
  }

  /** A writer on a new file at `path` (created or truncated). */
  static toFile(path: string): Output {
    return new Output(openSync(path, "w"), true)
  }

  /** Appends `text`; writes a block when enough has gathered. Throws {@link BrokenPipe}. */
  write(text: string): void {
    this.chunks.push(text)
    this.size += text.length
    if (this.size >= flushAt) this.flush()
  }

  /** Writes everything gathered so far. Throws {@link BrokenPipe}. */
  flush(): void {
    if (this.size === 0) return
    const bytes = Buffer.from(this.chunks.join(""), "utf8")
    this.chunks = []
    this.size = 0
    let at = 0
    while (at < bytes.length) {
      try {
        at += writeSync(this.fd, bytes, at, bytes.length - at)
      } catch (error) {
        const code = (error as { code?: string }).code
        if (code === "EPIPE") throw new BrokenPipe("the output's reader has gone away")
        // A descriptor left non-blocking by another part of the process: wait for room, briefly.
        if (code === "EAGAIN") {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5)
          continue
        }
        throw error
      }
    }
  }

  /** Flushes, and closes the descriptor when this writer opened it. */
  close(): void {
    try {
      this.flush()
    } finally {
      if (this.ownsFd) closeSync(this.fd)
    }
  }
}

/** A progress bar on stderr, drawn only on a terminal and only after `delayMs` of work. */
export class Progress {
  // Counted from the process start: opening the file and reading its catalog are part of the wait.
  private readonly started = Date.now() - performance.now()
  private lastDraw = 0
  private drawn = false
  private readonly enabled: boolean
  private readonly label: string
  private readonly delayMs: number

  constructor(label: string, options: { readonly enabled: boolean; readonly delayMs?: number }) {
    this.label = label
    this.enabled = options.enabled
    this.delayMs = options.delayMs ?? 1000
  }

  /** Reports `done` of `total` units (a plain count when `total` is 0); redraws at most ten times a second. */
  update(done: number, total: number): void {
    if (!this.enabled) return
    const now = Date.now()
    if (now - this.started < this.delayMs || now - this.lastDraw < 100) return
    this.lastDraw = now
    this.drawn = true
    if (total <= 0) {
      writeProgress(`\r${this.label} ${done}`)
      return
    }
    const ratio = Math.min(1, done / total)
    const width = 30
    const filled = Math.round(ratio * width)
    const bar = "#".repeat(filled) + "-".repeat(width - filled)
    writeProgress(`\r${this.label} [${bar}] ${Math.round(ratio * 100)}% ${done}/${total}`)
  }

  /** Clears the bar's line when one was drawn. */
  done(): void {
    if (this.drawn) writeProgress("\r\x1b[2K")
    this.drawn = false
  }
}

const writeProgress = (text: string): void => {
  try {
    writeSync(2, text)
  } catch {
    // A progress bar that cannot be drawn must not stop the work.
  }
}
