import { describe, expect, it } from 'vitest';
import type { Case } from '../../../flows/kernel/case.js';
import {
  chooseSamtalsunderlag,
  compareWithEarlier,
  completePerspective,
  type Samtal,
} from '../../../flows/kernel/records/samtal.js';
import type { SkattningAreaAnswer } from '../../../flows/kernel/skattning.js';
import {
  type RecordSamtalInput,
  recordSamtal,
  samtalMessages,
} from '../../../flows/samtal-och-beslut/record-samtal.js';
import { buildCase, buildConsent } from '../../fixtures/case-fixtures.js';
import { createTestFlow, rektor, upptackare, users } from '../../support/flow-fixtures.js';

describe('chooseSamtalsunderlag', () => {
  const born = '2019-05-10';

  it.each([
    ['2023-05-09', undefined, 3],
    ['2023-05-10', '4-6', 4],
    ['2025-05-09', '4-6', 5],
    ['2025-05-10', '6-12', 6],
    ['2031-05-09', '6-12', 11],
    ['2031-05-10', '12+', 12],
    ['2035-01-01', '12+', 15],
  ] as const)('on %s a child born %s gets %s (age %i)', (today, version, ageYears) => {
    expect(chooseSamtalsunderlag(born, today)).toMatchObject({ version, ageYears });
  });

  it('says in Swedish why a child under 4 has no Samtalsunderlag', () => {
    expect(chooseSamtalsunderlag(born, '2023-05-09').reason).toBe(
      'Barnet är 3 år: det finns inget Samtalsunderlag för barn under 4 år. Välj ett underlag om barnets mognad motiverar det.',
    );
    expect(chooseSamtalsunderlag(born, '2025-05-10').reason).toBe('Barnet är 6 år: Samtalsunderlag 6-12 år.');
  });

  it('moves a child born on a leap day on 1 March in a common year, on 29 February in a leap year', () => {
    const leapDay = '2016-02-29';
    expect(chooseSamtalsunderlag(leapDay, '2022-02-28').version).toBe('4-6');
    expect(chooseSamtalsunderlag(leapDay, '2022-03-01').version).toBe('6-12');
    expect(chooseSamtalsunderlag(leapDay, '2028-02-28').version).toBe('6-12');
    expect(chooseSamtalsunderlag(leapDay, '2028-02-29').version).toBe('12+');
  });

  it('has no Samtalsunderlag for a child not born yet', () => {
    expect(chooseSamtalsunderlag('2025-06-01', '2025-03-04')).toMatchObject({
      version: undefined,
      ageYears: 0,
    });
  });
});

const caseId = 'arende-samtal-0001';
const at = '2025-03-10T13:00:00.000Z';
const receivedAt = '2025-03-04T12:00:00.000Z';

function receivedCase(overrides: Partial<Case> = {}): Case {
  return buildCase({
    id: caseId,
    state: 'mottagen',
    // Born 2015-05-20: 9 years old in March 2025.
    child: { givenName: 'Testbarn', familyName: 'Exempel', birthDate: '2015-05-20' },
    consents: [buildConsent('muntligt')],
    chronology: [
      { at: receivedAt, by: users.barnkontakt, event: 'taEmot', from: 'vantarPaBarnkontakt', to: 'mottagen' },
    ],
    ...overrides,
  });
}

const childView: SkattningAreaAnswer[] = [
  { key: 'omsorg', rating: 4, comment: 'Mormor hämtar varje dag.' },
  { key: 'trygghet', rating: 2, comment: 'Rädd på rasterna.' },
  { key: 'maBra', rating: 3 },
];

async function storeCase(overrides: Partial<Case> = {}) {
  const flow = createTestFlow();
  let etag = (await flow.stores.cases.create(receivedCase(overrides))).etag;
  const record = async (input: Partial<RecordSamtalInput> = {}) => {
    const result = await recordSamtal(flow.deps, {
      caseId,
      etag,
      actor: rektor,
      samtalId: 'samtal-0001-aaaa',
      kind: 'barnsamtal',
      heldOn: '2025-03-10',
      perspectives: { barnet: childView, vardnadshavare: [{ key: 'omsorg', rating: 5 }] },
      at,
      ...input,
    });
    if (result.outcome === 'applied') etag = result.caseValue.etag;
    return result;
  };
  return { ...flow, record };
}

