/**
 * Barnsamtal och uppföljningssamtal (step 3 of the stödprocess): the Barnkontakt talks with the
 * child and the guardian with the Samtalsunderlag for the child's age, and records each
 * perspective per area of Behovskompassen: a rating on the product's one scale (the faces of
 * `skattning.ts`) and a comment, which the evaluation asked for ("behöver ett utrymme att skriva
 * kommentarer till varför skattningen ser ut som den gör", seeds/002).
 *
 * Schemas only, plus the choice of Samtalsunderlag and the comparison between talks: this module
 * is embedded in the case schema, so it must not import `case.ts`.
 */
import { z } from 'zod';
import { type CompassAreaKey, compassAreaKeys } from '../compass.js';
import { type SkattningAreaAnswer, type SkattningValue, ZSkattningAreaAnswer } from '../skattning.js';
import { completedYears } from '../stockholm-date.js';
import { type CalendarDate, ZCalendarDate, ZInstant, ZUserId } from '../value-types.js';

/** The three versions of Samtalsunderlag (seeds/000), named by the model's own age labels. */
export const samtalsunderlagVersions = ['4-6', '6-12', '12+'] as const;
export const ZSamtalsunderlagVersion = z.enum(samtalsunderlagVersions);
export type SamtalsunderlagVersion = z.infer<typeof ZSamtalsunderlagVersion>;

export const samtalsunderlagLabels: Readonly<Record<SamtalsunderlagVersion, string>> = {
  '4-6': 'Samtalsunderlag 4-6 år',
  '6-12': 'Samtalsunderlag 6-12 år',
  '12+': 'Samtalsunderlag 12 år och uppåt',
};

/** The youngest age (completed years) a Samtalsunderlag is written for. */
export const samtalsunderlagMinAge = 4;

export type SamtalsunderlagChoice =
  | { readonly version: SamtalsunderlagVersion; readonly ageYears: number; readonly reason: string }
  /** No version fits (younger than 4, or not born yet): the Barnkontakt must choose one. */
  | { readonly version: undefined; readonly ageYears: number; readonly reason: string };

/**
 * The Samtalsunderlag for the child's age on `today`, in completed years (a child born on
 * 29 February turns a year older on 1 March in a common year, see `completedYears`).
 *
 * The model's labels overlap at 6 and 12 ("4-6", "6-12", "12 och uppåt"); we read each label as
 * starting at its lower bound, so the child moves on to the next version on the birthday:
 * - 4–5 years → `4-6`
 * - 6–11 years → `6-12`
 * - 12 years and older → `12+`
 * - younger than 4 → none: there is no Samtalsunderlag for the youngest children; the talk is
 *   held with the guardian, and the Barnkontakt may still choose a version (`recordSamtal`'s
 *   override) when a child of 3 talks like a 4-year-old.
 */
export function chooseSamtalsunderlag(birthDate: CalendarDate, today: CalendarDate): SamtalsunderlagChoice {
  if (birthDate > today) {
    return {
      version: undefined,
      ageYears: 0,
      reason: 'Barnet är inte fött ännu: det finns inget Samtalsunderlag.',
    };
  }
  const ageYears = completedYears(birthDate, today);
  if (ageYears < samtalsunderlagMinAge) {
    return {
      version: undefined,
      ageYears,
      reason: `Barnet är ${ageYears} år: det finns inget Samtalsunderlag för barn under ${samtalsunderlagMinAge} år. Välj ett underlag om barnets mognad motiverar det.`,
    };
  }
  const version: SamtalsunderlagVersion = ageYears < 6 ? '4-6' : ageYears < 12 ? '6-12' : '12+';
  return {
    version,
    ageYears,
    reason: `Barnet är ${ageYears} år: ${samtalsunderlagLabels[version]}.`,
  };
}

export const samtalKinds = ['barnsamtal', 'uppfoljningssamtal'] as const;
export const ZSamtalKind = z.enum(samtalKinds);
export type SamtalKind = z.infer<typeof ZSamtalKind>;

export const samtalKindLabels: Readonly<Record<SamtalKind, string>> = {
  barnsamtal: 'Barnsamtal',
  uppfoljningssamtal: 'Uppföljningssamtal',
};

/** Whose view a perspective records. The follow-up figures count talks with each apart. */
export const samtalPerspectives = ['barnet', 'vardnadshavare'] as const;
export const ZSamtalPerspectiveKey = z.enum(samtalPerspectives);
export type SamtalPerspectiveKey = z.infer<typeof ZSamtalPerspectiveKey>;

export const samtalPerspectiveLabels: Readonly<Record<SamtalPerspectiveKey, string>> = {
  barnet: 'Barnets perspektiv',
  vardnadshavare: 'Vårdnadshavarens perspektiv',
};

