/**
 * Finding a time for a Barnteam meeting: the first slots where every required member is free,
 * inside the municipality's working hours (Europe/Stockholm wall-clock time, so 08:00 stays
 * 08:00 across the change to and from summer time), on working days (weekends, Swedish public
 * holidays incl. långfredagen and annandag påsk, the de-facto days off midsommarafton, julafton
 * and nyårsafton, and the directory's own extra days off). Pure: the members' busy times and
 * "now" come in as arguments; reading calendars is the Graph adapter's job.
 *
 * Decisions:
 * - Slots do not overlap each other: after a proposal the search continues at its end. Slots a
 *   step apart (09:00, 09:30, 10:00) are near-duplicates on a card with a few buttons; spreading
 *   them gives the convener real alternatives.
 * - Candidate starts lie on a grid of `stepMinutes` counted from the working day's start in local
 *   time (08:00, 08:30, …), and the first one is `from` rounded up to that grid.
 * - The horizon is counted in Stockholm calendar days: `from`'s date and the `horizonDays - 1`
 *   dates after it.
 * - Busy intervals touching a slot's edge (a meeting ending 10:00, the slot starting 10:00) do not
 *   conflict.
 */
import { TZDate } from '@date-fns/tz';
import type { CalendarDate, Instant } from '../kernel/case.js';
import { type WeekdayName, type WorkingTime, weekdayNames } from '../kernel/directory.js';
import { DomainError } from '../kernel/errors.js';
import { addDaysToDate, swedishMonthNames, swedishWeekdayNames } from '../kernel/stockholm-date.js';
import { type IsoWeekday, isWorkingDay, stockholmTimeZone, toStockholmDate } from '../kernel/working-time.js';

/**
 * Why someone is not free. `tentative` (preliminärt bokad) blocks a required member like `busy`:
 * a tentative entry is usually a held time someone else is about to confirm, and proposing it
 * would invite a double booking.
 */
export const blockingStatuses = ['tentative', 'busy', 'oof'] as const;
export type BlockingStatus = (typeof blockingStatuses)[number];

export interface BusyInterval {
  readonly start: Instant;
  readonly end: Instant;
  /**
   * Absent means `busy`. `workingElsewhere` is accepted so that the calendar port's blocks
   * (`flows/kernel/calendar.ts`) can be passed as they are; it never blocks (see `parseAvailabilityView`).
   * `unknown` (the calendar cannot say) does not block either: it is reported on the slot, as
   * is a whole calendar that cannot be read (`MemberSchedule.unreadable`).
   */
  readonly status?: BlockingStatus | 'workingElsewhere' | 'unknown';
}

export interface MemberSchedule {
  /** The calendar's SMTP address, as Graph `getSchedule` names the schedule. */
  readonly mailbox: string;
  /** How the member is named in a conflict note, e.g. "Polisen"; the mailbox when absent. */
  readonly label?: string;
  /** A required member's conflict rules a slot out; an optional member's is only reported. */
  readonly required: boolean;
  readonly busy: readonly BusyInterval[];
  /**
   * The member's calendar could not be read at all (a guest's mailbox at home, someone outside
   * Teams). Slots are then chosen on the others' calendars and the member is listed in
   * `FindMeetingSlotsResult.unknownMembers`: one unreadable calendar must not block every slot
   * of a team that spans organisations.
   */
  readonly unreadable?: boolean;
}

export interface FindMeetingSlotsInput {
  readonly schedules: readonly MemberSchedule[];
  readonly durationMinutes: number;
  /** Now, or the earliest time the convener wants; no slot starts before it. */
  readonly from: Instant;
  readonly horizonDays: number;
  readonly workingTime: WorkingTime;
  /** Grid of candidate starts, e.g. 30. */
  readonly stepMinutes: number;
  readonly maxSlots: number;
}

/** An optional member who cannot come to a proposed slot, or a member whose time there is unknown. */
export interface SlotConflict {
  readonly mailbox: string;
  readonly label: string;
  readonly status: BlockingStatus | 'unknown';
  /** Swedish, for the card: "Polisen är upptagen", "Polisen: tillgänglighet okänd". */
  readonly note: string;
}

