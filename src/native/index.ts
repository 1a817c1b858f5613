/**
 * The native engine: `JetApi` over koffi, loading `esent.dll` or any library with the JET ABI.
 *
 * @module
 */
export * from "./binding.ts"
export { koffiTypeOf } from "./declarations.ts"
export * from "./library.ts"
