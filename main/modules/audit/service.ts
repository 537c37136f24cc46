import { inTransaction, type Db, type Trx } from '../../db';
import type { AuditRecordDto, AuditVerification } from '../../../shared/contract';
import { describeTarget, type Actor, type CommandScope, type RequestContext } from '../../ipc/context';
import * as repo from './repo';
import { assertNoSecrets, orderProblems, parseEntityFilter } from './rules';

export interface AuditEntry {
  action: string;
  outcome: 'Success' | 'Failure' | 'Denied';
  objectType?: string | null;
  objectIds?: string[];
  commandId?: string | null;
  metadata?: Record<string, unknown>;
  businessDate?: string | null;
}

export interface AuditListQuery {
  user?: string;
  action?: string;
  entity?: string;
  outcome?: 'Success' | 'Failure' | 'Denied';
  from?: string;
  to?: string;
  before?: string;
  limit: number;
}

function toRecord(
  ctx: Pick<RequestContext, 'actor' | 'workstation' | 'clock'>,
  e: AuditEntry,
): repo.NewAuditRecord {
  const metadata = e.metadata ?? {};
  assertNoSecrets(metadata);
  const actor: Actor = ctx.actor;
  return {
    workstation: ctx.workstation,
    occurredAt: ctx.clock.now(),
    businessDate: e.businessDate ?? null,
    subjectType: actor.type,
    actorId: actor.userId,
    actorUsername: actor.username,
    actorRoles: [...actor.roles],
    action: e.action,
    objectType: e.objectType ?? null,
    objectIds: e.objectIds ?? [],
    outcome: e.outcome,
    commandId: e.commandId ?? null,
    metadata,
  };
}

function toDto(r: repo.AuditRow): AuditRecordDto {
  return {
    id: r.id,
    workstation: r.workstation,
    seq: r.seq,
    occurredAt: r.occurred_at.toISOString(),
    businessDate: r.business_date,
    subjectType: r.subject_type,
    actorUsername: r.actor_username,
    actorRoles: r.actor_roles,
    action: r.action,
    objectType: r.object_type,
    objectIds: r.object_ids,
    outcome: r.outcome,
    commandId: r.command_id,
    metadata: r.metadata,
    hash: r.hash,
  };
}

function nextDay(date: string): Date {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

export function createAuditService(db: Db) {
  return {
    /** Appends inside the caller's transaction: the record commits or rolls back with the command. */
    async append(trx: Trx, ctx: Pick<RequestContext, 'actor' | 'workstation' | 'clock'>, e: AuditEntry) {
      await repo.insertRecord(trx, toRecord(ctx, e));
    },

    /** A command's success: its audit record, and its result kept in the command log for retries. */
    async appendCommandSuccess(
      trx: Trx,
      ctx: Pick<RequestContext, 'actor' | 'workstation' | 'clock'>,
      e: AuditEntry & { commandId: string },
      result: unknown,
    ) {
      await repo.insertRecordWithResult(trx, toRecord(ctx, e), result);
    },

    /** Appends on its own, for refusals whose command never got a transaction of its own. */
    async appendStandalone(ctx: Pick<RequestContext, 'actor' | 'workstation' | 'clock'>, e: AuditEntry) {
      await repo.insertRecord(db, toRecord(ctx, e));
    },

    async list(q: AuditListQuery): Promise<{ items: AuditRecordDto[]; nextBefore: string | null }> {
      const entity = parseEntityFilter(q.entity);
      const rows = await repo.list(db, {
        user: q.user || undefined,
        action: q.action || undefined,
        objectType: entity.type,
        objectId: entity.id,
        entityAny: entity.any,
        outcome: q.outcome,
        // Dates are calendar days in UTC, inclusive at both ends.
        fromTime: q.from ? new Date(`${q.from}T00:00:00Z`) : undefined,
        // The day after 9999-12-31 has no ISO form the drivers share; nothing is later anyway.
        toTime: q.to && q.to < '9999-12-31' ? nextDay(q.to) : undefined,
        before: q.before,
        limit: q.limit,
      });
      return {
        items: rows.map(toDto),
        nextBefore: rows.length === q.limit ? rows[rows.length - 1]!.id : null,
      };
    },

    async verify(): Promise<AuditVerification> {
      // One snapshot for every check: records committed between two queries would otherwise look
      // like a chain head without its record.
      const [broken, heads, seals, count, last] = await inTransaction(
        db,
        async (trx) =>
          [
            await repo.findBrokenRecords(trx, 50),
            await repo.findHeadMismatches(trx),
            await repo.findBrokenSeals(trx),
            await repo.countRecords(trx),
            await repo.lastSeal(trx),
          ] as const,
        { isolation: 'repeatable read' },
      );
      const problems = orderProblems([...broken, ...heads, ...seals.problems]);
      return {
        intact: problems.length === 0,
        recordsChecked: count,
        sealsChecked: seals.checked,
        lastSealAt: last ? last.sealed_at.toISOString() : null,
        problems,
      };
    },

    /** Seals every workstation's chain as it stands committed now (a command of its own). */
    async seal(scope: CommandScope) {
      const row = await repo.insertSeal(scope.trx, scope.clock.now());
      describeTarget(scope, 'audit_seal', row.id, { records: row.record_count });
      return {
        id: row.id,
        sealedAt: row.sealed_at.toISOString(),
        workstations: Object.keys(row.heads).length,
        records: row.record_count,
        hash: row.hash,
      };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
