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
import { channelNamePlaceholders, defaultChannelNamePattern, renderChannelName } from './team-channel.js';
import { type UserId, ZCalendarDate, ZUserId } from './value-types.js';

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

/**
 * The three kinds of person a Barnteam has across organisations:
 * - `medarbetare`: an account in the municipality's own tenant; cards, chat and calendar work;
 * - `gast`: a guest account in the municipality's tenant (a region employee, say), whose mailbox
 *   stays at home: cards and chat work once the app is installed for them, but the
 *   municipality's Graph can usually not read their free/busy;
 * - `utanforTeams`: only an e-mail address (a police officer, say): no chat with the bot and no
 *   readable calendar, but a calendar invitation reaches them wherever their mailbox is.
 */
export const contactKinds = ['medarbetare', 'gast', 'utanforTeams'] as const;
export const ZContactKind = z.enum(contactKinds);
export type ContactKind = z.infer<typeof ZContactKind>;

/** Swedish names of the kinds, for cards. */
export const contactKindLabels: Readonly<Record<ContactKind, string>> = {
  medarbetare: 'i kommunens Teams',
  gast: 'gäst i kommunens Teams',
  utanforTeams: 'utanför Teams, nås via e-post',
};

/** An e-mail address as a calendar invitation needs it: one address, no display name. */
export const ZEmailAddress = z.string().trim().max(254).email('Ogiltig e-postadress');

/**
 * A person as the directory file lists them. `kind` defaults to `medarbetare`, so files written
 * before the kinds existed keep their meaning. A person in Teams (medarbetare or gast) has a
 * Teams identity; a person outside Teams has none, and the file may not invent one.
 */
export const ZContactEntry = z
  .object({
    /** Short key used to refer to the person elsewhere in the file. */
    id: ZKey,
    kind: ZContactKind.default('medarbetare'),
    /** The person's object id in the municipality's Entra ID; a guest's is their guest account's. */
    aadObjectId: ZUserId.optional(),
    /**
     * The tenant the person signs in to Teams from, when it is not the municipality's (the set-up
     * where the app is registered for several tenants). A guest signs in to the municipality's.
     */
    tenantId: z.string().uuid().optional(),
    displayName: z.string().min(1).max(200),
    /** Where the calendar is read (when it can be) and where invitations go. */
    email: ZEmailAddress,
    /** Role title as the person is addressed on a card, e.g. "Rektor", "Bitr. rektor". */
    title: z.string().min(1).max(100),
    /**
     * The unit the person works at, when it is one of the listed units (a skolkurator at the
     * school, a socialsekreterare at social services). Gives the organisation an Individuellt
     * barnteam shows for them, and whether they act for a unit with a SIP duty.
     */
    unit: ZKey.optional(),
    /** The employer, when no listed unit says it (the police, the region's BUP). */
    organisation: z.enum(['kommun', 'region', 'polis', 'privat']).optional(),
    absences: z.array(ZAbsence).default([]),
  })
  .strict()
  .superRefine((contact, ctx) => {
    if (contact.kind === 'utanforTeams') {
      for (const field of ['aadObjectId', 'tenantId'] as const) {
        if (contact[field] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: `En kontakt utanför Teams har ingen Teams-identitet: ta bort ${field} eller ändra kind`,
          });
        }
      }
    } else if (contact.aadObjectId === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['aadObjectId'],
        message: `aadObjectId krävs för en kontakt i Teams (kind ${contact.kind}); ange kind: utanforTeams för någon som bara nås via e-post`,
      });
    }
  });
type ContactEntry = z.infer<typeof ZContactEntry>;

/**
 * A person who can receive cards: a Teams (Entra ID) identity, in the municipality's tenant or
 * as a guest there. Everything that sends a card or checks who acts works with these.
 */
export interface Contact extends Omit<ContactEntry, 'kind' | 'aadObjectId'> {
  readonly kind: 'medarbetare' | 'gast';
  readonly aadObjectId: UserId;
}

