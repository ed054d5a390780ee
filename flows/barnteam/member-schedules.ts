/**
 * Reading the free/busy of everyone invited to a meeting in ONE calendar call, for slot finding:
 * the Barnteam's booking and the Individuellt barnteam's next meeting share it. Someone outside
 * Teams has no calendar the municipality can read, so their address is never sent to the lookup
 * (it would only come back as an error) and they count as unreadable; a guest's home mailbox is
 * asked and usually answered with an error, which makes them unreadable too. An unreadable
 * member does not block: the slots are chosen on the calendars that can be read.
 */
import { TZDate } from '@date-fns/tz';
import type { Calendar, MailboxSchedule } from '../kernel/calendar.js';
import type { Instant } from '../kernel/case.js';
import type { ContactKind } from '../kernel/directory.js';
import { addDaysToDate } from '../kernel/stockholm-date.js';
import { stockholmTimeZone, toStockholmDate } from '../kernel/working-time.js';
import { type MemberSchedule, parseAvailabilityView } from './slot-finding.js';

export const scheduleIntervalMinutes = 15;

/** Someone whose calendar is read: how they are named in a conflict note and whether they must come. */
export interface ScheduledPerson {
  readonly email: string;
  readonly kind: ContactKind;
  /** "Ali Karimi (Skolkurator)". */
  readonly label: string;
  readonly required: boolean;
}

/**
 * One `getSchedules` for everyone in Teams (guests included), then one `MemberSchedule` per
 * person in the order given.
 */
export async function readMemberSchedules(
  calendar: Calendar,
  people: readonly ScheduledPerson[],
  window: { readonly start: Instant; readonly end: Instant; readonly organizer: string },
): Promise<MemberSchedule[]> {
  const asked = people.filter((person) => person.kind !== 'utanforTeams');
  const answered =
    asked.length === 0
      ? []
      : await calendar.getSchedules({
          mailboxes: asked.map((person) => person.email),
          start: window.start,
          end: window.end,
          intervalMinutes: scheduleIntervalMinutes,
          organizer: window.organizer,
        });
  const scheduleOf = new Map(asked.map((person, index) => [person, answered[index]]));
  return people.map((person) => toMemberSchedule(person, scheduleOf.get(person), window.start, window.end));
}

/**
 * A person's schedule for slot finding. Unreadable: the calendar answered an error for the
 * mailbox (Graph's `freeBusyError`, e.g. ErrorMailRecipientNotFound for a guest's home mailbox),
 * or answered nothing at all for the window. A view shorter than the window is unknown where
 * it does not reach, rather than free.
 */
function toMemberSchedule(
  person: ScheduledPerson,
  schedule: MailboxSchedule | undefined,
  start: Instant,
  end: Instant,
): MemberSchedule {
  const unreadable =
    schedule === undefined ||
    schedule.error !== undefined ||
    (schedule.availabilityView === '' && schedule.busy.length === 0);
  if (unreadable) {
    return {
      mailbox: person.email,
      label: person.label,
      required: person.required,
      busy: [],
      unreadable: true,
    };
  }
  const slotCount = Math.ceil((Date.parse(end) - Date.parse(start)) / (scheduleIntervalMinutes * 60_000));
  const view = schedule.availabilityView.padEnd(slotCount, '?');
  // Both: the blocks carry exact times when Graph may show them; the view covers the rest.
  const busy = [...schedule.busy, ...parseAvailabilityView(view, start, scheduleIntervalMinutes)];
  return { mailbox: person.email, label: person.label, required: person.required, busy };
}

/** The end of the free/busy window: Stockholm midnight after the horizon's last day. */
export function computeScheduleWindowEnd(from: Instant, horizonDays: number): Instant {
  const date = addDaysToDate(toStockholmDate(from), horizonDays);
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(year, month - 1, day, 0, 0, stockholmTimeZone).getTime()).toISOString();
}
