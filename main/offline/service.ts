import {
  type OfflineStatusDto,
  type OutboxChanged,
  type OutboxEntryDto,
  type OutboxStatus,
  type ProcessDetailDto,
  type ProcessDto,
  type QueuedAnswer,
} from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { isAllowed } from '../../shared/permissions';
import { migrate } from '../db/migrate';
import type { RequestContext } from '../ipc/context';
import type { StaffIdentity } from '../modules/access';
import { hashPassword, verifyPassword, DEFAULT_COST, type ScryptCost } from '../modules/access/passwords';
import { afterFailure, throttleRemaining, type ThrottleState } from '../modules/access/rules';
import type { Services } from '../services';
import { isConnectivityError } from './connectivity';
import type { LocalStore, OutboxRow } from './local-store';
import { replayBatch, replayEntry } from './replay';
import { signQueued } from './signing';

/** Keys a queued input never keeps, even though no queueable procedure has them today. */
const SECRET_FIELD = /password|secret|token/i;

/** How often pending entries are retried while the monitor does not say offline. */
const RETRY_MS = 5_000;

/**
 * Entries taken from the outbox per round, and how many lanes (votes on different processes) are
 * sent side by side: the bank's pool, not the workstation, is the limit.
 */
const REPLAY_BATCH = 64;
const REPLAY_PARALLEL = 6;

/** Approvals change in bursts (a vote, then its conclusion): one refresh per burst. */
const SNAPSHOT_DEBOUNCE_MS = 250;

interface ApprovalsSnapshot {
  inbox: ProcessDto[];
  details: Record<string, ProcessDetailDto>;
}

const approvalsSnapshot = (userId: string) => `approvals:${userId}`;

export interface OfflineOptions {
  scryptCost?: ScryptCost;
  /** The bank was unreachable at start: its migrations run as soon as it answers. */
  migrationPending: boolean;
  log?: (err: unknown) => void;
}

function toEntryDto(r: OutboxRow): OutboxEntryDto {
  const vote = r.procedure.startsWith('governance.processes.');
  return {
    seq: r.seq,
    commandId: r.commandId,
    procedure: r.procedure,
    processId: vote ? String(r.input.processId) : null,
    decision: vote ? (r.procedure.endsWith('.deny') ? 'deny' : 'approve') : null,
    reason: typeof r.input.reason === 'string' ? r.input.reason : null,
    username: r.username,
    workstation: r.workstation,
    localTime: r.localTime.toISOString(),
    signed: r.signature !== null,
    status: r.status,
    rejection: r.rejection,
    attempts: r.attempts,
    updatedAt: r.updatedAt.toISOString(),
  };
}

/**
 * The workstation's offline work (ARCHITECTURE 6): queues what may wait, replays it in order when
 * the bank answers again, keeps the copies an offline supervisor decides from, and lets staff who
 * signed in here before unlock with a verifier of their password. It wraps the bank-facing parts
 * of access, bank and governance so that the router and handlers stay unaware of it.
 */