/**
 * A person the bot cannot reach in Teams: invited to meetings by e-mail, never sent a card.
 * Kept apart from `Contact` so that the compiler stops a card from being addressed to them.
 */
export interface ContactOutsideTeams extends Omit<ContactEntry, 'kind' | 'aadObjectId' | 'tenantId'> {
  readonly kind: 'utanforTeams';
}

/** Anyone a Barnteam may have as a member. */
export type BarnteamContact = Contact | ContactOutsideTeams;

/** Whether the bot can send this person a card (a guest only once the app is installed for them). */
export function isInTeams(contact: BarnteamContact): contact is Contact {
  return contact.kind !== 'utanforTeams';
}

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
    /**
     * Units that take over as the children grow older: the BVC a barnmorskemottagning hands
     * its newborns to, the school a förskola's children start in. Routing follows these both
     * ways when a card names the unit of a neighbouring age band (`routing.ts`).
     */
    handsOverTo: z.array(ZKey).default([]),
  })
  .strict();
export type Unit = z.infer<typeof ZUnit>;

/**
 * The unit types of the age bands, youngest first: a unit hands its children over only to a
 * unit of a later type.
 */
export const unitTypesByAge: readonly UnitType[] = ['bmm', 'bvc', 'forskola', 'grundskola'];

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

/**
 * The roles of a Barnteam's standing members. The composition follows the seeds: elevhälsan
 * (skolsköterska, skolkurator, skolpsykolog), socialtjänsten, hälso- och sjukvård and polis
 * (seeds/004, "Barnteam 13-16 år"), barn- och ungdomspsykiatrin (seeds/003), and for the
 * youngest children barnhälsovården (BVC) and the föräldra- och barnhälsovårdspsykologer the
 * evaluation missed (seeds/002). The convener is not listed: it is always the unit's
 * Barnkontakt. The Upptäckare is invited for their own child's item only, never as a member.
 */
export const barnteamMemberRoles = [
  'elevhalsa',
  'socialtjanst',
  'halsoOchSjukvard',
  'polis',
  'barnOchUngdomspsykiatri',
  'barnhalsovard',
  'psykolog',
  'ovrig',
] as const;
export const ZBarnteamMemberRole = z.enum(barnteamMemberRoles);
export type BarnteamMemberRole = z.infer<typeof ZBarnteamMemberRole>;

/** How a member's function is named on invitations, reminders and the Skattningsformulär. */
export const barnteamMemberRoleLabels: Readonly<Record<BarnteamMemberRole, string>> = {
  elevhalsa: 'Barn- och elevhälsan',
  socialtjanst: 'Socialtjänsten',
  halsoOchSjukvard: 'Hälso- och sjukvård',
  polis: 'Polisen',
  barnOchUngdomspsykiatri: 'Barn- och ungdomspsykiatrin (BUP)',
  barnhalsovard: 'Barnhälsovården (BVC)',
  psykolog: 'Föräldra- och barnhälsovårdspsykolog',
  ovrig: 'Övrig',
};

/**
 * The standard dagordning: the same agenda every time (the evaluation: "det är viktigt att
 * alla kör samma dagordning", seeds/002). The seeds give the Barnteam's uppdrag, not a
 * written agenda, so these items follow that uppdrag in the order a meeting works through it.
 */
export const defaultBarnteamAgenda: readonly string[] = Object.freeze([
  'Inledning: syftet med Barnteam och dagens barn (initialer och ärendereferens)',
  'Nya barn: Barnkontakten och Upptäckaren beskriver barnets situation utifrån Behovskompassen',
  'Barnets och vårdnadshavarens perspektiv från barnsamtalen',
  'Gemensam bedömning av barnets behov utifrån Skattningsformuläret och Behovskompassen',
  'Förslag på vilket stöd som kan erbjudas, av vem och när',
  'Behöver barnet ett Individuellt barnteam?',
  'Uppföljning: har stödet till tidigare barn haft avsedd effekt?',
  'Sammanfattning, uppföljningsdatum och nästa möte',
]);

