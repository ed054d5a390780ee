/**
 * Remembers where each person and each channel can be reached, so that notifications (the
 * outbox, reminders) can reach them later without them writing first. The reference is the
 * Bot Framework's shape and stays inside bot/; outside it is an opaque record.
 *
 * Names are dropped: a group chat's name may be "Möte om <barnets namn>", and proactive sends
 * need ids only.
 */
import { type Activity, type ConversationReference, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { type StoredConversation, ZStoredConversation } from '../flows/kernel/ports.js';
import { readTenantId } from './tenant.js';

const ZAccount = z.object({
  id: z.string().min(1),
  name: z
    .string()
    .optional()
    .transform(() => ''),
  aadObjectId: z.string().optional(),
  role: z.string().optional(),
});

/** What a proactive send needs to continue a conversation; unknown fields are stripped. */
export const ZConversationReference = z.object({
  channelId: z.string().min(1),
  serviceUrl: z.string().url(),
  locale: z.string().optional(),
  bot: ZAccount,
  user: ZAccount.optional(),
  conversation: z.object({
    id: z.string().min(1),
    isGroup: z.boolean().default(false),
    conversationType: z.string().default(''),
    tenantId: z.string().optional(),
    name: z
      .string()
      .optional()
      .transform(() => ''),
  }),
});

/** The key a personal chat is stored under is the user's Entra object id. */
export function toPersonalKey(aadObjectId: string): string {
  return aadObjectId;
}

/** Channels and group chats are stored under `conversation:<id>` (the channel, not a thread). */
export function toConversationKey(conversationId: string): string {
  return `conversation:${stripThread(conversationId)}`;
}

/**
 * The reference to store for this activity, or `undefined` when it has nothing to remember
 * (a bot's own activity, no user id, a tenant id that is not a GUID).
 */
export function toStoredConversation(activity: Activity, now: Date): StoredConversation | undefined {
  if (activity.from?.role === 'bot' || activity.conversation?.id === undefined) return undefined;
  const personal = activity.conversation.conversationType === 'personal';
  const userId = activity.from?.aadObjectId;
  if (personal && !userId) return undefined;

  const reference = ZConversationReference.safeParse(TurnContext.getConversationReference(activity));
  if (!reference.success) return undefined;
  // A channel reference is for posting to the channel, not to the person who wrote in it.
  const { user, ...channelReference } = reference.data;
  if (personal) Object.assign(channelReference, { user });
  const conversationId = personal
    ? reference.data.conversation.id
    : stripThread(reference.data.conversation.id);
  const stored = ZStoredConversation.safeParse({
    key: personal && userId ? toPersonalKey(userId) : toConversationKey(conversationId),
    tenantId: readTenantId(activity),
    serviceUrl: reference.data.serviceUrl,
    conversationId,
    updatedAt: now.toISOString(),
    reference: { ...channelReference, conversation: { ...reference.data.conversation, id: conversationId } },
  });
  return stored.success ? stored.data : undefined;
}

/** The Bot Framework reference inside a stored conversation, validated again on the way out. */
export function readConversationReference(stored: StoredConversation): Partial<ConversationReference> {
  const reference = ZConversationReference.parse(stored.reference);
  // The stored top-level serviceUrl is what the allow-list checked; the two must agree.
  if (reference.serviceUrl !== stored.serviceUrl) {
    throw new Error('Den sparade konversationsreferensen är inkonsekvent (serviceUrl).');
  }
  return reference;
}

/** `19:…@thread.tacv2;messageid=123` is a reply thread in a channel; the channel is before `;`. */
function stripThread(conversationId: string): string {
  return conversationId.split(';messageid=')[0] ?? conversationId;
}
