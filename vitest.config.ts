import { defineConfig } from "vitest/config"

const shared = { testTimeout: 60_000, hookTimeout: 120_000 }

// The Effect API's acceptance tests and the typed-table tests run twice: on the in-memory engine, and on the real native
// binding through koffi over a C library that forwards to the in-memory engine.
export default defineConfig({
  test: {
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
      {
        test: {
          ...shared,
          name: "api:native-through-koffi",
          include: ["test/effect/**/*.test.ts", "test/typed/**/*.test.ts"],
          env: { EFFECT_ESENT_TEST_ENGINE: "native-through-koffi" }
        }
      }
    ]
  }
})
