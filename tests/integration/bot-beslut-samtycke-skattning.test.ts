/**
 * The Barnkontakt's cards after taking a case (Samtycke, Beslut) and a Barnteam member's
 * Skattningsformulär, through the bot as Teams talks to it (tests/support/teams-bot.ts), each on
 * a case walked to its step through the bot.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Case } from '../../flows/kernel/case.js';
import { type Person, people } from '../support/bot-activities.js';
import { useTeamsBot } from '../support/teams-bot.js';
import { buildSkattningAnswers, walkCase } from '../support/walk-case.js';

const teams = useTeamsBot();
const { invoke } = teams;

/** Opens a card for the case and returns it with the version it carries. */
async function openCard(person: Person, verb: string, caseId: string) {
  const card = await invoke(person, verb, { caseId });
  const etag = /"etag":"([^"]+)"/.exec(JSON.stringify(card))?.[1];
  return { card, text: JSON.stringify(card), etag };
}

const allAnswered = {
  principle_tidigInsats: 'ja',
  principle_barnetsBasta: 'ja',
  principle_helaSituationen: 'delvis',
  principle_gemensamPlan: 'nej',
  principleComment_barnetsBasta: 'Barnet har själv bett om hjälp.',
};

describe('Beslut: Barnteam', () => {
  let caseId: string;
  let reference: string;

  beforeEach(async () => {
    ({ caseId, reference } = await walkCase(teams).to('samtal'));
  });

  it('without written consent comes back as the beslut card with the Swedish reason, and nothing changes', async () => {
    const opened = await openCard(people.maria, 'beslut.visa', caseId);
    expect(opened.text).toContain('Skriftligt samtycke saknas');

    const answer = await invoke(people.maria, 'beslut.spara', {
      caseId,
      etag: opened.etag,
      decision: 'barnteam',
      ...allAnswered,
    });

    const card = JSON.stringify(answer);
    expect(card).toContain('Skriftligt samtycke saknas: registrera det undertecknade skriftliga samtycket');
    // The same card with the user's answers kept, not a bare message.
    expect(card).toContain('beslut.spara');
    expect(card).toContain('Barnet har själv bett om hjälp.');
    expect((await teams.stores.cases.get(caseId))?.value.state).toBe('samtal');
  });

  it('is allowed once the written consent is recorded through the Samtycke card', async () => {
    const samtycke = await openCard(people.maria, 'samtycke.visa', caseId);
    expect(samtycke.text).toContain(reference);

    const recorded = await invoke(people.maria, 'samtycke.registrera', {
      caseId,
      etag: samtycke.etag,
      step: 'skriftligt',
      givenBy: 'vardnadshavare,barnet',
      scope: 'Björkskolan, elevhälsan och socialtjänsten får dela det som behövs.',
      documentReference: 'Dnr 2026:14',
    });
    expect(JSON.stringify(recorded)).toContain('Sparat.');
    const consents = (await teams.stores.cases.get(caseId))?.value.consents ?? [];
    expect(consents.map((consent) => consent.step)).toEqual(['muntligt', 'skriftligt']);
    expect(consents[1]?.givenBy).toEqual(['vardnadshavare', 'barnet']);
    expect(consents[1]?.recordedBy).toBe(people.maria.aadObjectId);

    const beslut = await openCard(people.maria, 'beslut.visa', caseId);
    expect(beslut.text).not.toContain('Skriftligt samtycke saknas');
    const answer = await invoke(people.maria, 'beslut.spara', {
      caseId,
      etag: beslut.etag,
      decision: 'barnteam',
      ...allAnswered,
    });

    expect(JSON.stringify(answer)).toContain('Sparat.');
    const stored = (await teams.stores.cases.get(caseId))?.value;
    expect(stored?.state).toBe('barnteam');
    expect(stored?.beslut?.at(-1)?.principles).toBeDefined();
  });

  it('a written consent without the signed form comes back with the message under the field', async () => {
    const samtycke = await openCard(people.maria, 'samtycke.visa', caseId);
    const answer = await invoke(people.maria, 'samtycke.registrera', {
      caseId,
      etag: samtycke.etag,
      step: 'skriftligt',
      givenBy: 'vardnadshavare',
      scope: 'Elevhälsan får dela det som behövs.',
    });
    const card = JSON.stringify(answer);
    expect(card).toContain('Ange var den undertecknade samtyckesblanketten finns');
    expect(card).toContain('Elevhälsan får dela det som behövs.');
    expect((await teams.stores.cases.get(caseId))?.value.consents).toHaveLength(1);
  });
});

