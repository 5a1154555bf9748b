import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { MemoryHistory } from './history.js';

/**
 * What a user gets from the library alone: a bare Socket.IO room chat with the same event names and
 * payloads as Parley, and no auth, no storage, no validation beyond a type check.
 */
type Ack = (reply: object) => void;

const history = new MemoryHistory();
const server = createServer((request, response) => {
  // Socket.IO answers its own path; everything else is the in-memory history.
  if (!request.url?.startsWith('/socket.io/')) history.handle(request, response);
});
const io = new Server(server, { transports: ['websocket'], serveClient: false });

io.on('connection', (socket) => {
  const author = { id: randomUUID(), username: 'anon' };
  socket.on('room:join', (payload: { roomId?: unknown }, ack?: Ack) => {
    if (typeof payload?.roomId !== 'string') return ack?.({ ok: false });
    socket.join(payload.roomId);
    ack?.({ ok: true });
  });
  socket.on(
    'message:send',
    (payload: { roomId?: unknown; text?: unknown; clientId?: unknown }, ack?: Ack) => {
      if (typeof payload?.roomId !== 'string' || typeof payload.text !== 'string')
        return ack?.({ ok: false });
      const clientId = typeof payload.clientId === 'string' ? payload.clientId : undefined;
      const message = history.next(payload.roomId, author, payload.text, clientId);
      io.to(payload.roomId).emit('message:new', message);
      ack?.({ ok: true, message });
    },
  );
});

server.listen(Number(process.env.PORT ?? 4002), process.env.HOST ?? '127.0.0.1');
