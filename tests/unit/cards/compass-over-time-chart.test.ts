import { describe, expect, it } from 'vitest';
import {
  type CompassOverTimeData,
  compassOverTimeFromFollowUps,
  compassOverTimeLayout,
  compassOverTimeRows,
  formatChange,
  renderCompassOverTimeSvg,
} from '../../../cards/charts/index.js';
import { rasteriseSvg } from '../../../cards/charts/rasterise.js';
import { compassAreaKeys, compassAreas } from '../../../flows/kernel/compass.js';
import type { CompassFollowUp } from '../../../flows/kernel/records/plan.js';
import { decodePng } from '../../support/decode-png.js';

const userId = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02';

function followUp(
  followUpNo: number,
  sets: Partial<Record<'barnet' | 'vardnadshavare' | 'teamet', (number | 'vetEj')[]>>,
): CompassFollowUp {
  return {
    followUpNo,
    kind: followUpNo === 1 ? 'start' : 'uppfoljning',
    recordedBy: userId,
    recordedAt: '2026-03-01T10:00:00Z',
    sets: Object.entries(sets).map(([rater, ratings]) => ({
      rater: rater as 'barnet',
      ratings: compassAreaKeys.map((key, index) => ({ key, rating: (ratings ?? [])[index] ?? 'vetEj' })),
    })) as CompassFollowUp['sets'],
  };
}

// Columns: omsorg, trygghet, maBra, fritid, tillhorighet, ansvar, respekteras, utvecklas.
const data: CompassOverTimeData = compassOverTimeFromFollowUps([
  followUp(2, { barnet: [3, 2, 2, 3, 'vetEj', 3, 3, 3], teamet: [2, 3, 2, 3, 3, 3, 3, 3] }),
  followUp(1, {
    barnet: [1, 2, 3, 3, 2, 3, 3, 3],
    vardnadshavare: [2, 2, 2, 2, 2, 2, 2, 2],
    teamet: [2, 1, 2, 3, 'vetEj', 3, 3, 3],
  }),
  followUp(3, { barnet: [4, 'vetEj', 2, 3, 3, 3, 3, 3], vardnadshavare: [4, 2, 2, 2, 2, 2, 2, 1] }),
]);

describe('Behovskompass over time', () => {
  it('orders the occasions from the start and names them', () => {
    expect(data.occasions.map((occasion) => occasion.label)).toEqual(['Start', 'Uppf. 1', 'Uppf. 2']);
  });

  it('gives per area and rater the start, the latest rating and the change since the start', () => {
    const rows = compassOverTimeRows(data);
    expect(rows).toHaveLength(24);
    const row = (area: string, rater: string) => rows.find((r) => r.areaKey === area && r.rater === rater);
    expect(row('omsorg', 'Barnet')).toMatchObject({ area: 'Omsorg', start: 1, latest: 4, change: 3 });
    expect(row('omsorg', 'Vårdnadshavare')).toMatchObject({ start: 2, latest: 4, change: 2 });
    expect(row('maBra', 'Barnet')).toMatchObject({ start: 3, latest: 2, change: -1 });
    // "Vet ej" at the latest follow-up: the latest rating given counts.
    expect(row('trygghet', 'Barnet')).toMatchObject({ start: 2, latest: 2, change: 0 });
    // No rating at the start: no change can be told.
    expect(row('tillhorighet', 'Teamet')).toMatchObject({ start: null, latest: 3, change: null });
    expect(row('utvecklas', 'Vårdnadshavare')).toMatchObject({ change: -1 });
  });

  it('writes changes with their sign', () => {
    expect([2, -1, 0, null].map(formatChange)).toEqual(['+2', '−1', '±0', '–']);
  });

  it('names every area next to its colour, and every rater in a legend with its own marker', () => {
    const svg = renderCompassOverTimeSvg(data);
    for (const area of compassAreas) {
      expect(svg).toContain(`fill="${area.colour}"`);
      expect(svg).toContain(`>${area.name}</text>`);
    }
    for (const rater of ['barnet', 'vardnadshavare', 'teamet']) {
      expect(svg).toContain(`data-legend="${rater}"`);
    }
    for (const label of ['Barnet', 'Vårdnadshavare (VH)', 'Teamet']) {
      expect(svg).toContain(`>${label}</text>`);
    }
    expect(svg).toContain('<circle');
    expect(svg).toContain('stroke-dasharray="6 3"');
    expect(svg).toContain('<polygon');
    expect(svg).toContain('Sedan start: Barnet +3 · VH +2 · Teamet ±0');
  });

  it('escapes labels as XML', () => {
    const svg = renderCompassOverTimeSvg({
      occasions: [{ label: 'Start <&"x">', ratings: { barnet: { omsorg: 2 } } }],
    });
    expect(svg).toContain('Start &lt;&amp;&quot;x&quot;&gt;');
    expect(svg).not.toContain('<&"x">');
  });

  it('rasterises to a PNG of the chart size with text in it', () => {
    const svg = renderCompassOverTimeSvg(data);
    const png = decodePng(rasteriseSvg(svg, compassOverTimeLayout.width));
    expect([png.width, png.height]).toEqual([compassOverTimeLayout.width, compassOverTimeLayout.height]);
    const bare = decodePng(
      rasteriseSvg(svg.replace(/<text[^>]*>[^<]*<\/text>/g, ''), compassOverTimeLayout.width),
    );
    let differing = 0;
    for (let x = 0; x < png.width; x += 2) {
      for (let y = 0; y < png.height; y += 2) {
        if (png.pixel(x, y).join() !== bare.pixel(x, y).join()) differing += 1;
      }
    }
    expect(differing).toBeGreaterThan(500);
  });
});
