import { describe, expect, it } from 'vitest';
import { hasValidConsent } from '../../../flows/kernel/case.js';
import { toCaseId } from '../../../flows/kernel/case-effects.js';
import { viewCaseFor } from '../../../flows/kernel/case-view.js';
import { isDomainError } from '../../../flows/kernel/errors.js';
import { type FileDiscoveryInput, fileDiscovery } from '../../../flows/upptackt/file-discovery.js';
import {
  buildDirectory,
  buildSubmission,
  createTestFlow,
  draftId,
  filedAt,
  rektor,
  upptackare,
  users,
} from '../../support/flow-fixtures.js';

const caseId = toCaseId(draftId);

function input(overrides: Partial<FileDiscoveryInput> = {}): FileDiscoveryInput {
  return { actor: upptackare, draftId, submission: buildSubmission(), receivedAt: filedAt, ...overrides };
}

describe('fileDiscovery: aktivera Barnkontakt', () => {
  it('routes to the unit’s Barnkontakt, records the consent, notifies and schedules the chase', async () => {
    const { deps, stores } = createTestFlow();

    const result = await fileDiscovery(deps, input());

    expect(result.outcome).toBe('created');
    const filed = result.caseValue.value;
    expect(filed.id).toBe(caseId);
    expect(filed.state).toBe('vantarPaBarnkontakt');
    expect(filed.reference).toMatch(/^BB-/);
    expect(hasValidConsent(filed, 'muntligt')).toBe(true);
    expect(filed.consents?.[0]).toMatchObject({ givenBy: ['vardnadshavare'], recordedBy: users.upptackare });
    expect(filed.roles.map((role) => [role.role, role.userId])).toEqual([
      ['upptackare', users.upptackare],
      ['barnkontakt', users.barnkontakt],
    ]);
    expect(filed.routing).toMatchObject({
      band: 'grundskola',
      contactUserId: users.barnkontakt,
      viaDeputy: false,
    });
    expect(filed.routingHistory?.map((entry) => entry.routingNo)).toEqual([1]);
    expect(filed.discovery).toMatchObject({
      path: 'aktiveraBarnkontakt',
      external: false,
      filedBy: users.upptackare,
    });
    // The plain number stays in the case; the store is searched on the keyed hash only.
    expect(filed.child.identityNumber).toBe('201706122387');
    expect(await stores.cases.findCaseIdsByIdentityKey(filed.child.identityKey ?? '')).toEqual([caseId]);
    expect(filed.child.identityKey).not.toContain('201706122387');

    const { outbox, reminders } = stores.snapshot();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({
      id: `${caseId}:notis:nyttArende:1`,
      recipientKey: users.barnkontakt,
      payload: {
        kind: 'notice',
        notice: 'nyttArende',
        caseId,
        data: { routingNo: 1, cause: 'upptackarkort' },
      },
    });
    // The outbox holds ids, never the child's details.
    expect(JSON.stringify(outbox)).not.toMatch(/Testbarn|2017|frukost/);
    expect(reminders).toEqual([
      expect.objectContaining({
        id: `${caseId}:jakt:1:1`,
        kind: 'chaseBarnkontakt',
        // Tuesday 09:00 + 2 working days = Thursday 09:00 Stockholm.
        dueAt: '2025-03-06T08:00:00.000Z',
        data: { routingNo: 1, chaseNo: 1 },
      }),
    ]);
  });

  it('routes to the deputy when the Barnkontakt is away; both get roles, the deputy the notice', async () => {
    const directory = buildDirectory((dir) => {
      (dir.contacts[0] as { absences: object[] }).absences = [{ from: '2025-03-01', to: '2025-03-10' }];
    });
    const { deps, stores } = createTestFlow({ directory });

    const { caseValue } = await fileDiscovery(deps, input({ submission: buildSubmission({}, directory) }));

    expect(caseValue.value.routing).toMatchObject({ viaDeputy: true, contactUserId: users.ersattare });
    expect(caseValue.value.roles.map((role) => [role.role, role.userId, role.actingFor])).toEqual([
      ['upptackare', users.upptackare, undefined],
      ['barnkontakt', users.barnkontakt, undefined],
      ['ersattare', users.ersattare, users.barnkontakt],
    ]);
    expect(stores.snapshot().outbox.map((message) => message.recipientKey)).toEqual([users.ersattare]);
  });

  it('counts a card from another organisation than the unit’s as external', async () => {
    const { deps } = createTestFlow();
    const { caseValue } = await fileDiscovery(
      deps,
      input({ submission: buildSubmission({ reporterOrganisation: 'polis' }) }),
    );
    expect(caseValue.value.discovery?.external).toBe(true);
  });

  it('shows the Upptäckare a receipt without the child’s details, and the Barnkontakt what they need', async () => {
    const { deps } = createTestFlow();
    const { caseValue } = await fileDiscovery(deps, input());

    const receipt = viewCaseFor(caseValue.value, users.upptackare, deps.directory);
    expect(receipt).toMatchObject({ level: 'kvitto', status: 'vantarPaSvar', unitName: 'Björkskolan' });
    expect(receipt?.level === 'kvitto' && receipt.routedTo?.displayName).toBe('Maria Lind');
    expect(JSON.stringify(receipt)).not.toMatch(/Testbarn|201706122387|2017-06-12/);

    const full = viewCaseFor(caseValue.value, users.barnkontakt, deps.directory);
    expect(full?.level).toBe('fullt');
    if (full?.level !== 'fullt') return;
    expect(full.child).toEqual({ givenName: 'Testbarn', familyName: 'Exempel' });
    expect(full.flaggedAreas.map((area) => area.name)).toEqual(['Omsorg', 'Må bra']);
    expect(full.allowedEvents).toEqual(['taEmot', 'skickaVidare', 'avboj', 'aterkallaSamtycke']);
    expect(JSON.stringify(full)).not.toMatch(/201706122387|2017-06-12/);

    expect(viewCaseFor(caseValue.value, users.annanBarnkontakt)).toBeUndefined();
  });
});

