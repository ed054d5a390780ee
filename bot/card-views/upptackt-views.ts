/**
 * From a stored case to the data of the card a given user is shown: the ONE place that maps a
 * case onto the cards' data types. Each mapping first asks the domain what this viewer may see
 * (flows/kernel/case-view.ts, flows/kernel/access.ts) and returns `undefined` when the answer is "nothing",
 * so a caller cannot render a card for the wrong person by forgetting a check.
 *
 * Used by the card actions (handlers/) and by the notice renderer that turns outbox notices into
 * cards at delivery time.
 */

import type { BarnteamPaminnelseData } from '../../cards/barnteam/barnteam-paminnelse.js';
import type { AreaRatings } from '../../cards/card-parts.js';
import type { AdaptiveCardJson } from '../../cards/render-template.js';
import { formatSwedishDateOfInstant } from '../../cards/swedish-format.js';
import type { BarnkontaktNotisData } from '../../cards/upptackt/barnkontakt-notis.js';
import {
  type BarnkontaktNotisBesvaradData,
  type BesvaradState,
  buildCaseNavigationActions,
} from '../../cards/upptackt/barnkontakt-notis-besvarad.js';
import type { OrosanmalanData } from '../../cards/upptackt/orosanmalan.js';
import type {
  KvittoDelivery,
  KvittoStatus,
  UpptackarkortKvittoData,
} from '../../cards/upptackt/upptackarkort-kvitto.js';
import { upptackareMemberRole } from '../../flows/barnteam/meeting-reminders.js';
import { authorize, isRoleActive } from '../../flows/kernel/access.js';
import type { CalendarDate, Case, ChronologyEntry, UserId } from '../../flows/kernel/case.js';
import { currentRouting, findUpptackare } from '../../flows/kernel/case-effects.js';
import { viewCaseFor } from '../../flows/kernel/case-view.js';
import {
  type Directory,
  defaultBarnteamAgenda,
  findBarnteamForUnit,
  findContact,
  findUnit,
  type Unit,
  unitTypeLabels,
} from '../../flows/kernel/directory.js';
import type { BarnteamMeeting, Versioned } from '../../flows/kernel/ports.js';
import type { Discovery } from '../../flows/kernel/records/discovery.js';
import { toStockholmDate } from '../../flows/kernel/working-time.js';
import { findAddedDiscoveryBy } from '../../flows/upptackt/add-to-open-case.js';
import { childUnitTypes } from '../../flows/upptackt/discovery-form.js';
import { unitNameOf } from './person-names.js';

/** A unit as a card's choice: "<namn> (<typ>)". */
export interface UnitChoice {
  readonly id: string;
  readonly title: string;
}

/** When a card is rendered; the child's age on a card is counted on this Stockholm date. */
export interface CardViewOptions {
  readonly today?: CalendarDate;
}

/**
 * What the Upptäckare's receipt says about a forward. The forwarding Barnkontakt's reason is
 * written for the next Barnkontakt and is not part of the receipt (flows/kernel/access.ts `buildReceipt`).
 */
export const forwardReasonForUpptackare =
  'Barnkontakten bedömde att en annan enhets Barnkontakt ska ta ställning till kortet.';

/** The units a child can belong to (BMM, BVC, förskola, grundskola) as the Upptäckarkort lists them, by name. */
export function listChildUnitChoices(directory: Directory): UnitChoice[] {
  return toSortedChoices(directory.units.filter((unit) => childUnitTypes.includes(unit.type)));
}

/**
 * The Upptäckare's receipt data (`renderUpptackarkortKvitto`), or `undefined` when `viewerId` is
 * not the case's Upptäckare or the case was not filed from an Upptäckarkort.
 */
