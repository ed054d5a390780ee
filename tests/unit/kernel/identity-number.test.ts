import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../flows/kernel/errors.js';
import { deriveIdentityKey, parseIdentityNumber } from '../../../flows/kernel/identity-number.js';

const REFERENCE_DATE = '2025-09-01';

/** Skatteverket's Luhn rule written out independently of the module under test. */
function appendCheckDigit(nineDigits: string): string {
  const sum = [...nineDigits]
    .map((digit, index) => Number(digit) * (index % 2 === 0 ? 2 : 1))
    .reduce((total, product) => total + Math.floor(product / 10) + (product % 10), 0);
  return `${nineDigits}${(10 - (sum % 10)) % 10}`;
}

/** The error a caller would show, after checking it is the right kind. */
function refusal(input: string, referenceDate = REFERENCE_DATE): DomainError {
  try {
    parseIdentityNumber(input, referenceDate);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    const domainError = error as DomainError;
    expect(domainError.code).toBe('invalidIdentityNumber');
    // The message may be shown or logged: it must not give the number, or a part of it, away.
    expect(domainError.message).not.toMatch(/\d{4}/);
    if (input.trim() !== '') {
      expect(domainError.message).not.toContain(input.trim());
    }
    return domainError;
  }
  throw new Error('expected the identity number to be refused');
}

describe('parseIdentityNumber: accepted forms', () => {
  it('Skatteverket test number 19121212-1212 (checksum 2 verified by hand) in 12 digits', () => {
    expect(appendCheckDigit('121212121')).toBe('1212121212');
    expect(parseIdentityNumber('19121212-1212', REFERENCE_DATE)).toEqual({
      normalized: '191212121212',
      kind: 'personnummer',
      birthDate: '1912-12-12',
    });
  });

  it('Skatteverket test number 20080903-2386 (checksum 6 verified by hand) with and without hyphen', () => {
    expect(appendCheckDigit('080903238')).toBe('0809032386');
    expect(parseIdentityNumber('200809032386', REFERENCE_DATE).normalized).toBe('200809032386');
    expect(parseIdentityNumber(' 20080903-2386 ', REFERENCE_DATE).birthDate).toBe('2008-09-03');
  });

  it('10 digits take the century that makes the person younger than 100', () => {
    expect(parseIdentityNumber('080903-2386', REFERENCE_DATE).normalized).toBe('200809032386');
    expect(parseIdentityNumber('0809032386', REFERENCE_DATE).normalized).toBe('200809032386');
    expect(parseIdentityNumber('121212-1212', REFERENCE_DATE).birthDate).toBe('2012-12-12');
  });

  it('10 digits with + belong to someone aged 100 or more', () => {
    expect(parseIdentityNumber('121212+1212', REFERENCE_DATE)).toMatchObject({
      normalized: '191212121212',
      birthDate: '1912-12-12',
    });
  });

  it('the century switches on the day after the reference date', () => {
    const bornToday = appendCheckDigit('250901123');
    const bornTomorrow = appendCheckDigit('250902123');
    expect(
      parseIdentityNumber(`${bornToday.slice(0, 6)}-${bornToday.slice(6)}`, REFERENCE_DATE).birthDate,
    ).toBe('2025-09-01');
    expect(
      parseIdentityNumber(`${bornTomorrow.slice(0, 6)}-${bornTomorrow.slice(6)}`, REFERENCE_DATE).birthDate,
    ).toBe('1925-09-02');
  });

  it('a samordningsnummer has the birth day plus 60 and keeps it in the normalised form', () => {
    const number = appendCheckDigit('121272123');
    expect(parseIdentityNumber(`19${number.slice(0, 6)}-${number.slice(6)}`, REFERENCE_DATE)).toEqual({
      normalized: `19${number}`,
      kind: 'samordningsnummer',
      birthDate: '1912-12-12',
    });
  });

  it('a leap day is a real date in 2000 but not in 1900', () => {
    const number = appendCheckDigit('000229123');
    expect(parseIdentityNumber(`${number.slice(0, 6)}-${number.slice(6)}`, REFERENCE_DATE).birthDate).toBe(
      '2000-02-29',
    );
    expect(refusal(`${number.slice(0, 6)}+${number.slice(6)}`).details.reason).toBe('date');
  });
});

