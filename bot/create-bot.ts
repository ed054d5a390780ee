/**
 * The one place the bot is put together: authentication, adapter, router, HTTP server and
 * proactive sender, from a configuration and the stores. Tests run it in-process on a random
 * port; bot/main.ts runs it for real.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Express } from 'express';
import { recordFiguresInStores } from '../flows/follow-up-figures/figure-recording-cases.js';
import type { ComputeTermFigures } from '../flows/follow-up-figures/read-term-figures.js';
import type { DeepCompassCatalogue } from '../flows/individuellt-barnteam/deep-compass-catalogue.js';
import type { Calendar } from '../flows/kernel/calendar.js';
import type { FlowDependencies } from '../flows/kernel/case-effects.js';
import type { Directory } from '../flows/kernel/directory.js';
import type { Clock, Stores } from '../flows/kernel/ports.js';
import type { TeamChannels } from '../flows/kernel/team-channel.js';
import type { Config } from '../infra/config.js';
import { createFigureIdHash } from '../infra/figure-id-hash.js';
import type { Logger } from '../infra/logger.js';
import { createChannelTab, toTabPlanUrl } from '../web/channel-tab.js';
import { createFiguresDownload, toFiguresCsvUrl } from '../web/figures-download.js';
import { deriveFiguresTokenKeys, issueFiguresToken } from '../web/figures-download-token.js';
import type { FamilyCopyRenderer } from '../web/tab-api.js';
import { BackaCloudAdapter } from './adapter.js';
import { createApplication } from './application.js';
import { type BackgroundWork, type BackgroundWorkOptions, createBackgroundWork } from './background-work.js';
import { createBotChannelConversations } from './channel-conversations.js';
import { toStoredConversation } from './conversation-references.js';
import { GuardedBotFrameworkAuthentication } from './guarded-authentication.js';
import { readVerb } from './handlers/handler-context.js';
import { createHttpApp } from './http-server.js';
import { createMalformationCheck } from './inbound-activity.js';
import { listRoutedVerbs } from './invoke-response.js';
import { createPersonalChat } from './personal-chat.js';
import { createProactiveSender, type ProactiveSender } from './proactive.js';
import { createSavedConversationMemory } from './saved-conversations.js';
import { readTenantId } from './tenant.js';
import { describeErrorForUser } from './user-messages.js';

export interface CreateBotOptions {
  readonly config: Config;
  readonly stores: Stores;
  readonly directory: Directory;
  /** The municipality's Fördjupad behovskompass; without it the plan card offers none. */
  readonly deepCompassCatalogue?: DeepCompassCatalogue;
  readonly logger: Logger;
  /** The machine clock unless a test pins time. */
  readonly clock?: Clock;
  /**
   * Start the outbox dispatcher and reminder sweeper with `listen()` (default). Tests that look at
   * the outbox as a handler left it turn this off and call `backgroundWork.runOnce()` themselves.
   */
  readonly runBackgroundWork?: boolean;
  readonly backgroundWorkOptions?: BackgroundWorkOptions;
  /** Where Barnteam meetings are booked; the background work completes interrupted bookings in it. */
  readonly calendar?: Calendar;
  /**
   * Where the Individuellt barnteams' private channels are made: Graph in production, the
   * playground's team locally (`toConversationChannel` then names the playground channel the
   * bot posts in for every local channel).
   */
  readonly teamChannels?: {
    readonly channels: TeamChannels;
    readonly toConversationChannel?: (channelId: string) => string;
  };
  /** The family's copy of Barnets plan, offered by the channel tab (web/family-copy). */
  readonly familyCopy?: FamilyCopyRenderer;
  /** A term's follow-up figures for the process team's `statistik`; without it the command says none are computed. */
  readonly computeTermFigures?: ComputeTermFigures;
}

