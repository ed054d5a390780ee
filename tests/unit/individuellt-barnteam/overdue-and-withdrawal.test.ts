import { describe, expect, it } from 'vitest';
import {
  addAction,
  handleOverdueAction,
  setActionStatus,
} from '../../../flows/individuellt-barnteam/plan-actions.js';
import { computeOverdueAt } from '../../../flows/individuellt-barnteam/team-effects.js';
import { addTeamMember } from '../../../flows/individuellt-barnteam/team-members.js';
import { authorize } from '../../../flows/kernel/access.js';
import type { WorkingTime } from '../../../flows/kernel/directory.js';
import type { Reminder } from '../../../flows/kernel/ports.js';
import { withdrawConsent } from '../../../flows/samtycke/withdraw-consent.js';
import {
  createTeamFlow,
  kurator,
  rektor,
  startedAt,
  startTeam,
  type TeamFlow,
  teamCaseId,
  teamUsers,
} from '../../support/team-fixtures.js';

const workingTime: WorkingTime = {
  days: ['mandag', 'tisdag', 'onsdag', 'torsdag', 'fredag'],
  start: '08:00',
  end: '16:30',
  holidays: [],
};

describe('when an action of the plan is overdue (Stockholm time, working days)', () => {
  it('is the start of the first working day after its date', () => {
    // Wednesday → Thursday 08:00 CET.
    expect(computeOverdueAt('2025-03-12', workingTime)).toBe('2025-03-13T07:00:00.000Z');
    // Friday → Monday, and across the change to summer time (31 March 08:00 CEST).
    expect(computeOverdueAt('2025-03-28', workingTime)).toBe('2025-03-31T06:00:00.000Z');
    // Maundy Thursday → the Tuesday after Easter Monday (Good Friday and Easter Monday are holidays).
    expect(computeOverdueAt('2025-04-17', workingTime)).toBe('2025-04-22T06:00:00.000Z');
    // A klämdag the directory lists is no working day either.
    expect(computeOverdueAt('2025-05-28', { ...workingTime, holidays: ['2025-05-30'] })).toBe(
      '2025-06-02T06:00:00.000Z',
    );
  });
});

async function teamWithAction(): Promise<TeamFlow> {
  const flow = await createTeamFlow();
  await startTeam(flow);
  const base = { caseId: teamCaseId, at: startedAt, actor: rektor };
  await addTeamMember(flow.deps, { ...base, etag: await flow.etag(), contactId: 'skolkurator-bjorkskolan' });
  const added = await addAction(flow.deps, {
    ...base,
    etag: await flow.etag(),
    what: 'Samtal om sömn',
    dueDate: '2025-03-14', // a Friday
    ownerUserId: teamUsers.kurator,
  });
  expect(added.outcome).toBe('applied');
  return flow;
}

function overdueReminder(flow: TeamFlow): Reminder {
  const reminder = flow.stores.snapshot().reminders.find((item) => item.kind === 'atgardForsenad');
  if (reminder === undefined) throw new Error('Påminnelsen saknas');
  return reminder;
}

describe('an overdue action', () => {
  it('has a reminder due when it becomes overdue, committed with the action', async () => {
    const flow = await teamWithAction();
    expect(overdueReminder(flow)).toMatchObject({
      id: `${teamCaseId}:atgard:atgard-1:2025-03-14`,
      dueAt: '2025-03-17T07:00:00.000Z',
      data: { actionId: 'atgard-1', dueDate: '2025-03-14' },
    });
  });

  it('is posted to the channel once and its owner is reminded once, however often the sweep runs', async () => {
    const flow = await teamWithAction();
    const reminder = overdueReminder(flow);
    flow.setNow('2025-03-15T10:00:00.000Z'); // Saturday: not overdue yet
    expect(await handleOverdueAction(flow.deps, reminder)).toBe('silent');
    flow.setNow('2025-03-17T07:05:00.000Z'); // Monday 08:05
    expect(await handleOverdueAction(flow.deps, reminder)).toBe('sent');
    expect(await handleOverdueAction(flow.deps, reminder)).toBe('sent');
    const outbox = flow.stores.snapshot().outbox;
    const overduePosts = outbox.filter(
      (message) => message.payload.kind === 'notice' && message.payload.data.event === 'atgardForsenad',
    );
    expect(overduePosts).toHaveLength(1);
    expect(overduePosts[0]).toMatchObject({
      recipientKey: `teamkanal:${teamCaseId}`,
      payload: { data: { itemId: 'atgard-1' } },
    });
    const toOwner = outbox.filter((message) => message.recipientKey === teamUsers.kurator);
    expect(toOwner).toEqual([
      expect.objectContaining({ payload: expect.objectContaining({ notice: 'atgardForsenadPaminnelse' }) }),
    ]);
  });

  it('is not posted once it is done', async () => {
    const flow = await teamWithAction();
    await setActionStatus(flow.deps, {
      caseId: teamCaseId,
      etag: await flow.etag(),
      actor: kurator,
      actionId: 'atgard-1',
      status: 'genomford',
      at: startedAt,
    });
    flow.setNow('2025-03-17T07:05:00.000Z');
    expect(await handleOverdueAction(flow.deps, overdueReminder(flow))).toBe('silent');
  });
});

describe('a withdrawn consent', () => {
  it('ends the team: members lose access, reminders stop and the channel gets one last post without details', async () => {
    const flow = await teamWithAction();
    const result = await withdrawConsent(flow.deps, {
      caseId: teamCaseId,
      actor: rektor,
      withdrawnBy: 'vardnadshavare',
      at: '2025-03-13T09:00:00.000Z',
    });
    expect(result.outcome).toBe('applied');
    const { cases, outbox, reminders } = flow.stores.snapshot();
    const stopped = cases[0];
    expect(stopped?.state).toBe('samtyckeAterkallat');
    expect(
      stopped?.individuelltBarnteam?.members.every((member) => member.until === '2025-03-13T09:00:00.000Z'),
    ).toBe(true);
    expect(stopped && authorize(stopped, teamUsers.kurator, 'lasArende').allowed).toBe(false);
    // Every reminder stops but the channel's member sync, which is what takes the members out.
    const scheduled = reminders.filter((item) => item.status === 'scheduled');
    expect(scheduled.every((item) => item.kind === 'teamkanalMedlemmar')).toBe(true);
    expect(scheduled.map((item) => item.id)).toContain(`${teamCaseId}:teamkanal:medlemmar:avslutat`);
    const last = outbox.filter(
      (message) => message.payload.kind === 'notice' && message.payload.data.event === 'teametAvslutat',
    );
    expect(last).toHaveLength(1);
    expect(last[0]?.payload).toEqual({
      kind: 'notice',
      notice: 'teamkanalStatus',
      caseId: teamCaseId,
      data: { event: 'teametAvslutat' },
    });
    // A later sweep of the overdue action finds the case stopped.
    flow.setNow('2025-03-17T07:05:00.000Z');
    expect(await handleOverdueAction(flow.deps, overdueReminder(flow))).toBe('silent');
  });
});
