/**
 * The Skattningsformulär of a Barnteam meeting: `skattning.oppna` (from the meeting reminder, or
 * "Registrera skattning för …" on the joint compass) opens the form for one child,
 * `skattning.spara` records the answer and answers with the joint compass so far (the
 * `gemensam-behovskompass` card, with its chart and who has rated), and `skattning.visaKompass`
 * shows that compass without saving (to the convener, and to a member who has answered).
 *
 * With `forMember` the convener records a member's ratings on their behalf
 * (`recordSkattningOnBehalf`); without it the acting user answers for themselves (`recordSkattning`),
 * and a form that was recorded for them first shows them that answer. Who may do either is decided
 * by the meeting in the use case; the acting user always comes from the activity, `forMember` is a
 * claim the use case checks against the meeting. The form shows the child by initials and case
 * reference only, as the reminder does, since it goes to every member.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { barnteamPaminnelseVerb } from '../../../cards/barnteam/barnteam-paminnelse.js';
import { renderGemensamBehovskompass } from '../../../cards/barnteam/gemensam-behovskompass.js';
import {
  renderSkattningsformular,
  type SkattningsformularData,
  type SkattningsformularInputId,
  showJointCompassVerb,
  skattningsformularInputIds,
  skattningsformularVerb,
} from '../../../cards/barnteam/skattningsformular.js';
import type { AdaptiveCardJson } from '../../../cards/render-template.js';
import { findPersonByUserId } from '../../../flows/barnteam/barnteam-setup.js';
import {
  auditRefusal,
  type BarnteamRecordResult,
  describeOwnAnswerKept,
  findMemberAnswer,
  recordSkattning,
  recordSkattningOnBehalf,
  skattningMessages,
} from '../../../flows/barnteam/record-skattning.js';
import type { Case } from '../../../flows/kernel/case.js';
import { type Actor, appendAudit } from '../../../flows/kernel/case-effects.js';
import { compassAreaKeys } from '../../../flows/kernel/compass.js';
import { findBarnteamForUnit } from '../../../flows/kernel/directory.js';
import { isDomainError } from '../../../flows/kernel/errors.js';
import type { BarnteamMeeting, Versioned } from '../../../flows/kernel/ports.js';
import {
  type SkattningAnswer,
  type SkattningAreaAnswer,
  type SkattningRater,
  toRaterKey,
  ZSkattningValue,
} from '../../../flows/kernel/skattning.js';
import { ZInstant } from '../../../flows/kernel/value-types.js';
import {
  findMeetingRater,
  type MeetingRater,
  toGemensamBehovskompassData,
} from '../../card-views/joint-compass-view.js';
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

/** Opens the form: the meeting reminder's button, and the joint compass's "Registrera för …". */
/** Above the joint compass once a Skattningsformulär is saved. */
const skattningSavedMessage = 'Sparat. Skattningen är registrerad.';

const openSkattningVerb = barnteamPaminnelseVerb;

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

// The card fills the optional fields with '' when they do not apply.
const ZSkattningCardData = z.object({
  meetingId: z.string().min(1).max(200),
  caseId: z.string().min(1).max(100),
  forMember: z.preprocess(emptyToUndefined, z.string().min(1).max(120).optional()),
  replacesRecordedAt: z.preprocess(emptyToUndefined, ZInstant.optional()),
});

const ratingMissing = 'Välj en skattning, eller ”Vet ej”.';
const onBehalfConvenerOnly = skattningMessages.onBehalfConvenerOnly;

export function registerSkattning<TState extends TurnState>(
  app: Application<TState>,
  handlers: HandlerContext,
): void {
  onActionExecute(app, openSkattningVerb, (context, data) => openForm(context, data, handlers));
  onActionExecute(app, skattningsformularVerb, (context, data) => saveForm(context, data, handlers));
  onActionExecute(app, showJointCompassVerb, (context, data) => showCompass(context, data, handlers));
}

const answerFirst = 'Lämna din egen skattning först; sedan visas den gemensamma behovskompassen.';

