import { describe, expect, it } from 'vitest';
import { type Case, type CaseState, caseStates } from '../../../flows/kernel/case.js';
import { recordConsent } from '../../../flows/kernel/consent.js';
import { DomainError } from '../../../flows/kernel/errors.js';
import {
  activeStates,
  allowedEvents,
  applyTransition,
  type CaseEvent,
  caseEvents,
  closedStates,
  describeRefusal,
  eventLabels,
  type GuardId,
  guards,
  stateLabels,
  type TransitionCommand,
  transitionTable,
} from '../../../flows/kernel/transitions.js';
import { buildCase, buildConsent, buildRole, users } from '../../fixtures/case-fixtures.js';

const at = '2025-03-04T09:30:00.000Z';

function command(event: CaseEvent, extra: Partial<TransitionCommand> = {}): TransitionCommand {
  return { event, actor: users.barnkontakt, at, ...extra };
}

function withoutBarnkontakt(caseValue: Case): Case {
  return { ...caseValue, roles: caseValue.roles.filter((role) => role.role !== 'barnkontakt') };
}

function received(caseValue: Case): Case {
  return {
    ...caseValue,
    chronology: [
      ...caseValue.chronology,
      { at, by: users.barnkontakt, event: 'taEmot', from: 'vantarPaBarnkontakt', to: 'mottagen' },
    ],
  };
}

/** How to make each guard pass, and how to make it fail, so that every row can be driven from the table. */
const guardFixtures: Record<
  GuardId,
  {
    pass: { prepare: (caseValue: Case) => Case; input?: Partial<TransitionCommand> };
    fail: { prepare: (caseValue: Case) => Case; input?: Partial<TransitionCommand> };
  }
> = {
  muntligtSamtycke: {
    pass: { prepare: (c) => ({ ...c, consents: [...(c.consents ?? []), buildConsent('muntligt')] }) },
    fail: { prepare: (c) => c },
  },
  skriftligtSamtycke: {
    pass: { prepare: (c) => ({ ...c, consents: [...(c.consents ?? []), buildConsent('skriftligt')] }) },
    fail: { prepare: (c) => ({ ...c, consents: [buildConsent('muntligt')] }) },
  },
  uppdateratSkriftligtSamtycke: {
    pass: {
      prepare: (c) => ({ ...c, consents: [...(c.consents ?? []), buildConsent('uppdateratSkriftligt')] }),
    },
    // A written consent for Barnteam does not cover the Individuellt barnteam.
    fail: { prepare: (c) => ({ ...c, consents: [buildConsent('muntligt'), buildConsent('skriftligt')] }) },
  },
  mottagetAvBarnkontakt: { pass: { prepare: received }, fail: { prepare: (c) => c } },
  ejMottagetAvBarnkontakt: { pass: { prepare: (c) => c }, fail: { prepare: received } },
  skalAngivet: {
    pass: { prepare: (c) => c, input: { note: 'Barnet har bytt skola till Lärkan.' } },
    fail: { prepare: (c) => c, input: { note: '   ' } },
  },
  vemAterkallarAngivet: {
    pass: { prepare: (c) => c, input: { withdrawnBy: 'vardnadshavare' } },
    fail: { prepare: (c) => c, input: {} },
  },
};

function caseReadyFor(
  state: CaseState,
  guardIds: readonly GuardId[],
): { caseValue: Case; input: Partial<TransitionCommand> } {
  let caseValue = buildCase({ state });
  let input: Partial<TransitionCommand> = {};
  for (const id of guardIds) {
    caseValue = guardFixtures[id].pass.prepare(caseValue);
    input = { ...input, ...guardFixtures[id].pass.input };
  }
  return { caseValue, input };
}

function refusalOf(action: () => unknown): DomainError {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the transition to be refused');
}

const allowedPairs = transitionTable.flatMap((row) => row.from.map((from) => ({ row, from })));
const refusedPairs = caseEvents.flatMap((event) => {
  const row = transitionTable.find((candidate) => candidate.event === event);
  return caseStates.filter((state) => !row?.from.includes(state)).map((state) => ({ event, state }));
});

