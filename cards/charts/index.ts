/**
 * Chart definitions as SVG strings, free of DOM and React, so that the cards (rasterised by
 * `rasterise.ts`), the channel tab and the PDF draw the same picture.
 */
export * from './area-dot-svg.js';
export * from './compass-over-time-svg.js';
export * from './escape-xml.js';
export * from './joint-compass-svg.js';
export * from './lead-times-svg.js';