interface FormTarget {
  readonly actor: Actor;
  readonly meeting: BarnteamMeeting;
  readonly item: BarnteamMeeting['agenda'][number];
  readonly caseValue: Versioned<Case>;
  /** Whose ratings the form holds: the actor, or the member the convener records for. */
  readonly rater: MeetingRater;
  /** Set when the convener records for `rater`. */
  readonly convenerName?: string;
  readonly replacesRecordedAt?: string;
}

/** The meeting, the child's agenda item and the rater, or the refusal card to answer with. */
async function readTarget(
  context: TurnContext,
  data: Record<string, unknown>,
  handlers: HandlerContext,
  verb: string,
): Promise<{ readonly target: FormTarget } | { readonly refusal: AdaptiveCardJson }> {
  const { flow } = handlers;
  const actor = readActor(context.activity);
  if (actor === undefined) return { refusal: renderMessageCard(actorMissing, { heading: refusedHeading }) };
  const parsed = ZSkattningCardData.safeParse(data);
  if (!parsed.success) return { refusal: renderMessageCard(cardNotRecognised) };
  const card = parsed.data;
  const meeting = (await flow.stores.meetings.get(card.meetingId))?.value;
  if (meeting === undefined)
    return { refusal: renderMessageCard(describeErrorCode('notFound'), { heading: refusedHeading }) };
  // Refused before the case is read, and audited: someone tried to reach a child's form.
  const refuse = async (message: string) => {
    await auditRefusal(
      flow,
      { caseId: card.caseId, actor, at: flow.clock.now().toISOString() },
      meeting,
      verb,
    );
    return { refusal: renderMessageCard(message, { heading: refusedHeading }) };
  };
  const isConvener = meeting.convenerUserId.toLowerCase() === actor.userId.toLowerCase();
  if (card.forMember !== undefined && !isConvener) return refuse(onBehalfConvenerOnly);
  const rater = findMeetingRater(meeting, flow.directory, card.forMember ?? toRaterKey(actor));
  if (rater === undefined) {
    return refuse(
      card.forMember === undefined ? skattningMessages.notMember : skattningMessages.onBehalfNotMember,
    );
  }
  if (card.forMember !== undefined && rater.isConvener) return refuse(skattningMessages.onBehalfNotMember);
  const item = meeting.agenda.find((entry) => entry.caseId === card.caseId && entry.removedAt === undefined);
  if (item === undefined)
    return { refusal: renderMessageCard(skattningMessages.notOnAgenda, { heading: refusedHeading }) };
  const caseValue = await flow.stores.cases.get(item.caseId);
  if (caseValue === undefined)
    return { refusal: renderMessageCard(describeErrorCode('notFound'), { heading: refusedHeading }) };
  // The member's own answer is theirs: the convener neither replaces it nor opens it as a form.
  const stored = findMemberAnswer(caseValue.value, meeting.id, rater.key);
  if (card.forMember !== undefined && stored !== undefined && stored.recordedBy === undefined)
    return refuse(describeOwnAnswerKept(rater.displayName));
  const convenerName =
    card.forMember === undefined
      ? undefined
      : (findPersonByUserId(flow.directory, actor.userId)?.displayName ?? actor.displayName);
  return {
    target: {
      actor,
      meeting,
      item,
      caseValue,
      rater,
      ...(convenerName === undefined ? {} : { convenerName }),
      ...(card.replacesRecordedAt === undefined ? {} : { replacesRecordedAt: card.replacesRecordedAt }),
    },
  };
}

