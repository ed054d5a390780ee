/**
 * The messages and reminders the Individuellt barnteam causes, each under an id derived from its
 * cause (the case, the event, the item), so that a repeated command or a redelivered activity
 * enqueues nothing new. Status posts go to the team's channel under the key
 * `teamkanal:<caseId>`, which the channel delivery resolves; they carry the event and an item id,
 * never the child's name or what the plan says.
 */
import type { Case, Instant } from '../kernel/case.js';
import { toNoticeId } from '../kernel/case-effects.js';
import type { WorkingTime } from '../kernel/directory.js';
import { weekdayNames } from '../kernel/directory.js';
import { buildNoticeMessage, type TeamkanalEvent, toTeamkanalKey } from '../kernel/notices.js';
import type { OutboxMessage, Reminder } from '../kernel/ports.js';
import type { PlanAction } from '../kernel/records/plan.js';
import { computeMorningOf } from '../kernel/reminder-times.js';
import { addWorkingDays, type IsoWeekday, toStockholmDate } from '../kernel/working-time.js';

/** The reminder kinds of this step; the sweeper maps each to its handler (bot/background-work.ts). */
export const teamReminderKinds = {
  /** Handled by the channel provisioning: creates the team's private channel. */
  skapaTeamkanal: 'skapaTeamkanal',
  /** An action's date has passed: post it once and remind its owner. */
  atgardForsenad: 'atgardForsenad',
} as const;

/**
 * A status post to the team's channel. `itemId` names the goal, action or member in the case;
 * `cause` tells apart two posts of the same event and item (an action overdue again with a new
 * date, a member added a second time), so that only a repeat of the same cause is a no-op.
 */
export function buildTeamkanalPost(
  caseId: string,
  event: TeamkanalEvent,
  at: Instant,
  itemId?: string,
  cause?: string | number,
): OutboxMessage {
  const parts = [...(itemId === undefined ? [] : [itemId]), ...(cause === undefined ? [] : [cause])];
  return buildNoticeMessage({
    id: toNoticeId(caseId, 'teamkanalStatus', event, ...parts),
    kind: 'teamkanalStatus',
    caseId,
    recipientKey: toTeamkanalKey(caseId),
    data: { event, ...(itemId === undefined ? {} : { itemId }) },
    at,
  });
}

/** The reminder that has the channel provisioning create the team's channel, due at once. */
export function buildChannelReminder(caseId: string, at: Instant): Reminder {
  return {
    id: `${caseId}:teamkanal`,
    kind: teamReminderKinds.skapaTeamkanal,
    caseId,
    dueAt: at,
    status: 'scheduled',
    data: {},
    createdAt: at,
  };
}

/**
 * When an action due on `dueDate` is overdue: the start of the first working day after it, in
 * Stockholm time. An action due on a Friday is not late on Saturday morning, when nobody can act,
 * but on Monday at the working day's start (Tuesday after Easter Monday, and so on).
 */
export function computeOverdueAt(dueDate: string, workingTime: WorkingTime): Instant {
  const weekdays = workingTime.days.map((day) => (weekdayNames.indexOf(day) + 1) as IsoWeekday);
  let next = addWorkingDays(dueDate, 1, weekdays);
  while (workingTime.holidays.includes(next)) next = addWorkingDays(next, 1, weekdays);
  return computeMorningOf(next, workingTime);
}

/** Whether the action is overdue at `now`: still open and past its overdue moment. */
export function isActionOverdue(action: PlanAction, now: Instant, workingTime: WorkingTime): boolean {
  if (action.status !== 'planerad' && action.status !== 'pagar') return false;
  if (toStockholmDate(now) <= action.dueDate) return false;
  return Date.parse(now) >= Date.parse(computeOverdueAt(action.dueDate, workingTime));
}

export function toOverdueReminderId(caseId: string, actionId: string, dueDate: string): string {
  return `${caseId}:atgard:${actionId}:${dueDate}`;
}

/** The reminder the sweep finds when the action's date has passed. */
export function buildOverdueReminder(
  caseValue: Case,
  action: PlanAction,
  at: Instant,
  workingTime: WorkingTime,
): Reminder {
  return {
    id: toOverdueReminderId(caseValue.id, action.id, action.dueDate),
    kind: teamReminderKinds.atgardForsenad,
    caseId: caseValue.id,
    dueAt: computeOverdueAt(action.dueDate, workingTime),
    status: 'scheduled',
    data: { actionId: action.id, dueDate: action.dueDate },
    createdAt: at,
  };
}
