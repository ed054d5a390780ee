/**
 * The follow-up figures in Cosmos DB: one container partitioned by `/term`, one document per
 * event (created if absent, so the same event twice is stored once). A term's figures are read
 * from its own partition only, never across partitions; the events are counted as they are read.
 */
import type { Container } from '@azure/cosmos';
import { isDomainError } from '../../flows/kernel/errors.js';
import {
  type FigureCount,
  type FigureEvent,
  type FigureStore,
  ZFigureEvent,
} from '../../flows/kernel/ports.js';
import { parseIncoming, parseStored } from './store-documents.js';
import { createStorageUnavailableError } from './store-errors.js';

export function createCosmosFigureStore(figures: Container): FigureStore {
  return {
    async append(events) {
      let added = 0;
      for (const event of events) {
        const parsed = parseIncoming(ZFigureEvent, event, 'figure');
        try {
          await figures.items.create(parsed);
          added += 1;
        } catch (error) {
          if (readStatusCode(error) === 409) continue;
          throw toFigureError(error);
        }
      }
      return added;
    },
    async termCounts(term, metrics) {
      let rows: unknown[];
      try {
        const response = await figures.items
          .query<unknown>(
            {
              // The earlier terms are read for a few stock metrics only: the server leaves the rest.
              query:
                metrics === undefined
                  ? 'SELECT c.id, c.term, c.metric, c.organisation, c.workingDays FROM c WHERE c.term = @term'
                  : 'SELECT c.id, c.term, c.metric, c.organisation, c.workingDays FROM c WHERE c.term = @term AND ARRAY_CONTAINS(@metrics, c.metric)',
              parameters: [
                { name: '@term', value: term },
                ...(metrics === undefined ? [] : [{ name: '@metrics', value: [...metrics] }]),
              ],
            },
            { partitionKey: term },
          )
          .fetchAll();
        rows = response.resources;
      } catch (error) {
        throw toFigureError(error);
      }
      const counts = new Map<
        string,
        { metric: string; organisation: string; workingDays?: number; count: number }
      >();
      for (const row of rows) {
        const event: FigureEvent = parseStored(ZFigureEvent, stripUndefined(row), 'figure', term);
        const key = `${event.metric}\u0000${event.organisation}\u0000${event.workingDays ?? ''}`;
        const known = counts.get(key);
        if (known !== undefined) {
          known.count += 1;
          continue;
        }
        counts.set(key, {
          metric: event.metric,
          organisation: event.organisation,
          ...(event.workingDays === undefined ? {} : { workingDays: event.workingDays }),
          count: 1,
        });
      }
      const wanted = metrics === undefined ? undefined : new Set(metrics);
      return [...counts.values()].filter(
        (row) => wanted === undefined || wanted.has(row.metric),
      ) satisfies FigureCount[];
    },
  };
}

/** A projection leaves an absent field out or as undefined depending on the server. */
function stripUndefined(row: unknown): unknown {
  if (typeof row !== 'object' || row === null) return row;
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== undefined));
}

function readStatusCode(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number') {
    return error.code;
  }
  return undefined;
}

function toFigureError(error: unknown): unknown {
  if (isDomainError(error)) return error;
  const status = readStatusCode(error);
  return createStorageUnavailableError(
    'figure',
    status === undefined ? 'cosmosUnreachable' : `cosmos${status}`,
  );
}
