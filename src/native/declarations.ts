/**
 * koffi declarations derived from the function table: every scalar gets its explicit Windows width,
 * and every pointer is passed as `void *` so that the binding controls the bytes (UTF-16 strings,
 * struct layouts from `structLayout`, caller buffers in place).
 *
 * @module
 */
import type { LibraryHandle } from "koffi"
import { scalarType } from "../jet/ctypes.ts"
import type { JetFunction } from "../jet/functions.ts"

/** The koffi type name of a C parameter type of the function table. */
export const koffiTypeOf = (c: string): string => {
  const scalar = scalarType(c)
  if (scalar === undefined) return "void *"
  if (scalar.float === true) return "double"
  return `${scalar.signed ? "int" : "uint"}${scalar.size * 8}_t`
}

/**
 * A declared JET function: takes the C arguments in order and returns the `JET_ERR`. `async` runs
 * the same call on one of koffi's worker threads and reports to a Node-style callback.
 */
export interface DeclaredFunction {
  (...args: ReadonlyArray<unknown>): number
  readonly async: (...args: ReadonlyArray<unknown>) => void
}

/**
 * Declares one JET function of a loaded library. The x64 and ARM64 Windows ABIs have one calling
 * convention, so `__stdcall` only matters on 32-bit x86, where koffi also resolves the decorated name.
 */
export const declareFunction = (library: LibraryHandle, fn: JetFunction): DeclaredFunction => {
  const params = fn.params.map(([, c]) => koffiTypeOf(c))
  const declared = process.arch === "ia32"
    ? library.func("__stdcall", fn.name, "int32_t", params)
    : library.func(fn.name, "int32_t", params)
  return declared as unknown as DeclaredFunction
}
