/**
 * Two professionals file an Upptäckarkort about the same child through the bot: the second card
 * joins the open case, its Upptäckare is told so and nothing more, and the Barnkontakt gets it.
 */
import { describe, expect, it } from 'vitest';
import { toCaseId } from '../../flows/kernel/case-effects.js';
import { people } from '../support/bot-activities.js';
import { findAction } from '../support/card-actions.js';
import { readCardText } from '../support/card-validation.js';
import { buildRawSubmit } from '../support/flow-fixtures.js';
import { useTeamsBot } from '../support/teams-bot.js';

const teams = useTeamsBot({ greet: [people.alex, people.maria, people.sara] });

const saraSaw = 'Barnet berättade i förskoleklassens samling att pappa slår.';

async function file(person: (typeof people)[keyof typeof people], values: Record<string, string> = {}) {
  await teams.say(person, 'ny upptäckt');
  const form = teams.cardsTo(person).at(-1);
  const draftId = String(findAction(form, 'upptackarkort.skicka').data.draftId);
  const receipt = await teams.invoke(person, 'upptackarkort.skicka', buildRawSubmit({ draftId, ...values }));
  return { draftId, receipt };
}

describe('the same child filed twice', () => {
  it('joins the open case: one case, a receipt that says so, and the card at the Barnkontakt', async () => {
    const first = await file(people.alex);
    await teams.deliverAndReadCard(people.maria);

    const second = await file(people.sara, { observation: saraSaw, reporterRole: 'Förskollärare' });

    const receipt = readCardText(second.receipt);
    expect(receipt).toContain('Tillagt i ett pågående ärende');
    expect(receipt).toContain('Barnet har redan ett pågående ärende');
    expect(receipt).not.toContain('tyst och trött');
    expect(teams.stores.snapshot().cases.map((stored) => stored.id)).toEqual([toCaseId(first.draftId)]);

    const atBarnkontakt = readCardText(await teams.deliverAndReadCard(people.maria));
    expect(atBarnkontakt).toContain('Nytt Upptäckarkort i ett pågående ärende');
    expect(atBarnkontakt).toContain(saraSaw);
    expect(atBarnkontakt).toContain('Sara Holm');

    // Her receipt stays hers when it refreshes; Alex's receipt is unchanged by it.
    const refreshed = readCardText(
      await teams.invoke(people.sara, 'kvitto.visa', { caseId: toCaseId(first.draftId) }),
    );
    expect(refreshed).toContain('Tillagt i ett pågående ärende');
    expect(refreshed).not.toContain(saraSaw);
    const alexReceipt = readCardText(
      await teams.invoke(people.alex, 'kvitto.visa', { caseId: toCaseId(first.draftId) }),
    );
    expect(alexReceipt).not.toContain('Tillagt i ett pågående ärende');
  });
});
