import { describe, expect, it } from 'vitest';
import { adoptPlan } from '../../../flows/individuellt-barnteam/adopt-plan.js';
import { appointStodsamordnare } from '../../../flows/individuellt-barnteam/appoint-stodsamordnare.js';
import { addAction, setActionStatus } from '../../../flows/individuellt-barnteam/plan-actions.js';
import { recordCompassFollowUp } from '../../../flows/individuellt-barnteam/plan-compass.js';
import { recordDeepCompass } from '../../../flows/individuellt-barnteam/plan-deep-compass.js';
import { saveGoal } from '../../../flows/individuellt-barnteam/plan-goals.js';
import {
  addTeamMember,
  addTeamParticipant,
  removeTeamMember,
} from '../../../flows/individuellt-barnteam/team-members.js';
import { authorize } from '../../../flows/kernel/access.js';
import type { Case } from '../../../flows/kernel/case.js';
import type { CaseCommandResult } from '../../../flows/kernel/case-command.js';
import { loadCompassCatalogueFile } from '../../../infra/compass-catalogue-file.js';
import {
  createTeamFlow,
  kurator,
  rektor,
  socialsekreterare,
  startedAt,
  startTeam,
  type TeamFlow,
  teamCaseId,
  teamUsers,
} from '../../support/team-fixtures.js';

const base = { caseId: teamCaseId, at: startedAt };

/** The status event of each post to the team's channel, in the order enqueued. */
function channelEvents(flow: TeamFlow): unknown[] {
  return flow.stores
    .snapshot()
    .outbox.filter((message) => message.recipientKey === `teamkanal:${teamCaseId}`)
    .map((message) => (message.payload.kind === 'notice' ? message.payload.data.event : undefined));
}

async function current(flow: TeamFlow): Promise<Case> {
  const stored = await flow.stores.cases.get(teamCaseId);
  if (stored === undefined) throw new Error('Ärendet saknas');
  return stored.value;
}

function expectApplied(result: CaseCommandResult): void {
  expect(result.outcome, JSON.stringify(result)).toBe('applied');
}

async function teamWithKurator(): Promise<TeamFlow> {
  const flow = await createTeamFlow();
  await startTeam(flow);
  expectApplied(
    await addTeamMember(flow.deps, {
      ...base,
      etag: await flow.etag(),
      actor: rektor,
      contactId: 'skolkurator-bjorkskolan',
    }),
  );
  return flow;
}

const goal = {
  area: 'maBra',
  minMal: 'Jag vill kunna sova hela natten.',
  vad: 'Bättre sömn',
  hur: 'Kvällsrutin med stöd av skolsköterskan',
};

describe('the team’s members', () => {
  it('gives a picked professional a role that sees the plan, and takes it away at once when they are removed', async () => {
    const flow = await teamWithKurator();
    const withKurator = await current(flow);
    expect(withKurator.individuelltBarnteam?.members).toEqual([
      expect.objectContaining({
        contactId: 'skolkurator-bjorkskolan',
        role: 'teammedlem',
        organisation: 'kommun',
        title: 'Skolkurator',
      }),
    ]);
    expect(authorize(withKurator, teamUsers.kurator, 'lasPlan').allowed).toBe(true);
    expect(authorize(withKurator, teamUsers.kurator, 'redigeraPlan').allowed).toBe(false);

    expectApplied(
      await removeTeamMember(flow.deps, {
        ...base,
        etag: await flow.etag(),
        actor: rektor,
        memberKey: 'skolkurator-bjorkskolan',
      }),
    );
    const without = await current(flow);
    expect(authorize(without, teamUsers.kurator, 'lasPlan')).toEqual({
      allowed: false,
      reason: 'Din roll i ärendet (medlem i teamet) har upphört, så du har inte längre tillgång till det.',
    });
    expect(channelEvents(flow)).toEqual(['teametStartat', 'medlemTillagd', 'medlemBorttagen']);
    // The channel follows: each change schedules the sync of its members, committed with the change.
    const syncs = flow.stores.snapshot().reminders.filter((item) => item.kind === 'teamkanalMedlemmar');
    expect(syncs.map((item) => item.id.split(':').at(-1))).toEqual(['medlemTillagd-1', 'medlemBorttagen-1']);
    const audited = flow.stores
      .snapshot()
      .audit.filter((entry) => entry.action === 'hanteraTeam' && entry.outcome === 'allowed');
    expect(audited).toHaveLength(2);
    expect(audited.every((entry) => (entry.purpose ?? '').length > 0)).toBe(true);
  });

  it('lists a member outside Teams on the plan without giving anyone access, and guardians as participants', async () => {
    const flow = await createTeamFlow();
    await startTeam(flow);
    expectApplied(
      await addTeamMember(flow.deps, {
        ...base,
        etag: await flow.etag(),
        actor: rektor,
        contactId: 'polis-lokalpolisomradet',
      }),
    );
    expectApplied(
      await addTeamParticipant(flow.deps, {
        ...base,
        etag: await flow.etag(),
        actor: rektor,
        name: 'Kim Exempel',
        relation: 'vardnadshavare',
        relationText: 'pappa',
      }),
    );
    const caseValue = await current(flow);
    expect(caseValue.individuelltBarnteam?.members[0]).toMatchObject({
      displayName: 'Erik Falk',
      organisation: 'polis',
    });
    expect(caseValue.individuelltBarnteam?.members[0]?.userId).toBeUndefined();
    expect(caseValue.individuelltBarnteam?.participants).toEqual([
      { id: 'deltagare-1', name: 'Kim Exempel', relation: 'vardnadshavare', relationText: 'pappa' },
    ]);
    expect(JSON.stringify(caseValue.chronology)).not.toContain('Kim Exempel');
  });

  it('is changed only by the convener', async () => {
    const flow = await teamWithKurator();
    const result = await addTeamMember(flow.deps, {
      ...base,
      etag: await flow.etag(),
      actor: kurator,
      contactId: 'socialsekreterare',
    });
    expect(result).toMatchObject({ outcome: 'refused', cause: 'accessDenied' });
  });
});

