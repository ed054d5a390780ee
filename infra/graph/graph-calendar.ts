/**
 * The calendar port on Microsoft Graph with application permissions (Calendars.Read for
 * free/busy, Calendars.ReadWrite for booking).
 *
 * Time zone: every request states UTC (`timeZone: 'UTC'` in each dateTimeTimeZone) and asks
 * for UTC answers with `Prefer: outlook.timezone="UTC"`; the schemas refuse any other zone. So
 * no Windows time-zone names and no daylight-saving arithmetic happen here: the port's instants
 * go out and come back unchanged.
 */
import type { z } from 'zod';
import {
  type AttendeeResponse,
  type BusyStatus,
  type Calendar,
  type CreatedMeeting,
  checkMeetingTime,
  checkScheduleRequest,
  type MailboxSchedule,
  maxSchedulesPerCall,
  toMailboxKey,
} from '../../flows/kernel/calendar.js';
import { DomainError } from '../../flows/kernel/errors.js';
import { type GraphClient, isGraphError } from './graph-client.js';
import {
  type ScheduleInformation,
  toGraphDateTime,
  toInstantFromGraph,
  ZGetScheduleResponse,
  ZGraphEvent,
  ZGraphEventAttendees,
} from './graph-schemas.js';

const preferUtc = { prefer: 'outlook.timezone="UTC"' } as const;

export function createGraphCalendar(client: GraphClient): Calendar {
  return {
    async getSchedules(request) {
      checkScheduleRequest(request);
      const addressedTo = request.organizer ?? (request.mailboxes[0] as string);
      const unique = [
        ...new Map(request.mailboxes.map((mailbox) => [toMailboxKey(mailbox), mailbox])).values(),
      ];
      const chunks: string[][] = [];
      for (let index = 0; index < unique.length; index += maxSchedulesPerCall) {
        chunks.push(unique.slice(index, index + maxSchedulesPerCall));
      }
      // The chunks go out together; the per-mailbox limiter keeps them within Outlook's four.
      const answers = await Promise.all(
        chunks.map((schedules) =>
          client.requestJson(
            {
              operation: 'getSchedule',
              method: 'POST',
              path: `/users/${encodeURIComponent(addressedTo)}/calendar/getSchedule`,
              mailbox: addressedTo,
              headers: preferUtc,
              body: {
                schedules,
                startTime: toGraphDateTime(request.start),
                endTime: toGraphDateTime(request.end),
                availabilityViewInterval: request.intervalMinutes,
              },
            },
            ZGetScheduleResponse,
          ),
        ),
      );
      const byMailbox = new Map<string, ScheduleInformation>();
      for (const answer of answers) {
        for (const information of answer.value) {
          byMailbox.set(toMailboxKey(information.scheduleId), information);
        }
      }
      return request.mailboxes.map((mailbox) =>
        toMailboxSchedule(mailbox, byMailbox.get(toMailboxKey(mailbox))),
      );
    },

    async createMeeting(request) {
      checkMeetingTime(request);
      const event = await client.requestJson(
        {
          operation: 'createEvent',
          method: 'POST',
          path: `/users/${encodeURIComponent(request.organizer)}/events`,
          mailbox: request.organizer,
          headers: preferUtc,
          body: {
            subject: request.subject,
            body: { contentType: 'HTML', content: request.bodyHtml },
            start: toGraphDateTime(request.start),
            end: toGraphDateTime(request.end),
            attendees: request.attendees.map((attendee) => ({
              emailAddress: { address: attendee.email, name: attendee.name },
              type: attendee.type,
            })),
            isOnlineMeeting: true,
            onlineMeetingProvider: 'teamsForBusiness',
            // The calendar's own reminder reaches attendees the bot cannot remind in Teams.
            isReminderOn: true,
            reminderMinutesBeforeStart: request.reminderMinutesBeforeStart,
            transactionId: request.transactionId,
            // A proposed new time would bypass our slot finding and the reminders tied to it.
            allowNewTimeProposals: false,
          },
        },
        ZGraphEvent,
      );
      const created: CreatedMeeting = {
        eventId: event.id,
        start: toInstantFromGraph(event.start),
        end: toInstantFromGraph(event.end),
        ...(event.onlineMeeting?.joinUrl ? { joinUrl: event.onlineMeeting.joinUrl } : {}),
        ...(event.webLink ? { webLink: event.webLink } : {}),
      };
      return created;
    },

    async readAttendeeAnswers(organizer, eventId) {
      let event: z.infer<typeof ZGraphEventAttendees>;
      try {
        event = await client.requestJson(
          {
            operation: 'getEventAttendees',
            method: 'GET',
            // Only the attendees: the event's body and subject are ours and need not come back.
            path: `/users/${encodeURIComponent(organizer)}/events/${encodeURIComponent(eventId)}?$select=attendees`,
            mailbox: organizer,
          },
          ZGraphEventAttendees,
        );
      } catch (error) {
        if (isGraphError(error, 404)) {
          throw new DomainError('notFound', 'Mötet finns inte längre i kalendern.');
        }
        throw error;
      }
      return event.attendees
        .filter((attendee) => attendee.type !== 'resource' && attendee.status?.response !== 'organizer')
        .map((attendee) => ({
          email: attendee.emailAddress.address,
          response: toAttendeeResponse(attendee.status?.response),
        }));
    },

    async moveMeeting(organizer, eventId, time) {
      checkMeetingTime(time);
      // Graph sends the attendees an updated invitation for a changed start or end.
      await client.requestJson(
        {
          operation: 'updateEvent',
          method: 'PATCH',
          path: `/users/${encodeURIComponent(organizer)}/events/${encodeURIComponent(eventId)}`,
          mailbox: organizer,
          headers: preferUtc,
          body: { start: toGraphDateTime(time.start), end: toGraphDateTime(time.end) },
        },
        ZGraphEvent,
      );
    },

    async cancelMeeting(organizer, eventId, comment) {
      try {
        await client.requestVoid({
          operation: 'cancelEvent',
          method: 'POST',
          path: `/users/${encodeURIComponent(organizer)}/events/${encodeURIComponent(eventId)}/cancel`,
          mailbox: organizer,
          body: { comment },
        });
      } catch (error) {
        // A cancelled meeting leaves the organizer's calendar, so a repeated cancel (a retry
        // after a lost answer, a second sweep) finds nothing: that is the outcome we wanted.
        if (isGraphError(error, 404)) {
          return;
        }
        throw error;
      }
    },
  };
}

