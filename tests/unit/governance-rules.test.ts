import { describe, expect, it } from 'vitest';
import {
  assertCanVote,
  evaluate,
  selectTier,
  tierError,
  validateTiers,
  type Decision,
  type Tier,
} from '../../main/modules/governance/rules';
import { AppError } from '../../shared/errors';

const v = (voterId: string, decision: Decision) => ({ voterId, decision });
const set = (...ids: string[]) => new Set(ids);

describe('evaluation (DOMAIN 5.3, with DOMAIN 11: only current members count)', () => {
  // members: the committee now; votes: as cast; initiator may not vote.
  const cases: {
    name: string;
    threshold: number;
    members: string[];
    initiator?: string;
    votes: ReturnType<typeof v>[];
    expected: [string, string | null];
  }[] = [
    {
      name: 'no votes yet',
      threshold: 2,
      members: ['a', 'b', 'c'],
      votes: [],
      expected: ['in_progress', null],
    },
    {
      name: 'threshold reached',
      threshold: 2,
      members: ['a', 'b', 'c'],
      votes: [v('a', 'approve'), v('b', 'approve')],
      expected: ['approved', 'threshold_reached'],
    },
    {
      name: 'one approval short',
      threshold: 2,
      members: ['a', 'b', 'c'],
      votes: [v('a', 'approve')],
      expected: ['in_progress', null],
    },
    {
      name: 'a deny after approvals denies (every member holds a veto)',
      threshold: 3,
      members: ['a', 'b', 'c'],
      votes: [v('a', 'approve'), v('b', 'approve'), v('c', 'deny')],
      expected: ['denied', 'denied_by_vote'],
    },
    {
      name: 'approvals reaching the threshold win over a later deny evaluation',
      threshold: 1,
      members: ['a', 'b'],
      votes: [v('a', 'approve'), v('b', 'deny')],
      expected: ['approved', 'threshold_reached'],
    },
    {
      name: 'a member removed makes the threshold unreachable',
      threshold: 2,
      members: ['a'],
      votes: [],
      expected: ['denied', 'threshold_unreachable'],
    },
    {
      name: 'a removed member’s approval no longer counts',
      threshold: 2,
      members: ['b', 'c'],
      votes: [v('a', 'approve'), v('b', 'approve')],
      expected: ['in_progress', null],
    },
    {
      name: 'a removed member’s deny no longer vetoes',
      threshold: 1,
      members: ['b', 'c'],
      votes: [v('a', 'deny')],
      expected: ['in_progress', null],
    },
    {
      name: 'a member added mid-process can bring the threshold back in reach',
      threshold: 2,
      members: ['a', 'd'],
      votes: [v('a', 'approve')],
      expected: ['in_progress', null],
    },
    {
      name: 'a member added mid-process casts the deciding approval',
      threshold: 2,
      members: ['a', 'd'],
      votes: [v('a', 'approve'), v('d', 'approve')],
      expected: ['approved', 'threshold_reached'],
    },
    {
      name: 'the initiator does not count as a possible voter',
      threshold: 2,
      members: ['a', 'init'],
      initiator: 'init',
      votes: [],
      expected: ['denied', 'threshold_unreachable'],
    },
    {
      name: 'the initiator among members: the others can still reach it',
      threshold: 1,
      members: ['a', 'init'],
      initiator: 'init',
      votes: [],
      expected: ['in_progress', null],
    },
  ];

  it.each(cases)('$name', ({ threshold, members, initiator, votes, expected }) => {
    const r = evaluate({ threshold, members: set(...members), initiatorId: initiator ?? null, votes });
    expect([r.status, r.conclusion]).toEqual(expected);
  });
});

describe('who may vote', () => {
  const base = {
    status: 'in_progress' as const,
    threshold: 2,
    initiatorId: 'init',
    members: set('a', 'b', 'init'),
    votes: [v('a', 'approve')],
  };
  const refusal = (p: Parameters<typeof assertCanVote>[0], voter: string) => {
    try {
      assertCanVote(p, voter);
      return null;
    } catch (e) {
      return { code: (e as AppError).code, params: (e as AppError).params };
    }
  };

  it.each([
    { name: 'a member who has not voted', p: base, voter: 'b', expected: null },
    { name: 'a non-member', p: base, voter: 'x', expected: { code: 'NOT_A_MEMBER', params: {} } },
    {
      name: 'a second vote (either way)',
      p: base,
      voter: 'a',
      expected: { code: 'ALREADY_VOTED', params: { decision: 'approve' } },
    },
    {
      name: 'the initiator',
      p: base,
      voter: 'init',
      expected: { code: 'INITIATOR_CANNOT_VOTE', params: {} },
    },
    {
      name: 'anyone after the conclusion',
      p: { ...base, status: 'approved' as const },
      voter: 'b',
      expected: { code: 'PROCESS_CONCLUDED', params: { status: 'approved' } },
    },
  ])('$name', ({ p, voter, expected }) => {
    expect(refusal(p, voter)).toEqual(expected);
  });
});

