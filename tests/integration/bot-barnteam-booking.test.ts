/**
 * Issue 4's remaining Teams handlers through the real HTTP endpoint in production mode (signed
 * channel tokens, the Bot Connector faked by nock): the entry buttons on the answered
 * Barnkontakt card, the Samtal card, and booking a Barnteam in the embedded calendar on a temp file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compassAreaKeys } from '../../flows/kernel/compass.js';
import type { Clock } from '../../flows/kernel/ports.js';
import { type EmbeddedCalendar, openEmbeddedCalendar } from '../../infra/calendar/embedded-calendar.js';
import { buildCase, buildConsent, users } from '../fixtures/case-fixtures.js';
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
const entryVerbs = ['samtycke.visa', 'samtal.visa', 'beslut.visa'];
const barnteamCaseId = 'arende-barnteam-0001';
const childGivenName = 'Testbarn';

let key: SigningKey;
let bot: RunningBot<InMemoryStores>;
let connector: ConnectorRequest[];
let calendar: EmbeddedCalendar;
let calendarDir: string;

interface InvokeAnswer {
  readonly statusCode: number;
  readonly type: string;
  readonly value: Record<string, unknown>;
}

beforeAll(async () => {
  closeNetworkExceptLoopback();
  key = await createSigningKey('bf-key-issue4-booking');
});

beforeEach(async () => {
  serveBotFrameworkKeys([key]);
  serveEntraClientCredentials(sampleTenantId);
  connector = fakeTeamsConnector();
  calendarDir = mkdtempSync(join(tmpdir(), 'backa-kalender-'));
  calendar = openEmbeddedCalendar({ path: join(calendarDir, 'kalender.sqlite') });
  bot = await startBotWith(productionTestConfig, { stores: createInMemoryStores(), clock, calendar });
  for (const person of [people.alex, people.maria, people.sara]) {
    await postAsTeams(bot, key, buildTeamsMessage('hjälp', { person }));
  }
});

afterEach(async () => {
  await bot.stop();
  calendar.close();
  rmSync(calendarDir, { recursive: true, force: true });
  nock.cleanAll();
});

afterAll(() => nock.enableNetConnect());

async function invoke(person: Person, verb: string, data: Record<string, unknown>) {
  const response = await postAsTeams(
    bot,
    key,
    buildActionExecute(verb, data, { person, id: nextActivityId() }),
  );
  expect(response.status).toBe(200);
  const answer = (await response.json()) as InvokeAnswer;
  expect(answer).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  return answer.value;
}

/** Every `Action.Execute` of a card, at any depth. */
function listActions(card: unknown): { verb: string; data: Record<string, unknown> }[] {
  const found: { verb: string; data: Record<string, unknown> }[] = [];
  const visit = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) return node.forEach(visit);
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.Execute' && typeof record.verb === 'string') {
      found.push({ verb: record.verb, data: (record.data ?? {}) as Record<string, unknown> });
    }
    Object.values(record).forEach(visit);
  };
  visit(card);
  return found;
}

function findAction(card: unknown, verb: string) {
  const action = listActions(card).find((item) => item.verb === verb);
  if (action === undefined) throw new Error(`Kortet saknar ${verb}`);
  return action;
}

/** The first choice of the `Input.ChoiceSet` with this id. */
function firstChoice(card: unknown, id: string): string {
  const text = JSON.stringify(card);
  const start = text.indexOf(`"id":"${id}"`);
  const value = /"value":"([^"]+)"/.exec(text.slice(start))?.[1];
  if (start < 0 || value === undefined) throw new Error(`Kortet saknar valet ${id}`);
  return value;
}

/** Alex files a card, Maria gets the notification and takes the case; returns the answer card. */
async function fileAndTakeCase(): Promise<{ caseId: string; answered: Record<string, unknown> }> {
  await postAsTeams(bot, key, buildTeamsMessage('ny upptäckt'));
  const form = JSON.stringify(readCards(connector.at(-1)?.body ?? {})[0]);
  const draftId = /"draftId":"([^"]+)"/.exec(form)?.[1] ?? '';
  await invoke(people.alex, 'upptackarkort.skicka', buildRawSubmit({ draftId }));
  await bot.backgroundWork.runOnce();
  const path = `/v3/conversations/${personalConversationId(people.maria)}/activities`;
  const notis = connector
    .filter((request) => request.path === path)
    .flatMap((request) => readCards(request.body))
    .at(-1);
  const taEmot = findAction(notis, 'arende.taEmot');
  const answered = await invoke(people.maria, 'arende.taEmot', taEmot.data);
  return { caseId: String(taEmot.data.caseId), answered };
}

