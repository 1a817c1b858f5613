import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { noColumn, noValue, Rec } from "../../src/memory/record.ts"

// Column ids as the engine hands them out: fixed 1-127, variable 128-255, tagged from 256; the
// varints of the packed form take one to three bytes for these.
const columnId = fc.oneof(
  fc.integer({ min: 1, max: 127 }),
  fc.integer({ min: 128, max: 255 }),
  fc.integer({ min: 256, max: 0xffff })
)
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 40 }),
  // Longer than one chunk of the packer and than a one-byte length varint.
  fc.uint8Array({ minLength: 4000, maxLength: 9000 })
)
const columnValues = fc.uniqueArray(fc.tuple(columnId, fc.array(bytes, { maxLength: 3 })), {
  selector: ([id]) => id,
  maxLength: 6
})

const valueAt = (rec: Rec, columnid: number, itag: number): Uint8Array | number => {
  const at = rec.locate(columnid, itag)
  if (at < 0) return at
  const out = new Uint8Array(Rec.foundLength)
  rec.copyTo(out, at, Rec.foundLength)
  return out
}

describe("Rec (a record packed into one string)", () => {
  it("gives back every value it was made with, in place and unpacked; columns without values are left out", () => {
    fc.assert(fc.property(columnValues, (entries) => {
      const rec = new Rec(new Map(entries), Infinity, 7n)
      const withValues = entries.filter(([, list]) => list.length > 0)
      expect([...rec.values]).toEqual(withValues)
      for (const [id, list] of entries) {
        if (list.length === 0) expect(rec.locate(id, 1)).toBe(noColumn)
        list.forEach((v, i) => expect(valueAt(rec, id, i + 1)).toEqual(v))
        if (list.length > 0) expect(rec.locate(id, list.length + 1)).toBe(noValue)
      }
    }))
  })

  it("tells a column it never had from one with too few values", () => {
    const rec = new Rec(new Map([[300, [new Uint8Array([1]), new Uint8Array(0)]]]), 0, 1n)
    expect(rec.locate(301, 1)).toBe(noColumn)
    expect(rec.locate(300, 3)).toBe(noValue)
    expect(valueAt(rec, 300, 2)).toEqual(new Uint8Array(0))
  })

  it("is a copy: changing the map or the buffers it was made from, or the unpacked map, changes nothing", () => {
    const buffer = new Uint8Array([1, 2, 3])
    const values = new Map([[1, [buffer]]])
    const rec = new Rec(values, 0, 1n)
    buffer[0] = 9
    values.set(2, [buffer])
    rec.values.get(1)?.[0]?.fill(0)
    expect(rec.values).toEqual(new Map([[1, [new Uint8Array([1, 2, 3])]]]))
  })
})
