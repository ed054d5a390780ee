/**
 * The Individuellt barnteam and Barnets plan through the bot: from the Barnteam's outcome with
 * the updated written consent to a plan with a member, a goal, an action and a fastställd plan,
 * with the answers a user sees (the plan card, a stale card, a refusal) and the posts queued for
 * the team's channel.
 */
import { describe, expect, it } from 'vitest';
import { goldenRule } from '../../flows/kernel/information-sharing.js';
import { type Person, people, personalConversationId } from '../support/bot-activities.js';
import { findAction, listActions } from '../support/card-actions.js';
import { readCardText } from '../support/card-validation.js';
import { useTeamsBot } from '../support/teams-bot.js';
import { walkCase } from '../support/walk-case.js';

const listExecuteVerbs = (card: unknown) => listActions(card).map((action) => action.verb);

/** Eva Nilsson, BVC-sköterska at Exempelby BVC: the sample directory gives the BVC a SIP duty. */
const eva: Person = {
  aadObjectId: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e05',
  id: '29:eva',
  name: 'Eva Nilsson',
};

const teams = useTeamsBot({ greet: [people.alex, people.maria, people.sara, people.karin, eva] });

function channelEvents(caseId: string): unknown[] {
  return teams.stores
    .snapshot()
    .outbox.filter((message) => message.recipientKey === `teamkanal:${caseId}`)
    .map((message) => (message.payload.kind === 'notice' ? message.payload.data.event : undefined));
}

