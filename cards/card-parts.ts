/**
 * Data shared by several cards: the Upptäckarkort's choices with their Swedish labels, the
 * child and the Upptäckare as cards show them, and the eight Behovskompass areas prepared for a
 * template (name, the child's words, colour dot, assessment).
 *
 * The value lists match the Upptäckarkort contract with the flows (`flows/upptackt/discovery-form.ts`):
 * they are the strings Teams sends back when the card is submitted.
 */
import { z } from 'zod';
import { type ConsentGiver, ZChild, ZConsentGiver, ZInstant } from '../flows/kernel/case.js';
import { type CompassAreaKey, compassAreas } from '../flows/kernel/compass.js';
import {
  type AreaAssessment,
  areaAssessmentLabels,
  areaAssessments,
  type DiscoveryPath,
  discoveryPathLabels,
  discoveryPaths,
  type ReporterOrganisation,
  reporterOrganisationLabels,
  reporterOrganisations,
  ZAreaAssessment,
  ZDiscoveryPath,
  ZReporterOrganisation,
} from '../flows/kernel/records/discovery.js';
import { areaDotDataUri } from './area-dot.js';

// The value lists and their labels are the domain's (flows/kernel/records/discovery.ts): the strings Teams sends
// back when the card is submitted must be exactly the ones the form parser accepts.
export {
  type AreaAssessment,
  areaAssessmentLabels,
  areaAssessments,
  type DiscoveryPath,
  discoveryPathLabels,
  discoveryPaths,
  type ReporterOrganisation,
  reporterOrganisationLabels,
  reporterOrganisations,
  ZAreaAssessment,
  ZDiscoveryPath,
  ZReporterOrganisation,
};

export const consentGiverLabels: Readonly<Record<ConsentGiver, string>> = {
  vardnadshavare: 'Vårdnadshavare',
  barnet: 'Barnet',
};

/** One area's assessment on an Upptäckarkort. */
export const ZAreaRating = z.object({
  assessment: ZAreaAssessment,
  comment: z.string().max(500).optional(),
});
export type AreaRating = z.infer<typeof ZAreaRating>;

/** The eight areas; an area left out counts as "vet ej" (the card's default). */
export const ZAreaRatings = z
  .object({
    omsorg: ZAreaRating.optional(),
    trygghet: ZAreaRating.optional(),
    maBra: ZAreaRating.optional(),
    fritid: ZAreaRating.optional(),
    tillhorighet: ZAreaRating.optional(),
    ansvar: ZAreaRating.optional(),
    respekteras: ZAreaRating.optional(),
    utvecklas: ZAreaRating.optional(),
  } satisfies Record<CompassAreaKey, z.ZodTypeAny>)
  .strict();
export type AreaRatings = z.infer<typeof ZAreaRatings>;

/** The child as the cards show it. Which fields a card may show is each card's own decision. */
export const ZCardChild = ZChild.omit({ identityKey: true });
export type CardChild = z.infer<typeof ZCardChild>;

/** The Upptäckare who filed the card. */
export const ZCardReporter = z.object({
  displayName: z.string().min(1).max(200),
  organisation: ZReporterOrganisation,
  role: z.string().min(1).max(100),
  /** The Upptäckare's unit, when the directory knows it. */
  unitName: z.string().min(1).max(200).optional(),
  email: z.string().email().max(320).optional(),
});
export type CardReporter = z.infer<typeof ZCardReporter>;

/** The recorded verbal consent behind an Aktivera Barnkontakt. */
export const ZCardConsent = z.object({
  givenBy: z.array(ZConsentGiver).min(1),
  recordedByName: z.string().min(1).max(200),
  at: ZInstant,
});
export type CardConsent = z.infer<typeof ZCardConsent>;

/** An area prepared for a template, in the compass order. */
export interface AreaRow {
  key: CompassAreaKey;
  name: string;
  childWords: string;
  colour: string;
  /** PNG data URI of the area's colour dot. */
  dot: string;
  assessment: AreaAssessment;
  assessmentLabel: string;
  comment: string;
  hasComment: boolean;
}

/** All eight areas in the fixed order, each with its colour dot and assessment. */
export function buildAreaRows(ratings: AreaRatings): AreaRow[] {
  return compassAreas.map((area) => {
    const rating = ratings[area.key];
    const assessment = rating?.assessment ?? 'vetEj';
    const comment = rating?.comment?.trim() ?? '';
    return {
      key: area.key,
      name: area.name,
      childWords: area.childWords,
      colour: area.colour,
      dot: areaDotDataUri(area.colour),
      assessment,
      assessmentLabel: areaAssessmentLabels[assessment],
      comment,
      hasComment: comment !== '',
    };
  });
}

/** "Ella Andersson", or just the given name when the family name is not known. */
export function formatChildName(child: Pick<CardChild, 'givenName' | 'familyName'>): string {
  return [child.givenName, child.familyName].filter((part) => part.trim() !== '').join(' ');
}

/** The child as a receipt names them: the given name and the family name's initial ("Ella Å."). */
export function formatChildShortName(child: Pick<CardChild, 'givenName' | 'familyName'>): string {
  const initial = child.familyName.trim().charAt(0);
  return initial === '' ? child.givenName : `${child.givenName} ${initial}.`;
}

/** Swedish list: "a", "a och b", "a, b och c". */
export function joinSwedish(items: readonly string[]): string {
  if (items.length <= 1) {
    return items.join('');
  }
  return `${items.slice(0, -1).join(', ')} och ${items.at(-1)}`;
}
