/**
 * Delivering the outbox through the real CloudAdapter to a nock'd Bot Connector (SECURITY.md 13):
 * the notification card's request shape, Retry-After, retries and their limits, parking and the
 * fallback contact, users the bot cannot reach yet, a restart between enqueue and delivery, and a
 * notice dropped because consent was withdrawn. The store is the embedded SQLite file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { toNoticeId } from '../../flows/kernel/case-effects.js';
import type { OutboxMessage, Stores } from '../../flows/kernel/ports.js';
import { respondToCase } from '../../flows/upptackt/respond-to-case.js';
import { openSqliteStores } from '../../infra/store/sqlite-stores.js';
import {
  createDeliveryStack,
  createTestClock,
  type DeliveryStack,
  type FakeConnector,
  fileCard,
  identityKeySecret,
  interceptConnector,
  saveConversations,
  type TestClock,
  testWorkOptions,
} from '../support/bot-delivery-harness.js';
import { closeNetworkExceptLoopback } from '../support/bot-harness.js';
import { outboundAccessToken } from '../support/bot-tokens.js';
import { collectActions } from '../support/card-actions.js';
import { findCardProblems, readCardText } from '../support/card-validation.js';
import { buildDirectory, childIdentityNumber, rektor, users } from '../support/flow-fixtures.js';

const directory = buildDirectory();
const identityDigits = childIdentityNumber.replace('-', '');

let dir: string;
let path: string;
let stores: Stores;
let clock: TestClock;
let connector: FakeConnector;

beforeAll(() => closeNetworkExceptLoopback());
afterAll(() => nock.enableNetConnect());

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'backa-delivery-'));
  path = join(dir, 'backa.sqlite');
  stores = openSqliteStores({ path });
  clock = createTestClock();
  connector = interceptConnector();
});

afterEach(async () => {
  await stores.close();
  nock.cleanAll();
  rmSync(dir, { recursive: true, force: true });
});

async function stack(
  options: Partial<Parameters<typeof createDeliveryStack>[0]> = {},
): Promise<DeliveryStack> {
  return createDeliveryStack({ stores, directory, clock, ...options });
}

async function outboxMessage(id: string): Promise<OutboxMessage> {
  const stored = await stores.outbox.get(id);
  if (stored === undefined) throw new Error(`meddelandet ${id} saknas`);
  return stored.value;
}

/** Sweeps, moving the clock an hour after each, until `done` or the rounds run out. */
async function sweepUntil(delivery: DeliveryStack, done: () => Promise<boolean>, rounds = 12): Promise<void> {
  for (let round = 0; round < rounds && !(await done()); round += 1) {
    await delivery.work.runOnce();
    clock.advance(60 * 60_000);
  }
}

describe('a new card for the Barnkontakt', () => {
  it('is one POST to her conversation with the card, its actions carrying case id and ETag, and no identity number', async () => {
    await saveConversations(stores, [users.barnkontakt, users.upptackare]);
    const caseId = await fileCard(stores, directory, clock);
    const delivery = await stack();

    await delivery.work.runOnce();

    const [request, ...more] = connector.to(users.barnkontakt);
    expect(more).toEqual([]);
    expect(connector.authorizations).toEqual([`Bearer ${outboundAccessToken}`]);
    const body = request?.body ?? {};
    expect(body.type).toBe('message');
    expect(body.summary).toMatch(/^Ett Upptäckarkort väntar på dig som Barnkontakt\. Ärende BB-/);
    const [attachment] = body.attachments as { contentType: string; content: unknown }[];
    expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const stored = await stores.cases.get(caseId);
    const answers = collectActions(attachment?.content).filter(
      (action) =>
        action.type === 'Action.Execute' &&
        String(action.verb).startsWith('arende.') &&
        action.verb !== 'arende.visa',
    );
    expect(answers.map((action) => action.verb).sort()).toEqual([
      'arende.avboj',
      'arende.skickaVidare',
      'arende.taEmot',
    ]);
    for (const action of answers) {
      expect(action.data).toEqual({ caseId, etag: stored?.etag });
    }
    const text = JSON.stringify(body);
    expect(text).not.toContain(identityDigits);
    expect(text).not.toContain(childIdentityNumber);
    expect((await outboxMessage(toNoticeId(caseId, 'nyttArende', 1))).status).toBe('delivered');
    // The share is in the access log, as the bot's own read, with its purpose.
    const audit = await stores.audit.listForCase(caseId);
    expect(audit.at(-1)).toMatchObject({ actor: 'system', action: 'lasArende', outcome: 'allowed' });
    expect(audit.at(-1)?.purpose).toContain('Barnkontakten behöver kortet');
    expect(delivery.logLines.join('\n')).not.toContain(identityDigits);
  });
});

