/**
 * The family copy's Behovskompass over time: the same SVG as the card and the tab, with the
 * catalogue's words, rasterised to PNG because PDFKit draws no SVG text.
 */
import {
  type CompassOverTimeData,
  type CompassOverTimeTexts,
  compassOverTimeFromOccasions,
  compassOverTimeLayout,
  renderCompassOverTimeSvg,
} from '../../cards/charts/compass-over-time-svg.js';
import { rasteriseSvg } from '../../cards/charts/rasterise.js';
import type { PlanViewFollowUp } from '../../flows/kernel/records/plan-view.js';
import { type FamilyCopyTexts, fillTemplate } from './catalogue.js';

/** Twice the chart's size, so that its small text stays sharp when the page is printed. */
const pixelWidth = compassOverTimeLayout.width * 2;

/** The plan's follow-ups (start first) as the chart's input, labelled in the copy's language. */
export function toCompassOverTimeData(
  followUps: readonly PlanViewFollowUp[],
  texts: FamilyCopyTexts,
): CompassOverTimeData {
  return compassOverTimeFromOccasions(followUps, (occasion) =>
    occasion.kind === 'start'
      ? texts.chart.start
      : fillTemplate(texts.chart.followUp, { number: occasion.followUpNo - 1 }),
  );
}

/** The chart's words from the copy's catalogue. */
export function toChartTexts(texts: FamilyCopyTexts): CompassOverTimeTexts {
  const { chart } = texts;
  return {
    areaNames: texts.areas,
    raters: chart.raters,
    guardianShort: chart.guardianShort,
    sinceStart: chart.sinceStart,
    unknown: chart.unknown,
    description: chart.description,
  };
}

/** PNG bytes and the chart's aspect ratio (height per width), for placing it on the page. */
export function renderCompassImage(
  followUps: readonly PlanViewFollowUp[],
  texts: FamilyCopyTexts,
): { readonly png: Buffer; readonly aspect: number } {
  const svg = renderCompassOverTimeSvg(toCompassOverTimeData(followUps, texts), toChartTexts(texts));
  return {
    png: rasteriseSvg(svg, pixelWidth),
    aspect: compassOverTimeLayout.height / compassOverTimeLayout.width,
  };
}
