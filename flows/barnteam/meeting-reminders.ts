/**
 * Reminders before a Barnteam meeting (reminders are stored and claimed, docs/security.md): each member gets a
 * personal reminder per configured offset (default the day before and one hour before), which
 * the bot renders into a card with the time, the Teams link, the agenda and a Skattningsformulär
 * button per child.
 *
 * Decisions:
 * - One reminder document per meeting, member, offset AND meeting start. The start is in the id
 *   so that moving a meeting schedules new documents instead of rewriting old ones: a reminder
 *   another instance has just claimed cannot be "moved" under its feet, and the old one is simply
 *   cancelled (or, if it is already running, finds the meeting moved and sends nothing).
 * - The handler trusts nothing the reminder says about the meeting: it reads the meeting and
 *   stays silent when it was cancelled, held, moved away from this reminder's start, or when the
 *   member is no longer on it. A cancel that missed a reminder (the directory's offsets changed
 *   between booking and moving) is therefore harmless.
 * - Reminders for the team members carry no case id: they serve the whole meeting, and a consent
 *   withdrawn for one child must not silence them. The Upptäckare's reminders carry their child's
 *   case id, so that withdrawing that consent (which cancels the case's reminders) stops them too.
 */
import { TZDate } from '@date-fns/tz';
import type { Instant, UserId } from '../kernel/case.js';
import { enqueueNotice, type FlowDependencies, nowInstant } from '../kernel/case-effects.js';
import type { WorkingTime } from '../kernel/directory.js';
import { DomainError, isDomainError } from '../kernel/errors.js';
import type { BarnteamMeeting, Reminder } from '../kernel/ports.js';
import { computeChaseDueAt } from '../kernel/reminder-times.js';
import { stockholmTimeZone } from '../kernel/working-time.js';
import type { ReminderOffset } from './barnteam-setup.js';

/** The reminder kind the sweeper maps to `handleMeetingReminder`. */
export const meetingReminderKind = 'paminnelseBarnteam';

/** The member role under which an Upptäckare is invited for their child's item. */
export const upptackareMemberRole = 'upptackare';

const minuteMs = 60_000;

/** `P1D`, `PT1H`, `PT30M`, `P1DT2H`: ISO 8601 durations, stable across versions, for ids and data. */
export function toOffsetKey(offset: ReminderOffset): string {
  checkOffset(offset);
  const hours = Math.floor(offset.minutes / 60);
  const minutes = offset.minutes % 60;
  const time = `${hours > 0 ? `${hours}H` : ''}${minutes > 0 ? `${minutes}M` : ''}`;
  return `P${offset.days > 0 ? `${offset.days}D` : ''}${time === '' ? '' : `T${time}`}`;
}

/**
 * When a reminder `offset` before `start` is due: first `days` Stockholm calendar days back at the
 * same wall-clock time, then `minutes` real minutes back.
 *
 * @throws DomainError('invalidInput') for an invalid start or an offset that is not positive.
 */
export function computeReminderDueAt(start: Instant, offset: ReminderOffset): Instant {
  checkOffset(offset);
  const startMs = Date.parse(start);
  if (Number.isNaN(startMs)) {
    throw new DomainError('invalidInput', 'Ogiltig starttid för mötet.');
  }
  const local = new TZDate(startMs, stockholmTimeZone);
  const dayShifted = new TZDate(
    local.getFullYear(),
    local.getMonth(),
    local.getDate() - offset.days,
    local.getHours(),
    local.getMinutes(),
    local.getSeconds(),
    stockholmTimeZone,
  ).getTime();
  return new Date(dayShifted - offset.minutes * minuteMs).toISOString();
}

/**
 * The earliest start the bot proposes for a team's meeting: `minimumNoticeWorkingDays` working
 * days from now, in working hours, and never so close that the longest reminder is already due.
 * A team configured with no notice gets the first time an hour from now (nobody can join a
 * meeting called later than that), and the booking card names the reminders that cannot go out.
 */
export function computeEarliestMeetingStart(
  now: Instant,
  team: { readonly minimumNoticeWorkingDays: number; readonly reminderOffsets: readonly ReminderOffset[] },
  workingTime: WorkingTime,
): Instant {
  const nowMs = Date.parse(now);
  const anHour = 60 * minuteMs;
  if (team.minimumNoticeWorkingDays === 0) return new Date(nowMs + anHour).toISOString();
  const byNotice = Date.parse(computeChaseDueAt(now, team.minimumNoticeWorkingDays, workingTime));
  const longestMs = Math.max(
    0,
    ...team.reminderOffsets.map((offset) => offset.days * 24 * 60 * minuteMs + offset.minutes * minuteMs),
  );
  return new Date(Math.max(byNotice, nowMs + longestMs + anHour)).toISOString();
}

/**
 * The reminders of a meeting at `start` that can no longer go out at `now`, in words ("dagen
 * före"), so the booking card can say so instead of leaving them out in silence.
 */
