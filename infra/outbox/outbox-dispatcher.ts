/**
 * Delivers the outbox (docs/security.md 13): every due message is claimed with a conditional write
 * before it is sent, so that any number of instances can sweep the same store and each message
 * goes out once per claim. Delivery is at least once: an instance that dies after sending but
 * before recording it leaves a claim that runs out, and the message is sent again.
 *
 * One sweep: list due messages → per recipient, in due order: claim (`sending`, lease) → look up
 * the conversation → wait for pacing → renew the claim if pacing ate into it → send (abandoned
 * after `sendTimeoutMs`, before the claim can run out) → record `delivered`, reschedule with
 * backoff, or park.
 *
 * Pacing, at Teams' documented limits rather than far below them (a burst of cards must reach
 * its Barnkontakter within about a minute): per conversation, sends are serial, at least
 * `conversationIntervalMs` apart (150 ms: 7 per second) and inside the windows of 8 per 2 s and
 * 60 per 30 s; for the whole app, sends take slots of a shared budget of
 * `tenantSendsPerSecond` (25, under the 30 per second per app and tenant, leaving room for the
 * turns' own replies). Different recipients go in parallel up to `maxConcurrentConversations`,
 * and a sweep that found a full batch goes on with the next one at once. A 429 pauses that
 * conversation in this instance until its Retry-After has passed. The hourly limit (1 800 per
 * conversation) is a window too: a team's channel takes every status post of its plan.
 * Pacing is per conversation, not per outbox recipient key: a channel is reached under its
 * case's key (`teamkanal:<caseId>`) and may be reached under its own, and Teams counts the
 * conversation.
 *
 * Recipients: a key is resolved at delivery (`resolveRecipient`), so a message waits for a
 * conversation that does not exist yet instead of being dropped or sent elsewhere. A personal
 * chat that is missing means the app is not installed for the person (the fallback is told); a
 * team channel still being created is awaited quietly and looked for again soon.
 *
 * Log lines carry ids, statuses and error codes only, never payload text.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import { isDomainError } from '../../flows/kernel/errors.js';
import type { MessageSender, SendResult } from '../../flows/kernel/message-sender.js';
import type {
  Clock,
  ConversationStore,
  OutboxMessage,
  OutboxStore,
  StoredConversation,
  Versioned,
} from '../../flows/kernel/ports.js';
import { createLogger, type Logger } from '../logger.js';
import {
  type BackoffPolicy,
  computeRetryDelayMs,
  defaultBackoffPolicy,
  type RandomSource,
} from './backoff.js';
import { describeSendResult, isAmbiguousStatus, toReasonCode } from './delivery-errors.js';
import { createSweepLoop, type SweepLoop } from './sweep-loop.js';

/** What an admin is told about a message: ids and an error code, never the payload. */
export interface OutboxNotice {
  readonly outboxId: string;
  readonly recipientKey: string;
  readonly caseId?: string;
  /** The stored `lastError` code, e.g. `permanent:403:BotNotInConversationRoster`. */
  readonly reason: string;
  readonly attempts: number;
}

export interface OutboxDispatcherOptions {
  /** Pause between the end of one sweep and the start of the next. */
  readonly intervalMs: number;
  /** Messages listed per sweep. */
  readonly batchSize: number;
  /**
   * How long a claim lasts. Short, so that a message whose sender died goes out again within
   * seconds; a send only starts while the claim still outlasts `sendTimeoutMs`, so that no other
   * instance can take the message over while its send may still be in flight.
   */
  readonly claimLeaseMs: number;
  /**
   * How long one send may take (rendering included) before it is abandoned, its request
   * aborted and the message recorded as an ambiguous timeout. Must be shorter than the lease.
   */
  readonly sendTimeoutMs: number;
  /** Sends (claims) after which a message that still fails is parked. */
  readonly maxAttempts: number;
  readonly backoff: BackoffPolicy;
  /** Wait between looks for a conversation reference that does not exist yet. */
  readonly unreachableRetryMs: number;
  /** Minimum time between two sends to the same recipient. */
  readonly conversationIntervalMs: number;
  /** Sliding windows per conversation: at most `count` sends in any `ms`. */
  readonly conversationWindows: readonly { readonly count: number; readonly ms: number }[];
  /** Sends per second for the whole app in this instance (Teams: 30 per app and tenant). */
  readonly tenantSendsPerSecond: number;
  /** Full batches swept back to back in one `runOnce` before it yields to the timer. */
  readonly maxBatchesPerSweep: number;
  /**
   * How long after it was enqueued a message may still be waiting before someone is told. A
   * Retry-After is honoured, but a notice held back for an hour must not be held back silently.
   */
  readonly lateAfterMs: number;
  readonly maxConcurrentConversations: number;
  readonly random: RandomSource;
  /** Waits for pacing; tests pass one that moves their fake clock. */
  readonly sleep: (ms: number) => Promise<void>;
}