describe('the transition table', () => {
  it('has exactly one row per event, with a label for every event and state', () => {
    expect(transitionTable.map((row) => row.event).sort()).toEqual([...caseEvents].sort());
    for (const event of caseEvents) {
      expect(eventLabels[event]).toMatch(/\S/);
    }
    for (const state of caseStates) {
      expect(stateLabels[state]).toMatch(/\S/);
    }
  });

  it('reaches every state from a new Upptäckarkort', () => {
    const reached = new Set<CaseState>(['upptackt']);
    let grew = true;
    while (grew) {
      grew = false;
      for (const row of transitionTable) {
        if (row.from.some((state) => reached.has(state)) && !reached.has(row.to)) {
          reached.add(row.to);
          grew = true;
        }
      }
    }
    expect([...reached].sort()).toEqual([...caseStates].sort());
  });

  it('leaves every active state by some event and no closed state at all', () => {
    for (const state of activeStates) {
      expect(transitionTable.some((row) => row.from.includes(state) && row.to !== state)).toBe(true);
    }
    for (const state of closedStates) {
      expect(transitionTable.filter((row) => row.from.includes(state))).toEqual([]);
    }
  });
});

describe('every allowed transition (generated from the table)', () => {
  it.each(allowedPairs.map(({ row, from }) => [row.event, from, row.to, row] as const))(
    '%s: %s → %s',
    (event, from, to, row) => {
      const { caseValue, input } = caseReadyFor(from, row.guards);
      const next = applyTransition(caseValue, command(event, input));

      expect(next.state).toBe(to);
      expect(next.updatedAt).toBe(at);
      expect(next.chronology).toHaveLength(caseValue.chronology.length + 1);
      expect(next.chronology.at(-1)).toMatchObject({ at, by: users.barnkontakt, event, from, to });
    },
  );
});

describe('every refused transition (generated from the table)', () => {
  it.each(refusedPairs.map(({ event, state }) => [event, state] as const))(
    '%s from %s is refused',
    (event, state) => {
      const caseValue = caseReadyFor(
        state,
        Object.keys(guardFixtures).filter((id) => id !== 'ejMottagetAvBarnkontakt') as GuardId[],
      );
      const error = refusalOf(() => applyTransition(caseValue.caseValue, command(event, caseValue.input)));

      expect(error.code).toBe('transitionRefused');
      expect(error.message).toBe(describeRefusal(state, event));
      // The reason names the current state and says what cannot be done, in Swedish.
      expect(error.message).toMatch(
        /^(Ärendet|Barnets|Barnkontakten|Samtycket) .+; .*kan inte .+\. Det går /,
      );
      expect(error.details).toMatchObject({ state, event });
    },
  );
});

describe('every guard (generated from the table)', () => {
  const guarded = transitionTable.flatMap((row) =>
    row.guards.map((guard) => ({ row, guard, from: row.from[0] as CaseState })),
  );

  it.each(guarded.map(({ row, guard, from }) => [row.event, guard, from, row] as const))(
    '%s is refused when %s fails (from %s)',
    (event, guard, from, row) => {
      const others = row.guards.filter((id) => id !== guard);
      const ready = caseReadyFor(from, others);
      const failing = guardFixtures[guard].fail;
      const caseValue = failing.prepare(ready.caseValue);
      const error = refusalOf(() =>
        applyTransition(caseValue, command(event, { ...ready.input, ...failing.input })),
      );

      expect(error.code).toBe('transitionRefused');
      expect(error.message).toBe(guards[guard].reason);
      expect(error.details).toMatchObject({ guard, event });
    },
  );
});

