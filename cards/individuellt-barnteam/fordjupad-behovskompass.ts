/**
 * The Fördjupad behovskompass for one member of the Individuellt barnteam, opened from Barnets
 * plan: the catalogue's sub-areas per area with the aspects the team looks at, the latest rating
 * of each (who and when) and a choice of 1–5 or "Vet ej" to record a new one. The team rates
 * together, so one save records every sub-area given a value, and earlier ratings stay.
 *
 * A municipality's catalogue may be far larger than one Teams card holds (~28 KB), so the view
 * may split it into pages, one area (or part of one) each; the card then shows one page and a
 * chooser for the others. The child is shown by initials and reference only, as on the plan card.
 */
import { z } from 'zod';
import { findCompassArea, ZCompassAreaKey } from '../../flows/kernel/compass.js';
import { areaDotDataUri } from '../area-dot.js';
import { buildFieldState, describeFormSummary, skattningChoices } from '../form-fields.js';
import { type AdaptiveCardJson, renderCardTemplate } from '../render-template.js';
import template from './fordjupad-behovskompass.json' with { type: 'json' };

export const fordjupadBehovskompassVerbs = {
  visa: 'plan.fordjupadVisa',
  spara: 'plan.fordjupadSpara',
  /** Back to Barnets plan: the plan card's own verb. */
  tillbaka: 'plan.visa',
} as const;

/** The page chooser's input: the page to show, sent with `plan.fordjupadVisa`. */
export const pageInputId = 'visaSida';

const subAreaInputPrefix = 'delomrade_';

/** The card input of a sub-area's rating. Catalogue ids are `[a-z0-9-]`, so the id stays a plain input id. */
export function toSubAreaInputId(subAreaId: string): string {
  return `${subAreaInputPrefix}${subAreaId}`;
}

/** The sub-area a card input rates, or `undefined` for any other input. */
export function readSubAreaInputId(inputId: string): string | undefined {
  return inputId.startsWith(subAreaInputPrefix) ? inputId.slice(subAreaInputPrefix.length) : undefined;
}

const ZInputId = z.string().regex(/^delomrade_[a-z0-9][a-z0-9-]*$/);
const ZText = z.string().min(1).max(2000);

export const ZFordjupadBehovskompassData = z.object({
  caseId: z.string().min(1).max(100),
  /** The plan card's version (`toPlanCardVersion`): a change elsewhere in the case does not stale it. */
  etag: z.string().min(1).max(200),
  /** "T.E. (BB-4K7Q-2M9C)": never the child's name. */
  childLabel: z.string().min(1).max(80),
  catalogueVersion: z.string().min(1).max(100),
  /** Set when the catalogue is the shipped example. */
  exampleNote: ZText.optional(),
  /** Which page this card shows (0-based), and every page's title when there is more than one. */
  page: z.number().int().min(0),
  pageTitles: z.array(z.string().min(1).max(200)).max(100),
  areas: z
    .array(
      z.object({
        area: ZCompassAreaKey,
        subAreas: z
          .array(
            z.object({
              id: z.string().min(1).max(60),
              name: z.string().min(1).max(200),
              aspects: z.array(z.string().min(1).max(300)).max(20),
              /** "Senast: 🙂 4 – Fungerar bra · Maria Lind, 3 mars 2026" */
              latest: ZText.optional(),
              /** The ratings before the latest, newest first, in one line. */
              earlier: ZText.optional(),
            }),
          )
          .min(1)
          .max(12),
      }),
    )
    .min(1)
    .max(8),
  refreshUserIds: z.array(z.string().min(1)).max(60),
  values: z.record(ZInputId, z.string().max(20)).optional(),
  fieldErrors: z.record(ZInputId, z.string().min(1).max(500)).optional(),
  formError: z.string().min(1).max(500).optional(),
  confirmation: z.string().min(1).max(500).optional(),
});
export type FordjupadBehovskompassData = z.input<typeof ZFordjupadBehovskompassData>;

const intro =
  'Teamet skattar delområdena tillsammans. Välj en skattning för de delområden ni har bedömt nu och spara; en ny skattning läggs till och de tidigare finns kvar.';

/**
 * Renders the Fördjupad behovskompass card.
 *
 * @throws CardRenderError when the data does not match `ZFordjupadBehovskompassData`.
 */
export function renderFordjupadBehovskompass(data: FordjupadBehovskompassData): AdaptiveCardJson {
  return renderCardTemplate(
    'fordjupad-behovskompass',
    template,
    ZFordjupadBehovskompassData,
    data,
    (parsed) => {
      const values: Record<string, string> = parsed.values ?? {};
      const errors: Record<string, string> = parsed.fieldErrors ?? {};
      const isSplit = parsed.pageTitles.length > 1;
      return {
        caseId: parsed.caseId,
        etag: parsed.etag,
        page: parsed.page,
        childLabel: parsed.childLabel,
        ...describeFormSummary(parsed.fieldErrors, parsed.formError, parsed.confirmation),
        facts: [{ label: 'Katalog', value: parsed.catalogueVersion }],
        hasExampleNote: parsed.exampleNote !== undefined,
        exampleNote: parsed.exampleNote ?? '',
        intro,
        isSplit,
        pageNote: isSplit
          ? `Sida ${parsed.page + 1} av ${parsed.pageTitles.length}. Spara skattningen innan du byter område: det som inte är sparat följer inte med.`
          : '',
        pageValue: String(parsed.page),
        pageChoices: parsed.pageTitles.map((title, index) => ({ title, value: String(index) })),
        areas: parsed.areas.map((entry) => {
          const area = findCompassArea(entry.area);
          return {
            dot: areaDotDataUri(area.colour),
            name: area.name,
            childWords: area.childWords,
            subAreas: entry.subAreas.map((subArea) => {
              const inputId = toSubAreaInputId(subArea.id);
              const field = buildFieldState(values[inputId], errors[inputId]);
              return {
                inputId,
                name: subArea.name,
                aspects: subArea.aspects.map((text) => ({ text })),
                hasHistory: subArea.latest !== undefined,
                latest: subArea.latest ?? '',
                hasEarlier: subArea.earlier !== undefined,
                earlier: subArea.earlier ?? '',
                value: field.value,
                hasError: field.hasError,
                error: field.error,
              };
            }),
          };
        }),
        scale: skattningChoices,
        refreshUserIds: parsed.refreshUserIds,
      };
    },
  );
}
