/**
 * The routed Barnkontakt's notification: what is needed to act on the Upptäckarkort and no more
 * (nödvändig, relevant, proportionerlig). The child is named with age and birth date, because
 * the Barnkontakt must find the child in the unit's own records; the identity number is left
 * out, it is not needed to decide whether to take the case.
 *
 * Every action carries the case id and the ETag the card was rendered from, so that a click on
 * an old card is answered with the current state rather than applied to a case that has moved.
 */
import { z } from 'zod';
import { ZCalendarDate, ZInstant, ZUserId } from '../../flows/kernel/case.js';
import {
  buildAreaRows,
  consentGiverLabels,
  formatChildName,
  joinSwedish,
  reporterOrganisationLabels,
  ZAreaRatings,
  ZCardChild,
  ZCardConsent,
  ZCardReporter,
} from '../card-parts.js';
import { type AdaptiveCardJson, renderCardTemplate } from '../render-template.js';
import { describeAge, formatSwedishDateOfInstant } from '../swedish-format.js';
import template from './barnkontakt-notis.json' with { type: 'json' };

export const barnkontaktNotisVerbs = {
  taEmot: 'arende.taEmot',
  skickaVidare: 'arende.skickaVidare',
  avboj: 'arende.avboj',
  visa: 'arende.visa',
} as const;

export const recipientRoles = ['barnkontakt', 'ersattare', 'reservkontakt'] as const;

const recipientRoleNames: Readonly<Record<(typeof recipientRoles)[number], string>> = {
  barnkontakt: 'Barnkontakt',
  ersattare: 'ersättare för Barnkontakten',
  reservkontakt: 'kommunens reservkontakt',
};

const shareReasons: Readonly<Record<(typeof recipientRoles)[number], string>> = {
  barnkontakt: 'barnets Barnkontakt',
  ersattare: 'ersättare för barnets Barnkontakt',
  reservkontakt: 'kommunens reservkontakt och ska se till att kortet når rätt Barnkontakt',
};

export const ZBarnkontaktNotisData = z.object({
  caseId: z.string().min(1).max(100),
  /** The case document's ETag when the card was rendered. */
  etag: z.string().min(1).max(200),
  reference: z.string().min(1).max(40),
  /** Today's Stockholm date, for the child's age. */
  today: ZCalendarDate,
  filedAt: ZInstant,
  // The identity number is dropped here even if the caller passes it: this card never shows it.
  child: ZCardChild.omit({ identityNumber: true }),
  unitName: z.string().min(1).max(200),
  areas: ZAreaRatings,
  observation: z.string().min(1).max(4000),
  talkedWithGuardian: z.boolean(),
  reporter: ZCardReporter.extend({
    /** From another organisation than the Barnkontakt's own (counted as an external card). */
    external: z.boolean(),
  }),
  consent: ZCardConsent,
  /** The routing's Swedish explanation (`RoutingOutcome.reason`). */
  routingReason: z.string().min(1).max(2000),
  /** Other units with a Barnkontakt, for Skicka vidare, titled and sorted by the caller. */
  forwardTargets: z.array(z.object({ id: z.string().min(1), title: z.string().min(1).max(300) })),
  /**
   * In which role the viewer gets the card. The municipality's fallback contact is not the
   * child's Barnkontakt and must not be called so: they route the card on, they do not own it.
   */
  recipientRole: z.enum(recipientRoles).default('barnkontakt'),
  /** The routed Barnkontakt and deputy: the users whose card refreshes (Teams allows 60). */
  refreshUserIds: z.array(ZUserId).min(1).max(60),
  /**
   * A later Upptäckarkort about a child whose case is already open: the card shows that one.
   * It does not refresh (a refresh shows the case's first card), and it carries Ta emot,
   * Skicka vidare and Avböj only while the case still waits for an answer (`answerable`).
   */
  addedToOpenCase: z.boolean().default(false),
  answerable: z.boolean().default(true),
});
export type BarnkontaktNotisData = z.input<typeof ZBarnkontaktNotisData>;

/**
 * Renders the notification with Ta emot, Skicka vidare and Avböj.
 *
 * @throws CardRenderError when the data does not match `ZBarnkontaktNotisData`.
 */
export function renderBarnkontaktNotis(data: BarnkontaktNotisData): AdaptiveCardJson {
  const card = renderCardTemplate('barnkontakt-notis', template, ZBarnkontaktNotisData, data, (parsed) => {
    const areas = buildAreaRows(parsed.areas);
    const flaggedAreas = areas.filter((area) => area.assessment === 'behoverStarkas');
    const wellAreas = areas
      .filter((area) => area.assessment === 'fungerarBra')
      .map((area) => ({ ...area, commentSuffix: area.hasComment ? ` – ${area.comment}` : '' }));
    const reporter = parsed.reporter;
    return {
      caseId: parsed.caseId,
      etag: parsed.etag,
      refreshUserIds: parsed.refreshUserIds,
      heading: parsed.addedToOpenCase
        ? 'Nytt Upptäckarkort i ett pågående ärende'
        : `Nytt Upptäckarkort till dig som ${recipientRoleNames[parsed.recipientRole]}`,
      shareReason: shareReasons[parsed.recipientRole],
      caseFacts: [
        { label: 'Ärende', value: parsed.reference },
        { label: 'Barn', value: formatChildName(parsed.child) },
        { label: 'Ålder', value: describeAge(parsed.child, parsed.today) },
        { label: 'Enhet', value: parsed.unitName },
        { label: 'Inkom', value: formatSwedishDateOfInstant(parsed.filedAt) },
      ],
      flaggedAreas,
      hasFlaggedAreas: flaggedAreas.length > 0,
      wellAreas,
      hasWellAreas: wellAreas.length > 0,
      observation: parsed.observation,
      talkedWithGuardianText: parsed.talkedWithGuardian
        ? 'Upptäckaren har samtalat med vårdnadshavare.'
        : 'Upptäckaren har inte samtalat med vårdnadshavare.',
      reporterFacts: [
        { label: 'Namn', value: reporter.displayName },
        { label: 'Roll', value: reporter.role },
        { label: 'Organisation', value: reporterOrganisationLabels[reporter.organisation] },
        ...(reporter.unitName ? [{ label: 'Enhet', value: reporter.unitName }] : []),
        {
          label: 'Från',
          value: reporter.external ? 'En annan organisation än din (externt kort)' : 'Din egen organisation',
        },
      ],
      consentText: `Muntligt samtycke från ${joinSwedish(
        parsed.consent.givenBy.map((giver) => consentGiverLabels[giver].toLowerCase()),
      )}, registrerat av ${parsed.consent.recordedByName} den ${formatSwedishDateOfInstant(parsed.consent.at)}.`,
      routingReason: parsed.routingReason,
      forwardTargets: parsed.forwardTargets,
      // A choice set without choices is an invalid card; with nowhere to forward, the action goes.
      hasForwardTargets: parsed.forwardTargets.length > 0,
    };
  });
  if (data.addedToOpenCase !== true) return card;
  const { refresh: _refreshShowsTheFirstCard, actions, ...rest } = card;
  return data.answerable === false ? rest : { ...rest, actions };
}
