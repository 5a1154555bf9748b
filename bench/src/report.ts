import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ratio } from './stats.js';

export type Row = { scenario: string; target: string } & Record<string, unknown>;

const resultsPath = fileURLToPath(new URL('../results.md', import.meta.url));

export function machine(): string {
  return `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}`;
}

/** The figures each scenario is compared by. */
const headline: [scenario: string, metric: string][] = [
  ['fanout', 'deliveriesPerSec'],
  ['fanout', 'cpuBoundDeliveriesPerSec'],
  ['ingest', 'ackedPerSec'],
  ['ingest', 'serverCpuUsPerMessage'],
  ['idle', 'rssPerConnKb'],
  ['idle', 'heapPerConnKb'],
  ['history', 'p50'],
  ['history', 'p99'],
];

/** Parley's headline figure divided by each baseline's (history compares like depths). */
export function ratios(rows: Row[]): string[] {
  const lines: string[] = [];
  for (const [scenario, metric] of headline) {
    for (const parley of rows.filter((r) => r.scenario === scenario && r.target.startsWith('parley'))) {
      for (const baseline of ['ws-relay', 'sio-room']) {
        const other = rows.find(
          (r) => r.scenario === scenario && r.target === baseline && r.depth === parley.depth,
        );
        const value = ratio(parley[metric] as number, other?.[metric] as number);
        if (value === null) continue;
        const depth = parley.depth ? ` (${parley.depth})` : '';
        lines.push(`${scenario}${depth}: ${parley.target}/${baseline} ${metric} = ${value}`);
      }
    }
  }
  return lines;
}

const find = (rows: Row[], scenario: string, target: string, depth?: string) =>
  rows.find((r) => r.scenario === scenario && r.target === target && !r.unavailable && r.depth === depth);
const num = (row: Row | undefined, key: string) => (row ? (row[key] as number) : undefined);

/** The targets of issue 5, each judged from this run's rows (or "not run"). */
export function targets(rows: Row[]): string[] {
  const verdict = (ok: boolean | undefined) => (ok === undefined ? 'not run' : ok ? 'met' : 'MISSED');
  const parley = num(find(rows, 'fanout', 'parley'), 'deliveriesPerSec');
  const sio = num(find(rows, 'fanout', 'sio-room'), 'deliveriesPerSec');
  const half = find(rows, 'fanout-half', 'parley');
  const sqlite = num(find(rows, 'ingest', 'parley'), 'ackedPerSec');
  const pg = num(find(rows, 'ingest', 'parley-pg'), 'ackedPerSec');
  const idle = num(find(rows, 'idle', 'parley'), 'rssPerConnKb');
  const history = ['newest', 'random', 'oldest'].map((d) => num(find(rows, 'history', 'parley', d), 'p99'));
  const worstHistory = history.every((v) => v !== undefined) ? Math.max(...(history as number[])) : undefined;
  return [
    `fanout: Parley ≥ 80% of bare Socket.IO deliveries/s — ${parley ?? '?'} vs ${sio ?? '?'} ` +
      `(${ratio(parley, sio) ?? '?'}): ${verdict(parley === undefined || sio === undefined ? undefined : parley >= 0.8 * sio)}`,
    `fanout: p99 < 50 ms at half the bare Socket.IO rate — ${num(half, 'p99') ?? '?'} ms: ` +
      verdict(half ? Boolean(half.pass) : undefined),
    `ingest: ≥ 20,000 acked/s on SQLite — ${sqlite ?? '?'}: ${verdict(sqlite === undefined ? undefined : sqlite >= 20_000)}`,
    `ingest: ≥ 10,000 acked/s on PostgreSQL — ${pg ?? '?'}: ${verdict(pg === undefined ? undefined : pg >= 10_000)}`,
    `idle: < 15 KB RSS per connection at 10,000 — ${idle ?? '?'} KB: ${verdict(idle === undefined ? undefined : idle < 15)}`,
    `history: p99 < 5 ms for a page of 50 at any depth — worst ${worstHistory ?? '?'} ms: ` +
      verdict(worstHistory === undefined ? undefined : worstHistory < 5),
  ];
}