describe('who owns Barnets plan', () => {
  it('is the Barnkontakt until the team appoints a Stödsamordnare, and then the Stödsamordnare', async () => {
    const flow = await teamWithKurator();
    expectApplied(await saveGoal(flow.deps, { ...base, etag: await flow.etag(), actor: rektor, ...goal }));
    // A member sees the plan but does not write it.
    expect(
      await saveGoal(flow.deps, {
        ...base,
        etag: await flow.etag(),
        actor: kurator,
        ...goal,
        minMal: 'Annat mål',
      }),
    ).toMatchObject({
      outcome: 'refused',
      cause: 'accessDenied',
    });

    expectApplied(
      await appointStodsamordnare(flow.deps, {
        ...base,
        etag: await flow.etag(),
        actor: rektor,
        memberKey: 'skolkurator-bjorkskolan',
      }),
    );
    const appointed = await current(flow);
    expect(appointed.individuelltBarnteam?.stodsamordnare).toMatchObject({
      userId: teamUsers.kurator,
      appointedBy: rektor.userId,
    });
    expect(appointed.chronology.map((entry) => entry.event)).toContain('stodsamordnareUtsedd');

    const byBarnkontakt = await saveGoal(flow.deps, {
      ...base,
      etag: await flow.etag(),
      actor: rektor,
      ...goal,
      minMal: 'Nytt mål',
    });
    expect(byBarnkontakt).toMatchObject({ outcome: 'refused', cause: 'accessDenied' });
    expect(byBarnkontakt.outcome === 'refused' && byBarnkontakt.message).toContain('Stödsamordnaren');
    expectApplied(
      await saveGoal(flow.deps, {
        ...base,
        etag: await flow.etag(),
        actor: kurator,
        goalId: 'mal-1',
        ...goal,
        hur: 'Kvällsrutin hemma',
      }),
    );
    expect((await current(flow)).barnetsPlan?.goals).toEqual([
      expect.objectContaining({
        id: 'mal-1',
        area: 'maBra',
        minMal: goal.minMal,
        vad: goal.vad,
        hur: 'Kvällsrutin hemma',
      }),
    ]);
  });

  it('fastställs by its owner once it has a goal and an action, and that is posted to the channel', async () => {
    const flow = await teamWithKurator();
    expect(await adoptPlan(flow.deps, { ...base, etag: await flow.etag(), actor: rektor })).toMatchObject({
      outcome: 'refused',
      cause: 'invalidInput',
      message: 'Planen behöver minst ett mål och en åtgärd innan den kan fastställas.',
    });
    expectApplied(await saveGoal(flow.deps, { ...base, etag: await flow.etag(), actor: rektor, ...goal }));
    expectApplied(
      await addAction(flow.deps, {
        ...base,
        etag: await flow.etag(),
        actor: rektor,
        what: 'Samtal om sömn varje vecka',
        goalId: 'mal-1',
        dueDate: '2025-03-21',
        ownerUserId: teamUsers.kurator,
      }),
    );
    expect(await adoptPlan(flow.deps, { ...base, etag: await flow.etag(), actor: kurator })).toMatchObject({
      cause: 'accessDenied',
    });
    expectApplied(await adoptPlan(flow.deps, { ...base, etag: await flow.etag(), actor: rektor }));
    const adopted = await current(flow);
    expect(adopted.state).toBe('planAktiv');
    expect(adopted.barnetsPlan?.actions[0]).toMatchObject({
      who: { name: 'Ali Karimi', role: 'Skolkurator', organisation: 'kommun' },
      status: 'planerad',
      ownerUserId: teamUsers.kurator,
    });
    expect(channelEvents(flow)).toContain('planFaststalld');
  });

  it('lets a member mark their own action done, not someone else’s', async () => {
    const flow = await teamWithKurator();
    expectApplied(
      await addTeamMember(flow.deps, {
        ...base,
        etag: await flow.etag(),
        actor: rektor,
        contactId: 'socialsekreterare',
      }),
    );
    expectApplied(
      await addAction(flow.deps, {
        ...base,
        etag: await flow.etag(),
        actor: rektor,
        what: 'Samtal om sömn',
        dueDate: '2025-03-21',
        ownerUserId: teamUsers.kurator,
      }),
    );
    expect(
      await setActionStatus(flow.deps, {
        ...base,
        etag: await flow.etag(),
        actor: socialsekreterare,
        actionId: 'atgard-1',
        status: 'genomford',
      }),
    ).toMatchObject({ outcome: 'refused', cause: 'transitionRefused' });
    expectApplied(
      await setActionStatus(flow.deps, {
        ...base,
        etag: await flow.etag(),
        actor: kurator,
        actionId: 'atgard-1',
        status: 'genomford',
      }),
    );
    expect(
      await setActionStatus(flow.deps, {
        ...base,
        etag: await flow.etag(),
        actor: rektor,
        actionId: 'atgard-1',
        status: 'installd',
      }),
    ).toMatchObject({
      outcome: 'refused',
      message: 'Åtgärden är redan genomförd eller inställd och kan inte ändras.',
    });
    const posts = flow.stores
      .snapshot()
      .outbox.filter((message) => message.recipientKey === `teamkanal:${teamCaseId}`);
    expect(posts.at(-1)?.payload).toMatchObject({ data: { event: 'atgardGenomford', itemId: 'atgard-1' } });
  });

  it('records compass ratings over time, the first as the start and then follow-ups', async () => {
    const flow = await teamWithKurator();
    const all = (value: string) =>
      Object.fromEntries(
        ['omsorg', 'trygghet', 'maBra', 'fritid', 'tillhorighet', 'ansvar', 'respekteras', 'utvecklas'].map(
          (key) => [key, value],
        ),
      );
    expectApplied(
      await recordCompassFollowUp(flow.deps, {
        ...base,
        etag: await flow.etag(),
        actor: rektor,
        ratings: { barnet: all('2'), teamet: all('3') },
      }),
    );
    expect(
      await recordCompassFollowUp(flow.deps, {
        ...base,
        etag: await flow.etag(),
        actor: rektor,
        ratings: { vardnadshavare: { ...all('4'), fritid: '' } },
      }),
    ).toMatchObject({ outcome: 'refused', field: 'vardnadshavare_fritid' });
    expectApplied(
      await recordCompassFollowUp(flow.deps, {
        ...base,
        etag: await flow.etag(),
        actor: rektor,
        ratings: { barnet: { ...all('4'), fritid: 'vetEj' } },
      }),
    );
    const followUps = (await current(flow)).barnetsPlan?.compassFollowUps ?? [];
    expect(followUps.map((item) => [item.followUpNo, item.kind, item.sets.map((set) => set.rater)])).toEqual([
      [1, 'start', ['barnet', 'teamet']],
      [2, 'uppfoljning', ['barnet']],
    ]);
  });
});