export interface MeetingSlot {
  readonly start: Instant;
  readonly end: Instant;
  /** Stockholm calendar date of the start. */
  readonly localDate: CalendarDate;
  /** Stockholm wall-clock start and end, `TT:MM`. */
  readonly localStartTime: string;
  readonly localEndTime: string;
  /** Swedish, for a button: "tisdag 7 april 2026 kl. 09:00–10:00". */
  readonly label: string;
  readonly optionalConflicts: readonly SlotConflict[];
  /** Members, required or not, whose calendar says `unknown` for part of the slot. */
  readonly unknownAvailability: readonly SlotConflict[];
}

/** A member whose calendar could not be read: slots were chosen without them. */
export interface UnknownMember {
  readonly mailbox: string;
  readonly label: string;
  readonly required: boolean;
}

export type NoSlotReason = 'horisontenSlut' | 'langreAnArbetsdagen';

export type FindMeetingSlotsResult = { readonly unknownMembers: readonly UnknownMember[] } & (
  | { readonly slots: readonly MeetingSlot[]; readonly reason?: undefined }
  | { readonly slots: readonly []; readonly reason: NoSlotReason; readonly message: string }
);

const minuteMs = 60_000;

/**
 * The first `maxSlots` meeting slots, in time order, where every required member whose calendar
 * can be read is free. Members whose calendar cannot be read are left out of the choice and
 * listed in `unknownMembers`; time a calendar marks `unknown` blocks nobody and is noted on the
 * slot. An empty result carries a reason and a Swedish message saying what to change.
 *
 * @throws DomainError('invalidInput') for a non-positive duration, step, horizon or slot count,
 *   or an instant that is not a valid time.
 */
export function findMeetingSlots(input: FindMeetingSlotsInput): FindMeetingSlotsResult {
  checkPositiveInteger(input.durationMinutes, 'Mötets längd');
  checkPositiveInteger(input.stepMinutes, 'Tidssteget');
  checkPositiveInteger(input.horizonDays, 'Antalet dagar framåt');
  checkPositiveInteger(input.maxSlots, 'Antalet förslag');
  const { workingTime, durationMinutes, stepMinutes } = input;
  const unknownMembers = input.schedules
    .filter((schedule) => schedule.unreadable === true)
    .map((schedule) => ({
      mailbox: schedule.mailbox,
      label: schedule.label ?? schedule.mailbox,
      required: schedule.required,
    }));
  const dayStartMinute = toMinuteOfDay(workingTime.start);
  const dayEndMinute = toMinuteOfDay(workingTime.end);
  if (durationMinutes > dayEndMinute - dayStartMinute) {
    return {
      unknownMembers,
      slots: [],
      reason: 'langreAnArbetsdagen',
      message: `Ett möte på ${durationMinutes} minuter ryms inte inom arbetstiden ${workingTime.start}–${workingTime.end}.`,
    };
  }

  const fromMs = parseInstant(input.from);
  const schedules = input.schedules
    .filter((schedule) => schedule.unreadable !== true)
    .map((schedule) => ({
      mailbox: schedule.mailbox,
      label: schedule.label ?? schedule.mailbox,
      required: schedule.required,
      busy: schedule.busy.flatMap((interval) => {
        const status = interval.status ?? 'busy';
        const startMs = parseInstant(interval.start);
        const endMs = parseInstant(interval.end);
        return status === 'workingElsewhere' || endMs <= startMs ? [] : [{ startMs, endMs, status }];
      }),
    }));
  const weekdays = toIsoWeekdays(workingTime.days);
  const firstDate = toStockholmDate(new Date(fromMs));
  const lastDate = addDaysToDate(firstDate, input.horizonDays - 1);

  const slots: MeetingSlot[] = [];
  for (let date = firstDate; date <= lastDate; date = addDaysToDate(date, 1)) {
    if (!isWorkingDay(date, weekdays) || workingTime.holidays.includes(date)) {
      continue;
    }
    let minute = dayStartMinute;
    while (minute + durationMinutes <= dayEndMinute) {
      const startMs = atStockholmMinute(date, minute);
      const endMs = startMs + durationMinutes * minuteMs;
      if (startMs < fromMs) {
        minute += stepMinutes;
        continue;
      }
      const blockingEnd = findLatestRequiredConflictEnd(schedules, startMs, endMs);
      if (blockingEnd !== undefined) {
        // Jump past the conflict instead of testing every step inside it.
        minute = nextGridMinute(date, blockingEnd, stepMinutes, minute);
        continue;
      }
      slots.push(buildSlot(date, minute, startMs, endMs, schedules));
      if (slots.length === input.maxSlots) {
        return { unknownMembers, slots };
      }
      minute += Math.ceil(durationMinutes / stepMinutes) * stepMinutes;
    }
  }
  if (slots.length > 0) {
    return { unknownMembers, slots };
  }
  return {
    unknownMembers,
    slots: [],
    reason: 'horisontenSlut',
    message: `Det finns ingen tid då alla obligatoriska deltagare är lediga under arbetstid från ${firstDate} till och med ${lastDate}. Välj ett kortare möte, fler dagar framåt eller gör någon deltagare valfri.`,
  };
}

