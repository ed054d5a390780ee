/**
 * Who may see and do what in a case: the ONE place that decides it. Every handler, card refresh
 * and tab request asks `authorize` (or `assertAllowed`) with the user taken from the activity or
 * the validated token. Principles (docs/domain.md, "Information sharing"):
 * - a person sees a case only through an active role in it: being a Barnkontakt elsewhere,
 *   or having had a role that ended, grants nothing;
 * - an Upptäckare sees what they filed and whether it was received (`kvitto`), not the
 *   Barnkontakt's later notes;
 * - only the current Barnkontakt, or the deputy named to act for them, answers the card;
 * - once a case is avböjt, stopped by a withdrawn consent or closed, only the minimum remains.
 * Pure: it reads the case and returns a decision; writing the audit row is the caller's job.
 */
import {
  type Case,
  type CaseRole,
  type CaseState,
  type ChronologyEntry,
  type Instant,
  type RoleAssignment,
  type UserId,
  ZRoleAssignment,
} from './case.js';
import { DomainError } from './errors.js';
import { allowedEvents, type CaseEvent, caseEvents, isClosedState, stateLabels } from './transitions.js';

export const caseActions = [
  'lasArende',
  'lasPlan',
  'redigeraPlan',
  'registreraSamtycke',
  'registreraSkriftligtSamtycke',
  'registreraSamtal',
  'hanteraRoller',
  'hanteraTeam',
  'utseStodsamordnare',
  'uppdateraAtgard',
  'antecknaUppfoljning',
  'skattaFordjupadBehovskompass',
  ...caseEvents,
] as const;
export type CaseAction = (typeof caseActions)[number];

/** How much of a case a person sees: `kvitto` is the receipt, `fullt` the whole case. */
export type ViewLevel = 'kvitto' | 'fullt';

export type AccessDecision =
  | { readonly allowed: true; readonly role: CaseRole; readonly view: ViewLevel }
  | { readonly allowed: false; readonly reason: string };

/** Facts from the directory that access needs but the case does not hold. */
export interface AccessContext {
  /** Units whose organisation has a statutory duty to initiate SIP (may start an Individuellt barnteam directly). */
  readonly unitsWithSipDuty?: readonly string[];
  /**
   * People the directory places at such a unit (their contact's `unit`, or its Barnkontakt or
   * deputy): a role in the case with no unit of its own (an Upptäckare) still carries the duty.
   */
  readonly usersWithSipDuty?: readonly string[];
}

/** Swedish names of the roles, as in "Du är … i ärendet". */
export const roleLabels: Readonly<Record<CaseRole, string>> = {
  upptackare: 'Upptäckare',
  barnkontakt: 'Barnkontakt',
  ersattare: 'ersättare för Barnkontakten',
  stodsamordnare: 'Stödsamordnare',
  teammedlem: 'medlem i teamet',
};

/** The same roles as the subject of "Bara … kan". */
const roleSubjects: Readonly<Record<CaseRole, string>> = {
  upptackare: 'Upptäckaren',
  barnkontakt: 'Barnkontakten',
  ersattare: 'Barnkontaktens ersättare',
  stodsamordnare: 'Stödsamordnaren',
  teammedlem: 'teamets medlemmar',
};

const actionPhrases: Readonly<Record<CaseAction, string>> = {
  lasArende: 'läsa ärendet',
  lasPlan: 'läsa Barnets plan',
  redigeraPlan: 'ändra Barnets plan',
  registreraSamtycke: 'registrera samtycke',
  registreraSkriftligtSamtycke: 'registrera skriftligt samtycke',
  registreraSamtal: 'registrera barnsamtal och uppföljningssamtal',
  hanteraRoller: 'lägga till eller avsluta roller i ärendet',
  hanteraTeam: 'lägga till eller ta bort medlemmar i det Individuella barnteamet',
  utseStodsamordnare: 'utse Stödsamordnare',
  uppdateraAtgard: 'ändra status på en åtgärd i Barnets plan',
  antecknaUppfoljning: 'skriva en anteckning till en uppföljning i Barnets plan',
  skattaFordjupadBehovskompass: 'skatta i den Fördjupade behovskompassen',
  valjStodIEgenVerksamhet: 'välja stöd i egen verksamhet',
  gorOrosanmalan: 'välja orosanmälan till socialtjänsten',
  aktiveraBarnkontakt: 'aktivera Barnkontakten',
  taEmot: 'ta emot ärendet',
  skickaVidare: 'skicka ärendet vidare',
  avboj: 'avböja ärendet',
  paborjaSamtal: 'påbörja barnsamtal',
  beslutaStodIEgenVerksamhet: 'besluta om stöd i egen verksamhet',
  beslutaBarnteam: 'besluta att lyfta ärendet till Barnteam',
  beslutaOrosanmalan: 'besluta om orosanmälan',
  beslutaBehovUppfyllt: 'besluta att barnets behov är uppfyllt',
  startaIndividuelltBarnteam: 'starta ett Individuellt barnteam',
  startaIndividuelltBarnteamSip: 'starta ett Individuellt barnteam direkt',
  faststallPlan: 'fastställa Barnets plan',
  aterupptaSamtal: 'följa upp med nytt samtal',
  markeraBehovUppfyllt: 'markera barnets behov som uppfyllt',
  avsluta: 'avsluta ärendet',
  aterkallaSamtycke: 'registrera att samtycket återkallas',
};

