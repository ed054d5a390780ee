/**
 * The Barnkontakt's cards after taking a case (Samtycke, Beslut) through the real HTTP endpoint
 * and CloudAdapter in production mode (locally signed channel tokens), the Bot Connector faked by
 * nock, and the in-memory stores holding a case in the state "samtal".
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { skattningsformularInputIds } from '../../cards/barnteam/skattningsformular.js';
import type { Case } from '../../flows/kernel/case.js';
import type { BarnteamMeeting, Clock } from '../../flows/kernel/ports.js';
import { buildCase, buildConsent, users } from '../fixtures/case-fixtures.js';
import { buildActionExecute, nextActivityId, type Person, people } from '../support/bot-activities.js';
import {
  closeNetworkExceptLoopback,
  fakeTeamsConnector,
  postAsTeams,
  productionTestConfig,
  type RunningBot,
  sampleTenantId,
  startBotWith,
} from '../support/bot-harness.js';
import {
  createSigningKey,
  type SigningKey,
  serveBotFrameworkKeys,
  serveEntraClientCredentials,
} from '../support/bot-tokens.js';
import { createInMemoryStores, type InMemoryStores } from '../support/in-memory-stores.js';

/** Tuesday 3 March 2026, 10:00 in Stockholm. */
const clock: Clock = { now: () => new Date('2026-03-03T09:00:00.000Z') };
const caseId = 'arende-issue4-0001';
const reference = 'BB-4K7Q-2M9C';

let key: SigningKey;
let bot: RunningBot<InMemoryStores>;

interface InvokeAnswer {
  readonly statusCode: number;
  readonly type: string;
  readonly value: Record<string, unknown>;
}

beforeAll(async () => {
  closeNetworkExceptLoopback();
  key = await createSigningKey('bf-key-issue4');
});

beforeEach(async () => {
  serveBotFrameworkKeys([key]);
  serveEntraClientCredentials(sampleTenantId);
  fakeTeamsConnector();
  bot = await startBotWith(productionTestConfig, { stores: createInMemoryStores(), clock });
});

afterEach(async () => {
  await bot.stop();
  nock.cleanAll();
});

afterAll(() => nock.enableNetConnect());

function caseInSamtal(overrides: Partial<Case> = {}): Case {
  return buildCase({
    id: caseId,
    reference,
    state: 'samtal',
    consents: [buildConsent('muntligt')],
    chronology: [
      {
        at: '2026-02-20T12:00:00.000Z',
        by: users.barnkontakt,
        event: 'taEmot',
        from: 'vantarPaBarnkontakt',
        to: 'mottagen',
      },
      {
        at: '2026-02-25T12:00:00.000Z',
        by: users.barnkontakt,
        event: 'paborjaSamtal',
        from: 'mottagen',
        to: 'samtal',
      },
    ],
    ...overrides,
  });
}

async function invoke(person: Person, verb: string, data: Record<string, unknown>) {
  const response = await postAsTeams(
    bot,
    key,
    buildActionExecute(verb, data, { person, id: nextActivityId() }),
  );
  expect(response.status).toBe(200);
  const answer = (await response.json()) as InvokeAnswer;
  expect(answer).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  return answer;
}

/** Opens a card for the case and returns it with the version it carries. */
async function openCard(person: Person, verb: string) {
  const answer = await invoke(person, verb, { caseId });
  const etag = /"etag":"([^"]+)"/.exec(JSON.stringify(answer.value))?.[1];
  return { card: answer.value, text: JSON.stringify(answer.value), etag };
}

const allAnswered = {
  principle_tidigInsats: 'ja',
  principle_barnetsBasta: 'ja',
  principle_helaSituationen: 'delvis',
  principle_gemensamPlan: 'nej',
  principleComment_barnetsBasta: 'Barnet har själv bett om hjälp.',
};

