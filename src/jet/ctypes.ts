/**
 * The C types that appear in the JET declarations, spelled as in esent.h (with Windows `long` being
 * 32-bit). Each maps to an explicit width: this table is what the koffi declarations, the ABI check
 * and the test library are all derived from.
 *
 * @module
 */

/** How a scalar C type is laid out: its size in bytes and whether it is signed. */
export interface ScalarType {
  readonly kind: "scalar"
  /** Size in bytes on 64-bit Windows. */
  readonly size: 1 | 2 | 4 | 8
  readonly signed: boolean
  /** `true` for IEEE floating point (only `JET_DATESERIAL`, a double). */
  readonly float?: true
}

/** Every scalar C type the declarations use, with its Windows x64 width. */
export const scalarTypes = {
  "char": { kind: "scalar", size: 1, signed: true },
  "unsigned char": { kind: "scalar", size: 1, signed: false },
  "unsigned short": { kind: "scalar", size: 2, signed: false },
  "long": { kind: "scalar", size: 4, signed: true },
  "unsigned long": { kind: "scalar", size: 4, signed: false },
  "JET_ERR": { kind: "scalar", size: 4, signed: true },
  "JET_GRBIT": { kind: "scalar", size: 4, signed: false },
  "JET_DBID": { kind: "scalar", size: 4, signed: false },
  "JET_COLUMNID": { kind: "scalar", size: 4, signed: false },
  "JET_COLTYP": { kind: "scalar", size: 4, signed: false },
  "JET_OBJTYP": { kind: "scalar", size: 4, signed: false },
  "JET_CBTYP": { kind: "scalar", size: 4, signed: false },
  "JET_INSTANCE": { kind: "scalar", size: 8, signed: false },
  "JET_SESID": { kind: "scalar", size: 8, signed: false },
  "JET_TABLEID": { kind: "scalar", size: 8, signed: false },
  "JET_API_PTR": { kind: "scalar", size: 8, signed: false },
  "JET_DATESERIAL": { kind: "scalar", size: 8, signed: true, float: true }
} as const satisfies Record<string, ScalarType>

/** The name of a scalar C type of {@link scalarTypes}. */
export type ScalarTypeName = keyof typeof scalarTypes

/** Function-pointer typedefs of esent.h: always passed as pointers. */
export const callbackTypes = ["JET_PFNSTATUS", "JET_CALLBACK", "JET_PFNREALLOC"] as const

/** The C spelling of a pointer to wide characters that the callee only reads. */
export const wideStringTypes = ["JET_PCWSTR", "const WCHAR*"] as const

/** `true` when the C spelling is a pointer (ends with `*`) or a function-pointer typedef. */
export const isPointerType = (c: string): boolean =>
  c.endsWith("*") || (callbackTypes as ReadonlyArray<string>).includes(c) || c === "JET_PWSTR"
  || c === "JET_PCWSTR"

/** The scalar layout of a C spelling, or `undefined` when it is a pointer or a struct. */
export const scalarType = (c: string): ScalarType | undefined =>
  Object.hasOwn(scalarTypes, c) ? scalarTypes[c as ScalarTypeName] : undefined