/** The longest booking horizon: a getSchedule window must be shorter than 62 days (`calendar.ts`). */
export const maxBookingHorizonDays = 61;

export const ZBarnteamMember = z
  .object({
    role: ZBarnteamMemberRole,
    /**
     * Contact id, of any kind: the calendar is read and the invitation sent by the contact's
     * e-mail; cards (reminders, the Skattningsformulär) go only to a contact in Teams.
     */
    contact: ZKey,
    /** Whether a time is proposed only when this member is free (an optional member's conflict is shown). */
    required: z.boolean().default(true),
  })
  .strict();
export type BarnteamMember = z.infer<typeof ZBarnteamMember>;

/**
 * How long before a meeting a member is reminded. `days` moves the Stockholm calendar date and
 * keeps the wall-clock time ("dagen före" at 09:00 for a 09:00 meeting, also across a change to
 * or from summer time); `minutes` then goes back in real time ("en timme före").
 */
export const ZMeetingReminderOffset = z
  .object({
    days: z.number().int().min(0).max(14).default(0),
    minutes: z
      .number()
      .int()
      .min(0)
      .max(60 * 24)
      .default(0),
  })
  .strict()
  .refine((offset) => offset.days > 0 || offset.minutes > 0, 'Ange days eller minutes större än 0');
export type MeetingReminderOffset = z.infer<typeof ZMeetingReminderOffset>;

export const defaultMeetingReminderOffsets: readonly MeetingReminderOffset[] = Object.freeze([
  { days: 1, minutes: 0 },
  { days: 0, minutes: 60 },
]);

/**
 * A standing Barnteam for one unit or a group of units, optionally for an age band of the
 * children (seeds/004 has a "Barnteam 13-16 år"). Led and convened by the Barnkontakt of the
 * child's unit.
 */
export const ZBarnteamConfig = z
  .object({
    id: ZKey,
    name: z.string().min(1).max(200),
    units: z.array(ZKey).min(1),
    /** Completed years, both ends included; absent means every age at the units. */
    ages: z
      .object({ from: z.number().int().min(0).max(20), to: z.number().int().min(0).max(20) })
      .strict()
      .refine((ages) => ages.from <= ages.to, {
        message: 'Åldersspannets slut ligger före dess början',
        path: ['to'],
      })
      .optional(),
    members: z.array(ZBarnteamMember).min(1),
    meetingMinutes: z.number().int().min(15).max(480).default(90),
    /** How many days ahead (from today) the bot looks for a time everyone required can come. */
    bookingHorizonDays: z.number().int().min(1).max(maxBookingHorizonDays).default(28),
    /**
     * How many working days ahead the first proposed time is at the earliest: enough for every
     * reminder to go out and the Skattningsformulär to be filled in by members from several
     * organisations (a meeting booked 75 minutes ahead lost its day-before reminder).
     */
    minimumNoticeWorkingDays: z.number().int().min(0).max(20).default(3),
    agenda: z
      .array(z.string().min(1).max(300))
      .min(1)
      .default([...defaultBarnteamAgenda]),
    /** When each member is reminded before a meeting (default: the day before and one hour before). */
    reminderOffsets: z
      .array(ZMeetingReminderOffset)
      .min(1)
      .default([...defaultMeetingReminderOffsets]),
  })
  .strict();
export type BarnteamConfig = z.infer<typeof ZBarnteamConfig>;

/**
 * A team that hosts Individuellt barnteams' private channels. Teams allows 30 private channels
 * per team (deleted ones count for 30 days), so a municipality lists several, in the order they
 * are used: a full team moves the next channel on to the next one.
 */
