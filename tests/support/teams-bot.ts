/**
 * One way to set up a test of the bot as Teams talks to it: the real HTTP endpoint and
 * CloudAdapter in production mode (channel tokens signed here against keys nock serves at the
 * Bot Framework's address, the outbound token from a nock'd Entra endpoint), the Bot Connector
 * faked by nock at its real address, the in-memory stores (which pass the storage contract
 * suite) and the embedded calendar on a temp file.
 *
 * `useTeamsBot()` registers the vitest hooks that give every test a fresh bot and stop it
 * afterwards; the object it returns always speaks of the running test's bot. Walk a case to the
 * state a test starts from with `walkCase` (tests/support/walk-case.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { CreateBotOptions } from '../../bot/create-bot.js';
import type { Clock } from '../../flows/kernel/ports.js';
import { type EmbeddedCalendar, openEmbeddedCalendar } from '../../infra/calendar/embedded-calendar.js';
import type { Config } from '../../infra/config.js';
import {
  buildActionExecute,
  buildTeamsMessage,
  nextActivityId,
  type Person,
  people,
  personalConversationId,
  type TeamsMessageOptions,
} from './bot-activities.js';
import {
  type ConnectorRequest,
  closeNetworkExceptLoopback,
  type FakeConnectorOptions,
  fakeTeamsConnector,
  postAsTeams,
  productionTestConfig,
  type RunningBot,
  sampleTenantId,
  startBotWith,
} from './bot-harness.js';
import {
  createSigningKey,
  type SigningKey,
  serveBotFrameworkKeys,
  serveEntraClientCredentials,
} from './bot-tokens.js';
import { readCards } from './card-actions.js';
import { createInMemoryStores, type InMemoryStores } from './in-memory-stores.js';

/** Tuesday 3 March 2026, 10:00 in Stockholm: a working day in term time. */
export const teamsBotNow = '2026-03-03T09:00:00.000Z';

export interface TeamsBotOptions {
  /**
   * Who writes "hjälp" to the bot before each test, so that the bot has their personal chat and
   * can reach them later (Teams gives a bot no way to write first). Default Alex, Maria and Sara.
   */
  readonly greet?: readonly Person[];
  /** Production mode as configured otherwise (another allow-list of tenants); default `productionTestConfig`. */
  readonly config?: Config;
  /** The private channels' stand-in for the Individuellt barnteam tests, made fresh for each test. */
  readonly teamChannels?: () => CreateBotOptions['teamChannels'];
  /** The Fördjupad behovskompass's catalogue (e.g. the sample's); none unless a test gives one. */
  readonly deepCompassCatalogue?: CreateBotOptions['deepCompassCatalogue'];
  /** The term's follow-up figures for `statistik`; none unless a test gives them. */
  readonly computeTermFigures?: CreateBotOptions['computeTermFigures'];
}

export interface TeamsBot {
  readonly bot: RunningBot<InMemoryStores>;
  readonly stores: InMemoryStores;
  /** Every request the bot made to the Bot Connector, in order. */
  readonly connector: ConnectorRequest[];
  /** The bot's clock, standing still at `teamsBotNow` unless a test moves it with `setNow`. */
  readonly clock: Clock;
  /** Moves the bot's clock (a meeting's day, a reminder's due time); every test starts at `teamsBotNow`. */
  setNow(instant: string): void;
  /** Where Barnteam meetings are booked; its SQLite file is `calendarPath`. */
  readonly calendar: EmbeddedCalendar;
  readonly calendarPath: string;
  /** Posts an activity as the Bot Connector does, with a signed channel token. */
  send(activity: Record<string, unknown>): Promise<Response>;
  /** `person` writes `text` (in their personal chat unless `options.where` says otherwise). */
  say(person: Person, text: string, options?: Omit<TeamsMessageOptions, 'person'>): Promise<Response>;
  /**
   * `person` presses an `Action.Execute` in their personal chat; expects the bot to answer with
   * a card, and returns that card.
   */
  invoke(
    person: Person,
    verb: string,
    data: Record<string, unknown>,
    options?: { id?: string },
  ): Promise<Record<string, unknown>>;
  /** The cards that reached `person`'s personal chat so far, oldest first. */
  cardsTo(person: Person): Record<string, unknown>[];
  /** Delivers what is due and returns the newest card in `person`'s personal chat. */
  deliverAndReadCard(person: Person): Promise<Record<string, unknown>>;
  /** A Bot Connector that answers otherwise (e.g. refuses to create a personal chat), from now on. */
  replaceConnector(options: FakeConnectorOptions): void;
}

