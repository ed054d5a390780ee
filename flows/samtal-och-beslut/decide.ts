/**
 * Use case: the Barnkontakt's Beslut after the talks (step 4): stöd i egen verksamhet (with a
 * follow-up date), lyft till Barnteam (needs the written consent: the transition table's guard
 * refuses without it, and its Swedish reason is what the user sees), orosanmälan, or barnets
 * behov är uppfyllt. The four guiding-principle questions are answered with every decision and
 * stored with it (`beslut[]`), so the record shows how the principles were weighed.
 *
 * The Upptäckare hears that a decision was made, never which: the decision concerns the family
 * and is shared with others only with their consent.
 */
import type { CaseAction } from '../kernel/access.js';
import { currentBarnkontakt } from '../kernel/access.js';
import { beslutNoteTooLong, readBeslutBasis } from '../kernel/beslut-input.js';
import type { Case, Instant } from '../kernel/case.js';
import { type CaseCommandResult, runCaseCommand } from '../kernel/case-command.js';
import {
  type Actor,
  appendAudit,
  enqueueNotice,
  type FlowDependencies,
  findUpptackare,
  nowInstant,
  reminderKinds,
  toNoticeId,
} from '../kernel/case-effects.js';
import { findContact } from '../kernel/directory.js';
import { DomainError, isDomainError } from '../kernel/errors.js';
import type { PrincipleAnswersInput } from '../kernel/guiding-principles.js';
import { buildNoticeMessage } from '../kernel/notices.js';
import type { CaseEffects, OutboxMessage, Reminder } from '../kernel/ports.js';
import { type Beslut, type BeslutKind, ZBeslut } from '../kernel/records/beslut.js';
import { computeMorningOf, followUpAheadMonths } from '../kernel/reminder-times.js';
import { addMonthsToDate } from '../kernel/stockholm-date.js';
import { applyTransition, type CaseEvent } from '../kernel/transitions.js';
import { ZCalendarDate } from '../kernel/value-types.js';
import { toStockholmDate } from '../kernel/working-time.js';

/** The reminder kind of a Beslut's follow-up date; the sweeper maps it to `followUpDecision`. */
export const decisionFollowUpReminderKind = 'foljUppBeslut';

export const decisionEvents = {
  stodIEgenVerksamhet: 'beslutaStodIEgenVerksamhet',
  barnteam: 'beslutaBarnteam',
  orosanmalan: 'beslutaOrosanmalan',
  behovUppfyllt: 'beslutaBehovUppfyllt',
} as const satisfies Record<BeslutKind, CaseEvent & CaseAction>;

export interface DecideInput {
  readonly caseId: string;
  /** The version (ETag) the decision card was rendered from. */
  readonly etag: string;
  /** From the activity, never from card data. */
  readonly actor: Actor;
  readonly decision: BeslutKind;
  /** The four guiding-principle questions; all four must be answered. */
  readonly principles: PrincipleAnswersInput;
  readonly note?: string;
  /** Required for `stodIEgenVerksamhet`: a date after today, at most 12 months ahead. */
  readonly followUpDate?: string;
  readonly at: Instant;
}

export const decideMessages = {
  followUpMissing: 'Ange när stödet i egen verksamhet ska följas upp.',
  followUpInvalid: 'Ange uppföljningsdatumet som ÅÅÅÅ-MM-DD.',
  followUpNotFuture: 'Uppföljningsdatumet måste ligga efter i dag.',
  followUpTooFar: `Uppföljningsdatumet får ligga högst ${followUpAheadMonths} månader fram.`,
  noteTooLong: beslutNoteTooLong,
  already: 'Beslutet är redan registrerat.',
} as const;

const orosanmalanPurpose =
  'Orosanmälan enligt anmälningsskyldigheten; socialtjänstens mottagning behöver Upptäckarkortet för sin bedömning.';

/**
 * Records the decision, audited, conditional on the card's version, then: tells the Upptäckare
 * that a decision was made; for stöd i egen verksamhet schedules the follow-up reminder (and
 * cancels earlier follow-ups of the case); for orosanmälan sends it to social services' intake
 * with the Upptäckarkort attached.
 *
 * @returns `refused` with cause `invalidInput` (field `principles`, `followUpDate` or `note`),
 *   `transitionRefused` (e.g. Barnteam without written consent, with the guard's reason) or
 *   `accessDenied` (anyone but the Barnkontakt or the acting deputy).
 * @throws DomainError('notFound') for an unknown case; any error of the audit log or the stores.
 */
