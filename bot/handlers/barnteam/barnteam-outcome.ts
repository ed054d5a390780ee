/**
 * A booked Barnteam meeting after the booking, for its convener: `barnteam.flytta` moves it
 * (without a chosen time it looks up free times and shows them on the card), `barnteam.stall`
 * cancels it, and `barnteam.utfall` records the meeting's outcome for one child. Starting an
 * Individuellt barnteam without the updated written consent answers the joint compass card again
 * with the guard's Swedish reason. The acting user comes from the activity; ids are claims.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { barnteamBokatVerbs, renderBarnteamBokat } from '../../../cards/barnteam/barnteam-bokat.js';
import {
  gemensamBehovskompassVerb,
  renderGemensamBehovskompass,
} from '../../../cards/barnteam/gemensam-behovskompass.js';
import type { AdaptiveCardJson } from '../../../cards/render-template.js';
import { type BarnteamDependencies, proposeBarnteamSlots } from '../../../flows/barnteam/book-barnteam.js';
import {
  type ChangeMeetingResult,
  cancelBarnteamMeeting,
  moveBarnteamMeeting,
} from '../../../flows/barnteam/change-barnteam-meeting.js';
import { recordBarnteamOutcome } from '../../../flows/barnteam/record-barnteam-outcome.js';
import type { Actor } from '../../../flows/kernel/case-effects.js';
import { isDomainError } from '../../../flows/kernel/errors.js';
import type { BarnteamMeeting, Versioned } from '../../../flows/kernel/ports.js';
import { toGemensamBehovskompassData } from '../../card-views/joint-compass-view.js';
import { toBarnteamBokatData, toCardSlot } from '../../card-views/samtal-beslut-barnteam-views.js';
import { formatMeetingTime } from '../../card-views/upptackt-views.js';
import { onActionExecute, renderMessageCard } from '../../invoke-response.js';
import {
  actorMissing,
  cardNotRecognised,
  describeErrorCode,
  describeErrorForUser,
  refusedHeading,
  unexpectedErrorMessage,
} from '../../user-messages.js';
import { type HandlerContext, readActor } from '../handler-context.js';
import { startTeamFromBarnteamOutcome } from '../individuellt-barnteam/start-from-barnteam.js';
import { earliestMeetingStart, noCalendarMessage, withMissedReminders } from './barnteam-booking.js';

export const cancelledNotice = 'Barnteam är inställt. Medlemmarna får besked.';
export const movedNotice = 'Mötet är flyttat. Medlemmarna får besked.';

const ZMeetingCardData = z.object({
  meetingId: z.string().min(1).max(200),
  etag: z.string().min(1).max(200),
  newSlot: z.string().max(100).optional(),
  caseId: z.string().min(1).max(100).optional(),
  outcome: z.enum(['stod', 'individuelltBarnteam']).optional(),
  proposedSupport: z.string().max(500).optional(),
  supportBy: z.string().max(200).optional(),
  followUpDate: z.string().max(20).optional(),
});
type MeetingCardData = z.infer<typeof ZMeetingCardData>;

type Step = (
  input: { actor: Actor; card: MeetingCardData; deps: BarnteamDependencies | undefined },
  handlers: HandlerContext,
) => Promise<AdaptiveCardJson>;

export function registerBarnteamOutcome<TState extends TurnState>(
  app: Application<TState>,
  handlers: HandlerContext,
): void {
  onActionExecute(app, barnteamBokatVerbs.flytta, (context, data) =>
    runMeetingStep(context, data, handlers, barnteamBokatVerbs.flytta, moveMeeting),
  );
  onActionExecute(app, barnteamBokatVerbs.stall, (context, data) =>
    runMeetingStep(context, data, handlers, barnteamBokatVerbs.stall, cancelMeeting),
  );
  onActionExecute(app, gemensamBehovskompassVerb, (context, data) =>
    runMeetingStep(context, data, handlers, gemensamBehovskompassVerb, recordOutcome),
  );
}

async function runMeetingStep(
  context: TurnContext,
  data: Record<string, unknown>,
  handlers: HandlerContext,
  verb: string,
  step: Step,
): Promise<AdaptiveCardJson> {
  const log = { verb, activityId: context.activity.id };
  const actor = readActor(context.activity);
  if (actor === undefined) return renderMessageCard(actorMissing, { heading: refusedHeading });
  const parsed = ZMeetingCardData.safeParse(data);
  if (!parsed.success) return renderMessageCard(cardNotRecognised);
  const deps =
    handlers.calendar === undefined ? undefined : { ...handlers.flow, calendar: handlers.calendar };
  try {
    return await step({ actor, card: parsed.data, deps }, handlers);
  } catch (error) {
    if (isDomainError(error, 'notFound')) {
      return renderMessageCard(describeErrorCode('notFound'), { heading: refusedHeading });
    }
    if (isDomainError(error)) {
      handlers.logger.warn({ ...log, outcome: error.code }, 'Mötesåtgärden kunde inte utföras');
      return renderMessageCard(describeErrorForUser(error));
    }
    handlers.logger.error({ ...log, err: error, outcome: 'fel' }, 'Mötesåtgärden misslyckades');
    return renderMessageCard(unexpectedErrorMessage);
  }
}

const moveMeeting: Step = async ({ actor, card, deps }, handlers) => {
  if (deps === undefined) return renderMessageCard(noCalendarMessage);
  const current = await deps.stores.meetings.get(card.meetingId);
  if (current === undefined)
    return renderMessageCard(describeErrorCode('notFound'), { heading: refusedHeading });
  const start = Date.parse(card.newSlot ?? '');
  if (Number.isNaN(start)) return showAlternatives(current, actor, deps, handlers);
  const length = Date.parse(current.value.end) - Date.parse(current.value.start);
  const result = await moveBarnteamMeeting(deps, {
    meetingId: card.meetingId,
    etag: card.etag,
    actor,
    slot: { start: new Date(start).toISOString(), end: new Date(start + length).toISOString() },
    at: deps.clock.now().toISOString(),
  });
  return answerChange(result, actor, handlers, movedNotice, barnteamBokatVerbs.flytta);
};

/** No time chosen: the free times for the same agenda, offered on the card to move to. */
async function showAlternatives(
  current: Versioned<BarnteamMeeting>,
  actor: Actor,
  deps: BarnteamDependencies,
  handlers: HandlerContext,
): Promise<AdaptiveCardJson> {
  if (current.value.convenerUserId !== actor.userId) {
    return renderMessageCard('Bara den Barnkontakt som sammankallar Barnteamet kan flytta mötet.', {
      heading: refusedHeading,
    });
  }
  const proposal = await proposeBarnteamSlots(deps, {
    unitId: current.value.unitId,
    caseIds: current.value.agenda.filter((item) => item.removedAt === undefined).map((item) => item.caseId),
    actor,
    from: earliestMeetingStart(deps, current.value.unitId),
  });
  const slots = proposal.outcome === 'proposed' ? proposal.slots.map(toCardSlot) : [];
  const notice =
    proposal.outcome === 'refused'
      ? proposal.message
      : slots.length === 0
        ? (proposal.noSlotMessage ?? 'Ingen ledig tid hittades.')
        : 'Välj en ny tid och tryck på Flytta till vald tid.';
  const data = toBarnteamBokatData(current, actor.userId, handlers.flow.directory, {
    alternativeSlots: slots,
    formError: notice,
  });
  return data === undefined ? renderMessageCard(notice) : renderBarnteamBokat(data);
}

