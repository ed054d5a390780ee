/**
 * Calendar dates in the product are Europe/Stockholm dates written `YYYY-MM-DD`. The
 * arithmetic on them is done on a fixed UTC midnight so that the machine's own time zone
 * (and the shift to summer time) can never move a date by a day. `YYYY-MM-DD` strings
 * sort in date order, so comparing two dates is plain string comparison.
 */
import { TZDate } from '@date-fns/tz';
import { addDays, addMonths, format, setISODay, setISOWeek } from 'date-fns';
import type { CalendarDate, Instant } from './value-types.js';

export const stockholmTimeZone = 'Europe/Stockholm';

/** The Stockholm calendar date of an instant, e.g. 2025-03-30T22:30Z is `2025-03-31`. */
export function toStockholmDate(instant: Instant | Date): CalendarDate {
  const clock = toStockholmClock(typeof instant === 'string' ? Date.parse(instant) : instant.getTime());
  return formatCalendarDate(clock.year, clock.month, clock.day);
}

/** `YYYY-MM-DD` of a year, month (1–12) and day. */
export function formatCalendarDate(year: number, month: number, day: number): CalendarDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const msPerHour = 3_600_000;

/**
 * `compute(key)`, remembered: the time zone answers below are pure and asked on every filing and
 * chase. Bounded, so that a process that runs for years does not keep every hour it has seen.
 */
function remember<K, V>(memo: Map<K, V>, key: K, compute: (key: K) => V): V {
  let value = memo.get(key);
  if (value === undefined) {
    value = compute(key);
    if (memo.size >= 10_000) memo.clear();
    memo.set(key, value);
  }
  return value;
}

/** A wall-clock time in Stockholm; `month` is 1–12. */
export interface StockholmClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
  readonly milliseconds: number;
}

/**
 * The Stockholm wall-clock time of an instant (epoch milliseconds). Stockholm's offset is whole
 * hours and changes only on a whole UTC hour, so it is looked up once per UTC hour: every
 * filing, chase and follow-up asks, and the time zone lookup was most of what they cost.
 */
export function toStockholmClock(ms: number): StockholmClock {
  const offset = remember(stockholmOffsetByUtcHour, Math.floor(ms / msPerHour), (hour) => {
    const local = new TZDate(hour * msPerHour, stockholmTimeZone);
    return (
      Date.UTC(local.getFullYear(), local.getMonth(), local.getDate(), local.getHours(), local.getMinutes()) -
      hour * msPerHour
    );
  });
  const shifted = new Date(ms + offset);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hours: shifted.getUTCHours(),
    minutes: shifted.getUTCMinutes(),
    seconds: shifted.getUTCSeconds(),
    milliseconds: shifted.getUTCMilliseconds(),
  };
}

/**
 * The instant (epoch milliseconds) of a Stockholm wall-clock time. A time in the hour skipped
 * in March is moved forward, as the time zone library does: its answer for the whole hour is
 * asked once and the minutes added, since Stockholm's clocks change only on the hour.
 */
export function fromStockholmClock(clock: StockholmClock): number {
  const hourStart = remember(
    stockholmHourStarts,
    `${clock.year}-${clock.month}-${clock.day}T${clock.hours}`,
    () => new TZDate(clock.year, clock.month - 1, clock.day, clock.hours, stockholmTimeZone).getTime(),
  );
  return hourStart + clock.minutes * 60_000 + clock.seconds * 1000 + clock.milliseconds;
}

const stockholmOffsetByUtcHour = new Map<number, number>();
const stockholmHourStarts = new Map<string, number>();

/** Weekdays as ISO numbers: 1 = måndag … 7 = söndag. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

function toUtcMidnight(date: CalendarDate): TZDate {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new TZDate(year, month - 1, day, 'UTC');
}

function fromUtcMidnight(date: TZDate): CalendarDate {
  return format(date, 'yyyy-MM-dd');
}

// Adding days and counting the days between two dates is plain arithmetic on the UTC midnight
// (every UTC day has 86 400 000 ms): routing asks it a dozen times per filing, and going through
// TZDate looked the zone up on every call (`npm run bench`, CPU profile of a submit).
const msPerDay = 86_400_000;

function toUtcMidnightMs(date: CalendarDate): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0–99 as 1900–1999.
  return new Date(0).setUTCFullYear(year, month - 1, day);
}

function fromUtcMidnightMs(ms: number): CalendarDate {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) return fromUtcMidnight(new TZDate(ms, 'UTC'));
  return `${String(year).padStart(4, '0')}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
}

export function addDaysToDate(date: CalendarDate, days: number): CalendarDate {
  if (!Number.isInteger(days)) return fromUtcMidnight(addDays(toUtcMidnight(date), days));
  return fromUtcMidnightMs(toUtcMidnightMs(date) + days * msPerDay);
}

/**
 * Adds whole months. A day that does not exist in the target month becomes that month's
 * last day: 2020-02-29 plus 12 months is 2021-02-28.
 */
export function addMonthsToDate(date: CalendarDate, months: number): CalendarDate {
  return fromUtcMidnight(addMonths(toUtcMidnight(date), months));
}

export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((toUtcMidnightMs(to) - toUtcMidnightMs(from)) / msPerDay);
}

export function yearOf(date: CalendarDate): number {
  return Number(date.slice(0, 4));
}

/** The date of a weekday in an ISO week of a year, e.g. måndag vecka 34 2026 is 2026-08-17. */
export function dateOfIsoWeekday(year: number, isoWeek: number, weekday: IsoWeekday): CalendarDate {
  // Pure and asked on every routing (the term dates' default rule), so remembered.
  // Mid-year lies in ISO week-year `year`, so setting the week stays in that week-year.
  return remember(isoWeekdayDates, `${year}-${isoWeek}-${weekday}`, () =>
    fromUtcMidnight(setISODay(setISOWeek(new TZDate(year, 6, 1, 'UTC'), isoWeek), weekday)),
  );
}

const isoWeekdayDates = new Map<string, CalendarDate>();

/**
 * Completed years on `on`. A child born on 29 February has its birthday on 1 March in a
 * common year (it has not yet completed the year on 28 February).
 */
export function completedYears(birthDate: CalendarDate, on: CalendarDate): number {
  const years = yearOf(on) - yearOf(birthDate);
  return on.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** Completed months on `on`, with the same rule as `completedYears` for a missing day. */
export function completedMonths(birthDate: CalendarDate, on: CalendarDate): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = on.split('-').map(Number) as [number, number, number];
  const months = (oy - by) * 12 + (om - bm);
  return od < bd ? months - 1 : months;
}

/** Month names as Swedish text writes them, January first: one list for cards and slot labels. */
export const swedishMonthNames = [
  'januari',
  'februari',
  'mars',
  'april',
  'maj',
  'juni',
  'juli',
  'augusti',
  'september',
  'oktober',
  'november',
  'december',
] as const;

/** Weekday names, Monday first (ISO order). */
export const swedishWeekdayNames = [
  'måndag',
  'tisdag',
  'onsdag',
  'torsdag',
  'fredag',
  'lördag',
  'söndag',
] as const;
