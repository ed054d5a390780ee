import { describe, expect, it } from 'vitest';
import {
  addFollowUpNote,
  followUpNoteMessages,
} from '../../../flows/individuellt-barnteam/follow-up-notes.js';
import { addAction } from '../../../flows/individuellt-barnteam/plan-actions.js';
import { readPlanCardVersion, toPlanCardVersion } from '../../../flows/individuellt-barnteam/plan-command.js';
import { recordCompassFollowUp } from '../../../flows/individuellt-barnteam/plan-compass.js';
import { saveGoal } from '../../../flows/individuellt-barnteam/plan-goals.js';
import { toPlanView } from '../../../flows/individuellt-barnteam/plan-view.js';
import { addTeamMember } from '../../../flows/individuellt-barnteam/team-members.js';
import type { CaseCommandResult } from '../../../flows/kernel/case-command.js';
import { compassAreaKeys } from '../../../flows/kernel/compass.js';
import { ZPlanView } from '../../../flows/kernel/records/plan-view.js';
import { users } from '../../support/flow-fixtures.js';
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
const all = (value: string) => Object.fromEntries(compassAreaKeys.map((key) => [key, value]));

function expectApplied(result: CaseCommandResult): void {
  expect(result.outcome, JSON.stringify(result)).toBe('applied');
}

async function planWithKurator(): Promise<TeamFlow> {
  const flow = await createTeamFlow();
  await startTeam(flow);
  const step = async (run: (etag: string) => Promise<CaseCommandResult>) =>
    expectApplied(await run(await flow.etag()));
  await step((etag) =>
    addTeamMember(flow.deps, { ...base, etag, actor: rektor, contactId: 'skolkurator-bjorkskolan' }),
  );
  await step((etag) =>
    saveGoal(flow.deps, {
      ...base,
      etag,
      actor: rektor,
      area: 'maBra',
      minMal: 'Jag vill kunna sova hela natten.',
      vad: 'Bättre sömn',
      hur: 'Kvällsrutin med stöd av skolsköterskan',
    }),
  );
  await step((etag) =>
    addAction(flow.deps, {
      ...base,
      etag,
      actor: rektor,
      what: 'Samtal med skolsköterskan varje vecka',
      dueDate: '2025-03-14',
      ownerUserId: teamUsers.kurator,
      performer: { name: 'Elevhälsan', role: 'Skolsköterska', organisation: 'kommun' },
    }),
  );
  await step((etag) =>
    recordCompassFollowUp(flow.deps, {
      ...base,
      etag,
      actor: rektor,
      ratings: { barnet: all('2'), teamet: all('3') },
    }),
  );
  return flow;
}

async function viewFor(flow: TeamFlow, viewerId: string, now = startedAt) {
  const stored = await flow.stores.cases.get(teamCaseId);
  if (stored === undefined) throw new Error('Ärendet saknas');
  return toPlanView(stored, viewerId, flow.deps.directory, now);
}

describe('Barnets plan as the tab reads it', () => {
  it('shows a member the goals, the actions with owner and date, the team and the compass, by initials only', async () => {
    const flow = await planWithKurator();
    const view = await viewFor(flow, teamUsers.kurator);
    expect(ZPlanView.parse(view)).toEqual(view);
    expect(view?.childInitials).toMatch(/^[A-ZÅÄÖ]\.[A-ZÅÄÖ]\.$/);
    expect(JSON.stringify(view)).not.toMatch(/20170612|2387/);
    expect(view?.goals).toEqual([
      expect.objectContaining({ area: 'maBra', minMal: 'Jag vill kunna sova hela natten.' }),
    ]);
    expect(view?.actions).toEqual([
      expect.objectContaining({
        what: 'Samtal med skolsköterskan varje vecka',
        ownerName: 'Ali Karimi',
        dueDate: '2025-03-14',
        statusLabel: 'Planerad',
        overdue: false,
        canChangeStatus: true,
      }),
    ]);
    expect(view?.team.map((member) => `${member.roleLabel}: ${member.name}`)).toEqual([
      'Barnkontakt: Rektor Björkskolan',
      'Medlem: Ali Karimi',
    ]);
    expect(view?.owner).toEqual({ name: 'Rektor Björkskolan', roleLabel: 'Barnkontakt' });
    expect(view?.compassOverTime).toHaveLength(1);
    expect(view?.compassOverTime[0]?.ratings.filter((rating) => rating.rater === 'barnet')).toHaveLength(8);
    expect(view?.goldenRule).toContain('nödvändig, relevant och proportionerlig');
    // A member who does not own the plan may change only the actions they answer for.
    expect(view?.may).toEqual({ addFollowUpNote: true, editPlan: false });
  });

  it('marks an action overdue from the first working day after its date', async () => {
    const flow = await planWithKurator();
    // 2025-03-14 is a Friday: the weekend does not count, Monday does.
    expect((await viewFor(flow, rektor.userId, '2025-03-16T10:00:00.000Z'))?.actions[0]?.overdue).toBe(false);
    expect((await viewFor(flow, rektor.userId, '2025-03-17T10:00:00.000Z'))?.actions[0]?.overdue).toBe(true);
  });

  it('shows the next meeting with its Teams link until it is over', async () => {
    const flow = await planWithKurator();
    const stored = await flow.stores.cases.get(teamCaseId);
    const plan = stored?.value.barnetsPlan;
    if (stored === undefined || plan === undefined) throw new Error('Planen saknas');
    const meeting = {
      proposalId: 'forslag-1',
      state: 'bokat' as const,
      start: '2025-03-19T08:00:00.000Z',
      end: '2025-03-19T09:00:00.000Z',
      organizer: 'maria.lind@exempelby.se',
      eventId: 'event-1',
      joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_1%40thread.v2/0',
      bookedBy: rektor.userId,
      bookedAt: startedAt,
    };
    await flow.stores.cases.replace(
      { ...stored.value, barnetsPlan: { ...plan, nextMeeting: meeting } },
      stored.etag,
    );
    expect((await viewFor(flow, teamUsers.kurator))?.nextMeeting).toEqual({
      start: meeting.start,
      end: meeting.end,
      joinUrl: meeting.joinUrl,
    });
    expect((await viewFor(flow, teamUsers.kurator, '2025-03-19T09:00:00.000Z'))?.nextMeeting).toBeUndefined();
  });

  it('shows nothing to someone without a role in the team, nor to the Upptäckare', async () => {
    const flow = await planWithKurator();
    expect(await viewFor(flow, socialsekreterare.userId)).toBeUndefined();
    expect(await viewFor(flow, users.upptackare)).toBeUndefined();
  });
});

