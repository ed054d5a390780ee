/**
 * The calendar port without Microsoft Graph, for the local run and the playground: meetings
 * and their attendees in SQLite, a mailbox busy whenever it organises or is invited to a
 * meeting that is not cancelled, plus busy blocks seeded for the demo so that slot finding has
 * real choices to make.
 *
 * It lives in its own SQLite file (`toCalendarPath(SQLITE_PATH)`, next to the store) with its
 * own schema version, so the store's migrations are untouched and the calendar can be wiped
 * without touching cases. Join links are visibly local (`…/meetup-join/lokal-…`) and lead
 * nowhere.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database, { type Database as SqliteDatabase } from 'better-sqlite3';
import {
  type AttendeeResponse,
  type BusyBlock,
  type BusyStatus,
  type Calendar,
  type CreatedMeeting,
  checkMeetingTime,
  checkScheduleRequest,
  toMailboxKey,
} from '../../flows/kernel/calendar.js';
import { DomainError } from '../../flows/kernel/errors.js';
import { applyMigrations } from '../store/sqlite-migrations.js';

/** The statuses a seeded block may have: `unknown` is what a calendar says, not what one books. */
export type SeededBusyStatus = Exclude<BusyStatus, 'unknown'>;

/** An embedded calendar, with what the local demo needs on top of the port. */
export interface EmbeddedCalendar extends Calendar {
  /** Marks `mailbox` busy from `start` to `end` (seeding the same block twice keeps one). */
  seedBusy(mailbox: string, start: string, end: string, status?: SeededBusyStatus): Promise<void>;
  /**
   * Records an attendee's answer to a meeting, as their own calendar would when they accept or
   * decline: the local run's and the tests' stand-in for a member answering in Outlook.
   *
   * @throws DomainError('notFound') when the meeting has no such attendee.
   */
  answerInvitation(eventId: string, mailbox: string, response: AttendeeResponse): Promise<void>;
  close(): void;
}

export interface EmbeddedCalendarOptions {
  /** The calendar's own SQLite file; see `toCalendarPath`. */
  readonly path: string;
  /**
   * Whose free/busy the calendar may show. The municipality's Graph reads its own tenant's
   * mailboxes but usually not a guest's mailbox at home nor an address outside Teams; the local
   * run passes the directory's employees here so that it behaves the same. Default: every mailbox.
   */
  readonly canReadFreeBusy?: (mailbox: string) => boolean;
}

/** What Graph's getSchedule answers for a mailbox it cannot read (freeBusyError.responseCode). */
export const unreadableMailboxCode = 'ErrorMailRecipientNotFound';

/** Where the embedded calendar of the store at `storePath` lives. */
export function toCalendarPath(storePath: string): string {
  return `${storePath}.calendar.sqlite`;
}

/** Append only, as for the store: files on developers' machines have run the earlier ones. */
const calendarMigrations: readonly string[] = [
  `
  CREATE TABLE calendar_events (
    id TEXT PRIMARY KEY,
    organizer TEXT NOT NULL,
    transaction_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_html TEXT NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    join_url TEXT NOT NULL,
    cancelled INTEGER NOT NULL DEFAULT 0,
    cancel_comment TEXT,
    UNIQUE (organizer, transaction_id)
  ) STRICT;

  CREATE TABLE calendar_attendees (
    event_id TEXT NOT NULL REFERENCES calendar_events (id),
    mailbox TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('required', 'optional')),
    PRIMARY KEY (event_id, mailbox)
  ) STRICT;
  CREATE INDEX calendar_attendees_by_mailbox ON calendar_attendees (mailbox);

  CREATE TABLE calendar_busy_blocks (
    mailbox TEXT NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('busy', 'tentative', 'oof', 'workingElsewhere')),
    PRIMARY KEY (mailbox, start_ms, end_ms, status)
  ) STRICT;
  `,
  `
  ALTER TABLE calendar_attendees ADD COLUMN response TEXT NOT NULL DEFAULT 'notAnswered'
    CHECK (response IN ('accepted', 'tentative', 'declined', 'notAnswered'));
  `,
];

