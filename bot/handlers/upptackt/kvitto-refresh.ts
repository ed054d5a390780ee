/**
 * `kvitto.visa`: the refresh of the Upptäckare's receipt, so the card in their chat shows where
 * the case stands now ("Mottaget av … den …"). Only the Upptäckare gets a receipt; anyone else
 * gets a refusal without case data, and the attempt is audited.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { AdaptiveCardJson } from '../../../cards/render-template.js';
import { kvittoRefreshVerb } from '../../../cards/upptackt/upptackarkort-kvitto.js';
import { isDomainError } from '../../../flows/kernel/errors.js';
import { readCaseForCard, readKvittoDelivery, renderKvittoCard } from '../../case-cards.js';
import { onActionExecute, renderMessageCard } from '../../invoke-response.js';
import {
  actorMissing,
  cardNotRecognised,
  describeErrorCode,
  describeErrorForUser,
  unexpectedErrorMessage,
} from '../../user-messages.js';
import { type HandlerContext, readActor } from '../handler-context.js';

const ZKvittoData = z.object({ caseId: z.string().min(1).max(100) });

export function registerKvittoRefresh<TState extends TurnState>(
  app: Application<TState>,
  handlers: HandlerContext,
): void {
  onActionExecute(app, kvittoRefreshVerb, (context, data) => showKvitto(context, data, handlers));
}

async function showKvitto(
  context: TurnContext,
  data: Record<string, unknown>,
  handlers: HandlerContext,
): Promise<AdaptiveCardJson> {
  const { flow, logger } = handlers;
  const log = { verb: kvittoRefreshVerb, activityId: context.activity.id };
  const actor = readActor(context.activity);
  if (actor === undefined) return renderMessageCard(actorMissing);
  const parsed = ZKvittoData.safeParse(data);
  if (!parsed.success) return renderMessageCard(cardNotRecognised);
  const caseLog = { ...log, caseId: parsed.data.caseId };
  try {
    const read = await readCaseForCard(flow, parsed.data.caseId, actor.userId, async (current) =>
      renderKvittoCard(current.value, actor.userId, flow.directory, {
        delivery: await readKvittoDelivery(flow.stores, current.value, actor.userId),
      }),
    );
    logger.info({ ...caseLog, outcome: read.outcome }, 'Kvittot uppdaterat');
    if (read.outcome === 'shown') return read.card;
    return renderMessageCard(describeErrorCode(read.outcome === 'notFound' ? 'notFound' : 'accessDenied'));
  } catch (error) {
    logger.error({ ...caseLog, err: error, outcome: 'fel' }, 'Kvittot kunde inte visas');
    return renderMessageCard(isDomainError(error) ? describeErrorForUser(error) : unexpectedErrorMessage);
  }
}
