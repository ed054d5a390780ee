/**
 * How dates, ages and identity numbers are written on cards: the way a Swedish reader expects
 * them ("26 november 2026", "10 år"), always on the Stockholm calendar whatever the server's
 * own time zone is.
 */
import type { CalendarDate, Instant } from '../flows/kernel/case.js';
import {
  completedMonths,
  completedYears,
  swedishMonthNames,
  toStockholmDate,
} from '../flows/kernel/stockholm-date.js';

/** `2026-11-26` → `26 november 2026`. */
export function formatSwedishDate(date: CalendarDate): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return `${day} ${swedishMonthNames[month - 1]} ${year}`;
}

/** The Stockholm calendar date of an instant, written out: `2026-11-26T23:30:00Z` → `27 november 2026`. */
export function formatSwedishDateOfInstant(instant: Instant): string {
  // The product's one Stockholm date of an instant, remembered per UTC hour: cards write a few
  // such dates each, and a time zone formatter per call was a visible part of a render.
  return formatSwedishDate(toStockholmDate(instant));
}

/** `201505151234` → `20150515-1234`, the form social services read and type. */
export function formatIdentityNumber(twelveDigits: string): string {
  return `${twelveDigits.slice(0, 8)}-${twelveDigits.slice(8)}`;
}

/** The child's age on `today`, in months under two years: "10 år", "7 månader", "väntas 3 mars 2027". */
export function describeAge(
  child: { birthDate?: CalendarDate | undefined; dueDate?: CalendarDate | undefined },
  today: CalendarDate,
): string {
  if (child.birthDate !== undefined) {
    const years = completedYears(child.birthDate, today);
    if (years >= 2) {
      return `${years} år, född ${formatSwedishDate(child.birthDate)}`;
    }
    const months = Math.max(0, completedMonths(child.birthDate, today));
    return `${months} ${months === 1 ? 'månad' : 'månader'}, född ${formatSwedishDate(child.birthDate)}`;
  }
  if (child.dueDate !== undefined) {
    return `Ofött barn, beräknat ${formatSwedishDate(child.dueDate)}`;
  }
  return 'Födelsedatum saknas';
}
