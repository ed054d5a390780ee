/**
 * The production store on Azure Cosmos DB (NoSQL API).
 *
 * Containers and partition keys (the Bicep in infra/azure uses the same names):
 * - `cases`, pk `/id`. A case is one document holding its state, roles and chronology, so
 *   every read is a point read (1 RU) and every change one conditional replace
 *   (`IfMatch` on the ETag). No query ever needs cases across partitions.
 * - `identityIndex`, pk `/identityKey`: `{ id: caseId, identityKey }`, and one claim
 *   `{ id: 'oppetArende', identityKey, caseId }` naming the child's open Barnkontakt case,
 *   created if absent (409 decides a race) and moved with IfMatch. "Which cases has this
 *   child?" is a single-partition query on the keyed hash, never a cross-partition scan and
 *   never on the plain identity number. The entry is written BEFORE the case: if the case
 *   write then fails (duplicate id, lost race, outage) the entry points at a case that does
 *   not carry that key, which is harmless because every hit is confirmed by reading the case
 *   (the case is authoritative). The other order could leave a stored case with no entry,
 *   and a duplicate-child check would silently miss it. Entries left behind when a case's
 *   key changes are filtered out the same way.
 * - `conversations`, pk `/key`: a point read per user or conversation key. The document id is
 *   a SHA-256 of the key, because Teams conversation ids may contain characters Cosmos
 *   refuses in an id.
 * - `outbox` and `reminders`, pk `/queue` with one constant value each. The sweep "what is due
 *   now?" is then one single-partition parameterised query
 *   (`active = true AND dueKey <= @now ORDER BY dueKey`), where `dueKey` is the next attempt /
 *   due time, or the end of the claim while an instance holds the item. One logical partition
 *   holds at most 20 GB: at about 2 KB per document that is some ten million live items,
 *   against a few thousand a municipality produces a year; finished documents (delivered,
 *   done, cancelled) get a `ttl` and expire. Delivered messages are kept until then (not
 *   deleted) so that re-enqueueing the same id stays a no-op.
 * - `audit`, pk `/caseId`: append-only (create, never replace or delete); listing a case's
 *   access log is a single-partition query; the log review's listing by time is a paged query
 *   across partitions (docs/operations.md, Log review). Each entry gets `ttl` from the retention
 *   setting. The local test server does not enforce TTL: expiry is set and documented here
 *   and needs a test against a real account.
 * - `activities`, pk `/id`: Teams activities already handled. `record` is a create; 409 means
 *   another turn (or instance) handled that activity first. The document id is a SHA-256 of
 *   the ledger id, like conversation keys, and each record carries a `ttl` that ends at its
 *   `expiresAt`, so the container empties itself. Correctness does not depend on the expiry:
 *   a record left behind only makes a very late redelivery count as seen.
 * - `meetings`, pk `/id`: Barnteam meetings. `get` and `replace` are a point read and one
 *   conditional replace, as for cases. A partition per unit (`/unitId`) would make the
 *   Barnteam's list of upcoming meetings single-partition, but `get(id)` would then need the
 *   unit: either every meeting id would have to carry it (`<unitId>:<…>`, a format the booking
 *   use case and everything that refers to a meeting by id must keep), or `get` would be a
 *   query, and Cosmos keeps ids unique only within a partition, so the same id could exist
 *   in two units. We take pk `/id` and accept that `listForUnit` (unitId and start) and
 *   `listForCase` (`ARRAY_CONTAINS` on `agendaCaseIds`, a store-only copy of the agenda's
 *   case ids that the default index covers element by element) are cross-partition
 *   queries: a municipality holds a few hundred meetings a year, all of them within one
 *   physical partition, so the fan-out is one partition in practice and both queries are
 *   index lookups, never a scan. Removed agenda items stay in `agendaCaseIds`, like in
 *   SQLite's `meeting_cases`: the meeting stays part of that child's history.
 *
 * No transactional batch, stored procedures or TTL-dependent behaviour: the local test
 * server supports none of them, and nothing here is correct only if they work.
 *
 * Responses are external input: system fields are stripped and the rest is parsed with the
 * zod schemas. Errors map to domain errors: 409 → alreadyExists, 412 → concurrencyConflict,
 * 404 on a read → undefined, anything else → storageUnavailable (status code only, never a
 * message, since SDK messages can echo a document).
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type {
  Container,
  CosmosClient,
  ItemDefinition,
  RequestOptions,
  SqlParameter,
  SqlQuerySpec,
} from '@azure/cosmos';
import { z } from 'zod';
import { type Case, ZCase, ZInstant } from '../../flows/kernel/case.js';
import { enqueueEffects } from '../../flows/kernel/case-effects.js';
import { isDomainError } from '../../flows/kernel/errors.js';
import {
  type ActivityLedger,
  type AuditEntry,
  type AuditLog,
  type BarnteamMeeting,
  type CaseEffects,
  type CaseStore,
  type ConversationStore,
  type FigureStore,
  type MeetingStore,
  type OutboxMessage,
  type OutboxStore,
  type Reminder,
  type ReminderStore,
  type Stores,
  type Versioned,
  ZActivityRecord,
  ZAuditEntry,
  ZBarnteamMeeting,
  ZFigureEvent,
  ZOpenCaseClaim,
  ZOutboxMessage,
  ZReminder,
  ZStoredConversation,
} from '../../flows/kernel/ports.js';
import { compareAuditOrder, toAuditPage, toAuditWindowKeys } from './audit-window.js';
import {
  type CosmosContainers,
  ensureCosmosContainers,
  outboxQueue,
  referenceCosmosContainers,
  reminderQueue,
} from './cosmos-containers.js';
import { createCosmosErasureStore } from './cosmos-erasure-store.js';
import { createCosmosFigureStore } from './cosmos-figure-store.js';
import {
  assertStorableId,
  isOutboxActive,
  isReminderActive,
  parseIncoming,
  parseStored,
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

export { type CosmosClientOptions, createCosmosClient, interactiveRetryOptions } from './cosmos-client.js';

const secondsPerDay = 24 * 60 * 60;

export interface CosmosStoreOptions {
  readonly client: CosmosClient;
  readonly databaseId: string;
  /** Create the database and containers when missing (local server, first run); in Azure Bicep owns them. */
  readonly createIfMissing: boolean;
  /** How long audit entries are kept (the `ttl` of each entry). Default 10 years. */
  readonly auditRetentionDays?: number;
  /** How long delivered messages and done or cancelled reminders are kept. Default 30 days. */
  readonly finishedRetentionDays?: number;
}