export const ZHostTeam = z
  .object({
    /** The team's id in Microsoft Graph (the Microsoft 365 group's object id). */
    teamId: z.string().uuid('teamId ska vara teamets id i Microsoft Graph (ett GUID)'),
    /** What administrators call it, for the message when every host team is full. */
    name: z.string().min(1).max(200).optional(),
    /** The units whose children's channels it hosts; empty: any unit of the municipality. */
    units: z.array(ZKey).default([]),
  })
  .strict();
export type HostTeam = z.infer<typeof ZHostTeam>;

/** The name pattern must hold the reference, and only the placeholders we fill in. */
const ZChannelNamePattern = z
  .string()
  .min(1)
  .max(200)
  .superRefine((pattern, ctx) => {
    if (!pattern.includes('{referens}')) {
      ctx.addIssue({
        code: 'custom',
        message: 'Mönstret måste innehålla {referens}, så att varje barns kanal får ett eget namn',
      });
      return;
    }
    const unknown = (pattern.match(/\{[^}]*\}/g) ?? []).filter(
      (part) => !(channelNamePlaceholders as readonly string[]).includes(part),
    );
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `Okänd platshållare ${unknown[0]}: använd {initialer} och {referens}`,
      });
      return;
    }
    // The longest initials and a reference as the bot makes them: what every name will be like.
    const sample = renderChannelName(pattern, { initials: 'Å.Ö.', reference: 'BB-XXXX-XXXX' });
    if ('problem' in sample) {
      ctx.addIssue({
        code: 'custom',
        message: `Kanalnamn efter mönstret godtas inte av Teams (${sample.problem}): högst 50 tecken, inga ~ # % & * { } + / \\ : < > ? | ' " , eller "..", inte börja med _ eller . och inte sluta med .`,
      });
    }
  });

/** The Individuellt barnteams' private channels: where they are created and what they are called. */
export const ZTeamChannelsConfig = z
  .object({
    namePattern: ZChannelNamePattern.default(defaultChannelNamePattern),
    hostTeams: z.array(ZHostTeam).default([]),
  })
  .strict();
export type TeamChannelsConfig = z.infer<typeof ZTeamChannelsConfig>;

/**
 * The log review (logguppföljning) the care-records rule HSLF-FS 2016:40 asks for: who reviews
 * the access log, and when reading many different cases in a short time counts as unusual.
 */
export const ZLogReview = z
  .object({
    /** Contact ids of the log reviewers (loggranskare): they ask for the review and get it weekly. */
    reviewers: z.array(ZKey).default([]),
    /** One person reading at least `cases` different cases within `withinMinutes` is marked. */
    manyCases: z
      .object({
        cases: z.number().int().min(2).max(1000).default(10),
        withinMinutes: z
          .number()
          .int()
          .min(1)
          .max(24 * 60)
          .default(60),
      })
      .strict()
      .default({}),
  })
  .strict();
export type LogReviewConfig = z.infer<typeof ZLogReview>;

const ZRetentionMonths = z
  .number({ invalid_type_error: 'Gallringstiden ska anges som ett helt antal månader, t.ex. 24' })
  .int('Gallringstiden ska anges som ett helt antal månader, t.ex. 24')
  .min(1, 'Gallringstiden måste vara minst 1 månad')
  .max(1200, 'Gallringstiden får vara högst 1200 månader (100 år)');

/**
 * How long closed cases and the access log are kept before the daily retention sweep erases them
 * (gallring), in whole months from the Stockholm date the case closed or the entry was written.
 * Months, not ISO-8601 durations: the municipality's dokumenthanteringsplan states its periods in
 * months and years, and one integer is harder to get wrong in a YAML file. The defaults are
 * placeholders until the municipality has decided; the sample file says so.
 */
