/**
 * The teams-ai router: which handler answers which activity. Handlers live one per file in
 * handlers/; the order here is the order routes are tried, so the catch-all comes last.
 */
import { Application, type TurnState } from '@microsoft/teams-ai';
import { registerHelp } from './handlers/help.js';
import { registerUnknownText } from './handlers/unknown-text.js';

export function createApplication(): Application<TurnState> {
  const app = new Application<TurnState>({
    // "@Backa barnet hjälp" in a channel arrives as "<at>Backa barnet</at> hjälp".
    removeRecipientMention: true,
    // Every typing indicator is one more call against Teams' per-conversation rate limit.
    startTypingTimer: false,
    longRunningMessages: false,
    // No storage: teams-ai's conversation state is not used; cases live in our own stores.
  });
  registerHelp(app);
  registerUnknownText(app);
  return app;
}
