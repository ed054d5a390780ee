/**
 * The tab API's `FamilyCopyRenderer` from the catalogue directory, read once at start so that a
 * bad language file stops the start instead of failing a family's download later.
 */
import type { PlanView } from '../../flows/kernel/records/plan-view.js';
import type { FamilyCopyRenderer } from '../tab-api.js';
import type { FamilyCopyCatalogue } from './catalogue.js';
import { loadFamilyCopyCatalogues } from './load-catalogues.js';
import { renderFamilyCopyPdf } from './render-pdf.js';

/** A renderer over already read catalogues (tests pass their own). */
export function createFamilyCopyRenderer(catalogues: readonly FamilyCopyCatalogue[]): FamilyCopyRenderer {
  const byCode = new Map(catalogues.map((catalogue) => [catalogue.code, catalogue]));
  return {
    languages: catalogues.map((catalogue) => ({ code: catalogue.code, name: catalogue.name })),
    render(view: PlanView, language: string): Promise<Uint8Array> {
      const catalogue = byCode.get(language);
      // The tab API only asks for a listed language; anything else is a programming error.
      if (catalogue === undefined) throw new Error(`Familjens version finns inte på språket ${language}`);
      return renderFamilyCopyPdf(view, catalogue);
    },
  };
}

/** Reads every language file in `directory`; throws `FamilyCopyCatalogueError` with the problems. */
export function loadFamilyCopyRenderer(directory: string): FamilyCopyRenderer {
  return createFamilyCopyRenderer(loadFamilyCopyCatalogues(directory));
}