/** The targets of issue 16, from this run's rows (or "not run"). */
export function scaleTargets(rows: Row[]): string[] {
  const verdict = (ok: boolean | undefined) => (ok === undefined ? 'not run' : ok ? 'met' : 'MISSED');
  const lines: string[] = [];
  for (const idle of rows.filter((r) => r.scenario === 'idle' && r.target === 'parley' && !r.unavailable)) {
    if ((idle.sockets as number) < 15_000) continue;
    lines.push(
      `idle: ≤ 8 KB RSS per socket at 20,000 — ${idle.rssPerConnKb} KB at ${idle.sockets}, ${idle.settleSeconds} s after the last connect ` +
        `(${idle.rssPerConnKbConnected} KB as it connected, at most ${idle.rssPerConnKbPeak}): ${verdict((idle.rssPerConnKb as number) <= 8)}`,
    );
  }
  const storm = find(rows, 'storm', 'parley');
  if (storm)
    lines.push(
      `storm: all current within 15 s — ${storm.allCurrentMs} ms: ${verdict((storm.allCurrentMs as number) <= 15_000 && !storm.failed)}; ` +
        `no event-loop stall over 100 ms — max ${storm.loopMaxMs} ms: ${verdict((storm.loopMaxMs as number) <= 100)}`,
    );
  const huge = find(rows, 'huge', 'parley');
  if (huge)
    lines.push(
      `huge room: p99 < 250 ms in the big room — ${huge.bigP99} ms: ${verdict((huge.bigP99 as number) < 250)}; ` +
        `< 50 ms in the small rooms — ${huge.smallP99} ms: ${verdict((huge.smallP99 as number) < 50)}; ` +
        `≤ 1 presence frame per socket per second — at most ${huge.presenceMaxPerSocketSecond}: ` +
        verdict((huge.presenceMaxPerSocketSecond as number) <= 1),
    );
  const soak = find(rows, 'soak', 'parley');
  if (soak)
    lines.push(
      `soak: RSS and heap growth < 10% from minute 5 — RSS ${soak.rssGrowthPct}%, heap ${soak.heapGrowthPct}%: ` +
        verdict((soak.rssGrowthPct as number) < 10 && (soak.heapGrowthPct as number) < 10),
    );
  return lines;
}

