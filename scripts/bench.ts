/**
 * `npm run bench`: turn time of Backa barnet against a bare echo bot on the same adapter and
 * HTTP server, on the embedded SQLite store in a temporary directory, local mode, loopback only.
 *
 * The bots run in this process; Teams (the load generator) and the Bot Connector (a fake that
 * takes the replies) run in a child process, so that the bots' event loop does only bot work.
 * A turn is one POST to /api/messages until its response, which includes the bot's reply to
 * the connector. The scenarios of one concurrency are measured in interleaved rounds, so that
 * a noisy moment on the machine hits the echo bot and Backa barnet alike.
 *
 * A benchmark, not a test: it exits 0 whether or not the goals are met, and non-zero only when
 * the run itself failed (a turn answered with a non-2xx status, a submit without a receipt, or
 * a run that could not be made).
 *
 * Options: --turns N (measured turns per scenario and concurrency, default 2000), --rounds N
 * (default 4), --warmup N (default 300), --concurrency 1,50, --store-timing (time spent in each
 * store method), --keep (keep the temporary directory), --scenarios a,b (only these, by the
 * letter in the table; the ratios need c), --skip-outbox-drain (leave out the 1 000-notice drain), --skip-tab (leave out the channel tab's API), --skip-figures (leave out a term's follow-up figures over 1 000 000 cases).
 * Profile one scenario with: node --cpu-prof --cpu-prof-dir=.tmp/prof --import tsx scripts/bench.ts
 * --scenarios b --skip-outbox-drain (the load generator runs in its own process, unprofiled).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { createBot } from '../bot/create-bot.js';
import { renderNewUpptackarkort } from '../bot/handlers/upptackt/ny-upptackt.js';
import type { Directory } from '../flows/kernel/directory.js';
import type { Stores } from '../flows/kernel/ports.js';
import { type Config, loadConfig } from '../infra/config.js';
import { loadDirectoryFile } from '../infra/directory-file.js';
import { createLogger } from '../infra/logger.js';
import { openSqliteStores } from '../infra/store/sqlite-stores.js';
import { cardEchoText, startEchoBot } from './bench/echo-bot.js';
import { measureFollowUpFigures } from './bench/follow-up-figures.js';
import { measureOutboxDrain } from './bench/outbox-drain.js';
import type { LoadMessage, RunRequest, RunResult, Scenario } from './bench/protocol.js';
import {
  formatMs,
  formatRatio,
  formatTable,
  type LatencySummary,
  summarizeLatencies,
} from './bench/stats.js';
import { measureTabApi } from './bench/tab-api.js';
import { type StoreTiming, type TimedStores, wrapStoresWithTiming } from './bench/timed-stores.js';

/** A fixed test key (not a secret): the keyed hash must cost what it costs in production. */
const benchIdentityHashKey = 'benchmark-identitetsnyckel-endast-for-matning-0001';
const logLevel = 'warn';
const goalRatio = 1.5;
const goalP99Ms = 250;
const goalConcurrency = 50;
/** The channel tab's plan read, p99 (a tab must feel instant). */
const goalTabP99Ms = 50;

const { values: options } = parseArgs({
  options: {
    turns: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: `1,${goalConcurrency}` },
    'store-timing': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    scenarios: { type: 'string', default: 'a,b,c,d' },
    'skip-outbox-drain': { type: 'boolean', default: false },
    'skip-tab': { type: 'boolean', default: false },
    'skip-figures': { type: 'boolean', default: false },
  },
});
const turns = Number(options.turns);
const rounds = Math.max(1, Number(options.rounds));
const warmupTurns = Number(options.warmup);
const concurrencies = options.concurrency.split(',').map(Number);
const selectedScenarios = new Set(options.scenarios.split(',').map((letter) => letter.trim()));

interface ScenarioPlan {
  /** The scenario's letter in the table, for --scenarios. */
  readonly letter: string;
  readonly name: string;
  readonly bot: 'backa' | 'echo';
  /** The echo of the same text: what the ratios are computed against. */
  readonly baseline?: boolean;
  readonly scenario: Scenario;
  /** What the scenario measures, printed under the table. */
  readonly note: string;
}