describe('the important transitions, step by step', () => {
  it('carries a card from discovery to closed, recording who did what and when', () => {
    let caseValue = recordConsent(
      buildCase(),
      { step: 'muntligt', givenBy: ['vardnadshavare'], scope: 'Barnkontakten på Björkskolan får kontaktas.' },
      { actor: users.upptackare, at: '2025-03-03T08:20:00.000Z' },
    );
    caseValue = applyTransition(caseValue, {
      event: 'aktiveraBarnkontakt',
      actor: users.upptackare,
      at: '2025-03-03T08:21:00.000Z',
    });
    const steps: [CaseEvent, string][] = [
      ['taEmot', '2025-03-04T07:00:00.000Z'],
      ['paborjaSamtal', '2025-03-05T07:00:00.000Z'],
    ];
    for (const [event, when] of steps) {
      caseValue = applyTransition(caseValue, { event, actor: users.barnkontakt, at: when });
    }
    expect(caseValue.state).toBe('samtal');

    expect(() =>
      applyTransition(caseValue, {
        event: 'beslutaBarnteam',
        actor: users.barnkontakt,
        at: '2025-03-10T07:00:00.000Z',
      }),
    ).toThrow('Skriftligt samtycke saknas');

    caseValue = recordConsent(
      caseValue,
      {
        step: 'skriftligt',
        givenBy: ['vardnadshavare', 'barnet'],
        scope: 'Barnteamet 13–16 år får ta del av Upptäckarkortet och barnsamtalen.',
        documentReference: 'arkiv-2025-0042',
      },
      { actor: users.barnkontakt, at: '2025-03-10T06:00:00.000Z' },
    );
    caseValue = applyTransition(caseValue, {
      event: 'beslutaBarnteam',
      actor: users.barnkontakt,
      at: '2025-03-10T07:00:00.000Z',
      note: 'Alla fyra principer besvarade.',
    });
    expect(caseValue.state).toBe('barnteam');

    caseValue = applyTransition(caseValue, {
      event: 'markeraBehovUppfyllt',
      actor: users.barnkontakt,
      at: '2025-05-10T07:00:00.000Z',
    });
    caseValue = applyTransition(caseValue, {
      event: 'avsluta',
      actor: users.barnkontakt,
      at: '2025-05-11T07:00:00.000Z',
    });

    expect(caseValue.state).toBe('avslutad');
    expect(caseValue.chronology.map((entry) => [entry.event, entry.from, entry.to])).toEqual([
      ['upptackarkortRegistrerat', undefined, 'upptackt'],
      ['samtyckeRegistrerat', undefined, undefined],
      ['aktiveraBarnkontakt', 'upptackt', 'vantarPaBarnkontakt'],
      ['taEmot', 'vantarPaBarnkontakt', 'mottagen'],
      ['paborjaSamtal', 'mottagen', 'samtal'],
      ['samtyckeRegistrerat', undefined, undefined],
      ['beslutaBarnteam', 'samtal', 'barnteam'],
      ['markeraBehovUppfyllt', 'barnteam', 'behovUppfyllt'],
      ['avsluta', 'behovUppfyllt', 'avslutad'],
    ]);
    expect(caseValue.chronology.find((entry) => entry.event === 'taEmot')).toEqual({
      at: '2025-03-04T07:00:00.000Z',
      by: users.barnkontakt,
      event: 'taEmot',
      from: 'vantarPaBarnkontakt',
      to: 'mottagen',
    });
    expect(caseValue.chronology.find((entry) => entry.event === 'beslutaBarnteam')?.note).toBe(
      'Alla fyra principer besvarade.',
    );
  });

  it('refuses to accept a case twice, saying so in words a Barnkontakt understands', () => {
    const accepted = buildCase({ state: 'mottagen' });
    expect(() => applyTransition(accepted, command('taEmot'))).toThrow(
      'Ärendet är redan mottaget av Barnkontakten; det kan inte tas emot igen. Det går bara i steget ”Väntar på Barnkontakt”.',
    );
  });

  it('refuses to withdraw consent in a closed case, naming the steps where it is possible', () => {
    const closed = buildCase({ state: 'avslutad' });
    expect(() =>
      applyTransition(closed, command('aterkallaSamtycke', { withdrawnBy: 'vardnadshavare' })),
    ).toThrow(
      'Ärendet är avslutat; samtycket kan inte återkallas. Det går i alla steg utom ”Avböjt”, ”Samtycket återkallat” och ”Avslutat”.',
    );
  });

  it('forwards a misrouted card and keeps it waiting for the right Barnkontakt', () => {
    const waiting = buildCase({ state: 'vantarPaBarnkontakt' });
    const forwarded = applyTransition(
      waiting,
      command('skickaVidare', { note: 'Barnet går på Lärkans förskola.' }),
    );
    expect(forwarded.state).toBe('vantarPaBarnkontakt');
    expect(forwarded.chronology.at(-1)).toMatchObject({
      event: 'skickaVidare',
      from: 'vantarPaBarnkontakt',
      to: 'vantarPaBarnkontakt',
    });
  });

  it('requires a reason to decline and records it', () => {
    const waiting = buildCase({ state: 'vantarPaBarnkontakt' });
    expect(() => applyTransition(waiting, command('avboj'))).toThrow('Skäl saknas');
    const declined = applyTransition(
      waiting,
      command('avboj', { note: '  Barnet har flyttat från kommunen. ' }),
    );
    expect(declined.state).toBe('avbojd');
    expect(declined.chronology.at(-1)?.note).toBe('Barnet har flyttat från kommunen.');
  });

  it('needs verbal consent before the Barnkontakt is activated', () => {
    const filed = buildCase({ roles: buildCase().roles.filter((role) => role.role === 'upptackare') });
    expect(() => applyTransition(filed, command('aktiveraBarnkontakt', { actor: users.upptackare }))).toThrow(
      'Muntligt samtycke saknas: registrera vårdnadshavarens eller barnets muntliga samtycke innan Barnkontakten aktiveras.',
    );
    const withConsent = { ...filed, consents: [buildConsent('muntligt')] };
    expect(
      applyTransition(withConsent, command('aktiveraBarnkontakt', { actor: users.upptackare })).state,
    ).toBe('vantarPaBarnkontakt');
  });

  it('does not accept a withdrawn consent as a valid one', () => {
    const inSamtal = buildCase({
      state: 'samtal',
      consents: [
        buildConsent('skriftligt', { withdrawal: { at, by: 'barnet', recordedBy: users.barnkontakt } }),
      ],
    });
    expect(() => applyTransition(inSamtal, command('beslutaBarnteam'))).toThrow('Skriftligt samtycke saknas');
  });

  it('lets an organisation with a SIP duty start an Individuellt barnteam directly, with updated written consent', () => {
    const waiting = buildCase({ state: 'vantarPaBarnkontakt' });
    expect(() =>
      applyTransition(waiting, command('startaIndividuelltBarnteamSip', { actor: users.bvc })),
    ).toThrow('Uppdaterat skriftligt samtycke saknas');
    const consented = { ...waiting, consents: [buildConsent('uppdateratSkriftligt')] };
    const started = applyTransition(
      consented,
      command('startaIndividuelltBarnteamSip', { actor: users.bvc }),
    );
    expect(started.state).toBe('individuelltBarnteam');
    expect(started.chronology.at(-1)).toMatchObject({ by: users.bvc, from: 'vantarPaBarnkontakt' });
    // The normal start is only from Barnteam.
    expect(() => applyTransition(consented, command('startaIndividuelltBarnteam'))).toThrow(
      'Det går bara i steget ”Barnteam”.',
    );
  });

  it('follows up support in the own organisation: back to a talk, or on to closed', () => {
    const decidedByBarnkontakt = received(
      buildCase({ state: 'stodIEgenVerksamhet', consents: [buildConsent('muntligt')] }),
    );
    expect(applyTransition(decidedByBarnkontakt, command('aterupptaSamtal')).state).toBe('samtal');
    expect(applyTransition(decidedByBarnkontakt, command('avsluta')).state).toBe('avslutad');
    expect(() => applyTransition(decidedByBarnkontakt, command('aktiveraBarnkontakt'))).toThrow(
      'Barnkontakten har redan tagit emot ärendet',
    );
    // The Upptäckare's own path has had no Barnkontakt to hold a talk: activate one first.
    const chosenByUpptackare = buildCase({
      state: 'stodIEgenVerksamhet',
      consents: [buildConsent('muntligt')],
    });
    expect(() => applyTransition(chosenByUpptackare, command('aterupptaSamtal'))).toThrow(
      'Ingen Barnkontakt har tagit emot ärendet: aktivera Barnkontakten först.',
    );
    expect(applyTransition(chosenByUpptackare, command('aktiveraBarnkontakt')).state).toBe(
      'vantarPaBarnkontakt',
    );
  });

  it('withdraws every consent and stops the case when the family withdraws', () => {
    const inTeam = buildCase({
      state: 'individuelltBarnteam',
      consents: [buildConsent('muntligt'), buildConsent('skriftligt'), buildConsent('uppdateratSkriftligt')],
    });
    const stopped = applyTransition(inTeam, command('aterkallaSamtycke', { withdrawnBy: 'vardnadshavare' }));
    expect(stopped.state).toBe('samtyckeAterkallat');
    expect(stopped.consents?.map((consent) => consent.withdrawal)).toEqual([
      { at, by: 'vardnadshavare', recordedBy: users.barnkontakt },
      { at, by: 'vardnadshavare', recordedBy: users.barnkontakt },
      { at, by: 'vardnadshavare', recordedBy: users.barnkontakt },
    ]);
    expect(allowedEvents(stopped)).toEqual([]);
  });

  it('does not let the bot withdraw consent on a family’s behalf', () => {
    const inTeam = buildCase({ state: 'barnteam' });
    expect(() =>
      applyTransition(
        inTeam,
        command('aterkallaSamtycke', { actor: 'system', withdrawnBy: 'vardnadshavare' }),
      ),
    ).toThrow('Ange vem som återkallar samtycket');
  });
});

