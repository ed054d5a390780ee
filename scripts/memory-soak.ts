/**
 * Does the bot keep something per request? Run by hand, never in CI:
 *
 *   npx tsx scripts/memory-soak.ts [--requests 30000] [--idle-seconds 30] [--out .tmp/memory-soak]
 *                                  [--malloc-stats]
 *
 * Bounded: at most 100 000 requests and 20 minutes of sending, at most 300 s idle.
 *
 * Starts bot/main.ts in local mode (SQLite in a fresh temp dir, the sample directory, a fake
 * Bot Connector of its own) on 127.0.0.1 only, sends a mix of hostile and ordinary activities
 * (bad JSON, malformed invokes, unknown verbs, random conversations and users, many distinct
 * draft ids, "ny upptäckt", complete Upptäckarkort submits), and reports RSS and heap used at
 * the start, after the requests, and after an idle period and a forced full GC. A heap snapshot
 * is written after GC at the start and at the end (under `--out`, gitignored; they hold the
 * made-up test data only), and the two are compared by constructor: what grew between them is
 * what the process retains.
 *
 * With `--malloc-stats` (Linux, gdb installed, ptrace allowed) gdb attaches to the bot at the end
 * and calls glibc's `malloc_stats()` and `malloc_trim(0)`: memory malloc holds but no longer
 * uses ("system" far above "in use") is the allocator's, not retained by the program, and the
 * RSS after the trim shows how much of it the process gives back.
 *
 * The bot answers the measurements over its parent's IPC channel (scripts/memory-soak-probe.mjs),
 * so nothing is added to its HTTP surface. Every socket is on loopback, and the run is bounded in
 * requests and time.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compassAreaKeys } from '../flows/kernel/compass.js';
import { computeLuhnCheckDigit } from '../flows/kernel/identity-number.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const loopback = '127.0.0.1';
const tenantId = '5e0b1d3a-7c2f-4b8e-9a61-3f4d2c1b0a99';
const maxRequests = 100_000;
const maxRunMs = 20 * 60 * 1000;
const concurrency = 16;

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '30000' },
    'idle-seconds': { type: 'string', default: '30' },
    out: { type: 'string' },
    'malloc-stats': { type: 'boolean', default: false },
  },
});
const requestCount = Math.min(Number(args.requests), maxRequests);
const idleSeconds = Math.min(Number(args['idle-seconds']), 300);
const outDir = args.out === undefined ? join(repoRoot, '.tmp', 'memory-soak') : resolve(args.out);
if (!Number.isInteger(requestCount) || requestCount < 1) throw new Error('--requests: a positive integer');
if (!Number.isFinite(idleSeconds) || idleSeconds < 0) throw new Error('--idle-seconds: a number of seconds');
// Heap snapshots hold every string in the process: only where git and the repository never look.
const snapshotRoots = [join(repoRoot, '.tmp'), resolve(tmpdir())];
if (!snapshotRoots.some((root) => outDir === root || outDir.startsWith(`${root}${sep}`))) {
  throw new Error(`--out: under ${snapshotRoots.join(' or ')}`);
}
const deadline = Date.now() + maxRunMs;

interface MemoryUsage {
  readonly rss: number;
  readonly heapTotal: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
  readonly rssAnon?: number;
  readonly rssFile?: number;
  readonly v8Malloced: number;
  readonly v8PeakMalloced: number;
}

/** A Bot Connector that accepts everything, so that the bot's replies and notices succeed. */
async function startFakeConnector(): Promise<{ server: Server; url: string; count: () => number }> {
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    request.resume();
    request.on('end', () => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ id: `svar-${requests}` }));
    });
  });
  await new Promise<void>((done) => server.listen(0, loopback, done));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://${loopback}:${port}/`, count: () => requests };
}

async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, loopback, done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

