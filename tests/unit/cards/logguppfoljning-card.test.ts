import { describe, expect, it } from 'vitest';
import {
  formatSwedishDateTime,
  type LogguppfoljningData,
  renderLogguppfoljning,
} from '../../../cards/logguppfoljning/logguppfoljning.js';
import { findCardProblems, readCardText } from '../../support/card-validation.js';

const reviewer = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e07';

function row(index: number, marks: LogguppfoljningData['rows'][number]['marks'] = []) {
  const minute = String(index % 60).padStart(2, '0');
  const hour = String(8 + (Math.floor(index / 60) % 10)).padStart(2, '0');
  return {
    at: `2026-11-02T${hour}:${minute}:00.000Z`,
    actor: reviewer,
    actorName: 'Omar Haddad (Samordnare)',
    caseId: `case-${index}`,
    caseReference: `BB-${String(index).padStart(4, '0')}-2M9C`,
    action: 'lasArende',
    outcome: 'allowed' as const,
    purpose: 'Barnkontakten tar emot kortet och behöver ärendet för att kunna svara Upptäckaren',
    marks,
  };
}

function buildData(rows: LogguppfoljningData['rows']): LogguppfoljningData {
  return {
    periodFrom: '2026-11-01',
    periodTo: '2026-11-30',
    manyCases: { cases: 10, withinMinutes: 60 },
    totals: {
      entries: rows.length,
      reads: rows.length,
      refused: 0,
      unusual: rows.filter((r) => r.marks.length > 0).length,
      cases: rows.length,
      people: 1,
    },
    rows,
    reviews: [
      {
        at: '2026-12-01T08:00:00.000Z',
        actorName: 'Omar Haddad (Samordnare)',
        purpose: 'Logguppföljning av perioden 2026-11-01–2026-11-30',
      },
    ],
  };
}

describe('renderLogguppfoljning', () => {
  it('shows the totals, the unusual first with what is unusual, then the rest, in Swedish time', () => {
    const card = renderLogguppfoljning(
      buildData([
        row(0),
        row(1, ['utanRoll']),
        { ...row(2, ['nekad']), outcome: 'refused', action: 'registreraSamtal' },
      ]),
    );
    const text = readCardText(card);

    expect(findCardProblems(card, { allowedVerbs: [] })).toEqual([]);
    expect(text).toContain('Logguppföljning 1 november 2026 – 30 november 2026');
    expect(text).toContain('Ovanligt (2)');
    expect(text.indexOf('BB-0001-2M9C')).toBeLessThan(text.indexOf('BB-0000-2M9C'));
    expect(text.indexOf('BB-0002-2M9C')).toBeLessThan(text.indexOf('Övriga händelser'));
    expect(text).toContain('Läst utan roll i ärendet');
    expect(text).toContain('Nekad åtgärd');
    expect(text).toContain('åtgärd registreraSamtal · nekades');
    expect(text).toContain('2 november 2026 kl. 09:01 · Omar Haddad (Samordnare)');
    expect(text).toContain('Syfte: Barnkontakten tar emot kortet');
    expect(text).toContain(
      '1 december 2026 kl. 09:00 · Omar Haddad (Samordnare) · Logguppföljning av perioden',
    );
  });

  it('says a case is gone, and that nothing was unusual when nothing was', () => {
    const { caseReference: _gone, ...gone } = row(3, ['arendetFinnsInte']);
    expect(readCardText(renderLogguppfoljning(buildData([gone])))).toContain(
      'ärende som inte längre finns (id case-3)',
    );
    expect(readCardText(renderLogguppfoljning(buildData([row(0)])))).toContain(
      'Inget ovanligt under perioden.',
    );
  });

  it('stays under 28 KB with a month of reads, keeps the unusual ones, and says how many more there are', () => {
    const rows = Array.from({ length: 600 }, (_, index) =>
      row(index, index % 100 === 99 ? ['mangaArenden'] : []),
    );

    const card = renderLogguppfoljning(buildData(rows));
    const text = readCardText(card);

    expect(findCardProblems(card, { allowedVerbs: [] })).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28 * 1024);
    for (const index of [99, 199, 299, 399, 499, 599])
      expect(text).toContain(`BB-${String(index).padStart(4, '0')}-2M9C`);
    expect(text).toContain('Läste minst 10 olika ärenden inom 60 minuter');
    expect(text).toMatch(/\d+ händelser till visas inte här: välj en kortare period/);
  });

  it('says how many unusual ones are left out when even they do not fit', () => {
    const rows = Array.from({ length: 400 }, (_, index) => row(index, ['utanRoll']));

    const text = readCardText(renderLogguppfoljning(buildData(rows)));

    expect(text).toMatch(/\d+ händelser till visas inte här, varav \d+ ovanliga/);
  });
});

describe('a period with more entries than one review reads', () => {
  it('says so first, with how many were read and up to when, and the period to review the rest with', () => {
    const card = renderLogguppfoljning({
      ...buildData([row(0)]),
      incomplete: { entriesRead: 20_000, lastReadAt: '2026-11-12T13:03:00.000Z' },
    });
    const text = readCardText(card);

    expect(findCardProblems(card, { allowedVerbs: [] })).toEqual([]);
    expect(text).toContain(
      'Den här läste bara de 20\u00a0000 första, till och med 12 november 2026 kl. 14:03: siffrorna och raderna gäller bara dem, inte hela perioden.',
    );
    expect(text).toContain('till exempel: logguppföljning 2026-11-12 2026-11-30.');
    // Above the totals, which count only what was read.
    const json = JSON.stringify(card);
    expect(json.indexOf('Perioden har fler händelser')).toBeLessThan(json.indexOf('"Händelser"'));
  });

  it('says a shorter period does not help when the first day alone holds more', () => {
    const text = readCardText(
      renderLogguppfoljning({
        ...buildData([row(0)]),
        incomplete: { entriesRead: 20_000, lastReadAt: '2026-11-01T22:59:00.000Z' },
      }),
    );

    expect(text).toContain('Redan den första dagen har fler händelser än så');
    expect(text).not.toContain('till exempel: logguppföljning');
  });

  it('says nothing of it when the review read the whole period', () => {
    expect(readCardText(renderLogguppfoljning(buildData([row(0)])))).not.toContain(
      'Perioden har fler händelser',
    );
  });
});

describe('a burst of reads that began before the period', () => {
  it('says from when it is counted', () => {
    const text = readCardText(
      renderLogguppfoljning(
        buildData([{ ...row(0, ['mangaArenden']), burstBeganAt: '2026-10-31T22:40:00.000Z' }]),
      ),
    );

    expect(text).toContain(
      'Läste minst 10 olika ärenden inom 60 minuter, räknat från 31 oktober 2026 kl. 23:40 före perioden',
    );
  });
});

describe('formatSwedishDateTime', () => {
  it('writes Stockholm time, summer and winter', () => {
    expect(formatSwedishDateTime('2026-06-01T05:00:00Z')).toBe('1 juni 2026 kl. 07:00');
    expect(formatSwedishDateTime('2026-11-30T23:30:00Z')).toBe('1 december 2026 kl. 00:30');
  });
});