export interface Bot {
  /** The express app, for tests that call it without a listening socket. */
  readonly app: Express;
  /** For the outbox: sends to a stored conversation; refuses any host but the Bot Connector. */
  readonly sendProactive: ProactiveSender['send'];
  /** The outbox dispatcher and reminder sweeper, started by `listen()` unless turned off. */
  readonly backgroundWork: BackgroundWork;
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

/**
 * How long a handled message activity is remembered. Teams redelivers a message within minutes
 * when a turn is slow; a day leaves a wide margin at the cost of one small document per message.
 */
const activityMemoryMs = 24 * 60 * 60 * 1000;

/** The ledger key of an activity: tenant, conversation and activity id (ids are unique per conversation). */
export function toActivityLedgerId(context: TurnContext): string {
  const { activity } = context;
  const name = [readTenantId(activity) ?? '', activity.conversation?.id ?? '', activity.id ?? ''].join('\n');
  return `teams-${createHash('sha256').update(name, 'utf8').digest('hex')}`;
}

export async function createBot(options: CreateBotOptions): Promise<Bot> {
  const { config, logger } = options;
  // Every case write of the turns and the background work gives its follow-up figure events here.
  const stores = recordFiguresInStores(options.stores, createFigureIdHash(config.identityHashKey));
  const clock = options.clock ?? machineClock;

  const authentication = new GuardedBotFrameworkAuthentication({
    mode: config.mode,
    botAuth: config.botAuth,
    allowedTenantIds: config.allowedTenantIds,
    logger,
  });
  await authentication.assertAuthenticationEnabled();
  const adapter = new BackaCloudAdapter(authentication);
  const appId = config.botAuth.kind === 'none' ? '' : config.botAuth.appId;
  const proactive = createProactiveSender({ adapter, appId, mode: config.mode, logger, clock });
  const sendProactive: ProactiveSender['send'] = (target, payload, sendOptions) =>
    proactive.send(target, payload, sendOptions);
  const tabBaseUrl = config.tab?.publicBaseUrl;
  const backgroundWork = createBackgroundWork({
    stores,
    directory: options.directory,
    clock,
    logger,
    sendProactive,
    identityKeySecret: config.identityHashKey,
    instanceId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    ...(options.calendar === undefined ? {} : { calendar: options.calendar }),
    ...(options.teamChannels === undefined
      ? {}
      : {
          teamChannels: {
            channels: options.teamChannels.channels,
            ...(tabBaseUrl === undefined
              ? {}
              : { planTabUrl: (caseId: string) => toTabPlanUrl(tabBaseUrl, caseId) }),
            conversations: createBotChannelConversations({
              adapter,
              appId,
              mode: config.mode,
              conversations: stores.conversations,
              now: () => clock.now(),
              logger,
              ...(options.teamChannels.toConversationChannel === undefined
                ? {}
                : { toConversationChannel: options.teamChannels.toConversationChannel }),
            }),
          },
        }),
    // The configured delivery settings, unless a test or the benchmark sets its own.
    options: {
      ...options.backgroundWorkOptions,
      outbox: {
        lateAfterMs: config.delivery.lateAfterMs,
        tenantSendsPerSecond: config.delivery.sendsPerSecond,
        ...options.backgroundWorkOptions?.outbox,
      },
    },
  });
  const flow: FlowDependencies = {
    stores,
    directory: options.directory,
    clock,
    identityKeySecret: config.identityHashKey,
    newId: () => randomUUID(),
    randomBytes: (count) => new Uint8Array(randomBytes(count)),
  };
  const figuresKeys = deriveFiguresTokenKeys(config.identityHashKey);
  const computeTermFigures = options.computeTermFigures;
  const application = createApplication({
    handlers: {
      ...(computeTermFigures === undefined
        ? {}
        : {
            followUpFigures: {
              compute: computeTermFigures,
              ...(tabBaseUrl === undefined
                ? {}
                : {
                    csvUrl: async (userId: string, term: Parameters<ComputeTermFigures>[0]) =>
                      toFiguresCsvUrl(
                        tabBaseUrl,
                        await issueFiguresToken(figuresKeys, { userId, term, now: clock.now() }),
                      ),
                  }),
            },
          }),
      flow,
      logger,
      kick: () => backgroundWork.kick(),
      ...(options.calendar === undefined ? {} : { calendar: options.calendar }),
      ...(options.deepCompassCatalogue === undefined
        ? {}
        : { deepCompassCatalogue: options.deepCompassCatalogue }),
    },
    personalChat: createPersonalChat({ adapter, appId, stores, sendProactive, clock, logger }),
  });

  adapter.onTurnError = async (context, error) => {
    logger.error({ err: error, activityId: context.activity.id }, 'Fel under turen');
    try {
      await context.sendActivity(describeErrorForUser(error));
    } catch (sendError) {
      logger.error({ err: sendError, activityId: context.activity.id }, 'Felmeddelandet kunde inte skickas');
    }
  };

  const savedConversations = createSavedConversationMemory();
  const rememberConversation = async (context: TurnContext) => {
    const stored = toStoredConversation(context.activity, clock.now());
    if (stored === undefined || savedConversations.isUnchanged(stored)) return;
    try {
      await stores.conversations.save(stored);
      savedConversations.remember(stored);
    } catch (error) {
      // Not being able to reach someone later must not stop what they are doing now.
      logger.warn(
        { err: error, activityId: context.activity.id },
        'Konversationsreferensen kunde inte sparas',
      );
    }
  };

  /**
   * docs/security.md 10 for messages: each message activity is acted on once. The id is recorded
   * BEFORE acting, so a redelivery that arrives while the first turn is still slow is ignored
   * rather than answered twice. The price: if the process dies between recording and answering,
   * the redelivery is ignored too and the user gets no answer and writes again; nothing is lost,
   * since a message changes no case (it opens a card or answers a question).
   *
   * Invokes are not skipped here: Teams resends an invoke whose answer it did not get, and a
   * skipped one would show the user an error. Their use cases are idempotent instead (the draft
   * id, the card's ETag) and answer a repeat with the stored result.
   */
  const isRedeliveredMessage = async (context: TurnContext): Promise<boolean> => {
    const { activity } = context;
    if (activity.type !== ActivityTypes.Message || !activity.id) return false;
    const now = clock.now();
    const firstTime = await stores.activities.record({
      id: toActivityLedgerId(context),
      handledAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + activityMemoryMs).toISOString(),
    });
    if (!firstTime)
      logger.info({ activityId: activity.id, outcome: 'redanBehandlad' }, 'Aktiviteten kom igen');
    return !firstTime;
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
        verb: readVerb(activity),
      },
      'Aktivitet mottagen',
    );
    if (await isRedeliveredMessage(context)) return;
    await rememberConversation(context);
    await application.run(context);
  };

  const findMalformation = createMalformationCheck(listRoutedVerbs(application));
  const tab =
    config.tab === undefined
      ? undefined
      : await createChannelTab({
          config: config.tab,
          allowedTenantIds: config.allowedTenantIds,
          flow,
          logger,
          kick: () => backgroundWork.kick(),
          ...(options.familyCopy === undefined ? {} : { familyCopy: options.familyCopy }),
        });
  // A choice of configuration, not a fault: the start-up summary says it too (tab: ingen).
  if (tab === undefined) logger.info('Kanalfliken är avstängd: PUBLIC_BASE_URL och TAB_SSO_CLIENT_ID saknas');
  const app = createHttpApp({
    adapter,
    findMalformation,
    logic,
    logger,
    mounts: [
      ...(tab === undefined
        ? []
        : [
            { path: '/tab', router: tab.site },
            { path: '/api/tab', router: tab.api },
          ]),
      ...(computeTermFigures === undefined
        ? []
        : [
            {
              path: '/api/statistik',
              router: createFiguresDownload({ flow, keys: figuresKeys, computeTermFigures, logger }),
            },
          ]),
    ],
  });
  const runBackgroundWork = options.runBackgroundWork ?? true;

  let server: Server | undefined;
  return {
    app,
    sendProactive,
    backgroundWork,
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
        // The banner once, for the person at the terminal; the log gets one short line of its own.
        process.stderr.write(`\n${localModeWarning}\n\n`);
        logger.warn(
          { mode: 'local', host: config.host, port },
          'Lokalt läge: inloggningen är avstängd och servern lyssnar bara på loopback',
        );
      }
      if (runBackgroundWork) backgroundWork.start();
      logger.info({ mode: config.mode, host: config.host, port }, 'Backa barnet lyssnar');
      return { port, url: `http://${host}:${port}` };
    },
    async close() {
      const closing = server;
      server = undefined;
      if (closing === undefined) return;
      if (runBackgroundWork) await backgroundWork.stop();
      await new Promise<void>((resolve) => {
        closing.close(() => resolve());
        closing.closeAllConnections();
      });
    },
  };
}
