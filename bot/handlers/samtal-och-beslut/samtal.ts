/**
 * The Samtal card: `samtal.visa` opens it for a case (`caseId`), `samtal.spara` records a
 * barnsamtal or uppföljningssamtal (ratings "1"–"5"/"vetEj" and a comment per perspective and
 * area). The answer is the Samtal card again, with the saved notice and the new comparison.
 * The acting user comes from the activity; the case id, version and draft id are claims.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import {
  renderSamtal,
  type SamtalInputId,
  samtalInputIds,
  samtalVerb,
} from '../../../cards/samtal-och-beslut/samtal.js';
import { compassAreaKeys } from '../../../flows/kernel/compass.js';
import {
  chooseSamtalsunderlag,
  type SamtalPerspectiveKey,
  type SamtalsunderlagVersion,
  samtalPerspectives,
  ZSamtalKind,
  ZSamtalsunderlagVersion,
} from '../../../flows/kernel/records/samtal.js';
import { type SkattningAreaAnswer, ZSkattningValue } from '../../../flows/kernel/skattning.js';
import { toStockholmDate } from '../../../flows/kernel/working-time.js';
import { recordSamtal } from '../../../flows/samtal-och-beslut/record-samtal.js';
import { toSamtalData } from '../../card-views/samtal-beslut-barnteam-views.js';
import { withCaseNavigation } from '../../card-views/upptackt-views.js';
import { onActionExecute } from '../../invoke-response.js';
import { type CaseFormAction, openCaseForm, type RenderCaseForm, submitCaseForm } from '../case-form.js';
import type { HandlerContext } from '../handler-context.js';

/** Opens the Samtal card; sent by the buttons that lead to it. */
export const samtalOpenVerb = 'samtal.visa';

const draftIdPattern = /^[A-Za-z0-9-]{8,64}$/;

export function registerSamtal<TState extends TurnState>(
  app: Application<TState>,
  handlers: HandlerContext,
): void {
  const { flow } = handlers;
  // One draft id per card: a resent submit records the talk once; after a save, a new one.
  const renderWith =
    (draftId: () => string): RenderCaseForm<SamtalInputId> =>
    (current, viewerId, form) => {
      const data = toSamtalData(
        current,
        viewerId,
        { draftId: draftId(), today: toStockholmDate(flow.clock.now()) },
        form,
      );
      return data === undefined
        ? undefined
        : withCaseNavigation(renderSamtal(data), current.value, viewerId, flow.directory, samtalOpenVerb);
    };
  onActionExecute(app, samtalOpenVerb, (context, data) =>
    openCaseForm(context, data, samtalOpenVerb, renderWith(flow.newId), handlers),
  );
  onActionExecute(app, samtalVerb, (context, data) => {
    const submitted =
      typeof data.draftId === 'string' && draftIdPattern.test(data.draftId) ? data.draftId : '';
    let saved = false;
    const action: CaseFormAction<SamtalInputId> = {
      verb: samtalVerb,
      savedMessage: 'Sparat. Samtalet är registrerat.',
      inputIds: samtalInputIds,
      // A saved talk gets a fresh card for the next one; anything else keeps the user's draft.
      render: renderWith(() => (saved || submitted === '' ? flow.newId() : submitted)),
      run: async ({ actor, caseId, etag, at }) => {
        if (submitted === '') {
          return {
            outcome: 'refused',
            cause: 'invalidInput',
            message: 'Kortet saknar utkast. Öppna det igen.',
          };
        }
        const heldOn = typeof data.heldOn === 'string' ? data.heldOn.trim() : '';
        const underlag = await readChosenUnderlag(handlers, caseId, data.underlag, heldOn);
        const result = await recordSamtal(flow, {
          caseId,
          etag,
          actor,
          samtalId: submitted,
          kind: ZSamtalKind.catch('barnsamtal').parse(data.kind),
          heldOn,
          ...(underlag === undefined ? {} : { underlag }),
          perspectives: readPerspectives(data),
          at,
        });
        saved = result.outcome === 'applied' || result.outcome === 'alreadyApplied';
        return result;
      },
    };
    return submitCaseForm(context, data, action, handlers);
  });
}

/**
 * The Samtalsunderlag the Barnkontakt chose, or `undefined` when it is the one the child's age
 * gives: the card preselects that one, and keeping it must be recorded as chosen by age.
 */
async function readChosenUnderlag(
  handlers: HandlerContext,
  caseId: string,
  value: unknown,
  heldOn: string,
): Promise<SamtalsunderlagVersion | undefined> {
  const chosen = ZSamtalsunderlagVersion.safeParse(value);
  if (!chosen.success) return undefined;
  const birthDate = (await handlers.flow.stores.cases.get(caseId))?.value.child.birthDate;
  if (birthDate === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(heldOn)) return chosen.data;
  return chooseSamtalsunderlag(birthDate, heldOn).version === chosen.data ? undefined : chosen.data;
}

/** The perspectives the user ticked (comma-separated), each with its eight areas. */
function readPerspectives(data: Record<string, unknown>): {
  barnet?: SkattningAreaAnswer[];
  vardnadshavare?: SkattningAreaAnswer[];
} {
  const ticked =
    typeof data.perspectives === 'string' ? data.perspectives.split(',').map((p) => p.trim()) : [];
  const result: { barnet?: SkattningAreaAnswer[]; vardnadshavare?: SkattningAreaAnswer[] } = {};
  for (const perspective of samtalPerspectives) {
    if (ticked.includes(perspective)) result[perspective] = readAreas(data, perspective);
  }
  return result;
}

function readAreas(data: Record<string, unknown>, perspective: SamtalPerspectiveKey): SkattningAreaAnswer[] {
  return compassAreaKeys.map((key) => {
    const raw = String(data[`rating_${perspective}_${key}`] ?? '').trim();
    const rating = ZSkattningValue.catch('vetEj').parse(/^\d$/.test(raw) ? Number(raw) : raw || 'vetEj');
    const comment = data[`comment_${perspective}_${key}`];
    return {
      key,
      rating,
      ...(typeof comment === 'string' && comment.trim() !== ''
        ? { comment: comment.trim().slice(0, 1000) }
        : {}),
    };
  });
}