export const ZRetention = z
  .object({
    /** A case closed because the child's needs are met (`avslutad`). */
    closedCaseMonths: ZRetentionMonths.default(24),
    /** A case the Barnkontakt declined (`avbojd`) or whose consent was withdrawn. */
    declinedOrWithdrawnCaseMonths: ZRetentionMonths.default(6),
    /** Access-log entries, of every case and of the log review itself. */
    accessLogMonths: ZRetentionMonths.default(60),
    /**
     * Days an ended Individuellt barnteam's archived channel is kept before it is deleted. The
     * case keeps the plan; the channel holds only status posts, and every archived channel takes
     * one of the host team's 30 private-channel places (a deleted one for 30 days more).
     */
    teamChannelDays: z
      .number({ invalid_type_error: 'Tiden för teamkanalen ska anges som ett helt antal dagar, t.ex. 30' })
      .int('Tiden för teamkanalen ska anges som ett helt antal dagar, t.ex. 30')
      .min(0, 'Tiden för teamkanalen kan inte vara negativ')
      .max(36_500, 'Tiden för teamkanalen får vara högst 36500 dagar (100 år)')
      .default(30),
  })
  .strict();
export type RetentionConfig = z.infer<typeof ZRetention>;

const ZDirectoryShape = z
  .object({
    municipality: z.object({ name: z.string().min(1).max(200), tenantId: z.string().uuid() }).strict(),
    contacts: z.array(ZContactEntry).min(1),
    units: z.array(ZUnit).min(1),
    fallback: ZFallback,
    socialServicesIntake: ZSocialServicesIntake,
    termDates: z.array(ZTermDates).default([]),
    termDateDefaults: ZTermDateDefaults.default({}),
    workingTime: ZWorkingTime.default({}),
    reminders: ZReminders.default({}),
    routingDefaults: ZRoutingDefaults.default({}),
    barnteams: z.array(ZBarnteamConfig).default([]),
    teamChannels: ZTeamChannelsConfig.default({}),
    /**
     * Units whose organisation has a statutory duty to take part in and initiate SIP (samordnad
     * individuell plan): their staff may start an Individuellt barnteam directly (seeds/002).
     */
    sipDutyUnits: z.array(ZKey).default([]),
    /**
     * The process team (processteamet): contact ids of those who follow up the model across the
     * municipality and may read the term's follow-up figures (`statistik`). Aggregates only.
     */
    processTeam: z.array(ZKey).default([]),
    logReview: ZLogReview.default({}),
    retention: ZRetention.default({}),
  })
  .strict();

/**
 * The whole directory, with the checks that span fields: ids are unique, every reference
 * names a listed contact or unit, a unit's Barnkontakt is not also its deputy, the fallback
 * and the intake point at a socialtjänst unit where the type demands it.
 */
