// COMPRESS_XPRESS9 (5 in ESE's compression.cxx): a 5-byte header (scheme byte, CRC-32C of the
// uncompressed data, little-endian) followed by an XPRESS9 stream, the format of Microsoft's codec in
// dev/ese/src/_xpress9 (read there; this decoder is our own).
//
// The stream is a sequence of blocks. Each block has a 32-byte header of little-endian 32-bit words:
//
//   0 magic 0x4E86D72A     1 uncompressed bytes      2 compressed bits, header included
//   3 flags: bits 0-12 bits of the Huffman tables, 13-15 log2(window) - 16, 16-17 move-to-front
//     entries / 2 (0, 2 or 4), 18 pointer minimum match - 3, 19 move-to-front minimum match - 2,
//     20-31 zero
//   4 zero                 5 session signature (the same in every block)
//   6 block index          7 CRC-32C of words 0-6
//
// then a bit stream read least-significant bit first: the move-to-front state (when entries are
// used: 1 bit "last item was a match", then per entry a 5-bit exponent e and e bits, offset = 2^e +
// bits), the code lengths of the 704-symbol main alphabet and the 256-symbol long-length alphabet,
// then the coded data. Huffman codes are canonical (shorter codes first, then by symbol) and their
// first bit read is the code's most significant bit.
//
// A main symbol below 256 is a literal. Otherwise s = symbol - 256: the low 4 bits are a short length
// (15 continues in the long-length alphabet) and s >> 4 is a slot: a slot below the number of
// move-to-front entries reuses a recent offset, any other gives an offset of 2^(slot - entries) plus
// that many bits.
import { crc32c } from "./crc32c.ts"
import { CompressionError, maxDecompressedSize } from "./error.ts"

const scheme = "Xpress9"

/** Bytes before the XPRESS9 stream: the scheme byte and the CRC-32C of the uncompressed data. */
export const xpress9HeaderSize = 5

const blockMagic = 0x4e86d72a
const blockHeaderBytes = 32
const mainAlphabetSize = 256 + ((24 + 4) << 4)
const longLengthAlphabetSize = 256
const maxLongLength = longLengthAlphabetSize - 24
const maxCodeLength = 27
const fillBoundary = 16

const fail = (detail: string, failure: "Corrupt" | "IntegrityCheckFailed" = "Corrupt"): never => {
  throw new CompressionError(scheme, detail, failure)
}

/** Reads bits least-significant first from `bytes[start ..]`, never past `endBit`. */
class BitReader {
  private position: number
  private readonly bytes: Uint8Array
  private readonly endBit: number
  constructor(bytes: Uint8Array, start: number, endBit: number) {
    this.bytes = bytes
    this.position = start * 8
    this.endBit = endBit
  }
  get consumed(): number {
    return this.position
  }
  bits(count: number): number {
    if (this.position + count > this.endBit) fail(`block ends where ${count} more bit(s) are needed`)
    let value = 0
    for (let k = 0; k < count; k++) {
      const p = this.position + k
      value += ((this.bytes[p >>> 3]! >>> (p & 7)) & 1) * 2 ** k
    }
    this.position += count
    return value
  }
}

/** A canonical Huffman code: decodes one symbol at a time, first bit = most significant. */
class HuffmanCode {
  private readonly counts: Array<number>
  private readonly symbols: Array<number>
  private readonly single: { symbol: number; length: number } | undefined

  constructor(lengths: Uint8Array, name: string) {
    this.counts = new Array<number>(maxCodeLength + 1).fill(0)
    const present: Array<number> = []
    for (let symbol = 0; symbol < lengths.length; symbol++) {
      const length = lengths[symbol]!
      if (length > maxCodeLength) fail(`${name} code length ${length} exceeds ${maxCodeLength}`)
      if (length !== 0) {
        this.counts[length]!++
        present.push(symbol)
      }
    }
    if (present.length === 0) fail(`${name} code has no symbol`)
    // A code of one symbol reads that symbol's length in bits, whatever they hold.
    this.single = present.length === 1 ? { symbol: present[0]!, length: lengths[present[0]!]! } : undefined
    if (this.single === undefined) {
      let left = 1
      for (let length = 1; length <= maxCodeLength; length++) {
        left = left * 2 - this.counts[length]!
        if (left < 0) fail(`${name} code lengths are over-subscribed`)
      }
      if (left !== 0) fail(`${name} code lengths do not form a complete code`)
    }
    this.symbols = present.sort((a, b) => lengths[a]! - lengths[b]! || a - b)
  }

