/**
 * `statistik` (the term now), `statistik vt 2026`, `statistik ht 2025`: the process team's card of
 * a term's follow-up figures, with a link to the same figures as CSV. Someone outside the process
 * team gets a refusal and nothing of the figures; both are audited (read-term-figures.ts). The card
 * goes to the personal chat only: typed in a channel or a group chat the bot says where to ask,
 * since the card's CSV link works for whoever clicks it for ten minutes.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import { CardFactory, type TurnContext } from 'botbuilder';
import { renderStatistik } from '../../../cards/statistik/statistik.js';
import { figuresAuditActions, readTermFigures } from '../../../flows/follow-up-figures/read-term-figures.js';
import {
  formatTerm,
  isTermRequest,
  parseTermRequest,
} from '../../../flows/follow-up-figures/term-request.js';
import { actorMissing, unexpectedErrorMessage } from '../../user-messages.js';
import { type HandlerContext, readActor } from '../handler-context.js';

export const statistikMessages = {
  personalChatOnly:
    'Skriv statistik i din personliga chatt med Backa barnet, så visas siffrorna bara för dig.',
  notAvailable: 'Uppföljningssiffrorna kan inte tas fram på den här servern ännu.',
} as const;

const statistikSummary = 'Uppföljningssiffror för Backa barnet.';

export function registerStatistik<TState extends TurnState>(
  app: Application<TState>,
  handlers: HandlerContext,
): void {
  app.message(
    async (context) => isTermRequest(context.activity.text),
    async (context) => answerStatistik(context, handlers),
  );
}

async function answerStatistik(context: TurnContext, handlers: HandlerContext): Promise<void> {
  const { flow, logger } = handlers;
  const { activity } = context;
  const log = { command: 'statistik', activityId: activity.id };
  const reply = (text: string) => context.sendActivity({ type: 'message', text, textFormat: 'plain' });
  const actor = readActor(activity);
  if (actor === undefined) {
    await reply(actorMissing);
    return;
  }
  if (activity.conversation?.conversationType !== 'personal') {
    await reply(statistikMessages.personalChatOnly);
    return;
  }
  const request = parseTermRequest(activity.text ?? '', flow.clock.now());
  if (!request.ok) {
    await reply(request.message);
    return;
  }
  const source = handlers.followUpFigures;
  try {
    const read = await readTermFigures(
      flow,
      { actorId: actor.userId, term: request.term, action: figuresAuditActions.card },
      source?.compute ?? (async () => Promise.reject(new FiguresUnavailableError())),
    );
    logger.info({ ...log, term: formatTerm(request.term), outcome: read.outcome }, 'Statistik begärd');
    if (read.outcome === 'refused') {
      await reply(read.message);
      return;
    }
    const csvUrl = source?.csvUrl === undefined ? undefined : await source.csvUrl(actor.userId, request.term);
    const card = renderStatistik({ figures: read.figures, ...(csvUrl === undefined ? {} : { csvUrl }) });
    await context.sendActivity({ summary: statistikSummary, attachments: [CardFactory.adaptiveCard(card)] });
  } catch (error) {
    if (error instanceof FiguresUnavailableError) {
      logger.warn({ ...log, outcome: 'ingenKalla' }, 'Statistiken saknar beräkning');
      await reply(statistikMessages.notAvailable);
      return;
    }
    logger.error({ ...log, err: error, outcome: 'fel' }, 'Statistiken kunde inte visas');
    await reply(unexpectedErrorMessage);
  }
}

/** The server was started without the figures' pipeline. */
class FiguresUnavailableError extends Error {
  override readonly name = 'FiguresUnavailableError';
}
