#!/usr/bin/env node
// `npm start`: builds the bot, runs it in local mode on this machine (SQLite, the sample
// municipality's directory) and opens the Microsoft 365 Agents Playground on it, so that a
// developer can talk to the bot in a browser without a Microsoft 365 tenant.
//
// Both programs run as children of this script. Ctrl-C stops both; if one of them stops on
// its own, the other is stopped too and the script exits with an error.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  defaultPlaygroundPort,
  describePlaygroundCommand,
  findListeningPort,
  repoRoot,
} from './playground.mjs';

const botPort = 3978;
const botBaseUrl = `http://127.0.0.1:${botPort}`;
const botEndpoint = `${botBaseUrl}/api/messages`;
const dataDir = join(repoRoot, '.data');
// .data/ is gitignored: the key never reaches the repository.
const identityHashKeyFile = join(dataDir, 'identity-hash-key');
const startTimeoutMs = 30_000;
const stopTimeoutMs = 5_000;

/** Children that are running, by name; each entry is removed when its process exits. */
const running = new Map();
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

/** Starts a child whose output lines are prefixed with its name. */
function startChild(name, command, args, env) {
  const child = spawn(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const forward = (stream) => (chunk) => {
    const text = chunk.toString('utf8');
    output += text;
    for (const line of text.split('\n')) if (line.trim() !== '') stream.write(`[${name}] ${line}\n`);
  };
  child.stdout.on('data', forward(process.stdout));
  child.stderr.on('data', forward(process.stderr));
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
      void stopAll(`${name === 'bot' ? 'Boten' : 'Playground'} avslutades oväntat (${how}).`, 1);
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
  // The playground first, so that it does not report the bot as gone.
  for (const name of ['playground', 'bot']) {
    const entry = running.get(name);
    if (entry) await stopChild(entry);
  }
  process.exit(exitCode);
}

async function waitForBotHealth() {
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const response = await fetch(`${botBaseUrl}/healthz`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (!stopping)
    await stopAll(`Boten svarade inte på ${botBaseUrl}/healthz inom ${startTimeoutMs / 1000} s.`, 1);
}

async function waitForPlaygroundPort(entry) {
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline && !stopping) {
    const port = findListeningPort(entry.output());
    if (port !== undefined) return port;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!stopping) await stopAll(`Playground startade inte inom ${startTimeoutMs / 1000} s.`, 1);
  return undefined;
}

async function main() {
  process.on('SIGINT', () => void stopAll('Stoppar boten och playground …', 0));
  process.on('SIGTERM', () => void stopAll('Stoppar boten och playground …', 0));

  build();
  const identityHashKey = readOrCreateIdentityHashKey();

  say(`Startar boten i lokalt läge på ${botBaseUrl} …`);
  startChild('bot', process.execPath, ['dist/bot/main.js'], {
    ...process.env,
    BOT_MODE: 'local',
    PORT: String(botPort),
    STORE: 'sqlite',
    SQLITE_PATH: '.data/backa.sqlite',
    DIRECTORY_FILE: 'config/directory.sample.yaml',
    IDENTITY_HASH_KEY: identityHashKey,
  });
  await waitForBotHealth();

  const playground = describePlaygroundCommand({
    port: defaultPlaygroundPort,
    botEndpoint,
    logFile: join(dataDir, 'playground.log'),
  });
  const playgroundEntry = startChild('playground', playground.command, playground.args, {
    ...process.env,
    ...playground.env,
  });
  const port = await waitForPlaygroundPort(playgroundEntry);
  if (port === undefined) return;

  const url = `http://localhost:${port}`;
  say('');
  say('============================================================');
  say('  Backa barnet körs lokalt.');
  say(`  Öppna ${url} i webbläsaren.`);
  say('  Du är Alex Andersson, lärare på Björkskolan (Exempelby kommun).');
  say('  Skriv "hjälp" i den personliga chatten för att komma igång.');
  say('  Stoppa med Ctrl-C.');
  say('============================================================');
  say('');
}

main().catch(
  (error) => void stopAll(`Kunde inte starta: ${error instanceof Error ? error.message : error}`, 1),
);
