/**
 * Use case: the convener records what the Barnteam meeting decided for one child:
 * proposed support and by whom, a follow-up date, or the start of an Individuellt
 * barnteam. Starting the Individuellt barnteam is the transition `startaIndividuelltBarnteam`,
 * whose guard asks for the updated written consent: without it nothing is recorded and the
 * guard's Swedish reason is returned, so the Barnkontakt can gather the consent and record again.
 *
 * A corrected outcome for the same meeting replaces the earlier one. The follow-up reminder's id
 * carries the date, so a changed date schedules a new reminder; the old one is cancelled, and its
 * handler stays silent anyway because the latest outcome no longer names its date.
 */
import { authorize, currentBarnkontakt } from '../kernel/access.js';
import type { CalendarDate, Case, Instant } from '../kernel/case.js';
import { hasValidConsent } from '../kernel/case.js';
import {
  type Actor,
  enqueueNotice,
  type FlowDependencies,
  nowInstant,
  toNoticeId,
} from '../kernel/case-effects.js';
import { DomainError, isDomainError } from '../kernel/errors.js';
import type { Reminder } from '../kernel/ports.js';
import {
  type BarnteamOutcome,
  type ProposedSupport,
  readBarnteamRecords,
  ZBarnteamOutcome,
} from '../kernel/records/barnteam-outcome.js';
import { computeMorningOf } from '../kernel/reminder-times.js';
import { applyTransition } from '../kernel/transitions.js';
import { toStockholmDate } from '../kernel/working-time.js';
import { auditRefusal, type BarnteamRecordResult, loadMeeting, writeCaseRecord } from './record-skattning.js';

/** The reminder kind of a Barnteam's follow-up date. */
export const barnteamFollowUpReminderKind = 'uppfoljningBarnteam';

export const outcomeMessages = {
  notConvener: 'Bara den Barnkontakt som sammankallar Barnteamet kan registrera mötets utfall.',
  notOnAgenda: 'Barnet finns inte (längre) på mötets dagordning.',
  meetingNotOn: 'Mötet är inte bokat, så inget utfall kan registreras.',
  followUpPassed: 'Uppföljningsdatumet måste ligga efter i dag.',
  invalid: 'Utfallet är inte korrekt ifyllt: ange vad som föreslås och av vem.',
  already: 'Utfallet är redan registrerat.',
} as const;

export interface RecordBarnteamOutcomeInput {
  readonly meetingId: string;
  readonly caseId: string;
  /** From the activity, never from card data: must be the meeting's convener. */
  readonly actor: Actor;
  readonly outcome: {
    readonly proposedSupport?: readonly ProposedSupport[];
    readonly followUpDate?: CalendarDate;
    readonly startIndividuelltBarnteam?: boolean;
  };
  readonly at: Instant;
}

/**
 * Records the meeting's outcome for the child on the case, audited; schedules the follow-up
 * reminder when a date is given; starts the Individuellt barnteam when chosen.
 *
 * @returns `refused` (`transitionRefused`) with the guard's reason when an Individuellt barnteam
 *   is chosen without the updated written consent; `invalidInput` for a follow-up date that is
 *   not after today or support without what and by whom.
 * @throws DomainError('notFound') for an unknown meeting or case; DomainError('storageUnavailable')
 *   when the store does not keep the outcome (the case schema lacks `barnteamUtfall`).
 */
export async function recordBarnteamOutcome(
  deps: FlowDependencies,
  input: RecordBarnteamOutcomeInput,
): Promise<BarnteamRecordResult> {
  const meeting = await loadMeeting(deps, input.meetingId);
  const refusal =
    meeting.convenerUserId !== input.actor.userId
      ? outcomeMessages.notConvener
      : meeting.state === 'proposed' || meeting.state === 'cancelled'
        ? outcomeMessages.meetingNotOn
        : !meeting.agenda.some((item) => item.caseId === input.caseId && item.removedAt === undefined)
          ? outcomeMessages.notOnAgenda
          : undefined;
  if (refusal !== undefined) {
    await auditRefusal(deps, input, meeting, 'registreraBarnteamUtfall');
    return {
      outcome: 'refused',
      cause: refusal === outcomeMessages.notConvener ? 'accessDenied' : 'transitionRefused',
      message: refusal,
    };
  }
  const parsed = ZBarnteamOutcome.safeParse({
    meetingId: input.meetingId,
    recordedBy: input.actor.userId,
    at: input.at,
    proposedSupport: input.outcome.proposedSupport ?? [],
    ...(input.outcome.followUpDate === undefined ? {} : { followUpDate: input.outcome.followUpDate }),
    startIndividuelltBarnteam: input.outcome.startIndividuelltBarnteam ?? false,
  });
  if (!parsed.success) {
    return { outcome: 'refused', cause: 'invalidInput', message: outcomeMessages.invalid };
  }
  const outcome = parsed.data;
  if (outcome.followUpDate !== undefined && outcome.followUpDate <= toStockholmDate(input.at)) {
    return { outcome: 'refused', cause: 'invalidInput', message: outcomeMessages.followUpPassed };
  }
  const result = await writeCaseRecord(deps, {
    caseId: input.caseId,
    actorId: input.actor.userId,
    unitId: meeting.unitId,
    at: input.at,
    action: outcome.startIndividuelltBarnteam ? 'startaIndividuelltBarnteam' : 'registreraBarnteamUtfall',
    purpose: 'Barnteamets förslag registreras i ärendet för Barnkontakten; inget delas utanför ärendet.',
    already: (caseValue) => (hasSameOutcome(caseValue, outcome) ? outcomeMessages.already : undefined),
    build: (caseValue) => buildOutcome(caseValue, outcome, input.actor.userId),
    isStored: (caseValue) => hasSameOutcome(caseValue, outcome),
  });
  if (result.outcome === 'applied' || result.outcome === 'alreadyApplied') {
    await scheduleFollowUp(deps, result.caseValue.value, outcome);
  }
  return result;
}

