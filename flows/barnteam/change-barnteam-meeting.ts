/**
 * Use cases: move or cancel a booked Barnteam meeting, and take a child off its agenda when the
 * family withdraws consent.
 *
 * Write order: the meeting document first, conditional on the ETag the convener's card was
 * rendered from, then the calendar, then reminders and notices. The ETag decides the winner of
 * two clicks before anything outside the product changes; a crash after the store write is
 * repaired by repeating the action, which answers `alreadyApplied` and runs the calendar call and
 * the effects again (moving to the same time and cancelling twice are harmless in the calendar
 * port, and every reminder and notice id is derived).
 */

import { checkMeetingTime } from '../kernel/calendar.js';
import type { Instant, UserId } from '../kernel/case.js';
import {
  type Actor,
  appendAudit,
  enqueueNotice,
  type FlowDependencies,
  findUpptackare,
} from '../kernel/case-effects.js';
import { DomainError, isDomainError } from '../kernel/errors.js';
import type { BarnteamMeeting, Versioned } from '../kernel/ports.js';
import { resolveBarnteam } from './barnteam-setup.js';
import {
  type BarnteamDependencies,
  findUpptackareCases,
  toBookingRepairReminderId,
} from './book-barnteam.js';
import {
  cancelMeetingReminders,
  scheduleAnswerCheck,
  scheduleMeetingReminders,
  toAnswerCheckReminderId,
  toCompactInstant,
  upptackareMemberRole,
} from './meeting-reminders.js';

export const changeMeetingMessages = {
  notConvener: 'Bara den Barnkontakt som sammankallar Barnteamet kan flytta eller ställa in mötet.',
  stale: 'Mötet har ändrats sedan kortet visades. Här är mötet som det ser ut nu.',
  notBooked: 'Mötet är inte bokat och kan inte ändras.',
  alreadyMoved: 'Mötet är redan flyttat till den tiden.',
  alreadyCancelled: 'Mötet är redan inställt.',
  slotPassed: 'Den nya tiden har redan passerat. Välj en annan tid.',
  notAllowedToRemove:
    'Ett barn tas bort från dagordningen av den som sammankallar Barnteamet, eller när samtycket är återkallat.',
  notOnAgenda: 'Barnet finns inte på mötets dagordning.',
} as const;

/** What the calendar is told when a meeting is cancelled: no reason text, it may describe a family. */
const cancelComment = 'Barnteam är inställt.';

export type ChangeMeetingResult =
  | { readonly outcome: 'applied'; readonly meeting: Versioned<BarnteamMeeting> }
  | {
      readonly outcome: 'alreadyApplied';
      readonly meeting: Versioned<BarnteamMeeting>;
      readonly message: string;
    }
  /** The card was not current (or another change won): show `meeting` as it is now. */
  | { readonly outcome: 'stale'; readonly meeting: Versioned<BarnteamMeeting>; readonly message: string }
  | { readonly outcome: 'refused'; readonly message: string };

export interface MoveBarnteamMeetingInput {
  readonly meetingId: string;
  /** The version the card was rendered from. */
  readonly etag: string;
  readonly actor: Actor;
  readonly slot: { readonly start: Instant; readonly end: Instant };
  readonly at: Instant;
}

/**
 * Moves the meeting: the document, then the calendar event, then the reminders (those at the old
 * time cancelled, new ones scheduled for the new time), and every member but the convener is told.
 *
 * @throws DomainError('notFound') for an unknown meeting; DomainError('invalidInput') for a time
 *   that has passed or ends before it starts; the calendar's and the stores' errors.
 */
export async function moveBarnteamMeeting(
  deps: BarnteamDependencies,
  input: MoveBarnteamMeetingInput,
): Promise<ChangeMeetingResult> {
  checkMeetingTime(input.slot);
  if (Date.parse(input.slot.start) <= Date.parse(input.at)) {
    throw new DomainError('invalidInput', changeMeetingMessages.slotPassed, { field: 'slot' });
  }
  const start = new Date(Date.parse(input.slot.start)).toISOString();
  const end = new Date(Date.parse(input.slot.end)).toISOString();
  const current = await loadMeeting(deps, input.meetingId);
  const isDone = (meeting: BarnteamMeeting) =>
    meeting.state === 'moved' && meeting.start === start && meeting.end === end;
  const refusal = checkConvener(current.value, input.actor.userId);
  if (refusal !== undefined) return refusal;
  if (input.etag !== current.etag) {
    if (isDone(current.value)) return repeatMove(deps, current);
    return { outcome: 'stale', meeting: current, message: changeMeetingMessages.stale };
  }
  if (!isChangeable(current.value)) {
    return { outcome: 'refused', message: changeMeetingMessages.notBooked };
  }
  const previous = current.value;
  await auditAgenda(deps, previous, input.actor.userId, 'flyttaBarnteam', input.at);
  let stored: Versioned<BarnteamMeeting>;
  try {
    stored = await deps.stores.meetings.replace(
      { ...previous, state: 'moved', start, end, updatedAt: input.at },
      current.etag,
    );
  } catch (error) {
    if (!isDomainError(error, 'concurrencyConflict')) throw error;
    const winner = await loadMeeting(deps, input.meetingId);
    if (isDone(winner.value)) return repeatMove(deps, winner);
    return { outcome: 'stale', meeting: winner, message: changeMeetingMessages.stale };
  }
  await applyMove(deps, previous, stored.value);
  return { outcome: 'applied', meeting: stored };
}