export function describeMissedReminders(
  start: Instant,
  offsets: readonly ReminderOffset[],
  now: Instant,
): string[] {
  const nowMs = Date.parse(now);
  return offsets
    .filter((offset) => Date.parse(computeReminderDueAt(start, offset)) <= nowMs)
    .map(describeOffset);
}

function describeOffset(offset: ReminderOffset): string {
  const hours = Math.floor(offset.minutes / 60);
  const minutes = offset.minutes % 60;
  const parts = [
    ...(offset.days === 1 ? ['1 dag'] : offset.days > 1 ? [`${offset.days} dagar`] : []),
    ...(hours === 1 ? ['1 timme'] : hours > 1 ? [`${hours} timmar`] : []),
    ...(minutes > 0 ? [`${minutes} minuter`] : []),
  ];
  return `${parts.join(' och ')} före`;
}

/** Deterministic: the same meeting, member, offset and start always name the same reminder. */
export function toMeetingReminderId(
  meetingId: string,
  memberUserId: UserId,
  offset: ReminderOffset,
  start: Instant,
): string {
  return `${meetingId}:paminnelse:${memberUserId}:${toOffsetKey(offset)}:${toCompactInstant(start)}`;
}

/**
 * The reminders a meeting should have: one per member and offset whose due time is still after
 * `now` (a reminder that would be due already is left out rather than sent late at once).
 * `caseIdByMember` names the case of each Upptäckare on the meeting.
 */
export function planMeetingReminders(
  meeting: BarnteamMeeting,
  offsets: readonly ReminderOffset[],
  now: Instant,
  caseIdByMember: ReadonlyMap<UserId, string> = new Map(),
): Reminder[] {
  const nowMs = Date.parse(now);
  return listMembersInTeams(meeting).flatMap((member) =>
    offsets.flatMap((offset) => {
      const dueAt = computeReminderDueAt(meeting.start, offset);
      if (Date.parse(dueAt) <= nowMs) {
        return [];
      }
      const caseId = member.role === upptackareMemberRole ? caseIdByMember.get(member.userId) : undefined;
      const reminder: Reminder = {
        id: toMeetingReminderId(meeting.id, member.userId, offset, meeting.start),
        kind: meetingReminderKind,
        ...(caseId === undefined ? {} : { caseId }),
        dueAt,
        status: 'scheduled',
        data: {
          meetingId: meeting.id,
          memberUserId: member.userId,
          offset: toOffsetKey(offset),
          meetingStart: meeting.start,
        },
        createdAt: now,
      };
      return [reminder];
    }),
  );
}

type MeetingMember = BarnteamMeeting['members'][number];

/**
 * The members the bot can remind in Teams. A member outside Teams has no chat with the bot: the
 * reminder in the calendar invitation (`reminderMinutesBeforeStart`) is theirs.
 */
function listMembersInTeams(
  meeting: Pick<BarnteamMeeting, 'members'>,
): (MeetingMember & { readonly userId: UserId })[] {
  return meeting.members.flatMap((member) =>
    member.userId === undefined || member.kind === 'utanforTeams'
      ? []
      : [{ ...member, userId: member.userId }],
  );
}

/** Schedules the meeting's reminders; a repeat keeps the documents already there. Returns their ids. */
export async function scheduleMeetingReminders(
  deps: FlowDependencies,
  meeting: BarnteamMeeting,
  offsets: readonly ReminderOffset[],
  now: Instant,
  caseIdByMember: ReadonlyMap<UserId, string> = new Map(),
): Promise<string[]> {
  const planned = planMeetingReminders(meeting, offsets, now, caseIdByMember);
  for (const reminder of planned) {
    await deps.stores.reminders.schedule(reminder);
  }
  return planned.map((reminder) => reminder.id);
}

/**
 * Cancels the scheduled reminders of the meeting at its current start, for every member or only
 * for `memberUserIds` (who may have left the meeting already). One already claimed by the sweeper
 * is left to its handler, which sees the change. Returns the ids it cancelled.
 */
export async function cancelMeetingReminders(
  deps: FlowDependencies,
  meeting: Pick<BarnteamMeeting, 'id' | 'start' | 'members'>,
  offsets: readonly ReminderOffset[],
  memberUserIds: readonly UserId[] = listMembersInTeams(meeting).map((member) => member.userId),
): Promise<string[]> {
  const cancelled: string[] = [];
  for (const userId of memberUserIds) {
    for (const offset of offsets) {
      const id = toMeetingReminderId(meeting.id, userId, offset, meeting.start);
      const stored = await deps.stores.reminders.get(id);
      if (stored === undefined || stored.value.status !== 'scheduled') continue;
      try {
        await deps.stores.reminders.replace({ ...stored.value, status: 'cancelled' }, stored.etag);
        cancelled.push(id);
      } catch (error) {
        if (!isDomainError(error, 'concurrencyConflict') && !isDomainError(error, 'notFound')) throw error;
      }
    }
  }
  return cancelled;
}

export type MeetingReminderOutcome =
  | { readonly outcome: 'sent'; readonly noticeId: string }
  | {
      readonly outcome: 'silent';
      readonly why: 'unreadable' | 'meetingGone' | 'meetingOver' | 'moved' | 'notAMember' | 'noChildOnAgenda';
    };