describe('a note on a follow-up', () => {
  it('is added by a member under their name, and a double click saves it once', async () => {
    const flow = await planWithKurator();
    const note = {
      ...base,
      actor: kurator,
      followUpNo: 1,
      text: 'Sover bättre sedan kvällsrutinen började.',
    };
    // A double click: the second press carries the version the first one changed.
    const etag = await flow.etag();
    expectApplied(await addFollowUpNote(flow.deps, { ...note, etag }));
    expect((await addFollowUpNote(flow.deps, { ...note, etag })).outcome).toBe('alreadyApplied');
    const view = await viewFor(flow, rektor.userId);
    expect(view?.compassOverTime[0]?.notes).toEqual([
      { text: 'Sover bättre sedan kvällsrutinen började.', byName: 'Ali Karimi', at: startedAt },
    ]);
  });

  it('refuses an empty note or an unknown follow-up with the message under the field, and someone outside the team', async () => {
    const flow = await planWithKurator();
    expect(
      await addFollowUpNote(flow.deps, {
        ...base,
        etag: await flow.etag(),
        actor: kurator,
        followUpNo: 1,
        text: '  ',
      }),
    ).toMatchObject({ outcome: 'refused', field: 'text', message: followUpNoteMessages.textMissing });
    expect(
      await addFollowUpNote(flow.deps, {
        ...base,
        etag: await flow.etag(),
        actor: kurator,
        followUpNo: 7,
        text: 'X',
      }),
    ).toMatchObject({
      outcome: 'refused',
      field: 'followUpNo',
      message: followUpNoteMessages.unknownFollowUp,
    });
    expect(
      await addFollowUpNote(flow.deps, {
        ...base,
        etag: await flow.etag(),
        actor: socialsekreterare,
        followUpNo: 1,
        text: 'Ska inte sparas',
      }),
    ).toMatchObject({ outcome: 'refused', cause: 'accessDenied' });
    const view = await viewFor(flow, rektor.userId);
    expect(view?.compassOverTime[0]?.notes).toEqual([]);
  });
});

describe('a plan card after a change elsewhere in the case', () => {
  it('still saves when only the channel was written in since, and is stale when the plan itself changed', async () => {
    const flow = await planWithKurator();
    const stored = await flow.stores.cases.get(teamCaseId);
    if (stored === undefined) throw new Error('Ärendet saknas');
    const cardVersion = readPlanCardVersion(toPlanCardVersion(stored.etag, stored.value));
    // The channel's provisioning records the channel: the ETag moves, the plan does not.
    const team = stored.value.individuelltBarnteam;
    if (team === undefined) throw new Error('Teamet saknas');
    await flow.stores.cases.replace(
      {
        ...stored.value,
        individuelltBarnteam: {
          ...team,
          channel: {
            hostTeamId: 'team-1',
            channelId: '19:kanal@thread.tacv2',
            conversationKey: 'kanal-1',
            displayName: 'Barnteam T.E. BB-1',
            createdAt: startedAt,
          },
        },
      },
      stored.etag,
    );
    const note = { ...base, actor: kurator, followUpNo: 1, ...cardVersion };
    expectApplied(await addFollowUpNote(flow.deps, { ...note, text: 'Första anteckningen.' }));
    // The same card again, now that the plan itself has changed: stale, not applied.
    expect((await addFollowUpNote(flow.deps, { ...note, text: 'Andra anteckningen.' })).outcome).toBe(
      'stale',
    );
  });
});
