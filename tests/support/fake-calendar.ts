/**
 * A calendar for unit tests of the Barnteam use cases: our own port (`flows/kernel/calendar.ts`), kept in
 * memory. It keeps the port's promises (one meeting per organizer and transaction id, a mailbox
 * busy while it attends a meeting, an unreadable mailbox answered with `error`, requests Graph
 * would refuse refused) and counts every call, so a test can say "one getSchedule call".
 */
import {
  type AttendeeResponse,
  type BusyBlock,
  type BusyStatus,
  type Calendar,
  type CreatedMeeting,
  type CreateMeetingRequest,
  checkMeetingTime,
  checkScheduleRequest,
  type MailboxSchedule,
  type MeetingTime,
  type ScheduleRequest,
  toMailboxKey,
} from '../../flows/kernel/calendar.js';
import { DomainError } from '../../flows/kernel/errors.js';

export interface FakeCalendarEvent {
  readonly eventId: string;
  readonly request: CreateMeetingRequest;
  /** Attendees' answers by mailbox key; absent means not answered. */
  readonly answers: Map<string, AttendeeResponse>;
  start: string;
  end: string;
  cancelled: boolean;
  cancelComment?: string;
}

export type FakeCalendarCall =
  | { readonly method: 'getSchedules'; readonly request: ScheduleRequest }
  | { readonly method: 'createMeeting'; readonly request: CreateMeetingRequest }
  | { readonly method: 'readAttendeeAnswers'; readonly eventId: string }
  | { readonly method: 'moveMeeting'; readonly eventId: string; readonly time: MeetingTime }
  | { readonly method: 'cancelMeeting'; readonly eventId: string; readonly comment: string };

export interface FakeCalendar extends Calendar {
  readonly calls: FakeCalendarCall[];
  readonly events: FakeCalendarEvent[];
  givenBusy(mailbox: string, start: string, end: string, status?: BusyStatus): void;
  /** The mailbox is answered with an error, as Graph does for one it cannot read. */
  givenUnreadable(mailbox: string): void;
  /** The attendee answers the invitation, as in their own calendar. */
  answerInvitation(eventId: string, mailbox: string, response: AttendeeResponse): void;
  /** The next call of `method` fails with `error` (a timeout, a 503 that ran out of retries). */
  failNext(method: FakeCalendarCall['method'], error?: Error): void;
}

const availabilityCodes: Record<BusyStatus, string> = {
  workingElsewhere: '4',
  tentative: '1',
  busy: '2',
  oof: '3',
  // A code Graph does not document: what a calendar answers when it has no data for the slot.
  unknown: '9',
};
const severity: readonly BusyStatus[] = ['oof', 'busy', 'tentative', 'unknown', 'workingElsewhere'];

