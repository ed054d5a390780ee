/**
 * The port the outbox dispatcher sends through. `bot/` implements it with the Bot Framework
 * (CloudAdapter.continueConversationAsync); tests implement it with a scripted fake. The
 * dispatcher decides when and whether to try again; the sender only says what happened.
 */
import type { OutboxMessage, StoredConversation } from './ports.js';

/**
 * What the Bot Connector answered, or `timeout` when no answer came in time (the request may
 * have arrived), or `connectionFailed` when it never left (DNS, refused connection, TLS).
 */
export type SendStatus = number | 'timeout' | 'connectionFailed';

/**
 * The outcome of one send. Implementations map the Bot Connector's answers like this (the
 * dispatcher relies on it, see `classifyDeliveryFailure` in `infra/outbox/delivery-errors.ts`):
 *
 * - 2xx → `delivered`.
 * - 429 → `retryable` with `retryAfterMs` from the Retry-After header (seconds or HTTP-date).
 *   Teams refused the message, so a retry cannot duplicate it; the dispatcher waits at least
 *   that long and pauses the whole conversation meanwhile.
 * - 412, 502, 503, 504, `connectionFailed` → `retryable`: backoff with full jitter.
 * - 500 and `timeout` → `retryable`, with backoff (never at once), within the same bounded
 *   number of attempts. Sending an activity is not idempotent, so these may duplicate a message
 *   that did arrive. We accept that rather than park: a lost "ny upptäckt" leaves a child's case
 *   waiting unseen, while a duplicate is harmless because every card action is conditional on
 *   the case's ETag (the second card refreshes to the current state) and the send carries the
 *   outbox id so a duplicate can be recognised. The Bot Connector offers no way to ask whether
 *   an activity arrived, so there is nothing better to check first.
 * - 401 → `retryable`: our credentials are wrong for every message alike; parking each one
 *   would bury the queue while operators fix the configuration. Attempts stay bounded.
 * - 403 (e.g. BotNotInConversationRoster: the app is not installed for the user, or the user
 *   blocked the bot), 404 (conversation gone), other 4xx, and a target refused before sending
 *   (serviceUrl not allowed, broken stored reference) → `permanent`: retrying cannot help, the
 *   message is parked and an admin is told.
 * - No stored conversation reference for the recipient → `unreachable`: the message waits.
 * - The message no longer applies when it is about to go out → `dropped`: final, nothing sent.
 */
export type SendResult =
  | { readonly outcome: 'delivered' }
  | {
      readonly outcome: 'retryable';
      readonly status: SendStatus;
      /** The server's minimum wait, already converted to milliseconds. */
      readonly retryAfterMs?: number;
    }
  | {
      readonly outcome: 'permanent';
      readonly status: SendStatus | 'refused';
      /** A short code without content, e.g. `BotNotInConversationRoster`. */
      readonly reason: string;
    }
  | { readonly outcome: 'unreachable' }
  /**
   * Nothing was sent on purpose: the message no longer applies (the case is gone, consent was
   * withdrawn so nothing more may be shared, or the case moved on). Final, and not an error.
   */
  | { readonly outcome: 'dropped'; readonly reason: string };

/** Sends one outbox message to a stored conversation, outside any turn. */
export interface MessageSender {
  /**
   * Sends `payload` once. `outboxId` goes with the activity so that a duplicate after an
   * ambiguous failure (500, timeout) can be recognised. Should resolve with a `SendResult` for
   * every failure it can classify; a rejection is treated like a `timeout`.
   *
   * `signal` is aborted when the dispatcher gives up waiting: the request should then be
   * cancelled, so that it cannot still arrive after the message was recorded as a timeout.
   */
  send(
    conversation: StoredConversation,
    payload: OutboxMessage['payload'],
    outboxId: string,
    options?: { readonly signal?: AbortSignal },
  ): Promise<SendResult>;
}
