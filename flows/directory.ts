/**
 * The directory (katalogen): one municipality's configuration of units, Barnkontakter and
 * their deputies, the fallback contact, term dates, working time, reminder intervals and the
 * defaults routing uses when an enrolment fact is unknown. It is read from a YAML file
 * maintained by the municipality's IT staff (`infra/directory-file.ts`), so every check here
 * explains itself in Swedish and points at the field to change.
 *
 * People are listed once under `contacts` and referenced from units by their short `id`:
 * one rektor is often Barnkontakt for both a förskola and a school, and one place to record
 * an absence is less error-prone than several.
 */
import { z } from 'zod';
import { ZCalendarDate, ZUserId } from './case.js';

export const unitTypes = ['bmm', 'bvc', 'forskola', 'grundskola', 'socialtjanstMottagning'] as const;
export const ZUnitType = z.enum(unitTypes);
export type UnitType = z.infer<typeof ZUnitType>;

/** Swedish names of the unit types, for reasons and cards. */
export const unitTypeLabels: Readonly<Record<UnitType, string>> = {
  bmm: 'barnmorskemottagning',
  bvc: 'barnavårdscentral (BVC)',
  forskola: 'förskola',
  grundskola: 'grundskola',
  socialtjanstMottagning: 'socialtjänstens mottagning',
};

/**
 * The organisation that runs a unit. A card filed by someone from another organisation than
 * the Barnkontakt's own counts as external in the follow-up figures.
 */
export const organisations = ['kommun', 'region', 'polis', 'privat'] as const;
export const ZOrganisation = z.enum(organisations);
export type Organisation = z.infer<typeof ZOrganisation>;

export const weekdayNames = ['mandag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lordag', 'sondag'] as const;
export const ZWeekdayName = z.enum(weekdayNames);
export type WeekdayName = z.infer<typeof ZWeekdayName>;

/** Swedish weekday names as written in reasons ("måndag vecka 34"). */
export const weekdayLabels: Readonly<Record<WeekdayName, string>> = {
  mandag: 'måndag',
  tisdag: 'tisdag',
  onsdag: 'onsdag',
  torsdag: 'torsdag',
  fredag: 'fredag',
  lordag: 'lördag',
  sondag: 'söndag',
};

const ZKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'Id får bara innehålla små bokstäver a–z, siffror och bindestreck');

const ZClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Klockslag ska skrivas TT:MM, t.ex. 08:00');

/** A planned absence, both days included. The contact counts as away on each day of it. */
export const ZAbsence = z
  .object({
    from: ZCalendarDate,
    to: ZCalendarDate,
    /** Why, for the IT staff only (e.g. "semester"); never shown on a card. */
    note: z.string().max(200).optional(),
  })
  .strict()
  .superRefine((absence, ctx) => {
    if (absence.to < absence.from) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: 'Frånvarons slutdatum ligger före startdatumet',
      });
    }
  });
export type Absence = z.infer<typeof ZAbsence>;

/** A person who can receive cards: a Teams (Entra ID) identity. */
export const ZContact = z
  .object({
    /** Short key used to refer to the person elsewhere in the file. */
    id: ZKey,
    aadObjectId: ZUserId,
    displayName: z.string().min(1).max(200),
    email: z.string().email(),
    /** Role title as the person is addressed on a card, e.g. "Rektor", "Bitr. rektor". */
    title: z.string().min(1).max(100),
    absences: z.array(ZAbsence).default([]),
  })
  .strict();
export type Contact = z.infer<typeof ZContact>;

export const ZUnit = z
  .object({
    id: ZKey,
    name: z.string().min(1).max(200),
    type: ZUnitType,
    organisation: ZOrganisation,
    /** Contact id of the unit's Barnkontakt. A unit without one routes to the fallback. */
    barnkontakt: ZKey.optional(),
    /** Contact ids, in the order they step in when the Barnkontakt is away. */
    deputies: z.array(ZKey).default([]),
  })
  .strict();
export type Unit = z.infer<typeof ZUnit>;

/** One school year, e.g. `2025/26`: when the hösttermin starts and the vårtermin ends. */
export const ZTermDates = z
  .object({
    schoolYear: z.string().regex(/^\d{4}\/\d{2}$/, 'Läsår ska skrivas ÅÅÅÅ/ÅÅ, t.ex. 2025/26'),
    autumnTermStart: ZCalendarDate,
    springTermEnd: ZCalendarDate,
  })
  .strict()
  .superRefine((term, ctx) => {
    const firstYear = Number(term.schoolYear.slice(0, 4));
    const secondYearShort = Number(term.schoolYear.slice(5));
    if ((firstYear + 1) % 100 !== secondYearShort) {
      ctx.addIssue({
        code: 'custom',
        path: ['schoolYear'],
        message: `Läsåret ska omfatta två år i följd, t.ex. ${firstYear}/${String((firstYear + 1) % 100).padStart(2, '0')}`,
      });
      return;
    }
    if (!term.autumnTermStart.startsWith(`${firstYear}-`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['autumnTermStart'],
        message: `Höstterminen för läsåret ${term.schoolYear} ska börja år ${firstYear}`,
      });
    }
    if (!term.springTermEnd.startsWith(`${firstYear + 1}-`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['springTermEnd'],
        message: `Vårterminen för läsåret ${term.schoolYear} ska sluta år ${firstYear + 1}`,
      });
    }
  });
