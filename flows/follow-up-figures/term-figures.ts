/**
 * The follow-up figures of one term as the process team reads them: the evaluation's tables
 * (seeds: the term report's "Antal …" tables), counted by the product instead of by hand.
 * Plain counts here; small-number suppression happens where they are shown (card, CSV), so that
 * sums and the lead-time percentiles are computed from the true numbers.
 *
 * No field can hold a name, an identity number or a case reference: organisations are keys of
 * the directory (a unit id, or a reporter organisation such as `polis`) with their label.
 */
import { z } from 'zod';
import type { Instant } from '../kernel/case.js';

/** A term by the calendar half-year it falls in: vt = 1 January–30 June, ht = 1 July–31 December. */
export const ZTerm = z.object({
  season: z.enum(['vt', 'ht']),
  year: z.number().int().min(2000).max(2200),
});
export type Term = z.infer<typeof ZTerm>;

/** The steps between which lead times are measured, in the order of the support process. */
export const leadTimeSteps = [
  'kortTillMottagen',
  'mottagenTillBarnsamtal',
  'barnsamtalTillBeslut',
  'beslutTillBarnteam',
  'barnteamTillIndividuelltBarnteam',
  'individuelltBarnteamTillPlan',
] as const;
export type LeadTimeStep = (typeof leadTimeSteps)[number];

export const leadTimeStepLabels: Readonly<Record<LeadTimeStep, string>> = {
  kortTillMottagen: 'Upptäckarkort → mottaget av Barnkontakt',
  mottagenTillBarnsamtal: 'Mottaget → barnsamtal',
  barnsamtalTillBeslut: 'Barnsamtal → Beslut',
  beslutTillBarnteam: 'Beslut → Barnteam',
  barnteamTillIndividuelltBarnteam: 'Barnteam → Individuellt barnteam',
  individuelltBarnteamTillPlan: 'Individuellt barnteam → Barnets plan fastställd',
};

/** One organisation's row: its directory key and the label shown. */
export interface OrganisationCount {
  readonly organisation: string;
  readonly label: string;
  readonly count: number;
}

export interface LeadTime {
  readonly step: LeadTimeStep;
  /** How many cases passed this step in the term. */
  readonly count: number;
  /** Median and 90th percentile (nearest rank) in working days; absent when count is 0. */
  readonly medianWorkingDays?: number;
  readonly p90WorkingDays?: number;
}

export interface TermFigures {
  readonly term: Term;
  readonly computedAt: Instant;
  readonly upptackarkort: {
    readonly internt: number;
    readonly externt: number;
    /** Per organisation the cards came from. */
    readonly perOrganisation: readonly (OrganisationCount & {
      readonly internt: number;
      readonly externt: number;
    })[];
  };
  readonly barnsamtal: {
    readonly medBarn: number;
    readonly medVardnadshavare: number;
    readonly uppfoljningssamtal: number;
  };
  readonly barnteam: {
    readonly hallna: number;
    readonly nyupptacktaBarn: number;
    readonly gemensamBehovskompass: number;
    readonly initieradeIndividuellaBarnteam: number;
  };
  readonly individuellaBarnteam: {
    /** Teams that were active at some time in the term. */
    readonly antal: number;
    readonly medAktivtBarnetsPlan: number;
    /** Organisations taking part in the term's teams, each with the number of teams. */
    readonly delaktigaVerksamheter: readonly OrganisationCount[];
  };
  readonly behovUppfyllt: {
    readonly antalBarn: number;
    readonly medBehovskompassUppfoljning: number;
  };
  /** Orosanmälningar per organisation they came from, and how many had the Upptäckarkort attached. */
  readonly orosanmalningar: readonly (OrganisationCount & { readonly medUpptackarkort: number })[];
  readonly ledtider: readonly LeadTime[];
}

/** Cells below this are shown as "<3" (small-number suppression). */
export const suppressionThreshold = 3;
