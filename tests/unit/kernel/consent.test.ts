import { describe, expect, it } from 'vitest';
import { hasValidConsent } from '../../../flows/kernel/case.js';
import { recordConsent } from '../../../flows/kernel/consent.js';
import { buildCase, buildConsent, users } from '../../fixtures/case-fixtures.js';

const at = '2025-03-04T09:30:00.000Z';

describe('recordConsent', () => {
  it('records a written consent with its document and says so in the chronology, without the scope text', () => {
    const caseValue = recordConsent(
      buildCase({ state: 'samtal' }),
      {
        step: 'skriftligt',
        givenBy: ['vardnadshavare'],
        scope: 'Elevhälsan och BUP får dela uppgifter om sömn och skola.',
        documentReference: 'arkiv-2025-0042',
      },
      { actor: users.barnkontakt, at },
    );
    expect(hasValidConsent(caseValue, 'skriftligt')).toBe(true);
    expect(hasValidConsent(caseValue, 'uppdateratSkriftligt')).toBe(false);
    expect(caseValue.consents?.[0]).toMatchObject({
      recordedBy: users.barnkontakt,
      at,
      documentReference: 'arkiv-2025-0042',
    });
    expect(caseValue.chronology.at(-1)).toEqual({
      at,
      by: users.barnkontakt,
      event: 'samtyckeRegistrerat',
      note: 'Skriftligt samtycke inför Barnteam',
    });
  });

  it('refuses a written consent without the signed document', () => {
    expect(() =>
      recordConsent(
        buildCase({ state: 'samtal' }),
        { step: 'skriftligt', givenBy: ['vardnadshavare'], scope: 'Barnteam.' },
        { actor: users.barnkontakt, at },
      ),
    ).toThrow('Ett skriftligt samtycke behöver en hänvisning till den undertecknade blanketten');
  });

  it('refuses consent in a stopped case', () => {
    expect(() =>
      recordConsent(
        buildCase({ state: 'samtyckeAterkallat' }),
        { step: 'muntligt', givenBy: ['barnet'], scope: 'Barnkontakten.' },
        { actor: users.barnkontakt, at },
      ),
    ).toThrow('Samtycket återkallat: samtycke kan inte längre registreras i ärendet.');
  });

  it('treats a withdrawn consent as no consent', () => {
    const withdrawn = buildCase({
      consents: [
        buildConsent('muntligt', { withdrawal: { at, by: 'vardnadshavare', recordedBy: users.upptackare } }),
      ],
    });
    expect(hasValidConsent(withdrawn, 'muntligt')).toBe(false);
  });
});
