import { describe, expect, it } from 'vitest';
import { defaultBarnteamAgenda, findBarnteamForUnit, isInTeams } from '../../../flows/kernel/directory.js';
import { type RoutingInput, routeToBarnkontakt } from '../../../flows/upptackt/routing.js';
import { DirectoryFileError, loadDirectoryFile, parseDirectoryText } from '../../../infra/directory-file.js';

const SAMPLE = 'config/directory.sample.yaml';
const FIXTURES = 'tests/fixtures/directory';
const id = (last: string) => `0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e${last}`;

function routeOf(input: RoutingInput) {
  const answer = routeToBarnkontakt(input);
  if (answer.kind !== 'routed') throw new Error(answer.request.message);
  return answer.decision;
}

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
    expect(routeOf({ ...input, decisionDate: '2025-09-01' }).contactUserId).toBe(id('02'));
    expect(routeOf({ ...input, decisionDate: '2025-07-10' }).contactUserId).toBe(id('03'));
  });

  it('routes a school without a Barnkontakt (Ekens skola) to the fallback', () => {
    const decision = routeOf({
      child: { birthDate: '2017-04-04' },
      unitId: 'ekens-skola',
      decisionDate: '2025-09-01',
      directory,
    });
    expect(decision).toMatchObject({ contactUserId: id('07'), viaFallback: true });
  });

  it('says who takes over the children: the barnmorskemottagning hands over to the BVC, the förskola to Björkskolan', () => {
    const handsOverTo = (unitId: string) => directory.units.find((unit) => unit.id === unitId)?.handsOverTo;
    expect(handsOverTo('exempelby-bmm')).toEqual(['exempelby-bvc']);
    expect(handsOverTo('larkans-forskola')).toEqual(['bjorkskolan']);
    expect(handsOverTo('bjorkskolan')).toEqual([]);

    const sixYearOld = routeOf({
      child: { birthDate: '2020-05-05' },
      unitId: 'larkans-forskola',
      decisionDate: '2026-08-19',
      directory,
    });
    expect(sixYearOld).toMatchObject({ unitId: 'bjorkskolan', contactUserId: id('02'), viaFallback: false });
    const fourDaysOld = routeOf({
      child: { birthDate: '2025-01-10' },
      unitId: 'exempelby-bvc',
      enrolment: { firstBvcVisit: false },
      decisionDate: '2025-01-14',
      directory,
    });
    expect(fourDaysOld).toMatchObject({
      unitId: 'exempelby-bmm',
      contactUserId: id('06'),
      viaFallback: false,
    });
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

describe('hand-overs between units in the directory file', () => {
  const text = (handsOver: string) => `municipality:
  name: Exempelby kommun
  tenantId: 5e0b1d3a-7c2f-4b8e-9a61-3f4d2c1b0a99
contacts:
  - id: samordnare
    aadObjectId: ${id('07')}
    displayName: Omar Haddad
    email: omar.haddad@exempelby.se
    title: Samordnare
units:
  - id: skolan
    name: Skolan
    type: grundskola
    organisation: kommun
  - id: forskolan
    name: Förskolan
    type: forskola
    organisation: kommun
${handsOver}
  - id: mottagningen
    name: Mottagningen
    type: socialtjanstMottagning
    organisation: kommun
fallback:
  unit: mottagningen
  contact: samordnare
socialServicesIntake:
  unit: mottagningen
  contacts: [samordnare]
`;

  it('reads the units a unit hands its children over to', () => {
    const directory = parseDirectoryText(text('    handsOverTo: [skolan]'), 'katalog.yaml');
    expect(directory.units.find((unit) => unit.id === 'forskolan')?.handsOverTo).toEqual(['skolan']);
  });

  it('names the line of every hand-over that does not hold: unknown unit, listed twice, not an older age band, not a list', () => {
    const broken = text(`    handsOverTo:
      - skolan
      - saknas
      - skolan
      - mottagningen
      - forskolan`);
    expect(problemsOf(() => parseDirectoryText(broken, 'katalog.yaml'))).toEqual([
      'katalog.yaml:21: units[1].handsOverTo[1]: Enheten "saknas" finns inte under units',
      'katalog.yaml:22: units[1].handsOverTo[2]: Enheten "skolan" står två gånger',
      'katalog.yaml:23: units[1].handsOverTo[3]: En enhet av typen forskola kan inte lämna över barn till "mottagningen" (typen socialtjanstMottagning): barnen lämnas över i ordningen bmm, bvc, forskola, grundskola',
      'katalog.yaml:24: units[1].handsOverTo[4]: En enhet av typen forskola kan inte lämna över barn till "forskolan" (typen forskola): barnen lämnas över i ordningen bmm, bvc, forskola, grundskola',
    ]);
    expect(problemsOf(() => parseDirectoryText(text('    handsOverTo: skolan'), 'katalog.yaml'))).toEqual([
      'katalog.yaml:19: units[1].handsOverTo: Ska vara en lista, inte text',
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

describe('the Barnteams of the sample directory', () => {
  const directory = loadDirectoryFile(SAMPLE);
  const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

  it("has Björkskolan's team convened by its rektor, with elevhälsa, socialtjänst, hälso- och sjukvård and polis", () => {
    const team = findBarnteamForUnit(directory, 'bjorkskolan');

    expect(team?.convener.aadObjectId).toBe(id('02'));
    expect(team?.convenerDeputies.map((contact) => contact.aadObjectId)).toEqual([id('03')]);
    expect(team?.members.map((member) => [member.role, member.roleLabel, member.required])).toEqual([
      ['elevhalsa', 'Barn- och elevhälsan', true],
      ['elevhalsa', 'Barn- och elevhälsan', false],
      ['socialtjanst', 'Socialtjänsten', true],
      ['halsoOchSjukvard', 'Hälso- och sjukvård', true],
      ['barnOchUngdomspsykiatri', 'Barn- och ungdomspsykiatrin (BUP)', true],
      ['polis', 'Polisen', true],
    ]);
    for (const member of team?.members ?? []) {
      expect(member.contact.email).toContain('@');
    }
    // A guest from the region (Teams identity, mailbox at home) and the police outside Teams.
    expect(team?.members.map((member) => [member.contact.id, member.contact.kind])).toEqual([
      ['skolskoterska-bjorkskolan', 'medarbetare'],
      ['skolkurator-bjorkskolan', 'medarbetare'],
      ['socialsekreterare-exempelby', 'medarbetare'],
      ['sjukskoterska-vardcentral-exempelby', 'medarbetare'],
      ['kurator-bup-region', 'gast'],
      ['polis-lokalpolisomradet', 'utanforTeams'],
    ]);
    const guest = team?.members.find((member) => member.contact.kind === 'gast')?.contact;
    expect(guest !== undefined && isInTeams(guest) ? guest.aadObjectId : undefined).toMatch(guid);
    expect(team).toMatchObject({ meetingMinutes: 90, bookingHorizonDays: 28, unitName: 'Björkskolan' });
    expect(team?.agenda).toEqual(defaultBarnteamAgenda);
    expect(team?.reminderOffsets).toEqual([
      { days: 1, minutes: 0 },
      { days: 0, minutes: 60 },
    ]);
  });

  it("has Lärkans förskola's team with BVC, and the defaults where the file says nothing", () => {
    const team = findBarnteamForUnit(directory, 'larkans-forskola');

    expect(team?.convener.aadObjectId).toBe(id('04'));
    expect(team?.members.map((member) => member.role)).toEqual([
      'elevhalsa',
      'barnhalsovard',
      'socialtjanst',
      'polis',
    ]);
    expect(team?.members.find((member) => member.role === 'barnhalsovard')?.contact).toMatchObject({
      aadObjectId: id('05'),
    });
    expect(team?.meetingMinutes).toBe(60);
    expect(team?.agenda).toEqual(defaultBarnteamAgenda);
    expect(team?.reminderOffsets).toEqual([
      { days: 1, minutes: 0 },
      { days: 0, minutes: 60 },
    ]);
  });

  it('has no Barnteam for a unit without one', () => {
    expect(findBarnteamForUnit(directory, 'exempelby-bvc')).toBeUndefined();
    expect(findBarnteamForUnit(directory, 'finns-inte')).toBeUndefined();
  });
});

/** A small directory with the given `barnteams:` section (indented YAML list). */
function withBarnteams(barnteams: string): string {
  return `municipality:
  name: Exempelby kommun
  tenantId: 5e0b1d3a-7c2f-4b8e-9a61-3f4d2c1b0a99
contacts:
  - id: rektor
    aadObjectId: ${id('02')}
    displayName: Maria Lind
    email: maria.lind@exempelby.se
    title: Rektor
  - id: kurator
    aadObjectId: ${id('21')}
    displayName: Ali Karimi
    email: ali.karimi@exempelby.se
    title: Skolkurator
  - id: samordnare
    aadObjectId: ${id('07')}
    displayName: Omar Haddad
    email: omar.haddad@exempelby.se
    title: Samordnare
units:
  - id: skolan
    name: Skolan
    type: grundskola
    organisation: kommun
    barnkontakt: rektor
  - id: friskolan
    name: Friskolan
    type: grundskola
    organisation: privat
  - id: mottagningen
    name: Mottagningen
    type: socialtjanstMottagning
    organisation: kommun
fallback:
  unit: mottagningen
  contact: samordnare
socialServicesIntake:
  unit: mottagningen
  contacts: [samordnare]
barnteams:
${barnteams}`;
}

describe('a Barnteam in the directory file', () => {
  it('names every reference that does not hold, in Swedish', () => {
    const text = withBarnteams(`  - id: team-a
    name: Barnteam A
    units: [skolan, friskolan, saknas]
    members:
      - role: elevhalsa
        contact: rektor
      - role: socialtjanst
        contact: socialsekreterare
      - role: brandkar
        contact: kurator
    bookingHorizonDays: 90
  - id: team-b
    name: Barnteam B
    units: [skolan]
    ages: { from: 13, to: 16 }
    members:
      - role: polis
        contact: kurator
      - role: polis
        contact: kurator
`);
    expect(problemsOf(() => parseDirectoryText(text, 'katalog.yaml'))).toEqual([
      'katalog.yaml:49: barnteams[0].members[2].role: Ogiltigt värde "brandkar"; tillåtna värden: elevhalsa, socialtjanst, halsoOchSjukvard, polis, barnOchUngdomspsykiatri, barnhalsovard, psykolog, ovrig',
      'katalog.yaml:51: barnteams[0].bookingHorizonDays: Får vara högst 61',
    ]);
    const references = text
      .replace('      - role: brandkar\n', '      - role: ovrig\n')
      .replace('    bookingHorizonDays: 90\n', '');
    expect(problemsOf(() => parseDirectoryText(references, 'katalog.yaml'))).toEqual([
      'katalog.yaml:43: barnteams[0].units[1]: Enheten "friskolan" har ingen barnkontakt, och Barnteamet leds av Barnkontakten: ange barnkontakt för enheten först',
      'katalog.yaml:43: barnteams[0].units[2]: Enheten "saknas" finns inte under units',
      'katalog.yaml:46: barnteams[0].members[0].contact: "rektor" är Barnkontakt och sammankallande för Barnteamet och ska inte också stå som medlem',
      'katalog.yaml:48: barnteams[0].members[1].contact: Kontakten "socialsekreterare" finns inte under contacts',
      'katalog.yaml:53: barnteams[1].units[0]: Enheten "skolan" har redan Barnteamet "team-a" för samma åldrar',
      'katalog.yaml:59: barnteams[1].members[1].contact: Medlemmen "kurator" står två gånger',
    ]);
  });

  it('picks the team for the age band of the child, and the every-age team otherwise', () => {
    const directory = parseDirectoryText(
      withBarnteams(`  - id: team-f-6
    name: Barnteam F-6
    units: [skolan]
    ages: { from: 0, to: 12 }
    members:
      - role: elevhalsa
        contact: kurator
  - id: team-13-16
    name: Barnteam 13-16 år
    units: [skolan]
    ages: { from: 13, to: 16 }
    members:
      - role: polis
        contact: samordnare
`),
      'katalog.yaml',
    );

    expect(findBarnteamForUnit(directory, 'skolan', 14)?.id).toBe('team-13-16');
    expect(findBarnteamForUnit(directory, 'skolan', 8)?.id).toBe('team-f-6');
    expect(findBarnteamForUnit(directory, 'skolan')).toBeUndefined();
  });
});

describe('the kinds of contact in the directory file', () => {
  const members = `  - id: team-a
    name: Barnteam A
    units: [skolan]
    members:
      - role: elevhalsa
        contact: kurator
`;

  it('reads a contact without a kind as an employee in Teams, as files written before the kinds mean', () => {
    const directory = parseDirectoryText(withBarnteams(members), 'katalog.yaml');

    expect(directory.contacts.map((contact) => [contact.id, contact.kind])).toEqual([
      ['rektor', 'medarbetare'],
      ['kurator', 'medarbetare'],
      ['samordnare', 'medarbetare'],
    ]);
    expect(directory.contactsOutsideTeams).toEqual([]);
  });

  it('keeps a guest in Teams and a member outside Teams apart, both usable in a Barnteam', () => {
    const text = withBarnteams(`${members}      - role: halsoOchSjukvard
        contact: region-gast
      - role: polis
        contact: polisen
`).replace(
      'units:\n',
      `  - id: region-gast
    kind: gast
    aadObjectId: ${id('30')}
    displayName: Sofia Wikström
    email: sofia.wikstrom@regionexempel.se
    title: Kurator, BUP
  - id: polisen
    kind: utanforTeams
    displayName: Erik Falk
    email: erik.falk@polisen-exempel.se
    title: Polisinspektör
units:
`,
    );
    const directory = parseDirectoryText(text, 'katalog.yaml');

    expect(directory.contacts.find((contact) => contact.id === 'region-gast')).toMatchObject({
      kind: 'gast',
      aadObjectId: id('30'),
    });
    expect(directory.contactsOutsideTeams).toEqual([
      {
        id: 'polisen',
        kind: 'utanforTeams',
        displayName: 'Erik Falk',
        email: 'erik.falk@polisen-exempel.se',
        title: 'Polisinspektör',
        absences: [],
      },
    ]);
    const team = findBarnteamForUnit(directory, 'skolan');
    expect(team?.members.map((member) => [member.contact.id, isInTeams(member.contact)])).toEqual([
      ['kurator', true],
      ['region-gast', true],
      ['polisen', false],
    ]);
  });

  it('refuses an identity outside Teams, a person in Teams without one, a bad address and a Barnkontakt outside Teams', () => {
    const text = withBarnteams(members)
      .replace(
        'units:\n',
        `  - id: polisen
    kind: utanforTeams
    aadObjectId: ${id('31')}
    displayName: Erik Falk
    email: erik.falk(at)polisen-exempel.se
    title: Polisinspektör
  - id: gasten
    kind: gast
    displayName: Sofia Wikström
    email: sofia.wikstrom@regionexempel.se
    title: Kurator
  - id: okand
    kind: extern
    displayName: Någon
    email: nagon@exempel.se
    title: Okänd
units:
`,
      )
      .replace('    barnkontakt: rektor\n', '    barnkontakt: polisen\n');

    expect(problemsOf(() => parseDirectoryText(text, 'katalog.yaml'))).toEqual([
      'katalog.yaml:22: contacts[3].aadObjectId: En kontakt utanför Teams har ingen Teams-identitet: ta bort aadObjectId eller ändra kind',
      'katalog.yaml:24: contacts[3].email: Ogiltig e-postadress',
      'katalog.yaml:26: contacts[4].aadObjectId: aadObjectId krävs för en kontakt i Teams (kind gast); ange kind: utanforTeams för någon som bara nås via e-post',
      'katalog.yaml:32: contacts[5].kind: Ogiltigt värde "extern"; tillåtna värden: medarbetare, gast, utanforTeams',
    ]);
    const referencesOnly = text
      .replace(`    aadObjectId: ${id('31')}\n`, '')
      .replace('erik.falk(at)polisen-exempel.se', 'erik.falk@polisen-exempel.se')
      .replace(
        `  - id: gasten\n    kind: gast\n`,
        `  - id: gasten\n    kind: gast\n    aadObjectId: ${id('32')}\n`,
      )
      .replace('    kind: extern\n', '    kind: utanforTeams\n');
    expect(problemsOf(() => parseDirectoryText(referencesOnly, 'katalog.yaml'))).toEqual([
      'katalog.yaml:41: units[0].barnkontakt: Kontakten "polisen" är utanför Teams (kind utanforTeams) och kan inte ta emot kort: ange någon i Teams',
    ]);
  });
});
