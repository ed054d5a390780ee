/**
 * The follow-up figures' store, run against every store: events counted once by id, a term's
 * counts grouped and kept apart from other terms, and the figures a case write gives committed
 * with it (not when the write is refused).
 */
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../flows/kernel/errors.js';
import type { FigureCount, FigureEvent, FigureStore, Stores } from '../../flows/kernel/ports.js';
import { buildContractCase } from './contract-data.js';
import type { StorageContractSetup } from './storage-contract.js';

function event(id: string, overrides: Partial<FigureEvent> = {}): FigureEvent {
  return {
    id: `figure-event-${id}`.padEnd(16, '0'),
    term: '2026vt',
    metric: 'upptackarkort.internt',
    organisation: 'bjorkskolan',
    ...overrides,
  };
}

function figuresOf(stores: Stores): FigureStore {
  if (stores.figures === undefined) throw new Error('the store has no follow-up figures');
  return stores.figures;
}

function sorted(counts: FigureCount[]): FigureCount[] {
  return [...counts].sort((a, b) =>
    `${a.metric}|${a.organisation}|${a.workingDays ?? ''}`.localeCompare(
      `${b.metric}|${b.organisation}|${b.workingDays ?? ''}`,
    ),
  );
}

export function describeFigureContract(name: string, setup: StorageContractSetup): void {
  describe(`${name}: follow-up figures`, () => {
    it('counts an event appended twice once', async () => {
      const stores = await setup.open();
      const figures = figuresOf(stores);
      expect(await figures.append([event('a'), event('a')])).toBe(1);
      expect(await figures.append([event('a')])).toBe(0);
      expect(await figures.termCounts('2026vt')).toEqual([
        { metric: 'upptackarkort.internt', organisation: 'bjorkskolan', count: 1 },
      ]);
      await stores.close();
    });

    it('groups a term by metric, organisation and working days, apart from other terms', async () => {
      const stores = await setup.open();
      const figures = figuresOf(stores);
      await figures.append([
        event('b1'),
        event('b2'),
        event('b3', { organisation: 'polis', metric: 'orosanmalan.antal' }),
        event('b4', { metric: 'ledtid.kortTillMottagen', workingDays: 2 }),
        event('b5', { metric: 'ledtid.kortTillMottagen', workingDays: 2 }),
        event('b6', { metric: 'ledtid.kortTillMottagen', workingDays: 0 }),
        event('b7', { term: '2025ht' }),
      ]);
      expect(sorted(await figures.termCounts('2026vt'))).toEqual([
        { metric: 'ledtid.kortTillMottagen', organisation: 'bjorkskolan', workingDays: 0, count: 1 },
        { metric: 'ledtid.kortTillMottagen', organisation: 'bjorkskolan', workingDays: 2, count: 2 },
        { metric: 'orosanmalan.antal', organisation: 'polis', count: 1 },
        { metric: 'upptackarkort.internt', organisation: 'bjorkskolan', count: 2 },
      ]);
      expect(await figures.termCounts('2026vt', ['orosanmalan.antal'])).toEqual([
        { metric: 'orosanmalan.antal', organisation: 'polis', count: 1 },
      ]);
      expect(await figures.termCounts('2025ht')).toEqual([
        { metric: 'upptackarkort.internt', organisation: 'bjorkskolan', count: 1 },
      ]);
      expect(await figures.termCounts('2024vt')).toEqual([]);
      await stores.close();
    });

    it('refuses an event whose id could carry a case reference', async () => {
      const stores = await setup.open();
      const error = await figuresOf(stores)
        .append([event('c', { id: 'BB-4K7Q-2M9C/kort' })])
        .then(
          () => undefined,
          (reason: unknown) => reason,
        );
      expect(isDomainError(error, 'invalidInput')).toBe(true);
      expect(await figuresOf(stores).termCounts('2026vt')).toEqual([]);
      await stores.close();
    });

    it('commits the figures with the case write, and none when the write is refused', async () => {
      const stores = await setup.open();
      const created = await stores.cases.createWithEffects(buildContractCase(), {
        outbox: [],
        reminders: [],
        figures: [event('d1')],
      });
      await expect(
        stores.cases.replaceWithEffects(created.value, 'not-the-etag', {
          outbox: [],
          reminders: [],
          figures: [event('d2', { metric: 'barnsamtal.medBarn' })],
        }),
      ).rejects.toSatisfy((error: unknown) => isDomainError(error, 'concurrencyConflict'));
      await stores.cases.replaceWithEffects(created.value, created.etag, {
        outbox: [],
        reminders: [],
        figures: [event('d1'), event('d3', { metric: 'barnsamtal.medVardnadshavare' })],
      });
      expect(sorted(await figuresOf(stores).termCounts('2026vt'))).toEqual([
        { metric: 'barnsamtal.medVardnadshavare', organisation: 'bjorkskolan', count: 1 },
        { metric: 'upptackarkort.internt', organisation: 'bjorkskolan', count: 1 },
      ]);
      await stores.close();
    });

    if (setup.reopen !== undefined) {
      const reopen = setup.reopen;
      it('keeps the figures when the store is opened again', async () => {
        const stores = await setup.open();
        await figuresOf(stores).append([event('e')]);
        await stores.close();
        const again = await reopen();
        expect(await figuresOf(again).termCounts('2026vt')).toEqual([
          { metric: 'upptackarkort.internt', organisation: 'bjorkskolan', count: 1 },
        ]);
        await again.close();
      });
    }
  });
}
