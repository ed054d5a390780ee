/**
 * A Barnteam is proposed no earlier than the team's notice (three working days by default), so
 * that every reminder and the Skattningsformulär reach members of several organisations in time.
 */
import { describe, expect, it } from 'vitest';
import { people } from '../support/bot-activities.js';
import { findAction, listChoices } from '../support/card-actions.js';
import { teamsBotNow, useTeamsBot } from '../support/teams-bot.js';
import { walkCase } from '../support/walk-case.js';

const teams = useTeamsBot();

describe('booking a Barnteam', () => {
  it('proposes no time before three working days from now', async () => {
    // Tuesday 3 March 2026, 10:00 in Stockholm: the first time is Friday at 10:00 at the earliest.
    expect(teamsBotNow).toBe('2026-03-03T09:00:00.000Z');
    const walked = await walkCase(teams).to('barnteam');
    const booking = await teams.invoke(people.maria, 'barnteam.visa', { caseId: walked.caseId });

    const proposed = await teams.invoke(people.maria, 'barnteam.foreslaTider', {
      ...findAction(booking, 'barnteam.foreslaTider').data,
      agendaCaseIds: walked.caseId,
    });

    const starts = listChoices(proposed, 'slot');
    expect(starts.length).toBeGreaterThan(0);
    for (const start of starts) expect(start >= '2026-03-06T09:00:00.000Z').toBe(true);
  });
});
