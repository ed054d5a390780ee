/**
 * Turns a notice from the outbox (flows/kernel/notices.ts: ids and a few facts) into the message that
 * is sent, from the case as it is NOW, at delivery time. A notice about a case that is gone,
 * whose consent was withdrawn, or that moved on since the notice was enqueued (a chase for a
 * card that was answered meanwhile) is dropped: nothing more is shared than the current case
 * still justifies.
 *
 * Every decision reads the case, and every read is audited as `system` with the reason the share
 * is "nödvändig, relevant, proportionerlig" (docs/security.md 7). If the audit write fails, the error
 * propagates and nothing is sent.
 *
 * What goes to whom (personal chats, and one team channel):
 * - Barnkontakt, deputy, fallback: the notification card with Ta emot / Skicka vidare / Avböj,
 *   rendered from the current ETag (no identity number, see cards/upptackt/barnkontakt-notis.ts).
 * - Upptäckare: a short text with the case reference and no child identity; answers that change
 *   the receipt come as the updated receipt card with that text on top.
 * - Social services' intake: the orosanmälan card with the whole Upptäckarkort.
 * - Barnteam members: the reminder card (children by initials and reference only) and short
 *   texts when the meeting moves or is cancelled, checked against the meeting as it is now.
 * - The Barnteam's convener: the booking card, with the news that a required member declined.
 * - The Individuellt barnteam's private channel: a status post with the case reference only
 *   (cards/teamkanal/teamkanal-status.ts), to that case's channel and no other conversation; after
 *   a withdrawal only the last post, that the team has ended.
 */
import { randomUUID } from 'node:crypto';
import { renderBarnteamBokat } from '../cards/barnteam/barnteam-bokat.js';
import { renderBarnteamPaminnelse } from '../cards/barnteam/barnteam-paminnelse.js';
import { formatSwedishDate, formatSwedishDateOfInstant } from '../cards/swedish-format.js';
import { renderTeamkanalStatus, teamkanalStatusTexts } from '../cards/teamkanal/teamkanal-status.js';
import { renderBarnkontaktNotis } from '../cards/upptackt/barnkontakt-notis.js';
import { renderOrosanmalan } from '../cards/upptackt/orosanmalan.js';
import { type KvittoDelivery, renderUpptackarkortKvitto } from '../cards/upptackt/upptackarkort-kvitto.js';
import { authorize, currentBarnkontakt } from '../flows/kernel/access.js';
import type { Case, UserId } from '../flows/kernel/case.js';
import { currentRouting } from '../flows/kernel/case-effects.js';
import { type Directory, findBarnteamForUnit, findContact, findUnit } from '../flows/kernel/directory.js';
import { type NoticeKind, noticeSummaries, readNoticeData, toTeamkanalKey } from '../flows/kernel/notices.js';
import type {
  AuditLog,
  BarnteamMeeting,
  CaseStore,
  Clock,
  MeetingStore,
  OutboxMessage,
  Versioned,
} from '../flows/kernel/ports.js';
import { readBarnteamRecords } from '../flows/kernel/records/barnteam-outcome.js';
import { toStockholmDate } from '../flows/kernel/working-time.js';
import { toBarnteamBokatData } from './card-views/samtal-beslut-barnteam-views.js';
import {
  formatMeetingTime,
  toBarnteamPaminnelseData,
  toKvittoData,
  toNotisData,
  toOrosanmalanData,
  withNoticeLine,
} from './card-views/upptackt-views.js';
import type { ProactivePayload } from './proactive.js';

export type NoticePayload = Extract<OutboxMessage['payload'], { kind: 'notice' }>;

/** The parts of an outbox message the renderer reads. */
export interface NoticeMessage {
  readonly id: string;
  readonly recipientKey: string;
  readonly payload: NoticePayload;
}

/** Why a notice is not sent; logged as a code, never shown to anyone. */
export type NoticeDropReason =
  | 'caseGone'
  | 'consentWithdrawn'
  | 'noLongerRelevant'
  | 'recipientHasNoAccess'
  | 'unreadableNotice';

