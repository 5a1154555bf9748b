/**
 * `npm run bench:files -w bench` (issue 11): C clients upload an S-byte file each, all at once, to one
 * room of a fresh Parley (files on disk under its DATA_DIR). Reports the upload throughput and the
 * server's resident memory while they stream: an upload is spooled to disk as it arrives, so the RSS
 * must not grow by anything near C × S. The peak is sampled from /proc every 20 ms; the baseline and
 * the end are also read inside the server after a full GC. Runs R rounds on the same server.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mb, processCpuMicros, processRss, selfCpuMicros } from './proc.js';
import { api } from './seed.js';
import { pinGenerator, startServer } from './targets.js';

const clients = Number(process.env.FILES_CLIENTS ?? 20);
const fileBytes = Number(process.env.FILES_BYTES ?? 20 * 1024 * 1024);
const rounds = Number(process.env.FILES_ROUNDS ?? 2);

console.log(`# files bench — ${pinGenerator()}`);
const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-files-'));
const server = await startServer('parley', {
  env: {
    DATA_DIR: dataDir,
    UPLOAD_MAX_BYTES: String(fileBytes + 1024),
    UPLOAD_QUOTA_BYTES: '0',
    RATE_UPLOAD: '10000/1m',
    SIGNUP_LIMIT_PER_IP: '10000',
  },
});

interface Upload {
  ms: number;
  status: number;
}

try {
  const users: { token: string }[] = [];
  for (let i = 0; i < clients; i++) {
    const username = `up${i}${Math.random().toString(36).slice(2, 6)}`;
    users.push(await api(server.url, 'POST', '/api/register', { username, password: 'bench files pass 1' }));
  }
  const owner = users[0]!;
  const { room } = await api<{ room: { id: string } }>(
    server.url,
    'POST',
    '/api/chat/rooms',
    { name: `uploads ${Date.now()}`, visibility: 'public' },
    owner.token,
  );
  for (const user of users.slice(1))
    await api(server.url, 'POST', `/api/chat/rooms/${room.id}/join`, {}, user.token);

  // One body shared by every request: the generator holds S bytes, not C × S. Not all zeros, so
  // nothing on the way can shortcut it; the sniffer calls it application/octet-stream.
  const bytes = new Uint8Array(fileBytes);
  for (let i = 0; i < bytes.length; i += 4096) bytes[i] = (i / 4096) & 0xff;
  const body = new Blob([bytes]);

  const upload = async (token: string, name: string): Promise<Upload> => {
    const form = new FormData();
    form.append('file', body, name);
    const started = performance.now();
    const response = await fetch(`${server.url}/api/chat/rooms/${room.id}/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    await response.arrayBuffer();
    return { ms: performance.now() - started, status: response.status };
  };

  // Warm-up: the multipart parser, the blob store and the routes are loaded before the baseline.
  await upload(owner.token, 'warmup.bin');
  for (let round = 0; round < rounds; round++) {
    const before = await server.memory();
    const rssBefore = processRss(server.pid);
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, processRss(server.pid));
    }, 20);
    const cpuBefore = processCpuMicros(server.pid);
    const generatorBefore = selfCpuMicros();
    const started = performance.now();
    const results = await Promise.all(users.map((user, i) => upload(user.token, `r${round}-c${i}.bin`)));
    const wallMs = performance.now() - started;
    clearInterval(sampler);
    const cpuMs = (processCpuMicros(server.pid) - cpuBefore) / 1000;
    const generatorMs = (selfCpuMicros() - generatorBefore) / 1000;
    const after = await server.memory();
    const failed = results.filter((r) => r.status !== 201).map((r) => r.status);
    const total = clients * fileBytes;
    const times = results.map((r) => r.ms).sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        round,
        clients,
        fileMB: mb(fileBytes),
        totalMB: mb(total),
        failed,
        wallS: Math.round(wallMs) / 1000,
        throughputMBps: Math.round((total / 1024 / 1024 / (wallMs / 1000)) * 10) / 10,
        perUploadS: { min: Math.round(times[0]!) / 1000, max: Math.round(times.at(-1)!) / 1000 },
        serverCpuS: Math.round(cpuMs) / 1000,
        generatorCpuS: Math.round(generatorMs) / 1000,
        // The machine is shared: its load average says how much the wall time is others' doing.
        loadavg: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
        rssBeforeMB: mb(rssBefore),
        rssPeakMB: mb(peak),
        rssGrowthMB: mb(peak - rssBefore),
        growthShareOfBytes: Math.round(((peak - rssBefore) / total) * 1000) / 1000,
        afterGc: { rssMB: mb(after.rss), heapMB: mb(after.heapUsed), beforeRssMB: mb(before.rss) },
      }),
    );
  }
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
