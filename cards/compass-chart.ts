/**
 * The joint compass (den gemensamma behovskompassen) as a bar chart: one bar per area in the
 * area's own colour, its height the mean rating, a whisker from the lowest to the highest rating,
 * and the flags under the bar (▼ rated low, ↕ the members disagree). Two renderings of the same
 * layout:
 * - PNG, drawn pixel by pixel by the bot, for the Adaptive Card: Teams does not reliably render
 *   SVG data URIs. It carries only figures (the axis and each mean) in a built-in 5×7 bitmap
 *   font; the area names are left to the card's text next to the area dots, because names small
 *   enough to fit under a bar would be unreadable at card size.
 * - SVG, for the tab, with the area names under the bars.
 */
import { formatSwedishMean, type JointArea, type JointCompass } from '../flows/barnteam/joint-assessment.js';
import { skattningMax } from '../flows/kernel/skattning.js';
import { encodePng, parseHexColour, type Rgb, RgbaImage, toPngDataUri } from './png.js';

export interface CompassChart {
  readonly png: Buffer;
  readonly dataUri: string;
  readonly svg: string;
}

export interface ChartBar {
  readonly key: JointArea['key'];
  readonly left: number;
  readonly right: number;
  readonly centre: number;
}

const width = 640;
const pngHeight = 300;
const plotLeft = 48;
const plotRight = 632;
const baselineY = 262;
const pixelsPerStep = 46;
const slotWidth = (plotRight - plotLeft) / 8;
const barWidth = 40;

