/**
 * Entry point: reads the configuration, the directory and the stores, starts the bot, and
 * stops cleanly on SIGTERM (App Service) or Ctrl+C. Any start-up failure is printed as a
 * clear message for IT staff and the process exits non-zero, so the platform notices.
 */
import { DefaultAzureCredential } from '@azure/identity';
import type { Stores } from '../flows/ports.js';
import { type Config, loadConfig, summarizeConfig } from '../infra/config.js';
import { loadDirectoryFile } from '../infra/directory-file.js';
import { createLogger, maskIdentityNumbers } from '../infra/logger.js';
import { createCosmosClient, openCosmosStores } from '../infra/store/cosmos-stores.js';
import { openSqliteStores } from '../infra/store/sqlite-stores.js';
import { createBot } from './create-bot.js';

async function openStores(config: Config): Promise<Stores> {
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
  });
}

async function start(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.logLevel, base: { service: 'backa-barnet-bot' } });
  logger.info(summarizeConfig(config), 'Backa barnet startar');
  const directory = loadDirectoryFile(config.directoryFile);
  const stores = await openStores(config);
  const bot = await createBot({ config, stores, directory, logger });
  await bot.listen();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Backa barnet stänger');
    await bot.close();
    await stores.close();
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