export async function decide(deps: FlowDependencies, input: DecideInput): Promise<CaseCommandResult> {
  const event = decisionEvents[input.decision];
  const result = await runCaseCommand(deps, {
    caseId: input.caseId,
    etag: input.etag,
    actorId: input.actor.userId,
    action: event,
    at: input.at,
    alreadyMessage: decideMessages.already,
    ...(input.decision === 'orosanmalan' ? { purpose: orosanmalanPurpose } : {}),
    hasApplied: (caseValue) => {
      const latest = caseValue.beslut?.at(-1);
      return latest?.decidedBy === input.actor.userId && latest.decision === input.decision;
    },
    build: (caseValue) => buildDecided(deps, caseValue, input, event),
    effects: (decided) => collectDecisionEffects(deps, decided),
  });
  if (result.outcome === 'applied' || result.outcome === 'alreadyApplied') {
    const latest = result.caseValue.value.beslut?.at(-1);
    if (latest !== undefined) await cancelEarlierFollowUps(deps, result.caseValue.value.id, latest.beslutNo);
  }
  return result;
}

function buildDecided(deps: FlowDependencies, caseValue: Case, input: DecideInput, event: CaseEvent): Case {
  const { principles, note } = readBeslutBasis(input);
  const followUpDate =
    input.decision === 'stodIEgenVerksamhet' ? readFollowUpDate(input.followUpDate, input.at) : undefined;
  // The guards (the written consent before Barnteam) refuse here, with the table's own reason.
  const moved = applyTransition(caseValue, { event, actor: input.actor.userId, at: input.at });
  const beslut: Beslut = ZBeslut.parse({
    beslutNo: (caseValue.beslut?.length ?? 0) + 1,
    decision: input.decision,
    principles,
    ...(note === undefined ? {} : { note }),
    ...(followUpDate === undefined ? {} : { followUpDate }),
    decidedBy: input.actor.userId,
    decidedAt: input.at,
  });
  return {
    ...moved,
    beslut: [...(caseValue.beslut ?? []), beslut],
    ...(input.decision === 'orosanmalan'
      ? {
          orosanmalan: {
            cardAttached: caseValue.discovery !== undefined,
            intakeUnitId: deps.directory.socialServicesIntake.unit,
            sentAt: input.at,
          },
        }
      : {}),
  };
}

function readFollowUpDate(value: string | undefined, at: Instant): string {
  const text = value?.trim() ?? '';
  if (text === '') {
    throw new DomainError('invalidInput', decideMessages.followUpMissing, { field: 'followUpDate' });
  }
  if (!ZCalendarDate.safeParse(text).success) {
    throw new DomainError('invalidInput', decideMessages.followUpInvalid, { field: 'followUpDate' });
  }
  const today = toStockholmDate(at);
  if (text <= today) {
    throw new DomainError('invalidInput', decideMessages.followUpNotFuture, { field: 'followUpDate' });
  }
  if (text > addMonthsToDate(today, followUpAheadMonths)) {
    throw new DomainError('invalidInput', decideMessages.followUpTooFar, { field: 'followUpDate' });
  }
  return text;
}

export function toDecisionFollowUpReminderId(caseId: string, beslutNo: number): string {
  return `${caseId}:beslut:${beslutNo}:uppfoljning`;
}

/**
 * What the latest decision causes, derived from the case alone so that a repeat gives the same
 * ids (nothing new) and the effects can be committed with the decision.
 */
