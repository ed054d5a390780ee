/**
 * What the form cards on a case (Samtycke, Beslut, Barnsamtal) share: reading what the user
 * typed, and turning a use case's result into the answer card. A saved action is answered with
 * the case's overview, which shows what was saved, by whom and when, under a green line saying
 * so; invalid input comes back as the same card with the values kept and the message under the
 * field; a refused actor gets a short card with the reason and no case data; a stale card gets
 * the case as it is now.
 */
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { AdaptiveCardJson } from '../../cards/render-template.js';
import type { Case, UserId } from '../../flows/kernel/case.js';
import type { CaseCommandResult } from '../../flows/kernel/case-command.js';
import type { Actor } from '../../flows/kernel/case-effects.js';
import { isDomainError } from '../../flows/kernel/errors.js';
import type { Versioned } from '../../flows/kernel/ports.js';
import { readCaseForCard } from '../case-cards.js';
import { renderMessageCard } from '../invoke-response.js';
import {
  actorMissing,
  cardNotRecognised,
  describeErrorCode,
  describeErrorForUser,
  refusedHeading,
  unexpectedErrorMessage,
} from '../user-messages.js';
import { renderOverviewFor } from './case-overview.js';
import { type HandlerContext, readActor } from './handler-context.js';

export interface CardForm<Id extends string> {
  readonly values?: Partial<Record<Id, string>>;
  readonly fieldErrors?: Partial<Record<Id, string>>;
  readonly formError?: string;
}

/** Renders the card for `viewerId` with `form`; `undefined` when the viewer may not see it. */
export type RenderCaseForm<Id extends string> = (
  current: Versioned<Case>,
  viewerId: UserId,
  form: CardForm<Id>,
) => AdaptiveCardJson | undefined;

export const ZCaseCardData = z.object({
  caseId: z.string().min(1).max(100),
  etag: z.string().min(1).max(200).optional(),
});

/** What the user typed, by input id, as Teams sent it (strings), for showing the card again. */
export function readTypedValues<Id extends string>(
  data: Record<string, unknown>,
  ids: readonly Id[],
): Partial<Record<Id, string>> {
  const values: Partial<Record<Id, string>> = {};
  for (const id of ids) {
    const value = data[id];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      values[id] = String(value);
    }
  }
  return values;
}

export interface CaseFormAction<Id extends string> {
  readonly verb: string;
  /** What the overview says above everything once the action is saved: "Beslutet är sparat." */
  readonly savedMessage: string;
  readonly inputIds: readonly Id[];
  readonly render: RenderCaseForm<Id>;
  /** Runs the use case; the card's case id and version are claims the use case checks. */
  run(input: { actor: Actor; caseId: string; etag: string; at: string }): Promise<CaseCommandResult>;
}

/** Opens the card of a case for the acting user (an audited read). */
export async function openCaseForm<Id extends string>(
  context: TurnContext,
  data: Record<string, unknown>,
  verb: string,
  render: RenderCaseForm<Id>,
  handlers: HandlerContext,
): Promise<AdaptiveCardJson> {
  const log = { verb, activityId: context.activity.id };
  const actor = readActor(context.activity);
  if (actor === undefined) return renderMessageCard(actorMissing, { heading: refusedHeading });
  const parsed = ZCaseCardData.safeParse(data);
  if (!parsed.success) return renderMessageCard(cardNotRecognised);
  return showCurrent(
    parsed.data.caseId,
    actor.userId,
    render,
    {},
    { ...log, caseId: parsed.data.caseId },
    handlers,
  );
}