describe('recordSamtal', () => {
  it('records the first barnsamtal, moves the case from mottagen to samtal and audits it', async () => {
    const flow = await storeCase();

    const result = await flow.record();

    expect(result.outcome).toBe('applied');
    if (result.outcome !== 'applied') return;
    const caseValue = result.caseValue.value;
    expect(caseValue.state).toBe('samtal');
    expect(caseValue.chronology.slice(-2).map((entry) => entry.event)).toEqual([
      'paborjaSamtal',
      'samtalRegistrerat',
    ]);
    const talk = caseValue.samtal?.[0];
    expect(talk).toMatchObject({
      id: 'samtal-0001-aaaa',
      kind: 'barnsamtal',
      underlag: { version: '6-12', chosenBy: 'alder' },
      recordedBy: users.barnkontakt,
      recordedAt: at,
    });
    // Areas not talked about are "vet ej", never a low rating.
    expect(talk?.perspectives.barnet?.map((area) => area.rating)).toEqual([
      4,
      2,
      3,
      'vetEj',
      'vetEj',
      'vetEj',
      'vetEj',
      'vetEj',
    ]);
    expect(talk?.perspectives.barnet?.[1]?.comment).toBe('Rädd på rasterna.');
    expect(flow.stores.snapshot().audit).toEqual([
      expect.objectContaining({ actor: users.barnkontakt, action: 'registreraSamtal', outcome: 'allowed' }),
    ]);
  });

  it('keeps the case in samtal for a follow-up talk', async () => {
    const flow = await storeCase();
    await flow.record();

    const result = await flow.record({ samtalId: 'samtal-0002-bbbb', kind: 'uppfoljningssamtal' });

    expect(result.outcome === 'applied' && result.caseValue.value.state).toBe('samtal');
    expect(result.outcome === 'applied' && result.caseValue.value.samtal).toHaveLength(2);
  });

  it('takes a case with support in the own organisation back to samtal for its follow-up talk', async () => {
    const flow = await storeCase({ state: 'stodIEgenVerksamhet' });

    const result = await flow.record();

    expect(result.outcome === 'applied' && result.caseValue.value.chronology.at(-2)?.event).toBe(
      'aterupptaSamtal',
    );
    expect(result.outcome === 'applied' && result.caseValue.value.state).toBe('samtal');
  });

  it('uses the Samtalsunderlag the Barnkontakt chose over the one for the age', async () => {
    const flow = await storeCase();

    const result = await flow.record({ underlag: '12+' });

    expect(result.outcome === 'applied' && result.caseValue.value.samtal?.[0]?.underlag).toEqual({
      version: '12+',
      chosenBy: 'valt',
    });
  });

  it('asks for a chosen Samtalsunderlag for a child under 4, and accepts one', async () => {
    const flow = await storeCase({
      child: { givenName: 'Liten', familyName: 'Exempel', birthDate: '2022-01-15' },
    });

    const refused = await flow.record();
    const chosen = await flow.record({ underlag: '4-6' });

    expect(refused).toEqual({
      outcome: 'refused',
      cause: 'invalidInput',
      field: 'underlag',
      message:
        'Barnet är 3 år: det finns inget Samtalsunderlag för barn under 4 år. Välj ett underlag om barnets mognad motiverar det.',
    });
    expect(chosen.outcome).toBe('applied');
  });

  it('refuses a follow-up talk when there is no earlier talk', async () => {
    const flow = await storeCase();

    const result = await flow.record({ kind: 'uppfoljningssamtal' });

    expect(result).toMatchObject({
      outcome: 'refused',
      field: 'kind',
      message: samtalMessages.followUpWithoutTalk,
    });
  });

  it('refuses a talk dated in the future and one without any perspective', async () => {
    const flow = await storeCase();

    expect(await flow.record({ heldOn: '2025-03-11' })).toMatchObject({
      outcome: 'refused',
      message: 'Samtalets datum ligger i framtiden. Ange dagen då samtalet hölls.',
    });
    expect(await flow.record({ perspectives: {} })).toMatchObject({
      outcome: 'refused',
      message: 'Fyll i barnets eller vårdnadshavarens perspektiv, eller båda.',
    });
  });

  it('lets only the Barnkontakt record talks', async () => {
    const flow = await storeCase();

    const result = await flow.record({ actor: upptackare });

    expect(result).toEqual({
      outcome: 'refused',
      cause: 'accessDenied',
      message:
        'Du är Upptäckare i ärendet. Bara Barnkontakten (eller Barnkontaktens ersättare, när Barnkontakten är frånvarande eller ett obesvarat kort har gått vidare till ersättaren) kan registrera barnsamtal och uppföljningssamtal.',
    });
  });

  it('refuses a talk before the Barnkontakt has taken the case', async () => {
    const flow = await storeCase({ state: 'vantarPaBarnkontakt', chronology: [] });

    const result = await flow.record();

    expect(result).toMatchObject({
      outcome: 'refused',
      cause: 'transitionRefused',
      message:
        'Väntar på Barnkontakt: samtal kan inte registreras nu. Barnsamtal hålls när Barnkontakten har tagit emot ärendet.',
    });
  });

  it('records a redelivered submit once', async () => {
    const flow = await storeCase();
    const first = await flow.record();
    if (first.outcome !== 'applied') throw new Error('expected the talk to be recorded');

    const again = await recordSamtal(flow.deps, {
      caseId,
      etag: 'the-version-the-card-had',
      actor: rektor,
      samtalId: 'samtal-0001-aaaa',
      kind: 'barnsamtal',
      heldOn: '2025-03-10',
      perspectives: { barnet: childView },
      at,
    });

    expect(again).toMatchObject({ outcome: 'alreadyApplied', message: 'Samtalet är redan registrerat.' });
    expect((await flow.stores.cases.get(caseId))?.value.samtal).toHaveLength(1);
  });
});

