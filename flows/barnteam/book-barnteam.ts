/**
 * Use cases: propose times for a Barnteam meeting and book it in the convener's calendar
 * (step 5 of the stödprocess). The convener is the unit's Barnkontakt; the children on the agenda are
 * cases lifted to Barnteam with the family's written consent.
 *
 * Write order of a booking, chosen so that a crash never leaves a meeting in someone's calendar
 * that the product does not know about:
 * 1. an audit entry per case (if the audit log fails, nothing is booked);
 * 2. a repair reminder (`slutforBarnteamBokning`, due in a few minutes);
 * 3. the meeting document in state `proposed`, its id derived from the proposal id;
 * 4. the calendar event, with `transactionId` = the meeting id (Graph and the embedded calendar
 *    answer a repeat with the event the first call created);
 * 5. the meeting document `booked`, with the event id and the Teams link;
 * 6. the members' reminders, the check of their answers and the Upptäckare's notices, under
 *    derived ids.
 * A crash after 3 is completed by the next click on the same proposal or by the repair reminder
 * (`handleBookingRepair`): both run 4–6 again, and every step there is idempotent. A crash
 * between 2 and 3 leaves a repair reminder that finds no meeting and does nothing.
 */
import { authorize } from '../kernel/access.js';
import {
  type Calendar,
  checkMeetingTime,
  maxReminderMinutesBeforeStart,
  toMailboxKey,
} from '../kernel/calendar.js';
import { type Case, hasValidConsent, type Instant, type UserId } from '../kernel/case.js';
import {
  type Actor,
  appendAudit,
  enqueueNotice,
  type FlowDependencies,
  findUpptackare,
  nowInstant,
  toNoticeId,
} from '../kernel/case-effects.js';
import type { ContactKind } from '../kernel/directory.js';
import { DomainError, isDomainError } from '../kernel/errors.js';
import type { BarnteamMeeting, Reminder, Versioned } from '../kernel/ports.js';
import { stateLabels } from '../kernel/transitions.js';
import {
  type BarnteamMember,
  type BarnteamPerson,
  type BarnteamSetup,
  findPersonByUserId,
  type ReminderOffset,
  resolveBarnteam,
} from './barnteam-setup.js';
import {
  type AgendaItem,
  buildAgendaItem,
  buildInvitationBody,
  buildInvitationSubject,
} from './meeting-agenda.js';
import { scheduleAnswerCheck, scheduleMeetingReminders, upptackareMemberRole } from './meeting-reminders.js';
import { computeScheduleWindowEnd, readMemberSchedules } from './member-schedules.js';
import { findMeetingSlots, type MeetingSlot } from './slot-finding.js';

/** The use cases that touch the calendar need it on top of the stores. */
export interface BarnteamDependencies extends FlowDependencies {
  readonly calendar: Calendar;
}

/** The reminder kind that completes a booking interrupted by a crash. */
export const bookingRepairReminderKind = 'slutforBarnteamBokning';

/** The member role of the convener on the meeting document. */
export const convenerMemberRole = 'sammankallande';

const bookingRepairDelayMs = 5 * 60_000;
const proposalIdPattern = /^[A-Za-z0-9-]{8,64}$/;

export const barnteamMessages = {
  noTeam: 'Enheten har inget Barnteam i katalogen, eller ingen Barnkontakt som kan sammankalla det.',
  notConvener: 'Bara enhetens Barnkontakt kan boka Barnteam för enheten.',
  noCases: 'Välj minst ett barn att ta upp på Barnteam.',
  noCaseAccepted: 'Inget av barnen kan tas upp på Barnteam just nu.',
  slotPassed: 'Tiden har redan passerat. Välj en ny tid.',
  invalidProposal: 'Förslaget kunde inte läsas. Börja om med ”boka barnteam”.',
  otherTeam: 'Bokningen hör till ett annat Barnteam.',
  booked: 'Barnteam är redan bokat.',
} as const;

/** Why one case cannot go on the agenda, in Swedish, naming its reference. */
export interface RefusedCase {
  readonly caseId: string;
  readonly reference?: string;
  readonly message: string;
}

