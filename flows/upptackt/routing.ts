/**
 * Routing by age band: who is the child's Barnkontakt on a given day (docs/domain.md, "Who is the
 * Barnkontakt"). Pure: the decision date and the directory come in as arguments.
 *
 * Bands and their boundaries, each boundary belonging to the later band (on the day of the
 * first BVC visit the BVC-sköterska is already Barnkontakt):
 *
 * | band                 | from                                            | Barnkontakt of unit type |
 * |----------------------|-------------------------------------------------|--------------------------|
 * | `graviditetOchNyfodd`| pregnancy                                        | `bmm` (barnmorska)       |
 * | `smabarn`            | first home visit / first BVC visit               | `bvc` (BVC-sköterska)    |
 * | `forskola`           | förskola start                                   | `forskola` (rektor)      |
 * | `grundskola`         | school start (förskoleklass)                     | `grundskola` (rektor)    |
 * | `utanforBand`        | the day after the vårtermin ends in the year the child turns 16 | fallback  |
 *
 * A known enrolment fact places its boundary; an unknown one is replaced by the directory's
 * default (`routingDefaults`, and the hösttermin start of the year the child turns 6 for
 * school start) and the reason says so. A term date of a school year missing from the
 * directory comes from `termDateDefaults`, and the reason says that too.
 *
 * The card is never dropped. Whenever no Barnkontakt of the child's unit can take it, it goes
 * to the directory's fallback contact (or the fallback's first deputy who is not away), with
 * a reason that says why: no birth date, older than grundskola, unknown unit, a unit whose
 * type does not fit the band, a unit without Barnkontakt, or everyone away.
 *
 * A unit whose type does not fit the band (the child is 8 but the unit given is a förskola)
 * goes to the fallback rather than to a guessed unit of the right type: sending a child's
 * details to a unit that may not know the child is not a proportionate share, while the
 * fallback (socialtjänstens mottagning) is placed to find the right Barnkontakt.
 *
 * The reason names the child's age but no date derived from the birth date, so it can be
 * shown on the Upptäckare's card without revealing the birth date.
 */
import type { CalendarDate, RoutingOutcome } from '../kernel/case.js';
import {
  type Contact,
  type Directory,
  findContact,
  findUnit,
  isContactAway,
  type Unit,
  type UnitType,
} from '../kernel/directory.js';
import { DomainError } from '../kernel/errors.js';
import {
  addDaysToDate,
  addMonthsToDate,
  completedMonths,
  completedYears,
  daysBetween,
  yearOf,
} from '../kernel/stockholm-date.js';
import { findAutumnTermStart, findSpringTermEnd, type TermDate } from './term-dates.js';

export type RoutingBand = RoutingOutcome['band'];
export type FallbackCause = NonNullable<RoutingOutcome['fallbackCause']>;
export type DefaultedFact = NonNullable<RoutingOutcome['defaultedFacts']>[number];

/** Facts about the child's enrolment that, when known, place a band boundary exactly. */
export interface EnrolmentFacts {
  /** The date of the first home visit / first BVC visit, or only whether it has happened. */
  readonly firstBvcVisit?: CalendarDate | boolean;
  readonly forskolaStart?: CalendarDate;
  /** First day in förskoleklass, when it differs from (or confirms) the rule by age. */
  readonly schoolStart?: CalendarDate;
}

export interface RoutingInput {
  /** The birth date, or for an unborn child the due date. */
  readonly child: { readonly birthDate?: CalendarDate; readonly dueDate?: CalendarDate };
  /** The directory id of the unit the child belongs to, as given by the Upptäckare. */
  readonly unitId: string;
  readonly enrolment?: EnrolmentFacts;
  /** The Stockholm calendar date the decision is made on (see `toStockholmDate`). */
  readonly decisionDate: CalendarDate;
  readonly directory: Directory;
}

/** A routing outcome with every field the router always fills in. */
export type RoutingDecision = RoutingOutcome & {
  readonly contactDisplayName: string;
  readonly contactTitle: string;
  readonly defaultedFacts: DefaultedFact[];
};

