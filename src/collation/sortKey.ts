/**
 * Windows locale sort keys: what `LCMapStringEx(locale, LCMAP_SORTKEY | flags, ...)` returns for
 * the Windows default sort (sort GUID 00000001-57EE-1E5C-00B4-D0000BB1E11E, which en-US and the
 * invariant locale use), built in TypeScript from the weights of NLS sort version 6.3.5. ESE stores
 * exactly these bytes (after the 0x7F segment header, cut at the key's room) as the index key of a
 * Unicode text column, so they are what a reader seeks real files with and what the in-memory
 * engine can sort Unicode keys by.
 *
 * A key has five sections: primary weights (two bytes a character: script, then weight), 01,
 * diacritic weights, 01, case weights, 01, 01, special weights (punctuation under word sort:
 * position and weight), 00. Trailing diacritic and case weights of 2 or less are dropped, so a
 * plain ASCII word ends in `01 01 01 01 00`.
 *
 * Characters are weighed one UTF-16 code unit at a time (MS-UCODEREF 3.1.5.2.4), so a character
 * outside the Basic Multilingual Plane weighs as its two surrogates, as Windows stores it. Covered:
 * every code unit except the kana (U+3005, U+3041-30FF, the half-width forms...), the Hangul
 * conjoining jamo and the CJK ideographs, which are refused with a typed reason rather than given a
 * guessed key (see `firstUnsupported`). Flags: those ESE accepts for sort keys, except
 * `SORT_DIGITSASNUMBERS` — see {@link SortKeyFlag}. The weights are those of sort version 6.3.5
 * (Windows 8.1 and 10); a file written under another version may hold other weights for characters
 * Microsoft changed in between (docs/unicode-sort-keys.md).
 *
 * @example
 * ```ts
 * const key = windowsSortKey("Simple", esentDefaultSortKeyFlags)
 * // 0E 91 0E 32 0E 51 0E 7E 0E 48 0E 21 01 01 01 01 00
 * ```
 *
 * @module
 */
import { expansionPairs, weightRuns, weightsSortVersion } from "./weights.generated.ts"

/** `LCMapStringEx` flags that shape a sort key (values of Windows' winnls.h). */
export const SortKeyFlag = {
  /** NORM_IGNORECASE: case does not count (nor sub/superscript). */
  IgnoreCase: 0x00000001,
  /** NORM_IGNORENONSPACE: no diacritic section. */
  IgnoreNonSpace: 0x00000002,
  /** NORM_IGNORESYMBOLS: punctuation and symbols leave no weight. */
  IgnoreSymbols: 0x00000004,
  /** SORT_DIGITSASNUMBERS: digit runs sort by value. Not supported here. */
  DigitsAsNumbers: 0x00000008,
  /** LINGUISTIC_IGNORECASE: case does not count for letters of the case-bearing scripts. */
  LinguisticIgnoreCase: 0x00000010,
  /** LINGUISTIC_IGNOREDIACRITIC: diacritics do not count for letters of those scripts. */
  LinguisticIgnoreDiacritic: 0x00000020,
  /** LCMAP_SORTKEY: implied; accepted so a catalog's flags can be passed as they are. */
  SortKey: 0x00000400,
  /** LCMAP_BYTEREV: swap each pair of bytes of the finished key. */
  ByteReverse: 0x00000800,
  /** SORT_STRINGSORT: punctuation sorts as symbols instead of by word sort. */
  StringSort: 0x00001000,
  /** NORM_IGNOREKANATYPE: hiragana and katakana weigh the same. */
  IgnoreKanaType: 0x00010000,
  /** NORM_IGNOREWIDTH: full-width and half-width forms weigh the same. */
  IgnoreWidth: 0x00020000,
  /** NORM_LINGUISTIC_CASING: no effect on the default sort, which has no exception table. */
  LinguisticCasing: 0x08000000
} as const

/**
 * The flags ESE passes when an index does not set its own: LCMAP_SORTKEY | NORM_IGNORECASE |
 * NORM_IGNOREKANATYPE | NORM_IGNOREWIDTH (0x30401), the value real catalogs record.
 */
export const esentDefaultSortKeyFlags = 0x00030401

/** The NLS sort version whose weights this module holds (6.3.5). */
export const sortKeyVersion = weightsSortVersion

const supportedFlags = Object.values(SortKeyFlag).reduce((all, flag) => all | flag, 0)
  & ~SortKeyFlag.DigitsAsNumbers

