/**
 * The teams-ai router: which handler answers which activity. Handlers live one per file in
 * handlers/; the order here is the order routes are tried, so the catch-all comes last. Card
 * actions (`Action.Execute` invokes) are routed by verb.
 */
import { Application, type TurnState } from '@microsoft/teams-ai';
import { registerBarnteamBooking } from './handlers/barnteam/barnteam-booking.js';
import { registerBarnteamOutcome } from './handlers/barnteam/barnteam-outcome.js';
import { registerSkattning } from './handlers/barnteam/skattning.js';
import { registerBehovUppfyllt } from './handlers/behov-uppfyllt/behov-uppfyllt.js';
import { registerCaseOverview } from './handlers/case-overview.js';
import { registerStatistik } from './handlers/follow-up-figures/statistik.js';
import type { HandlerContext } from './handlers/handler-context.js';
import { registerHelp } from './handlers/help.js';
import { registerBarnetsPlan } from './handlers/individuellt-barnteam/barnets-plan.js';
import { registerLogReview } from './handlers/log-review/logguppfoljning.js';
import { registerBeslut } from './handlers/samtal-och-beslut/beslut.js';
import { registerSamtal } from './handlers/samtal-och-beslut/samtal.js';
import { registerSamtycke } from './handlers/samtycke/samtycke.js';
import { registerUnknownText } from './handlers/unknown-text.js';
import { registerArendeActions } from './handlers/upptackt/arende-actions.js';
import { registerKvittoRefresh } from './handlers/upptackt/kvitto-refresh.js';
import { registerNyUpptackt } from './handlers/upptackt/ny-upptackt.js';
import { registerUpptackarkortSubmit } from './handlers/upptackt/upptackarkort-submit.js';
import type { PersonalChat } from './personal-chat.js';

export interface ApplicationDependencies {
  readonly handlers: HandlerContext;
  readonly personalChat: PersonalChat;
}

export function createApplication(deps: ApplicationDependencies): Application<TurnState> {
  const app = new Application<TurnState>({
    // "@Backa barnet hjälp" in a channel arrives as "<at>Backa barnet</at> hjälp".
    removeRecipientMention: true,
    // Every typing indicator is one more call against Teams' per-conversation rate limit.
    startTypingTimer: false,
    longRunningMessages: false,
    // No storage: teams-ai's conversation state is not used; cases live in our own stores.
  });
  registerHelp(app);
  registerNyUpptackt(app, deps.handlers, deps.personalChat);
  registerUpptackarkortSubmit(app, deps.handlers);
  registerArendeActions(app, deps.handlers);
  registerKvittoRefresh(app, deps.handlers);
  registerSamtycke(app, deps.handlers);
  registerBeslut(app, deps.handlers);
  registerBehovUppfyllt(app, deps.handlers);
  registerSkattning(app, deps.handlers);
  registerSamtal(app, deps.handlers);
  registerBarnteamBooking(app, deps.handlers);
  registerBarnteamOutcome(app, deps.handlers);
  registerCaseOverview(app, deps.handlers, deps.personalChat);
  registerBarnetsPlan(app, deps.handlers);
  registerStatistik(app, deps.handlers);
  registerLogReview(app, deps.handlers, deps.personalChat);
  registerUnknownText(app);
  return app;
}
