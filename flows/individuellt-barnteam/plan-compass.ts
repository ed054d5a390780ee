/**
 * Use case: the compass ratings of Barnets plan over time — the child's, the guardian's and the
 * team's, on the eight areas and the product's one scale — at the plan's start and at each
 * follow-up, so that the effect of the support shows (seeds/000: "Behovskompassen används i
 * Barnets plan, både för bedömning och för att följa upp"). A follow-up is posted to the team's
 * channel as `uppfoljningRegistrerad` (status only).
 */

import type { Instant, UserId } from '../kernel/case.js';
import type { CaseCommandResult } from '../kernel/case-command.js';
import type { FlowDependencies } from '../kernel/case-effects.js';
import { compassAreaKeys } from '../kernel/compass.js';
import { DomainError } from '../kernel/errors.js';
import {
  type BarnetsPlan,
  type CompassFollowUp,
  type CompassRater,
  type CompassRatingSet,
  compassRaters,
  ZCompassFollowUp,
} from '../kernel/records/plan.js';
import { ZSkattningValue } from '../kernel/skattning.js';
import { type PlanCommandBase, runPlanCommand } from './plan-command.js';
import { buildTeamkanalPost } from './team-effects.js';

export const compassMessages = {
  noneRated: 'Fyll i skattningen för minst en av barnet, vårdnadshavare och teamet.',
  incomplete: 'Skatta alla åtta områden för den som skattar (välj ”Vet ej” där det inte går).',
  already: 'Skattningen är redan registrerad.',
} as const;

/** Per rater, the value of each area as the card sends it ("1"…"5" or "vetEj"); absent: did not rate. */
export type CompassFollowUpInput = PlanCommandBase & {
  readonly ratings: Partial<Record<CompassRater, Readonly<Record<string, string | undefined>>>>;
};

export async function recordCompassFollowUp(
  deps: FlowDependencies,
  input: CompassFollowUpInput,
): Promise<CaseCommandResult> {
  return runPlanCommand(deps, input, {
    alreadyMessage: compassMessages.already,
    hasApplied: (caseValue) => {
      const last = caseValue.barnetsPlan?.compassFollowUps.at(-1);
      if (last?.recordedBy !== input.actor.userId) return false;
      try {
        return JSON.stringify(last.sets) === JSON.stringify(readCompassSets(input.ratings));
      } catch {
        return false;
      }
    },
    // Read inside the command, so that an incomplete form is a refusal with its field, audited.
    change: (plan) =>
      withCompassFollowUp(plan, readCompassSets(input.ratings), { by: input.actor.userId, at: input.at }),
    effects: (next) => {
      const latest = next.barnetsPlan?.compassFollowUps.at(-1);
      return {
        outbox:
          latest === undefined
            ? []
            : [
                buildTeamkanalPost(
                  next.id,
                  'uppfoljningRegistrerad',
                  latest.recordedAt,
                  `uppfoljning-${latest.followUpNo}`,
                ),
              ],
        reminders: [],
      };
    },
  });
}

/**
 * The plan with one more compass occasion: the start when it is the first, a follow-up after.
 * The case's closing uses it too, so that the closing ratings are the plan's last follow-up.
 *
 * @throws DomainError('invalidInput', field `ratings`) when nobody rated.
 */
export function withCompassFollowUp(
  plan: BarnetsPlan,
  sets: readonly CompassRatingSet[],
  recorded: { readonly by: UserId; readonly at: Instant },
): BarnetsPlan {
  if (sets.length === 0)
    throw new DomainError('invalidInput', compassMessages.noneRated, { field: 'ratings' });
  const followUpNo = plan.compassFollowUps.length + 1;
  const followUp: CompassFollowUp = ZCompassFollowUp.parse({
    followUpNo,
    kind: followUpNo === 1 ? 'start' : 'uppfoljning',
    recordedBy: recorded.by,
    recordedAt: recorded.at,
    sets,
  });
  return { ...plan, compassFollowUps: [...plan.compassFollowUps, followUp] };
}

/**
 * The raters' ratings as the card sent them; a rater who left every area empty did not rate.
 *
 * @throws DomainError('invalidInput', field `<rater>_<area>`) when a rater left an area out.
 */
export function readCompassSets(ratings: CompassFollowUpInput['ratings']): CompassRatingSet[] {
  return compassRaters.flatMap((rater) => {
    const values = ratings[rater];
    if (values === undefined || Object.values(values).every((value) => (value ?? '') === '')) return [];
    const read = compassAreaKeys.map((key) => {
      const raw = values[key];
      const parsed = ZSkattningValue.safeParse(raw === 'vetEj' ? raw : Number(raw));
      if (raw === undefined || raw === '' || !parsed.success) {
        throw new DomainError('invalidInput', compassMessages.incomplete, { field: `${rater}_${key}` });
      }
      return { key, rating: parsed.data };
    });
    return [{ rater, ratings: read }];
  });
}
