/**
 * Turns a failed proactive send into the `SendResult` the dispatcher acts on, and a result
 * into the short `lastError` code stored on the message. Kept apart from `bot/` so that the
 * retry policy (docs/security.md 13) is decided, documented and tested in one place.
 */
import type { SendResult, SendStatus } from '../../flows/kernel/message-sender.js';

/** What a sender knows about a failed send, whichever SDK produced it. */
export interface DeliveryFailure {
  /** HTTP status from the Bot Connector, when it answered. */
  readonly status?: number;
  /** From a 429's Retry-After header, in milliseconds (see `parseRetryAfterMs`). */
  readonly retryAfterMs?: number;
  /** The target was refused before anything left the machine (outbound allow-list, broken reference). */
  readonly refused?: boolean;
  /** No answer arrived in time: the request may or may not have reached Teams. */
  readonly timedOut?: boolean;
  /** The Bot Connector's error code, e.g. `BotNotInConversationRoster`. */
  readonly code?: string;
}

/** Statuses after which Teams certainly did not take the message, or says to come back. */
const retryableStatuses = new Set([401, 412, 429, 502, 503, 504]);

/**
 * Maps a failure to a `SendResult` following the table on `SendResult`: 429/412/502/503/504,
 * 401, 500 and timeouts are retried with backoff; other 4xx and refusals are permanent; a
 * failure with neither status nor timeout is a connection that never opened.
 */
export function classifyDeliveryFailure(failure: DeliveryFailure): SendResult {
  if (failure.refused === true) {
    return { outcome: 'permanent', status: 'refused', reason: toReasonCode(failure.code, 'refused') };
  }
  const { status } = failure;
  if (status === undefined) {
    return { outcome: 'retryable', status: failure.timedOut === true ? 'timeout' : 'connectionFailed' };
  }
  if (status === 429) {
    return failure.retryAfterMs === undefined
      ? { outcome: 'retryable', status }
      : { outcome: 'retryable', status, retryAfterMs: failure.retryAfterMs };
  }
  if (retryableStatuses.has(status) || status >= 500) {
    return { outcome: 'retryable', status };
  }
  if (status >= 200 && status < 300) {
    return { outcome: 'delivered' };
  }
  return { outcome: 'permanent', status, reason: toReasonCode(failure.code, `http${status}`) };
}

/**
 * Whether a retry could duplicate a message that did arrive (the request may have been
 * processed). Logged so that a support person can explain a double notice.
 */
export function isAmbiguousStatus(status: SendStatus): boolean {
  return status === 'timeout' || status === 500;
}

/** The `lastError` stored on a message: codes and statuses only, never payload text. */
export function describeSendResult(result: SendResult): string {
  switch (result.outcome) {
    case 'delivered':
      return 'delivered';
    case 'retryable':
      return `retryable:${result.status}`;
    case 'permanent':
      return `permanent:${result.status}:${toReasonCode(result.reason, 'unknown')}`;
    case 'unreachable':
      return 'unreachable';
    case 'dropped':
      return `dropped:${toReasonCode(result.reason, 'unknown')}`;
  }
}

/**
 * Accepts a reason only if it already is a short identifier (`BotNotInConversationRoster`);
 * anything else (a sentence a server echoed, a number) becomes `fallback`, so that no text from
 * outside reaches storage or logs.
 */
export function toReasonCode(value: string | undefined, fallback: string): string {
  return value !== undefined && /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(value) && !/\d{6}/.test(value)
    ? value
    : fallback;
}