export function toKvittoData(
  caseValue: Case,
  viewerId: UserId,
  directory: Directory,
  options: { readonly notice?: string; readonly delivery?: KvittoDelivery } = {},
): UpptackarkortKvittoData | undefined {
  const view = viewCaseFor(caseValue, viewerId, directory);
  const discovery = caseValue.discovery;
  const upptackare = findUpptackare(caseValue);
  if (view?.level !== 'kvitto' || discovery === undefined) return undefined;
  const routing = currentRouting(caseValue)?.routing;
  if (upptackare?.userId !== viewerId) {
    return toAddedCardKvittoData(caseValue, viewerId, directory, options);
  }
  const intake = findUnit(directory, directory.socialServicesIntake.unit);
  return {
    caseId: caseValue.id,
    reference: caseValue.reference,
    upptackareId: viewerId,
    child: { givenName: caseValue.child.givenName, familyName: caseValue.child.familyName },
    path: discovery.path,
    filedAt: discovery.filedAt,
    ...(routing === undefined
      ? {}
      : {
          barnkontakt: {
            displayName: routing.contactDisplayName ?? 'Barnkontakt',
            ...(routing.contactTitle === undefined ? {} : { title: routing.contactTitle }),
            unitName: unitNameOf(directory, routing.unitId),
          },
          routingReason: routing.reason,
          viaFallback: routing.viaFallback,
        }),
    ...(options.delivery === undefined ? {} : { delivery: options.delivery }),
    ...(intake === undefined ? {} : { socialServicesName: intake.name }),
    ...(discovery.followUpDate === undefined ? {} : { followUpDate: discovery.followUpDate }),
    status: toKvittoStatus(caseValue, directory),
    ...(options.notice === undefined ? {} : { notice: options.notice }),
  };
}

/**
 * The receipt of a card added to the child's open case: that it joined an ongoing case and who
 * the Barnkontakt is, nothing of what the case holds or how far it has come.
 */
function toAddedCardKvittoData(
  caseValue: Case,
  viewerId: UserId,
  directory: Directory,
  options: { readonly notice?: string; readonly delivery?: KvittoDelivery },
): UpptackarkortKvittoData | undefined {
  const own = findAddedDiscoveryBy(caseValue, viewerId);
  const routing = currentRouting(caseValue)?.routing;
  if (own === undefined || routing === undefined) return undefined;
  return {
    caseId: caseValue.id,
    reference: caseValue.reference,
    upptackareId: viewerId,
    child: { givenName: caseValue.child.givenName, familyName: caseValue.child.familyName },
    path: own.path,
    filedAt: own.filedAt,
    barnkontakt: {
      displayName: routing.contactDisplayName ?? 'Barnkontakt',
      ...(routing.contactTitle === undefined ? {} : { title: routing.contactTitle }),
      unitName: unitNameOf(directory, routing.unitId),
    },
    viaFallback: routing.viaFallback,
    ...(options.delivery === undefined ? {} : { delivery: options.delivery }),
    status: { kind: 'tillagtIPagaendeArende' },
    ...(options.notice === undefined ? {} : { notice: options.notice }),
  };
}

function toKvittoStatus(caseValue: Case, directory: Directory): KvittoStatus {
  const accepted = lastEntry(caseValue, 'taEmot');
  if (accepted !== undefined) {
    return { kind: 'mottaget', byName: displayNameOf(caseValue, accepted.by), at: accepted.at };
  }
  const declined = lastEntry(caseValue, 'avboj');
  if (caseValue.state === 'avbojd' && declined !== undefined) {
    return {
      kind: 'avbojt',
      reason: declined.note ?? 'Inget skäl angavs.',
      at: declined.at,
    };
  }
  const routing = currentRouting(caseValue);
  if (caseValue.state === 'vantarPaBarnkontakt' && routing?.cause === 'skickaVidare') {
    return {
      kind: 'skickatVidare',
      to: {
        displayName: routing.routing.contactDisplayName ?? 'Barnkontakt',
        ...(routing.routing.contactTitle === undefined ? {} : { title: routing.routing.contactTitle }),
        unitName: unitNameOf(directory, routing.routing.unitId),
      },
      reason: forwardReasonForUpptackare,
      at: routing.at,
    };
  }
  switch (caseValue.discovery?.path) {
    case 'orosanmalan':
      return {
        kind: 'orosanmalanSkickad',
        ...(caseValue.orosanmalan === undefined ? {} : { at: caseValue.orosanmalan.sentAt }),
      };
    case 'stodIEgenVerksamhet':
      return { kind: 'stodRegistrerat' };
    default:
      return { kind: 'vantarPaBarnkontakt' };
  }
}

