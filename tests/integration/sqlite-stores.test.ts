import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../../flows/kernel/errors.js';
import type { BarnteamMeeting } from '../../flows/kernel/ports.js';
import { mainMigrations } from '../../infra/store/sqlite-migrations.js';
import { openSqliteStores, toAuditPath } from '../../infra/store/sqlite-stores.js';
import {
  buildAuditEntry,
  buildContractCase,
  buildOutboxMessage,
  buildReminder,
} from '../contract/contract-data.js';
import { describeErasureContract } from '../contract/erasure-contract.js';
import { describeFigureContract } from '../contract/figures-contract.js';
import { describeStorageContract } from '../contract/storage-contract.js';

const root = mkdtempSync(join(tmpdir(), 'backa-sqlite-'));
let opened = 0;
let lastPath = '';

function nextPath(): string {
  opened += 1;
  // A directory that does not exist yet: the store must create it.
  return join(root, `run-${opened}`, 'data', 'backa.sqlite');
}

/** A meeting of Björkskolan with two children on the agenda. */
function buildStoredMeeting(): BarnteamMeeting {
  return {
    id: 'meeting-1',
    unitId: 'bjorkskolan',
    convenerUserId: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02',
    state: 'booked',
    start: '2025-02-10T12:00:00Z',
    end: '2025-02-10T13:00:00Z',
    agenda: [
      { caseId: 'case-1', reference: 'BB-4K7Q-2M9C', initials: 'ÅMÖ' },
      { caseId: 'case-2', reference: 'BB-7H3D-9X2B', initials: 'LA' },
    ],
    members: [
      {
        userId: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02',
        email: 'rektor.bjorkskolan@exempelby.se',
        role: 'Rektor',
        required: true,
      },
    ],
    createdAt: '2025-02-03T08:15:00Z',
    updatedAt: '2025-02-03T08:15:00Z',
  };
}

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describeStorageContract('SQLite', {
  async open() {
    lastPath = nextPath();
    return openSqliteStores({ path: lastPath });
  },
  async reopen() {
    return openSqliteStores({ path: lastPath });
  },
});

describeErasureContract('SQLite', {
  async open() {
    lastPath = nextPath();
    return openSqliteStores({ path: lastPath });
  },
});

describeFigureContract('SQLite', {
  async open() {
    lastPath = nextPath();
    return openSqliteStores({ path: lastPath });
  },
  async reopen() {
    return openSqliteStores({ path: lastPath });
  },
});

