/**
 * The daily retention sweep (gallring): every night at 02:00 Stockholm time the closed cases whose
 * retention period has run out are erased, and the access log loses the entries past its own
 * period. One reminder per day, with an id made of the date, so that the bot's start on every
 * instance schedules the same one and the sweeper's claim (a conditional write on its ETag) lets
 * exactly one instance run it; each run schedules the next day's, as the weekly log review does.
 *
 * Finding the due cases: the store lists the closed cases by id (`ErasureStore.listClosedCaseIds`;
 * on Cosmos a cross-partition query bounded by TOP, run by this job only) and each is read and
 * judged here from the chronology entry that closed it. A case's closing time is in its
 * chronology, not in a field a store could index, and the closed cases not yet due are at most a
 * few years of one municipality's cases.
 *
 * Write order per case, each under an id derived from the case, so that a run repeated after a
 * crash repeats nothing: the access-log entry of the erasure (under the key `gallring`, holding the
 * case id, the state, the closing date and the period, never the child's name, identity number or
 * reference), then, when the case's Individuellt barnteam still has its channel in Teams, the
 * channel's deletion as a reminder without the case (flows/individuellt-barnteam/
 * team-channel-retirement.ts), then the erasure. If the entry cannot be written the case is not
 * erased.
 */
import { buildChannelDeletionAtErasure } from '../individuellt-barnteam/index.js';
import { nonCaseAuditKeys } from '../kernel/audit-keys.js';
import type { CalendarDate, Instant } from '../kernel/case.js';
import type { FlowDependencies } from '../kernel/case-effects.js';
import type { Reminder } from '../kernel/ports.js';
import { addDaysToDate, fromStockholmClock, toStockholmDate } from '../kernel/stockholm-date.js';
import {
  auditErasureCutoff,
  findClosingEntry,
  isCaseDueForErasure,
  retentionMonthsFor,
} from './retention-dates.js';

export const dailyRetentionReminderKind = 'gallringDygn';

export const retentionAuditKey = nonCaseAuditKeys.retention;

/** At night, when nobody works in a case that could be erased under them. */
const runHour = 2;
/** Closed cases listed per page. */
const pageSize = 100;
/**
 * Erasures per run: a run must finish well inside the reminder's claim lease (five minutes), or
 * another instance takes the claim and runs it again. What is left waits for the next night.
 */
const maxErasuresPerRun = 500;
/** Entries or messages deleted per call, and calls per run. */
const deleteBatch = 500;
const maxDeleteBatches = 40;
/** Days a delivered message of no case stays in the outbox (long past any redelivery). */
const settledMessageDays = 30;

/** The reminder of the night of `day`. */
export function buildDailyRetentionReminder(day: CalendarDate, createdAt: Instant): Reminder {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const dueAt = new Date(
    fromStockholmClock({ year, month, day: date, hours: runHour, minutes: 0, seconds: 0, milliseconds: 0 }),
  ).toISOString();
  return {
    id: `gallring-${day}`,
    kind: dailyRetentionReminderKind,
    dueAt,
    status: 'scheduled',
    data: { day },
    createdAt,
  };
}

/** The first day whose run time is after `now` (Stockholm). */
export function nextRetentionDay(now: Date): CalendarDate {
  const today = toStockholmDate(now);
  return Date.parse(buildDailyRetentionReminder(today, now.toISOString()).dueAt) > now.getTime()
    ? today
    : addDaysToDate(today, 1);
}

/**
 * Schedules the coming night's run unless it exists: called at every start of every instance,
 * harmless when repeated. Nothing is scheduled for stores that cannot erase.
 *
 * @returns whether a new reminder was stored.
 */
export async function ensureDailyRetention(deps: FlowDependencies): Promise<boolean> {
  if (deps.stores.erasure === undefined) return false;
  const now = deps.clock.now();
  return deps.stores.reminders.schedule(
    buildDailyRetentionReminder(nextRetentionDay(now), now.toISOString()),
  );
}