function renderForm(
  target: FormTarget,
  handlers: HandlerContext,
  form: {
    values?: Partial<Record<SkattningsformularInputId, string>>;
    fieldErrors?: Partial<Record<SkattningsformularInputId, string>>;
    formError?: string;
  } = {},
): AdaptiveCardJson {
  const stored = findMemberAnswer(target.caseValue.value, target.meeting.id, target.rater.key);
  const data: SkattningsformularData = {
    meetingId: target.meeting.id,
    caseId: target.item.caseId,
    etag: target.caseValue.etag,
    reference: target.item.reference,
    initials: target.item.initials,
    teamName: findBarnteamForUnit(handlers.flow.directory, target.meeting.unitId)?.name ?? 'Barnteam',
    timeLabel: formatMeetingTime(target.meeting.start, target.meeting.end),
    raterRole: target.rater.role,
    ...(target.convenerName === undefined
      ? {}
      : {
          onBehalf: {
            memberKey: target.rater.key,
            memberName: target.rater.displayName,
            convenerName: target.convenerName,
          },
        }),
    // The member's own form names the recorded answer it shows, so that saving replaces that one.
    ...(target.convenerName === undefined && stored?.recordedBy !== undefined
      ? { recordedForYou: { byName: stored.recordedBy.displayName, recordedAt: stored.answeredAt } }
      : {}),
    showCompass: target.convenerName === undefined && (target.rater.isConvener || stored !== undefined),
    // The stored answer is what the form starts from; typed values win when the form comes back.
    values: { ...(stored === undefined ? {} : toFormValues(stored)), ...form.values },
    ...(form.fieldErrors === undefined ? {} : { fieldErrors: form.fieldErrors }),
    ...(form.formError === undefined ? {} : { formError: form.formError }),
  };
  return renderSkattningsformular(data);
}

async function openForm(
  context: TurnContext,
  data: Record<string, unknown>,
  handlers: HandlerContext,
): Promise<AdaptiveCardJson> {
  const log = { verb: openSkattningVerb, activityId: context.activity.id };
  try {
    const read = await readTarget(context, data, handlers, 'lasSkattningsformular');
    if ('refusal' in read) return read.refusal;
    const { target } = read;
    // The form shows what is stored for the rater: a read of the case, audited as one.
    await appendAudit(handlers.flow, {
      at: handlers.flow.clock.now().toISOString(),
      actor: target.actor.userId,
      action: 'lasSkattningsformular',
      caseId: target.item.caseId,
      unitId: target.meeting.unitId,
      outcome: 'allowed',
    });
    handlers.logger.info(
      {
        ...log,
        meetingId: target.meeting.id,
        onBehalf: target.convenerName !== undefined,
        outcome: 'visat',
      },
      'Skattningsformulär öppnat',
    );
    return renderForm(target, handlers);
  } catch (error) {
    handlers.logger.error({ ...log, err: error, outcome: 'fel' }, 'Skattningsformuläret kunde inte öppnas');
    return renderMessageCard(isDomainError(error) ? describeErrorForUser(error) : unexpectedErrorMessage);
  }
}

