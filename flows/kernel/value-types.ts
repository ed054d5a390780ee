/**
 * The smallest schemas of the domain (dates, instants, user ids), in a module that imports
 * nothing of ours. `case.ts` re-exports them; schemas that the case embeds (the discovery data)
 * import them from here so that the two modules do not import each other.
 */
import { datetimeRegex, z } from 'zod';

/** Stockholm calendar date, `YYYY-MM-DD`. Dates of birth, due dates, term dates. */
export const ZCalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Datum ska skrivas ÅÅÅÅ-MM-DD')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && isRealDate(value), 'Ogiltigt datum');
export type CalendarDate = z.infer<typeof ZCalendarDate>;

/** An instant in UTC, ISO 8601 with `Z`. Chronology, audit and due times. */
// The same pattern as `z.string().datetime({ offset: false })`, built once: zod 3 builds a new
// RegExp for every datetime check it runs (its `datetimeRegex`), so V8 compiled it anew for
// every instant of every document read or written (`npm run bench`, CPU profile of a submit).
const instantPattern = datetimeRegex({ precision: null, offset: false, local: false });
export const ZInstant = z.string().regex(instantPattern, 'Invalid datetime');
export type Instant = z.infer<typeof ZInstant>;

/** An Entra ID (AAD) object id: the only identity the product trusts for a user. */
export const ZUserId = z.string().uuid();
export type UserId = z.infer<typeof ZUserId>;

function isRealDate(value: string): boolean {
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