/** A role may act when it is listed and, where given, the condition holds (else `unless` is the reason). */
type Condition = (caseValue: Case, assignment: RoleAssignment, context: AccessContext) => boolean;

interface Rule {
  readonly roles: readonly CaseRole[];
  readonly when?: Condition;
  readonly unless?: string;
}

const barnkontaktRoles: readonly CaseRole[] = ['barnkontakt', 'ersattare'];
const everyRole: readonly CaseRole[] = [
  'barnkontakt',
  'ersattare',
  'stodsamordnare',
  'teammedlem',
  'upptackare',
];
const planStates: readonly CaseState[] = ['individuelltBarnteam', 'planAktiv', 'behovUppfyllt'];

const noPlanYet = 'Ärendet har ingen Barnets plan ännu.';
const sipOnly =
  'Bara en verksamhet med skyldighet att initiera SIP kan starta ett Individuellt barnteam direkt.';
const barnkontaktOwnsIt = 'Ärendet har en Barnkontakt, och det är Barnkontakten som leder arbetet nu.';

const hasPlan: Condition = (caseValue) => planStates.includes(caseValue.state);
const hasSipDuty: Condition = (_caseValue, assignment, context) =>
  (assignment.unitId !== undefined && (context.unitsWithSipDuty ?? []).includes(assignment.unitId)) ||
  (context.usersWithSipDuty ?? []).includes(assignment.userId);
// Who started a team under a SIP duty also calls its members (seeds/002: "kalla till Individuellt barnteam").
const startedTheTeam: Condition = (caseValue, assignment) =>
  caseValue.individuelltBarnteam?.via === 'sip' &&
  caseValue.individuelltBarnteam.startedBy === assignment.userId;
const teamStarted: Condition = (caseValue) =>
  caseValue.individuelltBarnteam !== undefined && planStates.includes(caseValue.state);
const noTeamYet = 'Ärendet har inget Individuellt barnteam ännu.';
// The Upptäckare leads their own path (support in their organisation, a report) until a Barnkontakt is in the case.
const noBarnkontaktYet: Condition = (caseValue) => currentBarnkontakt(caseValue) === undefined;

const barnkontaktOnly: readonly Rule[] = [{ roles: barnkontaktRoles }];
const leadsSupport: readonly Rule[] = [
  { roles: barnkontaktRoles },
  { roles: ['stodsamordnare'] },
  { roles: ['upptackare'], when: noBarnkontaktYet, unless: barnkontaktOwnsIt },
];

