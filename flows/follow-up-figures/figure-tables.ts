/**
 * A term's figures as the process team reads them, the evaluation's tables with its headings
 * and columns (seeds/002), with small-number suppression applied: one set of rows for the card
 * and the CSV file, so that both hide the same cells.
 *
 * Suppression: a count below `suppressionThreshold` is shown as "<3", and so are a lead time's
 * median and 90th percentile when fewer cases passed the step. A table with a "Totalt" row would
 * give a single hidden cell away (the total minus the rest), so in such a column one more cell,
 * the smallest shown, is hidden too, as "·".
 */
import { type LeadTime, leadTimeStepLabels, suppressionThreshold, type TermFigures } from './term-figures.js';

export interface FigureTable {
  readonly key: string;
  readonly heading: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export const suppressedCell = `<${suppressionThreshold}`;
export const derivableCell = '·';

export const suppressionNote =
  `Tal under ${suppressionThreshold} visas som "${suppressedCell}", så att inget enskilt barn kan kännas igen. ` +
  `Ledtidernas median och 90:e percentil visas som "${suppressedCell}" när färre än ${suppressionThreshold} ärenden passerade steget. ` +
  `Ett tal som annars kunde räknas fram ur summan visas som "${derivableCell}".`;

export const totalLabel = 'Totalt';

/** The participating organisations' only row in a term without an Individuellt barnteam. */
export const noTeamsLabel = 'Inga Individuella barnteam under terminen';

export interface FigureTableOptions {
  /**
   * At most this many organisations per table, the largest first; the rest are summed into one
   * row. The card has a size limit; the CSV file has none and lists them all.
   */
  readonly maxOrganisationRows?: number;
}

export function formatCount(count: number): string {
  return count < suppressionThreshold ? suppressedCell : String(count);
}

/** Working days with a Swedish decimal comma, one decimal at most. */
export function formatWorkingDays(days: number): string {
  return String(Math.round(days * 10) / 10).replace('.', ',');
}

/** A lead time's count, median and p90 as shown: all hidden when fewer than three passed the step. */
export function formatLeadTime(leadTime: LeadTime): { count: string; median: string; p90: string } {
  if (leadTime.count < suppressionThreshold) {
    return { count: suppressedCell, median: suppressedCell, p90: suppressedCell };
  }
  return {
    count: String(leadTime.count),
    median: leadTime.medianWorkingDays === undefined ? '–' : formatWorkingDays(leadTime.medianWorkingDays),
    p90: leadTime.p90WorkingDays === undefined ? '–' : formatWorkingDays(leadTime.p90WorkingDays),
  };
}

interface OrganisationRow {
  readonly label: string;
  readonly counts: readonly number[];
}

/**
 * Organisation rows with their counts suppressed, and the total row. In each column where exactly
 * one organisation's cell is hidden and the total is shown, the smallest shown cell is hidden too.
 */
function suppressOrganisationRows(
  rows: readonly OrganisationRow[],
  totals: readonly number[],
): { rows: string[][]; total: string[] } {
  const cells = rows.map((row) => row.counts.map(formatCount));
  totals.forEach((total, column) => {
    if (total < suppressionThreshold) return;
    const hidden = rows.filter((row) => (row.counts[column] ?? 0) < suppressionThreshold).length;
    if (hidden !== 1) return;
    let smallest: number | undefined;
    rows.forEach((row, index) => {
      const value = row.counts[column] ?? 0;
      if (value < suppressionThreshold) return;
      if (smallest === undefined || value < (rows[smallest]?.counts[column] ?? 0)) smallest = index;
    });
    const cell = smallest === undefined ? undefined : cells[smallest];
    if (cell !== undefined) cell[column] = derivableCell;
  });
  return {
    rows: rows.map((row, index) => [row.label, ...(cells[index] ?? [])]),
    total: [totalLabel, ...totals.map(formatCount)],
  };
}

/** The largest organisations first (by their first count), the rest summed into one row. */
function limitOrganisations(rows: readonly OrganisationRow[], max: number | undefined): OrganisationRow[] {
  const sorted = [...rows].sort(
    (a, b) => (b.counts[0] ?? 0) - (a.counts[0] ?? 0) || a.label.localeCompare(b.label, 'sv'),
  );
  if (max === undefined || sorted.length <= max) return sorted;
  const kept = sorted.slice(0, Math.max(0, max - 1));
  const rest = sorted.slice(kept.length);
  const width = rest[0]?.counts.length ?? 0;
  const summed = Array.from({ length: width }, (_, column) =>
    rest.reduce((sum, row) => sum + (row.counts[column] ?? 0), 0),
  );
  return [...kept, { label: `Övriga verksamheter (${rest.length})`, counts: summed }];
}

/** "2026 vt", as the evaluation's "År" column writes a term. */
function termLabel(figures: TermFigures): string {
  return `${figures.term.year} ${figures.term.season}`;
}

/** The evaluation's tables for the term, in the order of the support process. */
export function toFigureTables(figures: TermFigures, options: FigureTableOptions = {}): FigureTable[] {
  const year = termLabel(figures);
  const { upptackarkort, barnsamtal, barnteam, individuellaBarnteam, behovUppfyllt } = figures;

  const discoveries = suppressOrganisationRows(
    limitOrganisations(
      upptackarkort.perOrganisation.map((row) => ({ label: row.label, counts: [row.internt, row.externt] })),
      options.maxOrganisationRows,
    ),
    [upptackarkort.internt, upptackarkort.externt],
  );
  const participating = limitOrganisations(
    individuellaBarnteam.delaktigaVerksamheter.map((row) => ({ label: row.label, counts: [row.count] })),
    options.maxOrganisationRows,
  );
  const reportRows = figures.orosanmalningar.map((row) => ({
    label: row.label,
    counts: [row.count, row.medUpptackarkort],
  }));
  const reports = suppressOrganisationRows(limitOrganisations(reportRows, options.maxOrganisationRows), [
    reportRows.reduce((sum, row) => sum + (row.counts[0] ?? 0), 0),
    reportRows.reduce((sum, row) => sum + (row.counts[1] ?? 0), 0),
  ]);

  return [
    {
      key: 'upptackarkort',
      heading: 'Barn upptäcks: Upptäckarkort',
      columns: ['År', 'Antal Upptäckarkort internt', 'Antal Upptäckarkort externt'],
      rows: [[year, formatCount(upptackarkort.internt), formatCount(upptackarkort.externt)]],
    },
    {
      key: 'upptackarkortPerVerksamhet',
      heading: 'Upptäckarkort per verksamhet',
      columns: ['Verksamhet', 'Internt', 'Externt'],
      rows: [...discoveries.rows, discoveries.total],
    },
    {
      key: 'barnsamtal',
      heading: 'Barnsamtal och Uppföljningssamtal',
      columns: ['År', 'Antal Barnsamtal Barn', 'Antal Barnsamtal Vårdnadshavare', 'Antal Uppföljningssamtal'],
      rows: [
        [
          year,
          formatCount(barnsamtal.medBarn),
          formatCount(barnsamtal.medVardnadshavare),
          formatCount(barnsamtal.uppfoljningssamtal),
        ],
      ],
    },
    {
      key: 'barnteam',
      heading: 'Barnteam',
      columns: [
        'År',
        'Antal Barnteam',
        'Antal nyupptäckta barn',
        'Gemensam Behovskompass',
        'Antal initierade Individuella barnteam',
      ],
      rows: [
        [
          year,
          formatCount(barnteam.hallna),
          formatCount(barnteam.nyupptacktaBarn),
          formatCount(barnteam.gemensamBehovskompass),
          formatCount(barnteam.initieradeIndividuellaBarnteam),
        ],
      ],
    },
    {
      key: 'individuellaBarnteam',
      heading: 'Individuellt barnteam',
      columns: ['År', 'Antal team', 'Antal med aktivt Barnets plan'],
      rows: [
        [
          year,
          formatCount(individuellaBarnteam.antal),
          formatCount(individuellaBarnteam.medAktivtBarnetsPlan),
        ],
      ],
    },
    {
      key: 'delaktigaVerksamheter',
      heading: 'Delaktiga verksamheter i Individuella barnteam',
      columns: ['Delaktiga verksamheter', 'Antal team'],
      // Not summed: one team has several organisations, so a total would count teams twice.
      rows:
        participating.length === 0
          ? [[noTeamsLabel, '–']]
          : participating.map((row) => [row.label, formatCount(row.counts[0] ?? 0)]),
    },
    {
      key: 'behovUppfyllt',
      heading: 'Barnets behov är uppfyllt',
      columns: ['År', 'Antal barn', 'Behovskompass uppföljning'],
      rows: [
        [year, formatCount(behovUppfyllt.antalBarn), formatCount(behovUppfyllt.medBehovskompassUppfoljning)],
      ],
    },
    {
      key: 'orosanmalningar',
      heading: 'Inkomna orosanmälningar (med bilagt upptäckarkort)',
      columns: ['Inkom från (verksamhet)', 'Antal', 'Bilagt upptäckarkort'],
      rows: [...reports.rows, reports.total],
    },
    {
      key: 'ledtider',
      heading: 'Ledtider i arbetsdagar',
      columns: ['Steg', 'Antal ärenden', 'Median', '90:e percentil'],
      rows: figures.ledtider.map((leadTime) => {
        const shown = formatLeadTime(leadTime);
        return [leadTimeStepLabels[leadTime.step], shown.count, shown.median, shown.p90];
      }),
    },
  ];
}
