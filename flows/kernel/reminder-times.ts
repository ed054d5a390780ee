/**
 * When reminders fall due, in the municipality's working time (the directory's `workingTime`):
 * a chase N working days later, inside working hours, and a follow-up on a chosen date in the
 * morning. A reminder that fires at 03:00 or on a holiday reaches nobody who can act on it.
 */
import { type WeekdayName, type WorkingTime, weekdayNames } from './directory.js';
import { fromStockholmClock, toStockholmClock } from './stockholm-date.js';
import type { CalendarDate, Instant } from './value-types.js';
import { addWorkingDays, type IsoWeekday, instantAfterWorkingDays, toStockholmDate } from './working-time.js';

/** How far ahead a follow-up date may be set, on the Upptäckarkort and in a Beslut alike. */
export const followUpAheadMonths = 12;

/**
 * `count` working days after `at` at the same Stockholm wall-clock time, then moved into working
 * hours: before the day starts → its start; after it ends → the start of the next working day.
 * Holidays listed in the directory count as non-working days, as do Swedish public holidays.
 */
export function computeChaseDueAt(at: Instant, count: number, workingTime: WorkingTime): Instant {
  const weekdays = toIsoWeekdays(workingTime.days);
  let due = at;
  let remaining = count;
  while (remaining > 0) {
    due = instantAfterWorkingDays(due, 1, weekdays);
    if (!workingTime.holidays.includes(toStockholmDate(due))) {
      remaining -= 1;
    }
  }
  const date = toStockholmDate(due);
  const time = stockholmClockTime(due);
  if (time < workingTime.start) {
    return atStockholmTime(date, workingTime.start);
  }
  if (time > workingTime.end) {
    return atStockholmTime(nextWorkingDate(date, workingTime), workingTime.start);
  }
  return due;
}

/** The morning of a chosen date (the working day's start), whatever day of the week it is. */
export function computeMorningOf(date: CalendarDate, workingTime: WorkingTime): Instant {
  return atStockholmTime(date, workingTime.start);
}

function nextWorkingDate(date: CalendarDate, workingTime: WorkingTime): CalendarDate {
  const weekdays = toIsoWeekdays(workingTime.days);
  let next = addWorkingDays(date, 1, weekdays);
  while (workingTime.holidays.includes(next)) {
    next = addWorkingDays(next, 1, weekdays);
  }
  return next;
}

function toIsoWeekdays(days: readonly WeekdayName[]): IsoWeekday[] {
  return days.map((day) => (weekdayNames.indexOf(day) + 1) as IsoWeekday);
}

function stockholmClockTime(instant: Instant): string {
  const local = toStockholmClock(Date.parse(instant));
  return `${String(local.hours).padStart(2, '0')}:${String(local.minutes).padStart(2, '0')}`;
}

function atStockholmTime(date: CalendarDate, clockTime: string): Instant {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hours, minutes] = clockTime.split(':').map(Number) as [number, number];
  const instant = fromStockholmClock({ year, month, day, hours, minutes, seconds: 0, milliseconds: 0 });
  return new Date(instant).toISOString();
}
