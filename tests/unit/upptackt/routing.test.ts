import { describe, expect, it } from 'vitest';
import { ZRoutingOutcome } from '../../../flows/kernel/case.js';
import { type Directory, ZDirectory } from '../../../flows/kernel/directory.js';
import { toStockholmDate } from '../../../flows/kernel/stockholm-date.js';
import {
  type EnrolmentFacts,
  type RoutingAnswer,
  type RoutingDecision,
  routeToBarnkontakt,
  type UnitChoiceRequest,
} from '../../../flows/upptackt/routing.js';

const id = (last: string) => `0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e${last}`;
const REKTOR_BJORKSKOLAN = id('02');
const BITR_REKTOR_BJORKSKOLAN = id('03');
const REKTOR_LARKAN = id('04');
const BVC_SKOTERSKA = id('05');
const BARNMORSKA = id('06');
const SAMORDNARE = id('07');
const EXTRA_DEPUTY = id('08');
const FALLBACK_DEPUTY = id('09');

function contact(key: string, last: string, displayName: string, title: string) {
  return {
    id: key,
    aadObjectId: id(last),
    displayName,
    email: `${key}@exempelby.se`,
    title,
    absences: [] as { from: string; to: string }[],
  };
}

/** Exempelby kommun as in config/directory.sample.yaml, built here so each test can vary it. */
function buildDirectoryInput() {
  return {
    municipality: { name: 'Exempelby kommun', tenantId: '5e0b1d3a-7c2f-4b8e-9a61-3f4d2c1b0a99' },
    contacts: [
      {
        ...contact('rektor-bjorkskolan', '02', 'Maria Lind', 'Rektor'),
        absences: [{ from: '2025-07-07', to: '2025-08-01' }],
      },
      contact('bitr-rektor-bjorkskolan', '03', 'Johan Ek', 'Bitr. rektor'),
      contact('rektor-larkans-forskola', '04', 'Sara Holm', 'Rektor'),
      contact('bvc-skoterska', '05', 'Eva Nilsson', 'BVC-sköterska'),
      contact('barnmorska', '06', 'Lena Björk', 'Barnmorska'),
      contact('samordnare', '07', 'Omar Haddad', 'Samordnare'),
      contact('extra-ersattare', '08', 'Nora Falk', 'Biträdande rektor'),
      contact('reserv-ersattare', '09', 'Per Sund', 'Socialsekreterare'),
    ],
    units: [
      {
        id: 'bjorkskolan',
        name: 'Björkskolan',
        type: 'grundskola',
        organisation: 'kommun',
        barnkontakt: 'rektor-bjorkskolan',
        deputies: ['bitr-rektor-bjorkskolan'],
      },
      {
        id: 'larkans-forskola',
        name: 'Lärkans förskola',
        type: 'forskola',
        organisation: 'kommun',
        barnkontakt: 'rektor-larkans-forskola',
      },
      {
        id: 'exempelby-bvc',
        name: 'Exempelby BVC',
        type: 'bvc',
        organisation: 'region',
        barnkontakt: 'bvc-skoterska',
      },
      {
        id: 'exempelby-bmm',
        name: 'Exempelby barnmorskemottagning',
        type: 'bmm',
        organisation: 'region',
        barnkontakt: 'barnmorska',
      },
      {
        id: 'socialtjanstens-mottagning',
        name: 'Socialtjänstens mottagning',
        type: 'socialtjanstMottagning',
        organisation: 'kommun',
      },
      { id: 'ekens-skola', name: 'Ekens skola', type: 'grundskola', organisation: 'privat' },
    ],
    fallback: { unit: 'socialtjanstens-mottagning', contact: 'samordnare', deputies: [] as string[] },
    socialServicesIntake: { unit: 'socialtjanstens-mottagning', contacts: ['samordnare'] },
    termDates: [
      { schoolYear: '2024/25', autumnTermStart: '2024-08-19', springTermEnd: '2025-06-13' },
      { schoolYear: '2025/26', autumnTermStart: '2025-08-18', springTermEnd: '2026-06-12' },
      { schoolYear: '2026/27', autumnTermStart: '2026-08-19', springTermEnd: '2027-06-11' },
      { schoolYear: '2027/28', autumnTermStart: '2027-08-18', springTermEnd: '2028-06-09' },
      { schoolYear: '2028/29', autumnTermStart: '2028-08-16', springTermEnd: '2029-06-13' },
    ],
    routingDefaults: { firstBvcVisitAtAgeDays: 14, forskolaStartAtAgeMonths: 18 },
  };
}

type DirectoryInput = ReturnType<typeof buildDirectoryInput>;

