/**
 * Which tenant an activity comes from. Teams puts it in `conversation.tenantId` and in
 * `channelData.tenant.id`; when both are present they must agree, since a disagreement means
 * the activity was not built by Teams.
 *
 * It is the tenant of the conversation, not of the person's employer: a guest in the
 * municipality's tenant (a region nurse) writes with the municipality's tenant id, and only an
 * app used from several tenants sees the others (README, "Members from several organisations").
 * The allow-list admits a tenant and nothing more: access to a case is by the role in it.
 */
import type { Activity } from 'botbuilder';
import { z } from 'zod';

const ZTenantChannelData = z.object({ tenant: z.object({ id: z.string().min(1) }) });
// Read before the activity's shape is checked (the allow-list runs with authentication), so a
// tenant id that is not a string counts as none rather than reaching `toLowerCase`.
const ZTenantConversation = z.object({ tenantId: z.string().min(1) });

/** The activity's tenant id, or `undefined` when it names none or two different ones. */
export function readTenantId(activity: Partial<Activity>): string | undefined {
  const conversation = ZTenantConversation.safeParse(activity.conversation);
  const fromConversation = conversation.success ? conversation.data.tenantId : undefined;
  const channelData = ZTenantChannelData.safeParse(activity.channelData);
  const fromChannelData = channelData.success ? channelData.data.tenant.id : undefined;
  if (
    fromConversation !== undefined &&
    fromChannelData !== undefined &&
    fromConversation !== fromChannelData
  ) {
    return undefined;
  }
  return fromConversation ?? fromChannelData;
}

/** Tenant ids compare case-insensitively (they are GUIDs). */
export function createTenantAllowList(
  tenantIds: readonly string[],
): (tenantId: string | undefined) => boolean {
  const allowed = new Set(tenantIds.map((id) => id.toLowerCase()));
  return (tenantId) => tenantId !== undefined && allowed.has(tenantId.toLowerCase());
}
