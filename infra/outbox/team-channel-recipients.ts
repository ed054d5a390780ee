/**
 * Resolves the outbox's recipient keys at delivery. A team's channel is addressed by its case
 * (`teamkanal:<caseId>`, flows/kernel/notices.ts), because the notices are enqueued by the plan's
 * use cases, often before the channel exists. The channel's provisioning stores the channel's
 * conversation under that key as well, once the channel is written into the case; until then a
 * post waits here and is looked for again every `channelRetryMs`: never dropped, never sent to
 * another conversation, and nobody is told (the provisioning tells the convener and the
 * municipality's fallback contact when it cannot create the channel).
 */
import type { ConversationStore } from '../../flows/kernel/ports.js';
import type { RecipientResolution } from './outbox-dispatcher.js';

export const teamChannelKeyPrefix = 'teamkanal:';
/** A channel is usually there within a sweep or two of the team's start. */
export const defaultChannelRetryMs = 60_000;

export function createRecipientResolver(
  conversations: ConversationStore,
  options: { readonly channelRetryMs?: number } = {},
): (recipientKey: string) => Promise<RecipientResolution> {
  const channelRetryMs = options.channelRetryMs ?? defaultChannelRetryMs;
  return async (recipientKey) => {
    const conversation = await conversations.get(recipientKey);
    if (conversation !== undefined) return { kind: 'conversation', conversation };
    if (recipientKey.startsWith(teamChannelKeyPrefix)) return { kind: 'waiting', retryInMs: channelRetryMs };
    return { kind: 'unreachable' };
  };
}