/**
 * Busy intervals from a Graph `availabilityView`: one character per `intervalMinutes` from
 * `start` (the request's start). Codes: 0 free, 1 tentative, 2 busy, 3 out of office (oof),
 * 4 working elsewhere. Working elsewhere counts as free: Barnteam meetings are Teams online
 * meetings, so someone working from another place can still attend. Any other character is
 * `unknown`: it neither blocks nor counts as free, and is noted on the slot. Consecutive
 * intervals with the same status are merged.
 *
 * @throws DomainError('invalidInput') for a non-positive interval or an invalid start.
 */
export function parseAvailabilityView(view: string, start: Instant, intervalMinutes: number): BusyInterval[] {
  checkPositiveInteger(intervalMinutes, 'Intervallet');
  const startMs = parseInstant(start);
  const intervals: BusyInterval[] = [];
  let open: { startMs: number; endMs: number; status: SlotStatus } | undefined;
  const close = () => {
    if (open !== undefined) {
      intervals.push({
        start: new Date(open.startMs).toISOString(),
        end: new Date(open.endMs).toISOString(),
        status: open.status,
      });
      open = undefined;
    }
  };
  [...view].forEach((code, index) => {
    const status = toBlockingStatus(code);
    const slotStart = startMs + index * intervalMinutes * minuteMs;
    const slotEnd = slotStart + intervalMinutes * minuteMs;
    if (status === undefined) {
      close();
    } else if (open !== undefined && open.status === status && open.endMs === slotStart) {
      open.endMs = slotEnd;
    } else {
      close();
      open = { startMs: slotStart, endMs: slotEnd, status };
    }
  });
  close();
  return intervals;
}

type SlotStatus = BlockingStatus | 'unknown';

const slotStatusNotes: Readonly<Record<SlotStatus, string>> = {
  tentative: 'är preliminärt bokad',
  busy: 'är upptagen',
  oof: 'är frånvarande',
  unknown: 'tillgänglighet okänd',
};

interface ParsedSchedule {
  readonly mailbox: string;
  readonly label: string;
  readonly required: boolean;
  readonly busy: readonly { startMs: number; endMs: number; status: SlotStatus }[];
}

function toBlockingStatus(code: string): SlotStatus | undefined {
  switch (code) {
    case '0':
    case '4':
      return undefined;
    case '1':
      return 'tentative';
    case '2':
      return 'busy';
    case '3':
      return 'oof';
    default:
      return 'unknown';
  }
}

