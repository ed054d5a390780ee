/**
 * The channel tab put together from the configuration: its pages and its API, with the token
 * check that fits the mode. In production the keys are Entra ID's, fetched per allowed tenant
 * (jose caches and refreshes them, and refetches on an unknown `kid`, which is how Entra's key
 * rotation reaches us); locally the key is the local sign-in's, made at start.
 */

import type { Router } from 'express';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import type { FlowDependencies } from '../flows/kernel/case-effects.js';
import type { TabConfig } from '../infra/config.js';
import type { Logger } from '../infra/logger.js';
import { createLocalTokenIssuer, localClientId, localIssuerFor } from './local-sign-in.js';
import { createTabApi, type FamilyCopyRenderer } from './tab-api.js';
import { createTabSite, findTabBuildDir } from './tab-site.js';
import { entraIssuerFor, type TabTokenSettings } from './tab-token.js';

export interface ChannelTab {
  readonly site: Router;
  readonly api: Router;
  /** The tab's page for a case: the contentUrl of the channel's tab and the posts' button. */
  toPlanUrl(caseId: string): string;
}

export function toTabPlanUrl(publicBaseUrl: string, caseId: string): string {
  return `${publicBaseUrl}/tab/index.html?arende=${encodeURIComponent(caseId)}`;
}

export async function createChannelTab(options: {
  readonly config: TabConfig;
  readonly allowedTenantIds: readonly string[];
  readonly flow: FlowDependencies;
  readonly logger: Logger;
  readonly kick: () => void;
  readonly familyCopy?: FamilyCopyRenderer;
  readonly buildDir?: string;
}): Promise<ChannelTab> {
  const { config } = options;
  let tokens: TabTokenSettings;
  let localSignIn: Awaited<ReturnType<typeof createLocalTokenIssuer>> | undefined;
  if (config.kind === 'local') {
    const [tenantId] = options.allowedTenantIds;
    if (tenantId === undefined) throw new Error('Lokalt läge saknar tenant för kanalfliken.');
    localSignIn = await createLocalTokenIssuer({ tenantId, now: () => options.flow.clock.now() });
    const keySet = localSignIn.keySet;
    tokens = {
      clientId: localClientId,
      allowedTenantIds: [tenantId],
      keysFor: () => keySet,
      issuerFor: localIssuerFor,
      // The issuer dates its tokens by the bot's clock; checked by the same clock, a bot started
      // days ahead (LOCAL_CLOCK_OFFSET) accepts its own sign-ins.
      now: () => options.flow.clock.now(),
    };
  } else {
    const keySets = new Map<string, JWTVerifyGetKey>();
    tokens = {
      clientId: config.clientId,
      appIdUri: config.appIdUri,
      allowedTenantIds: options.allowedTenantIds,
      // Only allow-listed tenants get here (verifyTabToken checks first), so the map stays small.
      keysFor: (tenantId) => {
        let keys = keySets.get(tenantId);
        if (keys === undefined) {
          keys = createRemoteJWKSet(
            new URL(`https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`),
          );
          keySets.set(tenantId, keys);
        }
        return keys;
      },
      issuerFor: entraIssuerFor,
    };
  }
  return {
    site: createTabSite({ buildDir: options.buildDir ?? findTabBuildDir(), local: config.kind === 'local' }),
    api: createTabApi({
      flow: options.flow,
      tokens,
      logger: options.logger,
      kick: options.kick,
      ...(localSignIn === undefined ? {} : { localSignIn }),
      ...(options.familyCopy === undefined ? {} : { familyCopy: options.familyCopy }),
    }),
    toPlanUrl: (caseId) => toTabPlanUrl(config.publicBaseUrl, caseId),
  };
}
