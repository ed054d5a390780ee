/**
 * The Barnets plan card's verbs: show the plan (`plan.visa`, also the card's refresh and the
 * "Barnets plan" button of the case overview), the plan's edits (goal, action, action status,
 * compass rating, Vem finns till för mig, fastställ), the team's members, participants and
 * Stödsamordnare, and the direct start of an Individuellt barnteam under a SIP duty
 * (`ib.startaSip`, from the case overview); the next meeting's verbs are in team-meeting.ts, the
 * Fördjupad behovskompass's in fordjupad-behovskompass.ts.
 * Each handler reads the actor from the activity, parses the card's data (ids in it are claims,
 * checked by the use case), calls one use case and answers with the plan as it is now: saved (green), refused with the message under the field,
 * or the current plan when the card was not current. Field ids only are logged.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { barnetsPlanVerbs, renderBarnetsPlan } from '../../../cards/individuellt-barnteam/barnets-plan.js';
import type { AdaptiveCardJson } from '../../../cards/render-template.js';
import { adoptPlan } from '../../../flows/individuellt-barnteam/adopt-plan.js';
import { appointStodsamordnare } from '../../../flows/individuellt-barnteam/appoint-stodsamordnare.js';
import { addAction, setActionStatus } from '../../../flows/individuellt-barnteam/plan-actions.js';
import { readPlanCardVersion } from '../../../flows/individuellt-barnteam/plan-command.js';
import { recordCompassFollowUp } from '../../../flows/individuellt-barnteam/plan-compass.js';
import { addCloseToMe, saveGoal } from '../../../flows/individuellt-barnteam/plan-goals.js';
import { startIndividuelltBarnteam } from '../../../flows/individuellt-barnteam/start-individuellt-barnteam.js';
import {
  addTeamMember,
  addTeamParticipant,
  removeTeamMember,
} from '../../../flows/individuellt-barnteam/team-members.js';
import type { CaseCommandResult } from '../../../flows/kernel/case-command.js';
import type { Actor, FlowDependencies } from '../../../flows/kernel/case-effects.js';
import { compassAreaKeys } from '../../../flows/kernel/compass.js';
import { isDomainError } from '../../../flows/kernel/errors.js';
import { ZParticipantRelation } from '../../../flows/kernel/records/individual-team.js';
import { compassRaters } from '../../../flows/kernel/records/plan.js';
import { isClosedState } from '../../../flows/kernel/transitions.js';
import { toBarnetsPlanData } from '../../card-views/individual-team-views.js';
import { readCaseForCard } from '../../case-cards.js';
import { onActionExecute, renderMessageCard } from '../../invoke-response.js';
import {
  actorMissing,
  cardNotRecognised,
  describeErrorCode,
  describeErrorForUser,
  refusedHeading,
  unexpectedErrorMessage,
} from '../../user-messages.js';
import { renderOverviewFor } from '../case-overview.js';
import { type HandlerContext, readActor } from '../handler-context.js';
import { registerFordjupadBehovskompass } from './fordjupad-behovskompass.js';
import { registerTeamMeeting } from './team-meeting.js';

/** The verb of the case overview's direct start under a SIP duty. */
export const startSipVerb = 'ib.startaSip';

export const planNotices = {
  noAccess: 'Du har ingen roll i ett Individuellt barnteam för det här ärendet och kan inte se Barnets plan.',
  started: 'Det Individuella barnteamet är startat. Lägg till teamets medlemmar och börja Barnets plan.',
  saved: 'Sparat.',
} as const;

const ZPlanCardData = z
  .object({
    caseId: z.string().min(1).max(100),
    etag: z.string().min(1).max(200).optional(),
  })
  .passthrough();

/** Card inputs are strings; anything else is dropped, and long values are cut before a use case sees them. */
function readStrings(data: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(data)
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
      .map(([key, value]) => [key, value.slice(0, 2000)]),
  );
}

type PlanStep = (
  flow: FlowDependencies,
  input: { caseId: string; etag: string; planFingerprint?: string; actor: Actor; at: string },
  values: Record<string, string>,
) => Promise<CaseCommandResult>;

const optional = (value: string | undefined) =>
  value === undefined || value.trim() === '' ? undefined : value;

