import { defineConfig } from "vitest/config"
import type { Reporter } from "vitest/node"
import { cCompilerMissing } from "./test/support/c-abi.ts"

// A plain closing line ("N passed, N failed, N skipped") that any CI can read, after vitest's own.
const summary: Reporter = {
  onTestRunEnd(testModules, unhandledErrors) {
    const count = (state: "passed" | "failed" | "skipped") =>
      testModules.reduce((n, module) => n + [...module.children.allTests(state)].length, 0)
    const failed = count("failed") + unhandledErrors.length
    process.stdout.write(`\n${count("passed")} passed, ${failed} failed, ${count("skipped")} skipped\n`)
  }
}

const shared = { testTimeout: 60_000, hookTimeout: 120_000 }

// The Effect API's acceptance tests and the typed-table tests run twice: on the in-memory engine, and on the real native
// binding through koffi over a C library that forwards to the in-memory engine.
export default defineConfig({
  test: {
    reporters: ["default", summary],
    // Fails the run if any test or example leaves something in the temporary folder.
    globalSetup: ["test/support/temp-dir.ts"],
    projects: [
      {
        test: {
          ...shared,
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/effect/**", "test/typed/**"]
        }
      },
      {
        test: {
          ...shared,
          name: "api:memory",
          include: ["test/effect/**/*.test.ts", "test/typed/**/*.test.ts"],
          env: { EFFECT_ESENT_TEST_ENGINE: "memory" }
        }
      },
      // Off Linux, a machine without gcc cannot build the loopback library: c-abi.ts says so.
      ...(cCompilerMissing === undefined
        ? [{
          test: {
            ...shared,
            name: "api:native-through-koffi",
            include: ["test/effect/**/*.test.ts", "test/typed/**/*.test.ts"],
            env: { EFFECT_ESENT_TEST_ENGINE: "native-through-koffi" }
          }
        }]
        : [])
    ]
  }
})