/** Why a sort key cannot be built: the first thing we have no verified rule for. */
export type SortKeyRefusal =
  | {
    readonly _tag: "UnsupportedCharacter"
    /** The code unit's index in the string. */
    readonly index: number
    /** The UTF-16 code unit. */
    readonly codePoint: number
    readonly reason: "kana" | "hangul-jamo" | "cjk-ideograph" | "ignored-symbol"
  }
  | {
    readonly _tag: "UnsupportedFlags"
    /** The flags not supported. */
    readonly flags: number
  }

/** A built key, or the reason it cannot be built. */
export type SortKeyResult =
  | { readonly _tag: "Built"; readonly key: Uint8Array }
  | { readonly _tag: "Refused"; readonly refusal: SortKeyRefusal }

// Weight of a code unit: primary in bits 0-7, script 8-15, diacritic 16-23, case 24-31.
let weightTable: Uint32Array | undefined
let expansionTable: Uint16Array | undefined

const fromBase64 = (text: string): Uint8Array => {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

const weightsOf = (): Uint32Array => {
  if (weightTable !== undefined) return weightTable
  const data = fromBase64(weightRuns)
  const table = new Uint32Array(65536)
  let p = 0
  const varint = (): number => {
    let value = 0
    let scale = 1
    for (;;) {
      const b = data[p++]!
      value += (b & 0x7f) * scale
      if (b < 0x80) return value
      scale *= 0x80
    }
  }
  let c = 0
  while (c < 65536) {
    const length = varint() + 1
    let value = (data[p]! | (data[p + 1]! << 8) | (data[p + 2]! << 16) | (data[p + 3]! << 24)) >>> 0
    p += 4
    const zigzag = varint()
    const step = zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2
    for (let i = 0; i < length; i++) {
      table[c++] = value
      value = (value + step) >>> 0
    }
  }
  weightTable = table
  return table
}

const expansionsOf = (): Uint16Array => {
  if (expansionTable !== undefined) return expansionTable
  const data = fromBase64(expansionPairs)
  const table = new Uint16Array(data.byteLength / 2)
  for (let i = 0; i < table.length; i++) table[i] = data[2 * i]! | (data[2 * i + 1]! << 8)
  expansionTable = table
  return table
}

const Script = {
  Unsortable: 0,
  NonSpaceMark: 1,
  Expansion: 2,
  EastAsiaSpecial: 3,
  JamoSpecial: 4,
  ExtensionA: 5,
  Punctuation: 6,
  SymbolFirst: 7,
  SymbolLast: 12,
  Hebrew: 40,
  Arabic: 41,
  PrivateUseFirst: 169,
  PrivateUseLast: 175
} as const

const CaseBit = { FullWidth: 0x01, Subscript: 0x08, Upper: 0x10, Katakana: 0x20 } as const

const caseMaskFor = (flags: number): number => {
  let mask = 0x3f
  if (flags & SortKeyFlag.IgnoreCase) mask &= ~(CaseBit.Upper | CaseBit.Subscript)
  if (flags & SortKeyFlag.IgnoreWidth) mask &= ~CaseBit.FullWidth
  if (flags & SortKeyFlag.IgnoreKanaType) mask &= ~CaseBit.Katakana
  return mask
}

/**
 * The first code unit of `text` that we build no key for, or undefined. Refused are the scripts
 * whose rules need context or where the references disagree and no stored key settles it:
 * kana (its extra weights look at the characters before), Hangul conjoining jamo (composed with
 * their neighbours), the CJK ideographs handled as "Extension A" (Wine writes FD FF and two
 * weights; Microsoft's MS-UCODEREF names script member 254 and weight 255), and, under
 * NORM_IGNORESYMBOLS, the sixth symbol script (MS-UCODEREF keeps it from Windows 8 on, Wine
 * drops it).
 */
const firstUnsupported = (text: string, weights: Uint32Array, flags: number): SortKeyRefusal | undefined => {
  const ignoreSymbols = (flags & SortKeyFlag.IgnoreSymbols) !== 0
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    const script = (weights[unit]! >>> 8) & 0xff
    const reason = script === Script.EastAsiaSpecial
      ? "kana"
      : script === Script.JamoSpecial
      ? "hangul-jamo"
      : script === Script.ExtensionA
      ? "cjk-ideograph"
      : ignoreSymbols && script === Script.SymbolLast
      ? "ignored-symbol"
      : undefined
    if (reason !== undefined) return { _tag: "UnsupportedCharacter", index: i, codePoint: unit, reason }
  }
  return undefined
}