/** Whether a member could be read and how they take part, for the slot card. */
export interface ProposalMember {
  /** Absent for a member outside Teams. */
  readonly userId?: UserId;
  readonly kind: ContactKind;
  /** Where the calendar was asked and the invitation goes. */
  readonly email: string;
  readonly displayName: string;
  readonly roleLabel: string;
  readonly required: boolean;
  /**
   * False when their calendar could not be read: the slots were chosen without them and the
   * card says "tillgänglighet okänd". They are invited all the same.
   */
  readonly readable: boolean;
}

export interface ProposeBarnteamSlotsInput {
  readonly unitId: string;
  readonly caseIds: readonly string[];
  /** From the activity, never from card data. */
  readonly actor: Actor;
  /** Now, or the earliest time the convener wants. */
  readonly from: Instant;
}

export type ProposeBarnteamSlotsResult =
  | {
      readonly outcome: 'proposed';
      /** Carried by the slot card; booking with it twice books once. */
      readonly proposalId: string;
      readonly slots: readonly MeetingSlot[];
      /** Set when `slots` is empty: what to change. */
      readonly noSlotMessage?: string;
      readonly agenda: readonly AgendaItem[];
      readonly members: readonly ProposalMember[];
      readonly refusedCases: readonly RefusedCase[];
    }
  | { readonly outcome: 'refused'; readonly message: string; readonly refusedCases: readonly RefusedCase[] };

/**
 * Proposes the first free times for a Barnteam meeting: reads the free/busy of every member in
 * Teams (and the convener's, and each child's Upptäckare's as optional when their mailbox is
 * known) in ONE calendar call, then `findMeetingSlots` in working time within the team's horizon. A case that
 * cannot go on the agenda is refused with its reason and the rest are proposed. A member whose
 * calendar cannot be read (a guest's mailbox at home, someone outside Teams) does not block:
 * the slots are chosen on the calendars that can be read, and the member is reported as
 * unreadable (`ProposalMember.readable`), since a team spanning organisations would otherwise
 * never get a time.
 *
 * @throws DomainError('notFound') when the unit has no Barnteam; the calendar's errors; any
 *   error of the audit log.
 */
export async function proposeBarnteamSlots(
  deps: BarnteamDependencies,
  input: ProposeBarnteamSlotsInput,
): Promise<ProposeBarnteamSlotsResult> {
  const team = requireTeam(deps, input.unitId);
  if (input.actor.userId !== team.convener.userId) {
    return { outcome: 'refused', message: barnteamMessages.notConvener, refusedCases: [] };
  }
  const checked = await checkAgendaCases(
    deps,
    team,
    input.caseIds,
    input.actor.userId,
    input.from,
    'planeraBarnteam',
  );
  if (checked.accepted.length === 0) {
    return {
      outcome: 'refused',
      message: input.caseIds.length === 0 ? barnteamMessages.noCases : barnteamMessages.noCaseAccepted,
      refusedCases: checked.refused,
    };
  }
  const participants = listParticipants(deps, team, checked.accepted);
  const start = input.from;
  const end = computeScheduleWindowEnd(start, team.horizonDays);
  const memberSchedules = await readMemberSchedules(
    deps.calendar,
    participants.map((participant) => ({
      email: participant.email,
      kind: participant.kind,
      label: `${participant.displayName} (${participant.roleLabel})`,
      required: participant.required,
    })),
    { start, end, organizer: team.convener.email },
  );
  const members: ProposalMember[] = participants.map((participant, index) => ({
    ...(participant.userId === undefined ? {} : { userId: participant.userId }),
    kind: participant.kind,
    email: participant.email,
    displayName: participant.displayName,
    roleLabel: participant.roleLabel,
    required: participant.required,
    readable: memberSchedules[index]?.unreadable !== true,
  }));
  const base = {
    outcome: 'proposed' as const,
    proposalId: deps.newId(),
    agenda: checked.accepted.map(buildAgendaItem),
    members,
    refusedCases: checked.refused,
  };
  const found = findMeetingSlots({
    schedules: memberSchedules,
    durationMinutes: team.meetingMinutes,
    from: start,
    horizonDays: team.horizonDays,
    workingTime: team.workingTime,
    stepMinutes: team.slotStepMinutes,
    maxSlots: team.maxSlots,
  });
  return found.reason === undefined
    ? { ...base, slots: found.slots }
    : { ...base, slots: [], noSlotMessage: found.message };
}