describe('amount tiers', () => {
  const ops = '00000000-0000-4000-8000-000000000001';
  const risk = '00000000-0000-4000-8000-000000000002';
  // Up to 1,000.00 auto; up to 25,000.00 one approval of operations; above, two of risk.
  const tiers: Tier[] = [
    { upTo: 100_000n, rule: { kind: 'auto' } },
    { upTo: 2_500_000n, rule: { kind: 'committee', committeeId: ops, threshold: 1 } },
    { upTo: null, rule: { kind: 'committee', committeeId: risk, threshold: 2 } },
  ];
  const sizes = new Map([
    [ops, 2],
    [risk, 3],
  ]);

  it.each([
    ['0.01', 1n, 0],
    ['exactly 1,000.00', 100_000n, 0],
    ['1,000.01', 100_001n, 1],
    ['exactly 25,000.00', 2_500_000n, 1],
    ['25,000.01', 2_500_001n, 2],
    ['a billion', 100_000_000_000n, 2],
  ])('%s falls in tier %#', (_label, amount, expected) => {
    expect(selectTier(tiers, amount)).toBe(expected);
  });

  it('no amount, or another currency than the policy’s, takes the last (strictest) tier', () => {
    expect(selectTier(tiers, null)).toBe(2);
    expect(selectTier(tiers, 5n, false)).toBe(2);
    expect(selectTier([{ upTo: null, rule: { kind: 'auto' } }], 5n)).toBe(0);
  });

  it('valid tiers pass', () => {
    expect(validateTiers(tiers, sizes)).toEqual([]);
    expect(validateTiers([{ upTo: null, rule: { kind: 'auto' } }], sizes)).toEqual([]);
  });

  it.each([
    { name: 'no tiers', tiers: [], problem: 'noTiers', tier: 1 },
    {
      name: 'bounds not ascending',
      tiers: [tiers[1]!, tiers[0]!, tiers[2]!],
      problem: 'notAscending',
      tier: 2,
    },
    {
      name: 'equal bounds',
      tiers: [tiers[0]!, { ...tiers[1]!, upTo: 100_000n }, tiers[2]!],
      problem: 'notAscending',
      tier: 2,
    },
    { name: 'last tier bounded', tiers: [tiers[0]!, tiers[1]!], problem: 'lastTierBounded', tier: 2 },
    {
      name: 'unbounded tier before the last',
      tiers: [{ ...tiers[0]!, upTo: null }, tiers[2]!],
      problem: 'unboundedNotLast',
      tier: 1,
    },
    {
      name: 'threshold above the committee size',
      tiers: [{ upTo: null, rule: { kind: 'committee' as const, committeeId: ops, threshold: 3 } }],
      problem: 'thresholdTooHigh',
      tier: 1,
    },
    {
      name: 'a committee without members',
      tiers: [{ upTo: null, rule: { kind: 'committee' as const, committeeId: 'empty', threshold: 1 } }],
      problem: 'committeeEmpty',
      tier: 1,
    },
    {
      name: 'an unknown committee',
      tiers: [{ upTo: null, rule: { kind: 'committee' as const, committeeId: 'nope', threshold: 1 } }],
      problem: 'committeeUnknown',
      tier: 1,
    },
  ])('refuses $name', ({ tiers: t, problem, tier }) => {
    const issues = validateTiers(t, new Map([...sizes, ['empty', 0]]));
    expect(issues[0]).toMatchObject({ problem, tier });
  });

  it('refusals carry DOMAIN 5.2’s codes', () => {
    expect(tierError({ tier: 1, problem: 'committeeEmpty' }).code).toBe('COMMITTEE_EMPTY');
    expect(tierError({ tier: 2, problem: 'thresholdTooHigh', threshold: 3, members: 2 })).toMatchObject({
      code: 'THRESHOLD_INVALID',
      params: { tier: 2, threshold: 3, members: 2 },
    });
    expect(tierError({ tier: 2, problem: 'notAscending' })).toMatchObject({
      code: 'POLICY_TIERS_INVALID',
      messageKey: 'governance.tierProblems.notAscending',
    });
  });
});
