/**
 * The embedded store: one SQLite file for cases, conversation references, outbox, reminders,
 * handled Teams activities and Barnteam meetings, and a second file next to it
 * (`<path>.audit.sqlite`) for the audit log.
 *
 * Every document is stored as JSON and validated with its zod schema on the way in and on
 * the way out. Versions (ETags) are random tokens replaced on every write, and every write
 * that the ports call conditional is one `UPDATE … WHERE etag = ?`, so several processes
 * sharing the file (WAL mode) still see exactly one winner. Writes asked for at the same time
 * share one commit, each in its own savepoint (`sqlite-group-commit.ts`).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import Database, { type Database as SqliteDatabase } from 'better-sqlite3';
import type { z } from 'zod';
import { type Case, ZCase, ZInstant } from '../../flows/kernel/case.js';
import { isDomainError } from '../../flows/kernel/errors.js';
import {
  type ActivityLedger,
  type ActivityRecord,
  type AuditEntry,
  type AuditLog,
  type BarnteamMeeting,
  type CaseEffects,
  type CaseStore,
  type ConversationStore,
  type MeetingStore,
  type OpenCaseClaim,
  type OutboxMessage,
  type OutboxStore,
  type Reminder,
  type ReminderStore,
  type StoredConversation,
  type Stores,
  type Versioned,
  ZActivityRecord,
  ZAuditEntry,
  ZBarnteamMeeting,
  ZOpenCaseClaim,
  ZOutboxMessage,
  ZReminder,
  ZStoredConversation,
} from '../../flows/kernel/ports.js';
import { toAuditPage, toAuditWindowKeys } from './audit-window.js';
import { createSqliteErasureStore } from './sqlite-erasure-store.js';
import { createSqliteFigureStore, type SqliteFigureWriter } from './sqlite-figure-store.js';
import { createGroupCommit, type GroupCommit } from './sqlite-group-commit.js';
import { applyMigrations, auditMigrations, mainMigrations } from './sqlite-migrations.js';
import {
  assertStorableId,
  isOutboxActive,
  isReminderActive,
  parseIncoming,
  parseStored,
  parseStoredJson,
  toOutboxDueKey,
  toReminderDueKey,
  toSortKey,
} from './store-documents.js';
import {
  createAlreadyExistsError,
  createConcurrencyConflictError,
  createNotFoundError,
  createStorageUnavailableError,
  type StoredKind,
} from './store-errors.js';

export interface SqliteStoreOptions {
  /** The main database file; the audit log goes to `<path>.audit.sqlite`. */
  readonly path: string;
}

/** Where the audit log of the store at `path` lives. */
export function toAuditPath(path: string): string {
  return `${path}.audit.sqlite`;
}

/**
 * Opens (creating if needed) the embedded store at `path`. The directory is created when
 * missing; the schema is migrated to the latest version.
 */
export function openSqliteStores(options: SqliteStoreOptions): Stores {
  mkdirSync(dirname(options.path), { recursive: true });
  const main = openDatabase(options.path, mainMigrations);
  let audit: SqliteDatabase;
  try {
    audit = openDatabase(toAuditPath(options.path), auditMigrations);
  } catch (error) {
    main.close();
    throw error;
  }
  let closed = false;
  const mainWrites = createGroupCommit(main);
  const auditWrites = createGroupCommit(audit);
  const outbox = createOutboxStore(main, mainWrites);
  const reminders = createReminderStore(main, mainWrites);
  const figures = createSqliteFigureStore(main, mainWrites);
  return {
    cases: createCaseStore(main, mainWrites, { outbox, reminders, figures }),
    conversations: createConversationStore(main, mainWrites),
    outbox,
    reminders,
    audit: createAuditLog(audit, auditWrites),
    activities: createActivityLedger(main, mainWrites),
    meetings: createMeetingStore(main, mainWrites),
    figures,
    erasure: createSqliteErasureStore({ main, mainWrites, audit, auditWrites }),
    async close() {
      if (closed) {
        return;
      }
      closed = true;
      // Writes already asked for are committed, not dropped with the connection.
      mainWrites.flush();
      auditWrites.flush();
      main.close();
      audit.close();
    },
  };
}

