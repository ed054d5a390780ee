/**
 * The ids of the follow-up figure events: an HMAC under a key derived from IDENTITY_HASH_KEY for
 * this one purpose, so an event id is stable for its fact (a retried write stores it once) but
 * cannot be matched to a case id or reference by anyone without the key, nor to identity keys.
 */
import { createHmac } from 'node:crypto';
import type { FigureIdHash } from '../flows/follow-up-figures/figure-recording-cases.js';

export function createFigureIdHash(identityHashKey: Uint8Array | string): FigureIdHash {
  const key = createHmac('sha256', identityHashKey).update('uppfoljningssiffror', 'utf8').digest();
  return (text) => createHmac('sha256', key).update(text, 'utf8').digest('base64url');
}