describe('a user without the Barnkontakt role', () => {
  it('is refused the cards and the decision, with no case data in the answer', async () => {
    const { caseId, reference, etag } = await walkCase(teams).to('skriftligtSamtycke');

    const opened = await invoke(people.sara, 'beslut.visa', { caseId });
    const decided = await invoke(people.sara, 'beslut.spara', {
      caseId,
      etag,
      decision: 'barnteam',
      ...allAnswered,
    });

    for (const answer of [opened, decided]) {
      const card = JSON.stringify(answer);
      expect(card).toContain('Åtgärden nekades');
      expect(card).not.toContain('Testbarn');
      expect(card).not.toContain(reference);
    }
    expect((await teams.stores.cases.get(caseId))?.value.state).toBe('samtal');
  });
});

describe('Skattningsformulär', () => {
  let caseId: string;
  let reference: string;
  let meetingId: string;
  /** How the meeting's agenda names the child. */
  let initials: string;

  beforeEach(async () => {
    const booked = await walkCase(teams).to('bokad');
    ({ caseId, reference } = booked);
    meetingId = booked.meeting.id;
    initials = booked.meeting.agenda.find((item) => item.caseId === caseId)?.initials ?? 'saknas';
  });

  it('a member opens the form from the reminder and gets the joint compass after answering', async () => {
    const form = JSON.stringify(await invoke(people.karin, 'skattning.oppna', { meetingId, caseId }));
    expect(form).toContain('skattning.spara');
    expect(form).toContain(initials);
    expect(form).not.toContain('Testbarn');

    const answer = await invoke(people.karin, 'skattning.spara', {
      meetingId,
      caseId,
      ...buildSkattningAnswers({
        rating_maBra: '1',
        comment_maBra: 'Ofta frånvarande med huvudvärk.',
        rating_fritid: 'vetEj',
      }),
    });

    const card = JSON.stringify(answer);
    expect(card).toContain('barnteam.utfall');
    expect(card).toContain('Ofta frånvarande med huvudvärk.');
    expect(card).not.toContain('Testbarn');
    // No updated written consent yet: Individuellt barnteam is offered disabled, with the reason.
    expect(card).toContain('Uppdaterat skriftligt samtycke saknas');
    expect(card).toContain('"isEnabled":false');
    const stored = (await teams.stores.cases.get(caseId))?.value;
    expect(stored?.skattningar?.map((entry) => entry.rater.userId)).toEqual([people.karin.aadObjectId]);
  });

  it('an invalid rating comes back as the form with the typed values and the error under the field', async () => {
    const answer = JSON.stringify(
      await invoke(people.karin, 'skattning.spara', {
        meetingId,
        caseId,
        ...buildSkattningAnswers({ rating_omsorg: '9', comment_ansvar: 'Trivs i klassen.' }),
      }),
    );
    expect(answer).toContain('skattning.spara');
    expect(answer).toContain('Välj en skattning');
    expect(answer).toContain('Trivs i klassen.');
  });

  it('a non-member is refused, and nothing is stored', async () => {
    const opened = JSON.stringify(await invoke(people.sara, 'skattning.oppna', { meetingId, caseId }));
    const saved = JSON.stringify(
      await invoke(people.sara, 'skattning.spara', { meetingId, caseId, ...buildSkattningAnswers() }),
    );
    for (const card of [opened, saved]) {
      expect(card).toContain('Bara Barnteamets medlemmar');
      expect(card).not.toContain(reference);
    }
    const stored = (await teams.stores.cases.get(caseId))?.value as Case & { skattningar?: unknown[] };
    expect(stored.skattningar ?? []).toHaveLength(0);
  });
});
