/**
 * Routing by age band: who is the child's Barnkontakt on a given day (docs/domain.md, "Routing
 * to the Barnkontakt"). Pure: the decision date and the directory come in as arguments.
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
 * A child who does not go to förskola stays with the BVC-sköterska until school starts.
 *
 * A known enrolment fact places its boundary; only a fact that is unknown is replaced by the
 * directory's default (`routingDefaults`, and the hösttermin start of the year the child turns
 * 6 for school start), and a term date of a school year missing from the directory comes from
 * `termDateDefaults`. The reason names an assumption only when it decided this routing: a
 * default boundary more than a year away from the decision date (a school start ten years ago,
 * a first BVC visit assumed at 14 days for a two-year-old) would give the same Barnkontakt had
 * it been weeks earlier or later, so it is left out of the reason and of `defaultedFacts`. The
 * förskola default is the exception once the child is past its age: whether the child goes
 * to förskola at all decides between the BVC and the förskola at any age until school.
 *
 * The unit on the card need not be of the band's type (a BVC nurse files about a four-day-old,
 * a förskola about a child on the first day of förskoleklass). Then the card goes to the unit
 * of the band's type that the directory names for that unit (`handsOverTo`, followed both
 * ways), or to the only unit of that type in the directory, and the reason says so. When the
 * directory cannot tell, nothing is routed: the answer asks the Upptäckare to choose the
 * band's unit, naming the choices. Guessing would send a child's details to a unit that may
 * not know the child, which is not a proportionate share.
 *
 * The fallback contact (or the fallback's first deputy who is not away) gets what no one can
 * route, with a reason that says why: no birth date, older than grundskola, unknown unit, no
 * unit of the band's type in the directory, a unit without Barnkontakt, or everyone away.
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
  unitTypesByAge,
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
type ChildBand = Exclude<RoutingBand, 'utanforBand'>;

/** Facts about the child's enrolment that, when known, place a band boundary exactly. */
export interface EnrolmentFacts {
  /** The date of the first home visit / first BVC visit, or only whether it has happened. */
  readonly firstBvcVisit?: CalendarDate | boolean;
  /** Whether the child goes to förskola today, when the start date is not known. */
  readonly attendsForskola?: boolean;
  /** The first day in förskola (past or planned); it wins over `attendsForskola`. */
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

/** The card named a unit of another age band and the directory cannot tell the band's unit. */
export interface UnitChoiceRequest {
  readonly band: ChildBand;
  readonly unitType: UnitType;
  /** The directory's units of that type, by name. */
  readonly choices: readonly { readonly id: string; readonly name: string }[];
  /** For the card's unit field: why another unit is needed, and the choices by name. */
  readonly message: string;
}

export type RoutingAnswer =
  | { readonly kind: 'routed'; readonly decision: RoutingDecision }
  | { readonly kind: 'chooseUnit'; readonly request: UnitChoiceRequest };

/** A field message on a card holds at most this many characters (`cards/upptackt/upptackarkort.ts`). */
export const unitChoiceMessageMaxLength = 500;

/** The unit type whose Barnkontakt serves each band. */
export const unitTypeForBand: Readonly<Record<ChildBand, UnitType>> = {
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

const unitTypeDefinite: Readonly<Record<UnitType, string>> = {
  bmm: 'barnmorskemottagningen',
  bvc: 'barnavårdscentralen (BVC)',
  forskola: 'förskolan',
  grundskola: 'grundskolan',
  socialtjanstMottagning: 'socialtjänstens mottagning',
};

const barnkontaktOfBand: Readonly<Record<ChildBand, string>> = {
  graviditetOchNyfodd: 'barnmorskan',
  smabarn: 'BVC-sköterskan',
  forskola: 'rektor på barnets förskola',
  grundskola: 'rektor på barnets skola',
};

const chooseUnitOfBand: Readonly<Record<ChildBand, string>> = {
  graviditetOchNyfodd: 'Välj barnmorskemottagning',
  smabarn: 'Välj barnets BVC',
  forskola: 'Välj barnets förskola',
  grundskola: 'Välj barnets skola',
};

/**
 * What the Upptäckare can answer on the card when the boundary between the band and the unit
 * they chose rests on a default: the later band first, then the earlier.
 */
const answerThatMovesBoundary: Readonly<
  Record<Exclude<DefaultedFact, 'birthDate' | 'termDates'>, { later: string; earlier: string }>
> = {
  firstBvcVisit: {
    later: 'Har barnet redan varit på sitt första BVC-besök, svara Ja på den frågan nedan.',
    earlier: 'Har barnet ännu inte varit på sitt första BVC-besök, svara Nej på den frågan nedan.',
  },
  forskolaStart: {
    later: 'Går barnet redan i förskola, svara Ja på frågan om förskola nedan.',
    earlier: 'Går barnet inte i förskola, svara Nej på frågan om förskola nedan.',
  },
  schoolStart: {
    later: 'Har barnet redan börjat förskoleklass, ange skolstarten nedan.',
    earlier: 'Har barnet inte börjat förskoleklass än, ange när barnet börjar skolan nedan.',
  },
};

/** The fact whose boundary lies just after each band. */
const boundaryAfterBand: Readonly<Partial<Record<ChildBand, keyof typeof answerThatMovesBoundary>>> = {
  graviditetOchNyfodd: 'firstBvcVisit',
  smabarn: 'forskolaStart',
  forskola: 'schoolStart',
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
 * enrolment facts, the band's unit (the one on the card, or the one the directory names for
 * it), its Barnkontakt or first deputy who is not away, or else the directory's fallback. The
 * reason explains the choice in Swedish. Asks for the unit instead (`chooseUnit`) when the
 * card names a unit of another band and the directory cannot tell the band's unit.
 */
export function routeToBarnkontakt(input: RoutingInput): RoutingAnswer {
  const finding = findBand(input);
  const notes = finding.assumptions.map((assumption) => assumption.text);
  const defaultedFacts = [...new Set(finding.assumptions.map((assumption) => assumption.fact))];
  const common = { band: finding.band, defaultedFacts, decidedOn: input.decisionDate };
  const routed = (decision: Omit<RoutingDecision, keyof typeof common>): RoutingAnswer => ({
    kind: 'routed',
    decision: { ...common, ...decision },
  });

  if (finding.cause !== undefined) {
    const why =
      finding.cause === 'outsideBands' ? 'inget åldersband gäller' : 'åldersbandet kan inte bestämmas';
    return routed(routeToFallback(input, finding.cause, `${finding.situation}, så ${why}`, notes));
  }

  const band = finding.band as ChildBand;
  const named = findUnit(input.directory, input.unitId);
  if (named === undefined) {
    const lead = `${finding.situation}, men enheten "${input.unitId}" finns inte i katalogen`;
    return routed(routeToFallback(input, 'unknownUnit', lead, notes));
  }
  const expectedType = unitTypeForBand[band];
  let unit = named;
  const unitNotes = [...notes];
  if (named.type !== expectedType) {
    const found = findUnitOfBand(input.directory, named, expectedType);
    if (found.kind === 'none') {
      const lead =
        `${finding.situation}, men ${named.name} är ${unitTypeWithArticle[named.type]}, ` +
        `och katalogen har ingen ${unitTypeWithArticle[expectedType].replace(/^en /, '')}`;
      return routed(routeToFallback(input, 'unitTypeMismatch', lead, notes));
    }
    if (found.kind === 'ambiguous') {
      return { kind: 'chooseUnit', request: askForUnit(finding, band, named, found.candidates) };
    }
    unit = found.unit;
    unitNotes.unshift(found.why);
  }
  if (unit.barnkontakt === undefined) {
    const lead = `${finding.situation} (${unit.name}), men enheten har ingen Barnkontakt i katalogen`;
    return routed(routeToFallback(input, 'noBarnkontakt', lead, unitNotes));
  }

  const pick = pickAvailable(input.directory, unit.barnkontakt, unit.deputies, input.decisionDate);
  if (pick.chosen === undefined) {
    const lead = `${finding.situation} (${unit.name}), men Barnkontakten och alla ersättare är frånvarande`;
    return routed(routeToFallback(input, 'allAway', lead, unitNotes));
  }
  const main = requireContact(input.directory, unit.barnkontakt);
  const handover = pick.viaDeputy
    ? `Barnkontakt är ${describe(main)}, som är frånvarande; kortet går till ersättaren ${describe(pick.chosen)}.`
    : `Barnkontakt är ${describe(pick.chosen)}.`;
  return routed({
    ...chosenContact(unit, pick.chosen),
    viaDeputy: pick.viaDeputy,
    viaFallback: false,
    reason: joinSentences(`${finding.situation} (${unit.name}): ${handover}`, unitNotes),
  });
}

type UnitOfBand =
  | { readonly kind: 'found'; readonly unit: Unit; readonly why: string }
  | { readonly kind: 'ambiguous'; readonly candidates: readonly Unit[] }
  | { readonly kind: 'none' };

/**
 * The unit of `type` the directory names for the unit on the card: the one it hands over to or
 * takes over from, else the only one of that type. Several linked, or several of the type
 * and none linked, is ambiguous.
 */
function findUnitOfBand(directory: Directory, named: Unit, type: UnitType): UnitOfBand {
  const ofType = directory.units.filter((unit) => unit.type === type);
  const handedTo = ofType.filter((unit) => named.handsOverTo.includes(unit.id));
  const takenFrom = ofType.filter((unit) => unit.handsOverTo.includes(named.id));
  const linked = [...handedTo, ...takenFrom];
  const [handedToOne] = handedTo;
  const [takenFromOne] = takenFrom;
  if (linked.length === 1 && handedToOne !== undefined) {
    return {
      kind: 'found',
      unit: handedToOne,
      why: `Kortet angav ${named.name}, som enligt katalogen lämnar över barnen till ${handedToOne.name}.`,
    };
  }
  if (linked.length === 1 && takenFromOne !== undefined) {
    return {
      kind: 'found',
      unit: takenFromOne,
      why: `Kortet angav ${named.name}, som enligt katalogen tar över barnen från ${takenFromOne.name}.`,
    };
  }
  const [onlyOne] = ofType;
  if (ofType.length === 1 && onlyOne !== undefined) {
    return {
      kind: 'found',
      unit: onlyOne,
      why: `Kortet angav ${named.name}; ${onlyOne.name} är den enda ${unitTypeDefinite[type]} i katalogen.`,
    };
  }
  return ofType.length === 0 ? { kind: 'none' } : { kind: 'ambiguous', candidates: ofType };
}

/**
 * "Barnet är 8 år och går i grundskolan, så Barnkontakten är rektor på barnets skola. Lärkans
 * förskola är en förskola. Välj barnets skola: Björkskolan eller Ekens skola." When the
 * boundary between the two bands rests on a default, the message also says which answer on
 * the card would make the chosen unit the right one.
 */
function askForUnit(
  finding: BandFinding,
  band: ChildBand,
  named: Unit,
  candidates: readonly Unit[],
): UnitChoiceRequest {
  const choices = [...candidates]
    .sort((a, b) => a.name.localeCompare(b.name, 'sv'))
    .map((unit) => ({ id: unit.id, name: unit.name }));
  const lead =
    `${finding.situation}, så Barnkontakten är ${barnkontaktOfBand[band]}. ` +
    `${named.name} är ${unitTypeWithArticle[named.type]}. ${chooseUnitOfBand[band]}: `;
  const hint = describeAnswerThatMovesBoundary(finding, band, named.type);
  const tail = hint === undefined ? '.' : `. ${hint}`;
  const names = listNamesWithin(
    choices.map((choice) => choice.name),
    unitChoiceMessageMaxLength - lead.length - tail.length,
  );
  return { band, unitType: unitTypeForBand[band], choices, message: `${lead}${names}${tail}` };
}

function describeAnswerThatMovesBoundary(
  finding: BandFinding,
  band: ChildBand,
  namedType: UnitType,
): string | undefined {
  const bandAge = unitTypesByAge.indexOf(unitTypeForBand[band]);
  const namedAge = unitTypesByAge.indexOf(namedType);
  if (namedAge < 0) return undefined;
  const bands = Object.keys(unitTypeForBand) as ChildBand[];
  const boundaryBand = namedAge > bandAge ? band : bands[bandAge - 1];
  const fact = boundaryBand === undefined ? undefined : boundaryAfterBand[boundaryBand];
  if (fact === undefined || !finding.assumptions.some((assumption) => assumption.fact === fact)) {
    return undefined;
  }
  return namedAge > bandAge ? answerThatMovesBoundary[fact].later : answerThatMovesBoundary[fact].earlier;
}

/** "A, B eller C"; when that does not fit, the first names and how many more are in the list. */
function listNamesWithin(names: readonly string[], room: number): string {
  for (let shown = names.length; shown >= 1; shown -= 1) {
    const text =
      shown === names.length
        ? joinWithOr(names)
        : `${names.slice(0, shown).join(', ')} eller någon av de ${names.length - shown} andra i listan`;
    if (text.length <= room) return text;
  }
  return `någon av de ${names.length} i listan`;
}

function joinWithOr(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} eller ${names.at(-1)}`;
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

  const child = `Barnet är ${describeAge(birthDate, today)}`;
  const enrolment = input.enrolment ?? {};
  const defaults = directory.routingDefaults;

  const leaving = findSpringTermEnd(directory, yearOf(birthDate) + 16);
  if (today > leaving.date) {
    if (isNear(today, leaving.date)) {
      pushTermAssumption(assumptions, leaving, 'vårterminens slut');
    }
    return {
      band: 'utanforBand',
      situation: `${child} och har lämnat grundskolan`,
      assumptions,
      cause: 'outsideBands',
    };
  }

  const schoolStartByAge = findAutumnTermStart(directory, yearOf(birthDate) + 6);
  const schoolStart = enrolment.schoolStart ?? schoolStartByAge.date;
  const schoolAssumptions: Assumption[] = [];
  if (enrolment.schoolStart === undefined && isNear(today, schoolStart)) {
    schoolAssumptions.push({
      fact: 'schoolStart',
      text:
        `Uppgift om skolstart saknas; den ${tense(today, schoolStart)} vara höstterminens start ` +
        `det år barnet fyller 6 år (${schoolStart}).`,
    });
    pushTermAssumption(schoolAssumptions, schoolStartByAge, 'höstterminens start');
  }
  if (today >= schoolStart) {
    assumptions.push(...schoolAssumptions);
    if (isNear(today, leaving.date)) {
      pushTermAssumption(assumptions, leaving, 'vårterminens slut');
    }
    return { band: 'grundskola', situation: `${child} och går i grundskolan`, assumptions };
  }

  const forskola = placeForskola(birthDate, today, enrolment, defaults.forskolaStartAtAgeMonths);
  if (forskola.attends) {
    assumptions.push(...forskola.assumptions, ...schoolAssumptions);
    return { band: 'forskola', situation: `${child} och ${forskola.situation}`, assumptions };
  }

  const visit = enrolment.firstBvcVisit;
  const assumedVisit = addDaysToDate(birthDate, defaults.firstBvcVisitAtAgeDays);
  const bvcVisitDone =
    visit === undefined ? today >= assumedVisit : typeof visit === 'boolean' ? visit : today >= visit;
  if (visit === undefined && isNear(today, assumedVisit)) {
    assumptions.push({
      fact: 'firstBvcVisit',
      text: `Uppgift om första BVC-besöket saknas; det ${tense(today, assumedVisit)} ske vid ${defaults.firstBvcVisitAtAgeDays} dagars ålder.`,
    });
  }
  if (bvcVisitDone) {
    // Without förskola, the next boundary is school start.
    assumptions.push(...forskola.assumptions, ...(forskola.startsLater ? [] : schoolAssumptions));
    return { band: 'smabarn', situation: `${child} och ${forskola.situation}`, assumptions };
  }
  return {
    band: 'graviditetOchNyfodd',
    situation:
      visit === undefined
        ? `${child} och antas ännu inte ha varit på sitt första BVC-besök`
        : `${child} och har ännu inte varit på sitt första BVC-besök`,
    assumptions,
  };
}

interface ForskolaPlace {
  readonly attends: boolean;
  /** Whether a förskola start is expected before school (known, or by the default). */
  readonly startsLater: boolean;
  /** "går i förskolan", "går inte i förskolan", "antas gå i förskolan" … */
  readonly situation: string;
  readonly assumptions: Assumption[];
}

/**
 * Whether the child goes to förskola today. A start date decides, then a plain yes or no, and
 * only when neither is known the default age, which the reason then names.
 */
function placeForskola(
  birthDate: CalendarDate,
  today: CalendarDate,
  enrolment: EnrolmentFacts,
  defaultAgeMonths: number,
): ForskolaPlace {
  const known = enrolment.forskolaStart;
  if (known !== undefined) {
    return today >= known
      ? { attends: true, startsLater: false, situation: 'går i förskolan', assumptions: [] }
      : { attends: false, startsLater: true, situation: 'har ännu inte börjat förskolan', assumptions: [] };
  }
  if (enrolment.attendsForskola !== undefined) {
    return enrolment.attendsForskola
      ? { attends: true, startsLater: false, situation: 'går i förskolan', assumptions: [] }
      : { attends: false, startsLater: false, situation: 'går inte i förskolan', assumptions: [] };
  }
  const assumedStart = addMonthsToDate(birthDate, defaultAgeMonths);
  const assumption: Assumption = {
    fact: 'forskolaStart',
    text: `Uppgift om förskola saknas; barn antas börja förskolan vid ${defaultAgeMonths} månaders ålder.`,
  };
  if (today >= assumedStart) {
    return {
      attends: true,
      startsLater: false,
      situation: 'antas gå i förskolan',
      assumptions: [assumption],
    };
  }
  return isNear(today, assumedStart)
    ? {
        attends: false,
        startsLater: true,
        situation: 'antas ännu inte gå i förskolan',
        assumptions: [assumption],
      }
    : { attends: false, startsLater: true, situation: 'har ännu inte börjat förskolan', assumptions: [] };
}

/**
 * Whether a default boundary decided today's band: one more than a year away, before or
 * after, would give the same Barnkontakt had it been weeks earlier or later.
 */
function isNear(today: CalendarDate, boundary: CalendarDate): boolean {
  return Math.abs(daysBetween(today, boundary)) <= 365;
}

function tense(today: CalendarDate, boundary: CalendarDate): 'antogs' | 'antas' {
  return today >= boundary ? 'antogs' : 'antas';
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