/**
 * The Barnkontakt's notification data (`renderBarnkontaktNotis`) with Ta emot, Skicka vidare and
 * Avböj, rendered from version `etag` of the case. `undefined` unless `viewerId` is the case's
 * Barnkontakt or the deputy acting for them (a full view) and the case holds what the card
 * needs (the filed card, the routing and the verbal consent).
 *
 * Whether the card should still carry its actions (the case still waits for an answer) is the
 * caller's decision; see `toNotisBesvaradData` for the answered card.
 */
export function toNotisData(
  caseValue: Case,
  viewerId: UserId,
  directory: Directory,
  etag: string,
  options: CardViewOptions & { readonly addedDiscovery?: Discovery } = {},
): BarnkontaktNotisData | undefined {
  const view = viewCaseFor(caseValue, viewerId, directory);
  const added = options.addedDiscovery;
  if (added !== undefined) {
    const data = toNotisData({ ...caseValue, discovery: added }, viewerId, directory, etag, {
      ...(options.today === undefined ? {} : { today: options.today }),
    });
    return data === undefined
      ? undefined
      : {
          ...data,
          reporter: { ...data.reporter, displayName: displayNameOf(caseValue, added.filedBy) },
          addedToOpenCase: true,
          answerable: caseValue.state === 'vantarPaBarnkontakt',
        };
  }
  const discovery = caseValue.discovery;
  const routing = caseValue.routing;
  const consent = (caseValue.consents ?? []).findLast(
    (item) => item.step === 'muntligt' && item.withdrawal === undefined,
  );
  const refreshUserIds = listActiveResponders(caseValue);
  if (
    view?.level !== 'fullt' ||
    discovery === undefined ||
    routing === undefined ||
    consent === undefined ||
    refreshUserIds.length === 0
  ) {
    return undefined;
  }
  const { birthDate, dueDate } = caseValue.child;
  return {
    caseId: caseValue.id,
    etag,
    reference: caseValue.reference,
    today: options.today ?? toStockholmDate(new Date()),
    filedAt: discovery.filedAt,
    child: {
      givenName: caseValue.child.givenName,
      familyName: caseValue.child.familyName,
      ...(birthDate === undefined ? {} : { birthDate }),
      ...(dueDate === undefined ? {} : { dueDate }),
    },
    unitName: unitNameOf(directory, caseValue.unitId),
    areas: toAreaRatings(caseValue),
    observation: discovery.observation,
    talkedWithGuardian: discovery.talkedWithGuardian,
    reporter: {
      displayName: findUpptackare(caseValue)?.displayName ?? 'Upptäckaren',
      organisation: discovery.reporter.organisation,
      role: discovery.reporter.role,
      external: isExternalTo(caseValue, viewerId, directory),
    },
    consent: {
      givenBy: consent.givenBy,
      recordedByName: displayNameOf(caseValue, consent.recordedBy),
      at: consent.at,
    },
    routingReason: routing.reason,
    forwardTargets: listForwardTargets(caseValue, directory),
    recipientRole: describeRecipientRole(caseValue, viewerId, directory),
    refreshUserIds,
  };
}

/**
 * The fallback contact holds the `barnkontakt` role while a card routed to them waits, and the
 * `ersattare` role when an unanswered card is escalated to them; either way they are the
 * municipality's reservkontakt, not the child's Barnkontakt.
 */
function describeRecipientRole(
  caseValue: Case,
  viewerId: UserId,
  directory: Directory,
): BarnkontaktNotisData['recipientRole'] {
  const fallbackIds = [directory.fallback.contact, ...directory.fallback.deputies].map(
    (id) => findContact(directory, id)?.aadObjectId,
  );
  const acting = caseValue.roles.find((role) => role.userId === viewerId && isRoleActive(role));
  if (
    fallbackIds.includes(viewerId) &&
    (caseValue.routing?.viaFallback === true || acting?.role === 'ersattare')
  ) {
    return 'reservkontakt';
  }
  return acting?.role === 'ersattare' ? 'ersattare' : 'barnkontakt';
}

/**
 * Whether the card comes from another organisation than the viewer's own. The flag stored with
 * the discovery compares with the child's unit (that is what the follow-up figures count); a
 * card routed to the fallback contact or a deputy of another unit must be judged against the
 * unit the viewer acts for, or it tells a colleague in the same organisation "annan organisation".
 */
