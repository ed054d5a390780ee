/**
 * Use cases: propose times for the Individuellt barnteam's next meeting and book it from Barnets
 * plan, in the calendar of the plan's owner (the Barnkontakt, or the Stödsamordnare once
 * appointed), for the Barnkontakt and the team's active members. The free/busy reading, slot
 * finding, notice and reminder times are the Barnteam booking's (flows/barnteam/index.ts).
 *
 * Calendar calls: one `getSchedules` per proposal, one `createMeeting` per booking — or, when
 * the plan already holds a coming meeting, one `moveMeeting` of that event: a rebooking moves the
 * meeting, it never leaves the members with two invitations.
 *
 * Write order of a booking, chosen so that a crash never leaves an event in someone's calendar
 * that the plan does not know about:
 * 1. the case, conditional on the card's ETag: `nextMeeting` in state `bokas` with the picked
 *    time, committed with a repair reminder (`slutforTeammote`, due in a few minutes);
 * 2. the calendar event, created with `transactionId` = case id + proposal id (Graph and the
 *    embedded calendar answer a repeat with the event the first call created), or the existing
 *    event moved (moving to the same time twice is harmless);
 * 3. the case again: `nextMeeting` `bokat` with the event id and the Teams link, committed with
 *    the channel's `motesBokat` post and the members' reminders, all under derived ids.
 * A crash after 1 is completed by the next click on the same proposal (a double click, Teams'
 * own retry of the invoke) or by the repair reminder: both run 2–3 again. A second click after 3
 * finds the meeting booked and calls no calendar.
 */
import {
  computeEarliestMeetingStart,
  computeReminderDueAt,
  computeScheduleWindowEnd,
  findMeetingSlots,
  findPersonByUserId,
  type MeetingSlot,
  type ReminderOffset,
  readMemberSchedules,
  toCalendarReminderMinutes,
  toCompactInstant,
  toOffsetKey,
} from '../barnteam/index.js';
import { authorize, currentBarnkontakt } from '../kernel/access.js';
import { type Calendar, type CreatedMeeting, checkMeetingTime, toMailboxKey } from '../kernel/calendar.js';
import type { Case, Instant, UserId } from '../kernel/case.js';
import { type CaseCommandResult, runCaseCommand } from '../kernel/case-command.js';
import {
  type Actor,
  appendAudit,
  enqueueNotice,
  type FlowDependencies,
  nowInstant,
} from '../kernel/case-effects.js';
import { type ContactKind, findBarnteamContact, findBarnteamForUnit } from '../kernel/directory.js';
import { DomainError, isDomainError } from '../kernel/errors.js';
import type { Reminder, Versioned } from '../kernel/ports.js';
import type { NextTeamMeeting } from '../kernel/records/plan.js';
import { isPlanLive } from './plan-actions.js';
import { planPurpose, runPlanCommand } from './plan-command.js';
import { buildTeamkanalPost } from './team-effects.js';

export interface TeamMeetingDependencies extends FlowDependencies {
  readonly calendar: Calendar;
}

/** The reminder kinds of the meeting; the sweeper maps each to its handler (bot/background-work.ts). */
export const teamMeetingReminderKinds = {
  /** A member's reminder before the meeting. */
  paminnelse: 'paminnelseTeammote',
  /** Completes a booking interrupted after the time was saved. */
  slutfor: 'slutforTeammote',
} as const;

/** The Individuellt barnteam meets for an hour; the Barnteam's 90 minutes cover several children. */
export const teamMeetingMinutes = 60;
const defaultHorizonDays = 21;
const defaultReminderOffsets: readonly ReminderOffset[] = [
  { days: 1, minutes: 0 },
  { days: 0, minutes: 60 },
];
const defaultNoticeWorkingDays = 3;
const maxSlots = 5;
const slotStepMinutes = 30;
const repairDelayMs = 5 * 60_000;
const proposalIdPattern = /^[A-Za-z0-9-]{1,64}$/;
const maxMeetingMs = 8 * 60 * 60_000;

