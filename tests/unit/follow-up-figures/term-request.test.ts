import { describe, expect, it } from 'vitest';
import {
  describeTerm,
  isTermRequest,
  parseTermRequest,
  termOf,
  termRequestMessages,
} from '../../../flows/follow-up-figures/term-request.js';

const inMarch = new Date('2026-03-03T09:00:00.000Z');

describe('parseTermRequest', () => {
  it('gives the current term for a bare "statistik"', () => {
    expect(parseTermRequest('statistik', inMarch)).toEqual({ ok: true, term: { season: 'vt', year: 2026 } });
    expect(parseTermRequest('<at>Backa barnet</at> Statistik ', inMarch)).toEqual({
      ok: true,
      term: { season: 'vt', year: 2026 },
    });
  });

  it.each([
    ['statistik vt 2026', { season: 'vt', year: 2026 }],
    ['statistik ht 2025', { season: 'ht', year: 2025 }],
    ['STATISTIK  HT   2025', { season: 'ht', year: 2025 }],
    ['statistik vt2024', { season: 'vt', year: 2024 }],
  ])('reads "%s"', (text, term) => {
    expect(parseTermRequest(text, inMarch)).toEqual({ ok: true, term });
  });

  it.each([
    'statistik våren',
    'statistik 2026',
    'statistik vt 26',
    'statistik vt 2026 extra',
    'statistik hösten 2025',
  ])('answers "%s" with a Swedish example', (text) => {
    const answer = parseTermRequest(text, inMarch);
    expect(answer).toEqual({ ok: false, message: termRequestMessages.usage });
    expect(termRequestMessages.usage).toContain('statistik vt 2026');
  });

  it('refuses a year out of range and a term that has not begun', () => {
    expect(parseTermRequest('statistik ht 1999', inMarch)).toEqual({
      ok: false,
      message: termRequestMessages.yearOutOfRange,
    });
    const future = parseTermRequest('statistik ht 2026', inMarch);
    expect(future.ok).toBe(false);
    expect(future.ok ? '' : future.message).toBe(
      'Terminen ht 2026 har inte börjat än. Den senaste terminen med siffror är vt 2026: skriv statistik vt 2026.',
    );
  });
});

describe('termOf', () => {
  it('takes the Stockholm date: 30 June 23:30 UTC is already 1 July, the autumn term', () => {
    expect(termOf(new Date('2026-06-30T21:59:00.000Z'))).toEqual({ season: 'vt', year: 2026 });
    expect(termOf(new Date('2026-06-30T22:00:00.000Z'))).toEqual({ season: 'ht', year: 2026 });
    expect(termOf(new Date('2025-12-31T23:30:00.000Z'))).toEqual({ season: 'vt', year: 2026 });
  });

  it('names the term in words', () => {
    expect(describeTerm({ season: 'ht', year: 2025 })).toBe('Höstterminen 2025 (1 juli–31 december)');
  });
});

describe('isTermRequest', () => {
  it('matches the command and not words that only begin like it', () => {
    expect(isTermRequest('statistik')).toBe(true);
    expect(isTermRequest('statistik foo')).toBe(true);
    expect(isTermRequest('statistiken')).toBe(false);
    expect(isTermRequest('visa BB-4K7Q-2M9C')).toBe(false);
    expect(isTermRequest(undefined)).toBe(false);
  });
});
