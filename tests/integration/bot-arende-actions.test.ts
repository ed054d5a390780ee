/**
 * The Barnkontakt's actions on the notification card and the card refreshes, through the real
 * HTTP endpoint and CloudAdapter in production mode (locally signed channel tokens), the Bot
 * Connector faked by nock at its real address, and the in-memory stores.
 *
 * The notification card is the one the bot really delivers: Alex files an Upptäckarkort through
 * the bot, the background work renders and sends the notice, and the test clicks the actions of
 * the card that reached Maria's chat.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../flows/kernel/ports.js';
import {
  buildActionExecute,
  buildTeamsMessage,
  nextActivityId,
  type Person,
  people,
  personalConversationId,
} from '../support/bot-activities.js';
import {
  type ConnectorRequest,
  closeNetworkExceptLoopback,
  fakeTeamsConnector,
  postAsTeams,
  productionTestConfig,
  type RunningBot,
  readCards,
  sampleTenantId,
  startBotWith,
} from '../support/bot-harness.js';
import {
  createSigningKey,
  type SigningKey,
  serveBotFrameworkKeys,
  serveEntraClientCredentials,
} from '../support/bot-tokens.js';
import { buildRawSubmit } from '../support/flow-fixtures.js';
import { createInMemoryStores, type InMemoryStores } from '../support/in-memory-stores.js';

/** Tuesday 3 March 2026, 10:00 in Stockholm: a working day in term time. */
const clock: Clock = { now: () => new Date('2026-03-03T09:00:00.000Z') };
const childName = 'Testbarn';

let key: SigningKey;
let bot: RunningBot<InMemoryStores>;
let connector: ConnectorRequest[];

interface InvokeAnswer {
  readonly statusCode: number;
  readonly type: string;
  readonly value: Record<string, unknown>;
}

interface CardAction {
  readonly verb: string;
  readonly data: { caseId: string; etag: string };
}

beforeAll(async () => {
  closeNetworkExceptLoopback();
  key = await createSigningKey('bf-key-arende');
});

beforeEach(async () => {
  serveBotFrameworkKeys([key]);
  serveEntraClientCredentials(sampleTenantId);
  connector = fakeTeamsConnector();
  bot = await startBotWith(productionTestConfig, { stores: createInMemoryStores(), clock });
  // Each person has written to the bot once, so the bot can reach them in their personal chat.
  for (const person of [people.alex, people.maria, people.sara]) {
    await postAsTeams(bot, key, buildTeamsMessage('hjälp', { person }));
  }
});

afterEach(async () => {
  await bot.stop();
  nock.cleanAll();
});

afterAll(() => nock.enableNetConnect());

async function invoke(person: Person, verb: string, data: Record<string, unknown>, id = nextActivityId()) {
  const response = await postAsTeams(bot, key, buildActionExecute(verb, data, { person, id }));
  expect(response.status).toBe(200);
  const answer = (await response.json()) as InvokeAnswer;
  expect(answer).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  return answer;
}

/** Alex files a card through the bot ("ny upptäckt", then submit); returns the case id. */
async function fileCase(overrides: Record<string, string> = {}): Promise<string> {
  await postAsTeams(bot, key, buildTeamsMessage('ny upptäckt'));
  const card = JSON.stringify(readCards(connector.at(-1)?.body ?? {})[0]);
  const draftId = /"draftId":"([^"]+)"/.exec(card)?.[1] ?? '';
  await invoke(people.alex, 'upptackarkort.skicka', buildRawSubmit({ draftId, ...overrides }));
  return `arende-${draftId}`;
}

/** Delivers what is due and returns the newest card that reached `person`'s personal chat. */
async function deliverAndReadCard(person: Person): Promise<Record<string, unknown>> {
  await bot.backgroundWork.runOnce();
  const path = `/v3/conversations/${personalConversationId(person)}/activities`;
  const card = connector
    .filter((request) => request.path === path)
    .flatMap((request) => readCards(request.body))
    .at(-1);
  if (card === undefined) throw new Error(`Inget kort kom fram till ${person.name}`);
  return card;
}

