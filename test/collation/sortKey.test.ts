/**
 * The sort-key builder's own rules: the weight table decodes to what was generated, keys order
 * strings as Windows' default sort does (facts from Microsoft's documentation of
 * LCMapStringEx/CompareStringEx and MS-UCODEREF 3.1.5.2.4), flags act as documented, and what is
 * not covered is refused with a typed reason.
 */
import { describe, expect, it } from "@effect/vitest"
import { createHash } from "node:crypto"
import {
  canBuildSortKey,
  characterWeights,
  esentDefaultSortKeyFlags,
  sortKey,
  SortKeyFlag,
  sortKeyVersion,
  weightTableBytes,
  windowsSortKey
} from "../../src/collation/sortKey.ts"
import { weightsSha256 } from "../../src/collation/weights.generated.ts"

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex")
const key = (text: string, flags: number = esentDefaultSortKeyFlags): Uint8Array => {
  const built = windowsSortKey(text, flags)
  if (built === undefined) throw new Error(`no key for ${JSON.stringify(text)}`)
  return built
}
const compare = (a: Uint8Array, b: Uint8Array): number => Buffer.compare(Buffer.from(a), Buffer.from(b))
const sorted = (texts: ReadonlyArray<string>, flags?: number): Array<string> =>
  [...texts].sort((a, b) => compare(key(a, flags), key(b, flags)))
// The primary section: the bytes before the first 01 separator (primary weights are never 01).
const primary = (bytes: Uint8Array): string => hex(bytes.subarray(0, bytes.indexOf(1)))

describe("the weight table", () => {
  it("decodes to the table the generator read (SHA-256 of all 65536 weights)", () => {
    expect(createHash("sha256").update(weightTableBytes()).digest("hex")).toBe(weightsSha256)
    expect(sortKeyVersion).toBe(0x60305)
  })

  it("holds the weights index.edb's key shows for S, i, m, p, l, e", () => {
    expect(characterWeights(0x53)).toEqual({ script: 0x0e, primary: 0x91, diacritic: 2, case: 0x12 })
    expect([..."imple"].map((ch) => characterWeights(ch.charCodeAt(0)).primary)).toEqual([
      0x32,
      0x51,
      0x7e,
      0x48,
      0x21
    ])
  })
})

