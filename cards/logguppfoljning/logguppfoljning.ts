/**
 * The log review card (logguppföljning): the period's totals, the unusual entries first, then
 * the rest, and the reviews made in the period. A month of a municipality's access log is far
 * more than one card holds (about 28 KB), so the rows shown are cut to a byte budget measured
 * on the rendered card, and the card says how many rows (and how many unusual ones) it leaves
 * out. Cases are named by reference only; what goes in is already free of child data.
 */
import { z } from 'zod';
import { ZCalendarDate, ZInstant } from '../../flows/kernel/case.js';
import { swedishMonthNames, toStockholmClock, toStockholmDate } from '../../flows/kernel/stockholm-date.js';
import { type AdaptiveCardJson, renderCardTemplate } from '../render-template.js';
import { formatSwedishDate } from '../swedish-format.js';
import template from './logguppfoljning.json' with { type: 'json' };

/** Teams shows about 28 KB of card; the rows stop below that, with room for the rest of the card. */
export const logguppfoljningByteBudget = 26_000;
/** The rows the budget is tried on at most: a card shows far fewer than this anyway. */
const maxCandidateRows = 200;
const maxReviewsShown = 20;

export const logguppfoljningMarks = [
  'nekad',
  'utanRoll',
  'arendetFinnsInte',
  'avslutat',
  'mangaArenden',
] as const;
type Mark = (typeof logguppfoljningMarks)[number];

const ZRow = z.object({
  at: ZInstant,
  actor: z.string().min(1).max(100),
  actorName: z.string().min(1).max(300).optional(),
  caseId: z.string().min(1).max(200),
  caseReference: z.string().min(1).max(40).optional(),
  action: z.string().min(1).max(100),
  outcome: z.enum(['allowed', 'refused']),
  purpose: z.string().max(500).optional(),
  marks: z.array(z.enum(logguppfoljningMarks)),
  /** For a read in a burst that began before the period. */
  burstBeganAt: ZInstant.optional(),
});

export const ZLogguppfoljningData = z.object({
  periodFrom: ZCalendarDate,
  periodTo: ZCalendarDate,
  manyCases: z.object({ cases: z.number().int().min(2), withinMinutes: z.number().int().min(1) }),
  totals: z.object({
    entries: z.number().int().nonnegative(),
    reads: z.number().int().nonnegative(),
    refused: z.number().int().nonnegative(),
    unusual: z.number().int().nonnegative(),
    cases: z.number().int().nonnegative(),
    people: z.number().int().nonnegative(),
  }),
  /** The period holds more entries than one review reads: what was read of it. */
  incomplete: z.object({ entriesRead: z.number().int().positive(), lastReadAt: ZInstant }).optional(),
  /** In time order; the card puts the unusual first. */
  rows: z.array(ZRow),
  reviews: z.array(
    z.object({
      at: ZInstant,
      actorName: z.string().min(1).max(300).optional(),
      purpose: z.string().max(500).optional(),
    }),
  ),
});
export type LogguppfoljningData = z.input<typeof ZLogguppfoljningData>;

const readActionLabels: Readonly<Record<string, string>> = {
  lasArende: 'läste ärendet',
  lasPlan: 'läste Barnets plan',
  lasSkattningsformular: 'läste Skattningsformuläret',
  lasGemensamBehovskompass: 'läste den gemensamma Behovskompassen',
};

/** `2026-11-28T13:03:00Z` → `28 november 2026 kl. 14:03` (Stockholm). */
export function formatSwedishDateTime(instant: string): string {
  const clock = toStockholmClock(Date.parse(instant));
  const time = `${String(clock.hours).padStart(2, '0')}:${String(clock.minutes).padStart(2, '0')}`;
  return `${clock.day} ${swedishMonthNames[clock.month - 1]} ${clock.year} kl. ${time}`;
}

function describeMark(mark: Mark, manyCasesText: string, burstBeganAt: string | undefined): string {
  switch (mark) {
    case 'nekad':
      return 'Nekad åtgärd';
    case 'utanRoll':
      return 'Läst utan roll i ärendet';
    case 'arendetFinnsInte':
      return 'Ärendet finns inte längre: rollen kan inte kontrolleras';
    case 'avslutat':
      return 'Läst när ärendet var avslutat';
    case 'mangaArenden':
      return burstBeganAt === undefined
        ? `Läste ${manyCasesText}`
        : `Läste ${manyCasesText}, räknat från ${formatSwedishDateTime(burstBeganAt)} före perioden`;
  }
}

type Row = z.output<typeof ZRow>;

function toRowData(row: Row, manyCasesText: string) {
  const who = row.actorName ?? (row.actor === 'system' ? 'Boten' : `okänd användare (${row.actor})`);
  const what = readActionLabels[row.action] ?? `åtgärd ${row.action}`;
  const where =
    row.caseReference === undefined ? `ärende som inte längre finns (id ${row.caseId})` : row.caseReference;
  return {
    heading: `${formatSwedishDateTime(row.at)} · ${who}`,
    detail: `${where} · ${what}${row.outcome === 'refused' ? ' · nekades' : ''}`,
    marks: row.marks.map((mark) => describeMark(mark, manyCasesText, row.burstBeganAt)).join(' · '),
    hasPurpose: row.purpose !== undefined && row.purpose !== '',
    purpose: row.purpose === undefined || row.purpose === '' ? '' : `Syfte: ${row.purpose}`,
  };
}

