/**
 * Rules both stores apply to documents on the way in and out, so that code written against
 * the embedded store behaves the same on Cosmos DB.
 */
import type { z } from 'zod';
import type { OutboxMessage, Reminder } from '../../flows/kernel/ports.js';
import {
  createInvalidDocumentError,
  createStorageUnavailableError,
  type StoredKind,
} from './store-errors.js';

/**
 * Cosmos DB refuses `/`, `\`, `?` and `#` in an id (and control characters break its URLs).
 * The embedded store refuses them too, so that an id that works locally also works in Azure.
 */
const unstorableIdCharacters = /[/\\?#]/;

export function assertStorableId(kind: StoredKind, id: string): void {
  if (id.length === 0 || unstorableIdCharacters.test(id) || hasControlCharacter(id) || id !== id.trim()) {
    throw createInvalidDocumentError(kind, 'unstorableId');
  }
}

/** Validates a document before it is written; the reason names the field, never its value. */
export function parseIncoming<T extends z.ZodTypeAny>(
  schema: T,
  value: unknown,
  kind: StoredKind,
): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw createInvalidDocumentError(kind, describeFirstIssue(result.error));
  }
  return result.data;
}

/**
 * Validates a document read back from storage. A row that no longer matches the schema is an
 * error, not something to pass on: the caller would act on data nobody validated.
 */
export function parseStored<T extends z.ZodTypeAny>(
  schema: T,
  raw: unknown,
  kind: StoredKind,
  id: string,
): z.output<T> {
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw createStorageUnavailableError(kind, 'corruptDocument', {
      id,
      field: describeFirstIssue(result.error),
    });
  }
  return result.data;
}

/** Reads stored JSON text; unparsable text is a corrupt document like any other. */
export function parseStoredJson(text: string, kind: StoredKind, id: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw createStorageUnavailableError(kind, 'corruptDocument', { id, field: 'json' });
  }
}

/**
 * ISO instants may carry any number of fractional digits, and `…:00Z` sorts after
 * `…:00.000Z` as text although they are the same instant. Due-time queries therefore compare
 * this normalised key (always milliseconds), never the instant as written.
 */
export function toSortKey(instant: string): string {
  return new Date(instant).toISOString();
}

/** Pending and `sending` messages are still the sender's business; the rest are finished. */
export function isOutboxActive(message: OutboxMessage): boolean {
  return message.status === 'pending' || message.status === 'sending';
}

/** When a message becomes due: its next attempt, or for a claimed one, when the claim runs out. */
export function toOutboxDueKey(message: OutboxMessage): string {
  const claimEnd = message.status === 'sending' ? message.claimedUntil : undefined;
  return toSortKey(claimEnd ?? message.nextAttemptAt);
}

export function isReminderActive(reminder: Reminder): boolean {
  return reminder.status === 'scheduled' || reminder.status === 'claimed';
}

/** When a reminder becomes due: its due time, or for a claimed one, when the claim runs out. */
export function toReminderDueKey(reminder: Reminder): string {
  const claimEnd = reminder.status === 'claimed' ? reminder.claimedUntil : undefined;
  return toSortKey(claimEnd ?? reminder.dueAt);
}

function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) {
      return true;
    }
  }
  return false;
}

function describeFirstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) {
    return 'unknown';
  }
  const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  return `${path}:${issue.code}`;
}
