/**
 * Use case: record one step of the consent (samtycke i tre steg, seeds/000): muntligt before
 * Aktivering av Barnkontakt, skriftligt before Barnteam, uppdaterat skriftligt before
 * Individuellt barnteam. Each step gates its escalation in the transition table; this records
 * who gave it, who recorded it, when, what it covers and where the signed form is kept.
 *
 * The written steps are the Barnkontakt's (or the deputy acting for them) to record: `access.ts`
 * decides it through the action `registreraSkriftligtSamtycke`.
 */
import type { CaseAction } from '../kernel/access.js';
import type { Case, ConsentGiver, ConsentStep, Instant } from '../kernel/case.js';
import { type CaseCommandResult, runCaseCommand } from '../kernel/case-command.js';
import type { Actor, FlowDependencies } from '../kernel/case-effects.js';
import { recordConsent } from '../kernel/consent.js';
import { DomainError } from '../kernel/errors.js';

export interface RecordConsentStepInput {
  /** From the card's data: checked against the actor's role, never trusted. */
  readonly caseId: string;
  /** The version (ETag) the card was rendered from. */
  readonly etag: string;
  /** From the activity, never from card data. */
  readonly actor: Actor;
  readonly step: ConsentStep;
  readonly givenBy: readonly ConsentGiver[];
  /** What the consent covers, in the words read to the family. */
  readonly scope: string;
  /** Where the signed form is kept; required for the written steps. */
  readonly documentReference?: string;
  readonly at: Instant;
}

export const consentMessages = {
  documentReferenceMissing:
    'Ange var den undertecknade samtyckesblanketten finns (dokument-id eller arkivhänvisning): ett skriftligt samtycke kan inte registreras utan den.',
  givenByMissing: 'Ange vem som har gett samtycket: vårdnadshavare, barnet eller båda.',
  scopeMissing: 'Beskriv vad samtycket omfattar: vilka verksamheter som får dela vilka uppgifter.',
  scopeTooLong: 'Beskrivningen av vad samtycket omfattar får vara högst 2000 tecken.',
  documentReferenceTooLong: 'Hänvisningen till blanketten får vara högst 400 tecken.',
  already: 'Samtycket är redan registrerat.',
} as const;

/**
 * Records a consent step on the case, audited, conditional on the card's version.
 *
 * @returns `refused` with cause `invalidInput` (and `field`) for a written step without a
 *   document reference, missing givers or scope; `accessDenied` when the actor may not record
 *   this step (e.g. the Upptäckare and a written step); `transitionRefused` for a closed case.
 * @throws DomainError('notFound') for an unknown case; any error of the audit log.
 */
export async function recordConsentStep(
  deps: FlowDependencies,
  input: RecordConsentStepInput,
): Promise<CaseCommandResult> {
  const action: CaseAction =
    input.step === 'muntligt' ? 'registreraSamtycke' : 'registreraSkriftligtSamtycke';
  return runCaseCommand(deps, {
    caseId: input.caseId,
    etag: input.etag,
    actorId: input.actor.userId,
    action,
    at: input.at,
    alreadyMessage: consentMessages.already,
    hasApplied: (caseValue) => hasRecorded(caseValue, input),
    build: (caseValue) => {
      checkConsentInput(input);
      return recordConsent(
        caseValue,
        {
          step: input.step,
          givenBy: [...new Set(input.givenBy)],
          scope: input.scope,
          ...(input.documentReference === undefined ? {} : { documentReference: input.documentReference }),
        },
        { actor: input.actor.userId, at: input.at },
      );
    },
  });
}

function checkConsentInput(input: RecordConsentStepInput): void {
  const scope = input.scope.trim();
  const reference = input.documentReference?.trim() ?? '';
  if (input.givenBy.length === 0) {
    throw new DomainError('invalidInput', consentMessages.givenByMissing, { field: 'givenBy' });
  }
  if (scope === '') {
    throw new DomainError('invalidInput', consentMessages.scopeMissing, { field: 'scope' });
  }
  if (scope.length > 2000) {
    throw new DomainError('invalidInput', consentMessages.scopeTooLong, { field: 'scope' });
  }
  if (input.step !== 'muntligt' && reference === '') {
    throw new DomainError('invalidInput', consentMessages.documentReferenceMissing, {
      field: 'documentReference',
    });
  }
  if (reference.length > 400) {
    throw new DomainError('invalidInput', consentMessages.documentReferenceTooLong, {
      field: 'documentReference',
    });
  }
}

/** The same step with the same form, recorded by this actor and still in force. */
function hasRecorded(caseValue: Case, input: RecordConsentStepInput): boolean {
  const reference = input.documentReference?.trim() || undefined;
  return (caseValue.consents ?? []).some(
    (consent) =>
      consent.step === input.step &&
      consent.recordedBy === input.actor.userId &&
      consent.documentReference === reference &&
      consent.scope === input.scope.trim() &&
      consent.withdrawal === undefined,
  );
}