function buildDirectory(change: (input: DirectoryInput) => void = () => {}): Directory {
  const input = buildDirectoryInput();
  change(input);
  return ZDirectory.parse(input);
}

const exempelby = buildDirectory();

type Child = { birthDate?: string; dueDate?: string };

function answer(
  child: Child,
  unitId: string,
  decisionDate: string,
  enrolment?: EnrolmentFacts,
  directory: Directory = exempelby,
): RoutingAnswer {
  return routeToBarnkontakt({ child, unitId, decisionDate, enrolment, directory });
}

function route(...args: Parameters<typeof answer>): RoutingDecision {
  const result = answer(...args);
  if (result.kind !== 'routed') throw new Error(`asked for a unit: ${result.request.message}`);
  return result.decision;
}

function ask(...args: Parameters<typeof answer>): UnitChoiceRequest {
  const result = answer(...args);
  if (result.kind !== 'chooseUnit') throw new Error(`routed: ${result.decision.reason}`);
  return result.request;
}

function absentFrom(input: DirectoryInput, contactId: string, from: string, to: string): void {
  const person = input.contacts.find((entry) => entry.id === contactId);
  person?.absences.push({ from, to });
}

describe('band graviditet och nyfödd → smabarn: the first BVC visit', () => {
  const birthDate = '2025-01-10';

  it('a known first BVC visit: the barnmorska the day before, the BVC-sköterska from that day', () => {
    const enrolment = { firstBvcVisit: '2025-01-20' };
    const before = route({ birthDate }, 'exempelby-bmm', '2025-01-19', enrolment);
    expect(before).toMatchObject({
      band: 'graviditetOchNyfodd',
      contactUserId: BARNMORSKA,
      viaFallback: false,
    });
    expect(before.reason).toContain('Barnkontakt är barnmorska Lena Björk.');
    expect(before.reason).toContain('har ännu inte varit på sitt första BVC-besök');

    const dayOf = route({ birthDate }, 'exempelby-bvc', '2025-01-20', enrolment);
    expect(dayOf).toMatchObject({ band: 'smabarn', contactUserId: BVC_SKOTERSKA, defaultedFacts: [] });
    expect(dayOf.reason).toBe(
      'Barnet är 10 dagar och har ännu inte börjat förskolan (Exempelby BVC): ' +
        'Barnkontakt är BVC-sköterska Eva Nilsson.',
    );

    expect(route({ birthDate }, 'exempelby-bvc', '2025-01-21', enrolment).band).toBe('smabarn');
  });

  it('an unknown first BVC visit is assumed at 14 days of age, and the reason says so', () => {
    const before = route({ birthDate }, 'exempelby-bmm', '2025-01-23');
    expect(before.band).toBe('graviditetOchNyfodd');
    expect(before.defaultedFacts).toEqual(['firstBvcVisit']);
    expect(before.reason).toContain(
      'Uppgift om första BVC-besöket saknas; det antas ske vid 14 dagars ålder.',
    );

    const dayOf = route({ birthDate }, 'exempelby-bvc', '2025-01-24');
    expect(dayOf.band).toBe('smabarn');
    expect(dayOf.reason).toContain('det antogs ske vid 14 dagars ålder');

    expect(route({ birthDate }, 'exempelby-bvc', '2025-01-25').band).toBe('smabarn');
  });

  it('a first BVC visit known not to have happened keeps the barnmorska past the default age', () => {
    const decision = route({ birthDate }, 'exempelby-bmm', '2025-02-20', { firstBvcVisit: false });
    expect(decision).toMatchObject({
      band: 'graviditetOchNyfodd',
      contactUserId: BARNMORSKA,
      defaultedFacts: [],
    });
  });

  it('an unborn child (due date ahead) belongs to the barnmorska', () => {
    const decision = route({ dueDate: '2025-06-01' }, 'exempelby-bmm', '2025-05-01');
    expect(decision).toMatchObject({
      band: 'graviditetOchNyfodd',
      contactUserId: BARNMORSKA,
      viaFallback: false,
    });
    expect(decision.reason).toBe(
      'Barnet är ännu inte fött (Exempelby barnmorskemottagning): Barnkontakt är barnmorska Lena Björk.',
    );
  });

  it('past the due date with no birth date recorded, the due date stands in and the reason says so', () => {
    const decision = route({ dueDate: '2025-06-01' }, 'exempelby-bvc', '2025-06-20');
    expect(decision.band).toBe('smabarn');
    expect(decision.defaultedFacts).toEqual(['birthDate', 'firstBvcVisit']);
    expect(decision.reason).toContain('Födelsedatum saknas; det beräknade förlossningsdatumet användes.');
  });
});

