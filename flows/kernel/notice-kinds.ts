/**
 * The kinds of notice the support process sends, in a module of their own: the outbox's message
 * schema (`ports.ts`) names them, and the notices' data schemas (`notices.ts`) build on the
 * outbox message, so neither of those two may import the other.
 */
import { z } from 'zod';

export const noticeKinds = [
  'nyttArende',
  'upptackarkortTillagt',
  'paminnelseBarnkontakt',
  'vantarFortfarande',
  'kortetNarInteFram',
  'obesvaratTillReserv',
  'mottaget',
  'vidarebefordrat',
  'avbojt',
  'orosanmalan',
  'uppfoljningEgenVerksamhet',
  'beslutFattat',
  'uppfoljningBeslut',
  'barnteamDagordning',
  'barnteamPaminnelse',
  'barnteamFlyttat',
  'barnteamInstallt',
  'barnteamAvbojt',
  'uppfoljningBarnteam',
  'teamkanalStatus',
  'individuelltBarnteamStartatSip',
  'atgardForsenadPaminnelse',
  'teammotePaminnelse',
  'arendeAvslutat',
] as const;
export const ZNoticeKind = z.enum(noticeKinds);
export type NoticeKind = z.infer<typeof ZNoticeKind>;
