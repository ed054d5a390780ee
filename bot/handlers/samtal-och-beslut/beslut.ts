/**
 * The Beslut card: `beslut.visa` opens it for a case (`caseId`), `beslut.spara` records the
 * decision with the four guiding-principle answers. Barnteam without the written consent comes
 * back as the same card with the guard's Swedish reason ("Skriftligt samtycke saknas: …").
 * "Barnets behov är uppfyllt" opens the closing card (bot/handlers/behov-uppfyllt) instead.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import {
  type BeslutInputId,
  beslutInputIds,
  beslutVerb,
  renderBeslut,
} from '../../../cards/samtal-och-beslut/beslut.js';
import { ZBeslutKind } from '../../../flows/kernel/records/beslut.js';
import { decide } from '../../../flows/samtal-och-beslut/decide.js';
import { toBeslutData } from '../../card-views/samtal-beslut-barnteam-views.js';
import { withCaseNavigation } from '../../card-views/upptackt-views.js';
import { onActionExecute } from '../../invoke-response.js';
import { openClosingFromBeslut } from '../behov-uppfyllt/behov-uppfyllt.js';
import {
  type CaseFormAction,
  openCaseForm,
  type RenderCaseForm,
  submitCaseForm,
  ZCaseCardData,
} from '../case-form.js';
import type { HandlerContext } from '../handler-context.js';
import { readPrinciples } from './principle-answers.js';

/** Opens the Beslut card; sent by the buttons that lead to it. */
export const beslutOpenVerb = 'beslut.visa';

const decisionMissing = 'Välj ett beslut.';

export function registerBeslut<TState extends TurnState>(
  app: Application<TState>,
  handlers: HandlerContext,
): void {
  const render: RenderCaseForm<BeslutInputId> = (current, viewerId, form) => {
    const data = toBeslutData(current, viewerId, form);
    return data === undefined
      ? undefined
      : withCaseNavigation(
          renderBeslut(data),
          current.value,
          viewerId,
          handlers.flow.directory,
          beslutOpenVerb,
        );
  };
  onActionExecute(app, beslutOpenVerb, (context, data) =>
    openCaseForm(context, data, beslutOpenVerb, render, handlers),
  );
  onActionExecute(app, beslutVerb, (context, data) => {
    const decision = ZBeslutKind.safeParse(data.decision);
    // Closing needs the closing Behovskompass too: its own card, with what was answered here.
    const card = ZCaseCardData.safeParse(data);
    if (decision.success && decision.data === 'behovUppfyllt' && card.success) {
      return openClosingFromBeslut(context, data, card.data.caseId, handlers);
    }
    const action: CaseFormAction<BeslutInputId> = {
      verb: beslutVerb,
      savedMessage: 'Sparat. Beslutet är registrerat.',
      inputIds: beslutInputIds,
      render,
      run: async ({ actor, caseId, etag, at }) => {
        if (!decision.success) {
          return { outcome: 'refused', cause: 'invalidInput', message: decisionMissing, field: 'decision' };
        }
        return decide(handlers.flow, {
          caseId,
          etag,
          actor,
          decision: decision.data,
          principles: readPrinciples(data),
          ...(typeof data.note === 'string' ? { note: data.note } : {}),
          ...(typeof data.followUpDate === 'string' ? { followUpDate: data.followUpDate } : {}),
          at,
        });
      },
    };
    return submitCaseForm(context, data, action, handlers);
  });
}