export const teamMeetingMessages = {
  notOwner:
    'Bara den som ansvarar för Barnets plan (Barnkontakten, eller Stödsamordnaren när en sådan är utsedd) kan boka teamets möten.',
  planNotLive:
    'Barnets plan är inte aktiv (samtycket saknas eller ärendet har gått vidare), så inget möte kan bokas.',
  noCalendar: 'Din kalender finns inte i kommunens katalog, så mötet kan inte bokas från den.',
  invalidProposal: 'Tiden kunde inte läsas. Tryck på ”Boka nästa möte” igen.',
  slotPassed: 'Tiden har redan passerat. Tryck på ”Boka nästa möte” och välj en ny tid.',
  booked: 'Mötet är redan bokat.',
  replaced: 'En annan tid har valts för mötet sedan dess. Här är planen som den ser ut nu.',
  calendarLater:
    'Tiden är sparad i planen, men bokningen i kalendern blev inte klar. Kallelsen skickas inom några minuter.',
} as const;

export interface ProposeTeamMeetingInput {
  readonly caseId: string;
  /** From the activity, never from card data. */
  readonly actor: Actor;
  readonly at: Instant;
}

/** Someone invited to the meeting, as the slot card names them. */
export interface TeamMeetingInvitee {
  readonly userId?: UserId;
  readonly kind: ContactKind;
  readonly email: string;
  readonly displayName: string;
  readonly label: string;
  /** False when their calendar could not be read: the times were chosen without them. */
  readonly readable: boolean;
}

export type ProposeTeamMeetingResult =
  | {
      readonly outcome: 'proposed';
      /** Carried by the slot buttons; booking with it twice books once. */
      readonly proposalId: string;
      readonly slots: readonly MeetingSlot[];
      /** Set when `slots` is empty: what to change. */
      readonly noSlotMessage?: string;
      readonly invitees: readonly TeamMeetingInvitee[];
    }
  | { readonly outcome: 'refused'; readonly message: string };

/**
 * Proposes the first free times for the team's next meeting: reads the free/busy of the
 * organizer, the Barnkontakt and every active member in Teams in ONE calendar call, and finds
 * slots in working time from the team's minimum notice (the unit's Barnteam settings, or three
 * working days). Members outside Teams, and guests whose calendar cannot be read, do not block
 * a time and are named as "tillgänglighet okänd". Writes nothing but the audit entry.
 *
 * @throws DomainError('notFound') for an unknown case; the calendar's errors; the audit log's.
 */
export async function proposeTeamMeeting(
  deps: TeamMeetingDependencies,
  input: ProposeTeamMeetingInput,
): Promise<ProposeTeamMeetingResult> {
  const stored = await deps.stores.cases.get(input.caseId);
  if (stored === undefined)
    throw new DomainError('notFound', 'Ärendet finns inte.', { caseId: input.caseId });
  const caseValue = stored.value;
  const refusal = findBookingRefusal(deps, caseValue, input.actor.userId);
  await appendAudit(deps, {
    at: input.at,
    actor: input.actor.userId,
    action: 'planeraTeammote',
    caseId: caseValue.id,
    unitId: caseValue.unitId,
    outcome: refusal === undefined ? 'allowed' : 'refused',
    ...(refusal === undefined
      ? {
          purpose:
            'Teamets kalendrar läses bara som ledig/upptagen för att hitta en tid; inga uppgifter om barnet lämnar ärendet.',
        }
      : {}),
  });
  if (refusal !== undefined) return { outcome: 'refused', message: refusal };
  const organizer = requireOrganizer(deps, input.actor.userId);
  const settings = resolveMeetingSettings(deps, caseValue);
  const invitees = listInvitees(deps, caseValue, organizer.email);
  const start = computeEarliestMeetingStart(input.at, settings, deps.directory.workingTime);
  const end = computeScheduleWindowEnd(start, settings.horizonDays);
  const schedules = await readMemberSchedules(
    deps.calendar,
    invitees.map((invitee) => ({
      email: invitee.email,
      kind: invitee.kind,
      label: invitee.label,
      required: true,
    })),
    { start, end, organizer: organizer.email },
  );
  const found = findMeetingSlots({
    schedules,
    durationMinutes: teamMeetingMinutes,
    from: start,
    horizonDays: settings.horizonDays,
    workingTime: deps.directory.workingTime,
    stepMinutes: slotStepMinutes,
    maxSlots,
  });
  const base = {
    outcome: 'proposed' as const,
    proposalId: deps
      .newId()
      .replace(/[^A-Za-z0-9-]/g, '')
      .slice(0, 64),
    invitees: invitees.map((invitee, index) => ({
      ...invitee,
      readable: schedules[index]?.unreadable !== true,
    })),
  };
  return found.reason === undefined
    ? { ...base, slots: found.slots }
    : { ...base, slots: [], noSlotMessage: found.message };
}

