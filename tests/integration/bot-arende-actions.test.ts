/**
 * The Barnkontakt's actions on the notification card and the card refreshes, through the bot as
 * Teams talks to it (tests/support/teams-bot.ts).
 *
 * The notification card is the one the bot really delivers: Alex files an Upptäckarkort through
 * the bot, the background work renders and sends the notice, and the test clicks the actions of
 * the card that reached Maria's chat.
 */
import { describe, expect, it } from 'vitest';
import { type Person, people, personalConversationId } from '../support/bot-activities.js';
import { findAction } from '../support/card-actions.js';
import { useTeamsBot } from '../support/teams-bot.js';
import { walkCase } from '../support/walk-case.js';

const childName = 'Testbarn';

const teams = useTeamsBot();
const { invoke, deliverAndReadCard } = teams;
const fileCase = () => walkCase(teams).to('vantarPaBarnkontakt');

function auditOf(caseId: string, actor: Person) {
  return teams.stores
    .snapshot()
    .audit.filter((entry) => entry.caseId === caseId && entry.actor === actor.aadObjectId);
}

function noticesTo(person: Person, notice: string) {
  return teams.stores
    .snapshot()
    .outbox.filter(
      (message) =>
        message.recipientKey === person.aadObjectId &&
        message.payload.kind === 'notice' &&
        message.payload.notice === notice,
    );
}

describe('Ta emot', () => {
  it('answers with the answered card, and a double click gets the same card and sends one notice', async () => {
    const { caseId } = await fileCase();
    const notification = await deliverAndReadCard(people.maria);
    expect(JSON.stringify(notification)).toContain(childName);
    const taEmot = findAction(notification, 'arende.taEmot');
    expect(taEmot.data.caseId).toBe(caseId);

    const first = await invoke(people.maria, 'arende.taEmot', taEmot.data);
    const second = await invoke(people.maria, 'arende.taEmot', taEmot.data);

    expect(JSON.stringify(first)).toContain('Du tog emot ärendet den 3 mars 2026.');
    expect(second).toEqual(first);
    expect(JSON.stringify(first)).not.toContain('arende.taEmot');
    expect(teams.stores.snapshot().cases[0]?.state).toBe('mottagen');
    expect(noticesTo(people.alex, 'mottaget')).toHaveLength(1);

    // Alex hears it once: one message about the answer reaches the personal chat.
    const before = teams.connector.length;
    await teams.bot.backgroundWork.runOnce();
    await teams.bot.backgroundWork.runOnce();
    const toAlex = teams.connector
      .slice(before)
      .filter(
        (request) => request.path === `/v3/conversations/${personalConversationId(people.alex)}/activities`,
      );
    expect(toAlex).toHaveLength(1);
    expect(JSON.stringify(toAlex[0]?.body)).toContain('Mottaget av Maria Lind');
  });

  it('shows the current card with a notice when the card is older than the case', async () => {
    await fileCase();
    const original = await deliverAndReadCard(people.maria);
    const taEmot = findAction(original, 'arende.taEmot');

    // Maria forwards the card to Lärkans förskola; Sara sends it back to Björkskolan.
    const forward = findAction(original, 'arende.skickaVidare');
    await invoke(people.maria, 'arende.skickaVidare', {
      ...forward.data,
      targetUnitId: 'larkans-forskola',
      forwardReason: 'Barnet går på Lärkans förskola.',
    });
    const atSara = await deliverAndReadCard(people.sara);
    await invoke(people.sara, 'arende.skickaVidare', {
      ...findAction(atSara, 'arende.skickaVidare').data,
      targetUnitId: 'bjorkskolan',
      forwardReason: 'Barnet har börjat i förskoleklass på Björkskolan.',
    });

    const answer = await invoke(people.maria, 'arende.taEmot', taEmot.data);

    const card = JSON.stringify(answer);
    expect(card).toContain('Kortet var inte längre aktuellt');
    const current = findAction(answer, 'arende.taEmot');
    expect(current.data.caseId).toBe(taEmot.data.caseId);
    expect(current.data.etag).not.toBe(taEmot.data.etag);
    expect(teams.stores.snapshot().cases[0]?.state).toBe('vantarPaBarnkontakt');

    // The current card works.
    const accepted = await invoke(people.maria, 'arende.taEmot', current.data);
    expect(JSON.stringify(accepted)).toContain('Du tog emot ärendet');
  });

  it('keeps the notification and shows what is missing when Avböj has no reason', async () => {
    await fileCase();
    const avboj = findAction(await deliverAndReadCard(people.maria), 'arende.avboj');

    const answer = await invoke(people.maria, 'arende.avboj', { ...avboj.data, declineReason: '  ' });

    const card = JSON.stringify(answer);
    expect(card).toContain('arende.avboj');
    expect(card).toMatch(/skäl/i);
    expect(teams.stores.snapshot().cases[0]?.state).toBe('vantarPaBarnkontakt');
  });
});

