/**
 * The Samtycke card: `samtycke.visa` opens it for a case (`caseId`), `samtycke.registrera` records
 * a consent step, `samtycke.aterkalla` records a withdrawal (which stops the process for the case).
 * The acting user comes from the activity; the case id and version are claims the use cases check.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import {
  renderSamtycke,
  type SamtyckeInputId,
  samtyckeInputIds,
  samtyckeVerbs,
} from '../../../cards/samtycke/samtycke.js';
import { removeCaseFromAgenda } from '../../../flows/barnteam/change-barnteam-meeting.js';
import { type ConsentGiver, ZConsentGiver, ZConsentStep } from '../../../flows/kernel/case.js';
import type { Actor } from '../../../flows/kernel/case-effects.js';
import { recordConsentStep } from '../../../flows/samtycke/record-consent.js';
import {
  type AgendaItemRef,
  withdrawConsent,
  withdrawnByMissingMessage,
} from '../../../flows/samtycke/withdraw-consent.js';
import { toSamtyckeData } from '../../card-views/samtal-beslut-barnteam-views.js';
import { withCaseNavigation } from '../../card-views/upptackt-views.js';
import { onActionExecute } from '../../invoke-response.js';
import { type CaseFormAction, openCaseForm, type RenderCaseForm, submitCaseForm } from '../case-form.js';
import type { HandlerContext } from '../handler-context.js';

/** Opens the Samtycke card; sent by the buttons that lead to it. */
export const samtyckeOpenVerb = 'samtycke.visa';

const stepMissing = 'Välj vilket steg av samtycket som registreras.';
const withdrawalNotConfirmed = 'Bekräfta att samtycket har återkallats.';

export function registerSamtycke<TState extends TurnState>(
  app: Application<TState>,
  handlers: HandlerContext,
): void {
  const render: RenderCaseForm<SamtyckeInputId> = (current, viewerId, form) => {
    const data = toSamtyckeData(current, viewerId, handlers.flow.directory, form);
    return data === undefined
      ? undefined
      : withCaseNavigation(
          renderSamtycke(data),
          current.value,
          viewerId,
          handlers.flow.directory,
          samtyckeOpenVerb,
        );
  };
  onActionExecute(app, samtyckeOpenVerb, (context, data) =>
    openCaseForm(context, data, samtyckeOpenVerb, render, handlers),
  );
  onActionExecute(app, samtyckeVerbs.registrera, (context, data) => {
    const step = ZConsentStep.safeParse(data.step);
    const action: CaseFormAction<SamtyckeInputId> = {
      verb: samtyckeVerbs.registrera,
      savedMessage: 'Sparat. Samtycket är registrerat.',
      inputIds: samtyckeInputIds,
      render,
      run: async ({ actor, caseId, etag, at }) => {
        if (!step.success) {
          return { outcome: 'refused', cause: 'invalidInput', message: stepMissing, field: 'step' };
        }
        return recordConsentStep(handlers.flow, {
          caseId,
          etag,
          actor,
          step: step.data,
          givenBy: readGivers(data.givenBy),
          scope: typeof data.scope === 'string' ? data.scope : '',
          ...(typeof data.documentReference === 'string' && data.documentReference.trim() !== ''
            ? { documentReference: data.documentReference.trim() }
            : {}),
          at,
        });
      },
    };
    return submitCaseForm(context, data, action, handlers);
  });
  onActionExecute(app, samtyckeVerbs.aterkalla, (context, data) => {
    const withdrawnBy = ZConsentGiver.safeParse(data.withdrawnBy);
    const action: CaseFormAction<SamtyckeInputId> = {
      verb: samtyckeVerbs.aterkalla,
      savedMessage: 'Sparat. Återkallelsen är registrerad, och inget mer delas i ärendet.',
      inputIds: samtyckeInputIds,
      render,
      run: async ({ actor, caseId, at }) => {
        if (!withdrawnBy.success) {
          return {
            outcome: 'refused',
            cause: 'invalidInput',
            message: withdrawnByMissingMessage,
            field: 'withdrawnBy',
          };
        }
        if (String(data.withdrawalConfirmed) !== 'true') {
          return {
            outcome: 'refused',
            cause: 'invalidInput',
            message: withdrawalNotConfirmed,
            field: 'withdrawalConfirmed',
          };
        }
        const result = await withdrawConsent(handlers.flow, {
          caseId,
          actor,
          withdrawnBy: withdrawnBy.data,
          at,
        });
        if (result.outcome === 'applied' || result.outcome === 'alreadyApplied') {
          await removeFromAgendas(handlers, result.agendaItemsToRemove, actor, at);
        }
        return result;
      },
    };
    return submitCaseForm(context, data, action, handlers);
  });
}

/**
 * Takes the child off coming Barnteam agendas after a withdrawal. Without a calendar the items
 * stay; a repeat of the withdrawal (`alreadyApplied`) lists them again, so a failure here is
 * logged and repaired by the next click rather than hiding the recorded withdrawal.
 */
async function removeFromAgendas(
  handlers: HandlerContext,
  items: readonly AgendaItemRef[],
  actor: Actor,
  at: string,
): Promise<void> {
  const calendar = handlers.calendar;
  if (calendar === undefined || items.length === 0) return;
  const deps = { ...handlers.flow, calendar };
  for (const item of items) {
    try {
      await removeCaseFromAgenda(deps, { meetingId: item.meetingId, caseId: item.caseId, actor, at });
    } catch (error) {
      handlers.logger.warn(
        { meetingId: item.meetingId, caseId: item.caseId, err: error },
        'Barnet kunde inte tas bort från dagordningen',
      );
    }
  }
}

/** A multi-select arrives comma-separated; unknown values are dropped (the use case asks for one). */
function readGivers(value: unknown): ConsentGiver[] {
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((part) => ZConsentGiver.safeParse(part.trim()))
    .flatMap((parsed) => (parsed.success ? [parsed.data] : []));
}
