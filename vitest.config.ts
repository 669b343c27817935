import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // Real services, real ffmpeg and ONNX: give them time, and keep the 2-core machine from thrashing.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
    fileParallelism: true,
    // Every API answer that declares its contract is checked against it (src/backend/http/api-route.ts).
    env: { CURBWATCH_CHECK_RESPONSES: "1" },
  },
});
