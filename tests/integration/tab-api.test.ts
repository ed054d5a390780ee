// The channel tab's API over HTTP against the SQLite store and the local Cosmos server: a member
// reads the plan and marks an action done, someone without a role gets 403 and nothing, and each
// read is in the audit log with its purpose. The family's copy is rendered from the shipped
// catalogue and downloaded as a PDF, never cached, its read audited like any other.

import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAction } from '../../flows/individuellt-barnteam/plan-actions.js';
import { recordCompassFollowUp } from '../../flows/individuellt-barnteam/plan-compass.js';
import { saveGoal } from '../../flows/individuellt-barnteam/plan-goals.js';
import { addTeamMember } from '../../flows/individuellt-barnteam/team-members.js';
import type { FlowDependencies } from '../../flows/kernel/case-effects.js';
import { compassAreaKeys } from '../../flows/kernel/compass.js';
import type { Stores } from '../../flows/kernel/ports.js';
import { ZPlanView } from '../../flows/kernel/records/plan-view.js';
import { defaultFamilyCopyDir } from '../../infra/config.js';
import { createLogger } from '../../infra/logger.js';
import { openCosmosStores } from '../../infra/store/cosmos-stores.js';
import { openSqliteStores } from '../../infra/store/sqlite-stores.js';
import { loadFamilyCopyRenderer } from '../../web/family-copy/create-renderer.js';
import { createLocalTokenIssuer, localClientId, localIssuerFor } from '../../web/local-sign-in.js';
import { createTabApi, tabMessages, tabPurposes } from '../../web/tab-api.js';
import { type LocalCosmosServer, startCosmosServer } from '../support/cosmos-server.js';
import { tenantId } from '../support/flow-fixtures.js';
import {
  createTeamFlow,
  rektor,
  socialsekreterare,
  startedAt,
  startTeam,
  teamCaseId,
  teamUsers,
} from '../support/team-fixtures.js';

const all = (value: string) => Object.fromEntries(compassAreaKeys.map((key) => [key, value]));

/** A started team with a member, a goal, an action the member owns and the start compass. */
async function buildPlanCase() {
  const flow = await createTeamFlow();
  await startTeam(flow);
  const base = { caseId: teamCaseId, at: startedAt, actor: rektor };
  const steps = [
    (etag: string) => addTeamMember(flow.deps, { ...base, etag, contactId: 'skolkurator-bjorkskolan' }),
    (etag: string) =>
      saveGoal(flow.deps, {
        ...base,
        etag,
        area: 'trygghet',
        minMal: 'Jag vill våga gå hem.',
        vad: 'Trygg hemväg',
        hur: 'Följs av fritids',
      }),
    (etag: string) =>
      addAction(flow.deps, {
        ...base,
        etag,
        what: 'Följa med hem på tisdagar',
        dueDate: '2025-03-20',
        ownerUserId: teamUsers.kurator,
        performer: { name: 'Fritids', role: 'Fritidspedagog', organisation: 'kommun' },
      }),
    (etag: string) => recordCompassFollowUp(flow.deps, { ...base, etag, ratings: { barnet: all('2') } }),
  ];
  for (const step of steps) {
    const result = await step(await flow.etag());
    if (result.outcome !== 'applied') throw new Error(JSON.stringify(result));
  }
  const stored = await flow.stores.cases.get(teamCaseId);
  if (stored === undefined) throw new Error('Ärendet saknas');
  return { flow, caseValue: stored.value };
}

interface RunningApi {
  readonly url: string;
  readonly stores: Stores;
  token(userId: string): Promise<string>;
  stop(): Promise<void>;
}

