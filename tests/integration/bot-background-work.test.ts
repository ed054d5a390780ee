/**
 * The background work as the bot runs it: the outbox goes out right after a kick instead of at
 * the next timer tick, a due chase reaches the Barnkontakt and the Upptäckare, and two instances
 * sweeping one store send every message once (SECURITY.md 13–14).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toChaseReminderId, toNoticeId } from '../../flows/kernel/case-effects.js';
import {
  createDeliveryStack,
  createTestClock,
  type FakeConnector,
  fileCard,
  interceptConnector,
  saveConversations,
  type TestClock,
} from '../support/bot-delivery-harness.js';
import { closeNetworkExceptLoopback } from '../support/bot-harness.js';
import { buildDirectory, childIdentityNumber, users } from '../support/flow-fixtures.js';
import {
  createInMemoryData,
  createInMemoryStores,
  type InMemoryStores,
} from '../support/in-memory-stores.js';

const directory = buildDirectory();
const chaseDueAt = '2025-03-06T08:00:00.000Z';

let stores: InMemoryStores;
let clock: TestClock;
let connector: FakeConnector;
const stops: (() => Promise<void>)[] = [];

beforeAll(() => closeNetworkExceptLoopback());
afterAll(() => nock.enableNetConnect());

beforeEach(() => {
  stores = createInMemoryStores();
  clock = createTestClock();
  connector = interceptConnector();
});

afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
  nock.cleanAll();
});

async function waitFor(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('villkoret uppfylldes inte i tid');
    await sleep(10);
  }
}

describe('kick', () => {
  it('delivers a notice enqueued after start at once, without waiting for the hourly timer', async () => {
    await saveConversations(stores, [users.barnkontakt]);
    const delivery = await createDeliveryStack({ stores, directory, clock });
    stops.push(() => delivery.work.stop());
    delivery.work.start();
    await waitFor(
      () => stores.calls.includes('outbox.listDue') && stores.calls.includes('reminders.listDue'),
    );
    await sleep(50);

    const caseId = await fileCard(stores, directory, clock);
    await sleep(200);
    // The timers are an hour apart: without a kick nothing goes out.
    expect(connector.requests).toEqual([]);

    delivery.work.kick();
    delivery.work.kick();
    await waitFor(() => connector.to(users.barnkontakt).length === 1);
    await sleep(100);

    expect(connector.requests).toHaveLength(1);
    expect((await stores.outbox.get(toNoticeId(caseId, 'nyttArende', 1)))?.value.status).toBe('delivered');
  });
});

describe('a due chase', () => {
  it('reminds the Barnkontakt with the card and tells the Upptäckare it still waits, on the first sweep after downtime', async () => {
    await saveConversations(stores, [users.barnkontakt, users.upptackare]);
    const caseId = await fileCard(stores, directory, clock);
    clock.set(chaseDueAt);
    const delivery = await createDeliveryStack({ stores, directory, clock });
    stops.push(() => delivery.work.stop());

    delivery.work.start();
    await waitFor(
      () => connector.to(users.barnkontakt).length === 2 && connector.to(users.upptackare).length === 1,
    );

    const reminder = connector
      .to(users.barnkontakt)
      .find((request) => String(request.body.summary).startsWith('Påminnelse'));
    expect(reminder?.body.summary).toMatch(
      /^Påminnelse: ett Upptäckarkort väntar fortfarande på svar\. Ärende BB-/,
    );
    const [attachment] = (reminder?.body.attachments ?? []) as { content: { body: { text?: string }[] } }[];
    expect(attachment?.content.body[0]?.text).toBe('Påminnelse: kortet väntar fortfarande på svar.');

    const [told] = connector.to(users.upptackare);
    const text = String(told?.body.text);
    expect(text).toMatch(
      /^Ditt Upptäckarkort BB-\S+ väntar fortfarande på svar\. Maria Lind \(Rektor\) har fått en påminnelse\.$/,
    );
    expect(text).not.toContain('Testbarn');
    expect(JSON.stringify(connector.requests)).not.toContain(childIdentityNumber.replace('-', ''));
    expect((await stores.reminders.get(toChaseReminderId(caseId, 1, 1)))?.value.status).toBe('done');
  });
});

describe('two instances on one store', () => {
  it('send each message once', async () => {
    const data = createInMemoryData();
    const first = createInMemoryStores(data);
    const second = createInMemoryStores(data);
    stores = first;
    await saveConversations(first, [users.barnkontakt, users.upptackare]);
    // Three children (one child's second card would join its first case).
    const caseIds = [
      await fileCard(first, directory, clock, {
        draftId: '11111111-aaaa-4aaa-8aaa-111111111111',
        card: { childIdentityNumber: '20170612-2395' },
      }),
      await fileCard(first, directory, clock, {
        draftId: '22222222-bbbb-4bbb-8bbb-222222222222',
        card: { childIdentityNumber: '20170612-2403' },
      }),
      await fileCard(first, directory, clock, {
        draftId: '33333333-cccc-4ccc-8ccc-333333333333',
        card: { childIdentityNumber: '20170612-2411' },
      }),
    ];
    // Slow answers, so that the two instances' sweeps overlap.
    nock.cleanAll();
    connector = interceptConnector({ delayMs: 20 });
    const a = await createDeliveryStack({ stores: first, directory, clock, instanceId: 'instans-a' });
    const b = await createDeliveryStack({ stores: second, directory, clock, instanceId: 'instans-b' });

    await Promise.all([a.work.runOnce(), b.work.runOnce()]);
    clock.set(chaseDueAt);
    await Promise.all([a.work.runOnce(), b.work.runOnce()]);
    await Promise.all([a.work.runOnce(), b.work.runOnce()]);

    // Per case: the card and one reminder to Maria, one "still waiting" to Alex.
    expect(connector.to(users.barnkontakt)).toHaveLength(6);
    expect(connector.to(users.upptackare)).toHaveLength(3);
    const outbox = first.snapshot().outbox;
    expect(outbox).toHaveLength(9);
    expect(outbox.every((message) => message.status === 'delivered' && message.attempts === 1)).toBe(true);
    for (const caseId of caseIds) {
      expect((await first.reminders.get(toChaseReminderId(caseId, 1, 1)))?.value.status).toBe('done');
    }
    expect([
      ...a.logged('Utgående meddelande levererat'),
      ...b.logged('Utgående meddelande levererat'),
    ]).toHaveLength(9);
  });
});