export interface BookBarnteamInput {
  readonly unitId: string;
  readonly caseIds: readonly string[];
  readonly slot: { readonly start: Instant; readonly end: Instant };
  /** From the activity, never from card data. */
  readonly actor: Actor;
  /** From `proposeBarnteamSlots`, carried by the card: the same proposal books once. */
  readonly proposalId: string;
  readonly at: Instant;
}

export type BookBarnteamResult =
  | {
      readonly outcome: 'booked';
      readonly meeting: Versioned<BarnteamMeeting>;
      readonly refusedCases: readonly RefusedCase[];
    }
  /** This proposal was booked before (a double click, a redelivered invoke); effects repaired. */
  | {
      readonly outcome: 'alreadyBooked';
      readonly meeting: Versioned<BarnteamMeeting>;
      readonly message: string;
    }
  | { readonly outcome: 'refused'; readonly message: string; readonly refusedCases: readonly RefusedCase[] };

/** The meeting booked from one proposal. */
export function toMeetingId(proposalId: string): string {
  return `barnteam-${proposalId}`;
}

export function toBookingRepairReminderId(meetingId: string): string {
  return `${meetingId}:slutforBokning`;
}

/**
 * Books the Barnteam meeting in the convener's calendar with a Teams link, the dagordning and
 * the children as "<initials> (<reference>)"; every member (required or optional) and each
 * child's Upptäckare (optional, for their child's item) are invited. Then schedules the members'
 * reminders and tells each Upptäckare that the child is on the agenda. See the module comment
 * for the write order.
 *
 * @throws DomainError('notFound') when the unit has no Barnteam; DomainError('invalidInput') for
 *   a time that is not after `at` or ends before it starts; the calendar's errors (the meeting
 *   then stays `proposed` and is completed by a repeat or the repair reminder); any store error.
 */
export async function bookBarnteam(
  deps: BarnteamDependencies,
  input: BookBarnteamInput,
): Promise<BookBarnteamResult> {
  if (!proposalIdPattern.test(input.proposalId)) {
    throw new DomainError('invalidInput', barnteamMessages.invalidProposal, { field: 'proposalId' });
  }
  const team = requireTeam(deps, input.unitId);
  const meetingId = toMeetingId(input.proposalId);
  const existing = await deps.stores.meetings.get(meetingId);
  if (existing !== undefined) {
    return answerExisting(deps, team, existing, input.actor.userId);
  }
  if (input.actor.userId !== team.convener.userId) {
    return { outcome: 'refused', message: barnteamMessages.notConvener, refusedCases: [] };
  }
  checkMeetingTime(input.slot);
  if (Date.parse(input.slot.start) <= Date.parse(input.at)) {
    throw new DomainError('invalidInput', barnteamMessages.slotPassed, { field: 'slot' });
  }
  const checked = await checkAgendaCases(
    deps,
    team,
    input.caseIds,
    input.actor.userId,
    input.at,
    'bokaBarnteam',
  );
  if (checked.accepted.length === 0) {
    return {
      outcome: 'refused',
      message: input.caseIds.length === 0 ? barnteamMessages.noCases : barnteamMessages.noCaseAccepted,
      refusedCases: checked.refused,
    };
  }
  const meeting: BarnteamMeeting = {
    id: meetingId,
    unitId: team.unitId,
    convenerUserId: team.convener.userId,
    state: 'proposed',
    start: new Date(Date.parse(input.slot.start)).toISOString(),
    end: new Date(Date.parse(input.slot.end)).toISOString(),
    agenda: checked.accepted.map(buildAgendaItem),
    members: listParticipants(deps, team, checked.accepted).map((participant) => ({
      ...(participant.userId === undefined ? {} : { userId: participant.userId }),
      contactId: participant.contactId,
      kind: participant.kind,
      email: participant.email,
      role: participant.role,
      required: participant.required,
    })),
    createdAt: input.at,
    updatedAt: input.at,
  };
  const repair: Reminder = {
    id: toBookingRepairReminderId(meetingId),
    kind: bookingRepairReminderKind,
    dueAt: new Date(Date.parse(input.at) + bookingRepairDelayMs).toISOString(),
    status: 'scheduled',
    data: { meetingId },
    createdAt: input.at,
  };
  await deps.stores.reminders.schedule(repair);
  let proposed: Versioned<BarnteamMeeting>;
  try {
    proposed = await deps.stores.meetings.create(meeting);
  } catch (error) {
    if (!isDomainError(error, 'alreadyExists')) throw error;
    // The other click of a double click stored it first: finish (or answer) what it started.
    const winner = await deps.stores.meetings.get(meetingId);
    if (winner === undefined) throw error;
    return answerExisting(deps, team, winner, input.actor.userId);
  }
  const booked = await completeBooking(deps, team, proposed);
  return { outcome: 'booked', meeting: booked, refusedCases: checked.refused };
}