describe('Beslut: Barnteam', () => {
  it('without written consent comes back as the beslut card with the Swedish reason, and nothing changes', async () => {
    await bot.stores.cases.create(caseInSamtal());
    const opened = await openCard(people.maria, 'beslut.visa');
    expect(opened.text).toContain('Skriftligt samtycke saknas');

    const answer = await invoke(people.maria, 'beslut.spara', {
      caseId,
      etag: opened.etag,
      decision: 'barnteam',
      ...allAnswered,
    });

    const card = JSON.stringify(answer.value);
    expect(card).toContain('Skriftligt samtycke saknas: registrera det undertecknade skriftliga samtycket');
    // The same card with the user's answers kept, not a bare message.
    expect(card).toContain('beslut.spara');
    expect(card).toContain('Barnet har själv bett om hjälp.');
    expect((await bot.stores.cases.get(caseId))?.value.state).toBe('samtal');
  });

  it('is allowed once the written consent is recorded through the Samtycke card', async () => {
    await bot.stores.cases.create(caseInSamtal());
    const samtycke = await openCard(people.maria, 'samtycke.visa');
    expect(samtycke.text).toContain(reference);

    const recorded = await invoke(people.maria, 'samtycke.registrera', {
      caseId,
      etag: samtycke.etag,
      step: 'skriftligt',
      givenBy: 'vardnadshavare,barnet',
      scope: 'Björkskolan, elevhälsan och socialtjänsten får dela det som behövs.',
      documentReference: 'Dnr 2026:14',
    });
    expect(JSON.stringify(recorded.value)).toContain('Sparat.');
    const consents = (await bot.stores.cases.get(caseId))?.value.consents ?? [];
    expect(consents.map((consent) => consent.step)).toEqual(['muntligt', 'skriftligt']);
    expect(consents[1]?.givenBy).toEqual(['vardnadshavare', 'barnet']);
    expect(consents[1]?.recordedBy).toBe(people.maria.aadObjectId);

    const beslut = await openCard(people.maria, 'beslut.visa');
    expect(beslut.text).not.toContain('Skriftligt samtycke saknas');
    const answer = await invoke(people.maria, 'beslut.spara', {
      caseId,
      etag: beslut.etag,
      decision: 'barnteam',
      ...allAnswered,
    });

    expect(JSON.stringify(answer.value)).toContain('Sparat.');
    const stored = (await bot.stores.cases.get(caseId))?.value;
    expect(stored?.state).toBe('barnteam');
    expect(stored?.beslut?.at(-1)?.principles).toBeDefined();
  });

  it('a written consent without the signed form comes back with the message under the field', async () => {
    await bot.stores.cases.create(caseInSamtal());
    const samtycke = await openCard(people.maria, 'samtycke.visa');
    const answer = await invoke(people.maria, 'samtycke.registrera', {
      caseId,
      etag: samtycke.etag,
      step: 'skriftligt',
      givenBy: 'vardnadshavare',
      scope: 'Elevhälsan får dela det som behövs.',
    });
    const card = JSON.stringify(answer.value);
    expect(card).toContain('Ange var den undertecknade samtyckesblanketten finns');
    expect(card).toContain('Elevhälsan får dela det som behövs.');
    expect((await bot.stores.cases.get(caseId))?.value.consents).toHaveLength(1);
  });
});

describe('a user without the Barnkontakt role', () => {
  it('is refused the cards and the decision, with no case data in the answer', async () => {
    await bot.stores.cases.create(
      caseInSamtal({ consents: [buildConsent('muntligt'), buildConsent('skriftligt')] }),
    );
    const { etag } = (await bot.stores.cases.get(caseId)) ?? { etag: '' };

    const opened = await invoke(people.sara, 'beslut.visa', { caseId });
    const decided = await invoke(people.sara, 'beslut.spara', {
      caseId,
      etag,
      decision: 'barnteam',
      ...allAnswered,
    });

    for (const answer of [opened, decided]) {
      const card = JSON.stringify(answer.value);
      expect(card).toContain('Åtgärden nekades');
      expect(card).not.toContain('Testbarn');
      expect(card).not.toContain(reference);
    }
    expect((await bot.stores.cases.get(caseId))?.value.state).toBe('samtal');
  });
});