/** The unit type whose Barnkontakt serves each band. */
export const unitTypeForBand: Readonly<Record<Exclude<RoutingBand, 'utanforBand'>, UnitType>> = {
  graviditetOchNyfodd: 'bmm',
  smabarn: 'bvc',
  forskola: 'forskola',
  grundskola: 'grundskola',
};

const unitTypeWithArticle: Readonly<Record<UnitType, string>> = {
  bmm: 'en barnmorskemottagning',
  bvc: 'en barnavårdscentral (BVC)',
  forskola: 'en förskola',
  grundskola: 'en grundskola',
  socialtjanstMottagning: 'socialtjänstens mottagning',
};

interface Assumption {
  readonly fact: DefaultedFact;
  readonly text: string;
}

interface BandFinding {
  readonly band: RoutingBand;
  /** "Barnet är 8 år och går i grundskolan". */
  readonly situation: string;
  readonly assumptions: Assumption[];
  readonly cause?: 'birthDateMissing' | 'outsideBands';
}

/**
 * Chooses the child's Barnkontakt on `decisionDate`: the band from the child's age and
 * enrolment facts, the unit's Barnkontakt or its first deputy who is not away, or else the
 * directory's fallback. Always returns a contact; the reason explains the choice in Swedish.
 */
export function routeToBarnkontakt(input: RoutingInput): RoutingDecision {
  const finding = findBand(input);
  const notes = finding.assumptions.map((assumption) => assumption.text);
  const defaultedFacts = [...new Set(finding.assumptions.map((assumption) => assumption.fact))];
  const common = { band: finding.band, defaultedFacts, decidedOn: input.decisionDate };

  if (finding.cause !== undefined) {
    const why =
      finding.cause === 'outsideBands' ? 'inget åldersband gäller' : 'åldersbandet kan inte bestämmas';
    return { ...common, ...routeToFallback(input, finding.cause, `${finding.situation}, så ${why}`, notes) };
  }

  const band = finding.band as Exclude<RoutingBand, 'utanforBand'>;
  const unit = findUnit(input.directory, input.unitId);
  if (unit === undefined) {
    const lead = `${finding.situation}, men enheten "${input.unitId}" finns inte i katalogen`;
    return { ...common, ...routeToFallback(input, 'unknownUnit', lead, notes) };
  }
  const expectedType = unitTypeForBand[band];
  if (unit.type !== expectedType) {
    const lead =
      `${finding.situation}, men ${unit.name} är ${unitTypeWithArticle[unit.type]}, ` +
      `inte ${unitTypeWithArticle[expectedType]}`;
    return { ...common, ...routeToFallback(input, 'unitTypeMismatch', lead, notes) };
  }
  if (unit.barnkontakt === undefined) {
    const lead = `${finding.situation} (${unit.name}), men enheten har ingen Barnkontakt i katalogen`;
    return { ...common, ...routeToFallback(input, 'noBarnkontakt', lead, notes) };
  }

  const pick = pickAvailable(input.directory, unit.barnkontakt, unit.deputies, input.decisionDate);
  if (pick.chosen === undefined) {
    const lead = `${finding.situation} (${unit.name}), men Barnkontakten och alla ersättare är frånvarande`;
    return { ...common, ...routeToFallback(input, 'allAway', lead, notes) };
  }
  const main = requireContact(input.directory, unit.barnkontakt);
  const handover = pick.viaDeputy
    ? `Barnkontakt är ${describe(main)}, som är frånvarande; kortet går till ersättaren ${describe(pick.chosen)}.`
    : `Barnkontakt är ${describe(pick.chosen)}.`;
  return {
    ...common,
    ...chosenContact(unit, pick.chosen),
    viaDeputy: pick.viaDeputy,
    viaFallback: false,
    reason: joinSentences(`${finding.situation} (${unit.name}): ${handover}`, notes),
  };
}