function startBot(port: number, dataDir: string) {
  const levels = new Map<string, number>();
  // The fixed message of each error line (never a payload), to see which requests fail.
  const errors = new Map<string, number>();
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', '--import', './scripts/memory-soak-probe.mjs', 'bot/main.ts'],
    {
      env: {
        PATH: process.env.PATH ?? '',
        TZ: 'Europe/Stockholm',
        BOT_MODE: 'local',
        HOST: loopback,
        PORT: String(port),
        STORE: 'sqlite',
        SQLITE_PATH: join(dataDir, 'backa.sqlite'),
        DIRECTORY_FILE: 'config/directory.sample.yaml',
        IDENTITY_HASH_KEY: randomBytes(32).toString('base64url'),
        LOG_LEVEL: 'info',
        // glibc's allocator settings pass through, to compare e.g. MALLOC_ARENA_MAX=2 or a lower
        // GLIBC_TUNABLES=glibc.malloc.mmap_threshold against the default.
        ...allocatorSettings(),
      },
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  // Read every log line (a full pipe would stall the bot) and count them by level.
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      const level = /"level":"?(\w+)/.exec(line)?.[1] ?? 'annat';
      levels.set(level, (levels.get(level) ?? 0) + 1);
      if (level === 'error' || level === 'fatal') {
        const text = /"msg":"([^"]{0,80})/.exec(line)?.[1] ?? '?';
        errors.set(text, (errors.get(text) ?? 0) + 1);
      }
    }
  });
  // Kept for malloc_stats(), which glibc prints on the bot's standard error.
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-64 * 1024);
  });
  return { child, levels, errors, stderr: () => stderr };
}

function allocatorSettings(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && (entry[0].startsWith('MALLOC_') || entry[0] === 'GLIBC_TUNABLES'),
    ),
  );
}

let nextMessageId = 0;
function ask<T>(child: ChildProcess, message: Record<string, unknown>): Promise<T> {
  const id = ++nextMessageId;
  return new Promise((done, fail) => {
    const onMessage = (answer: { id?: number; error?: string } & T) => {
      if (answer.id !== id) return;
      child.off('message', onMessage);
      if (answer.error !== undefined) fail(new Error(answer.error));
      else done(answer);
    };
    child.on('message', onMessage);
    child.send({ ...message, id });
  });
}

const measure = async (child: ChildProcess, afterGc: boolean) =>
  (await ask<{ usage: MemoryUsage }>(child, { command: afterGc ? 'measureAfterGc' : 'measure' })).usage;

async function waitForHealth(url: string): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt += 1) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error('Boten svarade inte på /healthz.');
}

// --- the activities ---------------------------------------------------------------------------

function randomUser() {
  const suffix = randomBytes(6).toString('hex');
  return {
    from: {
      id: `29:soak-${suffix}`,
      name: 'Soak Användare',
      aadObjectId: `0b3e7c11-5a2d-4f60-9e8b-${suffix}`,
    },
    conversationId: `a:soak-personal-${suffix}`,
  };
}

function common(serviceUrl: string, conversationType = 'personal') {
  const user = randomUser();
  const now = new Date().toISOString();
  return {
    id: `1:soak-${randomUUID()}`,
    timestamp: now,
    localTimestamp: now,
    channelId: 'msteams',
    serviceUrl,
    from: user.from,
    recipient: { id: '28:backa-barnet', name: 'Backa barnet' },
    conversation: { id: user.conversationId, conversationType, tenantId },
    channelData: { tenant: { id: tenantId } },
    locale: 'sv-SE',
  };
}

const message = (serviceUrl: string, text: string) => ({
  ...common(serviceUrl),
  type: 'message',
  text,
  textFormat: 'plain',
});

const invoke = (serviceUrl: string, value: unknown) => ({
  ...common(serviceUrl),
  type: 'invoke',
  name: 'adaptiveCard/action',
  replyToId: '1:soak-card',
  value,
});

