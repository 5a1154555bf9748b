import { config } from '../config.js';
import type { Row } from '../report.js';
import type { RunningServer, TargetName } from '../targets.js';
import type { World } from '../world.js';
import { type FanoutOptions, type FanoutStep, findMaxRate, openFanout } from './fanout.js';

type WithTarget = <T>(
  target: TargetName,
  scenario: string,
  body: (server: RunningServer, world: World) => Promise<T>,
) => Promise<T | undefined>;

const describe = (s: FanoutStep) =>
  `${s.rate} msg/s → ${s.deliveriesPerSec} deliveries/s, ${s.delivered}/${s.expected} arrived, ` +
  `p50 ${s.p50} ms p99 ${s.p99} ms max ${s.max} ms, server ${s.serverCpuUsPerDelivery} CPU-µs/delivery ` +
  `(one core's worth: ${s.cpuBoundDeliveriesPerSec}/s) ` +
  `(${s.serverCpuPct}%, RSS ${s.serverRssMb} MB), generator ${s.generatorCpuPct}%, ` +
  `others' load ${s.foreignPct.join('/')}%${s.generatorCpuPct >= 85 ? ' (generator-bound!)' : ''} ${s.pass ? 'pass' : 'FAIL'}${s.attempts > 1 ? ` (try ${s.attempts})` : ''}`;

/** Finds each target's highest passing rate; then runs Parley at half the bare Socket.IO rate. */
export async function runFanoutScenario(
  targets: TargetName[],
  withTarget: WithTarget,
  emit: (row: Row, summary: string) => void,
): Promise<void> {
  const options: FanoutOptions = { ...config.fanout, quietWaitMs: config.quietWaitMs, text: config.text };
  const best = new Map<string, FanoutStep>();
  for (const target of targets) {
    await withTarget(target, 'fanout', async (server, world) => {
      const session = await openFanout(server, world, options);
      console.log(
        `  ${target}: connected ${options.clients} in ${Math.round(session.connectMs)} ms; ` +
          `sender ${session.echoesToSender ? 'receives' : 'does not receive'} its own message:new`,
      );
      const { steps, best: top } = await findMaxRate(session, options, (step) =>
        console.log(`    step ${describe(step)}`),
      );
      if (top) best.set(target, top);
      emit(
        {
          scenario: 'fanout',
          target,
          clients: options.clients,
          rooms: world.rooms.length,
          echoesToSender: session.echoesToSender,
          steps: steps.length,
          ...(top ?? { pass: false }),
          // Every step: rate, verdict, p99, and the others' load on the server core when it was high.
          ladder: steps
            .map((s) => {
              const busy = s.foreignPct[0]! >= 30 ? `, busy ${s.foreignPct[0]}%` : '';
              return `${s.rate} ${s.pass ? 'ok' : 'FAIL'} (p99 ${s.p99}${busy})`;
            })
            .join('; '),
        },
        top ? `max passing ${describe(top)}` : 'no step passed',
      );
      const baseline = best.get('sio-room');
      if (target === 'parley' && baseline) {
        const half = Math.round(baseline.rate / 2);
        const step = await session.runStep(half);
        const pass = step.delivered >= step.expected && step.p99 < config.fanout.halfRateP99Ms;
        emit(
          { scenario: 'fanout-half', target, ...step, pass },
          `at half the sio-room rate: ${describe(step)} (target p99 < ${config.fanout.halfRateP99Ms} ms: ${pass ? 'met' : 'missed'})`,
        );
      }
      session.close();
    });
  }
}