export const ZDirectory = ZDirectoryShape.superRefine((directory, ctx) => {
  const contactIds = new Set<string>();
  const outsideTeamsIds = new Set<string>();
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
    if (contact.kind === 'utanforTeams') outsideTeamsIds.add(contact.id);
    if (contact.aadObjectId === undefined) return;
    if (objectIds.has(contact.aadObjectId.toLowerCase())) {
      ctx.addIssue({
        code: 'custom',
        path: ['contacts', index, 'aadObjectId'],
        message: 'Samma Teams-identitet (aadObjectId) finns redan hos en annan kontakt',
      });
    }
    objectIds.add(contact.aadObjectId.toLowerCase());
  });

  // Barnkontakter, deputies, the fallback and the intake receive cards, so they must be in Teams.
  const checkContactRef = (id: string, path: (string | number)[]) => {
    if (!contactIds.has(id)) {
      ctx.addIssue({ code: 'custom', path, message: `Kontakten "${id}" finns inte under contacts` });
    } else if (outsideTeamsIds.has(id)) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `Kontakten "${id}" är utanför Teams (kind utanforTeams) och kan inte ta emot kort: ange någon i Teams`,
      });
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
  directory.units.forEach((unit, index) => {
    checkHandover(unit, unitsById, ['units', index, 'handsOverTo'], ctx);
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

  checkBarnteams(directory, unitsById, contactIds, ctx);

  directory.sipDutyUnits.forEach((unitId, index) => {
    if (!unitsById.has(unitId)) {
      ctx.addIssue({
        code: 'custom',
        path: ['sipDutyUnits', index],
        message: `Enheten "${unitId}" finns inte under units`,
      });
    }
  });
  directory.contacts.forEach((contact, index) => {
    if (contact.unit !== undefined && !unitsById.has(contact.unit)) {
      ctx.addIssue({
        code: 'custom',
        path: ['contacts', index, 'unit'],
        message: `Enheten "${contact.unit}" finns inte under units`,
      });
    }
  });
  checkHostTeams(directory, unitsById, ctx);
  // The figures are read in the personal chat, so a member of the process team must be in Teams.
  directory.processTeam.forEach((id, index) => {
    checkContactRef(id, ['processTeam', index]);
  });
  // The review is asked for and sent in the personal chat, so a reviewer must be in Teams.
  const reviewers = new Set<string>();
  directory.logReview.reviewers.forEach((id, index) => {
    checkContactRef(id, ['logReview', 'reviewers', index]);
    if (reviewers.has(id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['logReview', 'reviewers', index],
        message: `Loggranskaren "${id}" står två gånger`,
      });
    }
    reviewers.add(id);
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
}).transform(({ contacts, ...rest }) => ({
  ...rest,
  /** The people in Teams (medarbetare and gäster), in the file's order. */
  contacts: contacts.flatMap((entry): Contact[] =>
    entry.kind === 'utanforTeams' || entry.aadObjectId === undefined
      ? []
      : [{ ...entry, kind: entry.kind, aadObjectId: entry.aadObjectId }],
  ),
  /** The people reached only by e-mail, in the file's order. */
  contactsOutsideTeams: contacts.flatMap((entry): ContactOutsideTeams[] => {
    if (entry.kind !== 'utanforTeams') return [];
    const { aadObjectId: _id, tenantId: _tenant, ...person } = entry;
    return [{ ...person, kind: 'utanforTeams' }];
  }),
}));
/**
 * The parsed directory. The file lists everyone under `contacts` with their kind; here the people
 * in Teams are `contacts` and those reached only by e-mail are `contactsOutsideTeams`.
 */
export type Directory = z.output<typeof ZDirectory>;

/**
 * The host teams for a channel of a child at `unitId`, in the order to try: those listed for the
 * unit, then those for the whole municipality, each in the file's order.
 */
export function findHostTeams(directory: Directory, unitId: string): HostTeam[] {
  const teams = directory.teamChannels.hostTeams;
  return [
    ...teams.filter((team) => team.units.includes(unitId)),
    ...teams.filter((team) => team.units.length === 0),
  ];
}

function checkHostTeams(
  directory: DirectoryShape,
  unitsById: ReadonlyMap<string, Unit>,
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  directory.teamChannels.hostTeams.forEach((team, index) => {
    const key = team.teamId.toLowerCase();
    if (seen.has(key)) {
      ctx.addIssue({
        code: 'custom',
        path: ['teamChannels', 'hostTeams', index, 'teamId'],
        message: 'Teamet står två gånger',
      });
    }
    seen.add(key);
    team.units.forEach((unitId, unitIndex) => {
      if (!unitsById.has(unitId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['teamChannels', 'hostTeams', index, 'units', unitIndex],
          message: `Enheten "${unitId}" finns inte under units`,
        });
      }
    });
  });
}

export function findUnit(directory: Directory, unitId: string): Unit | undefined {
  return directory.units.find((unit) => unit.id === unitId);
}

export function findContact(directory: Directory, contactId: string): Contact | undefined {
  return directory.contacts.find((contact) => contact.id === contactId);
}

