import { z } from 'zod';
import { command, query, requiredText, uuid } from './procedure';
import { minorAmount } from './manual';
import { queuedAnswer } from './offline';

// Committees, policies with amount tiers, approval processes and votes (DOMAIN 5).

export const processType = z.enum(['withdraw', 'disbursal', 'credit-facility-proposal']);
export type ProcessTypeName = z.infer<typeof processType>;
export const processStatus = z.enum(['in_progress', 'approved', 'denied']);
export const governanceCurrency = z.enum(['USD', 'BTC']);

export const committeeDto = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  members: z.array(
    z.object({
      userId: z.string(),
      username: z.string(),
      fullName: z.string(),
      active: z.boolean(),
      addedAt: z.string(),
    }),
  ),
  /** The policy tiers that name this committee. */
  usedBy: z.array(z.object({ processType, tier: z.number(), threshold: z.number() })),
});
export type CommitteeDto = z.infer<typeof committeeDto>;

/**
 * One tier: "up to upTo" (minor units, inclusive; null on the last tier only: every larger amount),
 * approved at once (no committee) or by `threshold` approvals of a committee.
 */
export const tierInput = z
  .strictObject({
    upTo: minorAmount.nullable(),
    committeeId: uuid.nullable(),
    threshold: z.number().int().min(1).max(1000).nullable(),
  })
  .refine((t) => (t.committeeId === null) === (t.threshold === null), {
    message: 'committeeAndThreshold',
    path: ['threshold'],
  });

export const tierDto = z.object({
  /** 1-based, as people read it. */
  tier: z.number(),
  /** The previous tier's bound: this tier applies above it. */
  above: z.string().nullable(),
  upTo: z.string().nullable(),
  rule: z.enum(['auto', 'committee']),
  committeeId: z.string().nullable(),
  committeeName: z.string().nullable(),
  threshold: z.number().nullable(),
  members: z.number().nullable(),
});
export type TierDto = z.infer<typeof tierDto>;

export const policyDto = z.object({
  processType,
  currency: governanceCurrency,
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
  tiers: z.array(tierDto),
});
export type PolicyDto = z.infer<typeof policyDto>;

/** A value in an operation's summary: plain text or a number, or an amount of money. */
export const summaryValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.object({ minor: z.string(), currency: governanceCurrency }),
]);
export const processSummary = z.record(z.string(), summaryValue);
export type ProcessSummary = z.infer<typeof processSummary>;

export const processDto = z.object({
  id: z.string(),
  type: processType,
  status: processStatus,
  conclusion: z
    .enum(['auto_approved', 'threshold_reached', 'denied_by_vote', 'threshold_unreachable'])
    .nullable(),
  amount: z.string().nullable(),
  currency: governanceCurrency.nullable(),
  target: z.object({ kind: z.string(), id: z.string() }),
  initiatedBy: z.string().nullable(),
  summary: processSummary,
  rule: z.enum(['auto', 'committee']),
  tier: z.number(),
  committeeId: z.string().nullable(),
  committeeName: z.string().nullable(),
  threshold: z.number().nullable(),
  /** Approvals from current members: what counts against the threshold now. */
  approvals: z.number(),
  startedAt: z.string(),
  concludedAt: z.string().nullable(),
  /** For the caller: may they vote now, and what did they vote. */
  canVote: z.boolean(),
  myVote: z.enum(['approve', 'deny']).nullable(),
});
export type ProcessDto = z.infer<typeof processDto>;

export const processDetailDto = processDto.extend({
  votes: z.array(
    z.object({
      voter: z.string(),
      voterName: z.string(),
      decision: z.enum(['approve', 'deny']),
      reason: z.string().nullable(),
      votedAt: z.string(),
      workstation: z.string(),
      channel: z.enum(['online', 'queued']),
      /** Only current members' votes count (DOMAIN 11). */
      counted: z.boolean(),
    }),
  ),
  members: z.array(z.object({ username: z.string(), fullName: z.string() })),
});
export type ProcessDetailDto = z.infer<typeof processDetailDto>;

const processFilter = z.strictObject({
  type: processType.optional(),
  status: processStatus.optional(),
});

export const governanceProcedures = {
  'governance.committees.list': query({
    access: 'governance.read',
    input: z.strictObject({}),
    output: z.array(committeeDto),
  }),
  'governance.committees.create': command({
    access: 'governance.manage',
    input: { name: requiredText(120) },
    output: committeeDto,
  }),
  'governance.committees.addMember': command({
    access: 'governance.manage',
    input: { committeeId: uuid, userId: uuid },
    output: committeeDto,
  }),
  'governance.committees.removeMember': command({
    access: 'governance.manage',
    input: { committeeId: uuid, userId: uuid },
    output: committeeDto,
  }),
  'governance.policies.list': query({
    access: 'governance.read',
    input: z.strictObject({}),
    output: z.array(policyDto),
  }),
  'governance.policies.set': command({
    access: 'governance.manage',
    input: {
      processType,
      currency: governanceCurrency,
      tiers: z.array(tierInput).min(1).max(10),
    },
    output: policyDto,
  }),
  /** What would happen: which tier of a type's policy an amount falls in. */
  'governance.policies.preview': query({
    access: 'governance.read',
    input: z.strictObject({ processType, amount: minorAmount, currency: governanceCurrency }),
    output: tierDto,
  }),
  'governance.processes.list': query({
    access: 'governance.read',
    input: processFilter,
    output: z.array(processDto),
  }),
  /** Offline: the copy taken while online (the supervisor decides from it). */
  'governance.processes.get': query({
    access: 'governance.read',
    offline: 'local',
    input: z.strictObject({ id: uuid }),
    output: processDetailDto,
  }),
  /** The caller's approvals inbox: what they may vote on now, and what concluded recently. */
  'governance.inbox': query({
    access: 'governance.vote',
    offline: 'local',
    input: processFilter,
    output: z.array(processDto),
  }),
  /** Votes wait in the workstation's outbox while the bank is unreachable (ARCHITECTURE 6). */
  'governance.processes.approve': command({
    access: 'governance.vote',
    offline: 'queue',
    input: { processId: uuid },
    output: z.union([processDetailDto, queuedAnswer]),
  }),
  'governance.processes.deny': command({
    access: 'governance.vote',
    offline: 'queue',
    input: { processId: uuid, reason: requiredText(500) },
    output: z.union([processDetailDto, queuedAnswer]),
  }),
} as const;
