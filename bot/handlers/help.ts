/**
 * "hjälp": what Backa barnet is for, what to type, and the privacy rule. Also answers "hjalp",
 * "help" and "?", in any case, with or without an @mention of the bot in a channel (the
 * Application strips the mention before routing). When the app is installed in the personal chat
 * (the bot is among the members added), a short welcome with the first lines of the help.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';

export const helpHeading = 'Så här använder du Backa barnet i Teams';

export const helpText = [
  `**${helpHeading}**`,
  '',
  'Backa barnet hjälper oss att upptäcka barn som behöver stöd tidigt, och att ge dem samordnat stöd: ' +
    'ett barn, en plan. Boten följer barnet från Upptäckarkortet till att barnets behov är uppfyllt, ' +
    'så att ingen behöver berätta barnets historia på nytt och inget barn hamnar mellan organisationerna.',
  '',
  '**Kommandon**',
  '- **ny upptäckt**: fyll i ett Upptäckarkort om ett barn du är orolig för. Kortet går till barnets Barnkontakt.',
  '- **statistik**: för processteamet, terminens uppföljningssiffror som tabeller, ledtider och CSV-fil. ' +
    'Skriv till exempel statistik vt 2026 för en viss termin.',
  '- **logguppföljning**: för kommunens loggranskare, vem som läst eller ändrat vilket ärende och det ovanliga. ' +
    'Skriv till exempel logguppföljning 2026-11-01 2026-11-30 för en viss period (annars de senaste 7 dagarna).',
  '- **hjälp**: visa den här texten.',
  '',
  'Är du Barnkontakt får du ett kort här när ett barn behöver dig. Där tar du emot ärendet, ' +
    'skickar det vidare eller avböjer med en motivering, och den som upptäckte barnet får alltid besked.',
  '',
  '**Integritet**',
  '- Skriv aldrig ett barns namn eller personnummer i en kanal eller en gruppchatt. ' +
    'Barnets uppgifter hör bara hemma i korten, som bara de med en roll i ärendet kan se.',
  '- Dela bara det som är nödvändigt, relevant och proportionerligt för barnets stöd.',
].join('\n');

const helpWords: ReadonlySet<string> = new Set(['hjälp', 'hjalp', 'help', '?']);

/** Whether the user asked for help; tolerant of case, spacing, a trailing "!" and leftover mentions. */
export function isHelpRequest(text: string | undefined): boolean {
  if (text === undefined) return false;
  const normalized = text
    .normalize('NFC')
    .replace(/<at>.*?<\/at>/gi, ' ')
    .replace(/\u00a0/g, ' ')
    .trim()
    .toLowerCase();
  return helpWords.has(normalized) || helpWords.has(normalized.replace(/[!.]+$/, ''));
}

export async function answerHelp(context: TurnContext): Promise<void> {
  await context.sendActivity({ type: 'message', text: helpText, textFormat: 'markdown' });
}

/** What the bot says when it is installed: who it is and the first lines of "hjälp". */
export const welcomeText = [
  '**Välkommen till Backa barnet**',
  '',
  'Backa barnet hjälper oss att upptäcka barn som behöver stöd tidigt, och att ge dem samordnat stöd: ' +
    'ett barn, en plan.',
  '',
  '- Skriv **ny upptäckt** för att fylla i ett Upptäckarkort om ett barn du är orolig för.',
  '- Skriv **hjälp** för att se allt boten kan göra.',
  '',
  'Skriv aldrig ett barns namn eller personnummer i en kanal eller en gruppchatt.',
].join('\n');

/** Whether the bot itself is among the members just added, i.e. the app was just installed here. */
function isBotAdded(context: TurnContext): boolean {
  const botId = context.activity.recipient?.id;
  return botId !== undefined && (context.activity.membersAdded ?? []).some((member) => member.id === botId);
}

export function registerHelp<TState extends TurnState>(app: Application<TState>): void {
  app.message(async (context) => isHelpRequest(context.activity.text), answerHelp);
  app.conversationUpdate('membersAdded', async (context) => {
    // In the personal chat only: in a team the welcome would be one more post in a channel for
    // everyone, and the help is an @mention away there.
    if (!isBotAdded(context) || context.activity.conversation?.conversationType !== 'personal') return;
    await context.sendActivity({ type: 'message', text: welcomeText, textFormat: 'markdown' });
  });
}