/** Karin Sjöberg, skolsköterska: a member of Björkskolan's Barnteam in the sample directory. */
const karin = { id: '29:karin', aadObjectId: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e21', name: 'Karin Sjöberg' };
const meetingId = 'barnteam-bjorkskolan-2026-03-10';

function bookedMeeting(): BarnteamMeeting {
  return {
    id: meetingId,
    unitId: 'bjorkskolan',
    convenerUserId: people.maria.aadObjectId,
    state: 'booked',
    start: '2026-03-10T08:00:00.000Z',
    end: '2026-03-10T09:00:00.000Z',
    agenda: [{ caseId, reference, initials: 'TE' }],
    members: [
      { userId: karin.aadObjectId, email: 'karin.sjoberg@exempelby.se', role: 'elevhalsa', required: true },
    ],
    createdAt: '2026-03-03T08:00:00.000Z',
    updatedAt: '2026-03-03T08:00:00.000Z',
  };
}

/** An invoke from someone who is not one of the harness's people (a Barnteam member). */
async function invokeAs(from: typeof karin, verb: string, data: Record<string, unknown>) {
  const activity = { ...buildActionExecute(verb, data, { person: people.maria }), from };
  const response = await postAsTeams(bot, key, activity);
  expect(response.status).toBe(200);
  return ((await response.json()) as InvokeAnswer).value;
}

function ratings(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    skattningsformularInputIds.map((id) => [id, values[id] ?? (id.startsWith('rating_') ? '3' : '')]),
  );
}

describe('Skattningsformulär', () => {
  beforeEach(async () => {
    await bot.stores.cases.create(
      caseInSamtal({ state: 'barnteam', consents: [buildConsent('muntligt'), buildConsent('skriftligt')] }),
    );
    await bot.stores.meetings.create(bookedMeeting());
  });

  it('a member opens the form from the reminder and gets the joint compass after answering', async () => {
    const form = JSON.stringify(await invokeAs(karin, 'skattning.oppna', { meetingId, caseId }));
    expect(form).toContain('skattning.spara');
    expect(form).toContain('TE');
    expect(form).not.toContain('Testbarn');

    const answer = await invokeAs(karin, 'skattning.spara', {
      meetingId,
      caseId,
      ...ratings({
        rating_maBra: '1',
        comment_maBra: 'Ofta frånvarande med huvudvärk.',
        rating_fritid: 'vetEj',
      }),
    });

    const card = JSON.stringify(answer);
    expect(card).toContain('barnteam.utfall');
    expect(card).toContain('Ofta frånvarande med huvudvärk.');
    expect(card).not.toContain('Testbarn');
    // No updated written consent yet: Individuellt barnteam is offered disabled, with the reason.
    expect(card).toContain('Uppdaterat skriftligt samtycke saknas');
    expect(card).toContain('"isEnabled":false');
    const stored = (await bot.stores.cases.get(caseId))?.value;
    expect(stored?.skattningar?.map((entry) => entry.rater.userId)).toEqual([karin.aadObjectId]);
  });

  it('an invalid rating comes back as the form with the typed values and the error under the field', async () => {
    const answer = JSON.stringify(
      await invokeAs(karin, 'skattning.spara', {
        meetingId,
        caseId,
        ...ratings({ rating_omsorg: '9', comment_ansvar: 'Trivs i klassen.' }),
      }),
    );
    expect(answer).toContain('skattning.spara');
    expect(answer).toContain('Välj en skattning');
    expect(answer).toContain('Trivs i klassen.');
  });

  it('a non-member is refused, and nothing is stored', async () => {
    const opened = JSON.stringify(await invoke(people.sara, 'skattning.oppna', { meetingId, caseId }));
    const saved = JSON.stringify(
      await invoke(people.sara, 'skattning.spara', { meetingId, caseId, ...ratings({}) }),
    );
    for (const card of [opened, saved]) {
      expect(card).toContain('Bara Barnteamets medlemmar');
      expect(card).not.toContain(reference);
    }
    const stored = (await bot.stores.cases.get(caseId))?.value as Case & { skattningar?: unknown[] };
    expect(stored.skattningar ?? []).toHaveLength(0);
  });
});
