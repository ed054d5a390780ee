/**
 * Use case: the plan's owner fastställer Barnets plan (`faststallPlan`: the case moves to
 * `planAktiv`), posted to the team's channel as `planFaststalld`. A plan is adopted when it says
 * something the child can recognise: at least one goal and one action.
 */
import type { CaseCommandResult } from '../kernel/case-command.js';
import type { FlowDependencies } from '../kernel/case-effects.js';
import { DomainError } from '../kernel/errors.js';
import { applyTransition } from '../kernel/transitions.js';
import { type PlanCommandBase, runPlanCommand } from './plan-command.js';
import { buildTeamkanalPost } from './team-effects.js';

export const adoptMessages = {
  empty: 'Planen behöver minst ett mål och en åtgärd innan den kan fastställas.',
  already: 'Barnets plan är redan fastställd.',
} as const;

export async function adoptPlan(deps: FlowDependencies, input: PlanCommandBase): Promise<CaseCommandResult> {
  return runPlanCommand(deps, input, {
    action: 'faststallPlan',
    alreadyMessage: adoptMessages.already,
    hasApplied: (caseValue) =>
      caseValue.barnetsPlan?.faststalld !== undefined && caseValue.state === 'planAktiv',
    change: (plan) => {
      if (plan.goals.length === 0 || plan.actions.length === 0) {
        throw new DomainError('invalidInput', adoptMessages.empty, { field: 'plan' });
      }
      return { ...plan, faststalld: { at: input.at, by: input.actor.userId } };
    },
    // The table refuses a plan that is already in force (or a case that has left the team's steps).
    finish: (caseValue) =>
      applyTransition(caseValue, { event: 'faststallPlan', actor: input.actor.userId, at: input.at }),
    effects: (next) => ({
      outbox: [
        buildTeamkanalPost(next.id, 'planFaststalld', next.barnetsPlan?.faststalld?.at ?? next.updatedAt),
      ],
      reminders: [],
    }),
  });
}
