/**
 * Skattningsformuläret: before (or at) a Barnteam meeting each member rates the child on the
 * eight areas of Behovskompassen, so that the team can see the child's whole situation and agree
 * on a joint assessment (seeds/000). The evaluation asked for a comment on every area ("gör det
 * möjligt att kommentera sin skattning/området – det skulle göra att medelvärdena blev mindre
 * missvisande"), so each area has an optional comment.
 *
 * The scale is 1–5, shown with faces so it reads the same for staff from school, health care,
 * social services and the police; 5 is best. "Vet ej" is its own answer, not a number: a member
 * who does not know the child's free time must not pull the mean down.
 */
import { z } from 'zod';
import { compassAreaKeys, ZCompassAreaKey } from './compass.js';
import { ZInstant, ZUserId } from './value-types.js';

export const skattningMin = 1;
export const skattningMax = 5;

export const ZSkattningValue = z.union([
  z.number().int().min(skattningMin).max(skattningMax),
  z.literal('vetEj'),
]);
export type SkattningValue = z.infer<typeof ZSkattningValue>;

export interface SkattningScaleStep {
  readonly value: SkattningValue;
  /** An emoji face, shown on the choice buttons and next to the label on cards. */
  readonly face: string;
  readonly label: string;
}

/** The choices in the order a card shows them: worst to best, then "vet ej". */
export const skattningScale: readonly SkattningScaleStep[] = Object.freeze([
  { value: 1, face: '😢', label: 'Behöver stärkas mycket' },
  { value: 2, face: '🙁', label: 'Behöver stärkas' },
  { value: 3, face: '😐', label: 'Både och' },
  { value: 4, face: '🙂', label: 'Fungerar bra' },
  { value: 5, face: '😄', label: 'Fungerar mycket bra' },
  { value: 'vetEj', face: '❔', label: 'Vet ej' },
]);

/** The scale step of a value, e.g. for "🙁 Behöver stärkas" on a card. */
export function findSkattningStep(value: SkattningValue): SkattningScaleStep {
  const step = skattningScale.find((candidate) => candidate.value === value);
  if (step === undefined) {
    throw new Error(`Okänt värde på skattningsskalan: ${String(value)}`);
  }
  return step;
}

export const ZSkattningAreaAnswer = z
  .object({
    key: ZCompassAreaKey,
    rating: ZSkattningValue,
    comment: z.string().trim().min(1).max(1000).optional(),
  })
  .strict();
export type SkattningAreaAnswer = z.infer<typeof ZSkattningAreaAnswer>;

/**
 * Who rated. The joint compass shows comments with the rater's name and role: the Barnteam
 * discusses the ratings together at the meeting, and an unsigned comment cannot be asked about.
 */
export const ZSkattningRater = z
  .object({
    userId: ZUserId,
    displayName: z.string().min(1).max(200),
    /** The member's function in the team as the team says it, e.g. "Elevhälsan", "Polisen". */
    role: z.string().min(1).max(100),
  })
  .strict();
export type SkattningRater = z.infer<typeof ZSkattningRater>;

/** One member's Skattningsformulär for one child. */
export const ZSkattningAnswer = z
  .object({
    caseId: z.string().min(1).max(100),
    /** The Barnteam meeting the form was filled in for, when it belongs to one. */
    meetingId: z.string().min(1).max(200).optional(),
    rater: ZSkattningRater,
    answeredAt: ZInstant,
    /** All eight areas, in Behovskompassen's order; an area the rater left blank is `vetEj`. */
    areas: z
      .array(ZSkattningAreaAnswer)
      .length(compassAreaKeys.length)
      .refine(
        (areas) => areas.every((area, index) => area.key === compassAreaKeys[index]),
        'Områdena ska stå i Behovskompassens ordning',
      ),
  })
  .strict();
export type SkattningAnswer = z.infer<typeof ZSkattningAnswer>;