function findAction(card: Record<string, unknown>, verb: string): CardAction {
  let found: CardAction | undefined;
  const visit = (node: unknown) => {
    if (found !== undefined || typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) return node.forEach(visit);
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.Execute' && record.verb === verb) {
      found = { verb, data: record.data as CardAction['data'] };
      return;
    }
    Object.values(record).forEach(visit);
  };
  visit(card);
  if (found === undefined) throw new Error(`Kortet saknar ${verb}`);
  return found;
}

function auditOf(caseId: string, actor: Person) {
  return bot.stores
    .snapshot()
    .audit.filter((entry) => entry.caseId === caseId && entry.actor === actor.aadObjectId);
}

function noticesTo(person: Person, notice: string) {
  return bot.stores
    .snapshot()
    .outbox.filter(
      (message) =>
        message.recipientKey === person.aadObjectId &&
        message.payload.kind === 'notice' &&
        message.payload.notice === notice,
    );
}

describe('Ta emot', () => {
  it('answers with the answered card, and a double click gets the same card and sends one notice', async () => {
    const caseId = await fileCase();
    const notification = await deliverAndReadCard(people.maria);
    expect(JSON.stringify(notification)).toContain(childName);
    const taEmot = findAction(notification, 'arende.taEmot');
    expect(taEmot.data.caseId).toBe(caseId);

    const first = await invoke(people.maria, 'arende.taEmot', taEmot.data);
    const second = await invoke(people.maria, 'arende.taEmot', taEmot.data);

    expect(JSON.stringify(first.value)).toContain('Du tog emot ärendet den 3 mars 2026.');
    expect(second.value).toEqual(first.value);
    expect(JSON.stringify(first.value)).not.toContain('arende.taEmot');
    expect(bot.stores.snapshot().cases[0]?.state).toBe('mottagen');
    expect(noticesTo(people.alex, 'mottaget')).toHaveLength(1);

    // Alex hears it once: one message about the answer reaches the personal chat.
    const before = connector.length;
    await bot.backgroundWork.runOnce();
    await bot.backgroundWork.runOnce();
    const toAlex = connector
      .slice(before)
      .filter(
        (request) => request.path === `/v3/conversations/${personalConversationId(people.alex)}/activities`,
      );
    expect(toAlex).toHaveLength(1);
    expect(JSON.stringify(toAlex[0]?.body)).toContain('Mottaget av Maria Lind');
  });

  it('shows the current card with a notice when the card is older than the case', async () => {
    await fileCase();
    const original = await deliverAndReadCard(people.maria);
    const taEmot = findAction(original, 'arende.taEmot');

    // Maria forwards the card to Lärkans förskola; Sara sends it back to Björkskolan.
    const forward = findAction(original, 'arende.skickaVidare');
    await invoke(people.maria, 'arende.skickaVidare', {
      ...forward.data,
      targetUnitId: 'larkans-forskola',
      forwardReason: 'Barnet går på Lärkans förskola.',
    });
    const atSara = await deliverAndReadCard(people.sara);
    await invoke(people.sara, 'arende.skickaVidare', {
      ...findAction(atSara, 'arende.skickaVidare').data,
      targetUnitId: 'bjorkskolan',
      forwardReason: 'Barnet har börjat i förskoleklass på Björkskolan.',
    });

    const answer = await invoke(people.maria, 'arende.taEmot', taEmot.data);

    const card = JSON.stringify(answer.value);
    expect(card).toContain('Kortet var inte längre aktuellt');
    const current = findAction(answer.value, 'arende.taEmot');
    expect(current.data.caseId).toBe(taEmot.data.caseId);
    expect(current.data.etag).not.toBe(taEmot.data.etag);
    expect(bot.stores.snapshot().cases[0]?.state).toBe('vantarPaBarnkontakt');

    // The current card works.
    const accepted = await invoke(people.maria, 'arende.taEmot', current.data);
    expect(JSON.stringify(accepted.value)).toContain('Du tog emot ärendet');
  });

  it('keeps the notification and shows what is missing when Avböj has no reason', async () => {
    await fileCase();
    const avboj = findAction(await deliverAndReadCard(people.maria), 'arende.avboj');

    const answer = await invoke(people.maria, 'arende.avboj', { ...avboj.data, declineReason: '  ' });

    const card = JSON.stringify(answer.value);
    expect(card).toContain('arende.avboj');
    expect(card).toMatch(/skäl/i);
    expect(bot.stores.snapshot().cases[0]?.state).toBe('vantarPaBarnkontakt');
  });
});

