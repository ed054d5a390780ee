/**
 * Sends a message to a stored conversation outside a turn (notifications, reminders). The
 * outbox decides what and when; this decides only how, and refuses any stored reference whose
 * `serviceUrl` is not the Teams Bot Connector before a token could leave (docs/security.md 4).
 *
 * One send is one HTTP request. The SDK's HTTP pipeline (@azure/core-rest-pipeline's
 * `defaultRetryPolicy`, which botframework-connector's ConnectorClient gets through
 * @azure/core-client and cannot be configured through ConnectorClientOptions) would otherwise
 * repeat a 429 or 503 up to three times after each Retry-After, and a 408/500/502/503/504 or a
 * reset connection up to three times with exponential backoff. Those repeats are invisible,
 * unbounded in time (three times the server's Retry-After) and blind on a 500, where the first
 * request may have arrived (docs/security.md 13). So the policy is removed from the client of each
 * proactive turn and the outbox, which persists every attempt, owns all retries.
 */
import { type Activity, ActivityTypes, CardFactory, type CloudAdapter } from 'botbuilder';
import type { Clock, OutboxMessage, StoredConversation } from '../flows/kernel/ports.js';
import type { BotMode } from '../infra/config.js';
import type { Logger } from '../infra/logger.js';
import { parseRetryAfterMs } from '../infra/outbox/backoff.js';
import { readConversationReference } from './conversation-references.js';
import { assertAllowedServiceUrl, OutboundRefusedError } from './outbound-guard.js';

/**
 * What can be sent as it is. A `notice` payload is rendered into a card from the current case
 * by whoever delivers it, before it reaches this sender.
 */
export type ProactivePayload = Extract<OutboxMessage['payload'], { kind: 'text' | 'card' }>;

/** Why a proactive send failed, in the terms the outbox needs to decide on a retry. */
export class ProactiveSendError extends Error {
  override readonly name = 'ProactiveSendError';
  /** The Bot Connector's error code, e.g. `BotNotInConversationRoster`. */
  readonly code: string | undefined;
  /** No answer came in time: the request may or may not have reached Teams. */
  readonly timedOut: boolean;

  constructor(
    message: string,
    /** HTTP status from the Bot Connector, when it answered. */
    readonly status: number | undefined,
    /** From a 429's Retry-After header, in milliseconds. */
    readonly retryAfterMs: number | undefined,
    /** The send was refused here and never left the machine; retrying will not help. */
    readonly refused: boolean,
    options?: { cause?: unknown; code?: string; timedOut?: boolean },
  ) {
    super(message, options);
    this.code = options?.code;
    this.timedOut = options?.timedOut ?? false;
  }
}

export interface ProactiveSendOptions {
  /** The outbox message this send delivers; logged with the new activity's id. */
  readonly outboxId?: string;
  /** Aborting it cancels the request in flight (the outbox has given up waiting for it). */
  readonly signal?: AbortSignal;
}

export interface ProactiveSender {
  /** Sends `payload` to `target` once; returns the id the Bot Connector gave the new activity. */
  send(
    target: StoredConversation,
    payload: ProactivePayload,
    options?: ProactiveSendOptions,
  ): Promise<{ activityId: string | undefined }>;
}

export interface ProactiveSenderOptions {
  readonly adapter: CloudAdapter;
  /** Empty in local mode (authentication off). */
  readonly appId: string;
  readonly mode: BotMode;
  readonly logger: Logger;
  /** For an HTTP-date Retry-After; the machine clock unless a test pins time. */
  readonly clock?: Clock;
  /**
   * How long the Bot Connector may take to answer one request (it answers in well under a
   * second when it is well). With the token request before it, a whole send is given twice
   * this, which stays under the outbox claim lease (15 s): a stuck send is abandoned, and
   * recorded as a timeout by the instance that holds it, before any other instance may take the
   * message over and send it again.
   */
  readonly requestTimeoutMs?: number;
}

export const defaultRequestTimeoutMs = 5_000;

const machineClock: Clock = { now: () => new Date() };

/** The name @azure/core-rest-pipeline gives its retry policy (429/503 Retry-After, 5xx, resets). */
const sdkRetryPolicyName = 'defaultRetryPolicy';

export function createProactiveSender(options: ProactiveSenderOptions): ProactiveSender {
  const clock = options.clock ?? machineClock;
  const requestTimeoutMs = options.requestTimeoutMs ?? defaultRequestTimeoutMs;
  const { adapter, logger } = options;

  async function sendOnce(
    target: StoredConversation,
    reference: ReturnType<typeof readConversationReference>,
    payload: ProactivePayload,
    signal: AbortSignal | undefined,
  ): Promise<string | undefined> {
    let activityId: string | undefined;
    let failure: { error: unknown } | undefined;
    await adapter.continueConversationAsync(options.appId, reference, async (context) => {
      // The continuation activity gets a random id, which botbuilder would send as
      // `replyToId`: a reply to nothing. A notification is a new message in the conversation.
      context.activity.id = undefined;
      prepareClient(
        context.turnState.get(adapter.ConnectorClientKey),
        requestTimeoutMs,
        logger,
        target,
        signal,
      );
      try {
        const response = await context.sendActivity(toActivity(payload));
        activityId = response?.id;
      } catch (error) {
        // Caught here, or the adapter's turn-error handler would swallow it; the outbox must
        // see the failure to retry.
        failure = { error };
      }
    });
    if (failure !== undefined) throw failure.error;
    return activityId;
  }

  return {
    async send(target, payload, sendOptions = {}) {
      let reference: ReturnType<typeof readConversationReference>;
      try {
        assertAllowedServiceUrl(target.serviceUrl, options.mode);
        reference = readConversationReference(target);
      } catch (error) {
        throw toRefusal(error, target, logger);
      }
      try {
        const activityId = await withDeadline(
          sendOnce(target, reference, payload, sendOptions.signal),
          requestTimeoutMs * 2,
          sendOptions.signal,
        );
        logger.info(
          { recipientKey: target.key, outboxId: sendOptions.outboxId, activityId },
          'Proaktivt meddelande skickat',
        );
        return { activityId };
      } catch (error) {
        throw toSendError(error, target, clock, logger, sendOptions.outboxId);
      }
    },
  };
}

