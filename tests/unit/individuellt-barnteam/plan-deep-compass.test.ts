import { describe, expect, it } from 'vitest';
import { recordDeepCompass } from '../../../flows/individuellt-barnteam/plan-deep-compass.js';
import { addTeamMember } from '../../../flows/individuellt-barnteam/team-members.js';
import { loadCompassCatalogueFile } from '../../../infra/compass-catalogue-file.js';
import {
  createTeamFlow,
  kurator,
  rektor,
  startedAt,
  startTeam,
  type TeamFlow,
  teamCaseId,
} from '../../support/team-fixtures.js';

const catalogue = loadCompassCatalogueFile('config/fordjupad-behovskompass.sample.yaml');
const base = { caseId: teamCaseId, at: startedAt };
const later = '2025-03-12T09:00:02.000Z';

async function teamWithKurator(): Promise<TeamFlow> {
  const flow = await createTeamFlow();
  await startTeam(flow);
  await addTeamMember(flow.deps, {
    ...base,
    etag: await flow.etag(),
    actor: rektor,
    contactId: 'skolkurator-bjorkskolan',
  });
  return flow;
}

async function countRatings(flow: TeamFlow): Promise<number> {
  return (await flow.stores.cases.get(teamCaseId))?.value.barnetsPlan?.deepCompass?.length ?? 0;
}

describe('recordDeepCompass on a card that is no longer current', () => {
  it('answers a second click with the same ratings, at a later instant, as already recorded', async () => {
    const flow = await teamWithKurator();
    const etag = await flow.etag();
    const ratings = { 'trygghet-hemma': '2', 'fritid-aktiviteter': 'vetEj' };
    expect(
      (await recordDeepCompass(flow.deps, catalogue, { ...base, etag, actor: kurator, ratings })).outcome,
    ).toBe('applied');
    const again = await recordDeepCompass(flow.deps, catalogue, {
      ...base,
      at: later,
      etag,
      actor: kurator,
      ratings: { 'fritid-aktiviteter': 'vetEj', 'trygghet-hemma': '2' },
    });
    expect(again).toMatchObject({ outcome: 'alreadyApplied', message: 'Skattningen är redan registrerad.' });
    expect(await countRatings(flow)).toBe(2);
  });

  it('answers other ratings, or the same ratings by someone else, as stale rather than done', async () => {
    const flow = await teamWithKurator();
    const etag = await flow.etag();
    await recordDeepCompass(flow.deps, catalogue, {
      ...base,
      etag,
      actor: kurator,
      ratings: { 'trygghet-hemma': '2' },
    });
    const other = await recordDeepCompass(flow.deps, catalogue, {
      ...base,
      at: later,
      etag,
      actor: kurator,
      ratings: { 'trygghet-hemma': '3' },
    });
    expect(other.outcome).toBe('stale');
    const someoneElse = await recordDeepCompass(flow.deps, catalogue, {
      ...base,
      at: later,
      etag,
      actor: rektor,
      ratings: { 'trygghet-hemma': '2' },
    });
    expect(someoneElse.outcome).toBe('stale');
    expect(await countRatings(flow)).toBe(1);
  });
});
