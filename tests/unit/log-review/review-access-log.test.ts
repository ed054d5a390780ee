import { describe, expect, it } from 'vitest';
import { toLogguppfoljningData } from '../../../bot/card-views/log-review-view.js';
import { renderLogguppfoljning } from '../../../cards/logguppfoljning/logguppfoljning.js';
import { followUpFiguresAuditKey } from '../../../flows/follow-up-figures/read-term-figures.js';
import { ZDirectory } from '../../../flows/kernel/directory.js';
import type { AuditEntry } from '../../../flows/kernel/ports.js';
import {
  type LogReview,
  logReviewAuditCaseId,
  logReviewMessages,
  reviewAccessLog,
} from '../../../flows/log-review/review-access-log.js';
import {
  buildWeeklyLogReviewReminder,
  ensureWeeklyLogReview,
  nextReviewMonday,
  sendWeeklyLogReview,
  toIsoWeekLabel,
} from '../../../flows/log-review/weekly-log-review.js';
import { buildDailyRetentionReminder, eraseDueCases } from '../../../flows/retention/erase-due-cases.js';
import { buildContractCase, rektorId } from '../../contract/contract-data.js';
import { buildCase, users } from '../../fixtures/case-fixtures.js';
import { readCardText } from '../../support/card-validation.js';
import { buildDirectory, buildDirectoryInput, createTestFlow } from '../../support/flow-fixtures.js';

function withReviewer() {
  return buildDirectory((input) => {
    (input as Record<string, unknown>).logReview = { reviewers: ['samordnare'], manyCases: { cases: 3 } };
  });
}

function audit(overrides: Partial<AuditEntry> & Pick<AuditEntry, 'id' | 'at'>): AuditEntry {
  return {
    actor: users.barnkontakt,
    action: 'lasArende',
    caseId: 'case-0001',
    outcome: 'allowed',
    ...overrides,
  };
}

async function seed(flow: ReturnType<typeof createTestFlow>) {
  await flow.stores.cases.create(buildCase());
  await flow.stores.audit.append(
    audit({ id: 'a-1', at: '2026-11-02T08:00:00Z', purpose: 'Barnkontakten tar emot kortet' }),
  );
  await flow.stores.audit.append(
    audit({ id: 'a-2', at: '2026-11-02T09:00:00Z', actor: users.annanBarnkontakt }),
  );
  await flow.stores.audit.append(audit({ id: 'a-3', at: '2026-11-03T09:00:00Z', caseId: 'case-gone' }));
  await flow.stores.audit.append(
    audit({
      id: 'a-4',
      at: '2026-11-03T10:00:00Z',
      actor: users.bvc,
      action: 'registreraSamtal',
      outcome: 'refused',
    }),
  );
  // Outside the period: the day after it, Stockholm time (23:00Z is midnight in November).
  await flow.stores.audit.append(audit({ id: 'a-late', at: '2026-11-30T23:00:00Z' }));
}

