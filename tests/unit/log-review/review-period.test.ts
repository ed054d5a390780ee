import { describe, expect, it } from 'vitest';
import {
  parseReviewPeriod,
  readLogReviewCommand,
  reviewPeriodUsage,
  toReviewWindow,
} from '../../../flows/log-review/review-period.js';

const today = '2026-12-03';

describe('readLogReviewCommand', () => {
  it('accepts logguppföljning with and without ö, any case, after an @mention, and gives the words after it', () => {
    expect(readLogReviewCommand('logguppföljning')).toEqual([]);
    expect(readLogReviewCommand('  LoggUppfoljning 2026-11-01   2026-11-30 ')).toEqual([
      '2026-11-01',
      '2026-11-30',
    ]);
    expect(readLogReviewCommand('<at>Backa barnet</at> logguppföljning 2026-11-01')).toEqual(['2026-11-01']);
    // "ö" typed as o + combining diaeresis, as some keyboards send it.
    expect(readLogReviewCommand('logguppfo\u0308ljning')).toEqual([]);
  });

  it('leaves other texts alone', () => {
    expect(readLogReviewCommand('logg')).toBeUndefined();
    expect(readLogReviewCommand('visa logguppföljning')).toBeUndefined();
    expect(readLogReviewCommand('logguppföljningar')).toBeUndefined();
    expect(readLogReviewCommand(undefined)).toBeUndefined();
  });
});

describe('parseReviewPeriod', () => {
  it('is the last seven days, today included, without dates', () => {
    expect(parseReviewPeriod([], today)).toEqual({
      ok: true,
      period: { from: '2026-11-27', to: '2026-12-03' },
    });
  });

  it('takes two dates as the period, both days included, and one date as from that day up to today', () => {
    expect(parseReviewPeriod(['2026-11-01', '2026-11-30'], today)).toEqual({
      ok: true,
      period: { from: '2026-11-01', to: '2026-11-30' },
    });
    expect(parseReviewPeriod(['2026-12-03'], today)).toEqual({
      ok: true,
      period: { from: '2026-12-03', to: '2026-12-03' },
    });
  });

  it('refuses in Swedish with an example: a bad date, three words, an end before the start, a start after today', () => {
    for (const words of [
      ['2026-02-30'],
      ['1 november'],
      ['2026-11-01', '2026-11-30', 'extra'],
      ['2026-11-30', '2026-11-01'],
      ['2026-12-04'],
    ]) {
      const parsed = parseReviewPeriod(words, today);
      expect(parsed.ok, words.join(' ')).toBe(false);
      if (!parsed.ok) expect(parsed.message).toContain(reviewPeriodUsage);
    }
    const backwards = parseReviewPeriod(['2026-11-30', '2026-11-01'], today);
    expect(!backwards.ok && backwards.message).toContain('slutdatum ligger före startdatumet');
  });

  it('allows a year (366 days) and refuses one day more', () => {
    expect(parseReviewPeriod(['2024-12-03', '2025-12-03'], today).ok).toBe(true);
    const tooLong = parseReviewPeriod(['2024-12-02', '2025-12-03'], today);
    expect(!tooLong.ok && tooLong.message).toContain('högst 366 dagar');
  });
});

describe('toReviewWindow', () => {
  it('runs from the first Stockholm midnight to the one after the last day, in winter and across summer time', () => {
    expect(toReviewWindow({ from: '2026-11-01', to: '2026-11-30' })).toEqual({
      from: '2026-10-31T23:00:00.000Z',
      to: '2026-11-30T23:00:00.000Z',
    });
    // Summer time ends on 25 October 2026: the window starts at +02:00 and ends at +01:00.
    expect(toReviewWindow({ from: '2026-10-24', to: '2026-10-25' })).toEqual({
      from: '2026-10-23T22:00:00.000Z',
      to: '2026-10-25T23:00:00.000Z',
    });
  });
});
