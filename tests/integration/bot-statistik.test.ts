/**
 * `statistik` through the bot as Teams talks to it: the process team's card of a term's figures
 * and its CSV link on the bot's own server, a refusal for anyone else, and the audit of each.
 * The figures come from fixture TermFigures handed to the bot in place of the pipeline.
 */
import { describe, expect, it } from 'vitest';
import { followUpFiguresAuditKey } from '../../flows/follow-up-figures/read-term-figures.js';
import type { Term } from '../../flows/follow-up-figures/term-figures.js';
import { loadConfig } from '../../infra/config.js';
import { sampleTermFigures } from '../fixtures/term-figures-fixture.js';
import { people, personalConversationId } from '../support/bot-activities.js';
import { sampleTenantId, testAppId, testAppPassword } from '../support/bot-harness.js';
import { readCardText } from '../support/card-validation.js';
import { useTeamsBot } from '../support/teams-bot.js';

const publicBaseUrl = 'https://backa.exempelby.se';
const asked: Term[] = [];

const teams = useTeamsBot({
  greet: [people.alex, people.maria],
  config: loadConfig({
    BOT_MODE: 'production',
    MicrosoftAppId: testAppId,
    MicrosoftAppPassword: testAppPassword,
    MicrosoftAppTenantId: sampleTenantId,
    MicrosoftAppType: 'SingleTenant',
    ALLOWED_TENANT_IDS: sampleTenantId,
    IDENTITY_HASH_KEY: 'test-identity-hash-key-of-32-bytes-or-more',
    STORE: 'cosmos',
    COSMOS_ENDPOINT: 'https://exempelby.documents.azure.com:443/',
    COSMOS_DATABASE: 'backa',
    DIRECTORY_FILE: 'config/directory.sample.yaml',
    PUBLIC_BASE_URL: publicBaseUrl,
    TAB_SSO_CLIENT_ID: '22222222-3333-4444-8555-666666666666',
  }),
  computeTermFigures: async (term) => {
    asked.push(term);
    return { ...sampleTermFigures, term };
  },
});

type Person = (typeof people)[keyof typeof people];

/** The plain texts the bot wrote into `person`'s personal chat. */
function textsTo(person: Person): string[] {
  const chat = `/v3/conversations/${personalConversationId(person)}/activities`;
  return teams.connector
    .filter((request) => request.path.startsWith(chat) && typeof request.body.text === 'string')
    .map((request) => String(request.body.text));
}

function findCsvUrl(card: Record<string, unknown>): string {
  const action = (card.actions as { type: string; url?: string }[]).find(
    (item) => item.type === 'Action.OpenUrl',
  );
  if (action?.url === undefined) throw new Error('Kortet har ingen CSV-länk');
  return action.url;
}

/** Opens the card's link on the running bot, as the browser does at the public address. */
function download(url: string): Promise<Response> {
  expect(url.startsWith(`${publicBaseUrl}/api/statistik/csv?t=`)).toBe(true);
  return fetch(`${teams.bot.url}${url.slice(publicBaseUrl.length)}`);
}

async function figuresAudit() {
  return teams.stores.audit.listForCase(followUpFiguresAuditKey);
}