describe('applyTransition', () => {
  it('returns a new case and leaves the old one untouched', () => {
    const original = buildCase({ state: 'vantarPaBarnkontakt', consents: [buildConsent('muntligt')] });
    const snapshot = structuredClone(original);
    const next = applyTransition(original, command('taEmot'));
    expect(next).not.toBe(original);
    expect(next.chronology).not.toBe(original.chronology);
    expect(original).toEqual(snapshot);

    const withdrawn = applyTransition(original, command('aterkallaSamtycke', { withdrawnBy: 'barnet' }));
    expect(withdrawn.consents?.[0]?.withdrawal).toBeDefined();
    expect(original).toEqual(snapshot);
  });
});

describe('allowedEvents', () => {
  it('offers the three paths, but Aktivera Barnkontakt only once verbal consent is recorded', () => {
    const filed = withoutBarnkontakt(buildCase());
    expect(allowedEvents(filed)).toEqual(['valjStodIEgenVerksamhet', 'gorOrosanmalan', 'aterkallaSamtycke']);
    const consented = { ...filed, consents: [buildConsent('muntligt')] };
    expect(allowedEvents(consented)).toEqual([
      'valjStodIEgenVerksamhet',
      'gorOrosanmalan',
      'aktiveraBarnkontakt',
      'aterkallaSamtycke',
    ]);
  });

  it('offers accept, forward and decline to a waiting card (a decline’s reason is asked for when it is chosen)', () => {
    expect(allowedEvents(buildCase({ state: 'vantarPaBarnkontakt' }))).toEqual([
      'taEmot',
      'skickaVidare',
      'avboj',
      'aterkallaSamtycke',
    ]);
  });

  it('offers Barnteam only with written consent', () => {
    const inSamtal = buildCase({ state: 'samtal' });
    expect(allowedEvents(inSamtal)).not.toContain('beslutaBarnteam');
    expect(allowedEvents({ ...inSamtal, consents: [buildConsent('skriftligt')] })).toContain(
      'beslutaBarnteam',
    );
  });

  it('offers a deputy role no way around the table', () => {
    const roles = [
      ...buildCase().roles,
      buildRole({ userId: users.ersattare, role: 'ersattare', actingFor: users.barnkontakt }),
    ];
    expect(allowedEvents(buildCase({ state: 'avslutad', roles }))).toEqual([]);
  });
});