function isExternalTo(caseValue: Case, viewerId: UserId, directory: Directory): boolean {
  const reporterOrganisation = caseValue.discovery?.reporter.organisation;
  const viewerUnitId = caseValue.roles.find(
    (role) => role.userId === viewerId && isRoleActive(role) && role.unitId !== undefined,
  )?.unitId;
  const viewerOrganisation =
    viewerUnitId === undefined ? undefined : findUnit(directory, viewerUnitId)?.organisation;
  if (reporterOrganisation === undefined || viewerOrganisation === undefined) {
    return caseValue.discovery?.external ?? false;
  }
  return reporterOrganisation !== viewerOrganisation;
}

/**
 * The answered notification (`renderBarnkontaktNotisBesvarad`): what became of the card, no
 * buttons. For the case's current Barnkontakt or deputy it shows the latest answer; for someone
 * whose own answer ended their role (a forward) it shows that answer, since they made it and
 * their second click or refresh must read as "already done". `undefined` for anyone else, and
 * while the case has no answer yet.
 *
 * @param options.stale the card the user acted on was older than the case (adds the notice line).
 */
export function toNotisBesvaradData(
  caseValue: Case,
  viewerId: UserId,
  directory: Directory,
  options: { readonly stale?: boolean } = {},
): BarnkontaktNotisBesvaradData | undefined {
  const view = viewCaseFor(caseValue, viewerId, directory);
  const answer =
    view?.level === 'fullt' ? lastAnswer(caseValue) : lastAnswer(caseValue, (entry) => entry.by === viewerId);
  if (answer === undefined) return undefined;
  const state = toBesvaradState(caseValue, answer, viewerId, directory);
  if (state === undefined) return undefined;
  const refreshUserIds = listActiveResponders(caseValue);
  return {
    caseId: caseValue.id,
    reference: caseValue.reference,
    child: { givenName: caseValue.child.givenName, familyName: caseValue.child.familyName },
    unitName: unitNameOf(directory, unitOfAnswer(caseValue, answer)),
    state,
    stale: options.stale ?? false,
    ...(view?.level === 'fullt' && refreshUserIds.length > 0 ? { refreshUserIds } : {}),
    ...decideCaseNavigation(caseValue, viewerId, directory),
    entryActions:
      answer.event === 'taEmot' && decideCaseNavigation(caseValue, viewerId, directory).entryActions,
  };
}

/**
 * Which buttons into the support process this viewer gets on a card of this case: the entry
 * buttons for the Barnkontakt or acting deputy of an active case (`authorize` refuses a closed
 * case and anyone else), "Boka Barnteam" for the unit's convener while the case waits for it.
 */
export function decideCaseNavigation(
  caseValue: Case,
  viewerId: UserId,
  directory: Directory,
): { entryActions: boolean; bookBarnteam: boolean } {
  return {
    entryActions: authorize(caseValue, viewerId, 'registreraSamtal').allowed,
    bookBarnteam:
      caseValue.state === 'barnteam' &&
      findBarnteamForUnit(directory, caseValue.unitId)?.convener.aadObjectId === viewerId,
  };
}

/**
 * Adds the support-process buttons to a form card (Samtycke, Barnsamtal, Beslut), so that the
 * Barnkontakt can go on from the card that replaced the previous one. The card's own button is
 * left out.
 */
export function withCaseNavigation(
  card: AdaptiveCardJson,
  caseValue: Case,
  viewerId: UserId,
  directory: Directory,
  omitVerb: string,
): AdaptiveCardJson {
  const buttons = buildCaseNavigationActions({
    caseId: caseValue.id,
    ...decideCaseNavigation(caseValue, viewerId, directory),
    omitVerb,
  });
  if (buttons.length === 0) return card;
  const existing = Array.isArray(card.actions) ? card.actions : [];
  return { ...card, actions: [...existing, ...buttons] };
}

const answerEvents: ReadonlySet<string> = new Set(['taEmot', 'skickaVidare', 'avboj']);

function lastAnswer(
  caseValue: Case,
  filter: (entry: ChronologyEntry) => boolean = () => true,
): ChronologyEntry | undefined {
  return caseValue.chronology.findLast((entry) => answerEvents.has(entry.event) && filter(entry));
}

