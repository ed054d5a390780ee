/**
 * What the channel tab's browser test runs against: a server that serves the built tab at /tab/
 * and answers /api/tab. The test takes any `TabTestTarget`, so the same test runs against this
 * stub (the contract's shapes with a fixture plan) or against the bot's real server.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { build } from 'vite';
import { type PlanView, ZPlanView } from '../../flows/kernel/records/plan-view.js';
import { buildPlanViewFixture, fixtureCaseId } from '../fixtures/plan-view-fixture.js';

export interface TabTestUser {
  readonly name: string;
}

export interface TabTestTarget {
  readonly baseUrl: string;
  readonly caseId: string;
  /** A member of the case who may mark some actions done. */
  readonly member: TabTestUser;
  /** A valid user with no role in the case. */
  readonly outsider: TabTestUser;
  /** Someone else changes the plan (an action marked done), so the tab's version is stale. */
  changePlanElsewhere(): Promise<{ readonly actionWhat: string }>;
  close(): Promise<void>;
}

/** Builds the tab with Vite into `outDir` (not dist/, so a test never ships its build). */
export async function buildTab(outDir: string): Promise<void> {
  // @vitejs/plugin-react picks the JSX runtime from NODE_ENV when the config loads, not from `mode`.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await buildProduction(outDir);
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

async function buildProduction(outDir: string): Promise<void> {
  await build({
    configFile: 'tab/vite.config.ts',
    logLevel: 'warn',
    // Vitest sets NODE_ENV=test, which would give React's development build: test what ships.
    mode: 'production',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: { outDir, emptyOutDir: true },
  });
}

export const stubMessages = {
  stale: 'Planen har ändrats sedan du öppnade den. Här är den som den ser ut nu.',
  emptyNote: 'Skriv något i anteckningen.',
} as const;

const member = { userId: '11111111-1111-4111-8111-111111111111', name: 'Kim Lind', title: 'Kurator' };
const outsider = { userId: '22222222-2222-4222-8222-222222222222', name: 'Alex Utan Roll', title: 'Lärare' };

/** The stub: the contract of /api/tab with one case, one member and one user without a role. */
export async function startTabStubServer(options: { readonly buildDir: string }): Promise<TabTestTarget> {
  let plan: PlanView = buildPlanViewFixture();
  let version = 1;
  const tokenOf = (userId: string) => `stub-${userId}`;
  const app = express();
  app.use('/tab', express.static(options.buildDir));
  const api = express.Router();
  api.use((_request, response, next) => {
    response.set('Cache-Control', 'no-store');
    next();
  });
  api.use(express.json());
  api.get('/session', (_request, response) => {
    response.json({ mode: 'local', users: [member, outsider] });
  });
  api.post('/local-token', (request, response) => {
    const user = [member, outsider].find((candidate) => candidate.userId === request.body?.userId);
    if (user === undefined) return void response.status(400).json({ error: 'Begäran kunde inte läsas.' });
    response.json({ token: tokenOf(user.userId), expiresAt: new Date(Date.now() + 600_000).toISOString() });
  });
  // Like the real API, without a token: the tab asks for the family copy's languages first.
  api.get('/family-copy/languages', (_request, response) => {
    response.json({
      languages: [
        { code: 'sv', name: 'Svenska' },
        { code: 'en', name: 'Engelska' },
      ],
    });
  });
  api.use((request, response, next) => {
    const header = request.headers.authorization ?? '';
    if (header === `Bearer ${tokenOf(member.userId)}`) return next();
    if (header === `Bearer ${tokenOf(outsider.userId)}`) {
      return void response.status(403).json({ error: 'Du har ingen roll i det här barnets plan.' });
    }
    response.status(401).json({ error: 'Du är inte inloggad. Öppna fliken i Teams igen.' });
  });
  const bump = (change: (current: PlanView) => PlanView) => {
    version += 1;
    plan = ZPlanView.parse({ ...change(plan), etag: `etag-${version}` });
  };
  const markAction = (actionId: string, status: 'pagar' | 'genomford' | 'installd') =>
    bump((current) => ({
      ...current,
      actions: current.actions.map((action) =>
        action.id === actionId
          ? {
              ...action,
              status,
              statusLabel: { pagar: 'Pågår', genomford: 'Genomförd', installd: 'Inställd' }[status],
              overdue: false,
              canChangeStatus: false,
            }
          : action,
      ),
    }));
  api.get('/cases/:caseId/plan', (request, response) => {
    if (request.params.caseId !== plan.caseId)
      return void response.status(404).json({ error: 'Planen finns inte.' });
    response.json(plan);
  });
  api.post('/cases/:caseId/actions/:actionId/status', (request, response) => {
    const { etag, status } = request.body ?? {};
    if (etag !== plan.etag)
      return void response.status(409).json({ outcome: 'stale', message: stubMessages.stale, plan });
    markAction(request.params.actionId, status);
    response.json({ outcome: 'saved', message: 'Sparat.', plan });
  });
  api.post('/cases/:caseId/follow-ups/:followUpNo/notes', (request, response) => {
    const { etag, text } = request.body ?? {};
    if (etag !== plan.etag)
      return void response.status(409).json({ outcome: 'stale', message: stubMessages.stale, plan });
    if (typeof text !== 'string' || text.trim() === '') {
      return void response
        .status(422)
        .json({ outcome: 'refused', message: stubMessages.emptyNote, field: 'text', plan });
    }
    const followUpNo = Number(request.params.followUpNo);
    bump((current) => ({
      ...current,
      compassOverTime: current.compassOverTime.map((followUp) =>
        followUp.followUpNo === followUpNo
          ? {
              ...followUp,
              notes: [...followUp.notes, { text, byName: member.name, at: new Date().toISOString() }],
            }
          : followUp,
      ),
    }));
    response.json({ outcome: 'saved', message: 'Sparat.', plan });
  });
  app.use('/api/tab', api);
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    caseId: fixtureCaseId,
    member,
    outsider,
    async changePlanElsewhere() {
      const action = plan.actions.find(
        (candidate) => candidate.status !== 'genomford' && !candidate.canChangeStatus,
      );
      if (action === undefined) throw new Error('Fixturen saknar en öppen insats att ändra');
      markAction(action.id, 'genomford');
      return { actionWhat: action.what };
    },
    async close() {
      server.close();
      await once(server, 'close');
    },
  };
}
