import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { areaDotDataUri, parseHexColour } from '../../../cards/area-dot.js';
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

interface DecodedPng {
  width: number;
  height: number;
  pixel(x: number, y: number): [number, number, number, number];
}

// An independent reader (not the encoder's own code) so that the test can catch encoder bugs.
function decodePngDataUri(uri: string): DecodedPng {
  expect(uri.startsWith('data:image/png;base64,')).toBe(true);
  const bytes = Buffer.from(uri.slice('data:image/png;base64,'.length), 'base64');
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('ascii', offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect([body[8], body[9]]).toEqual([8, 6]);
    }
    if (type === 'IDAT') {
      data.push(body);
    }
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const rowLength = 1 + width * 4;
  return {
    width,
    height,
    pixel(x, y) {
      const start = y * rowLength + 1 + x * 4;
      return [raw[start], raw[start + 1], raw[start + 2], raw[start + 3]] as [number, number, number, number];
    },
  };
}

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
