import { describe, expect, it } from 'vitest';
import { bookBarnteam } from '../../../flows/barnteam/book-barnteam.js';
import {
  cancelBarnteamMeeting,
  moveBarnteamMeeting,
  removeCaseFromAgenda,
} from '../../../flows/barnteam/change-barnteam-meeting.js';
import {
  computeReminderDueAt,
  handleMeetingReminder,
  meetingReminderKind,
  toOffsetKey,
} from '../../../flows/barnteam/meeting-reminders.js';
import type { Reminder } from '../../../flows/kernel/ports.js';
import {
  type BarnteamFlow,
  bookingInput,
  createBarnteamFlow,
  memberUserId,
  proposedAt,
  rektor,
  upptackare,
  users,
} from '../../support/barnteam-fixtures.js';

/** Friday 28 March 2025 09:00–10:00 CET: before the change to summer time on Sunday 30 March. */
const beforeDst = { start: '2025-03-28T08:00:00.000Z', end: '2025-03-28T09:00:00.000Z' };
/** Monday 31 March 2025 09:00–10:00 CEST: after it. */
const afterDst = { start: '2025-03-31T07:00:00.000Z', end: '2025-03-31T08:00:00.000Z' };

async function bookBeforeDst(flow: BarnteamFlow) {
  flow.setNow(proposedAt);
  const child = await flow.givenCase();
  const result = await bookBarnteam(flow.deps, bookingInput([child.id], { slot: beforeDst }));
  if (result.outcome !== 'booked') throw new Error(`bokningen misslyckades: ${result.outcome}`);
  return { child, meeting: result.meeting };
}

function remindersOf(flow: BarnteamFlow, memberId: string): Reminder[] {
  return flow.stores
    .snapshot()
    .reminders.filter(
      (reminder) => reminder.kind === meetingReminderKind && reminder.data.memberUserId === memberId,
    );
}

describe('reminder times', () => {
  it('the day before keeps the Stockholm wall-clock time across a DST change; one hour before is a real hour', () => {
    // Monday 31 March 09:00 CEST; three days before is Friday 28 March 09:00 CET (08:00Z, not 07:00Z).
    expect(computeReminderDueAt(afterDst.start, { days: 3, minutes: 0 })).toBe('2025-03-28T08:00:00.000Z');
    expect(computeReminderDueAt(afterDst.start, { days: 0, minutes: 60 })).toBe('2025-03-31T06:00:00.000Z');
    // Sunday 30 March 03:30 CEST: one real hour before is 01:30 CET, across the skipped hour.
    expect(computeReminderDueAt('2025-03-30T01:30:00.000Z', { days: 0, minutes: 60 })).toBe(
      '2025-03-30T00:30:00.000Z',
    );
    expect(toOffsetKey({ days: 1, minutes: 0 })).toBe('P1D');
    expect(toOffsetKey({ days: 0, minutes: 90 })).toBe('PT1H30M');
  });
});

