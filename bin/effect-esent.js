#!/usr/bin/env node
// The effect-esent command. The installed package runs its built JavaScript; a checkout without a
// build runs the TypeScript source (Node 22.18+ strips the types).
try {
  await import("../dist/cli/bin.js")
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes("dist")) throw error
  await import("../src/cli/bin.ts")
}