function openDatabase(path: string, migrations: readonly string[]): SqliteDatabase {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a commit survives a crash or restart of the process, and the file is
    // never corrupted; only a power cut may lose the last commits. This is the embedded store
    // for a developer's machine (production runs on Cosmos DB), and FULL's flush per commit
    // blocked the event loop for most of a turn (`npm run bench`).
    db.pragma('synchronous = NORMAL');
    // Another process holding the write lock briefly must not fail an interactive turn,
    // but we must answer Teams within its ~5 s budget.
    db.pragma('busy_timeout = 2000');
    // Deleted rows are overwritten, not left in free pages: an erased case (gallring) must be
    // gone from the file's bytes too, not only from every query.
    db.pragma('secure_delete = ON');
    applyMigrations(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

interface VersionedRow {
  readonly id: string;
  readonly etag: string;
  readonly document: string;
}

/**
 * The documents this store wrote, by id, with the text and the ETag they were written under.
 * They were validated on the way in and serialised from zod's output, so reading one back
 * unchanged (same ETag, same text) needs only `JSON.parse`, not a second zod pass over the whole
 * document: the filing writes a case and its notice, and the outbox reads both back within the
 * second. Any other row (written by another process, or changed since) is validated as before.
 * Bounded; a miss only costs the parse.
 */
interface WrittenDocuments {
  remember(id: string, etag: string, document: string): void;
  isUnchanged(row: VersionedRow): boolean;
}

const writtenDocumentLimit = 2000;

function createWrittenDocuments(): WrittenDocuments {
  const byId = new Map<string, { readonly etag: string; readonly document: string }>();
  return {
    remember(id, etag, document) {
      byId.delete(id);
      if (byId.size >= writtenDocumentLimit) {
        const oldest = byId.keys().next();
        if (oldest.done !== true) byId.delete(oldest.value);
      }
      byId.set(id, { etag, document });
    },
    isUnchanged(row) {
      const written = byId.get(row.id);
      return written !== undefined && written.etag === row.etag && written.document === row.document;
    },
  };
}

/** The effect writes the case store runs inside its own transaction. */
interface EffectWriters {
  readonly outbox: { enqueueNow(message: OutboxMessage): boolean };
  readonly reminders: { scheduleNow(reminder: Reminder): boolean };
  readonly figures: SqliteFigureWriter;
}

function createCaseStore(db: SqliteDatabase, writes: GroupCommit, effectWriters: EffectWriters): CaseStore {
  const insert = db.prepare<[string, string, string | null, string]>(
    'INSERT INTO cases (id, etag, identity_key, document) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
  );
  const select = db.prepare<[string], VersionedRow>('SELECT id, etag, document FROM cases WHERE id = ?');
  const update = db.prepare<[string, string | null, string, string, string]>(
    'UPDATE cases SET etag = ?, identity_key = ?, document = ? WHERE id = ? AND etag = ?',
  );
  const exists = db.prepare<[string], { id: string }>('SELECT id FROM cases WHERE id = ?');
  const selectByIdentityKey = db.prepare<[string], { id: string }>(
    'SELECT id FROM cases WHERE identity_key = ? ORDER BY id',
  );
  // The expressions are written exactly as in the index `cases_by_unit_state` so it is used.
  const selectByUnitAndState = db.prepare<[string, string, number], { id: string }>(
    `SELECT id FROM cases
     WHERE json_extract(document, '$.unitId') = ? AND json_extract(document, '$.state') = ?
     ORDER BY id LIMIT ?`,
  );

  const insertClaim = db.prepare<[string, string, string]>(
    'INSERT INTO open_case_claims (identity_key, etag, document) VALUES (?, ?, ?) ON CONFLICT (identity_key) DO NOTHING',
  );
  const selectClaim = db.prepare<[string], { etag: string; document: string }>(
    'SELECT etag, document FROM open_case_claims WHERE identity_key = ?',
  );
  const updateClaim = db.prepare<[string, string, string, string]>(
    'UPDATE open_case_claims SET etag = ?, document = ? WHERE identity_key = ? AND etag = ?',
  );

  // Written exactly as in the index `cases_by_reference` so it is used.
  const selectByReference = db.prepare<[string], { id: string }>(
    "SELECT id FROM cases WHERE json_extract(document, '$.reference') = ? LIMIT 1",
  );

  const written = createWrittenDocuments();

  const readClaim = (identityKey: string): Versioned<OpenCaseClaim> | undefined => {
    const row = selectClaim.get(identityKey);
    if (row === undefined) return undefined;
    return {
      value: parseStored(
        ZOpenCaseClaim,
        parseStoredJson(row.document, 'case', identityKey),
        'case',
        identityKey,
      ),
      etag: row.etag,
    };
  };

  // Inside the caller's transaction: an effect that exists already (same id) is kept.
  const writeEffectsNow = (effects: CaseEffects): void => {
    for (const message of effects.outbox) effectWriters.outbox.enqueueNow(message);
    for (const reminder of effects.reminders) effectWriters.reminders.scheduleNow(reminder);
    if (effects.figures !== undefined) effectWriters.figures.appendNow(effects.figures);
  };

  const replaceNow = (value: Case, ifMatch: string): Versioned<Case> => {
    const parsed = parseCase(value);
    const etag = randomUUID();
    const document = JSON.stringify(parsed);
    const result = update.run(etag, parsed.child.identityKey ?? null, document, parsed.id, ifMatch);
    if (result.changes === 0) {
      throw exists.get(parsed.id) === undefined
        ? createNotFoundError('case', parsed.id)
        : createConcurrencyConflictError('case', parsed.id);
    }
    written.remember(parsed.id, etag, document);
    return { value: parsed, etag };
  };
  const replaceWithEffectsNow = db.transaction(
    (value: Case, ifMatch: string, effects: CaseEffects): Versioned<Case> => {
      const replaced = replaceNow(value, ifMatch);
      writeEffectsNow(effects);
      return replaced;
    },
  );

  const createNow = (value: Case): Versioned<Case> => {
    const parsed = parseCase(value);
    const etag = randomUUID();
    const document = JSON.stringify(parsed);
    const result = insert.run(parsed.id, etag, parsed.child.identityKey ?? null, document);
    if (result.changes === 0) {
      throw createAlreadyExistsError('case', parsed.id);
    }
    written.remember(parsed.id, etag, document);
    return { value: parsed, etag };
  };
  // One transaction: a failing effect write (or a crash) leaves neither the case nor any effect.
  const createWithEffectsNow = db.transaction((value: Case, effects: CaseEffects): Versioned<Case> => {
    const created = createNow(value);
    writeEffectsNow(effects);
    return created;
  });

  return {
    async create(value) {
      return runWrite(writes, 'case', () => createNow(value));
    },
    async createWithEffects(value, effects) {
      return runWrite(writes, 'case', () => createWithEffectsNow(value, effects));
    },
    async repairPendingEffects() {
      return 0;
    },
    async get(caseId) {
      return runSql('case', () => readVersioned(select.get(caseId), ZCase, 'case', written));
    },
    async replace(value, ifMatch) {
      return runWrite(writes, 'case', () => replaceNow(value, ifMatch));
    },
    async replaceWithEffects(value, ifMatch, effects) {
      return runWrite(writes, 'case', () => replaceWithEffectsNow(value, ifMatch, effects));
    },
    async claimOpenCase(claim) {
      const parsed = parseIncoming(ZOpenCaseClaim, claim, 'case');
      return runWrite(writes, 'case', () => {
        insertClaim.run(parsed.identityKey, randomUUID(), JSON.stringify(parsed));
        const stored = readClaim(parsed.identityKey);
        if (stored === undefined) throw createStorageUnavailableError('case', 'claimMissing');
        return stored;
      });
    },
    async moveOpenCaseClaim(claim, ifMatch) {
      const parsed = parseIncoming(ZOpenCaseClaim, claim, 'case');
      return runWrite(writes, 'case', () => {
        const etag = randomUUID();
        const result = updateClaim.run(etag, JSON.stringify(parsed), parsed.identityKey, ifMatch);
        if (result.changes === 0) {
          throw readClaim(parsed.identityKey) === undefined
            ? createNotFoundError('case', parsed.identityKey)
            : createConcurrencyConflictError('case', parsed.identityKey);
        }
        return { value: parsed, etag };
      });
    },
    async findCaseIdsByIdentityKey(identityKey) {
      return runSql('case', () => selectByIdentityKey.all(identityKey).map((row) => row.id));
    },
    async findCaseIdByReference(reference) {
      return runSql('case', () => selectByReference.get(reference)?.id);
    },
    async listIdsByUnitAndState(unitId, state, limit) {
      return runSql('case', () =>
        selectByUnitAndState.all(unitId, state, toQueryLimit(limit)).map((row) => row.id),
      );
    },
  };
}

/** A whole, non-negative row count: a fractional or negative limit must not widen a query. */
function toQueryLimit(limit: number): number {
  return Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
}

function parseCase(value: Case): Case {
  const parsed = parseIncoming(ZCase, value, 'case');
  assertStorableId('case', parsed.id);
  return parsed;
}

function createConversationStore(db: SqliteDatabase, writes: GroupCommit): ConversationStore {
  const upsert = db.prepare<[string, string]>(
    'INSERT INTO conversations (key, document) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET document = excluded.document',
  );
  const select = db.prepare<[string], { document: string }>(
    'SELECT document FROM conversations WHERE key = ?',
  );

  return {
    async save(value: StoredConversation) {
      return runWrite(writes, 'conversation', () => {
        const parsed = parseIncoming(ZStoredConversation, value, 'conversation');
        upsert.run(parsed.key, JSON.stringify(parsed));
      });
    },
    async get(key) {
      return runSql('conversation', () => {
        const row = select.get(key);
        if (row === undefined) {
          return undefined;
        }
        return parseStored(
          ZStoredConversation,
          parseStoredJson(row.document, 'conversation', key),
          'conversation',
          key,
        );
      });
    },
  };
}

function createOutboxStore(db: SqliteDatabase, writes: GroupCommit): OutboxStore & EffectWriters['outbox'] {
  const insert = db.prepare<[string, string, number, string, string]>(
    'INSERT INTO outbox (id, etag, active, due_key, document) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
  );
  const select = db.prepare<[string], VersionedRow>('SELECT id, etag, document FROM outbox WHERE id = ?');
  const selectDue = db.prepare<[string, number], VersionedRow>(
    'SELECT id, etag, document FROM outbox WHERE active = 1 AND due_key <= ? ORDER BY due_key, id LIMIT ?',
  );
  const update = db.prepare<[string, number, string, string, string, string]>(
    'UPDATE outbox SET etag = ?, active = ?, due_key = ?, document = ? WHERE id = ? AND etag = ?',
  );
  const exists = db.prepare<[string], { id: string }>('SELECT id FROM outbox WHERE id = ?');

  function parseMessage(message: OutboxMessage): OutboxMessage {
    const parsed = parseIncoming(ZOutboxMessage, message, 'outbox');
    assertStorableId('outbox', parsed.id);
    return parsed;
  }

  const written = createWrittenDocuments();

  const enqueueNow = (message: OutboxMessage): boolean => {
    const parsed = parseMessage(message);
    const active = isOutboxActive(parsed) ? 1 : 0;
    const etag = randomUUID();
    const document = JSON.stringify(parsed);
    const result = insert.run(parsed.id, etag, active, toOutboxDueKey(parsed), document);
    if (result.changes !== 1) return false;
    written.remember(parsed.id, etag, document);
    return true;
  };

  return {
    enqueueNow,
    async enqueue(message) {
      return runWrite(writes, 'outbox', () => enqueueNow(message));
    },
    async get(id) {
      return runSql('outbox', () => readVersioned(select.get(id), ZOutboxMessage, 'outbox', written));
    },
    async listDue(now, limit) {
      return runSql('outbox', () =>
        selectDue
          .all(now.toISOString(), limit)
          .map((row) => toVersioned(row, ZOutboxMessage, 'outbox', written)),
      );
    },
    async replace(message, ifMatch) {
      return runWrite(writes, 'outbox', () => {
        const parsed = parseMessage(message);
        const etag = randomUUID();
        const active = isOutboxActive(parsed) ? 1 : 0;
        const document = JSON.stringify(parsed);
        const result = update.run(etag, active, toOutboxDueKey(parsed), document, parsed.id, ifMatch);
        if (result.changes === 0) {
          throw exists.get(parsed.id) === undefined
            ? createNotFoundError('outbox', parsed.id)
            : createConcurrencyConflictError('outbox', parsed.id);
        }
        written.remember(parsed.id, etag, document);
        return { value: parsed, etag };
      });
    },
  };
}

function createReminderStore(
  db: SqliteDatabase,
  writes: GroupCommit,
): ReminderStore & EffectWriters['reminders'] {
  const insert = db.prepare<[string, string, number, string, string | null, string]>(
    'INSERT INTO reminders (id, etag, active, due_key, case_id, document) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
  );
  const select = db.prepare<[string], VersionedRow>('SELECT id, etag, document FROM reminders WHERE id = ?');
  const selectDue = db.prepare<[string, number], VersionedRow>(
    'SELECT id, etag, document FROM reminders WHERE active = 1 AND due_key <= ? ORDER BY due_key, id LIMIT ?',
  );
  const selectForCase = db.prepare<[string], VersionedRow>(
    'SELECT id, etag, document FROM reminders WHERE case_id = ? ORDER BY due_key, id',
  );
  const update = db.prepare<[string, number, string, string | null, string, string, string]>(
    'UPDATE reminders SET etag = ?, active = ?, due_key = ?, case_id = ?, document = ? WHERE id = ? AND etag = ?',
  );
  const exists = db.prepare<[string], { id: string }>('SELECT id FROM reminders WHERE id = ?');

  function parseReminder(reminder: Reminder): Reminder {
    const parsed = parseIncoming(ZReminder, reminder, 'reminder');
    assertStorableId('reminder', parsed.id);
    return parsed;
  }

  const written = createWrittenDocuments();

  const scheduleNow = (reminder: Reminder): boolean => {
    const parsed = parseReminder(reminder);
    const etag = randomUUID();
    const document = JSON.stringify(parsed);
    const result = insert.run(
      parsed.id,
      etag,
      isReminderActive(parsed) ? 1 : 0,
      toReminderDueKey(parsed),
      parsed.caseId ?? null,
      document,
    );
    if (result.changes !== 1) return false;
    written.remember(parsed.id, etag, document);
    return true;
  };

  return {
    scheduleNow,
    async schedule(reminder) {
      return runWrite(writes, 'reminder', () => scheduleNow(reminder));
    },
    async get(id) {
      return runSql('reminder', () => readVersioned(select.get(id), ZReminder, 'reminder', written));
    },
    async listDue(now, limit) {
      return runSql('reminder', () =>
        selectDue
          .all(now.toISOString(), limit)
          .map((row) => toVersioned(row, ZReminder, 'reminder', written)),
      );
    },
    async replace(reminder, ifMatch) {
      return runWrite(writes, 'reminder', () => {
        const parsed = parseReminder(reminder);
        const etag = randomUUID();
        const document = JSON.stringify(parsed);
        const result = update.run(
          etag,
          isReminderActive(parsed) ? 1 : 0,
          toReminderDueKey(parsed),
          parsed.caseId ?? null,
          document,
          parsed.id,
          ifMatch,
        );
        if (result.changes === 0) {
          throw exists.get(parsed.id) === undefined
            ? createNotFoundError('reminder', parsed.id)
            : createConcurrencyConflictError('reminder', parsed.id);
        }
        written.remember(parsed.id, etag, document);
        return { value: parsed, etag };
      });
    },
    async listForCase(caseId) {
      return runSql('reminder', () =>
        selectForCase.all(caseId).map((row) => toVersioned(row, ZReminder, 'reminder', written)),
      );
    },
  };
}

/** How many expired activity rows one `record` deletes at most, so a backlog never slows a turn. */
const activityPruneBatch = 100;
/** Records between two prunes at most (see `createActivityLedger`). */
const activityPruneEvery = 50;

function createActivityLedger(db: SqliteDatabase, writes: GroupCommit): ActivityLedger {
  // The clock is the entry's own `handledAt`: the store never reads the machine clock, and a
  // row is only forgotten once a later activity was handled after it expired.
  const prune = db.prepare<[string, number]>(
    'DELETE FROM activities WHERE id IN (SELECT id FROM activities WHERE expires_key < ? ORDER BY expires_key LIMIT ?)',
  );
  const insert = db.prepare<[string, string, string]>(
    'INSERT INTO activities (id, expires_key, document) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING',
  );
  const insertOne = (entry: ActivityRecord): boolean =>
    insert.run(entry.id, toSortKey(entry.expiresAt), JSON.stringify(entry)).changes === 1;
  // One transaction for the prune and the insert.
  const pruneAndInsert = db.transaction((entry: ActivityRecord): boolean => {
    prune.run(toSortKey(entry.handledAt), activityPruneBatch);
    return insertOne(entry);
  });
  // This is on the path of every Teams turn, and the prune made each record a transaction of its
  // own (BEGIN, DELETE, INSERT, COMMIT: about 2.5 times a single INSERT, `npm run bench`). So the
  // prune runs with every `activityPruneEvery`-th record, and whenever the handling time has moved
  // on a second since the last one: at most 100 rows per 50 records are forgotten, so a backlog
  // still shrinks, and an idle bot's first turn still prunes.
  let recordsSincePrune = activityPruneEvery;
  let lastPruneMs = Number.NEGATIVE_INFINITY;

  return {
    async record(entry) {
      return runWrite(writes, 'activity', () => {
        const parsed = parseIncoming(ZActivityRecord, entry, 'activity');
        const handledMs = Date.parse(parsed.handledAt);
        recordsSincePrune += 1;
        if (recordsSincePrune < activityPruneEvery && Math.abs(handledMs - lastPruneMs) < 1000) {
          return insertOne(parsed);
        }
        const inserted = pruneAndInsert(parsed);
        recordsSincePrune = 0;
        lastPruneMs = handledMs;
        return inserted;
      });
    },
  };
}

function createMeetingStore(db: SqliteDatabase, writes: GroupCommit): MeetingStore {
  const insert = db.prepare<[string, string, string, string, string]>(
    'INSERT INTO meetings (id, etag, unit_id, start_key, document) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
  );
  const select = db.prepare<[string], VersionedRow>('SELECT id, etag, document FROM meetings WHERE id = ?');
  const update = db.prepare<[string, string, string, string, string, string]>(
    'UPDATE meetings SET etag = ?, unit_id = ?, start_key = ?, document = ? WHERE id = ? AND etag = ?',
  );
  const exists = db.prepare<[string], { id: string }>('SELECT id FROM meetings WHERE id = ?');
  const insertCase = db.prepare<[string, string]>(
    'INSERT INTO meeting_cases (case_id, meeting_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
  );
  const deleteCases = db.prepare<[string]>('DELETE FROM meeting_cases WHERE meeting_id = ?');
  const selectForCase = db.prepare<[string], VersionedRow>(
    `SELECT m.id, m.etag, m.document FROM meeting_cases AS mc JOIN meetings AS m ON m.id = mc.meeting_id
     WHERE mc.case_id = ? ORDER BY m.start_key, m.id`,
  );
  const selectForUnit = db.prepare<[string, string], VersionedRow>(
    'SELECT id, etag, document FROM meetings WHERE unit_id = ? AND start_key >= ? ORDER BY start_key, id',
  );

  function indexAgenda(meeting: BarnteamMeeting): void {
    // Removed agenda items stay indexed: the meeting remains part of that child's history.
    for (const item of meeting.agenda) {
      insertCase.run(item.caseId, meeting.id);
    }
  }

  // The meeting row and its index rows change in one transaction, so a lookup by case never
  // sees a meeting whose agenda it does not match.
  const createWithIndex = db.transaction((meeting: BarnteamMeeting): Versioned<BarnteamMeeting> => {
    const etag = randomUUID();
    const result = insert.run(
      meeting.id,
      etag,
      meeting.unitId,
      toSortKey(meeting.start),
      JSON.stringify(meeting),
    );
    if (result.changes === 0) {
      throw createAlreadyExistsError('meeting', meeting.id);
    }
    indexAgenda(meeting);
    return { value: meeting, etag };
  });
  const replaceWithIndex = db.transaction(
    (meeting: BarnteamMeeting, ifMatch: string): Versioned<BarnteamMeeting> => {
      const etag = randomUUID();
      const result = update.run(
        etag,
        meeting.unitId,
        toSortKey(meeting.start),
        JSON.stringify(meeting),
        meeting.id,
        ifMatch,
      );
      if (result.changes === 0) {
        throw exists.get(meeting.id) === undefined
          ? createNotFoundError('meeting', meeting.id)
          : createConcurrencyConflictError('meeting', meeting.id);
      }
      deleteCases.run(meeting.id);
      indexAgenda(meeting);
      return { value: meeting, etag };
    },
  );

  return {
    async create(value) {
      return runWrite(writes, 'meeting', () => createWithIndex(parseMeeting(value)));
    },
    async get(id) {
      return runSql('meeting', () => readVersioned(select.get(id), ZBarnteamMeeting, 'meeting'));
    },
    async replace(value, ifMatch) {
      return runWrite(writes, 'meeting', () => replaceWithIndex(parseMeeting(value), ifMatch));
    },
    async listForCase(caseId) {
      return runSql('meeting', () =>
        selectForCase.all(caseId).map((row) => toVersioned(row, ZBarnteamMeeting, 'meeting')),
      );
    },
    async listForUnit(unitId, fromInstant) {
      return runSql('meeting', () => {
        const fromKey = toSortKey(parseIncoming(ZInstant, fromInstant, 'meeting'));
        return selectForUnit.all(unitId, fromKey).map((row) => toVersioned(row, ZBarnteamMeeting, 'meeting'));
      });
    },
  };
}

function parseMeeting(value: BarnteamMeeting): BarnteamMeeting {
  const parsed = parseIncoming(ZBarnteamMeeting, value, 'meeting');
  assertStorableId('meeting', parsed.id);
  return parsed;
}

function createAuditLog(db: SqliteDatabase, writes: GroupCommit): AuditLog {
  // Only INSERT and SELECT exist here on purpose: the log has no update or delete path.
  const insert = db.prepare<[string, string, string, string]>(
    'INSERT INTO audit_entries (id, case_id, at_key, document) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
  );
  const selectById = db.prepare<[string], { document: string }>(
    'SELECT document FROM audit_entries WHERE id = ?',
  );
  const selectForCase = db.prepare<[string], { id: string; document: string }>(
    'SELECT id, document FROM audit_entries WHERE case_id = ? ORDER BY at_key, seq',
  );
  const selectBetween = db.prepare<
    [string, string, string, string, string, number],
    { id: string; document: string }
  >(
    `SELECT id, document FROM audit_entries
     WHERE at_key >= ? AND at_key < ? AND (at_key > ? OR (at_key = ? AND id > ?))
     ORDER BY at_key, id LIMIT ?`,
  );

  return {
    async append(entry: AuditEntry) {
      return runWrite(writes, 'audit', () => {
        const parsed = parseIncoming(ZAuditEntry, entry, 'audit');
        assertStorableId('audit', parsed.id);
        const result = insert.run(parsed.id, parsed.caseId, toSortKey(parsed.at), JSON.stringify(parsed));
        if (result.changes === 0) {
          assertSameAuditEntry(selectById.get(parsed.id)?.document, parsed);
        }
      });
    },
    async listForCase(caseId) {
      return runSql('audit', () =>
        selectForCase
          .all(caseId)
          .map((row) =>
            parseStored(ZAuditEntry, parseStoredJson(row.document, 'audit', row.id), 'audit', row.id),
          ),
      );
    },
    async listBetween(window) {
      return runSql('audit', () => {
        const { fromKey, toKey, limit, afterKey, afterId } = toAuditWindowKeys(window);
        const rows = selectBetween
          .all(fromKey, toKey, afterKey, afterKey, afterId, limit + 1)
          .map((row) =>
            parseStored(ZAuditEntry, parseStoredJson(row.document, 'audit', row.id), 'audit', row.id),
          );
        return toAuditPage(rows, limit);
      });
    },
  };
}

/**
 * Appending the same entry twice (a retry after a lost answer) is harmless; a different
 * entry under an existing id would overwrite nothing, so it is refused instead of dropped.
 */
function assertSameAuditEntry(storedDocument: string | undefined, entry: AuditEntry): void {
  const stored =
    storedDocument === undefined
      ? undefined
      : parseStored(ZAuditEntry, parseStoredJson(storedDocument, 'audit', entry.id), 'audit', entry.id);
  if (!isDeepStrictEqual(stored, entry)) {
    throw createAlreadyExistsError('audit', entry.id);
  }
}

function readVersioned<S extends z.ZodTypeAny>(
  row: VersionedRow | undefined,
  schema: S,
  kind: StoredKind,
  written?: WrittenDocuments,
): Versioned<z.output<S>> | undefined {
  return row === undefined ? undefined : toVersioned(row, schema, kind, written);
}

function toVersioned<S extends z.ZodTypeAny>(
  row: VersionedRow,
  schema: S,
  kind: StoredKind,
  written?: WrittenDocuments,
): Versioned<z.output<S>> {
  const raw = parseStoredJson(row.document, kind, row.id);
  return {
    // The text this store wrote from a validated document, under this very ETag: already checked.
    value: written?.isUnchanged(row) === true ? (raw as z.output<S>) : parseStored(schema, raw, kind, row.id),
    etag: row.etag,
  };
}

/**
 * Runs one statement batch; SQLite failures (busy, disk full, closed file) become
 * `storageUnavailable` with the SQLite code only, never the statement or its values.
 */
function runSql<T>(kind: StoredKind, operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    throw toStoreError(kind, error);
  }
}

/** Runs a write in the next group commit, with the errors `runSql` would give. */
function runWrite<T>(writes: GroupCommit, kind: StoredKind, operation: () => T): Promise<T> {
  return writes.run(operation, (error) => toStoreError(kind, error));
}

function toStoreError(kind: StoredKind, error: unknown): unknown {
  return isDomainError(error) ? error : createStorageUnavailableError(kind, describeSqliteError(error));
}

function describeSqliteError(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return error instanceof TypeError ? 'storeClosed' : 'sqliteError';
}
