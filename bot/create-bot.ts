/**
 * The one place the bot is put together: authentication, adapter, router, HTTP server and
 * proactive sender, from a configuration and the stores. Tests run it in-process on a random
 * port; bot/main.ts runs it for real.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TurnContext } from 'botbuilder';
import type { Express } from 'express';
import type { Directory } from '../flows/directory.js';
import type { Clock, Stores } from '../flows/ports.js';
import type { Config } from '../infra/config.js';
import type { Logger } from '../infra/logger.js';
import { BackaCloudAdapter } from './adapter.js';
import { createApplication } from './application.js';
import { toStoredConversation } from './conversation-references.js';
import { GuardedBotFrameworkAuthentication } from './guarded-authentication.js';
import { createHttpApp } from './http-server.js';
import { createProactiveSender, type ProactiveSender } from './proactive.js';
import { readTenantId } from './tenant.js';
import { describeErrorForUser } from './user-messages.js';

export interface CreateBotOptions {
  readonly config: Config;
  readonly stores: Stores;
  readonly directory: Directory;
  readonly logger: Logger;
  /** The machine clock unless a test pins time. */
  readonly clock?: Clock;
}

export interface Bot {
  /** The express app, for tests that call it without a listening socket. */
  readonly app: Express;
  /** For the outbox: sends to a stored conversation; refuses any host but the Bot Connector. */
  readonly sendProactive: ProactiveSender['send'];
  /** Starts listening on `config.host:config.port` (port 0: a free one); returns the address. */
  listen(): Promise<{ readonly port: number; readonly url: string }>;
  close(): Promise<void>;
}

const loopbackHosts: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '::1']);

const localModeWarning = [
  '**************************************************************************',
  '*  LOKALT LÄGE (BOT_MODE=local): INLOGGNINGEN ÄR AVSTÄNGD.',
  '*  Vem som helst som når porten kan tala med boten utan att visa vem den är.',
  '*  Endast för playground på den här datorn, aldrig med riktiga uppgifter.',
  '*  Servern lyssnar därför bara på loopback (127.0.0.1).',
  '**************************************************************************',
].join('\n');

const machineClock: Clock = { now: () => new Date() };

export async function createBot(options: CreateBotOptions): Promise<Bot> {
  const { config, stores, logger } = options;
  const clock = options.clock ?? machineClock;

  const authentication = new GuardedBotFrameworkAuthentication({
    mode: config.mode,
    botAuth: config.botAuth,
    allowedTenantIds: config.allowedTenantIds,
    logger,
  });
  await authentication.assertAuthenticationEnabled();
  const adapter = new BackaCloudAdapter(authentication);
  const application = createApplication();

  adapter.onTurnError = async (context, error) => {
    logger.error({ err: error, activityId: context.activity.id }, 'Fel under turen');
    try {
      await context.sendActivity(describeErrorForUser(error));
    } catch (sendError) {
      logger.error({ err: sendError, activityId: context.activity.id }, 'Felmeddelandet kunde inte skickas');
    }
  };

  const rememberConversation = async (context: TurnContext) => {
    const stored = toStoredConversation(context.activity, clock.now());
    if (stored === undefined) return;
    try {
      await stores.conversations.save(stored);
    } catch (error) {
      // Not being able to reach someone later must not stop what they are doing now.
      logger.warn(
        { err: error, activityId: context.activity.id },
        'Konversationsreferensen kunde inte sparas',
      );
    }
  };

  const logic = async (context: TurnContext) => {
    const { activity } = context;
    logger.info(
      {
        activityId: activity.id,
        activityType: activity.type,
        tenantId: readTenantId(activity),
        userId: activity.from?.aadObjectId,
        conversationType: activity.conversation?.conversationType,
      },
      'Aktivitet mottagen',
    );
    await rememberConversation(context);
    await application.run(context);
  };

  const app = createHttpApp({ adapter, logic, logger });
  const proactive = createProactiveSender({
    adapter,
    appId: config.botAuth.kind === 'none' ? '' : config.botAuth.appId,
    mode: config.mode,
    logger,
  });

  let server: Server | undefined;
  return {
    app,
    sendProactive: (target, payload) => proactive.send(target, payload),
    async listen() {
      if (config.mode === 'local' && !loopbackHosts.has(config.host)) {
        throw new Error(`Lokalt läge får bara lyssna på loopback, inte på ${config.host}.`);
      }
      const listening = createServer(app);
      await new Promise<void>((resolve, reject) => {
        listening.once('error', reject);
        listening.listen(config.port, config.host, () => {
          listening.off('error', reject);
          resolve();
        });
      });
      server = listening;
      const { port } = listening.address() as AddressInfo;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      if (config.mode === 'local') {
        logger.warn({ mode: 'local', host: config.host, port }, `\n${localModeWarning}`);
        process.stderr.write(`\n${localModeWarning}\n\n`);
      }
      logger.info({ mode: config.mode, host: config.host, port }, 'Backa barnet lyssnar');
      return { port, url: `http://${host}:${port}` };
    },
    async close() {
      const closing = server;
      server = undefined;
      if (closing === undefined) return;
      await new Promise<void>((resolve) => {
        closing.close(() => resolve());
        closing.closeAllConnections();
      });
    },
  };
}
