import { defineConfig } from 'vitest/config';

// The multi-node tests need PostgreSQL and Redis; they belong to `npm run test:scale`, which sets
// DATABASE_URL and REDIS_URL. The plain (SQLite) pass leaves them out rather than listing them skipped.
const scale = process.env.DATABASE_URL && process.env.REDIS_URL;

export default defineConfig({
  test: {
    name: 'server',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    exclude: scale ? [] : ['test/scale/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
