import { describe, expect, it } from 'vitest';
import { routeToBarnkontakt } from '../../flows/routing.js';
import { DirectoryFileError, loadDirectoryFile, parseDirectoryText } from '../../infra/directory-file.js';

const SAMPLE = 'config/directory.sample.yaml';
const FIXTURES = 'tests/fixtures/directory';
const id = (last: string) => `0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e${last}`;

function problemsOf(load: () => unknown): readonly string[] {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(DirectoryFileError);
    const { problems, message } = error as DirectoryFileError;
    // The message is what start-up prints: every problem must be in it.
    for (const problem of problems) {
      expect(message).toContain(problem);
    }
    return problems;
  }
  throw new Error('expected the directory file to be refused');
}

describe('the sample directory (Exempelby kommun)', () => {
  const directory = loadDirectoryFile(SAMPLE);

  it('parses, with the fixed tenant and identities', () => {
    expect(directory.municipality).toEqual({
      name: 'Exempelby kommun',
      tenantId: '5e0b1d3a-7c2f-4b8e-9a61-3f4d2c1b0a99',
    });
    const contactOf = (unitId: string) => {
      const unit = directory.units.find((entry) => entry.id === unitId);
      return directory.contacts.find((entry) => entry.id === unit?.barnkontakt)?.aadObjectId;
    };
    expect(contactOf('bjorkskolan')).toBe(id('02'));
    expect(contactOf('larkans-forskola')).toBe(id('04'));
    expect(contactOf('exempelby-bvc')).toBe(id('05'));
    expect(contactOf('exempelby-bmm')).toBe(id('06'));
    expect(directory.contacts.find((entry) => entry.id === directory.fallback.contact)?.aadObjectId).toBe(
      id('07'),
    );
    expect(directory.termDates.map((term) => term.schoolYear)).toEqual([
      '2024/25',
      '2025/26',
      '2026/27',
      '2027/28',
      '2028/29',
    ]);
  });

  it('routes an 8-year-old at Björkskolan to its rektor, and to the bitr. rektor during her absence', () => {
    const input = { child: { birthDate: '2017-04-04' }, unitId: 'bjorkskolan', directory };
    expect(routeToBarnkontakt({ ...input, decisionDate: '2025-09-01' }).contactUserId).toBe(id('02'));
    expect(routeToBarnkontakt({ ...input, decisionDate: '2025-07-10' }).contactUserId).toBe(id('03'));
  });

  it('routes a school without a Barnkontakt (Ekens skola) to the fallback', () => {
    const decision = routeToBarnkontakt({
      child: { birthDate: '2017-04-04' },
      unitId: 'ekens-skola',
      decisionDate: '2025-09-01',
      directory,
    });
    expect(decision).toMatchObject({ contactUserId: id('07'), viaFallback: true });
  });
});

describe('a broken directory file', () => {
  it('names the line and field of every structural problem at once, in Swedish', () => {
    const file = `${FIXTURES}/broken-structure.yaml`;
    expect(problemsOf(() => loadDirectoryFile(file))).toEqual([
      `${file}:4: municipality.tenantId: Ska vara ett objekt-id (GUID), t.ex. 0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02`,
      `${file}:9: contacts[0].email: Ogiltig e-postadress`,
      `${file}:13: contacts[0].absences[0].to: Frånvarons slutdatum ligger före startdatumet`,
      `${file}:22: units[0].type: Ogiltigt värde "gymnasium"; tillåtna värden: bmm, bvc, forskola, grundskola, socialtjanstMottagning`,
      `${file}:29: units[1].telefon: Okänt fält (stavfel, eller fel indrag?)`,
      `${file}:37: termDates[0].schoolYear: Läsåret ska omfatta två år i följd, t.ex. 2025/26`,
      `${file}:39: termDates[0].springTermEnd: Ogiltigt datum`,
      `${file}:41: reminders.chaseUnansweredCardAfterWorkingDays: Ska vara ett tal, inte text`,
    ]);
  });

  it('names every reference between contacts and units that does not hold', () => {
    const file = `${FIXTURES}/broken-references.yaml`;
    expect(problemsOf(() => loadDirectoryFile(file))).toEqual([
      `${file}:22: units[0].deputies[0]: "rektor-a" är redan huvudkontakt och kan inte också vara ersättare`,
      `${file}:22: units[0].deputies[1]: Kontakten "bitr-rektor-saknas" finns inte under contacts`,
      `${file}:23: units[1].id: Enhets-id "skolan" används redan av en annan enhet`,
      `${file}:27: units[1].barnkontakt: Kontakten "rektor-b" finns inte under contacts`,
      `${file}:33: fallback.unit: Enheten "mottagningen" finns inte under units`,
      `${file}:36: socialServicesIntake.unit: Enheten "forskolan" har typen forskola; orosanmälningar ska gå till en enhet av typen socialtjanstMottagning`,
    ]);
  });

  it('reports missing required fields on the line of the section that lacks them', () => {
    const problems = problemsOf(() =>
      parseDirectoryText('municipality:\n  name: Exempelby kommun\ncontacts: []\n', 'kort.yaml'),
    );
    expect(problems).toEqual([
      'kort.yaml:1: municipality.tenantId: Fältet saknas',
      'kort.yaml:1: units: Fältet saknas',
      'kort.yaml:1: fallback: Fältet saknas',
      'kort.yaml:1: socialServicesIntake: Fältet saknas',
      'kort.yaml:3: contacts: Listan får inte vara tom',
    ]);
  });

  it('reports YAML syntax errors with their lines', () => {
    const file = `${FIXTURES}/syntax-error.yaml`;
    const problems = problemsOf(() => loadDirectoryFile(file));
    expect(problems[0]).toBe(`${file}:3: YAML-syntax: samma fält står två gånger`);
    expect(problems.slice(1).every((problem) => problem.startsWith(`${file}:6: YAML-syntax: `))).toBe(true);
  });

  it('an empty file is one problem about the whole file', () => {
    expect(problemsOf(() => parseDirectoryText('', 'tom.yaml'))).toEqual([
      'tom.yaml:1: (hela filen): Ska vara ett avsnitt med fält, inte tomt',
    ]);
  });
});

describe('a missing directory file', () => {
  it('says so, with the path and where the path comes from', () => {
    expect(problemsOf(() => loadDirectoryFile('config/finns-inte.yaml'))).toEqual([
      'config/finns-inte.yaml: Katalogfilen finns inte. Kontrollera sökvägen (miljövariabeln DIRECTORY_FILE).',
    ]);
  });
});
