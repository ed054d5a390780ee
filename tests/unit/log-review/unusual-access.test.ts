import { describe, expect, it } from 'vitest';
import type { Case } from '../../../flows/kernel/case.js';
import { ZLogReview } from '../../../flows/kernel/directory.js';
import type { AuditEntry } from '../../../flows/kernel/ports.js';
import {
  assessUnusualAccess,
  findManyCaseReads,
  markUnusualAccess,
  stateAt,
} from '../../../flows/log-review/unusual-access.js';
import { buildCase, buildRole, createdAt, users } from '../../fixtures/case-fixtures.js';

const manyCases = { cases: 3, withinMinutes: 60 };

function read(overrides: Partial<AuditEntry> & Pick<AuditEntry, 'at'>): AuditEntry {
  return {
    id: `a-${overrides.at}-${overrides.caseId ?? 'case-0001'}`,
    actor: users.barnkontakt,
    action: 'lasArende',
    caseId: 'case-0001',
    outcome: 'allowed',
    ...overrides,
  };
}

function casesOf(...values: Case[]): Map<string, Case> {
  return new Map(values.map((value) => [value.id, value]));
}

describe('markUnusualAccess', () => {
  it('marks a read by someone without a role in the case, and not one by a role holder', () => {
    const marks = markUnusualAccess(
      [
        read({ at: '2026-11-02T09:00:00Z' }),
        read({ at: '2026-11-02T09:05:00Z', actor: users.annanBarnkontakt }),
      ],
      casesOf(buildCase()),
      manyCases,
    );

    expect(marks).toEqual([[], ['utanRoll']]);
  });

  it('counts a role from its start until its end: a read after the role ended, or before it began, is marked', () => {
    const caseValue = buildCase({
      roles: [
        buildRole({
          userId: users.ersattare,
          role: 'ersattare',
          since: '2026-11-02T10:00:00Z',
          until: '2026-11-02T12:00:00Z',
        }),
      ],
    });
    const at = (time: string) => read({ at: `2026-11-02T${time}Z`, actor: users.ersattare });

    expect(
      markUnusualAccess(
        [at('09:59:59'), at('10:00:00'), at('11:59:59'), at('12:00:00')],
        casesOf(caseValue),
        manyCases,
      ),
    ).toEqual([['utanRoll'], [], [], ['utanRoll']]);
  });

  it('marks a read of a case that was closed at the time, not one before it was closed', () => {
    const closed = buildCase({
      state: 'avslutad',
      chronology: [
        { at: createdAt, by: users.upptackare, event: 'upptackarkortRegistrerat', to: 'upptackt' },
        {
          at: '2026-11-10T08:00:00Z',
          by: users.barnkontakt,
          event: 'avsluta',
          from: 'upptackt',
          to: 'avslutad',
        },
      ],
    });

    const marks = markUnusualAccess(
      [read({ at: '2026-11-09T08:00:00Z' }), read({ at: '2026-11-10T08:00:00Z' })],
      casesOf(closed),
      manyCases,
    );

    expect(marks).toEqual([[], ['avslutat']]);
    expect(stateAt(closed, '2026-11-09T08:00:00Z')).toBe('upptackt');
  });

  it('says that a case is gone instead of guessing about roles', () => {
    expect(
      markUnusualAccess([read({ at: '2026-11-02T09:00:00Z', caseId: 'raderat' })], casesOf(), manyCases),
    ).toEqual([['arendetFinnsInte']]);
  });

  it('marks every refusal, and only that on a refused read (a refusal is the rule working)', () => {
    const marks = markUnusualAccess(
      [
        read({ at: '2026-11-02T09:00:00Z', actor: users.annanBarnkontakt, outcome: 'refused' }),
        read({ at: '2026-11-02T09:01:00Z', action: 'registreraSamtal', outcome: 'refused' }),
      ],
      casesOf(buildCase()),
      manyCases,
    );

    expect(marks).toEqual([['nekad'], ['nekad']]);
  });

  it('leaves the bot’s own reads and people’s changes out of the read rules', () => {
    const marks = markUnusualAccess(
      [
        read({ at: '2026-11-02T09:00:00Z', actor: 'system', purpose: 'Notis till Barnkontakten' }),
        read({ at: '2026-11-02T09:01:00Z', actor: users.annanBarnkontakt, action: 'registreraSamtal' }),
      ],
      casesOf(buildCase({ state: 'avslutad' })),
      manyCases,
    );

    expect(marks).toEqual([[], []]);
  });
});

