/**
 * What the use cases of step 1–2 share: their dependencies, the deterministic ids of the
 * messages and reminders a case causes, and small helpers to audit, notify and schedule.
 *
 * Ids are derived from what caused them (the case, the routing number, the chase number), never
 * drawn at random, so a use case that runs twice (Teams redelivers, the sweeper retries after a
 * crash) enqueues nothing new: `enqueue` and `schedule` keep the first document with an id.
 */
import type { Case, Instant, RoleAssignment, RoutingHistoryEntry, UserId } from './case.js';
import type { Directory } from './directory.js';
import { isDomainError } from './errors.js';
import { buildNoticeMessage, type NoticeKind, type NoticeToSend } from './notices.js';
import type { AuditEntry, CaseEffects, Clock, Reminder, Stores } from './ports.js';
import { computeChaseDueAt } from './reminder-times.js';

/** Everything a use case needs from outside; passed in, never read from the environment. */
export interface FlowDependencies {
  readonly stores: Stores;
  readonly directory: Directory;
  readonly clock: Clock;
  /** IDENTITY_HASH_KEY: the secret of the keyed identity-number hash. */
  readonly identityKeySecret: Uint8Array | string;
  /** A fresh unique id (audit entries). */
  newId(): string;
  /** Random bytes (the case reference). */
  randomBytes(count: number): Uint8Array;
  /**
   * Chases of an unanswered card before the fallback contact is told (default 2: the
   * Barnkontakt once more, then the deputy).
   */
  readonly maxChases?: number;
  /**
   * Waits a moment before looking again (a second Upptäckarkort waiting for the first one's case
   * to be written). Defaults to a timer; tests pass one that does not wait.
   */
  readonly pause?: (milliseconds: number) => Promise<void>;
}

export const defaultMaxChases = 2;

/** The reminder kinds these use cases schedule; the sweeper maps each to its handler. */
export const reminderKinds = {
  chaseBarnkontakt: 'chaseBarnkontakt',
  foljUppEgenVerksamhet: 'foljUppEgenVerksamhet',
} as const;

/** A person acting in Teams: the id comes from the activity, never from card data. */
export interface Actor {
  readonly userId: UserId;
  readonly displayName: string;
  readonly tenantId: string;
}

const draftIdPattern = /^[A-Za-z0-9-]{8,64}$/;

/** Whether a draft id can name a case (the bot makes UUIDs; anything else is refused). */
export function isValidDraftId(draftId: string): boolean {
  return draftIdPattern.test(draftId);
}

/** The case filed from one card instance: the same draft always gives the same case. */
export function toCaseId(draftId: string): string {
  return `arende-${draftId}`;
}

export function toNoticeId(caseId: string, kind: NoticeKind, ...parts: (string | number)[]): string {
  return [caseId, 'notis', kind, ...parts].join(':');
}

export function toChaseReminderId(caseId: string, routingNo: number, chaseNo: number): string {
  return `${caseId}:jakt:${routingNo}:${chaseNo}`;
}

export function toFollowUpReminderId(caseId: string): string {
  return `${caseId}:uppfoljning`;
}

/** The case's current routing entry, if the card was routed. */
export function currentRouting(caseValue: Case): RoutingHistoryEntry | undefined {
  return caseValue.routingHistory?.at(-1);
}

/** The Upptäckare who filed the case. */
export function findUpptackare(caseValue: Case): RoleAssignment | undefined {
  return caseValue.roles.find((role) => role.role === 'upptackare');
}

/** Appends an audit entry; if it fails, the error propagates and the action must not happen. */
export async function appendAudit(deps: FlowDependencies, entry: Omit<AuditEntry, 'id'>): Promise<void> {
  await deps.stores.audit.append({ id: `audit-${deps.newId()}`, ...entry });
}

export async function enqueueNotice<K extends NoticeKind>(
  deps: FlowDependencies,
  notice: NoticeToSend<K>,
): Promise<void> {
  await deps.stores.outbox.enqueue(buildNoticeMessage(notice));
}

/**
 * Enqueues a change's effects outside the store's own commit (a redelivery repairing them, or a
 * store that cannot write them with the case). Each has an id derived from its cause, so an
 * effect that already exists is left as it is.
 */
export async function enqueueEffects(
  stores: Pick<Stores, 'outbox' | 'reminders'>,
  effects: CaseEffects,
): Promise<void> {
  for (const message of effects.outbox) await stores.outbox.enqueue(message);
  for (const reminder of effects.reminders) await stores.reminders.schedule(reminder);
}

/** Schedules chase `chaseNo` of routing `routingNo`, due N working days after `from`. */
export async function scheduleChase(
  deps: FlowDependencies,
  caseId: string,
  routingNo: number,
  chaseNo: number,
  from: Instant,
): Promise<void> {
  await deps.stores.reminders.schedule(buildChaseReminder(deps.directory, caseId, routingNo, chaseNo, from));
}

/** Chase `chaseNo` of routing `routingNo` as a reminder document, for writing with its cause. */
export function buildChaseReminder(
  directory: Directory,
  caseId: string,
  routingNo: number,
  chaseNo: number,
  from: Instant,
): Reminder {
  const { reminders, workingTime } = directory;
  const days =
    chaseNo === 1 ? reminders.chaseUnansweredCardAfterWorkingDays : reminders.repeatChaseEveryWorkingDays;
  return {
    id: toChaseReminderId(caseId, routingNo, chaseNo),
    kind: reminderKinds.chaseBarnkontakt,
    caseId,
    dueAt: computeChaseDueAt(from, days, workingTime),
    status: 'scheduled',
    data: { routingNo, chaseNo },
    createdAt: from,
  };
}

/**
 * Cancels the case's scheduled chases (all of them, or those of routings other than `keepRoutingNo`).
 * A chase another instance holds right now is left alone: its handler sees that the card is no
 * longer waiting (or was re-routed) and does nothing.
 */
export async function cancelChases(
  deps: FlowDependencies,
  caseId: string,
  keepRoutingNo?: number,
): Promise<void> {
  const listed = await deps.stores.reminders.listForCase(caseId);
  for (const item of listed) {
    const reminder = item.value;
    if (
      reminder.kind !== reminderKinds.chaseBarnkontakt ||
      reminder.status !== 'scheduled' ||
      reminder.data.routingNo === keepRoutingNo
    ) {
      continue;
    }
    try {
      await deps.stores.reminders.replace({ ...reminder, status: 'cancelled' }, item.etag);
    } catch (error) {
      if (!isDomainError(error, 'concurrencyConflict') && !isDomainError(error, 'notFound')) {
        throw error;
      }
    }
  }
}

/** The clock's now as an instant. */
export function nowInstant(clock: Clock): Instant {
  return clock.now().toISOString();
}