describe('Individuellt barnteam and Barnets plan in Teams', () => {
  it('starts from the Barnteam, takes a member, a goal and an action, and is fastställd', async () => {
    const walked = await walkCase(teams).to('individuelltBarnteam');
    const { caseId, barnkontakt: maria } = walked;
    let plan = walked.card;
    expect(readCardText(plan)).toContain('Det Individuella barnteamet är startat.');
    expect(readCardText(plan)).toContain(goldenRule);
    expect(readCardText(plan)).not.toContain('Testbarn');

    plan = await teams.invoke(maria, 'team.medlem', {
      ...findAction(plan, 'team.medlem').data,
      contactId: 'skolskoterska-bjorkskolan',
    });
    expect(readCardText(plan)).toContain('Karin Sjöberg, Skolsköterska (kommun)');

    // The new member sees the plan, without the owner's forms.
    const karinsPlan = await teams.invoke(people.karin, 'plan.visa', { caseId });
    expect(readCardText(karinsPlan)).toContain('Mina mål');
    expect(listExecuteVerbs(karinsPlan)).not.toContain('plan.mal');

    plan = await teams.invoke(maria, 'plan.mal', {
      ...findAction(plan, 'plan.mal').data,
      area: 'maBra',
      minMal: 'Jag vill kunna sova hela natten.',
      vad: 'Bättre sömn',
      hur: 'Kvällsrutin med stöd av skolsköterskan',
    });
    expect(readCardText(plan)).toContain('Sparat.');
    expect(readCardText(plan)).toContain('Mitt mål: Jag vill kunna sova hela natten.');

    const missingDate = await teams.invoke(maria, 'plan.atgard', {
      ...findAction(plan, 'plan.atgard').data,
      what: 'Samtal om sömn varje vecka',
      ownerUserId: people.karin.aadObjectId,
    });
    expect(readCardText(missingDate)).toContain('Ange senast när åtgärden ska vara gjord (ÅÅÅÅ-MM-DD).');
    plan = await teams.invoke(maria, 'plan.atgard', {
      ...findAction(missingDate, 'plan.atgard').data,
      what: 'Samtal om sömn varje vecka',
      ownerUserId: people.karin.aadObjectId,
      dueDate: '2026-03-20',
      goalId: 'mal-1',
    });
    expect(readCardText(plan)).toContain('senast 20 mars 2026 · ansvarig Karin Sjöberg');

    const stale = findAction(missingDate, 'plan.faststall').data;
    plan = await teams.invoke(maria, 'plan.faststall', findAction(plan, 'plan.faststall').data);
    expect(readCardText(plan)).toContain('Fastställd');
    expect((await teams.stores.cases.get(caseId))?.value.state).toBe('planAktiv');

    // A second click on an older card is answered with the plan as it is now.
    const again = await teams.invoke(maria, 'plan.faststall', stale);
    expect(readCardText(again)).toContain('Barnets plan är redan fastställd.');

    expect(channelEvents(caseId)).toEqual(['teametStartat', 'medlemTillagd', 'planFaststalld']);
    const reminders = teams.stores.snapshot().reminders.map((reminder) => reminder.kind);
    expect(reminders).toEqual(expect.arrayContaining(['skapaTeamkanal', 'atgardForsenad']));
  });

  it('shows the plan to nobody without a role in the team, and ends a removed member’s access at once', async () => {
    const walked = await walkCase(teams).to('individuelltBarnteam');
    const { caseId, barnkontakt: maria } = walked;
    const refused = await teams.invoke(people.sara, 'plan.visa', { caseId });
    expect(readCardText(refused)).toContain('Åtgärden nekades');
    expect(readCardText(refused)).not.toContain(walked.reference);

    let plan = await teams.invoke(maria, 'team.medlem', {
      ...findAction(walked.card, 'team.medlem').data,
      contactId: 'skolskoterska-bjorkskolan',
    });
    plan = await teams.invoke(maria, 'team.taBort', {
      ...findAction(plan, 'team.taBort').data,
    });
    expect(readCardText(plan)).not.toContain('Karin Sjöberg');
    const afterwards = await teams.invoke(people.karin, 'plan.visa', { caseId });
    expect(readCardText(afterwards)).toContain('Åtgärden nekades');
    const audit = teams.stores.snapshot().audit.filter((entry) => entry.caseId === caseId);
    expect(
      audit.filter((entry) => entry.action === 'hanteraTeam' && entry.outcome === 'allowed'),
    ).toHaveLength(2);
  });

  it('offers Barnets plan from the case overview once the team has started', async () => {
    const { caseId, barnkontakt: maria } = await walkCase(teams).to('individuelltBarnteam');
    const overview = await teams.invoke(maria, 'arende.oversikt', { caseId });
    expect(listExecuteVerbs(overview)).toContain('plan.visa');
    const plan = await teams.invoke(maria, 'plan.visa', findAction(overview, 'plan.visa').data);
    expect(readCardText(plan)).toContain('Vem gör vad och när');
  });

  it('reminds the owner of an overdue action once, in the personal chat, on the first working day after its date', async () => {
    const walked = await walkCase(teams).to('individuelltBarnteam');
    const { caseId, barnkontakt: maria } = walked;
    let plan = await teams.invoke(maria, 'team.medlem', {
      ...findAction(walked.card, 'team.medlem').data,
      contactId: 'skolskoterska-bjorkskolan',
    });
    plan = await teams.invoke(maria, 'plan.atgard', {
      ...findAction(plan, 'plan.atgard').data,
      what: 'Samtal om sömn',
      ownerUserId: people.karin.aadObjectId,
      dueDate: '2026-03-06', // a Friday
    });
    const textsToKarin = () =>
      teams.connector
        .filter((request) =>
          request.path.startsWith(`/v3/conversations/${personalConversationId(people.karin)}/`),
        )
        .map((request) => request.body.text)
        .filter((text): text is string => typeof text === 'string' && text.includes('skulle vara klar'));

    teams.setNow('2026-03-07T10:00:00.000Z'); // Saturday: nobody is late on a weekend
    await teams.bot.backgroundWork.runOnce();
    expect(textsToKarin()).toEqual([]);

    teams.setNow('2026-03-09T07:05:00.000Z'); // Monday 08:05 in Stockholm
    await teams.bot.backgroundWork.runOnce();
    await teams.bot.backgroundWork.runOnce();
    expect(textsToKarin()).toEqual([
      `En åtgärd i Barnets plan för ärende ${walked.reference} som du ansvarar för skulle vara klar 6 mars 2026 och är inte markerad som genomförd. Skriv "visa ${walked.reference}" och öppna Barnets plan för att uppdatera den.`,
    ]);
    expect(channelEvents(caseId).filter((event) => event === 'atgardForsenad')).toHaveLength(1);
    const refreshed = await teams.invoke(people.karin, 'plan.visa', { caseId });
    expect(readCardText(refreshed)).toContain('Planerad · försenad');
  });

  it('lets someone with a SIP duty start the team directly from the case overview, and tells the Barnkontakt', async () => {
    const walked = await walkCase(teams).to('mottagen', { filedBy: eva });
    const { caseId, barnkontakt: maria } = walked;
    const before = await teams.invoke(eva, 'arende.oversikt', { caseId });
    expect(listExecuteVerbs(before)).not.toContain('ib.startaSip');

    const samtycke = await teams.invoke(maria, 'samtycke.visa', { caseId });
    await teams.invoke(maria, 'samtycke.registrera', {
      ...findAction(samtycke, 'samtycke.registrera').data,
      step: 'uppdateratSkriftligt',
      givenBy: 'vardnadshavare',
      scope: 'BVC, Björkskolan och socialtjänsten får dela det som behövs för det Individuella barnteamet.',
      documentReference: 'Uppdaterad blankett i BVC-journalen',
    });
    const overview = await teams.invoke(eva, 'arende.oversikt', { caseId });
    const plan = await teams.invoke(eva, 'ib.startaSip', findAction(overview, 'ib.startaSip').data);
    expect(readCardText(plan)).toContain('Det Individuella barnteamet är startat.');
    expect(readCardText(plan)).toContain('Eva Nilsson, BVC-sköterska (region)');

    await teams.bot.backgroundWork.runOnce();
    const toMaria = teams.connector
      .filter((request) => request.path.startsWith(`/v3/conversations/${personalConversationId(maria)}/`))
      .map((request) => request.body.text);
    expect(toMaria).toContain(
      `Eva Nilsson (BVC-sköterska) har startat ett Individuellt barnteam i ärende ${walked.reference}, där du är Barnkontakt, som verksamhet med skyldighet att initiera SIP. Skriv "visa ${walked.reference}" för att se ärendet och Barnets plan.`,
    );
    const stored = await teams.stores.cases.get(caseId);
    expect(stored?.value.individuelltBarnteam).toMatchObject({ via: 'sip', startedBy: eva.aadObjectId });
  });
});
