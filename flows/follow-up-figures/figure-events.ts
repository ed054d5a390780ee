/**
 * The anonymous facts a case has given the follow-up figures, derived from the case as it is
 * after a change. Each fact has a key that is the same however often it is derived (the card's
 * draft id, the talk's id, "the first Beslut to Barnteam"), so that a write only adds the facts
 * that are new (`Case.figureKeys` keeps the keys already given), and a fact keeps the term it
 * happened in even when the case changes later.
 *
 * An event holds a term, a metric, an organisation key (a directory unit id or a reporter
 * organisation such as `polis`) and, for a lead time, whole working days: never a name, an
 * identity number or a case reference. The stored id is a keyed hash of case id and key
 * (`figure-recording-cases.ts`), so the figures survive the case's erasure and cannot be traced
 * back to it.
 *
 * Stock figures (teams and plans active in a term) are given as a start and an end event, so a
 * term's stock is started(≤ term) − ended(< term) without reading any case.
 */
import type { Case, Instant } from '../kernel/case.js';
import { toStockholmDate } from '../kernel/stockholm-date.js';
import { isWorkingDay } from '../kernel/working-time.js';
import type { LeadTimeStep, Term } from './term-figures.js';

export const figureMetrics = [
  'upptackarkort.internt',
  'upptackarkort.externt',
  'barnsamtal.medBarn',
  'barnsamtal.medVardnadshavare',
  'barnsamtal.uppfoljningssamtal',
  'barnteam.hallna',
  'barnteam.nyupptacktaBarn',
  'barnteam.gemensamBehovskompass',
  'barnteam.initieradeIndividuellaBarnteam',
  'individuelltBarnteam.startat',
  'individuelltBarnteam.avslutat',
  'individuelltBarnteam.verksamhetStartad',
  'individuelltBarnteam.verksamhetAvslutad',
  'barnetsPlan.faststalld',
  'barnetsPlan.avslutad',
  'behovUppfyllt.antalBarn',
  'behovUppfyllt.medBehovskompassUppfoljning',
  'orosanmalan.antal',
  'orosanmalan.medUpptackarkort',
  'ledtid.kortTillMottagen',
  'ledtid.mottagenTillBarnsamtal',
  'ledtid.barnsamtalTillBeslut',
  'ledtid.beslutTillBarnteam',
  'ledtid.barnteamTillIndividuelltBarnteam',
  'ledtid.individuelltBarnteamTillPlan',
] as const;
export type FigureMetric = (typeof figureMetrics)[number];

export function leadTimeMetric(step: LeadTimeStep): FigureMetric {
  return `ledtid.${step}`;
}

/** A fact of one case, before its id is hashed. */
export interface CaseFigureFact {
  /** Deterministic per case fact; `sharedKey` facts (a meeting held) are the same across cases. */
  readonly key: string;
  /** Set for a fact that belongs to something several cases share (a Barnteam meeting held). */
  readonly shared?: boolean;
  readonly term: Term;
  readonly metric: FigureMetric;
  /** Directory unit id or reporter organisation key; '' where the table has no organisations. */
  readonly organisation: string;
  /** For a lead time: whole working days between the two steps. */
  readonly workingDays?: number;
}

/** The term a Stockholm calendar date or instant falls in. */
export function termOfDate(dateOrInstant: string): Term {
  const date = dateOrInstant.length === 10 ? dateOrInstant : toStockholmDate(new Date(dateOrInstant));
  const month = Number(date.slice(5, 7));
  return { season: month <= 6 ? 'vt' : 'ht', year: Number(date.slice(0, 4)) };
}

/** "2026vt": the term as a partition key and a sort key (vt before ht in a year). */
export function termKey(term: Term): string {
  return `${term.year}${term.season}`;
}

/**
 * Working days after the earlier step up to and including the later one's date: a card filed
 * on a Friday and taken the Monday after is 1, taken the same day 0. Holidays and weekends
 * never count.
 */