/** The weights of one UTF-16 code unit in the default sort (the sorting weight table's columns). */
export interface CharacterWeights {
  /** Script member: 0 unsortable, 1 non-spacing mark, 2 expansion, 6 punctuation, 7-12 symbols, 13 digits, 14 Latin... */
  readonly script: number
  readonly primary: number
  readonly diacritic: number
  /** Case weight: 0x10 upper case, 0x08 sub/superscript, 0x01 full width, 0x20 katakana, 0x02 full size. */
  readonly case: number
}

/**
 * The default sort's weights of a UTF-16 code unit (0..0xFFFF).
 *
 * @example
 * ```ts
 * characterWeights(0x53) // "S": { script: 0x0e, primary: 0x91, diacritic: 2, case: 0x12 }
 * ```
 */
export const characterWeights = (unit: number): CharacterWeights => {
  const weight = weightsOf()[unit & 0xffff]!
  return {
    script: (weight >>> 8) & 0xff,
    primary: weight & 0xff,
    diacritic: (weight >>> 16) & 0xff,
    case: weight >>> 24
  }
}

/** The decoded weight table as little-endian bytes (65536 u32), for checking the decoding. */
export const weightTableBytes = (): Uint8Array => {
  const table = weightsOf()
  const bytes = new Uint8Array(table.byteLength)
  const view = new DataView(bytes.buffer)
  table.forEach((weight, unit) => view.setUint32(unit * 4, weight, true))
  return bytes
}

/**
 * Builds the Windows sort key of `text` under `flags` (see the module notes for what is covered).
 * The whole string is mapped, NULs included, as ESE passes a column value; the caller cuts the key
 * to the room an index key leaves.
 *
 * @example
 * ```ts
 * const result = sortKey("Straße", esentDefaultSortKeyFlags)
 * if (result._tag === "Built") console.log(result.key)
 * ```
 */