describe('moveBarnteamMeeting', () => {
  it('moves the calendar event, cancels the old reminders and schedules new ones at the right times', async () => {
    const flow = createBarnteamFlow();
    const { meeting } = await bookBeforeDst(flow);
    const police = memberUserId(7);
    expect(
      remindersOf(flow, police)
        .map((reminder) => reminder.dueAt)
        .sort(),
    ).toEqual(['2025-03-27T08:00:00.000Z', '2025-03-28T07:00:00.000Z']);

    const result = await moveBarnteamMeeting(flow.deps, {
      meetingId: meeting.value.id,
      etag: meeting.etag,
      actor: rektor,
      slot: afterDst,
      at: '2025-03-06T09:00:00.000Z',
    });

    expect(result.outcome).toBe('applied');
    expect(flow.calendar.events[0]).toMatchObject({ start: afterDst.start, end: afterDst.end });
    const police2 = remindersOf(flow, police);
    expect(
      police2
        .filter((reminder) => reminder.status === 'cancelled')
        .map((reminder) => reminder.dueAt)
        .sort(),
    ).toEqual(['2025-03-27T08:00:00.000Z', '2025-03-28T07:00:00.000Z']);
    // Sunday 30 March 09:00 CEST and Monday 31 March 08:00 CEST.
    expect(
      police2
        .filter((reminder) => reminder.status === 'scheduled')
        .map((reminder) => reminder.dueAt)
        .sort(),
    ).toEqual(['2025-03-30T07:00:00.000Z', '2025-03-31T06:00:00.000Z']);
    const moved = flow.stores
      .snapshot()
      .outbox.filter(
        (message) => message.payload.kind === 'notice' && message.payload.notice === 'barnteamFlyttat',
      );
    expect(moved.map((message) => message.recipientKey)).toContain(police);
    expect(moved.map((message) => message.recipientKey)).not.toContain(users.barnkontakt);
  });

  it('answers a card that is no longer current with the meeting as it is, and moves nothing', async () => {
    const flow = createBarnteamFlow();
    const { meeting } = await bookBeforeDst(flow);

    const result = await moveBarnteamMeeting(flow.deps, {
      meetingId: meeting.value.id,
      etag: 'en-gammal-version',
      actor: rektor,
      slot: afterDst,
      at: '2025-03-06T09:00:00.000Z',
    });

    expect(result.outcome).toBe('stale');
    expect(flow.calendar.calls.filter((call) => call.method === 'moveMeeting')).toHaveLength(0);
  });

  it('lets only the convener move the meeting', async () => {
    const flow = createBarnteamFlow();
    const { meeting } = await bookBeforeDst(flow);

    const result = await moveBarnteamMeeting(flow.deps, {
      meetingId: meeting.value.id,
      etag: meeting.etag,
      actor: upptackare,
      slot: afterDst,
      at: '2025-03-06T09:00:00.000Z',
    });

    expect(result.outcome).toBe('refused');
  });
});

describe('cancelBarnteamMeeting', () => {
  it('cancels the event and every reminder, and tells the members; a second click changes nothing', async () => {
    const flow = createBarnteamFlow();
    const { meeting } = await bookBeforeDst(flow);
    const input = {
      meetingId: meeting.value.id,
      etag: meeting.etag,
      actor: rektor,
      at: '2025-03-06T09:00:00.000Z',
    };

    const first = await cancelBarnteamMeeting(flow.deps, input);
    const second = await cancelBarnteamMeeting(flow.deps, input);

    expect(first.outcome).toBe('applied');
    expect(second.outcome).toBe('alreadyApplied');
    expect(flow.calendar.events[0]?.cancelled).toBe(true);
    expect(flow.calendar.events[0]?.cancelComment).toBe('Barnteam är inställt.');
    const reminders = flow.stores
      .snapshot()
      .reminders.filter((reminder) => reminder.kind === meetingReminderKind);
    expect(reminders.length).toBe(20);
    expect(reminders.every((reminder) => reminder.status === 'cancelled')).toBe(true);
    const cancelled = flow.stores
      .snapshot()
      .outbox.filter(
        (message) => message.payload.kind === 'notice' && message.payload.notice === 'barnteamInstallt',
      );
    // Eight members and the Upptäckare; the convener cancelled it themself.
    expect(cancelled).toHaveLength(9);
  });
});

