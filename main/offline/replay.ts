import { procedures, isProcedureName, type ProcedureDef } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { isAllowed } from '../../shared/permissions';
import { runCommand } from '../ipc/command';
import type { CommandScope, RequestContext } from '../ipc/context';
import type { QueuedVote } from '../modules/governance';
import type { Services } from '../services';
import { isConnectivityError } from './connectivity';
import type { OutboxRow } from './local-store';

interface Replayer {
  /**
   * Entries with the same key replay one after the other, in outbox order; different keys may
   * replay side by side (votes on different processes do not depend on each other).
   */
  key(input: Record<string, unknown>): string;
  run(s: Services, scope: CommandScope, input: Record<string, unknown>, queued: QueuedVote): Promise<unknown>;
}

/**
 * How each queueable procedure is replayed: the same service call as online, told that the decision
 * was taken offline (the vote's channel becomes 'queued'). tests/unit/offline-rules.test.ts checks
 * that every procedure marked `offline: 'queue'` in the contract has one.
 */
export const REPLAYERS: Record<string, Replayer> = {
  'governance.processes.approve': {
    key: (input) => `approval_process:${String(input.processId)}`,
    run: (s, scope, input, queued) => s.governance.approve(scope, String(input.processId), queued),
  },
  'governance.processes.deny': {
    key: (input) => `approval_process:${String(input.processId)}`,
    run: (s, scope, input, queued) =>
      s.governance.deny(scope, String(input.processId), String(input.reason), queued),
  },
};

export type ReplayOutcome =
  | { kind: 'done'; result: unknown }
  | { kind: 'rejected'; code: string; params: Record<string, unknown> }
  | { kind: 'unreachable' };

function rejected(err: AppError): ReplayOutcome {
  return { kind: 'rejected', code: err.code, params: err.params as Record<string, unknown> };
}

/**
 * Sends one outbox entry to the bank through the normal command path: the acting user is re-read
 * (a disabled user or a lost role refuses the vote), then runCommand with the entry's own
 * commandId, so a replay the bank already committed returns its first result and changes nothing.
 */
export async function replayEntry(
  s: Services,
  /** The bank's own answer, never the workstation's cached copy. */
  bankIdentity: Services['access']['identity'],
  entry: OutboxRow,
  publicKey: string | null,
  log: (err: unknown) => void,
): Promise<ReplayOutcome> {
  try {
    if (!isProcedureName(entry.procedure) || !REPLAYERS[entry.procedure]) {
      return rejected(new AppError('UNKNOWN_PROCEDURE', { procedure: entry.procedure }));
    }
    const def = procedures[entry.procedure] as ProcedureDef;
    const identity = await bankIdentity(entry.userId);
    if (!identity || identity.status !== 'active') return rejected(new AppError('USER_DISABLED'));
    if (!isAllowed(identity.roles, def.access)) {
      return rejected(new AppError('FORBIDDEN', { procedure: entry.procedure }));
    }
    const ctx: RequestContext = {
      actor: { type: 'User', userId: identity.userId, username: identity.username, roles: identity.roles },
      workstation: entry.workstation,
      clock: s.clock,
    };
    const queued: QueuedVote = { localTime: entry.localTime, signature: entry.signature, publicKey };
    const result = await runCommand(
      s.database.knex,
      s.audit,
      ctx,
      { procedure: entry.procedure, commandId: entry.commandId, payload: entry.input, output: def.output },
      (scope) => REPLAYERS[entry.procedure]!.run(s, scope, entry.input, queued),
    );
    return { kind: 'done', result };
  } catch (err) {
    if (isConnectivityError(err)) return { kind: 'unreachable' };
    if (err instanceof AppError) return rejected(err);
    // Not a refusal the user can act on, but never a silent drop: it shows as rejected, and why.
    log(err);
    return rejected(new AppError('INTERNAL'));
  }
}

/** Lanes of entries that must keep their order (same key), each in seq order. */
export function lanesOf(entries: OutboxRow[]): OutboxRow[][] {
  const lanes = new Map<string, OutboxRow[]>();
  for (const e of entries) {
    const key = REPLAYERS[e.procedure]?.key(e.input) ?? `seq:${e.seq}`;
    const lane = lanes.get(key);
    if (lane) lane.push(e);
    else lanes.set(key, [e]);
  }
  return [...lanes.values()];
}

export type Settled = { entry: OutboxRow; outcome: ReplayOutcome | { kind: 'not_tried' } };

/**
 * Replays a batch: its lanes `parallel` at a time, each lane in order. Once the bank is found
 * unreachable nothing more is sent; what was not sent is reported as not tried.
 */
export async function replayBatch(
  entries: OutboxRow[],
  parallel: number,
  replay: (entry: OutboxRow) => Promise<ReplayOutcome>,
): Promise<Settled[]> {
  const lanes = lanesOf(entries);
  const settled: Settled[] = [];
  let unreachable = false;
  let next = 0;
  const worker = async () => {
    while (next < lanes.length) {
      const lane = lanes[next++]!;
      for (const entry of lane) {
        if (unreachable) {
          settled.push({ entry, outcome: { kind: 'not_tried' } });
          continue;
        }
        const outcome = await replay(entry);
        if (outcome.kind === 'unreachable') unreachable = true;
        settled.push({ entry, outcome });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, lanes.length) }, worker));
  return settled.sort((a, b) => a.entry.seq - b.entry.seq);
}
