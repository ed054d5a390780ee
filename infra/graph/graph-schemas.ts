/**
 * The parts of Microsoft Graph's calendar responses that we read, as documented
 * (calendar-getschedule, scheduleinformation, event). Unknown properties are ignored; a
 * missing or mistyped property we rely on makes the response unusable.
 */
import { z } from 'zod';

/**
 * A `dateTimeTimeZone`. We ask for UTC (request time zone and `Prefer: outlook.timezone`), so
 * an answer in another zone means the request was not understood and is refused rather than
 * guessed at. Graph writes the time with seven fractional digits and no offset.
 */
export const ZGraphDateTime = z.object({
  dateTime: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?$/),
  timeZone: z.string().refine((zone) => /^(utc|etc\/utc|coordinated universal time)$/i.test(zone)),
});
export type GraphDateTime = z.infer<typeof ZGraphDateTime>;

/** freeBusyStatus; the guide writes it capitalised ("Busy"), the reference in lower case. */
export const ZFreeBusyStatus = z
  .string()
  .transform((status) => status.toLowerCase())
  .pipe(z.enum(['free', 'tentative', 'busy', 'oof', 'workingelsewhere', 'unknown']));

export const ZScheduleItem = z.object({
  status: ZFreeBusyStatus,
  start: ZGraphDateTime,
  end: ZGraphDateTime,
});

/** freeBusyError: set when a schedule could not be read (unknown mailbox, no access). */
export const ZFreeBusyError = z.object({
  responseCode: z.string().nullish(),
  message: z.string().nullish(),
});

export const ZScheduleInformation = z.object({
  scheduleId: z.string(),
  /**
   * Documented digits 0–4; a code outside them is read as unknown for its slot (not refused: one
   * odd slot must not cost the whole lookup), but nothing beyond letters and digits is accepted.
   */
  availabilityView: z
    .string()
    .regex(/^[0-9A-Za-z]*$/)
    .nullish(),
  scheduleItems: z.array(ZScheduleItem).nullish(),
  error: ZFreeBusyError.nullish(),
});
export type ScheduleInformation = z.infer<typeof ZScheduleInformation>;

export const ZGetScheduleResponse = z.object({ value: z.array(ZScheduleInformation) });

export const ZGraphEvent = z.object({
  id: z.string().min(1),
  webLink: z.string().url().nullish(),
  start: ZGraphDateTime,
  end: ZGraphDateTime,
  onlineMeeting: z.object({ joinUrl: z.string().url().nullish() }).nullish(),
});
export type GraphEvent = z.infer<typeof ZGraphEvent>;

/**
 * responseStatus.response. `none` is how the organizer's calendar reports an attendee who has
 * not answered (`notResponded` is the attendee's own view); `organizer` is the organizer.
 */
export const ZGraphResponseType = z.enum([
  'none',
  'organizer',
  'tentativelyAccepted',
  'accepted',
  'declined',
  'notResponded',
]);

/** An attendee of an event (attendee resource): type, status and emailAddress. */
export const ZGraphAttendee = z.object({
  type: z.enum(['required', 'optional', 'resource']).nullish(),
  status: z.object({ response: ZGraphResponseType.nullish() }).nullish(),
  emailAddress: z.object({ address: z.string().min(1) }),
});

/** `GET /users/{id}/events/{id}?$select=attendees`: only the attendees are read. */
export const ZGraphEventAttendees = z.object({ attendees: z.array(ZGraphAttendee) });

/** Graph's error envelope; only the code is kept (the message may echo request content). */
export const ZGraphErrorBody = z.object({ error: z.object({ code: z.string().min(1) }) });

/** Graph's `dateTime` in UTC → our instant (`…T12:00:00.000Z`). */
export function toInstantFromGraph(value: GraphDateTime): string {
  const [seconds, fraction = ''] = value.dateTime.split('.');
  const millis = fraction.padEnd(3, '0').slice(0, 3);
  return new Date(`${seconds}.${millis}Z`).toISOString();
}

/** Our instant → Graph's `dateTimeTimeZone` in UTC, written as Graph writes it (`…T09:00:00.0000000`). */
export function toGraphDateTime(instant: string): GraphDateTime {
  return { dateTime: `${new Date(instant).toISOString().slice(0, 23)}0000`, timeZone: 'UTC' };
}