function countCalendarEvents(): number {
  const db = new Database(join(calendarDir, 'kalender.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM calendar_events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('the answered Barnkontakt card', () => {
  it('leads on to Samtycke, Barnsamtal and Beslut for the Barnkontakt, and shows no such button to others', async () => {
    const { caseId, answered } = await fileAndTakeCase();
    const verbs = listActions(answered).map((action) => action.verb);
    expect(verbs).toEqual(expect.arrayContaining(entryVerbs));
    for (const verb of entryVerbs) expect(findAction(answered, verb).data).toEqual({ caseId });

    const refreshed = await invoke(people.maria, 'arende.visa', { caseId });
    expect(listActions(refreshed).map((action) => action.verb)).toEqual(expect.arrayContaining(entryVerbs));
    for (const person of [people.alex, people.sara, people.johan]) {
      const other = await invoke(person, 'arende.visa', { caseId });
      const otherVerbs = listActions(other).map((action) => action.verb);
      for (const verb of entryVerbs) expect(otherVerbs).not.toContain(verb);
    }
  });

  it('opens the Samtal card; a saved talk moves the case from mottagen to samtal', async () => {
    const { caseId } = await fileAndTakeCase();
    expect((await bot.stores.cases.get(caseId))?.value.state).toBe('mottagen');
    const samtal = await invoke(people.maria, 'samtal.visa', { caseId });
    const spara = findAction(samtal, 'samtal.spara');
    const [firstArea, secondArea] = compassAreaKeys;
    const answer = await invoke(people.maria, 'samtal.spara', {
      ...spara.data,
      kind: 'barnsamtal',
      heldOn: '2026-03-03',
      perspectives: 'barnet',
      underlag: '6-12',
      [`rating_barnet_${firstArea}`]: '2',
      [`comment_barnet_${firstArea}`]: 'Barnet säger att rasterna är svåra.',
      [`rating_barnet_${secondArea}`]: '4',
    });
    const stored = (await bot.stores.cases.get(caseId))?.value;
    expect(stored?.state).toBe('samtal');
    expect(stored?.samtal).toHaveLength(1);
    expect(stored?.samtal?.[0]?.perspectives.barnet?.[0]).toMatchObject({ key: firstArea, rating: 2 });
    const text = JSON.stringify(answer);
    expect(text).toContain('Sparat.');
    expect(text).toContain('Jämförelse med förra samtalet');

    // The same submit again (a double click) records one talk.
    await invoke(people.maria, 'samtal.spara', {
      ...spara.data,
      kind: 'barnsamtal',
      heldOn: '2026-03-03',
      perspectives: 'barnet',
    });
    expect((await bot.stores.cases.get(caseId))?.value.samtal).toHaveLength(1);
  });
});

describe('booking a Barnteam', () => {
  beforeEach(async () => {
    await bot.stores.cases.create(
      buildCase({
        id: barnteamCaseId,
        reference: 'BB-7TQX-3K2M',
        state: 'barnteam',
        child: { givenName: childGivenName, familyName: 'Exempel', birthDate: '2015-05-20' },
        consents: [buildConsent('muntligt'), buildConsent('skriftligt')],
      }),
    );
  });

  async function proposeTimes(person: Person) {
    const boka = await invoke(people.maria, 'barnteam.visa', { caseId: barnteamCaseId });
    const foresla = findAction(boka, 'barnteam.foreslaTider');
    return invoke(person, 'barnteam.foreslaTider', { ...foresla.data, agendaCaseIds: barnteamCaseId });
  }

  it('books one meeting in the store and the calendar, with a join link and no child name, even on a double click', async () => {
    const proposed = await proposeTimes(people.maria);
    const boka = findAction(proposed, 'barnteam.boka');
    const submit = { ...boka.data, agendaCaseIds: barnteamCaseId, slot: firstChoice(proposed, 'slot') };

    const booked = await invoke(people.maria, 'barnteam.boka', submit);
    const again = await invoke(people.maria, 'barnteam.boka', submit);

    expect(bot.stores.snapshot().meetings).toHaveLength(1);
    expect(bot.stores.snapshot().meetings[0]?.state).toBe('booked');
    expect(countCalendarEvents()).toBe(1);
    for (const card of [booked, again]) {
      const text = JSON.stringify(card);
      expect(text).toContain('BB-7TQX-3K2M');
      expect(text).toMatch(/"url":"https?:\/\/[^"]+"/);
      expect(text).not.toContain(childGivenName);
      expect(text).not.toMatch(/\d{8}-?\d{4}/);
      expect(listActions(card).map((action) => action.verb)).toContain('barnteam.flytta');
    }
    expect(JSON.stringify(again)).toContain('Barnteam är redan bokat.');
  });

  it('refuses anyone but the convener, and books nothing', async () => {
    const opened = await invoke(people.sara, 'barnteam.visa', { caseId: barnteamCaseId });
    expect(JSON.stringify(opened)).toContain('Åtgärden nekades');
    expect(listActions(opened)).toEqual([]);

    const proposed = await proposeTimes(people.sara);
    expect(JSON.stringify(proposed)).toContain('Bara enhetens Barnkontakt kan boka Barnteam');
    const booked = await invoke(people.sara, 'barnteam.boka', {
      unitId: 'bjorkskolan',
      meetingId: 'forslag-fran-annan-0001',
      agendaCaseIds: barnteamCaseId,
      slot: '2026-03-05T08:00:00.000Z',
    });
    expect(JSON.stringify(booked)).toContain('Bara enhetens Barnkontakt kan boka Barnteam');
    expect(bot.stores.snapshot().meetings).toHaveLength(0);
    expect(countCalendarEvents()).toBe(0);
  });

  it('opens the booking card on "boka barnteam" with every child of the unit waiting, and books them together', async () => {
    const secondCaseId = 'arende-barnteam-0002';
    await bot.stores.cases.create(
      buildCase({
        id: secondCaseId,
        reference: 'BB-9PLM-4R8N',
        state: 'barnteam',
        child: { givenName: 'Andrabarn', familyName: 'Prov', birthDate: '2016-01-12' },
        consents: [buildConsent('muntligt'), buildConsent('skriftligt')],
      }),
    );
    await bot.stores.cases.create(
      buildCase({
        id: 'arende-larkan-0001',
        reference: 'BB-2LRK-8F5S',
        unitId: 'larkans-forskola',
        state: 'barnteam',
        child: { givenName: 'Lärkbarn', familyName: 'Annan', birthDate: '2021-06-01' },
        consents: [buildConsent('muntligt'), buildConsent('skriftligt')],
      }),
    );

    await postAsTeams(bot, key, buildTeamsMessage('boka barnteam', { person: people.maria }));
    const cards = readCards(connector.at(-1)?.body ?? {});
    expect(cards).toHaveLength(1);
    const text = JSON.stringify(cards[0]);
    const references = new Set(text.match(/BB-[0-9A-Z]{4}-[0-9A-Z]{4}/g));
    expect([...references].sort()).toEqual(['BB-7TQX-3K2M', 'BB-9PLM-4R8N']);
    expect(text).toContain('T.E.');
    expect(text).toContain('A.P.');
    for (const name of [childGivenName, 'Exempel', 'Andrabarn', 'Prov', 'Lärkbarn']) {
      expect(text).not.toContain(name);
    }

    const foresla = findAction(cards[0], 'barnteam.foreslaTider');
    const agendaCaseIds = `${barnteamCaseId},${secondCaseId}`;
    const proposed = await invoke(people.maria, 'barnteam.foreslaTider', { ...foresla.data, agendaCaseIds });
    const boka = findAction(proposed, 'barnteam.boka');
    await invoke(people.maria, 'barnteam.boka', {
      ...boka.data,
      agendaCaseIds,
      slot: firstChoice(proposed, 'slot'),
    });

    const meetings = bot.stores.snapshot().meetings;
    expect(meetings).toHaveLength(1);
    expect(meetings[0]?.state).toBe('booked');
    expect(meetings[0]?.agenda.map((item) => item.caseId).sort()).toEqual([barnteamCaseId, secondCaseId]);
    expect(countCalendarEvents()).toBe(1);
  });

  it('answers "boka barnteam" with a text when no child of the convener\'s units waits, and refuses others', async () => {
    await postAsTeams(bot, key, buildTeamsMessage('boka barnteam', { person: people.sara }));
    expect(String(connector.at(-1)?.body?.text)).toContain('Inget barn väntar på Barnteam');
    expect(readCards(connector.at(-1)?.body ?? {})).toEqual([]);

    await postAsTeams(bot, key, buildTeamsMessage('boka barnteam', { person: people.alex }));
    expect(String(connector.at(-1)?.body?.text)).toContain('Bara en enhets Barnkontakt');
    expect(users.barnkontakt).toBe(people.maria.aadObjectId);
  });
});