describe('the Fördjupad behovskompass', () => {
  it('takes ratings only of the sub-areas the municipality’s catalogue names, and keeps earlier ones', async () => {
    const catalogue = loadCompassCatalogueFile('config/fordjupad-behovskompass.sample.yaml');
    const flow = await teamWithKurator();
    expect(
      await recordDeepCompass(flow.deps, catalogue, {
        ...base,
        etag: await flow.etag(),
        actor: rektor,
        ratings: { 'pahittat-delomrade': '3' },
      }),
    ).toMatchObject({
      outcome: 'refused',
      field: 'pahittat-delomrade',
      message: 'Delområdet finns inte i kommunens katalog för Fördjupad behovskompass.',
    });
    expectApplied(
      await recordDeepCompass(flow.deps, catalogue, {
        ...base,
        etag: await flow.etag(),
        actor: rektor,
        ratings: { 'trygghet-hemma': '2', 'fritid-aktiviteter': 'vetEj' },
      }),
    );
    flow.setNow('2025-04-02T08:00:00.000Z');
    expectApplied(
      await recordDeepCompass(flow.deps, catalogue, {
        ...base,
        at: '2025-04-02T08:00:00.000Z',
        etag: await flow.etag(),
        actor: rektor,
        ratings: { 'trygghet-hemma': '4' },
      }),
    );
    const caseValue = await current(flow);
    expect(caseValue.barnetsPlan?.deepCompass?.map((item) => [item.subAreaId, item.rating])).toEqual([
      ['trygghet-hemma', 2],
      ['fritid-aktiviteter', 'vetEj'],
      ['trygghet-hemma', 4],
    ]);
    expect(caseValue.chronology.at(-1)?.note).toBe('Katalog: Exempel 2025 (exempel)');
  });
});
