/**
 * The Fördjupad behovskompass's verbs, behind the plan card's button: `plan.fordjupadVisa` shows
 * the catalogue's page with the latest ratings (also the card's refresh and its page chooser),
 * `plan.fordjupadSpara` records the ratings given on the page. The actor comes from the activity;
 * the case id, version and page in the card data are claims the use case and the view check.
 * Sub-area ids and field ids only are logged, never a rating.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import {
  type FordjupadBehovskompassData,
  fordjupadBehovskompassVerbs,
  pageInputId,
  readSubAreaInputId,
  renderFordjupadBehovskompass,
  toSubAreaInputId,
} from '../../../cards/individuellt-barnteam/fordjupad-behovskompass.js';
import type { AdaptiveCardJson } from '../../../cards/render-template.js';
import {
  type DeepCompassCatalogue,
  findDeepCompassSubArea,
} from '../../../flows/individuellt-barnteam/deep-compass-catalogue.js';
import { readPlanCardVersion } from '../../../flows/individuellt-barnteam/plan-command.js';
import { recordDeepCompass } from '../../../flows/individuellt-barnteam/plan-deep-compass.js';
import type { Case } from '../../../flows/kernel/case.js';
import type { Actor } from '../../../flows/kernel/case-effects.js';
import { isDomainError } from '../../../flows/kernel/errors.js';
import type { Versioned } from '../../../flows/kernel/ports.js';
import { skattningScale } from '../../../flows/kernel/skattning.js';
import { toFordjupadBehovskompassData } from '../../card-views/deep-compass-view.js';
import { readCaseForCard } from '../../case-cards.js';
import { onActionExecute, renderMessageCard } from '../../invoke-response.js';
import {
  actorMissing,
  cardNotRecognised,
  describeErrorForUser,
  refusedHeading,
  unexpectedErrorMessage,
} from '../../user-messages.js';
import { type HandlerContext, readActor } from '../handler-context.js';

export const deepCompassNotices = {
  noAccess:
    'Du har ingen roll i ett Individuellt barnteam för det här ärendet och kan inte se den Fördjupade behovskompassen.',
  noCatalogue:
    'Den Fördjupade behovskompassen är inte inställd här: boten har ingen katalog med kommunens delområden.',
  saved: 'Skattningen är sparad.',
} as const;

// Numbers or strings: a page bound whole in the template comes back as a number, the chooser's as a string.
const ZPage = z.union([z.number(), z.string().max(4)]).optional();

const ZDeepCompassCardData = z
  .object({
    caseId: z.string().min(1).max(100),
    etag: z.string().min(1).max(200).optional(),
    page: ZPage,
    [pageInputId]: ZPage,
  })
  .passthrough();
type DeepCompassCardData = z.infer<typeof ZDeepCompassCardData>;

type Form = Pick<FordjupadBehovskompassData, 'values' | 'fieldErrors' | 'formError' | 'confirmation'>;

const choiceValues = new Set(skattningScale.map((step) => String(step.value)));

export function registerFordjupadBehovskompass<TState extends TurnState>(
  app: Application<TState>,
  handlers: HandlerContext,
): void {
  onActionExecute(app, fordjupadBehovskompassVerbs.visa, (context, data) =>
    answer(context, data, handlers, fordjupadBehovskompassVerbs.visa, showDeepCompass),
  );
  onActionExecute(app, fordjupadBehovskompassVerbs.spara, (context, data) =>
    answer(context, data, handlers, fordjupadBehovskompassVerbs.spara, saveDeepCompass),
  );
}

interface VerbInput {
  readonly context: TurnContext;
  readonly data: DeepCompassCardData;
  readonly raw: Record<string, unknown>;
  readonly handlers: HandlerContext;
  readonly catalogue: DeepCompassCatalogue;
  readonly actor: Actor;
  readonly log: Record<string, unknown>;
}

/** What both verbs share: the actor, the card data, the catalogue, and errors as Swedish cards. */
async function answer(
  context: TurnContext,
  raw: Record<string, unknown>,
  handlers: HandlerContext,
  verb: string,
  run: (input: VerbInput) => Promise<AdaptiveCardJson>,
): Promise<AdaptiveCardJson> {
  const log = { verb, activityId: context.activity.id };
  const actor = readActor(context.activity);
  if (actor === undefined) return renderMessageCard(actorMissing, { heading: refusedHeading });
  const parsed = ZDeepCompassCardData.safeParse(raw);
  if (!parsed.success) return renderMessageCard(cardNotRecognised);
  const catalogue = handlers.deepCompassCatalogue;
  if (catalogue === undefined) return renderMessageCard(deepCompassNotices.noCatalogue);
  try {
    return await run({ context, data: parsed.data, raw, handlers, catalogue, actor, log });
  } catch (error) {
    if (isDomainError(error)) {
      handlers.logger.warn({ ...log, outcome: error.code }, 'Fördjupad behovskompass');
      return renderMessageCard(describeErrorForUser(error));
    }
    handlers.logger.error({ ...log, err: error, outcome: 'fel' }, 'Fördjupad behovskompass');
    return renderMessageCard(unexpectedErrorMessage);
  }
}

