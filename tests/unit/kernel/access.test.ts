import { describe, expect, it } from 'vitest';
import {
  allowedEventsFor,
  assertAllowed,
  authorize,
  type CaseAction,
  caseActions,
  endRole,
  viewCaseFor,
  withRole,
} from '../../../flows/kernel/access.js';
import type { Case } from '../../../flows/kernel/case.js';
import { DomainError } from '../../../flows/kernel/errors.js';
import { applyTransition } from '../../../flows/kernel/transitions.js';
import { buildCase, buildConsent, buildRole, units, users } from '../../fixtures/case-fixtures.js';

const at = '2025-03-04T09:30:00.000Z';

function withDeputy(caseValue: Case, actingFor: string = users.barnkontakt): Case {
  return withRole(
    caseValue,
    buildRole({
      userId: users.ersattare,
      role: 'ersattare',
      displayName: 'Bitr. rektor Björkskolan',
      unitId: units.bjorkskolan,
      actingFor,
      since: at,
    }),
    { actor: users.barnkontakt, at },
  );
}

describe('no role in the case', () => {
  it('refuses every action, also to a Barnkontakt of another unit', () => {
    const caseValue = buildCase({ state: 'vantarPaBarnkontakt' });
    for (const action of caseActions) {
      expect(authorize(caseValue, users.annanBarnkontakt, action)).toEqual({
        allowed: false,
        reason: 'Du har ingen roll i ärendet och kan därför inte se eller ändra det.',
      });
    }
  });

  it('throws accessDenied with the Swedish reason from assertAllowed and viewCaseFor', () => {
    const caseValue = buildCase();
    expect(() => assertAllowed(caseValue, users.socialtjanst, 'lasArende')).toThrow(DomainError);
    try {
      viewCaseFor(caseValue, users.socialtjanst);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('accessDenied');
      expect((error as DomainError).message).toBe(
        'Du har ingen roll i ärendet och kan därför inte se eller ändra det.',
      );
    }
  });
});

describe('ended roles', () => {
  it('grant nothing: a Barnkontakt whose card was forwarded cannot read or accept it any more', () => {
    const waiting = buildCase({ state: 'vantarPaBarnkontakt' });
    const forwarded = endRole(
      waiting,
      { userId: users.barnkontakt, role: 'barnkontakt' },
      { actor: users.barnkontakt, at },
    );

    expect(authorize(forwarded, users.barnkontakt, 'lasArende')).toEqual({
      allowed: false,
      reason: 'Din roll i ärendet (Barnkontakt) har upphört, så du har inte längre tillgång till det.',
    });
    expect(authorize(forwarded, users.barnkontakt, 'taEmot').allowed).toBe(false);
    expect(forwarded.roles.find((role) => role.userId === users.barnkontakt)?.until).toBe(at);
    expect(forwarded.chronology.at(-1)).toMatchObject({ event: 'rollAvslutad', by: users.barnkontakt, at });
  });
});

