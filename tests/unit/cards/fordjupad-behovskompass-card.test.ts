import { describe, expect, it } from 'vitest';
import { splitDeepCompassPages } from '../../../bot/card-views/deep-compass-view.js';
import {
  type FordjupadBehovskompassData,
  fordjupadBehovskompassVerbs,
  renderFordjupadBehovskompass,
} from '../../../cards/individuellt-barnteam/fordjupad-behovskompass.js';
import {
  type DeepCompassCatalogue,
  ZDeepCompassCatalogue,
} from '../../../flows/individuellt-barnteam/deep-compass-catalogue.js';
import { compassAreaKeys } from '../../../flows/kernel/compass.js';
import { loadCompassCatalogueFile } from '../../../infra/compass-catalogue-file.js';
import {
  findCardProblems,
  findElementAfterInput,
  listExecuteActions,
  listInputs,
  readCardText,
} from '../../support/card-validation.js';

const allowedVerbs = Object.values(fordjupadBehovskompassVerbs);
const sample = loadCompassCatalogueFile('config/fordjupad-behovskompass.sample.yaml');

/** As large as the catalogue's schema allows: 8 areas of 12 sub-areas, each with 20 long aspects. */
const largest: DeepCompassCatalogue = ZDeepCompassCatalogue.parse({
  version: 'Största tänkbara katalog',
  areas: compassAreaKeys.map((area) => ({
    area,
    subAreas: Array.from({ length: 12 }, (_, index) => ({
      id: `${area.toLowerCase()}-${index}`,
      name: `Delområde ${index + 1} i ${area} `.padEnd(200, 'å'),
      aspects: Array.from({ length: 20 }, (_, aspect) => `Aspekt ${aspect + 1} `.padEnd(300, 'ä')),
    })),
  })),
});

/** A page of the catalogue as the view gives it, every sub-area with a long history. */
function buildPage(
  catalogue: DeepCompassCatalogue,
  page = 0,
  overrides: Partial<FordjupadBehovskompassData> = {},
): FordjupadBehovskompassData {
  const pages = splitDeepCompassPages(catalogue);
  return {
    caseId: 'arende-team-0001',
    etag: 'etag-1#0123456789abcdef0123',
    childLabel: 'T.E. (BB-4K7Q-2M9C)',
    catalogueVersion: catalogue.version,
    ...(catalogue.example ? { exampleNote: 'Katalogen är kommunens exempel.' } : {}),
    page,
    pageTitles: pages.length > 1 ? pages.map((item) => item.title) : [],
    areas: (pages[page]?.areas ?? []).map((entry) => ({
      area: entry.area,
      subAreas: entry.subAreas.map((subArea) => ({
        id: subArea.id,
        name: subArea.name,
        aspects: [...subArea.aspects],
        latest: 'Senast: 🙂 4 – Fungerar bra · Ali Karimi-Johansson Lindqvist, 23 september 2026',
        earlier: 'Tidigare: 🙁 2 (3 mars 2026), 😐 3 (14 april 2026), 😐 3 (26 maj 2026) och 4 till',
      })),
    })),
    refreshUserIds: ['0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02'],
    ...overrides,
  };
}

const byteSize = (card: unknown) => Buffer.byteLength(JSON.stringify(card), 'utf8');