/** A contact in Teams or outside it: for Barnteam members, who may be either. */
export function findBarnteamContact(directory: Directory, contactId: string): BarnteamContact | undefined {
  return (
    findContact(directory, contactId) ??
    directory.contactsOutsideTeams.find((contact) => contact.id === contactId)
  );
}

/** Whether a planned absence covers the Stockholm date `on`. */
export function isContactAway(contact: Contact, on: string): boolean {
  return contact.absences.some((absence) => absence.from <= on && on <= absence.to);
}

type DirectoryShape = z.infer<typeof ZDirectoryShape>;

/** Each unit a unit hands over to exists, is listed once, and serves a later age band. */
function checkHandover(
  unit: Unit,
  unitsById: ReadonlyMap<string, Unit>,
  path: (string | number)[],
  ctx: z.RefinementCtx,
): void {
  const fromAge = unitTypesByAge.indexOf(unit.type);
  const seen = new Set<string>();
  unit.handsOverTo.forEach((targetId, index) => {
    const target = unitsById.get(targetId);
    const at = [...path, index];
    if (seen.has(targetId)) {
      ctx.addIssue({ code: 'custom', path: at, message: `Enheten "${targetId}" står två gånger` });
    } else if (target === undefined) {
      ctx.addIssue({ code: 'custom', path: at, message: `Enheten "${targetId}" finns inte under units` });
    } else if (fromAge < 0 || unitTypesByAge.indexOf(target.type) <= fromAge) {
      ctx.addIssue({
        code: 'custom',
        path: at,
        message:
          `En enhet av typen ${unit.type} kan inte lämna över barn till "${targetId}" (typen ${target.type}): ` +
          'barnen lämnas över i ordningen bmm, bvc, forskola, grundskola',
      });
    }
    seen.add(targetId);
  });
}

/**
 * A Barnteam's references hold: its units exist and have a Barnkontakt (the convener), its
 * members are listed contacts, nobody is both convener and member or a member twice, and no
 * unit has two teams for the same ages (a child must have one team).
 */
function checkBarnteams(
  directory: DirectoryShape,
  unitsById: ReadonlyMap<string, Unit>,
  contactIds: ReadonlySet<string>,
  ctx: z.RefinementCtx,
): void {
  const teamIds = new Set<string>();
  const seenAtUnit: { unitId: string; teamId: string; ages?: { from: number; to: number } }[] = [];
  directory.barnteams.forEach((team, teamIndex) => {
    const at = (...path: (string | number)[]) => ['barnteams', teamIndex, ...path];
    if (teamIds.has(team.id)) {
      ctx.addIssue({
        code: 'custom',
        path: at('id'),
        message: `Barnteam-id "${team.id}" används redan av ett annat Barnteam`,
      });
    }
    teamIds.add(team.id);
    const conveners = new Set<string>();
    team.units.forEach((unitId, unitIndex) => {
      const unit = unitsById.get(unitId);
      if (unit === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: at('units', unitIndex),
          message: `Enheten "${unitId}" finns inte under units`,
        });
        return;
      }
      if (unit.barnkontakt === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: at('units', unitIndex),
          message: `Enheten "${unitId}" har ingen barnkontakt, och Barnteamet leds av Barnkontakten: ange barnkontakt för enheten först`,
        });
      } else {
        conveners.add(unit.barnkontakt);
      }
      const clash = seenAtUnit.find((seen) => seen.unitId === unitId && agesOverlap(seen.ages, team.ages));
      if (clash !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: at('units', unitIndex),
          message: `Enheten "${unitId}" har redan Barnteamet "${clash.teamId}" för samma åldrar`,
        });
      }
      seenAtUnit.push({ unitId, teamId: team.id, ...(team.ages === undefined ? {} : { ages: team.ages }) });
    });
    const members = new Set<string>();
    team.members.forEach((member, memberIndex) => {
      if (!contactIds.has(member.contact)) {
        ctx.addIssue({
          code: 'custom',
          path: at('members', memberIndex, 'contact'),
          message: `Kontakten "${member.contact}" finns inte under contacts`,
        });
      } else if (conveners.has(member.contact)) {
        ctx.addIssue({
          code: 'custom',
          path: at('members', memberIndex, 'contact'),
          message: `"${member.contact}" är Barnkontakt och sammankallande för Barnteamet och ska inte också stå som medlem`,
        });
      } else if (members.has(member.contact)) {
        ctx.addIssue({
          code: 'custom',
          path: at('members', memberIndex, 'contact'),
          message: `Medlemmen "${member.contact}" står två gånger`,
        });
      }
      members.add(member.contact);
    });
  });
}

