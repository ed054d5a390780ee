/**
 * Starts the bot's one conversation in a team's channel through the Bot Connector
 * (`POST {serviceUrl}/v3/conversations` with `isGroup`, `channelData.channel.id` and the first
 * post as `activity`, which is how Teams lets a bot begin a thread in a channel) and stores its
 * reference under the channel's key (`conversation:<channel id>`, as bot/conversation-references.ts
 * stores channels), so that later posts reach the channel through the outbox.
 *
 * The service URL must pass the outbound allow-list before a token could leave
 * (docs/security.md 4). Teams refusing the bot (403/404: the app has not been added to the
 * private channel, or is not installed in the host team) is `ChannelConversationRefused`, for
 * the job to tell the convener what to do; anything else is thrown for the reminder's retry.
 */
import type { CloudAdapter, ConversationParameters } from 'botbuilder';
import type { ConversationStore, StoredConversation } from '../flows/kernel/ports.js';
import { ZStoredConversation } from '../flows/kernel/ports.js';
import { ChannelConversationRefused, type ChannelConversations } from '../flows/kernel/team-channel.js';
import type { BotMode } from '../infra/config.js';
import type { Logger } from '../infra/logger.js';
import { toConversationKey, ZConversationReference } from './conversation-references.js';
import { assertAllowedServiceUrl } from './outbound-guard.js';

export interface BotChannelConversationsOptions {
  readonly adapter: CloudAdapter;
  /** Empty in local mode (authentication off). */
  readonly appId: string;
  readonly mode: BotMode;
  readonly conversations: ConversationStore;
  readonly now: () => Date;
  readonly logger: Logger;
  /**
   * The channel conversation to post in for a provisioned channel; the channel itself in Teams.
   * Locally every channel's posts go to the Agents Playground team's one channel.
   */
  readonly toConversationChannel?: (channelId: string) => string;
}

const botFrameworkAudience = 'https://api.botframework.com';

export function createBotChannelConversations(options: BotChannelConversationsOptions): ChannelConversations {
  const { adapter, logger } = options;
  const mapChannel = options.toConversationChannel ?? ((channelId: string) => channelId);

  return {
    keyFor(channelId) {
      return toConversationKey(mapChannel(channelId));
    },
    async start(request) {
      assertAllowedServiceUrl(request.serviceUrl, options.mode);
      const channelId = mapChannel(request.channelId);
      const parameters = {
        isGroup: true,
        bot: { id: options.appId === '' ? 'backa-barnet' : `28:${options.appId}`, name: '' },
        tenantId: request.tenantId,
        channelData: { channel: { id: channelId }, tenant: { id: request.tenantId } },
        activity: { type: 'message', text: request.text },
      } as unknown as ConversationParameters;
      let createdId: string | undefined;
      try {
        await adapter.createConversationAsync(
          options.appId,
          'msteams',
          request.serviceUrl,
          botFrameworkAudience,
          parameters,
          async (context) => {
            createdId = context.activity.conversation?.id;
          },
        );
      } catch (error) {
        const status = readStatus(error);
        logger.warn(
          { status, channelKey: toConversationKey(channelId) },
          'Kanalkonversationen kunde inte startas',
        );
        if (status === 403 || status === 404) throw new ChannelConversationRefused(status);
        throw error;
      }
      if (createdId === undefined) throw new Error('Bot Connector gav ingen konversation.');
      const stored = toStoredChannel(channelId, request.serviceUrl, request.tenantId, options, options.now());
      await options.conversations.save(stored);
      logger.info({ channelKey: stored.key }, 'Kanalkonversationen startad');
      return { conversationKey: stored.key };
    },
  };
}

/**
 * The channel's reference as a proactive send needs it. Posts go to the channel itself (a new
 * post each), not into the thread the first post began: the thread id after `;messageid=` is
 * dropped, as for every channel the bot stores.
 */
function toStoredChannel(
  channelId: string,
  serviceUrl: string,
  tenantId: string,
  options: BotChannelConversationsOptions,
  now: Date,
): StoredConversation {
  const reference = ZConversationReference.parse({
    channelId: 'msteams',
    serviceUrl,
    bot: { id: options.appId === '' ? 'backa-barnet' : `28:${options.appId}` },
    conversation: { id: channelId, isGroup: true, conversationType: 'channel', tenantId },
  });
  return ZStoredConversation.parse({
    key: toConversationKey(channelId),
    tenantId,
    serviceUrl,
    conversationId: channelId,
    updatedAt: now.toISOString(),
    reference,
  });
}

function readStatus(error: unknown): number | undefined {
  const { statusCode } = (error ?? {}) as { statusCode?: unknown };
  return typeof statusCode === 'number' ? statusCode : undefined;
}