export type RenderedNotice =
  | { readonly recipientKey: string; readonly payload: ProactivePayload }
  | { readonly drop: NoticeDropReason };

export interface NoticeRenderDependencies {
  readonly stores: { readonly cases: CaseStore; readonly audit: AuditLog; readonly meetings: MeetingStore };
  readonly directory: Directory;
  readonly clock: Clock;
  /** Audit entry ids; every render is its own read. */
  readonly newId?: () => string;
}

/** Why each kind's share is necessary, relevant and proportionate (the audit's purpose line). */
const sharePurposes: Readonly<Record<NoticeKind, string>> = {
  nyttArende:
    'Vårdnadshavare har gett muntligt samtycke; Barnkontakten behöver kortet för att kunna ta emot ärendet.',
  upptackarkortTillagt:
    'Vårdnadshavare har gett muntligt samtycke; barnet har redan ett pågående ärende, och Barnkontakten behöver det nya Upptäckarkortet i det.',
  paminnelseBarnkontakt:
    'Kortet är obesvarat; Barnkontakten eller ersättaren behöver det igen för att kunna ta ställning.',
  obesvaratTillReserv:
    'Kortet är obesvarat efter påminnelser; kommunens reservkontakt behöver det så att barnet inte blir utan svar.',
  vantarFortfarande:
    'Upptäckaren får besked om sitt eget kort: referens och vem som påmints, inga uppgifter om barnet.',
  kortetNarInteFram:
    'Upptäckaren får besked om sitt eget kort: att det inte har nått Barnkontakten och vem som har underrättats, inga uppgifter om barnet.',
  mottaget: 'Upptäckaren får besked om sitt eget kort: referens och status, inga nya uppgifter om barnet.',
  vidarebefordrat:
    'Upptäckaren får besked om sitt eget kort: referens och vart det skickats, inga nya uppgifter om barnet.',
  avbojt: 'Upptäckaren får besked om sitt eget kort: referens, status och Barnkontaktens skäl.',
  orosanmalan:
    'Orosanmälan enligt anmälningsskyldigheten; socialtjänstens mottagning behöver hela Upptäckarkortet för sin bedömning.',
  uppfoljningEgenVerksamhet:
    'Upptäckaren påminns om uppföljningen av stöd i egen verksamhet: bara ärendets referens delas.',
  beslutFattat:
    'Upptäckaren får besked om sitt eget kort: att beslut fattats och när, inte vad som beslutats.',
  uppfoljningBeslut:
    'Barnkontakten som fattade beslutet påminns om uppföljningssamtalet: bara ärendets referens delas.',
  barnteamDagordning:
    'Upptäckaren bjuds in till sitt barns punkt på Barnteam: referens och tid, inga nya uppgifter om barnet.',
  barnteamPaminnelse:
    'Barnteamets medlemmar behöver tid, länk och dagordning för att förbereda mötet: barnen bara med initialer och referens.',
  barnteamFlyttat:
    'Barnteamets medlemmar behöver veta att mötet flyttats: bara den nya tiden, inga uppgifter om barnen.',
  barnteamInstallt:
    'Barnteamets medlemmar behöver veta att mötet är inställt: bara tiden, inga uppgifter om barnen.',
  barnteamAvbojt:
    'Den som sammankallar Barnteamet behöver veta att en deltagare som krävs har tackat nej, för att kunna flytta mötet: barnen bara med initialer och referens.',
  uppfoljningBarnteam:
    'Barnkontakten påminns om uppföljningen som Barnteam beslutade: bara ärendets referens delas.',
  teamkanalStatus:
    'Det Individuella barnteamet får status för Barnets plan i sin kanal: ärendets referens och status, aldrig barnets namn eller vad planen säger.',
  individuelltBarnteamStartatSip:
    'Den som startat ett Individuellt barnteam med SIP-skyldighet ska informera Barnkontakten: referens och vem som startade, inga uppgifter om barnet.',
  atgardForsenadPaminnelse:
    'Den som ansvarar för en åtgärd i Barnets plan påminns om att den är försenad: referens och datum, inga uppgifter om barnet.',
  teammotePaminnelse:
    'Teamets medlemmar påminns om nästa möte i Barnets plan: referens, tid och länk, inga uppgifter om barnet.',
  arendeAvslutat: 'Upptäckaren får besked om sitt eget kort: att ärendet är avslutat och när, inte varför.',
};

