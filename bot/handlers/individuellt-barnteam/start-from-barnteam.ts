/**
 * "Starta Individuellt barnteam" on the Barnteam's joint compass (`barnteam.utfall` with
 * `outcome: individuelltBarnteam`): the team's own use case starts it (recording the meeting's
 * outcome with it) and the convener gets Barnets plan to pick the team's members from. A refusal
 * for the process's sake (the updated written consent is missing, the child is off the agenda) is
 * left to the joint compass card, which shows the reason beside the disabled button.
 */
import { renderBarnetsPlan } from '../../../cards/individuellt-barnteam/barnets-plan.js';
import type { AdaptiveCardJson } from '../../../cards/render-template.js';
import { startIndividuelltBarnteam } from '../../../flows/individuellt-barnteam/start-individuellt-barnteam.js';
import type { Actor } from '../../../flows/kernel/case-effects.js';
import { toBarnetsPlanData } from '../../card-views/individual-team-views.js';
import { renderMessageCard } from '../../invoke-response.js';
import { refusedHeading } from '../../user-messages.js';
import type { HandlerContext } from '../handler-context.js';
import { planNotices } from './barnets-plan.js';

/** The plan card once started; `undefined` when the joint compass should answer with the reason. */
export async function startTeamFromBarnteamOutcome(
  actor: Actor,
  card: { readonly meetingId: string; readonly caseId: string; readonly etag: string },
  handlers: HandlerContext,
): Promise<AdaptiveCardJson | undefined> {
  const { flow, logger } = handlers;
  const at = flow.clock.now().toISOString();
  const result = await startIndividuelltBarnteam(flow, {
    caseId: card.caseId,
    etag: card.etag,
    actor,
    via: 'barnteam',
    meetingId: card.meetingId,
    at,
  });
  logger.info(
    { verb: 'barnteam.utfall', caseId: card.caseId, meetingId: card.meetingId, outcome: result.outcome },
    'Individuellt barnteam startat från Barnteam',
  );
  if (result.outcome === 'refused') {
    return result.cause === 'accessDenied'
      ? renderMessageCard(result.message, { heading: refusedHeading })
      : undefined;
  }
  if (result.outcome !== 'stale') handlers.kick();
  const view = toBarnetsPlanData(
    result.caseValue,
    actor.userId,
    flow.directory,
    at,
    result.outcome === 'applied' ? { confirmation: planNotices.started } : { formError: result.message },
    { deepCompass: handlers.deepCompassCatalogue },
  );
  return view === undefined ? undefined : renderBarnetsPlan(view);
}
