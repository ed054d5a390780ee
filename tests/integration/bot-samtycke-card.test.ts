/**
 * The Samtycke card as the Barnkontakt opens it after taking a case: each recorded consent says
 * who recorded it by name, whether that person is in the directory or only in the case.
 */
import { describe, expect, it } from 'vitest';
import { people } from '../support/bot-activities.js';
import { readCardText } from '../support/card-validation.js';
import { useTeamsBot } from '../support/teams-bot.js';
import { walkCase } from '../support/walk-case.js';

const teams = useTeamsBot();

describe('the Samtycke card', () => {
  it('names the Upptäckare who recorded the verbal consent, as the notification does', async () => {
    const walked = await walkCase(teams).to('mottagen');

    const text = readCardText(await teams.invoke(people.maria, 'samtycke.visa', { caseId: walked.caseId }));

    expect(text).toContain('registrerat av Alex Andersson');
    expect(text).not.toContain('Personal');
  });
});
