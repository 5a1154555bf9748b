// Builds the server (and the protocol package it imports) to plain JavaScript in server/dist, so that
// production runs `node server/dist/main.js` with no TypeScript loader: tsx's loader thread and its
// esbuild service cost memory and start-up time on every node (bench/results.md, "startup").
// One ESM bundle per entry point, packages from node_modules left as imports; the SQLite writer's
// worker is plain JavaScript already and is copied beside the bundle (with the contract it imports),
// where sqlite.writer.ts loads it.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const serverDir = path.resolve(import.meta.dirname, '..');
const outdir = path.join(serverDir, 'dist');

/** Every bare import stays an import, except the workspace's own protocol package, which is bundled. */
const externalPackages = {
  name: 'external-packages',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@parley/') ? undefined : { path: args.path, external: true },
    );
  },
};

fs.rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: ['main.ts', 'cli.ts']
    .map((entry) => path.join(serverDir, 'src', entry))
    .filter((entry) => fs.existsSync(entry)),
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // Names in stack traces and logs stay the source's.
  keepNames: true,
  plugins: [externalPackages],
  logLevel: 'warning',
});
// The worker imports the writer's contract (ops.mjs), its search and file rules beside it, as in the sources.
for (const file of [
  'sqlite.writer.mjs',
  'ops.mjs',
  'search.sqlite.mjs',
  'search.text.mjs',
  'files.sqlite.mjs',
]) {
  fs.copyFileSync(path.join(serverDir, 'src/store', file), path.join(outdir, file));
}