describe("sort keys", () => {
  it("have the five sections: a plain word ends in 01 01 01 01 00", () => {
    expect(hex(key("Simple"))).toBe("0e910e320e510e7e0e480e210101010100")
    expect(hex(key(""))).toBe("0101010100")
  })

  it("ignore case under ESE's default flags and keep it in the case section otherwise", () => {
    expect(hex(key("Simple"))).toBe(hex(key("SIMPLE")))
    expect(hex(key("Simple", 0x410))).toBe(hex(key("SIMPLE", 0x410)))
    const cased = key("Simple", 0)
    const upper = key("SIMPLE", 0)
    expect(primary(cased)).toBe(primary(upper))
    expect(hex(cased)).toBe("0e910e320e510e7e0e480e21010112010100")
    expect(hex(upper)).toBe("0e910e320e510e7e0e480e210101121212121212010100")
    // Lower case sorts first when only case differs.
    expect(compare(key("simple", 0), key("Simple", 0))).toBeLessThan(0)
    expect(sorted(["b", "A", "a", "B"], 0)).toEqual(["a", "A", "b", "B"])
  })

  it("order accents after the primary letters, compared left to right (not French order)", () => {
    expect(sorted(["resumes", "résumé", "resume"])).toEqual(["resume", "résumé", "resumes"])
    expect(sorted(["côté", "côte", "coté", "cote"])).toEqual(["cote", "coté", "côte", "côté"])
    expect(primary(key("résumé"))).toBe(primary(key("resume")))
    expect(hex(key("résumé", esentDefaultSortKeyFlags | SortKeyFlag.IgnoreNonSpace))).toBe(
      hex(key("resume", esentDefaultSortKeyFlags | SortKeyFlag.IgnoreNonSpace))
    )
  })

  it("weigh a combining mark into the character before it", () => {
    expect(primary(key("e\u0301"))).toBe(primary(key("e")))
    expect(compare(key("e"), key("e\u0301"))).toBeLessThan(0)
  })

  it("keep 'coop' and 'co-op' together under word sort, and put the hyphen first under string sort", () => {
    expect(sorted(["cop", "co-op", "coop", "con"])).toEqual(["con", "coop", "co-op", "cop"])
    expect(primary(key("co-op"))).toBe(primary(key("coop")))
    // The hyphen goes to the special section: its position (-(2 weights) - 1 = FFFD), its weight,
    // and case | diacritic << 3. (MS-UCODEREF's pseudocode writes the script member there instead;
    // the hyphenated file names of the search-index test have Wine's layout, as here.)
    expect(hex(key("co-op")).endsWith("0101fffd821200")).toBe(true)
    expect(sorted(["coop", "co-op"], esentDefaultSortKeyFlags | SortKeyFlag.StringSort)).toEqual([
      "co-op",
      "coop"
    ])
    expect(hex(key("co-op", esentDefaultSortKeyFlags | SortKeyFlag.IgnoreSymbols))).toBe(hex(key("coop")))
  })

  it("sort space, punctuation and symbols before digits, and digits before letters", () => {
    expect(sorted(["a", "1", "_", " ", "Z", "0"])).toEqual([" ", "_", "0", "1", "a", "Z"])
  })

  it("expand ligatures into their letters", () => {
    expect(primary(key("æ"))).toBe(primary(key("ae")))
    expect(primary(key("ß"))).toBe(primary(key("ss")))
    expect(primary(key("ﬃ"))).toBe(primary(key("ffi")))
  })

  it("swap byte pairs under LCMAP_BYTEREV", () => {
    const plain = key("ab")
    const reversed = key("ab", esentDefaultSortKeyFlags | SortKeyFlag.ByteReverse)
    expect(reversed.byteLength).toBe(plain.byteLength)
    expect(hex(reversed.subarray(0, 4))).toBe(
      hex(new Uint8Array([plain[1]!, plain[0]!, plain[3]!, plain[2]!]))
    )
  })
})

describe("what is not covered is refused, never guessed", () => {
  it.each(
    [
      ["カタカナ", 0, 0x30ab, "kana"],
      ["x\u1100", 1, 0x1100, "hangul-jamo"],
      ["日本", 0, 0x65e5, "cjk-ideograph"]
    ] as const
  )("%s", (text, index, codePoint, reason) => {
    expect(sortKey(text)).toEqual({
      _tag: "Refused",
      refusal: { _tag: "UnsupportedCharacter", index, codePoint, reason }
    })
    expect(windowsSortKey(text)).toBeUndefined()
    expect(canBuildSortKey(text)).toBe(false)
  })

  it("the sixth symbol script under NORM_IGNORESYMBOLS only", () => {
    expect(canBuildSortKey("\u0080")).toBe(true)
    expect(sortKey("\u0080", esentDefaultSortKeyFlags | SortKeyFlag.IgnoreSymbols)).toEqual({
      _tag: "Refused",
      refusal: { _tag: "UnsupportedCharacter", index: 0, codePoint: 0x80, reason: "ignored-symbol" }
    })
  })

  it("flags outside the supported set", () => {
    expect(sortKey("12", esentDefaultSortKeyFlags | SortKeyFlag.DigitsAsNumbers)).toEqual({
      _tag: "Refused",
      refusal: { _tag: "UnsupportedFlags", flags: SortKeyFlag.DigitsAsNumbers }
    })
    expect(canBuildSortKey("a", 0x40000000)).toBe(false)
  })

  it("builds keys for Latin, Greek, Cyrillic, Hebrew, Arabic, Hangul syllables and characters outside the BMP", () => {
    for (const text of ["Ærøskøbing", "Ελλάδα", "Россия", "עברית", "عربي", "한국어", "\u{1F98A}"]) {
      expect(canBuildSortKey(text)).toBe(true)
    }
  })
})