  decode(reader: BitReader): number {
    if (this.single !== undefined) {
      reader.bits(this.single.length)
      return this.single.symbol
    }
    let code = 0
    let first = 0
    let index = 0
    for (let length = 1; length <= maxCodeLength; length++) {
      code |= reader.bits(1)
      const count = this.counts[length]!
      if (code - first < count) return this.symbols[index + code - first]!
      index += count
      first = (first + count) << 1
      code <<= 1
    }
    return fail("invalid Huffman code")
  }
}

// Symbols of the small code that transmits code lengths: 0-27 are lengths, then these.
const lengthFill = maxCodeLength + 1 // zeros up to the next multiple of 16
const lengthZeroRun = maxCodeLength + 2 // 5+ zeros
const lengthPrevious = maxCodeLength + 3 // the last non-zero length again
const lengthRow0 = maxCodeLength + 4 // the length 16 symbols earlier
const lengthRow1 = maxCodeLength + 5 // the length 16 symbols earlier, plus one
const lengthAlphabetSize = maxCodeLength + 6

const readCodeLengths = (reader: BitReader, alphabetSize: number, name: string): Uint8Array => {
  const lengths = new Uint8Array(alphabetSize)
  const encoding = reader.bits(3)
  if (encoding === 0) {
    // "Stored": the first 2^(m+1) - size symbols get m bits, the rest m + 1, with m = floor(log2(size)).
    const m = 31 - Math.clz32(alphabetSize)
    const shorter = 2 ** (m + 1) - alphabetSize
    for (let i = 0; i < alphabetSize; i++) lengths[i] = i < shorter ? m : m + 1
    return lengths
  }
  if (encoding !== 1) fail(`${name} code lengths use unknown encoding ${encoding}`)
  const smallLengths = new Uint8Array(lengthAlphabetSize)
  let previous = 4
  for (let i = 0; i < lengthAlphabetSize; i++) {
    if (reader.bits(1) === 0) {
      smallLengths[i] = previous
      continue
    }
    let length = reader.bits(3)
    if (length >= previous) {
      length += 1
      if (length > 8) fail(`${name} length code has a length of ${length}`)
    }
    smallLengths[i] = length
    previous = length
  }
  const small = new HuffmanCode(smallLengths, `${name} length`)
  previous = 8
  for (let i = 0; i < alphabetSize;) {
    const symbol = small.decode(reader)
    if (symbol <= maxCodeLength) {
      lengths[i++] = symbol
      if (symbol !== 0) previous = symbol
    } else if (symbol === lengthFill) {
      do lengths[i++] = 0
      while (i % fillBoundary !== 0 && i < alphabetSize)
    } else if (symbol === lengthZeroRun) {
      let extra = reader.bits(2)
      let run = extra + 5
      const check = () => {
        if (i + run > alphabetSize || (i ^ (i + run)) >= fillBoundary) {
          fail(`${name} run of ${run} zeros at symbol ${i} crosses a row of 16 or the alphabet`)
        }
      }
      if (extra === 3) {
        do {
          extra = reader.bits(3)
          run += extra
          check()
        } while (extra === 7)
      }
      check()
      while (run > 0 && i < alphabetSize) {
        lengths[i++] = 0
        run--
      }
    } else if (symbol === lengthPrevious) {
      lengths[i++] = previous
    } else {
      // lengthRow0 or lengthRow1
      if (symbol !== lengthRow0 && symbol !== lengthRow1) fail(`${name} length symbol ${symbol}`)
      if (i < fillBoundary) fail(`${name} refers to the row above in the first row`)
      const length = lengths[i - fillBoundary]! + (symbol === lengthRow1 ? 1 : 0)
      if (length === 0 || length > maxCodeLength) fail(`${name} row reference gives length ${length}`)
      lengths[i++] = length
      previous = length
    }
  }
  return lengths
}

