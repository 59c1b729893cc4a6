import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // No unhandled rejection anywhere: vitest reports an unhandled rejection or uncaught exception from any
    // test (or from code a test left running) as an error and exits 1 even when every test passed. This is
    // vitest's default, verified with a throwaway test that left `Promise.reject(...)` unhandled (the run
    // failed: "Vitest caught 1 unhandled error during the test run"); kept explicit so that nobody turns it
    // off. Child processes are covered on their side: bin/bridgeguard.js turns an unhandled rejection into
    // one "internal error" line and exit 2, and test/hostile asserts that no spawned run prints one.
    dangerouslyIgnoreUnhandledErrors: false,
    testTimeout: 20_000,
    // beforeAll starts servers and policy packs (a second alone, many on a loaded 2-core CI machine).
    hookTimeout: 60_000,
  },
});
