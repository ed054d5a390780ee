/**
 * Use case: a Barnteam member fills in the Skattningsformulär for a child on the meeting's agenda
 * (step 5 of the stödprocess), the convener records it for a member who cannot (a police officer
 * outside Teams, a guest who never installed the app), and the joint compass of the meeting's
 * answers.
 *
 * Who may answer is decided by the meeting, not by the case's roles: the members (and the
 * convener) are invited for the meeting, and the family's written consent covers sharing with
 * them. The answer is kept on the case, so that it is erased with the case and a withdrawn
 * consent stops it. A member may correct their answer; the latest one counts (an older form that
 * arrives late does not overwrite a newer one), and the same ratings sent twice are stored once.
 *
 * Recording on a member's behalf (`recordSkattningOnBehalf`), decisions:
 * - Only the meeting's convener, for one of the meeting's members, and from the meeting's day on:
 *   "at or after the meeting". Before that day the member has the form themselves, and a convener
 *   who filled it in for them early would take the member's own view away.
 * - The answer is the member's (`rater`) with `recordedBy` naming the convener, so the joint
 *   compass counts the member's organisation and the card says "registrerad av … för …". The
 *   audit row is the convener's, with a purpose line naming the member.
 * - A member's own answer is never replaced by one recorded for them: the convener is told so.
 * - The member's own later form does not silently replace the recorded one either: the first
 *   save comes back with what was recorded and by whom, and the form then names that answer
 *   (`replacesRecordedAt`); saved again, the member's own answer takes its place (still one
 *   answer per member, so nothing is counted twice).
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
import {
  type SkattningAnswer,
  type SkattningAreaAnswer,
  type SkattningRater,
  toRaterKey,
  ZSkattningAnswer,
} from '../kernel/skattning.js';
import { swedishMonthNames, toStockholmDate } from '../kernel/stockholm-date.js';
import { computeJointCompass, type JointCompass } from './joint-assessment.js';

export const skattningMessages = {
  notMember: 'Bara Barnteamets medlemmar kan fylla i Skattningsformuläret för mötets barn.',
  notOnAgenda: 'Barnet finns inte (längre) på mötets dagordning.',
  meetingNotOn: 'Mötet är inte bokat, så Skattningsformuläret kan inte fyllas i.',
  noConsent: 'Det skriftliga samtycket gäller inte längre, så inget mer kan registreras för barnet.',
  mismatch: 'Skattningen hör inte till det här barnet, mötet eller dig. Öppna formuläret på nytt.',
  newerExists: 'Du har redan lämnat en senare skattning för barnet; den gäller.',
  already: 'Din skattning är redan registrerad.',
  onBehalfConvenerOnly:
    'Bara den Barnkontakt som sammankallar Barnteamet kan registrera en skattning för en medlems räkning.',
  onBehalfNotMember: 'Personen är inte medlem i mötet, så ingen skattning kan registreras för hen.',
  onBehalfAlready: 'Skattningen är redan registrerad för medlemmen.',
  onBehalfNewerExists: 'En senare skattning är redan registrerad för medlemmen; den gäller.',
  notStored:
    'Skattningen kunde inte sparas: ärendets lagring har inget fält för Barnteamets uppgifter ännu. Kontakta förvaltningen.',
} as const;

/** Before the meeting's day the member fills in the form themselves. */
export function describeOnBehalfTooEarly(meetingDate: string): string {
  return `En skattning för en medlems räkning kan registreras från mötesdagen, ${formatDay(meetingDate)}. Före dess fyller medlemmen i formuläret själv.`;
}

/** The convener may not replace what the member answered themselves. */
export function describeOwnAnswerKept(memberName: string): string {
  return `${memberName} har redan lämnat en egen skattning. Den gäller och ersätts inte.`;
}

/** The member's first save after the convener recorded an answer for them. */
export function describeRecordedForYou(convenerName: string, recordedAt: Instant): string {
  return `${convenerName} registrerade en skattning för dig ${formatDay(toStockholmDate(recordedAt))}; den gäller nu och visas i formuläret. Spara igen om du vill ersätta den med din egen.`;
}