describe('SQLite store files', () => {
  it('keeps the audit log in its own file, where rows can be neither changed nor deleted', async () => {
    const path = nextPath();
    const stores = openSqliteStores({ path });
    await stores.audit.append(buildAuditEntry());
    await stores.close();

    const main = new Database(path, { readonly: true });
    const mainTables = main.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    main.close();
    expect(mainTables).not.toContain('audit_entries');

    const audit = new Database(toAuditPath(path));
    try {
      expect(() => audit.prepare("UPDATE audit_entries SET document = '{}'").run()).toThrow(/append-only/);
      expect(() => audit.prepare('DELETE FROM audit_entries').run()).toThrow(/append-only/);
      expect(audit.prepare('SELECT count(*) FROM audit_entries').pluck().get()).toBe(1);
    } finally {
      audit.close();
    }
    const reopened = openSqliteStores({ path });
    expect(await reopened.audit.listForCase('case-1')).toEqual([buildAuditEntry()]);
    await reopened.close();
  });

  it('lets the retention sweep delete only entries before its cut-off, which never moves back', async () => {
    const path = nextPath();
    const stores = openSqliteStores({ path });
    await stores.audit.append(buildAuditEntry({ id: 'audit-old', at: '2019-05-01T08:00:00Z' }));
    await stores.audit.append(buildAuditEntry({ id: 'audit-kept', at: '2024-05-01T08:00:00Z' }));
    expect(await stores.erasure?.deleteAuditEntriesBefore('2020-01-01T00:00:00Z', 10)).toBe(1);
    await stores.close();

    const audit = new Database(toAuditPath(path));
    try {
      // Another client of the file cannot delete what is still within the period, nor widen it back.
      expect(() => audit.prepare('DELETE FROM audit_entries').run()).toThrow(/append-only/);
      expect(() => audit.prepare("UPDATE audit_retention SET before_key = ''").run()).toThrow(/forward/);
      expect(audit.prepare('SELECT id FROM audit_entries').pluck().all()).toEqual(['audit-kept']);
    } finally {
      audit.close();
    }
  });

  it('runs in WAL mode with a versioned schema, and searches on the identity key only', async () => {
    const path = nextPath();
    const stores = openSqliteStores({ path });
    await stores.cases.create(buildContractCase());
    await stores.close();

    const main = new Database(path, { readonly: true });
    try {
      expect(main.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(main.pragma('user_version', { simple: true })).toBe(mainMigrations.length);
      const row = main.prepare('SELECT identity_key FROM cases').get();
      expect(row).toEqual({ identity_key: 'key-0123456789abcdef' });
      const columns = main.prepare("SELECT name FROM pragma_table_info('cases')").pluck().all();
      expect(columns).toEqual(['id', 'etag', 'identity_key', 'document']);
    } finally {
      main.close();
    }
    expect(existsSync(toAuditPath(path))).toBe(true);
  });

  it('treats a corrupt row as an error instead of passing it on, without echoing its content', async () => {
    const path = nextPath();
    const stores = openSqliteStores({ path });
    await stores.cases.create(buildContractCase());
    await stores.close();
    const raw = new Database(path);
    const broken = JSON.stringify({ ...buildContractCase(), state: 'okänt' });
    raw.prepare('UPDATE cases SET document = ?').run(broken);
    raw.close();

    const reopened = openSqliteStores({ path });
    const error = await reopened.cases.get('case-1').catch((reason: unknown) => reason);
    await reopened.close();

    expect(isDomainError(error, 'storageUnavailable')).toBe(true);
    expect(JSON.stringify(error)).not.toMatch(/Åsa|201503142388|okänt/);
    expect((error as Error).message).not.toMatch(/Åsa|201503142388|okänt/);
  });

  it('reads its own writes back as written, and still checks a row changed under the same ETag', async () => {
    const path = nextPath();
    const stores = openSqliteStores({ path });
    try {
      const created = await stores.cases.create(buildContractCase());
      expect(await stores.cases.get('case-1')).toEqual(created);
      const raw = new Database(path);
      // Another process rewriting the document but not the ETag: the text differs, so it is validated.
      raw
        .prepare('UPDATE cases SET document = ?')
        .run(JSON.stringify({ ...buildContractCase(), state: 'okänt' }));
      raw.close();
      const error = await stores.cases.get('case-1').catch((reason: unknown) => reason);
      expect(isDomainError(error, 'storageUnavailable')).toBe(true);
    } finally {
      await stores.close();
    }
  });

  it('forgets expired activities as new ones are recorded, and never one still live', async () => {
    const path = nextPath();
    const stores = openSqliteStores({ path });
    for (let index = 0; index < 3; index += 1) {
      await stores.activities.record({
        id: `old-${index}`,
        handledAt: '2025-02-03T08:00:00Z',
        expiresAt: '2025-02-03T08:05:00Z',
      });
    }
    await stores.activities.record({
      id: 'live',
      handledAt: '2025-02-03T08:04:00Z',
      expiresAt: '2025-02-03T08:09:00Z',
    });
    await stores.activities.record({
      id: 'later',
      handledAt: '2025-02-03T08:06:00.000Z',
      expiresAt: '2025-02-03T08:11:00Z',
    });
    await stores.close();

    const main = new Database(path, { readonly: true });
    try {
      expect(main.prepare('SELECT id FROM activities ORDER BY id').pluck().all()).toEqual(['later', 'live']);
    } finally {
      main.close();
    }
  });

  it('upgrades a file of schema version 1 and keeps its cases', async () => {
    const path = nextPath();
    mkdirSync(dirname(path), { recursive: true });
    const raw = new Database(path);
    raw.exec(mainMigrations[0] as string);
    raw
      .prepare('INSERT INTO cases (id, etag, identity_key, document) VALUES (?, ?, ?, ?)')
      .run('case-1', 'etag-v1', 'key-0123456789abcdef', JSON.stringify(buildContractCase()));
    raw.pragma('user_version = 1');
    raw.close();

    const stores = openSqliteStores({ path });
    try {
      expect(await stores.cases.get('case-1')).toEqual({ value: buildContractCase(), etag: 'etag-v1' });
      const activity = {
        id: 'activity-1',
        handledAt: '2025-02-03T08:00:00Z',
        expiresAt: '2025-02-03T08:05:00Z',
      };
      expect(await stores.activities.record(activity)).toBe(true);
      expect(await stores.activities.record(activity)).toBe(false);
    } finally {
      await stores.close();
    }
  });

  it('upgrades a file of schema version 2 and keeps its activities; meetings work after the upgrade', async () => {
    const path = nextPath();
    mkdirSync(dirname(path), { recursive: true });
    const raw = new Database(path);
    raw.exec(mainMigrations[0] as string);
    raw.exec(mainMigrations[1] as string);
    raw.pragma('user_version = 2');
    raw.close();
    const activity = {
      id: 'activity-1',
      handledAt: '2025-02-03T08:00:00Z',
      expiresAt: '2025-02-03T08:05:00Z',
    };
    const before = openSqliteStores({ path });
    await before.activities.record(activity);
    await before.close();

    const stores = openSqliteStores({ path });
    try {
      expect(await stores.activities.record(activity)).toBe(false);
      const created = await stores.meetings.create(buildStoredMeeting());
      expect(await stores.meetings.listForCase('case-2')).toEqual([created]);
    } finally {
      await stores.close();
    }
  });

  it('keeps one index row per case on a meeting agenda, rewritten with the meeting, and looks cases up by key', async () => {
    const path = nextPath();
    const stores = openSqliteStores({ path });
    const created = await stores.meetings.create(buildStoredMeeting());
    await stores.meetings.replace(
      {
        ...created.value,
        agenda: [
          { caseId: 'case-2', reference: 'BB-7H3D-9X2B', initials: 'LA', removedAt: '2025-02-05T10:00:00Z' },
          { caseId: 'case-3', reference: 'BB-2P8R-4T6W', initials: 'KB' },
        ],
      },
      created.etag,
    );
    await stores.close();

    const main = new Database(path, { readonly: true });
    try {
      expect(main.prepare('SELECT case_id, meeting_id FROM meeting_cases ORDER BY case_id').all()).toEqual([
        { case_id: 'case-2', meeting_id: 'meeting-1' },
        { case_id: 'case-3', meeting_id: 'meeting-1' },
      ]);
      const plan = main
        .prepare('EXPLAIN QUERY PLAN SELECT meeting_id FROM meeting_cases WHERE case_id = ?')
        .all('case-2') as { detail: string }[];
      expect(plan.map((step) => step.detail).join('\n')).toMatch(/SEARCH meeting_cases USING PRIMARY KEY/);
    } finally {
      main.close();
    }
  });

  it('refuses to open a file written by a newer schema', async () => {
    const path = nextPath();
    await openSqliteStores({ path }).close();
    const raw = new Database(path);
    raw.pragma('user_version = 99');
    raw.close();

    expect(() => openSqliteStores({ path })).toThrow(/Lagringen/);
  });

  it.each([
    ['outbox', 'the notice'],
    ['reminders', 'the chase'],
  ])(
    'commits a case and its effects in one transaction: a failing %s insert leaves no case (%s)',
    async (table) => {
      const path = nextPath();
      const stores = openSqliteStores({ path });
      // The fault a full disk or a broken row would cause, injected where the write happens.
      const db = new Database(path);
      db.exec(
        `CREATE TRIGGER fail_insert BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, 'injected'); END`,
      );
      const effects = {
        outbox: [buildOutboxMessage({ caseId: 'case-1' })],
        reminders: [buildReminder({ caseId: 'case-1' })],
      };

      const failed = await stores.cases
        .createWithEffects(buildContractCase(), effects)
        .catch((error: unknown) => error);
      expect(isDomainError(failed, 'storageUnavailable')).toBe(true);
      expect(await stores.cases.get('case-1')).toBeUndefined();
      expect(await stores.outbox.get('outbox-1')).toBeUndefined();
      expect(await stores.reminders.get('reminder-1')).toBeUndefined();

      db.exec('DROP TRIGGER fail_insert');
      db.close();
      await stores.cases.createWithEffects(buildContractCase(), effects);
      expect(await stores.outbox.listDue(new Date('2030-01-01T00:00:00Z'), 10)).toHaveLength(1);
      expect(await stores.reminders.listDue(new Date('2030-01-01T00:00:00Z'), 10)).toHaveLength(1);
      await stores.close();
    },
  );

  it('commits writes asked for at once together, rolling back only the one that fails', async () => {
    const path = nextPath();
    const stores = openSqliteStores({ path });
    const db = new Database(path);
    db.exec(
      `CREATE TRIGGER fail_insert BEFORE INSERT ON reminders BEGIN SELECT RAISE(ABORT, 'injected'); END`,
    );
    try {
      const [filed, failedFiling, enqueued, duplicate] = await Promise.allSettled([
        stores.cases.createWithEffects(buildContractCase(), { outbox: [], reminders: [] }),
        stores.cases.createWithEffects(buildContractCase({ id: 'case-2' }), {
          outbox: [buildOutboxMessage({ id: 'outbox-2', caseId: 'case-2' })],
          reminders: [buildReminder({ caseId: 'case-2' })],
        }),
        stores.outbox.enqueue(buildOutboxMessage()),
        stores.cases.create(buildContractCase()),
      ]);
      expect(filed.status).toBe('fulfilled');
      expect(enqueued).toEqual({ status: 'fulfilled', value: true });
      expect(
        failedFiling.status === 'rejected' && isDomainError(failedFiling.reason, 'storageUnavailable'),
      ).toBe(true);
      expect(duplicate.status === 'rejected' && isDomainError(duplicate.reason, 'alreadyExists')).toBe(true);
      // The failed filing left neither its case nor its notice; the others are there.
      expect(await stores.cases.get('case-2')).toBeUndefined();
      expect(await stores.outbox.get('outbox-2')).toBeUndefined();
      expect((await stores.cases.get('case-1'))?.value.id).toBe('case-1');
      expect(await stores.outbox.get(buildOutboxMessage().id)).toBeDefined();
    } finally {
      db.close();
      await stores.close();
    }
  });

  it('commits the writes still waiting when it is closed', async () => {
    const path = nextPath();
    const stores = openSqliteStores({ path });
    const appended = stores.audit.append(buildAuditEntry());
    const created = stores.cases.create(buildContractCase());
    await stores.close();
    await expect(appended).resolves.toBeUndefined();
    await expect(created).resolves.toMatchObject({ value: { id: 'case-1' } });

    const reopened = openSqliteStores({ path });
    expect(await reopened.audit.listForCase('case-1')).toEqual([buildAuditEntry()]);
    expect((await reopened.cases.get('case-1'))?.value.id).toBe('case-1');
    await reopened.close();
  });

  it('reports storage failures after close as storageUnavailable', async () => {
    const stores = openSqliteStores({ path: nextPath() });
    await stores.close();

    const error = await stores.cases.get('case-1').catch((reason: unknown) => reason);

    expect(isDomainError(error, 'storageUnavailable')).toBe(true);
  });
});