function collectDecisionEffects(deps: FlowDependencies, caseValue: Case): CaseEffects {
  const beslut = caseValue.beslut?.at(-1);
  const outbox: OutboxMessage[] = [];
  const reminders: Reminder[] = [];
  if (beslut === undefined) return { outbox, reminders };
  const at = beslut.decidedAt;
  const upptackare = findUpptackare(caseValue);
  if (upptackare !== undefined && upptackare.userId !== beslut.decidedBy) {
    outbox.push(
      buildNoticeMessage({
        id: toNoticeId(caseValue.id, 'beslutFattat', beslut.beslutNo),
        kind: 'beslutFattat',
        caseId: caseValue.id,
        recipientKey: upptackare.userId,
        data: { beslutNo: beslut.beslutNo, at },
        at,
      }),
    );
  }
  if (beslut.decision === 'stodIEgenVerksamhet' && beslut.followUpDate !== undefined) {
    reminders.push({
      id: toDecisionFollowUpReminderId(caseValue.id, beslut.beslutNo),
      kind: decisionFollowUpReminderKind,
      caseId: caseValue.id,
      dueAt: computeMorningOf(beslut.followUpDate, deps.directory.workingTime),
      status: 'scheduled',
      data: { beslutNo: beslut.beslutNo, followUpDate: beslut.followUpDate },
      createdAt: at,
    });
  }
  if (beslut.decision === 'orosanmalan') {
    const intake = deps.directory.socialServicesIntake;
    for (const contactId of intake.contacts) {
      const contact = findContact(deps.directory, contactId);
      if (contact === undefined) continue;
      outbox.push(
        buildNoticeMessage({
          id: toNoticeId(caseValue.id, 'orosanmalan', beslut.beslutNo, contact.aadObjectId),
          kind: 'orosanmalan',
          caseId: caseValue.id,
          recipientKey: contact.aadObjectId,
          data: { intakeUnitId: intake.unit, cardAttached: caseValue.orosanmalan?.cardAttached ?? false },
          at,
        }),
      );
    }
  }
  return { outbox, reminders };
}

/**
 * A new decision replaces the follow-up of an earlier one, and of the Upptäckare's own choice of
 * stöd i egen verksamhet: otherwise an old date would remind someone of support that has moved on.
 */
async function cancelEarlierFollowUps(
  deps: FlowDependencies,
  caseId: string,
  beslutNo: number,
): Promise<void> {
  const keepId = toDecisionFollowUpReminderId(caseId, beslutNo);
  for (const item of await deps.stores.reminders.listForCase(caseId)) {
    const reminder = item.value;
    const isFollowUp =
      reminder.kind === decisionFollowUpReminderKind || reminder.kind === reminderKinds.foljUppEgenVerksamhet;
    if (!isFollowUp || reminder.status !== 'scheduled' || reminder.id === keepId) continue;
    try {
      await deps.stores.reminders.replace({ ...reminder, status: 'cancelled' }, item.etag);
    } catch (error) {
      if (!isDomainError(error, 'concurrencyConflict') && !isDomainError(error, 'notFound')) throw error;
    }
  }
}

/**
 * Handler of the reminder kind `foljUppBeslut`: the follow-up date of a Beslut om stöd i egen
 * verksamhet has come, and the Barnkontakt is reminded to hold an uppföljningssamtal. Nothing
 * when the case has moved on or a later decision replaced this one. Runs at least once; the
 * notice id is derived from the decision, so a repeat sends nothing new.
 *
 * @returns whether a reminder was enqueued.
 */
export async function followUpDecision(deps: FlowDependencies, reminder: Reminder): Promise<boolean> {
  const beslutNo = reminder.data.beslutNo;
  const followUpDate = ZCalendarDate.safeParse(reminder.data.followUpDate);
  if (reminder.caseId === undefined || typeof beslutNo !== 'number' || !followUpDate.success) return false;
  const stored = await deps.stores.cases.get(reminder.caseId);
  if (stored === undefined) return false;
  const caseValue = stored.value;
  if (caseValue.state !== 'stodIEgenVerksamhet' || caseValue.beslut?.at(-1)?.beslutNo !== beslutNo)
    return false;
  const barnkontakt = currentBarnkontakt(caseValue);
  if (barnkontakt === undefined) return false;
  const now = nowInstant(deps.clock);
  await appendAudit(deps, {
    at: now,
    actor: 'system',
    action: 'paminnaUppfoljningBeslut',
    caseId: caseValue.id,
    unitId: caseValue.unitId,
    outcome: 'allowed',
  });
  await enqueueNotice(deps, {
    id: toNoticeId(caseValue.id, 'uppfoljningBeslut', beslutNo),
    kind: 'uppfoljningBeslut',
    caseId: caseValue.id,
    recipientKey: barnkontakt.userId,
    data: { beslutNo, followUpDate: followUpDate.data },
    at: now,
  });
  return true;
}
