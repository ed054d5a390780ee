// The channel tab is part of the bot's own server: locally its pages and API answer on the bot's
// port with the local sign-in; in production without its settings there is no tab at all, and
// with them the local sign-in does not exist.
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../infra/config.js';
import { type RunningBot, startBot } from '../support/bot-harness.js';

let bot: RunningBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const origin = (running: RunningBot) => new URL(running.url).origin;

describe('the channel tab on the bot’s server', () => {
  it('answers locally with the playground’s users to sign in as and a short-lived token', async () => {
    bot = await startBot(loadConfig({ BOT_MODE: 'local' }));
    const session = await fetch(`${origin(bot)}/api/tab/session`);
    expect(session.headers.get('cache-control')).toBe('no-store');
    const body = (await session.json()) as { mode: string; users: { userId: string; name: string }[] };
    expect(body.mode).toBe('local');
    expect(body.users).toContainEqual(expect.objectContaining({ name: 'Maria Lind' }));
    const maria = body.users.find((user) => user.name === 'Maria Lind');
    const token = await fetch(`${origin(bot)}/api/tab/local-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: maria?.userId }),
    });
    expect(token.status).toBe(200);
    const { expiresAt } = (await token.json()) as { expiresAt: string };
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(10 * 60_000);
    // The plan of a case nobody has: 404, with the token; 401 without it.
    const unknown = await fetch(`${origin(bot)}/api/tab/cases/finns-inte/plan`);
    expect(unknown.status).toBe(401);
  });

  it('mounts the tab’s pages locally, with the policy that keeps them to this server (tests/unit/web/tab-site.test.ts has the rest)', async () => {
    bot = await startBot(loadConfig({ BOT_MODE: 'local' }));
    // Whether dist/tab is built depends on what ran before; the mount and its policy do not.
    const page = await fetch(`${origin(bot)}/tab/index.html`);
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("frame-ancestors 'self'");
    expect(policy).toContain("connect-src 'self'");
  });

  it('has no tab in production without its settings, and no local sign-in with them', async () => {
    const production = {
      BOT_MODE: 'production',
      MicrosoftAppId: '11111111-2222-4333-8444-555555555555',
      MicrosoftAppPassword: 'hemligt',
      MicrosoftAppTenantId: '5e0b1d3a-7c2f-4b8e-9a61-3f4d2c1b0a99',
      MicrosoftAppType: 'SingleTenant',
      ALLOWED_TENANT_IDS: '5e0b1d3a-7c2f-4b8e-9a61-3f4d2c1b0a99',
      IDENTITY_HASH_KEY: 'test-identity-hash-key-of-32-bytes-or-more',
      STORE: 'cosmos',
      COSMOS_ENDPOINT: 'https://exempelby.documents.azure.com:443/',
      COSMOS_DATABASE: 'backa',
      DIRECTORY_FILE: 'config/directory.sample.yaml',
    };
    bot = await startBot(loadConfig(production));
    expect((await fetch(`${origin(bot)}/api/tab/session`)).status).toBe(404);
    await bot.stop();
    bot = await startBot(
      loadConfig({
        ...production,
        PUBLIC_BASE_URL: 'https://backa.exempelby.se',
        TAB_SSO_CLIENT_ID: '22222222-3333-4444-8555-666666666666',
      }),
    );
    expect(await (await fetch(`${origin(bot)}/api/tab/session`)).json()).toEqual({ mode: 'teams' });
    const local = await fetch(`${origin(bot)}/api/tab/local-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02' }),
    });
    expect(local.status).toBe(404);
    const page = await fetch(`${origin(bot)}/tab/index.html`);
    expect(page.headers.get('content-security-policy')).toContain('https://teams.microsoft.com');
  });
});