interface BlockHeader {
  readonly uncompressedSize: number
  readonly compressedBits: number
  readonly tableBits: number
  readonly windowLog2: number
  readonly mtfEntries: number
  readonly pointerMinimum: number
  readonly mtfMinimum: number
  readonly session: number
}

const readBlockHeader = (stream: Uint8Array, at: number, index: number, session: number | undefined) => {
  if (at + blockHeaderBytes > stream.length) {
    fail(
      `block ${index} header needs ${blockHeaderBytes} bytes at stream byte ${at}, ${stream.length - at} left`
    )
  }
  const view = new DataView(stream.buffer, stream.byteOffset + at, blockHeaderBytes)
  const word = (i: number) => view.getUint32(i * 4, true)
  if (word(0) !== blockMagic) fail(`block ${index} has magic ${word(0).toString(16)}, not 4e86d72a`)
  if (word(4) !== 0) fail(`block ${index} reserved word is ${word(4)}, not 0`)
  if (word(6) !== index) fail(`block ${index} is numbered ${word(6)}`)
  if (session !== undefined && word(5) !== session) fail(`block ${index} belongs to another session`)
  const headerCrc = crc32c(stream.subarray(at, at + 28))
  if (word(7) !== headerCrc) {
    fail(`block ${index} header CRC-32C is ${word(7).toString(16)}, computed ${headerCrc.toString(16)}`)
  }
  const flags = word(3)
  if (flags >>> 20 !== 0) fail(`block ${index} sets reserved flag bits (${flags.toString(16)})`)
  const mtfEntries = ((flags >>> 16) & 3) * 2
  if (mtfEntries > 4) fail(`block ${index} declares ${mtfEntries} move-to-front entries`)
  const header: BlockHeader = {
    uncompressedSize: word(1),
    compressedBits: word(2),
    tableBits: flags & 0x1fff,
    windowLog2: ((flags >>> 13) & 7) + 16,
    mtfEntries,
    pointerMinimum: ((flags >>> 18) & 1) + 3,
    mtfMinimum: ((flags >>> 19) & 1) + 2,
    session: word(5)
  }
  if (header.compressedBits <= header.tableBits + blockHeaderBytes * 8) {
    fail(`block ${index} declares ${header.compressedBits} bits, no more than its header and tables`)
  }
  if (at + Math.ceil(header.compressedBits / 8) > stream.length) {
    fail(
      `block ${index} declares ${header.compressedBits} bits, more than the ${stream.length - at} bytes left`
    )
  }
  return header
}

/** The block headers of an XPRESS9 stream (after ESE's 5-byte header), checked but not decoded. */
const blockHeaders = (stream: Uint8Array): Array<BlockHeader & { readonly at: number }> => {
  const headers: Array<BlockHeader & { readonly at: number }> = []
  let total = 0
  for (let at = 0; at < stream.length;) {
    const header = readBlockHeader(stream, at, headers.length, headers[0]?.session)
    total += header.uncompressedSize
    if (total > maxDecompressedSize) fail(`blocks declare more than the cap of ${maxDecompressedSize} bytes`)
    headers.push({ ...header, at })
    at += Math.ceil(header.compressedBits / 8)
  }
  if (headers.length === 0) fail("the stream holds no block")
  return headers
}