/**
 * The sweeper's handler for `slutforBarnteamBokning`: completes a booking that stopped after the
 * meeting was stored (a crash, a calendar that did not answer). Does nothing once it is booked,
 * moved, cancelled or gone. A calendar error propagates so that the sweeper tries again.
 */
export async function handleBookingRepair(
  deps: BarnteamDependencies,
  reminder: Reminder,
): Promise<'completed' | 'nothingToDo'> {
  const meetingId = reminder.data.meetingId;
  if (typeof meetingId !== 'string') return 'nothingToDo';
  const stored = await deps.stores.meetings.get(meetingId);
  if (stored === undefined || stored.value.state !== 'proposed') return 'nothingToDo';
  const team = resolveBarnteam(deps.directory, stored.value.unitId);
  if (team === undefined) return 'nothingToDo';
  await completeBooking(deps, team, stored);
  return 'completed';
}

/** Steps 4–6 of the write order: calendar event, `booked`, reminders and notices. */
async function completeBooking(
  deps: BarnteamDependencies,
  team: BarnteamSetup,
  proposed: Versioned<BarnteamMeeting>,
): Promise<Versioned<BarnteamMeeting>> {
  const meeting = proposed.value;
  const created = await deps.calendar.createMeeting({
    organizer: team.convener.email,
    subject: buildInvitationSubject(team.unitName, meeting.start),
    bodyHtml: buildInvitationBody({
      unitName: team.unitName,
      dagordning: team.dagordning,
      agenda: meeting.agenda,
    }),
    start: meeting.start,
    end: meeting.end,
    // Everyone, in Teams or not: the invitation reaches a mailbox in any organisation.
    attendees: meeting.members
      .filter((member) => toMailboxKey(member.email) !== toMailboxKey(team.convener.email))
      .map((member) => ({
        email: member.email,
        name: findMemberName(deps, team, member),
        type: member.required ? 'required' : 'optional',
      })),
    reminderMinutesBeforeStart: toCalendarReminderMinutes(team.reminderOffsets),
    transactionId: meeting.id,
  });
  let booked: Versioned<BarnteamMeeting>;
  try {
    booked = await deps.stores.meetings.replace(
      {
        ...meeting,
        state: 'booked',
        calendar: {
          organizer: team.convener.email,
          eventId: created.eventId,
          ...(created.joinUrl === undefined ? {} : { joinUrl: created.joinUrl }),
          ...(created.webLink === undefined ? {} : { webLink: created.webLink }),
        },
        updatedAt: nowInstant(deps.clock),
      },
      proposed.etag,
    );
  } catch (error) {
    if (!isDomainError(error, 'concurrencyConflict')) throw error;
    const winner = await deps.stores.meetings.get(meeting.id);
    if (winner === undefined || winner.value.state === 'proposed') throw error;
    booked = winner;
  }
  await runBookingEffects(deps, team, booked.value);
  return booked;
}