describe('fileDiscovery: the child reaches the Barnkontakt of its age band', () => {
  it('a two-year-old who does not go to förskola, filed by the BVC, reaches the BVC-sköterska', async () => {
    const { deps, stores } = createTestFlow();
    const submission = buildSubmission({
      childIdentityNumber: '',
      childBirthDate: '2023-01-10',
      unitId: 'exempelby-bvc',
      attendsForskola: 'nej',
      reporterOrganisation: 'region',
      reporterRole: 'BVC-sköterska',
    });

    const { caseValue } = await fileDiscovery(deps, input({ submission }));

    expect(caseValue.value.routing).toMatchObject({
      band: 'smabarn',
      unitId: 'exempelby-bvc',
      contactUserId: users.bvc,
      viaFallback: false,
      defaultedFacts: [],
      reason:
        'Barnet är 2 år och går inte i förskolan (Exempelby BVC): Barnkontakt är BVC-sköterska Eva Nilsson.',
    });
    expect(caseValue.value.discovery?.enrolment).toEqual({ attendsForskola: false });
    expect(stores.snapshot().outbox.map((message) => message.recipientKey)).toEqual([users.bvc]);
  });

  it('a four-day-old filed with the BVC reaches the barnmorska, and the case belongs to the barnmorskemottagning', async () => {
    const { deps, stores } = createTestFlow();
    const submission = buildSubmission({
      childIdentityNumber: '',
      childBirthDate: '2025-02-28',
      unitId: 'exempelby-bvc',
      firstBvcVisitDone: 'nej',
      reporterOrganisation: 'region',
    });

    const { caseValue } = await fileDiscovery(deps, input({ submission }));

    const filed = caseValue.value;
    expect(filed.routing).toMatchObject({
      band: 'graviditetOchNyfodd',
      unitId: 'exempelby-bmm',
      contactUserId: users.barnmorska,
      viaFallback: false,
    });
    expect(filed.unitId).toBe('exempelby-bmm');
    expect(filed.roles.map((role) => [role.role, role.userId])).toEqual([
      ['upptackare', users.upptackare],
      ['barnkontakt', users.barnmorska],
    ]);
    expect(filed.consents?.[0]?.scope).toContain('Exempelby barnmorskemottagning');
    expect(stores.snapshot().outbox.map((message) => message.recipientKey)).toEqual([users.barnmorska]);
  });

  it('a six-year-old filed with the förskola on the day school starts reaches the school the förskola hands over to', async () => {
    const directory = buildDirectory((dir) => {
      const larkan = dir.units.find((unit) => unit.id === 'larkans-forskola') as { handsOverTo?: string[] };
      larkan.handsOverTo = ['bjorkskolan'];
      dir.units.push({
        id: 'ekens-skola',
        name: 'Ekens skola',
        type: 'grundskola',
        organisation: 'privat',
      } as never);
    });
    const { deps } = createTestFlow({ directory });
    const submission = buildSubmission(
      { childIdentityNumber: '', childBirthDate: '2019-05-05', unitId: 'larkans-forskola' },
      directory,
    );

    const { caseValue } = await fileDiscovery(
      deps,
      input({ submission, receivedAt: '2025-08-18T07:00:00.000Z' }),
    );

    expect(caseValue.value.routing).toMatchObject({
      band: 'grundskola',
      unitId: 'bjorkskolan',
      contactUserId: users.barnkontakt,
      viaFallback: false,
    });
    expect(caseValue.value.routing?.reason).toContain(
      'Kortet angav Lärkans förskola, som enligt katalogen lämnar över barnen till Björkskolan.',
    );
    expect(caseValue.value.unitId).toBe('bjorkskolan');
  });

  it('a unit the directory cannot resolve on the day of filing is sent back to the unit field, and nothing is stored', async () => {
    const directory = buildDirectory((dir) => {
      dir.units.push({
        id: 'ekens-skola',
        name: 'Ekens skola',
        type: 'grundskola',
        organisation: 'privat',
      } as never);
    });
    const { deps, stores } = createTestFlow({ directory });
    // Checked in March (förskola), filed on the first day of school.
    const submission = buildSubmission(
      { childIdentityNumber: '', childBirthDate: '2019-05-05', unitId: 'larkans-forskola' },
      directory,
    );

    const error = await fileDiscovery(
      deps,
      input({ submission, receivedAt: '2025-08-18T07:00:00.000Z' }),
    ).catch((reason: unknown) => reason);

    expect(isDomainError(error, 'invalidInput')).toBe(true);
    expect(isDomainError(error) && error.details.field).toBe('unitId');
    expect(isDomainError(error) && error.message).toContain(
      'Välj barnets skola: Björkskolan eller Ekens skola.',
    );
    expect(stores.snapshot().cases).toEqual([]);
    expect(stores.snapshot().audit).toEqual([]);
  });
});

