/**
 * The log review through the bot: a log reviewer types logguppföljning and gets the access log
 * of the period as a card, the unusual marked, and the review itself lands in the access log;
 * anyone else is refused. The weekly summary goes out once on Monday morning even when two
 * sweeps race for it.
 */
import { describe, expect, it } from 'vitest';
import { logReviewAuditCaseId, logReviewMessages } from '../../flows/log-review/review-access-log.js';
import { reviewPeriodUsage } from '../../flows/log-review/review-period.js';
import { buildWeeklyLogReviewReminder, nextReviewMonday } from '../../flows/log-review/weekly-log-review.js';
import { type Person, people, personalConversationId } from '../support/bot-activities.js';
import { readCardText } from '../support/card-validation.js';
import { useTeamsBot } from '../support/teams-bot.js';
import { walkCase } from '../support/walk-case.js';

/** Omar Haddad, the sample directory's log reviewer (logReview.reviewers). */
const omar: Person = {
  aadObjectId: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e07',
  id: '29:omar',
  name: 'Omar Haddad',
};

const teams = useTeamsBot({ greet: [people.alex, people.maria, people.sara, omar] });

function textsTo(person: Person): string[] {
  const chat = `/v3/conversations/${personalConversationId(person)}/activities`;
  return teams.connector
    .filter((request) => request.path.startsWith(chat) && typeof request.body.text === 'string')
    .map((request) => String(request.body.text));
}

const reviewCardsTo = (person: Person) =>
  teams.cardsTo(person).filter((card) => readCardText(card).includes('Logguppföljning '));

describe('logguppföljning', () => {
  it('gives the log reviewer the period’s accesses by reference with an unusual read marked, and logs the review', async () => {
    const walked = await walkCase(teams).to('mottagen');
    // Sara has no role in the case: the bot refuses her and audits it.
    await teams.say(people.sara, `visa ${walked.reference}`);
    // A read by Johan without a role, as a tab read of an older version would have left it.
    await teams.stores.audit.append({
      id: 'audit-johan-utan-roll',
      at: '2026-03-03T09:30:00.000Z',
      actor: people.johan.aadObjectId,
      action: 'lasPlan',
      caseId: walked.caseId,
      outcome: 'allowed',
      purpose: 'Läste planen i kanalfliken',
    });
    teams.setNow('2026-03-04T08:00:00.000Z');

    await teams.say(omar, 'logguppföljning');

    const card = reviewCardsTo(omar).at(-1);
    const text = readCardText(card);
    expect(text).toContain('Logguppföljning 26 februari 2026 – 4 mars 2026');
    expect(text).toContain(`${walked.reference} · läste Barnets plan`);
    expect(text).toContain('Läst utan roll i ärendet');
    expect(text).toContain('Johan Ek (Bitr. rektor)');
    expect(text).toContain('Nekad åtgärd');
    expect(text).toContain('Sara Holm (Rektor)');
    expect(text).toContain('Syfte: Läste planen i kanalfliken');
    expect(text).not.toContain('Testbarn');
    expect(text.indexOf('Läst utan roll i ärendet')).toBeLessThan(text.indexOf('Övriga händelser'));
    expect(await teams.stores.audit.listForCase(logReviewAuditCaseId)).toEqual([
      expect.objectContaining({
        actor: omar.aadObjectId,
        action: 'logguppfoljning',
        outcome: 'allowed',
        purpose: 'Logguppföljning av perioden 2026-02-26–2026-03-04',
      }),
    ]);

    // The next review shows the first one among the reviews of the period.
    await teams.say(omar, 'logguppfoljning 2026-03-01 2026-03-04');
    expect(readCardText(reviewCardsTo(omar).at(-1))).toContain(
      '4 mars 2026 kl. 09:00 · Omar Haddad (Samordnare) · Logguppföljning av perioden 2026-02-26–2026-03-04',
    );
  });

  it('typed in a channel, the review goes to the personal chat and the channel gets a pointer only', async () => {
    await walkCase(teams).to('mottagen');

    await teams.say(omar, '<at>Backa barnet</at> logguppföljning', { where: 'channel' });

    const inChannel = teams.connector.filter((request) => request.path.includes('personalrum-bjorkskolan'));
    expect(inChannel.map((request) => request.body.text)).toEqual([
      'Logguppföljningen finns i din personliga chatt med Backa barnet.',
    ]);
    expect(JSON.stringify(inChannel)).not.toContain('BB-');
    expect(reviewCardsTo(omar)).toHaveLength(1);
  });

  it('refuses anyone but a log reviewer, in Swedish, with the refusal logged and no card', async () => {
    await walkCase(teams).to('mottagen');

    await teams.say(people.maria, 'logguppföljning 2026-03-01 2026-03-03');

    expect(textsTo(people.maria).at(-1)).toBe(logReviewMessages.notReviewer);
    expect(reviewCardsTo(people.maria)).toEqual([]);
    expect(await teams.stores.audit.listForCase(logReviewAuditCaseId)).toEqual([
      expect.objectContaining({ actor: people.maria.aadObjectId, outcome: 'refused' }),
    ]);
  });

  it('tells the log reviewer how to write a period they mistyped', async () => {
    await teams.say(omar, 'logguppföljning 1 mars');

    expect(textsTo(omar).at(-1)).toBe(`Perioden gick inte att läsa. ${reviewPeriodUsage}`);
    expect(reviewCardsTo(omar)).toEqual([]);
  });

  it('sends the weekly review once on Monday morning with two sweeps racing, and schedules the next week', async () => {
    await walkCase(teams).to('mottagen');
    const monday = nextReviewMonday(teams.clock.now());
    expect(monday).toBe('2026-03-09');
    await teams.stores.reminders.schedule(
      buildWeeklyLogReviewReminder(monday, teams.clock.now().toISOString()),
    );
    teams.setNow('2026-03-09T06:00:30.000Z');

    await Promise.all([teams.bot.backgroundWork.runOnce(), teams.bot.backgroundWork.runOnce()]);
    await teams.bot.backgroundWork.runOnce();

    const cards = reviewCardsTo(omar);
    expect(cards).toHaveLength(1);
    expect(readCardText(cards[0])).toContain('Logguppföljning 2 mars 2026 – 8 mars 2026');
    expect(reviewCardsTo(people.maria)).toEqual([]);
    expect((await teams.stores.reminders.get('logguppfoljning-2026-W11'))?.value.status).toBe('done');
    expect((await teams.stores.reminders.get('logguppfoljning-2026-W12'))?.value).toMatchObject({
      status: 'scheduled',
      dueAt: '2026-03-16T06:00:00.000Z',
    });
    expect(await teams.stores.audit.listForCase(logReviewAuditCaseId)).toEqual([
      expect.objectContaining({ actor: 'system', at: '2026-03-09T06:00:00.000Z' }),
    ]);
  });
});