describe('the Upptäckare', () => {
  const filedAndAnswered = (): Case => {
    let caseValue = buildCase({ state: 'vantarPaBarnkontakt' });
    caseValue = applyTransition(caseValue, { event: 'taEmot', actor: users.barnkontakt, at });
    caseValue = applyTransition(caseValue, {
      event: 'paborjaSamtal',
      actor: users.barnkontakt,
      at: '2025-03-05T09:00:00.000Z',
      note: 'Barnet berättar om oro hemma.',
    });
    return caseValue;
  };

  it('sees the receipt level only: the answer, not the Barnkontakt’s later notes', () => {
    const caseValue = filedAndAnswered();
    expect(authorize(caseValue, users.upptackare, 'lasArende')).toEqual({
      allowed: true,
      role: 'upptackare',
      view: 'kvitto',
    });
    const view = viewCaseFor(caseValue, users.upptackare);
    if (view.level !== 'kvitto') {
      throw new Error('expected a receipt');
    }
    expect(view.receipt.status).toBe('mottaget');
    expect(view.receipt.statusLabel).toBe('Mottaget av Barnkontakten');
    expect(view.receipt.chronology.map((entry) => entry.event)).toEqual([
      'upptackarkortRegistrerat',
      'taEmot',
    ]);
    expect(JSON.stringify(view.receipt)).not.toContain('oro hemma');
    expect(JSON.stringify(view.receipt)).not.toContain('Testbarn');
  });

  it('is told why a card was declined', () => {
    const declined = applyTransition(buildCase({ state: 'vantarPaBarnkontakt' }), {
      event: 'avboj',
      actor: users.barnkontakt,
      at,
      note: 'Barnet går inte på Björkskolan.',
    });
    const view = viewCaseFor(declined, users.upptackare);
    expect(view.level === 'kvitto' && view.receipt.status).toBe('avbojt');
    expect(view.level === 'kvitto' && view.receipt.chronology.at(-1)?.note).toBe(
      'Barnet går inte på Björkskolan.',
    );
  });

  it('may not read the plan or take the Barnkontakt’s decisions', () => {
    const caseValue = buildCase({ state: 'samtal' });
    expect(authorize(caseValue, users.upptackare, 'beslutaBarnteam')).toEqual({
      allowed: false,
      reason:
        'Du är Upptäckare i ärendet. Bara Barnkontakten (eller Barnkontaktens ersättare, när Barnkontakten är frånvarande eller ett obesvarat kort har gått vidare till ersättaren) kan besluta att lyfta ärendet till Barnteam.',
    });
    const withPlan = buildCase({ state: 'planAktiv' });
    expect(authorize(withPlan, users.upptackare, 'lasPlan').allowed).toBe(false);
    expect(authorize(withPlan, users.barnkontakt, 'lasPlan')).toEqual({
      allowed: true,
      role: 'barnkontakt',
      view: 'fullt',
    });
  });

  it('leads their own path while no Barnkontakt is in the case', () => {
    const ownSupport = buildCase({
      state: 'stodIEgenVerksamhet',
      roles: buildCase().roles.filter((role) => role.role === 'upptackare'),
    });
    expect(authorize(ownSupport, users.upptackare, 'avsluta').allowed).toBe(true);
    expect(authorize(buildCase({ state: 'stodIEgenVerksamhet' }), users.upptackare, 'avsluta')).toEqual({
      allowed: false,
      reason: 'Ärendet har en Barnkontakt, och det är Barnkontakten som leder arbetet nu.',
    });
  });
});

describe('answering the card', () => {
  const waiting = buildCase({ state: 'vantarPaBarnkontakt' });

  it('only the current Barnkontakt may accept, forward or decline', () => {
    const otherBarnkontakt = withRole(
      waiting,
      buildRole({
        userId: users.annanBarnkontakt,
        role: 'teammedlem',
        unitId: units.larkansForskola,
        since: at,
      }),
      { actor: users.barnkontakt, at },
    );
    for (const action of ['taEmot', 'skickaVidare', 'avboj'] as const) {
      expect(authorize(otherBarnkontakt, users.barnkontakt, action)).toEqual({
        allowed: true,
        role: 'barnkontakt',
        view: 'fullt',
      });
      expect(authorize(otherBarnkontakt, users.annanBarnkontakt, action).allowed).toBe(false);
    }
    expect(authorize(otherBarnkontakt, users.annanBarnkontakt, 'taEmot')).toMatchObject({
      reason:
        'Du är medlem i teamet i ärendet. Bara Barnkontakten (eller Barnkontaktens ersättare, när Barnkontakten är frånvarande eller ett obesvarat kort har gått vidare till ersättaren) kan ta emot ärendet.',
    });
  });

  it('the deputy acting for the current Barnkontakt may accept', () => {
    const covered = withDeputy(waiting);
    expect(authorize(covered, users.ersattare, 'taEmot')).toEqual({
      allowed: true,
      role: 'ersattare',
      view: 'fullt',
    });
    expect(allowedEventsFor(covered, users.ersattare)).toEqual([
      'taEmot',
      'skickaVidare',
      'avboj',
      'aterkallaSamtycke',
    ]);
    expect(covered.chronology.at(-1)).toMatchObject({
      event: 'rollTillagd',
      note: 'ersättare för Barnkontakten: Bitr. rektor Björkskolan',
    });
  });

  it('a deputy for someone who is no longer the Barnkontakt may not', () => {
    const covered = withDeputy(waiting);
    const handedOver = endRole(
      covered,
      { userId: users.barnkontakt, role: 'barnkontakt' },
      { actor: users.barnkontakt, at },
    );
    expect(authorize(handedOver, users.ersattare, 'taEmot')).toEqual({
      allowed: false,
      reason:
        'Du är ersättare för en Barnkontakt som inte längre har ärendet, så ersättarrollen ger ingen behörighet.',
    });
  });

  it('a deputy must name whom they act for', () => {
    expect(() =>
      withRole(waiting, buildRole({ userId: users.ersattare, role: 'ersattare', since: at }), {
        actor: users.barnkontakt,
        at,
      }),
    ).toThrow('En ersättare måste ange vilken Barnkontakt hen ersätter.');
  });

  it('a case has one Barnkontakt at a time', () => {
    expect(() =>
      withRole(waiting, buildRole({ userId: users.annanBarnkontakt, role: 'barnkontakt', since: at }), {
        actor: users.barnkontakt,
        at,
      }),
    ).toThrow('Ärendet har redan en Barnkontakt.');
  });
});

