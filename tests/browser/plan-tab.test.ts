/**
 * The channel tab in Chromium, as a member of the team sees it: the plan's goals, overdue actions
 * marked in words, the compass's numbers in a table, marking an action done, a stale version
 * answered with the current plan, and someone without a role shown only the refusal. Each theme
 * is screenshotted and scanned with axe. The server is a `TabTestTarget`: the stub here, or the
 * bot's real server given the same shape.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compassAreas } from '../../flows/kernel/compass.js';
import { fixtureOverdueCount, fixtureRating } from '../fixtures/plan-view-fixture.js';
import { launchChromium } from '../support/e2e-playground.js';
import {
  buildTab,
  startTabStubServer,
  stubMessages,
  type TabTestTarget,
  type TabTestUser,
} from '../support/tab-test-server.js';

const buildDir = resolve('.tmp', 'tab-test-build');
const resultsDir = resolve('test-results');
const themes = ['light', 'dark', 'contrast'] as const;

let target: TabTestTarget;
let browser: Browser;

beforeAll(async () => {
  await buildTab(buildDir);
  target = await startTabStubServer({ buildDir });
  browser = await launchChromium();
  mkdirSync(resultsDir, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await target?.close();
});

interface Opened {
  readonly page: Page;
  /** Milliseconds from navigation to the first paint, to the sign-in chooser, and from sign-in to the plan's heading. */
  readonly timings: {
    readonly firstPaint: number;
    readonly chooser: number;
    readonly planAfterSignIn: number;
  };
}

async function openAs(user: TabTestUser, theme: (typeof themes)[number] = 'light'): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'sv-SE' });
  // Nothing may leave the machine: the tab talks to its own server only.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
  const page = await context.newPage();
  await page.goto(
    `${target.baseUrl}/tab/index.html?arende=${encodeURIComponent(target.caseId)}&theme=${theme}`,
  );
  const chooser = page.getByLabel('Användare');
  await chooser.waitFor();
  const chooserAt = await page.evaluate(() => performance.now());
  const option = await chooser.locator('option', { hasText: user.name }).first().getAttribute('value');
  await chooser.selectOption(option ?? '');
  const clickedAt = await page.evaluate(() => performance.now());
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.getByRole('heading', { level: 1 }).filter({ hasNotText: 'Logga in' }).waitFor();
  const shownAt = await page.evaluate(() => performance.now());
  const firstPaint = await page.evaluate(
    () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
  );
  return { page, timings: { firstPaint, chooser: chooserAt, planAfterSignIn: shownAt - clickedAt } };
}

async function expectNoSeriousViolations(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.nodes
          .map((node) => node.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    );
  expect(serious).toEqual([]);
}

describe('Barnets plan i kanalfliken', () => {
  it('shows a member the goals, overdue actions in words and the compass as numbers', async () => {
    const { page, timings } = await openAs(target.member);
    process.stdout.write(
      `Kanalfliken: first-contentful-paint ${timings.firstPaint.toFixed(0)} ms, inloggningsval ${timings.chooser.toFixed(0)} ms, planen ${timings.planAfterSignIn.toFixed(0)} ms efter inloggning\n`,
    );
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Barnets plan för A.B. (BB-2026-0042)',
    );
    const goals = page.getByRole('region', { name: 'Mina mål' }).getByRole('listitem');
    await expect(goals.count()).resolves.toBe(8);
    for (const area of compassAreas) {
      await expect(
        goals.filter({ hasText: area.name }).filter({ hasText: area.childWords }).count(),
      ).resolves.toBe(1);
    }
    const actions = page.getByRole('region', { name: 'Vem gör vad och när' }).getByRole('listitem');
    await expect(actions.count()).resolves.toBe(30);
    await expect(actions.filter({ hasText: 'Försenad' }).count()).resolves.toBe(fixtureOverdueCount);
    await expect(page.getByText('Ingen beslutar om mig utan mig.').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('link', { name: 'Anslut till mötet i Teams' }).isVisible()).resolves.toBe(
      true,
    );

    const omsorg = page.getByRole('table', { name: /^Omsorg/ });
    const startRow = omsorg.getByRole('row', { name: /^Start/ });
    await expect(startRow.getByRole('cell').allTextContents()).resolves.toEqual(
      (['barnet', 'vardnadshavare', 'teamet'] as const).map((rater) => String(fixtureRating(rater, 0, 1))),
    );
    const change = omsorg.getByRole('row', { name: /Förändring sedan start/ }).getByRole('cell');
    await expect(change.first().textContent()).resolves.toBe(
      `+${fixtureRating('barnet', 0, 10) - fixtureRating('barnet', 0, 1)}`,
    );
    // Each person in the circle is also in text for a screen reader.
    await expect(
      page.getByRole('listitem').filter({ hasText: 'Mormor, Släkt, närmast' }).count(),
    ).resolves.toBe(1);
    await page.context().close();
  });

  for (const theme of themes) {
    it(`passes axe without serious violations in the ${theme} theme, with a screenshot`, async () => {
      const { page } = await openAs(target.member, theme);
      await page.screenshot({ path: join(resultsDir, `tab-barnets-plan-${theme}.png`), fullPage: true });
      await expectNoSeriousViolations(page);
      await page.context().close();
    });
  }

  it('marks an action done and shows it saved; a stale version shows its message and the current plan', async () => {
    const { page } = await openAs(target.member);
    const actions = page.getByRole('region', { name: 'Vem gör vad och när' }).getByRole('listitem');
    const first = actions
      .filter({ has: page.getByRole('button', { name: 'Markera som genomförd' }) })
      .first();
    const what = await first.getByRole('heading').textContent();
    await first.getByRole('button', { name: 'Markera som genomförd' }).click();
    await page.getByRole('status').getByText('Sparat.').waitFor();
    const saved = actions.filter({ has: page.getByRole('heading', { name: what ?? '', exact: true }) });
    await expect(saved.getByText('Status: Genomförd').count()).resolves.toBe(1);
    await expect(saved.getByRole('button', { name: 'Markera som genomförd' }).count()).resolves.toBe(0);

    const elsewhere = await target.changePlanElsewhere();
    await actions.getByRole('button', { name: 'Markera som genomförd' }).first().click();
    await page.getByRole('status').getByText(stubMessages.stale).waitFor();
    const changed = actions.filter({
      has: page.getByRole('heading', { name: elsewhere.actionWhat, exact: true }),
    });
    await expect(changed.getByText('Status: Genomförd').count()).resolves.toBe(1);
    await page.context().close();
  });

  it('keeps a refused note in its field with the reason under it', async () => {
    const { page } = await openAs(target.member);
    const field = page.getByLabel('Anteckning till Uppföljning 1');
    await field.fill('   ');
    await page
      .getByRole('listitem')
      .filter({ has: field })
      .getByRole('button', { name: 'Lägg till anteckning' })
      .click();
    await page.getByText(stubMessages.emptyNote).first().waitFor();
    await expect(field.inputValue()).resolves.toBe('   ');
    await page.context().close();
  });

  it('shows someone without a role in the case only the refusal', async () => {
    const { page } = await openAs(target.outsider);
    await page.getByText('Du har ingen roll i det här barnets plan').waitFor();
    await expect(page.getByText('Mina mål').count()).resolves.toBe(0);
    await expect(page.getByText('A.B.').count()).resolves.toBe(0);
    await expect(page.getByText('BB-2026-0042').count()).resolves.toBe(0);
    await page.context().close();
  });
});
