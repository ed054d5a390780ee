/**
 * Reads the Upptäckarkort's submit (the `Action.Execute` data: every Input's value as a string,
 * keyed by the input ids of `cards/upptackt/upptackarkort.json`) into a checked `DiscoverySubmission`, or into
 * Swedish messages per field together with what the user typed, so the bot can show the same
 * card again with the values kept. Pure: nothing is stored here, and an invalid card is never
 * stored anywhere.
 */
import { z } from 'zod';
import { type CalendarDate, type ConsentGiver, ZCalendarDate, ZConsentGiver } from '../kernel/case.js';
import { type CompassAreaKey, compassAreaKeys } from '../kernel/compass.js';
import { type Directory, findUnit, type UnitType } from '../kernel/directory.js';
import { isDomainError } from '../kernel/errors.js';
import { parseIdentityNumber } from '../kernel/identity-number.js';
import {
  type AreaRating,
  type DiscoveryEnrolment,
  type DiscoveryPath,
  type ReporterOrganisation,
  ZAreaAssessment,
  ZDiscoveryPath,
  ZReporterOrganisation,
} from '../kernel/records/discovery.js';
import { followUpAheadMonths } from '../kernel/reminder-times.js';
import { addDaysToDate, addMonthsToDate } from '../kernel/stockholm-date.js';
import { type EnrolmentFacts, routeToBarnkontakt } from './routing.js';

/** Unit types a child belongs to (the card's unit list); social services' intake is not one. */
export const childUnitTypes: readonly UnitType[] = ['bmm', 'bvc', 'forskola', 'grundskola'];

/** The card's input ids, in card order. */
export const discoveryInputIds = [
  'childGivenName',
  'childFamilyName',
  'childIdentityNumber',
  'childBirthDate',
  'childDueDate',
  'unitId',
  'firstBvcVisitDone',
  'attendsForskola',
  'forskolaStartDate',
  'schoolStartDate',
  'reporterOrganisation',
  'reporterRole',
  ...compassAreaKeys.flatMap((key) => [`area_${key}`, `areaComment_${key}`] as const),
  'observation',
  'talkedWithGuardian',
  'path',
  'verbalConsent',
  'consentGivenBy',
  'followUpDate',
] as const;
export type DiscoveryInputId = (typeof discoveryInputIds)[number];

/**
 * The answers to the card's enrolment questions (first BVC visit, förskola). "Vet inte" is an
 * answer of its own, so that an unknown fact is never read as a no.
 */
export const enrolmentAnswers = ['ja', 'nej', 'vetEj'] as const;

/** Limits shown on the card (maxLength) and enforced here. */
export const discoveryLimits = {
  nameLength: 100,
  reporterRoleLength: 100,
  areaCommentLength: 500,
  observationLength: 4000,
  /** A due date further back than this is a child who has been born: ask for the birth date. */
  dueDatePastDays: 28,
  /** A pregnancy lasts about 40 weeks, so a due date further ahead than this is a typing error. */
  dueDateAheadMonths: 10,
  followUpAheadMonths,
} as const;

/** A valid Upptäckarkort, ready for `fileDiscovery`. */
export interface DiscoverySubmission {
  readonly child: {
    readonly givenName: string;
    readonly familyName: string;
    /** Normalised 12 digits, when given. */
    readonly identityNumber?: string;
    /** Given, or read from the identity number. */
    readonly birthDate?: CalendarDate;
    readonly dueDate?: CalendarDate;
  };
  readonly unitId: string;
  readonly enrolment: DiscoveryEnrolment;
  readonly reporter: { readonly organisation: ReporterOrganisation; readonly role: string };
  readonly areas: readonly AreaRating[];
  readonly observation: string;
  readonly talkedWithGuardian: boolean;
  readonly path: DiscoveryPath;
  /** Set exactly when `path` is `aktiveraBarnkontakt`: the verbal consent and who gave it. */
  readonly verbalConsent?: { readonly givenBy: ConsentGiver };
  /** Set exactly when `path` is `stodIEgenVerksamhet`. */
  readonly followUpDate?: CalendarDate;
}

