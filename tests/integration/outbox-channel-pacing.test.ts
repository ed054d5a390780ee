/**
 * The outbox and a team's channel: a post addressed to the case (`teamkanal:<caseId>`) waits,
 * without telling anyone, until the channel's conversation is stored under that key, and the
 * channel's conversation is paced as one conversation whatever key reached it, at Teams' limits
 * (7/s, 8/2 s, 60/30 s and 1 800/hour per conversation).
 */
import { describe, expect, it } from 'vitest';
import type { MessageSender } from '../../flows/kernel/message-sender.js';
import type { OutboxMessage } from '../../flows/kernel/ports.js';
import {
  createOutboxDispatcher,
  type OutboxDispatcherOptions,
} from '../../infra/outbox/outbox-dispatcher.js';
import { createRecipientResolver } from '../../infra/outbox/team-channel-recipients.js';
import { buildConversation, buildOutboxMessage } from '../contract/contract-data.js';
import { createInMemoryStores } from '../support/in-memory-stores.js';

const start = Date.parse('2026-03-03T09:00:00.000Z');
const channelId = '19:kanal1@thread.tacv2';
const teamKey = 'teamkanal:arende-kanal-0001';

function setUp(options: Partial<OutboxDispatcherOptions> = {}) {
  const stores = createInMemoryStores();
  let now = start;
  const sends: { outboxId: string; at: number; conversationId: string }[] = [];
  const told: string[] = [];
  // A virtual timer: waits end in the order of their end times, each moving the clock to its end,
  // so that parallel conversations see the time they would see.
  const timers: { at: number; resolve: () => void }[] = [];
  let pumping = false;
  const schedulePump = () => {
    if (pumping) return;
    pumping = true;
    setImmediate(pump);
  };
  const pump = () => {
    pumping = false;
    timers.sort((a, b) => a.at - b.at);
    const next = timers.shift();
    if (next === undefined) return;
    now = Math.max(now, next.at);
    next.resolve();
    if (timers.length > 0) schedulePump();
  };
  const sender: MessageSender = {
    async send(conversation, _payload, outboxId) {
      sends.push({ outboxId, at: now, conversationId: conversation.conversationId });
      return { outcome: 'delivered' };
    },
  };
  const dispatcher = createOutboxDispatcher({
    outbox: stores.outbox,
    conversations: stores.conversations,
    resolveRecipient: createRecipientResolver(stores.conversations),
    sender,
    clock: { now: () => new Date(now) },
    instanceId: 'test',
    onUnreachable: async (notice) => {
      told.push(notice.outboxId);
    },
    options: {
      random: () => 0,
      sleep: (ms) =>
        new Promise<void>((resolve) => {
          timers.push({ at: now + ms, resolve });
          schedulePump();
        }),
      ...options,
    },
  });
  const channel = (key: string) =>
    buildConversation({
      key,
      conversationId: channelId,
      reference: { bot: { id: '28:bot' }, conversation: { id: channelId }, channelId: 'msteams' },
    });
  const post = (id: string, recipientKey: string): OutboxMessage =>
    buildOutboxMessage({ id, recipientKey, nextAttemptAt: new Date(start).toISOString() });
  return {
    stores,
    dispatcher,
    sends,
    told,
    channel,
    post,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("the team's channel in the outbox", () => {
  it('keeps a post for a channel that is not there yet, tells nobody, and sends it once it is', async () => {
    const test = setUp();
    await test.stores.outbox.enqueue(test.post('tidig', teamKey));

    expect(await test.dispatcher.runOnce()).toMatchObject({ delivered: 0, retried: 1, parked: 0 });
    expect(test.told).toEqual([]);
    const waiting = await test.stores.outbox.get('tidig');
    expect(waiting?.value).toMatchObject({
      status: 'pending',
      attempts: 0,
      lastError: 'waitingForConversation',
    });

    await test.stores.conversations.save(test.channel(teamKey));
    test.advance(61_000);
    expect(await test.dispatcher.runOnce()).toMatchObject({ delivered: 1 });
    expect(test.sends.map((send) => [send.outboxId, send.conversationId])).toEqual([['tidig', channelId]]);
  });

  it('paces the channel as one conversation when it is reached under the case key and its own', async () => {
    const test = setUp();
    await test.stores.conversations.save(test.channel(teamKey));
    await test.stores.conversations.save(test.channel(`conversation:${channelId}`));
    for (let index = 0; index < 10; index += 1) {
      await test.stores.outbox.enqueue(
        test.post(
          `inlagg-${String(index).padStart(2, '0')}`,
          index % 2 === 0 ? teamKey : `conversation:${channelId}`,
        ),
      );
    }

    await test.dispatcher.runOnce();

    expect(test.sends).toHaveLength(10);
    const times = test.sends.map((send) => send.at).sort((a, b) => a - b);
    for (let index = 1; index < times.length; index += 1) {
      expect((times[index] as number) - (times[index - 1] as number)).toBeGreaterThanOrEqual(150);
    }
    for (let index = 8; index < times.length; index += 1) {
      expect((times[index] as number) - (times[index - 8] as number)).toBeGreaterThanOrEqual(2_000);
    }
  });

  it('sends at most 1 800 posts to one channel in an hour', async () => {
    const test = setUp({ batchSize: 2_000, maxConcurrentConversations: 1 });
    await test.stores.conversations.save(test.channel(teamKey));
    for (let index = 0; index < 1_801; index += 1) {
      await test.stores.outbox.enqueue(test.post(`inlagg-${String(index).padStart(4, '0')}`, teamKey));
    }

    await test.dispatcher.runOnce();

    expect(test.sends).toHaveLength(1_801);
    const first = test.sends[0]?.at as number;
    const last = test.sends[1_800]?.at as number;
    expect(last - first).toBeGreaterThanOrEqual(60 * 60_000);
    // And no faster than 60 per 30 s on the way there.
    expect((test.sends[60]?.at as number) - first).toBeGreaterThanOrEqual(30_000);
  }, 60_000);
});