const actionRules: Readonly<Record<CaseAction, readonly Rule[]>> = {
  lasArende: [{ roles: everyRole }],
  lasPlan: [
    { roles: ['barnkontakt', 'ersattare', 'stodsamordnare', 'teammedlem'], when: hasPlan, unless: noPlanYet },
  ],
  // Barnkontakten starts the plan; once a Stödsamordnare is appointed, they own it (seeds/000).
  redigeraPlan: [
    { roles: ['stodsamordnare'], when: hasPlan, unless: noPlanYet },
    {
      roles: barnkontaktRoles,
      when: (caseValue, assignment, context) =>
        hasPlan(caseValue, assignment, context) && !hasActiveRole(caseValue, 'stodsamordnare'),
      unless: 'Det är Stödsamordnaren som ansvarar för Barnets plan, eller så finns ingen plan ännu.',
    },
  ],
  registreraSamtycke: [
    ...leadsSupport,
    // Whoever starts an Individuellt barnteam under a SIP duty also gathers the consent (seeds/002).
    { roles: ['teammedlem'], when: hasSipDuty, unless: sipOnly },
  ],
  // The signed forms before Barnteam and Individuellt barnteam are the Barnkontakt's to gather
  // (seeds/002: "digitalt samtycke inhämtas av Barnkontakt i förskola/skola").
  registreraSkriftligtSamtycke: barnkontaktOnly,
  registreraSamtal: barnkontaktOnly,
  hanteraRoller: [{ roles: barnkontaktRoles }, { roles: ['stodsamordnare'] }],
  // The convener picks the team: the Barnkontakt, the Stödsamordnare, or who started it under a SIP duty.
  hanteraTeam: [
    { roles: barnkontaktRoles, when: teamStarted, unless: noTeamYet },
    { roles: ['stodsamordnare'], when: teamStarted, unless: noTeamYet },
    {
      roles: ['teammedlem'],
      when: (caseValue, assignment, context) =>
        teamStarted(caseValue, assignment, context) && startedTheTeam(caseValue, assignment, context),
      unless: 'Bara den som sammankallar teamet kan ändra vilka som är med.',
    },
  ],
  // Any member may open the form; the use case lets only the plan's owner or the action's owner save.
  uppdateraAtgard: [
    { roles: ['barnkontakt', 'ersattare', 'stodsamordnare', 'teammedlem'], when: hasPlan, unless: noPlanYet },
  ],
  // Every member with a role in the plan took part in the follow-up and may note what they saw.
  antecknaUppfoljning: [
    { roles: ['barnkontakt', 'ersattare', 'stodsamordnare', 'teammedlem'], when: hasPlan, unless: noPlanYet },
  ],
  // The team rates the sub-areas together, and whoever in it holds the keyboard records the ratings.
  skattaFordjupadBehovskompass: [
    { roles: ['barnkontakt', 'ersattare', 'stodsamordnare', 'teammedlem'], when: hasPlan, unless: noPlanYet },
  ],
  // The team appoints the Stödsamordnare; the Barnkontakt, who owns the plan until then, records it.
  utseStodsamordnare: [{ roles: barnkontaktRoles, when: teamStarted, unless: noTeamYet }],
  valjStodIEgenVerksamhet: [{ roles: ['upptackare'] }],
  gorOrosanmalan: [{ roles: ['upptackare'] }],
  aktiveraBarnkontakt: [{ roles: ['upptackare'] }],
  taEmot: barnkontaktOnly,
  skickaVidare: barnkontaktOnly,
  avboj: barnkontaktOnly,
  paborjaSamtal: barnkontaktOnly,
  beslutaStodIEgenVerksamhet: barnkontaktOnly,
  beslutaBarnteam: barnkontaktOnly,
  beslutaOrosanmalan: barnkontaktOnly,
  beslutaBehovUppfyllt: barnkontaktOnly,
  startaIndividuelltBarnteam: barnkontaktOnly,
  startaIndividuelltBarnteamSip: [{ roles: everyRole, when: hasSipDuty, unless: sipOnly }],
  // Adopting the plan is its owner's: the Barnkontakt until a Stödsamordnare is appointed.
  faststallPlan: [
    { roles: ['stodsamordnare'] },
    {
      roles: barnkontaktRoles,
      when: (caseValue) => !hasActiveRole(caseValue, 'stodsamordnare'),
      unless: 'Det är Stödsamordnaren som ansvarar för Barnets plan och fastställer den.',
    },
  ],
  aterupptaSamtal: barnkontaktOnly,
  markeraBehovUppfyllt: leadsSupport,
  avsluta: leadsSupport,
  // The family may tell anyone in the case; recording it must never be harder than that.
  aterkallaSamtycke: [{ roles: everyRole }],
};

// When a person holds several roles, the one that can do most answers for them.
const rolePriority: readonly CaseRole[] = [
  'barnkontakt',
  'ersattare',
  'stodsamordnare',
  'teammedlem',
  'upptackare',
];

/** A role counts only while it has no end. */
export function isRoleActive(assignment: RoleAssignment): boolean {
  return assignment.until === undefined;
}

/** The case's Barnkontakt now, if any. */
export function currentBarnkontakt(caseValue: Case): RoleAssignment | undefined {
  return caseValue.roles.find((assignment) => assignment.role === 'barnkontakt' && isRoleActive(assignment));
}