async function startApi(stores: Stores): Promise<RunningApi> {
  const { flow, caseValue } = await buildPlanCase();
  await stores.cases.create(caseValue);
  const deps: FlowDependencies = { ...flow.deps, stores };
  const issuer = await createLocalTokenIssuer({ tenantId, now: () => new Date() });
  const app = express();
  app.use(
    '/api/tab',
    createTabApi({
      flow: deps,
      tokens: {
        clientId: localClientId,
        allowedTenantIds: [tenantId],
        keysFor: () => issuer.keySet,
        issuerFor: localIssuerFor,
      },
      logger: createLogger({ level: 'silent' }),
      kick: () => {},
      localSignIn: issuer,
      familyCopy: loadFamilyCopyRenderer(defaultFamilyCopyDir),
    }),
  );
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/tab`,
    stores,
    token: async (userId) => (await issuer.issue({ userId, name: 'Testperson' })).token,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function describeTabApi(name: string, open: () => Promise<Stores>) {
  describe(`the channel tab’s API on ${name}`, () => {
    let api: RunningApi;
    beforeAll(async () => {
      api = await startApi(await open());
    });
    afterAll(async () => api?.stop());

    const get = async (path: string, userId?: string) =>
      fetch(`${api.url}${path}`, {
        headers: userId === undefined ? {} : { authorization: `Bearer ${await api.token(userId)}` },
      });
    const post = async (path: string, userId: string, body: unknown) =>
      fetch(`${api.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await api.token(userId)}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    it('shows a member the plan, not stored by the browser, and audits the read with its purpose', async () => {
      const response = await get(`/cases/${teamCaseId}/plan`, teamUsers.kurator);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const view = ZPlanView.parse(await response.json());
      expect(view.goals.map((goal) => goal.minMal)).toEqual(['Jag vill våga gå hem.']);
      expect(view.actions[0]).toMatchObject({ what: 'Följa med hem på tisdagar', canChangeStatus: true });
      const audit = await api.stores.audit.listForCase(teamCaseId);
      expect(audit).toContainEqual(
        expect.objectContaining({
          actor: teamUsers.kurator,
          action: 'lasPlan',
          outcome: 'allowed',
          purpose: tabPurposes.read,
        }),
      );
    });

    it('answers someone without a role in the case 403 with nothing of the plan, and audits the refusal', async () => {
      const response = await get(`/cases/${teamCaseId}/plan`, socialsekreterare.userId);
      expect(response.status).toBe(403);
      const body = await response.text();
      expect(JSON.parse(body)).toEqual({ error: tabMessages.noRole });
      expect(body).not.toContain('Jag vill våga gå hem');
      const audit = await api.stores.audit.listForCase(teamCaseId);
      expect(audit).toContainEqual(
        expect.objectContaining({ actor: socialsekreterare.userId, action: 'lasPlan', outcome: 'refused' }),
      );
    });

    it('answers a request without a token 401 and an unknown case 404', async () => {
      const anonymous = await get(`/cases/${teamCaseId}/plan`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
      expect((await get('/cases/finns-inte/plan', teamUsers.kurator)).status).toBe(404);
    });

    it('lets the action’s owner mark it done once, posts it to the channel, and answers a stale version with the plan as it is', async () => {
      const before = ZPlanView.parse(
        await (await get(`/cases/${teamCaseId}/plan`, teamUsers.kurator)).json(),
      );
      const action = before.actions[0];
      if (action === undefined) throw new Error('Åtgärden saknas');
      const path = `/cases/${teamCaseId}/actions/${action.id}/status`;
      const saved = await post(path, teamUsers.kurator, { etag: before.etag, status: 'genomford' });
      expect(saved.status).toBe(200);
      const savedBody = await saved.json();
      expect(savedBody).toMatchObject({
        outcome: 'saved',
        plan: { actions: [{ status: 'genomford', statusLabel: 'Genomförd' }] },
      });
      // A double click carries the same version: saved once, one post.
      const again = await post(path, teamUsers.kurator, { etag: before.etag, status: 'genomford' });
      expect(((await again.json()) as { outcome: string }).outcome).toBe('saved');
      const posts = (await api.stores.outbox.listDue(new Date('2100-01-01T00:00:00Z'), 100))
        .map((item) => item.value)
        .filter((message) => message.recipientKey === `teamkanal:${teamCaseId}`)
        .filter(
          (message) => message.payload.kind === 'notice' && message.payload.data.event === 'atgardGenomford',
        );
      expect(posts).toHaveLength(1);
      // The same old version, another change: the plan moved on, so the answer is the current plan.
      const stale = await post(path, teamUsers.kurator, { etag: before.etag, status: 'installd' });
      expect(stale.status).toBe(409);
      expect(await stale.json()).toMatchObject({
        outcome: 'stale',
        plan: { actions: [{ status: 'genomford' }] },
      });
    });

    it('lists the family copy’s languages and downloads the copy as a PDF, not stored, audited with its purpose', async () => {
      const languages = await (await get('/family-copy/languages')).json();
      expect(languages).toEqual({
        languages: [
          { code: 'sv', name: 'Svenska' },
          { code: 'en', name: 'Engelska' },
        ],
      });
      const response = await get(`/cases/${teamCaseId}/family-copy?lang=en`, teamUsers.kurator);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/pdf/);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('content-disposition')).toMatch(
        /^attachment; filename="barnets-plan-.+-en\.pdf"$/,
      );
      const pdf = Buffer.from(await response.arrayBuffer());
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const audit = await api.stores.audit.listForCase(teamCaseId);
      expect(audit).toContainEqual(
        expect.objectContaining({
          actor: teamUsers.kurator,
          action: 'lasPlan',
          outcome: 'allowed',
          purpose: tabPurposes.familyCopy,
        }),
      );
      expect((await get(`/cases/${teamCaseId}/family-copy?lang=xx`, teamUsers.kurator)).status).toBe(400);
      expect((await get(`/cases/${teamCaseId}/family-copy?lang=sv`, socialsekreterare.userId)).status).toBe(
        403,
      );
    });

    it('keeps a refused note out of the plan and names the field, and refuses a malformed body', async () => {
      const view = ZPlanView.parse(await (await get(`/cases/${teamCaseId}/plan`, teamUsers.kurator)).json());
      const refused = await post(`/cases/${teamCaseId}/follow-ups/1/notes`, teamUsers.kurator, {
        etag: view.etag,
        text: '  ',
      });
      expect(refused.status).toBe(422);
      expect(await refused.json()).toMatchObject({
        outcome: 'refused',
        field: 'text',
        plan: { compassOverTime: [{ notes: [] }] },
      });
      const malformed = await post(`/cases/${teamCaseId}/follow-ups/1/notes`, teamUsers.kurator, {
        text: 'x',
        extra: 1,
      });
      expect(malformed.status).toBe(400);
      const noted = await post(`/cases/${teamCaseId}/follow-ups/1/notes`, teamUsers.kurator, {
        etag: view.etag,
        text: 'Går hem själv nu.',
      });
      expect(await noted.json()).toMatchObject({
        outcome: 'saved',
        plan: { compassOverTime: [{ notes: [{ text: 'Går hem själv nu.' }] }] },
      });
    });

    // Last: it closes the case the other tests read.
    it('tells someone who had a role that the case is closed, with the date only, and still refuses the others', async () => {
      const stored = await api.stores.cases.get(teamCaseId);
      if (stored === undefined) throw new Error('Ärendet saknas');
      const closedAt = '2026-06-10T08:00:00.000Z';
      await api.stores.cases.replace(
        {
          ...stored.value,
          state: 'avslutad',
          chronology: [
            ...stored.value.chronology,
            { at: closedAt, by: rektor.userId, event: 'avsluta', to: 'avslutad' },
          ],
          updatedAt: closedAt,
        },
        stored.etag,
      );

      const response = await get(`/cases/${teamCaseId}/plan`, rektor.userId);
      expect(response.status).toBe(410);
      const body = await response.text();
      expect(JSON.parse(body)).toEqual({
        error: `Ärendet ${stored.value.reference} är stängt (avslutat) sedan 2026-06-10. Barnets plan visas inte längre i fliken.`,
      });
      expect(body).not.toContain('Jag vill våga gå hem');
      expect(body).not.toContain(stored.value.child.givenName);
      expect((await get(`/cases/${teamCaseId}/plan`, socialsekreterare.userId)).status).toBe(403);
      expect((await api.stores.audit.listForCase(teamCaseId)).at(-2)).toMatchObject({
        actor: rektor.userId,
        action: 'lasPlan',
        outcome: 'allowed',
      });
    });
  });
}

const sqliteRoot = mkdtempSync(join(tmpdir(), 'backa-tab-api-'));
describeTabApi('SQLite', async () => openSqliteStores({ path: join(sqliteRoot, 'backa.sqlite') }));

let cosmos: LocalCosmosServer | undefined;
describeTabApi('the local Cosmos server', async () => {
  cosmos = await startCosmosServer();
  return openCosmosStores({ client: cosmos.createClient(), databaseId: 'tab-api', createIfMissing: true });
});
afterAll(async () => cosmos?.stop());
