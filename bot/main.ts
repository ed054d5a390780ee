/**
 * Entry point: reads the configuration, the directory and the stores, starts the bot, and
 * stops cleanly on SIGTERM (App Service) or Ctrl+C. Any start-up failure is printed as a
 * clear message for IT staff and the process exits non-zero, so the platform notices.
 */

import { DefaultAzureCredential } from '@azure/identity';
import { computeTermFigures } from '../flows/follow-up-figures/compute-term-figures.js';
import { type Calendar, toMailboxKey } from '../flows/kernel/calendar.js';
import type { Directory } from '../flows/kernel/directory.js';
import type { Clock, Stores } from '../flows/kernel/ports.js';
import { openEmbeddedCalendar, toCalendarPath } from '../infra/calendar/embedded-calendar.js';
import { createEmbeddedTeamChannels, toPlaygroundChannel } from '../infra/channels/embedded-team-channels.js';
import { loadCompassCatalogueFile } from '../infra/compass-catalogue-file.js';
import { type Config, defaultSqlitePath, loadConfig, summarizeConfig } from '../infra/config.js';
import { loadDirectoryFile } from '../infra/directory-file.js';
import { createGraphCalendar } from '../infra/graph/graph-calendar.js';
import { createGraphClient } from '../infra/graph/graph-client.js';
import { createGraphTeamChannels } from '../infra/graph/graph-team-channels.js';
import { createMsalTokenProvider, type GraphTokenProvider } from '../infra/graph/graph-token.js';
import type { Logger } from '../infra/logger.js';
import { createLogger, maskIdentityNumbers } from '../infra/logger.js';
import { createCosmosClient, openCosmosStores } from '../infra/store/cosmos-stores.js';
import { openSqliteStores } from '../infra/store/sqlite-stores.js';
import { loadFamilyCopyRenderer } from '../web/family-copy/create-renderer.js';
import { type CreateBotOptions, createBot } from './create-bot.js';

async function openStores(config: Config, directory: Directory): Promise<Stores> {
  if (config.store.kind === 'sqlite') return openSqliteStores({ path: config.store.path });
  const client = createCosmosClient({
    endpoint: config.store.endpoint,
    ...(config.store.key === undefined
      ? {
          credential: new DefaultAzureCredential(
            config.botAuth.kind === 'UserAssignedMSI'
              ? { managedIdentityClientId: config.botAuth.appId }
              : {},
          ),
        }
      : { key: config.store.key }),
  });
  // Locally the emulator starts empty; in Azure the Bicep templates own the containers.
  return openCosmosStores({
    client,
    databaseId: config.store.database,
    createIfMissing: config.mode === 'local',
    // A backstop behind the daily retention sweep, never earlier than it: 31 days a month.
    auditRetentionDays: directory.retention.accessLogMonths * 31 + 1,
  });
}

const graphScope = 'https://graph.microsoft.com/.default';

/**
 * Microsoft Graph when the bot has production credentials (the app registration's secret, or its
 * managed identity), else the embedded calendar next to the SQLite store for the local demo.
 */
function openCalendar(
  config: Config,
  logger: Logger,
  directory: Directory,
): { calendar: Calendar; close: () => void } {
  const tokenProvider = createGraphTokenProvider(config);
  if (tokenProvider !== undefined) {
    return { calendar: createGraphCalendar(createGraphClient({ tokenProvider, logger })), close: () => {} };
  }
  const storePath = config.store.kind === 'sqlite' ? config.store.path : defaultSqlitePath;
  // As the municipality's Graph would: its own employees' free/busy only, not a guest's mailbox
  // at home nor an address outside Teams (their availability is then unknown on the proposal).
  const employees = new Set(
    directory.contacts
      .filter((contact) => contact.kind === 'medarbetare')
      .map((contact) => toMailboxKey(contact.email)),
  );
  const embedded = openEmbeddedCalendar({
    path: toCalendarPath(storePath),
    canReadFreeBusy: (mailbox) => !isOutsideEmployees(directory, employees, mailbox),
  });
  return { calendar: embedded, close: () => embedded.close() };
}

