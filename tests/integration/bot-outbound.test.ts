/**
 * SECURITY.md 4: the bot's token goes only to the Teams Bot Connector. A stored conversation
 * reference that points elsewhere is refused before any request leaves the machine.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isAllowedServiceUrl } from '../../bot/outbound-guard.js';
import type { StoredConversation } from '../../flows/kernel/ports.js';
import {
  alexUserId,
  closeNetworkExceptLoopback,
  productionTestConfig,
  type RunningBot,
  sampleTenantId,
  startBot,
  teamsServiceUrl,
} from '../support/bot-harness.js';
import { outboundAccessToken, serveEntraClientCredentials } from '../support/bot-tokens.js';

/** A personal-chat reference as bot/ stores it, pointing at `serviceUrl`. */
function storedConversation(serviceUrl: string, referenceServiceUrl = serviceUrl): StoredConversation {
  return {
    key: alexUserId,
    tenantId: sampleTenantId,
    serviceUrl,
    conversationId: 'a:personal-alex',
    updatedAt: '2026-03-02T09:00:00.000Z',
    reference: {
      channelId: 'msteams',
      serviceUrl: referenceServiceUrl,
      bot: { id: '28:backa-barnet', name: '' },
      user: { id: '29:alex', name: '', aadObjectId: alexUserId },
      conversation: {
        id: 'a:personal-alex',
        conversationType: 'personal',
        tenantId: sampleTenantId,
        isGroup: false,
      },
    },
  };
}

let bot: RunningBot;

beforeAll(() => closeNetworkExceptLoopback());

beforeEach(async () => {
  serveEntraClientCredentials(sampleTenantId);
  bot = await startBot(productionTestConfig);
});

afterEach(async () => {
  await bot.stop();
  nock.cleanAll();
});

afterAll(() => nock.enableNetConnect());

describe('proactive sends', () => {
  it('deliver to the Bot Connector with the real request shape', async () => {
    const connector = nock('https://smba.trafficmanager.net')
      .matchHeader('authorization', `Bearer ${outboundAccessToken}`)
      .post(
        (path) => decodeURIComponent(path) === '/emea/v3/conversations/a:personal-alex/activities',
        (body) => body.type === 'message' && body.text === 'Du har ett nytt kort att ta ställning till.',
      )
      .reply(201, { id: 'sent-1' });

    const result = await bot.sendProactive(storedConversation(teamsServiceUrl), {
      kind: 'text',
      text: 'Du har ett nytt kort att ta ställning till.',
    });

    expect(result).toEqual({ activityId: 'sent-1' });
    expect(connector.isDone()).toBe(true);
    expect(bot.unmatchedRequests).toEqual([]);
  });

  it('carry an Adaptive Card with its summary', async () => {
    const card = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlock', text: 'Status: mottagen' }],
    };
    const connector = nock('https://smba.trafficmanager.net')
      .post(/\/emea\/v3\/conversations\/.+\/activities$/, (body) => {
        const [attachment] = body.attachments ?? [];
        return (
          body.summary === 'Nytt ärende' &&
          attachment?.contentType === 'application/vnd.microsoft.card.adaptive' &&
          attachment?.content?.body?.[0]?.text === 'Status: mottagen'
        );
      })
      .reply(201, { id: 'sent-2' });

    await bot.sendProactive(storedConversation(teamsServiceUrl), {
      kind: 'card',
      card,
      summary: 'Nytt ärende',
    });
    expect(connector.isDone()).toBe(true);
  });

  it.each([
    ['https://evil.example.com/'],
    ['http://smba.trafficmanager.net/emea/'],
    ['https://smba.trafficmanager.net.evil.example.com/emea/'],
    ['https://smba.trafficmanager.net:8443/emea/'],
    ['https://user:pass@smba.trafficmanager.net/emea/'],
    ['http://localhost:3978/'],
  ])('refuse a stored reference to %s and send no request at all', async (serviceUrl) => {
    const send = bot.sendProactive(storedConversation(serviceUrl), { kind: 'text', text: 'Påminnelse' });

    await expect(send).rejects.toMatchObject({ name: 'ProactiveSendError', refused: true });
    expect(bot.unmatchedRequests).toEqual([]);
    expect(nock.pendingMocks().filter((mock) => !mock.includes('login.microsoftonline.com'))).toEqual([]);
    const refusal = bot.logLines
      .map((line) => JSON.parse(line))
      .find((line) => line.msg === 'Proaktivt meddelande nekat');
    expect(refusal).toMatchObject({ recipientKey: alexUserId, reason: 'serviceUrl' });
  });

  it('refuse a stored reference whose inner serviceUrl differs from the checked one', async () => {
    const tampered = storedConversation(teamsServiceUrl, 'https://evil.example.com/');
    await expect(bot.sendProactive(tampered, { kind: 'text', text: 'Påminnelse' })).rejects.toMatchObject({
      refused: true,
    });
    expect(bot.unmatchedRequests).toEqual([]);
  });

  // The SDK's own retry policy is removed on the proactive path (bot/proactive.ts): the outbox
  // owns retries, persisted and visible, so exactly one request leaves per send.
  it('report the Bot Connector status and Retry-After when Teams throttles, without retrying itself', async () => {
    const connector = nock('https://smba.trafficmanager.net')
      .post(/\/emea\/v3\/conversations\/.+\/activities$/)
      .once()
      .reply(429, { error: { code: 'TooManyRequests' } }, { 'Retry-After': '0' });

    const send = bot.sendProactive(storedConversation(teamsServiceUrl), { kind: 'text', text: 'Påminnelse' });
    await expect(send).rejects.toMatchObject({
      name: 'ProactiveSendError',
      status: 429,
      retryAfterMs: 0,
      refused: false,
    });
    expect(connector.isDone()).toBe(true);
    expect(bot.unmatchedRequests).toEqual([]);
  });
});

describe('the outbound allow-list', () => {
  it.each([
    ['https://smba.trafficmanager.net/emea/', 'production', true],
    ['https://smba.trafficmanager.net/teams/', 'production', true],
    ['https://SMBA.trafficmanager.net/amer/', 'production', true],
    ['https://smba.trafficmanager.net./emea/', 'production', false],
    ['https://evil.example.com/', 'production', false],
    ['http://localhost:56150/', 'production', false],
    ['http://127.0.0.1:56150/', 'production', false],
    ['http://localhost:56150/', 'local', true],
    ['http://127.0.0.1:56150/', 'local', true],
    ['http://[::1]:56150/', 'local', true],
    ['http://192.168.1.10:56150/', 'local', false],
    ['https://smba.trafficmanager.net/emea/', 'local', true],
    ['ftp://smba.trafficmanager.net/', 'production', false],
    ['inte en url', 'production', false],
  ] as const)('%s in %s mode → %s', (serviceUrl, mode, allowed) => {
    expect(isAllowedServiceUrl(serviceUrl, mode)).toBe(allowed);
  });
});
