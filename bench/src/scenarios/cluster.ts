import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { preparePostgres } from '../parley.js';
import type { Row } from '../report.js';
import { startServer, type RunningServer } from '../targets.js';
import { openFanout, type FanoutOptions } from './fanout.js';
import { type IngestOptions, runIngest } from './ingest.js';

/**
 * Cluster: the fanout (at fixed rates) and ingest scenarios on two nodes over PostgreSQL + Redis, against
 * one node with the same PostgreSQL + Redis configuration, in the same run. Both nodes are pinned to the
 * server core, so the two-node figures spend the same one core as the one-node figures: the difference is
 * what the bus and the second node cost. In fanout each room's sender is on node 0 and half of each
 * room's sockets on node 1 (`crossP99`); in ingest each DM's two people are on different nodes.
 */
export interface ClusterOptions {
  redisUrl: string;
  rates: number[];
  fanout: FanoutOptions;
  ingest: IngestOptions;
  rooms: number;
}

export async function runCluster(
  options: ClusterOptions,
  emit: (row: Row, summary: string) => void,
): Promise<void> {
  for (const nodeCount of [1, 2]) {
    const target = `parley-pg-${nodeCount}node${nodeCount > 1 ? 's' : ''}`;
    const prefix = `parley_bench_${Date.now().toString(36)}:`;
    const pg = await preparePostgres(
      options.ingest.pairs,
      { REDIS_URL: options.redisUrl, REDIS_PREFIX: prefix },
      options.rooms,
    );
    if ('unavailable' in pg) {
      emit({ scenario: 'cluster-fanout', target, unavailable: pg.unavailable }, pg.unavailable);
      continue;
    }
    const nodes: RunningServer[] = [pg.server];
    try {
      for (let n = 1; n < nodeCount; n++) {
        const node = await startServer('parley-pg', { env: pg.env });
        nodes.push(node);
        console.log(
          `  node ${n} ready in ${node.startedIn.wallMs} ms (${node.startedIn.cpuMs} ms of its CPU), load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
        );
      }
      const session = await openFanout(pg.server, pg.world, options.fanout, nodes);
      for (const rate of options.rates) {
        let step = await session.runStep(rate);
        // Once more when not everything arrived: on the shared machine that is mostly the neighbours.
        if (step.delivered < step.expected) {
          console.log(
            `  ${rate} msg/s: ${step.delivered}/${step.expected} arrived (others' load ${step.foreignPct.join('/')}%); once more`,
          );
          step = { ...(await session.runStep(rate)), attempts: 2 };
        }
        emit(
          { scenario: 'cluster-fanout', target, nodes: nodeCount, ...step },
          `${rate} msg/s → ${step.deliveriesPerSec} deliveries/s, ${step.delivered}/${step.expected} arrived, ` +
            `p50 ${step.p50} ms p99 ${step.p99} ms` +
            (step.crossP99 !== undefined
              ? `, cross-node p99 ${step.crossP99} ms (${step.crossDelivered})`
              : '') +
            `, ${step.serverCpuUsPerDelivery} CPU-µs/delivery (all nodes), others' load ${step.foreignPct.join('/')}%`,
        );
      }
      session.close();
      const ingest = await runIngest(pg.server, pg.world, options.ingest, nodes);
      emit(
        { scenario: 'cluster-ingest', target, nodes: nodeCount, ...ingest },
        `${ingest.ackedPerSec} acked msg/s, ack p50 ${ingest.p50} ms p99 ${ingest.p99} ms, ` +
          `${ingest.serverCpuUsPerMessage} CPU-µs/msg (all nodes), others' load ${ingest.foreignPct.join('/')}%` +
          (ingest.failed ? `, ${ingest.failed} refused: ${ingest.firstError}` : ''),
      );
    } catch (error) {
      const message = `failed: ${String(error).split('\n')[0]}`;
      emit({ scenario: 'cluster-fanout', target, unavailable: message }, message);
    } finally {
      for (const node of nodes.reverse()) await node.stop();
      dropRedisKeys(options.redisUrl, prefix);
    }
  }
}

/**
 * Deletes the run's keys from the shared Redis: the buckets expire by themselves, but about 20 keys of
 * each configuration (the adapter's and presence's) have no expiry and stayed behind after every run.
 */
function dropRedisKeys(redisUrl: string, prefix: string): void {
  try {
    const keys = execFileSync('redis-cli', ['-u', redisUrl, '--scan', '--pattern', `${prefix}*`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .split('\n')
      .filter(Boolean);
    for (let i = 0; i < keys.length; i += 500)
      execFileSync('redis-cli', ['-u', redisUrl, 'del', ...keys.slice(i, i + 500)], { stdio: 'ignore' });
  } catch {
    // No redis-cli or Redis away: the keys stay, as before.
  }
}
