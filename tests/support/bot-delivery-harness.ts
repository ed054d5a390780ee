/**
 * The delivery path as it runs in production, for the outbox integration tests: the guarded
 * Bot Framework authentication (production mode, client-credentials token from a nock'd Entra
 * endpoint), the real CloudAdapter and proactive sender, and `createBackgroundWork` over real
 * stores. The Bot Connector is one nock interceptor that records each request and answers from a
 * per-conversation script (201 `{ id }` once the script is used up).
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import nock from 'nock';
import { BackaCloudAdapter } from '../../bot/adapter.js';
import {
  type BackgroundWork,
  type BackgroundWorkOptions,
  createBackgroundWork,
} from '../../bot/background-work.js';
import { GuardedBotFrameworkAuthentication } from '../../bot/guarded-authentication.js';
import { createProactiveSender } from '../../bot/proactive.js';
import type { Directory } from '../../flows/kernel/directory.js';
import type { Clock, StoredConversation, Stores } from '../../flows/kernel/ports.js';
import { createLogger } from '../../infra/logger.js';
import { productionTestConfig, sampleTenantId, teamsServiceUrl, testAppId } from './bot-harness.js';
import { serveEntraClientCredentials } from './bot-tokens.js';
import { draftId as defaultDraftId, filedAt, users } from './flow-fixtures.js';
import { type FileCaseOptions, fileCase } from './walk-case.js';

export const connectorHost = 'https://smba.trafficmanager.net';
export const identityKeySecret = 'test-nyckel-for-identitetsnummer-32-byte-minst';

/** The personal chat the bot has with each person, by Entra object id. */
export const conversationIds: Readonly<Record<string, string>> = {
  [users.upptackare]: 'a:personal-alex',
  [users.barnkontakt]: 'a:personal-maria',
  [users.ersattare]: 'a:personal-johan',
  [users.annanBarnkontakt]: 'a:personal-sara',
  [users.socialtjanst]: 'a:personal-omar',
};

/** A personal-chat reference as bot/ stores it. */
export function buildStoredConversation(userId: string): StoredConversation {
  const conversationId = conversationIds[userId] ?? `a:personal-${userId}`;
  return {
    key: userId,
    tenantId: sampleTenantId,
    serviceUrl: teamsServiceUrl,
    conversationId,
    updatedAt: filedAt,
    reference: {
      channelId: 'msteams',
      serviceUrl: teamsServiceUrl,
      bot: { id: '28:backa-barnet', name: '' },
      user: { id: `29:${userId}`, name: '', aadObjectId: userId },
      conversation: {
        id: conversationId,
        conversationType: 'personal',
        tenantId: sampleTenantId,
        isGroup: false,
      },
    },
  };
}

export async function saveConversations(stores: Stores, userIds: readonly string[]): Promise<void> {
  for (const userId of userIds) await stores.conversations.save(buildStoredConversation(userId));
}

export interface ScriptedReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface ConnectorRequest {
  readonly conversationId: string;
  readonly body: Record<string, unknown>;
  readonly status: number;
  /** Wall-clock milliseconds, for "the SDK did not wait" checks. */
  readonly receivedAt: number;
}

export interface FakeConnector {
  readonly requests: ConnectorRequest[];
  /** The Authorization header of each request, in order. */
  readonly authorizations: string[];
  /** The next replies to POSTs into this conversation, in order. */
  script(conversationId: string, replies: readonly ScriptedReply[]): void;
  to(userId: string): ConnectorRequest[];
}

