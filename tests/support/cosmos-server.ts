/**
 * A local Cosmos DB API server for integration tests: @vercel/cosmosdb-server run as a
 * separate process, so the SDK talks real HTTPS to a real Cosmos-shaped endpoint.
 *
 * The server uses a self-signed certificate. It is trusted here only, through an agent handed
 * to the test's client; production code never turns certificate checks off.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:https';
import { createRequire } from 'node:module';
import type { CosmosClient } from '@azure/cosmos';
import { createCosmosClient } from '../../infra/store/cosmos-client.js';

export interface LocalCosmosServer {
  readonly endpoint: string;
  /** Any non-empty key is accepted by the local server. */
  readonly key: string;
  /** An agent that trusts the server's self-signed certificate (tests only). */
  readonly agent: Agent;
  /** A client with the production retry settings, pointed at this server. */
  createClient(): CosmosClient;
  stop(): Promise<void>;
}

const readyLine = /Ready to accept HTTPS connections at ([\d.]+):(\d+)/;
const startTimeoutMs = 20_000;

/** Starts the server on 127.0.0.1 with a port the OS picks, and waits until it answers. */
export async function startCosmosServer(): Promise<LocalCosmosServer> {
  const cliPath = createRequire(import.meta.url).resolve('@vercel/cosmosdb-server/lib/cli.js');
  const child = spawn(process.execPath, [cliPath, '--host', '127.0.0.1', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A crashed test run must not leave the server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const agent = new Agent({ rejectUnauthorized: false, keepAlive: true });
  try {
    const port = await waitForReadyLine(child);
    const endpoint = `https://127.0.0.1:${port}`;
    await waitUntilAnswering(endpoint, agent);
    const key = 'local-test-key';
    return {
      endpoint,
      key,
      agent,
      createClient: () => createCosmosClient({ endpoint, key, agent }),
      async stop() {
        process.removeListener('exit', killOnExit);
        agent.destroy();
        await stopProcess(child);
      },
    };
  } catch (error) {
    process.removeListener('exit', killOnExit);
    agent.destroy();
    await stopProcess(child);
    throw error;
  }
}

function waitForReadyLine(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    const timer = setTimeout(() => fail(new Error('cosmosdb-server did not start in time')), startTimeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(new Error(`${error.message}\n${errors.slice(-2000)}`));
    };
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      output += chunk;
      const match = readyLine.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(Number(match[2]));
      }
    });
    child.stderr?.on('data', (chunk: string) => {
      errors = (errors + chunk).slice(-10_000);
    });
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`cosmosdb-server exited early (code ${code})`)));
  });
}

async function waitUntilAnswering(endpoint: string, agent: Agent): Promise<void> {
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (await isAnswering(endpoint, agent)) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`cosmosdb-server at ${endpoint} does not answer`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isAnswering(endpoint: string, agent: Agent): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(`${endpoint}/`, { agent, method: 'GET', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const escalate = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(escalate);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
