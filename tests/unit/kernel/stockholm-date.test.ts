import { TZDate } from '@date-fns/tz';
import { addDays, differenceInCalendarDays, format } from 'date-fns';
import { describe, expect, it } from 'vitest';
import {
  addDaysToDate,
  daysBetween,
  fromStockholmClock,
  type StockholmClock,
  toStockholmClock,
} from '../../../flows/kernel/stockholm-date.js';

// The date-fns formulation that the arithmetic replaced, kept here as the reference.
const viaDateFns = {
  toUtcMidnight(date: string) {
    const [year, month, day] = date.split('-').map(Number) as [number, number, number];
    return new TZDate(year, month - 1, day, 'UTC');
  },
  addDays(date: string, days: number) {
    return format(addDays(viaDateFns.toUtcMidnight(date), days), 'yyyy-MM-dd');
  },
  daysBetween(from: string, to: string) {
    return differenceInCalendarDays(viaDateFns.toUtcMidnight(to), viaDateFns.toUtcMidnight(from));
  },
};

const samples = [
  '0100-03-01',
  '0999-12-31',
  '1900-02-28',
  '2000-02-29',
  '2024-02-29',
  '2025-03-30',
  '2025-10-26',
  '2025-12-31',
  '2026-01-01',
  '9999-12-30',
];

describe('date arithmetic on Stockholm calendar dates', () => {
  it('adds days exactly as the date-fns formulation, across leap days, DST changes and short years', () => {
    for (const date of samples) {
      for (const days of [0, 1, -1, 28, 29, 365, 366, -365, 1000]) {
        if (date.startsWith('9999') && days > 1) continue;
        expect(addDaysToDate(date, days), `${date} + ${days}`).toBe(viaDateFns.addDays(date, days));
      }
    }
  });

  it('counts the days between two dates exactly as the date-fns formulation', () => {
    for (const from of samples) {
      for (const to of samples) {
        expect(daysBetween(from, to), `${from} → ${to}`).toBe(viaDateFns.daysBetween(from, to));
      }
    }
  });

  it('reads the years 0–99 as written (the date-fns formulation read them as 1900–1999)', () => {
    expect(addDaysToDate('0001-12-31', 1)).toBe('0002-01-01');
    expect(daysBetween('0099-12-31', '0100-01-01')).toBe(1);
  });

  it('agrees with date-fns on every day of a span of years', () => {
    let date = '2019-01-01';
    for (let step = 0; step < 3 * 366; step += 1) {
      const next = addDaysToDate(date, 1);
      expect(next).toBe(viaDateFns.addDays(date, 1));
      expect(daysBetween('2019-01-01', next)).toBe(step + 1);
      date = next;
    }
  });
});

const zone = 'Europe/Stockholm';
const minute = 60_000;
const day = 24 * 60 * minute;

/** The weeks around both clock changes of a year, in UTC: the last Sundays of March and October. */
function changeWeeks(year: number): number[] {
  return [Date.UTC(year, 2, 24), Date.UTC(year, 9, 24)];
}

describe('Stockholm wall-clock time', () => {
  it('reads an instant as the time zone library does, minute by minute across both clock changes', () => {
    for (const year of [2025, 2026, 2031]) {
      for (const start of changeWeeks(year)) {
        for (let ms = start; ms < start + 8 * day; ms += 7 * minute + 1_234) {
          const local = new TZDate(ms, zone);
          expect(toStockholmClock(ms)).toEqual({
            year: local.getFullYear(),
            month: local.getMonth() + 1,
            day: local.getDate(),
            hours: local.getHours(),
            minutes: local.getMinutes(),
            seconds: local.getSeconds(),
            milliseconds: local.getMilliseconds(),
          });
        }
      }
    }
  });

  it('places a wall-clock time as the time zone library does, the skipped and the doubled hour included', () => {
    for (const year of [2025, 2026, 2031]) {
      for (const start of changeWeeks(year)) {
        const first = new Date(start);
        for (let date = 0; date < 8; date += 1) {
          for (let hours = 0; hours < 24; hours += 1) {
            for (const minutes of [0, 1, 29, 59]) {
              const clock: StockholmClock = {
                year,
                month: first.getUTCMonth() + 1,
                day: first.getUTCDate() + date,
                hours,
                minutes,
                seconds: 30,
                milliseconds: 250,
              };
              const expected = new TZDate(year, clock.month - 1, clock.day, hours, minutes, 30, 250, zone);
              expect(fromStockholmClock(clock)).toBe(expected.getTime());
            }
          }
        }
      }
    }
  });
});
