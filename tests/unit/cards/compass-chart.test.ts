import { describe, expect, it } from 'vitest';
import { rasteriseSvg } from '../../../cards/charts/rasterise.js';
import {
  compassChartLayout,
  compassChartPngWidth,
  describeJointCompassChart,
  renderJointCompassChart,
} from '../../../cards/compass-chart.js';
import { computeJointCompass, type JointCompass } from '../../../flows/barnteam/joint-assessment.js';
import { compassAreaKeys, compassAreas } from '../../../flows/kernel/compass.js';
import type { SkattningAnswer, SkattningValue } from '../../../flows/kernel/skattning.js';
import { decodePng } from '../../support/decode-png.js';

function decodeHex(bytes: Buffer) {
  const png = decodePng(bytes);
  return {
    width: png.width,
    height: png.height,
    pixel: (x: number, y: number) =>
      `#${png
        .pixel(x, y)
        .slice(0, 3)
        .map((c) => c.toString(16).padStart(2, '0'))
        .join('')}`,
  };
}
type DecodedPng = ReturnType<typeof decodeHex>;

function answers(rows: readonly SkattningValue[][]): SkattningAnswer[] {
  return rows.map((ratings, index) => ({
    caseId: 'BB-2026-0042',
    rater: {
      userId: `0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e0${index + 2}`,
      displayName: `Medlem ${index + 1}`,
      role: 'Barnteam',
    },
    answeredAt: '2026-04-06T12:00:00Z',
    areas: compassAreaKeys.map((key, areaIndex) => ({ key, rating: ratings[areaIndex] ?? 'vetEj' })),
  }));
}

// Columns: omsorg, trygghet, maBra, fritid, tillhorighet, ansvar, respekteras, utvecklas.
const sample: JointCompass = computeJointCompass(
  answers([
    [1, 1, 2, 'vetEj', 4, 2, 1, 5],
    [2, 5, 2, 'vetEj', 'vetEj', 2, 4, 5],
    [2, 3, 2, 'vetEj', 5, 2, 4, 4],
    [1, 4, 2, 'vetEj', 'vetEj', 3, 4, 5],
    [3, 2, 3, 'vetEj', 4, 2, 4, 5],
  ]),
);

/** How many pixels of the area colour stand on the baseline in the bar's left part (clear of the whisker). */
function measureBarHeight(png: DecodedPng, index: number, colour: string): number {
  const bar = compassChartLayout.bars[index];
  if (bar === undefined) throw new Error(`no bar ${index}`);
  const x = bar.left + 4;
  let y = compassChartLayout.baselineY - 1;
  let height = 0;
  while (y >= 0 && png.pixel(x, y) === colour) {
    height += 1;
    y -= 1;
  }
  return height;
}

