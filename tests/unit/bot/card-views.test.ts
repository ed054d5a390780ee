/**
 * bot/card-views/upptackt-views.ts: which card data each viewer of a case gets, and that it renders. Cases are
 * made by the real use cases over the in-memory stores.
 */
import { describe, expect, it } from 'vitest';
import {
  forwardReasonForUpptackare,
  listChildUnitChoices,
  toKvittoData,
  toNotisBesvaradData,
  toNotisData,
  toOrosanmalanData,
} from '../../../bot/card-views/upptackt-views.js';
import { renderBarnkontaktNotis } from '../../../cards/upptackt/barnkontakt-notis.js';
import { renderBarnkontaktNotisBesvarad } from '../../../cards/upptackt/barnkontakt-notis-besvarad.js';
import { renderOrosanmalan } from '../../../cards/upptackt/orosanmalan.js';
import { renderUpptackarkortKvitto } from '../../../cards/upptackt/upptackarkort-kvitto.js';
import { respondToCase } from '../../../flows/upptackt/respond-to-case.js';
import {
  buildDirectory,
  createTestFlow,
  filedAt,
  forskolerektor,
  rektor,
  users,
} from '../../support/flow-fixtures.js';
import { fileCase as fileFlowCase } from '../../support/walk-case.js';

const today = '2025-03-04';

async function fileCase(card: Record<string, string> = {}) {
  const flow = createTestFlow();
  return { flow, filed: await fileFlowCase(flow.deps, { card }) };
}

/**
 * A teacher of the municipality files for a child at a private school without a Barnkontakt:
 * the card goes to the municipality's fallback contact, a colleague in the same organisation.
 */
async function fileForSchoolWithoutBarnkontakt() {
  const directory = buildDirectory((input) => {
    input.units.push({ id: 'ekens-skola', name: 'Ekens skola', type: 'grundskola', organisation: 'privat' });
  });
  const flow = createTestFlow({ directory });
  return { directory, filed: await fileFlowCase(flow.deps, { card: { unitId: 'ekens-skola' } }) };
}

describe('listChildUnitChoices', () => {
  it('lists the units a child belongs to, titled with their type and sorted by name', () => {
    expect(listChildUnitChoices(createTestFlow().deps.directory).map((unit) => unit.title)).toEqual([
      'Björkskolan (grundskola)',
      'Exempelby barnmorskemottagning (barnmorskemottagning)',
      'Exempelby BVC (barnavårdscentral (BVC))',
      'Lärkans förskola (förskola)',
    ]);
  });
});

describe('toNotisData', () => {
  it('gives the routed Barnkontakt the card data without the identity number, and the Upptäckare none', async () => {
    const { flow, filed } = await fileCase();
    const data = toNotisData(filed.value, users.barnkontakt, flow.deps.directory, filed.etag, { today });

    expect(data).toMatchObject({
      caseId: filed.value.id,
      etag: filed.etag,
      refreshUserIds: [users.barnkontakt],
      reporter: { displayName: 'Alex Andersson', role: 'Lärare' },
    });
    expect(data?.forwardTargets.map((unit) => unit.id)).not.toContain('bjorkskolan');
    const card = JSON.stringify(renderBarnkontaktNotis(data ?? ({} as never)));
    expect(card).toContain('Testbarn');
    expect(card).not.toContain('2387');
    expect(
      toNotisData(filed.value, users.upptackare, flow.deps.directory, filed.etag, { today }),
    ).toBeUndefined();
    expect(
      toNotisData(filed.value, users.annanBarnkontakt, flow.deps.directory, filed.etag, { today }),
    ).toBeUndefined();
  });

  it('judges "extern" against the organisation of the unit the viewer acts for, not the child’s', async () => {
    const { directory, filed } = await fileForSchoolWithoutBarnkontakt();
    expect(filed.value.routing?.viaFallback).toBe(true);

    const data = toNotisData(filed.value, users.socialtjanst, directory, filed.etag, {
      today,
    });
    const card = JSON.stringify(renderBarnkontaktNotis(data ?? ({} as never)));

    expect(data?.reporter.external).toBe(false);
    expect(card).toContain('Din egen organisation');
    expect(card).not.toContain('En annan organisation än din');
  });

  it('calls the fallback contact kommunens reservkontakt, never the child’s Barnkontakt', async () => {
    const { directory, filed } = await fileForSchoolWithoutBarnkontakt();
    const data = toNotisData(filed.value, users.socialtjanst, directory, filed.etag, {
      today,
    });
    const card = JSON.stringify(renderBarnkontaktNotis(data ?? ({} as never)));

    expect(card).toContain('Nytt Upptäckarkort till dig som kommunens reservkontakt');
    expect(card).toContain('för att du är kommunens reservkontakt');
    expect(card).not.toMatch(/du är barnets Barnkontakt|dig som Barnkontakt/);
  });
});