describe('band smabarn → förskola: förskola start', () => {
  const birthDate = '2025-01-10';

  it('a known förskola start: the BVC-sköterska the day before, the förskola rektor from that day', () => {
    const enrolment = { firstBvcVisit: true, forskolaStart: '2026-03-02' };
    expect(route({ birthDate }, 'exempelby-bvc', '2026-03-01', enrolment)).toMatchObject({
      band: 'smabarn',
      contactUserId: BVC_SKOTERSKA,
    });
    const dayOf = route({ birthDate }, 'larkans-forskola', '2026-03-02', enrolment);
    expect(dayOf).toMatchObject({ band: 'forskola', contactUserId: REKTOR_LARKAN, defaultedFacts: [] });
    expect(dayOf.reason).toBe(
      'Barnet är 1 år och går i förskolan (Lärkans förskola): Barnkontakt är rektor Sara Holm.',
    );
    expect(route({ birthDate }, 'larkans-forskola', '2026-03-03', enrolment).band).toBe('forskola');
  });

  it('a known later förskola start keeps the BVC-sköterska past the default age', () => {
    const enrolment = { firstBvcVisit: true, forskolaStart: '2026-09-01' };
    expect(route({ birthDate }, 'exempelby-bvc', '2026-08-31', enrolment).band).toBe('smabarn');
  });

  it('an unknown förskola start is assumed at 18 months (2026-07-10), and the reason says so', () => {
    const before = route({ birthDate }, 'exempelby-bvc', '2026-07-09', { firstBvcVisit: true });
    expect(before.band).toBe('smabarn');
    expect(before.reason).toContain(
      'Uppgift om förskola saknas; barn antas börja förskolan vid 18 månaders ålder.',
    );

    const dayOf = route({ birthDate }, 'larkans-forskola', '2026-07-10', { firstBvcVisit: true });
    expect(dayOf).toMatchObject({
      band: 'forskola',
      contactUserId: REKTOR_LARKAN,
      defaultedFacts: ['forskolaStart'],
    });
    expect(dayOf.reason).toBe(
      'Barnet är 1 år och antas gå i förskolan (Lärkans förskola): Barnkontakt är rektor Sara Holm. ' +
        'Uppgift om förskola saknas; barn antas börja förskolan vid 18 månaders ålder.',
    );

    expect(route({ birthDate }, 'larkans-forskola', '2026-07-11').band).toBe('forskola');
  });
});

describe('a child who does not go to förskola, and facts the Upptäckare does not know', () => {
  const twoYearOld = { birthDate: '2023-01-10' };

  it('a two-year-old who does not go to förskola stays with the BVC-sköterska, with nothing assumed', () => {
    const decision = route(twoYearOld, 'exempelby-bvc', '2025-03-04', { attendsForskola: false });
    expect(decision).toMatchObject({
      band: 'smabarn',
      unitId: 'exempelby-bvc',
      contactUserId: BVC_SKOTERSKA,
      viaFallback: false,
      defaultedFacts: [],
    });
    expect(decision.reason).toBe(
      'Barnet är 2 år och går inte i förskolan (Exempelby BVC): Barnkontakt är BVC-sköterska Eva Nilsson.',
    );
  });

  it('a child known to go to förskola, start date unknown, belongs to the förskola with nothing assumed', () => {
    const decision = route(twoYearOld, 'larkans-forskola', '2025-03-04', { attendsForskola: true });
    expect(decision).toMatchObject({ band: 'forskola', contactUserId: REKTOR_LARKAN, defaultedFacts: [] });
    expect(decision.reason).toBe(
      'Barnet är 2 år och går i förskolan (Lärkans förskola): Barnkontakt är rektor Sara Holm.',
    );
  });

  it('when nobody knows whether the child goes to förskola, the reason says it is assumed and does not contradict itself', () => {
    const decision = route(twoYearOld, 'larkans-forskola', '2025-03-04');
    expect(decision.defaultedFacts).toEqual(['forskolaStart']);
    expect(decision.reason).toBe(
      'Barnet är 2 år och antas gå i förskolan (Lärkans förskola): Barnkontakt är rektor Sara Holm. ' +
        'Uppgift om förskola saknas; barn antas börja förskolan vid 18 månaders ålder.',
    );
  });

  it('without förskola the BVC-sköterska stays until school starts, and a near default school start is named', () => {
    const fiveYearOld = { birthDate: '2020-05-05' }; // school starts 2026-08-19
    const before = route(fiveYearOld, 'exempelby-bvc', '2026-03-02', { attendsForskola: false });
    expect(before).toMatchObject({
      band: 'smabarn',
      contactUserId: BVC_SKOTERSKA,
      defaultedFacts: ['schoolStart'],
    });
    expect(before.reason).toBe(
      'Barnet är 5 år och går inte i förskolan (Exempelby BVC): Barnkontakt är BVC-sköterska Eva Nilsson. ' +
        'Uppgift om skolstart saknas; den antas vara höstterminens start det år barnet fyller 6 år (2026-08-19).',
    );
    expect(route(fiveYearOld, 'bjorkskolan', '2026-08-19', { attendsForskola: false }).band).toBe(
      'grundskola',
    );
  });

  it('a first BVC visit nobody knows of is assumed for a newborn, and the reason says it is assumed', () => {
    const decision = route({ birthDate: '2025-01-10' }, 'exempelby-bmm', '2025-01-14');
    expect(decision.defaultedFacts).toEqual(['firstBvcVisit']);
    expect(decision.reason).toBe(
      'Barnet är 4 dagar och antas ännu inte ha varit på sitt första BVC-besök (Exempelby barnmorskemottagning): ' +
        'Barnkontakt är barnmorska Lena Björk. ' +
        'Uppgift om första BVC-besöket saknas; det antas ske vid 14 dagars ålder.',
    );
  });
});

