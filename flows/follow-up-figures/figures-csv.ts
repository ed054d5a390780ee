/**
 * The term's figures as a CSV file for Swedish Excel: UTF-8 with a byte order mark (without it
 * Excel reads å, ä, ö as Latin-1), `;` between fields (Excel in a Swedish locale expects it,
 * since `,` is the decimal sign), CRLF line ends, one section per table: its heading, its
 * columns, its rows, an empty line. The same cells as the card, suppression included.
 */

import { type FigureTable, suppressionNote, toFigureTables } from './figure-tables.js';
import type { TermFigures } from './term-figures.js';
import { formatTerm } from './term-request.js';

const byteOrderMark = '\uFEFF';

/** A field quoted when it holds the separator, a quote or a line break (RFC 4180). */
function toField(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function toLine(fields: readonly string[]): string {
  return fields.map(toField).join(';');
}

function toSection(table: FigureTable): string[] {
  return [toLine([table.heading]), toLine(table.columns), ...table.rows.map(toLine), ''];
}

/** The whole file as text, BOM first. */
export function renderFiguresCsv(figures: TermFigures): string {
  const lines = [
    toLine([`Backa barnet: uppföljning ${formatTerm(figures.term)}`]),
    toLine([`Beräknad ${figures.computedAt}`]),
    toLine([suppressionNote]),
    '',
    ...toFigureTables(figures).flatMap(toSection),
  ];
  return `${byteOrderMark}${lines.join('\r\n')}`;
}

/** `uppfoljning-vt-2026.csv`: the term only. */
export function figuresCsvFileName(figures: TermFigures): string {
  return `uppfoljning-${figures.term.season}-${figures.term.year}.csv`;
}
