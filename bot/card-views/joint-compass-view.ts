/**
 * Case + meeting → the joint compass card's data, for both answers that show it (a saved
 * Skattningsformulär, a recorded outcome): the compass, and who of the meeting has rated, whose
 * answer the convener recorded, and who has not, so that the convener sees which organisation is
 * missing before the team decides. Only the convener is offered "Registrera för …", and only from
 * the meeting's day (`recordSkattningOnBehalf` says why).
 */
import type { GemensamBehovskompassData } from '../../cards/barnteam/gemensam-behovskompass.js';
import { findPersonByUserId, resolveBarnteam } from '../../flows/barnteam/barnteam-setup.js';
import { findMemberAnswer, jointCompassFor } from '../../flows/barnteam/record-skattning.js';
import { authorize } from '../../flows/kernel/access.js';
import type { Case, Instant, UserId } from '../../flows/kernel/case.js';
import { contactKindLabels, type Directory } from '../../flows/kernel/directory.js';
import type { BarnteamMeeting, Versioned } from '../../flows/kernel/ports.js';
import { type SkattningRater, toRaterKey } from '../../flows/kernel/skattning.js';
import { toStockholmDate } from '../../flows/kernel/stockholm-date.js';
import { findIndividuelltBarnteamBlockedReason } from './samtal-beslut-barnteam-views.js';
import { formatMeetingTime } from './upptackt-views.js';

export const convenerRoleLabel = 'Barnkontakt, sammankallande';
const upptackareRoleLabel = 'Upptäckare';

/** A person of the meeting as the Skattningsformulär names them, keyed as the answers are. */
export interface MeetingRater extends SkattningRater {
  /** `toRaterKey`: what a card carries to name the member. */
  readonly key: string;
  readonly isConvener: boolean;
  /** "gäst i kommunens Teams", "utanför Teams, nås via e-post"; absent for staff in the tenant. */
  readonly kindLabel?: string;
}

/** The convener first, then the meeting's members in the order they were invited. */
export function listMeetingRaters(meeting: BarnteamMeeting, directory: Directory): MeetingRater[] {
  const team = resolveBarnteam(directory, meeting.unitId);
  const convener = findPersonByUserId(directory, meeting.convenerUserId);
  const raters: MeetingRater[] = [
    {
      key: toRaterKey({ userId: meeting.convenerUserId }),
      userId: meeting.convenerUserId,
      displayName: convener?.displayName ?? 'Sammankallande',
      role: convenerRoleLabel,
      isConvener: true,
    },
  ];
  for (const member of meeting.members) {
    // The convener is invited with the members (to have the meeting in her calendar), but listed once.
    if (member.userId !== undefined && member.userId.toLowerCase() === meeting.convenerUserId.toLowerCase())
      continue;
    const inTeam = team?.members.find(
      (candidate) =>
        (member.contactId !== undefined && candidate.contactId === member.contactId) ||
        (member.userId !== undefined && candidate.userId?.toLowerCase() === member.userId.toLowerCase()),
    );
    const person = member.userId === undefined ? undefined : findPersonByUserId(directory, member.userId);
    const kind = member.kind ?? inTeam?.kind;
    const contactId = member.contactId ?? inTeam?.contactId;
    raters.push({
      key: toRaterKey({ ...(member.userId === undefined ? {} : { userId: member.userId }), contactId }),
      ...(member.userId === undefined ? {} : { userId: member.userId }),
      ...(contactId === undefined ? {} : { contactId }),
      displayName: inTeam?.displayName ?? person?.displayName ?? 'Barnteamets medlem',
      role:
        member.role === 'upptackare' ? upptackareRoleLabel : (inTeam?.roleLabel ?? member.role.slice(0, 100)),
      isConvener: false,
      ...(kind === undefined || kind === 'medarbetare' ? {} : { kindLabel: contactKindLabels[kind] }),
    });
  }
  return raters;
}

/** The meeting's rater with this key, or undefined. */
export function findMeetingRater(
  meeting: BarnteamMeeting,
  directory: Directory,
  key: string,
): MeetingRater | undefined {
  // Contact ids are lower case in the directory, and a Teams identity compares without case.
  return listMeetingRaters(meeting, directory).find((rater) => rater.key === key.toLowerCase());
}

/** Whether the convener may record answers on a member's behalf now: from the meeting's day. */
export function isOnBehalfOpen(meeting: BarnteamMeeting, now: Instant): boolean {
  return toStockholmDate(now) >= toStockholmDate(meeting.start);
}

export interface JointCompassViewInput {
  readonly meeting: BarnteamMeeting;
  readonly caseValue: Versioned<Case>;
  readonly viewerId: UserId;
  readonly directory: Directory;
  readonly now: Instant;
}

/** The joint compass card's data for one child of the meeting, as `viewerId` sees it. */
export function toGemensamBehovskompassData(
  input: JointCompassViewInput,
  form: Pick<GemensamBehovskompassData, 'values' | 'fieldErrors' | 'formError' | 'confirmation'> = {},
): GemensamBehovskompassData | undefined {
  const { meeting, caseValue, viewerId, directory } = input;
  const item = meeting.agenda.find((candidate) => candidate.caseId === caseValue.value.id);
  if (item === undefined) return undefined;
  const isConvener = meeting.convenerUserId.toLowerCase() === viewerId.toLowerCase();
  const onBehalfOpen = isConvener && isOnBehalfOpen(meeting, input.now);
  const blocked = findIndividuelltBarnteamBlockedReason(caseValue.value);
  return {
    meetingId: meeting.id,
    caseId: caseValue.value.id,
    etag: caseValue.etag,
    reference: item.reference,
    initials: item.initials,
    timeLabel: formatMeetingTime(meeting.start, meeting.end),
    joint: jointCompassFor(caseValue.value, meeting.id),
    raters: listMeetingRaters(meeting, directory).map((rater) => {
      const answer = findMemberAnswer(caseValue.value, meeting.id, rater.key);
      const recordedBy = answer?.recordedBy?.displayName;
      return {
        key: rater.key,
        name: rater.displayName,
        role: rater.role,
        ...(rater.kindLabel === undefined ? {} : { kindLabel: rater.kindLabel }),
        status: answer === undefined ? 'saknas' : recordedBy === undefined ? 'egen' : 'registrerad',
        ...(recordedBy === undefined ? {} : { recordedByName: recordedBy }),
        canRecord: onBehalfOpen && !rater.isConvener && (answer === undefined || recordedBy !== undefined),
      };
    }),
    ...(isConvener && !onBehalfOpen ? { onBehalfOpensOn: toStockholmDate(meeting.start) } : {}),
    ...(blocked === undefined
      ? {}
      : {
          individuelltBarnteamBlockedReason: blocked,
          // The way to the missing consent, for whoever may record it (the Barnkontakt).
          consentButton: authorize(caseValue.value, viewerId, 'registreraSkriftligtSamtycke').allowed,
        }),
    ...form,
  };
}