describe('a unit of another age band on the card', () => {
  /** Lärkans förskola hands its children over to Björkskolan; a second förskola hands over nowhere. */
  const withHandover = buildDirectory((input) => {
    const larkan = input.units.find((unit) => unit.id === 'larkans-forskola') as { handsOverTo?: string[] };
    larkan.handsOverTo = ['bjorkskolan'];
    input.units.push({
      id: 'solens-forskola',
      name: 'Solens förskola',
      type: 'forskola',
      organisation: 'kommun',
      barnkontakt: 'extra-ersattare',
    });
  });

  it('a four-day-old filed with the BVC reaches the barnmorska of the only barnmorskemottagning', () => {
    const decision = route({ birthDate: '2025-01-10' }, 'exempelby-bvc', '2025-01-14', {
      firstBvcVisit: false,
    });
    expect(decision).toMatchObject({
      band: 'graviditetOchNyfodd',
      unitId: 'exempelby-bmm',
      contactUserId: BARNMORSKA,
      viaFallback: false,
      defaultedFacts: [],
    });
    expect(decision.reason).toBe(
      'Barnet är 4 dagar och har ännu inte varit på sitt första BVC-besök (Exempelby barnmorskemottagning): ' +
        'Barnkontakt är barnmorska Lena Björk. Kortet angav Exempelby BVC; ' +
        'Exempelby barnmorskemottagning är den enda barnmorskemottagningen i katalogen.',
    );
    // Not known either way: the default (14 days) puts the child with the barnmorska all the same.
    expect(route({ birthDate: '2025-01-10' }, 'exempelby-bvc', '2025-01-14')).toMatchObject({
      contactUserId: BARNMORSKA,
      defaultedFacts: ['firstBvcVisit'],
    });
  });

  it('a six-year-old filed with the förskola on the day school starts reaches the school the förskola hands over to', () => {
    const decision = route({ birthDate: '2020-05-05' }, 'larkans-forskola', '2026-08-19', {}, withHandover);
    expect(decision).toMatchObject({
      band: 'grundskola',
      unitId: 'bjorkskolan',
      contactUserId: REKTOR_BJORKSKOLAN,
      viaFallback: false,
    });
    expect(decision.reason).toBe(
      'Barnet är 6 år och går i grundskolan (Björkskolan): Barnkontakt är rektor Maria Lind. ' +
        'Kortet angav Lärkans förskola, som enligt katalogen lämnar över barnen till Björkskolan. ' +
        'Uppgift om skolstart saknas; den antogs vara höstterminens start det år barnet fyller 6 år (2026-08-19).',
    );
  });

  it('the hand-over is followed back: a five-year-old filed with the school reaches the förskola that hands over to it', () => {
    const decision = route({ birthDate: '2020-05-05' }, 'bjorkskolan', '2025-09-01', {}, withHandover);
    expect(decision).toMatchObject({
      band: 'forskola',
      unitId: 'larkans-forskola',
      contactUserId: REKTOR_LARKAN,
    });
    expect(decision.reason).toContain(
      'Kortet angav Björkskolan, som enligt katalogen tar över barnen från Lärkans förskola.',
    );
  });

  it('when the directory cannot tell, the card asks for the unit of the band and names the choices', () => {
    const request = ask({ birthDate: '2020-05-05' }, 'larkans-forskola', '2026-08-19');
    expect(request).toMatchObject({
      band: 'grundskola',
      unitType: 'grundskola',
      choices: [
        { id: 'bjorkskolan', name: 'Björkskolan' },
        { id: 'ekens-skola', name: 'Ekens skola' },
      ],
    });
    expect(request.message).toBe(
      'Barnet är 6 år och går i grundskolan, så Barnkontakten är rektor på barnets skola. ' +
        'Lärkans förskola är en förskola. Välj barnets skola: Björkskolan eller Ekens skola. ' +
        'Har barnet inte börjat förskoleklass än, ange när barnet börjar skolan nedan.',
    );
    // A school start years ago is not in doubt, so nothing is said about answering differently.
    expect(ask({ birthDate: '2017-04-04' }, 'larkans-forskola', '2025-09-01').message).toBe(
      'Barnet är 8 år och går i grundskolan, så Barnkontakten är rektor på barnets skola. ' +
        'Lärkans förskola är en förskola. Välj barnets skola: Björkskolan eller Ekens skola.',
    );
  });

  it('a child assumed to go to förskola, filed with the BVC, is asked about: which förskola, or does the child not go', () => {
    const request = ask({ birthDate: '2023-01-10' }, 'exempelby-bvc', '2025-03-04', {}, withHandover);
    expect(request.choices.map((choice) => choice.name)).toEqual(['Lärkans förskola', 'Solens förskola']);
    expect(request.message).toBe(
      'Barnet är 2 år och antas gå i förskolan, så Barnkontakten är rektor på barnets förskola. ' +
        'Exempelby BVC är en barnavårdscentral (BVC). Välj barnets förskola: Lärkans förskola eller Solens förskola. ' +
        'Går barnet inte i förskola, svara Nej på frågan om förskola nedan.',
    );
  });

  it('names as many choices as a field message holds, and says how many more the list has', () => {
    const many = buildDirectory((input) => {
      for (let index = 1; index <= 40; index += 1) {
        input.units.push({
          id: `grundskola-${index}`,
          name: `Exempelby grundskola nummer ${index}`,
          type: 'grundskola',
          organisation: 'kommun',
        } as (typeof input.units)[number]);
      }
    });
    const request = ask({ birthDate: '2017-04-04' }, 'larkans-forskola', '2025-09-01', {}, many);
    expect(request.choices).toHaveLength(42);
    expect(request.message.length).toBeLessThanOrEqual(500);
    expect(request.message).toMatch(
      /Välj barnets skola: Björkskolan, .+ eller någon av de \d+ andra i listan\.$/,
    );
  });
});