function buildOutcome(caseValue: Case, outcome: BarnteamOutcome, actorId: string): Case {
  // The convener leads the case as its Barnkontakt: the one the transition table lets act.
  const decision = authorize(caseValue, actorId, 'startaIndividuelltBarnteam');
  if (!decision.allowed) {
    throw new DomainError('transitionRefused', decision.reason);
  }
  const started = outcome.startIndividuelltBarnteam
    ? applyTransition(caseValue, { event: 'startaIndividuelltBarnteam', actor: actorId, at: outcome.at })
    : caseValue;
  const { barnteamUtfall } = readBarnteamRecords(caseValue);
  return {
    ...started,
    barnteamUtfall: [...barnteamUtfall.filter((item) => item.meetingId !== outcome.meetingId), outcome],
    chronology: [...started.chronology, { at: outcome.at, by: actorId, event: 'barnteamUtfallRegistrerat' }],
    updatedAt: outcome.at,
  } as Case;
}

function hasSameOutcome(caseValue: Case, outcome: BarnteamOutcome): boolean {
  const stored = readBarnteamRecords(caseValue).barnteamUtfall.find(
    (item) => item.meetingId === outcome.meetingId,
  );
  if (stored === undefined) return false;
  const { at: _storedAt, ...storedContent } = stored;
  const { at: _newAt, ...newContent } = outcome;
  return JSON.stringify(storedContent) === JSON.stringify(newContent);
}

export function toBarnteamFollowUpReminderId(caseId: string, meetingId: string, date: CalendarDate): string {
  return `${caseId}:uppfoljningBarnteam:${meetingId}:${date}`;
}

async function scheduleFollowUp(
  deps: FlowDependencies,
  caseValue: Case,
  outcome: BarnteamOutcome,
): Promise<void> {
  for (const item of await deps.stores.reminders.listForCase(caseValue.id)) {
    const reminder = item.value;
    if (
      reminder.kind !== barnteamFollowUpReminderKind ||
      reminder.status !== 'scheduled' ||
      reminder.data.meetingId !== outcome.meetingId ||
      reminder.data.followUpDate === outcome.followUpDate
    ) {
      continue;
    }
    try {
      await deps.stores.reminders.replace({ ...reminder, status: 'cancelled' }, item.etag);
    } catch (error) {
      if (!isDomainError(error, 'concurrencyConflict') && !isDomainError(error, 'notFound')) throw error;
    }
  }
  if (outcome.followUpDate === undefined) return;
  const reminder: Reminder = {
    id: toBarnteamFollowUpReminderId(caseValue.id, outcome.meetingId, outcome.followUpDate),
    kind: barnteamFollowUpReminderKind,
    caseId: caseValue.id,
    dueAt: computeMorningOf(outcome.followUpDate, deps.directory.workingTime),
    status: 'scheduled',
    data: { meetingId: outcome.meetingId, followUpDate: outcome.followUpDate },
    createdAt: outcome.at,
  };
  await deps.stores.reminders.schedule(reminder);
}

/**
 * The sweeper's handler for `uppfoljningBarnteam`: tells the case's Barnkontakt that the
 * follow-up date has come, unless the consent was withdrawn or the latest outcome of that meeting
 * no longer names this date. Idempotent: the notice id is derived from the reminder.
 */
export async function handleBarnteamFollowUp(
  deps: FlowDependencies,
  reminder: Reminder,
): Promise<'sent' | 'silent'> {
  const { meetingId, followUpDate } = reminder.data;
  if (reminder.caseId === undefined || typeof meetingId !== 'string' || typeof followUpDate !== 'string') {
    return 'silent';
  }
  const stored = await deps.stores.cases.get(reminder.caseId);
  if (stored === undefined || !hasValidConsent(stored.value, 'skriftligt')) return 'silent';
  const latest = readBarnteamRecords(stored.value).barnteamUtfall.find(
    (item) => item.meetingId === meetingId,
  );
  const barnkontakt = currentBarnkontakt(stored.value);
  if (latest?.followUpDate !== followUpDate || barnkontakt === undefined) return 'silent';
  await enqueueNotice(deps, {
    id: toNoticeId(stored.value.id, 'uppfoljningBarnteam', meetingId, followUpDate),
    kind: 'uppfoljningBarnteam',
    caseId: stored.value.id,
    recipientKey: barnkontakt.userId,
    data: { meetingId, followUpDate },
    at: nowInstant(deps.clock),
  });
  return 'sent';
}
