import { AppError } from '../../../shared/errors';

/**
 * The bank's governance rules (DOMAIN 5 and 11), as pure functions: which tier of a policy applies
 * to an amount, whether a set of tiers is valid, who may vote, and what a process's status is.
 */

export const PROCESS_TYPES = ['withdraw', 'disbursal', 'credit-facility-proposal'] as const;
export type ProcessType = (typeof PROCESS_TYPES)[number];
export type ProcessStatus = 'in_progress' | 'approved' | 'denied';
export type Conclusion = 'auto_approved' | 'threshold_reached' | 'denied_by_vote' | 'threshold_unreachable';
export type Decision = 'approve' | 'deny';

/** Most tiers a policy may have: a table a person can read at a glance. */
export const MAX_TIERS = 10;

export type TierRule = { kind: 'auto' } | { kind: 'committee'; committeeId: string; threshold: number };

/** "Up to upTo (inclusive)"; null: every amount above the previous tier (the last tier only). */
export interface Tier {
  upTo: bigint | null;
  rule: TierRule;
}

export type TierProblem =
  | 'noTiers'
  | 'tooManyTiers'
  | 'lastTierBounded'
  | 'unboundedNotLast'
  | 'notAscending'
  | 'committeeUnknown'
  | 'committeeEmpty'
  | 'thresholdTooLow'
  | 'thresholdTooHigh';

/** Tier numbers are 1-based, as people read them. */
export interface TierIssue {
  tier: number;
  problem: TierProblem;
  threshold?: number;
  members?: number;
}

/**
 * Tiers are ordered "up to X" rows with strictly ascending bounds and one final unbounded row, so
 * they leave no gap and never overlap. A committee tier needs a committee with members and a
 * threshold from 1 to its member count (DOMAIN 5.2).
 */
export function validateTiers(
  tiers: readonly Tier[],
  committeeSizes: ReadonlyMap<string, number>,
): TierIssue[] {
  const issues: TierIssue[] = [];
  if (tiers.length === 0) return [{ tier: 1, problem: 'noTiers' }];
  if (tiers.length > MAX_TIERS) issues.push({ tier: MAX_TIERS + 1, problem: 'tooManyTiers' });
  let previous: bigint | null = null;
  tiers.forEach((t, i) => {
    const tier = i + 1;
    const last = i === tiers.length - 1;
    if (t.upTo === null && !last) issues.push({ tier, problem: 'unboundedNotLast' });
    if (t.upTo !== null && last) issues.push({ tier, problem: 'lastTierBounded' });
    if (t.upTo !== null) {
      if (previous !== null && t.upTo <= previous) issues.push({ tier, problem: 'notAscending' });
      previous = t.upTo;
    }
    if (t.rule.kind === 'committee') {
      const size = committeeSizes.get(t.rule.committeeId);
      if (size === undefined) issues.push({ tier, problem: 'committeeUnknown' });
      else if (size === 0) issues.push({ tier, problem: 'committeeEmpty' });
      else if (t.rule.threshold > size)
        issues.push({ tier, problem: 'thresholdTooHigh', threshold: t.rule.threshold, members: size });
      if (t.rule.threshold < 1)
        issues.push({ tier, problem: 'thresholdTooLow', threshold: t.rule.threshold });
    }
  });
  return issues;
}

/** The refusal for the first issue: DOMAIN 5.2's own codes where they apply. */
export function tierError(issue: TierIssue): AppError {
  switch (issue.problem) {
    case 'committeeUnknown':
      return new AppError('NOT_FOUND', { entity: 'committee', tier: issue.tier });
    case 'committeeEmpty':
      return new AppError('COMMITTEE_EMPTY', { tier: issue.tier });
    case 'thresholdTooHigh':
    case 'thresholdTooLow':
      return new AppError('THRESHOLD_INVALID', {
        tier: issue.tier,
        threshold: issue.threshold ?? 0,
        members: issue.members ?? 0,
      });
    default:
      return new AppError(
        'POLICY_TIERS_INVALID',
        { tier: issue.tier, problem: issue.problem },
        `governance.tierProblems.${issue.problem}`,
      );
  }
}

/**
 * The tier that applies: the first whose bound the amount does not exceed (bounds are inclusive:
 * exactly 1,000.00 is "up to 1,000.00"). An operation without an amount, or in another currency
 * than the policy's, takes the last tier: the strictest by construction.
 */
export function selectTier(tiers: readonly Tier[], amount: bigint | null, sameCurrency = true): number {
  if (tiers.length === 0) throw new Error('a policy has at least one tier');
  if (amount === null || !sameCurrency) return tiers.length - 1;
  const i = tiers.findIndex((t) => t.upTo === null || amount <= t.upTo);
  return i === -1 ? tiers.length - 1 : i;
}

export interface Vote {
  voterId: string;
  decision: Decision;
}

export interface ProcessState {
  status: ProcessStatus;
  threshold: number;
  initiatorId: string | null;
  /** The committee's members now (DOMAIN 5.3: membership is read when the process is evaluated). */
  members: ReadonlySet<string>;
  votes: readonly Vote[];
}

/** What a member may do now; throws the typed refusal (DOMAIN 5.3 and 11). */
export function assertCanVote(p: ProcessState, voterId: string): void {
  if (p.status !== 'in_progress') throw new AppError('PROCESS_CONCLUDED', { status: p.status });
  if (p.initiatorId !== null && p.initiatorId === voterId) throw new AppError('INITIATOR_CANNOT_VOTE');
  if (!p.members.has(voterId)) throw new AppError('NOT_A_MEMBER');
  const prior = p.votes.find((v) => v.voterId === voterId);
  if (prior) throw new AppError('ALREADY_VOTED', { decision: prior.decision });
}

/**
 * DOMAIN 5.3's evaluation, with DOMAIN 11's decisions:
 *   1. eligible := current members (the initiator among them may not vote);
 *   2. approvals from eligible members >= N -> approved;
 *   3. else any eligible member denied -> denied (every member holds a veto);
 *   4. else fewer eligible voters than N (the threshold cannot be reached any more) -> denied;
 *   5. else in progress.
 */
export function evaluate(p: Omit<ProcessState, 'status'>): {
  status: ProcessStatus;
  conclusion: Conclusion | null;
} {
  const counted = p.votes.filter((v) => p.members.has(v.voterId));
  const approvals = counted.filter((v) => v.decision === 'approve').length;
  if (approvals >= p.threshold) return { status: 'approved', conclusion: 'threshold_reached' };
  if (counted.some((v) => v.decision === 'deny')) return { status: 'denied', conclusion: 'denied_by_vote' };
  const voters = [...p.members].filter((m) => m !== p.initiatorId).length;
  if (voters < p.threshold) return { status: 'denied', conclusion: 'threshold_unreachable' };
  return { status: 'in_progress', conclusion: null };
}

/** How many approvals count now (current members only). */
export function countedApprovals(members: ReadonlySet<string>, votes: readonly Vote[]): number {
  return votes.filter((v) => v.decision === 'approve' && members.has(v.voterId)).length;
}
