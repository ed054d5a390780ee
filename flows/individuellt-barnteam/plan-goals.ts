/**
 * Use cases: "Mina mål" and "Vem finns till för mig" in Barnets plan. A goal belongs to one area
 * of Behovskompassen and is written in the child's own words, with *Vad* and *Hur* kept apart
 * ("Så här ska vi nå mina mål", seeds/002). Changing a goal keeps its id, so actions that serve it
 * stay linked.
 */

import type { CaseCommandResult } from '../kernel/case-command.js';
import type { FlowDependencies } from '../kernel/case-effects.js';
import { type CompassAreaKey, ZCompassAreaKey } from '../kernel/compass.js';
import { DomainError } from '../kernel/errors.js';
import { type PlanGoal, ZCloseToMe } from '../kernel/records/plan.js';
import { type PlanCommandBase, readPlanText, runPlanCommand } from './plan-command.js';

export const goalMessages = {
  areaMissing: 'Välj vilket område i Behovskompassen målet gäller.',
  minMalMissing: 'Skriv målet med barnets egna ord.',
  vadMissing: 'Skriv vad som ska göras för att nå målet.',
  hurMissing: 'Skriv hur det ska göras.',
  unknownGoal: 'Målet finns inte (längre) i planen.',
  already: 'Målet är redan sparat.',
  closeMissing: 'Ange namn och relation till barnet.',
  closeAlready: 'Personen finns redan under Vem finns till för mig.',
} as const;

export interface SaveGoalInput extends PlanCommandBase {
  /** Absent for a new goal. */
  readonly goalId?: string;
  readonly area?: string;
  readonly minMal?: string;
  readonly vad?: string;
  readonly hur?: string;
}

/** Adds a goal, or changes the goal named by `goalId`. */
export async function saveGoal(deps: FlowDependencies, input: SaveGoalInput): Promise<CaseCommandResult> {
  const same = (goal: PlanGoal) =>
    goal.area === input.area &&
    goal.minMal === input.minMal?.trim() &&
    goal.vad === input.vad?.trim() &&
    goal.hur === input.hur?.trim();
  return runPlanCommand(deps, input, {
    alreadyMessage: goalMessages.already,
    hasApplied: (caseValue) => caseValue.barnetsPlan?.goals.some(same) === true,
    change: (plan) => {
      const area = ZCompassAreaKey.safeParse(input.area);
      if (!area.success) throw new DomainError('invalidInput', goalMessages.areaMissing, { field: 'area' });
      const text = {
        area: area.data as CompassAreaKey,
        minMal: readPlanText(input.minMal, 'minMal', goalMessages.minMalMissing),
        vad: readPlanText(input.vad, 'vad', goalMessages.vadMissing),
        hur: readPlanText(input.hur, 'hur', goalMessages.hurMissing),
      };
      if (input.goalId === undefined) {
        const goal: PlanGoal = {
          id: `mal-${plan.goals.length + 1}`,
          ...text,
          createdBy: input.actor.userId,
          createdAt: input.at,
          updatedAt: input.at,
        };
        return { ...plan, goals: [...plan.goals, goal] };
      }
      if (!plan.goals.some((goal) => goal.id === input.goalId)) {
        throw new DomainError('invalidInput', goalMessages.unknownGoal, { field: 'goalId' });
      }
      return {
        ...plan,
        goals: plan.goals.map((goal) =>
          goal.id === input.goalId ? { ...goal, ...text, updatedAt: input.at } : goal,
        ),
      };
    },
  });
}

/** Adds a person close to the child ("Vem finns till för mig"), with how close (1 nearest). */
export async function addCloseToMe(
  deps: FlowDependencies,
  input: PlanCommandBase & {
    readonly name?: string;
    readonly relation?: string;
    readonly closeness?: number;
  },
): Promise<CaseCommandResult> {
  const name = input.name?.trim() ?? '';
  return runPlanCommand(deps, input, {
    alreadyMessage: goalMessages.closeAlready,
    hasApplied: (caseValue) => caseValue.barnetsPlan?.closeToMe.some((item) => item.name === name) === true,
    change: (plan) => {
      const parsed = ZCloseToMe.safeParse({
        name,
        relation: input.relation,
        closeness: input.closeness ?? 1,
      });
      if (!parsed.success)
        throw new DomainError('invalidInput', goalMessages.closeMissing, { field: 'closeName' });
      if (plan.closeToMe.some((item) => item.name === parsed.data.name)) {
        throw new DomainError('invalidInput', goalMessages.closeAlready, { field: 'closeName' });
      }
      const closeToMe = [...plan.closeToMe, parsed.data].sort((a, b) => a.closeness - b.closeness);
      return { ...plan, closeToMe };
    },
  });
}
