import { describe, expect, it } from 'vitest';
import type { Case } from '../../../flows/kernel/case.js';
import {
  buildDailyRetentionReminder,
  eraseDueCases,
  nextRetentionDay,
  retentionAuditKey,
} from '../../../flows/retention/erase-due-cases.js';
import { buildContractCase, rektorId } from '../../contract/contract-data.js';
import { createTestFlow } from '../../support/flow-fixtures.js';

function closedOn(id: string, at: string): Case {
  const base = buildContractCase({ id, reference: `BB-${id}` });
  return {
    ...base,
    state: 'avslutad',
    child: { ...base.child, identityKey: `key-${id}-0123456789` },
    chronology: [...base.chronology, { at, by: rektorId, event: 'avsluta', to: 'avslutad' }],
  };
}

describe('the night of the retention sweep', () => {
  it('is at 02:00 Stockholm time, tonight before two o’clock and tomorrow after', () => {
    expect(buildDailyRetentionReminder('2026-07-01', '2026-06-30T10:00:00Z')).toMatchObject({
      id: 'gallring-2026-07-01',
      dueAt: '2026-07-01T00:00:00.000Z',
      data: { day: '2026-07-01' },
    });
    expect(nextRetentionDay(new Date('2026-12-03T00:59:00Z'))).toBe('2026-12-03');
    expect(nextRetentionDay(new Date('2026-12-03T01:00:00Z'))).toBe('2026-12-04');
  });
});

describe('erasing the due cases', () => {
  it('erases only the cases due that night, and says so in the access log under gallring', async () => {
    const { deps, stores } = createTestFlow();
    await stores.cases.create(closedOn('arende-due', '2024-12-02T10:00:00Z'));
    await stores.cases.create(closedOn('arende-tomorrow', '2024-12-04T10:00:00Z'));
    const reminder = buildDailyRetentionReminder('2026-12-03', '2026-12-02T10:00:00Z');

    expect(await eraseDueCases(deps, reminder)).toEqual({
      erased: 1,
      more: false,
      auditEntriesDeleted: 0,
      messagesDeleted: 0,
    });

    expect(stores.snapshot().cases.map((caseValue) => caseValue.id)).toEqual(['arende-tomorrow']);
    const entries = await stores.audit.listForCase(retentionAuditKey);
    expect(entries.map((entry) => entry.action)).toEqual(['gallraArende', 'gallraAtkomstlogg']);
    expect(JSON.stringify(entries)).not.toMatch(/Åsa|Öberg|201503142388|BB-arende-due/);
    expect(await stores.reminders.get('gallring-2026-12-04')).toBeDefined();
  });

  it('does not erase a case whose erasure could not be written to the access log', async () => {
    const { deps, stores } = createTestFlow();
    await stores.cases.create(closedOn('arende-due', '2024-01-02T10:00:00Z'));
    stores.failNext('audit.append');

    await expect(
      eraseDueCases(deps, buildDailyRetentionReminder('2026-12-03', '2026-12-02T10:00:00Z')),
    ).rejects.toThrow();

    expect(stores.snapshot().cases.map((caseValue) => caseValue.id)).toEqual(['arende-due']);
    // Run again (the claim ran out): now it is erased, with one entry.
    await eraseDueCases(deps, buildDailyRetentionReminder('2026-12-03', '2026-12-02T10:00:00Z'));
    expect(stores.snapshot().cases).toEqual([]);
    expect(
      (await stores.audit.listForCase(retentionAuditKey)).filter((entry) => entry.action === 'gallraArende'),
    ).toHaveLength(1);
  });
});