/**
 * Opens the Cosmos DB stores. `close()` does not dispose `client`: whoever created the client
 * owns it.
 */
export async function openCosmosStores(options: CosmosStoreOptions): Promise<Stores> {
  const containers = await openContainers(options);
  const auditTtl = Math.round((options.auditRetentionDays ?? 3650) * secondsPerDay);
  const finishedTtl = Math.round((options.finishedRetentionDays ?? 30) * secondsPerDay);
  const outbox = createOutboxStore(containers.outbox, finishedTtl);
  const reminders = createReminderStore(containers.reminders, finishedTtl);
  const figures = createCosmosFigureStore(containers.figures);
  return {
    cases: createCaseStore(containers, { outbox, reminders, figures }),
    conversations: createConversationStore(containers.conversations),
    outbox,
    reminders,
    audit: createAuditLog(containers.audit, auditTtl),
    activities: createActivityLedger(containers.activities),
    meetings: createMeetingStore(containers.meetings),
    figures,
    erasure: createCosmosErasureStore(containers),
    async close() {},
  };
}

async function openContainers(options: CosmosStoreOptions): Promise<CosmosContainers> {
  try {
    return await callCosmos('case', options.databaseId, async () => {
      if (options.createIfMissing) {
        const { database } = await options.client.databases.createIfNotExists({ id: options.databaseId });
        return ensureCosmosContainers(database);
      }
      const database = options.client.database(options.databaseId);
      // Fail at start-up, not on a user's first click, when the database is not there.
      await database.read();
      return referenceCosmosContainers(database);
    });
  } catch (error) {
    if (isDomainError(error, 'notFound')) {
      throw createStorageUnavailableError('case', 'databaseMissing', { databaseId: options.databaseId });
    }
    throw error;
  }
}

/**
 * The effects written into a case document with it (the transactional-outbox pattern): Cosmos
 * has no transaction across containers (and the local test server no transactional batch), so
 * the one atomic write is the case document itself. The effects are then enqueued (create if
 * absent) and the field removed; a crash in between leaves the field, and the repair sweep
 * finds it.
 */
const ZPendingEffects = z.object({
  outbox: z.array(ZOutboxMessage),
  reminders: z.array(ZReminder),
  figures: z.array(ZFigureEvent).optional(),
});
type PendingEffects = z.infer<typeof ZPendingEffects>;
const ZCaseWithPendingEffects = z
  .object({ id: z.string().min(1), _etag: z.string().min(1), pendingEffects: ZPendingEffects.optional() })
  .passthrough();