function agesOverlap(
  a: { from: number; to: number } | undefined,
  b: { from: number; to: number } | undefined,
): boolean {
  if (a === undefined || b === undefined) return true;
  return a.from <= b.to && b.from <= a.to;
}

/**
 * A member resolved against the contacts: who to invite, and by which address to read the
 * calendar. A member outside Teams is invited by e-mail and gets no cards.
 */
export interface ResolvedBarnteamMember {
  readonly role: BarnteamMemberRole;
  readonly roleLabel: string;
  readonly contact: BarnteamContact;
  readonly required: boolean;
}

/** A unit's Barnteam, ready for booking: the convener is the unit's Barnkontakt. */
export interface ResolvedBarnteam {
  readonly id: string;
  readonly name: string;
  readonly unitId: string;
  readonly unitName: string;
  readonly convener: Contact;
  /** The unit's deputies, in order: who convenes while the Barnkontakt is away. */
  readonly convenerDeputies: readonly Contact[];
  readonly members: readonly ResolvedBarnteamMember[];
  readonly meetingMinutes: number;
  readonly bookingHorizonDays: number;
  readonly minimumNoticeWorkingDays: number;
  readonly agenda: readonly string[];
  readonly reminderOffsets: readonly MeetingReminderOffset[];
}

/**
 * The Barnteam that meets about children of `unitId`. With `ageYears` (the child's completed
 * years), a team for that age band wins over one for every age; without it, only a team for
 * every age matches when the unit has teams per age band.
 *
 * @returns undefined when the unit has no Barnteam (or no Barnkontakt to convene it).
 */
export function findBarnteamForUnit(
  directory: Directory,
  unitId: string,
  ageYears?: number,
): ResolvedBarnteam | undefined {
  const unit = findUnit(directory, unitId);
  const convener = unit?.barnkontakt === undefined ? undefined : findContact(directory, unit.barnkontakt);
  if (unit === undefined || convener === undefined) return undefined;
  const candidates = directory.barnteams.filter((team) => team.units.includes(unitId));
  const team =
    (ageYears === undefined
      ? undefined
      : candidates.find(
          (item) => item.ages !== undefined && item.ages.from <= ageYears && ageYears <= item.ages.to,
        )) ?? candidates.find((item) => item.ages === undefined);
  if (team === undefined) return undefined;
  return {
    id: team.id,
    name: team.name,
    unitId,
    unitName: unit.name,
    convener,
    convenerDeputies: unit.deputies.flatMap((id) => findContact(directory, id) ?? []),
    members: team.members.flatMap((member) => {
      const contact = findBarnteamContact(directory, member.contact);
      return contact === undefined
        ? []
        : [
            {
              role: member.role,
              roleLabel: barnteamMemberRoleLabels[member.role],
              contact,
              required: member.required,
            },
          ];
    }),
    meetingMinutes: team.meetingMinutes,
    bookingHorizonDays: team.bookingHorizonDays,
    minimumNoticeWorkingDays: team.minimumNoticeWorkingDays,
    agenda: team.agenda,
    reminderOffsets: team.reminderOffsets,
  };
}
