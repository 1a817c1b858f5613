// Test-only encoders: they build stored values from plain data so the decoders can be tested on
// round trips and on deliberately broken variants of a valid value.

/** Packs characters below 0x80 the way ESE's 7-bit schemes store them (header byte included). */
export const encode7Bit = (
  scheme: "7BitAscii" | "7BitUnicode",
  characters: ArrayLike<number>
): Uint8Array => {
  const bits = characters.length * 7
  const out = new Uint8Array(1 + Math.ceil(bits / 8))
  const bitsInLastByte = bits % 8 === 0 ? 8 : bits % 8
  out[0] = ((scheme === "7BitAscii" ? 1 : 2) << 3) | (bitsInLastByte - 1)
  for (let i = 0; i < characters.length; i++) {
    const c = characters[i]! & 0x7f
    const bit = i * 7
    const byte = 1 + (bit >>> 3)
    const shift = bit & 7
    out[byte] = out[byte]! | ((c << shift) & 0xff)
    if (shift > 1) out[byte + 1] = out[byte + 1]! | (c >>> (8 - shift))
  }
  return out
}

/** The stored XPRESS form of `data` using literals only: valid Plain LZ77 with no matches. */
export const encodeXpressLiterals = (data: Uint8Array): Uint8Array => {
  const out: Array<number> = [0x18, data.length & 0xff, data.length >>> 8]
  for (let i = 0; i < data.length; i += 32) {
    out.push(0, 0, 0, 0)
    for (let j = i; j < Math.min(i + 32, data.length); j++) out.push(data[j]!)
  }
  return Uint8Array.from(out)
}

/** The stored LZ4 form (scheme 7, 16-bit size) of `data` as one literal-only LZ4 block. */
export const encodeLz4Literals = (data: Uint8Array): Uint8Array => {
  const out: Array<number> = [7 << 3, data.length & 0xff, data.length >>> 8]
  if (data.length < 15) {
    out.push(data.length << 4)
  } else {
    out.push(0xf0)
    let rest = data.length - 15
    while (rest >= 255) {
      out.push(255)
      rest -= 255
    }
    out.push(rest)
  }
  for (const b of data) out.push(b)
  return Uint8Array.from(out)
}

export const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0))
export const utf16 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, "utf16le"))

/** One item of a Plain LZ77 stream: a literal byte, or a copy of `length` bytes from `distance` back. */
export type Lz77Item = number | { readonly distance: number; readonly length: number }

/**
 * Writes items as a stored XPRESS value with every length form of [MS-XCA] 2.3: 3 bits in the match
 * word, a half byte shared by two matches, a byte, a 16-bit word, a 32-bit word (`long32` forces it).
 */
export const encodeXpressItems = (
  size: number,
  items: ReadonlyArray<Lz77Item>,
  long32 = false
): Uint8Array => {
  const out: Array<number> = [0x18, size & 0xff, (size >>> 8) & 0xff]
  let flagsAt = -1
  let flagCount = 32
  let flags = 0
  let halfByteAt = -1
  const closeFlags = () => {
    if (flagsAt >= 0) { for (let k = 0; k < 4; k++) out[flagsAt + k] = (flags >>> (8 * k)) & 0xff }
  }
  for (const item of items) {
    if (flagCount === 32) {
      closeFlags()
      flagsAt = out.length
      out.push(0, 0, 0, 0)
      flags = 0
      flagCount = 0
    }
    flagCount++
    if (typeof item === "number") {
      out.push(item)
      continue
    }
    flags = (flags | (1 << (32 - flagCount))) >>> 0
    const word = ((item.distance - 1) << 3) | Math.min(item.length - 3, 7)
    out.push(word & 0xff, word >>> 8)
    if (item.length - 3 < 7) continue
    const rest = item.length - 3 - 7
    const nibble = Math.min(rest, 15)
    if (halfByteAt < 0) {
      halfByteAt = out.length
      out.push(nibble)
    } else {
      out[halfByteAt] = out[halfByteAt]! | (nibble << 4)
      halfByteAt = -1
    }
    if (rest < 15) continue
    if (rest - 15 < 255 && !long32) {
      out.push(rest - 15)
      continue
    }
    out.push(255)
    const total = item.length - 3
    if (total < 0x10000 && !long32) {
      out.push(total & 0xff, total >>> 8)
    } else {
      out.push(0, 0, total & 0xff, (total >>> 8) & 0xff, (total >>> 16) & 0xff, total >>> 24)
    }
  }
  closeFlags()
  return Uint8Array.from(out)
}
