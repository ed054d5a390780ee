/**
 * "ny upptäckt" and the Upptäckarkort's submit through the bot as Teams talks to it: the real
 * HTTP endpoint and CloudAdapter in production mode, the Bot Connector faked at its real address
 * (tests/support/teams-bot.ts).
 */
import { describe, expect, it } from 'vitest';
import { sentToPersonalChat } from '../../bot/user-messages.js';
import {
  buildActionExecute,
  buildTeamsMessage,
  channelConversationId,
  nextActivityId,
  people,
} from '../support/bot-activities.js';
import { productionTestConfig } from '../support/bot-harness.js';
import { readCards } from '../support/card-actions.js';
import { buildRawSubmit } from '../support/flow-fixtures.js';
import { useTeamsBot } from '../support/teams-bot.js';
import { walkCase } from '../support/walk-case.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// Nobody has written to the bot yet: some tests are about the first message.
const teams = useTeamsBot({ greet: [] });
const { send } = teams;

/** Every card the bot sent, with where it went. */
function sentCards(): { path: string; card: Record<string, unknown> }[] {
  return teams.connector.flatMap((request) =>
    readCards(request.body).map((card) => ({ path: request.path, card })),
  );
}

function findSubmitAction(card: Record<string, unknown>): { verb: string; data: { draftId: string } } {
  const json = JSON.stringify(card);
  const match =
    /"type":"Action\.Execute"[^{}]*"verb":"upptackarkort\.skicka"[^{}]*"data":\{"draftId":"([^"]+)"\}/.exec(
      json,
    );
  const draftId = match?.[1];
  if (draftId === undefined) throw new Error('Kortet saknar Skicka-knappen');
  return { verb: 'upptackarkort.skicka', data: { draftId } };
}

function listInputIds(card: Record<string, unknown>): string[] {
  const ids: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach(visit);
    } else if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>;
      if (
        typeof record.type === 'string' &&
        record.type.startsWith('Input.') &&
        typeof record.id === 'string'
      ) {
        ids.push(record.id);
      }
      Object.values(record).forEach(visit);
    }
  };
  visit(card);
  return ids;
}

/** Opens a card in the personal chat and returns its draft id. */
async function openCard(): Promise<string> {
  const response = await send(buildTeamsMessage('ny upptäckt'));
  expect(response.status).toBe(200);
  const card = sentCards().at(-1)?.card;
  if (card === undefined) throw new Error('Inget kort skickades');
  return findSubmitAction(card).data.draftId;
}

async function submit(
  draftId: string,
  overrides: Record<string, string | undefined> = {},
  id = nextActivityId(),
) {
  const response = await send(
    buildActionExecute('upptackarkort.skicka', buildRawSubmit({ draftId, ...overrides }), { id }),
  );
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toBe('no-store');
  return (await response.json()) as { statusCode: number; type: string; value: Record<string, unknown> };
}

describe('"ny upptäckt" in the personal chat', () => {
  it.each(['ny upptäckt', 'Ny Upptäckt', 'NY UPPTACKT', 'nyupptäckt', '  ny  upptäckt! '])(
    '"%s" answers with the Upptäckarkort and a new draft id',
    async (text) => {
      const response = await send(buildTeamsMessage(text));
      expect(response.status).toBe(200);

      const cards = sentCards();
      expect(cards).toHaveLength(1);
      expect(cards[0]?.path).toMatch(/^\/v3\/conversations\/a:personal-alex\/activities/);
      const card = cards[0]?.card ?? {};
      expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
      expect(listInputIds(card)).toEqual(
        expect.arrayContaining([
          'childGivenName',
          'childIdentityNumber',
          'unitId',
          'reporterRole',
          'area_omsorg',
          'areaComment_utvecklas',
          'observation',
          'talkedWithGuardian',
          'path',
          'verbalConsent',
          'followUpDate',
        ]),
      );
      expect(findSubmitAction(card).data.draftId).toMatch(uuidPattern);
      // The units the child can belong to, titled with their type and sorted by name.
      expect(JSON.stringify(card)).toContain('"title":"Björkskolan (grundskola)"');
      expect(JSON.stringify(card)).not.toContain('Socialtjänstens mottagning (');
    },
  );

  it('handles a redelivered message once: one card, the same draft', async () => {
    const message = buildTeamsMessage('ny upptäckt');
    const [first, second] = [await send(message), await send(message)];
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(sentCards()).toHaveLength(1);
    expect(teams.stores.snapshot().activities).toHaveLength(1);
    expect(teams.bot.logLines.join('\n')).toContain('Aktiviteten kom igen');
  });

  it('gives two different messages two different drafts', async () => {
    const first = await openCard();
    const second = await openCard();
    expect(first).not.toBe(second);
  });
});

