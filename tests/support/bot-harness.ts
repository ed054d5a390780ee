/**
 * Runs the real bot (bot/create-bot.ts) in-process on a free loopback port, with recording
 * stores and a logger whose lines the test can read. All network except loopback is closed;
 * every outside endpoint a test needs is a nock interceptor.
 */
import { Writable } from 'node:stream';
import nock from 'nock';
import type { BackgroundWork } from '../../bot/background-work.js';
import { type CreateBotOptions, createBot } from '../../bot/create-bot.js';
import type { Calendar } from '../../flows/kernel/calendar.js';
import type { Clock, Stores } from '../../flows/kernel/ports.js';
import { type Config, loadConfig } from '../../infra/config.js';
import { loadDirectoryFile } from '../../infra/directory-file.js';
import { createLogger } from '../../infra/logger.js';
import { createRecordingStores, type RecordingStores } from './bot-fake-stores.js';
import { type SigningKey, signChannelToken } from './bot-tokens.js';

export const sampleTenantId = '5e0b1d3a-7c2f-4b8e-9a61-3f4d2c1b0a99';
export const otherTenantId = '9a9a9a9a-1111-4222-8333-444444444444';
export const alexUserId = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e01';
export const teamsServiceUrl = 'https://smba.trafficmanager.net/emea/';