export const defaultOutboxDispatcherOptions: OutboxDispatcherOptions = {
  intervalMs: 5_000,
  batchSize: 200,
  // Short, so that after a crash (or `kill -9`) the message is sent again within seconds; longer
  // than a whole send (10 s, which the Bot Connector sender's own 2 × 5 s deadline stays within,
  // bot/proactive.ts), so that a slow send is never repeated by another instance while it runs.
  claimLeaseMs: 15_000,
  sendTimeoutMs: 10_000,
  maxAttempts: 8,
  backoff: defaultBackoffPolicy,
  unreachableRetryMs: 15 * 60_000,
  conversationIntervalMs: 150,
  conversationWindows: [
    { count: 8, ms: 2_000 },
    { count: 60, ms: 30_000 },
    { count: 1_800, ms: 60 * 60_000 },
  ],
  tenantSendsPerSecond: 25,
  maxBatchesPerSweep: 10,
  lateAfterMs: 5 * 60_000,
  maxConcurrentConversations: 16,
  random: Math.random,
  sleep: async (ms) => {
    await sleepFor(ms);
  },
};

/** Where a recipient key leads now. */
export type RecipientResolution =
  | { readonly kind: 'conversation'; readonly conversation: StoredConversation }
  /** No conversation, and none is on its way: the app is not installed for the person. */
  | { readonly kind: 'unreachable' }
  /** Not there yet but being set up (a team's channel): looked for again after `retryInMs`. */
  | { readonly kind: 'waiting'; readonly retryInMs: number };

export interface OutboxDispatcherDependencies {
  readonly outbox: OutboxStore;
  readonly conversations: ConversationStore;
  /** Resolves a recipient key at delivery; by default a plain look-up in `conversations`. */
  readonly resolveRecipient?: (recipientKey: string) => Promise<RecipientResolution>;
  readonly sender: MessageSender;
  readonly clock: Clock;
  /** Names this process in claims, so that a log shows who held a message. */
  readonly instanceId: string;
  readonly logger?: Logger;
  /**
   * Called once when a message is parked (permanent failure or attempts used up), before the
   * park is stored: should enqueue a notice to the fallback contact under an id derived from
   * `outboxId`, so that a repeat after a crash is harmless. If it throws, the message is not
   * sent again; parking and the call are retried on a later sweep.
   */
  readonly onParked?: (notice: OutboxNotice) => Promise<void>;
  /**
   * Called once when a recipient has no conversation reference (the app is not installed for
   * them yet). The message keeps waiting; if the call throws it is made again on the next look.
   */
  readonly onUnreachable?: (notice: OutboxNotice) => Promise<void>;
  /**
   * Called when a retry would first go out later than `lateAfterMs` after the message was
   * enqueued (a long Retry-After, a long back-off). The message keeps its turn; the call must be
   * idempotent (an id derived from `outboxId`), as it may be made again on a later retry.
   */
  readonly onLate?: (notice: OutboxNotice) => Promise<void>;
  readonly options?: Partial<OutboxDispatcherOptions>;
}

/** What one sweep did; `skipped` counts claims lost to another instance and paused conversations. */
export interface OutboxSweepResult {
  delivered: number;
  /** Not sent on purpose because it no longer applied (e.g. consent withdrawn). */
  dropped: number;
  retried: number;
  parked: number;
  skipped: number;
}

export interface OutboxDispatcher extends SweepLoop {
  /** One sweep over the messages due now. */
  runOnce(): Promise<OutboxSweepResult>;
}

type SweepOutcome = keyof OutboxSweepResult;