describe('a reason names only what decided the routing', () => {
  it("a 16-year-old's reason says nothing of the term dates of the year school started", () => {
    const decision = route({ birthDate: '2010-03-03' }, 'bjorkskolan', '2026-03-04');
    expect(decision).toMatchObject({ band: 'grundskola', defaultedFacts: [] });
    expect(decision.reason).toBe(
      'Barnet är 16 år och går i grundskolan (Björkskolan): Barnkontakt är rektor Maria Lind.',
    );
  });

  it('a first BVC visit assumed at 14 days is not named for a child more than a year past it', () => {
    const decision = route({ birthDate: '2025-01-10' }, 'exempelby-bvc', '2026-03-01', {
      forskolaStart: '2026-03-02',
    });
    expect(decision).toMatchObject({ band: 'smabarn', defaultedFacts: [] });
    expect(decision.reason).toBe(
      'Barnet är 1 år och har ännu inte börjat förskolan (Exempelby BVC): Barnkontakt är BVC-sköterska Eva Nilsson.',
    );
  });

  it('a child past grundskola by years is not told about term dates of a year missing from the directory', () => {
    const decision = route({ birthDate: '2005-01-01' }, 'bjorkskolan', '2025-09-01');
    expect(decision.defaultedFacts).toEqual([]);
    expect(decision.reason).not.toContain('Terminsdatum');
  });

  it('one word for each thing: skolstart, förskola, första BVC-besöket, beräknat förlossningsdatum', () => {
    const reasons = [
      route({ birthDate: '2020-05-05' }, 'bjorkskolan', '2026-08-19').reason,
      route({ birthDate: '2023-01-10' }, 'larkans-forskola', '2025-03-04').reason,
      route({ birthDate: '2025-01-10' }, 'exempelby-bmm', '2025-01-14').reason,
      route({ dueDate: '2025-06-01' }, 'exempelby-bvc', '2025-06-20').reason,
    ].join(' ');
    expect(reasons).not.toMatch(
      /inskolning|Förskolestart saknas|födelsedatumet användes|beräknat födelsedatum/i,
    );
    expect(reasons).toContain('Uppgift om skolstart saknas');
    expect(reasons).toContain('Uppgift om förskola saknas');
    expect(reasons).toContain('Uppgift om första BVC-besöket saknas');
    expect(reasons).toContain('det beräknade förlossningsdatumet användes');
  });
});