export type TermDates = z.infer<typeof ZTermDates>;

const ZWeekRule = z
  .object({
    isoWeek: z.number().int().min(1).max(52),
    weekday: ZWeekdayName,
  })
  .strict();
export type WeekRule = z.infer<typeof ZWeekRule>;

/**
 * Used for a school year missing from `termDates`, so that routing still works for a child
 * who starts or leaves school in a year nobody has configured yet. The routing reason then
 * says the date was assumed. Default: hösttermin starts on måndag vecka 34, vårtermin ends
 * on fredag vecka 24 (the usual pattern in Swedish municipalities).
 */
export const ZTermDateDefaults = z
  .object({
    autumnTermStart: ZWeekRule.default({ isoWeek: 34, weekday: 'mandag' }),
    springTermEnd: ZWeekRule.default({ isoWeek: 24, weekday: 'fredag' }),
  })
  .strict();
export type TermDateDefaults = z.infer<typeof ZTermDateDefaults>;

export const ZWorkingTime = z
  .object({
    days: z.array(ZWeekdayName).min(1).default(['mandag', 'tisdag', 'onsdag', 'torsdag', 'fredag']),
    start: ZClockTime.default('08:00'),
    end: ZClockTime.default('16:30'),
    /** Weekdays that are not working days (röda dagar, klämdagar). */
    holidays: z.array(ZCalendarDate).default([]),
  })
  .strict()
  .superRefine((time, ctx) => {
    if (time.end <= time.start) {
      ctx.addIssue({
        code: 'custom',
        path: ['end'],
        message: 'Arbetsdagens slut måste vara efter dess början',
      });
    }
    const seen = new Set<string>();
    time.days.forEach((day, index) => {
      if (seen.has(day)) {
        ctx.addIssue({ code: 'custom', path: ['days', index], message: `Veckodagen ${day} står två gånger` });
      }
      seen.add(day);
    });
  });
export type WorkingTime = z.infer<typeof ZWorkingTime>;

export const ZReminders = z
  .object({
    /** An unanswered card to a Barnkontakt is chased after this many working days. */
    chaseUnansweredCardAfterWorkingDays: z.number().int().min(1).max(30).default(2),
    /** …and again every this many working days while it stays unanswered. */
    repeatChaseEveryWorkingDays: z.number().int().min(1).max(30).default(2),
    /** Reminders (with the Skattningsformulär) this many hours before a Barnteam meeting. */
    meetingRemindersHoursBefore: z
      .array(
        z
          .number()
          .int()
          .min(1)
          .max(24 * 14),
      )
      .default([48, 2]),
  })
  .strict();
export type Reminders = z.infer<typeof ZReminders>;

/** Where routing places a band boundary when the enrolment fact that moves it is unknown. */
export const ZRoutingDefaults = z
  .object({
    /** The first home visit / first BVC visit is assumed done at this age. */
    firstBvcVisitAtAgeDays: z.number().int().min(0).max(365).default(14),
    /** Förskola is assumed to start at this age. */
    forskolaStartAtAgeMonths: z.number().int().min(6).max(72).default(18),
  })
  .strict();
export type RoutingDefaults = z.infer<typeof ZRoutingDefaults>;

/** The contact who gets a card no Barnkontakt can take, and the unit they act for. */
export const ZFallback = z
  .object({
    unit: ZKey,
    contact: ZKey,
    /** Stand-ins, in order, when the fallback contact is away. */
    deputies: z.array(ZKey).default([]),
  })
  .strict();
export type Fallback = z.infer<typeof ZFallback>;

/** Social services' intake (mottagning), which receives every orosanmälan. */
export const ZSocialServicesIntake = z
  .object({
    unit: ZKey,
    /** Contacts who receive an orosanmälan in Teams. */
    contacts: z.array(ZKey).min(1),
  })
  .strict();
export type SocialServicesIntake = z.infer<typeof ZSocialServicesIntake>;

const ZDirectoryShape = z
  .object({
    municipality: z.object({ name: z.string().min(1).max(200), tenantId: z.string().uuid() }).strict(),
    contacts: z.array(ZContact).min(1),
    units: z.array(ZUnit).min(1),
    fallback: ZFallback,
    socialServicesIntake: ZSocialServicesIntake,
    termDates: z.array(ZTermDates).default([]),
    termDateDefaults: ZTermDateDefaults.default({}),
    workingTime: ZWorkingTime.default({}),
    reminders: ZReminders.default({}),
    routingDefaults: ZRoutingDefaults.default({}),
  })
  .strict();

