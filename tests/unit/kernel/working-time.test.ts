import { describe, expect, it } from 'vitest';
import { easterSunday, findSwedishHoliday, swedishHolidays } from '../../../flows/kernel/swedish-holidays.js';
import {
  addWorkingDays,
  instantAfterWorkingDays,
  isWorkingDay,
  toStockholmDate,
} from '../../../flows/kernel/working-time.js';

function holidayDate(year: number, name: string): string | undefined {
  return swedishHolidays(year).find((holiday) => holiday.name === name)?.date;
}

describe('Swedish holidays', () => {
  it.each([
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
  ])(
    'Easter Sunday %i is %s, with Långfredagen, Annandag påsk and Kristi himmelfärd from it',
    (year, date) => {
      expect(easterSunday(year).toISOString().slice(0, 10)).toBe(date);
      expect(holidayDate(year, 'Påskdagen')).toBe(date);
    },
  );

  it('places the days around Easter 2025', () => {
    expect(holidayDate(2025, 'Långfredagen')).toBe('2025-04-18');
    expect(holidayDate(2025, 'Annandag påsk')).toBe('2025-04-21');
    expect(holidayDate(2025, 'Kristi himmelfärdsdag')).toBe('2025-05-29');
    expect(holidayDate(2025, 'Pingstdagen')).toBe('2025-06-08');
  });

  it.each([
    [2024, '2024-06-21', '2024-06-22'],
    [2025, '2025-06-20', '2025-06-21'],
    [2026, '2026-06-19', '2026-06-20'],
    [2027, '2027-06-25', '2027-06-26'],
  ])('midsommar %i: afton %s (de facto), dagen %s (legal)', (year, eve, day) => {
    expect(findSwedishHoliday(eve)).toEqual({ date: eve, name: 'Midsommarafton', kind: 'deFakto' });
    expect(findSwedishHoliday(day)).toEqual({ date: day, name: 'Midsommardagen', kind: 'allmanHelgdag' });
    expect(holidayDate(year, 'Midsommardagen')).toBe(day);
  });

  it.each([
    [2024, '2024-11-02'],
    [2025, '2025-11-01'],
    [2026, '2026-10-31'],
    [2027, '2027-11-06'],
  ])('alla helgons dag %i is the Saturday %s', (year, date) => {
    expect(holidayDate(year, 'Alla helgons dag')).toBe(date);
  });

  it('marks julafton and nyårsafton as de facto, the rest as legal', () => {
    const kinds = Object.fromEntries(swedishHolidays(2025).map((holiday) => [holiday.name, holiday.kind]));
    expect(kinds).toMatchObject({
      Nyårsdagen: 'allmanHelgdag',
      'Trettondedag jul': 'allmanHelgdag',
      'Första maj': 'allmanHelgdag',
      'Sveriges nationaldag': 'allmanHelgdag',
      Julafton: 'deFakto',
      Juldagen: 'allmanHelgdag',
      'Annandag jul': 'allmanHelgdag',
      Nyårsafton: 'deFakto',
    });
    expect(swedishHolidays(2025)).toHaveLength(16);
  });
});

describe('working days', () => {
  it('knows weekends, holidays and ordinary days', () => {
    expect(isWorkingDay('2025-06-05')).toBe(true); // Thursday
    expect(isWorkingDay('2025-06-06')).toBe(false); // nationaldagen, a Friday
    expect(isWorkingDay('2025-06-07')).toBe(false); // Saturday
    expect(isWorkingDay('2025-12-24')).toBe(false); // julafton, a Wednesday
    expect(isWorkingDay('2025-06-07', [1, 2, 3, 4, 5, 6])).toBe(true); // a unit open on Saturdays
  });

  it('counts over a weekend and a holiday', () => {
    // Thursday 5 June 2025 + 1 → Monday 9 June (Friday is nationaldagen).
    expect(addWorkingDays('2025-06-05', 1)).toBe('2025-06-09');
    // Over Easter 2025: Thursday 17 April + 1 → Tuesday 22 April.
    expect(addWorkingDays('2025-04-17', 1)).toBe('2025-04-22');
    // Over Christmas 2025: Tuesday 23 December + 3 → Friday 2 January 2026.
    expect(addWorkingDays('2025-12-23', 3)).toBe('2026-01-02');
    expect(addWorkingDays('2025-06-05', 0)).toBe('2025-06-05');
  });

  it('refuses a negative count', () => {
    expect(() => addWorkingDays('2025-06-05', -1)).toThrow('Antalet arbetsdagar måste vara ett heltal');
  });
});

describe('chasing an unanswered card, in Stockholm time', () => {
  it('chases over a weekend and midsommar at the same wall-clock time', () => {
    // Thursday 19 June 2025 14:00 in Stockholm (CEST, UTC+2); Friday is midsommarafton.
    expect(instantAfterWorkingDays('2025-06-19T12:00:00.000Z', 2)).toBe('2025-06-24T12:00:00.000Z');
  });

  it('keeps 14:00 when the clocks go forward in March', () => {
    // Friday 28 March 2025 14:00 CET (UTC+1); DST starts Sunday 30 March; Monday 14:00 is CEST (UTC+2).
    expect(instantAfterWorkingDays('2025-03-28T13:00:00.000Z', 1)).toBe('2025-03-31T12:00:00.000Z');
  });

  it('keeps 14:00 when the clocks go back in October', () => {
    // Friday 24 October 2025 14:00 CEST (UTC+2); DST ends Sunday 26 October; Monday 14:00 is CET (UTC+1).
    expect(instantAfterWorkingDays('2025-10-24T12:00:00.000Z', 1)).toBe('2025-10-27T13:00:00.000Z');
  });

  it('uses the Stockholm date, not the UTC date, of a late-evening instant', () => {
    // 23:30 on Friday 6 June 2025 in UTC is already Saturday 01:30 in Stockholm.
    expect(toStockholmDate('2025-06-06T23:30:00.000Z')).toBe('2025-06-07');
    // One working day after Saturday 01:30 is Monday 9 June 01:30 in Stockholm, i.e. Sunday 23:30 UTC.
    expect(instantAfterWorkingDays('2025-06-06T23:30:00.000Z', 1)).toBe('2025-06-08T23:30:00.000Z');
  });
});
