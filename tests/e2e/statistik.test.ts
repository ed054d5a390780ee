// The process team's figures in the local playground: a teacher files an Upptäckarkort, then
// Björkskolan's rektor, who is in the sample directory's process team, types "statistik" and reads
// the term's tables, the Upptäckarkort's count shown as "<3" since it is one card, and the note
// that says why. The figures come from the bot's own pipeline over the run's store. Then she
// presses "Ladda ner som CSV": the playground opens the card's link in a new window, which the
// browser turns into a download, and the file holds the same term's tables for Swedish Excel.
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import {
  readCardText,
  saveMessageScreenshot,
  sendText,
  usePlayground,
  waitForBotMessage,
} from '../support/e2e-playground.js';
import {
  fileUpptackarkort,
  findChildDataIn,
  type TestChild,
  toPersonnummer,
} from '../support/e2e-upptackare.js';

/** Maria Lind, rektor of Björkskolan, in `processTeam` of config/directory.sample.yaml. */
const processTeamMemberId = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02';

const child: TestChild = {
  givenName: 'Nils',
  familyName: 'Öberg',
  birthDate: '2017-05-02',
  identityNumber: toPersonnummer('2017-05-02', '457'),
  observation: 'Nils är ofta ensam på rasterna och har slutat komma till fritids.',
  ratings: [{ area: 'Tillhörighet', choice: 'Behöver stärkas', comment: 'Ensam på rasterna.' }],
};

const playground = usePlayground({ actingUsers: [processTeamMemberId] });

/**
 * Presses the card's "Ladda ner som CSV" and returns the file the browser saved. The card's
 * Action.OpenUrl opens a new window whose answer is an attachment: the browser closes that window
 * and keeps the file, and Playwright gives the download to the page that opened the window.
 */
async function downloadCsvFrom(page: Page, card: Locator): Promise<string> {
  const download = page.waitForEvent('download', { timeout: 30_000 });
  // Adaptive Cards give an Action.OpenUrl the role of a link.
  await card.getByRole('link', { name: 'Ladda ner som CSV', exact: true }).first().click();
  const saved = await download;
  expect(saved.suggestedFilename()).toMatch(/^uppfoljning-(vt|ht)-20\d\d\.csv$/);
  const path = join(tmpdir(), `e2e-statistik-${process.pid}.csv`);
  await saved.saveAs(path);
  return path;
}

test('the process team types "statistik" and reads the term’s figures, small numbers hidden', {
  timeout: 120_000,
}, async () => {
  const teacher = await playground.open('e2e-statistik-larare-fel');
  const processTeam = await playground.open('e2e-statistik-fel', processTeamMemberId);
  const reference = await fileUpptackarkort(teacher, child);

  // The teacher is not in the process team: a refusal, no figures.
  await sendText(teacher, 'statistik');
  const refusal = await waitForBotMessage(teacher, 'Statistiken är bara för processteamet');
  expect(await readCardText(refusal)).not.toContain('Antal Upptäckarkort');

  await sendText(processTeam, 'statistik');
  const card = await waitForBotMessage(processTeam, 'Uppföljning av Backa barnet');
  const text = await readCardText(card);
  expect(text).toMatch(/(Vår|Höst)terminen 20\d\d/);
  for (const heading of [
    'Antal Upptäckarkort internt',
    'Antal Barnsamtal Barn',
    'Antal nyupptäckta barn',
    'Antal med aktivt Barnets plan',
    'Inkom från (verksamhet)',
    'Ledtider i arbetsdagar',
  ]) {
    expect(text).toContain(heading);
  }
  // One card this term: its count is below 3 and shown as "<3", with the sentence that says so.
  expect(text).toContain('<3');
  expect(text).toContain('Tal under 3 visas som "<3"');
  expect(text).not.toContain(child.familyName);
  expect(text).toContain('Ladda ner som CSV');
  await saveMessageScreenshot(card, 'e2e-statistik');

  const bytes = await readFile(await downloadCsvFrom(processTeam, card));
  // The byte order mark, so that Excel reads å, ä and ö as UTF-8.
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const csv = bytes.subarray(3).toString('utf8');
  const lines = csv.split('\r\n');
  const season = text.includes('Vårterminen') ? 'vt' : 'ht';
  const year = /(?:Vår|Höst)terminen (20\d\d)/.exec(text)?.[1];
  expect(lines[0]).toBe(`Backa barnet: uppföljning ${season} ${year}`);
  // The term's Upptäckarkort, as on the card: one card, so both counts are "<3".
  const columns = lines.indexOf('År;Antal Upptäckarkort internt;Antal Upptäckarkort externt');
  expect(columns).toBeGreaterThan(0);
  expect(lines[columns + 1]).toBe(`${year} ${season};<3;<3`);
  expect(lines).toContain(
    'År;Antal Barnsamtal Barn;Antal Barnsamtal Vårdnadshavare;Antal Uppföljningssamtal',
  );
  expect(csv).toContain('Tal under 3 visas som ""<3""');
  expect(csv).not.toContain(reference);
  expect(findChildDataIn(csv, child)).toEqual([]);
});
