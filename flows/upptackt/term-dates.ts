/**
 * Term dates by calendar year, from the directory, or from its documented default rule when
 * the school year is not configured. The caller learns which, so that a routing reason can
 * say that a date was assumed.
 */
import type { CalendarDate } from '../kernel/case.js';
import { type Directory, type WeekRule, weekdayLabels, weekdayNames } from '../kernel/directory.js';
import { dateOfIsoWeekday, type IsoWeekday } from '../kernel/stockholm-date.js';

export interface TermDate {
  readonly date: CalendarDate;
  /** The school year it belongs to, e.g. `2026/27`. */
  readonly schoolYear: string;
  /** Set when the school year is missing from the directory and the default rule gave the date. */
  readonly assumedBy?: string;
}

function schoolYearStartingIn(year: number): string {
  return `${year}/${String((year + 1) % 100).padStart(2, '0')}`;
}

function applyWeekRule(year: number, rule: WeekRule): { date: CalendarDate; description: string } {
  const weekday = (weekdayNames.indexOf(rule.weekday) + 1) as IsoWeekday;
  return {
    date: dateOfIsoWeekday(year, rule.isoWeek, weekday),
    description: `${weekdayLabels[rule.weekday]} vecka ${rule.isoWeek}`,
  };
}

/** The first day of the hösttermin that starts in `year`. */
export function findAutumnTermStart(directory: Directory, year: number): TermDate {
  const schoolYear = schoolYearStartingIn(year);
  const configured = directory.termDates.find((term) => term.schoolYear === schoolYear);
  if (configured !== undefined) {
    return { date: configured.autumnTermStart, schoolYear };
  }
  const assumed = applyWeekRule(year, directory.termDateDefaults.autumnTermStart);
  return { date: assumed.date, schoolYear, assumedBy: assumed.description };
}

/** The last day of the vårtermin that ends in `year`. */
export function findSpringTermEnd(directory: Directory, year: number): TermDate {
  const schoolYear = schoolYearStartingIn(year - 1);
  const configured = directory.termDates.find((term) => term.schoolYear === schoolYear);
  if (configured !== undefined) {
    return { date: configured.springTermEnd, schoolYear };
  }
  const assumed = applyWeekRule(year, directory.termDateDefaults.springTermEnd);
  return { date: assumed.date, schoolYear, assumedBy: assumed.description };
}
