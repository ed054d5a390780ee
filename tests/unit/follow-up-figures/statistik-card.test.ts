import { describe, expect, it } from 'vitest';
import { describeLeadTimes, renderLeadTimesSvg } from '../../../cards/charts/lead-times-svg.js';
import {
  leadTimesPngWidth,
  renderStatistik,
  statistikCardBudgetBytes,
} from '../../../cards/statistik/statistik.js';
import { sampleTermFigures, termFiguresWithOrganisations } from '../../fixtures/term-figures-fixture.js';
import { findCardProblems, listTexts, readCardText } from '../../support/card-validation.js';
import { decodePngDataUri } from '../../support/decode-png.js';

const csvUrl = 'https://backa.exempelby.se/api/statistik/csv?t=aaa.bbb.ccc';
const validation = { allowedVerbs: [] };

function collect(card: unknown, type: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (record.type === type) found.push(record);
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  return found;
}

/** A Table's rows as the texts of its cells. */
function readTables(card: unknown): string[][][] {
  return collect(card, 'Table').map((table) =>
    (table.rows as { cells: { items: { text: string }[] }[] }[]).map((row) =>
      row.cells.map((cell) => cell.items.map((item) => item.text).join(' ')),
    ),
  );
}

function byteSize(card: unknown): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

describe('renderStatistik', () => {
  it('renders a valid Adaptive Card 1.5 with the term and the evaluation’s tables', () => {
    const card = renderStatistik({ figures: sampleTermFigures, csvUrl });
    expect(findCardProblems(card, validation)).toEqual([]);
    const text = readCardText(card);
    expect(text).toContain('Vårterminen 2026 (1 januari–30 juni)');
    const tables = readTables(card);
    expect(tables).toContainEqual([
      [
        'År',
        'Antal Barnteam',
        'Antal nyupptäckta barn',
        'Gemensam Behovskompass',
        'Antal initierade Individuella barnteam',
      ],
      ['2026 vt', '13', '17', '9', '10'],
    ]);
    expect(tables).toContainEqual([
      ['Inkom från (verksamhet)', 'Antal', 'Bilagt upptäckarkort'],
      ['Polisen', '56', '29'],
      ['Björkskolan', '10', '<3'],
      ['Lärkans förskola', '7', '<3'],
      ['Totalt', '73', '29'],
    ]);
    expect(collect(card, 'Table').every((table) => table.firstRowAsHeaders === true)).toBe(true);
  });

  it('says under the tables that small numbers are hidden', () => {
    const texts = listTexts(renderStatistik({ figures: sampleTermFigures }));
    const note = texts.find((line) => line.startsWith('Tal under 3 visas som "<3"'));
    expect(note).toContain('median och 90:e percentil');
  });

  it('draws the lead times as one PNG with a text alternative that hides a suppressed step', () => {
    const [image] = collect(renderStatistik({ figures: sampleTermFigures }), 'Image');
    const png = decodePngDataUri(String(image?.url));
    expect(png.width).toBe(leadTimesPngWidth);
    expect(String(image?.altText)).toBe(describeLeadTimes(sampleTermFigures.ledtider));
    expect(String(image?.altText)).toContain('Mottaget → barnsamtal: median 6,5, 90:e percentil 14');
    expect(String(image?.altText)).toContain(
      'Individuellt barnteam → Barnets plan fastställd: färre än 3 ärenden, visas inte',
    );
    const svg = renderLeadTimesSvg(sampleTermFigures.ledtider);
    // The suppressed step (median 9, p90 11) has no bar and no value in the picture.
    expect(svg).toContain('Färre än 3 ärenden: visas inte');
    expect(svg).not.toMatch(/>11</);
  });

  it('offers the CSV as a link to the server, or says why there is none', () => {
    const withLink = renderStatistik({ figures: sampleTermFigures, csvUrl });
    expect(collect(withLink, 'Action.OpenUrl')).toEqual([
      expect.objectContaining({ title: 'Ladda ner som CSV', url: csvUrl }),
    ]);
    const without = renderStatistik({ figures: sampleTermFigures });
    expect(collect(without, 'Action.OpenUrl')).toEqual([]);
    expect(readCardText(without)).toContain('CSV-filen kan inte laddas ner från den här servern');
  });

  it('stays under Teams’ ~28 KB with every organisation when they fit', () => {
    const card = renderStatistik({ figures: sampleTermFigures, csvUrl });
    expect(byteSize(card)).toBeLessThan(statistikCardBudgetBytes);
    expect(readCardText(card)).not.toContain('största verksamheterna');
  });

  it('with 200 organisations stays under 28 KB, shows the largest and points to the CSV for the rest', () => {
    const card = renderStatistik({
      figures: termFiguresWithOrganisations(200),
      csvUrl: `${csvUrl}${'x'.repeat(400)}`,
    });
    expect(findCardProblems(card, validation)).toEqual([]);
    expect(byteSize(card)).toBeLessThan(28 * 1024);
    expect(readCardText(card)).toMatch(
      /Kortet visar de \d+ största verksamheterna per tabell .* CSV-filen har alla/,
    );
    const reports = readTables(card).find((table) => table[0]?.[0] === 'Inkom från (verksamhet)');
    expect(reports?.[1]?.[0]).toBe('Exempelby grundskola nummer 200 med ett långt namn');
    expect(reports?.at(-2)?.[0]).toMatch(/^Övriga verksamheter \(\d+\)$/);
    expect(reports?.at(-1)).toEqual(['Totalt', String((200 * 201) / 2), expect.any(String)]);
  });
});
