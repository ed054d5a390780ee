/**
 * Use case: what the Barnteam's members answered to the invitation, as the convener's calendar
 * reports it (accepted, tentative, declined, not answered). Members outside Teams and guests
 * answer in their own mail programs; the calendar is the one place that knows every answer, so
 * the product reads it rather than keeping answers of its own.
 *
 * The answers are read when the convener opens the booking card, and once by the sweeper when the
 * first reminder goes out (`kollaSvarBarnteam`, planned in meeting-reminders.ts). A decline by a
 * required member is told to the convener once per member and meeting time (a notice with a
 * derived id, so reading the answers again, on every refresh of the card, adds nothing), with the
 * booking card to move the meeting from. Reading writes nothing else.
 */
import { type AttendeeResponse, toMailboxKey } from '../kernel/calendar.js';
import type { UserId } from '../kernel/case.js';
import { type Actor, enqueueNotice, nowInstant } from '../kernel/case-effects.js';
import type { ContactKind } from '../kernel/directory.js';
import { DomainError, isDomainError } from '../kernel/errors.js';
import type { BarnteamMeeting, Reminder, Versioned } from '../kernel/ports.js';
import type { BarnteamDependencies } from './book-barnteam.js';
import { convenerMemberRole } from './book-barnteam.js';
import { toCompactInstant } from './meeting-reminders.js';

/** One member's answer, keyed as the meeting document keys the member. */
export interface MemberAnswer {
  readonly email: string;
  readonly userId?: UserId;
  readonly contactId?: string;
  readonly kind: ContactKind;
  readonly role: string;
  readonly required: boolean;
  readonly response: AttendeeResponse;
}

export type ReadAttendeeAnswersResult =
  | {
      readonly outcome: 'read';
      readonly meeting: Versioned<BarnteamMeeting>;
      /** Every member but the convener, in the meeting's order. */
      readonly answers: readonly MemberAnswer[];
    }
  /** The meeting has no calendar event to ask (not booked yet, cancelled, held). */
  | { readonly outcome: 'noEvent'; readonly meeting: Versioned<BarnteamMeeting> }
  /** The calendar did not answer: show the meeting without answers, and say so. */
  | { readonly outcome: 'calendarUnavailable'; readonly meeting: Versioned<BarnteamMeeting> }
  | { readonly outcome: 'refused'; readonly message: string };

export const attendeeAnswerMessages = {
  notConvener: 'Bara den Barnkontakt som sammankallar Barnteamet ser deltagarnas svar.',
} as const;

/**
 * Reads the members' answers from the calendar and tells the convener of each required member
 * who declined (notice `barnteamAvbojt`). Only the convener may read them.
 *
 * @throws DomainError('notFound') for an unknown meeting; the stores' errors. The calendar's
 *   errors are answered as `calendarUnavailable`: the card is still worth showing.
 */
export async function readAttendeeAnswers(
  deps: BarnteamDependencies,
  input: { readonly meetingId: string; readonly actor: Actor },
): Promise<ReadAttendeeAnswersResult> {
  const meeting = await deps.stores.meetings.get(input.meetingId);
  if (meeting === undefined) {
    throw new DomainError('notFound', 'Mötet finns inte.', { meetingId: input.meetingId });
  }
  if (meeting.value.convenerUserId !== input.actor.userId) {
    return { outcome: 'refused', message: attendeeAnswerMessages.notConvener };
  }
  try {
    const answers = await fetchAnswers(deps, meeting.value);
    return answers === undefined ? { outcome: 'noEvent', meeting } : { outcome: 'read', meeting, answers };
  } catch (error) {
    if (isDomainError(error, 'notFound')) return { outcome: 'noEvent', meeting };
    return { outcome: 'calendarUnavailable', meeting };
  }
}

/**
 * The sweeper's handler for `kollaSvarBarnteam`: reads the answers of a meeting still to be held
 * at the time the check was planned for, and tells the convener of a required member's decline.
 * A calendar error propagates, so that the sweeper tries again.
 */
export async function handleAnswerCheck(
  deps: BarnteamDependencies,
  reminder: Reminder,
): Promise<'checked' | 'nothingToDo'> {
  const { meetingId, meetingStart } = reminder.data;
  if (typeof meetingId !== 'string' || typeof meetingStart !== 'string') return 'nothingToDo';
  const stored = await deps.stores.meetings.get(meetingId);
  if (stored === undefined || Date.parse(stored.value.start) !== Date.parse(meetingStart))
    return 'nothingToDo';
  try {
    return (await fetchAnswers(deps, stored.value)) === undefined ? 'nothingToDo' : 'checked';
  } catch (error) {
    if (isDomainError(error, 'notFound')) return 'nothingToDo';
    throw error;
  }
}

/** The answers, and the convener told of declines; undefined when there is no event to ask. */
async function fetchAnswers(
  deps: BarnteamDependencies,
  meeting: BarnteamMeeting,
): Promise<MemberAnswer[] | undefined> {
  const { calendar, state } = meeting;
  if (calendar === undefined || (state !== 'booked' && state !== 'moved')) return undefined;
  const reported = await deps.calendar.readAttendeeAnswers(calendar.organizer, calendar.eventId);
  const byMailbox = new Map(reported.map((answer) => [toMailboxKey(answer.email), answer.response]));
  const answers = meeting.members
    .filter((member) => member.role !== convenerMemberRole)
    .map(
      (member): MemberAnswer => ({
        email: member.email,
        ...(member.userId === undefined ? {} : { userId: member.userId }),
        ...(member.contactId === undefined ? {} : { contactId: member.contactId }),
        kind: member.kind ?? 'medarbetare',
        role: member.role,
        required: member.required,
        // An attendee the calendar does not list has not answered as far as anyone can tell.
        response: byMailbox.get(toMailboxKey(member.email)) ?? 'notAnswered',
      }),
    );
  await tellConvenerOfDeclines(deps, meeting, answers);
  return answers;
}

/** The notice id of one member's decline of the meeting at its current time. */
export function toDeclineNoticeId(meeting: Pick<BarnteamMeeting, 'id' | 'start'>, memberKey: string): string {
  return `${meeting.id}:notis:barnteamAvbojt:${memberKey}:${toCompactInstant(meeting.start)}`;
}

async function tellConvenerOfDeclines(
  deps: BarnteamDependencies,
  meeting: BarnteamMeeting,
  answers: readonly MemberAnswer[],
): Promise<void> {
  // The outbox files every notice under a case; the renderer reads the meeting by its id.
  const caseId = meeting.agenda.find((item) => item.removedAt === undefined)?.caseId;
  if (caseId === undefined) return;
  const now = nowInstant(deps.clock);
  for (const [index, answer] of answers.entries()) {
    if (!answer.required || answer.response !== 'declined') continue;
    // Never the e-mail address in an id: ids travel into logs.
    const memberKey = answer.contactId ?? answer.userId ?? `medlem${index + 1}`;
    await enqueueNotice(deps, {
      id: toDeclineNoticeId(meeting, memberKey),
      kind: 'barnteamAvbojt',
      caseId,
      recipientKey: meeting.convenerUserId,
      data: { meetingId: meeting.id, meetingStart: meeting.start, member: memberKey },
      at: now,
    });
  }
}
