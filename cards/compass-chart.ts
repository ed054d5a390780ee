/**
 * The joint compass chart for the Adaptive Card: the SVG from `charts/joint-compass-svg.ts`
 * rasterised to PNG, because Teams does not reliably render SVG data URIs in cards. The SVG is
 * returned too, for the tab and the PDF.
 */
import type { JointCompass } from '../flows/barnteam/joint-assessment.js';
import {
  describeJointCompass,
  jointCompassLayout,
  jointCompassLegend,
  renderJointCompassSvg,
} from './charts/joint-compass-svg.js';
import { rasteriseSvg, toPngDataUri } from './charts/rasterise.js';

export interface CompassChart {
  readonly png: Buffer;
  readonly dataUri: string;
  readonly svg: string;
}

export const compassChartLayout = jointCompassLayout;
export const compassChartLegend = jointCompassLegend;
export const describeJointCompassChart = describeJointCompass;

/**
 * Pixels across of the card's PNG: below the SVG's own width, because the card with the chart
 * must stay under Teams' ~28 KB; the SVG's labels are sized to stay readable at this scale.
 */
export const compassChartPngWidth = 520;

/** Renders the joint compass as SVG and as PNG (with its data URI). */
export function renderJointCompassChart(joint: JointCompass): CompassChart {
  const svg = renderJointCompassSvg(joint);
  const png = rasteriseSvg(svg, compassChartPngWidth);
  return { png, dataUri: toPngDataUri(png), svg };
}
