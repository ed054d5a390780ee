/**
 * Booking the Individuellt barnteam's next meeting from the Barnets plan card, through the bot as
 * Teams talks to it, in the embedded calendar: the owner's "Boka nästa möte", the proposed times,
 * the booked meeting with its Teams link on the card, a double click, and a member without the
 * button.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { people, personalConversationId } from '../support/bot-activities.js';
import { findAction, listActions } from '../support/card-actions.js';
import { readCardText } from '../support/card-validation.js';
import { useTeamsBot } from '../support/teams-bot.js';
import { walkCase } from '../support/walk-case.js';

const teams = useTeamsBot({ greet: [people.alex, people.maria, people.karin] });

function readCalendarEvents(): { subject: string; body_html: string }[] {
  const db = new Database(teams.calendarPath, { readonly: true });
  try {
    return db.prepare('SELECT subject, body_html FROM calendar_events').all() as {
      subject: string;
      body_html: string;
    }[];
  } finally {
    db.close();
  }
}

describe('the next Individuellt barnteam meeting from Barnets plan', () => {
  it('proposes times, books one event with the case reference only, and shows it on the plan', async () => {
    const walked = await walkCase(teams).to('individuelltBarnteam');
    const { caseId, barnkontakt: maria } = walked;
    let plan = await teams.invoke(maria, 'team.medlem', {
      ...findAction(walked.card, 'team.medlem').data,
      contactId: 'skolskoterska-bjorkskolan',
    });
    const eventsBefore = readCalendarEvents().length;

    // A member sees the plan but not the button.
    const karinsPlan = await teams.invoke(people.karin, 'plan.visa', { caseId });
    expect(listActions(karinsPlan).map((action) => action.verb)).not.toContain('plan.foreslaMote');

    plan = await teams.invoke(maria, 'plan.foreslaMote', findAction(plan, 'plan.foreslaMote').data);
    const slots = listActions(plan).filter((action) => action.verb === 'plan.bokaMote');
    expect(slots.length).toBeGreaterThan(0);
    const slot = slots[0];
    if (slot === undefined) throw new Error('Ingen tid');

    plan = await teams.invoke(maria, 'plan.bokaMote', slot.data);
    const text = readCardText(plan);
    expect(text).toContain('Mötet är bokat');
    expect(text).toMatch(/Nästa möte: \p{L}+dag \d+ \p{L}+ \d{4} kl\. \d\d:\d\d–\d\d:\d\d/u);
    expect(JSON.stringify(plan)).toMatch(
      /"type":"Action\.OpenUrl","title":"Anslut till mötet i Teams","url":"[^"]+"/,
    );

    // The second click of a double click books nothing more.
    const again = await teams.invoke(maria, 'plan.bokaMote', slot.data);
    expect(readCardText(again)).toContain('Mötet är redan bokat.');
    const events = readCalendarEvents().slice(eventsBefore);
    expect(events).toHaveLength(1);
    const stored = await teams.stores.cases.get(caseId);
    const reference = stored?.value.reference ?? '';
    expect(events[0]?.subject).toBe(`Individuellt barnteam ${reference}`);
    expect(`${events[0]?.subject} ${events[0]?.body_html}`).not.toContain('Testbarn');
    expect(text).not.toContain('Testbarn');

    const posts = teams.stores
      .snapshot()
      .outbox.filter(
        (message) =>
          message.recipientKey === `teamkanal:${caseId}` &&
          message.payload.kind === 'notice' &&
          message.payload.data.event === 'motesBokat',
      );
    expect(posts).toHaveLength(1);

    // The day before, the member is reminded once in the personal chat, with the time and the link.
    const meeting = stored?.value.barnetsPlan?.nextMeeting;
    if (meeting === undefined) throw new Error('Mötet saknas i planen');
    const remindersToKarin = () =>
      teams.connector
        .filter((request) =>
          request.path.startsWith(`/v3/conversations/${personalConversationId(people.karin)}/`),
        )
        .map((request) => request.body.text)
        .filter((text): text is string => typeof text === 'string' && text.includes('Individuellt barnteam'));
    teams.setNow(new Date(Date.parse(meeting.start) - 24 * 60 * 60_000 + 60_000).toISOString());
    await teams.bot.backgroundWork.runOnce();
    await teams.bot.backgroundWork.runOnce();
    const reminders = remindersToKarin();
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toContain(`Påminnelse: Individuellt barnteam för ärende ${reference}`);
    expect(reminders[0]).toContain(`Anslut i Teams: ${meeting.joinUrl}`);
    expect(reminders[0]).not.toContain('Testbarn');
  });
});