export type DiscoveryFormResult =
  | { readonly ok: true; readonly value: DiscoverySubmission }
  | {
      readonly ok: false;
      /** One Swedish message per bad field, keyed by input id. */
      readonly fieldErrors: Partial<Record<DiscoveryInputId, string>>;
      /** What the user typed, as strings, for showing the card again. */
      readonly values: Partial<Record<DiscoveryInputId, string>>;
    };

export interface DiscoveryFormContext {
  /** The Stockholm date of the submit. */
  readonly today: CalendarDate;
  readonly directory: Directory;
}

export const discoveryFormMessages = {
  givenNameMissing: 'Skriv barnets förnamn.',
  nameTooLong: `Namnet får vara högst ${discoveryLimits.nameLength} tecken.`,
  identityMissing:
    'Ange barnets personnummer, födelsedatum eller, för ett barn som inte är fött ännu, beräknat förlossningsdatum.',
  birthDateInFuture:
    'Födelsedatumet ligger i framtiden. Gäller det ett barn som inte är fött ännu, ange beräknat förlossningsdatum i stället.',
  birthDateMismatch: 'Födelsedatumet stämmer inte med personnumret. Kontrollera båda.',
  dueDateWithBirth:
    'Beräknat förlossningsdatum anges bara för ett barn som inte är fött ännu. Ta bort det när personnummer eller födelsedatum finns.',
  dueDateTooOld: `Det beräknade förlossningsdatumet ligger mer än ${discoveryLimits.dueDatePastDays / 7} veckor bakåt i tiden. Är barnet fött, ange födelsedatum eller personnummer i stället.`,
  dueDateTooFar: `Det beräknade förlossningsdatumet ligger mer än ${discoveryLimits.dueDateAheadMonths} månader fram i tiden.`,
  dateFormat: 'Skriv datumet som ÅÅÅÅ-MM-DD.',
  unitMissing: 'Välj vilken enhet barnet hör till.',
  unitUnknown: 'Enheten finns inte i kommunens katalog. Välj en enhet i listan.',
  unitWrongType: 'Välj barnets förskola, skola, BVC eller barnmorskemottagning.',
  toggleInvalid: 'Ogiltigt val.',
  enrolmentAnswerInvalid: 'Välj ja, nej eller vet inte.',
  forskolaStartAhead:
    'Du har svarat att barnet går i förskola, men förskolestarten ligger fram i tiden. Rätta datumet, eller svara Nej om barnet inte har börjat än.',
  forskolaStartPassed:
    'Du har svarat att barnet inte går i förskola, men förskolestarten ligger bakåt i tiden. Har barnet slutat i förskolan, ta bort datumet; går barnet i förskola, svara Ja.',
  organisationMissing: 'Välj vilken organisation du arbetar i.',
  reporterRoleMissing: 'Skriv din yrkesroll, till exempel lärare.',
  reporterRoleTooLong: `Yrkesrollen får vara högst ${discoveryLimits.reporterRoleLength} tecken.`,
  areaInvalid: 'Välj behöver stärkas, fungerar bra eller vet ej.',
  noAreaMarked:
    'Markera minst ett område som behöver stärkas eller fungerar bra. Kortet säger annars inget som Barnkontakten kan utgå från.',
  areaCommentTooLong: `Kommentaren får vara högst ${discoveryLimits.areaCommentLength} tecken.`,
  observationMissing: 'Beskriv vad du har sett.',
  observationTooLong: `Beskrivningen får vara högst ${discoveryLimits.observationLength} tecken.`,
  pathMissing: 'Välj väg: orosanmälan, stöd i egen verksamhet eller aktivera Barnkontakt.',
  verbalConsentMissing:
    'Barnkontakten kan bara aktiveras när vårdnadshavare (eller barnet) har gett muntligt samtycke. Har du inte fått samtycke, välj en annan väg.',
  consentGiverInvalid: 'Välj vem som gav samtycket: vårdnadshavare eller barnet.',
  followUpMissing: 'Ange när stödet i egen verksamhet ska följas upp.',
  followUpNotFuture: 'Uppföljningsdatumet måste ligga efter i dag.',
  followUpTooFar: `Uppföljningsdatumet får ligga högst ${discoveryLimits.followUpAheadMonths} månader fram i tiden.`,
  invalidValue: 'Ogiltigt värde.',
} as const;

// Teams sends every Input value as a string; a number or boolean is accepted as its text.
const ZRawValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.undefined()]);
const ZRawSubmit = z.record(z.string(), z.unknown());