const dropPurposes: Readonly<Record<NoticeDropReason, string>> = {
  caseGone: 'Kontroll före utskick: ärendet finns inte; inget skickas.',
  consentWithdrawn: 'Kontroll före utskick: samtycket är återkallat; inget mer delas.',
  noLongerRelevant: 'Kontroll före utskick: ärendet har gått vidare; notisen skickas inte.',
  recipientHasNoAccess:
    'Kontroll före utskick: mottagaren har inte längre någon roll i ärendet; inget skickas.',
  unreadableNotice: 'Kontroll före utskick: notisen kunde inte läsas; inget skickas.',
};

/**
 * Renders a notice from the current case, or says why it must not be sent.
 *
 * @throws whatever the case store or the audit log throws (the caller retries later), and
 *   CardRenderError when a card cannot be built from the case (retrying will not help).
 */
export async function renderNotice(
  message: NoticeMessage,
  deps: NoticeRenderDependencies,
): Promise<RenderedNotice> {
  const { payload, recipientKey } = message;
  const stored = await deps.stores.cases.get(payload.caseId);
  if (stored === undefined) return { drop: 'caseGone' };
  const decision = await decide(payload, recipientKey, stored, deps);
  const nowIso = deps.clock.now().toISOString();
  await deps.stores.audit.append({
    id: `audit-${(deps.newId ?? randomUUID)()}`,
    at: nowIso,
    actor: 'system',
    action: 'lasArende',
    caseId: stored.value.id,
    unitId: stored.value.unitId,
    outcome: 'allowed',
    purpose: 'drop' in decision ? dropPurposes[decision.drop] : sharePurposes[payload.notice],
  });
  if ('drop' in decision) return decision;
  return { recipientKey, payload: decision.render() };
}

type Decision = { readonly drop: NoticeDropReason } | { readonly render: () => ProactivePayload };

const meetingNoticeKinds: ReadonlySet<NoticeKind> = new Set([
  'barnteamPaminnelse',
  'barnteamFlyttat',
  'barnteamInstallt',
  'barnteamAvbojt',
]);