export interface BookTeamMeetingInput {
  readonly caseId: string;
  /** The version (ETag) the card with the proposed times was rendered from. */
  readonly etag: string;
  /** From `proposeTeamMeeting`, carried by the card: the same proposal books once. */
  readonly proposalId: string;
  /** Claims of the card: checked here (a real time, ahead, at most a working day long). */
  readonly slot: { readonly start: string; readonly end: string };
  /** From the activity, never from card data. */
  readonly actor: Actor;
  readonly at: Instant;
}

export type BookTeamMeetingResult =
  | CaseCommandResult
  /** The time is saved; the booking did not finish and the repair reminder will send the invitation. */
  | { readonly outcome: 'calendarLater'; readonly caseValue: Versioned<Case>; readonly message: string };

/**
 * Books (or moves) the team's next meeting at the picked time; see the module comment for the
 * write order. Refused, with the Swedish reason, for anyone but the plan's owner and while the
 * plan is not live; `stale` when the card was not current.
 *
 * @throws DomainError('notFound') for an unknown case; the stores' and the audit log's errors.
 */
export async function bookTeamMeeting(
  deps: TeamMeetingDependencies,
  input: BookTeamMeetingInput,
): Promise<BookTeamMeetingResult> {
  if (!proposalIdPattern.test(input.proposalId)) {
    return refused('invalidInput', teamMeetingMessages.invalidProposal, 'proposalId');
  }
  const slot = readSlot(input.slot, input.at);
  const chosen = await runPlanCommand(deps, input, {
    alreadyMessage: teamMeetingMessages.booked,
    hasApplied: (caseValue) => caseValue.barnetsPlan?.nextMeeting?.proposalId === input.proposalId,
    change: (plan, caseValue) => {
      const refusal = findBookingRefusal(deps, caseValue, input.actor.userId);
      if (refusal !== undefined) throw new DomainError('transitionRefused', refusal);
      if (typeof slot === 'string') throw new DomainError('invalidInput', slot, { field: 'slot' });
      const organizer = requireOrganizer(deps, input.actor.userId);
      const previous = plan.nextMeeting;
      // A coming meeting is moved in the calendar that holds it; a past one was held, and the
      // next is a new event.
      const moving =
        previous?.eventId !== undefined && Date.parse(previous.end) > Date.parse(input.at)
          ? previous
          : undefined;
      const next: NextTeamMeeting = {
        proposalId: input.proposalId,
        state: 'bokas',
        start: slot.start,
        end: slot.end,
        organizer: moving?.organizer ?? organizer.email,
        ...(moving?.eventId === undefined ? {} : { eventId: moving.eventId }),
        ...(moving?.joinUrl === undefined ? {} : { joinUrl: moving.joinUrl }),
        bookedBy: input.actor.userId,
        bookedAt: input.at,
      };
      return { ...plan, nextMeeting: next };
    },
    effects: (next) => ({
      outbox: [],
      reminders: [buildRepairReminder(next.id, input.proposalId, input.at)],
    }),
  });
  if (chosen.outcome === 'refused' || chosen.outcome === 'stale') return chosen;
  const meeting = chosen.caseValue.value.barnetsPlan?.nextMeeting;
  if (meeting === undefined || meeting.state === 'bokat') return chosen;
  try {
    const booked = await completeTeamMeeting(deps, chosen.caseValue.value, meeting, input.actor.userId);
    return chosen.outcome === 'alreadyApplied' && booked.outcome === 'applied'
      ? { outcome: 'alreadyApplied', caseValue: booked.caseValue, message: teamMeetingMessages.booked }
      : booked;
  } catch (error) {
    if (isDomainError(error, 'invalidInput') || isDomainError(error, 'notFound')) throw error;
    // The time is saved whatever failed after it (the calendar, the last write): the user must not
    // read "not saved", and the repair reminder or the next click completes it.
    return {
      outcome: 'calendarLater',
      caseValue: chosen.caseValue,
      message: teamMeetingMessages.calendarLater,
    };
  }
}

