/**
 * The parts of Microsoft Graph's Teams answers the private-channel provisioning reads, as
 * documented (channel, conversationMember, teamsApp, teamsAppInstallation). Unknown properties
 * are ignored; a missing property we rely on makes the answer unusable.
 */
import { z } from 'zod';

/** A channel (`GET /teams/{id}/channels`, `POST /teams/{id}/channels`). */
export const ZGraphChannel = z.object({
  id: z.string().min(1),
  displayName: z.string(),
  description: z.string().nullish(),
  membershipType: z.enum(['standard', 'private', 'shared', 'unknownFutureValue']).nullish(),
});

export const ZGraphChannelList = z.object({ value: z.array(ZGraphChannel) });

/** An `aadUserConversationMember` of a team or channel. */
export const ZGraphConversationMember = z.object({
  id: z.string().min(1),
  roles: z.array(z.string()).nullish(),
  /** Absent for members Graph cannot map to a user of the tenant (we leave those alone). */
  userId: z.string().nullish(),
});

export const ZGraphConversationMemberList = z.object({
  value: z.array(ZGraphConversationMember),
  '@odata.nextLink': z.string().url().optional(),
});

/** An app of the tenant's catalog (`GET /appCatalogs/teamsApps`). */
export const ZGraphTeamsApp = z.object({
  id: z.string().min(1),
  externalId: z.string().nullish(),
});

export const ZGraphTeamsAppList = z.object({ value: z.array(ZGraphTeamsApp) });

/** An app installed in a team (`GET /teams/{id}/installedApps?$expand=teamsApp`). */
export const ZGraphTeamsAppInstallation = z.object({
  id: z.string().min(1),
  teamsApp: ZGraphTeamsApp.nullish(),
});

export const ZGraphTeamsAppInstallationList = z.object({ value: z.array(ZGraphTeamsAppInstallation) });

/** A tab of a channel (`GET /teams/{id}/channels/{id}/tabs?$expand=teamsApp`, `POST …/tabs`). */
export const ZGraphTeamsTab = z.object({
  id: z.string().min(1),
  displayName: z.string().nullish(),
  webUrl: z.string().url(),
  configuration: z.object({ entityId: z.string().nullish(), contentUrl: z.string().nullish() }).nullish(),
  teamsApp: ZGraphTeamsApp.nullish(),
});

export const ZGraphTeamsTabList = z.object({ value: z.array(ZGraphTeamsTab) });
