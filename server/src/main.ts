import { buildApp } from './app.js';
import { loadConfig } from './config.js';

const config = loadConfig();
const parley = await buildApp(config);
const address = await parley.listen();
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