describe('"ny upptäckt" in a channel', () => {
  it('opens a personal chat for the card and answers in the channel without child data', async () => {
    const response = await send(buildTeamsMessage('ny upptäckt', { where: 'channel' }));
    expect(response.status).toBe(200);

    const create = teams.connector.find((request) => request.path === '/v3/conversations');
    expect(create?.body).toMatchObject({
      isGroup: false,
      bot: { id: '28:backa-barnet' },
      members: [{ id: people.alex.id }],
      tenantId: productionTestConfig.allowedTenantIds[0],
    });
    const cards = sentCards();
    expect(cards).toHaveLength(1);
    expect(cards[0]?.path).toBe('/v3/conversations/a:ny-personlig-chatt/activities');

    const inChannel = teams.connector.filter((request) => request.path.includes(channelConversationId));
    expect(inChannel).toHaveLength(1);
    expect(inChannel[0]?.body.text).toBe(sentToPersonalChat);
    expect(inChannel[0]?.body.attachments ?? []).toEqual([]);

    // The new chat is remembered, so the next card needs no new conversation.
    expect(await teams.stores.conversations.get(people.alex.aadObjectId)).toMatchObject({
      conversationId: 'a:ny-personlig-chatt',
    });
    await send(buildTeamsMessage('ny upptäckt', { where: 'groupChat' }));
    expect(teams.connector.filter((request) => request.path === '/v3/conversations')).toHaveLength(1);
    expect(sentCards().map((sent) => sent.path)).toEqual([
      '/v3/conversations/a:ny-personlig-chatt/activities',
      '/v3/conversations/a:ny-personlig-chatt/activities',
    ]);
  });

  it('uses the stored personal chat when the user has written to the bot before', async () => {
    await send(buildTeamsMessage('hjälp'));
    await send(buildTeamsMessage('ny upptäckt', { where: 'channel' }));

    expect(teams.connector.some((request) => request.path === '/v3/conversations')).toBe(false);
    const cards = sentCards();
    expect(cards).toHaveLength(1);
    expect(cards[0]?.path).toBe('/v3/conversations/a:personal-alex/activities');
  });

  it('says how to open the personal chat when Teams refuses to create it, and posts no card', async () => {
    teams.replaceConnector({ createConversation: { status: 403 } });

    const response = await send(buildTeamsMessage('ny upptäckt', { where: 'channel' }));
    expect(response.status).toBe(200);
    expect(sentCards()).toEqual([]);
    const inChannel = teams.connector.filter((request) => request.path.includes(channelConversationId));
    expect(String(inChannel[0]?.body.text)).toContain('Jag kunde inte öppna vår personliga chatt');
    expect(String(inChannel[0]?.body.text)).toContain('Appar');
  });
});

