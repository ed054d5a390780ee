/**
 * An in-memory implementation of our storage ports, for fast unit tests of the use cases. It
 * keeps the promises the real stores keep (conditional writes with ETags, schema checks on the
 * way in, ids Cosmos DB could store, due ordering), and `tests/integration/in-memory-stores.test.ts`
 * runs the storage contract suite against it so that it cannot drift from them.
 *
 * For tests it also records each call in order (`calls`), lets a test make the next call of a
 * method fail (`failNext`), and exposes everything stored (`snapshot`).
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { z } from 'zod';
import { type Case, ZCase, ZInstant } from '../../flows/kernel/case.js';
import { toTeamkanalKey } from '../../flows/kernel/notices.js';
import {
  type ActivityRecord,
  type AuditEntry,
  type BarnteamMeeting,
  type CaseEffects,
  type OpenCaseClaim,
  type OutboxMessage,
  type Reminder,
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
import { isClosedState } from '../../flows/kernel/transitions.js';
import { toAuditPage, toAuditWindowKeys } from '../../infra/store/audit-window.js';
import {
  assertStorableId,
  isOutboxActive,
  isReminderActive,
  parseIncoming,
  toOutboxDueKey,
  toReminderDueKey,
  toSortKey,
} from '../../infra/store/store-documents.js';
import {
  createAlreadyExistsError,
  createConcurrencyConflictError,
  createNotFoundError,
  createStorageUnavailableError,
  type StoredKind,
} from '../../infra/store/store-errors.js';

interface Row<T> {
  etag: string;
  /** Kept as JSON text, as a database would: a caller mutating what it passed in changes nothing. */
  json: string;
  value: T;
}

/** What the stores hold; shared between `open` and `reopen` to model a durable store. */
export interface InMemoryData {
  readonly cases: Map<string, Row<Case>>;
  readonly conversations: Map<string, StoredConversation>;
  readonly outbox: Map<string, Row<OutboxMessage>>;
  readonly reminders: Map<string, Row<Reminder>>;
  readonly audit: { entry: AuditEntry; seq: number }[];
  readonly activities: Map<string, ActivityRecord>;
  readonly meetings: Map<string, Row<BarnteamMeeting>>;
  readonly openCaseClaims: Map<string, Row<OpenCaseClaim>>;
}

export function createInMemoryData(): InMemoryData {
  return {
    cases: new Map(),
    conversations: new Map(),
    outbox: new Map(),
    reminders: new Map(),
    audit: [],
    activities: new Map(),
    meetings: new Map(),
    openCaseClaims: new Map(),
  };
}

/** `store.method`, e.g. `cases.create`, `audit.append`, `activities.record`, `meetings.replace`. */
export type StoreCall =
  `${'cases' | 'conversations' | 'outbox' | 'reminders' | 'audit' | 'activities' | 'meetings' | 'erasure'}.${string}`;

export interface InMemoryStores extends Stores {
  /** Every call in the order it started. */
  readonly calls: StoreCall[];
  /** The next call of `method` fails with `error` (default: storageUnavailable) and changes nothing. */
  failNext(method: StoreCall, error?: Error): void;
  /** Everything stored now, parsed, for assertions. */
  snapshot(): {
    cases: Case[];
    outbox: OutboxMessage[];
    reminders: Reminder[];
    audit: AuditEntry[];
    activities: ActivityRecord[];
    meetings: BarnteamMeeting[];
  };
}

