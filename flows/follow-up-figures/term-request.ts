/**
 * What the process team types to ask for a term's figures: `statistik` (the term now, in
 * Stockholm time), `statistik vt 2026` or `statistik ht 2025`. A term that has not begun yet has
 * no figures, so it is refused rather than shown as a table of zeros.
 */
import { z } from 'zod';
import { toStockholmDate } from '../kernel/stockholm-date.js';
import { type Term, ZTerm } from './term-figures.js';

export const termRequestMessages = {
  usage:
    'Skriv statistik för den här terminen, eller statistik och en termin, till exempel: statistik vt 2026 eller statistik ht 2025.',
  yearOutOfRange: 'Året ska vara mellan 2000 och 2200, till exempel: statistik ht 2025.',
} as const;

/** The term an instant falls in, by its date in Stockholm. */
export function termOf(instant: Date): Term {
  const date = toStockholmDate(instant);
  const month = Number(date.slice(5, 7));
  return { season: month <= 6 ? 'vt' : 'ht', year: Number(date.slice(0, 4)) };
}

/** "vt 2026", as typed and in file names. */
export function formatTerm(term: Term): string {
  return `${term.season} ${term.year}`;
}

/** "Vårterminen 2026 (1 januari–30 juni)", for the card's heading. */
export function describeTerm(term: Term): string {
  return term.season === 'vt'
    ? `Vårterminen ${term.year} (1 januari–30 juni)`
    : `Höstterminen ${term.year} (1 juli–31 december)`;
}

function compareTerms(a: Term, b: Term): number {
  return a.year !== b.year ? a.year - b.year : a.season === b.season ? 0 : a.season === 'vt' ? -1 : 1;
}

/** Text with the bot's @mention removed, in one form: NFC, no nbsp, trimmed, lower case. */
function normalizeCommandText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/<at>.*?<\/at>/gi, ' ')
    .replace(/\u00a0/g, ' ')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

/** Whether the text is a `statistik` command at all (well formed or not). */
export function isTermRequest(text: string | undefined): boolean {
  if (text === undefined) return false;
  return /^statistik(\s|$)/.test(normalizeCommandText(text));
}

const ZTermArgument = z
  .string()
  .regex(/^(vt|ht) ?(\d{4})$/, termRequestMessages.usage)
  .transform((argument) => {
    const match = /^(vt|ht) ?(\d{4})$/.exec(argument);
    return { season: match?.[1], year: Number(match?.[2]) };
  })
  .pipe(ZTerm);

export type TermRequest =
  | { readonly ok: true; readonly term: Term }
  | { readonly ok: false; readonly message: string };

/**
 * The term a `statistik` command asks for; `now` gives the current term when none is named and
 * the latest term that may be asked for.
 */
export function parseTermRequest(text: string, now: Date): TermRequest {
  const normalized = normalizeCommandText(text);
  const argument = normalized.replace(/^statistik/, '').trim();
  const current = termOf(now);
  if (argument === '') return { ok: true, term: current };
  const parsed = ZTermArgument.safeParse(argument);
  if (!parsed.success) {
    const yearIssue = parsed.error.issues.some((issue) => issue.path[0] === 'year');
    return { ok: false, message: yearIssue ? termRequestMessages.yearOutOfRange : termRequestMessages.usage };
  }
  if (compareTerms(parsed.data, current) > 0) {
    return {
      ok: false,
      message: `Terminen ${formatTerm(parsed.data)} har inte börjat än. Den senaste terminen med siffror är ${formatTerm(current)}: skriv statistik ${formatTerm(current)}.`,
    };
  }
  return { ok: true, term: parsed.data };
}