const cancelMeeting: Step = async ({ actor, card, deps }, handlers) => {
  if (deps === undefined) return renderMessageCard(noCalendarMessage);
  // The reason stays on the card: it may describe a family, so it goes to no calendar or log.
  const result = await cancelBarnteamMeeting(deps, {
    meetingId: card.meetingId,
    etag: card.etag,
    actor,
    at: deps.clock.now().toISOString(),
  });
  return answerChange(result, actor, handlers, cancelledNotice, barnteamBokatVerbs.stall);
};

function answerChange(
  result: ChangeMeetingResult,
  actor: Actor,
  handlers: HandlerContext,
  notice: string,
  verb: string,
): AdaptiveCardJson {
  handlers.logger.info({ verb, outcome: result.outcome }, 'Barnteam ändrat');
  if (result.outcome === 'refused') return renderMessageCard(result.message, { heading: refusedHeading });
  if (result.outcome !== 'stale') handlers.kick();
  const message = result.outcome === 'applied' ? notice : result.message;
  if (result.meeting.value.state === 'cancelled') {
    return renderMessageCard(`${message} (${formatMeetingTime(result.meeting.value.start)})`);
  }
  const data = toBarnteamBokatData(
    result.meeting,
    actor.userId,
    handlers.flow.directory,
    result.outcome === 'applied'
      ? { confirmation: withMissedReminders(message, result.meeting.value, handlers.flow) }
      : { formError: message },
  );
  return data === undefined ? renderMessageCard(message) : renderBarnteamBokat(data);
}

