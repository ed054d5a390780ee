/**
 * What every implementation of the calendar port must do, run against the embedded SQLite
 * calendar and against the Graph calendar (Graph simulated behind nock). It tests what the
 * booking flow relies on: free/busy per mailbox, one meeting per transaction id, moving and
 * cancelling that free the old time, and refusing requests Graph would refuse.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AttendeeResponse, Calendar, CreateMeetingRequest } from '../../flows/kernel/calendar.js';
import { isDomainError } from '../../flows/kernel/errors.js';

export interface CalendarContractSetup {
  /** A fresh, empty calendar for one test. */
  open(): Promise<Calendar>;
  /** Makes `mailbox` busy from `start` to `end` by something other than our own meetings. */
  givenBusy(mailbox: string, start: string, end: string): Promise<void>;
  /** The attendee answers the invitation in their own calendar. */
  givenAnswer(eventId: string, mailbox: string, response: AttendeeResponse): Promise<void>;
  close?(): Promise<void>;
}

export const organizer = 'rektor.bjorkskolan@exempelby.se';
export const members = ['kurator.bjorkskolan@exempelby.se', 'socialsekreterare@exempelby.se'] as const;

const day = { start: '2025-03-10T07:00:00.000Z', end: '2025-03-10T16:00:00.000Z' };

export function buildMeetingRequest(overrides: Partial<CreateMeetingRequest> = {}): CreateMeetingRequest {
  return {
    organizer,
    subject: 'Barnteam Björkskolan – 2 ärenden',
    bodyHtml: '<p>Dagordning: A.B. (BB-2025-0007)</p>',
    start: '2025-03-10T09:00:00.000Z',
    end: '2025-03-10T10:00:00.000Z',
    attendees: members.map((email, index) => ({
      email,
      name: `Medlem ${index + 1}`,
      type: 'required' as const,
    })),
    reminderMinutesBeforeStart: 1440,
    transactionId: 'barnteam-unit-1-2025-03-10T09:00',
    ...overrides,
  };
}

async function expectInvalidInput(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(
    isDomainError(error, 'invalidInput'),
    `expected DomainError('invalidInput'), got ${String(error)}`,
  ).toBe(true);
}

