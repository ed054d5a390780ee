/**
 * A small coloured dot per Behovskompass area, as a PNG data URI. Adaptive Cards only know a
 * handful of named text colours, but staff know the areas by colour ("den rosa"), so each area
 * is shown with an image in its own colour from `flows/kernel/compass.ts`, always next to the
 * area's name. Teams renders data-URI images, so no image host is needed.
 */
import { renderAreaDotSvg } from './charts/area-dot-svg.js';
import { rasteriseSvg, toPngDataUri } from './charts/rasterise.js';

/** Drawn at twice the displayed size so the edge stays smooth on high-density screens. */
const sizePixels = 24;
const cache = new Map<string, string>();

/** A `data:image/png;base64,…` URI of a filled circle in `colour` (`#RRGGBB`) on a transparent ground. */
export function areaDotDataUri(colour: string): string {
  const cached = cache.get(colour);
  if (cached !== undefined) {
    return cached;
  }
  if (!/^#[0-9A-Fa-f]{6}$/.test(colour)) {
    throw new Error(`Färgen måste skrivas #RRGGBB: ${colour}`);
  }
  const uri = toPngDataUri(rasteriseSvg(renderAreaDotSvg(colour, sizePixels), sizePixels));
  cache.set(colour, uri);
  return uri;
}
