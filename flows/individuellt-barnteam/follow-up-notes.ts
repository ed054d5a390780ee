/**
 * Use case: a note on one follow-up of the compass in Barnets plan, written from the channel tab
 * by a member of the team ("what we saw at the follow-up"). A note is added, never edited: the
 * plan is a record of how the support went. Nothing is posted to the channel: a note is the
 * plan's content, and the channel carries status only.
 */
import type { CaseCommandResult } from '../kernel/case-command.js';
import type { FlowDependencies } from '../kernel/case-effects.js';
import { DomainError } from '../kernel/errors.js';
import { followUpNoteMax } from '../kernel/records/plan.js';
import { type PlanCommandBase, readPlanText, runPlanCommand } from './plan-command.js';

export const followUpNoteMessages = {
  textMissing: 'Skriv anteckningen.',
  unknownFollowUp: 'Uppföljningen finns inte (längre) i planen.',
  already: 'Anteckningen är redan sparad.',
} as const;

export async function addFollowUpNote(
  deps: FlowDependencies,
  input: PlanCommandBase & { readonly followUpNo: number; readonly text?: string },
): Promise<CaseCommandResult> {
  const text = input.text?.trim() ?? '';
  return runPlanCommand(deps, input, {
    action: 'antecknaUppfoljning',
    alreadyMessage: followUpNoteMessages.already,
    hasApplied: (caseValue) =>
      caseValue.barnetsPlan?.compassFollowUps.some(
        (followUp) =>
          followUp.followUpNo === input.followUpNo &&
          (followUp.notes ?? []).some((note) => note.by === input.actor.userId && note.text === text),
      ) === true,
    change: (plan) => {
      const noteText = readPlanText(input.text, 'text', followUpNoteMessages.textMissing, followUpNoteMax);
      if (!plan.compassFollowUps.some((followUp) => followUp.followUpNo === input.followUpNo)) {
        throw new DomainError('invalidInput', followUpNoteMessages.unknownFollowUp, { field: 'followUpNo' });
      }
      const note = { text: noteText, by: input.actor.userId, byName: input.actor.displayName, at: input.at };
      return {
        ...plan,
        compassFollowUps: plan.compassFollowUps.map((followUp) =>
          followUp.followUpNo === input.followUpNo
            ? { ...followUp, notes: [...(followUp.notes ?? []), note] }
            : followUp,
        ),
      };
    },
  });
}
