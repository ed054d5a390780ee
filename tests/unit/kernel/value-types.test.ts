import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ZInstant } from '../../../flows/kernel/value-types.js';

describe('ZInstant', () => {
  it('accepts and refuses exactly what zod’s datetime without offset does', () => {
    const reference = z.string().datetime({ offset: false });
    const samples = [
      '2025-02-03T08:15:00Z',
      '2025-02-03T08:15:00.123Z',
      '2025-02-03T08:15Z',
      '2024-02-29T00:00:00Z',
      '2025-02-03T08:15:00.1234567Z',
      '2025-02-03T08:15:00+01:00',
      '2025-02-29T00:00:00Z',
      '2025-02-03 08:15:00Z',
      '2025-13-03T08:15:00Z',
      '2025-02-03T24:00:00Z',
      '2025-02-03T08:15:00z',
      '2025-02-03T08:15:00',
      '',
    ];
    for (const sample of samples) {
      expect(ZInstant.safeParse(sample).success, sample).toBe(reference.safeParse(sample).success);
    }
    // The same pattern object every time: the check holds no state between calls.
    expect(ZInstant.safeParse('2025-02-03T08:15:00Z').success).toBe(true);
  });
});