/**
 * Decides whether `userId` may do `action` in the case. Does not check the process state for
 * events (that is `applyTransition`'s refusal); it checks who is asking.
 */
export function authorize(
  caseValue: Case,
  userId: UserId,
  action: CaseAction,
  context: AccessContext = {},
): AccessDecision {
  const own = caseValue.roles.filter((assignment) => assignment.userId === userId);
  if (own.length === 0) {
    return { allowed: false, reason: 'Du har ingen roll i ärendet och kan därför inte se eller ändra det.' };
  }
  const active = own.filter(isRoleActive);
  if (active.length === 0) {
    const ended = own.map((assignment) => roleLabels[assignment.role]);
    return {
      allowed: false,
      reason: `Din roll i ärendet (${joinSwedish(unique(ended), 'och')}) har upphört, så du har inte längre tillgång till det.`,
    };
  }
  const effective = sortByPriority(active.filter((assignment) => isEffective(caseValue, assignment)));
  if (effective.length === 0) {
    return {
      allowed: false,
      reason:
        'Du är ersättare för en Barnkontakt som inte längre har ärendet, så ersättarrollen ger ingen behörighet.',
    };
  }
  const view = viewLevelOf(caseValue, effective);
  const firstRole = effective[0] as RoleAssignment;
  if (isClosedState(caseValue.state)) {
    if (action === 'lasArende') {
      return { allowed: true, role: firstRole.role, view };
    }
    return {
      allowed: false,
      reason: `${stateLabels[caseValue.state]}: bara ärendets referens och status finns kvar, så det går inte längre att ${actionPhrases[action]}.`,
    };
  }
  const rules = actionRules[action];
  let conditionReason: string | undefined;
  for (const assignment of effective) {
    for (const rule of rules) {
      if (!rule.roles.includes(assignment.role)) {
        continue;
      }
      if (rule.when === undefined || rule.when(caseValue, assignment, context)) {
        return { allowed: true, role: assignment.role, view };
      }
      conditionReason ??= rule.unless;
    }
  }
  if (conditionReason !== undefined) {
    return { allowed: false, reason: conditionReason };
  }
  const mine = joinSwedish(unique(effective.map((assignment) => roleLabels[assignment.role])), 'och');
  const permitted = describePermittedRoles(rules.flatMap((rule) => rule.roles));
  return {
    allowed: false,
    reason: `Du är ${mine} i ärendet. Bara ${permitted} kan ${actionPhrases[action]}.`,
  };
}

/**
 * "Barnkontakten eller …" for a refusal. A deputy gets the `ersattare` role only while the
 * Barnkontakt is away or after an unanswered card was escalated to them, so a text that simply
 * said "or the deputy" would send a deputy to a button that refuses them.
 */
function describePermittedRoles(roles: readonly CaseRole[]): string {
  const listed = unique(roles.filter((role) => role !== 'ersattare').map((role) => roleSubjects[role]));
  const text = joinSwedish(listed, 'eller');
  return roles.includes('ersattare') && roles.includes('barnkontakt') ? `${text} (${deputyCondition})` : text;
}

const deputyCondition =
  'eller Barnkontaktens ersättare, när Barnkontakten är frånvarande eller ett obesvarat kort har gått vidare till ersättaren';

/**
 * Why a deputy named in the directory may not act yet: they have no role in the case until the
 * Barnkontakt they stand in for is away or the card is escalated to them.
 */
export function describeDeputyWaiting(barnkontaktName: string): string {
  return `Du är ersättare för Barnkontakten ${barnkontaktName}, men ärendet ligger hos ${barnkontaktName}. Du kan ta emot det när ${barnkontaktName} är frånvarande eller om kortet inte besvaras i tid och skickas vidare till dig.`;
}

/**
 * Throwing variant of `authorize`.
 *
 * @throws DomainError('accessDenied') with the Swedish reason.
 */
export function assertAllowed(
  caseValue: Case,
  userId: UserId,
  action: CaseAction,
  context: AccessContext = {},
): { readonly role: CaseRole; readonly view: ViewLevel } {
  const decision = authorize(caseValue, userId, action, context);
  if (!decision.allowed) {
    throw new DomainError('accessDenied', decision.reason, { action });
  }
  return { role: decision.role, view: decision.view };
}

/** The buttons to show this user: what the process allows now and what this user may do. */
export function allowedEventsFor(caseValue: Case, userId: UserId, context: AccessContext = {}): CaseEvent[] {
  return allowedEvents(caseValue).filter((event) => authorize(caseValue, userId, event, context).allowed);
}