export interface RecordSkattningInput {
  readonly meetingId: string;
  readonly caseId: string;
  /** From the activity, never from card data. */
  readonly actor: Actor;
  /** Built by the bot from the form; `rater.userId` must be the actor. */
  readonly answer: SkattningAnswer;
  readonly at: Instant;
  /**
   * The `answeredAt` of the answer recorded on the member's behalf that the form showed them: a
   * save that names it replaces that answer, one that does not is sent back (see the module comment).
   */
  readonly replacesRecordedAt?: Instant;
}

export interface RecordSkattningOnBehalfInput {
  readonly meetingId: string;
  readonly caseId: string;
  /** From the activity, never from card data: must be the meeting's convener. */
  readonly actor: Actor;
  /** The member whose ratings these are, with their name and role as the team knows them. */
  readonly member: SkattningRater;
  /** The convener as the card shows them ("registrerad av …"). */
  readonly recordedByName: string;
  readonly areas: readonly SkattningAreaAnswer[];
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
      const stored = findAnswerOf(caseValue, answer);
      if (stored === undefined) return undefined;
      // The recorded answer is weighed in `build`: it is replaced or the member is told.
      if (stored.recordedBy !== undefined) return undefined;
      if (stored.answeredAt > answer.answeredAt) return skattningMessages.newerExists;
      return hasSameRatings(stored, answer) ? skattningMessages.already : undefined;
    },
    build: (caseValue) => {
      const stored = findAnswerOf(caseValue, answer);
      if (stored?.recordedBy !== undefined && stored.answeredAt !== input.replacesRecordedAt) {
        throw new DomainError(
          'transitionRefused',
          describeRecordedForYou(stored.recordedBy.displayName, stored.answeredAt),
        );
      }
      return withAnswer(caseValue, answer, input.at);
    },
    isStored: (caseValue) => isKept(caseValue, answer),
  });
}

/**
 * The convener records a member's Skattningsformulär on their behalf, at or after the meeting,
 * audited with a purpose line naming the member (see the module comment for the decisions).
 *
 * @throws DomainError('notFound') for an unknown meeting or case; DomainError('storageUnavailable')
 *   when the store does not keep the answer; any store error.
 */
export async function recordSkattningOnBehalf(
  deps: FlowDependencies,
  input: RecordSkattningOnBehalfInput,
): Promise<BarnteamRecordResult> {
  const meeting = await loadMeeting(deps, input.meetingId);
  const refusal = checkOnBehalf(meeting, input);
  if (refusal !== undefined) {
    await auditRefusal(deps, input, meeting, 'registreraSkattningForMedlem');
    return refusal;
  }
  const parsed = ZSkattningAnswer.safeParse({
    caseId: input.caseId,
    meetingId: input.meetingId,
    rater: input.member,
    recordedBy: { userId: input.actor.userId, displayName: input.recordedByName },
    answeredAt: input.at,
    areas: input.areas,
  });
  if (!parsed.success) {
    return { outcome: 'refused', cause: 'invalidInput', message: skattningMessages.mismatch };
  }
  const answer = parsed.data;
  return writeCaseRecord(deps, {
    caseId: input.caseId,
    actorId: input.actor.userId,
    unitId: meeting.unitId,
    at: input.at,
    action: 'registreraSkattningForMedlem',
    // The member's id (Teams identity or directory id), not their name: ids are what access review matches.
    purpose: `Sammankallande registrerar Skattningsformuläret för mötets medlem ${toRaterKey(answer.rater)} (${answer.rater.role}), som inte har lämnat det själv; det skriftliga samtycket omfattar Barnteam.`,
    already: (caseValue) => {
      const stored = findAnswerOf(caseValue, answer);
      if (stored?.recordedBy === undefined) return undefined;
      if (stored.answeredAt > answer.answeredAt) return skattningMessages.onBehalfNewerExists;
      return hasSameRatings(stored, answer) ? skattningMessages.onBehalfAlready : undefined;
    },
    build: (caseValue) => {
      const stored = findAnswerOf(caseValue, answer);
      if (stored !== undefined && stored.recordedBy === undefined) {
        throw new DomainError('transitionRefused', describeOwnAnswerKept(answer.rater.displayName));
      }
      return withAnswer(caseValue, answer, input.at);
    },
    isStored: (caseValue) => isKept(caseValue, answer),
  });
}

