import { describe, expect, it } from 'vitest';
import {
  handleAnswerCheck,
  readAttendeeAnswers,
  toDeclineNoticeId,
} from '../../../flows/barnteam/attendee-answers.js';
import { bookBarnteam, toMeetingId } from '../../../flows/barnteam/book-barnteam.js';
import {
  answerCheckReminderKind,
  toAnswerCheckReminderId,
} from '../../../flows/barnteam/meeting-reminders.js';
import {
  bookingInput,
  buildBarnteamDirectoryAcrossOrganisations,
  createBarnteamFlow,
  memberEmail,
  proposalId,
  proposedAt,
  rektor,
  upptackare,
} from '../../support/barnteam-fixtures.js';

async function givenBooked() {
  const flow = createBarnteamFlow({ directory: buildBarnteamDirectoryAcrossOrganisations() });
  flow.setNow(proposedAt);
  const child = await flow.givenCase();
  await bookBarnteam(flow.deps, bookingInput([child.id]));
  const eventId = flow.calendar.events[0]?.eventId ?? '';
  return { flow, child, eventId, meetingId: toMeetingId(proposalId) };
}

describe('readAttendeeAnswers', () => {
  it("reports each member's answer as the calendar has it, the guest's and the police's included", async () => {
    const { flow, eventId, meetingId } = await givenBooked();
    flow.calendar.answerInvitation(eventId, memberEmail('skolskoterska'), 'accepted');
    flow.calendar.answerInvitation(eventId, memberEmail('bup'), 'tentative');
    flow.calendar.answerInvitation(eventId, memberEmail('polis'), 'accepted');

    const result = await readAttendeeAnswers(flow.deps, { meetingId, actor: rektor });

    expect(result.outcome).toBe('read');
    if (result.outcome !== 'read') return;
    const byEmail = new Map(result.answers.map((answer) => [answer.email, answer]));
    expect(byEmail.get(memberEmail('skolskoterska'))?.response).toBe('accepted');
    expect(byEmail.get(memberEmail('bup'))).toMatchObject({ kind: 'gast', response: 'tentative' });
    expect(byEmail.get(memberEmail('polis'))).toMatchObject({ kind: 'utanforTeams', response: 'accepted' });
    expect(byEmail.get(memberEmail('kurator'))?.response).toBe('notAnswered');
    // The convener organises the meeting: not an attendee with an answer.
    expect(result.answers).toHaveLength(9);
    expect(flow.stores.snapshot().outbox.filter((message) => message.id.includes('barnteamAvbojt'))).toEqual(
      [],
    );
  });

  it('tells the convener once of a required member who declined, however often the answers are read', async () => {
    const { flow, eventId, meetingId } = await givenBooked();
    flow.calendar.answerInvitation(eventId, memberEmail('polis'), 'declined');
    // An optional member's decline is shown on the card, not announced.
    flow.calendar.answerInvitation(eventId, memberEmail('bup'), 'declined');

    await readAttendeeAnswers(flow.deps, { meetingId, actor: rektor });
    await readAttendeeAnswers(flow.deps, { meetingId, actor: rektor });

    const declines = flow.stores.snapshot().outbox.filter((message) => message.id.includes('barnteamAvbojt'));
    expect(declines).toHaveLength(1);
    const meeting = flow.stores.snapshot().meetings[0];
    expect(declines[0]).toMatchObject({
      id: meeting === undefined ? '' : toDeclineNoticeId(meeting, 'polis'),
      recipientKey: rektor.userId,
      payload: { kind: 'notice', notice: 'barnteamAvbojt', data: { meetingId, member: 'polis' } },
    });
    // Ids and data never carry an address.
    expect(JSON.stringify(declines)).not.toContain('@');
  });

  it('lets only the convener read the answers, and shows the meeting without them when the calendar fails', async () => {
    const { flow, meetingId } = await givenBooked();

    expect(await readAttendeeAnswers(flow.deps, { meetingId, actor: upptackare })).toEqual({
      outcome: 'refused',
      message: 'Bara den Barnkontakt som sammankallar Barnteamet ser deltagarnas svar.',
    });
    flow.calendar.failNext('readAttendeeAnswers');
    expect((await readAttendeeAnswers(flow.deps, { meetingId, actor: rektor })).outcome).toBe(
      'calendarUnavailable',
    );
  });
});

describe('the check of the answers when the first reminder goes out', () => {
  it('is planned with the booking, tells the convener of a decline she has not seen, and does nothing once the meeting moved', async () => {
    const { flow, eventId, meetingId } = await givenBooked();
    const checks = flow.stores
      .snapshot()
      .reminders.filter((reminder) => reminder.kind === answerCheckReminderKind);
    // Monday 10 March 09:00 Stockholm: the day before at the same time.
    expect(checks.map((check) => [check.id, check.dueAt])).toEqual([
      [toAnswerCheckReminderId(meetingId, '2025-03-10T08:00:00.000Z'), '2025-03-09T08:00:00.000Z'],
    ]);
    const [check] = checks;
    if (check === undefined) return;
    flow.calendar.answerInvitation(eventId, memberEmail('socialsekreterare'), 'declined');

    expect(await handleAnswerCheck(flow.deps, check)).toBe('checked');
    expect(await handleAnswerCheck(flow.deps, check)).toBe('checked');
    const declines = flow.stores.snapshot().outbox.filter((message) => message.id.includes('barnteamAvbojt'));
    expect(declines.map((message) => message.recipientKey)).toEqual([rektor.userId]);

    const stored = await flow.stores.meetings.get(meetingId);
    if (stored === undefined) return;
    await flow.stores.meetings.replace(
      { ...stored.value, start: '2025-03-11T08:00:00.000Z', state: 'moved' },
      stored.etag,
    );
    expect(await handleAnswerCheck(flow.deps, check)).toBe('nothingToDo');
  });

  it('lets a calendar error through, so that the sweeper tries again', async () => {
    const { flow } = await givenBooked();
    const check = flow.stores
      .snapshot()
      .reminders.find((reminder) => reminder.kind === answerCheckReminderKind);
    flow.calendar.failNext('readAttendeeAnswers');

    await expect(check && handleAnswerCheck(flow.deps, check)).rejects.toThrow('kalendern svarar inte');
  });
});
