/**
 * The follow-up figures in `npm run bench`: a term's tables (`computeTermFigures`) on the embedded
 * SQLite store holding the counts of 1 000 000 cases over five terms, 250 units and lead times of
 * 0–60 working days. The counts are bulk-inserted straight into `figure_counts` as the case
 * writes would have left them (writing a million cases through the bot would take the bench
 * hours); the read path is the one the `statistik` command uses, and it never reads the events.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { computeTermFigures } from '../../flows/follow-up-figures/compute-term-figures.js';
import { type FigureMetric, figureMetrics } from '../../flows/follow-up-figures/figure-events.js';
import type { Term } from '../../flows/follow-up-figures/term-figures.js';
import type { Directory } from '../../flows/kernel/directory.js';
import { openSqliteStores } from '../../infra/store/sqlite-stores.js';

export interface FollowUpFiguresBench {
  readonly cases: number;
  readonly countRows: number;
  readonly fastestMs: number;
  readonly slowestMs: number;
  readonly reads: number;
  /** The term's cards as read back, which must equal the cases put in that term. */
  readonly cardsRead: number;
  readonly cardsExpected: number;
}

const terms = ['2024vt', '2024ht', '2025vt', '2025ht', '2026vt'] as const;
const measuredTerm: Term = { season: 'vt', year: 2026 };
const units = Array.from({ length: 250 }, (_, index) => `enhet-${index + 1}`);
const maxWorkingDays = 60;

export async function measureFollowUpFigures(
  directory: Directory,
  cases = 1_000_000,
): Promise<FollowUpFiguresBench> {
  const folder = mkdtempSync(join(tmpdir(), 'backa-bench-figures-'));
  const path = join(folder, 'figures.sqlite');
  try {
    await openSqliteStores({ path }).close();
    const db = new Database(path);
    const insert = db.prepare<[string, string, string, number, number]>(
      'INSERT INTO figure_counts (term, metric, organisation, working_days, count) VALUES (?, ?, ?, ?, ?)',
    );
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const perTermUnit = Math.floor(cases / terms.length / units.length);
    let countRows = 0;
    let cardsExpected = 0;
    const plain = figureMetrics.filter((metric) => !metric.startsWith('ledtid.'));
    const leadTimes = figureMetrics.filter((metric) => metric.startsWith('ledtid.'));
    db.transaction(() => {
      for (const term of terms) {
        for (const unit of units) {
          for (const metric of plain) {
            // Every case gives a card; later steps fewer.
            const count =
              metric === 'upptackarkort.internt'
                ? perTermUnit
                : Math.max(1, Math.floor(perTermUnit * random() * 0.5));
            insert.run(term, metric, unit, -1, count);
            countRows += 1;
            if (term === '2026vt' && metric === 'upptackarkort.internt') cardsExpected += count;
          }
          for (const metric of leadTimes as FigureMetric[]) {
            for (let days = 0; days <= maxWorkingDays; days += 1) {
              insert.run(term, metric, unit, days, 1 + Math.floor(random() * 5));
              countRows += 1;
            }
          }
        }
      }
    })();
    db.close();

    const stores = openSqliteStores({ path });
    const clock = { now: () => new Date('2026-07-01T06:00:00.000Z') };
    const timings: number[] = [];
    let cardsRead = 0;
    const reads = 5;
    for (let read = 0; read < reads; read += 1) {
      const started = performance.now();
      const figures = await computeTermFigures({ stores, directory, clock }, measuredTerm);
      timings.push(performance.now() - started);
      cardsRead = figures.upptackarkort.internt;
    }
    await stores.close();
    return {
      cases: perTermUnit * units.length * terms.length,
      countRows,
      fastestMs: Math.min(...timings),
      slowestMs: Math.max(...timings),
      reads,
      cardsRead,
      cardsExpected,
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
