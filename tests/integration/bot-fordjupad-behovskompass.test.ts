/**
 * The Fördjupad behovskompass through the bot, behind Barnets plan's button: a member rates
 * sub-areas of the sample catalogue and the team sees who rated what and when; someone without a
 * role is refused; a wrong value comes back with what was chosen; a double click records once;
 * a write elsewhere in the case does not make the card stale.
 */
import { describe, expect, it } from 'vitest';
import { loadCompassCatalogueFile } from '../../infra/compass-catalogue-file.js';
import { people } from '../support/bot-activities.js';
import { findAction, listActions } from '../support/card-actions.js';
import { findElementAfterInput, listInputs, readCardText } from '../support/card-validation.js';
import { useTeamsBot } from '../support/teams-bot.js';
import { walkCase } from '../support/walk-case.js';

const teams = useTeamsBot({
  greet: [people.alex, people.maria, people.sara, people.karin],
  deepCompassCatalogue: loadCompassCatalogueFile('config/fordjupad-behovskompass.sample.yaml'),
});

/** A plan with Karin Sjöberg (skolsköterska) in the team, and Karin's Fördjupad behovskompass open. */
async function openAsKarin() {
  const walked = await walkCase(teams).to('individuelltBarnteam');
  const { caseId, barnkontakt: maria } = walked;
  await teams.invoke(maria, 'team.medlem', {
    ...findAction(walked.card, 'team.medlem').data,
    contactId: 'skolskoterska-bjorkskolan',
  });
  const plan = await teams.invoke(people.karin, 'plan.visa', { caseId });
  const card = await teams.invoke(
    people.karin,
    'plan.fordjupadVisa',
    findAction(plan, 'plan.fordjupadVisa').data,
  );
  return { ...walked, maria, card };
}

const storedRatings = async (caseId: string) =>
  ((await teams.stores.cases.get(caseId))?.value.barnetsPlan?.deepCompass ?? []).map((item) => [
    item.subAreaId,
    item.rating,
    item.recordedBy,
  ]);

