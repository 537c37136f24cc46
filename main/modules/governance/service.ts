import { randomUUID } from 'node:crypto';
import type { Db, Trx } from '../../db';
import { isUniqueViolation } from '../../db';
import { AppError } from '../../../shared/errors';
import { isAllowed } from '../../../shared/permissions';
import {
  processSummary,
  type CommitteeDto,
  type PolicyDto,
  type ProcessDetailDto,
  type ProcessDto,
  type ProcessSummary,
  type TierDto,
} from '../../../shared/contract';
import type { Clock } from '../../clock';
import { describeTarget, type CommandScope, type RequestContext } from '../../ipc/context';
import * as repo from './repo';
import {
  assertCanVote,
  countedApprovals,
  evaluate,
  PROCESS_TYPES,
  selectTier,
  tierError,
  validateTiers,
  type Conclusion,
  type Decision,
  type ProcessStatus,
  type ProcessType,
  type Tier,
} from './rules';

/** What a governed module hands over when its operation starts (inside its own transaction). */
export interface StartProcessInput {
  type: ProcessType;
  /** Minor units; null when the operation has no amount (the policy's last tier applies). */
  amount: bigint | string | null;
  currency: 'USD' | 'BTC' | null;
  /** The governed entity (a withdrawal, a disbursal, a proposal). One process per type and target. */
  target: { kind: string; id: string };
  /** The staff user who initiated the operation: they may not vote on it. */
  initiatedBy: string | null;
  /** What a voter needs to decide, shown as a definition list in the inbox. */
  summary: ProcessSummary;
}

/** A process as the governed module's conclusion handler sees it. */
export interface ConcludedProcess {
  id: string;
  type: ProcessType;
  status: 'approved' | 'denied';
  conclusion: Conclusion;
  target: { kind: string; id: string };
  amount: string | null;
  currency: 'USD' | 'BTC' | null;
}

/** Runs in the transaction that concludes the process; throwing rolls the whole command back. */
export type ConclusionHandler = (trx: Trx, process: ConcludedProcess) => Promise<void>;
/**
 * A governed module's say on a vote before it counts: it throws when its operation can no longer be
 * decided (a withdrawal cancelled while its approval was open). Online votes and replayed queued
 * votes meet the same guard.
 */
export type VoteGuard = (
  trx: Trx,
  vote: { processId: string; targetId: string; decision: Decision },
) => Promise<void>;

/** What the main process pushes to renderers when a process starts, gets a vote or concludes. */
export interface ApprovalsChanged {
  processId: string | null;
  type: ProcessType | null;
  status: ProcessStatus | null;
}

/** A vote decided on a workstation while offline and replayed from its outbox (ARCHITECTURE 6). */
export interface QueuedVote {
  /** When the supervisor decided, on the workstation's clock. */
  localTime: Date;
  /** ed25519 over the vote, by the workstation's key; kept in the audit record. */
  signature: string | null;
  publicKey: string | null;
}

/** A summary is what a voter reads before deciding: a few lines, never a document. */
const MAX_SUMMARY_BYTES = 8 * 1024;

/** How long concluded processes stay in a voter's inbox. */
const RECENT_DAYS = 7;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function tierOf(row: repo.TierRow): Tier {
  return {
    upTo: row.up_to === null ? null : BigInt(row.up_to),
    rule:
      row.committee_id === null
        ? { kind: 'auto' }
        : { kind: 'committee', committeeId: row.committee_id, threshold: row.threshold! },
  };
}

/** The caller as a possible voter: only with the permission to vote (canVote says so). */
function voterOf(ctx: RequestContext): string | null {
  return ctx.actor.userId && isAllowed(ctx.actor.roles, 'governance.vote') ? ctx.actor.userId : null;
}

export type GovernanceService = ReturnType<typeof createGovernanceService>;

/** A process, its committee's members and its votes, as read under the process row's lock. */
interface Known {
  row: repo.ProcessRow;
  members: Set<string>;
  votes: { voterId: string; decision: Decision }[];
}

