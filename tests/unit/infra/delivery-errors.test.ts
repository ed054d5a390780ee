import { describe, expect, it } from 'vitest';
import { classifyDeliveryFailure, describeSendResult } from '../../../infra/outbox/delivery-errors.js';

describe('classifying a failed proactive send', () => {
  it('retries a 429 and keeps its Retry-After', () => {
    expect(classifyDeliveryFailure({ status: 429, retryAfterMs: 2_000 })).toEqual({
      outcome: 'retryable',
      status: 429,
      retryAfterMs: 2_000,
    });
  });

  it('retries 412, 502, 503, 504, 500, 401, timeouts and connections that never opened', () => {
    for (const status of [412, 502, 503, 504, 500, 401]) {
      expect(classifyDeliveryFailure({ status }).outcome, String(status)).toBe('retryable');
    }
    expect(classifyDeliveryFailure({ timedOut: true })).toEqual({ outcome: 'retryable', status: 'timeout' });
    expect(classifyDeliveryFailure({})).toEqual({ outcome: 'retryable', status: 'connectionFailed' });
  });

  it('parks a user who does not have the app, a missing conversation and a refused target', () => {
    expect(classifyDeliveryFailure({ status: 403, code: 'BotNotInConversationRoster' })).toEqual({
      outcome: 'permanent',
      status: 403,
      reason: 'BotNotInConversationRoster',
    });
    expect(classifyDeliveryFailure({ status: 404 })).toEqual({
      outcome: 'permanent',
      status: 404,
      reason: 'http404',
    });
    expect(classifyDeliveryFailure({ refused: true, status: 503 }).outcome).toBe('permanent');
  });

  it('stores only a short code, never text a server echoed back', () => {
    const echoed = classifyDeliveryFailure({ status: 400, code: 'Hej Åsa, 201503142388 är fel!' });
    expect(describeSendResult(echoed)).toBe('permanent:400:http400');
    const digits = classifyDeliveryFailure({ status: 400, code: 'X201503142388' });
    expect(describeSendResult(digits)).toBe('permanent:400:http400');
    const known = classifyDeliveryFailure({ status: 403, code: 'ConversationBlockedByUser' });
    expect(describeSendResult(known)).toBe('permanent:403:ConversationBlockedByUser');
  });
});
