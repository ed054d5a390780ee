import { describe, expect, it } from 'vitest';
import { figuresCsvFileName, renderFiguresCsv } from '../../../flows/follow-up-figures/figures-csv.js';
import { sampleTermFigures } from '../../fixtures/term-figures-fixture.js';

/** The file's lines as Excel splits them (no field here holds a line break). */
function readLines(csv: string): string[][] {
  return csv
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .map((line) => line.split(';'));
}

describe('renderFiguresCsv', () => {
  const csv = renderFiguresCsv(sampleTermFigures);

  it('starts with the byte order mark and uses ; and CRLF', () => {
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('\r\n');
    expect(csv.replace(/\r\n/g, '')).not.toContain('\n');
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('has one section per table: heading, columns, rows and an empty line', () => {
    const lines = readLines(csv);
    const start = lines.findIndex((line) => line[0] === 'Inkomna orosanmälningar (med bilagt upptäckarkort)');
    expect(lines.slice(start, start + 6)).toEqual([
      ['Inkomna orosanmälningar (med bilagt upptäckarkort)'],
      ['Inkom från (verksamhet)', 'Antal', 'Bilagt upptäckarkort'],
      ['Polisen', '56', '29'],
      ['Björkskolan', '10', '<3'],
      ['Lärkans förskola', '7', '<3'],
      ['Totalt', '73', '29'],
    ]);
    expect(lines[start + 6]).toEqual(['']);
    for (const heading of [
      'Barnteam',
      'Individuellt barnteam',
      'Barnets behov är uppfyllt',
      'Ledtider i arbetsdagar',
    ]) {
      expect(lines.some((line) => line.length === 1 && line[0] === heading)).toBe(true);
    }
  });

  it('applies the suppression as the card does, and says so', () => {
    const lines = readLines(csv);
    expect(lines).toContainEqual(['2026 vt', '<3', '3']);
    expect(lines).toContainEqual(['Individuellt barnteam → Barnets plan fastställd', '<3', '<3', '<3']);
    expect(lines).toContainEqual(['Mottaget → barnsamtal', '20', '6,5', '14']);
    expect(csv).toContain('Tal under 3 visas som ""<3""');
    // Two cases passed the last step; its true median (9) and p90 (11) are nowhere in the file.
    expect(lines.find((line) => line[0]?.startsWith('Individuellt barnteam →'))).not.toContain('9');
  });

  it('quotes a field holding the separator or a quote', () => {
    const withSemicolon = renderFiguresCsv({
      ...sampleTermFigures,
      orosanmalningar: [{ organisation: 'x', label: 'Skola; "Eken"', count: 4, medUpptackarkort: 3 }],
    });
    expect(withSemicolon).toContain('"Skola; ""Eken""";4;3');
  });

  it('names the file by the term only', () => {
    expect(figuresCsvFileName(sampleTermFigures)).toBe('uppfoljning-vt-2026.csv');
  });
});
