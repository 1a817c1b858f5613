/**
 * Native memory for one call's structs: a layout is planned first (offsets only), then one block is
 * allocated and written, so pointer fields can hold absolute addresses. Struct bytes follow
 * `structLayout`, the layout the ABI check proves against the Windows header.
 *
 * @module
 */
import koffi from "koffi"
import { type JetStructName, structLayout } from "../jet/structs.ts"

/** A native block: its koffi pointer (to pass as a `void *` argument), address and bytes. */
export interface NativeBlock {
  readonly pointer: unknown
  readonly base: bigint
  readonly view: DataView
  readonly bytes: Uint8Array
}

/** Plans offsets within a block that is allocated once the plan is complete. */
export class ArenaPlan {
  private size = 0

  /** Reserves `size` bytes aligned to `align`; returns their offset in the block. */
  reserve(size: number, align = 8): number {
    const offset = Math.ceil(this.size / align) * align
    this.size = offset + size
    return offset
  }

  /** Reserves `count` consecutive structs; returns the offset of the first. */
  reserveStructs(name: JetStructName, count: number): number {
    const layout = structLayout(name)
    return this.reserve(layout.size * count, layout.align)
  }

  /** Reserves a NUL-terminated UTF-16 copy of `text`, or nothing for `null` (offset -1). */
  reserveWide(text: string | null | undefined): number {
    return text == null ? -1 : this.reserve((text.length + 1) * 2, 2)
  }

  /** Allocates the planned block, zero-filled. Free it with {@link freeBlock}. */
  allocate(): NativeBlock {
    const size = Math.max(this.size, 8)
    const pointer = koffi.alloc("uint8_t", size)
    const buffer = koffi.view(pointer, size)
    const bytes = new Uint8Array(buffer)
    bytes.fill(0)
    return { pointer, base: koffi.address(pointer), view: new DataView(buffer), bytes }
  }
}

/** Releases a block from {@link ArenaPlan.allocate}. */
export const freeBlock = (block: NativeBlock): void => koffi.free(block.pointer)

/** The absolute address of `offset` in the block, or 0 for the "nothing" offset -1. */
export const addressAt = (block: NativeBlock, offset: number): bigint =>
  offset < 0 ? 0n : block.base + BigInt(offset)

/** Writes `text` as UTF-16LE plus a NUL at `offset` (no-op for the -1 offset). */
export const writeWide = (block: NativeBlock, offset: number, text: string | null | undefined): void => {
  if (offset < 0 || text == null) return
  for (let i = 0; i < text.length; i++) block.view.setUint16(offset + 2 * i, text.charCodeAt(i), true)
  block.view.setUint16(offset + 2 * text.length, 0, true)
}

/** Field values of one struct: numbers for 32-bit and smaller fields, bigints for 64-bit ones. */
export type FieldValues = Readonly<Record<string, number | bigint | undefined>>

/** Writes the named fields of a struct at `offset`, each at its width; absent fields stay zero. */
export const writeStruct = (
  block: NativeBlock,
  offset: number,
  name: JetStructName,
  values: FieldValues
): void => {
  const layout = structLayout(name)
  for (const field of layout.fields) {
    const value = field.name === "cbStruct" ? layout.size : values[field.name]
    if (value === undefined) continue
    writeField(block.view, offset + field.offset, field.size, field.c, value)
  }
}

const writeField = (view: DataView, at: number, size: number, c: string, value: number | bigint): void => {
  switch (size) {
    case 2:
      view.setUint16(at, Number(value), true)
      return
    case 4:
      if (c === "JET_ERR" || c === "long") view.setInt32(at, Number(value), true)
      else view.setUint32(at, Number(value) >>> 0, true)
      return
    case 8:
      if (c === "JET_DATESERIAL") view.setFloat64(at, Number(value), true)
      else view.setBigUint64(at, BigInt.asUintN(64, BigInt(value)), true)
      return
    default:
      throw new Error(`cannot write ${c} of ${size} bytes`)
  }
}

/** Reads one field of a struct at `offset` as a number (64-bit fields as bigint). */
export const readField = (
  view: DataView,
  offset: number,
  name: JetStructName,
  field: string
): number | bigint => {
  const layout = structLayout(name).byName.get(field)
  if (layout === undefined) throw new Error(`${name} has no field ${field}`)
  const at = offset + layout.offset
  switch (layout.size) {
    case 2:
      return view.getUint16(at, true)
    case 4:
      return layout.c === "JET_ERR" || layout.c === "long"
        ? view.getInt32(at, true)
        : view.getUint32(at, true)
    case 8:
      return layout.c === "JET_DATESERIAL" ? view.getFloat64(at, true) : view.getBigUint64(at, true)
    default:
      throw new Error(`cannot read ${layout.c}`)
  }
}