const steps: Readonly<Record<string, PlanStep>> = {
  [barnetsPlanVerbs.mal]: (flow, input, v) =>
    saveGoal(flow, {
      ...input,
      ...(optional(v.goalIdToChange) === undefined ? {} : { goalId: v.goalIdToChange }),
      ...(v.area === undefined ? {} : { area: v.area }),
      ...(v.minMal === undefined ? {} : { minMal: v.minMal }),
      ...(v.vad === undefined ? {} : { vad: v.vad }),
      ...(v.hur === undefined ? {} : { hur: v.hur }),
    }),
  [barnetsPlanVerbs.atgard]: (flow, input, v) =>
    addAction(flow, {
      ...input,
      ...(v.what === undefined ? {} : { what: v.what }),
      ...(v.dueDate === undefined ? {} : { dueDate: v.dueDate }),
      ...(optional(v.ownerUserId) === undefined ? {} : { ownerUserId: v.ownerUserId }),
      ...(optional(v.goalId) === undefined || v.goalId === 'inget' ? {} : { goalId: v.goalId }),
      performer: {
        ...(v.performerName === undefined ? {} : { name: v.performerName }),
        ...(v.performerRole === undefined ? {} : { role: v.performerRole }),
        ...(v.performerOrganisation === undefined ? {} : { organisation: v.performerOrganisation }),
      },
    }),
  [barnetsPlanVerbs.atgardStatus]: (flow, input, v) => {
    const status = z.enum(['pagar', 'genomford', 'installd']).safeParse(v.status);
    if (!status.success || v.actionId === undefined) throw new UnrecognisedCard();
    return setActionStatus(flow, { ...input, actionId: v.actionId, status: status.data });
  },
  [barnetsPlanVerbs.uppfoljning]: (flow, input, v) => {
    const rater = z.enum(compassRaters).safeParse(v.rater);
    const values = Object.fromEntries(compassAreaKeys.map((key) => [key, v[`rating_${key}`] ?? '']));
    return recordCompassFollowUp(flow, { ...input, ratings: rater.success ? { [rater.data]: values } : {} });
  },
  [barnetsPlanVerbs.narmast]: (flow, input, v) =>
    addCloseToMe(flow, {
      ...input,
      ...(v.closeName === undefined ? {} : { name: v.closeName }),
      ...(v.closeRelation === undefined ? {} : { relation: v.closeRelation }),
      closeness: Number(v.closeness ?? '1') || 1,
    }),
  [barnetsPlanVerbs.faststall]: (flow, input) => adoptPlan(flow, input),
  [barnetsPlanVerbs.medlem]: (flow, input, v) =>
    addTeamMember(flow, { ...input, contactId: v.contactId ?? '' }),
  [barnetsPlanVerbs.taBort]: (flow, input, v) =>
    removeTeamMember(flow, { ...input, memberKey: v.memberKey ?? '' }),
  [barnetsPlanVerbs.deltagare]: (flow, input, v) => {
    const relation = ZParticipantRelation.safeParse(v.relation);
    return addTeamParticipant(flow, {
      ...input,
      name: v.participantName ?? '',
      relation: relation.success ? relation.data : 'vardnadshavare',
      ...(optional(v.relationText) === undefined ? {} : { relationText: v.relationText }),
    });
  },
  [barnetsPlanVerbs.stodsamordnare]: (flow, input, v) =>
    appointStodsamordnare(flow, { ...input, memberKey: v.memberKey ?? '' }),
  [startSipVerb]: (flow, input) => startIndividuelltBarnteam(flow, { ...input, via: 'sip' }),
};

class UnrecognisedCard extends Error {}

export function registerBarnetsPlan<TState extends TurnState>(
  app: Application<TState>,
  handlers: HandlerContext,
): void {
  onActionExecute(app, barnetsPlanVerbs.visa, (context, data) => showPlan(context, data, handlers));
  for (const [verb, step] of Object.entries(steps)) {
    onActionExecute(app, verb, (context, data) => runPlanStep(context, data, handlers, verb, step));
  }
  registerTeamMeeting(app, handlers);
  registerFordjupadBehovskompass(app, handlers);
}

async function showPlan(
  context: TurnContext,
  data: Record<string, unknown>,
  handlers: HandlerContext,
): Promise<AdaptiveCardJson> {
  const { flow, logger } = handlers;
  const actor = readActor(context.activity);
  if (actor === undefined) return renderMessageCard(actorMissing, { heading: refusedHeading });
  const parsed = ZPlanCardData.safeParse(data);
  if (!parsed.success) return renderMessageCard(cardNotRecognised);
  try {
    const read = await readCaseForCard(flow, parsed.data.caseId, actor.userId, (current) => {
      // The channel's older posts and plan cards still have this button once the case is closed:
      // whoever had a role is shown what is left of it (reference, state, date), not told they
      // have none; the overview decides who that is.
      if (isClosedState(current.value.state)) return renderOverviewFor(flow, current, actor.userId);
      const view = toBarnetsPlanData(
        current,
        actor.userId,
        flow.directory,
        flow.clock.now().toISOString(),
        {},
        { deepCompass: handlers.deepCompassCatalogue },
      );
      return view === undefined ? undefined : renderBarnetsPlan(view);
    });
    logger.info(
      { verb: barnetsPlanVerbs.visa, caseId: parsed.data.caseId, outcome: read.outcome },
      'Barnets plan visad',
    );
    return read.outcome === 'shown'
      ? read.card
      : renderMessageCard(planNotices.noAccess, { heading: refusedHeading });
  } catch (error) {
    if (isDomainError(error)) return renderMessageCard(describeErrorForUser(error));
    logger.error(
      { verb: barnetsPlanVerbs.visa, err: error, outcome: 'fel' },
      'Barnets plan kunde inte visas',
    );
    return renderMessageCard(unexpectedErrorMessage);
  }
}

