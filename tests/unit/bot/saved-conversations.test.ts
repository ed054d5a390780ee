/**
 * The memory of saved conversation references is fed by every activity, hostile ones too: it
 * must stay at its capacity however many distinct users and conversations write, forget the
 * least recently used first, and never mistake a changed reference for the saved one.
 */
import { describe, expect, it } from 'vitest';
import {
  createSavedConversationMemory,
  savedConversationCapacity,
} from '../../../bot/saved-conversations.js';
import type { StoredConversation } from '../../../flows/kernel/ports.js';

const tenantId = '5e0b1d3a-7c2f-4b8e-9a61-3f4d2c1b0a99';

function conversation(key: string, conversationId = `a:personal-${key}`): StoredConversation {
  return {
    key,
    tenantId,
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    conversationId,
    updatedAt: '2026-03-03T09:00:00.000Z',
    reference: { channelId: 'msteams', conversation: { id: conversationId } },
  };
}

describe('the memory of saved conversation references', () => {
  it('stays at its capacity after ten times as many distinct keys, keeping the newest', () => {
    const memory = createSavedConversationMemory(100);
    for (let index = 0; index < 1_000; index += 1) {
      memory.remember(conversation(`user-${index}`));
      expect(memory.size).toBeLessThanOrEqual(100);
    }
    expect(memory.size).toBe(100);
    expect(memory.isUnchanged(conversation('user-999'))).toBe(true);
    expect(memory.isUnchanged(conversation('user-900'))).toBe(true);
    expect(memory.isUnchanged(conversation('user-899'))).toBe(false);
    expect(memory.isUnchanged(conversation('user-0'))).toBe(false);
  });

  it('holds at most the default capacity however many keys arrive', () => {
    const memory = createSavedConversationMemory();
    for (let index = 0; index < savedConversationCapacity + 2_500; index += 1) {
      memory.remember(conversation(`user-${index}`));
    }
    expect(memory.size).toBe(savedConversationCapacity);
  });

  it('forgets the least recently used key first: one that keeps writing stays', () => {
    const memory = createSavedConversationMemory(3);
    memory.remember(conversation('a'));
    memory.remember(conversation('b'));
    memory.remember(conversation('c'));
    expect(memory.isUnchanged(conversation('a'))).toBe(true);

    memory.remember(conversation('d'));

    expect(memory.isUnchanged(conversation('b'))).toBe(false);
    expect(memory.isUnchanged(conversation('a'))).toBe(true);
    expect(memory.isUnchanged(conversation('c'))).toBe(true);
    expect(memory.isUnchanged(conversation('d'))).toBe(true);
    expect(memory.size).toBe(3);
  });

  it('takes a changed reference for a new one, and an unchanged one whatever its time', () => {
    const memory = createSavedConversationMemory(10);
    memory.remember(conversation('alex'));
    expect(memory.isUnchanged({ ...conversation('alex'), updatedAt: '2026-03-04T09:00:00.000Z' })).toBe(true);
    expect(memory.isUnchanged(conversation('alex', 'a:ny-chatt'))).toBe(false);
    expect(
      memory.isUnchanged({ ...conversation('alex'), serviceUrl: 'https://smba.trafficmanager.net/amer/' }),
    ).toBe(false);
  });

  it('remembers a reference whose ids are very long', () => {
    const memory = createSavedConversationMemory(2);
    const long = conversation('x'.repeat(400), `a:${'y'.repeat(200_000)}`);
    memory.remember(long);
    expect(memory.isUnchanged(long)).toBe(true);
    expect(memory.size).toBe(1);
  });

  it('refuses a capacity that is not a positive whole number', () => {
    expect(() => createSavedConversationMemory(0)).toThrow(RangeError);
    expect(() => createSavedConversationMemory(1.5)).toThrow(RangeError);
  });
});