describe('who may act', () => {
  it.each([
    ['the Upptäckare', people.alex],
    ['a Barnkontakt of another unit', people.sara],
  ])('refuses %s, shows no case data and audits the attempt', async (_who, person) => {
    const { caseId } = await fileCase();
    const taEmot = findAction(await deliverAndReadCard(people.maria), 'arende.taEmot');

    const answer = await invoke(person, 'arende.taEmot', taEmot.data);

    const card = JSON.stringify(answer);
    expect(card).toContain('Åtgärden nekades');
    const reference = teams.stores.snapshot().cases[0]?.reference ?? 'saknas';
    for (const secret of [childName, reference, 'tyst och trött']) expect(card).not.toContain(secret);
    expect(auditOf(caseId, person).filter((entry) => entry.action !== 'skapaArende')).toEqual([
      expect.objectContaining({ action: 'taEmot', outcome: 'refused' }),
    ]);
    expect(teams.stores.snapshot().cases[0]?.state).toBe('vantarPaBarnkontakt');
  });

  it('refuses a card payload replayed with another case id, and audits it', async () => {
    const { caseId: mariasCase } = await fileCase();
    const taEmot = findAction(await deliverAndReadCard(people.maria), 'arende.taEmot');
    // A younger child at Lärkans förskola: Sara's case, where Maria has no role.
    const { caseId: sarasCase } = await walkCase(teams).to('vantarPaBarnkontakt', {
      card: { childIdentityNumber: '', childBirthDate: '2022-01-15', unitId: 'larkans-forskola' },
    });

    const answer = await invoke(people.maria, 'arende.taEmot', { ...taEmot.data, caseId: sarasCase });

    expect(JSON.stringify(answer)).toContain('Åtgärden nekades');
    expect(auditOf(sarasCase, people.maria)).toEqual([
      expect.objectContaining({ action: 'taEmot', outcome: 'refused' }),
    ]);
    const states = Object.fromEntries(teams.stores.snapshot().cases.map((value) => [value.id, value.state]));
    expect(states).toEqual({ [mariasCase]: 'vantarPaBarnkontakt', [sarasCase]: 'vantarPaBarnkontakt' });
  });
});

describe('card refresh', () => {
  it('shows the Barnkontakt the current card and the Upptäckare the receipt, each read audited', async () => {
    const { caseId } = await fileCase();
    const taEmot = findAction(await deliverAndReadCard(people.maria), 'arende.taEmot');
    await invoke(people.maria, 'arende.taEmot', taEmot.data);

    const forMaria = await invoke(people.maria, 'arende.visa', { caseId });
    const receipt = await invoke(people.alex, 'kvitto.visa', { caseId });

    expect(JSON.stringify(forMaria)).toContain('Du tog emot ärendet');
    expect(JSON.stringify(receipt)).toContain('Mottaget av Maria Lind den 3 mars 2026');
    expect(auditOf(caseId, people.alex)).toContainEqual(
      expect.objectContaining({ action: 'lasArende', outcome: 'allowed' }),
    );
  });

  it('tells the Upptäckare the card has reached the Barnkontakt only once it has', async () => {
    const { caseId } = await fileCase();
    await deliverAndReadCard(people.maria);

    const receipt = JSON.stringify(await invoke(people.alex, 'kvitto.visa', { caseId }));

    expect(receipt).toContain('Barnkontakten Maria Lind (Rektor, Björkskolan) har fått kortet.');
  });

  it('refuses a refresh by someone without a role in the case, and audits it', async () => {
    const { caseId } = await fileCase();

    const barnkontaktCard = await invoke(people.sara, 'arende.visa', { caseId });
    const receipt = await invoke(people.maria, 'kvitto.visa', { caseId });

    for (const answer of [barnkontaktCard, receipt]) {
      expect(JSON.stringify(answer)).not.toContain(childName);
    }
    expect(auditOf(caseId, people.sara)).toEqual([
      expect.objectContaining({ action: 'lasArende', outcome: 'refused' }),
    ]);
    expect(auditOf(caseId, people.maria)).toEqual([
      expect.objectContaining({ action: 'lasArende', outcome: 'refused' }),
    ]);
  });
});
