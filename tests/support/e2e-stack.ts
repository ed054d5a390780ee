/**
 * Starts the local stack of an end-to-end test: the bot (in local mode, on a temporary SQLite
 * file) and the Microsoft 365 Agents Playground pointed at it, both on free loopback ports, and
 * stops them again so that no process outlives the test.
 *
 * The playground always acts as its one `currentUser`. To let a second person act (a Barnkontakt
 * answering a card), the stack can start one more playground per person against the same bot,
 * each with the same mock data but that person as the current user.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import {
  type ConnectorGate,
  connectorPath,
  describePlaygroundCommand,
  findListeningPort,
  installInPersonalChat,
  mockDataFile,
  repoRoot,
  startConnectorGate,
} from '../../scripts/playground.mjs';

const sampleTenantId = '5e0b1d3a-7c2f-4b8e-9a61-3f4d2c1b0a99';
const startTimeoutMs = 45_000;
const stopTimeoutMs = 5_000;
const keptOutputChars = 20_000;

export interface LocalStack {
  /** The URL a user opens in the browser. */
  readonly playgroundUrl: string;
  /** The playground of each user in `actingUsers`, by Entra object id. */
  readonly playgroundUrlsByUser: ReadonlyMap<string, string>;
  readonly botEndpoint: string;
  /** The bot's SQLite file (deleted by `stop`). */
  readonly sqlitePath: string;
  /** The last output of the bot and the playgrounds, for the failure message. */
  describeOutput(): string;
  /** Everything the bot process(es) wrote to stdout and stderr since the stack started, for the log scan. */
  botOutput(): string;
  /**
   * Stops the bot and starts it again on the same port, SQLite file and secrets, with `env` added
   * (e.g. `LOCAL_CLOCK_OFFSET`): the playgrounds keep running, and the bot's first sweep catches up
   * on what fell due while it was down.
   */
  restartBot(env?: Readonly<Record<string, string>>): Promise<void>;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  /** Another entry than `bot/main.ts` (relative to the repository), run the same way. */
  readonly botEntry?: string;
  /**
   * Entra object ids of mock users (`users` in .m365agentsplayground.yml) who get a playground
   * of their own in which they are the current user.
   */
  readonly actingUsers?: readonly string[];
  /** The bot's DIRECTORY_FILE (relative to the repository); the sample directory when absent. */
  readonly directoryFile?: string;
  /**
   * Runs each playground as `npm start` does: behind its connector gate (a new message for a
   * playground that no page has open is refused, and stays in the outbox), and with the app
   * installed in each acting user's personal chat at start, before any page is open.
   */
  readonly asNpmStart?: boolean;
}

interface RunningChild {
  readonly name: string;
  readonly child: ChildProcess;
  /** The last `keptOutputChars` of stdout and stderr. */
  output(): string;
  /** All of stdout and stderr. */
  fullOutput(): string;
  stop(): Promise<void>;
}

