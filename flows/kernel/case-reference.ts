/**
 * The short case reference staff read to each other over the phone, e.g. `BB-4K7Q-2M9C`:
 * seven Crockford base32 characters (35 bits) and one check character. Crockford's alphabet
 * leaves out I, L, O and U, so a reference never holds a letter that looks or sounds like a
 * digit; when one is typed anyway it is read as the digit it resembles.
 *
 * The check character (Luhn mod 32) catches every single mistyped character and almost every
 * swap of two neighbours. Randomness comes in as bytes: `flows/` does not draw random numbers,
 * so a test can pass fixed bytes. 35 bits make collisions rare but not impossible: the store's
 * unique id is the case id, and the caller retries with new bytes if a reference is taken.
 */
import { DomainError } from './errors.js';

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const prefix = 'BB';
const dataLength = 7;
/** Bytes needed to fill the data characters. */
export const caseReferenceByteLength = Math.ceil((dataLength * 5) / 8);

/**
 * Formats random bytes as a reference `BB-XXXX-XXXC` (C = check character).
 *
 * @throws DomainError('invalidInput') when fewer than `caseReferenceByteLength` bytes are given.
 */
export function formatCaseReference(bytes: Uint8Array): string {
  if (bytes.length < caseReferenceByteLength) {
    throw new DomainError('invalidInput', `Ärendereferensen behöver ${caseReferenceByteLength} slumpbyte.`);
  }
  let bits = 0n;
  for (const byte of bytes.subarray(0, caseReferenceByteLength)) {
    bits = (bits << 8n) | BigInt(byte);
  }
  const spareBits = BigInt(caseReferenceByteLength * 8 - dataLength * 5);
  bits >>= spareBits;
  let data = '';
  for (let position = dataLength - 1; position >= 0; position -= 1) {
    data += alphabet[Number((bits >> BigInt(position * 5)) & 31n)];
  }
  const body = data + checkCharacter(data);
  return `${prefix}-${body.slice(0, 4)}-${body.slice(4)}`;
}

/**
 * Reads what a person typed or said back: any case, spaces or dashes, O for 0 and I or L for 1.
 * Returns the canonical reference, or `undefined` when it is not a reference or the check fails.
 */
export function normalizeCaseReference(text: string): string | undefined {
  const compact = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!compact.startsWith(prefix)) {
    return undefined;
  }
  const body = compact.slice(prefix.length);
  if (body.length !== dataLength + 1 || [...body].some((character) => !alphabet.includes(character))) {
    return undefined;
  }
  if (checkCharacter(body.slice(0, dataLength)) !== body.slice(dataLength)) {
    return undefined;
  }
  return `${prefix}-${body.slice(0, 4)}-${body.slice(4)}`;
}

/** Whether the text is a well-formed reference whose check character matches. */
export function isValidCaseReference(text: string): boolean {
  return normalizeCaseReference(text) !== undefined;
}

// Luhn mod N (N = 32): doubles every second value from the right, so that neighbours weigh differently.
function checkCharacter(data: string): string {
  const base = alphabet.length;
  let sum = 0;
  let factor = 2;
  for (let index = data.length - 1; index >= 0; index -= 1) {
    const value = alphabet.indexOf(data[index] as string) * factor;
    sum += Math.floor(value / base) + (value % base);
    factor = factor === 2 ? 1 : 2;
  }
  return alphabet[(base - (sum % base)) % base] as string;
}
