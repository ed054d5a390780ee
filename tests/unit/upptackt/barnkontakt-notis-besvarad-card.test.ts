import { describe, expect, it } from 'vitest';
import { renderBarnkontaktNotisBesvarad } from '../../../cards/upptackt/barnkontakt-notis-besvarad.js';
import { findCardProblems, listExecuteActions } from '../../support/card-validation.js';

const base = {
  caseId: 'case-2026-0001',
  reference: 'BB-4K7Q-2M9C',
  child: { givenName: 'Ella', familyName: 'Åström Öberg' },
  unitName: 'Björkskolan',
  state: { kind: 'mottaget', byName: 'Maria Lind', byViewer: true, at: '2026-11-26T09:30:00.000Z' },
} as const;
const allowedVerbs = [
  'arende.visa',
  'samtycke.visa',
  'samtal.visa',
  'beslut.visa',
  'barnteam.visa',
  'arende.oversikt',
];

describe('renderBarnkontaktNotisBesvarad entry buttons', () => {
  it('leads on to Samtycke, Barnsamtal and Beslut with the case id only', () => {
    const card = renderBarnkontaktNotisBesvarad({ ...base, entryActions: true });
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    expect(listExecuteActions(card).map((action) => [action.title, action.verb, action.data])).toEqual([
      ['Samtycke', 'samtycke.visa', { caseId: base.caseId }],
      ['Barnsamtal', 'samtal.visa', { caseId: base.caseId }],
      ['Beslut', 'beslut.visa', { caseId: base.caseId }],
      ['Visa ärendet', 'arende.oversikt', { caseId: base.caseId }],
    ]);
  });

  it('offers Boka Barnteam only when asked, and no actions at all by default', () => {
    const booking = renderBarnkontaktNotisBesvarad({ ...base, bookBarnteam: true });
    expect(listExecuteActions(booking).map((action) => action.verb)).toEqual([
      'barnteam.visa',
      'arende.oversikt',
    ]);
    const plain = renderBarnkontaktNotisBesvarad(base);
    expect(plain).not.toHaveProperty('actions');
  });
});
