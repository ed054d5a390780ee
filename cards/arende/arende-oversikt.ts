/**
 * The case overview ("visa BB-…", and the Visa ärendet button on the case's cards): the state,
 * who has the case, the consent steps, what was last decided and talked about, what happens
 * next and what happened when. What goes in is already cut to the viewer's role by the caller
 * (bot/card-views/case-overview-view.ts); this module only lays it out.
 */
import { z } from 'zod';
import { ZInstant, ZUserId } from '../../flows/kernel/case.js';
import { type AdaptiveCardJson, renderCardTemplate } from '../render-template.js';
import { formatSwedishDateOfInstant } from '../swedish-format.js';
import { besvaradEntryVerbs, buildCaseNavigationActions } from '../upptackt/barnkontakt-notis-besvarad.js';
import template from './arende-oversikt.json' with { type: 'json' };

export const arendeOversiktVerb = besvaradEntryVerbs.oversikt;

/** How many events the card lists, newest kept: a card has a size limit, a case has a history. */
export const overviewEventLimit = 25;

const ZText = z.string().min(1).max(2000);

export const ZArendeOversiktData = z.object({
  caseId: z.string().min(1).max(100),
  reference: z.string().min(1).max(40),
  /** Said above everything: what was just saved (`sparat`), or another answer (`info`). */
  banner: z.object({ text: ZText, kind: z.enum(['sparat', 'info']) }).optional(),
  facts: z.array(z.object({ label: z.string().min(1).max(100), value: ZText })).min(1),
  nextStep: ZText,
  /** "Samtycke", "Senaste beslut", "Senaste samtal": only what the viewer's role may see. */
  sections: z.array(z.object({ heading: z.string().min(1).max(100), lines: z.array(ZText).min(1) })),
  events: z.array(z.object({ at: ZInstant, text: ZText })),
  /** Why the viewer sees this, in one line (the role). */
  shareReason: ZText,
  /** The buttons into the support process, as on the case's other cards. */
  entryActions: z.boolean().default(false),
  bookBarnteam: z.boolean().default(false),
  /** Barnets plan, for someone who may read it. */
  barnetsPlan: z.boolean().default(false),
  /** "Barnets behov är uppfyllt" (`avslut.visa`), for whoever may close the case from here. */
  closeCase: z.boolean().default(false),
  /** The case's version, when the viewer may start an Individuellt barnteam under a SIP duty. */
  startSipEtag: z.string().min(1).max(200).optional(),
  /** The users for whom the card refreshes when opened (Teams allows 60). */
  refreshUserIds: z.array(ZUserId).min(1).max(60),
});
export type ArendeOversiktData = z.input<typeof ZArendeOversiktData>;

/**
 * @throws CardRenderError when the data does not match `ZArendeOversiktData`.
 */
export function renderArendeOversikt(data: ArendeOversiktData): AdaptiveCardJson {
  const card = renderCardTemplate('arende-oversikt', template, ZArendeOversiktData, data, (parsed) => {
    const shown = parsed.events.slice(-overviewEventLimit);
    const earlier = parsed.events.length - shown.length;
    const saved = parsed.banner?.kind === 'sparat';
    return {
      caseId: parsed.caseId,
      reference: parsed.reference,
      refreshUserIds: parsed.refreshUserIds,
      hasBanner: parsed.banner !== undefined,
      banner: parsed.banner?.text ?? '',
      // Success reads as success: green, never the red of an error.
      bannerStyle: saved ? 'good' : 'accent',
      bannerColour: saved ? 'good' : 'accent',
      facts: parsed.facts,
      nextStep: parsed.nextStep,
      sections: parsed.sections.map((section) => ({
        heading: section.heading,
        lines: section.lines.map((text) => ({ text })),
      })),
      hasEarlier: earlier > 0,
      earlierText: `${earlier} tidigare ${earlier === 1 ? 'händelse visas' : 'händelser visas'} inte här.`,
      events: shown.map((event) => ({ date: formatSwedishDateOfInstant(event.at), text: event.text })),
      shareReason: parsed.shareReason,
    };
  });
  const actions = buildCaseNavigationActions({
    caseId: data.caseId,
    entryActions: data.entryActions === true,
    bookBarnteam: data.bookBarnteam === true,
    plan: data.barnetsPlan === true,
    ...(data.startSipEtag === undefined ? {} : { startSipEtag: data.startSipEtag }),
    omitVerb: arendeOversiktVerb,
    overview: false,
  });
  const closing =
    data.closeCase === true
      ? [
          {
            type: 'Action.Execute',
            title: 'Barnets behov är uppfyllt',
            verb: 'avslut.visa',
            data: { caseId: data.caseId },
            associatedInputs: 'none',
          },
        ]
      : [];
  const all = [...actions, ...closing];
  return all.length === 0 ? card : { ...card, actions: all };
}
