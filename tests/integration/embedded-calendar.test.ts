/**
 * The embedded calendar on a real SQLite file: the shared contract, plus what only the local
 * run needs (surviving a restart, seeded busy blocks, clearly local join links).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  type EmbeddedCalendar,
  openEmbeddedCalendar,
  toCalendarPath,
} from '../../infra/calendar/embedded-calendar.js';
import {
  buildMeetingRequest,
  describeCalendarContract,
  members,
  organizer,
} from '../contract/calendar-contract.js';

const root = mkdtempSync(join(tmpdir(), 'backa-calendar-'));
let opened = 0;
let current: EmbeddedCalendar | undefined;

function openFresh(): { calendar: EmbeddedCalendar; path: string } {
  opened += 1;
  // A directory that does not exist yet: the calendar must create it.
  const path = toCalendarPath(join(root, `run-${opened}`, 'data', 'backa.sqlite'));
  current = openEmbeddedCalendar({ path });
  return { calendar: current, path };
}

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describeCalendarContract('embedded SQLite', {
  async open() {
    return openFresh().calendar;
  },
  async givenBusy(mailbox, start, end) {
    await current?.seedBusy(mailbox, start, end);
  },
  async givenAnswer(eventId, mailbox, response) {
    await current?.answerInvitation(eventId, mailbox, response);
  },
  async close() {
    current?.close();
  },
});

describe('embedded calendar file', () => {
  const window = { start: '2025-03-10T07:00:00.000Z', end: '2025-03-10T16:00:00.000Z', intervalMinutes: 30 };
  let calendar: EmbeddedCalendar | undefined;

  afterEach(() => {
    calendar?.close();
    calendar = undefined;
  });

  it('keeps its own file next to the store', () => {
    const opening = openFresh();
    calendar = opening.calendar;
    expect(opening.path.endsWith('backa.sqlite.calendar.sqlite')).toBe(true);
    expect(existsSync(opening.path)).toBe(true);
  });

  it('keeps meetings, cancellations and seeded blocks across a restart', async () => {
    const opening = openFresh();
    const first = opening.calendar;
    const kept = await first.createMeeting(buildMeetingRequest());
    const cancelled = await first.createMeeting(
      buildMeetingRequest({
        transactionId: 'barnteam-unit-1-2025-03-10T13:00',
        start: '2025-03-10T13:00:00.000Z',
        end: '2025-03-10T14:00:00.000Z',
      }),
    );
    await first.cancelMeeting(organizer, cancelled.eventId, 'Inställt.');
    await first.seedBusy(members[1], '2025-03-10T07:00:00.000Z', '2025-03-10T08:00:00.000Z', 'oof');
    first.close();

    calendar = openEmbeddedCalendar({ path: opening.path });
    const [schedule] = await calendar.getSchedules({ mailboxes: [members[1]], ...window });

    expect(schedule?.busy).toEqual([
      { start: '2025-03-10T07:00:00.000Z', end: '2025-03-10T08:00:00.000Z', status: 'oof' },
      { start: kept.start, end: kept.end, status: 'busy' },
    ]);
    expect(schedule?.availabilityView).toBe('330022000000000000');
    // The transaction id is remembered after the restart too.
    expect((await calendar.createMeeting(buildMeetingRequest())).eventId).toBe(kept.eventId);
  });

  it('seeds the same demo block once however often the demo starts', async () => {
    calendar = openFresh().calendar;
    for (let run = 0; run < 3; run += 1) {
      await calendar.seedBusy(members[0], '2025-03-10T10:00:00.000Z', '2025-03-10T11:00:00.000Z');
    }
    const [schedule] = await calendar.getSchedules({ mailboxes: [members[0]], ...window });
    expect(schedule?.busy).toHaveLength(1);
  });

  it('marks its join links as local', async () => {
    calendar = openFresh().calendar;
    const meeting = await calendar.createMeeting(buildMeetingRequest());
    expect(meeting.joinUrl).toBe(`https://teams.microsoft.com/l/meetup-join/${meeting.eventId}`);
    expect(meeting.eventId).toMatch(/^lokal-/);
    expect(meeting.webLink).toBeUndefined();
  });

  it('a mailbox seen in different letter case is the same mailbox', async () => {
    calendar = openFresh().calendar;
    await calendar.createMeeting(
      buildMeetingRequest({
        attendees: [{ email: 'Kurator.Bjorkskolan@EXEMPELBY.se', name: 'Kurator', type: 'required' }],
      }),
    );
    const [schedule] = await calendar.getSchedules({ mailboxes: [members[0]], ...window });
    expect(schedule?.busy).toHaveLength(1);
  });
});

describe('embedded calendar across organisations', () => {
  const window = { start: '2025-03-10T07:00:00.000Z', end: '2025-03-10T16:00:00.000Z', intervalMinutes: 30 };

  it('answers a mailbox it may not read as Graph does, with an error and no free/busy', async () => {
    const path = toCalendarPath(join(root, 'across', 'backa.sqlite'));
    const calendar = openEmbeddedCalendar({
      path,
      canReadFreeBusy: (mailbox) => mailbox.endsWith('@exempelby.se'),
    });
    try {
      const [own, police] = await calendar.getSchedules({
        mailboxes: [organizer, 'erik.falk@polisen-exempel.se'],
        ...window,
      });
      expect(own).toMatchObject({ availabilityView: '000000000000000000', busy: [] });
      expect(own?.error).toBeUndefined();
      expect(police).toEqual({
        mailbox: 'erik.falk@polisen-exempel.se',
        availabilityView: '',
        busy: [],
        error: 'ErrorMailRecipientNotFound',
      });
    } finally {
      calendar.close();
    }
  });

  it('keeps an answer across a restart, and refuses an answer from someone not invited', async () => {
    const path = toCalendarPath(join(root, 'answers', 'backa.sqlite'));
    const first = openEmbeddedCalendar({ path });
    const meeting = await first.createMeeting(buildMeetingRequest());
    await first.answerInvitation(meeting.eventId, members[0].toUpperCase(), 'tentative');
    await expect(first.answerInvitation(meeting.eventId, 'okand@exempelby.se', 'accepted')).rejects.toThrow(
      'Deltagaren finns inte på mötet.',
    );
    first.close();

    const again = openEmbeddedCalendar({ path });
    try {
      expect(await again.readAttendeeAnswers(organizer, meeting.eventId)).toEqual([
        { email: members[0], response: 'tentative' },
        { email: members[1], response: 'notAnswered' },
      ]);
    } finally {
      again.close();
    }
  });
});