describe('reviewAccessLog', () => {
  it('lists the period’s accesses by case reference with the unusual marked, and logs the review itself', async () => {
    const flow = createTestFlow({ directory: withReviewer() });
    flow.setNow('2026-12-01T08:00:00Z');
    await seed(flow);

    const result = await reviewAccessLog(flow.deps, users.socialtjanst, {
      from: '2026-11-01',
      to: '2026-11-30',
    });

    if (result.outcome !== 'reviewed') throw new Error('expected a review');
    const { rows, totals } = result.review;
    expect(rows.map((row) => [row.id, row.caseReference, row.marks])).toEqual([
      ['a-1', 'BB-4K7Q-2M9C', []],
      ['a-2', 'BB-4K7Q-2M9C', ['utanRoll']],
      ['a-3', undefined, ['arendetFinnsInte']],
      ['a-4', 'BB-4K7Q-2M9C', ['nekad']],
    ]);
    expect(rows[0]).toMatchObject({
      actorName: 'Maria Lind (Rektor)',
      purpose: 'Barnkontakten tar emot kortet',
    });
    expect(totals).toEqual({ entries: 4, reads: 3, refused: 1, unusual: 3, cases: 2, people: 3 });
    expect(JSON.stringify(result.review)).not.toContain('Testbarn');
    expect(await flow.stores.audit.listForCase(logReviewAuditCaseId)).toEqual([
      expect.objectContaining({
        actor: users.socialtjanst,
        action: 'logguppfoljning',
        outcome: 'allowed',
        at: '2026-12-01T08:00:00.000Z',
        purpose: 'Logguppföljning av perioden 2026-11-01–2026-11-30',
      }),
    ]);
  });

  it('refuses anyone but a log reviewer, shows nothing, and logs the refusal', async () => {
    const flow = createTestFlow({ directory: withReviewer() });
    await seed(flow);

    const result = await reviewAccessLog(flow.deps, users.barnkontakt, {
      from: '2026-11-01',
      to: '2026-11-30',
    });

    expect(result).toEqual({ outcome: 'refused', message: logReviewMessages.notReviewer });
    expect((await flow.stores.audit.listForCase(logReviewAuditCaseId)).map((entry) => entry.outcome)).toEqual(
      ['refused'],
    );
  });

  it('lists earlier reviews in the period apart from the case rows', async () => {
    const flow = createTestFlow({ directory: withReviewer() });
    flow.setNow('2026-11-10T08:00:00Z');
    await reviewAccessLog(flow.deps, users.socialtjanst, { from: '2026-11-01', to: '2026-11-09' });
    flow.setNow('2026-11-20T08:00:00Z');

    const result = await reviewAccessLog(flow.deps, users.socialtjanst, {
      from: '2026-11-01',
      to: '2026-11-30',
    });

    if (result.outcome !== 'reviewed') throw new Error('expected a review');
    expect(result.review.rows).toEqual([]);
    expect(result.review.reviews.map((review) => [review.at, review.purpose])).toEqual([
      ['2026-11-10T08:00:00.000Z', 'Logguppföljning av perioden 2026-11-01–2026-11-09'],
      ['2026-11-20T08:00:00.000Z', 'Logguppföljning av perioden 2026-11-01–2026-11-30'],
    ]);
  });

  it('lists the process team’s figures requests with the reviews, not as reads of a case that is gone', async () => {
    const flow = createTestFlow({ directory: withReviewer() });
    flow.setNow('2026-11-20T08:00:00Z');
    await flow.stores.audit.append(
      audit({
        id: 'f-1',
        at: '2026-11-12T08:00:00Z',
        actor: users.socialtjanst,
        action: 'statistik.visa',
        caseId: followUpFiguresAuditKey,
        purpose: 'Uppföljningssiffror för ht 2026 (sammanräknade, små tal dolda).',
      }),
    );

    const result = await reviewAccessLog(flow.deps, users.socialtjanst, {
      from: '2026-11-01',
      to: '2026-11-30',
    });

    if (result.outcome !== 'reviewed') throw new Error('expected a review');
    expect(result.review.rows).toEqual([]);
    expect(result.review.totals.unusual).toBe(0);
    expect(result.review.reviews.map((review) => review.purpose)).toEqual([
      'Uppföljningssiffror för ht 2026 (sammanräknade, små tal dolda).',
      'Logguppföljning av perioden 2026-11-01–2026-11-30',
    ]);
  });

  it('fails without showing anything when the review cannot be logged', async () => {
    const flow = createTestFlow({ directory: withReviewer() });
    flow.stores.failNext('audit.append', new Error('loggen svarar inte'));

    await expect(
      reviewAccessLog(flow.deps, users.socialtjanst, { from: '2026-11-01', to: '2026-11-30' }),
    ).rejects.toThrow('loggen svarar inte');
    expect(flow.stores.calls).not.toContain('audit.listBetween');
  });
});