const execute = (serviceUrl: string, verb: string, data: unknown) =>
  invoke(serviceUrl, { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' });

function identityNumber(turn: number): string {
  const pad = (value: number) => value.toString().padStart(2, '0');
  const datePart = `16${pad((turn % 12) + 1)}${pad((turn % 28) + 1)}`;
  const serial = (turn % 999).toString().padStart(3, '0');
  return `20${datePart}-${serial}${computeLuhnCheckDigit(`${datePart}${serial}`)}`;
}

function completeSubmission(turn: number): Record<string, unknown> {
  const flagged = new Set(['trygghet', 'maBra']);
  return {
    draftId: randomUUID(),
    childGivenName: 'Testbarn',
    childFamilyName: 'Soaksson',
    childIdentityNumber: identityNumber(turn),
    childBirthDate: '',
    childDueDate: '',
    unitId: 'bjorkskolan',
    firstBvcVisitDone: '',
    forskolaStartDate: '',
    schoolStartDate: '',
    reporterOrganisation: 'kommun',
    reporterRole: 'Lärare',
    ...Object.fromEntries(
      compassAreaKeys.flatMap((key) => [
        [`area_${key}`, flagged.has(key) ? 'behoverStarkas' : 'fungerarBra'],
        [`areaComment_${key}`, ''],
      ]),
    ),
    observation: 'Påhittad iakttagelse för ett minnestest, inga riktiga uppgifter.',
    talkedWithGuardian: 'true',
    path: 'aktiveraBarnkontakt',
    verbalConsent: 'true',
    consentGivenBy: 'vardnadshavare',
    followUpDate: '',
  };
}

/** The body of request `turn`: a rotating mix, most of it hostile. */
function buildRequest(turn: number, serviceUrl: string): string {
  const kind = turn % 12;
  switch (kind) {
    case 0:
      return '{"type":"message","text":';
    case 1:
      return JSON.stringify(execute(serviceUrl, `okant.verb${turn}`, { caseId: randomUUID() }));
    case 2:
      return JSON.stringify(invoke(serviceUrl, 'inte ett objekt'));
    case 3: {
      const { from: _from, ...withoutFrom } = message(serviceUrl, 'hjälp');
      return JSON.stringify(withoutFrom);
    }
    case 4:
      return JSON.stringify(message(serviceUrl, 'hjälp'));
    case 5:
      return JSON.stringify(message(serviceUrl, 'ny upptäckt'));
    case 6:
      // A card instance the bot never handed out: a fresh draft id with a half-filled form.
      return JSON.stringify(
        execute(serviceUrl, 'upptackarkort.skicka', { draftId: randomUUID(), childGivenName: 'X' }),
      );
    case 7:
      return JSON.stringify(execute(serviceUrl, 'kvitto.visa', { caseId: randomUUID() }));
    case 8:
      return JSON.stringify(execute(serviceUrl, 'arende.visa', { caseId: randomUUID(), etag: '"1"' }));
    case 9:
      return JSON.stringify({ ...message(serviceUrl, 'något helt annat'), text: 42 });
    case 10:
      return JSON.stringify({ ...invoke(serviceUrl, {}), name: `okand/invoke${turn % 7}` });
    default:
      // One in twelve files a real case (with its notice and chase reminder) under a new draft id.
      return JSON.stringify(execute(serviceUrl, 'upptackarkort.skicka', completeSubmission(turn)));
  }
}

async function post(url: string, body: string): Promise<number> {
  const response = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

async function soak(url: string, serviceUrl: string): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  let next = 0;
  const worker = async () => {
    while (next < requestCount && Date.now() < deadline) {
      const turn = next++;
      const status = await post(url, buildRequest(turn, serviceUrl));
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (turn > 0 && turn % 5000 === 0) process.stdout.write(`  … ${turn} förfrågningar\n`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return statuses;
}

/**
 * The bot's anonymous resident memory by mapping, largest first (Linux only): V8's heap lives in
 * many small mappings, glibc's malloc arenas in 64 MB ones and its main heap in `[heap]`.
 */
function summarizeMappings(pid: number): string[] {
  let smaps: string;
  try {
    smaps = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return [];
  }
  const regions: { name: string; sizeKb: number; rssKb: number }[] = [];
  let current: { name: string; sizeKb: number; rssKb: number } | undefined;
  for (const line of smaps.split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ (\d+)\s*(.*)$/.exec(line);
    if (header !== null) {
      const [, from = '0', to = '0', inode = '0', path = ''] = header;
      current =
        inode === '0' && (path === '' || path === '[heap]')
          ? {
              name: path || '(anon)',
              sizeKb: (Number.parseInt(to, 16) - Number.parseInt(from, 16)) / 1024,
              rssKb: 0,
            }
          : undefined;
      if (current !== undefined) regions.push(current);
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss !== null && current !== undefined) current.rssKb = Number(rss[1]);
  }
  const bucket = (region: { name: string; sizeKb: number }) =>
    region.name === '[heap]'
      ? '[heap] (malloc, huvudarena)'
      : region.sizeKb >= 60 * 1024
        ? 'anon ≥ 60 MB'
        : region.sizeKb >= 1024
          ? 'anon 1–60 MB'
          : 'anon < 1 MB';
  const totals = new Map<string, { count: number; rssKb: number }>();
  for (const region of regions) {
    const total = totals.get(bucket(region)) ?? { count: 0, rssKb: 0 };
    total.count += 1;
    total.rssKb += region.rssKb;
    totals.set(bucket(region), total);
  }
  return [
    'anonymt residentminne per mappning:',
    ...[...totals]
      .sort((a, b) => b[1].rssKb - a[1].rssKb)
      .map(
        ([name, total]) =>
          `  ${mb(total.rssKb * 1024).padStart(10)}  ${String(total.count).padStart(5)} st  ${name}`,
      ),
  ];
}

// --- heap snapshot comparison -----------------------------------------------------------------

interface SnapshotSummary {
  readonly total: number;
  readonly byGroup: Map<string, { count: number; size: number }>;
}

/**
 * Self size and count per (node type, constructor or function name). String contents are never
 * printed: all strings of a type are one group.
 */
function summarizeSnapshot(path: string): SnapshotSummary {
  const snapshot = JSON.parse(readFileSync(path, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const byGroup = new Map<string, { count: number; size: number }>();
  let total = 0;
  for (let offset = 0; offset < snapshot.nodes.length; offset += width) {
    const type = types[snapshot.nodes[offset + typeAt] ?? 0] ?? '?';
    const size = snapshot.nodes[offset + sizeAt] ?? 0;
    const name =
      type === 'object' || type === 'closure' || type === 'native'
        ? (snapshot.strings[snapshot.nodes[offset + nameAt] ?? 0] ?? '?').slice(0, 60)
        : '';
    const key = name === '' ? `(${type})` : `${name} (${type})`;
    const group = byGroup.get(key) ?? { count: 0, size: 0 };
    group.count += 1;
    group.size += size;
    byGroup.set(key, group);
    total += size;
  }
  return { total, byGroup };
}

function compareSnapshots(before: SnapshotSummary, after: SnapshotSummary): string[] {
  const keys = new Set([...before.byGroup.keys(), ...after.byGroup.keys()]);
  const rows = [...keys].map((key) => {
    const a = before.byGroup.get(key) ?? { count: 0, size: 0 };
    const b = after.byGroup.get(key) ?? { count: 0, size: 0 };
    return { key, count: b.count - a.count, size: b.size - a.size };
  });
  rows.sort((x, y) => Math.abs(y.size) - Math.abs(x.size));
  return [
    `heap i ögonblicksbilden: ${mb(before.total)} → ${mb(after.total)} (${signedMb(after.total - before.total)})`,
    'största skillnaderna (egen storlek, antal):',
    ...rows
      .slice(0, 15)
      .map((row) => `  ${signedMb(row.size).padStart(10)}  ${signed(row.count).padStart(9)}  ${row.key}`),
  ];
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const signedMb = (bytes: number) => `${bytes >= 0 ? '+' : ''}${mb(bytes)}`;
const signed = (count: number) => `${count >= 0 ? '+' : ''}${count}`;
const describe = (label: string, usage: MemoryUsage) =>
  [
    `${label.padEnd(24)} rss ${mb(usage.rss).padStart(9)}`,
    `(anon ${usage.rssAnon === undefined ? '?' : mb(usage.rssAnon)}, fil ${usage.rssFile === undefined ? '?' : mb(usage.rssFile)})`,
    `heap used ${mb(usage.heapUsed).padStart(9)}   heap total ${mb(usage.heapTotal).padStart(9)}`,
    `external ${mb(usage.external).padStart(8)}   V8 malloc ${mb(usage.v8Malloced)} (topp ${mb(usage.v8PeakMalloced)})`,
  ].join('  ');

// --- the run ----------------------------------------------------------------------------------

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'backa-memory-soak-'));
  const connector = await startFakeConnector();
  const port = await findFreePort();
  const { child, levels, errors, stderr } = startBot(port, dataDir);
  const url = `http://${loopback}:${port}`;
  try {
    await waitForHealth(url);
    // Everyone in the directory writes first, as after an org-wide installation, so that the
    // notices of the filed cases can be delivered (else each one tells the fallback contact).
    const directoryText = readFileSync(join(repoRoot, 'config/directory.sample.yaml'), 'utf8');
    for (const [, aadObjectId] of directoryText.matchAll(/aadObjectId: ([0-9a-f-]{36})/g)) {
      const greeting = {
        ...message(connector.url, 'hjälp'),
        from: { id: `29:soak-${aadObjectId}`, name: 'Kontakt i katalogen', aadObjectId },
        conversation: { id: `a:soak-personal-${aadObjectId}`, conversationType: 'personal', tenantId },
      };
      await post(url, JSON.stringify(greeting));
    }
    // A few hundred ordinary turns first, so that what is loaded once (modules, the directory,
    // prepared cards, SQLite statements) is in the starting figure.
    const warmUp = Math.min(600, requestCount);
    for (let turn = 0; turn < warmUp; turn += 1) {
      const body = JSON.stringify(
        turn % 2 === 0 ? message(connector.url, 'hjälp') : message(connector.url, 'ny upptäckt'),
      );
      await post(url, body);
    }
    const start = await measure(child, true);
    const firstSnapshot = join(outDir, 'start.heapsnapshot');
    await ask(child, { command: 'snapshot', path: firstSnapshot });

    const began = Date.now();
    const statuses = await soak(url, connector.url);
    const seconds = (Date.now() - began) / 1000;
    const after = await measure(child, false);
    process.stdout.write(`Väntar ${idleSeconds} s utan trafik …\n`);
    await new Promise((done) => setTimeout(done, idleSeconds * 1000));
    const idle = await measure(child, false);
    const idleGc = await measure(child, true);
    const lastSnapshot = join(outDir, 'end.heapsnapshot');
    await ask(child, { command: 'snapshot', path: lastSnapshot });

    const mappings = child.pid === undefined ? [] : summarizeMappings(child.pid);
    const mallocLines: string[] = [];
    if (args['malloc-stats'] && child.pid !== undefined) {
      const before = stderr().length;
      const gdb = spawnSync(
        'gdb',
        [
          '-p',
          String(child.pid),
          '-batch',
          '-ex',
          'call (void) malloc_stats()',
          '-ex',
          'call (int) malloc_trim(0)',
        ],
        { encoding: 'utf8', timeout: 60_000 },
      );
      await new Promise((done) => setTimeout(done, 500));
      const stats = stderr().slice(before);
      // gdb exits 1 on harmless register warnings after the calls ran; only missing output counts.
      if (!stats.includes('in use bytes'))
        mallocLines.push(
          `malloc_stats() gav inget (gdb: ${gdb.error?.message ?? gdb.stderr.trim().slice(0, 200)})`,
        );
      const arena = /Arena 0:\s+system bytes\s+=\s+(\d+)\s+in use bytes\s+=\s+(\d+)/.exec(stats);
      const total = /Total \(incl\. mmap\):\s+system bytes\s+=\s+(\d+)\s+in use bytes\s+=\s+(\d+)/.exec(
        stats,
      );
      if (arena !== null)
        mallocLines.push(`malloc huvudarena: system ${mb(Number(arena[1]))}, i bruk ${mb(Number(arena[2]))}`);
      if (total !== null)
        mallocLines.push(
          `malloc totalt (alla arenor + mmap): system ${mb(Number(total[1]))}, i bruk ${mb(Number(total[2]))}`,
        );
      mallocLines.push(describe('efter malloc_trim(0)', await measure(child, false)));
    }

    const sent = [...statuses.values()].reduce((sum, count) => sum + count, 0);
    const lines = [
      `${sent} förfrågningar på ${seconds.toFixed(0)} s; svar: ${[...statuses].map(([status, count]) => `${status}×${count}`).join(', ')}`,
      `loggrader: ${[...levels].map(([level, count]) => `${level}×${count}`).join(', ')}`,
      ...[...errors].map(([text, count]) => `  error×${count}: ${text}`),
      `allokatorn: ${
        Object.entries(allocatorSettings())
          .map(([name, value]) => `${name}=${value}`)
          .join(' ') || 'glibc som standard'
      }`,
      `anrop till den falska Bot Connectorn: ${connector.count()}`,
      describe('start (efter GC)', start),
      describe('efter förfrågningarna', after),
      describe(`efter ${idleSeconds} s vila`, idle),
      describe('efter vila + GC', idleGc),
      ...mappings,
      ...mallocLines,
      `SQLite-filen: ${mb(statSync(join(dataDir, 'backa.sqlite')).size)}`,
      ...compareSnapshots(summarizeSnapshot(firstSnapshot), summarizeSnapshot(lastSnapshot)),
      `ögonblicksbilder: ${firstSnapshot}, ${lastSnapshot}`,
    ];
    process.stdout.write(`\n${lines.join('\n')}\n`);
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      // A clean stop lets the outbox finish its batch, paced; the figures are taken already.
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    await new Promise<void>((done) => connector.server.close(() => done()));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