describe('renderJointCompassChart', () => {
  const chart = renderJointCompassChart(sample);
  // Geometry is checked at the SVG's own scale; the card's smaller PNG is checked for size.
  const png = decodeHex(rasteriseSvg(chart.svg, compassChartLayout.width));

  it('is a PNG of card size, also as a data URI', () => {
    const cardPng = decodePng(chart.png);
    expect(cardPng.width).toBe(compassChartPngWidth);
    expect(cardPng.height).toBe(
      Math.round((compassChartLayout.height * compassChartPngWidth) / compassChartLayout.width),
    );
    // Not a blank image: the bars' colours are in it.
    const seen = new Set<string>();
    for (let x = 0; x < cardPng.width; x += 3) {
      for (let y = 0; y < cardPng.height; y += 3) seen.add(cardPng.pixel(x, y).join());
    }
    expect(seen.size).toBeGreaterThan(8);
    expect(chart.dataUri).toBe(`data:image/png;base64,${chart.png.toString('base64')}`);
    // Small enough to travel inside an Adaptive Card.
    expect(chart.dataUri.length).toBeLessThan(24_000);
  });

  it('writes the area names and figures into the picture in a real font', () => {
    const withoutText = rasteriseSvg(
      chart.svg.replace(/<text[^>]*>[^<]*<\/text>/g, ''),
      compassChartLayout.width,
    );
    const bare = decodeHex(withoutText);
    const nameRow = compassChartLayout.height - 20;
    let differing = 0;
    for (let x = 0; x < png.width; x += 1) {
      for (let y = nameRow - 8; y < nameRow + 8; y += 1) {
        if (png.pixel(x, y) !== bare.pixel(x, y)) differing += 1;
      }
    }
    // Eight names of 3–12 letters leave hundreds of dark pixels; a missing font leaves none.
    expect(differing).toBeGreaterThan(300);
  });

  it('escapes names and labels as XML', () => {
    const tricky: JointCompass = {
      ...sample,
      areas: sample.areas.map((area, index) => (index === 0 ? { ...area, name: 'A<&"b' } : area)),
    };
    const svg = renderJointCompassChart(tricky).svg;
    expect(svg).toContain('>A&lt;&amp;&quot;b</text>');
    expect(svg).not.toContain('A<&"b');
  });

  it('draws each rated area as a bar in its own colour, as high as its mean', () => {
    const heights = new Map<string, number>();
    sample.areas.forEach((area, index) => {
      const colour = area.colour.toLowerCase();
      const height = measureBarHeight(png, index, colour);
      if (area.mean === null) {
        expect(height, area.name).toBe(0);
        return;
      }
      expect(
        png.pixel((compassChartLayout.bars[index]?.left ?? 0) + 4, compassChartLayout.baselineY - 2),
      ).toBe(colour);
      expect(Math.abs(height - area.mean * compassChartLayout.pixelsPerStep), area.name).toBeLessThanOrEqual(
        1,
      );
      heights.set(area.key, height);
    });
    const byHeight = [...heights.entries()].sort((a, b) => a[1] - b[1]).map(([key]) => key);
    const byMean = sample.areas
      .filter((area) => area.mean !== null)
      .sort((a, b) => (a.mean ?? 0) - (b.mean ?? 0))
      .map((area) => area.key);
    // maBra and ansvar tie at 2,2; a stable sort keeps both lists in compass order for them.
    expect(byHeight).toEqual(byMean);
  });

  it('draws the whisker from the lowest to the highest rating across the bar', () => {
    const index = compassAreaKeys.indexOf('trygghet');
    const bar = compassChartLayout.bars[index];
    if (bar === undefined) throw new Error('no bar');
    const yOf = (value: number) => compassChartLayout.baselineY - value * compassChartLayout.pixelsPerStep;
    // Trygghet: mean 3,0, ratings 1–5, so the whisker runs above the bar up to 5.
    expect(png.pixel(bar.centre, yOf(4.5))).toBe('#222222');
    expect(png.pixel(bar.centre, yOf(1.5))).toBe('#222222');
    expect(png.pixel(bar.left + 4, yOf(4.5))).not.toBe('#f28c28');
  });

  it('marks a low-rated area in red under its bar, and no other', () => {
    const redUnder = (index: number) => {
      const bar = compassChartLayout.bars[index];
      if (bar === undefined) throw new Error('no bar');
      let found = false;
      for (let y = compassChartLayout.baselineY + 2; y < png.height; y += 1) {
        for (let x = bar.left - 10; x < bar.right + 10; x += 1) {
          found ||= png.pixel(x, y) === '#c62828';
        }
      }
      return found;
    };
    expect(sample.areas.map((_, index) => redUnder(index))).toEqual(sample.areas.map((area) => area.lag));
  });

  it('renders a compass with no ratings at all without bars', () => {
    const empty = decodeHex(
      rasteriseSvg(renderJointCompassChart(computeJointCompass([])).svg, compassChartLayout.width),
    );
    compassAreas.forEach((area, index) => {
      expect(measureBarHeight(empty, index, area.colour.toLowerCase())).toBe(0);
    });
  });

  it('writes an SVG with every area colour and name, and the flags', () => {
    expect(chart.svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(chart.svg.trimEnd().endsWith('</svg>')).toBe(true);
    for (const area of compassAreas) {
      expect(chart.svg).toContain(`fill="${area.colour}"`);
      expect(chart.svg).toContain(`>${area.name}</text>`);
    }
    expect(chart.svg).toContain('<title>Omsorg: 1,8 (1–3)</title>');
    expect(chart.svg).toContain('<title>Fritid: inga skattningar (5 vet ej)</title>');
    expect(chart.svg.match(/<title>lågt skattat<\/title>/g)?.length).toBe(1);
    expect(chart.svg.match(/<title>stor oenighet<\/title>/g)?.length).toBe(2);
  });

  it('describes the chart in Swedish for the alt text', () => {
    expect(describeJointCompassChart(sample)).toContain('Omsorg 1,8 (1–3), lågt skattat');
    expect(describeJointCompassChart(sample)).toContain('Trygghet 3,0 (1–5), stor oenighet');
  });
});