export function createFakeCalendar(): FakeCalendar {
  const busy = new Map<string, BusyBlock[]>();
  const unreadable = new Set<string>();
  const failures = new Map<FakeCalendarCall['method'], Error[]>();
  const calls: FakeCalendarCall[] = [];
  const events: FakeCalendarEvent[] = [];
  let nextId = 0;

  function enter(call: FakeCalendarCall): void {
    calls.push(call);
    const failure = failures.get(call.method)?.shift();
    if (failure !== undefined) throw failure;
  }

  function blocksOf(mailbox: string): BusyBlock[] {
    const key = toMailboxKey(mailbox);
    const fromEvents = events
      .filter(
        (event) =>
          !event.cancelled &&
          (toMailboxKey(event.request.organizer) === key ||
            event.request.attendees.some((attendee) => toMailboxKey(attendee.email) === key)),
      )
      .map((event) => ({ start: event.start, end: event.end, status: 'busy' as const }));
    return [...(busy.get(key) ?? []), ...fromEvents];
  }

  function findEvent(organizer: string, eventId: string): FakeCalendarEvent | undefined {
    return events.find(
      (event) =>
        event.eventId === eventId && toMailboxKey(event.request.organizer) === toMailboxKey(organizer),
    );
  }

  return {
    calls,
    events,
    givenBusy(mailbox, start, end, status = 'busy') {
      const key = toMailboxKey(mailbox);
      busy.set(key, [...(busy.get(key) ?? []), { start, end, status }]);
    },
    givenUnreadable(mailbox) {
      unreadable.add(toMailboxKey(mailbox));
    },
    answerInvitation(eventId, mailbox, response) {
      const event = events.find((candidate) => candidate.eventId === eventId);
      if (event === undefined) throw new DomainError('notFound', 'Mötet finns inte i kalendern.');
      event.answers.set(toMailboxKey(mailbox), response);
    },
    failNext(method, error = new Error('kalendern svarar inte')) {
      failures.set(method, [...(failures.get(method) ?? []), error]);
    },
    async getSchedules(request) {
      enter({ method: 'getSchedules', request });
      checkScheduleRequest(request);
      const startMs = Date.parse(request.start);
      const endMs = Date.parse(request.end);
      const stepMs = request.intervalMinutes * 60_000;
      return request.mailboxes.map((mailbox): MailboxSchedule => {
        if (unreadable.has(toMailboxKey(mailbox))) {
          return { mailbox, busy: [], availabilityView: '', error: 'ErrorMailboxNotFound' };
        }
        const blocks = blocksOf(mailbox).filter(
          (block) => Date.parse(block.start) < endMs && Date.parse(block.end) > startMs,
        );
        let view = '';
        for (let slot = startMs; slot < endMs; slot += stepMs) {
          const overlapping = blocks
            .filter((block) => Date.parse(block.start) < slot + stepMs && Date.parse(block.end) > slot)
            .map((block) => block.status);
          const worst = severity.find((status) => overlapping.includes(status));
          view += worst === undefined ? '0' : availabilityCodes[worst];
        }
        return { mailbox, busy: blocks, availabilityView: view };
      });
    },
    async createMeeting(request): Promise<CreatedMeeting> {
      enter({ method: 'createMeeting', request });
      checkMeetingTime(request);
      const existing = events.find(
        (event) =>
          event.request.transactionId === request.transactionId &&
          toMailboxKey(event.request.organizer) === toMailboxKey(request.organizer),
      );
      const event =
        existing ??
        (() => {
          nextId += 1;
          const created: FakeCalendarEvent = {
            eventId: `event-${nextId}`,
            request,
            start: request.start,
            end: request.end,
            cancelled: false,
            answers: new Map(),
          };
          events.push(created);
          return created;
        })();
      return {
        eventId: event.eventId,
        joinUrl: `https://teams.microsoft.com/l/meetup-join/fake-${event.eventId}`,
        start: event.start,
        end: event.end,
      };
    },
    async readAttendeeAnswers(organizer, eventId) {
      enter({ method: 'readAttendeeAnswers', eventId });
      const event = findEvent(organizer, eventId);
      if (event === undefined || event.cancelled) {
        throw new DomainError('notFound', 'Mötet finns inte i kalendern.');
      }
      return event.request.attendees.map((attendee) => ({
        email: attendee.email,
        response: event.answers.get(toMailboxKey(attendee.email)) ?? 'notAnswered',
      }));
    },
    async moveMeeting(organizer, eventId, time) {
      enter({ method: 'moveMeeting', eventId, time });
      checkMeetingTime(time);
      const event = findEvent(organizer, eventId);
      if (event === undefined || event.cancelled) {
        throw new DomainError('notFound', 'Mötet finns inte i kalendern.');
      }
      event.start = time.start;
      event.end = time.end;
    },
    async cancelMeeting(organizer, eventId, comment) {
      enter({ method: 'cancelMeeting', eventId, comment });
      const event = findEvent(organizer, eventId);
      if (event !== undefined) {
        event.cancelled = true;
        event.cancelComment = comment;
      }
    },
  };
}
