import { readFileSync } from 'node:fs';

/** The parts of a V8 `.cpuprofile` the summary reads. */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const repo = /.*\/work\/main\//;

function where(url: string): string {
  if (!url) return '(native)';
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (module) return module[1]!;
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '').replace(repo, '');
}

/** Which package or server file a frame belongs to, for the by-owner table. */
function owner(url: string): string {
  const place = where(url);
  if (place.startsWith('node:')) return 'node:internal';
  return place;
}

const pct = (part: number, whole: number) => `${((part / whole) * 100).toFixed(1)}%`;

/**
 * Self time by function and by owner (package or server file), and inclusive time of the server's
 * own functions — enough to see where a run's CPU went without opening DevTools.
 */
export function summarizeProfile(path: string, top = 25): string {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<number, number>();
  for (const [i, id] of profile.samples.entries())
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));

  const key = (node: ProfileNode) =>
    `${node.callFrame.functionName || '(anonymous)'} ${where(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
  const selfByFunction = new Map<string, number>();
  const selfByOwner = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const [id, time] of self) {
    const node = byId.get(id)!;
    const name = node.callFrame.functionName;
    if (name === '(idle)' || name === '(program)') {
      idle += name === '(idle)' ? time : 0;
      if (name === '(idle)') continue;
    }
    busy += time;
    selfByFunction.set(key(node), (selfByFunction.get(key(node)) ?? 0) + time);
    const own = name.startsWith('(') ? name : owner(node.callFrame.url);
    selfByOwner.set(own, (selfByOwner.get(own) ?? 0) + time);
    // Inclusive time for the server's own frames, each counted once per stack.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!;
      if (!frame.callFrame.url.includes('/server/src/')) continue;
      const k = key(frame);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + time);
    }
  }
  const table = (title: string, entries: Map<string, number>) =>
    [
      `${title}`,
      ...[...entries]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(
          ([name, time]) =>
            `  ${pct(time, busy).padStart(6)}  ${(time / 1000).toFixed(0).padStart(7)} ms  ${name}`,
        ),
    ].join('\n');
  return [
    `profile ${path}: ${(busy / 1000).toFixed(0)} ms busy, ${(idle / 1000).toFixed(0)} ms idle`,
    table('self time by owner (package, server file, or V8 bucket):', selfByOwner),
    table('self time by function:', selfByFunction),
    table('inclusive time of server/src functions:', inclusive),
  ].join('\n\n');
}
