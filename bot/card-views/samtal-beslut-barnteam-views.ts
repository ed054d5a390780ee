/**
 * Case → card data for the cards of the support process after the Barnkontakt has taken a case
 * (Samtycke, Beslut). Each mapping returns `undefined` when the viewer may not act on the case:
 * the card then is not shown, and the read is audited as refused (bot/case-cards.ts).
 */
import type { BarnteamBokatData, BarnteamBokatInputId } from '../../cards/barnteam/barnteam-bokat.js';
import type { CardMember, CardSlot } from '../../cards/barnteam/barnteam-parts.js';
import type { BeslutCardData, BeslutInputId } from '../../cards/samtal-och-beslut/beslut.js';
import type { SamtalData, SamtalInputId } from '../../cards/samtal-och-beslut/samtal.js';
import type { SamtyckeData, SamtyckeInputId } from '../../cards/samtycke/samtycke.js';
import type { MeetingSlot } from '../../flows/barnteam/slot-finding.js';
import { authorize } from '../../flows/kernel/access.js';
import { type AttendeeResponse, toMailboxKey } from '../../flows/kernel/calendar.js';
import { type CalendarDate, type Case, hasValidConsent, type UserId } from '../../flows/kernel/case.js';
import { type Directory, findBarnteamForUnit, type ResolvedBarnteam } from '../../flows/kernel/directory.js';
import type { BarnteamMeeting, Versioned } from '../../flows/kernel/ports.js';
import { chooseSamtalsunderlag, compareWithEarlier, orderTalks } from '../../flows/kernel/records/samtal.js';
import { guards } from '../../flows/kernel/transitions.js';
import { findPersonName } from './person-names.js';
import { formatMeetingTime } from './upptackt-views.js';

export interface FormState<Id extends string> {
  readonly values?: Partial<Record<Id, string>>;
  readonly fieldErrors?: Partial<Record<Id, string>>;
  readonly formError?: string;
  /** What was just done, shown in the success style. */
  readonly confirmation?: string;
}

/** The Samtycke card for the Barnkontakt (or acting deputy); `undefined` for anyone else. */
export function toSamtyckeData(
  current: Versioned<Case>,
  viewerId: UserId,
  directory: Directory,
  form: FormState<SamtyckeInputId> = {},
): SamtyckeData | undefined {
  const caseValue = current.value;
  if (!authorize(caseValue, viewerId, 'registreraSkriftligtSamtycke').allowed) return undefined;
  const consents = caseValue.consents ?? [];
  return {
    caseId: caseValue.id,
    etag: current.etag,
    reference: caseValue.reference,
    child: { givenName: caseValue.child.givenName, familyName: caseValue.child.familyName },
    recorded: consents.map((consent) => ({
      step: consent.step,
      givenBy: [...consent.givenBy],
      at: consent.at,
      recordedByName: findPersonName(caseValue, directory, consent.recordedBy),
      ...(consent.documentReference === undefined ? {} : { documentReference: consent.documentReference }),
      ...(consent.withdrawal === undefined
        ? {}
        : { withdrawal: { at: consent.withdrawal.at, by: consent.withdrawal.by } }),
    })),
    suggestedStep: suggestNextStep(caseValue),
    ...form,
  };
}

/** The Beslut card for the Barnkontakt (or acting deputy); `undefined` for anyone else. */
export function toBeslutData(
  current: Versioned<Case>,
  viewerId: UserId,
  form: FormState<BeslutInputId> = {},
): BeslutCardData | undefined {
  const caseValue = current.value;
  if (!authorize(caseValue, viewerId, 'registreraSkriftligtSamtycke').allowed) return undefined;
  const blocked = hasValidConsent(caseValue, 'skriftligt') ? undefined : guards.skriftligtSamtycke.reason;
  return {
    caseId: caseValue.id,
    etag: current.etag,
    reference: caseValue.reference,
    child: { givenName: caseValue.child.givenName, familyName: caseValue.child.familyName },
    ...(blocked === undefined ? {} : { barnteamBlockedReason: blocked }),
    ...form,
  };
}

/**
 * The Samtal card for the Barnkontakt (or acting deputy); `undefined` for anyone else. The
 * Samtalsunderlag is preselected from the child's age today, and the latest talk is compared
 * with the one before it.
 */
export function toSamtalData(
  current: Versioned<Case>,
  viewerId: UserId,
  options: { readonly draftId: string; readonly today: CalendarDate },
  form: FormState<SamtalInputId> = {},
): SamtalData | undefined {
  const caseValue = current.value;
  if (!authorize(caseValue, viewerId, 'registreraSamtal').allowed) return undefined;
  const birthDate = caseValue.child.birthDate;
  const choice = birthDate === undefined ? undefined : chooseSamtalsunderlag(birthDate, options.today);
  const comparison = compareWithEarlier(caseValue);
  const latest = orderTalks(caseValue.samtal ?? []).at(-1);
  return {
    caseId: caseValue.id,
    etag: current.etag,
    draftId: options.draftId,
    reference: caseValue.reference,
    child: { givenName: caseValue.child.givenName, familyName: caseValue.child.familyName },
    today: options.today,
    underlagSuggestion:
      choice === undefined
        ? { reason: 'Barnets födelsedatum saknas. Välj Samtalsunderlag efter barnets ålder.' }
        : { ...(choice.version === undefined ? {} : { version: choice.version }), reason: choice.reason },
    ...(comparison === undefined || latest === undefined
      ? {}
      : {
          earlier: {
            heldOn: latest.heldOn,
            kind: latest.kind,
            areas: comparison.areas.map((area) => ({ ...area })),
          },
        }),
    ...form,
  };
}