describe('toKvittoData', () => {
  it('gives only the Upptäckare a receipt, which renders', async () => {
    const { flow, filed } = await fileCase();
    const data = toKvittoData(filed.value, users.upptackare, flow.deps.directory);
    expect(data).toMatchObject({
      status: { kind: 'vantarPaBarnkontakt' },
      barnkontakt: { displayName: 'Maria Lind' },
    });
    expect(JSON.stringify(renderUpptackarkortKvitto(data ?? ({} as never)))).toContain(filed.value.reference);
    expect(toKvittoData(filed.value, users.barnkontakt, flow.deps.directory)).toBeUndefined();
  });

  it("tells the Upptäckare about a forward without the forwarding Barnkontakt's reason", async () => {
    const { flow, filed } = await fileCase();
    const forwarded = await respondToCase(flow.deps, {
      caseId: filed.value.id,
      cardEtag: filed.etag,
      actor: rektor,
      action: 'skickaVidare',
      targetUnitId: 'larkans-forskola',
      reason: 'Familjen har berättat om en svår period.',
      at: filedAt,
    });
    if (forwarded.outcome !== 'applied') throw new Error(forwarded.outcome);
    const data = toKvittoData(forwarded.caseValue.value, users.upptackare, flow.deps.directory);
    expect(data?.status).toMatchObject({ kind: 'skickatVidare', reason: forwardReasonForUpptackare });
    expect(JSON.stringify(data)).not.toContain('svår period');
  });
});

describe('toNotisBesvaradData', () => {
  it('shows the forwarding Barnkontakt their own answer after their role ended, and nobody else anything', async () => {
    const { flow, filed } = await fileCase();
    const forwarded = await respondToCase(flow.deps, {
      caseId: filed.value.id,
      cardEtag: filed.etag,
      actor: rektor,
      action: 'skickaVidare',
      targetUnitId: 'larkans-forskola',
      reason: 'Barnet går på Lärkans förskola.',
      at: filedAt,
    });
    if (forwarded.outcome !== 'applied') throw new Error(forwarded.outcome);
    const current = forwarded.caseValue.value;

    const forMaria = toNotisBesvaradData(current, users.barnkontakt, flow.deps.directory, { stale: true });
    expect(forMaria).toMatchObject({
      unitName: 'Björkskolan',
      stale: true,
      state: { kind: 'skickatVidare', byViewer: true, toUnitName: 'Lärkans förskola' },
    });
    expect(forMaria).not.toHaveProperty('refreshUserIds');
    expect(JSON.stringify(renderBarnkontaktNotisBesvarad(forMaria ?? ({} as never)))).toContain(
      'Du skickade ärendet vidare till Lärkans förskola',
    );
    // Sara now has the card waiting for her answer: nothing answered to show yet from her side.
    expect(
      toNotisData(current, forskolerektor.userId, flow.deps.directory, forwarded.caseValue.etag, { today }),
    ).toBeDefined();
    expect(toNotisBesvaradData(current, users.ersattare, flow.deps.directory)).toBeUndefined();
    expect(toNotisBesvaradData(current, users.upptackare, flow.deps.directory)).toBeUndefined();
  });
});

describe('toOrosanmalanData', () => {
  it("gives social services' intake the whole card with the identity number, and nobody else", async () => {
    const { flow, filed } = await fileCase({
      path: 'orosanmalan',
      verbalConsent: 'false',
      consentGivenBy: '',
    });
    const data = toOrosanmalanData(filed.value, users.socialtjanst, flow.deps.directory, { today });
    expect(data?.child.identityNumber).toBe('201706122387');
    expect(data?.child).not.toHaveProperty('identityKey');
    expect(JSON.stringify(renderOrosanmalan(data ?? ({} as never)))).toContain('20170612-2387');
    expect(toOrosanmalanData(filed.value, users.barnkontakt, flow.deps.directory, { today })).toBeUndefined();
    expect(toOrosanmalanData(filed.value, users.upptackare, flow.deps.directory, { today })).toBeUndefined();
  });
});