/**
 * The sweeper's handler for `slutforTeammote`: completes a booking whose time was saved but whose
 * calendar event or final write did not happen. Does nothing when the plan holds another time or
 * the booking is complete. A calendar error propagates so that the sweeper tries again.
 */
export async function handleTeamMeetingRepair(
  deps: TeamMeetingDependencies,
  reminder: Reminder,
): Promise<'completed' | 'nothingToDo'> {
  const proposalId = reminder.data.proposalId;
  if (reminder.caseId === undefined || typeof proposalId !== 'string') return 'nothingToDo';
  const stored = await deps.stores.cases.get(reminder.caseId);
  const meeting = stored?.value.barnetsPlan?.nextMeeting;
  if (stored === undefined || meeting?.proposalId !== proposalId || meeting.state !== 'bokas')
    return 'nothingToDo';
  if (!isPlanLive(stored.value)) return 'nothingToDo';
  const result = await completeTeamMeeting(deps, stored.value, meeting, meeting.bookedBy);
  return result.outcome === 'applied' ? 'completed' : 'nothingToDo';
}

/** Steps 2–3 of the write order. */
async function completeTeamMeeting(
  deps: TeamMeetingDependencies,
  caseValue: Case,
  meeting: NextTeamMeeting,
  actorId: UserId,
): Promise<CaseCommandResult> {
  const event = await writeCalendarEvent(deps, caseValue, meeting);
  const now = nowInstant(deps.clock);
  const offsets = resolveMeetingSettings(deps, caseValue).reminderOffsets;
  return runCaseCommand(deps, {
    caseId: caseValue.id,
    actorId,
    action: 'redigeraPlan',
    at: now,
    purpose: planPurpose,
    alreadyMessage: teamMeetingMessages.booked,
    hasApplied: (current) => {
      const stored = current.barnetsPlan?.nextMeeting;
      return stored?.proposalId === meeting.proposalId && stored.state === 'bokat';
    },
    build: (current) => {
      const plan = current.barnetsPlan;
      const stored = plan?.nextMeeting;
      if (plan === undefined || stored?.proposalId !== meeting.proposalId) {
        throw new DomainError('transitionRefused', teamMeetingMessages.replaced);
      }
      const booked: NextTeamMeeting = {
        ...stored,
        state: 'bokat',
        eventId: event.eventId,
        ...(event.joinUrl === undefined ? {} : { joinUrl: event.joinUrl }),
      };
      return { ...current, barnetsPlan: { ...plan, nextMeeting: booked }, updatedAt: now };
    },
    effects: (next) => {
      const booked = next.barnetsPlan?.nextMeeting;
      return {
        outbox: [buildTeamkanalPost(next.id, 'motesBokat', now, undefined, meeting.proposalId)],
        reminders: booked === undefined ? [] : planTeamMeetingReminders(next, booked, offsets, now),
      };
    },
  });
}

async function writeCalendarEvent(
  deps: TeamMeetingDependencies,
  caseValue: Case,
  meeting: NextTeamMeeting,
): Promise<Pick<CreatedMeeting, 'eventId' | 'joinUrl'>> {
  if (meeting.eventId !== undefined) {
    await deps.calendar.moveMeeting(meeting.organizer, meeting.eventId, {
      start: meeting.start,
      end: meeting.end,
    });
    return {
      eventId: meeting.eventId,
      ...(meeting.joinUrl === undefined ? {} : { joinUrl: meeting.joinUrl }),
    };
  }
  const offsets = resolveMeetingSettings(deps, caseValue).reminderOffsets;
  const created = await deps.calendar.createMeeting({
    organizer: meeting.organizer,
    // Goes to every attendee's inbox, in any organisation: the case reference only.
    subject: `Individuellt barnteam ${caseValue.reference}`,
    bodyHtml: `<p>Individuellt barnteam ${caseValue.reference}</p>`,
    start: meeting.start,
    end: meeting.end,
    attendees: listInvitees(deps, caseValue, meeting.organizer)
      .filter((invitee) => toMailboxKey(invitee.email) !== toMailboxKey(meeting.organizer))
      .map((invitee) => ({ email: invitee.email, name: invitee.displayName, type: 'required' as const })),
    reminderMinutesBeforeStart: toCalendarReminderMinutes(offsets),
    transactionId: toTeamMeetingTransactionId(caseValue.id, meeting.proposalId),
  });
  return { eventId: created.eventId, ...(created.joinUrl === undefined ? {} : { joinUrl: created.joinUrl }) };
}