async function decide(
  payload: NoticePayload,
  recipientKey: UserId,
  stored: Versioned<Case>,
  deps: NoticeRenderDependencies,
): Promise<Decision> {
  const caseValue = stored.value;
  // Meeting notices are filed under the first child on the agenda only because the outbox wants
  // a case; they share the meeting (time, initials and references of the children still on the
  // agenda), so one child's withdrawn consent must not silence the whole Barnteam. That child's
  // item is taken off the agenda by the withdrawal and its reminder card then leaves it out.
  // The channel's last post ("Samtycket har återkallats; teamet är avslutat") is the one notice a
  // withdrawn case still sends; its case below decides which of its posts go.
  if (
    caseValue.state === 'samtyckeAterkallat' &&
    !meetingNoticeKinds.has(payload.notice) &&
    payload.notice !== 'teamkanalStatus'
  ) {
    return { drop: 'consentWithdrawn' };
  }
  const people = createPeople(caseValue, deps.directory);
  const today = toStockholmDate(deps.clock.now());
  const reference = caseValue.reference;
  try {
    switch (payload.notice) {
      case 'nyttArende':
      case 'paminnelseBarnkontakt':
      case 'obesvaratTillReserv': {
        const data = readNoticeData(payload.notice, payload.data);
        if (!isWaitingOn(caseValue, data.routingNo)) return { drop: 'noLongerRelevant' };
        const cardData = toNotisData(caseValue, recipientKey, deps.directory, stored.etag, { today });
        if (cardData === undefined) return { drop: 'recipientHasNoAccess' };
        const line = describeNotisLine(payload, caseValue);
        return {
          render: () => {
            const card = renderBarnkontaktNotis(cardData);
            return {
              kind: 'card',
              card: line === undefined ? card : withNoticeLine(card, line, 'warning'),
              summary: `${noticeSummaries[payload.notice]} Ärende ${reference}.`,
            };
          },
        };
      }
      case 'upptackarkortTillagt': {
        const data = readNoticeData('upptackarkortTillagt', payload.data);
        const added = caseValue.addedDiscoveries?.find((discovery) => discovery.draftId === data.draftId);
        if (added === undefined) return { drop: 'noLongerRelevant' };
        const cardData = toNotisData(caseValue, recipientKey, deps.directory, stored.etag, {
          today,
          addedDiscovery: added,
        });
        if (cardData === undefined) return { drop: 'recipientHasNoAccess' };
        return {
          render: () => ({
            kind: 'card',
            card: renderBarnkontaktNotis(cardData),
            summary: `${noticeSummaries.upptackarkortTillagt} Ärende ${reference}.`,
          }),
        };
      }
      case 'vantarFortfarande': {
        const data = readNoticeData('vantarFortfarande', payload.data);
        if (!isWaitingOn(caseValue, data.routingNo)) return { drop: 'noLongerRelevant' };
        if (!isUpptackare(caseValue, recipientKey)) return { drop: 'recipientHasNoAccess' };
        const chased = people.describe(data.chasedUserId);
        const text = data.toFallback
          ? `Ditt Upptäckarkort ${reference} har inte besvarats av Barnkontakten. Kommunens reservkontakt ${chased} har nu fått kortet.`
          : `Ditt Upptäckarkort ${reference} väntar fortfarande på svar. ${chased} har fått en påminnelse.`;
        return { render: () => ({ kind: 'text', text }) };
      }
      case 'kortetNarInteFram': {
        const data = readNoticeData('kortetNarInteFram', payload.data);
        // Delivered since, answered by a deputy, or forwarded: the receipt says so when opened.
        if (!isWaitingOn(caseValue, data.routingNo)) return { drop: 'noLongerRelevant' };
        const routed = currentRouting(caseValue)?.routing;
        const to = routed === undefined ? 'Barnkontakten' : people.describe(routed.contactUserId);
        const fallback = findContact(deps.directory, deps.directory.fallback.contact);
        const told =
          fallback === undefined
            ? 'Kommunens reservkontakt har fått besked'
            : `Kommunens reservkontakt ${fallback.displayName} (${fallback.title}) har fått besked`;
        const text =
          data.problem === 'saknarChatt'
            ? `Ditt Upptäckarkort ${reference} har inte kommit fram till ${to} ännu, eftersom hen inte har appen Backa barnet i Teams. Kortet levereras så snart appen är installerad för hen. ${told}.`
            : `Ditt Upptäckarkort ${reference} kunde inte levereras till ${to}. ${told} och ser till att kortet når fram.`;
        return renderReceipt(
          caseValue,
          recipientKey,
          deps.directory,
          text,
          data.problem === 'saknarChatt' ? 'vantarPaInstallation' : 'kundeInteLevereras',
        );
      }
      case 'mottaget': {
        const data = readNoticeData('mottaget', payload.data);
        const by = people.describe(data.byUserId, data.byDisplayName);
        const text = `Ditt Upptäckarkort ${reference} har tagits emot av ${by} den ${formatSwedishDateOfInstant(data.at)}.`;
        return renderReceipt(caseValue, recipientKey, deps.directory, text);
      }
      case 'avbojt': {
        const data = readNoticeData('avbojt', payload.data);
        const by = people.describe(data.byUserId, data.byDisplayName);
        const text = `Ditt Upptäckarkort ${reference} har avböjts av ${by} den ${formatSwedishDateOfInstant(data.at)}. Skälet står i kvittot.`;
        return renderReceipt(caseValue, recipientKey, deps.directory, text);
      }
      case 'vidarebefordrat': {
        const data = readNoticeData('vidarebefordrat', payload.data);
        const unitName = findUnit(deps.directory, data.toUnitId)?.name;
        const to = people.describe(data.toUserId, data.toDisplayName);
        const text = `Ditt Upptäckarkort ${reference} har skickats vidare till ${to}${unitName === undefined ? '' : ` på ${unitName}`} den ${formatSwedishDateOfInstant(data.at)}.`;
        return renderReceipt(caseValue, recipientKey, deps.directory, text);
      }
      case 'orosanmalan': {
        readNoticeData('orosanmalan', payload.data);
        const cardData = toOrosanmalanData(caseValue, recipientKey, deps.directory, { today });
        if (cardData === undefined) return { drop: 'recipientHasNoAccess' };
        return {
          render: () => ({
            kind: 'card',
            card: renderOrosanmalan(cardData),
            summary: `${noticeSummaries.orosanmalan} Ärende ${reference}.`,
          }),
        };
      }
      case 'uppfoljningEgenVerksamhet': {
        const data = readNoticeData('uppfoljningEgenVerksamhet', payload.data);
        if (caseValue.state !== 'stodIEgenVerksamhet') return { drop: 'noLongerRelevant' };
        if (!isUpptackare(caseValue, recipientKey)) return { drop: 'recipientHasNoAccess' };
        const text = `I dag, ${formatSwedishDate(data.followUpDate)}, är det dags att följa upp stödet i egen verksamhet för Upptäckarkort ${reference}. Räcker stödet inte kan du fylla i ett nytt Upptäckarkort och aktivera Barnkontakten.`;
        return { render: () => ({ kind: 'text', text }) };
      }
      case 'beslutFattat': {
        const data = readNoticeData('beslutFattat', payload.data);
        if (!isUpptackare(caseValue, recipientKey)) return { drop: 'recipientHasNoAccess' };
        // What was decided is the Barnkontakt's to share with the family's consent.
        const text = `Barnkontakten har fattat beslut om ditt Upptäckarkort ${reference} den ${formatSwedishDateOfInstant(data.at)}.`;
        return { render: () => ({ kind: 'text', text }) };
      }
      case 'uppfoljningBeslut': {
        const data = readNoticeData('uppfoljningBeslut', payload.data);
        if (
          caseValue.state !== 'stodIEgenVerksamhet' ||
          caseValue.beslut?.at(-1)?.beslutNo !== data.beslutNo
        ) {
          return { drop: 'noLongerRelevant' };
        }
        if (currentBarnkontakt(caseValue)?.userId !== recipientKey) return { drop: 'recipientHasNoAccess' };
        const text = `I dag, ${formatSwedishDate(data.followUpDate)}, är det dags för uppföljningssamtal om stödet i egen verksamhet i ärende ${reference}.`;
        return { render: () => ({ kind: 'text', text }) };
      }
      case 'uppfoljningBarnteam': {
        const data = readNoticeData('uppfoljningBarnteam', payload.data);
        const outcome = readBarnteamRecords(caseValue).barnteamUtfall.findLast(
          (item) => item.meetingId === data.meetingId,
        );
        if (outcome?.followUpDate !== data.followUpDate) return { drop: 'noLongerRelevant' };
        if (currentBarnkontakt(caseValue)?.userId !== recipientKey) return { drop: 'recipientHasNoAccess' };
        const text = `I dag, ${formatSwedishDate(data.followUpDate)}, är det dags att följa upp det som Barnteam beslutade i ärende ${reference}.`;
        return { render: () => ({ kind: 'text', text }) };
      }
      case 'barnteamDagordning': {
        const data = readNoticeData('barnteamDagordning', payload.data);
        if (!isUpptackare(caseValue, recipientKey)) return { drop: 'recipientHasNoAccess' };
        const meeting = await readLiveMeeting(deps, data.meetingId, data.meetingStart);
        if (meeting === undefined) return { drop: 'noLongerRelevant' };
        const onAgenda = meeting.value.agenda.some(
          (item) => item.caseId === caseValue.id && item.removedAt === undefined,
        );
        if (!onAgenda) return { drop: 'noLongerRelevant' };
        const text = `Barnet i ditt Upptäckarkort ${reference} står på dagordningen för ${teamNameOf(meeting.value, deps.directory)} ${formatMeetingTime(meeting.value.start, meeting.value.end)}. Du är inbjuden till den punkten; inbjudan finns i din kalender.`;
        return { render: () => ({ kind: 'text', text }) };
      }
      case 'barnteamPaminnelse': {
        const data = readNoticeData('barnteamPaminnelse', payload.data);
        const meeting = await readLiveMeeting(deps, data.meetingId, data.meetingStart);
        if (meeting === undefined) return { drop: 'noLongerRelevant' };
        const cardData = toBarnteamPaminnelseData(
          meeting,
          { userId: recipientKey, offset: data.offset, caseId: caseValue.id },
          deps.directory,
        );
        if (cardData === undefined) return { drop: 'recipientHasNoAccess' };
        return {
          render: () => ({
            kind: 'card',
            card: renderBarnteamPaminnelse(cardData),
            summary: noticeSummaries.barnteamPaminnelse,
          }),
        };
      }
      case 'barnteamFlyttat': {
        const data = readNoticeData('barnteamFlyttat', payload.data);
        // A meeting moved again since has its own, newer notice.
        const meeting = await readLiveMeeting(deps, data.meetingId, data.meetingStart);
        if (meeting === undefined) return { drop: 'noLongerRelevant' };
        if (!isOnMeeting(meeting.value, recipientKey)) return { drop: 'recipientHasNoAccess' };
        const text = `${teamNameOf(meeting.value, deps.directory)} ${formatMeetingTime(data.previousStart)} har flyttats till ${formatMeetingTime(meeting.value.start, meeting.value.end)}. Den nya tiden finns i din kalender.`;
        return { render: () => ({ kind: 'text', text }) };
      }
      case 'barnteamAvbojt': {
        const data = readNoticeData('barnteamAvbojt', payload.data);
        // Moved since the decline, or cancelled: the answer was to a time that no longer holds.
        const meeting = await readLiveMeeting(deps, data.meetingId, data.meetingStart);
        if (meeting === undefined) return { drop: 'noLongerRelevant' };
        const line = describeDecline(meeting.value, data.member, deps.directory);
        const cardData = toBarnteamBokatData(meeting, recipientKey, deps.directory, { formError: line });
        if (cardData === undefined) return { drop: 'recipientHasNoAccess' };
        return {
          render: () => ({
            kind: 'card',
            card: renderBarnteamBokat(cardData),
            summary: noticeSummaries.barnteamAvbojt,
          }),
        };
      }
      case 'teamkanalStatus': {
        const data = readNoticeData('teamkanalStatus', payload.data);
        const channel = caseValue.individuelltBarnteam?.channel;
        // Only ever the team's own channel: the key the outbox resolved, or the channel's own.
        if (
          channel === undefined ||
          (recipientKey !== toTeamkanalKey(caseValue.id) && recipientKey !== channel.conversationKey)
        ) {
          return { drop: 'recipientHasNoAccess' };
        }
        if (caseValue.state === 'samtyckeAterkallat' && data.event !== 'teametAvslutat') {
          return { drop: 'consentWithdrawn' };
        }
        // A post queued before the closing would read as if the team were still at work.
        if (caseValue.state === 'avslutad' && data.event !== 'arendetAvslutat') {
          return { drop: 'noLongerRelevant' };
        }
        const cardData = {
          caseId: caseValue.id,
          reference,
          event: data.event,
          ...(channel.tab === undefined ? {} : { tabUrl: channel.tab.webUrl }),
        };
        return {
          render: () => ({
            kind: 'card',
            card: renderTeamkanalStatus(cardData),
            summary: `${teamkanalStatusTexts[data.event]} Ärende ${reference}.`,
          }),
        };
      }
      case 'individuelltBarnteamStartatSip': {
        const data = readNoticeData('individuelltBarnteamStartatSip', payload.data);
        if (currentBarnkontakt(caseValue)?.userId !== recipientKey) return { drop: 'recipientHasNoAccess' };
        const text = `${people.describe(data.startedBy, data.startedByName)} har startat ett Individuellt barnteam i ärende ${reference}, där du är Barnkontakt, som verksamhet med skyldighet att initiera SIP. Skriv "visa ${reference}" för att se ärendet och Barnets plan.`;
        return { render: () => ({ kind: 'text', text }) };
      }
      case 'atgardForsenadPaminnelse': {
        const data = readNoticeData('atgardForsenadPaminnelse', payload.data);
        const action = caseValue.barnetsPlan?.actions.find((item) => item.id === data.actionId);
        if (action === undefined || action.dueDate !== data.dueDate) return { drop: 'noLongerRelevant' };
        if (action.status !== 'planerad' && action.status !== 'pagar') return { drop: 'noLongerRelevant' };
        if (action.ownerUserId !== recipientKey || !authorize(caseValue, recipientKey, 'lasPlan').allowed) {
          return { drop: 'recipientHasNoAccess' };
        }
        const text = `En åtgärd i Barnets plan för ärende ${reference} som du ansvarar för skulle vara klar ${formatSwedishDate(data.dueDate)} och är inte markerad som genomförd. Skriv "visa ${reference}" och öppna Barnets plan för att uppdatera den.`;
        return { render: () => ({ kind: 'text', text }) };
      }
      case 'teammotePaminnelse': {
        const data = readNoticeData('teammotePaminnelse', payload.data);
        const meeting = caseValue.barnetsPlan?.nextMeeting;
        if (meeting?.state !== 'bokat' || Date.parse(meeting.start) !== Date.parse(data.meetingStart)) {
          return { drop: 'noLongerRelevant' };
        }
        if (!authorize(caseValue, recipientKey, 'lasPlan').allowed) return { drop: 'recipientHasNoAccess' };
        const link = meeting.joinUrl === undefined ? '' : ` Anslut i Teams: ${meeting.joinUrl}`;
        const text = `Påminnelse: Individuellt barnteam för ärende ${reference} ${formatMeetingTime(meeting.start, meeting.end)}.${link}`;
        return { render: () => ({ kind: 'text', text }) };
      }
      case 'arendeAvslutat': {
        const data = readNoticeData('arendeAvslutat', payload.data);
        if (caseValue.state !== 'avslutad') return { drop: 'noLongerRelevant' };
        if (!isUpptackare(caseValue, recipientKey)) return { drop: 'recipientHasNoAccess' };
        // That the child's needs are met is the family's to share; the Upptäckare hears only that it ended.
        const text = `Ärendet för ditt Upptäckarkort ${reference} är avslutat den ${formatSwedishDateOfInstant(data.at)}. Tack för att du uppmärksammade barnet.`;
        return { render: () => ({ kind: 'text', text }) };
      }
      case 'barnteamInstallt': {
        const data = readNoticeData('barnteamInstallt', payload.data);
        const meeting = await deps.stores.meetings.get(data.meetingId);
        if (meeting === undefined || meeting.value.state !== 'cancelled') return { drop: 'noLongerRelevant' };
        if (!isOnMeeting(meeting.value, recipientKey)) return { drop: 'recipientHasNoAccess' };
        const text = `${teamNameOf(meeting.value, deps.directory)} ${formatMeetingTime(data.meetingStart)} är inställt.`;
        return { render: () => ({ kind: 'text', text }) };
      }
    }
  } catch (error) {
    // A notice written by an incompatible version: its data does not fit its kind.
    if (error instanceof Error && error.name === 'ZodError') return { drop: 'unreadableNotice' };
    throw error;
  }
}

