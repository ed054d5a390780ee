import { describe, expect, it } from 'vitest';
import {
  type ArendeOversiktData,
  overviewEventLimit,
  renderArendeOversikt,
} from '../../../cards/arende/arende-oversikt.js';
import { findCardProblems, listExecuteActions, readCardText } from '../../support/card-validation.js';

const allowedVerbs = ['arende.oversikt', 'samtycke.visa', 'samtal.visa', 'beslut.visa', 'barnteam.visa'];

function buildData(overrides: Partial<ArendeOversiktData> = {}): ArendeOversiktData {
  return {
    caseId: 'arende-0001',
    reference: 'BB-4K7Q-2M9C',
    facts: [{ label: 'Steg', value: 'Barnteam' }],
    nextStep: 'Barnet väntar på att tas upp i Barnteam: boka mötet.',
    sections: [
      { heading: 'Samtycke', lines: ['Muntligt samtycke inför Aktivering av Barnkontakt: saknas.'] },
    ],
    events: [{ at: '2026-11-24T09:00:00.000Z', text: 'Ärendet togs emot (Maria Lind)' }],
    shareReason: 'Du ser ärendet som Barnkontakt.',
    refreshUserIds: ['0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02'],
    ...overrides,
  };
}

const bannerOf = (card: Record<string, unknown>) =>
  (card.body as Record<string, unknown>[]).find(
    (element) => element.type === 'Container' && 'style' in element,
  );

describe('renderArendeOversikt', () => {
  it('says what was saved in the success style, and another answer in the neutral one, never the error red', () => {
    const saved = renderArendeOversikt(
      buildData({ banner: { text: 'Sparat. Beslutet är registrerat.', kind: 'sparat' } }),
    );
    const info = renderArendeOversikt(
      buildData({ banner: { text: 'Du har redan sparat beslutet.', kind: 'info' } }),
    );

    expect(findCardProblems(saved, { allowedVerbs })).toEqual([]);
    expect(bannerOf(saved)).toMatchObject({ style: 'good' });
    expect(bannerOf(info)).toMatchObject({ style: 'accent' });
    expect(JSON.stringify([bannerOf(saved), bannerOf(info)])).not.toContain('attention');
    expect(bannerOf(renderArendeOversikt(buildData()))).toBeUndefined();
  });

  it('lists the latest events with their dates and says how many earlier ones are left out', () => {
    const events = Array.from({ length: overviewEventLimit + 3 }, (_, index) => ({
      at: `2026-11-${String(1 + (index % 28)).padStart(2, '0')}T09:00:00.000Z`,
      text: `Händelse ${index + 1}`,
    }));

    const text = readCardText(renderArendeOversikt(buildData({ events })));

    expect(text).toContain('3 tidigare händelser visas inte här.');
    expect(text).not.toContain('Händelse 3\n');
    expect(text).toContain(`Händelse ${overviewEventLimit + 3}`);
    expect(text).toContain('24 november 2026');
  });

  it('leads on with the case’s buttons, never to itself', () => {
    const card = renderArendeOversikt(buildData({ entryActions: true, bookBarnteam: true }));

    expect(listExecuteActions(card).map((action) => action.verb)).toEqual([
      'arende.oversikt',
      'samtycke.visa',
      'samtal.visa',
      'beslut.visa',
      'barnteam.visa',
    ]);
  });
});