export function toTeamMeetingTransactionId(caseId: string, proposalId: string): string {
  return `teammote-${caseId}-${proposalId}`;
}

export function toTeamMeetingRepairId(caseId: string, proposalId: string): string {
  return `${caseId}:teammote:${proposalId}:slutfor`;
}

function buildRepairReminder(caseId: string, proposalId: string, at: Instant): Reminder {
  return {
    id: toTeamMeetingRepairId(caseId, proposalId),
    kind: teamMeetingReminderKinds.slutfor,
    caseId,
    dueAt: new Date(Date.parse(at) + repairDelayMs).toISOString(),
    status: 'scheduled',
    data: { proposalId },
    createdAt: at,
  };
}

/**
 * One reminder per member in Teams and offset, filed under the case so that a withdrawn consent
 * cancels them with the case's other reminders. The start is in the id: a moved meeting gets new
 * reminders, and the old ones find the start changed and send nothing.
 */
export function planTeamMeetingReminders(
  caseValue: Case,
  meeting: NextTeamMeeting,
  offsets: readonly ReminderOffset[],
  now: Instant,
): Reminder[] {
  const nowMs = Date.parse(now);
  return listMembersToRemind(caseValue).flatMap((userId) =>
    offsets.flatMap((offset) => {
      const dueAt = computeReminderDueAt(meeting.start, offset);
      if (Date.parse(dueAt) <= nowMs) return [];
      return [
        {
          id: `${caseValue.id}:teammote:${userId}:${toOffsetKey(offset)}:${toCompactInstant(meeting.start)}`,
          kind: teamMeetingReminderKinds.paminnelse,
          caseId: caseValue.id,
          dueAt,
          status: 'scheduled' as const,
          data: { memberUserId: userId, offset: toOffsetKey(offset), meetingStart: meeting.start },
          createdAt: now,
        },
      ];
    }),
  );
}

/**
 * The sweeper's handler for `paminnelseTeammote`: the member's reminder in the personal chat,
 * unless the plan is no longer live, the meeting moved away from this reminder's start, or the
 * member no longer reads the plan. The notice id is derived from the reminder's.
 */
export async function handleTeamMeetingReminder(
  deps: FlowDependencies,
  reminder: Reminder,
): Promise<'sent' | 'silent'> {
  const { memberUserId, meetingStart, offset } = reminder.data;
  if (
    reminder.caseId === undefined ||
    typeof memberUserId !== 'string' ||
    typeof meetingStart !== 'string' ||
    typeof offset !== 'string'
  ) {
    return 'silent';
  }
  const stored = await deps.stores.cases.get(reminder.caseId);
  if (stored === undefined || !isPlanLive(stored.value)) return 'silent';
  const meeting = stored.value.barnetsPlan?.nextMeeting;
  if (meeting?.state !== 'bokat' || Date.parse(meeting.start) !== Date.parse(meetingStart)) return 'silent';
  if (!authorize(stored.value, memberUserId, 'lasPlan').allowed) return 'silent';
  await enqueueNotice(deps, {
    id: `${reminder.id}:notis`,
    kind: 'teammotePaminnelse',
    caseId: stored.value.id,
    recipientKey: memberUserId,
    data: { meetingStart: meeting.start, offset },
    at: nowInstant(deps.clock),
  });
  return 'sent';
}

function findBookingRefusal(deps: FlowDependencies, caseValue: Case, actorId: UserId): string | undefined {
  if (!authorize(caseValue, actorId, 'redigeraPlan').allowed) return teamMeetingMessages.notOwner;
  if (caseValue.barnetsPlan === undefined || !isPlanLive(caseValue)) return teamMeetingMessages.planNotLive;
  if (findPersonByUserId(deps.directory, actorId) === undefined) return teamMeetingMessages.noCalendar;
  return undefined;
}

function requireOrganizer(deps: FlowDependencies, actorId: UserId) {
  const organizer = findPersonByUserId(deps.directory, actorId);
  if (organizer === undefined) throw new DomainError('transitionRefused', teamMeetingMessages.noCalendar);
  return organizer;
}