/**
 * Checks an Upptäckarkort submit. Field rules (required, lengths, choices, dates) and the rules
 * across fields: an identity number, birth date or due date; a valid identity number that agrees
 * with a birth date given beside it; a due date only for an unborn child; a unit of a child-unit
 * type from the directory; verbal consent for Aktivera Barnkontakt, and a unit routing can reach
 * the child's Barnkontakt from (else the message names the units of the child's age band); a
 * förskola start that agrees with whether the child goes to förskola; a future follow-up date
 * for stöd i egen verksamhet.
 */
export function parseDiscoverySubmission(raw: unknown, context: DiscoveryFormContext): DiscoveryFormResult {
  const record = ZRawSubmit.safeParse(raw);
  const source: Record<string, unknown> = record.success ? record.data : {};
  const values: Partial<Record<DiscoveryInputId, string>> = {};
  const fieldErrors: Partial<Record<DiscoveryInputId, string>> = {};
  const fail = (id: DiscoveryInputId, message: string) => {
    fieldErrors[id] ??= message;
  };

  for (const id of discoveryInputIds) {
    const value = ZRawValue.safeParse(source[id]);
    if (!value.success) {
      fail(id, discoveryFormMessages.invalidValue);
      continue;
    }
    const text = value.data === null || value.data === undefined ? '' : String(value.data);
    if (text !== '') {
      values[id] = text;
    }
  }
  const text = (id: DiscoveryInputId) => (values[id] ?? '').trim();

  const givenName = text('childGivenName');
  if (givenName === '') fail('childGivenName', discoveryFormMessages.givenNameMissing);
  if (givenName.length > discoveryLimits.nameLength)
    fail('childGivenName', discoveryFormMessages.nameTooLong);
  const familyName = text('childFamilyName');
  if (familyName.length > discoveryLimits.nameLength)
    fail('childFamilyName', discoveryFormMessages.nameTooLong);

  const child = readChildIdentity(text, fail, context.today);
  const unitId = readUnit(text('unitId'), fail, context.directory);
  const enrolment = readEnrolment(text, fail, context.today);

  const organisation = ZReporterOrganisation.safeParse(text('reporterOrganisation'));
  if (!organisation.success) fail('reporterOrganisation', discoveryFormMessages.organisationMissing);
  const reporterRole = text('reporterRole');
  if (reporterRole === '') fail('reporterRole', discoveryFormMessages.reporterRoleMissing);
  if (reporterRole.length > discoveryLimits.reporterRoleLength) {
    fail('reporterRole', discoveryFormMessages.reporterRoleTooLong);
  }

  const areas = compassAreaKeys.map((key) => readArea(key, text, fail));
  // A card that says nothing about any area gives the Barnkontakt nothing to act on; the message
  // sits under the first area, where the reader starts.
  if (areas.every((area) => area.assessment === 'vetEj')) {
    fail(`area_${compassAreaKeys[0]}`, discoveryFormMessages.noAreaMarked);
  }

  const observation = text('observation');
  if (observation === '') fail('observation', discoveryFormMessages.observationMissing);
  if (observation.length > discoveryLimits.observationLength) {
    fail('observation', discoveryFormMessages.observationTooLong);
  }
  const talkedWithGuardian = readToggle('talkedWithGuardian', text, fail) ?? false;

  const path = ZDiscoveryPath.safeParse(text('path'));
  if (!path.success) fail('path', discoveryFormMessages.pathMissing);

  let verbalConsent: { givenBy: ConsentGiver } | undefined;
  if (path.success && path.data === 'aktiveraBarnkontakt') {
    if (readToggle('verbalConsent', text, fail) !== true) {
      fail('verbalConsent', discoveryFormMessages.verbalConsentMissing);
    }
    const giver = ZConsentGiver.safeParse(text('consentGivenBy') || 'vardnadshavare');
    if (giver.success) {
      verbalConsent = { givenBy: giver.data };
    } else {
      fail('consentGivenBy', discoveryFormMessages.consentGiverInvalid);
    }
  }

  let followUpDate: CalendarDate | undefined;
  if (path.success && path.data === 'stodIEgenVerksamhet') {
    followUpDate = readFollowUpDate(text('followUpDate'), fail, context.today);
  }

  if (Object.keys(fieldErrors).length > 0 || !organisation.success || !path.success || child === undefined) {
    return { ok: false, fieldErrors, values };
  }
  if (path.data === 'aktiveraBarnkontakt') {
    // Asked here, with the card still open, rather than when filing: a unit of another age band
    // that the directory cannot resolve needs the Upptäckare's choice, not the fallback.
    const routing = routeToBarnkontakt({
      child,
      unitId,
      enrolment: toEnrolmentFacts(enrolment),
      decisionDate: context.today,
      directory: context.directory,
    });
    if (routing.kind === 'chooseUnit') {
      return { ok: false, fieldErrors: { unitId: routing.request.message }, values };
    }
  }
  return {
    ok: true,
    value: {
      child: { givenName, familyName, ...child },
      unitId,
      enrolment,
      reporter: { organisation: organisation.data, role: reporterRole },
      areas,
      observation,
      talkedWithGuardian,
      path: path.data,
      ...(verbalConsent === undefined ? {} : { verbalConsent }),
      ...(followUpDate === undefined ? {} : { followUpDate }),
    },
  };
}

