/**
 * SVG to PNG for Adaptive Cards, which Teams does not reliably show SVG in. resvg is given the
 * DejaVu fonts from npm and no system fonts, so that a chart renders the same, with its text, on
 * a developer's laptop and on a CI machine without any font packages.
 */
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';

const require = createRequire(import.meta.url);
const fontFiles = [
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
];

/** The font family the charts name; the only one resvg knows. */
export const chartFontFamily = 'DejaVu Sans';

/**
 * Renders `svg` to PNG bytes, `width` pixels wide (the height follows the view box).
 * Without anti-aliasing (crisp shapes, plain text) a chart has few colours and compresses to a
 * third: that is what keeps a card with a chart under Teams' ~28 KB message limit.
 */
export function rasteriseSvg(svg: string, width: number): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    shapeRendering: 1,
    textRendering: 0,
    font: { fontFiles, loadSystemFonts: false, defaultFontFamily: chartFontFamily },
  });
  return resvg.render().asPng();
}

/** `data:image/png;base64,…` for a card's Image. */
export function toPngDataUri(png: Buffer): string {
  return `data:image/png;base64,${png.toString('base64')}`;
}
