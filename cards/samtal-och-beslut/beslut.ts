/**
 * The Beslut card: the Barnkontakt's decision after the talks. The four guiding-principle
 * questions are always on it, each required (ja / nej / delvis) with an optional comment, so that
 * no decision is saved without them (docs/domain.md, step 4).
 *
 * Barnteam needs the written consent. Without it the choice is left out of the list (a choice
 * cannot be greyed out in Adaptive Cards 1.5) and shown under it with the reason, so the
 * Barnkontakt sees that it exists and what is missing; the bot refuses it anyway.
 */
import { z } from 'zod';
import { type GuidingPrincipleKey, guidingPrinciples } from '../../flows/kernel/guiding-principles.js';
import { beslutKinds, beslutLabels } from '../../flows/kernel/records/beslut.js';
import { formatChildName, ZCardChild } from '../card-parts.js';
import { buildFieldState, buildFormSchemas, describeFormSummary, keepDateValue } from '../form-fields.js';
import { describePrincipleFields } from '../guiding-principle-fields.js';
import { type AdaptiveCardJson, renderCardTemplate } from '../render-template.js';
import template from './beslut.json' with { type: 'json' };

export const beslutVerb = 'beslut.spara';

type AnswerId = `principle_${GuidingPrincipleKey}`;
type CommentId = `principleComment_${GuidingPrincipleKey}`;

type InputId = AnswerId | CommentId | 'decision' | 'followUpDate' | 'note';

const inputIdsInOrder: InputId[] = [
  ...guidingPrinciples.flatMap((principle): InputId[] => [
    `principle_${principle.key}`,
    `principleComment_${principle.key}`,
  ]),
  'decision',
  'followUpDate',
  'note',
];
/** Every input id, in card order: the keys of the submitted data. */
export const beslutInputIds = inputIdsInOrder as [InputId, ...InputId[]];
const form = buildFormSchemas(beslutInputIds);
export const ZBeslutInputId = form.ZInputId;
export type BeslutInputId = z.infer<typeof ZBeslutInputId>;

export const ZBeslutCardData = z.object({
  caseId: z.string().min(1).max(100),
  /** The case document's ETag when the card was rendered. */
  etag: z.string().min(1).max(200),
  reference: z.string().min(1).max(40),
  child: ZCardChild.pick({ givenName: true, familyName: true }),
  /** Set when Barnteam cannot be chosen yet, e.g. the written consent is missing: says why. */
  barnteamBlockedReason: z.string().min(1).max(500).optional(),
  values: form.ZValues,
  fieldErrors: form.ZFieldErrors,
  formError: form.ZFormError,
  confirmation: form.ZConfirmation,
});
export type BeslutCardData = z.input<typeof ZBeslutCardData>;

/**
 * Renders the Beslut card, new or returned with the user's values and field errors.
 *
 * @throws CardRenderError when the data does not match `ZBeslutCardData`.
 */
export function renderBeslut(data: BeslutCardData): AdaptiveCardJson {
  return renderCardTemplate('beslut', template, ZBeslutCardData, data, (parsed) => {
    const values: Partial<Record<BeslutInputId, string>> = parsed.values ?? {};
    const errors: Partial<Record<BeslutInputId, string>> = parsed.fieldErrors ?? {};
    const blocked = parsed.barnteamBlockedReason;
    const decisions = beslutKinds.filter((kind) => blocked === undefined || kind !== 'barnteam');
    return {
      caseId: parsed.caseId,
      etag: parsed.etag,
      ...describeFormSummary(parsed.fieldErrors, parsed.formError, parsed.confirmation),
      caseFacts: [
        { label: 'Ärende', value: parsed.reference },
        { label: 'Barn', value: formatChildName(parsed.child) },
      ],
      ...describePrincipleFields(values, errors),
      decisions: decisions.map((value) => ({ value, title: beslutLabels[value] })),
      barnteamBlocked: blocked !== undefined,
      barnteamBlockedTitle: `${beslutLabels.barnteam} kan inte väljas ännu`,
      barnteamBlockedReason: blocked ?? '',
      f: {
        // A stale "barnteam" from an earlier submit must not be preselected when it is blocked.
        decision: buildFieldState(
          values.decision === 'barnteam' && blocked !== undefined ? '' : values.decision,
          errors.decision,
        ),
        followUpDate: buildFieldState(keepDateValue(values.followUpDate) ?? '', errors.followUpDate),
        note: buildFieldState(values.note, errors.note),
      },
    };
  });
}
