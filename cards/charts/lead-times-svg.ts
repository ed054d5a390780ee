/**
 * The lead times of a term's support process as one SVG: per step its label, a bar for the median
 * and a lighter one for the 90th percentile in working days, each with its value written at its
 * end, so that nothing is told by colour alone. A step fewer than three cases passed has no bars,
 * only a sentence: its figures are suppressed on the card, the chart must not give them away.
 * Pure: the card rasterises it, and the same picture could go to a report.
 */
import { formatWorkingDays } from '../../flows/follow-up-figures/figure-tables.js';
import {
  type LeadTime,
  leadTimeStepLabels,
  suppressionThreshold,
} from '../../flows/follow-up-figures/term-figures.js';
import { escapeXml } from './escape-xml.js';

const width = 640;
const left = 16;
const plotRight = 560;
const top = 40;
const rowHeight = 62;
const barHeight = 14;
const medianColour = '#1f5fa8';
const p90Colour = '#9cbde6';
const textColour = '#333333';
const mutedColour = '#595959';
const gridColour = '#969696';

function isShown(leadTime: LeadTime): boolean {
  return leadTime.count >= suppressionThreshold && leadTime.p90WorkingDays !== undefined;
}

/** The axis end: the longest p90 rounded up to a multiple of 5 working days (at least 5). */
function axisMaximum(leadTimes: readonly LeadTime[]): number {
  const longest = Math.max(0, ...leadTimes.filter(isShown).map((leadTime) => leadTime.p90WorkingDays ?? 0));
  return Math.max(5, Math.ceil(longest / 5) * 5);
}

/** Swedish alt text: every step with its median and p90, or why it has none. */
export function describeLeadTimes(leadTimes: readonly LeadTime[]): string {
  const parts = leadTimes.map((leadTime) => {
    const label = leadTimeStepLabels[leadTime.step];
    if (!isShown(leadTime)) return `${label}: färre än ${suppressionThreshold} ärenden, visas inte`;
    return `${label}: median ${formatWorkingDays(leadTime.medianWorkingDays ?? 0)}, 90:e percentil ${formatWorkingDays(leadTime.p90WorkingDays ?? 0)}`;
  });
  return `Ledtider i arbetsdagar per steg: ${parts.join('; ')}.`;
}

export function renderLeadTimesSvg(leadTimes: readonly LeadTime[]): string {
  const height = top + rowHeight * leadTimes.length + 24;
  const maximum = axisMaximum(leadTimes);
  const scale = (plotRight - left) / maximum;
  const x = (days: number) => left + Math.round(days * scale);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" font-family="DejaVu Sans, Segoe UI, sans-serif">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<rect x="${left}" y="10" width="16" height="16" fill="${medianColour}"/>`,
    `<text x="${left + 20}" y="23" font-size="16" fill="${textColour}">Median</text>`,
    `<rect x="${left + 120}" y="10" width="16" height="16" fill="${p90Colour}"/>`,
    `<text x="${left + 142}" y="23" font-size="16" fill="${textColour}">90:e percentil (arbetsdagar)</text>`,
  ];
  for (let tick = 0; tick <= maximum; tick += maximum / 5) {
    parts.push(
      // Ticks under the plot only: grid lines across every row cost a third of the PNG's bytes.
      `<line x1="${x(tick)}" y1="${height - 28}" x2="${x(tick)}" y2="${height - 22}" stroke="${gridColour}" stroke-width="2"/>`,
      `<text x="${x(tick)}" y="${height - 6}" font-size="14" text-anchor="middle" fill="${mutedColour}">${formatWorkingDays(tick)}</text>`,
    );
  }
  leadTimes.forEach((leadTime, index) => {
    const rowTop = top + index * rowHeight;
    parts.push(
      `<text x="${left}" y="${rowTop + 16}" font-size="17" font-weight="bold" fill="${textColour}">${escapeXml(leadTimeStepLabels[leadTime.step])}</text>`,
    );
    if (!isShown(leadTime)) {
      parts.push(
        `<text x="${left}" y="${rowTop + 36}" font-size="16" fill="${mutedColour}">Färre än ${suppressionThreshold} ärenden: visas inte</text>`,
      );
      return;
    }
    const median = leadTime.medianWorkingDays ?? 0;
    const p90 = leadTime.p90WorkingDays ?? 0;
    const bars: [number, string, number][] = [
      [median, medianColour, rowTop + 24],
      [p90, p90Colour, rowTop + 24 + barHeight + 4],
    ];
    for (const [days, colour, y] of bars) {
      const barWidth = Math.max(2, x(days) - left);
      parts.push(
        `<rect x="${left}" y="${y}" width="${barWidth}" height="${barHeight}" fill="${colour}"/>`,
        `<text x="${left + barWidth + 6}" y="${y + barHeight - 1}" font-size="15" fill="${textColour}">${formatWorkingDays(days)}</text>`,
      );
    }
  });
  parts.push('</svg>');
  return parts.join('');
}
