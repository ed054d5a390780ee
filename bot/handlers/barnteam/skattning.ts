/**
 * The Skattningsformulär of a Barnteam meeting: `skattning.oppna` (from the meeting reminder)
 * opens the form for one child, `skattning.spara` records the member's answer and answers with
 * the joint compass so far (the `gemensam-behovskompass` card, with its chart).
 *
 * Who may answer is decided by the meeting (`recordSkattning`); the form shows the child by
 * initials and case reference only, as the reminder does, since it goes to every member.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { barnteamPaminnelseVerb } from '../../../cards/barnteam/barnteam-paminnelse.js';
import { renderGemensamBehovskompass } from '../../../cards/barnteam/gemensam-behovskompass.js';
import {
  renderSkattningsformular,
  type SkattningsformularInputId,
  skattningsformularInputIds,
  skattningsformularVerb,
} from '../../../cards/barnteam/skattningsformular.js';
import type { AdaptiveCardJson } from '../../../cards/render-template.js';
import { findPersonByUserId, resolveBarnteam } from '../../../flows/barnteam/barnteam-setup.js';
import {
  jointCompassFor,
  recordSkattning,
  skattningMessages,
} from '../../../flows/barnteam/record-skattning.js';
import type { UserId } from '../../../flows/kernel/case.js';
import type { Actor } from '../../../flows/kernel/case-effects.js';
import { compassAreaKeys } from '../../../flows/kernel/compass.js';
import { findBarnteamForUnit } from '../../../flows/kernel/directory.js';
import { isDomainError } from '../../../flows/kernel/errors.js';
import type { BarnteamMeeting } from '../../../flows/kernel/ports.js';
import {
  type SkattningAreaAnswer,
  type SkattningRater,
  ZSkattningValue,
} from '../../../flows/kernel/skattning.js';
import { findIndividuelltBarnteamBlockedReason } from '../../card-views/samtal-beslut-barnteam-views.js';
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
import { readTypedValues } from '../case-form.js';
import { type HandlerContext, readActor } from '../handler-context.js';

const ZSkattningCardData = z.object({
  meetingId: z.string().min(1).max(200),
  caseId: z.string().min(1).max(100),
});

const convenerRoleLabel = 'Barnkontakt, sammankallande';
const ratingMissing = 'Välj en skattning, eller ”Vet ej”.';

export function registerSkattning<TState extends TurnState>(
  app: Application<TState>,
  handlers: HandlerContext,
): void {
  onActionExecute(app, barnteamPaminnelseVerb, (context, data) => openForm(context, data, handlers));
  onActionExecute(app, skattningsformularVerb, (context, data) => saveForm(context, data, handlers));
}

interface FormTarget {
  readonly actor: Actor;
  readonly meeting: BarnteamMeeting;
  readonly item: BarnteamMeeting['agenda'][number];
  readonly caseEtag: string;
  readonly rater: SkattningRater;
}

/** The meeting, the child's agenda item and the rater, or the refusal card to answer with. */
async function readTarget(
  context: TurnContext,
  data: Record<string, unknown>,
  handlers: HandlerContext,
): Promise<{ readonly target: FormTarget } | { readonly refusal: AdaptiveCardJson }> {
  const { flow } = handlers;
  const actor = readActor(context.activity);
  if (actor === undefined) return { refusal: renderMessageCard(actorMissing, { heading: refusedHeading }) };
  const parsed = ZSkattningCardData.safeParse(data);
  if (!parsed.success) return { refusal: renderMessageCard(cardNotRecognised) };
  const meeting = (await flow.stores.meetings.get(parsed.data.meetingId))?.value;
  if (meeting === undefined)
    return { refusal: renderMessageCard(describeErrorCode('notFound'), { heading: refusedHeading }) };
  const rater = findRater(handlers, meeting, actor.userId);
  if (rater === undefined)
    return { refusal: renderMessageCard(skattningMessages.notMember, { heading: refusedHeading }) };
  const item = meeting.agenda.find(
    (entry) => entry.caseId === parsed.data.caseId && entry.removedAt === undefined,
  );
  if (item === undefined)
    return { refusal: renderMessageCard(skattningMessages.notOnAgenda, { heading: refusedHeading }) };
  const stored = await flow.stores.cases.get(item.caseId);
  if (stored === undefined)
    return { refusal: renderMessageCard(describeErrorCode('notFound'), { heading: refusedHeading }) };
  return { target: { actor, meeting, item, caseEtag: stored.etag, rater } };
}

function findRater(
  handlers: HandlerContext,
  meeting: BarnteamMeeting,
  userId: UserId,
): SkattningRater | undefined {
  const directory = handlers.flow.directory;
  const isConvener = meeting.convenerUserId === userId;
  const member = meeting.members.find((candidate) => candidate.userId === userId);
  if (!isConvener && member === undefined) return undefined;
  const person = findPersonByUserId(directory, userId);
  const teamMember = resolveBarnteam(directory, meeting.unitId)?.members.find((m) => m.userId === userId);
  return {
    userId,
    displayName: person?.displayName ?? 'Barnteamets medlem',
    role: isConvener ? convenerRoleLabel : (teamMember?.roleLabel ?? member?.role ?? 'Barnteamet'),
  };
}