type Read = (id: DiscoveryInputId) => string;
type Fail = (id: DiscoveryInputId, message: string) => void;

function readChildIdentity(
  text: Read,
  fail: Fail,
  today: CalendarDate,
): Pick<DiscoverySubmission['child'], 'identityNumber' | 'birthDate' | 'dueDate'> | undefined {
  const identityText = text('childIdentityNumber');
  const birthDate = readDate('childBirthDate', text, fail);
  const dueDate = readDate('childDueDate', text, fail);
  if (identityText === '' && text('childBirthDate') === '' && text('childDueDate') === '') {
    fail('childIdentityNumber', discoveryFormMessages.identityMissing);
    return undefined;
  }

  let identity: { normalized: string; birthDate: CalendarDate } | undefined;
  if (identityText !== '') {
    try {
      identity = parseIdentityNumber(identityText, today);
    } catch (error) {
      if (!isDomainError(error, 'invalidIdentityNumber')) throw error;
      // The domain parser's message names the problem and never repeats the number.
      fail('childIdentityNumber', error.message);
    }
  }
  if (birthDate !== undefined && birthDate > today) {
    fail('childBirthDate', discoveryFormMessages.birthDateInFuture);
  }
  if (identity !== undefined && birthDate !== undefined && identity.birthDate !== birthDate) {
    fail('childBirthDate', discoveryFormMessages.birthDateMismatch);
  }
  if (dueDate !== undefined) {
    if (identityText !== '' || text('childBirthDate') !== '') {
      fail('childDueDate', discoveryFormMessages.dueDateWithBirth);
    } else if (dueDate < addDaysToDate(today, -discoveryLimits.dueDatePastDays)) {
      fail('childDueDate', discoveryFormMessages.dueDateTooOld);
    } else if (dueDate > addMonthsToDate(today, discoveryLimits.dueDateAheadMonths)) {
      fail('childDueDate', discoveryFormMessages.dueDateTooFar);
    }
  }
  const resolvedBirthDate = identity?.birthDate ?? birthDate;
  return {
    ...(identity === undefined ? {} : { identityNumber: identity.normalized }),
    ...(resolvedBirthDate === undefined ? {} : { birthDate: resolvedBirthDate }),
    ...(dueDate === undefined ? {} : { dueDate }),
  };
}

function readUnit(unitId: string, fail: Fail, directory: Directory): string {
  if (unitId === '') {
    fail('unitId', discoveryFormMessages.unitMissing);
    return unitId;
  }
  const unit = findUnit(directory, unitId);
  if (unit === undefined) {
    fail('unitId', discoveryFormMessages.unitUnknown);
  } else if (!childUnitTypes.includes(unit.type)) {
    fail('unitId', discoveryFormMessages.unitWrongType);
  }
  return unitId;
}

