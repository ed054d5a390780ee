/**
 * The process team's card of a term's follow-up figures (`statistik`): the evaluation's tables
 * with per-organisation rows and small numbers hidden, the lead times as one chart (SVG
 * rasterised to PNG, with a text alternative), and a button that downloads the same figures as
 * CSV from the bot's own server.
 *
 * Teams takes about 28 KB per message. Many organisations would not fit, so the card is rendered
 * with every organisation first and, if it is too large, again with fewer rows per table (the
 * largest organisations, the rest summed into one row), measured on the rendered card. The CSV
 * file always has them all, and the card says so when it shows fewer.
 */
import { z } from 'zod';
import { suppressionNote, toFigureTables } from '../../flows/follow-up-figures/figure-tables.js';
import { type TermFigures, ZTerm } from '../../flows/follow-up-figures/term-figures.js';
import { describeTerm } from '../../flows/follow-up-figures/term-request.js';
import { describeLeadTimes, renderLeadTimesSvg } from '../charts/lead-times-svg.js';
import { rasteriseSvg, toPngDataUri } from '../charts/rasterise.js';
import { type AdaptiveCardJson, renderCardTemplate } from '../render-template.js';
import { formatSwedishDateOfInstant } from '../swedish-format.js';
import template from './statistik.json' with { type: 'json' };

/** Bytes of the card's JSON at most: Teams' ~28 KB less room for the message around it. */
export const statistikCardBudgetBytes = 27 * 1024;

/** Pixels across of the chart's PNG: small enough that the card keeps room for its tables. */
export const leadTimesPngWidth = 460;

/** Organisations per table tried in turn when the card with all of them is too large. */
const organisationRowLimits = [12, 8, 5, 3, 1] as const;

// The figures come from the bot's own pipeline right before rendering: a shape check is enough,
// a full schema would repeat flows/follow-up-figures/term-figures.ts.
const ZFigures = z.custom<TermFigures>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    ZTerm.safeParse((value as { term?: unknown }).term).success &&
    Array.isArray((value as { ledtider?: unknown }).ledtider) &&
    Array.isArray((value as { orosanmalningar?: unknown }).orosanmalningar),
  'Uppföljningssiffrorna har fel form',
);

export const ZStatistikData = z.object({
  figures: ZFigures,
  /** The CSV download with its short-lived token; absent when the server has no public address. */
  csvUrl: z.string().url().max(2000).optional(),
});
export type StatistikData = z.input<typeof ZStatistikData>;

export const csvMissingNote =
  'CSV-filen kan inte laddas ner från den här servern, eftersom den saknar en offentlig adress (PUBLIC_BASE_URL).';

/**
 * Renders the card, under `statistikCardBudgetBytes` whenever the tables fit at one row per
 * organisation table.
 *
 * @throws CardRenderError when the data does not match `ZStatistikData`.
 */
export function renderStatistik(data: StatistikData): AdaptiveCardJson {
  const chart = renderLeadTimesChart(data.figures);
  let card = renderWith(data, chart, undefined);
  for (const limit of organisationRowLimits) {
    if (Buffer.byteLength(JSON.stringify(card), 'utf8') <= statistikCardBudgetBytes) break;
    card = renderWith(data, chart, limit);
  }
  return card;
}

function renderLeadTimesChart(figures: TermFigures): { url: string; altText: string } {
  const png = rasteriseSvg(renderLeadTimesSvg(figures.ledtider), leadTimesPngWidth);
  return { url: toPngDataUri(png), altText: describeLeadTimes(figures.ledtider) };
}

function countOrganisations(figures: TermFigures): number {
  return Math.max(
    figures.upptackarkort.perOrganisation.length,
    figures.individuellaBarnteam.delaktigaVerksamheter.length,
    figures.orosanmalningar.length,
  );
}

function renderWith(
  data: StatistikData,
  chart: { url: string; altText: string },
  maxOrganisationRows: number | undefined,
): AdaptiveCardJson {
  return renderCardTemplate('statistik', template, ZStatistikData, data, (parsed) => {
    const figures = parsed.figures;
    const tables = toFigureTables(figures, maxOrganisationRows === undefined ? {} : { maxOrganisationRows });
    const trimmed = maxOrganisationRows !== undefined && countOrganisations(figures) > maxOrganisationRows;
    return {
      termHeading: describeTerm(figures.term),
      computedText: `Beräknad ${formatSwedishDateOfInstant(figures.computedAt)}. Siffrorna är sammanräknade och visar inga barn eller ärenden.`,
      tables: tables.map((table) => ({
        heading: table.heading,
        columns: table.columns.map((_, index) => ({ width: index === 0 ? 2 : 1 })),
        rows: [table.columns, ...table.rows].map((cells) => ({ cells: cells.map((t) => ({ t })) })),
      })),
      suppressionNote,
      hasTrimmedNote: trimmed,
      trimmedNote: trimmed
        ? `Kortet visar de ${maxOrganisationRows} största verksamheterna per tabell och räknar ihop resten. CSV-filen har alla verksamheter.`
        : '',
      chartUrl: chart.url,
      chartAltText: chart.altText,
      hasCsv: parsed.csvUrl !== undefined,
      csvUrl: parsed.csvUrl ?? '',
      csvMissingNote,
    };
  });
}
