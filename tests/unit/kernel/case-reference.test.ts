import { describe, expect, it } from 'vitest';
import {
  caseReferenceByteLength,
  formatCaseReference,
  isValidCaseReference,
  normalizeCaseReference,
} from '../../../flows/kernel/case-reference.js';

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function bytesFrom(seed: number): Uint8Array {
  // A small deterministic generator: the tests need many different references, not real randomness.
  const bytes = new Uint8Array(caseReferenceByteLength);
  let state = seed >>> 0;
  for (let index = 0; index < bytes.length; index += 1) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

describe('formatCaseReference', () => {
  it('formats bytes as BB-XXXX-XXXX without ambiguous letters', () => {
    const reference = formatCaseReference(new Uint8Array([0x21, 0x4e, 0x9f, 0x5a, 0xc3]));
    expect(reference).toMatch(/^BB-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(reference).not.toMatch(/[ILOU]/);
  });

  it('is deterministic and different bytes give different references', () => {
    expect(formatCaseReference(bytesFrom(1))).toBe(formatCaseReference(bytesFrom(1)));
    const references = new Set(
      Array.from({ length: 2000 }, (_, seed) => formatCaseReference(bytesFrom(seed))),
    );
    expect(references.size).toBe(2000);
  });

  it('refuses too few bytes', () => {
    expect(() => formatCaseReference(new Uint8Array(4))).toThrow('Ärendereferensen behöver 5 slumpbyte.');
  });

  it('encodes all zero bytes as zeros with a matching check character', () => {
    expect(formatCaseReference(new Uint8Array(5))).toBe('BB-0000-0000');
  });
});

describe('isValidCaseReference', () => {
  const reference = formatCaseReference(bytesFrom(42));

  it('accepts a reference as it was formatted, and as it is typed or read back', () => {
    expect(isValidCaseReference(reference)).toBe(true);
    expect(isValidCaseReference(reference.toLowerCase())).toBe(true);
    expect(isValidCaseReference(reference.replaceAll('-', ' '))).toBe(true);
    expect(normalizeCaseReference(` ${reference.toLowerCase().replaceAll('-', '')} `)).toBe(reference);
  });

  it('reads O as 0 and I or L as 1', () => {
    const withZeroAndOne = formatCaseReference(new Uint8Array([0x00, 0x84, 0x21, 0x08, 0x42]));
    expect(withZeroAndOne).toMatch(/[01]/);
    const misread = withZeroAndOne.slice(3).replaceAll('0', 'O').replaceAll('1', 'l');
    expect(normalizeCaseReference(`BB-${misread}`)).toBe(withZeroAndOne);
  });

  it('detects every single mistyped character', () => {
    for (let seed = 0; seed < 50; seed += 1) {
      const valid = formatCaseReference(bytesFrom(seed));
      const body = valid.replaceAll('-', '').slice(2);
      for (let position = 0; position < body.length; position += 1) {
        for (const replacement of alphabet) {
          if (replacement === body[position]) {
            continue;
          }
          const typo = `BB${body.slice(0, position)}${replacement}${body.slice(position + 1)}`;
          expect(isValidCaseReference(typo), typo).toBe(false);
        }
      }
    }
  });

  it('detects swapped neighbours', () => {
    const valid = 'BB-4K7Q-2M9';
    const full = normalizeCaseReference(`${valid}${checkFor(valid)}`);
    expect(full).toBeDefined();
    const swapped = `BB-K47Q-2M9${checkFor(valid)}`;
    expect(isValidCaseReference(swapped)).toBe(false);
  });

  it('rejects other text', () => {
    for (const text of ['', 'BB', 'BB-4K7Q', 'XX-4K7Q-2M9C', 'BB-4K7Q-2M9CC', 'BB-4K7Q-2M9U', 'ärende 12']) {
      expect(isValidCaseReference(text), text).toBe(false);
    }
  });
});

function checkFor(withoutCheck: string): string {
  for (const candidate of alphabet) {
    if (isValidCaseReference(`${withoutCheck}${candidate}`)) {
      return candidate;
    }
  }
  throw new Error('no check character fits');
}
