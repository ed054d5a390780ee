/**
 * A minimal RGBA raster and its PNG encoding, with nothing but `node:zlib`. Cards show images the
 * bot draws itself (area dots, the joint compass chart) as data URIs: Teams does not reliably
 * render SVG data URIs, and an image host would mean the picture leaves the message.
 */
import { crc32, deflateSync } from 'node:zlib';

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export type Rgb = readonly [number, number, number];

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

/** Straight (not premultiplied) RGBA pixels, row by row, top row first. */
export class RgbaImage {
  readonly pixels: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new Error(`Bildens storlek måste vara hela pixlar, fick ${width}×${height}`);
    }
    this.pixels = new Uint8Array(width * height * 4);
  }

  /** Sets one pixel; coordinates outside the image are ignored so shapes may be clipped freely. */
  setPixel(x: number, y: number, [red, green, blue]: Rgb, alpha = 255): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) {
      return;
    }
    const offset = (y * this.width + x) * 4;
    this.pixels[offset] = red;
    this.pixels[offset + 1] = green;
    this.pixels[offset + 2] = blue;
    this.pixels[offset + 3] = alpha;
  }

  /** Fills the rectangle with its left/top edge included and right/bottom edge excluded. */
  fillRect(left: number, top: number, right: number, bottom: number, colour: Rgb, alpha = 255): void {
    const x0 = Math.max(0, Math.round(left));
    const y0 = Math.max(0, Math.round(top));
    const x1 = Math.min(this.width, Math.round(right));
    const y1 = Math.min(this.height, Math.round(bottom));
    for (let y = y0; y < y1; y += 1) {
      for (let x = x0; x < x1; x += 1) {
        this.setPixel(x, y, colour, alpha);
      }
    }
  }
}

/** The image as a PNG file (8-bit RGBA, no interlace). */
export function encodePng(image: RgbaImage): Buffer {
  const rowLength = 1 + image.width * 4;
  const scanlines = Buffer.alloc(rowLength * image.height);
  for (let y = 0; y < image.height; y += 1) {
    // Each scanline starts with its filter type; 0 (none) keeps the encoder trivial and
    // deflate still shrinks the large flat areas of a chart well.
    scanlines[y * rowLength] = 0;
    scanlines.set(image.pixels.subarray(y * image.width * 4, (y + 1) * image.width * 4), y * rowLength + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(image.width, 0);
  header.writeUInt32BE(image.height, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // colour type: RGBA
  header[10] = 0; // compression: deflate
  header[11] = 0; // filter method
  header[12] = 0; // no interlace
  return Buffer.concat([
    pngSignature,
    encodeChunk('IHDR', header),
    encodeChunk('IDAT', deflateSync(scanlines)),
    encodeChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** `data:image/png;base64,…` for an Adaptive Card `Image.url`. */
export function toPngDataUri(png: Buffer): string {
  return `data:image/png;base64,${png.toString('base64')}`;
}

function encodeChunk(type: string, body: Buffer): Buffer {
  const typeAndBody = Buffer.concat([Buffer.from(type, 'ascii'), body]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length, 0);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(typeAndBody) >>> 0, 0);
  return Buffer.concat([length, typeAndBody, checksum]);
}
