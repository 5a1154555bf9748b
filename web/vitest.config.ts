import { defineConfig } from 'vitest/config';

// Browser tests: a real server and a real Chromium per file, so they run one file at a time.
export default defineConfig({
  test: {
    name: 'web',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/build.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