async function repeatMove(
  deps: BarnteamDependencies,
  current: Versioned<BarnteamMeeting>,
): Promise<ChangeMeetingResult> {
  // The old start is not kept on the document; the old reminders were cancelled by the first
  // run or are silenced by their handler (the meeting no longer starts when they say).
  await applyMove(deps, undefined, current.value);
  return { outcome: 'alreadyApplied', meeting: current, message: changeMeetingMessages.alreadyMoved };
}

async function applyMove(
  deps: BarnteamDependencies,
  previous: BarnteamMeeting | undefined,
  meeting: BarnteamMeeting,
): Promise<void> {
  if (meeting.calendar !== undefined) {
    await deps.calendar.moveMeeting(meeting.calendar.organizer, meeting.calendar.eventId, {
      start: meeting.start,
      end: meeting.end,
    });
  }
  const offsets = resolveBarnteam(deps.directory, meeting.unitId)?.reminderOffsets ?? [];
  if (previous !== undefined) {
    await cancelMeetingReminders(deps, previous, offsets);
    await cancelIfScheduled(deps, toAnswerCheckReminderId(previous.id, previous.start));
  }
  const upptackareCases = await findUpptackareCases(deps, meeting);
  await scheduleMeetingReminders(deps, meeting, offsets, meeting.updatedAt, upptackareCases);
  // The answers to the old time say nothing about the new one: the new time is checked anew.
  await scheduleAnswerCheck(deps, meeting, offsets, meeting.updatedAt);
  await notifyMembers(meeting, (memberUserId, caseId) =>
    enqueueNotice(deps, {
      id: `${meeting.id}:notis:barnteamFlyttat:${memberUserId}:${toCompactInstant(meeting.start)}`,
      kind: 'barnteamFlyttat',
      caseId,
      recipientKey: memberUserId,
      data: {
        meetingId: meeting.id,
        meetingStart: meeting.start,
        previousStart: previous?.start ?? meeting.start,
      },
      at: meeting.updatedAt,
    }),
  );
}

export interface CancelBarnteamMeetingInput {
  readonly meetingId: string;
  readonly etag: string;
  readonly actor: Actor;
  readonly at: Instant;
}

/**
 * Cancels the meeting: the document, then the calendar event (which tells the attendees and frees
 * their time), then the reminders, and every member but the convener is told. A proposed meeting
 * whose calendar event was never confirmed is cancelled too (its repair reminder is stopped).
 *
 * @throws DomainError('notFound') for an unknown meeting; the calendar's and the stores' errors.
 */
export async function cancelBarnteamMeeting(
  deps: BarnteamDependencies,
  input: CancelBarnteamMeetingInput,
): Promise<ChangeMeetingResult> {
  const current = await loadMeeting(deps, input.meetingId);
  const refusal = checkConvener(current.value, input.actor.userId);
  if (refusal !== undefined) return refusal;
  if (current.value.state === 'cancelled') {
    await applyCancel(deps, current.value);
    return { outcome: 'alreadyApplied', meeting: current, message: changeMeetingMessages.alreadyCancelled };
  }
  if (input.etag !== current.etag) {
    return { outcome: 'stale', meeting: current, message: changeMeetingMessages.stale };
  }
  if (current.value.state === 'held') {
    return { outcome: 'refused', message: changeMeetingMessages.notBooked };
  }
  await auditAgenda(deps, current.value, input.actor.userId, 'stallInBarnteam', input.at);
  let stored: Versioned<BarnteamMeeting>;
  try {
    stored = await deps.stores.meetings.replace(
      { ...current.value, state: 'cancelled', updatedAt: input.at },
      current.etag,
    );
  } catch (error) {
    if (!isDomainError(error, 'concurrencyConflict')) throw error;
    const winner = await loadMeeting(deps, input.meetingId);
    if (winner.value.state === 'cancelled') {
      await applyCancel(deps, winner.value);
      return { outcome: 'alreadyApplied', meeting: winner, message: changeMeetingMessages.alreadyCancelled };
    }
    return { outcome: 'stale', meeting: winner, message: changeMeetingMessages.stale };
  }
  await applyCancel(deps, stored.value);
  return { outcome: 'applied', meeting: stored };
}