describe('fileDiscovery: the other paths', () => {
  it('stöd i egen verksamhet: state, no notice, follow-up reminder on the morning of the date', async () => {
    const { deps, stores } = createTestFlow();
    const submission = buildSubmission({
      path: 'stodIEgenVerksamhet',
      verbalConsent: 'false',
      followUpDate: '2025-04-01',
    });

    const { caseValue } = await fileDiscovery(deps, input({ submission }));

    expect(caseValue.value.state).toBe('stodIEgenVerksamhet');
    expect(caseValue.value.roles.map((role) => role.role)).toEqual(['upptackare']);
    expect(caseValue.value.consents).toEqual([]);
    const { outbox, reminders } = stores.snapshot();
    expect(outbox).toEqual([]);
    expect(reminders).toEqual([
      expect.objectContaining({
        id: `${caseId}:uppfoljning`,
        kind: 'foljUppEgenVerksamhet',
        // 08:00 Stockholm summer time.
        dueAt: '2025-04-01T06:00:00.000Z',
        data: { followUpDate: '2025-04-01' },
      }),
    ]);
  });

  it('orosanmälan: state, the card counted as attached, a notice to the intake', async () => {
    const { deps, stores } = createTestFlow();
    const submission = buildSubmission({ path: 'orosanmalan', verbalConsent: 'false' });

    const { caseValue } = await fileDiscovery(deps, input({ submission }));

    expect(caseValue.value.state).toBe('orosanmalan');
    expect(caseValue.value.orosanmalan).toEqual({
      cardAttached: true,
      intakeUnitId: 'socialtjanstens-mottagning',
      sentAt: filedAt,
    });
    expect(stores.snapshot().outbox).toEqual([
      expect.objectContaining({
        id: `${caseId}:notis:orosanmalan:${users.socialtjanst}`,
        recipientKey: users.socialtjanst,
        payload: expect.objectContaining({ notice: 'orosanmalan' }),
      }),
    ]);
    expect(stores.snapshot().reminders).toEqual([]);
  });
});

