/**
 * Versioned schema of the embedded store. `PRAGMA user_version` holds how many migrations a
 * file has had; a later issue adds a table by appending a migration, never by editing one
 * that has shipped (files on users' machines already ran it).
 */
import type { Database } from 'better-sqlite3';
import { createStorageUnavailableError } from './store-errors.js';

export type SqliteMigration = string;

/**
 * The main file: cases, conversation references, outbox, reminders, handled activities and
 * Barnteam meetings.
 */
export const mainMigrations: readonly SqliteMigration[] = [
  `
  CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    etag TEXT NOT NULL,
    -- keyed hash of the child's identity number; the plain number is only inside document
    identity_key TEXT,
    document TEXT NOT NULL
  ) STRICT;
  CREATE INDEX cases_by_identity_key ON cases (identity_key) WHERE identity_key IS NOT NULL;

  CREATE TABLE conversations (
    key TEXT PRIMARY KEY,
    document TEXT NOT NULL
  ) STRICT;

  CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    etag TEXT NOT NULL,
    active INTEGER NOT NULL,
    due_key TEXT NOT NULL,
    document TEXT NOT NULL
  ) STRICT;
  CREATE INDEX outbox_due ON outbox (active, due_key);

  CREATE TABLE reminders (
    id TEXT PRIMARY KEY,
    etag TEXT NOT NULL,
    active INTEGER NOT NULL,
    due_key TEXT NOT NULL,
    case_id TEXT,
    document TEXT NOT NULL
  ) STRICT;
  CREATE INDEX reminders_due ON reminders (active, due_key);
  CREATE INDEX reminders_by_case ON reminders (case_id) WHERE case_id IS NOT NULL;
  `,
  // 2: Teams activities already handled. Rows are short-lived (minutes), so the expiry key is
  // indexed for the bounded prune that runs with every record.
  `
  CREATE TABLE activities (
    id TEXT PRIMARY KEY,
    expires_key TEXT NOT NULL,
    document TEXT NOT NULL
  ) STRICT;
  CREATE INDEX activities_by_expiry ON activities (expires_key);
  `,
  // 3: Barnteam meetings. The unit's upcoming meetings are a range on (unit_id, start_key);
  // "which meetings had this child on the agenda?" is a lookup in meeting_cases, which holds
  // one row per case on a meeting's agenda and is rewritten with every write of the meeting.
  `
  CREATE TABLE meetings (
    id TEXT PRIMARY KEY,
    etag TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    start_key TEXT NOT NULL,
    document TEXT NOT NULL
  ) STRICT;
  CREATE INDEX meetings_by_unit ON meetings (unit_id, start_key);

  CREATE TABLE meeting_cases (
    case_id TEXT NOT NULL,
    meeting_id TEXT NOT NULL,
    PRIMARY KEY (case_id, meeting_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX meeting_cases_by_meeting ON meeting_cases (meeting_id);
  `,
  // 4: a unit's cases in one state ("boka barnteam" lists the children waiting for Barnteam).
  // An index on expressions of the document, so no column has to be kept in step with it.
  `
  CREATE INDEX cases_by_unit_state ON cases (
    json_extract(document, '$.unitId'),
    json_extract(document, '$.state'),
    id
  );
  `,
  // 5: the child's open Barnkontakt case, one row per keyed identity hash (create if absent).
  `
  CREATE TABLE open_case_claims (
    identity_key TEXT PRIMARY KEY,
    etag TEXT NOT NULL,
    document TEXT NOT NULL
  ) STRICT;
  `,
  // 6: "visa BB-…" finds a case by its reference.
  `
  CREATE INDEX cases_by_reference ON cases (json_extract(document, '$.reference'));
  `,
  // 7: the follow-up figures: anonymous events (kept after the cases are erased) and their
  // per-term counts, updated in the same transaction so a term is read without a scan.
  `
  CREATE TABLE figure_events (
    id TEXT PRIMARY KEY,
    term TEXT NOT NULL,
    metric TEXT NOT NULL,
    organisation TEXT NOT NULL,
    working_days INTEGER
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE figure_counts (
    term TEXT NOT NULL,
    metric TEXT NOT NULL,
    organisation TEXT NOT NULL,
    working_days INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (term, metric, organisation, working_days)
  ) STRICT, WITHOUT ROWID;
  `,
  // 8: the retention sweep lists the closed cases and erases a case's outbox messages, found
  // by the case id on the message, in a notice's payload, or as the team channel's recipient.
  `
  CREATE INDEX cases_by_state ON cases (json_extract(document, '$.state'), id);
  CREATE INDEX outbox_by_case ON outbox (json_extract(document, '$.caseId'));
  CREATE INDEX outbox_by_payload_case ON outbox (json_extract(document, '$.payload.caseId'));
  CREATE INDEX outbox_by_recipient ON outbox (json_extract(document, '$.recipientKey'));
  `,
];

/**
 * The audit file, kept apart from case data so that it can be retained, backed up and
 * reviewed on its own schedule. The triggers make the table append-only for every client of
 * the file, not only for this code.
 */
export const auditMigrations: readonly SqliteMigration[] = [
  `
  CREATE TABLE audit_entries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    case_id TEXT NOT NULL,
    at_key TEXT NOT NULL,
    document TEXT NOT NULL
  ) STRICT;
  CREATE INDEX audit_by_case ON audit_entries (case_id, at_key, seq);

  CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
  BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
  END;
  CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
  BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
  END;
  `,
  // The log review lists every case's entries in a time window.
  'CREATE INDEX audit_by_time ON audit_entries (at_key, id);',
  // 3: the retention period (gallring). An entry may be deleted only once it is older than the
  // cut-off the sweep recorded, and the cut-off only moves forward, so the log stays append-only
  // for everything still within its period, for every client of the file.
  `
  CREATE TABLE audit_retention (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    before_key TEXT NOT NULL
  ) STRICT;
  INSERT INTO audit_retention (id, before_key) VALUES (1, '');
  CREATE TRIGGER audit_retention_forward_only BEFORE UPDATE ON audit_retention
  WHEN NEW.before_key < OLD.before_key
  BEGIN
    SELECT RAISE(ABORT, 'audit retention only moves forward');
  END;
  CREATE TRIGGER audit_retention_no_delete BEFORE DELETE ON audit_retention
  BEGIN
    SELECT RAISE(ABORT, 'audit retention only moves forward');
  END;
  DROP TRIGGER audit_entries_no_delete;
  CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
  WHEN OLD.at_key >= (SELECT before_key FROM audit_retention WHERE id = 1)
  BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
  END;
  `,
];

/** Brings a file up to the latest version, each migration in its own transaction. */
export function applyMigrations(db: Database, migrations: readonly SqliteMigration[]): void {
  const current = db.pragma('user_version', { simple: true });
  if (typeof current !== 'number' || current > migrations.length) {
    // A file written by a newer version of the bot: refuse rather than misread it.
    throw createStorageUnavailableError('case', 'schemaTooNew', { version: String(current) });
  }
  for (let version = current; version < migrations.length; version += 1) {
    const migration = migrations[version] as SqliteMigration;
    db.transaction(() => {
      db.exec(migration);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