async function showDeepCompass(input: VerbInput): Promise<AdaptiveCardJson> {
  const { data, handlers } = input;
  // The chooser's page wins over the page the card was showing.
  const page = readPage(data[pageInputId] ?? data.page);
  const read = await showCurrent(input, page, {});
  handlers.logger.info(
    { ...input.log, caseId: data.caseId, page, outcome: read === undefined ? 'nekad' : 'visad' },
    'Fördjupad behovskompass',
  );
  return read ?? refuse();
}

async function saveDeepCompass(input: VerbInput): Promise<AdaptiveCardJson> {
  const { data, raw, handlers, catalogue, actor } = input;
  const { flow, logger } = handlers;
  if (data.etag === undefined) return renderMessageCard(cardNotRecognised);
  const page = readPage(data.page);
  const ratings = readRatings(raw);
  const result = await recordDeepCompass(flow, catalogue, {
    caseId: data.caseId,
    ...readPlanCardVersion(data.etag),
    actor,
    at: flow.clock.now().toISOString(),
    ratings,
  });
  logger.info(
    {
      ...input.log,
      caseId: data.caseId,
      page,
      subAreas: Object.keys(ratings).filter((id) => ratings[id] !== ''),
      outcome: result.outcome,
      ...(result.outcome === 'refused' && result.field !== undefined ? { field: result.field } : {}),
    },
    'Fördjupad behovskompass',
  );
  if (result.outcome === 'refused') {
    // Not the viewer's to see, or no plan to rate in: the message alone, no case data.
    if (result.cause !== 'invalidInput')
      return renderMessageCard(result.message, { heading: refusedHeading });
    const inputId = result.field === undefined ? undefined : toSubAreaInputId(result.field);
    const form: Form = {
      values: keepTyped(ratings, catalogue, result.field),
      ...(inputId !== undefined && findDeepCompassSubArea(catalogue, result.field ?? '') !== undefined
        ? { fieldErrors: { [inputId]: result.message } }
        : { formError: result.message }),
    };
    // Nothing was written; the case shown again is read, and audited, as any card's read.
    return (await showCurrent(input, page, form)) ?? refuse();
  }
  const form: Form =
    result.outcome === 'applied'
      ? { confirmation: deepCompassNotices.saved }
      : result.outcome === 'alreadyApplied'
        ? { confirmation: result.message }
        : // Stale: another save came first; what was typed comes back to be sent again.
          { formError: result.message, values: keepTyped(ratings, catalogue) };
  return render(result.caseValue, input, page, form) ?? refuse();
}

/** The card as the case is now, read and audited for the viewer; `undefined` when they may not see it. */
async function showCurrent(
  input: VerbInput,
  page: number,
  form: Form,
): Promise<AdaptiveCardJson | undefined> {
  const read = await readCaseForCard(input.handlers.flow, input.data.caseId, input.actor.userId, (current) =>
    render(current, input, page, form),
  );
  return read.outcome === 'shown' ? read.card : undefined;
}

function render(
  current: Versioned<Case>,
  input: VerbInput,
  page: number,
  form: Form,
): AdaptiveCardJson | undefined {
  const view = toFordjupadBehovskompassData(
    current,
    input.actor.userId,
    input.handlers.flow.directory,
    input.catalogue,
    page,
    form,
  );
  return view === undefined ? undefined : renderFordjupadBehovskompass(view);
}

function refuse(): AdaptiveCardJson {
  return renderMessageCard(deepCompassNotices.noAccess, { heading: refusedHeading });
}

function readPage(value: string | number | undefined): number {
  const page = typeof value === 'number' ? value : Number(value ?? 0);
  return Number.isInteger(page) && page >= 0 ? page : 0;
}

/** The sub-areas' inputs of the card, by sub-area id; the use case checks the ids and values. */
function readRatings(raw: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(raw).flatMap(([key, value]) => {
      const subAreaId = readSubAreaInputId(key);
      return subAreaId === undefined || typeof value !== 'string' ? [] : [[subAreaId, value.slice(0, 20)]];
    }),
  );
}

/**
 * What was typed, for the card that comes back: the choices the card offers, on sub-areas the
 * catalogue has. A value no choice matches (the one refused) would show as nothing chosen anyway.
 */
function keepTyped(
  ratings: Readonly<Record<string, string>>,
  catalogue: DeepCompassCatalogue,
  refused?: string,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(ratings)
      .filter(
        ([id, value]) =>
          id !== refused && choiceValues.has(value) && findDeepCompassSubArea(catalogue, id) !== undefined,
      )
      .map(([id, value]) => [toSubAreaInputId(id), value]),
  );
}