/** Fresh stores over `data` (a new empty store unless given). */
export function createInMemoryStores(data: InMemoryData = createInMemoryData()): InMemoryStores {
  const calls: StoreCall[] = [];
  const failures = new Map<StoreCall, Error[]>();
  let closed = false;
  let auditSeq = data.audit.length;

  /** Records the call, then yields once so that concurrent callers interleave as with a real store. */
  async function enter(call: StoreCall, kind: StoredKind): Promise<void> {
    calls.push(call);
    await Promise.resolve();
    if (closed) {
      throw createStorageUnavailableError(kind, 'closed');
    }
    const queued = failures.get(call);
    const failure = queued?.shift();
    if (failure !== undefined) {
      throw failure;
    }
  }

  function store<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, kind: StoredKind): Row<T> {
    const parsed = parseIncoming(schema, value, kind) as T;
    const json = JSON.stringify(parsed);
    return { etag: randomUUID(), json, value: JSON.parse(json) as T };
  }

  function read<T>(row: Row<T> | undefined): Versioned<T> | undefined {
    return row === undefined ? undefined : { value: JSON.parse(row.json) as T, etag: row.etag };
  }

  function replaceRow<T extends { id: string }>(
    rows: Map<string, Row<T>>,
    kind: StoredKind,
    row: Row<T>,
    ifMatch: string,
  ): Versioned<T> {
    const current = rows.get(row.value.id);
    if (current === undefined) {
      throw createNotFoundError(kind, row.value.id);
    }
    if (current.etag !== ifMatch) {
      throw createConcurrencyConflictError(kind, row.value.id);
    }
    rows.set(row.value.id, row);
    return read(row) as Versioned<T>;
  }

  /**
   * The effects of a case write, as in one transaction: every write may fail (failNext on
   * outbox.enqueue or reminders.schedule) before anything is stored; the returned function stores
   * them once the case write succeeded, keeping an effect whose id exists.
   */
  async function prepareEffects(effects: CaseEffects): Promise<() => void> {
    const messages = effects.outbox.map((message) => store(ZOutboxMessage, message, 'outbox'));
    const reminders = effects.reminders.map((reminder) => store(ZReminder, reminder, 'reminder'));
    for (const _message of messages) await enter('outbox.enqueue', 'outbox');
    for (const _reminder of reminders) await enter('reminders.schedule', 'reminder');
    return () => {
      for (const message of messages) {
        if (!data.outbox.has(message.value.id)) data.outbox.set(message.value.id, message);
      }
      for (const reminder of reminders) {
        if (!data.reminders.has(reminder.value.id)) data.reminders.set(reminder.value.id, reminder);
      }
    };
  }

  function listDue<T>(
    rows: Map<string, Row<T>>,
    isActive: (value: T) => boolean,
    dueKey: (value: T) => string,
    id: (value: T) => string,
    now: Date,
    limit: number,
  ): Versioned<T>[] {
    const nowKey = now.toISOString();
    return [...rows.values()]
      .filter((row) => isActive(row.value) && dueKey(row.value) <= nowKey)
      .sort((a, b) => compareKeys(dueKey(a.value), dueKey(b.value)) || compareKeys(id(a.value), id(b.value)))
      .slice(0, limit)
      .map((row) => read(row) as Versioned<T>);
  }

  function listMeetings(matches: (meeting: BarnteamMeeting) => boolean): Versioned<BarnteamMeeting>[] {
    return [...data.meetings.values()]
      .filter((row) => matches(row.value))
      .sort(
        (a, b) =>
          compareKeys(toSortKey(a.value.start), toSortKey(b.value.start)) ||
          compareKeys(a.value.id, b.value.id),
      )
      .map((row) => read(row) as Versioned<BarnteamMeeting>);
  }

  const stores: InMemoryStores = {
    calls,
    failNext(method, error) {
      const queued = failures.get(method) ?? [];
      queued.push(error ?? createStorageUnavailableError('case', 'injected'));
      failures.set(method, queued);
    },
    snapshot() {
      const values = <T>(rows: Map<string, Row<T>>) => [...rows.values()].map((row) => read(row)?.value as T);
      return {
        cases: values(data.cases),
        outbox: values(data.outbox),
        reminders: values(data.reminders),
        audit: data.audit.map((item) => structuredClone(item.entry)),
        activities: [...data.activities.values()].map((entry) => structuredClone(entry)),
        meetings: values(data.meetings),
      };
    },
    cases: {
      async create(value) {
        await enter('cases.create', 'case');
        const row = store(ZCase, value, 'case');
        assertStorableId('case', row.value.id);
        if (data.cases.has(row.value.id)) {
          throw createAlreadyExistsError('case', row.value.id);
        }
        data.cases.set(row.value.id, row);
        return read(row) as Versioned<Case>;
      },
      async createWithEffects(value, effects) {
        await enter('cases.createWithEffects', 'case');
        const row = store(ZCase, value, 'case');
        assertStorableId('case', row.value.id);
        const commitEffects = await prepareEffects(effects);
        if (data.cases.has(row.value.id)) {
          throw createAlreadyExistsError('case', row.value.id);
        }
        data.cases.set(row.value.id, row);
        commitEffects();
        return read(row) as Versioned<Case>;
      },
      async repairPendingEffects() {
        await enter('cases.repairPendingEffects', 'case');
        return 0;
      },
      async get(caseId) {
        await enter('cases.get', 'case');
        return read(data.cases.get(caseId));
      },
      async replace(value, ifMatch) {
        await enter('cases.replace', 'case');
        const row = store(ZCase, value, 'case');
        assertStorableId('case', row.value.id);
        return replaceRow(data.cases, 'case', row, ifMatch);
      },
      async replaceWithEffects(value, ifMatch, effects) {
        await enter('cases.replaceWithEffects', 'case');
        const row = store(ZCase, value, 'case');
        assertStorableId('case', row.value.id);
        const commitEffects = await prepareEffects(effects);
        const replaced = replaceRow(data.cases, 'case', row, ifMatch);
        commitEffects();
        return replaced;
      },
      async claimOpenCase(claim) {
        await enter('cases.claimOpenCase', 'case');
        const row = store(ZOpenCaseClaim, claim, 'case');
        const existing = data.openCaseClaims.get(row.value.identityKey);
        if (existing !== undefined) return read(existing) as Versioned<OpenCaseClaim>;
        data.openCaseClaims.set(row.value.identityKey, row);
        return read(row) as Versioned<OpenCaseClaim>;
      },
      async moveOpenCaseClaim(claim, ifMatch) {
        await enter('cases.moveOpenCaseClaim', 'case');
        const row = store(ZOpenCaseClaim, claim, 'case');
        const current = data.openCaseClaims.get(row.value.identityKey);
        if (current === undefined) throw createNotFoundError('case', row.value.identityKey);
        if (current.etag !== ifMatch) throw createConcurrencyConflictError('case', row.value.identityKey);
        data.openCaseClaims.set(row.value.identityKey, row);
        return read(row) as Versioned<OpenCaseClaim>;
      },
      async findCaseIdsByIdentityKey(identityKey) {
        await enter('cases.findCaseIdsByIdentityKey', 'case');
        return [...data.cases.values()]
          .filter((row) => row.value.child.identityKey === identityKey)
          .map((row) => row.value.id)
          .sort(compareKeys);
      },
      async findCaseIdByReference(reference) {
        await enter('cases.findCaseIdByReference', 'case');
        return [...data.cases.values()].find((row) => row.value.reference === reference)?.value.id;
      },
      async listIdsByUnitAndState(unitId, state, limit) {
        await enter('cases.listIdsByUnitAndState', 'case');
        return [...data.cases.values()]
          .filter((row) => row.value.unitId === unitId && row.value.state === state)
          .map((row) => row.value.id)
          .sort(compareKeys)
          .slice(0, Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0);
      },
    },
    conversations: {
      async save(value) {
        await enter('conversations.save', 'conversation');
        data.conversations.set(value.key, store(ZStoredConversation, value, 'conversation').value);
      },
      async get(key) {
        await enter('conversations.get', 'conversation');
        const value = data.conversations.get(key);
        return value === undefined ? undefined : structuredClone(value);
      },
    },
    outbox: {
      async enqueue(message) {
        await enter('outbox.enqueue', 'outbox');
        const row = store(ZOutboxMessage, message, 'outbox');
        assertStorableId('outbox', row.value.id);
        if (data.outbox.has(row.value.id)) {
          return false;
        }
        data.outbox.set(row.value.id, row);
        return true;
      },
      async get(id) {
        await enter('outbox.get', 'outbox');
        return read(data.outbox.get(id));
      },
      async listDue(now, limit) {
        await enter('outbox.listDue', 'outbox');
        return listDue(data.outbox, isOutboxActive, toOutboxDueKey, (value) => value.id, now, limit);
      },
      async replace(message, ifMatch) {
        await enter('outbox.replace', 'outbox');
        const row = store(ZOutboxMessage, message, 'outbox');
        assertStorableId('outbox', row.value.id);
        return replaceRow(data.outbox, 'outbox', row, ifMatch);
      },
    },
    reminders: {
      async schedule(reminder) {
        await enter('reminders.schedule', 'reminder');
        const row = store(ZReminder, reminder, 'reminder');
        assertStorableId('reminder', row.value.id);
        if (data.reminders.has(row.value.id)) {
          return false;
        }
        data.reminders.set(row.value.id, row);
        return true;
      },
      async get(id) {
        await enter('reminders.get', 'reminder');
        return read(data.reminders.get(id));
      },
      async listDue(now, limit) {
        await enter('reminders.listDue', 'reminder');
        return listDue(data.reminders, isReminderActive, toReminderDueKey, (value) => value.id, now, limit);
      },
      async replace(reminder, ifMatch) {
        await enter('reminders.replace', 'reminder');
        const row = store(ZReminder, reminder, 'reminder');
        assertStorableId('reminder', row.value.id);
        return replaceRow(data.reminders, 'reminder', row, ifMatch);
      },
      async listForCase(caseId) {
        await enter('reminders.listForCase', 'reminder');
        return [...data.reminders.values()]
          .filter((row) => row.value.caseId === caseId)
          .sort(
            (a, b) =>
              compareKeys(toReminderDueKey(a.value), toReminderDueKey(b.value)) ||
              compareKeys(a.value.id, b.value.id),
          )
          .map((row) => read(row) as Versioned<Reminder>);
      },
    },
    audit: {
      async append(entry) {
        await enter('audit.append', 'audit');
        const parsed = store(ZAuditEntry, entry, 'audit').value;
        assertStorableId('audit', parsed.id);
        const existing = data.audit.find((item) => item.entry.id === parsed.id);
        if (existing !== undefined) {
          if (!isDeepStrictEqual(existing.entry, parsed)) {
            throw createAlreadyExistsError('audit', parsed.id);
          }
          return;
        }
        auditSeq += 1;
        data.audit.push({ entry: parsed, seq: auditSeq });
      },
      async listForCase(caseId) {
        await enter('audit.listForCase', 'audit');
        return data.audit
          .filter((item) => item.entry.caseId === caseId)
          .sort((a, b) => compareKeys(toSortKey(a.entry.at), toSortKey(b.entry.at)) || a.seq - b.seq)
          .map((item) => structuredClone(item.entry));
      },
      async listBetween(window) {
        await enter('audit.listBetween', 'audit');
        const { fromKey, toKey, limit, afterKey, afterId } = toAuditWindowKeys(window);
        const rows = data.audit
          .map((item) => ({ key: toSortKey(item.entry.at), entry: item.entry }))
          .filter(
            ({ key, entry }) =>
              key >= fromKey && key < toKey && (key > afterKey || (key === afterKey && entry.id > afterId)),
          )
          .sort((a, b) => compareKeys(a.key, b.key) || compareKeys(a.entry.id, b.entry.id))
          .slice(0, limit + 1)
          .map(({ entry }) => structuredClone(entry));
        return toAuditPage(rows, limit);
      },
    },
    activities: {
      async record(entry) {
        await enter('activities.record', 'activity');
        const parsed = store(ZActivityRecord, entry, 'activity').value;
        // Forget what expired before this activity was handled, as the SQLite store does.
        const now = toSortKey(parsed.handledAt);
        for (const [id, stored] of data.activities) {
          if (toSortKey(stored.expiresAt) < now) {
            data.activities.delete(id);
          }
        }
        if (data.activities.has(parsed.id)) {
          return false;
        }
        data.activities.set(parsed.id, parsed);
        return true;
      },
    },
    meetings: {
      async create(value) {
        await enter('meetings.create', 'meeting');
        const row = store(ZBarnteamMeeting, value, 'meeting');
        assertStorableId('meeting', row.value.id);
        if (data.meetings.has(row.value.id)) {
          throw createAlreadyExistsError('meeting', row.value.id);
        }
        data.meetings.set(row.value.id, row);
        return read(row) as Versioned<BarnteamMeeting>;
      },
      async get(id) {
        await enter('meetings.get', 'meeting');
        return read(data.meetings.get(id));
      },
      async replace(value, ifMatch) {
        await enter('meetings.replace', 'meeting');
        const row = store(ZBarnteamMeeting, value, 'meeting');
        assertStorableId('meeting', row.value.id);
        return replaceRow(data.meetings, 'meeting', row, ifMatch);
      },
      async listForCase(caseId) {
        await enter('meetings.listForCase', 'meeting');
        // Removed agenda items still count, as in the real stores.
        return listMeetings((meeting) => meeting.agenda.some((item) => item.caseId === caseId));
      },
      async listForUnit(unitId, fromInstant) {
        await enter('meetings.listForUnit', 'meeting');
        const fromKey = toSortKey(parseIncoming(ZInstant, fromInstant, 'meeting'));
        return listMeetings((meeting) => meeting.unitId === unitId && toSortKey(meeting.start) >= fromKey);
      },
    },
    erasure: {
      async listClosedCaseIds(limit, after) {
        await enter('erasure.listClosedCaseIds', 'case');
        return [...data.cases.values()]
          .filter((row) => isClosedState(row.value.state) && row.value.id > (after ?? ''))
          .map((row) => row.value.id)
          .sort(compareKeys)
          .slice(0, Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0);
      },
      async eraseCase(caseId) {
        await enter('erasure.eraseCase', 'case');
        const stored = data.cases.get(caseId)?.value;
        const teamKey = toTeamkanalKey(caseId);
        for (const [id, row] of data.outbox) {
          const message = row.value;
          const payloadCaseId = message.payload.kind === 'notice' ? message.payload.caseId : undefined;
          if (message.caseId === caseId || payloadCaseId === caseId || message.recipientKey === teamKey) {
            data.outbox.delete(id);
          }
        }
        for (const [id, row] of data.reminders) if (row.value.caseId === caseId) data.reminders.delete(id);
        data.conversations.delete(teamKey);
        const channelKey = stored?.individuelltBarnteam?.channel?.conversationKey;
        if (channelKey !== undefined) data.conversations.delete(channelKey);
        for (const [id, row] of data.meetings) {
          if (!row.value.agenda.some((item) => item.caseId === caseId)) continue;
          const agenda = row.value.agenda.filter((item) => item.caseId !== caseId);
          data.meetings.set(id, store(ZBarnteamMeeting, { ...row.value, agenda }, 'meeting'));
        }
        for (const [key, row] of data.openCaseClaims)
          if (row.value.caseId === caseId) data.openCaseClaims.delete(key);
        return data.cases.delete(caseId);
      },
      async deleteAuditEntriesBefore(before, limit) {
        await enter('erasure.deleteAuditEntriesBefore', 'audit');
        const beforeKey = toSortKey(parseIncoming(ZInstant, before, 'audit'));
        const due = data.audit
          .filter((item) => toSortKey(item.entry.at) < beforeKey)
          .sort((a, b) => compareKeys(toSortKey(a.entry.at), toSortKey(b.entry.at)) || a.seq - b.seq)
          .slice(0, Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0);
        for (const item of due) data.audit.splice(data.audit.indexOf(item), 1);
        return due.length;
      },
      async deleteSettledCaselessMessagesBefore(before, limit) {
        await enter('erasure.deleteSettledCaselessMessagesBefore', 'outbox');
        const beforeKey = toSortKey(parseIncoming(ZInstant, before, 'outbox'));
        const due = [...data.outbox]
          .filter(([, row]) => {
            const message = row.value;
            return (
              message.caseId === undefined &&
              !('caseId' in message.payload) &&
              (message.status === 'delivered' || message.status === 'dropped') &&
              toSortKey(message.createdAt) < beforeKey
            );
          })
          .slice(0, Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0);
        for (const [id] of due) data.outbox.delete(id);
        return due.length;
      },
    },
    async close() {
      closed = true;
    },
  };
  return stores;
}

function compareKeys(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