/**
 * The meeting, if it is still to be held at `expectedStart`: a cancelled, held or unbooked
 * meeting, or one moved since the notice was enqueued, makes the notice stale.
 */
async function readLiveMeeting(
  deps: NoticeRenderDependencies,
  meetingId: string,
  expectedStart: string,
): Promise<Versioned<BarnteamMeeting> | undefined> {
  const meeting = await deps.stores.meetings.get(meetingId);
  if (meeting === undefined) return undefined;
  const { state, start } = meeting.value;
  if (state !== 'booked' && state !== 'moved') return undefined;
  return Date.parse(start) === Date.parse(expectedStart) ? meeting : undefined;
}

/** "Erik Falk (Polisen) har tackat nej till mötet. …": the member by name and role, nothing about a child. */
function describeDecline(meeting: BarnteamMeeting, memberKey: string, directory: Directory): string {
  const member = meeting.members.find((item) => item.contactId === memberKey || item.userId === memberKey);
  const team = findBarnteamForUnit(directory, meeting.unitId);
  const inTeam = team?.members.find(
    (item) => item.contact.id === member?.contactId || item.contact.email === member?.email,
  );
  const who =
    inTeam === undefined ? 'En deltagare som krävs' : `${inTeam.contact.displayName} (${inTeam.roleLabel})`;
  return `${who} har tackat nej till mötet. Vill du flytta det, välj Flytta mötet.`;
}

