/**
 * `logguppföljning` (or `logguppfoljning`), optionally with a period: a log reviewer gets the
 * review of the access log as a card; anyone else a refusal, audited like the review. The card
 * names staff and case references, so it goes to the personal chat only: typed in a channel,
 * the bot answers there with a pointer and nothing else.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import { CardFactory, type TurnContext } from 'botbuilder';
import { renderLogguppfoljning } from '../../../cards/logguppfoljning/logguppfoljning.js';
import { isDomainError } from '../../../flows/kernel/errors.js';
import {
  isLogReviewer,
  type LogReview,
  logReviewMessages,
  reviewAccessLog,
} from '../../../flows/log-review/review-access-log.js';
import {
  parseReviewPeriod,
  readLogReviewCommand,
  reviewToday,
} from '../../../flows/log-review/review-period.js';
import { toLogguppfoljningData } from '../../card-views/log-review-view.js';
import type { PersonalChat } from '../../personal-chat.js';
import {
  actorMissing,
  describeErrorForUser,
  personalChatUnreachable,
  unexpectedErrorMessage,
} from '../../user-messages.js';
import { type HandlerContext, readActor } from '../handler-context.js';

/** The notification preview: no case, no name. */
export const logReviewSummary = 'Logguppföljning av åtkomstloggen i Backa barnet.';

export const logReviewReplies = {
  sentToPersonalChat: 'Logguppföljningen finns i din personliga chatt med Backa barnet.',
} as const;

export function registerLogReview<TState extends TurnState>(
  app: Application<TState>,
  handlers: HandlerContext,
  personalChat: PersonalChat,
): void {
  app.message(
    async (context) => readLogReviewCommand(context.activity.text) !== undefined,
    async (context) => answerLogReview(context, handlers, personalChat),
  );
}

/** The review's card, for the command and the weekly summary alike. */
export function renderLogReviewCard(review: LogReview, handlers: Pick<HandlerContext, 'flow'>) {
  return renderLogguppfoljning(toLogguppfoljningData(review, handlers.flow.directory));
}

async function answerLogReview(
  context: TurnContext,
  handlers: HandlerContext,
  personalChat: PersonalChat,
): Promise<void> {
  const { flow, logger } = handlers;
  const { activity } = context;
  const log = { command: 'logguppfoljning', activityId: activity.id };
  const reply = (text: string) => context.sendActivity({ type: 'message', text, textFormat: 'plain' });
  const actor = readActor(activity);
  if (actor === undefined) {
    await reply(actorMissing);
    return;
  }
  const today = reviewToday(flow.clock.now());
  const parsed = parseReviewPeriod(readLogReviewCommand(activity.text) ?? [], today);
  try {
    // A non-reviewer is refused whatever they typed, and the refusal is audited with the period
    // they would have got; a reviewer who mistyped the period is told how to write it.
    if (!parsed.ok && isLogReviewer(flow.directory, actor.userId)) {
      logger.info({ ...log, outcome: 'ogiltigPeriod' }, 'Logguppföljning begärd');
      await reply(parsed.message);
      return;
    }
    const period = parsed.ok ? parsed.period : parseReviewPeriodOrDefault(today);
    const result = await reviewAccessLog(flow, actor.userId, period);
    logger.info({ ...log, outcome: result.outcome }, 'Logguppföljning begärd');
    if (result.outcome === 'refused') {
      await reply(logReviewMessages.notReviewer);
      return;
    }
    const card = renderLogReviewCard(result.review, handlers);
    if (activity.conversation?.conversationType === 'personal') {
      await context.sendActivity({
        summary: logReviewSummary,
        attachments: [CardFactory.adaptiveCard(card)],
      });
      return;
    }
    const delivered = await personalChat.sendCard(context, card, logReviewSummary);
    await reply(delivered === 'unreachable' ? personalChatUnreachable : logReviewReplies.sentToPersonalChat);
  } catch (error) {
    logger.error({ ...log, err: error, outcome: 'fel' }, 'Logguppföljningen kunde inte visas');
    await reply(isDomainError(error) ? describeErrorForUser(error) : unexpectedErrorMessage);
  }
}

function parseReviewPeriodOrDefault(today: string) {
  const fallback = parseReviewPeriod([], today);
  if (!fallback.ok) throw new Error('The default review period is always valid');
  return fallback.period;
}