describe('the directory’s log reviewers', () => {
  it('must be listed contacts in Teams, each once', () => {
    const input = buildDirectoryInput() as Record<string, unknown>;
    input.logReview = { reviewers: ['samordnare', 'okand', 'samordnare'] };

    const parsed = ZDirectory.safeParse(input);

    expect(parsed.success).toBe(false);
    const messages = parsed.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(messages).toEqual([
      'logReview.reviewers.1: Kontakten "okand" finns inte under contacts',
      'logReview.reviewers.2: Loggranskaren "samordnare" står två gånger',
    ]);
  });

  it('are none by default, with the default threshold of 10 cases within 60 minutes', () => {
    expect(buildDirectory().logReview).toEqual({
      reviewers: [],
      manyCases: { cases: 10, withinMinutes: 60 },
    });
  });
});

describe('the weekly log review', () => {
  it('is due on Monday at 07:00 Stockholm under an id of its ISO week', () => {
    expect(buildWeeklyLogReviewReminder('2026-11-30', '2026-11-25T10:00:00Z')).toMatchObject({
      id: 'logguppfoljning-2026-W49',
      dueAt: '2026-11-30T06:00:00.000Z',
    });
    // Summer time: 07:00 is 05:00Z. Week 1 of 2027 starts on Monday 4 January; 28 December 2026 is week 53.
    expect(buildWeeklyLogReviewReminder('2026-06-01', '2026-05-25T10:00:00Z').dueAt).toBe(
      '2026-06-01T05:00:00.000Z',
    );
    expect(toIsoWeekLabel('2026-12-28')).toBe('2026-W53');
    expect(toIsoWeekLabel('2027-01-04')).toBe('2027-W01');
  });

  it('goes out on the coming Monday: this Monday before 07:00, else the next one', () => {
    expect(nextReviewMonday(new Date('2026-11-30T05:59:00Z'))).toBe('2026-11-30');
    expect(nextReviewMonday(new Date('2026-11-30T06:00:00Z'))).toBe('2026-12-07');
    expect(nextReviewMonday(new Date('2026-12-06T22:59:00Z'))).toBe('2026-12-07');
  });

  it('is scheduled once whatever the number of starts, and not at all without a reviewer', async () => {
    const flow = createTestFlow({ directory: withReviewer() });
    flow.setNow('2026-12-03T11:00:00Z');

    expect(await ensureWeeklyLogReview(flow.deps)).toBe(true);
    expect(await ensureWeeklyLogReview(flow.deps)).toBe(false);
    expect(await ensureWeeklyLogReview(createTestFlow().deps)).toBe(false);
    expect((await flow.stores.reminders.get('logguppfoljning-2026-W50'))?.value.dueAt).toBe(
      '2026-12-07T06:00:00.000Z',
    );
  });

  it('sends the previous week to each reviewer once, logs it, and schedules the next week, also when run twice', async () => {
    const flow = createTestFlow({ directory: withReviewer() });
    await seed(flow);
    const reminder = buildWeeklyLogReviewReminder('2026-11-09', '2026-11-01T10:00:00Z');
    flow.setNow('2026-11-09T06:00:05Z');
    const periods: string[] = [];
    const render = (review: { period: { from: string; to: string }; rows: readonly unknown[] }) => {
      periods.push(`${review.period.from}–${review.period.to}:${review.rows.length}`);
      return { card: { type: 'AdaptiveCard', version: '1.5' }, summary: 'Veckans logguppföljning' };
    };

    expect(await sendWeeklyLogReview(flow.deps, reminder, render)).toEqual({ sentTo: 1 });
    flow.setNow('2026-11-09T06:10:00Z');
    await sendWeeklyLogReview(flow.deps, reminder, render);

    expect(periods).toEqual(['2026-11-02–2026-11-08:4', '2026-11-02–2026-11-08:4']);
    const cards = flow.stores
      .snapshot()
      .outbox.filter((message) => message.id.startsWith('logguppfoljning-'));
    expect(cards.map((message) => [message.id, message.recipientKey])).toEqual([
      ['logguppfoljning-2026-W46:samordnare', users.socialtjanst],
    ]);
    expect((await flow.stores.audit.listForCase(logReviewAuditCaseId)).map((entry) => entry.id)).toEqual([
      'audit-logguppfoljning-2026-W46',
    ]);
    expect((await flow.stores.reminders.get('logguppfoljning-2026-W47'))?.value.dueAt).toBe(
      '2026-11-16T06:00:00.000Z',
    );
  });
});