export function createOfflineService(s: Services, store: LocalStore, opts: OfflineOptions) {
  const log = opts.log ?? ((e: unknown) => console.error('[offline]', e));
  const cost = opts.scryptCost ?? DEFAULT_COST;
  const bank = { access: s.access, bank: s.bank, governance: s.governance };
  const listeners = new Set<(e: OutboxChanged) => void>();
  const voters = new Map<string, StaffIdentity>();
  const throttles = new Map<string, ThrottleState>();
  let migrationPending = opts.migrationPending;
  let draining: Promise<void> | null = null;
  let closed = false;
  let snapshotTimer: NodeJS.Timeout | undefined;

  const offlineNow = () => s.monitor.snapshot().state === 'offline';
  let probing: Promise<unknown> | null = null;
  /** One probe at a time, however many calls just found the bank unreachable. */
  const probeSoon = () => {
    probing ??= s.monitor.probe().finally(() => (probing = null));
  };
  const now = () => s.clock.now();

  function emit(row: OutboxRow) {
    const e: OutboxChanged = {
      seq: row.seq,
      commandId: row.commandId,
      userId: row.userId,
      status: row.status,
      rejection: row.rejection,
    };
    for (const fn of listeners) fn(e);
  }

  /**
   * Runs `online` unless the bank is known to be out of reach, or turns out to be; then `local`.
   * A refusal from the bank is never hidden behind the local copy.
   */
  async function bankOr<T>(online: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (offlineNow()) return local();
    try {
      return await online();
    } catch (err) {
      if (!isConnectivityError(err)) throw err;
      probeSoon();
      return local();
    }
  }

  // ---- sign-in and unlock with a verifier ----

  async function rememberVerifier(identity: StaffIdentity, password: string) {
    try {
      await store.putVerifier({
        username: identity.username.toLowerCase(),
        userId: identity.userId,
        identity,
        verifier: await hashPassword(password, cost),
        at: now(),
      });
    } catch (err) {
      log(err);
    }
  }

  async function checkVerifier(
    by: { username: string } | { userId: string },
    password: string,
  ): Promise<StaffIdentity> {
    const key = 'username' in by ? by.username.trim().toLowerCase() : by.userId;
    const at = now();
    const remaining = throttleRemaining(throttles.get(key), at);
    if (remaining > 0) throw new AppError('LOGIN_THROTTLED', { seconds: remaining });
    const found = await store.verifier<StaffIdentity>('username' in by ? { username: key } : by);
    if (!found || !(await verifyPassword(password, found.verifier))) {
      throttles.set(key, afterFailure(throttles.get(key), at));
      throw new AppError('INVALID_CREDENTIALS');
    }
    throttles.delete(key);
    if (found.identity.status !== 'active') throw new AppError('USER_DISABLED');
    return found.identity;
  }

  function noteSignedIn(identity: StaffIdentity) {
    if (!isAllowed(identity.roles, 'governance.vote')) return;
    voters.set(identity.userId, identity);
    scheduleSnapshots();
  }

  const access: Services['access'] = {
    ...bank.access,
    login: (ctx, username, password) =>
      bankOr(
        async () => {
          const identity = await bank.access.login(ctx, username, password);
          await rememberVerifier(identity, password);
          noteSignedIn(identity);
          return identity;
        },
        () => checkVerifier({ username }, password),
      ),
    unlock: (ctx, userId, password) =>
      bankOr(
        async () => {
          const identity = await bank.access.unlock(ctx, userId, password);
          await rememberVerifier(identity, password);
          noteSignedIn(identity);
          return identity;
        },
        () => checkVerifier({ userId }, password),
      ),
    identity: (userId) =>
      bankOr(
        async () => {
          const identity = await bank.access.identity(userId);
          // A user disabled or removed at the bank may no longer unlock here either.
          if (!identity || identity.status !== 'active') await store.forgetVerifier(userId);
          return identity;
        },
        async () => (await store.verifier<StaffIdentity>({ userId }))?.identity,
      ),
    // Sign-out and lock still happen offline; the bank's audit log cannot hear of them then.
    recordSessionEvent: (ctx, action, metadata) =>
      bankOr(
        () => bank.access.recordSessionEvent(ctx, action, metadata),
        async () => undefined,
      ),
  };

  // ---- cached bank facts ----

  const bankService: Services['bank'] = {
    ...bank.bank,
    settings: (q) =>
      q
        ? bank.bank.settings(q)
        : bankOr(
            async () => {
              const settings = await bank.bank.settings();
              await store.putSnapshot('bank.settings', settings, now()).catch(log);
              return settings;
            },
            async () => {
              const cached =
                await store.snapshot<Awaited<ReturnType<Services['bank']['settings']>>>('bank.settings');
              if (!cached) throw new AppError('OFFLINE', { procedure: 'bank.settings.get' });
              return cached.data;
            },
          ),
    profile: (q) =>
      q
        ? bank.bank.profile(q)
        : bankOr(
            async () => {
              const profile = await bank.bank.profile();
              if (profile) await store.putSnapshot('bank.profile', profile, now()).catch(log);
              return profile;
            },
            async () => {
              // Never "no bank yet" while offline: that would offer the setup screen.
              const cached =
                await store.snapshot<Awaited<ReturnType<Services['bank']['profile']>>>('bank.profile');
              if (!cached) throw new AppError('OFFLINE', { procedure: 'system.info' });
              return cached.data;
            },
          ),
  };

  // ---- the approvals inbox, from its copy while offline ----

  async function refreshSnapshot(identity: StaffIdentity): Promise<void> {
    const ctx: RequestContext = {
      actor: { type: 'User', userId: identity.userId, username: identity.username, roles: identity.roles },
      workstation: 'local-store',
      clock: s.clock,
    };
    const takenAt = now();
    const inbox = await bank.governance.inbox(ctx, {});
    const details: Record<string, ProcessDetailDto> = {};
    for (const p of inbox.filter((x) => x.status === 'in_progress')) {
      details[p.id] = await bank.governance.process(ctx, p.id);
    }
    await store.putSnapshot(approvalsSnapshot(identity.userId), { inbox, details }, takenAt);
  }

  async function refreshSnapshots(): Promise<void> {
    if (offlineNow()) return;
    for (const identity of voters.values()) {
      try {
        await refreshSnapshot(identity);
      } catch (err) {
        if (!isConnectivityError(err)) log(err);
        return;
      }
    }
  }

  function scheduleSnapshots() {
    if (closed || snapshotTimer) return;
    snapshotTimer = setTimeout(() => {
      snapshotTimer = undefined;
      void refreshSnapshots();
    }, SNAPSHOT_DEBOUNCE_MS);
    snapshotTimer.unref?.();
  }

  /** The caller's votes still in the outbox, by process: shown as decided ('queued') offline. */
  async function pendingVotes(userId: string): Promise<Map<string, 'approve' | 'deny'>> {
    const out = new Map<string, 'approve' | 'deny'>();
    for (const r of await store.entries()) {
      if (r.userId !== userId || (r.status !== 'queued' && r.status !== 'replaying')) continue;
      const dto = toEntryDto(r);
      if (dto.processId && dto.decision) out.set(dto.processId, dto.decision);
    }
    return out;
  }

  async function cachedApprovals(ctx: RequestContext): Promise<ApprovalsSnapshot> {
    const snap = await store.snapshot<ApprovalsSnapshot>(approvalsSnapshot(ctx.actor.userId!));
    if (!snap) throw new AppError('OFFLINE', { procedure: 'governance.inbox' });
    return snap.data;
  }

  function withPending<T extends ProcessDto>(p: T, pending: Map<string, 'approve' | 'deny'>): T {
    const decision = pending.get(p.id);
    return decision ? { ...p, canVote: false, myVote: decision } : p;
  }

  const governance: Services['governance'] = {
    ...bank.governance,
    inbox: (ctx, f) =>
      bankOr(
        () => bank.governance.inbox(ctx, f),
        async () => {
          const { inbox } = await cachedApprovals(ctx);
          const pending = await pendingVotes(ctx.actor.userId!);
          return inbox
            .filter((p) => (!f.type || p.type === f.type) && (!f.status || p.status === f.status))
            .map((p) => withPending(p, pending));
        },
      ),
    process: (ctx, id) =>
      bankOr(
        () => bank.governance.process(ctx, id),
        async () => {
          const detail = (await cachedApprovals(ctx)).details[id];
          if (!detail) throw new AppError('OFFLINE', { procedure: 'governance.processes.get' });
          return withPending(detail, await pendingVotes(ctx.actor.userId!));
        },
      ),
  };

  // ---- the outbox ----

  async function enqueue(
    ctx: RequestContext,
    procedure: string,
    parsed: Record<string, unknown>,
  ): Promise<QueuedAnswer> {
    const userId = ctx.actor.userId;
    if (!userId || !ctx.actor.username) throw new AppError('UNAUTHENTICATED');
    const { commandId, ...rest } = parsed as { commandId: string } & Record<string, unknown>;
    const input = Object.fromEntries(Object.entries(rest).filter(([k]) => !SECRET_FIELD.test(k)));
    const localTime = now();
    const key = await store.workstationKey();
    const signature = signQueued(key, {
      commandId,
      procedure,
      input,
      userId,
      workstation: ctx.workstation,
      localTime: localTime.toISOString(),
    });
    const row = await store.enqueue({
      commandId,
      procedure,
      input,
      userId,
      username: ctx.actor.username,
      workstation: ctx.workstation,
      localTime,
      signature,
    });
    if (row.userId !== userId) throw new AppError('COMMAND_ID_REUSED', { field: '(actor)' });
    emit(row);
    return { queued: true, commandId, seq: row.seq, localTime: row.localTime.toISOString() };
  }

  async function finishConnecting(): Promise<void> {
    if (!migrationPending) return;
    s.schemaVersion = (await migrate(s.database.knex)).schemaVersion;
    migrationPending = false;
  }

  async function drainOnce(): Promise<void> {
    await finishConnecting();
    const publicKey = (await store.workstationKey()).publicKey;
    let replayed = 0;
    for (;;) {
      if (closed || offlineNow()) break;
      const batch = await store.claimPending(REPLAY_BATCH, now());
      if (!batch.length) break;
      for (const e of batch) emit(e);
      // A user is re-read once per batch: a batch takes a fraction of a second.
      const identities = new Map<string, ReturnType<typeof bank.access.identity>>();
      const identity = (userId: string) => {
        if (!identities.has(userId)) identities.set(userId, bank.access.identity(userId));
        return identities.get(userId)!;
      };
      const settled = await replayBatch(batch, REPLAY_PARALLEL, (entry) =>
        replayEntry(s, identity, entry, publicKey, log),
      );
      const rows = await store.settle(
        settled.map(({ entry, outcome }) =>
          outcome.kind === 'done'
            ? { seq: entry.seq, status: 'done' as const, result: outcome.result }
            : outcome.kind === 'rejected'
              ? {
                  seq: entry.seq,
                  status: 'rejected' as const,
                  rejection: { code: outcome.code, params: outcome.params },
                }
              : { seq: entry.seq, status: 'queued' as const, notTried: outcome.kind === 'not_tried' },
        ),
        now(),
      );
      for (const row of rows) emit(row);
      replayed += rows.filter((r) => r.status === 'done' || r.status === 'rejected').length;
      if (rows.some((r) => r.status === 'queued')) {
        probeSoon();
        break;
      }
    }
    if (replayed > 0) scheduleSnapshots();
  }

  /** Replays pending entries in outbox order; concurrent calls share one run. */
  function drain(): Promise<void> {
    draining ??= drainOnce()
      .catch((err) => {
        if (!isConnectivityError(err)) log(err);
      })
      .finally(() => {
        draining = null;
      });
    return draining;
  }

  /** What the sign-in screen and the session need from the bank, copied whenever it answers. */
  const copyBankFacts = () =>
    Promise.all([bankService.profile(), bankService.settings()]).catch((err) => {
      if (!isConnectivityError(err)) log(err);
    });

  const stopMonitor = s.monitor.onChange((snap) => {
    if (snap.state !== 'offline') void drain().then(() => Promise.all([refreshSnapshots(), copyBankFacts()]));
  });
  const stopApprovals = bank.governance.onApprovalsChanged(() => scheduleSnapshots());
  const retry = setInterval(() => {
    if (offlineNow()) return;
    store.pendingCount().then((n) => {
      if (n > 0 || migrationPending) void drain();
    }, log);
  }, RETRY_MS);
  retry.unref?.();
  // Entries left by an earlier run (queued, or cut mid-replay): the bank's command log makes their
  // replay safe whatever happened before.
  if (!offlineNow()) void drain().then(copyBankFacts);

  return {
    store,
    /** Replacements for the bank-facing services (see services.ts). */
    wrapped: { access, bank: bankService, governance },

    /**
     * A command marked `offline: 'queue'`: sent to the bank when it can be, queued otherwise (the
     * monitor says offline, or the call itself found the bank unreachable: the bank's command log
     * makes the later replay harmless even if the first attempt did commit).
     */
    async runOrQueue(
      ctx: RequestContext,
      procedure: string,
      parsed: Record<string, unknown>,
      run: () => Promise<unknown>,
    ): Promise<unknown> {
      if (offlineNow()) return enqueue(ctx, procedure, parsed);
      try {
        return await run();
      } catch (err) {
        if (!isConnectivityError(err)) throw err;
        probeSoon();
        return enqueue(ctx, procedure, parsed);
      }
    },

    drain,

    async status(ctx: RequestContext): Promise<OfflineStatusDto> {
      const userId = ctx.actor.userId!;
      const mine = (await store.entries()).filter((r) => r.userId === userId);
      const snap = await store.snapshot(approvalsSnapshot(userId));
      return {
        connectivity: s.monitor.snapshot(),
        localStore: true,
        pending: mine.filter((r) => r.status === 'queued' || r.status === 'replaying').length,
        rejected: mine.filter((r) => r.status === 'rejected').length,
        approvalsAsOf: snap ? snap.takenAt.toISOString() : null,
      };
    },

    async outbox(ctx: RequestContext, status?: OutboxStatus): Promise<OutboxEntryDto[]> {
      return (await store.entries())
        .filter((r) => r.userId === ctx.actor.userId && (!status || r.status === status))
        .map(toEntryDto);
    },

    onChange(fn: (e: OutboxChanged) => void): () => void {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },

    async close(): Promise<void> {
      closed = true;
      clearInterval(retry);
      if (snapshotTimer) clearTimeout(snapshotTimer);
      stopMonitor();
      stopApprovals();
      await draining?.catch(() => undefined);
      await store.close();
    },
  };
}

export type OfflineService = ReturnType<typeof createOfflineService>;
