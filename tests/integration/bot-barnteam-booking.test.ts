/**
 * The steps after Ta emot through the bot as Teams talks to it (tests/support/teams-bot.ts): the
 * entry buttons on the answered Barnkontakt card, the Samtal card, and booking a Barnteam in the
 * embedded calendar, on cases walked there through the bot.
 */
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { compassAreaKeys } from '../../flows/kernel/compass.js';
import { users } from '../fixtures/case-fixtures.js';
import { type Person, people } from '../support/bot-activities.js';
import { findAction, listActions, listChoices, readCards } from '../support/card-actions.js';
import { useTeamsBot } from '../support/teams-bot.js';
import { type WalkedCase, walkCase } from '../support/walk-case.js';

const entryVerbs = ['samtycke.visa', 'samtal.visa', 'beslut.visa'];
const childGivenName = 'Testbarn';

const teams = useTeamsBot();
const { invoke } = teams;

function countCalendarEvents(): number {
  const db = new Database(teams.calendarPath, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM calendar_events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('the answered Barnkontakt card', () => {
  it('leads on to Samtycke, Barnsamtal and Beslut for the Barnkontakt, and shows no such button to others', async () => {
    const { caseId, card: answered } = await walkCase(teams).to('mottagen');
    const verbs = listActions(answered).map((action) => action.verb);
    expect(verbs).toEqual(expect.arrayContaining(entryVerbs));
    for (const verb of entryVerbs) expect(findAction(answered, verb).data).toEqual({ caseId });

    const refreshed = await invoke(people.maria, 'arende.visa', { caseId });
    expect(listActions(refreshed).map((action) => action.verb)).toEqual(expect.arrayContaining(entryVerbs));
    for (const person of [people.alex, people.sara, people.johan]) {
      const other = await invoke(person, 'arende.visa', { caseId });
      const otherVerbs = listActions(other).map((action) => action.verb);
      for (const verb of entryVerbs) expect(otherVerbs).not.toContain(verb);
    }
  });

  it('opens the Samtal card; a saved talk moves the case from mottagen to samtal', async () => {
    const { caseId } = await walkCase(teams).to('mottagen');
    expect((await teams.stores.cases.get(caseId))?.value.state).toBe('mottagen');
    const samtal = await invoke(people.maria, 'samtal.visa', { caseId });
    const spara = findAction(samtal, 'samtal.spara');
    const [firstArea, secondArea] = compassAreaKeys;
    const answer = await invoke(people.maria, 'samtal.spara', {
      ...spara.data,
      kind: 'barnsamtal',
      heldOn: '2026-03-03',
      perspectives: 'barnet',
      underlag: '6-12',
      [`rating_barnet_${firstArea}`]: '2',
      [`comment_barnet_${firstArea}`]: 'Barnet säger att rasterna är svåra.',
      [`rating_barnet_${secondArea}`]: '4',
    });
    const stored = (await teams.stores.cases.get(caseId))?.value;
    expect(stored?.state).toBe('samtal');
    expect(stored?.samtal).toHaveLength(1);
    expect(stored?.samtal?.[0]?.perspectives.barnet?.[0]).toMatchObject({ key: firstArea, rating: 2 });
    // The answer is the case's overview: what was saved, by whom, and the way on.
    const text = JSON.stringify(answer);
    expect(text).toContain('Sparat. Samtalet är registrerat.');
    expect(text).toContain('Barnsamtal den 3 mars 2026 med barnet, registrerat av Maria Lind');
    expect(listActions(answer).map((action) => action.verb)).toEqual(
      expect.arrayContaining(['samtal.visa', 'beslut.visa']),
    );

    // The same submit again (a double click) records one talk.
    await invoke(people.maria, 'samtal.spara', {
      ...spara.data,
      kind: 'barnsamtal',
      heldOn: '2026-03-03',
      perspectives: 'barnet',
    });
    expect((await teams.stores.cases.get(caseId))?.value.samtal).toHaveLength(1);
  });
});

describe('booking a Barnteam', () => {
  let waiting: WalkedCase;

  beforeEach(async () => {
    waiting = await walkCase(teams).to('barnteam');
  });

  async function proposeTimes(person: Person) {
    const boka = await invoke(people.maria, 'barnteam.visa', { caseId: waiting.caseId });
    const foresla = findAction(boka, 'barnteam.foreslaTider');
    return invoke(person, 'barnteam.foreslaTider', { ...foresla.data, agendaCaseIds: waiting.caseId });
  }

  it('books one meeting in the store and the calendar, with a join link and no child name, even on a double click', async () => {
    const proposed = await proposeTimes(people.maria);
    const boka = findAction(proposed, 'barnteam.boka');
    const submit = { ...boka.data, agendaCaseIds: waiting.caseId, slot: listChoices(proposed, 'slot')[0] };

    const booked = await invoke(people.maria, 'barnteam.boka', submit);
    const again = await invoke(people.maria, 'barnteam.boka', submit);

    expect(teams.stores.snapshot().meetings).toHaveLength(1);
    expect(teams.stores.snapshot().meetings[0]?.state).toBe('booked');
    expect(countCalendarEvents()).toBe(1);
    for (const card of [booked, again]) {
      const text = JSON.stringify(card);
      expect(text).toContain(waiting.reference);
      expect(text).toMatch(/"url":"https?:\/\/[^"]+"/);
      expect(text).not.toContain(childGivenName);
      expect(text).not.toMatch(/\d{8}-?\d{4}/);
      expect(listActions(card).map((action) => action.verb)).toContain('barnteam.flytta');
    }
    expect(JSON.stringify(again)).toContain('Barnteam är redan bokat.');
  });

  it("shows each member's answer when the convener refreshes the booking card, and tells her once of a required member's decline", async () => {
    const proposed = await proposeTimes(people.maria);
    const boka = findAction(proposed, 'barnteam.boka');
    const booked = await invoke(people.maria, 'barnteam.boka', {
      ...boka.data,
      agendaCaseIds: waiting.caseId,
      slot: listChoices(proposed, 'slot')[0],
    });
    expect(JSON.stringify(booked)).toContain(
      'Deltagarnas svar hämtas från kalendern när du öppnar kortet igen',
    );
    const meeting = teams.stores.snapshot().meetings[0];
    const eventId = meeting?.calendar?.eventId ?? '';
    const required =
      meeting?.members.filter((member) => member.required && member.role !== 'sammankallande') ?? [];
    const [declining, accepting] = required;
    await teams.calendar.answerInvitation(eventId, declining?.email ?? '', 'declined');
    await teams.calendar.answerInvitation(eventId, accepting?.email ?? '', 'accepted');

    const refresh = { meetingId: meeting?.id };
    const shown = await invoke(people.maria, 'barnteam.visaBokning', refresh);
    const again = await invoke(people.maria, 'barnteam.visaBokning', refresh);

    const text = JSON.stringify(shown);
    expect(text).toContain('Har tackat nej');
    expect(text).toContain('Har tackat ja');
    expect(text).toContain('Har inte svarat');
    expect(text).toContain('har tackat nej och krävs på mötet');
    expect(text).not.toContain(childGivenName);
    expect(listActions(shown).map((action) => action.verb)).toEqual(
      expect.arrayContaining(['barnteam.visaBokning', 'barnteam.flytta']),
    );
    expect(JSON.stringify(again)).toContain('Har tackat nej');
    const declines = teams.stores
      .snapshot()
      .outbox.filter(
        (message) => message.payload.kind === 'notice' && message.payload.notice === 'barnteamAvbojt',
      );
    expect(declines.map((message) => message.recipientKey)).toEqual([users.barnkontakt]);

    const other = await invoke(people.sara, 'barnteam.visaBokning', refresh);
    expect(JSON.stringify(other)).toContain(
      'Bara den Barnkontakt som sammankallar Barnteamet ser deltagarnas svar.',
    );
    expect(JSON.stringify(other)).not.toContain(waiting.reference);
  });

  it('refuses anyone but the convener, and books nothing', async () => {
    const opened = await invoke(people.sara, 'barnteam.visa', { caseId: waiting.caseId });
    expect(JSON.stringify(opened)).toContain('Åtgärden nekades');
    expect(listActions(opened)).toEqual([]);

    const proposed = await proposeTimes(people.sara);
    expect(JSON.stringify(proposed)).toContain('Bara enhetens Barnkontakt kan boka Barnteam');
    const booked = await invoke(people.sara, 'barnteam.boka', {
      unitId: 'bjorkskolan',
      meetingId: 'forslag-fran-annan-0001',
      agendaCaseIds: waiting.caseId,
      slot: '2026-03-05T08:00:00.000Z',
    });
    expect(JSON.stringify(booked)).toContain('Bara enhetens Barnkontakt kan boka Barnteam');
    expect(teams.stores.snapshot().meetings).toHaveLength(0);
    expect(countCalendarEvents()).toBe(0);
  });

  it('opens the booking card on "boka barnteam" with every child of the unit waiting, and books them together', async () => {
    const second = await walkCase(teams).to('barnteam', {
      card: {
        childGivenName: 'Andrabarn',
        childFamilyName: 'Prov',
        childIdentityNumber: '',
        childBirthDate: '2016-01-12',
      },
    });
    // A child of Lärkans förskola waits for its own Barnteam, not for Björkskolan's.
    await walkCase(teams).to('barnteam', {
      card: {
        childGivenName: 'Lärkbarn',
        childFamilyName: 'Annan',
        childIdentityNumber: '',
        childBirthDate: '2021-06-01',
        unitId: 'larkans-forskola',
      },
    });

    await teams.say(people.maria, 'boka barnteam');
    const cards = readCards(teams.connector.at(-1)?.body ?? {});
    expect(cards).toHaveLength(1);
    const text = JSON.stringify(cards[0]);
    const references = new Set(text.match(/BB-[0-9A-Z]{4}-[0-9A-Z]{4}/g));
    expect([...references].sort()).toEqual([waiting.reference, second.reference].sort());
    expect(text).toContain('T.E.');
    expect(text).toContain('A.P.');
    for (const name of [childGivenName, 'Exempel', 'Andrabarn', 'Prov', 'Lärkbarn']) {
      expect(text).not.toContain(name);
    }

    const foresla = findAction(cards[0], 'barnteam.foreslaTider');
    const agendaCaseIds = `${waiting.caseId},${second.caseId}`;
    const proposed = await invoke(people.maria, 'barnteam.foreslaTider', { ...foresla.data, agendaCaseIds });
    const boka = findAction(proposed, 'barnteam.boka');
    await invoke(people.maria, 'barnteam.boka', {
      ...boka.data,
      agendaCaseIds,
      slot: listChoices(proposed, 'slot')[0],
    });

    const meetings = teams.stores.snapshot().meetings;
    expect(meetings).toHaveLength(1);
    expect(meetings[0]?.state).toBe('booked');
    expect(meetings[0]?.agenda.map((item) => item.caseId).sort()).toEqual(
      [waiting.caseId, second.caseId].sort(),
    );
    expect(countCalendarEvents()).toBe(1);
  });

  it('answers "boka barnteam" with a text when no child of the convener\'s units waits, and refuses others', async () => {
    await teams.say(people.sara, 'boka barnteam');
    expect(String(teams.connector.at(-1)?.body?.text)).toContain('Inget barn väntar på Barnteam');
    expect(readCards(teams.connector.at(-1)?.body ?? {})).toEqual([]);

    await teams.say(people.alex, 'boka barnteam');
    expect(String(teams.connector.at(-1)?.body?.text)).toContain('Bara en enhets Barnkontakt');
    expect(users.barnkontakt).toBe(people.maria.aadObjectId);
  });
});
