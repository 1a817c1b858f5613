// Test-only XPRESS9 encoder: writes literals and matches in the block format that
// src/file/compression/xpress9.ts decodes (as read from Microsoft's dev/ese/src/_xpress9 decoder), with
// both code-length encodings, every move-to-front setting and multiple blocks. It does not search for
// matches: the caller gives them, and the expected output follows from the items alone.
import { crc32c } from "../../../src/file/compression/crc32c.ts"
import type { Lz77Item } from "./encoders.ts"

class BitWriter {
  readonly bytes: Array<number> = []
  bitCount = 0
  write(value: number, count: number): void {
    for (let k = 0; k < count; k++) {
      if (this.bitCount % 8 === 0) this.bytes.push(0)
      const bit = Math.floor(value / 2 ** k) % 2
      this.bytes[this.bytes.length - 1] = this.bytes[this.bytes.length - 1]! | (bit << this.bitCount % 8)
      this.bitCount++
    }
  }
  /** A canonical code, most significant bit first. */
  code(code: number, length: number): void {
    for (let b = length - 1; b >= 0; b--) this.write((code >>> b) & 1, 1)
  }
}

const canonical = (lengths: ReadonlyArray<number>): Array<number> => {
  const order = lengths.map((l, s) => [l, s] as const).filter(([l]) => l > 0).sort((a, b) =>
    a[0] - b[0] || a[1] - b[1]
  )
  const codes = new Array<number>(lengths.length).fill(-1)
  let code = 0
  let previous = order[0]?.[0] ?? 0
  for (const [length, symbol] of order) {
    code <<= length - previous
    previous = length
    codes[symbol] = code++
  }
  return codes
}

/** A complete code over at least the `used` symbols: a power-of-two block, then some leaves split. */
const completeLengths = (size: number, used: ReadonlySet<number>, splits: number): Array<number> => {
  const symbols = [...used].sort((a, b) => a - b)
  for (let s = 0; symbols.length < 2 || (symbols.length & (symbols.length - 1)) !== 0; s++) {
    if (!used.has(s)) symbols.push(s)
  }
  symbols.sort((a, b) => a - b)
  const lengths = new Array<number>(size).fill(0)
  const base = Math.log2(symbols.length)
  for (const s of symbols) lengths[s] = base
  // Split a leaf into two one bit longer: the code stays complete and lengths vary.
  let spare = 0
  for (let n = 0; n < splits; n++) {
    while (spare < size && lengths[spare] !== 0) spare++
    const leaf = symbols[n % symbols.length]!
    if (spare >= size || lengths[leaf]! >= 20) break
    lengths[leaf]! += 1
    lengths[spare] = lengths[leaf]!
  }
  return lengths
}

const fill = 28
const zeroRun = 29
const previousSymbol = 30
const row0 = 31
const row1 = 32

const writeLengths = (w: BitWriter, lengths: ReadonlyArray<number>, stored: boolean): void => {
  if (stored) {
    w.write(0, 3)
    return
  }
  w.write(1, 3)
  // Small code: 31 symbols of 5 bits, 2 of 6 (complete).
  const small = Array.from({ length: 33 }, (_, i) => (i < 31 ? 5 : 6))
  let previous = 4
  for (const length of small) {
    if (length === previous) {
      w.write(0, 1)
    } else {
      w.write(1, 1)
      w.write(length > previous ? length - 1 : length, 3)
      previous = length
    }
  }
  const codes = canonical(small)
  const put = (symbol: number) => w.code(codes[symbol]!, small[symbol]!)
  previous = 8
  for (let i = 0; i < lengths.length;) {
    const length = lengths[i]!
    if (length === 0) {
      let zeros = 0
      while (i + zeros < lengths.length && lengths[i + zeros] === 0 && (i + zeros) % 16 !== 15) zeros++
      const rowEnd = Math.min((i | 15) + 1, lengths.length)
      if (lengths.slice(i, rowEnd).every((l) => l === 0)) {
        put(fill)
        i = rowEnd
        continue
      }
      if (zeros >= 5) {
        put(zeroRun)
        const extra = zeros - 5
        if (extra < 3) {
          w.write(extra, 2)
        } else {
          w.write(3, 2)
          let rest = extra - 3
          for (;;) {
            const chunk = Math.min(rest, 7)
            w.write(chunk, 3)
            rest -= chunk
            if (chunk < 7) break
          }
        }
        i += zeros
        continue
      }
    }
    if (i >= 16 && length !== 0 && length === lengths[i - 16]) {
      put(row0)
      previous = length
    } else if (i >= 16 && length !== 0 && length === lengths[i - 16]! + 1) {
      put(row1)
      previous = length
    } else if (length !== 0 && length === previous) {
      put(previousSymbol)
    } else {
      put(length)
      if (length !== 0) previous = length
    }
    i++
  }
}

export interface Xpress9Options {
  readonly mtfEntries?: 0 | 2 | 4
  readonly pointerMinimum?: 3 | 4
  readonly mtfMinimum?: 2 | 3
  readonly storedTables?: boolean
  readonly splits?: number
}

