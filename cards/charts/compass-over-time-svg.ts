/**
 * Behovskompass over time: one small panel per area (name and colour swatch together, so that no
 * area is told by colour alone), the ratings of the child, the guardian and the team from the
 * start to the latest follow-up, and the change since the start written out in each panel. Each
 * rater has its own marker shape and line dash as well as a legend in text, so that the raters
 * can be told apart in greyscale too. Pure: the card, the tab and the PDF share it.
 */
import { type CompassAreaKey, compassAreas } from '../../flows/kernel/compass.js';
import type { CompassFollowUp, CompassRater } from '../../flows/kernel/records/plan.js';
import type { SkattningValue } from '../../flows/kernel/skattning.js';
import { escapeXml } from './escape-xml.js';

export type CompassOverTimeRater = 'barnet' | 'vardnadshavare' | 'teamet';

/** A rating 1–5, or `null` for "vet ej" / not rated: no point is drawn. */
export type CompassOverTimeRating = number | null;

export interface CompassOverTimeOccasion {
  /** Shown under the axis, e.g. "Start" or "Uppf. 2". */
  readonly label: string;
  readonly ratings: Readonly<
    Partial<Record<CompassOverTimeRater, Readonly<Partial<Record<CompassAreaKey, CompassOverTimeRating>>>>>
  >;
}

/** The start first, then every follow-up in order. */
export interface CompassOverTimeData {
  readonly occasions: readonly CompassOverTimeOccasion[];
}

/**
 * The chart's words. Swedish by default (the cards and the tab); the family's copy passes its
 * language's, so that a family reading English gets English area names and legend.
 */
export interface CompassOverTimeTexts {
  readonly areaNames: Readonly<Record<CompassAreaKey, string>>;
  readonly raters: Readonly<Record<CompassOverTimeRater, string>>;
  /** The guardian's short form in the legend and the panels ("VH"). */
  readonly guardianShort: string;
  /** Before each panel's changes: "Sedan start". */
  readonly sinceStart: string;
  /** A rating not given, in the alt text: "vet ej". */
  readonly unknown: string;
  /** The alt text's opening: "Behovskompass över tid, från start till senaste uppföljning". */
  readonly description: string;
}

export const swedishCompassOverTimeTexts: CompassOverTimeTexts = Object.freeze({
  areaNames: Object.fromEntries(compassAreas.map((area) => [area.key, area.name])) as Record<
    CompassAreaKey,
    string
  >,
  raters: { barnet: 'Barnet', vardnadshavare: 'Vårdnadshavare', teamet: 'Teamet' },
  guardianShort: 'VH',
  sinceStart: 'Sedan start',
  unknown: 'vet ej',
  description: 'Behovskompass över tid, från start till senaste uppföljning',
});

export interface CompassOverTimeRow {
  readonly areaKey: CompassAreaKey;
  readonly area: string;
  readonly raterKey: CompassOverTimeRater;
  readonly rater: string;
  readonly start: CompassOverTimeRating;
  readonly latest: CompassOverTimeRating;
  /** Latest minus start, `null` when either is missing. */
  readonly change: number | null;
}

interface RaterStyle {
  readonly key: CompassOverTimeRater;
  readonly colour: string;
  readonly dash: string;
  readonly marker: 'cirkel' | 'kvadrat' | 'triangel';
}

// Dark colours (≥ 4.5:1 on white) so that the lines are readable; shape and dash carry the meaning.
const raters: readonly RaterStyle[] = [
  { key: 'barnet', colour: '#1a1a1a', dash: '', marker: 'cirkel' },
  { key: 'vardnadshavare', colour: '#3d3d8f', dash: '6 3', marker: 'kvadrat' },
  { key: 'teamet', colour: '#7a3b00', dash: '2 3', marker: 'triangel' },
];

const textColour = '#333333';
const gridColour = '#e0e0e0';
const panelWidth = 300;
const panelHeight = 170;
const columns = 2;
const legendHeight = 40;
const width = panelWidth * columns + 20;
const height = legendHeight + panelHeight * Math.ceil(compassAreas.length / columns) + 10;

/** Where things are, for the card (image size) and for tests. */
export const compassOverTimeLayout = Object.freeze({ width, height });

/** The start or one follow-up, as the plan view has it: each rating on its own. */
export interface CompassOverTimeOccasionRatings {
  readonly followUpNo: number;
  readonly kind: 'start' | 'uppfoljning';
  readonly ratings: readonly {
    readonly rater: CompassRater;
    readonly area: CompassAreaKey;
    readonly rating: SkattningValue;
  }[];
}