async function applyCancel(deps: BarnteamDependencies, meeting: BarnteamMeeting): Promise<void> {
  if (meeting.calendar !== undefined) {
    await deps.calendar.cancelMeeting(meeting.calendar.organizer, meeting.calendar.eventId, cancelComment);
  }
  const offsets = resolveBarnteam(deps.directory, meeting.unitId)?.reminderOffsets ?? [];
  await cancelMeetingReminders(deps, meeting, offsets);
  await cancelIfScheduled(deps, toBookingRepairReminderId(meeting.id));
  await cancelIfScheduled(deps, toAnswerCheckReminderId(meeting.id, meeting.start));
  await notifyMembers(meeting, (memberUserId, caseId) =>
    enqueueNotice(deps, {
      id: `${meeting.id}:notis:barnteamInstallt:${memberUserId}`,
      kind: 'barnteamInstallt',
      caseId,
      recipientKey: memberUserId,
      data: { meetingId: meeting.id, meetingStart: meeting.start },
      at: meeting.updatedAt,
    }),
  );
}

export interface RemoveCaseFromAgendaInput {
  readonly meetingId: string;
  readonly caseId: string;
  /** The convener, or whoever recorded the withdrawn consent. */
  readonly actor: Actor;
  readonly at: Instant;
}

const maxRemoveAttempts = 3;

/**
 * Takes a child off a meeting's agenda (a withdrawn consent, or the convener's choice): the item
 * keeps its place with `removedAt` (the meeting stays part of the case's history), the child's
 * Upptäckare leaves the meeting when none of their children is left on it, and that Upptäckare's
 * reminders are cancelled. Applies to the meeting as it is now (no card version: what the family
 * said holds whatever changed meanwhile) and retries a lost race.
 *
 * Left out: the calendar invitation's body is not rewritten and the Upptäckare stays an optional
 * attendee in the calendar, because the calendar port has no "update event" call; the
 * invitation holds only initials and the reference, and the reminders and the bot's cards read
 * the current agenda.
 *
 * @throws DomainError('notFound') for an unknown meeting; any store or audit error.
 */
export async function removeCaseFromAgenda(
  deps: BarnteamDependencies,
  input: RemoveCaseFromAgendaInput,
): Promise<ChangeMeetingResult> {
  for (let attempt = 1; ; attempt += 1) {
    const current = await loadMeeting(deps, input.meetingId);
    const meeting = current.value;
    const item = meeting.agenda.find((candidate) => candidate.caseId === input.caseId);
    if (item === undefined) {
      return { outcome: 'refused', message: changeMeetingMessages.notOnAgenda };
    }
    const caseValue = (await deps.stores.cases.get(input.caseId))?.value;
    const consentWithdrawn = caseValue?.state === 'samtyckeAterkallat';
    if (input.actor.userId !== meeting.convenerUserId && !consentWithdrawn) {
      await appendAudit(deps, {
        at: input.at,
        actor: input.actor.userId,
        action: 'taBortFranDagordning',
        caseId: input.caseId,
        unitId: meeting.unitId,
        outcome: 'refused',
      });
      return { outcome: 'refused', message: changeMeetingMessages.notAllowedToRemove };
    }
    if (item.removedAt !== undefined) {
      await cancelLeavingUpptackare(deps, meeting, input.caseId);
      return {
        outcome: 'alreadyApplied',
        meeting: current,
        message: 'Barnet är redan borttaget från dagordningen.',
      };
    }
    const leaving = await findLeavingUpptackare(deps, meeting, input.caseId);
    const next: BarnteamMeeting = {
      ...meeting,
      agenda: meeting.agenda.map((candidate) =>
        candidate.caseId === input.caseId ? { ...candidate, removedAt: input.at } : candidate,
      ),
      members: meeting.members.filter(
        (member) => member.userId === undefined || !leaving.includes(member.userId),
      ),
      updatedAt: input.at,
    };
    await appendAudit(deps, {
      at: input.at,
      actor: input.actor.userId,
      action: 'taBortFranDagordning',
      caseId: input.caseId,
      unitId: meeting.unitId,
      outcome: 'allowed',
    });
    try {
      const stored = await deps.stores.meetings.replace(next, current.etag);
      const offsets = resolveBarnteam(deps.directory, meeting.unitId)?.reminderOffsets ?? [];
      await cancelMeetingReminders(deps, meeting, offsets, leaving);
      return { outcome: 'applied', meeting: stored };
    } catch (error) {
      if (!isDomainError(error, 'concurrencyConflict') || attempt >= maxRemoveAttempts) throw error;
    }
  }
}

