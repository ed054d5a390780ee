/**
 * The period a log review covers, as the log reviewer types it after `logguppföljning`: two
 * Stockholm dates (both days included), one date (from that day up to today) or none (the last
 * seven days, today included). The audit log is listed between the Stockholm midnights around it.
 */
import { z } from 'zod';
import { type CalendarDate, type Instant, ZCalendarDate } from '../kernel/case.js';
import { addDaysToDate, daysBetween, fromStockholmClock, toStockholmDate } from '../kernel/stockholm-date.js';

/** A review period: Stockholm dates, both included. */
export interface ReviewPeriod {
  readonly from: CalendarDate;
  readonly to: CalendarDate;
}

/** How many days one review may cover: a year, so that a review stays a readable card. */
export const maxReviewPeriodDays = 366;
export const defaultReviewPeriodDays = 7;

export const reviewPeriodUsage =
  'Skriv logguppföljning och eventuellt en period med två datum, till exempel: logguppföljning 2026-11-01 2026-11-30. Utan period gäller de senaste 7 dagarna.';

const ZPeriodWords = z.union([
  z.tuple([]),
  z.tuple([ZCalendarDate]),
  z.tuple([ZCalendarDate, ZCalendarDate]),
]);

export type ReviewPeriodParse =
  | { readonly ok: true; readonly period: ReviewPeriod }
  | { readonly ok: false; readonly message: string };

/** `logguppföljning` or `logguppfoljning` (any case, after an @mention): the words after it, or `undefined`. */
export function readLogReviewCommand(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const cleaned = text
    .replace(/<at>.*?<\/at>/gi, ' ')
    .replace(/\u00a0/g, ' ')
    .trim();
  const match = /^loggupp(?:f[öo]ljning)(?:\s+(.*))?$/iu.exec(cleaned.normalize('NFC'));
  if (match === null) return undefined;
  return (match[1] ?? '').split(/\s+/).filter((word) => word.length > 0);
}

/** The period the words give, checked against `today` (Stockholm). */
export function parseReviewPeriod(words: readonly string[], today: CalendarDate): ReviewPeriodParse {
  const parsed = ZPeriodWords.safeParse(words.map((word) => word.replace(/[–—]/g, '-')));
  if (!parsed.success) return { ok: false, message: `Perioden gick inte att läsa. ${reviewPeriodUsage}` };
  const [from, to] = parsed.data;
  const period: ReviewPeriod =
    from === undefined
      ? { from: addDaysToDate(today, -(defaultReviewPeriodDays - 1)), to: today }
      : { from, to: to ?? today };
  if (period.to < period.from) {
    return { ok: false, message: `Periodens slutdatum ligger före startdatumet. ${reviewPeriodUsage}` };
  }
  if (period.from > today) {
    return {
      ok: false,
      message: `Perioden börjar efter i dag och har ännu ingen logg. ${reviewPeriodUsage}`,
    };
  }
  if (daysBetween(period.from, period.to) + 1 > maxReviewPeriodDays) {
    return {
      ok: false,
      message: `En logguppföljning kan omfatta högst ${maxReviewPeriodDays} dagar: dela upp perioden. ${reviewPeriodUsage}`,
    };
  }
  return { ok: true, period };
}

/** The instants around the period: its first Stockholm midnight and the one after its last day. */
export function toReviewWindow(period: ReviewPeriod): { readonly from: Instant; readonly to: Instant } {
  return { from: stockholmMidnight(period.from), to: stockholmMidnight(addDaysToDate(period.to, 1)) };
}

function stockholmMidnight(date: CalendarDate): Instant {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(
    fromStockholmClock({ year, month, day, hours: 0, minutes: 0, seconds: 0, milliseconds: 0 }),
  ).toISOString();
}

/** The Stockholm date of `now`, for the default period. */
export function reviewToday(now: Date): CalendarDate {
  return toStockholmDate(now);
}