/** The label under the axis for the start or a follow-up, in the reader's language. */
export type CompassOccasionLabel = (occasion: {
  readonly kind: 'start' | 'uppfoljning';
  readonly followUpNo: number;
}) => string;

/** Follow-up number 1 is the start itself, so the first real follow-up is "Uppf. 1". */
export const swedishCompassOccasionLabel: CompassOccasionLabel = (occasion) =>
  occasion.kind === 'start' ? 'Start' : `Uppf. ${occasion.followUpNo - 1}`;

/** Turns the plan's recorded follow-ups (start first) into the chart's input. */
export function compassOverTimeFromFollowUps(followUps: readonly CompassFollowUp[]): CompassOverTimeData {
  return compassOverTimeFromOccasions(
    followUps.map((followUp) => ({
      followUpNo: followUp.followUpNo,
      kind: followUp.kind,
      ratings: followUp.sets.flatMap((set) =>
        set.ratings.map((r) => ({ rater: set.rater, area: r.key, rating: r.rating })),
      ),
    })),
  );
}

/**
 * Turns the plan view's follow-ups (the tab's and the family copy's) into the chart's input,
 * labelled by `label`, Swedish unless given.
 */
export function compassOverTimeFromOccasions(
  occasions: readonly CompassOverTimeOccasionRatings[],
  label: CompassOccasionLabel = swedishCompassOccasionLabel,
): CompassOverTimeData {
  const ordered = [...occasions].sort((a, b) => a.followUpNo - b.followUpNo);
  return {
    occasions: ordered.map((occasion) => {
      const ratings: Partial<
        Record<CompassOverTimeRater, Partial<Record<CompassAreaKey, CompassOverTimeRating>>>
      > = {};
      for (const item of occasion.ratings) {
        const perRater = ratings[item.rater] ?? {};
        perRater[item.area] = item.rating === 'vetEj' ? null : item.rating;
        ratings[item.rater] = perRater;
      }
      return { label: label(occasion), ratings };
    }),
  };
}

/** The chart's numbers as rows for an accessible table: per area and rater, start, latest, change. */
export function compassOverTimeRows(
  data: CompassOverTimeData,
  texts: CompassOverTimeTexts = swedishCompassOverTimeTexts,
): CompassOverTimeRow[] {
  return compassAreas.flatMap((area) =>
    raters.map((rater) => {
      const series = data.occasions.map((occasion) => occasion.ratings[rater.key]?.[area.key] ?? null);
      const start = series[0] ?? null;
      const latest = [...series].reverse().find((value) => value !== null) ?? null;
      return {
        areaKey: area.key,
        area: texts.areaNames[area.key],
        raterKey: rater.key,
        rater: texts.raters[rater.key],
        start,
        latest,
        change: start === null || latest === null ? null : latest - start,
      };
    }),
  );
}

/** A change as the chart writes it: "+2", "−1", "±0", "–" when unknown. */
export function formatChange(change: number | null): string {
  if (change === null) return '–';
  if (change === 0) return '±0';
  return change > 0 ? `+${change}` : `−${Math.abs(change)}`;
}