describe('when the Bot Connector answers 429', () => {
  it('is sent once per sweep (no retries inside the SDK) and again only after Retry-After', async () => {
    await saveConversations(stores, [users.barnkontakt]);
    connector.script('a:personal-maria', [{ status: 429, headers: { 'Retry-After': '2' } }]);
    const caseId = await fileCard(stores, directory, clock);
    const id = toNoticeId(caseId, 'nyttArende', 1);
    const delivery = await stack();

    const started = Date.now();
    await delivery.work.runOnce();
    // botbuilder's pipeline would have waited 3 × 2 s and sent four times.
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(connector.to(users.barnkontakt).map((request) => request.status)).toEqual([429]);
    const waiting = await outboxMessage(id);
    expect(waiting).toMatchObject({ status: 'pending', lastError: 'retryable:429' });
    expect(Date.parse(waiting.nextAttemptAt) - clock.now().getTime()).toBeGreaterThanOrEqual(2_000);

    clock.advance(1_900);
    await delivery.work.runOnce();
    expect(connector.to(users.barnkontakt)).toHaveLength(1);

    clock.advance(200);
    await delivery.work.runOnce();
    expect(connector.to(users.barnkontakt).map((request) => request.status)).toEqual([429, 201]);
    expect((await outboxMessage(id)).status).toBe('delivered');

    clock.advance(60 * 60_000);
    await delivery.work.runOnce();
    expect(connector.to(users.barnkontakt)).toHaveLength(2);
  });

  it('honours Retry-After: 3600, and tells the fallback contact at once that the notice is late', async () => {
    await saveConversations(stores, [users.barnkontakt, users.socialtjanst]);
    connector.script('a:personal-maria', [{ status: 429, headers: { 'Retry-After': '3600' } }]);
    const caseId = await fileCard(stores, directory, clock);
    const id = toNoticeId(caseId, 'nyttArende', 1);
    const delivery = await stack();

    await delivery.work.runOnce();
    await delivery.work.runOnce();

    const waiting = await outboxMessage(id);
    expect(waiting.status).toBe('pending');
    expect(Date.parse(waiting.nextAttemptAt) - clock.now().getTime()).toBeGreaterThanOrEqual(3_600_000);
    const told = connector.to(users.socialtjanst);
    expect(told).toHaveLength(1);
    const text = String(told[0]?.body.text);
    expect(text).toContain('till Maria Lind (Rektor)');
    expect(text).toContain('är försenat');
    expect(text).not.toContain('Testbarn');
    expect(text).not.toContain(identityDigits);

    clock.advance(3_600_000);
    await delivery.work.runOnce();
    expect((await outboxMessage(id)).status).toBe('delivered');
    expect(connector.to(users.socialtjanst)).toHaveLength(1);
  });

  it('a connector that does not answer: the send is abandoned at the deadline, its request cancelled, the notice kept', async () => {
    nock.cleanAll();
    connector = interceptConnector({ delayMs: 2_000 });
    await saveConversations(stores, [users.barnkontakt]);
    const caseId = await fileCard(stores, directory, clock);
    const delivery = await stack({
      workOptions: { ...testWorkOptions, outbox: { ...testWorkOptions.outbox, sendTimeoutMs: 200 } },
    });

    await delivery.work.runOnce();

    expect(await outboxMessage(toNoticeId(caseId, 'nyttArende', 1))).toMatchObject({
      status: 'pending',
      lastError: 'retryable:timeout',
    });
    // The request itself was cancelled: it ends as a timeout, never as the late 201.
    await vi.waitFor(
      () => expect(delivery.logged('Proaktivt meddelande kunde inte skickas')).toHaveLength(1),
      { timeout: 5_000, interval: 20 },
    );
    expect(delivery.logged('Proaktivt meddelande kunde inte skickas')[0]).toMatchObject({ timedOut: true });
    expect(delivery.logged('Proaktivt meddelande skickat')).toEqual([]);
  });

  it('reads a Retry-After given as an HTTP date', async () => {
    await saveConversations(stores, [users.barnkontakt]);
    const retryAt = new Date(clock.now().getTime() + 30_000).toUTCString();
    connector.script('a:personal-maria', [{ status: 429, headers: { 'Retry-After': retryAt } }]);
    const caseId = await fileCard(stores, directory, clock);
    const delivery = await stack();

    await delivery.work.runOnce();

    const waiting = await outboxMessage(toNoticeId(caseId, 'nyttArende', 1));
    expect(Date.parse(waiting.nextAttemptAt) - clock.now().getTime()).toBeGreaterThanOrEqual(29_000);
  });
});

