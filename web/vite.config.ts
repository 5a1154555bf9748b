import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  // Relative asset paths let the same dist/ be hosted under any path on any static host.
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      treeshake: {
        // The client takes only types, limits and the error catalog from @parley/protocol; its zod
        // schemas (and zod itself, ~40 KB gzipped) are for the server. Marking the protocol sources
        // free of side effects lets the unused schema modules drop out of the bundle; the values the
        // client does take live in modules without a schema (admin.limits.ts, account.rules.ts, …), since
        // a module that is kept keeps its top-level z.object(…) calls, and zod with them.
        moduleSideEffects: (id: string) => !/[\\/]protocol[\\/]src[\\/]/.test(id),
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000', '/socket.io': { target: 'ws://127.0.0.1:3000', ws: true } },
  },
});
