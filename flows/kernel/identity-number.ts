/**
 * Swedish personnummer and samordningsnummer (Skatteverket's formats): parsing, checksum and
 * birth date, and the keyed hash the store is searched on. Pure: the reference date for the
 * century comes in as an argument. Error messages say exactly what is wrong but never repeat
 * the number or any part of it, because they may be shown, logged or stored.
 */
import { createHmac } from 'node:crypto';
import { DomainError } from './errors.js';
import type { CalendarDate } from './value-types.js';

export type IdentityNumberKind = 'personnummer' | 'samordningsnummer';

export interface IdentityNumber {
  /** `YYYYMMDDNNNC`: for a samordningsnummer the day keeps its +60. */
  readonly normalized: string;
  readonly kind: IdentityNumberKind;
  readonly birthDate: CalendarDate;
}

/** Why a number was refused; in `DomainError.details.reason`, for the edge and for tests. */
export type IdentityNumberProblem = 'format' | 'length' | 'date' | 'futureDate' | 'checksum';

/** The smallest accepted key for `deriveIdentityKey`: the HMAC-SHA256 block of security. */
export const minimumIdentityKeyBytes = 32;

const SHAPE = /^(\d{6}|\d{8})([-+]?)(\d{4})$/;

/**
 * Parses a personnummer or samordningsnummer written with 10 or 12 digits, with or without
 * `-` before the last four digits; `+` there (10-digit form only) means the person is 100 or
 * older. The century of a 10-digit number is the one that makes the person younger than 100
 * on `referenceDate` (100 or older with `+`), as Skatteverket defines it.
 *
 * @throws DomainError `invalidIdentityNumber` with a Swedish message naming the problem
 *   (length or format, an impossible or future birth date, the checksum).
 */
export function parseIdentityNumber(input: string, referenceDate: CalendarDate): IdentityNumber {
  const text = input.trim();
  const match = SHAPE.exec(text);
  if (match === null) {
    throw describeShapeProblem(text);
  }
  const [, datePart = '', separator = '', tail = ''] = match;
  if (datePart.length === 8 && separator === '+') {
    throw refuse(
      'format',
      'Plustecken används bara i den tiosiffriga formen (ÅÅMMDD+NNNN), för den som har fyllt 100 år.',
    );
  }

  const month = Number(datePart.slice(-4, -2));
  const dayDigits = Number(datePart.slice(-2));
  const kind: IdentityNumberKind = dayDigits > 60 ? 'samordningsnummer' : 'personnummer';
  const day = kind === 'samordningsnummer' ? dayDigits - 60 : dayDigits;
  const name = kind === 'samordningsnummer' ? 'Samordningsnumret' : 'Personnumret';

  if (month < 1 || month > 12) {
    throw refuse('date', `${name} innehåller inget giltigt datum: månaden ska vara 01–12.`);
  }
  if (day < 1 || day > 31) {
    throw refuse(
      'date',
      `${name} innehåller inget giltigt datum: dagen ska vara 01–31 (i ett samordningsnummer 61–91).`,
    );
  }

  const year =
    datePart.length === 8
      ? Number(datePart.slice(0, 4))
      : inferYear(Number(datePart.slice(0, 2)), month, day, separator === '+', referenceDate);
  if (!isRealDate(year, month, day)) {
    throw refuse('date', `${name} innehåller inget giltigt datum: dagen finns inte i den månaden det året.`);
  }
  const birthDate = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  if (birthDate > referenceDate) {
    throw refuse('futureDate', `Födelsedatumet i ${name.toLowerCase()} ligger i framtiden.`);
  }

  const tenDigits = `${datePart.slice(-6)}${tail}`;
  if (computeLuhnCheckDigit(tenDigits.slice(0, 9)) !== Number(tenDigits.slice(9))) {
    throw refuse(
      'checksum',
      `Kontrollsiffran (den sista siffran) stämmer inte: ${name.toLowerCase()} är troligen felskrivet.`,
    );
  }

  return { normalized: `${pad(year, 4)}${datePart.slice(-4)}${tail}`, kind, birthDate };
}

/**
 * The search key for an identity number: HMAC-SHA256 with a secret key, base64url. The store
 * keeps and searches only this, so a copy of the database does not give the numbers away
 * (without the key, trying every possible number is not possible).
 *
 * @param normalized the 12-digit form from `parseIdentityNumber`
 * @param secretKey at least 32 bytes; a string is taken as its UTF-8 bytes
 */
export function deriveIdentityKey(normalized: string, secretKey: Uint8Array | string): string {
  if (!/^\d{12}$/.test(normalized)) {
    throw refuse('format', 'Identitetsnumret ska vara normaliserat till 12 siffror innan nyckeln beräknas.');
  }
  const keyBytes = typeof secretKey === 'string' ? Buffer.from(secretKey, 'utf8') : secretKey;
  if (keyBytes.byteLength < minimumIdentityKeyBytes) {
    throw new RangeError(
      `Nyckeln för identitetsnummer (IDENTITY_HASH_KEY) ska vara minst ${minimumIdentityKeyBytes} byte lång.`,
    );
  }
  return createHmac('sha256', keyBytes).update(normalized, 'utf8').digest('base64url');
}

/** Luhn (modulus 10) over the nine digits YYMMDDNNN, weights 2,1,2,1,… */
export function computeLuhnCheckDigit(nineDigits: string): number {
  let sum = 0;
  for (let index = 0; index < nineDigits.length; index += 1) {
    const product = Number(nineDigits[index]) * (index % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return (10 - (sum % 10)) % 10;
}

function inferYear(
  twoDigitYear: number,
  month: number,
  day: number,
  hundredOrOlder: boolean,
  referenceDate: CalendarDate,
): number {
  const referenceYear = Number(referenceDate.slice(0, 4));
  let year = Math.floor(referenceYear / 100) * 100 + twoDigitYear;
  const monthDay = `${pad(month, 2)}-${pad(day, 2)}`;
  if (year > referenceYear || (year === referenceYear && monthDay > referenceDate.slice(5))) {
    year -= 100;
  }
  return hundredOrOlder ? year - 100 : year;
}

function describeShapeProblem(text: string): DomainError {
  if (text === '') {
    return refuse('length', 'Inget person- eller samordningsnummer angavs.');
  }
  if (!/^[\d+-]*$/.test(text)) {
    return refuse(
      'format',
      'Person- eller samordningsnumret får bara innehålla siffror, och ett bindestreck eller plustecken före de fyra sista siffrorna.',
    );
  }
  const digits = text.replace(/\D/g, '').length;
  if (digits !== 10 && digits !== 12) {
    return refuse(
      'length',
      `Person- eller samordningsnumret ska ha 10 eller 12 siffror (ÅÅMMDD-NNNN eller ÅÅÅÅMMDD-NNNN), men har ${digits}.`,
    );
  }
  return refuse(
    'format',
    'Bindestreck eller plustecken får bara stå en gång, före de fyra sista siffrorna (ÅÅMMDD-NNNN).',
  );
}

function refuse(reason: IdentityNumberProblem, message: string): DomainError {
  return new DomainError('invalidIdentityNumber', message, { reason });
}

function isRealDate(year: number, month: number, day: number): boolean {
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