async function answerExisting(
  deps: BarnteamDependencies,
  team: BarnteamSetup,
  existing: Versioned<BarnteamMeeting>,
  actorId: UserId,
): Promise<BookBarnteamResult> {
  if (existing.value.unitId !== team.unitId) {
    return { outcome: 'refused', message: barnteamMessages.otherTeam, refusedCases: [] };
  }
  if (existing.value.convenerUserId !== actorId) {
    return { outcome: 'refused', message: barnteamMessages.notConvener, refusedCases: [] };
  }
  if (existing.value.state === 'proposed') {
    const booked = await completeBooking(deps, team, existing);
    return { outcome: 'alreadyBooked', meeting: booked, message: barnteamMessages.booked };
  }
  if (existing.value.state === 'booked' || existing.value.state === 'moved') {
    await runBookingEffects(deps, team, existing.value);
  }
  return { outcome: 'alreadyBooked', meeting: existing, message: barnteamMessages.booked };
}

/** Reminders and notices of a booked meeting; every id is derived, so a repeat adds nothing. */
async function runBookingEffects(
  deps: BarnteamDependencies,
  team: BarnteamSetup,
  meeting: BarnteamMeeting,
): Promise<void> {
  const now = nowInstant(deps.clock);
  const upptackareCases = await findUpptackareCases(deps, meeting);
  await scheduleMeetingReminders(deps, meeting, team.reminderOffsets, now, upptackareCases);
  await scheduleAnswerCheck(deps, meeting, team.reminderOffsets, now);
  for (const [userId, caseId] of upptackareCases) {
    await enqueueNotice(deps, {
      id: toNoticeId(caseId, 'barnteamDagordning', meeting.id),
      kind: 'barnteamDagordning',
      caseId,
      recipientKey: userId,
      data: { meetingId: meeting.id, meetingStart: meeting.start },
      at: now,
    });
  }
  const repair = await deps.stores.reminders.get(toBookingRepairReminderId(meeting.id));
  if (repair !== undefined && repair.value.status === 'scheduled') {
    try {
      await deps.stores.reminders.replace({ ...repair.value, status: 'cancelled' }, repair.etag);
    } catch (error) {
      // Claimed by the sweeper meanwhile: its handler finds the meeting booked and does nothing.
      if (!isDomainError(error, 'concurrencyConflict') && !isDomainError(error, 'notFound')) throw error;
    }
  }
}

/**
 * Each Upptäckare on the meeting with the case of their child (the first, if several are on the
 * agenda). Only items still on the agenda count.
 */
export async function findUpptackareCases(
  deps: FlowDependencies,
  meeting: BarnteamMeeting,
): Promise<Map<UserId, string>> {
  const invited = new Set(
    meeting.members.filter((member) => member.role === upptackareMemberRole).map((member) => member.userId),
  );
  const result = new Map<UserId, string>();
  for (const item of meeting.agenda) {
    if (item.removedAt !== undefined) continue;
    const stored = await deps.stores.cases.get(item.caseId);
    const upptackare = stored === undefined ? undefined : findUpptackare(stored.value);
    if (upptackare !== undefined && invited.has(upptackare.userId) && !result.has(upptackare.userId)) {
      result.set(upptackare.userId, item.caseId);
    }
  }
  return result;
}

function requireTeam(deps: FlowDependencies, unitId: string): BarnteamSetup {
  const team = resolveBarnteam(deps.directory, unitId);
  if (team === undefined) {
    throw new DomainError('notFound', barnteamMessages.noTeam, { unitId });
  }
  return team;
}

interface CheckedCases {
  readonly accepted: Case[];
  readonly refused: RefusedCase[];
}

/**
 * Which cases may go on the agenda: the convener leads the case as its Barnkontakt (the one who
 * may decide to lift it to Barnteam), the case is in `barnteam`, and its written consent is in
 * force. Every case is audited: allowed ones as `action`, refused ones as refused.
 */
