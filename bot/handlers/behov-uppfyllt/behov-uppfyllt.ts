/**
 * The closing card, "Barnets behov är uppfyllt": `avslut.visa` opens it for a case (from Barnets
 * plan, or the Beslut card when the Barnkontakt chose that decision), `avslut.spara` closes the
 * case. A second click or a redelivered invoke answers with the closed case's overview and says
 * it was already closed; a card older than the case comes back as it is now.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import {
  type BehovUppfylltInputId,
  behovUppfylltInputIds,
  behovUppfylltVerb,
  renderBehovUppfyllt,
} from '../../../cards/behov-uppfyllt/behov-uppfyllt.js';
import type { AdaptiveCardJson } from '../../../cards/render-template.js';
import { type CloseCaseInput, closeCase } from '../../../flows/behov-uppfyllt/close-case.js';
import { compassAreas } from '../../../flows/kernel/compass.js';
import { compassRaters } from '../../../flows/kernel/records/plan.js';
import { toBehovUppfylltData } from '../../card-views/behov-uppfyllt-view.js';
import { readCaseForCard } from '../../case-cards.js';
import { onActionExecute, renderMessageCard } from '../../invoke-response.js';
import { describeErrorCode, refusedHeading } from '../../user-messages.js';
import {
  type CardForm,
  type CaseFormAction,
  openCaseForm,
  type RenderCaseForm,
  readTypedValues,
  submitCaseForm,
} from '../case-form.js';
import { type HandlerContext, readActor } from '../handler-context.js';
import { readPrinciples } from '../samtal-och-beslut/principle-answers.js';

/** Opens the closing card; sent by the plan card's button. */
export const behovUppfylltOpenVerb = 'avslut.visa';

export const closedMessage = 'Sparat. Ärendet är avslutat: barnets behov är uppfyllt.';

const render: RenderCaseForm<BehovUppfylltInputId> = (current, viewerId, form) => {
  const data = toBehovUppfylltData(current, viewerId, form);
  return data === undefined ? undefined : renderBehovUppfyllt(data);
};

export function registerBehovUppfyllt<TState extends TurnState>(
  app: Application<TState>,
  handlers: HandlerContext,
): void {
  onActionExecute(app, behovUppfylltOpenVerb, (context, data) =>
    openCaseForm(context, data, behovUppfylltOpenVerb, render, handlers),
  );
  onActionExecute(app, behovUppfylltVerb, (context, data) => {
    const action: CaseFormAction<BehovUppfylltInputId> = {
      verb: behovUppfylltVerb,
      savedMessage: closedMessage,
      inputIds: behovUppfylltInputIds,
      render,
      run: ({ actor, caseId, etag, at }) =>
        closeCase(handlers.flow, {
          caseId,
          etag,
          actor,
          principles: readPrinciples(data),
          ratings: readRatings(data),
          ...(typeof data.note === 'string' ? { note: data.note } : {}),
          at,
        }),
    };
    return submitCaseForm(context, data, action, handlers);
  });
}

/**
 * The closing card for a Beslut that chose "Barnets behov är uppfyllt": nothing is saved yet,
 * the principles and note the Barnkontakt already gave come along.
 */
export async function openClosingFromBeslut(
  context: TurnContext,
  data: Record<string, unknown>,
  caseId: string,
  handlers: HandlerContext,
): Promise<AdaptiveCardJson> {
  const actor = readActor(context.activity);
  if (actor === undefined)
    return renderMessageCard(describeErrorCode('accessDenied'), { heading: refusedHeading });
  const form: CardForm<BehovUppfylltInputId> = { values: readTypedValues(data, behovUppfylltInputIds) };
  const read = await readCaseForCard(handlers.flow, caseId, actor.userId, (current) =>
    render(current, actor.userId, form),
  );
  if (read.outcome === 'shown') return read.card;
  return renderMessageCard(describeErrorCode(read.outcome === 'notFound' ? 'notFound' : 'accessDenied'), {
    heading: refusedHeading,
  });
}

function readRatings(data: Record<string, unknown>): CloseCaseInput['ratings'] {
  return Object.fromEntries(
    compassRaters.map((rater) => [
      rater,
      Object.fromEntries(
        compassAreas.map((area) => {
          const value = data[`${rater}_${area.key}`];
          return [area.key, typeof value === 'string' ? value : undefined];
        }),
      ),
    ]),
  );
}