describe('a period with more entries than one review reads', () => {
  const limits = { pageSize: 4, maxEntries: 10 };
  const periodOf2November = { from: '2026-11-02', to: '2026-11-02' };

  /** `count` reads of the case on 2 November, a minute apart from 08:00Z. */
  async function seedReads(flow: ReturnType<typeof createTestFlow>, count: number) {
    await flow.stores.cases.create(buildCase());
    for (let index = 0; index < count; index += 1) {
      const minute = String(index).padStart(2, '0');
      await flow.stores.audit.append(audit({ id: `r-${minute}`, at: `2026-11-02T08:${minute}:00.000Z` }));
    }
  }

  it('reads up to the limit and says how many it read and up to when, never presenting them as the whole period', async () => {
    const flow = createTestFlow({ directory: withReviewer() });
    flow.setNow('2026-12-01T08:00:00Z');
    await seedReads(flow, 11);

    const result = await reviewAccessLog(flow.deps, users.socialtjanst, periodOf2November, { limits });

    if (result.outcome !== 'reviewed') throw new Error('expected a review');
    expect(result.review.rows.map((row) => row.id)).toEqual(
      Array.from({ length: 10 }, (_, index) => `r-${String(index).padStart(2, '0')}`),
    );
    expect(result.review.incomplete).toEqual({ entriesRead: 10, lastReadAt: '2026-11-02T08:09:00.000Z' });
    const text = readCardText(
      renderLogguppfoljning(toLogguppfoljningData(result.review, flow.deps.directory)),
    );
    expect(text).toContain(
      'Den här läste bara de 10 första, till och med 2 november 2026 kl. 09:09: siffrorna och raderna gäller bara dem, inte hela perioden.',
    );
  });

  it('is whole when the period holds exactly the limit', async () => {
    const flow = createTestFlow({ directory: withReviewer() });
    flow.setNow('2026-12-01T08:00:00Z');
    await seedReads(flow, 10);

    const result = await reviewAccessLog(flow.deps, users.socialtjanst, periodOf2November, { limits });

    if (result.outcome !== 'reviewed') throw new Error('expected a review');
    expect(result.review.rows).toHaveLength(10);
    expect(result.review.incomplete).toBeUndefined();
    expect(
      readCardText(renderLogguppfoljning(toLogguppfoljningData(result.review, flow.deps.directory))),
    ).not.toContain('Perioden har fler händelser');
  });
});