describe('band förskola → grundskola: the hösttermin start of the year the child turns 6', () => {
  const birthDate = '2020-05-05'; // turns 6 in 2026; hösttermin 2026/27 starts 2026-08-19

  it('the förskola rektor until the day before, the school rektor from the first day of term', () => {
    const before = route({ birthDate }, 'larkans-forskola', '2026-08-18');
    expect(before).toMatchObject({ band: 'forskola', contactUserId: REKTOR_LARKAN });
    expect(before.reason).toContain(
      'Uppgift om skolstart saknas; den antas vara höstterminens start det år barnet fyller 6 år (2026-08-19).',
    );

    const dayOf = route({ birthDate }, 'bjorkskolan', '2026-08-19');
    expect(dayOf).toMatchObject({ band: 'grundskola', contactUserId: REKTOR_BJORKSKOLAN, viaDeputy: false });
    expect(dayOf.defaultedFacts).toEqual(['schoolStart']);
    expect(dayOf.reason).toBe(
      'Barnet är 6 år och går i grundskolan (Björkskolan): Barnkontakt är rektor Maria Lind. ' +
        'Uppgift om skolstart saknas; den antogs vara höstterminens start det år barnet fyller 6 år (2026-08-19).',
    );

    expect(route({ birthDate }, 'bjorkskolan', '2026-08-20').band).toBe('grundskola');
  });

  it('a known school start moves the boundary and no default is mentioned', () => {
    const enrolment = { schoolStart: '2025-08-18' };
    expect(route({ birthDate }, 'larkans-forskola', '2025-08-17', enrolment).band).toBe('forskola');
    const dayOf = route({ birthDate }, 'bjorkskolan', '2025-08-18', enrolment);
    expect(dayOf).toMatchObject({ band: 'grundskola', defaultedFacts: [] });
    expect(dayOf.reason).not.toContain('antogs');
  });

  it('a school year missing from the directory uses the default rule (måndag vecka 34) and says so', () => {
    const turnsSixIn2030 = '2024-03-01';
    const before = route({ birthDate: turnsSixIn2030 }, 'larkans-forskola', '2030-08-18');
    expect(before.band).toBe('forskola');

    const dayOf = route({ birthDate: turnsSixIn2030 }, 'bjorkskolan', '2030-08-19');
    expect(dayOf.band).toBe('grundskola');
    expect(dayOf.defaultedFacts).toEqual(['schoolStart', 'termDates']);
    expect(dayOf.reason).toContain(
      'Terminsdatum för läsåret 2030/31 saknas i katalogen; ' +
        'höstterminens start antogs vara måndag vecka 34 (2030-08-19).',
    );
  });
});

describe('band grundskola → utanför band: the end of the vårtermin of the year the child turns 16', () => {
  const birthDate = '2010-03-03'; // turns 16 in 2026; vårterminen 2025/26 ends 2026-06-12

  it('the school rektor until and including the last day of term, the fallback the day after', () => {
    expect(route({ birthDate }, 'bjorkskolan', '2026-06-11').band).toBe('grundskola');
    expect(route({ birthDate }, 'bjorkskolan', '2026-06-12')).toMatchObject({
      band: 'grundskola',
      contactUserId: REKTOR_BJORKSKOLAN,
    });

    const after = route({ birthDate }, 'bjorkskolan', '2026-06-13');
    expect(after).toMatchObject({
      band: 'utanforBand',
      contactUserId: SAMORDNARE,
      unitId: 'socialtjanstens-mottagning',
      viaFallback: true,
      fallbackCause: 'outsideBands',
    });
    expect(after.reason).toBe(
      'Barnet är 16 år och har lämnat grundskolan, så inget åldersband gäller: kortet går till kommunens ' +
        'reservkontakt, samordnare Omar Haddad (Socialtjänstens mottagning).',
    );
  });

  it('older than grundskola goes to the fallback even with a Barnkontakt on the unit', () => {
    const decision = route({ birthDate: '2005-01-01' }, 'bjorkskolan', '2025-09-01');
    expect(decision).toMatchObject({ band: 'utanforBand', contactUserId: SAMORDNARE, viaFallback: true });
  });
});