async function runPlanStep(
  context: TurnContext,
  data: Record<string, unknown>,
  handlers: HandlerContext,
  verb: string,
  step: PlanStep,
): Promise<AdaptiveCardJson> {
  const { flow, logger } = handlers;
  const log = { verb, activityId: context.activity.id };
  const actor = readActor(context.activity);
  if (actor === undefined) return renderMessageCard(actorMissing, { heading: refusedHeading });
  const parsed = ZPlanCardData.safeParse(data);
  if (!parsed.success || parsed.data.etag === undefined) return renderMessageCard(cardNotRecognised);
  const values = readStrings(data);
  const input = {
    caseId: parsed.data.caseId,
    ...readPlanCardVersion(parsed.data.etag),
    actor,
    at: flow.clock.now().toISOString(),
  };
  try {
    const result = await step(flow, input, values);
    logger.info(
      {
        ...log,
        caseId: input.caseId,
        outcome: result.outcome,
        ...(result.outcome === 'refused' && result.field !== undefined ? { field: result.field } : {}),
      },
      'Barnets plan',
    );
    if (result.outcome === 'refused' && result.cause === 'accessDenied') {
      return renderMessageCard(result.message, { heading: refusedHeading });
    }
    if (result.outcome === 'applied' || result.outcome === 'alreadyApplied') handlers.kick();
    const current =
      result.outcome === 'refused' ? await flow.stores.cases.get(input.caseId) : result.caseValue;
    if (current === undefined)
      return renderMessageCard(describeErrorCode('notFound'), { heading: refusedHeading });
    const form =
      result.outcome === 'applied'
        ? { confirmation: verb === startSipVerb ? planNotices.started : planNotices.saved }
        : result.outcome === 'refused'
          ? {
              values: pickFormValues(values),
              ...(result.field !== undefined && isCardField(toCardField(result.field))
                ? { fieldErrors: { [toCardField(result.field)]: result.message } }
                : { formError: result.message }),
            }
          : result.outcome === 'alreadyApplied'
            ? { confirmation: result.message }
            : // Stale: the plan changed since the card; what was typed comes back to be sent again.
              { formError: result.message, values: pickFormValues(values) };
    const view = toBarnetsPlanData(current, actor.userId, flow.directory, input.at, form, {
      deepCompass: handlers.deepCompassCatalogue,
    });
    if (view === undefined)
      return renderMessageCard(result.outcome === 'refused' ? result.message : planNotices.saved);
    return renderBarnetsPlan(view);
  } catch (error) {
    if (error instanceof UnrecognisedCard) return renderMessageCard(cardNotRecognised);
    if (isDomainError(error)) {
      logger.warn({ ...log, outcome: error.code }, 'Barnets plan kunde inte ändras');
      return renderMessageCard(describeErrorForUser(error));
    }
    logger.error({ ...log, err: error, outcome: 'fel' }, 'Barnets plan kunde inte ändras');
    return renderMessageCard(unexpectedErrorMessage);
  }
}

const cardFields = new Set([
  'area',
  'minMal',
  'vad',
  'hur',
  'what',
  'ownerUserId',
  'dueDate',
  'goalId',
  'performerName',
  'contactId',
  'memberKey',
  'participantName',
  'closeName',
  ...compassAreaKeys.map((key) => `rating_${key}`),
]);

/** A rating's field as the use case names it (`barnet_fritid`) is the card's `rating_fritid`. */
function toCardField(field: string): string {
  const rating = /^(?:barnet|vardnadshavare|teamet)_(\w+)$/.exec(field);
  return rating === null ? field : `rating_${rating[1]}`;
}

function isCardField(field: string): boolean {
  return cardFields.has(field);
}

/** What the user typed, for the card that comes back; the ids and version are not form values. */
function pickFormValues(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([key]) => cardFields.has(key) || key === 'rater'));
}
