/**
 * The JET C contract in TypeScript: handles, constants, structs, the function table, the error
 * catalogue and the `JetApi` interface. No Effect here, and no engine.
 *
 * @module
 */
export * from "./api.ts"
export * from "./constants.ts"
export * from "./ctypes.ts"
export * from "./errors.generated.ts"
export * from "./functions.ts"
export * from "./handles.ts"
export * from "./params.ts"
export * from "./structs.ts"
