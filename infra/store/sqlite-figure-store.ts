/**
 * The follow-up figures in the embedded store: each event once (by its id) and the term's counts
 * bumped in the same transaction, so reading a term is one indexed range of a few hundred rows
 * however many cases there were. `appendNow` runs inside the case store's transaction, so a case
 * change and the figures it gave commit together.
 */
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { isDomainError } from '../../flows/kernel/errors.js';
import {
  type FigureCount,
  type FigureEvent,
  type FigureStore,
  ZFigureEvent,
} from '../../flows/kernel/ports.js';
import type { GroupCommit } from './sqlite-group-commit.js';
import { parseIncoming } from './store-documents.js';
import { createStorageUnavailableError } from './store-errors.js';

/** `figure_counts.working_days` for an event that is not a lead time (NULL cannot be in a key). */
const noWorkingDays = -1;

export interface SqliteFigureWriter {
  /** Inside the caller's transaction; returns how many events were new. */
  appendNow(events: readonly FigureEvent[]): number;
}

export function createSqliteFigureStore(
  db: SqliteDatabase,
  writes: GroupCommit,
): FigureStore & SqliteFigureWriter {
  const insertEvent = db.prepare<[string, string, string, string, number | null]>(
    'INSERT INTO figure_events (id, term, metric, organisation, working_days) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
  );
  const bumpCount = db.prepare<[string, string, string, number]>(
    `INSERT INTO figure_counts (term, metric, organisation, working_days, count) VALUES (?, ?, ?, ?, 1)
     ON CONFLICT (term, metric, organisation, working_days) DO UPDATE SET count = count + 1`,
  );
  const selectTerm = db.prepare<
    [string],
    { metric: string; organisation: string; working_days: number; count: number }
  >('SELECT metric, organisation, working_days, count FROM figure_counts WHERE term = ?');
  const selectMetric = db.prepare<
    [string, string],
    { metric: string; organisation: string; working_days: number; count: number }
  >('SELECT metric, organisation, working_days, count FROM figure_counts WHERE term = ? AND metric = ?');

  const appendNow = (events: readonly FigureEvent[]): number => {
    let added = 0;
    for (const event of events) {
      const parsed = parseIncoming(ZFigureEvent, event, 'figure');
      const result = insertEvent.run(
        parsed.id,
        parsed.term,
        parsed.metric,
        parsed.organisation,
        parsed.workingDays ?? null,
      );
      if (result.changes !== 1) continue;
      bumpCount.run(parsed.term, parsed.metric, parsed.organisation, parsed.workingDays ?? noWorkingDays);
      added += 1;
    }
    return added;
  };
  const appendInTransaction = db.transaction(appendNow);

  return {
    appendNow,
    append(events) {
      return writes.run(() => appendInTransaction(events), toFigureError);
    },
    async termCounts(term, metrics) {
      try {
        const rows =
          metrics === undefined
            ? selectTerm.all(term)
            : metrics.flatMap((metric) => selectMetric.all(term, metric));
        return rows.map(
          (row): FigureCount => ({
            metric: row.metric,
            organisation: row.organisation,
            ...(row.working_days === noWorkingDays ? {} : { workingDays: row.working_days }),
            count: row.count,
          }),
        );
      } catch (error) {
        throw toFigureError(error);
      }
    },
  };
}

function toFigureError(error: unknown): unknown {
  if (isDomainError(error)) return error;
  const code =
    error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'sqliteError';
  return createStorageUnavailableError('figure', code);
}
