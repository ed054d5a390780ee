/**
 * Sends a card to the acting user's PERSONAL chat with the bot, from a turn in a channel or group
 * chat: a card that will hold a child's details must never be posted where people without a role
 * in the case can read it (docs/security.md 8).
 *
 * First the stored personal conversation (saved whenever the user writes to the bot 1:1); if
 * there is none, or it no longer works, a 1:1 conversation is created through the Bot Connector
 * (`POST /v3/conversations`), which Teams allows only when the app is installed for the user. The
 * new conversation is stored, so the next time needs no creation.
 */
import {
  type Activity,
  ActivityTypes,
  CardFactory,
  type CloudAdapter,
  type ConversationParameters,
  type TurnContext,
} from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import type { AdaptiveCardJson } from '../cards/render-template.js';
import type { Clock, Stores } from '../flows/kernel/ports.js';
import type { Logger } from '../infra/logger.js';
import { toPersonalKey, toStoredConversation } from './conversation-references.js';
import type { ProactiveSender } from './proactive.js';
import { readTenantId } from './tenant.js';

export interface PersonalChatOptions {
  readonly adapter: CloudAdapter;
  /** Empty in local mode (authentication off). */
  readonly appId: string;
  readonly stores: Stores;
  readonly sendProactive: ProactiveSender['send'];
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface PersonalChat {
  /**
   * Sends `card` to the personal chat of the user who wrote `context.activity`; returns how it
   * went there: through the stored conversation, a newly created one, or not at all.
   */
  sendCard(
    context: TurnContext,
    card: AdaptiveCardJson,
    summary: string,
  ): Promise<'storedConversation' | 'createdConversation' | 'unreachable'>;
}

export function createPersonalChat(options: PersonalChatOptions): PersonalChat {
  const { stores, logger } = options;
  return {
    async sendCard(context, card, summary) {
      const activity = context.activity;
      const userId = activity.from?.aadObjectId;
      const tenantId = readTenantId(activity);
      if (userId === undefined || tenantId === undefined) return 'unreachable';

      const stored = await stores.conversations.get(toPersonalKey(userId));
      if (stored !== undefined && stored.tenantId.toLowerCase() === tenantId.toLowerCase()) {
        try {
          await options.sendProactive(stored, { kind: 'card', card, summary });
          return 'storedConversation';
        } catch (error) {
          // The user may have removed the app since; a new conversation is the way back.
          logger.warn(
            { err: error, activityId: activity.id },
            'Den sparade personliga chatten fungerade inte',
          );
        }
      }
      try {
        await createConversationWithCard(options, activity, tenantId, card, summary);
        return 'createdConversation';
      } catch (error) {
        logger.warn({ err: error, activityId: activity.id }, 'Den personliga chatten kunde inte öppnas');
        return 'unreachable';
      }
    },
  };
}

async function createConversationWithCard(
  options: PersonalChatOptions,
  activity: Activity,
  tenantId: string,
  card: AdaptiveCardJson,
  summary: string,
): Promise<void> {
  // No `activity`: the conversation is created empty and the card is sent into it below.
  const parameters = {
    isGroup: false,
    bot: { id: activity.recipient.id, name: activity.recipient.name ?? '' },
    // Only the id: the user's name is not needed to open the chat.
    members: [{ id: activity.from.id, name: '' }],
    tenantId,
    channelData: { tenant: { id: tenantId } },
  } as ConversationParameters;
  let failure: { error: unknown } | undefined;
  let conversationId: string | undefined;
  await options.adapter.createConversationAsync(
    options.appId,
    activity.channelId,
    activity.serviceUrl,
    AuthenticationConstants.ToChannelFromBotOAuthScope,
    parameters,
    async (created) => {
      conversationId = created.activity.conversation?.id;
      // The created-conversation event's id is the conversation id; sent as `replyToId` it would
      // make the card a reply to nothing.
      created.activity.id = undefined;
      try {
        await created.sendActivity({
          type: ActivityTypes.Message,
          summary,
          attachments: [CardFactory.adaptiveCard(card)],
        });
      } catch (error) {
        // Caught here, or the adapter's turn-error handler would post an error into the new chat.
        failure = { error };
      }
    },
  );
  if (failure !== undefined) throw failure.error;
  if (conversationId !== undefined) await rememberPersonalChat(options, activity, conversationId);
}

async function rememberPersonalChat(
  options: PersonalChatOptions,
  activity: Activity,
  conversationId: string,
): Promise<void> {
  const personal = {
    ...activity,
    conversation: {
      id: conversationId,
      conversationType: 'personal',
      tenantId: readTenantId(activity),
      isGroup: false,
      name: '',
    },
  } as Activity;
  const stored = toStoredConversation(personal, options.clock.now());
  if (stored === undefined) return;
  try {
    await options.stores.conversations.save(stored);
  } catch (error) {
    options.logger.warn(
      { err: error, activityId: activity.id },
      'Den nya personliga chatten kunde inte sparas',
    );
  }
}
