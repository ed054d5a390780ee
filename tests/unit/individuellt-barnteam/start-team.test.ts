import { describe, expect, it } from 'vitest';
import { startIndividuelltBarnteam } from '../../../flows/individuellt-barnteam/start-individuellt-barnteam.js';
import { authorize } from '../../../flows/kernel/access.js';
import { buildConsent } from '../../fixtures/case-fixtures.js';
import { upptackare } from '../../support/flow-fixtures.js';
import {
  buildRole,
  createTeamFlow,
  rektor,
  socialsekreterare,
  startedAt,
  teamCaseId,
  teamMeetingId,
  teamUsers,
  users,
} from '../../support/team-fixtures.js';

describe('starting an Individuellt barnteam from a Barnteam', () => {
  it('is refused without the updated written consent, with the reason the Barnkontakt can act on', async () => {
    const flow = await createTeamFlow({ consents: [buildConsent('muntligt'), buildConsent('skriftligt')] });
    const result = await startIndividuelltBarnteam(flow.deps, {
      caseId: teamCaseId,
      etag: await flow.etag(),
      actor: rektor,
      via: 'barnteam',
      meetingId: teamMeetingId,
      at: startedAt,
    });
    expect(result).toMatchObject({ outcome: 'refused', cause: 'transitionRefused' });
    expect(result.outcome === 'refused' && result.message).toContain('Uppdaterat skriftligt samtycke saknas');
    expect(flow.stores.snapshot().outbox).toEqual([]);
  });

  it('starts the team with an empty plan, asks for its channel and posts the start there, once however often it is clicked', async () => {
    const flow = await createTeamFlow();
    const etag = await flow.etag();
    const input = {
      caseId: teamCaseId,
      etag,
      actor: rektor,
      via: 'barnteam' as const,
      meetingId: teamMeetingId,
      at: startedAt,
    };
    expect((await startIndividuelltBarnteam(flow.deps, input)).outcome).toBe('applied');
    expect((await startIndividuelltBarnteam(flow.deps, input)).outcome).toBe('alreadyApplied');

    const { cases, outbox, reminders, audit } = flow.stores.snapshot();
    const started = cases[0];
    expect(started?.state).toBe('individuelltBarnteam');
    expect(started?.individuelltBarnteam).toMatchObject({
      via: 'barnteam',
      startedBy: users.barnkontakt,
      meetingId: teamMeetingId,
    });
    expect(started?.barnetsPlan).toEqual({ goals: [], actions: [], closeToMe: [], compassFollowUps: [] });
    expect(started?.barnteamUtfall?.at(-1)).toMatchObject({
      meetingId: teamMeetingId,
      startIndividuelltBarnteam: true,
    });
    expect(reminders).toEqual([
      expect.objectContaining({
        id: `${teamCaseId}:teamkanal`,
        kind: 'skapaTeamkanal',
        dueAt: startedAt,
        status: 'scheduled',
        data: {},
      }),
    ]);
    expect(outbox).toEqual([
      expect.objectContaining({
        recipientKey: `teamkanal:${teamCaseId}`,
        payload: {
          kind: 'notice',
          notice: 'teamkanalStatus',
          caseId: teamCaseId,
          data: { event: 'teametStartat' },
        },
      }),
    ]);
    expect(JSON.stringify(outbox)).not.toContain('Testbarn');
    expect(audit.find((entry) => entry.action === 'startaIndividuelltBarnteam')?.purpose).toContain(
      'samtycket',
    );
  });

  it('is refused to anyone but the meeting’s convener', async () => {
    const flow = await createTeamFlow();
    const result = await startIndividuelltBarnteam(flow.deps, {
      caseId: teamCaseId,
      etag: await flow.etag(),
      actor: upptackare,
      via: 'barnteam',
      meetingId: teamMeetingId,
      at: startedAt,
    });
    expect(result).toMatchObject({ outcome: 'refused', cause: 'accessDenied' });
  });
});

describe('starting an Individuellt barnteam directly under a SIP duty', () => {
  const sipCase = {
    state: 'mottagen' as const,
    roles: [
      buildRole({
        userId: users.barnkontakt,
        role: 'barnkontakt',
        displayName: 'Maria Lind',
        unitId: 'bjorkskolan',
      }),
      buildRole({ userId: teamUsers.socialsekreterare, role: 'upptackare', displayName: 'Nadia Lund' }),
      buildRole({ userId: users.upptackare, role: 'upptackare', displayName: 'Alex Andersson' }),
    ],
  };

  it('lets someone at a unit with the duty start it, makes them its first member and tells the Barnkontakt', async () => {
    const flow = await createTeamFlow(sipCase);
    const result = await startIndividuelltBarnteam(flow.deps, {
      caseId: teamCaseId,
      etag: await flow.etag(),
      actor: socialsekreterare,
      via: 'sip',
      at: startedAt,
    });
    expect(result.outcome).toBe('applied');
    const { cases, outbox } = flow.stores.snapshot();
    const team = cases[0]?.individuelltBarnteam;
    expect(team).toMatchObject({ via: 'sip', barnkontaktInformedAt: startedAt });
    expect(team?.members).toEqual([
      expect.objectContaining({
        userId: teamUsers.socialsekreterare,
        role: 'teammedlem',
        organisation: 'kommun',
      }),
    ]);
    expect(cases[0]?.chronology.map((entry) => entry.event)).toContain(
      'barnkontaktInformeradOmIndividuelltBarnteam',
    );
    const toBarnkontakt = outbox.find((message) => message.recipientKey === users.barnkontakt);
    expect(toBarnkontakt?.payload).toMatchObject({ notice: 'individuelltBarnteamStartatSip' });
    // The starter now sees the plan through the team.
    expect(cases[0] && authorize(cases[0], teamUsers.socialsekreterare, 'lasPlan').allowed).toBe(true);
  });

  it('is refused to an Upptäckare whose organisation has no SIP duty', async () => {
    const flow = await createTeamFlow(sipCase);
    const result = await startIndividuelltBarnteam(flow.deps, {
      caseId: teamCaseId,
      etag: await flow.etag(),
      actor: upptackare,
      via: 'sip',
      at: startedAt,
    });
    expect(result).toMatchObject({
      outcome: 'refused',
      cause: 'accessDenied',
      message:
        'Bara en verksamhet med skyldighet att initiera SIP kan starta ett Individuellt barnteam direkt.',
    });
  });
});