async function checkAgendaCases(
  deps: FlowDependencies,
  team: BarnteamSetup,
  caseIds: readonly string[],
  actorId: UserId,
  at: Instant,
  action: string,
): Promise<CheckedCases> {
  const accepted: Case[] = [];
  const refused: RefusedCase[] = [];
  for (const caseId of [...new Set(caseIds)]) {
    const stored = await deps.stores.cases.get(caseId);
    if (stored === undefined) {
      refused.push({ caseId, message: 'Ärendet finns inte.' });
      continue;
    }
    const caseValue = stored.value;
    const reason = findAgendaRefusal(caseValue, actorId);
    await appendAudit(deps, {
      at,
      actor: actorId,
      action,
      caseId,
      unitId: team.unitId,
      outcome: reason === undefined ? 'allowed' : 'refused',
      ...(reason === undefined
        ? {
            purpose:
              'Skriftligt samtycke finns; Barnteamets medlemmar ser bara barnets initialer och ärendereferens i kallelsen.',
          }
        : {}),
    });
    if (reason === undefined) {
      accepted.push(caseValue);
    } else {
      refused.push({ caseId, reference: caseValue.reference, message: reason });
    }
  }
  return { accepted, refused };
}

function findAgendaRefusal(caseValue: Case, actorId: UserId): string | undefined {
  const decision = authorize(caseValue, actorId, 'beslutaBarnteam');
  if (!decision.allowed) {
    return `${caseValue.reference}: ${decision.reason}`;
  }
  if (caseValue.state !== 'barnteam') {
    return `${caseValue.reference} är inte lyft till Barnteam (steg: ${stateLabels[caseValue.state]}) och kan inte tas upp i Barnteam.`;
  }
  if (!hasValidConsent(caseValue, 'skriftligt')) {
    return `${caseValue.reference} saknar skriftligt samtycke och kan inte tas upp i Barnteam.`;
  }
  return undefined;
}

interface Participant extends BarnteamPerson {
  readonly role: string;
  readonly roleLabel: string;
  readonly required: boolean;
}

/**
 * The convener (required), the members, and each accepted case's Upptäckare (optional) whose
 * mailbox the directory knows. One entry per person and per mailbox: someone who is both a
 * member and an Upptäckare takes part as the member.
 */
function listParticipants(
  deps: FlowDependencies,
  team: BarnteamSetup,
  cases: readonly Case[],
): Participant[] {
  const participants: Participant[] = [
    { ...team.convener, role: convenerMemberRole, roleLabel: 'Barnkontakt, sammankallande', required: true },
    ...team.members.map((member: BarnteamMember) => ({ ...member })),
  ];
  for (const caseValue of cases) {
    const upptackare = findUpptackare(caseValue);
    const person =
      upptackare === undefined ? undefined : findPersonByUserId(deps.directory, upptackare.userId);
    if (person !== undefined) {
      participants.push({ ...person, role: upptackareMemberRole, roleLabel: 'Upptäckare', required: false });
    }
  }
  const seenUsers = new Set<string>();
  const seenMailboxes = new Set<string>();
  return participants.filter((participant) => {
    const user = participant.userId?.toLowerCase();
    const mailbox = toMailboxKey(participant.email);
    if ((user !== undefined && seenUsers.has(user)) || seenMailboxes.has(mailbox)) return false;
    if (user !== undefined) seenUsers.add(user);
    seenMailboxes.add(mailbox);
    return true;
  });
}

function findMemberName(
  deps: FlowDependencies,
  team: BarnteamSetup,
  member: BarnteamMeeting['members'][number],
): string {
  const key = toMailboxKey(member.email);
  const inTeam = team.members.find((candidate) => toMailboxKey(candidate.email) === key);
  const person = member.userId === undefined ? undefined : findPersonByUserId(deps.directory, member.userId);
  return inTeam?.displayName ?? person?.displayName ?? member.email;
}

/**
 * The one reminder a calendar event can carry: the team's earliest (the day before, by default),
 * so that a member without the bot gets it when the bot's first reminder goes to the others.
 * The days are counted as 24 hours here; the bot's own reminders keep the wall-clock time.
 */
export function toCalendarReminderMinutes(offsets: readonly ReminderOffset[]): number {
  const minutes = offsets.map((offset) => offset.days * 24 * 60 + offset.minutes);
  return Math.min(Math.max(0, ...minutes), maxReminderMinutesBeforeStart);
}