/**
 * The whole directory, with the checks that span fields: ids are unique, every reference
 * names a listed contact or unit, a unit's Barnkontakt is not also its deputy, the fallback
 * and the intake point at a socialtjänst unit where the type demands it.
 */
export const ZDirectory = ZDirectoryShape.superRefine((directory, ctx) => {
  const contactIds = new Set<string>();
  const objectIds = new Set<string>();
  directory.contacts.forEach((contact, index) => {
    if (contactIds.has(contact.id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['contacts', index, 'id'],
        message: `Kontakt-id "${contact.id}" används redan av en annan kontakt`,
      });
    }
    contactIds.add(contact.id);
    if (objectIds.has(contact.aadObjectId.toLowerCase())) {
      ctx.addIssue({
        code: 'custom',
        path: ['contacts', index, 'aadObjectId'],
        message: 'Samma Teams-identitet (aadObjectId) finns redan hos en annan kontakt',
      });
    }
    objectIds.add(contact.aadObjectId.toLowerCase());
  });

  const checkContactRef = (id: string, path: (string | number)[]) => {
    if (!contactIds.has(id)) {
      ctx.addIssue({ code: 'custom', path, message: `Kontakten "${id}" finns inte under contacts` });
    }
  };
  const checkDeputies = (main: string | undefined, deputies: string[], path: (string | number)[]) => {
    const seen = new Set<string>();
    deputies.forEach((deputy, index) => {
      checkContactRef(deputy, [...path, index]);
      if (deputy === main) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, index],
          message: `"${deputy}" är redan huvudkontakt och kan inte också vara ersättare`,
        });
      } else if (seen.has(deputy)) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, index],
          message: `Ersättaren "${deputy}" står två gånger`,
        });
      }
      seen.add(deputy);
    });
  };

  const unitsById = new Map<string, (typeof directory.units)[number]>();
  directory.units.forEach((unit, index) => {
    if (unitsById.has(unit.id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['units', index, 'id'],
        message: `Enhets-id "${unit.id}" används redan av en annan enhet`,
      });
    } else {
      unitsById.set(unit.id, unit);
    }
    if (unit.barnkontakt !== undefined) {
      checkContactRef(unit.barnkontakt, ['units', index, 'barnkontakt']);
    } else if (unit.deputies.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['units', index, 'deputies'],
        message: 'Enheten har ersättare men ingen barnkontakt: ange barnkontakt eller ta bort ersättarna',
      });
    }
    checkDeputies(unit.barnkontakt, unit.deputies, ['units', index, 'deputies']);
  });

  if (!unitsById.has(directory.fallback.unit)) {
    ctx.addIssue({
      code: 'custom',
      path: ['fallback', 'unit'],
      message: `Enheten "${directory.fallback.unit}" finns inte under units`,
    });
  }
  checkContactRef(directory.fallback.contact, ['fallback', 'contact']);
  checkDeputies(directory.fallback.contact, directory.fallback.deputies, ['fallback', 'deputies']);

  const intakeUnit = unitsById.get(directory.socialServicesIntake.unit);
  if (intakeUnit === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['socialServicesIntake', 'unit'],
      message: `Enheten "${directory.socialServicesIntake.unit}" finns inte under units`,
    });
  } else if (intakeUnit.type !== 'socialtjanstMottagning') {
    ctx.addIssue({
      code: 'custom',
      path: ['socialServicesIntake', 'unit'],
      message: `Enheten "${intakeUnit.id}" har typen ${intakeUnit.type}; orosanmälningar ska gå till en enhet av typen socialtjanstMottagning`,
    });
  }
  directory.socialServicesIntake.contacts.forEach((id, index) => {
    checkContactRef(id, ['socialServicesIntake', 'contacts', index]);
  });

  const schoolYears = new Set<string>();
  directory.termDates.forEach((term, index) => {
    if (schoolYears.has(term.schoolYear)) {
      ctx.addIssue({
        code: 'custom',
        path: ['termDates', index, 'schoolYear'],
        message: `Läsåret ${term.schoolYear} står två gånger`,
      });
    }
    schoolYears.add(term.schoolYear);
  });
});
export type Directory = z.infer<typeof ZDirectory>;

export function findUnit(directory: Directory, unitId: string): Unit | undefined {
  return directory.units.find((unit) => unit.id === unitId);
}

export function findContact(directory: Directory, contactId: string): Contact | undefined {
  return directory.contacts.find((contact) => contact.id === contactId);
}

/** Whether a planned absence covers the Stockholm date `on`. */
export function isContactAway(contact: Contact, on: string): boolean {
  return contact.absences.some((absence) => absence.from <= on && on <= absence.to);
}