/**
 * The sweeper's handler for `paminnelseBarnteam`: enqueues the member's `barnteamPaminnelse`
 * notice, unless the meeting was cancelled, held, moved away from this reminder, or the member
 * (or, for an Upptäckare, their child) is no longer on it. Idempotent: the notice id is derived
 * from the reminder id, and enqueueing twice keeps one.
 */
export async function handleMeetingReminder(
  deps: FlowDependencies,
  reminder: Reminder,
): Promise<MeetingReminderOutcome> {
  const { meetingId, memberUserId, offset, meetingStart } = reminder.data;
  if (
    typeof meetingId !== 'string' ||
    typeof memberUserId !== 'string' ||
    typeof offset !== 'string' ||
    typeof meetingStart !== 'string'
  ) {
    return { outcome: 'silent', why: 'unreadable' };
  }
  const stored = await deps.stores.meetings.get(meetingId);
  if (stored === undefined) {
    return { outcome: 'silent', why: 'meetingGone' };
  }
  const meeting = stored.value;
  if (meeting.state === 'cancelled' || meeting.state === 'held' || meeting.state === 'proposed') {
    return { outcome: 'silent', why: meeting.state === 'held' ? 'meetingOver' : 'meetingGone' };
  }
  if (Date.parse(meeting.start) !== Date.parse(meetingStart)) {
    return { outcome: 'silent', why: 'moved' };
  }
  const member = meeting.members.find((candidate) => candidate.userId === memberUserId);
  if (member === undefined) {
    return { outcome: 'silent', why: 'notAMember' };
  }
  const activeItems = meeting.agenda.filter((item) => item.removedAt === undefined);
  // The outbox files every notice under a case; the renderer reads the meeting by its id.
  const caseId =
    member.role === upptackareMemberRole
      ? activeItems.find((item) => item.caseId === reminder.caseId)?.caseId
      : activeItems[0]?.caseId;
  if (caseId === undefined) {
    return { outcome: 'silent', why: 'noChildOnAgenda' };
  }
  const noticeId = `${reminder.id}:notis`;
  await enqueueNotice(deps, {
    id: noticeId,
    kind: 'barnteamPaminnelse',
    caseId,
    recipientKey: memberUserId,
    data: { meetingId, offset, meetingStart: meeting.start },
    at: nowInstant(deps.clock),
  });
  return { outcome: 'sent', noticeId };
}

/** The reminder kind the sweeper maps to `handleAnswerCheck` (attendee-answers.ts). */
export const answerCheckReminderKind = 'kollaSvarBarnteam';

/** One check per meeting and start: a moved meeting gets a check of its own. */
export function toAnswerCheckReminderId(meetingId: string, start: Instant): string {
  return `${meetingId}:kollaSvar:${toCompactInstant(start)}`;
}

/**
 * The check of the members' answers: when the first reminder that is still ahead goes out (the
 * day before, by default), so that a required member's decline reaches the convener with time to
 * move the meeting even if she never opens the booking card. None when every reminder is past.
 */
export function planAnswerCheck(
  meeting: Pick<BarnteamMeeting, 'id' | 'start'>,
  offsets: readonly ReminderOffset[],
  now: Instant,
): Reminder | undefined {
  const nowMs = Date.parse(now);
  const dueAt = offsets
    .map((offset) => computeReminderDueAt(meeting.start, offset))
    .filter((due) => Date.parse(due) > nowMs)
    .sort()[0];
  if (dueAt === undefined) return undefined;
  return {
    id: toAnswerCheckReminderId(meeting.id, meeting.start),
    kind: answerCheckReminderKind,
    dueAt,
    status: 'scheduled',
    data: { meetingId: meeting.id, meetingStart: meeting.start },
    createdAt: now,
  };
}

/** Schedules the answer check; a repeat keeps the document already there. */
export async function scheduleAnswerCheck(
  deps: FlowDependencies,
  meeting: Pick<BarnteamMeeting, 'id' | 'start'>,
  offsets: readonly ReminderOffset[],
  now: Instant,
): Promise<void> {
  const check = planAnswerCheck(meeting, offsets, now);
  if (check !== undefined) await deps.stores.reminders.schedule(check);
}

function checkOffset(offset: ReminderOffset): void {
  const valid =
    Number.isInteger(offset.days) &&
    Number.isInteger(offset.minutes) &&
    offset.days >= 0 &&
    offset.minutes >= 0 &&
    offset.minutes < 24 * 60 &&
    offset.days + offset.minutes > 0;
  if (!valid) {
    throw new DomainError(
      'invalidInput',
      'En påminnelse ska ligga ett helt antal dagar och minuter (under ett dygn) före mötet.',
    );
  }
}

/** `2025-03-10T09:00:00.000Z` → `20250310T0900Z`: short, sortable and free of characters ids refuse. */
export function toCompactInstant(instant: Instant): string {
  const iso = new Date(Date.parse(instant)).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
}
