/**
 * The audit log's time-window listing, shared by both stores so that the SQLite and the Cosmos
 * pages end at the same entry: ordered by the normalised time key and then by id, and a page
 * asks for one row more than it returns to know whether another page follows.
 */
import { z } from 'zod';
import { ZInstant } from '../../flows/kernel/case.js';
import type { AuditEntry, AuditPage, AuditWindow } from '../../flows/kernel/ports.js';
import { parseIncoming, toSortKey } from './store-documents.js';

/** The most entries one page may ask for: a page is read into memory at once. */
export const maxAuditPageSize = 1000;

const ZAuditWindow = z.object({
  from: ZInstant,
  to: ZInstant,
  limit: z.number().int().min(1).max(maxAuditPageSize),
  after: z.object({ at: ZInstant, id: z.string().min(1) }).optional(),
});

export interface AuditWindowKeys {
  readonly fromKey: string;
  readonly toKey: string;
  readonly limit: number;
  /** Empty strings without a position: every key and id sorts after them. */
  readonly afterKey: string;
  readonly afterId: string;
}

export function toAuditWindowKeys(window: AuditWindow): AuditWindowKeys {
  const parsed = parseIncoming(ZAuditWindow, window, 'audit');
  return {
    fromKey: toSortKey(parsed.from),
    toKey: toSortKey(parsed.to),
    limit: parsed.limit,
    afterKey: parsed.after === undefined ? '' : toSortKey(parsed.after.at),
    afterId: parsed.after?.id ?? '',
  };
}

/** `rows` holds up to `limit + 1` entries in page order. */
export function toAuditPage(rows: readonly AuditEntry[], limit: number): AuditPage {
  const entries = rows.slice(0, limit);
  const last = entries.at(-1);
  return rows.length > limit && last !== undefined
    ? { entries, next: { at: last.at, id: last.id } }
    : { entries };
}

/** The listing's order: the normalised time, then the id. */
export function compareAuditOrder(a: AuditEntry, b: AuditEntry): number {
  const aKey = toSortKey(a.at);
  const bKey = toSortKey(b.at);
  if (aKey !== bKey) return aKey < bKey ? -1 : 1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}