describe('the Fördjupad behovskompass card', () => {
  it('is a valid Adaptive Card 1.5 with every area and sub-area of the sample on one card, and says it is an example', () => {
    const card = renderFordjupadBehovskompass(buildPage(sample));
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    const text = readCardText(card);
    expect(text).toContain('Fördjupad behovskompass – T.E. (BB-4K7Q-2M9C)');
    expect(text).toContain('Katalogen är kommunens exempel.');
    expect(text).toContain('Exempel: trygghet hemma');
    expect(text).toContain('• Exempel: skolvägen');
    expect(text).toContain('Senast: 🙂 4 – Fungerar bra · Ali Karimi-Johansson Lindqvist');
    const subAreaCount = sample.areas.flatMap((entry) => entry.subAreas).length;
    expect(listInputs(card).map((input) => input.id)).toHaveLength(subAreaCount);
    expect(listInputs(card).find((input) => input.id === 'delomrade_trygghet-hemma')?.choices).toHaveLength(
      6,
    );
    expect(text).not.toContain('Sida 1 av');
    expect(byteSize(card)).toBeLessThan(28_000);
  });

  it('saves with the case, its version and the page, and goes back to Barnets plan', () => {
    const card = renderFordjupadBehovskompass(buildPage(sample));
    const actions = listExecuteActions(card).filter((action) => action.type === 'Action.Execute');
    const save = actions.find((action) => action.verb === 'plan.fordjupadSpara');
    expect(save?.data).toEqual({ caseId: 'arende-team-0001', etag: 'etag-1#0123456789abcdef0123', page: 0 });
    const back = actions.find((action) => action.verb === 'plan.visa');
    expect(back).toMatchObject({ associatedInputs: 'none', data: { caseId: 'arende-team-0001' } });
  });

  it('leaves out the example note for the municipality’s own catalogue, and says when nothing is rated yet', () => {
    const own = { ...sample, example: false };
    const data = buildPage(own);
    const card = renderFordjupadBehovskompass({
      ...data,
      areas: data.areas.map((entry) => ({
        ...entry,
        subAreas: entry.subAreas.map(({ latest: _latest, earlier: _earlier, ...rest }) => rest),
      })),
    });
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    const text = readCardText(card);
    expect(text).not.toContain('exempel.');
    expect(text).toContain('Inte skattat tidigare.');
  });

  it('shows a sub-area’s error under it and keeps what was chosen elsewhere', () => {
    const card = renderFordjupadBehovskompass(
      buildPage(sample, 0, {
        values: { 'delomrade_trygghet-hemma': '2' },
        fieldErrors: { 'delomrade_fritid-aktiviteter': 'Välj en skattning från 1 till 5, eller Vet ej.' },
      }),
    );
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    expect(readCardText(card)).toContain('Inget är sparat. Rätta fältet som är markerat nedan.');
    expect(findElementAfterInput(card, 'delomrade_fritid-aktiviteter')?.text).toBe(
      'Välj en skattning från 1 till 5, eller Vet ej.',
    );
    expect(listInputs(card).find((input) => input.id === 'delomrade_trygghet-hemma')?.value).toBe('2');
  });

  it('splits the largest catalogue into pages that each stay under Teams’ 28 KB', () => {
    const pages = splitDeepCompassPages(largest);
    expect(pages.length).toBeGreaterThan(8);
    expect(pages[0]?.title).toMatch(/^Omsorg \(del 1 av \d+\)$/);
    // Every sub-area is on exactly one page, in the catalogue's order.
    expect(pages.flatMap((page) => page.areas.flatMap((entry) => entry.subAreas.map((s) => s.id)))).toEqual(
      largest.areas.flatMap((entry) => entry.subAreas.map((s) => s.id)),
    );
    pages.forEach((_, index) => {
      const card = renderFordjupadBehovskompass(buildPage(largest, index));
      expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
      expect(byteSize(card)).toBeLessThan(28_000);
    });
    const card = renderFordjupadBehovskompass(buildPage(largest, 1));
    expect(readCardText(card)).toContain(`Sida 2 av ${pages.length}.`);
    expect(listInputs(card).find((input) => input.id === 'visaSida')).toMatchObject({ value: '1' });
  });

  it('keeps a catalogue of ordinary size by area: one page per area once the whole does not fit', () => {
    const ordinary = ZDeepCompassCatalogue.parse({
      version: 'Kommunens 2026',
      areas: compassAreaKeys.map((area) => ({
        area,
        subAreas: Array.from({ length: 4 }, (_, index) => ({
          id: `${area.toLowerCase()}-${index}`,
          name: `Delområde ${index + 1}`,
          aspects: Array.from({ length: 4 }, (_, aspect) => `Aspekt ${aspect + 1} som teamet tittar på`),
        })),
      })),
    });
    const pages = splitDeepCompassPages(ordinary);
    expect(pages.map((page) => page.title)).toEqual([
      'Omsorg',
      'Trygghet',
      'Må bra',
      'Fritid',
      'Tillhörighet',
      'Ansvar',
      'Respekteras',
      'Utvecklas',
    ]);
    for (const [index] of pages.entries()) {
      expect(byteSize(renderFordjupadBehovskompass(buildPage(ordinary, index)))).toBeLessThan(28_000);
    }
  });
});
