/**
 * The weekly log review: every Monday morning (07:00 Stockholm) each log reviewer gets the
 * review of the week before, Monday to Sunday. One reminder per ISO week, with an id made of
 * the week, so that the bot's start on every instance schedules the same one and the sweeper's
 * claim lets exactly one instance send it.
 *
 * Write order of a run, each step under an id derived from the reminder, so that a run repeated
 * after a crash (the claim runs out and another instance takes it) repeats nothing: the audit
 * entry of the review (at the reminder's due time, so a repeat is the identical entry), one
 * outbox card per reviewer, then next week's reminder. The sweeper marks the reminder done last.
 */
import type { CalendarDate, Instant } from '../kernel/case.js';
import type { FlowDependencies } from '../kernel/case-effects.js';
import type { OutboxMessage, Reminder } from '../kernel/ports.js';
import { addDaysToDate, fromStockholmClock, toStockholmDate } from '../kernel/stockholm-date.js';
import { findLogReviewers, type LogReview, reviewAccessLog } from './review-access-log.js';

export const weeklyLogReviewReminderKind = 'logguppfoljningVecka';

/** When on the Monday the review goes out, Stockholm time: before the working day starts. */
const sendHour = 7;

/** ISO week of a Monday, e.g. `2026-W49`: the week's Thursday decides the year. */
export function toIsoWeekLabel(monday: CalendarDate): string {
  const thursday = addDaysToDate(monday, 3);
  const year = Number(thursday.slice(0, 4));
  const dayOfYear = Math.round((Date.parse(`${thursday}T00:00:00Z`) - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
  return `${year}-W${String(Math.floor((dayOfYear - 1) / 7) + 1).padStart(2, '0')}`;
}

/** The weekly reminder for the Monday `monday`. */
export function buildWeeklyLogReviewReminder(monday: CalendarDate, createdAt: Instant): Reminder {
  const [year, month, day] = monday.split('-').map(Number) as [number, number, number];
  const dueAt = new Date(
    fromStockholmClock({ year, month, day, hours: sendHour, minutes: 0, seconds: 0, milliseconds: 0 }),
  ).toISOString();
  return {
    id: `logguppfoljning-${toIsoWeekLabel(monday)}`,
    kind: weeklyLogReviewReminderKind,
    dueAt,
    status: 'scheduled',
    data: { monday },
    createdAt,
  };
}

/** The first Monday whose sending time is after `now` (Stockholm). */
export function nextReviewMonday(now: Date): CalendarDate {
  const today = toStockholmDate(now);
  const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7; // 0 = måndag
  const monday = addDaysToDate(today, weekday === 0 ? 0 : 7 - weekday);
  return Date.parse(buildWeeklyLogReviewReminder(monday, now.toISOString()).dueAt) > now.getTime()
    ? monday
    : addDaysToDate(monday, 7);
}

/**
 * Schedules the coming Monday's review unless it exists: called at every start of every
 * instance, harmless when repeated. Nothing is scheduled while the directory names no reviewer.
 *
 * @returns whether a new reminder was stored.
 */
export async function ensureWeeklyLogReview(deps: FlowDependencies): Promise<boolean> {
  if (findLogReviewers(deps.directory).length === 0) return false;
  const now = deps.clock.now();
  return deps.stores.reminders.schedule(
    buildWeeklyLogReviewReminder(nextReviewMonday(now), now.toISOString()),
  );
}

export interface RenderedLogReview {
  readonly card: Record<string, unknown>;
  /** The notification's preview: no case, no name. */
  readonly summary: string;
}

export type WeeklyLogReviewOutcome = { readonly sentTo: number };

/** Runs the week's review and enqueues its card to every log reviewer, then the next week's reminder. */
export async function sendWeeklyLogReview(
  deps: FlowDependencies,
  reminder: Reminder,
  render: (review: LogReview) => RenderedLogReview,
): Promise<WeeklyLogReviewOutcome> {
  const monday =
    typeof reminder.data.monday === 'string' ? reminder.data.monday : toStockholmDate(reminder.dueAt);
  const period = { from: addDaysToDate(monday, -7), to: addDaysToDate(monday, -1) };
  const reviewers = findLogReviewers(deps.directory);
  const result = await reviewAccessLog(deps, 'system', period, {
    auditId: `audit-${reminder.id}`,
    at: reminder.dueAt,
    purpose: `Veckans logguppföljning av perioden ${period.from}–${period.to}, skickad till loggranskarna (${reviewers.map((contact) => contact.id).join(', ') || 'inga'})`,
  });
  const now = deps.clock.now().toISOString();
  if (result.outcome === 'reviewed' && reviewers.length > 0) {
    const rendered = render(result.review);
    for (const contact of reviewers) {
      const message: OutboxMessage = {
        id: `${reminder.id}:${contact.id}`,
        recipientKey: contact.aadObjectId,
        payload: { kind: 'card', card: rendered.card, summary: rendered.summary },
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        createdAt: now,
      };
      await deps.stores.outbox.enqueue(message);
    }
  }
  await deps.stores.reminders.schedule(buildWeeklyLogReviewReminder(addDaysToDate(monday, 7), now));
  return { sentTo: result.outcome === 'reviewed' ? reviewers.length : 0 };
}