/** The joint compass so far, for the convener or a member who has answered; a read, audited. */
async function showCompass(
  context: TurnContext,
  data: Record<string, unknown>,
  handlers: HandlerContext,
): Promise<AdaptiveCardJson> {
  const { flow } = handlers;
  const log = { verb: showJointCompassVerb, activityId: context.activity.id };
  try {
    const read = await readTarget(
      context,
      { ...data, forMember: undefined },
      handlers,
      'lasGemensamBehovskompass',
    );
    if ('refusal' in read) return read.refusal;
    const { target } = read;
    const at = flow.clock.now().toISOString();
    const answered = findMemberAnswer(target.caseValue.value, target.meeting.id, target.rater.key);
    if (!target.rater.isConvener && answered === undefined) {
      await auditRefusal(
        flow,
        { caseId: target.item.caseId, actor: target.actor, at },
        target.meeting,
        'lasGemensamBehovskompass',
      );
      return renderForm(target, handlers, { formError: answerFirst });
    }
    await appendAudit(flow, {
      at,
      actor: target.actor.userId,
      action: 'lasGemensamBehovskompass',
      caseId: target.item.caseId,
      unitId: target.meeting.unitId,
      outcome: 'allowed',
    });
    handlers.logger.info(
      { ...log, meetingId: target.meeting.id, outcome: 'visat' },
      'Gemensam behovskompass visad',
    );
    const compass = toGemensamBehovskompassData({
      meeting: target.meeting,
      caseValue: target.caseValue,
      viewerId: target.actor.userId,
      directory: flow.directory,
      now: at,
    });
    return compass === undefined
      ? renderMessageCard(skattningMessages.notOnAgenda)
      : renderGemensamBehovskompass(compass);
  } catch (error) {
    handlers.logger.error(
      { ...log, err: error, outcome: 'fel' },
      'Den gemensamma behovskompassen kunde inte visas',
    );
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
    const read = await readTarget(context, data, handlers, 'registreraSkattning');
    if ('refusal' in read) return read.refusal;
    const { target } = read;
    const values = readTypedValues(data, skattningsformularInputIds);
    const areas = readAreas(values);
    if (!areas.ok) return renderForm(target, handlers, { values, fieldErrors: areas.fieldErrors });
    const at = flow.clock.now().toISOString();
    const result = await record(target, areas.areas, at, handlers);
    logger.info(
      {
        ...log,
        meetingId: target.meeting.id,
        caseId: target.item.caseId,
        onBehalf: target.convenerName !== undefined,
        outcome: result.outcome,
      },
      'Skattning',
    );
    if (result.outcome === 'refused') {
      if (result.cause === 'accessDenied')
        return renderMessageCard(result.message, { heading: refusedHeading });
      // Read again: a refusal may come from an answer recorded meanwhile, which the form shows.
      const current = (await flow.stores.cases.get(target.item.caseId)) ?? target.caseValue;
      return renderForm({ ...target, caseValue: current }, handlers, { values, formError: result.message });
    }
    const compass = toGemensamBehovskompassData(
      {
        meeting: target.meeting,
        caseValue: result.caseValue,
        viewerId: target.actor.userId,
        directory: flow.directory,
        now: at,
      },
      { confirmation: result.outcome === 'alreadyApplied' ? result.message : skattningSavedMessage },
    );
    if (compass === undefined) return renderMessageCard(skattningMessages.notOnAgenda);
    return renderGemensamBehovskompass(compass);
  } catch (error) {
    if (isDomainError(error)) {
      logger.warn({ ...log, outcome: error.code }, 'Skattningen kunde inte sparas');
      return renderMessageCard(describeErrorForUser(error));
    }
    logger.error({ ...log, err: error, outcome: 'fel' }, 'Skattningen misslyckades');
    return renderMessageCard(unexpectedErrorMessage);
  }
}

function record(
  target: FormTarget,
  areas: SkattningAreaAnswer[],
  at: string,
  handlers: HandlerContext,
): Promise<BarnteamRecordResult> {
  const { key: _key, isConvener: _isConvener, kindLabel: _kindLabel, ...rater } = target.rater;
  if (target.convenerName !== undefined) {
    return recordSkattningOnBehalf(handlers.flow, {
      meetingId: target.meeting.id,
      caseId: target.item.caseId,
      actor: target.actor,
      member: rater,
      recordedByName: target.convenerName,
      areas,
      at,
    });
  }
  // The actor's own answer, in their own name: the meeting's spelling, never the card's.
  const own: SkattningRater = { ...rater, userId: target.actor.userId };
  return recordSkattning(handlers.flow, {
    meetingId: target.meeting.id,
    caseId: target.item.caseId,
    actor: target.actor,
    answer: { caseId: target.item.caseId, meetingId: target.meeting.id, rater: own, answeredAt: at, areas },
    at,
    ...(target.replacesRecordedAt === undefined ? {} : { replacesRecordedAt: target.replacesRecordedAt }),
  });
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

/** A stored answer as the form's inputs: where a correction starts from. */
function toFormValues(answer: SkattningAnswer): Partial<Record<SkattningsformularInputId, string>> {
  const values: Partial<Record<SkattningsformularInputId, string>> = {};
  for (const area of answer.areas) {
    values[`rating_${area.key}`] = String(area.rating);
    if (area.comment !== undefined) values[`comment_${area.key}`] = area.comment;
  }
  return values;
}
