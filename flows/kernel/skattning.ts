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
    /** The member's Teams identity; absent for a member outside Teams, who has none. */
    userId: ZUserId.optional(),
    /** The directory's id of the member: how a member outside Teams is told apart. */
    contactId: z.string().min(1).max(100).optional(),
    displayName: z.string().min(1).max(200),
    /** The member's function in the team as the team says it, e.g. "Elevhälsan", "Polisen". */
    role: z.string().min(1).max(100),
  })
  .strict()
  .refine((rater) => rater.userId !== undefined || rater.contactId !== undefined, {
    message: 'Skattningen måste ange vem som skattar (Teams-identitet eller katalogens id)',
  });
export type SkattningRater = z.infer<typeof ZSkattningRater>;

/**
 * One key per member, whichever way they are known: the Teams identity when they have one (so a
 * member's own form and one recorded for them meet), else the directory's contact id.
 */
export function toRaterKey(rater: Pick<SkattningRater, 'userId' | 'contactId'>): string {
  if (rater.userId !== undefined) return rater.userId.toLowerCase();
  return `kontakt:${rater.contactId ?? ''}`;
}

/**
 * Who typed in an answer given by someone else: the convener of the Barnteam, for a member who
 * cannot reach the bot (a police officer outside Teams, a guest without the app). The answer is
 * still the member's (`rater`); this says whose hands it passed through, so that the team reads
 * it as "registrerad av … för …" and the audit log can be checked against it.
 */
export const ZSkattningRecordedBy = z
  .object({
    userId: ZUserId,
    displayName: z.string().min(1).max(200),
  })
  .strict();
export type SkattningRecordedBy = z.infer<typeof ZSkattningRecordedBy>;

/** One member's Skattningsformulär for one child. */
export const ZSkattningAnswer = z
  .object({
    caseId: z.string().min(1).max(100),
    /** The Barnteam meeting the form was filled in for, when it belongs to one. */
    meetingId: z.string().min(1).max(200).optional(),
    rater: ZSkattningRater,
    /** Set when the convener recorded the answer on the member's behalf; absent for the member's own. */
    recordedBy: ZSkattningRecordedBy.optional(),
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
