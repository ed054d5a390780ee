/**
 * How dates, ages and identity numbers are written on cards: the way a Swedish reader expects
 * them ("26 november 2026", "10 år"), always on the Stockholm calendar whatever the server's
 * own time zone is.
 */
import type { CalendarDate, Instant } from '../flows/kernel/case.js';
import { completedMonths, completedYears, swedishMonthNames } from '../flows/kernel/stockholm-date.js';

const stockholmDay = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** `2026-11-26` → `26 november 2026`. */
export function formatSwedishDate(date: CalendarDate): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return `${day} ${swedishMonthNames[month - 1]} ${year}`;
}

/** The Stockholm calendar date of an instant, written out: `2026-11-26T23:30:00Z` → `27 november 2026`. */
export function formatSwedishDateOfInstant(instant: Instant): string {
  return formatSwedishDate(stockholmDay.format(new Date(instant)));
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
