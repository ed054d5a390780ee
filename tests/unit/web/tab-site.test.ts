// The tab's pages as the bot's server sends them: the built files with a policy that keeps the
// page to this server and to its frame (Teams in production, itself locally), and a plain
// Swedish answer when the tab was never built, so an operator knows what to do.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createTabSite } from '../../../web/tab-site.js';

let server: Server | undefined;
let dir: string | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function serve(buildDir: string, local: boolean): Promise<string> {
  const app = express();
  app.use('/tab', createTabSite({ buildDir, local }));
  server = createServer(app);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function givenBuild(): string {
  dir = mkdtempSync(join(tmpdir(), 'backa-tab-site-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(dir, 'assets', 'plan-abc123.js'), 'console.log(1)');
  return dir;
}

describe('the tab’s pages', () => {
  it('sends the built page, not cached, with the local policy: framed by itself, talking to itself only', async () => {
    const base = await serve(givenBuild(), true);
    const page = await fetch(`${base}/tab/index.html`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("frame-ancestors 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("script-src 'self'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const asset = await fetch(`${base}/tab/assets/plan-abc123.js`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('in production may be framed by Teams only', async () => {
    const base = await serve(givenBuild(), false);
    const policy = (await fetch(`${base}/tab/index.html`)).headers.get('content-security-policy') ?? '';
    expect(policy).toContain('https://teams.microsoft.com');
    expect(policy).not.toContain("frame-ancestors 'self'");
  });

  it('says in Swedish that the tab is not built, or that a page does not exist', async () => {
    const missing = await serve(join(tmpdir(), 'backa-tab-site-finns-inte'), true);
    const unbuilt = await fetch(`${missing}/tab/index.html`);
    expect(unbuilt.status).toBe(404);
    expect(await unbuilt.text()).toBe('Kanalfliken är inte byggd. Kör npm run build.');
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    const base = await serve(givenBuild(), true);
    const other = await fetch(`${base}/tab/annan.html`);
    expect(other.status).toBe(404);
    expect(await other.text()).toBe('Sidan finns inte.');
  });
});