/** The answer the case holds for this member at this meeting (their own or recorded for them). */
export function findMemberAnswer(
  caseValue: Case,
  meetingId: string,
  raterKey: string,
): SkattningAnswer | undefined {
  return readBarnteamRecords(caseValue).skattningar.find(
    (candidate) => candidate.meetingId === meetingId && toRaterKey(candidate.rater) === raterKey,
  );
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
    // One's own answer names no recorder: recording for someone else is `recordSkattningOnBehalf`.
    answer.recordedBy !== undefined ||
    (answer.meetingId !== undefined && answer.meetingId !== input.meetingId)
  ) {
    return { outcome: 'refused', cause: 'invalidInput', message: skattningMessages.mismatch };
  }
  return undefined;
}

function checkOnBehalf(
  meeting: BarnteamMeeting,
  input: RecordSkattningOnBehalfInput,
): BarnteamRecordResult | undefined {
  if (meeting.convenerUserId !== input.actor.userId) {
    return { outcome: 'refused', cause: 'accessDenied', message: skattningMessages.onBehalfConvenerOnly };
  }
  const memberKey = toRaterKey(input.member);
  if (
    memberKey === meeting.convenerUserId.toLowerCase() ||
    findMeetingMember(meeting, memberKey) === undefined
  ) {
    return { outcome: 'refused', cause: 'invalidInput', message: skattningMessages.onBehalfNotMember };
  }
  if (meeting.state === 'proposed' || meeting.state === 'cancelled') {
    return { outcome: 'refused', cause: 'transitionRefused', message: skattningMessages.meetingNotOn };
  }
  if (!meeting.agenda.some((item) => item.caseId === input.caseId && item.removedAt === undefined)) {
    return { outcome: 'refused', cause: 'transitionRefused', message: skattningMessages.notOnAgenda };
  }
  const meetingDate = toStockholmDate(meeting.start);
  if (toStockholmDate(input.at) < meetingDate) {
    return { outcome: 'refused', cause: 'transitionRefused', message: describeOnBehalfTooEarly(meetingDate) };
  }
  return undefined;
}

/** The meeting's member with this rater key (`toRaterKey`), by Teams identity or directory id. */
export function findMeetingMember(
  meeting: BarnteamMeeting,
  raterKey: string,
): BarnteamMeeting['members'][number] | undefined {
  return meeting.members.find(
    (member) =>
      (member.userId !== undefined && member.userId.toLowerCase() === raterKey) ||
      (member.contactId !== undefined && `kontakt:${member.contactId}` === raterKey),
  );
}

function isSameForm(a: SkattningAnswer, b: SkattningAnswer): boolean {
  return a.meetingId === b.meetingId && toRaterKey(a.rater) === toRaterKey(b.rater);
}

function findAnswerOf(caseValue: Case, answer: SkattningAnswer): SkattningAnswer | undefined {
  return readBarnteamRecords(caseValue).skattningar.find((candidate) => isSameForm(candidate, answer));
}

/** Same ratings, comments, rater and recorder: a double click or a resent form, whatever its time. */
function hasSameRatings(a: SkattningAnswer, b: SkattningAnswer): boolean {
  const { answeredAt: _a, ...first } = a;
  const { answeredAt: _b, ...second } = b;
  return JSON.stringify(first) === JSON.stringify(second);
}

/** One answer per member and meeting: the new one takes the place of any earlier one. */
function withAnswer(caseValue: Case, answer: SkattningAnswer, at: Instant): Case {
  const { skattningar } = readBarnteamRecords(caseValue);
  const others = skattningar.filter((candidate) => !isSameForm(candidate, answer));
  return { ...caseValue, skattningar: [...others, answer], updatedAt: at } as Case;
}

function isKept(caseValue: Case, answer: SkattningAnswer): boolean {
  return readBarnteamRecords(caseValue).skattningar.some(
    (candidate) => JSON.stringify(candidate) === JSON.stringify(answer),
  );
}

/** `2026-03-04` → `4 mars 2026`. */
function formatDay(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return `${day} ${swedishMonthNames[(month ?? 1) - 1]} ${year}`;
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
