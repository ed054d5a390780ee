import { describe, expect, it } from 'vitest';
import {
  type FindMeetingSlotsInput,
  findMeetingSlots,
  type MemberSchedule,
  parseAvailabilityView,
} from '../../../flows/barnteam/slot-finding.js';
import { ZWorkingTime } from '../../../flows/kernel/directory.js';
import { isDomainError } from '../../../flows/kernel/errors.js';

// The directory's defaults: måndag–fredag 08:00–16:30.
const workingTime = ZWorkingTime.parse({});

function find(overrides: Partial<FindMeetingSlotsInput> & Pick<FindMeetingSlotsInput, 'from'>) {
  return findMeetingSlots({
    schedules: [],
    durationMinutes: 60,
    horizonDays: 14,
    workingTime,
    stepMinutes: 30,
    maxSlots: 3,
    ...overrides,
  });
}

function required(mailbox: string, ...busy: [string, string][]): MemberSchedule {
  return { mailbox, required: true, busy: busy.map(([start, end]) => ({ start, end })) };
}

function starts(result: ReturnType<typeof findMeetingSlots>): string[] {
  return result.slots.map((slot) => slot.start);
}

describe('findMeetingSlots', () => {
  it('finds the gaps between scattered busy blocks that fit the whole meeting', () => {
    // Tisdag 10 mars 2026, vintertid (UTC+1).
    const schedules = [
      required('rektor@exempelby.se', ['2026-03-10T07:00:00Z', '2026-03-10T08:00:00Z']), // 08:00–09:00
      required('kurator@exempelby.se', ['2026-03-10T08:30:00Z', '2026-03-10T09:30:00Z']), // 09:30–10:30
      required('bvc@exempelby.se', ['2026-03-10T10:00:00Z', '2026-03-10T10:30:00Z']), // 11:00–11:30
    ];
    const result = find({ from: '2026-03-10T06:00:00Z', schedules });
    // 09:00–09:30 and 10:30–11:00 are free but too short for an hour.
    expect(result.slots.map((slot) => `${slot.localStartTime}–${slot.localEndTime}`)).toEqual([
      '11:30–12:30',
      '12:30–13:30',
      '13:30–14:30',
    ]);
    expect(result.slots[0]).toMatchObject({
      start: '2026-03-10T10:30:00.000Z',
      end: '2026-03-10T11:30:00.000Z',
      localDate: '2026-03-10',
      label: 'tisdag 10 mars 2026 kl. 11:30–12:30',
      optionalConflicts: [],
    });

    const halfHour = find({ from: '2026-03-10T06:00:00Z', schedules, durationMinutes: 30 });
    expect(halfHour.slots.map((slot) => slot.localStartTime)).toEqual(['09:00', '10:30', '11:30']);
  });

  it('moves to the next working day when a required member is busy the whole day', () => {
    const result = find({
      from: '2026-03-11T06:00:00Z',
      schedules: [required('polis@exempelby.se', ['2026-03-11T06:00:00Z', '2026-03-11T17:00:00Z'])],
      maxSlots: 1,
    });
    expect(result.slots[0]?.label).toBe('torsdag 12 mars 2026 kl. 08:00–09:00');
    expect(starts(result)).toEqual(['2026-03-12T07:00:00.000Z']);
  });

  it('goes from a Friday afternoon to Monday morning, without running past the end of the day', () => {
    const friday = find({ from: '2026-03-13T14:45:00Z', maxSlots: 2 }); // fredag 15:45
    expect(friday.slots.map((slot) => slot.label)).toEqual([
      'måndag 16 mars 2026 kl. 08:00–09:00',
      'måndag 16 mars 2026 kl. 09:00–10:00',
    ]);

    // Ninety minutes end exactly at 16:30 from 15:00; from 15:30 they would run to 17:00.
    const late = find({ from: '2026-03-13T13:50:00Z', durationMinutes: 90, maxSlots: 2 }); // 14:50
    expect(late.slots.map((slot) => slot.label)).toEqual([
      'fredag 13 mars 2026 kl. 15:00–16:30',
      'måndag 16 mars 2026 kl. 08:00–09:30',
    ]);
  });

  it('never proposes a time before `from`, rounding up to the next step', () => {
    const result = find({ from: '2026-03-10T07:10:00Z', maxSlots: 1 }); // 08:10
    expect(result.slots[0]?.localStartTime).toBe('08:30');
  });

  it('proposes slots that do not overlap each other', () => {
    const result = find({ from: '2026-03-10T06:00:00Z' });
    expect(result.slots.map((slot) => slot.localStartTime)).toEqual(['08:00', '09:00', '10:00']);
  });

  it('skips Easter 2026: långfredagen 3 April to annandag påsk 6 April', () => {
    const result = find({ from: '2026-04-02T15:00:00Z', maxSlots: 1 }); // skärtorsdag 17:00
    expect(result.slots[0]?.label).toBe('tisdag 7 april 2026 kl. 08:00–09:00');
    expect(starts(result)).toEqual(['2026-04-07T06:00:00.000Z']);
  });

  it('skips midsommarafton, a de-facto day off', () => {
    const result = find({ from: '2026-06-18T15:00:00Z', maxSlots: 1 }); // torsdag 18 juni 17:00
    expect(result.slots[0]?.label).toBe('måndag 22 juni 2026 kl. 08:00–09:00');
  });

  it("skips the directory's own extra days off (klämdagar)", () => {
    // Kristi himmelfärdsdag is torsdag 14 maj 2026; the municipality closes on the Friday too.
    const result = find({
      from: '2026-05-13T15:00:00Z',
      workingTime: { ...workingTime, holidays: ['2026-05-15'] },
      maxSlots: 1,
    });
    expect(result.slots[0]?.label).toBe('måndag 18 maj 2026 kl. 08:00–09:00');
  });

  it('keeps 08:00 local time across the change to summer time (end of March)', () => {
    const before = find({ from: '2026-03-27T06:00:00Z', maxSlots: 1 }); // fredag 27 mars 07:00 CET
    expect(starts(before)).toEqual(['2026-03-27T07:00:00.000Z']);
    const after = find({ from: '2026-03-27T16:00:00Z', maxSlots: 1 }); // fredag 17:00
    expect(after.slots[0]?.label).toBe('måndag 30 mars 2026 kl. 08:00–09:00');
    expect(starts(after)).toEqual(['2026-03-30T06:00:00.000Z']);
  });

  it('keeps 08:00 local time across the change to winter time (end of October)', () => {
    const before = find({ from: '2026-10-23T05:00:00Z', maxSlots: 1 }); // fredag 23 okt 07:00 CEST
    expect(starts(before)).toEqual(['2026-10-23T06:00:00.000Z']);
    const after = find({ from: '2026-10-23T15:00:00Z', maxSlots: 1 });
    expect(after.slots[0]?.label).toBe('måndag 26 oktober 2026 kl. 08:00–09:00');
    expect(starts(after)).toEqual(['2026-10-26T07:00:00.000Z']);
  });

  it('returns no slots and says why when the horizon is exhausted', () => {
    const result = find({
      from: '2026-03-09T06:00:00Z',
      horizonDays: 5,
      schedules: [required('soc@exempelby.se', ['2026-03-09T00:00:00Z', '2026-03-14T00:00:00Z'])],
    });
    expect(result.slots).toEqual([]);
    expect(result.reason).toBe('horisontenSlut');
    if (result.reason !== undefined) {
      expect(result.message).toContain('från 2026-03-09 till och med 2026-03-13');
    }

    // Friday afternoon with a horizon of one day: the weekend is not reached.
    expect(find({ from: '2026-03-13T14:45:00Z', horizonDays: 1 }).reason).toBe('horisontenSlut');
  });

  it('says so when the meeting is longer than the working day', () => {
    const result = find({ from: '2026-03-10T06:00:00Z', durationMinutes: 9 * 60 });
    expect(result.slots).toEqual([]);
    expect(result.reason).toBe('langreAnArbetsdagen');
  });

  it("reports an optional member's conflicts without ruling out the slot", () => {
    const result = find({
      from: '2026-03-10T06:00:00Z',
      maxSlots: 2,
      schedules: [
        required('rektor@exempelby.se'),
        {
          mailbox: 'polis@exempelby.se',
          label: 'Polisen',
          required: false,
          busy: [
            { start: '2026-03-10T07:30:00Z', end: '2026-03-10T08:00:00Z', status: 'tentative' },
            { start: '2026-03-10T06:30:00Z', end: '2026-03-10T07:30:00Z' },
          ],
        },
        {
          mailbox: 'bvc@exempelby.se',
          label: 'BVC',
          required: false,
          busy: [{ start: '2026-03-10T08:00:00Z', end: '2026-03-10T08:30:00Z', status: 'oof' }],
        },
      ],
    });
    expect(result.slots.map((slot) => slot.localStartTime)).toEqual(['08:00', '09:00']);
    expect(result.slots[0]?.optionalConflicts).toEqual([
      { mailbox: 'polis@exempelby.se', label: 'Polisen', status: 'busy', note: 'Polisen är upptagen' },
    ]);
    expect(result.slots[1]?.optionalConflicts.map((conflict) => conflict.note)).toEqual([
      'BVC är frånvarande',
    ]);
  });

  it('lets busy times that only touch the slot edges pass', () => {
    const result = find({
      from: '2026-03-10T06:00:00Z',
      maxSlots: 1,
      schedules: [required('a@exempelby.se', ['2026-03-10T07:00:00Z', '2026-03-10T08:00:00Z'])],
    });
    expect(result.slots[0]?.localStartTime).toBe('09:00');
  });

  it('lets a required member who works elsewhere join the online meeting', () => {
    const result = find({
      from: '2026-03-10T06:00:00Z',
      maxSlots: 1,
      schedules: [
        {
          mailbox: 'kurator@exempelby.se',
          required: true,
          busy: [{ start: '2026-03-10T07:00:00Z', end: '2026-03-10T15:30:00Z', status: 'workingElsewhere' }],
        },
      ],
    });
    expect(result.slots[0]?.localStartTime).toBe('08:00');
  });

  it('refuses nonsense input', () => {
    const expectInvalid = (overrides: Partial<FindMeetingSlotsInput>) => {
      try {
        find({ from: '2026-03-10T06:00:00Z', ...overrides });
        expect.unreachable('should have thrown');
      } catch (error) {
        expect(isDomainError(error, 'invalidInput')).toBe(true);
      }
    };
    expectInvalid({ durationMinutes: 0 });
    expectInvalid({ stepMinutes: -30 });
    expectInvalid({ horizonDays: 0 });
    expectInvalid({ maxSlots: 1.5 });
    expectInvalid({ from: 'i morgon' });
  });
});

