/**
 * Writes docs/abi-unverified.md: what mingw-w64's esent.h cannot confirm of our declarations.
 * Run with `bash .ci/with-node node test/abi/write-unverified.ts` after changing a declaration.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { generate, headerPath, realInputs, renderUnverified, unverifiedDocPath } from "./abi-check.ts"

writeFileSync(unverifiedDocPath, renderUnverified(generate(realInputs(readFileSync(headerPath(), "utf8")))))