/** The claim document's id in the child's `identityIndex` partition; case ids never take it. */
const openCaseClaimId = 'oppetArende';
const claimStoreFields = ['id'];

/** Both lists, each effect once (by id), the earlier copy kept. */
function mergeEffects(earlier: PendingEffects | undefined, later: CaseEffects): PendingEffects {
  const outbox = [...(earlier?.outbox ?? [])];
  const reminders = [...(earlier?.reminders ?? [])];
  for (const message of later.outbox) {
    if (!outbox.some((known) => known.id === message.id)) outbox.push(message);
  }
  for (const reminder of later.reminders) {
    if (!reminders.some((known) => known.id === reminder.id)) reminders.push(reminder);
  }
  const figures = [...(earlier?.figures ?? [])];
  for (const event of later.figures ?? []) {
    if (!figures.some((known) => known.id === event.id)) figures.push(event);
  }
  return figures.length === 0 ? { outbox, reminders } : { outbox, reminders, figures };
}

function createCaseStore(
  containers: CosmosContainers,
  effectStores: {
    readonly outbox: OutboxStore;
    readonly reminders: ReminderStore;
    readonly figures: FigureStore;
  },
): CaseStore {
  const { cases, identityIndex } = containers;

  /**
   * Enqueues the effects recorded in the case document at `etag`, then removes the record if
   * the document is still at that version. A later write carried the record forward (see
   * `readPendingEffects`), and that writer or the repair sweep clears it; enqueueing again is a
   * no-op. Returns the case as stored after the removal, or `undefined` when it was not removed.
   */
  async function enqueuePendingEffects(
    caseId: string,
    etag: string,
    effects: PendingEffects,
  ): Promise<Versioned<Case> | undefined> {
    await enqueueEffects(effectStores, effects);
    if (effects.figures !== undefined) await effectStores.figures.append(effects.figures);
    try {
      const response = await callCosmos('case', caseId, () =>
        cases.item(caseId, caseId).patch([{ op: 'remove', path: '/pendingEffects' }], ifMatchOption(etag)),
      );
      return toVersioned(response.resource, ZCase, 'case', caseId, []);
    } catch (error) {
      if (isDomainError(error, 'concurrencyConflict') || isDomainError(error, 'notFound')) return undefined;
      throw error;
    }
  }

  /**
   * The effects still recorded in the stored case, read at the version a replace is conditional
   * on. A replace writes the whole document, so without this it would erase the record of
   * effects another writer has not enqueued yet (a crash, or a second Upptäckarkort joining
   * the same case at the same moment), and only the repair sweep could have found them.
   */
  async function readPendingEffects(caseId: string, ifMatch: string): Promise<PendingEffects | undefined> {
    const raw = await readItem('case', cases, caseId, caseId);
    if (raw === undefined) throw createNotFoundError('case', caseId);
    const stored = parseStored(ZCaseWithPendingEffects, raw, 'case', caseId);
    if (stored._etag !== ifMatch) throw createConcurrencyConflictError('case', caseId);
    return stored.pendingEffects;
  }

  /** Enqueues after the write; a failure leaves the record for the sweep, never "not saved". */
  async function completeEffects(
    written: Versioned<Case>,
    effects: PendingEffects,
  ): Promise<Versioned<Case>> {
    if (
      effects.outbox.length === 0 &&
      effects.reminders.length === 0 &&
      (effects.figures ?? []).length === 0
    ) {
      return written;
    }
    try {
      return (await enqueuePendingEffects(written.value.id, written.etag, effects)) ?? written;
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return written;
    }
  }

  async function indexIdentityKey(value: Case): Promise<void> {
    const identityKey = value.child.identityKey;
    if (identityKey !== undefined) {
      await callCosmos('case', value.id, () => identityIndex.items.upsert({ id: value.id, identityKey }));
    }
  }

  async function readCase(caseId: string): Promise<Versioned<Case> | undefined> {
    const raw = await readItem('case', cases, caseId, caseId);
    return raw === undefined ? undefined : toVersioned(raw, ZCase, 'case', caseId, []);
  }

  async function replaceKeeping(
    parsed: Case,
    ifMatch: string,
    pendingEffects: PendingEffects | undefined,
  ): Promise<Versioned<Case>> {
    await indexIdentityKey(parsed);
    const document = pendingEffects === undefined ? parsed : { ...parsed, pendingEffects };
    const response = await callCosmos('case', parsed.id, () =>
      cases.item(parsed.id, parsed.id).replace(document, ifMatchOption(ifMatch)),
    );
    return toVersioned(response.resource, ZCase, 'case', parsed.id, []);
  }

  return {
    async create(value) {
      const parsed = parseCase(value);
      await indexIdentityKey(parsed);
      const response = await callCosmos('case', parsed.id, () => cases.items.create(parsed));
      return toVersioned(response.resource, ZCase, 'case', parsed.id, []);
    },
    async createWithEffects(value, effects) {
      const parsed = parseCase(value);
      await indexIdentityKey(parsed);
      const pendingEffects = mergeEffects(undefined, effects);
      const response = await callCosmos('case', parsed.id, () =>
        cases.items.create({ ...parsed, pendingEffects }),
      );
      const created = toVersioned(response.resource, ZCase, 'case', parsed.id, []);
      // The case is stored and its effects are recorded in it: if enqueueing fails, the repair
      // sweep does it. Failing here would tell the user "not saved" about a saved case.
      return completeEffects(created, pendingEffects);
    },
    async replaceWithEffects(value, ifMatch, effects) {
      const parsed = parseCase(value);
      const pendingEffects = mergeEffects(await readPendingEffects(parsed.id, ifMatch), effects);
      const replaced = await replaceKeeping(parsed, ifMatch, pendingEffects);
      return completeEffects(replaced, pendingEffects);
    },
    async repairPendingEffects(limit) {
      const top = Math.max(0, Math.floor(limit));
      if (top === 0) return 0;
      // A cross-partition query, run by the background sweep only; the filter is on a field that
      // exists only between a change and its effects being enqueued, so it matches almost nothing.
      const rows = await queryAcrossPartitions('case', cases, 'pendingEffects', {
        query: 'SELECT TOP @limit c.id, c._etag, c.pendingEffects FROM c WHERE IS_DEFINED(c.pendingEffects)',
        parameters: [{ name: '@limit', value: top }],
      });
      let repaired = 0;
      for (const row of rows) {
        const parsed = parseStored(ZCaseWithPendingEffects, row, 'case', 'pendingEffects');
        if (parsed.pendingEffects === undefined) continue;
        await enqueuePendingEffects(parsed.id, parsed._etag, parsed.pendingEffects);
        repaired += 1;
      }
      return repaired;
    },
    get: readCase,
    async replace(value, ifMatch) {
      const parsed = parseCase(value);
      return replaceKeeping(parsed, ifMatch, await readPendingEffects(parsed.id, ifMatch));
    },
    async findCaseIdsByIdentityKey(identityKey) {
      const rows = await queryPartition('case', identityIndex, identityKey, {
        query: 'SELECT c.id FROM c WHERE c.identityKey = @identityKey AND c.id != @claimId',
        parameters: [
          { name: '@identityKey', value: identityKey },
          { name: '@claimId', value: openCaseClaimId },
        ],
      });
      const caseIds = rows.map((row) => parseStored(ZIndexRow, row, 'case', identityKey).id);
      // The index may hold stale entries; the case itself decides.
      const confirmed = await Promise.all(
        caseIds.map(async (caseId) => {
          const found = await readCase(caseId);
          return found?.value.child.identityKey === identityKey ? caseId : undefined;
        }),
      );
      return confirmed.filter((caseId): caseId is string => caseId !== undefined).sort();
    },
    async claimOpenCase(claim) {
      const parsed = parseIncoming(ZOpenCaseClaim, claim, 'case');
      const partition = parsed.identityKey;
      try {
        const response = await callCosmos('case', partition, () =>
          identityIndex.items.create({ id: openCaseClaimId, ...parsed }),
        );
        return toVersioned(response.resource, ZOpenCaseClaim, 'case', partition, claimStoreFields);
      } catch (error) {
        if (!isDomainError(error, 'alreadyExists')) throw error;
        const stored = await readItem('case', identityIndex, openCaseClaimId, partition);
        if (stored === undefined) throw error;
        return toVersioned(stored, ZOpenCaseClaim, 'case', partition, claimStoreFields);
      }
    },
    async moveOpenCaseClaim(claim, ifMatch) {
      const parsed = parseIncoming(ZOpenCaseClaim, claim, 'case');
      const response = await callCosmos('case', parsed.identityKey, () =>
        identityIndex
          .item(openCaseClaimId, parsed.identityKey)
          .replace({ id: openCaseClaimId, ...parsed }, ifMatchOption(ifMatch)),
      );
      return toVersioned(response.resource, ZOpenCaseClaim, 'case', parsed.identityKey, claimStoreFields);
    },
    async findCaseIdByReference(reference) {
      // Cross-partition, like the unit's list below: an interactive command ("visa BB-…"),
      // one indexed equality per physical partition, at most one result.
      const rows = await queryAcrossPartitions('case', cases, reference, {
        query: 'SELECT TOP 1 VALUE c.id FROM c WHERE c.reference = @reference',
        parameters: [{ name: '@reference', value: reference }],
      });
      return rows.length === 0 ? undefined : parseStored(ZCaseId, rows[0], 'case', reference);
    },
    async listIdsByUnitAndState(unitId, state, limit) {
      const top = Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
      if (top === 0) {
        return [];
      }
      // A cross-partition query on `cases` (partition key /id). Acceptable here: it serves an
      // interactive command ("boka barnteam") typed by the few conveners of a municipality, the
      // result is one unit's waiting children, and TOP bounds what is read and returned.
      const rows = await queryAcrossPartitions('case', cases, unitId, {
        query:
          'SELECT TOP @limit VALUE c.id FROM c WHERE c.unitId = @unitId AND c.state = @state ORDER BY c.id',
        parameters: [
          { name: '@limit', value: top },
          { name: '@unitId', value: unitId },
          { name: '@state', value: state },
        ],
      });
      return rows.map((row) => parseStored(ZCaseId, row, 'case', unitId));
    },
  };
}