export function createGovernanceService(db: Db, clock: Clock) {
  const handlers = new Map<ProcessType, ConclusionHandler>();
  const voteGuards = new Map<ProcessType, VoteGuard>();
  const listeners = new Set<(e: ApprovalsChanged) => void>();

  async function committeeDtos(q: Db | Trx, only?: string): Promise<CommitteeDto[]> {
    const rows = (await repo.committees(q)).filter((c) => !only || c.id === only);
    const all = await repo.members(
      q,
      rows.map((r) => r.id),
    );
    const tiers = await repo.tiers(q);
    return rows.map((c) => ({
      id: c.id,
      name: c.name,
      createdAt: c.created_at.toISOString(),
      members: all
        .filter((m) => m.committee_id === c.id)
        .map((m) => ({
          userId: m.user_id,
          username: m.username,
          fullName: m.full_name,
          active: m.status === 'active',
          addedAt: m.added_at.toISOString(),
        })),
      usedBy: tiers
        .filter((t) => t.committee_id === c.id)
        .map((t) => ({ processType: t.process_type, tier: t.position + 1, threshold: t.threshold! })),
    }));
  }

  async function committeeDto(q: Db | Trx, id: string): Promise<CommitteeDto> {
    const [dto] = await committeeDtos(q, id);
    if (!dto) throw new AppError('NOT_FOUND', { entity: 'committee' });
    return dto;
  }

  function tierDtos(rows: repo.TierRow[], names: Map<string, string>, sizes: Map<string, number>): TierDto[] {
    return rows.map((t, i) => ({
      tier: i + 1,
      above: i > 0 ? rows[i - 1]!.up_to : null,
      upTo: t.up_to,
      rule: t.committee_id ? 'committee' : 'auto',
      committeeId: t.committee_id,
      committeeName: t.committee_id ? (names.get(t.committee_id) ?? null) : null,
      threshold: t.threshold,
      members: t.committee_id ? (sizes.get(t.committee_id) ?? 0) : null,
    }));
  }

  async function policyDtos(q: Db | Trx, only?: ProcessType): Promise<PolicyDto[]> {
    // One after the other: inside a transaction they share one connection.
    const rows = await repo.policies(q);
    const tiers = await repo.tiers(q);
    const committees = await repo.committees(q);
    const sizes = await repo.memberCounts(q);
    const names = new Map(committees.map((c) => [c.id, c.name]));
    return rows
      .filter((p) => !only || p.process_type === only)
      .sort((a, b) => PROCESS_TYPES.indexOf(a.process_type) - PROCESS_TYPES.indexOf(b.process_type))
      .map((p) => ({
        processType: p.process_type,
        currency: p.currency,
        updatedAt: p.updated_at.toISOString(),
        updatedBy: p.updater,
        tiers: tierDtos(
          tiers.filter((t) => t.process_type === p.process_type),
          names,
          sizes,
        ),
      }));
  }

  /** Process rows to DTOs, seen by `viewer` (their vote, whether they may vote now). */
  async function processDtos(
    q: Db | Trx,
    rows: repo.ProcessRow[],
    viewer: string | null,
    /** The rows' votes and their committees' members, when the caller has read them already. */
    read?: { votes: repo.VoteRow[]; members: repo.MemberRow[] },
  ): Promise<ProcessDto[]> {
    const allVotes =
      read?.votes ??
      (await repo.votes(
        q,
        rows.map((r) => r.id),
      ));
    const committeeIds = [...new Set(rows.map((r) => r.committee_id).filter((c): c is string => c !== null))];
    const allMembers = read?.members ?? (committeeIds.length ? await repo.members(q, committeeIds) : []);
    return rows.map((r) => {
      const votes = allVotes.filter((v) => v.process_id === r.id);
      // Running: the committee now (DOMAIN 5.3). Concluded: as it was when it concluded.
      const members = new Set(
        r.status === 'in_progress'
          ? allMembers.filter((m) => m.committee_id === r.committee_id).map((m) => m.user_id)
          : (r.final_members ?? []),
      );
      const mine = viewer ? votes.find((v) => v.voter_id === viewer) : undefined;
      let canVote = false;
      if (viewer && r.rule === 'committee') {
        try {
          assertCanVote(
            {
              status: r.status,
              threshold: r.threshold!,
              initiatorId: r.initiated_by,
              members,
              votes: votes.map((v) => ({ voterId: v.voter_id, decision: v.decision })),
            },
            viewer,
          );
          canVote = true;
        } catch {
          canVote = false;
        }
      }
      return {
        id: r.id,
        type: r.process_type,
        status: r.status,
        conclusion: r.conclusion,
        amount: r.amount,
        currency: r.currency,
        target: { kind: r.target_kind, id: r.target_id },
        initiatedBy: r.initiator,
        summary: r.summary as ProcessSummary,
        rule: r.rule,
        tier: r.tier_position + 1,
        committeeId: r.committee_id,
        committeeName: r.committee_name,
        threshold: r.threshold,
        approvals: countedApprovals(
          members,
          votes.map((v) => ({ voterId: v.voter_id, decision: v.decision })),
        ),
        startedAt: r.started_at.toISOString(),
        concludedAt: iso(r.concluded_at),
        canVote,
        myVote: mine?.decision ?? null,
      };
    });
  }

  async function detail(
    q: Db | Trx,
    id: string,
    viewer: string | null,
    /** The process, its votes and its committee's members, as a vote just read and wrote them. */
    known?: { row: repo.ProcessRow; votes: repo.VoteRow[]; members: repo.MemberRow[] },
  ): Promise<ProcessDetailDto> {
    const row = known?.row ?? (await repo.findProcess(q, id));
    if (!row) throw new AppError('NOT_FOUND', { entity: 'approval_process' });
    const votes = known?.votes ?? (await repo.votes(q, [id]));
    const committeeMembers =
      known?.members ?? (row.committee_id ? await repo.members(q, [row.committee_id]) : []);
    const [dto] = await processDtos(q, [row], viewer, { votes, members: committeeMembers });
    // Concluded: the members it concluded with (the committee as it is now, when just concluded).
    const final = new Set(row.final_members ?? []);
    const members =
      row.status === 'in_progress'
        ? committeeMembers
        : committeeMembers.length === final.size && committeeMembers.every((m) => final.has(m.user_id))
          ? committeeMembers
          : await repo.staffUsers(q, [...final]);
    const current = new Set(members.map((m) => m.user_id));
    return {
      ...dto!,
      votes: votes.map((v) => ({
        voter: v.username,
        voterName: v.full_name,
        decision: v.decision,
        reason: v.reason,
        votedAt: v.voted_at.toISOString(),
        workstation: v.workstation,
        channel: v.channel,
        counted: current.has(v.voter_id),
      })),
      members: members.map((m) => ({ username: m.username, fullName: m.full_name })),
    };
  }

  /** Records a conclusion, runs the governed module's handler in the same transaction, notifies. */
  async function concludeProcess(
    trx: Trx,
    row: repo.ProcessRow,
    outcome: { status: 'approved' | 'denied'; conclusion: Conclusion },
    at: Date,
    known?: Pick<Known, 'members' | 'votes'>,
    /** Announce the conclusion (on the bank's events channel, at commit). */
    announce = false,
  ): Promise<
    Pick<repo.ProcessRow, 'status' | 'conclusion' | 'concluded_at' | 'final_members' | 'final_approvals'>
  > {
    // Frozen with the conclusion: later membership changes do not rewrite why it ended so.
    const members =
      known?.members ?? (row.committee_id ? await repo.memberIds(trx, row.committee_id) : new Set<string>());
    const votes = known?.votes ?? (await votesOf(trx, row.id));
    const final = { members: [...members].sort(), approvals: countedApprovals(members, votes) };
    const event = {
      event: 'approvals.changed',
      processId: row.id,
      type: row.process_type,
      status: outcome.status,
    };
    await repo.conclude(trx, row.id, { ...outcome, at, ...final }, announce ? event : undefined);
    const handler = handlers.get(row.process_type);
    if (handler) {
      await handler(trx, {
        id: row.id,
        type: row.process_type,
        status: outcome.status,
        conclusion: outcome.conclusion,
        target: { kind: row.target_kind, id: row.target_id },
        amount: row.amount,
        currency: row.currency,
      });
    }
    return {
      status: outcome.status,
      conclusion: outcome.conclusion,
      concluded_at: at,
      final_members: final.members,
      final_approvals: final.approvals,
    };
  }

  /**
   * Evaluates one in-progress committee process against its committee's members now (DOMAIN 5.3)
   * and concludes it when the rules say so. The caller holds the process row's lock.
   */
  async function reevaluate(
    trx: Trx,
    id: string,
    at: Date,
    quiet = false,
    /** What the caller read under the same locks (a vote): not read again. */
    known?: Known,
  ): Promise<ProcessStatus> {
    const row = known?.row ?? (await repo.findProcess(trx, id))!;
    if (row.status !== 'in_progress' || row.rule !== 'committee') return row.status;
    const members = known?.members ?? (await repo.memberIds(trx, row.committee_id!));
    const votes = known?.votes ?? (await votesOf(trx, id));
    const { status, conclusion } = evaluate({
      threshold: row.threshold!,
      initiatorId: row.initiated_by,
      members,
      votes,
    });
    if (status !== 'in_progress') {
      const concluded = await concludeProcess(
        trx,
        row,
        { status, conclusion: conclusion! },
        at,
        { members, votes },
        !quiet,
      );
      // The caller's copy follows the row it read (a vote answers with the process as it now is).
      if (known) known.row = { ...row, ...concluded };
    }
    return status;
  }

  async function votesOf(q: Db | Trx, processId: string) {
    return (await repo.votes(q, [processId])).map((v) => ({ voterId: v.voter_id, decision: v.decision }));
  }

  async function mustFindCommittee(trx: Trx, id: string, lock: 'update' | 'share') {
    const c = await repo.findCommittee(trx, id, lock);
    if (!c) throw new AppError('NOT_FOUND', { entity: 'committee' });
    return c;
  }

  async function vote(
    scope: CommandScope,
    processId: string,
    decision: Decision,
    reason: string | null,
    queued?: QueuedVote,
  ): Promise<ProcessDetailDto> {
    const voter = scope.actor.userId!;
    // Locks in one order everywhere: the committee (shared; a membership change takes it
    // exclusively), then the process row (two votes at once: the second waits, then sees the first).
    const peek = await repo.lockCommitteeOfProcess(scope.trx, processId);
    if (!peek) throw new AppError('NOT_FOUND', { entity: 'approval_process' });
    const { row, members: memberRows, votes: voteRows } = (await repo.processForVote(scope.trx, processId))!;
    const members = new Set(memberRows.map((m) => m.user_id));
    const votes = voteRows.map((v) => ({ voterId: v.voter_id, decision: v.decision }));
    assertCanVote(
      { status: row.status, threshold: row.threshold ?? 0, initiatorId: row.initiated_by, members, votes },
      voter,
    );
    await voteGuards.get(row.process_type)?.(scope.trx, { processId, targetId: row.target_id, decision });
    const at = scope.clock.now();
    await repo.insertVote(scope.trx, {
      id: randomUUID(),
      processId,
      voterId: voter,
      decision,
      reason,
      workstation: scope.workstation,
      commandId: scope.commandId,
      at,
      channel: queued ? 'queued' : 'online',
    });
    // Evaluated on what was read under the locks, with this vote added: nothing is read twice.
    const known: Known = { row, members, votes: [...votes, { voterId: voter, decision }] };
    const status = await reevaluate(scope.trx, processId, at, false, known);
    if (status === 'in_progress') {
      await repo.notify(scope.trx, {
        event: 'approvals.changed',
        processId,
        type: row.process_type,
        status,
      });
    }
    describeTarget(scope, 'approval_process', processId, {
      processType: row.process_type,
      decision,
      ...(reason ? { reason } : {}),
      status,
      ...(queued
        ? {
            channel: 'queued',
            localTime: queued.localTime.toISOString(),
            signature: queued.signature,
            publicKey: queued.publicKey,
          }
        : {}),
    });
    // Answered from what this vote read and wrote under its locks: only members vote, so the new
    // vote's voter is among the members read.
    const me = memberRows.find((m) => m.user_id === voter)!;
    const cast: repo.VoteRow = {
      process_id: processId,
      voter_id: voter,
      decision,
      reason,
      workstation: scope.workstation,
      channel: queued ? 'queued' : 'online',
      voted_at: at,
      username: me.username,
      full_name: me.full_name,
    };
    return detail(scope.trx, processId, voter, {
      row: known.row,
      members: memberRows,
      votes: [...voteRows, cast],
    });
  }

  /** After a membership change: every in-progress process of the committee, in the same transaction. */
  async function reevaluateCommittee(trx: Trx, committeeId: string, at: Date): Promise<string[]> {
    const concluded: string[] = [];
    for (const id of await repo.lockOpenProcessesOf(trx, committeeId)) {
      if ((await reevaluate(trx, id, at)) !== 'in_progress') concluded.push(id);
    }
    return concluded;
  }

  return {
    /**
     * A governed module registers what happens when its processes conclude (at composition time,
     * main/services.ts). The handler runs in the concluding transaction: the auto-approval inside
     * startProcess, the deciding vote, or the membership change that made a threshold unreachable.
     */
    onConcluded(type: ProcessType, handler: ConclusionHandler): () => void {
      if (handlers.has(type)) throw new Error(`a conclusion handler for ${type} is registered already`);
      handlers.set(type, handler);
      return () => handlers.delete(type);
    },

    /** A governed module's check on every vote of its processes (see VoteGuard). */
    onVote(type: ProcessType, guard: VoteGuard): () => void {
      if (voteGuards.has(type)) throw new Error(`a vote guard for ${type} is registered already`);
      voteGuards.set(type, guard);
      return () => voteGuards.delete(type);
    },

    /**
     * Starts the approval process of a governed operation, inside the caller's transaction. It
     * snapshots the rule of the tier that applies (committee and threshold, not the members); an
     * auto-approve tier concludes Approved at once (and the module's handler runs right here, so
     * the module writes its own row before calling this). One process per type and target.
     */
    async startProcess(trx: Trx, input: StartProcessInput, at: Date = clock.now()): Promise<ProcessDto> {
      const summary = processSummary.safeParse(input.summary);
      if (!summary.success || JSON.stringify(input.summary).length > MAX_SUMMARY_BYTES) {
        throw new Error('a process summary is a small flat object of texts, numbers and amounts');
      }
      const policy = await repo.findPolicy(trx, input.type, 'share');
      if (!policy) throw new AppError('NOT_FOUND', { entity: 'policy', processType: input.type });
      const tierRows = await repo.tiers(trx, input.type);
      const amount = input.amount === null ? null : BigInt(input.amount);
      if (amount !== null && amount <= 0n) throw new AppError('INVALID_AMOUNT');
      const index = selectTier(tierRows.map(tierOf), amount, input.currency === policy.currency);
      const tier = tierRows[index]!;
      const id = randomUUID();
      try {
        await repo.insertProcess(trx, {
          id,
          type: input.type,
          amount: amount === null ? null : amount.toString(),
          currency: input.currency,
          targetKind: input.target.kind,
          targetId: input.target.id,
          initiatedBy: input.initiatedBy,
          summary: input.summary,
          rule: tier.committee_id ? 'committee' : 'auto',
          tierPosition: index,
          tierUpTo: tier.up_to,
          committeeId: tier.committee_id,
          threshold: tier.threshold,
          at,
        });
      } catch (err) {
        if (isUniqueViolation(err, 'governance_processes_process_type_target_kind_target_id_key'))
          throw new AppError('CONFLICT', { entity: 'approval_process' });
        throw err;
      }
      if (!tier.committee_id) {
        const row = (await repo.findProcess(trx, id))!;
        // Started a moment ago, in this transaction, with no committee: no members, no votes yet.
        const none = { members: new Set<string>(), votes: [] };
        await concludeProcess(trx, row, { status: 'approved', conclusion: 'auto_approved' }, at, none);
      } else {
        // A committee whose members cannot reach the threshold (e.g. the initiator is the only
        // member) denies at once rather than leave a process nobody can decide.
        await reevaluate(trx, id, at, true);
      }
      const row = (await repo.findProcess(trx, id))!;
      await repo.notify(trx, {
        event: 'approvals.changed',
        processId: id,
        type: input.type,
        status: row.status,
      });
      return (await processDtos(trx, [row], null))[0]!;
    },

    /** The process of a governed entity, if one was started. */
    async processOf(q: Db | Trx, type: ProcessType, target: { kind: string; id: string }) {
      const row = await repo.findProcessOf(q, type, target);
      return row ? (await processDtos(q, [row], null))[0]! : null;
    },

    /** Live updates: called for every approvals change any workstation commits. */
    onApprovalsChanged(listener: (e: ApprovalsChanged) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Feeds a bank_events notification (or a resync after a lost listen connection) to listeners. */
    dispatch(payload: string | null): void {
      let event: ApprovalsChanged = { processId: null, type: null, status: null };
      if (payload !== null) {
        try {
          const parsed = JSON.parse(payload) as { event?: string } & ApprovalsChanged;
          if (parsed.event !== 'approvals.changed') return;
          event = {
            processId: parsed.processId ?? null,
            type: parsed.type ?? null,
            status: parsed.status ?? null,
          };
        } catch {
          return;
        }
      }
      for (const l of listeners) l(event);
    },

    committees: () => committeeDtos(db),

    async createCommittee(scope: CommandScope, name: string): Promise<CommitteeDto> {
      // Serializes creations, so two administrators typing the same name get one committee.
      await scope.trx.raw(`select pg_advisory_xact_lock(hashtext('governance.committees'))`);
      if (await repo.committeeNameTaken(scope.trx, name))
        throw new AppError('COMMITTEE_NAME_TAKEN', { name });
      const id = randomUUID();
      await repo.insertCommittee(scope.trx, { id, name, by: scope.actor.userId, at: scope.clock.now() });
      describeTarget(scope, 'committee', id, { name });
      return committeeDto(scope.trx, id);
    },

    async addMember(scope: CommandScope, committeeId: string, userId: string): Promise<CommitteeDto> {
      await mustFindCommittee(scope.trx, committeeId, 'update');
      if (!(await repo.activeStaffUser(scope.trx, userId))) throw new AppError('MEMBER_NOT_ELIGIBLE');
      const at = scope.clock.now();
      const added = await repo.addMember(scope.trx, { committeeId, userId, by: scope.actor.userId, at });
      const concluded = added ? await reevaluateCommittee(scope.trx, committeeId, at) : [];
      describeTarget(scope, 'committee', committeeId, { added: userId, changed: added, concluded });
      return committeeDto(scope.trx, committeeId);
    },

    async removeMember(scope: CommandScope, committeeId: string, userId: string): Promise<CommitteeDto> {
      await mustFindCommittee(scope.trx, committeeId, 'update');
      const current = await repo.memberIds(scope.trx, committeeId);
      let concluded: string[] = [];
      if (current.has(userId)) {
        // A policy may not be left asking more approvals than the committee has (DOMAIN 5.2).
        const left = current.size - 1;
        const blocking = (await repo.tiersOfCommittee(scope.trx, committeeId)).find(
          (t) => t.threshold! > left,
        );
        if (blocking) {
          throw new AppError('COMMITTEE_BELOW_THRESHOLD', {
            processType: blocking.process_type,
            tier: blocking.position + 1,
            threshold: blocking.threshold!,
            members: left,
          });
        }
        await repo.removeMember(scope.trx, committeeId, userId);
        concluded = await reevaluateCommittee(scope.trx, committeeId, scope.clock.now());
      }
      describeTarget(scope, 'committee', committeeId, {
        removed: userId,
        changed: current.has(userId),
        concluded,
      });
      return committeeDto(scope.trx, committeeId);
    },

    policies: () => policyDtos(db),

    async setPolicy(
      scope: CommandScope,
      input: {
        processType: ProcessType;
        currency: 'USD' | 'BTC';
        tiers: { upTo: string | null; committeeId: string | null; threshold: number | null }[];
      },
    ): Promise<PolicyDto> {
      const policy = await repo.findPolicy(scope.trx, input.processType, 'update');
      if (!policy) throw new AppError('NOT_FOUND', { entity: 'policy' });
      // The committees named, locked: no member leaves while their count is being checked.
      const ids = [...new Set(input.tiers.flatMap((t) => (t.committeeId ? [t.committeeId] : [])))].sort();
      for (const id of ids) await repo.findCommittee(scope.trx, id, 'share');
      const sizes = await repo.memberCounts(scope.trx);
      const tiers: Tier[] = input.tiers.map((t) => ({
        upTo: t.upTo === null ? null : BigInt(t.upTo),
        rule:
          t.committeeId === null
            ? { kind: 'auto' }
            : { kind: 'committee', committeeId: t.committeeId, threshold: t.threshold ?? 0 },
      }));
      const issues = validateTiers(tiers, sizes);
      if (issues.length) throw tierError(issues[0]!);
      const rows = input.tiers.map((t) => ({
        upTo: t.upTo,
        committeeId: t.committeeId,
        threshold: t.committeeId === null ? null : t.threshold,
      }));
      await repo.putPolicy(scope.trx, {
        type: input.processType,
        currency: input.currency,
        tiers: rows,
        by: scope.actor.userId,
        at: scope.clock.now(),
      });
      describeTarget(scope, 'policy', input.processType, { currency: input.currency, tiers: rows });
      return (await policyDtos(scope.trx, input.processType))[0]!;
    },

    /** Which tier an amount of a process type would fall in today. */
    async preview(input: {
      processType: ProcessType;
      amount: string;
      currency: 'USD' | 'BTC';
    }): Promise<TierDto> {
      const [policy] = await policyDtos(db, input.processType);
      if (!policy) throw new AppError('NOT_FOUND', { entity: 'policy' });
      const index = selectTier(
        policy.tiers.map((t) => ({ upTo: t.upTo === null ? null : BigInt(t.upTo), rule: { kind: 'auto' } })),
        BigInt(input.amount),
        input.currency === policy.currency,
      );
      return policy.tiers[index]!;
    },

    async listProcesses(
      ctx: RequestContext,
      f: { type?: ProcessType; status?: ProcessStatus },
    ): Promise<ProcessDto[]> {
      return processDtos(db, await repo.listProcesses(db, f), voterOf(ctx));
    },

    process: (ctx: RequestContext, id: string) => detail(db, id, voterOf(ctx)),

    async inbox(
      ctx: RequestContext,
      f: { type?: ProcessType; status?: ProcessStatus },
    ): Promise<ProcessDto[]> {
      const since = new Date(ctx.clock.now().getTime() - RECENT_DAYS * 24 * 3600 * 1000);
      const userId = ctx.actor.userId!;
      return processDtos(db, await repo.inbox(db, userId, { ...f, since }), userId);
    },

    approve: (scope: CommandScope, processId: string, queued?: QueuedVote) =>
      vote(scope, processId, 'approve', null, queued),
    deny: (scope: CommandScope, processId: string, reason: string, queued?: QueuedVote) =>
      vote(scope, processId, 'deny', reason, queued),
  };
}
