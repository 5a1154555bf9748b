import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { config } from './config.js';
import { benchServerEnv, seedTemplate } from './parley.js';
import { pinGenerator, startServer } from './targets.js';
import { sleep } from './stats.js';
import { connectMany } from './wire.js';
import { tokenOf } from './world.js';

/**
 * `npm run bench:heap`: what one idle authenticated socket keeps on Parley's heap. Heap snapshots of
 * the server (after a forced GC) before and after HEAP_SOCKETS idle sockets connect; prints, per
 * constructor (or V8 node type), the objects and bytes added per socket, largest first. The snapshots
 * stay in the printed directory for a closer look (Chrome DevTools → Memory → Load).
 */
interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

function census(file: string): Map<string, { count: number; bytes: number }> {
  const data = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = data.snapshot.meta.node_fields;
  const types = data.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const byKey = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < data.nodes.length; i += width) {
    const type = types[data.nodes[i + typeAt]!]!;
    const name = data.strings[data.nodes[i + nameAt]!]!;
    // Objects by constructor; strings, code, arrays and the rest by their V8 type.
    const key = type === 'object' || type === 'closure' ? `${type} ${name}` : `(${type})`;
    const entry = byKey.get(key) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += data.nodes[i + sizeAt]!;
    byKey.set(key, entry);
  }
  return byKey;
}

const sockets = Number(process.env.HEAP_SOCKETS ?? 2000);
console.log(`# ${pinGenerator()}`);
const template = await seedTemplate(Math.min(config.users, 200), 10, 1, []);
const out = mkdtempSync(join(tmpdir(), 'parley-heap-'));
const server = await startServer('parley', { env: { DATA_DIR: template.dataDir, ...benchServerEnv } });
try {
  await sleep(1000);
  await server.heapSnapshot(join(out, 'before.heapsnapshot'));
  const wires = await connectMany(sockets, 64, (i) => ({
    url: server.url,
    token: tokenOf(template.world, i),
  }));
  await sleep(3000);
  await server.heapSnapshot(join(out, 'after.heapsnapshot'));
  const before = census(join(out, 'before.heapsnapshot'));
  const after = census(join(out, 'after.heapsnapshot'));
  const rows = [...after]
    .map(([key, a]) => {
      const b = before.get(key) ?? { count: 0, bytes: 0 };
      return { key, perSocket: (a.count - b.count) / sockets, bytesPerSocket: (a.bytes - b.bytes) / sockets };
    })
    .filter((row) => Math.abs(row.bytesPerSocket) >= 8)
    .sort((x, y) => y.bytesPerSocket - x.bytesPerSocket);
  const total = rows.reduce((sum, row) => sum + row.bytesPerSocket, 0);
  console.log(`\n${sockets} idle sockets: ${Math.round(total)} B of heap objects per socket (self sizes)\n`);
  console.log('bytes/socket  objects/socket  constructor or type');
  for (const row of rows.slice(0, 60))
    console.log(
      `${row.bytesPerSocket.toFixed(0).padStart(12)}  ${row.perSocket.toFixed(2).padStart(14)}  ${row.key}`,
    );
  console.log(`\nsnapshots in ${out}`);
  for (const wire of wires) wire.close();
} finally {
  await server.stop();
  rmSync(template.dataDir, { recursive: true, force: true });
}
