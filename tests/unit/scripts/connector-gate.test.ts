// The gate in front of each local playground (scripts/playground.mjs): a new message from the bot
// is refused with 503 while no page has the playground open, so the outbox keeps it and tries
// again instead of recording "levererat" for a card nobody sees; everything else passes through.
import { createServer, request, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { type ConnectorGate, startConnectorGate } from '../../../scripts/playground.mjs';

let upstream: Server;
let upstreamPort: number;
let gate: ConnectorGate;
const seen: string[] = [];
const upgraded = new Set<Socket>();

beforeEach(async () => {
  seen.length = 0;
  upstream = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'from-playground' }));
  });
  // Stands in for the playground's WebSocket: answers the upgrade and keeps the socket open.
  upstream.on('upgrade', (_req, socket: Socket) => {
    upgraded.add(socket);
    socket.on('end', () => socket.destroy());
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const address = upstream.address();
  upstreamPort = typeof address === 'object' && address !== null ? address.port : 0;
  gate = await startConnectorGate({
    port: 0,
    targetPort: upstreamPort,
    readyAfterMs: 50,
    waitForClientMs: 100,
  });
});

afterEach(async () => {
  await gate.close();
  for (const socket of upgraded) socket.destroy();
  upgraded.clear();
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

function send(method: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: gate.port, method, path }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(method === 'GET' ? undefined : '{"type":"message"}');
  });
}

/** Opens a WebSocket-like upgrade through the gate, as the playground's page does. */
function openPage(): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(gate.port, '127.0.0.1', () => {
      socket.write(
        'GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      );
    });
    socket.once('data', () => resolve(socket));
  });
}

const newMessage = '/_connector/v3/conversations/a%3Alocal-personal-chat-maria-lind/activities';

test('with no page open, a new message is refused with 503 and never reaches the playground', async () => {
  const answer = await send('POST', newMessage);
  expect(answer.status).toBe(503);
  expect(JSON.parse(answer.body).error.code).toBe('ServiceUnavailable');
  expect(seen).toEqual([]);
  expect((await send('POST', '/_connector/v3/conversations')).status).toBe(503);
});

test('the page itself, replies within a turn and reads pass through with no page open', async () => {
  expect((await send('GET', '/')).status).toBe(200);
  expect((await send('POST', `${newMessage}/activity-1`)).status).toBe(201);
  expect((await send('GET', '/_connector/v3/conversations/x/members')).status).toBe(200);
  expect(seen).toEqual([
    'GET /',
    `POST ${newMessage}/activity-1`,
    'GET /_connector/v3/conversations/x/members',
  ]);
});

test('once a page is open the message goes to the playground, and is refused again after it closes', async () => {
  const page = await openPage();
  expect(gate.connectedPages()).toBe(1);
  const answer = await send('POST', newMessage);
  expect(answer).toEqual({ status: 201, body: JSON.stringify({ id: 'from-playground' }) });
  expect(seen).toEqual([`POST ${newMessage}`]);

  page.destroy();
  await expect.poll(() => gate.connectedPages()).toBe(0);
  expect((await send('POST', newMessage)).status).toBe(503);
  expect(seen).toHaveLength(1);
});