function findBand(input: RoutingInput): BandFinding {
  const { directory, decisionDate: today } = input;
  const assumptions: Assumption[] = [];
  let birthDate = input.child.birthDate;

  if (birthDate === undefined) {
    const dueDate = input.child.dueDate;
    if (dueDate === undefined) {
      return {
        band: 'utanforBand',
        situation: 'Födelsedatum saknas',
        assumptions,
        cause: 'birthDateMissing',
      };
    }
    if (today < dueDate) {
      return { band: 'graviditetOchNyfodd', situation: 'Barnet är ännu inte fött', assumptions };
    }
    // Past the due date without a recorded birth: the due date is the best estimate.
    birthDate = dueDate;
    assumptions.push({
      fact: 'birthDate',
      text: 'Födelsedatum saknas; det beräknade förlossningsdatumet användes.',
    });
  }
  if (today < birthDate) {
    return { band: 'graviditetOchNyfodd', situation: 'Barnet är ännu inte fött', assumptions };
  }

  const age = describeAge(birthDate, today);
  const enrolment = input.enrolment ?? {};
  const defaults = directory.routingDefaults;

  const leaving = findSpringTermEnd(directory, yearOf(birthDate) + 16);
  if (today > leaving.date) {
    pushTermAssumption(assumptions, leaving, 'vårterminens slut');
    return {
      band: 'utanforBand',
      situation: `Barnet är ${age} och har lämnat grundskolan`,
      assumptions,
      cause: 'outsideBands',
    };
  }

  const schoolStartByAge = findAutumnTermStart(directory, yearOf(birthDate) + 6);
  const schoolStart = enrolment.schoolStart ?? schoolStartByAge.date;
  const schoolAssumptions: Assumption[] = [];
  if (enrolment.schoolStart === undefined) {
    const tense = today >= schoolStart ? 'antogs' : 'antas';
    schoolAssumptions.push({
      fact: 'schoolStart',
      text:
        `Skolstart ${tense} enligt ålder eftersom inskolningsdatum saknas ` +
        `(höstterminens start det år barnet fyller 6 år, ${schoolStart}).`,
    });
    pushTermAssumption(schoolAssumptions, schoolStartByAge, 'höstterminens start');
  }
  if (today >= schoolStart) {
    assumptions.push(...schoolAssumptions);
    if (isWithinAYear(today, leaving.date)) {
      pushTermAssumption(assumptions, leaving, 'vårterminens slut');
    }
    return { band: 'grundskola', situation: `Barnet är ${age} och går i grundskolan`, assumptions };
  }

  const forskolaStart =
    enrolment.forskolaStart ?? addMonthsToDate(birthDate, defaults.forskolaStartAtAgeMonths);
  const forskolaAssumption: Assumption[] =
    enrolment.forskolaStart === undefined
      ? [
          {
            fact: 'forskolaStart',
            text: `Förskolestart saknas; den ${today >= forskolaStart ? 'antogs' : 'antas'} ske vid ${defaults.forskolaStartAtAgeMonths} månaders ålder.`,
          },
        ]
      : [];
  if (today >= forskolaStart) {
    assumptions.push(...forskolaAssumption);
    if (isWithinAYear(today, schoolStart)) {
      assumptions.push(...schoolAssumptions);
    }
    return { band: 'forskola', situation: `Barnet är ${age} och går i förskolan`, assumptions };
  }

  const visit = enrolment.firstBvcVisit;
  const bvcVisitDone =
    visit === undefined
      ? today >= addDaysToDate(birthDate, defaults.firstBvcVisitAtAgeDays)
      : typeof visit === 'boolean'
        ? visit
        : today >= visit;
  const bvcAssumption: Assumption[] =
    visit === undefined
      ? [
          {
            fact: 'firstBvcVisit',
            text: `Uppgift om första BVC-besöket saknas; det ${bvcVisitDone ? 'antogs' : 'antas'} ske vid ${defaults.firstBvcVisitAtAgeDays} dagars ålder.`,
          },
        ]
      : [];
  assumptions.push(...bvcAssumption);
  if (bvcVisitDone) {
    if (isWithinAYear(today, forskolaStart)) {
      assumptions.push(...forskolaAssumption);
    }
    return { band: 'smabarn', situation: `Barnet är ${age} och har ännu inte börjat förskolan`, assumptions };
  }
  return {
    band: 'graviditetOchNyfodd',
    situation: `Barnet är ${age} och har ännu inte varit på sitt första BVC-besök`,
    assumptions,
  };
}