function toMailboxSchedule(mailbox: string, information: ScheduleInformation | undefined): MailboxSchedule {
  if (!information) {
    return { mailbox, busy: [], availabilityView: '', error: 'missingFromResponse' };
  }
  if (information.error) {
    return { mailbox, busy: [], availabilityView: '', error: information.error.responseCode ?? 'unknown' };
  }
  const busy = (information.scheduleItems ?? []).flatMap((item) => {
    const status = toBusyStatus(item.status);
    return status
      ? [{ start: toInstantFromGraph(item.start), end: toInstantFromGraph(item.end), status }]
      : [];
  });
  return { mailbox, busy, availabilityView: information.availabilityView ?? '' };
}

/** `free` is not busy; `unknown` stays unknown: slot finding neither counts it as free nor as busy. */
function toBusyStatus(status: string): BusyStatus | undefined {
  switch (status) {
    case 'free':
      return undefined;
    case 'tentative':
      return 'tentative';
    case 'oof':
      return 'oof';
    case 'workingelsewhere':
      return 'workingElsewhere';
    case 'unknown':
      return 'unknown';
    default:
      return 'busy';
  }
}

function toAttendeeResponse(response: string | null | undefined): AttendeeResponse {
  switch (response) {
    case 'accepted':
      return 'accepted';
    case 'tentativelyAccepted':
      return 'tentative';
    case 'declined':
      return 'declined';
    default:
      return 'notAnswered';
  }
}
