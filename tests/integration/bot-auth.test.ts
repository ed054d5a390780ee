/**
 * SECURITY.md 1–3 through the real HTTP endpoint in production mode: the SDK validates
 * locally signed tokens against keys served at the Bot Framework's OpenID metadata address;
 * tenants outside the allow-list are refused before any state is touched.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../../bot/create-bot.js';
import type { Config } from '../../infra/config.js';
import { loadDirectoryFile } from '../../infra/directory-file.js';
import { createLogger } from '../../infra/logger.js';
import { createRecordingStores } from '../support/bot-fake-stores.js';
import {
  alexUserId,
  buildMessage,
  closeNetworkExceptLoopback,
  otherTenantId,
  productionTestConfig,
  type RunningBot,
  sampleTenantId,
  startBot,
  teamsServiceUrl,
  testAppId,
  testAppPassword,
} from '../support/bot-harness.js';
import {
  createSigningKey,
  outboundAccessToken,
  type SigningKey,
  serveBotFrameworkKeys,
  serveEntraClientCredentials,
  signChannelToken,
} from '../support/bot-tokens.js';

/** Bot Connector replies: `POST /v3/conversations/{id}/activities[/{replyToId}]`. */
function expectReplyToPersonalChat(check: (body: Record<string, unknown>) => boolean) {
  return nock('https://smba.trafficmanager.net')
    .matchHeader('authorization', `Bearer ${outboundAccessToken}`)
    .post(
      (path) =>
        /^\/emea\/v3\/conversations\/a:personal-alex\/activities(\/[^/]+)?$/.test(decodeURIComponent(path)),
      check,
    )
    .reply(200, { id: 'reply-1' });
}

let goodKey: SigningKey;
let unknownKey: SigningKey;
let impostorKey: SigningKey;
let bot: RunningBot;

beforeAll(async () => {
  closeNetworkExceptLoopback();
  goodKey = await createSigningKey('bf-key-1');
  unknownKey = await createSigningKey('not-published');
  // Same key id as the published key, different key material: a forged signature.
  impostorKey = { ...(await createSigningKey('bf-key-1')), kid: 'bf-key-1' };
});

beforeEach(async () => {
  serveBotFrameworkKeys([goodKey]);
  serveEntraClientCredentials(sampleTenantId);
  bot = await startBot(productionTestConfig);
});

afterEach(async () => {
  await bot.stop();
  nock.cleanAll();
});

afterAll(() => {
  nock.enableNetConnect();
});