interface Measurement {
  readonly plan: ScenarioPlan;
  readonly concurrency: number;
  readonly summary: LatencySummary;
  readonly failures: Record<string, number>;
  readonly connectorReplies: number;
  readonly connectorUnexpected: number;
  /** How long the bots' event loop was blocked during the measured turns (ms, worst round). */
  readonly loopDelay: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Time in each store method over the measured turns (with --store-timing). */
  readonly storeTiming: ReadonlyMap<string, StoreTiming>;
}

interface BenchContext {
  readonly child: ChildProcess;
  readonly backaUrl: string;
  readonly echoUrl: string;
  readonly timed: TimedStores | undefined;
  /** Waits until the bot's background work has delivered what the last run enqueued. */
  readonly drainOutbox: () => Promise<boolean>;
}

function write(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function startLoadGenerator(): Promise<{ child: ChildProcess; connectorUrl: string }> {
  const child = fork(fileURLToPath(new URL('./bench/load-generator.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`Lastgeneratorn avslutades (${code}) innan den var klar.`)),
    );
    child.once('message', (message: LoadMessage) => {
      if (message.kind === 'ready') resolve({ child, connectorUrl: message.connectorUrl });
    });
  });
}

let nextRunId = 1;
let nextConversation = 0;

/** Conversations `[first, first + count)` of their own, so that every configuration has its own users. */
function allocateConversations(count: number): number {
  const first = nextConversation;
  nextConversation += count;
  return first;
}

function runLoad(child: ChildProcess, request: Omit<RunRequest, 'kind' | 'runId'>): Promise<RunResult> {
  const runId = nextRunId++;
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => {
      child.off('message', onMessage);
      reject(new Error(`Lastgeneratorn avslutades (${code}) mitt i en körning.`));
    };
    const onMessage = (message: LoadMessage) => {
      if ((message.kind !== 'result' && message.kind !== 'failed') || message.runId !== runId) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (message.kind === 'result') resolve(message);
      else reject(new Error(message.reason));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send({ kind: 'run', runId, ...request } satisfies RunRequest);
  });
}

function countFailures(failures: Record<string, number>): number {
  return Object.values(failures).reduce((sum, count) => sum + count, 0);
}

function runProbe(context: BenchContext, scenario: Scenario): Promise<RunResult> {
  return runLoad(context.child, {
    targetUrl: context.backaUrl,
    scenario,
    concurrency: 1,
    warmupTurns: 0,
    turns: 1,
    conversationOffset: allocateConversations(1),
  });
}

/** Whether the bot answers "ny upptäckt" with an Adaptive Card (the handler has landed). */
async function probeNyUpptackt(context: BenchContext): Promise<boolean> {
  const result = await runProbe(context, { kind: 'message', text: 'ny upptäckt' });
  return (
    countFailures(result.failures) === 0 &&
    (result.sampleReply ?? '').includes('application/vnd.microsoft.card.adaptive')
  );
}

/** Whether a valid submit is answered with a receipt (the submit handler has landed). */
async function probeSubmit(context: BenchContext): Promise<{ ok: boolean; detail: string }> {
  const result = await runProbe(context, { kind: 'submit' });
  const failures = Object.entries(result.failures).map(([reason, count]) => `${reason} ×${count}`);
  return { ok: failures.length === 0, detail: failures.join(', ') || 'ok' };
}

function addTimings(into: Map<string, StoreTiming>, from: ReadonlyMap<string, StoreTiming>): void {
  for (const [key, timing] of from) {
    const sum = into.get(key) ?? { calls: 0, totalMs: 0 };
    into.set(key, { calls: sum.calls + timing.calls, totalMs: sum.totalMs + timing.totalMs });
  }
}

