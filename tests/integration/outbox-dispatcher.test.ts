/**
 * The outbox dispatcher against the real embedded store. Only the sender (our own port) and
 * the clock are fakes; the sender is scripted per outbox id and records every send.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MessageSender, SendResult } from '../../flows/kernel/message-sender.js';
import type { OutboxMessage, Stores } from '../../flows/kernel/ports.js';
import { createLogger } from '../../infra/logger.js';
import {
  createOutboxDispatcher,
  type OutboxDispatcher,
  type OutboxDispatcherDependencies,
  type OutboxNotice,
} from '../../infra/outbox/outbox-dispatcher.js';
import { openSqliteStores } from '../../infra/store/sqlite-stores.js';
import { buildConversation, buildOutboxMessage } from '../contract/contract-data.js';
import { users } from '../fixtures/case-fixtures.js';

const payloadText = 'Ett nytt Upptäckarkort väntar på dig.';
const start = new Date('2025-02-03T09:00:00.000Z');

class FakeClock {
  private ms: number;

  constructor(at: Date) {
    this.ms = at.getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): void {
    this.ms += ms;
  }
}

interface SentMessage {
  readonly outboxId: string;
  readonly recipientKey: string;
  readonly at: number;
}

/** A sender that answers from `script` (delivered when it returns nothing) and records sends. */
function createScriptedSender(
  clock: FakeClock,
  script: (outboxId: string, call: number) => SendResult | undefined = () => undefined,
): MessageSender & { sent: SentMessage[] } {
  const sent: SentMessage[] = [];
  const calls = new Map<string, number>();
  return {
    sent,
    async send(conversation, _payload, outboxId) {
      // Yield first, as a real HTTP call would, so that racing instances interleave.
      await new Promise((resolve) => setImmediate(resolve));
      const call = (calls.get(outboxId) ?? 0) + 1;
      calls.set(outboxId, call);
      sent.push({ outboxId, recipientKey: conversation.key, at: clock.now().getTime() });
      return script(outboxId, call) ?? { outcome: 'delivered' };
    },
  };
}

const root = mkdtempSync(join(tmpdir(), 'backa-outbox-'));
let run = 0;
let path: string;
let stores: Stores;
let clock: FakeClock;
let logLines: string[];
const extraStores: Stores[] = [];

beforeEach(() => {
  run += 1;
  path = join(root, `run-${run}`, 'backa.sqlite');
  stores = openSqliteStores({ path });
  clock = new FakeClock(start);
  logLines = [];
});

