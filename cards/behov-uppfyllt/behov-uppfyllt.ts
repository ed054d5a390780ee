/**
 * The card that closes a case, "Barnets behov är uppfyllt" (step 8): the four guiding-principle
 * questions as the Beslut asks them, the closing Behovskompass (the child's, the guardian's and
 * the team's ratings, each on the eight areas) and a note. Reached from the Beslut card (the
 * Barnkontakt chose "Barnets behov är uppfyllt") and from Barnets plan (whoever leads the
 * support). The card says what closing does, so nobody closes a case by surprise.
 */
import { z } from 'zod';
import { type CompassAreaKey, compassAreas } from '../../flows/kernel/compass.js';
import { type GuidingPrincipleKey, guidingPrinciples } from '../../flows/kernel/guiding-principles.js';
import { type CompassRater, compassRaterLabels, compassRaters } from '../../flows/kernel/records/plan.js';
import { formatChildName, ZCardChild } from '../card-parts.js';
import { buildFieldState, buildFormSchemas, describeFormSummary, skattningChoices } from '../form-fields.js';
import { describePrincipleFields } from '../guiding-principle-fields.js';
import { type AdaptiveCardJson, renderCardTemplate } from '../render-template.js';
import template from './behov-uppfyllt.json' with { type: 'json' };

export const behovUppfylltVerb = 'avslut.spara';

type AnswerId = `principle_${GuidingPrincipleKey}`;
type CommentId = `principleComment_${GuidingPrincipleKey}`;
type RatingId = `${CompassRater}_${CompassAreaKey}`;
type InputId = AnswerId | CommentId | RatingId | 'note';

const inputIdsInOrder: InputId[] = [
  ...guidingPrinciples.flatMap((principle): InputId[] => [
    `principle_${principle.key}`,
    `principleComment_${principle.key}`,
  ]),
  ...compassRaters.flatMap((rater) => compassAreas.map((area): InputId => `${rater}_${area.key}`)),
  'note',
];
/** Every input id, in card order: the keys of the submitted data. */
export const behovUppfylltInputIds = inputIdsInOrder as [InputId, ...InputId[]];
const form = buildFormSchemas(behovUppfylltInputIds);
export type BehovUppfylltInputId = z.infer<typeof form.ZInputId>;

/** Where the closing starts: the wording above the questions follows it. */
export const closingOrigins = ['beslut', 'plan'] as const;

export const ZBehovUppfylltCardData = z.object({
  caseId: z.string().min(1).max(100),
  /** The version the card was rendered from (the plan card's version when opened from the plan). */
  etag: z.string().min(1).max(200),
  reference: z.string().min(1).max(40),
  child: ZCardChild.pick({ givenName: true, familyName: true }),
  origin: z.enum(closingOrigins),
  values: form.ZValues,
  fieldErrors: form.ZFieldErrors,
  formError: form.ZFormError,
  confirmation: form.ZConfirmation,
});
export type BehovUppfylltCardData = z.input<typeof ZBehovUppfylltCardData>;

const intros: Readonly<Record<(typeof closingOrigins)[number], string>> = {
  beslut:
    'Du beslutar att barnets behov är uppfyllt efter samtalen. Gör den avslutande skattningen och besvara principerna; sedan avslutas ärendet.',
  plan: 'Barnets plan har nått sina mål. Gör den avslutande uppföljningen med Behovskompassen och besvara principerna; sedan avslutas ärendet och det Individuella barnteamet.',
};

/**
 * Renders the closing card, new or returned with the user's values and field errors.
 *
 * @throws CardRenderError when the data does not match `ZBehovUppfylltCardData`.
 */
export function renderBehovUppfyllt(data: BehovUppfylltCardData): AdaptiveCardJson {
  return renderCardTemplate('behov-uppfyllt', template, ZBehovUppfylltCardData, data, (parsed) => {
    const values: Partial<Record<string, string>> = parsed.values ?? {};
    const errors: Partial<Record<string, string>> = parsed.fieldErrors ?? {};
    return {
      caseId: parsed.caseId,
      etag: parsed.etag,
      ...describeFormSummary(parsed.fieldErrors, parsed.formError, parsed.confirmation),
      intro: intros[parsed.origin],
      caseFacts: [
        { label: 'Ärende', value: parsed.reference },
        { label: 'Barn', value: formatChildName(parsed.child) },
      ],
      ...describePrincipleFields(values, errors),
      raters: compassRaters.map((rater) => ({
        title: compassRaterLabels[rater],
        fields: compassAreas.map((area) => {
          const inputId = `${rater}_${area.key}`;
          return {
            inputId,
            label: `${area.name}: ${area.childWords}`,
            ...buildFieldState(values[inputId], errors[inputId]),
          };
        }),
      })),
      scaleChoices: skattningChoices,
      f: { note: buildFieldState(values.note, errors.note) },
    };
  });
}