export const receiptStatuses = [
  'registrerat',
  'vantarPaSvar',
  'mottaget',
  'egetStod',
  'orosanmalan',
  'behovUppfyllt',
  'avbojt',
  'stoppat',
  'avslutat',
] as const;
export type ReceiptStatus = (typeof receiptStatuses)[number];

export const receiptStatusLabels: Readonly<Record<ReceiptStatus, string>> = {
  registrerat: 'Upptäckarkortet är registrerat',
  vantarPaSvar: 'Skickat till Barnkontakten, väntar på svar',
  mottaget: 'Mottaget av Barnkontakten',
  egetStod: 'Stöd i egen verksamhet',
  orosanmalan: 'Orosanmälan till socialtjänsten',
  behovUppfyllt: 'Barnets behov är uppfyllt',
  avbojt: 'Avböjt av Barnkontakten',
  stoppat: 'Samtycket är återkallat: inget mer delas',
  avslutat: 'Avslutat',
};

/** What a `kvitto` shows: the reference, whether the card was received, and the viewer's own entries. */
export interface CaseReceipt {
  readonly id: string;
  readonly reference: string;
  readonly unitId: string;
  readonly status: ReceiptStatus;
  readonly statusLabel: string;
  readonly createdAt: Instant;
  readonly updatedAt: Instant;
  readonly chronology: readonly ChronologyEntry[];
}

export type CaseView =
  | { readonly level: 'fullt'; readonly case: Case }
  | { readonly level: 'kvitto'; readonly receipt: CaseReceipt };

/**
 * The case as this user may see it. The child's details are left out of a receipt: the case
 * reference is enough for the Upptäckare to know which card it is.
 *
 * @throws DomainError('accessDenied') when the user may not read the case at all.
 */
export function viewCaseFor(caseValue: Case, userId: UserId): CaseView {
  const { view } = assertAllowed(caseValue, userId, 'lasArende');
  if (view === 'fullt') {
    return { level: 'fullt', case: caseValue };
  }
  return { level: 'kvitto', receipt: buildReceipt(caseValue, userId) };
}

/** The receipt for one viewer: their own entries in full, the Barnkontakt's answer, nothing after it. */
export function buildReceipt(caseValue: Case, viewerId: UserId): CaseReceipt {
  const status = receiptStatusOf(caseValue);
  return {
    id: caseValue.id,
    reference: caseValue.reference,
    unitId: caseValue.unitId,
    status,
    statusLabel: receiptStatusLabels[status],
    createdAt: caseValue.createdAt,
    updatedAt: caseValue.updatedAt,
    chronology: caseValue.chronology.flatMap((entry) => receiptEntry(entry, viewerId)),
  };
}

// The Barnkontakt's answer is the receipt; a decline's reason is written for the Upptäckare.
const answerEvents: readonly string[] = ['taEmot', 'skickaVidare', 'avboj', 'aterkallaSamtycke', 'avsluta'];
const answerNotesShown: readonly string[] = ['avboj'];

function receiptEntry(entry: ChronologyEntry, viewerId: UserId): ChronologyEntry[] {
  if (entry.by === viewerId) {
    return [entry];
  }
  if (!answerEvents.includes(entry.event)) {
    return [];
  }
  if (answerNotesShown.includes(entry.event)) {
    return [entry];
  }
  const { note: _hidden, ...withoutNote } = entry;
  return [withoutNote];
}

function receiptStatusOf(caseValue: Case): ReceiptStatus {
  switch (caseValue.state) {
    case 'upptackt':
      return 'registrerat';
    case 'vantarPaBarnkontakt':
      return 'vantarPaSvar';
    case 'avbojd':
      return 'avbojt';
    case 'samtyckeAterkallat':
      return 'stoppat';
    case 'avslutad':
      return 'avslutat';
    default:
      break;
  }
  const accepted = caseValue.chronology.some((entry) => entry.event === 'taEmot');
  // Once a Barnkontakt has taken the case, what they decided is theirs to share, not the receipt's.
  if (accepted) {
    return 'mottaget';
  }
  if (caseValue.state === 'stodIEgenVerksamhet') {
    return 'egetStod';
  }
  if (caseValue.state === 'orosanmalan') {
    return 'orosanmalan';
  }
  if (caseValue.state === 'behovUppfyllt') {
    return 'behovUppfyllt';
  }
  return 'mottaget';
}

