/**
 * A term's follow-up figures from the stored per-term counts (`FigureStore`), never from case
 * documents: the figures stay the same after the cases are erased.
 *
 * Flow counts (cards, talks, decisions, lead times) are the term's own. Stock counts — teams and
 * plans active at some time in the term, and the organisations in them — are started(≤ term)
 * minus ended(< term), so they read the earlier terms' counts too, back to `firstFigureTerm`.
 */

import type { Directory } from '../kernel/directory.js';
import type { Clock, FigureCount, FigureStore } from '../kernel/ports.js';
import { reporterOrganisationLabels } from '../kernel/records/discovery.js';
import { type FigureMetric, leadTimeMetric, termKey } from './figure-events.js';
import {
  type LeadTime,
  leadTimeSteps,
  type OrganisationCount,
  type Term,
  type TermFigures,
} from './term-figures.js';

/** The first term the product counted; stock figures read no term before it. */
export const firstFigureTerm: Term = { season: 'vt', year: 2024 };

/** What the stock figures read from the earlier terms. */
const stockMetrics: readonly FigureMetric[] = [
  'individuelltBarnteam.startat',
  'individuelltBarnteam.avslutat',
  'individuelltBarnteam.verksamhetStartad',
  'individuelltBarnteam.verksamhetAvslutad',
  'barnetsPlan.faststalld',
  'barnetsPlan.avslutad',
];

export interface FigureDependencies {
  readonly stores: { readonly figures?: FigureStore };
  readonly directory: Directory;
  readonly clock: Clock;
}

export async function computeTermFigures(deps: FigureDependencies, term: Term): Promise<TermFigures> {
  const figures = deps.stores.figures;
  const own = figures === undefined ? [] : await figures.termCounts(termKey(term));
  const earlier: FigureCount[] = [];
  if (figures !== undefined) {
    for (let cursor = firstFigureTerm; compareTerms(cursor, term) < 0; cursor = nextTerm(cursor)) {
      earlier.push(...(await figures.termCounts(termKey(cursor), stockMetrics)));
    }
  }
  const total = (metric: FigureMetric, counts: readonly FigureCount[] = own): number =>
    counts.filter((row) => row.metric === metric).reduce((sum, row) => sum + row.count, 0);
  const byOrganisation = (
    metric: FigureMetric,
    counts: readonly FigureCount[] = own,
  ): Map<string, number> => {
    const result = new Map<string, number>();
    for (const row of counts) {
      if (row.metric === metric)
        result.set(row.organisation, (result.get(row.organisation) ?? 0) + row.count);
    }
    return result;
  };
  const label = (organisation: string): string => labelOf(deps.directory, organisation);

  const internt = byOrganisation('upptackarkort.internt');
  const externt = byOrganisation('upptackarkort.externt');
  const cardOrganisations = new Set([...internt.keys(), ...externt.keys()]);
  const perOrganisation = sortRows(
    [...cardOrganisations].map((organisation) => {
      const inside = internt.get(organisation) ?? 0;
      const outside = externt.get(organisation) ?? 0;
      return {
        organisation,
        label: label(organisation),
        count: inside + outside,
        internt: inside,
        externt: outside,
      };
    }),
  );

  const all = [...earlier, ...own];
  const activeTeams =
    total('individuelltBarnteam.startat', all) - total('individuelltBarnteam.avslutat', earlier);
  const activePlans = total('barnetsPlan.faststalld', all) - total('barnetsPlan.avslutad', earlier);
  const started = byOrganisation('individuelltBarnteam.verksamhetStartad', all);
  const ended = byOrganisation('individuelltBarnteam.verksamhetAvslutad', earlier);
  const delaktigaVerksamheter = sortRows(
    [...started]
      .map(([organisation, count]) => ({
        organisation,
        label: label(organisation),
        count: count - (ended.get(organisation) ?? 0),
      }))
      .filter((row) => row.count > 0),
  );

  const reports = byOrganisation('orosanmalan.antal');
  const withCard = byOrganisation('orosanmalan.medUpptackarkort');
  const orosanmalningar = sortRows(
    [...reports].map(([organisation, count]) => ({
      organisation,
      label: label(organisation),
      count,
      medUpptackarkort: withCard.get(organisation) ?? 0,
    })),
  );

  const ledtider = leadTimeSteps.map((step): LeadTime => {
    const days = own
      .filter((row) => row.metric === leadTimeMetric(step) && row.workingDays !== undefined)
      .map((row) => ({ days: row.workingDays as number, count: row.count }));
    return { step, ...summariseWorkingDays(days) };
  });

  return {
    term,
    computedAt: deps.clock.now().toISOString(),
    upptackarkort: {
      internt: total('upptackarkort.internt'),
      externt: total('upptackarkort.externt'),
      perOrganisation,
    },
    barnsamtal: {
      medBarn: total('barnsamtal.medBarn'),
      medVardnadshavare: total('barnsamtal.medVardnadshavare'),
      uppfoljningssamtal: total('barnsamtal.uppfoljningssamtal'),
    },
    barnteam: {
      hallna: total('barnteam.hallna'),
      nyupptacktaBarn: total('barnteam.nyupptacktaBarn'),
      gemensamBehovskompass: total('barnteam.gemensamBehovskompass'),
      initieradeIndividuellaBarnteam: total('barnteam.initieradeIndividuellaBarnteam'),
    },
    individuellaBarnteam: { antal: activeTeams, medAktivtBarnetsPlan: activePlans, delaktigaVerksamheter },
    behovUppfyllt: {
      antalBarn: total('behovUppfyllt.antalBarn'),
      medBehovskompassUppfoljning: total('behovUppfyllt.medBehovskompassUppfoljning'),
    },
    orosanmalningar,
    ledtider,
  };
}

/**
 * Count, median and 90th percentile (nearest rank) of a histogram of whole working days. An even
 * count's median is the mean of the two middle values.
 */
export function summariseWorkingDays(
  histogram: readonly { readonly days: number; readonly count: number }[],
): Omit<LeadTime, 'step'> {
  const sorted = [...histogram].filter((bucket) => bucket.count > 0).sort((a, b) => a.days - b.days);
  const count = sorted.reduce((sum, bucket) => sum + bucket.count, 0);
  if (count === 0) return { count: 0 };
  const nth = (rank: number): number => {
    let seen = 0;
    for (const bucket of sorted) {
      seen += bucket.count;
      if (seen >= rank) return bucket.days;
    }
    return (sorted.at(-1) as { days: number }).days;
  };
  const median = count % 2 === 1 ? nth((count + 1) / 2) : (nth(count / 2) + nth(count / 2 + 1)) / 2;
  return { count, medianWorkingDays: median, p90WorkingDays: nth(Math.ceil(0.9 * count)) };
}

function labelOf(directory: Directory, organisation: string): string {
  const unit = directory.units.find((candidate) => candidate.id === organisation);
  if (unit !== undefined) return unit.name;
  return (reporterOrganisationLabels as Readonly<Record<string, string>>)[organisation] ?? organisation;
}

function sortRows<T extends OrganisationCount>(rows: T[]): T[] {
  return rows.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'sv'));
}

function compareTerms(a: Term, b: Term): number {
  return a.year !== b.year ? a.year - b.year : a.season === b.season ? 0 : a.season === 'vt' ? -1 : 1;
}

function nextTerm(term: Term): Term {
  return term.season === 'vt' ? { season: 'ht', year: term.year } : { season: 'vt', year: term.year + 1 };
}
