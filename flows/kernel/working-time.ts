/**
 * Working days and "N working days later" in Swedish time, for chasing an unanswered card and
 * for follow-up dates. A chase is set in working days because a Barnkontakt cannot answer on a
 * holiday, and it keeps the wall-clock time in Europe/Stockholm: a card sent Friday 14:00 is
 * chased at 14:00 on the working day due, also across a DST change (a fixed 24-hour step would
 * land at 13:00 or 15:00). Pure: the starting instant comes in as an argument.
 */
import { DomainError } from './errors.js';
import { formatCalendarDate, fromStockholmClock, toStockholmClock } from './stockholm-date.js';
import { findSwedishHoliday } from './swedish-holidays.js';
import type { CalendarDate, Instant } from './value-types.js';

/** The product's one time zone (defined beside the date arithmetic in `stockholm-date.ts`). */
export { stockholmTimeZone } from './stockholm-date.js';

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Monday to Friday. Some units (a BVC with Saturday hours) configure their own week. */
export const ordinaryWorkingWeek: readonly IsoWeekday[] = [1, 2, 3, 4, 5];

/** Whether the date is one of the working weekdays and neither a public nor a de-facto holiday. */
export function isWorkingDay(
  date: CalendarDate,
  workingWeekdays: readonly IsoWeekday[] = ordinaryWorkingWeek,
): boolean {
  return workingWeekdays.includes(isoWeekdayOf(date)) && findSwedishHoliday(date) === undefined;
}

/**
 * The date `count` working days after `date` (the start itself is not counted; 0 returns it).
 *
 * @throws DomainError('invalidInput') for a negative or fractional count or an empty working week.
 */
export function addWorkingDays(
  date: CalendarDate,
  count: number,
  workingWeekdays: readonly IsoWeekday[] = ordinaryWorkingWeek,
): CalendarDate {
  if (!Number.isInteger(count) || count < 0) {
    throw new DomainError(
      'invalidInput',
      'Antalet arbetsdagar måste vara ett heltal som är noll eller större.',
    );
  }
  if (workingWeekdays.length === 0) {
    throw new DomainError('invalidInput', 'Arbetsveckan måste ha minst en arbetsdag.');
  }
  let current = date;
  let remaining = count;
  while (remaining > 0) {
    current = nextCalendarDate(current);
    if (isWorkingDay(current, workingWeekdays)) {
      remaining -= 1;
    }
  }
  return current;
}

/** The Stockholm calendar date of an instant (one implementation, in `stockholm-date.ts`). */
export { toStockholmDate } from './stockholm-date.js';

/**
 * The instant `count` working days after `at`, at the same Stockholm wall-clock time. When that
 * time does not exist on the due day (the hour skipped in March), the time zone library moves it
 * forward to the first valid instant.
 */
export function instantAfterWorkingDays(
  at: Instant | Date,
  count: number,
  workingWeekdays: readonly IsoWeekday[] = ordinaryWorkingWeek,
): Instant {
  const local = toStockholmClock(toTimestamp(at));
  const startDate = formatCalendarDate(local.year, local.month, local.day);
  const [year, month, day] = splitCalendarDate(addWorkingDays(startDate, count, workingWeekdays));
  return new Date(fromStockholmClock({ ...local, year, month, day })).toISOString();
}

function toTimestamp(instant: Instant | Date): number {
  const timestamp = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(timestamp)) {
    throw new DomainError('invalidInput', 'Ogiltig tidpunkt.');
  }
  return timestamp;
}

function isoWeekdayOf(date: CalendarDate): IsoWeekday {
  const [year, month, day] = splitCalendarDate(date);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return (weekday === 0 ? 7 : weekday) as IsoWeekday;
}

function nextCalendarDate(date: CalendarDate): CalendarDate {
  const [year, month, day] = splitCalendarDate(date);
  const next = new Date(Date.UTC(year, month - 1, day + 1));
  return formatCalendarDate(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate());
}

function splitCalendarDate(date: CalendarDate): [number, number, number] {
  const [year, month, day] = date.split('-').map(Number);
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    [year, month, day].some(Number.isNaN)
  ) {
    throw new DomainError('invalidInput', 'Datum ska skrivas ÅÅÅÅ-MM-DD.');
  }
  return [year, month, day];
}