describe('who may act', () => {
  it.each([
    ['the Upptäckare', people.alex],
    ['a Barnkontakt of another unit', people.sara],
  ])('refuses %s, shows no case data and audits the attempt', async (_who, person) => {
    const caseId = await fileCase();
    const taEmot = findAction(await deliverAndReadCard(people.maria), 'arende.taEmot');

    const answer = await invoke(person, 'arende.taEmot', taEmot.data);

    const card = JSON.stringify(answer.value);
    expect(card).toContain('Åtgärden nekades');
    const reference = bot.stores.snapshot().cases[0]?.reference ?? 'saknas';
    for (const secret of [childName, reference, 'tyst och trött']) expect(card).not.toContain(secret);
    expect(auditOf(caseId, person).filter((entry) => entry.action !== 'skapaArende')).toEqual([
      expect.objectContaining({ action: 'taEmot', outcome: 'refused' }),
    ]);
    expect(bot.stores.snapshot().cases[0]?.state).toBe('vantarPaBarnkontakt');
  });

  it('refuses a card payload replayed with another case id, and audits it', async () => {
    const mariasCase = await fileCase();
    const taEmot = findAction(await deliverAndReadCard(people.maria), 'arende.taEmot');
    // A younger child at Lärkans förskola: Sara's case, where Maria has no role.
    const sarasCase = await fileCase({
      childIdentityNumber: '',
      childBirthDate: '2022-01-15',
      unitId: 'larkans-forskola',
    });

    const answer = await invoke(people.maria, 'arende.taEmot', { ...taEmot.data, caseId: sarasCase });

    expect(JSON.stringify(answer.value)).toContain('Åtgärden nekades');
    expect(auditOf(sarasCase, people.maria)).toEqual([
      expect.objectContaining({ action: 'taEmot', outcome: 'refused' }),
    ]);
    const states = Object.fromEntries(bot.stores.snapshot().cases.map((value) => [value.id, value.state]));
    expect(states).toEqual({ [mariasCase]: 'vantarPaBarnkontakt', [sarasCase]: 'vantarPaBarnkontakt' });
  });
});

describe('card refresh', () => {
  it('shows the Barnkontakt the current card and the Upptäckare the receipt, each read audited', async () => {
    const caseId = await fileCase();
    const taEmot = findAction(await deliverAndReadCard(people.maria), 'arende.taEmot');
    await invoke(people.maria, 'arende.taEmot', taEmot.data);

    const forMaria = await invoke(people.maria, 'arende.visa', { caseId });
    const receipt = await invoke(people.alex, 'kvitto.visa', { caseId });

    expect(JSON.stringify(forMaria.value)).toContain('Du tog emot ärendet');
    expect(JSON.stringify(receipt.value)).toContain('Mottaget av Maria Lind den 3 mars 2026');
    expect(auditOf(caseId, people.alex)).toContainEqual(
      expect.objectContaining({ action: 'lasArende', outcome: 'allowed' }),
    );
  });

  it('refuses a refresh by someone without a role in the case, and audits it', async () => {
    const caseId = await fileCase();

    const barnkontaktCard = await invoke(people.sara, 'arende.visa', { caseId });
    const receipt = await invoke(people.maria, 'kvitto.visa', { caseId });

    for (const answer of [barnkontaktCard, receipt]) {
      expect(JSON.stringify(answer.value)).not.toContain(childName);
    }
    expect(auditOf(caseId, people.sara)).toEqual([
      expect.objectContaining({ action: 'lasArende', outcome: 'refused' }),
    ]);
    expect(auditOf(caseId, people.maria)).toEqual([
      expect.objectContaining({ action: 'lasArende', outcome: 'refused' }),
    ]);
  });
});