function toBesvaradState(
  caseValue: Case,
  answer: ChronologyEntry,
  viewerId: UserId,
  directory: Directory,
): BesvaradState | undefined {
  const actor = {
    byName: displayNameOf(caseValue, answer.by),
    byViewer: answer.by === viewerId,
    at: answer.at,
  };
  switch (answer.event) {
    case 'taEmot':
      return { kind: 'mottaget', ...actor };
    case 'avboj':
      return { kind: 'avbojt', ...actor, reason: answer.note ?? 'Inget skäl angavs.' };
    case 'skickaVidare': {
      const routing = caseValue.routingHistory?.findLast(
        (item) => item.cause === 'skickaVidare' && item.by === answer.by && item.at === answer.at,
      );
      if (routing === undefined) return undefined;
      return {
        kind: 'skickatVidare',
        ...actor,
        toUnitName: unitNameOf(directory, routing.routing.unitId),
        reason: answer.note ?? 'Inget skäl angavs.',
      };
    }
    default:
      return undefined;
  }
}

/** The unit the card was at when it was answered (a forward moves the case to the next unit). */
function unitOfAnswer(caseValue: Case, answer: ChronologyEntry): string {
  if (answer.event !== 'skickaVidare') return caseValue.unitId;
  const history = caseValue.routingHistory ?? [];
  const index = history.findLastIndex((item) => item.cause === 'skickaVidare' && item.at === answer.at);
  return history[index - 1]?.routing.unitId ?? caseValue.unitId;
}

/**
 * The orosanmälan data (`renderOrosanmalan`) for a contact of social services' intake: the whole
 * Upptäckarkort, identity number included. `undefined` unless the case went the orosanmälan path
 * and `viewerId` is one of the intake's contacts in the directory.
 */
export function toOrosanmalanData(
  caseValue: Case,
  viewerId: UserId,
  directory: Directory,
  options: CardViewOptions = {},
): OrosanmalanData | undefined {
  const discovery = caseValue.discovery;
  const intakeUserIds = directory.socialServicesIntake.contacts.flatMap(
    (id) => directory.contacts.find((contact) => contact.id === id)?.aadObjectId ?? [],
  );
  if (discovery?.path !== 'orosanmalan' || caseValue.orosanmalan === undefined) return undefined;
  if (!intakeUserIds.includes(viewerId)) return undefined;
  const { identityKey: _hashOnly, ...child } = caseValue.child;
  return {
    caseId: caseValue.id,
    reference: caseValue.reference,
    today: options.today ?? toStockholmDate(new Date()),
    filedAt: discovery.filedAt,
    child,
    unitName: unitNameOf(directory, caseValue.unitId),
    areas: toAreaRatings(caseValue),
    observation: discovery.observation,
    talkedWithGuardian: discovery.talkedWithGuardian,
    reporter: {
      displayName: findUpptackare(caseValue)?.displayName ?? 'Upptäckaren',
      organisation: discovery.reporter.organisation,
      role: discovery.reporter.role,
    },
  };
}

/**
 * A rendered card with one line added at the top, for a message the card's template has no
 * place for (a stale click, a missing reason on the notification card).
 */
export function withNoticeLine(
  card: AdaptiveCardJson,
  text: string,
  colour: 'attention' | 'warning' = 'attention',
): AdaptiveCardJson {
  const body = Array.isArray(card.body) ? card.body : [];
  return {
    ...card,
    body: [{ type: 'TextBlock', text, wrap: true, color: colour, weight: 'Bolder' }, ...body],
  };
}

/** Who a Barnteam reminder is for, and which of the meeting's reminders it is. */
export interface BarnteamPaminnelseViewer {
  readonly userId: UserId;
  /** The reminder's ISO 8601 offset before the start (`P1D`, `PT1H`). */
  readonly offset: string;
  /** The case the reminder is filed under: an Upptäckare sees only that child's item. */
  readonly caseId: string;
}

/**
 * The reminder card a member of the meeting is shown: the time, the join link, the team's
 * dagordning and the children on the agenda by initials and reference (every member gets the
 * same agenda; an Upptäckare is invited for their own child's item and sees only that one).
 *
 * @returns undefined when the viewer is neither a member nor the convener, or no child is left
 *   on the agenda that the viewer may see.
 */
