import { defineConfig } from 'vitest/config';

// Each workspace owns its test settings; `npm test` runs them all.
export default defineConfig({
  test: { projects: ['server', 'web', 'protocol'] },
});