/** One perspective: all eight areas in Behovskompassen's order; an area not talked about is `vetEj`. */
export const ZSamtalPerspective = z
  .array(ZSkattningAreaAnswer)
  .length(compassAreaKeys.length)
  .refine(
    (areas) => areas.every((area, index) => area.key === compassAreaKeys[index]),
    'Områdena ska stå i Behovskompassens ordning',
  );
export type SamtalPerspective = z.infer<typeof ZSamtalPerspective>;

export const ZSamtal = z
  .object({
    /** Chosen by the card (its draft id), so a redelivered submit records the talk once. */
    id: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
    kind: ZSamtalKind,
    heldOn: ZCalendarDate,
    underlag: z
      .object({
        version: ZSamtalsunderlagVersion,
        /** `alder`: chosen from the date of birth; `valt`: the Barnkontakt chose it. */
        chosenBy: z.enum(['alder', 'valt']),
      })
      .strict(),
    /** At least one of the two: a talk may be with the child or the guardian alone. */
    perspectives: z
      .object({ barnet: ZSamtalPerspective.optional(), vardnadshavare: ZSamtalPerspective.optional() })
      .strict()
      .refine(
        (value) => value.barnet !== undefined || value.vardnadshavare !== undefined,
        'Fyll i barnets eller vårdnadshavarens perspektiv',
      ),
    recordedBy: ZUserId,
    recordedAt: ZInstant,
  })
  .strict();
export type Samtal = z.infer<typeof ZSamtal>;

/**
 * A full perspective from what was filled in: areas left out become `vetEj` (a rating nobody
 * gave must not read as a low one), and the order becomes Behovskompassen's.
 */
export function completePerspective(answers: readonly SkattningAreaAnswer[]): SamtalPerspective {
  return compassAreaKeys.map(
    (key) => answers.find((answer) => answer.key === key) ?? { key, rating: 'vetEj' as const },
  );
}

/** `new`: nothing to compare with; `unknown`: the latest answer is "vet ej". */
export const ratingChanges = ['up', 'down', 'same', 'new', 'unknown'] as const;
export type RatingChange = (typeof ratingChanges)[number];

export const ratingChangeLabels: Readonly<Record<RatingChange, string>> = {
  up: 'Bättre',
  down: 'Sämre',
  same: 'Oförändrat',
  new: 'Ny skattning',
  unknown: 'Vet ej',
};

export interface AreaComparison {
  readonly perspective: SamtalPerspectiveKey;
  readonly key: CompassAreaKey;
  readonly now: SkattningValue;
  /** The rating in the earlier talk, when that talk had this perspective. */
  readonly before?: SkattningValue;
  readonly change: RatingChange;
}

export interface SamtalComparison {
  readonly latestId: string;
  /** Per perspective, the earlier talk compared with (absent: none had that perspective). */
  readonly previousIds: Partial<Record<SamtalPerspectiveKey, string>>;
  /** Per perspective of the latest talk, the eight areas in order. */
  readonly areas: readonly AreaComparison[];
}

/**
 * For the case card: per perspective and area, how the latest talk compares with the one
 * before it. "The one before" is the latest earlier talk that has the same perspective, so a
 * guardian-only talk in between does not hide the child's own earlier ratings.
 *
 * @returns undefined when the case has no talk yet.
 */
export function compareWithEarlier(caseValue: {
  readonly samtal?: readonly Samtal[];
}): SamtalComparison | undefined {
  const talks = orderTalks(caseValue.samtal ?? []);
  const latest = talks.at(-1);
  if (latest === undefined) return undefined;
  const earlier = talks.slice(0, -1);
  const previousIds: Partial<Record<SamtalPerspectiveKey, string>> = {};
  const areas: AreaComparison[] = [];
  for (const perspective of samtalPerspectives) {
    const current = latest.perspectives[perspective];
    if (current === undefined) continue;
    const previous = earlier.findLast((talk) => talk.perspectives[perspective] !== undefined);
    if (previous !== undefined) previousIds[perspective] = previous.id;
    for (const answer of current) {
      const before = previous?.perspectives[perspective]?.find((item) => item.key === answer.key)?.rating;
      areas.push({
        perspective,
        key: answer.key,
        now: answer.rating,
        ...(before === undefined ? {} : { before }),
        change: describeChange(answer.rating, before),
      });
    }
  }
  return { latestId: latest.id, previousIds, areas };
}

/** Talks in the order they were held; two on one day in the order they were recorded. */
export function orderTalks(talks: readonly Samtal[]): Samtal[] {
  return [...talks].sort(
    (a, b) => a.heldOn.localeCompare(b.heldOn) || a.recordedAt.localeCompare(b.recordedAt),
  );
}

function describeChange(now: SkattningValue, before: SkattningValue | undefined): RatingChange {
  if (now === 'vetEj') return 'unknown';
  if (before === undefined || before === 'vetEj') return 'new';
  if (now > before) return 'up';
  if (now < before) return 'down';
  return 'same';
}