/** Warms every scenario up, then measures them in interleaved rounds at one concurrency. */
async function measureConcurrency(
  context: BenchContext,
  plans: readonly ScenarioPlan[],
  concurrency: number,
): Promise<Measurement[]> {
  const states = plans.map((plan) => ({
    plan,
    offset: allocateConversations(concurrency),
    latencies: [] as number[],
    elapsedMs: 0,
    failures: {} as Record<string, number>,
    connectorReplies: 0,
    connectorUnexpected: 0,
    storeTiming: new Map<string, StoreTiming>(),
    loopDelay: { p50: 0, p99: 0, max: 0 },
  }));
  const targetOf = (plan: ScenarioPlan) => (plan.bot === 'echo' ? context.echoUrl : context.backaUrl);
  for (const state of states) {
    await runLoad(context.child, {
      targetUrl: targetOf(state.plan),
      scenario: state.plan.scenario,
      concurrency,
      warmupTurns,
      turns: 0,
      conversationOffset: state.offset,
    });
    await context.drainOutbox();
  }
  const turnsPerRound = Math.ceil(turns / rounds);
  for (let round = 0; round < rounds; round += 1) {
    // Each round starts with a different scenario, so none always runs right after another.
    const order = states.map((_, index) => states[(index + round) % states.length]);
    for (const state of order) {
      if (state === undefined) continue;
      context.timed?.reset();
      // A fresh monitor per run: a re-enabled one counts the pause in between as one long delay.
      const loopMonitor = monitorEventLoopDelay({ resolution: 5 });
      loopMonitor.enable();
      const result = await runLoad(context.child, {
        targetUrl: targetOf(state.plan),
        scenario: state.plan.scenario,
        concurrency,
        warmupTurns: 0,
        turns: turnsPerRound,
        conversationOffset: state.offset,
      });
      loopMonitor.disable();
      // Nanoseconds; the worst round is reported.
      state.loopDelay = {
        p50: Math.max(state.loopDelay.p50, loopMonitor.percentile(50) / 1e6),
        p99: Math.max(state.loopDelay.p99, loopMonitor.percentile(99) / 1e6),
        max: Math.max(state.loopDelay.max, loopMonitor.max / 1e6),
      };
      if (context.timed !== undefined) addTimings(state.storeTiming, context.timed.snapshot());
      // Deliveries still running after the round would otherwise slow down the next scenario.
      if (!(await context.drainOutbox())) state.failures['utkorgen tömdes inte inom 60 s'] = 1;
      state.latencies.push(...result.latencies);
      state.elapsedMs += result.elapsedMs;
      state.connectorReplies += result.connectorReplies;
      state.connectorUnexpected += result.connectorUnexpected;
      for (const [reason, count] of Object.entries(result.failures)) {
        state.failures[reason] = (state.failures[reason] ?? 0) + count;
      }
    }
  }
  return states.map((state) => ({
    plan: state.plan,
    concurrency,
    summary: summarizeLatencies(state.latencies, state.elapsedMs),
    failures: state.failures,
    connectorReplies: state.connectorReplies,
    connectorUnexpected: state.connectorUnexpected,
    storeTiming: state.storeTiming,
    loopDelay: state.loopDelay,
  }));
}

function printTable(measurements: readonly Measurement[]): void {
  const echoAt = (concurrency: number) =>
    measurements.find((m) => m.plan.baseline === true && m.concurrency === concurrency)?.summary;
  const rows: string[][] = [
    [
      'scenario',
      'samtidiga',
      'turer',
      'fel',
      'p50 ms',
      'p99 ms',
      'max ms',
      'turer/s',
      'p50/eko',
      'p99/eko',
      'till connector',
      'loop p50/p99/max ms',
    ],
  ];
  for (const {
    plan,
    concurrency,
    summary,
    failures,
    connectorReplies,
    connectorUnexpected,
    loopDelay,
  } of measurements) {
    const baseline = echoAt(concurrency);
    rows.push([
      plan.name,
      String(concurrency),
      String(summary.count),
      String(countFailures(failures)),
      formatMs(summary.p50),
      formatMs(summary.p99),
      formatMs(summary.max),
      summary.throughput.toFixed(0),
      formatRatio(baseline === undefined ? Number.NaN : summary.p50 / baseline.p50),
      formatRatio(baseline === undefined ? Number.NaN : summary.p99 / baseline.p99),
      `${connectorReplies}${connectorUnexpected > 0 ? ` (+${connectorUnexpected} okända)` : ''}`,
      `${loopDelay.p50.toFixed(0)}/${loopDelay.p99.toFixed(0)}/${loopDelay.max.toFixed(0)}`,
    ]);
  }
  write(formatTable(rows));
}