describe('fileDiscovery: once only', () => {
  it('the same card twice gives one case and one notification; the second answer is alreadyFiled', async () => {
    const { deps, stores } = createTestFlow();

    const first = await fileDiscovery(deps, input());
    const second = await fileDiscovery(deps, input({ receivedAt: '2025-03-04T08:00:02.000Z' }));

    expect(second.outcome).toBe('alreadyFiled');
    expect(second.caseValue).toEqual(first.caseValue);
    const { cases, outbox, reminders } = stores.snapshot();
    expect(cases).toHaveLength(1);
    expect(outbox).toHaveLength(1);
    expect(reminders).toHaveLength(1);
  });

  it('a double click delivered concurrently gives one case and one notification', async () => {
    const { deps, stores } = createTestFlow();

    const results = await Promise.all([fileDiscovery(deps, input()), fileDiscovery(deps, input())]);

    expect(results.map((result) => result.outcome).sort()).toEqual(['alreadyFiled', 'created']);
    expect(results[0]?.caseValue).toEqual(results[1]?.caseValue);
    expect(stores.snapshot().cases).toHaveLength(1);
    expect(stores.snapshot().outbox).toHaveLength(1);
  });

  it.each(['outbox.enqueue', 'reminders.schedule'] as const)(
    'stores neither the case nor any effect when %s fails, and the retry files it with one notice and one chase',
    async (failing) => {
      const { deps, stores } = createTestFlow();
      stores.failNext(failing);

      await expect(fileDiscovery(deps, input())).rejects.toThrow();
      // Telling the Upptäckare "not saved" is now the truth: nothing is half-filed.
      expect(stores.snapshot().cases).toHaveLength(0);
      expect(stores.snapshot().outbox).toHaveLength(0);
      expect(stores.snapshot().reminders).toHaveLength(0);

      const retry = await fileDiscovery(deps, input());
      expect(retry.outcome).toBe('created');
      expect(stores.snapshot().outbox.map((message) => message.id)).toEqual([`${caseId}:notis:nyttArende:1`]);
      expect(stores.snapshot().reminders.map((reminder) => reminder.kind)).toEqual(['chaseBarnkontakt']);
    },
  );

  it('refuses and audits another user presenting the same draft id', async () => {
    const { deps, stores } = createTestFlow();
    await fileDiscovery(deps, input());

    const error = await fileDiscovery(deps, input({ actor: rektor })).catch((reason: unknown) => reason);

    expect(isDomainError(error, 'accessDenied')).toBe(true);
    const audit = await stores.audit.listForCase(caseId);
    expect(audit.map((entry) => [entry.actor, entry.action, entry.outcome])).toEqual([
      [users.upptackare, 'skapaArende', 'allowed'],
      [users.barnkontakt, 'skapaArende', 'refused'],
    ]);
    expect(stores.snapshot().outbox).toHaveLength(1);
  });

  it('writes the audit entry before the case, and stores nothing when the audit fails', async () => {
    const { deps, stores } = createTestFlow();
    await fileDiscovery(deps, input());
    const order = stores.calls.filter(
      (call) => call === 'audit.append' || call === 'cases.createWithEffects',
    );
    expect(order).toEqual(['audit.append', 'cases.createWithEffects']);
    const [entry] = stores.snapshot().audit;
    expect(entry).toMatchObject({
      actor: users.upptackare,
      action: 'skapaArende',
      caseId,
      unitId: 'bjorkskolan',
    });
    expect(entry?.purpose).toMatch(/samtycke/);

    const failing = createTestFlow();
    failing.stores.failNext('audit.append');
    await expect(fileDiscovery(failing.deps, input())).rejects.toThrow();
    expect(failing.stores.snapshot()).toEqual({
      activities: [],
      cases: [],
      outbox: [],
      reminders: [],
      audit: [],
      meetings: [],
    });
  });

  it('refuses a draft id that could not name a case', async () => {
    const { deps, stores } = createTestFlow();
    const error = await fileDiscovery(deps, input({ draftId: '../annat' })).catch(
      (reason: unknown) => reason,
    );
    expect(isDomainError(error, 'invalidInput')).toBe(true);
    expect(stores.calls).toEqual([]);
  });
});
