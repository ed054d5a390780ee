import { escapeXml } from './escape-xml.js';

/** A filled circle in the area's colour on a transparent ground, `size` units across. */
export function renderAreaDotSvg(colour: string, size = 24): string {
  const radius = size / 2;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}"><circle cx="${radius}" cy="${radius}" r="${radius - 0.5}" fill="${escapeXml(colour)}"/></svg>`;
}
