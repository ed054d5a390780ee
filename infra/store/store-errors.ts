/**
 * The domain errors both stores raise, with one Swedish message each, so that SQLite and
 * Cosmos DB fail in the same words. Messages and details carry ids only, never document
 * content: a case document holds a child's name and identity number.
 */
import { DomainError } from '../../flows/kernel/errors.js';

/** What kind of document a store was handling, for error details and messages. */
export type StoredKind =
  | 'case'
  | 'conversation'
  | 'outbox'
  | 'reminder'
  | 'audit'
  | 'activity'
  | 'meeting'
  | 'figure';

const conflictMessages: Record<StoredKind, string> = {
  case: 'Ärendet har ändrats av någon annan sedan du öppnade det. Visa ärendet igen och försök på nytt.',
  conversation: 'Konversationen har ändrats av någon annan. Försök på nytt.',
  outbox: 'Meddelandet hanteras redan av en annan instans.',
  reminder: 'Påminnelsen hanteras redan av en annan instans.',
  audit: 'Loggposten har ändrats av någon annan.',
  activity: 'Aktiviteten har redan hanterats.',
  meeting: 'Mötet har ändrats av någon annan sedan du öppnade det. Visa mötet igen och försök på nytt.',
  figure: 'Uppföljningssiffrorna räknas just nu av en annan instans. Försök på nytt.',
};

export function createAlreadyExistsError(kind: StoredKind, id: string): DomainError {
  return new DomainError('alreadyExists', 'Det finns redan en post med samma id.', { kind, id });
}

export function createConcurrencyConflictError(kind: StoredKind, id: string): DomainError {
  return new DomainError('concurrencyConflict', conflictMessages[kind], { kind, id });
}

export function createNotFoundError(kind: StoredKind, id: string): DomainError {
  return new DomainError('notFound', 'Posten finns inte längre.', { kind, id });
}

/**
 * Storage failed or returned something we cannot trust. `reason` is a short fixed code
 * (never an SDK message: those can echo a document back).
 */
export function createStorageUnavailableError(
  kind: StoredKind,
  reason: string,
  details: Readonly<Record<string, string | number | boolean>> = {},
): DomainError {
  return new DomainError(
    'storageUnavailable',
    'Lagringen går inte att nå just nu. Försök igen om en stund.',
    {
      kind,
      reason,
      ...details,
    },
  );
}

export function createInvalidDocumentError(kind: StoredKind, reason: string): DomainError {
  return new DomainError('invalidInput', 'Uppgifterna kunde inte sparas eftersom de inte är giltiga.', {
    kind,
    reason,
  });
}