function talk(id: string, heldOn: string, perspectives: Samtal['perspectives']): Samtal {
  return {
    id,
    kind: 'barnsamtal',
    heldOn,
    underlag: { version: '6-12', chosenBy: 'alder' },
    perspectives,
    recordedBy: users.barnkontakt,
    recordedAt: `${heldOn}T12:00:00.000Z`,
  };
}

describe('compareWithEarlier', () => {
  it('shows per area of the latest talk whether it went up, down, stayed, is new or unknown', () => {
    const first = talk('samtal-forsta-01', '2025-01-15', {
      barnet: completePerspective([
        { key: 'omsorg', rating: 2 },
        { key: 'trygghet', rating: 4 },
        { key: 'maBra', rating: 3 },
        { key: 'fritid', rating: 3 },
      ]),
    });
    const latest = talk('samtal-senaste-02', '2025-03-10', {
      barnet: completePerspective([
        { key: 'omsorg', rating: 4 },
        { key: 'trygghet', rating: 3 },
        { key: 'maBra', rating: 3 },
        { key: 'fritid', rating: 'vetEj' },
        { key: 'tillhorighet', rating: 5 },
      ]),
      vardnadshavare: completePerspective([{ key: 'omsorg', rating: 4 }]),
    });

    // Recorded out of order: the comparison goes by the day the talks were held.
    const comparison = compareWithEarlier({ samtal: [latest, first] });

    expect(comparison?.latestId).toBe('samtal-senaste-02');
    expect(comparison?.previousIds).toEqual({ barnet: 'samtal-forsta-01' });
    const child = comparison?.areas.filter((area) => area.perspective === 'barnet');
    expect(child?.slice(0, 5).map((area) => [area.key, area.before, area.now, area.change])).toEqual([
      ['omsorg', 2, 4, 'up'],
      ['trygghet', 4, 3, 'down'],
      ['maBra', 3, 3, 'same'],
      ['fritid', 3, 'vetEj', 'unknown'],
      ['tillhorighet', 'vetEj', 5, 'new'],
    ]);
    const guardian = comparison?.areas.filter((area) => area.perspective === 'vardnadshavare');
    expect(guardian?.[0]).toEqual({ perspective: 'vardnadshavare', key: 'omsorg', now: 4, change: 'new' });
  });

  it("compares the child's ratings with the child's last talk even when a guardian-only talk came between", () => {
    const first = talk('samtal-forsta-01', '2025-01-15', {
      barnet: completePerspective([{ key: 'omsorg', rating: 2 }]),
    });
    const guardianOnly = talk('samtal-vh-00002', '2025-02-10', {
      vardnadshavare: completePerspective([{ key: 'omsorg', rating: 3 }]),
    });
    const latest = talk('samtal-senaste-03', '2025-03-10', {
      barnet: completePerspective([{ key: 'omsorg', rating: 1 }]),
    });

    const comparison = compareWithEarlier({ samtal: [first, guardianOnly, latest] });

    expect(comparison?.previousIds).toEqual({ barnet: 'samtal-forsta-01' });
    expect(comparison?.areas[0]).toMatchObject({ key: 'omsorg', before: 2, now: 1, change: 'down' });
  });

  it('has nothing to compare in a case without talks', () => {
    expect(compareWithEarlier({})).toBeUndefined();
  });
});