export function toBarnteamPaminnelseData(
  meeting: Versioned<BarnteamMeeting>,
  viewer: BarnteamPaminnelseViewer,
  directory: Directory,
): BarnteamPaminnelseData | undefined {
  const value = meeting.value;
  const member = value.members.find((item) => item.userId === viewer.userId);
  if (member === undefined && value.convenerUserId !== viewer.userId) return undefined;
  const active = value.agenda.filter((item) => item.removedAt === undefined);
  const visible =
    member?.role === upptackareMemberRole ? active.filter((item) => item.caseId === viewer.caseId) : active;
  if (visible.length === 0) return undefined;
  const team = findBarnteamForUnit(directory, value.unitId);
  return {
    meetingId: value.id,
    etag: meeting.etag,
    teamName: team?.name ?? 'Barnteam',
    when: isDayOrMoreBefore(viewer.offset) ? 'dagenFore' : 'omEnTimme',
    timeLabel: formatMeetingTime(value.start, value.end),
    ...(value.calendar?.joinUrl === undefined ? {} : { joinUrl: value.calendar.joinUrl }),
    dagordning: [...(team?.agenda ?? defaultBarnteamAgenda)],
    agenda: visible.map((item) => ({
      caseId: item.caseId,
      reference: item.reference,
      initials: item.initials,
    })),
  };
}

const stockholmWeekday = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', weekday: 'long' });
const stockholmClock = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "tisdag 7 april 2026 kl. 09:00", or with `end` "tisdag 7 april 2026 kl. 09:00–10:00" (Stockholm time). */
export function formatMeetingTime(start: string, end?: string): string {
  const startDate = new Date(start);
  const from = `${stockholmWeekday.format(startDate)} ${formatSwedishDateOfInstant(start)} kl. ${stockholmClock.format(startDate)}`;
  return end === undefined ? from : `${from}–${stockholmClock.format(new Date(end))}`;
}

/** `P1D`, `P2DT1H`: a day or more; `PT1H`, `PT30M`: the same day. */
function isDayOrMoreBefore(offset: string): boolean {
  const days = /^P(\d+)D/.exec(offset)?.[1];
  return days !== undefined && Number(days) >= 1;
}

/** Whether the case still waits for the Barnkontakt's answer (the notification keeps its buttons). */
export function isAwaitingAnswer(caseValue: Case): boolean {
  return caseValue.state === 'vantarPaBarnkontakt';
}

function toAreaRatings(caseValue: Case): AreaRatings {
  const ratings: Record<string, { assessment: string; comment?: string }> = {};
  for (const area of caseValue.discovery?.areas ?? []) {
    ratings[area.key] = {
      assessment: area.assessment,
      ...(area.comment === undefined ? {} : { comment: area.comment }),
    };
  }
  return ratings as AreaRatings;
}

/** The users who may answer the card now: the Barnkontakt and a deputy acting for them. */
function listActiveResponders(caseValue: Case): UserId[] {
  const ids = caseValue.roles
    .filter((role) => isRoleActive(role) && (role.role === 'barnkontakt' || role.role === 'ersattare'))
    .map((role) => role.userId);
  return [...new Set(ids)];
}

/** Units with a Barnkontakt, other than the one the card is at (unless it came via the fallback). */
function listForwardTargets(caseValue: Case, directory: Directory): UnitChoice[] {
  const routing = caseValue.routing;
  const here = routing === undefined || routing.viaFallback ? undefined : routing.unitId;
  return toSortedChoices(
    directory.units.filter(
      (unit) => unit.barnkontakt !== undefined && unit.id !== here && unit.type !== 'socialtjanstMottagning',
    ),
  );
}

function toSortedChoices(units: readonly Unit[]): UnitChoice[] {
  return [...units]
    .sort((a, b) => a.name.localeCompare(b.name, 'sv'))
    .map((unit) => ({ id: unit.id, title: `${unit.name} (${unitTypeLabels[unit.type]})` }));
}

function displayNameOf(caseValue: Case, userId: string): string {
  return caseValue.roles.findLast((role) => role.userId === userId)?.displayName ?? 'Barnkontakten';
}

function lastEntry(caseValue: Case, event: string): ChronologyEntry | undefined {
  return caseValue.chronology.findLast((entry) => entry.event === event);
}
