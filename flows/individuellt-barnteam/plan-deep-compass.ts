/**
 * Use case: the team's joint ratings in the Fördjupad behovskompass, one per sub-area of the
 * municipality's catalogue (`deep-compass-catalogue.ts`). Only sub-areas the catalogue names are
 * accepted, so a rating always means what the material the team used says; the catalogue's
 * version is kept in the chronology entry, since the material may change between follow-ups.
 * A later rating of a sub-area is added, not overwritten: the ratings over time show the effect.
 * The team rates together, so any member with a role in the plan may record it
 * (`skattaFordjupadBehovskompass`), not only the plan's owner.
 */
import type { CaseCommandResult } from '../kernel/case-command.js';
import type { FlowDependencies } from '../kernel/case-effects.js';
import { DomainError } from '../kernel/errors.js';
import type { DeepCompassRating } from '../kernel/records/plan.js';
import { ZSkattningValue } from '../kernel/skattning.js';
import { type DeepCompassCatalogue, findDeepCompassSubArea } from './deep-compass-catalogue.js';
import { type PlanCommandBase, runPlanCommand } from './plan-command.js';

export const deepCompassMessages = {
  none: 'Skatta minst ett delområde.',
  unknownSubArea: 'Delområdet finns inte i kommunens katalog för Fördjupad behovskompass.',
  invalid: 'Välj en skattning från 1 till 5, eller Vet ej.',
  already: 'Skattningen är redan registrerad.',
} as const;

export async function recordDeepCompass(
  deps: FlowDependencies,
  catalogue: DeepCompassCatalogue,
  input: PlanCommandBase & { readonly ratings: Readonly<Record<string, string | undefined>> },
): Promise<CaseCommandResult> {
  const read = (): DeepCompassRating[] =>
    Object.entries(input.ratings)
      .filter(([, value]) => value !== undefined && value !== '')
      .map(([subAreaId, value]) => {
        if (findDeepCompassSubArea(catalogue, subAreaId) === undefined) {
          throw new DomainError('invalidInput', deepCompassMessages.unknownSubArea, { field: subAreaId });
        }
        const rating = ZSkattningValue.safeParse(value === 'vetEj' ? value : Number(value));
        if (!rating.success)
          throw new DomainError('invalidInput', deepCompassMessages.invalid, { field: subAreaId });
        return { subAreaId, rating: rating.data, recordedBy: input.actor.userId, recordedAt: input.at };
      });
  return runPlanCommand(deps, input, {
    action: 'skattaFordjupadBehovskompass',
    alreadyMessage: deepCompassMessages.already,
    // Asked only when the card was not current (or another write won). A second click or a
    // redelivered invoke has its own `at`, from the bot's clock, so the test is on what was
    // rated: the actor's latest save holding exactly these ratings is this save.
    hasApplied: (caseValue) => {
      try {
        return isLatestSaveOf(caseValue.barnetsPlan?.deepCompass ?? [], input.actor.userId, read());
      } catch {
        return false;
      }
    },
    change: (plan) => {
      const ratings = read();
      if (ratings.length === 0)
        throw new DomainError('invalidInput', deepCompassMessages.none, { field: 'ratings' });
      return { ...plan, deepCompass: [...(plan.deepCompass ?? []), ...ratings] };
    },
    finish: (caseValue) => ({
      ...caseValue,
      chronology: [
        ...caseValue.chronology,
        {
          at: input.at,
          by: input.actor.userId,
          event: 'fordjupadBehovskompassRegistrerad',
          note: `Katalog: ${catalogue.version}${catalogue.example ? ' (exempel)' : ''}`,
        },
      ],
    }),
  });
}

function isLatestSaveOf(
  recorded: readonly DeepCompassRating[],
  actorId: string,
  submitted: readonly DeepCompassRating[],
): boolean {
  const own = recorded.filter((item) => item.recordedBy === actorId);
  const lastAt = own.at(-1)?.recordedAt;
  if (lastAt === undefined || submitted.length === 0) return false;
  const key = (item: DeepCompassRating) => `${item.subAreaId}=${String(item.rating)}`;
  const latest = own
    .filter((item) => item.recordedAt === lastAt)
    .map(key)
    .sort();
  return JSON.stringify(latest) === JSON.stringify(submitted.map(key).sort());
}