export interface RunningBot<S extends Stores = RecordingStores> {
  readonly url: string;
  readonly stores: S;
  /** Not started: a test runs it with `runOnce()` when it wants delivery. */
  readonly backgroundWork: BackgroundWork;
  readonly logLines: string[];
  readonly sendProactive: Awaited<ReturnType<typeof createBot>>['sendProactive'];
  /** Requests that tried to leave the machine without an interceptor (refused by nock). */
  readonly unmatchedRequests: string[];
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

export function closeNetworkExceptLoopback(): void {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1:'));
}

/** The bot with stores that record every call and hold only conversations and handled activities. */
export function startBot(config: Config): Promise<RunningBot> {
  return startBotWith(config, { stores: createRecordingStores() });
}

export interface StartOptions<S extends Stores> {
  /** Prefer the in-memory stores (tests/support/in-memory-stores.ts) or SQLite in a temp dir. */
  readonly stores: S;
  readonly clock?: Clock;
  /** Where Barnteam meetings are booked (e.g. the embedded calendar on a temp file). */
  readonly calendar?: Calendar;
  /** Where the Individuellt barnteams' private channels are made (e.g. the embedded stand-in). */
  readonly teamChannels?: CreateBotOptions['teamChannels'];
  /** The Fördjupad behovskompass's catalogue; without it the plan card offers none, as in production. */
  readonly deepCompassCatalogue?: CreateBotOptions['deepCompassCatalogue'];
  /** The term's follow-up figures for `statistik` (fixture figures, or the real pipeline). */
  readonly computeTermFigures?: CreateBotOptions['computeTermFigures'];
}

export async function startBotWith<S extends Stores>(
  config: Config,
  options: StartOptions<S>,
): Promise<RunningBot<S>> {
  const { stores } = options;
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const unmatchedRequests: string[] = [];
  // nock reports every request it has no interceptor for, the test's own loopback calls included.
  const onNoMatch = (request: { method?: string; url?: string }) => {
    const url = request.url ?? '';
    if (!url.startsWith('http://127.0.0.1:')) unmatchedRequests.push(`${request.method ?? ''} ${url}`);
  };
  nock.emitter.on('no match', onNoMatch);
  const bot = await createBot({
    config: { ...config, port: 0, host: '127.0.0.1' },
    stores,
    directory: loadDirectoryFile('config/directory.sample.yaml'),
    logger: createLogger({ level: 'debug', destination }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.calendar === undefined ? {} : { calendar: options.calendar }),
    ...(options.teamChannels === undefined ? {} : { teamChannels: options.teamChannels }),
    ...(options.deepCompassCatalogue === undefined
      ? {}
      : { deepCompassCatalogue: options.deepCompassCatalogue }),
    ...(options.computeTermFigures === undefined ? {} : { computeTermFigures: options.computeTermFigures }),
    // The outbox and reminders stay put unless a test sweeps them.
    runBackgroundWork: false,
  });
  const { url } = await bot.listen();
  return {
    url,
    stores,
    logLines,
    unmatchedRequests,
    sendProactive: bot.sendProactive,
    backgroundWork: bot.backgroundWork,
    post: (body, headers = {}) =>
      fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    async stop() {
      nock.emitter.off('no match', onNoMatch);
      await bot.close();
    },
  };
}

export interface ActivityOptions {
  readonly text?: string;
  readonly tenantId?: string;
  readonly serviceUrl?: string;
  readonly conversationType?: 'personal' | 'channel' | 'groupChat';
  readonly conversationId?: string;
  readonly id?: string;
  readonly entities?: unknown[];
}

/** A message activity shaped like the ones Teams sends. */
export function buildMessage(options: ActivityOptions = {}): Record<string, unknown> {
  const tenantId = options.tenantId ?? sampleTenantId;
  const conversationType = options.conversationType ?? 'personal';
  return {
    type: 'message',
    id: options.id ?? `activity-${Math.random().toString(36).slice(2)}`,
    timestamp: '2026-03-02T09:00:00.000Z',
    channelId: 'msteams',
    serviceUrl: options.serviceUrl ?? teamsServiceUrl,
    from: { id: '29:alex', name: 'Alex Andersson', aadObjectId: alexUserId },
    recipient: { id: '28:backa-barnet', name: 'Backa barnet' },
    conversation: {
      id: options.conversationId ?? 'a:personal-alex',
      conversationType,
      tenantId,
      ...(conversationType === 'personal' ? {} : { isGroup: true }),
    },
    channelData: { tenant: { id: tenantId } },
    text: options.text ?? 'hjälp',
    textFormat: 'plain',
    locale: 'sv-SE',
    ...(options.entities === undefined ? {} : { entities: options.entities }),
  };
}

/** The app id of the production-mode tests (a made-up GUID) and its password (no real secret). */
export const testAppId = '11111111-2222-4333-8444-555555555555';
export const testAppPassword = 'test-app-password-not-a-real-secret';

/** Production mode as in Azure: single-tenant app, the sample tenant only. */
export const productionTestConfig: Config = loadConfig({
  BOT_MODE: 'production',
  MicrosoftAppId: testAppId,
  MicrosoftAppPassword: testAppPassword,
  MicrosoftAppTenantId: sampleTenantId,
  MicrosoftAppType: 'SingleTenant',
  ALLOWED_TENANT_IDS: sampleTenantId,
  IDENTITY_HASH_KEY: 'test-identity-hash-key-of-32-bytes-or-more',
  // Production requires Cosmos; the tests hand the bot its stores directly.
  STORE: 'cosmos',
  COSMOS_ENDPOINT: 'https://exempelby.documents.azure.com:443/',
  COSMOS_DATABASE: 'backa',
  DIRECTORY_FILE: 'config/directory.sample.yaml',
});

/** Posts an activity with a channel token signed by `key` for `testAppId`, as the Bot Connector does. */
export async function postAsTeams(
  bot: Pick<RunningBot<Stores>, 'post'>,
  key: SigningKey,
  activity: Record<string, unknown>,
): Promise<Response> {
  const serviceUrl = typeof activity.serviceUrl === 'string' ? activity.serviceUrl : teamsServiceUrl;
  const token = await signChannelToken(key, { audience: testAppId, serviceUrl });
  return bot.post(activity, { authorization: `Bearer ${token}` });
}

/** One request the bot made to the Bot Connector. */
export interface ConnectorRequest {
  readonly method: 'POST' | 'PUT';
  /** Decoded, without the region prefix: `/v3/conversations/a:…/activities`. */
  readonly path: string;
  readonly body: Record<string, unknown>;
}

export interface FakeConnectorOptions {
  /** The answer to `POST /v3/conversations` (create a 1:1 chat); default 201 with a new id. */
  readonly createConversation?: { readonly status: number; readonly id?: string };
}

/**
 * The Teams Bot Connector at `smba.trafficmanager.net/emea/`: records every request and answers
 * as Teams does (`{ id }` for a sent activity or a created conversation).
 */
export function fakeTeamsConnector(options: FakeConnectorOptions = {}): ConnectorRequest[] {
  const requests: ConnectorRequest[] = [];
  const created = options.createConversation ?? { status: 201, id: 'a:ny-personlig-chatt' };
  const prefix = new URL(teamsServiceUrl).pathname.replace(/\/$/, '');
  // nock 15 hands a reply function the fetch `Request`; one argument, or it is taken for a callback.
  const record = async (method: ConnectorRequest['method'], request: Request) => {
    const path = decodeURIComponent(new URL(request.url).pathname).slice(prefix.length);
    const text = await request.text();
    requests.push({ method, path, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> });
    return path;
  };
  nock('https://smba.trafficmanager.net')
    .persist()
    .post((uri) => uri.startsWith(`${prefix}/v3/conversations`))
    .reply(async (request: Request) => {
      const path = await record('POST', request);
      if (path === '/v3/conversations') {
        return created.status < 300
          ? [created.status, { id: created.id }]
          : [
              created.status,
              { error: { code: 'BotNotInConversationRoster', message: 'Boten är inte installerad.' } },
            ];
      }
      return [200, { id: `svar-${requests.length}` }];
    })
    .put((uri) => uri.startsWith(`${prefix}/v3/conversations`))
    .reply(async (request: Request) => {
      await record('PUT', request);
      return [200, { id: 'uppdaterad' }];
    });
  return requests;
}