const recordOutcome: Step = async ({ actor, card }, handlers) => {
  const { flow } = handlers;
  if (card.caseId === undefined || card.outcome === undefined) return renderMessageCard(cardNotRecognised);
  if (card.outcome === 'individuelltBarnteam') {
    const started = await startTeamFromBarnteamOutcome(
      actor,
      { meetingId: card.meetingId, caseId: card.caseId, etag: card.etag },
      handlers,
    );
    if (started !== undefined) return started;
  }
  const startIb = card.outcome === 'individuelltBarnteam';
  const what = card.proposedSupport?.trim() ?? '';
  const byWhom = card.supportBy?.trim() ?? '';
  const followUpDate = card.followUpDate?.trim() ?? '';
  const result = await recordBarnteamOutcome(flow, {
    meetingId: card.meetingId,
    caseId: card.caseId,
    actor,
    outcome: {
      ...(startIb ? { startIndividuelltBarnteam: true } : {}),
      ...(what === '' && byWhom === '' ? {} : { proposedSupport: [{ what, byWhom }] }),
      ...(followUpDate === '' ? {} : { followUpDate }),
    },
    at: flow.clock.now().toISOString(),
  });
  handlers.logger.info(
    {
      verb: gemensamBehovskompassVerb,
      meetingId: card.meetingId,
      caseId: card.caseId,
      outcome: result.outcome,
    },
    'Utfall för Barnteam',
  );
  if (result.outcome === 'refused' && result.cause === 'accessDenied') {
    return renderMessageCard(result.message, { heading: refusedHeading });
  }
  if (result.outcome !== 'refused') handlers.kick();
  const notice = result.outcome === 'applied' ? 'Utfallet är sparat.' : result.message;
  const meeting = await flow.stores.meetings.get(card.meetingId);
  const caseValue = await flow.stores.cases.get(card.caseId);
  const data =
    meeting === undefined || caseValue === undefined
      ? undefined
      : toGemensamBehovskompassData(
          {
            meeting: meeting.value,
            caseValue,
            viewerId: actor.userId,
            directory: flow.directory,
            now: flow.clock.now().toISOString(),
          },
          result.outcome === 'refused'
            ? { values: readOutcomeValues(card), formError: notice }
            : { confirmation: result.outcome === 'applied' ? `Sparat. ${notice}` : notice },
        );
  return data === undefined ? renderMessageCard(notice) : renderGemensamBehovskompass(data);
};

function readOutcomeValues(card: MeetingCardData) {
  return {
    ...(card.proposedSupport === undefined ? {} : { proposedSupport: card.proposedSupport }),
    ...(card.supportBy === undefined ? {} : { supportBy: card.supportBy }),
    ...(card.followUpDate === undefined ? {} : { followUpDate: card.followUpDate }),
  };
}
