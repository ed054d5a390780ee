/**
 * The retention sweep's deletes on Cosmos DB. A case lives in several containers and Cosmos has
 * no transaction across them (nor the local test server a transactional batch), so the erasure
 * is a sequence of deletes that are each harmless to repeat, with the case document last: while
 * it exists the case still lists as closed, and the next sweep finishes what a crash cut short.
 *
 * Only the access-log deletes and the closed-case listing cross partitions; both run from the
 * daily sweep, bounded by TOP. The case's own deletes are point operations or single-partition
 * queries (outbox and reminders have one partition each), apart from the Barnteam meetings'
 * `ARRAY_CONTAINS` lookup, which `cosmos-stores.ts` explains.
 *
 * No `ttl` on case documents: a case that expired on its own would leave its claim, outbox
 * messages, reminders and agenda lines behind. Audit entries carry a `ttl` as a backstop
 * (`cosmos-stores.ts`); this sweep is what the product relies on (docs/operations.md).
 */
import { createHash } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import { ZInstant } from '../../flows/kernel/case.js';
import { isDomainError } from '../../flows/kernel/errors.js';
import { toTeamkanalKey } from '../../flows/kernel/notices.js';
import type { ErasureStore } from '../../flows/kernel/ports.js';
import { closedStates } from '../../flows/kernel/transitions.js';
import { type CosmosContainers, outboxQueue, reminderQueue } from './cosmos-containers.js';
import { parseIncoming, toSortKey } from './store-documents.js';
import {
  createConcurrencyConflictError,
  createNotFoundError,
  createStorageUnavailableError,
  type StoredKind,
} from './store-errors.js';

