import { readFileSync } from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat (USER_HZ; 100 on every Linux we run on). */
const ticksPerSecond = 100;

/** User + system CPU time of a process in µs, read from /proc (10 ms resolution). */
export function processCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1_000_000) / ticksPerSecond;
}

/** Resident set size of a process in bytes. */
export function processRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/** This process's own CPU time in µs (the generator's cost). */
export function selfCpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

export const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Busy and total jiffies of each core, from /proc/stat. */
export function coreTimes(): { busy: number; total: number }[] {
  const lines = readFileSync('/proc/stat', 'utf8').split('\n');
  return lines
    .filter((line) => /^cpu\d+ /.test(line))
    .map((line) => {
      const [user, nice, system, idle, iowait, irq, softirq, steal] = line
        .split(/\s+/)
        .slice(1)
        .map(Number) as number[];
      const busy = user! + nice! + system! + irq! + softirq! + steal!;
      return { busy, total: busy + idle! + iowait! };
    });
}

/**
 * How busy each core was between two samples with work that is not ours (the machine is shared):
 * the core's busy share minus what the server (core 0) and the generator (core 1) used.
 */
export function foreignLoadPct(
  before: { busy: number; total: number }[],
  after: { busy: number; total: number }[],
  ownPct: number[],
): number[] {
  return after.map((core, i) => {
    const start = before[i]!;
    const busyPct = ((core.busy - start.busy) / Math.max(1, core.total - start.total)) * 100;
    return Math.max(0, Math.round(busyPct - (ownPct[i] ?? 0)));
  });
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Waits (up to `maxWaitMs`) for a second in which other people's work keeps both cores under
 * `thresholdPct` busy, so a step does not measure someone's test run. Returns how long it waited
 * and the last second's foreign load, which the step reports either way.
 */
export async function awaitQuiet(
  serverPid: number,
  maxWaitMs: number,
  thresholdPct = 30,
): Promise<{ waitedMs: number; foreignPct: number[] }> {
  const started = Date.now();
  while (true) {
    const cores0 = coreTimes();
    const server0 = processCpuMicros(serverPid);
    const self0 = selfCpuMicros();
    await pause(1000);
    const ownPct = [(processCpuMicros(serverPid) - server0) / 10_000, (selfCpuMicros() - self0) / 10_000];
    const foreignPct = foreignLoadPct(cores0, coreTimes(), ownPct);
    const waitedMs = Date.now() - started;
    if (Math.max(...foreignPct) < thresholdPct || waitedMs >= maxWaitMs) return { waitedMs, foreignPct };
  }
}