describe('a leap-day birthday (2020-02-29)', () => {
  const birthDate = '2020-02-29';

  it('the first BVC visit by default falls 14 days later, on 2020-03-14', () => {
    expect(route({ birthDate }, 'exempelby-bmm', '2020-03-13').band).toBe('graviditetOchNyfodd');
    expect(route({ birthDate }, 'exempelby-bvc', '2020-03-14').band).toBe('smabarn');
  });

  it('förskola start by default at 12 months falls on 28 February in a common year', () => {
    const twelveMonths = buildDirectory((input) => {
      input.routingDefaults.forskolaStartAtAgeMonths = 12;
    });
    expect(route({ birthDate }, 'exempelby-bvc', '2021-02-27', {}, twelveMonths).band).toBe('smabarn');
    expect(route({ birthDate }, 'larkans-forskola', '2021-02-28', {}, twelveMonths).band).toBe('forskola');
  });

  it('the child turns a year older on 1 March in a common year', () => {
    expect(route({ birthDate }, 'larkans-forskola', '2026-02-28').reason).toMatch(/^Barnet är 5 år/);
    expect(route({ birthDate }, 'larkans-forskola', '2026-03-01').reason).toMatch(/^Barnet är 6 år/);
  });

  it('school starts at the hösttermin of 2026, the year the child turns 6', () => {
    expect(route({ birthDate }, 'larkans-forskola', '2026-08-18').band).toBe('forskola');
    expect(route({ birthDate }, 'bjorkskolan', '2026-08-19').band).toBe('grundskola');
  });

  it('grundskola ends with the vårtermin of 2036, a year missing from the directory (fredag vecka 24)', () => {
    const lastDay = route({ birthDate }, 'bjorkskolan', '2036-06-13');
    expect(lastDay.band).toBe('grundskola');
    expect(lastDay.defaultedFacts).toContain('termDates');
    expect(lastDay.reason).toContain(
      'Terminsdatum för läsåret 2035/36 saknas i katalogen; vårterminens slut antogs vara fredag vecka 24 (2036-06-13).',
    );

    const dayAfter = route({ birthDate }, 'bjorkskolan', '2036-06-14');
    expect(dayAfter).toMatchObject({ band: 'utanforBand', viaFallback: true, contactUserId: SAMORDNARE });
    expect(dayAfter.reason).toContain('vårterminens slut antogs vara fredag vecka 24 (2036-06-13)');
  });
});

describe('absence and deputies', () => {
  const eightYearOld = { birthDate: '2017-04-04' };

  it('a Barnkontakt away on the decision date hands over to the first deputy', () => {
    const decision = route(eightYearOld, 'bjorkskolan', '2025-07-10');
    expect(decision).toMatchObject({
      contactUserId: BITR_REKTOR_BJORKSKOLAN,
      contactDisplayName: 'Johan Ek',
      viaDeputy: true,
      viaFallback: false,
      unitId: 'bjorkskolan',
    });
    expect(decision.reason).toContain(
      'Barnkontakt är rektor Maria Lind, som är frånvarande; kortet går till ersättaren bitr. rektor Johan Ek.',
    );
  });

  it('an absence includes its last day, and the Barnkontakt is back the day after', () => {
    expect(route(eightYearOld, 'bjorkskolan', '2025-08-01').contactUserId).toBe(BITR_REKTOR_BJORKSKOLAN);
    expect(route(eightYearOld, 'bjorkskolan', '2025-08-02')).toMatchObject({
      contactUserId: REKTOR_BJORKSKOLAN,
      viaDeputy: false,
    });
  });

  it('the first deputy who is not away is chosen, in the listed order', () => {
    const directory = buildDirectory((input) => {
      input.units[0]?.deputies?.push('extra-ersattare');
      absentFrom(input, 'bitr-rektor-bjorkskolan', '2025-07-01', '2025-07-31');
    });
    expect(route(eightYearOld, 'bjorkskolan', '2025-07-10', {}, directory)).toMatchObject({
      contactUserId: EXTRA_DEPUTY,
      viaDeputy: true,
    });
  });

  it('the Barnkontakt and every deputy away sends the card to the fallback', () => {
    const directory = buildDirectory((input) => {
      absentFrom(input, 'bitr-rektor-bjorkskolan', '2025-07-01', '2025-07-31');
    });
    const decision = route(eightYearOld, 'bjorkskolan', '2025-07-10', {}, directory);
    expect(decision).toMatchObject({
      band: 'grundskola',
      contactUserId: SAMORDNARE,
      viaFallback: true,
      viaDeputy: false,
      fallbackCause: 'allAway',
    });
    expect(decision.reason).toContain('men Barnkontakten och alla ersättare är frånvarande');
  });

  it('a fallback contact who is away hands over to the fallback deputy', () => {
    const directory = buildDirectory((input) => {
      input.fallback.deputies.push('reserv-ersattare');
      absentFrom(input, 'samordnare', '2025-09-01', '2025-09-05');
    });
    expect(route({ birthDate: '2000-01-01' }, 'bjorkskolan', '2025-09-02', {}, directory)).toMatchObject({
      contactUserId: FALLBACK_DEPUTY,
      viaFallback: true,
      viaDeputy: true,
    });
  });

  it('a fallback contact who is away with no deputy available still gets the card', () => {
    const directory = buildDirectory((input) => {
      absentFrom(input, 'samordnare', '2025-09-01', '2025-09-05');
    });
    const decision = route({ birthDate: '2000-01-01' }, 'bjorkskolan', '2025-09-02', {}, directory);
    expect(decision).toMatchObject({ contactUserId: SAMORDNARE, viaFallback: true, viaDeputy: false });
    expect(decision.reason).toContain('trots att hen är markerad som frånvarande');
  });
});