/**
 * Starts the bot and the playground(s). The bot is `bot/main.ts` run through tsx, so that the
 * test needs no build step.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const workDir = await mkdtemp(join(tmpdir(), 'backa-e2e-'));
  const sqlitePath = join(workDir, 'backa.sqlite');
  const children: RunningChild[] = [];
  const gates: ConnectorGate[] = [];
  /** The output of bot processes already stopped by a restart. */
  const earlierBotOutput: string[] = [];
  let startBot: ((env: Readonly<Record<string, string>>) => Promise<void>) | undefined;
  const stack: LocalStack = {
    playgroundUrl: '',
    playgroundUrlsByUser: new Map(),
    botEndpoint: '',
    sqlitePath,
    describeOutput: () => children.map((c) => `--- ${c.name} ---\n${c.output()}`).join('\n'),
    botOutput: () =>
      [...earlierBotOutput, children.find((c) => c.name === 'bot')?.fullOutput() ?? ''].join('\n'),
    restartBot: async (env = {}) => {
      const index = children.findIndex((c) => c.name === 'bot');
      const running = children[index];
      if (running === undefined || startBot === undefined) throw new Error('Boten körs inte');
      await running.stop();
      earlierBotOutput.push(running.fullOutput());
      children.splice(index, 1);
      await startBot(env);
    },
    stop: async () => {
      // Playground first: it would otherwise keep calling a bot that is gone.
      for (const running of [...children].reverse()) await running.stop();
      for (const gate of gates) await gate.close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
  try {
    const botPort = await findFreePort();
    const botEndpoint = `http://127.0.0.1:${botPort}/api/messages`;
    const botEnvironment = {
      ...baseEnvironment(),
      BOT_MODE: 'local',
      PORT: String(botPort),
      STORE: 'sqlite',
      SQLITE_PATH: sqlitePath,
      DIRECTORY_FILE: options.directoryFile ?? 'config/directory.sample.yaml',
      ALLOWED_TENANT_IDS: sampleTenantId,
      IDENTITY_HASH_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'info',
    };
    startBot = async (env) => {
      const bot = spawnChild(
        'bot',
        process.execPath,
        ['--import', 'tsx', options.botEntry ?? 'bot/main.ts'],
        {
          cwd: repoRoot,
          env: { ...botEnvironment, ...env },
        },
      );
      // Before the playgrounds, so that they are stopped first.
      children.unshift(bot);
      await waitForHealth(bot, `http://127.0.0.1:${botPort}/healthz`);
    };
    await startBot({});

    const gated = options.asNpmStart === true ? gates : undefined;
    const playgroundUrl = await startPlayground('playground', {
      workDir,
      botEndpoint,
      children,
      gates: gated,
    });
    const playgroundUrlsByUser = new Map<string, string>();
    for (const aadObjectId of options.actingUsers ?? []) {
      const mockData = join(workDir, `playground-${aadObjectId}.yml`);
      const mockDataAs = await describeMockDataAs(aadObjectId);
      await writeFile(mockData, stringify(mockDataAs), 'utf8');
      const url = await startPlayground(`playground ${aadObjectId}`, {
        workDir,
        botEndpoint,
        children,
        mockData,
        gates: gated,
        installIn: gated === undefined ? undefined : (mockDataAs.personalChat as { id: string }).id,
      });
      playgroundUrlsByUser.set(aadObjectId, url);
    }
    return { ...stack, botEndpoint, playgroundUrl, playgroundUrlsByUser };
  } catch (error) {
    const output = stack.describeOutput();
    await stack.stop();
    throw new Error(`Kunde inte starta boten och playground: ${String(error)}\n${output}`);
  }
}

/** Starts one playground against the bot and returns the URL a user opens. */
async function startPlayground(
  name: string,
  setup: {
    workDir: string;
    botEndpoint: string;
    children: RunningChild[];
    mockData?: string;
    /** Where a gate in front of the playground is kept; no gate when absent. */
    gates?: ConnectorGate[];
    /** The personal chat to install the app in once the playground runs. */
    installIn?: string;
  },
): Promise<string> {
  const logName = name.replace(/[^a-z0-9-]+/gi, '-');
  const gatePort = setup.gates === undefined ? undefined : await findFreePort();
  const playground = describePlaygroundCommand({
    port: await findFreePort(),
    botEndpoint: setup.botEndpoint,
    logFile: join(setup.workDir, `${logName}.log`),
    ...(gatePort === undefined ? {} : { serviceUrl: `http://127.0.0.1:${gatePort}${connectorPath}` }),
  });
  const child = spawnChild(name, playground.command, playground.args, {
    cwd: setup.workDir,
    env: {
      ...baseEnvironment(),
      ...playground.env,
      ...(setup.mockData === undefined ? {} : { M365_AGENTS_PLAYGROUND_CONFIG_PATH: setup.mockData }),
    },
  });
  setup.children.push(child);
  const port = await waitForOutput(child, findListeningPort);
  if (setup.gates === undefined || gatePort === undefined) return `http://localhost:${port}/`;
  const gate = await startConnectorGate({ port: gatePort, targetPort: port });
  setup.gates.push(gate);
  if (setup.installIn !== undefined) {
    await installInPersonalChat({ playgroundPort: port, personalChatId: setup.installIn });
  }
  return `http://localhost:${gate.port}/`;
}

interface MockUser {
  id: string;
  name: string;
  aadObjectId: string;
  [field: string]: unknown;
}

/**
 * The project's mock data with `aadObjectId` as the current user and the usual current user
 * among the other users, so the team and group chat hold the same people. The personal chat
 * gets an id of its own: in Teams each person's chat with the bot is a different conversation.
 */
export async function describeMockDataAs(aadObjectId: string): Promise<Record<string, unknown>> {
  const mockData = parse(await readFile(mockDataFile, 'utf8')) as {
    currentUser: MockUser;
    users: MockUser[];
    personalChat: { id: string };
    [field: string]: unknown;
  };
  const acting = mockData.users.find((user) => user.aadObjectId === aadObjectId);
  if (acting === undefined) throw new Error(`${aadObjectId} finns inte bland users i ${mockDataFile}`);
  return {
    ...mockData,
    currentUser: acting,
    users: [mockData.currentUser, ...mockData.users.filter((user) => user !== acting)],
    personalChat: { id: `a:local-personal-chat-${acting.id.replace(/^29:local-/, '')}` },
  };
}

/** Only what a Node process needs: no Microsoft* credentials leak in from the developer's shell. */
function baseEnvironment(): Record<string, string> {
  const kept: Record<string, string> = { TZ: 'Europe/Stockholm', NO_COLOR: '1' };
  for (const name of ['PATH', 'HOME', 'LANG', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}

function spawnChild(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string> },
): RunningChild {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  // Kept whole per stream, so that a character split between two chunks decodes as it was written.
  const written = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  let output = '';
  const keep = (stream: keyof typeof written) => (chunk: Buffer) => {
    written[stream].push(chunk);
    output = (output + chunk.toString('utf8')).slice(-keptOutputChars);
  };
  child.stdout?.on('data', keep('stdout'));
  child.stderr?.on('data', keep('stderr'));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => resolve());
    // A spawn error (command not found) emits 'error' and never 'exit'.
    child.once('error', () => resolve());
  });
  return {
    name,
    child,
    output: () => output,
    fullOutput: () =>
      `${Buffer.concat(written.stdout).toString('utf8')}\n${Buffer.concat(written.stderr).toString('utf8')}`,
    stop: async () => {
      if (hasEnded(child)) return;
      child.kill('SIGTERM');
      const stoppedInTime = await Promise.race([
        exited.then(() => true),
        delay(stopTimeoutMs).then(() => false),
      ]);
      if (!stoppedInTime) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

function hasEnded(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null || child.pid === undefined;
}

async function waitForHealth(running: RunningChild, url: string): Promise<void> {
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (hasEnded(running.child)) throw new Error(`${running.name} avslutades under starten`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await delay(200);
  }
  throw new Error(`${running.name} svarade inte på ${url} inom ${startTimeoutMs / 1000} s`);
}

async function waitForOutput<T>(running: RunningChild, find: (output: string) => T | undefined): Promise<T> {
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    const found = find(running.output());
    if (found !== undefined) return found;
    if (hasEnded(running.child)) throw new Error(`${running.name} avslutades under starten`);
    await delay(100);
  }
  throw new Error(`${running.name} blev inte klar inom ${startTimeoutMs / 1000} s`);
}

/** Asks the OS for a free loopback port. Another process could take it before we do; unlikely here. */
export function findFreePort(): Promise<number> {
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

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
