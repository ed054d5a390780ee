/**
 * Behovskompass over time: one small panel per area (name and colour swatch together, so that no
 * area is told by colour alone), the ratings of the child, the guardian and the team from the
 * start to the latest follow-up, and the change since the start written out in each panel. Each
 * rater has its own marker shape and line dash as well as a legend in text, so that the raters
 * can be told apart in greyscale too. Pure: the card, the tab and the PDF share it.
 */
import { type CompassAreaKey, compassAreas } from '../../flows/kernel/compass.js';
import type { CompassFollowUp } from '../../flows/kernel/records/plan.js';
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

export interface CompassOverTimeRow {
  readonly areaKey: CompassAreaKey;
  readonly area: string;
  readonly rater: string;
  readonly start: CompassOverTimeRating;
  readonly latest: CompassOverTimeRating;
  /** Latest minus start, `null` when either is missing. */
  readonly change: number | null;
}

interface RaterStyle {
  readonly key: CompassOverTimeRater;
  readonly label: string;
  readonly colour: string;
  readonly dash: string;
  readonly marker: 'cirkel' | 'kvadrat' | 'triangel';
}

// Dark colours (≥ 4.5:1 on white) so that the lines are readable; shape and dash carry the meaning.
const raters: readonly RaterStyle[] = [
  { key: 'barnet', label: 'Barnet', colour: '#1a1a1a', dash: '', marker: 'cirkel' },
  { key: 'vardnadshavare', label: 'Vårdnadshavare', colour: '#3d3d8f', dash: '6 3', marker: 'kvadrat' },
  { key: 'teamet', label: 'Teamet', colour: '#7a3b00', dash: '2 3', marker: 'triangel' },
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

/** Turns the plan's recorded follow-ups (start first) into the chart's input. */
export function compassOverTimeFromFollowUps(followUps: readonly CompassFollowUp[]): CompassOverTimeData {
  const ordered = [...followUps].sort((a, b) => a.followUpNo - b.followUpNo);
  return {
    occasions: ordered.map((followUp) => ({
      label: followUp.kind === 'start' ? 'Start' : `Uppf. ${followUp.followUpNo - 1}`,
      ratings: Object.fromEntries(
        followUp.sets.map((set) => [
          set.rater,
          Object.fromEntries(set.ratings.map((r) => [r.key, r.rating === 'vetEj' ? null : r.rating])),
        ]),
      ),
    })),
  };
}

/** The chart's numbers as rows for an accessible table: per area and rater, start, latest, change. */
export function compassOverTimeRows(data: CompassOverTimeData): CompassOverTimeRow[] {
  return compassAreas.flatMap((area) =>
    raters.map((rater) => {
      const series = data.occasions.map((occasion) => occasion.ratings[rater.key]?.[area.key] ?? null);
      const start = series[0] ?? null;
      const latest = [...series].reverse().find((value) => value !== null) ?? null;
      return {
        areaKey: area.key,
        area: area.name,
        rater: rater.label,
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

/** Behovskompass over time as an SVG document. */
export function renderCompassOverTimeSvg(data: CompassOverTimeData): string {
  const rows = compassOverTimeRows(data);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" font-family="DejaVu Sans, Segoe UI, sans-serif">`,
    `<title>${escapeXml(describeCompassOverTime(data))}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...drawLegend(),
  ];
  compassAreas.forEach((area, index) => {
    const x0 = 10 + (index % columns) * panelWidth;
    const y0 = legendHeight + Math.floor(index / columns) * panelHeight;
    parts.push(...drawPanel(data, area, x0, y0, rows));
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** Swedish alt text: per area and rater, start, latest and change. */
export function describeCompassOverTime(data: CompassOverTimeData): string {
  const text = (value: CompassOverTimeRating) => (value === null ? 'vet ej' : String(value));
  const parts = compassAreas.map((area) => {
    const perRater = compassOverTimeRows(data)
      .filter((row) => row.areaKey === area.key)
      .map((row) => `${row.rater} ${text(row.start)}→${text(row.latest)} (${formatChange(row.change)})`);
    return `${area.name}: ${perRater.join(', ')}`;
  });
  return `Behovskompass över tid, från start till senaste uppföljning: ${parts.join('; ')}.`;
}

function drawLegend(): string[] {
  return raters.map((rater, index) => {
    const x = 20 + index * 200;
    const y = 20;
    return [
      `<g data-legend="${rater.key}">`,
      `<line x1="${x}" y1="${y}" x2="${x + 36}" y2="${y}" stroke="${rater.colour}" stroke-width="2"${dashAttr(rater)}/>`,
      drawMarker(rater, x + 18, y),
      `<text x="${x + 44}" y="${y + 5}" font-size="14" fill="${textColour}">${escapeXml(rater.key === 'vardnadshavare' ? `${rater.label} (VH)` : rater.label)}</text>`,
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
    .map((row) => `${row.rater.slice(0, 1) === 'V' ? 'VH' : row.rater} ${formatChange(row.change)}`)
    .join(' · ');
  const parts = [
    `<g data-area="${escapeXml(area.key)}">`,
    `<rect x="${x0}" y="${y0 + 6}" width="12" height="12" fill="${escapeXml(area.colour)}"/>`,
    `<text x="${x0 + 18}" y="${y0 + 17}" font-size="14" font-weight="bold" fill="${textColour}">${escapeXml(area.name)}</text>`,
    `<text x="${x0}" y="${y0 + 34}" font-size="11" fill="${textColour}">${escapeXml(`Sedan start: ${changes}`)}</text>`,
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
      parts.push(drawMarker(rater, xOf(point.index), yOf(point.value)));
    }
  }
  parts.push('</g>');
  return parts;
}

function dashAttr(rater: RaterStyle): string {
  return rater.dash === '' ? '' : ` stroke-dasharray="${rater.dash}"`;
}

function drawMarker(rater: RaterStyle, x: number, y: number): string {
  const title = `<title>${escapeXml(rater.label)}</title>`;
  if (rater.marker === 'cirkel') {
    return `<circle cx="${x}" cy="${y}" r="4.5" fill="${rater.colour}">${title}</circle>`;
  }
  if (rater.marker === 'kvadrat') {
    return `<rect x="${x - 4}" y="${y - 4}" width="8" height="8" fill="#ffffff" stroke="${rater.colour}" stroke-width="2">${title}</rect>`;
  }
  return `<polygon points="${x},${y - 5} ${x + 5},${y + 4} ${x - 5},${y + 4}" fill="${rater.colour}">${title}</polygon>`;
}
