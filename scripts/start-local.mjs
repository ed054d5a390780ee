#!/usr/bin/env node
// `npm start`: builds the bot, runs it in local mode on this machine (SQLite, the sample
// municipality's directory or DIRECTORY_FILE) and starts one Microsoft 365 Agents Playground per
// person of the directory (the Upptäckare, every Barnkontakt, ersättare, the reservkontakt, the
// Barnteams' members), each on its own port, so that a newcomer can act in every role without a
// Microsoft 365 tenant.
//
// The order matters: the playgrounds (behind their connector gates, see scripts/playground.mjs)
// start first, then the bot, then the app is installed in every person's personal chat, as an
// organisation-wide set-up policy does in Teams. Only then is the banner printed, so no card can
// be sent to a person before their playground exists and the bot knows their chat.
//
// All programs run as children of this script. Ctrl-C stops them; if one of them stops on its
// own, the others are stopped too and the script exits with an error.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import {
  connectorPath,
  defaultPlaygroundPort,
  describeLocalPeople,
  describePlaygroundCommand,
  findListeningPort,
  installInPersonalChat,
  mockDataFile,
  repoRoot,
  startConnectorGate,
} from './playground.mjs';

const defaultBotPort = 3978;
const defaultDirectoryFile = 'config/directory.sample.yaml';
const defaultSqlitePath = '.data/backa.sqlite';
const dataDir = join(repoRoot, '.data');
// .data/ is gitignored: the key and the generated mock data never reach the repository.
const identityHashKeyFile = join(dataDir, 'identity-hash-key');
const startTimeoutMs = 45_000;
const stopTimeoutMs = 5_000;

/** Variables a local run must not pass on: local mode refuses credentials, and uses no Cosmos DB. */
export const removedVariables = [
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppTenantId',
  'MicrosoftAppType',
  'COSMOS_ENDPOINT',
  'COSMOS_DATABASE',
  'COSMOS_KEY',
];

/**
 * What a local run uses, from the environment `npm start` was given. Honoured: `PORT` (the bot),
 * `DIRECTORY_FILE`, `SQLITE_PATH`, `PLAYGROUND_PORT` (the first playground; the others follow it)
 * and everything the bot reads that is not fixed below (LOG_LEVEL, OUTBOX_…). Fixed, whatever
 * the environment says: `BOT_MODE=local` (no sign-in: nothing here has credentials), `HOST`
 * 127.0.0.1 (with sign-in off nobody else may reach the bot), `STORE=sqlite` (no Cosmos DB
 * account), `ALLOWED_TENANT_IDS` = the directory's tenant (the playgrounds pretend to be that
 * tenant; any other value would refuse every message) and `IDENTITY_HASH_KEY` (a random key made
 * once per machine in .data/, so local identity hashes stay stable between runs).
 *
 * @param {Record<string, string | undefined>} env
 * @returns {{ ok: true, botPort: number, firstPlaygroundPort: number, directoryFile: string, sqlitePath: string, ignored: string[] } | { ok: false, problems: string[] }}
 */
export function describeLocalRun(env) {
  const problems = [];
  const botPort = readPort(env.PORT, defaultBotPort, 'PORT', problems);
  const firstPlaygroundPort = readPort(
    env.PLAYGROUND_PORT,
    defaultPlaygroundPort,
    'PLAYGROUND_PORT',
    problems,
  );
  const directoryFile = nonEmpty(env.DIRECTORY_FILE) ?? defaultDirectoryFile;
  const sqlitePath = nonEmpty(env.SQLITE_PATH) ?? defaultSqlitePath;
  if (problems.length > 0) return { ok: false, problems };
  const ignored = [
    ...removedVariables,
    'BOT_MODE',
    'HOST',
    'STORE',
    'ALLOWED_TENANT_IDS',
    'IDENTITY_HASH_KEY',
  ].filter((name) => nonEmpty(env[name]) !== undefined);
  return { ok: true, botPort, firstPlaygroundPort, directoryFile, sqlitePath, ignored };
}

/**
 * The bot's environment: the caller's, without credentials and Cosmos settings, with the fixed
 * values of a local run (see `describeLocalRun`).
 *
 * @param {Record<string, string | undefined>} env
 * @param {{ botPort: number, directoryFile: string, sqlitePath: string, tenantId: string, identityHashKey: string }} run
 * @returns {Record<string, string>}
 */
export function describeBotEnvironment(env, run) {
  /** @type {Record<string, string>} */
  const kept = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !removedVariables.includes(name)) kept[name] = value;
  }
  return {
    ...kept,
    BOT_MODE: 'local',
    HOST: '127.0.0.1',
    PORT: String(run.botPort),
    STORE: 'sqlite',
    SQLITE_PATH: run.sqlitePath,
    DIRECTORY_FILE: run.directoryFile,
    ALLOWED_TENANT_IDS: run.tenantId,
    IDENTITY_HASH_KEY: run.identityHashKey,
  };
}

