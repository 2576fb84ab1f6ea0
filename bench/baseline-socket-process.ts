import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { now } from './lib/clock.js';
import { announce, onStop, serveRequests, settledMemory } from './lib/helper.js';

// A bare Socket.IO server: what one broadcast of the same payload costs with nothing of ours around it.
const httpServer = createServer();
const io = new Server(httpServer, { serveClient: false, perMessageDeflate: false, httpCompression: false });
await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));

serveRequests(async (message) => {
  if (message.type === 'emit') {
    const emittedAt = now();
    io.emit('board:event', message.event);
    return { emittedAt };
  }
  if (message.type === 'memory') return { ...(await settledMemory()), sockets: io.engine.clientsCount };
  throw new Error(`unknown request ${String(message.type)}`);
});
onStop(async () => {
  await new Promise<void>((resolve) => void io.close(() => resolve()));
});
announce({ port: (httpServer.address() as AddressInfo).port });
