/**
 * The Skattningsformulär: one Barnteam member rates the eight areas for one child on the
 * product's one scale (`skattningScale`, 1–5 with faces, and "vet ej"), with a comment per area
 * (asked for in the evaluation so that the means mislead less). It is opened from the meeting
 * reminder, which goes to every member, so the child appears by initials and case reference only.
 *
 * Every area starts at "vet ej": a rating nobody gave must not read as a low one.
 */
import { z } from 'zod';
import { type CompassAreaKey, compassAreaKeys } from '../../flows/kernel/compass.js';
import { buildAreaRows } from '../card-parts.js';
import { buildFormSchemas, describeFormSummary, skattningChoices } from '../form-fields.js';
import { type AdaptiveCardJson, renderCardTemplate } from '../render-template.js';
import { ZCardInitials } from './barnteam-parts.js';
import template from './skattningsformular.json' with { type: 'json' };

export const skattningsformularVerb = 'skattning.spara';

type RatingId = `rating_${CompassAreaKey}`;
type CommentId = `comment_${CompassAreaKey}`;

/** Every input id, in card order: `rating_<area>` ("1"…"5", "vetEj") and `comment_<area>`. */
export const skattningsformularInputIds = compassAreaKeys.flatMap((key) => [
  `rating_${key}` as RatingId,
  `comment_${key}` as CommentId,
]) as [RatingId | CommentId, ...(RatingId | CommentId)[]];
const form = buildFormSchemas(skattningsformularInputIds);
export const ZSkattningsformularInputId = form.ZInputId;
export type SkattningsformularInputId = z.infer<typeof ZSkattningsformularInputId>;

export const ZSkattningsformularData = z.object({
  meetingId: z.string().min(1).max(200),
  caseId: z.string().min(1).max(100),
  /** The version of the document the answer is written to, as rendered. */
  etag: z.string().min(1).max(200),
  reference: z.string().min(1).max(40),
  initials: ZCardInitials,
  teamName: z.string().min(1).max(200),
  /** "tisdag 7 april 2026 kl. 09:00–10:00". */
  timeLabel: z.string().min(1).max(100),
  /** The member's function in the team, e.g. "Elevhälsan": whose view the ratings are. */
  raterRole: z.string().min(1).max(100),
  values: form.ZValues,
  fieldErrors: form.ZFieldErrors,
  formError: form.ZFormError,
});
export type SkattningsformularData = z.input<typeof ZSkattningsformularData>;

/**
 * Renders the form, new, with an earlier answer as `values`, or returned with field errors.
 *
 * @throws CardRenderError when the data does not match `ZSkattningsformularData`.
 */
export function renderSkattningsformular(data: SkattningsformularData): AdaptiveCardJson {
  return renderCardTemplate('skattningsformular', template, ZSkattningsformularData, data, (parsed) => {
    const values: Partial<Record<SkattningsformularInputId, string>> = parsed.values ?? {};
    const errors: Partial<Record<SkattningsformularInputId, string>> = parsed.fieldErrors ?? {};
    return {
      meetingId: parsed.meetingId,
      caseId: parsed.caseId,
      etag: parsed.etag,
      ...describeFormSummary(parsed.fieldErrors, parsed.formError),
      facts: [
        { label: 'Barn', value: `${parsed.initials} (${parsed.reference})` },
        { label: 'Möte', value: `${parsed.teamName}, ${parsed.timeLabel}` },
        { label: 'Du skattar som', value: parsed.raterRole },
      ],
      scale: skattningChoices,
      areas: buildAreaRows({}).map((area) => {
        const ratingId: RatingId = `rating_${area.key}`;
        const commentId: CommentId = `comment_${area.key}`;
        return {
          name: area.name,
          childWords: area.childWords,
          dot: area.dot,
          ratingId,
          commentId,
          rating: values[ratingId] ?? 'vetEj',
          comment: values[commentId] ?? '',
          ratingError: errors[ratingId] ?? '',
          hasRatingError: errors[ratingId] !== undefined,
          commentError: errors[commentId] ?? '',
          hasCommentError: errors[commentId] !== undefined,
        };
      }),
    };
  });
}
