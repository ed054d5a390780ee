/**
 * The log review at its real limit, on the SQLite audit file: a week with one entry more than a
 * review reads. The review pages through the file, stops at 20 000 and the card says so, with
 * the time it stopped at; a week of exactly 20 000 is read whole.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toLogguppfoljningData } from '../../bot/card-views/log-review-view.js';
import { renderLogguppfoljning } from '../../cards/logguppfoljning/logguppfoljning.js';
import type { FlowDependencies } from '../../flows/kernel/case-effects.js';
import type { Stores } from '../../flows/kernel/ports.js';
import { logReviewLimits, reviewAccessLog } from '../../flows/log-review/review-access-log.js';
import { openSqliteStores } from '../../infra/store/sqlite-stores.js';
import { users } from '../fixtures/case-fixtures.js';
import { readCardText } from '../support/card-validation.js';
import { buildDirectory, createTestFlow } from '../support/flow-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'backa-log-review-'));
const opened: Stores[] = [];

afterAll(async () => {
  for (const stores of opened) await stores.close();
  rmSync(root, { recursive: true, force: true });
});

const readers = [users.barnkontakt, users.ersattare, users.annanBarnkontakt, users.bvc];
const start = Date.parse('2026-11-02T06:00:00.000Z');

/** `count` reads from Monday 2 November, one every 15 seconds, by four people across 40 cases. */
async function storeReads(count: number): Promise<FlowDependencies> {
  const stores = openSqliteStores({ path: join(root, `reads-${count}`, 'backa.sqlite') });
  opened.push(stores);
  const batch = 1000;
  for (let first = 0; first < count; first += batch) {
    const appends: Promise<void>[] = [];
    for (let index = first; index < Math.min(count, first + batch); index += 1) {
      appends.push(
        stores.audit.append({
          id: `read-${String(index).padStart(5, '0')}`,
          at: new Date(start + index * 15_000).toISOString(),
          actor: readers[index % readers.length] ?? users.barnkontakt,
          action: 'lasArende',
          caseId: `arende-${index % 40}`,
          outcome: 'allowed',
        }),
      );
    }
    await Promise.all(appends);
  }
  const flow = createTestFlow({
    directory: buildDirectory((input) => {
      (input as Record<string, unknown>).logReview = { reviewers: ['samordnare'] };
    }),
  });
  flow.setNow('2026-11-16T08:00:00.000Z');
  return { ...flow.deps, stores };
}

const week = { from: '2026-11-02', to: '2026-11-08' };

describe('the log review on SQLite at 20 000 entries', () => {
  it('stops at the limit with one entry more, and the card says how many it read and where it stopped', async () => {
    const deps = await storeReads(logReviewLimits.maxEntries + 1);

    const result = await reviewAccessLog(deps, users.socialtjanst, week);

    if (result.outcome !== 'reviewed') throw new Error('expected a review');
    // The 20 000th read is 19 999 × 15 s (3 days 11:19:45) after 06:00Z on 2 November.
    expect(result.review.incomplete).toEqual({
      entriesRead: 20_000,
      lastReadAt: '2026-11-05T17:19:45.000Z',
    });
    expect(result.review.totals.entries).toBe(20_000);
    const text = readCardText(renderLogguppfoljning(toLogguppfoljningData(result.review, deps.directory)));
    expect(text).toContain(
      'Den här läste bara de 20\u00a0000 första, till och med 5 november 2026 kl. 18:19: siffrorna och raderna gäller bara dem, inte hela perioden.',
    );
    expect(text).toContain('till exempel: logguppföljning 2026-11-05 2026-11-08.');
  });

  it('reads a week of exactly 20 000 entries whole', async () => {
    const deps = await storeReads(logReviewLimits.maxEntries);

    const result = await reviewAccessLog(deps, users.socialtjanst, week);

    if (result.outcome !== 'reviewed') throw new Error('expected a review');
    expect(result.review.incomplete).toBeUndefined();
    expect(result.review.totals).toMatchObject({ entries: 20_000, cases: 40, people: 4 });
  });
});
