/**
 * The case overview through the bot: "visa BB-…" typed to it, the Visa ärendet button, and the
 * answer to a saved Beslut, each cut to what the reader's role may see.
 */
import { describe, expect, it } from 'vitest';
import { caseReferenceByteLength, formatCaseReference } from '../../flows/kernel/case-reference.js';
import { people, personalConversationId } from '../support/bot-activities.js';
import { findAction } from '../support/card-actions.js';
import { readCardText } from '../support/card-validation.js';
import { useTeamsBot } from '../support/teams-bot.js';
import { walkCase } from '../support/walk-case.js';

const teams = useTeamsBot({ greet: [people.alex, people.maria, people.sara] });

/** The plain texts the bot wrote into `person`'s personal chat. */
function textsTo(person: (typeof people)[keyof typeof people]): string[] {
  const chat = `/v3/conversations/${personalConversationId(person)}/activities`;
  return teams.connector
    .filter((request) => request.path.startsWith(chat) && typeof request.body.text === 'string')
    .map((request) => String(request.body.text));
}

function findBanner(card: Record<string, unknown>): Record<string, unknown> | undefined {
  const body = card.body as Record<string, unknown>[];
  return body.find((element) => element.type === 'Container' && JSON.stringify(element).includes('Sparat.'));
}

describe('the case overview', () => {
  it('a saved Beslut is answered with what was decided, by whom, in green, and the way on', async () => {
    const walked = await walkCase(teams).to('barnteam');

    const card = walked.card;
    const text = readCardText(card);

    expect(text).toContain('Sparat. Beslutet är registrerat.');
    expect(findBanner(card)).toMatchObject({ style: 'good' });
    expect(JSON.stringify(findBanner(card))).not.toContain('attention');
    expect(text).toContain('Senaste beslut');
    expect(text).toMatch(/Lyft till Barnteam, beslutat av Maria Lind den \d+ \w+ 2026\./);
    expect(text.indexOf('Princip 1: Barnets bästa i fokus: Ja')).toBeLessThan(
      text.indexOf('Princip 2: Aldrig för tidigt – aldrig för sent: Ja'),
    );
    expect(text).toContain('Skriftligt samtycke inför Barnteam: från vårdnadshavare');
    expect(text).toContain('Barnet väntar på att tas upp i Barnteam');
    expect(text).toContain('Ärendet togs emot (Maria Lind)');
    expect((card.actions as { title: string }[]).map((action) => action.title)).toEqual(
      expect.arrayContaining(['Samtycke', 'Barnsamtal', 'Beslut']),
    );
  });

  it('"visa" shows the Barnkontakt the whole case and the Upptäckare only their card’s history', async () => {
    const walked = await walkCase(teams).to('barnteam');

    await teams.say(people.maria, `visa ${walked.reference.toLowerCase()}`);
    await teams.say(people.alex, `visa ${walked.reference}`);

    const forMaria = readCardText(teams.cardsTo(people.maria).at(-1));
    expect(forMaria).toContain(`Ärende ${walked.reference}`);
    expect(forMaria).toContain('Testbarn Exempel');
    expect(forMaria).toContain('Senaste beslut');
    const forAlex = readCardText(teams.cardsTo(people.alex).at(-1));
    expect(forAlex).toContain(`Ärende ${walked.reference}`);
    expect(forAlex).toContain('Testbarn E.');
    expect(forAlex).toContain('Upptäckarkortet skickades in (Alex Andersson)');
    expect(forAlex).toContain('Ärendet togs emot (Maria Lind)');
    expect(forAlex).not.toContain('Senaste beslut');
    expect(forAlex).not.toContain('Skriftligt samtycke');
    expect(forAlex).not.toContain('Testbarn Exempel');
  });

  it('someone without a role, or a reference no case has, gets the same answer and no case data', async () => {
    const walked = await walkCase(teams).to('mottagen');
    const auditBefore = teams.stores.snapshot().audit.length;

    await teams.say(people.sara, `visa ${walked.reference}`);
    await teams.say(people.sara, `visa ${formatCaseReference(new Uint8Array(caseReferenceByteLength))}`);

    const [noRole, unknown] = textsTo(people.sara).slice(-2);
    expect(noRole).toBe(unknown);
    expect(noRole).toContain('Det finns inget ärende med den referensen som du har en roll i');
    expect(teams.cardsTo(people.sara).some((card) => readCardText(card).includes(walked.reference))).toBe(
      false,
    );
    const refused = teams.stores.snapshot().audit.slice(auditBefore);
    expect(refused).toEqual([
      expect.objectContaining({ actor: people.sara.aadObjectId, action: 'lasArende', outcome: 'refused' }),
    ]);
  });

  it('typed in a channel, the overview goes to the personal chat and the channel gets a pointer only', async () => {
    const walked = await walkCase(teams).to('mottagen');

    await teams.say(people.maria, `<at>Backa barnet</at> visa ${walked.reference}`, { where: 'channel' });

    const inChannel = teams.connector.filter((request) => request.path.includes('personalrum-bjorkskolan'));
    expect(inChannel.map((request) => request.body.text)).toEqual([
      'Översikten finns i din personliga chatt med Backa barnet.',
    ]);
    expect(readCardText(teams.cardsTo(people.maria).at(-1))).toContain('Testbarn Exempel');
  });

  it('the answered notification, the forms and the receipt lead to it with the Visa ärendet button', async () => {
    const walked = await walkCase(teams).to('mottagen');

    const samtycke = await teams.invoke(people.maria, 'samtycke.visa', { caseId: walked.caseId });
    const receipt = await teams.invoke(people.alex, 'kvitto.visa', { caseId: walked.caseId });
    for (const card of [walked.card, samtycke, receipt]) {
      expect(findAction(card, 'arende.oversikt').data).toEqual({ caseId: walked.caseId });
    }
    const overview = await teams.invoke(people.maria, 'arende.oversikt', { caseId: walked.caseId });
    expect(readCardText(overview)).toContain('Hämta in samtycke och håll barnsamtal');
  });
});
