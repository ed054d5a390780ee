#!/usr/bin/env node
// Draws the Teams app icons into appPackage/: color.png (192x192, full colour) and outline.png
// (32x32, white on transparent, as Teams requires). Run it again after changing the drawing;
// the PNGs are committed. Plain zlib PNG encoding, so no image library is needed.
//
// The motif: a ring (the needs compass, Behovskompassen) around a dot (the child at its centre).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const appPackageDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'appPackage');

const accent = [0x1f, 0x6f, 0x5c];
const white = [0xff, 0xff, 0xff];
const supersampling = 4;

/** Coverage (0..1) of the motif at a point given in units of the icon's size (0..1). */
function motifCoverage(x, y) {
  const distance = Math.hypot(x - 0.5, y - 0.5);
  const ring = distance >= 0.27 && distance <= 0.37;
  const dot = distance <= 0.12;
  return ring || dot ? 1 : 0;
}

/** Averages the motif over supersampled points of each pixel, for smooth edges. */
function renderPixels(size, paint) {
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let coverage = 0;
      for (let sy = 0; sy < supersampling; sy += 1) {
        for (let sx = 0; sx < supersampling; sx += 1) {
          coverage += motifCoverage(
            (px + (sx + 0.5) / supersampling) / size,
            (py + (sy + 0.5) / supersampling) / size,
          );
        }
      }
      const [r, g, b, a] = paint(coverage / supersampling ** 2);
      pixels.set([r, g, b, a], (py * size + px) * 4);
    }
  }
  return pixels;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Encodes RGBA pixels as a PNG: 8-bit RGBA, no interlacing, filter 0 on every row. */
function encodePng(size, pixels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = [];
  for (let y = 0; y < size; y += 1) {
    rows.push(Buffer.from([0]), pixels.subarray(y * size * 4, (y + 1) * size * 4));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function mix(from, to, amount) {
  return from.map((value, i) => Math.round(value + (to[i] - value) * amount));
}

const colorIcon = renderPixels(192, (coverage) => [...mix(accent, white, coverage), 0xff]);
const outlineIcon = renderPixels(32, (coverage) => [...white, Math.round(coverage * 0xff)]);

writeFileSync(join(appPackageDir, 'color.png'), encodePng(192, colorIcon));
writeFileSync(join(appPackageDir, 'outline.png'), encodePng(32, outlineIcon));
