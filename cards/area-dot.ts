/**
 * A small coloured dot per Behovskompass area, as a PNG data URI. Adaptive Cards only know a
 * handful of named text colours, but staff know the areas by colour ("den rosa"), so each area
 * is shown with an image in its own colour from `flows/kernel/compass.ts`. Teams renders data-URI
 * images, so no image host is needed and nothing about the card leaves the message.
 */
import { encodePng, parseHexColour, RgbaImage, toPngDataUri } from './png.js';

export { parseHexColour } from './png.js';

/** Drawn at twice the displayed size so the edge stays smooth on high-density screens. */
const sizePixels = 24;
const cache = new Map<string, string>();

/** A `data:image/png;base64,…` URI of a filled circle in `colour` (`#RRGGBB`) on a transparent ground. */
export function areaDotDataUri(colour: string): string {
  const cached = cache.get(colour);
  if (cached !== undefined) {
    return cached;
  }
  const uri = toPngDataUri(encodePng(drawDot(parseHexColour(colour))));
  cache.set(colour, uri);
  return uri;
}

function drawDot(colour: [number, number, number]): RgbaImage {
  const image = new RgbaImage(sizePixels, sizePixels);
  const centre = sizePixels / 2;
  for (let y = 0; y < sizePixels; y += 1) {
    for (let x = 0; x < sizePixels; x += 1) {
      const distance = Math.hypot(x + 0.5 - centre, y + 0.5 - centre);
      // One pixel of linear fall-off at the rim instead of a jagged edge.
      const coverage = Math.min(1, Math.max(0, centre - distance));
      image.setPixel(x, y, colour, Math.round(coverage * 255));
    }
  }
  return image;
}
