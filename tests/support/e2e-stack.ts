/**
 * Starts the local stack of an end-to-end test: the bot (in local mode, on a temporary SQLite
 * file) and the Microsoft 365 Agents Playground pointed at it, both on free loopback ports, and
 * stops them again so that no process outlives the test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describePlaygroundCommand, findListeningPort, repoRoot } from '../../scripts/playground.mjs';

const sampleTenantId = '5e0b1d3a-7c2f-4b8e-9a61-3f4d2c1b0a99';
const startTimeoutMs = 45_000;
const stopTimeoutMs = 5_000;
const keptOutputChars = 20_000;

export interface LocalStack {
  /** The URL a user opens in the browser. */
  readonly playgroundUrl: string;
  readonly botEndpoint: string;
  /** The last output of the bot and the playground, for the failure message. */
  describeOutput(): string;
  stop(): Promise<void>;
}

interface RunningChild {
  readonly name: string;
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the bot and the playground. The bot is `bot/main.ts` run through tsx, so that the test
 * needs no build step; `botEntry` (relative to the repository) runs another entry the same way.
 */
export async function startLocalStack(options: { botEntry?: string } = {}): Promise<LocalStack> {
  const workDir = await mkdtemp(join(tmpdir(), 'backa-e2e-'));
  const children: RunningChild[] = [];
  const stack: LocalStack = {
    playgroundUrl: '',
    botEndpoint: '',
    describeOutput: () => children.map((c) => `--- ${c.name} ---\n${c.output()}`).join('\n'),
    stop: async () => {
      // Playground first: it would otherwise keep calling a bot that is gone.
      for (const running of [...children].reverse()) await running.stop();
      await rm(workDir, { recursive: true, force: true });
    },
  };
  try {
    const botPort = await findFreePort();
    const botEndpoint = `http://127.0.0.1:${botPort}/api/messages`;
    const bot = spawnChild('bot', process.execPath, ['--import', 'tsx', options.botEntry ?? 'bot/main.ts'], {
      cwd: repoRoot,
      env: {
        ...baseEnvironment(),
        BOT_MODE: 'local',
        PORT: String(botPort),
        STORE: 'sqlite',
        SQLITE_PATH: join(workDir, 'backa.sqlite'),
        DIRECTORY_FILE: 'config/directory.sample.yaml',
        ALLOWED_TENANT_IDS: sampleTenantId,
        IDENTITY_HASH_KEY: randomBytes(32).toString('hex'),
        LOG_LEVEL: 'info',
      },
    });
    children.push(bot);
    await waitForHealth(bot, `http://127.0.0.1:${botPort}/healthz`);

    const playground = describePlaygroundCommand({
      port: await findFreePort(),
      botEndpoint,
      logFile: join(workDir, 'playground.log'),
    });
    const playgroundChild = spawnChild('playground', playground.command, playground.args, {
      cwd: workDir,
      env: { ...baseEnvironment(), ...playground.env },
    });
    children.push(playgroundChild);
    const playgroundPort = await waitForOutput(playgroundChild, findListeningPort);
    return { ...stack, botEndpoint, playgroundUrl: `http://localhost:${playgroundPort}/` };
  } catch (error) {
    const output = stack.describeOutput();
    await stack.stop();
    throw new Error(`Kunde inte starta boten och playground: ${String(error)}\n${output}`);
  }
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
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-keptOutputChars);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
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