function readPort(value, fallback, name, problems) {
  const text = nonEmpty(value);
  if (text === undefined) return fallback;
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isInteger(port) && port >= 1 && port <= 65535) return port;
  problems.push(`${name}: ska vara ett portnummer mellan 1 och 65535 (är "${text}")`);
  return fallback;
}

function nonEmpty(value) {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Children that are running, by name; each entry is removed when its process exits. */
const running = new Map();
/** The connector gates, closed last. */
const gates = [];
let stopping = false;

function say(text) {
  process.stdout.write(`${text}\n`);
}

function complain(text) {
  process.stderr.write(`\n${text}\n`);
}

function build() {
  say('Bygger boten (npm run build) …');
  // npm_execpath is set when this runs as `npm start`: use the same npm, on every platform.
  const npmCli = process.env.npm_execpath;
  const result = npmCli
    ? spawnSync(process.execPath, [npmCli, 'run', 'build'], { cwd: repoRoot, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build'], {
        cwd: repoRoot,
        stdio: 'inherit',
        shell: process.platform === 'win32',
      });
  if (result.status !== 0) {
    complain('Bygget misslyckades; se felen ovan. Boten startades inte.');
    process.exit(1);
  }
}

/** A random key made once per machine, so that local identity hashes stay stable between runs. */
function readOrCreateIdentityHashKey() {
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(identityHashKeyFile)) {
    writeFileSync(identityHashKeyFile, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  }
  return readFileSync(identityHashKeyFile, 'utf8').trim();
}

/**
 * Starts a child. The bot's output is shown with its name before each line; a playground's
 * output is kept (its port is read from it) and only its error output is shown, or fourteen
 * playgrounds would drown the bot's log.
 */
function startChild(name, command, args, env, { quiet = false } = {}) {
  const child = spawn(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const forward = (stream, show) => (chunk) => {
    const text = chunk.toString('utf8');
    output = (output + text).slice(-20_000);
    if (!show) return;
    for (const line of text.split('\n')) if (line.trim() !== '') stream.write(`[${name}] ${line}\n`);
  };
  child.stdout.on('data', forward(process.stdout, !quiet));
  child.stderr.on('data', forward(process.stderr, true));
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
  });
  const entry = { name, child, exited, output: () => output };
  running.set(name, entry);
  exited.then((result) => {
    running.delete(name);
    // Ctrl-C reaches the children too (same terminal process group), and their exit may be
    // noticed before our own SIGINT handler runs: give that handler a moment first.
    setTimeout(() => {
      if (stopping) return;
      const how = result.error ? result.error.message : `kod ${result.code ?? result.signal}`;
      void stopAll(`${name === 'bot' ? 'Boten' : name} avslutades oväntat (${how}).`, 1);
    }, 300);
  });
  return entry;
}

async function stopChild(entry) {
  if (entry.child.exitCode !== null || entry.child.signalCode !== null) return;
  entry.child.kill('SIGTERM');
  const timer = setTimeout(() => entry.child.kill('SIGKILL'), stopTimeoutMs);
  await entry.exited;
  clearTimeout(timer);
}

async function stopAll(reason, exitCode) {
  if (stopping) return;
  stopping = true;
  if (exitCode === 0) say(`\n${reason}`);
  else complain(reason);
  // The playgrounds first, so that they do not report the bot as gone.
  const playgrounds = [...running.values()].filter((entry) => entry.name !== 'bot');
  await Promise.all(playgrounds.map(stopChild));
  const bot = running.get('bot');
  if (bot) await stopChild(bot);
  await Promise.all(gates.map((gate) => gate.close()));
  process.exit(exitCode);
}

