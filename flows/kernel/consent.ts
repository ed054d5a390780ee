/**
 * Recording a consent (samtycke). Guardians and children are not Teams users, so the staff
 * member who heard or received the consent records it; withdrawal is the `aterkallaSamtycke`
 * transition (transitions.ts), because it stops the whole process.
 */
import {
  type Case,
  type Consent,
  type ConsentGiver,
  type ConsentStep,
  type Instant,
  type UserId,
  ZConsent,
} from './case.js';
import { DomainError } from './errors.js';
import { isClosedState, stateLabels } from './transitions.js';

export const consentStepLabels: Readonly<Record<ConsentStep, string>> = {
  muntligt: 'Muntligt samtycke inför Aktivering av Barnkontakt',
  skriftligt: 'Skriftligt samtycke inför Barnteam',
  uppdateratSkriftligt: 'Uppdaterat skriftligt samtycke inför Individuellt barnteam',
};

export interface ConsentInput {
  readonly step: ConsentStep;
  readonly givenBy: readonly ConsentGiver[];
  readonly scope: string;
  readonly documentReference?: string;
}

/**
 * Adds a consent to the case, with a chronology entry that names the step (never the scope text,
 * which may describe the family).
 *
 * @throws DomainError('invalidInput') when the consent is incomplete (e.g. a written step without
 *   the signed document's reference); DomainError('transitionRefused') when the case is over.
 */
export function recordConsent(
  caseValue: Case,
  input: ConsentInput,
  recorded: { readonly actor: UserId; readonly at: Instant },
): Case {
  if (isClosedState(caseValue.state)) {
    throw new DomainError(
      'transitionRefused',
      `${stateLabels[caseValue.state]}: samtycke kan inte längre registreras i ärendet.`,
      { state: caseValue.state },
    );
  }
  const parsed = ZConsent.safeParse({
    step: input.step,
    givenBy: [...input.givenBy],
    recordedBy: recorded.actor,
    at: recorded.at,
    scope: input.scope.trim(),
    documentReference: input.documentReference?.trim() || undefined,
  });
  if (!parsed.success) {
    const messages = parsed.error.issues.map((issue) => issue.message);
    throw new DomainError('invalidInput', `Samtycket kunde inte registreras: ${messages.join('; ')}.`);
  }
  const consent: Consent = parsed.data;
  return {
    ...caseValue,
    consents: [...(caseValue.consents ?? []), consent],
    chronology: [
      ...caseValue.chronology,
      {
        at: recorded.at,
        by: recorded.actor,
        event: 'samtyckeRegistrerat',
        note: consentStepLabels[input.step],
      },
    ],
    updatedAt: recorded.at,
  };
}