describe('production mode: who may talk to the bot', () => {
  it('answers 401 to a request without Authorization and touches nothing', async () => {
    const response = await bot.post(buildMessage());
    expect(response.status).toBe(401);
    expect(await response.text()).not.toMatch(/at \w+ \(|Error:/);
    expect(bot.stores.calls).toEqual([]);
    expect(bot.unmatchedRequests).toEqual([]);
  });

  it('accepts a valid channel token and replies through the Bot Connector', async () => {
    const reply = expectReplyToPersonalChat((body) =>
      String(body.text).includes('Så här använder du Backa barnet i Teams'),
    );
    const token = await signChannelToken(goodKey, { audience: testAppId, serviceUrl: teamsServiceUrl });

    const response = await bot.post(buildMessage({ text: 'hjälp' }), { authorization: `Bearer ${token}` });

    expect(response.status).toBe(200);
    expect(reply.isDone()).toBe(true);
    expect(bot.stores.savedConversations.get(alexUserId)).toMatchObject({
      key: alexUserId,
      tenantId: sampleTenantId,
      serviceUrl: teamsServiceUrl,
      conversationId: 'a:personal-alex',
    });
    expect(bot.unmatchedRequests).toEqual([]);
  });

  it.each([
    [
      'signed with a key that is not published',
      async () => signChannelToken(unknownKey, { audience: testAppId, serviceUrl: teamsServiceUrl }),
    ],
    [
      'signed with a different key under the published key id',
      async () => signChannelToken(impostorKey, { audience: testAppId, serviceUrl: teamsServiceUrl }),
    ],
    [
      'for another bot (wrong audience)',
      async () =>
        signChannelToken(goodKey, {
          audience: '99999999-2222-4333-8444-555555555555',
          serviceUrl: teamsServiceUrl,
        }),
    ],
    [
      'expired',
      async () =>
        signChannelToken(goodKey, {
          audience: testAppId,
          serviceUrl: teamsServiceUrl,
          expiresInSeconds: -600,
        }),
    ],
    [
      'from another issuer',
      async () =>
        signChannelToken(goodKey, {
          audience: testAppId,
          serviceUrl: teamsServiceUrl,
          issuer: 'https://sts.example.com',
        }),
    ],
    [
      'for another serviceUrl than the activity names',
      async () =>
        signChannelToken(goodKey, {
          audience: testAppId,
          serviceUrl: 'https://smba.trafficmanager.net/amer/',
        }),
    ],
  ])('answers 401 to a token %s, without replying or storing', async (_case, makeToken) => {
    const token = await makeToken();
    const response = await bot.post(buildMessage(), { authorization: `Bearer ${token}` });
    expect(response.status).toBe(401);
    expect(bot.stores.calls).toEqual([]);
    expect(bot.unmatchedRequests).toEqual([]);
  });

  it('answers 403 to a valid token from a tenant outside the allow-list, before any state is loaded', async () => {
    const token = await signChannelToken(goodKey, { audience: testAppId, serviceUrl: teamsServiceUrl });
    const activity = buildMessage({ tenantId: otherTenantId, id: 'activity-from-other-tenant' });

    const response = await bot.post(activity, { authorization: `Bearer ${token}` });

    expect(response.status).toBe(403);
    expect(bot.stores.calls).toEqual([]);
    expect(bot.unmatchedRequests).toEqual([]);
    const refusal = bot.logLines.map((line) => JSON.parse(line)).find((line) => line.reason === 'tenant');
    expect(refusal).toMatchObject({ tenantId: otherTenantId, activityId: 'activity-from-other-tenant' });
    expect(bot.logLines.join('\n')).not.toContain('hjälp');
  });

  it('refuses an activity whose tenant ids disagree', async () => {
    const token = await signChannelToken(goodKey, { audience: testAppId, serviceUrl: teamsServiceUrl });
    const activity = { ...buildMessage(), channelData: { tenant: { id: otherTenantId } } };
    const response = await bot.post(activity, { authorization: `Bearer ${token}` });
    expect(response.status).toBe(403);
    expect(bot.stores.calls).toEqual([]);
  });

  it('refuses a validly signed activity whose serviceUrl is not the Bot Connector, and sends nothing there', async () => {
    const evil = 'https://evil.example.com/';
    const token = await signChannelToken(goodKey, { audience: testAppId, serviceUrl: evil });
    const response = await bot.post(buildMessage({ serviceUrl: evil }), { authorization: `Bearer ${token}` });
    expect(response.status).toBe(403);
    expect(bot.stores.calls).toEqual([]);
    expect(bot.unmatchedRequests).toEqual([]);
  });

  it('never logs the app password or the message text', async () => {
    expectReplyToPersonalChat(() => true);
    const token = await signChannelToken(goodKey, { audience: testAppId, serviceUrl: teamsServiceUrl });
    await bot.post(buildMessage({ text: 'något helt annat 20150312-1234' }), {
      authorization: `Bearer ${token}`,
    });
    const logs = bot.logLines.join('\n');
    expect(logs).toContain('Aktivitet mottagen');
    expect(logs).not.toContain(testAppPassword);
    expect(logs).not.toContain(outboundAccessToken);
    expect(logs).not.toContain('något helt annat');
    expect(logs).not.toContain('20150312');
  });
});

describe('production mode: start-up', () => {
  it('refuses to build a production bot whose authentication would be off', async () => {
    const anonymous: Config = { ...productionTestConfig, botAuth: { kind: 'none' } };
    await expect(
      createBot({
        config: anonymous,
        stores: createRecordingStores(),
        directory: loadDirectoryFile('config/directory.sample.yaml'),
        logger: createLogger({ level: 'silent' }),
      }),
    ).rejects.toThrow(/Produktion kräver app-id/);
  });
});