function readEnrolment(text: Read, fail: Fail, today: CalendarDate): DiscoveryEnrolment {
  const firstBvcVisitDone = readEnrolmentAnswer('firstBvcVisitDone', text, fail);
  const attendsForskola = readEnrolmentAnswer('attendsForskola', text, fail);
  const forskolaStartDate = readDate('forskolaStartDate', text, fail);
  const schoolStartDate = readDate('schoolStartDate', text, fail);
  if (forskolaStartDate !== undefined) {
    if (attendsForskola === true && forskolaStartDate > today) {
      fail('forskolaStartDate', discoveryFormMessages.forskolaStartAhead);
    } else if (attendsForskola === false && forskolaStartDate <= today) {
      fail('forskolaStartDate', discoveryFormMessages.forskolaStartPassed);
    }
  }
  return {
    ...(firstBvcVisitDone === undefined ? {} : { firstBvcVisitDone }),
    ...(attendsForskola === undefined ? {} : { attendsForskola }),
    ...(forskolaStartDate === undefined ? {} : { forskolaStartDate }),
    ...(schoolStartDate === undefined ? {} : { schoolStartDate }),
  };
}

/** The enrolment facts routing reads, from what the card recorded. */
export function toEnrolmentFacts(enrolment: DiscoveryEnrolment): EnrolmentFacts {
  const { firstBvcVisitDone, attendsForskola, forskolaStartDate, schoolStartDate } = enrolment;
  return {
    ...(firstBvcVisitDone === undefined ? {} : { firstBvcVisit: firstBvcVisitDone }),
    ...(attendsForskola === undefined ? {} : { attendsForskola }),
    ...(forskolaStartDate === undefined ? {} : { forskolaStart: forskolaStartDate }),
    ...(schoolStartDate === undefined ? {} : { schoolStart: schoolStartDate }),
  };
}

/** Ja, nej, or unknown (vet inte, or no answer). */
function readEnrolmentAnswer(id: DiscoveryInputId, text: Read, fail: Fail): boolean | undefined {
  const value = text(id);
  if (value === 'ja') return true;
  if (value === 'nej') return false;
  if (value === '' || value === 'vetEj') return undefined;
  // A card sent before these were questions had a toggle here, and an untouched toggle sends
  // "false": that is no answer, so only "true" counts.
  if (value === 'true') return true;
  if (value === 'false') return undefined;
  fail(id, discoveryFormMessages.enrolmentAnswerInvalid);
  return undefined;
}

function readArea(key: CompassAreaKey, text: Read, fail: Fail): AreaRating {
  const areaId = `area_${key}` as const;
  const commentId = `areaComment_${key}` as const;
  // An untouched choice arrives empty or missing: the card's default is "vet ej".
  const assessment = ZAreaAssessment.safeParse(text(areaId) || 'vetEj');
  if (!assessment.success) fail(areaId, discoveryFormMessages.areaInvalid);
  const comment = text(commentId);
  if (comment.length > discoveryLimits.areaCommentLength)
    fail(commentId, discoveryFormMessages.areaCommentTooLong);
  return {
    key,
    assessment: assessment.success ? assessment.data : 'vetEj',
    ...(comment === '' ? {} : { comment }),
  };
}

function readToggle(id: DiscoveryInputId, text: Read, fail: Fail): boolean | undefined {
  const value = text(id);
  if (value === '') return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  fail(id, discoveryFormMessages.toggleInvalid);
  return undefined;
}

function readDate(id: DiscoveryInputId, text: Read, fail: Fail): CalendarDate | undefined {
  const value = text(id);
  if (value === '') return undefined;
  const parsed = ZCalendarDate.safeParse(value);
  if (!parsed.success) {
    fail(id, discoveryFormMessages.dateFormat);
    return undefined;
  }
  return parsed.data;
}

function readFollowUpDate(value: string, fail: Fail, today: CalendarDate): CalendarDate | undefined {
  if (value === '') {
    fail('followUpDate', discoveryFormMessages.followUpMissing);
    return undefined;
  }
  const parsed = ZCalendarDate.safeParse(value);
  if (!parsed.success) {
    fail('followUpDate', discoveryFormMessages.dateFormat);
    return undefined;
  }
  if (parsed.data <= today) {
    fail('followUpDate', discoveryFormMessages.followUpNotFuture);
    return undefined;
  }
  if (parsed.data > addMonthsToDate(today, discoveryLimits.followUpAheadMonths)) {
    fail('followUpDate', discoveryFormMessages.followUpTooFar);
    return undefined;
  }
  return parsed.data;
}