describe('submitting the Upptäckarkort', () => {
  it('answers a valid card with the receipt in the invoke response and stores one case and one notice', async () => {
    const draftId = await openCard();
    const before = teams.connector.length;

    const answer = await submit(draftId);

    expect(answer).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const receipt = JSON.stringify(answer.value);
    expect(receipt).toContain('"verb":"kvitto.visa"');
    expect(receipt).toContain('Väntar på Barnkontakt');
    expect(receipt).toContain('Maria Lind');
    expect(receipt).not.toContain('20170612');
    // Nothing was sent to anyone inside the invoke: delivery is the background work's.
    expect(teams.connector.length).toBe(before);
    expect(teams.bot.unmatchedRequests).toEqual([]);

    const { cases, outbox } = teams.stores.snapshot();
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ id: `arende-${draftId}`, state: 'vantarPaBarnkontakt' });
    expect(receipt).toContain(cases[0]?.reference);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({
      recipientKey: people.maria.aadObjectId,
      payload: { kind: 'notice', notice: 'nyttArende' },
    });
    // The filer is the activity's user, whatever the card data says.
    expect(cases[0]?.discovery?.filedBy).toBe(people.alex.aadObjectId);
  });

  it('files once on a redelivered invoke and on a double click, answering each with the same receipt', async () => {
    const draftId = await openCard();
    const invokeId = nextActivityId();

    const first = await submit(draftId, {}, invokeId);
    const redelivered = await submit(draftId, {}, invokeId);
    const doubleClick = await submit(draftId);

    expect(redelivered.value).toEqual(first.value);
    expect(doubleClick.value).toEqual(first.value);
    const { cases, outbox } = teams.stores.snapshot();
    expect(cases).toHaveLength(1);
    expect(outbox).toHaveLength(1);
  });

  it('returns the same card with the typed values and Swedish messages for an invalid card, storing nothing', async () => {
    const draftId = await openCard();

    const answer = await submit(draftId, {
      childGivenName: '',
      childIdentityNumber: '',
      reporterRole: 'Lärare på mellanstadiet',
      observation: 'Har sett att barnet ofta är hungrigt.',
      verbalConsent: 'false',
    });

    expect(answer).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const card = JSON.stringify(answer.value);
    expect(findSubmitAction(answer.value).data.draftId).toBe(draftId);
    expect(card).toContain('Kortet är inte skickat');
    expect(card).toContain('Skriv barnets förnamn.');
    expect(card).toContain('Ange barnets personnummer, födelsedatum eller');
    expect(card).toContain('Barnkontakten kan bara aktiveras när vårdnadshavare');
    expect(card).toContain('"value":"Lärare på mellanstadiet"');
    expect(card).toContain('"value":"Har sett att barnet ofta är hungrigt."');
    const { cases, outbox, audit } = teams.stores.snapshot();
    expect([cases, outbox, audit]).toEqual([[], [], []]);
  });

  it('keeps the values and asks to try again when the store is unavailable', async () => {
    const draftId = await openCard();
    teams.stores.failNext('cases.createWithEffects');

    const answer = await submit(draftId, { reporterRole: 'Fritidspedagog' });

    const card = JSON.stringify(answer.value);
    expect(card).toContain('Försök igen om en stund');
    expect(card).toContain('"value":"Fritidspedagog"');
    expect(card).not.toMatch(/at \w+ \(|Error/);
    expect(teams.stores.snapshot().cases).toEqual([]);
  });

  it('tells the Upptäckare where the card really is: on its way, then not arrived while Maria has no chat with the bot', async () => {
    const { caseId, card } = await walkCase(teams).to('vantarPaBarnkontakt');
    expect(JSON.stringify(card)).toContain('Kortet är på väg till Barnkontakten Maria Lind');
    expect(JSON.stringify(card)).not.toContain('har fått kortet');

    await teams.bot.backgroundWork.runOnce();
    const receipt = JSON.stringify(await teams.invoke(people.alex, 'kvitto.visa', { caseId }));

    expect(receipt).toContain('Kortet har inte kommit fram till Barnkontakten Maria Lind');
    expect(receipt).toContain('kommunens reservkontakt har fått besked');
  });

  it('never logs what was typed on the card', async () => {
    const draftId = await openCard();
    await submit(draftId);
    await submit(draftId, { childGivenName: '' });
    const logs = teams.bot.logLines.join('\n');
    expect(logs).toContain('upptackarkort.skicka');
    for (const value of ['Testbarn', 'Exempel', '20170612', '2387', 'tyst och trött', 'frukost']) {
      expect(logs).not.toContain(value);
    }
  });
});
