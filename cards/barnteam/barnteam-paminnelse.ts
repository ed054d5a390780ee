/**
 * The reminder each Barnteam member gets before a meeting (by default the day before and one hour
 * before): when, the join link, the dagordning, and per child on the agenda a button that opens
 * the Skattningsformulär for that child (`skattning.oppna`). The reminder goes to every member,
 * so a child appears by initials and case reference only.
 */
import { z } from 'zod';
import { type AdaptiveCardJson, renderCardTemplate } from '../render-template.js';
import template from './barnteam-paminnelse.json' with { type: 'json' };
import { numberDagordning, ZCardAgendaItem, ZCardDagordning } from './barnteam-parts.js';

export const barnteamPaminnelseVerb = 'skattning.oppna';

export const reminderTimings = ['dagenFore', 'omEnTimme'] as const;

const reminderTitles: Readonly<Record<(typeof reminderTimings)[number], string>> = {
  dagenFore: 'Påminnelse: Barnteam i morgon',
  omEnTimme: 'Påminnelse: Barnteam om en timme',
};

export const ZBarnteamPaminnelseData = z.object({
  meetingId: z.string().min(1).max(200),
  /** The meeting document's ETag when the reminder was rendered. */
  etag: z.string().min(1).max(200),
  teamName: z.string().min(1).max(200),
  when: z.enum(reminderTimings),
  /** "tisdag 7 april 2026 kl. 09:00–10:00". */
  timeLabel: z.string().min(1).max(100),
  joinUrl: z.string().url().max(2000).optional(),
  dagordning: ZCardDagordning,
  agenda: z.array(ZCardAgendaItem).min(1).max(50),
});
export type BarnteamPaminnelseData = z.input<typeof ZBarnteamPaminnelseData>;

/**
 * Renders one member's reminder.
 *
 * @throws CardRenderError when the data does not match `ZBarnteamPaminnelseData`.
 */
export function renderBarnteamPaminnelse(data: BarnteamPaminnelseData): AdaptiveCardJson {
  return renderCardTemplate('barnteam-paminnelse', template, ZBarnteamPaminnelseData, data, (parsed) => ({
    title: reminderTitles[parsed.when],
    meetingId: parsed.meetingId,
    etag: parsed.etag,
    teamName: parsed.teamName,
    timeLabel: parsed.timeLabel,
    hasJoinUrl: parsed.joinUrl !== undefined,
    joinUrl: parsed.joinUrl ?? '',
    dagordning: numberDagordning(parsed.dagordning),
    agenda: parsed.agenda.map((item) => ({
      caseId: item.caseId,
      buttonTitle: `Fyll i skattning för ${item.reference} (${item.initials})`,
    })),
  }));
}
