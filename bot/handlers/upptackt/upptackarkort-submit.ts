/**
 * `upptackarkort.skicka`: the Upptäckare submits the Upptäckarkort. Invalid → the same card with
 * what they typed and a Swedish message per field, nothing stored. Valid → the case is filed
 * (one case per draft id, however often Teams redelivers or the user clicks) and the card turns
 * into the receipt. The notifications the filing enqueued are delivered after the answer by the
 * background work: nothing is sent to anyone inside the invoke (docs/security.md 11).
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { AdaptiveCardJson } from '../../../cards/render-template.js';
import { renderUpptackarkort, upptackarkortVerb } from '../../../cards/upptackt/upptackarkort.js';
import { isDomainError } from '../../../flows/kernel/errors.js';
import { toStockholmDate } from '../../../flows/kernel/working-time.js';
import {
  type DiscoveryInputId,
  discoveryInputIds,
  parseDiscoverySubmission,
} from '../../../flows/upptackt/discovery-form.js';
import { fileDiscovery } from '../../../flows/upptackt/file-discovery.js';
import { listChildUnitChoices } from '../../card-views/upptackt-views.js';
import { renderKvittoCard } from '../../case-cards.js';
import { onActionExecute, renderMessageCard } from '../../invoke-response.js';
import {
  actorMissing,
  cardNotRecognised,
  describeErrorForUser,
  tryAgainSoon,
  unexpectedErrorMessage,
} from '../../user-messages.js';
import { type HandlerContext, readActor } from '../handler-context.js';

const ZDraftId = z.string().uuid();
const inputIds: ReadonlySet<string> = new Set(discoveryInputIds);

export function registerUpptackarkortSubmit<TState extends TurnState>(
  app: Application<TState>,
  handlers: HandlerContext,
): void {
  onActionExecute(app, upptackarkortVerb, (context, data) => submitUpptackarkort(context, data, handlers));
}

async function submitUpptackarkort(
  context: TurnContext,
  data: Record<string, unknown>,
  handlers: HandlerContext,
): Promise<AdaptiveCardJson> {
  const { flow, logger } = handlers;
  const log = { verb: upptackarkortVerb, activityId: context.activity.id };
  const actor = readActor(context.activity);
  if (actor === undefined) {
    logger.warn({ ...log, outcome: 'okandAnvandare' }, 'Upptäckarkort utan användare');
    return renderMessageCard(actorMissing);
  }
  const draftId = ZDraftId.safeParse(data.draftId);
  if (!draftId.success) {
    logger.warn({ ...log, outcome: 'okantKort' }, 'Upptäckarkort utan giltigt utkast-id');
    return renderMessageCard(cardNotRecognised);
  }
  const units = listChildUnitChoices(flow.directory);
  const typed = readTypedValues(data);
  const sameCard = (extra: { fieldErrors?: Partial<Record<DiscoveryInputId, string>>; formError?: string }) =>
    renderUpptackarkort({ draftId: draftId.data, units, values: typed, ...extra });

  const now = flow.clock.now();
  const parsed = parseDiscoverySubmission(data, { today: toStockholmDate(now), directory: flow.directory });
  if (!parsed.ok) {
    // Field ids only: the values are what the user typed about a child.
    logger.info(
      { ...log, draftId: draftId.data, outcome: 'ogiltigt', fields: Object.keys(parsed.fieldErrors) },
      'Upptäckarkortet behöver rättas',
    );
    return renderUpptackarkort({
      draftId: draftId.data,
      units,
      values: parsed.values,
      fieldErrors: parsed.fieldErrors,
    });
  }

  try {
    const filed = await fileDiscovery(flow, {
      actor,
      draftId: draftId.data,
      submission: parsed.value,
      receivedAt: now.toISOString(),
    });
    const caseValue = filed.caseValue.value;
    handlers.kick();
    logger.info({ ...log, caseId: caseValue.id, outcome: filed.outcome }, 'Upptäckarkort inlämnat');
    return (
      renderKvittoCard(caseValue, actor.userId, flow.directory) ??
      renderMessageCard(`Kortet är mottaget. Ärende ${caseValue.reference}.`)
    );
  } catch (error) {
    if (isDomainError(error, 'storageUnavailable')) {
      logger.warn(
        { ...log, draftId: draftId.data, outcome: 'lagringenOtillganglig' },
        'Kortet kunde inte sparas',
      );
      return sameCard({ formError: tryAgainSoon });
    }
    if (isDomainError(error, 'invalidInput') && inputIds.has(String(error.details.field))) {
      logger.info(
        { ...log, draftId: draftId.data, outcome: 'ogiltigt', fields: [error.details.field] },
        'Avvisat',
      );
      return sameCard({ fieldErrors: { [String(error.details.field)]: error.message } });
    }
    if (isDomainError(error)) {
      logger.info({ ...log, draftId: draftId.data, outcome: error.code }, 'Upptäckarkortet avvisades');
      return renderMessageCard(describeErrorForUser(error));
    }
    logger.error(
      { ...log, draftId: draftId.data, err: error, outcome: 'fel' },
      'Upptäckarkortet kunde inte tas emot',
    );
    return sameCard({ formError: unexpectedErrorMessage });
  }
}

/** What the user typed, by input id, as Teams sent it (strings), for showing the card again. */
function readTypedValues(data: Record<string, unknown>): Partial<Record<DiscoveryInputId, string>> {
  const values: Partial<Record<DiscoveryInputId, string>> = {};
  for (const id of discoveryInputIds) {
    const value = data[id];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      values[id] = String(value);
    }
  }
  return values;
}
