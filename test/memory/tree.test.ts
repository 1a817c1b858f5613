import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { SortedIndex } from "../../src/memory/tree.ts"

type Step =
  | { readonly op: "insert"; readonly key: string; readonly bm: string }
  | { readonly op: "remove"; readonly key: string; readonly bm: string }
  | { readonly op: "get"; readonly key: string; readonly bm: string }
  | { readonly op: "clone" }

const entries = (t: SortedIndex<number>): Array<string> => {
  const out: Array<string> = []
  for (let p = t.first(); p !== undefined; p = t.next(p)) out.push(`${t.keyAt(p)}|${t.bmAt(p)}=${t.valAt(p)}`)
  return out
}

describe("SortedIndex", () => {
  // An insert reuses the position of the lookup just before it that found the entry absent; any
  // change or clone in between must not let a stale position through.
  it("an insert after a failed lookup lands where a plain insert would, whatever came between", () => {
    const key = fc.constantFrom("a", "b", "c", "d", "e", "f").chain((k) =>
      fc.integer({ min: 0, max: 40 }).map((n) => `${k}${String(n).padStart(2, "0")}`)
    )
    const bm = fc.constantFrom("1", "2")
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ op: fc.constant("insert" as const), key, bm }),
      fc.record({ op: fc.constant("remove" as const), key, bm }),
      fc.record({ op: fc.constant("get" as const), key, bm }),
      fc.constant({ op: "clone" as const })
    )
    fc.assert(
      fc.property(fc.array(step, { maxLength: 800 }), (steps) => {
        let tree = new SortedIndex<number>()
        const model = new Map<string, number>()
        let n = 0
        for (const s of steps) {
          if (s.op === "clone") {
            // Either side may carry on: the clone or the original.
            const c = tree.clone()
            if (n % 2 === 0) tree = c
            continue
          }
          const id = `${s.key}|${s.bm}`
          if (s.op === "get") expect(tree.get(s.key, s.bm)).toBe(model.get(id))
          else if (s.op === "remove") expect(tree.remove(s.key, s.bm)).toBe(model.delete(id))
          else {
            // The lookup an update makes before it inserts.
            tree.get(s.key, s.bm)
            const added = tree.insert(s.key, s.bm, ++n)
            expect(added).toBe(!model.has(id))
            if (added) model.set(id, n)
          }
        }
        const expected = [...model].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) =>
          `${k}=${v}`
        )
        expect(entries(tree)).toEqual(expected)
        expect(tree.size).toBe(model.size)
      }),
      { numRuns: 200 }
    )
  })
})