afterEach(async () => {
  await stores.close();
  for (const extra of extraStores.splice(0)) {
    await extra.close();
  }
  const logs = logLines.join('\n');
  // Whatever a test did, no payload text may reach a log line.
  expect(logs).not.toContain('Upptäckarkort');
  expect(logs).not.toContain('väntar på dig');
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function createTestDispatcher(
  sender: MessageSender,
  overrides: Partial<OutboxDispatcherDependencies> = {},
  on: Stores = stores,
): OutboxDispatcher {
  return createOutboxDispatcher({
    outbox: on.outbox,
    conversations: on.conversations,
    sender,
    clock,
    instanceId: 'instance-a',
    logger: createLogger({
      level: 'debug',
      destination: { write: (line: string) => void logLines.push(line) },
    }),
    ...overrides,
    options: {
      random: () => 0,
      sleep: async (ms) => clock.advance(ms),
      ...overrides.options,
    },
  });
}

async function saveConversationFor(key: string, on: Stores = stores): Promise<void> {
  await on.conversations.save(buildConversation({ key, conversationId: `a:personal-${key}` }));
}

function buildMessage(overrides: Partial<OutboxMessage> = {}): OutboxMessage {
  return buildOutboxMessage({
    nextAttemptAt: start.toISOString(),
    payload: { kind: 'text', text: payloadText },
    ...overrides,
  });
}

async function readStored(id: string): Promise<OutboxMessage | undefined> {
  return (await stores.outbox.get(id))?.value;
}

describe('outbox dispatcher', () => {
  it('delivers a due message once and never again', async () => {
    await saveConversationFor(users.barnkontakt);
    await stores.outbox.enqueue(buildMessage());
    const sender = createScriptedSender(clock);
    const dispatcher = createTestDispatcher(sender);

    expect(await dispatcher.runOnce()).toEqual({
      delivered: 1,
      dropped: 0,
      retried: 0,
      parked: 0,
      skipped: 0,
    });
    clock.advance(60 * 60_000);
    expect(await dispatcher.runOnce()).toEqual({
      delivered: 0,
      dropped: 0,
      retried: 0,
      parked: 0,
      skipped: 0,
    });

    expect(sender.sent).toEqual([
      { outboxId: 'outbox-1', recipientKey: users.barnkontakt, at: start.getTime() },
    ]);
    const stored = await readStored('outbox-1');
    expect(stored?.status).toBe('delivered');
    expect(stored?.deliveredAt).toBe(start.toISOString());
    expect(stored?.claimedBy).toBeUndefined();
    expect(stored?.attempts).toBe(1);
  });

  it('records a message that no longer applies as dropped, final, without sending it again', async () => {
    await saveConversationFor(users.barnkontakt);
    await stores.outbox.enqueue(buildMessage());
    const sender = createScriptedSender(clock, () => ({ outcome: 'dropped', reason: 'consentWithdrawn' }));
    const dispatcher = createTestDispatcher(sender);

    expect(await dispatcher.runOnce()).toEqual({
      delivered: 0,
      dropped: 1,
      retried: 0,
      parked: 0,
      skipped: 0,
    });
    clock.advance(60 * 60_000);
    await dispatcher.runOnce();

    expect(sender.sent).toHaveLength(1);
    expect(await readStored('outbox-1')).toMatchObject({ status: 'dropped', lastError: 'consentWithdrawn' });
  });

  it('does not send a message before it is due', async () => {
    await saveConversationFor(users.barnkontakt);
    await stores.outbox.enqueue(buildMessage({ nextAttemptAt: '2025-02-03T09:00:10Z' }));
    const sender = createScriptedSender(clock);
    const dispatcher = createTestDispatcher(sender);

    await dispatcher.runOnce();
    expect(sender.sent).toHaveLength(0);
    clock.advance(10_000);
    await dispatcher.runOnce();
    expect(sender.sent).toHaveLength(1);
  });

  it('after a 429 with Retry-After 2 s waits 2 s for that conversation, then delivers', async () => {
    await saveConversationFor(users.barnkontakt);
    await stores.outbox.enqueue(buildMessage({ id: 'first', nextAttemptAt: '2025-02-03T08:59:59.000Z' }));
    await stores.outbox.enqueue(buildMessage({ id: 'second', nextAttemptAt: '2025-02-03T08:59:59.500Z' }));
    const sender = createScriptedSender(clock, (id, call) =>
      id === 'first' && call === 1 ? { outcome: 'retryable', status: 429, retryAfterMs: 2_000 } : undefined,
    );
    const dispatcher = createTestDispatcher(sender);

    expect(await dispatcher.runOnce()).toEqual({
      delivered: 0,
      dropped: 0,
      retried: 1,
      parked: 0,
      skipped: 1,
    });
    // The second message to the throttled conversation was not even tried.
    expect(sender.sent.map((send) => send.outboxId)).toEqual(['first']);
    const throttled = await readStored('first');
    expect(throttled?.status).toBe('pending');
    expect(throttled?.lastError).toBe('retryable:429');
    expect(throttled?.nextAttemptAt).toBe('2025-02-03T09:00:02.000Z');

    clock.advance(1_999);
    await dispatcher.runOnce();
    expect(sender.sent.map((send) => send.outboxId)).toEqual(['first']);

    clock.advance(1);
    expect(await dispatcher.runOnce()).toMatchObject({ delivered: 2 });
    // The retry no longer keeps its place: it is due later than the message behind it.
    expect(sender.sent.map((send) => send.outboxId)).toEqual(['first', 'second', 'first']);
    expect(sender.sent.every((send, index) => index === 0 || send.at >= start.getTime() + 2_000)).toBe(true);
    expect((await readStored('first'))?.status).toBe('delivered');
  });

  it('retries a 503 twice with growing jittered backoff, then delivers', async () => {
    await saveConversationFor(users.barnkontakt);
    await stores.outbox.enqueue(buildMessage());
    const sender = createScriptedSender(clock, (_id, call) =>
      call <= 2 ? { outcome: 'retryable', status: 503 } : undefined,
    );
    const dispatcher = createTestDispatcher(sender, {
      options: {
        random: () => 0.5,
        backoff: {
          baseMs: 1_000,
          minMs: 0,
          capMs: 60_000,
          retryAfterJitterMs: 0,
          maxRetryAfterMs: 60_000,
        },
      },
    });

    await dispatcher.runOnce();
    expect((await readStored('outbox-1'))?.nextAttemptAt).toBe('2025-02-03T09:00:00.500Z');
    clock.advance(499);
    await dispatcher.runOnce();
    expect(sender.sent).toHaveLength(1);
    clock.advance(1);
    await dispatcher.runOnce();
    expect(sender.sent).toHaveLength(2);
    // Second retry: half of 2 s.
    expect((await readStored('outbox-1'))?.nextAttemptAt).toBe('2025-02-03T09:00:01.500Z');
    clock.advance(1_000);
    expect(await dispatcher.runOnce()).toMatchObject({ delivered: 1 });

    expect(sender.sent).toHaveLength(3);
    const stored = await readStored('outbox-1');
    expect(stored?.status).toBe('delivered');
    expect(stored?.attempts).toBe(3);
  });

  it('parks a permanent failure at once and tells the admin once, without the payload', async () => {
    await saveConversationFor(users.barnkontakt);
    await stores.outbox.enqueue(buildMessage());
    const sender = createScriptedSender(clock, () => ({
      outcome: 'permanent',
      status: 403,
      reason: 'BotNotInConversationRoster',
    }));
    const notices: OutboxNotice[] = [];
    const dispatcher = createTestDispatcher(sender, {
      onParked: async (notice) => void notices.push(notice),
    });

    expect(await dispatcher.runOnce()).toEqual({
      delivered: 0,
      dropped: 0,
      retried: 0,
      parked: 1,
      skipped: 0,
    });
    clock.advance(24 * 60 * 60_000);
    await dispatcher.runOnce();

    expect(sender.sent).toHaveLength(1);
    expect(notices).toEqual([
      {
        outboxId: 'outbox-1',
        recipientKey: users.barnkontakt,
        caseId: 'case-1',
        reason: 'permanent:403:BotNotInConversationRoster',
        attempts: 1,
      },
    ]);
    const stored = await readStored('outbox-1');
    expect(stored?.status).toBe('parked');
    expect(stored?.lastError).toBe('permanent:403:BotNotInConversationRoster');
  });

  it('does not resend a message whose park notice failed; parks it once the notice goes through', async () => {
    await saveConversationFor(users.barnkontakt);
    await stores.outbox.enqueue(buildMessage());
    const sender = createScriptedSender(clock, () => ({
      outcome: 'permanent',
      status: 404,
      reason: 'http404',
    }));
    let noticeCalls = 0;
    const dispatcher = createTestDispatcher(sender, {
      onParked: async () => {
        noticeCalls += 1;
        if (noticeCalls === 1) throw new Error('notice store down');
      },
    });

    expect(await dispatcher.runOnce()).toMatchObject({ retried: 1, parked: 0 });
    expect((await readStored('outbox-1'))?.status).toBe('pending');
    clock.advance(60_000);
    expect(await dispatcher.runOnce()).toMatchObject({ parked: 1 });

    expect(sender.sent).toHaveLength(1);
    expect(noticeCalls).toBe(2);
    const stored = await readStored('outbox-1');
    expect(stored?.status).toBe('parked');
    expect(stored?.lastError).toBe('permanent:404:http404');
  });

  it('retries a 500 with backoff (it may have arrived) and parks it after the last attempt', async () => {
    await saveConversationFor(users.barnkontakt);
    await stores.outbox.enqueue(buildMessage());
    const sender = createScriptedSender(clock, () => ({ outcome: 'retryable', status: 500 }));
    const notices: OutboxNotice[] = [];
    const dispatcher = createTestDispatcher(sender, {
      onParked: async (notice) => void notices.push(notice),
      options: { maxAttempts: 3, random: () => 0.999 },
    });

    for (let sweep = 0; sweep < 4; sweep += 1) {
      await dispatcher.runOnce();
      clock.advance(1_000);
    }
    // Never resent at once: the first retry waits out its backoff (here almost the 5 s bound).
    expect(sender.sent).toHaveLength(1);
    clock.advance(60_000);
    await dispatcher.runOnce();
    clock.advance(60_000);
    await dispatcher.runOnce();
    clock.advance(60_000);
    await dispatcher.runOnce();

    expect(sender.sent).toHaveLength(3);
    expect(notices.map((notice) => notice.reason)).toEqual(['maxAttempts:retryable:500']);
    expect((await readStored('outbox-1'))?.status).toBe('parked');
    expect(logLines.some((line) => line.includes('"ambiguous":true'))).toBe(true);
  });

  it('keeps a message for a recipient without a conversation, tells the admin once, and delivers once it appears', async () => {
    await stores.outbox.enqueue(buildMessage());
    const sender = createScriptedSender(clock);
    const notices: OutboxNotice[] = [];
    const dispatcher = createTestDispatcher(sender, {
      onUnreachable: async (notice) => void notices.push(notice),
      options: { unreachableRetryMs: 10 * 60_000 },
    });

    expect(await dispatcher.runOnce()).toEqual({
      delivered: 0,
      dropped: 0,
      retried: 1,
      parked: 0,
      skipped: 0,
    });
    const waiting = await readStored('outbox-1');
    expect(waiting?.status).toBe('pending');
    expect(waiting?.lastError).toBe('unreachable');
    expect(waiting?.nextAttemptAt).toBe('2025-02-03T09:10:00.000Z');
    for (let look = 0; look < 5; look += 1) {
      clock.advance(10 * 60_000);
      await dispatcher.runOnce();
    }
    expect(notices).toEqual([
      {
        outboxId: 'outbox-1',
        recipientKey: users.barnkontakt,
        caseId: 'case-1',
        reason: 'unreachable',
        attempts: 0,
      },
    ]);
    expect(sender.sent).toHaveLength(0);
    // Looking for a conversation used up none of the message's attempts.
    expect((await readStored('outbox-1'))?.attempts).toBe(0);

    await saveConversationFor(users.barnkontakt);
    clock.advance(10 * 60_000);
    expect(await dispatcher.runOnce()).toMatchObject({ delivered: 1 });
    expect(sender.sent).toHaveLength(1);
    expect(notices).toHaveLength(1);
  });

  it('asks again about an unreachable recipient if telling the admin failed', async () => {
    await stores.outbox.enqueue(buildMessage());
    let calls = 0;
    const dispatcher = createTestDispatcher(createScriptedSender(clock), {
      onUnreachable: async () => {
        calls += 1;
        if (calls === 1) throw new Error('notice store down');
      },
      options: { unreachableRetryMs: 60_000 },
    });

    await dispatcher.runOnce();
    clock.advance(60_000);
    await dispatcher.runOnce();
    clock.advance(60_000);
    await dispatcher.runOnce();

    expect(calls).toBe(2);
    expect((await readStored('outbox-1'))?.lastError).toBe('unreachable');
  });

  it('sends each message exactly once when two instances sweep the same store at the same time', async () => {
    const recipients = [
      users.barnkontakt,
      users.ersattare,
      users.annanBarnkontakt,
      users.bvc,
      users.barnmorska,
    ];
    for (const key of recipients) {
      await saveConversationFor(key);
    }
    for (let index = 0; index < 20; index += 1) {
      await stores.outbox.enqueue(
        buildMessage({
          id: `outbox-${index}`,
          recipientKey: recipients[index % recipients.length] as string,
          nextAttemptAt: new Date(start.getTime() - 1_000 + index).toISOString(),
        }),
      );
    }
    // A second connection to the same file, as a second process would have.
    const other = openSqliteStores({ path });
    extraStores.push(other);
    const sender = createScriptedSender(clock);
    const a = createTestDispatcher(sender, { instanceId: 'instance-a' });
    const b = createTestDispatcher(sender, { instanceId: 'instance-b' }, other);

    const [resultA, resultB] = await Promise.all([a.runOnce(), b.runOnce()]);

    const sentIds = sender.sent.map((send) => send.outboxId).sort();
    expect(sentIds).toEqual(Array.from({ length: 20 }, (_, index) => `outbox-${index}`).sort());
    expect(resultA.delivered + resultB.delivered).toBe(20);
    expect(resultA.delivered).toBeGreaterThan(0);
    expect(resultB.delivered).toBeGreaterThan(0);
    const listed = await stores.outbox.listDue(new Date(start.getTime() + 24 * 3_600_000), 100);
    expect(listed).toEqual([]);
  });

  it('paces sends to one conversation and lets other conversations go meanwhile', async () => {
    await saveConversationFor(users.barnkontakt);
    await saveConversationFor(users.bvc);
    for (let index = 0; index < 4; index += 1) {
      await stores.outbox.enqueue(buildMessage({ id: `rektor-${index}` }));
    }
    await stores.outbox.enqueue(buildMessage({ id: 'bvc-0', recipientKey: users.bvc }));
    const sender = createScriptedSender(clock);
    const dispatcher = createTestDispatcher(sender, { options: { conversationIntervalMs: 500 } });

    expect(await dispatcher.runOnce()).toMatchObject({ delivered: 5 });

    const rektorTimes = sender.sent
      .filter((send) => send.recipientKey === users.barnkontakt)
      .map((send) => send.at);
    expect(rektorTimes).toHaveLength(4);
    for (let index = 1; index < rektorTimes.length; index += 1) {
      expect((rektorTimes[index] as number) - (rektorTimes[index - 1] as number)).toBeGreaterThanOrEqual(500);
    }
    // The other conversation does not wait for the first one's pacing, only for its slot of the
    // app's budget (25 per second).
    expect(sender.sent.find((send) => send.outboxId === 'bvc-0')?.at).toBeLessThan(start.getTime() + 100);
  });

  it('keeps each conversation inside 7 per second, 8 per 2 s and 60 per 30 s', async () => {
    await saveConversationFor(users.barnkontakt);
    for (let index = 0; index < 70; index += 1) {
      await stores.outbox.enqueue(buildMessage({ id: `rektor-${String(index).padStart(2, '0')}` }));
    }
    const sender = createScriptedSender(clock);

    await createTestDispatcher(sender).runOnce();

    const times = sender.sent.map((send) => send.at);
    expect(times).toHaveLength(70);
    const mostIn = (ms: number) =>
      Math.max(...times.map((at) => times.filter((other) => other >= at && other < at + ms).length));
    expect(mostIn(1_000)).toBeLessThanOrEqual(7);
    expect(mostIn(2_000)).toBeLessThanOrEqual(8);
    expect(mostIn(30_000)).toBeLessThanOrEqual(60);
  });

  it('drains a burst to many recipients at the app budget of 25 per second, in one sweep', async () => {
    const recipients = Array.from({ length: 200 }, (_, index) => `conversation:barnkontakt-${index}`);
    for (const key of recipients) {
      await saveConversationFor(key);
      await stores.outbox.enqueue(buildMessage({ id: `notis-${key}`, recipientKey: key }));
    }
    const sender = createScriptedSender(clock);

    // One conversation at a time, so that the fake clock moves exactly as the waits say; the
    // budget is shared by all conversations, so it binds the same way in parallel.
    const result = await createTestDispatcher(sender, {
      options: { batchSize: 50, maxConcurrentConversations: 1 },
    }).runOnce();

    expect(result.delivered).toBe(200);
    const times = sender.sent.map((send) => send.at);
    const mostInOneSecond = Math.max(
      ...times.map((at) => times.filter((other) => other >= at && other < at + 1_000).length),
    );
    expect(mostInOneSecond).toBeLessThanOrEqual(25);
    // 200 at 25 per second: eight seconds, not the minutes that sweeps of 50 every 5 s took.
    expect(Math.max(...times) - start.getTime()).toBeLessThan(9_000);
  });

  it('sends again within seconds after the sender died mid-send (kill -9), not after a minute', async () => {
    await saveConversationFor(users.barnkontakt);
    await stores.outbox.enqueue(buildMessage());
    // The first instance claims the message and hangs in the send until it is killed.
    const hanging: MessageSender = { send: () => new Promise<SendResult>(() => {}) };
    void createTestDispatcher(hanging, { instanceId: 'instance-killed' }).runOnce();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await readStored('outbox-1'))?.status).toBe('sending');

    const restarted = createScriptedSender(clock);
    const dispatcher = createTestDispatcher(restarted, { instanceId: 'instance-restarted' });
    clock.advance(5_000);
    await dispatcher.runOnce();
    expect(restarted.sent).toEqual([]);

    clock.advance(11_000);
    await dispatcher.runOnce();
    expect(restarted.sent.map((send) => send.outboxId)).toEqual(['outbox-1']);
    expect((await readStored('outbox-1'))?.status).toBe('delivered');
  });

  it('abandons a send that hangs: its request is aborted and it is recorded as a possible arrival, while still claimed', async () => {
    await saveConversationFor(users.barnkontakt);
    await stores.outbox.enqueue(buildMessage());
    const signals: AbortSignal[] = [];
    const hanging: MessageSender = {
      send: (_conversation, _payload, _outboxId, sendOptions) => {
        if (sendOptions?.signal !== undefined) signals.push(sendOptions.signal);
        return new Promise<SendResult>(() => {});
      },
    };

    const result = await createTestDispatcher(hanging, { options: { sendTimeoutMs: 20 } }).runOnce();

    expect(result).toMatchObject({ retried: 1, delivered: 0 });
    expect(signals.map((signal) => signal.aborted)).toEqual([true]);
    const stored = await readStored('outbox-1');
    // Recorded by the instance that held it (the fake clock has not moved: its 15 s claim was
    // still live), so nobody else could have repeated the send meanwhile.
    expect(stored).toMatchObject({ status: 'pending', lastError: 'retryable:timeout', attempts: 1 });
    expect(stored?.claimedBy).toBeUndefined();
    expect(logLines.some((line) => line.includes('"ambiguous":true'))).toBe(true);
  });

  it('renews its claim when pacing outlasted it, so that the send never runs on a claim about to run out', async () => {
    await saveConversationFor(users.barnkontakt);
    await stores.outbox.enqueue(buildMessage({ id: 'first', nextAttemptAt: '2025-02-03T08:59:59.000Z' }));
    await stores.outbox.enqueue(buildMessage({ id: 'second' }));
    const leftAtSend: number[] = [];
    const sender: MessageSender = {
      async send(_conversation, _payload, outboxId) {
        const held = await readStored(outboxId);
        leftAtSend.push(Date.parse(held?.claimedUntil ?? '') - clock.now().getTime());
        return { outcome: 'delivered' };
      },
    };
    // One send per 30 s to this conversation: the second waits 30 s after its 15 s claim.
    const dispatcher = createTestDispatcher(sender, {
      options: { conversationIntervalMs: 0, conversationWindows: [{ count: 1, ms: 30_000 }] },
    });

    expect(await dispatcher.runOnce()).toMatchObject({ delivered: 2 });

    expect(leftAtSend).toHaveLength(2);
    for (const left of leftAtSend) expect(left).toBeGreaterThanOrEqual(10_000);
    expect((await readStored('second'))?.status).toBe('delivered');
  });

  it('delivers after a restart between enqueue and delivery', async () => {
    await saveConversationFor(users.barnkontakt);
    await stores.outbox.enqueue(buildMessage());
    await stores.close();

    stores = openSqliteStores({ path });
    const sender = createScriptedSender(clock);
    await createTestDispatcher(sender, { instanceId: 'instance-restarted' }).runOnce();

    expect(sender.sent.map((send) => send.outboxId)).toEqual(['outbox-1']);
    expect((await readStored('outbox-1'))?.status).toBe('delivered');
  });

  it('takes over a message whose sender died mid-send once the claim has run out, not before', async () => {
    await saveConversationFor(users.barnkontakt);
    await stores.outbox.enqueue(
      buildMessage({
        id: 'dead-claim',
        status: 'sending',
        attempts: 1,
        claimedBy: 'instance-dead',
        claimedUntil: '2025-02-03T08:59:59.000Z',
      }),
    );
    await stores.outbox.enqueue(
      buildMessage({
        id: 'live-claim',
        status: 'sending',
        attempts: 1,
        claimedBy: 'instance-busy',
        claimedUntil: '2025-02-03T09:00:30.000Z',
      }),
    );
    const sender = createScriptedSender(clock);
    const dispatcher = createTestDispatcher(sender);

    await dispatcher.runOnce();
    expect(sender.sent.map((send) => send.outboxId)).toEqual(['dead-claim']);
    const taken = await readStored('dead-claim');
    expect(taken?.status).toBe('delivered');
    expect(taken?.attempts).toBe(2);
    expect((await readStored('live-claim'))?.claimedBy).toBe('instance-busy');

    clock.advance(30_000);
    await dispatcher.runOnce();
    expect(sender.sent.map((send) => send.outboxId)).toEqual(['dead-claim', 'live-claim']);
  });

  it('treats a sender that throws like a timeout: retried later, not lost', async () => {
    await saveConversationFor(users.barnkontakt);
    await stores.outbox.enqueue(buildMessage());
    let calls = 0;
    const sender: MessageSender = {
      async send() {
        calls += 1;
        if (calls === 1) throw new Error(`socket hang up while sending "${payloadText}"`);
        return { outcome: 'delivered' };
      },
    };
    const dispatcher = createTestDispatcher(sender);

    expect(await dispatcher.runOnce()).toMatchObject({ retried: 1 });
    expect((await readStored('outbox-1'))?.lastError).toBe('retryable:timeout');
    clock.advance(5_000);
    expect(await dispatcher.runOnce()).toMatchObject({ delivered: 1 });
  });

  it('runs as a loop that delivers, and sends nothing more after stop', async () => {
    await saveConversationFor(users.barnkontakt);
    await stores.outbox.enqueue(buildMessage());
    const sender = createScriptedSender(clock);
    const dispatcher = createTestDispatcher(sender, { options: { intervalMs: 5 } });

    dispatcher.start();
    await vi.waitFor(() => expect(sender.sent).toHaveLength(1), { timeout: 2_000, interval: 5 });
    await dispatcher.stop();
    await stores.outbox.enqueue(buildMessage({ id: 'after-stop' }));
    await sleepFor(50);

    expect(sender.sent.map((send) => send.outboxId)).toEqual(['outbox-1']);
    expect((await readStored('after-stop'))?.status).toBe('pending');
  });
});
