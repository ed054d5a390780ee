/**
 * The Skattningsformulär: one Barnteam member rates the eight areas for one child on the
 * product's one scale (`skattningScale`, 1–5 with faces, and "vet ej"), with a comment per area
 * (asked for in the evaluation so that the means mislead less). It is opened from the meeting
 * reminder, which goes to every member, so the child appears by initials and case reference only.
 *
 * Every area starts at "vet ej": a rating nobody gave must not read as a low one.
 *
 * The convener also uses it to record a member's ratings on their behalf (`onBehalf`), and a
 * member whose answer the convener recorded sees that answer and who recorded it (`recordedForYou`)
 * before their own replaces it.
 */
import { z } from 'zod';
import { type CompassAreaKey, compassAreaKeys } from '../../flows/kernel/compass.js';
import { ZInstant } from '../../flows/kernel/value-types.js';
import { buildAreaRows } from '../card-parts.js';
import { buildFormSchemas, describeFormSummary, skattningChoices } from '../form-fields.js';
import { type AdaptiveCardJson, renderCardTemplate } from '../render-template.js';
import { formatSwedishDateOfInstant } from '../swedish-format.js';
import { ZCardInitials } from './barnteam-parts.js';
import template from './skattningsformular.json' with { type: 'json' };

export const skattningsformularVerb = 'skattning.spara';
/** Shows the joint compass so far without saving (`showCompass`). */
export const showJointCompassVerb = 'skattning.visaKompass';

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
  /**
   * The convener records the ratings a member gave them (at or after the meeting): for whom, and
   * the member's key (`toRaterKey`) that the save carries back.
   */
  onBehalf: z
    .object({
      memberKey: z.string().min(1).max(120),
      memberName: z.string().min(1).max(200),
      convenerName: z.string().min(1).max(200),
    })
    .optional(),
  /**
   * The member's own form when the convener has recorded an answer for them: who and when (the
   * answer's `answeredAt`, carried back so that saving replaces exactly that answer).
   */
  recordedForYou: z
    .object({
      byName: z.string().min(1).max(200),
      recordedAt: ZInstant,
    })
    .optional(),
  /**
   * Offer "Visa gemensam behovskompass": to the convener, who leads the meeting, and to a member who
   * has answered (before that the others' ratings would colour their own).
   */
  showCompass: z.boolean().default(false),
  values: form.ZValues,
  fieldErrors: form.ZFieldErrors,
  formError: form.ZFormError,
  confirmation: form.ZConfirmation,
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
    const onBehalf = parsed.onBehalf;
    const recorded = parsed.recordedForYou;
    return {
      meetingId: parsed.meetingId,
      caseId: parsed.caseId,
      etag: parsed.etag,
      forMember: onBehalf?.memberKey ?? '',
      replacesRecordedAt: recorded?.recordedAt ?? '',
      heading:
        onBehalf === undefined ? 'Skattningsformulär' : `Skattningsformulär för ${onBehalf.memberName}`,
      ...describeFormSummary(parsed.fieldErrors, parsed.formError, parsed.confirmation),
      hasRecordedNote: recorded !== undefined,
      recordedNote:
        recorded === undefined
          ? ''
          : `${recorded.byName} registrerade din skattning ${formatSwedishDateOfInstant(recorded.recordedAt)}, och den gäller nu. Den visas nedan. Sparar du formuläret ersätter din egen skattning den registrerade.`,
      facts: [
        { label: 'Barn', value: `${parsed.initials} (${parsed.reference})` },
        { label: 'Möte', value: `${parsed.teamName}, ${parsed.timeLabel}` },
        ...(onBehalf === undefined
          ? [{ label: 'Du skattar som', value: parsed.raterRole }]
          : [
              { label: 'Registreras för', value: `${onBehalf.memberName} (${parsed.raterRole})` },
              { label: 'Registreras av', value: onBehalf.convenerName },
            ]),
      ],
      intro:
        onBehalf === undefined
          ? 'Skatta varje område utifrån det du vet om barnet från din verksamhet: 1 behöver stärkas mycket, 5 fungerar mycket bra. Välj Vet ej om du inte vet; det räknas inte in i medelvärdet. Kommentera gärna varför.'
          : `Fyll i de skattningar ${onBehalf.memberName} har gett dig, på mötet eller efteråt: 1 behöver stärkas mycket, 5 fungerar mycket bra, Vet ej där hen inte vet. Skattningen räknas som medlemmens och visas som registrerad av dig för ${onBehalf.memberName}.`,
      showCompass: parsed.showCompass,
      saveTitle: onBehalf === undefined ? 'Spara skattning' : `Spara för ${onBehalf.memberName}`,
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
