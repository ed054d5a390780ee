/**
 * Anything the bot does not recognise gets a short answer that points to "hjälp": a bot that
 * stays silent looks broken. Registered last, so every other route is tried first. The text
 * itself is never logged.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { containsIdentityNumber } from '../../infra/logger.js';

export const unknownTextAnswer =
  'Det där förstod jag inte. Skriv **hjälp** för att se vad jag kan göra, ' +
  'eller **ny upptäckt** för att fylla i ett Upptäckarkort.';

export const sharedChatPrivacyReminder =
  'Ditt meddelande verkar innehålla ett personnummer. Skriv aldrig ett barns namn eller personnummer ' +
  'i en kanal eller en gruppchatt; ta gärna bort meddelandet.';

export async function answerUnknownText(context: TurnContext): Promise<void> {
  const shared = context.activity.conversation?.conversationType !== 'personal';
  const text = context.activity.text ?? '';
  const answer =
    shared && containsIdentityNumber(text)
      ? `${sharedChatPrivacyReminder}\n\n${unknownTextAnswer}`
      : unknownTextAnswer;
  await context.sendActivity({ type: 'message', text: answer, textFormat: 'markdown' });
}

export function registerUnknownText<TState extends TurnState>(app: Application<TState>): void {
  app.activity('message', answerUnknownText);
}
