/**
 * The joint compass (den gemensamma behovskompassen) as a bar chart: one bar per area in the
 * area's own colour, its height the mean rating, a whisker from the lowest to the highest rating,
 * the flags under the bar (▼ rated low, ↕ the members disagree) and the area's name under each
 * bar, so that no area is told by its colour alone. Pure: the card, the tab and the PDF share it.
 */
import {
  formatSwedishMean,
  type JointArea,
  type JointCompass,
} from '../../flows/barnteam/joint-assessment.js';
import { skattningMax } from '../../flows/kernel/skattning.js';
import { escapeXml } from './escape-xml.js';

export interface ChartBar {
  readonly key: JointArea['key'];
  readonly left: number;
  readonly right: number;
  readonly centre: number;
}

const width = 640;
const plotHeight = 300;
const height = plotHeight + 34;
const plotLeft = 48;
const plotRight = 632;
const baselineY = 262;
const pixelsPerStep = 46;
const slotWidth = (plotRight - plotLeft) / 8;
const barWidth = 40;

/** Where things are, for the card (image size) and for tests. */
export const jointCompassLayout = Object.freeze({
  width,
  height,
  baselineY,
  pixelsPerStep,
  bars: Object.freeze(
    Array.from({ length: 8 }, (_, index): Omit<ChartBar, 'key'> => {
      const centre = Math.round(plotLeft + slotWidth * (index + 0.5));
      return { left: centre - barWidth / 2, right: centre + barWidth / 2, centre };
    }),
  ),
});

/** What the flag marks under a bar mean, for the card's text beside the image. */
export const jointCompassLegend = '▼ lågt skattat · ↕ stor oenighet · streck: lägsta–högsta skattning';

const gridColour = '#e0e0e0';
const axisColour = '#969696';
const textColour = '#333333';
const mutedColour = '#595959';
const whiskerColour = '#222222';
const lowColour = '#c62828';

/** Swedish alt text for the image: every area with its figures and flags. */
export function describeJointCompass(joint: JointCompass): string {
  const parts = joint.areas.map((area) => {
    const flags = [area.lag ? 'lågt skattat' : '', area.oenighet ? 'stor oenighet' : ''].filter(Boolean);
    return [`${area.name} ${area.summary}`, ...flags].join(', ');
  });
  return `Gemensam behovskompass, medelvärde (lägsta–högsta) per område: ${parts.join('; ')}.`;
}

/** The joint compass as an SVG document. */
export function renderJointCompassSvg(joint: JointCompass): string {
  return drawSvg(joint);
}

function valueY(value: number): number {
  return baselineY - Math.round(value * pixelsPerStep);
}

function barsOf(joint: JointCompass): { area: JointArea; bar: Omit<ChartBar, 'key'> }[] {
  return joint.areas.map((area, index) => {
    const bar = jointCompassLayout.bars[index];
    if (bar === undefined) {
      throw new Error('Behovskompassen har åtta områden');
    }
    return { area, bar };
  });
}

function drawSvg(joint: JointCompass): string {
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" font-family="DejaVu Sans, Segoe UI, sans-serif">`,
    `<title>${escapeXml(describeJointCompass(joint))}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  for (let step = 1; step <= skattningMax; step += 1) {
    const y = valueY(step);
    parts.push(
      `<line x1="${plotLeft}" y1="${y}" x2="${plotRight}" y2="${y}" stroke="${gridColour}"/>`,
      `<text x="${plotLeft - 12}" y="${y + 5}" font-size="14" text-anchor="end" fill="${textColour}">${step}</text>`,
    );
  }
  parts.push(
    `<rect x="${plotLeft}" y="${baselineY}" width="${plotRight - plotLeft}" height="2" fill="${axisColour}"/>`,
  );
  for (const { area, bar } of barsOf(joint)) {
    parts.push(
      `<g data-area="${escapeXml(area.key)}">`,
      `<title>${escapeXml(`${area.name}: ${area.summary}`)}</title>`,
    );
    if (area.mean === null || area.min === null || area.max === null) {
      parts.push(
        `<text x="${bar.centre}" y="${baselineY - 12}" font-size="20" text-anchor="middle" fill="${mutedColour}">–</text>`,
      );
    } else {
      const top = valueY(area.max);
      const bottom = valueY(area.min);
      const meanY = valueY(area.mean);
      parts.push(
        `<rect x="${bar.left}" y="${meanY}" width="${barWidth}" height="${baselineY - meanY}" fill="${escapeXml(area.colour)}"/>`,
        `<path d="M${bar.centre} ${top}V${bottom}M${bar.centre - 8} ${top}H${bar.centre + 8}M${bar.centre - 8} ${bottom}H${bar.centre + 8}" stroke="#ffffff" stroke-width="5" fill="none"/>`,
        `<path d="M${bar.centre} ${top}V${bottom}M${bar.centre - 8} ${top}H${bar.centre + 8}M${bar.centre - 8} ${bottom}H${bar.centre + 8}" stroke="${whiskerColour}" stroke-width="2" fill="none"/>`,
        `<text x="${bar.centre}" y="${Math.min(meanY, top) - 6}" font-size="15" font-weight="600" text-anchor="middle" fill="${area.lag ? lowColour : textColour}">${formatSwedishMean(area.mean)}</text>`,
      );
      if (area.lag) {
        const x = bar.centre - 10;
        parts.push(
          `<polygon points="${x - 10},${baselineY + 9} ${x + 10},${baselineY + 9} ${x},${baselineY + 19}" fill="${lowColour}"><title>lågt skattat</title></polygon>`,
        );
      }
      if (area.oenighet) {
        const x = bar.centre + 10;
        const top = baselineY + 8;
        parts.push(
          `<path d="M${x} ${top}V${top + 18}M${x - 5} ${top + 5}L${x} ${top}L${x + 5} ${top + 5}M${x - 5} ${top + 13}L${x} ${top + 18}L${x + 5} ${top + 13}" stroke="${whiskerColour}" stroke-width="2" fill="none"><title>stor oenighet</title></path>`,
        );
      }
    }
    // A long name (Tillhörighet, Respekteras) is squeezed to its slot, not run into the next one.
    parts.push(
      `<text x="${bar.centre}" y="${plotHeight + 14}" font-size="14" text-anchor="middle" fill="${textColour}"${area.name.length > 8 ? ` textLength="${Math.floor(slotWidth) - 4}" lengthAdjust="spacingAndGlyphs"` : ''}>${escapeXml(area.name)}</text>`,
      // A stripe in the area colour under every name, also for an area nobody rated.
      `<rect x="${bar.left}" y="${plotHeight + 19}" width="${barWidth}" height="4" fill="${escapeXml(area.colour)}"/>`,
      '</g>',
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}
