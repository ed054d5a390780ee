/**
 * The channel tab's API in `npm run bench`: `GET /api/tab/cases/:id/plan` for a plan of 8 goals,
 * 30 actions and 10 compass follow-ups on the embedded SQLite store, measured against
 * `GET /api/tab/session` on the same server (routing, JSON, no store, no token) as the baseline.
 * Each plan read checks the local sign-in token (RS256), reads the case, builds the viewer's view
 * and appends its audit entry, as in production; only the key set differs (local, not Entra's).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import express from 'express';
import { addAction } from '../../flows/individuellt-barnteam/plan-actions.js';
import { recordCompassFollowUp } from '../../flows/individuellt-barnteam/plan-compass.js';
import { saveGoal } from '../../flows/individuellt-barnteam/plan-goals.js';
import { addTeamMember } from '../../flows/individuellt-barnteam/team-members.js';
import type { CaseCommandResult } from '../../flows/kernel/case-command.js';
import { compassAreaKeys } from '../../flows/kernel/compass.js';
import { createLogger } from '../../infra/logger.js';
import { openSqliteStores } from '../../infra/store/sqlite-stores.js';
import {
  createTeamFlow,
  rektor,
  startedAt,
  startTeam,
  teamCaseId,
  teamUsers,
} from '../../tests/support/team-fixtures.js';
import { createChannelTab } from '../../web/channel-tab.js';
import { type LatencySummary, summarizeLatencies } from './stats.js';

export interface TabApiBench {
  readonly plan: LatencySummary;
  readonly baseline: LatencySummary;
  readonly planBytes: number;
  readonly concurrency: number;
}

async function buildLargePlan() {
  const flow = await createTeamFlow();
  await startTeam(flow);
  const base = { caseId: teamCaseId, at: startedAt, actor: rektor };
  const apply = async (run: (etag: string) => Promise<CaseCommandResult>) => {
    const result = await run(await flow.etag());
    if (result.outcome !== 'applied') throw new Error(`Planen kunde inte byggas: ${JSON.stringify(result)}`);
  };
  await apply((etag) => addTeamMember(flow.deps, { ...base, etag, contactId: 'skolkurator-bjorkskolan' }));
  for (const [index, area] of compassAreaKeys.entries()) {
    await apply((etag) =>
      saveGoal(flow.deps, {
        ...base,
        etag,
        area,
        minMal: `Mitt mål nummer ${index + 1}, med mina egna ord om hur det ska bli bättre.`,
        vad: 'Det som ska förändras, som teamet har kommit överens om.',
        hur: 'Hur det ska gå till: vem som gör vad, var och hur ofta.',
      }),
    );
  }
  for (let index = 0; index < 30; index += 1) {
    await apply((etag) =>
      addAction(flow.deps, {
        ...base,
        etag,
        what: `Åtgärd ${index + 1}: samtal och stöd enligt planen`,
        dueDate: '2025-04-30',
        ownerUserId: teamUsers.kurator,
        performer: { name: 'Elevhälsan', role: 'Skolkurator', organisation: 'kommun' },
      }),
    );
  }
  for (let index = 0; index < 10; index += 1) {
    const rating = String((index % 5) + 1);
    const all = Object.fromEntries(compassAreaKeys.map((key) => [key, rating]));
    await apply((etag) =>
      recordCompassFollowUp(flow.deps, {
        ...base,
        etag,
        ratings: { barnet: all, vardnadshavare: all, teamet: all },
      }),
    );
  }
  const stored = await flow.stores.cases.get(teamCaseId);
  if (stored === undefined) throw new Error('Ärendet saknas');
  return { flow, caseValue: stored.value };
}

export async function measureTabApi(
  options: { requests?: number; concurrency?: number } = {},
): Promise<TabApiBench> {
  const requests = options.requests ?? 2_000;
  const concurrency = options.concurrency ?? 10;
  const directory = mkdtempSync(join(tmpdir(), 'backa-bench-flik-'));
  const stores = openSqliteStores({ path: join(directory, 'flik.sqlite') });
  const { flow, caseValue } = await buildLargePlan();
  await stores.cases.create(caseValue);
  const deps = { ...flow.deps, stores, clock: { now: () => new Date() } };
  const tab = await createChannelTab({
    config: { kind: 'local', publicBaseUrl: 'http://localhost' },
    allowedTenantIds: [caseValue.tenantId],
    flow: deps,
    logger: createLogger({ level: 'warn' }),
    kick: () => {},
  });
  const app = express();
  app.use('/api/tab', tab.api);
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const tokenResponse = await fetch(`${origin}/api/tab/local-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: teamUsers.kurator }),
    });
    if (!tokenResponse.ok) throw new Error(`Ingen lokal token: ${tokenResponse.status}`);
    const { token } = (await tokenResponse.json()) as { token: string };
    const headers = { authorization: `Bearer ${token}` };
    let planBytes = 0;
    const run = async (path: string, withToken: boolean): Promise<LatencySummary> => {
      const latencies: number[] = [];
      let next = 0;
      const worker = async () => {
        while (next < requests) {
          next += 1;
          const start = performance.now();
          const response = await fetch(`${origin}${path}`, withToken ? { headers } : {});
          const body = await response.arrayBuffer();
          latencies.push(performance.now() - start);
          if (!response.ok) throw new Error(`${path} svarade ${response.status}`);
          if (withToken) planBytes = body.byteLength;
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: concurrency }, worker));
      return summarizeLatencies(latencies, performance.now() - started);
    };
    // Warm-up, then the two interleaved so that a noisy moment hits both.
    await run('/api/tab/session', false);
    await run(`/api/tab/cases/${teamCaseId}/plan`, true);
    const baseline = await run('/api/tab/session', false);
    const plan = await run(`/api/tab/cases/${teamCaseId}/plan`, true);
    return { plan, baseline, planBytes, concurrency };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await stores.close();
    rmSync(directory, { recursive: true, force: true });
  }
}
