/**
 * The Samtycke card: the Barnkontakt records one step of the consent (muntligt, skriftligt,
 * uppdaterat skriftligt) or records that it was withdrawn. Guardians and children are not Teams
 * users, so the staff member who heard the consent, or holds the signed form, records it.
 *
 * The registration inputs are not marked required for the client: the withdrawal form is a
 * ShowCard on the same card, and Adaptive Cards validate every input of the parent card when an
 * action in a ShowCard runs, so a required scope would block a withdrawal. The bot checks them
 * (`recordConsentStep`) and the card comes back with the message under the field; the input ids
 * are the `field` names of its errors.
 */
import { z } from 'zod';
import {
  consentGivers,
  consentSteps,
  ZConsentGiver,
  ZConsentStep,
  ZInstant,
} from '../../flows/kernel/case.js';
import { consentStepLabels } from '../../flows/kernel/consent.js';
import { consentGiverLabels, formatChildName, joinSwedish, ZCardChild } from '../card-parts.js';
import { buildFieldState, buildFormSchemas, describeFormSummary } from '../form-fields.js';
import { type AdaptiveCardJson, renderCardTemplate } from '../render-template.js';
import { formatSwedishDateOfInstant } from '../swedish-format.js';
import template from './samtycke.json' with { type: 'json' };

export const samtyckeVerbs = {
  registrera: 'samtycke.registrera',
  aterkalla: 'samtycke.aterkalla',
} as const;

export const samtyckeInputIds = [
  'step',
  'givenBy',
  'scope',
  'documentReference',
  'withdrawnBy',
  'withdrawalConfirmed',
] as const;
const form = buildFormSchemas(samtyckeInputIds);
export const ZSamtyckeInputId = form.ZInputId;
export type SamtyckeInputId = z.infer<typeof ZSamtyckeInputId>;

/** What each step gates, one line each. */
export const consentStepGates: Readonly<Record<z.infer<typeof ZConsentStep>, string>> = {
  muntligt: 'Muntligt samtycke: krävs innan Barnkontakten aktiveras.',
  skriftligt:
    'Skriftligt samtycke: krävs innan barnet kan tas upp i Barnteam. Ange var den undertecknade blanketten finns.',
  uppdateratSkriftligt:
    'Uppdaterat skriftligt samtycke: krävs innan ett Individuellt barnteam kan startas. Ange var den undertecknade blanketten finns.',
};

/** A consent already recorded in the case. */
export const ZSamtyckeRecorded = z.object({
  step: ZConsentStep,
  givenBy: z.array(ZConsentGiver).min(1),
  at: ZInstant,
  recordedByName: z.string().min(1).max(200),
  documentReference: z.string().min(1).max(400).optional(),
  withdrawal: z.object({ at: ZInstant, by: ZConsentGiver }).optional(),
});

export const ZSamtyckeData = z.object({
  caseId: z.string().min(1).max(100),
  /** The case document's ETag when the card was rendered. */
  etag: z.string().min(1).max(200),
  reference: z.string().min(1).max(40),
  child: ZCardChild.pick({ givenName: true, familyName: true }),
  /** The case's consents, oldest first. */
  recorded: z.array(ZSamtyckeRecorded).max(50).default([]),
  /** The step to preselect: usually the next one the case needs. */
  suggestedStep: ZConsentStep.optional(),
  values: form.ZValues,
  fieldErrors: form.ZFieldErrors,
  formError: form.ZFormError,
  confirmation: form.ZConfirmation,
});
export type SamtyckeData = z.input<typeof ZSamtyckeData>;

/**
 * Renders the Samtycke card, new or returned with the user's values and field errors.
 *
 * @throws CardRenderError when the data does not match `ZSamtyckeData`.
 */
export function renderSamtycke(data: SamtyckeData): AdaptiveCardJson {
  return renderCardTemplate('samtycke', template, ZSamtyckeData, data, (parsed) => {
    const values: Partial<Record<SamtyckeInputId, string>> = parsed.values ?? {};
    const errors: Partial<Record<SamtyckeInputId, string>> = parsed.fieldErrors ?? {};
    const field = (id: SamtyckeInputId, fallback = '') => buildFieldState(values[id], errors[id], fallback);
    const describeGivers = (givers: readonly z.infer<typeof ZConsentGiver>[]) =>
      joinSwedish(givers.map((giver) => consentGiverLabels[giver].toLowerCase()));
    return {
      caseId: parsed.caseId,
      etag: parsed.etag,
      ...describeFormSummary(parsed.fieldErrors, parsed.formError, parsed.confirmation),
      caseFacts: [
        { label: 'Ärende', value: parsed.reference },
        { label: 'Barn', value: formatChildName(parsed.child) },
      ],
      stepExplanations: consentSteps.map((step) => ({ text: `• ${consentStepGates[step]}` })),
      hasRecorded: parsed.recorded.length > 0,
      recorded: parsed.recorded.map((consent) => ({
        stepLabel: consentStepLabels[consent.step],
        details: [
          `gett av ${describeGivers(consent.givenBy)}`,
          `registrerat av ${consent.recordedByName} den ${formatSwedishDateOfInstant(consent.at)}`,
          ...(consent.documentReference ? [`blankett: ${consent.documentReference}`] : []),
        ].join(', '),
        isWithdrawn: consent.withdrawal !== undefined,
        withdrawnText: consent.withdrawal
          ? ` – återkallat av ${consentGiverLabels[consent.withdrawal.by].toLowerCase()} den ${formatSwedishDateOfInstant(consent.withdrawal.at)}`
          : '',
      })),
      hasConsentInForce: parsed.recorded.some((consent) => consent.withdrawal === undefined),
      steps: consentSteps.map((value) => ({ value, title: consentStepLabels[value] })),
      givers: consentGivers.map((value) => ({ value, title: consentGiverLabels[value] })),
      f: {
        step: field('step', parsed.suggestedStep ?? ''),
        givenBy: field('givenBy'),
        scope: field('scope'),
        documentReference: field('documentReference'),
        withdrawnBy: field('withdrawnBy'),
        withdrawalConfirmed: buildFieldState(
          values.withdrawalConfirmed === 'true' ? 'true' : 'false',
          errors.withdrawalConfirmed,
        ),
      },
    };
  });
}
