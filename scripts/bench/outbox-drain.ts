/**
 * The outbox drain of `npm run bench`: 1 000 notices to 1 000 different Barnkontakter, enqueued
 * at once in the embedded store, delivered by the real dispatcher (real timers, its default
 * pacing) to a fake Bot Connector on loopback that answers after a short delay, as Teams does,
 * and answers 429 when a conversation or the app goes over Teams' documented limits. What it
 * measures is the dispatcher's pacing, not the SDK: notices per second, the time until the last
 * one is out, and how many 429s the limits would have caused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageSender } from '../../flows/kernel/message-sender.js';
import type { OutboxMessage } from '../../flows/kernel/ports.js';
import { createLogger } from '../../infra/logger.js';
import { createOutboxDispatcher } from '../../infra/outbox/outbox-dispatcher.js';
import { openSqliteStores } from '../../infra/store/sqlite-stores.js';

export interface DrainResult {
  readonly notices: number;
  readonly drainMs: number;
  readonly perSecond: number;
  readonly throttled: number;
}

const tenantId = '5e0b1d3a-7c2f-4b8e-9a61-3f4d2c1b0a99';
/** Teams' limits the fake connector enforces: per app and tenant, and per conversation. */
const appLimitPerSecond = 30;
const conversationLimitPerSecond = 7;
const connectorLatencyMs = 20;

export async function measureOutboxDrain(notices = 1_000): Promise<DrainResult> {
  const directory = mkdtempSync(join(tmpdir(), 'backa-bench-utkorg-'));
  const appSends: number[] = [];
  const conversationSends = new Map<string, number[]>();
  let throttled = 0;
  const countInLastSecond = (times: number[], now: number) => times.filter((at) => at > now - 1_000).length;

  const server = createServer((request, response) => {
    const now = Date.now();
    const conversation = request.url ?? '';
    const own = conversationSends.get(conversation) ?? [];
    if (
      countInLastSecond(appSends, now) >= appLimitPerSecond ||
      countInLastSecond(own, now) >= conversationLimitPerSecond
    ) {
      throttled += 1;
      response.writeHead(429, { 'Retry-After': '1' }).end();
      return;
    }
    appSends.push(now);
    own.push(now);
    conversationSends.set(conversation, own);
    request.resume();
    setTimeout(() => response.writeHead(201).end('{"id":"1"}'), connectorLatencyMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const sender: MessageSender = {
    async send(conversation) {
      const response = await fetch(`http://127.0.0.1:${port}/${conversation.conversationId}`, {
        method: 'POST',
        body: '{}',
      });
      if (response.status === 429) return { outcome: 'retryable', status: 429, retryAfterMs: 1_000 };
      return response.ok ? { outcome: 'delivered' } : { outcome: 'retryable', status: response.status };
    },
  };

  const stores = openSqliteStores({ path: join(directory, 'utkorg.sqlite') });
  try {
    const now = new Date().toISOString();
    for (let index = 0; index < notices; index += 1) {
      const key = `barnkontakt-${index}`;
      await stores.conversations.save({
        key,
        tenantId,
        serviceUrl: 'https://smba.trafficmanager.net/emea/',
        conversationId: `a:${key}`,
        updatedAt: now,
        reference: {},
      });
      const message: OutboxMessage = {
        id: `notis-${index}`,
        recipientKey: key,
        payload: { kind: 'text', text: 'Ett nytt Upptäckarkort väntar på dig.' },
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        createdAt: now,
      };
      await stores.outbox.enqueue(message);
    }
    const dispatcher = createOutboxDispatcher({
      outbox: stores.outbox,
      conversations: stores.conversations,
      sender,
      clock: { now: () => new Date() },
      instanceId: 'bench-utkorg',
      logger: createLogger({ level: 'silent' }),
    });
    const started = performance.now();
    let delivered = 0;
    // Bounded: a dispatcher that stopped delivering ends the run instead of spinning for ever.
    for (let sweep = 0; sweep < 500 && delivered < notices; sweep += 1) {
      const result = await dispatcher.runOnce();
      delivered += result.delivered;
      if (result.delivered === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const drainMs = performance.now() - started;
    return { notices: delivered, drainMs, perSecond: delivered / (drainMs / 1_000), throttled };
  } finally {
    await stores.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(directory, { recursive: true, force: true });
  }
}
