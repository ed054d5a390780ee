/**
 * The Barnkontakt's cards after taking a case (Samtycke, Beslut), a Barnteam member's
 * Skattningsformulär and the convener recording one for a member, through the bot as Teams talks to it (tests/support/teams-bot.ts), each on
 * a case walked to its step through the bot.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Case } from '../../flows/kernel/case.js';
import { findBarnteamForUnit } from '../../flows/kernel/directory.js';
import { loadDirectoryFile } from '../../infra/directory-file.js';
import { nextActivityId, type Person, people } from '../support/bot-activities.js';
import { collectActions, findAction } from '../support/card-actions.js';
import { readCardText } from '../support/card-validation.js';
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

/** The police member of Björkskolan's Barnteam in the sample directory: outside Teams, e-mail only. */
const policeName =
  findBarnteamForUnit(loadDirectoryFile('config/directory.sample.yaml'), 'bjorkskolan')?.members.find(
    (member) => member.role === 'polis',
  )?.contact.displayName ?? 'saknas i katalogen';

describe('Skattningsformulär recorded by the convener for a member', () => {
  let caseId: string;
  let meetingId: string;
  let meetingStart: string;

  beforeEach(async () => {
    const booked = await walkCase(teams).to('bokad');
    caseId = booked.caseId;
    meetingId = booked.meeting.id;
    meetingStart = booked.meeting.start;
  });

  /** The joint compass as the convener sees it through "Visa gemensam behovskompass" on her form. */
  async function openCompassAsConvener() {
    const form = await invoke(people.maria, 'skattning.oppna', { meetingId, caseId });
    return invoke(people.maria, 'skattning.visaKompass', findAction(form, 'skattning.visaKompass').data);
  }

  function findButton(card: unknown, title: string) {
    const action = collectActions(card).find((candidate) => candidate.title === title);
    if (action === undefined) throw new Error(`Kortet saknar knappen ${title}`);
    return action.data as Record<string, unknown>;
  }

  const policeRatings = buildSkattningAnswers({
    rating_trygghet: '1',
    comment_trygghet: 'Flera larm till hemmet i vår.',
    rating_fritid: 'vetEj',
  });

  it('is offered from the meeting’s day, counts the police member in the joint compass, and is stored once', async () => {
    await invoke(people.maria, 'skattning.spara', { meetingId, caseId, ...buildSkattningAnswers() });
    const early = readCardText(await openCompassAsConvener());
    expect(early).toContain(`Polisen: ${policeName}`);
    expect(early).toContain('har inte skattat');
    expect(early).toContain('Från mötesdagen');
    expect(early).not.toContain('Registrera skattning för');

    // After the meeting, the same day.
    teams.setNow(new Date(Date.parse(meetingStart) + 2 * 60 * 60_000).toISOString());
    const compass = await openCompassAsConvener();
    expect(readCardText(compass)).toContain('Skattat av\n1 medlem');
    const form = await invoke(
      people.maria,
      'skattning.oppna',
      findButton(compass, `Registrera skattning för ${policeName}`),
    );
    const formText = readCardText(form);
    expect(formText).toContain(`Skattningsformulär för ${policeName}`);
    expect(formText).toContain(`${policeName} (Polisen)`);
    expect(formText).toContain('Registreras av\nMaria Lind');
    expect(formText).not.toContain('Testbarn');

    const outboxBefore = teams.stores.snapshot().outbox.length;
    const save = { ...findAction(form, 'skattning.spara').data, ...policeRatings };
    const saveId = nextActivityId();
    const answer = await invoke(people.maria, 'skattning.spara', save, { id: saveId });
    // Teams resending the same invoke: answered, nothing more written.
    const resent = await invoke(people.maria, 'skattning.spara', save, { id: saveId });
    expect(readCardText(resent)).toContain('Gemensam behovskompass');
    const answerText = readCardText(answer);
    expect(answerText).toContain('Skattat av\n2 medlemmar');
    expect(answerText).toContain(`Polisen: ${policeName}`);
    expect(answerText).toContain(`registrerad av Maria Lind för ${policeName}`);
    expect(answerText).toContain(`Polisen (${policeName}, registrerad av Maria Lind), 😢 1: `);
    expect(answerText).toContain('Flera larm till hemmet i vår.');

    // A double click: the same answer, stored once.
    const again = readCardText(await invoke(people.maria, 'skattning.spara', save));
    expect(again).toContain('Skattningen är redan registrerad för medlemmen.');
    const stored = (await teams.stores.cases.get(caseId))?.value.skattningar ?? [];
    expect(stored.map((entry) => [entry.rater.displayName, entry.recordedBy?.displayName])).toEqual([
      ['Maria Lind', undefined],
      [policeName, 'Maria Lind'],
    ]);
    // Nothing about the child goes anywhere else: no notice, no e-mail.
    expect(teams.stores.snapshot().outbox).toHaveLength(outboxBefore);
    const audit = await teams.stores.audit.listForCase(caseId);
    expect(
      audit.filter((entry) => entry.action === 'registreraSkattningForMedlem' && entry.outcome === 'allowed'),
    ).toEqual([
      expect.objectContaining({
        actor: people.maria.aadObjectId,
        purpose: expect.stringContaining('Polisen'),
      }),
    ]);
  });

  it('shows a member the joint compass only once they have answered', async () => {
    const early = await invoke(people.karin, 'skattning.visaKompass', { meetingId, caseId });
    expect(readCardText(early)).toContain('Lämna din egen skattning först');
    expect(JSON.stringify(early)).toContain('skattning.spara');

    await invoke(people.karin, 'skattning.spara', { meetingId, caseId, ...buildSkattningAnswers() });
    const form = await invoke(people.karin, 'skattning.oppna', { meetingId, caseId });
    const compass = await invoke(
      people.karin,
      'skattning.visaKompass',
      findAction(form, 'skattning.visaKompass').data,
    );
    const text = readCardText(compass);
    expect(text).toContain('Gemensam behovskompass');
    // Recording for others is the convener's: a member is offered no such button.
    expect(text).not.toContain('Registrera skattning för');
    expect(collectActions(compass).some((action) => String(action.title).startsWith('Registrera'))).toBe(
      false,
    );
  });

  it('is refused to a member who is not the convener, audited, and nothing is stored', async () => {
    teams.setNow(new Date(Date.parse(meetingStart) + 2 * 60 * 60_000).toISOString());
    await invoke(people.maria, 'skattning.spara', { meetingId, caseId, ...buildSkattningAnswers() });
    const forMember = findButton(
      await openCompassAsConvener(),
      `Registrera skattning för ${policeName}`,
    ).forMember;

    const opened = readCardText(
      await invoke(people.karin, 'skattning.oppna', { meetingId, caseId, forMember }),
    );
    const saved = readCardText(
      await invoke(people.karin, 'skattning.spara', { meetingId, caseId, forMember, ...policeRatings }),
    );

    for (const text of [opened, saved]) {
      expect(text).toContain('Bara den Barnkontakt som sammankallar Barnteamet kan registrera en skattning');
    }
    const stored = (await teams.stores.cases.get(caseId))?.value.skattningar ?? [];
    expect(stored.map((entry) => entry.rater.displayName)).toEqual(['Maria Lind']);
    const refused = (await teams.stores.audit.listForCase(caseId)).filter(
      (entry) => entry.actor === people.karin.aadObjectId && entry.outcome === 'refused',
    );
    expect(refused).toHaveLength(2);
  });

  it('the member’s own later form shows what was recorded for them and replaces it only when saved again', async () => {
    teams.setNow(new Date(Date.parse(meetingStart) + 2 * 60 * 60_000).toISOString());
    await invoke(people.maria, 'skattning.spara', { meetingId, caseId, ...buildSkattningAnswers() });
    // Karin opened her form before the convener recorded hers (a reminder read late).
    const staleForm = await invoke(people.karin, 'skattning.oppna', { meetingId, caseId });
    const compass = await openCompassAsConvener();
    const recordForm = await invoke(
      people.maria,
      'skattning.oppna',
      findButton(compass, 'Registrera skattning för Karin Sjöberg'),
    );
    await invoke(people.maria, 'skattning.spara', {
      ...findAction(recordForm, 'skattning.spara').data,
      ...buildSkattningAnswers({ rating_omsorg: '2' }),
    });

    // The stale form does not silently overwrite: it comes back with the recorded answer.
    const sentBack = await invoke(people.karin, 'skattning.spara', {
      ...findAction(staleForm, 'skattning.spara').data,
      ...buildSkattningAnswers({ rating_omsorg: '4' }),
    });
    const sentBackText = readCardText(sentBack);
    expect(sentBackText).toContain('Maria Lind registrerade en skattning för dig');
    expect(sentBackText).toContain('Spara igen om du vill ersätta den med din egen.');
    expect(JSON.stringify(sentBack)).toContain('skattning.spara');
    const recorded = (await teams.stores.cases.get(caseId))?.value.skattningar ?? [];
    expect(
      recorded.find((entry) => entry.rater.displayName === 'Karin Sjöberg')?.recordedBy?.displayName,
    ).toBe('Maria Lind');

    // Saved again from the form that names the recorded answer: her own takes its place.
    const replaced = await invoke(people.karin, 'skattning.spara', {
      ...findAction(sentBack, 'skattning.spara').data,
      ...buildSkattningAnswers({ rating_omsorg: '4' }),
    });
    expect(readCardText(replaced)).toContain('Skattat av\n2 medlemmar');
    const own = (await teams.stores.cases.get(caseId))?.value.skattningar ?? [];
    const karins = own.filter((entry) => entry.rater.displayName === 'Karin Sjöberg');
    expect(karins).toHaveLength(1);
    expect(karins[0]?.recordedBy).toBeUndefined();
    expect(karins[0]?.areas[0]?.rating).toBe(4);

    // Her own answer is hers now: the convener is offered nothing for her, and a replayed
    // "Registrera" opens no form with her ratings in it.
    const after = await openCompassAsConvener();
    expect(readCardText(after)).toContain('Karin Sjöberg\n – har skattat');
    const forKarin = findButton(compass, 'Registrera skattning för Karin Sjöberg');
    const replayed = readCardText(await invoke(people.maria, 'skattning.oppna', forKarin));
    expect(replayed).toContain(
      'Karin Sjöberg har redan lämnat en egen skattning. Den gäller och ersätts inte.',
    );
    expect(replayed).not.toContain('Skattningsformulär för');
  });
});
