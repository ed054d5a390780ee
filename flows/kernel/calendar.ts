/**
 * The calendar port: free/busy of several mailboxes and the Barnteam meeting in the convener's
 * calendar. Microsoft Graph implements it in production (infra/graph/graph-calendar.ts) and an
 * embedded SQLite calendar in the local run (infra/calendar/embedded-calendar.ts).
 *
 * Every time here is a UTC instant. Translating to Stockholm time is the caller's business
 * (working hours, holidays); the calendars never see a local time.
 */
import { DomainError } from './errors.js';
import type { Instant } from './value-types.js';

/** Graph answers getSchedule for at most this many schedules per call. */
export const maxSchedulesPerCall = 20;

/**
 * The longest window one getSchedule may cover. Microsoft's free/busy guide says "the time
 * period to look up must be less than 62 days" (Graph itself answers 63 days with
 * `ErrorTimeIntervalTooBig`, "allowed limit = 62 days"); some older pages said 42. We keep to
 * the documented bound: the window must be strictly shorter than 62 days.
 */
export const maxScheduleWindowDays = 62;

/** availabilityViewInterval bounds from Graph's getSchedule reference (default 30). */
export const minIntervalMinutes = 5;
export const maxIntervalMinutes = 1440;

/**
 * `unknown`: the calendar has the time but not what it is (Graph's freeBusyStatus `unknown`, or an
 * availabilityView code it does not document). It is neither free nor busy; the booking says so.
 */
export type BusyStatus = 'busy' | 'tentative' | 'oof' | 'workingElsewhere' | 'unknown';

export interface BusyBlock {
  readonly start: Instant;
  readonly end: Instant;
  readonly status: BusyStatus;
}

export interface MailboxSchedule {
  /** As requested (e-mail / UPN), not as the calendar spells it. */
  readonly mailbox: string;
  readonly busy: readonly BusyBlock[];
  /**
   * One character per `intervalMinutes` slot from `start`: 0 free (or working elsewhere),
   * 1 tentative, 2 busy, 3 out of office, 4 working elsewhere; any other code is unknown. Empty
   * when `error` is set.
   */
  readonly availabilityView: string;
  /**
   * Set when the calendar could not read this mailbox (a short code such as
   * `ErrorMailRecipientNotFound`, never a message text): its availability is unknown, which is
   * the usual answer for a guest's mailbox at home or an address outside the organisation.
   */
  readonly error?: string;
}

export interface ScheduleRequest {
  readonly mailboxes: readonly string[];
  readonly start: Instant;
  readonly end: Instant;
  readonly intervalMinutes: number;
  /**
   * The mailbox the lookup is addressed to (Graph's `/users/{id}/calendar/getSchedule`), which
   * is also the mailbox whose request budget the lookup spends. Defaults to the first mailbox.
   */
  readonly organizer?: string;
}

export interface MeetingAttendee {
  readonly email: string;
  readonly name: string;
  readonly type: 'required' | 'optional';
}

export interface CreateMeetingRequest {
  readonly organizer: string;
  /** Goes to every attendee's inbox: case references and initials only, never a child's name. */
  readonly subject: string;
  readonly bodyHtml: string;
  readonly start: Instant;
  readonly end: Instant;
  /** Everyone, wherever their mailbox is: an attendee outside the organisation gets it by e-mail. */
  readonly attendees: readonly MeetingAttendee[];
  /**
   * The reminder the calendar itself gives before the meeting (Graph's `isReminderOn` and
   * `reminderMinutesBeforeStart`), so that someone without the bot is reminded too.
   */
  readonly reminderMinutesBeforeStart: number;
  /**
   * Chosen by the caller from what caused the booking, so that creating the same meeting twice
   * (a retry after a timeout, a redelivered card action) yields one meeting.
   */
  readonly transactionId: string;
}

export interface CreatedMeeting {
  readonly eventId: string;
  readonly joinUrl?: string;
  readonly webLink?: string;
  readonly start: Instant;
  readonly end: Instant;
}