const decodeBlock = (
  stream: Uint8Array,
  header: BlockHeader & { readonly at: number },
  out: Uint8Array,
  start: number
) => {
  const reader = new BitReader(stream, header.at + blockHeaderBytes, header.at * 8 + header.compressedBits)
  const mtf = [0, 0, 0, 0]
  let lastWasMatch = false
  if (header.mtfEntries > 0) {
    lastWasMatch = reader.bits(1) === 1
    for (let i = 0; i < header.mtfEntries; i++) {
      const exponent = reader.bits(5)
      if (exponent >= header.windowLog2) fail(`move-to-front offset exponent ${exponent} exceeds the window`)
      mtf[i] = reader.bits(exponent) + 2 ** exponent
    }
  }
  const main = new HuffmanCode(readCodeLengths(reader, mainAlphabetSize, "main"), "main")
  const longLengths = new HuffmanCode(
    readCodeLengths(reader, longLengthAlphabetSize, "long-length"),
    "long-length"
  )
  const tableBits = reader.consumed - (header.at + blockHeaderBytes) * 8
  if (tableBits !== header.tableBits) {
    fail(`tables take ${tableBits} bits, the header says ${header.tableBits}`)
  }

  const end = start + header.uncompressedSize
  let position = start
  while (position < end) {
    const symbol = main.decode(reader)
    if (symbol < 256) {
      out[position++] = symbol
      lastWasMatch = false
      continue
    }
    let slot = (symbol - 256) >>> 4
    let length = (symbol - 256) & 15
    if (length === 15) {
      length = longLengths.decode(reader)
      if (length >= maxLongLength) {
        const bits = length - maxLongLength
        length = reader.bits(bits) + 2 ** bits + maxLongLength - 1
      }
      length += 15
    }
    let offset: number
    if (slot < header.mtfEntries) {
      length += header.mtfMinimum
      if (lastWasMatch) {
        // After a match the most recent offset cannot repeat: slots name the next ones.
        if (slot >= header.mtfEntries - 1) fail(`move-to-front slot ${slot} right after a match`)
        offset = mtf[slot + 1]!
        for (let k = slot + 1; k > 1; k--) mtf[k] = mtf[k - 1]!
        mtf[1] = mtf[0]!
        mtf[0] = offset
      } else {
        offset = mtf[slot]!
        for (let k = slot; k > 0; k--) mtf[k] = mtf[k - 1]!
        mtf[0] = offset
      }
    } else {
      length += header.pointerMinimum
      slot -= header.mtfEntries
      offset = reader.bits(slot) + 2 ** slot
      for (let k = header.mtfEntries - 1; k > 0; k--) mtf[k] = mtf[k - 1]!
      mtf[0] = offset
    }
    if (offset > position) fail(`back-reference of ${offset} bytes before the start of the output`)
    if (length > end - position) {
      fail(`match of ${length} bytes runs past the block's ${header.uncompressedSize} bytes`)
    }
    for (const stop = position + length; position < stop; position++) out[position] = out[position - offset]!
    lastWasMatch = true
  }
  if (reader.consumed !== header.at * 8 + header.compressedBits) {
    fail(`block decodes in ${reader.consumed - header.at * 8} bits, its header says ${header.compressedBits}`)
  }
}

/** The uncompressed size an XPRESS9 value's block headers declare. */
export const xpress9DeclaredSize = (stored: Uint8Array): number => {
  if (stored.length < xpress9HeaderSize) {
    fail(`a value of ${stored.length} byte(s) is shorter than the 5-byte header`)
  }
  return blockHeaders(stored.subarray(xpress9HeaderSize)).reduce((n, h) => n + h.uncompressedSize, 0)
}

/**
 * Decodes an XPRESS9 value and checks the CRC-32C ESE stores for the uncompressed data, so that a
 * decoding error shows as a CompressionError, never as wrong bytes.
 */
export const decodeXpress9 = (stored: Uint8Array): Uint8Array => {
  if (stored.length < xpress9HeaderSize) {
    fail(`a value of ${stored.length} byte(s) is shorter than the 5-byte header`)
  }
  const stream = stored.subarray(xpress9HeaderSize)
  const headers = blockHeaders(stream)
  const out = new Uint8Array(headers.reduce((n, h) => n + h.uncompressedSize, 0))
  let start = 0
  for (const header of headers) {
    decodeBlock(stream, header, out, start)
    start += header.uncompressedSize
  }
  const expected = new DataView(stored.buffer, stored.byteOffset, stored.byteLength).getUint32(1, true)
  const actual = crc32c(out)
  if (actual !== expected) {
    fail(
      `CRC-32C of the decoded data is ${actual.toString(16)}, the header stores ${expected.toString(16)}`,
      "IntegrityCheckFailed"
    )
  }
  return out
}
