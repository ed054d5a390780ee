// The family copy's language files: the shipped Swedish and English are complete, a file with a
// missing text is refused naming the file, the line and the key, and a municipality's extra
// language is picked up by adding a file.

import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultFamilyCopyDir } from '../../../infra/config.js';
import { fillTemplate } from '../../../web/family-copy/catalogue.js';
import { createFamilyCopyRenderer } from '../../../web/family-copy/create-renderer.js';
import {
  FamilyCopyCatalogueError,
  loadFamilyCopyCatalogues,
  parseFamilyCopyCatalogueText,
} from '../../../web/family-copy/load-catalogues.js';

const shipped = (code: string) => readFileSync(join(defaultFamilyCopyDir, `${code}.yaml`), 'utf8');

/** A catalogue directory in the temp folder holding the given files. */
function directoryWith(files: Readonly<Record<string, string>>): string {
  const directory = mkdtempSync(join(tmpdir(), 'familjens-plan-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(directory, name), text);
  return directory;
}

function refusalOf(run: () => unknown): FamilyCopyCatalogueError {
  try {
    run();
  } catch (error) {
    if (error instanceof FamilyCopyCatalogueError) return error;
    throw error;
  }
  throw new Error('Katalogen godtogs');
}

const problemsOf = (run: () => unknown) => refusalOf(run).problems;

describe('the family copy’s catalogue', () => {
  it('reads the shipped Swedish and English, Swedish first, with their names', () => {
    const catalogues = loadFamilyCopyCatalogues(defaultFamilyCopyDir);
    expect(catalogues.map((catalogue) => [catalogue.code, catalogue.name])).toEqual([
      ['sv', 'Svenska'],
      ['en', 'Engelska'],
    ]);
    expect(catalogues[1]?.texts.closeToMeHeading).toBe('Who is there for me');
  });

  it('refuses a file with a missing key, naming the file, its line and the key in Swedish', () => {
    const withoutHeading = shipped('en').replace(/^ {2}goalsHeading: .*\n/m, '');
    const directory = directoryWith({ 'sv.yaml': shipped('sv'), 'en.yaml': withoutHeading });
    const { message } = refusalOf(() => loadFamilyCopyCatalogues(directory));
    expect(message).toContain(join(directory, 'en.yaml'));
    expect(message).toMatch(/en\.yaml:\d+: texts\.goalsHeading: Fältet saknas/);
    expect(message).toContain('kan inte användas');
  });

  it('refuses a missing area, a misspelt key and a text without its slot, all at once', () => {
    const broken = shipped('sv')
      .replace(/^ {4}fritid: .*\n/m, '')
      .replace('  noGoals:', '  noGoal:')
      .replace('"Sida {page} av {pages}"', '"Sida {page}"');
    const problems = problemsOf(() => parseFamilyCopyCatalogueText(broken, 'sv.yaml'));
    expect(problems.some((line) => /texts\.areas\.fritid: Fältet saknas/.test(line))).toBe(true);
    expect(problems.some((line) => /texts: Okänd nyckel noGoal/.test(line))).toBe(true);
    expect(problems.some((line) => /texts\.footer: Ska innehålla \{pages\}/.test(line))).toBe(true);
  });

  it('accepts a municipality’s extra language file and offers it', () => {
    const german = shipped('en')
      .replace('code: en', 'code: de')
      .replace('name: Engelska', 'name: Tyska')
      .replace('locale: en-GB', 'locale: de-DE')
      .replace('heading: My plan', 'heading: Mein Plan');
    const directory = directoryWith({ 'sv.yaml': shipped('sv'), 'de.yaml': german });
    copyFileSync(join(defaultFamilyCopyDir, 'en.yaml'), join(directory, 'en.yaml'));
    const renderer = createFamilyCopyRenderer(loadFamilyCopyCatalogues(directory));
    expect(renderer.languages).toEqual([
      { code: 'sv', name: 'Svenska' },
      { code: 'de', name: 'Tyska' },
      { code: 'en', name: 'Engelska' },
    ]);
  });

  it('refuses a file whose name is not its language code, and an empty or missing directory', () => {
    const directory = directoryWith({ 'engelska.yaml': shipped('en') });
    expect(problemsOf(() => loadFamilyCopyCatalogues(directory))[0]).toContain('ska heta en.yaml');
    expect(problemsOf(() => loadFamilyCopyCatalogues(directoryWith({})))[0]).toContain('inga språkfiler');
    expect(problemsOf(() => loadFamilyCopyCatalogues(join(directory, 'finns-inte')))[0]).toContain(
      'FAMILY_COPY_DIR',
    );
  });

  it('fills slots with what people wrote, without reading slots inside it', () => {
    expect(fillTemplate('”{text}”', { text: 'Jag vill {text} själv' })).toBe('”Jag vill {text} själv”');
  });
});
