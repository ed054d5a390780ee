import { describe, expect, it } from 'vitest';
import { toKvittoData } from '../../../bot/card-views/upptackt-views.js';
import { renderNotice } from '../../../bot/notice-renderer.js';
import { renderUpptackarkortKvitto } from '../../../cards/upptackt/upptackarkort-kvitto.js';
import type { Case } from '../../../flows/kernel/case.js';
import type { Actor } from '../../../flows/kernel/case-effects.js';
import { toCaseId } from '../../../flows/kernel/case-effects.js';
import type { OutboxMessage } from '../../../flows/kernel/ports.js';
import { type FileDiscoveryInput, fileDiscovery } from '../../../flows/upptackt/file-discovery.js';
import { readCardText } from '../../support/card-validation.js';
import {
  buildDirectory,
  buildSubmission,
  createTestFlow,
  draftId,
  filedAt,
  tenantId,
  upptackare,
  users,
} from '../../support/flow-fixtures.js';

/** Another professional who files about the same child: a school nurse, say. */
function colleague(index: number): Actor {
  return {
    userId: `7d1c0f3a-5b2e-4c8d-9a6f-${String(index).padStart(12, '0')}`,
    displayName: `Kollega ${index}`,
    tenantId,
  };
}

function draftOf(index: number): string {
  return `d7a9e2c4-1f3b-4a5d-8e6f-${String(index).padStart(12, '0')}`;
}

function input(overrides: Partial<FileDiscoveryInput> = {}): FileDiscoveryInput {
  return { actor: upptackare, draftId, submission: buildSubmission(), receivedAt: filedAt, ...overrides };
}

const secondObservation = 'Eleven har berättat för skolsköterskan att hen inte vill gå hem.';

function secondCard(index = 1, overrides: Partial<FileDiscoveryInput> = {}): FileDiscoveryInput {
  return input({
    actor: colleague(index),
    draftId: draftOf(index),
    submission: buildSubmission({ observation: secondObservation, reporterRole: 'Skolsköterska' }),
    receivedAt: '2025-03-05T09:30:00.000Z',
    ...overrides,
  });
}

function noticesOf(outbox: readonly OutboxMessage[], kind: string): OutboxMessage[] {
  return outbox.filter((message) => message.payload.kind === 'notice' && message.payload.notice === kind);
}

