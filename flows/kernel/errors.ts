/**
 * One error type for the domain. Each code maps to one Swedish user message at the edge
 * (bot/), so the domain never has to know how a message is shown.
 */
export const domainErrorCodes = [
  'transitionRefused',
  'accessDenied',
  'invalidIdentityNumber',
  'invalidInput',
  'notFound',
  'alreadyExists',
  'concurrencyConflict',
  'routingImpossible',
  'storageUnavailable',
] as const;

export type DomainErrorCode = (typeof domainErrorCodes)[number];

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    /** A Swedish explanation that is safe to show to the user: never a name or identity number. */
    message: string,
    readonly details: Readonly<Record<string, string | number | boolean>> = {},
  ) {
    super(message);
  }
}

export function isDomainError(error: unknown, code?: DomainErrorCode): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}
