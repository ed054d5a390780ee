/**
 * Use case: step 8, "Barnets behov är uppfyllt" — the case is closed. Two doors lead here:
 * - the Barnkontakt's Beslut after the talks (state `samtal`, event `beslutaBehovUppfyllt`);
 * - whoever leads the support (access.ts `markeraBehovUppfyllt`: the Stödsamordnare, the
 *   Barnkontakt) from Barnets plan, or from support in the own organisation or Barnteam.
 * Either way the case moves through the transition table to `behovUppfyllt` and then `avsluta`
 * to `avslutad`, in one write, so the chronology holds both events (the follow-up figures count
 * `behovUppfyllt` from it).
 *
 * What the write holds:
 * - the decision as a Beslut (`behovUppfyllt`) with the four guiding-principle answers;
 * - the closing Behovskompass (the child's, the guardian's, the team's): the plan's last
 *   follow-up when the case has a plan, otherwise on the Beslut (`closingCompass`);
 * - the plan's open actions, marked as ended by the closing (`closedWithCaseAt`), not done.
 * Committed with it (deterministic ids, so a repeat enqueues nothing new): a notice to every
 * Upptäckare of the case that it is closed, never why; and, when the case has an Individuellt
 * barnteam, one last status post in its channel and the end of the members' channel access.
 * After the write every scheduled reminder of the case is cancelled; a repeat cancels again,
 * which repairs a crash in between, and a reminder firing meanwhile finds the case closed.
 */
import {
  buildChannelMembersReminder,
  buildTeamkanalPost,
  compassMessages,
  readCompassSets,
  withCompassFollowUp,
} from '../individuellt-barnteam/index.js';
import { authorize, isRoleActive } from '../kernel/access.js';
import { beslutNoteTooLong, readBeslutBasis } from '../kernel/beslut-input.js';
import type { Case, Instant } from '../kernel/case.js';
import { type CaseCommandResult, runCaseCommand } from '../kernel/case-command.js';
import { type Actor, type FlowDependencies, toNoticeId } from '../kernel/case-effects.js';
import { cancelCaseReminders } from '../kernel/case-reminders.js';
import { DomainError } from '../kernel/errors.js';
import type { PrincipleAnswersInput } from '../kernel/guiding-principles.js';
import { buildNoticeMessage } from '../kernel/notices.js';
import type { CaseEffects, OutboxMessage, Reminder } from '../kernel/ports.js';
import { type Beslut, ZBeslut } from '../kernel/records/beslut.js';
import { type BarnetsPlan, type CompassRater, isActionOpen } from '../kernel/records/plan.js';
import { applyTransition, type CaseEvent } from '../kernel/transitions.js';

export interface CloseCaseInput {
  readonly caseId: string;
  /** The version (ETag) the card was rendered from. */
  readonly etag: string;
  /** From the activity, never from card data. */
  readonly actor: Actor;
  /** The four guiding-principle questions; all four must be answered. */
  readonly principles: PrincipleAnswersInput;
  /** The closing Behovskompass per rater, as the card sends it ("1"…"5" or "vetEj"). */
  readonly ratings: Partial<Record<CompassRater, Readonly<Record<string, string | undefined>>>>;
  readonly note?: string;
  readonly at: Instant;
}

export type CloseCaseResult =
  | (Extract<CaseCommandResult, { outcome: 'applied' | 'alreadyApplied' }> & {
      /** Reminders of the case this call cancelled (a repeat finds none left). */
      readonly cancelledReminderIds: readonly string[];
    })
  | Extract<CaseCommandResult, { outcome: 'stale' | 'refused' }>;

export const closeMessages = {
  already: 'Ärendet är redan avslutat: barnets behov är uppfyllt.',
  noteTooLong: beslutNoteTooLong,
} as const;

/** The event that leads to `behovUppfyllt` from where the case is: a Beslut after the talks, or the support's end. */
export function toClosingEvent(
  caseValue: Case,
): CaseEvent & ('beslutaBehovUppfyllt' | 'markeraBehovUppfyllt') {
  return caseValue.state === 'samtal' ? 'beslutaBehovUppfyllt' : 'markeraBehovUppfyllt';
}

/**
 * Closes the case, audited, conditional on the card's version.
 *
 * @returns `refused` with cause `invalidInput` (field `principles`, `note`, `ratings` or
 *   `<rater>_<area>`), `transitionRefused` (the state allows no closing, with the table's
 *   reason) or `accessDenied`; `stale` with the case as it is now; `alreadyApplied` when it was
 *   already closed and the actor may still read it.
 * @throws DomainError('notFound') for an unknown case; any error of the audit log or the stores.
 */