describe('parseIdentityNumber: refusals say what is wrong without repeating the number', () => {
  it('wrong length', () => {
    const tooLong = refusal('1912121212120');
    expect(tooLong.details.reason).toBe('length');
    expect(tooLong.message).toBe(
      'Person- eller samordningsnumret ska ha 10 eller 12 siffror (ÅÅMMDD-NNNN eller ÅÅÅÅMMDD-NNNN), men har 13.',
    );
    expect(refusal('121212-12').details.reason).toBe('length');
    expect(refusal(' ').message).toBe('Inget person- eller samordningsnummer angavs.');
  });

  it('characters other than digits and one separator', () => {
    expect(refusal('19121212 1212').details.reason).toBe('format');
    expect(refusal('1912121X-1212').details.reason).toBe('format');
    expect(refusal('1912-1212-1212').message).toContain('före de fyra sista siffrorna');
  });

  it('+ in the 12-digit form', () => {
    expect(refusal('19121212+1212').message).toContain('Plustecken används bara i den tiosiffriga formen');
  });

  it('bad checksum', () => {
    const error = refusal('19121212-1213');
    expect(error.details.reason).toBe('checksum');
    expect(error.message).toBe(
      'Kontrollsiffran (den sista siffran) stämmer inte: personnumret är troligen felskrivet.',
    );
  });

  it('impossible dates, even with a correct checksum', () => {
    const month13 = appendCheckDigit('121312123');
    expect(refusal(`19${month13}`).message).toBe(
      'Personnumret innehåller inget giltigt datum: månaden ska vara 01–12.',
    );
    const april31 = appendCheckDigit('230431123');
    expect(refusal(`20${april31}`).message).toBe(
      'Personnumret innehåller inget giltigt datum: dagen finns inte i den månaden det året.',
    );
    const february29InCommonYear = appendCheckDigit('230229123');
    expect(refusal(`20${february29InCommonYear}`).details.reason).toBe('date');
    const dayZero = appendCheckDigit('230400123');
    expect(refusal(`20${dayZero}`).details.reason).toBe('date');
    const samordningDay92 = appendCheckDigit('230192123');
    expect(refusal(`20${samordningDay92}`).message).toContain(
      'Samordningsnumret innehåller inget giltigt datum',
    );
  });

  it('a birth date after the reference date', () => {
    const future = appendCheckDigit('300101123');
    const error = refusal(`20${future}`);
    expect(error.details.reason).toBe('futureDate');
    expect(error.message).toBe('Födelsedatumet i personnumret ligger i framtiden.');
    expect(parseIdentityNumber(`20${future}`, '2030-01-01').birthDate).toBe('2030-01-01');
  });
});

describe('deriveIdentityKey', () => {
  const key = 'k'.repeat(32);
  const otherKey = 'q'.repeat(32);

  it('is HMAC-SHA256 in base64url, the same every time for the same number and key', () => {
    const derived = deriveIdentityKey('191212121212', key);
    expect(derived).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(deriveIdentityKey('191212121212', Buffer.from(key))).toBe(derived);
    expect(derived).toBe(createHmac('sha256', key).update('191212121212').digest('base64url'));
    expect(derived).not.toContain('191212121212');
  });

  it('depends on the key and on the number', () => {
    expect(deriveIdentityKey('191212121212', otherKey)).not.toBe(deriveIdentityKey('191212121212', key));
    expect(deriveIdentityKey('200809032386', key)).not.toBe(deriveIdentityKey('191212121212', key));
  });

  it('refuses a key shorter than 32 bytes and a number that is not normalised', () => {
    expect(() => deriveIdentityKey('191212121212', 'k'.repeat(31))).toThrow(RangeError);
    expect(() => deriveIdentityKey('19121212-1212', key)).toThrow(DomainError);
  });
});
