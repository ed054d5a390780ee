/**
 * The case overview: `visa BB-XXXX-XXXX` typed to the bot, and the Visa ärendet button
 * (`arende.oversikt`) on the case's cards. Each read is audited (allowed or refused). Someone
 * without a role gets the same answer whether or not the reference exists, so the command
 * cannot be used to find out which references are real. The card goes to the personal chat
 * only: typed in a channel, the bot answers there with a pointer and nothing else.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import { CardFactory, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import {
  type ArendeOversiktData,
  arendeOversiktVerb,
  renderArendeOversikt,
} from '../../cards/arende/arende-oversikt.js';
import type { AdaptiveCardJson } from '../../cards/render-template.js';
import type { Case, UserId } from '../../flows/kernel/case.js';
import type { FlowDependencies } from '../../flows/kernel/case-effects.js';
import { normalizeCaseReference } from '../../flows/kernel/case-reference.js';
import { isDomainError } from '../../flows/kernel/errors.js';
import type { Versioned } from '../../flows/kernel/ports.js';
import { toArendeOversiktData } from '../card-views/case-overview-view.js';
import { readCaseForCard } from '../case-cards.js';
import { onActionExecute, renderMessageCard } from '../invoke-response.js';
import type { PersonalChat } from '../personal-chat.js';
import {
  actorMissing,
  cardNotRecognised,
  describeErrorForUser,
  personalChatUnreachable,
  refusedHeading,
  unexpectedErrorMessage,
} from '../user-messages.js';
import { type HandlerContext, readActor } from './handler-context.js';

/** The notification preview: the reference only. */
const overviewSummary = 'Översikt över ett ärende i Backa barnet.';

export const overviewMessages = {
  notFoundOrNoRole:
    'Det finns inget ärende med den referensen som du har en roll i. Kontrollera referensen, till exempel BB-4K7Q-2M9C.',
  sentToPersonalChat: 'Översikten finns i din personliga chatt med Backa barnet.',
  usage: 'Skriv visa och ärendets referens, till exempel: visa BB-4K7Q-2M9C',
} as const;

const ZOverviewData = z.object({ caseId: z.string().min(1).max(100) });

/** `visa BB-…` (any case, spaces or dashes, after an @mention in a channel): the reference, or `undefined`. */
export function readOverviewRequest(text: string | undefined): { reference: string | undefined } | undefined {
  if (text === undefined) return undefined;
  const cleaned = text
    .replace(/<at>.*?<\/at>/gi, ' ')
    .replace(/\u00a0/g, ' ')
    .trim();
  const match = /^visa\s+(.+)$/i.exec(cleaned);
  if (match === null) return undefined;
  return { reference: normalizeCaseReference(match[1] ?? '') };
}

/**
 * The overview card for `viewerId` from the case as read, with the next booked Barnteam of the
 * child; `undefined` when the viewer has no role in the case.
 */
export async function renderOverviewFor(
  flow: FlowDependencies,
  current: Versioned<Case>,
  viewerId: UserId,
  banner?: ArendeOversiktData['banner'],
): Promise<AdaptiveCardJson | undefined> {
  const now = flow.clock.now().toISOString();
  const meetings = await flow.stores.meetings.listForCase(current.value.id);
  const next = meetings
    .map((meeting) => meeting.value)
    .filter((meeting) => (meeting.state === 'booked' || meeting.state === 'moved') && meeting.start > now)
    .sort((a, b) => a.start.localeCompare(b.start))[0];
  const data = toArendeOversiktData(current, viewerId, flow.directory, {
    ...(banner === undefined ? {} : { banner }),
    ...(next === undefined ? {} : { nextMeetingStart: next.start }),
  });
  return data === undefined ? undefined : renderArendeOversikt(data);
}

export function registerCaseOverview<TState extends TurnState>(
  app: Application<TState>,
  handlers: HandlerContext,
  personalChat: PersonalChat,
): void {
  app.message(
    async (context) => readOverviewRequest(context.activity.text) !== undefined,
    async (context) => answerOverviewCommand(context, handlers, personalChat),
  );
  onActionExecute(app, arendeOversiktVerb, (context, data) => showOverview(context, data, handlers));
}

async function showOverview(
  context: TurnContext,
  data: Record<string, unknown>,
  handlers: HandlerContext,
): Promise<AdaptiveCardJson> {
  const { flow, logger } = handlers;
  const log = { verb: arendeOversiktVerb, activityId: context.activity.id };
  const actor = readActor(context.activity);
  if (actor === undefined) return renderMessageCard(actorMissing, { heading: refusedHeading });
  const parsed = ZOverviewData.safeParse(data);
  if (!parsed.success) return renderMessageCard(cardNotRecognised);
  try {
    const read = await readCaseForCard(flow, parsed.data.caseId, actor.userId, (current) =>
      renderOverviewFor(flow, current, actor.userId),
    );
    logger.info({ ...log, caseId: parsed.data.caseId, outcome: read.outcome }, 'Ärendeöversikt visad');
    if (read.outcome === 'shown') return read.card;
    return renderMessageCard(overviewMessages.notFoundOrNoRole, { heading: refusedHeading });
  } catch (error) {
    if (isDomainError(error)) return renderMessageCard(describeErrorForUser(error));
    logger.error({ ...log, err: error, outcome: 'fel' }, 'Ärendeöversikten kunde inte visas');
    return renderMessageCard(unexpectedErrorMessage);
  }
}

async function answerOverviewCommand(
  context: TurnContext,
  handlers: HandlerContext,
  personalChat: PersonalChat,
): Promise<void> {
  const { flow, logger } = handlers;
  const { activity } = context;
  const log = { command: 'visa', activityId: activity.id };
  const reply = (text: string) => context.sendActivity({ type: 'message', text, textFormat: 'plain' });
  const actor = readActor(activity);
  if (actor === undefined) {
    await reply(actorMissing);
    return;
  }
  const reference = readOverviewRequest(activity.text)?.reference;
  if (reference === undefined) {
    await reply(overviewMessages.usage);
    return;
  }
  try {
    const caseId = await flow.stores.cases.findCaseIdByReference(reference);
    const read =
      caseId === undefined
        ? ({ outcome: 'notFound' } as const)
        : await readCaseForCard(flow, caseId, actor.userId, (current) =>
            renderOverviewFor(flow, current, actor.userId),
          );
    logger.info(
      { ...log, ...(caseId === undefined ? {} : { caseId }), outcome: read.outcome },
      'Ärendeöversikt begärd',
    );
    if (read.outcome !== 'shown') {
      await reply(overviewMessages.notFoundOrNoRole);
      return;
    }
    if (activity.conversation?.conversationType === 'personal') {
      await context.sendActivity({
        summary: overviewSummary,
        attachments: [CardFactory.adaptiveCard(read.card)],
      });
      return;
    }
    const delivered = await personalChat.sendCard(context, read.card, overviewSummary);
    await reply(delivered === 'unreachable' ? personalChatUnreachable : overviewMessages.sentToPersonalChat);
  } catch (error) {
    logger.error({ ...log, err: error, outcome: 'fel' }, 'Ärendeöversikten kunde inte visas');
    await reply(isDomainError(error) ? describeErrorForUser(error) : unexpectedErrorMessage);
  }
}