describe('a burst of reads across the boundary between two weekly reviews (3 cases within 60 minutes)', () => {
  it('is marked once, by the review of the week in which it reaches the threshold, counted from its start', async () => {
    const flow = createTestFlow({ directory: withReviewer() });
    const maria = users.barnkontakt;
    // Across the start of the week of 2 November (Monday 00:00 Stockholm is 23:00Z on Sunday)…
    for (const [id, at, caseId] of [
      ['start-1', '2026-11-01T22:40:00.000Z', 'case-a1'],
      ['start-2', '2026-11-01T22:50:00.000Z', 'case-a2'],
      ['start-3', '2026-11-01T23:10:00.000Z', 'case-a3'],
      // …and across its end, into the week of 9 November.
      ['end-1', '2026-11-08T22:50:00.000Z', 'case-b1'],
      ['end-2', '2026-11-08T23:05:00.000Z', 'case-b2'],
      ['end-3', '2026-11-08T23:20:00.000Z', 'case-b3'],
    ] as const) {
      await flow.stores.audit.append(audit({ id, at, caseId, actor: maria }));
    }
    const reviews = new Map<string, LogReview>();
    for (const monday of ['2026-11-02', '2026-11-09', '2026-11-16']) {
      const reminder = buildWeeklyLogReviewReminder(monday, '2026-10-26T10:00:00Z');
      flow.setNow(reminder.dueAt);
      await sendWeeklyLogReview(flow.deps, reminder, (review) => {
        reviews.set(monday, review);
        return {
          card: renderLogguppfoljning(toLogguppfoljningData(review, flow.deps.directory)),
          summary: 'Veckans logguppföljning',
        };
      });
    }
    const burstRows = (monday: string) =>
      (reviews.get(monday)?.rows ?? [])
        .filter((row) => row.marks.includes('mangaArenden'))
        .map((row) => [row.id, row.burstBeganAt]);

    expect(reviews.get('2026-11-02')?.rows.map((row) => row.id)).toEqual(['start-1', 'start-2']);
    expect(burstRows('2026-11-02')).toEqual([]);
    expect(burstRows('2026-11-09')).toEqual([['start-3', '2026-11-01T22:40:00.000Z']]);
    expect(reviews.get('2026-11-09')?.rows.map((row) => row.id)).toEqual(['start-3', 'end-1']);
    expect(burstRows('2026-11-16')).toEqual([
      ['end-2', '2026-11-08T22:50:00.000Z'],
      ['end-3', '2026-11-08T22:50:00.000Z'],
    ]);
    const card = flow.stores
      .snapshot()
      .outbox.find((message) => message.id === 'logguppfoljning-2026-W46:samordnare');
    expect(readCardText(card?.payload)).toContain(
      'Läste minst 3 olika ärenden inom 60 minuter, räknat från 1 november 2026 kl. 23:40 före perioden',
    );
  });
});

describe('the log review after the retention sweep erased a case', () => {
  it('still runs, says the reads were of a case that is gone, and lists the erasure apart', async () => {
    const flow = createTestFlow({ directory: withReviewer() });
    const closedCase = buildContractCase({
      id: 'arende-gallrat',
      reference: 'BB-9GAL-LRAT',
      state: 'avslutad',
    });
    await flow.stores.cases.create({
      ...closedCase,
      chronology: [
        ...closedCase.chronology,
        { at: '2024-10-01T08:00:00Z', by: rektorId, event: 'avsluta', to: 'avslutad' },
      ],
    });
    await flow.stores.audit.append(
      audit({ id: 'read-before-erasure', at: '2026-11-03T09:00:00.000Z', caseId: 'arende-gallrat' }),
    );
    flow.setNow('2026-11-05T01:00:05Z');
    const erased = await eraseDueCases(
      flow.deps,
      buildDailyRetentionReminder('2026-11-05', '2026-11-04T10:00:00Z'),
    );
    expect(erased.erased).toBe(1);

    const reminder = buildWeeklyLogReviewReminder('2026-11-09', '2026-11-01T10:00:00Z');
    flow.setNow(reminder.dueAt);
    const outcome = await sendWeeklyLogReview(flow.deps, reminder, (review) => ({
      card: renderLogguppfoljning(toLogguppfoljningData(review, flow.deps.directory)),
      summary: 'Veckans logguppföljning',
    }));

    expect(outcome).toEqual({ sentTo: 1 });
    const card = flow.stores
      .snapshot()
      .outbox.find((message) => message.id === 'logguppfoljning-2026-W46:samordnare');
    const text = readCardText(card?.payload);
    expect(text).toContain('ärende som inte längre finns (id arende-gallrat) · läste ärendet');
    expect(text).toContain('Ärendet finns inte längre: rollen kan inte kontrolleras');
    expect(text).toContain(
      'Boten (Backa barnet) · Ärendet arende-gallrat (avslutad, stängt 2024-10-01) gallrades efter 24 månader',
    );
    expect(text).not.toMatch(/BB-9GAL-LRAT|Åsa|Öberg|201503142388/);
  });
});
