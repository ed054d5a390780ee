/**
 * The benchmark's outside world, in a child process of its own so that it does not share an
 * event loop with the bots being measured: the load generator (Teams posting activities to
 * `/api/messages`) and a fake Bot Connector on loopback that takes the bots' replies.
 *
 * Talks to scripts/bench.ts over the IPC channel: `ready` once the connector listens, then one
 * `result` per `run`.
 */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type BenchUser, buildMessageActivity, buildSubmitInvoke, createBenchUser } from './activities.js';
import type { LoadMessage, RunRequest, RunResult } from './protocol.js';

/** A case reference as the receipt shows it (flows/kernel/case-reference.ts). */
const caseReferencePattern = /BB-[0-9A-Z]{4}-[0-9A-Z]{4}/;
const replyPathPattern = /^\/v3\/conversations\/[^/]+\/activities(\/[^/]+)?$/;

let connectorReplies = 0;
let connectorUnexpected = 0;
let firstReply: string | undefined;

const connector = createServer((incoming, outgoing) => {
  const chunks: Buffer[] = [];
  incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
  incoming.on('end', () => {
    const path = decodeURIComponent((incoming.url ?? '').split('?')[0] ?? '');
    if (incoming.method === 'POST' && replyPathPattern.test(path)) {
      connectorReplies += 1;
      firstReply ??= Buffer.concat(chunks).toString('utf8').slice(0, 4000);
      outgoing.writeHead(200, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify({ id: `1reply-${connectorReplies}` }));
      return;
    }
    connectorUnexpected += 1;
    outgoing.writeHead(404, { 'content-type': 'application/json' });
    outgoing.end('{"error":{"code":"NotFound"}}');
  });
});
connector.keepAliveTimeout = 60_000;

interface PostOutcome {
  readonly status: number;
  readonly body: string;
}

function postJson(agent: Agent, url: URL, payload: string): Promise<PostOutcome> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({ status: incoming.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

function buildActivity(run: RunRequest, user: BenchUser, serviceUrl: string, turn: number) {
  return run.scenario.kind === 'submit'
    ? buildSubmitInvoke(user, serviceUrl, turn)
    : buildMessageActivity(user, serviceUrl, run.scenario.text, turn);
}

/** Why a response does not count as a successful turn, or undefined when it does. */
function judgeResponse(run: RunRequest, outcome: PostOutcome): string | undefined {
  if (outcome.status < 200 || outcome.status > 299) return `HTTP ${outcome.status}`;
  if (run.scenario.kind === 'submit' && !caseReferencePattern.test(outcome.body)) {
    return 'svar utan ärendereferens (inget kvitto)';
  }
  return undefined;
}

async function runPhase(run: RunRequest, agent: Agent, turnsPerConversation: number, record: boolean) {
  const url = new URL('/api/messages', run.targetUrl);
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let sampleBody: string | undefined;
  const serviceUrl = `${connectorUrl}/`;

  const runConversation = async (index: number) => {
    const user = createBenchUser(run.conversationOffset + index, run.aadObjectIds?.[index]);
    for (let turn = 0; turn < turnsPerConversation; turn += 1) {
      const payload = JSON.stringify(buildActivity(run, user, serviceUrl, turn * run.concurrency + index));
      const started = performance.now();
      let problem: string | undefined;
      try {
        const outcome = await postJson(agent, url, payload);
        problem = judgeResponse(run, outcome);
        sampleBody ??= outcome.body;
      } catch (error) {
        problem = `nätverksfel: ${error instanceof Error ? error.message : String(error)}`;
      }
      const elapsed = performance.now() - started;
      if (!record) continue;
      if (problem === undefined) {
        latencies.push(elapsed);
      } else {
        failures[problem] = (failures[problem] ?? 0) + 1;
      }
    }
  };

  const started = performance.now();
  await Promise.all(Array.from({ length: run.concurrency }, (_, index) => runConversation(index)));
  return { latencies, failures, elapsedMs: performance.now() - started, sampleBody };
}

/** Kept between runs, so that later rounds of a configuration reuse warm connections. */
const agents = new Map<string, Agent>();

function findAgent(run: RunRequest): Agent {
  const key = `${run.targetUrl}|${run.concurrency}`;
  let agent = agents.get(key);
  if (agent === undefined) {
    // One socket per conversation, kept alive, as a connector with many conversations would.
    agent = new Agent({ keepAlive: true, maxSockets: run.concurrency });
    agents.set(key, agent);
  }
  return agent;
}

async function handleRun(run: RunRequest): Promise<RunResult> {
  const agent = findAgent(run);
  if (run.warmupTurns > 0) {
    await runPhase(run, agent, Math.ceil(run.warmupTurns / run.concurrency), false);
  }
  connectorReplies = 0;
  connectorUnexpected = 0;
  firstReply = undefined;
  const measured = await runPhase(run, agent, Math.ceil(run.turns / run.concurrency), true);
  return {
    kind: 'result',
    runId: run.runId,
    latencies: measured.latencies,
    elapsedMs: measured.elapsedMs,
    failures: measured.failures,
    connectorReplies,
    connectorUnexpected,
    ...(measured.sampleBody === undefined ? {} : { sampleBody: measured.sampleBody.slice(0, 4000) }),
    ...(firstReply === undefined ? {} : { sampleReply: firstReply }),
  };
}

let connectorUrl = '';

function send(message: LoadMessage): void {
  process.send?.(message);
}

process.on('message', (message: LoadMessage) => {
  if (message.kind === 'run') {
    handleRun(message).then(send, (error: unknown) =>
      send({ kind: 'failed', runId: message.runId, reason: String(error) }),
    );
  } else if (message.kind === 'stop') {
    for (const agent of agents.values()) agent.destroy();
    connector.closeAllConnections();
    connector.close(() => process.exit(0));
  }
});

connector.listen(0, '127.0.0.1', () => {
  const { port } = connector.address() as AddressInfo;
  connectorUrl = `http://127.0.0.1:${port}`;
  send({ kind: 'ready', connectorUrl });
});