/** The parts of @azure/core-rest-pipeline's `Pipeline` used here (not a direct dependency). */
interface PipelineLike {
  removePolicy(options: { name: string }): unknown[];
  addPolicy(policy: {
    name: string;
    sendRequest(
      request: PipelineRequestLike,
      next: (request: PipelineRequestLike) => Promise<unknown>,
    ): Promise<unknown>;
  }): void;
}

interface PipelineRequestLike {
  timeout: number;
  abortSignal?: AbortSignal;
}

/**
 * Takes the SDK's retries out of this turn's connector client and gives its requests a timeout.
 * The client is created for each proactive turn (CloudAdapter → ConnectorFactory.create), so
 * nothing else is affected. The pipeline sits on a private field of botbuilder-stdlib's
 * ServiceClientContext; if an SDK upgrade moves it, this logs an error instead of failing every
 * send, and tests/integration/bot-delivery.test.ts (one request per 429) fails.
 */
function prepareClient(
  client: unknown,
  timeoutMs: number,
  logger: Logger,
  target: StoredConversation,
  signal: AbortSignal | undefined,
): void {
  const pipeline = (client as { client?: { pipeline?: Partial<PipelineLike> } } | undefined)?.client
    ?.pipeline;
  if (typeof pipeline?.removePolicy !== 'function' || typeof pipeline.addPolicy !== 'function') {
    logger.error(
      { recipientKey: target.key },
      'SDK:ns omförsök kunde inte stängas av för proaktiva meddelanden',
    );
    return;
  }
  const removed = pipeline.removePolicy({ name: sdkRetryPolicyName });
  if (removed.length === 0) {
    logger.error({ recipientKey: target.key }, 'SDK:ns omförsökspolicy hittades inte; den kan vara omdöpt');
  }
  pipeline.addPolicy({
    name: 'backaRequestTimeout',
    sendRequest: (request, next) => {
      request.timeout = timeoutMs;
      if (signal !== undefined) {
        request.abortSignal =
          request.abortSignal === undefined ? signal : AbortSignal.any([request.abortSignal, signal]);
      }
      return next(request);
    },
  });
}

class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';
}

/**
 * Settles with `work`, or rejects when `ms` have passed or `signal` is aborted (the work itself
 * is left to finish; its request was aborted by the same signal or its own timeout).
 */
async function withDeadline<T>(work: Promise<T>, ms: number, signal: AbortSignal | undefined): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const deadline = new Promise<never>((_, reject) => {
    const fail = () => reject(new DeadlineExceededError('Tidsgränsen för sändningen passerades.'));
    timer = setTimeout(fail, ms);
    timer.unref();
    if (signal !== undefined) {
      if (signal.aborted) fail();
      onAbort = fail;
      signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
  }
}

function toActivity(payload: ProactivePayload): Partial<Activity> {
  if (payload.kind === 'text') return { type: ActivityTypes.Message, text: payload.text };
  return {
    type: ActivityTypes.Message,
    summary: payload.summary,
    attachments: [CardFactory.adaptiveCard(payload.card)],
  };
}

/** A target this bot will never send to: a foreign serviceUrl or a damaged stored reference. */
function toRefusal(error: unknown, target: StoredConversation, logger: Logger): ProactiveSendError {
  const reason = error instanceof OutboundRefusedError ? 'serviceUrl' : 'reference';
  logger.error({ recipientKey: target.key, tenantId: target.tenantId, reason }, 'Proaktivt meddelande nekat');
  return new ProactiveSendError('Mottagarens konversation kan inte användas.', undefined, undefined, true, {
    cause: error,
    code: reason === 'serviceUrl' ? 'serviceUrlNotAllowed' : 'brokenReference',
  });
}

function toSendError(
  error: unknown,
  target: StoredConversation,
  clock: Clock,
  logger: Logger,
  outboxId: string | undefined,
): ProactiveSendError {
  if (error instanceof OutboundRefusedError) return toRefusal(error, target, logger);
  const { statusCode, response, code, name } = (error ?? {}) as {
    statusCode?: unknown;
    code?: unknown;
    name?: unknown;
    response?: { headers?: { get?: (name: string) => string | undefined } };
  };
  const status = typeof statusCode === 'number' ? statusCode : undefined;
  const retryAfterMs = parseRetryAfterMs(response?.headers?.get?.('retry-after'), clock.now());
  // The SDK aborts a request that outlived its `timeout` with an AbortError.
  const timedOut = status === undefined && (name === 'AbortError' || name === 'DeadlineExceededError');
  const errorCode = typeof code === 'string' ? code : undefined;
  logger.warn(
    { recipientKey: target.key, tenantId: target.tenantId, outboxId, status, errorCode, timedOut },
    'Proaktivt meddelande kunde inte skickas',
  );
  return new ProactiveSendError('Meddelandet kunde inte skickas till Teams.', status, retryAfterMs, false, {
    cause: error,
    ...(errorCode === undefined ? {} : { code: errorCode }),
    timedOut,
  });
}