/** Behovskompass over time as an SVG document, in Swedish unless other `texts` are given. */
export function renderCompassOverTimeSvg(
  data: CompassOverTimeData,
  texts: CompassOverTimeTexts = swedishCompassOverTimeTexts,
): string {
  const rows = compassOverTimeRows(data, texts);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" font-family="DejaVu Sans, Segoe UI, sans-serif">`,
    `<title>${escapeXml(describeCompassOverTime(data, texts))}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...drawLegend(texts),
  ];
  compassAreas.forEach((area, index) => {
    const x0 = 10 + (index % columns) * panelWidth;
    const y0 = legendHeight + Math.floor(index / columns) * panelHeight;
    parts.push(...drawPanel(data, area, x0, y0, rows, texts));
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** Alt text (Swedish by default): per area and rater, start, latest and change. */
export function describeCompassOverTime(
  data: CompassOverTimeData,
  texts: CompassOverTimeTexts = swedishCompassOverTimeTexts,
): string {
  const text = (value: CompassOverTimeRating) => (value === null ? texts.unknown : String(value));
  const parts = compassAreas.map((area) => {
    const perRater = compassOverTimeRows(data, texts)
      .filter((row) => row.areaKey === area.key)
      .map((row) => `${row.rater} ${text(row.start)}→${text(row.latest)} (${formatChange(row.change)})`);
    return `${texts.areaNames[area.key]}: ${perRater.join(', ')}`;
  });
  return `${texts.description}: ${parts.join('; ')}.`;
}

function drawLegend(texts: CompassOverTimeTexts): string[] {
  return raters.map((rater, index) => {
    const x = 20 + index * 200;
    const y = 20;
    return [
      `<g data-legend="${rater.key}">`,
      `<line x1="${x}" y1="${y}" x2="${x + 36}" y2="${y}" stroke="${rater.colour}" stroke-width="2"${dashAttr(rater)}/>`,
      drawMarker(rater, x + 18, y, texts),
      `<text x="${x + 44}" y="${y + 5}" font-size="14" fill="${textColour}">${escapeXml(rater.key === 'vardnadshavare' ? `${texts.raters[rater.key]} (${texts.guardianShort})` : texts.raters[rater.key])}</text>`,
      '</g>',
    ].join('');
  });
}

function drawPanel(
  data: CompassOverTimeData,
  area: (typeof compassAreas)[number],
  x0: number,
  y0: number,
  rows: readonly CompassOverTimeRow[],
  texts: CompassOverTimeTexts,
): string[] {
  const plotLeft = x0 + 40;
  const plotRight = x0 + panelWidth - 40;
  const plotTop = y0 + 44;
  const plotBottom = y0 + panelHeight - 28;
  const yOf = (value: number) => plotBottom - ((value - 1) / 4) * (plotBottom - plotTop);
  const count = data.occasions.length;
  const xOf = (index: number) =>
    count <= 1 ? (plotLeft + plotRight) / 2 : plotLeft + (index / (count - 1)) * (plotRight - plotLeft);
  const changes = rows
    .filter((row) => row.areaKey === area.key)
    .map((row) => {
      const short = row.raterKey === 'vardnadshavare' ? texts.guardianShort : row.rater;
      return `${short} ${formatChange(row.change)}`;
    })
    .join(' · ');
  const parts = [
    `<g data-area="${escapeXml(area.key)}">`,
    `<rect x="${x0}" y="${y0 + 6}" width="12" height="12" fill="${escapeXml(area.colour)}"/>`,
    `<text x="${x0 + 18}" y="${y0 + 17}" font-size="14" font-weight="bold" fill="${textColour}">${escapeXml(texts.areaNames[area.key])}</text>`,
    `<text x="${x0}" y="${y0 + 34}" font-size="11" fill="${textColour}">${escapeXml(`${texts.sinceStart}: ${changes}`)}</text>`,
  ];
  for (let step = 1; step <= 5; step += 1) {
    parts.push(
      `<line x1="${plotLeft}" y1="${yOf(step)}" x2="${plotRight}" y2="${yOf(step)}" stroke="${gridColour}"/>`,
      `<text x="${plotLeft - 20}" y="${yOf(step) + 4}" font-size="10" text-anchor="end" fill="${textColour}">${step}</text>`,
    );
  }
  data.occasions.forEach((occasion, index) => {
    parts.push(
      `<text x="${xOf(index)}" y="${plotBottom + 16}" font-size="10" text-anchor="middle" fill="${textColour}">${escapeXml(occasion.label)}</text>`,
    );
  });
  for (const rater of raters) {
    const points = data.occasions
      .map((occasion, index) => ({ index, value: occasion.ratings[rater.key]?.[area.key] ?? null }))
      .filter((point): point is { index: number; value: number } => point.value !== null);
    if (points.length > 1) {
      const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${xOf(p.index)} ${yOf(p.value)}`).join('');
      parts.push(`<path d="${d}" fill="none" stroke="${rater.colour}" stroke-width="2"${dashAttr(rater)}/>`);
    }
    for (const point of points) {
      parts.push(drawMarker(rater, xOf(point.index), yOf(point.value), texts));
    }
  }
  parts.push('</g>');
  return parts;
}

function dashAttr(rater: RaterStyle): string {
  return rater.dash === '' ? '' : ` stroke-dasharray="${rater.dash}"`;
}

function drawMarker(rater: RaterStyle, x: number, y: number, texts: CompassOverTimeTexts): string {
  const title = `<title>${escapeXml(texts.raters[rater.key])}</title>`;
  if (rater.marker === 'cirkel') {
    return `<circle cx="${x}" cy="${y}" r="4.5" fill="${rater.colour}">${title}</circle>`;
  }
  if (rater.marker === 'kvadrat') {
    return `<rect x="${x - 4}" y="${y - 4}" width="8" height="8" fill="#ffffff" stroke="${rater.colour}" stroke-width="2">${title}</rect>`;
  }
  return `<polygon points="${x},${y - 5} ${x + 5},${y + 4} ${x - 5},${y + 4}" fill="${rater.colour}">${title}</polygon>`;
}