function findLatestRequiredConflictEnd(
  schedules: readonly ParsedSchedule[],
  startMs: number,
  endMs: number,
): number | undefined {
  let latest: number | undefined;
  for (const schedule of schedules) {
    if (!schedule.required) {
      continue;
    }
    for (const interval of schedule.busy) {
      if (interval.status !== 'unknown' && interval.startMs < endMs && interval.endMs > startMs) {
        latest = Math.max(latest ?? interval.endMs, interval.endMs);
      }
    }
  }
  return latest;
}

function buildSlot(
  date: CalendarDate,
  minute: number,
  startMs: number,
  endMs: number,
  schedules: readonly ParsedSchedule[],
): MeetingSlot {
  const optionalConflicts: SlotConflict[] = [];
  const unknownAvailability: SlotConflict[] = [];
  for (const schedule of schedules) {
    const overlapping = schedule.busy.filter(
      (interval) => interval.startMs < endMs && interval.endMs > startMs,
    );
    const worst = mostSevereStatus(overlapping.map((interval) => interval.status));
    // A required member's blocking time never reaches here: the slot would have been skipped.
    if (worst === 'unknown') {
      unknownAvailability.push({
        mailbox: schedule.mailbox,
        label: schedule.label,
        status: 'unknown',
        note: `${schedule.label}: ${slotStatusNotes.unknown}`,
      });
    } else if (worst !== undefined && !schedule.required) {
      optionalConflicts.push({
        mailbox: schedule.mailbox,
        label: schedule.label,
        status: worst,
        note: `${schedule.label} ${slotStatusNotes[worst]}`,
      });
    }
  }
  const localStartTime = formatClock(minute);
  // The end's wall-clock time is read back from the instant: the duration is real minutes.
  const localEndTime = formatStockholmClock(endMs);
  return {
    start: new Date(startMs).toISOString(),
    end: new Date(endMs).toISOString(),
    localDate: date,
    localStartTime,
    localEndTime,
    label: `${formatSwedishDay(date)} kl. ${localStartTime}–${localEndTime}`,
    optionalConflicts,
    unknownAvailability,
  };
}

// Out of office says more to the convener than busy, busy more than tentative, and any of them
// more than not knowing.
function mostSevereStatus(statuses: readonly SlotStatus[]): SlotStatus | undefined {
  const order: readonly SlotStatus[] = ['oof', 'busy', 'tentative', 'unknown'];
  return order.find((status) => statuses.includes(status));
}

/** The first grid minute of `date` after `current` whose start is at or after `afterMs`. */
function nextGridMinute(date: CalendarDate, afterMs: number, stepMinutes: number, current: number): number {
  let minute = current + stepMinutes;
  // At most one day of steps, so a plain loop is cheap and stays right across a DST change.
  while (atStockholmMinute(date, minute) < afterMs && minute < 24 * 60) {
    minute += stepMinutes;
  }
  return minute;
}

function atStockholmMinute(date: CalendarDate, minuteOfDay: number): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new TZDate(
    year,
    month - 1,
    day,
    Math.floor(minuteOfDay / 60),
    minuteOfDay % 60,
    stockholmTimeZone,
  ).getTime();
}

function toMinuteOfDay(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number) as [number, number];
  return hours * 60 + minutes;
}

function formatClock(minuteOfDay: number): string {
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
}

function formatStockholmClock(ms: number): string {
  const local = new TZDate(ms, stockholmTimeZone);
  return formatClock(local.getHours() * 60 + local.getMinutes());
}

function formatSwedishDay(date: CalendarDate): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const weekday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
  return `${swedishWeekdayNames[weekday]} ${day} ${swedishMonthNames[month - 1]} ${year}`;
}

function toIsoWeekdays(days: readonly WeekdayName[]): IsoWeekday[] {
  return days.map((day) => (weekdayNames.indexOf(day) + 1) as IsoWeekday);
}

function parseInstant(instant: Instant): number {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) {
    throw new DomainError('invalidInput', 'Ogiltig tidpunkt i kalenderuppgifterna.');
  }
  return ms;
}

function checkPositiveInteger(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new DomainError('invalidInput', `${what} måste vara ett heltal större än noll.`);
  }
}
