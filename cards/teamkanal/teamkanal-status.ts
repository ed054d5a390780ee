/**
 * A status post in the Individuellt barnteam's private channel: what happened to Barnets plan and
 * the case reference, nothing else. A channel post is read in the activity feed, on phones and by
 * every member, so it never holds the child's name, identity number or what the plan says. The
 * buttons open the plan where the reader's role in the case decides what they see: the channel
 * tab (Teams' deep link to it, or locally its page in the browser) once it is pinned, and the
 * reader's personal chat (`plan.visa`). The link names the case by its opaque id only.
 */
import { z } from 'zod';
import { teamkanalEvents } from '../../flows/kernel/notices.js';
import { type AdaptiveCardJson, renderCardTemplate } from '../render-template.js';
import template from './teamkanal-status.json' with { type: 'json' };

export const showPlanVerb = 'plan.visa';

/** The status line of each event: a fact of the plan's progress, never its content. */
export const teamkanalStatusTexts: Readonly<Record<(typeof teamkanalEvents)[number], string>> = {
  teametStartat: 'Individuellt barnteam har startat. Här publiceras status för Barnets plan.',
  planFaststalld: 'Barnets plan är fastställd.',
  atgardGenomford: 'En åtgärd i Barnets plan är genomförd.',
  atgardForsenad: 'En åtgärd i Barnets plan är försenad. Den som ansvarar för den har fått en påminnelse.',
  uppfoljningRegistrerad: 'En uppföljning med Behovskompassen är registrerad i Barnets plan.',
  motesBokat: 'Nästa möte i Individuellt barnteam är bokat. Tiden finns i kallelsen.',
  stodsamordnareUtsedd: 'En Stödsamordnare är utsedd och ansvarar nu för Barnets plan.',
  medlemTillagd: 'En medlem har lagts till i teamet.',
  medlemBorttagen: 'En medlem har lämnat teamet.',
  teametAvslutat: 'Samtycket har återkallats; teamet är avslutat.',
  arendetAvslutat: 'Individuellt barnteam har avslutats och ärendet är avslutat.',
};

export const ZTeamkanalStatusData = z.object({
  caseId: z.string().min(1).max(100),
  reference: z.string().min(1).max(40),
  event: z.enum(teamkanalEvents),
  /** The pinned tab's deep link (`webUrl` from Teams), or locally the tab's page. */
  tabUrl: z
    .string()
    .url()
    .max(2000)
    .refine((url) => /^https?:/.test(url))
    .optional(),
});
export type TeamkanalStatusData = z.input<typeof ZTeamkanalStatusData>;

/**
 * Renders one post. The last post (a withdrawn consent, a closed case) has no button: nothing more is shown.
 *
 * @throws CardRenderError when the data does not match `ZTeamkanalStatusData`.
 */
export function renderTeamkanalStatus(data: TeamkanalStatusData): AdaptiveCardJson {
  return renderCardTemplate('teamkanal-status', template, ZTeamkanalStatusData, data, (parsed) => ({
    reference: parsed.reference,
    status: teamkanalStatusTexts[parsed.event],
    caseId: parsed.caseId,
    hasPlanButton: !isLastPost(parsed.event),
    hasTabButton: !isLastPost(parsed.event) && parsed.tabUrl !== undefined,
    tabUrl: parsed.tabUrl ?? '',
  }));
}

/** The team's last post, after which the plan is no longer shown to anyone: no buttons. */
function isLastPost(event: (typeof teamkanalEvents)[number]): boolean {
  return event === 'teametAvslutat' || event === 'arendetAvslutat';
}