describe('when the Bot Connector fails', () => {
  // A 500 may mean Teams showed the card and then failed: the retry can duplicate it. We accept
  // that (flows/kernel/message-sender.ts): a duplicate card refreshes to the current state on any click,
  // while a lost card leaves a child's case unseen.
  it('500 then success: delivered on the next try, after a backoff, two requests in all', async () => {
    await saveConversations(stores, [users.barnkontakt]);
    connector.script('a:personal-maria', [{ status: 500 }]);
    const caseId = await fileCard(stores, directory, clock);
    const delivery = await stack();

    await delivery.work.runOnce();
    await delivery.work.runOnce();
    expect(connector.to(users.barnkontakt).map((request) => request.status)).toEqual([500]);

    clock.advance(60_000);
    await delivery.work.runOnce();

    expect(connector.to(users.barnkontakt).map((request) => request.status)).toEqual([500, 201]);
    expect((await outboxMessage(toNoticeId(caseId, 'nyttArende', 1))).status).toBe('delivered');
    expect(delivery.logged('Utgående meddelande försöks igen senare')[0]).toMatchObject({ ambiguous: true });
  });

  it('503 every time: parked after the attempts run out, and the fallback contact is told once', async () => {
    await saveConversations(stores, [users.barnkontakt, users.socialtjanst]);
    connector.script(
      'a:personal-maria',
      Array.from({ length: 10 }, () => ({ status: 503 })),
    );
    const caseId = await fileCard(stores, directory, clock);
    const id = toNoticeId(caseId, 'nyttArende', 1);
    const delivery = await stack({
      workOptions: { ...testWorkOptions, outbox: { ...testWorkOptions.outbox, maxAttempts: 3 } },
    });

    await sweepUntil(delivery, async () => (await outboxMessage(id)).status === 'parked');

    expect(await outboxMessage(id)).toMatchObject({
      status: 'parked',
      lastError: 'maxAttempts:retryable:503',
    });
    expect(connector.to(users.barnkontakt).map((request) => request.status)).toEqual([503, 503, 503]);
    // The sweeps here are an hour apart, so the fallback first hears the notice is late, once,
    // and then, once, that it was given up.
    const told = connector.to(users.socialtjanst).map((request) => String(request.body.text));
    expect(told.filter((text) => text.includes('är försenat'))).toHaveLength(1);
    expect(told.filter((text) => text.includes('kunde inte levereras'))).toHaveLength(1);
    const text = told.at(-1) ?? '';
    expect(text).toContain('kunde inte levereras till Maria Lind (Rektor)');
    expect(text).toMatch(/ärende BB-/);
    expect(text).not.toContain('Testbarn');
    expect(text).not.toContain(identityDigits);
  });

  it('403 BotNotInConversationRoster: parked at once, and the fallback is told why', async () => {
    await saveConversations(stores, [users.barnkontakt, users.socialtjanst]);
    connector.script('a:personal-maria', [
      {
        status: 403,
        body: {
          error: {
            code: 'BotNotInConversationRoster',
            message: 'The bot is not part of the conversation roster.',
          },
        },
      },
    ]);
    const caseId = await fileCard(stores, directory, clock);
    const id = toNoticeId(caseId, 'nyttArende', 1);
    const delivery = await stack();

    await delivery.work.runOnce();

    expect(await outboxMessage(id)).toMatchObject({
      status: 'parked',
      lastError: 'permanent:403:BotNotInConversationRoster',
      attempts: 1,
    });
    expect(connector.to(users.barnkontakt)).toHaveLength(1);
    const [told] = connector.to(users.socialtjanst);
    expect(String(told?.body.text)).toContain('inte installerad för mottagaren');
  });
});

