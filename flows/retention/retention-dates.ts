/**
 * When the retention rules (gallring) make a closed case and an access-log entry due for erasure.
 * Periods are whole months from the Stockholm date of the closing or the entry (the directory's
 * `retention`), so a case closed late on 31 January in Sweden counts from that day, not from the
 * UTC date. A day that does not exist in the target month becomes its last day (2024-01-31 plus
 * one month is 2024-02-29), as `addMonthsToDate` does it.
 */
import type { CalendarDate, Case, ChronologyEntry, Instant } from '../kernel/case.js';
import type { RetentionConfig } from '../kernel/directory.js';
import {
  addDaysToDate,
  addMonthsToDate,
  fromStockholmClock,
  toStockholmDate,
} from '../kernel/stockholm-date.js';
import { isClosedState } from '../kernel/transitions.js';

/**
 * The chronology entry that moved the case into the closed state it is in: the last one that
 * ends in that state. Undefined while the case is open. A closed case from before the chronology
 * recorded `to` falls back to nothing, and `caseErasureDate` then counts from `updatedAt`.
 */
export function findClosingEntry(caseValue: Pick<Case, 'state' | 'chronology'>): ChronologyEntry | undefined {
  if (!isClosedState(caseValue.state)) return undefined;
  return caseValue.chronology.findLast((entry) => entry.to === caseValue.state);
}

/** The period that applies to a closed case: `avslutad` has its own, declined and withdrawn share one. */
export function retentionMonthsFor(state: Case['state'], retention: RetentionConfig): number | undefined {
  if (!isClosedState(state)) return undefined;
  return state === 'avslutad' ? retention.closedCaseMonths : retention.declinedOrWithdrawnCaseMonths;
}

/** The first Stockholm date on which the case may be erased; undefined while it is open. */
export function caseErasureDate(
  caseValue: Pick<Case, 'state' | 'chronology' | 'updatedAt'>,
  retention: RetentionConfig,
): CalendarDate | undefined {
  const months = retentionMonthsFor(caseValue.state, retention);
  if (months === undefined) return undefined;
  const closedAt = findClosingEntry(caseValue)?.at ?? caseValue.updatedAt;
  return addMonthsToDate(toStockholmDate(closedAt), months);
}

/** Whether the case is closed and its retention period has run out on the Stockholm date `today`. */
export function isCaseDueForErasure(
  caseValue: Pick<Case, 'state' | 'chronology' | 'updatedAt'>,
  retention: RetentionConfig,
  today: CalendarDate,
): boolean {
  const due = caseErasureDate(caseValue, retention);
  return due !== undefined && due <= today;
}

/** The first Stockholm date on which an access-log entry written at `at` may be erased. */
export function auditErasureDate(at: Instant, retention: RetentionConfig): CalendarDate {
  return addMonthsToDate(toStockholmDate(at), retention.accessLogMonths);
}

/**
 * The instant before which every access-log entry is due on `today`: the start (Stockholm time)
 * of the first entry date that is not due yet. Month ends make several entry dates reach the
 * same due date, so the last due entry date is searched from the plain subtraction outwards.
 */
export function auditErasureCutoff(today: CalendarDate, retention: RetentionConfig): Instant {
  const months = retention.accessLogMonths;
  let lastDue = addMonthsToDate(today, -months);
  while (addMonthsToDate(lastDue, months) > today) lastDue = addDaysToDate(lastDue, -1);
  while (addMonthsToDate(addDaysToDate(lastDue, 1), months) <= today) lastDue = addDaysToDate(lastDue, 1);
  const [year, month, day] = addDaysToDate(lastDue, 1).split('-').map(Number) as [number, number, number];
  return new Date(
    fromStockholmClock({ year, month, day, hours: 0, minutes: 0, seconds: 0, milliseconds: 0 }),
  ).toISOString();
}