function renderForm(
  target: FormTarget,
  teamName: string,
  form: {
    values?: Partial<Record<SkattningsformularInputId, string>>;
    fieldErrors?: Partial<Record<SkattningsformularInputId, string>>;
    formError?: string;
  } = {},
): AdaptiveCardJson {
  return renderSkattningsformular({
    meetingId: target.meeting.id,
    caseId: target.item.caseId,
    etag: target.caseEtag,
    reference: target.item.reference,
    initials: target.item.initials,
    teamName,
    timeLabel: formatMeetingTime(target.meeting.start, target.meeting.end),
    raterRole: target.rater.role,
    ...form,
  });
}

function readTeamName(handlers: HandlerContext, meeting: BarnteamMeeting): string {
  return findBarnteamForUnit(handlers.flow.directory, meeting.unitId)?.name ?? 'Barnteam';
}

async function openForm(
  context: TurnContext,
  data: Record<string, unknown>,
  handlers: HandlerContext,
): Promise<AdaptiveCardJson> {
  const log = { verb: barnteamPaminnelseVerb, activityId: context.activity.id };
  try {
    const read = await readTarget(context, data, handlers);
    if ('refusal' in read) return read.refusal;
    const { target } = read;
    handlers.logger.info(
      { ...log, meetingId: target.meeting.id, outcome: 'visat' },
      'Skattningsformulär öppnat',
    );
    return renderForm(target, readTeamName(handlers, target.meeting));
  } catch (error) {
    handlers.logger.error({ ...log, err: error, outcome: 'fel' }, 'Skattningsformuläret kunde inte öppnas');
    return renderMessageCard(isDomainError(error) ? describeErrorForUser(error) : unexpectedErrorMessage);
  }
}

async function saveForm(
  context: TurnContext,
  data: Record<string, unknown>,
  handlers: HandlerContext,
): Promise<AdaptiveCardJson> {
  const { flow, logger } = handlers;
  const log = { verb: skattningsformularVerb, activityId: context.activity.id };
  try {
    const read = await readTarget(context, data, handlers);
    if ('refusal' in read) return read.refusal;
    const { target } = read;
    const teamName = readTeamName(handlers, target.meeting);
    const values = readTypedValues(data, skattningsformularInputIds);
    const areas = readAreas(values);
    if (!areas.ok) return renderForm(target, teamName, { values, fieldErrors: areas.fieldErrors });
    const at = flow.clock.now().toISOString();
    const result = await recordSkattning(flow, {
      meetingId: target.meeting.id,
      caseId: target.item.caseId,
      actor: target.actor,
      answer: {
        caseId: target.item.caseId,
        meetingId: target.meeting.id,
        rater: target.rater,
        answeredAt: at,
        areas: areas.areas,
      },
      at,
    });
    logger.info(
      { ...log, meetingId: target.meeting.id, caseId: target.item.caseId, outcome: result.outcome },
      'Skattning',
    );
    if (result.outcome === 'refused') {
      if (result.cause === 'accessDenied')
        return renderMessageCard(result.message, { heading: refusedHeading });
      return renderForm(target, teamName, { values, formError: result.message });
    }
    return renderGemensamBehovskompass({
      meetingId: target.meeting.id,
      caseId: target.item.caseId,
      etag: result.caseValue.etag,
      reference: target.item.reference,
      initials: target.item.initials,
      timeLabel: formatMeetingTime(target.meeting.start, target.meeting.end),
      joint: jointCompassFor(result.caseValue.value, target.meeting.id),
      ...withBlockedReason(findIndividuelltBarnteamBlockedReason(result.caseValue.value)),
      ...(result.outcome === 'alreadyApplied' ? { formError: result.message } : {}),
    });
  } catch (error) {
    if (isDomainError(error)) {
      logger.warn({ ...log, outcome: error.code }, 'Skattningen kunde inte sparas');
      return renderMessageCard(describeErrorForUser(error));
    }
    logger.error({ ...log, err: error, outcome: 'fel' }, 'Skattningen misslyckades');
    return renderMessageCard(unexpectedErrorMessage);
  }
}

type AreasRead =
  | { readonly ok: true; readonly areas: SkattningAreaAnswer[] }
  | { readonly ok: false; readonly fieldErrors: Partial<Record<SkattningsformularInputId, string>> };

/** "1"–"5" or "vetEj" per area; a blank area is `vetEj`, as the answer's schema says. */
function readAreas(values: Partial<Record<SkattningsformularInputId, string>>): AreasRead {
  const fieldErrors: Partial<Record<SkattningsformularInputId, string>> = {};
  const areas: SkattningAreaAnswer[] = [];
  for (const key of compassAreaKeys) {
    const raw = values[`rating_${key}`]?.trim() ?? '';
    const rating = ZSkattningValue.safeParse(raw === '' ? 'vetEj' : /^\d$/.test(raw) ? Number(raw) : raw);
    if (!rating.success) {
      fieldErrors[`rating_${key}`] = ratingMissing;
      continue;
    }
    const comment = values[`comment_${key}`]?.trim().slice(0, 1000);
    areas.push({ key, rating: rating.data, ...(comment ? { comment } : {}) });
  }
  return Object.keys(fieldErrors).length > 0 ? { ok: false, fieldErrors } : { ok: true, areas };
}

function withBlockedReason(reason: string | undefined): { individuelltBarnteamBlockedReason?: string } {
  return reason === undefined ? {} : { individuelltBarnteamBlockedReason: reason };
}
