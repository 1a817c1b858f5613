/**
 * Writes docs/abi-unverified.md and the README's list of what mingw-w64's esent.h cannot confirm of
 * our declarations. Run with `bash .ci/with-node node test/abi/write-unverified.ts` after changing a
 * declaration.
 */
import { readFileSync, writeFileSync } from "node:fs"
import {
  generate,
  headerPath,
  readmePath,
  realInputs,
  renderReadmeBlock,
  renderUnverified,
  unverifiedDocPath,
  withReadmeBlock
} from "./abi-check.ts"

const generated = generate(realInputs(readFileSync(headerPath(), "utf8")))
writeFileSync(unverifiedDocPath, renderUnverified(generated))
writeFileSync(readmePath, withReadmeBlock(readFileSync(readmePath, "utf8"), renderReadmeBlock(generated)))