/** An attendee's answer to the invitation, as the calendar reports it. */
export const attendeeResponses = ['accepted', 'tentative', 'declined', 'notAnswered'] as const;
export type AttendeeResponse = (typeof attendeeResponses)[number];

export interface AttendeeAnswer {
  /** As the calendar spells it; compare with `toMailboxKey`. */
  readonly email: string;
  readonly response: AttendeeResponse;
}

export interface MeetingTime {
  readonly start: Instant;
  readonly end: Instant;
}

/**
 * A calendar that can read free/busy and book, move and cancel a meeting with a Teams link.
 *
 * - `getSchedules` answers one `MailboxSchedule` per requested mailbox, in request order. A
 *   mailbox the calendar cannot read is answered with `error` set, not by failing the whole
 *   call. The request must satisfy `checkScheduleRequest` (else `DomainError('invalidInput')`).
 * - `createMeeting` is idempotent by `(organizer, transactionId)`: the second call answers the
 *   meeting the first one created.
 * - `moveMeeting` fails when the meeting does not exist.
 * - `cancelMeeting` tells the attendees and frees their time; cancelling a meeting that is
 *   already cancelled (or gone) succeeds, so that a retried cancel is harmless.
 * - `readAttendeeAnswers` answers each attendee's response to the invitation (not the
 *   organizer); it fails with `DomainError('notFound')` when the meeting is gone.
 */
export interface Calendar {
  getSchedules(request: ScheduleRequest): Promise<MailboxSchedule[]>;
  createMeeting(request: CreateMeetingRequest): Promise<CreatedMeeting>;
  readAttendeeAnswers(organizer: string, eventId: string): Promise<AttendeeAnswer[]>;
  moveMeeting(organizer: string, eventId: string, time: MeetingTime): Promise<void>;
  cancelMeeting(organizer: string, eventId: string, comment: string): Promise<void>;
}

const dayMs = 24 * 60 * 60_000;

/**
 * Refuses a free/busy request that Graph would refuse, before any call is made: no mailboxes,
 * an empty or reversed window, a window of 62 days or more, an interval outside 5–1440 minutes.
 */
export function checkScheduleRequest(request: ScheduleRequest): void {
  if (request.mailboxes.length === 0) {
    throw new DomainError('invalidInput', 'Ange minst en kalender att läsa.');
  }
  const start = Date.parse(request.start);
  const end = Date.parse(request.end);
  if (Number.isNaN(start) || Number.isNaN(end) || end <= start) {
    throw new DomainError('invalidInput', 'Tidsfönstrets slut måste ligga efter dess början.');
  }
  if (end - start >= maxScheduleWindowDays * dayMs) {
    throw new DomainError(
      'invalidInput',
      `Kalendrarna kan bara läsas för kortare perioder än ${maxScheduleWindowDays} dagar åt gången.`,
      { windowDays: Math.ceil((end - start) / dayMs) },
    );
  }
  const interval = request.intervalMinutes;
  if (!Number.isInteger(interval) || interval < minIntervalMinutes || interval > maxIntervalMinutes) {
    throw new DomainError(
      'invalidInput',
      `Intervallet ska vara ${minIntervalMinutes}–${maxIntervalMinutes} minuter.`,
      { intervalMinutes: interval },
    );
  }
}

/** Graph's bound on `reminderMinutesBeforeStart` is an int; we keep to two weeks, the directory's. */
export const maxReminderMinutesBeforeStart = 14 * 24 * 60;

/** Refuses a meeting whose end is not after its start. */
export function checkMeetingTime(time: MeetingTime): void {
  const start = Date.parse(time.start);
  const end = Date.parse(time.end);
  if (Number.isNaN(start) || Number.isNaN(end) || end <= start) {
    throw new DomainError('invalidInput', 'Mötets slut måste ligga efter dess början.');
  }
}

/** Mailbox addresses compare case-insensitively (SMTP local parts are in practice). */
export function toMailboxKey(mailbox: string): string {
  return mailbox.trim().toLowerCase();
}