function printGoals(measurements: readonly Measurement[]): void {
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  // The goal holds at every concurrency measured, not only under load: one user alone must not
  // wait more than half as long again as for the echo bot either.
  for (const concurrency of concurrencies) {
    write(`Mål vid ${concurrency} samtidiga konversationer:`);
    const baseline = measurements.find(
      (m) => m.plan.baseline === true && m.concurrency === concurrency,
    )?.summary;
    const backa = measurements.filter((m) => m.plan.bot === 'backa' && m.concurrency === concurrency);
    if (backa.length === 0 || baseline === undefined) {
      write(`  (ingen körning med ${concurrency} samtidiga)`);
      continue;
    }
    for (const { plan, summary, loopDelay } of backa) {
      const p50Ratio = summary.p50 / baseline.p50;
      const p99Ratio = summary.p99 / baseline.p99;
      write(
        `  ${plan.name}: p50 inom ${goalRatio}x eko-boten (${formatRatio(p50Ratio)}): ${verdict(p50Ratio <= goalRatio)}; ` +
          `p99 inom ${goalRatio}x (${formatRatio(p99Ratio)}): ${verdict(p99Ratio <= goalRatio)}; ` +
          `händelseloopens fördröjning p50/p99 ${loopDelay.p50.toFixed(0)}/${loopDelay.p99.toFixed(0)} ms`,
      );
      if (concurrency === goalConcurrency) {
        write(
          `  ${plan.name}: p99 under ${goalP99Ms} ms (${formatMs(summary.p99)} ms): ${verdict(summary.p99 < goalP99Ms)}`,
        );
      }
    }
  }
}

function printStoreTiming(measurements: readonly Measurement[]): void {
  for (const { plan, concurrency, summary, storeTiming } of measurements) {
    if (plan.bot !== 'backa' || storeTiming.size === 0) continue;
    write();
    write(`Tid i lagret (synkron del av anropet), ${plan.name} vid ${concurrency} samtidiga, per mätt tur:`);
    const sorted = [...storeTiming.entries()].sort((a, b) => b[1].totalMs - a[1].totalMs);
    for (const [method, { calls, totalMs }] of sorted) {
      write(
        `  ${method.padEnd(34)} ${(calls / summary.count).toFixed(2).padStart(5)} anrop  ` +
          `${(totalMs / summary.count).toFixed(3).padStart(7)} ms/tur  ${(totalMs / calls).toFixed(3).padStart(7)} ms/anrop`,
      );
    }
  }
}

/** Polls the outbox until nothing is due within a minute (delivered, or waiting for a later retry). */
async function waitForOutboxDrained(stores: Stores, timeoutMs: number): Promise<boolean> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    const due = await stores.outbox.listDue(new Date(Date.now() + 60_000), 1);
    if (due.length === 0) {
      const waited = performance.now() - started;
      if (waited > 1000) process.stderr.write(`  utkorgen tömd efter ${(waited / 1000).toFixed(1)} s\n`);
      return true;
    }
    await delay(50);
  }
  return false;
}

/**
 * Every contact in the directory writes to the bot once, as after an organisation-wide
 * installation, so that the bot has a conversation with each Barnkontakt and the notices a
 * submit enqueues are delivered (to the fake connector) as in production.
 */
async function introduceContacts(context: BenchContext, directory: Directory): Promise<RunResult> {
  const aadObjectIds = directory.contacts.map((contact) => contact.aadObjectId);
  return runLoad(context.child, {
    targetUrl: context.backaUrl,
    scenario: { kind: 'message', text: 'hjälp' },
    concurrency: aadObjectIds.length,
    warmupTurns: 0,
    turns: aadObjectIds.length,
    conversationOffset: allocateConversations(aadObjectIds.length),
    aadObjectIds,
  });
}