describe('findMeetingSlots with members of unknown availability', () => {
  // Tisdag 10 mars 2026, vintertid (UTC+1).
  const from = '2026-03-10T06:00:00Z';

  it('chooses on the calendars it can read: a required member whose calendar cannot be read blocks nothing and is listed', () => {
    const result = find({
      from,
      schedules: [
        required('rektor@exempelby.se', ['2026-03-10T07:00:00Z', '2026-03-10T09:00:00Z']), // 08:00–10:00
        { ...required('polis@polisen-exempel.se'), label: 'Erik Falk (Polisen)', unreadable: true },
        {
          mailbox: 'bup@regionexempel.se',
          label: 'Sofia Wikström (BUP)',
          required: false,
          unreadable: true,
          // Whatever a schedule that could not be read carries is ignored.
          busy: [{ start: '2026-03-10T00:00:00Z', end: '2026-03-11T00:00:00Z' }],
        },
      ],
    });

    expect(result.slots.map((slot) => slot.localStartTime)).toEqual(['10:00', '11:00', '12:00']);
    expect(result.unknownMembers).toEqual([
      { mailbox: 'polis@polisen-exempel.se', label: 'Erik Falk (Polisen)', required: true },
      { mailbox: 'bup@regionexempel.se', label: 'Sofia Wikström (BUP)', required: false },
    ]);
    expect(result.slots[0]?.optionalConflicts).toEqual([]);
  });

  it('does not let time marked unknown block a required member, and says so on the slot', () => {
    const result = find({
      from,
      schedules: [
        required('rektor@exempelby.se'),
        {
          mailbox: 'kurator@regionexempel.se',
          label: 'Kurator (BUP)',
          required: true,
          // 08:00–09:00 unknown, then busy 09:00–10:00.
          busy: [
            { start: '2026-03-10T07:00:00Z', end: '2026-03-10T08:00:00Z', status: 'unknown' },
            { start: '2026-03-10T08:00:00Z', end: '2026-03-10T09:00:00Z', status: 'busy' },
          ],
        },
      ],
    });

    expect(result.slots.map((slot) => slot.localStartTime)).toEqual(['08:00', '10:00', '11:00']);
    expect(result.slots[0]?.unknownAvailability).toEqual([
      {
        mailbox: 'kurator@regionexempel.se',
        label: 'Kurator (BUP)',
        status: 'unknown',
        note: 'Kurator (BUP): tillgänglighet okänd',
      },
    ]);
    expect(result.slots[1]?.unknownAvailability).toEqual([]);
    expect(result.unknownMembers).toEqual([]);
  });

  it('still says why there is no time when the readable calendars leave none, and who was not read', () => {
    const result = find({
      from,
      horizonDays: 1,
      schedules: [
        required('rektor@exempelby.se', ['2026-03-10T06:00:00Z', '2026-03-10T16:00:00Z']),
        { ...required('polis@polisen-exempel.se'), unreadable: true },
      ],
    });

    expect(result.slots).toEqual([]);
    expect(result.reason).toBe('horisontenSlut');
    expect(result.unknownMembers.map((member) => member.mailbox)).toEqual(['polis@polisen-exempel.se']);
  });
});

