import { describe, expect, it } from 'vitest';
import { areaDotDataUri } from '../../../cards/area-dot.js';
import { renderBarnkontaktNotis } from '../../../cards/upptackt/barnkontakt-notis.js';
import { renderOrosanmalan } from '../../../cards/upptackt/orosanmalan.js';
import { renderUpptackarkort } from '../../../cards/upptackt/upptackarkort.js';
import { compassAreas } from '../../../flows/kernel/compass.js';
import {
  buildSampleNotis,
  buildSampleOrosanmalan,
  sampleDraftId,
  sampleUnits,
} from '../../fixtures/upptackt-card-samples.js';
import { decodePngDataUri } from '../../support/decode-png.js';

const parseHexColour = (hex: string) => [1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16));

function imageColoursByAltText(card: unknown): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value !== null && typeof value === 'object') {
      const element = value as Record<string, unknown>;
      if (
        element.type === 'Image' &&
        typeof element.url === 'string' &&
        typeof element.altText === 'string'
      ) {
        const png = decodePngDataUri(element.url);
        const [red, green, blue] = png.pixel(png.width / 2, png.height / 2);
        found.set(
          element.altText,
          `#${[red, green, blue].map((c) => c.toString(16).padStart(2, '0')).join('')}`,
        );
      }
      Object.values(element).forEach(visit);
    }
  };
  visit(card);
  return found;
}

describe('area dots', () => {
  it('draws an opaque dot in the area colour with a transparent corner', () => {
    for (const area of compassAreas) {
      const png = decodePngDataUri(areaDotDataUri(area.colour));
      expect(png.width).toBe(png.height);
      const [red, green, blue, alpha] = png.pixel(png.width / 2, png.height / 2);
      expect([red, green, blue]).toEqual(parseHexColour(area.colour));
      expect(alpha).toBe(255);
      expect(png.pixel(0, 0)[3]).toBe(0);
    }
  });

  it('reuses the same image for the same colour', () => {
    expect(areaDotDataUri('#E8559A')).toBe(areaDotDataUri('#E8559A'));
    expect(areaDotDataUri('#E8559A')).not.toBe(areaDotDataUri('#F28C28'));
  });

  it('refuses a colour that is not #RRGGBB', () => {
    expect(() => areaDotDataUri('pink')).toThrow(/#RRGGBB/);
  });

  it('shows every area of the Upptäckarkort and the orosanmälan in its compass colour', () => {
    const expected = new Map(compassAreas.map((area) => [area.name, area.colour.toLowerCase()]));
    const upptackarkort = renderUpptackarkort({ draftId: sampleDraftId, units: sampleUnits });
    expect(imageColoursByAltText(upptackarkort)).toEqual(expected);
    expect(imageColoursByAltText(renderOrosanmalan(buildSampleOrosanmalan()))).toEqual(expected);
  });

  it('colours the flagged, then the well-working, areas of the notification by the compass', () => {
    const colours = imageColoursByAltText(renderBarnkontaktNotis(buildSampleNotis()));
    expect([...colours.keys()]).toEqual([
      'Omsorg',
      'Må bra',
      'Tillhörighet',
      'Fritid',
      'Ansvar',
      'Utvecklas',
    ]);
    for (const [name, colour] of colours) {
      expect(colour).toBe(compassAreas.find((area) => area.name === name)?.colour.toLowerCase());
    }
  });
});