function readSlot(
  slot: BookTeamMeetingInput['slot'],
  at: Instant,
): { start: Instant; end: Instant } | string {
  try {
    checkMeetingTime(slot);
  } catch {
    return teamMeetingMessages.invalidProposal;
  }
  const start = Date.parse(slot.start);
  const end = Date.parse(slot.end);
  if (end - start > maxMeetingMs) return teamMeetingMessages.invalidProposal;
  if (start <= Date.parse(at)) return teamMeetingMessages.slotPassed;
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
}

function refused(
  cause: 'invalidInput' | 'transitionRefused',
  message: string,
  field?: string,
): BookTeamMeetingResult {
  return { outcome: 'refused', cause, message, ...(field === undefined ? {} : { field }) };
}

interface MeetingSettings {
  readonly horizonDays: number;
  readonly minimumNoticeWorkingDays: number;
  readonly reminderOffsets: readonly ReminderOffset[];
}

/** The unit's Barnteam's notice, horizon and reminders: the same people book both meetings. */
function resolveMeetingSettings(deps: FlowDependencies, caseValue: Case): MeetingSettings {
  const barnteam = findBarnteamForUnit(deps.directory, caseValue.unitId);
  return {
    horizonDays: barnteam?.bookingHorizonDays ?? defaultHorizonDays,
    minimumNoticeWorkingDays: barnteam?.minimumNoticeWorkingDays ?? defaultNoticeWorkingDays,
    reminderOffsets: barnteam?.reminderOffsets ?? defaultReminderOffsets,
  };
}

/**
 * The organizer, the Barnkontakt and the team's active members, one per mailbox, with the
 * address the directory knows. A member the directory no longer lists has no address to invite.
 */
function listInvitees(
  deps: FlowDependencies,
  caseValue: Case,
  organizerEmail: string,
): Omit<TeamMeetingInvitee, 'readable'>[] {
  const invitees: Omit<TeamMeetingInvitee, 'readable'>[] = [];
  const add = (invitee: Omit<TeamMeetingInvitee, 'readable'>) => {
    if (invitees.some((item) => toMailboxKey(item.email) === toMailboxKey(invitee.email))) return;
    invitees.push(invitee);
  };
  const organizer = deps.directory.contacts.find(
    (contact) => toMailboxKey(contact.email) === toMailboxKey(organizerEmail),
  );
  if (organizer !== undefined) {
    add({
      userId: organizer.aadObjectId,
      kind: organizer.kind,
      email: organizer.email,
      displayName: organizer.displayName,
      label: `${organizer.displayName} (${organizer.title})`,
    });
  }
  const barnkontakt = currentBarnkontakt(caseValue);
  const barnkontaktPerson =
    barnkontakt === undefined ? undefined : findPersonByUserId(deps.directory, barnkontakt.userId);
  if (barnkontaktPerson !== undefined) {
    add({ ...barnkontaktPerson, label: `${barnkontaktPerson.displayName} (Barnkontakt)` });
  }
  for (const member of caseValue.individuelltBarnteam?.members ?? []) {
    if (member.until !== undefined) continue;
    const contact =
      (member.contactId === undefined ? undefined : findBarnteamContact(deps.directory, member.contactId)) ??
      (member.userId === undefined ? undefined : findPersonByUserId(deps.directory, member.userId));
    if (contact === undefined) continue;
    add({
      ...(member.userId === undefined ? {} : { userId: member.userId }),
      kind: contact.kind,
      email: contact.email,
      displayName: member.displayName,
      label: `${member.displayName} (${member.title ?? (member.role === 'stodsamordnare' ? 'Stödsamordnare' : 'medlem i teamet')})`,
    });
  }
  return invitees;
}

/** Everyone with a chat with the bot who reads the plan: the Barnkontakt and the members in Teams. */
function listMembersToRemind(caseValue: Case): UserId[] {
  const ids = new Set<UserId>();
  const barnkontakt = currentBarnkontakt(caseValue);
  if (barnkontakt !== undefined) ids.add(barnkontakt.userId);
  for (const member of caseValue.individuelltBarnteam?.members ?? []) {
    if (member.until === undefined && member.userId !== undefined) ids.add(member.userId);
  }
  return [...ids].filter((userId) => authorize(caseValue, userId, 'lasPlan').allowed);
}