describe('the Upptäckare, when the card does not reach the Barnkontakt', () => {
  function receiptTo(userId: string): { summary: string; text: string } {
    const [request, ...more] = connector.to(userId);
    expect(more).toEqual([]);
    const [attachment] = (request?.body.attachments ?? []) as { content: unknown }[];
    expect(
      findCardProblems(attachment?.content, { allowedVerbs: ['kvitto.visa', 'arende.oversikt'] }),
    ).toEqual([]);
    return { summary: String(request?.body.summary), text: readCardText(attachment?.content) };
  }

  it('hears that it waits because Maria has no chat with the bot yet, and that the fallback was told', async () => {
    await saveConversations(stores, [users.upptackare, users.socialtjanst]);
    await fileCard(stores, directory, clock);
    const delivery = await stack();

    await delivery.work.runOnce();
    clock.advance(30 * 60_000);
    await delivery.work.runOnce();

    const { summary, text } = receiptTo(users.upptackare);
    expect(summary).toMatch(
      /^Ditt Upptäckarkort BB-\S+ har inte kommit fram till Maria Lind \(Rektor\) ännu, eftersom hen inte har appen Backa barnet i Teams\./,
    );
    expect(summary).toContain('Kommunens reservkontakt');
    expect(text).toContain('har inte kommit fram till Barnkontakten Maria Lind');
    expect(text).not.toContain('har fått kortet');
    expect(text).not.toContain(identityDigits);
    expect(connector.to(users.socialtjanst)).toHaveLength(1);
  });

  it('hears that it could not be delivered (Teams refused it for good), and that the fallback was told', async () => {
    await saveConversations(stores, [users.barnkontakt, users.upptackare, users.socialtjanst]);
    connector.script('a:personal-maria', [
      { status: 403, body: { error: { code: 'BotNotInConversationRoster', message: 'Not in roster.' } } },
    ]);
    await fileCard(stores, directory, clock);
    const delivery = await stack();

    await delivery.work.runOnce();

    const { summary, text } = receiptTo(users.upptackare);
    expect(summary).toMatch(/^Ditt Upptäckarkort BB-\S+ kunde inte levereras till Maria Lind \(Rektor\)\./);
    expect(summary).toContain('har fått besked och ser till att kortet når fram');
    expect(text).toContain('Kortet kunde inte levereras till Barnkontakten Maria Lind');
    expect(connector.to(users.socialtjanst)).toHaveLength(1);
  });
});

describe('a recipient the bot has no conversation with', () => {
  it('keeps the message waiting, tells the fallback once, and delivers when the reference appears', async () => {
    await saveConversations(stores, [users.socialtjanst]);
    const caseId = await fileCard(stores, directory, clock);
    const id = toNoticeId(caseId, 'nyttArende', 1);
    const delivery = await stack();

    await delivery.work.runOnce();
    clock.advance(30 * 60_000);
    await delivery.work.runOnce();
    clock.advance(30 * 60_000);
    await delivery.work.runOnce();

    expect(await outboxMessage(id)).toMatchObject({
      status: 'pending',
      lastError: 'unreachable',
      attempts: 0,
    });
    expect(connector.to(users.barnkontakt)).toEqual([]);
    const told = connector.to(users.socialtjanst);
    expect(told).toHaveLength(1);
    expect(String(told[0]?.body.text)).toContain('ingen chatt med Maria Lind (Rektor)');
    expect(String(told[0]?.body.text)).toContain('installera appen för hela organisationen');

    await saveConversations(stores, [users.barnkontakt]);
    clock.advance(30 * 60_000);
    await delivery.work.runOnce();
    expect(connector.to(users.barnkontakt)).toHaveLength(1);
    expect((await outboxMessage(id)).status).toBe('delivered');
  });
});

describe('a restart between enqueue and delivery', () => {
  it('delivers the message once from the reopened store', async () => {
    await saveConversations(stores, [users.barnkontakt]);
    const caseId = await fileCard(stores, directory, clock);
    await stores.close();
    expect(connector.requests).toEqual([]);

    stores = openSqliteStores({ path });
    const delivery = await stack({ instanceId: 'efter-omstart' });
    await delivery.work.runOnce();
    clock.advance(60 * 60_000);
    await delivery.work.runOnce();

    expect(connector.to(users.barnkontakt)).toHaveLength(1);
    expect((await outboxMessage(toNoticeId(caseId, 'nyttArende', 1))).status).toBe('delivered');
  });
});

describe('consent withdrawn before delivery', () => {
  it('drops the notice: nothing is sent, and the drop is logged with its reason', async () => {
    await saveConversations(stores, [users.barnkontakt, users.socialtjanst]);
    const caseId = await fileCard(stores, directory, clock);
    const stored = await stores.cases.get(caseId);
    if (stored === undefined) throw new Error('ärendet saknas');
    await stores.cases.replace({ ...stored.value, state: 'samtyckeAterkallat' }, stored.etag);
    const delivery = await stack();

    await delivery.work.runOnce();

    expect(connector.requests).toEqual([]);
    const notice = await outboxMessage(toNoticeId(caseId, 'nyttArende', 1));
    expect(notice).toMatchObject({ status: 'dropped', lastError: 'consentWithdrawn' });
    expect(delivery.logged('Notisen skickades inte')[0]).toMatchObject({
      caseId,
      reason: 'consentWithdrawn',
    });
    expect((await stores.audit.listForCase(caseId)).at(-1)?.purpose).toContain('samtycket är återkallat');
  });
});

