import { execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { loopDelay } from '../baselines/loop.js';
import { sleep } from './stats.js';
import { pinGenerator, serverCore } from './targets.js';

/**
 * `npm run bench:closes`: the floor under a reconnect storm's worst stall. N sockets connected to a
 * server that does nothing with them (`net`: Node's TCP server alone; `ws`: the `ws` library's server
 * after the WebSocket upgrade) drop in one instant, and the server reports the longest its event loop
 * ran late over the next 2.5 s (measured as the baselines' and Parley's /metrics do), with the CPU it
 * used, user and system. Server on one core, generator on the other. CLOSES_SOCKETS (default
 * 2000,5000), CLOSES_ROUNDS (2).
 */
const role = process.argv[2];

if (role === 'server') {
  let cpu = process.cpuUsage();
  let server: Server;
  if (process.argv[3] === 'ws') {
    const http = createHttpServer();
    new WebSocketServer({ server: http }).on('connection', (ws) => ws.on('error', () => {}));
    server = http;
  } else {
    server = createServer((socket) => socket.on('error', () => {}));
  }
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
  process.on('message', (message) => {
    if (message === 'mark') {
      loopDelay();
      cpu = process.cpuUsage();
      process.send?.({});
    } else {
      const used = process.cpuUsage(cpu);
      const worstMs = Math.round(loopDelay().max * 1000);
      process.send?.({ worstMs, userMs: used.user / 1000, systemMs: used.system / 1000 });
    }
  });
} else {
  const sizes = (process.env.CLOSES_SOCKETS ?? '2000,5000').split(',').map(Number);
  const rounds = Number(process.env.CLOSES_ROUNDS ?? 2);
  console.log(`# ${pinGenerator()}`);
  console.log('| server | sockets | worst event-loop delay ms | CPU user ms | CPU system ms |');
  console.log('| --- | --- | --- | --- | --- |');
  for (let round = 0; round < rounds; round++) {
    for (const sockets of sizes) {
      for (const kind of ['net', 'ws']) {
        const child = fork(fileURLToPath(import.meta.url), ['server', kind], {
          execArgv: ['--import', 'tsx'],
        });
        const reply = () => new Promise<Record<string, number>>((resolve) => child.once('message', resolve));
        const { port } = await reply();
        execFileSync('taskset', ['-a', '-cp', String(serverCore), String(child.pid)], { stdio: 'ignore' });
        const held: Socket[] = [];
        const open = () =>
          new Promise<void>((resolve, reject) => {
            const socket = connect(Number(port), '127.0.0.1', () => {
              if (kind === 'net') return resolve();
              const key = randomBytes(16).toString('base64');
              socket.write(
                `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
                  `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
              );
              socket.once('data', () => resolve());
            });
            socket.on('error', reject);
            held.push(socket);
          });
        for (let i = 0; i < sockets; i += 200)
          await Promise.all(Array.from({ length: Math.min(200, sockets - i) }, open));
        await sleep(2000);
        child.send('mark');
        await reply();
        for (const socket of held) socket.destroy();
        await sleep(2500);
        child.send('report');
        const { worstMs, userMs, systemMs } = await reply();
        console.log(
          `| ${kind} | ${sockets} | ${worstMs} | ${Math.round(userMs!)} | ${Math.round(systemMs!)} |`,
        );
        child.kill();
      }
    }
  }
}
