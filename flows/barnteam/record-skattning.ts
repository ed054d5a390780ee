/**
 * Use case: a Barnteam member fills in the Skattningsformulär for a child on the meeting's agenda
 * (step 5 of the stödprocess), and the joint compass of the meeting's answers.
 *
 * Who may answer is decided by the meeting, not by the case's roles: the members (and the
 * convener) are invited for the meeting, and the family's written consent covers sharing with
 * them. The answer is kept on the case, so that it is erased with the case and a withdrawn
 * consent stops it. A member may correct their answer; the latest one counts (an older form that
 * arrives late does not overwrite a newer one).
 *
 * The form is not a rendering of a case version, so the answer applies to the case as it is now
 * and a lost race is retried, like a withdrawn consent.
 */

import type { Case, Instant } from '../kernel/case.js';
import { hasValidConsent } from '../kernel/case.js';
import { type Actor, appendAudit, type FlowDependencies } from '../kernel/case-effects.js';
import { DomainError, isDomainError } from '../kernel/errors.js';
import type { BarnteamMeeting, Versioned } from '../kernel/ports.js';
import { readBarnteamRecords } from '../kernel/records/barnteam-outcome.js';
import { type SkattningAnswer, ZSkattningAnswer } from '../kernel/skattning.js';
import { computeJointCompass, type JointCompass } from './joint-assessment.js';

export const skattningMessages = {
  notMember: 'Bara Barnteamets medlemmar kan fylla i Skattningsformuläret för mötets barn.',
  notOnAgenda: 'Barnet finns inte (längre) på mötets dagordning.',
  meetingNotOn: 'Mötet är inte bokat, så Skattningsformuläret kan inte fyllas i.',
  noConsent: 'Det skriftliga samtycket gäller inte längre, så inget mer kan registreras för barnet.',
  mismatch: 'Skattningen hör inte till det här barnet, mötet eller dig. Öppna formuläret på nytt.',
  newerExists: 'Du har redan lämnat en senare skattning för barnet; den gäller.',
  already: 'Din skattning är redan registrerad.',
  notStored:
    'Skattningen kunde inte sparas: ärendets lagring har inget fält för Barnteamets uppgifter ännu. Kontakta förvaltningen.',
} as const;

export interface RecordSkattningInput {
  readonly meetingId: string;
  readonly caseId: string;
  /** From the activity, never from card data. */
  readonly actor: Actor;
  /** Built by the bot from the form; `rater.userId` must be the actor. */
  readonly answer: SkattningAnswer;
  readonly at: Instant;
}

export type BarnteamRecordResult =
  | { readonly outcome: 'applied'; readonly caseValue: Versioned<Case> }
  | { readonly outcome: 'alreadyApplied'; readonly caseValue: Versioned<Case>; readonly message: string }
  | {
      readonly outcome: 'refused';
      readonly cause: 'accessDenied' | 'transitionRefused' | 'invalidInput';
      readonly message: string;
    };

/**
 * Stores a member's Skattningsformulär answer for a child on the meeting's agenda, audited.
 *
 * @throws DomainError('notFound') for an unknown meeting or case; DomainError('storageUnavailable')
 *   when the store does not keep the answer (the case schema lacks `skattningar`); any store error.
 */
export async function recordSkattning(
  deps: FlowDependencies,
  input: RecordSkattningInput,
): Promise<BarnteamRecordResult> {
  const meeting = await loadMeeting(deps, input.meetingId);
  const refusal = checkMeetingAnswer(meeting, input);
  if (refusal !== undefined) {
    await auditRefusal(deps, input, meeting, 'registreraSkattning');
    return refusal;
  }
  const parsed = ZSkattningAnswer.safeParse({ ...input.answer, meetingId: input.meetingId });
  if (!parsed.success) {
    return { outcome: 'refused', cause: 'invalidInput', message: skattningMessages.mismatch };
  }
  const answer = parsed.data;
  return writeCaseRecord(deps, {
    caseId: input.caseId,
    actorId: input.actor.userId,
    unitId: meeting.unitId,
    at: input.at,
    action: 'registreraSkattning',
    purpose:
      'Barnteamets medlem skattar barnets behov inför mötet; det skriftliga samtycket omfattar Barnteam.',
    already: (caseValue) => {
      const own = findOwnAnswer(caseValue, answer);
      if (own === undefined) return undefined;
      if (own.answeredAt > answer.answeredAt) return skattningMessages.newerExists;
      return JSON.stringify(own) === JSON.stringify(answer) ? skattningMessages.already : undefined;
    },
    build: (caseValue) => {
      const { skattningar } = readBarnteamRecords(caseValue);
      const others = skattningar.filter((candidate) => !isSameForm(candidate, answer));
      return { ...caseValue, skattningar: [...others, answer], updatedAt: input.at } as Case;
    },
    isStored: (caseValue) =>
      readBarnteamRecords(caseValue).skattningar.some(
        (candidate) => JSON.stringify(candidate) === JSON.stringify(answer),
      ),
  });
}

/** The joint compass of the meeting's Skattningsformulär answers for the case (latest per member). */
export function jointCompassFor(caseValue: Case, meetingId: string): JointCompass {
  const answers = readBarnteamRecords(caseValue).skattningar.filter(
    (answer) => answer.meetingId === meetingId && answer.caseId === caseValue.id,
  );
  return computeJointCompass(answers);
}