/** The fields of a stored case the erasure needs; the rest of the document is not read. */
const ZErasedCase = z
  .object({
    child: z.object({ identityKey: z.string().min(1).optional() }).passthrough(),
    individuelltBarnteam: z
      .object({
        channel: z
          .object({ conversationKey: z.string().min(1) })
          .passthrough()
          .optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();

const ZIdRow = z.object({ id: z.string().min(1) }).passthrough();
const ZAuditRow = z.object({ id: z.string().min(1), caseId: z.string().min(1) }).passthrough();
const ZSettledRow = z.object({ id: z.string().min(1), createdAt: ZInstant }).passthrough();
const ZMeetingDocument = z
  .object({
    id: z.string().min(1),
    _etag: z.string().min(1),
    agenda: z.array(z.object({ caseId: z.string() }).passthrough()),
  })
  .passthrough();
const ZIdentityRow = z.object({ identityKey: z.string().min(1) }).passthrough();
const ZClaim = z.object({ caseId: z.string().min(1), _etag: z.string().min(1) }).passthrough();

const openCaseClaimId = 'oppetArende';
const systemFields = ['_rid', '_self', '_ts', '_attachments', '_etag'];
const meetingWriteTries = 5;

export function createCosmosErasureStore(containers: CosmosContainers): ErasureStore {
  const { cases, identityIndex, conversations, outbox, reminders, meetings, audit } = containers;

  async function deleteAll(kind: StoredKind, container: Container, partition: string, ids: string[]) {
    for (const id of ids) await deleteIfPresent(kind, container, id, partition);
  }

  async function eraseMeetingLines(caseId: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const rows = await query('meeting', meetings, undefined, {
        query: 'SELECT * FROM c WHERE ARRAY_CONTAINS(c.agendaCaseIds, @caseId)',
        parameters: [{ name: '@caseId', value: caseId }],
      });
      try {
        for (const row of rows) {
          const meeting = parse(ZMeetingDocument, row, 'meeting');
          const agenda = meeting.agenda.filter((item) => item.caseId !== caseId);
          const body = Object.fromEntries(
            Object.entries(meeting).filter(([field]) => !systemFields.includes(field)),
          );
          const document = {
            ...body,
            agenda,
            agendaCaseIds: [...new Set(agenda.map((item) => item.caseId))],
          };
          await call('meeting', () =>
            meetings
              .item(meeting.id, meeting.id)
              .replace(document, { accessCondition: { type: 'IfMatch', condition: meeting._etag } }),
          );
        }
        return;
      } catch (error) {
        // A convener changed the meeting meanwhile: read it again and remove the line from that.
        if (!isDomainError(error, 'concurrencyConflict') || attempt === meetingWriteTries) throw error;
      }
    }
  }

  /**
   * Every identity partition that names the case: its current key, and the keys it had before a
   * corrected identity number (their index entries stay behind when the case is rewritten). Found
   * across partitions, as only this nightly job does: no lookup can reach an erased case through
   * them, but they are still a keyed trace of the child.
   */
  async function findIdentityKeys(caseId: string, currentKey: string | undefined): Promise<string[]> {
    const rows = await query('case', identityIndex, undefined, {
      query: 'SELECT c.identityKey FROM c WHERE c.id = @caseId OR (c.id = @claimId AND c.caseId = @caseId)',
      parameters: [
        { name: '@caseId', value: caseId },
        { name: '@claimId', value: openCaseClaimId },
      ],
    });
    const keys = rows.map((row) => parse(ZIdentityRow, row, 'case').identityKey);
    return [...new Set([...(currentKey === undefined ? [] : [currentKey]), ...keys])];
  }

  async function eraseIdentity(caseId: string, identityKey: string): Promise<void> {
    await deleteIfPresent('case', identityIndex, caseId, identityKey);
    const claim = await read('case', identityIndex, openCaseClaimId, identityKey);
    if (claim === undefined) return;
    const parsed = parse(ZClaim, claim, 'case');
    if (parsed.caseId !== caseId) return;
    try {
      await call('case', () =>
        identityIndex
          .item(openCaseClaimId, identityKey)
          .delete({ accessCondition: { type: 'IfMatch', condition: parsed._etag } }),
      );
    } catch (error) {
      // Moved to another case of the child meanwhile, or gone: either way no longer this case's.
      if (!isDomainError(error, 'concurrencyConflict') && !isDomainError(error, 'notFound')) throw error;
    }
  }

  return {
    async listClosedCaseIds(limit, after) {
      const top = Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
      if (top === 0) return [];
      const rows = await query('case', cases, undefined, {
        query:
          'SELECT TOP @limit VALUE c.id FROM c WHERE ARRAY_CONTAINS(@states, c.state) AND c.id > @after ORDER BY c.id',
        parameters: [
          { name: '@limit', value: top },
          { name: '@states', value: [...closedStates] },
          { name: '@after', value: after ?? '' },
        ],
      });
      return rows.map((row) => parse(z.string().min(1), row, 'case'));
    },
    async eraseCase(caseId) {
      const raw = await read('case', cases, caseId, caseId);
      const stored = raw === undefined ? undefined : ZErasedCase.safeParse(raw);
      const caseValue = stored?.success === true ? stored.data : undefined;
      const teamKey = toTeamkanalKey(caseId);

      const messages = await query('outbox', outbox, outboxQueue, {
        query:
          'SELECT c.id FROM c WHERE c.caseId = @caseId OR c.payload.caseId = @caseId OR c.recipientKey = @teamKey',
        parameters: [
          { name: '@caseId', value: caseId },
          { name: '@teamKey', value: teamKey },
        ],
      });
      await deleteAll(
        'outbox',
        outbox,
        outboxQueue,
        messages.map((row) => parse(ZIdRow, row, 'outbox').id),
      );
      const due = await query('reminder', reminders, reminderQueue, {
        query: 'SELECT c.id FROM c WHERE c.caseId = @caseId',
        parameters: [{ name: '@caseId', value: caseId }],
      });
      await deleteAll(
        'reminder',
        reminders,
        reminderQueue,
        due.map((row) => parse(ZIdRow, row, 'reminder').id),
      );
      for (const key of [teamKey, caseValue?.individuelltBarnteam?.channel?.conversationKey]) {
        if (key !== undefined)
          await deleteIfPresent('conversation', conversations, toHashedDocumentId(key), key);
      }
      await eraseMeetingLines(caseId);
      for (const identityKey of await findIdentityKeys(caseId, caseValue?.child.identityKey)) {
        await eraseIdentity(caseId, identityKey);
      }
      if (raw === undefined) return false;
      await deleteIfPresent('case', cases, caseId, caseId);
      return true;
    },
    async deleteSettledCaselessMessagesBefore(before, limit) {
      const top = Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
      if (top === 0) return 0;
      const beforeKey = toSortKey(parseIncoming(ZInstant, before, 'outbox'));
      // One partition (the outbox queue), and few such messages: judged by their time here.
      const rows = await query('outbox', outbox, outboxQueue, {
        query:
          'SELECT c.id, c.createdAt FROM c WHERE NOT IS_DEFINED(c.caseId) AND NOT IS_DEFINED(c.payload.caseId) AND ARRAY_CONTAINS(@settled, c.status)',
        parameters: [{ name: '@settled', value: ['delivered', 'dropped'] }],
      });
      let deleted = 0;
      for (const row of rows) {
        if (deleted === top) break;
        const message = parse(ZSettledRow, row, 'outbox');
        if (toSortKey(message.createdAt) >= beforeKey) continue;
        if (await deleteIfPresent('outbox', outbox, message.id, outboxQueue)) deleted += 1;
      }
      return deleted;
    },
    async deleteAuditEntriesBefore(before, limit) {
      const top = Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
      if (top === 0) return 0;
      const beforeKey = toSortKey(parseIncoming(ZInstant, before, 'audit'));
      const rows = await query('audit', audit, undefined, {
        query: 'SELECT TOP @limit c.id, c.caseId FROM c WHERE c.atKey < @before ORDER BY c.atKey',
        parameters: [
          { name: '@limit', value: top },
          { name: '@before', value: beforeKey },
        ],
      });
      let deleted = 0;
      for (const row of rows) {
        const entry = parse(ZAuditRow, row, 'audit');
        if (await deleteIfPresent('audit', audit, entry.id, entry.caseId)) deleted += 1;
      }
      return deleted;
    },
  };
}

/** The conversation document's id, as `cosmos-stores.ts` derives it from the key. */
function toHashedDocumentId(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function parse<S extends z.ZodTypeAny>(schema: S, raw: unknown, kind: StoredKind): z.output<S> {
  const result = schema.safeParse(raw);
  if (!result.success) throw createStorageUnavailableError(kind, 'corruptDocument');
  return result.data;
}

async function query(
  kind: StoredKind,
  container: Container,
  partitionKey: string | undefined,
  spec: { query: string; parameters: { name: string; value: string | number | string[] }[] },
): Promise<unknown[]> {
  const response = await call(kind, () =>
    container.items.query<unknown>(spec, partitionKey === undefined ? {} : { partitionKey }).fetchAll(),
  );
  return response.resources;
}

async function read(kind: StoredKind, container: Container, id: string, partition: string) {
  try {
    const response = await call(kind, () => container.item(id, partition).read());
    return response.statusCode === 404 ? undefined : (response.resource as unknown);
  } catch (error) {
    if (isDomainError(error, 'notFound')) return undefined;
    throw error;
  }
}

/** Deletes the item; `false` when it was not there (an erasure repeated). */
async function deleteIfPresent(
  kind: StoredKind,
  container: Container,
  id: string,
  partition: string,
): Promise<boolean> {
  try {
    await call(kind, () => container.item(id, partition).delete());
    return true;
  } catch (error) {
    if (isDomainError(error, 'notFound')) return false;
    throw error;
  }
}

/** One SDK call; failures become domain errors with the status code only, as in `cosmos-stores.ts`. */
async function call<T>(kind: StoredKind, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number'
        ? error.code
        : undefined;
    if (code === 404) throw createNotFoundError(kind, 'erasure');
    if (code === 412) throw createConcurrencyConflictError(kind, 'erasure');
    throw createStorageUnavailableError(kind, code === undefined ? 'cosmosUnreachable' : `cosmos${code}`);
  }
}
