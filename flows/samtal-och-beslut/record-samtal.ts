/**
 * Use case: the Barnkontakt records a barnsamtal or an uppföljningssamtal (step 3). The first
 * talk moves a received case into the step `samtal` (`paborjaSamtal`); a follow-up talk after
 * support in the own organisation takes it back there (`aterupptaSamtal`); later talks (during
 * Barnteam, the plan, the closing compass follow-up) are recorded without moving the case.
 */
import type { Case, CaseState, Instant } from '../kernel/case.js';
import { type CaseCommandResult, runCaseCommand } from '../kernel/case-command.js';
import type { Actor, FlowDependencies } from '../kernel/case-effects.js';
import { DomainError } from '../kernel/errors.js';
import {
  chooseSamtalsunderlag,
  completePerspective,
  type Samtal,
  type SamtalKind,
  type SamtalsunderlagVersion,
  samtalKindLabels,
  samtalsunderlagLabels,
  ZSamtal,
} from '../kernel/records/samtal.js';
import type { SkattningAreaAnswer } from '../kernel/skattning.js';
import { applyTransition, type CaseEvent, stateLabels } from '../kernel/transitions.js';
import { ZCalendarDate } from '../kernel/value-types.js';
import { toStockholmDate } from '../kernel/working-time.js';

export interface RecordSamtalInput {
  readonly caseId: string;
  /** The version (ETag) the card was rendered from. */
  readonly etag: string;
  /** From the activity, never from card data. */
  readonly actor: Actor;
  /** The talk's id: the card's draft id, so that a redelivered submit records it once. */
  readonly samtalId: string;
  readonly kind: SamtalKind;
  readonly heldOn: string;
  /** The Barnkontakt's own choice; absent means chosen from the child's date of birth. */
  readonly underlag?: SamtalsunderlagVersion;
  /** Areas left out are recorded as "vet ej". At least one perspective. */
  readonly perspectives: {
    readonly barnet?: readonly SkattningAreaAnswer[];
    readonly vardnadshavare?: readonly SkattningAreaAnswer[];
  };
  readonly at: Instant;
}

export const samtalMessages = {
  heldOnInvalid: 'Ange samtalets datum som ÅÅÅÅ-MM-DD.',
  heldInFuture: 'Samtalets datum ligger i framtiden. Ange dagen då samtalet hölls.',
  perspectiveMissing: 'Fyll i barnets eller vårdnadshavarens perspektiv, eller båda.',
  followUpWithoutTalk:
    'Ett uppföljningssamtal följer upp ett tidigare samtal, och ärendet har inget ännu. Registrera det som ett barnsamtal.',
  underlagUnknownAge:
    'Barnets födelsedatum saknas, så Samtalsunderlag kan inte väljas efter ålder. Välj Samtalsunderlag 4-6 år, 6-12 år eller 12 år och uppåt.',
  invalidTalk: 'Samtalet kunde inte registreras: kontrollera skattningar och kommentarer.',
  already: 'Samtalet är redan registrerat.',
} as const;

/** Where a talk takes the case: the event to apply, or none (the case stays where it is). */
const talkEvents: Partial<Record<CaseState, CaseEvent | 'stay'>> = {
  mottagen: 'paborjaSamtal',
  stodIEgenVerksamhet: 'aterupptaSamtal',
  samtal: 'stay',
  barnteam: 'stay',
  individuelltBarnteam: 'stay',
  planAktiv: 'stay',
  behovUppfyllt: 'stay',
};

/**
 * Records the talk on the case (`samtal[]`), audited, conditional on the card's version.
 *
 * @returns `refused` with cause `accessDenied` for anyone but the Barnkontakt (or acting deputy),
 *   `transitionRefused` in a state where talks are not held (not yet received, orosanmälan,
 *   closed), `invalidInput` (with `field`) for a date in the future, no perspective, a follow-up
 *   without an earlier talk, or a child without a usable age and no chosen Samtalsunderlag.
 * @throws DomainError('notFound') for an unknown case; any error of the audit log.
 */