describe('closed and stopped cases', () => {
  it.each(['samtyckeAterkallat', 'avslutad', 'avbojd'] as const)(
    'in %s only the receipt remains, for everyone',
    (state) => {
      const caseValue = buildCase({ state });
      expect(authorize(caseValue, users.barnkontakt, 'lasArende')).toEqual({
        allowed: true,
        role: 'barnkontakt',
        view: 'kvitto',
      });
      const refused: CaseAction[] = [
        'lasPlan',
        'redigeraPlan',
        'registreraSamtycke',
        'hanteraRoller',
        'avsluta',
      ];
      for (const action of refused) {
        expect(authorize(caseValue, users.barnkontakt, action).allowed).toBe(false);
      }
    },
  );

  it('explains the refusal in Swedish', () => {
    const stopped = buildCase({ state: 'samtyckeAterkallat' });
    expect(authorize(stopped, users.barnkontakt, 'lasPlan')).toEqual({
      allowed: false,
      reason:
        'Samtycket återkallat: bara ärendets referens och status finns kvar, så det går inte längre att läsa Barnets plan.',
    });
  });
});

describe('the plan and the SIP start', () => {
  it('is edited by the Stödsamordnare once one is appointed', () => {
    const withPlan = buildCase({ state: 'planAktiv' });
    expect(authorize(withPlan, users.barnkontakt, 'redigeraPlan').allowed).toBe(true);
    const coordinated = withRole(
      withPlan,
      buildRole({ userId: users.bvc, role: 'stodsamordnare', unitId: units.bvc, since: at }),
      { actor: users.barnkontakt, at },
    );
    expect(authorize(coordinated, users.bvc, 'redigeraPlan')).toEqual({
      allowed: true,
      role: 'stodsamordnare',
      view: 'fullt',
    });
    expect(authorize(coordinated, users.barnkontakt, 'redigeraPlan').allowed).toBe(false);
  });

  it('lets only a unit with a SIP duty start an Individuellt barnteam directly', () => {
    const caseValue = withRole(
      buildCase({ state: 'mottagen', consents: [buildConsent('uppdateratSkriftligt')] }),
      buildRole({ userId: users.bvc, role: 'teammedlem', unitId: units.bvc, since: at }),
      { actor: users.barnkontakt, at },
    );
    expect(authorize(caseValue, users.bvc, 'startaIndividuelltBarnteamSip')).toEqual({
      allowed: false,
      reason:
        'Bara en verksamhet med skyldighet att initiera SIP kan starta ett Individuellt barnteam direkt.',
    });
    expect(
      authorize(caseValue, users.bvc, 'startaIndividuelltBarnteamSip', { unitsWithSipDuty: [units.bvc] }),
    ).toEqual({ allowed: true, role: 'teammedlem', view: 'fullt' });
  });
});
