/**
 * What the Upptäckare filed on the Upptäckarkort, as stored in the case (`Case.discovery`). The
 * child's name and identity live in `Case.child`; this holds the rest of the card: the
 * Behovskompass areas, what was seen, the path chosen and who filed it. It never reaches logs,
 * outbox messages or reminders: those carry the case id only.
 */
import { z } from 'zod';
import { compassAreaKeys, ZCompassAreaKey } from '../compass.js';
import { ZCalendarDate, ZInstant, ZUserId } from '../value-types.js';

/** How the Upptäckare rates one area of Behovskompassen. */
export const areaAssessments = ['behoverStarkas', 'fungerarBra', 'vetEj'] as const;
export const ZAreaAssessment = z.enum(areaAssessments);
export type AreaAssessment = z.infer<typeof ZAreaAssessment>;

export const areaAssessmentLabels: Readonly<Record<AreaAssessment, string>> = {
  behoverStarkas: 'Behöver stärkas',
  fungerarBra: 'Fungerar bra',
  vetEj: 'Vet ej',
};

/** The three paths of step 1 (docs/domain.md). */
export const discoveryPaths = ['orosanmalan', 'stodIEgenVerksamhet', 'aktiveraBarnkontakt'] as const;
export const ZDiscoveryPath = z.enum(discoveryPaths);
export type DiscoveryPath = z.infer<typeof ZDiscoveryPath>;

export const discoveryPathLabels: Readonly<Record<DiscoveryPath, string>> = {
  orosanmalan: 'Orosanmälan till socialtjänsten',
  stodIEgenVerksamhet: 'Stöd i egen verksamhet',
  aktiveraBarnkontakt: 'Aktivera Barnkontakt',
};

/**
 * The Upptäckare's own organisation, as they choose it on the card. `annan` (a dentist, a sports
 * club) is never the organisation of a unit, so such a card always counts as external.
 */
export const reporterOrganisations = ['kommun', 'region', 'polis', 'privat', 'annan'] as const;
export const ZReporterOrganisation = z.enum(reporterOrganisations);
export type ReporterOrganisation = z.infer<typeof ZReporterOrganisation>;

export const reporterOrganisationLabels: Readonly<Record<ReporterOrganisation, string>> = {
  kommun: 'Kommun',
  region: 'Region (hälso- och sjukvård)',
  polis: 'Polis',
  privat: 'Privat verksamhet',
  annan: 'Annan',
};

export const ZAreaRating = z.object({
  key: ZCompassAreaKey,
  assessment: ZAreaAssessment,
  comment: z.string().min(1).max(500).optional(),
});
export type AreaRating = z.infer<typeof ZAreaRating>;

/** Enrolment facts the Upptäckare knew; they move routing's band boundaries (routing.ts). */
export const ZDiscoveryEnrolment = z.object({
  firstBvcVisitDone: z.boolean().optional(),
  /** Whether the child goes to förskola; absent when the Upptäckare did not know. */
  attendsForskola: z.boolean().optional(),
  forskolaStartDate: ZCalendarDate.optional(),
  schoolStartDate: ZCalendarDate.optional(),
});
export type DiscoveryEnrolment = z.infer<typeof ZDiscoveryEnrolment>;

export const ZDiscovery = z.object({
  /** The card instance the case was filed from; the case id is derived from it. */
  draftId: z.string().min(1).max(100),
  filedBy: ZUserId,
  filedAt: ZInstant,
  reporter: z.object({
    organisation: ZReporterOrganisation,
    /** Yrkesroll, e.g. "Lärare". */
    role: z.string().min(1).max(100),
  }),
  /** The Upptäckare's organisation differs from the unit's: counted as an external card. */
  external: z.boolean(),
  enrolment: ZDiscoveryEnrolment,
  /** All eight areas, in Behovskompassen's order. */
  areas: z
    .array(ZAreaRating)
    .length(compassAreaKeys.length)
    .refine(
      (areas) => areas.every((area, index) => area.key === compassAreaKeys[index]),
      'Områdena ska stå i Behovskompassens ordning',
    ),
  observation: z.string().min(1).max(4000),
  talkedWithGuardian: z.boolean(),
  path: ZDiscoveryPath,
  /** For `stodIEgenVerksamhet`: when the Upptäckare is reminded to follow up. */
  followUpDate: ZCalendarDate.optional(),
});
export type Discovery = z.infer<typeof ZDiscovery>;

/** The areas rated "behöver stärkas": what a Barnkontakt's card leads with. */
export function listFlaggedAreas(discovery: Discovery): AreaRating[] {
  return discovery.areas.filter((area) => area.assessment === 'behoverStarkas');
}