describe('handleMeetingReminder', () => {
  it('enqueues one reminder notice to the member however often it runs', async () => {
    const flow = createBarnteamFlow();
    const { child, meeting } = await bookBeforeDst(flow);
    const reminder = remindersOf(flow, memberUserId(0)).find((item) => item.data.offset === 'P1D');
    if (reminder === undefined) throw new Error('påminnelsen saknas');

    const first = await handleMeetingReminder(flow.deps, reminder);
    const second = await handleMeetingReminder(flow.deps, reminder);

    expect(first.outcome).toBe('sent');
    expect(second).toEqual(first);
    const notices = flow.stores
      .snapshot()
      .outbox.filter(
        (message) => message.payload.kind === 'notice' && message.payload.notice === 'barnteamPaminnelse',
      );
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      recipientKey: memberUserId(0),
      payload: { caseId: child.id, data: { meetingId: meeting.value.id, offset: 'P1D' } },
    });
  });

  it('stays silent for a cancelled meeting and for a reminder of the time before a move', async () => {
    const flow = createBarnteamFlow();
    const { meeting } = await bookBeforeDst(flow);
    const oldReminder = remindersOf(flow, memberUserId(0))[0];
    if (oldReminder === undefined) throw new Error('påminnelsen saknas');

    const moved = await moveBarnteamMeeting(flow.deps, {
      meetingId: meeting.value.id,
      etag: meeting.etag,
      actor: rektor,
      slot: afterDst,
      at: '2025-03-06T09:00:00.000Z',
    });
    expect(await handleMeetingReminder(flow.deps, oldReminder)).toEqual({ outcome: 'silent', why: 'moved' });

    if (moved.outcome !== 'applied') throw new Error('flytten misslyckades');
    const newReminder = remindersOf(flow, memberUserId(0)).find((item) => item.status === 'scheduled');
    if (newReminder === undefined) throw new Error('ny påminnelse saknas');
    await cancelBarnteamMeeting(flow.deps, {
      meetingId: meeting.value.id,
      etag: moved.meeting.etag,
      actor: rektor,
      at: '2025-03-07T09:00:00.000Z',
    });

    expect(await handleMeetingReminder(flow.deps, newReminder)).toEqual({
      outcome: 'silent',
      why: 'meetingGone',
    });
    const reminderNotices = flow.stores
      .snapshot()
      .outbox.filter(
        (message) => message.payload.kind === 'notice' && message.payload.notice === 'barnteamPaminnelse',
      );
    expect(reminderNotices).toHaveLength(0);
  });
});

describe('removeCaseFromAgenda', () => {
  it('takes a child with withdrawn consent off the agenda and stops their Upptäckare’s reminders, not the members’', async () => {
    const flow = createBarnteamFlow();
    const { child, meeting } = await bookBeforeDst(flow);
    const withdrawn = await flow.stores.cases.get(child.id);
    if (withdrawn === undefined) throw new Error('ärendet saknas');
    await flow.stores.cases.replace({ ...withdrawn.value, state: 'samtyckeAterkallat' }, withdrawn.etag);

    const result = await removeCaseFromAgenda(flow.deps, {
      meetingId: meeting.value.id,
      caseId: child.id,
      actor: upptackare,
      at: '2025-03-06T09:00:00.000Z',
    });

    expect(result.outcome).toBe('applied');
    const stored = flow.stores.snapshot().meetings[0];
    expect(stored?.agenda[0]?.removedAt).toBe('2025-03-06T09:00:00.000Z');
    expect(stored?.members.map((member) => member.userId)).not.toContain(users.upptackare);
    expect(remindersOf(flow, users.upptackare).every((reminder) => reminder.status === 'cancelled')).toBe(
      true,
    );
    expect(remindersOf(flow, memberUserId(0)).every((reminder) => reminder.status === 'scheduled')).toBe(
      true,
    );
  });

  it('refuses someone who is not the convener while the consent holds', async () => {
    const flow = createBarnteamFlow();
    const { child, meeting } = await bookBeforeDst(flow);

    const result = await removeCaseFromAgenda(flow.deps, {
      meetingId: meeting.value.id,
      caseId: child.id,
      actor: upptackare,
      at: '2025-03-06T09:00:00.000Z',
    });

    expect(result.outcome).toBe('refused');
    expect(flow.stores.snapshot().meetings[0]?.agenda[0]?.removedAt).toBeUndefined();
  });
});
