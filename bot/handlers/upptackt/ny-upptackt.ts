/**
 * "ny upptäckt": opens a new Upptäckarkort. In the personal chat the card is the answer; in a
 * channel or group chat (the bot @mentioned) the card goes to the user's personal chat and the
 * shared conversation gets one line without any child data, since the card is where a child's
 * name will be typed.
 *
 * The card's draft id is derived from the message (tenant, conversation and activity id), so a
 * message Teams redelivers opens the same draft: the case is keyed on it (flows/file-discovery).
 */
import { createHash } from 'node:crypto';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { type Activity, CardFactory, type TurnContext } from 'botbuilder';
import type { AdaptiveCardJson } from '../../../cards/render-template.js';
import { createBlankUpptackarkortRenderer } from '../../../cards/upptackt/upptackarkort.js';
import type { Directory } from '../../../flows/kernel/directory.js';
import { listChildUnitChoices } from '../../card-views/upptackt-views.js';
import type { PersonalChat } from '../../personal-chat.js';
import { readTenantId } from '../../tenant.js';
import { personalChatUnreachable, sentToPersonalChat } from '../../user-messages.js';
import type { HandlerContext } from '../handler-context.js';

/** The notification preview of the card: no child data exists yet, and none would go here. */
export const upptackarkortSummary = 'Upptäckarkort: fyll i kortet om barnet du är orolig för.';

const commandWord = 'nyupptackt';

/**
 * Whether the user asked for a new card: "ny upptäckt" in any case, with or without å/ä, with or
 * without the space, a leftover @mention or a trailing "!" or ".".
 */
export function isNyUpptacktRequest(text: string | undefined): boolean {
  if (text === undefined) return false;
  const folded = text
    .replace(/<at>.*?<\/at>/gi, ' ')
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, '')
    .replace(/[!.]+$/, '');
  return folded === commandWord;
}

// A fixed namespace for this product's name-based UUIDs (RFC 4122 §4.3, version 5).
const draftNamespace = Buffer.from('6f1d2c3b4a5948e7a6b5c4d3e2f10a9b', 'hex');

/**
 * The draft id of the card opened by one message: a version-5 UUID of tenant, conversation and
 * activity id. The conversation is part of the name because Teams activity ids are unique only
 * within a conversation.
 */
export function toDraftId(activity: Partial<Activity>): string {
  const name = [readTenantId(activity) ?? '', activity.conversation?.id ?? '', activity.id ?? ''].join('\n');
  const bytes = createHash('sha1').update(draftNamespace).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A new, empty Upptäckarkort for `draftId`. */
export function renderNewUpptackarkort(draftId: string, directory: Directory): AdaptiveCardJson {
  let render = blankCardRenderers.get(directory);
  if (render === undefined) {
    render = createBlankUpptackarkortRenderer(listChildUnitChoices(directory));
    blankCardRenderers.set(directory, render);
  }
  return render(draftId);
}

// One prepared blank card per loaded directory: a new directory (a restart) gets a new card.
const blankCardRenderers = new WeakMap<Directory, (draftId: string) => AdaptiveCardJson>();

export function registerNyUpptackt<TState extends TurnState>(
  app: Application<TState>,
  handlers: HandlerContext,
  personalChat: PersonalChat,
): void {
  app.message(
    async (context) => isNyUpptacktRequest(context.activity.text),
    async (context) => answerNyUpptackt(context, handlers, personalChat),
  );
}

async function answerNyUpptackt(
  context: TurnContext,
  handlers: HandlerContext,
  personalChat: PersonalChat,
): Promise<void> {
  const { activity } = context;
  const draftId = toDraftId(activity);
  const card = renderNewUpptackarkort(draftId, handlers.flow.directory);
  const log = { command: 'ny upptäckt', activityId: activity.id, draftId };

  if (activity.conversation?.conversationType === 'personal') {
    await context.sendActivity({
      summary: upptackarkortSummary,
      attachments: [CardFactory.adaptiveCard(card)],
    });
    handlers.logger.info({ ...log, outcome: 'kortSkickat' }, 'Upptäckarkort öppnat');
    return;
  }
  const delivered = await personalChat.sendCard(context, card, upptackarkortSummary);
  await context.sendActivity({
    type: 'message',
    text: delivered === 'unreachable' ? personalChatUnreachable : sentToPersonalChat,
    textFormat: 'markdown',
  });
  handlers.logger.info(
    {
      ...log,
      outcome: delivered === 'unreachable' ? 'personligChattSaknas' : 'kortSkickatPersonligt',
      via: delivered,
    },
    'Upptäckarkort begärt i en delad konversation',
  );
}