export async function recordSamtal(
  deps: FlowDependencies,
  input: RecordSamtalInput,
): Promise<CaseCommandResult> {
  return runCaseCommand(deps, {
    caseId: input.caseId,
    etag: input.etag,
    actorId: input.actor.userId,
    action: 'registreraSamtal',
    at: input.at,
    alreadyMessage: samtalMessages.already,
    hasApplied: (caseValue) => (caseValue.samtal ?? []).some((talk) => talk.id === input.samtalId),
    build: (caseValue) => buildRecorded(caseValue, input),
  });
}

function buildRecorded(caseValue: Case, input: RecordSamtalInput): Case {
  const event = talkEvents[caseValue.state];
  if (event === undefined) {
    throw new DomainError(
      'transitionRefused',
      `${stateLabels[caseValue.state]}: samtal kan inte registreras nu. Barnsamtal hålls när Barnkontakten har tagit emot ärendet.`,
      { state: caseValue.state },
    );
  }
  const talk = buildTalk(caseValue, input);
  const moved =
    event === 'stay'
      ? caseValue
      : applyTransition(caseValue, { event, actor: input.actor.userId, at: input.at });
  return {
    ...moved,
    samtal: [...(caseValue.samtal ?? []), talk],
    chronology: [
      ...moved.chronology,
      {
        at: input.at,
        by: input.actor.userId,
        event: 'samtalRegistrerat',
        note: `${samtalKindLabels[talk.kind]} ${talk.heldOn}, ${samtalsunderlagLabels[talk.underlag.version]}`,
      },
    ],
    updatedAt: input.at,
  };
}

function buildTalk(caseValue: Case, input: RecordSamtalInput): Samtal {
  if (!ZCalendarDate.safeParse(input.heldOn).success) {
    throw new DomainError('invalidInput', samtalMessages.heldOnInvalid, { field: 'heldOn' });
  }
  if (input.heldOn > toStockholmDate(input.at)) {
    throw new DomainError('invalidInput', samtalMessages.heldInFuture, { field: 'heldOn' });
  }
  const { barnet, vardnadshavare } = input.perspectives;
  if (barnet === undefined && vardnadshavare === undefined) {
    throw new DomainError('invalidInput', samtalMessages.perspectiveMissing, { field: 'perspectives' });
  }
  if (input.kind === 'uppfoljningssamtal' && (caseValue.samtal ?? []).length === 0) {
    throw new DomainError('invalidInput', samtalMessages.followUpWithoutTalk, { field: 'kind' });
  }
  const parsed = ZSamtal.safeParse({
    id: input.samtalId,
    kind: input.kind,
    heldOn: input.heldOn,
    underlag: chooseUnderlag(caseValue, input),
    perspectives: {
      ...(barnet === undefined ? {} : { barnet: completePerspective(barnet) }),
      ...(vardnadshavare === undefined ? {} : { vardnadshavare: completePerspective(vardnadshavare) }),
    },
    recordedBy: input.actor.userId,
    recordedAt: input.at,
  });
  if (!parsed.success) {
    throw new DomainError('invalidInput', samtalMessages.invalidTalk, { field: 'perspectives' });
  }
  return parsed.data;
}

function chooseUnderlag(caseValue: Case, input: RecordSamtalInput): Samtal['underlag'] {
  if (input.underlag !== undefined) {
    return { version: input.underlag, chosenBy: 'valt' };
  }
  const birthDate = caseValue.child.birthDate;
  if (birthDate === undefined) {
    throw new DomainError('invalidInput', samtalMessages.underlagUnknownAge, { field: 'underlag' });
  }
  const choice = chooseSamtalsunderlag(birthDate, input.heldOn);
  if (choice.version === undefined) {
    throw new DomainError('invalidInput', choice.reason, { field: 'underlag' });
  }
  return { version: choice.version, chosenBy: 'alder' };
}
