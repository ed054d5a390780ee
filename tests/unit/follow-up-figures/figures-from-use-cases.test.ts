/**
 * The figures come from the use cases' own writes, with no step of the use cases knowing of
 * them: a card filed and taken through `fileDiscovery` and `respondToCase` on SQLite with the
 * figure-recording case store, a redelivered filing and a second answer counting nothing more.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeTermFigures } from '../../../flows/follow-up-figures/compute-term-figures.js';
import { recordFiguresInStores } from '../../../flows/follow-up-figures/figure-recording-cases.js';
import { fileDiscovery } from '../../../flows/upptackt/file-discovery.js';
import { respondToCase } from '../../../flows/upptackt/respond-to-case.js';
import { createFigureIdHash } from '../../../infra/figure-id-hash.js';
import { openSqliteStores } from '../../../infra/store/sqlite-stores.js';
import {
  buildSubmission,
  createTestFlow,
  draftId,
  filedAt,
  rektor,
  upptackare,
} from '../../support/flow-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'backa-figures-flow-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('figures from the use cases', () => {
  it('counts a filed and taken card once, however often the turns are repeated', async () => {
    const flow = createTestFlow();
    const stores = recordFiguresInStores(
      openSqliteStores({ path: join(root, 'backa.sqlite') }),
      createFigureIdHash(flow.deps.identityKeySecret),
    );
    const deps = { ...flow.deps, stores };
    const input = { actor: upptackare, draftId, submission: buildSubmission(), receivedAt: filedAt };
    const filed = await fileDiscovery(deps, input);
    // Teams redelivers the submit.
    await fileDiscovery(deps, input);
    const caseId = filed.caseValue.value.id;
    const current = await stores.cases.get(caseId);
    const answer = {
      caseId,
      cardEtag: current?.etag ?? '',
      actor: rektor,
      action: 'taEmot' as const,
      // Tuesday 4 March → Thursday 6 March 2025: two working days.
      at: '2025-03-06T09:00:00.000Z',
    };
    expect((await respondToCase(deps, answer)).outcome).toBe('applied');
    await respondToCase(deps, answer);

    const figures = await computeTermFigures(deps, { season: 'vt', year: 2025 });
    expect(figures.upptackarkort).toEqual({
      internt: 1,
      externt: 0,
      perOrganisation: [
        { organisation: 'bjorkskolan', label: 'Björkskolan', count: 1, internt: 1, externt: 0 },
      ],
    });
    expect(figures.ledtider[0]).toEqual({
      step: 'kortTillMottagen',
      count: 1,
      medianWorkingDays: 2,
      p90WorkingDays: 2,
    });
    expect(figures.ledtider.slice(1).every((leadTime) => leadTime.count === 0)).toBe(true);
    await stores.close();
  });
});