/** `lastError` of a message whose park notice failed: park it without sending it again. */
const parkPendingPrefix = 'parkPending|';
const unreachableTold = 'unreachable';
const unreachableNoticeFailed = 'unreachable:noticeFailed';
const waitingForConversation = 'waitingForConversation';

/** Creates the dispatcher; nothing runs until `runOnce` or `start`. */
export function createOutboxDispatcher(deps: OutboxDispatcherDependencies): OutboxDispatcher {
  const options: OutboxDispatcherOptions = { ...defaultOutboxDispatcherOptions, ...deps.options };
  const logger = (deps.logger ?? createLogger()).child({ component: 'outbox', instanceId: deps.instanceId });
  const { outbox, clock } = deps;
  /** When this instance last sent to each conversation (epoch ms), for pacing. */
  const sendTimes = new Map<string, number[]>();
  /** The next free slot of the app-wide send budget (epoch ms). */
  let nextTenantSlotMs = 0;
  const longestWindowMs = Math.max(
    options.conversationIntervalMs,
    ...options.conversationWindows.map((w) => w.ms),
  );
  const keptSendTimes = Math.max(1, ...options.conversationWindows.map((w) => w.count));
  /** Recipients answered with 429, and until when this instance leaves them alone. */
  const pausedUntil = new Map<string, number>();

  async function runOnce(): Promise<OutboxSweepResult> {
    const tally: OutboxSweepResult = { delivered: 0, dropped: 0, retried: 0, parked: 0, skipped: 0 };
    for (let batch = 0; batch < options.maxBatchesPerSweep; batch += 1) {
      const now = clock.now();
      forgetPastPacing(now.getTime());
      const due = await outbox.listDue(now, options.batchSize);
      const before = tally.delivered + tally.dropped + tally.retried + tally.parked;
      await runWithConcurrency(
        [...groupByRecipient(due).values()],
        options.maxConcurrentConversations,
        async (group) => {
          for (const item of group) {
            tally[await processDue(item)] += 1;
          }
        },
      );
      // A backlog goes on at once; a batch in which nothing moved (all paused or claimed by
      // others) waits for the timer instead of spinning.
      const moved = tally.delivered + tally.dropped + tally.retried + tally.parked - before;
      if (due.length < options.batchSize || moved === 0) break;
    }
    return tally;
  }

  async function processDue(item: Versioned<OutboxMessage>): Promise<SweepOutcome> {
    const ids = toLogIds(item.value);
    try {
      if ((pausedUntil.get(item.value.recipientKey) ?? 0) > clock.now().getTime()) {
        return 'skipped';
      }
      const claimed = await claim(item);
      if (claimed === undefined) {
        return 'skipped';
      }
      if (item.value.status === 'sending') {
        // Its claim ran out: the instance that held it died or hung, possibly after sending.
        logger.warn(
          { ...ids, claimedBy: item.value.claimedBy },
          'Utgående meddelande tas över efter utgånget anspråk',
        );
        if (claimed.value.attempts > options.maxAttempts) {
          return await park(claimed, 'leaseExpired');
        }
      }
      return await deliver(claimed);
    } catch (error) {
      // Storage trouble for one message must not stop the others; it stays due.
      logger.error({ ...ids, err: error }, 'Utgående meddelande kunde inte hanteras');
      return 'skipped';
    }
  }

  async function claim(item: Versioned<OutboxMessage>): Promise<Versioned<OutboxMessage> | undefined> {
    const now = clock.now();
    return replaceIfCurrent(item, {
      ...item.value,
      status: 'sending',
      // Counted at the claim, so a message that crashes its sender is still parked in the end.
      attempts: item.value.attempts + 1,
      claimedBy: deps.instanceId,
      claimedUntil: toInstant(now.getTime() + options.claimLeaseMs),
    });
  }

  async function deliver(claimed: Versioned<OutboxMessage>): Promise<SweepOutcome> {
    const message = claimed.value;
    if (message.lastError?.startsWith(parkPendingPrefix)) {
      return park(claimed, message.lastError.slice(parkPendingPrefix.length));
    }
    const resolved = await resolveRecipient(message.recipientKey);
    if (resolved.kind === 'unreachable') return waitForReference(claimed);
    if (resolved.kind === 'waiting') return waitQuietly(claimed, resolved.retryInMs);
    const { conversation } = resolved;
    const pacingKey = conversation.conversationId;
    await waitForPacing(pacingKey);
    // Pacing may have outlasted the claim; another instance may have the message by now.
    const held = await holdClaimForSend(claimed);
    if (held === undefined) return 'skipped';
    const result = await sendWithDeadline(held.value, (signal) =>
      deps.sender.send(conversation, message.payload, message.id, { signal }),
    );
    switch (result.outcome) {
      case 'delivered':
        return recordDelivered(held);
      case 'dropped':
        return recordDropped(held, result.reason);
      case 'unreachable':
        return waitForReference(held);
      case 'permanent':
        return park(held, describeSendResult(result));
      case 'retryable':
        return retryLater(held, result);
    }
  }

  /**
   * The claim, renewed if what is left of it would not cover a whole send (plus a second for
   * recording the outcome); `undefined` when another instance took the message meanwhile.
   */
  async function holdClaimForSend(
    claimed: Versioned<OutboxMessage>,
  ): Promise<Versioned<OutboxMessage> | undefined> {
    const nowMs = clock.now().getTime();
    const until = Date.parse(claimed.value.claimedUntil ?? '');
    if (until - nowMs >= options.sendTimeoutMs + 1_000) return claimed;
    return replaceIfCurrent(claimed, {
      ...claimed.value,
      claimedUntil: toInstant(nowMs + options.claimLeaseMs),
    });
  }

  /**
   * The send's outcome, or a timeout once `sendTimeoutMs` have passed: the request is then
   * aborted and the message recorded (as possibly arrived) while this instance still holds it.
   */
  async function sendWithDeadline(
    message: OutboxMessage,
    send: (signal: AbortSignal) => Promise<SendResult>,
  ): Promise<SendResult> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<SendResult>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        logger.warn(toLogIds(message), 'Sändningen tog för lång tid och avbröts; den kan ha kommit fram');
        resolve({ outcome: 'retryable', status: 'timeout' });
      }, options.sendTimeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([sendSafely(message, () => send(controller.signal)), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function sendSafely(message: OutboxMessage, send: () => Promise<SendResult>): Promise<SendResult> {
    try {
      return await send();
    } catch (error) {
      // A sender that throws has not said whether Teams got the message: treat it as a timeout.
      logger.warn(
        { ...toLogIds(message), errorType: error instanceof Error ? error.name : typeof error },
        'Sändaren kastade ett fel; behandlas som timeout',
      );
      return { outcome: 'retryable', status: 'timeout' };
    }
  }

  async function recordDelivered(claimed: Versioned<OutboxMessage>): Promise<SweepOutcome> {
    const { lastError: _lastError, ...rest } = withoutClaim(claimed.value);
    const stored = await replaceIfCurrent(claimed, {
      ...rest,
      status: 'delivered',
      deliveredAt: toInstant(clock.now().getTime()),
    });
    if (stored === undefined) {
      // Our claim ran out mid-send and someone else holds it now: they may send it again.
      logger.warn(
        toLogIds(claimed.value),
        'Levererat meddelande kunde inte markeras: anspråket hade gått ut',
      );
      return 'delivered';
    }
    logger.info(toLogIds(stored.value), 'Utgående meddelande levererat');
    return 'delivered';
  }

  async function recordDropped(claimed: Versioned<OutboxMessage>, reason: string): Promise<SweepOutcome> {
    const stored = await replaceIfCurrent(claimed, {
      ...withoutClaim(claimed.value),
      status: 'dropped',
      lastError: toReasonCode(reason, 'dropped'),
    });
    if (stored === undefined) return 'skipped';
    logger.info(
      { ...toLogIds(stored.value), reason: stored.value.lastError },
      'Utgående meddelande skickades inte',
    );
    return 'dropped';
  }

  async function retryLater(
    claimed: Versioned<OutboxMessage>,
    result: Extract<SendResult, { outcome: 'retryable' }>,
  ): Promise<SweepOutcome> {
    const message = claimed.value;
    const reason = describeSendResult(result);
    const nowMs = clock.now().getTime();
    if (result.status === 429) {
      const pause = result.retryAfterMs ?? options.backoff.baseMs;
      pausedUntil.set(message.recipientKey, nowMs + Math.min(pause, options.backoff.maxRetryAfterMs));
    }
    if (message.attempts >= options.maxAttempts) {
      return park(claimed, `maxAttempts:${reason}`);
    }
    const delayMs = computeRetryDelayMs(
      message.attempts,
      result.retryAfterMs,
      options.backoff,
      options.random,
    );
    const stored = await replaceIfCurrent(claimed, {
      ...withoutClaim(message),
      status: 'pending',
      nextAttemptAt: toInstant(nowMs + delayMs),
      lastError: reason,
    });
    if (stored !== undefined && nowMs + delayMs - Date.parse(message.createdAt) > options.lateAfterMs) {
      await reportLate(stored.value, reason);
    }
    logger.warn(
      {
        ...toLogIds(message),
        lastError: reason,
        ambiguous: isAmbiguousStatus(result.status),
        retryInMs: delayMs,
        recorded: stored !== undefined,
      },
      'Utgående meddelande försöks igen senare',
    );
    return stored === undefined ? 'skipped' : 'retried';
  }

  async function reportLate(message: OutboxMessage, reason: string): Promise<void> {
    try {
      await deps.onLate?.(toNotice(message, reason));
    } catch (error) {
      // The message itself is safe in the outbox; the report is tried again on its next retry.
      logger.error({ ...toLogIds(message), err: error }, 'Försenat meddelande kunde inte rapporteras');
    }
  }

  async function resolveRecipient(recipientKey: string): Promise<RecipientResolution> {
    if (deps.resolveRecipient !== undefined) return deps.resolveRecipient(recipientKey);
    const conversation = await deps.conversations.get(recipientKey);
    return conversation === undefined ? { kind: 'unreachable' } : { kind: 'conversation', conversation };
  }

  /** A conversation being set up: no attempt used, nobody told, looked for again soon. */
  async function waitQuietly(claimed: Versioned<OutboxMessage>, retryInMs: number): Promise<SweepOutcome> {
    const nowMs = clock.now().getTime();
    const jitterMs = Math.floor(options.random() * (retryInMs / 4));
    const stored = await replaceIfCurrent(claimed, {
      ...withoutClaim(claimed.value),
      attempts: Math.max(0, claimed.value.attempts - 1),
      status: 'pending',
      nextAttemptAt: toInstant(nowMs + retryInMs + jitterMs),
      lastError: waitingForConversation,
    });
    if (stored !== undefined && claimed.value.lastError !== waitingForConversation) {
      logger.info(toLogIds(stored.value), 'Mottagarens konversation skapas; meddelandet väntar');
    }
    return stored === undefined ? 'skipped' : 'retried';
  }

  async function waitForReference(claimed: Versioned<OutboxMessage>): Promise<SweepOutcome> {
    // Looking for a reference is not a send: it does not use up the message's attempts.
    const waiting = { ...withoutClaim(claimed.value), attempts: Math.max(0, claimed.value.attempts - 1) };
    let lastError = unreachableTold;
    if (waiting.lastError !== unreachableTold) {
      logger.warn(toLogIds(waiting), 'Mottagaren saknar konversation; meddelandet väntar');
      try {
        await deps.onUnreachable?.(toNotice(waiting, unreachableTold));
      } catch (error) {
        logger.error({ ...toLogIds(waiting), err: error }, 'Administratören kunde inte meddelas');
        lastError = unreachableNoticeFailed;
      }
    }
    const nowMs = clock.now().getTime();
    const jitterMs = Math.floor(options.random() * (options.unreachableRetryMs / 4));
    const stored = await replaceIfCurrent(claimed, {
      ...waiting,
      status: 'pending',
      nextAttemptAt: toInstant(nowMs + options.unreachableRetryMs + jitterMs),
      lastError,
    });
    return stored === undefined ? 'skipped' : 'retried';
  }

  async function park(item: Versioned<OutboxMessage>, reason: string): Promise<SweepOutcome> {
    const message = item.value;
    try {
      await deps.onParked?.(toNotice(message, reason));
    } catch (error) {
      logger.error({ ...toLogIds(message), err: error }, 'Administratören kunde inte meddelas');
      const nowMs = clock.now().getTime();
      const delayMs = computeRetryDelayMs(1, undefined, options.backoff, options.random);
      await replaceIfCurrent(item, {
        ...withoutClaim(message),
        status: 'pending',
        nextAttemptAt: toInstant(nowMs + options.backoff.baseMs + delayMs),
        lastError: `${parkPendingPrefix}${reason}`,
      });
      return 'retried';
    }
    const stored = await replaceIfCurrent(item, {
      ...withoutClaim(message),
      status: 'parked',
      lastError: reason,
    });
    if (stored === undefined) {
      return 'skipped';
    }
    logger.error({ ...toLogIds(message), lastError: reason }, 'Utgående meddelande parkerat');
    return 'parked';
  }

  /** Writes `next` if `current` is still the stored version; `undefined` when another instance won. */
  async function replaceIfCurrent(
    current: Versioned<OutboxMessage>,
    next: OutboxMessage,
  ): Promise<Versioned<OutboxMessage> | undefined> {
    try {
      return await outbox.replace(next, current.etag);
    } catch (error) {
      if (isDomainError(error, 'concurrencyConflict') || isDomainError(error, 'notFound')) {
        logger.debug(toLogIds(current.value), 'Utgående meddelande hanteras av en annan instans');
        return undefined;
      }
      throw error;
    }
  }

  async function waitForPacing(pacingKey: string): Promise<void> {
    const nowMs = clock.now().getTime();
    const times = sendTimes.get(pacingKey) ?? [];
    let earliest = nowMs;
    const last = times.at(-1);
    if (last !== undefined) earliest = Math.max(earliest, last + options.conversationIntervalMs);
    for (const window of options.conversationWindows) {
      const oldestInWindow = times.at(-window.count);
      if (times.length >= window.count && oldestInWindow !== undefined) {
        earliest = Math.max(earliest, oldestInWindow + window.ms);
      }
    }
    // Reserved synchronously, so that parallel conversations take distinct slots of the budget,
    // and two recipient keys of one conversation (a team's channel) distinct slots of its windows.
    const slot = Math.max(earliest, nextTenantSlotMs);
    nextTenantSlotMs = slot + 1000 / options.tenantSendsPerSecond;
    recordSend(pacingKey, slot);
    if (slot > nowMs) {
      await options.sleep(slot - nowMs);
    }
  }

  function recordSend(pacingKey: string, atMs: number): void {
    const times = sendTimes.get(pacingKey) ?? [];
    times.push(atMs);
    if (times.length > keptSendTimes) times.splice(0, times.length - keptSendTimes);
    sendTimes.set(pacingKey, times);
  }

  function forgetPastPacing(nowMs: number): void {
    for (const [key, times] of sendTimes) {
      if ((times.at(-1) ?? 0) + longestWindowMs <= nowMs) sendTimes.delete(key);
    }
    for (const [key, until] of pausedUntil) {
      if (until <= nowMs) pausedUntil.delete(key);
    }
  }

  const loop = createSweepLoop({ intervalMs: options.intervalMs, sweep: runOnce, logger, name: 'outbox' });
  return { runOnce, start: loop.start, stop: loop.stop };
}

function withoutClaim(message: OutboxMessage): OutboxMessage {
  const { claimedBy: _claimedBy, claimedUntil: _claimedUntil, ...rest } = message;
  return rest;
}

function toNotice(message: OutboxMessage, reason: string): OutboxNotice {
  return {
    outboxId: message.id,
    recipientKey: message.recipientKey,
    ...(message.caseId === undefined ? {} : { caseId: message.caseId }),
    reason,
    attempts: message.attempts,
  };
}

function toLogIds(message: OutboxMessage): Record<string, string | number> {
  return {
    outboxId: message.id,
    ...(message.caseId === undefined ? {} : { caseId: message.caseId }),
    recipientKey: message.recipientKey,
    status: message.status,
    attempts: message.attempts,
  };
}

/** Groups messages by recipient, keeping due order within each group and among the groups. */
function groupByRecipient(items: Versioned<OutboxMessage>[]): Map<string, Versioned<OutboxMessage>[]> {
  const groups = new Map<string, Versioned<OutboxMessage>[]>();
  for (const item of items) {
    const group = groups.get(item.value.recipientKey);
    if (group === undefined) {
      groups.set(item.value.recipientKey, [item]);
    } else {
      group.push(item);
    }
  }
  return groups;
}

async function runWithConcurrency<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

function toInstant(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