export async function closeCase(deps: FlowDependencies, input: CloseCaseInput): Promise<CloseCaseResult> {
  const current = await deps.stores.cases.get(input.caseId);
  const event = current === undefined ? 'markeraBehovUppfyllt' : toClosingEvent(current.value);
  const result = await runCaseCommand(deps, {
    caseId: input.caseId,
    etag: input.etag,
    actorId: input.actor.userId,
    action: event,
    at: input.at,
    alreadyMessage: closeMessages.already,
    // Whoever closed it, a second click or a colleague's stale card learns the truth: it is closed.
    hasApplied: (caseValue) =>
      caseValue.state === 'avslutad' &&
      caseValue.chronology.some(
        (entry) => entry.event === 'beslutaBehovUppfyllt' || entry.event === 'markeraBehovUppfyllt',
      ) &&
      authorize(caseValue, input.actor.userId, 'lasArende').allowed,
    build: (caseValue) => buildClosed(caseValue, input),
    effects: (closed) => collectClosingEffects(closed),
  });
  if (result.outcome !== 'applied' && result.outcome !== 'alreadyApplied') return result;
  const cancelledReminderIds = await cancelCaseReminders(deps, input.caseId);
  return { ...result, cancelledReminderIds };
}

function buildClosed(caseValue: Case, input: CloseCaseInput): Case {
  const { principles, note } = readBeslutBasis(input);
  const sets = readCompassSets(input.ratings);
  // The same refusal as the plan's own follow-up, with or without a plan.
  if (sets.length === 0)
    throw new DomainError('invalidInput', compassMessages.noneRated, { field: 'ratings' });
  const plan = caseValue.barnetsPlan;
  const actor = input.actor.userId;
  // Refuses here, with the table's own reason, when the state allows no closing.
  const met = applyTransition(caseValue, { event: toClosingEvent(caseValue), actor, at: input.at });
  const closed = applyTransition(met, { event: 'avsluta', actor, at: input.at });
  const closedPlan =
    plan === undefined
      ? undefined
      : closeOpenActions(withCompassFollowUp(plan, sets, { by: actor, at: input.at }), input);
  const beslut: Beslut = ZBeslut.parse({
    beslutNo: (caseValue.beslut?.length ?? 0) + 1,
    decision: 'behovUppfyllt',
    principles,
    ...(note === undefined ? {} : { note }),
    ...(closedPlan === undefined ? { closingCompass: sets } : {}),
    decidedBy: actor,
    decidedAt: input.at,
  });
  return {
    ...closed,
    beslut: [...(caseValue.beslut ?? []), beslut],
    ...(closedPlan === undefined ? {} : { barnetsPlan: closedPlan }),
  };
}

/** Actions still planned or under way end with the case: cancelled by the closing, never "done". */
function closeOpenActions(plan: BarnetsPlan, input: CloseCaseInput): BarnetsPlan {
  return {
    ...plan,
    actions: plan.actions.map((action) =>
      isActionOpen(action.status)
        ? {
            ...action,
            status: 'installd',
            statusChangedAt: input.at,
            statusChangedBy: input.actor.userId,
            closedWithCaseAt: input.at,
          }
        : action,
    ),
  };
}

/** The instant the case was closed: its `avsluta` entry. */
export function findClosedAt(caseValue: Case): Instant | undefined {
  return caseValue.chronology.findLast((entry) => entry.event === 'avsluta')?.at;
}

/**
 * What the closing causes, derived from the closed case alone so that a repeat gives the same
 * ids: one notice per Upptäckare (the first card's and every added card's), not to whoever
 * closed it; the team's last post and the end of the members' channel access.
 */
export function collectClosingEffects(caseValue: Case): CaseEffects {
  const at = findClosedAt(caseValue);
  const outbox: OutboxMessage[] = [];
  const reminders: Reminder[] = [];
  if (at === undefined) return { outbox, reminders };
  const closedBy = caseValue.chronology.findLast((entry) => entry.event === 'avsluta')?.by;
  const upptackare = new Set(
    caseValue.roles
      .filter((role) => role.role === 'upptackare' && isRoleActive(role) && role.userId !== closedBy)
      .map((role) => role.userId),
  );
  for (const userId of upptackare) {
    outbox.push(
      buildNoticeMessage({
        id: toNoticeId(caseValue.id, 'arendeAvslutat', userId),
        kind: 'arendeAvslutat',
        caseId: caseValue.id,
        recipientKey: userId,
        data: { at },
        at,
      }),
    );
  }
  if (caseValue.individuelltBarnteam !== undefined) {
    outbox.push(buildTeamkanalPost(caseValue.id, 'arendetAvslutat', at));
    reminders.push(buildChannelMembersReminder(caseValue.id, 'avslutat', at));
  }
  return { outbox, reminders };
}
