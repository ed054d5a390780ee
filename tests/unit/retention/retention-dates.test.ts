import { describe, expect, it } from 'vitest';
import type { Case, ChronologyEntry } from '../../../flows/kernel/case.js';
import {
  auditErasureCutoff,
  auditErasureDate,
  caseErasureDate,
  findClosingEntry,
  isCaseDueForErasure,
} from '../../../flows/retention/retention-dates.js';

const retention = {
  closedCaseMonths: 24,
  declinedOrWithdrawnCaseMonths: 6,
  accessLogMonths: 60,
  teamChannelDays: 30,
};
const barnkontakt = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02';

function closedCase(
  state: Case['state'],
  chronology: ChronologyEntry[],
  updatedAt = '2026-03-01T09:00:00Z',
): Pick<Case, 'state' | 'chronology' | 'updatedAt'> {
  return { state, chronology, updatedAt };
}

const filed: ChronologyEntry = {
  at: '2025-01-10T08:00:00Z',
  by: barnkontakt,
  event: 'aktiveraBarnkontakt',
  to: 'vantarPaBarnkontakt',
};

describe('when a closed case is due for erasure', () => {
  it('counts an avslutad case from the Stockholm date of the entry that closed it', () => {
    // 23:30 UTC on 31 January is already 1 February in Stockholm.
    const caseValue = closedCase('avslutad', [
      filed,
      { at: '2025-03-02T10:00:00Z', by: barnkontakt, event: 'markeraBehovUppfyllt', to: 'behovUppfyllt' },
      {
        at: '2025-01-31T23:30:00Z',
        by: barnkontakt,
        event: 'avsluta',
        from: 'behovUppfyllt',
        to: 'avslutad',
      },
    ]);
    expect(findClosingEntry(caseValue)?.event).toBe('avsluta');
    expect(caseErasureDate(caseValue, retention)).toBe('2027-02-01');
    expect(isCaseDueForErasure(caseValue, retention, '2027-01-31')).toBe(false);
    expect(isCaseDueForErasure(caseValue, retention, '2027-02-01')).toBe(true);
    expect(isCaseDueForErasure(caseValue, retention, '2028-06-01')).toBe(true);
  });

  it('gives a declined and a withdrawn case their own, shorter period', () => {
    const declined = closedCase('avbojd', [
      filed,
      {
        at: '2025-08-31T10:00:00Z',
        by: barnkontakt,
        event: 'avboj',
        from: 'vantarPaBarnkontakt',
        to: 'avbojd',
      },
    ]);
    // 31 August plus six months: February has no 31st, so its last day.
    expect(caseErasureDate(declined, retention)).toBe('2026-02-28');
    const withdrawn = closedCase('samtyckeAterkallat', [
      filed,
      { at: '2025-05-05T12:00:00Z', by: barnkontakt, event: 'aterkallaSamtycke', to: 'samtyckeAterkallat' },
    ]);
    expect(caseErasureDate(withdrawn, retention)).toBe('2025-11-05');
    expect(
      isCaseDueForErasure(withdrawn, { ...retention, declinedOrWithdrawnCaseMonths: 12 }, '2025-11-05'),
    ).toBe(false);
  });

  it('never erases an open case, however old', () => {
    const open = closedCase('mottagen', [filed], '2010-01-01T00:00:00Z');
    expect(caseErasureDate(open, retention)).toBeUndefined();
    expect(isCaseDueForErasure(open, retention, '2099-01-01')).toBe(false);
  });

  it('counts a closed case without a closing entry from its last change', () => {
    expect(caseErasureDate(closedCase('avslutad', [filed], '2026-03-01T09:00:00Z'), retention)).toBe(
      '2028-03-01',
    );
  });
});

describe('when the access log is due', () => {
  it('gives an entry its date in Stockholm plus the log period', () => {
    expect(auditErasureDate('2021-06-30T22:15:00Z', retention)).toBe('2026-07-01');
  });

  it('deletes, on a day, every entry written before the start of the first date not yet due', () => {
    // On 2026-12-03 with 60 months: entries of 2021-12-03 and earlier are due; 2021-12-04 starts
    // at 23:00 UTC on 3 December (CET).
    expect(auditErasureCutoff('2026-12-03', retention)).toBe('2021-12-03T23:00:00.000Z');
    // Summer time: 2021-06-30 starts at 22:00 UTC on the 29th.
    expect(auditErasureCutoff('2026-06-29', retention)).toBe('2021-06-29T22:00:00.000Z');
  });

  it('takes the month-end dates that all fall due on the last day of a short month together', () => {
    const oneMonth = { ...retention, accessLogMonths: 1 };
    // 29, 30 and 31 January all fall due on 28 February 2025.
    expect(auditErasureCutoff('2025-02-27', oneMonth)).toBe('2025-01-27T23:00:00.000Z');
    expect(auditErasureCutoff('2025-02-28', oneMonth)).toBe('2025-01-31T23:00:00.000Z');
    expect(auditErasureDate('2025-01-30T12:00:00Z', oneMonth)).toBe('2025-02-28');
  });
});