export const sortKey = (text: string, flags: number = esentDefaultSortKeyFlags): SortKeyResult => {
  const unsupportedFlags = flags & ~supportedFlags
  if (unsupportedFlags !== 0) {
    return { _tag: "Refused", refusal: { _tag: "UnsupportedFlags", flags: unsupportedFlags } }
  }
  const weights = weightsOf()
  const refusal = firstUnsupported(text, weights, flags)
  if (refusal !== undefined) return { _tag: "Refused", refusal }

  const expansions = expansionsOf()
  const caseMask = caseMaskFor(flags)
  const linguisticCase = (flags & SortKeyFlag.LinguisticIgnoreCase) !== 0
  const linguisticDiacritic = (flags & SortKeyFlag.LinguisticIgnoreDiacritic) !== 0
  const keepDiacritics = (flags & SortKeyFlag.IgnoreNonSpace) === 0
  const ignoreSymbols = (flags & SortKeyFlag.IgnoreSymbols) !== 0
  const stringSort = (flags & SortKeyFlag.StringSort) !== 0

  const primary: Array<number> = []
  const diacritic: Array<number> = []
  const casing: Array<number> = []
  const special: Array<number> = []
  const pushDiacritic = (d: number) => {
    if (keepDiacritics) diacritic.push(d & 0xff)
  }

  // A letter, digit or other character with ordinary weights.
  const appendOrdinary = (weight: number) => {
    const script = (weight >>> 8) & 0xff
    primary.push(script, weight & 0xff)
    let d = (weight >>> 16) & 0xff
    let c = (weight >>> 24) & caseMask
    if (script >= Script.PrivateUseFirst && script <= Script.PrivateUseLast) {
      // Private-use characters carry a third primary byte where others have a diacritic.
      primary.push(d)
      casing.push(c)
      return
    }
    if (script <= Script.Arabic && script !== Script.Hebrew) {
      if (linguisticDiacritic) d = 2
      if (linguisticCase) c = 2
    }
    pushDiacritic(d)
    casing.push(c)
  }

  for (let i = 0; i < text.length; i++) {
    const weight = weights[text.charCodeAt(i)]!
    const script = (weight >>> 8) & 0xff
    switch (script) {
      case Script.Unsortable:
        break
      case Script.NonSpaceMark: {
        // A combining mark adds its weight to the diacritic of the character before it.
        const d = linguisticDiacritic ? 2 : (weight >>> 16) & 0xff
        if (!keepDiacritics) break
        if (diacritic.length > 0) {
          diacritic[diacritic.length - 1] = (diacritic[diacritic.length - 1]! + d) & 0xff
        } else diacritic.push(d)
        break
      }
      case Script.Expansion: {
        // A ligature or similar weighs as a sequence of characters, possibly expanding again.
        let index = (weight >>> 16) & 0x3fff
        for (;;) {
          appendOrdinary(weights[expansions[2 * index]!]!)
          const second = weights[expansions[2 * index + 1]!]!
          if (((second >>> 8) & 0xff) !== Script.Expansion) {
            appendOrdinary(second)
            break
          }
          index = second >>> 16
        }
        break
      }
      case Script.ExtensionA:
        // Refused by firstUnsupported: the references disagree on these weights.
        break
      case Script.Punctuation:
        if (ignoreSymbols) break
        if (!stringSort) {
          // Word sort: a hyphen or apostrophe weighs nothing at the primary level; its position
          // (counted in primary weights so far) and weight go to the special section.
          const position = (-Math.trunc(primary.length / 2) - 1) & 0xffff
          const c = linguisticCase ? 2 : (weight >>> 24) & caseMask
          const d = linguisticDiacritic ? 2 : (weight >>> 16) & 0xff
          special.push(position >>> 8, position & 0xff, weight & 0xff, (c | (d << 3)) & 0xff)
          break
        }
        primary.push(script, weight & 0xff)
        pushDiacritic((weight >>> 16) & 0xff)
        casing.push((weight >>> 24) & caseMask)
        break
      default:
        if (script >= Script.SymbolFirst && script <= Script.SymbolLast) {
          if (ignoreSymbols) break
          primary.push(script, weight & 0xff)
          pushDiacritic((weight >>> 16) & 0xff)
          casing.push((weight >>> 24) & caseMask)
          break
        }
        appendOrdinary(weight)
    }
  }

  const trimmed = (section: Array<number>): number => {
    let n = section.length
    while (n > 0 && section[n - 1]! <= 2) n--
    return n
  }
  const diacriticLength = trimmed(diacritic)
  // With both NORM_IGNORECASE and NORM_IGNOREWIDTH the case section is left out whole
  // (MS-UCODEREF 3.1.5.2.4; index.edb's key for a surrogate pair, whose case weights would
  // otherwise survive the mask, shows it).
  const caseLength = (flags & SortKeyFlag.IgnoreCase) !== 0 && (flags & SortKeyFlag.IgnoreWidth) !== 0
    ? 0
    : trimmed(casing)
  const size = primary.length + 1 + diacriticLength + 1 + caseLength + 2 + special.length + 1
  const key = new Uint8Array(size)
  let p = 0
  for (const b of primary) key[p++] = b
  key[p++] = 0x01
  for (let i = 0; i < diacriticLength; i++) key[p++] = diacritic[i]!
  key[p++] = 0x01
  for (let i = 0; i < caseLength; i++) key[p++] = casing[i]!
  key[p++] = 0x01
  key[p++] = 0x01
  for (const b of special) key[p++] = b
  key[p++] = 0x00
  if (flags & SortKeyFlag.ByteReverse) {
    for (let i = 0; i + 1 < size; i += 2) {
      const t = key[i]!
      key[i] = key[i + 1]!
      key[i + 1] = t
    }
  }
  return { _tag: "Built", key }
}

/**
 * The Windows sort key of `text`, or undefined where {@link sortKey} refuses (a character or flag
 * outside what is covered).
 *
 * @example
 * ```ts
 * windowsSortKey("Simple") // Uint8Array [0x0e, 0x91, 0x0e, 0x32, ...]
 * windowsSortKey("日本") // undefined: CJK ideographs are not covered
 * ```
 */
export const windowsSortKey = (
  text: string,
  flags: number = esentDefaultSortKeyFlags
): Uint8Array | undefined => {
  const result = sortKey(text, flags)
  return result._tag === "Built" ? result.key : undefined
}

/**
 * Whether {@link sortKey} builds a key for `text` under `flags`: every code unit is covered and
 * every flag supported.
 */
export const canBuildSortKey = (text: string, flags: number = esentDefaultSortKeyFlags): boolean =>
  (flags & ~supportedFlags) === 0 && firstUnsupported(text, weightsOf(), flags) === undefined
