import { describe, expect, it } from 'vitest';
import {
  derivableCell,
  formatCount,
  suppressedCell,
  toFigureTables,
} from '../../../flows/follow-up-figures/figure-tables.js';
import { sampleTermFigures, termFiguresWithOrganisations } from '../../fixtures/term-figures-fixture.js';

function table(key: string, figures = sampleTermFigures, options = {}) {
  const found = toFigureTables(figures, options).find((candidate) => candidate.key === key);
  if (found === undefined) throw new Error(`Tabellen ${key} saknas`);
  return found;
}

describe('toFigureTables', () => {
  it('has the evaluation’s columns and wording', () => {
    expect(table('barnteam').columns).toEqual([
      'År',
      'Antal Barnteam',
      'Antal nyupptäckta barn',
      'Gemensam Behovskompass',
      'Antal initierade Individuella barnteam',
    ]);
    expect(table('barnteam').rows).toEqual([['2026 vt', '13', '17', '9', '10']]);
    expect(table('individuellaBarnteam').columns).toEqual([
      'År',
      'Antal team',
      'Antal med aktivt Barnets plan',
    ]);
    expect(table('behovUppfyllt').columns).toEqual(['År', 'Antal barn', 'Behovskompass uppföljning']);
    expect(table('orosanmalningar').columns).toEqual([
      'Inkom från (verksamhet)',
      'Antal',
      'Bilagt upptäckarkort',
    ]);
    expect(table('delaktigaVerksamheter').columns[0]).toBe('Delaktiga verksamheter');
    expect(table('upptackarkort').columns).toEqual([
      'År',
      'Antal Upptäckarkort internt',
      'Antal Upptäckarkort externt',
    ]);
    expect(table('barnsamtal').columns).toEqual([
      'År',
      'Antal Barnsamtal Barn',
      'Antal Barnsamtal Vårdnadshavare',
      'Antal Uppföljningssamtal',
    ]);
  });

  it('shows every count below 3 as "<3", 0 included, and 3 as itself', () => {
    expect([0, 1, 2, 3].map(formatCount)).toEqual([suppressedCell, suppressedCell, suppressedCell, '3']);
    expect(table('behovUppfyllt').rows).toEqual([['2026 vt', '<3', '3']]);
    expect(table('delaktigaVerksamheter').rows).toContainEqual(['Polisen', '<3']);
  });

  it('hides a lead time’s median and p90 when fewer than 3 cases passed the step', () => {
    const rows = table('ledtider').rows;
    expect(rows).toContainEqual(['Mottaget → barnsamtal', '20', '6,5', '14']);
    expect(rows).toContainEqual(['Individuellt barnteam → Barnets plan fastställd', '<3', '<3', '<3']);
  });

  it('hides one more cell where a single hidden one could be worked out from the total', () => {
    // Externt: 1 + 1 + 1 of 3 in all: three hidden cells, nothing to work out.
    expect(table('upptackarkortPerVerksamhet').rows).toEqual([
      ['Björkskolan', '18', '<3'],
      ['Lärkans förskola', '8', '<3'],
      ['Exempelby BVC', '4', '<3'],
      ['Totalt', '30', '3'],
    ]);
    // Bilagt upptäckarkort: 29, 0, 0: two hidden, total 29 shows; antal: none hidden.
    expect(table('orosanmalningar').rows.at(-1)).toEqual(['Totalt', '73', '29']);
    const oneHidden = {
      ...sampleTermFigures,
      orosanmalningar: [
        { organisation: 'polis', label: 'Polisen', count: 56, medUpptackarkort: 29 },
        { organisation: 'bjorkskolan', label: 'Björkskolan', count: 10, medUpptackarkort: 4 },
        { organisation: 'larkans-forskola', label: 'Lärkans förskola', count: 7, medUpptackarkort: 1 },
      ],
    };
    expect(table('orosanmalningar', oneHidden).rows).toEqual([
      ['Polisen', '56', '29'],
      ['Björkskolan', '10', derivableCell],
      ['Lärkans förskola', '7', '<3'],
      ['Totalt', '73', '34'],
    ]);
  });

  it('says so when no Individuellt barnteam was active, rather than showing an empty table', () => {
    const none = {
      ...sampleTermFigures,
      individuellaBarnteam: { antal: 0, medAktivtBarnetsPlan: 0, delaktigaVerksamheter: [] },
    };
    expect(table('delaktigaVerksamheter', none).rows).toEqual([
      ['Inga Individuella barnteam under terminen', '–'],
    ]);
  });

  it('keeps the largest organisations and sums the rest into one row when told to', () => {
    const rows = table('orosanmalningar', termFiguresWithOrganisations(20), { maxOrganisationRows: 5 }).rows;
    expect(rows.map((row) => row[0])).toEqual([
      'Exempelby grundskola nummer 20 med ett långt namn',
      'Exempelby grundskola nummer 19 med ett långt namn',
      'Exempelby grundskola nummer 18 med ett långt namn',
      'Exempelby grundskola nummer 17 med ett långt namn',
      'Övriga verksamheter (16)',
      'Totalt',
    ]);
    // 1 + 2 + … + 16 reports in the summed row; the total is every organisation's.
    expect(rows[4]?.[1]).toBe(String((16 * 17) / 2));
    expect(rows[5]?.[1]).toBe(String((20 * 21) / 2));
  });
});