/** The Bot Connector's `POST /v3/conversations/{conversationId}/activities`, answered `201 { id }`. */
export function interceptConnector(options: { delayMs?: number } = {}): FakeConnector {
  const requests: ConnectorRequest[] = [];
  const authorizations: string[] = [];
  const scripts = new Map<string, ScriptedReply[]>();
  let sent = 0;
  const pattern = /^\/emea\/v3\/conversations\/([^/]+)\/activities$/;
  const interceptor = nock(connectorHost)
    .persist()
    .post((path) => pattern.test(path));
  const scope = options.delayMs === undefined ? interceptor : interceptor.delay(options.delayMs);
  // nock 15 calls a reply function with the fetch Request it intercepted.
  scope.reply(async (request: Request) => {
    const conversationId = decodeURIComponent(pattern.exec(new URL(request.url).pathname)?.[1] ?? '');
    const body = JSON.parse(await request.clone().text()) as Record<string, unknown>;
    const scripted = scripts.get(conversationId)?.shift();
    const status = scripted?.status ?? 201;
    authorizations.push(request.headers.get('authorization') ?? '');
    requests.push({ conversationId, body, status, receivedAt: Date.now() });
    if (scripted === undefined || scripted.status < 300) {
      sent += 1;
      return [status, { id: `activity-${sent}` }, scripted?.headers ?? {}];
    }
    return [
      status,
      scripted.body ?? { error: { code: 'ServiceError', message: 'Fel' } },
      scripted.headers ?? {},
    ];
  });
  return {
    requests,
    authorizations,
    script(conversationId, replies) {
      scripts.set(conversationId, [...(scripts.get(conversationId) ?? []), ...replies]);
    },
    to(userId) {
      const conversationId = conversationIds[userId];
      return requests.filter((request) => request.conversationId === conversationId);
    },
  };
}

/** A clock the test moves. */
export interface TestClock extends Clock {
  set(instant: string): void;
  advance(ms: number): void;
}

export function createTestClock(start = filedAt): TestClock {
  let now = Date.parse(start);
  return {
    now: () => new Date(now),
    set(instant) {
      now = Date.parse(instant);
    },
    advance(ms) {
      now += ms;
    },
  };
}

export interface DeliveryStack {
  readonly work: BackgroundWork;
  readonly logLines: string[];
  /** Parsed log lines with this message. */
  logged(msg: string): Record<string, unknown>[];
}

/**
 * Options for tests: no jitter, no pacing waits (they would sleep in real time), and timers far
 * away so that only `runOnce` and `kick` sweep.
 */
export const testWorkOptions: BackgroundWorkOptions = {
  outbox: {
    intervalMs: 60 * 60_000,
    random: () => 0,
    conversationIntervalMs: 0,
    sleep: async () => {},
  },
  reminders: { intervalMs: 60 * 60_000 },
  kickDelayMs: 10,
};

export async function createDeliveryStack(options: {
  stores: Stores;
  directory: Directory;
  clock: Clock;
  instanceId?: string;
  workOptions?: BackgroundWorkOptions;
  logLines?: string[];
}): Promise<DeliveryStack> {
  serveEntraClientCredentials(sampleTenantId);
  const logLines = options.logLines ?? [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk, _encoding, done) {
        logLines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    }),
  });
  const authentication = new GuardedBotFrameworkAuthentication({
    mode: productionTestConfig.mode,
    botAuth: productionTestConfig.botAuth,
    allowedTenantIds: productionTestConfig.allowedTenantIds,
    logger,
  });
  await authentication.assertAuthenticationEnabled();
  const adapter = new BackaCloudAdapter(authentication);
  const sender = createProactiveSender({
    adapter,
    appId: testAppId,
    mode: productionTestConfig.mode,
    logger,
    clock: options.clock,
  });
  const work = createBackgroundWork({
    stores: options.stores,
    directory: options.directory,
    clock: options.clock,
    logger,
    sendProactive: sender.send,
    identityKeySecret,
    instanceId: options.instanceId ?? 'test-instans-1',
    options: options.workOptions ?? testWorkOptions,
  });
  return {
    work,
    logLines,
    logged: (msg) =>
      logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === msg),
  };
}

/**
 * Files an Upptäckarkort into `stores` through the use case (`fileCase`, by default Alex's card:
 * Aktivera Barnkontakt, Björkskolan); returns the case id.
 */
export async function fileCard(
  stores: Stores,
  directory: Directory,
  clock: Clock,
  options: FileCaseOptions = {},
): Promise<string> {
  const draftId = options.draftId ?? defaultDraftId;
  let ids = 0;
  const deps = {
    stores,
    directory,
    clock,
    identityKeySecret,
    // Unique per card, so that several cards can be filed into one store.
    newId: () => {
      ids += 1;
      return `${draftId}-${ids}`;
    },
    randomBytes: (count: number) => new Uint8Array(randomBytes(count)),
  };
  return (await fileCase(deps, { ...options, draftId })).value.id;
}
