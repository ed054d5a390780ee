/**
 * A small coloured dot per Behovskompass area, as a PNG data URI. Adaptive Cards only know a
 * handful of named text colours, but staff know the areas by colour ("den rosa"), so each area
 * is shown with an image in its own colour from `flows/compass.ts`. Teams renders data-URI
 * images, so no image host is needed and nothing about the card leaves the message.
 */
import { crc32, deflateSync } from 'node:zlib';

/** Drawn at twice the displayed size so the edge stays smooth on high-density screens. */
const sizePixels = 24;
const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const cache = new Map<string, string>();

/** A `data:image/png;base64,…` URI of a filled circle in `colour` (`#RRGGBB`) on a transparent ground. */
export function areaDotDataUri(colour: string): string {
  const cached = cache.get(colour);
  if (cached !== undefined) {
    return cached;
  }
  const uri = `data:image/png;base64,${encodeDotPng(parseHexColour(colour)).toString('base64')}`;
  cache.set(colour, uri);
  return uri;
}

/** Red, green and blue of `#RRGGBB`. */
export function parseHexColour(colour: string): [number, number, number] {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  if (!match) {
    throw new Error(`Färgen ska skrivas #RRGGBB, fick ${colour}`);
  }
  return [
    Number.parseInt(match[1] as string, 16),
    Number.parseInt(match[2] as string, 16),
    Number.parseInt(match[3] as string, 16),
  ];
}

function encodeDotPng([red, green, blue]: [number, number, number]): Buffer {
  const rowLength = 1 + sizePixels * 4;
  const pixels = Buffer.alloc(rowLength * sizePixels);
  const centre = sizePixels / 2;
  for (let y = 0; y < sizePixels; y += 1) {
    // Each scanline starts with its filter type; 0 (none) keeps the encoder trivial.
    pixels[y * rowLength] = 0;
    for (let x = 0; x < sizePixels; x += 1) {
      const distance = Math.hypot(x + 0.5 - centre, y + 0.5 - centre);
      // One pixel of linear fall-off at the rim instead of a jagged edge.
      const coverage = Math.min(1, Math.max(0, centre - distance));
      const offset = y * rowLength + 1 + x * 4;
      pixels[offset] = red;
      pixels[offset + 1] = green;
      pixels[offset + 2] = blue;
      pixels[offset + 3] = Math.round(coverage * 255);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(sizePixels, 0);
  header.writeUInt32BE(sizePixels, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // colour type: RGBA
  header[10] = 0; // compression: deflate
  header[11] = 0; // filter method
  header[12] = 0; // no interlace
  return Buffer.concat([
    pngSignature,
    encodeChunk('IHDR', header),
    encodeChunk('IDAT', deflateSync(pixels)),
    encodeChunk('IEND', Buffer.alloc(0)),
  ]);
}

function encodeChunk(type: string, body: Buffer): Buffer {
  const typeAndBody = Buffer.concat([Buffer.from(type, 'ascii'), body]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length, 0);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(typeAndBody) >>> 0, 0);
  return Buffer.concat([length, typeAndBody, checksum]);
}