const ZIndexRow = z.object({ id: z.string().min(1) });
const ZCaseId = z.string().min(1);

function parseCase(value: Case): Case {
  const parsed = parseIncoming(ZCase, value, 'case');
  assertStorableId('case', parsed.id);
  return parsed;
}

function createConversationStore(conversations: Container): ConversationStore {
  const storeFields = ['id'];
  return {
    async save(value) {
      const parsed = parseIncoming(ZStoredConversation, value, 'conversation');
      await callCosmos('conversation', parsed.key, () =>
        conversations.items.upsert({ ...parsed, id: toHashedDocumentId(parsed.key) }),
      );
    },
    async get(key) {
      const raw = await readItem('conversation', conversations, toHashedDocumentId(key), key);
      return raw === undefined
        ? undefined
        : toVersioned(raw, ZStoredConversation, 'conversation', key, storeFields).value;
    },
  };
}

/** A document id for a key that may hold characters Cosmos refuses in an id (`/ \ ? #`). */
function toHashedDocumentId(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Fields the Cosmos documents carry for the store's own queries, removed before parsing. */
const queueStoreFields = ['queue', 'active', 'dueKey', 'ttl'];

function createOutboxStore(outbox: Container, finishedTtl: number): OutboxStore {
  function toDocument(message: OutboxMessage): ItemDefinition {
    const parsed = parseIncoming(ZOutboxMessage, message, 'outbox');
    assertStorableId('outbox', parsed.id);
    return {
      ...parsed,
      queue: outboxQueue,
      active: isOutboxActive(parsed),
      dueKey: toOutboxDueKey(parsed),
      // Delivered and dropped messages are finished; parked ones stay until an admin has dealt with them.
      ...(parsed.status === 'delivered' || parsed.status === 'dropped' ? { ttl: finishedTtl } : {}),
    };
  }

  return {
    async enqueue(message) {
      return createIfAbsent('outbox', outbox, message.id, toDocument(message));
    },
    async get(id) {
      const raw = await readItem('outbox', outbox, id, outboxQueue);
      return raw === undefined ? undefined : toVersioned(raw, ZOutboxMessage, 'outbox', id, queueStoreFields);
    },
    async listDue(now, limit) {
      const rows = await queryPartition('outbox', outbox, outboxQueue, dueQuery(now, limit));
      return rows.map((row) => toVersioned(row, ZOutboxMessage, 'outbox', outboxQueue, queueStoreFields));
    },
    async replace(message, ifMatch) {
      const document = toDocument(message);
      const response = await callCosmos('outbox', message.id, () =>
        outbox.item(message.id, outboxQueue).replace(document, ifMatchOption(ifMatch)),
      );
      return toVersioned(response.resource, ZOutboxMessage, 'outbox', message.id, queueStoreFields);
    },
  };
}

/** Creates the document unless one with its id exists; `false` means it was there already. */
async function createIfAbsent(
  kind: StoredKind,
  container: Container,
  id: string,
  document: ItemDefinition,
): Promise<boolean> {
  try {
    await callCosmos(kind, id, () => container.items.create(document));
    return true;
  } catch (error) {
    if (isDomainError(error, 'alreadyExists')) return false;
    throw error;
  }
}

function createReminderStore(reminders: Container, finishedTtl: number): ReminderStore {
  function toDocument(reminder: Reminder): ItemDefinition {
    const parsed = parseIncoming(ZReminder, reminder, 'reminder');
    assertStorableId('reminder', parsed.id);
    return {
      ...parsed,
      queue: reminderQueue,
      active: isReminderActive(parsed),
      dueKey: toReminderDueKey(parsed),
      ...(isReminderActive(parsed) ? {} : { ttl: finishedTtl }),
    };
  }

  return {
    async schedule(reminder) {
      return createIfAbsent('reminder', reminders, reminder.id, toDocument(reminder));
    },
    async get(id) {
      const raw = await readItem('reminder', reminders, id, reminderQueue);
      return raw === undefined ? undefined : toVersioned(raw, ZReminder, 'reminder', id, queueStoreFields);
    },
    async listDue(now, limit) {
      const rows = await queryPartition('reminder', reminders, reminderQueue, dueQuery(now, limit));
      return rows.map((row) => toVersioned(row, ZReminder, 'reminder', reminderQueue, queueStoreFields));
    },
    async replace(reminder, ifMatch) {
      const document = toDocument(reminder);
      const response = await callCosmos('reminder', reminder.id, () =>
        reminders.item(reminder.id, reminderQueue).replace(document, ifMatchOption(ifMatch)),
      );
      return toVersioned(response.resource, ZReminder, 'reminder', reminder.id, queueStoreFields);
    },
    async listForCase(caseId) {
      const rows = await queryPartition('reminder', reminders, reminderQueue, {
        query: 'SELECT * FROM c WHERE c.caseId = @caseId ORDER BY c.dueKey',
        parameters: [{ name: '@caseId', value: caseId }],
      });
      return rows.map((row) => toVersioned(row, ZReminder, 'reminder', caseId, queueStoreFields));
    },
  };
}

function dueQuery(now: Date, limit: number): SqlQuerySpec {
  return {
    query: 'SELECT TOP @limit * FROM c WHERE c.active = true AND c.dueKey <= @now ORDER BY c.dueKey',
    parameters: [
      { name: '@limit', value: limit },
      { name: '@now', value: now.toISOString() },
    ],
  };
}

function createAuditLog(audit: Container, auditTtl: number): AuditLog {
  const storeFields = ['atKey', 'ttl'];
  return {
    async append(entry) {
      const parsed = parseIncoming(ZAuditEntry, entry, 'audit');
      assertStorableId('audit', parsed.id);
      try {
        await callCosmos('audit', parsed.id, () =>
          audit.items.create({ ...parsed, atKey: toSortKey(parsed.at), ttl: auditTtl }),
        );
      } catch (error) {
        if (!isDomainError(error, 'alreadyExists')) {
          throw error;
        }
        await assertSameAuditEntry(audit, parsed, storeFields);
      }
    },
    async listForCase(caseId) {
      const rows = await queryPartition('audit', audit, caseId, {
        query: 'SELECT * FROM c WHERE c.caseId = @caseId ORDER BY c.atKey',
        parameters: [{ name: '@caseId', value: caseId }],
      });
      return rows.map((row) => toVersioned(row, ZAuditEntry, 'audit', caseId, storeFields).value);
    },
    async listBetween(window) {
      const keys = toAuditWindowKeys(window);
      const take = keys.limit + 1;
      const read = async (where: string, orderBy: string, count: number, parameters: SqlParameter[]) =>
        (
          await queryAcrossPartitions('audit', audit, 'listBetween', {
            query: `SELECT TOP @take * FROM c WHERE ${where} ORDER BY ${orderBy}`,
            parameters: [{ name: '@take', value: count }, ...parameters],
          })
        ).map((row) => toVersioned(row, ZAuditEntry, 'audit', 'listBetween', storeFields).value);
      // Across every case's partition: request units grow with the window, which a review run
      // by a person or the weekly job can afford. Cosmos sorts across partitions on one field
      // without a composite index (and the local test server on one field only), so the page
      // is put together from one-field queries: the rest of the instant the previous page
      // ended in, by id; the later instants, by time; and the instant a full page ends in, by id
      // again, since TOP may cut that instant anywhere.
      const rows: AuditEntry[] = [];
      if (keys.afterKey !== '') {
        rows.push(
          ...(await read(
            'c.atKey = @key AND c.id > @afterId AND c.atKey >= @from AND c.atKey < @to',
            'c.id',
            take,
            [
              { name: '@key', value: keys.afterKey },
              { name: '@afterId', value: keys.afterId },
              { name: '@from', value: keys.fromKey },
              { name: '@to', value: keys.toKey },
            ],
          )),
        );
      }
      if (rows.length < take) {
        const lowerKey = keys.afterKey === '' || keys.afterKey < keys.fromKey ? keys.fromKey : keys.afterKey;
        const lowerOperator = keys.afterKey === '' || keys.afterKey < keys.fromKey ? '>=' : '>';
        const need = take - rows.length;
        const later = await read(`c.atKey ${lowerOperator} @lower AND c.atKey < @to`, 'c.atKey', need, [
          { name: '@lower', value: lowerKey },
          { name: '@to', value: keys.toKey },
        ]);
        const last = later.at(-1);
        const lastKey = last === undefined ? undefined : toSortKey(last.at);
        if (later.length < need || lastKey === undefined) {
          rows.push(...later);
        } else {
          const before = later.filter((entry) => toSortKey(entry.at) !== lastKey);
          rows.push(...before);
          rows.push(
            ...(await read('c.atKey = @key', 'c.id', need - before.length, [
              { name: '@key', value: lastKey },
            ])),
          );
        }
      }
      rows.sort(compareAuditOrder);
      return toAuditPage(rows.slice(0, take), keys.limit);
    },
  };
}

/**
 * Appending the same entry twice (a retry after a lost answer) is harmless; a different entry
 * under an existing id is refused rather than silently dropped.
 */
async function assertSameAuditEntry(
  audit: Container,
  entry: AuditEntry,
  storeFields: string[],
): Promise<void> {
  const raw = await readItem('audit', audit, entry.id, entry.caseId);
  const stored =
    raw === undefined ? undefined : toVersioned(raw, ZAuditEntry, 'audit', entry.id, storeFields).value;
  if (!isDeepStrictEqual(stored, entry)) {
    throw createAlreadyExistsError('audit', entry.id);
  }
}

function createActivityLedger(activities: Container): ActivityLedger {
  return {
    async record(entry) {
      const parsed = parseIncoming(ZActivityRecord, entry, 'activity');
      const documentId = toHashedDocumentId(parsed.id);
      return createIfAbsent('activity', activities, documentId, {
        ...parsed,
        id: documentId,
        activityId: parsed.id,
        ttl: toActivityTtlSeconds(parsed.handledAt, parsed.expiresAt),
      });
    },
  };
}

/**
 * Cosmos counts `ttl` from the document's last write, which is about `handledAt`. At least one
 * second, because 0 is not a valid `ttl` and a record must outlive its own write.
 */
function toActivityTtlSeconds(handledAt: string, expiresAt: string): number {
  const milliseconds = Date.parse(expiresAt) - Date.parse(handledAt);
  return Math.max(1, Math.ceil(milliseconds / 1000));
}

/** Fields the meeting documents carry for the store's own queries, removed before parsing. */
const meetingStoreFields = ['startKey', 'agendaCaseIds'];

function createMeetingStore(meetings: Container): MeetingStore {
  function toDocument(value: BarnteamMeeting): ItemDefinition & BarnteamMeeting {
    const parsed = parseIncoming(ZBarnteamMeeting, value, 'meeting');
    assertStorableId('meeting', parsed.id);
    return {
      ...parsed,
      startKey: toSortKey(parsed.start),
      agendaCaseIds: [...new Set(parsed.agenda.map((item) => item.caseId))],
    };
  }

  function toMeetings(rows: unknown[], id: string): Versioned<BarnteamMeeting>[] {
    return rows
      .map((row) => toVersioned(row, ZBarnteamMeeting, 'meeting', id, meetingStoreFields))
      .sort(compareMeetingsByStart);
  }

  return {
    async create(value) {
      const document = toDocument(value);
      const response = await callCosmos('meeting', document.id, () => meetings.items.create(document));
      return toVersioned(response.resource, ZBarnteamMeeting, 'meeting', document.id, meetingStoreFields);
    },
    async get(id) {
      const raw = await readItem('meeting', meetings, id, id);
      return raw === undefined
        ? undefined
        : toVersioned(raw, ZBarnteamMeeting, 'meeting', id, meetingStoreFields);
    },
    async replace(value, ifMatch) {
      const document = toDocument(value);
      const response = await callCosmos('meeting', document.id, () =>
        meetings.item(document.id, document.id).replace(document, ifMatchOption(ifMatch)),
      );
      return toVersioned(response.resource, ZBarnteamMeeting, 'meeting', document.id, meetingStoreFields);
    },
    async listForCase(caseId) {
      const rows = await queryAcrossPartitions('meeting', meetings, caseId, {
        query: 'SELECT * FROM c WHERE ARRAY_CONTAINS(c.agendaCaseIds, @caseId)',
        parameters: [{ name: '@caseId', value: caseId }],
      });
      return toMeetings(rows, caseId);
    },
    async listForUnit(unitId, fromInstant) {
      const fromKey = toSortKey(parseIncoming(ZInstant, fromInstant, 'meeting'));
      const rows = await queryAcrossPartitions('meeting', meetings, unitId, {
        query: 'SELECT * FROM c WHERE c.unitId = @unitId AND c.startKey >= @fromKey',
        parameters: [
          { name: '@unitId', value: unitId },
          { name: '@fromKey', value: fromKey },
        ],
      });
      return toMeetings(rows, unitId);
    },
  };
}

/**
 * Start order, then id, as SQLite answers. Sorted here rather than with `ORDER BY`: a
 * cross-partition ORDER BY on two properties needs a composite index, and the lists are short.
 */
function compareMeetingsByStart(a: Versioned<BarnteamMeeting>, b: Versioned<BarnteamMeeting>): number {
  return (
    compareText(toSortKey(a.value.start), toSortKey(b.value.start)) || compareText(a.value.id, b.value.id)
  );
}

/** Binary order, as SQLite compares text (not the locale's order). */
function compareText(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function ifMatchOption(etag: string): RequestOptions {
  return { accessCondition: { type: 'IfMatch', condition: etag } };
}

const systemFields = ['_rid', '_self', '_ts', '_attachments', '_etag'];

/**
 * Turns a Cosmos document into a validated domain value and its ETag. The document is
 * external input: system and store-only fields are removed and the rest must pass the schema.
 */
function toVersioned<S extends z.ZodTypeAny>(
  raw: unknown,
  schema: S,
  kind: StoredKind,
  id: string,
  storeFields: readonly string[],
): Versioned<z.output<S>> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw createStorageUnavailableError(kind, 'corruptDocument', { id });
  }
  const document = raw as Record<string, unknown>;
  const documentId = typeof document.id === 'string' ? document.id : id;
  const etag = document._etag;
  if (typeof etag !== 'string' || etag.length === 0) {
    throw createStorageUnavailableError(kind, 'missingEtag', { id: documentId });
  }
  const body = Object.fromEntries(
    Object.entries(document).filter(
      ([field]) => !systemFields.includes(field) && !storeFields.includes(field),
    ),
  );
  return { value: parseStored(schema, body, kind, documentId), etag };
}