/** The log lines by message, most frequent first. */
function summarizeLogLines(lines: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const line of lines) {
    let key = line.slice(0, 80);
    try {
      const parsed = JSON.parse(line) as { level?: unknown; msg?: unknown };
      key = `${String(parsed.level)}: ${String(parsed.msg).trim().split('\n')[0]}`;
    } catch {
      // Not JSON: counted by its beginning.
    }
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

function createCountingLogDestination() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

/** Rows of `table` by the `status` field of their document, e.g. "delivered 2000, pending 1". */
function countByStatus(path: string, table: 'cases' | 'outbox' | 'reminders'): string {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const field = table === 'cases' ? '$.state' : '$.status';
    const rows = db
      .prepare(
        `SELECT json_extract(document, ?) AS status, count(*) AS n FROM ${table} GROUP BY 1 ORDER BY 2 DESC`,
      )
      .all(field) as { status: string | null; n: number }[];
    const total = rows.reduce((sum, row) => sum + row.n, 0);
    return `${total} (${rows.map((row) => `${row.status ?? '?'} ${row.n}`).join(', ')})`;
  } finally {
    db.close();
  }
}

function buildPlans(messageText: string, nyUpptacktWorks: boolean, submitWorks: boolean): ScenarioPlan[] {
  const plans: ScenarioPlan[] = [
    {
      letter: 'c',
      name: `(c) eko-bot "${messageText}"`,
      bot: 'echo',
      baseline: true,
      scenario: { kind: 'message', text: messageText },
      note: 'samma adapter (bot/adapter.ts) och HTTP-server (bot/http-server.ts); logiken svarar bara med texten',
    },
    ...(nyUpptacktWorks
      ? [
          {
            letter: 'd',
            name: '(d) eko-bot med färdigt kort',
            bot: 'echo',
            scenario: { kind: 'message', text: cardEchoText },
            note:
              'eko-boten svarar med ett Upptäckarkort som renderades en gång vid start: vad det kostar att ' +
              'skicka ett kort av den storleken genom SDK:t (jämförelse, inget mål)',
          } satisfies ScenarioPlan,
        ]
      : []),
    {
      letter: 'a',
      name: `(a) "${messageText}"`,
      bot: 'backa',
      scenario: { kind: 'message', text: messageText },
      note: nyUpptacktWorks
        ? 'Upptäckarkortet som svar i personlig chatt (svaret går till den falska connectorn)'
        : 'hjälptexten som svar i personlig chatt (svaret går till den falska connectorn)',
    },
    ...(submitWorks
      ? [
          {
            letter: 'b',
            name: '(b) upptackarkort.skicka',
            bot: 'backa',
            scenario: { kind: 'submit' },
            note:
              'giltigt kort (aktivera Barnkontakt, samtycke, alla åtta områden), ny draftId varje gång: ' +
              'ärende, routning, skrivning, utkorg, kvitto i invoke-svaret. "till connector" är notiser till ' +
              'Barnkontakten som bakgrundsarbetet levererade under mätningen; resten levereras (omätt) före nästa omgång',
          } satisfies ScenarioPlan,
        ]
      : []),
  ];
  return plans.filter((plan) => selectedScenarios.has(plan.letter));
}

function describeLoad(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');
}

