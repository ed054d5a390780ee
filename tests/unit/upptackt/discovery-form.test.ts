import { describe, expect, it } from 'vitest';
import { discoveryFormMessages, parseDiscoverySubmission } from '../../../flows/upptackt/discovery-form.js';
import { buildDirectory, buildRawSubmit, childIdentityNumber } from '../../support/flow-fixtures.js';

const directory = buildDirectory();
const today = '2025-03-04';

function parse(overrides: Record<string, string | undefined> = {}) {
  return parseDiscoverySubmission(buildRawSubmit(overrides), { today, directory });
}

function errorsOf(overrides: Record<string, string | undefined>) {
  const result = parse(overrides);
  if (result.ok) throw new Error('expected the card to be refused');
  return result;
}

describe('parseDiscoverySubmission', () => {
  it('reads a valid card: normalised identity number, birth date from it, all eight areas, consent', () => {
    const result = parse();

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.child).toEqual({
      givenName: 'Testbarn',
      familyName: 'Exempel',
      identityNumber: '201706122387',
      birthDate: '2017-06-12',
    });
    expect(result.value.areas.map((area) => area.assessment)).toEqual([
      'behoverStarkas',
      'fungerarBra',
      'behoverStarkas',
      'vetEj',
      'vetEj',
      'vetEj',
      'vetEj',
      'vetEj',
    ]);
    expect(result.value.areas[0]?.comment).toBe('Kommer ofta utan frukost.');
    expect(result.value.verbalConsent).toEqual({ givenBy: 'vardnadshavare' });
    expect(result.value.enrolment).toEqual({});
    expect(result.value.talkedWithGuardian).toBe(true);
  });

  it('keeps what the user typed when refusing, and never throws on garbage', () => {
    const result = errorsOf({ childGivenName: '', childIdentityNumber: '20170612-2380', observation: '  ' });

    expect(result.values.childIdentityNumber).toBe('20170612-2380');
    expect(result.values.reporterRole).toBe('Lärare');
    expect(result.values.area_omsorg).toBe('behoverStarkas');
    expect(result.fieldErrors.childGivenName).toBe(discoveryFormMessages.givenNameMissing);
    expect(result.fieldErrors.observation).toBe(discoveryFormMessages.observationMissing);

    const garbage = parseDiscoverySubmission('inte ett kort', { today, directory });
    expect(garbage.ok).toBe(false);
    const nested = parseDiscoverySubmission(
      { ...buildRawSubmit(), childGivenName: { a: 1 } },
      { today, directory },
    );
    expect(nested.ok ? undefined : nested.fieldErrors.childGivenName).toBe(
      discoveryFormMessages.invalidValue,
    );
  });

  it('needs an identity number, a birth date or a due date', () => {
    const result = errorsOf({ childIdentityNumber: '', childBirthDate: '', childDueDate: '' });
    expect(result.fieldErrors.childIdentityNumber).toBe(discoveryFormMessages.identityMissing);
  });

  it('puts the identity parser’s Swedish message on the identity field, without the number', () => {
    const result = errorsOf({ childIdentityNumber: '20170612-2380' });
    expect(result.fieldErrors.childIdentityNumber).toMatch(/Kontrollsiffran/);
    expect(result.fieldErrors.childIdentityNumber).not.toMatch(/2017|2380/);
    expect(errorsOf({ childIdentityNumber: '12345' }).fieldErrors.childIdentityNumber).toMatch(
      /10 eller 12 siffror/,
    );
  });

  it('refuses a birth date that disagrees with the identity number, and a future birth date', () => {
    expect(errorsOf({ childBirthDate: '2017-06-13' }).fieldErrors.childBirthDate).toBe(
      discoveryFormMessages.birthDateMismatch,
    );
    expect(parse({ childBirthDate: '2017-06-12' }).ok).toBe(true);
    expect(
      errorsOf({ childIdentityNumber: '', childBirthDate: '2025-04-01' }).fieldErrors.childBirthDate,
    ).toBe(discoveryFormMessages.birthDateInFuture);
    expect(
      errorsOf({ childIdentityNumber: '', childBirthDate: '2017-02-30' }).fieldErrors.childBirthDate,
    ).toBe(discoveryFormMessages.dateFormat);
  });

  it('takes a due date only for an unborn child, not weeks in the past nor a year ahead', () => {
    const unborn = parse({ childIdentityNumber: '', childDueDate: '2025-06-01', unitId: 'exempelby-bmm' });
    expect(unborn.ok && unborn.value.child).toEqual({
      givenName: 'Testbarn',
      familyName: 'Exempel',
      dueDate: '2025-06-01',
    });
    expect(errorsOf({ childDueDate: '2025-06-01' }).fieldErrors.childDueDate).toBe(
      discoveryFormMessages.dueDateWithBirth,
    );
    expect(errorsOf({ childIdentityNumber: '', childDueDate: '2025-01-20' }).fieldErrors.childDueDate).toBe(
      discoveryFormMessages.dueDateTooOld,
    );
    expect(parse({ childIdentityNumber: '', childDueDate: '2025-02-20', unitId: 'exempelby-bmm' }).ok).toBe(
      true,
    );
    expect(errorsOf({ childIdentityNumber: '', childDueDate: '2026-03-01' }).fieldErrors.childDueDate).toBe(
      discoveryFormMessages.dueDateTooFar,
    );
  });

  it('needs a unit from the directory that a child can belong to', () => {
    expect(errorsOf({ unitId: '' }).fieldErrors.unitId).toBe(discoveryFormMessages.unitMissing);
    expect(errorsOf({ unitId: 'okand-skola' }).fieldErrors.unitId).toBe(discoveryFormMessages.unitUnknown);
    expect(errorsOf({ unitId: 'socialtjanstens-mottagning' }).fieldErrors.unitId).toBe(
      discoveryFormMessages.unitWrongType,
    );
  });

  it('needs the reporter’s organisation and role, and checks choices, toggles and dates', () => {
    const result = errorsOf({
      reporterOrganisation: 'skolverket',
      reporterRole: '',
      area_fritid: 'kanske',
      firstBvcVisitDone: 'kanske',
      schoolStartDate: '2023-13-01',
    });
    expect(result.fieldErrors).toMatchObject({
      reporterOrganisation: discoveryFormMessages.organisationMissing,
      reporterRole: discoveryFormMessages.reporterRoleMissing,
      area_fritid: discoveryFormMessages.areaInvalid,
      firstBvcVisitDone: discoveryFormMessages.enrolmentAnswerInvalid,
      schoolStartDate: discoveryFormMessages.dateFormat,
    });
  });

  it('needs at least one area marked behöver stärkas or fungerar bra, keeping what was typed', () => {
    const allUnknown = errorsOf({ area_omsorg: 'vetEj', area_trygghet: 'vetEj', area_maBra: 'vetEj' });
    expect(allUnknown.fieldErrors).toEqual({ area_omsorg: discoveryFormMessages.noAreaMarked });
    expect(allUnknown.values).toMatchObject({
      childGivenName: 'Testbarn',
      areaComment_omsorg: 'Kommer ofta utan frukost.',
    });

    // Areas left out of the submit altogether count as "vet ej", the card's default.
    const leftOut = errorsOf({ area_omsorg: undefined, area_trygghet: undefined, area_maBra: undefined });
    expect(leftOut.fieldErrors.area_omsorg).toBe(discoveryFormMessages.noAreaMarked);

    expect(parse({ area_omsorg: 'vetEj', area_trygghet: 'vetEj', area_maBra: 'fungerarBra' }).ok).toBe(true);
  });

  it('limits text lengths', () => {
    const result = errorsOf({
      childGivenName: 'A'.repeat(101),
      areaComment_ansvar: 'x'.repeat(501),
      observation: 'y'.repeat(4001),
      reporterRole: 'z'.repeat(101),
    });
    expect(result.fieldErrors).toMatchObject({
      childGivenName: discoveryFormMessages.nameTooLong,
      areaComment_ansvar: discoveryFormMessages.areaCommentTooLong,
      observation: discoveryFormMessages.observationTooLong,
      reporterRole: discoveryFormMessages.reporterRoleTooLong,
    });
    expect(parse({ observation: 'y'.repeat(4000) }).ok).toBe(true);
  });

  it('needs a path, and the guardian’s verbal consent to activate the Barnkontakt', () => {
    expect(errorsOf({ path: '' }).fieldErrors.path).toBe(discoveryFormMessages.pathMissing);
    expect(errorsOf({ verbalConsent: 'false' }).fieldErrors.verbalConsent).toBe(
      discoveryFormMessages.verbalConsentMissing,
    );
    expect(errorsOf({ verbalConsent: undefined }).fieldErrors.verbalConsent).toBe(
      discoveryFormMessages.verbalConsentMissing,
    );
    const byChild = parse({ consentGivenBy: 'barnet' });
    expect(byChild.ok && byChild.value.verbalConsent).toEqual({ givenBy: 'barnet' });
    const report = parse({ path: 'orosanmalan', verbalConsent: 'false' });
    expect(report.ok && report.value.verbalConsent).toBeUndefined();
  });

  it('needs a follow-up date after today for stöd i egen verksamhet', () => {
    const base = { path: 'stodIEgenVerksamhet', verbalConsent: 'false' };
    expect(errorsOf(base).fieldErrors.followUpDate).toBe(discoveryFormMessages.followUpMissing);
    expect(errorsOf({ ...base, followUpDate: today }).fieldErrors.followUpDate).toBe(
      discoveryFormMessages.followUpNotFuture,
    );
    expect(errorsOf({ ...base, followUpDate: '2026-04-01' }).fieldErrors.followUpDate).toBe(
      discoveryFormMessages.followUpTooFar,
    );
    const ok = parse({ ...base, followUpDate: '2025-04-01' });
    expect(ok.ok && ok.value.followUpDate).toBe('2025-04-01');
  });

  it('reads the first BVC visit and förskola as ja, nej or vet inte, and vet inte is no answer', () => {
    const enrolment = (overrides: Record<string, string | undefined>) => {
      const result = parse(overrides);
      if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
      return result.value.enrolment;
    };
    expect(enrolment({ firstBvcVisitDone: 'ja', attendsForskola: 'nej' })).toEqual({
      firstBvcVisitDone: true,
      attendsForskola: false,
    });
    expect(enrolment({ firstBvcVisitDone: 'nej', attendsForskola: 'ja' })).toEqual({
      firstBvcVisitDone: false,
      attendsForskola: true,
    });
    expect(enrolment({ firstBvcVisitDone: 'vetEj', attendsForskola: 'vetEj' })).toEqual({});
    expect(enrolment({ firstBvcVisitDone: undefined, attendsForskola: undefined })).toEqual({});
    // A card sent before these were questions: an untouched toggle sent "false", which says nothing.
    expect(enrolment({ firstBvcVisitDone: 'false' })).toEqual({});
    expect(enrolment({ firstBvcVisitDone: 'true' })).toEqual({ firstBvcVisitDone: true });
    expect(errorsOf({ attendsForskola: 'true?' }).fieldErrors.attendsForskola).toBe(
      discoveryFormMessages.enrolmentAnswerInvalid,
    );
  });

  it('refuses a förskola start that disagrees with whether the child goes to förskola', () => {
    expect(
      errorsOf({ attendsForskola: 'ja', forskolaStartDate: '2025-08-01' }).fieldErrors.forskolaStartDate,
    ).toBe(discoveryFormMessages.forskolaStartAhead);
    expect(
      errorsOf({ attendsForskola: 'nej', forskolaStartDate: '2024-08-01' }).fieldErrors.forskolaStartDate,
    ).toBe(discoveryFormMessages.forskolaStartPassed);
    expect(parse({ attendsForskola: 'ja', forskolaStartDate: '2024-08-01' }).ok).toBe(true);
    expect(parse({ attendsForskola: 'nej', forskolaStartDate: '2025-08-01' }).ok).toBe(true);
  });

  it('asks for the unit of the child’s age band when the directory cannot tell it, naming the choices and keeping what was typed', () => {
    const twoSchools = buildDirectory((input) => {
      input.units.push({
        id: 'ekens-skola',
        name: 'Ekens skola',
        type: 'grundskola',
        organisation: 'privat',
      } as never);
    });
    // An 8-year-old (born 2017) given a förskola.
    const result = parseDiscoverySubmission(buildRawSubmit({ unitId: 'larkans-forskola' }), {
      today,
      directory: twoSchools,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors).toEqual({
      unitId:
        'Barnet är 7 år och går i grundskolan, så Barnkontakten är rektor på barnets skola. ' +
        'Lärkans förskola är en förskola. Välj barnets skola: Björkskolan eller Ekens skola.',
    });
    expect(result.values).toMatchObject({
      childGivenName: 'Testbarn',
      childIdentityNumber: childIdentityNumber,
      unitId: 'larkans-forskola',
      observation: 'Barnet har varit tyst och trött de senaste veckorna.',
    });

    // Only Aktivera Barnkontakt routes; an orosanmälan goes to social services whatever the unit.
    const report = parseDiscoverySubmission(
      buildRawSubmit({ unitId: 'larkans-forskola', path: 'orosanmalan', verbalConsent: 'false' }),
      { today, directory: twoSchools },
    );
    expect(report.ok).toBe(true);
    // With one school only, the directory can tell, and nothing is asked.
    expect(parse({ unitId: 'larkans-forskola' }).ok).toBe(true);
  });

  it('accepts the identity number in its ten-digit form', () => {
    const result = parse({ childIdentityNumber: childIdentityNumber.slice(2) });
    expect(result.ok && result.value.child.identityNumber).toBe('201706122387');
  });
});