describe('a second Upptäckarkort about a child with an open case', () => {
  it('joins the case: the Barnkontakt is told, no second case, chase or routing', async () => {
    const { deps, stores } = createTestFlow();
    await fileDiscovery(deps, input());

    const result = await fileDiscovery(deps, secondCard());

    expect(result.outcome).toBe('addedToOpenCase');
    const { cases, outbox, reminders, audit } = stores.snapshot();
    expect(cases).toHaveLength(1);
    const joined = cases[0] as Case;
    expect(joined.id).toBe(toCaseId(draftId));
    expect(joined.addedDiscoveries?.map((card) => [card.filedBy, card.observation])).toEqual([
      [colleague(1).userId, secondObservation],
    ]);
    expect(joined.discovery?.filedBy).toBe(users.upptackare);
    expect(joined.roles.filter((role) => role.role === 'upptackare').map((role) => role.userId)).toEqual([
      users.upptackare,
      colleague(1).userId,
    ]);
    expect(joined.chronology.at(-1)).toMatchObject({
      event: 'upptackarkortTillagt',
      by: colleague(1).userId,
    });
    expect(joined.routingHistory).toHaveLength(1);
    expect(noticesOf(outbox, 'upptackarkortTillagt').map((message) => message.recipientKey)).toEqual([
      users.barnkontakt,
    ]);
    expect(noticesOf(outbox, 'nyttArende')).toHaveLength(1);
    expect(reminders).toHaveLength(1);
    expect(audit.at(-1)).toMatchObject({
      action: 'laggTillUpptackarkort',
      actor: colleague(1).userId,
      outcome: 'allowed',
    });
    expect(audit.at(-1)?.purpose).toMatch(/pågående ärende/);
  });

  it('ten cards about one child filed at the same moment give one case with all ten cards', async () => {
    const { deps, stores } = createTestFlow();

    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) => fileDiscovery(deps, secondCard(index + 1))),
    );

    expect(results.filter((result) => result.outcome === 'created')).toHaveLength(1);
    expect(results.filter((result) => result.outcome === 'addedToOpenCase')).toHaveLength(9);
    const { cases, outbox, reminders } = stores.snapshot();
    expect(cases).toHaveLength(1);
    expect(new Set(results.map((result) => result.caseValue.value.id))).toEqual(new Set([cases[0]?.id]));
    expect(cases[0]?.addedDiscoveries).toHaveLength(9);
    expect(noticesOf(outbox, 'nyttArende')).toHaveLength(1);
    expect(noticesOf(outbox, 'upptackarkortTillagt')).toHaveLength(9);
    expect(reminders).toHaveLength(1);
  });

  it('a redelivered or double-clicked added card is added once', async () => {
    const { deps, stores } = createTestFlow();
    await fileDiscovery(deps, input());

    const answers = await Promise.all([fileDiscovery(deps, secondCard()), fileDiscovery(deps, secondCard())]);
    const late = await fileDiscovery(deps, secondCard());

    expect(answers.map((answer) => answer.outcome).sort()).toEqual(['addedToOpenCase', 'alreadyFiled']);
    expect(late.outcome).toBe('alreadyFiled');
    expect(stores.snapshot().cases[0]?.addedDiscoveries).toHaveLength(1);
    expect(noticesOf(stores.snapshot().outbox, 'upptackarkortTillagt')).toHaveLength(1);
  });

  it('refuses another user presenting the added card’s draft id', async () => {
    const { deps } = createTestFlow();
    await fileDiscovery(deps, input());
    await fileDiscovery(deps, secondCard());

    await expect(fileDiscovery(deps, secondCard(1, { actor: colleague(2) }))).rejects.toMatchObject({
      code: 'accessDenied',
    });
  });

  it('a child whose case has closed gets a new case, and the next card joins that one', async () => {
    const { deps, stores } = createTestFlow();
    const first = await fileDiscovery(deps, input());
    await stores.cases.replace({ ...first.caseValue.value, state: 'avbojd' }, first.caseValue.etag);

    const second = await fileDiscovery(deps, secondCard(1));
    const third = await fileDiscovery(deps, secondCard(2));

    expect(second.outcome).toBe('created');
    expect(second.caseValue.value.id).toBe(toCaseId(draftOf(1)));
    expect(third.outcome).toBe('addedToOpenCase');
    expect(third.caseValue.value.id).toBe(toCaseId(draftOf(1)));
    expect(stores.snapshot().cases).toHaveLength(2);
  });

  it('a claim whose filing never wrote its case is taken over once it is old', async () => {
    const { deps, stores, setNow } = createTestFlow();
    const identityKey = (await fileDiscovery(deps, input())).caseValue.value.child.identityKey ?? '';
    const claim = await stores.cases.claimOpenCase({ identityKey, caseId: 'x', claimedAt: filedAt });
    await stores.cases.moveOpenCaseClaim(
      { identityKey, caseId: 'arende-aldrig-skrivet', claimedAt: filedAt },
      claim.etag,
    );
    setNow('2025-03-04T08:10:00.000Z');

    const result = await fileDiscovery(deps, secondCard(1, { receivedAt: '2025-03-04T08:10:00.000Z' }));

    expect(result.outcome).toBe('created');
    expect(
      (await stores.cases.claimOpenCase({ identityKey, caseId: 'y', claimedAt: filedAt })).value.caseId,
    ).toBe(toCaseId(draftOf(1)));
  });

  it('an orosanmälan, support in the own organisation and a child without an identity number stay cases of their own', async () => {
    const { deps, stores } = createTestFlow();
    await fileDiscovery(deps, input());

    const report = await fileDiscovery(
      deps,
      secondCard(1, { submission: buildSubmission({ path: 'orosanmalan', verbalConsent: '' }) }),
    );
    const ownSupport = await fileDiscovery(
      deps,
      secondCard(2, {
        submission: buildSubmission({
          path: 'stodIEgenVerksamhet',
          verbalConsent: '',
          followUpDate: '2025-04-01',
        }),
      }),
    );
    const unnumbered = await fileDiscovery(
      deps,
      secondCard(3, {
        submission: buildSubmission({ childIdentityNumber: '', childBirthDate: '2017-06-12' }),
      }),
    );

    expect([report.outcome, ownSupport.outcome, unnumbered.outcome]).toEqual([
      'created',
      'created',
      'created',
    ]);
    expect(stores.snapshot().cases).toHaveLength(4);
  });

  it('the new Upptäckare’s receipt says the card joined an ongoing case and shows nothing else of it', async () => {
    const { deps } = createTestFlow();
    const first = await fileDiscovery(deps, input());
    await fileDiscovery(deps, secondCard());
    const joined = (await deps.stores.cases.get(first.caseValue.value.id))?.value as Case;

    const receipt = toKvittoData(joined, colleague(1).userId, buildDirectory());
    const firstReceipt = toKvittoData(joined, users.upptackare, buildDirectory());

    expect(receipt?.status).toEqual({ kind: 'tillagtIPagaendeArende' });
    expect(receipt?.filedAt).toBe('2025-03-05T09:30:00.000Z');
    const text = readCardText(renderUpptackarkortKvitto(receipt as never));
    expect(text).toContain('Tillagt i ett pågående ärende');
    expect(text).toContain('Barnet har redan ett pågående ärende');
    expect(text).toContain('Maria Lind');
    expect(text).not.toContain(secondObservation);
    expect(text).not.toContain('tyst och trött');
    expect(text).not.toContain('Alex Andersson');
    expect(firstReceipt?.status.kind).toBe('vantarPaBarnkontakt');
    expect(firstReceipt?.filedAt).toBe(filedAt);
  });

  it('the Barnkontakt’s notice shows the added card, with the answers only while the case waits', async () => {
    const { deps, stores } = createTestFlow();
    const first = await fileDiscovery(deps, input());
    await fileDiscovery(deps, secondCard());
    const [notice] = noticesOf(stores.snapshot().outbox, 'upptackarkortTillagt');

    const waiting = await renderNotice(notice as never, deps);
    const current = (await stores.cases.get(first.caseValue.value.id)) as NonNullable<
      Awaited<ReturnType<typeof stores.cases.get>>
    >;
    await stores.cases.replace({ ...current.value, state: 'mottagen' }, current.etag);
    const received = await renderNotice(notice as never, deps);

    for (const rendered of [waiting, received]) {
      if (!('payload' in rendered) || rendered.payload.kind !== 'card') throw new Error('inget kort');
      const text = readCardText(rendered.payload.card);
      expect(text).toContain('Nytt Upptäckarkort i ett pågående ärende');
      expect(text).toContain(secondObservation);
      expect(text).toContain('Kollega 1');
      expect(text).toContain('Skolsköterska');
      expect(rendered.payload.card.refresh).toBeUndefined();
    }
    const actionTitles = (rendered: typeof waiting) =>
      'payload' in rendered && rendered.payload.kind === 'card'
        ? ((rendered.payload.card.actions as { title: string }[] | undefined) ?? []).map(
            (action) => action.title,
          )
        : [];
    expect(actionTitles(waiting)).toEqual(['Ta emot', 'Skicka vidare', 'Avböj']);
    expect(actionTitles(received)).toEqual([]);
  });
});
