/**
 * The Barnkontakt's actions on the notification card: `arende.taEmot`, `arende.skickaVidare`
 * (`targetUnitId`, `forwardReason`), `arende.avboj` (`declineReason`), and the card's refresh
 * `arende.visa`. The acting user comes from the activity; the case id and ETag from the card are
 * only claims, checked by the use case against the user's role in that case (docs/security.md 6, 12).
 *
 * The answer is always a card: the answered card, the notification as it is now (after a stale
 * click, with a line saying so), or a short refusal without any case data.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { AdaptiveCardJson } from '../../../cards/render-template.js';
import { barnkontaktNotisVerbs } from '../../../cards/upptackt/barnkontakt-notis.js';
import type { Actor } from '../../../flows/kernel/case-effects.js';
import { isDomainError } from '../../../flows/kernel/errors.js';
import { toStockholmDate } from '../../../flows/kernel/working-time.js';
import { type ResponseAction, respondToCase } from '../../../flows/upptackt/respond-to-case.js';
import { readCaseForCard, renderBarnkontaktCard } from '../../case-cards.js';
import { onActionExecute, renderMessageCard } from '../../invoke-response.js';
import {
  actorMissing,
  cardNotRecognised,
  describeErrorCode,
  describeErrorForUser,
  unexpectedErrorMessage,
} from '../../user-messages.js';
import { type HandlerContext, readActor } from '../handler-context.js';

const ZArendeActionData = z.object({
  caseId: z.string().min(1).max(100),
  etag: z.string().min(1).max(200).optional(),
  targetUnitId: z.string().max(100).optional(),
  forwardReason: z.string().max(4000).optional(),
  declineReason: z.string().max(4000).optional(),
});
type ArendeActionData = z.infer<typeof ZArendeActionData>;

const responseVerbs: Readonly<Record<string, ResponseAction>> = {
  [barnkontaktNotisVerbs.taEmot]: 'taEmot',
  [barnkontaktNotisVerbs.skickaVidare]: 'skickaVidare',
  [barnkontaktNotisVerbs.avboj]: 'avboj',
};

const refusedHeading = 'Åtgärden nekades';

export function registerArendeActions<TState extends TurnState>(
  app: Application<TState>,
  handlers: HandlerContext,
): void {
  for (const [verb, action] of Object.entries(responseVerbs)) {
    onActionExecute(app, verb, (context, data) => answerCase(context, data, action, verb, handlers));
  }
  onActionExecute(app, barnkontaktNotisVerbs.visa, (context, data) => showCase(context, data, handlers));
}

async function answerCase(
  context: TurnContext,
  data: Record<string, unknown>,
  action: ResponseAction,
  verb: string,
  handlers: HandlerContext,
): Promise<AdaptiveCardJson> {
  const { flow, logger } = handlers;
  const log = { verb, activityId: context.activity.id };
  const actor = readActor(context.activity);
  if (actor === undefined) return renderMessageCard(actorMissing, { heading: refusedHeading });
  const parsed = ZArendeActionData.safeParse(data);
  if (!parsed.success || parsed.data.etag === undefined) {
    logger.warn({ ...log, outcome: 'okantKort' }, 'Kortåtgärd utan ärende eller version');
    return renderMessageCard(cardNotRecognised);
  }
  const input = parsed.data;
  const caseLog = { ...log, caseId: input.caseId };
  const now = flow.clock.now();
  const today = toStockholmDate(now);
  try {
    const result = await respondToCase(flow, {
      caseId: input.caseId,
      cardEtag: input.etag as string,
      actor,
      action,
      ...readReason(action, input),
      ...(action === 'skickaVidare' && input.targetUnitId ? { targetUnitId: input.targetUnitId } : {}),
      at: now.toISOString(),
    });
    logger.info({ ...caseLog, outcome: result.outcome }, 'Kortåtgärd besvarad');
    if (result.outcome === 'refused') {
      return renderMessageCard(result.message, { heading: refusedHeading });
    }
    // Applied or repeated: the outbox holds the messages; deliver them after this answer.
    if (result.outcome !== 'stale') handlers.kick();
    const stale = result.outcome === 'stale';
    const card = renderBarnkontaktCard(result.caseValue, actor.userId, flow.directory, {
      today,
      stale,
      ...(stale ? { staleMessage: result.message } : {}),
    });
    return card ?? renderMessageCard(stale ? result.message : 'Klart.');
  } catch (error) {
    return answerError(error, { actor, caseId: input.caseId, today, log: caseLog, handlers });
  }
}

function readReason(action: ResponseAction, input: ArendeActionData): { reason?: string } {
  const reason =
    action === 'skickaVidare' ? input.forwardReason : action === 'avboj' ? input.declineReason : undefined;
  return reason === undefined ? {} : { reason };
}

interface ErrorContext {
  readonly actor: Actor;
  readonly caseId: string;
  readonly today: string;
  readonly log: Record<string, unknown>;
  readonly handlers: HandlerContext;
}

async function answerError(error: unknown, errorContext: ErrorContext): Promise<AdaptiveCardJson> {
  const { actor, caseId, today, log, handlers } = errorContext;
  const { flow, logger } = handlers;
  if (isDomainError(error, 'invalidInput')) {
    // A missing reason or target: the same notification, the message above the actions.
    logger.info({ ...log, outcome: 'ogiltigt', field: error.details.field }, 'Kortåtgärden saknar uppgifter');
    try {
      const read = await readCaseForCard(flow, caseId, actor.userId, (current) =>
        renderBarnkontaktCard(current, actor.userId, flow.directory, { today, notice: error.message }),
      );
      if (read.outcome === 'shown') return read.card;
    } catch (readError) {
      logger.warn({ ...log, err: readError }, 'Kortet kunde inte läsas om');
    }
    return renderMessageCard(error.message);
  }
  if (isDomainError(error, 'notFound')) {
    logger.info({ ...log, outcome: 'finnsInte' }, 'Kortåtgärd på ett ärende som inte finns');
    return renderMessageCard(describeErrorCode('notFound'), { heading: refusedHeading });
  }
  if (isDomainError(error)) {
    logger.warn({ ...log, outcome: error.code }, 'Kortåtgärden kunde inte utföras');
    return renderMessageCard(describeErrorForUser(error));
  }
  logger.error({ ...log, err: error, outcome: 'fel' }, 'Kortåtgärden misslyckades');
  return renderMessageCard(unexpectedErrorMessage);
}

async function showCase(
  context: TurnContext,
  data: Record<string, unknown>,
  handlers: HandlerContext,
): Promise<AdaptiveCardJson> {
  const { flow, logger } = handlers;
  const log = { verb: barnkontaktNotisVerbs.visa, activityId: context.activity.id };
  const actor = readActor(context.activity);
  if (actor === undefined) return renderMessageCard(actorMissing, { heading: refusedHeading });
  const parsed = ZArendeActionData.safeParse(data);
  if (!parsed.success) return renderMessageCard(cardNotRecognised);
  const caseLog = { ...log, caseId: parsed.data.caseId };
  try {
    const read = await readCaseForCard(flow, parsed.data.caseId, actor.userId, (current, today) =>
      renderBarnkontaktCard(current, actor.userId, flow.directory, { today }),
    );
    logger.info({ ...caseLog, outcome: read.outcome }, 'Ärendekortet uppdaterat');
    if (read.outcome === 'shown') return read.card;
    return renderMessageCard(describeErrorCode(read.outcome === 'notFound' ? 'notFound' : 'accessDenied'), {
      heading: refusedHeading,
    });
  } catch (error) {
    logger.error({ ...caseLog, err: error, outcome: 'fel' }, 'Ärendekortet kunde inte visas');
    return renderMessageCard(isDomainError(error) ? describeErrorForUser(error) : unexpectedErrorMessage);
  }
}
