/**
 * What the bot answers once something worked reads as success (Teams' "good" style), and
 * never in the red of an error: booking a Barnteam, saving a Skattningsformulär.
 */
import { describe, expect, it } from 'vitest';
import { people } from '../support/bot-activities.js';
import { findAction } from '../support/card-actions.js';
import { useTeamsBot } from '../support/teams-bot.js';
import { buildSkattningAnswers, walkCase } from '../support/walk-case.js';

const teams = useTeamsBot();

/** The container with the line above the card's form, if the card has one. */
function findSummary(card: Record<string, unknown>, text: string): Record<string, unknown> | undefined {
  const body = (card.body ?? []) as Record<string, unknown>[];
  return body.find((element) => element.type === 'Container' && JSON.stringify(element).includes(text));
}

describe('a confirmation', () => {
  it('"Barnteam är bokat" is green on the booking card', async () => {
    const booked = await walkCase(teams).to('bokad');

    const summary = findSummary(booked.card, 'Barnteam är bokat.');

    expect(summary).toMatchObject({ style: 'good' });
    expect(JSON.stringify(summary)).not.toContain('attention');
  });

  it('a saved Skattningsformulär is green above the joint compass', async () => {
    const booked = await walkCase(teams).to('bokad');
    teams.setNow(booked.meeting.start);
    const form = await teams.invoke(people.maria, 'skattning.oppna', {
      meetingId: booked.meeting.id,
      caseId: booked.caseId,
    });

    const compass = await teams.invoke(people.maria, 'skattning.spara', {
      ...findAction(form, 'skattning.spara').data,
      ...buildSkattningAnswers(),
    });

    expect(findSummary(compass, 'Sparat. Skattningen är registrerad.')).toMatchObject({ style: 'good' });
  });
});