describe('the card is never lost: the fallback, with the reason', () => {
  const eightYearOld = { birthDate: '2017-04-04' };

  it('a unit without a Barnkontakt', () => {
    const decision = route(eightYearOld, 'ekens-skola', '2025-09-01');
    expect(decision).toMatchObject({
      band: 'grundskola',
      unitId: 'socialtjanstens-mottagning',
      contactUserId: SAMORDNARE,
      viaFallback: true,
      fallbackCause: 'noBarnkontakt',
    });
    expect(decision.reason).toContain(
      'Barnet är 8 år och går i grundskolan (Ekens skola), men enheten har ingen Barnkontakt i katalogen: ' +
        'kortet går till kommunens reservkontakt, samordnare Omar Haddad (Socialtjänstens mottagning).',
    );
  });

  it('a unit id that is not in the directory', () => {
    const decision = route(eightYearOld, 'okand-skola', '2025-09-01');
    expect(decision).toMatchObject({
      contactUserId: SAMORDNARE,
      viaFallback: true,
      fallbackCause: 'unknownUnit',
    });
    expect(decision.reason).toContain('men enheten "okand-skola" finns inte i katalogen');
  });

  it('a unit whose type does not fit the band, with no unit of the band in the directory', () => {
    const noBmm = buildDirectory((input) => {
      input.units = input.units.filter((unit) => unit.type !== 'bmm');
    });
    const decision = route({ dueDate: '2025-10-01' }, 'exempelby-bvc', '2025-09-01', {}, noBmm);
    expect(decision).toMatchObject({
      band: 'graviditetOchNyfodd',
      contactUserId: SAMORDNARE,
      viaFallback: true,
      fallbackCause: 'unitTypeMismatch',
    });
    expect(decision.reason).toBe(
      'Barnet är ännu inte fött, men Exempelby BVC är en barnavårdscentral (BVC), och katalogen har ' +
        'ingen barnmorskemottagning: kortet går till kommunens reservkontakt, samordnare Omar Haddad ' +
        '(Socialtjänstens mottagning).',
    );
  });

  it('neither birth date nor due date', () => {
    const decision = route({}, 'bjorkskolan', '2025-09-01');
    expect(decision).toMatchObject({
      band: 'utanforBand',
      contactUserId: SAMORDNARE,
      viaFallback: true,
      fallbackCause: 'birthDateMissing',
    });
    expect(decision.reason).toContain(
      'Födelsedatum saknas, så åldersbandet kan inte bestämmas: kortet går till kommunens reservkontakt',
    );
  });
});

describe('the routing outcome as stored in the case', () => {
  it('parses with ZRoutingOutcome and names no birth date', () => {
    const decision = route({ birthDate: '2017-04-04' }, 'bjorkskolan', '2025-09-01');
    expect(ZRoutingOutcome.parse(decision)).toEqual(decision);
    expect(decision.decidedOn).toBe('2025-09-01');
    expect(decision.reason).not.toContain('2017');
  });
});

describe('toStockholmDate', () => {
  it('gives the Stockholm calendar date of an instant, across midnight and summer time', () => {
    expect(toStockholmDate(new Date('2025-01-15T22:59:59Z'))).toBe('2025-01-15');
    expect(toStockholmDate(new Date('2025-01-15T23:00:00Z'))).toBe('2025-01-16');
    expect(toStockholmDate(new Date('2025-06-30T21:59:59Z'))).toBe('2025-06-30');
    expect(toStockholmDate(new Date('2025-06-30T22:00:00Z'))).toBe('2025-07-01');
  });
});