/** The bot's app-only Graph token, when it has production credentials (secret or managed identity). */
function createGraphTokenProvider(config: Config): GraphTokenProvider | undefined {
  const auth = config.botAuth;
  let tokenProvider: GraphTokenProvider | undefined;
  if (auth.kind === 'SingleTenant' && auth.password !== '') {
    tokenProvider = createMsalTokenProvider({
      tenantId: auth.tenantId,
      clientId: auth.appId,
      clientSecret: auth.password,
    });
  } else if (auth.kind === 'UserAssignedMSI') {
    const credential = new DefaultAzureCredential({ managedIdentityClientId: auth.appId });
    tokenProvider = {
      async getAccessToken() {
        return (await credential.getToken(graphScope)).token;
      },
    };
  }
  return tokenProvider;
}

/**
 * Private channels through Graph when the bot has production credentials; otherwise the
 * playground's team, whose "Ärenden" channel takes every local channel's posts.
 */
function openTeamChannels(config: Config, logger: Logger): NonNullable<CreateBotOptions['teamChannels']> {
  const tokenProvider = createGraphTokenProvider(config);
  if (tokenProvider !== undefined) {
    return {
      channels: createGraphTeamChannels({
        client: createGraphClient({ tokenProvider, logger }),
        teamsAppId: config.teamsAppId,
      }),
    };
  }
  return { channels: createEmbeddedTeamChannels(), toConversationChannel: toPlaygroundChannel };
}

/**
 * A mailbox the directory lists as a guest's or as someone's outside Teams. Mailboxes the
 * directory does not list (an Upptäckare's, in the local run) are read as before.
 */
function isOutsideEmployees(directory: Directory, employees: ReadonlySet<string>, mailbox: string): boolean {
  const key = toMailboxKey(mailbox);
  if (employees.has(key)) return false;
  return [...directory.contacts, ...directory.contactsOutsideTeams].some(
    (contact) => toMailboxKey(contact.email) === key,
  );
}

/**
 * The machine clock, or (LOCAL_CLOCK_OFFSET, accepted in local mode only) one that runs that far
 * ahead of it, so that someone trying the playground sees a reminder days ahead now. Everything
 * the bot dates and every sweep reads this one clock, so what it writes stays consistent.
 */
function createClock(config: Config, logger: Logger): Clock | undefined {
  const offsetMs = config.clockOffsetMs;
  if (offsetMs === undefined || offsetMs === 0) return undefined;
  logger.warn(
    { clockOffsetMs: offsetMs },
    'Lokalt läge: botens klocka går före datorns (LOCAL_CLOCK_OFFSET)',
  );
  return { now: () => new Date(Date.now() + offsetMs) };
}

async function start(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.logLevel, base: { service: 'backa-barnet-bot' } });
  logger.info(summarizeConfig(config), 'Backa barnet startar');
  const directory = loadDirectoryFile(config.directoryFile);
  // Before the stores open: a catalogue that cannot be used stops the start with its problems listed.
  const deepCompassCatalogue = loadCompassCatalogueFile(config.deepCompassFile);
  if (deepCompassCatalogue.example) {
    logger.warn(
      { deepCompassFile: config.deepCompassFile },
      'Fördjupad behovskompass: katalogen är ett exempel, inte kommunens material (DEEP_COMPASS_FILE)',
    );
  }
  // Read like the catalogue: a language file with a missing text stops the start, not a download.
  const familyCopy = loadFamilyCopyRenderer(config.familyCopyDir);
  logger.info(
    {
      familyCopyDir: config.familyCopyDir,
      languages: familyCopy.languages.map((item) => item.code).join(','),
    },
    'Familjens version av Barnets plan: språk lästa',
  );
  const stores = await openStores(config, directory);
  const calendar = openCalendar(config, logger, directory);
  const clock = createClock(config, logger);
  const bot = await createBot({
    ...(clock === undefined ? {} : { clock }),
    config,
    stores,
    directory,
    deepCompassCatalogue,
    familyCopy,
    logger,
    calendar: calendar.calendar,
    teamChannels: openTeamChannels(config, logger),
    computeTermFigures: (term) =>
      computeTermFigures({ stores, directory, clock: clock ?? { now: () => new Date() } }, term),
  });
  await bot.listen();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Backa barnet stänger');
    await bot.close();
    await stores.close();
    calendar.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

start().catch((error: unknown) => {
  // Config and directory errors already list every problem in Swedish; nothing here is a secret.
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`\nBacka barnet kunde inte starta.\n${maskIdentityNumbers(message)}\n`);
  process.exit(1);
});