describe('findManyCaseReads (threshold 3 cases within 60 minutes)', () => {
  const reads = (actor: string, times: [string, string][]) =>
    times.map(([time, caseId]) => read({ at: `2026-11-02T${time}:00Z`, caseId, actor }));

  it('marks the reads of a person who reads three different cases within the hour, the ends 60 minutes apart included', () => {
    const entries = reads(users.socialtjanst, [
      ['09:00', 'c-1'],
      ['09:30', 'c-2'],
      ['10:00', 'c-3'],
    ]);

    expect([...findManyCaseReads(entries, manyCases).keys()].sort()).toEqual([0, 1, 2]);
  });

  it('does not mark three cases spread over 61 minutes, nor one case read many times, nor two people together', () => {
    const spread = reads(users.socialtjanst, [
      ['09:00', 'c-1'],
      ['09:30', 'c-2'],
      ['10:01', 'c-3'],
    ]);
    const sameCase = reads(users.socialtjanst, [
      ['09:00', 'c-1'],
      ['09:01', 'c-1'],
      ['09:02', 'c-1'],
      ['09:03', 'c-2'],
    ]);
    const twoPeople = [
      ...reads(users.socialtjanst, [
        ['09:00', 'c-1'],
        ['09:01', 'c-2'],
      ]),
      ...reads(users.barnkontakt, [['09:02', 'c-3']]),
    ];

    expect(findManyCaseReads(spread, manyCases).size).toBe(0);
    expect(findManyCaseReads(sameCase, manyCases).size).toBe(0);
    expect(findManyCaseReads(twoPeople, manyCases).size).toBe(0);
  });

  it('marks only the reads inside the busy hour, whatever order the entries come in', () => {
    const entries = reads(users.socialtjanst, [
      ['12:00', 'c-9'],
      ['10:10', 'c-3'],
      ['08:00', 'c-0'],
      ['10:00', 'c-2'],
      ['09:50', 'c-1'],
    ]);

    expect([...findManyCaseReads(entries, manyCases).keys()].sort()).toEqual([1, 3, 4]);
  });

  it('uses the directory’s threshold: ten cases by default', () => {
    const nine = Array.from({ length: 9 }, (_, index) =>
      read({ at: `2026-11-02T09:${String(index).padStart(2, '0')}:00Z`, caseId: `c-${index}` }),
    );
    const ten = [...nine, read({ at: '2026-11-02T09:30:00Z', caseId: 'c-9' })];

    const defaults = ZLogReview.parse({}).manyCases;

    expect(defaults).toEqual({ cases: 10, withinMinutes: 60 });
    expect(findManyCaseReads(nine, defaults).size).toBe(0);
    expect(findManyCaseReads(ten, defaults).size).toBe(10);
  });
});

describe('a burst of reads across the period’s start (threshold 3 cases within 60 minutes)', () => {
  const earlier = [
    read({ at: '2026-11-01T22:40:00Z', caseId: 'c-1', actor: users.socialtjanst }),
    read({ at: '2026-11-01T22:50:00Z', caseId: 'c-2', actor: users.socialtjanst }),
  ];
  const inPeriod = [read({ at: '2026-11-01T23:10:00Z', caseId: 'c-3', actor: users.socialtjanst })];

  it('is counted with the reads before the period, and only the period’s reads get marks', () => {
    const assessed = assessUnusualAccess(inPeriod, casesOf(), manyCases, earlier);

    expect(assessed).toEqual([
      { marks: ['arendetFinnsInte', 'mangaArenden'], burstBeganAt: '2026-11-01T22:40:00Z' },
    ]);
    expect(markUnusualAccess(inPeriod, casesOf(), manyCases)).toEqual([['arendetFinnsInte']]);
  });

  it('marks the period’s reads that continue a burst already complete before it', () => {
    const complete = [
      ...earlier,
      read({ at: '2026-11-01T22:55:00Z', caseId: 'c-4', actor: users.socialtjanst }),
    ];

    expect(assessUnusualAccess(inPeriod, casesOf(), manyCases, complete)).toEqual([
      { marks: ['arendetFinnsInte', 'mangaArenden'], burstBeganAt: '2026-11-01T22:40:00Z' },
    ]);
  });

  it('says nothing of the time before the period when the burst lies inside it', () => {
    const burst = [
      read({ at: '2026-11-02T09:00:00Z', caseId: 'c-1' }),
      read({ at: '2026-11-02T09:10:00Z', caseId: 'c-2' }),
      read({ at: '2026-11-02T09:20:00Z', caseId: 'c-3' }),
    ];
    // A read long before: counted, but too early to belong to the burst.
    const before = [read({ at: '2026-11-02T07:00:00Z', caseId: 'c-9' })];

    expect(assessUnusualAccess(burst, casesOf(), manyCases, before)).toEqual([
      { marks: ['arendetFinnsInte', 'mangaArenden'] },
      { marks: ['arendetFinnsInte', 'mangaArenden'] },
      { marks: ['arendetFinnsInte', 'mangaArenden'] },
    ]);
  });
});