const columns: Record<string, string[]> = {
  fanout: [
    'rate',
    'sentPerSec',
    'deliveriesPerSec',
    'p50',
    'p99',
    'max',
    'serverCpuUsPerDelivery',
    'cpuBoundDeliveriesPerSec',
    'serverCpuPct',
    'serverRssMb',
    'generatorCpuPct',
    'foreignPct',
    'attempts',
    'pass',
    'ladder',
  ],
  'fanout-half': [
    'rate',
    'deliveriesPerSec',
    'p50',
    'p99',
    'max',
    'serverCpuUsPerDelivery',
    'serverCpuPct',
    'generatorCpuPct',
    'pass',
  ],
  ingest: [
    'senders',
    'window',
    'ackedPerSec',
    'p50',
    'p99',
    'max',
    'serverCpuUsPerMessage',
    'serverCpuPct',
    'serverRssMb',
    'generatorCpuPct',
    'foreignPct',
    'failed',
  ],
  idle: [
    'sockets',
    'users',
    'generatorProcesses',
    'connectMs',
    'connectsPerSec',
    'rssBeforeMb',
    'rssAfterMb',
    'settleSeconds',
    'rssPerConnKbConnected',
    'rssPerConnKbPeak',
    'rssPerConnKb',
    'heapPerConnKb',
    'externalPerConnKb',
    'dropStallMs',
  ],
  history: ['depth', 'messages', 'requests', 'p50', 'p99', 'max', 'bytesPerPage'],
  storm: [
    'sockets',
    'stayers',
    'spreadSeconds',
    'allBackMs',
    'allCurrentMs',
    'catchUpP50',
    'catchUpP99',
    'syncPages',
    'retries',
    'failed',
    'serverCpuPct',
    'serverCpuMs',
    'loopP50Ms',
    'loopP99Ms',
    'loopMaxMs',
    'presenceFramesPerStayer',
    'presenceMaxPerSocketSecond',
    'serverRssMb',
  ],
  huge: [
    'members',
    'online',
    'smallRooms',
    'bigRate',
    'smallRate',
    'bigDelivered',
    'bigExpected',
    'bigP50',
    'bigP99',
    'bigMax',
    'smallDelivered',
    'smallExpected',
    'smallP50',
    'smallP99',
    'smallMax',
    'presenceFramesPerSocketSec',
    'presenceMaxPerSocketSecond',
    'serverCpuPct',
    'serverCpuUsPerDelivery',
    'loopP99Ms',
    'loopMaxMs',
    'serverRssMb',
    'generatorCpuPct',
    'foreignPct',
  ],
  'cluster-fanout': [
    'nodes',
    'rate',
    'deliveriesPerSec',
    'delivered',
    'expected',
    'p50',
    'p99',
    'crossP50',
    'crossP99',
    'serverCpuUsPerDelivery',
    'serverCpuPct',
    'generatorCpuPct',
    'foreignPct',
  ],
  'cluster-ingest': [
    'nodes',
    'ackedPerSec',
    'p50',
    'p99',
    'serverCpuUsPerMessage',
    'serverCpuPct',
    'foreignPct',
    'failed',
  ],
  'soak-minute': [
    'minute',
    'seconds',
    'reconnects',
    'rssMb',
    'heapMb',
    'p50',
    'p99',
    'delivered',
    'expected',
    'duplicates',
    'serverCpuPct',
    'loopMaxMs',
  ],
  soak: ['sockets', 'rate', 'minutes', 'rssGrowthPct', 'heapGrowthPct', 'p99From', 'p99End', 'p99Worst'],
  'search-ingest': ['index', 'ackedPerSec', 'p50', 'p99', 'serverCpuUsPerMessage', 'foreignPct'],
  'search-ingest-ratio': ['acked', 'indexedOverUnindexed', 'cpuPerMessageRatio'],
  search: ['kind', 'messages', 'rooms', 'queries', 'p50', 'p99', 'max', 'meanResults', 'serverCpuUsPerQuery'],
};

const cell = (value: unknown) => (Array.isArray(value) ? value.join('/') : String(value ?? ''));

function table(rows: Row[], scenario: string): string {
  const selected = rows.filter((r) => r.scenario === scenario);
  if (selected.length === 0) return '';
  const keys = columns[scenario] ?? [];
  const lines = [`| target | ${keys.join(' | ')} |`, `| --- | ${keys.map(() => '---').join(' | ')} |`];
  for (const row of selected) {
    if (row.unavailable) lines.push(`| ${row.target} | not available: ${row.unavailable} |`);
    else lines.push(`| ${row.target} | ${keys.map((k) => cell(row[k])).join(' | ')} |`);
  }
  return `### ${scenario}\n\n${lines.join('\n')}\n`;
}

/** Appends a dated section; earlier sections stay as they were. */
export function appendResults(rows: Row[], notes: string[], pinning: string): string {
  if (!existsSync(resultsPath)) {
    writeFileSync(
      resultsPath,
      '# Parley benchmark results\n\nAppended by `npm run bench` (bench/src/run.ts); newest last. ' +
        'Units: latencies in ms, CPU in µs of server CPU per delivered/acked message, memory in MB or KB per connection.\n',
    );
  }
  const date = new Date().toISOString().replace('T', ' ').slice(0, 16);
  const parts = [
    `\n## ${date} UTC`,
    '',
    `Machine: ${machine()}; ${pinning}.`,
    '',
    ...Object.keys(columns)
      .map((s) => table(rows, s))
      .filter(Boolean),
    '### Parley / baseline',
    '',
    ...ratios(rows).map((line) => `- ${line}`),
    '',
    '### Targets (issue 5)',
    '',
    ...targets(rows).map((line) => `- ${line}`),
    ...(scaleTargets(rows).length
      ? ['', '### Targets (issue 16)', '', ...scaleTargets(rows).map((line) => `- ${line}`)]
      : []),
    ...(notes.length ? ['', '### Notes', '', ...notes.map((n) => `- ${n}`)] : []),
    '',
  ];
  appendFileSync(resultsPath, parts.join('\n'));
  return resultsPath;
}