/** Where things are, for the card (image size) and for tests that read pixels back. */
export const compassChartLayout = Object.freeze({
  width,
  pngHeight,
  /** The SVG adds a row of area names under the flags. */
  svgHeight: pngHeight + 28,
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
export const compassChartLegend = '▼ lågt skattat · ↕ stor oenighet · streck: lägsta–högsta skattning';

const white: Rgb = [255, 255, 255];
const gridColour: Rgb = [224, 224, 224];
const axisColour: Rgb = [150, 150, 150];
const textColour: Rgb = [51, 51, 51];
const mutedColour: Rgb = [160, 160, 160];
const whiskerColour: Rgb = [34, 34, 34];
const lowColour: Rgb = [198, 40, 40];

/** Renders the joint compass as PNG (with its data URI) and SVG. */
export function renderJointCompassChart(joint: JointCompass): CompassChart {
  const png = encodePng(drawPng(joint));
  return { png, dataUri: toPngDataUri(png), svg: drawSvg(joint) };
}

/** Swedish alt text for the image: every area with its figures and flags. */
export function describeJointCompassChart(joint: JointCompass): string {
  const parts = joint.areas.map((area) => {
    const flags = [area.lag ? 'lågt skattat' : '', area.oenighet ? 'stor oenighet' : ''].filter(Boolean);
    return [`${area.name} ${area.summary}`, ...flags].join(', ');
  });
  return `Gemensam behovskompass, medelvärde (lägsta–högsta) per område: ${parts.join('; ')}.`;
}

function valueY(value: number): number {
  return baselineY - Math.round(value * pixelsPerStep);
}

function barsOf(joint: JointCompass): { area: JointArea; bar: Omit<ChartBar, 'key'> }[] {
  return joint.areas.map((area, index) => {
    const bar = compassChartLayout.bars[index];
    if (bar === undefined) {
      throw new Error('Behovskompassen har åtta områden');
    }
    return { area, bar };
  });
}

function drawPng(joint: JointCompass): RgbaImage {
  const image = new RgbaImage(width, pngHeight);
  image.fillRect(0, 0, width, pngHeight, white);
  for (let step = 1; step <= skattningMax; step += 1) {
    const y = valueY(step);
    image.fillRect(plotLeft, y, plotRight, y + 1, gridColour);
    drawText(image, String(step), plotLeft - 12, y - 7, 2, textColour, 'right');
  }
  image.fillRect(plotLeft, baselineY, plotRight, baselineY + 2, axisColour);

  for (const { area, bar } of barsOf(joint)) {
    if (area.mean === null || area.min === null || area.max === null) {
      drawText(image, '–', bar.centre, baselineY - 30, 3, mutedColour, 'centre');
      continue;
    }
    image.fillRect(bar.left, valueY(area.mean), bar.right, baselineY, parseHexColour(area.colour));
    const top = valueY(area.max);
    const bottom = valueY(area.min);
    // A white halo keeps the whisker visible on the darker area colours.
    image.fillRect(bar.centre - 2, top - 1, bar.centre + 2, bottom + 3, white);
    image.fillRect(bar.centre - 9, top - 1, bar.centre + 9, top + 3, white);
    image.fillRect(bar.centre - 9, bottom - 1, bar.centre + 9, bottom + 3, white);
    image.fillRect(bar.centre - 1, top, bar.centre + 1, bottom + 2, whiskerColour);
    image.fillRect(bar.centre - 8, top, bar.centre + 8, top + 2, whiskerColour);
    image.fillRect(bar.centre - 8, bottom, bar.centre + 8, bottom + 2, whiskerColour);
    const labelBottom = Math.min(valueY(area.mean), top) - 5;
    drawText(
      image,
      formatSwedishMean(area.mean),
      bar.centre,
      labelBottom - 14,
      2,
      area.lag ? lowColour : textColour,
      'centre',
    );
    if (area.lag) {
      drawDownTriangle(image, bar.centre - 10, baselineY + 9, lowColour);
    }
    if (area.oenighet) {
      drawDoubleArrow(image, bar.centre + 10, baselineY + 8, whiskerColour);
    }
  }
  return image;
}

function drawDownTriangle(image: RgbaImage, centre: number, top: number, colour: Rgb): void {
  for (let row = 0; row < 10; row += 1) {
    image.fillRect(centre - 10 + row, top + row, centre + 10 - row, top + row + 1, colour);
  }
}

function drawDoubleArrow(image: RgbaImage, centre: number, top: number, colour: Rgb): void {
  const height = 18;
  image.fillRect(centre - 1, top, centre + 1, top + height, colour);
  for (let row = 0; row < 5; row += 1) {
    image.fillRect(centre - 1 - row, top + row, centre + 1 + row, top + row + 1, colour);
    image.fillRect(centre - 1 - row, top + height - 1 - row, centre + 1 + row, top + height - row, colour);
  }
}

// 5×7 bitmap glyphs for the few characters the PNG writes: the axis and the means.
const glyphs: Readonly<Record<string, readonly string[]>> = {
  '0': [' ### ', '#   #', '#  ##', '# # #', '##  #', '#   #', ' ### '],
  '1': ['  #  ', ' ##  ', '  #  ', '  #  ', '  #  ', '  #  ', ' ### '],
  '2': [' ### ', '#   #', '    #', '   # ', '  #  ', ' #   ', '#####'],
  '3': ['#####', '   # ', '  #  ', '   # ', '    #', '#   #', ' ### '],
  '4': ['   # ', '  ## ', ' # # ', '#  # ', '#####', '   # ', '   # '],
  '5': ['#####', '#    ', '#### ', '    #', '    #', '#   #', ' ### '],
  '6': ['  ## ', ' #   ', '#    ', '#### ', '#   #', '#   #', ' ### '],
  '7': ['#####', '    #', '   # ', '  #  ', ' #   ', ' #   ', ' #   '],
  '8': [' ### ', '#   #', '#   #', ' ### ', '#   #', '#   #', ' ### '],
  '9': [' ### ', '#   #', '#   #', ' ####', '    #', '   # ', ' ##  '],
  ',': ['  ', '  ', '  ', '  ', '##', ' #', '# '],
  '–': ['     ', '     ', '     ', '#####', '     ', '     ', '     '],
};

function measureText(text: string, scale: number): number {
  const columns = [...text].reduce((total, char) => total + (glyphs[char]?.[0]?.length ?? 5) + 1, 0);
  return Math.max(0, columns - 1) * scale;
}

function drawText(
  image: RgbaImage,
  text: string,
  anchorX: number,
  top: number,
  scale: number,
  colour: Rgb,
  align: 'centre' | 'right',
): void {
  const textWidth = measureText(text, scale);
  let x = align === 'centre' ? Math.round(anchorX - textWidth / 2) : anchorX - textWidth;
  for (const char of text) {
    const glyph = glyphs[char];
    if (glyph === undefined) {
      throw new Error(`Tecknet "${char}" finns inte i diagrammets typsnitt`);
    }
    glyph.forEach((row, rowIndex) => {
      [...row].forEach((cell, columnIndex) => {
        if (cell === '#') {
          image.fillRect(
            x + columnIndex * scale,
            top + rowIndex * scale,
            x + (columnIndex + 1) * scale,
            top + (rowIndex + 1) * scale,
            colour,
          );
        }
      });
    });
    x += ((glyph[0]?.length ?? 5) + 1) * scale;
  }
}

function drawSvg(joint: JointCompass): string {
  const { svgHeight } = compassChartLayout;
  const hex = (colour: Rgb) => `#${colour.map((part) => part.toString(16).padStart(2, '0')).join('')}`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${svgHeight}" viewBox="0 0 ${width} ${svgHeight}" role="img" font-family="Segoe UI, sans-serif">`,
    `<title>${escapeXml(describeJointCompassChart(joint))}</title>`,
    `<rect width="${width}" height="${svgHeight}" fill="#ffffff"/>`,
  ];
  for (let step = 1; step <= skattningMax; step += 1) {
    const y = valueY(step);
    parts.push(
      `<line x1="${plotLeft}" y1="${y}" x2="${plotRight}" y2="${y}" stroke="${hex(gridColour)}"/>`,
      `<text x="${plotLeft - 12}" y="${y + 5}" font-size="14" text-anchor="end" fill="${hex(textColour)}">${step}</text>`,
    );
  }
  parts.push(
    `<rect x="${plotLeft}" y="${baselineY}" width="${plotRight - plotLeft}" height="2" fill="${hex(axisColour)}"/>`,
  );
  for (const { area, bar } of barsOf(joint)) {
    parts.push(`<g data-area="${area.key}">`, `<title>${escapeXml(`${area.name}: ${area.summary}`)}</title>`);
    if (area.mean === null || area.min === null || area.max === null) {
      parts.push(
        `<text x="${bar.centre}" y="${baselineY - 12}" font-size="20" text-anchor="middle" fill="${hex(mutedColour)}">–</text>`,
      );
    } else {
      const top = valueY(area.max);
      const bottom = valueY(area.min);
      const meanY = valueY(area.mean);
      parts.push(
        `<rect x="${bar.left}" y="${meanY}" width="${barWidth}" height="${baselineY - meanY}" fill="${area.colour}"/>`,
        `<path d="M${bar.centre} ${top}V${bottom}M${bar.centre - 8} ${top}H${bar.centre + 8}M${bar.centre - 8} ${bottom}H${bar.centre + 8}" stroke="#ffffff" stroke-width="5" fill="none"/>`,
        `<path d="M${bar.centre} ${top}V${bottom}M${bar.centre - 8} ${top}H${bar.centre + 8}M${bar.centre - 8} ${bottom}H${bar.centre + 8}" stroke="${hex(whiskerColour)}" stroke-width="2" fill="none"/>`,
        `<text x="${bar.centre}" y="${Math.min(meanY, top) - 6}" font-size="15" font-weight="600" text-anchor="middle" fill="${hex(area.lag ? lowColour : textColour)}">${formatSwedishMean(area.mean)}</text>`,
      );
      if (area.lag) {
        const x = bar.centre - 10;
        parts.push(
          `<polygon points="${x - 10},${baselineY + 9} ${x + 10},${baselineY + 9} ${x},${baselineY + 19}" fill="${hex(lowColour)}"><title>lågt skattat</title></polygon>`,
        );
      }
      if (area.oenighet) {
        const x = bar.centre + 10;
        const top = baselineY + 8;
        parts.push(
          `<path d="M${x} ${top}V${top + 18}M${x - 5} ${top + 5}L${x} ${top}L${x + 5} ${top + 5}M${x - 5} ${top + 13}L${x} ${top + 18}L${x + 5} ${top + 13}" stroke="${hex(whiskerColour)}" stroke-width="2" fill="none"><title>stor oenighet</title></path>`,
        );
      }
    }
    parts.push(
      `<text x="${bar.centre}" y="${pngHeight + 14}" font-size="12" text-anchor="middle" fill="${hex(textColour)}">${escapeXml(area.name)}</text>`,
      // A stripe in the area colour under every name, also for an area nobody rated.
      `<rect x="${bar.left}" y="${pngHeight + 19}" width="${barWidth}" height="4" fill="${area.colour}"/>`,
      '</g>',
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}

function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}
