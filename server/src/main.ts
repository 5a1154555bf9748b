import { pino } from 'pino';
import { loadConfig } from './config.js';
import { openStandby } from './http/standby.js';

const config = loadConfig();
// The port is held from the first moment (live, not ready) while the app loads and the database is
// waited for; the app takes it over once it is built.
const standby = await openStandby(config, pino({ level: config.logLevel }));
const { buildApp } = await import('./app.js');
const parley = await buildApp(config, standby).catch(async (error: unknown) => {
  await standby.close();
  throw error;
});
await standby.close();
const address = await parley.listen(standby.port);
parley.app.log.info(`Parley is listening on ${address}`);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    parley.app.log.info(`${signal}: shutting down`);
    // A bounded shutdown: whatever has not finished by then is abandoned rather than hanging forever.
    setTimeout(() => {
      parley.app.log.error('shutdown timed out');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    parley.close().then(
      () => process.exit(0),
      (error: unknown) => {
        parley.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
