/**
 * The one place every case write gives its follow-up figure events: a CaseStore that adds the
 * facts new since the last write (`listCaseFigureFacts` minus `Case.figureKeys`) to the write's
 * effects, so the store commits them with the case (one SQLite transaction; on Cosmos in the
 * case document's pending effects, enqueued after it and repaired by the sweep). A use case
 * needs to know nothing of the figures.
 */
import type { Case } from '../kernel/case.js';
import type { CaseEffects, CaseStore, FigureEvent, Stores } from '../kernel/ports.js';
import { listCaseFigureFacts, termKey } from './figure-events.js';

/**
 * A keyed hash (HMAC) of a fact's identity: the same fact always gets the same id, yet no id can
 * be matched to a case without the key.
 */
export type FigureIdHash = (text: string) => string;

const noEffects: CaseEffects = { outbox: [], reminders: [] };

/** The case with its new fact keys recorded, and the events of those facts. */
export function takeNewFigureEvents(
  value: Case,
  hash: FigureIdHash,
): { value: Case; figures: FigureEvent[] } {
  const known = new Set(value.figureKeys ?? []);
  const fresh = listCaseFigureFacts(value).filter((fact) => !known.has(fact.key));
  if (fresh.length === 0) return { value, figures: [] };
  const figures = fresh.map(
    (fact): FigureEvent => ({
      id: hash(fact.shared === true ? fact.key : `${value.id}\u0000${fact.key}`),
      term: termKey(fact.term),
      metric: fact.metric,
      organisation: fact.organisation,
      ...(fact.workingDays === undefined ? {} : { workingDays: fact.workingDays }),
    }),
  );
  return { value: { ...value, figureKeys: [...known, ...fresh.map((fact) => fact.key)] }, figures };
}

function withFigures(effects: CaseEffects, figures: readonly FigureEvent[]): CaseEffects {
  return figures.length === 0 ? effects : { ...effects, figures: [...(effects.figures ?? []), ...figures] };
}

export function recordFigureEvents(cases: CaseStore, hash: FigureIdHash): CaseStore {
  return {
    ...cases,
    create(value) {
      const { value: next, figures } = takeNewFigureEvents(value, hash);
      return figures.length === 0
        ? cases.create(next)
        : cases.createWithEffects(next, withFigures(noEffects, figures));
    },
    createWithEffects(value, effects) {
      const { value: next, figures } = takeNewFigureEvents(value, hash);
      return cases.createWithEffects(next, withFigures(effects, figures));
    },
    replace(value, ifMatch) {
      const { value: next, figures } = takeNewFigureEvents(value, hash);
      return figures.length === 0
        ? cases.replace(next, ifMatch)
        : cases.replaceWithEffects(next, ifMatch, withFigures(noEffects, figures));
    },
    replaceWithEffects(value, ifMatch, effects) {
      const { value: next, figures } = takeNewFigureEvents(value, hash);
      return cases.replaceWithEffects(next, ifMatch, withFigures(effects, figures));
    },
  };
}

/** The stores with every case write recording its figure events; unchanged without a FigureStore. */
export function recordFiguresInStores(stores: Stores, hash: FigureIdHash): Stores {
  if (stores.figures === undefined) return stores;
  return { ...stores, cases: recordFigureEvents(stores.cases, hash) };
}