async function main(): Promise<number> {
  const started = performance.now();
  const loadBefore = describeLoad();
  const directory = mkdtempSync(join(tmpdir(), 'backa-bench-'));
  const sqlitePath = join(directory, 'bench.sqlite');
  const config: Config = {
    ...loadConfig({
      BOT_MODE: 'local',
      STORE: 'sqlite',
      SQLITE_PATH: sqlitePath,
      IDENTITY_HASH_KEY: benchIdentityHashKey,
      LOG_LEVEL: logLevel,
    }),
    port: 0,
    host: '127.0.0.1',
  };
  const logDestination = createCountingLogDestination();
  const logger = createLogger({ level: config.logLevel, destination: logDestination.stream });
  const opened = openSqliteStores({ path: sqlitePath });
  const timed = options['store-timing'] ? wrapStoresWithTiming(opened) : undefined;
  const { child, connectorUrl } = await startLoadGenerator();
  const directoryData = loadDirectoryFile(config.directoryFile);
  const bot = await createBot({
    config,
    stores: timed?.stores ?? opened,
    directory: directoryData,
    logger,
    // Every benchmark case routes to the same Barnkontakt: Teams' pacing per conversation (7 per
    // second, 60 per 30 s) would leave thousands of notices queued behind one person, to be
    // delivered while the next scenario is measured. The pacing has a measurement of its own
    // (the outbox drain below, to 1 000 different people).
    backgroundWorkOptions: {
      outbox: {
        conversationIntervalMs: 0,
        conversationWindows: [],
        tenantSendsPerSecond: 10_000,
        intervalMs: 100,
      },
    },
  });
  const backa = await bot.listen();
  const echo = await startEchoBot(config, logger, renderNewUpptackarkort(randomUUID(), directoryData));
  const context: BenchContext = {
    child,
    backaUrl: backa.url,
    echoUrl: echo.url,
    timed,
    drainOutbox: () => waitForOutboxDrained(opened, 60_000),
  };

  try {
    write('Backa barnet: turtid mot en eko-bot på samma adapter och HTTP-server');
    write(
      `Node ${process.version}, ${availableParallelism()} kärnor; SQLite i ${directory} (WAL, synchronous=NORMAL); ` +
        `lokalt läge, loopback; falsk Bot Connector på ${connectorUrl}; last och connector i en egen process`,
    );
    write(
      `Botens loggnivå: ${logLevel} (raderna räknas i minnet, så loggning tar ingen I/O-tid i mätningen)`,
    );
    write(
      `Per scenario och samtidighet: ${warmupTurns} turer uppvärmning, sedan ${turns} mätta turer i ${rounds} ` +
        'omgångar omväxlande med de andra scenarierna; varje konversation (egen användare) skickar sina turer i tur och ordning.',
    );

    const introduced = await introduceContacts(context, directoryData);
    if (countFailures(introduced.failures) > 0)
      throw new Error('Katalogens kontakter kunde inte skriva till boten.');
    const handlersPresent =
      existsSync('bot/handlers/upptackt/ny-upptackt.ts') &&
      existsSync('bot/handlers/upptackt/upptackarkort-submit.ts');
    const nyUpptacktWorks = await probeNyUpptackt(context);
    const submitProbe = await probeSubmit(context);
    await context.drainOutbox();
    const messageText = nyUpptacktWorks ? 'ny upptäckt' : 'hjälp';
    if (!nyUpptacktWorks) {
      write(
        `OBS: "ny upptäckt" svarar inte med ett Upptäckarkort (hanterarfilerna finns: ${handlersPresent ? 'ja' : 'nej'}); ` +
          'scenario (a) mäter "hjälp" i stället.',
      );
    }
    if (!submitProbe.ok) {
      write(
        `OBS: ett giltigt upptackarkort.skicka ger inget kvitto (${submitProbe.detail}); scenario (b) hoppas över.`,
      );
    }
    const plans = buildPlans(messageText, nyUpptacktWorks, submitProbe.ok);

    const measurements: Measurement[] = [];
    for (const concurrency of concurrencies) {
      measurements.push(...(await measureConcurrency(context, plans, concurrency)));
      process.stderr.write(`  klart: ${concurrency} samtidiga\n`);
    }

    write();
    printTable(measurements);
    write();
    for (const plan of plans) write(`${plan.name}: ${plan.note}`);
    write();
    printGoals(measurements);

    write();
    const drain = options['skip-outbox-drain'] ? undefined : await measureOutboxDrain();
    if (drain !== undefined) {
      write(
        `Utkorgen: ${drain.notices} notiser till lika många Barnkontakter levererade på ${(drain.drainMs / 1000).toFixed(1)} s ` +
          `(${drain.perSecond.toFixed(1)} per sekund), ${drain.throttled} svar 429 från den falska connectorn ` +
          '(som svarar 429 över 30 per sekund för appen eller 7 per sekund i en konversation); ' +
          `mål: inom cirka en minut utan 429-storm: ${drain.drainMs <= 75_000 && drain.throttled <= drain.notices / 100 ? 'PASS' : 'FAIL'}`,
      );
    }

    if (!options['skip-tab']) {
      const tab = await measureTabApi();
      write();
      write(
        `Kanalflikens API: GET planen (8 mål, 30 åtgärder, 10 uppföljningar, ${(tab.planBytes / 1024).toFixed(1)} KB JSON, ` +
          `token kontrollerad, läsning granskad i loggen) vid ${tab.concurrency} samtidiga: p50 ${formatMs(tab.plan.p50)} ms, ` +
          `p99 ${formatMs(tab.plan.p99)} ms; baslinje GET /api/tab/session på samma server: p50 ${formatMs(tab.baseline.p50)} ms, ` +
          `p99 ${formatMs(tab.baseline.p99)} ms (kvot p99 ${formatRatio(tab.plan.p99 / tab.baseline.p99)}); ` +
          `mål p99 under ${goalTabP99Ms} ms: ${tab.plan.p99 < goalTabP99Ms ? 'PASS' : 'FAIL'}`,
      );
    }

    if (!options['skip-figures']) {
      const figures = await measureFollowUpFigures(directoryData);
      write();
      write(
        `Uppföljningssiffror: en termins tabeller ur räknarna för ${figures.cases.toLocaleString('sv-SE')} ärenden ` +
          `(${figures.countRows.toLocaleString('sv-SE')} rader, fem terminer, 250 enheter, ledtider 0–60 arbetsdagar) ` +
          `på SQLite, ${figures.reads} läsningar: snabbast ${formatMs(figures.fastestMs)} ms, långsammast ${formatMs(figures.slowestMs)} ms; ` +
          `terminens kort lästa ${figures.cardsRead}, väntade ${figures.cardsExpected}; mål under 2 000 ms: ` +
          `${figures.slowestMs < 2000 && figures.cardsRead === figures.cardsExpected ? 'PASS' : 'FAIL'}`,
      );
    }

    const failed = measurements.filter((m) => countFailures(m.failures) > 0);
    if (failed.length > 0) {
      write();
      write('MISSLYCKADE TURER:');
      for (const m of failed) {
        for (const [reason, count] of Object.entries(m.failures)) {
          write(`  ${m.plan.name} vid ${m.concurrency} samtidiga: ${reason} ×${count}`);
        }
      }
    }

    write();
    if (submitProbe.ok) {
      write('Lagret efter körningen (uppvärmning och prov medräknade; en av varje per inlämning väntas):');
      write(`  ärenden ${countByStatus(sqlitePath, 'cases')}`);
      write(`  utkorgen ${countByStatus(sqlitePath, 'outbox')}`);
      write(`  påminnelser ${countByStatus(sqlitePath, 'reminders')}`);
    }
    write(`Loggrader på nivå ${logLevel} eller högre: ${logDestination.lines.length}`);
    for (const [message, count] of summarizeLogLines(logDestination.lines).slice(0, 6)) {
      write(`  ${String(count).padStart(6)} × ${message.slice(0, 140)}`);
    }
    printStoreTiming(measurements);
    write();
    write(
      `Körtid: ${((performance.now() - started) / 1000).toFixed(1)} s. Maskinens belastning (1/5/15 min) före: ` +
        `${loadBefore}, efter: ${describeLoad()}; allt över ~1 betyder att andra processer delade kärnorna.`,
    );
    return failed.length > 0 ? 1 : 0;
  } finally {
    child.send({ kind: 'stop' } satisfies LoadMessage);
    await echo.close();
    await bot.close();
    await opened.close();
    if (!options.keep) rmSync(directory, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('Mätningen kunde inte köras:', error);
    process.exitCode = 1;
  },
);