export function workingDaysBetween(from: string, to: string): number {
  const start = from.length === 10 ? from : toStockholmDate(new Date(from));
  const end = to.length === 10 ? to : toStockholmDate(new Date(to));
  let count = 0;
  const cursor = new Date(`${start}T12:00:00Z`);
  const last = Date.parse(`${end}T12:00:00Z`);
  while (cursor.getTime() < last) {
    cursor.setUTCDate(cursor.getUTCDate() + 1);
    if (isWorkingDay(cursor.toISOString().slice(0, 10))) count += 1;
  }
  return count;
}

const leftTeamStates = new Set(['behovUppfyllt', 'avslutad', 'samtyckeAterkallat', 'samtal', 'orosanmalan']);

/** Every fact the case holds now, each once. */
export function listCaseFigureFacts(caseValue: Case): CaseFigureFact[] {
  const facts: CaseFigureFact[] = [];
  const unit = caseValue.unitId;
  const add = (fact: Omit<CaseFigureFact, 'term'>, at: string): void => {
    facts.push({ ...fact, term: termOfDate(at) });
  };
  const lead = (step: LeadTimeStep, from: string | undefined, to: string | undefined): void => {
    if (from === undefined || to === undefined) return;
    add(
      {
        key: `ledtid:${step}`,
        metric: leadTimeMetric(step),
        organisation: unit,
        workingDays: workingDaysBetween(from, to),
      },
      to,
    );
  };
  const chronology = caseValue.chronology;
  const firstEvent = (event: string): Instant | undefined =>
    chronology.find((entry) => entry.event === event)?.at;

  for (const discovery of [caseValue.discovery, ...(caseValue.addedDiscoveries ?? [])]) {
    if (discovery === undefined) continue;
    add(
      {
        key: `kort:${discovery.draftId}`,
        metric: discovery.external ? 'upptackarkort.externt' : 'upptackarkort.internt',
        organisation: unit,
      },
      discovery.filedAt,
    );
  }

  for (const talk of caseValue.samtal ?? []) {
    if (talk.kind === 'uppfoljningssamtal') {
      add(
        { key: `samtal:${talk.id}`, metric: 'barnsamtal.uppfoljningssamtal', organisation: unit },
        talk.heldOn,
      );
      continue;
    }
    if (talk.perspectives.barnet !== undefined) {
      add({ key: `samtal:${talk.id}:barnet`, metric: 'barnsamtal.medBarn', organisation: unit }, talk.heldOn);
    }
    if (talk.perspectives.vardnadshavare !== undefined) {
      add(
        {
          key: `samtal:${talk.id}:vardnadshavare`,
          metric: 'barnsamtal.medVardnadshavare',
          organisation: unit,
        },
        talk.heldOn,
      );
    }
  }

  const beslutBarnteam = (caseValue.beslut ?? []).find((beslut) => beslut.decision === 'barnteam')?.decidedAt;
  if (beslutBarnteam !== undefined) {
    add(
      { key: 'barnteam:nyupptackt', metric: 'barnteam.nyupptacktaBarn', organisation: unit },
      beslutBarnteam,
    );
  }
  const outcomes = [...(caseValue.barnteamUtfall ?? [])].sort((a, b) => a.at.localeCompare(b.at));
  for (const outcome of outcomes) {
    add(
      { key: `motesutfall:${outcome.meetingId}`, shared: true, metric: 'barnteam.hallna', organisation: '' },
      outcome.at,
    );
    const rated = (caseValue.skattningar ?? []).some((answer) => answer.meetingId === outcome.meetingId);
    if (rated) {
      add(
        {
          key: `gemensam:${outcome.meetingId}`,
          metric: 'barnteam.gemensamBehovskompass',
          organisation: unit,
        },
        outcome.at,
      );
    }
  }

  const taken = firstEvent('taEmot');
  const firstTalk = (caseValue.samtal ?? [])
    .filter((talk) => talk.kind === 'barnsamtal')
    .map((talk) => talk.heldOn)
    .sort()[0];
  const firstBeslut = (caseValue.beslut ?? []).map((beslut) => beslut.decidedAt).sort()[0];
  lead('kortTillMottagen', caseValue.discovery?.filedAt, taken);
  lead('mottagenTillBarnsamtal', taken, firstTalk);
  lead('barnsamtalTillBeslut', firstTalk, firstBeslut);
  lead('beslutTillBarnteam', beslutBarnteam, outcomes[0]?.at);

  const team = caseValue.individuelltBarnteam;
  if (team !== undefined) {
    add({ key: 'ibt:startat', metric: 'individuelltBarnteam.startat', organisation: unit }, team.startedAt);
    if (team.via === 'barnteam') {
      add(
        { key: 'ibt:initierat', metric: 'barnteam.initieradeIndividuellaBarnteam', organisation: unit },
        team.startedAt,
      );
      lead('barnteamTillIndividuelltBarnteam', outcomes[0]?.at, team.startedAt);
    }
    const teamEnd = chronology.find(
      (entry) =>
        entry.at >= team.startedAt &&
        entry.to !== undefined &&
        leftTeamStates.has(entry.to) &&
        (entry.from === 'individuelltBarnteam' || entry.from === 'planAktiv'),
    )?.at;
    const organisations = new Map<string, string>();
    for (const member of team.members) {
      const organisation = member.unitId ?? member.organisation;
      const since = organisations.get(organisation);
      if (since === undefined || member.since < since) organisations.set(organisation, member.since);
    }
    for (const [organisation, since] of organisations) {
      add(
        {
          key: `ibt:verksamhet:${organisation}`,
          metric: 'individuelltBarnteam.verksamhetStartad',
          organisation,
        },
        since,
      );
      if (teamEnd !== undefined) {
        add(
          {
            key: `ibt:verksamhet:${organisation}:slut`,
            metric: 'individuelltBarnteam.verksamhetAvslutad',
            organisation,
          },
          teamEnd,
        );
      }
    }
    if (teamEnd !== undefined) {
      add({ key: 'ibt:avslutat', metric: 'individuelltBarnteam.avslutat', organisation: unit }, teamEnd);
    }
    const fixed = caseValue.barnetsPlan?.faststalld?.at;
    if (fixed !== undefined) {
      add({ key: 'plan:faststalld', metric: 'barnetsPlan.faststalld', organisation: unit }, fixed);
      lead('individuelltBarnteamTillPlan', team.startedAt, fixed);
      if (teamEnd !== undefined) {
        add({ key: 'plan:avslutad', metric: 'barnetsPlan.avslutad', organisation: unit }, teamEnd);
      }
    }
  }

  const fulfilled = chronology.find((entry) => entry.to === 'behovUppfyllt')?.at;
  if (fulfilled !== undefined) {
    add({ key: 'behovUppfyllt', metric: 'behovUppfyllt.antalBarn', organisation: unit }, fulfilled);
    const followedUp = (caseValue.barnetsPlan?.compassFollowUps ?? []).some(
      (followUp) => followUp.kind === 'uppfoljning',
    );
    if (followedUp) {
      add(
        {
          key: 'behovUppfyllt:uppfoljning',
          metric: 'behovUppfyllt.medBehovskompassUppfoljning',
          organisation: unit,
        },
        fulfilled,
      );
    }
  }

  const report = caseValue.orosanmalan;
  if (report !== undefined) {
    const discovery = caseValue.discovery;
    const organisation = discovery?.external === true ? discovery.reporter.organisation : unit;
    add({ key: 'orosanmalan', metric: 'orosanmalan.antal', organisation }, report.sentAt);
    if (report.cardAttached) {
      add({ key: 'orosanmalan:kort', metric: 'orosanmalan.medUpptackarkort', organisation }, report.sentAt);
    }
  }
  return facts;
}