describe('parseAvailabilityView', () => {
  it('turns the Graph codes into merged busy intervals; working elsewhere is free', () => {
    const intervals = parseAvailabilityView('0112340x2', '2026-03-10T07:00:00Z', 30);
    expect(intervals).toEqual([
      { start: '2026-03-10T07:30:00.000Z', end: '2026-03-10T08:30:00.000Z', status: 'tentative' },
      { start: '2026-03-10T08:30:00.000Z', end: '2026-03-10T09:00:00.000Z', status: 'busy' },
      { start: '2026-03-10T09:00:00.000Z', end: '2026-03-10T09:30:00.000Z', status: 'oof' },
      { start: '2026-03-10T10:30:00.000Z', end: '2026-03-10T11:00:00.000Z', status: 'unknown' },
      { start: '2026-03-10T11:00:00.000Z', end: '2026-03-10T11:30:00.000Z', status: 'busy' },
    ]);
    expect(parseAvailabilityView('', '2026-03-10T07:00:00Z', 30)).toEqual([]);
    expect(parseAvailabilityView('000', '2026-03-10T07:00:00Z', 15)).toEqual([]);
  });

  it('uses the interval length of the request', () => {
    expect(parseAvailabilityView('02', '2026-03-10T07:00:00Z', 15)).toEqual([
      { start: '2026-03-10T07:15:00.000Z', end: '2026-03-10T07:30:00.000Z', status: 'busy' },
    ]);
  });

  it('blocks a required member who is tentatively booked', () => {
    // 08:00–16:30 local is 07:00–15:30Z: the first hour tentative, the rest free.
    const view = `11${'0'.repeat(15)}`;
    const result = findMeetingSlots({
      schedules: [
        {
          mailbox: 'kurator@exempelby.se',
          required: true,
          busy: parseAvailabilityView(view, '2026-03-10T07:00:00Z', 30),
        },
      ],
      durationMinutes: 60,
      from: '2026-03-10T06:00:00Z',
      horizonDays: 1,
      workingTime,
      stepMinutes: 30,
      maxSlots: 1,
    });
    expect(result.slots[0]?.localStartTime).toBe('09:00');
  });
});