/**
 * The Upptäckare of the case, when they are on the meeting only for this child: no other child
 * still on the agenda has them as Upptäckare.
 */
async function findLeavingUpptackare(
  deps: FlowDependencies,
  meeting: BarnteamMeeting,
  caseId: string,
): Promise<UserId[]> {
  const removed = await deps.stores.cases.get(caseId);
  const upptackare = removed === undefined ? undefined : findUpptackare(removed.value);
  if (upptackare === undefined) return [];
  const isInvited = meeting.members.some(
    (member) => member.userId === upptackare.userId && member.role === upptackareMemberRole,
  );
  if (!isInvited) return [];
  const others = await findUpptackareCases(deps, {
    ...meeting,
    agenda: meeting.agenda.filter((item) => item.caseId !== caseId),
  });
  return others.has(upptackare.userId) ? [] : [upptackare.userId];
}

/** Repeats the reminder cancellation for an Upptäckare who already left (a crash after the write). */
async function cancelLeavingUpptackare(
  deps: BarnteamDependencies,
  meeting: BarnteamMeeting,
  caseId: string,
): Promise<void> {
  const removed = await deps.stores.cases.get(caseId);
  const upptackare = removed === undefined ? undefined : findUpptackare(removed.value);
  if (upptackare === undefined || meeting.members.some((member) => member.userId === upptackare.userId))
    return;
  const offsets = resolveBarnteam(deps.directory, meeting.unitId)?.reminderOffsets ?? [];
  await cancelMeetingReminders(deps, meeting, offsets, [upptackare.userId]);
}

async function loadMeeting(deps: FlowDependencies, meetingId: string): Promise<Versioned<BarnteamMeeting>> {
  const stored = await deps.stores.meetings.get(meetingId);
  if (stored === undefined) {
    throw new DomainError('notFound', 'Mötet finns inte.', { meetingId });
  }
  return stored;
}

function checkConvener(meeting: BarnteamMeeting, actorId: UserId): ChangeMeetingResult | undefined {
  return meeting.convenerUserId === actorId
    ? undefined
    : { outcome: 'refused', message: changeMeetingMessages.notConvener };
}

function isChangeable(meeting: BarnteamMeeting): boolean {
  return meeting.state === 'booked' || meeting.state === 'moved';
}

async function auditAgenda(
  deps: FlowDependencies,
  meeting: BarnteamMeeting,
  actorId: UserId,
  action: string,
  at: Instant,
): Promise<void> {
  for (const item of meeting.agenda) {
    if (item.removedAt !== undefined) continue;
    await appendAudit(deps, {
      at,
      actor: actorId,
      action,
      caseId: item.caseId,
      unitId: meeting.unitId,
      outcome: 'allowed',
    });
  }
}

/**
 * Calls `send` once per member but the convener, with the case the notice is filed under: the
 * outbox files every notice under a case, so the first child still on the agenda names it. With
 * nobody left on the agenda the calendar's own update is the only message.
 */
async function notifyMembers(
  meeting: BarnteamMeeting,
  send: (memberUserId: UserId, caseId: string) => Promise<void>,
): Promise<void> {
  const caseId = meeting.agenda.find((item) => item.removedAt === undefined)?.caseId;
  if (caseId === undefined) return;
  for (const member of meeting.members) {
    // A member outside Teams has no chat: the calendar's updated invitation tells them.
    if (member.userId !== undefined && member.userId !== meeting.convenerUserId) {
      await send(member.userId, caseId);
    }
  }
}

async function cancelIfScheduled(deps: FlowDependencies, reminderId: string): Promise<void> {
  const stored = await deps.stores.reminders.get(reminderId);
  if (stored === undefined || stored.value.status !== 'scheduled') return;
  try {
    await deps.stores.reminders.replace({ ...stored.value, status: 'cancelled' }, stored.etag);
  } catch (error) {
    if (!isDomainError(error, 'concurrencyConflict') && !isDomainError(error, 'notFound')) throw error;
  }
}