function suggestNextStep(caseValue: Case): SamtyckeData['suggestedStep'] {
  if (!hasValidConsent(caseValue, 'muntligt')) return 'muntligt';
  if (!hasValidConsent(caseValue, 'skriftligt')) return 'skriftligt';
  return 'uppdateratSkriftligt';
}

/**
 * The team's people as the meeting cards list them: the convener first, then the members, each
 * with how they are reached (a guest, outside Teams). With `unreadable` (mailbox keys whose
 * calendar could not be read) a member is marked "tillgänglighet okänd"; with `answers`
 * (mailbox key → answer) their answer to the invitation is shown.
 */
export function toTeamMembers(
  team: ResolvedBarnteam,
  options: {
    readonly unreadable?: ReadonlySet<string>;
    readonly answers?: ReadonlyMap<string, AttendeeResponse>;
  } = {},
): CardMember[] {
  const extras = (email: string) => {
    const key = toMailboxKey(email);
    const answer = options.answers?.get(key);
    return {
      ...(options.unreadable?.has(key) === true ? { availabilityUnknown: true } : {}),
      ...(answer === undefined ? {} : { answer }),
    };
  };
  return [
    {
      role: 'Sammankallande Barnkontakt',
      displayName: team.convener.displayName,
      required: true,
      // The organizer's calendar holds the meeting; the calendar lists no answer of theirs.
      ...extras(team.convener.email),
    },
    ...team.members.map((member) => ({
      role: member.roleLabel,
      displayName: member.contact.displayName,
      required: member.required,
      ...(member.contact.kind === 'medarbetare' ? {} : { kind: member.contact.kind }),
      ...extras(member.contact.email),
    })),
  ];
}

/** A slot from `findMeetingSlots` as the Barnteam cards show it. */
export function toCardSlot(slot: MeetingSlot): CardSlot {
  return {
    start: slot.start,
    end: slot.end,
    label: slot.label,
    optionalConflicts: slot.optionalConflicts.map((conflict) => ({
      label: conflict.label.slice(0, 100),
      note: conflict.note.slice(0, 300),
    })),
    unknownAvailability: slot.unknownAvailability.map((unknown) => ({
      label: unknown.label.slice(0, 100),
      note: unknown.note.slice(0, 300),
    })),
  };
}

/**
 * The booking confirmation for the meeting's convener; `undefined` for anyone else. Children by
 * initials and reference only (the card's schema has no field for a name).
 */
export function toBarnteamBokatData(
  meeting: Versioned<BarnteamMeeting>,
  viewerId: UserId,
  directory: Directory,
  form: FormState<BarnteamBokatInputId> & {
    readonly alternativeSlots?: readonly CardSlot[];
    /** The members' answers read from the calendar, or `unavailable` when it did not answer. */
    readonly answers?:
      | readonly { readonly email: string; readonly response: AttendeeResponse }[]
      | 'unavailable';
  } = {},
): BarnteamBokatData | undefined {
  const value = meeting.value;
  if (value.convenerUserId !== viewerId) return undefined;
  const agenda = value.agenda.filter((item) => item.removedAt === undefined);
  const team = findBarnteamForUnit(directory, value.unitId);
  if (team === undefined || agenda.length === 0) return undefined;
  const { alternativeSlots, answers, ...rest } = form;
  const answerByMailbox =
    answers === undefined || answers === 'unavailable'
      ? undefined
      : new Map(answers.map((answer) => [toMailboxKey(answer.email), answer.response]));
  return {
    meetingId: value.id,
    etag: meeting.etag,
    convenerUserId: value.convenerUserId,
    answers: answers === undefined ? 'notRead' : answers === 'unavailable' ? 'unavailable' : 'read',
    teamName: team.name,
    timeLabel: formatMeetingTime(value.start, value.end),
    ...(value.calendar?.joinUrl === undefined ? {} : { joinUrl: value.calendar.joinUrl }),
    agenda: agenda.map((item) => ({
      caseId: item.caseId,
      reference: item.reference,
      initials: item.initials,
    })),
    members: toTeamMembers(team, answerByMailbox === undefined ? {} : { answers: answerByMailbox }),
    dagordning: [...team.agenda],
    alternativeSlots: [...(alternativeSlots ?? [])],
    ...rest,
  };
}

/**
 * Why "Starta Individuellt barnteam" cannot be chosen yet on the joint compass card, or undefined
 * when it can: only a case in Barnteam with an updated written consent may start one.
 */
export function findIndividuelltBarnteamBlockedReason(caseValue: Case): string | undefined {
  if (caseValue.state !== 'barnteam' || hasValidConsent(caseValue, 'uppdateratSkriftligt')) return undefined;
  return guards.uppdateratSkriftligtSamtycke.reason;
}
