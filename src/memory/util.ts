/**
 * Small helpers of the in-memory engine: column type facts, byte conversions, and writing C
 * structs and strings into caller buffers.
 *
 * @module
 */
import type { JetStructName } from "../jet/structs.ts"
import { structLayout } from "../jet/structs.ts"

const fixedSizes = [0, 1, 1, 2, 4, 8, 4, 8, 8, 0, 0, 0, 0, 0, 4, 8, 16, 2, 8]

/** The size of a fixed-size column type, or 0 for text, binary and long values. */
export const fixedSize = (coltyp: number): number => fixedSizes[coltyp] ?? 0

/** `true` for a column type the engine knows. */
export const validColtyp = (coltyp: number): boolean => coltyp >= 1 && coltyp <= 18 && coltyp !== 13

/** `true` for LongBinary and LongText. */
export const isLongType = (coltyp: number): boolean => coltyp === 11 || coltyp === 12

/** `true` for Text and LongText. */
export const isTextType = (coltyp: number): boolean => coltyp === 10 || coltyp === 12

/**
 * A copy of the first `n` bytes of `data`. For the few bytes of a column value or a key, a loop
 * into a new array is about twice as fast as `slice`, which looks up the species constructor.
 */
export const copyPrefix = (data: Uint8Array, n: number): Uint8Array => {
  if (n > 32) return data.slice(0, n)
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) out[i] = data[i] as number
  return out
}

/** A copy of the first `cb` bytes of `data` (the caller may reuse its buffer). */
export const copyBytes = (data: Uint8Array | null, cb: number): Uint8Array =>
  data === null ? new Uint8Array(0) : cb >= 0 && cb <= data.length ? copyPrefix(data, cb) : data.slice(0, cb)

/** A little-endian integer of the given width. */
export const leBytes = (value: bigint, size: number): Uint8Array => {
  const out = new Uint8Array(size)
  let v = BigInt.asUintN(size * 8, value)
  for (let i = 0; i < size; i++) {
    out[i] = Number(v & 0xffn)
    v >>= 8n
  }
  return out
}

/** Reads a little-endian signed integer of 4 or 8 bytes. */
export const readLe = (b: Uint8Array): bigint => {
  let v = 0n
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i] as number)
  return BigInt.asIntN(b.length * 8, v)
}

/** Big-endian 4 bytes of an unsigned number: the implicit clustered key (DBK). */
export const beUint32 = (n: number): Uint8Array =>
  new Uint8Array([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff])

/** Copies as much of `src` as fits in `cb` bytes of `dst`; the count copied. */
export const copyOut = (dst: Uint8Array | null, cb: number, src: Uint8Array): number => {
  if (dst === null || cb <= 0) return 0
  const n = Math.min(cb, src.length, dst.byteLength)
  dst.set(n === src.length ? src : src.subarray(0, n), 0)
  return n
}

/** The UTF-16LE bytes of a string followed by a NUL. */
export const utf16z = (s: string): Uint8Array => {
  const out = new Uint8Array((s.length + 1) * 2)
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    out[i * 2] = c & 0xff
    out[i * 2 + 1] = c >>> 8
  }
  return out
}

/** A writer of one struct's fields into a caller buffer, laid out as on Windows x64. */
export const writeStruct = (
  name: JetStructName,
  buf: Uint8Array,
  values: Readonly<Record<string, number | bigint | string>>
): void => {
  const layout = structLayout(name)
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  buf.fill(0, 0, Math.min(layout.size, buf.byteLength))
  for (const f of layout.fields) {
    const v = f.name === "cbStruct" ? layout.size : values[f.name]
    if (v === undefined) continue
    if (typeof v === "string") {
      const bytes = utf16z(v)
      buf.set(bytes.subarray(0, Math.min(bytes.length, f.size - 2)), f.offset)
      continue
    }
    if (f.c === "JET_DATESERIAL") view.setFloat64(f.offset, Number(v), true)
    else if (f.size === 8) view.setBigUint64(f.offset, BigInt.asUintN(64, BigInt(v)), true)
    else if (f.size === 4) view.setUint32(f.offset, Number(v) >>> 0, true)
    else if (f.size === 2) view.setUint16(f.offset, Number(v) & 0xffff, true)
    else view.setUint8(f.offset, Number(v) & 0xff)
  }
}