/** Runs a form action on a case and answers with the card it leaves. */
export async function submitCaseForm<Id extends string>(
  context: TurnContext,
  data: Record<string, unknown>,
  action: CaseFormAction<Id>,
  handlers: HandlerContext,
): Promise<AdaptiveCardJson> {
  const { flow, logger } = handlers;
  const log = { verb: action.verb, activityId: context.activity.id };
  const actor = readActor(context.activity);
  if (actor === undefined) return renderMessageCard(actorMissing, { heading: refusedHeading });
  const parsed = ZCaseCardData.safeParse(data);
  if (!parsed.success || parsed.data.etag === undefined) {
    logger.warn({ ...log, outcome: 'okantKort' }, 'Kortåtgärd utan ärende eller version');
    return renderMessageCard(cardNotRecognised);
  }
  const caseId = parsed.data.caseId;
  const caseLog = { ...log, caseId };
  const values = readTypedValues(data, action.inputIds);
  try {
    const result = await action.run({
      actor,
      caseId,
      etag: parsed.data.etag,
      at: flow.clock.now().toISOString(),
    });
    logger.info({ ...caseLog, outcome: result.outcome }, 'Kortåtgärd på ärendet');
    switch (result.outcome) {
      case 'applied':
      case 'alreadyApplied': {
        handlers.kick();
        // What was saved, by whom and when, and the way on: the case's overview, not a blank form.
        const banner =
          result.outcome === 'applied'
            ? { text: action.savedMessage, kind: 'sparat' as const }
            : { text: result.message, kind: 'info' as const };
        const overview = await renderSavedOverview(
          flow,
          result.caseValue,
          actor.userId,
          banner,
          caseLog,
          handlers,
        );
        return overview ?? renderMessageCard(banner.text);
      }
      case 'stale':
        return (
          action.render(result.caseValue, actor.userId, { values, formError: result.message }) ??
          renderMessageCard(result.message)
        );
      case 'refused': {
        if (result.cause === 'accessDenied') {
          return renderMessageCard(result.message, { heading: refusedHeading });
        }
        const field = action.inputIds.find((id) => id === result.field);
        const form: CardForm<Id> =
          field === undefined
            ? { values, formError: result.message }
            : { values, fieldErrors: { [field]: result.message } as Partial<Record<Id, string>> };
        return showCurrent(caseId, actor.userId, action.render, form, caseLog, handlers, result.message);
      }
    }
  } catch (error) {
    if (isDomainError(error, 'notFound')) {
      return renderMessageCard(describeErrorCode('notFound'), { heading: refusedHeading });
    }
    if (isDomainError(error)) {
      logger.warn({ ...caseLog, outcome: error.code }, 'Kortåtgärden kunde inte utföras');
      return renderMessageCard(describeErrorForUser(error));
    }
    logger.error({ ...caseLog, err: error, outcome: 'fel' }, 'Kortåtgärden misslyckades');
    return renderMessageCard(unexpectedErrorMessage);
  }
}

/** The overview after a save; `undefined` (and the save still stands) when it cannot be shown. */
async function renderSavedOverview(
  flow: HandlerContext['flow'],
  saved: Versioned<Case>,
  viewerId: UserId,
  banner: { readonly text: string; readonly kind: 'sparat' | 'info' },
  log: Record<string, unknown>,
  handlers: HandlerContext,
): Promise<AdaptiveCardJson | undefined> {
  try {
    const read = await readCaseForCard(flow, saved.value.id, viewerId, (current) =>
      renderOverviewFor(flow, current, viewerId, banner),
    );
    return read.outcome === 'shown' ? read.card : undefined;
  } catch (error) {
    handlers.logger.warn({ ...log, err: error }, 'Översikten efter sparandet kunde inte visas');
    return undefined;
  }
}

async function showCurrent<Id extends string>(
  caseId: string,
  viewerId: UserId,
  render: RenderCaseForm<Id>,
  form: CardForm<Id>,
  log: Record<string, unknown>,
  handlers: HandlerContext,
  fallback?: string,
): Promise<AdaptiveCardJson> {
  const { flow, logger } = handlers;
  try {
    const read = await readCaseForCard(flow, caseId, viewerId, (current) => render(current, viewerId, form));
    logger.info({ ...log, outcome: read.outcome }, 'Kortet visat');
    if (read.outcome === 'shown') return read.card;
    return renderMessageCard(describeErrorCode(read.outcome === 'notFound' ? 'notFound' : 'accessDenied'), {
      heading: refusedHeading,
    });
  } catch (error) {
    logger.warn({ ...log, err: error }, 'Kortet kunde inte läsas');
    return renderMessageCard(fallback ?? unexpectedErrorMessage);
  }
}