/**
 * @throws CardRenderError when the data does not match `ZLogguppfoljningData`.
 */
export function renderLogguppfoljning(data: LogguppfoljningData): AdaptiveCardJson {
  const parsed = ZLogguppfoljningData.parse(data);
  const unusual = parsed.rows.filter((row) => row.marks.length > 0);
  const other = parsed.rows.filter((row) => row.marks.length === 0);
  const candidates = [...unusual, ...other].slice(0, maxCandidateRows);
  const render = (count: number) =>
    renderWith(data, candidates.slice(0, count), unusual.length, other.length);
  // The largest number of rows whose card fits the budget: the card grows with every row.
  let low = 0;
  let high = candidates.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (byteSize(render(middle)) <= logguppfoljningByteBudget) low = middle;
    else high = middle - 1;
  }
  return render(low);
}

function renderWith(
  data: LogguppfoljningData,
  shown: readonly Row[],
  unusualTotal: number,
  otherTotal: number,
): AdaptiveCardJson {
  return renderCardTemplate('logguppfoljning', template, ZLogguppfoljningData, data, (parsed) => {
    const manyCasesText = `minst ${parsed.manyCases.cases} olika ärenden inom ${parsed.manyCases.withinMinutes} minuter`;
    const unusualShown = shown.filter((row) => row.marks.length > 0);
    const otherShown = shown.filter((row) => row.marks.length === 0);
    const leftOut = unusualTotal + otherTotal - shown.length;
    const unusualLeftOut = unusualTotal - unusualShown.length;
    return {
      periodText: `${formatSwedishDate(parsed.periodFrom)} – ${formatSwedishDate(parsed.periodTo)}`,
      totals: [
        { title: 'Händelser', value: String(parsed.totals.entries) },
        { title: 'Läsningar', value: String(parsed.totals.reads) },
        { title: 'Nekade', value: String(parsed.totals.refused) },
        { title: 'Ovanliga', value: String(parsed.totals.unusual) },
        { title: 'Ärenden', value: String(parsed.totals.cases) },
        { title: 'Personer', value: String(parsed.totals.people) },
      ],
      incomplete: parsed.incomplete !== undefined,
      incompleteText:
        parsed.incomplete === undefined
          ? ''
          : describeIncomplete(parsed.incomplete, parsed.periodFrom, parsed.periodTo),
      unusualCount: String(unusualTotal),
      hasUnusual: unusualTotal > 0,
      unusualRows: unusualShown.map((row) => toRowData(row, manyCasesText)),
      hasOther: otherShown.length > 0,
      noOtherText:
        otherTotal === 0 ? 'Inga andra händelser under perioden.' : 'Övriga händelser får inte plats här.',
      otherRows: otherShown.map((row) => toRowData(row, manyCasesText)),
      hasLeftOut: leftOut > 0,
      leftOutText:
        `${leftOut} ${leftOut === 1 ? 'händelse till visas' : 'händelser till visas'} inte här` +
        (unusualLeftOut > 0 ? `, varav ${unusualLeftOut} ovanliga` : '') +
        ': välj en kortare period för att se dem.',
      hasReviews: parsed.reviews.length > 0,
      // The latest reviews: a period has a few, the card's budget is for the rows.
      reviews: parsed.reviews.slice(-maxReviewsShown).map((review) => ({
        text: `${formatSwedishDateTime(review.at)} · ${review.actorName ?? 'okänd användare'}${review.purpose === undefined ? '' : ` · ${review.purpose}`}`,
      })),
      manyCasesText,
    };
  });
}

/** `20000` → `20 000`, with a no-break space as Swedish writes it. */
function formatCount(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
}

function describeIncomplete(
  incomplete: { entriesRead: number; lastReadAt: string },
  periodFrom: string,
  periodTo: string,
): string {
  const stoppedOn = toStockholmDate(incomplete.lastReadAt);
  const read =
    `Perioden har fler händelser i åtkomstloggen än en logguppföljning läser. Den här läste bara de ` +
    `${formatCount(incomplete.entriesRead)} första, till och med ${formatSwedishDateTime(incomplete.lastReadAt)}: ` +
    'siffrorna och raderna gäller bara dem, inte hela perioden.';
  return stoppedOn > periodFrom
    ? `${read} Se resten med en period som börjar den dag den här slutade, till exempel: logguppföljning ${stoppedOn} ${periodTo}.`
    : `${read} Redan den första dagen har fler händelser än så, så en kortare period räcker inte: be IT-avdelningen om ett uttag ur åtkomstloggen för den dagen.`;
}

function byteSize(card: AdaptiveCardJson): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