function checkMeetingAnswer(
  meeting: BarnteamMeeting,
  input: RecordSkattningInput,
): BarnteamRecordResult | undefined {
  const isMember =
    meeting.convenerUserId === input.actor.userId ||
    meeting.members.some((member) => member.userId === input.actor.userId);
  if (!isMember) {
    return { outcome: 'refused', cause: 'accessDenied', message: skattningMessages.notMember };
  }
  if (meeting.state === 'proposed' || meeting.state === 'cancelled') {
    return { outcome: 'refused', cause: 'transitionRefused', message: skattningMessages.meetingNotOn };
  }
  if (!meeting.agenda.some((item) => item.caseId === input.caseId && item.removedAt === undefined)) {
    return { outcome: 'refused', cause: 'transitionRefused', message: skattningMessages.notOnAgenda };
  }
  const answer = input.answer;
  if (
    answer.caseId !== input.caseId ||
    answer.rater.userId !== input.actor.userId ||
    (answer.meetingId !== undefined && answer.meetingId !== input.meetingId)
  ) {
    return { outcome: 'refused', cause: 'invalidInput', message: skattningMessages.mismatch };
  }
  return undefined;
}

function isSameForm(a: SkattningAnswer, b: SkattningAnswer): boolean {
  return a.meetingId === b.meetingId && a.rater.userId.toLowerCase() === b.rater.userId.toLowerCase();
}

function findOwnAnswer(caseValue: Case, answer: SkattningAnswer): SkattningAnswer | undefined {
  return readBarnteamRecords(caseValue).skattningar.find((candidate) => isSameForm(candidate, answer));
}

export async function loadMeeting(deps: FlowDependencies, meetingId: string): Promise<BarnteamMeeting> {
  const stored = await deps.stores.meetings.get(meetingId);
  if (stored === undefined) {
    throw new DomainError('notFound', 'Mötet finns inte.', { meetingId });
  }
  return stored.value;
}

export async function auditRefusal(
  deps: FlowDependencies,
  input: { readonly caseId: string; readonly actor: Actor; readonly at: Instant },
  meeting: BarnteamMeeting,
  action: string,
): Promise<void> {
  await appendAudit(deps, {
    at: input.at,
    actor: input.actor.userId,
    action,
    caseId: input.caseId,
    unitId: meeting.unitId,
    outcome: 'refused',
  });
}

export interface CaseRecordWrite {
  readonly caseId: string;
  readonly actorId: string;
  readonly unitId: string;
  readonly at: Instant;
  readonly action: string;
  readonly purpose: string;
  /** The message when the case already holds this record (nothing is written), else undefined. */
  already(caseValue: Case): string | undefined;
  /** The new case; throws DomainError `invalidInput` or `transitionRefused` to refuse. */
  build(caseValue: Case): Case;
  /** Whether the stored case kept the record (a store whose case schema lacks the field drops it). */
  isStored(caseValue: Case): boolean;
}

const maxWriteAttempts = 3;

/**
 * Load, check consent, audit, write conditionally, retry a lost race: the common steps of the
 * Barnteam records on a case. A case whose written consent no longer holds takes nothing more.
 */
export async function writeCaseRecord(
  deps: FlowDependencies,
  write: CaseRecordWrite,
): Promise<BarnteamRecordResult> {
  for (let attempt = 1; ; attempt += 1) {
    const current = await deps.stores.cases.get(write.caseId);
    if (current === undefined) {
      throw new DomainError('notFound', 'Ärendet finns inte.', { caseId: write.caseId });
    }
    const audit = (outcome: 'allowed' | 'refused', action = write.action) =>
      appendAudit(deps, {
        at: write.at,
        actor: write.actorId,
        action,
        caseId: write.caseId,
        unitId: write.unitId,
        outcome,
        ...(outcome === 'allowed' && action === write.action ? { purpose: write.purpose } : {}),
      });
    if (!hasValidConsent(current.value, 'skriftligt')) {
      await audit('refused');
      return { outcome: 'refused', cause: 'transitionRefused', message: skattningMessages.noConsent };
    }
    const already = write.already(current.value);
    if (already !== undefined) {
      await audit('allowed', 'lasArende');
      return { outcome: 'alreadyApplied', caseValue: current, message: already };
    }
    let next: Case;
    try {
      next = write.build(current.value);
    } catch (error) {
      if (!isDomainError(error, 'invalidInput') && !isDomainError(error, 'transitionRefused')) throw error;
      await audit('refused');
      return {
        outcome: 'refused',
        cause: error.code === 'invalidInput' ? 'invalidInput' : 'transitionRefused',
        message: error.message,
      };
    }
    // Audited before the write: if the audit log fails, nothing is recorded.
    await audit('allowed');
    try {
      const stored = await deps.stores.cases.replace(next, current.etag);
      if (!write.isStored(stored.value)) {
        throw new DomainError('storageUnavailable', skattningMessages.notStored, { caseId: write.caseId });
      }
      return { outcome: 'applied', caseValue: stored };
    } catch (error) {
      if (!isDomainError(error, 'concurrencyConflict') || attempt >= maxWriteAttempts) throw error;
    }
  }
}