interface EventRow {
  readonly id: string;
  readonly start_ms: number;
  readonly end_ms: number;
  readonly join_url: string;
}

interface BusyRow {
  readonly start_ms: number;
  readonly end_ms: number;
  readonly status: SeededBusyStatus;
}

interface AnswerRow {
  readonly mailbox: string;
  readonly response: AttendeeResponse;
}

const localJoinUrlPrefix = 'https://teams.microsoft.com/l/meetup-join/';

/** availabilityView digits as Graph writes them (working elsewhere counts as free). */
const availabilityCodes: Record<SeededBusyStatus, number> = {
  workingElsewhere: 0,
  tentative: 1,
  busy: 2,
  oof: 3,
};

export function openEmbeddedCalendar(options: EmbeddedCalendarOptions): EmbeddedCalendar {
  mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 2000');
    db.pragma('foreign_keys = ON');
    applyMigrations(db, calendarMigrations);
  } catch (error) {
    db.close();
    throw error;
  }
  return createCalendar(db, options.canReadFreeBusy ?? (() => true));
}

function createCalendar(db: SqliteDatabase, canReadFreeBusy: (mailbox: string) => boolean): EmbeddedCalendar {
  const insertEvent = db.prepare(`
    INSERT INTO calendar_events (id, organizer, transaction_id, subject, body_html, start_ms, end_ms, join_url)
    VALUES (@id, @organizer, @transactionId, @subject, @bodyHtml, @startMs, @endMs, @joinUrl)
    ON CONFLICT (organizer, transaction_id) DO NOTHING`);
  const insertAttendee = db.prepare(`
    INSERT INTO calendar_attendees (event_id, mailbox, name, type) VALUES (?, ?, ?, ?)
    ON CONFLICT DO NOTHING`);
  const selectByTransaction = db.prepare<[string, string], EventRow>(`
    SELECT id, start_ms, end_ms, join_url FROM calendar_events WHERE organizer = ? AND transaction_id = ?`);
  const moveEvent = db.prepare(`
    UPDATE calendar_events SET start_ms = ?, end_ms = ? WHERE id = ? AND organizer = ? AND cancelled = 0`);
  const cancelEvent = db.prepare(`
    UPDATE calendar_events SET cancelled = 1, cancel_comment = ? WHERE id = ? AND organizer = ? AND cancelled = 0`);
  const selectAnswers = db.prepare<[string, string], AnswerRow>(`
    SELECT a.mailbox, a.response FROM calendar_attendees a JOIN calendar_events e ON e.id = a.event_id
    WHERE a.event_id = ? AND e.organizer = ? AND e.cancelled = 0 ORDER BY a.rowid`);
  const selectEventExists = db.prepare<[string, string], { id: string }>(`
    SELECT id FROM calendar_events WHERE id = ? AND organizer = ? AND cancelled = 0`);
  const updateAnswer = db.prepare(`
    UPDATE calendar_attendees SET response = ? WHERE event_id = ? AND mailbox = ?`);
  const insertBusy = db.prepare(`
    INSERT INTO calendar_busy_blocks (mailbox, start_ms, end_ms, status) VALUES (?, ?, ?, ?)
    ON CONFLICT DO NOTHING`);
  // Half-open intervals: a meeting ending at 10:00 does not overlap one starting at 10:00.
  const selectBusy = db.prepare<{ mailbox: string; startMs: number; endMs: number }, BusyRow>(`
    SELECT start_ms, end_ms, 'busy' AS status FROM calendar_events e
    WHERE e.cancelled = 0 AND e.start_ms < @endMs AND e.end_ms > @startMs
      AND (e.organizer = @mailbox
        OR EXISTS (SELECT 1 FROM calendar_attendees a WHERE a.event_id = e.id AND a.mailbox = @mailbox))
    UNION ALL
    SELECT start_ms, end_ms, status FROM calendar_busy_blocks
    WHERE mailbox = @mailbox AND start_ms < @endMs AND end_ms > @startMs
    ORDER BY start_ms, end_ms`);

  const createOnce = db.transaction((request: Parameters<Calendar['createMeeting']>[0]): EventRow => {
    const organizer = toMailboxKey(request.organizer);
    const eventId = `lokal-${randomUUID()}`;
    const inserted = insertEvent.run({
      id: eventId,
      organizer,
      transactionId: request.transactionId,
      subject: request.subject,
      bodyHtml: request.bodyHtml,
      startMs: Date.parse(request.start),
      endMs: Date.parse(request.end),
      joinUrl: `${localJoinUrlPrefix}${eventId}`,
    });
    if (inserted.changes === 1) {
      for (const attendee of request.attendees) {
        insertAttendee.run(eventId, toMailboxKey(attendee.email), attendee.name, attendee.type);
      }
    }
    // A repeat with the same transaction id answers the meeting the first call made, as Graph does.
    return selectByTransaction.get(organizer, request.transactionId) as EventRow;
  });

  return {
    async getSchedules(request) {
      checkScheduleRequest(request);
      const startMs = Date.parse(request.start);
      const endMs = Date.parse(request.end);
      return request.mailboxes.map((mailbox) => {
        if (!canReadFreeBusy(mailbox)) {
          return { mailbox, busy: [], availabilityView: '', error: unreadableMailboxCode };
        }
        const rows = selectBusy.all({ mailbox: toMailboxKey(mailbox), startMs, endMs });
        const busy: BusyBlock[] = rows.map((row) => ({
          start: new Date(row.start_ms).toISOString(),
          end: new Date(row.end_ms).toISOString(),
          status: row.status,
        }));
        return {
          mailbox,
          busy,
          availabilityView: buildAvailabilityView(rows, startMs, endMs, request.intervalMinutes),
        };
      });
    },

    async createMeeting(request) {
      checkMeetingTime(request);
      const row = createOnce(request);
      const created: CreatedMeeting = {
        eventId: row.id,
        joinUrl: row.join_url,
        start: new Date(row.start_ms).toISOString(),
        end: new Date(row.end_ms).toISOString(),
      };
      return created;
    },

    async readAttendeeAnswers(organizer, eventId) {
      const key = toMailboxKey(organizer);
      if (selectEventExists.get(eventId, key) === undefined) {
        throw new DomainError('notFound', 'Mötet finns inte längre i kalendern.', { eventId });
      }
      return selectAnswers.all(eventId, key).map((row) => ({ email: row.mailbox, response: row.response }));
    },

    async answerInvitation(eventId, mailbox, response) {
      const updated = updateAnswer.run(response, eventId, toMailboxKey(mailbox));
      if (updated.changes === 0) {
        throw new DomainError('notFound', 'Deltagaren finns inte på mötet.', { eventId });
      }
    },

    async moveMeeting(organizer, eventId, time) {
      checkMeetingTime(time);
      const moved = moveEvent.run(
        Date.parse(time.start),
        Date.parse(time.end),
        eventId,
        toMailboxKey(organizer),
      );
      if (moved.changes === 0) {
        throw new DomainError('notFound', 'Mötet finns inte längre i kalendern.', { eventId });
      }
    },

    async cancelMeeting(organizer, eventId, comment) {
      // Nothing to cancel (already cancelled, or never here) is success, as with Graph.
      cancelEvent.run(comment, eventId, toMailboxKey(organizer));
    },

    async seedBusy(mailbox, start, end, status = 'busy') {
      checkMeetingTime({ start, end });
      insertBusy.run(toMailboxKey(mailbox), Date.parse(start), Date.parse(end), status);
    },

    close() {
      db.close();
    },
  };
}

/** One digit per slot: the strongest status of any block overlapping it (out of office wins). */
function buildAvailabilityView(
  rows: readonly BusyRow[],
  startMs: number,
  endMs: number,
  intervalMinutes: number,
): string {
  const slotMs = intervalMinutes * 60_000;
  const digits: number[] = [];
  for (let slotStart = startMs; slotStart < endMs; slotStart += slotMs) {
    const slotEnd = slotStart + slotMs;
    let code = 0;
    for (const row of rows) {
      if (row.start_ms < slotEnd && row.end_ms > slotStart) {
        code = Math.max(code, availabilityCodes[row.status]);
      }
    }
    digits.push(code);
  }
  return digits.join('');
}