export function useTeamsBot(options: TeamsBotOptions = {}): TeamsBot {
  const greet = options.greet ?? [people.alex, people.maria, people.sara];
  let now = teamsBotNow;
  const clock: Clock = { now: () => new Date(now) };
  let key: SigningKey | undefined;
  let running: { bot: RunningBot<InMemoryStores>; calendar: EmbeddedCalendar; dir: string } | undefined;
  let connector: ConnectorRequest[] = [];

  const current = () => {
    if (running === undefined || key === undefined) throw new Error('useTeamsBot: ingen bot körs');
    return { ...running, key };
  };
  const fakeOutside = (connectorOptions: FakeConnectorOptions = {}) => {
    if (key === undefined) throw new Error('useTeamsBot: ingen signeringsnyckel');
    serveBotFrameworkKeys([key]);
    serveEntraClientCredentials(sampleTenantId);
    connector = fakeTeamsConnector(connectorOptions);
  };

  const teams: TeamsBot = {
    get bot() {
      return current().bot;
    },
    get stores() {
      return current().bot.stores;
    },
    get connector() {
      return connector;
    },
    clock,
    setNow(instant) {
      now = new Date(instant).toISOString();
    },
    get calendar() {
      return current().calendar;
    },
    get calendarPath() {
      return join(current().dir, 'kalender.sqlite');
    },
    send: (activity) => postAsTeams(current().bot, current().key, activity),
    say: (person, text, messageOptions = {}) =>
      teams.send(buildTeamsMessage(text, { ...messageOptions, person })),
    async invoke(person, verb, data, invokeOptions = {}) {
      const id = invokeOptions.id ?? nextActivityId();
      const response = await teams.send(buildActionExecute(verb, data, { person, id }));
      expect(response.status).toBe(200);
      const answer = (await response.json()) as {
        statusCode: number;
        type: string;
        value: Record<string, unknown>;
      };
      expect(answer).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
      return answer.value;
    },
    cardsTo(person) {
      const chat = `/v3/conversations/${personalConversationId(person)}/activities`;
      return connector
        .filter((request) => request.path === chat || request.path.startsWith(`${chat}/`))
        .flatMap((request) => readCards(request.body));
    },
    async deliverAndReadCard(person) {
      await current().bot.backgroundWork.runOnce();
      const card = teams.cardsTo(person).at(-1);
      if (card === undefined) throw new Error(`Inget kort kom fram till ${person.name}`);
      return card;
    },
    replaceConnector(connectorOptions) {
      nock.cleanAll();
      fakeOutside(connectorOptions);
    },
  };

  beforeAll(async () => {
    closeNetworkExceptLoopback();
    key = await createSigningKey('bf-key-teams-bot');
  });

  beforeEach(async () => {
    now = teamsBotNow;
    fakeOutside();
    const dir = mkdtempSync(join(tmpdir(), 'backa-kalender-'));
    const calendar = openEmbeddedCalendar({ path: join(dir, 'kalender.sqlite') });
    const bot = await startBotWith(options.config ?? productionTestConfig, {
      stores: createInMemoryStores(),
      clock,
      calendar,
      ...(options.teamChannels === undefined ? {} : { teamChannels: options.teamChannels() }),
      ...(options.deepCompassCatalogue === undefined
        ? {}
        : { deepCompassCatalogue: options.deepCompassCatalogue }),
      ...(options.computeTermFigures === undefined ? {} : { computeTermFigures: options.computeTermFigures }),
    });
    running = { bot, calendar, dir };
    for (const person of greet) await teams.say(person, 'hjälp');
  });

  afterEach(async () => {
    const { bot, calendar, dir } = current();
    running = undefined;
    await bot.stop();
    calendar.close();
    rmSync(dir, { recursive: true, force: true });
    nock.cleanAll();
  });

  afterAll(() => nock.enableNetConnect());

  return teams;
}