export function describeCalendarContract(name: string, setup: CalendarContractSetup): void {
  describe(`calendar contract: ${name}`, () => {
    let calendar: Calendar;

    beforeEach(async () => {
      calendar = await setup.open();
    });

    afterEach(async () => {
      await setup.close?.();
    });

    async function busyOf(mailbox: string): Promise<{ start: string; end: string }[]> {
      const [schedule] = await calendar.getSchedules({ mailboxes: [mailbox], ...day, intervalMinutes: 60 });
      return (schedule?.busy ?? []).map(({ start, end }) => ({ start, end }));
    }

    it('answers one schedule per mailbox, in request order and spelled as requested', async () => {
      await setup.givenBusy(members[0], '2025-03-10T08:00:00.000Z', '2025-03-10T09:30:00.000Z');
      const mailboxes = [organizer, 'Kurator.Bjorkskolan@Exempelby.se'];

      const schedules = await calendar.getSchedules({ mailboxes, ...day, intervalMinutes: 60, organizer });

      expect(schedules.map((schedule) => schedule.mailbox)).toEqual(mailboxes);
      expect(schedules[0]).toMatchObject({ busy: [], availabilityView: '000000000' });
      expect(schedules[1]?.busy).toEqual([
        { start: '2025-03-10T08:00:00.000Z', end: '2025-03-10T09:30:00.000Z', status: 'busy' },
      ]);
      // 07–08 free, 08–09 busy, 09–10 busy for its first half, the rest free.
      expect(schedules[1]?.availabilityView).toBe('022000000');
      expect(schedules[1]?.error).toBeUndefined();
    });

    it('refuses a window of 62 days or more, and accepts one just shorter', async () => {
      const start = '2025-03-10T00:00:00.000Z';
      await expectInvalidInput(
        calendar.getSchedules({
          mailboxes: [organizer],
          start,
          end: '2025-05-11T00:00:00.000Z',
          intervalMinutes: 60,
        }),
      );
      const schedules = await calendar.getSchedules({
        mailboxes: [organizer],
        start,
        end: '2025-05-10T23:00:00.000Z',
        intervalMinutes: 1440,
      });
      expect(schedules).toHaveLength(1);
    });

    it('refuses an interval outside 5–1440 minutes, no mailboxes, or an end before the start', async () => {
      await expectInvalidInput(calendar.getSchedules({ mailboxes: [organizer], ...day, intervalMinutes: 4 }));
      await expectInvalidInput(
        calendar.getSchedules({ mailboxes: [organizer], ...day, intervalMinutes: 1441 }),
      );
      await expectInvalidInput(calendar.getSchedules({ mailboxes: [], ...day, intervalMinutes: 30 }));
      await expectInvalidInput(
        calendar.getSchedules({
          mailboxes: [organizer],
          start: day.end,
          end: day.start,
          intervalMinutes: 30,
        }),
      );
    });

    it('books the meeting with an online-meeting link and makes every attendee and the organizer busy', async () => {
      const meeting = await calendar.createMeeting(buildMeetingRequest());

      expect(meeting.eventId).not.toBe('');
      expect(meeting.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
      expect({ start: meeting.start, end: meeting.end }).toEqual({
        start: '2025-03-10T09:00:00.000Z',
        end: '2025-03-10T10:00:00.000Z',
      });
      for (const mailbox of [organizer, ...members]) {
        expect(await busyOf(mailbox), mailbox).toEqual([
          { start: '2025-03-10T09:00:00.000Z', end: '2025-03-10T10:00:00.000Z' },
        ]);
      }
    });

    it('books one meeting however often the same transaction is repeated', async () => {
      const first = await calendar.createMeeting(buildMeetingRequest());
      const again = await calendar.createMeeting(buildMeetingRequest());

      expect(again.eventId).toBe(first.eventId);
      expect(await busyOf(members[1])).toHaveLength(1);
    });

    it('moves the meeting: the attendees are busy at the new time only', async () => {
      const meeting = await calendar.createMeeting(buildMeetingRequest());

      await calendar.moveMeeting(organizer, meeting.eventId, {
        start: '2025-03-10T13:00:00.000Z',
        end: '2025-03-10T14:00:00.000Z',
      });

      expect(await busyOf(members[0])).toEqual([
        { start: '2025-03-10T13:00:00.000Z', end: '2025-03-10T14:00:00.000Z' },
      ]);
    });

    it('refuses to move a meeting that does not exist', async () => {
      await expect(
        calendar.moveMeeting(organizer, 'no-such-event', { start: day.start, end: day.end }),
      ).rejects.toThrow();
    });

    it("reads each attendee's answer: not answered until they answer, then as they answered", async () => {
      const meeting = await calendar.createMeeting(buildMeetingRequest());

      const before = await calendar.readAttendeeAnswers(organizer, meeting.eventId);
      expect(before.map((answer) => [answer.email.toLowerCase(), answer.response])).toEqual([
        [members[0], 'notAnswered'],
        [members[1], 'notAnswered'],
      ]);

      await setup.givenAnswer(meeting.eventId, members[0], 'accepted');
      await setup.givenAnswer(meeting.eventId, members[1], 'declined');
      const after = await calendar.readAttendeeAnswers(organizer, meeting.eventId);
      expect(after.map((answer) => [answer.email.toLowerCase(), answer.response])).toEqual([
        [members[0], 'accepted'],
        [members[1], 'declined'],
      ]);
    });

    it('answers notFound for the attendees of a meeting that is gone', async () => {
      const meeting = await calendar.createMeeting(buildMeetingRequest());
      await calendar.cancelMeeting(organizer, meeting.eventId, 'Barnteamet är inställt.');

      const error = await calendar
        .readAttendeeAnswers(organizer, meeting.eventId)
        .catch((reason: unknown) => reason);
      expect(isDomainError(error, 'notFound'), String(error)).toBe(true);
    });

    it('cancelling frees the time, and cancelling again is harmless', async () => {
      const meeting = await calendar.createMeeting(buildMeetingRequest());

      await calendar.cancelMeeting(organizer, meeting.eventId, 'Barnteamet flyttas till nästa vecka.');
      await calendar.cancelMeeting(organizer, meeting.eventId, 'Barnteamet flyttas till nästa vecka.');

      expect(await busyOf(members[0])).toEqual([]);
      expect(await busyOf(organizer)).toEqual([]);
    });
  });
}