/**
 * The boundary that ends the current band is mentioned only when it is near: a school start
 * five years ahead says nothing about today's Barnkontakt.
 */
function isWithinAYear(today: CalendarDate, boundary: CalendarDate): boolean {
  return daysBetween(today, boundary) <= 365;
}

function pushTermAssumption(assumptions: Assumption[], term: TermDate, what: string): void {
  if (term.assumedBy !== undefined) {
    assumptions.push({
      fact: 'termDates',
      text:
        `Terminsdatum för läsåret ${term.schoolYear} saknas i katalogen; ` +
        `${what} antogs vara ${term.assumedBy} (${term.date}).`,
    });
  }
}

function describeAge(birthDate: CalendarDate, today: CalendarDate): string {
  const years = completedYears(birthDate, today);
  if (years >= 1) {
    return `${years} år`;
  }
  const months = completedMonths(birthDate, today);
  if (months >= 1) {
    return months === 1 ? '1 månad' : `${months} månader`;
  }
  const days = daysBetween(birthDate, today);
  return days === 1 ? '1 dag' : `${days} dagar`;
}

function pickAvailable(
  directory: Directory,
  mainId: string,
  deputyIds: readonly string[],
  on: CalendarDate,
): { chosen?: Contact; viaDeputy: boolean } {
  const main = requireContact(directory, mainId);
  if (!isContactAway(main, on)) {
    return { chosen: main, viaDeputy: false };
  }
  const deputy = deputyIds
    .map((id) => requireContact(directory, id))
    .find((contact) => !isContactAway(contact, on));
  return deputy === undefined ? { viaDeputy: true } : { chosen: deputy, viaDeputy: true };
}

function routeToFallback(
  input: RoutingInput,
  cause: FallbackCause,
  lead: string,
  notes: string[],
): Omit<RoutingDecision, 'band' | 'defaultedFacts' | 'decidedOn'> {
  const { directory, decisionDate } = input;
  const { fallback } = directory;
  // ZDirectory guarantees the fallback unit and contacts exist.
  const unit = findUnit(directory, fallback.unit) as Unit;
  const pick = pickAvailable(directory, fallback.contact, fallback.deputies, decisionDate);
  const main = requireContact(directory, fallback.contact);
  let handover: string;
  if (pick.chosen === undefined) {
    // The fallback is the last resort: it gets the card even when marked away, so that the
    // card waits in a known place instead of vanishing.
    handover = `kortet går till kommunens reservkontakt, ${describe(main)} (${unit.name}), trots att hen är markerad som frånvarande.`;
  } else if (pick.viaDeputy) {
    handover = `kortet går till kommunens reservkontakt; ${describe(main)} är frånvarande, så ersättaren ${describe(pick.chosen)} (${unit.name}) får det.`;
  } else {
    handover = `kortet går till kommunens reservkontakt, ${describe(main)} (${unit.name}).`;
  }
  return {
    ...chosenContact(unit, pick.chosen ?? main),
    viaDeputy: pick.chosen !== undefined && pick.viaDeputy,
    viaFallback: true,
    fallbackCause: cause,
    reason: joinSentences(`${lead}: ${handover}`, notes),
  };
}

function chosenContact(unit: Unit, contact: Contact) {
  return {
    unitId: unit.id,
    contactUserId: contact.aadObjectId,
    contactDisplayName: contact.displayName,
    contactTitle: contact.title,
  };
}

function requireContact(directory: Directory, id: string): Contact {
  const contact = findContact(directory, id);
  if (contact === undefined) {
    // ZDirectory rejects dangling references, so this is a directory built without it.
    throw new DomainError(
      'routingImpossible',
      `Katalogen saknar kontakten ${id}; läs in katalogen genom ZDirectory`,
    );
  }
  return contact;
}

/** "rektor Maria Lind": a title such as "BVC-sköterska" keeps its capitals. */
function describe(contact: Contact): string {
  const { title } = contact;
  const lowered = /^[A-ZÅÄÖ][a-zåäö]/.test(title) ? title.charAt(0).toLowerCase() + title.slice(1) : title;
  return `${lowered} ${contact.displayName}`;
}

function joinSentences(first: string, notes: string[]): string {
  return [first, ...notes].join(' ');
}
