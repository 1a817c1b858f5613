/**
 * A read-only reader of ESE database files, in TypeScript, with no native code: the header, pages
 * and their checksums, B+trees, the catalog, records and long values. `EseFile` is the entry point.
 *
 * @module
 */
export * from "./catalog.ts"
export * from "./checksum.ts"
export * from "./errors.ts"
export * from "./header.ts"
export * from "./longvalue.ts"
export * from "./page.ts"
export * from "./pages.ts"
export * from "./reader.ts"
export * from "./record.ts"
export * from "./tree.ts"
export * from "./values.ts"
