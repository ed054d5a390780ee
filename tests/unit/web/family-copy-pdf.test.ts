// The family's copy of Barnets plan as a PDF, read back with pdftotext (poppler-utils): in each
// language the fixed headings are the catalogue's, the goals stay in the child's own words, an
// action carries its date, nothing internal (a follow-up's note) is in it, and the document's
// title names neither the child nor the case.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderCompassOverTimeSvg } from '../../../cards/charts/index.js';
import { defaultFamilyCopyDir } from '../../../infra/config.js';
import type { FamilyCopyCatalogue } from '../../../web/family-copy/catalogue.js';
import { toChartTexts, toCompassOverTimeData } from '../../../web/family-copy/compass-image.js';
import { createFamilyCopyRenderer } from '../../../web/family-copy/create-renderer.js';
import { loadFamilyCopyCatalogues } from '../../../web/family-copy/load-catalogues.js';
import { buildPlanViewFixture, fixtureReference } from '../../fixtures/plan-view-fixture.js';

const pdftotext = '/usr/bin/pdftotext';
const pdfinfo = '/usr/bin/pdfinfo';
const outputDirectory = mkdtempSync(join(tmpdir(), 'familjens-version-'));
const catalogues = loadFamilyCopyCatalogues(defaultFamilyCopyDir);
const renderer = createFamilyCopyRenderer(catalogues);
const plan = buildPlanViewFixture();

function catalogue(code: string): FamilyCopyCatalogue {
  const found = catalogues.find((item) => item.code === code);
  if (found === undefined) throw new Error(`Språket ${code} saknas`);
  return found;
}

// Said plainly rather than as a spawn error: .ci/run installs it, a laptop may not have it.
if (!existsSync(pdftotext) || !existsSync(pdfinfo)) {
  throw new Error(`${pdftotext} saknas: installera poppler-utils (sudo apt-get install -y poppler-utils)`);
}

/** The PDF's text as pdftotext reads it, with its lines joined so that wrapping does not matter. */
async function renderAndRead(language: string): Promise<{ text: string; info: string }> {
  const path = join(outputDirectory, `barnets-plan-${language}.pdf`);
  writeFileSync(path, await renderer.render(plan, language));
  const text = execFileSync(pdftotext, ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
  const info = execFileSync(pdfinfo, ['-enc', 'UTF-8', path], { encoding: 'utf8' });
  return { text: text.replace(/\s+/g, ' '), info };
}

const followUpNotes = plan.compassOverTime.flatMap((followUp) => followUp.notes.map((note) => note.text));

describe.each(['sv', 'en'])('the family’s copy in %s', (language) => {
  let text = '';
  let info = '';
  const texts = catalogue(language).texts;
  beforeAll(async () => {
    ({ text, info } = await renderAndRead(language));
  }, 30_000);

  it('has the catalogue’s headings', () => {
    for (const heading of [
      texts.heading,
      texts.goalsHeading,
      texts.actionsHeading,
      texts.closeToMeHeading,
      texts.meetingHeading,
      texts.compassHeading,
    ]) {
      expect(text).toContain(heading);
    }
  });

  it('keeps every goal in the child’s own words, untranslated, under its area', () => {
    for (const goal of plan.goals) {
      expect(text).toContain(goal.minMal);
      expect(text).toContain(texts.areas[goal.area]);
    }
    expect(text).toContain('Jag har någon som bryr sig om mig – mål 1');
  });

  it('says who does an action and when, with its status in the catalogue’s words', () => {
    const action = plan.actions.find((item) => item.id === 'insats-2');
    if (action === undefined) throw new Error('Insatsen saknas');
    const date = new Intl.DateTimeFormat(catalogue(language).locale, {
      dateStyle: 'long',
      timeZone: 'Europe/Stockholm',
    }).format(new Date(`${action.dueDate}T12:00:00Z`));
    const block = `${action.what} ${texts.actionWho}: ${action.performer.name} (${action.performer.role}, ${action.performer.organisation}) ${texts.actionWhen}: ${date} ${texts.actionStatus}: ${texts.statuses[action.status]}`;
    expect(text).toContain(block);
  });

  it('names who is there for the child and the next meeting', () => {
    expect(text).toContain(`${texts.closeness[1]}: Mamma (Vårdnadshavare), Mormor (Släkt)`);
    expect(text).toContain(texts.meetingLink);
    expect(text).toMatch(/14:00–15:00/);
  });

  it('leaves out the team’s follow-up notes', () => {
    expect(followUpNotes.length).toBeGreaterThan(0);
    for (const note of followUpNotes) expect(text).not.toContain(note);
  });

  it('has a neutral document title, without the child or the case', () => {
    expect(info.match(/^Title: +(.*)$/m)?.[1]).toBe(texts.documentTitle);
    for (const identifying of [plan.childInitials, fixtureReference, plan.caseId]) {
      expect(info).not.toContain(identifying);
    }
  });
});

describe('the family’s copy of a plan just begun', () => {
  it('says in words what is not there yet instead of leaving a heading empty', async () => {
    const empty = { ...plan, goals: [], actions: [], closeToMe: [], compassOverTime: [] };
    const { nextMeeting: _none, ...withoutMeeting } = empty;
    const path = join(outputDirectory, 'barnets-plan-tom.pdf');
    writeFileSync(path, await renderer.render(withoutMeeting, 'sv'));
    const text = execFileSync(pdftotext, ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }).replace(
      /\s+/g,
      ' ',
    );
    const texts = catalogue('sv').texts;
    for (const none of [
      texts.noGoals,
      texts.noActions,
      texts.noCloseToMe,
      texts.noMeeting,
      texts.noCompass,
    ]) {
      expect(text).toContain(none);
    }
  });
});

describe('the family copy’s compass chart', () => {
  it('names the areas and raters in English for the English copy, in Swedish by default', () => {
    const english = catalogue('en').texts;
    const data = toCompassOverTimeData(plan.compassOverTime, english);
    const svg = renderCompassOverTimeSvg(data, toChartTexts(english));
    expect(svg).toContain('>Care</text>');
    expect(svg).toContain('>Guardian (G)</text>');
    expect(svg).toContain('Since start: Child +');
    expect(svg).toContain('>F-up 1</text>');
    expect(svg).not.toContain('Omsorg');
    expect(svg).not.toContain('Vårdnadshavare');
    const swedish = renderCompassOverTimeSvg(data);
    expect(swedish).toContain('>Omsorg</text>');
    expect(swedish).toContain('>Vårdnadshavare (VH)</text>');
  });
});
