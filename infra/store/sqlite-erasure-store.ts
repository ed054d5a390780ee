/**
 * The retention sweep's writes on the embedded store: a case is erased from the main file in one
 * transaction (its row, and with it the identity and reference lookups; the open-case claim
 * naming it; its outbox messages, reminders and team-channel conversation; its lines on
 * Barnteam agendas), the settled messages that name no case are deleted once old enough, and the
 * access log's entries past their period are deleted from the audit file under the cut-off its
 * triggers check (`sqlite-migrations.ts`, audit migration 3).
 */
import { randomUUID } from 'node:crypto';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { ZCase, ZInstant } from '../../flows/kernel/case.js';
import { isDomainError } from '../../flows/kernel/errors.js';
import { toTeamkanalKey } from '../../flows/kernel/notices.js';
import { type ErasureStore, ZBarnteamMeeting, ZOutboxMessage } from '../../flows/kernel/ports.js';
import { closedStates } from '../../flows/kernel/transitions.js';
import type { GroupCommit } from './sqlite-group-commit.js';
import { parseIncoming, parseStored, parseStoredJson, toSortKey } from './store-documents.js';
import { createStorageUnavailableError, type StoredKind } from './store-errors.js';

export interface SqliteErasureFiles {
  readonly main: SqliteDatabase;
  readonly mainWrites: GroupCommit;
  readonly audit: SqliteDatabase;
  readonly auditWrites: GroupCommit;
}

export function createSqliteErasureStore(files: SqliteErasureFiles): ErasureStore {
  const { main, audit } = files;
  const closedList = closedStates.map(() => '?').join(', ');
  const selectClosed = main.prepare<unknown[], { id: string }>(
    `SELECT id FROM cases WHERE json_extract(document, '$.state') IN (${closedList}) AND id > ?
     ORDER BY id LIMIT ?`,
  );
  const selectCase = main.prepare<[string], { document: string }>('SELECT document FROM cases WHERE id = ?');
  const deleteCase = main.prepare<[string]>('DELETE FROM cases WHERE id = ?');
  const deleteClaims = main.prepare<[string]>(
    "DELETE FROM open_case_claims WHERE json_extract(document, '$.caseId') = ?",
  );
  const deleteOutbox = main.prepare<[string, string, string]>(
    `DELETE FROM outbox WHERE json_extract(document, '$.caseId') = ?
       OR json_extract(document, '$.payload.caseId') = ? OR json_extract(document, '$.recipientKey') = ?`,
  );
  const deleteReminders = main.prepare<[string]>('DELETE FROM reminders WHERE case_id = ?');
  const deleteConversation = main.prepare<[string]>('DELETE FROM conversations WHERE key = ?');
  const selectMeetings = main.prepare<[string], { id: string; document: string }>(
    `SELECT m.id, m.document FROM meeting_cases AS mc JOIN meetings AS m ON m.id = mc.meeting_id
     WHERE mc.case_id = ?`,
  );
  const updateMeeting = main.prepare<[string, string, string]>(
    'UPDATE meetings SET etag = ?, document = ? WHERE id = ?',
  );
  const deleteMeetingCase = main.prepare<[string]>('DELETE FROM meeting_cases WHERE case_id = ?');

  const moveCutoff = audit.prepare<[string]>(
    'UPDATE audit_retention SET before_key = max(before_key, ?) WHERE id = 1',
  );
  const deleteAudit = audit.prepare<[string, number]>(
    `DELETE FROM audit_entries WHERE seq IN
       (SELECT seq FROM audit_entries WHERE at_key < ? ORDER BY at_key, id LIMIT ?)`,
  );

  const eraseNow = main.transaction((caseId: string): boolean => {
    const row = selectCase.get(caseId);
    const stored =
      row === undefined
        ? undefined
        : parseStored(ZCase, parseStoredJson(row.document, 'case', caseId), 'case', caseId);
    const teamKey = toTeamkanalKey(caseId);
    deleteOutbox.run(caseId, caseId, teamKey);
    deleteReminders.run(caseId);
    deleteConversation.run(teamKey);
    const channelKey = stored?.individuelltBarnteam?.channel?.conversationKey;
    if (channelKey !== undefined) deleteConversation.run(channelKey);
    for (const meeting of selectMeetings.all(caseId)) {
      const value = parseStored(
        ZBarnteamMeeting,
        parseStoredJson(meeting.document, 'meeting', meeting.id),
        'meeting',
        meeting.id,
      );
      const agenda = value.agenda.filter((item) => item.caseId !== caseId);
      // A new ETag: a convener's card read before the erasure must not write the child back.
      updateMeeting.run(randomUUID(), JSON.stringify({ ...value, agenda }), meeting.id);
    }
    deleteMeetingCase.run(caseId);
    deleteClaims.run(caseId);
    return deleteCase.run(caseId).changes === 1;
  });

  // Messages that name no case and are settled: few (a weekly card per reviewer), so they are
  // read and judged by their creation time here rather than through an index of their own.
  const selectSettledCaseless = main.prepare<[], { id: string; document: string }>(
    `SELECT id, document FROM outbox WHERE active = 0
       AND json_extract(document, '$.caseId') IS NULL AND json_extract(document, '$.payload.caseId') IS NULL
       AND json_extract(document, '$.status') IN ('delivered', 'dropped')`,
  );
  const deleteMessage = main.prepare<[string]>('DELETE FROM outbox WHERE id = ?');
  const deleteSettledNow = main.transaction((beforeKey: string, limit: number): number => {
    let deleted = 0;
    for (const row of selectSettledCaseless.all()) {
      if (deleted === limit) break;
      const message = parseStored(
        ZOutboxMessage,
        parseStoredJson(row.document, 'outbox', row.id),
        'outbox',
        row.id,
      );
      if (toSortKey(message.createdAt) >= beforeKey) continue;
      deleted += deleteMessage.run(row.id).changes;
    }
    return deleted;
  });

  const deleteAuditNow = audit.transaction((beforeKey: string, limit: number): number => {
    moveCutoff.run(beforeKey);
    return deleteAudit.run(beforeKey, limit).changes;
  });

  return {
    async listClosedCaseIds(limit, after) {
      return run('case', () =>
        selectClosed.all(...closedStates, after ?? '', toLimit(limit)).map((row) => row.id),
      );
    },
    async eraseCase(caseId) {
      return files.mainWrites.run(
        () => eraseNow(caseId),
        (error) => toStoreError('case', error),
      );
    },
    async deleteAuditEntriesBefore(before, limit) {
      const beforeKey = toSortKey(parseIncoming(ZInstant, before, 'audit'));
      return files.auditWrites.run(
        () => deleteAuditNow(beforeKey, toLimit(limit)),
        (error) => toStoreError('audit', error),
      );
    },
    async deleteSettledCaselessMessagesBefore(before, limit) {
      const beforeKey = toSortKey(parseIncoming(ZInstant, before, 'outbox'));
      return files.mainWrites.run(
        () => deleteSettledNow(beforeKey, toLimit(limit)),
        (error) => toStoreError('outbox', error),
      );
    },
  };
}

function toLimit(limit: number): number {
  return Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
}

function run<T>(kind: StoredKind, operation: () => T): Promise<T> {
  try {
    return Promise.resolve(operation());
  } catch (error) {
    return Promise.reject(toStoreError(kind, error));
  }
}

function toStoreError(kind: StoredKind, error: unknown): unknown {
  if (isDomainError(error)) return error;
  const code =
    error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'sqliteError';
  return createStorageUnavailableError(kind, code);
}
