/**
 * The outbox's `MessageSender` over the Bot Connector: renders a notice from the current case
 * (notice-renderer.ts), sends it once through the proactive sender, and tells the dispatcher
 * what happened in its terms (`classifyDeliveryFailure`, the one table of retry decisions):
 *
 * - 2xx → delivered. 429 → retryable after Retry-After (seconds or HTTP-date). 412/500/502/503/
 *   504, a timeout, a connection that never opened → retryable with backoff.
 * - 403 (BotNotInConversationRoster: the app is not installed for the user, or they blocked it),
 *   404, other 4xx, a target refused by the outbound allow-list → permanent: parked, admin told.
 * - No stored conversation → `unreachable`; the dispatcher finds that out before calling here.
 *
 * The SDK's own retries are off on this path (bot/proactive.ts), so each call is one request.
 *
 * A notice that must not be sent any more (case gone, consent withdrawn, the card was answered
 * meanwhile) is reported as delivered: its work is done, nobody is to be told. The log line
 * `Notisen skickades inte` with the reason is what tells it apart from a real delivery.
 */

import { CardRenderError } from '../cards/render-template.js';
import type { MessageSender, SendResult } from '../flows/kernel/message-sender.js';
import type { OutboxMessage, StoredConversation } from '../flows/kernel/ports.js';
import type { Logger } from '../infra/logger.js';
import { classifyDeliveryFailure } from '../infra/outbox/delivery-errors.js';
import {
  type NoticeMessage,
  type NoticeRenderDependencies,
  type RenderedNotice,
  renderNotice,
} from './notice-renderer.js';
import { type ProactivePayload, ProactiveSendError, type ProactiveSender } from './proactive.js';

export interface ConnectorMessageSenderOptions {
  readonly sendProactive: ProactiveSender['send'];
  readonly render: NoticeRenderDependencies;
  readonly logger: Logger;
}

export function createConnectorMessageSender(options: ConnectorMessageSenderOptions): MessageSender {
  const { logger } = options;

  async function prepare(
    conversation: StoredConversation,
    payload: OutboxMessage['payload'],
    outboxId: string,
  ): Promise<ProactivePayload | SendResult> {
    if (payload.kind !== 'notice') return payload;
    const message: NoticeMessage = { id: outboxId, recipientKey: conversation.key, payload };
    let rendered: RenderedNotice;
    try {
      rendered = await renderNotice(message, options.render);
    } catch (error) {
      const ids = { outboxId, caseId: payload.caseId, notice: payload.notice };
      if (error instanceof CardRenderError) {
        // The case cannot fill the card; retrying gives the same result, so an admin must look.
        logger.error({ ...ids, errorType: error.name }, 'Notisens kort kunde inte byggas');
        return { outcome: 'permanent', status: 'refused', reason: 'cardRenderFailed' };
      }
      // The case store or the audit log failed: nothing was shared, try again later.
      logger.warn({ ...ids, err: error }, 'Notisen kunde inte förberedas; försöker igen senare');
      return { outcome: 'retryable', status: 'connectionFailed' };
    }
    if ('drop' in rendered) {
      logger.info(
        { outboxId, caseId: payload.caseId, notice: payload.notice, reason: rendered.drop },
        'Notisen skickades inte',
      );
      return { outcome: 'dropped', reason: rendered.drop };
    }
    return rendered.payload;
  }

  return {
    async send(conversation, payload, outboxId, sendOptions = {}) {
      const prepared = await prepare(conversation, payload, outboxId);
      if ('outcome' in prepared) return prepared;
      // Given up while the card was being rendered: nothing has left, and nothing must.
      if (sendOptions.signal?.aborted === true) return { outcome: 'retryable', status: 'connectionFailed' };
      try {
        await options.sendProactive(conversation, prepared, {
          outboxId,
          ...(sendOptions.signal === undefined ? {} : { signal: sendOptions.signal }),
        });
        return { outcome: 'delivered' };
      } catch (error) {
        if (!(error instanceof ProactiveSendError)) {
          // Not one of ours: nobody knows whether Teams got it.
          return { outcome: 'retryable', status: 'timeout' };
        }
        return classifyDeliveryFailure({
          ...(error.status === undefined ? {} : { status: error.status }),
          ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
          ...(error.code === undefined ? {} : { code: error.code }),
          refused: error.refused,
          timedOut: error.timedOut,
        });
      }
    },
  };
}
