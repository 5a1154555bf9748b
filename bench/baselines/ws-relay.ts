import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import { MemoryHistory } from './history.js';

/**
 * The limit: a bare `ws` server that relays each message to its room. It speaks just enough of the
 * Socket.IO wire format (Engine.IO open, CONNECT, events with acks) for the same generator to drive
 * it, serializes each broadcast once and writes the same string to every member. No auth, no
 * storage, no heartbeat.
 */
const history = new MemoryHistory();
const rooms = new Map<string, Set<WebSocket>>();
const server = createServer((request, response) => history.handle(request, response));
const wss = new WebSocketServer({ server, path: '/socket.io/', perMessageDeflate: false });

const open = `0${JSON.stringify({ sid: 'relay', upgrades: [], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1e6 })}`;

wss.on('connection', (socket) => {
  const joined = new Set<string>();
  const author = { id: randomUUID(), username: 'relay' };
  socket.send(open);
  socket.on('message', (data: Buffer) => {
    const frame = data.toString();
    if (frame.startsWith('40')) {
      socket.send(`40{"sid":"${author.id}"}`);
      return;
    }
    if (!frame.startsWith('42')) return;
    const bracket = frame.indexOf('[');
    const ackId = frame.slice(2, bracket);
    const [event, payload] = JSON.parse(frame.slice(bracket)) as [string, Record<string, string>];
    const roomId = String(payload?.roomId);
    if (event === 'room:join') {
      let members = rooms.get(roomId);
      if (!members) {
        members = new Set();
        rooms.set(roomId, members);
      }
      members.add(socket);
      joined.add(roomId);
      if (ackId) socket.send(`43${ackId}[{"ok":true}]`);
    } else if (event === 'message:send') {
      const message = history.next(roomId, author, String(payload?.text), payload?.clientId);
      const body = JSON.stringify(message);
      const broadcast = `42["message:new",${body}]`;
      for (const member of rooms.get(roomId) ?? []) member.send(broadcast);
      if (ackId) socket.send(`43${ackId}[{"ok":true,"message":${body}}]`);
    }
  });
  socket.on('close', () => {
    for (const roomId of joined) rooms.get(roomId)?.delete(socket);
  });
});

server.listen(Number(process.env.PORT ?? 4001), process.env.HOST ?? '127.0.0.1');
