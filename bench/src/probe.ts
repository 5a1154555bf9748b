/**
 * Loaded into every measured server with `--import` (Parley and both baselines alike), so the
 * runner can read the server's heap (or write a heap snapshot) over the IPC channel and ask it to exit cleanly — a clean exit
 * is what makes `--cpu-prof` write its profile. It adds nothing to the server's hot paths.
 */
import { writeHeapSnapshot } from 'node:v8';

type ProbeRequest = { type: 'memory' } | { type: 'exit' } | { type: 'heap-snapshot'; file: string };

if (process.send) {
  // The runner died without stopping us: do not linger on the server core.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (request: ProbeRequest) => {
    if (request.type === 'memory') {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      process.send?.({ type: 'memory', ...process.memoryUsage() });
    } else if (request.type === 'heap-snapshot') {
      (globalThis as { gc?: () => void }).gc?.();
      process.send?.({ type: 'heap-snapshot', file: writeHeapSnapshot(request.file) });
    } else if (request.type === 'exit') {
      process.exit(0);
    }
  });
}
