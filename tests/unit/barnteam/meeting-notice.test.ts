import { describe, expect, it } from 'vitest';
import {
  computeEarliestMeetingStart,
  describeMissedReminders,
} from '../../../flows/barnteam/meeting-reminders.js';

const workingTime = {
  start: '08:00',
  end: '16:30',
  days: ['mandag', 'tisdag', 'onsdag', 'torsdag', 'fredag'],
  holidays: ['2026-12-24'],
};
const dayBeforeAndHourBefore = [
  { days: 1, minutes: 0 },
  { days: 0, minutes: 60 },
];

describe('the first time a Barnteam can be booked for', () => {
  it('is three working days ahead by default, skipping the weekend', () => {
    // Thursday 3 December 2026, 10:15 in Stockholm.
    const earliest = computeEarliestMeetingStart(
      '2026-12-03T09:15:00.000Z',
      { minimumNoticeWorkingDays: 3, reminderOffsets: dayBeforeAndHourBefore },
      workingTime as never,
    );
    expect(earliest).toBe('2026-12-08T09:15:00.000Z');
  });

  it('skips the holidays the directory lists', () => {
    const earliest = computeEarliestMeetingStart(
      '2026-12-22T09:00:00.000Z',
      { minimumNoticeWorkingDays: 2, reminderOffsets: dayBeforeAndHourBefore },
      workingTime as never,
    );
    expect(earliest).toBe('2026-12-28T09:00:00.000Z');
  });

  it('leaves room for the longest reminder when it is longer than the notice', () => {
    const earliest = computeEarliestMeetingStart(
      '2026-12-03T09:15:00.000Z',
      { minimumNoticeWorkingDays: 1, reminderOffsets: [{ days: 2, minutes: 0 }] },
      workingTime as never,
    );
    expect(earliest).toBe('2026-12-05T10:15:00.000Z');
  });

  it('with no notice configured, is an hour from now', () => {
    const earliest = computeEarliestMeetingStart(
      '2026-12-03T09:15:00.000Z',
      { minimumNoticeWorkingDays: 0, reminderOffsets: dayBeforeAndHourBefore },
      workingTime as never,
    );
    expect(earliest).toBe('2026-12-03T10:15:00.000Z');
  });
});

describe('the reminders that can no longer go out', () => {
  it('are named in words, so the booking card can say so', () => {
    expect(
      describeMissedReminders('2026-12-03T12:00:00.000Z', dayBeforeAndHourBefore, '2026-12-03T10:45:00.000Z'),
    ).toEqual(['1 dag före']);
    expect(
      describeMissedReminders('2026-12-03T12:00:00.000Z', dayBeforeAndHourBefore, '2026-12-03T11:30:00.000Z'),
    ).toEqual(['1 dag före', '1 timme före']);
    expect(
      describeMissedReminders('2026-12-08T12:00:00.000Z', dayBeforeAndHourBefore, '2026-12-03T11:30:00.000Z'),
    ).toEqual([]);
  });
});