describe('the Fördjupad behovskompass in Teams', () => {
  it('lets a member rate two sub-areas, and the team sees the ratings with who and when', async () => {
    const { caseId, maria, card, reference } = await openAsKarin();
    const text = readCardText(card);
    expect(text).toContain(`Fördjupad behovskompass – `);
    expect(text).toContain(`(${reference})`);
    expect(text).not.toContain('Testbarn');
    expect(text).toContain('Den Fördjupade behovskompassens katalog är kommunens exempel');
    expect(text).toContain('Exempel: trygghet hemma');
    expect(text).toContain('Inte skattat tidigare.');
    expect(listActions(card).map((action) => action.verb)).toEqual(
      expect.arrayContaining(['plan.fordjupadSpara', 'plan.visa']),
    );

    const saved = await teams.invoke(people.karin, 'plan.fordjupadSpara', {
      ...findAction(card, 'plan.fordjupadSpara').data,
      'delomrade_trygghet-hemma': '2',
      'delomrade_fritid-aktiviteter': 'vetEj',
    });
    expect(readCardText(saved)).toContain('Skattningen är sparad.');
    expect(readCardText(saved)).toContain('Senast: 🙁 2 – Behöver stärkas · Karin Sjöberg, 3 mars 2026');
    expect(readCardText(saved)).toContain('Senast: ❔ Vet ej · Karin Sjöberg, 3 mars 2026');
    expect(await storedRatings(caseId)).toEqual([
      ['trygghet-hemma', 2, people.karin.aadObjectId],
      ['fritid-aktiviteter', 'vetEj', people.karin.aadObjectId],
    ]);

    // The plan's owner opens it from her own plan card and sees Karin's ratings.
    const mariasPlan = await teams.invoke(maria, 'plan.visa', { caseId });
    const mariasCard = await teams.invoke(
      maria,
      'plan.fordjupadVisa',
      findAction(mariasPlan, 'plan.fordjupadVisa').data,
    );
    expect(readCardText(mariasCard)).toContain('Senast: 🙁 2 – Behöver stärkas · Karin Sjöberg');

    // A later rating is added; the earlier one stays and is shown.
    teams.setNow('2026-04-07T08:00:00.000Z');
    const later = await teams.invoke(maria, 'plan.fordjupadSpara', {
      ...findAction(mariasCard, 'plan.fordjupadSpara').data,
      'delomrade_trygghet-hemma': '4',
    });
    expect(readCardText(later)).toContain('Senast: 🙂 4 – Fungerar bra · Maria Lind, 7 april 2026');
    expect(readCardText(later)).toContain('Tidigare: 🙁 2 (3 mars 2026)');

    const back = await teams.invoke(maria, 'plan.visa', findAction(later, 'plan.visa').data);
    expect(readCardText(back)).toContain('Mina mål');
  });

  it('refuses someone without a role in the team, and records nothing for them', async () => {
    const { caseId, card, reference } = await openAsKarin();
    const refused = await teams.invoke(people.sara, 'plan.fordjupadVisa', { caseId });
    expect(readCardText(refused)).toContain('Åtgärden nekades');
    expect(readCardText(refused)).not.toContain(reference);

    const save = await teams.invoke(people.sara, 'plan.fordjupadSpara', {
      ...findAction(card, 'plan.fordjupadSpara').data,
      'delomrade_trygghet-hemma': '1',
    });
    expect(readCardText(save)).toContain('Åtgärden nekades');
    expect(readCardText(save)).not.toContain(reference);
    expect(await storedRatings(caseId)).toEqual([]);
    const audit = teams.stores.snapshot().audit.filter((entry) => entry.actor === people.sara.aadObjectId);
    expect(audit.map((entry) => [entry.action, entry.outcome])).toEqual([
      ['lasArende', 'refused'],
      ['skattaFordjupadBehovskompass', 'refused'],
    ]);
  });

  it('answers a value off the scale in Swedish under the sub-area, with the other choices kept', async () => {
    const { caseId, card } = await openAsKarin();
    const answer = await teams.invoke(people.karin, 'plan.fordjupadSpara', {
      ...findAction(card, 'plan.fordjupadSpara').data,
      'delomrade_trygghet-hemma': '7',
      'delomrade_omsorg-relationer': '4',
    });
    expect(readCardText(answer)).toContain('Inget är sparat. Rätta fältet som är markerat nedan.');
    expect(findElementAfterInput(answer, 'delomrade_trygghet-hemma')?.text).toBe(
      'Välj en skattning från 1 till 5, eller Vet ej.',
    );
    const inputs = listInputs(answer);
    expect(inputs.find((input) => input.id === 'delomrade_omsorg-relationer')?.value).toBe('4');
    expect(await storedRatings(caseId)).toEqual([]);

    const nothing = await teams.invoke(people.karin, 'plan.fordjupadSpara', {
      ...findAction(answer, 'plan.fordjupadSpara').data,
    });
    expect(readCardText(nothing)).toContain('Skatta minst ett delområde.');
  });

  it('records a double click or a redelivered invoke once', async () => {
    const { caseId, card } = await openAsKarin();
    const press = {
      ...findAction(card, 'plan.fordjupadSpara').data,
      'delomrade_trygghet-hemma': '3',
      'delomrade_mabra-psykisk-halsa': '2',
    };
    const first = await teams.invoke(people.karin, 'plan.fordjupadSpara', press, { id: 'klick-1' });
    expect(readCardText(first)).toContain('Skattningen är sparad.');
    // The second click comes a moment later, from the same card: the bot's clock has moved on.
    teams.setNow('2026-03-03T09:00:01.500Z');
    const second = await teams.invoke(people.karin, 'plan.fordjupadSpara', press, { id: 'klick-2' });
    expect(readCardText(second)).toContain('Skattningen är redan registrerad.');
    const redelivered = await teams.invoke(people.karin, 'plan.fordjupadSpara', press, { id: 'klick-1' });
    expect(readCardText(redelivered)).toContain('Skattningen är redan registrerad.');
    expect(await storedRatings(caseId)).toEqual([
      ['trygghet-hemma', 3, people.karin.aadObjectId],
      ['mabra-psykisk-halsa', 2, people.karin.aadObjectId],
    ]);
  });

  it('stays current when something else of the case is written, and is stale when the ratings changed', async () => {
    const { caseId, maria, card } = await openAsKarin();
    const stored = await teams.stores.cases.get(caseId);
    if (stored === undefined) throw new Error('ärendet saknas');
    // A write the card does not show (as the channel's provisioning makes): a new ETag only.
    await teams.stores.cases.replace(stored.value, stored.etag);
    const saved = await teams.invoke(people.karin, 'plan.fordjupadSpara', {
      ...findAction(card, 'plan.fordjupadSpara').data,
      'delomrade_trygghet-hemma': '3',
    });
    expect(readCardText(saved)).toContain('Skattningen är sparad.');

    // Maria rates from a card opened before Karin's save: hers is stale, and her choice comes back.
    const mariasPlan = await teams.invoke(maria, 'plan.visa', { caseId });
    const mariasCard = await teams.invoke(
      maria,
      'plan.fordjupadVisa',
      findAction(mariasPlan, 'plan.fordjupadVisa').data,
    );
    await teams.invoke(people.karin, 'plan.fordjupadSpara', {
      ...findAction(saved, 'plan.fordjupadSpara').data,
      'delomrade_fritid-aktiviteter': '5',
    });
    const stale = await teams.invoke(maria, 'plan.fordjupadSpara', {
      ...findAction(mariasCard, 'plan.fordjupadSpara').data,
      'delomrade_utvecklas-larande': '4',
    });
    expect(readCardText(stale)).toContain('Kortet var inte längre aktuellt.');
    expect(readCardText(stale)).toContain('Senast: 😄 5 – Fungerar mycket bra · Karin Sjöberg');
    expect(listInputs(stale).find((input) => input.id === 'delomrade_utvecklas-larande')?.value).toBe('4');
    expect((await storedRatings(caseId)).map(([id]) => id)).toEqual(['trygghet-hemma', 'fritid-aktiviteter']);
  });
});
