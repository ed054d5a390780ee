/**
 * Swedish public holidays for any year, as calendar dates (`YYYY-MM-DD`). Two kinds:
 * - `allmanHelgdag`: the legal public holidays of lagen (1989:253) om allmänna helgdagar
 *   (every Sunday is one too; weekends are handled by the working week, not listed here);
 * - `deFakto`: days that are not holidays in law but on which offices are closed (they count as
 *   Sundays in most collective agreements): midsommarafton, julafton, nyårsafton.
 * Påskafton and pingstafton are always Saturdays, so they need no entry.
 */
import type { CalendarDate } from './value-types.js';

export type HolidayKind = 'allmanHelgdag' | 'deFakto';

export interface Holiday {
  readonly date: CalendarDate;
  readonly name: string;
  readonly kind: HolidayKind;
}

/** The holidays of a year, in date order. */
export function swedishHolidays(year: number): Holiday[] {
  const easter = easterSunday(year);
  const midsummerDay = firstSaturdayFrom(year, 6, 20);
  const allSaintsDay = firstSaturdayFrom(year, 10, 31);
  const holidays: Holiday[] = [
    { date: toCalendarDate(utcDate(year, 1, 1)), name: 'Nyårsdagen', kind: 'allmanHelgdag' },
    { date: toCalendarDate(utcDate(year, 1, 6)), name: 'Trettondedag jul', kind: 'allmanHelgdag' },
    { date: toCalendarDate(addDays(easter, -2)), name: 'Långfredagen', kind: 'allmanHelgdag' },
    { date: toCalendarDate(easter), name: 'Påskdagen', kind: 'allmanHelgdag' },
    { date: toCalendarDate(addDays(easter, 1)), name: 'Annandag påsk', kind: 'allmanHelgdag' },
    { date: toCalendarDate(utcDate(year, 5, 1)), name: 'Första maj', kind: 'allmanHelgdag' },
    { date: toCalendarDate(addDays(easter, 39)), name: 'Kristi himmelfärdsdag', kind: 'allmanHelgdag' },
    { date: toCalendarDate(addDays(easter, 49)), name: 'Pingstdagen', kind: 'allmanHelgdag' },
    { date: toCalendarDate(utcDate(year, 6, 6)), name: 'Sveriges nationaldag', kind: 'allmanHelgdag' },
    { date: toCalendarDate(addDays(midsummerDay, -1)), name: 'Midsommarafton', kind: 'deFakto' },
    { date: toCalendarDate(midsummerDay), name: 'Midsommardagen', kind: 'allmanHelgdag' },
    { date: toCalendarDate(allSaintsDay), name: 'Alla helgons dag', kind: 'allmanHelgdag' },
    { date: toCalendarDate(utcDate(year, 12, 24)), name: 'Julafton', kind: 'deFakto' },
    { date: toCalendarDate(utcDate(year, 12, 25)), name: 'Juldagen', kind: 'allmanHelgdag' },
    { date: toCalendarDate(utcDate(year, 12, 26)), name: 'Annandag jul', kind: 'allmanHelgdag' },
    { date: toCalendarDate(utcDate(year, 12, 31)), name: 'Nyårsafton', kind: 'deFakto' },
  ];
  return holidays.sort((a, b) => a.date.localeCompare(b.date));
}

const holidayCache = new Map<number, ReadonlyMap<CalendarDate, Holiday>>();

/** The holiday on this date, if any (either kind). */
export function findSwedishHoliday(date: CalendarDate): Holiday | undefined {
  const year = Number(date.slice(0, 4));
  let byDate = holidayCache.get(year);
  if (byDate === undefined) {
    byDate = new Map(swedishHolidays(year).map((holiday) => [holiday.date, holiday]));
    holidayCache.set(year, byDate);
  }
  return byDate.get(date);
}

/** Easter Sunday (Gregorian), by the anonymous algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return utcDate(year, month, day);
}

// Calendar arithmetic runs on UTC midnights so that no local time zone or DST can move a day.
function utcDate(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day));
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

function firstSaturdayFrom(year: number, month: number, day: number): Date {
  const start = utcDate(year, month, day);
  return addDays(start, (6 - start.getUTCDay() + 7) % 7);
}

function toCalendarDate(date: Date): CalendarDate {
  return date.toISOString().slice(0, 10);
}