async function readItem(
  kind: StoredKind,
  container: Container,
  id: string,
  partitionKey: string,
): Promise<unknown> {
  try {
    const response = await callCosmos(kind, id, () => container.item(id, partitionKey).read());
    return response.statusCode === 404 ? undefined : (response.resource as unknown);
  } catch (error) {
    if (isDomainError(error, 'notFound')) {
      return undefined;
    }
    throw error;
  }
}

async function queryPartition(
  kind: StoredKind,
  container: Container,
  partitionKey: string,
  query: SqlQuerySpec,
): Promise<unknown[]> {
  const response = await callCosmos(kind, partitionKey, () =>
    container.items.query<unknown>(query, { partitionKey }).fetchAll(),
  );
  return response.resources;
}

/**
 * A query over every partition; only for containers whose documents are few (meetings) or a
 * query bounded by TOP (a unit's cases in one state).
 */
async function queryAcrossPartitions(
  kind: StoredKind,
  container: Container,
  id: string,
  query: SqlQuerySpec,
): Promise<unknown[]> {
  const response = await callCosmos(kind, id, () => container.items.query<unknown>(query).fetchAll());
  return response.resources;
}

/** Runs one SDK call and turns its failure into the domain error the ports promise. */
async function callCosmos<T>(kind: StoredKind, id: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (isDomainError(error)) {
      throw error;
    }
    const status = readStatusCode(error);
    switch (status) {
      case 404:
        throw createNotFoundError(kind, id);
      case 409:
        throw createAlreadyExistsError(kind, id);
      case 412:
        throw createConcurrencyConflictError(kind, id);
      default:
        throw createStorageUnavailableError(
          kind,
          status === undefined ? 'cosmosUnreachable' : `cosmos${status}`,
          {
            id,
          },
        );
    }
  }
}

function readStatusCode(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number') {
    return error.code;
  }
  return undefined;
}