export interface RetentionRunOutcome {
  /** Closed cases erased in this run. */
  readonly erased: number;
  /** Whether due cases were left for the next night (the run's bound was reached). */
  readonly more: boolean;
  /** Access-log entries deleted. */
  readonly auditEntriesDeleted: number;
  /** Delivered or dropped outbox messages of no case, older than 30 days, deleted. */
  readonly messagesDeleted: number;
}

/** Runs the night's retention: erases the due cases, cuts the access log, schedules the next night. */
export async function eraseDueCases(
  deps: FlowDependencies,
  reminder: Reminder,
): Promise<RetentionRunOutcome> {
  const erasure = deps.stores.erasure;
  const day = typeof reminder.data.day === 'string' ? reminder.data.day : toStockholmDate(reminder.dueAt);
  const retention = deps.directory.retention;
  let erased = 0;
  let more = false;
  let auditEntriesDeleted = 0;
  let messagesDeleted = 0;
  if (erasure !== undefined) {
    let after: string | undefined;
    pages: for (;;) {
      const ids = await erasure.listClosedCaseIds(pageSize, after);
      for (const caseId of ids) {
        const stored = await deps.stores.cases.get(caseId);
        if (stored === undefined || !isCaseDueForErasure(stored.value, retention, day)) continue;
        if (erased === maxErasuresPerRun) {
          more = true;
          break pages;
        }
        const closedOn = toStockholmDate(findClosingEntry(stored.value)?.at ?? stored.value.updatedAt);
        await deps.stores.audit.append({
          id: `audit-gallring-${caseId}`,
          at: reminder.dueAt,
          actor: 'system',
          action: 'gallraArende',
          caseId: retentionAuditKey,
          outcome: 'allowed',
          purpose: `Ärendet ${caseId} (${stored.value.state}, stängt ${closedOn}) gallrades efter ${retentionMonthsFor(stored.value.state, retention)} månader enligt kommunens gallringsregler`,
        });
        // The channel in Teams outlives the case's document only by the deletion's retries: its
        // ids go into a reminder of their own first, since the erasure removes the case's.
        const channelDeletion = buildChannelDeletionAtErasure(stored.value, reminder.dueAt);
        if (channelDeletion !== undefined) await deps.stores.reminders.schedule(channelDeletion);
        await erasure.eraseCase(caseId);
        erased += 1;
      }
      if (ids.length < pageSize) break;
      after = ids.at(-1);
    }

    const cutoff = auditErasureCutoff(day, retention);
    await deps.stores.audit.append({
      id: `audit-gallring-logg-${day}`,
      at: reminder.dueAt,
      actor: 'system',
      action: 'gallraAtkomstlogg',
      caseId: retentionAuditKey,
      outcome: 'allowed',
      purpose: `Åtkomstloggens poster skrivna före ${toStockholmDate(cutoff)} gallras efter ${retention.accessLogMonths} månader`,
    });
    auditEntriesDeleted = await deleteInBatches((limit) => erasure.deleteAuditEntriesBefore(cutoff, limit));

    // The weekly log review's cards name cases by reference and no case, so no erasure reaches
    // them: once delivered they are the reviewer's in Teams, and the outbox's copy goes.
    const messageCutoff = new Date(Date.parse(reminder.dueAt) - settledMessageDays * 24 * 60 * 60_000);
    messagesDeleted = await deleteInBatches((limit) =>
      erasure.deleteSettledCaselessMessagesBefore(messageCutoff.toISOString(), limit),
    );
  }
  const now = deps.clock.now().toISOString();
  await deps.stores.reminders.schedule(buildDailyRetentionReminder(addDaysToDate(day, 1), now));
  return { erased, more, auditEntriesDeleted, messagesDeleted };
}

/** Calls `run` with a batch size until a call deletes less than that, at most `maxDeleteBatches` times. */
async function deleteInBatches(run: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < maxDeleteBatches; batch += 1) {
    const deleted = await run(deleteBatch);
    total += deleted;
    if (deleted < deleteBatch) break;
  }
  return total;
}