const encodeBlock = (
  items: ReadonlyArray<Lz77Item>,
  index: number,
  session: number,
  options: Xpress9Options
) => {
  const mtfEntries = options.mtfEntries ?? 0
  const pointerMinimum = options.pointerMinimum ?? 3
  const mtfMinimum = options.mtfMinimum ?? 2
  const mtf = [1, 2, 3, 4]
  let lastWasMatch = false
  // Choose each item's symbols first (the codes depend on which are used).
  type Coded = { main: number; long?: number; longExtra?: [number, number]; offsetExtra?: [number, number] }
  const coded: Array<Coded> = []
  let size = 0
  for (const item of items) {
    if (typeof item === "number") {
      coded.push({ main: item })
      lastWasMatch = false
      size++
      continue
    }
    size += item.length
    let slot = -1
    for (let s = 0; s < mtfEntries - (lastWasMatch ? 1 : 0); s++) {
      if (mtf[lastWasMatch ? s + 1 : s] === item.distance && item.length >= mtfMinimum) {
        slot = s
        break
      }
    }
    const c: Coded = { main: 0 }
    let base: number
    if (slot >= 0) {
      base = item.length - mtfMinimum
      const i = lastWasMatch ? slot + 1 : slot
      const offset = mtf[i]!
      for (let k = i; k > 0; k--) mtf[k] = mtf[k - 1]!
      mtf[0] = offset
    } else {
      base = item.length - pointerMinimum
      const e = 31 - Math.clz32(item.distance)
      slot = e + mtfEntries
      c.offsetExtra = [item.distance - 2 ** e, e]
      for (let k = mtfEntries - 1; k > 0; k--) mtf[k] = mtf[k - 1]!
      mtf[0] = item.distance
    }
    if (base < 0) throw new Error("match shorter than the minimum")
    let short = base
    if (base >= 15) {
      short = 15
      const rest = base - 15
      if (rest < 232) {
        c.long = rest
      } else {
        const v = rest - 231
        const bits = 31 - Math.clz32(v)
        c.long = 232 + bits
        c.longExtra = [v - 2 ** bits, bits]
      }
    }
    c.main = 256 + (slot << 4) + short
    coded.push(c)
    lastWasMatch = true
  }
  const mainUsed = new Set(coded.map((c) => c.main))
  const longUsed = new Set(coded.flatMap((c) => (c.long === undefined ? [] : [c.long])))
  const stored = options.storedTables ?? false
  const mainLengths = stored
    ? Array.from({ length: 704 }, (_, i) => (i < 320 ? 9 : 10))
    : completeLengths(704, mainUsed, options.splits ?? 3)
  const longLengths = stored
    ? new Array<number>(256).fill(8)
    : longUsed.size === 0
    ? [1, ...new Array<number>(255).fill(0)]
    : completeLengths(256, longUsed, options.splits ?? 3)
  const mainCodes = canonical(mainLengths)
  const longCodes = longLengths.filter((l) => l > 0).length === 1
    ? longLengths.map(() => 0)
    : canonical(longLengths)

  const w = new BitWriter()
  if (mtfEntries > 0) {
    w.write(0, 1)
    for (let i = 0; i < mtfEntries; i++) {
      const e = 31 - Math.clz32(i + 1)
      w.write(e, 5)
      w.write(i + 1 - 2 ** e, e)
    }
  }
  writeLengths(w, mainLengths, stored)
  writeLengths(w, longLengths, stored)
  const tableBits = w.bitCount
  for (const c of coded) {
    w.code(mainCodes[c.main]!, mainLengths[c.main]!)
    if (c.long !== undefined) w.code(longCodes[c.long]!, longLengths[c.long]!)
    if (c.longExtra) w.write(...c.longExtra)
    if (c.offsetExtra) w.write(...c.offsetExtra)
  }
  const header = new DataView(new ArrayBuffer(32))
  const flags = tableBits // window 2^16
    | ((mtfEntries / 2) << 16) | ((pointerMinimum - 3) << 18)
    | ((mtfEntries > 0 ? mtfMinimum - 2 : 0) << 19)
  ;[0x4e86d72a, size, 256 + w.bitCount, flags, 0, session, index].forEach((v, i) =>
    header.setUint32(i * 4, v, true)
  )
  header.setUint32(28, crc32c(new Uint8Array(header.buffer, 0, 28)), true)
  return [...new Uint8Array(header.buffer), ...w.bytes]
}

/** The plain bytes that `items` stand for. */
export const expand = (items: ReadonlyArray<Lz77Item>, into: Array<number> = []): Array<number> => {
  for (const item of items) {
    if (typeof item === "number") into.push(item)
    else for (let i = 0; i < item.length; i++) into.push(into[into.length - item.distance]!)
  }
  return into
}

/** A stored XPRESS9 value (ESE's 5-byte header, then one block per item list). */
export const encodeXpress9 = (
  blocks: ReadonlyArray<ReadonlyArray<Lz77Item>>,
  options: Xpress9Options = {}
) => {
  const data: Array<number> = []
  for (const items of blocks) expand(items, data)
  const out = [5 << 3, 0, 0, 0, 0]
  const crc = crc32c(Uint8Array.from(data))
  out[1] = crc & 0xff
  out[2] = (crc >>> 8) & 0xff
  out[3] = (crc >>> 16) & 0xff
  out[4] = crc >>> 24
  blocks.forEach((items, index) => out.push(...encodeBlock(items, index, 0x5eed, options)))
  return { stored: Uint8Array.from(out), data: Uint8Array.from(data) }
}
