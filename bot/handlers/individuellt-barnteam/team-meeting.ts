/**
 * The plan card's meeting verbs: `plan.foreslaMote` ("Boka nästa möte") answers with the plan and
 * the proposed times as buttons; `plan.bokaMote` (a time's button) books it and answers with the
 * plan showing "Nästa möte: …". The actor comes from the activity; the case id, version,
 * proposal id and time in the card data are claims the use case checks. Field ids only are logged.
 */

import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { barnetsPlanVerbs, renderBarnetsPlan } from '../../../cards/individuellt-barnteam/barnets-plan.js';
import type { AdaptiveCardJson } from '../../../cards/render-template.js';
import {
  bookTeamMeeting,
  type ProposeTeamMeetingResult,
  proposeTeamMeeting,
  type TeamMeetingDependencies,
} from '../../../flows/individuellt-barnteam/book-team-meeting.js';
import { readPlanCardVersion } from '../../../flows/individuellt-barnteam/plan-command.js';
import type { Case } from '../../../flows/kernel/case.js';
import { isDomainError } from '../../../flows/kernel/errors.js';
import type { Versioned } from '../../../flows/kernel/ports.js';
import { toBarnetsPlanData } from '../../card-views/individual-team-views.js';
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
import { noCalendarMessage } from '../barnteam/barnteam-booking.js';
import { type HandlerContext, readActor } from '../handler-context.js';

const ZMeetingCardData = z.object({
  caseId: z.string().min(1).max(100),
  etag: z.string().min(1).max(200),
  proposalId: z.string().min(1).max(64).optional(),
  start: z.string().max(40).optional(),
  end: z.string().max(40).optional(),
});

type PlanForm = NonNullable<Parameters<typeof toBarnetsPlanData>[4]>;

export function registerTeamMeeting<TState extends TurnState>(
  app: Application<TState>,
  handlers: HandlerContext,
): void {
  onActionExecute(app, barnetsPlanVerbs.foreslaMote, (context, data) =>
    runMeetingVerb(context, data, handlers, barnetsPlanVerbs.foreslaMote),
  );
  onActionExecute(app, barnetsPlanVerbs.bokaMote, (context, data) =>
    runMeetingVerb(context, data, handlers, barnetsPlanVerbs.bokaMote),
  );
}

async function runMeetingVerb(
  context: TurnContext,
  data: Record<string, unknown>,
  handlers: HandlerContext,
  verb: string,
): Promise<AdaptiveCardJson> {
  const { flow, logger } = handlers;
  const log = { verb, activityId: context.activity.id };
  const actor = readActor(context.activity);
  if (actor === undefined) return renderMessageCard(actorMissing, { heading: refusedHeading });
  const parsed = ZMeetingCardData.safeParse(data);
  if (!parsed.success) return renderMessageCard(cardNotRecognised);
  if (handlers.calendar === undefined) return renderMessageCard(noCalendarMessage);
  const deps: TeamMeetingDependencies = { ...flow, calendar: handlers.calendar };
  const at = flow.clock.now().toISOString();
  const { caseId, etag } = parsed.data;
  try {
    if (verb === barnetsPlanVerbs.foreslaMote) {
      const proposal = await proposeTeamMeeting(deps, { caseId, actor, at });
      logger.info({ ...log, caseId, outcome: proposal.outcome }, 'Tider för Individuellt barnteam');
      if (proposal.outcome === 'refused')
        return renderMessageCard(proposal.message, { heading: refusedHeading });
      return await renderPlan(handlers, caseId, actor.userId, at, toProposalForm(proposal));
    }
    const { proposalId, start, end } = parsed.data;
    if (proposalId === undefined || start === undefined || end === undefined) {
      return renderMessageCard(cardNotRecognised);
    }
    const version = readPlanCardVersion(etag);
    const result = await bookTeamMeeting(deps, {
      caseId,
      ...version,
      proposalId,
      slot: { start, end },
      actor,
      at,
    });
    logger.info(
      {
        ...log,
        caseId,
        outcome: result.outcome,
        ...(result.outcome === 'refused' && result.field !== undefined ? { field: result.field } : {}),
      },
      'Bokning av Individuellt barnteam',
    );
    if (result.outcome === 'refused') {
      return result.cause === 'accessDenied'
        ? renderMessageCard(result.message, { heading: refusedHeading })
        : await renderPlan(handlers, caseId, actor.userId, at, { formError: result.message });
    }
    if (result.outcome !== 'stale') handlers.kick();
    const booked = result.caseValue.value.barnetsPlan?.nextMeeting;
    const form: PlanForm =
      result.outcome === 'applied' && booked !== undefined
        ? {
            confirmation: `Mötet är bokat ${formatMeetingTime(booked.start, booked.end)}. Kallelsen har gått till teamet.`,
          }
        : result.outcome === 'stale'
          ? { formError: result.message }
          : { confirmation: result.outcome === 'applied' ? 'Sparat.' : result.message };
    return renderCase(result.caseValue, actor.userId, handlers, at, form);
  } catch (error) {
    if (isDomainError(error)) {
      logger.warn({ ...log, outcome: error.code }, 'Individuellt barnteam kunde inte bokas');
      return renderMessageCard(describeErrorForUser(error));
    }
    logger.error({ ...log, err: error, outcome: 'fel' }, 'Individuellt barnteam kunde inte bokas');
    return renderMessageCard(unexpectedErrorMessage);
  }
}

function toProposalForm(proposal: Extract<ProposeTeamMeetingResult, { outcome: 'proposed' }>): PlanForm {
  const unknown = proposal.invitees.filter((invitee) => !invitee.readable).map((invitee) => invitee.label);
  const notes = [
    ...(proposal.noSlotMessage === undefined ? [] : [proposal.noSlotMessage]),
    ...(unknown.length === 0
      ? []
      : [`Tillgänglighet okänd för ${unknown.join(', ')}: tiderna är valda utan dem, de bjuds in ändå.`]),
  ];
  return {
    meetingProposal: {
      proposalId: proposal.proposalId,
      slots: proposal.slots.map((slot) => ({ start: slot.start, end: slot.end, label: slot.label })),
      ...(notes.length === 0 ? {} : { note: notes.join(' ') }),
    },
  };
}

async function renderPlan(
  handlers: HandlerContext,
  caseId: string,
  viewerId: string,
  at: string,
  form: PlanForm,
): Promise<AdaptiveCardJson> {
  const current = await handlers.flow.stores.cases.get(caseId);
  if (current === undefined)
    return renderMessageCard(describeErrorCode('notFound'), { heading: refusedHeading });
  return renderCase(current, viewerId, handlers, at, form);
}

function renderCase(
  current: Versioned<Case>,
  viewerId: string,
  handlers: HandlerContext,
  at: string,
  form: PlanForm,
): AdaptiveCardJson {
  const view = toBarnetsPlanData(current, viewerId, handlers.flow.directory, at, form, {
    deepCompass: handlers.deepCompassCatalogue,
  });
  if (view === undefined) return renderMessageCard(form.formError ?? form.confirmation ?? 'Sparat.');
  return renderBarnetsPlan(view);
}