function isOnMeeting(meeting: BarnteamMeeting, userId: UserId): boolean {
  return meeting.convenerUserId === userId || meeting.members.some((item) => item.userId === userId);
}

function teamNameOf(meeting: BarnteamMeeting, directory: Directory): string {
  return findBarnteamForUnit(directory, meeting.unitId)?.name ?? 'Barnteam';
}

/** The receipt card with the news on top; the Upptäckare alone may see it. */
function renderReceipt(
  caseValue: Case,
  recipientKey: UserId,
  directory: Directory,
  text: string,
  delivery?: KvittoDelivery,
): Decision {
  if (!isUpptackare(caseValue, recipientKey)) return { drop: 'recipientHasNoAccess' };
  const kvitto = toKvittoData(caseValue, recipientKey, directory, {
    notice: text,
    // Answers come from someone who got the card; only a delivery problem changes what it says.
    delivery: delivery ?? 'levererat',
  });
  if (kvitto === undefined) return { render: () => ({ kind: 'text', text }) };
  return { render: () => ({ kind: 'card', card: renderUpptackarkortKvitto(kvitto), summary: text }) };
}

/** The line above the notification card that says why it came again, or to whom. */
function describeNotisLine(payload: NoticePayload, caseValue: Case): string | undefined {
  switch (payload.notice) {
    case 'nyttArende':
      return currentRouting(caseValue)?.cause === 'skickaVidare'
        ? 'Kortet har skickats vidare till dig av en annan enhets Barnkontakt.'
        : undefined;
    case 'paminnelseBarnkontakt':
      return payload.data.asDeputy === true
        ? 'Påminnelse: kortet väntar fortfarande på svar. Du får det som ersättare för Barnkontakten.'
        : 'Påminnelse: kortet väntar fortfarande på svar.';
    case 'obesvaratTillReserv':
      return 'Kortet har inte besvarats efter påminnelser. Du får det som kommunens reservkontakt och kan svara på det.';
    default:
      return undefined;
  }
}

/** Whether the card still waits for the Barnkontakt on the routing the notice belongs to. */
function isWaitingOn(caseValue: Case, routingNo: number): boolean {
  return caseValue.state === 'vantarPaBarnkontakt' && currentRouting(caseValue)?.routingNo === routingNo;
}

function isUpptackare(caseValue: Case, userId: UserId): boolean {
  const decision = authorize(caseValue, userId, 'lasArende');
  return decision.allowed && decision.role === 'upptackare';
}

/** Staff as a text names them: "Maria Lind (Rektor)"; never anyone from the child's side. */
function createPeople(caseValue: Case, directory: Directory) {
  return {
    describe(userId: UserId, knownName?: string): string {
      const contact = directory.contacts.find((item) => item.aadObjectId === userId);
      if (contact !== undefined) return `${contact.displayName} (${contact.title})`;
      const name = knownName ?? caseValue.roles.findLast((role) => role.userId === userId)?.displayName;
      return name ?? 'Barnkontakten';
    },
  };
}
