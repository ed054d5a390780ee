/**
 * The Fördjupad behovskompass's catalogue: the eight areas of Behovskompassen split into sub-areas
 * (delområden), each with the aspects the team looks at (seeds/000: "Behovskompassens åtta
 * områden indelade i flera delområden. Varje delområde har ett antal viktiga aspekter"). The seeds
 * name the tool but not its sub-areas, so the wording is the municipality's, read from a file it
 * provides (`infra/compass-catalogue-file.ts`); nothing here holds the wording itself.
 */
import { z } from 'zod';
import { compassAreaKeys, ZCompassAreaKey } from '../kernel/compass.js';

const ZCatalogueId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'Id får bara innehålla små bokstäver a–z, siffror och bindestreck')
  .max(60);

export const ZDeepCompassSubArea = z
  .object({
    id: ZCatalogueId,
    name: z.string().trim().min(1).max(200),
    /** What the team looks at in the sub-area ("stödtext i rutorna", seeds/002). */
    aspects: z.array(z.string().trim().min(1).max(300)).min(1).max(20),
  })
  .strict();
export type DeepCompassSubArea = z.infer<typeof ZDeepCompassSubArea>;

export const ZDeepCompassCatalogue = z
  .object({
    /** Which version of the municipality's material this is, e.g. "Exempelby 2025". */
    version: z.string().trim().min(1).max(100),
    /** True for the shipped example: the bot says so wherever the catalogue is shown. */
    example: z.boolean().default(false),
    areas: z
      .array(
        z.object({ area: ZCompassAreaKey, subAreas: z.array(ZDeepCompassSubArea).min(1).max(12) }).strict(),
      )
      .length(8, 'Katalogen ska ha Behovskompassens alla åtta områden'),
  })
  .strict()
  .superRefine((catalogue, ctx) => {
    const seenAreas = new Set<string>();
    const seenIds = new Set<string>();
    catalogue.areas.forEach((entry, index) => {
      if (seenAreas.has(entry.area)) {
        ctx.addIssue({
          code: 'custom',
          path: ['areas', index, 'area'],
          message: `Området ${entry.area} står två gånger`,
        });
      }
      seenAreas.add(entry.area);
      entry.subAreas.forEach((subArea, subIndex) => {
        if (seenIds.has(subArea.id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['areas', index, 'subAreas', subIndex, 'id'],
            message: `Delområdes-id "${subArea.id}" används redan`,
          });
        }
        seenIds.add(subArea.id);
      });
    });
    const missing = compassAreaKeys.filter((key) => !seenAreas.has(key));
    if (missing.length > 0 && catalogue.areas.length === 8) {
      ctx.addIssue({ code: 'custom', path: ['areas'], message: `Områden saknas: ${missing.join(', ')}` });
    }
  })
  // In Behovskompassen's fixed order, whatever the file's order.
  .transform((catalogue) => ({
    ...catalogue,
    areas: [...catalogue.areas].sort(
      (a, b) => compassAreaKeys.indexOf(a.area) - compassAreaKeys.indexOf(b.area),
    ),
  }));
export type DeepCompassCatalogue = z.output<typeof ZDeepCompassCatalogue>;

/** A sub-area by id, for a rating recorded against it. */
export function findDeepCompassSubArea(
  catalogue: DeepCompassCatalogue,
  subAreaId: string,
): DeepCompassSubArea | undefined {
  return catalogue.areas.flatMap((entry) => entry.subAreas).find((subArea) => subArea.id === subAreaId);
}
