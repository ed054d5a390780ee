/**
 * Use case: the family withdraws its consent ("Samtycket återkallas"). Consent can be withdrawn
 * at any step (docs/domain.md); the process then stops and nothing more is shared. Anyone with a role
 * in the case may record it: the family may tell whoever they meet, and recording that must
 * never be harder than that (`access.ts`).
 *
 * Unlike the other actions, a withdrawal does not wait for a current card: what the family said
 * holds whatever changed in the case meanwhile, so it applies to the case as it is now.
 *
 * What stops, and where:
 * - the case moves to `samtyckeAterkallat` (`aterkallaSamtycke` in the transition table) and
 *   every consent in force gets its withdrawal; no transition leads out of that state;
 * - the case's scheduled reminders (chases, follow-ups, meeting reminders filed under the case)
 *   are cancelled here;
 * - queued notices are not touched here: the notice renderer drops every notice of a case whose
 *   consent is withdrawn at delivery time (bot/notice-renderer.ts, `consentWithdrawn`), which
 *   also covers a notice enqueued by a use case racing this one;
 * - the child's items on coming Barnteam meetings are returned, for the booking code to take
 *   off the agenda and update the calendar event;
 * - an Individuellt barnteam ends in the same write: its members' roles end, and its channel
 *   gets one last post without details (`teametAvslutat`), committed with the case.
 */

import { collectTeamEndEffects, endTeamOnWithdrawal } from '../individuellt-barnteam/index.js';
import { authorize } from '../kernel/access.js';
import type { Case, ConsentGiver, Instant } from '../kernel/case.js';
import { type CaseCommandResult, runCaseCommand } from '../kernel/case-command.js';
import type { Actor, FlowDependencies } from '../kernel/case-effects.js';
import { cancelCaseReminders } from '../kernel/case-reminders.js';
import { DomainError } from '../kernel/errors.js';
import { applyTransition, guards } from '../kernel/transitions.js';

export interface WithdrawConsentInput {
  readonly caseId: string;
  /** From the activity, never from card data. */
  readonly actor: Actor;
  readonly withdrawnBy: ConsentGiver;
  readonly at: Instant;
  /** Free text by staff; never logged, never in a notice. */
  readonly note?: string;
}

/** One child's item on one Barnteam meeting's agenda. */
export interface AgendaItemRef {
  readonly meetingId: string;
  readonly caseId: string;
}

export type WithdrawConsentResult =
  | (Extract<CaseCommandResult, { outcome: 'applied' | 'alreadyApplied' }> & {
      /** Reminders of the case this call cancelled (a repeat finds none left to cancel). */
      readonly cancelledReminderIds: readonly string[];
      /** Items to take off coming meetings' agendas. */
      readonly agendaItemsToRemove: readonly AgendaItemRef[];
    })
  | Extract<CaseCommandResult, { outcome: 'stale' | 'refused' }>;

export const withdrawMessages = {
  already: 'Samtycket är redan återkallat och ärendet är stoppat.',
  noteTooLong: 'Anteckningen får vara högst 2000 tecken.',
} as const;

/**
 * Records the withdrawal, audited, then cancels the case's reminders and lists its agenda items
 * on coming Barnteam meetings. A repeat (another click, another staff member told the same)
 * answers `alreadyApplied` and runs the cancellations again, which repairs a crash after the write.
 *
 * @throws DomainError('notFound') for an unknown case; any error of the audit log or the stores.
 */
export async function withdrawConsent(
  deps: FlowDependencies,
  input: WithdrawConsentInput,
): Promise<WithdrawConsentResult> {
  const result = await runCaseCommand(deps, {
    caseId: input.caseId,
    actorId: input.actor.userId,
    action: 'aterkallaSamtycke',
    at: input.at,
    alreadyMessage: withdrawMessages.already,
    hasApplied: (caseValue) => isWithdrawn(caseValue, input),
    build: (caseValue) => {
      const note = input.note?.trim();
      if (note !== undefined && note.length > 2000) {
        throw new DomainError('invalidInput', withdrawMessages.noteTooLong, { field: 'note' });
      }
      const stopped = applyTransition(caseValue, {
        event: 'aterkallaSamtycke',
        actor: input.actor.userId,
        at: input.at,
        withdrawnBy: input.withdrawnBy,
        ...(note ? { note } : {}),
      });
      return endTeamOnWithdrawal(stopped, { actor: input.actor.userId, at: input.at });
    },
    // The Individuellt barnteam's channel gets one last post without details, with the write.
    effects: (stopped) => collectTeamEndEffects(stopped),
  });
  if (result.outcome !== 'applied' && result.outcome !== 'alreadyApplied') {
    return result;
  }
  const cancelledReminderIds = await cancelCaseReminders(deps, input.caseId);
  const agendaItemsToRemove = await findComingAgendaItems(deps, input.caseId, input.at);
  return { ...result, cancelledReminderIds, agendaItemsToRemove };
}

/** The refusal a user sees when the withdrawal names nobody (the transition's own guard). */
export const withdrawnByMissingMessage = guards.vemAterkallarAngivet.reason;

function isWithdrawn(caseValue: Case, input: WithdrawConsentInput): boolean {
  // Only someone who may still read the case learns that it was already stopped.
  return (
    caseValue.state === 'samtyckeAterkallat' && authorize(caseValue, input.actor.userId, 'lasArende').allowed
  );
}

/** The case's items on meetings that have not ended, were not cancelled and still list it. */
async function findComingAgendaItems(
  deps: FlowDependencies,
  caseId: string,
  at: Instant,
): Promise<AgendaItemRef[]> {
  const meetings = await deps.stores.meetings.listForCase(caseId);
  return meetings
    .map((item) => item.value)
    .filter(
      (meeting) =>
        meeting.state !== 'cancelled' && meeting.state !== 'held' && Date.parse(meeting.end) > Date.parse(at),
    )
    .filter((meeting) =>
      meeting.agenda.some((entry) => entry.caseId === caseId && entry.removedAt === undefined),
    )
    .map((meeting) => ({ meetingId: meeting.id, caseId }));
}
