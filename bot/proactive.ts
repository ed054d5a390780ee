/**
 * Sends a message to a stored conversation outside a turn (notifications, reminders). The
 * outbox decides what and when; this decides only how, and refuses any stored reference whose
 * `serviceUrl` is not the Teams Bot Connector before a token could leave (SECURITY.md 4).
 */
import { type Activity, ActivityTypes, CardFactory, type CloudAdapter } from 'botbuilder';
import type { OutboxMessage, StoredConversation } from '../flows/ports.js';
import type { BotMode } from '../infra/config.js';
import type { Logger } from '../infra/logger.js';
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

  constructor(
    message: string,
    /** HTTP status from the Bot Connector, when it answered. */
    readonly status: number | undefined,
    /** From a 429's Retry-After header, in milliseconds. */
    readonly retryAfterMs: number | undefined,
    /** The send was refused here and never left the machine; retrying will not help. */
    readonly refused: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface ProactiveSender {
  /** Sends `payload` to `target`; returns the id the Bot Connector gave the new activity. */
  send(target: StoredConversation, payload: ProactivePayload): Promise<{ activityId: string | undefined }>;
}

export interface ProactiveSenderOptions {
  readonly adapter: CloudAdapter;
  /** Empty in local mode (authentication off). */
  readonly appId: string;
  readonly mode: BotMode;
  readonly logger: Logger;
}

export function createProactiveSender(options: ProactiveSenderOptions): ProactiveSender {
  return {
    async send(target, payload) {
      let reference: ReturnType<typeof readConversationReference>;
      try {
        assertAllowedServiceUrl(target.serviceUrl, options.mode);
        reference = readConversationReference(target);
      } catch (error) {
        throw toRefusal(error, target, options.logger);
      }
      try {
        let activityId: string | undefined;
        let failure: { error: unknown } | undefined;
        await options.adapter.continueConversationAsync(options.appId, reference, async (context) => {
          // The continuation activity gets a random id, which botbuilder would send as
          // `replyToId`: a reply to nothing. A notification is a new message in the conversation.
          context.activity.id = undefined;
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
        return { activityId };
      } catch (error) {
        throw toSendError(error, target, options.logger);
      }
    },
  };
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
  });
}

function toSendError(error: unknown, target: StoredConversation, logger: Logger): ProactiveSendError {
  if (error instanceof OutboundRefusedError) return toRefusal(error, target, logger);
  const { statusCode, response } = (error ?? {}) as {
    statusCode?: unknown;
    response?: { headers?: { get?: (name: string) => string | undefined } };
  };
  const status = typeof statusCode === 'number' ? statusCode : undefined;
  const retryAfter = Number(response?.headers?.get?.('retry-after'));
  logger.warn(
    { recipientKey: target.key, tenantId: target.tenantId, status },
    'Proaktivt meddelande kunde inte skickas',
  );
  return new ProactiveSendError(
    'Meddelandet kunde inte skickas till Teams.',
    status,
    Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined,
    false,
    { cause: error },
  );
}