/** Who records a role change, and when. */
export interface RoleChange {
  readonly actor: UserId | 'system';
  readonly at: Instant;
}

/**
 * Adds a role to the case, with a chronology entry. A case has one Barnkontakt at a time (end
 * the old one first, e.g. when forwarding), and a deputy must name the Barnkontakt they act for.
 *
 * @throws DomainError('invalidInput') for an invalid assignment, a second Barnkontakt, a deputy
 *   without `actingFor`; DomainError('alreadyExists') when the person already holds that role.
 */
export function withRole(caseValue: Case, assignment: RoleAssignment, change: RoleChange): Case {
  const parsed = ZRoleAssignment.safeParse(assignment);
  if (!parsed.success || assignment.until !== undefined) {
    throw new DomainError('invalidInput', 'Rollen är inte korrekt ifylld.');
  }
  if (assignment.role === 'ersattare' && assignment.actingFor === undefined) {
    throw new DomainError('invalidInput', 'En ersättare måste ange vilken Barnkontakt hen ersätter.');
  }
  if (assignment.role === 'barnkontakt' && currentBarnkontakt(caseValue) !== undefined) {
    throw new DomainError(
      'invalidInput',
      'Ärendet har redan en Barnkontakt. Avsluta den rollen först, till exempel genom att skicka ärendet vidare.',
    );
  }
  const duplicate = caseValue.roles.some(
    (existing) =>
      existing.userId === assignment.userId && existing.role === assignment.role && isRoleActive(existing),
  );
  if (duplicate) {
    throw new DomainError('alreadyExists', `Personen är redan ${roleLabels[assignment.role]} i ärendet.`);
  }
  return {
    ...caseValue,
    roles: [...caseValue.roles, parsed.data],
    chronology: [
      ...caseValue.chronology,
      {
        at: change.at,
        by: change.actor,
        event: 'rollTillagd',
        note: `${roleLabels[assignment.role]}: ${assignment.displayName}`,
      },
    ],
    updatedAt: change.at,
  };
}

/**
 * Ends a person's active role (kept, with `until`, for the chronology).
 *
 * @throws DomainError('notFound') when the person holds no such active role.
 */
export function endRole(
  caseValue: Case,
  target: { readonly userId: UserId; readonly role: CaseRole },
  change: RoleChange,
): Case {
  const index = caseValue.roles.findIndex(
    (existing) =>
      existing.userId === target.userId && existing.role === target.role && isRoleActive(existing),
  );
  const existing = caseValue.roles[index];
  if (existing === undefined) {
    throw new DomainError(
      'notFound',
      `Personen har ingen aktiv roll som ${roleLabels[target.role]} i ärendet.`,
    );
  }
  const roles = caseValue.roles.map((assignment, position) =>
    position === index ? { ...assignment, until: change.at } : assignment,
  );
  return {
    ...caseValue,
    roles,
    chronology: [
      ...caseValue.chronology,
      {
        at: change.at,
        by: change.actor,
        event: 'rollAvslutad',
        note: `${roleLabels[target.role]}: ${existing.displayName}`,
      },
    ],
    updatedAt: change.at,
  };
}

function isEffective(caseValue: Case, assignment: RoleAssignment): boolean {
  if (assignment.role !== 'ersattare') {
    return true;
  }
  // A deputy acts for one named Barnkontakt; when that person hands the case on, the cover lapses.
  return assignment.actingFor !== undefined && currentBarnkontakt(caseValue)?.userId === assignment.actingFor;
}

function viewLevelOf(caseValue: Case, effective: readonly RoleAssignment[]): ViewLevel {
  if (isClosedState(caseValue.state)) {
    return 'kvitto';
  }
  return effective.some((assignment) => assignment.role !== 'upptackare') ? 'fullt' : 'kvitto';
}

function hasActiveRole(caseValue: Case, role: CaseRole): boolean {
  return caseValue.roles.some((assignment) => assignment.role === role && isRoleActive(assignment));
}

function sortByPriority(assignments: readonly RoleAssignment[]): RoleAssignment[] {
  return [...assignments].sort((a, b) => rolePriority.indexOf(a.role) - rolePriority.indexOf(b.role));
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function joinSwedish(parts: readonly string[], conjunction: 'och' | 'eller'): string {
  if (parts.length <= 1) {
    return parts.join('');
  }
  return `${parts.slice(0, -1).join(', ')} ${conjunction} ${parts.at(-1)}`;
}