describe('what the Upptäckare and social services are sent', () => {
  async function answer(caseId: string, action: 'taEmot' | 'avboj' | 'skickaVidare', extra: object = {}) {
    const stored = await stores.cases.get(caseId);
    if (stored === undefined) throw new Error('ärendet saknas');
    clock.advance(60 * 60_000);
    const result = await respondToCase(
      {
        stores,
        directory,
        clock,
        identityKeySecret,
        newId: () => `${action}-${Date.now()}`,
        randomBytes: (n) => new Uint8Array(n),
      },
      { caseId, cardEtag: stored.etag, actor: rektor, action, at: clock.now().toISOString(), ...extra },
    );
    expect(result.outcome).toBe('applied');
  }

  it('Ta emot: the receipt card with "Mottaget av Maria Lind (Rektor)" on top, and no identity number', async () => {
    await saveConversations(stores, [users.barnkontakt, users.upptackare]);
    const caseId = await fileCard(stores, directory, clock);
    const delivery = await stack();
    await delivery.work.runOnce();
    await answer(caseId, 'taEmot');

    await delivery.work.runOnce();

    const [told, ...more] = connector.to(users.upptackare);
    expect(more).toEqual([]);
    expect(told?.body.summary).toMatch(
      /^Ditt Upptäckarkort BB-\S+ har tagits emot av Maria Lind \(Rektor\) den 4 mars 2025\.$/,
    );
    const card = JSON.stringify(told?.body.attachments);
    expect(card).toContain('Mottaget av Maria Lind');
    expect(card).not.toContain(identityDigits);
    expect(String(told?.body.summary)).not.toContain('Testbarn');
  });

  it('Avböj: the text points to the reason on the receipt', async () => {
    await saveConversations(stores, [users.barnkontakt, users.upptackare]);
    const caseId = await fileCard(stores, directory, clock);
    const delivery = await stack();
    await answer(caseId, 'avboj', { reason: 'Barnet har redan stöd via elevhälsan.' });

    await delivery.work.runOnce();

    // The card to Maria was answered before it went out: it is dropped, not sent stale.
    expect(connector.to(users.barnkontakt)).toEqual([]);
    const [told] = connector.to(users.upptackare);
    expect(told?.body.summary).toMatch(
      /har avböjts av Maria Lind \(Rektor\) den .+\. Skälet står i kvittot\.$/,
    );
    expect(JSON.stringify(told?.body.attachments)).toContain('Barnet har redan stöd via elevhälsan.');
  });

  it('Skicka vidare: the new Barnkontakt gets the card, the Upptäckare is told where it went', async () => {
    await saveConversations(stores, [users.barnkontakt, users.upptackare, users.annanBarnkontakt]);
    const caseId = await fileCard(stores, directory, clock);
    const delivery = await stack();
    await delivery.work.runOnce();
    await answer(caseId, 'skickaVidare', {
      reason: 'Barnet går på förskolan.',
      targetUnitId: 'larkans-forskola',
    });

    await delivery.work.runOnce();

    const [card] = connector.to(users.annanBarnkontakt);
    expect(JSON.stringify(card?.body.attachments)).toContain('Kortet har skickats vidare till dig');
    const [told] = connector.to(users.upptackare);
    expect(told?.body.summary).toMatch(
      /har skickats vidare till Sara Holm \(Rektor\) på Lärkans förskola den /,
    );
  });

  it('Orosanmälan: the intake gets the whole card, identity number included, and nobody else anything', async () => {
    await saveConversations(stores, [users.barnkontakt, users.upptackare, users.socialtjanst]);
    const caseId = await fileCardOnPath('orosanmalan');
    const delivery = await stack();

    await delivery.work.runOnce();

    expect(connector.requests.map((request) => request.conversationId)).toEqual(['a:personal-omar']);
    const [report] = connector.to(users.socialtjanst);
    expect(report?.body.summary).toMatch(
      /^En orosanmälan med bifogat Upptäckarkort har kommit in\. Ärende BB-/,
    );
    expect(JSON.stringify(report?.body.attachments)).toContain(childIdentityNumber);
    expect((await stores.audit.listForCase(caseId)).at(-1)?.purpose).toContain('anmälningsskyldigheten');
  });

  function fileCardOnPath(path: string): Promise<string> {
    return fileCard(stores, directory, clock, {
      draftId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
      card: { path, verbalConsent: 'false', consentGivenBy: '' },
    });
  }
});
