/**
 * Runs the real bot (bot/create-bot.ts) in-process on a free loopback port, with recording
 * stores and a logger whose lines the test can read. All network except loopback is closed;
 * every outside endpoint a test needs is a nock interceptor.
 */
import { Writable } from 'node:stream';
import nock from 'nock';
import { createBot } from '../../bot/create-bot.js';
import type { Config } from '../../infra/config.js';
import { loadDirectoryFile } from '../../infra/directory-file.js';
import { createLogger } from '../../infra/logger.js';
import { createRecordingStores, type RecordingStores } from './bot-fake-stores.js';

export const sampleTenantId = '5e0b1d3a-7c2f-4b8e-9a61-3f4d2c1b0a99';
export const otherTenantId = '9a9a9a9a-1111-4222-8333-444444444444';
export const alexUserId = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e01';
export const teamsServiceUrl = 'https://smba.trafficmanager.net/emea/';

export interface RunningBot {
  readonly url: string;
  readonly stores: RecordingStores;
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

export async function startBot(config: Config): Promise<RunningBot> {
  const stores = createRecordingStores();
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
  });
  const { url } = await bot.listen();
  return {
    url,
    stores,
    logLines,
    unmatchedRequests,
    sendProactive: bot.sendProactive,
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