async function waitForBotHealth(botBaseUrl) {
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const response = await fetch(`${botBaseUrl}/healthz`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (!stopping)
    await stopAll(`Boten svarade inte på ${botBaseUrl}/healthz inom ${startTimeoutMs / 1000} s.`, 1);
  return false;
}

async function waitForPlaygroundPort(entry) {
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline && !stopping) {
    const port = findListeningPort(entry.output());
    if (port !== undefined) return port;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

/** A port the OS says is free on loopback now (the playground moves on if it is taken after all). */
function findFreePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function readYaml(path, what) {
  try {
    return parse(readFileSync(path, 'utf8'));
  } catch (error) {
    complain(`${what} (${path}) kunde inte läsas: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}

/** Starts one person's playground and its gate; returns the URL they open. */
async function startPersonPlayground(person, index, { firstPlaygroundPort, botEndpoint }) {
  const gatePort = firstPlaygroundPort + index;
  const slug = person.displayName
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .toLowerCase();
  const configFile = join(dataDir, 'playground', `${index + 1}-${slug}.yml`);
  writeFileSync(configFile, stringify(person.mockData), 'utf8');
  const playground = describePlaygroundCommand({
    port: await findFreePort(),
    botEndpoint,
    logFile: join(dataDir, 'playground', `${index + 1}-${slug}.log`),
    serviceUrl: `http://127.0.0.1:${gatePort}${connectorPath}`,
    configFile,
  });
  const entry = startChild(
    `playground ${person.displayName}`,
    playground.command,
    playground.args,
    { ...process.env, ...playground.env },
    { quiet: true },
  );
  const playgroundPort = await waitForPlaygroundPort(entry);
  if (playgroundPort === undefined) {
    throw new Error(`playground för ${person.displayName} startade inte inom ${startTimeoutMs / 1000} s`);
  }
  let gate;
  try {
    gate = await startConnectorGate({
      port: gatePort,
      targetPort: playgroundPort,
      onRefused: () =>
        say(
          `[playground ${person.displayName}] Ett meddelande väntar: sidan är inte öppen i någon webbläsare. ` +
            `Öppna http://localhost:${gatePort}; boten försöker igen.`,
        ),
    });
  } catch (error) {
    throw new Error(
      `port ${gatePort} (för ${person.displayName}) är upptagen eller kan inte användas (${error instanceof Error ? error.message : error}); sätt PLAYGROUND_PORT till en annan första port`,
    );
  }
  gates.push(gate);
  return { person, playgroundPort, url: `http://localhost:${gatePort}` };
}

async function main() {
  process.on('SIGINT', () => void stopAll('Stoppar boten och playground …', 0));
  process.on('SIGTERM', () => void stopAll('Stoppar boten och playground …', 0));

  const run = describeLocalRun(process.env);
  if (!run.ok) {
    complain(`Boten startades inte:\n${run.problems.map((p) => `  ${p}`).join('\n')}`);
    process.exit(1);
  }
  const directoryPath = isAbsolute(run.directoryFile) ? run.directoryFile : join(repoRoot, run.directoryFile);
  if (!existsSync(directoryPath)) {
    complain(`DIRECTORY_FILE: ${run.directoryFile} finns inte.`);
    process.exit(1);
  }
  build();
  const identityHashKey = readOrCreateIdentityHashKey();
  const directory = readYaml(directoryPath, 'Katalogen');
  const mockData = readYaml(mockDataFile, 'Playgroundens exempeldata');
  const { people, outsideTeams, leftOut } = describeLocalPeople({ directory, mockData });
  const tenantId = people[0]?.mockData.tenantId ?? mockData.tenantId;
  mkdirSync(join(dataDir, 'playground'), { recursive: true });

  const botBaseUrl = `http://127.0.0.1:${run.botPort}`;
  const botEndpoint = `${botBaseUrl}/api/messages`;
  say(`Startar ${people.length} playground (en per person i katalogen) …`);
  let started;
  try {
    started = await Promise.all(
      people.map((person, index) =>
        startPersonPlayground(person, index, { firstPlaygroundPort: run.firstPlaygroundPort, botEndpoint }),
      ),
    );
  } catch (error) {
    await stopAll(`Kunde inte starta playground: ${error instanceof Error ? error.message : error}`, 1);
    return;
  }
  if (stopping) return;

  say(`Startar boten i lokalt läge på ${botBaseUrl} …`);
  startChild(
    'bot',
    process.execPath,
    ['dist/bot/main.js'],
    describeBotEnvironment(process.env, { ...run, tenantId, identityHashKey }),
  );
  if (!(await waitForBotHealth(botBaseUrl))) return;

  for (const { person, playgroundPort } of started) {
    try {
      await installInPersonalChat({ playgroundPort, personalChatId: person.mockData.personalChat.id });
    } catch (error) {
      complain(
        `Appen kunde inte installeras för ${person.displayName} (${error instanceof Error ? error.message : error}); ` +
          'kort till personen väntar tills hen har öppnat sin playground.',
      );
    }
  }

  const directoryShown = isAbsolute(run.directoryFile)
    ? relative(repoRoot, run.directoryFile)
    : run.directoryFile;
  const municipality = directory?.municipality?.name ?? 'kommunen';
  say('');
  say('==============================================================================');
  say(`  Backa barnet körs lokalt: ${municipality} (${directoryShown}), boten på ${botBaseUrl}.`);
  say('  En playground per person: öppna personens adress i webbläsaren för att vara hen.');
  say('');
  for (const { person, url } of started) {
    const title = person.title === undefined ? '' : ` (${person.title})`;
    say(`  ${url}  ${person.displayName}${title}`);
    for (const role of person.roles) say(`      ${role}`);
  }
  say('');
  if (outsideTeams.length > 0)
    say(`  Utan Teams (får bara kallelser med e-post): ${outsideTeams.join(', ')}.`);
  if (leftOut.length > 0) say(`  Ingen playground (högst ${people.length}): ${leftOut.join(', ')}.`);
  if (run.ignored.length > 0) say(`  Används inte i lokalt läge: ${run.ignored.join(', ')}.`);
  say('  Skriv "hjälp" i den personliga chatten för att komma igång.');
  say('  Ett kort till någon vars sida inte är öppen väntar hos boten tills sidan öppnas.');
  say('  Stoppa med Ctrl-C.');
  say('==============================================================================');
  say('');
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch(
    (error) => void stopAll(`Kunde inte starta: ${error instanceof Error ? error.message : error}`, 1),
  );
}