describe('statistik', () => {
  it('gives the process team the term’s tables and lead-time chart, audited', async () => {
    asked.length = 0;
    const helpCards = teams.cardsTo(people.maria).length;
    await teams.say(people.maria, 'statistik');

    const card = teams.cardsTo(people.maria).at(-1);
    expect(teams.cardsTo(people.maria)).toHaveLength(helpCards + 1);
    const text = readCardText(card);
    expect(text).toContain('Uppföljning av Backa barnet');
    expect(text).toContain('Vårterminen 2026 (1 januari–30 juni)');
    expect(text).toContain('Antal nyupptäckta barn');
    expect(text).toContain('Inkom från (verksamhet)');
    expect(text).toContain('Tal under 3 visas som "<3"');
    expect(JSON.stringify(card)).toContain('data:image/png;base64,');
    expect(asked).toEqual([{ season: 'vt', year: 2026 }]);
    expect(await figuresAudit()).toEqual([
      expect.objectContaining({
        actor: people.maria.aadObjectId,
        action: 'statistik.visa',
        outcome: 'allowed',
      }),
    ]);
  });

  it('asks for the term typed', async () => {
    asked.length = 0;
    await teams.say(people.maria, 'statistik ht 2025');
    expect(readCardText(teams.cardsTo(people.maria).at(-1))).toContain(
      'Höstterminen 2025 (1 juli–31 december)',
    );
    expect(asked).toEqual([{ season: 'ht', year: 2025 }]);
  });

  it('downloads the same figures as CSV for Swedish Excel, with the suppression, and audits it', async () => {
    await teams.say(people.maria, 'statistik');
    const url = findCsvUrl(teams.cardsTo(people.maria).at(-1) ?? {});
    // The link holds the token and nothing about the person who asked.
    expect(url).not.toContain(people.maria.aadObjectId);
    expect(decodeURIComponent(url)).not.toMatch(/Maria|Lind/);

    const response = await download(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="uppfoljning-vt-2026.csv"',
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines).toContain('Barnteam');
    expect(lines).toContain(
      'År;Antal Barnteam;Antal nyupptäckta barn;Gemensam Behovskompass;Antal initierade Individuella barnteam',
    );
    expect(lines).toContain('2026 vt;13;17;9;10');
    expect(lines).toContain('Inkom från (verksamhet);Antal;Bilagt upptäckarkort');
    expect(lines).toContain('Björkskolan;10;<3');
    expect(lines).toContain('Individuellt barnteam → Barnets plan fastställd;<3;<3;<3');
    expect(lines).toContain('2026 vt;<3;3');

    expect((await figuresAudit()).map((entry) => [entry.action, entry.outcome])).toEqual([
      ['statistik.visa', 'allowed'],
      ['statistik.csv', 'allowed'],
    ]);
  });

  it('refuses the link once its ten minutes are over, or when it was changed', async () => {
    await teams.say(people.maria, 'statistik');
    const url = findCsvUrl(teams.cardsTo(people.maria).at(-1) ?? {});
    const changed = `${url.slice(0, -3)}${url.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    const tampered = await download(changed);
    expect(tampered.status).toBe(401);
    expect(await tampered.text()).toBe(
      'Länken är ogiltig. Skriv statistik till Backa barnet i Teams för en ny länk.',
    );

    teams.setNow('2026-03-03T09:11:00.000Z');
    const late = await download(url);
    expect(late.status).toBe(401);
    expect(await late.text()).toContain('har gått ut');
    expect((await figuresAudit()).map((entry) => entry.action)).toEqual(['statistik.visa']);
  });

  it('refuses someone outside the process team in Swedish, with nothing of the figures, audited', async () => {
    asked.length = 0;
    const cardsBefore = teams.cardsTo(people.alex).length;
    await teams.say(people.alex, 'statistik');

    expect(textsTo(people.alex).at(-1)).toBe(
      'Statistiken är bara för processteamet. Be den som förvaltar katalogen att lägga till dig under processTeam om du ska ha den.',
    );
    expect(teams.cardsTo(people.alex)).toHaveLength(cardsBefore);
    expect(asked).toEqual([]);
    expect(await figuresAudit()).toEqual([
      expect.objectContaining({
        actor: people.alex.aadObjectId,
        action: 'statistik.visa',
        outcome: 'refused',
      }),
    ]);
  });

  it('answers a term it cannot read with an example', async () => {
    await teams.say(people.maria, 'statistik våren');
    expect(textsTo(people.maria).at(-1)).toBe(
      'Skriv statistik för den här terminen, eller statistik och en termin, till exempel: statistik vt 2026 eller statistik ht 2025.',
    );
  });

  it('in a channel points to the personal chat and shows no figures there', async () => {
    asked.length = 0;
    await teams.say(people.maria, 'statistik', { where: 'channel' });
    const posts = teams.connector.filter((request) => request.path.includes('thread.tacv2'));
    expect(posts.map((request) => request.body.text)).toContain(
      'Skriv statistik i din personliga chatt med Backa barnet, så visas siffrorna bara för dig.',
    );
    expect(JSON.stringify(posts)).not.toContain('Antal Barnteam');
    expect(asked).toEqual([]);
  });

  it('is in the help text', async () => {
    await teams.say(people.alex, 'hjälp');
    expect(textsTo(people.alex).at(-1)).toContain('**statistik**: för processteamet');
  });
});
